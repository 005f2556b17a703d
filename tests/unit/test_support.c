/* test_support.c: 抑止 (suppressions) and 支援措置 (support measures):
 * their commands, their dates, md_protect_check() and the attempt log. */
#include "config.h"

#include <stdarg.h>

#define TU_WITH_DB
#include "testutil.h"

#include "cmd.h"
#include "ctx.h"
#include "error.h"
#include "protect.h"
#include "result.h"
#include "settings.h"
#include "store.h"
#include "support.h"
#include "timeutil.h"

struct fx {
	char *dir;
	char *db;
	struct md_settings cfg;
	struct md_ctx *ctx;
	long long a, b;        /* two persons, each in a household of their own */
	long long ha, hb;      /* their households */
};

/* y-m-d hh:mm, UTC (the tests run with TZ=UTC). */
static time_t at(int y, int m, int d, int hh, int mm)
{
	return (time_t)md_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60;
}

static int group_setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

/* Runs a command with key/value pairs (NULL-terminated); res (may be NULL)
 * receives the result, which the caller releases. */
static int runv(struct md_ctx *c, struct md_error *err, struct md_result *res, const char *name,
                va_list ap)
{
	struct md_args a;
	struct md_result own;
	const char *k;
	int rc;

	md_args_init(&a);
	while ((k = va_arg(ap, const char *)) != NULL) {
		const char *v = va_arg(ap, const char *);
		assert_int_equal(md_args_set(&a, k, v), 0);
	}
	md_result_init(res ? res : &own);
	rc = md_cmd_exec(c, name, &a, res ? res : &own, err);
	if (!res)
		md_result_release(&own);
	return rc;
}

static int run(struct md_ctx *c, struct md_error *err, const char *name, ...)
{
	va_list ap;
	int rc;
	va_start(ap, name);
	rc = runv(c, err, NULL, name, ap);
	va_end(ap);
	return rc;
}

static int run_res(struct md_ctx *c, struct md_error *err, struct md_result *res, const char *name, ...)
{
	va_list ap;
	int rc;
	va_start(ap, name);
	rc = runv(c, err, res, name, ap);
	va_end(ap);
	return rc;
}

/* Runs a command that must succeed. */
#define OK(c, ...) \
	do { \
		struct md_error e_; \
		int rc_ = run((c), &e_, __VA_ARGS__, NULL); \
		if (rc_ != MD_OK) \
			print_error("%s:%d: %s\n", __FILE__, __LINE__, e_.msg); \
		assert_int_equal(rc_, MD_OK); \
	} while (0)

static void login(struct md_ctx *c, const char *user)
{
	struct md_error err;
	int rc = run(c, &err, "login", "user", user, "password", "demo", NULL);
	if (rc != MD_OK)
		print_error("login %s: %s\n", user, err.msg);
	assert_int_equal(rc, MD_OK);
}

/* A person moved in (転入) by clerk1 and approved by supervisor1. */
static long long new_person(struct md_ctx *c, const char *surname, const char *kana, const char *birth,
                            const char *sex)
{
	struct md_error err;
	char today[11];
	long long id, change;
	int rc;

	md_date_local(md_time_now(), today, sizeof today);
	login(c, "clerk1");
	rc = run(c, &err, "change.save", "type", "move_in", "event_date", today,
	         "p1.resident_type", "japanese", "p1.relationship", "世帯主", "p1.surname", surname,
	         "p1.given_name", "花子", "p1.surname_kana", kana, "p1.given_name_kana", "ハナコ",
	         "p1.birth_date", birth, "p1.sex", sex, "p1.honseki", "東京都見本区見本町一丁目1番",
	         "p1.hittosha", surname, "p1.postal_code", "999-0001", "p1.address_code", "0101",
	         "p1.address", "見本区見本町一丁目1番1号", "p1.previous_address", "東京都千代田区1番",
	         NULL);
	if (rc != MD_OK)
		print_error("change.save: %s\n", err.msg);
	assert_int_equal(rc, MD_OK);
	change = tu_sql_int(c, "SELECT max(id) FROM changes");
	login(c, "supervisor1");
	{
		char ids[24];
		snprintf(ids, sizeof ids, "%lld", change);
		rc = run(c, &err, "change.approve", "id", ids, NULL);
	}
	if (rc != MD_OK)
		print_error("change.approve: %s\n", err.msg);
	assert_int_equal(rc, MD_OK);
	id = tu_sql_int(c, "SELECT max(id) FROM persons");
	assert_true(id > 0);
	return id;
}

static long long household_of(struct md_ctx *c, long long person)
{
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT household_id FROM persons WHERE id = %lld", person);
	return tu_sql_int(c, sql);
}

/* The clock starts on 2023-01-02 (the demo accounts are valid from the day
 * the database is made), with two persons. */
static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f || !(f->dir = tu_tmpdir()))
		return -1;
	md_time_set(at(2023, 1, 2, 3, 0));
	md_settings_defaults(&f->cfg);
	f->db = tu_create_db(f->dir, "t.db", &f->cfg, MD_DB_TRAINING);
	f->ctx = tu_open(&f->cfg, f->db, MD_DB_TRAINING);
	f->a = new_person(f->ctx, "見本", "ミホン", "1985-06-15", "F");
	f->b = new_person(f->ctx, "桜井", "サクライ", "1990-02-03", "F");
	f->ha = household_of(f->ctx, f->a);
	f->hb = household_of(f->ctx, f->b);
	assert_true(f->ha != f->hb);
	login(f->ctx, "supervisor1");
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

static void check(struct md_ctx *c, long long person, long long household, const char *op,
                  struct md_protect *p)
{
	struct md_error err;
	assert_int_equal(md_protect_check(c, person, household, op, p, &err), MD_OK);
}

static char *num(char *buf, long long n)
{
	snprintf(buf, 24, "%lld", n);
	return buf;
}

/* A cell of a result table by row and column name. */
static const char *cell(const struct md_result *res, int row, const char *col)
{
	assert_true(row < res->table.nrows);
	for (int c = 0; c < res->table.ncols; c++)
		if (strcmp(res->table.cols[c], col) == 0)
			return res->table.rows[row][c];
	print_error("no column %s\n", col);
	fail();
	return NULL;
}

/* ---- dates ------------------------------------------------------------------ */

static void expect_period(const char *start, int months, const char *want)
{
	char out[11];
	assert_int_equal(md_period_end(start, months, out), 0);
	if (strcmp(out, want) != 0)
		print_error("%s + %d months: got %s, want %s\n", start, months, out, want);
	assert_string_equal(out, want);
}

static void test_period_dates(void **state)
{
	char out[11];
	struct md_error err;
	(void)state;

	/* One year: 令和7年4月1日 -> 令和8年3月31日. */
	expect_period("2025-04-01", 12, "2026-03-31");
	/* Leap years: into a 2月29日, and from one that has no corresponding day. */
	expect_period("2023-03-01", 12, "2024-02-29");
	expect_period("2024-02-29", 12, "2025-02-28");
	expect_period("2024-03-01", 12, "2025-02-28");
	expect_period("2025-01-01", 12, "2025-12-31");
	/* One month. */
	expect_period("2026-04-01", 1, "2026-04-30");
	expect_period("2026-01-31", 1, "2026-02-28");
	expect_period("2024-01-30", 1, "2024-02-29");
	expect_period("2026-12-15", 1, "2027-01-14");
	assert_int_equal(md_period_end("2026-02-30", 12, out), -1);
	assert_int_equal(md_period_end("R7.4.1", 12, out), -1);

	/* The extension window opens one month before expiry. */
	assert_int_equal(md_support_extend_from("2026-03-31", out), 0);
	assert_string_equal(out, "2026-03-01");
	assert_int_equal(md_support_extend_from("2028-02-29", out), 0);
	assert_string_equal(out, "2028-02-01");
	assert_int_equal(md_support_extend_from("2026-05-15", out), 0);
	assert_string_equal(out, "2026-04-16");
	assert_int_equal(md_support_extend_from("2026-03-30", out), 0);
	assert_string_equal(out, "2026-02-28");   /* 2026-03-31 minus a month: no 2月31日 */

	/* An extension adds the next year. */
	assert_int_equal(md_support_extended_end("2026-03-31", out), 0);
	assert_string_equal(out, "2027-03-31");
	assert_int_equal(md_support_extended_end("2027-02-28", out), 0);
	assert_string_equal(out, "2028-02-29");
	assert_int_equal(md_support_extended_end("2028-02-29", out), 0);
	assert_string_equal(out, "2029-02-28");

	assert_int_equal(md_iso_add_days("2024-02-28", 1, out), 0);
	assert_string_equal(out, "2024-02-29");
	assert_int_equal(md_iso_add_days("2025-01-01", -1, out), 0);
	assert_string_equal(out, "2024-12-31");

	/* Date arguments: every input form, full dates only. */
	assert_int_equal(md_support_date("from", "令和7年4月1日", out, &err), MD_OK);
	assert_string_equal(out, "2025-04-01");
	assert_int_equal(md_support_date("from", "R8.3.31", out, &err), MD_OK);
	assert_string_equal(out, "2026-03-31");
	assert_int_equal(md_support_date("to", "R7.4", out, &err), MD_E_INVALID);
	assert_string_equal(err.field, "to");
	assert_non_null(strstr(err.msg, "full date"));
	assert_int_equal(md_support_date("to", "R7.2.30", out, &err), MD_E_INVALID);
	assert_string_equal(err.field, "to");
}

/* ---- 抑止 -------------------------------------------------------------------- */

static void test_suppression_block_and_alert(void **state)
{
	struct fx *f = *state;
	struct md_protect p;
	char a[24], h[24];

	OK(f->ctx, "suppression.set", "person", num(a, f->a), "operation", "certificate",
	   "mode", "error", "reason", "DV 申出により交付停止");
	OK(f->ctx, "suppression.set", "person", num(a, f->a), "operation", "lookup",
	   "mode", "alert", "reason", "照会注意");
	check(f->ctx, f->a, 0, "certificate", &p);
	assert_int_equal(p.blocked, 1);
	assert_non_null(strstr(p.msg, "DV 申出により交付停止"));
	check(f->ctx, f->a, 0, "lookup", &p);
	assert_int_equal(p.blocked, 0);
	assert_int_equal(p.alert, 1);
	assert_non_null(strstr(p.msg, "照会注意"));
	check(f->ctx, f->a, 0, "change", &p);
	assert_int_equal(p.blocked + p.alert, 0);
	assert_string_equal(p.msg, "");
	/* The other person is untouched. */
	check(f->ctx, f->b, 0, "certificate", &p);
	assert_int_equal(p.blocked + p.alert, 0);

	/* A household's 抑止 applies to its members, also when only the person is named. */
	OK(f->ctx, "suppression.set", "household", num(h, f->hb), "operation", "change",
	   "mode", "error", "reason", "世帯調査中");
	check(f->ctx, f->b, 0, "change", &p);
	assert_int_equal(p.blocked, 1);
	check(f->ctx, 0, f->hb, "change", &p);
	assert_int_equal(p.blocked, 1);
	check(f->ctx, f->a, f->ha, "change", &p);
	assert_int_equal(p.blocked, 0);

	/* Saved as given, with an audit entry per person concerned. */
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM suppressions WHERE set_by = 'supervisor1' "
	                                    "AND start_date = '2023-01-02' AND end_date IS NULL"), 3);
	assert_int_equal(tu_audit_count(f->ctx, "suppression.set", "ok", a), 2);
	assert_int_equal(tu_audit_count(f->ctx, "suppression.set", "ok", num(a, f->b)), 1);
}

static void test_suppression_dates(void **state)
{
	struct fx *f = *state;
	struct md_protect p;
	struct md_error err;
	char a[24];

	num(a, f->a);
	/* From tomorrow to the day after. */
	OK(f->ctx, "suppression.set", "person", a, "operation", "certificate", "mode", "error",
	   "from", "令和5年1月3日", "to", "2023-01-04", "reason", "期間指定");
	check(f->ctx, f->a, 0, "certificate", &p);
	assert_int_equal(p.blocked, 0);
	md_time_set(at(2023, 1, 3, 0, 0));
	check(f->ctx, f->a, 0, "certificate", &p);
	assert_int_equal(p.blocked, 1);
	md_time_set(at(2023, 1, 4, 23, 59));
	check(f->ctx, f->a, 0, "certificate", &p);
	assert_int_equal(p.blocked, 1);
	md_time_set(at(2023, 1, 5, 0, 0));
	check(f->ctx, f->a, 0, "certificate", &p);
	assert_int_equal(p.blocked, 0);

	/* Bad input names the field. */
	assert_int_equal(run(f->ctx, &err, "suppression.set", "person", a, "household", "1",
	                     "operation", "change", "mode", "error", "reason", "x", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "person");
	assert_int_equal(run(f->ctx, &err, "suppression.set", "operation", "change", "mode", "error",
	                     "reason", "x", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "person");
	assert_int_equal(run(f->ctx, &err, "suppression.set", "person", a, "operation", "print",
	                     "mode", "error", "reason", "x", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "operation");
	assert_int_equal(run(f->ctx, &err, "suppression.set", "person", a, "operation", "change",
	                     "mode", "block", "reason", "x", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "mode");
	assert_int_equal(run(f->ctx, &err, "suppression.set", "person", "99999", "operation", "change",
	                     "mode", "error", "reason", "x", NULL), MD_E_NOTFOUND);
	assert_int_equal(run(f->ctx, &err, "suppression.set", "household", "99999", "operation", "change",
	                     "mode", "error", "reason", "x", NULL), MD_E_NOTFOUND);
	assert_string_equal(err.field, "household");
	assert_int_equal(run(f->ctx, &err, "suppression.set", "person", a, "operation", "change",
	                     "mode", "error", "from", "R7.13.1", "reason", "x", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "from");
	assert_int_equal(run(f->ctx, &err, "suppression.set", "person", a, "operation", "change",
	                     "mode", "error", "from", "2023-02-01", "to", "2023-01-31", "reason", "x",
	                     NULL), MD_E_INVALID);
	assert_string_equal(err.field, "to");
	assert_int_equal(run(f->ctx, &err, "suppression.set", "person", a, "operation", "change",
	                     "mode", "error", "reason", "", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "reason");
	assert_int_equal(run(f->ctx, &err, "suppression.set", "person", a, "operation", "change",
	                     "mode", "error", "reason", "two\nlines", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "reason");
	/* Only the first one was saved. */
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM suppressions"), 1);
}

static void test_suppression_release_ends_by_itself(void **state)
{
	struct fx *f = *state;
	struct md_protect p;
	struct md_error err;
	struct md_result res;
	char a[24], id[24];

	num(a, f->a);
	OK(f->ctx, "suppression.set", "person", a, "operation", "certificate", "mode", "error",
	   "reason", "交付停止");
	num(id, tu_sql_int(f->ctx, "SELECT max(id) FROM suppressions"));
	md_time_set(at(2023, 1, 2, 10, 0));
	assert_int_equal(run_res(f->ctx, &err, &res, "suppression.release", "id", id, "minutes", "30",
	                         "reason", "本人確認済み", NULL), MD_OK);
	assert_non_null(strstr(res.message, "2023-01-02 10:30"));
	md_result_release(&res);
	check(f->ctx, f->a, 0, "certificate", &p);
	assert_int_equal(p.blocked, 0);
	md_time_set(at(2023, 1, 2, 10, 29));
	check(f->ctx, f->a, 0, "certificate", &p);
	assert_int_equal(p.blocked, 0);
	/* The list says it is released, and until when. */
	assert_int_equal(run_res(f->ctx, &err, &res, "suppression.list", "person", a, NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_string_equal(cell(&res, 0, "state"), "released until 2023-01-02 10:30");
	md_result_release(&res);
	/* 30 minutes later it applies again, without anyone doing anything. */
	md_time_set(at(2023, 1, 2, 10, 30));
	check(f->ctx, f->a, 0, "certificate", &p);
	assert_int_equal(p.blocked, 1);
	md_time_set(at(2023, 1, 2, 11, 0));
	check(f->ctx, f->a, 0, "certificate", &p);
	assert_int_equal(p.blocked, 1);
	assert_int_equal(tu_audit_count(f->ctx, "suppression.release", "ok", a), 1);
	tu_sql_text(f->ctx, "SELECT released_by FROM suppressions", a, sizeof a);
	assert_string_equal(a, "supervisor1");

	/* minutes: 1 to 480. */
	assert_int_equal(run(f->ctx, &err, "suppression.release", "id", id, "minutes", "0", NULL),
	                 MD_E_INVALID);
	assert_string_equal(err.field, "minutes");
	assert_int_equal(run(f->ctx, &err, "suppression.release", "id", id, "minutes", "481", NULL),
	                 MD_E_INVALID);
	assert_int_equal(run(f->ctx, &err, "suppression.release", "id", id, "minutes", "10m", NULL),
	                 MD_E_INVALID);
	assert_int_equal(run(f->ctx, &err, "suppression.release", "id", "999", "minutes", "10", NULL),
	                 MD_E_NOTFOUND);
	OK(f->ctx, "suppression.release", "id", id, "minutes", "480");
	md_time_set(at(2023, 1, 2, 18, 59));
	check(f->ctx, f->a, 0, "certificate", &p);
	assert_int_equal(p.blocked, 0);
	md_time_set(at(2023, 1, 2, 19, 0));
	check(f->ctx, f->a, 0, "certificate", &p);
	assert_int_equal(p.blocked, 1);
}

static void test_suppression_end(void **state)
{
	struct fx *f = *state;
	struct md_protect p;
	struct md_error err;
	char a[24], id[24], buf[256];

	num(a, f->a);
	OK(f->ctx, "suppression.set", "person", a, "operation", "change", "mode", "alert",
	   "reason", "要確認");
	num(id, tu_sql_int(f->ctx, "SELECT max(id) FROM suppressions"));
	check(f->ctx, f->a, 0, "change", &p);
	assert_int_equal(p.alert, 1);
	assert_int_equal(run(f->ctx, &err, "suppression.end", "id", id, NULL), MD_E_INVALID);
	assert_string_equal(err.field, "reason");
	OK(f->ctx, "suppression.end", "id", id, "reason", "確認済み");
	check(f->ctx, f->a, 0, "change", &p);
	assert_int_equal(p.alert, 0);
	assert_int_equal(run(f->ctx, &err, "suppression.end", "id", id, "reason", "again", NULL),
	                 MD_E_CONFLICT);
	assert_int_equal(run(f->ctx, &err, "suppression.release", "id", id, "minutes", "5", NULL),
	                 MD_E_CONFLICT);
	assert_int_equal(tu_audit_count(f->ctx, "suppression.end", "ok", a), 1);
	tu_sql_text(f->ctx, "SELECT detail FROM audit_log WHERE function = 'suppression.end'", buf, sizeof buf);
	assert_non_null(strstr(buf, "確認済み"));
	tu_sql_text(f->ctx, "SELECT ended_by FROM suppressions", buf, sizeof buf);
	assert_string_equal(buf, "supervisor1");
}

static void test_suppression_list_permissions(void **state)
{
	struct fx *f = *state;
	struct md_error err;
	struct md_result res;
	char a[24], b[24], id[24];

	num(a, f->a);
	num(b, f->b);
	OK(f->ctx, "suppression.set", "person", a, "operation", "certificate", "mode", "error",
	   "reason", "A1");
	OK(f->ctx, "suppression.set", "person", b, "operation", "lookup", "mode", "alert",
	   "reason", "B1");
	OK(f->ctx, "suppression.set", "person", b, "operation", "change", "mode", "alert",
	   "reason", "B2");
	num(id, tu_sql_int(f->ctx, "SELECT max(id) FROM suppressions"));
	OK(f->ctx, "suppression.end", "id", id, "reason", "済");

	/* A clerk may see one person's (that is what the counter needs)... */
	login(f->ctx, "clerk1");
	assert_int_equal(run_res(f->ctx, &err, &res, "suppression.list", "person", b, NULL), MD_OK);
	assert_int_equal(res.table.nrows, 2);
	assert_string_equal(cell(&res, 0, "reason"), "B2");
	assert_string_equal(cell(&res, 0, "state"), "ended");
	assert_string_equal(cell(&res, 1, "reason"), "B1");
	assert_string_equal(cell(&res, 1, "state"), "in force");
	assert_string_equal(cell(&res, 1, "person"), b);
	md_result_release(&res);
	assert_int_equal(tu_audit_count(f->ctx, "suppression.list", "ok", b), 1);
	/* ...but not everyone's, nor set or end any. */
	assert_int_equal(run(f->ctx, &err, "suppression.list", NULL), MD_E_DENIED);
	assert_int_equal(tu_audit_count(f->ctx, "suppression.list", "denied", NULL), 1);
	assert_int_equal(run(f->ctx, &err, "suppression.list", "household", "1", NULL), MD_E_DENIED);
	assert_int_equal(run(f->ctx, &err, "suppression.set", "person", a, "operation", "change", "mode",
	                     "error", "reason", "x", NULL), MD_E_DENIED);
	assert_int_equal(run(f->ctx, &err, "suppression.end", "id", "1", "reason", "x", NULL), MD_E_DENIED);
	assert_int_equal(run(f->ctx, &err, "suppression.release", "id", "1", "minutes", "5", NULL),
	                 MD_E_DENIED);
	assert_int_equal(tu_audit_count(f->ctx, "suppression.set", "denied", NULL), 1);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM suppressions"), 3);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM suppressions WHERE released_until "
	                                    "IS NOT NULL"), 0);

	/* A supervisor sees all in force. */
	login(f->ctx, "supervisor1");
	assert_int_equal(run_res(f->ctx, &err, &res, "suppression.list", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 2);
	assert_string_equal(cell(&res, 0, "reason"), "B1");
	assert_string_equal(cell(&res, 1, "reason"), "A1");
	assert_string_equal(cell(&res, 1, "operation"), "certificate");
	assert_string_equal(cell(&res, 1, "mode"), "error");
	assert_string_equal(cell(&res, 1, "from"), "2023-01-02");
	md_result_release(&res);
}

/* ---- 支援措置 ------------------------------------------------------------------- */

static void test_support_one_year(void **state)
{
	struct fx *f = *state;
	struct md_error err;
	struct md_result res;
	char a[24], b[24], buf[64];

	num(a, f->a);
	num(b, f->b);
	/* 令和7年4月1日 -> 令和8年3月31日. */
	md_time_set(at(2025, 4, 1, 3, 0));
	assert_int_equal(run_res(f->ctx, &err, &res, "support.set", "person", a, "from", "令和7年4月1日",
	                         "applicant_situation", "DV", NULL), MD_OK);
	assert_non_null(strstr(res.message, "令和7年4月1日 to 令和8年3月31日"));
	md_result_release(&res);
	tu_sql_text(f->ctx, "SELECT status || ' ' || start_date || ' ' || end_date || ' ' || provisional "
	                    "FROM support_measures", buf, sizeof buf);
	assert_string_equal(buf, "active 2025-04-01 2026-03-31 0");
	/* The default start is today; into 2月29日 of a leap year. */
	md_time_set(at(2023, 3, 1, 3, 0));
	OK(f->ctx, "support.set", "person", b);
	tu_sql_text(f->ctx, "SELECT start_date || ' ' || end_date FROM support_measures WHERE id = 2",
	            buf, sizeof buf);
	assert_string_equal(buf, "2023-03-01 2024-02-29");
	/* The end is not chosen, and a measure that would have ended is refused. */
	assert_int_equal(run(f->ctx, &err, "support.set", "person", a, "from", "R5.3.1", "to", "R6.3.1",
	                     NULL), MD_E_INVALID);
	assert_string_equal(err.field, "to");
	assert_int_equal(run(f->ctx, &err, "support.set", "person", a, "from", "R3.1.1", NULL),
	                 MD_E_INVALID);
	assert_string_equal(err.field, "from");
	/* One measure in force at a time. */
	assert_int_equal(run(f->ctx, &err, "support.set", "person", b, NULL), MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "measure 2"));
	assert_int_equal(run(f->ctx, &err, "support.set", "person", "424242", NULL), MD_E_NOTFOUND);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM support_measures"), 2);
	assert_int_equal(tu_audit_count(f->ctx, "support.set", "ok", a), 1);
	assert_int_equal(tu_audit_count(f->ctx, "support.set", "ok", b), 1);
	/* The log holds the number and dates, never the items. */
	tu_sql_text(f->ctx, "SELECT detail FROM audit_log WHERE function = 'support.set' ORDER BY id LIMIT 1",
	            buf, sizeof buf);
	assert_string_equal(buf, "measure=1 status=active start=2025-04-01 end=2026-03-31");
}

static void test_support_extend_window(void **state)
{
	struct fx *f = *state;
	struct md_protect p;
	struct md_error err;
	struct md_result res;
	char a[24], buf[64];

	num(a, f->a);
	md_time_set(at(2025, 4, 1, 3, 0));
	OK(f->ctx, "support.set", "person", a);
	/* The day before the last month: no alert, no extension. */
	md_time_set(at(2026, 2, 28, 23, 0));
	check(f->ctx, f->a, 0, "certificate", &p);
	assert_int_equal(p.measure_id, 1);
	assert_int_equal(p.alert, 1);
	assert_int_equal(p.expiring, 0);
	assert_null(strstr(p.msg, "extended"));
	assert_int_equal(run(f->ctx, &err, "support.extend", "id", "1", NULL), MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "令和8年3月1日"));
	assert_non_null(strstr(err.msg, "令和8年3月31日"));
	tu_sql_text(f->ctx, "SELECT end_date FROM support_measures", buf, sizeof buf);
	assert_string_equal(buf, "2026-03-31");
	/* The last month, first and last day: the alert. */
	md_time_set(at(2026, 3, 1, 0, 0));
	check(f->ctx, f->a, 0, "lookup", &p);
	assert_int_equal(p.expiring, 1);
	assert_non_null(strstr(p.msg, "令和8年3月31日"));
	assert_non_null(strstr(p.msg, "can be extended now"));
	md_time_set(at(2026, 3, 31, 23, 59));
	check(f->ctx, f->a, 0, "lookup", &p);
	assert_int_equal(p.expiring, 1);
	assert_int_equal(p.measure_id, 1);
	/* The support list marks it. */
	assert_int_equal(run_res(f->ctx, &err, &res, "support.list", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_string_equal(cell(&res, 0, "state"), "ends within a month: can be extended");
	assert_string_equal(cell(&res, 0, "name"), "見本 花子");
	assert_string_equal(cell(&res, 0, "status"), "measure (支援措置)");
	assert_non_null(strstr(res.message, "1 measure ends within a month"));
	md_result_release(&res);
	/* Extended in it: the end moves a year, and the alert stops. */
	assert_int_equal(run_res(f->ctx, &err, &res, "support.extend", "id", "1", NULL), MD_OK);
	assert_non_null(strstr(res.message, "令和9年3月31日"));
	md_result_release(&res);
	tu_sql_text(f->ctx, "SELECT start_date || ' ' || end_date || ' ' || updated_by FROM support_measures",
	            buf, sizeof buf);
	assert_string_equal(buf, "2025-04-01 2027-03-31 supervisor1");
	check(f->ctx, f->a, 0, "lookup", &p);
	assert_int_equal(p.expiring, 0);
	assert_int_equal(p.alert, 1);
	assert_int_equal(tu_audit_count(f->ctx, "support.extend", "ok", a), 1);
	tu_sql_text(f->ctx, "SELECT detail FROM audit_log WHERE function = 'support.extend'", buf, sizeof buf);
	assert_string_equal(buf, "measure=1 end=2026-03-31 new_end=2027-03-31");
	/* Not twice in the same window: the next one opens 2027-03-01. */
	assert_int_equal(run(f->ctx, &err, "support.extend", "id", "1", NULL), MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "令和9年3月1日"));
	/* After the end it has lapsed: no alert, no extension. */
	md_time_set(at(2027, 4, 1, 0, 0));
	check(f->ctx, f->a, 0, "lookup", &p);
	assert_int_equal(p.measure_id, 0);
	assert_int_equal(p.alert, 0);
	assert_int_equal(run(f->ctx, &err, "support.extend", "id", "1", NULL), MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "no longer"));
	/* A lapsed measure does not stop a new one. */
	OK(f->ctx, "support.set", "person", a);
	assert_int_equal(run(f->ctx, &err, "support.extend", "id", "99", NULL), MD_E_NOTFOUND);

	/* Month ends: 2026-01-30 to 2027-01-29, whose last month starts 2026-12-30. */
	md_time_set(at(2026, 1, 30, 3, 0));
	OK(f->ctx, "support.set", "person", num(a, f->b));
	tu_sql_text(f->ctx, "SELECT end_date FROM support_measures WHERE person_id = (SELECT max(id) FROM "
	                    "persons)", buf, sizeof buf);
	assert_string_equal(buf, "2027-01-29");
	md_time_set(at(2026, 12, 29, 23, 59));
	check(f->ctx, f->b, 0, "lookup", &p);
	assert_int_equal(p.measure_id, 3);
	assert_int_equal(p.expiring, 0);
	assert_int_equal(run(f->ctx, &err, "support.extend", "id", "3", NULL), MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "令和8年12月30日"));
	md_time_set(at(2026, 12, 30, 0, 0));
	check(f->ctx, f->b, 0, "lookup", &p);
	assert_int_equal(p.expiring, 1);
	OK(f->ctx, "support.extend", "id", "3");
	tu_sql_text(f->ctx, "SELECT end_date FROM support_measures WHERE id = 3", buf, sizeof buf);
	assert_string_equal(buf, "2028-01-29");
}

static void test_support_provisional(void **state)
{
	struct fx *f = *state;
	struct md_protect p;
	struct md_error err;
	struct md_result res;
	char a[24], b[24], buf[96];

	num(a, f->a);
	num(b, f->b);
	md_time_set(at(2026, 4, 1, 3, 0));
	assert_int_equal(run_res(f->ctx, &err, &res, "support.set", "person", a, "provisional", "1", NULL),
	                 MD_OK);
	assert_non_null(strstr(res.message, "仮支援措置"));
	assert_non_null(strstr(res.message, "令和8年4月1日 to 令和8年4月30日"));
	md_result_release(&res);
	tu_sql_text(f->ctx, "SELECT status || ' ' || provisional || ' ' || provisional_start || ' ' || "
	                    "provisional_end || ' ' || coalesce(start_date, '-') FROM support_measures",
	            buf, sizeof buf);
	assert_string_equal(buf, "provisional 1 2026-04-01 2026-04-30 -");
	/* It applies at once, and is never "expiring" (it is confirmed, not extended). */
	check(f->ctx, f->a, 0, "certificate", &p);
	assert_int_equal(p.measure_id, 1);
	assert_int_equal(p.alert, 1);
	assert_int_equal(p.blocked, 0);
	assert_non_null(strstr(p.msg, "provisional"));
	md_time_set(at(2026, 4, 29, 3, 0));
	check(f->ctx, f->a, 0, "certificate", &p);
	assert_int_equal(p.measure_id, 1);
	assert_int_equal(p.expiring, 0);
	assert_int_equal(run(f->ctx, &err, "support.extend", "id", "1", NULL), MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "confirm"));
	assert_int_equal(run(f->ctx, &err, "support.set", "person", a, NULL), MD_E_CONFLICT);
	/* Confirmed: a year from today. */
	assert_int_equal(run(f->ctx, &err, "support.confirm", "id", "1", NULL), MD_OK);
	tu_sql_text(f->ctx, "SELECT status || ' ' || provisional || ' ' || start_date || ' ' || end_date "
	                    "FROM support_measures", buf, sizeof buf);
	assert_string_equal(buf, "active 1 2026-04-29 2027-04-28");
	assert_int_equal(run(f->ctx, &err, "support.confirm", "id", "1", NULL), MD_E_CONFLICT);
	assert_int_equal(tu_audit_count(f->ctx, "support.confirm", "ok", a), 1);

	/* A provisional measure with its own end, which lapses by itself. */
	assert_int_equal(run(f->ctx, &err, "support.set", "person", b, "provisional", "1", "from",
	                     "R8.4.1", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "from");
	assert_int_equal(run(f->ctx, &err, "support.set", "person", b, "provisional", "1", "to",
	                     "R8.4.1", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "to");
	OK(f->ctx, "support.set", "person", b, "provisional", "1", "to", "R8.5.10");
	check(f->ctx, f->b, 0, "lookup", &p);
	assert_int_equal(p.measure_id, 2);
	md_time_set(at(2026, 5, 10, 23, 0));
	check(f->ctx, f->b, 0, "lookup", &p);
	assert_int_equal(p.measure_id, 2);
	md_time_set(at(2026, 5, 11, 0, 0));
	check(f->ctx, f->b, 0, "lookup", &p);
	assert_int_equal(p.measure_id, 0);
	/* A late confirmation still starts the year. */
	OK(f->ctx, "support.confirm", "id", "2", "from", "令和8年5月11日");
	check(f->ctx, f->b, 0, "lookup", &p);
	assert_int_equal(p.measure_id, 2);
	tu_sql_text(f->ctx, "SELECT end_date FROM support_measures WHERE id = 2", buf, sizeof buf);
	assert_string_equal(buf, "2027-05-10");
}

static void test_support_items_and_show(void **state)
{
	struct fx *f = *state;
	struct md_error err;
	struct md_result res;
	char a[24], buf[128];
	int found = 0;

	num(a, f->a);
	md_time_set(at(2026, 4, 1, 3, 0));
	assert_int_equal(run(f->ctx, &err, "support.set", "person", a, "protect_copy", "2", NULL),
	                 MD_E_INVALID);
	assert_string_equal(err.field, "protect_copy");
	assert_int_equal(run(f->ctx, &err, "support.set", "person", a, "forwarded_on", "R8.2.30", NULL),
	                 MD_E_INVALID);
	assert_string_equal(err.field, "forwarded_on");
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM support_measures"), 0);
	OK(f->ctx, "support.set", "person", a, "protect_copy", "0", "protect_fixed_asset", "1",
	   "offender", "見本 一郎", "forwarded_to", "東京都千代田区", "forwarded_on", "R8.3.1",
	   "contact", "090-0000-0000", "previous_addresses", "東京都千代田区1番");
	tu_sql_text(f->ctx, "SELECT protect_inspection || protect_copy || protect_removed_copy || "
	                    "protect_koseki_fuhyo || protect_prev_fuhyo || protect_fixed_asset || ' ' || "
	                    "offender || ' ' || forwarded_on || ' ' || contact FROM support_measures",
	            buf, sizeof buf);
	assert_string_equal(buf, "101001 見本 一郎 2026-03-01 090-0000-0000");

	/* Shown by number or by person, every item, with an audit entry. */
	assert_int_equal(run_res(f->ctx, &err, &res, "support.show", "person", a, NULL), MD_OK);
	assert_int_equal(res.table.ncols, 2);
	for (int r = 0; r < res.table.nrows; r++) {
		const char *item = res.table.rows[r][0], *value = res.table.rows[r][1];
		if (strcmp(item, "加害者") == 0) {
			assert_string_equal(value, "見本 一郎");
			found++;
		} else if (strcmp(item, "転送年月日") == 0) {
			assert_string_equal(value, "令和8年3月1日");
			found++;
		} else if (strcmp(item, "住民票の写し等の交付の制限（現住所）") == 0) {
			assert_string_equal(value, "not restricted");
			found++;
		} else if (strcmp(item, "支援措置終了日") == 0) {
			assert_string_equal(value, "令和9年3月31日");
			found++;
		} else if (strcmp(item, "宛名番号") == 0) {
			assert_string_equal(value, a);
			found++;
		}
	}
	assert_int_equal(found, 5);
	md_result_release(&res);
	assert_int_equal(tu_audit_count(f->ctx, "support.show", "ok", a), 1);
	assert_int_equal(run(f->ctx, &err, "support.show", "id", "1", NULL), MD_OK);
	assert_int_equal(tu_audit_count(f->ctx, "support.show", "ok", a), 2);
	assert_int_equal(run(f->ctx, &err, "support.show", "id", "2", NULL), MD_E_NOTFOUND);
	assert_int_equal(run(f->ctx, &err, "support.show", NULL), MD_E_INVALID);
	/* Nothing of the items reaches the audit log. */
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM audit_log WHERE detail LIKE '%一郎%' "
	                                    "OR detail LIKE '%090-%'"), 0);

	/* Every item of the measure is an argument of support.set. */
	for (const struct md_sm_item *it = md_support_items(); it->column; it++) {
		int has = 0;
		for (const struct md_arg_spec *s = md_cmd_find("support.set")->args; s->name; s++)
			has |= strcmp(s->name, it->column) == 0;
		if (!has)
			print_error("support.set has no argument %s\n", it->column);
		assert_true(has);
	}
}

static void test_support_end(void **state)
{
	struct fx *f = *state;
	struct md_protect p;
	struct md_error err;
	char a[24], buf[128];

	num(a, f->a);
	md_time_set(at(2026, 4, 1, 3, 0));
	OK(f->ctx, "support.set", "person", a);
	assert_int_equal(run(f->ctx, &err, "support.end", "id", "1", NULL), MD_E_INVALID);
	assert_int_equal(run(f->ctx, &err, "support.end", "id", "1", "reason", "不要", "no_need_notified_on",
	                     "R8.4", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "no_need_notified_on");
	OK(f->ctx, "support.end", "id", "1", "reason", "本人から不要の申出", "no_need_notified_on",
	   "令和8年3月31日");
	tu_sql_text(f->ctx, "SELECT status || ' ' || end_reason || ' ' || no_need_notified_on || ' ' || "
	                    "ended_by FROM support_measures", buf, sizeof buf);
	assert_string_equal(buf, "ended 本人から不要の申出 2026-03-31 supervisor1");
	check(f->ctx, f->a, 0, "certificate", &p);
	assert_int_equal(p.measure_id, 0);
	assert_int_equal(p.alert, 0);
	assert_int_equal(run(f->ctx, &err, "support.end", "id", "1", "reason", "x", NULL), MD_E_CONFLICT);
	assert_int_equal(run(f->ctx, &err, "support.extend", "id", "1", NULL), MD_E_CONFLICT);
	assert_int_equal(tu_audit_count(f->ctx, "support.end", "ok", a), 1);
	tu_sql_text(f->ctx, "SELECT detail FROM audit_log WHERE function = 'support.end'", buf, sizeof buf);
	assert_string_equal(buf, "measure=1 was=active");
	/* An ended measure is not listed; a new one may be set. */
	assert_int_equal(run(f->ctx, &err, "support.list", NULL), MD_OK);
	OK(f->ctx, "support.set", "person", a);
}

static void test_support_attempts(void **state)
{
	struct fx *f = *state;
	struct md_protect p;
	struct md_error err;
	struct md_result res;
	char a[24], b[24];

	num(a, f->a);
	num(b, f->b);
	md_time_set(at(2026, 4, 1, 3, 0));
	OK(f->ctx, "support.set", "person", a);
	OK(f->ctx, "support.set", "person", b, "provisional", "1");
	login(f->ctx, "clerk1");
	check(f->ctx, f->a, 0, "certificate", &p);
	md_protect_log_attempt(f->ctx, p.measure_id, f->a, "certificate", "blocked", "third party");
	md_time_set(at(2026, 4, 20, 9, 0));
	check(f->ctx, f->b, 0, "lookup", &p);
	assert_int_equal(p.measure_id, 2);
	md_protect_log_attempt(f->ctx, p.measure_id, f->b, "lookup", "allowed after checks", "本人");
	md_time_set(at(2026, 4, 20, 10, 0));
	md_protect_log_attempt(f->ctx, 1, f->a, "lookup", "overridden", NULL);

	login(f->ctx, "supervisor1");
	assert_int_equal(run_res(f->ctx, &err, &res, "support.attempts", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 3);
	/* Newest first, with who and where. */
	assert_string_equal(cell(&res, 0, "time"), "2026-04-20 10:00");
	assert_string_equal(cell(&res, 0, "outcome"), "overridden");
	assert_string_equal(cell(&res, 1, "person"), b);
	assert_string_equal(cell(&res, 1, "measure"), "2");
	assert_string_equal(cell(&res, 1, "user"), "clerk1");
	assert_string_equal(cell(&res, 1, "terminal"), f->cfg.terminal_id);
	assert_string_equal(cell(&res, 1, "detail"), "本人");
	assert_string_equal(cell(&res, 2, "operation"), "certificate");
	assert_string_equal(cell(&res, 2, "outcome"), "blocked");
	md_result_release(&res);
	/* The last day only; one person only. */
	assert_int_equal(run_res(f->ctx, &err, &res, "support.attempts", "days", "1", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 2);
	md_result_release(&res);
	assert_int_equal(run_res(f->ctx, &err, &res, "support.attempts", "person", a, NULL), MD_OK);
	assert_int_equal(res.table.nrows, 2);
	assert_string_equal(cell(&res, 1, "person"), a);
	md_result_release(&res);
	assert_int_equal(run(f->ctx, &err, "support.attempts", "days", "0", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "days");
	assert_int_equal(tu_audit_count(f->ctx, "support.attempts", "ok", NULL), 3);
	md_time_set(at(2026, 6, 1, 0, 0));
	assert_int_equal(run_res(f->ctx, &err, &res, "support.attempts", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 0);
	assert_non_null(strstr(res.message, "30 days"));
	md_result_release(&res);
}

static void test_support_permissions(void **state)
{
	struct fx *f = *state;
	struct md_error err;
	char a[24];
	static const char *const users[] = { "clerk1", "auditor1", "admin1" };

	num(a, f->a);
	md_time_set(at(2026, 4, 1, 3, 0));
	for (size_t u = 0; u < sizeof users / sizeof users[0]; u++) {
		login(f->ctx, users[u]);
		assert_int_equal(run(f->ctx, &err, "support.set", "person", a, NULL), MD_E_DENIED);
		assert_non_null(strstr(err.msg, "support.manage"));
		assert_int_equal(run(f->ctx, &err, "support.show", "person", a, NULL), MD_E_DENIED);
		assert_non_null(strstr(err.msg, "support.view"));
		assert_int_equal(run(f->ctx, &err, "support.list", NULL), MD_E_DENIED);
		assert_int_equal(run(f->ctx, &err, "support.attempts", NULL), MD_E_DENIED);
	}
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM support_measures"), 0);
	assert_int_equal(tu_audit_count(f->ctx, "support.set", "denied", NULL), 3);
	assert_int_equal(tu_audit_count(f->ctx, "support.show", "denied", NULL), 3);

	login(f->ctx, "supervisor1");
	OK(f->ctx, "support.set", "person", a);
	login(f->ctx, "clerk1");
	assert_int_equal(run(f->ctx, &err, "support.extend", "id", "1", NULL), MD_E_DENIED);
	assert_int_equal(run(f->ctx, &err, "support.end", "id", "1", "reason", "x", NULL), MD_E_DENIED);
	assert_int_equal(run(f->ctx, &err, "support.confirm", "id", "1", NULL), MD_E_DENIED);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM support_measures WHERE status = 'active'"),
	                 1);
	assert_int_equal(tu_audit_count(f->ctx, "support.set", "ok", a), 1);
	/* The permissions are the table's. */
	assert_string_equal(md_cmd_find("suppression.set")->permission, "support.manage");
	assert_string_equal(md_cmd_find("suppression.list")->permission, "resident.lookup");
	assert_string_equal(md_cmd_find("support.show")->permission, "support.view");
	assert_string_equal(md_cmd_find("support.extend")->permission, "support.manage");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_period_dates),
		T(test_suppression_block_and_alert),
		T(test_suppression_dates),
		T(test_suppression_release_ends_by_itself),
		T(test_suppression_end),
		T(test_suppression_list_permissions),
		T(test_support_one_year),
		T(test_support_extend_window),
		T(test_support_provisional),
		T(test_support_items_and_show),
		T(test_support_end),
		T(test_support_attempts),
		T(test_support_permissions),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
