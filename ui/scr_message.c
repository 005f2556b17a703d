/* scr_message.c: a page of text (results), and the key help of a screen,
 * generated from its key table. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screens.h"
#include "textwidth.h"
#include "tui.h"
#include "xalloc.h"

struct page {
	char *title;
	char **lines;
	int n;
	char **rows;   /* the lines wrapped to the width of the last draw */
	int nrows, width;
	int scroll;    /* the first row shown */
	int page;      /* rows shown at the last draw: PgUp/PgDn move by this */
	struct screen_class *cls;      /* message_screen_with_keys: its own class */
	struct message_keys mk;
};

static const struct keybind page_keys[] = {
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

/* The first line shown when the page shows `page` lines: never past the
 * point where the last line is at the bottom. */
static int page_clamp(const struct page *p, int scroll)
{
	int max = p->nrows - (p->page > 0 ? p->page : 1);
	if (scroll > max)
		scroll = max;
	return scroll < 0 ? 0 : scroll;
}

static void rows_free(struct page *p)
{
	for (int i = 0; i < p->nrows; i++)
		free(p->rows[i]);
	free(p->rows);
	p->rows = NULL;
	p->nrows = 0;
}

/* The lines cut into rows of at most width columns, a continuation
 * indented by two; rows are rebuilt when the width changes. */
static void rows_build(struct page *p, int width)
{
	int cap = p->n + 8;

	rows_free(p);
	p->width = width;
	p->rows = xcalloc((size_t)cap, sizeof *p->rows);
	for (int i = 0; i < p->n; i++) {
		const char *at = p->lines[i];
		size_t left = strlen(at);
		int cont = 0;
		do {
			int room = cont && width > 8 ? width - 2 : width, used = 0;
			size_t bytes = 0;
			while (bytes < left) {
				wchar_t wc;
				size_t k = tw_utf8_decode1(at + bytes, left - bytes, &wc);
				int cw = tw_wcwidth(wc);
				if (cw < 0)
					cw = 1;
				if (used + cw > room && bytes > 0)
					break;
				used += cw;
				bytes += k;
			}
			if (p->nrows + 1 >= cap) {
				cap *= 2;
				p->rows = xrealloc(p->rows, (size_t)cap * sizeof *p->rows);
			}
			p->rows[p->nrows++] = xasprintf("%s%.*s", cont && width > 8 ? "  " : "", (int)bytes, at);
			at += bytes;
			left -= bytes;
			cont = 1;
		} while (left > 0);
	}
}

static void page_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct page *p = s->data;
	int shown = rows - 2 > 1 ? rows - 2 : 1, more;

	if (!p->rows || p->width != cols - 4)
		rows_build(p, cols - 4 > 1 ? cols - 4 : 1);
	more = p->nrows > shown && shown > 1;   /* the last row says where the page is */
	p->page = more ? shown - 1 : shown;
	p->scroll = page_clamp(p, p->scroll);
	attron(A_BOLD);
	draw_text(w, top, 2, cols - 4, p->title);
	attroff(A_BOLD);
	for (int i = 0; i < p->page && p->scroll + i < p->nrows; i++)
		draw_text(w, top + 2 + i, 2, cols - 4, p->rows[p->scroll + i]);
	if (more) {
		int last = p->scroll + p->page < p->nrows ? p->scroll + p->page : p->nrows;
		char *where = xasprintf(_("lines %d-%d of %d (PgUp/PgDn: a page; arrows: a line)"), p->scroll + 1,
		                        last, p->nrows);
		attron(A_DIM);
		draw_text(w, top + 2 + p->page, 2, cols - 4, where);
		attroff(A_DIM);
		free(where);
	}
}

static int page_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct page *p = s->data;
	int step = p->page > 1 ? p->page : 1;

	if (p->mk.on_key && a != ACT_NONE && a != ACT_BACK)
		return p->mk.on_key(app, a, p->mk.user);
	if (a == ACT_BACK || (!k.is_key && (k.code == 27 || k.code == 'q' || k.code == '\r')))
		return SCR_CLOSE;
	if (!k.is_key)
		return SCR_NONE;
	if (k.code == KEY_DOWN)
		p->scroll = page_clamp(p, p->scroll + 1);
	else if (k.code == KEY_UP)
		p->scroll = page_clamp(p, p->scroll - 1);
	else if (k.code == KEY_NPAGE)
		p->scroll = page_clamp(p, p->scroll + step);
	else if (k.code == KEY_PPAGE)
		p->scroll = page_clamp(p, p->scroll - step);
	else if (k.code == KEY_HOME)
		p->scroll = 0;
	else if (k.code == KEY_END)
		p->scroll = page_clamp(p, p->nrows);
	else
		return SCR_NONE;
	return SCR_REDRAW;
}

static void page_free(struct screen *s)
{
	struct page *p = s->data;
	for (int i = 0; i < p->n; i++)
		free(p->lines[i]);
	free(p->lines);
	free(p->title);
	rows_free(p);
	if (p->mk.free_user)
		p->mk.free_user(p->mk.user);
	free(p->cls);
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

struct screen *message_screen_with_keys(const char *title, const char *const *lines, int nlines,
                                       const struct message_keys *mk)
{
	struct screen *s = message_screen_new(title, lines, nlines);
	struct page *p = s->data;

	p->cls = xmalloc(sizeof *p->cls);
	*p->cls = page_class;
	p->cls->keys = mk->keys;
	p->mk = *mk;
	s->cls = p->cls;
	return s;
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
