/* purge.c: the retention purge (保存期間経過データの削除).
 *
 * Classes run in this order, one transaction each: issuances first (a 除票
 * whose certificates are still on record is kept), then the 除票, then the
 * audit log (its purge entry of the other classes is itself recent).
 * A 除票 goes with everything that is only its own history: its versions,
 * search keys, the person rows of changes, 抑止, 支援措置 and their
 * attempts, edit locks. A 除票 that another kept record still refers to
 * (a counter transaction, a certificate issued, a seal, a letter; found from
 * the schema's foreign keys, so tables added later count too) is kept and
 * reported. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "ctx.h"
#include "i18n.h"
#include "purge.h"
#include "store.h"
#include "timeutil.h"
#include "xalloc.h"

/* Tables holding only a person's own history: deleted with the 除票. */
static const char *const history_tables[] = {
	"person_versions", "name_index", "address_index", "change_persons", "suppressions",
	"support_measures", "support_attempts", NULL
};

void md_purge_cutoff(const char *today, int years, char out[11])
{
	int y = 0, m = 0, d = 0;
	if (sscanf(today, "%4d-%2d-%2d", &y, &m, &d) != 3) {
		snprintf(out, 11, "0000-01-01");
		return;
	}
	y -= years;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		d = 28;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

static int exec(struct md_store *st, const char *sql, struct md_error *err)
{
	return md_store_exec(st, sql, err);
}

/* Runs dynamic SQL with one bound text parameter (may be NULL) and no rows. */
static int exec1(struct md_store *st, const char *sql, const char *p1, struct md_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;
	if (sqlite3_prepare_v2(md_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return md_store_fail(st, err, _("preparing a query"));
	if (p1)
		md_bind_text(s, 1, p1);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return md_store_fail(st, err, _("deleting expired records"));
	return MD_OK;
}

static int is_history(const char *table)
{
	for (int i = 0; history_tables[i]; i++)
		if (strcmp(history_tables[i], table) == 0)
			return 1;
	return 0;
}

/* Count and date range of a temp.purge_ids selection. */
static int range(struct md_store *st, struct md_purge_result *r, struct md_error *err)
{
	static const char sql[] = "SELECT count(*), min(d), max(d) FROM temp.purge_ids";
	sqlite3_stmt *s = md_store_stmt(st, sql, err);
	if (!s)
		return MD_E_DB;
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return md_store_fail(st, err, _("counting expired records"));
	}
	r->count = sqlite3_column_int64(s, 0);
	snprintf(r->first, sizeof r->first, "%s", md_col_text(s, 1));
	snprintf(r->last, sizeof r->last, "%s", md_col_text(s, 2));
	sqlite3_reset(s);
	return MD_OK;
}

static int fill_ids(struct md_store *st, const char *select_sql, const char *cutoff, struct md_error *err)
{
	int rc = exec(st, "CREATE TEMP TABLE IF NOT EXISTS purge_ids (id INTEGER PRIMARY KEY, d TEXT)", err);
	if (rc == MD_OK)
		rc = exec(st, "DELETE FROM temp.purge_ids", err);
	if (rc == MD_OK) {
		char *sql = xasprintf("INSERT INTO temp.purge_ids (id, d) %s", select_sql);
		rc = exec1(st, sql, cutoff, err);
		free(sql);
	}
	return rc;
}

/* ---- the classes ------------------------------------------------------------ */

static int purge_issuances(struct md_ctx *ctx, const char *today, struct md_purge_result *r,
                           char ***files, int *nfiles, struct md_error *err)
{
	static const char paths_sql[] =
		"SELECT spool_path FROM issuances WHERE id IN (SELECT id FROM temp.purge_ids)";
	struct md_store *st = ctx->store;
	char *sel;
	sqlite3_stmt *s;
	int rc;

	/* keep_until was fixed at issue; the trigger refuses to delete before it. */
	sel = xasprintf("SELECT id, issued_on FROM issuances WHERE issued_on < ?1 "
	                "AND keep_until < '%s' AND keep_until < date('now')", today);
	rc = fill_ids(st, sel, r->cutoff, err);
	free(sel);
	if (rc != MD_OK || (rc = range(st, r, err)) != MD_OK || r->count == 0)
		return rc;
	if (!(s = md_store_stmt(st, paths_sql, err)))
		return MD_E_DB;
	while (sqlite3_step(s) == SQLITE_ROW) {
		*files = xrealloc(*files, sizeof **files * (size_t)(*nfiles + 1));
		(*files)[(*nfiles)++] = xstrdup(md_col_text(s, 0));
	}
	sqlite3_reset(s);
	return exec(st, "DELETE FROM issuances WHERE id IN (SELECT id FROM temp.purge_ids)", err);
}

static int purge_removed(struct md_ctx *ctx, struct md_purge_result *r, struct md_error *err)
{
	/* An unknown month or day (00) counts as the end of the year or month:
	 * a record is never purged early. */
	static const char select_sql[] =
		"SELECT id, d FROM (SELECT id, CASE "
		"WHEN substr(removal_date, 6, 2) = '00' THEN substr(removal_date, 1, 4) || '-12-31' "
		"WHEN substr(removal_date, 9, 2) = '00' THEN substr(removal_date, 1, 7) || '-31' "
		"ELSE removal_date END AS d FROM persons "
		"WHERE status <> 'resident' AND removal_date IS NOT NULL AND length(removal_date) = 10) "
		"WHERE d < ?1";
	static const char refs_sql[] =
		"SELECT m.name, f.\"from\" FROM sqlite_schema m, pragma_foreign_key_list(m.name) f "
		"WHERE m.type = 'table' AND f.\"table\" = 'persons' ORDER BY m.name, f.\"from\"";
	struct md_store *st = ctx->store;
	sqlite3_stmt *s = NULL;
	long long before;
	int rc;

	if ((rc = fill_ids(st, select_sql, r->cutoff, err)) != MD_OK)
		return rc;
	if ((rc = range(st, r, err)) != MD_OK || r->count == 0)
		return rc;
	before = r->count;
	/* Kept while another kept record refers to them. */
	if (sqlite3_prepare_v2(md_store_db(st), refs_sql, -1, &s, NULL) != SQLITE_OK)
		return md_store_fail(st, err, _("reading the schema"));
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *table = md_col_text(s, 0), *col = md_col_text(s, 1);
		char *sql;
		if (is_history(table))
			continue;
		sql = xasprintf("DELETE FROM temp.purge_ids WHERE id IN "
		                "(SELECT \"%s\" FROM \"%s\" WHERE \"%s\" IS NOT NULL)", col, table, col);
		rc = exec(st, sql, err);
		free(sql);
		if (rc != MD_OK)
			break;
	}
	sqlite3_finalize(s);
	if (rc != MD_OK || (rc = range(st, r, err)) != MD_OK)
		return rc;
	r->kept = before - r->count;
	if (r->count == 0)
		return MD_OK;
	{
		static const char *const del[] = {
			"DELETE FROM support_attempts WHERE person_id IN (SELECT id FROM temp.purge_ids) "
			"OR measure_id IN (SELECT id FROM support_measures WHERE person_id IN "
			"(SELECT id FROM temp.purge_ids))",
			"DELETE FROM support_measures WHERE person_id IN (SELECT id FROM temp.purge_ids)",
			"DELETE FROM suppressions WHERE person_id IN (SELECT id FROM temp.purge_ids)",
			"DELETE FROM name_index WHERE person_id IN (SELECT id FROM temp.purge_ids)",
			"DELETE FROM address_index WHERE person_id IN (SELECT id FROM temp.purge_ids)",
			"DELETE FROM change_persons WHERE person_id IN (SELECT id FROM temp.purge_ids)",
			"DELETE FROM person_versions WHERE person_id IN (SELECT id FROM temp.purge_ids)",
			"DELETE FROM edit_locks WHERE kind = 'person' AND subject IN "
			"(SELECT id FROM temp.purge_ids)",
			"DELETE FROM persons WHERE id IN (SELECT id FROM temp.purge_ids)",
			NULL
		};
		for (int i = 0; del[i]; i++)
			if ((rc = exec(st, del[i], err)) != MD_OK)
				return rc;
	}
	return MD_OK;
}

static int purge_audit(struct md_ctx *ctx, struct md_purge_result *r, char anchor[128],
                       struct md_error *err)
{
	struct md_audit_purged p;
	int rc = md_audit_purge(ctx, r->cutoff, &p, err);
	if (rc != MD_OK)
		return rc;
	r->count = p.count;
	snprintf(r->first, sizeof r->first, "%s", p.first_ts);
	snprintf(r->last, sizeof r->last, "%s", p.last_ts);
	if (p.count)
		snprintf(anchor, 128, "%lld %s", p.anchor_id, p.anchor_hash);
	return MD_OK;
}

static int deletion_record(struct md_ctx *ctx, struct md_purge_result *r, const char *anchor,
                           struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO retention_deletions (class, count, first_date, last_date, cutoff, years, "
		"deleted_by, deleted_at, terminal, anchor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	char now[32];
	int rc;

	if (!s)
		return MD_E_DB;
	md_time_iso(md_time_now(), now, sizeof now);
	md_bind_text(s, 1, r->cls);
	sqlite3_bind_int64(s, 2, r->count);
	md_bind_text(s, 3, r->first);
	md_bind_text(s, 4, r->last);
	md_bind_text(s, 5, r->cutoff);
	sqlite3_bind_int(s, 6, r->years);
	md_bind_text(s, 7, ctx->session ? ctx->session->user : "-");
	md_bind_text(s, 8, now);
	md_bind_text(s, 9, ctx->cfg.terminal_id);
	md_bind_text(s, 10, anchor && *anchor ? anchor : NULL);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("writing the deletion record"));
	r->deletion_id = sqlite3_last_insert_rowid(md_store_db(ctx->store));
	return MD_OK;
}

static char *class_detail(const struct md_purge_result *r)
{
	return xasprintf("class=%s count=%lld kept=%lld first=%s last=%s cutoff=%s years=%d deletion=%lld",
	                 r->cls, r->count, r->kept, r->first[0] ? r->first : "-",
	                 r->last[0] ? r->last : "-", r->cutoff, r->years, r->deletion_id);
}

static int run_class(struct md_ctx *ctx, enum md_purge_class c, const char *today, int dry_run,
                     struct md_purge_result *r, struct md_error *err)
{
	struct md_store *st = ctx->store;
	char anchor[128] = "";
	char **files = NULL;
	int nfiles = 0, rc;

	if ((rc = md_store_begin(st, err)) != MD_OK)
		return rc;
	switch (c) {
	case MD_PURGE_ISSUANCES:
		rc = purge_issuances(ctx, today, r, &files, &nfiles, err);
		break;
	case MD_PURGE_REMOVED:
		rc = purge_removed(ctx, r, err);
		break;
	default:
		rc = purge_audit(ctx, r, anchor, err);
		break;
	}
	if (rc == MD_OK && r->count > 0 && !dry_run)
		rc = deletion_record(ctx, r, anchor, err);
	if (rc == MD_OK && !dry_run) {
		char *detail = class_detail(r);
		struct md_audit_rec a = { NULL, "retention.purge", NULL, NULL, "ok", detail, 0 };
		char action[64];
		snprintf(action, sizeof action, "purge %s", r->cls);
		a.action = action;
		rc = md_audit(ctx, &a, err);
		free(detail);
	}
	if (rc == MD_OK)
		exec(st, "DROP TABLE IF EXISTS temp.purge_ids", NULL);
	if (rc != MD_OK || dry_run) {
		md_store_rollback(st);
	} else if ((rc = md_store_commit(st, err)) == MD_OK) {
		/* The certificates' PDFs go with their history, once it is gone. */
		for (int i = 0; i < nfiles; i++)
			if (files[i][0] && unlink(files[i]) == 0)
				r->files_removed++;
	}
	for (int i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	if (rc != MD_OK)
		r->deletion_id = 0;
	return rc;
}

int md_purge_run(struct md_ctx *ctx, int dry_run, struct md_purge_result out[MD_PURGE_NCLASSES],
                 struct md_error *err)
{
	static const char *const names[MD_PURGE_NCLASSES] = { "issuances", "removed_records", "audit_log" };
	char today[11];
	int years[MD_PURGE_NCLASSES];
	int rc = MD_OK;

	years[MD_PURGE_ISSUANCES] = ctx->cfg.retention_issuance_years;
	years[MD_PURGE_REMOVED] = ctx->cfg.retention_removed_years;
	years[MD_PURGE_AUDIT] = ctx->cfg.retention_audit_years;
	md_date_local(md_time_now(), today, sizeof today);
	memset(out, 0, sizeof *out * MD_PURGE_NCLASSES);
	for (int c = 0; c < MD_PURGE_NCLASSES; c++) {
		out[c].cls = names[c];
		out[c].years = years[c];
		md_purge_cutoff(today, years[c], out[c].cutoff);
	}
	for (int c = 0; c < MD_PURGE_NCLASSES && rc == MD_OK; c++)
		rc = run_class(ctx, (enum md_purge_class)c, today, dry_run, &out[c], err);
	if (rc != MD_OK) {
		/* The classes already done stay done; this one was rolled back. */
		struct md_error e2;
		char *detail = xasprintf("error=%s", err->msg);
		struct md_audit_rec a = { NULL, "retention.purge", NULL, "purge failed", "failed", detail, 0 };
		md_audit(ctx, &a, &e2);
		free(detail);
		return rc;
	}
	if (dry_run) {
		char *detail = xasprintf("issuances=%lld removed_records=%lld removed_kept=%lld audit_log=%lld",
		                         out[MD_PURGE_ISSUANCES].count, out[MD_PURGE_REMOVED].count,
		                         out[MD_PURGE_REMOVED].kept, out[MD_PURGE_AUDIT].count);
		struct md_audit_rec a = { NULL, "retention.purge", NULL, "dry run: nothing deleted", "ok",
		                          detail, 0 };
		rc = md_audit(ctx, &a, err);
		free(detail);
	}
	return rc;
}
