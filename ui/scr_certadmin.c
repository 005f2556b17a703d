/* scr_certadmin.c: the supervisor's screens of the counter (交付管理): the
 * issuance history with the void (処分) of a copy, the daily summary, the
 * alerts waiting for an override, and the letters to print and mail. Each
 * is a command of the core shown as a list; the forms are generated from
 * the commands' arguments, with the values the screen already knows fixed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ctx.h"
#include "form.h"
#include "i18n.h"
#include "panel.h"
#include "scr_list.h"
#include "screens.h"
#include "tui.h"
#include "xalloc.h"

/* ---- a command's form with fixed values ------------------------------------------------ */

#define FIXED_MAX 4

typedef struct screen *(*list_maker)(struct app *app, const struct md_args *args);

struct pform {
	const struct md_cmd_entry *e;
	struct form fm;
	char *key[FIXED_MAX], *val[FIXED_MAX];
	int nfixed;
	list_maker list;       /* set: the fields filter a list (pushed on F5), nothing is run */
	char *title;
};

static const struct keybind run_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Run"), 0 },
	{ ACT_BACK, 3, 0, N_("Cancel"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};
static const struct keybind show_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Show"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static const char *arg_help(const struct md_cmd_entry *e, const char *name)
{
	for (const struct md_arg_spec *a = e->args; a && a->name; a++)
		if (strcmp(a->name, name) == 0)
			return _(a->help);
	return name;
}

static void pform_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct pform *p = s->data;
	int lw = form_label_width(&p->fm), y = top + 1;

	(void)app;
	for (int i = 0; i < p->nfixed; i++, y++) {
		char *line = xasprintf("%s: %s", arg_help(p->e, p->key[i]), p->val[i]);
		draw_text(w, y, 4, cols - 8, line);
		free(line);
	}
	if (lw > cols - 4 - 2 - 30 - 2)
		lw = cols - 4 - 2 - 30 - 2;
	if (p->fm.n > 0) {
		/* The focused field's whole description (its label may be cut). */
		attron(A_BOLD);
		y += draw_wrapped(w, y, 4, cols - 8, 2, form_help(&p->fm));
		attroff(A_BOLD);
	}
	form_draw(&p->fm, w, y + 1, 4, lw, cols - lw - 10, top + rows - y - 1, &s->cursor_y, &s->cursor_x);
}

static int pform_submit(struct screen *s, struct app *app)
{
	struct pform *p = s->data;
	struct md_args args;
	struct md_result res;
	struct md_error err;
	char *vals[MD_ARGS_MAX] = { 0 };
	int rc, flags = SCR_REDRAW;

	md_args_init(&args);
	for (int i = 0; i < p->nfixed; i++)
		md_args_set(&args, p->key[i], p->val[i]);
	for (int i = 0; i < p->fm.n && i < MD_ARGS_MAX; i++) {
		vals[i] = form_value(&p->fm, i);
		if (*vals[i])
			md_args_set(&args, p->fm.f[i].key, vals[i]);
	}
	if (p->list) {
		app->next = p->list(app, &args);
		flags = SCR_PUSH;
	} else {
		md_result_init(&res);
		rc = app_exec(app, p->e->name, &args, &res, &err);
		md_result_release(&res);
		if (rc == MD_OK) {
			app->dirty = 1;
			flags = SCR_CLOSE;
		} else {
			int f = form_find(&p->fm, err.field);
			if (f >= 0)
				p->fm.focus = f;
		}
	}
	for (int i = 0; i < p->fm.n && i < MD_ARGS_MAX; i++)
		free(vals[i]);
	return flags;
}

static int pform_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct pform *p = s->data;
	if (a == ACT_BACK) {
		app->message[0] = '\0';
		return SCR_CLOSE;
	}
	if (a == ACT_SUBMIT)
		return pform_submit(s, app);
	return form_dispatch(&p->fm, k, s, app, pform_submit);
}

static void pform_free(struct screen *s)
{
	struct pform *p = s->data;
	form_release(&p->fm);
	for (int i = 0; i < p->nfixed; i++) {
		free(p->key[i]);
		free(p->val[i]);
	}
	free(p->title);
	free(p);
}

static const struct screen_class pform_run_class = {
	"presetform", N_("Command"), run_keys, 1, pform_draw, pform_key, pform_free
};
static const struct screen_class pform_show_class = {
	"filterform", N_("Command"), show_keys, 1, pform_draw, pform_key, pform_free
};

/* fixed: the arguments already known (shown, not asked); defaults: values
 * put in the fields. */
static struct screen *pform_new(const char *command, const struct md_args *fixed,
                                const struct md_args *defaults, list_maker list, const char *title)
{
	struct pform *p = xcalloc(1, sizeof *p);
	const struct md_cmd_entry *e = md_cmd_find(command);
	struct screen *s;

	p->e = e;
	p->list = list;
	form_init(&p->fm);
	for (int i = 0; fixed && i < fixed->n && p->nfixed < FIXED_MAX; i++) {
		p->key[p->nfixed] = xstrdup(fixed->key[i]);
		p->val[p->nfixed++] = xstrdup(fixed->val[i] ? fixed->val[i] : "");
	}
	for (const struct md_arg_spec *a = e->args; a && a->name; a++) {
		const char *v = defaults ? md_args_get(defaults, a->name) : NULL;
		int f;
		if (fixed && md_args_get(fixed, a->name))
			continue;
		f = form_add_described(&p->fm, a->name, _(a->help), a->required && !list, 200,
		                       a->kind == MD_ARG_SECRET);
		if (v)
			le_set_utf8(&p->fm.f[f].le, v);
	}
	s = screen_new(list ? &pform_show_class : &pform_run_class, p);
	p->title = xstrdup(title ? title : _(e->help));
	s->title = p->title;
	return s;
}

struct screen *presetform_screen_new(const char *command, const struct md_args *fixed)
{
	return pform_new(command, fixed, NULL, NULL, NULL);
}

/* ---- the issuance history and the void ------------------------------------------------- */

static const struct keybind history_keys[] = {
	{ ACT_GRANT, 6, 0, N_("Print again"), 0 },
	{ ACT_REVOKE, 7, 0, N_("Void (処分)"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

/* Columns: id issued_at terminal user certificate subject members items pages
 * issue_number requester fee printed voided */
static const int history_widths[] = { 3, 16, -1, 8, 16, -1, -1, -1, -1, -1, 10, 4, -1, 14 };

/* The core's certificate tables name their columns in the user's
 * language: cells are found by the translated names. */
static int history_action(struct app *app, struct list *l, enum action a, const char *const *row, int n)
{
	const char *id = list_row_cell(l, row, _("id"));
	struct md_args fixed;

	(void)n;
	if (a == ACT_GRANT && id) {
		/* After a printer failure: cert print, which says what it did. */
		struct md_result res;
		struct md_error err;
		md_args_init(&fixed);
		md_args_set(&fixed, "id", id);
		md_result_init(&res);
		if (app_exec(app, "cert.print", &fixed, &res, &err) == MD_OK)
			app->dirty = 1;
		md_result_release(&res);
		return SCR_REDRAW;
	}
	if (a != ACT_REVOKE || !id)
		return SCR_NONE;
	md_args_init(&fixed);
	md_args_set(&fixed, "id", id);
	app->next = presetform_screen_new("cert.void", &fixed);
	return SCR_PUSH;
}

static struct screen *history_list(struct app *app, const struct md_args *args)
{
	struct list_spec spec = { _("Issuance history (交付履歴)"), "cert.history", history_keys,
	                          history_action, history_widths, NULL, NULL };
	(void)app;
	return list_screen_new(&spec, args);
}

/* ---- the daily summary ------------------------------------------------------------------ */

/* Columns: terminal type certificate issued voided net official fees issued,
 * refunded, net */
static const int summary_widths[] = { 8, -1, 14, 6, 6, 6, 6, 7, 7, 7 };

static struct screen *summary_list(struct app *app, const struct md_args *args)
{
	struct list_spec spec = { _("Daily summary (件数・手数料)"), "cert.summary", NULL, NULL, summary_widths,
	                          NULL, NULL };
	(void)app;
	return list_screen_new(&spec, args);
}

/* ---- overrides ------------------------------------------------------------------------------ */

static const struct keybind overrides_keys[] = {
	{ ACT_GRANT, 6, 0, N_("Override"), 0 },
	{ ACT_UNLOCK_USER, 8, 0, N_("Attempts (支援措置)"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

/* Columns: id transaction clerk terminal person name type status time reason
 * granted_by used_by state alert (status is the code, state its words; alert
 * the reason of the 抑止) */
static const int overrides_widths[] = { -1, 8, 8, -1, 6, 10, -1, -1, -1, 12, -1, -1, 10, 18 };

static int overrides_action(struct app *app, struct list *l, enum action a, const char *const *row, int n)
{
	struct md_args fixed;
	(void)n;

	if (a == ACT_UNLOCK_USER) {
		struct list_spec spec = { _("Attempts on protected persons"), "support.attempts", NULL, NULL, NULL,
		                          NULL, NULL };
		app->next = list_screen_new(&spec, NULL);
		return SCR_PUSH;
	}
	if (a != ACT_GRANT || !row)
		return SCR_NONE;
	if (strcmp(list_row_cell(l, row, _("status")), "waiting") != 0) {
		app_message(app, 1, "%s", _("Only a request waiting for a supervisor can be overridden."));
		return SCR_REDRAW;
	}
	md_args_init(&fixed);
	md_args_set(&fixed, "transaction", list_row_cell(l, row, _("transaction")));
	md_args_set(&fixed, "person", list_row_cell(l, row, _("person")));
	app->next = presetform_screen_new("cert.override", &fixed);
	return SCR_PUSH;
}

static struct screen *overrides_screen(void)
{
	struct list_spec spec = { _("Alerts waiting for an override (抑止)"), "cert.overrides", overrides_keys,
	                          overrides_action, overrides_widths, NULL, NULL };
	return list_screen_new(&spec, NULL);
}

/* ---- letters ------------------------------------------------------------------------------- */

static const struct keybind letters_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Print"), 0 },
	{ ACT_GRANT, 6, 0, N_("Mark mailed"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

/* Columns: kind id person name created printed mailed letter (kind is the
 * code, letter its name) */
static const int letters_widths[] = { -1, 5, 6, 14, 16, 16, -1, 8 };

static int letters_action(struct app *app, struct list *l, enum action a, const char *const *row, int n)
{
	struct md_args args;
	struct md_result res;
	struct md_error err;
	(void)n;

	if ((a != ACT_SUBMIT && a != ACT_GRANT) || !row)
		return SCR_NONE;
	md_args_init(&args);
	md_args_set(&args, "id", list_row_cell(l, row, _("id")));
	md_args_set(&args, "kind", list_row_cell(l, row, _("kind")));
	md_result_init(&res);
	if (app_exec(app, a == ACT_SUBMIT ? "cert.letter" : "cert.letter_done", &args, &res, &err) == MD_OK)
		app->dirty = 1;
	md_result_release(&res);
	return SCR_REDRAW;
}

static struct screen *letters_screen(void)
{
	struct list_spec spec = { _("Letters to print and mail (確認通知・照会書)"), "cert.letters", letters_keys,
	                          letters_action, letters_widths, NULL, NULL };
	return list_screen_new(&spec, NULL);
}

/* ---- the menu of 交付管理 ------------------------------------------------------------------- */

enum sup_item { SUP_HISTORY, SUP_SUMMARY, SUP_OVERRIDES, SUP_LETTERS };

static const struct {
	enum sup_item kind;
	const char *command;
	const char *label;
} sup_items[] = {
	{ SUP_HISTORY, "cert.void", N_("Issuance history and void (交付履歴・処分)") },
	{ SUP_SUMMARY, "cert.summary", N_("Daily summary (件数・手数料)") },
	{ SUP_OVERRIDES, "cert.overrides", N_("Alerts waiting for an override (抑止)") },
	{ SUP_LETTERS, "cert.letters", N_("Letters to print and mail (確認通知・照会書)") },
};
#define NSUP (int)(sizeof sup_items / sizeof sup_items[0])

struct supmenu {
	int items[NSUP];
	int n, sel;
};

static const struct keybind supmenu_keys[] = {
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void supmenu_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct supmenu *m = s->data;
	(void)app;
	(void)rows;
	for (int i = 0; i < m->n; i++) {
		char *line = xasprintf(" %d. %s ", i + 1, _(sup_items[m->items[i]].label));
		if (i == m->sel)
			attron(A_REVERSE);
		draw_text(w, top + 1 + i, 4, cols - 8, line);
		if (i == m->sel)
			attroff(A_REVERSE);
		free(line);
	}
	draw_text(w, top + 2 + m->n, 4, cols - 8, _("Choose with the arrows and Enter, or the number."));
}

static int supmenu_choose(struct app *app, enum sup_item kind)
{
	struct md_args defaults;

	md_args_init(&defaults);
	switch (kind) {
	case SUP_HISTORY:
		md_args_set(&defaults, "terminal", "all");
		app->next = pform_new("cert.history", NULL, &defaults, history_list,
		                      _("Issuance history (交付履歴): which copies"));
		break;
	case SUP_SUMMARY:
		app->next = pform_new("cert.summary", NULL, &defaults, summary_list,
		                      _("Daily summary (件数・手数料): which day and terminal"));
		break;
	case SUP_OVERRIDES:
		app->next = overrides_screen();
		break;
	case SUP_LETTERS:
		app->next = letters_screen();
		break;
	}
	return SCR_PUSH;
}

static int supmenu_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct supmenu *m = s->data;

	if (a == ACT_BACK)
		return SCR_CLOSE;
	if (m->n == 0)
		return SCR_NONE;
	if (k.is_key && k.code == KEY_UP) {
		m->sel = (m->sel + m->n - 1) % m->n;
		return SCR_REDRAW;
	}
	if (k.is_key && k.code == KEY_DOWN) {
		m->sel = (m->sel + 1) % m->n;
		return SCR_REDRAW;
	}
	if ((k.is_key && k.code == KEY_ENTER) || (!k.is_key && (k.code == '\r' || k.code == '\n')))
		return supmenu_choose(app, sup_items[m->items[m->sel]].kind);
	if (!k.is_key && k.code >= '1' && (int)(k.code - '1') < m->n) {
		m->sel = (int)(k.code - '1');
		return supmenu_choose(app, sup_items[m->items[m->sel]].kind);
	}
	return SCR_NONE;
}

static void supmenu_free(struct screen *s)
{
	free(s->data);
}

static const struct screen_class supmenu_class = {
	"certadmin", N_("Certificate supervision (交付管理)"), supmenu_keys, 1, supmenu_draw, supmenu_key,
	supmenu_free
};

struct screen *certadmin_screen_new(struct app *app)
{
	struct supmenu *m = xcalloc(1, sizeof *m);
	for (int i = 0; i < NSUP; i++)
		if (md_cmd_allowed(app->ctx, sup_items[i].command))
			m->items[m->n++] = i;
	return screen_new(&supmenu_class, m);
}
