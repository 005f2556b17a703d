/* change.c: a change as given on its form: parsing the arguments, checking
 * every rule of registry.md as the clerk types, and saving it provisional. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "account.h"
#include "audit.h"
#include "change.h"
#include "change_impl.h"
#include "checkdigit.h"
#include "codes.h"
#include "crypto.h"
#include "ctx.h"
#include "i18n.h"
#include "kana.h"
#include "lock.h"
#include "protect.h"
#include "relationship.h"
#include "text.h"
#include "result.h"
#include "store.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

/* ---- issues ------------------------------------------------------------- */

void md_issues_release(struct md_issues *is)
{
	free(is->v);
	memset(is, 0, sizeof *is);
}

int md_issues_errors(const struct md_issues *is)
{
	int n = 0;
	for (int i = 0; i < is->n; i++)
		n += is->v[i].error;
	return n;
}

void cw_issue(struct cwork *w, int person, const char *field, int error, const char *fmt, ...)
{
	struct md_issues *is = w->issues;
	struct md_issue *x;
	va_list ap;

	if (is->n == is->cap) {
		is->cap = is->cap ? is->cap * 2 : 16;
		is->v = xrealloc(is->v, (size_t)is->cap * sizeof *is->v);
	}
	x = &is->v[is->n++];
	x->person = person;
	snprintf(x->field, sizeof x->field, "%s", field ? field : "");
	x->error = error;
	va_start(ap, fmt);
	vsnprintf(x->msg, sizeof x->msg, fmt, ap);
	va_end(ap);
}

/* ---- reading the arguments ------------------------------------------------ */

static int person_index(const char *key, const char **rest)
{
	int n = 0;
	const char *p = key + 1;
	if (key[0] != 'p' || !isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		n = n * 10 + (*p++ - '0');
	if (*p != '.' || n <= 0 || n > 99)
		return 0;
	*rest = p + 1;
	return n;
}

static struct cperson *cp_get(struct cwork *w, int idx)
{
	for (int i = 0; i < w->n; i++)
		if (w->p[i].idx == idx)
			return &w->p[i];
	w->p = xrealloc(w->p, (size_t)(w->n + 1) * sizeof *w->p);
	memset(&w->p[w->n], 0, sizeof w->p[w->n]);
	w->p[w->n].idx = idx;
	md_person_init(&w->p[w->n].before);
	md_person_init(&w->p[w->n].after);
	return &w->p[w->n++];
}

static int cmp_cp(const void *a, const void *b)
{
	return ((const struct cperson *)a)->idx - ((const struct cperson *)b)->idx;
}

void cw_release(struct cwork *w)
{
	for (int i = 0; i < w->n; i++) {
		md_person_release(&w->p[i].before);
		md_person_release(&w->p[i].after);
		sodium_memzero(w->p[i].mynumber, sizeof w->p[i].mynumber);
	}
	free(w->p);
	memset(w, 0, sizeof *w);
}

static int field_on_form(const struct md_change_type *t, enum md_field f)
{
	for (const enum md_field *x = t->fields; *x != MD_F_COUNT; x++)
		if (*x == f)
			return 1;
	return 0;
}

static const char *arg_field_name(enum md_field f)
{
	return f == MD_FIELD_MYNUMBER_INPUT ? "mynumber" : md_field(f)->column;
}

/* Today as YYYY-MM-DD (local). */
void cw_today(char buf[11])
{
	md_date_local(md_time_now(), buf, 11);
}

/* A date argument to ISO; an issue on failure. */
static int parse_date_arg(struct cwork *w, int person, const char *field, const char *in,
                          char out[16], int full_only)
{
	struct md_date d;
	struct md_error e;

	if (md_date_parse(in, &d, &e) != MD_OK) {
		cw_issue(w, person, field, 1, "%s", e.msg);
		return -1;
	}
	if (full_only && d.prec != MD_DATE_FULL) {
		cw_issue(w, person, field, 1, _("%s needs a full date (year, month and day)"), field);
		return -1;
	}
	md_date_to_iso(&d, out);
	return 0;
}

int cw_load_person(struct md_ctx *ctx, long long id, struct md_person *p, struct md_error *err)
{
	/* Built once: the statement stays cached like the others (it runs for
	 * every person of every check while the clerk types). */
	static char *sql;
	sqlite3_stmt *s;
	int rc;

	if (!sql)
		sql = xasprintf("SELECT version, %s FROM persons WHERE id = ?1", md_person_columns());
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		p->id = id;
		p->version = sqlite3_column_int(s, 0);
		md_person_from_row(p, s, 1);
		rc = MD_OK;
	} else {
		rc = md_error_set(err, MD_E_NOTFOUND, "person", _("there is no person with 宛名番号 %lld"), id);
	}
	sqlite3_reset(s);
	return rc;
}

/* Normalises one typed value into the after-image, checking its kind. */
static void set_value_nfc(struct cwork *w, struct cperson *cp, enum md_field f, const char *raw);

/* Every typed value is stored in Unicode NFC (text.h). */
static void set_value(struct cwork *w, struct cperson *cp, enum md_field f, const char *raw)
{
	char *nfc = raw ? md_text_nfc(raw) : NULL;
	if (raw && !nfc) {
		cw_issue(w, cp->idx, arg_field_name(f), 1, _("%s is not valid UTF-8 text"),
		         f == MD_FIELD_MYNUMBER_INPUT ? "個人番号" : md_field(f)->label);
		return;
	}
	set_value_nfc(w, cp, f, nfc);
	free(nfc);
}

static void set_value_nfc(struct cwork *w, struct cperson *cp, enum md_field f, const char *raw)
{
	const struct md_field_def *d = md_field(f);
	const char *name = arg_field_name(f);
	char buf[256];
	struct md_error e;

	while (raw && (*raw == ' '))
		raw++;
	if (!raw || !*raw) {
		md_person_set(&cp->after, f, NULL);
		if (f == MD_FIELD_MYNUMBER_INPUT) {
			cp->mynumber_given = 1;   /* given empty: the number is removed */
			cp->mynumber[0] = '\0';
		}
		return;
	}
	if (f == MD_FIELD_MYNUMBER_INPUT) {
		if (md_mynumber_check(raw, cp->mynumber, &e) != MD_OK)
			cw_issue(w, cp->idx, "mynumber", 1, "%s", e.msg);
		cp->mynumber_given = 1;
		return;
	}
	/* Coded items are checked against their list below: the name typed
	 * (フィリピン) may be longer than the code stored (PHL). */
	if ((int)strlen(raw) > d->maxlen * 4 && d->maxlen > 0 && d->kind != MD_FK_CODE) {
		cw_issue(w, cp->idx, name, 1, _("%s is too long (at most %d characters)"), d->label,
		         d->maxlen);
		return;
	}
	switch (d->kind) {
	case MD_FK_DATE:
		if (parse_date_arg(w, cp->idx, d->label, raw, buf, 0) == 0)
			md_person_set(&cp->after, f, buf);
		return;
	case MD_FK_KANA: {
		char *k = md_kana_to_katakana(raw);
		if (!md_kana_is_reading(k))
			cw_issue(w, cp->idx, name, 1,
			         _("%s must be written in kana (katakana or hiragana): \"%s\""), d->label, raw);
		else
			md_person_set(&cp->after, f, k);
		free(k);
		return;
	}
	case MD_FK_FLAG:
		if (strcmp(raw, "1") == 0 || strcmp(raw, "はい") == 0 || strcmp(raw, "有") == 0)
			md_person_set(&cp->after, f, "1");
		else if (strcmp(raw, "0") == 0 || strcmp(raw, "いいえ") == 0 || strcmp(raw, "無") == 0)
			md_person_set(&cp->after, f, NULL);
		else
			cw_issue(w, cp->idx, name, 1, _("%s is 1 (yes) or 0 (no)"), d->label);
		return;
	default:
		break;
	}
	switch (f) {
	case MD_F_SEX:
		if (strcmp(raw, "男") == 0 || strcmp(raw, "M") == 0 || strcmp(raw, "m") == 0)
			md_person_set(&cp->after, f, "M");
		else if (strcmp(raw, "女") == 0 || strcmp(raw, "F") == 0 || strcmp(raw, "f") == 0)
			md_person_set(&cp->after, f, "F");
		else
			cw_issue(w, cp->idx, name, 1, _("性別 is 男 or 女, not \"%s\""), raw);
		return;
	case MD_F_RESIDENT_TYPE:
		if (strcmp(raw, "日本人") == 0 || strcmp(raw, "japanese") == 0)
			md_person_set(&cp->after, f, "japanese");
		else if (strcmp(raw, "外国人") == 0 || strcmp(raw, "foreign") == 0)
			md_person_set(&cp->after, f, "foreign");
		else
			cw_issue(w, cp->idx, name, 1, _("住民種別 is 日本人 or 外国人, not \"%s\""), raw);
		return;
	case MD_F_RELATIONSHIP: {
		int became = 0;
		if (md_relationship_check(raw, buf, sizeof buf, &became, &e) != MD_OK) {
			cw_issue(w, cp->idx, name, 1, "%s", e.msg);
			return;
		}
		if (became)
			cw_issue(w, cp->idx, name, 0,
			         _("a chain of five or more links is recorded as 縁故者 (registry rule)"));
		md_person_set(&cp->after, f, buf);
		return;
	}
	case MD_F_JUMINHYO_CODE: {
		char code[12];
		if (md_juminhyo_code_check(raw, code, &e) != MD_OK)
			cw_issue(w, cp->idx, name, 1, "%s", e.msg);
		else
			md_person_set(&cp->after, f, code);
		return;
	}
	case MD_F_NATIONALITY:
		if (md_tsv_find(md_codes(MD_CODES_NATIONALITIES), "code", raw) < 0 &&
		    md_tsv_find(md_codes(MD_CODES_NATIONALITIES), "name", raw) < 0) {
			cw_issue(w, cp->idx, name, 1, _("国籍・地域 \"%s\" is not in the code list"), raw);
			return;
		}
		{
			const struct md_tsv *t = md_codes(MD_CODES_NATIONALITIES);
			int r = md_tsv_find(t, "code", raw);
			if (r < 0)
				r = md_tsv_find(t, "name", raw);
			md_person_set(&cp->after, f, md_tsv_get(t, r, "code"));
		}
		return;
	case MD_F_ADDRESS_CODE:
		if (md_tsv_find(md_codes(MD_CODES_DISTRICTS), "code", raw) < 0) {
			cw_issue(w, cp->idx, name, 1, _("住所コード \"%s\" is not one of this ward's districts"), raw);
			return;
		}
		md_person_set(&cp->after, f, raw);
		return;
	case MD_F_POSTAL_CODE: {
		int digits = 0, ok = 1;
		for (const char *q = raw; *q; q++) {
			if (isdigit((unsigned char)*q))
				digits++;
			else if (*q != '-')
				ok = 0;
		}
		if (!ok || digits != 7) {
			cw_issue(w, cp->idx, name, 1, _("郵便番号 has 7 digits (999-0001), not \"%s\""), raw);
			return;
		}
		snprintf(buf, sizeof buf, "%.3s-%.4s", raw, raw[3] == '-' ? raw + 4 : raw + 3);
		md_person_set(&cp->after, f, buf);
		return;
	}
	default:
		for (const unsigned char *q = (const unsigned char *)raw; *q; q++) {
			if (*q < 0x20 || *q == 0x7f) {
				cw_issue(w, cp->idx, name, 1, _("%s contains a control character"), d->label);
				return;
			}
		}
		md_person_set(&cp->after, f, raw);
		return;
	}
}

static const enum md_field shared_fields[] = { MD_F_POSTAL_CODE, MD_F_ADDRESS_CODE, MD_F_ADDRESS,
                                               MD_F_KATAGAKI, MD_F_PREVIOUS_ADDRESS };

/* Reads the change's arguments into w. Returns MD_OK unless the arguments
 * cannot be a change at all (unknown type, unknown person...). */
int cw_parse(struct md_ctx *ctx, const struct md_args *args, struct cwork *w, struct md_error *err)
{
	const char *type = md_args_get(args, "type");
	const char *v;
	char today[11];

	w->type = md_change_type(type ? type : "");
	if (!w->type)
		return md_error_set(err, MD_E_INVALID, "type", _("unknown kind of change \"%s\""),
		                    type ? type : "");
	cw_today(today);
	v = md_args_get(args, "reason");
	if (v && *v && md_tsv_find(md_codes(MD_CODES_REASONS), "code", v) < 0) {
		/* 国外転出 as well as out_abroad. */
		int r = md_tsv_find(md_codes(MD_CODES_REASONS), "name", v);
		if (r >= 0)
			v = md_tsv_get(md_codes(MD_CODES_REASONS), r, "code");
	}
	if (v && *v) {
		char list[512];
		int ok = 0;
		snprintf(list, sizeof list, ",%s,", w->type->reasons);
		{
			char needle[80];
			snprintf(needle, sizeof needle, ",%s,", v);
			ok = strstr(list, needle) != NULL;
		}
		if (!ok)
			return md_error_set(err, MD_E_INVALID, "reason",
			                    _("the reason \"%s\" does not belong to %s (allowed: %s)"), v,
			                    w->type->name, w->type->reasons);
		snprintf(w->reason, sizeof w->reason, "%s", v);
	} else {
		snprintf(w->reason, sizeof w->reason, "%.*s", (int)strcspn(w->type->reasons, ","),
		         w->type->reasons);
	}
	v = md_args_get(args, "event_date");
	if (v && *v)
		parse_date_arg(w, 0, "event_date", v, w->event_date, 1);
	else
		cw_issue(w, 0, "event_date", 1, _("the date of the event (異動日) is required"));
	v = md_args_get(args, "notified_on");
	if (w->type->notification) {
		if (v && *v)
			parse_date_arg(w, 0, "notified_on", v, w->notified_on, 1);
		else
			snprintf(w->notified_on, sizeof w->notified_on, "%s", today);
	}
	v = md_args_get(args, "memo");
	snprintf(w->memo, sizeof w->memo, "%s", v ? v : "");
	v = md_args_get(args, "household");
	w->household = v && *v ? strtoll(v, NULL, 10) : 0;
	v = md_args_get(args, "change");
	w->change_id = v && *v ? strtoll(v, NULL, 10) : 0;
	v = md_args_get(args, "cancels");
	w->cancels = v && *v ? strtoll(v, NULL, 10) : 0;
	v = md_args_get(args, "ack");
	w->ack = v && strcmp(v, "1") == 0;

	/* Persons: first who they are, then their items. */
	for (int i = 0; i < args->n; i++) {
		const char *rest;
		int idx = person_index(args->key[i], &rest);
		if (idx)
			cp_get(w, idx);
	}
	if (w->n > 1)
		qsort(w->p, (size_t)w->n, sizeof *w->p, cmp_cp);
	for (int i = 0; i < w->n; i++) {
		struct cperson *cp = &w->p[i];
		char key[32];
		snprintf(key, sizeof key, "p%d.person", cp->idx);
		v = md_args_get(args, key);
		cp->person_id = v && *v ? strtoll(v, NULL, 10) : 0;
		snprintf(key, sizeof key, "p%d.role", cp->idx);
		v = md_args_get(args, key);
		/* "member" (or 2): a member who stays and only restates its 続柄. */
		cp->member = v && (strcmp(v, "member") == 0 || strcmp(v, "2") == 0);
		if (cp->person_id) {
			int rc = cw_load_person(ctx, cp->person_id, &cp->before, err);
			if (rc != MD_OK)
				return rc;
			cp->has_before = 1;
			md_person_copy(&cp->after, &cp->before);
		}
	}
	for (int i = 0; i < args->n; i++) {
		const char *rest;
		int idx = person_index(args->key[i], &rest);
		const struct md_field_def *d;
		struct cperson *cp;
		enum md_field f;

		if (!idx || strcmp(rest, "person") == 0 || strcmp(rest, "role") == 0)
			continue;
		cp = cp_get(w, idx);
		if (strcmp(rest, "mynumber") == 0) {
			f = MD_FIELD_MYNUMBER_INPUT;
		} else {
			d = md_field_by_column(rest);
			if (!d || (d->flags & (MD_FF_SYSTEM | MD_FF_MYNUMBER))) {
				cw_issue(w, idx, rest, 1, _("\"%s\" is not an item a form can change"), rest);
				continue;
			}
			f = d->id;
		}
		/* Only the items of the form (a member only restates its 続柄). */
		if (cp->member ? f != MD_F_RELATIONSHIP : !field_on_form(w->type, f)) {
			cw_issue(w, idx, rest, 1, _("%s is not an item of the %s form"),
			         f == MD_FIELD_MYNUMBER_INPUT ? "個人番号" : md_field(f)->label, w->type->name);
			continue;
		}
		set_value(w, cp, f, args->val[i]);
	}
	/* Household-wide address items given once apply to every subject. */
	{
		for (size_t k = 0; k < sizeof shared_fields / sizeof shared_fields[0]; k++) {
			const enum md_field *shared = shared_fields;
			const char *col = md_field(shared[k])->column;
			v = md_args_get(args, col);
			if (!v)
				continue;
			w->shared[k] = v;
			if (!field_on_form(w->type, shared[k])) {
				cw_issue(w, 0, col, 1, _("%s is not an item of the %s form"),
				         md_field(shared[k])->label, w->type->name);
				continue;
			}
			for (int i = 0; i < w->n; i++) {
				char key[48];
				snprintf(key, sizeof key, "p%d.%s", w->p[i].idx, col);
				if (!w->p[i].member && !md_args_get(args, key))
					set_value(w, &w->p[i], shared[k], v);
			}
		}
	}
	return MD_OK;
}

/* ---- checking ----------------------------------------------------------------- */

int cw_active(const struct md_person *p, const char *today)
{
	const char *st = md_person_get(p, MD_F_STATUS);
	if (strcmp(st, "resident") == 0)
		return 1;
	return strcmp(st, "moved_out") == 0 && strcmp(md_person_get(p, MD_F_REMOVAL_DATE), today) > 0;
}

static long long household_of(const struct cperson *cp)
{
	return strtoll(md_person_get(&cp->after, MD_F_HOUSEHOLD), NULL, 10);
}

static void set_household(struct cperson *cp, long long h)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%lld", h);
	md_person_set(&cp->after, MD_F_HOUSEHOLD, h ? buf : NULL);
}

static const char *cp_name(const struct cperson *cp, char *buf, size_t n)
{
	snprintf(buf, n, "%s %s", md_person_get(&cp->after, MD_F_SURNAME),
	         md_person_get(&cp->after, MD_F_GIVEN_NAME));
	return buf;
}

static int days_between_iso(const char *a, const char *b)
{
	int y1, m1, d1, y2, m2, d2;
	if (md_date_parse_iso(a, &y1, &m1, &d1) || md_date_parse_iso(b, &y2, &m2, &d2))
		return 0;
	return (int)(md_days_from_civil(y2, m2, d2) - md_days_from_civil(y1, m1, d1));
}

/* Adds every active member of the household as a subject (forms that act on
 * a whole household). */
static int add_household_members(struct md_ctx *ctx, struct cwork *w, struct md_error *err)
{
	static const char sql[] = "SELECT id FROM persons WHERE household_id = ?1 ORDER BY id";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	long long ids[256];
	int n = 0, next = 1;
	char today[11];

	if (!s)
		return MD_E_DB;
	cw_today(today);
	sqlite3_bind_int64(s, 1, w->household);
	while (sqlite3_step(s) == SQLITE_ROW && n < 256)
		ids[n++] = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	for (int i = 0; i < w->n; i++)
		if (w->p[i].idx >= next)
			next = w->p[i].idx + 1;
	for (int k = 0; k < n; k++) {
		int have = 0;
		for (int i = 0; i < w->n; i++)
			if (w->p[i].person_id == ids[k])
				have = 1;
		if (!have) {
			struct md_person p;
			md_person_init(&p);
			if (cw_load_person(ctx, ids[k], &p, err) != MD_OK) {
				md_person_release(&p);
				return MD_E_DB;
			}
			if (cw_active(&p, today)) {
				struct cperson *cp;
				w->p = xrealloc(w->p, (size_t)(w->n + 1) * sizeof *w->p);
				cp = &w->p[w->n++];
				memset(cp, 0, sizeof *cp);
				cp->idx = next++;
				cp->person_id = ids[k];
				cp->has_before = 1;
				cp->before = p;
				md_person_copy(&cp->after, &p);
				/* The household-wide items given once apply to them too. */
				for (size_t f = 0; f < sizeof shared_fields / sizeof shared_fields[0]; f++)
					if (w->shared[f] && field_on_form(w->type, shared_fields[f]))
						set_value(w, cp, shared_fields[f], w->shared[f]);
			} else {
				md_person_release(&p);
			}
		}
	}
	return MD_OK;
}

/* Who holds a My Number (by its blind index) or a 住民票コード, other than self. */
static long long holder_of(struct md_ctx *ctx, const char *column, const char *value, long long self,
                           char *status, size_t n)
{
	static const char sql_mn[] =
		"SELECT id, status FROM persons WHERE mynumber_idx = ?1 AND id <> ?2";
	static const char sql_jc[] =
		"SELECT id, status FROM persons WHERE juminhyo_code = ?1 AND id <> ?2";
	sqlite3_stmt *s = md_store_stmt(ctx->store, strcmp(column, "mynumber_idx") == 0 ? sql_mn : sql_jc,
	                                NULL);
	long long id = 0;
	if (!s)
		return 0;
	md_bind_text(s, 1, value);
	sqlite3_bind_int64(s, 2, self);
	if (sqlite3_step(s) == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		snprintf(status, n, "%s", md_col_text(s, 1));
	}
	sqlite3_reset(s);
	return id;
}

/* Earlier records with the same name and date of birth. */
static void same_person_records(struct md_ctx *ctx, struct cwork *w, struct cperson *cp,
                                const char *today)
{
	static const char sql[] =
		"SELECT id, status, coalesce(removal_date, '') FROM persons WHERE kana_norm = ?1 "
		"AND birth_date = ?2 AND id <> ?3 LIMIT 5";
	sqlite3_stmt *s;
	char *full, *norm;

	if (!md_person_has(&cp->after, MD_F_BIRTH_DATE))
		return;
	full = xasprintf("%s%s", md_person_get(&cp->after, MD_F_SURNAME_KANA),
	                 md_person_get(&cp->after, MD_F_GIVEN_NAME_KANA));
	norm = md_kana_normalize(full);
	free(full);
	if (!(s = md_store_stmt(ctx->store, sql, NULL))) {
		free(norm);
		return;
	}
	md_bind_text(s, 1, norm);
	md_bind_text(s, 2, md_person_get(&cp->after, MD_F_BIRTH_DATE));
	sqlite3_bind_int64(s, 3, cp->person_id);
	while (sqlite3_step(s) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(s, 0);
		const char *st = md_col_text(s, 1);
		if (strcmp(st, "resident") == 0 ||
		    (strcmp(st, "moved_out") == 0 && strcmp(md_col_text(s, 2), today) > 0))
			cw_issue(w, cp->idx, "surname", 0,
			         _("a resident with the same name reading and date of birth exists "
			           "(宛名番号 %lld): check that this is not the same person"), id);
		else
			cw_issue(w, cp->idx, "surname", 0,
			         _("an earlier removed record (除票) with the same name reading and date of "
			           "birth exists: 宛名番号 %lld, removed %s; if the person is returning, "
			           "record the 転入 on that record"), id, md_col_text(s, 2));
	}
	sqlite3_reset(s);
	free(norm);
}

static void require(struct cwork *w, struct cperson *cp, enum md_field f)
{
	if (!md_person_has(&cp->after, f))
		cw_issue(w, cp->idx, md_field(f)->column, 1, _("%s is required"), md_field(f)->label);
}

/* The household rule: after the change, each household that still has
 * members has exactly one 世帯主. */
static void check_heads(struct md_ctx *ctx, struct cwork *w, long long h, int newh, const char *today)
{
	static const char sql[] =
		"SELECT id, relationship, status, coalesce(removal_date, '') FROM persons "
		"WHERE household_id = ?1";
	int members = 0, heads = 0;
	sqlite3_stmt *s;

	if (h > 0 && (s = md_store_stmt(ctx->store, sql, NULL))) {
		sqlite3_bind_int64(s, 1, h);
		while (sqlite3_step(s) == SQLITE_ROW) {
			long long id = sqlite3_column_int64(s, 0);
			const char *st = md_col_text(s, 2);
			int in_change = 0;
			for (int i = 0; i < w->n; i++)
				if (w->p[i].person_id == id)
					in_change = 1;
			if (in_change)
				continue;
			/* A planned move-out already approved is leaving: like a person
			 * of this change who moves out, it no longer counts (its
			 * household named a new head when it was approved). */
			if (strcmp(st, "resident") != 0)
				continue;
			members++;
			heads += strcmp(md_col_text(s, 1), MD_HEAD) == 0;
		}
		sqlite3_reset(s);
	}
	for (int i = 0; i < w->n; i++) {
		struct cperson *cp = &w->p[i];
		int here = newh ? cp->new_household == newh : (!cp->new_household && household_of(cp) == h);
		if (!here || !cw_active(&cp->after, today) || strcmp(md_person_get(&cp->after, MD_F_STATUS), "moved_out") == 0)
			continue;
		members++;
		heads += strcmp(md_person_get(&cp->after, MD_F_RELATIONSHIP), MD_HEAD) == 0;
	}
	if (members == 0)
		return;
	if (heads == 0) {
		if (newh)
			cw_issue(w, 0, "relationship", 1,
			         _("the new household has no 世帯主: one member's 続柄 must be 世帯主"));
		else
			cw_issue(w, 0, "relationship", 1,
			         _("household %lld would be left without a 世帯主: make one remaining member "
			           "世帯主 in this change (世帯主変更), or include the others too"), h);
	} else if (heads > 1) {
		if (newh)
			cw_issue(w, 0, "relationship", 1,
			         _("the new household would have %d 世帯主: a household has exactly one"), heads);
		else
			cw_issue(w, 0, "relationship", 1,
			         _("household %lld would have %d 世帯主: a household has exactly one"), h, heads);
	}
}

static void check_protection(struct md_ctx *ctx, struct cwork *w, long long person, long long household,
                             int idx)
{
	struct md_protect pr;
	struct md_error e;

	if (md_protect_check(ctx, person, household, "change", &pr, &e) != MD_OK)
		return;
	if (pr.blocked)
		cw_issue(w, idx, "", 1, "%s", pr.msg);
	else if (pr.alert && !w->ack)
		cw_issue(w, idx, "ack", 1, _("%s Acknowledge to continue."), pr.msg);
	else if (pr.alert)
		cw_issue(w, idx, "", 0, "%s", pr.msg);
}

/* Someone else editing, 抑止 and 支援措置, for an existing person the change
 * touches. */
static void check_others(struct md_ctx *ctx, struct cwork *w, struct cperson *cp)
{
	struct md_error e;

	if (!cp->person_id)
		return;
	if (md_lock_check(ctx, MD_LOCK_PERSON, cp->person_id, &e) != MD_OK)
		cw_issue(w, cp->idx, "person", 1, "%s", e.msg);
	check_protection(ctx, w, cp->person_id, strtoll(md_person_get(&cp->before, MD_F_HOUSEHOLD), NULL, 10),
	                 cp->idx);
}

/* 取消: the persons of an approved change go back to the version before it.
 * A cancelled addition removes the person (取消(減)), a cancelled removal
 * restores them (取消(増)), a cancelled modification restores the items
 * (取消(修正)). */
static int load_cancel(struct md_ctx *ctx, struct cwork *w, struct md_error *err)
{
	static const char chg[] = "SELECT status, type FROM changes WHERE id = ?1";
	static const char who[] = "SELECT person_id, version FROM person_versions WHERE change_id = ?1";
	static const char later[] =
		"SELECT 1 FROM person_versions WHERE person_id = ?1 AND version > ?2";
	char *vsql = xasprintf("SELECT %s FROM person_versions WHERE person_id = ?1 AND version = ?2",
	                       md_person_columns());
	sqlite3_stmt *s, *v = NULL;
	long long ids[256];
	int vers[256], n = 0, adds = 0, removes = 0;
	char status[24] = "", ctype[32] = "";

	if (!w->cancels) {
		free(vsql);
		cw_issue(w, 0, "cancels", 1, _("name the approved change to cancel"));
		return MD_OK;
	}
	if (!(s = md_store_stmt(ctx->store, chg, err))) {
		free(vsql);
		return MD_E_DB;
	}
	sqlite3_bind_int64(s, 1, w->cancels);
	if (sqlite3_step(s) == SQLITE_ROW) {
		snprintf(status, sizeof status, "%s", md_col_text(s, 0));
		snprintf(ctype, sizeof ctype, "%s", md_col_text(s, 1));
	}
	sqlite3_reset(s);
	if (strcmp(status, "approved") != 0) {
		free(vsql);
		cw_issue(w, 0, "cancels", 1, _("change %lld is not an approved change"), w->cancels);
		return MD_OK;
	}
	if (!(s = md_store_stmt(ctx->store, who, err))) {
		free(vsql);
		return MD_E_DB;
	}
	sqlite3_bind_int64(s, 1, w->cancels);
	while (sqlite3_step(s) == SQLITE_ROW && n < 256) {
		ids[n] = sqlite3_column_int64(s, 0);
		vers[n++] = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	sqlite3_prepare_v2(md_store_db(ctx->store), vsql, -1, &v, NULL);
	free(vsql);
	for (int k = 0; k < n; k++) {
		struct cperson *cp;
		int has_later;
		w->p = xrealloc(w->p, (size_t)(w->n + 1) * sizeof *w->p);
		cp = &w->p[w->n++];
		memset(cp, 0, sizeof *cp);
		cp->idx = w->n;
		cp->person_id = ids[k];
		if (cw_load_person(ctx, ids[k], &cp->before, err) != MD_OK) {
			sqlite3_finalize(v);
			return MD_E_DB;
		}
		cp->has_before = 1;
		if ((s = md_store_stmt(ctx->store, later, err))) {
			sqlite3_bind_int64(s, 1, ids[k]);
			sqlite3_bind_int(s, 2, vers[k]);
			has_later = sqlite3_step(s) == SQLITE_ROW;
			sqlite3_reset(s);
			if (has_later)
				cw_issue(w, cp->idx, "cancels", 1,
				         _("宛名番号 %lld has changed again since change %lld: cancel the later "
				           "change first"), ids[k], w->cancels);
		}
		if (vers[k] == 1) {
			/* The change added this person: the cancellation removes them. */
			md_person_copy(&cp->after, &cp->before);
			md_person_set(&cp->after, MD_F_STATUS, "removed");
			md_person_set(&cp->after, MD_F_REMOVAL_REASON, "cancel_remove");
			md_person_set(&cp->after, MD_F_REMOVAL_DATE, w->event_date);
			adds++;
		} else {
			sqlite3_reset(v);
			sqlite3_bind_int64(v, 1, ids[k]);
			sqlite3_bind_int(v, 2, vers[k] - 1);
			if (sqlite3_step(v) == SQLITE_ROW)
				md_person_from_row(&cp->after, v, 0);
			cp->after.id = ids[k];
			if (strcmp(md_person_get(&cp->before, MD_F_STATUS), "resident") != 0 &&
			    strcmp(md_person_get(&cp->after, MD_F_STATUS), "resident") == 0)
				removes++;
		}
	}
	sqlite3_finalize(v);
	if (n == 0)
		cw_issue(w, 0, "cancels", 1, _("change %lld changed no record"), w->cancels);
	snprintf(w->reason, sizeof w->reason, "%s",
	         adds ? "cancel_remove" : removes ? "cancel_add" : "cancel_fix");
	return MD_OK;
}

/* Exactly one head in each household the change touches (once the change
 * has no other error). */
static void check_all_heads(struct md_ctx *ctx, struct cwork *w, const char *today)
{
	int i;

	if (md_issues_errors(w->issues) == 0) {
		long long seen[512];
		int nseen = 0;
		if (w->household)
			seen[nseen++] = w->household;
		for (i = 0; i < w->n && nseen < 510; i++) {
			long long hs[2] = { household_of(&w->p[i]), 0 };
			if (w->p[i].has_before)
				hs[1] = strtoll(md_person_get(&w->p[i].before, MD_F_HOUSEHOLD), NULL, 10);
			for (int k = 0; k < 2; k++) {
				int dup = 0;
				if (hs[k] <= 0)
					continue;
				for (int j = 0; j < nseen; j++)
					dup |= seen[j] == hs[k];
				if (!dup)
					seen[nseen++] = hs[k];
			}
		}
		for (i = 0; i < nseen; i++)
			check_heads(ctx, w, seen[i], 0, today);
		for (i = 0; i < w->n; i++)
			if (w->p[i].new_household) {
				check_heads(ctx, w, 0, 1, today);
				break;
			}
	}
}

int cw_check(struct md_ctx *ctx, struct cwork *w, struct md_error *err)
{
	const struct md_change_type *t = w->type;
	char today[11], name[128];
	int subjects = 0, i;

	cw_today(today);
	if (t->subject == MD_SUBJ_CHANGE) {
		if (w->n > 0)
			cw_issue(w, 0, "person", 1, _("a 取消 names a change, not persons"));
		else if (load_cancel(ctx, w, err) != MD_OK)
			return MD_E_DB;
		if (w->event_date[0] && strcmp(w->event_date, today) > 0)
			cw_issue(w, 0, "event_date", 1, _("the date of the event %s is after today"), w->event_date);
		/* The records it restores are changed like any other. */
		for (i = 0; i < w->n; i++)
			check_others(ctx, w, &w->p[i]);
		check_all_heads(ctx, w, today);
		return MD_OK;
	}
	if (t->subject == MD_SUBJ_HOUSEHOLD) {
		if (!w->household)
			cw_issue(w, 0, "household", 1, _("choose the household (世帯番号) of the %s"), t->name);
		else if (add_household_members(ctx, w, err) != MD_OK)
			return MD_E_DB;
	}
	if ((t->subject == MD_SUBJ_BIRTH || t->subject == MD_SUBJ_HOUSEHOLD || t->subject == MD_SUBJ_NEW ||
	     strcmp(t->code, "household_merge") == 0) && w->household) {
		static const char sql[] = "SELECT 1 FROM households WHERE id = ?1";
		sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
		int found;
		if (!s)
			return MD_E_DB;
		sqlite3_bind_int64(s, 1, w->household);
		found = sqlite3_step(s) == SQLITE_ROW;
		sqlite3_reset(s);
		if (!found)
			cw_issue(w, 0, "household", 1, _("there is no household %lld"), w->household);
	}

	/* Dates of the change. */
	if (w->event_date[0]) {
		if (!t->future_ok && strcmp(w->event_date, today) > 0)
			cw_issue(w, 0, "event_date", 1, _("the date of the event %s is after today"), w->event_date);
		if (t->future_ok && strcmp(w->event_date, today) < 0 && strcmp(t->code, "move_out") == 0)
			cw_issue(w, 0, "event_date", 0,
			         _("the planned move-out date %s has already passed"), w->event_date);
	}
	if (w->notified_on[0]) {
		if (strcmp(w->notified_on, today) > 0)
			cw_issue(w, 0, "notified_on", 1, _("the notification date %s is after today"),
			         w->notified_on);
		if (t->fourteen_days && w->event_date[0] &&
		    days_between_iso(w->event_date, w->notified_on) > 14) {
			w->late = 1;
			cw_issue(w, 0, "notified_on", 0,
			         _("期間経過: notified %d days after the event (the law gives 14); accepted and "
			           "flagged for follow-up"), days_between_iso(w->event_date, w->notified_on));
		}
		if (w->event_date[0] && strcmp(t->code, "move_in") == 0 &&
		    strcmp(w->notified_on, w->event_date) < 0)
			cw_issue(w, 0, "notified_on", 1, _("a 転入 cannot be notified before the move"));
	}

	for (i = 0; i < w->n; i++) {
		struct cperson *cp = &w->p[i];
		const char *st;

		if (cp->member) {
			if (!cp->person_id)
				cw_issue(w, cp->idx, "person", 1, _("a member restating its 続柄 must be an existing person"));
			continue;
		}
		subjects++;
		st = cp->has_before ? md_person_get(&cp->before, MD_F_STATUS) : "";
		switch (t->subject) {
		case MD_SUBJ_NEW:
		case MD_SUBJ_BIRTH:
			if (cp->person_id && cw_active(&cp->before, today)) {
				cw_issue(w, cp->idx, "person", 1,
				         _("宛名番号 %lld is already a resident here: a %s is for a person moving in "
				           "(use 転居 for a move within the city)"), cp->person_id, t->name);
				continue;
			}
			if (cp->person_id && t->subject == MD_SUBJ_BIRTH) {
				cw_issue(w, cp->idx, "person", 1, _("a birth records a new person"));
				continue;
			}
			break;
		default:
			if (!cp->person_id) {
				cw_issue(w, cp->idx, "person", 1, _("a %s acts on existing persons: give the 宛名番号"),
				         t->name);
				continue;
			}
			if (!cw_active(&cp->before, today) && strcmp(t->code, "clerical_fix") != 0 &&
			    strcmp(t->code, "ex_officio_fix") != 0 && strcmp(t->code, "minor_fix") != 0) {
				cw_issue(w, cp->idx, "person", 1, _("宛名番号 %lld is not a current resident (%s)"),
				         cp->person_id, st);
				continue;
			}
			break;
		}
	}
	if (subjects == 0 && t->subject != MD_SUBJ_CHANGE)
		cw_issue(w, 0, "person", 1, _("a %s needs at least one person"), t->name);

	/* What the form means for each person's record. */
	for (i = 0; i < w->n; i++) {
		struct cperson *cp = &w->p[i];
		struct md_person *a = &cp->after;

		if (cp->member)
			continue;
		switch (t->subject) {
		case MD_SUBJ_NEW:
			md_person_set(a, MD_F_STATUS, "resident");
			md_person_set(a, MD_F_REMOVAL_REASON, NULL);
			md_person_set(a, MD_F_REMOVAL_DATE, NULL);
			md_person_set(a, MD_F_OUT_PLANNED_DATE, NULL);
			md_person_set(a, MD_F_OUT_ADDRESS_PLANNED, NULL);
			md_person_set(a, MD_F_OUT_ADDRESS, NULL);
			md_person_set(a, MD_F_RESIDENT_SINCE, w->event_date);
			md_person_set(a, MD_F_ADDRESS_SINCE, w->event_date);
			md_person_set(a, MD_F_NOTIFIED_ON, w->notified_on[0] ? w->notified_on : NULL);
			if (!md_person_has(a, MD_F_RESIDENT_TYPE))
				md_person_set(a, MD_F_RESIDENT_TYPE, "japanese");
			if (strcmp(md_person_get(a, MD_F_RESIDENT_TYPE), "foreign") == 0)
				md_person_set(a, MD_F_FOREIGN_SINCE, w->event_date);
			if (w->household) {
				/* Joining a household means living at its address. */
				static const char sql[] =
					"SELECT postal_code, address_code, address, katagaki FROM persons "
					"WHERE household_id = ?1 AND relationship = '世帯主' AND status = 'resident'";
				sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
				if (s) {
					sqlite3_bind_int64(s, 1, w->household);
					if (sqlite3_step(s) == SQLITE_ROW) {
						if (md_person_has(a, MD_F_ADDRESS) &&
						    strcmp(md_person_get(a, MD_F_ADDRESS), md_col_text(s, 2)) != 0)
							cw_issue(w, cp->idx, "address", 0,
							         _("a person joining household %lld lives at its address: %s"),
							         w->household, md_col_text(s, 2));
						md_person_set(a, MD_F_POSTAL_CODE, md_col_text(s, 0));
						md_person_set(a, MD_F_ADDRESS_CODE, md_col_text(s, 1));
						md_person_set(a, MD_F_ADDRESS, md_col_text(s, 2));
						md_person_set(a, MD_F_KATAGAKI, md_col_text(s, 3));
					}
					sqlite3_reset(s);
				}
				set_household(cp, w->household);
			} else {
				set_household(cp, 0);
				cp->new_household = 1;
			}
			break;
		case MD_SUBJ_BIRTH:
			md_person_set(a, MD_F_STATUS, "resident");
			md_person_set(a, MD_F_RESIDENT_TYPE, "japanese");
			if (!md_person_has(a, MD_F_BIRTH_DATE))
				md_person_set(a, MD_F_BIRTH_DATE, w->event_date);
			else if (strcmp(md_person_get(a, MD_F_BIRTH_DATE), w->event_date) != 0)
				cw_issue(w, cp->idx, "birth_date", 1,
				         _("a birth's date of birth is the date of the event"));
			md_person_set(a, MD_F_RESIDENT_SINCE, w->event_date);
			md_person_set(a, MD_F_ADDRESS_SINCE, w->event_date);
			set_household(cp, w->household);
			break;
		default:
			break;
		}
		if (strcmp(t->code, "move_within") == 0) {
			int moved = 0;
			for (int f = 0; f < MD_F_COUNT; f++)
				if ((md_field(f)->flags & MD_FF_ADDRESS) && md_person_differs(&cp->before, a, f))
					moved = 1;
			if (!moved)
				cw_issue(w, cp->idx, "address", 1, _("the new address is the same as the old one"));
			md_person_set(a, MD_F_ADDRESS_SINCE, w->event_date);
			md_person_set(a, MD_F_NOTIFIED_ON, w->notified_on);
		} else if (strcmp(t->code, "move_out") == 0) {
			md_person_set(a, MD_F_STATUS, "moved_out");
			md_person_set(a, MD_F_OUT_PLANNED_DATE, w->event_date);
			md_person_set(a, MD_F_REMOVAL_REASON, w->reason);
			md_person_set(a, MD_F_REMOVAL_DATE, w->event_date);
			require(w, cp, MD_F_OUT_ADDRESS_PLANNED);
		} else if (strcmp(t->code, "death") == 0) {
			md_person_set(a, MD_F_STATUS, "dead");
			if (!md_person_has(a, MD_F_DEATH_DATE))
				md_person_set(a, MD_F_DEATH_DATE, w->event_date);
			md_person_set(a, MD_F_REMOVAL_REASON, w->reason);
			md_person_set(a, MD_F_REMOVAL_DATE, w->event_date);
		} else if (strcmp(t->code, "missing") == 0 || strcmp(t->code, "ex_officio_remove") == 0) {
			md_person_set(a, MD_F_STATUS, "removed");
			md_person_set(a, MD_F_REMOVAL_REASON, w->reason);
			md_person_set(a, MD_F_REMOVAL_DATE, w->event_date);
		} else if (strcmp(t->code, "household_split") == 0) {
			set_household(cp, 0);
			cp->new_household = 1;
		} else if (strcmp(t->code, "household_merge") == 0) {
			if (!w->household)
				cw_issue(w, 0, "household", 1, _("choose the household (世帯番号) they join"));
			else if (household_of(cp) == w->household)
				cw_issue(w, cp->idx, "household", 1, _("宛名番号 %lld is already in household %lld"),
				         cp->person_id, w->household);
			else {
				/* They take the address of the household they join. */
				static const char sql[] =
					"SELECT postal_code, address_code, address, katagaki FROM persons "
					"WHERE household_id = ?1 AND relationship = '世帯主' AND status = 'resident'";
				sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
				if (s) {
					sqlite3_bind_int64(s, 1, w->household);
					if (sqlite3_step(s) == SQLITE_ROW) {
						md_person_set(a, MD_F_POSTAL_CODE, md_col_text(s, 0));
						md_person_set(a, MD_F_ADDRESS_CODE, md_col_text(s, 1));
						md_person_set(a, MD_F_ADDRESS, md_col_text(s, 2));
						md_person_set(a, MD_F_KATAGAKI, md_col_text(s, 3));
					}
					sqlite3_reset(s);
				}
				set_household(cp, w->household);
			}
		}
		if (t->subject == MD_SUBJ_BIRTH && w->household) {
			/* A newborn lives at the household's address. */
			static const char sql[] =
				"SELECT postal_code, address_code, address, katagaki FROM persons "
				"WHERE household_id = ?1 AND relationship = '世帯主' AND status = 'resident'";
			sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
			if (s) {
				sqlite3_bind_int64(s, 1, w->household);
				if (sqlite3_step(s) == SQLITE_ROW) {
					md_person_set(a, MD_F_POSTAL_CODE, md_col_text(s, 0));
					md_person_set(a, MD_F_ADDRESS_CODE, md_col_text(s, 1));
					md_person_set(a, MD_F_ADDRESS, md_col_text(s, 2));
					md_person_set(a, MD_F_KATAGAKI, md_col_text(s, 3));
				}
				sqlite3_reset(s);
			}
		}
	}

	/* Items every record needs, and rules between items. */
	for (i = 0; i < w->n; i++) {
		struct cperson *cp = &w->p[i];
		struct md_person *a = &cp->after;
		int foreign = strcmp(md_person_get(a, MD_F_RESIDENT_TYPE), "foreign") == 0;

		if (cp->member) {
			/* Its record changes too (a new 続柄). */
			require(w, cp, MD_F_RELATIONSHIP);
			check_others(ctx, w, cp);
			continue;
		}
		require(w, cp, MD_F_SURNAME);
		if (!foreign)
			require(w, cp, MD_F_GIVEN_NAME);
		require(w, cp, MD_F_SURNAME_KANA);
		/* A name is recorded with its reading (氏名の振り仮名). */
		if (md_person_has(a, MD_F_GIVEN_NAME))
			require(w, cp, MD_F_GIVEN_NAME_KANA);
		require(w, cp, MD_F_BIRTH_DATE);
		require(w, cp, MD_F_SEX);
		require(w, cp, MD_F_RELATIONSHIP);
		require(w, cp, MD_F_ADDRESS);
		if (t->subject == MD_SUBJ_NEW) {
			if (!foreign) {
				require(w, cp, MD_F_HONSEKI);
				require(w, cp, MD_F_HITTOSHA);
			}
			if (strcmp(t->code, "move_in") == 0 || strcmp(t->code, "move_in_special") == 0 ||
			    strcmp(t->code, "move_in_abroad") == 0)
				require(w, cp, MD_F_PREVIOUS_ADDRESS);
			if (strcmp(t->code, "move_in_special") == 0 && !cp->mynumber[0])
				cw_issue(w, cp->idx, "mynumber", 1,
				         _("a 特例転入 is made with the My Number card: its 個人番号 is required"));
		}
		if (foreign) {
			if (md_person_has(a, MD_F_HONSEKI) || md_person_has(a, MD_F_HITTOSHA))
				cw_issue(w, cp->idx, "honseki", 1, _("a foreign resident has no 本籍・筆頭者"));
			if (t->subject == MD_SUBJ_NEW) {
				require(w, cp, MD_F_NATIONALITY);
				require(w, cp, MD_F_RESIDENCE_STATUS);
				if (!strstr(md_person_get(a, MD_F_RESIDENCE_STATUS), "永住者"))
					require(w, cp, MD_F_RESIDENCE_EXPIRY);
			}
		} else {
			static const enum md_field foreign_only[] = {
				MD_F_NATIONALITY, MD_F_RESIDENCE_STATUS, MD_F_RESIDENCE_PERIOD,
				MD_F_RESIDENCE_EXPIRY, MD_F_RESIDENCE_CARD_NO, MD_F_ALIAS, MD_F_ALIAS_KANA,
				MD_F_ART30_45, MD_F_NAME_ROMAN
			};
			for (size_t k = 0; k < sizeof foreign_only / sizeof foreign_only[0]; k++)
				if (md_person_has(a, foreign_only[k]) &&
				    (!cp->has_before || md_person_differs(&cp->before, a, foreign_only[k])))
					cw_issue(w, cp->idx, md_field(foreign_only[k])->column, 1,
					         _("%s is an item of foreign residents only"),
					         md_field(foreign_only[k])->label);
		}
		if (md_person_has(a, MD_F_ADDRESS_CODE) && md_person_has(a, MD_F_ADDRESS) &&
		    (!cp->has_before || md_person_differs(&cp->before, a, MD_F_ADDRESS))) {
			/* The 住所コード names a 町丁目: the address should be in it. */
			const struct md_tsv *dt = md_codes(MD_CODES_DISTRICTS);
			int r = md_tsv_find(dt, "code", md_person_get(a, MD_F_ADDRESS_CODE));
			if (r >= 0) {
				const char *chome = md_tsv_get(dt, r, "chome");
				char *want = strcmp(chome, "0") == 0
				             ? xasprintf("%s", md_tsv_get(dt, r, "district"))
				             : xasprintf("%s%s丁目", md_tsv_get(dt, r, "district"), chome);
				if (!strstr(md_person_get(a, MD_F_ADDRESS), want))
					cw_issue(w, cp->idx, "address_code", 0,
					         _("住所コード %s is %s, but the address is %s"),
					         md_person_get(a, MD_F_ADDRESS_CODE), want, md_person_get(a, MD_F_ADDRESS));
				free(want);
			}
		}
		if (md_person_has(a, MD_F_FORMER_SURNAME) != md_person_has(a, MD_F_FORMER_SURNAME_KANA))
			cw_issue(w, cp->idx, "former_surname_kana", 1,
			         _("旧氏 and its reading are recorded together"));
		if (md_person_has(a, MD_F_BIRTH_DATE)) {
			const char *b = md_person_get(a, MD_F_BIRTH_DATE);
			if (strcmp(b, today) > 0)
				cw_issue(w, cp->idx, "birth_date", 1, _("the date of birth %s is after today"), b);
			else if (w->event_date[0] && strncmp(b, "0000", 4) != 0 && strcmp(b, w->event_date) > 0)
				cw_issue(w, cp->idx, "birth_date", 1,
				         _("the date of birth %s is after the date of the event"), b);
		}
		if (md_person_has(a, MD_F_DEATH_DATE) &&
		    strcmp(md_person_get(a, MD_F_DEATH_DATE), today) > 0)
			cw_issue(w, cp->idx, "death_date", 1, _("the date of death is after today"));

		/* A 転居 changes the address and nothing else. */
		if (cp->has_before && strcmp(t->code, "move_within") == 0) {
			for (int f = 0; f < MD_F_COUNT; f++) {
				const struct md_field_def *d = md_field(f);
				if ((d->flags & (MD_FF_ADDRESS | MD_FF_SYSTEM)) || f == MD_F_MYNUMBER_ENC)
					continue;
				if (md_person_differs(&cp->before, a, f))
					cw_issue(w, cp->idx, d->column, 1,
					         _("a 転居 changes only the address: %s cannot change here"), d->label);
			}
		}
		/* A correction must correct something. */
		if (cp->has_before && (strcmp(t->code, "clerical_fix") == 0 ||
		                       strcmp(t->code, "ex_officio_fix") == 0 ||
		                       strcmp(t->code, "minor_fix") == 0)) {
			int changed = cp->mynumber_given;
			for (int f = 0; f < MD_F_COUNT; f++)
				if (md_person_differs(&cp->before, a, f))
					changed = 1;
			if (!changed)
				cw_issue(w, cp->idx, "", 1, _("nothing was changed"));
		}

		/* Numbers that identify one person only. */
		if (cp->mynumber[0]) {
			char idx[MD_HASH_HEX], status[24];
			long long other;
			md_keyed_hash_hex(ctx->keys.index, cp->mynumber, 12, idx);
			other = holder_of(ctx, "mynumber_idx", idx, cp->person_id, status, sizeof status);
			if (other && strcmp(status, "resident") == 0)
				cw_issue(w, cp->idx, "mynumber", 1,
				         _("this 個人番号 belongs to resident 宛名番号 %lld: a 転入 of a current "
				           "resident is an error"), other);
			else if (other)
				cw_issue(w, cp->idx, "mynumber", 1,
				         _("this 個人番号 belongs to the removed record 宛名番号 %lld: if the person "
				           "is returning, record the change on that record"), other);
			md_person_set(a, MD_F_MYNUMBER_IDX, idx);
		} else if (cp->mynumber_given) {
			md_person_set(a, MD_F_MYNUMBER_IDX, NULL);
		}
		if (md_person_has(a, MD_F_JUMINHYO_CODE) &&
		    (!cp->has_before || md_person_differs(&cp->before, a, MD_F_JUMINHYO_CODE))) {
			char status[24];
			long long other = holder_of(ctx, "juminhyo_code", md_person_get(a, MD_F_JUMINHYO_CODE),
			                            cp->person_id, status, sizeof status);
			if (other)
				cw_issue(w, cp->idx, "juminhyo_code", 1,
				         _("this 住民票コード belongs to 宛名番号 %lld"), other);
		}
		if (t->subject == MD_SUBJ_NEW || t->subject == MD_SUBJ_BIRTH)
			same_person_records(ctx, w, cp, today);
		(void)cp_name(cp, name, sizeof name);

		check_others(ctx, w, cp);
	}
	if (w->household) {
		struct md_error e;
		if (md_lock_check(ctx, MD_LOCK_HOUSEHOLD, w->household, &e) != MD_OK)
			cw_issue(w, 0, "household", 1, "%s", e.msg);
	}

	check_all_heads(ctx, w, today);
	return MD_OK;
}

int md_change_check(struct md_ctx *ctx, const struct md_args *args, struct md_issues *out,
                    struct md_error *err)
{
	struct cwork w;
	int rc;

	memset(&w, 0, sizeof w);
	w.issues = out;
	rc = cw_parse(ctx, args, &w, err);
	if (rc == MD_OK)
		rc = cw_check(ctx, &w, err);
	cw_release(&w);
	return rc;
}

