/* search.c: the resident search and the record views (registry.md §6).
 *
 * Every key becomes a condition that an index serves: name prefixes on
 * name_index (kana_* for a reading, fold_* for kanji), address prefixes on
 * address_index.addr, the date of birth on persons_birth, the numbers on
 * persons' own indexes. A prefix is the range col >= k AND col < k || U+10FFFF,
 * which SQLite answers from the index. Only approved data is read. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "change.h"
#include "change_impl.h"
#include "checkdigit.h"
#include "codes.h"
#include "crypto.h"
#include "ctx.h"
#include "i18n.h"
#include "kana.h"
#include "nameindex.h"
#include "person.h"
#include "protect.h"
#include "relationship.h"
#include "result.h"
#include "search.h"
#include "store.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

/* The largest code point: every string that starts with k sorts below k + it. */
#define PREFIX_END "\xF4\x8F\xBF\xBF"

/* ---- small helpers ------------------------------------------------------------- */

struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static const char *sb_str(const struct sbuf *b)
{
	return b->p ? b->p : "";
}

/* Characters (code points) of a UTF-8 string, as SQLite's length() counts them. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int given(const char *s)
{
	return s && *s;
}

/* Length of a space (ASCII, tab or ideographic) at s, or 0. */
static size_t space_at(const char *s)
{
	if (*s == ' ' || *s == '\t')
		return 1;
	if (strncmp(s, "　", strlen("　")) == 0)
		return strlen("　");
	return 0;
}

/* A copy without the spaces at both ends. */
static char *trim(const char *s)
{
	const char *end;
	size_t k;

	while (*s && (k = space_at(s)) > 0)
		s += k;
	end = s + strlen(s);
	for (;;) {
		if (end > s && (end[-1] == ' ' || end[-1] == '\t')) {
			end--;
			continue;
		}
		if (end - s >= (long)strlen("　") && strncmp(end - strlen("　"), "　", strlen("　")) == 0) {
			end -= strlen("　");
			continue;
		}
		break;
	}
	return xstrndup(s, (size_t)(end - s));
}

/* A number typed in ASCII or full-width digits. */
static int parse_number(const char *in, long long *out)
{
	char *t = trim(in);
	long long v = 0;
	int digits = 0, ok = 1;

	for (const char *p = t; *p && ok;) {
		if (*p >= '0' && *p <= '9') {
			v = v * 10 + (*p - '0');
			p++;
		} else if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBC &&
		           (unsigned char)p[2] >= 0x90 && (unsigned char)p[2] <= 0x99) {
			v = v * 10 + ((unsigned char)p[2] - 0x90);   /* ０ .. ９ */
			p += 3;
		} else {
			ok = 0;
		}
		if (++digits > 15)
			ok = 0;
	}
	free(t);
	if (!ok || digits == 0 || v <= 0)
		return -1;
	*out = v;
	return 0;
}

/* Audit details hold what was typed, without control characters. */
static void sb_add_clean(struct sbuf *b, const char *key, const char *v)
{
	char *c = xstrndup(v, 200);
	for (char *p = c; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	sb_add(b, "%s%s=%s", b->len ? " " : "", key, c);
	free(c);
}

/* ---- how items read ---------------------------------------------------------- */

static int is_foreign(const struct md_person *p)
{
	return strcmp(md_person_get(p, MD_F_RESIDENT_TYPE), "foreign") == 0;
}

/* A stored date as people read it: the era, or Western for foreign residents. */
static void date_text(const char *iso, int circa, int foreign, char *buf, size_t n)
{
	struct md_date d;

	if (!iso || !*iso) {
		buf[0] = '\0';
		return;
	}
	if (md_date_from_iso(iso, &d) != 0) {
		snprintf(buf, n, "%s", iso);
		return;
	}
	d.circa = circa != 0;
	if (foreign)
		md_date_format_western(&d, buf, n);
	else
		md_date_format_wareki(&d, buf, n);
}

/* 住民, 転出予定 (a planned move-out, still living here), 転出, 死亡, 消除. */
static const char *status_text(const char *status, const char *removal_date, const char *today)
{
	if (strcmp(status, "resident") == 0)
		return "住民";
	if (strcmp(status, "moved_out") == 0)
		return removal_date && strcmp(removal_date, today) > 0 ? "転出予定" : "転出";
	if (strcmp(status, "dead") == 0)
		return "死亡";
	return "消除";
}

static int status_active(const char *status, const char *removal_date, const char *today)
{
	struct md_person p;
	int active;

	md_person_init(&p);
	md_person_set(&p, MD_F_STATUS, status);
	md_person_set(&p, MD_F_REMOVAL_DATE, removal_date);
	active = cw_active(&p, today);
	md_person_release(&p);
	return active;
}

static const char *code_name(enum md_codelist list, const char *col, const char *code)
{
	const struct md_tsv *t = md_codes(list);
	int r = md_tsv_find(t, "code", code);
	return r >= 0 ? md_tsv_get(t, r, col) : code;
}

static const char *change_name(const char *code)
{
	const struct md_change_type *t = md_change_type(code);
	return t ? t->name : code;   /* import, training: as they are */
}

/* "山田 太郎"; a foreign resident's single name stands alone. */
static char *join_name(const char *a, const char *b)
{
	return *b ? xasprintf("%s %s", a, b) : xstrdup(a);
}

/* An item of a record as it reads on the screen ("" when empty). */
static void item_text(struct md_ctx *ctx, const struct md_person *p, enum md_field f,
                      const char *today, char *buf, size_t n)
{
	const struct md_field_def *d = md_field(f);
	const char *v = md_person_get(p, f);

	buf[0] = '\0';
	if (f == MD_F_MYNUMBER_ENC) {
		char clear[16];
		size_t len = 0;
		struct md_error e;
		if (!p->mynumber_enc)
			return;
		if (md_secret_open(&ctx->keys, p->mynumber_enc, (size_t)p->mynumber_enc_len, clear,
		                   sizeof clear - 1, &len, &e) == MD_OK && len == 12)
			md_mynumber_mask(clear, buf, n);
		else
			snprintf(buf, n, "%s", _("(cannot be read with this key file)"));
		memset(clear, 0, sizeof clear);
		return;
	}
	if (!*v)
		return;
	switch (d->kind) {
	case MD_FK_DATE:
		date_text(v, f == MD_F_BIRTH_DATE && strcmp(md_person_get(p, MD_F_BIRTH_CIRCA), "1") == 0,
		          is_foreign(p), buf, n);
		return;
	case MD_FK_FLAG:
		if (strcmp(v, "1") == 0)
			snprintf(buf, n, "%s", "有");
		return;
	default:
		break;
	}
	switch (f) {
	case MD_F_SEX:
		snprintf(buf, n, "%s", strcmp(v, "M") == 0 ? "男" : "女");
		return;
	case MD_F_RESIDENT_TYPE:
		snprintf(buf, n, "%s", strcmp(v, "foreign") == 0 ? "外国人" : "日本人");
		return;
	case MD_F_STATUS:
		snprintf(buf, n, "%s", status_text(v, md_person_get(p, MD_F_REMOVAL_DATE), today));
		return;
	case MD_F_REMOVAL_REASON:
		snprintf(buf, n, "%s", code_name(MD_CODES_REASONS, "name", v));
		return;
	case MD_F_NATIONALITY:
		snprintf(buf, n, "%s", code_name(MD_CODES_NATIONALITIES, "name", v));
		return;
	case MD_F_ADDRESS_CODE: {
		const struct md_tsv *t = md_codes(MD_CODES_DISTRICTS);
		int r = md_tsv_find(t, "code", v);
		if (r < 0)
			snprintf(buf, n, "%s", v);
		else if (atoi(md_tsv_get(t, r, "chome")) > 0)
			snprintf(buf, n, "%s（%s%s丁目）", v, md_tsv_get(t, r, "district"),
			         md_tsv_get(t, r, "chome"));
		else
			snprintf(buf, n, "%s（%s）", v, md_tsv_get(t, r, "district"));
		return;
	}
	default:
		snprintf(buf, n, "%s", v);
		return;
	}
}

/* Local time of an ISO UTC timestamp (timeutil.h). */
static void local_time(const char *iso, char *buf, size_t n)
{
	md_time_local_text(iso, 0, buf, n);
}

static int audit(struct md_ctx *ctx, const char *function, long long subject, const char *action,
                 const char *outcome, const char *detail, int mynumber, struct md_error *err)
{
	char subj[24];
	struct md_audit_rec r = { NULL, function, subject > 0 ? subj : NULL, action, outcome, detail,
	                          mynumber };
	snprintf(subj, sizeof subj, "%lld", subject);
	return md_audit(ctx, &r, err);
}

/* ---- building the query ---------------------------------------------------------- */

/* Enough for every key at once (about 20 parameters). */
#define MAX_PARAMS 32

struct query {
	struct sbuf where;
	int n;
	char *text[MAX_PARAMS];
	long long num[MAX_PARAMS];
	int is_num[MAX_PARAMS];
	int drivers;          /* keys that find persons on their own (an index) */
	int sex_only;         /* sex given: it narrows, it does not find */
};

static int q_text(struct query *q, const char *v)
{
	q->text[q->n] = xstrdup(v);
	q->is_num[q->n] = 0;
	return ++q->n;
}

static int q_num(struct query *q, long long v)
{
	q->num[q->n] = v;
	q->is_num[q->n] = 1;
	return ++q->n;
}

static void q_and(struct query *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void q_and(struct query *q, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb_add(&q->where, "%s%s", q->where.len ? " AND " : "", s);
	free(s);
}

static void q_release(struct query *q)
{
	for (int i = 0; i < q->n; i++)
		if (!q->is_num[i])
			free(q->text[i]);
	free(q->where.p);
	memset(q, 0, sizeof *q);
}

/* A prefix range: ?lo <= col < ?hi. Returns the number of ?lo; ?hi follows. */
static int q_prefix(struct query *q, const char *prefix)
{
	char *hi = xasprintf("%s" PREFIX_END, prefix);
	int lo = q_text(q, prefix);
	q_text(q, hi);
	free(hi);
	return lo;
}

/* The normalised search form of a name part. */
static char *name_key(const char *s, int kana)
{
	return kana ? md_kana_normalize(s) : md_kanji_fold(s);
}

/* The 名 key as it continues a 氏 that ends in an お-row kana within the
 * full reading (md_kana_normalize(): ウ after オ, コ, ... reads オ): its
 * leading ウ become オ. Allocated. */
static char *given_after_o_row(const char *g)
{
	char *out = xstrdup(g);
	for (char *p = out; strncmp(p, "ウ", strlen("ウ")) == 0; p += strlen("ウ"))
		memcpy(p, "オ", strlen("オ"));
	return out;
}

static int add_name(struct query *q, const char *name, int past, struct md_error *err)
{
	const char *kind = past ? "" : " AND kind <> 'past'";
	char *t = trim(name), *norm = md_kana_normalize(t);
	/* A reading when nothing but kana is left once normalised (the long
	 * vowel marks and dashes it drops are not kana). */
	int kana = *norm && md_kana_is_reading(norm);
	const char *pre = kana ? "kana" : "fold";
	const char *sp = NULL;
	size_t k = 0;
	int rc = MD_OK;

	if (!*norm) {   /* spaces, long vowel marks, dashes only */
		free(t);
		free(norm);
		return md_error_set(err, MD_E_INVALID, "name", _("氏名: there is nothing to search for in \"%s\""),
		                    name);
	}
	for (const char *p = t; *p; p++)
		if ((k = space_at(p)) > 0) {
			sp = p;
			break;
		}
	if (sp) {
		char *a = xstrndup(t, (size_t)(sp - t));
		char *b = trim(sp + k);
		char *ka = name_key(a, kana), *kb = name_key(b, kana);
		if (*ka && *kb) {
			/* 氏 prefix and 名 prefix. A range on one of the two parts
			 * alone reads every holder of a common 氏 (スズキ: 2% of a
			 * ward) or 名 from the table. Instead: each distinct 氏
			 * that starts with the one typed (スズキ alone, or the 48
			 * of イ), found by a seek in the 氏 index, then the
			 * full-name index from that 氏 followed by the 名 typed:
			 * the full reading is normalised whole, so after an
			 * お-row 氏 a leading ウ of the 名 reads オ. The parts are
			 * checked again; CROSS JOIN and the unary + keep SQLite
			 * to this order and these indexes. */
			int s1 = q_prefix(q, ka), g1 = q_prefix(q, kb), end = q_text(q, PREFIX_END);
			if (kana) {
				char *go = given_after_o_row(kb);
				int o1 = q_text(q, go);
				free(go);
				q_and(q, "p.id IN (WITH RECURSIVE sur(k) AS (SELECT (SELECT min(kana_sur) FROM "
				         "name_index WHERE kana_sur >= ?%d AND kana_sur < ?%d) UNION ALL SELECT "
				         "(SELECT min(kana_sur) FROM name_index WHERE kana_sur > sur.k AND "
				         "kana_sur < ?%d) FROM sur WHERE sur.k IS NOT NULL), "
				         "keys(k, lo) AS (SELECT k, k || CASE WHEN substr(k, -1) IN ('オ', 'コ', "
				         "'ソ', 'ト', 'ノ', 'ホ', 'モ', 'ヨ', 'ロ') THEN ?%d ELSE ?%d END FROM sur "
				         "WHERE k IS NOT NULL) "
				         "SELECT n.person_id FROM keys CROSS JOIN name_index n WHERE "
				         "n.kana >= keys.lo AND n.kana < keys.lo || ?%d AND +n.kana_sur = keys.k "
				         "AND +n.kana_given >= ?%d AND +n.kana_given < ?%d%s)",
				      s1, s1 + 1, s1 + 1, o1, g1, end, g1, g1 + 1, kind);
			} else {
				q_and(q, "p.id IN (WITH RECURSIVE sur(k) AS (SELECT (SELECT min(fold_sur) FROM "
				         "name_index WHERE fold_sur >= ?%d AND fold_sur < ?%d) UNION ALL SELECT "
				         "(SELECT min(fold_sur) FROM name_index WHERE fold_sur > sur.k AND "
				         "fold_sur < ?%d) FROM sur WHERE sur.k IS NOT NULL), "
				         "keys(k, lo) AS (SELECT k, k || ?%d FROM sur WHERE k IS NOT NULL) "
				         "SELECT n.person_id FROM keys CROSS JOIN name_index n WHERE "
				         "n.fold >= keys.lo AND n.fold < keys.lo || ?%d AND +n.fold_sur = keys.k "
				         "AND +n.fold_given >= ?%d AND +n.fold_given < ?%d%s)",
				      s1, s1 + 1, s1 + 1, g1, end, g1, g1 + 1, kind);
			}
			sp = t;   /* done */
		} else {
			sp = NULL;   /* one part only: as if typed without the space */
		}
		free(a);
		free(b);
		free(ka);
		free(kb);
	}
	if (!sp) {
		char *key = name_key(t, kana);
		if (!*key) {
			rc = md_error_set(err, MD_E_INVALID, "name", _("氏名: there is nothing to search for in \"%s\""),
			                  name);
		} else {
			int a = q_prefix(q, key);
			/* The full name, the 氏 alone or the 名 alone, from their start. */
			q_and(q, "p.id IN (SELECT person_id FROM name_index WHERE %s >= ?%d AND %s < ?%d%s "
			         "UNION SELECT person_id FROM name_index WHERE %s_sur >= ?%d AND %s_sur < ?%d%s "
			         "UNION SELECT person_id FROM name_index WHERE %s_given >= ?%d AND %s_given < ?%d%s)",
			      pre, a, pre, a + 1, kind, pre, a, pre, a + 1, kind, pre, a, pre, a + 1, kind);
		}
		free(key);
	}
	free(t);
	free(norm);
	if (rc == MD_OK)
		q->drivers++;
	return rc;
}

static int add_birth(struct query *q, const char *in, struct md_error *err)
{
	struct md_date d;
	struct md_error e;
	char a[16], b[16], c[16];

	if (md_date_parse(in, &d, &e) != MD_OK) {
		/* A search may give a bare Western year (1980), which data entry
		 * refuses as ambiguous: it can only be the year here. */
		long long y;
		char *t = trim(in);
		int year = strlen(t) >= 4 && parse_number(t, &y) == 0 && y >= MD_DATE_MIN_YEAR && y <= 9999 &&
		           (strlen(t) == 4 || strlen(t) == 12);   /* 1980 or １９８０ */
		free(t);
		if (!year)
			return md_error_set(err, MD_E_INVALID, "birth", _("生年月日: %s"), e.msg);
		memset(&d, 0, sizeof d);
		d.y = (int)y;
		d.prec = MD_DATE_MONTH_DAY_UNKNOWN;
	}
	switch (d.prec) {
	case MD_DATE_FULL:
		/* A record whose day or month is unknown may be the same person. */
		md_date_to_iso(&d, a);
		snprintf(b, sizeof b, "%04d-%02d-00", d.y, d.m);
		snprintf(c, sizeof c, "%04d-00-00", d.y);
		q_and(q, "p.birth_date IN (?%d, ?%d, ?%d)", q_text(q, a), q_text(q, b), q_text(q, c));
		break;
	case MD_DATE_DAY_UNKNOWN:
		snprintf(a, sizeof a, "%04d-%02d-00", d.y, d.m);
		snprintf(b, sizeof b, "%04d-%02d-99", d.y, d.m);
		snprintf(c, sizeof c, "%04d-00-00", d.y);
		q_and(q, "(p.birth_date BETWEEN ?%d AND ?%d OR p.birth_date = ?%d)", q_text(q, a),
		      q_text(q, b), q_text(q, c));
		break;
	case MD_DATE_MONTH_DAY_UNKNOWN:
		snprintf(a, sizeof a, "%04d-00-00", d.y);
		snprintf(b, sizeof b, "%04d-99-99", d.y);
		q_and(q, "p.birth_date BETWEEN ?%d AND ?%d", q_text(q, a), q_text(q, b));
		break;
	case MD_DATE_ALL_UNKNOWN:
		q_and(q, "p.birth_date = ?%d", q_text(q, "0000-00-00"));
		break;
	}
	q->drivers++;
	return MD_OK;
}

static int add_sex(struct query *q, const char *in, struct md_error *err)
{
	char *t = trim(in);
	const char *code = NULL;

	if (strcmp(t, "男") == 0 || strcmp(t, "M") == 0 || strcmp(t, "m") == 0)
		code = "M";
	else if (strcmp(t, "女") == 0 || strcmp(t, "F") == 0 || strcmp(t, "f") == 0)
		code = "F";
	free(t);
	if (!code)
		return md_error_set(err, MD_E_INVALID, "sex", _("性別 is 男 or 女, not \"%s\""), in);
	q_and(q, "p.sex = ?%d", q_text(q, code));
	q->sex_only = 1;
	return MD_OK;
}

/* k for GLOB, its pattern characters made literal. */
static char *glob_escape(const char *k)
{
	struct sbuf b = { 0 };
	for (const char *p = k; *p; p++) {
		if (*p == '*' || *p == '?' || *p == '[' || *p == ']')
			sb_add(&b, "[%c]", *p);
		else
			sb_add(&b, "%c", *p);
	}
	return b.p ? b.p : xstrdup("");
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The address: from its start (the municipality's name may be left out),
 * or, when another key finds the persons, anywhere in it. Numbers match
 * whole: 見本町1-2-3 finds 見本町1-2-3 and 見本町1-2-3見本荘, not 見本町1-2-30;
 * 見本町1 finds 見本町1丁目, not 見本町10丁目. */
static int add_address(struct md_ctx *ctx, struct query *q, const char *in, int past, int anywhere,
                       struct md_error *err)
{
	const char *kind = past ? "" : " AND kind = 'current'";
	char *key = md_address_normalize(in);
	size_t kl = strlen(key);
	int ends_digit = kl > 0 && is_digit(key[kl - 1]);

	if (!*key) {
		free(key);
		return md_error_set(err, MD_E_INVALID, "address", _("住所: there is nothing to search for in \"%s\""),
		                    in);
	}
	if (anywhere) {
		/* Between non-digits: the address is framed by '|' so that its ends count. */
		char *esc = glob_escape(key);
		char *pat = xasprintf("*%s%s%s*", is_digit(key[0]) ? "[^0-9]" : "", esc,
		                      ends_digit ? "[^0-9]" : "");
		q_and(q, "EXISTS (SELECT 1 FROM address_index a WHERE a.person_id = p.id%s "
		         "AND ('|' || a.addr || '|') GLOB ?%d)",
		      past ? "" : " AND a.kind = 'current'", q_text(q, pat));
		free(esc);
		free(pat);
	} else {
		char *muni = md_address_normalize(ctx->cfg.municipality_name);
		char *with = NULL;
		struct sbuf s = { 0 };
		int a = q_prefix(q, key);

		sb_add(&s, "p.id IN (SELECT person_id FROM address_index WHERE addr >= ?%d AND addr < ?%d%s",
		       a, a + 1, kind);
		if (ends_digit)
			sb_add(&s, " AND substr(addr, ?%d, 1) NOT BETWEEN '0' AND '9'",
			       q_num(q, (long long)utf8_chars(key) + 1));
		if (*muni && strncmp(key, muni, strlen(muni)) != 0) {
			int b;
			with = xasprintf("%s%s", muni, key);
			b = q_prefix(q, with);
			sb_add(&s, " UNION SELECT person_id FROM address_index WHERE addr >= ?%d AND addr < ?%d%s",
			       b, b + 1, kind);
			if (ends_digit)
				sb_add(&s, " AND substr(addr, ?%d, 1) NOT BETWEEN '0' AND '9'",
				       q_num(q, (long long)utf8_chars(with) + 1));
		}
		sb_add(&s, ")");
		q_and(q, "%s", sb_str(&s));
		free(s.p);
		free(muni);
		free(with);
		q->drivers++;
	}
	free(key);
	return MD_OK;
}

static int add_id(struct query *q, const char *in, const char *field, const char *label,
                  const char *column, struct md_error *err)
{
	long long v;

	if (parse_number(in, &v) != 0)
		return md_error_set(err, MD_E_INVALID, field, _("%s must be a number, not \"%s\""), label, in);
	q_and(q, "p.%s = ?%d", column, q_num(q, v));
	q->drivers++;
	return MD_OK;
}

static int add_mynumber(struct md_ctx *ctx, struct query *q, const char *in, struct md_error *err)
{
	char digits[13], idx[MD_HASH_HEX];
	struct md_error e;

	/* The message of a wrong number never repeats it. */
	if (md_mynumber_check(in, digits, &e) != MD_OK)
		return md_error_set(err, MD_E_INVALID, "mynumber", _("個人番号: %s"), e.msg);
	md_keyed_hash_hex(ctx->keys.index, digits, 12, idx);
	memset(digits, 0, sizeof digits);
	q_and(q, "p.mynumber_idx = ?%d", q_text(q, idx));
	q->drivers++;
	return MD_OK;
}

static int add_juminhyo_code(struct query *q, const char *in, struct md_error *err)
{
	char code[12];
	struct md_error e;

	if (md_juminhyo_code_check(in, code, &e) != MD_OK)
		return md_error_set(err, MD_E_INVALID, "juminhyo_code", _("住民票コード: %s"), e.msg);
	q_and(q, "p.juminhyo_code = ?%d", q_text(q, code));
	q->drivers++;
	return MD_OK;
}

/* 在留カード等番号: two letters, eight digits, two letters (full-width and
 * lower case accepted); found as typed or in that form. */
static int add_card(struct query *q, const char *in, struct md_error *err)
{
	char norm[16], *t = trim(in);
	size_t n = 0;
	int ok = 1;

	for (const char *p = t; *p && ok;) {
		unsigned char c = (unsigned char)*p;
		if ((unsigned char)p[0] == 0xEF && ((unsigned char)p[1] == 0xBC || (unsigned char)p[1] == 0xBD)) {
			/* full-width ASCII U+FF01..U+FF5E */
			unsigned cp = 0xFF00u + (((unsigned char)p[1] & 0x03u) << 6) + ((unsigned char)p[2] & 0x3Fu);
			c = cp >= 0xFF01 && cp <= 0xFF5E ? (unsigned char)(cp - 0xFEE0) : 0;
			p += 3;
		} else {
			p++;
		}
		if (c == ' ' || c == '-')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) || n >= 12)
			ok = 0;
		else
			norm[n++] = (char)c;
	}
	norm[n] = '\0';
	if (!ok || n != 12) {
		free(t);
		return md_error_set(err, MD_E_INVALID, "card",
		                    _("在留カード等番号 has 12 letters and digits (AB12345678CD), not \"%s\""), in);
	}
	q_and(q, "p.residence_card_no IN (?%d, ?%d)", q_text(q, norm), q_text(q, t));
	free(t);
	q->drivers++;
	return MD_OK;
}

static const char active_sql[] =
	"(p.status = 'resident' OR (p.status = 'moved_out' AND p.removal_date > ?%d))";

/* The whole query; *sql allocated. */
static int build(struct md_ctx *ctx, const struct md_search_keys *k, struct query *q, char **sql,
                 struct md_error *err)
{
	char today[11];
	int rc = MD_OK, others, t;

	memset(q, 0, sizeof *q);
	*sql = NULL;
	cw_today(today);
	/* The address is searched anywhere in it only when another key finds
	 * the persons: alone, it is a prefix (an index range). */
	others = given(k->name) || given(k->birth) || given(k->atena) || given(k->household) ||
	         given(k->mynumber) || given(k->juminhyo_code) || given(k->card);
	if (rc == MD_OK && given(k->name))
		rc = add_name(q, k->name, k->past, err);
	if (rc == MD_OK && given(k->birth))
		rc = add_birth(q, k->birth, err);
	if (rc == MD_OK && given(k->sex))
		rc = add_sex(q, k->sex, err);
	if (rc == MD_OK && given(k->address))
		rc = add_address(ctx, q, k->address, k->past, others, err);
	if (rc == MD_OK && given(k->atena))
		rc = add_id(q, k->atena, "atena", "宛名番号", "id", err);
	if (rc == MD_OK && given(k->household))
		rc = add_id(q, k->household, "household", "世帯番号", "household_id", err);
	if (rc == MD_OK && given(k->mynumber))
		rc = add_mynumber(ctx, q, k->mynumber, err);
	if (rc == MD_OK && given(k->juminhyo_code))
		rc = add_juminhyo_code(q, k->juminhyo_code, err);
	if (rc == MD_OK && given(k->card))
		rc = add_card(q, k->card, err);
	if (rc != MD_OK)
		return rc;
	if (q->drivers == 0 && q->sex_only)
		return md_error_set(err, MD_E_INVALID, "sex", _("性別 alone finds too many: add another key"));
	if (q->drivers == 0)
		return md_error_set(err, MD_E_INVALID, "name",
		                    _("give at least one search key: name, date of birth, address, 宛名番号, "
		                      "世帯番号, 個人番号, 住民票コード or 在留カード等番号"));
	t = q_text(q, today);
	if (!k->removed)
		q_and(q, active_sql, t);
	{
		char *order = xasprintf(active_sql, t);
		*sql = xasprintf("SELECT p.id FROM persons p WHERE %s ORDER BY %s DESC, p.surname_kana, "
		                 "p.given_name_kana, p.id LIMIT %d", sb_str(&q->where), order,
		                 MD_SEARCH_LIMIT + 1);
		free(order);
	}
	return MD_OK;
}

/* The text of each query shape met so far, kept for the life of the
 * program, so that a search is prepared once per shape and database
 * (md_store_stmt() caches by the text's address) instead of at every
 * search: preparing was a quarter of a name search's time. A shape is
 * which keys are given and how (every value is a parameter), so there are
 * few; past MAX_SHAPES a query is prepared and finalized as before. */
#define MAX_SHAPES 64
static char *shapes[MAX_SHAPES];
static int nshapes;

static const char *shape_text(const char *sql)
{
	for (int i = 0; i < nshapes; i++)
		if (strcmp(shapes[i], sql) == 0)
			return shapes[i];
	if (nshapes == MAX_SHAPES)
		return NULL;
	shapes[nshapes] = xstrdup(sql);
	return shapes[nshapes++];
}

/* *cached tells whether *s belongs to the store's cache (reset it) or to
 * the caller (finalize it). */
static int prepare(struct md_ctx *ctx, const struct query *q, const char *sql, sqlite3_stmt **s,
                   int *cached, struct md_error *err)
{
	const char *stable = cached ? shape_text(sql) : NULL;

	if (stable) {
		*cached = 1;
		if (!(*s = md_store_stmt(ctx->store, stable, err)))
			return MD_E_DB;
	} else {
		if (cached)
			*cached = 0;
		if (sqlite3_prepare_v2(md_store_db(ctx->store), sql, -1, s, NULL) != SQLITE_OK)
			return md_store_fail(ctx->store, err, _("searching"));
	}
	for (int i = 0; i < q->n; i++) {
		if (q->is_num[i])
			sqlite3_bind_int64(*s, i + 1, q->num[i]);
		else
			md_bind_text(*s, i + 1, q->text[i]);
	}
	return MD_OK;
}

int md_search_find(struct md_ctx *ctx, const struct md_search_keys *keys, struct md_search_hits *out,
                   struct md_error *err)
{
	struct query q;
	sqlite3_stmt *s = NULL;
	char *sql;
	int rc, cached = 0;

	memset(out, 0, sizeof *out);
	if ((rc = build(ctx, keys, &q, &sql, err)) != MD_OK)
		goto done;
	if ((rc = prepare(ctx, &q, sql, &s, &cached, err)) != MD_OK)
		goto done;
	out->ids = xmalloc((MD_SEARCH_LIMIT + 1) * sizeof *out->ids);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (out->n == MD_SEARCH_LIMIT) {
			out->more = 1;
			break;
		}
		out->ids[out->n++] = sqlite3_column_int64(s, 0);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = md_store_fail(ctx->store, err, _("searching"));
		md_search_hits_release(out);
		goto done;
	}
	rc = MD_OK;
done:
	if (cached)
		sqlite3_reset(s);
	else
		sqlite3_finalize(s);
	free(sql);
	q_release(&q);
	return rc;
}

void md_search_hits_release(struct md_search_hits *h)
{
	free(h->ids);
	memset(h, 0, sizeof *h);
}

int md_search_plan(struct md_ctx *ctx, const struct md_search_keys *keys, char **plan,
                   struct md_error *err)
{
	struct query q;
	struct sbuf out = { 0 };
	sqlite3_stmt *s = NULL;
	char *sql, *explain = NULL;
	int rc;

	*plan = NULL;
	if ((rc = build(ctx, keys, &q, &sql, err)) == MD_OK) {
		explain = xasprintf("EXPLAIN QUERY PLAN %s", sql);
		if ((rc = prepare(ctx, &q, explain, &s, NULL, err)) == MD_OK) {
			while (sqlite3_step(s) == SQLITE_ROW)
				sb_add(&out, "%s\n", md_col_text(s, 3));
			*plan = out.p ? out.p : xstrdup("");
		}
	}
	sqlite3_finalize(s);
	free(explain);
	free(sql);
	q_release(&q);
	return rc;
}

/* ---- the search as the clerk runs it --------------------------------------------- */

static char *search_detail(const struct md_search_keys *k, const struct md_search_hits *h)
{
	struct sbuf b = { 0 };

	if (given(k->name))
		sb_add_clean(&b, "name", k->name);
	if (given(k->birth))
		sb_add_clean(&b, "birth", k->birth);
	if (given(k->sex))
		sb_add_clean(&b, "sex", k->sex);
	if (given(k->address))
		sb_add_clean(&b, "address", k->address);
	if (given(k->atena))
		sb_add_clean(&b, "atena", k->atena);
	if (given(k->household))
		sb_add_clean(&b, "household", k->household);
	if (given(k->mynumber))
		sb_add(&b, "%smynumber=(given)", b.len ? " " : "");
	if (given(k->juminhyo_code))
		sb_add_clean(&b, "juminhyo_code", k->juminhyo_code);
	if (given(k->card))
		sb_add_clean(&b, "card", k->card);
	if (k->removed)
		sb_add(&b, "%sremoved=1", b.len ? " " : "");
	if (k->past)
		sb_add(&b, "%spast=1", b.len ? " " : "");
	sb_add(&b, "%sfound=%d%s", b.len ? " " : "", h->n, h->more ? "+" : "");
	return b.p;
}

int md_search(struct md_ctx *ctx, const struct md_search_keys *keys, struct md_result *res,
              struct md_error *err)
{
	static const char *const cols[] = { "atena", "name", "kana", "birth", "sex", "address", "status",
	                                    "flags" };
	static const char row_sql[] =
		"SELECT surname, given_name, surname_kana, given_name_kana, birth_date, birth_circa, sex, "
		"address, coalesce(katagaki, ''), status, coalesce(removal_date, ''), resident_type, "
		"household_id, name_fold FROM persons WHERE id = ?1";
	struct md_search_hits h;
	char **fold = NULL, **birth = NULL;
	char today[11], *detail, *count = NULL, *dups = NULL;
	int rc, shared = 0;

	if ((rc = md_search_find(ctx, keys, &h, err)) != MD_OK)
		return rc;
	/* The lookup is on record before anything is shown. */
	detail = search_detail(keys, &h);
	rc = audit(ctx, "resident.search", h.n == 1 ? h.ids[0] : 0, "search", "ok", detail,
	           given(keys->mynumber), err);
	free(detail);
	if (rc != MD_OK) {
		md_search_hits_release(&h);
		return rc;
	}
	cw_today(today);
	md_table_init(&res->table, 8, cols);
	fold = xcalloc((size_t)h.n + 1, sizeof *fold);
	birth = xcalloc((size_t)h.n + 1, sizeof *birth);
	for (int i = 0; i < h.n; i++) {
		sqlite3_stmt *s = md_store_stmt(ctx->store, row_sql, err);
		struct md_protect pr;
		struct md_error e;
		char atena[24], bdate[MD_DATE_TEXT_MAX], flags[64] = "";
		char *name, *kana, *addr;
		const char *row[8];
		int foreign;

		memset(&pr, 0, sizeof pr);
		if (!s) {
			rc = MD_E_DB;
			break;
		}
		sqlite3_bind_int64(s, 1, h.ids[i]);
		if (sqlite3_step(s) != SQLITE_ROW) {
			sqlite3_reset(s);
			continue;
		}
		foreign = strcmp(md_col_text(s, 11), "foreign") == 0;
		snprintf(atena, sizeof atena, "%lld", h.ids[i]);
		name = join_name(md_col_text(s, 0), md_col_text(s, 1));
		kana = join_name(md_col_text(s, 2), md_col_text(s, 3));
		date_text(md_col_text(s, 4), sqlite3_column_int(s, 5), foreign, bdate, sizeof bdate);
		addr = *md_col_text(s, 8) ? xasprintf("%s %s", md_col_text(s, 7), md_col_text(s, 8))
		                          : xstrdup(md_col_text(s, 7));
		fold[i] = xstrdup(md_col_text(s, 13));
		birth[i] = xstrdup(md_col_text(s, 4));
		row[0] = atena;
		row[1] = name;
		row[2] = kana;
		row[3] = bdate;
		row[4] = strcmp(md_col_text(s, 6), "M") == 0 ? "男" : "女";
		row[5] = addr;
		row[6] = status_text(md_col_text(s, 9), md_col_text(s, 10), today);
		row[7] = flags;
		if (md_protect_check(ctx, h.ids[i], sqlite3_column_int64(s, 12), "lookup", &pr, &e) == MD_OK) {
			/* Markers only: the details are for the record view. */
			if (pr.measure_id)
				snprintf(flags, sizeof flags, "%s", "支援措置");
			if (pr.blocked || (pr.alert && !pr.measure_id))
				snprintf(flags + strlen(flags), sizeof flags - strlen(flags), "%s%s",
				         *flags ? " " : "", "抑止");
			if (pr.blocked)
				row[5] = "";   /* a blocked lookup shows no address */
		}
		md_table_add(&res->table, row);
		sqlite3_reset(s);
		if (pr.measure_id)
			md_protect_log_attempt(ctx, pr.measure_id, h.ids[i], "lookup", "listed in search results",
			                       NULL);
		free(name);
		free(kana);
		free(addr);
	}
	/* security.md, Accuracy: persons sharing a name and a date of birth. */
	for (int i = 0; i < h.n; i++) {
		int same = 0;
		for (int j = 0; j < h.n; j++)
			if (i != j && fold[i] && fold[j] && strcmp(fold[i], fold[j]) == 0 &&
			    strcmp(birth[i], birth[j]) == 0)
				same = 1;
		shared += same;
	}
	if (h.n == 0 && !keys->removed)
		count = xstrdup(_("no one matches among the current records; removed records (除票) are searched only when asked for"));
	else if (h.n == 0)
		count = xstrdup(_("no one matches"));
	else if (h.more)
		count = xasprintf(_("more than %d match: add a key"), MD_SEARCH_LIMIT);
	else
		count = xasprintf(P_("%d person found", "%d persons found", h.n), h.n);
	if (shared)
		dups = xasprintf(_("%d persons share name and date of birth: check kana, address before "
		                   "choosing"), shared);
	md_result_message(res, "%s%s%s", count, dups ? " " : "", dups ? dups : "");
	free(count);
	free(dups);
	for (int i = 0; i < h.n; i++) {
		free(fold[i]);
		free(birth[i]);
	}
	free(fold);
	free(birth);
	md_search_hits_release(&h);
	return rc;
}

/* ---- reading one person ------------------------------------------------------------ */

/* 抑止 and 支援措置 before a person's data is shown: a block refuses (and is
 * audited), an alert needs the clerk's acknowledgement; every attempt on a
 * person under a support measure is recorded for supervisors. */
static int protect_gate(struct md_ctx *ctx, long long id, long long household, int ack,
                        const char *function, struct md_protect *pr, struct md_error *err)
{
	int rc = md_protect_check(ctx, id, household, "lookup", pr, err);

	if (rc != MD_OK)
		return rc;
	if (pr->blocked) {
		if (pr->measure_id)
			md_protect_log_attempt(ctx, pr->measure_id, id, "lookup", "blocked", function);
		audit(ctx, function, id, "view", "denied", "抑止 (lookup)", 0, NULL);
		return md_error_set(err, MD_E_DENIED, "id", "%s", pr->msg);
	}
	if (pr->alert && !ack) {
		if (pr->measure_id)
			md_protect_log_attempt(ctx, pr->measure_id, id, "lookup", "alert shown", function);
		return md_error_set(err, MD_E_CONFLICT, "ack", _("%s Acknowledge to continue."), pr->msg);
	}
	if (pr->alert && pr->measure_id)
		md_protect_log_attempt(ctx, pr->measure_id, id, "lookup", "viewed after alert", function);
	return MD_OK;
}

static long long household_of(const struct md_person *p)
{
	return strtoll(md_person_get(p, MD_F_HOUSEHOLD), NULL, 10);
}

static void add_row(struct md_result *res, const char *item, const char *value)
{
	const char *row[2] = { item, value };
	md_table_add(&res->table, row);
}

static const char *operation_name(const char *op)
{
	if (strcmp(op, "change") == 0)
		return _("changes");
	if (strcmp(op, "certificate") == 0)
		return _("certificates");
	return _("lookups");
}

/* The 抑止 on the person or the household that have not ended. */
static int suppression_rows(struct md_ctx *ctx, long long id, long long household, const char *today,
                            int foreign, struct md_result *res, struct md_error *err)
{
	static const char sql[] =
		"SELECT operation, mode, start_date, coalesce(end_date, ''), reason, "
		"coalesce(released_until, ''), person_id IS NULL FROM suppressions "
		"WHERE (person_id = ?1 OR (?2 > 0 AND household_id = ?2)) AND ended_at IS NULL "
		"AND (end_date IS NULL OR end_date >= ?3) ORDER BY id";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);

	if (!s)
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, household);
	md_bind_text(s, 3, today);
	while (sqlite3_step(s) == SQLITE_ROW) {
		char from[MD_DATE_TEXT_MAX], to[MD_DATE_TEXT_MAX];
		struct sbuf v = { 0 };
		date_text(md_col_text(s, 2), 0, foreign, from, sizeof from);
		date_text(md_col_text(s, 3), 0, foreign, to, sizeof to);
		/* TRANSLATORS: 抑止 row of a record: operation, blocks or alerts, from ~ to, reason. */
		sb_add(&v, _("%s: %s, %s〜%s: %s"), operation_name(md_col_text(s, 0)),
		       strcmp(md_col_text(s, 1), "error") == 0 ? _("blocked") : _("alert"), from, to,
		       md_col_text(s, 4));
		if (sqlite3_column_int(s, 6))
			sb_add(&v, " %s", _("(whole household)"));
		if (*md_col_text(s, 5))
			sb_add(&v, " %s %s", _("temporarily released until"), md_col_text(s, 5));
		add_row(res, "抑止", sb_str(&v));
		free(v.p);
	}
	sqlite3_reset(s);
	return MD_OK;
}

/* 支援措置: that there is one for everyone who may look the person up; its
 * items (001 別添2) only with support.view. Returns how many were shown in
 * detail through *detailed. */
static int support_rows(struct md_ctx *ctx, long long id, int details, int foreign,
                        struct md_result *res, int *detailed, struct md_error *err)
{
	static const char sql[] =
		"SELECT status, start_date, end_date, provisional, provisional_start, provisional_end, "
		"contact, applicant_situation, protect_inspection, protect_copy, protect_removed_copy, "
		"previous_addresses, protect_koseki_fuhyo, protect_prev_fuhyo, previous_honseki, "
		"protect_fixed_asset, fixed_asset_municipality, other, forwarded_to, forwarded_on, "
		"forwarded_duties, forwarded_received_on, no_need_notified_on, original_municipality, "
		"offender FROM support_measures WHERE person_id = ?1 AND status <> 'ended' ORDER BY id";
	/* Column, label (the items of 001 別添2), kind: t text, d date, f flag. */
	static const struct { int col; const char *label; char kind; } items[] = {
		{ 1, "支援措置開始年月日", 'd' }, { 2, "支援措置終了年月日", 'd' },
		{ 3, "仮支援措置", 'f' }, { 4, "仮支援措置開始年月日", 'd' },
		{ 5, "仮支援措置終了年月日", 'd' }, { 6, "連絡先", 't' }, { 7, "申出者の状況", 't' },
		{ 8, "閲覧の制限（現住所）", 'f' }, { 9, "写し等の交付の制限（現住所）", 'f' },
		{ 10, "除票の写し等の交付の制限（前住所等）", 'f' }, { 11, "前住所等", 't' },
		{ 12, "戸籍の附票の写しの交付の制限（現本籍）", 'f' },
		{ 13, "戸籍の附票の写し等の交付の制限（前本籍等）", 'f' }, { 14, "前本籍等", 't' },
		{ 15, "固定資産課税台帳の写しの交付の制限", 'f' }, { 16, "固定資産課税台帳の市区町村", 't' },
		{ 17, "その他", 't' }, { 18, "転送先市区町村名", 't' }, { 19, "転送年月日", 'd' },
		{ 20, "転送に係る事務", 't' }, { 21, "転送を受けた年月日", 'd' },
		{ 22, "支援の必要がなくなった旨の連絡年月日", 'd' }, { 23, "当初受付市区町村", 't' },
		{ 24, "加害者", 't' },
	};
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);

	*detailed = 0;
	if (!s)
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	while (sqlite3_step(s) == SQLITE_ROW) {
		int provisional = strcmp(md_col_text(s, 0), "provisional") == 0;
		if (!details) {
			add_row(res, "支援措置", provisional
			        ? _("provisional, under examination (details need the permission support.view)")
			        : _("yes (details need the permission support.view)"));
			continue;
		}
		add_row(res, "支援措置", provisional ? _("provisional, under examination") : _("active"));
		for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
			const char *v = md_col_text(s, items[i].col);
			char buf[MD_DATE_TEXT_MAX], *label;
			if (!*v || (items[i].kind == 'f' && strcmp(v, "1") != 0))
				continue;
			if (items[i].kind == 'd')
				date_text(v, 0, foreign, buf, sizeof buf);
			label = xasprintf("支援措置：%s", items[i].label);
			add_row(res, label, items[i].kind == 'd' ? buf : items[i].kind == 'f' ? "有" : v);
			free(label);
		}
		(*detailed)++;
	}
	sqlite3_reset(s);
	return MD_OK;
}

int md_person_view(struct md_ctx *ctx, long long id, const struct md_view_opts *opts,
                   struct md_result *res, struct md_error *err)
{
	static const char *const cols[] = { "item", "value" };
	struct md_person p;
	struct md_protect pr;
	struct sbuf detail = { 0 };
	char today[11], atena[24], buf[512];
	int rc, hidden = 0, detailed = 0;
	char *name;

	md_person_init(&p);
	cw_today(today);
	if ((rc = cw_load_person(ctx, id, &p, err)) != MD_OK)
		goto out;
	if ((rc = protect_gate(ctx, id, household_of(&p), opts->ack, "resident.view", &pr, err)) != MD_OK)
		goto out;
	md_table_init(&res->table, 2, cols);
	snprintf(atena, sizeof atena, "%lld", id);
	add_row(res, "宛名番号", atena);
	for (int f = 0; f < MD_F_COUNT; f++) {
		const struct md_field_def *d = md_field(f);
		if (f == MD_F_MYNUMBER_IDX || f == MD_F_BIRTH_CIRCA)
			continue;   /* the index is no item; 頃 is part of the date */
		if ((d->flags & MD_FF_PROTECTED) && !opts->honseki) {
			if (md_person_has(&p, f) && !hidden++)
				add_row(res, "本籍・筆頭者", _("hidden: needs the permission honseki.view"));
			continue;
		}
		item_text(ctx, &p, f, today, buf, sizeof buf);
		if (*buf)
			add_row(res, d->label, buf);
	}
	if ((rc = suppression_rows(ctx, id, household_of(&p), today, is_foreign(&p), res, err)) != MD_OK ||
	    (rc = support_rows(ctx, id, opts->support, is_foreign(&p), res, &detailed, err)) != MD_OK) {
		md_result_release(res);
		md_result_init(res);
		goto out;
	}
	if (pr.alert)
		sb_add(&detail, "viewed after alert");
	if (detailed)
		sb_add(&detail, "%ssupport details shown", detail.len ? ", " : "");
	if (opts->honseki && (md_person_has(&p, MD_F_HONSEKI) || md_person_has(&p, MD_F_HITTOSHA)))
		sb_add(&detail, "%shonseki shown", detail.len ? ", " : "");
	rc = audit(ctx, "resident.view", id, "view", "ok", detail.p, 0, err);
	free(detail.p);
	if (rc != MD_OK) {
		md_result_release(res);
		md_result_init(res);
		goto out;
	}
	name = join_name(md_person_get(&p, MD_F_SURNAME), md_person_get(&p, MD_F_GIVEN_NAME));
	if (pr.alert)
		md_result_message(res, "%s (宛名番号 %lld): %s", name, id, pr.msg);
	else
		md_result_message(res, "%s (宛名番号 %lld)", name, id);
	free(name);
out:
	md_person_release(&p);
	return rc;
}

/* ---- a household ------------------------------------------------------------------- */

struct member {
	long long id;
	int group;              /* md_relationship_group() */
	const char *sex;        /* 男, 女 */
	char *relationship, *name, *kana, *birth, *birth_iso, *status, *hittosha;
	struct md_member_key key;   /* its place in the order (md_member_anchor) */
};

static int member_cmp(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	return md_member_cmp(&x->key, &y->key);
}

/* The certificate order (registry.md §4), a child's family after that child. */
static void sort_members(struct member *m, int n)
{
	struct md_member_key *keys = xcalloc((size_t)n, sizeof *keys);
	const char **names = xcalloc((size_t)n, sizeof *names);
	const char **hit = xcalloc((size_t)n, sizeof *hit);

	for (int i = 0; i < n; i++) {
		keys[i].group = m[i].group;
		keys[i].birth_date = m[i].birth_iso;
		keys[i].atena = m[i].id;
		names[i] = m[i].name;
		hit[i] = m[i].hittosha;
	}
	md_member_anchor(keys, n, names, hit);
	for (int i = 0; i < n; i++)
		m[i].key = keys[i];
	free(keys);
	free(names);
	free(hit);
	qsort(m, (size_t)n, sizeof *m, member_cmp);
}

int md_household_members(struct md_ctx *ctx, long long household, long long person, int all,
                         int ack, struct md_result *res, struct md_error *err)
{
	static const char *const cols[] = { "atena", "relationship", "name", "kana", "birth", "sex",
	                                    "status" };
	static const char hh_sql[] = "SELECT 1 FROM households WHERE id = ?1";
	static const char sql[] =
		"SELECT id, relationship, surname, given_name, surname_kana, given_name_kana, birth_date, "
		"birth_circa, sex, status, coalesce(removal_date, ''), resident_type, "
		"coalesce(hittosha, '') FROM persons WHERE household_id = ?1";
	struct member *m = NULL;
	char today[11], *detail;
	int n = 0, cap = 0, rc = MD_OK, alerted = 0;
	sqlite3_stmt *s;

	cw_today(today);
	if (!household) {
		struct md_person p;
		md_person_init(&p);
		if ((rc = cw_load_person(ctx, person, &p, err)) == MD_OK)
			household = household_of(&p);
		md_person_release(&p);
		if (rc != MD_OK)
			return rc;
	}
	if (!(s = md_store_stmt(ctx->store, hh_sql, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, household);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return md_error_set(err, MD_E_NOTFOUND, "household", _("there is no household %lld"), household);
	rc = MD_OK;

	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, household);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct member *x;
		char b[MD_DATE_TEXT_MAX];
		if (!all && !status_active(md_col_text(s, 9), md_col_text(s, 10), today))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			m = xrealloc(m, (size_t)cap * sizeof *m);
		}
		x = &m[n++];
		x->id = sqlite3_column_int64(s, 0);
		x->relationship = xstrdup(md_col_text(s, 1));
		x->group = md_relationship_group(x->relationship);
		x->sex = strcmp(md_col_text(s, 8), "M") == 0 ? "男" : "女";
		x->name = join_name(md_col_text(s, 2), md_col_text(s, 3));
		x->kana = join_name(md_col_text(s, 4), md_col_text(s, 5));
		date_text(md_col_text(s, 6), sqlite3_column_int(s, 7),
		          strcmp(md_col_text(s, 11), "foreign") == 0, b, sizeof b);
		x->birth = xstrdup(b);
		x->birth_iso = xstrdup(md_col_text(s, 6));
		x->hittosha = xstrdup(md_col_text(s, 12));
		x->status = xstrdup(status_text(md_col_text(s, 9), md_col_text(s, 10), today));
	}
	sqlite3_reset(s);

	/* Each member listed passes the same protection as their record. */
	for (int i = 0; i < n && rc == MD_OK; i++) {
		struct md_protect pr;
		rc = protect_gate(ctx, m[i].id, household, ack, "resident.household", &pr, err);
		alerted |= rc == MD_OK && pr.alert;
	}
	if (rc == MD_OK) {
		detail = xasprintf("household=%lld members=%d%s%s", household, n, all ? " all=1" : "",
		                   alerted ? " viewed after alert" : "");
		rc = audit(ctx, "resident.household", person, "view household", "ok", detail, 0, err);
		free(detail);
	}
	if (rc == MD_OK) {
		if (n > 1)
			sort_members(m, n);
		md_table_init(&res->table, 7, cols);
		for (int i = 0; i < n; i++) {
			char atena[24];
			const char *row[7] = { atena, m[i].relationship, m[i].name, m[i].kana, m[i].birth,
			                       m[i].sex, m[i].status };
			snprintf(atena, sizeof atena, "%lld", m[i].id);
			md_table_add(&res->table, row);
		}
		md_result_message(res, P_("世帯番号 %lld: %d member", "世帯番号 %lld: %d members", n),
		                  household, n);
	}
	for (int i = 0; i < n; i++) {
		free(m[i].relationship);
		free(m[i].name);
		free(m[i].kana);
		free(m[i].birth);
		free(m[i].birth_iso);
		free(m[i].hittosha);
		free(m[i].status);
	}
	free(m);
	return rc;
}

/* ---- history ------------------------------------------------------------------------- */

/* Items whose old and new values the history shows: names and addresses
 * (so that past names and addresses can be read). */
static int shows_values(enum md_field f)
{
	switch (f) {
	case MD_F_SURNAME:
	case MD_F_GIVEN_NAME:
	case MD_F_SURNAME_KANA:
	case MD_F_GIVEN_NAME_KANA:
	case MD_F_FORMER_SURNAME:
	case MD_F_FORMER_SURNAME_KANA:
	case MD_F_ALIAS:
	case MD_F_ALIAS_KANA:
	case MD_F_NAME_ROMAN:
	case MD_F_ADDRESS:
	case MD_F_KATAGAKI:
		return 1;
	default:
		return 0;
	}
}

int md_person_history(struct md_ctx *ctx, long long id, int ack, struct md_result *res,
                      struct md_error *err)
{
	static const char *const cols[] = { "version", "date", "change", "reason", "made_by",
	                                    "approved_by", "recorded_at", "changed" };
	static char *sql;
	struct md_person cur, prev;
	struct md_protect pr;
	sqlite3_stmt *s = NULL;
	int rc, n = 0, have_prev = 0;
	char *detail;

	md_person_init(&cur);
	md_person_init(&prev);
	if ((rc = cw_load_person(ctx, id, &cur, err)) != MD_OK)
		goto out;
	if ((rc = protect_gate(ctx, id, household_of(&cur), ack, "resident.history", &pr, err)) != MD_OK)
		goto out;
	if (!sql) {
		/* changes has columns of the same names (status, notified_on). */
		struct sbuf c = { 0 };
		for (int f = 0; f < MD_F_COUNT; f++)
			sb_add(&c, "%sv.%s", f ? ", " : "", md_field(f)->column);
		sql = xasprintf("SELECT v.version, c.event_date, c.type, c.reason, c.made_by, "
		                "coalesce(c.decided_by, ''), v.recorded_at, %s FROM person_versions v "
		                "JOIN changes c ON c.id = v.change_id WHERE v.person_id = ?1 "
		                "ORDER BY v.version", sb_str(&c));
		free(c.p);
	}
	if (!(s = md_store_stmt(ctx->store, sql, err))) {
		rc = MD_E_DB;
		goto out;
	}
	md_table_init(&res->table, 8, cols);
	sqlite3_bind_int64(s, 1, id);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct md_person v;
		struct sbuf changed = { 0 };
		char version[16], date[MD_DATE_TEXT_MAX], at[32];
		const char *row[8];

		md_person_init(&v);
		md_person_from_row(&v, s, 7);
		snprintf(version, sizeof version, "%d", sqlite3_column_int(s, 0));
		date_text(md_col_text(s, 1), 0, is_foreign(&v), date, sizeof date);
		local_time(md_col_text(s, 6), at, sizeof at);
		for (int f = 0; have_prev && f < MD_F_COUNT; f++) {
			if (f == MD_F_MYNUMBER_IDX || !md_person_differs(&prev, &v, f))
				continue;
			if (shows_values((enum md_field)f))
				sb_add(&changed, "%s%s (%s → %s)", changed.len ? ", " : "", md_field(f)->label,
				       md_person_get(&prev, f), md_person_get(&v, f));
			else
				sb_add(&changed, "%s%s", changed.len ? ", " : "", md_field(f)->label);
		}
		row[0] = version;
		row[1] = date;
		row[2] = change_name(md_col_text(s, 2));
		row[3] = code_name(MD_CODES_REASONS, "name", md_col_text(s, 3));
		row[4] = md_col_text(s, 4);
		row[5] = md_col_text(s, 5);
		row[6] = at;
		row[7] = sb_str(&changed);
		md_table_add(&res->table, row);
		free(changed.p);
		md_person_release(&prev);
		prev = v;   /* moves */
		have_prev = 1;
		n++;
	}
	sqlite3_reset(s);
	detail = xasprintf("versions=%d%s", n, pr.alert ? " viewed after alert" : "");
	rc = audit(ctx, "resident.history", id, "view history", "ok", detail, 0, err);
	free(detail);
	if (rc != MD_OK) {
		md_result_release(res);
		md_result_init(res);
		goto out;
	}
	md_result_message(res, P_("宛名番号 %lld: %d version", "宛名番号 %lld: %d versions", n), id, n);
out:
	md_person_release(&cur);
	md_person_release(&prev);
	return rc;
}

/* ---- the reveal of a My Number ------------------------------------------------------ */

int md_mynumber_reveal(struct md_ctx *ctx, long long id, int ack, struct md_result *res,
                       struct md_error *err)
{
	struct md_person p;
	struct md_protect pr;
	char clear[16];
	size_t len = 0;
	int rc;

	md_person_init(&p);
	memset(clear, 0, sizeof clear);
	if ((rc = cw_load_person(ctx, id, &p, err)) != MD_OK)
		goto out;
	if ((rc = protect_gate(ctx, id, household_of(&p), ack, "mynumber.reveal", &pr, err)) != MD_OK)
		goto out;
	if (!p.mynumber_enc) {
		rc = md_error_set(err, MD_E_NOTFOUND, "id", _("宛名番号 %lld has no 個人番号 on record"), id);
		goto out;
	}
	if ((rc = md_secret_open(&ctx->keys, p.mynumber_enc, (size_t)p.mynumber_enc_len, clear,
	                         sizeof clear - 1, &len, err)) != MD_OK)
		goto out;
	if (len != 12) {
		rc = md_error_set(err, MD_E_KEY, "id", _("the 個人番号 of 宛名番号 %lld cannot be read"), id);
		goto out;
	}
	clear[12] = '\0';
	/* On record before it is shown. */
	if ((rc = audit(ctx, "mynumber.reveal", id, "reveal", "ok", pr.alert ? "after alert" : NULL, 1,
	                err)) != MD_OK)
		goto out;
	md_result_message(res, "%s", clear);
out:
	memset(clear, 0, sizeof clear);
	md_person_release(&p);
	return rc;
}
