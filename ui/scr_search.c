/* scr_search.c: resident search (every key of registry.md §6), the result
 * list, and the record view with its household, history and the deliberate
 * My Number reveal. Every search and view is logged by the core. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ctx.h"
#include "form.h"
#include "i18n.h"
#include "scr_list.h"
#include "screens.h"
#include "tui.h"
#include "xalloc.h"

/* ---- the record view ---------------------------------------------------------- */

struct viewinfo {
	char id[24];
	char household[24];
};

static const struct keybind view_keys[] = {
	{ ACT_ADD, 2, 0, N_("Household"), 0 },
	{ ACT_DISABLE, 4, 0, N_("History"), 0 },
	{ ACT_GRANT, 6, 0, N_("Show My Number"), 0 },
	{ ACT_REVOKE, 7, 0, N_("Record a change"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static const struct keybind sub_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Open"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static int member_action(struct app *app, struct list *l, enum action a, const char *const *row, int n)
{
	const char *id = list_row_cell(l, row, "atena");
	if (a != ACT_SUBMIT || !id)
		return SCR_NONE;
	app->next = record_screen_new(app, id);
	return SCR_PUSH;
}

static int view_action(struct app *app, struct list *l, enum action a, const char *const *row, int n)
{
	struct viewinfo *vi = list_user(l);
	struct md_args args;
	struct md_result res;
	struct md_error err;

	md_args_init(&args);
	switch (a) {
	case ACT_ADD: {
		char *title = xasprintf(_("Household of 宛名番号 %s"), vi->id);
		struct list_spec spec = { title, "resident.household", sub_keys, member_action, NULL, NULL, NULL };
		md_args_set(&args, "person", vi->id);
		app->next = list_screen_new(&spec, &args);
		free(title);
		return SCR_PUSH;
	}
	case ACT_DISABLE: {
		char *title = xasprintf(_("History of 宛名番号 %s"), vi->id);
		struct list_spec spec = { title, "resident.history", NULL, NULL, NULL, NULL, NULL };
		md_args_set(&args, "id", vi->id);
		app->next = list_screen_new(&spec, &args);
		free(title);
		return SCR_PUSH;
	}
	case ACT_GRANT:
		/* A deliberate key, a permission, an audit entry: the number shows
		 * on the message line only, until the next key. */
		md_args_set(&args, "id", vi->id);
		md_result_init(&res);
		if (app_exec(app, "mynumber.reveal", &args, &res, &err) == MD_OK)
			app->message_secret = 1;
		md_result_release(&res);
		return SCR_REDRAW;
	case ACT_REVOKE: {
		/* The intake starts on this person and their household. */
		const char *h = list_lookup(l, "item", "世帯番号", "value");
		app->next = chooser_screen_new(app, strtoll(vi->id, NULL, 10), h ? strtoll(h, NULL, 10) : 0);
		return SCR_PUSH;
	}
	default:
		return SCR_NONE;
	}
}

struct screen *record_screen_new(struct app *app, const char *id)
{
	char *title = xasprintf(_("Record of 宛名番号 %s"), id);
	struct viewinfo *vi = xcalloc(1, sizeof *vi);
	struct list_spec spec = { title, "resident.view", view_keys, view_action, NULL, vi, free };
	struct md_args args;
	struct screen *s;

	(void)app;
	snprintf(vi->id, sizeof vi->id, "%s", id);
	md_args_init(&args);
	md_args_set(&args, "id", id);
	s = list_screen_new(&spec, &args);
	free(title);
	return s;
}

/* ---- search ---------------------------------------------------------------------- */

struct search {
	struct form fm;
};

static const struct keybind search_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Search"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_DISABLE, 4, 0, N_("Clear"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static int result_action(struct app *app, struct list *l, enum action a, const char *const *row, int n)
{
	const char *id = list_row_cell(l, row, "atena");
	if (a != ACT_SUBMIT || !id)
		return SCR_NONE;
	app->next = record_screen_new(app, id);
	return SCR_PUSH;
}

static void search_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct search *se = s->data;
	int lw = form_label_width(&se->fm);
	draw_text(w, top, 2, cols - 4,
	          _("Any keys: kana ignores voicing, small kana and long marks; removed and past: y."));
	form_draw(&se->fm, w, top + 2, 4, lw, cols - lw - 12, rows - 3, &s->cursor_y, &s->cursor_x);
}

static int run(struct screen *s, struct app *app)
{
	struct search *se = s->data;
	struct md_args args;
	char *vals[16];
	int n = 0;
	/* atena name kana birth sex address status flags: the status stays on screen. */
	static const int widths[] = { 8, 12, 14, 15, 4, 20, 8, 10 };
	struct list_spec spec = { _("Search results"), "resident.search", sub_keys, result_action, widths,
	                          NULL, NULL };

	md_args_init(&args);
	for (int i = 0; i < se->fm.n && n < 16; i++) {
		char *v = form_value(&se->fm, i);
		vals[n++] = v;
		if (!*v)
			continue;
		if (strcmp(se->fm.f[i].key, "removed") == 0 || strcmp(se->fm.f[i].key, "past") == 0) {
			if (*v == 'y' || *v == 'Y' || strcmp(v, "1") == 0 || strcmp(v, "はい") == 0)
				md_args_set(&args, se->fm.f[i].key, "1");
			continue;
		}
		md_args_set(&args, se->fm.f[i].key, v);
	}
	app->next = list_screen_new(&spec, &args);
	for (int i = 0; i < n; i++)
		md_free_secret(&vals[i]);
	return SCR_PUSH;
}

static int search_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct search *se = s->data;
	if (a == ACT_BACK)
		return SCR_CLOSE;
	if (a == ACT_SUBMIT)
		return run(s, app);
	if (a == ACT_DISABLE) {
		for (int i = 0; i < se->fm.n; i++)
			form_clear(&se->fm, i);
		se->fm.focus = 0;
		return SCR_REDRAW;
	}
	return form_dispatch(&se->fm, k, s, app, run);
}

static void search_free(struct screen *s)
{
	struct search *se = s->data;
	form_release(&se->fm);
	free(se);
}

static const struct screen_class search_class = {
	"search", N_("Resident search"), search_keys, 1, search_draw, search_key, search_free
};

struct screen *search_screen_new(struct app *app)
{
	struct search *se = xcalloc(1, sizeof *se);
	(void)app;
	form_init(&se->fm);
	form_add(&se->fm, "name", _("Name (kanji or kana)"), 60, 0);
	form_add(&se->fm, "birth", _("Date of birth"), 30, 0);
	form_add(&se->fm, "sex", _("Sex (男/女)"), 2, 0);
	form_add(&se->fm, "address", _("Address"), 100, 0);
	form_add(&se->fm, "atena", "宛名番号", 12, 0);
	form_add(&se->fm, "household", "世帯番号", 12, 0);
	form_add(&se->fm, "mynumber", "個人番号", 14, 1);
	form_add(&se->fm, "juminhyo_code", "住民票コード", 12, 0);
	form_add(&se->fm, "card", "在留カード等番号", 12, 0);
	form_add(&se->fm, "removed", _("Include removed records (y)"), 1, 0);
	form_add(&se->fm, "past", _("Include past names and addresses (y)"), 1, 0);
	return screen_new(&search_class, se);
}
