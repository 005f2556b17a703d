/* report.c: the supervisor's daily report (日報): certificates and fees per
 * terminal and type, changes waiting for approval and their age, 支援措置
 * ending within a month, certificates voided. Counts and numbers only: no
 * names or addresses of residents. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "certificate.h"
#include "change.h"
#include "ctx.h"
#include "i18n.h"
#include "report.h"
#include "result.h"
#include "store.h"
#include "timeutil.h"
#include "xalloc.h"

static const struct {
	const char *name;
	int bit;
} sections[] = {
	{ "certificates", MD_REPORT_CERTIFICATES },
	{ "waiting", MD_REPORT_WAITING },
	{ "expiring", MD_REPORT_EXPIRING },
	{ "voided", MD_REPORT_VOIDED },
	{ "all", MD_REPORT_ALL },
};

int md_report_section(const char *name)
{
	if (!name || !*name)
		return MD_REPORT_ALL;
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
		if (strcmp(sections[i].name, name) == 0)
			return sections[i].bit;
	return -1;
}

/* 12345 -> "12,345円" */
static void yen(long long v, char *buf, size_t n)
{
	char digits[32], out[48];
	int len, o = 0;
	snprintf(digits, sizeof digits, "%lld", v < 0 ? -v : v);
	len = (int)strlen(digits);
	if (v < 0)
		out[o++] = '-';
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	snprintf(buf, n, "%s円", out);
}

static void row(struct md_table *t, const char *section, const char *item, const char *count,
                const char *fees, const char *detail)
{
	const char *cells[5] = { section, item, count, fees, detail };
	md_table_add(t, cells);
}

static const char *cert_name(const char *code)
{
	const struct md_cert_type_def *d = md_cert_type_find(code);
	return d ? d->name : code;
}

static int certificates(struct md_ctx *ctx, const char *date, struct md_table *t, struct md_error *err)
{
	static const char sql[] =
		"SELECT terminal, cert_type, count(*), sum(pages), sum(fee), sum(official) FROM issuances "
		"WHERE issued_on = ?1 AND voided_at IS NULL GROUP BY terminal, cert_type "
		"ORDER BY terminal, cert_type";
	const char *sec = _("Certificates issued");
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	long long n_all = 0, fee_all = 0, n_term = 0, fee_term = 0;
	char term[64] = "", item[256], count[32], fees[48], detail[160];
	int rows = 0, terms = 0, rc;

	if (!s)
		return MD_E_DB;
	md_bind_text(s, 1, date);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *tm = md_col_text(s, 0);
		long long n = sqlite3_column_int64(s, 2), fee = sqlite3_column_int64(s, 4);
		if (rows && strcmp(term, tm) != 0) {
			snprintf(item, sizeof item, _("%s total"), term);
			snprintf(count, sizeof count, "%lld", n_term);
			yen(fee_term, fees, sizeof fees);
			row(t, sec, item, count, fees, "");
			n_term = fee_term = 0;
		}
		if (!rows || strcmp(term, tm) != 0)
			terms++;
		snprintf(term, sizeof term, "%s", tm);
		snprintf(item, sizeof item, "%s %s", tm, cert_name(md_col_text(s, 1)));
		snprintf(count, sizeof count, "%lld", n);
		yen(fee, fees, sizeof fees);
		snprintf(detail, sizeof detail, _("pages: %lld, official (公用): %lld"),
		         sqlite3_column_int64(s, 3), sqlite3_column_int64(s, 5));
		row(t, sec, item, count, fees, detail);
		n_term += n;
		fee_term += fee;
		n_all += n;
		fee_all += fee;
		rows++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("reading the issuance history"));
	if (rows) {
		snprintf(item, sizeof item, _("%s total"), term);
		snprintf(count, sizeof count, "%lld", n_term);
		yen(fee_term, fees, sizeof fees);
		row(t, sec, item, count, fees, "");
	}
	snprintf(count, sizeof count, "%lld", n_all);
	yen(fee_all, fees, sizeof fees);
	snprintf(detail, sizeof detail, _("terminals: %d"), terms);
	row(t, sec, rows ? _("All terminals") : _("(none)"), count, fees, rows ? detail : "");
	return MD_OK;
}

/* The UTC instants of the local day's start and of the next day's start,
 * as stored in the *_at columns ("2026-11-22T15:00:00Z"). */
static void day_bounds(const char *date, char lo[32], char hi[32])
{
	struct tm tm;
	int y = 0, m = 0, d = 0;

	sscanf(date, "%d-%d-%d", &y, &m, &d);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	md_time_iso(mktime(&tm), lo, 32);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d + 1;
	tm.tm_isdst = -1;
	md_time_iso(mktime(&tm), hi, 32);
}

static int waiting(struct md_ctx *ctx, const char *date, struct md_table *t, struct md_error *err)
{
	/* Waiting at the end of the day: made by then, and provisional now or
	 * decided only after it (changes_status and changes_decided serve both). */
	static const char sql[] =
		"SELECT id, type, made_by, date(made_at, 'localtime'), "
		"CAST(julianday(?1) - julianday(date(made_at, 'localtime')) AS INTEGER), made_at FROM ("
		"SELECT * FROM changes WHERE status = 'provisional' AND made_at < ?2 "
		"UNION ALL SELECT * FROM changes WHERE decided_at >= ?2 AND status <> 'provisional' "
		"AND made_at < ?2) ORDER BY made_at, id";
	const char *sec = _("Changes waiting for approval");
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	char item[160], detail[256], lo[32], hi[32];
	int rows = 0, rc;

	if (!s)
		return MD_E_DB;
	day_bounds(date, lo, hi);
	md_bind_text(s, 1, date);
	md_bind_text(s, 2, hi);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const struct md_change_type *ct = md_change_type(md_col_text(s, 1));
		long long age = sqlite3_column_int64(s, 4);
		snprintf(item, sizeof item, _("change %lld %s"), sqlite3_column_int64(s, 0),
		         ct ? ct->name : md_col_text(s, 1));
		snprintf(detail, sizeof detail, _("days waiting: %lld (made %s by %s)"), age,
		         md_col_text(s, 3), md_col_text(s, 2));
		row(t, sec, item, "", "", detail);
		rows++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("reading the changes"));
	if (!rows)
		row(t, sec, _("(none)"), "", "", "");
	return MD_OK;
}

static int expiring(struct md_ctx *ctx, const char *date, struct md_table *t, struct md_error *err)
{
	static const char sql[] =
		"SELECT id, person_id, status, e, CAST(julianday(e) - julianday(?1) AS INTEGER) FROM "
		"(SELECT id, person_id, status, CASE WHEN status = 'provisional' AND provisional_end IS NOT NULL "
		"THEN provisional_end ELSE end_date END AS e FROM support_measures WHERE status <> 'ended') "
		"WHERE e IS NOT NULL AND e >= ?1 AND e <= date(?1, '+1 month') ORDER BY e, id";
	const char *sec = _("支援措置 ending within a month");
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	char item[160], detail[256];
	int rows = 0, rc;

	if (!s)
		return MD_E_DB;
	md_bind_text(s, 1, date);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		snprintf(item, sizeof item, _("measure %lld (宛名番号 %lld)"), sqlite3_column_int64(s, 0),
		         sqlite3_column_int64(s, 1));
		snprintf(detail, sizeof detail,
		         strcmp(md_col_text(s, 2), "provisional") == 0
		         ? _("provisional measure ends %s (days left: %lld)") : _("ends %s (days left: %lld)"),
		         md_col_text(s, 3), sqlite3_column_int64(s, 4));
		row(t, sec, item, "", "", detail);
		rows++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("reading the support measures"));
	if (!rows)
		row(t, sec, _("(none)"), "", "", "");
	return MD_OK;
}

static int voided(struct md_ctx *ctx, const char *date, struct md_table *t, struct md_error *err)
{
	static const char sql[] =
		"SELECT issue_number, cert_type, terminal, fee, voided_by, void_reason, issued_on "
		"FROM issuances WHERE voided_at >= ?1 AND voided_at < ?2 ORDER BY voided_at, id";
	const char *sec = _("Certificates voided");
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	char item[320], fees[48], detail[512], lo[32], hi[32];
	int rows = 0, rc;

	if (!s)
		return MD_E_DB;
	day_bounds(date, lo, hi);
	md_bind_text(s, 1, lo);
	md_bind_text(s, 2, hi);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		snprintf(item, sizeof item, "%s %s", cert_name(md_col_text(s, 1)), md_col_text(s, 0));
		yen(sqlite3_column_int64(s, 3), fees, sizeof fees);
		snprintf(detail, sizeof detail, _("issued %s at %s, voided by %s: %s"), md_col_text(s, 6),
		         md_col_text(s, 2), md_col_text(s, 4), md_col_text(s, 5));
		row(t, sec, item, "1", fees, detail);
		rows++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("reading the issuance history"));
	if (!rows)
		row(t, sec, _("(none)"), "", "", "");
	return MD_OK;
}

int md_report_daily(struct md_ctx *ctx, const char *date, int which, struct md_table *out,
                    struct md_error *err)
{
	const char *cols[5] = { _("Section"), _("Item"), _("Count"), _("Fees"), _("Detail") };
	int y, m, d, rc = MD_OK;

	md_table_init(out, 5, cols);
	if (md_date_parse_iso(date, &y, &m, &d) != 0)
		return md_error_set(err, MD_E_INVALID, "date", _("date must be a real day YYYY-MM-DD, not \"%s\""),
		                    date);
	if (which & MD_REPORT_CERTIFICATES)
		rc = certificates(ctx, date, out, err);
	if (rc == MD_OK && (which & MD_REPORT_WAITING))
		rc = waiting(ctx, date, out, err);
	if (rc == MD_OK && (which & MD_REPORT_EXPIRING))
		rc = expiring(ctx, date, out, err);
	if (rc == MD_OK && (which & MD_REPORT_VOIDED))
		rc = voided(ctx, date, out, err);
	return rc;
}
