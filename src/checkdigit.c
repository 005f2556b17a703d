/* checkdigit.c: My Number and 住民票コード check digits (registry.md §3). */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "checkdigit.h"
#include "error.h"
#include "i18n.h"

/* Modulus 11 over n digits: P(k) is the k-th digit from the right, weight
 * Q(k) = k + 1 for k = 1..6 and k - 5 for k = 7..11; r = Σ P(k)·Q(k) mod 11;
 * the check digit is 0 when r <= 1, else 11 - r. -1 on a non-digit. */
static int mod11(const char *digits, int n)
{
	int sum = 0, r;

	for (int k = 1; k <= n; k++) {
		char c = digits[n - k];
		if (c < '0' || c > '9')
			return -1;
		sum += (c - '0') * (k <= 6 ? k + 1 : k - 5);
	}
	r = sum % 11;
	return r <= 1 ? 0 : 11 - r;
}

int md_mynumber_check_digit(const char first11[11])
{
	return first11 ? mod11(first11, 11) : -1;
}

/* The one place the 住民票コード rule lives; see checkdigit.h. */
int md_juminhyo_code_check_digit(const char first10[10])
{
	return first10 ? mod11(first10, 10) : -1;
}

/* Decodes one UTF-8 character; its length (1 for an invalid byte, with
 * *cp = 0xfffd). */
static size_t decode(const unsigned char *s, unsigned *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf && (s[1] & 0xc0) == 0x80) {
		*cp = (unsigned)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
		return 2;
	}
	if (s[0] >= 0xe0 && s[0] <= 0xef && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
		*cp = (unsigned)(s[0] & 0x0f) << 12 | (unsigned)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
		if (*cp >= 0x800 && (*cp < 0xd800 || *cp > 0xdfff))
			return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 &&
	    (s[3] & 0xc0) == 0x80) {
		*cp = (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3f) << 12 |
		      (unsigned)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
		if (*cp >= 0x10000 && *cp <= 0x10ffff)
			return 4;
	}
	*cp = 0xfffd;
	return 1;
}

static int is_ignored(unsigned cp)
{
	return cp == ' ' || cp == '\t' || cp == 0x3000 || cp == '-' || cp == 0xff0d ||
	       (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0x30fc || cp == 0xff70;
}

/* What is checked: the number's length including the check digit, the
 * error field, and the check digit function. */
struct number_kind {
	int len;
	const char *field;
	int (*check_digit)(const char *digits);
	bool mynumber;
};

static int mynumber_cd(const char *digits)
{
	return md_mynumber_check_digit(digits);
}

static int juminhyo_cd(const char *digits)
{
	return md_juminhyo_code_check_digit(digits);
}

static const struct number_kind mynumber = { 12, "my_number", mynumber_cd, true };
static const struct number_kind juminhyo_code = { 11, "juminhyo_code", juminhyo_cd, false };

/* Normalises input and checks it as a number of that kind. */
static int check_number(const char *input, char *out, const struct number_kind *k,
                        struct md_error *err)
{
	const unsigned char *p = (const unsigned char *)(input ? input : "");
	char digits[16];
	int n = 0, bad = 0;

	md_error_clear(err);
	out[0] = '\0';
	while (*p) {
		unsigned cp;
		p += decode(p, &cp);
		if (is_ignored(cp))
			continue;
		if (cp >= 0xff10 && cp <= 0xff19)
			cp = cp - 0xff10 + '0';
		if (n < 1000000)
			n++;
		if (cp < '0' || cp > '9') {
			if (!bad)
				bad = n;
		} else if (n <= k->len) {
			digits[n - 1] = (char)cp;
		}
	}
	if (bad)
		/* TRANSLATORS: %d counts characters from 1, spaces and hyphens left out. */
		return md_error_set(err, MD_E_INVALID, k->field, _("character %d is not a digit"), bad);
	if (n != k->len && k->mynumber)
		return md_error_set(err, MD_E_INVALID, k->field,
		                    _("a My Number has 12 digits; this has %d"), n);
	if (n != k->len)
		return md_error_set(err, MD_E_INVALID, k->field,
		                    _("a 住民票コード (resident record code) has 11 digits; this has %d"), n);
	/* Never say which digit is wrong: it cannot be known. */
	if (k->check_digit(digits) != digits[k->len - 1] - '0')
		return md_error_set(err, MD_E_INVALID, k->field, _("check digit does not match"));
	memcpy(out, digits, (size_t)k->len);
	out[k->len] = '\0';
	return MD_OK;
}

int md_mynumber_check(const char *input, char out[13], struct md_error *err)
{
	return check_number(input, out, &mynumber, err);
}

int md_juminhyo_code_check(const char *input, char out[12], struct md_error *err)
{
	return check_number(input, out, &juminhyo_code, err);
}

char *md_mynumber_mask(const char digits[12], char *buf, size_t n)
{
	char tail[5] = "????";

	if (!buf || n == 0)
		return buf;
	if (digits && strnlen(digits, 12) == 12)
		for (int i = 0; i < 4; i++)
			if (digits[8 + i] >= '0' && digits[8 + i] <= '9')
				tail[i] = digits[8 + i];
	snprintf(buf, n, "**** **** %s", tail);
	return buf;
}
