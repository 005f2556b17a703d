/* scr_commands.c: a menu of commands of the core's table: a command that
 * lists opens as a list, one that acts opens the form generated from its
 * arguments. Used for 抑止・支援措置; an entry shows only when
 * the core would let this user run it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "i18n.h"
#include "scr_list.h"
#include "screens.h"
#include "tui.h"
#include "xalloc.h"

struct centry {
	const char *command;
	int list;             /* 1: run at once and show the table */
};

struct cmenu {
	const struct centry *all;
	const struct centry *shown[24];
	int n, sel;
};

static const struct centry protect_entries[] = {
	{ "support.list", 1 },
	{ "support.attempts", 1 },
	{ "support.set", 0 },
	{ "support.confirm", 0 },
	{ "support.extend", 0 },
	{ "support.end", 0 },
	{ "support.show", 0 },
	{ "suppression.list", 1 },
	{ "suppression.set", 0 },
	{ "suppression.release", 0 },
	{ "suppression.end", 0 },
	{ NULL, 0 }
};

static const struct keybind cmenu_keys[] = {
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void cmenu_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct cmenu *m = s->data;
	char line[200];
	for (int i = 0; i < m->n && i < rows - 1; i++) {
		const struct md_cmd_entry *e = md_cmd_find(m->shown[i]->command);
		snprintf(line, sizeof line, " %c. %s ", i < 9 ? '1' + i : 'a' + i - 9, _(e->help));
		if (i == m->sel)
			attron(A_REVERSE);
		draw_text(w, top + 1 + i, 4, cols - 8, line);
		if (i == m->sel)
			attroff(A_REVERSE);
	}
	if (m->n == 0)
		draw_text(w, top + 1, 4, cols - 8, _("(nothing)"));
}

static int open_entry(struct app *app, const struct centry *c)
{
	if (c->list) {
		const struct md_cmd_entry *e = md_cmd_find(c->command);
		struct list_spec spec = { _(e->help), c->command, NULL, NULL, NULL, NULL, NULL };
		app->next = list_screen_new(&spec, NULL);
	} else {
		app->next = cmdform_screen_new(c->command, NULL, NULL);
	}
	return SCR_PUSH;
}

static int cmenu_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct cmenu *m = s->data;
	if (a == ACT_BACK)
		return SCR_CLOSE;
	if (k.is_key && k.code == KEY_UP && m->sel > 0)
		m->sel--;
	else if (k.is_key && k.code == KEY_DOWN && m->sel + 1 < m->n)
		m->sel++;
	else if (m->n && ((k.is_key && k.code == KEY_ENTER) || (!k.is_key && (k.code == '\r' || k.code == '\n'))))
		return open_entry(app, m->shown[m->sel]);
	else if (!k.is_key && k.code >= '1' && k.code <= '9' && (int)(k.code - '1') < m->n)
		return open_entry(app, m->shown[k.code - '1']);
	else if (!k.is_key && k.code >= 'a' && k.code <= 'z' && (int)(k.code - 'a') + 9 < m->n)
		return open_entry(app, m->shown[k.code - 'a' + 9]);
	return SCR_REDRAW;
}

static void cmenu_free(struct screen *s)
{
	free(s->data);
}

static const struct screen_class cmenu_class = {
	"commands", N_("Commands"), cmenu_keys, 1, cmenu_draw, cmenu_key, cmenu_free
};

static struct screen *cmenu_new(struct app *app, const struct centry *entries, const char *title)
{
	struct cmenu *m = xcalloc(1, sizeof *m);
	struct screen *s;
	for (const struct centry *c = entries; c->command && m->n < 24; c++)
		if (md_cmd_find(c->command) && md_cmd_allowed(app->ctx, c->command))
			m->shown[m->n++] = c;
	s = screen_new(&cmenu_class, m);
	s->title = title;
	return s;
}

struct screen *protect_screen_new(struct app *app)
{
	return cmenu_new(app, protect_entries, _("抑止 and 支援措置"));
}

struct screen *stats_screen_new(struct app *app)
{
	struct list_spec spec = { _("Statistics"), "stats", NULL, NULL, NULL, NULL, NULL };
	(void)app;
	return list_screen_new(&spec, NULL);
}
