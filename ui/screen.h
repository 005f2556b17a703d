/* screen.h: a screen is a small vtable (tmux window_mode, htop PanelClass):
 * init, draw, key, free. key() never draws; it returns flags that tell the
 * loop what to do next. */
#ifndef MD_SCREEN_H
#define MD_SCREEN_H

#include <curses.h>
#include "keys.h"

struct app;
struct screen;

enum screen_flags {
	SCR_NONE = 0,
	SCR_REDRAW = 1 << 0,   /* draw again */
	SCR_CLOSE = 1 << 1,    /* pop this screen */
	SCR_PUSH = 1 << 2,     /* push app->next */
	SCR_RESET = 1 << 3,    /* clear the stack, then push app->next (login, menu) */
	SCR_QUIT = 1 << 4,     /* leave the program */
	SCR_CLOSE_PARENT = 1 << 5, /* with SCR_CLOSE: the screen below goes too */
};

struct screen_class {
	const char *name;
	const char *title;              /* N_() */
	const struct keybind *keys;     /* this screen's bindings */
	int needs_session;              /* shows the global keys and can be idle-locked */
	void (*draw)(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols);
	/* action is the bound action (or ACT_NONE), k the raw key. */
	int (*key)(struct screen *s, struct app *app, enum action action, struct keypress k);
	void (*free)(struct screen *s);
};

struct screen {
	const struct screen_class *cls;
	void *data;
	struct screen *below;
	int cursor_y, cursor_x;         /* where draw() wants the cursor, -1 to hide */
	const char *title;              /* translated; overrides the class's title */
};

struct screen *screen_new(const struct screen_class *cls, void *data);

#endif
