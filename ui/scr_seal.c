/* scr_seal.c: seal registration (印鑑登録) at the counter, in a verified
 * counter transaction of request seal: register (immediate with a photo ID,
 * by a guarantor, or by a mailed inquiry 照会書), answer an inquiry, cancel
 * on request, and the person's registrations. The reception screen opens it
 * on its transaction; the menu entry first asks for one (or opens one). All
 * through the core's commands: the rules and their messages are the
 * core's. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ctx.h"
#include "form.h"
#include "i18n.h"
#include "panel.h"
#include "screens.h"
#include "tui.h"
#include "xalloc.h"

#define LINES_MAX 12

struct seal {
	char tx[24];
	char person[24];          /* the transaction's subject, "" while none */
	char pending[24];         /* 受付番号 of an application waiting for its answer */
	char info[512];           /* the transaction in one line */
	struct md_result seals;   /* seal.show of the subject */
	char *lines[LINES_MAX];   /* the last result's lines (the 照会書) */
	int nlines;
	int loaded;
	struct panel p;           /* the registration */
	int method, guarantor;    /* rows of p */
	int questioning;          /* the verification is by questioning (聞き取り) */
	int confirm_cancel;       /* F7 pressed once: the next F7 cancels */
};

static const struct keybind seal_keys[] = {
	{ ACT_ADD, 2, 0, N_("Verify"), 0 },
	{ ACT_DISABLE, 4, 0, N_("Subject"), 0 },
	{ ACT_SUBMIT, 5, 0, N_("Register"), 0 },
	{ ACT_GRANT, 6, 0, N_("Answer 照会書"), 0 },
	{ ACT_REVOKE, 7, 0, N_("Cancel (廃止)"), 0 },
	{ ACT_UNLOCK_USER, 8, 0, N_("Close"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

/* How a seal is registered (seal.register method), by its legal name. */
static const char *const method_codes[] = { "photo_id", "guarantor", "inquiry" };
static const char *const method_names[] = { "即日登録（写真付き本人確認書類）", "保証人による登録",
	                                    "照会書による登録（郵送）" };

/* The fields of a registration: short labels, and the hint shown above
 * the form for the focused one. */
static const struct {
	const char *key, *label, *hint;
	size_t max;
} fields[] = {
	{ "method", N_("Method"),
	  N_("←→: at once with a photo ID; by a 保証人; or by a 照会書 mailed to the registered address"), 0 },
	{ "png", N_("Impression PNG"), N_("The PNG file of the scanned impression (at most 2 MB)"), 250 },
	{ "mm", N_("Size (mm)"), N_("The size of the seal in mm, e.g. 15.0; empty: from the PNG's resolution"), 10 },
	{ "name", N_("Name on the seal"), N_("The characters the seal shows: 氏名, 氏, 名, 旧氏 or 通称"), 60 },
	{ "guarantor", N_("Guarantor"), N_("The guarantor's 宛名番号: a person with a registered seal"), 20 },
	{ "memo", N_("メモ"), N_("A memo kept with the registration (optional)"), 200 },
};
#define NFIELDS (sizeof fields / sizeof fields[0])

/* The value of an item/value row of a result whose item is label. */
static const char *item(const struct md_result *r, const char *label)
{
	for (int i = 0; i < r->table.nrows; i++)
		if (strcmp(r->table.rows[i][0], label) == 0)
			return r->table.rows[i][1];
	return "";
}

static void clear_lines(struct seal *s)
{
	for (int i = 0; i < s->nlines; i++)
		free(s->lines[i]);
	s->nlines = 0;
}

static void keep_lines(struct seal *s, const struct md_result *r)
{
	clear_lines(s);
	for (int i = 0; i < r->nlines && s->nlines < LINES_MAX; i++)
		s->lines[s->nlines++] = xstrdup(r->lines[i]);
}

/* Reads the transaction and the subject's registrations again. */
static void load(struct seal *s, struct app *app)
{
	struct md_args args;
	struct md_result r;
	struct md_error err;

	s->loaded = 1;
	s->person[0] = s->pending[0] = '\0';
	md_args_init(&args);
	md_args_set(&args, "transaction", s->tx);
	md_result_init(&r);
	if (md_cmd_exec(app->ctx, "counter.show", &args, &r, &err) != MD_OK) {
		snprintf(s->info, sizeof s->info, "%s", err.msg);
		md_result_release(&r);
		return;
	}
	snprintf(s->person, sizeof s->person, "%s", item(&r, _("subject 宛名番号")));
	{
		/* Identity by questioning allows only the mailed inquiry (照会書):
		 * the method starts there. */
		int q = strcmp(item(&r, _("outcome")), _("not verified")) == 0;
		if (q && !s->questioning)
			s->p.rows[s->method].choice = 2;
		s->questioning = q;
	}
	snprintf(s->info, sizeof s->info, _("Counter transaction %s: %s, %s %s; 宛名番号 %s"), s->tx,
	         item(&r, _("status")), item(&r, _("category")), item(&r, _("applicant name")),
	         *s->person ? s->person : "-");
	md_result_release(&r);

	md_result_release(&s->seals);
	md_result_init(&s->seals);
	if (!*s->person)
		return;
	md_args_init(&args);
	md_args_set(&args, "person", s->person);
	if (md_cmd_exec(app->ctx, "seal.show", &args, &s->seals, &err) != MD_OK) {
		app_message(app, 1, "%s", err.msg);
		return;
	}
	for (int i = 0; i < s->seals.table.nrows; i++)
		if (strcmp(s->seals.table.rows[i][1], "pending") == 0)
			snprintf(s->pending, sizeof s->pending, "%s", s->seals.table.rows[i][0]);
}

/* Why a registration ended, by its legal term (seal.c's reason codes). */
static const char *reason_term(const char *code)
{
	static const char *const terms[][2] = {
		{ "request", "廃止届" }, { "ex_officio", "職権抹消" }, { "moved_out", "転出" },
		{ "death", "死亡" }, { "expired", "照会書の回答期限切れ" },
	};
	for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++)
		if (strcmp(terms[i][0], code) == 0)
			return terms[i][1];
	return code;
}

/* A seal.show row in one line: 受付番号, status, method, card, dates. */
static char *seal_line(const struct md_result *r, int i)
{
	const char *const *v = (const char *const *)r->table.rows[i];
	if (strcmp(v[1], "pending") == 0)
		return xasprintf(_("No. %s  照会書: answer due %s  印影 %s %s mm"), v[0], v[6], v[9], v[10]);
	if (strcmp(v[1], "registered") == 0)
		return xasprintf(_("No. %s  registered %s  印鑑登録証 %s  印影 %s %s mm"), v[0], v[5], v[3], v[9],
		                 v[10]);
	return xasprintf(_("No. %s  cancelled on %s (%s)  印鑑登録証 %s"), v[0], v[7], reason_term(v[8]), v[3]);
}

static void seal_draw(struct screen *sc, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct seal *s = sc->data;
	int y = top, shown;

	if (!s->loaded || app->dirty) {
		app->dirty = 0;
		load(s, app);
	}
	attron(A_BOLD);
	draw_text(w, y++, 2, cols - 4, s->info);
	attroff(A_BOLD);
	if (!*s->person) {
		draw_text(w, y++, 4, cols - 8, _("No subject yet: verify the applicant (F2), then set the subject (F4)."));
	} else if (s->seals.table.nrows == 0) {
		draw_text(w, y++, 4, cols - 8, _("No seal registered for this person."));
	} else {
		shown = s->seals.table.nrows < 3 ? s->seals.table.nrows : 3;
		for (int i = 0; i < shown; i++) {
			char *line = seal_line(&s->seals, i);
			y += draw_wrapped(w, y, 4, cols - 8, 2, line);
			free(line);
		}
	}
	if (s->questioning && *s->person)
		y += draw_wrapped(w, y, 4, cols - 8, 2,
		                  _("Identity by questioning (聞き取り): only a registration by a mailed 照会書 is possible."));
	y++;
	{
		const char *key = s->p.rows[s->p.focus].key;
		for (size_t i = 0; i < NFIELDS; i++)
			if (strcmp(fields[i].key, key) == 0)
				y += draw_wrapped(w, y, 4, cols - 8, 2, _(fields[i].hint));
	}
	panel_draw(&s->p, sc, w, y + 1, rows - (y + 1 - top) - (s->nlines ? s->nlines + 1 : 0), cols);
	y = top + rows - s->nlines - 1;
	for (int i = 0; i < s->nlines && y < top + rows; i++)
		draw_text(w, ++y, 4, cols - 8, s->lines[i]);
}

static int run(struct seal *s, struct app *app, const char *command, struct md_args *args)
{
	struct md_result r;
	struct md_error err;
	int rc;

	md_result_init(&r);
	rc = app_exec(app, command, args, &r, &err);
	if (rc == MD_OK) {
		keep_lines(s, &r);
		app->dirty = 1;
	} else {
		panel_focus_key(&s->p, err.field);
	}
	md_result_release(&r);
	return rc;
}

static int do_register(struct screen *sc, struct app *app)
{
	struct seal *s = sc->data;
	struct md_args args;
	char *v[MD_ARGS_MAX] = { 0 };
	int n = 0;

	md_args_init(&args);
	md_args_set(&args, "transaction", s->tx);
	md_args_set(&args, "method", panel_code(&s->p, s->method));
	for (int i = 0; i < s->p.n && n < MD_ARGS_MAX; i++) {
		if (s->p.rows[i].kind != PR_TEXT || s->p.rows[i].hidden)
			continue;
		v[n] = panel_value(&s->p, i);
		if (*v[n])
			md_args_set(&args, s->p.rows[i].key, v[n]);
		n++;
	}
	if (!md_args_get(&args, "person") && *s->person)
		md_args_set(&args, "person", s->person);
	if (run(s, app, "seal.register", &args) == MD_OK) {
		/* Done: the next registration starts afresh. */
		for (int i = 0; i < s->p.n; i++)
			if (s->p.rows[i].kind == PR_TEXT)
				le_clear(&s->p.rows[i].le);
		panel_focus_key(&s->p, "png");
	}
	for (int i = 0; i < n; i++)
		free(v[i]);
	return SCR_REDRAW;
}

static int seal_key(struct screen *sc, struct app *app, enum action a, struct keypress k)
{
	struct seal *s = sc->data;
	struct md_args args;

	md_args_init(&args);
	if (a != ACT_REVOKE)
		s->confirm_cancel = 0;
	switch (a) {
	case ACT_BACK:
		return SCR_CLOSE;
	case ACT_SUBMIT:
		return do_register(sc, app);
	case ACT_ADD:
		app->next = cmdform_screen_new("counter.verify", "transaction", s->tx);
		return SCR_PUSH;
	case ACT_DISABLE:
		app->next = cmdform_screen_new("counter.subject", "transaction", s->tx);
		return SCR_PUSH;
	case ACT_GRANT:
		if (!*s->pending) {
			app_message(app, 1, "%s", _("This person has no seal application waiting for the answer to its 照会書."));
			return SCR_REDRAW;
		}
		md_args_set(&args, "id", s->pending);
		md_args_set(&args, "transaction", s->tx);
		run(s, app, "seal.answer", &args);
		return SCR_REDRAW;
	case ACT_REVOKE:
		if (!*s->person) {
			app_message(app, 1, "%s", _("Set the subject first (F4)."));
			return SCR_REDRAW;
		}
		/* Ending a registration is not undone: a second F7 confirms. */
		if (!s->confirm_cancel) {
			s->confirm_cancel = 1;
			app_message(app, 1, _("F7 again: cancel (廃止) the seal registration of 宛名番号 %s on the holder's request; any other key: keep it."),
			            s->person);
			return SCR_REDRAW;
		}
		s->confirm_cancel = 0;
		md_args_set(&args, "person", s->person);
		md_args_set(&args, "transaction", s->tx);
		md_args_set(&args, "reason", "request");
		run(s, app, "seal.cancel", &args);
		return SCR_REDRAW;
	case ACT_UNLOCK_USER:
		md_args_set(&args, "transaction", s->tx);
		if (run(s, app, "counter.close", &args) != MD_OK)
			return SCR_REDRAW;
		/* Nothing of the subject stays: the whole stack of the transaction
		 * goes (also the reception screen it may come from), the menu shows. */
		app->next = menu_screen_new(app);
		return SCR_RESET;
	default: {
		int r = panel_key(&s->p, app, k);
		panel_show(&s->p, s->guarantor, strcmp(panel_code(&s->p, s->method), "guarantor") == 0);
		if (r < 0 && ((k.is_key && k.code == KEY_ENTER) || (!k.is_key && (k.code == '\r' || k.code == '\n'))))
			return do_register(sc, app);
		return r < 0 ? SCR_NONE : r;
	}
	}
}

static void seal_free(struct screen *sc)
{
	struct seal *s = sc->data;
	clear_lines(s);
	md_result_release(&s->seals);
	panel_release(&s->p);
	free(s);
}

static const struct screen_class seal_class = {
	"seal", N_("Seal registration (印鑑登録)"), seal_keys, 1, seal_draw, seal_key, seal_free
};

struct screen *seal_screen_new(struct app *app, long long transaction)
{
	struct seal *s = xcalloc(1, sizeof *s);
	(void)app;
	snprintf(s->tx, sizeof s->tx, "%lld", transaction);
	md_result_init(&s->seals);
	panel_init(&s->p);
	s->method = panel_choice(&s->p, "method", _(fields[0].label), method_codes, method_names, 3);
	for (size_t i = 1; i < NFIELDS; i++) {
		int r = panel_text(&s->p, fields[i].key, _(fields[i].label), fields[i].max, 0);
		if (strcmp(fields[i].key, "guarantor") == 0)
			s->guarantor = r;
	}
	panel_show(&s->p, s->guarantor, 0);
	return screen_new(&seal_class, s);
}

/* ---- the menu entry: which transaction -------------------------------------------------- */

struct pick {
	struct form fm;
};

static const struct keybind pick_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Open"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void pick_draw(struct screen *sc, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct pick *p = sc->data;
	(void)app;
	draw_text(w, top + 1, 4, cols - 8,
	          _("Its counter transaction: the number, or empty to open a new one."));
	form_draw(&p->fm, w, top + 3, 4, form_label_width(&p->fm), 20, rows - 4, &sc->cursor_y, &sc->cursor_x);
}

static int pick_submit(struct screen *sc, struct app *app)
{
	struct pick *p = sc->data;
	char *v = form_value(&p->fm, 0);
	long long tx = 0;
	char *end = NULL;

	if (!*v) {
		struct md_args args;
		struct md_result r;
		struct md_error err;
		md_args_init(&args);
		md_args_set(&args, "request", "seal");
		md_result_init(&r);
		if (app_exec(app, "counter.open", &args, &r, &err) == MD_OK && r.table.nrows == 1)
			tx = strtoll(r.table.rows[0][0], NULL, 10);
		md_result_release(&r);
	} else {
		tx = strtoll(v, &end, 10);
		if (*end || tx <= 0) {
			app_message(app, 1, _("\"%s\" is not a counter transaction number."), v);
			tx = 0;
		} else {
			/* The transaction must be there and this user's to see. */
			struct md_args args;
			struct md_result r;
			struct md_error err;
			md_args_init(&args);
			md_args_set(&args, "transaction", v);
			md_result_init(&r);
			if (md_cmd_exec(app->ctx, "counter.show", &args, &r, &err) != MD_OK) {
				app_message(app, 1, "%s", err.msg);
				tx = 0;
			}
			md_result_release(&r);
		}
	}
	free(v);
	if (tx <= 0)
		return SCR_REDRAW;
	app->next = seal_screen_new(app, tx);
	return SCR_CLOSE | SCR_PUSH;
}

static int pick_key(struct screen *sc, struct app *app, enum action a, struct keypress k)
{
	struct pick *p = sc->data;
	if (a == ACT_BACK)
		return SCR_CLOSE;
	if (a == ACT_SUBMIT)
		return pick_submit(sc, app);
	return form_dispatch(&p->fm, k, sc, app, pick_submit);
}

static void pick_free(struct screen *sc)
{
	struct pick *p = sc->data;
	form_release(&p->fm);
	free(p);
}

static const struct screen_class pick_class = {
	"sealpick", N_("Seal registration (印鑑登録)"), pick_keys, 1, pick_draw, pick_key, pick_free
};

struct screen *seal_pick_screen_new(struct app *app)
{
	struct pick *p = xcalloc(1, sizeof *p);
	(void)app;
	form_init(&p->fm);
	form_add(&p->fm, "transaction", _("Counter transaction"), 12, 0);
	return screen_new(&pick_class, p);
}
