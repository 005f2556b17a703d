/* person.c: the item table of a resident record and the struct that holds
 * one person's items. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "person.h"
#include "store.h"
#include "xalloc.h"

#define J MD_FF_JAPANESE
#define F MD_FF_FOREIGN
#define A MD_FF_ADDRESS
#define S MD_FF_SYSTEM

static const struct md_field_def fields[MD_F_COUNT] = {
	{ MD_F_STATUS, "status", "住民状態", "status", MD_FK_CODE, S, 16 },
	{ MD_F_RESIDENT_TYPE, "resident_type", "住民種別", "resident type", MD_FK_CODE, 0, 16 },
	{ MD_F_HOUSEHOLD, "household_id", "世帯番号", "household number", MD_FK_INT, S, 12 },
	{ MD_F_RELATIONSHIP, "relationship", "続柄", "relationship to the head", MD_FK_TEXT, 0, 40 },
	{ MD_F_SURNAME, "surname", "氏", "surname", MD_FK_TEXT, 0, 40 },
	{ MD_F_GIVEN_NAME, "given_name", "名", "given name", MD_FK_TEXT, 0, 40 },
	{ MD_F_SURNAME_KANA, "surname_kana", "氏の振り仮名", "surname reading", MD_FK_KANA, 0, 60 },
	{ MD_F_GIVEN_NAME_KANA, "given_name_kana", "名の振り仮名", "given name reading", MD_FK_KANA, 0, 60 },
	{ MD_F_FORMER_SURNAME, "former_surname", "旧氏", "former surname", MD_FK_TEXT, 0, 40 },
	{ MD_F_FORMER_SURNAME_KANA, "former_surname_kana", "旧氏の振り仮名", "former surname reading", MD_FK_KANA, 0, 60 },
	{ MD_F_ALIAS, "alias", "通称", "alias", MD_FK_TEXT, F, 60 },
	{ MD_F_ALIAS_KANA, "alias_kana", "通称の振り仮名", "alias reading", MD_FK_KANA, F, 80 },
	{ MD_F_NAME_ROMAN, "name_roman", "氏名（ローマ字）", "name in Latin letters", MD_FK_TEXT, F, 100 },
	{ MD_F_BIRTH_DATE, "birth_date", "生年月日", "date of birth", MD_FK_DATE, 0, 10 },
	{ MD_F_BIRTH_CIRCA, "birth_circa", "生年月日（頃）", "date of birth approximate", MD_FK_FLAG, 0, 1 },
	{ MD_F_SEX, "sex", "性別", "sex", MD_FK_CODE, 0, 1 },
	{ MD_F_HONSEKI, "honseki", "本籍", "registered domicile", MD_FK_TEXT, J | MD_FF_PROTECTED, 100 },
	{ MD_F_HITTOSHA, "hittosha", "筆頭者", "head of the family register", MD_FK_TEXT, J | MD_FF_PROTECTED, 40 },
	{ MD_F_RESIDENT_SINCE, "resident_since", "住民となった年月日", "resident since", MD_FK_DATE, 0, 10 },
	{ MD_F_POSTAL_CODE, "postal_code", "郵便番号", "postal code", MD_FK_TEXT, A, 8 },
	{ MD_F_ADDRESS_CODE, "address_code", "住所コード", "address code", MD_FK_CODE, A, 8 },
	{ MD_F_ADDRESS, "address", "住所", "address", MD_FK_TEXT, A, 100 },
	{ MD_F_KATAGAKI, "katagaki", "方書", "building and room", MD_FK_TEXT, A, 60 },
	{ MD_F_ADDRESS_SINCE, "address_since", "住所を定めた年月日", "address since", MD_FK_DATE, A, 10 },
	{ MD_F_NOTIFIED_ON, "notified_on", "届出の年月日", "notified on", MD_FK_DATE, A, 10 },
	{ MD_F_PREVIOUS_ADDRESS, "previous_address", "転入前住所", "address before moving in", MD_FK_TEXT, 0, 100 },
	{ MD_F_OUT_PLANNED_DATE, "out_planned_date", "転出予定年月日", "planned move-out date", MD_FK_DATE, 0, 10 },
	{ MD_F_OUT_ADDRESS_PLANNED, "out_address_planned", "転出先住所（予定）", "planned new address", MD_FK_TEXT, 0, 100 },
	{ MD_F_OUT_ADDRESS, "out_address", "転出先住所（確定）", "confirmed new address", MD_FK_TEXT, 0, 100 },
	{ MD_F_REMOVAL_REASON, "removal_reason", "消除事由", "reason of removal", MD_FK_CODE, S, 32 },
	{ MD_F_REMOVAL_DATE, "removal_date", "消除年月日", "date of removal", MD_FK_DATE, S, 10 },
	{ MD_F_DEATH_DATE, "death_date", "死亡年月日", "date of death", MD_FK_DATE, 0, 10 },
	{ MD_F_NATIONALITY, "nationality", "国籍・地域", "nationality or region", MD_FK_CODE, F, 3 },
	{ MD_F_RESIDENCE_STATUS, "residence_status", "在留資格", "status of residence", MD_FK_TEXT, F, 40 },
	{ MD_F_RESIDENCE_PERIOD, "residence_period", "在留期間", "period of stay", MD_FK_TEXT, F, 20 },
	{ MD_F_RESIDENCE_EXPIRY, "residence_expiry", "在留期間の満了の日", "end of the period of stay", MD_FK_DATE, F, 10 },
	{ MD_F_RESIDENCE_CARD_NO, "residence_card_no", "在留カード等番号", "residence card number", MD_FK_TEXT, F, 12 },
	{ MD_F_FOREIGN_SINCE, "foreign_since", "外国人住民となった年月日", "foreign resident since", MD_FK_DATE, F, 10 },
	{ MD_F_ART30_45, "art30_45", "法第30条の45に規定する区分", "category of Art. 30-45", MD_FK_TEXT, F, 40 },
	{ MD_F_MYNUMBER_ENC, "mynumber_enc", "個人番号", "My Number", MD_FK_BLOB, MD_FF_MYNUMBER | S, 0 },
	{ MD_F_MYNUMBER_IDX, "mynumber_idx", "個人番号（索引）", "My Number index", MD_FK_TEXT, MD_FF_MYNUMBER | S, 64 },
	{ MD_F_JUMINHYO_CODE, "juminhyo_code", "住民票コード", "resident record code", MD_FK_TEXT, 0, 11 },
	{ MD_F_GUARDIANSHIP, "guardianship", "成年被後見人", "adult under guardianship", MD_FK_FLAG, 0, 1 },
	{ MD_F_GUARDIANSHIP_SINCE, "guardianship_since", "成年被後見人となった年月日", "under guardianship since", MD_FK_DATE, 0, 10 },
	{ MD_F_MYNUMBER_CARD, "mynumber_card", "個人番号カード", "My Number card", MD_FK_TEXT, 0, 20 },
	{ MD_F_NOTE, "note", "備考", "remarks", MD_FK_TEXT, 0, 200 },
};

const struct md_field_def *md_field(enum md_field f)
{
	return f >= 0 && f < MD_F_COUNT ? &fields[f] : NULL;
}

const struct md_field_def *md_field_by_column(const char *column)
{
	for (int i = 0; i < MD_F_COUNT; i++)
		if (strcmp(fields[i].column, column) == 0)
			return &fields[i];
	return NULL;
}

const char *md_person_columns(void)
{
	static char cols[2048];
	if (!cols[0]) {
		size_t len = 0;
		for (int i = 0; i < MD_F_COUNT; i++)
			len += (size_t)snprintf(cols + len, sizeof cols - len, "%s%s", i ? ", " : "",
			                        fields[i].column);
	}
	return cols;
}

char *md_person_placeholders(int first)
{
	size_t cap = (size_t)MD_F_COUNT * 8 + 1, len = 0;
	char *s = xmalloc(cap);
	s[0] = '\0';
	for (int i = 0; i < MD_F_COUNT; i++)
		len += (size_t)snprintf(s + len, cap - len, "%s?%d", i ? ", " : "", first + i);
	return s;
}

void md_person_init(struct md_person *p)
{
	memset(p, 0, sizeof *p);
}

void md_person_release(struct md_person *p)
{
	for (int i = 0; i < MD_F_COUNT; i++)
		free(p->v[i]);
	free(p->mynumber_enc);
	memset(p, 0, sizeof *p);
}

void md_person_copy(struct md_person *dst, const struct md_person *src)
{
	md_person_init(dst);
	dst->id = src->id;
	dst->version = src->version;
	for (int i = 0; i < MD_F_COUNT; i++)
		dst->v[i] = src->v[i] ? xstrdup(src->v[i]) : NULL;
	if (src->mynumber_enc && src->mynumber_enc_len > 0) {
		dst->mynumber_enc = xmalloc((size_t)src->mynumber_enc_len);
		memcpy(dst->mynumber_enc, src->mynumber_enc, (size_t)src->mynumber_enc_len);
		dst->mynumber_enc_len = src->mynumber_enc_len;
	}
}

void md_person_set(struct md_person *p, enum md_field f, const char *value)
{
	free(p->v[f]);
	p->v[f] = value && *value ? xstrdup(value) : NULL;
}

const char *md_person_get(const struct md_person *p, enum md_field f)
{
	return p->v[f] ? p->v[f] : "";
}

int md_person_has(const struct md_person *p, enum md_field f)
{
	return p->v[f] && *p->v[f];
}

int md_person_differs(const struct md_person *a, const struct md_person *b, enum md_field f)
{
	if (f == MD_F_MYNUMBER_ENC)
		f = MD_F_MYNUMBER_IDX;
	return strcmp(md_person_get(a, f), md_person_get(b, f)) != 0;
}

void md_person_from_row(struct md_person *p, sqlite3_stmt *s, int first)
{
	for (int i = 0; i < MD_F_COUNT; i++) {
		int c = first + i;
		free(p->v[i]);
		p->v[i] = NULL;
		if (i == MD_F_MYNUMBER_ENC) {
			int n = sqlite3_column_bytes(s, c);
			const void *b = sqlite3_column_blob(s, c);
			free(p->mynumber_enc);
			p->mynumber_enc = NULL;
			p->mynumber_enc_len = 0;
			if (b && n > 0) {
				p->mynumber_enc = xmalloc((size_t)n);
				memcpy(p->mynumber_enc, b, (size_t)n);
				p->mynumber_enc_len = n;
			}
			continue;
		}
		if (sqlite3_column_type(s, c) != SQLITE_NULL) {
			const char *t = md_col_text(s, c);
			/* A flag that is off reads as empty, as it is typed. */
			if (*t && !(fields[i].kind == MD_FK_FLAG && strcmp(t, "0") == 0))
				p->v[i] = xstrdup(t);
		}
	}
}

void md_person_bind(const struct md_person *p, sqlite3_stmt *s, int first)
{
	for (int i = 0; i < MD_F_COUNT; i++) {
		int k = first + i;
		const struct md_field_def *d = &fields[i];
		if (i == MD_F_MYNUMBER_ENC) {
			if (p->mynumber_enc && p->mynumber_enc_len > 0)
				sqlite3_bind_blob(s, k, p->mynumber_enc, p->mynumber_enc_len, SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(s, k);
			continue;
		}
		if (!p->v[i]) {
			/* NOT NULL flags default to 0; a foreign resident's name may be one
			 * word, so an empty 名 and its reading are stored as "". */
			if (d->kind == MD_FK_FLAG)
				sqlite3_bind_int(s, k, 0);
			else if (i == MD_F_GIVEN_NAME || i == MD_F_GIVEN_NAME_KANA)
				sqlite3_bind_text(s, k, "", 0, SQLITE_STATIC);
			else
				sqlite3_bind_null(s, k);
		} else if (d->kind == MD_FK_INT || d->kind == MD_FK_FLAG) {
			sqlite3_bind_int64(s, k, strtoll(p->v[i], NULL, 10));
		} else {
			md_bind_text(s, k, p->v[i]);
		}
	}
}

char *md_person_name(const struct md_person *p)
{
	return xasprintf("%s %s", md_person_get(p, MD_F_SURNAME), md_person_get(p, MD_F_GIVEN_NAME));
}

char *md_person_name_kana(const struct md_person *p)
{
	return xasprintf("%s %s", md_person_get(p, MD_F_SURNAME_KANA),
	                 md_person_get(p, MD_F_GIVEN_NAME_KANA));
}
