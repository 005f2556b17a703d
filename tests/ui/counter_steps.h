/* counter_steps.h: the steps of the counter screens that the headless
 * tests share: a household to serve, opening a certificate transaction,
 * the identity verification, finding the subject, a command run as another
 * user. Include after uitest.h. */
#ifndef MD_COUNTER_STEPS_H
#define MD_COUNTER_STEPS_H

#include "checkdigit.h"

/* A 個人番号 with its check digit. */
static inline void mynumber(const char *first11, char out[13])
{
	memcpy(out, first11, 11);
	out[11] = (char)('0' + md_mynumber_check_digit(first11));
	out[12] = '\0';
}

/* Runs a command as user through the core (no screen). */
static inline void as_user(struct fixture *f, const char *user, const char *name, const char *const kv[][2],
                    size_t n, struct md_result *out)
{
	struct md_args a;
	struct md_result r;
	struct md_error e;

	md_args_init(&a);
	md_args_set(&a, "user", user);
	md_args_set(&a, "password", "demo");
	md_result_init(&r);
	assert_int_equal(md_cmd_exec(f->ctx, "login", &a, &r, &e), MD_OK);
	md_result_release(&r);
	md_args_init(&a);
	for (size_t i = 0; i < n; i++)
		md_args_set(&a, kv[i][0], kv[i][1]);
	md_result_init(&r);
	if (md_cmd_exec(f->ctx, name, &a, &r, &e) != MD_OK)
		fail_msg("%s: %s", name, e.msg);
	if (out)
		*out = r;
	else
		md_result_release(&r);
	md_result_init(&r);
	md_cmd_exec(f->ctx, "logout", NULL, &r, &e);
	md_result_release(&r);
}

/* A household of three (宛名番号 1 森 一, 2 森 花子, 3 森 次郎), approved. */
static inline void household(struct fixture *f)
{
	static char num[13];
	static const char *const kv[][2] = {
		{ "p1.mynumber", num },
		{ "type", "move_in" }, { "event_date", "R8.11.2" }, { "postal_code", "999-0002" },
		{ "address_code", "0202" }, { "address", "桜台2丁目1番1号" },
		{ "previous_address", "大阪府大阪市北区梅田1-1" },
		{ "p1.relationship", "世帯主" }, { "p1.surname", "森" }, { "p1.given_name", "一" },
		{ "p1.surname_kana", "モリ" }, { "p1.given_name_kana", "ハジメ" },
		{ "p1.birth_date", "1970-01-01" }, { "p1.sex", "男" }, { "p1.honseki", "東京都見本区" },
		{ "p1.hittosha", "森 一" },
		{ "p2.relationship", "妻" }, { "p2.surname", "森" }, { "p2.given_name", "花子" },
		{ "p2.surname_kana", "モリ" }, { "p2.given_name_kana", "ハナコ" },
		{ "p2.birth_date", "1972-03-03" }, { "p2.sex", "女" }, { "p2.honseki", "東京都見本区" },
		{ "p2.hittosha", "森 一" },
		{ "p3.relationship", "子" }, { "p3.surname", "森" }, { "p3.given_name", "次郎" },
		{ "p3.surname_kana", "モリ" }, { "p3.given_name_kana", "ジロウ" },
		{ "p3.birth_date", "2005-05-05" }, { "p3.sex", "男" }, { "p3.honseki", "東京都見本区" },
		{ "p3.hittosha", "森 一" },
	};
	static const char *const approve[][2] = { { "id", "1" } };

	mynumber("12345678901", num);
	as_user(f, "clerk1", "change.save", kv, sizeof kv / sizeof kv[0], NULL);
	as_user(f, "supervisor1", "change.approve", approve, 1, NULL);
}

/* Opens a certificate transaction as clerk1. */
static inline void open_certificate(struct fixture *f)
{
	login(f, "clerk1", "demo");
	choose(f, "Counter reception");
	assert_screen("What is requested?");
	type(f, "1");
	assert_screen("Counter transaction No. 1: Certificate");
	assert_screen("not verified yet");
}

/* F2, then the category (Right presses from 本人), the applicant's name, one
 * 運転免許証 with its photo matched, and a purpose when given. */
static inline void verify(struct fixture *f, int rights, const char *name, const char *purpose)
{
	key(f, 1, KEY_F(2));
	assert_screen("Identity verification");
	for (int i = 0; i < rights; i++)
		key(f, 1, KEY_RIGHT);
	key(f, 1, KEY_DOWN);
	type(f, name);
	key(f, 1, KEY_DOWN);
	key(f, 0, '\r');                 /* the documents' checklist */
	assert_screen("個人番号カード");
	key(f, 1, KEY_DOWN);             /* 運転免許証 */
	type(f, " ");
	assert_screen("[x] 運転免許証");
	key(f, 0, '\r');
	assert_screen("運転免許証");
	key(f, 1, KEY_DOWN);
	type(f, " ");                    /* photo matched */
	if (purpose) {
		key(f, 1, KEY_DOWN);
		type(f, purpose);
	}
	key(f, 1, KEY_F(5));
}

static inline void find_subject(struct fixture *f, const char *field_downs, const char *text)
{
	key(f, 1, KEY_F(4));
	assert_screen("Subject of the request");
	for (const char *p = field_downs; *p; p++)
		key(f, 1, KEY_DOWN);
	type(f, text);
	key(f, 1, KEY_F(5));
}

#endif
