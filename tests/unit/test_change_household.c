/* test_change_household.c: the change core (registry.md §4-§5) through
 * md_cmd_exec: 転出 and the head of household, 世帯分離・合併・世帯主変更,
 * corrections and 取消, edit locks, 抑止 and 支援措置, conflicts, audit. */
#include "config.h"

#include "change_fixture.h"

/* ---- 転出 and the head of household ------------------------------------------------ */


static void test_move_out_planned(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	struct md_person p;
	struct md_error err;
	char today[11];
	long long id;
	struct hh h = { 0 };

	make_household(c, "山田", "ヤマダ", ADDR_A, 1, &h);
	kv_move_out(&k, 9);
	kv_add(&k, "p1.person=%lld", h.child);
	kv_add(&k, "p1.out_address_planned=北海道札幌市中央区北1条西2丁目");
	md_result_init(&res);
	id = save_ok(c, &k, &res);
	assert_int_equal(issue_errors(&res.table), 0);
	md_result_release(&res);
	approve(c, id);
	assert_person(c, h.child, "status", "moved_out");
	assert_person(c, h.child, "removal_date", "2026-04-10");
	assert_person(c, h.child, "out_planned_date", "2026-04-10");
	assert_person(c, h.child, "removal_reason", "out_domestic");
	assert_person(c, h.child, "out_address_planned", "北海道札幌市中央区北1条西2丁目");
	/* No notification period for a move-out. */
	assert_int_equal(late_of(c, id), 0);

	/* Still living here until the date. */
	md_person_init(&p);
	assert_int_equal(cw_load_person(c, h.child, &p, &err), MD_OK);
	cw_today(today);
	assert_int_equal(cw_active(&p, today), 1);
	assert_int_equal(cw_active(&p, "2026-04-10"), 0);
	md_person_release(&p);
	kv_add(&k, "type=death");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.child);
	check(c, &k, &res);
	assert_int_equal(issue_errors(&res.table), 0);
	md_result_release(&res);

	/* After the date the record is a 除票. */
	md_time_set(tu_day(10));
	kv_add(&k, "type=death");
	kv_add(&k, "event_date=2026-04-11");
	kv_add(&k, "p1.person=%lld", h.child);
	check(c, &k, &res);
	assert_true(issue_has(&res.table, "error", "is not a current resident"));
	md_result_release(&res);
	md_time_set(tu_day(0));

	/* The planned address is required; the reason is a removal reason. */
	kv_move_out(&k, 5);
	kv_add(&k, "p1.person=%lld", h.wife);
	save_refused(c, &k, "転出先住所（予定） is required");
	kv_move_out(&k, 5);
	kv_add(&k, "reason=death");
	kv_add(&k, "p1.person=%lld", h.wife);
	kv_add(&k, "p1.out_address_planned=ニューヨーク");
	save_refused(c, &k, "does not belong to 転出");
	kv_move_out(&k, 5);
	kv_add(&k, "reason=out_abroad");
	kv_add(&k, "p1.person=%lld", h.wife);
	kv_add(&k, "p1.out_address_planned=アメリカ合衆国");
	id = save_ok(c, &k, NULL);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM changes WHERE id = %lld AND reason = 'out_abroad'",
	                          id), 1);
}

static void test_move_out_head(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	char msg[160];
	long long id;
	struct hh h, g;

	make_household(c, "山田", "ヤマダ", ADDR_A, 1, &h);

	/* The head leaves, nobody is named head. */
	kv_move_out(&k, 5);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.out_address_planned=福岡市");
	snprintf(msg, sizeof msg, "household %lld would be left without a 世帯主", h.household);
	save_refused(c, &k, msg);

	/* A member restates more than its 続柄. */
	kv_move_out(&k, 5);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.out_address_planned=福岡市");
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.role=member");
	kv_add(&k, "p2.relationship=世帯主");
	kv_add(&k, "p2.surname=佐藤");
	save_refused(c, &k, "氏 is not an item of the 転出 form");
	/* Two heads remain. */
	kv_move_out(&k, 5);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.out_address_planned=福岡市");
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.role=member");
	kv_add(&k, "p2.relationship=世帯主");
	kv_add(&k, "p3.person=%lld", h.child);
	kv_add(&k, "p3.role=member");
	kv_add(&k, "p3.relationship=世帯主");
	snprintf(msg, sizeof msg, "household %lld would have 2 世帯主", h.household);
	save_refused(c, &k, msg);

	/* The wife restated as 世帯主 in the same change. */
	kv_move_out(&k, 5);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.out_address_planned=福岡市");
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.role=member");
	kv_add(&k, "p2.relationship=世帯主");
	md_result_init(&res);
	id = save_ok(c, &k, &res);
	assert_int_equal(issue_errors(&res.table), 0);
	md_result_release(&res);
	approve(c, id);
	assert_person(c, h.head, "status", "moved_out");
	assert_person(c, h.wife, "relationship", "世帯主");
	assert_person(c, h.wife, "status", "resident");
	assert_person(c, h.wife, "version", "2");
	assert_person(c, h.child, "version", "1");

	/* Before the date the household still takes changes: a birth. */
	kv_birth(&k, h.household, -1, "次郎", "ジロウ");
	check(c, &k, &res);
	if (issue_errors(&res.table))
		dump_table(&res.table);
	assert_int_equal(issue_errors(&res.table), 0);
	md_result_release(&res);

	/* A whole household leaves: no head is needed. */
	make_household(c, "佐藤", "サトウ", ADDR_B, 0, &g);
	kv_move_out(&k, 3);
	kv_add(&k, "p1.person=%lld", g.head);
	kv_add(&k, "p1.out_address_planned=仙台市");
	kv_add(&k, "p2.person=%lld", g.wife);
	kv_add(&k, "p2.out_address_planned=仙台市");
	id = save_ok(c, &k, NULL);
	approve(c, id);
	assert_person(c, g.head, "status", "moved_out");
	assert_person(c, g.wife, "status", "moved_out");
}

static void test_death_of_head(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char msg[160], d[11];
	long long id;
	struct hh h = { 0 };

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	kv_add(&k, "type=death");
	kv_add(&k, "event_date=2026-03-31");
	kv_add(&k, "p1.person=%lld", h.head);
	snprintf(msg, sizeof msg, "household %lld would be left without a 世帯主", h.household);
	save_refused(c, &k, msg);

	kv_add(&k, "type=death");
	kv_add(&k, "event_date=2026-03-31");
	kv_add(&k, "p1.person=%lld", h.head);
	tu_date(1, d);
	kv_add(&k, "p1.death_date=%s", d);
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.role=member");
	kv_add(&k, "p2.relationship=世帯主");
	save_refused(c, &k, "the date of death is after today");

	kv_add(&k, "type=death");
	kv_add(&k, "event_date=2026-03-31");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.role=member");
	kv_add(&k, "p2.relationship=世帯主");
	id = save_ok(c, &k, NULL);
	approve(c, id);
	assert_person(c, h.head, "status", "dead");
	assert_person(c, h.head, "death_date", "2026-03-31");
	assert_person(c, h.head, "removal_date", "2026-03-31");
	assert_person(c, h.head, "removal_reason", "death");
	assert_person(c, h.wife, "relationship", "世帯主");

	/* The dead are not changed by a 転居 and cannot die twice. */
	kv_add(&k, "type=death");
	kv_add(&k, "event_date=2026-03-31");
	kv_add(&k, "p1.person=%lld", h.head);
	save_refused(c, &k, "is not a current resident");
	kv_move_within(&k, h.household, -1, ADDR_B);
	id = save_ok(c, &k, NULL);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM change_persons WHERE change_id = %lld", id), 1);
	assert_int_equal(tu_sqlf_int(c, "SELECT person_id FROM change_persons WHERE change_id = %lld", id),
	                 h.wife);
}

/* ---- 世帯分離, 世帯合併, 世帯主変更 ------------------------------------------------- */


static void test_household_split(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char msg[160];
	long long id, nh;
	struct hh h = { 0 };

	make_household(c, "山田", "ヤマダ", ADDR_A, 1, &h);

	kv_type(&k, "household_split", -2);
	kv_add(&k, "p1.person=%lld", h.child);
	kv_add(&k, "p1.relationship=子");
	save_refused(c, &k, "the new household has no 世帯主");

	kv_type(&k, "household_split", -2);
	kv_add(&k, "p1.person=%lld", h.child);
	kv_add(&k, "p1.relationship=世帯主");
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.relationship=世帯主");
	save_refused(c, &k, "the new household would have 2 世帯主");

	/* The head leaves the old household headless. */
	kv_type(&k, "household_split", -2);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.relationship=世帯主");
	snprintf(msg, sizeof msg, "household %lld would be left without a 世帯主", h.household);
	save_refused(c, &k, msg);

	/* Nobody. */
	kv_type(&k, "household_split", -2);
	save_refused(c, &k, "needs at least one person");

	kv_type(&k, "household_split", -2);
	kv_add(&k, "p1.person=%lld", h.child);
	kv_add(&k, "p1.relationship=世帯主");
	id = save_ok(c, &k, NULL);
	approve(c, id);
	nh = tu_sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", h.child);
	assert_true(nh > 0 && nh != h.household);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM households"), 2);
	assert_person(c, h.child, "relationship", "世帯主");
	assert_person(c, h.child, "address", ADDR_A);
	assert_int_equal(tu_sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", h.wife),
	                 h.household);
	assert_person(c, h.head, "version", "1");
	assert_int_equal(tu_sqlf_int(c, "SELECT household_id FROM person_versions WHERE person_id = %lld "
	                             "AND version = 1", h.child), h.household);
}

static void test_household_merge(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char msg[160];
	long long id;
	struct hh a, b;

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &a);
	make_household(c, "佐藤", "サトウ", ADDR_C, 0, &b);
	{
		char sql[160];
		snprintf(sql, sizeof sql, "UPDATE persons SET katagaki = 'メゾン見本202' WHERE household_id = %lld",
		         a.household);
		tu_sql_exec(c, sql);
	}
	assert_true(a.household != b.household);

	kv_type(&k, "household_merge", -2);
	kv_add(&k, "household=%lld", a.household);
	kv_add(&k, "p1.person=%lld", b.head);
	kv_add(&k, "p1.relationship=世帯主");
	snprintf(msg, sizeof msg, "household %lld would have 2 世帯主", a.household);
	save_refused(c, &k, msg);

	kv_type(&k, "household_merge", -2);
	kv_add(&k, "p1.person=%lld", b.head);
	kv_add(&k, "p1.relationship=同居人");
	save_refused(c, &k, "choose the household (世帯番号) they join");

	kv_type(&k, "household_merge", -2);
	kv_add(&k, "household=%lld", a.household);
	kv_add(&k, "p1.person=%lld", a.wife);
	kv_add(&k, "p1.relationship=妻");
	save_refused(c, &k, "is already in household");

	/* Both Satos join: the head becomes 同居人, the wife 同居人 too. */
	kv_type(&k, "household_merge", -2);
	kv_add(&k, "household=%lld", a.household);
	kv_add(&k, "p1.person=%lld", b.head);
	kv_add(&k, "p1.relationship=同居人");
	kv_add(&k, "p2.person=%lld", b.wife);
	kv_add(&k, "p2.relationship=同居人");
	id = save_ok(c, &k, NULL);
	approve(c, id);
	assert_int_equal(tu_sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", b.head),
	                 a.household);
	assert_int_equal(tu_sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", b.wife),
	                 a.household);
	assert_person(c, b.head, "address", ADDR_A);
	assert_person(c, b.head, "katagaki", "メゾン見本202");
	assert_person(c, b.wife, "address", ADDR_A);
	assert_person(c, b.head, "relationship", "同居人");
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM persons WHERE household_id = %lld",
	                          a.household), 4);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM persons WHERE household_id = %lld AND "
	                             "relationship = '世帯主'", a.household), 1);
}

static void test_head_change(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char msg[160];
	long long id;
	struct hh h = { 0 };

	make_household(c, "山田", "ヤマダ", ADDR_A, 1, &h);

	kv_type(&k, "head_change", -1);
	kv_add(&k, "household=%lld", h.household);
	kv_add(&k, "p1.person=%lld", h.wife);
	kv_add(&k, "p1.relationship=世帯主");
	snprintf(msg, sizeof msg, "household %lld would have 2 世帯主", h.household);
	save_refused(c, &k, msg);

	kv_type(&k, "head_change", -1);
	kv_add(&k, "household=%lld", h.household);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.relationship=夫");
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.relationship=世帯主");
	kv_add(&k, "p3.person=%lld", h.child);
	kv_add(&k, "p3.relationship=子");
	id = save_ok(c, &k, NULL);
	approve(c, id);
	assert_person(c, h.wife, "relationship", "世帯主");
	assert_person(c, h.head, "relationship", "夫");
	assert_person(c, h.child, "relationship", "子");
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM persons WHERE household_id = %lld AND "
	                             "relationship = '世帯主'", h.household), 1);
	assert_int_equal(tu_sqlf_int(c, "SELECT relationship = '世帯主' FROM person_versions WHERE "
	                             "person_id = %lld AND version = 1", h.head), 1);
	/* Nothing but 続柄 on this form. */
	kv_type(&k, "head_change", -1);
	kv_add(&k, "household=%lld", h.household);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.given_name=次郎");
	save_refused(c, &k, "名 is not an item of the 世帯主変更 form");
}

/* ---- corrections and cancellations ------------------------------------------- */


static void test_clerical_fix_keeps_history(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char buf[256];
	long long id;
	struct hh h = { 0 };

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	id = fix(c, h.head, "given_name", "太朗");
	approve(c, id);
	assert_person(c, h.head, "given_name", "太朗");
	assert_person(c, h.head, "version", "2");
	tu_sqlf_text(c, buf, sizeof buf, "SELECT group_concat(version || ':' || given_name || ':' || change_id, ',') "
	                              "FROM (SELECT * FROM person_versions WHERE person_id = %lld "
	                              "ORDER BY version)", h.head);
	{
		char want[128];
		snprintf(want, sizeof want, "1:太郎:%lld,2:太朗:%lld", h.change, id);
		assert_string_equal(buf, want);
	}
	/* The old name stays searchable as a past name. */
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM name_index WHERE person_id = %lld AND "
	                             "kind = 'past' AND fold = '山田太郎'", h.head), 1);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM name_index WHERE person_id = %lld AND "
	                             "kind = 'name' AND fold = '山田太朗'", h.head), 1);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM changes WHERE id = %lld AND memo = '届書の誤読' "
	                             "AND reason = 'clerical_fix'", id), 1);

	/* A fix that changes nothing. */
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.given_name=太朗");
	save_refused(c, &k, "nothing was changed");
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.head);
	save_refused(c, &k, "nothing was changed");
	/* A fix names its person. */
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.given_name=太朗");
	save_refused(c, &k, "give the 宛名番号");
	/* Foreign-only items are refused for a Japanese resident. */
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.nationality=US");
	save_refused(c, &k, "国籍・地域");
	/* A removed record can still be corrected. */
	remove_wife(c, &h);
	id = fix(c, h.wife, "birth_date", "1982-05-11");
	approve(c, id);
	assert_person(c, h.wife, "birth_date", "1982-05-11");
	assert_person(c, h.wife, "status", "moved_out");
}

static void test_cancel_move_in(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char buf[128];
	long long id;
	struct hh h = { 0 };

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", h.change);
	id = save_ok(c, &k, NULL);
	tu_sqlf_text(c, buf, sizeof buf, "SELECT reason || '|' || cancels FROM changes WHERE id = %lld", id);
	{
		char want[64];
		snprintf(want, sizeof want, "cancel_remove|%lld", h.change);
		assert_string_equal(buf, want);
	}
	assert_person(c, h.head, "status", "resident");
	approve(c, id);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons"), 2);
	for (long long *p = &h.head; p <= &h.wife; p++) {
		assert_person(c, *p, "status", "removed");
		assert_person(c, *p, "removal_reason", "cancel_remove");
		assert_person(c, *p, "removal_date", "2026-04-01");
		assert_person(c, *p, "version", "2");
		assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM person_versions WHERE person_id = %lld",
		                          *p), 2);
	}
	/* The cancelled change itself stays approved in the history. */
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM changes WHERE id = %lld AND status = 'approved'",
	                          h.change), 1);
	/* It cannot be cancelled twice. */
	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", h.change);
	save_refused(c, &k, "has changed again");
}

static void test_cancel_move_within(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	long long mw, id;
	struct hh h = { 0 };

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	kv_move_within(&k, h.household, -2, ADDR_B);
	mw = save_ok(c, &k, NULL);
	approve(c, mw);
	assert_person(c, h.head, "address", ADDR_B);

	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", mw);
	id = save_ok(c, &k, NULL);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM changes WHERE id = %lld AND reason = 'cancel_fix'",
	                          id), 1);
	approve(c, id);
	for (long long *p = &h.head; p <= &h.wife; p++) {
		assert_person(c, *p, "address", ADDR_A);
		assert_person(c, *p, "katagaki", KATA_A);
		assert_person(c, *p, "address_since", "2026-03-22");
		assert_person(c, *p, "status", "resident");
		assert_person(c, *p, "version", "3");
		/* History keeps all three. */
		assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM person_versions WHERE person_id = %lld "
		                             "AND version = 2 AND address = '" ADDR_B "'", *p), 1);
	}
}

static void test_cancel_refusals(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	long long mw, fx1, prov;
	char msg[160];
	struct hh h = { 0 };

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	kv_move_within(&k, h.household, -2, ADDR_B);
	mw = save_ok(c, &k, NULL);
	approve(c, mw);
	fx1 = fix(c, h.head, "given_name", "太朗");
	approve(c, fx1);

	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", mw);
	snprintf(msg, sizeof msg, "宛名番号 %lld has changed again since change %lld", h.head, mw);
	save_refused(c, &k, msg);

	prov = fix(c, h.wife, "given_name", "華子");
	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", prov);
	save_refused(c, &k, "is not an approved change");

	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	save_refused(c, &k, "name the approved change to cancel");

	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", fx1);
	kv_add(&k, "p1.person=%lld", h.head);
	save_refused(c, &k, "names a change, not persons");

	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-02");
	kv_add(&k, "cancels=%lld", fx1);
	save_refused(c, &k, "after today");

	/* The latest change can be cancelled. */
	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", fx1);
	approve(c, save_ok(c, &k, NULL));
	assert_person(c, h.head, "given_name", "太郎");
	assert_person(c, h.head, "address", ADDR_B);
}

/* A 取消 is a change like others: the household keeps its one head, and
 * locks and alerts apply to the records it restores. */
static void test_cancel_keeps_household_rules(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char msg[160], sql[512];
	long long birth, id;
	struct hh h = { 0 };

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	kv_birth(&k, h.household, -2, "三郎", "サブロウ");
	birth = save_ok(c, &k, NULL);
	approve(c, birth);

	/* Cancelling the 転入 would leave the baby alone without a head. */
	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", h.change);
	snprintf(msg, sizeof msg, "household %lld would be left without a 世帯主", h.household);
	save_refused(c, &k, msg);

	/* A blocking 抑止 on the baby blocks the 取消 of the birth. */
	snprintf(sql, sizeof sql,
	         "INSERT INTO suppressions (person_id, operation, mode, start_date, reason, set_by, "
	         "set_at) VALUES (%lld, 'change', 'error', '2026-01-01', '出生届の確認中', "
	         "'supervisor1', '2026-01-01T00:00:00Z')", person_id(c, "山田", "三郎"));
	tu_sql_exec(c, sql);
	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", birth);
	save_refused(c, &k, "出生届の確認中");
	tu_sql_exec(c, "UPDATE suppressions SET ended_at = '2026-04-01T00:00:00Z'");

	/* The birth cancelled first, then the 転入. */
	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", birth);
	approve(c, save_ok(c, &k, NULL));
	assert_person(c, person_id(c, "山田", "三郎"), "status", "removed");
	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", h.change);
	id = save_ok(c, &k, NULL);
	approve(c, id);
	assert_person(c, h.head, "status", "removed");
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons WHERE status = 'resident'"), 0);
}

/* ---- edit locks ------------------------------------------------------------------ */

static void test_edit_locks(void **state)
{
	struct fx *f = *state;
	struct md_ctx *a = f->ctx, *b;
	struct kv k = { 0 };
	struct md_result res;
	struct md_error err;
	char arg[48], msg[160];
	struct hh h = { 0 };

	make_household(a, "山田", "ヤマダ", ADDR_A, 0, &h);
	assert_int_equal(md_user_create(a, "clerk2", "窓口 二郎", "clerk", PW, NULL, NULL,
	                                "test", 0, 1, &err), MD_OK);
	b = tu_open(&f->cfg, f->db, MD_DB_TRAINING);
	login(b, "clerk2");

	snprintf(arg, sizeof arg, "person=%lld", h.head);
	md_result_init(&res);
	assert_int_equal(run(a, &res, &err, "edit.begin", arg, NULL), MD_OK);
	assert_non_null(strstr(res.message, "locked"));
	md_result_release(&res);
	/* Renewing one's own lock is fine. */
	assert_int_equal(run(a, NULL, &err, "edit.begin", arg, NULL), MD_OK);

	/* The other clerk can only view. */
	assert_int_equal(run(b, NULL, &err, "edit.begin", arg, NULL), MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "clerk1"));
	fix(a, h.wife, "note", "x");    /* a change on someone else is not blocked */
	{
		struct kv kk = { 0 };
		kv_add(&kk, "type=clerical_fix");
		kv_add(&kk, "event_date=2026-04-01");
		kv_add(&kk, "p1.person=%lld", h.head);
		kv_add(&kk, "p1.note=窓口2");
		snprintf(msg, sizeof msg, "person %lld is being edited by clerk1", h.head);
		save_refused(b, &kk, msg);
	}
	/* The lock owner's own save releases it. */
	fix(a, h.head, "note", "窓口1");
	assert_int_equal(tu_sql_int(a, "SELECT count(*) FROM edit_locks"), 0);
	fix(b, h.head, "note", "窓口2");

	/* Released on logout. */
	assert_int_equal(run(a, NULL, &err, "edit.begin", arg, NULL), MD_OK);
	{
		struct kv kk = { 0 };
		kv_add(&kk, "type=clerical_fix");
		kv_add(&kk, "event_date=2026-04-01");
		kv_add(&kk, "p1.person=%lld", h.head);
		kv_add(&kk, "p1.note=窓口2b");
		save_refused(b, &kk, "being edited by clerk1");
	}
	logout(a);
	assert_int_equal(tu_sql_int(a, "SELECT count(*) FROM edit_locks"), 0);
	fix(b, h.head, "note", "窓口2b");
	login(a, "clerk1");

	/* A household lock blocks a 転居 of that household. */
	snprintf(arg, sizeof arg, "household=%lld", h.household);
	assert_int_equal(run(a, NULL, &err, "edit.begin", arg, NULL), MD_OK);
	kv_move_within(&k, h.household, -1, ADDR_B);
	snprintf(msg, sizeof msg, "household %lld is being edited by clerk1", h.household);
	save_refused(b, &k, msg);
	/* edit.end releases it. */
	md_result_init(&res);
	assert_int_equal(run(a, &res, &err, "edit.end", arg, NULL), MD_OK);
	assert_non_null(strstr(res.message, "released"));
	md_result_release(&res);
	kv_move_within(&k, h.household, -1, ADDR_B);
	save_ok(b, &k, NULL);

	/* Only the owner's edit.end releases. */
	snprintf(arg, sizeof arg, "person=%lld", h.wife);
	assert_int_equal(run(a, NULL, &err, "edit.begin", arg, NULL), MD_OK);
	assert_int_equal(run(b, NULL, &err, "edit.end", arg, NULL), MD_OK);
	assert_int_equal(run(b, NULL, &err, "edit.begin", arg, NULL), MD_E_CONFLICT);
	/* A lock ends by itself after its time. */
	md_time_set(tu_day(0) + 31 * 60);
	assert_int_equal(run(b, NULL, &err, "edit.begin", arg, NULL), MD_OK);
	assert_int_equal(run(a, NULL, &err, "edit.begin", arg, NULL), MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "clerk2"));
	/* A member restating its 続柄 is locked too. */
	kv_add(&k, "type=death");
	kv_add(&k, "event_date=2026-03-31");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.role=member");
	kv_add(&k, "p2.relationship=世帯主");
	snprintf(msg, sizeof msg, "person %lld is being edited by clerk2", h.wife);
	save_refused(a, &k, msg);
	/* Bad arguments. */
	assert_int_equal(run(a, NULL, &err, "edit.begin", NULL), MD_E_INVALID);
	assert_int_equal(run(a, NULL, &err, "edit.begin", "person=abc", NULL), MD_E_INVALID);
	md_ctx_free(&b);
}

/* ---- 抑止 and 支援措置 ----------------------------------------------------------- */

static void test_suppression(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	char sql[512];
	long long id;
	struct hh h = { 0 };

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	snprintf(sql, sizeof sql,
	         "INSERT INTO suppressions (person_id, operation, mode, start_date, reason, set_by, "
	         "set_at) VALUES (%lld, 'change', 'error', '2026-01-01', '家庭裁判所の照会中', "
	         "'supervisor1', '2026-01-01T00:00:00Z')", h.head);
	tu_sql_exec(c, sql);

	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.note=x");
	save_refused(c, &k, "家庭裁判所の照会中");
	/* Acknowledging does not lift a block. */
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.note=x");
	kv_add(&k, "ack=1");
	save_refused(c, &k, "抑止 (blocked)");
	/* A 転居 of the household touches the person too. */
	kv_move_within(&k, h.household, -1, ADDR_B);
	save_refused(c, &k, "家庭裁判所の照会中");

	/* An alert needs acknowledgement. */
	tu_sql_exec(c, "UPDATE suppressions SET mode = 'alert'");
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.note=x");
	save_refused(c, &k, "Acknowledge to continue");
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.note=x");
	kv_add(&k, "ack=1");
	md_result_init(&res);
	id = save_ok(c, &k, &res);
	assert_true(issue_has(&res.table, "warning", "抑止 (alert): 家庭裁判所の照会中"));
	md_result_release(&res);
	assert_true(id > 0);
	/* The approver acknowledges the alert too: without ack it is refused,
	 * nothing is written, and the refusal is on record. */
	{
		struct md_error err;
		char arg[32];
		long long before = tu_audit_count(c, "change.approve", "failed", NULL);
		as(c, "supervisor1");
		snprintf(arg, sizeof arg, "id=%lld", id);
		md_result_init(&res);
		assert_int_equal(run(c, &res, &err, "change.approve", arg, NULL), MD_E_CONFLICT);
		assert_string_equal(err.field, "ack");
		assert_non_null(strstr(err.msg, "家庭裁判所の照会中"));
		md_result_release(&res);
		assert_int_equal(tu_sqlf_int(c, "SELECT status = 'provisional' FROM changes WHERE id = %lld", id), 1);
		assert_int_equal(tu_audit_count(c, "change.approve", "failed", NULL), before + 1);
		md_result_init(&res);
		assert_int_equal(run(c, &res, &err, "change.approve", arg, "ack=1", NULL), MD_OK);
		md_result_release(&res);
		assert_int_equal(tu_sqlf_int(c, "SELECT status = 'approved' FROM changes WHERE id = %lld", id), 1);
		as(c, "clerk1");
	}

	/* A suppression of another operation, a future one, an ended one: no effect. */
	tu_sql_exec(c, "UPDATE suppressions SET operation = 'certificate', mode = 'error'");
	fix(c, h.head, "note", "y");
	tu_sql_exec(c, "UPDATE suppressions SET operation = 'change', start_date = '2026-04-02'");
	fix(c, h.head, "note", "z");
	tu_sql_exec(c, "UPDATE suppressions SET start_date = '2026-01-01', end_date = '2026-03-31'");
	fix(c, h.head, "note", "w");
	tu_sql_exec(c, "UPDATE suppressions SET end_date = NULL, ended_at = '2026-03-01T00:00:00Z', "
	               "ended_by = 'supervisor1'");
	fix(c, h.head, "note", "v");

	/* On the household: every member is blocked. */
	snprintf(sql, sizeof sql,
	         "INSERT INTO suppressions (household_id, operation, mode, start_date, reason, set_by, "
	         "set_at) VALUES (%lld, 'change', 'error', '2026-01-01', '世帯の調査中', "
	         "'supervisor1', '2026-01-01T00:00:00Z')", h.household);
	tu_sql_exec(c, sql);
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.wife);
	kv_add(&k, "p1.note=x");
	save_refused(c, &k, "世帯の調査中");
	/* A temporary release (一時解除) lets it through until its time. */
	tu_sql_exec(c, "UPDATE suppressions SET released_until = '2026-04-01T04:00:00Z', "
	               "released_by = 'supervisor1' WHERE household_id IS NOT NULL");
	fix(c, h.wife, "note", "released");
	md_time_set(tu_day(0) + 2 * 3600);
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.wife);
	kv_add(&k, "p1.note=x");
	save_refused(c, &k, "世帯の調査中");
}

static void test_support_measure(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	char sql[512];
	long long id;
	struct hh h = { 0 };

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	snprintf(sql, sizeof sql,
	         "INSERT INTO support_measures (person_id, status, start_date, end_date, set_by, set_at) "
	         "VALUES (%lld, 'active', '2025-10-01', '2026-09-30', 'supervisor1', "
	         "'2025-10-01T00:00:00Z')", h.wife);
	tu_sql_exec(c, sql);

	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.wife);
	kv_add(&k, "p1.note=x");
	save_refused(c, &k, "支援措置");
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.wife);
	kv_add(&k, "p1.note=x");
	save_refused(c, &k, "Acknowledge to continue");
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.wife);
	kv_add(&k, "p1.note=x");
	kv_add(&k, "ack=1");
	md_result_init(&res);
	id = save_ok(c, &k, &res);
	assert_true(issue_has(&res.table, "warning", "支援措置"));
	md_result_release(&res);
	/* Every attempt is recorded for supervisors: two refused, one saved. */
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM support_attempts WHERE person_id = %lld "
	                             "AND operation = 'change' AND outcome = 'refused' AND user_id = 'clerk1'",
	                          h.wife), 2);
	{
		char buf[160], want[160];
		tu_sqlf_text(c, buf, sizeof buf, "SELECT outcome || '|' || detail FROM support_attempts "
		                              "WHERE person_id = %lld ORDER BY id DESC LIMIT 1", h.wife);
		snprintf(want, sizeof want, "saved after alert|change.save clerical_fix change=%lld", id);
		assert_string_equal(buf, want);
	}
	/* The head is not protected, but a change naming the wife as new head
	 * touches her record. */
	fix(c, h.head, "note", "x");
	kv_add(&k, "type=death");
	kv_add(&k, "event_date=2026-03-31");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.role=member");
	kv_add(&k, "p2.relationship=世帯主");
	save_refused(c, &k, "支援措置");
	kv_add(&k, "type=death");
	kv_add(&k, "event_date=2026-03-31");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.role=member");
	kv_add(&k, "p2.relationship=世帯主");
	kv_add(&k, "ack=1");
	save_ok(c, &k, NULL);
	/* An ended measure no longer alerts, and nothing more is recorded. */
	tu_sql_exec(c, "UPDATE support_measures SET status = 'ended'");
	id = tu_sql_int(c, "SELECT count(*) FROM support_attempts");
	fix(c, h.wife, "note", "y");
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM support_attempts"), id);
}

/* ---- approval against a changed record ------------------------------------------- */

static void test_base_version_conflict(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_error err;
	char arg[32], msg[160], buf[64];
	long long first, second;
	struct hh h = { 0 };

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	first = fix(c, h.head, "given_name", "太朗");
	second = fix(c, h.head, "given_name", "多郎");
	assert_int_equal(tu_sqlf_int(c, "SELECT base_version FROM change_persons WHERE change_id = %lld",
	                          second), 1);
	approve(c, first);

	as(c, "supervisor1");
	snprintf(arg, sizeof arg, "id=%lld", second);
	assert_int_equal(run(c, NULL, &err, "change.approve", arg, NULL), MD_E_CONFLICT);
	snprintf(msg, sizeof msg, "宛名番号 %lld changed after change %lld was made", h.head, second);
	assert_non_null(strstr(err.msg, msg));
	tu_sqlf_text(c, buf, sizeof buf, "SELECT status FROM changes WHERE id = %lld", second);
	assert_string_equal(buf, "provisional");
	assert_person(c, h.head, "given_name", "太朗");
	assert_person(c, h.head, "version", "2");
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM person_versions WHERE person_id = %lld",
	                          h.head), 2);
	/* Nothing of the failed approval was kept (one transaction). */
	assert_int_equal(tu_audit_count(c, "change.approve", "ok", NULL), 3);
	/* The way out: reject it. */
	assert_int_equal(run(c, NULL, &err, "change.reject", arg, "reason=record changed", NULL), MD_OK);
}

/* Two provisional 転入 with the same numbers: each is fine alone, only one can
 * become final. */
static void test_same_number_in_two_provisional_changes(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_error err;
	char mn[13], jc[12], arg[32], msg[160];
	long long first, second, third, holder;

	mynumber("19283746501", mn);
	juminhyo_code("7310492658", jc);
	kv_move_in(&k, -2, ADDR_A);
	kv_person(&k, 1, "世帯主", "岡田", "誠", "オカダ", "マコト", "1966-06-06", "男");
	kv_add(&k, "p1.mynumber=%s", mn);
	first = save_ok(c, &k, NULL);
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "岡田", "誠司", "オカダ", "セイジ", "1967-07-07", "男");
	kv_add(&k, "p1.mynumber=%s", mn);
	second = save_ok(c, &k, NULL);
	kv_move_in(&k, -2, ADDR_C);
	kv_person(&k, 1, "世帯主", "岡田", "誠一", "オカダ", "セイイチ", "1968-08-08", "男");
	kv_add(&k, "p1.juminhyo_code=%s", jc);
	third = save_ok(c, &k, NULL);
	kv_move_in(&k, -2, ADDR_C);
	kv_person(&k, 1, "世帯主", "岡田", "誠三", "オカダ", "セイゾウ", "1969-09-09", "男");
	kv_add(&k, "p1.juminhyo_code=%s", jc);
	approve(c, save_ok(c, &k, NULL));
	approve(c, first);
	holder = person_id(c, "岡田", "誠");

	as(c, "supervisor1");
	snprintf(arg, sizeof arg, "id=%lld", second);
	assert_int_equal(run(c, NULL, &err, "change.approve", arg, NULL), MD_E_CONFLICT);
	snprintf(msg, sizeof msg, "個人番号 has been recorded for 宛名番号 %lld", holder);
	if (!strstr(err.msg, msg))
		print_error("%s\n", err.msg);
	assert_non_null(strstr(err.msg, msg));
	assert_null(strstr(err.msg, mn));
	assert_int_equal(person_id(c, "岡田", "誠司"), -1);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM households"), 2);
	snprintf(arg, sizeof arg, "id=%lld", third);
	assert_int_equal(run(c, NULL, &err, "change.approve", arg, NULL), MD_E_CONFLICT);
	snprintf(msg, sizeof msg, "住民票コード has been recorded for 宛名番号 %lld",
	         person_id(c, "岡田", "誠三"));
	assert_non_null(strstr(err.msg, msg));
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM changes WHERE id IN (%lld, %lld) AND "
	                             "status = 'provisional'", second, third), 2);
}

/* ---- audit and My Number ---------------------------------------------------------- */

static void test_audit_entries(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char mn[13], mn2[13], buf[256], subj[24];
	long long id, head, wife;

	kv_move_in(&k, -5, ADDR_A);
	kv_person(&k, 1, "世帯主", "山田", "太郎", "ヤマダ", "タロウ", "1980-03-14", "男");
	kv_add(&k, "p1.mynumber=%s", mynumber("51937284601", mn));
	kv_person(&k, 2, "妻", "山田", "花子", "ヤマダ", "ハナコ", "1982-05-01", "女");
	id = save_ok(c, &k, NULL);
	assert_int_equal(tu_audit_count(c, "change.save", "ok", "new"), 2);
	tu_sql_text(c, "SELECT group_concat(user_id || ':' || action || ':' || mynumber, ',') FROM "
	               "(SELECT * FROM audit_log WHERE function = 'change.save' ORDER BY id)", buf, sizeof buf);
	assert_string_equal(buf, "clerk1:転入:1,clerk1:転入:0");
	tu_sqlf_text(c, buf, sizeof buf, "SELECT detail FROM audit_log WHERE function = 'change.save' "
	                              "AND mynumber = 1");
	{
		char want[96];
		snprintf(want, sizeof want, "change=%lld type=move_in reason=in_domestic person=1", id);
		assert_string_equal(buf, want);
	}

	approve(c, id);
	head = person_id(c, "山田", "太郎");
	wife = person_id(c, "山田", "花子");
	snprintf(subj, sizeof subj, "%lld", head);
	assert_int_equal(tu_audit_count(c, "change.approve", "ok", subj), 1);
	assert_int_equal(tu_sqlf_int(c, "SELECT mynumber FROM audit_log WHERE function = 'change.approve' "
	                             "AND subject = '%lld'", head), 1);
	assert_int_equal(tu_sqlf_int(c, "SELECT mynumber FROM audit_log WHERE function = 'change.approve' "
	                             "AND subject = '%lld'", wife), 0);
	tu_sqlf_text(c, buf, sizeof buf, "SELECT user_id || '|' || action || '|' || detail FROM audit_log "
	                              "WHERE function = 'change.approve' AND subject = '%lld'", wife);
	{
		char want[128];
		snprintf(want, sizeof want, "supervisor1|change %lld|type=move_in reason=in_domestic version=1", id);
		assert_string_equal(buf, want);
	}

	/* A change on an existing person names its 宛名番号. */
	fix(c, wife, "note", "x");
	snprintf(subj, sizeof subj, "%lld", wife);
	assert_int_equal(tu_audit_count(c, "change.save", "ok", subj), 1);
	assert_int_equal(tu_sqlf_int(c, "SELECT mynumber FROM audit_log WHERE function = 'change.save' "
	                             "AND subject = '%lld'", wife), 0);
	/* Entering a My Number is flagged. */
	kv_add(&k, "type=ex_officio_fix");
	kv_add(&k, "reason=mynumber_entry");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", wife);
	kv_add(&k, "p1.mynumber=%s", mynumber("84027365190", mn2));
	id = save_ok(c, &k, NULL);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM audit_log WHERE function = 'change.save' "
	                             "AND subject = '%lld' AND mynumber = 1", wife), 1);
	approve(c, id);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM audit_log WHERE function = 'change.approve' "
	                             "AND subject = '%lld' AND mynumber = 1", wife), 1);
	assert_int_equal(tu_sqlf_int(c, "SELECT mynumber_idx IS NOT NULL FROM persons WHERE id = %lld", wife), 1);
	/* The audit chain still verifies. */
	as(c, "auditor1");
	{
		struct md_error err;
		assert_int_equal(run(c, NULL, &err, "audit.verify", NULL), MD_OK);
	}
}



static void test_mynumber_never_clear(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	struct md_error err;
	char mn[13], mn2[13], bad[13], arg[32], masked[32];
	long long id, wife;

	/* Control: the search does find what is there. */
	assert_true(file_contains(f->db, "clerk1") || file_contains(f->db, "supervisor1"));

	kv_move_in(&k, -5, ADDR_A);
	kv_person(&k, 1, "世帯主", "山田", "太郎", "ヤマダ", "タロウ", "1980-03-14", "男");
	kv_add(&k, "p1.mynumber=%s", mynumber("39572016485", mn));
	kv_person(&k, 2, "妻", "山田", "花子", "ヤマダ", "ハナコ", "1982-05-01", "女");
	id = save_ok(c, &k, NULL);
	assert_nowhere(f, mn);
	/* A refused number is not stored either. */
	kv_move_in(&k, -5, ADDR_B);
	kv_person(&k, 1, "世帯主", "森", "一", "モリ", "ハジメ", "1960-01-01", "男");
	kv_add(&k, "p1.mynumber=%s", bad_mynumber("48201957364", bad));
	save_refused(c, &k, "check digit");
	assert_nowhere(f, bad);

	approve(c, id);
	assert_nowhere(f, mn);
	wife = person_id(c, "山田", "花子");
	kv_add(&k, "type=ex_officio_fix");
	kv_add(&k, "reason=mynumber_entry");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", wife);
	kv_add(&k, "p1.mynumber=%s", mynumber("62840173958", mn2));
	id = save_ok(c, &k, NULL);
	assert_nowhere(f, mn2);

	/* The review shows it masked. */
	as(c, "supervisor1");
	snprintf(arg, sizeof arg, "id=%lld", id);
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.show", arg, NULL), MD_OK);
	snprintf(masked, sizeof masked, "**** **** %s", mn2 + 8);
	assert_true(table_has(&res.table, masked));
	assert_false(table_has(&res.table, mn2));
	md_result_release(&res);
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.approve", arg, NULL), MD_OK);
	md_result_release(&res);
	assert_nowhere(f, mn2);
	assert_nowhere(f, mn);

	/* Also once everything is checkpointed into the main file. */
	md_ctx_free(&f->ctx);
	assert_false(file_contains(f->db, mn));
	assert_false(file_contains(f->db, mn2));
	assert_false(file_contains(f->db, bad));
	f->ctx = tu_open(&f->cfg, f->db, MD_DB_TRAINING);
	/* Sealed, not lost: both persons have a sealed number and an index. */
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM persons WHERE mynumber_enc IS NOT NULL "
	                                    "AND mynumber_idx IS NOT NULL"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_move_out_planned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_out_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_death_of_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_household_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_household_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_head_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clerical_fix_keeps_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_move_in, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_move_within, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_keeps_household_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edit_locks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suppression, setup, teardown),
		cmocka_unit_test_setup_teardown(test_support_measure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_base_version_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_number_in_two_provisional_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mynumber_never_clear, setup, teardown),
	};
	return cmocka_run_group_tests_name("change", tests, group_setup, NULL);
}

