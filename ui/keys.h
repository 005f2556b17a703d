/* keys.h: key bindings as data. One table per screen maps keys to actions
 * with a translatable label; the dispatcher and the key help bar both read
 * it, so the bar always shows what the keys really do. */
#ifndef MD_KEYS_H
#define MD_KEYS_H

#include <wchar.h>

enum action {
	ACT_NONE = 0,
	ACT_HELP,        /* F1 */
	ACT_BACK,        /* F3, Esc */
	ACT_SUBMIT,      /* F5 (and Enter on the last field) */
	ACT_LOCK,        /* F9 */
	ACT_LOGOUT,      /* F10 */
	ACT_REDRAW,      /* Ctrl-L */
	ACT_ADD,         /* F2 */
	ACT_DISABLE,     /* F4 */
	ACT_GRANT,       /* F6 */
	ACT_REVOKE,      /* F7 */
	ACT_UNLOCK_USER, /* F8 */
	ACT_RESET_PW,    /* F5 on the user list */
};

/* A key as read: either a curses key code (is_key) or a character. */
struct keypress {
	int is_key;
	wint_t code;
};

struct keybind {
	enum action action;
	int fkey;            /* n for F<n>, 0 when none */
	int ctrl;            /* control character equivalent, 0 when none */
	const char *label;   /* N_() for the help bar */
	int hidden;          /* dispatch, but do not show on the bar */
};

#define CTRL_KEY(c) ((c) & 0x1f)

/* The keys every logged-in screen has (lock, logout, help, redraw). */
extern const struct keybind keys_global[];

/* The action a key maps to in table (NULL-label-terminated by action 0), or ACT_NONE. */
enum action keys_lookup(const struct keybind *table, struct keypress k);
#define KEYS_BAR_MAX 512

/* The key help bar: the visible bindings of both tables ordered by function
 * key ("F1 Help  F2 Add ... F10 Logout"), laid out in one line of at most
 * cols columns, or two when one is not enough (split between entries).
 * Returns the number of lines used (1 or 2). */
int keys_help_lines(const struct keybind *screen_keys, const struct keybind *global, int cols,
                    char lines[2][KEYS_BAR_MAX]);

#endif
