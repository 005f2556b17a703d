/* test_reports.c: the daily report screen (日報), headless: the sections,
 * stepping through days, the audit entry of each read, and no entry for a
 * clerk. */
#include "config.h"

#include "uitest.h"
#include "store.h"
#include "timeutil.h"

static long long reads(struct fixture *f)
{
	sqlite3_stmt *s = NULL;
	long long n = -1;
	if (sqlite3_prepare_v2(md_store_db(f->ctx->store),
	                       "SELECT count(*) FROM audit_log WHERE function = 'report.daily'", -1, &s,
	                       NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void test_report_screen(void **state)
{
	struct fixture *f = *state;
	char today[16], head[64];

	login(f, "supervisor1", "demo");
	assert_screen("Daily report (日報)");
	choose(f, "Daily report (日報)");
	md_date_local(md_time_now(), today, sizeof today);
	snprintf(head, sizeof head, "Daily report for %s", today);
	assert_screen(head);
	assert_screen("■ Certificates issued");
	assert_screen("■ Changes waiting for approval");
	assert_screen("■ 支援措置 ending within a month");
	assert_screen("■ Certificates voided");
	assert_screen("F6 Previous day");
	assert_int_equal(reads(f), 1);
	key(f, 1, KEY_F(6));
	assert_not_screen(head);
	assert_int_equal(reads(f), 2);
	key(f, 1, KEY_RIGHT);
	assert_screen(head);
	assert_int_equal(reads(f), 3);
	key(f, 1, KEY_F(3));
	assert_screen("Main menu");
}

static void test_clerk_has_no_report(void **state)
{
	struct fixture *f = *state;
	login(f, "clerk1", "demo");
	assert_screen("Main menu");
	assert_not_screen("Daily report");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_report_screen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clerk_has_no_report, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
