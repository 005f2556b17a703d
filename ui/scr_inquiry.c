/* scr_inquiry.c: inquiries and disclosure requests (問合せ・開示請求): the
 * list of open ones (with the overdue, mine and all lists), recording a new
 * one, and one inquiry with its history and a menu of what may be done to
 * it: edit, assign, answer, approve or refuse (supervisor), produce the
 * extract, close. The core checks every step; the menu shows only the
 * commands this user may run. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ctx.h"
#include "i18n.h"
#include "scr_list.h"
#include "screens.h"
#include "textwidth.h"
#include "tui.h"
#include "xalloc.h"

/* ---- the steps of one inquiry ---------------------------------------------------------- */

struct step {
	const char *command;
	const char *label;     /* N_() */
	int form;              /* 0: run at once (the extract) */
};

static const struct step steps[] = {
	{ "inquiry.answer", N_("Record the handling or answer (対応・回答)"), 1 },
	{ "inquiry.assign", N_("Assign a handler (担当者)"), 1 },
	{ "inquiry.edit", N_("Correct the inquiry"), 1 },
	{ "inquiry.approve", N_("Approve the disclosure request (開示決定)"), 1 },
	{ "inquiry.refuse", N_("Refuse the disclosure request (不開示決定)"), 1 },
	{ "inquiry.extend", N_("Extend the deadline by 30 days (期限の延長)"), 1 },
	{ "inquiry.extension-notice", N_("Print the notice of the extension to the requester (延長通知)"), 0 },
	{ "inquiry.extract", N_("Produce the disclosure extract (PDF)"), 0 },
	{ "inquiry.close", N_("Close (完了)"), 1 },
};
#define NSTEPS (int)(sizeof steps / sizeof steps[0])

struct stepmenu {
	char id[24];
	const struct step *shown[NSTEPS];
	int n, sel;
};

static const struct keybind stepmenu_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Choose"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void stepmenu_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct stepmenu *m = s->data;
	char line[200];

	for (int i = 0; i < m->n && i < rows - 2; i++) {
		snprintf(line, sizeof line, " %d. %s ", i + 1, _(m->shown[i]->label));
		if (i == m->sel)
			attron(A_REVERSE);
		draw_text(w, top + 1 + i, 4, cols - 8, line);
		if (i == m->sel)
			attroff(A_REVERSE);
	}
	if (m->n == 0)
		draw_text(w, top + 1, 4, cols - 8, _("(nothing)"));
	else
		draw_text(w, top + 2 + m->n, 4, cols - 8, _("Choose with the arrows and Enter, or the number."));
}

static int stepmenu_choose(struct stepmenu *m, struct app *app, int i)
{
	const struct step *st = m->shown[i];
	struct md_args args;
	struct md_result res;
	struct md_error err;
	int rc;

	if (st->form) {
		/* On success the form closes this menu too: back to the inquiry. */
		app->next = cmdform_screen_new_closing(st->command, "id", m->id);
		return SCR_PUSH;
	}
	md_args_init(&args);
	md_args_set(&args, "id", m->id);
	md_result_init(&res);
	rc = app_exec(app, st->command, &args, &res, &err);
	md_result_release(&res);
	if (rc != MD_OK)
		return SCR_REDRAW;
	app->dirty = 1;
	return SCR_CLOSE;
}

static int stepmenu_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct stepmenu *m = s->data;

	if (a == ACT_BACK)
		return SCR_CLOSE;
	if (k.is_key && k.code == KEY_UP && m->sel > 0)
		m->sel--;
	else if (k.is_key && k.code == KEY_DOWN && m->sel + 1 < m->n)
		m->sel++;
	else if (m->n && (a == ACT_SUBMIT || (k.is_key && k.code == KEY_ENTER) ||
	                  (!k.is_key && (k.code == '\r' || k.code == '\n'))))
		return stepmenu_choose(m, app, m->sel);
	else if (!k.is_key && k.code >= '1' && k.code <= '9' && (int)(k.code - '1') < m->n) {
		m->sel = (int)(k.code - '1');
		return stepmenu_choose(m, app, m->sel);
	}
	return SCR_REDRAW;
}

static void stepmenu_free(struct screen *s)
{
	free(s->data);
}

static const struct screen_class stepmenu_class = {
	"inquiry-steps", N_("Inquiry"), stepmenu_keys, 1, stepmenu_draw, stepmenu_key, stepmenu_free
};

static struct screen *stepmenu_new(struct app *app, const char *id)
{
	struct stepmenu *m = xcalloc(1, sizeof *m);
	struct screen *s;

	snprintf(m->id, sizeof m->id, "%s", id);
	for (int i = 0; i < NSTEPS; i++)
		if (md_cmd_allowed(app->ctx, steps[i].command))
			m->shown[m->n++] = &steps[i];
	s = screen_new(&stepmenu_class, m);
	s->title = _("What to do with the inquiry");
	return s;
}

/* ---- one inquiry ----------------------------------------------------------------------------- */

static const struct keybind show_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Actions"), 0 },
	{ ACT_GRANT, 6, 0, N_("Full text"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

#define WRAP_COLS 74

/* Appends "item: value" wrapped at WRAP_COLS columns (continuations indented). */
static void wrap_into(char ***lines, int *n, int *cap, const char *item, const char *value)
{
	char *text = xasprintf("%s: %s", item, value);
	size_t len = 0, start = 0;
	wchar_t *w = tw_utf8_to_wcs(text, &len);

	free(text);
	do {
		int cols = start ? 2 : 0;
		size_t end = start;
		while (end < len && cols + tw_wcwidth(w[end]) <= WRAP_COLS)
			cols += tw_wcwidth(w[end++]);
		if (end == start && end < len)
			end++;   /* a character wider than the line: it goes alone */
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*lines = xrealloc(*lines, (size_t)*cap * sizeof **lines);
		}
		{
			char *part = tw_wcs_to_utf8(w + start, end - start);
			(*lines)[(*n)++] = start ? xasprintf("  %s", part) : xstrdup(part);
			free(part);
		}
		start = end;
	} while (start < len);
	free(w);
}

/* The whole inquiry, every value in full, as a page of text. */
static int show_full(struct app *app, const char *id)
{
	struct md_args args;
	struct md_result res;
	struct md_error err;
	char **lines = NULL, *title;
	int n = 0, cap = 0;

	md_args_init(&args);
	md_args_set(&args, "id", id);
	md_result_init(&res);
	if (app_exec(app, "inquiry.show", &args, &res, &err) != MD_OK) {
		md_result_release(&res);
		return SCR_REDRAW;
	}
	for (int r = 0; r < res.table.nrows; r++)
		wrap_into(&lines, &n, &cap, res.table.rows[r][0], res.table.rows[r][1]);
	title = xasprintf(_("Inquiry %s"), id);
	app->next = message_screen_new(title, (const char *const *)lines, n);
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(title);
	md_result_release(&res);
	return SCR_PUSH;
}

/* The inquiry a show screen is about. The list it was opened from does not
 * reload while this screen is on top (app->dirty is taken by the top screen
 * only), so leaving it marks the data changed: the list below reloads. */
struct showinfo {
	struct app *app;
	char id[24];
};

static void showinfo_free(void *p)
{
	struct showinfo *si = p;
	si->app->dirty = 1;
	free(si);
}

static int show_action(struct app *app, struct list *l, enum action a, const char *const *row, int n)
{
	const char *id = ((struct showinfo *)list_user(l))->id;

	if (a == ACT_GRANT)
		return show_full(app, id);
	if (a != ACT_SUBMIT)
		return SCR_NONE;
	app->next = stepmenu_new(app, id);
	return SCR_PUSH;
}

/* Item and value; the value is cut at the screen's edge (F6 shows it whole). */
static const int show_widths[] = { 22, 55 };

static struct screen *show_screen(struct app *app, const char *id)
{
	char *title = xasprintf(_("Inquiry %s"), id);
	struct showinfo *si = xcalloc(1, sizeof *si);
	struct list_spec spec = { title, "inquiry.show", show_keys, show_action, show_widths, si,
	                          showinfo_free };
	struct md_args args;
	struct screen *s;

	si->app = app;
	snprintf(si->id, sizeof si->id, "%s", id);
	md_args_init(&args);
	md_args_set(&args, "id", id);
	s = list_screen_new(&spec, &args);
	free(title);
	return s;
}

/* ---- the lists ------------------------------------------------------------------------------- */

static const struct keybind list_keys[] = {
	{ ACT_ADD, 2, 0, N_("New"), 0 },
	{ ACT_SUBMIT, 5, 0, N_("Open"), 0 },
	{ ACT_GRANT, 6, 0, N_("Overdue"), 0 },
	{ ACT_REVOKE, 7, 0, N_("Mine"), 0 },
	{ ACT_UNLOCK_USER, 8, 0, N_("All"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static const struct keybind sublist_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Open"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

/* Columns: id kind received channel requester 宛名番号 subject handler due
 * state overdue; what fits 80 columns (the inquiry itself shows the rest). */
static const int list_widths[] = { 3, 8, -1, -1, 8, 8, 10, -1, 15, 10, 8 };

static int list_action(struct app *app, struct list *l, enum action a, const char *const *row, int n);

static struct screen *filtered(const char *title, const char *flag)
{
	struct list_spec spec = { title, "inquiry.list", sublist_keys, list_action, list_widths, NULL, NULL };
	struct md_args args;

	md_args_init(&args);
	md_args_set(&args, flag, "1");
	return list_screen_new(&spec, &args);
}

static int list_action(struct app *app, struct list *l, enum action a, const char *const *row, int n)
{
	const char *id = list_row_cell(l, row, "id");

	switch (a) {
	case ACT_SUBMIT:
		if (!id)
			return SCR_NONE;
		app->next = show_screen(app, id);
		return SCR_PUSH;
	case ACT_ADD:
		app->next = cmdform_screen_new("inquiry.record", NULL, NULL);
		return SCR_PUSH;
	case ACT_GRANT:
		app->next = filtered(_("Inquiries past their deadline"), "overdue");
		return SCR_PUSH;
	case ACT_REVOKE:
		app->next = filtered(_("Inquiries assigned to me"), "mine");
		return SCR_PUSH;
	case ACT_UNLOCK_USER:
		app->next = filtered(_("All inquiries, closed ones too"), "all");
		return SCR_PUSH;
	default:
		return SCR_NONE;
	}
}

struct screen *inquiry_screen_new(struct app *app)
{
	struct list_spec spec = { _("Inquiries and disclosure requests (open)"), "inquiry.list", list_keys,
	                          list_action, list_widths, NULL, NULL };
	(void)app;
	return list_screen_new(&spec, NULL);
}
