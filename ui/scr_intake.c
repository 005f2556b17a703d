/* scr_intake.c: counter intake. A chooser of the kinds of change, then one
 * form per kind showing only the items of that form: the change's own items
 * (dates, household, shared address) and, per person, the form's items. The
 * core checks the change as the clerk moves between fields, and saves it
 * provisional; a supervisor approves it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"
#include "cmd.h"
#include "ctx.h"
#include "i18n.h"
#include "lineedit.h"
#include "person.h"
#include "screens.h"
#include "textwidth.h"
#include "tui.h"
#include "xalloc.h"

#define MAX_ROWS 400
#define LABEL_COLS 30

struct irow {
	int person;          /* 0: the change's own items; n: the n-th person */
	int heading;         /* a section heading, not a field */
	char key[48];        /* argument name: "event_date", "p2.surname" */
	char *label;
	struct lineedit le;
};

struct intake {
	const struct md_change_type *t;
	struct irow rows[MAX_ROWS];
	int n;
	int focus, scroll;
	int npersons;
	int ack;
	int checked;
	struct md_result issues;     /* of the last check: person, field, level, message */
	long long locked[16];        /* persons this screen locked for editing */
	int nlocked;
	long long locked_household;  /* the household it locked, or 0 */
};

static const enum md_field shared_new[] = { MD_F_POSTAL_CODE, MD_F_ADDRESS_CODE, MD_F_ADDRESS,
                                            MD_F_KATAGAKI, MD_F_PREVIOUS_ADDRESS };

static int is_shared(const struct md_change_type *t, enum md_field f)
{
	if (t->subject != MD_SUBJ_NEW && strcmp(t->code, "move_within") != 0)
		return 0;
	for (size_t i = 0; i < sizeof shared_new / sizeof shared_new[0]; i++)
		if (shared_new[i] == f)
			return 1;
	return 0;
}

static int on_form(const struct md_change_type *t, enum md_field f)
{
	for (const enum md_field *x = t->fields; *x != MD_F_COUNT; x++)
		if (*x == f)
			return 1;
	return 0;
}

static struct irow *add_row(struct intake *in, int person, int heading, const char *key,
                            const char *label, size_t max)
{
	struct irow *r;
	if (in->n >= MAX_ROWS)
		return NULL;
	r = &in->rows[in->n++];
	memset(r, 0, sizeof *r);
	r->person = person;
	r->heading = heading;
	snprintf(r->key, sizeof r->key, "%s", key ? key : "");
	r->label = xstrdup(label);
	le_init(&r->le, max);
	return r;
}

static const char *field_label(enum md_field f)
{
	return f == MD_FIELD_MYNUMBER_INPUT ? "個人番号" : md_field(f)->label;
}

static const char *field_key(enum md_field f)
{
	return f == MD_FIELD_MYNUMBER_INPUT ? "mynumber" : md_field(f)->column;
}

/* Forms where household members who stay can be part of the change. */
static int has_members(const struct md_change_type *t)
{
	static const char *const codes[] = { "move_out", "death", "missing", "ex_officio_remove",
	                                     "household_split", "household_merge" };
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (strcmp(t->code, codes[i]) == 0)
			return 1;
	return 0;
}

static void add_person(struct intake *in)
{
	const struct md_change_type *t = in->t;
	char key[64], heading[64];
	int p = ++in->npersons;

	snprintf(heading, sizeof heading, _("Person %d"), p);
	add_row(in, p, 1, NULL, heading, 0);
	if (t->subject != MD_SUBJ_NEW && t->subject != MD_SUBJ_BIRTH) {
		snprintf(key, sizeof key, "p%d.person", p);
		add_row(in, p, 0, key, "宛名番号", 12);
	} else if (t->subject == MD_SUBJ_NEW) {
		/* A person returning to the ward keeps the earlier record (除票). */
		snprintf(key, sizeof key, "p%d.person", p);
		add_row(in, p, 0, key, _("宛名番号 of an earlier record (returning)"), 12);
	}
	if (has_members(t)) {
		/* Members who stay behind restate their 続柄 (a new head). */
		snprintf(key, sizeof key, "p%d.role", p);
		add_row(in, p, 0, key, _("1 = this change's person, 2 = stays"), 1);
	}
	for (const enum md_field *f = t->fields; *f != MD_F_COUNT; f++) {
		if (is_shared(t, *f))
			continue;
		snprintf(key, sizeof key, "p%d.%s", p, field_key(*f));
		add_row(in, p, 0, key, field_label(*f), 100);
	}
}

static void remove_last_person(struct intake *in)
{
	if (in->npersons <= 1)
		return;
	while (in->n > 0 && in->rows[in->n - 1].person == in->npersons) {
		struct irow *r = &in->rows[--in->n];
		free(r->label);
		le_release(&r->le);
	}
	in->npersons--;
	if (in->focus >= in->n)
		in->focus = in->n - 1;
}

static void build(struct intake *in)
{
	const struct md_change_type *t = in->t;

	add_row(in, 0, 1, NULL, t->name, 0);
	add_row(in, 0, 0, "event_date",
	        strcmp(t->code, "move_out") == 0 ? "転出予定年月日" :
	        strcmp(t->code, "birth") == 0 ? "出生の年月日" :
	        strcmp(t->code, "death") == 0 ? "死亡の年月日" : "異動年月日", 30);
	if (t->notification)
		add_row(in, 0, 0, "notified_on", "届出の年月日", 30);
	if (strchr(t->reasons, ','))
		add_row(in, 0, 0, "reason", "異動事由", 40);
	if (t->subject == MD_SUBJ_BIRTH || t->subject == MD_SUBJ_HOUSEHOLD ||
	    strcmp(t->code, "household_merge") == 0)
		add_row(in, 0, 0, "household", "世帯番号", 12);
	else if (t->subject == MD_SUBJ_NEW)
		add_row(in, 0, 0, "household", _("世帯番号 (to join a household)"), 12);
	if (t->subject == MD_SUBJ_CHANGE)
		add_row(in, 0, 0, "cancels", _("change number to cancel"), 12);
	for (size_t i = 0; i < sizeof shared_new / sizeof shared_new[0]; i++)
		if (is_shared(t, shared_new[i]) && on_form(t, shared_new[i]))
			add_row(in, 0, 0, md_field(shared_new[i])->column, md_field(shared_new[i])->label, 100);
	add_row(in, 0, 0, "memo", _("memo (why)"), 200);
	if (t->subject != MD_SUBJ_CHANGE && t->subject != MD_SUBJ_HOUSEHOLD)
		add_person(in);
	else if (strcmp(t->code, "head_change") == 0)
		add_person(in);
	in->focus = 1;
}

/* The arguments of the change as the form holds them; values are allocated
 * into store. */
static void collect(struct intake *in, struct md_args *args, char **store, int *nstore)
{
	md_args_init(args);
	md_args_set(args, "type", in->t->code);
	if (in->ack)
		md_args_set(args, "ack", "1");
	/* Every person of the form is part of the change, even before anything
	 * is typed for them (so the checks name what is missing). */
	for (int p = 1; p <= in->npersons && *nstore < MAX_ROWS; p++) {
		char *k = xasprintf("p%d.role", p);
		store[(*nstore)++] = k;
		md_args_set(args, k, "1");
	}
	for (int i = 0; i < in->n; i++) {
		struct irow *r = &in->rows[i];
		char *v;
		if (r->heading || *nstore >= MAX_ROWS)
			continue;
		v = le_get_utf8(&r->le);
		store[(*nstore)++] = v;
		/* A 転居 replaces the whole address: an emptied 方書 is sent empty. */
		if (*v || (r->person == 0 && strcmp(in->t->code, "move_within") == 0 &&
		           strcmp(r->key, "katagaki") == 0))
			md_args_set(args, r->key, v);
	}
}

static void free_store(char **store, int n)
{
	for (int i = 0; i < n; i++)
		md_free_secret(&store[i]);
}

static void check(struct intake *in, struct app *app)
{
	struct md_args args;
	struct md_error err;
	char *store[MAX_ROWS];
	int n = 0;

	collect(in, &args, store, &n);
	md_result_release(&in->issues);
	md_result_init(&in->issues);
	/* The problems show under the form; the message line only says whether
	 * there are errors. */
	if (md_cmd_exec(app->ctx, "change.check", &args, &in->issues, &err) != MD_OK)
		app_message(app, 1, "%s", err.msg);
	else
		app->message[0] = '\0';
	in->checked = 1;
	free_store(store, n);
}

static int row_of(const struct intake *in, int person, const char *field)
{
	char key[64];
	if (person)
		snprintf(key, sizeof key, "p%d.%s", person, field);
	else
		snprintf(key, sizeof key, "%s", field);
	for (int i = 0; i < in->n; i++)
		if (!in->rows[i].heading && strcmp(in->rows[i].key, key) == 0)
			return i;
	return -1;
}

/* After a 宛名番号 is typed: lock the person and pre-fill the form. */
static void load_person(struct intake *in, struct app *app, int person)
{
	int r = row_of(in, person, "person");
	struct md_args args;
	struct md_result res;
	struct md_error err;
	char *id;

	if (r < 0)
		return;
	id = le_get_utf8(&in->rows[r].le);
	if (!*id) {
		free(id);
		return;
	}
	md_args_init(&args);
	md_args_set(&args, "person", id);
	md_result_init(&res);
	if (md_cmd_exec(app->ctx, "edit.begin", &args, &res, &err) != MD_OK) {
		app_message(app, 1, "%s", err.msg);
	} else if (in->nlocked < 16) {
		in->locked[in->nlocked++] = strtoll(id, NULL, 10);
	}
	md_result_release(&res);
	md_args_set(&args, "type", in->t->code);
	md_result_init(&res);
	if (md_cmd_exec(app->ctx, "change.template", &args, &res, &err) == MD_OK) {
		for (int i = 0; i < res.table.nrows; i++) {
			int k = row_of(in, person, res.table.rows[i][0]);
			if (k >= 0 && le_width(&in->rows[k].le) == 0)
				le_set_utf8(&in->rows[k].le, res.table.rows[i][2]);
		}
	} else {
		app_message(app, 1, "%s", err.msg);
	}
	md_result_release(&res);
	free(id);
}

/* After a 世帯番号 the form acts on is typed: lock the household. */
static void lock_household(struct intake *in, struct app *app)
{
	int r = row_of(in, 0, "household");
	struct md_args args;
	struct md_result res;
	struct md_error err;
	char *id;

	if (r < 0 || (in->t->subject != MD_SUBJ_HOUSEHOLD && in->t->subject != MD_SUBJ_BIRTH))
		return;
	id = le_get_utf8(&in->rows[r].le);
	if (*id && strtoll(id, NULL, 10) != in->locked_household) {
		md_args_init(&args);
		md_args_set(&args, "household", id);
		md_result_init(&res);
		if (md_cmd_exec(app->ctx, "edit.begin", &args, &res, &err) != MD_OK)
			app_message(app, 1, "%s", err.msg);
		else
			in->locked_household = strtoll(id, NULL, 10);
		md_result_release(&res);
	}
	free(id);
}

static void release_locks(struct intake *in, struct app *app)
{
	if (in->locked_household) {
		struct md_args args;
		struct md_result res;
		struct md_error err;
		char id[24];
		snprintf(id, sizeof id, "%lld", in->locked_household);
		md_args_init(&args);
		md_args_set(&args, "household", id);
		md_result_init(&res);
		md_cmd_exec(app->ctx, "edit.end", &args, &res, &err);
		md_result_release(&res);
		in->locked_household = 0;
	}
	for (int i = 0; i < in->nlocked; i++) {
		struct md_args args;
		struct md_result res;
		struct md_error err;
		char id[24];
		snprintf(id, sizeof id, "%lld", in->locked[i]);
		md_args_init(&args);
		md_args_set(&args, "person", id);
		md_result_init(&res);
		md_cmd_exec(app->ctx, "edit.end", &args, &res, &err);
		md_result_release(&res);
	}
	in->nlocked = 0;
}

static int save(struct intake *in, struct app *app)
{
	struct md_args args;
	struct md_result res;
	struct md_error err;
	char *store[MAX_ROWS];
	int n = 0, rc;

	collect(in, &args, store, &n);
	md_result_init(&res);
	rc = app_exec(app, "change.save", &args, &res, &err);
	free_store(store, n);
	if (rc == MD_OK) {
		in->nlocked = 0;   /* saving released them */
		in->locked_household = 0;
		md_result_release(&res);
		app->dirty = 1;
		return SCR_CLOSE;
	}
	/* The issues come back as the check's table. */
	md_result_release(&in->issues);
	in->issues = res;
	in->checked = 1;
	for (int i = 0; i < in->issues.table.nrows; i++) {
		const char *const *row = (const char *const *)in->issues.table.rows[i];
		int r;
		if (strcmp(row[2], "error") != 0)
			continue;
		r = row_of(in, atoi(row[0]), row[1]);
		if (r >= 0)
			in->focus = r;
		break;
	}
	return SCR_REDRAW;
}

static const struct keybind intake_keys[] = {
	{ ACT_ADD, 2, 0, N_("Add person"), 0 },
	{ ACT_BACK, 3, 0, N_("Cancel"), 0 },
	{ ACT_DISABLE, 4, 0, N_("Remove person"), 0 },
	{ ACT_SUBMIT, 5, 0, N_("Save"), 0 },
	{ ACT_GRANT, 6, 0, N_("Check"), 0 },
	{ ACT_REVOKE, 7, 0, N_("Acknowledge"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void intake_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct intake *in = s->data;
	const struct md_table *t = &in->issues.table;
	int nissues = in->checked ? t->nrows : 0;
	int issue_rows = nissues > 6 ? 6 : nissues;
	/* Below the form: the problems, or one line saying there are none. */
	int form_rows = rows - (issue_rows ? issue_rows + 1 : in->checked ? 2 : 0) - 1;
	int field_cols = cols - LABEL_COLS - 6;
	char line[512];

	if (in->focus < in->scroll)
		in->scroll = in->focus;
	if (in->focus >= in->scroll + form_rows)
		in->scroll = in->focus - form_rows + 1;
	if (in->ack)
		draw_text(w, top, 2, cols - 4, _("Alerts acknowledged (F7 to withdraw the acknowledgement)."));
	for (int i = 0; i < form_rows && in->scroll + i < in->n; i++) {
		struct irow *r = &in->rows[in->scroll + i];
		int y = top + 1 + i;
		if (r->heading) {
			attron(A_BOLD);
			snprintf(line, sizeof line, "── %s ──", r->label);
			draw_text(w, y, 1, cols - 2, line);
			attroff(A_BOLD);
			continue;
		}
		draw_text(w, y, 3, LABEL_COLS, r->label);
		draw_field(w, y, 3 + LABEL_COLS + 1, field_cols, &r->le, in->scroll + i == in->focus,
		           &s->cursor_y, &s->cursor_x);
	}
	if (issue_rows) {
		int y = top + 1 + form_rows;
		int order[64], n = 0;
		/* Errors first: they are what stops the saving. */
		for (int pass = 0; pass < 2; pass++)
			for (int i = 0; i < t->nrows && n < 64; i++)
				if ((strcmp(t->rows[i][2], "error") == 0) == !pass)
					order[n++] = i;
		for (int i = 0; i < issue_rows && i < n; i++) {
			const char *const *row = (const char *const *)t->rows[order[i]];
			int error = strcmp(row[2], "error") == 0;
			if (strcmp(row[0], "0") == 0)
				snprintf(line, sizeof line, "%s %s", error ? _("[error]") : _("[note]"), row[3]);
			else
				snprintf(line, sizeof line, "%s %s %s: %s", error ? _("[error]") : _("[note]"),
				         _("person"), row[0], row[3]);
			if (error)
				attron(A_BOLD);
			draw_text(w, y + i, 2, cols - 4, line);
			if (error)
				attroff(A_BOLD);
		}
	} else if (in->checked) {
		draw_text(w, top + 1 + form_rows, 2, cols - 4, _("No problems found."));
	}
}

static void move_focus(struct intake *in, struct app *app, int dir)
{
	int from = in->focus, i = in->focus;
	do {
		i += dir;
	} while (i > 0 && i < in->n && in->rows[i].heading);
	/* At either end the focus stays, but what was typed is still checked. */
	if (i > 0 && i < in->n)
		in->focus = i;
	/* Leaving a 宛名番号: fetch that person. Leaving any field: check. */
	if (strstr(in->rows[from].key, ".person"))
		load_person(in, app, in->rows[from].person);
	if (strcmp(in->rows[from].key, "household") == 0)
		lock_household(in, app);
	check(in, app);
}

static int intake_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct intake *in = s->data;
	struct irow *r = &in->rows[in->focus];

	switch (a) {
	case ACT_BACK:
		release_locks(in, app);
		app->message[0] = '\0';
		return SCR_CLOSE;
	case ACT_SUBMIT:
		return save(in, app);
	case ACT_GRANT:
		check(in, app);
		return SCR_REDRAW;
	case ACT_REVOKE:
		in->ack = !in->ack;
		check(in, app);
		return SCR_REDRAW;
	case ACT_ADD:
		if (in->t->subject == MD_SUBJ_NEW || in->t->subject == MD_SUBJ_PERSONS ||
		    strcmp(in->t->code, "head_change") == 0) {
			add_person(in);
			in->focus = in->n - 1;
			while (in->focus > 0 && in->rows[in->focus - 1].person == in->npersons &&
			       !in->rows[in->focus - 1].heading)
				in->focus--;
		}
		return SCR_REDRAW;
	case ACT_DISABLE:
		remove_last_person(in);
		return SCR_REDRAW;
	default:
		break;
	}
	if (k.is_key) {
		switch (k.code) {
		case KEY_UP:
		case KEY_BTAB:
			move_focus(in, app, -1);
			return SCR_REDRAW;
		case KEY_DOWN:
		case KEY_ENTER:
			move_focus(in, app, 1);
			return SCR_REDRAW;
		case KEY_NPAGE:
			for (int i = 0; i < 10; i++)
				move_focus(in, app, 1);
			return SCR_REDRAW;
		case KEY_PPAGE:
			for (int i = 0; i < 10; i++)
				move_focus(in, app, -1);
			return SCR_REDRAW;
		case KEY_LEFT: le_left(&r->le); return SCR_REDRAW;
		case KEY_RIGHT: le_right(&r->le); return SCR_REDRAW;
		case KEY_HOME: le_home(&r->le); return SCR_REDRAW;
		case KEY_END: le_end(&r->le); return SCR_REDRAW;
		case KEY_BACKSPACE: le_backspace(&r->le); return SCR_REDRAW;
		case KEY_DC: le_delete(&r->le); return SCR_REDRAW;
		default: return SCR_NONE;
		}
	}
	switch (k.code) {
	case '\t':
	case '\r':
	case '\n':
		move_focus(in, app, 1);
		return SCR_REDRAW;
	case 127:
	case CTRL_KEY('H'):
		le_backspace(&r->le);
		return SCR_REDRAW;
	case CTRL_KEY('A'): le_home(&r->le); return SCR_REDRAW;
	case CTRL_KEY('E'): le_end(&r->le); return SCR_REDRAW;
	case CTRL_KEY('K'): le_kill_end(&r->le); return SCR_REDRAW;
	case CTRL_KEY('U'): le_kill_start(&r->le); return SCR_REDRAW;
	case CTRL_KEY('W'): le_delete_word(&r->le); return SCR_REDRAW;
	default:
		if (k.code >= 0x20 && !le_insert(&r->le, (wchar_t)k.code))
			beep();
		return SCR_REDRAW;
	}
}

static void intake_free(struct screen *s)
{
	struct intake *in = s->data;
	for (int i = 0; i < in->n; i++) {
		free(in->rows[i].label);
		le_release(&in->rows[i].le);
	}
	md_result_release(&in->issues);
	free(in);
}

static const struct screen_class intake_class = {
	"intake", N_("Intake"), intake_keys, 1, intake_draw, intake_key, intake_free
};

/* preset_person: start the form on an existing person (from the record view), or 0. */
struct screen *intake_screen_new(struct app *app, const char *type, long long preset_person,
                                 long long preset_household)
{
	struct intake *in = xcalloc(1, sizeof *in);
	struct screen *s;
	char buf[24];

	in->t = md_change_type(type);
	md_result_init(&in->issues);
	build(in);
	if (preset_household && (in->t->subject == MD_SUBJ_HOUSEHOLD || in->t->subject == MD_SUBJ_BIRTH)) {
		int r = row_of(in, 0, "household");
		snprintf(buf, sizeof buf, "%lld", preset_household);
		if (r >= 0) {
			le_set_utf8(&in->rows[r].le, buf);
			lock_household(in, app);
		}
	}
	if (preset_person) {
		int r = row_of(in, 1, "person");
		snprintf(buf, sizeof buf, "%lld", preset_person);
		if (r >= 0) {
			le_set_utf8(&in->rows[r].le, buf);
			load_person(in, app, 1);
		}
	}
	s = screen_new(&intake_class, in);
	{
		static char title[128];
		snprintf(title, sizeof title, "%s %s", _("Intake:"), in->t->name);
		s->title = title;
	}
	return s;
}

/* ---- the chooser ------------------------------------------------------------ */

struct chooser {
	int sel;
	int n;
	int nleft;     /* notifications, shown on the left */
	const struct md_change_type *types[32];
	long long person, household;
};

static const struct keybind chooser_keys[] = {
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void chooser_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct chooser *c = s->data;
	char line[160];
	int half = c->nleft, depth = c->nleft > c->n - c->nleft ? c->nleft : c->n - c->nleft;

	for (int i = 0; i < c->n; i++) {
		int col = i < half ? 4 : cols / 2 + 2;
		int y = top + 1 + (i < half ? i : i - half);
		snprintf(line, sizeof line, " %c. %s ", i < 9 ? '1' + i : 'a' + (i - 9), c->types[i]->name);
		if (i == c->sel)
			attron(A_REVERSE);
		draw_text(w, y, col, cols / 2 - 6, line);
		if (i == c->sel)
			attroff(A_REVERSE);
	}
	snprintf(line, sizeof line, "%s", _("届出 (notifications) on the left, 職権 (ex officio) on the right."));
	draw_text(w, top + 2 + depth, 4, cols - 8, line);
}

static int chooser_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct chooser *c = s->data;
	int pick = -1;

	if (a == ACT_BACK)
		return SCR_CLOSE;
	if (k.is_key && k.code == KEY_UP && c->sel > 0)
		c->sel--;
	else if (k.is_key && k.code == KEY_DOWN && c->sel + 1 < c->n)
		c->sel++;
	else if (k.is_key && k.code == KEY_LEFT && c->sel >= c->nleft)
		c->sel = c->sel - c->nleft < c->nleft ? c->sel - c->nleft : c->nleft - 1;
	else if (k.is_key && k.code == KEY_RIGHT && c->sel < c->nleft)
		c->sel = c->sel + c->nleft < c->n ? c->sel + c->nleft : c->n - 1;
	else if ((k.is_key && k.code == KEY_ENTER) || (!k.is_key && (k.code == '\r' || k.code == '\n')))
		pick = c->sel;
	else if (!k.is_key && k.code >= '1' && k.code <= '9' && (int)(k.code - '1') < c->n)
		pick = (int)(k.code - '1');
	else if (!k.is_key && k.code >= 'a' && k.code <= 'z' && (int)(k.code - 'a') + 9 < c->n)
		pick = (int)(k.code - 'a') + 9;
	if (pick >= 0) {
		app->next = intake_screen_new(app, c->types[pick]->code, c->person, c->household);
		return SCR_PUSH;
	}
	return SCR_REDRAW;
}

static void chooser_free(struct screen *s)
{
	free(s->data);
}

static const struct screen_class chooser_class = {
	"chooser", N_("Record a change"), chooser_keys, 1, chooser_draw, chooser_key, chooser_free
};

struct screen *chooser_screen_new(struct app *app, long long person, long long household)
{
	struct chooser *c = xcalloc(1, sizeof *c);
	(void)app;
	/* Notifications first, then ex officio changes. */
	for (int pass = 0; pass < 2; pass++)
		for (const struct md_change_type *t = md_change_types(); t->code && c->n < 32; t++)
			if (t->notification == !pass) {
				c->types[c->n++] = t;
				c->nleft += !pass;
			}
	c->person = person;
	c->household = household;
	return screen_new(&chooser_class, c);
}
