/* wareki.c: parsing, checking and writing dates in the Japanese era (和暦)
 * and the Western calendar, with unknown parts and 頃 (registry.md §2). */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datafiles.h"
#include "error.h"
#include "i18n.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

#define FIELD "date"
/* TRANSLATORS: the examples are date formats; keep them as they are. */
#define EXAMPLES N_("昭和55年3月14日, S55.3.14 or 1980-03-14")

/* ---- calendar arithmetic ------------------------------------------------- */

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Howard Hinnant's civil_from_days, the inverse of md_days_from_civil. */
static void civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* A well-formed struct md_date: precision and zero parts agree, the known
 * parts make a calendar date, the year has four digits. */
static bool date_ok(const struct md_date *t)
{
	if (!t)
		return false;
	switch (t->prec) {
	case MD_DATE_FULL:
		return t->y >= 1 && t->y <= 9999 && t->m >= 1 && t->m <= 12 &&
		       t->d >= 1 && t->d <= month_days(t->y, t->m);
	case MD_DATE_DAY_UNKNOWN:
		return t->y >= 1 && t->y <= 9999 && t->m >= 1 && t->m <= 12 && t->d == 0;
	case MD_DATE_MONTH_DAY_UNKNOWN:
		return t->y >= 1 && t->y <= 9999 && t->m == 0 && t->d == 0;
	case MD_DATE_ALL_UNKNOWN:
		return t->y == 0 && t->m == 0 && t->d == 0;
	}
	return false;
}

/* The first and last day (days from 1970-01-01) a known or partly known
 * date may be; false for an all-unknown or malformed one. */
static bool date_range(const struct md_date *t, long *lo, long *hi)
{
	if (!date_ok(t) || t->prec == MD_DATE_ALL_UNKNOWN)
		return false;
	switch (t->prec) {
	case MD_DATE_FULL:
		*lo = *hi = md_days_from_civil(t->y, t->m, t->d);
		break;
	case MD_DATE_DAY_UNKNOWN:
		*lo = md_days_from_civil(t->y, t->m, 1);
		*hi = md_days_from_civil(t->y, t->m, month_days(t->y, t->m));
		break;
	default:
		*lo = md_days_from_civil(t->y, 1, 1);
		*hi = md_days_from_civil(t->y, 12, 31);
		break;
	}
	return true;
}

/* ---- the era table ------------------------------------------------------- */

#define MAX_ERAS 64

static struct md_era eras[MAX_ERAS];
static size_t n_eras;
static int table_state;            /* 0 not parsed yet, 1 ready, -1 broken */
static struct md_error table_err;  /* why the built-in table is broken */

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0))
			return 0;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

/* The words of the date grammar, which an era name must not be. */
static const char *const keywords[] = { "元", "年", "月", "日", "不詳", "頃" };

static bool era_name_ok(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t len;

	if (!*p || strlen(name) >= sizeof eras[0].name)
		return false;
	for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
		if (!strcmp(name, keywords[i]))
			return false;
	/* No ASCII (it would clash with the era letters, digits and
	 * separators) and no 年, 月, 日 or 頃 inside. */
	while (*p) {
		len = utf8_len(p);
		if (len < 2)
			return false;
		if (!strncmp((const char *)p, "年", len) || !strncmp((const char *)p, "月", len) ||
		    !strncmp((const char *)p, "日", len) || !strncmp((const char *)p, "頃", len))
			return false;
		p += len;
	}
	return true;
}

static void trim(char *s)
{
	size_t n = strlen(s), i = 0;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		s[--n] = '\0';
	while (s[i] == ' ')
		i++;
	memmove(s, s + i, n - i + 1);
}

static int table_error(struct md_error *err, long line, const char *msg)
{
	/* TRANSLATORS: %s says what is wrong with the era table (data/eras.tsv). */
	return md_error_setl(err, MD_E_CONFIG, "eras", line, _("era table, line %ld: %s"), line, msg);
}

static int parse_table(const char *text, struct md_era *out, size_t *count, struct md_error *err)
{
	enum { COL_NAME, COL_LETTER, COL_FIRST, NCOLS };
	static const char *const colnames[NCOLS] = { "name", "letter", "first_day" };
	int col[NCOLS] = { -1, -1, -1 }, maxcol = 0;
	const char *p = text, *eol;
	char line[512], *fields[16];
	long lineno = 0, prev_day = 0;
	bool header = false;
	size_t n = 0;

	md_error_clear(err);
	if (!text)
		return table_error(err, 0, _("no table"));
	for (; *p; p = *eol ? eol + 1 : eol) {
		size_t len, nf = 0;
		char *f;
		struct md_era e;

		eol = strchr(p, '\n');
		if (!eol)
			eol = p + strlen(p);
		lineno++;
		len = (size_t)(eol - p);
		if (len >= sizeof line)
			return table_error(err, lineno, _("line too long"));
		memcpy(line, p, len);
		line[len] = '\0';
		trim(line);
		if (!line[0] || line[0] == '#')
			continue;
		for (f = line; nf < sizeof fields / sizeof fields[0]; ) {
			char *tab = strchr(f, '\t');
			fields[nf++] = f;
			if (!tab)
				break;
			*tab = '\0';
			f = tab + 1;
		}
		for (size_t i = 0; i < nf; i++)
			trim(fields[i]);
		if (!header) {
			for (size_t i = 0; i < nf; i++)
				for (int c = 0; c < NCOLS; c++)
					if (!strcmp(fields[i], colnames[c])) {
						if (col[c] >= 0)
							return table_error(err, lineno, _("a column is named twice"));
						col[c] = (int)i;
						if ((int)i > maxcol)
							maxcol = (int)i;
					}
			for (int c = 0; c < NCOLS; c++)
				if (col[c] < 0)
					return table_error(err, lineno,
					                   _("the header must name the columns name, letter and first_day"));
			header = true;
			continue;
		}
		if ((int)nf <= maxcol)
			return table_error(err, lineno, _("a column is missing"));
		if (n == MAX_ERAS)
			return table_error(err, lineno, _("too many eras"));
		memset(&e, 0, sizeof e);
		if (!era_name_ok(fields[col[COL_NAME]]))
			return table_error(err, lineno, _("bad era name"));
		snprintf(e.name, sizeof e.name, "%s", fields[col[COL_NAME]]);
		f = fields[col[COL_LETTER]];
		if (!((f[0] >= 'A' && f[0] <= 'Z') || (f[0] >= 'a' && f[0] <= 'z')) || f[1])
			return table_error(err, lineno, _("the letter must be one Latin letter"));
		e.letter = (char)(f[0] & ~0x20);
		if (md_date_parse_iso(fields[col[COL_FIRST]], &e.y, &e.m, &e.d) != 0)
			return table_error(err, lineno, _("first_day must be a date like 1989-01-08"));
		for (size_t i = 0; i < n; i++) {
			if (out[i].letter == e.letter)
				return table_error(err, lineno, _("this letter is already used"));
			if (!strcmp(out[i].name, e.name))
				return table_error(err, lineno, _("this era is already listed"));
		}
		if (n > 0 && md_days_from_civil(e.y, e.m, e.d) <= prev_day)
			return table_error(err, lineno, _("eras must be listed in order of first day"));
		prev_day = md_days_from_civil(e.y, e.m, e.d);
		out[n++] = e;
	}
	if (n == 0)
		return table_error(err, lineno, header ? _("no eras") : _("no header"));
	*count = n;
	return MD_OK;
}

static int ensure_table(struct md_error *err)
{
	if (table_state == 0) {
		table_state = parse_table(md_data_eras_tsv, eras, &n_eras, &table_err) == MD_OK ? 1 : -1;
		if (table_state < 0)
			n_eras = 0;
	}
	if (table_state < 0) {
		if (err)
			*err = table_err;
		return table_err.code;
	}
	return MD_OK;
}

int md_era_load(const char *tsv_text, struct md_error *err)
{
	static struct md_era tmp[MAX_ERAS];
	struct md_error e;
	size_t n = 0;
	int rc;

	if (!err)
		err = &e;
	rc = parse_table(tsv_text, tmp, &n, err);
	if (rc != MD_OK)
		return rc;
	memcpy(eras, tmp, n * sizeof tmp[0]);
	n_eras = n;
	table_state = 1;
	return MD_OK;
}

void md_era_reset(void)
{
	table_state = 0;
	n_eras = 0;
}

size_t md_era_count(void)
{
	return ensure_table(NULL) == MD_OK ? n_eras : 0;
}

const struct md_era *md_era_at(size_t i)
{
	return i < md_era_count() ? &eras[i] : NULL;
}

static long era_start(size_t i)
{
	return md_days_from_civil(eras[i].y, eras[i].m, eras[i].d);
}

static long era_end(size_t i)
{
	return i + 1 < n_eras ? era_start(i + 1) - 1 : LONG_MAX;
}

/* The era holding most of the days lo..hi (the later one on a tie), or -1. */
static int era_of_range(long lo, long hi)
{
	long best = 0;
	int found = -1;

	for (size_t i = 0; i < n_eras; i++) {
		long a = lo > era_start(i) ? lo : era_start(i);
		long b = hi < era_end(i) ? hi : era_end(i);
		if (b >= a && b - a + 1 >= best) {
			best = b - a + 1;
			found = (int)i;
		}
	}
	return found;
}

/* ---- writing ------------------------------------------------------------- */

/* Appends to buf (size n) what fits; never overflows. */
static void append(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strnlen(buf, n);
	va_list ap;

	if (len + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
}

/* 月 and 日 parts after the year: "3月14日", "3月日不詳", "月日不詳"; with
 * suffix false the unknown parts are left out ("3月", ""). */
static void append_month_day(char *buf, size_t n, const struct md_date *t, bool suffix)
{
	if (t->prec == MD_DATE_FULL)
		append(buf, n, "%d月%d日", t->m, t->d);
	else if (t->prec == MD_DATE_DAY_UNKNOWN)
		append(buf, n, "%d月%s", t->m, suffix ? "日不詳" : "");
	else if (suffix)
		append(buf, n, "月日不詳");
}

/* A date in era i: year 1 as 元 unless gan is false ("令和1年", as typed). */
static void write_era_date(char *buf, size_t n, size_t i, const struct md_date *t, bool gan,
                           bool suffix)
{
	int year = t->y - eras[i].y + 1;

	buf[0] = '\0';
	if (year == 1 && gan)
		append(buf, n, "%s元年", eras[i].name);
	else
		append(buf, n, "%s%d年", eras[i].name, year);
	append_month_day(buf, n, t, suffix);
}

static bool format_begin(char *buf, size_t n, const struct md_date *t)
{
	if (!buf || n == 0)
		return false;
	buf[0] = '\0';
	if (!date_ok(t))
		return false;
	if (t->prec == MD_DATE_ALL_UNKNOWN) {
		/* 頃 is never written here: there is nothing to be approximate about. */
		append(buf, n, "年月日不詳");
		return false;
	}
	return true;
}

char *md_date_format_western(const struct md_date *date, char *buf, size_t n)
{
	if (!format_begin(buf, n, date))
		return buf;
	append(buf, n, "%d年", date->y);
	append_month_day(buf, n, date, true);
	if (date->circa)
		append(buf, n, "頃");
	return buf;
}

char *md_date_format_wareki(const struct md_date *date, char *buf, size_t n)
{
	long lo, hi;
	int i;

	if (!format_begin(buf, n, date))
		return buf;
	if (ensure_table(NULL) != MD_OK || !date_range(date, &lo, &hi) ||
	    (i = date->prec == MD_DATE_FULL ? era_of_range(lo, lo) : era_of_range(lo, hi)) < 0)
		return md_date_format_western(date, buf, n);
	write_era_date(buf, n, (size_t)i, date, true, true);
	if (date->circa)
		append(buf, n, "頃");
	return buf;
}

char *md_date_to_iso(const struct md_date *date, char buf[16])
{
	if (!date_ok(date)) {
		snprintf(buf, 16, "0000-00-00");
		return buf;
	}
	snprintf(buf, 16, "%04d-%02d-%02d", date->y, date->m, date->d);
	return buf;
}

int md_date_from_iso(const char *s, struct md_date *out)
{
	struct md_date t;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	memset(&t, 0, sizeof t);
	t.y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	t.m = (s[5] - '0') * 10 + (s[6] - '0');
	t.d = (s[8] - '0') * 10 + (s[9] - '0');
	if (t.y == 0)
		t.prec = MD_DATE_ALL_UNKNOWN;
	else if (t.m == 0)
		t.prec = MD_DATE_MONTH_DAY_UNKNOWN;
	else if (t.d == 0)
		t.prec = MD_DATE_DAY_UNKNOWN;
	else
		t.prec = MD_DATE_FULL;
	if (!date_ok(&t))
		return -1;
	if (out)
		*out = t;
	return 0;
}

int md_date_era(const struct md_date *date, const char **era_name, int *era_year)
{
	long lo, hi;
	int i;

	if (ensure_table(NULL) != MD_OK || !date_range(date, &lo, &hi))
		return -1;
	i = date->prec == MD_DATE_FULL ? era_of_range(lo, lo) : era_of_range(lo, hi);
	if (i < 0)
		return -1;
	if (era_name)
		*era_name = eras[i].name;
	if (era_year)
		*era_year = date->y - eras[i].y + 1;
	return 0;
}

/* ---- comparing and arithmetic -------------------------------------------- */

int md_date_cmp(const struct md_date *a, const struct md_date *b)
{
	if (a->y != b->y)
		return a->y < b->y ? -1 : 1;
	if (a->m != b->m)
		return a->m < b->m ? -1 : 1;
	if (a->d != b->d)
		return a->d < b->d ? -1 : 1;
	if (a->prec != b->prec)
		return a->prec < b->prec ? -1 : 1;
	if (a->circa != b->circa)
		return a->circa ? 1 : -1;
	return 0;
}

bool md_date_after_today(const struct md_date *date, time_t now)
{
	struct tm tm;
	long lo, hi;

	if (!date_range(date, &lo, &hi) || !localtime_r(&now, &tm))
		return false;
	return lo > md_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int md_age_on(const struct md_date *birth, int y, int m, int d)
{
	int by, bm, bd, age;

	if (!date_ok(birth) || birth->prec == MD_DATE_ALL_UNKNOWN)
		return -1;
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return -1;
	/* The latest day the person may have been born. */
	by = birth->y;
	bm = birth->prec == MD_DATE_MONTH_DAY_UNKNOWN ? 12 : birth->m;
	bd = birth->prec == MD_DATE_FULL ? birth->d : month_days(by, bm);
	/* The age goes up at the end of the day before the birthday, i.e. it
	 * holds from the start of the birthday. For a 2月29日 birthday in a
	 * year without that day, the day before is 2月28日, so the new age
	 * holds from 3月1日: the plain (month, day) comparison gives exactly
	 * that, since 2月28日 < 2月29日 <= 3月1日. */
	age = y - by;
	if (m < bm || (m == bm && d < bd))
		age--;
	return age < 0 ? -1 : age;
}

int md_days_between(const struct md_date *a, const struct md_date *b)
{
	if (!date_ok(a) || !date_ok(b) || a->prec != MD_DATE_FULL || b->prec != MD_DATE_FULL)
		return MD_DAYS_UNKNOWN;
	return (int)(md_days_from_civil(b->y, b->m, b->d) - md_days_from_civil(a->y, a->m, a->d));
}

/* ---- parsing ------------------------------------------------------------- */

enum tok_kind { T_END, T_NUM, T_ERA, T_GAN, T_NEN, T_GETSU, T_NICHI, T_FUSHO, T_KORO, T_SEP };

struct tok {
	enum tok_kind k;
	int val;    /* T_NUM: the value; T_ERA: the era index */
	int len;    /* T_NUM: digits */
	char sep;   /* T_SEP: '-', '/' or '.' */
};

#define MAX_TOKS 16

/* Copies s into out (at least strlen(s) + 1 bytes) with full-width ASCII
 * made ASCII, the ideographic space and tabs made spaces, and dash-like
 * characters (‐ ‑ ‒ – — ― − ー) made '-'. Nothing here gets longer. */
static void normalize_input(const char *s, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	char *o = out;

	while (*p) {
		size_t len = utf8_len(p);
		unsigned cp = 0;

		if (len == 3)
			cp = (unsigned)(p[0] & 0x0f) << 12 | (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
		if (len == 3 && cp >= 0xff01 && cp <= 0xff5e) {
			*o++ = (char)(cp - 0xff01 + 0x21);
		} else if (len == 3 && cp == 0x3000) {
			*o++ = ' ';
		} else if (len == 3 && ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0x30fc)) {
			*o++ = '-';
		} else if (*p == '\t') {
			*o++ = ' ';
		} else {
			if (len == 0)
				len = 1;   /* kept as it is: the grammar will refuse it */
			memcpy(o, p, len);
			o += len;
		}
		p += len;
	}
	*o = '\0';
}

/* The first character of era i's name, usable alone (昭55.3.14) when no
 * other era starts with it; its length in bytes, or 0. */
static size_t era_initial(size_t i)
{
	size_t len = utf8_len((const unsigned char *)eras[i].name);

	for (size_t j = 0; j < n_eras; j++)
		if (j != i && !strncmp(eras[i].name, eras[j].name, len))
			return 0;
	for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
		if (!strncmp(eras[i].name, keywords[k], len))
			return 0;
	return len;
}

enum lex_result { LEX_OK, LEX_JUNK, LEX_LETTER };

static bool is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Splits s into tokens; on LEX_LETTER *bad is the unknown era letter. */
static enum lex_result lex(const char *s, struct tok *toks, char *bad)
{
	static const struct { const char *text; enum tok_kind k; } words[] = {
		{ "元", T_GAN }, { "年", T_NEN }, { "月", T_GETSU }, { "日", T_NICHI },
		{ "不詳", T_FUSHO }, { "頃", T_KORO },
	};
	int n = 0;

	while (*s) {
		struct tok t = { T_END, 0, 0, 0 };
		size_t best = 0;

		if (*s == ' ') {
			s++;
			continue;
		}
		if (n == MAX_TOKS - 1)
			return LEX_JUNK;
		if (*s >= '0' && *s <= '9') {
			t.k = T_NUM;
			while (*s >= '0' && *s <= '9') {
				if (++t.len > 8)
					return LEX_JUNK;
				t.val = t.val * 10 + (*s++ - '0');
			}
		} else if (*s == '-' || *s == '/' || *s == '.') {
			t.k = T_SEP;
			t.sep = *s++;
		} else if (is_alpha(*s)) {
			char up = (char)(*s & ~0x20);
			/* One letter is an era; a word (Showa) is not a date. */
			if (is_alpha(s[1]))
				return LEX_JUNK;
			for (size_t i = 0; i < n_eras && t.k == T_END; i++)
				if (eras[i].letter == up) {
					t.k = T_ERA;
					t.val = (int)i;
				}
			if (t.k == T_END) {
				*bad = up;
				return LEX_LETTER;
			}
			s++;
		} else {
			/* Era names first (longest wins), then the words, then an
			 * era's initial. */
			for (size_t i = 0; i < n_eras; i++) {
				size_t len = strlen(eras[i].name);
				if (len > best && !strncmp(s, eras[i].name, len)) {
					best = len;
					t.k = T_ERA;
					t.val = (int)i;
				}
			}
			for (size_t i = 0; !best && i < sizeof words / sizeof words[0]; i++)
				if (!strncmp(s, words[i].text, strlen(words[i].text))) {
					best = strlen(words[i].text);
					t.k = words[i].k;
				}
			for (size_t i = 0; !best && i < n_eras; i++) {
				size_t len = era_initial(i);
				if (len && !strncmp(s, eras[i].name, len)) {
					best = len;
					t.k = T_ERA;
					t.val = (int)i;
				}
			}
			if (!best)
				return LEX_JUNK;
			s += best;
		}
		toks[n++] = t;
	}
	toks[n].k = T_END;
	return LEX_OK;
}

/* What the grammar found, before any checking of the values. */
struct parsed {
	int era;           /* index, or -1 for a Western year */
	int year;          /* year of the era, or the Western year */
	bool gan;          /* the year was written 元 */
	int m, d;
	enum md_date_precision prec;
	bool circa;
	bool bare_year;    /* a year with nothing after it (S55, 1980) */
};

static bool is(const struct tok *t, enum tok_kind k)
{
	return t->k == k;
}

/* The month and day after the year (t points just after it). */
static bool parse_rest(const struct tok *t, struct parsed *r)
{
	if (is(t, T_END)) {
		r->bare_year = true;
		return true;
	}
	if (is(t, T_SEP)) {
		char sep = t->sep;
		if (!is(&t[1], T_NUM) || t[1].len > 2)
			return false;
		r->m = t[1].val;
		if (is(&t[2], T_END)) {
			r->prec = MD_DATE_DAY_UNKNOWN;
			return true;
		}
		if (!is(&t[2], T_SEP) || t[2].sep != sep || !is(&t[3], T_NUM) || t[3].len > 2 ||
		    !is(&t[4], T_END))
			return false;
		r->d = t[3].val;
		r->prec = MD_DATE_FULL;
		return true;
	}
	if (!is(t, T_NEN))
		return false;
	t++;
	/* 昭和55年, 昭和55年不詳, 昭和55年月日不詳 */
	if (is(t, T_END) || (is(t, T_FUSHO) && is(&t[1], T_END)) ||
	    (is(t, T_GETSU) && is(&t[1], T_NICHI) && is(&t[2], T_FUSHO) && is(&t[3], T_END))) {
		r->prec = MD_DATE_MONTH_DAY_UNKNOWN;
		return true;
	}
	if (!is(t, T_NUM) || t->len > 2 || !is(&t[1], T_GETSU))
		return false;
	r->m = t->val;
	t += 2;
	/* 昭和55年3月, 昭和55年3月不詳, 昭和55年3月日不詳 */
	if (is(t, T_END) || (is(t, T_FUSHO) && is(&t[1], T_END)) ||
	    (is(t, T_NICHI) && is(&t[1], T_FUSHO) && is(&t[2], T_END))) {
		r->prec = MD_DATE_DAY_UNKNOWN;
		return true;
	}
	if (!is(t, T_NUM) || t->len > 2 || !is(&t[1], T_NICHI) || !is(&t[2], T_END))
		return false;
	r->d = t->val;
	r->prec = MD_DATE_FULL;
	return true;
}

static bool parse_tokens(struct tok *t, struct parsed *r)
{
	int n = 0;

	memset(r, 0, sizeof *r);
	r->era = -1;
	while (t[n].k != T_END)
		n++;
	if (n > 0 && t[n - 1].k == T_KORO) {
		r->circa = true;
		t[--n].k = T_END;
	}
	if (n == 0)
		return false;
	/* 不詳, 年月日不詳 */
	if ((is(&t[0], T_FUSHO) && is(&t[1], T_END)) ||
	    (is(&t[0], T_NEN) && is(&t[1], T_GETSU) && is(&t[2], T_NICHI) && is(&t[3], T_FUSHO) &&
	     is(&t[4], T_END))) {
		r->prec = MD_DATE_ALL_UNKNOWN;
		/* 頃 on a wholly unknown date says nothing: dropped. */
		r->circa = false;
		return true;
	}
	if (is(&t[0], T_ERA)) {
		r->era = t[0].val;
		if (is(&t[1], T_GAN)) {
			r->year = 1;
			r->gan = true;
		} else if (is(&t[1], T_NUM) && t[1].len <= 4) {
			r->year = t[1].val;
		} else {
			return false;
		}
		return parse_rest(&t[2], r);
	}
	if (is(&t[0], T_NUM) && t[0].len == 8 && is(&t[1], T_END)) {
		r->year = t[0].val / 10000;
		r->m = t[0].val / 100 % 100;
		r->d = t[0].val % 100;
		r->prec = MD_DATE_FULL;
		return true;
	}
	if (is(&t[0], T_NUM) && t[0].len == 4) {
		r->year = t[0].val;
		return parse_rest(&t[1], r);
	}
	return false;
}

/* The date as typed, for messages: 令和1年4月30日, 昭和64年3月, 1872-12-31. */
static void write_as_typed(char *buf, size_t n, const struct parsed *r, const struct md_date *t)
{
	if (r->era >= 0) {
		write_era_date(buf, n, (size_t)r->era, t, r->gan, false);
		return;
	}
	buf[0] = '\0';
	if (t->prec == MD_DATE_FULL)
		append(buf, n, "%04d-%02d-%02d", t->y, t->m, t->d);
	else if (t->prec == MD_DATE_DAY_UNKNOWN)
		append(buf, n, "%04d-%02d", t->y, t->m);
	else
		append(buf, n, "%04d", t->y);
}

static int junk(struct md_error *err)
{
	/* TRANSLATORS: %s is a list of example dates. */
	return md_error_set(err, MD_E_INVALID, FIELD, _("not a date: write it like %s"), _(EXAMPLES));
}

/* Checks the values; fills out on success. */
static int check(const struct parsed *r, struct md_date *out, struct md_error *err)
{
	struct md_date t = { 0, r->m, r->d, r->prec, r->circa };
	char typed[MD_DATE_TEXT_MAX], right[MD_DATE_TEXT_MAX] = "", day[16];
	long lo, hi;

	if (r->prec == MD_DATE_ALL_UNKNOWN) {
		*out = t;
		return MD_OK;
	}
	if (r->era >= 0 && r->year == 0)
		return md_error_set(err, MD_E_INVALID, FIELD,
		                    _("there is no year 0 in an era: the first year is 元年, as in %s元年"),
		                    eras[r->era].name);
	t.y = r->era >= 0 ? eras[r->era].y + r->year - 1 : r->year;
	if (r->bare_year) {
		t.prec = MD_DATE_MONTH_DAY_UNKNOWN;
		if (r->era >= 0)
			write_era_date(typed, sizeof typed, (size_t)r->era, &t, r->gan, false);
		else
			snprintf(typed, sizeof typed, "%d年", t.y);
		return md_error_set(err, MD_E_INVALID, FIELD,
		                    _("a year alone is not a date: write %s if the month and day are "
		                      "unknown, or the whole date, like %s"),
		                    typed, _(EXAMPLES));
	}
	if (t.prec != MD_DATE_MONTH_DAY_UNKNOWN && t.m == 0)
		return md_error_set(err, MD_E_INVALID, FIELD,
		                    _("there is no month 0: if the month is unknown, leave it out "
		                      "(昭和55年, 昭和55年月日不詳)"));
	if (t.m > 12)
		return md_error_set(err, MD_E_INVALID, FIELD,
		                    _("there is no month %d: a month is 1 to 12"), t.m);
	if (t.prec == MD_DATE_FULL && t.d == 0)
		return md_error_set(err, MD_E_INVALID, FIELD,
		                    _("there is no day 0: if the day is unknown, leave it out "
		                      "(昭和55年3月, 昭和55年3月日不詳)"));
	/* write_as_typed() only prints the numbers: t need not be valid yet. */
	write_as_typed(typed, sizeof typed, r, &t);
	if (t.y < MD_DATE_MIN_YEAR)
		return md_error_set(err, MD_E_INVALID, FIELD,
		                    _("%s is before 1873-01-01 (明治6年1月1日), the earliest date accepted: "
		                      "Japan adopted the Gregorian calendar on that day"),
		                    typed);
	if (t.y > 9999)
		return junk(err);
	if (t.prec == MD_DATE_FULL && t.d > month_days(t.y, t.m))
		return md_error_set(err, MD_E_INVALID, FIELD,
		                    _("%s is not a calendar date: month %d of %d has %d days"),
		                    typed, t.m, t.y, month_days(t.y, t.m));
	if (!date_ok(&t) || !date_range(&t, &lo, &hi))
		return junk(err);
	if (r->era >= 0) {
		size_t e = (size_t)r->era;
		int right_era = era_of_range(lo, hi);

		if (hi < era_start(e) || lo > era_end(e)) {
			if (right_era >= 0)
				write_era_date(right, sizeof right, (size_t)right_era, &t, true, false);
			if (lo > era_end(e)) {
				int y, m, d;
				civil_from_days(era_end(e), &y, &m, &d);
				snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, d);
				/* TRANSLATORS: 平成31年5月1日 is after 平成 ended on 2019-04-30:
				 * it is 令和元年5月1日 */
				return md_error_set(err, MD_E_INVALID, FIELD,
				                    _("%s is after %s ended on %s: it is %s"), typed,
				                    eras[e].name, day, right);
			}
			snprintf(day, sizeof day, "%04d-%02d-%02d", eras[e].y, eras[e].m, eras[e].d);
			if (right_era < 0)
				return md_error_set(err, MD_E_INVALID, FIELD, _("%s is before %s began on %s"),
				                    typed, eras[e].name, day);
			/* TRANSLATORS: 令和1年4月30日 is before 令和 began on 2019-05-01:
			 * it is 平成31年4月30日 */
			return md_error_set(err, MD_E_INVALID, FIELD,
			                    _("%s is before %s began on %s: it is %s"), typed,
			                    eras[e].name, day, right);
		}
	}
	*out = t;
	return MD_OK;
}

int md_date_parse(const char *input, struct md_date *out, struct md_error *err)
{
	struct tok toks[MAX_TOKS];
	struct parsed r;
	struct md_date t;
	char *norm, bad = 0;
	enum lex_result lr;
	int rc;

	md_error_clear(err);
	rc = ensure_table(err);
	if (rc != MD_OK)
		return rc;
	if (!input)
		input = "";
	norm = xmalloc(strlen(input) + 1);
	normalize_input(input, norm);
	lr = lex(norm, toks, &bad);
	free(norm);
	if (lr == LEX_LETTER) {
		char letters[MAX_ERAS * 3 + 1] = "";
		for (size_t i = 0; i < n_eras; i++)
			append(letters, sizeof letters, i ? " %c" : "%c", eras[i].letter);
		/* TRANSLATORS: the second %s lists the letters, like "M T S H R". */
		return md_error_set(err, MD_E_INVALID, FIELD,
		                    _("%c is not an era: the era letters are %s"), bad, letters);
	}
	if (lr != LEX_OK)
		return junk(err);
	if (toks[0].k == T_END)
		/* TRANSLATORS: %s is a list of example dates. */
		return md_error_set(err, MD_E_INVALID, FIELD, _("no date given: write it like %s"),
		                    _(EXAMPLES));
	if (!parse_tokens(toks, &r))
		return junk(err);
	rc = check(&r, &t, err);
	if (rc == MD_OK && out)
		*out = t;
	return rc;
}
