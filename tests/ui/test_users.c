/* test_users.c: headless tests of the user administration screens: the list
 * of accounts, one account and its actions, the forms (refusal names the
 * field, keeps the input and the focus), the temporary password shown once,
 * and the revocation register and access review. */
#include "config.h"

#include "uitest.h"

/* The row the cursor is on. */
static char *cursor_row(struct fixture *f)
{
	return row(f->app.top->cursor_y);
}

static void assert_cursor_on(struct fixture *f, const char *label)
{
	char *r = cursor_row(f);
	int hit = strstr(r, label) != NULL;
	if (!hit) {
		dump();
		print_error("cursor on row %d: %s\n", f->app.top->cursor_y, r);
	}
	free(r);
	assert_true(hit);
}

/* Logs admin1 in and opens user administration. */
static void open_users(struct fixture *f)
{
	login(f, "admin1", "demo");
	choose(f, "User administration");
	assert_screen("User administration");
	assert_screen("clerk1");
}

/* Opens the account: Enter on each row in turn until its screen shows. */
static void open_account(struct fixture *f, const char *id)
{
	char want[80];
	snprintf(want, sizeof want, "Account %s ", id);
	for (int i = 0; i < 10; i++) {
		key(f, 0, '\r');
		if (screen_has(want))
			return;
		key(f, 1, KEY_F(3));
		key(f, 1, KEY_DOWN);
	}
	dump();
	fail_msg("could not open account %s", id);
}

static void test_list_and_account(void **state)
{
	struct fixture *f = *state;
	open_users(f);
	assert_screen("Status");
	assert_screen("Last login");
	assert_screen("supervisor1");
	assert_screen("F2 Add");
	assert_screen("F6 Revocation register");
	open_account(f, "clerk1");
	assert_screen("Status: active");
	assert_screen("Terminals: any");
	assert_screen("in effect");
	assert_screen("F7 Revoke");
	assert_screen("^T Terminals");
	key(f, 1, KEY_F(3));
	assert_screen("User administration");
}

static void test_revoke_keeps_input_and_focus(void **state)
{
	struct fixture *f = *state;
	open_users(f);
	open_account(f, "clerk1");
	key(f, 1, KEY_F(7));
	assert_screen("Revoke a role or permission");
	assert_screen("User: clerk1 窓口 一郎");
	/* The selected grant is filled in; without a reason the core refuses. */
	assert_screen("clerk");
	key(f, 1, KEY_F(5));
	assert_screen("reason is missing");
	assert_screen("Revoke a role or permission");
	assert_cursor_on(f, "Reason");
	type(f, "人事異動");
	key(f, 0, '\r');
	/* Back on the account, the grant revoked, the action's message kept. */
	assert_screen("revoked clerk from clerk1");
	assert_screen("Revoked ");
	assert_screen("人事異動");
	key(f, 1, KEY_F(3));
	/* The list shows it too. */
	assert_screen("User administration");
	key(f, 1, KEY_F(6));
	assert_screen("Revocation register");
	assert_screen("role revoked");
	assert_screen("人事異動");
	key(f, 0, '\r');
	assert_screen("Reason: 人事異動");
	key(f, 1, KEY_F(3));
	key(f, 1, KEY_F(3));
	/* clerk1 can no longer log in. */
	logout(f);
	login(f, "clerk1", "demo");
	assert_screen("no role or permission in effect");
	assert_screen("Log in with your personal user ID.");
}

static void test_create_with_errors_then_password_once(void **state)
{
	struct fixture *f = *state;
	open_users(f);
	key(f, 1, KEY_F(2));
	assert_screen("Create an account");
	type(f, "Kondo");
	key(f, 0, '\t');
	type(f, "近藤 勇");
	key(f, 0, '\t');
	type(f, "clerk");
	key(f, 0, '\t');
	key(f, 0, '\t');
	key(f, 0, '\t');
	type(f, "4月1日付け配属");
	key(f, 1, KEY_F(5));
	/* Refused on the ID: the cursor goes there, the rest stays. */
	assert_screen("may contain only lower-case letters");
	assert_cursor_on(f, "User ID");
	assert_screen("近藤 勇");
	assert_screen("4月1日付け配属");
	key(f, 0, CTRL_KEY('U'));
	type(f, "kondo");
	key(f, 1, KEY_F(5));
	/* The temporary password, once. */
	assert_screen("Temporary password for kondo: ");
	assert_screen("shown only this once");
	key(f, 0, '\r');
	assert_not_screen("Temporary password for kondo");
	assert_screen("kondo");
	assert_screen("近藤 勇");
}

static void test_temporary_grant_needs_last_day(void **state)
{
	struct fixture *f = *state;
	open_users(f);
	open_account(f, "auditor1");
	key(f, 1, KEY_F(6));
	assert_screen("Temporary grant");
	assert_screen("ends by itself");
	type(f, "report.view");
	key(f, 0, '\t');
	key(f, 0, '\t');
	key(f, 0, '\t');
	type(f, "決算期の集計");
	key(f, 1, KEY_F(5));
	assert_screen("to is missing");
	assert_cursor_on(f, "Last day");
	type(f, "2099-12-31");
	key(f, 1, KEY_F(5));
	assert_screen("granted report.view to auditor1 until 2099-12-31");
	assert_screen("2099-12-31");
}

static void test_reports(void **state)
{
	struct fixture *f = *state;
	login(f, "admin1", "demo");
	choose(f, "Access review");
	assert_screen("Access review");
	assert_screen("access review: 5 accounts, 0 dormant");
	assert_screen("trainer1");
	key(f, 1, KEY_F(3));
	choose(f, "Revocation register");
	assert_screen("revocation register: 0 entries");
	assert_screen("(nothing)");
}

static void test_register_period(void **state)
{
	struct fixture *f = *state;
	open_users(f);
	open_account(f, "auditor1");
	key(f, 1, KEY_F(4));
	type(f, "退職");
	key(f, 0, '\r');
	key(f, 1, KEY_F(3));
	key(f, 1, KEY_F(6));
	assert_screen("revocation register: 2 entries");
	assert_screen("account disabled");
	key(f, 1, KEY_F(2));
	assert_screen("either may be empty");
	type(f, "2026-13-01");
	key(f, 1, KEY_F(5));
	assert_screen("the start date \"2026-13-01\": there is no month 13");
	assert_cursor_on(f, "From");
	key(f, 0, CTRL_KEY('U'));
	type(f, "2099-01-01");
	key(f, 1, KEY_F(5));
	assert_screen("Period: 2099-01-01 to");
	assert_screen("revocation register: 0 entries");
	assert_screen("(nothing)");
	assert_not_screen("account disabled");
}

static void test_clerk_has_no_reports(void **state)
{
	struct fixture *f = *state;
	login(f, "clerk1", "demo");
	assert_screen("Main menu");
	assert_not_screen("Revocation register");
	assert_not_screen("Access review");
}

static void test_disable_at_80x24(void **state)
{
	struct fixture *f = *state;
	resizeterm(24, 80);
	open_users(f);
	open_account(f, "clerk1");
	assert_screen("F2 Grant");
	key(f, 1, KEY_F(4));
	assert_screen("Disable the account");
	type(f, "退職のため");
	key(f, 0, '\r');
	assert_screen("disabled user clerk1 and revoked all grants");
	assert_screen("Status: disabled");
	assert_screen("退職のため");
}

/* At 80 columns the form's note wraps instead of being cut off. */
static void test_reset_note_whole_at_80x24(void **state)
{
	struct fixture *f = *state;
	resizeterm(24, 80);
	open_users(f);
	open_account(f, "clerk1");
	key(f, 1, KEY_F(5));
	assert_screen("A temporary password is made and shown once");
	assert_screen("  next login.");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_list_and_account, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revoke_keeps_input_and_focus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_with_errors_then_password_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_temporary_grant_needs_last_day, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_register_period, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clerk_has_no_reports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disable_at_80x24, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_note_whole_at_80x24, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
