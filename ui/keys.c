/* keys.c: key tables, lookup and the help bar. Terminals without function
 * keys send Esc then a digit (Esc 1 = F1 ... Esc 0 = F10); the reader in
 * tui.c turns that pair into the function key before it gets here. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "keys.h"
#include "textwidth.h"

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

struct hint {
	int order;
	char text[96];
};

static int collect(const struct keybind *t, struct hint *h, int n, int max)
{
	for (const struct keybind *b = t; b && b->action != ACT_NONE && n < max; b++) {
		if (b->hidden || !b->label)
			continue;
		if (b->fkey) {
			h[n].order = b->fkey;
			snprintf(h[n].text, sizeof h[n].text, "F%d %s", b->fkey, _(b->label));
		} else {
			h[n].order = 100 + b->ctrl;
			snprintf(h[n].text, sizeof h[n].text, "^%c %s", b->ctrl + '@', _(b->label));
		}
		n++;
	}
	return n;
}

int keys_help_lines(const struct keybind *screen_keys, const struct keybind *global, int cols,
                    char lines[2][KEYS_BAR_MAX])
{
	struct hint h[32];
	int n = 0, line = 0;
	size_t len[2] = { 0, 0 };
	int width[2] = { 0, 0 };

	n = collect(screen_keys, h, n, 32);
	n = collect(global, h, n, 32);
	/* Insertion sort by function key: the bar reads F1, F2, ... F10. */
	for (int i = 1; i < n; i++) {
		struct hint t = h[i];
		int j = i;
		while (j > 0 && h[j - 1].order > t.order) {
			h[j] = h[j - 1];
			j--;
		}
		h[j] = t;
	}
	lines[0][0] = lines[1][0] = '\0';
	for (int i = 0; i < n; i++) {
		int w = tw_width(h[i].text) + (width[line] ? 2 : 0);
		if (width[line] + w > cols && width[line] > 0 && line == 0) {
			line = 1;
			w = tw_width(h[i].text);
		}
		len[line] += (size_t)snprintf(lines[line] + len[line], KEYS_BAR_MAX - len[line], "%s%s",
		                              width[line] ? "  " : "", h[i].text);
		if (len[line] >= KEYS_BAR_MAX)
			len[line] = KEYS_BAR_MAX - 1;
		width[line] += w;
	}
	return line + 1;
}
