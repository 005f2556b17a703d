/* textwidth.c: column widths, fitting and padding, and a locale-free UTF-8
 * codec. The codec is written out here instead of using mbrtowc() so that the
 * result never depends on LC_CTYPE and an invalid byte can never stop a
 * screen from drawing: each one becomes U+FFFD, one column wide. */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "textwidth.h"
#include "xalloc.h"

_Static_assert(WCHAR_MAX >= 0x10FFFF, "wchar_t must hold any Unicode scalar value");

#define ELLIPSIS ((wchar_t)0x2026)

int tw_wcwidth(wchar_t c)
{
	int w;

	if (c == TW_REPLACEMENT)
		return 1;
	w = wcwidth(c);
	return w < 0 ? 0 : w;
}

size_t tw_utf8_decode1(const char *s, size_t len, wchar_t *out)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp, min;
	size_t need, i;

	if (len == 0) {
		*out = L'\0';
		return 0;
	}
	if (u[0] < 0x80) {
		*out = (wchar_t)u[0];
		return 1;
	}
	if (u[0] >= 0xC2 && u[0] <= 0xDF) {
		need = 1;
		cp = u[0] & 0x1Fu;
		min = 0x80;
	} else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
		need = 2;
		cp = u[0] & 0x0Fu;
		min = 0x800;
	} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
		need = 3;
		cp = u[0] & 0x07u;
		min = 0x10000;
	} else {
		goto bad;
	}
	if (len <= need)
		goto bad;
	for (i = 1; i <= need; i++) {
		if ((u[i] & 0xC0u) != 0x80u)
			goto bad;
		cp = (cp << 6) | (u[i] & 0x3Fu);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		goto bad;
	*out = (wchar_t)cp;
	return need + 1;
bad:
	*out = TW_REPLACEMENT;
	return 1;
}

size_t tw_utf8_encode1(wchar_t c, char out[4])
{
	uint32_t cp = (uint32_t)c;

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

bool tw_utf8_valid(const char *utf8)
{
	size_t len, i = 0;
	wchar_t c;

	if (!utf8)
		return true;
	len = strlen(utf8);
	while (i < len) {
		size_t k = tw_utf8_decode1(utf8 + i, len - i, &c);
		/* A real U+FFFD in the input is three bytes; an error uses one. */
		if (c == TW_REPLACEMENT && k == 1)
			return false;
		i += k;
	}
	return true;
}

int tw_width(const char *utf8)
{
	size_t len, i = 0;
	int w = 0;
	wchar_t c;

	if (!utf8)
		return 0;
	len = strlen(utf8);
	while (i < len) {
		i += tw_utf8_decode1(utf8 + i, len - i, &c);
		w += tw_wcwidth(c);
	}
	return w;
}

int tw_wwidth(const wchar_t *s, size_t n)
{
	int w = 0;
	size_t i;

	if (!s)
		return 0;
	for (i = 0; i < n && s[i] != L'\0'; i++)
		w += tw_wcwidth(s[i]);
	return w;
}

wchar_t *tw_utf8_to_wcs(const char *utf8, size_t *n)
{
	size_t len = utf8 ? strlen(utf8) : 0, i = 0, k = 0;
	/* Never more characters than bytes. */
	wchar_t *w = xmalloc((len + 1) * sizeof *w);

	while (i < len)
		i += tw_utf8_decode1(utf8 + i, len - i, &w[k++]);
	w[k] = L'\0';
	if (n)
		*n = k;
	return w;
}

char *tw_wcs_to_utf8(const wchar_t *s, size_t n)
{
	size_t i, k = 0, m = 0;
	char *out;

	if (s)
		while (m < n && s[m] != L'\0')
			m++;
	out = xmalloc(m * 4 + 1);
	for (i = 0; i < m; i++)
		k += tw_utf8_encode1(s[i], out + k);
	out[k] = '\0';
	return out;
}

/* Copies the longest prefix of in that fits in cols columns into out (which
 * has room for 3 bytes per input byte), re-encoding so that invalid bytes
 * become U+FFFD. Stores the width used; returns true when something was cut. */
static bool fit_into(const char *in, size_t len, int cols, char *out, size_t *outlen, int *width)
{
	size_t i = 0, k = 0;
	int w = 0;
	bool cut = false;
	wchar_t c;

	while (i < len) {
		size_t used = tw_utf8_decode1(in + i, len - i, &c);
		int cw = tw_wcwidth(c);
		if (w + cw > cols) {
			cut = true;
			break;
		}
		k += tw_utf8_encode1(c, out + k);
		w += cw;
		i += used;
	}
	out[k] = '\0';
	*outlen = k;
	*width = w;
	return cut;
}

/* Room for fitting len input bytes plus extra bytes and the NUL. */
static char *fit_buffer(size_t len, size_t extra)
{
	return xmalloc(len * 3 + extra + 1);
}

char *tw_fit(const char *utf8, int cols)
{
	size_t len = utf8 ? strlen(utf8) : 0, k;
	char *out = fit_buffer(len, 0);
	int w;

	fit_into(utf8 ? utf8 : "", len, cols < 0 ? 0 : cols, out, &k, &w);
	return out;
}

char *tw_fit_ellipsis(const char *utf8, int cols)
{
	size_t len = utf8 ? strlen(utf8) : 0, k;
	int ew = tw_wcwidth(ELLIPSIS), w;
	char *out;

	if (ew < 1)
		ew = 1;
	if (cols < ew || tw_width(utf8) <= cols)
		return tw_fit(utf8, cols);
	out = fit_buffer(len, 4);
	fit_into(utf8, len, cols - ew, out, &k, &w);
	k += tw_utf8_encode1(ELLIPSIS, out + k);
	out[k] = '\0';
	return out;
}

char *tw_pad(const char *utf8, int cols)
{
	size_t len = utf8 ? strlen(utf8) : 0, k;
	char *out;
	int w;

	if (cols < 0)
		cols = 0;
	out = fit_buffer(len, (size_t)cols);
	fit_into(utf8 ? utf8 : "", len, cols, out, &k, &w);
	memset(out + k, ' ', (size_t)(cols - w));
	out[k + (size_t)(cols - w)] = '\0';
	return out;
}
