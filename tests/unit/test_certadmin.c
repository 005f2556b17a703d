/* test_certadmin.c: the supervision of the counter (certadmin.c and the
 * fixes around it): refused certificate steps audited, a supervisor's
 * override as a record used once, the spool emptied at close and purged,
 * the seal impression checked before it is printed, the letter queue, and
 * the command arguments of 番号確認 and seal registration. */
#include "config.h"

#include <sys/stat.h>
#include <utime.h>

#define TU_WITH_DB
#include "testutil.h"
#include "counter_fixture.h"

#include "certificate.h"
#include "store.h"
#include "xalloc.h"

#define MYNUMBER "123456789018"

static struct cf_ward W;
static long long taro, mori, ishii;

static int group_setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	md_time_set(tu_day(0));
	md_settings_defaults(&W.cfg);
	if (!(W.dir = tu_tmpdir()))
		return -1;
	W.db = tu_create_db(W.dir, "ward.db", &W.cfg, MD_DB_TRAINING);
	W.clerk = cf_login(&W, "clerk1");
	W.sup = cf_login(&W, "supervisor1");
	W.admin = cf_login(&W, "admin1");
	taro = cf_move_in(&W, "山田", "太郎", "ヤマダ", "タロウ", "1980-03-14", "男", "見本区見本町一丁目2番3号",
	                  MYNUMBER);
	mori = cf_move_in(&W, "森", "真理", "モリ", "マリ", "1988-12-24", "女", "見本区東見本三丁目1番2号", NULL);
	tu_sql_exec(W.clerk, "INSERT INTO suppressions (person_id, operation, mode, start_date, reason, "
	                     "set_by, set_at) SELECT id, 'certificate', 'alert', '2026-03-01', "
	                     "'不正請求の疑い', 'supervisor1', '2026-03-01T00:00:00Z' FROM persons "
	                     "WHERE surname = '森'");
	ishii = cf_move_in(&W, "石井", "恵", "イシイ", "メグミ", "1983-03-03", "女", "見本区桜台三丁目7番7号", NULL);
	tu_sql_exec(W.clerk, "INSERT INTO support_measures (person_id, status, contact, "
	                     "applicant_situation, start_date, end_date, offender, set_by, set_at) "
	                     "SELECT id, 'active', '090-0000-0000', 'DV', '2026-03-01', '2027-02-28', "
	                     "'石井 一郎', 'supervisor1', '2026-03-01T00:00:00Z' FROM persons "
	                     "WHERE surname = '石井'");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	md_ctx_free(&W.clerk);
	md_ctx_free(&W.sup);
	md_ctx_free(&W.admin);
	tu_rmdir(W.dir);
	free(W.db);
	md_time_set(0);
	return 0;
}

static long long denied(const char *function)
{
	return tu_audit_count(W.clerk, function, "denied", NULL);
}

/* ---- refusals are audited -------------------------------------------------------------- */

static void test_refusals_audited(void **state)
{
	long long t, before;

	(void)state;
	/* Questioning only. */
	t = cf_tx(W.clerk, "certificate", "self", taro, taro, 1);
	before = denied("cert.preview");
	CF_FAILS(W.clerk, MD_E_DENIED, "聞き取り only", "cert.preview", "transaction", cf_id(t), "type",
	         "juminhyo", NULL);
	assert_int_equal(denied("cert.preview"), before + 1);
	assert_int_equal(cf_sqlf(W.clerk, "SELECT count(*) FROM audit_log WHERE function = 'cert.preview' "
	                                  "AND outcome = 'denied' AND subject = '%lld' AND detail LIKE "
	                                  "'%%transaction=%lld%%'", taro, t), 1);

	/* Another user's transaction. */
	t = cf_tx(W.sup, "certificate", "self", taro, taro, 0);
	before = denied("cert.issue");
	CF_FAILS(W.clerk, MD_E_DENIED, "belongs to supervisor1", "cert.issue", "transaction", cf_id(t), "type",
	         "juminhyo", NULL);
	assert_int_equal(denied("cert.issue"), before + 1);

	/* A 番号確認 mismatch. */
	t = cf_tx(W.clerk, "certificate", "self", taro, taro, 0);
	CF_FAILS(W.clerk, MD_E_DENIED, "differs from the registry in 生年月日", "counter.mynumber_check",
	         "transaction", cf_id(t), "mynumber", MYNUMBER, "name", "山田 太郎", "birth_date", "1980-03-15");
	before = denied("cert.issue");
	CF_FAILS(W.clerk, MD_E_DENIED, "番号確認 did not match", "cert.issue", "transaction", cf_id(t), "type",
	         "juminhyo", NULL);
	assert_int_equal(denied("cert.issue"), before + 1);

	/* An alert waiting for its acknowledgement (支援措置, the person themselves). */
	t = cf_tx(W.clerk, "certificate", "self", ishii, ishii, 0);
	before = denied("cert.preview");
	CF_FAILS(W.clerk, MD_E_CONFLICT, "acknowledge (ack)", "cert.preview", "transaction", cf_id(t), "type",
	         "juminhyo", NULL);
	assert_int_equal(denied("cert.preview"), before + 1);

	/* An alert (抑止) waiting for a supervisor. */
	t = cf_tx(W.clerk, "certificate", "self", mori, mori, 0);
	before = denied("cert.issue");
	CF_FAILS(W.clerk, MD_E_CONFLICT, "A supervisor must override", "cert.issue", "transaction", cf_id(t),
	         "type", "juminhyo", NULL);
	assert_int_equal(denied("cert.issue"), before + 1);
	assert_int_equal(cf_sqlf(W.clerk, "SELECT count(*) FROM issuances WHERE transaction_id = %lld", t), 0);

	/* cert letter: no such letter, a wrong kind. */
	before = tu_audit_count(W.clerk, "cert.letter", "failed", NULL);
	CF_FAILS(W.clerk, MD_E_NOTFOUND, "there is no 確認通知 999", "cert.letter", "id", "999", "kind",
	         "confirmation", NULL);
	CF_FAILS(W.clerk, MD_E_INVALID, "kind must be", "cert.letter", "id", "1", "kind", "notice", NULL);
	assert_int_equal(tu_audit_count(W.clerk, "cert.letter", "failed", NULL), before + 2);
}

/* ---- overrides ---------------------------------------------------------------------------- */

static void test_override_record(void **state)
{
	struct md_result res;
	struct md_error err;
	long long t, own, ov;
	char status[16];

	(void)state;
	t = cf_tx(W.clerk, "certificate", "self", mori, mori, 0);
	CF_FAILS(W.clerk, MD_E_CONFLICT, "cert override", "cert.issue", "transaction", cf_id(t), "type",
	         "juminhyo", NULL);
	/* The attempt waits in the supervisor's list. */
	assert_int_equal(cf_run(W.sup, &res, &err, "cert.overrides", NULL), MD_OK);
	assert_true(res.table.nrows >= 1);
	assert_string_equal(res.table.cols[1], "transaction");
	assert_string_equal(res.table.rows[0][1], cf_id(t));
	assert_string_equal(res.table.rows[0][4], cf_id(mori));
	assert_string_equal(res.table.rows[0][7], "waiting");
	assert_string_equal(res.table.rows[0][2], "clerk1");
	/* The supervisor sees why the person is under the alert. */
	assert_int_equal(res.table.ncols, 14);
	assert_string_equal(res.table.rows[0][13], "不正請求の疑い");
	md_result_release(&res);

	/* A clerk cannot grant it; nor without a reason; nor for a person with no alert. */
	CF_FAILS(W.clerk, MD_E_DENIED, "alert.override", "cert.override", "transaction", cf_id(t), "person",
	         cf_id(mori), "reason", "本人確認済み", NULL);
	CF_FAILS(W.sup, MD_E_INVALID, "reason", "cert.override", "transaction", cf_id(t), "person",
	         cf_id(mori), NULL);
	CF_FAILS(W.sup, MD_E_INVALID, "nothing to override", "cert.override", "transaction", cf_id(t), "person",
	         cf_id(taro), "reason", "x", NULL);
	assert_int_equal(tu_audit_count(W.sup, "cert.override", "failed", cf_id(taro)), 1);

	/* The supervisor grants it from their own session. */
	cf_ok(W.sup, "cert.override", "transaction", cf_id(t), "person", cf_id(mori), "reason",
	      "運転免許証で本人と確認済み", NULL);
	CF_FAILS(W.sup, MD_E_CONFLICT, "already granted", "cert.override", "transaction", cf_id(t), "person",
	         cf_id(mori), "reason", "again", NULL);
	ov = cf_sqlf(W.clerk, "SELECT id FROM cert_overrides WHERE transaction_id = %lld AND status = 'granted' "
	                      "AND granted_by = 'supervisor1'", t);
	assert_true(ov > 0);

	/* A preview does not use it up; the issue does, once. */
	cf_ok(W.clerk, "cert.preview", "transaction", cf_id(t), "type", "juminhyo", NULL);
	cf_ok(W.clerk, "cert.issue", "transaction", cf_id(t), "type", "juminhyo", NULL);
	tu_sql_text(W.clerk, "SELECT status FROM cert_overrides ORDER BY id DESC LIMIT 1", status, sizeof status);
	assert_int_equal(cf_sqlf(W.clerk, "SELECT count(*) FROM cert_overrides WHERE id = %lld AND status = 'used' "
	                                  "AND used_by = 'clerk1'", ov), 1);
	assert_int_equal(cf_sqlf(W.clerk, "SELECT count(*) FROM issuances WHERE transaction_id = %lld AND "
	                                  "protection LIKE 'overridden by supervisor1: 運転免許証%%'", t), 1);
	assert_int_equal(cf_sqlf(W.clerk, "SELECT count(*) FROM audit_log WHERE function = 'cert.override' AND "
	                                  "action = 'use' AND user_id = 'clerk1' AND subject = '%lld' AND "
	                                  "detail LIKE '%%granted_by=supervisor1%%'", mori), 1);
	CF_FAILS(W.clerk, MD_E_CONFLICT, "A supervisor must override", "cert.issue", "transaction", cf_id(t),
	         "type", "juminhyo", NULL);
	/* Listed as used with --all, not in the open list. */
	assert_int_equal(cf_run(W.sup, &res, &err, "cert.overrides", "all", "1", NULL), MD_OK);
	assert_true(res.table.nrows >= 2);
	md_result_release(&res);

	/* Closing the transaction ends the new request. */
	cf_ok(W.clerk, "counter.close", "transaction", cf_id(t), NULL);
	assert_int_equal(cf_sqlf(W.clerk, "SELECT count(*) FROM cert_overrides WHERE transaction_id = %lld AND "
	                                  "status IN ('waiting', 'granted')", t), 0);
	CF_FAILS(W.sup, MD_E_CONFLICT, "already closed", "cert.override", "transaction", cf_id(t), "person",
	         cf_id(mori), "reason", "late", NULL);

	/* A supervisor who opened the transaction still overrides on the issue. */
	own = cf_tx(W.sup, "certificate", "self", mori, mori, 0);
	cf_ok(W.sup, "cert.issue", "transaction", cf_id(own), "type", "juminhyo", "override_reason",
	      "決裁者が窓口で確認", NULL);
	assert_int_equal(cf_sqlf(W.clerk, "SELECT count(*) FROM issuances WHERE transaction_id = %lld AND "
	                                  "protection = 'overridden: 決裁者が窓口で確認'", own), 1);
	cf_ok(W.sup, "counter.close", "transaction", cf_id(own), NULL);
}

/* ---- the spool ---------------------------------------------------------------------------- */

static char *spool_dir(void)
{
	return xasprintf("%s.spool", W.db);
}

static void test_spool_emptied_at_close(void **state)
{
	char path[512];
	long long t;

	(void)state;
	t = cf_tx(W.clerk, "certificate", "self", taro, taro, 0);
	cf_ok(W.clerk, "cert.issue", "transaction", cf_id(t), "type", "juminhyo", "copies", "2", NULL);
	tu_sql_text(W.clerk, "SELECT spool_path FROM issuances ORDER BY id DESC LIMIT 1", path, sizeof path);
	assert_true(tu_exists(path));
	cf_ok(W.clerk, "counter.close", "transaction", cf_id(t), NULL);
	assert_false(tu_exists(path));
	assert_int_equal(cf_sqlf(W.clerk, "SELECT count(*) FROM issuances WHERE transaction_id = %lld", t), 2);

	/* Cancelled (a free 公用 copy, so no fee stands in the way): emptied too. */
	t = cf_tx(W.clerk, "certificate", "official", taro, 0, 0);
	cf_ok(W.clerk, "cert.issue", "transaction", cf_id(t), "type", "juminhyo", NULL);
	tu_sql_text(W.clerk, "SELECT spool_path FROM issuances ORDER BY id DESC LIMIT 1", path, sizeof path);
	assert_true(tu_exists(path));
	cf_ok(W.clerk, "counter.cancel", "transaction", cf_id(t), "reason", "申請の取下げ", NULL);
	assert_false(tu_exists(path));
}

static void test_purge_spool(void **state)
{
	struct md_result res;
	struct md_error err;
	struct utimbuf old = { 946684800, 946684800 };   /* 2000-01-01 */
	char *dir = spool_dir(), *left, *recent, *keep, path[512];
	long long t;

	(void)state;
	mkdir(dir, 0700);
	left = tu_write(dir, "見本-20000101_見本区_本庁1_PR001_000001.pdf", "%PDF-1.4 left behind");
	recent = tu_write(dir, "recent.pdf", "%PDF-1.4 of this session");
	keep = tu_write(dir, "notes.txt", "not a PDF");
	assert_int_equal(utime(left, &old), 0);
	assert_int_equal(utime(keep, &old), 0);
	/* A copy of a transaction still open stays, however old. */
	t = cf_tx(W.clerk, "certificate", "self", taro, taro, 0);
	cf_ok(W.clerk, "cert.issue", "transaction", cf_id(t), "type", "juminhyo", NULL);
	tu_sql_text(W.clerk, "SELECT spool_path FROM issuances ORDER BY id DESC LIMIT 1", path, sizeof path);
	assert_int_equal(utime(path, &old), 0);

	CF_FAILS(W.clerk, MD_E_DENIED, "spool.purge", "cert.purge_spool", NULL);
	/* recent.pdf is newer than the supervisor's login (the test clock is in
	 * the past): kept, like anything written during the session. */
	assert_int_equal(cf_run(W.sup, &res, &err, "cert.purge_spool", NULL), MD_OK);
	assert_non_null(strstr(res.message, "1 file(s) removed"));
	md_result_release(&res);
	assert_false(tu_exists(left));
	assert_true(tu_exists(recent));
	assert_true(tu_exists(keep));
	assert_true(tu_exists(path));
	assert_int_equal(tu_audit_count(W.sup, "cert.purge_spool", "ok", NULL), 1);
	assert_int_equal(cf_sqlf(W.sup, "SELECT count(*) FROM audit_log WHERE function = 'cert.purge_spool' "
	                                "AND detail LIKE 'removed=1 %%'"), 1);
	/* An administrator may purge too. */
	cf_ok(W.admin, "cert.purge_spool", NULL);
	cf_ok(W.clerk, "counter.close", "transaction", cf_id(t), NULL);
	assert_false(tu_exists(path));
	free(left);
	free(recent);
	free(keep);
	free(dir);
}

/* ---- the registered impression --------------------------------------------------------------- */

static void test_impression_checked(void **state)
{
	struct md_result res;
	struct md_error err;
	char card[16], rel[256], *png, *stored, *other;
	long long t, before;
	size_t n1 = 0, n2 = 0;
	char *orig;

	(void)state;
	png = cf_png(W.dir, "taro.png", 15, 90);
	t = cf_tx(W.clerk, "seal", "self", taro, taro, 0);
	cf_ok(W.clerk, "seal.register", "transaction", cf_id(t), "person", cf_id(taro), "method", "photo_id",
	      "png", png, "mm", "15", "name", "山田", NULL);
	cf_ok(W.clerk, "counter.close", "transaction", cf_id(t), NULL);
	tu_sql_text(W.clerk, "SELECT card_no FROM seals WHERE status = 'registered'", card, sizeof card);
	tu_sql_text(W.clerk, "SELECT impression_path FROM seals WHERE status = 'registered'", rel, sizeof rel);
	stored = xasprintf("%s/%s", W.dir, rel);
	orig = tu_read(stored, &n1);

	/* The file replaced by another image: refused, audited, nothing issued. */
	other = cf_png(W.dir, "other.png", 15, 200);
	{
		char *b = tu_read(other, &n2);
		FILE *f = fopen(stored, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(b, 1, n2, f), n2);
		fclose(f);
		free(b);
	}
	t = cf_tx(W.clerk, "certificate", "self", taro, taro, 0);
	before = denied("cert.issue");
	assert_int_equal(cf_run(W.clerk, &res, &err, "cert.issue", "transaction", cf_id(t), "type", "inkan",
	                        "card_no", card, NULL), MD_E_DENIED);
	assert_string_equal(err.field, "impression");
	assert_non_null(strstr(err.msg, "not the one registered"));
	md_result_release(&res);
	assert_int_equal(denied("cert.issue"), before + 1);
	assert_int_equal(cf_sqlf(W.clerk, "SELECT count(*) FROM issuances WHERE transaction_id = %lld", t), 0);

	/* Restored: issued. */
	{
		FILE *f = fopen(stored, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(orig, 1, n1, f), n1);
		fclose(f);
	}
	cf_ok(W.clerk, "cert.issue", "transaction", cf_id(t), "type", "inkan", "card_no", card, NULL);
	cf_ok(W.clerk, "counter.close", "transaction", cf_id(t), NULL);
	free(orig);
	free(stored);
	free(other);
	free(png);
}

/* ---- letters ------------------------------------------------------------------------------------ */

static int letter_files(const char *prefix)
{
	char *dir = spool_dir(), cmd[1024];
	int n;
	FILE *p;
	snprintf(cmd, sizeof cmd, "ls '%s' | grep -c '^%s' ", dir, prefix);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	free(dir);
	return n;
}

static void test_letter_queue(void **state)
{
	struct md_result res;
	struct md_error err;
	long long t, letter;

	(void)state;
	/* A notification accepted by questioning: a 確認通知 at close. */
	t = cf_tx(W.clerk, "notification", "self", taro, taro, 1);
	cf_ok(W.clerk, "counter.close", "transaction", cf_id(t), NULL);
	letter = cf_sqlf(W.clerk, "SELECT id FROM confirmation_letters WHERE transaction_id = %lld", t);
	assert_true(letter > 0);
	assert_int_equal(cf_run(W.sup, &res, &err, "cert.letters", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_string_equal(res.table.rows[0][0], "confirmation");
	assert_string_equal(res.table.rows[0][1], cf_id(letter));
	assert_string_equal(res.table.rows[0][5], "");
	md_result_release(&res);
	CF_FAILS(W.clerk, MD_E_DENIED, "report.view", "cert.letters", NULL);
}

static void test_letter_print_and_mail(void **state)
{
	struct md_result res;
	struct md_error err;
	char prefix[64];
	long long letter = tu_sql_int(W.clerk, "SELECT max(id) FROM confirmation_letters");

	(void)state;
	snprintf(prefix, sizeof prefix, "見本-確認通知-%lld-", letter);
	CF_FAILS(W.sup, MD_E_CONFLICT, "not been printed yet", "cert.letter_done", "id", cf_id(letter), "kind",
	         "confirmation", NULL);
	cf_ok(W.sup, "cert.letter", "id", cf_id(letter), "kind", "confirmation", NULL);
	assert_int_equal(letter_files(prefix), 1);
	assert_int_equal(cf_sqlf(W.sup, "SELECT count(*) FROM confirmation_letters WHERE id = %lld AND "
	                                "printed_at IS NOT NULL AND printed_by = 'supervisor1'", letter), 1);
	/* Printed again (a jammed printer): allowed and logged as a reprint. */
	md_time_set(tu_day(0) + 5);
	cf_ok(W.sup, "cert.letter", "id", cf_id(letter), "kind", "confirmation", NULL);
	md_time_set(tu_day(0));
	assert_int_equal(cf_sqlf(W.sup, "SELECT count(*) FROM audit_log WHERE function = 'cert.letter' AND "
	                                "action = 'reprint' AND outcome = 'ok'"), 1);
	/* Mailed: out of the queue, its files out of the spool, no more prints. */
	assert_int_equal(cf_run(W.sup, &res, &err, "cert.letter_done", "id", cf_id(letter), "kind",
	                        "confirmation", NULL), MD_OK);
	assert_non_null(strstr(res.message, "2 file(s) removed"));
	md_result_release(&res);
	assert_int_equal(letter_files(prefix), 0);
	assert_int_equal(cf_sqlf(W.sup, "SELECT count(*) FROM confirmation_letters WHERE id = %lld AND "
	                                "mailed_by = 'supervisor1'", letter), 1);
	CF_FAILS(W.sup, MD_E_CONFLICT, "already marked mailed", "cert.letter", "id", cf_id(letter), "kind",
	         "confirmation", NULL);
	CF_FAILS(W.sup, MD_E_CONFLICT, "already marked mailed", "cert.letter_done", "id", cf_id(letter), "kind",
	         "confirmation", NULL);
	assert_int_equal(cf_run(W.sup, &res, &err, "cert.letters", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 0);
	md_result_release(&res);
	assert_int_equal(cf_run(W.sup, &res, &err, "cert.letters", "all", "1", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_true(*res.table.rows[0][6]);
	md_result_release(&res);
}

/* ---- command arguments ------------------------------------------------------------------------ */

static void test_command_arguments(void **state)
{
	const struct md_cmd_entry *e = md_cmd_find("counter.mynumber_check");
	int names = 0;

	(void)state;
	assert_non_null(e);
	for (const struct md_arg_spec *a = e->args; a->name; a++) {
		size_t n = strlen(a->help);
		/* The CLI adds ": " to the prompt of a secret: the help has none. */
		assert_true(n > 0 && a->help[n - 1] != ' ' && a->help[n - 1] != ':');
		names += strcmp(a->name, "name") == 0 || strcmp(a->name, "birth_date") == 0;
	}
	assert_int_equal(names, 2);
	e = md_cmd_find("seal.register");
	assert_non_null(e);
	assert_string_equal(e->args[0].name, "transaction");
	assert_int_equal(e->args[0].kind, MD_ARG_POS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refusals_audited),
		cmocka_unit_test(test_override_record),
		cmocka_unit_test(test_spool_emptied_at_close),
		cmocka_unit_test(test_purge_spool),
		cmocka_unit_test(test_impression_checked),
		cmocka_unit_test(test_letter_queue),
		cmocka_unit_test(test_letter_print_and_mail),
		cmocka_unit_test(test_command_arguments),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
