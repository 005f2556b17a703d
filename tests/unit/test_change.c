/* test_change.c: the change core (registry.md §5) through md_cmd_exec:
 * 転入, review, dates, 転入 rules, 出生 and 転居. test_change_household.c has
 * 転出, household changes, corrections, locks, protections and audit. */
#include "config.h"

#include "change_fixture.h"

/* ---- 転入, provisional then final ------------------------------------------- */

static void test_clock(void **state)
{
	char d[11];
	(void)state;
	tu_date(0, d);
	assert_string_equal(d, "2026-04-01");
	tu_date(-7, d);
	assert_string_equal(d, "2026-03-25");
}

static void test_move_in_provisional_then_final(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	struct md_error err;
	char mn[13], buf[512], masked[32];
	long long id, head, wife, h;

	mynumber("73519046282", mn);
	snprintf(masked, sizeof masked, "**** **** %s", mn + 8);
	kv_move_in(&k, -7, ADDR_A);
	kv_add(&k, "katagaki=%s", KATA_A);
	kv_add(&k, "postal_code=100-0001");
	kv_add(&k, "memo=転入届");
	kv_person(&k, 1, "世帯主", "山田", "太郎", "ヤマダ", "タロウ", "S55.3.14", "男");
	kv_add(&k, "p1.mynumber=%s", mn);
	kv_person(&k, 2, "妻", "山田", "花子", "やまだ", "はなこ", "昭和57年5月1日", "女");
	id = save_ok(c, &k, NULL);
	assert_int_equal(id, 1);

	/* Provisional: nothing current exists yet. */
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons"), 0);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM person_versions"), 0);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM name_index"), 0);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM households"), 0);
	tu_sql_text(c, "SELECT type || '|' || reason || '|' || status || '|' || event_date || '|' || "
	               "notified_on || '|' || processed_on || '|' || late || '|' || made_by || '|' || memo "
	               "FROM changes WHERE id = 1", buf, sizeof buf);
	assert_string_equal(buf, "move_in|in_domestic|provisional|2026-03-25|2026-04-01|2026-04-01|0|clerk1|転入届");
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM change_persons WHERE change_id = 1 "
	                               "AND person_id IS NULL AND new_household = 1"), 2);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM change_persons WHERE seq = 1 "
	                               "AND mynumber_enc IS NOT NULL AND mynumber_idx IS NOT NULL"), 1);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM change_persons WHERE seq = 2 "
	                               "AND mynumber_enc IS NULL AND mynumber_idx IS NULL"), 1);
	/* The reading in hiragana is stored in katakana. */
	tu_sql_text(c, "SELECT surname_kana || given_name_kana FROM change_persons WHERE seq = 2", buf,
	            sizeof buf);
	assert_string_equal(buf, "ヤマダハナコ");

	/* The maker sees it among theirs. */
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.mine", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_true(table_has(&res.table, "provisional"));
	assert_true(table_has(&res.table, "転入"));
	md_result_release(&res);

	/* The supervisor's queue and the before/after view. */
	as(c, "supervisor1");
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.queue", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_true(table_has(&res.table, "山田 太郎"));
	assert_true(table_has(&res.table, "山田 花子"));
	assert_true(table_has(&res.table, "clerk1"));
	md_result_release(&res);
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.show", "id=1", NULL), MD_OK);
	assert_true(table_has(&res.table, "山田"));
	assert_true(table_has(&res.table, ADDR_A));
	assert_true(table_has(&res.table, "昭和55年3月14日"));
	assert_true(table_has(&res.table, masked));
	assert_false(table_has(&res.table, mn));
	md_result_release(&res);

	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.approve", "id=1", NULL), MD_OK);
	assert_non_null(strstr(res.message, "2 record(s)"));
	md_result_release(&res);

	/* Final: persons, history, search keys and the household exist. */
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons"), 2);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM households"), 1);
	head = person_id(c, "山田", "太郎");
	wife = person_id(c, "山田", "花子");
	assert_true(head > 0 && wife > 0 && head != wife);
	h = tu_sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", head);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM households WHERE id = %lld", h), 1);
	assert_int_equal(tu_sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", wife), h);
	assert_person(c, head, "relationship", "世帯主");
	assert_person(c, wife, "relationship", "妻");
	assert_person(c, head, "status", "resident");
	assert_person(c, head, "resident_type", "japanese");
	assert_person(c, head, "birth_date", "1980-03-14");
	assert_person(c, wife, "birth_date", "1982-05-01");
	assert_person(c, head, "sex", "M");
	assert_person(c, wife, "sex", "F");
	assert_person(c, wife, "address", ADDR_A);
	assert_person(c, wife, "katagaki", KATA_A);
	assert_person(c, wife, "postal_code", "100-0001");
	assert_person(c, head, "previous_address", PREV);
	assert_person(c, head, "resident_since", "2026-03-25");
	assert_person(c, head, "address_since", "2026-03-25");
	assert_person(c, head, "notified_on", "2026-04-01");
	assert_person(c, head, "honseki", HONSEKI);
	assert_person(c, head, "version", "1");
	assert_person(c, head, "kana_norm", "ヤマタタロオ");
	assert_int_equal(tu_sqlf_int(c, "SELECT mynumber_idx IS NOT NULL AND mynumber_enc IS NOT NULL "
	                             "FROM persons WHERE id = %lld", head), 1);
	assert_int_equal(tu_sqlf_int(c, "SELECT mynumber_idx IS NULL FROM persons WHERE id = %lld", wife), 1);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM person_versions WHERE change_id = 1 "
	                               "AND version = 1"), 2);
	tu_sqlf_text(c, buf, sizeof buf, "SELECT kana || '|' || fold FROM name_index WHERE person_id = %lld "
	                              "AND kind = 'name'", head);
	assert_string_equal(buf, "ヤマタタロオ|山田太郎");
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM name_index WHERE person_id = %lld", wife), 1);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM address_index WHERE kind = 'current'"), 2);
	tu_sql_text(c, "SELECT status || '|' || decided_by FROM changes WHERE id = 1", buf, sizeof buf);
	assert_string_equal(buf, "approved|supervisor1");

	/* Nothing waits any more. */
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.queue", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 0);
	md_result_release(&res);
	/* Approving twice is refused. */
	assert_int_equal(run(c, NULL, &err, "change.approve", "id=1", NULL), MD_E_CONFLICT);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM person_versions"), 2);
}

/* ---- review: approve, reject, withdraw, edit ------------------------------------ */


static void test_self_approval_refused(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_error err;
	char arg[32], buf[256];
	long long id;

	as(c, "supervisor1");
	kv_single(&k, "田中", "タナカ", "恵子", "ケイコ");
	id = save_ok(c, &k, NULL);
	snprintf(arg, sizeof arg, "id=%lld", id);
	assert_int_equal(run(c, NULL, &err, "change.approve", arg, NULL), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "another person must approve"));
	assert_int_equal(tu_audit_count(c, "change.approve", "denied", NULL), 1);
	tu_sql_text(c, "SELECT user_id || '|' || action || '|' || detail FROM audit_log "
	               "WHERE function = 'change.approve' AND outcome = 'denied'", buf, sizeof buf);
	snprintf(arg, sizeof arg, "supervisor1|change %lld|own change", id);
	assert_string_equal(buf, arg);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM changes WHERE id = %lld AND status = "
	                             "'provisional' AND decided_by IS NULL", id), 1);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons"), 0);
	/* Nor may they reject it. */
	snprintf(arg, sizeof arg, "id=%lld", id);
	assert_int_equal(run(c, NULL, &err, "change.reject", arg, "reason=x", NULL), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "withdraw"));

	/* A clerk cannot approve at all: refused at the gate, and logged. */
	as(c, "clerk1");
	assert_int_equal(run(c, NULL, &err, "change.approve", arg, NULL), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "change.approve"));
	assert_int_equal(tu_audit_count(c, "change.approve", "denied", NULL), 2);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons"), 0);

	/* Another approver may. */
	approve_as(c, id, "trainer1");
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM changes WHERE id = %lld AND status = "
	                             "'approved' AND decided_by = 'trainer1'", id), 1);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons"), 1);
}

static void test_reject_with_reason(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	struct md_error err;
	char arg[32], buf[256];
	long long id;

	kv_single(&k, "中村", "ナカムラ", "真一", "シンイチ");
	id = save_ok(c, &k, NULL);
	snprintf(arg, sizeof arg, "id=%lld", id);

	as(c, "supervisor1");
	assert_int_equal(run(c, NULL, &err, "change.reject", arg, NULL), MD_E_INVALID);
	assert_string_equal(err.field, "reason");
	assert_int_equal(run(c, NULL, &err, "change.reject", arg, "reason=", NULL), MD_E_INVALID);
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.reject", arg, "reason=本籍の番地が届書と違う", NULL),
	                 MD_OK);
	assert_non_null(strstr(res.message, "rejected"));
	md_result_release(&res);
	tu_sqlf_text(c, buf, sizeof buf, "SELECT status || '|' || decided_by || '|' || reject_reason "
	                              "FROM changes WHERE id = %lld", id);
	assert_string_equal(buf, "rejected|supervisor1|本籍の番地が届書と違う");
	assert_int_equal(tu_audit_count(c, "change.reject", "ok", NULL), 1);
	/* A rejected change is no longer waiting: it cannot be approved or rejected again. */
	assert_int_equal(run(c, NULL, &err, "change.approve", arg, NULL), MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "rejected"));
	assert_int_equal(run(c, NULL, &err, "change.reject", arg, "reason=again", NULL), MD_E_CONFLICT);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons"), 0);
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.queue", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 0);
	md_result_release(&res);

	/* The maker reads the reason. */
	as(c, "clerk1");
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.mine", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_true(table_has(&res.table, "rejected"));
	assert_true(table_has(&res.table, "本籍の番地が届書と違う"));
	assert_true(table_has(&res.table, "中村 真一"));
	md_result_release(&res);
	/* Another clerk's list does not show it. */
	as(c, "trainer1");
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.mine", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 0);
	md_result_release(&res);

	/* The maker corrects it: provisional again, the reason cleared. */
	as(c, "clerk1");
	kv_single(&k, "中村", "ナカムラ", "慎一", "シンイチ");
	kv_add(&k, "change=%lld", id);
	assert_int_equal(save_ok(c, &k, NULL), id);
	tu_sqlf_text(c, buf, sizeof buf, "SELECT status || '|' || coalesce(reject_reason, '-') || '|' || "
	                              "coalesce(decided_by, '-') FROM changes WHERE id = %lld", id);
	assert_string_equal(buf, "provisional|-|-");
	approve(c, id);
	assert_int_equal(person_id(c, "中村", "慎一") > 0, 1);
}

static void test_withdraw_by_maker_only(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	struct md_error err;
	char arg[32], buf[128];
	long long id;

	kv_single(&k, "小林", "コバヤシ", "直子", "ナオコ");
	id = save_ok(c, &k, NULL);
	snprintf(arg, sizeof arg, "id=%lld", id);

	as(c, "supervisor1");
	assert_int_equal(run(c, NULL, &err, "change.withdraw", arg, NULL), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "only its maker"));
	as(c, "trainer1");
	assert_int_equal(run(c, NULL, &err, "change.withdraw", arg, NULL), MD_E_DENIED);
	tu_sqlf_text(c, buf, sizeof buf, "SELECT status FROM changes WHERE id = %lld", id);
	assert_string_equal(buf, "provisional");

	as(c, "clerk1");
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.withdraw", arg, NULL), MD_OK);
	assert_non_null(strstr(res.message, "withdrawn"));
	md_result_release(&res);
	tu_sqlf_text(c, buf, sizeof buf, "SELECT status || '|' || decided_by FROM changes WHERE id = %lld", id);
	assert_string_equal(buf, "withdrawn|clerk1");
	assert_int_equal(tu_audit_count(c, "change.withdraw", "ok", NULL), 1);
	assert_int_equal(run(c, NULL, &err, "change.withdraw", arg, NULL), MD_E_CONFLICT);
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.mine", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 0);
	md_result_release(&res);
	/* A withdrawn change can be neither edited nor approved. */
	kv_single(&k, "小林", "コバヤシ", "直子", "ナオコ");
	kv_add(&k, "change=%lld", id);
	save_refused(c, &k, "not a provisional change of yours");
	as(c, "supervisor1");
	assert_int_equal(run(c, NULL, &err, "change.approve", arg, NULL), MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "withdrawn"));
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons"), 0);
	/* An unknown change. */
	assert_int_equal(run(c, NULL, &err, "change.approve", "id=999", NULL), MD_E_NOTFOUND);
	assert_int_equal(run(c, NULL, &err, "change.approve", "id=abc", NULL), MD_E_INVALID);
	/* A rejected change can be withdrawn by its maker. */
	as(c, "clerk1");
	kv_single(&k, "小林", "コバヤシ", "健", "ケン");
	id = save_ok(c, &k, NULL);
	snprintf(arg, sizeof arg, "id=%lld", id);
	as(c, "supervisor1");
	assert_int_equal(run(c, NULL, &err, "change.reject", arg, "reason=重複", NULL), MD_OK);
	as(c, "clerk1");
	assert_int_equal(run(c, NULL, &err, "change.withdraw", arg, NULL), MD_OK);
	tu_sqlf_text(c, buf, sizeof buf, "SELECT status FROM changes WHERE id = %lld", id);
	assert_string_equal(buf, "withdrawn");
}

static void test_edit_own_provisional(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char buf[256];
	long long id;

	kv_single(&k, "高橋", "タカハシ", "一郎", "イチロウ");
	id = save_ok(c, &k, NULL);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM change_persons WHERE change_id = %lld", id), 1);

	/* The same change, edited: replaced, not added. */
	kv_single(&k, "高橋", "タカハシ", "次郎", "ジロウ");
	kv_person(&k, 2, "妻", "高橋", "幸子", "タカハシ", "サチコ", "1977-02-02", "女");
	kv_add(&k, "change=%lld", id);
	assert_int_equal(save_ok(c, &k, NULL), id);
	assert_int_equal(changes_count(c), 1);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM change_persons WHERE change_id = %lld", id), 2);
	tu_sqlf_text(c, buf, sizeof buf, "SELECT given_name FROM change_persons WHERE change_id = %lld "
	                              "AND seq = 1", id);
	assert_string_equal(buf, "次郎");
	assert_int_equal(tu_audit_count(c, "change.save", "ok", "new"), 3);

	/* The kind of change can be corrected too. */
	kv_single(&k, "高橋", "タカハシ", "次郎", "ジロウ");
	kv_person(&k, 2, "妻", "高橋", "幸子", "タカハシ", "サチコ", "1977-02-02", "女");
	kv_add(&k, "change=%lld", id);
	for (int i = 0; i < k.n; i++)
		if (strcmp(k.s[i], "type=move_in") == 0) {
			free(k.s[i]);
			k.s[i] = strdup("type=move_in_abroad");
		}
	assert_int_equal(save_ok(c, &k, NULL), id);
	tu_sqlf_text(c, buf, sizeof buf, "SELECT type || '|' || reason FROM changes WHERE id = %lld", id);
	assert_string_equal(buf, "move_in_abroad|in_abroad");

	/* Not someone else's. */
	as(c, "trainer1");
	kv_single(&k, "高橋", "タカハシ", "三郎", "サブロウ");
	kv_add(&k, "change=%lld", id);
	save_refused(c, &k, "not a provisional change of yours");
	tu_sqlf_text(c, buf, sizeof buf, "SELECT given_name FROM change_persons WHERE change_id = %lld "
	                              "AND seq = 1", id);
	assert_string_equal(buf, "次郎");
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM change_persons WHERE change_id = %lld", id), 2);

	/* Not once approved. */
	as(c, "clerk1");
	approve(c, id);
	kv_single(&k, "高橋", "タカハシ", "三郎", "サブロウ");
	kv_add(&k, "change=%lld", id);
	save_refused(c, &k, "not a provisional change of yours");
	assert_int_equal(person_id(c, "高橋", "次郎") > 0, 1);
	assert_int_equal(person_id(c, "高橋", "三郎"), -1);
}

/* ---- dates --------------------------------------------------------------------- */

static void test_event_and_notification_dates(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	char d[11];

	/* The event after today. */
	kv_single(&k, "井上", "イノウエ", "修", "オサム");
	tu_date(1, d);
	kv_add(&k, "event_date=%s", d);
	check(c, &k, &res);
	assert_true(issue_has(&res.table, "error", "after today"));
	assert_true(table_has(&res.table, "event_date"));
	md_result_release(&res);
	kv_single(&k, "井上", "イノウエ", "修", "オサム");
	kv_add(&k, "event_date=%s", d);
	save_refused(c, &k, "the date of the event 2026-04-02 is after today");

	/* The notification after today. */
	kv_single(&k, "井上", "イノウエ", "修", "オサム");
	tu_date(1, d);
	kv_add(&k, "notified_on=%s", d);
	save_refused(c, &k, "the notification date 2026-04-02 is after today");

	/* Missing and impossible dates. */
	kv_single(&k, "井上", "イノウエ", "修", "オサム");
	kv_add(&k, "event_date=");
	save_refused(c, &k, "異動日");
	kv_single(&k, "井上", "イノウエ", "修", "オサム");
	kv_add(&k, "event_date=2026-02-30");
	save_refused(c, &k, "");
	kv_single(&k, "井上", "イノウエ", "修", "オサム");
	kv_add(&k, "event_date=R8.3");
	save_refused(c, &k, "full date");

	/* A 転入 is notified after the move, not before. */
	kv_single(&k, "井上", "イノウエ", "修", "オサム");
	tu_date(-3, d);
	kv_add(&k, "event_date=%s", d);
	tu_date(-5, d);
	kv_add(&k, "notified_on=%s", d);
	save_refused(c, &k, "cannot be notified before the move");

	/* Today is allowed, in any input form. */
	kv_single(&k, "井上", "イノウエ", "修", "オサム");
	kv_add(&k, "event_date=令和8年4月1日");
	kv_add(&k, "notified_on=R8.4.1");
	save_ok(c, &k, NULL);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM changes WHERE event_date = '2026-04-01' "
	                               "AND notified_on = '2026-04-01'"), 1);
	/* The birth date after the event. */
	kv_single(&k, "井上", "イノウエ", "修", "オサム");
	kv_add(&k, "p1.birth_date=2026-03-30");
	save_refused(c, &k, "after the date of the event");
}


static void test_fourteen_day_rule(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	long long id;
	char buf[256];
	struct hh h = { 0 };

	/* 15 days late: accepted, flagged 期間経過. */
	kv_move_in(&k, -15, ADDR_B);
	kv_person(&k, 1, "世帯主", "加藤", "勇", "カトウ", "イサム", "1970-07-07", "男");
	md_result_init(&res);
	id = save_ok(c, &k, &res);
	assert_true(issue_has(&res.table, "warning", "期間経過"));
	assert_true(issue_has(&res.table, "warning", "15 days"));
	assert_int_equal(issue_errors(&res.table), 0);
	md_result_release(&res);
	assert_int_equal(late_of(c, id), 1);
	tu_sqlf_text(c, buf, sizeof buf, "SELECT detail FROM audit_log WHERE function = 'change.save' "
	                              "ORDER BY id DESC LIMIT 1");
	assert_non_null(strstr(buf, " late"));

	/* 14 days: in time. */
	kv_move_in(&k, -14, ADDR_B);
	kv_person(&k, 1, "世帯主", "加藤", "勝", "カトウ", "マサル", "1971-07-07", "男");
	md_result_init(&res);
	id = save_ok(c, &k, &res);
	assert_false(table_has(&res.table, "期間経過"));
	md_result_release(&res);
	assert_int_equal(late_of(c, id), 0);

	/* Counted to the notification date, not to today. */
	kv_move_in(&k, -31, ADDR_B);
	kv_person(&k, 1, "世帯主", "加藤", "進", "カトウ", "ススム", "1972-07-07", "男");
	kv_add(&k, "notified_on=2026-03-15");     /* event 2026-03-01: 14 days */
	id = save_ok(c, &k, NULL);
	assert_int_equal(late_of(c, id), 0);
	kv_move_in(&k, -31, ADDR_B);
	kv_person(&k, 1, "世帯主", "加藤", "茂", "カトウ", "シゲル", "1973-07-07", "男");
	kv_add(&k, "notified_on=2026-03-16");     /* 15 days */
	id = save_ok(c, &k, NULL);
	assert_int_equal(late_of(c, id), 1);

	/* Ex officio changes (出生) have no notification period. */
	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	kv_add(&k, "type=birth");
	kv_add(&k, "household=%lld", h.household);
	kv_add(&k, "event_date=2026-03-01");
	kv_add(&k, "p1.relationship=子");
	kv_add(&k, "p1.surname=山田");
	kv_add(&k, "p1.given_name=桜");
	kv_add(&k, "p1.surname_kana=ヤマダ");
	kv_add(&k, "p1.given_name_kana=サクラ");
	kv_add(&k, "p1.sex=女");
	md_result_init(&res);
	id = save_ok(c, &k, &res);
	assert_false(table_has(&res.table, "期間経過"));
	md_result_release(&res);
	assert_int_equal(late_of(c, id), 0);
	assert_int_equal(tu_sqlf_int(c, "SELECT notified_on IS NULL FROM changes WHERE id = %lld", id), 1);
}

/* ---- 転入 rules ------------------------------------------------------------------ */

static void test_move_in_needs_one_head(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };

	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "妻", "松本", "美香", "マツモト", "ミカ", "1980-01-01", "女");
	kv_person(&k, 2, "子", "松本", "翔", "マツモト", "ショウ", "2012-01-01", "男");
	save_refused(c, &k, "the new household has no 世帯主");

	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "松本", "浩", "マツモト", "ヒロシ", "1978-01-01", "男");
	kv_person(&k, 2, "世帯主", "松本", "美香", "マツモト", "ミカ", "1980-01-01", "女");
	save_refused(c, &k, "the new household would have 2 世帯主");

	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "子", "松本", "翔", "マツモト", "ショウ", "2012-01-01", "男");
	save_refused(c, &k, "no 世帯主");

	/* A forbidden 続柄 is refused with its chain. */
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "松本", "浩", "マツモト", "ヒロシ", "1978-01-01", "男");
	kv_person(&k, 2, "孫", "松本", "翔", "マツモト", "ショウ", "2012-01-01", "男");
	save_refused(c, &k, "子の子");

	/* Required items are named. */
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "松本", "浩", "マツモト", "ヒロシ", "1978-01-01", "男");
	kv_add(&k, "p1.honseki=");
	save_refused(c, &k, "本籍 is required");
	kv_add(&k, "type=move_in");
	kv_add(&k, "event_date=2026-03-30");
	kv_add(&k, "address=%s", ADDR_B);
	kv_person(&k, 1, "世帯主", "松本", "浩", "マツモト", "ヒロシ", "1978-01-01", "男");
	save_refused(c, &k, "転入前住所 is required");

	/* A half-width 続柄 is stored in the standard form; five links are 縁故者. */
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "松本", "浩", "マツモト", "ヒロシ", "1978-01-01", "男");
	kv_person(&k, 2, "妻(未届)", "松本", "美香", "マツモト", "ミカ", "1980-01-01", "女");
	kv_person(&k, 3, "子の子の子の子の子", "松本", "翔", "マツモト", "ショウ", "2012-01-01", "男");
	{
		struct md_result res;
		long long id;
		md_result_init(&res);
		id = save_ok(c, &k, &res);
		assert_true(issue_has(&res.table, "warning", "縁故者"));
		md_result_release(&res);
		assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM change_persons WHERE change_id = %lld "
		                             "AND seq = 2 AND relationship = '妻（未届）'", id), 1);
		assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM change_persons WHERE change_id = %lld "
		                             "AND seq = 3 AND relationship = '縁故者'", id), 1);
	}
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons"), 0);
}

static void test_move_in_mynumber_rules(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	char mn[13], other[13], msg[128];
	struct hh h = { 0 };

	/* A household whose head has a My Number. */
	kv_move_in(&k, -10, ADDR_A);
	kv_person(&k, 1, "世帯主", "山田", "太郎", "ヤマダ", "タロウ", "1980-03-14", "男");
	kv_add(&k, "p1.mynumber=%s", mynumber("73519046282", mn));
	h.change = save_ok(c, &k, NULL);
	approve(c, h.change);
	h.head = person_id(c, "山田", "太郎");

	/* Someone else moving in with that number. */
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "木村", "拓也", "キムラ", "タクヤ", "1972-11-13", "男");
	kv_add(&k, "p1.mynumber=%s", mn);
	snprintf(msg, sizeof msg, "belongs to resident 宛名番号 %lld", h.head);
	save_refused(c, &k, msg);

	/* A wrong check digit, a wrong length, a letter. */
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "木村", "拓也", "キムラ", "タクヤ", "1972-11-13", "男");
	kv_add(&k, "p1.mynumber=%s", bad_mynumber("28461937055", other));
	save_refused(c, &k, "check digit does not match");
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "木村", "拓也", "キムラ", "タクヤ", "1972-11-13", "男");
	kv_add(&k, "p1.mynumber=12345678901");
	save_refused(c, &k, "12 digits");
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "木村", "拓也", "キムラ", "タクヤ", "1972-11-13", "男");
	kv_add(&k, "p1.mynumber=1234567890a8");
	save_refused(c, &k, "not a digit");
	/* The issue names the field. */
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "木村", "拓也", "キムラ", "タクヤ", "1972-11-13", "男");
	kv_add(&k, "p1.mynumber=%s", bad_mynumber("28461937055", other));
	check(c, &k, &res);
	assert_int_equal(res.table.nrows >= 1, 1);
	assert_string_equal(res.table.rows[0][1], "mynumber");
	assert_string_equal(res.table.rows[0][0], "1");
	md_result_release(&res);

	/* A current resident cannot move in again. */
	kv_move_in(&k, -2, ADDR_B);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.relationship=世帯主");
	snprintf(msg, sizeof msg, "宛名番号 %lld is already a resident here", h.head);
	save_refused(c, &k, msg);

	/* A valid number, typed with spaces and full-width digits, is accepted. */
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "木村", "拓也", "キムラ", "タクヤ", "1972-11-13", "男");
	mynumber("28461937055", other);
	{
		char fw[64];
		size_t o = 0;
		for (int i = 0; i < 12; i++) {
			if (i == 4 || i == 8)
				fw[o++] = ' ';
			/* U+FF10.. : EF BC 90.. */
			fw[o++] = (char)0xef;
			fw[o++] = (char)0xbc;
			fw[o++] = (char)(0x90 + (other[i] - '0'));
		}
		fw[o] = '\0';
		kv_add(&k, "p1.mynumber=%s", fw);
	}
	save_ok(c, &k, NULL);
}


/* Foreign residents: their own items, no 本籍, a given name optional. */
static void test_foreign_resident(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	long long id, p;

	kv_foreigner(&k);
	id = save_ok(c, &k, NULL);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM changes WHERE id = %lld AND reason = 'in_abroad'",
	                          id), 1);
	approve(c, id);
	p = tu_sqlf_int(c, "SELECT id FROM persons WHERE surname = 'NGUYEN'");
	assert_true(p > 0);
	assert_person(c, p, "resident_type", "foreign");
	assert_person(c, p, "nationality", "VNM");      /* by name, stored as the code */
	assert_person(c, p, "foreign_since", "2026-03-28");
	assert_person(c, p, "given_name", "VAN AN");
	assert_person(c, p, "given_name_kana", "バン アン");
	assert_person(c, p, "address_code", "0101");

	kv_foreigner(&k);
	kv_add(&k, "p1.honseki=%s", HONSEKI);
	save_refused(c, &k, "a foreign resident has no 本籍・筆頭者");
	kv_foreigner(&k);
	kv_add(&k, "p1.residence_expiry=");
	save_refused(c, &k, "在留期間の満了の日 is required");
	kv_foreigner(&k);
	kv_add(&k, "p1.residence_status=永住者");
	kv_add(&k, "p1.residence_expiry=");
	kv_add(&k, "p1.residence_period=");
	kv_add(&k, "p1.surname=TRAN");
	save_ok(c, &k, NULL);
	/* A long name of a country in the list is fine. */
	kv_foreigner(&k);
	kv_add(&k, "p1.surname=SANTOS");
	kv_add(&k, "p1.nationality=フィリピン");
	id = save_ok(c, &k, NULL);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM change_persons WHERE change_id = %lld AND "
	                             "nationality = 'PHL'", id), 1);
	kv_foreigner(&k);
	kv_add(&k, "p1.nationality=アトランティス");
	save_refused(c, &k, "is not in the code list");
	kv_foreigner(&k);
	kv_add(&k, "p1.address_code=9999");
	save_refused(c, &k, "is not one of this ward's districts");
	kv_foreigner(&k);
	kv_add(&k, "p1.sex=X");
	save_refused(c, &k, "性別 is 男 or 女");
	kv_foreigner(&k);
	kv_add(&k, "p1.surname_kana=Nguyen");
	save_refused(c, &k, "must be written in kana");
	/* The reading goes with the name. */
	kv_foreigner(&k);
	kv_add(&k, "p1.given_name_kana=");
	save_refused(c, &k, "名の振り仮名 is required");
	kv_move_in(&k, -4, ADDR_B);
	kv_person(&k, 1, "世帯主", "石井", "純", "イシイ", "ジュン", "1985-01-01", "男");
	kv_add(&k, "p1.given_name_kana=");
	save_refused(c, &k, "名の振り仮名 is required");
	/* A Japanese resident has no 国籍・地域. */
	kv_move_in(&k, -4, ADDR_B);
	kv_person(&k, 1, "世帯主", "石井", "純", "イシイ", "ジュン", "1985-01-01", "男");
	kv_add(&k, "p1.nationality=KOR");
	save_refused(c, &k, "国籍・地域 is an item of foreign residents only");
}


static void test_removed_record_numbers(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char mn[13], jc[12], msg[160];
	struct hh h = { 0 };

	kv_move_in(&k, -10, ADDR_A);
	kv_person(&k, 1, "世帯主", "山田", "太郎", "ヤマダ", "タロウ", "1980-03-14", "男");
	kv_person(&k, 2, "妻", "山田", "花子", "ヤマダ", "ハナコ", "1982-05-01", "女");
	kv_add(&k, "p2.mynumber=%s", mynumber("60213847592", mn));
	kv_add(&k, "p2.juminhyo_code=%s", juminhyo_code("3051728469", jc));
	h.change = save_ok(c, &k, NULL);
	approve(c, h.change);
	h.head = person_id(c, "山田", "太郎");
	h.wife = person_id(c, "山田", "花子");
	assert_person(c, h.wife, "juminhyo_code", jc);
	remove_wife(c, &h);

	kv_move_in(&k, -1, ADDR_B);
	kv_person(&k, 1, "世帯主", "森", "由美", "モリ", "ユミ", "1990-09-09", "女");
	kv_add(&k, "p1.mynumber=%s", mn);
	snprintf(msg, sizeof msg, "belongs to the removed record 宛名番号 %lld", h.wife);
	save_refused(c, &k, msg);

	kv_move_in(&k, -1, ADDR_B);
	kv_person(&k, 1, "世帯主", "森", "由美", "モリ", "ユミ", "1990-09-09", "女");
	kv_add(&k, "p1.juminhyo_code=%s", jc);
	snprintf(msg, sizeof msg, "this 住民票コード belongs to 宛名番号 %lld", h.wife);
	save_refused(c, &k, msg);

	/* A 住民票コード with a wrong check digit. */
	kv_move_in(&k, -1, ADDR_B);
	kv_person(&k, 1, "世帯主", "森", "由美", "モリ", "ユミ", "1990-09-09", "女");
	snprintf(msg, sizeof msg, "3051728469%d", (jc[10] - '0' + 1) % 10);
	kv_add(&k, "p1.juminhyo_code=%s", msg);
	save_refused(c, &k, "check digit does not match");

	/* The returning person is recorded on the earlier record itself. */
	kv_move_in(&k, -1, ADDR_B);
	kv_add(&k, "p1.person=%lld", h.wife);
	kv_add(&k, "p1.relationship=世帯主");
	kv_add(&k, "p1.mynumber=%s", mn);
	{
		struct md_result res;
		long long id;
		md_result_init(&res);
		id = save_ok(c, &k, &res);
		assert_int_equal(issue_errors(&res.table), 0);
		md_result_release(&res);
		approve(c, id);
	}
	assert_person(c, h.wife, "status", "resident");
	assert_person(c, h.wife, "address", ADDR_B);
	assert_person(c, h.wife, "version", "3");
	assert_int_equal(tu_sqlf_int(c, "SELECT household_id <> %lld FROM persons WHERE id = %lld",
	                          h.household, h.wife), 1);
}

static void test_returning_person_warning(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	char msg[160];
	long long id;
	struct hh h = { 0 };

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	remove_wife(c, &h);

	/* Same reading (typed in hiragana, with a voiced mark dropped) and birth date. */
	kv_move_in(&k, -1, ADDR_B);
	kv_person(&k, 1, "世帯主", "山田", "華子", "やまた", "はなこ", "1982-05-01", "女");
	md_result_init(&res);
	id = save_ok(c, &k, &res);
	snprintf(msg, sizeof msg, "宛名番号 %lld, removed 2026-03-30", h.wife);
	if (!issue_has(&res.table, "warning", msg))
		dump_table(&res.table);
	assert_true(issue_has(&res.table, "warning", "除票"));
	assert_true(issue_has(&res.table, "warning", msg));
	assert_int_equal(issue_errors(&res.table), 0);
	md_result_release(&res);
	assert_true(id > 0);

	/* Another birth date: no warning. */
	kv_move_in(&k, -1, ADDR_B);
	kv_person(&k, 1, "世帯主", "山田", "華子", "ヤマダ", "ハナコ", "1982-05-02", "女");
	md_result_init(&res);
	save_ok(c, &k, &res);
	assert_false(table_has(&res.table, "除票"));
	md_result_release(&res);

	/* The same reading and birth as a current resident: a warning of its own. */
	kv_move_in(&k, -1, ADDR_B);
	kv_person(&k, 1, "世帯主", "山田", "太朗", "ヤマダ", "タロウ", "1980-03-14", "男");
	md_result_init(&res);
	save_ok(c, &k, &res);
	snprintf(msg, sizeof msg, "a resident with the same name reading and date of birth exists "
	                          "(宛名番号 %lld)", h.head);
	assert_true(issue_has(&res.table, "warning", msg));
	md_result_release(&res);
}

static void test_move_in_joining_household(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char msg[128];
	long long id, mother;
	struct hh h = { 0 };

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	kv_move_in(&k, -3, ADDR_A);
	kv_add(&k, "household=%lld", h.household);
	kv_person(&k, 1, "母", "山田", "トメ", "ヤマダ", "トメ", "1950-02-03", "女");
	id = save_ok(c, &k, NULL);
	assert_int_equal(tu_sqlf_int(c, "SELECT new_household IS NULL AND household_id = %lld FROM "
	                             "change_persons WHERE change_id = %lld", h.household, id), 1);
	approve(c, id);
	mother = person_id(c, "山田", "トメ");
	assert_int_equal(tu_sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", mother),
	                 h.household);
	assert_person(c, mother, "relationship", "母");
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM households"), 1);

	/* Not a second head. */
	kv_move_in(&k, -3, ADDR_A);
	kv_add(&k, "household=%lld", h.household);
	kv_person(&k, 1, "世帯主", "山田", "源蔵", "ヤマダ", "ゲンゾウ", "1948-02-03", "男");
	snprintf(msg, sizeof msg, "household %lld would have 2 世帯主", h.household);
	save_refused(c, &k, msg);
	/* Not a household that does not exist. */
	kv_move_in(&k, -3, ADDR_A);
	kv_add(&k, "household=999");
	kv_person(&k, 1, "父", "山田", "源蔵", "ヤマダ", "ゲンゾウ", "1948-02-03", "男");
	save_refused(c, &k, "there is no household 999");
}

/* ---- 出生 ----------------------------------------------------------------------- */


static void test_birth(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	long long id, baby;
	struct hh h = { 0 };

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	kv_birth(&k, h.household, -3, "三郎", "サブロウ");
	id = save_ok(c, &k, NULL);
	approve(c, id);
	baby = person_id(c, "山田", "三郎");
	assert_true(baby > 0);
	assert_int_equal(tu_sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", baby), h.household);
	assert_person(c, baby, "birth_date", "2026-03-29");
	assert_person(c, baby, "resident_since", "2026-03-29");
	assert_person(c, baby, "address_since", "2026-03-29");
	assert_person(c, baby, "address", ADDR_A);
	assert_person(c, baby, "katagaki", KATA_A);
	assert_person(c, baby, "postal_code", "100-0001");
	assert_person(c, baby, "status", "resident");
	assert_person(c, baby, "resident_type", "japanese");
	assert_person(c, baby, "relationship", "子");
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM households"), 1);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM changes WHERE id = %lld AND reason = 'birth'",
	                          id), 1);

	/* The date of birth is the date of the event. */
	kv_birth(&k, h.household, -3, "四郎", "シロウ");
	kv_add(&k, "p1.birth_date=2026-03-20");
	save_refused(c, &k, "date of birth is the date of the event");
	/* Into a household that does not exist. */
	kv_birth(&k, 999, -3, "四郎", "シロウ");
	save_refused(c, &k, "there is no household 999");
	/* The address is the household's, not an item of the form. */
	kv_birth(&k, h.household, -3, "四郎", "シロウ");
	kv_add(&k, "p1.address=%s", ADDR_B);
	save_refused(c, &k, "住所 is not an item of the 出生 form");
	/* A birth records a new person. */
	kv_birth(&k, h.household, -3, "四郎", "シロウ");
	kv_add(&k, "p1.person=%lld", baby);
	save_refused(c, &k, "already a resident here");
	/* A second 世帯主 is not born. */
	kv_birth(&k, h.household, -3, "四郎", "シロウ");
	kv_add(&k, "p1.relationship=世帯主");
	save_refused(c, &k, "would have 2 世帯主");
}

/* ---- 転居 ----------------------------------------------------------------------- */


static void test_move_within(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	char buf[256];
	long long id;
	struct hh h = { 0 };

	make_household(c, "山田", "ヤマダ", ADDR_A, 1, &h);
	kv_move_within(&k, h.household, -2, ADDR_B);
	md_result_init(&res);
	id = save_ok(c, &k, &res);
	assert_int_equal(issue_errors(&res.table), 0);
	md_result_release(&res);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM change_persons WHERE change_id = %lld", id), 3);
	/* Still the old address until approved. */
	assert_person(c, h.head, "address", ADDR_A);
	approve(c, id);
	for (long long *p = &h.head; p <= &h.child; p++) {
		assert_person(c, *p, "address", ADDR_B);
		assert_person(c, *p, "katagaki", "");
		assert_person(c, *p, "postal_code", "100-0005");
		assert_person(c, *p, "address_since", "2026-03-30");
		assert_person(c, *p, "resident_since", "2026-03-22");   /* unchanged */
		assert_person(c, *p, "version", "2");
		tu_sqlf_text(c, buf, sizeof buf, "SELECT address || '|' || katagaki FROM person_versions "
		                              "WHERE person_id = %lld AND version = 1", *p);
		assert_string_equal(buf, ADDR_A "|" KATA_A);
		assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM address_index WHERE person_id = %lld "
		                             "AND kind = 'past'", *p), 1);
	}
	assert_int_equal(tu_sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", h.child),
	                 h.household);

	/* Moving to where they live is no move. */
	kv_move_within(&k, h.household, -1, ADDR_B);
	save_refused(c, &k, "the new address is the same as the old one");

	/* Only the form's items: a name cannot change in a 転居. */
	kv_move_within(&k, h.household, -1, ADDR_C);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.surname=鈴木");
	save_refused(c, &k, "氏 is not an item of the 転居 form");
	kv_move_within(&k, h.household, -1, ADDR_C);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.death_date=2026-03-01");
	save_refused(c, &k, "死亡年月日 is not an item of the 転居 form");
	kv_move_within(&k, h.household, -1, ADDR_C);
	kv_add(&k, "previous_address=%s", PREV);
	save_refused(c, &k, "転入前住所 is not an item of the 転居 form");
	/* Keys that are no item at all, or set by the system. */
	kv_move_within(&k, h.household, -1, ADDR_C);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.favourite_colour=red");
	save_refused(c, &k, "\"favourite_colour\" is not an item a form can change");
	kv_move_within(&k, h.household, -1, ADDR_C);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.status=dead");
	save_refused(c, &k, "\"status\" is not an item a form can change");
	kv_move_within(&k, h.household, -1, ADDR_C);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.mynumber_idx=abc");
	save_refused(c, &k, "\"mynumber_idx\" is not an item a form can change");
	/* The household is needed. */
	kv_move_within(&k, 0, -1, ADDR_C);
	save_refused(c, &k, "choose the household");
	/* A bad postal code. */
	kv_move_within(&k, h.household, -1, ADDR_C);
	kv_add(&k, "postal_code=12-345");
	save_refused(c, &k, "郵便番号");
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM changes WHERE type = 'move_within'"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_in_provisional_then_final, setup, teardown),
		cmocka_unit_test_setup_teardown(test_self_approval_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reject_with_reason, setup, teardown),
		cmocka_unit_test_setup_teardown(test_withdraw_by_maker_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edit_own_provisional, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_and_notification_dates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fourteen_day_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_in_needs_one_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_in_mynumber_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_resident, setup, teardown),
		cmocka_unit_test_setup_teardown(test_removed_record_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_returning_person_warning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_in_joining_household, setup, teardown),
		cmocka_unit_test_setup_teardown(test_birth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_within, setup, teardown),
	};
	return cmocka_run_group_tests_name("change", tests, group_setup, NULL);
}

