/* tui.h: the full-screen program: the screen stack, the status line, the
 * message line, the key help bar, idle lock, resize. */
#ifndef MD_TUI_H
#define MD_TUI_H

#include <time.h>
#include <curses.h>
#include "screen.h"

struct md_ctx;
struct lineedit;

#define MIN_ROWS 24
#define MIN_COLS 80

struct app {
	struct md_ctx *ctx;
	struct screen *top;       /* the stack */
	struct screen *next;      /* set by key() with SCR_PUSH or SCR_RESET */
	char message[512];
	int message_error;
	time_t last_input;
	int quit;
	int rows, cols;
	int too_small;
	int dirty;                /* data changed: lists reload */
	int message_secret;       /* the message holds a My Number: cleared at the next key */
};

/* The app around an open context. */
void app_init(struct app *app, struct md_ctx *ctx);
void app_release(struct app *app);
/* Sets the message line. */
void app_message(struct app *app, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Pushes the first screen (login) and draws. */
void app_start(struct app *app);
/* Handles one key: global keys, then the top screen. */
void app_key(struct app *app, struct keypress k);
/* Checks the idle timer; locks the screen when it has run out. */
void app_tick(struct app *app);
/* Draws everything into stdscr (no refresh). */
void app_draw(struct app *app);
/* Logs out and returns to the login screen. */
void app_logout(struct app *app, const char *why);
/* Locks at once (quick lock or idle). */
void app_lock(struct app *app, const char *why);

struct md_args;
struct md_result;
struct md_error;
/* Runs a command; on failure its message goes to the message line, on
 * success the result's message. Returns the core status. */
int app_exec(struct app *app, const char *name, const struct md_args *args, struct md_result *res,
             struct md_error *err);

/* The whole program: curses set-up, loop, tear-down. */
int tui_run(struct md_ctx *ctx);

/* Drawing helpers shared by screens. */
void draw_text(WINDOW *w, int y, int x, int cols, const char *utf8);
void draw_field(WINDOW *w, int y, int x, int cols, struct lineedit *le, int focused, int *cy, int *cx);

#endif
