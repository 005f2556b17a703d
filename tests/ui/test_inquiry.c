/* test_inquiry.c: headless tests of the 問合せ・開示請求 screen, typed in
 * Japanese: supervisor1 records a disclosure request, finds it in the list,
 * opens it, reads it whole, and is refused deciding his own request; an
 * administrator's step menu offers no decision and no extract. */
#include "config.h"

#include "uitest.h"

static void field(struct fixture *f, const char *text)
{
	type(f, text);
	key(f, 0, '\t');
}

static void open_list(struct fixture *f, const char *user)
{
	login(f, user, "demo");
	choose(f, "Inquiries and disclosure requests");
	assert_screen("Inquiries and disclosure requests (open)");
	assert_screen("F2 New");
}

static void record(struct fixture *f, const char *kind, const char *subject)
{
	key(f, 1, KEY_F(2));
	assert_screen("record an inquiry or disclosure request");
	field(f, kind);
	field(f, "電話");
	field(f, "山田 花子");
	field(f, subject);
	field(f, "住民票の記録と閲覧の記録の開示を求める");
	key(f, 1, KEY_F(5));
}

static void test_record_open_refused(void **state)
{
	struct fixture *f = *state;

	open_list(f, "supervisor1");
	assert_screen("(nothing)");
	/* A wrong kind is named and nothing is recorded. */
	record(f, "苦情", "自己情報");
	assert_screen("kind (種別) must be one of");
	key(f, 1, KEY_F(3));
	record(f, "開示請求", "自己情報");
	assert_screen("Inquiry 1 recorded");
	assert_screen("自己情報");
	assert_screen("開示請求");
	assert_screen("受付");
	/* Opened: its items and its history. */
	key(f, 0, '\r');
	assert_screen("Inquiry 1");
	assert_screen("住民票の記録と閲覧の記録の開示を求める");
	assert_screen("supervisor1 受付");
	/* The whole text, wrapped. */
	key(f, 1, KEY_F(6));
	assert_screen("Content: 住民票の記録と閲覧の記録の開示を求める");
	key(f, 1, KEY_F(3));
	/* The steps; deciding needs a person and another supervisor. */
	key(f, 1, KEY_F(5));
	assert_screen("What to do with the inquiry");
	assert_screen("Approve the disclosure request (開示決定)");
	assert_screen("Produce the disclosure extract (PDF)");
	choose(f, "Produce the disclosure extract");
	assert_screen("is not approved yet");
	choose(f, "Approve the disclosure request");
	key(f, 1, KEY_F(5));
	assert_screen("names no person");
	key(f, 1, KEY_F(3));
	key(f, 1, KEY_F(3));
	key(f, 1, KEY_F(3));
	/* The overdue list: not yet due. */
	key(f, 1, KEY_F(6));
	assert_screen("Inquiries past their deadline");
	assert_screen("(nothing)");
}

static void test_admin_has_no_decision(void **state)
{
	struct fixture *f = *state;

	open_list(f, "admin1");
	record(f, "問合せ", "手数料の問合せ");
	assert_screen("Inquiry 1 recorded");
	key(f, 0, '\r');
	key(f, 1, KEY_F(5));
	assert_screen("Record the handling or answer");
	assert_screen("Close (完了)");
	assert_not_screen("Approve the disclosure request");
	assert_not_screen("Produce the disclosure extract");
	/* Answer, then close: the list of open ones is empty again. */
	choose(f, "Record the handling or answer");
	type(f, "窓口で案内した");
	key(f, 1, KEY_F(5));
	assert_screen("Answer to inquiry 1 recorded");
	key(f, 1, KEY_F(5));
	choose(f, "Close (完了)");
	key(f, 1, KEY_F(5));
	assert_screen("Inquiry 1 closed");
	assert_screen("完了");
	key(f, 1, KEY_F(3));
	assert_screen("(nothing)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_record_open_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_admin_has_no_decision, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
