/* protect.c: checking suppressions and support measures. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ctx.h"
#include "i18n.h"
#include "protect.h"
#include "store.h"
#include "support.h"
#include "timeutil.h"
#include "wareki.h"

static void append(struct md_protect *p, const char *text)
{
	size_t len = strlen(p->msg);
	snprintf(p->msg + len, sizeof p->msg - len, "%s%s", len ? " " : "", text);
}

/* A suppression applies when it is not ended, today is within its dates,
 * and it is not under a temporary release (一時解除) at this moment. A
 * household's suppression applies to each of its members: when only a
 * person is given, their household's suppressions are checked too.
 *
 * A support measure applies while active (start..end) or provisional
 * (provisional start..end). An active measure is "expiring" from the first
 * day it may be extended (md_support_extend_from: one month before it
 * expires, e.g. 2027-03-01 for an end on 2027-03-31) to its end, inclusive:
 * the alert of that last month. A provisional measure is never expiring (it
 * is confirmed, not extended). */
int md_protect_check(struct md_ctx *ctx, long long person_id, long long household_id,
                     const char *operation, struct md_protect *out, struct md_error *err)
{
	static const char sup_sql[] =
		"SELECT mode, reason, coalesce(end_date, '') FROM suppressions "
		"WHERE ((?1 > 0 AND person_id = ?1) OR (?2 > 0 AND household_id = ?2) "
		"       OR (?1 > 0 AND household_id = (SELECT household_id FROM persons WHERE id = ?1))) "
		"AND operation = ?3 AND ended_at IS NULL AND start_date <= ?4 "
		"AND (end_date IS NULL OR end_date >= ?4) "
		"AND (released_until IS NULL OR released_until <= ?5) ORDER BY id";
	static const char sm_sql[] =
		"SELECT id, status, coalesce(end_date, ''), coalesce(provisional_end, '') "
		"FROM support_measures WHERE person_id = ?1 AND status <> 'ended' "
		"AND ((status = 'active' AND start_date <= ?2 AND (end_date IS NULL OR end_date >= ?2)) "
		"  OR (status = 'provisional' AND (provisional_start IS NULL OR provisional_start <= ?2) "
		"      AND (provisional_end IS NULL OR provisional_end >= ?2))) "
		"ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *s;
	char today[11], now[32], first[11];
	char line[300];

	memset(out, 0, sizeof *out);
	md_date_local(md_time_now(), today, sizeof today);
	md_time_iso(md_time_now(), now, sizeof now);

	if (!(s = md_store_stmt(ctx->store, sup_sql, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, person_id);
	sqlite3_bind_int64(s, 2, household_id);
	md_bind_text(s, 3, operation);
	md_bind_text(s, 4, today);
	md_bind_text(s, 5, now);
	while (sqlite3_step(s) == SQLITE_ROW) {
		int error = strcmp(md_col_text(s, 0), "error") == 0;
		snprintf(line, sizeof line,
		         error ? _("抑止 (blocked): %s.") : _("抑止 (alert): %s."), md_col_text(s, 1));
		append(out, line);
		if (error)
			out->blocked = 1;
		else
			out->alert = 1;
	}
	sqlite3_reset(s);

	if (person_id > 0) {
		if (!(s = md_store_stmt(ctx->store, sm_sql, err)))
			return MD_E_DB;
		sqlite3_bind_int64(s, 1, person_id);
		md_bind_text(s, 2, today);
		if (sqlite3_step(s) == SQLITE_ROW) {
			const char *end = md_col_text(s, 2);
			int provisional = strcmp(md_col_text(s, 1), "provisional") == 0;
			out->measure_id = sqlite3_column_int64(s, 0);
			out->alert = 1;
			out->expiring = !provisional && *end && md_support_extend_from(end, first) == 0 &&
			                strcmp(today, first) >= 0;
			snprintf(line, sizeof line,
			         provisional
			         ? _("支援措置 (provisional, under examination): this person is protected; every access is recorded and shown to a supervisor.")
			         : _("支援措置: this person is protected; every access is recorded and shown to a supervisor."));
			append(out, line);
			if (out->expiring) {
				struct md_date ed;
				char shown[MD_DATE_TEXT_MAX];
				if (md_date_from_iso(end, &ed) == 0)
					md_date_format_wareki(&ed, shown, sizeof shown);
				else
					snprintf(shown, sizeof shown, "%s", end);
				snprintf(line, sizeof line, _("The measure ends on %s: it can be extended now."), shown);
				append(out, line);
			}
		}
		sqlite3_reset(s);
	}
	return MD_OK;
}

void md_protect_log_attempt(struct md_ctx *ctx, long long measure_id, long long person_id,
                            const char *operation, const char *outcome, const char *detail)
{
	static const char sql[] =
		"INSERT INTO support_attempts (measure_id, person_id, at, user_id, terminal, operation, "
		"outcome, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
	char now[32];

	if (!s || measure_id <= 0)
		return;
	md_time_iso(md_time_now(), now, sizeof now);
	sqlite3_bind_int64(s, 1, measure_id);
	sqlite3_bind_int64(s, 2, person_id);
	md_bind_text(s, 3, now);
	md_bind_text(s, 4, ctx->session ? ctx->session->user : "-");
	md_bind_text(s, 5, ctx->cfg.terminal_id);
	md_bind_text(s, 6, operation);
	md_bind_text(s, 7, outcome);
	md_bind_text(s, 8, detail);
	/* In a transaction of its own when called outside one, so that it
	 * takes its turn among the writers (store.c) like everything else. */
	if (md_store_begin(ctx->store, NULL) != MD_OK) {
		sqlite3_reset(s);
		return;
	}
	if (sqlite3_step(s) == SQLITE_DONE) {
		sqlite3_reset(s);
		md_store_commit(ctx->store, NULL);
	} else {
		sqlite3_reset(s);
		md_store_rollback(ctx->store);
	}
}
