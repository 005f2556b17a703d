/* scr_message.c: a page of text (results), and the key help of a screen,
 * generated from its key table. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screens.h"
#include "tui.h"
#include "xalloc.h"

struct page {
	char *title;
	char **lines;
	int n;
	int scroll;
};

static const struct keybind page_keys[] = {
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void page_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct page *p = s->data;
	attron(A_BOLD);
	draw_text(w, top, 2, cols - 4, p->title);
	attroff(A_BOLD);
	for (int i = 0; i + 2 < rows && p->scroll + i < p->n; i++)
		draw_text(w, top + 2 + i, 2, cols - 4, p->lines[p->scroll + i]);
}

static int page_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct page *p = s->data;
	if (a == ACT_BACK || (!k.is_key && (k.code == 27 || k.code == 'q' || k.code == '\r')))
		return SCR_CLOSE;
	if (k.is_key && (k.code == KEY_DOWN || k.code == KEY_NPAGE) && p->scroll + 1 < p->n)
		p->scroll++;
	else if (k.is_key && (k.code == KEY_UP || k.code == KEY_PPAGE) && p->scroll > 0)
		p->scroll--;
	return SCR_REDRAW;
}

static void page_free(struct screen *s)
{
	struct page *p = s->data;
	for (int i = 0; i < p->n; i++)
		free(p->lines[i]);
	free(p->lines);
	free(p->title);
	free(p);
}

static const struct screen_class page_class = {
	"page", N_("Information"), page_keys, 1, page_draw, page_key, page_free
};

struct screen *message_screen_new(const char *title, const char *const *lines, int nlines)
{
	struct page *p = xcalloc(1, sizeof *p);
	p->title = xstrdup(title);
	p->lines = xcalloc((size_t)nlines + 1, sizeof *p->lines);
	for (int i = 0; i < nlines; i++)
		p->lines[i] = xstrdup(lines[i]);
	p->n = nlines;
	return screen_new(&page_class, p);
}

static int add_keys(char **lines, int n, const struct keybind *t)
{
	for (const struct keybind *b = t; b && b->action != ACT_NONE; b++) {
		if (!b->label)
			continue;
		if (b->fkey)
			lines[n++] = xasprintf("F%-2d  Esc %d   %s", b->fkey, b->fkey % 10, _(b->label));
		else
			lines[n++] = xasprintf("Ctrl-%c        %s", b->ctrl + '@', _(b->label));
	}
	return n;
}

struct screen *help_screen_new(const struct screen *of)
{
	char *lines[48];
	int n = 0;
	struct screen *s;
	char *title = xasprintf(_("Keys: %s"), _(of->cls->title));

	n = add_keys(lines, n, of->cls->keys);
	if (of->cls->needs_session)
		n = add_keys(lines, n, keys_global);
	lines[n++] = xstrdup("");
	lines[n++] = xstrdup(_("In a field: arrows, Home/End, Backspace/Delete, Ctrl-A/E/K/U/W;"));
	lines[n++] = xstrdup(_("Tab or Down: next field; Shift-Tab or Up: previous; Enter: next or submit."));
	lines[n++] = xstrdup(_("Without function keys, press Esc then the digit (Esc 0 = F10)."));
	s = message_screen_new(title, (const char *const *)lines, n);
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(title);
	return s;
}
