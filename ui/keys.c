/* keys.c: key tables, lookup and the help bar. Terminals without function
 * keys send Esc then a digit (Esc 1 = F1 ... Esc 0 = F10); the reader in
 * tui.c turns that pair into the function key before it gets here. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "keys.h"

const struct keybind keys_global[] = {
	{ ACT_HELP, 1, 0, N_("Help"), 0 },
	{ ACT_LOCK, 9, 0, N_("Lock"), 0 },
	{ ACT_LOGOUT, 10, 0, N_("Logout"), 0 },
	{ ACT_REDRAW, 0, CTRL_KEY('L'), N_("Redraw"), 1 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

enum action keys_lookup(const struct keybind *table, struct keypress k)
{
	if (!table)
		return ACT_NONE;
	for (const struct keybind *b = table; b->action != ACT_NONE; b++) {
		if (k.is_key && b->fkey && k.code == (wint_t)KEY_F(b->fkey))
			return b->action;
		if (!k.is_key && b->ctrl && k.code == (wint_t)b->ctrl)
			return b->action;
	}
	return ACT_NONE;
}

static size_t add_bindings(const struct keybind *t, char *buf, size_t n, size_t len)
{
	for (const struct keybind *b = t; b && b->action != ACT_NONE; b++) {
		int w;
		if (b->hidden || !b->label)
			continue;
		if (b->fkey)
			w = snprintf(buf + len, n - len, "%sF%d %s", len ? "  " : "", b->fkey, _(b->label));
		else
			w = snprintf(buf + len, n - len, "%s^%c %s", len ? "  " : "", b->ctrl + '@', _(b->label));
		if (w < 0 || (size_t)w >= n - len)
			return len;
		len += (size_t)w;
	}
	return len;
}

void keys_help_bar(const struct keybind *screen_keys, const struct keybind *global,
                   char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	len = add_bindings(screen_keys, buf, n, len);
	add_bindings(global, buf, n, len);
}
