/* test_inquiry.c: inquiries and disclosure requests (inquiry.c,
 * inquiry_extract.c, cmd_inquiry.c): the lifecycle of an inquiry (record,
 * assign, answer, close), the filters of the list (open, mine, overdue
 * against the 30 days of data), the disclosure request's decision by a
 * second supervisor, the refusals (extract before approval, self-approval,
 * closing twice, bad dates named, permissions) and their audit entries, and
 * the extract read back with pdftotext (skipped when it is missing). */
#include "config.h"

#include <stdarg.h>
#include <sys/stat.h>

#define TU_WITH_DB
#include "testutil.h"

#include "cmd.h"
#include "ctx.h"
#include "error.h"
#include "inquiry.h"
#include "result.h"
#include "settings.h"
#include "store.h"
#include "timeutil.h"

#define EVENT "2026-03-25"   /* a week before "today", tu_day(0) = 2026-04-01 */
#define MYNUMBER "123456789018"

static struct world {
	char *dir, *db;
	struct md_settings cfg;
	struct md_ctx *clerk, *sup, *sup2, *admin;
	long long taro;
	char taro_s[24];
	int have_pdftotext;
} W;

/* ---- helpers ------------------------------------------------------------------------ */

static int vrun(struct md_ctx *c, struct md_result *res, struct md_error *err, const char *name,
                va_list ap)
{
	struct md_args a;
	const char *k;

	md_args_init(&a);
	while ((k = va_arg(ap, const char *)) != NULL) {
		const char *v = va_arg(ap, const char *);
		assert_int_equal(md_args_set(&a, k, v), 0);
	}
	md_result_init(res);
	return md_cmd_exec(c, name, &a, res, err);
}

/* Runs a command; the result is released, the status returned, err kept. */
static int run(struct md_ctx *c, struct md_error *err, const char *name, ...)
{
	struct md_result res;
	va_list ap;
	int rc;

	va_start(ap, name);
	rc = vrun(c, &res, err, name, ap);
	va_end(ap);
	md_result_release(&res);
	return rc;
}

static void ok(struct md_ctx *c, const char *name, ...)
{
	struct md_result res;
	struct md_error err;
	va_list ap;
	int rc;

	va_start(ap, name);
	rc = vrun(c, &res, &err, name, ap);
	va_end(ap);
	if (rc != MD_OK)
		print_error("%s: %s (%s)\n", name, err.msg, err.field);
	assert_int_equal(rc, MD_OK);
	md_result_release(&res);
}

/* A command into res, which the caller releases. */
static void ok_res(struct md_ctx *c, struct md_result *res, const char *name, ...)
{
	struct md_error err;
	va_list ap;
	int rc;

	va_start(ap, name);
	rc = vrun(c, res, &err, name, ap);
	va_end(ap);
	if (rc != MD_OK)
		print_error("%s: %s (%s)\n", name, err.msg, err.field);
	assert_int_equal(rc, MD_OK);
}

static struct md_ctx *login(const char *user, const char *pw)
{
	struct md_ctx *c = tu_open(&W.cfg, W.db, MD_DB_TRAINING);
	ok(c, "login", "user", user, "password", pw, NULL);
	return c;
}

static long long last_inquiry(void)
{
	return tu_sql_int(W.sup, "SELECT max(id) FROM inquiries");
}

static char *idtext(long long id)
{
	static char buf[8][24];
	static int k;
	k = (k + 1) % 8;
	snprintf(buf[k], sizeof buf[k], "%lld", id);
	return buf[k];
}

/* The row count of a list with the given flags, and whether id is among them. */
static int list_has(struct md_ctx *c, long long id, int *rows, ...)
{
	struct md_result res;
	struct md_error err;
	va_list ap;
	int rc, found = 0;

	va_start(ap, rows);
	rc = vrun(c, &res, &err, "inquiry.list", ap);
	va_end(ap);
	assert_int_equal(rc, MD_OK);
	assert_string_equal(res.table.cols[0], "id");
	for (int r = 0; r < res.table.nrows; r++)
		if (atoll(res.table.rows[r][0]) == id)
			found = 1;
	if (rows)
		*rows = res.table.nrows;
	md_result_release(&res);
	return found;
}

/* The value of the show row whose item starts with item, or NULL (copied into buf). */
static const char *show_value(long long id, const char *item, char *buf, size_t n)
{
	struct md_result res;
	const char *v = NULL;

	ok_res(W.sup, &res, "inquiry.show", "id", idtext(id), NULL);
	for (int r = 0; r < res.table.nrows; r++)
		if (strncmp(res.table.rows[r][0], item, strlen(item)) == 0) {
			snprintf(buf, n, "%s", res.table.rows[r][1]);
			v = buf;
			break;
		}
	md_result_release(&res);
	return v;
}

/* ---- the ward --------------------------------------------------------------------------- */

static void build_world(void)
{
	ok(W.clerk, "change.save", "type", "move_in", "event_date", EVENT, "address",
	   "見本区見本町一丁目2番3号", "previous_address", "東京都千代田区千代田1-1", "p1.relationship",
	   "世帯主", "p1.surname", "山田", "p1.given_name", "太郎", "p1.surname_kana", "ヤマダ",
	   "p1.given_name_kana", "タロウ", "p1.birth_date", "S55.3.14", "p1.sex", "男", "p1.honseki",
	   "見本県見本市本町1番地", "p1.hittosha", "山田 一郎", "p1.mynumber", MYNUMBER, NULL);
	ok(W.sup, "change.approve", "id", idtext(tu_sql_int(W.sup, "SELECT max(id) FROM changes")), NULL);
	W.taro = tu_sql_int(W.sup, "SELECT id FROM persons WHERE surname = '山田' AND given_name = '太郎'");
	assert_true(W.taro > 0);
	snprintf(W.taro_s, sizeof W.taro_s, "%lld", W.taro);
	/* A second supervisor, as the office would add one. */
	ok(W.admin, "user.add", "id", "sup2", "role", "supervisor", "name", "審査 二郎", "password",
	   "Shinsa-2026-pw", "reason", "研修", NULL);
	tu_sql_exec(W.admin, "UPDATE users SET must_change = 0 WHERE id = 'sup2'");
	W.sup2 = login("sup2", "Shinsa-2026-pw");
}

static int group_setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	/* As at a Japanese counter (LANG=ja_JP.UTF-8): fontconfig then names
	 * the font's family "IPAex明朝", which must still be found. */
	setenv("FC_LANG", "ja", 1);
	md_time_set(tu_day(0));
	W.have_pdftotext = system("pdftotext -v > /dev/null 2>&1") == 0;
	md_settings_defaults(&W.cfg);
	if (!(W.dir = tu_tmpdir()))
		return -1;
	W.db = tu_create_db(W.dir, "ward.db", &W.cfg, MD_DB_TRAINING);
	W.clerk = login("clerk1", "demo");
	W.sup = login("supervisor1", "demo");
	W.admin = login("admin1", "demo");
	build_world();
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	md_ctx_free(&W.clerk);
	md_ctx_free(&W.sup);
	md_ctx_free(&W.sup2);
	md_ctx_free(&W.admin);
	tu_rmdir(W.dir);
	free(W.db);
	md_time_set(0);
	return 0;
}

/* ---- an inquiry from record to close ------------------------------------------------------ */

static void test_lifecycle(void **state)
{
	struct md_error err;
	char buf[600], sql[200];
	long long id, audits = tu_audit_count(W.sup, "inquiry.record", "ok", W.taro_s);
	int rows;

	(void)state;
	ok(W.sup, "inquiry.record", "kind", "問合せ", "channel", "電話", "requester", "山田 太郎",
	   "subject", "転入届の必要書類", "content", "転入届に必要な書類を知りたい", "person", W.taro_s,
	   "contact", "090-1111-2222", NULL);
	id = last_inquiry();
	snprintf(sql, sizeof sql, "SELECT kind || ',' || channel || ',' || received_on || ',' || "
	                          "coalesce(due_on, '-') FROM inquiries WHERE id = %lld", id);
	tu_sql_text(W.sup, sql, buf, sizeof buf);
	assert_string_equal(buf, "inquiry,phone,2026-04-01,-");   /* an inquiry has no deadline */
	assert_int_equal(tu_audit_count(W.sup, "inquiry.record", "ok", W.taro_s), audits + 1);

	/* Open, not yet mine. */
	assert_true(list_has(W.sup, id, NULL, NULL));
	assert_false(list_has(W.sup, id, NULL, "mine", "1", NULL));
	ok(W.sup, "inquiry.assign", "id", idtext(id), "handler", "supervisor1", NULL);
	assert_true(list_has(W.sup, id, NULL, "mine", "1", NULL));
	assert_false(list_has(W.sup2, id, NULL, "mine", "1", NULL));
	/* Assigning the same handler again says so. */
	assert_int_equal(run(W.sup, &err, "inquiry.assign", "id", idtext(id), "handler", "supervisor1",
	                     NULL), MD_E_INVALID);
	assert_int_equal(run(W.sup, &err, "inquiry.assign", "id", idtext(id), "handler", "nobody", NULL),
	                 MD_E_NOTFOUND);
	assert_string_equal(err.field, "handler");

	/* Closing needs the handling first. */
	assert_int_equal(run(W.sup, &err, "inquiry.close", "id", idtext(id), NULL), MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "no answer"));
	ok(W.sup, "inquiry.answer", "id", idtext(id), "answer", "本人確認書類と転出証明書が必要と回答", NULL);
	ok(W.sup, "inquiry.edit", "id", idtext(id), "subject", "転入届の必要書類について", NULL);
	assert_string_equal(show_value(id, "Subject", buf, sizeof buf), "転入届の必要書類について");
	ok(W.sup, "inquiry.close", "id", idtext(id), "note", "電話で回答済", NULL);
	snprintf(sql, sizeof sql, "SELECT closed_on || ',' || closed_by FROM inquiries WHERE id = %lld", id);
	tu_sql_text(W.sup, sql, buf, sizeof buf);
	assert_string_equal(buf, "2026-04-01,supervisor1");

	/* Closing twice, and any change after closing, are refused. */
	assert_int_equal(run(W.sup, &err, "inquiry.close", "id", idtext(id), NULL), MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "was closed on"));
	assert_int_equal(run(W.sup, &err, "inquiry.answer", "id", idtext(id), "answer", "追記", NULL),
	                 MD_E_CONFLICT);
	assert_int_equal(run(W.sup, &err, "inquiry.edit", "id", idtext(id), "subject", "x", NULL),
	                 MD_E_CONFLICT);
	/* Nor can SQL reopen it. */
	snprintf(sql, sizeof sql, "UPDATE inquiries SET closed_on = NULL WHERE id = %lld", id);
	assert_int_not_equal(sqlite3_exec(md_store_db(W.sup->store), sql, NULL, NULL, NULL), SQLITE_OK);

	/* Closed: only in the whole list. */
	assert_false(list_has(W.sup, id, &rows, NULL));
	assert_true(list_has(W.sup, id, NULL, "all", "1", NULL));

	/* The history has every step, in order. */
	snprintf(sql, sizeof sql, "SELECT group_concat(action, ',') FROM (SELECT action FROM "
	                          "inquiry_events WHERE inquiry_id = %lld ORDER BY id)", id);
	tu_sql_text(W.sup, sql, buf, sizeof buf);
	assert_string_equal(buf, "record,assign,answer,edit,close");
	assert_non_null(show_value(id, "History", buf, sizeof buf));
	assert_non_null(strstr(buf, "受付"));
	assert_string_equal(show_value(id, "State", buf, sizeof buf), "完了");
	/* Each step is audited against the person. */
	assert_int_equal(tu_audit_count(W.sup, "inquiry.close", "ok", W.taro_s), 1);
	assert_true(tu_audit_count(W.sup, "inquiry.answer", "ok", W.taro_s) >= 1);
}

/* ---- a disclosure request ------------------------------------------------------------------ */

static void test_disclosure(void **state)
{
	struct md_error err;
	struct md_result res;
	char buf[600], sql[200];
	long long id;
	struct stat st;

	(void)state;
	ok(W.sup, "inquiry.record", "kind", "開示請求", "channel", "窓口", "requester", "山田 太郎",
	   "subject", "自己情報の開示", "content", "住民票の記録と閲覧の記録", "person", W.taro_s,
	   "received_on", "R8.3.30", NULL);
	id = last_inquiry();
	snprintf(sql, sizeof sql, "SELECT received_on || ',' || due_on FROM inquiries WHERE id = %lld", id);
	tu_sql_text(W.sup, sql, buf, sizeof buf);
	assert_string_equal(buf, "2026-03-30,2026-04-29");   /* 30 days, from inquiry_kinds */

	/* Before approval the extract is refused, and the refusal is logged. */
	assert_int_equal(run(W.sup, &err, "inquiry.extract", "id", idtext(id), NULL), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "not approved"));
	assert_int_equal(tu_audit_count(W.sup, "inquiry.extract", "denied", W.taro_s), 1);
	assert_int_equal(tu_sql_int(W.sup, "SELECT count(*) FROM inquiries WHERE extract_path IS NOT NULL"), 0);

	/* Closing an undecided request is refused. */
	assert_int_equal(run(W.sup, &err, "inquiry.close", "id", idtext(id), NULL), MD_E_CONFLICT);

	/* The recorder cannot approve it (logged); the other supervisor can. */
	assert_int_equal(run(W.sup, &err, "inquiry.approve", "id", idtext(id), NULL), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "another supervisor"));
	assert_int_equal(tu_audit_count(W.sup, "inquiry.approve", "denied", W.taro_s), 1);
	/* A clerk may not approve at all. */
	assert_int_equal(run(W.clerk, &err, "inquiry.approve", "id", idtext(id), NULL), MD_E_DENIED);
	ok(W.sup2, "inquiry.approve", "id", idtext(id), "note", "本人確認済", NULL);
	assert_int_equal(run(W.sup2, &err, "inquiry.approve", "id", idtext(id), NULL), MD_E_CONFLICT);
	assert_int_equal(run(W.sup2, &err, "inquiry.refuse", "id", idtext(id), "note", "x", NULL),
	                 MD_E_CONFLICT);
	/* What was decided cannot be edited. */
	assert_int_equal(run(W.sup, &err, "inquiry.edit", "id", idtext(id), "person", "", NULL),
	                 MD_E_CONFLICT);

	/* The extract: a new PDF in the database's spool, recorded and logged. */
	ok_res(W.sup, &res, "inquiry.extract", "id", idtext(id), NULL);
	assert_non_null(strstr(res.message, ".spool/見本-開示用抽出-"));
	md_result_release(&res);
	snprintf(sql, sizeof sql, "SELECT extract_path FROM inquiries WHERE id = %lld", id);
	tu_sql_text(W.sup, sql, buf, sizeof buf);
	assert_int_equal(stat(buf, &st), 0);
	assert_true(st.st_size > 1000);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(tu_audit_count(W.sup, "inquiry.extract", "ok", W.taro_s), 1);
	/* The producing read the record and its history, logged as such. */
	assert_true(tu_audit_count(W.sup, "resident.view", "ok", W.taro_s) >= 1);

	ok(W.sup, "inquiry.answer", "id", idtext(id), "answer", "開示の実施（写しの交付）", NULL);
	ok(W.sup, "inquiry.close", "id", idtext(id), NULL);
	/* A closed request makes no more extracts. */
	assert_int_equal(run(W.sup, &err, "inquiry.extract", "id", idtext(id), NULL), MD_E_CONFLICT);
	snprintf(sql, sizeof sql, "SELECT group_concat(action, ',') FROM (SELECT action FROM "
	                          "inquiry_events WHERE inquiry_id = %lld ORDER BY id)", id);
	tu_sql_text(W.sup, sql, buf, sizeof buf);
	assert_string_equal(buf, "record,extract.refused,approve.refused,approve,extract,answer,close");
}

static void test_refusal_decision(void **state)
{
	struct md_error err;
	long long id;

	(void)state;
	/* An inquiry is not decided; a request without a person cannot be. */
	ok(W.sup, "inquiry.record", "kind", "inquiry", "channel", "email", "requester", "匿名",
	   "subject", "開示手数料", "content", "手数料はかかるか", NULL);
	id = last_inquiry();
	assert_int_equal(run(W.sup2, &err, "inquiry.approve", "id", idtext(id), NULL), MD_E_INVALID);
	assert_int_equal(run(W.sup2, &err, "inquiry.extract", "id", idtext(id), NULL), MD_E_INVALID);
	ok(W.sup, "inquiry.record", "kind", "disclosure", "channel", "post", "requester", "代理人 甲",
	   "subject", "開示請求", "content", "委任状なし", NULL);
	id = last_inquiry();
	assert_int_equal(run(W.sup2, &err, "inquiry.approve", "id", idtext(id), NULL), MD_E_INVALID);
	assert_string_equal(err.field, "person");
	ok(W.sup, "inquiry.edit", "id", idtext(id), "person", W.taro_s, NULL);
	/* A refusal needs its reason; after it there is no extract. */
	assert_int_equal(run(W.sup2, &err, "inquiry.refuse", "id", idtext(id), NULL), MD_E_INVALID);
	assert_string_equal(err.field, "note");
	ok(W.sup2, "inquiry.refuse", "id", idtext(id), "note", "代理権の確認ができない", NULL);
	assert_int_equal(run(W.sup, &err, "inquiry.extract", "id", idtext(id), NULL), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "refused"));
	ok(W.sup, "inquiry.close", "id", idtext(id), NULL);
}

/* ---- bad input --------------------------------------------------------------------------- */

static void expect_field(int rc, const struct md_error *err, int code, const char *field)
{
	if (rc != code || strcmp(err->field, field) != 0)
		print_error("expected %d on %s, got %d on %s: %s\n", code, field, rc, err->field, err->msg);
	assert_int_equal(rc, code);
	assert_string_equal(err->field, field);
}

static void test_bad_input(void **state)
{
	struct md_error err;
	long long before = tu_sql_int(W.sup, "SELECT count(*) FROM inquiries"), id;

	(void)state;
#define REC(...) run(W.sup, &err, "inquiry.record", "channel", "窓口", "requester", "甲", \
	             "subject", "件名", "content", "内容", __VA_ARGS__, NULL)
	expect_field(REC("kind", "苦情"), &err, MD_E_INVALID, "kind");
	assert_non_null(strstr(err.msg, "開示請求"));
	expect_field(REC("kind", "問合せ", "received_on", "R8.13.40"), &err, MD_E_INVALID, "received_on");
	assert_non_null(strstr(err.msg, "受付日"));
	expect_field(REC("kind", "問合せ", "received_on", "R8.4"), &err, MD_E_INVALID, "received_on");
	expect_field(REC("kind", "問合せ", "received_on", "2026-04-02"), &err, MD_E_INVALID, "received_on");
	assert_non_null(strstr(err.msg, "future"));
	expect_field(REC("kind", "問合せ", "person", "99999"), &err, MD_E_NOTFOUND, "person");
	expect_field(REC("kind", "問合せ", "person", "abc"), &err, MD_E_INVALID, "person");
	expect_field(REC("kind", "問合せ", "handler", "nobody"), &err, MD_E_NOTFOUND, "handler");
	expect_field(run(W.sup, &err, "inquiry.record", "kind", "問合せ", "channel", "伝書鳩", "requester",
	                 "甲", "subject", "件名", "content", "内容", NULL), &err, MD_E_INVALID, "channel");
	expect_field(run(W.sup, &err, "inquiry.record", "kind", "問合せ", "channel", "窓口", "requester",
	                 "甲", "subject", "件名\n二行", "content", "内容", NULL), &err, MD_E_INVALID, "subject");
	expect_field(run(W.sup, &err, "inquiry.record", "kind", "問合せ", "channel", "窓口", "subject",
	                 "件名", "content", "内容", NULL), &err, MD_E_INVALID, "requester");
#undef REC
	assert_int_equal(tu_sql_int(W.sup, "SELECT count(*) FROM inquiries"), before);

	/* Dates of the steps. */
	ok(W.sup, "inquiry.record", "kind", "問合せ", "channel", "窓口", "requester", "甲", "subject", "件名",
	   "content", "内容", "received_on", "令和8年3月20日", NULL);
	id = last_inquiry();
	expect_field(run(W.sup, &err, "inquiry.answer", "id", idtext(id), "answer", "回答", "date",
	                 "R8.3.19", NULL), &err, MD_E_INVALID, "date");
	expect_field(run(W.sup, &err, "inquiry.answer", "id", idtext(id), "answer", "回答", "date",
	                 "昨日", NULL), &err, MD_E_INVALID, "date");
	ok(W.sup, "inquiry.answer", "id", idtext(id), "answer", "回答", "date", "R8.3.21", NULL);
	expect_field(run(W.sup, &err, "inquiry.close", "id", idtext(id), "date", "2026-03-01", NULL), &err,
	             MD_E_INVALID, "date");
	expect_field(run(W.sup, &err, "inquiry.close", "id", idtext(id), "date", "2027-01-01", NULL), &err,
	             MD_E_INVALID, "date");
	expect_field(run(W.sup, &err, "inquiry.show", "id", "x", NULL), &err, MD_E_INVALID, "id");
	expect_field(run(W.sup, &err, "inquiry.show", "id", "424242", NULL), &err, MD_E_NOTFOUND, "id");
	ok(W.sup, "inquiry.close", "id", idtext(id), "date", "R8.3.22", NULL);
}

/* ---- the list's filters and permissions ------------------------------------------------------- */

static void test_overdue_and_permissions(void **state)
{
	struct md_error err;
	long long late, fresh, plain;
	int rows;

	(void)state;
	ok(W.sup, "inquiry.record", "kind", "開示請求", "channel", "郵送", "requester", "山田 太郎",
	   "subject", "開示請求（遅延）", "content", "記録の開示", "person", W.taro_s, "received_on",
	   "2026-02-20", NULL);
	late = last_inquiry();
	ok(W.sup, "inquiry.record", "kind", "開示請求", "channel", "郵送", "requester", "山田 太郎",
	   "subject", "開示請求（新）", "content", "記録の開示", "person", W.taro_s, NULL);
	fresh = last_inquiry();
	ok(W.sup, "inquiry.record", "kind", "問合せ", "channel", "窓口", "requester", "乙", "subject", "古い問合せ",
	   "content", "内容", "received_on", "2025-01-01", NULL);
	plain = last_inquiry();
	assert_true(list_has(W.sup, late, &rows, "overdue", "1", NULL));
	assert_false(list_has(W.sup, fresh, NULL, "overdue", "1", NULL));
	assert_false(list_has(W.sup, plain, NULL, "overdue", "1", NULL));   /* no legal deadline */
	assert_true(list_has(W.sup, fresh, NULL, "kind", "開示請求", NULL));
	assert_false(list_has(W.sup, plain, NULL, "kind", "開示請求", NULL));
	/* A decision ends the delay. */
	ok(W.sup2, "inquiry.approve", "id", idtext(late), NULL);
	assert_false(list_has(W.sup, late, NULL, "overdue", "1", NULL));
	/* Time passes: the new one falls due after 30 days. */
	md_time_set(tu_day(31));
	assert_true(list_has(W.sup, fresh, NULL, "overdue", "1", NULL));
	md_time_set(tu_day(0));

	/* A clerk has no inquiries; an admin records and lists them but neither
	 * decides nor produces extracts (no resident data for the admin role). */
	assert_int_equal(run(W.clerk, &err, "inquiry.list", NULL), MD_E_DENIED);
	assert_true(tu_audit_count(W.clerk, "inquiry.list", "denied", NULL) >= 1);
	assert_true(list_has(W.admin, fresh, NULL, NULL));
	assert_int_equal(run(W.admin, &err, "inquiry.approve", "id", idtext(fresh), NULL), MD_E_DENIED);
	assert_int_equal(run(W.admin, &err, "inquiry.extract", "id", idtext(late), NULL), MD_E_DENIED);
	ok(W.admin, "inquiry.assign", "id", idtext(fresh), "handler", "sup2", NULL);
	assert_true(list_has(W.sup2, fresh, NULL, "mine", "1", NULL));
	/* A disabled account is no handler. */
	ok(W.admin, "user.add", "id", "gone1", "role", "supervisor", "password", "Gone-2026-pw-x", "reason",
	   "研修", NULL);
	ok(W.admin, "user.disable", "id", "gone1", "reason", "異動", NULL);
	expect_field(run(W.admin, &err, "inquiry.assign", "id", idtext(fresh), "handler", "gone1", NULL),
	             &err, MD_E_INVALID, "handler");
}

/* ---- the extract read back ---------------------------------------------------------------------- */

static char *squeeze(char *s)
{
	char *o = s;
	for (char *p = s; *p;) {
		if (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t' || *p == '\f')
			p++;
		else if (!strncmp(p, "\xE3\x80\x80", 3))
			p += 3;
		else
			*o++ = *p++;
	}
	*o = '\0';
	return s;
}

static void has(const char *text, const char *wanted)
{
	char *w = squeeze(strdup(wanted));
	if (!strstr(text, w))
		print_error("missing \"%s\" in:\n%s\n", w, text);
	assert_non_null(strstr(text, w));
	free(w);
}

static void test_extract_pdf(void **state)
{
	struct md_result res;
	char *txt, cmd[1400], *text, path[1024], sql[200];
	long long id;

	(void)state;
	if (!W.have_pdftotext)
		skip();
	/* Something to find in the access history: a search that found him. */
	ok(W.clerk, "resident.view", "id", W.taro_s, NULL);
	ok(W.sup, "inquiry.record", "kind", "開示請求", "channel", "窓口", "requester", "山田 太郎",
	   "subject", "自己情報の開示（写し）", "content", "全ての記録", "person", W.taro_s, NULL);
	id = last_inquiry();
	ok(W.sup2, "inquiry.approve", "id", idtext(id), NULL);
	ok_res(W.sup2, &res, "inquiry.extract", "id", idtext(id), NULL);
	md_result_release(&res);
	snprintf(sql, sizeof sql, "SELECT extract_path FROM inquiries WHERE id = %lld", id);
	tu_sql_text(W.sup, sql, path, sizeof path);
	txt = tu_path(W.dir, "extract.txt");
	snprintf(cmd, sizeof cmd, "pdftotext -layout -enc UTF-8 '%s' '%s'", path, txt);
	assert_int_equal(system(cmd), 0);
	text = tu_read(txt, NULL);
	assert_non_null(text);
	squeeze(text);
	/* The record: name, masked My Number (never in clear), 本籍. */
	has(text, "保有個人情報の開示（抽出）");
	has(text, "氏：山田");
	has(text, "名：太郎");
	has(text, "**** **** 9018");
	assert_null(strstr(text, MYNUMBER));
	has(text, "本籍：見本県見本市本町1番地");
	/* The history: the approved 転入 by clerk1, approved by supervisor1. */
	has(text, "第1版");
	has(text, "転入");
	has(text, "入力 clerk1 決裁 supervisor1");
	/* The access history: clerk1's view, the request's steps. */
	has(text, "clerk1 端末");
	has(text, "記録の表示（resident.view view）完了");
	has(text, "sup2 端末 本庁1 開示決定（inquiry.approve approve）完了");
	has(text, "開示決定（inquiry.approve refused）拒否");
	has(text, "見本区");
	free(text);
	unlink(txt);
	free(txt);
}

/* A blocking 抑止 of lookups stops the extract too; the refusal is logged. */
static void test_extract_under_suppression(void **state)
{
	struct md_error err;
	char sql[400];
	long long id, denied = tu_audit_count(W.sup, "inquiry.extract", "denied", W.taro_s);

	(void)state;
	ok(W.sup, "inquiry.record", "kind", "開示請求", "channel", "窓口", "requester", "山田 太郎",
	   "subject", "開示（抑止中）", "content", "記録", "person", W.taro_s, NULL);
	id = last_inquiry();
	ok(W.sup2, "inquiry.approve", "id", idtext(id), NULL);
	snprintf(sql, sizeof sql,
	         "INSERT INTO suppressions (person_id, operation, mode, start_date, reason, set_by, set_at) "
	         "VALUES (%lld, 'lookup', 'error', '2026-03-01', '照会停止', 'supervisor1', "
	         "'2026-03-01T00:00:00Z')", W.taro);
	tu_sql_exec(W.sup, sql);
	assert_int_equal(run(W.sup2, &err, "inquiry.extract", "id", idtext(id), NULL), MD_E_DENIED);
	assert_int_equal(tu_audit_count(W.sup, "inquiry.extract", "denied", W.taro_s), denied + 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM inquiries WHERE id = %lld AND extract_path IS NULL", id);
	assert_int_equal(tu_sql_int(W.sup, sql), 1);
	tu_sql_exec(W.sup, "DELETE FROM suppressions WHERE reason = '照会停止'");
	ok(W.sup2, "inquiry.extract", "id", idtext(id), NULL);
}

/* ---- the deadline's extension (延長) ------------------------------------------------------- */

static const char *list_cell(struct md_ctx *c, long long id, int col, char *buf, size_t n)
{
	struct md_result res;
	const char *v = NULL;

	ok_res(c, &res, "inquiry.list", "all", "1", NULL);
	for (int r = 0; r < res.table.nrows; r++)
		if (atoll(res.table.rows[r][0]) == id) {
			snprintf(buf, n, "%s", res.table.rows[r][col]);
			v = buf;
		}
	md_result_release(&res);
	return v;
}

static void test_extension(void **state)
{
	struct md_result res;
	struct md_error err;
	long long req, plain, late;
	char buf[600], due[11];

	(void)state;
	ok(W.sup, "inquiry.record", "kind", "開示請求", "channel", "郵送", "requester", "山田 太郎",
	   "subject", "開示請求（延長）", "content", "記録の開示", "person", W.taro_s, "received_on",
	   "2026-03-20", NULL);
	req = last_inquiry();
	tu_sql_text(W.sup, "SELECT due_on FROM inquiries ORDER BY id DESC LIMIT 1", due, sizeof due);
	assert_string_equal(due, "2026-04-19");
	/* The admin records inquiries but does not decide on their deadline. */
	assert_int_equal(run(W.admin, &err, "inquiry.extend", "id", idtext(req), "reason", "x", NULL),
	                 MD_E_DENIED);
	/* The reason is required: it is told to the requester. */
	expect_field(run(W.sup, &err, "inquiry.extend", "id", idtext(req), NULL), &err, MD_E_INVALID,
	             "reason");
	ok_res(W.sup, &res, "inquiry.extend", "id", idtext(req), "reason", "保存文書の検索に時間を要するため",
	       NULL);
	assert_non_null(strstr(res.message, "令和8年5月19日"));
	md_result_release(&res);
	tu_sql_text(W.sup, "SELECT due_on FROM inquiries ORDER BY id DESC LIMIT 1", due, sizeof due);
	assert_string_equal(due, "2026-05-19");
	assert_int_equal(tu_audit_count(W.sup, "inquiry.extend", "ok", W.taro_s), 1);
	assert_int_equal(tu_sql_int(W.sup, "SELECT count(*) FROM audit_log WHERE function = 'inquiry.extend' "
	                                   "AND detail LIKE '%due_before=2026-04-19 due=2026-05-19 保存文書%'"),
	                 1);
	/* Shown in the list and on the inquiry, with the old deadline and the reason. */
	assert_string_equal(list_cell(W.sup, req, 9, buf, sizeof buf), "期限延長中");
	assert_non_null(show_value(req, "Deadline extended", buf, sizeof buf));
	assert_non_null(strstr(buf, "令和8年4月19日"));
	assert_non_null(strstr(buf, "保存文書の検索に時間を要するため"));
	assert_non_null(strstr(buf, "notify the requester in writing"));
	/* Its own item name: "Subject" alone is the person concerned (対象者) elsewhere. */
	assert_string_equal(show_value(req, "Subject of the inquiry", buf, sizeof buf), "開示請求（延長）");
	assert_non_null(show_value(req, "Decision due", buf, sizeof buf));
	assert_string_equal(buf, "令和8年5月19日");
	/* The notice to the requester: the old and the new deadline, the reason, the law. */
	if (W.have_pdftotext) {
		char path[1024], sql[200], cmd[2400], *txt, *text;
		ok_res(W.sup, &res, "inquiry.extension-notice", "id", idtext(req), NULL);
		assert_non_null(strstr(res.message, "延長通知"));
		md_result_release(&res);
		snprintf(sql, sizeof sql, "SELECT substr(detail, instr(detail, 'path=') + 5) FROM "
		         "inquiry_events WHERE inquiry_id = %lld AND action = 'notice'", req);
		tu_sql_text(W.sup, sql, path, sizeof path);
		assert_non_null(strstr(path, "延長通知-"));
		txt = tu_path(W.dir, "notice.txt");
		snprintf(cmd, sizeof cmd, "pdftotext -layout -enc UTF-8 '%s' '%s'", path, txt);
		assert_int_equal(system(cmd), 0);
		text = tu_read(txt, NULL);
		assert_non_null(text);
		squeeze(text);
		has(text, "山田 太郎 様");
		has(text, "開示請求の決定期限の延長について（通知）");
		has(text, "個人情報の保護に関する法律第83条第2項");
		has(text, "延長前の期限 令和8年4月19日");
		has(text, "延長後の期限 令和8年5月19日");
		has(text, "延長の理由 保存文書の検索に時間を要するため");
		free(text);
		free(txt);
		assert_int_equal(tu_audit_count(W.sup, "inquiry.notice", "ok", W.taro_s), 1);
	}
	/* Once only. */
	assert_int_equal(run(W.sup2, &err, "inquiry.extend", "id", idtext(req), "reason", "再延長", NULL),
	                 MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "only once"));
	/* The overdue check counts from the extended deadline. */
	md_time_set(tu_day(20));                                    /* 2026-04-21 */
	assert_false(list_has(W.sup, req, NULL, "overdue", "1", NULL));
	md_time_set(tu_day(49));                                    /* 2026-05-20 */
	assert_true(list_has(W.sup, req, NULL, "overdue", "1", NULL));
	md_time_set(tu_day(0));
	/* A corrected received date keeps the extension. */
	ok(W.sup, "inquiry.edit", "id", idtext(req), "received_on", "2026-03-21", NULL);
	tu_sql_text(W.sup, "SELECT due_on FROM inquiries ORDER BY id DESC LIMIT 1", due, sizeof due);
	assert_string_equal(due, "2026-05-20");
	/* Decided: nothing left to extend. */
	ok(W.sup2, "inquiry.approve", "id", idtext(req), NULL);
	assert_string_equal(list_cell(W.sup, req, 9, buf, sizeof buf), "開示決定");
	/* Decided: the extension stays on record, the reminder goes. */
	assert_non_null(show_value(req, "Deadline extended", buf, sizeof buf));
	assert_non_null(strstr(buf, "令和8年4月19日"));
	assert_null(strstr(buf, "notify the requester"));
	/* The extract names the extended deadline and the step in the access history. */
	if (W.have_pdftotext) {
		char path[1024], sql[200], cmd[2400], *txt, *text;
		ok_res(W.sup2, &res, "inquiry.extract", "id", idtext(req), NULL);
		md_result_release(&res);
		snprintf(sql, sizeof sql, "SELECT extract_path FROM inquiries WHERE id = %lld", req);
		tu_sql_text(W.sup, sql, path, sizeof path);
		txt = tu_path(W.dir, "extended.txt");
		snprintf(cmd, sizeof cmd, "pdftotext -layout -enc UTF-8 '%s' '%s'", path, txt);
		assert_int_equal(system(cmd), 0);
		text = tu_read(txt, NULL);
		assert_non_null(text);
		squeeze(text);
		has(text, "決定期限：令和8年5月20日（延長後）");
		has(text, "期限の延長（inquiry.extend extend）完了");
		free(text);
		free(txt);
	}

	/* An inquiry has no legal deadline; a request past its deadline is too late. */
	ok(W.sup, "inquiry.record", "kind", "問合せ", "channel", "窓口", "requester", "丙", "subject", "問合せ",
	   "content", "内容", NULL);
	plain = last_inquiry();
	assert_int_equal(run(W.sup, &err, "inquiry.extension-notice", "id", idtext(plain), NULL),
	                 MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "not been extended"));
	expect_field(run(W.sup, &err, "inquiry.extend", "id", idtext(plain), "reason", "x", NULL), &err,
	             MD_E_INVALID, "id");
	assert_non_null(strstr(err.msg, "no legal deadline"));
	ok(W.sup, "inquiry.record", "kind", "開示請求", "channel", "郵送", "requester", "山田 太郎",
	   "subject", "開示請求（期限後）", "content", "記録の開示", "person", W.taro_s, "received_on",
	   "2026-02-01", NULL);
	late = last_inquiry();
	assert_int_equal(run(W.sup, &err, "inquiry.extend", "id", idtext(late), "reason", "x", NULL),
	                 MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "before the deadline"));
	assert_int_equal(tu_sql_int(W.sup, "SELECT count(*) FROM inquiry_events WHERE action = 'extend'"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_disclosure),
		cmocka_unit_test(test_refusal_decision),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_overdue_and_permissions),
		cmocka_unit_test(test_extract_pdf),
		cmocka_unit_test(test_extract_under_suppression),
		cmocka_unit_test(test_extension),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
