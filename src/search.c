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
#include "search_impl.h"
#include "store.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

/* The largest code point: every string that starts with k sorts below k + it. */
#define PREFIX_END "\xF4\x8F\xBF\xBF"

/* ---- small helpers ------------------------------------------------------------- */

void md_sb_add(struct md_sbuf *b, const char *fmt, ...)
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

const char *md_sb_str(const struct md_sbuf *b)
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
static void sb_add_clean(struct md_sbuf *b, const char *key, const char *v)
{
	char *c = xstrndup(v, 200);
	for (char *p = c; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	md_sb_add(b, "%s%s=%s", b->len ? " " : "", key, c);
	free(c);
}

/* ---- how items read ---------------------------------------------------------- */

/* A stored date as people read it: the era, or Western for foreign residents. */
void md_search_date_text(const char *iso, int circa, int foreign, char *buf, size_t n)
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
const char *md_search_status_text(const char *status, const char *removal_date, const char *today)
{
	if (strcmp(status, "resident") == 0)
		return "住民";
	if (strcmp(status, "moved_out") == 0)
		return removal_date && strcmp(removal_date, today) > 0 ? "転出予定" : "転出";
	if (strcmp(status, "dead") == 0)
		return "死亡";
	return "消除";
}

/* "山田 太郎"; a foreign resident's single name stands alone. */
char *md_search_join_name(const char *a, const char *b)
{
	return *b ? xasprintf("%s %s", a, b) : xstrdup(a);
}

int md_search_audit(struct md_ctx *ctx, const char *function, long long subject, const char *action,
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
	struct md_sbuf where;
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
	md_sb_add(&q->where, "%s%s", q->where.len ? " AND " : "", s);
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
	struct md_sbuf b = { 0 };
	for (const char *p = k; *p; p++) {
		if (*p == '*' || *p == '?' || *p == '[' || *p == ']')
			md_sb_add(&b, "[%c]", *p);
		else
			md_sb_add(&b, "%c", *p);
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
		struct md_sbuf s = { 0 };
		int a = q_prefix(q, key);

		md_sb_add(&s, "p.id IN (SELECT person_id FROM address_index WHERE addr >= ?%d AND addr < ?%d%s",
		       a, a + 1, kind);
		if (ends_digit)
			md_sb_add(&s, " AND substr(addr, ?%d, 1) NOT BETWEEN '0' AND '9'",
			       q_num(q, (long long)utf8_chars(key) + 1));
		if (*muni && strncmp(key, muni, strlen(muni)) != 0) {
			int b;
			with = xasprintf("%s%s", muni, key);
			b = q_prefix(q, with);
			md_sb_add(&s, " UNION SELECT person_id FROM address_index WHERE addr >= ?%d AND addr < ?%d%s",
			       b, b + 1, kind);
			if (ends_digit)
				md_sb_add(&s, " AND substr(addr, ?%d, 1) NOT BETWEEN '0' AND '9'",
				       q_num(q, (long long)utf8_chars(with) + 1));
		}
		md_sb_add(&s, ")");
		q_and(q, "%s", md_sb_str(&s));
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
		                 "p.given_name_kana, p.id LIMIT %d", md_sb_str(&q->where), order,
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
	struct md_sbuf out = { 0 };
	sqlite3_stmt *s = NULL;
	char *sql, *explain = NULL;
	int rc;

	*plan = NULL;
	if ((rc = build(ctx, keys, &q, &sql, err)) == MD_OK) {
		explain = xasprintf("EXPLAIN QUERY PLAN %s", sql);
		if ((rc = prepare(ctx, &q, explain, &s, NULL, err)) == MD_OK) {
			while (sqlite3_step(s) == SQLITE_ROW)
				md_sb_add(&out, "%s\n", md_col_text(s, 3));
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
	struct md_sbuf b = { 0 };

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
		md_sb_add(&b, "%smynumber=(given)", b.len ? " " : "");
	if (given(k->juminhyo_code))
		sb_add_clean(&b, "juminhyo_code", k->juminhyo_code);
	if (given(k->card))
		sb_add_clean(&b, "card", k->card);
	if (k->removed)
		md_sb_add(&b, "%sremoved=1", b.len ? " " : "");
	if (k->past)
		md_sb_add(&b, "%spast=1", b.len ? " " : "");
	md_sb_add(&b, "%sfound=%d%s", b.len ? " " : "", h->n, h->more ? "+" : "");
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
	rc = md_search_audit(ctx, "resident.search", h.n == 1 ? h.ids[0] : 0, "search", "ok", detail,
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
		name = md_search_join_name(md_col_text(s, 0), md_col_text(s, 1));
		kana = md_search_join_name(md_col_text(s, 2), md_col_text(s, 3));
		md_search_date_text(md_col_text(s, 4), sqlite3_column_int(s, 5), foreign, bdate, sizeof bdate);
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
		row[6] = md_search_status_text(md_col_text(s, 9), md_col_text(s, 10), today);
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

