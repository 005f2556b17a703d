/* scr_audit.c: the audit review (監査ログの確認) for auditors and
 * supervisors: the chooser of ready-made checks, a filter form for the log
 * or for one check, the lists of entries and findings, an entry's whole
 * text, and marking an entry reviewed with a comment. Everything runs
 * through the core's audit.* commands, which log the reading. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "form.h"
#include "i18n.h"
#include "scr_list.h"
#include "screens.h"
#include "tui.h"
#include "xalloc.h"

/* ---- lists of entries and findings ---------------------------------------------- */

static const struct keybind entries_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Mark reviewed"), 0 },
	{ ACT_ADD, 2, 0, N_("Whole entry"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

/* Columns of audit.check: id time user terminal function subject finding
 * reviewed_by reviewed_at comment (80 columns: the whole entry on F2). */
static const int finding_widths[] = { 6, 16, 8, -1, -1, 8, 26, 8, -1, -1 };
/* Columns of audit.search: id time user terminal function subject action
 * outcome mynumber detail reviewed_by reviewed_at comment. */
static const int entry_widths[] = { 6, 16, 8, -1, 16, 8, -1, 7, -1, -1, 8, -1, -1 };

static int entries_action(struct app *app, struct list *l, enum action a, const char *const *row, int n)
{
	const char *id = list_row_cell(l, row, "id");
	(void)n;
	if (!id)
		return SCR_NONE;
	if (a == ACT_SUBMIT) {
		const char *by = list_row_cell(l, row, "reviewed_by");
		if (by && *by) {
			app_message(app, 1, _("Entry %s was already reviewed by %s."), id, by);
			return SCR_REDRAW;
		}
		app->next = cmdform_screen_new("audit.review", "entry", id);
		return SCR_PUSH;
	}
	if (a == ACT_ADD) {
		/* Every column of the row, one a line, with its label. */
		static const struct {
			const char *col;
			const char *label;
		} labels[] = {
			{ "id", N_("Entry") }, { "time", N_("Time") }, { "user", N_("User") },
			{ "terminal", N_("Terminal") }, { "function", N_("Function") },
			{ "subject", N_("Subject (宛名番号 or user)") }, { "action", N_("Action") },
			{ "outcome", N_("Outcome") }, { "mynumber", N_("My Number involved") },
			{ "detail", N_("Detail") }, { "finding", N_("Finding") },
			{ "reviewed_by", N_("Reviewed by") }, { "reviewed_at", N_("Reviewed at") },
			{ "comment", N_("Review comment") },
		};
		char *lines[16];
		int k = 0;
		char *title;
		for (size_t i = 0; i < sizeof labels / sizeof labels[0] && k < 16; i++) {
			const char *v = list_row_cell(l, row, labels[i].col);
			if (v)
				lines[k++] = xasprintf("%s: %s", _(labels[i].label), v);
		}
		title = xasprintf(_("Audit log entry %s"), id);
		app->next = message_screen_new(title, (const char *const *)lines, k);
		free(title);
		for (int i = 0; i < k; i++)
			free(lines[i]);
		return SCR_PUSH;
	}
	return SCR_NONE;
}

/* ---- the filter form ------------------------------------------------------------ */

struct filter {
	struct form fm;
	char kind[32];       /* a check's name, or "" for the search of the log */
	char *title;         /* the check's title */
};

static const struct keybind filter_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Show"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_DISABLE, 4, 0, N_("Clear"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void filter_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct filter *fl = s->data;
	int lw = form_label_width(&fl->fm);
	(void)app;
	if (lw > cols - 4 - 2 - 24 - 2)
		lw = cols - 4 - 2 - 24 - 2;
	draw_text(w, top, 2, cols - 4,
	          fl->kind[0] ? _("Any filters; dates like 2026-11-22 or R8.11.22, a time like 2026-11-22 08:30.")
	                      : _("Any filters; empty shows the newest entries. Dates like 2026-11-22, a time like 2026-11-22 08:30."));
	form_draw(&fl->fm, w, top + 2, 4, lw, cols - lw - 10, rows - 3, &s->cursor_y, &s->cursor_x);
}

static int yes(const char *v)
{
	return *v == 'y' || *v == 'Y' || strcmp(v, "1") == 0 || strcmp(v, "はい") == 0;
}

static int filter_run(struct screen *s, struct app *app)
{
	struct filter *fl = s->data;
	struct md_args args;
	char *vals[16];
	int n = 0;
	struct list_spec spec = { NULL, NULL, entries_keys, entries_action, NULL, NULL, NULL };
	char *title;

	md_args_init(&args);
	if (fl->kind[0])
		md_args_set(&args, "kind", fl->kind);
	for (int i = 0; i < fl->fm.n && n < 16; i++) {
		char *v = form_value(&fl->fm, i);
		vals[n++] = v;
		if (!*v)
			continue;
		if (strcmp(fl->fm.f[i].key, "unreviewed") == 0) {
			if (yes(v))
				md_args_set(&args, "unreviewed", "1");
			continue;
		}
		md_args_set(&args, fl->fm.f[i].key, v);
	}
	title = fl->kind[0] ? xstrdup(fl->title) : xstrdup(_("Audit log entries"));
	spec.title = title;
	spec.command = fl->kind[0] ? "audit.check" : "audit.search";
	spec.widths = fl->kind[0] ? finding_widths : entry_widths;
	app->next = list_screen_new(&spec, &args);
	free(title);
	for (int i = 0; i < n; i++)
		free(vals[i]);
	return SCR_PUSH;
}

static int filter_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct filter *fl = s->data;
	if (a == ACT_BACK)
		return SCR_CLOSE;
	if (a == ACT_SUBMIT)
		return filter_run(s, app);
	if (a == ACT_DISABLE) {
		for (int i = 0; i < fl->fm.n; i++)
			form_clear(&fl->fm, i);
		fl->fm.focus = 0;
		return SCR_REDRAW;
	}
	return form_dispatch(&fl->fm, k, s, app, filter_run);
}

static void filter_free(struct screen *s)
{
	struct filter *fl = s->data;
	form_release(&fl->fm);
	free(fl->title);
	free(fl);
}

static const struct screen_class filter_class = {
	"audit-filter", N_("Search the audit log"), filter_keys, 1, filter_draw, filter_key, filter_free
};

/* kind: a check's name and title, or NULL for the search of the log. */
static struct screen *filter_screen_new(const char *kind, const char *title)
{
	struct filter *fl = xcalloc(1, sizeof *fl);
	struct screen *s;

	form_init(&fl->fm);
	if (kind) {
		snprintf(fl->kind, sizeof fl->kind, "%s", kind);
		fl->title = xstrdup(title);
	}
	form_add(&fl->fm, "by", _("User ID"), 60, 0);
	form_add(&fl->fm, "subject", _("宛名番号 (or user ID)"), 60, 0);
	if (!kind) {
		form_add(&fl->fm, "function", _("Function (e.g. resident.view)"), 60, 0);
		form_add(&fl->fm, "outcome", _("Outcome (ok, denied, failed)"), 20, 0);
	}
	form_add(&fl->fm, "from", kind ? _("From (default: 6 days ago)") : _("From"), 30, 0);
	form_add(&fl->fm, "to", _("To"), 30, 0);
	form_add(&fl->fm, "unreviewed", _("Only not yet reviewed (y)"), 1, 0);
	s = screen_new(&filter_class, fl);
	if (kind)
		s->title = fl->title;
	return s;
}

/* ---- the chooser of checks ------------------------------------------------------------ */

static const struct keybind checks_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Run check"), 0 },
	{ ACT_DISABLE, 4, 0, N_("Check with filters"), 0 },
	{ ACT_ADD, 2, 0, N_("Search the log"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

/* Columns of audit.checks: kind check description. */
static const int checks_widths[] = { -1, 38, 60 };

static int checks_action(struct app *app, struct list *l, enum action a, const char *const *row, int n)
{
	const char *kind = list_row_cell(l, row, "kind"), *title = list_row_cell(l, row, "check");
	(void)n;
	if (a == ACT_ADD) {
		app->next = filter_screen_new(NULL, NULL);
		return SCR_PUSH;
	}
	if (!kind)
		return SCR_NONE;
	if (a == ACT_DISABLE) {
		app->next = filter_screen_new(kind, title);
		return SCR_PUSH;
	}
	if (a == ACT_SUBMIT) {
		/* the last 7 days, every finding */
		struct list_spec spec = { title, "audit.check", entries_keys, entries_action, finding_widths,
		                          NULL, NULL };
		struct md_args args;
		md_args_init(&args);
		md_args_set(&args, "kind", kind);
		app->next = list_screen_new(&spec, &args);
		return SCR_PUSH;
	}
	return SCR_NONE;
}

struct screen *audit_screen_new(struct app *app)
{
	struct list_spec spec = { _("Audit log review (監査ログの確認)"), "audit.checks", checks_keys,
	                          checks_action, checks_widths, NULL, NULL };
	(void)app;
	return list_screen_new(&spec, NULL);
}
