/* lineedit.c: single-line field editing on a wchar_t buffer, no curses.
 *
 * A "cell" is a character of width >= 1 followed by any characters of width
 * 0; the cursor and the scroll offset only ever sit on cell boundaries, which
 * is what keeps a kanji from being split at an edge of the field and a
 * variation selector from being separated from its kanji. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lineedit.h"
#include "textwidth.h"
#include "xalloc.h"

/* Overwrites n characters so a deleted password does not linger in memory. */
static void wipe(wchar_t *p, size_t n)
{
	volatile wchar_t *v = p;
	while (n--)
		*v++ = L'\0';
}

/* Columns of one character as the field shows it. */
static int cw(const struct lineedit *le, wchar_t c)
{
	return le->masked ? 1 : tw_wcwidth(c);
}

static bool boundary(const struct lineedit *le, size_t i)
{
	return i == 0 || i >= le->len || cw(le, le->buf[i]) > 0;
}

/* Start of the next cell after the one starting at i. */
static size_t next_cell(const struct lineedit *le, size_t i)
{
	if (i >= le->len)
		return le->len;
	i++;
	while (i < le->len && cw(le, le->buf[i]) == 0)
		i++;
	return i;
}

/* Start of the cell that ends at i. */
static size_t prev_cell(const struct lineedit *le, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && cw(le, le->buf[i]) == 0)
		i--;
	return i;
}

/* Columns of buf[a..b). */
static int span(const struct lineedit *le, size_t a, size_t b)
{
	int w = 0;
	for (; a < b && a < le->len; a++)
		w += cw(le, le->buf[a]);
	return w;
}

/* Removes buf[a..b) and wipes the freed tail; the cursor follows. */
static void remove_range(struct lineedit *le, size_t a, size_t b)
{
	size_t n = b - a;

	wmemmove(le->buf + a, le->buf + b, le->len - b);
	wipe(le->buf + le->len - n, n);
	le->len -= n;
	if (le->cursor >= b)
		le->cursor -= n;
	else if (le->cursor > a)
		le->cursor = a;
	if (le->scroll > le->len)
		le->scroll = le->len;
}

static bool is_space(wchar_t c)
{
	return c == L' ' || c == L'\t' || c == (wchar_t)0x3000;
}

void le_init(struct lineedit *le, size_t maxchars)
{
	memset(le, 0, sizeof *le);
	le->max = maxchars;
	le->buf = xcalloc(maxchars + 1, sizeof *le->buf);
}

void le_release(struct lineedit *le)
{
	if (le->buf) {
		wipe(le->buf, le->max + 1);
		free(le->buf);
	}
	memset(le, 0, sizeof *le);
}

void le_set_maxcols(struct lineedit *le, int maxcols)
{
	le->maxcols = maxcols < 0 ? 0 : maxcols;
}

void le_set_masked(struct lineedit *le, bool masked)
{
	le->masked = masked;
	while (!boundary(le, le->cursor))
		le->cursor++;
	while (!boundary(le, le->scroll))
		le->scroll--;
}

bool le_acceptable(wchar_t c)
{
	uint32_t cp = (uint32_t)c;

	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return false;
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return false;
	return c == TW_REPLACEMENT || wcwidth(c) >= 0;
}

bool le_set_utf8(struct lineedit *le, const char *utf8)
{
	size_t len = utf8 ? strlen(utf8) : 0, i = 0;
	int width = 0;
	bool exact = true;
	wchar_t c;

	wipe(le->buf, le->max + 1);
	le->len = 0;
	while (i < len) {
		size_t used = tw_utf8_decode1(utf8 + i, len - i, &c);
		int w;
		if (c == TW_REPLACEMENT && used == 1)
			exact = false;
		if (!le_acceptable(c)) {
			c = TW_REPLACEMENT;
			exact = false;
		}
		w = cw(le, c);
		if (le->len >= le->max || (le->maxcols > 0 && width + w > le->maxcols)) {
			exact = false;
			/* A zero-width character that does not fit takes its base with it. */
			if (w == 0) {
				size_t start = prev_cell(le, le->len);
				wipe(le->buf + start, le->len - start);
				le->len = start;
			}
			break;
		}
		le->buf[le->len++] = c;
		width += w;
		i += used;
	}
	le->buf[le->len] = L'\0';
	le->cursor = le->len;
	le->scroll = 0;
	return exact;
}

char *le_get_utf8(const struct lineedit *le)
{
	return tw_wcs_to_utf8(le->buf, le->len);
}

int le_width(const struct lineedit *le)
{
	return span(le, 0, le->len);
}

bool le_insert(struct lineedit *le, wchar_t c)
{
	if (!le_acceptable(c) || le->len >= le->max)
		return false;
	if (le->maxcols > 0 && le_width(le) + cw(le, c) > le->maxcols)
		return false;
	wmemmove(le->buf + le->cursor + 1, le->buf + le->cursor, le->len - le->cursor);
	le->buf[le->cursor++] = c;
	le->buf[++le->len] = L'\0';
	return true;
}

bool le_backspace(struct lineedit *le)
{
	if (le->cursor == 0)
		return false;
	remove_range(le, prev_cell(le, le->cursor), le->cursor);
	return true;
}

bool le_delete(struct lineedit *le)
{
	if (le->cursor >= le->len)
		return false;
	remove_range(le, le->cursor, next_cell(le, le->cursor));
	return true;
}

bool le_left(struct lineedit *le)
{
	if (le->cursor == 0)
		return false;
	le->cursor = prev_cell(le, le->cursor);
	return true;
}

bool le_right(struct lineedit *le)
{
	if (le->cursor >= le->len)
		return false;
	le->cursor = next_cell(le, le->cursor);
	return true;
}

bool le_home(struct lineedit *le)
{
	if (le->cursor == 0)
		return false;
	le->cursor = 0;
	return true;
}

bool le_end(struct lineedit *le)
{
	if (le->cursor == le->len)
		return false;
	le->cursor = le->len;
	return true;
}

bool le_kill_end(struct lineedit *le)
{
	if (le->cursor >= le->len)
		return false;
	remove_range(le, le->cursor, le->len);
	return true;
}

bool le_kill_start(struct lineedit *le)
{
	if (le->cursor == 0)
		return false;
	remove_range(le, 0, le->cursor);
	return true;
}

bool le_delete_word(struct lineedit *le)
{
	size_t p = le->cursor;

	if (le->masked)
		return le_kill_start(le);
	if (p == 0)
		return false;
	while (p > 0 && is_space(le->buf[prev_cell(le, p)]))
		p = prev_cell(le, p);
	while (p > 0 && !is_space(le->buf[prev_cell(le, p)]))
		p = prev_cell(le, p);
	remove_range(le, p, le->cursor);
	return true;
}

bool le_clear(struct lineedit *le)
{
	if (le->len == 0)
		return false;
	remove_range(le, 0, le->len);
	le->cursor = 0;
	le->scroll = 0;
	return true;
}

/* Columns the cursor needs: the cell under it, or one past the end. */
static int under_cursor(const struct lineedit *le)
{
	int w;

	if (le->cursor >= le->len)
		return 1;
	w = span(le, le->cursor, next_cell(le, le->cursor));
	return w < 1 ? 1 : w;
}

void le_scroll(struct lineedit *le, int field_cols)
{
	int fc = field_cols < 1 ? 1 : field_cols;
	int tail_extra = le->cursor >= le->len ? 1 : 0;

	if (le->scroll > le->len)
		le->scroll = le->len;
	while (!boundary(le, le->scroll))
		le->scroll--;
	if (le->cursor < le->scroll)
		le->scroll = le->cursor;
	/* Scroll right until the cursor's cell fits... */
	while (le->scroll < le->cursor &&
	       span(le, le->scroll, le->cursor) + under_cursor(le) > fc)
		le->scroll = next_cell(le, le->scroll);
	/* ...and back left while the rest of the text still fits, so that
	 * deleting never leaves the field half empty with text hidden. */
	while (le->scroll > 0) {
		size_t p = prev_cell(le, le->scroll);
		if (span(le, p, le->len) + tail_extra > fc)
			break;
		le->scroll = p;
	}
}

size_t le_view(struct lineedit *le, int field_cols, wchar_t *out, size_t outcap, int *cursor_col)
{
	size_t fc = field_cols < 0 ? 0 : (size_t)field_cols;
	size_t i, k = 0, col = 0;
	int cc;

	le_scroll(le, field_cols);
	if (outcap == 0) {
		if (cursor_col)
			*cursor_col = 0;
		return 0;
	}
	i = le->scroll;
	while (i < le->len) {
		size_t j = next_cell(le, i), n = j - i;
		size_t w = (size_t)span(le, i, j);
		if (col + w > fc)
			break;
		/* Keep room for this cell, the padding after it and the NUL. */
		if (k + n + (fc - col - w) + 1 > outcap)
			break;
		for (; i < j; i++)
			out[k++] = le->masked ? L'*' : le->buf[i];
		col += w;
	}
	while (col < fc && k + 1 < outcap) {
		out[k++] = L' ';
		col++;
	}
	out[k] = L'\0';
	if (cursor_col) {
		cc = span(le, le->scroll, le->cursor);
		if (cc > field_cols - 1)
			cc = field_cols - 1;
		*cursor_col = cc < 0 ? 0 : cc;
	}
	return k;
}

char *le_view_utf8(struct lineedit *le, int field_cols, int *cursor_col)
{
	size_t cap = le->len + (field_cols < 0 ? 0 : (size_t)field_cols) + 1;
	wchar_t *w = xmalloc(cap * sizeof *w);
	size_t n = le_view(le, field_cols, w, cap, cursor_col);
	char *s = tw_wcs_to_utf8(w, n);

	wipe(w, cap);
	free(w);
	return s;
}
