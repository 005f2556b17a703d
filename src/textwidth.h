/* textwidth.h: display width of UTF-8 and wide strings, fitting and padding
 * to a number of terminal columns, and UTF-8 <-> wchar_t conversion that does
 * not depend on the current locale. No curses.
 *
 * Widths come from wcwidth(), so LC_CTYPE must be a UTF-8 locale (the program
 * refuses to start otherwise; tests call setlocale(LC_ALL, "C.UTF-8")): a kanji
 * or kana is 2 columns, ASCII and half-width katakana 1, non-printable
 * characters 0. Invalid UTF-8 never crashes: each invalid byte decodes to one
 * U+FFFD, which counts 1 column in every locale. */
#ifndef MD_TEXTWIDTH_H
#define MD_TEXTWIDTH_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* The replacement character that stands for each invalid byte or code point. */
#define TW_REPLACEMENT ((wchar_t)0xFFFD)

/* Columns of one character: wcwidth(), 0 for non-printable, 1 for U+FFFD. */
int tw_wcwidth(wchar_t c);
/* Display columns of a NUL-terminated UTF-8 string (NULL counts 0). */
int tw_width(const char *utf8);
/* Display columns of the first n wide characters of s (stops early at L'\0'). */
int tw_wwidth(const wchar_t *s, size_t n);

/* Allocated copy of utf8 cut to at most cols columns, never splitting a
 * character; invalid bytes become U+FFFD. */
char *tw_fit(const char *utf8, int cols);
/* Like tw_fit, but ends with "…" when something had to be cut off. */
char *tw_fit_ellipsis(const char *utf8, int cols);
/* tw_fit, then spaces appended so the result is exactly cols columns wide. */
char *tw_pad(const char *utf8, int cols);

/* Decodes one code point from s (len > 0 bytes); returns bytes used (>= 1).
 * Invalid, overlong, surrogate or truncated sequences give U+FFFD and use 1. */
size_t tw_utf8_decode1(const char *s, size_t len, wchar_t *out);
/* Encodes c into out (4 bytes); returns bytes written. Values that are not
 * Unicode scalar values are written as U+FFFD. */
size_t tw_utf8_encode1(wchar_t c, char out[4]);
/* True when the NUL-terminated string is well-formed UTF-8. */
bool tw_utf8_valid(const char *utf8);
/* Allocated, L'\0'-terminated wide copy of utf8; *n (if not NULL) gets its length. */
wchar_t *tw_utf8_to_wcs(const char *utf8, size_t *n);
/* Allocated, NUL-terminated UTF-8 copy of the first n wide characters of s
 * (stops early at L'\0'). */
char *tw_wcs_to_utf8(const wchar_t *s, size_t n);

#endif
