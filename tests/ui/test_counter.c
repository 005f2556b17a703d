/* test_counter.c: headless tests of the counter screens (窓口受付), typed in
 * Japanese: clerk1 verifies a 本人 with a 運転免許証, finds the subject by
 * kana, issues a 住民票の写し of two chosen members without 続柄 and closes
 * back to the menu; a 第三者 request for a person under 支援措置 is refused
 * on screen and the attempt is in the supervisor's list; a verification
 * without documents is refused naming the field; a lock hides the subject;
 * a cancel returns to the menu. */
#include "config.h"

#include "uitest.h"
#include "counter_steps.h"

static void test_self_two_members_without_relationship(void **state)
{
	struct fixture *f = *state;
	struct md_result r;
	static const char *const hist[][2] = { { "person", "1" } };

	household(f);
	open_certificate(f);
	/* Nothing of anyone before the verification. */
	key(f, 1, KEY_F(4));
	assert_screen("Verify the applicant's identity first");
	key(f, 1, KEY_F(5));
	assert_screen("Verify the applicant's identity first");
	verify(f, 0, "森 一", NULL);
	assert_screen("本人 森 一: verified (運転免許証)");

	find_subject(f, "", "もり はしめ");   /* voicing ignored */
	assert_screen("森 一");
	assert_not_screen("森 花子");
	key(f, 0, '\r');
	assert_screen("森 一 (宛名番号 1)");

	key(f, 1, KEY_F(5));
	assert_screen("Certificate (証明書の交付)");
	assert_screen("住民票の写し");
	assert_screen("森 一、森 花子、森 次郎");
	/* Members: leave 森 次郎 out. */
	key(f, 1, KEY_DOWN);
	key(f, 0, '\r');
	assert_screen("[x] 森 次郎");
	key(f, 1, KEY_DOWN);
	key(f, 1, KEY_DOWN);
	type(f, " ");
	assert_screen("[ ] 森 次郎");
	key(f, 0, '\r');
	assert_screen("森 一、森 花子");
	assert_not_screen("森 次郎");
	/* Down past the last row stays there: digits typed then never reach
	 * the certificate type on the first row. */
	for (int i = 0; i < 23; i++)       /* 6 rows from Members: once round would be 23 */
		key(f, 1, KEY_DOWN);
	type(f, "3");
	assert_screen("住民票の写し");
	assert_not_screen("住民票コード通知票");
	assert_not_screen("記載事項証明書");
	key(f, 1, KEY_BACKSPACE);          /* the 3 went to the last row (copies) */
	for (int i = 0; i < 20; i++)
		key(f, 1, KEY_UP);

	key(f, 1, KEY_F(4));
	assert_screen("Certificate preview");
	assert_screen("森 花子");
	assert_screen("世帯の一部");
	assert_not_screen("続柄");
	assert_not_screen("森 次郎");
	key(f, 1, KEY_F(3));
	key(f, 1, KEY_F(5));
	assert_screen("Certificate issued");
	assert_screen("発行番号 見本-");
	assert_screen("300 yen");
	assert_screen(".pdf");
	assert_screen("No print command is configured");

	as_user(f, "supervisor1", "cert.history", hist, 1, &r);
	assert_int_equal(r.table.nrows, 1);
	md_result_release(&r);
}

static void test_close_clears_back_to_menu(void **state)
{
	struct fixture *f = *state;

	household(f);
	open_certificate(f);
	verify(f, 0, "森 一", NULL);
	find_subject(f, "", "もり はじめ");
	key(f, 0, '\r');
	key(f, 1, KEY_F(5));
	key(f, 1, KEY_F(5));
	assert_screen("Certificate issued");
	key(f, 1, KEY_F(3));
	key(f, 1, KEY_F(3));
	/* An open transaction is not left by F3. */
	key(f, 1, KEY_F(3));
	assert_screen("close it (F7) or cancel it (F8)");
	key(f, 1, KEY_F(7));
	assert_screen("Fee to collect: 300 yen");
	key(f, 1, KEY_F(5));
	assert_screen("Main menu");
	assert_screen("counter transaction 1 closed: fee 300 yen");
	assert_not_screen("森");
}

static void test_third_party_refused_under_support_measure(void **state)
{
	struct fixture *f = *state;
	static const char *const set[][2] = { { "person", "1" } };
	static const char *const att[][2] = { { "person", "1" } };
	struct md_result r;
	int refused = 0;

	household(f);
	as_user(f, "supervisor1", "support.set", set, 1, NULL);
	open_certificate(f);
	verify(f, 3, "見本債権株式会社 担当 鈴木", "貸金返還請求訴訟のため");
	assert_screen("第三者");
	find_subject(f, "xxx", "1");
	key(f, 0, '\r');
	assert_screen("支援措置");
	assert_screen("Enter: acknowledge");
	key(f, 0, '\r');
	assert_screen("森 一 (宛名番号 1)");
	key(f, 1, KEY_F(5));
	assert_screen("F6: acknowledge and continue");
	key(f, 1, KEY_F(6));
	assert_screen("Acknowledged");
	key(f, 1, KEY_F(5));
	assert_screen("is under a 支援措置");
	assert_screen("recorded for a supervisor.");
	assert_not_screen("Certificate issued");

	as_user(f, "supervisor1", "support.attempts", att, 1, &r);
	for (int i = 0; i < r.table.nrows; i++)
		refused += strcmp(r.table.rows[i][6], "refused") == 0 && strcmp(r.table.rows[i][1], "clerk1") == 0;
	md_result_release(&r);
	assert_int_equal(refused, 1);
}

static void test_verification_refused_names_the_field(void **state)
{
	struct fixture *f = *state;

	open_certificate(f);
	key(f, 1, KEY_F(2));
	key(f, 1, KEY_DOWN);
	type(f, "森 一");
	key(f, 1, KEY_F(5));
	assert_screen("Documents presented:");
	assert_screen("Identity verification");
	/* What was typed stays. */
	assert_screen("森 一");
}

static void test_lock_hides_the_subject(void **state)
{
	struct fixture *f = *state;

	household(f);
	open_certificate(f);
	verify(f, 0, "森 一", NULL);
	find_subject(f, "", "森 一");
	key(f, 0, '\r');
	assert_screen("森 一 (宛名番号 1)");
	key(f, 1, KEY_F(9));
	assert_not_screen("森");
	type(f, "demo");
	key(f, 0, '\r');
	assert_screen("森 一 (宛名番号 1)");
}

static void test_cancel_returns_to_menu(void **state)
{
	struct fixture *f = *state;

	open_certificate(f);
	key(f, 1, KEY_F(8));
	assert_screen("Cancel the transaction");
	type(f, "申請者が書類を忘れたため");
	key(f, 1, KEY_F(5));
	assert_screen("Main menu");
	assert_screen("counter transaction 1 cancelled");
}

static void test_mynumber_check(void **state)
{
	struct fixture *f = *state;
	char right[13], wrong[13];

	mynumber("12345678901", right);
	mynumber("98765432109", wrong);
	household(f);
	open_certificate(f);
	verify(f, 0, "森 一", NULL);
	find_subject(f, "", "森 一");
	key(f, 0, '\r');
	key(f, 1, KEY_F(6));
	assert_screen("番号確認");
	/* The card's name and date of birth are asked for too: without them the
	 * core names the field and the screen stays. */
	type(f, right);
	key(f, 1, KEY_F(5));
	assert_screen("Name on the card: name is missing");
	assert_not_screen("MISMATCH");
	/* A wrong number with the right name and date of birth: a mismatch. */
	key(f, 1, KEY_UP);
	type(f, wrong);
	key(f, 0, '\t');
	type(f, "森 一");
	key(f, 0, '\t');
	type(f, "昭和45年1月1日");
	assert_not_screen(wrong);
	key(f, 1, KEY_F(5));
	/* Back at the transaction: the mismatch blocks the certificate. */
	assert_screen("MISMATCH: verify the applicant again (F2)");
	assert_not_screen(wrong);
	key(f, 1, KEY_F(5));
	key(f, 1, KEY_F(4));
	assert_screen("番号確認");
	assert_not_screen("Certificate preview");
	key(f, 1, KEY_F(3));
	/* A new verification, the subject again, the right number. */
	verify(f, 0, "森 一", NULL);
	find_subject(f, "", "森 一");
	key(f, 0, '\r');
	key(f, 1, KEY_F(6));
	type(f, right);
	key(f, 0, '\t');
	type(f, "森 一");
	key(f, 0, '\t');
	type(f, "1970-01-01");
	key(f, 1, KEY_F(5));
	assert_screen("the number matches the registry");
	assert_not_screen(right);
	key(f, 1, KEY_F(5));
	key(f, 1, KEY_F(4));
	assert_screen("Certificate preview");
}

static void test_household_member_applicant(void **state)
{
	struct fixture *f = *state;

	household(f);
	open_certificate(f);
	verify(f, 1, "森 花子", NULL);
	assert_screen("同一世帯員 森 花子: verified");
	find_subject(f, "", "森 花子");
	/* The subject before the applicant is refused on screen. */
	key(f, 0, '\r');
	assert_screen("first mark the applicant's own record with F6");
	key(f, 1, KEY_F(6));
	assert_screen("Applicant: 森 花子 (宛名番号 2)");
	key(f, 1, KEY_F(3));
	key(f, 0, CTRL_KEY('U'));
	type(f, "森 一");
	key(f, 1, KEY_F(5));
	key(f, 0, '\r');
	assert_screen("森 一 (宛名番号 1)");
	assert_screen("applicant 森 花子 (宛名番号 2)");
}

static void test_notification_by_questioning_sends_a_letter(void **state)
{
	struct fixture *f = *state;

	household(f);
	login(f, "clerk1", "demo");
	choose(f, "Counter reception");
	type(f, "2");
	assert_screen("Counter transaction No. 1: Notification");
	key(f, 1, KEY_F(2));
	key(f, 1, KEY_DOWN);
	type(f, "森 一");
	key(f, 1, KEY_DOWN);
	key(f, 1, KEY_DOWN);
	key(f, 1, KEY_DOWN);
	type(f, " ");
	key(f, 1, KEY_F(5));
	assert_screen("questioning (聞き取り), identity not verified");
	find_subject(f, "", "森 一");
	key(f, 0, '\r');
	key(f, 1, KEY_F(5));
	assert_screen("Record a change");
	assert_screen("転入");
	key(f, 1, KEY_F(3));
	key(f, 1, KEY_F(7));
	assert_screen("a 確認通知 goes to the registered address");
	key(f, 1, KEY_F(5));
	assert_screen("Main menu");
	assert_screen("確認通知 1 will be sent");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_self_two_members_without_relationship, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_clears_back_to_menu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_third_party_refused_under_support_measure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verification_refused_names_the_field, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_hides_the_subject, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_returns_to_menu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mynumber_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_household_member_applicant, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notification_by_questioning_sends_a_letter, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
