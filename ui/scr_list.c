/* scr_list.c: a command's result table as a selectable list. */
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

struct list {
	struct screen_class cls;     /* each list has its own keys */
	struct list_spec spec;
	struct keybind keys[16];
	char *title;
	struct md_args args;
	char *arg_store[2 * MD_ARGS_MAX];
	int nstore;
	struct md_result res;
	int loaded;
	int needs_ack;       /* the command asked for an alert to be acknowledged */
	int sel, scroll;
};

/* Column ids of the core's tables stay stable (screens find cells by them);
 * people read these labels. */
static const struct {
	const char *id;
	const char *label;
} column_labels[] = {
	{ "id", N_("No.") },
	{ "type", N_("Kind") },
	{ "status", N_("Status") },
	{ "made_by", N_("Made by") },
	{ "made_at", N_("Made at") },
	{ "event_date", N_("Event date") },
	{ "late", N_("Late") },
	{ "reject_reason", N_("Reason for rejection") },
	{ "persons", N_("Persons") },
	{ "person", N_("Person") },
	{ "item", N_("Item") },
	{ "before", N_("Before") },
	{ "after", N_("After") },
	{ "atena", "宛名番号" },
	{ "name", N_("Name") },
	{ "kana", N_("Reading") },
	{ "birth", N_("Date of birth") },
	{ "sex", N_("Sex") },
	{ "address", N_("Address") },
	{ "flags", N_("Flags") },
	{ "relationship", "続柄" },
	{ "version", N_("Version") },
	{ "date", N_("Date") },
	{ "change", N_("Change") },
	{ "reason", N_("Reason") },
	{ "approved_by", N_("Approved by") },
	{ "recorded_at", N_("Recorded at") },
	{ "changed", N_("Items changed") },
	{ "value", N_("Value") },
	{ "statistic", N_("Statistic") },
	{ "district or month", N_("District or month") },
	{ "age band or change", N_("Age band or change") },
	{ "male", "男" },
	{ "female", "女" },
	{ "total", N_("Total") },
	{ "household", "世帯番号" },
	{ "operation", N_("Operation") },
	{ "mode", N_("Mode") },
	{ "from", N_("From") },
	{ "to", N_("To") },
	{ "state", N_("State") },
	{ "measure", N_("Measure") },
	{ "outcome", N_("Outcome") },
	{ "detail", N_("Detail") },
	{ "time", N_("Time") },
	{ "user", N_("User") },
	{ "terminal", N_("Terminal") },
	{ "function", N_("Function") },
	{ "subject", N_("Subject") },
	{ "action", N_("Action") },
	{ "mynumber", N_("My Number") },
	{ "finding", N_("Finding") },
	{ "reviewed_by", N_("Reviewed by") },
	{ "reviewed_at", N_("Reviewed at") },
	{ "comment", N_("Review comment") },
	{ "check", N_("Check") },
	{ "description", N_("Description") },
};

static const char *column_label(const char *id)
{
	for (size_t i = 0; i < sizeof column_labels / sizeof column_labels[0]; i++)
		if (strcmp(column_labels[i].id, id) == 0)
			return _(column_labels[i].label);
	return id;
}

/* Some cells are codes: shown as words. */
static const char *cell_text(const char *col, const char *v)
{
	if (strcmp(col, "status") == 0) {
		if (strcmp(v, "provisional") == 0)
			return _("provisional");
		if (strcmp(v, "rejected") == 0)
			return _("rejected");
		if (strcmp(v, "approved") == 0)
			return _("approved");
		if (strcmp(v, "withdrawn") == 0)
			return _("withdrawn");
	}
	if (strcmp(col, "late") == 0)
		return strcmp(v, "1") == 0 ? "期間経過" : "";
	return v;
}

/* keep: a reload after another screen acted; its message stays on the line. */
static void load(struct list *l, struct app *app, int keep)
{
	struct md_error err;
	md_result_release(&l->res);
	md_result_init(&l->res);
	l->needs_ack = 0;
	if (md_cmd_exec(app->ctx, l->spec.command, &l->args, &l->res, &err) != MD_OK) {
		/* An alert (抑止, 支援措置) to acknowledge before the data shows. */
		l->needs_ack = strcmp(err.field, "ack") == 0;
		if (l->needs_ack)
			app_message(app, 1, "%s %s", err.msg, _("F5: acknowledge and continue; F3: back."));
		else
			app_message(app, 1, "%s", err.msg);
	} else if (l->res.message && !(keep && app->message[0]))
		app_message(app, 0, "%s", l->res.message);
	l->loaded = 1;
	if (l->sel >= l->res.table.nrows)
		l->sel = l->res.table.nrows ? l->res.table.nrows - 1 : 0;
}

static int col_width(const struct list *l, int c, int cols)
{
	const struct md_table *t = &l->res.table;
	int w;
	if (l->spec.widths)
		return l->spec.widths[c];
	w = tw_width(column_label(t->cols[c]));
	for (int r = 0; r < t->nrows; r++) {
		int x = tw_width(cell_text(t->cols[c], t->rows[r][c]));
		if (x > w)
			w = x;
	}
	return w > cols / 2 ? cols / 2 : w;
}

static void row_text(const struct list *l, const char *const *cells, int header, const int *w,
                     char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int c = 0; c < l->res.table.ncols && len + 1 < n; c++) {
		const char *col = l->res.table.cols[c];
		char *p;
		if (w[c] < 0)
			continue;
		p = tw_pad(header ? column_label(col) : cell_text(col, cells[c]), w[c]);
		len += (size_t)snprintf(buf + len, n - len, "%s ", p);
		free(p);
	}
}

static void list_draw(struct screen *s, struct app *app, WINDOW *win, int top, int rows, int cols)
{
	struct list *l = s->data;
	const struct md_table *t;
	int w[32], visible = rows - 1;
	char line[2048];

	if (!l->loaded || app->dirty) {
		int keep = l->loaded;
		app->dirty = 0;
		load(l, app, keep);
	}
	t = &l->res.table;
	if (t->ncols == 0 || t->ncols > 32)
		return;
	for (int c = 0; c < t->ncols; c++)
		w[c] = col_width(l, c, cols);
	attron(A_UNDERLINE);
	row_text(l, (const char *const *)t->cols, 1, w, line, sizeof line);
	draw_text(win, top, 1, cols - 2, line);
	attroff(A_UNDERLINE);
	if (t->nrows == 0)
		draw_text(win, top + 2, 2, cols - 4, _("(nothing)"));
	if (l->sel < l->scroll)
		l->scroll = l->sel;
	if (l->sel >= l->scroll + visible)
		l->scroll = l->sel - visible + 1;
	for (int i = 0; i < visible && l->scroll + i < t->nrows; i++) {
		int r = l->scroll + i;
		row_text(l, (const char *const *)t->rows[r], 0, w, line, sizeof line);
		if (r == l->sel)
			attron(A_REVERSE);
		draw_text(win, top + 1 + i, 1, cols - 2, line);
		if (r == l->sel)
			attroff(A_REVERSE);
	}
}

static int list_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct list *l = s->data;
	const struct md_table *t = &l->res.table;
	const char *const *row = l->sel < t->nrows ? (const char *const *)t->rows[l->sel] : NULL;

	if (a == ACT_BACK)
		return SCR_CLOSE;
	if ((k.is_key && k.code == KEY_ENTER) || (!k.is_key && (k.code == '\r' || k.code == '\n')))
		a = ACT_SUBMIT;
	if (l->needs_ack) {
		if (a == ACT_SUBMIT || (k.is_key && k.code == (wint_t)KEY_F(5))) {
			md_args_set(&l->args, "ack", "1");
			load(l, app, 0);
		}
		return SCR_REDRAW;
	}
	if (a != ACT_NONE && l->spec.action)
		return l->spec.action(app, l, a, row, t->ncols);
	if (k.is_key && k.code == KEY_UP && l->sel > 0)
		l->sel--;
	else if (k.is_key && k.code == KEY_DOWN && l->sel + 1 < t->nrows)
		l->sel++;
	else if (k.is_key && k.code == KEY_NPAGE)
		l->sel = l->sel + 10 < t->nrows ? l->sel + 10 : (t->nrows ? t->nrows - 1 : 0);
	else if (k.is_key && k.code == KEY_PPAGE)
		l->sel = l->sel > 10 ? l->sel - 10 : 0;
	return SCR_REDRAW;
}

static void list_free(struct screen *s)
{
	struct list *l = s->data;
	md_result_release(&l->res);
	if (l->spec.free_user)
		l->spec.free_user(l->spec.user);
	for (int i = 0; i < l->nstore; i++)
		free(l->arg_store[i]);
	free(l->title);
	free(l);
}

static const struct screen_class list_class = {
	"list", N_("List"), NULL, 1, list_draw, list_key, list_free
};

struct screen *list_screen_new(const struct list_spec *spec, const struct md_args *args)
{
	struct list *l = xcalloc(1, sizeof *l);
	struct screen *s;
	int n = 0;

	l->spec = *spec;
	l->title = xstrdup(spec->title);
	md_args_init(&l->args);
	for (int i = 0; args && i < args->n && l->nstore + 2 <= 2 * MD_ARGS_MAX; i++) {
		char *k = xstrdup(args->key[i]), *v = xstrdup(args->val[i] ? args->val[i] : "");
		l->arg_store[l->nstore++] = k;
		l->arg_store[l->nstore++] = v;
		md_args_set(&l->args, k, v);
	}
	for (const struct keybind *b = spec->keys; b && b->action != ACT_NONE && n < 14; b++)
		l->keys[n++] = *b;
	l->keys[n++] = (struct keybind){ ACT_BACK, 3, 0, N_("Back"), 0 };
	l->keys[n] = (struct keybind){ ACT_NONE, 0, 0, NULL, 0 };
	l->cls = list_class;
	l->cls.keys = l->keys;
	s = screen_new(&l->cls, l);
	s->title = l->title;
	return s;
}

const char *list_row_cell(const struct list *l, const char *const *row, const char *col)
{
	const struct md_table *t = &l->res.table;
	if (!row)
		return NULL;
	for (int c = 0; c < t->ncols; c++)
		if (strcmp(t->cols[c], col) == 0)
			return row[c];
	return NULL;
}

const char *list_cell(const struct list *l, const char *col)
{
	const struct md_table *t = &l->res.table;
	if (l->sel >= t->nrows)
		return NULL;
	return list_row_cell(l, (const char *const *)t->rows[l->sel], col);
}

void *list_user(const struct list *l)
{
	return l->spec.user;
}

const char *list_lookup(const struct list *l, const char *keycol, const char *key, const char *valcol)
{
	const struct md_table *t = &l->res.table;
	for (int r = 0; r < t->nrows; r++) {
		const char *k = list_row_cell(l, (const char *const *)t->rows[r], keycol);
		if (k && strcmp(k, key) == 0)
			return list_row_cell(l, (const char *const *)t->rows[r], valcol);
	}
	return NULL;
}
