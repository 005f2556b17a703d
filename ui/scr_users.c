/* scr_users.c: user administration: the list of accounts (status, roles,
 * last login, end date); one account with every grant it was given and the
 * actions on it (grant, temporary grant, revoke, disable, reset password,
 * unlock, terminals); the revocation register and the access review. Every
 * action and report runs a core command (user.*), which checks user.manage,
 * validates and audits. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ctx.h"
#include "form.h"
#include "i18n.h"
#include "screens.h"
#include "textwidth.h"
#include "tui.h"
#include "useradmin_ui.h"
#include "xalloc.h"

/* ---- a command's table drawn in columns -------------------------------------- */

struct column {
	const char *id;      /* the core's column name */
	const char *label;   /* N_() */
	int width;           /* columns; 0: takes what is left */
};

struct table_view {
	const char *command;
	char arg_id[64];                 /* "id" argument, or "" */
	const struct column *cols;       /* NULL id ends */
	struct md_result res;
	int loaded, sel, scroll;
};

static int column_index(const struct md_table *t, const char *id)
{
	for (int c = 0; c < t->ncols; c++)
		if (strcmp(t->cols[c], id) == 0)
			return c;
	return -1;
}

/* keep: a reload after an action; the action's message stays on the line. */
static void tv_load(struct table_view *v, struct app *app, int keep)
{
	struct md_args args;
	struct md_error err;

	md_result_release(&v->res);
	md_result_init(&v->res);
	md_args_init(&args);
	if (v->arg_id[0])
		md_args_set(&args, "id", v->arg_id);
	if (md_cmd_exec(app->ctx, v->command, &args, &v->res, &err) != MD_OK)
		app_message(app, 1, "%s", err.msg);
	else if (v->res.message && !(keep && app->message[0]))
		app_message(app, 0, "%s", v->res.message);
	v->loaded = 1;
	if (v->sel >= v->res.table.nrows)
		v->sel = v->res.table.nrows ? v->res.table.nrows - 1 : 0;
}

/* One line of cells (row < 0: the header) into buf. */
static void tv_line(const struct table_view *v, int row, int cols, char *buf, size_t n)
{
	const struct md_table *t = &v->res.table;
	int fixed = 0, ncols = 0;
	size_t len = 0;

	for (const struct column *c = v->cols; c->id; c++, ncols++)
		fixed += c->width + 1;
	buf[0] = '\0';
	for (const struct column *c = v->cols; c->id && len + 1 < n; c++) {
		int i = column_index(t, c->id);
		int w = c->width ? c->width : cols - fixed - 1;
		const char *text = row < 0 ? _(c->label) : i >= 0 ? t->rows[row][i] : "";
		char *p;
		if (w < 4)
			w = 4;
		p = tw_pad(text, w);
		len += (size_t)snprintf(buf + len, n - len, "%s ", p);
		free(p);
	}
}

/* Draws the table in rows [top, top + rows). */
static void tv_draw(struct table_view *v, WINDOW *w, int top, int rows, int cols)
{
	const struct md_table *t = &v->res.table;
	char line[2048];
	int visible = rows - 1;

	attron(A_UNDERLINE);
	tv_line(v, -1, cols - 2, line, sizeof line);
	draw_text(w, top, 1, cols - 2, line);
	attroff(A_UNDERLINE);
	if (t->nrows == 0)
		draw_text(w, top + 1, 2, cols - 4, _("(nothing)"));
	if (v->sel < v->scroll)
		v->scroll = v->sel;
	if (visible > 0 && v->sel >= v->scroll + visible)
		v->scroll = v->sel - visible + 1;
	for (int i = 0; i < visible && v->scroll + i < t->nrows; i++) {
		int r = v->scroll + i;
		tv_line(v, r, cols - 2, line, sizeof line);
		if (r == v->sel)
			attron(A_REVERSE);
		draw_text(w, top + 1 + i, 1, cols - 2, line);
		if (r == v->sel)
			attroff(A_REVERSE);
	}
}

/* Arrows and pages move the selection; returns 1 when the key was one. */
static int tv_move(struct table_view *v, struct keypress k)
{
	int n = v->res.table.nrows;
	if (!k.is_key)
		return 0;
	if (k.code == KEY_UP && v->sel > 0)
		v->sel--;
	else if (k.code == KEY_DOWN && v->sel + 1 < n)
		v->sel++;
	else if (k.code == KEY_NPAGE)
		v->sel = v->sel + 10 < n ? v->sel + 10 : (n ? n - 1 : 0);
	else if (k.code == KEY_PPAGE)
		v->sel = v->sel > 10 ? v->sel - 10 : 0;
	else
		return k.code == KEY_UP || k.code == KEY_DOWN;
	return 1;
}

static const char *tv_cell(const struct table_view *v, const char *id)
{
	const struct md_table *t = &v->res.table;
	int c = column_index(t, id);
	if (c < 0 || v->sel < 0 || v->sel >= t->nrows)
		return NULL;
	return t->rows[v->sel][c];
}

static int is_enter(struct keypress k)
{
	return (k.is_key && k.code == KEY_ENTER) || (!k.is_key && (k.code == '\r' || k.code == '\n'));
}

/* Every column of the selected row, one per line, on a page of its own. */
static struct screen *row_page(const struct table_view *v, const char *title)
{
	const struct md_table *t = &v->res.table;
	char *lines[32];
	int n = 0;
	struct screen *s;

	for (const struct column *c = v->cols; c->id && n < 32; c++)
		if (column_index(t, c->id) >= 0)
			lines[n++] = xasprintf("%s: %s", _(c->label), tv_cell(v, c->id));
	s = message_screen_new(title, (const char *const *)lines, n);
	for (int i = 0; i < n; i++)
		free(lines[i]);
	return s;
}

/* ---- reports: the revocation register, the access review ---------------------- */

struct report {
	struct table_view v;
	const struct column *all;   /* every column, for the page of one row */
	const char *title;
	char from[16], to[16];      /* the register's period, "" for none */
};

static const struct column revocation_cols[] = {
	{ "date", N_("Date"), 16 },
	{ "user", N_("User"), 10 },
	{ "event", N_("Event"), 16 },
	{ "what", N_("Role/permission"), 13 },
	{ "by", N_("By"), 8 },
	{ "reason", N_("Reason"), 0 },
	{ NULL, NULL, 0 }
};
static const struct column revocation_all[] = {
	{ "date", N_("Date"), 0 }, { "user", N_("User"), 0 }, { "name", N_("Name"), 0 },
	{ "event", N_("Event"), 0 }, { "what", N_("Role or permission"), 0 }, { "by", N_("By"), 0 },
	{ "reason", N_("Reason"), 0 }, { NULL, NULL, 0 }
};
static const struct column review_cols[] = {
	{ "user", N_("User"), 11 },
	{ "status", N_("Status"), 10 },
	{ "last_login", N_("Last login"), 12 },
	{ "what", N_("Role/permission"), 15 },
	{ "to", N_("To"), 10 },
	{ "dormant", N_("Dormant"), 0 },
	{ NULL, NULL, 0 }
};
static const struct column review_all[] = {
	{ "user", N_("User"), 0 }, { "name", N_("Name"), 0 }, { "status", N_("Status"), 0 },
	{ "last_login", N_("Last login"), 0 }, { "dormant", N_("Dormant"), 0 },
	{ "what", N_("Role or permission"), 0 }, { "from", N_("From"), 0 }, { "to", N_("To"), 0 },
	{ "granted_by", N_("Granted by"), 0 }, { "granted_at", N_("Granted on"), 0 },
	{ "reason", N_("Reason for the grant"), 0 }, { NULL, NULL, 0 }
};

static const struct keybind report_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Details"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static const struct keybind register_keys[] = {
	{ ACT_ADD, 2, 0, N_("Dates"), 0 },
	{ ACT_SUBMIT, 5, 0, N_("Details"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void report_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct report *r = s->data;
	if (!r->v.loaded)
		tv_load(&r->v, app, 0);
	if (r->from[0] || r->to[0]) {
		char *line = xasprintf(_("Period: %s to %s"), r->from[0] ? r->from : "…",
		                       r->to[0] ? r->to : "…");
		draw_text(w, top, 2, cols - 4, line);
		free(line);
		top += 2;
		rows -= 2;
	}
	tv_draw(&r->v, w, top, rows, cols);
}

/* The register's period: the form runs the command itself, so a date the
 * core refuses keeps the form open on that field, and the report shows the
 * result it got (one run, one audit entry). */
struct period {
	struct form fm;
	struct report *r;    /* the report below this form */
};

static const struct keybind period_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Show"), 0 },
	{ ACT_BACK, 3, 0, N_("Cancel"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void period_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct period *p = s->data;
	draw_text(w, top + 1, 2, cols - 4, _("A date such as R8.4.1 or 2026-04-01; either may be empty."));
	form_draw(&p->fm, w, top + 3, 4, form_label_width(&p->fm), 12, rows - 3, &s->cursor_y,
	          &s->cursor_x);
}

static int period_submit(struct screen *s, struct app *app)
{
	struct period *p = s->data;
	char *from = form_value(&p->fm, 0), *to = form_value(&p->fm, 1);
	struct md_args args;
	struct md_result res;
	struct md_error err;
	int flags = SCR_REDRAW;

	md_args_init(&args);
	if (*from)
		md_args_set(&args, "from", from);
	if (*to)
		md_args_set(&args, "to", to);
	md_result_init(&res);
	if (app_exec(app, p->r->v.command, &args, &res, &err) == MD_OK) {
		md_result_release(&p->r->v.res);
		p->r->v.res = res;
		md_result_init(&res);
		p->r->v.loaded = 1;
		p->r->v.sel = p->r->v.scroll = 0;
		snprintf(p->r->from, sizeof p->r->from, "%s", from);
		snprintf(p->r->to, sizeof p->r->to, "%s", to);
		flags = SCR_CLOSE;
	} else {
		int f = form_find(&p->fm, err.field);
		if (f >= 0)
			p->fm.focus = f;
	}
	md_result_release(&res);
	free(from);
	free(to);
	return flags;
}

static int period_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct period *p = s->data;
	if (a == ACT_BACK)
		return SCR_CLOSE;
	if (a == ACT_SUBMIT)
		return period_submit(s, app);
	return form_dispatch(&p->fm, k, s, app, period_submit);
}

static void period_free(struct screen *s)
{
	struct period *p = s->data;
	form_release(&p->fm);
	free(p);
}

static const struct screen_class period_class = {
	"user-report-period", N_("Dates"), period_keys, 1, period_draw, period_key, period_free
};

static struct screen *period_new(struct report *r)
{
	struct period *p = xcalloc(1, sizeof *p);
	p->r = r;
	form_init(&p->fm);
	form_add(&p->fm, "from", _("From"), 10, 0);
	form_add(&p->fm, "to", _("To"), 10, 0);
	le_set_utf8(&p->fm.f[0].le, r->from);
	le_set_utf8(&p->fm.f[1].le, r->to);
	return screen_new(&period_class, p);
}

static int report_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct report *r = s->data;
	if (a == ACT_BACK)
		return SCR_CLOSE;
	if (a == ACT_ADD && s->cls->keys == register_keys) {
		app->next = period_new(r);
		return SCR_PUSH;
	}
	if ((a == ACT_SUBMIT || is_enter(k)) && r->v.sel < r->v.res.table.nrows) {
		struct table_view all = r->v;
		all.cols = r->all;
		app->next = row_page(&all, _(r->title));
		return SCR_PUSH;
	}
	return tv_move(&r->v, k) ? SCR_REDRAW : SCR_NONE;
}

static void report_free(struct screen *s)
{
	struct report *r = s->data;
	md_result_release(&r->v.res);
	free(r);
}

static const struct screen_class report_class = {
	"user-report", N_("Report"), report_keys, 1, report_draw, report_key, report_free
};
static const struct screen_class register_class = {
	"user-register", N_("Report"), register_keys, 1, report_draw, report_key, report_free
};

static struct screen *report_new(const struct screen_class *cls, const char *command,
                                 const char *title, const struct column *cols,
                                 const struct column *all)
{
	struct report *r = xcalloc(1, sizeof *r);
	struct screen *s;
	r->v.command = command;
	r->v.cols = cols;
	r->all = all;
	r->title = title;
	md_result_init(&r->v.res);
	s = screen_new(cls, r);
	s->title = _(title);
	return s;
}

struct screen *revocations_screen_new(struct app *app)
{
	(void)app;
	return report_new(&register_class, "user.revocations", N_("Revocation register (失効・取消の記録)"),
	                  revocation_cols, revocation_all);
}

struct screen *access_review_screen_new(struct app *app)
{
	(void)app;
	return report_new(&report_class, "user.review", N_("Access review (アクセス権の棚卸し)"), review_cols,
	                  review_all);
}

/* ---- one account ---------------------------------------------------------------- */

struct account {
	struct table_view v;
	char id[64];
	char about[256];
	char title[256];
	int *list_stale;    /* the list of accounts it was opened from */
};

static const struct column grant_cols[] = {
	{ "what", N_("Role/permission"), 16 },
	{ "state", N_("State"), 12 },
	{ "from", N_("From"), 10 },
	{ "to", N_("To"), 10 },
	{ "granted_by", N_("Granted by"), 10 },
	{ "reason", N_("Reason"), 0 },
	{ NULL, NULL, 0 }
};

static const struct keybind account_keys[] = {
	{ ACT_ADD, 2, 0, N_("Grant"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_DISABLE, 4, 0, N_("Disable"), 0 },
	{ ACT_RESET_PW, 5, 0, N_("Reset password"), 0 },
	{ ACT_GRANT, 6, 0, N_("Temporary grant"), 0 },
	{ ACT_REVOKE, 7, 0, N_("Revoke"), 0 },
	{ ACT_UNLOCK_USER, 8, 0, N_("Unlock"), 0 },
	{ ACT_SUBMIT, 0, CTRL_KEY('T'), N_("Terminals"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void account_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct account *acc = s->data;
	const struct md_result *res = &acc->v.res;
	int y = top;
	const char *by, *at, *why;

	if (!acc->v.loaded || app->dirty) {
		int keep = acc->v.loaded;
		app->dirty = 0;
		tv_load(&acc->v, app, keep);
		/* The list below shows the change when it is back on top. */
		if (keep && acc->list_stale)
			*acc->list_stale = 1;
	}
	for (int i = 0; i < res->nlines && y < top + rows - 6; i++)
		draw_text(w, y++, 2, cols - 4, res->lines[i]);
	y++;
	tv_draw(&acc->v, w, y, top + rows - y - 2, cols);
	/* The selected grant in full. */
	if (acc->v.sel < res->table.nrows) {
		char *line = xasprintf(_("Granted %s by %s: %s"), tv_cell(&acc->v, "granted_at"),
		                       tv_cell(&acc->v, "granted_by"), tv_cell(&acc->v, "reason"));
		draw_text(w, top + rows - 2, 2, cols - 4, line);
		free(line);
		at = tv_cell(&acc->v, "revoked_at");
		by = tv_cell(&acc->v, "revoked_by");
		why = tv_cell(&acc->v, "revoke_reason");
		if (at && *at) {
			line = xasprintf(_("Revoked %s by %s: %s"), at, by, why);
			draw_text(w, top + rows - 1, 2, cols - 4, line);
			free(line);
		}
	}
}

#define WHAT_HINT N_("clerk, supervisor, auditor, admin, or one permission (mynumber.view, ...).")
#define FROM_HINT N_("A date such as R8.4.1 or 2026-04-01; empty: today.")
#define REASON_HINT N_("Why: kept with the grant and in the audit log.")

static const struct userform_field grant_fields[] = {
	{ "what", N_("Role or permission"), WHAT_HINT, 1, NULL },
	{ "from", N_("Effective from"), FROM_HINT, 0, NULL },
	{ "to", N_("Effective to"), N_("A date such as R8.4.1 or 2026-04-01; empty: open-ended."), 0, NULL },
	{ "reason", N_("Reason"), REASON_HINT, 1, NULL },
	{ NULL, NULL, NULL, 0, NULL }
};
static const struct userform_field temp_grant_fields[] = {
	{ "what", N_("Role or permission"), WHAT_HINT, 1, NULL },
	{ "from", N_("Effective from"), FROM_HINT, 0, NULL },
	{ "to", N_("Last day"), N_("A date such as R8.4.1 or 2026-04-01: the grant ends by itself after this day."), 1, NULL },
	{ "reason", N_("Reason"), REASON_HINT, 1, NULL },
	{ NULL, NULL, NULL, 0, NULL }
};
static const struct userform_field reason_fields[] = {
	{ "reason", N_("Reason"), N_("Why: kept in the audit log."), 1, NULL },
	{ NULL, NULL, NULL, 0, NULL }
};
static const struct userform_field unlock_fields[] = {
	{ "reason", N_("Reason"), N_("Why: kept in the audit log."), 0, NULL },
	{ NULL, NULL, NULL, 0, NULL }
};
static const struct userform_field terminal_fields[] = {
	{ "terminals", N_("Permitted terminals"),
	  N_("Terminal IDs separated by commas (e.g. 本庁1,本庁2); empty: any terminal."), 0, NULL },
	{ "reason", N_("Reason"), N_("Why: kept in the audit log."), 0, NULL },
	{ NULL, NULL, NULL, 0, NULL }
};

static int account_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct account *acc = s->data;
	const char *id = acc->id;

	if (a != ACT_NONE && a != ACT_BACK)
		app->message[0] = '\0';
	switch (a) {
	case ACT_BACK:
		return SCR_CLOSE;
	case ACT_ADD:
		app->next = userform_screen_new(_("Grant a role or permission"), "user.grant", id, acc->about,
		                                NULL, grant_fields);
		return SCR_PUSH;
	case ACT_GRANT:
		app->next = userform_screen_new(_("Temporary grant"), "user.grant-temporary", id, acc->about,
		                                _("A temporary grant ends by itself after its last day."),
		                                temp_grant_fields);
		return SCR_PUSH;
	case ACT_REVOKE: {
		/* The selected grant, when it is still to revoke. */
		const char *what = tv_cell(&acc->v, "what");
		const char *at = tv_cell(&acc->v, "revoked_at");
		struct userform_field f[] = {
			{ "what", N_("Role or permission"), WHAT_HINT, 1, what && at && !*at ? what : NULL },
			{ "reason", N_("Reason"), N_("Why: kept in the revocation register."), 1, NULL },
			{ NULL, NULL, NULL, 0, NULL }
		};
		app->next = userform_screen_new(_("Revoke a role or permission"), "user.revoke", id,
		                                acc->about, _("It takes effect at once, also for a user "
		                                              "logged in now."), f);
		return SCR_PUSH;
	}
	case ACT_DISABLE:
		app->next = userform_screen_new(_("Disable the account"), "user.disable", id, acc->about,
		                                _("The account can no longer log in and every grant "
		                                  "is revoked."), reason_fields);
		return SCR_PUSH;
	case ACT_RESET_PW:
		app->next = userform_screen_new(_("Reset the password"), "user.temp-password", id,
		                                acc->about,
		                                _("A temporary password is made and shown once; the user "
		                                  "must change it at the next login."), reason_fields);
		return SCR_PUSH;
	case ACT_UNLOCK_USER:
		app->next = userform_screen_new(_("Release the lockout"), "user.unlock", id, acc->about,
		                                NULL, unlock_fields);
		return SCR_PUSH;
	case ACT_SUBMIT:
		app->next = userform_screen_new(_("Restrict to terminals"), "user.terminals", id,
		                                acc->about, _("Only the terminals listed may be used."),
		                                terminal_fields);
		return SCR_PUSH;
	default:
		break;
	}
	return tv_move(&acc->v, k) ? SCR_REDRAW : SCR_NONE;
}

static void account_free(struct screen *s)
{
	struct account *acc = s->data;
	md_result_release(&acc->v.res);
	free(acc);
}

static const struct screen_class account_class = {
	"user-account", N_("Account"), account_keys, 1, account_draw, account_key, account_free
};

static struct screen *account_screen_new(const char *id, const char *name, int *list_stale)
{
	struct account *acc = xcalloc(1, sizeof *acc);
	struct screen *s;

	snprintf(acc->id, sizeof acc->id, "%s", id);
	snprintf(acc->about, sizeof acc->about, _("User: %s %s"), id, name ? name : "");
	snprintf(acc->v.arg_id, sizeof acc->v.arg_id, "%s", id);
	acc->v.command = "user.show";
	acc->list_stale = list_stale;
	acc->v.cols = grant_cols;
	md_result_init(&acc->v.res);
	snprintf(acc->title, sizeof acc->title, _("Account %s %s"), id, name ? name : "");
	s = screen_new(&account_class, acc);
	s->title = acc->title;
	return s;
}

/* ---- the list of accounts ------------------------------------------------------------ */

struct users {
	struct table_view v;
	int stale;
};

/* user.list's columns are labelled already; these are its positions. */
enum { UL_USER, UL_NAME, UL_GRANTS, UL_STATUS, UL_LAST_LOGIN, UL_LOCKED, UL_VALID_TO, UL_NCOLS };

static const struct keybind users_keys[] = {
	{ ACT_ADD, 2, 0, N_("Add"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_SUBMIT, 5, 0, N_("Open"), 0 },
	{ ACT_GRANT, 6, 0, N_("Revocation register"), 0 },
	{ ACT_REVOKE, 7, 0, N_("Access review"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static const struct userform_field create_fields[] = {
	{ "id", N_("User ID"), N_("Lower-case letters a-z, digits and . _ -, starting with a letter."),
	  1, NULL },
	{ "name", N_("Full name"), NULL, 0, NULL },
	{ "role", N_("Role"), N_("clerk, supervisor, auditor or admin."), 1, NULL },
	{ "from", N_("Valid from"), N_("A date such as R8.4.1 or 2026-04-01; empty: today."), 0, NULL },
	{ "to", N_("Valid to"), N_("A date such as R8.4.1 or 2026-04-01; empty: open-ended."), 0, NULL },
	{ "reason", N_("Reason"), N_("Why the account is made: kept with the grant and in the audit log."),
	  1, NULL },
	{ NULL, NULL, NULL, 0, NULL }
};

static void users_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct users *u = s->data;
	const struct md_table *t;
	char line[2048];
	/* widths: user name status grants last-login valid-to; grants takes the rest */
	int wd[6] = { 11, 12, 12, 0, 12, 10 };
	const int idx[6] = { UL_USER, UL_NAME, UL_STATUS, UL_GRANTS, UL_LAST_LOGIN, UL_VALID_TO };
	static const char *const heads[6] = { N_("User"), N_("Name"), N_("Status"), N_("Role/permission"),
	                                      N_("Last login"), N_("Valid to") };
	int visible = rows - 2;

	if (!u->v.loaded || app->dirty || u->stale) {
		int keep = u->v.loaded;
		app->dirty = 0;
		u->stale = 0;
		tv_load(&u->v, app, keep);
	}
	t = &u->v.res.table;
	if (t->ncols != UL_NCOLS)
		return;
	/* The status column widens for "ロック中 11-22" (the lock's date), taking
	 * it from the grants column. */
	for (int r = 0; r < t->nrows; r++)
		if (*t->rows[r][UL_LOCKED]) {
			int need = tw_width(t->rows[r][UL_STATUS]) + 1 + 5;
			if (need > wd[2] && need <= 16)
				wd[2] = need;
		}
	wd[3] = cols - 2 - (wd[0] + wd[1] + wd[2] + wd[4] + wd[5]) - 6;
	if (u->v.sel < u->v.scroll)
		u->v.scroll = u->v.sel;
	if (visible > 0 && u->v.sel >= u->v.scroll + visible)
		u->v.scroll = u->v.sel - visible + 1;
	for (int r = -1; r < t->nrows; r++) {
		size_t len = 0;
		int y;
		if (r >= 0 && (r < u->v.scroll || r >= u->v.scroll + visible))
			continue;
		for (int c = 0; c < 6; c++) {
			const char *text = r < 0 ? _(heads[c]) : t->rows[r][idx[c]];
			char *p;
			/* A locked account shows since when. */
			char locked[64];
			if (r >= 0 && idx[c] == UL_STATUS && *t->rows[r][UL_LOCKED] &&
			    strcmp(text, t->rows[r][UL_STATUS]) == 0) {
				snprintf(locked, sizeof locked, "%s %s", text, t->rows[r][UL_LOCKED] + 5);
				text = locked;
			}
			p = tw_pad(text, wd[c]);
			len += (size_t)snprintf(line + len, sizeof line - len, "%s ", p);
			free(p);
		}
		y = r < 0 ? top : top + 1 + r - u->v.scroll;
		if (r < 0)
			attron(A_UNDERLINE);
		else if (r == u->v.sel)
			attron(A_REVERSE);
		draw_text(w, y, 1, cols - 2, line);
		attroff(A_UNDERLINE | A_REVERSE);
	}
}

static int users_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct users *u = s->data;
	const struct md_table *t = &u->v.res.table;

	switch (a) {
	case ACT_BACK:
		return SCR_CLOSE;
	case ACT_ADD:
		app->next = userform_screen_new(_("Create an account"), "user.create", NULL, NULL,
		                                _("A temporary password is made and shown once; it must "
		                                  "be changed at the first login."), create_fields);
		return SCR_PUSH;
	case ACT_GRANT:
		app->next = revocations_screen_new(app);
		return SCR_PUSH;
	case ACT_REVOKE:
		app->next = access_review_screen_new(app);
		return SCR_PUSH;
	default:
		break;
	}
	if ((a == ACT_SUBMIT || is_enter(k)) && u->v.sel < t->nrows && t->ncols == UL_NCOLS) {
		app->next = account_screen_new(t->rows[u->v.sel][UL_USER], t->rows[u->v.sel][UL_NAME],
		                               &u->stale);
		return SCR_PUSH;
	}
	return tv_move(&u->v, k) ? SCR_REDRAW : SCR_NONE;
}

static void users_free(struct screen *s)
{
	struct users *u = s->data;
	md_result_release(&u->v.res);
	free(u);
}

static const struct screen_class users_class = {
	"users", N_("User administration"), users_keys, 1, users_draw, users_key, users_free
};

struct screen *users_screen_new(struct app *app)
{
	struct users *u = xcalloc(1, sizeof *u);
	(void)app;
	u->v.command = "user.list";
	md_result_init(&u->v.res);
	return screen_new(&users_class, u);
}
