/* test_intake.c: headless tests of the intake and review screens, typed in
 * Japanese: a 転入 of a two-person household recorded by clerk1, checked as
 * it is typed, saved provisional, approved by supervisor1 from the queue. */
#include "config.h"

#include "uitest.h"

/* Types text into the focused field and moves to the next one (Tab). */
static void field(struct fixture *f, const char *text)
{
	type(f, text);
	key(f, 0, '\t');
}

static void open_move_in(struct fixture *f)
{
	login(f, "clerk1", "demo");
	choose(f, "Record a change");
	assert_screen("転入（国外から）");
	assert_screen("届出 (notifications) on the left");
	type(f, "1");
	assert_screen("Intake: 転入");
}

static void test_form_shows_only_its_items(void **state)
{
	struct fixture *f = *state;
	open_move_in(f);
	assert_screen("異動年月日");
	assert_screen("転入前住所");
	assert_screen("── Person 1 ──");
	assert_screen("氏の振り仮名");
	/* Items of other forms are not there. */
	assert_not_screen("転出予定年月日");
	assert_not_screen("死亡の年月日");
	assert_screen("F5 Save");
}

static void test_checks_as_the_clerk_types(void **state)
{
	struct fixture *f = *state;
	open_move_in(f);
	field(f, "令和9年1月1日");   /* after today */
	assert_screen("is after today");
	key(f, 1, KEY_UP);
	for (int i = 0; i < 12; i++)
		key(f, 0, 127);
	field(f, "平成31年5月1日");  /* outside its era */
	assert_screen("令和元年5月1日");
}

static void test_move_in_saved_and_approved(void **state)
{
	struct fixture *f = *state;
	struct md_result r;
	struct md_error e;
	struct md_args a;

	open_move_in(f);
	field(f, "R8.11.20");
	field(f, "");
	field(f, "");
	field(f, "999-0002");
	field(f, "0202");
	field(f, "桜台2丁目14番3号");
	field(f, "");
	field(f, "大阪府大阪市北区梅田1-1");
	field(f, "");
	/* Person 1: the head (no earlier record). */
	field(f, "");
	field(f, "日本人");
	field(f, "世帯主");
	field(f, "髙橋");
	field(f, "健太");
	field(f, "たかはし");
	field(f, "けんた");
	for (int i = 0; i < 5; i++)
		field(f, "");
	field(f, "昭和60年7月7日");
	field(f, "男");
	field(f, "東京都見本区桜台2丁目14番");
	field(f, "髙橋 健太");
	/* A second person. */
	key(f, 1, KEY_F(2));
	assert_screen("── Person 2 ──");
	field(f, "");
	field(f, "日本人");
	field(f, "妻");
	field(f, "髙橋");
	field(f, "美穂");
	field(f, "ﾀｶﾊｼ");          /* half-width kana becomes full-width */
	field(f, "みほ");
	for (int i = 0; i < 5; i++)
		field(f, "");
	field(f, "S62.2.3");
	field(f, "女");
	field(f, "東京都見本区桜台2丁目14番");
	field(f, "髙橋 健太");
	key(f, 1, KEY_F(6));
	assert_screen("No problems found.");
	key(f, 1, KEY_F(5));
	assert_screen("provisional change 1 saved (転入)");

	/* Nothing final yet: the registry has no 髙橋. */
	assert_int_equal(f->ctx->session != NULL, 1);
	md_result_init(&r);
	md_args_init(&a);
	md_args_set(&a, "id", "1");
	assert_int_equal(md_cmd_exec(f->ctx, "change.show", &a, &r, &e), MD_OK);
	md_result_release(&r);
	logout(f);

	login(f, "supervisor1", "demo");
	choose(f, "Approve changes");
	assert_screen("髙橋 健太、髙橋 美穂");
	key(f, 0, '\r');
	assert_screen("Review change 1");
	assert_screen("タカハシ");
	assert_screen("昭和60年7月7日");
	key(f, 1, KEY_F(5));
	assert_screen("change 1 (転入) approved: 2 record(s) written");
}

static void test_clerk_cannot_approve_own(void **state)
{
	struct fixture *f = *state;
	login(f, "clerk1", "demo");
	/* A clerk has no approval entry at all ... */
	assert_not_screen("Approve changes");
	logout(f);
	/* ... and a supervisor's own change is refused by the core. */
	login(f, "supervisor1", "demo");
	choose(f, "Record a change");
	type(f, "9");   /* 出生 needs a household: refused on save */
	key(f, 1, KEY_F(5));
	assert_screen("[error]");
}

static void test_save_shows_errors_and_keeps_input(void **state)
{
	struct fixture *f = *state;
	open_move_in(f);
	field(f, "R8.11.20");
	key(f, 1, KEY_F(5));
	assert_screen("[error]");
	assert_screen("is required");
	/* What was typed is still there. */
	assert_screen("R8.11.20");
}

/* A change saved through the core, as clerk1. */
static void save_change_as_clerk(struct fixture *f)
{
	static const char *const kv[][2] = {
		{ "type", "move_in" }, { "event_date", "R8.11.20" }, { "postal_code", "999-0002" },
		{ "address_code", "0202" }, { "address", "桜台2丁目1番1号" },
		{ "previous_address", "大阪府大阪市北区梅田1-1" },
		{ "p1.relationship", "世帯主" }, { "p1.surname", "森" }, { "p1.given_name", "一" },
		{ "p1.surname_kana", "モリ" }, { "p1.given_name_kana", "ハジメ" },
		{ "p1.birth_date", "1970-01-01" }, { "p1.sex", "男" }, { "p1.honseki", "東京都見本区" },
		{ "p1.hittosha", "森 一" },
	};
	struct md_args a;
	struct md_result r;
	struct md_error e;

	md_args_init(&a);
	md_args_set(&a, "user", "clerk1");
	md_args_set(&a, "password", "demo");
	md_result_init(&r);
	assert_int_equal(md_cmd_exec(f->ctx, "login", &a, &r, &e), MD_OK);
	md_args_init(&a);
	for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
		md_args_set(&a, kv[i][0], kv[i][1]);
	if (md_cmd_exec(f->ctx, "change.save", &a, &r, &e) != MD_OK)
		fail_msg("%s", e.msg);
	md_cmd_exec(f->ctx, "logout", NULL, &r, &e);
	md_result_release(&r);
}

static void test_reject_returns_to_queue(void **state)
{
	struct fixture *f = *state;
	save_change_as_clerk(f);
	login(f, "supervisor1", "demo");
	choose(f, "Approve changes");
	assert_screen("森 一");
	key(f, 0, '\r');
	assert_screen("Review change 1");
	key(f, 1, KEY_F(6));
	type(f, "本籍の誤り");
	key(f, 0, '\r');
	/* Back at the queue, which no longer holds the change. */
	assert_screen("Changes waiting for approval");
	assert_screen("change 1 rejected");
	assert_not_screen("森 一");
	logout(f);
	/* The maker sees it with the reason. */
	login(f, "clerk1", "demo");
	choose(f, "My changes");
	assert_screen("本籍の誤り");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_form_shows_only_its_items, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checks_as_the_clerk_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_in_saved_and_approved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clerk_cannot_approve_own, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_shows_errors_and_keeps_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reject_returns_to_queue, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
