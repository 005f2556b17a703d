/* support.c: 抑止 and 支援措置 records: the period arithmetic of a measure,
 * and every write to suppressions and support_measures, each in one
 * transaction with its audit entry. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "ctx.h"
#include "i18n.h"
#include "store.h"
#include "support.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

/* Free-text items (reasons, contact, addresses) are at most this many characters. */
#define TEXT_MAX_CHARS 200

/* ---- dates ---------------------------------------------------------------- */

static int is_leap(int y)
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

static void write_iso(int y, int m, int d, char out[11])
{
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

int md_iso_add_days(const char *iso, long days, char out[11])
{
	int y, m, d;

	if (md_date_parse_iso(iso, &y, &m, &d) != 0)
		return -1;
	civil_from_days(md_days_from_civil(y, m, d) + days, &y, &m, &d);
	if (y < 1 || y > 9999)
		return -1;
	write_iso(y, m, d, out);
	return 0;
}

/* y-m moved by months, normalised. */
static void add_months(int *y, int *m, int months)
{
	int idx = *y * 12 + (*m - 1) + months;
	*y = idx / 12;
	*m = idx % 12 + 1;
}

int md_period_end(const char *start, int months, char out[11])
{
	int y, m, d, ty, tm;

	if (md_date_parse_iso(start, &y, &m, &d) != 0)
		return -1;
	ty = y;
	tm = m;
	add_months(&ty, &tm, months);
	if (ty < 1 || ty > 9999)
		return -1;
	if (d > month_days(ty, tm)) {
		/* No corresponding day: the period ends on the month's last day. */
		write_iso(ty, tm, month_days(ty, tm), out);
		return 0;
	}
	write_iso(ty, tm, d, out);
	return md_iso_add_days(out, -1, out);
}

int md_support_extend_from(const char *end, char out[11])
{
	char after[11];
	int y, m, d;

	if (md_iso_add_days(end, 1, after) != 0 || md_date_parse_iso(after, &y, &m, &d) != 0)
		return -1;
	add_months(&y, &m, -1);
	if (d > month_days(y, m))
		d = month_days(y, m);
	write_iso(y, m, d, out);
	return 0;
}

int md_support_extended_end(const char *end, char out[11])
{
	char after[11];

	if (md_iso_add_days(end, 1, after) != 0)
		return -1;
	return md_period_end(after, 12, out);
}

int md_support_date(const char *field, const char *text, char out[11], struct md_error *err)
{
	struct md_date d;
	struct md_error e;
	char iso[16];

	if (!text || !*text)
		return md_error_set(err, MD_E_INVALID, field, _("%s is missing: give a date such as "
		                    "令和7年4月1日, R7.4.1 or 2025-04-01"), field);
	if (md_date_parse(text, &d, &e) != MD_OK)
		return md_error_set(err, MD_E_INVALID, field, "%s: %s", field, e.msg);
	if (d.prec != MD_DATE_FULL || d.circa)
		return md_error_set(err, MD_E_INVALID, field,
		                    _("%s must be a full date (year, month and day), not \"%s\""), field, text);
	md_date_to_iso(&d, iso);
	memcpy(out, iso, 10);   /* a full date: YYYY-MM-DD */
	out[10] = '\0';
	return MD_OK;
}

/* ---- small helpers -------------------------------------------------------- */

static void today(char buf[11])
{
	md_date_local(md_time_now(), buf, 11);
}

static void now_iso(char buf[32])
{
	md_time_iso(md_time_now(), buf, 32);
}

static const char *actor(struct md_ctx *ctx)
{
	return ctx->session ? ctx->session->user : "-";
}

/* 令和8年3月31日 for a storage-form date (the date itself when it is not one). */
static const char *wareki(const char *iso, char *buf, size_t n)
{
	struct md_date d;
	if (md_date_from_iso(iso, &d) != 0)
		snprintf(buf, n, "%s", iso);
	else
		md_date_format_wareki(&d, buf, n);
	return buf;
}

/* A free-text item: no control characters, at most TEXT_MAX_CHARS characters. */
static int check_text(const char *field, const char *v, int required, struct md_error *err)
{
	size_t chars = 0;

	if (!v || !*v) {
		if (required)
			return md_error_set(err, MD_E_INVALID, field, _("%s is missing"), field);
		return MD_OK;
	}
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return md_error_set(err, MD_E_INVALID, field,
			                    _("%s must be one line of text without control characters"), field);
		if ((*p & 0xc0) != 0x80)
			chars++;
	}
	if (chars > TEXT_MAX_CHARS)
		return md_error_set(err, MD_E_INVALID, field, _("%s is too long: at most %d characters"),
		                    field, TEXT_MAX_CHARS);
	return MD_OK;
}

static int step_done(struct md_ctx *ctx, sqlite3_stmt *s, const char *what, struct md_error *err)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, what);
	return MD_OK;
}

/* The person's household, or -1 when there is no such person. */
static long long person_household(struct md_ctx *ctx, long long person_id, struct md_error *err)
{
	static const char sql[] = "SELECT household_id FROM persons WHERE id = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	long long h = -1;

	if (!s)
		return -2;
	sqlite3_bind_int64(s, 1, person_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		h = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return h;
}

static int person_exists(struct md_ctx *ctx, long long person_id, struct md_error *err)
{
	long long h = person_household(ctx, person_id, err);
	if (h == -2)
		return MD_E_DB;
	if (h < 0)
		return md_error_set(err, MD_E_NOTFOUND, "person", _("no person with 宛名番号 %lld"), person_id);
	return MD_OK;
}

/* One audit entry per person concerned: the person, or each member of the
 * household (so that a review by 宛名番号 finds a household's 抑止 too). */
static int audit_subjects(struct md_ctx *ctx, const char *function, long long person_id,
                          long long household_id, const char *action, const char *detail,
                          struct md_error *err)
{
	static const char members[] =
		"SELECT id FROM persons WHERE household_id = ?1 AND status IN ('resident','moved_out') "
		"ORDER BY id";
	char subject[24];
	struct md_audit_rec r = { NULL, function, subject, action, "ok", detail, 0 };
	long long ids[512];
	int n = 0, rc;
	sqlite3_stmt *s;

	if (person_id > 0) {
		snprintf(subject, sizeof subject, "%lld", person_id);
		return md_audit(ctx, &r, err);
	}
	if (!(s = md_store_stmt(ctx->store, members, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, household_id);
	while (n < 512 && sqlite3_step(s) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (n == 0) {
		r.subject = NULL;
		return md_audit(ctx, &r, err);
	}
	for (int i = 0; i < n; i++) {
		snprintf(subject, sizeof subject, "%lld", ids[i]);
		if ((rc = md_audit(ctx, &r, err)) != MD_OK)
			return rc;
	}
	return MD_OK;
}

/* ---- 抑止 ----------------------------------------------------------------- */

int md_suppression_set(struct md_ctx *ctx, const struct md_suppression_in *in, long long *id,
                       struct md_error *err)
{
	static const char hh_sql[] = "SELECT 1 FROM households WHERE id = ?1";
	static const char ins[] =
		"INSERT INTO suppressions (person_id, household_id, operation, mode, start_date, end_date, "
		"reason, set_by, set_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	char d[11], from[11], to[11] = "", now[32], w1[MD_DATE_TEXT_MAX], w2[MD_DATE_TEXT_MAX];
	char *detail;
	sqlite3_stmt *s;
	int rc;

	today(d);
	if ((in->person_id > 0) == (in->household_id > 0))
		return md_error_set(err, MD_E_INVALID, "person",
		                    _("name either a person (宛名番号) or a household (世帯番号), not both"));
	if (!in->operation || (strcmp(in->operation, "change") && strcmp(in->operation, "certificate") &&
	                       strcmp(in->operation, "lookup")))
		return md_error_set(err, MD_E_INVALID, "operation",
		                    _("operation must be change, certificate or lookup, not \"%s\""),
		                    in->operation ? in->operation : "");
	if (!in->mode || (strcmp(in->mode, "error") && strcmp(in->mode, "alert")))
		return md_error_set(err, MD_E_INVALID, "mode",
		                    _("mode must be error (blocks) or alert (needs acknowledgement), not \"%s\""),
		                    in->mode ? in->mode : "");
	if ((rc = check_text("reason", in->reason, 1, err)) != MD_OK)
		return rc;
	if (in->from && *in->from) {
		if ((rc = md_support_date("from", in->from, from, err)) != MD_OK)
			return rc;
	} else {
		snprintf(from, sizeof from, "%s", d);
	}
	if (in->to && *in->to) {
		if ((rc = md_support_date("to", in->to, to, err)) != MD_OK)
			return rc;
		if (strcmp(to, from) < 0)
			return md_error_set(err, MD_E_INVALID, "to", _("to (%s) is before from (%s)"),
			                    wareki(to, w1, sizeof w1), wareki(from, w2, sizeof w2));
		if (strcmp(to, d) < 0)
			return md_error_set(err, MD_E_INVALID, "to", _("to (%s) is already past"),
			                    wareki(to, w1, sizeof w1));
	}
	if (in->person_id > 0) {
		if ((rc = person_exists(ctx, in->person_id, err)) != MD_OK)
			return rc;
	} else {
		int found;
		if (!(s = md_store_stmt(ctx->store, hh_sql, err)))
			return MD_E_DB;
		sqlite3_bind_int64(s, 1, in->household_id);
		found = sqlite3_step(s) == SQLITE_ROW;
		sqlite3_reset(s);
		if (!found)
			return md_error_set(err, MD_E_NOTFOUND, "household", _("no household with 世帯番号 %lld"),
			                    in->household_id);
	}

	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if (!(s = md_store_stmt(ctx->store, ins, err))) {
		rc = MD_E_DB;
		goto fail;
	}
	now_iso(now);
	if (in->person_id > 0)
		sqlite3_bind_int64(s, 1, in->person_id);
	else
		sqlite3_bind_int64(s, 2, in->household_id);
	md_bind_text(s, 3, in->operation);
	md_bind_text(s, 4, in->mode);
	md_bind_text(s, 5, from);
	md_bind_text(s, 6, to[0] ? to : NULL);
	md_bind_text(s, 7, in->reason);
	md_bind_text(s, 8, actor(ctx));
	md_bind_text(s, 9, now);
	if ((rc = step_done(ctx, s, _("saving the suppression"), err)) != MD_OK)
		goto fail;
	*id = sqlite3_last_insert_rowid(md_store_db(ctx->store));
	if (in->household_id > 0)
		detail = xasprintf("suppression=%lld household=%lld operation=%s mode=%s from=%s to=%s reason=%s",
		                   *id, in->household_id, in->operation, in->mode, from, to[0] ? to : "-",
		                   in->reason);
	else
		detail = xasprintf("suppression=%lld operation=%s mode=%s from=%s to=%s reason=%s", *id,
		                   in->operation, in->mode, from, to[0] ? to : "-", in->reason);
	rc = audit_subjects(ctx, "suppression.set", in->person_id, in->household_id, "set", detail, err);
	free(detail);
	if (rc != MD_OK)
		goto fail;
	return md_store_commit(ctx->store, err);
fail:
	md_store_rollback(ctx->store);
	return rc;
}

struct sup_row {
	long long person_id, household_id;
	char end_date[11];
	int ended;
};

static int load_suppression(struct md_ctx *ctx, long long id, struct sup_row *r, struct md_error *err)
{
	static const char sql[] =
		"SELECT coalesce(person_id, 0), coalesce(household_id, 0), coalesce(end_date, ''), "
		"ended_at IS NOT NULL FROM suppressions WHERE id = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int found;

	if (!s)
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	if ((found = sqlite3_step(s) == SQLITE_ROW)) {
		r->person_id = sqlite3_column_int64(s, 0);
		r->household_id = sqlite3_column_int64(s, 1);
		snprintf(r->end_date, sizeof r->end_date, "%s", md_col_text(s, 2));
		r->ended = sqlite3_column_int(s, 3);
	}
	sqlite3_reset(s);
	if (!found)
		return md_error_set(err, MD_E_NOTFOUND, "id", _("no suppression number %lld"), id);
	return MD_OK;
}

int md_suppression_end(struct md_ctx *ctx, long long id, const char *reason, struct md_error *err)
{
	static const char upd[] =
		"UPDATE suppressions SET ended_at = ?2, ended_by = ?3 WHERE id = ?1 AND ended_at IS NULL";
	struct sup_row r;
	char now[32], *detail;
	sqlite3_stmt *s;
	int rc;

	if ((rc = check_text("reason", reason, 1, err)) != MD_OK)
		return rc;
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = load_suppression(ctx, id, &r, err)) != MD_OK)
		goto fail;
	if (r.ended) {
		rc = md_error_set(err, MD_E_CONFLICT, "id", _("suppression %lld has already ended"), id);
		goto fail;
	}
	if (!(s = md_store_stmt(ctx->store, upd, err))) {
		rc = MD_E_DB;
		goto fail;
	}
	now_iso(now);
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, now);
	md_bind_text(s, 3, actor(ctx));
	if ((rc = step_done(ctx, s, _("ending the suppression"), err)) != MD_OK)
		goto fail;
	detail = xasprintf("suppression=%lld reason=%s", id, reason);
	rc = audit_subjects(ctx, "suppression.end", r.person_id, r.household_id, "end", detail, err);
	free(detail);
	if (rc != MD_OK)
		goto fail;
	return md_store_commit(ctx->store, err);
fail:
	md_store_rollback(ctx->store);
	return rc;
}

int md_suppression_release(struct md_ctx *ctx, long long id, int minutes, const char *reason,
                           char until[24], struct md_error *err)
{
	static const char upd[] =
		"UPDATE suppressions SET released_until = ?2, released_by = ?3 WHERE id = ?1";
	struct sup_row r;
	char d[11], iso[32], *detail;
	time_t t;
	struct tm tm;
	sqlite3_stmt *s;
	int rc;

	if (minutes < 1 || minutes > 480)
		return md_error_set(err, MD_E_INVALID, "minutes",
		                    _("minutes must be a whole number from 1 to 480 (8 hours)"));
	if ((rc = check_text("reason", reason, 0, err)) != MD_OK)
		return rc;
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = load_suppression(ctx, id, &r, err)) != MD_OK)
		goto fail;
	today(d);
	if (r.ended || (r.end_date[0] && strcmp(r.end_date, d) < 0)) {
		rc = md_error_set(err, MD_E_CONFLICT, "id",
		                  _("suppression %lld is no longer in force: there is nothing to release"), id);
		goto fail;
	}
	t = md_time_now() + (time_t)minutes * 60;
	md_time_iso(t, iso, sizeof iso);
	localtime_r(&t, &tm);
	strftime(until, 24, "%Y-%m-%d %H:%M", &tm);
	if (!(s = md_store_stmt(ctx->store, upd, err))) {
		rc = MD_E_DB;
		goto fail;
	}
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, iso);
	md_bind_text(s, 3, actor(ctx));
	if ((rc = step_done(ctx, s, _("releasing the suppression"), err)) != MD_OK)
		goto fail;
	detail = xasprintf("suppression=%lld minutes=%d until=%s reason=%s", id, minutes, iso,
	                   reason && *reason ? reason : "-");
	rc = audit_subjects(ctx, "suppression.release", r.person_id, r.household_id, "release", detail, err);
	free(detail);
	if (rc != MD_OK)
		goto fail;
	return md_store_commit(ctx->store, err);
fail:
	md_store_rollback(ctx->store);
	return rc;
}

/* ---- 支援措置 ------------------------------------------------------------- */

/* In the order of the columns of sm_insert below. */
static const struct md_sm_item sm_items[] = {
	{ "contact", "連絡先", MD_SM_TEXT, 0 },
	{ "applicant_situation", "申出者の状況", MD_SM_TEXT, 0 },
	{ "protect_inspection", "閲覧の制限（現住所）", MD_SM_FLAG, 1 },
	{ "protect_copy", "住民票の写し等の交付の制限（現住所）", MD_SM_FLAG, 1 },
	{ "protect_removed_copy", "除票の写し等の交付の制限（前住所等）", MD_SM_FLAG, 1 },
	{ "previous_addresses", "前住所等", MD_SM_TEXT, 0 },
	{ "protect_koseki_fuhyo", "戸籍の附票の写しの交付の制限（現本籍）", MD_SM_FLAG, 0 },
	{ "protect_prev_fuhyo", "戸籍の附票の写しの交付の制限（前本籍等）", MD_SM_FLAG, 0 },
	{ "previous_honseki", "前本籍等", MD_SM_TEXT, 0 },
	{ "protect_fixed_asset", "固定資産課税台帳の閲覧等の制限", MD_SM_FLAG, 0 },
	{ "fixed_asset_municipality", "固定資産の所在市区町村", MD_SM_TEXT, 0 },
	{ "other", "その他", MD_SM_TEXT, 0 },
	{ "forwarded_to", "転送先市区町村名", MD_SM_TEXT, 0 },
	{ "forwarded_on", "転送年月日", MD_SM_DATE, 0 },
	{ "forwarded_duties", "転送した事務", MD_SM_TEXT, 0 },
	{ "forwarded_received_on", "転送を受けた年月日", MD_SM_DATE, 0 },
	{ "original_municipality", "当初受付市区町村", MD_SM_TEXT, 0 },
	{ "offender", "加害者", MD_SM_TEXT, 0 },
	{ NULL, NULL, MD_SM_TEXT, 0 }
};

#define SM_ITEMS ((int)(sizeof sm_items / sizeof sm_items[0]) - 1)

const struct md_sm_item *md_support_items(void)
{
	return sm_items;
}

static void support_out(struct md_support_out *out, long long id, const char *status, const char *start,
                        const char *end)
{
	if (!out)
		return;
	out->id = id;
	snprintf(out->status, sizeof out->status, "%s", status);
	snprintf(out->start, sizeof out->start, "%s", start);
	snprintf(out->end, sizeof out->end, "%s", end);
}

/* A measure of the person in force today, or 0. */
static long long measure_in_force(struct md_ctx *ctx, long long person_id, const char *d,
                                  struct md_error *err)
{
	static const char sql[] =
		"SELECT id FROM support_measures WHERE person_id = ?1 AND "
		"((status = 'provisional' AND (provisional_end IS NULL OR provisional_end >= ?2)) "
		" OR (status = 'active' AND (end_date IS NULL OR end_date >= ?2))) ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	long long id = 0;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, person_id);
	md_bind_text(s, 2, d);
	if (sqlite3_step(s) == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return id;
}

int md_support_set(struct md_ctx *ctx, long long person_id, int provisional, const char *from,
                   const char *to, const struct md_args *items, struct md_support_out *out,
                   struct md_error *err)
{
	static const char sm_insert[] =
		"INSERT INTO support_measures (person_id, status, start_date, end_date, provisional, "
		"provisional_start, provisional_end, set_by, set_at, contact, applicant_situation, "
		"protect_inspection, protect_copy, protect_removed_copy, previous_addresses, "
		"protect_koseki_fuhyo, protect_prev_fuhyo, previous_honseki, protect_fixed_asset, "
		"fixed_asset_municipality, other, forwarded_to, forwarded_on, forwarded_duties, "
		"forwarded_received_on, original_municipality, offender) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
		"?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, "
		"?25, ?26, ?27)";
	char d[11], start[11], end[11], now[32], dates[SM_ITEMS][11];
	char w1[MD_DATE_TEXT_MAX], w2[MD_DATE_TEXT_MAX];
	int flags[SM_ITEMS];
	long long existing, id;
	sqlite3_stmt *s;
	char *detail;
	int rc;

	today(d);
	if ((rc = person_exists(ctx, person_id, err)) != MD_OK)
		return rc;
	for (int i = 0; i < SM_ITEMS; i++) {
		const char *v = md_args_get(items, sm_items[i].column);
		flags[i] = sm_items[i].def;
		dates[i][0] = '\0';
		if (sm_items[i].kind == MD_SM_FLAG) {
			if (!v || !*v)
				continue;
			if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
				return md_error_set(err, MD_E_INVALID, sm_items[i].column,
				                    _("%s (%s) must be 1 (restricted) or 0 (not restricted), not \"%s\""),
				                    sm_items[i].column, sm_items[i].label, v);
			flags[i] = v[0] == '1';
		} else if (sm_items[i].kind == MD_SM_DATE) {
			if (v && *v && (rc = md_support_date(sm_items[i].column, v, dates[i], err)) != MD_OK)
				return rc;
		} else if ((rc = check_text(sm_items[i].column, v, 0, err)) != MD_OK) {
			return rc;
		}
	}
	if (provisional) {
		if (from && *from)
			return md_error_set(err, MD_E_INVALID, "from",
			                    _("a provisional measure (仮支援措置) starts today: leave out from"));
		snprintf(start, sizeof start, "%s", d);
		if (to && *to) {
			if ((rc = md_support_date("to", to, end, err)) != MD_OK)
				return rc;
			if (strcmp(end, d) < 0)
				return md_error_set(err, MD_E_INVALID, "to", _("to (%s) is already past"),
				                    wareki(end, w1, sizeof w1));
		} else if (md_period_end(start, 1, end) != 0) {
			return md_error_set(err, MD_E_INVALID, "to", _("cannot compute the end date"));
		}
	} else {
		if (from && *from) {
			if ((rc = md_support_date("from", from, start, err)) != MD_OK)
				return rc;
		} else {
			snprintf(start, sizeof start, "%s", d);
		}
		if (md_period_end(start, 12, end) != 0)
			return md_error_set(err, MD_E_INVALID, "from", _("cannot compute the end date"));
		if (to && *to)
			return md_error_set(err, MD_E_INVALID, "to",
			                    _("a support measure runs one year: from %s it ends on %s; leave out to"),
			                    wareki(start, w1, sizeof w1), wareki(end, w2, sizeof w2));
		if (strcmp(end, d) < 0)
			return md_error_set(err, MD_E_INVALID, "from",
			                    _("a measure starting on %s would have ended on %s already"),
			                    wareki(start, w1, sizeof w1), wareki(end, w2, sizeof w2));
	}

	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((existing = measure_in_force(ctx, person_id, d, err)) != 0) {
		if (existing > 0)
			rc = md_error_set(err, MD_E_CONFLICT, "person",
			                  _("person %lld already has support measure %lld in force: confirm, "
			                    "extend or end that one"), person_id, existing);
		else
			rc = MD_E_DB;
		goto fail;
	}
	if (!(s = md_store_stmt(ctx->store, sm_insert, err))) {
		rc = MD_E_DB;
		goto fail;
	}
	now_iso(now);
	sqlite3_bind_int64(s, 1, person_id);
	md_bind_text(s, 2, provisional ? "provisional" : "active");
	md_bind_text(s, 3, provisional ? NULL : start);
	md_bind_text(s, 4, provisional ? NULL : end);
	sqlite3_bind_int(s, 5, provisional ? 1 : 0);
	md_bind_text(s, 6, provisional ? start : NULL);
	md_bind_text(s, 7, provisional ? end : NULL);
	md_bind_text(s, 8, actor(ctx));
	md_bind_text(s, 9, now);
	for (int i = 0; i < SM_ITEMS; i++) {
		const char *v = md_args_get(items, sm_items[i].column);
		if (sm_items[i].kind == MD_SM_FLAG)
			sqlite3_bind_int(s, 10 + i, flags[i]);
		else if (sm_items[i].kind == MD_SM_DATE)
			md_bind_text(s, 10 + i, dates[i][0] ? dates[i] : NULL);
		else
			md_bind_text(s, 10 + i, v && *v ? v : NULL);
	}
	if ((rc = step_done(ctx, s, _("saving the support measure"), err)) != MD_OK)
		goto fail;
	id = sqlite3_last_insert_rowid(md_store_db(ctx->store));
	/* The details of a measure stay out of the log: only its number and dates. */
	detail = xasprintf("measure=%lld status=%s start=%s end=%s", id,
	                   provisional ? "provisional" : "active", start, end);
	rc = audit_subjects(ctx, "support.set", person_id, 0, provisional ? "provisional" : "active",
	                    detail, err);
	free(detail);
	if (rc != MD_OK)
		goto fail;
	if ((rc = md_store_commit(ctx->store, err)) != MD_OK)
		return rc;
	support_out(out, id, provisional ? "provisional" : "active", start, end);
	return MD_OK;
fail:
	md_store_rollback(ctx->store);
	return rc;
}

struct sm_row {
	long long person_id;
	char status[16];
	char start[11], end[11];
};

static int load_measure(struct md_ctx *ctx, long long id, struct sm_row *r, struct md_error *err)
{
	static const char sql[] =
		"SELECT person_id, status, coalesce(start_date, ''), coalesce(end_date, '') "
		"FROM support_measures WHERE id = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int found;

	if (!s)
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	if ((found = sqlite3_step(s) == SQLITE_ROW)) {
		r->person_id = sqlite3_column_int64(s, 0);
		snprintf(r->status, sizeof r->status, "%s", md_col_text(s, 1));
		snprintf(r->start, sizeof r->start, "%s", md_col_text(s, 2));
		snprintf(r->end, sizeof r->end, "%s", md_col_text(s, 3));
	}
	sqlite3_reset(s);
	if (!found)
		return md_error_set(err, MD_E_NOTFOUND, "id", _("no support measure number %lld"), id);
	return MD_OK;
}

int md_support_confirm(struct md_ctx *ctx, long long id, const char *from, struct md_support_out *out,
                       struct md_error *err)
{
	static const char upd[] =
		"UPDATE support_measures SET status = 'active', start_date = ?2, end_date = ?3, "
		"provisional = 1, updated_by = ?4, updated_at = ?5 WHERE id = ?1";
	char d[11], start[11], end[11], now[32], w1[MD_DATE_TEXT_MAX], w2[MD_DATE_TEXT_MAX], *detail;
	struct sm_row r;
	sqlite3_stmt *s;
	int rc;

	today(d);
	if (from && *from) {
		if ((rc = md_support_date("from", from, start, err)) != MD_OK)
			return rc;
	} else {
		snprintf(start, sizeof start, "%s", d);
	}
	if (md_period_end(start, 12, end) != 0)
		return md_error_set(err, MD_E_INVALID, "from", _("cannot compute the end date"));
	if (strcmp(end, d) < 0)
		return md_error_set(err, MD_E_INVALID, "from",
		                    _("a measure starting on %s would have ended on %s already"),
		                    wareki(start, w1, sizeof w1), wareki(end, w2, sizeof w2));
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = load_measure(ctx, id, &r, err)) != MD_OK)
		goto fail;
	if (strcmp(r.status, "provisional") != 0) {
		rc = md_error_set(err, MD_E_CONFLICT, "id",
		                  _("support measure %lld is %s, not provisional: only a provisional measure "
		                    "(仮支援措置) is confirmed"), id, r.status);
		goto fail;
	}
	if (!(s = md_store_stmt(ctx->store, upd, err))) {
		rc = MD_E_DB;
		goto fail;
	}
	now_iso(now);
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, start);
	md_bind_text(s, 3, end);
	md_bind_text(s, 4, actor(ctx));
	md_bind_text(s, 5, now);
	if ((rc = step_done(ctx, s, _("confirming the support measure"), err)) != MD_OK)
		goto fail;
	detail = xasprintf("measure=%lld start=%s end=%s", id, start, end);
	rc = audit_subjects(ctx, "support.confirm", r.person_id, 0, "confirm", detail, err);
	free(detail);
	if (rc != MD_OK)
		goto fail;
	if ((rc = md_store_commit(ctx->store, err)) != MD_OK)
		return rc;
	support_out(out, id, "active", start, end);
	return MD_OK;
fail:
	md_store_rollback(ctx->store);
	return rc;
}

int md_support_extend(struct md_ctx *ctx, long long id, struct md_support_out *out,
                      struct md_error *err)
{
	static const char upd[] =
		"UPDATE support_measures SET end_date = ?2, updated_by = ?3, updated_at = ?4 WHERE id = ?1";
	char d[11], first[11], end[11], now[32], w1[MD_DATE_TEXT_MAX], w2[MD_DATE_TEXT_MAX], *detail;
	struct sm_row r;
	sqlite3_stmt *s;
	int rc;

	today(d);
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = load_measure(ctx, id, &r, err)) != MD_OK)
		goto fail;
	if (strcmp(r.status, "ended") == 0) {
		rc = md_error_set(err, MD_E_CONFLICT, "id",
		                  _("support measure %lld has ended: set a new measure"), id);
		goto fail;
	}
	if (strcmp(r.status, "provisional") == 0) {
		rc = md_error_set(err, MD_E_CONFLICT, "id",
		                  _("support measure %lld is provisional (仮支援措置): confirm it first"), id);
		goto fail;
	}
	if (md_support_extend_from(r.end, first) != 0 || md_support_extended_end(r.end, end) != 0) {
		rc = md_error_set(err, MD_E_INVALID, "id", _("support measure %lld has no valid end date"), id);
		goto fail;
	}
	if (strcmp(d, r.end) > 0) {
		rc = md_error_set(err, MD_E_CONFLICT, "id",
		                  _("support measure %lld ended on %s: it can no longer be extended; set a "
		                    "new measure"), id, wareki(r.end, w1, sizeof w1));
		goto fail;
	}
	if (strcmp(d, first) < 0) {
		rc = md_error_set(err, MD_E_CONFLICT, "id",
		                  _("support measure %lld ends on %s: it can be extended from %s (one month "
		                    "before it ends), not earlier"), id, wareki(r.end, w1, sizeof w1),
		                  wareki(first, w2, sizeof w2));
		goto fail;
	}
	if (!(s = md_store_stmt(ctx->store, upd, err))) {
		rc = MD_E_DB;
		goto fail;
	}
	now_iso(now);
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, end);
	md_bind_text(s, 3, actor(ctx));
	md_bind_text(s, 4, now);
	if ((rc = step_done(ctx, s, _("extending the support measure"), err)) != MD_OK)
		goto fail;
	detail = xasprintf("measure=%lld end=%s new_end=%s", id, r.end, end);
	rc = audit_subjects(ctx, "support.extend", r.person_id, 0, "extend", detail, err);
	free(detail);
	if (rc != MD_OK)
		goto fail;
	if ((rc = md_store_commit(ctx->store, err)) != MD_OK)
		return rc;
	support_out(out, id, "active", r.start, end);
	return MD_OK;
fail:
	md_store_rollback(ctx->store);
	return rc;
}

int md_support_end(struct md_ctx *ctx, long long id, const char *reason,
                   const char *no_need_notified_on, struct md_error *err)
{
	static const char upd[] =
		"UPDATE support_measures SET status = 'ended', ended_by = ?2, ended_at = ?3, end_reason = ?4, "
		"no_need_notified_on = coalesce(?5, no_need_notified_on) WHERE id = ?1";
	char no_need[11] = "", now[32], *detail;
	struct sm_row r;
	sqlite3_stmt *s;
	int rc;

	if ((rc = check_text("reason", reason, 1, err)) != MD_OK)
		return rc;
	if (no_need_notified_on && *no_need_notified_on &&
	    (rc = md_support_date("no_need_notified_on", no_need_notified_on, no_need, err)) != MD_OK)
		return rc;
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = load_measure(ctx, id, &r, err)) != MD_OK)
		goto fail;
	if (strcmp(r.status, "ended") == 0) {
		rc = md_error_set(err, MD_E_CONFLICT, "id", _("support measure %lld has already ended"), id);
		goto fail;
	}
	if (!(s = md_store_stmt(ctx->store, upd, err))) {
		rc = MD_E_DB;
		goto fail;
	}
	now_iso(now);
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, actor(ctx));
	md_bind_text(s, 3, now);
	md_bind_text(s, 4, reason);
	md_bind_text(s, 5, no_need[0] ? no_need : NULL);
	if ((rc = step_done(ctx, s, _("ending the support measure"), err)) != MD_OK)
		goto fail;
	/* The reason stays in the measure (end_reason), out of the log. */
	detail = xasprintf("measure=%lld was=%s", id, r.status);
	rc = audit_subjects(ctx, "support.end", r.person_id, 0, "end", detail, err);
	free(detail);
	if (rc != MD_OK)
		goto fail;
	return md_store_commit(ctx->store, err);
fail:
	md_store_rollback(ctx->store);
	return rc;
}
