/* uitest.h: the headless curses fixture shared by the screen tests: a
 * training database, the app on a curses screen writing to /dev/null, key
 * presses through app_key(), and the screen read back with mvinnwstr(). */
#ifndef MD_UITEST_H
#define MD_UITEST_H

#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <curses.h>

#include "cmd.h"
#include "ctx.h"
#include "lang.h"
#include "screens.h"
#include "settings.h"
#include "textwidth.h"
#include "tui.h"

struct fixture {
	char dir[256];
	char db[300];
	struct md_ctx *ctx;
	SCREEN *scr;
	FILE *out, *in;
	struct app app;
};

static inline int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct md_settings cfg;
	struct md_error err;

	setlocale(LC_ALL, "C.UTF-8");
	unsetenv("LANGUAGE");
	snprintf(f->dir, sizeof f->dir, "%s/mdui.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
	md_settings_defaults(&cfg);
	if (md_db_create(&cfg, f->db, NULL, MD_DB_TRAINING, NULL, NULL, &err) != MD_OK)
		return -1;
	if (md_ctx_open(&f->ctx, &cfg, f->db, NULL, MD_DB_TRAINING, &err) != MD_OK)
		return -1;
	setenv("LINES", "30", 1);
	setenv("COLUMNS", "100", 1);
	f->out = fopen("/dev/null", "w");
	f->in = fopen("/dev/null", "r");
	f->scr = newterm("xterm", f->out, f->in);
	if (!f->scr)
		return -1;
	set_term(f->scr);
	app_init(&f->app, f->ctx);
	app_start(&f->app);
	app_draw(&f->app);
	*state = f;
	return 0;
}

static inline int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[400];

	app_release(&f->app);
	endwin();
	delscreen(f->scr);
	fclose(f->out);
	fclose(f->in);
	md_ctx_free(&f->ctx);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* One screen row as UTF-8 (trailing blanks kept); the cursor stays put. */
static inline char *row(int y)
{
	wchar_t buf[512];
	int cy, cx, n;
	getyx(stdscr, cy, cx);
	n = mvinnwstr(y, 0, buf, COLS);
	move(cy, cx);
	if (n < 0)
		n = 0;
	buf[n] = L'\0';
	return tw_wcs_to_utf8(buf, (size_t)n);
}

static inline int screen_has(const char *needle)
{
	for (int y = 0; y < LINES; y++) {
		char *r = row(y);
		int hit = strstr(r, needle) != NULL;
		free(r);
		if (hit)
			return 1;
	}
	return 0;
}

static inline void dump(void)
{
	for (int y = 0; y < LINES; y++) {
		char *r = row(y);
		print_message("%2d|%s\n", y, r);
		free(r);
	}
}

#define assert_screen(s) do { if (!screen_has(s)) { dump(); fail_msg("screen lacks \"%s\"", s); } } while (0)
#define assert_not_screen(s) do { if (screen_has(s)) { dump(); fail_msg("screen shows \"%s\"", s); } } while (0)

static inline void type(struct fixture *f, const char *utf8)
{
	size_t n = 0;
	wchar_t *w = tw_utf8_to_wcs(utf8, &n);
	for (size_t i = 0; i < n; i++) {
		struct keypress k = { 0, (wint_t)w[i] };
		app_key(&f->app, k);
	}
	free(w);
	app_draw(&f->app);
}

static inline void key(struct fixture *f, int is_key, wint_t code)
{
	struct keypress k = { is_key, code };
	app_key(&f->app, k);
	app_draw(&f->app);
}

static inline void login(struct fixture *f, const char *user, const char *pw)
{
	type(f, user);
	key(f, 0, '\r');
	type(f, pw);
	key(f, 0, '\r');
}


/* Presses the number (or, past 9, the letter) of the menu entry whose label
 * contains text. */
static inline void choose(struct fixture *f, const char *text)
{
	for (int y = 0; y < LINES; y++) {
		char *r = row(y);
		char *hit = strstr(r, text);
		if (hit) {
			char *p = r;
			while (*p == ' ')
				p++;
			if (((*p >= '1' && *p <= '9') || (*p >= 'a' && *p <= 'z')) && p[1] == '.') {
				struct keypress k = { 0, (wint_t)*p };
				free(r);
				app_key(&f->app, k);
				app_draw(&f->app);
				return;
			}
		}
		free(r);
	}
	dump();
	fail_msg("no menu entry \"%s\"", text);
}

static inline void logout(struct fixture *f)
{
	key(f, 1, KEY_F(10));
}

#endif
