/* scr_reports.c: the supervisor's daily report (日報): the sections of the
 * core's "report.daily" one under the other (certificates and fees per
 * terminal, changes waiting, 支援措置 ending, certificates voided), for a
 * day the supervisor steps through. Each load is one audited read. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "i18n.h"
#include "result.h"
#include "screens.h"
#include "textwidth.h"
#include "timeutil.h"
#include "tui.h"
#include "xalloc.h"

struct report {
	char date[16];
	struct md_result res;
	int loaded;
	int ok;
	int scroll;
};

static const struct keybind report_keys[] = {
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_SUBMIT, 5, 0, N_("Today"), 0 },
	{ ACT_GRANT, 6, 0, N_("Previous day"), 0 },
	{ ACT_REVOKE, 7, 0, N_("Next day"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void set_today(struct report *r)
{
	md_date_local(md_time_now(), r->date, sizeof r->date);
}

static void step_day(struct report *r, int days)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	if (sscanf(r->date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_mday += days;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	if (mktime(&tm) == (time_t)-1)
		return;
	strftime(r->date, sizeof r->date, "%Y-%m-%d", &tm);
}

static void load(struct report *r, struct app *app)
{
	struct md_args a;
	struct md_error err;

	md_result_release(&r->res);
	md_result_init(&r->res);
	md_args_init(&a);
	md_args_set(&a, "date", r->date);
	r->ok = app_exec(app, "report.daily", &a, &r->res, &err) == MD_OK;
	r->loaded = 1;
	r->scroll = 0;
}

/* The lines shown: a heading per section, then its rows. */
static int line_count(const struct md_table *t)
{
	int n = 0;
	for (int i = 0; i < t->nrows; i++) {
		if (i == 0 || strcmp(t->rows[i][0], t->rows[i - 1][0]) != 0)
			n += i == 0 ? 1 : 2;
		n++;
	}
	return n;
}

static void put_cell(char *line, size_t n, const char *text, int width)
{
	char *p = tw_pad(text, width);
	strncat(line, p, n - strlen(line) - 1);
	strncat(line, "  ", n - strlen(line) - 1);
	free(p);
}

static void report_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct report *r = s->data;
	const struct md_table *t;
	int witem = 0, wcount = 0, wfees = 0, visible, total;
	char head[200], line[2048];

	if (!r->loaded || app->dirty) {
		app->dirty = 0;
		load(r, app);
	}
	t = &r->res.table;
	snprintf(head, sizeof head, _("Daily report for %s"), r->date);
	attron(A_BOLD);
	draw_text(w, top, 1, cols - 2, head);
	attroff(A_BOLD);
	if (!r->ok || t->ncols != 5) {
		draw_text(w, top + 2, 2, cols - 4, _("The report could not be read (see the message line)."));
		return;
	}
	for (int i = 0; i < t->nrows; i++) {
		int a = tw_width(t->rows[i][1]), b = tw_width(t->rows[i][2]), c = tw_width(t->rows[i][3]);
		witem = a > witem ? a : witem;
		wcount = b > wcount ? b : wcount;
		wfees = c > wfees ? c : wfees;
	}
	if (witem > cols / 2)
		witem = cols / 2;
	visible = rows - 2;
	total = line_count(t);
	if (r->scroll > total - visible)
		r->scroll = total - visible > 0 ? total - visible : 0;
	for (int i = 0, ln = 0; i < t->nrows; i++) {
		if (i == 0 || strcmp(t->rows[i][0], t->rows[i - 1][0]) != 0) {
			if (i > 0)
				ln++;                 /* a blank line between sections */
			if (ln >= r->scroll && ln - r->scroll < visible) {
				snprintf(line, sizeof line, "■ %s", t->rows[i][0]);
				attron(A_UNDERLINE);
				draw_text(w, top + 2 + (ln - r->scroll), 1, cols - 2, line);
				attroff(A_UNDERLINE);
			}
			ln++;
		}
		if (ln >= r->scroll && ln - r->scroll < visible) {
			line[0] = '\0';
			strncat(line, "   ", sizeof line - 1);
			put_cell(line, sizeof line, t->rows[i][1], witem);
			if (wcount)
				put_cell(line, sizeof line, t->rows[i][2], wcount);
			if (wfees)
				put_cell(line, sizeof line, t->rows[i][3], wfees);
			strncat(line, t->rows[i][4], sizeof line - strlen(line) - 1);
			draw_text(w, top + 2 + (ln - r->scroll), 1, cols - 2, line);
		}
		ln++;
	}
}

static int report_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct report *r = s->data;

	switch (a) {
	case ACT_BACK:
		return SCR_CLOSE;
	case ACT_SUBMIT:
		set_today(r);
		load(r, app);
		return SCR_REDRAW;
	case ACT_GRANT:
		step_day(r, -1);
		load(r, app);
		return SCR_REDRAW;
	case ACT_REVOKE:
		step_day(r, 1);
		load(r, app);
		return SCR_REDRAW;
	default:
		break;
	}
	if (k.is_key && k.code == KEY_LEFT) {
		step_day(r, -1);
		load(r, app);
	} else if (k.is_key && k.code == KEY_RIGHT) {
		step_day(r, 1);
		load(r, app);
	} else if (k.is_key && k.code == KEY_UP && r->scroll > 0) {
		r->scroll--;
	} else if (k.is_key && k.code == KEY_DOWN) {
		r->scroll++;
	} else if (k.is_key && k.code == KEY_PPAGE) {
		r->scroll = r->scroll > 10 ? r->scroll - 10 : 0;
	} else if (k.is_key && k.code == KEY_NPAGE) {
		r->scroll += 10;
	}
	return SCR_REDRAW;
}

static void report_free(struct screen *s)
{
	struct report *r = s->data;
	md_result_release(&r->res);
	free(r);
}

static const struct screen_class report_class = {
	"report", N_("Daily report (日報)"), report_keys, 1, report_draw, report_key, report_free
};

struct screen *reports_screen_new(struct app *app)
{
	struct report *r = xcalloc(1, sizeof *r);
	(void)app;
	md_result_init(&r->res);
	set_today(r);
	return screen_new(&report_class, r);
}
