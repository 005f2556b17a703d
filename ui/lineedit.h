/* lineedit.h: the state of a single-line input field, without curses.
 *
 * The text is a wchar_t buffer with a limit in characters and optionally one
 * in display columns. The cursor and the horizontal scroll offset are
 * character indexes that always sit on a cell boundary: a character of width
 * 0 (a combining mark, an ideographic variation selector after 葛) belongs to
 * the character before it, so the cursor never lands between the two and
 * movement and deletion treat them as one. In masked mode (passwords) every
 * character is shown as one '*' of one column.
 *
 * Key handling belongs to the caller: map a key to one of the operations
 * below, then draw what le_view() returns and move the cursor to the column it
 * gives. Widths come from tw_wcwidth() (textwidth.h), so LC_CTYPE must be UTF-8. */
#ifndef MD_LINEEDIT_H
#define MD_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

struct lineedit {
	wchar_t *buf;   /* max + 1 characters, L'\0'-terminated at len */
	size_t len;     /* characters in buf */
	size_t max;     /* at most this many characters */
	int maxcols;    /* at most this many display columns; 0 for no limit */
	size_t cursor;  /* insertion point, 0..len */
	size_t scroll;  /* index of the first visible character */
	bool masked;    /* show one '*' per character */
};

/* Empty field holding at most maxchars characters (no column limit, not masked). */
void le_init(struct lineedit *le, size_t maxchars);
/* Wipes the text (it may be a password) and frees the buffer. */
void le_release(struct lineedit *le);
/* Limits the text to maxcols display columns (0: no limit); does not cut existing text. */
void le_set_maxcols(struct lineedit *le, int maxcols);
/* Turns password masking on or off. */
void le_set_masked(struct lineedit *le, bool masked);

/* Replaces the text, cursor at the end. Invalid UTF-8 and control characters
 * become U+FFFD; text past the limits is cut at a cell boundary. Returns true
 * when the text was stored unchanged. */
bool le_set_utf8(struct lineedit *le, const char *utf8);
/* Allocated UTF-8 copy of the text (free it with md_free_secret() if masked). */
char *le_get_utf8(const struct lineedit *le);
/* Display columns of the whole text as shown (masked: one per character). */
int le_width(const struct lineedit *le);
/* True when the character can be typed into a field (not a control or non-printable). */
bool le_acceptable(wchar_t c);

/* Inserts c at the cursor; false (nothing changes) for a control character or when full. */
bool le_insert(struct lineedit *le, wchar_t c);
/* Deletes the character before the cursor; false if there is none. */
bool le_backspace(struct lineedit *le);
/* Deletes the character under the cursor; false if there is none. */
bool le_delete(struct lineedit *le);
/* Moves the cursor one character left; false at the start. */
bool le_left(struct lineedit *le);
/* Moves the cursor one character right; false at the end. */
bool le_right(struct lineedit *le);
/* Moves the cursor to the start; false if already there. */
bool le_home(struct lineedit *le);
/* Moves the cursor to the end; false if already there. */
bool le_end(struct lineedit *le);
/* Deletes from the cursor to the end (Ctrl-K); false if nothing was deleted. */
bool le_kill_end(struct lineedit *le);
/* Deletes from the start to the cursor (Ctrl-U); false if nothing was deleted. */
bool le_kill_start(struct lineedit *le);
/* Deletes the spaces then the word before the cursor (Ctrl-W); in masked mode
 * like le_kill_start, so the shape of a password is not revealed. */
bool le_delete_word(struct lineedit *le);
/* Empties the field; false if it was already empty. */
bool le_clear(struct lineedit *le);

/* Scrolls so the cursor and the character under it are visible in a field of
 * field_cols columns, using all of the field when the text allows. */
void le_scroll(struct lineedit *le, int field_cols);
/* Scrolls (le_scroll), then writes into out exactly field_cols columns: the
 * visible text (or '*'s), padded with spaces, never half of a wide character
 * at either edge; L'\0'-terminated. outcap >= field_cols + 1 is always enough
 * for the padding; zero-width characters need more and are cut with their
 * base when it runs out. *cursor_col (if not NULL) gets the cursor's column
 * in the field, 0..field_cols-1. Returns the characters written. */
size_t le_view(struct lineedit *le, int field_cols, wchar_t *out, size_t outcap, int *cursor_col);
/* le_view as an allocated UTF-8 string, for callers that draw with addstr(). */
char *le_view_utf8(struct lineedit *le, int field_cols, int *cursor_col);

#endif
