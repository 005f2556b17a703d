/* record.c: reading what is held on one person as the clerk sees it: the
 * record (住民票) with its 抑止 and 支援措置 rows, the household in the
 * certificate order, the history of versions, and the deliberate reveal of
 * a My Number. Finding persons is search.c. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "change.h"
#include "change_impl.h"
#include "checkdigit.h"
#include "codes.h"
#include "ctx.h"
#include "i18n.h"
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


/* ---- how items read ---------------------------------------------------------- */

static int is_foreign(const struct md_person *p)
{
	return strcmp(md_person_get(p, MD_F_RESIDENT_TYPE), "foreign") == 0;
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
		md_search_date_text(v, f == MD_F_BIRTH_DATE && strcmp(md_person_get(p, MD_F_BIRTH_CIRCA), "1") == 0,
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
		snprintf(buf, n, "%s", md_search_status_text(v, md_person_get(p, MD_F_REMOVAL_DATE), today));
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
		md_search_audit(ctx, function, id, "view", "denied", "抑止 (lookup)", 0, NULL);
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
		struct md_sbuf v = { 0 };
		md_search_date_text(md_col_text(s, 2), 0, foreign, from, sizeof from);
		md_search_date_text(md_col_text(s, 3), 0, foreign, to, sizeof to);
		/* TRANSLATORS: 抑止 row of a record: operation, blocks or alerts, from ~ to, reason. */
		md_sb_add(&v, _("%s: %s, %s〜%s: %s"), operation_name(md_col_text(s, 0)),
		       strcmp(md_col_text(s, 1), "error") == 0 ? _("blocked") : _("alert"), from, to,
		       md_col_text(s, 4));
		if (sqlite3_column_int(s, 6))
			md_sb_add(&v, " %s", _("(whole household)"));
		if (*md_col_text(s, 5))
			md_sb_add(&v, " %s %s", _("temporarily released until"), md_col_text(s, 5));
		add_row(res, "抑止", md_sb_str(&v));
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
				md_search_date_text(v, 0, foreign, buf, sizeof buf);
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
	struct md_sbuf detail = { 0 };
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
		md_sb_add(&detail, "viewed after alert");
	if (detailed)
		md_sb_add(&detail, "%ssupport details shown", detail.len ? ", " : "");
	if (opts->honseki && (md_person_has(&p, MD_F_HONSEKI) || md_person_has(&p, MD_F_HITTOSHA)))
		md_sb_add(&detail, "%shonseki shown", detail.len ? ", " : "");
	rc = md_search_audit(ctx, "resident.view", id, "view", "ok", detail.p, 0, err);
	free(detail.p);
	if (rc != MD_OK) {
		md_result_release(res);
		md_result_init(res);
		goto out;
	}
	name = md_search_join_name(md_person_get(&p, MD_F_SURNAME), md_person_get(&p, MD_F_GIVEN_NAME));
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
		x->name = md_search_join_name(md_col_text(s, 2), md_col_text(s, 3));
		x->kana = md_search_join_name(md_col_text(s, 4), md_col_text(s, 5));
		md_search_date_text(md_col_text(s, 6), sqlite3_column_int(s, 7),
		          strcmp(md_col_text(s, 11), "foreign") == 0, b, sizeof b);
		x->birth = xstrdup(b);
		x->birth_iso = xstrdup(md_col_text(s, 6));
		x->hittosha = xstrdup(md_col_text(s, 12));
		x->status = xstrdup(md_search_status_text(md_col_text(s, 9), md_col_text(s, 10), today));
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
		rc = md_search_audit(ctx, "resident.household", person, "view household", "ok", detail, 0, err);
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
		struct md_sbuf c = { 0 };
		for (int f = 0; f < MD_F_COUNT; f++)
			md_sb_add(&c, "%sv.%s", f ? ", " : "", md_field(f)->column);
		sql = xasprintf("SELECT v.version, c.event_date, c.type, c.reason, c.made_by, "
		                "coalesce(c.decided_by, ''), v.recorded_at, %s FROM person_versions v "
		                "JOIN changes c ON c.id = v.change_id WHERE v.person_id = ?1 "
		                "ORDER BY v.version", md_sb_str(&c));
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
		struct md_sbuf changed = { 0 };
		char version[16], date[MD_DATE_TEXT_MAX], at[32];
		const char *row[8];

		md_person_init(&v);
		md_person_from_row(&v, s, 7);
		snprintf(version, sizeof version, "%d", sqlite3_column_int(s, 0));
		md_search_date_text(md_col_text(s, 1), 0, is_foreign(&v), date, sizeof date);
		local_time(md_col_text(s, 6), at, sizeof at);
		for (int f = 0; have_prev && f < MD_F_COUNT; f++) {
			if (f == MD_F_MYNUMBER_IDX || !md_person_differs(&prev, &v, f))
				continue;
			if (shows_values((enum md_field)f))
				md_sb_add(&changed, "%s%s (%s → %s)", changed.len ? ", " : "", md_field(f)->label,
				       md_person_get(&prev, f), md_person_get(&v, f));
			else
				md_sb_add(&changed, "%s%s", changed.len ? ", " : "", md_field(f)->label);
		}
		row[0] = version;
		row[1] = date;
		row[2] = change_name(md_col_text(s, 2));
		row[3] = code_name(MD_CODES_REASONS, "name", md_col_text(s, 3));
		row[4] = md_col_text(s, 4);
		row[5] = md_col_text(s, 5);
		row[6] = at;
		row[7] = md_sb_str(&changed);
		md_table_add(&res->table, row);
		free(changed.p);
		md_person_release(&prev);
		prev = v;   /* moves */
		have_prev = 1;
		n++;
	}
	sqlite3_reset(s);
	detail = xasprintf("versions=%d%s", n, pr.alert ? " viewed after alert" : "");
	rc = md_search_audit(ctx, "resident.history", id, "view history", "ok", detail, 0, err);
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
	if ((rc = md_search_audit(ctx, "mynumber.reveal", id, "reveal", "ok", pr.alert ? "after alert" : NULL, 1,
	                err)) != MD_OK)
		goto out;
	md_result_message(res, "%s", clear);
out:
	memset(clear, 0, sizeof clear);
	md_person_release(&p);
	return rc;
}
