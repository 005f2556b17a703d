/* tui.c: the full-screen loop. Layout, top to bottom: the status line
 * (municipality, terminal, user, role, clock, training banner), the screen's
 * title, its body, the message line and the key help bar generated from the
 * key tables. Nothing of a resident is shown before login; a lock clears the
 * screen. */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cmd.h"
#include "ctx.h"
#include "i18n.h"
#include "lang.h"
#include "lineedit.h"
#include "screens.h"
#include "textwidth.h"
#include "timeutil.h"
#include "tui.h"
#include "xalloc.h"

struct screen *screen_new(const struct screen_class *cls, void *data)
{
	struct screen *s = xcalloc(1, sizeof *s);
	s->cls = cls;
	s->data = data;
	s->cursor_y = -1;
	return s;
}

static void screen_free(struct screen *s)
{
	if (!s)
		return;
	if (s->cls->free)
		s->cls->free(s);
	free(s);
}

static void push(struct app *app, struct screen *s)
{
	s->below = app->top;
	app->top = s;
}

static void pop(struct app *app)
{
	struct screen *s = app->top;
	if (!s)
		return;
	app->top = s->below;
	screen_free(s);
}

static void clear_stack(struct app *app)
{
	while (app->top)
		pop(app);
}

void app_init(struct app *app, struct md_ctx *ctx)
{
	memset(app, 0, sizeof *app);
	app->ctx = ctx;
	app->last_input = time(NULL);
}

void app_release(struct app *app)
{
	clear_stack(app);
	screen_free(app->next);
	app->next = NULL;
}

void app_message(struct app *app, int error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(app->message, sizeof app->message, fmt, ap);
	va_end(ap);
	app->message_error = error;
}

void app_start(struct app *app)
{
	clear_stack(app);
	push(app, login_screen_new(app));
}

void app_logout(struct app *app, const char *why)
{
	struct md_result res;
	struct md_error err;

	md_result_init(&res);
	if (app->ctx->session)
		md_cmd_exec(app->ctx, "logout", NULL, &res, &err);
	md_result_release(&res);
	clear_stack(app);
	push(app, login_screen_new(app));
	if (why)
		app_message(app, 0, "%s", why);
	else
		app->message[0] = '\0';
}

void app_lock(struct app *app, const char *why)
{
	memset(app->message, 0, sizeof app->message);
	app->message_secret = 0;
	struct md_args args;
	struct md_result res;
	struct md_error err;

	if (!app->ctx->session || app->ctx->session->locked)
		return;
	md_args_init(&args);
	md_args_set(&args, "why", why);
	md_result_init(&res);
	if (md_cmd_exec(app->ctx, "lock", &args, &res, &err) == MD_OK)
		push(app, lock_screen_new(app));
	md_result_release(&res);
	app->message[0] = '\0';
}

static void apply(struct app *app, int flags)
{
	if (flags & SCR_QUIT) {
		app->quit = 1;
		return;
	}
	if (flags & SCR_CLOSE)
		pop(app);
	if ((flags & SCR_CLOSE_PARENT) && app->top && app->top->below)
		pop(app);
	if (flags & SCR_RESET)
		clear_stack(app);
	if ((flags & (SCR_PUSH | SCR_RESET)) && app->next) {
		push(app, app->next);
		app->next = NULL;
	}
	if (!app->top)
		push(app, login_screen_new(app));
}

void app_key(struct app *app, struct keypress k)
{
	struct screen *s = app->top;
	enum action a;

	app->last_input = time(NULL);
	if (app->message_secret) {
		/* A revealed My Number stays only until the next key. */
		memset(app->message, 0, sizeof app->message);
		app->message_secret = 0;
	}
	if (!s || app->too_small)
		return;
	a = keys_lookup(s->cls->keys, k);
	if (a == ACT_NONE && s->cls->needs_session)
		a = keys_lookup(keys_global, k);
	if (a == ACT_NONE)
		a = keys_lookup(keys_global, k) == ACT_REDRAW ? ACT_REDRAW : ACT_NONE;

	switch (a) {
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		return;
	case ACT_HELP:
		if (s->cls->needs_session || s->cls->keys) {
			push(app, help_screen_new(s));
			return;
		}
		break;
	case ACT_LOCK:
		if (s->cls->needs_session && app->ctx->session) {
			app_lock(app, "key");
			return;
		}
		break;
	case ACT_LOGOUT:
		if (s->cls->needs_session && app->ctx->session) {
			app_logout(app, _("You have logged out."));
			return;
		}
		break;
	default:
		break;
	}
	apply(app, s->cls->key(s, app, a, k));
}

void app_tick(struct app *app)
{
	struct md_session *se = app->ctx->session;
	long idle = (long)app->ctx->cfg.idle_lock_minutes * 60;

	if (!se || se->locked || !app->top || !app->top->cls->needs_session)
		return;
	if (time(NULL) - app->last_input >= idle)
		app_lock(app, "idle");
}

/* ---- drawing ------------------------------------------------------------- */

void draw_text(WINDOW *w, int y, int x, int cols, const char *utf8)
{
	char *t;
	if (cols <= 0)
		return;
	t = tw_fit(utf8 ? utf8 : "", cols);
	mvwaddstr(w, y, x, t);
	free(t);
}

void draw_field(WINDOW *w, int y, int x, int cols, struct lineedit *le, int focused, int *cy, int *cx)
{
	int ccol = 0;
	char *view = le_view_utf8(le, cols, &ccol);

	wattron(w, focused ? A_REVERSE : A_UNDERLINE);
	mvwaddstr(w, y, x, view);
	wattroff(w, focused ? A_REVERSE : A_UNDERLINE);
	free(view);
	if (focused && cy && cx) {
		*cy = y;
		*cx = x + ccol;
	}
}

static void draw_status(struct app *app)
{
	struct md_ctx *ctx = app->ctx;
	struct md_session *se = ctx->session;
	char left[256], right[512], clock[32];
	const char *roles = "";
	time_t now = time(NULL);
	struct tm tm;
	int lw, rw;

	localtime_r(&now, &tm);
	strftime(clock, sizeof clock, "%Y-%m-%d %H:%M", &tm);
	snprintf(left, sizeof left, " %s %s", ctx->cfg.municipality_name, ctx->cfg.terminal_id);
	if (se)
		roles = lang_is_japanese() ? se->roles_ja : se->roles_en;
	if (se && !se->locked)
		snprintf(right, sizeof right, "%s %s (%s)  %s ", se->user, se->display_name, roles, clock);
	else
		snprintf(right, sizeof right, "%s ", clock);

	attron(A_REVERSE);
	mvhline(0, 0, ' ', app->cols);
	draw_text(stdscr, 0, 0, app->cols, left);
	lw = tw_width(left) + 1;
	if (ctx->kind == MD_DB_TRAINING) {
		/* TRANSLATORS: banner shown on every screen of a training database. */
		char *b = xasprintf(" %s ", _("TRAINING"));
		/* Inverted inside the inverted bar: it stands out on every screen. */
		attroff(A_REVERSE);
		attron(A_BOLD);
		draw_text(stdscr, 0, lw, app->cols - lw, b);
		attroff(A_BOLD);
		attron(A_REVERSE);
		lw += tw_width(b);
		free(b);
	}
	rw = tw_width(right);
	if (se && !se->locked && lw + rw >= app->cols) {
		/* Narrow terminal: the name goes, the ID, role and clock stay. */
		snprintf(right, sizeof right, "%s (%s)  %s ", se->user, roles, clock);
		rw = tw_width(right);
	}
	if (lw + rw < app->cols)
		draw_text(stdscr, 0, app->cols - rw, rw, right);
	attroff(A_REVERSE);
}

static void draw_too_small(struct app *app)
{
	char line[160];
	erase();
	snprintf(line, sizeof line, _("Please enlarge the terminal to at least %dx%d (now %dx%d)."),
	         MIN_COLS, MIN_ROWS, app->cols, app->rows);
	draw_text(stdscr, app->rows / 2, 0, app->cols, line);
	curs_set(0);
}

void app_draw(struct app *app)
{
	struct screen *s = app->top;
	char bar[2][KEYS_BAR_MAX];
	int bar_lines, msg_lines = 1, msg_top;
	char *first = NULL;

	getmaxyx(stdscr, app->rows, app->cols);
	app->too_small = app->rows < MIN_ROWS || app->cols < MIN_COLS;
	if (app->too_small) {
		draw_too_small(app);
		return;
	}
	erase();
	draw_status(app);
	if (!s)
		return;
	bar_lines = keys_help_lines(s->cls->keys, s->cls->needs_session ? keys_global : NULL,
	                            app->cols, bar);
	if (tw_width(app->message) > app->cols - 2) {
		first = tw_fit(app->message, app->cols - 2);
		msg_lines = 2;
	}
	msg_top = app->rows - bar_lines - msg_lines;

	attron(A_BOLD);
	draw_text(stdscr, 1, 1, app->cols - 2, s->title ? s->title : _(s->cls->title));
	attroff(A_BOLD);
	mvhline(2, 0, ACS_HLINE, app->cols);
	s->cursor_y = -1;
	s->cls->draw(s, app, stdscr, 3, msg_top - 3, app->cols);

	if (app->message[0]) {
		if (app->message_error)
			attron(A_BOLD);
		if (first) {
			draw_text(stdscr, msg_top, 1, app->cols - 2, first);
			draw_text(stdscr, msg_top + 1, 1, app->cols - 2, app->message + strlen(first));
		} else {
			draw_text(stdscr, msg_top, 1, app->cols - 2, app->message);
		}
		if (app->message_error)
			attroff(A_BOLD);
	}
	free(first);
	attron(A_REVERSE);
	for (int i = 0; i < bar_lines; i++) {
		int y = app->rows - bar_lines + i;
		mvhline(y, 0, ' ', app->cols);
		draw_text(stdscr, y, 0, app->cols, bar[i]);
	}
	attroff(A_REVERSE);
	if (s->cursor_y >= 0) {
		curs_set(1);
		move(s->cursor_y, s->cursor_x);
	} else {
		curs_set(0);
	}
}

/* ---- the loop -------------------------------------------------------------- */

static void fatal_endwin(void)
{
	endwin();
}

/* Reads one key; Esc followed by a digit is that function key. Returns 0 on
 * timeout. */
static int read_key(struct keypress *k)
{
	wint_t c;
	int r = get_wch(&c);

	if (r == ERR)
		return 0;
	k->is_key = r == KEY_CODE_YES;
	k->code = c;
	if (!k->is_key && c == 27) {
		wint_t d;
		int r2;
		timeout(300);
		r2 = get_wch(&d);
		timeout(1000);
		if (r2 == OK && d >= '0' && d <= '9') {
			k->is_key = 1;
			k->code = (wint_t)KEY_F(d == '0' ? 10 : (int)(d - '0'));
		} else if (r2 != ERR) {
			/* Alt+key: ignore the Esc and keep the key. */
			k->is_key = r2 == KEY_CODE_YES;
			k->code = d;
		}
	}
	return 1;
}

static volatile sig_atomic_t hangup;

static void on_hangup(int sig)
{
	(void)sig;
	hangup = 1;
}

int tui_run(struct md_ctx *ctx)
{
	struct app app;
	struct sigaction sa;
	SCREEN *scr;

	/* A closed terminal or a kill still logs the user out, so the audit
	 * log has the logout. No SA_RESTART: the key read returns at once. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_hangup;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	scr = newterm(NULL, stdout, stdin);
	if (!scr)
		return -1;
	set_term(scr);
	md_set_fatal_hook(fatal_endwin);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(50);
	timeout(1000);
	if (has_colors()) {
		start_color();
		use_default_colors();
	}

	app_init(&app, ctx);
	app_start(&app);
	while (!app.quit && !hangup) {
		struct keypress k;
		app_draw(&app);
		refresh();
		if (!read_key(&k)) {
			app_tick(&app);
			continue;
		}
		if (k.is_key && k.code == KEY_RESIZE)
			continue;
		app_key(&app, k);
	}
	if (ctx->session)
		app_logout(&app, NULL);
	app_release(&app);
	/* Nothing of the session stays on the terminal. */
	erase();
	refresh();
	endwin();
	delscreen(scr);
	md_set_fatal_hook(NULL);
	return 0;
}

int app_exec(struct app *app, const char *name, const struct md_args *args, struct md_result *res,
             struct md_error *err)
{
	int rc = md_cmd_exec(app->ctx, name, args, res, err);
	if (rc != MD_OK)
		app_message(app, 1, "%s", err->msg);
	else if (res->message)
		app_message(app, 0, "%s", res->message);
	return rc;
}
