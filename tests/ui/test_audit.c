/* test_audit.c: headless tests of the audit review screens: who sees the
 * menu entry, the chooser of checks, the search form and its list, a check
 * with filters, marking a finding reviewed with a Japanese comment, and the
 * whole entry. */
#include "config.h"

#include "uitest.h"

static void test_menu_entry_by_permission(void **state)
{
	struct fixture *f = *state;

	login(f, "clerk1", "demo");
	assert_screen("Resident search");
	assert_not_screen("Review the audit log");
	logout(f);
	login(f, "supervisor1", "demo");
	assert_screen("Review the audit log (監査ログの確認)");
	logout(f);
	login(f, "auditor1", "demo");
	assert_screen("Review the audit log (監査ログの確認)");
	assert_screen("Verify the audit log");
	/* The result in the user's language, not the scripts' fixed line. */
	choose(f, "Verify the audit log");
	assert_screen("The audit log is intact:");
	assert_screen("entries verified");
	assert_not_screen("audit chain intact");
}

static void test_chooser_and_search(void **state)
{
	struct fixture *f = *state;

	login(f, "auditor1", "demo");
	choose(f, "Review the audit log");
	assert_screen("Audit log review (監査ログの確認)");
	assert_screen("Access outside office hours");
	assert_screen("Unusual volume of lookups");
	assert_screen("Lookups not followed by a transaction");
	assert_screen("My Number reveals");
	assert_screen("Views of persons under 支援措置");
	assert_screen("Failed logins and lockouts");
	assert_screen("F5 Run check");
	/* F2: the search of the whole log; with no filter the newest entries */
	key(f, 1, KEY_F(2));
	assert_screen("User ID");
	assert_screen("Function (e.g. resident.view)");
	type(f, "auditor1");
	key(f, 1, KEY_F(5));
	assert_screen("Audit log entries");
	assert_screen("login");
	assert_screen("newest first");
	assert_not_screen("clerk1");
	/* a bad date names its field */
	key(f, 1, KEY_F(3));
	key(f, 1, KEY_F(4));
	for (int i = 0; i < 4; i++)
		key(f, 0, '\t');
	type(f, "きのう");
	key(f, 1, KEY_F(5));
	assert_screen("from must be a date");
}

static void test_review_a_finding(void **state)
{
	struct fixture *f = *state;
	time_t now = time(NULL);
	struct tm tm;
	static const char *const days[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };

	/* Office days: only tomorrow, so that everything today is off-hours. */
	localtime_r(&now, &tm);
	snprintf(f->ctx->cfg.audit_office_days, sizeof f->ctx->cfg.audit_office_days, "%s",
	         days[(tm.tm_wday + 1) % 7]);
	login(f, "clerk1", "demo");
	logout(f);
	login(f, "auditor1", "demo");
	choose(f, "Review the audit log");
	/* F4: the selected check (off-hours) with filters */
	key(f, 1, KEY_F(4));
	assert_screen("Access outside office hours");
	type(f, "clerk1");
	key(f, 1, KEY_F(5));
	assert_screen("findings, newest first");
	assert_screen("clerk1");
	key(f, 1, KEY_F(2));
	assert_screen("a day the office is closed");
	assert_screen("Function: logout");
	key(f, 1, KEY_F(3));
	/* F5: mark the newest (clerk1's logout) reviewed */
	key(f, 1, KEY_F(5));
	assert_screen("comment: what was found out");
	type(f, "研修のため休日にログイン。確認済み");
	key(f, 1, KEY_F(5));
	assert_screen("marked reviewed");
	assert_screen("auditor1");
	/* F2: the whole entry with the review */
	key(f, 1, KEY_F(2));
	assert_screen("Review comment: 研修のため休日にログイン。確認済み");
	assert_screen("Reviewed by: auditor1");
	key(f, 1, KEY_F(3));
	/* once only: F5 again says who reviewed it */
	key(f, 1, KEY_F(5));
	assert_screen("was already reviewed by auditor1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_menu_entry_by_permission, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chooser_and_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_review_a_finding, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
