/* nameindex.c: maintaining name_index and address_index. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "i18n.h"
#include "kana.h"
#include "nameindex.h"
#include "store.h"
#include "textwidth.h"
#include "xalloc.h"

/* The value of a run of kanji numerals (一 .. 九, 〇, 十: up to 99) at p,
 * its length in *len; -1 when p does not start with one. */
static int kanji_number(const char *p, size_t *len)
{
	static const char *const digits[] = { "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九" };
	int total = 0, cur = 0, any = 0, prev_digit = 0;
	const char *q = p;

	for (;;) {
		int d = -1;
		if (strncmp(q, "十", strlen("十")) == 0) {
			total += (cur ? cur : 1) * 10;
			cur = 0;
			prev_digit = 0;
			q += strlen("十");
			any = 1;
			continue;
		}
		for (int i = 0; i < 10; i++)
			if (strncmp(q, digits[i], strlen(digits[i])) == 0)
				d = i;
		if (d < 0)
			break;
		cur = prev_digit ? cur * 10 + d : d;   /* 一〇 written digit by digit */
		prev_digit = 1;
		q += strlen(digits[0]);
		any = 1;
		if (total + cur > 999)
			return -1;
	}
	if (!any)
		return -1;
	*len = (size_t)(q - p);
	return total + cur;
}

char *md_address_normalize(const char *utf8)
{
	static const char *const marks[] = { "丁目", "番地の", "番地", "番", "号", "の", "－", "‐",
	                                     "ー", "―", "−", "-" };
	size_t n = strlen(utf8 ? utf8 : "");
	char *out = xmalloc(n * 2 + 8);
	size_t o = 0;
	const char *p = utf8 ? utf8 : "";
	/* A separator after a number is written only when another number
	 * follows: 見本町１丁目２番３号見本荘 and 見本町1-2-3 見本荘 give the same
	 * key, 見本町1-2-3見本荘. */
	int dash = 0;

	while (*p) {
		wchar_t c;
		size_t used = tw_utf8_decode1(p, strlen(p), &c);
		size_t klen = 0;
		int matched = 0, kv;

		/* 丁目 in kanji numerals (桜台二丁目) only: elsewhere a kanji
		 * numeral is part of a name (三田, 一番町). */
		if ((kv = kanji_number(p, &klen)) >= 0 && strncmp(p + klen, "丁目", strlen("丁目")) == 0) {
			if (dash && o > 0)
				out[o++] = '-';
			dash = 0;
			o += (size_t)snprintf(out + o, 8, "%d", kv);
			p += klen;
			continue;
		}
		/* A mark only counts after a digit: 見本町 keeps its の elsewhere. */
		if (o > 0 && out[o - 1] >= '0' && out[o - 1] <= '9') {
			for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
				size_t ml = strlen(marks[i]);
				if (strncmp(p, marks[i], ml) == 0) {
					dash = 1;
					p += ml;
					matched = 1;
					break;
				}
			}
		}
		if (matched)
			continue;
		if (c == L' ' || c == 0x3000 || c == L'\t') {
			p += used;
			continue;
		}
		if (c >= 0xFF01 && c <= 0xFF5E)   /* full-width ASCII */
			c -= 0xFEE0;
		if (c >= L'0' && c <= L'9' && dash)
			out[o++] = '-';
		dash = 0;
		if (c < 0x80) {
			out[o++] = (char)c;
		} else {
			char buf[4];
			size_t k = tw_utf8_encode1(c, buf);
			memcpy(out + o, buf, k);
			o += k;
		}
		p += used;
	}
	out[o] = '\0';
	return out;
}

static int add_name(struct md_ctx *ctx, long long id, const char *kind, const char *sur,
                    const char *given, const char *sur_kana, const char *given_kana,
                    struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO name_index (person_id, kind, kana, kana_sur, kana_given, fold, fold_sur, "
		"fold_given) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	char *full_kana, *full, *k, *ks, *kg, *f, *fs, *fg;
	int rc;

	if (!s)
		return MD_E_DB;
	full_kana = xasprintf("%s%s", sur_kana ? sur_kana : "", given_kana ? given_kana : "");
	full = xasprintf("%s%s", sur ? sur : "", given ? given : "");
	k = md_kana_normalize(full_kana);
	ks = md_kana_normalize(sur_kana ? sur_kana : "");
	kg = md_kana_normalize(given_kana ? given_kana : "");
	f = md_kanji_fold(full);
	fs = md_kanji_fold(sur ? sur : "");
	fg = md_kanji_fold(given ? given : "");
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, kind);
	md_bind_text(s, 3, k);
	md_bind_text(s, 4, ks);
	md_bind_text(s, 5, kg);
	md_bind_text(s, 6, f);
	md_bind_text(s, 7, fs);
	md_bind_text(s, 8, fg);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	free(full_kana);
	free(full);
	free(k);
	free(ks);
	free(kg);
	free(f);
	free(fs);
	free(fg);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("indexing a name"));
	return MD_OK;
}

static int add_address(struct md_ctx *ctx, long long id, const char *kind, const char *addr,
                       const char *katagaki, struct md_error *err)
{
	static const char sql[] = "INSERT INTO address_index (person_id, kind, addr) VALUES (?1, ?2, ?3)";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	char *full, *norm;
	int rc;

	if (!s)
		return MD_E_DB;
	full = xasprintf("%s%s", addr ? addr : "", katagaki ? katagaki : "");
	norm = md_address_normalize(full);
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, kind);
	md_bind_text(s, 3, norm);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	free(full);
	free(norm);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("indexing an address"));
	return MD_OK;
}

/* "氏 名" at its first space (ASCII, tab or ideographic); *given is "" when
 * there is none. */
static void split_name(const char *s, char **sur, char **given)
{
	const char *sp = NULL;
	size_t skip = 0;

	for (const char *q = s; *q; q++) {
		if (*q == ' ' || *q == '\t') {
			sp = q;
			skip = 1;
			break;
		}
		if (strncmp(q, "\u3000", strlen("\u3000")) == 0) {
			sp = q;
			skip = strlen("\u3000");
			break;
		}
	}
	if (!sp) {
		*sur = xstrdup(s);
		*given = xstrdup("");
		return;
	}
	*sur = xstrndup(s, (size_t)(sp - s));
	*given = xstrdup(sp + skip);
}

int md_index_person(struct md_ctx *ctx, long long id, struct md_error *err)
{
	static const char del_names[] = "DELETE FROM name_index WHERE person_id = ?1";
	static const char del_addr[] = "DELETE FROM address_index WHERE person_id = ?1";
	static const char cur[] =
		"SELECT surname, given_name, surname_kana, given_name_kana, former_surname, "
		"former_surname_kana, alias, alias_kana, address, katagaki FROM persons WHERE id = ?1";
	/* Past names and addresses: every distinct one no longer current. */
	static const char past_names[] =
		"SELECT DISTINCT v.surname, v.given_name, v.surname_kana, v.given_name_kana "
		"FROM person_versions v JOIN persons p ON p.id = v.person_id WHERE v.person_id = ?1 "
		"AND (v.surname <> p.surname OR v.given_name <> p.given_name "
		"OR v.surname_kana <> p.surname_kana OR v.given_name_kana <> p.given_name_kana)";
	static const char past_addr[] =
		"SELECT DISTINCT v.address, coalesce(v.katagaki, '') FROM person_versions v "
		"JOIN persons p ON p.id = v.person_id WHERE v.person_id = ?1 "
		"AND (v.address <> p.address OR coalesce(v.katagaki, '') <> coalesce(p.katagaki, ''))";
	sqlite3_stmt *s;
	int rc = MD_OK;
	char *c[10] = { 0 };

	for (int i = 0; i < 2; i++) {
		if (!(s = md_store_stmt(ctx->store, i ? del_addr : del_names, err)))
			return MD_E_DB;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_step(s);
		sqlite3_reset(s);
	}
	if (!(s = md_store_stmt(ctx->store, cur, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return md_error_set(err, MD_E_NOTFOUND, "person", _("there is no person %lld"), id);
	}
	for (int i = 0; i < 10; i++)
		c[i] = sqlite3_column_type(s, i) == SQLITE_NULL ? NULL : xstrdup(md_col_text(s, i));
	sqlite3_reset(s);

	rc = add_name(ctx, id, "name", c[0], c[1], c[2], c[3], err);
	if (rc == MD_OK && c[4] && *c[4])
		rc = add_name(ctx, id, "former", c[4], c[1], c[5], c[3], err);
	if (rc == MD_OK && c[6] && *c[6]) {
		/* A 通称 is written like a name, 氏 and 名 apart: index both parts. */
		char *as = NULL, *ag = NULL, *ks = NULL, *kg = NULL;
		split_name(c[6], &as, &ag);
		split_name(c[7] ? c[7] : "", &ks, &kg);
		rc = add_name(ctx, id, "alias", as, ag, ks, kg, err);
		free(as);
		free(ag);
		free(ks);
		free(kg);
	}
	if (rc == MD_OK)
		rc = add_address(ctx, id, "current", c[8], c[9], err);
	for (int i = 0; i < 10; i++)
		free(c[i]);
	if (rc != MD_OK)
		return rc;

	if (!(s = md_store_stmt(ctx->store, past_names, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	while (rc == MD_OK && sqlite3_step(s) == SQLITE_ROW) {
		char *a = xstrdup(md_col_text(s, 0)), *b = xstrdup(md_col_text(s, 1));
		char *ak = xstrdup(md_col_text(s, 2)), *bk = xstrdup(md_col_text(s, 3));
		rc = add_name(ctx, id, "past", a, b, ak, bk, err);
		free(a);
		free(b);
		free(ak);
		free(bk);
	}
	sqlite3_reset(s);
	if (rc != MD_OK)
		return rc;
	if (!(s = md_store_stmt(ctx->store, past_addr, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	while (rc == MD_OK && sqlite3_step(s) == SQLITE_ROW) {
		char *a = xstrdup(md_col_text(s, 0)), *b = xstrdup(md_col_text(s, 1));
		rc = add_address(ctx, id, "past", a, b, err);
		free(a);
		free(b);
	}
	sqlite3_reset(s);
	return rc;
}
