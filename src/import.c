/* import.c: the CSV reader and writer, and the column rules of an import
 * file: the header and one row's values. No database here: the import as a
 * whole (md_import_residents) is in cmd_import.c. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkdigit.h"
#include "codes.h"
#include "i18n.h"
#include "import.h"
#include "kana.h"
#include "relationship.h"
#include "text.h"
#include "wareki.h"
#include "xalloc.h"

/* ---- CSV ------------------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at p (a non-ASCII lead byte), or 0. */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
	size_t n;
	unsigned cp;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if (n == 3) {
		cp = (unsigned)(p[0] & 0x0f) << 12 | (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
		if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
	} else if (n == 4) {
		cp = (unsigned)(p[0] & 0x07) << 18 | (unsigned)(p[1] & 0x3f) << 12;
		if (cp < 0x10000 || cp > 0x10ffff)
			return 0;
	}
	return n;
}

void md_csv_init(struct md_csv_reader *r, char *buf, size_t len)
{
	r->p = buf;
	r->end = buf + len;
	r->line = 1;
	r->bad_field = 0;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		r->p += 3;
}

void md_csv_record_release(struct md_csv_record *rec)
{
	free(rec->field);
	rec->field = NULL;
	rec->nfields = 0;
}

static int csv_fail(struct md_csv_reader *r, struct md_csv_record *rec, int field, long line,
                    struct md_error *err, const char *msg)
{
	md_csv_record_release(rec);
	r->bad_field = field;
	r->p = r->end;
	md_error_setl(err, MD_E_INVALID, "csv", line, "%s", msg);
	return -1;
}

/* A byte that is not plain text: the start of a check for UTF-8 or NUL. On
 * success *pp is moved past the character; otherwise a message. */
static const char *csv_char(char **pp, const char *end)
{
	const unsigned char *p = (const unsigned char *)*pp;
	size_t n;

	if (*p == 0)
		return _("the file contains a NUL byte: it is not a text file");
	n = utf8_seq(p, (const unsigned char *)end);
	if (!n)
		return _("the text is not UTF-8: save the file as UTF-8 (a Shift_JIS file converts "
		         "with iconv -f CP932 -t UTF-8)");
	*pp += n;
	return NULL;
}

int md_csv_next(struct md_csv_reader *r, struct md_csv_record *rec, struct md_error *err)
{
	int cap = 0;

	rec->line = 0;
	rec->nfields = 0;
	rec->field = NULL;
	r->bad_field = 0;
	/* Lines with nothing on them. */
	while (r->p < r->end && (*r->p == '\n' || *r->p == '\r')) {
		if (*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n')
			r->p++;
		r->p++;
		r->line++;
	}
	if (r->p >= r->end)
		return 0;
	rec->line = r->line;
	for (;;) {
		char *start = r->p, *w, *p = r->p;
		char sep;
		const char *bad;

		if (p < r->end && *p == '"') {
			long qline = r->line;
			w = start;
			p++;
			for (;;) {
				if (p >= r->end)
					return csv_fail(r, rec, rec->nfields + 1, qline, err,
					                _("a quoted field never ends: a closing quote (\") is "
					                  "missing"));
				if (*p == '"') {
					if (p + 1 < r->end && p[1] == '"') {
						*w++ = '"';
						p += 2;
						continue;
					}
					p++;
					break;
				}
				if (*p == '\r' || *p == '\n') {
					if (*p == '\r' && p + 1 < r->end && p[1] == '\n')
						*w++ = *p++;
					*w++ = *p++;
					r->line++;
					continue;
				}
				if ((unsigned char)*p < 0x80 && *p != 0) {
					*w++ = *p++;
					continue;
				}
				{
					char *q = p;
					if ((bad = csv_char(&q, r->end)) != NULL)
						return csv_fail(r, rec, rec->nfields + 1, r->line, err, bad);
					while (p < q)
						*w++ = *p++;
				}
			}
			if (p < r->end && *p != ',' && *p != '\r' && *p != '\n')
				return csv_fail(r, rec, rec->nfields + 1, r->line, err,
				                _("something follows a closing quote: a quoted field ends at a "
				                  "comma or the end of the line (write a quote inside it as \"\")"));
		} else {
			while (p < r->end && *p != ',' && *p != '\r' && *p != '\n') {
				if (*p == '"')
					return csv_fail(r, rec, rec->nfields + 1, r->line, err,
					                _("a quote (\") inside a field that does not start with one: "
					                  "put the whole field in quotes and write the quote twice"));
				if ((unsigned char)*p < 0x80 && *p != 0) {
					p++;
					continue;
				}
				if ((bad = csv_char(&p, r->end)) != NULL)
					return csv_fail(r, rec, rec->nfields + 1, r->line, err, bad);
			}
			w = p;
		}
		sep = p < r->end ? *p : '\0';
		*w = '\0';
		if (rec->nfields == cap) {
			cap = cap ? cap * 2 : 24;
			rec->field = xrealloc(rec->field, (size_t)cap * sizeof *rec->field);
		}
		rec->field[rec->nfields++] = start;
		if (sep == ',') {
			r->p = p + 1;
			continue;
		}
		if (sep == '\r') {
			p++;
			if (p < r->end && *p == '\n')
				p++;
			r->line++;
		} else if (sep == '\n') {
			p++;
			r->line++;
		}
		r->p = p;
		return 1;
	}
}

int md_csv_write_record(FILE *f, int n, const char *const *fields)
{
	/* A record of one empty field would be an empty line, which a reader skips. */
	if (n == 1 && (!fields[0] || !*fields[0]))
		return fputs("\"\"\r\n", f) == EOF ? -1 : 0;
	for (int i = 0; i < n; i++) {
		const char *v = fields[i] ? fields[i] : "";
		size_t len = strlen(v);
		/* Quoted also when it starts with a BOM, which a reader would skip at the
		 * start of a file. */
		int quote = len > 0 && (v[0] == ' ' || v[len - 1] == ' ' || strpbrk(v, ",\"\r\n") != NULL ||
		                        strncmp(v, "\xef\xbb\xbf", 3) == 0);

		if (i > 0 && fputc(',', f) == EOF)
			return -1;
		if (!quote) {
			if (len && fwrite(v, 1, len, f) != len)
				return -1;
			continue;
		}
		if (fputc('"', f) == EOF)
			return -1;
		for (; *v; v++) {
			if (*v == '"' && fputc('"', f) == EOF)
				return -1;
			if (fputc(*v, f) == EOF)
				return -1;
		}
		if (fputc('"', f) == EOF)
			return -1;
	}
	return fputs("\r\n", f) == EOF ? -1 : 0;
}

/* ---- issues ---------------------------------------------------------------- */

void md_import_issue(struct md_import_issues *is, long line, const char *column, int error,
                     const char *fmt, ...)
{
	static long seq;
	struct md_import_issue *x;
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	if (vsnprintf(buf, sizeof buf, fmt, ap) >= (int)sizeof buf) {
		/* Cut: never in the middle of a character. */
		size_t n = strlen(buf), k = n;
		while (k > 0 && ((unsigned char)buf[k - 1] & 0xc0) == 0x80)
			k--;
		if (k > 0 && (unsigned char)buf[k - 1] >= 0xc0) {
			unsigned char lead = (unsigned char)buf[k - 1];
			size_t want = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
			if (n - (k - 1) < want)
				buf[k - 1] = '\0';
		}
	}
	va_end(ap);
	if (is->n == is->cap) {
		is->cap = is->cap ? is->cap * 2 : 16;
		is->v = xrealloc(is->v, (size_t)is->cap * sizeof *is->v);
	}
	x = &is->v[is->n++];
	x->line = line;
	x->column = column;
	x->error = error;
	x->seq = ++seq;
	x->msg = xstrdup(buf);
}

static int issue_cmp(const void *a, const void *b)
{
	const struct md_import_issue *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void md_import_issues_sort(struct md_import_issues *is, const struct md_import_header *h)
{
	for (int i = 0; i < is->n; i++) {
		struct md_import_issue *x = &is->v[i];
		x->order = -1;
		for (int c = 0; h && x->column && c < MD_IC_COUNT; c++)
			if (strcmp(x->column, md_import_col_name(c)) == 0)
				x->order = h->pos[c] >= 0 ? h->pos[c] : MD_IC_COUNT + c;
	}
	if (is->n > 1)
		qsort(is->v, (size_t)is->n, sizeof *is->v, issue_cmp);
}

int md_import_issues_errors(const struct md_import_issues *is)
{
	int n = 0;
	for (int i = 0; i < is->n; i++)
		n += is->v[i].error != 0;
	return n;
}

void md_import_issues_release(struct md_import_issues *is)
{
	for (int i = 0; i < is->n; i++)
		free(is->v[i].msg);
	free(is->v);
	memset(is, 0, sizeof *is);
}

/* ---- columns --------------------------------------------------------------- */

struct col_def {
	const char *name;
	int required;
	const char *label;     /* the legal item name, as in every message */
	int maxlen;            /* characters, for free text; 0: checked otherwise */
};

static const struct col_def cols[MD_IC_COUNT] = {
	[MD_IC_ATENA_NO] = { "atena_no", 1, "宛名番号", 0 },
	[MD_IC_HOUSEHOLD_NO] = { "household_no", 1, "世帯番号", 0 },
	[MD_IC_RELATIONSHIP] = { "relationship", 1, "続柄", 0 },
	[MD_IC_NAME] = { "name", 1, "氏名", 0 },
	[MD_IC_NAME_KANA] = { "name_kana", 1, "氏名の振り仮名", 0 },
	[MD_IC_BIRTH_DATE] = { "birth_date", 1, "生年月日", 0 },
	[MD_IC_SEX] = { "sex", 1, "性別", 0 },
	[MD_IC_ADDRESS] = { "address", 1, "住所", 100 },
	[MD_IC_KATAGAKI] = { "katagaki", 0, "方書", 60 },
	[MD_IC_POSTAL_CODE] = { "postal_code", 0, "郵便番号", 0 },
	[MD_IC_RESIDENT_SINCE] = { "resident_since", 0, "住民となった年月日", 0 },
	[MD_IC_ADDRESS_SINCE] = { "address_since", 0, "住所を定めた年月日", 0 },
	[MD_IC_NOTIFIED_ON] = { "notified_on", 0, "届出の年月日", 0 },
	[MD_IC_PREVIOUS_ADDRESS] = { "previous_address", 0, "転入前住所", 100 },
	[MD_IC_HONSEKI] = { "honseki", 0, "本籍", 100 },
	[MD_IC_HITTOSHA] = { "hittosha", 0, "筆頭者", 40 },
	[MD_IC_MY_NUMBER] = { "my_number", 0, "個人番号", 0 },
	[MD_IC_JUMINHYO_CODE] = { "juminhyo_code", 0, "住民票コード", 0 },
	[MD_IC_RESIDENT_TYPE] = { "resident_type", 1, "住民種別", 0 },
	[MD_IC_NATIONALITY] = { "nationality", 0, "国籍・地域", 0 },
};

const char *md_import_col_name(enum md_import_col c)
{
	return c >= 0 && c < MD_IC_COUNT ? cols[c].name : "";
}

int md_import_col_required(enum md_import_col c)
{
	return c >= 0 && c < MD_IC_COUNT && cols[c].required;
}

/* Is the UTF-8 at p a space (ASCII, tab or full-width)? Its length, or 0. */
static size_t space_at(const char *p)
{
	if (*p == ' ' || *p == '\t')
		return 1;
	if (strncmp(p, "\xe3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

/* Allocated copy of s without surrounding spaces. */
static char *trimmed(const char *s)
{
	const char *e;
	size_t n;

	while ((n = space_at(s)) != 0)
		s += n;
	e = s + strlen(s);
	for (;;) {
		if (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		else if (e - s >= 3 && strncmp(e - 3, "\xe3\x80\x80", 3) == 0)
			e -= 3;
		else
			break;
	}
	return xstrndup(s, (size_t)(e - s));
}

/* Characters (code points) of valid UTF-8. */
static int nchars(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* A value quoted back in a message: at most 40 characters, control
 * characters shown as '?'. The value is valid UTF-8 (the reader checked it). */
static const char *echo(const char *v, char *buf, size_t n)
{
	const unsigned char *p = (const unsigned char *)v;
	size_t o = 0;
	int chars = 0;

	while (*p) {
		size_t len = *p < 0x80 ? 1 : *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
		if (++chars > 40 || o + len + 4 > n) {
			if (o + 4 <= n) {
				memcpy(buf + o, "\xe2\x80\xa6", 3);   /* … */
				o += 3;
			}
			break;
		}
		if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)) {
			buf[o++] = '?';
		} else {
			for (size_t i = 0; i < len && p[i]; i++)
				buf[o++] = (char)p[i];
		}
		for (size_t i = 0; i < len && *p; i++)
			p++;
	}
	buf[o] = '\0';
	return buf;
}

/* 1 when the text is certainly in NFC without asking libunistring: every
 * character is ASCII, CJK punctuation, hiragana, katakana, a CJK unified
 * ideograph or a full-/half-width form. These neither change under NFC nor
 * combine with a neighbour (the voiced marks U+3099/U+309A are not among
 * them), which is most of a Japanese registry and saves the call. */
static int nfc_already(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned cp;
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xf0) != 0xe0 || !p[1] || !p[2])
			return 0;
		cp = (unsigned)(p[0] & 0x0f) << 12 | (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
		if (!((cp >= 0x3000 && cp <= 0x303f) || (cp >= 0x3041 && cp <= 0x3096) ||
		      (cp >= 0x30a1 && cp <= 0x30ff) || (cp >= 0x4e00 && cp <= 0x9fff) ||
		      (cp >= 0xff01 && cp <= 0xffef)))
			return 0;
		p += 3;
	}
	return 1;
}

/* 1 when the value has a control character (C0, DEL or C1). */
static int has_control(const char *v)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 1;
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return 1;
	}
	return 0;
}

/* Full-width ASCII (！..～) to ASCII; allocated. */
static char *fold_ascii(const char *v)
{
	char *out = xmalloc(strlen(v) + 1);
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)v;

	while (*p) {
		if (p[0] == 0xef && (p[1] == 0xbc || p[1] == 0xbd) && p[2]) {
			unsigned cp = (unsigned)(p[0] & 0x0f) << 12 | (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
			if (cp >= 0xff01 && cp <= 0xff5e) {
				out[o++] = (char)(cp - 0xfee0);
				p += 3;
				continue;
			}
		}
		out[o++] = (char)*p++;
	}
	out[o] = '\0';
	return out;
}

void md_import_header_release(struct md_import_header *h)
{
	free(h->names);
	memset(h, 0, sizeof *h);
}

int md_import_header_parse(const struct md_csv_record *rec, struct md_import_header *h,
                           struct md_import_issues *is)
{
	int errors = 0;
	char known[512], e[128];
	size_t len = 0;

	memset(h, 0, sizeof *h);
	for (int c = 0; c < MD_IC_COUNT; c++) {
		h->pos[c] = -1;
		len += (size_t)snprintf(known + len, sizeof known - len, "%s%s", c ? ", " : "", cols[c].name);
	}
	h->ncols = rec->nfields;
	h->names = xcalloc((size_t)(rec->nfields > 0 ? rec->nfields : 1), sizeof *h->names);
	for (int i = 0; i < rec->nfields; i++) {
		char *name = trimmed(rec->field[i]);
		int found = -1;

		for (char *q = name; *q; q++)
			if (*q >= 'A' && *q <= 'Z')
				*q = (char)(*q - 'A' + 'a');
		for (int c = 0; c < MD_IC_COUNT; c++)
			if (strcmp(name, cols[c].name) == 0)
				found = c;
		if (!*name) {
			md_import_issue(is, rec->line, NULL, 1,
			                _("column %d of the header has no name: the columns are %s"), i + 1, known);
			errors++;
		} else if (found < 0) {
			md_import_issue(is, rec->line, NULL, 1, _("unknown column \"%s\": the columns are %s"),
			                echo(name, e, sizeof e), known);
			errors++;
		} else if (h->pos[found] >= 0) {
			md_import_issue(is, rec->line, cols[found].name, 1,
			                _("the column is in the header twice (columns %d and %d)"),
			                h->pos[found] + 1, i + 1);
			errors++;
		} else {
			h->pos[found] = i;
			h->names[i] = cols[found].name;
		}
		free(name);
	}
	for (int c = 0; c < MD_IC_COUNT; c++) {
		if (cols[c].required && h->pos[c] < 0) {
			md_import_issue(is, rec->line, cols[c].name, 1,
			                _("the required column %s (%s) is missing from the header"), cols[c].name,
			                cols[c].label);
			errors++;
		}
	}
	return errors;
}

/* ---- one row ---------------------------------------------------------------- */

struct rowctx {
	const struct md_import_header *h;
	const struct md_csv_record *rec;
	struct md_import_row *row;
	struct md_import_issues *is;
	time_t now;
	char *v[MD_IC_COUNT];   /* trimmed values; NULL when the column is absent */
	int bad[MD_IC_COUNT];   /* already reported (a control character): not checked again */
	int errors;
};

#define RI_ERR(rc, col, ...) \
	do { \
		md_import_issue((rc)->is, (rc)->rec->line, cols[col].name, 1, __VA_ARGS__); \
		(rc)->errors++; \
	} while (0)

static const char *val(const struct rowctx *rc, enum md_import_col c)
{
	return rc->v[c] ? rc->v[c] : "";
}

/* A positive whole number of at most 15 digits (full-width digits too); 0 if not. */
static long long posint(struct rowctx *rc, enum md_import_col c)
{
	char *d = fold_ascii(val(rc, c)), e[128];
	long long n = 0;
	int len = 0, ok = *d != '\0';

	for (const char *p = d; *p && ok; p++, len++) {
		if (*p < '0' || *p > '9' || len >= 15)
			ok = 0;
		else
			n = n * 10 + (*p - '0');
	}
	free(d);
	if (!*val(rc, c)) {
		RI_ERR(rc, c, _("%s is required"), cols[c].label);
		return 0;
	}
	if (!ok || n <= 0) {
		RI_ERR(rc, c, _("%s is a positive whole number of at most 15 digits, not \"%s\""),
		       cols[c].label, echo(val(rc, c), e, sizeof e));
		return 0;
	}
	return n;
}

/* Splits at the first space (half- or full-width); the given part with its
 * leading spaces removed. Both allocated. */
static void split_name(const char *v, char **sur, char **given)
{
	const char *p = v;
	size_t n = 0;

	while (*p && (n = space_at(p)) == 0)
		p++;
	*sur = xstrndup(v, (size_t)(p - v));
	while (*p && (n = space_at(p)) != 0)
		p += n;
	*given = xstrdup(p);
}

/* Sets an item that may be present but empty (a foreign resident's single
 * name): NOT NULL columns take "". */
static void set_maybe_empty(struct md_person *p, enum md_field f, const char *v)
{
	free(p->v[f]);
	p->v[f] = xstrdup(v ? v : "");
}

static void check_name(struct rowctx *rc)
{
	struct md_import_row *row = rc->row;
	const char *v = val(rc, MD_IC_NAME), *k = val(rc, MD_IC_NAME_KANA);
	char *sur, *given, *ksur, *kgiven, e[128];
	int ok = 1;

	if (rc->bad[MD_IC_NAME] || rc->bad[MD_IC_NAME_KANA])
		return;
	if (!*v) {
		RI_ERR(rc, MD_IC_NAME, _("%s is required"), cols[MD_IC_NAME].label);
		ok = 0;
	} else {
		split_name(v, &sur, &given);
		if (!*given && row->foreign == 0) {
			RI_ERR(rc, MD_IC_NAME,
			       _("氏名 needs a space between the surname and the given name (山田 太郎 or "
			         "山田　太郎), not \"%s\""), echo(v, e, sizeof e));
			ok = 0;
		} else if (nchars(sur) > md_field(MD_F_SURNAME)->maxlen ||
		           nchars(given) > md_field(MD_F_GIVEN_NAME)->maxlen) {
			RI_ERR(rc, MD_IC_NAME, _("氏名 is too long: the surname and the given name have at "
			                         "most %d characters each"), md_field(MD_F_SURNAME)->maxlen);
			ok = 0;
		} else {
			md_person_set(&row->p, MD_F_SURNAME, sur);
			set_maybe_empty(&row->p, MD_F_GIVEN_NAME, given);
		}
		free(sur);
		free(given);
	}
	if (!*k) {
		RI_ERR(rc, MD_IC_NAME_KANA, _("%s is required"), cols[MD_IC_NAME_KANA].label);
		return;
	}
	{
		char *kk = md_kana_to_katakana(k);
		split_name(kk, &ksur, &kgiven);
		free(kk);
	}
	if (!md_kana_is_reading(ksur) || (*kgiven && !md_kana_is_reading(kgiven))) {
		RI_ERR(rc, MD_IC_NAME_KANA,
		       _("氏名の振り仮名 must be written in kana (katakana or hiragana), not \"%s\""),
		       echo(k, e, sizeof e));
	} else if (nchars(ksur) > md_field(MD_F_SURNAME_KANA)->maxlen ||
	           nchars(kgiven) > md_field(MD_F_GIVEN_NAME_KANA)->maxlen) {
		RI_ERR(rc, MD_IC_NAME_KANA, _("氏名の振り仮名 is too long: each part has at most %d "
		                              "characters"), md_field(MD_F_SURNAME_KANA)->maxlen);
	} else if (ok && *v && !*kgiven && md_person_has(&row->p, MD_F_GIVEN_NAME)) {
		RI_ERR(rc, MD_IC_NAME_KANA,
		       _("氏名の振り仮名 needs the reading of the given name too, after a space "
		         "(ヤマダ タロウ), not \"%s\""), echo(k, e, sizeof e));
	} else if (ok && *v && *kgiven && !md_person_has(&row->p, MD_F_GIVEN_NAME)) {
		RI_ERR(rc, MD_IC_NAME_KANA,
		       _("氏名 is one word but its reading has two: write both with the same space"));
	} else if (!*kgiven && row->foreign == 0) {
		RI_ERR(rc, MD_IC_NAME_KANA,
		       _("氏名の振り仮名 needs a space between the surname and the given name (ヤマダ タロウ)"));
	} else {
		md_person_set(&row->p, MD_F_SURNAME_KANA, ksur);
		set_maybe_empty(&row->p, MD_F_GIVEN_NAME_KANA, kgiven);
	}
	free(ksur);
	free(kgiven);
}

/* A date item: any precision for the date of birth, else a full date; not
 * after today. */
static void check_date(struct rowctx *rc, enum md_import_col c, enum md_field f, int birth)
{
	const char *v = val(rc, c);
	struct md_date d;
	struct md_error e;
	char iso[16];

	if (rc->bad[c])
		return;
	if (!*v) {
		if (cols[c].required)
			RI_ERR(rc, c, _("%s is required"), cols[c].label);
		return;
	}
	if (md_date_parse(v, &d, &e) != MD_OK) {
		RI_ERR(rc, c, "%s", e.msg);
		return;
	}
	if (!birth && (d.prec != MD_DATE_FULL || d.circa)) {
		RI_ERR(rc, c, _("%s needs a full date (year, month and day)"), cols[c].label);
		return;
	}
	if (md_date_after_today(&d, rc->now)) {
		char e2[128];
		RI_ERR(rc, c, _("%s %s is after today"), cols[c].label, echo(v, e2, sizeof e2));
		return;
	}
	md_person_set(&rc->row->p, f, md_date_to_iso(&d, iso));
	if (birth && d.circa)
		md_person_set(&rc->row->p, MD_F_BIRTH_CIRCA, "1");
}

static void check_text(struct rowctx *rc, enum md_import_col c, enum md_field f)
{
	const char *v = val(rc, c);

	if (rc->bad[c])
		return;
	if (!*v) {
		if (cols[c].required)
			RI_ERR(rc, c, _("%s is required"), cols[c].label);
		return;
	}
	if (nchars(v) > cols[c].maxlen) {
		RI_ERR(rc, c, _("%s is too long: %d characters, at most %d"), cols[c].label, nchars(v),
		       cols[c].maxlen);
		return;
	}
	md_person_set(&rc->row->p, f, v);
}

static void check_postal(struct rowctx *rc)
{
	const char *v = val(rc, MD_IC_POSTAL_CODE);
	char *d, e[128], buf[16];
	size_t n;
	int ok;

	if (!*v || rc->bad[MD_IC_POSTAL_CODE])
		return;
	d = fold_ascii(v);
	n = strlen(d);
	ok = (n == 7 && strspn(d, "0123456789") == 7) ||
	     (n == 8 && strspn(d, "0123456789") == 3 && d[3] == '-' && strspn(d + 4, "0123456789") == 4);
	if (!ok) {
		RI_ERR(rc, MD_IC_POSTAL_CODE,
		       _("郵便番号 is 7 digits, written 123-4567 or 1234567, not \"%s\""), echo(v, e, sizeof e));
	} else {
		snprintf(buf, sizeof buf, "%.3s-%.4s", d, d + (n == 8 ? 4 : 3));
		md_person_set(&rc->row->p, MD_F_POSTAL_CODE, buf);
	}
	free(d);
}

static void check_kind(struct rowctx *rc)
{
	const char *t = val(rc, MD_IC_RESIDENT_TYPE), *s = val(rc, MD_IC_SEX);
	char e[128];

	rc->row->foreign = -1;
	if (rc->bad[MD_IC_RESIDENT_TYPE]) {
		/* reported */
	} else if (!*t) {
		RI_ERR(rc, MD_IC_RESIDENT_TYPE, _("%s is required"), cols[MD_IC_RESIDENT_TYPE].label);
	} else if (strcmp(t, "日本人") == 0) {
		rc->row->foreign = 0;
		md_person_set(&rc->row->p, MD_F_RESIDENT_TYPE, "japanese");
	} else if (strcmp(t, "外国人") == 0) {
		rc->row->foreign = 1;
		md_person_set(&rc->row->p, MD_F_RESIDENT_TYPE, "foreign");
	} else {
		RI_ERR(rc, MD_IC_RESIDENT_TYPE, _("住民種別 is 日本人 or 外国人, not \"%s\""),
		       echo(t, e, sizeof e));
	}
	if (rc->bad[MD_IC_SEX])
		return;
	if (!*s)
		RI_ERR(rc, MD_IC_SEX, _("%s is required"), cols[MD_IC_SEX].label);
	else if (strcmp(s, "男") == 0)
		md_person_set(&rc->row->p, MD_F_SEX, "M");
	else if (strcmp(s, "女") == 0)
		md_person_set(&rc->row->p, MD_F_SEX, "F");
	else
		RI_ERR(rc, MD_IC_SEX, _("性別 is 男 or 女, not \"%s\""), echo(s, e, sizeof e));
}

static void check_relationship(struct rowctx *rc)
{
	const char *v = val(rc, MD_IC_RELATIONSHIP);
	char out[128];
	int became = 0;
	struct md_error e;

	if (rc->bad[MD_IC_RELATIONSHIP])
		return;
	if (!*v) {
		RI_ERR(rc, MD_IC_RELATIONSHIP, _("%s is required"), cols[MD_IC_RELATIONSHIP].label);
		return;
	}
	/* md_relationship_check() works in 128 bytes and may triple ASCII (")" to
	 * "）"): longer text would be cut in its message. The longest allowed
	 * chain, 子の子の子の子, has 7 characters. */
	if (strlen(v) > 42) {
		RI_ERR(rc, MD_IC_RELATIONSHIP, _("%s is too long: %d characters, at most %d"),
		       cols[MD_IC_RELATIONSHIP].label, nchars(v), 14);
		return;
	}
	if (md_relationship_check(v, out, sizeof out, &became, &e) != MD_OK) {
		RI_ERR(rc, MD_IC_RELATIONSHIP, "%s", e.msg);
		return;
	}
	if (became)
		md_import_issue(rc->is, rc->rec->line, cols[MD_IC_RELATIONSHIP].name, 0,
		                _("note: a chain of five or more links is recorded as 縁故者 (registry rule)"));
	md_person_set(&rc->row->p, MD_F_RELATIONSHIP, out);
	rc->row->relationship_ok = 1;
	rc->row->head = strcmp(out, MD_HEAD) == 0;
}

/* 本籍・筆頭者 for Japanese residents, 国籍・地域 for foreign ones. */
static void check_origin(struct rowctx *rc)
{
	int foreign = rc->row->foreign;
	const char *nat = val(rc, MD_IC_NATIONALITY);
	char e[128];

	if (foreign == 0) {
		static const enum md_import_col jp[] = { MD_IC_HONSEKI, MD_IC_HITTOSHA };
		for (size_t i = 0; i < 2; i++) {
			enum md_import_col c = jp[i];
			if (rc->bad[c])
				continue;
			if (rc->h->pos[c] >= 0 && !*val(rc, c))
				RI_ERR(rc, c, _("%s is required for a Japanese resident (日本人)"), cols[c].label);
			else
				check_text(rc, c, c == MD_IC_HONSEKI ? MD_F_HONSEKI : MD_F_HITTOSHA);
		}
		if (*nat)
			RI_ERR(rc, MD_IC_NATIONALITY,
			       _("国籍・地域 is an item of foreign residents (外国人) only"));
		return;
	}
	if (foreign != 1)
		return;
	if (rc->bad[MD_IC_NATIONALITY])
		return;
	if (*val(rc, MD_IC_HONSEKI) || *val(rc, MD_IC_HITTOSHA))
		RI_ERR(rc, *val(rc, MD_IC_HONSEKI) ? MD_IC_HONSEKI : MD_IC_HITTOSHA,
		       _("a foreign resident (外国人) has no 本籍・筆頭者"));
	if (!*nat) {
		RI_ERR(rc, MD_IC_NATIONALITY, _("国籍・地域 is required for a foreign resident (外国人)"));
		return;
	}
	{
		const struct md_tsv *t = md_codes(MD_CODES_NATIONALITIES);
		char *up = fold_ascii(nat);
		int r;
		for (char *q = up; *q; q++)
			if (*q >= 'a' && *q <= 'z')
				*q = (char)(*q - 'a' + 'A');
		r = md_tsv_find(t, "code", up);
		if (r < 0)
			r = md_tsv_find(t, "name", nat);
		free(up);
		if (r < 0)
			RI_ERR(rc, MD_IC_NATIONALITY,
			       _("国籍・地域 \"%s\" is not in the code list (a code such as CHN or a name such "
			         "as 中国)"), echo(nat, e, sizeof e));
		else
			md_person_set(&rc->row->p, MD_F_NATIONALITY, md_tsv_get(t, r, "code"));
	}
}

static void check_numbers(struct rowctx *rc)
{
	struct md_error e;

	if (*val(rc, MD_IC_MY_NUMBER) && !rc->bad[MD_IC_MY_NUMBER] &&
	    md_mynumber_check(val(rc, MD_IC_MY_NUMBER), rc->row->mynumber, &e) != MD_OK) {
		/* The message never repeats the number. */
		RI_ERR(rc, MD_IC_MY_NUMBER, "%s", e.msg);
		rc->row->mynumber[0] = '\0';
	}
	if (*val(rc, MD_IC_JUMINHYO_CODE) && !rc->bad[MD_IC_JUMINHYO_CODE]) {
		char code[12];
		if (md_juminhyo_code_check(val(rc, MD_IC_JUMINHYO_CODE), code, &e) != MD_OK)
			RI_ERR(rc, MD_IC_JUMINHYO_CODE, "%s", e.msg);
		else
			md_person_set(&rc->row->p, MD_F_JUMINHYO_CODE, code);
	}
}

void md_import_row_release(struct md_import_row *row)
{
	md_person_release(&row->p);
	memset(row->mynumber, 0, sizeof row->mynumber);
}

int md_import_check_row(const struct md_import_header *h, const struct md_csv_record *rec,
                        time_t now, struct md_import_row *row, struct md_import_issues *is)
{
	struct rowctx rc;

	memset(row, 0, sizeof *row);
	md_person_init(&row->p);
	row->line = rec->line;
	row->foreign = -1;
	if (rec->nfields != h->ncols) {
		md_import_issue(is, rec->line, NULL, 1,
		                _("the row has %d fields but the header has %d: check the commas and quotes"),
		                rec->nfields, h->ncols);
		return 1;
	}
	memset(&rc, 0, sizeof rc);
	rc.h = h;
	rc.rec = rec;
	rc.row = row;
	rc.is = is;
	rc.now = now;
	for (int c = 0; c < MD_IC_COUNT; c++) {
		if (h->pos[c] < 0)
			continue;
		rc.v[c] = trimmed(rec->field[h->pos[c]]);
		/* Stored in NFC (a kana with a separate voiced mark composed). */
		if (!nfc_already(rc.v[c])) {
			char *nfc = md_text_nfc(rc.v[c]);
			if (nfc) {
				free(rc.v[c]);
				rc.v[c] = nfc;
			}
		}
		if (has_control(rc.v[c])) {
			RI_ERR(&rc, c, _("%s contains a line break or another control character"), cols[c].label);
			rc.bad[c] = 1;
		}
	}
	if (!rc.bad[MD_IC_ATENA_NO])
		row->atena = posint(&rc, MD_IC_ATENA_NO);
	if (!rc.bad[MD_IC_HOUSEHOLD_NO])
		row->household = posint(&rc, MD_IC_HOUSEHOLD_NO);
	check_kind(&rc);
	check_relationship(&rc);
	check_name(&rc);
	check_date(&rc, MD_IC_BIRTH_DATE, MD_F_BIRTH_DATE, 1);
	check_date(&rc, MD_IC_RESIDENT_SINCE, MD_F_RESIDENT_SINCE, 0);
	check_date(&rc, MD_IC_ADDRESS_SINCE, MD_F_ADDRESS_SINCE, 0);
	check_date(&rc, MD_IC_NOTIFIED_ON, MD_F_NOTIFIED_ON, 0);
	check_text(&rc, MD_IC_ADDRESS, MD_F_ADDRESS);
	check_text(&rc, MD_IC_KATAGAKI, MD_F_KATAGAKI);
	check_text(&rc, MD_IC_PREVIOUS_ADDRESS, MD_F_PREVIOUS_ADDRESS);
	check_postal(&rc);
	check_origin(&rc);
	check_numbers(&rc);
	for (int c = 0; c < MD_IC_COUNT; c++)
		free(rc.v[c]);
	return rc.errors;
}
