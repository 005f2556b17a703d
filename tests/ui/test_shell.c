/* test_shell.c: headless curses tests of the shell. The program's screens
 * are driven with key presses through app_key() on a curses screen whose
 * output goes to /dev/null, and the screen is read back with mvinnwstr(). */
#include "config.h"

#include "uitest.h"
#include "form.h"

static void test_login_screen(void **state)
{
	assert_screen("Log in with your personal user ID.");
	assert_screen("TRAINING");
	assert_screen("clerk1  supervisor1  auditor1  admin1  trainer1");
	assert_screen("F5 Log in");
	/* Nothing of a session before login. */
	assert_not_screen("F9 Lock");
}

static void test_clerk_menu_has_no_admin(void **state)
{
	struct fixture *f = *state;
	login(f, "clerk1", "demo");
	assert_screen("Main menu");
	assert_screen("clerk1 窓口 一郎 (counter clerk)");
	assert_screen("Change password");
	assert_not_screen("User administration");
	assert_not_screen("Verify the audit log");
	assert_screen("F1 Help  F9 Lock  F10 Logout");
}

/* A role holding every permission (the trainer's) has the longest menu:
 * at 80x24 every entry is there, the last one chosen by its letter. */
static void test_long_menu_fits_80x24(void **state)
{
	struct fixture *f = *state;
	resizeterm(24, 80);
	login(f, "trainer1", "demo");
	assert_screen("1. Counter reception");
	assert_screen("j. Log out");
	assert_screen("F1 Help  F9 Lock  F10 Logout");
	key(f, 0, 'j');
	assert_screen("Log in with your personal user ID.");
}

/* Command form labels: the item's name of a description, the whole
 * description kept as the field's help. */
static void test_form_labels_from_descriptions(void **state)
{
	static const struct { const char *desc, *label; int help; } cases[] = {
		{ "宛名番号: この住民について交付した証明書", "宛名番号", 1 },
		{ "日付（省略時: person を指定しない場合は当日）", "日付", 1 },
		{ "Copies (通数)", "Copies", 1 },
		{ "error (the operation is blocked) or alert (it needs acknowledgement)",
		  "error (the operation is blocked) or alert (it needs acknowledgement)", 0 },
		{ "理由", "理由", 0 },
	};
	struct form fm;
	(void)state;
	form_init(&fm);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int r = form_add_described(&fm, "k", cases[i].desc, 0, 20, 0);
		assert_string_equal(fm.f[r].label, cases[i].label);
		fm.focus = r;
		assert_string_equal(form_help(&fm), cases[i].help ? cases[i].desc : cases[i].label);
	}
	assert_int_equal(form_add_described(&fm, "k", "理由: なぜ", 1, 20, 0), 5);
	assert_string_equal(fm.f[5].label, "* 理由");
	form_release(&fm);
}

static void test_wrong_password(void **state)
{
	struct fixture *f = *state;
	login(f, "clerk1", "nope");
	assert_screen("wrong user ID or password");
	assert_screen("Log in with your personal user ID.");
}

static void test_admin_menu_and_users(void **state)
{
	struct fixture *f = *state;
	login(f, "admin1", "demo");
	assert_screen("User administration");
	type(f, "1");
	assert_screen("supervisor1");
	assert_screen("審査 花子");
	assert_screen("F2 Add");
	key(f, 1, KEY_F(3));
	assert_screen("Main menu");
}

static void test_quick_lock_and_unlock(void **state)
{
	struct fixture *f = *state;
	login(f, "clerk1", "demo");
	key(f, 1, KEY_F(9));
	assert_screen("The screen is locked. clerk1");
	assert_not_screen("窓口 一郎");
	assert_not_screen("Change password");
	type(f, "wrong");
	key(f, 0, '\r');
	assert_screen("wrong password");
	type(f, "demo");
	key(f, 0, '\r');
	assert_screen("Main menu");
}

static void test_idle_lock(void **state)
{
	struct fixture *f = *state;
	login(f, "clerk1", "demo");
	f->app.last_input = time(NULL) - 6 * 60;
	app_tick(&f->app);
	app_draw(&f->app);
	assert_screen("The screen is locked.");
}

static void test_logout(void **state)
{
	struct fixture *f = *state;
	login(f, "clerk1", "demo");
	key(f, 1, KEY_F(10));
	assert_screen("You have logged out.");
	assert_screen("Log in with your personal user ID.");
	assert_null(f->ctx->session);
}

static void test_help_from_key_table(void **state)
{
	struct fixture *f = *state;
	login(f, "clerk1", "demo");
	key(f, 1, KEY_F(1));
	assert_screen("F9   Esc 9   Lock");
	assert_screen("F10  Esc 0   Logout");
	key(f, 1, KEY_F(3));
	assert_screen("Main menu");
}

static void test_japanese_field_editing(void **state)
{
	struct fixture *f = *state;
	int y, x;

	type(f, "山田太郎");
	assert_screen("山田太郎");
	getyx(stdscr, y, x);
	/* The field starts at column 43 (centred form): four kanji are 8 columns. */
	assert_int_equal(y, 6);
	assert_int_equal(x, 43 + 8);
	/* Two columns a kanji: the cursor sits 8 columns after the field start. */
	key(f, 1, KEY_LEFT);
	key(f, 1, KEY_LEFT);
	key(f, 0, 127);          /* backspace deletes 田 before the cursor */
	assert_screen("山太郎");
	{
		int y2, x2;
		getyx(stdscr, y2, x2);
		(void)y2;
		assert_int_equal(x2, x - 6);
	}
}

static void test_too_small(void **state)
{
	struct fixture *f = *state;
	resizeterm(20, 70);
	app_draw(&f->app);
	assert_screen("Please enlarge the terminal to at least 80x24 (now 70x20).");
	resizeterm(30, 100);
	app_draw(&f->app);
	assert_screen("Log in with your personal user ID.");
}

static void test_forced_password_change(void **state)
{
	struct fixture *f = *state;
	struct md_args a;
	struct md_result r;
	struct md_error e;

	/* admin1 resets clerk1's password: clerk1 must change it at login. */
	md_args_init(&a);
	md_args_set(&a, "user", "admin1");
	md_args_set(&a, "password", "demo");
	md_result_init(&r);
	assert_int_equal(md_cmd_exec(f->ctx, "login", &a, &r, &e), MD_OK);
	md_args_init(&a);
	md_args_set(&a, "id", "clerk1");
	md_args_set(&a, "password", "Temp-pass-01");
	assert_int_equal(md_cmd_exec(f->ctx, "user.reset-password", &a, &r, &e), MD_OK);
	md_cmd_exec(f->ctx, "logout", NULL, &r, &e);
	md_result_release(&r);

	login(f, "clerk1", "Temp-pass-01");
	assert_screen("Change password");
	assert_screen("You must choose a new password before you continue.");
	type(f, "Temp-pass-01");
	key(f, 0, '\r');
	type(f, "Fresh-pass-02");
	key(f, 0, '\r');
	type(f, "Fresh-pass-02");
	key(f, 0, '\r');
	assert_screen("Main menu");
	assert_screen("password changed for clerk1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_login_screen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clerk_menu_has_no_admin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_menu_fits_80x24, setup, teardown),
		cmocka_unit_test(test_form_labels_from_descriptions),
		cmocka_unit_test_setup_teardown(test_wrong_password, setup, teardown),
		cmocka_unit_test_setup_teardown(test_admin_menu_and_users, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quick_lock_and_unlock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_logout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_help_from_key_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_japanese_field_editing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forced_password_change, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
