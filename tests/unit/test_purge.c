/* test_purge.c: the retention purge (boundaries, dry run, deletion records,
 * the audit chain after a purge) and the supervisor's daily report. */
#include "config.h"

#include <sys/stat.h>

#define TU_WITH_DB
#include "testutil.h"

#include "account.h"
#include "audit.h"
#include "cmd.h"
#include "ctx.h"
#include "error.h"
#include "purge.h"
#include "settings.h"
#include "store.h"
#include "timeutil.h"

struct fx {
	char *dir, *db;
	struct md_settings cfg;
	struct md_ctx *ctx;
	char today[11];
};

static int group_setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static void open_db(struct fx *f)
{
	struct md_error err;
	f->db = tu_create_db(f->dir, "t.db", &f->cfg, MD_DB_PRODUCTION);
	f->ctx = tu_open(&f->cfg, f->db, MD_DB_PRODUCTION);
	assert_int_equal(md_auth_login(f->ctx, TU_ADMIN, TU_ADMIN_PW, &err), MD_OK);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f || !(f->dir = tu_tmpdir()))
		return -1;
	md_time_set(0);
	md_settings_defaults(&f->cfg);
	f->cfg.retention_removed_years = 1;
	f->cfg.retention_issuance_years = 1;
	f->cfg.retention_audit_years = 5;
	snprintf(f->cfg.terminal_id, sizeof f->cfg.terminal_id, "T1");
	md_date_local(md_time_now(), f->today, sizeof f->today);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	md_ctx_free(&f->ctx);
	tu_rmdir(f->dir);
	free(f->db);
	free(f);
	md_time_set(0);
	return 0;
}

/* date + SQLite modifier ("-1 day", "+1 year"). */
static void shift(struct fx *f, const char *date, const char *mod, char out[11])
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT date('%s', '%s')", date, mod);
	tu_sql_text(f->ctx, sql, out, 11);
	assert_int_equal(strlen(out), 10);
}

static void sql(struct fx *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sql(struct fx *f, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	tu_sql_exec(f->ctx, buf);
}

static void base_rows(struct fx *f)
{
	sql(f, "INSERT INTO households (id, created_at) VALUES (1, 'x');"
	       "INSERT INTO changes (id, type, reason, status, event_date, processed_on, made_by, made_at, "
	       "terminal) VALUES (1, 'move_in', 'A01', 'approved', '2000-01-01', '2000-01-01', 'admin', "
	       "'2000-01-01T00:00:00Z', 'T1');"
	       "INSERT INTO counter_transactions (id, opened_by, opened_at, terminal, request, status) "
	       "VALUES (1, 'admin', 'x', 'T1', 'certificate', 'closed')");
}

/* A person with one version and one search key. */
static void person(struct fx *f, int id, const char *status, const char *removal)
{
	char rd[32];
	if (removal)
		snprintf(rd, sizeof rd, "'%s'", removal);
	else
		snprintf(rd, sizeof rd, "NULL");
	sql(f, "INSERT INTO persons (id, version, status, resident_type, household_id, relationship, surname, "
	       "given_name, surname_kana, given_name_kana, birth_date, sex, address, removal_date, kana_norm, "
	       "name_fold, updated_at) VALUES (%d, 1, '%s', 'japanese', 1, '世帯主', '山田', '太郎', 'ヤマダ', "
	       "'タロウ', '1950-01-01', 'M', '見本区1-1', %s, 'ヤマダタロウ', '山田太郎', 'x');"
	       "INSERT INTO person_versions (person_id, version, change_id, recorded_at, status, resident_type, "
	       "household_id, relationship, surname, given_name, surname_kana, given_name_kana, birth_date, "
	       "sex, address, removal_date) VALUES (%d, 1, 1, 'x', '%s', 'japanese', 1, '世帯主', '山田', "
	       "'太郎', 'ヤマダ', 'タロウ', '1950-01-01', 'M', '見本区1-1', %s);"
	       "INSERT INTO name_index (person_id, kind, kana, kana_sur, kana_given, fold, fold_sur, "
	       "fold_given) VALUES (%d, 'name', 'ヤマダタロウ', 'ヤマダ', 'タロウ', '山田太郎', '山田', '太郎')",
	    id, status, rd, id, status, rd, id);
}

static void issuance(struct fx *f, int id, const char *terminal, const char *type, const char *issued_on,
                     const char *spool, int fee, const char *voided_at)
{
	char keep[11], vd[64];
	shift(f, issued_on, "+1 year", keep);
	if (voided_at)
		snprintf(vd, sizeof vd, "'%s', 'sup1', '記載誤り'", voided_at);
	else
		snprintf(vd, sizeof vd, "NULL, NULL, NULL");
	sql(f, "INSERT INTO issuances (id, issued_at, issued_on, place, terminal, printer, user_id, "
	       "transaction_id, subject_person, household, cert_type, members, items, format, pages, "
	       "issue_number, serial, requester_category, requester_name, verification_method, fee_code, fee, "
	       "verification_code, keep_until, spool_path, voided_at, voided_by, void_reason) VALUES "
	       "(%d, '%sT01:00:00Z', '%s', '見本区', '%s', 'PR1', 'admin', 1, 4, 1, '%s', '4', '', "
	       "'household', 1, 'N%d', %d, 'self', '山田', 'photo_id', 'F1', %d, 'V%07d', '%s', '%s', %s)",
	    id, issued_on, issued_on, terminal, type, id, id, fee, id, keep, spool, vd);
}

static void run(struct fx *f, int dry, struct md_purge_result r[MD_PURGE_NCLASSES])
{
	struct md_error err;
	int rc = md_purge_run(f->ctx, dry, r, &err);
	if (rc != MD_OK)
		print_error("md_purge_run: %s\n", err.msg);
	assert_int_equal(rc, MD_OK);
}

/* ---- the cutoff ------------------------------------------------------------------ */

static void test_cutoff(void **state)
{
	char c[11];
	(void)state;
	md_purge_cutoff("2026-04-01", 1, c);
	assert_string_equal(c, "2025-04-01");
	md_purge_cutoff("2026-04-01", 150, c);
	assert_string_equal(c, "1876-04-01");
	md_purge_cutoff("2028-02-29", 1, c);
	assert_string_equal(c, "2027-02-28");
	md_purge_cutoff("2028-02-29", 4, c);
	assert_string_equal(c, "2024-02-29");
}

/* ---- 除票 ---------------------------------------------------------------------------- */

static void removed_fixture(struct fx *f, char cutoff[11])
{
	char before[11], after[11], yearbefore[24], sameyear[24];
	open_db(f);
	md_purge_cutoff(f->today, 1, cutoff);
	shift(f, cutoff, "-1 day", before);
	shift(f, cutoff, "+1 day", after);
	snprintf(yearbefore, sizeof yearbefore, "%04d-00-00", (atoi(cutoff) - 1) % 10000);
	snprintf(sameyear, sizeof sameyear, "%.4s-00-00", cutoff);
	base_rows(f);
	person(f, 1, "dead", before);        /* a day past its period: goes */
	person(f, 2, "dead", cutoff);        /* exactly at the retention date: kept */
	person(f, 3, "moved_out", after);    /* kept */
	person(f, 4, "resident", NULL);      /* kept */
	person(f, 5, "removed", yearbefore); /* unknown month and day, the year before: goes */
	person(f, 6, "removed", sameyear);   /* unknown month and day in the cutoff's year: kept */
	person(f, 7, "dead", before);        /* expired, but a counter transaction refers to it */
	sql(f, "UPDATE counter_transactions SET subject_person = 7 WHERE id = 1");
	sql(f, "INSERT INTO support_measures (person_id, status, set_by, set_at) VALUES (1, 'ended', 'a', 'x')");
}

static void test_removed_boundaries(void **state)
{
	struct fx *f = *state;
	struct md_purge_result r[MD_PURGE_NCLASSES];
	char cutoff[11], want_first[24], want_last[11];

	removed_fixture(f, cutoff);
	run(f, 0, r);
	assert_string_equal(r[MD_PURGE_REMOVED].cls, "removed_records");
	assert_string_equal(r[MD_PURGE_REMOVED].cutoff, cutoff);
	assert_int_equal(r[MD_PURGE_REMOVED].count, 2);
	assert_int_equal(r[MD_PURGE_REMOVED].kept, 1);
	{
		char ids[64];
		tu_sql_text(f->ctx, "SELECT group_concat(id) FROM (SELECT id FROM persons ORDER BY id)", ids, sizeof ids);
		assert_string_equal(ids, "2,3,4,6,7");
		tu_sql_text(f->ctx, "SELECT group_concat(p) FROM (SELECT DISTINCT person_id AS p FROM "
		                    "person_versions ORDER BY 1)", ids, sizeof ids);
		assert_string_equal(ids, "2,3,4,6,7");
		tu_sql_text(f->ctx, "SELECT group_concat(p) FROM (SELECT DISTINCT person_id AS p FROM "
		                    "name_index ORDER BY 1)", ids, sizeof ids);
		assert_string_equal(ids, "2,3,4,6,7");
	}
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM support_measures"), 0);
	/* The deletion record: class, count, range, cutoff, period, who, where. */
	snprintf(want_first, sizeof want_first, "%04d-12-31", (atoi(cutoff) - 1) % 10000);
	shift(f, cutoff, "-1 day", want_last);
	{
		char buf[512], want[512];
		tu_sql_text(f->ctx, "SELECT class || '|' || count || '|' || first_date || '|' || last_date || '|' "
		                    "|| cutoff || '|' || years || '|' || deleted_by || '|' || terminal || '|' || "
		                    "coalesce(anchor, '-') FROM retention_deletions", buf, sizeof buf);
		snprintf(want, sizeof want, "removed_records|2|%s|%s|%s|1|admin|T1|-", want_first, want_last, cutoff);
		assert_string_equal(buf, want);
	}
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM retention_deletions"), 1);
	/* One audit entry per class; the chain holds. */
	assert_int_equal(tu_audit_count(f->ctx, "retention.purge", "ok", NULL), 3);
	{
		long n = 0, bad = 0;
		struct md_error err;
		assert_int_equal(md_audit_verify(f->ctx, &n, &bad, &err), MD_OK);
	}
	/* The deletion records are append-only. */
	assert_int_not_equal(sqlite3_exec(md_store_db(f->ctx->store), "DELETE FROM retention_deletions",
	                                  NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(md_store_db(f->ctx->store),
	                                  "UPDATE retention_deletions SET count = 1", NULL, NULL, NULL), SQLITE_OK);
	/* A second run finds nothing more. */
	run(f, 0, r);
	assert_int_equal(r[MD_PURGE_REMOVED].count, 0);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM retention_deletions"), 1);
}

static void test_dry_run_changes_nothing(void **state)
{
	struct fx *f = *state;
	struct md_purge_result r[MD_PURGE_NCLASSES], r2[MD_PURGE_NCLASSES];
	char cutoff[11], old[11];
	long long persons, versions, issuances, audit;

	removed_fixture(f, cutoff);
	shift(f, cutoff, "-1 day", old);
	issuance(f, 1, "T1", "juminhyo", old, "", 300, NULL);
	persons = tu_sql_int(f->ctx, "SELECT count(*) FROM persons");
	versions = tu_sql_int(f->ctx, "SELECT count(*) FROM person_versions");
	issuances = tu_sql_int(f->ctx, "SELECT count(*) FROM issuances");
	audit = tu_audit_total(f->ctx);
	run(f, 1, r);
	assert_int_equal(r[MD_PURGE_REMOVED].count, 2);
	assert_int_equal(r[MD_PURGE_REMOVED].kept, 1);
	assert_int_equal(r[MD_PURGE_ISSUANCES].count, 1);
	assert_int_equal(r[MD_PURGE_REMOVED].deletion_id, 0);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM persons"), persons);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM person_versions"), versions);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM issuances"), issuances);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM retention_deletions"), 0);
	/* Only the record that a dry run was made. */
	assert_int_equal(tu_audit_total(f->ctx), audit + 1);
	assert_int_equal(tu_audit_count(f->ctx, "retention.purge", "ok", NULL), 1);
	/* The real run deletes exactly what the dry run counted. */
	run(f, 0, r2);
	assert_int_equal(r2[MD_PURGE_REMOVED].count, r[MD_PURGE_REMOVED].count);
	assert_int_equal(r2[MD_PURGE_ISSUANCES].count, r[MD_PURGE_ISSUANCES].count);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM persons"), persons - 2);
}

/* ---- issuance history --------------------------------------------------------------- */

static void test_issuance_boundaries(void **state)
{
	struct fx *f = *state;
	struct md_purge_result r[MD_PURGE_NCLASSES];
	char cutoff[11], before[11], *pdf;

	open_db(f);
	base_rows(f);
	person(f, 4, "resident", NULL);
	md_purge_cutoff(f->today, 1, cutoff);
	shift(f, cutoff, "-1 day", before);
	pdf = tu_write(f->dir, "old.pdf", "%PDF");
	issuance(f, 1, "T1", "juminhyo", before, pdf, 300, NULL);   /* expired */
	issuance(f, 2, "T1", "juminhyo", cutoff, "", 300, NULL);    /* exactly at the date: kept */
	issuance(f, 3, "T1", "juminhyo", f->today, "", 300, NULL);  /* kept */
	run(f, 0, r);
	assert_int_equal(r[MD_PURGE_ISSUANCES].count, 1);
	assert_string_equal(r[MD_PURGE_ISSUANCES].first, before);
	assert_string_equal(r[MD_PURGE_ISSUANCES].last, before);
	assert_int_equal(r[MD_PURGE_ISSUANCES].files_removed, 1);
	assert_false(tu_exists(pdf));
	{
		char ids[32];
		tu_sql_text(f->ctx, "SELECT group_concat(id) FROM (SELECT id FROM issuances ORDER BY id)", ids,
		            sizeof ids);
		assert_string_equal(ids, "2,3");
	}
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count FROM retention_deletions WHERE class = 'issuances'"), 1);
	/* The person they were issued for is a resident: untouched. */
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM persons"), 1);
	free(pdf);
}

/* ---- the audit log -------------------------------------------------------------------- */

static time_t at(const char *date, int secs)
{
	int y, m, d;
	assert_int_equal(md_date_parse_iso(date, &y, &m, &d), 0);
	return (time_t)md_days_from_civil(y, m, d) * 86400 + secs;
}

static void add_entry(struct md_ctx *ctx, const char *what)
{
	struct md_audit_rec r = { NULL, "test", NULL, what, "ok", NULL, 0 };
	struct md_error err;
	assert_int_equal(md_audit(ctx, &r, &err), MD_OK);
}

static void test_audit_purge_keeps_chain(void **state)
{
	struct fx *f = *state;
	struct md_purge_result r[MD_PURGE_NCLASSES];
	struct md_error err;
	char cutoff[11], dayb[11], first_kept[32], anchor[200], want[200];
	long long total, old, n_anchor;
	long n = 0, bad = 0;

	md_purge_cutoff(f->today, 5, cutoff);
	{
		/* The day before the cutoff, computed without a database yet. */
		time_t t = at(cutoff, 0) - 86400;
		md_date_local(t, dayb, sizeof dayb);
		md_time_set(t + 12 * 3600);
	}
	open_db(f);                          /* creation and login: the day before */
	md_time_set(at(cutoff, 0) - 1);
	add_entry(f->ctx, "last second before the cutoff");
	old = tu_audit_total(f->ctx);
	md_time_set(at(cutoff, 0));
	add_entry(f->ctx, "exactly at the cutoff");
	md_time_set(0);
	add_entry(f->ctx, "today");
	total = tu_audit_total(f->ctx);
	tu_sql_text(f->ctx, "SELECT ts FROM audit_log WHERE action = 'exactly at the cutoff'", first_kept,
	            sizeof first_kept);

	run(f, 0, r);
	assert_int_equal(r[MD_PURGE_AUDIT].count, old);
	assert_non_null(strstr(r[MD_PURGE_AUDIT].first, dayb));
	assert_string_equal(r[MD_PURGE_AUDIT].last + 11, "23:59:59Z");
	/* What is left starts at the cutoff, and the chain verifies from the anchor. */
	tu_sql_text(f->ctx, "SELECT action FROM audit_log ORDER BY id LIMIT 1", anchor, sizeof anchor);
	assert_string_equal(anchor, "exactly at the cutoff");
	/* + 3 class entries written by the purge */
	assert_int_equal(tu_audit_total(f->ctx), total - old + 3);
	assert_int_equal(md_audit_verify(f->ctx, &n, &bad, &err), MD_OK);
	assert_int_equal(n, total - old + 3);
	/* The deletion record keeps the anchor: the last entry removed. */
	n_anchor = tu_sql_int(f->ctx, "SELECT CAST(anchor AS INTEGER) FROM retention_deletions WHERE class = 'audit_log'");
	assert_int_equal(n_anchor, old);
	tu_sql_text(f->ctx, "SELECT anchor FROM retention_deletions WHERE class = 'audit_log'", anchor, sizeof anchor);
	tu_sql_text(f->ctx, "SELECT (SELECT min(id) - 1 FROM audit_log) || ' ' || prev_hash FROM audit_log "
	                    "ORDER BY id LIMIT 1", want, sizeof want);
	assert_string_equal(anchor, want);
	/* New entries chain on. */
	add_entry(f->ctx, "after the purge");
	assert_int_equal(md_audit_verify(f->ctx, &n, &bad, &err), MD_OK);

	/* Still append-only for everybody else. */
	assert_int_not_equal(sqlite3_exec(md_store_db(f->ctx->store), "DELETE FROM audit_log WHERE id = "
	                                  "(SELECT min(id) FROM audit_log)", NULL, NULL, NULL), SQLITE_OK);
	/* Opening the purge window by hand is no way round the chain either. */
	tu_sql_exec(f->ctx, "INSERT INTO audit_purge_window VALUES ((SELECT min(id) FROM audit_log));"
	                    "DELETE FROM audit_log WHERE id = (SELECT min(id) FROM audit_log);"
	                    "DELETE FROM audit_purge_window");
	assert_int_equal(md_audit_verify(f->ctx, &n, &bad, &err), MD_E_TAMPER);
}

static void test_audit_anchor_cannot_be_moved(void **state)
{
	struct fx *f = *state;
	struct md_purge_result r[MD_PURGE_NCLASSES];
	struct md_error err;
	char cutoff[11];
	long n = 0, bad = 0;

	md_purge_cutoff(f->today, 5, cutoff);
	md_time_set(at(cutoff, 0) - 86400);
	open_db(f);
	md_time_set(0);
	add_entry(f->ctx, "today");
	run(f, 0, r);
	assert_true(r[MD_PURGE_AUDIT].count > 0);
	assert_int_equal(md_audit_verify(f->ctx, &n, &bad, &err), MD_OK);
	/* An anchor rewritten without the key file breaks verification. */
	tu_sql_exec(f->ctx, "UPDATE meta SET value = '1' || substr(value, 2) WHERE key = 'audit_anchor'");
	assert_int_equal(md_audit_verify(f->ctx, &n, &bad, &err), MD_E_TAMPER);
	assert_non_null(strstr(err.msg, "purged"));
}

/* ---- the command and its permission ------------------------------------------------------- */

static void test_purge_command(void **state)
{
	struct fx *f = *state;
	struct md_args a;
	struct md_result res;
	struct md_error err;

	open_db(f);
	md_args_init(&a);
	md_args_set(&a, "dry-run", "1");
	md_result_init(&res);
	assert_int_equal(md_cmd_exec(f->ctx, "purge", &a, &res, &err), MD_OK);
	assert_int_equal(res.table.nrows, 3);
	assert_non_null(strstr(res.message, "Dry run"));
	md_result_release(&res);
	/* A clerk may not. */
	assert_int_equal(md_user_create(f->ctx, "clerk9", "窓口 九郎", "clerk", "Clerk-9-password!", NULL,
	                                NULL, "test", 0, 0, &err), MD_OK);
	md_auth_logout(f->ctx);
	assert_int_equal(md_auth_login(f->ctx, "clerk9", "Clerk-9-password!", &err), MD_OK);
	md_args_init(&a);
	md_result_init(&res);
	assert_int_equal(md_cmd_exec(f->ctx, "purge", &a, &res, &err), MD_E_DENIED);
	md_result_release(&res);
	assert_int_equal(tu_audit_count(f->ctx, "purge", "denied", NULL), 1);
}

/* ---- the daily report --------------------------------------------------------------------- */

static const char *cell(const struct md_result *res, int row, int col)
{
	assert_true(row < res->table.nrows);
	return res->table.rows[row][col];
}

/* The first row whose Item starts with prefix, or -1. */
static int find_row(const struct md_result *res, const char *prefix)
{
	for (int i = 0; i < res->table.nrows; i++)
		if (strncmp(res->table.rows[i][1], prefix, strlen(prefix)) == 0)
			return i;
	return -1;
}

static void test_daily_report(void **state)
{
	struct fx *f = *state;
	struct md_args a;
	struct md_result res;
	struct md_error err;
	char d3[11], in10[11], in40[11], want[200];
	int i;

	open_db(f);
	base_rows(f);
	person(f, 4, "resident", NULL);
	assert_int_equal(md_user_create(f->ctx, "sup1", "審査 一", "supervisor", "Super-1-password!", NULL,
	                                NULL, "test", 0, 0, &err), MD_OK);
	issuance(f, 1, "T1", "juminhyo", f->today, "", 300, NULL);
	issuance(f, 2, "T1", "juminhyo", f->today, "", 300, NULL);
	issuance(f, 3, "T2", "inkan", f->today, "", 300, NULL);
	{
		char now[32];
		md_time_iso(md_time_now(), now, sizeof now);
		issuance(f, 4, "T2", "juminhyo", f->today, "", 300, now);   /* voided today */
	}
	shift(f, f->today, "-3 days", d3);
	shift(f, f->today, "+10 days", in10);
	shift(f, f->today, "+40 days", in40);
	sql(f, "INSERT INTO changes (id, type, reason, status, event_date, processed_on, made_by, made_at, "
	       "terminal) VALUES (7, 'move_in', 'A01', 'provisional', '%s', '%s', 'clerk1', '%sT10:00:00Z', 'T1')",
	    d3, d3, d3);
	sql(f, "INSERT INTO support_measures (id, person_id, status, end_date, set_by, set_at) VALUES "
	       "(5, 4, 'active', '%s', 'a', 'x'), (6, 4, 'active', '%s', 'a', 'x'), (8, 4, 'ended', '%s', 'a', 'x')",
	    in10, in40, in10);
	{
		/* Made three days ago, approved just now: it was waiting yesterday. */
		char now[32];
		md_time_iso(md_time_now(), now, sizeof now);
		sql(f, "INSERT INTO changes (id, type, reason, status, event_date, processed_on, made_by, made_at, "
		       "terminal, decided_by, decided_at) VALUES (9, 'move_within', 'B01', 'approved', '%s', '%s', "
		       "'clerk2', '%sT10:00:00Z', 'T1', 'sup1', '%s')", d3, d3, d3, now);
	}
	md_auth_logout(f->ctx);
	assert_int_equal(md_auth_login(f->ctx, "sup1", "Super-1-password!", &err), MD_OK);

	md_args_init(&a);
	md_result_init(&res);
	assert_int_equal(md_cmd_exec(f->ctx, "report.daily", &a, &res, &err), MD_OK);
	assert_int_equal(res.table.ncols, 5);
	/* Certificates per terminal and type, voided ones left out, with totals. */
	i = find_row(&res, "T1 住民票の写し");
	assert_true(i >= 0);
	assert_string_equal(cell(&res, i, 2), "2");
	assert_string_equal(cell(&res, i, 3), "600円");
	i = find_row(&res, "T2 印鑑登録証明書");
	assert_true(i >= 0);
	assert_string_equal(cell(&res, i, 2), "1");
	i = find_row(&res, "All terminals");
	assert_true(i >= 0);
	assert_string_equal(cell(&res, i, 2), "3");
	assert_string_equal(cell(&res, i, 3), "900円");
	/* The change waiting, and its age. */
	i = find_row(&res, "change 7 転入");
	assert_true(i >= 0);
	snprintf(want, sizeof want, "days waiting: 3 (made %s by clerk1)", d3);
	assert_string_equal(cell(&res, i, 4), want);
	assert_int_equal(find_row(&res, "change 9 "), -1);
	/* Only the measure ending within a month. */
	assert_true(find_row(&res, "measure 5 ") >= 0);
	assert_int_equal(find_row(&res, "measure 6 "), -1);
	assert_int_equal(find_row(&res, "measure 8 "), -1);
	/* The voided certificate. */
	i = find_row(&res, "住民票の写し N4");
	assert_true(i >= 0);
	assert_non_null(strstr(cell(&res, i, 4), "記載誤り"));
	md_result_release(&res);
	assert_int_equal(tu_audit_count(f->ctx, "report.daily", "ok", NULL), 1);

	/* The day before: both changes were waiting, one day less. */
	{
		char yesterday[11];
		shift(f, f->today, "-1 day", yesterday);
		md_args_set(&a, "date", yesterday);
		md_args_set(&a, "section", "waiting");
		md_result_init(&res);
		assert_int_equal(md_cmd_exec(f->ctx, "report.daily", &a, &res, &err), MD_OK);
		assert_int_equal(res.table.nrows, 2);
		i = find_row(&res, "change 9 転居");
		assert_true(i >= 0);
		snprintf(want, sizeof want, "days waiting: 2 (made %s by clerk2)", d3);
		assert_string_equal(cell(&res, i, 4), want);
		assert_true(find_row(&res, "change 7 ") >= 0);
		md_result_release(&res);
		md_args_set(&a, "date", NULL);
	}
	/* One section; another day (nothing then). */
	md_args_set(&a, "section", "voided");
	md_result_init(&res);
	assert_int_equal(md_cmd_exec(f->ctx, "report.daily", &a, &res, &err), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	md_result_release(&res);
	md_args_set(&a, "date", d3);
	md_result_init(&res);
	assert_int_equal(md_cmd_exec(f->ctx, "report.daily", &a, &res, &err), MD_OK);
	assert_string_equal(cell(&res, 0, 1), "(none)");
	md_result_release(&res);
	/* Bad input is named. */
	md_args_set(&a, "date", "2026-02-30");
	md_result_init(&res);
	assert_int_equal(md_cmd_exec(f->ctx, "report.daily", &a, &res, &err), MD_E_INVALID);
	assert_string_equal(err.field, "date");
	md_result_release(&res);
	md_args_set(&a, "date", NULL);
	md_args_set(&a, "section", "everything");
	md_result_init(&res);
	assert_int_equal(md_cmd_exec(f->ctx, "report.daily", &a, &res, &err), MD_E_INVALID);
	assert_string_equal(err.field, "section");
	md_result_release(&res);
	assert_int_equal(tu_audit_count(f->ctx, "report.daily", "ok", NULL), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cutoff),
		cmocka_unit_test_setup_teardown(test_removed_boundaries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dry_run_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_issuance_boundaries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_purge_keeps_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_anchor_cannot_be_moved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purge_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_daily_report, setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
