/* test_search.c: the resident search and the record views (search.c,
 * cmd_search.c), on a training database whose persons were recorded the real
 * way: a change saved by clerk1 and approved by supervisor1. */
#include "config.h"

#include <stdarg.h>

#define TU_WITH_DB
#include "testutil.h"

#include "checkdigit.h"
#include "cmd.h"
#include "ctx.h"
#include "error.h"
#include "nameindex.h"
#include "result.h"
#include "search.h"
#include "settings.h"
#include "store.h"
#include "timeutil.h"

#define EVENT "2026-03-25"   /* a week before "today", tu_day(0) = 2026-04-01 */
#define MYNUMBER "123456789018"

/* The ward, built once for the whole group. */
static struct world {
	char *dir, *db;
	struct md_settings cfg;
	struct md_ctx *clerk, *sup, *trainer;   /* each logged in as that user */
	char juminhyo[12];
	long long taro, hanako, takahashi, oono, nagata, hattori, mori, sato1, sato2, suzuki, tanaka,
		nakamura, smith, ishii, okada, yamada_household, omori_household;
} W;

/* ---- helpers --------------------------------------------------------------------- */

/* Runs a command with key/value pairs (NULL-terminated) into res (initialised here). */
static int vrun(struct md_ctx *c, struct md_result *res, struct md_error *err, const char *name,
                va_list ap)
{
	struct md_args a;
	const char *k;

	md_args_init(&a);
	while ((k = va_arg(ap, const char *)) != NULL) {
		const char *v = va_arg(ap, const char *);
		assert_int_equal(md_args_set(&a, k, v), 0);
	}
	md_result_init(res);
	return md_cmd_exec(c, name, &a, res, err);
}

static int run(struct md_ctx *c, struct md_result *res, struct md_error *err, const char *name, ...)
{
	va_list ap;
	int rc;
	va_start(ap, name);
	rc = vrun(c, res, err, name, ap);
	va_end(ap);
	return rc;
}

/* change.save by clerk1 with the pairs given; approved by supervisor1 unless
 * approve is 0. Returns the change id. */
static long long change(int approve, ...)
{
	struct md_result res;
	struct md_error err;
	va_list ap;
	long long id;
	char idtxt[24];
	int rc;

	va_start(ap, approve);
	rc = vrun(W.clerk, &res, &err, "change.save", ap);
	va_end(ap);
	if (rc != MD_OK)
		print_error("change.save: %s (%s)\n", err.msg, err.field);
	assert_int_equal(rc, MD_OK);
	md_result_release(&res);
	id = tu_sql_int(W.clerk, "SELECT max(id) FROM changes");
	if (approve) {
		snprintf(idtxt, sizeof idtxt, "%lld", id);
		rc = run(W.sup, &res, &err, "change.approve", "id", idtxt, NULL);
		if (rc != MD_OK)
			print_error("change.approve: %s\n", err.msg);
		assert_int_equal(rc, MD_OK);
		md_result_release(&res);
	}
	return id;
}

static long long person(const char *surname, const char *given)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT id FROM persons WHERE surname = '%s' AND given_name = '%s'",
	         surname, given);
	return tu_sql_int(W.clerk, sql);
}

/* A Japanese resident moving in alone (a household of one). */
static long long move_in(const char *sur, const char *given, const char *skana, const char *gkana,
                         const char *birth, const char *sex, const char *address)
{
	change(1, "type", "move_in", "event_date", EVENT, "address", address,
	       "previous_address", "東京都千代田区千代田1-1", "p1.relationship", "世帯主", "p1.surname", sur,
	       "p1.given_name", given, "p1.surname_kana", skana, "p1.given_name_kana", gkana,
	       "p1.birth_date", birth, "p1.sex", sex, "p1.honseki", "見本県見本市本町1番地",
	       "p1.hittosha", sur, NULL);
	return person(sur, given);
}

static const char *cell(const struct md_result *res, int row, const char *col)
{
	for (int c = 0; c < res->table.ncols; c++)
		if (strcmp(res->table.cols[c], col) == 0)
			return row < res->table.nrows ? res->table.rows[row][c] : NULL;
	fail_msg("no column %s", col);
	return NULL;
}

/* The row whose column col reads value, or -1. */
static int row_of(const struct md_result *res, const char *col, const char *value)
{
	for (int r = 0; r < res->table.nrows; r++)
		if (strcmp(cell(res, r, col), value) == 0)
			return r;
	return -1;
}

static int has_atena(const struct md_result *res, long long id)
{
	char t[24];
	snprintf(t, sizeof t, "%lld", id);
	return row_of(res, "atena", t) >= 0;
}

/* A search by clerk1 with key/value pairs; asserts success. */
static void search(struct md_result *res, ...)
{
	struct md_error err;
	va_list ap;
	int rc;
	va_start(ap, res);
	rc = vrun(W.clerk, res, &err, "resident.search", ap);
	va_end(ap);
	if (rc != MD_OK)
		print_error("resident.search: %s\n", err.msg);
	assert_int_equal(rc, MD_OK);
}

/* The number of persons a name search finds, and that it finds id. */
static void finds(const char *key, const char *value, long long id, int count)
{
	struct md_result res;
	search(&res, key, value, NULL);
	if (res.table.nrows != count || !has_atena(&res, id))
		print_error("%s=%s: %d rows (%s)\n", key, value, res.table.nrows, res.message);
	assert_int_equal(res.table.nrows, count);
	assert_true(has_atena(&res, id));
	md_result_release(&res);
}

static int count(const char *key, const char *value)
{
	struct md_result res;
	int n;
	search(&res, key, value, NULL);
	n = res.table.nrows;
	md_result_release(&res);
	return n;
}

static void last_audit(const char *function, char *buf, size_t n)
{
	char sql[256];
	snprintf(sql, sizeof sql,
	         "SELECT coalesce(subject, '-') || '|' || outcome || '|' || mynumber || '|' || "
	         "coalesce(detail, '') FROM audit_log WHERE function = '%s' ORDER BY id DESC LIMIT 1",
	         function);
	tu_sql_text(W.clerk, sql, buf, n);
}

static const char *value_of(const struct md_result *res, const char *item)
{
	int r = row_of(res, "item", item);
	return r < 0 ? NULL : cell(res, r, "value");
}

static struct md_ctx *login(const char *user)
{
	struct md_ctx *c = tu_open(&W.cfg, W.db, MD_DB_TRAINING);
	struct md_result res;
	struct md_error err;
	int rc = run(c, &res, &err, "login", "user", user, "password", "demo", NULL);
	if (rc != MD_OK)
		print_error("login %s: %s\n", user, err.msg);
	assert_int_equal(rc, MD_OK);
	md_result_release(&res);
	return c;
}

static void build_many(void);

/* ---- the ward ---------------------------------------------------------------------- */

static void build_world(void)
{
	char sql[512], first10[11] = "1234567890";

	snprintf(W.juminhyo, sizeof W.juminhyo, "%s%d", first10, md_juminhyo_code_check_digit(first10));

	/* 山田 太郎 and 花子: one household, with a My Number and a 住民票コード. */
	change(1, "type", "move_in", "event_date", EVENT, "address", "見本区見本町一丁目2番3号",
	       "katagaki", "見本荘101", "previous_address", "東京都千代田区千代田1-1",
	       "p1.relationship", "世帯主", "p1.surname", "山田", "p1.given_name", "太郎",
	       "p1.surname_kana", "ヤマダ", "p1.given_name_kana", "タロウ", "p1.birth_date", "S55.3.14",
	       "p1.sex", "男", "p1.honseki", "見本県見本市本町1番地", "p1.hittosha", "山田 一郎",
	       "p1.mynumber", MYNUMBER, "p1.juminhyo_code", W.juminhyo,
	       "p2.relationship", "妻", "p2.surname", "山田", "p2.given_name", "花子",
	       "p2.surname_kana", "ヤマダ", "p2.given_name_kana", "ハナコ", "p2.birth_date", "1982-07-01",
	       "p2.sex", "女", "p2.honseki", "見本県見本市本町1番地", "p2.hittosha", "山田 一郎", NULL);
	W.taro = person("山田", "太郎");
	W.hanako = person("山田", "花子");
	snprintf(sql, sizeof sql, "SELECT household_id FROM persons WHERE id = %lld", W.taro);
	W.yamada_household = tu_sql_int(W.clerk, sql);

	W.takahashi = move_in("髙橋", "一郎", "タカハシ", "イチロウ", "1975-05-05", "男", "見本区桜台二丁目3番5号");
	W.oono = move_in("大野", "聡", "オオノ", "サトシ", "1970-10-10", "男", "見本区桜台二丁目3番6号");
	W.nagata = move_in("永田", "恵子", "ナガタ", "ケイコ", "1965-02-02", "女", "見本区見本町一丁目2番30号");
	W.hattori = move_in("服部", "勝", "ハットリ", "マサル", "1972-08-08", "男", "見本区東見本三丁目1番1号");
	W.mori = move_in("森", "真理", "モリ", "マリー", "1988-12-24", "女", "見本区東見本三丁目1番2号");
	W.sato1 = move_in("佐藤", "健", "サトウ", "ケン", "1990-01-01", "男", "見本区西見本一丁目1番1号");
	change(1, "type", "move_in", "event_date", EVENT, "address", "見本区西見本二丁目9番9号",
	       "previous_address", "大阪府大阪市北区1-1", "p1.relationship", "世帯主", "p1.surname", "佐藤",
	       "p1.given_name", "健", "p1.surname_kana", "サトウ", "p1.given_name_kana", "ケン",
	       "p1.birth_date", "1990-01-01", "p1.sex", "男", "p1.honseki", "大阪府大阪市北区1番地",
	       "p1.hittosha", "佐藤 健", NULL);
	W.sato2 = tu_sql_int(W.clerk, "SELECT max(id) FROM persons WHERE surname = '佐藤'");

	/* 鈴木: died. 田中 → 中田 by 誤記修正. 中村: moving out later this month. */
	W.suzuki = move_in("鈴木", "次郎", "スズキ", "ジロウ", "1940-04-04", "男", "見本区西見本三丁目5番5号");
	snprintf(sql, sizeof sql, "%lld", W.suzuki);
	change(1, "type", "death", "event_date", "2026-03-30", "p1.person", sql, NULL);
	W.tanaka = move_in("田中", "美咲", "タナカ", "ミサキ", "1995-09-09", "女", "見本区西見本三丁目6番6号");
	snprintf(sql, sizeof sql, "%lld", W.tanaka);
	change(1, "type", "clerical_fix", "event_date", "2026-03-28", "p1.person", sql, "p1.surname", "中田",
	       "memo", "住民票の氏の誤記", NULL);
	W.nakamura = move_in("中村", "修", "ナカムラ", "オサム", "1985-11-11", "男", "見本区旭町12番3号");
	snprintf(sql, sizeof sql, "%lld", W.nakamura);
	change(1, "type", "move_out", "event_date", "2026-04-20", "p1.person", sql,
	       "p1.out_address_planned", "神奈川県横浜市中区1-1", NULL);

	/* A foreign resident with a 通称 and a residence card. */
	change(1, "type", "move_in_abroad", "event_date", EVENT, "address", "見本区旭町1番1号",
	       "previous_address", "アメリカ合衆国", "p1.relationship", "世帯主", "p1.resident_type", "外国人",
	       "p1.surname", "SMITH", "p1.given_name", "JOHN", "p1.surname_kana", "スミス",
	       "p1.given_name_kana", "ジョン", "p1.alias", "川田 花代", "p1.alias_kana", "カワダ ハナヨ",
	       "p1.birth_date", "1985-06-15", "p1.sex", "男", "p1.nationality", "USA",
	       "p1.residence_status", "永住者", "p1.residence_card_no", "AB12345678CD", NULL);
	W.smith = person("SMITH", "JOHN");

	/* A household of nine, entered out of order. */
	change(1, "type", "move_in", "event_date", EVENT, "address", "見本区桜台一丁目1番1号",
	       "previous_address", "東京都千代田区千代田2-2",
	       "p1.relationship", "同居人", "p1.surname", "木村", "p1.given_name", "拓",
	       "p1.surname_kana", "キムラ", "p1.given_name_kana", "タク", "p1.birth_date", "1990-03-03",
	       "p1.sex", "男", "p1.honseki", "東京都", "p1.hittosha", "木村 拓",
	       "p2.relationship", "子", "p2.surname", "大森", "p2.given_name", "陽菜",
	       "p2.surname_kana", "オオモリ", "p2.given_name_kana", "ヒナ", "p2.birth_date", "2005-01-01",
	       "p2.sex", "女", "p2.honseki", "東京都", "p2.hittosha", "大森 健一",
	       "p3.relationship", "縁故者", "p3.surname", "大森", "p3.given_name", "勇",
	       "p3.surname_kana", "オオモリ", "p3.given_name_kana", "イサム", "p3.birth_date", "1970-07-07",
	       "p3.sex", "男", "p3.honseki", "東京都", "p3.hittosha", "大森 勇",
	       "p4.relationship", "世帯主", "p4.surname", "大森", "p4.given_name", "健一",
	       "p4.surname_kana", "オオモリ", "p4.given_name_kana", "ケンイチ", "p4.birth_date", "1960-06-06",
	       "p4.sex", "男", "p4.honseki", "東京都", "p4.hittosha", "大森 健一",
	       "p5.relationship", "子の妻", "p5.surname", "大森", "p5.given_name", "美穂",
	       "p5.surname_kana", "オオモリ", "p5.given_name_kana", "ミホ", "p5.birth_date", "1996-02-02",
	       "p5.sex", "女", "p5.honseki", "東京都", "p5.hittosha", "大森 翔",
	       "p6.relationship", "兄", "p6.surname", "大森", "p6.given_name", "正",
	       "p6.surname_kana", "オオモリ", "p6.given_name_kana", "タダシ", "p6.birth_date", "1955-05-05",
	       "p6.sex", "男", "p6.honseki", "東京都", "p6.hittosha", "大森 正",
	       "p7.relationship", "子", "p7.surname", "大森", "p7.given_name", "翔",
	       "p7.surname_kana", "オオモリ", "p7.given_name_kana", "ショウ", "p7.birth_date", "1995-05-05",
	       "p7.sex", "男", "p7.honseki", "東京都", "p7.hittosha", "大森 翔",
	       "p8.relationship", "父", "p8.surname", "大森", "p8.given_name", "茂",
	       "p8.surname_kana", "オオモリ", "p8.given_name_kana", "シゲル", "p8.birth_date", "1930-03-03",
	       "p8.sex", "男", "p8.honseki", "東京都", "p8.hittosha", "大森 茂",
	       "p9.relationship", "妻", "p9.surname", "大森", "p9.given_name", "和子",
	       "p9.surname_kana", "オオモリ", "p9.given_name_kana", "カズコ", "p9.birth_date", "1962-06-06",
	       "p9.sex", "女", "p9.honseki", "東京都", "p9.hittosha", "大森 健一", NULL);
	snprintf(sql, sizeof sql, "SELECT household_id FROM persons WHERE id = %lld", person("大森", "健一"));
	W.omori_household = tu_sql_int(W.clerk, sql);

	/* Protected persons: a support measure, a blocking 抑止 of lookups. */
	W.ishii = move_in("石井", "恵", "イシイ", "メグミ", "1983-03-03", "女", "見本区桜台三丁目7番7号");
	snprintf(sql, sizeof sql,
	         "INSERT INTO support_measures (person_id, status, contact, applicant_situation, start_date, "
	         "end_date, offender, set_by, set_at) VALUES (%lld, 'active', '090-0000-0000', 'DV', "
	         "'2026-03-01', '2027-02-28', '石井 一郎', 'supervisor1', '2026-03-01T00:00:00Z')", W.ishii);
	tu_sql_exec(W.clerk, sql);
	W.okada = move_in("岡田", "誠", "オカダ", "マコト", "1979-09-19", "男", "見本区桜台三丁目8番8号");
	snprintf(sql, sizeof sql,
	         "INSERT INTO suppressions (person_id, operation, mode, start_date, reason, set_by, set_at) "
	         "VALUES (%lld, 'lookup', 'error', '2026-03-01', '照会停止の依頼', 'supervisor1', "
	         "'2026-03-01T00:00:00Z')", W.okada);
	tu_sql_exec(W.clerk, sql);

	build_many();

	/* Saved, never approved: nobody may see it. */
	change(0, "type", "move_in", "event_date", EVENT, "address", "見本区旭町2番2号",
	       "previous_address", "東京都千代田区千代田3-3", "p1.relationship", "世帯主", "p1.surname", "小林",
	       "p1.given_name", "次郎", "p1.surname_kana", "コバヤシ", "p1.given_name_kana", "ジロウ",
	       "p1.birth_date", "1980-03-14", "p1.sex", "男", "p1.honseki", "東京都", "p1.hittosha", "小林 次郎",
	       NULL);
}

static int group_setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	md_time_set(tu_day(0));
	md_settings_defaults(&W.cfg);
	if (!(W.dir = tu_tmpdir()))
		return -1;
	W.db = tu_create_db(W.dir, "ward.db", &W.cfg, MD_DB_TRAINING);
	W.clerk = login("clerk1");
	W.sup = login("supervisor1");
	W.trainer = login("trainer1");
	build_world();
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	md_ctx_free(&W.clerk);
	md_ctx_free(&W.sup);
	md_ctx_free(&W.trainer);
	tu_rmdir(W.dir);
	free(W.db);
	md_time_set(0);
	return 0;
}

/* ---- search by name ------------------------------------------------------------------ */

static void test_kana_equivalences(void **state)
{
	(void)state;
	finds("name", "ナカタ", W.nagata, 1);           /* ガ = カ */
	finds("name", "ハツトリ", W.hattori, 1);        /* ッ = ツ */
	finds("name", "マリ", W.mori, 1);               /* マリー: the long mark may be left out */
	finds("name", "マリ－", W.mori, 1);             /* full-width hyphen for ー */
	finds("name", "マリｰ", W.mori, 1);             /* half-width ｰ */
	finds("name", "オウノ", W.oono, 1);             /* オウ = オオ */
	finds("name", "オウノ サトシ", W.oono, 1);
	finds("name", "やまだ", W.taro, 2);             /* hiragana */
	finds("name", "ﾔﾏﾀﾞ", W.hanako, 2);              /* half-width with ﾞ */
	finds("name", "ヤマダ　タロウ", W.taro, 1);       /* full-width space between the names */
	finds("name", "ヤマダタロウ", W.taro, 1);
	finds("name", "ジョン", W.smith, 1);
	assert_int_equal(count("name", "ヤマタ゛ ハナコ"), 1);
	assert_int_equal(count("name", "ナガタ ケイコ"), 1);
	assert_int_equal(count("name", "ヤマモト"), 0);
}

static void test_kanji_variants(void **state)
{
	(void)state;
	finds("name", "高橋", W.takahashi, 1);
	finds("name", "髙橋", W.takahashi, 1);
	finds("name", "高橋 一郎", W.takahashi, 1);
}

static void test_name_parts(void **state)
{
	(void)state;
	finds("name", "山田", W.taro, 2);               /* 氏 alone */
	finds("name", "太郎", W.taro, 1);               /* 名 alone */
	finds("name", "花子", W.hanako, 1);
	finds("name", "山田太郎", W.taro, 1);           /* without the space */
	finds("name", "山田 太郎", W.taro, 1);          /* with it */
	finds("name", "山田 花", W.hanako, 1);          /* prefixes of both */
	finds("name", "山 太", W.taro, 1);
	finds("name", "タロ", W.taro, 1);
	assert_int_equal(count("name", "田 太郎"), 0);  /* a 氏 is matched from its start */
	/* 通称 of a foreign resident, 氏 and 名 apart or together. */
	finds("name", "川田 花代", W.smith, 1);
	finds("name", "花代", W.smith, 1);
	finds("name", "カワダ ハナヨ", W.smith, 1);
}

static void test_name_nothing_to_search(void **state)
{
	struct md_result res;
	struct md_error err;
	(void)state;
	assert_int_equal(run(W.clerk, &res, &err, "resident.search", "name", "ー", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "name");
	md_result_release(&res);
}

/* ---- other keys ----------------------------------------------------------------------- */

static void test_birth(void **state)
{
	struct md_result res;
	struct md_error err;
	(void)state;
	finds("birth", "昭和55年3月14日", W.taro, 1);
	finds("birth", "S55.3.14", W.taro, 1);
	finds("birth", "s55/3/14", W.taro, 1);
	finds("birth", "1980-03-14", W.taro, 1);
	finds("birth", "１９８０年３月１４日", W.taro, 1);
	finds("birth", "昭和55年", W.taro, 1);           /* the whole year */
	finds("birth", "1980", W.taro, 1);
	finds("birth", "S55.3", W.taro, 1);              /* the month */
	assert_int_equal(count("birth", "1980-03-15"), 0);
	finds("birth", "1990-01-01", W.sato1, 2);
	/* name and date of birth together */
	search(&res, "name", "ヤマダ", "birth", "昭和57年7月1日", NULL);
	assert_int_equal(res.table.nrows, 1);
	assert_true(has_atena(&res, W.hanako));
	/* era, Western for foreign residents */
	assert_string_equal(cell(&res, 0, "birth"), "昭和57年7月1日");
	md_result_release(&res);
	search(&res, "name", "SMITH", NULL);
	assert_int_equal(res.table.nrows, 1);
	assert_string_equal(cell(&res, 0, "birth"), "1985年6月15日");
	md_result_release(&res);
	/* a date outside its era is refused, naming the field */
	assert_int_equal(run(W.clerk, &res, &err, "resident.search", "birth", "平成31年5月1日", NULL),
	                 MD_E_INVALID);
	assert_string_equal(err.field, "birth");
	assert_non_null(strstr(err.msg, "令和"));
	md_result_release(&res);
}

static void test_sex(void **state)
{
	struct md_result res;
	struct md_error err;
	(void)state;
	search(&res, "name", "山田", "sex", "女", NULL);
	assert_int_equal(res.table.nrows, 1);
	assert_true(has_atena(&res, W.hanako));
	assert_string_equal(cell(&res, 0, "sex"), "女");
	md_result_release(&res);
	search(&res, "name", "山田", "sex", "男", NULL);
	assert_int_equal(res.table.nrows, 1);
	assert_true(has_atena(&res, W.taro));
	md_result_release(&res);
	assert_int_equal(run(W.clerk, &res, &err, "resident.search", "sex", "女", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "sex");
	md_result_release(&res);
	assert_int_equal(run(W.clerk, &res, &err, "resident.search", "name", "山田", "sex", "X", NULL),
	                 MD_E_INVALID);
	md_result_release(&res);
}

static void test_address(void **state)
{
	struct md_result res;
	(void)state;
	/* full-width digits and 丁目/番/号 against 一丁目2番3号 */
	search(&res, "address", "見本区見本町１丁目２番３号", NULL);
	assert_int_equal(res.table.nrows, 2);
	assert_true(has_atena(&res, W.taro) && has_atena(&res, W.hanako));
	assert_string_equal(cell(&res, row_of(&res, "atena", "1"), "address"),
	                    "見本区見本町一丁目2番3号 見本荘101");
	md_result_release(&res);
	finds("address", "見本区見本町1-2-3", W.taro, 2);
	finds("address", "見本町1-2-3", W.taro, 2);          /* the ward's name left out */
	finds("address", "見本町1-2-30", W.nagata, 1);       /* numbers match whole */
	finds("address", "見本町一丁目2番3号", W.taro, 2);
	finds("address", "見本町1-2-3見本荘", W.taro, 2);     /* with the 方書 */
	finds("address", "見本町1丁目2-3 見本荘101", W.taro, 2);
	finds("address", "見本町1丁目2番30号", W.nagata, 1);
	finds("address", "見本町1-2-", W.nagata, 3);     /* 2番: 2番3号 and 2番30号 */
	assert_int_equal(count("address", "見本町1-2"), 3);
	assert_int_equal(count("address", "見本町1-2-3-"), 2);
	assert_int_equal(count("address", "見本町1-2-303"), 0);
	finds("address", "見本区桜台2丁目3番", W.takahashi, 2);
	/* alone an address is matched from its start; with another key anywhere */
	assert_int_equal(count("address", "見本荘"), 0);
	search(&res, "name", "ヤマダ", "address", "見本荘", NULL);
	assert_int_equal(res.table.nrows, 2);
	md_result_release(&res);
	search(&res, "name", "ヤマダ", "address", "2-3", NULL);
	assert_int_equal(res.table.nrows, 2);
	md_result_release(&res);
	search(&res, "name", "ナガタ", "address", "1丁目2番3号", NULL);
	assert_int_equal(res.table.nrows, 0);   /* 2番30号 is not 2番3号 */
	md_result_release(&res);
	search(&res, "name", "ナガタ", "address", "2-30", NULL);
	assert_int_equal(res.table.nrows, 1);
	md_result_release(&res);
	search(&res, "name", "ナガタ", "address", "-30", NULL);
	assert_int_equal(res.table.nrows, 1);
	md_result_release(&res);
	search(&res, "name", "ナガタ", "address", "0", NULL);
	assert_int_equal(res.table.nrows, 0);   /* no number of hers is 0 */
	md_result_release(&res);
}

static void test_address_normalize(void **state)
{
	static const char *const cases[][2] = {
		{ "見本区見本町１丁目２番３号", "見本区見本町1-2-3" },
		{ "見本区見本町一丁目2番3号", "見本区見本町1-2-3" },
		{ "見本区桜台十二丁目3番地の5", "見本区桜台12-3-5" },
		{ "見本区旭町12番3号見本荘101号室", "見本区旭町12-3見本荘101室" },
		{ "見本区旭町12-3 見本荘101", "見本区旭町12-3見本荘101" },
		{ "三田一番町4－5", "三田一番町4-5" },
		{ "見本町1丁目", "見本町1" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *n = md_address_normalize(cases[i][0]);
		assert_string_equal(n, cases[i][1]);
		free(n);
	}
}

static void test_numbers(void **state)
{
	char t[32], audit[512];
	(void)state;
	snprintf(t, sizeof t, "%lld", W.hanako);
	finds("atena", t, W.hanako, 1);
	snprintf(t, sizeof t, "%lld", W.yamada_household);
	finds("household", t, W.taro, 2);
	finds("juminhyo_code", W.juminhyo, W.taro, 1);
	finds("card", "AB12345678CD", W.smith, 1);
	finds("card", "ａｂ１２３４５６７８ｃｄ", W.smith, 1);
	finds("mynumber", MYNUMBER, W.taro, 1);
	finds("mynumber", "1234 5678 9018", W.taro, 1);
	last_audit("resident.search", audit, sizeof audit);
	snprintf(t, sizeof t, "%lld|ok|1|", W.taro);
	assert_non_null(strstr(audit, t));
	assert_non_null(strstr(audit, "mynumber=(given) found=1"));
	assert_null(strstr(audit, "9018"));
	assert_null(strstr(audit, "5678"));
	{
		char other[13] = "87654321098";
		other[11] = (char)('0' + md_mynumber_check_digit(other));
		other[12] = '\0';
		assert_int_equal(count("mynumber", other), 0);
	}
}

static void test_number_errors(void **state)
{
	struct md_result res;
	struct md_error err;
	(void)state;
	/* a wrong My Number: refused without repeating it */
	assert_int_equal(run(W.clerk, &res, &err, "resident.search", "mynumber", "123456789012", NULL),
	                 MD_E_INVALID);
	assert_string_equal(err.field, "mynumber");
	assert_null(strstr(err.msg, "123456789012"));
	md_result_release(&res);
	assert_int_equal(run(W.clerk, &res, &err, "resident.search", "atena", "12a", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "atena");
	md_result_release(&res);
	assert_int_equal(run(W.clerk, &res, &err, "resident.search", "card", "AB1234", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "card");
	md_result_release(&res);
	assert_int_equal(run(W.clerk, &res, &err, "resident.search", "juminhyo_code", "12345678901", NULL),
	                 MD_E_INVALID);
	md_result_release(&res);
}

static void test_no_key(void **state)
{
	struct md_result res;
	struct md_error err;
	long long before = tu_audit_count(W.clerk, "resident.search", NULL, NULL);
	(void)state;
	assert_int_equal(run(W.clerk, &res, &err, "resident.search", NULL), MD_E_INVALID);
	assert_non_null(strstr(err.msg, "at least one search key"));
	md_result_release(&res);
	assert_int_equal(run(W.clerk, &res, &err, "resident.search", "removed", "1", "past", "1", NULL),
	                 MD_E_INVALID);
	md_result_release(&res);
	assert_int_equal(tu_audit_count(W.clerk, "resident.search", NULL, NULL), before);
}

/* ---- what is included ------------------------------------------------------------------ */

static void test_removed(void **state)
{
	struct md_result res;
	(void)state;
	assert_int_equal(count("name", "スズキ"), 0);
	search(&res, "name", "スズキ", "removed", "1", NULL);
	assert_int_equal(res.table.nrows, 1);
	assert_true(has_atena(&res, W.suzuki));
	assert_string_equal(cell(&res, 0, "status"), "死亡");
	md_result_release(&res);
	/* a planned move-out still lives here */
	search(&res, "name", "ナカムラ", NULL);
	assert_int_equal(res.table.nrows, 1);
	assert_string_equal(cell(&res, 0, "status"), "転出予定");
	md_result_release(&res);
	search(&res, "birth", "1940", "removed", "1", NULL);
	assert_int_equal(res.table.nrows, 1);
	md_result_release(&res);
	/* current residents first: 中田 (タナカ) before the dead 鈴木 (スズキ) */
	search(&res, "address", "見本区西見本三丁目", "removed", "1", NULL);
	assert_int_equal(res.table.nrows, 2);
	assert_string_equal(cell(&res, 0, "name"), "中田 美咲");
	assert_string_equal(cell(&res, 1, "name"), "鈴木 次郎");
	md_result_release(&res);
	search(&res, "address", "見本区西見本", NULL);
	assert_int_equal(res.table.nrows, 3);
	/* by reading: サトウ, サトウ, タナカ */
	assert_string_equal(cell(&res, 2, "kana"), "タナカ ミサキ");
	md_result_release(&res);
}

static void test_past_names(void **state)
{
	struct md_result res;
	(void)state;
	assert_int_equal(count("name", "田中"), 0);
	finds("name", "中田", W.tanaka, 1);
	search(&res, "name", "田中", "past", "1", NULL);
	assert_int_equal(res.table.nrows, 1);
	assert_true(has_atena(&res, W.tanaka));
	assert_string_equal(cell(&res, 0, "name"), "中田 美咲");
	md_result_release(&res);
	search(&res, "name", "田中 美咲", "past", "1", NULL);
	assert_int_equal(res.table.nrows, 1);
	md_result_release(&res);
}

static void test_provisional_invisible(void **state)
{
	struct md_result res;
	struct md_error err;
	(void)state;
	assert_int_equal(tu_sql_int(W.clerk, "SELECT count(*) FROM change_persons WHERE surname = '小林'"), 1);
	assert_int_equal(count("name", "小林"), 0);
	assert_int_equal(count("name", "コバヤシ"), 0);
	search(&res, "name", "小林", "removed", "1", "past", "1", NULL);
	assert_int_equal(res.table.nrows, 0);
	assert_string_equal(res.message, "no one matches");
	md_result_release(&res);
	/* Without removed records, the message says they were not searched. */
	search(&res, "name", "小林", NULL);
	assert_int_equal(res.table.nrows, 0);
	assert_non_null(strstr(res.message, "除票"));
	md_result_release(&res);
	/* the provisional 1980-03-14 birth does not show either */
	finds("birth", "1980-03-14", W.taro, 1);
	assert_int_equal(run(W.sup, &res, &err, "resident.search", "name", "コバヤシ", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 0);
	md_result_release(&res);
}

static void test_same_name_and_birth(void **state)
{
	struct md_result res;
	(void)state;
	search(&res, "name", "佐藤 健", NULL);
	assert_int_equal(res.table.nrows, 2);
	assert_non_null(strstr(res.message,
	                       "2 persons share name and date of birth: check kana, address before choosing"));
	md_result_release(&res);
	search(&res, "name", "山田", NULL);
	assert_null(strstr(res.message, "share"));
	assert_string_equal(res.message, "2 persons found");
	md_result_release(&res);
}

static void test_search_audit(void **state)
{
	struct md_result res;
	char audit[512];
	long long before = tu_audit_count(W.clerk, "resident.search", "ok", NULL);
	(void)state;
	search(&res, "name", "山田", "birth", "1980-03-14", "removed", "1", NULL);
	md_result_release(&res);
	assert_int_equal(tu_audit_count(W.clerk, "resident.search", "ok", NULL), before + 1);
	last_audit("resident.search", audit, sizeof audit);
	{
		char want[256];
		snprintf(want, sizeof want, "%lld|ok|0|name=山田 birth=1980-03-14 removed=1 found=1", W.taro);
		assert_string_equal(audit, want);
	}
	search(&res, "name", "ヤ", "past", "1", NULL);
	md_result_release(&res);
	last_audit("resident.search", audit, sizeof audit);
	assert_string_equal(audit, "-|ok|0|name=ヤ past=1 found=2");
}

static void test_flags(void **state)
{
	struct md_result res;
	long long attempts = tu_sql_int(W.clerk, "SELECT count(*) FROM support_attempts");
	(void)state;
	search(&res, "name", "イシイ", NULL);
	assert_int_equal(res.table.nrows, 1);
	assert_string_equal(cell(&res, 0, "flags"), "支援措置");
	assert_string_equal(cell(&res, 0, "address"), "見本区桜台三丁目7番7号");
	md_result_release(&res);
	/* the listing is an access: recorded for supervisors */
	assert_int_equal(tu_sql_int(W.clerk, "SELECT count(*) FROM support_attempts"), attempts + 1);
	search(&res, "name", "オカダ", NULL);
	assert_int_equal(res.table.nrows, 1);
	assert_string_equal(cell(&res, 0, "flags"), "抑止");
	assert_string_equal(cell(&res, 0, "address"), "");   /* a blocked lookup shows no address */
	md_result_release(&res);
	search(&res, "name", "ヤマダ タロウ", NULL);
	assert_string_equal(cell(&res, 0, "flags"), "");
	md_result_release(&res);
}

static void test_limit(void **state)
{
	struct md_result res;
	(void)state;
	/* 110 persons named 見本 イチ (two changes of 55), born the same day */
	search(&res, "name", "ミホン", NULL);
	assert_int_equal(res.table.nrows, 100);
	assert_string_equal(res.message, "more than 100 match: add a key");
	/* different names (見本 一001 ...): no warning about shared names */
	assert_null(strstr(res.message, "share"));
	md_result_release(&res);
	search(&res, "name", "見本 一05", NULL);
	assert_int_equal(res.table.nrows, 10);
	assert_string_equal(res.message, "10 persons found");
	md_result_release(&res);
}

/* Two changes of 55 new persons each, one household each. */
static void build_many(void)
{
	for (int c = 0; c < 2; c++) {
		static char keys[55][9][32], vals[55][9][32];
		struct md_args a;
		struct md_result res;
		struct md_error err;
		int rc;

		md_args_init(&a);
		md_args_set(&a, "type", "move_in");
		md_args_set(&a, "event_date", EVENT);
		md_args_set(&a, "address", "見本区旭町30番1号");
		md_args_set(&a, "previous_address", "東京都千代田区千代田4-4");
		for (int i = 0; i < 55; i++) {
			static const char *const items[9] = { "relationship", "surname", "given_name",
			                                      "surname_kana", "given_name_kana", "birth_date",
			                                      "sex", "honseki", "hittosha" };
			for (int k = 0; k < 9; k++)
				snprintf(keys[i][k], sizeof keys[i][k], "p%d.%s", i + 1, items[k]);
			snprintf(vals[i][0], 32, "%s", i == 0 ? "世帯主" : "同居人");
			snprintf(vals[i][1], 32, "見本");
			snprintf(vals[i][2], 32, "一%03d", c * 55 + i + 1);
			snprintf(vals[i][3], 32, "ミホン");
			snprintf(vals[i][4], 32, "イチ");
			snprintf(vals[i][5], 32, "2000-01-01");
			snprintf(vals[i][6], 32, "女");
			snprintf(vals[i][7], 32, "東京都");
			snprintf(vals[i][8], 32, "見本 一");
			for (int k = 0; k < 9; k++)
				assert_int_equal(md_args_set(&a, keys[i][k], vals[i][k]), 0);
		}
		md_result_init(&res);
		rc = md_cmd_exec(W.clerk, "change.save", &a, &res, &err);
		if (rc != MD_OK)
			print_error("change.save: %s\n", err.msg);
		assert_int_equal(rc, MD_OK);
		md_result_release(&res);
		{
			char id[24];
			snprintf(id, sizeof id, "%lld", tu_sql_int(W.clerk, "SELECT max(id) FROM changes"));
			assert_int_equal(run(W.sup, &res, &err, "change.approve", "id", id, NULL), MD_OK);
			md_result_release(&res);
		}
	}
}

/* ---- the record view --------------------------------------------------------------------- */

static void test_view(void **state)
{
	struct md_result res;
	struct md_error err;
	char id[24], audit[512];
	(void)state;
	snprintf(id, sizeof id, "%lld", W.taro);
	assert_int_equal(run(W.clerk, &res, &err, "resident.view", "id", id, NULL), MD_OK);
	assert_int_equal(res.table.ncols, 2);
	assert_string_equal(value_of(&res, "宛名番号"), id);
	assert_string_equal(value_of(&res, "氏"), "山田");
	assert_string_equal(value_of(&res, "生年月日"), "昭和55年3月14日");
	assert_string_equal(value_of(&res, "性別"), "男");
	assert_string_equal(value_of(&res, "住民状態"), "住民");
	assert_string_equal(value_of(&res, "住所を定めた年月日"), "令和8年3月25日");
	assert_string_equal(value_of(&res, "方書"), "見本荘101");
	/* 本籍 hidden without honseki.view; My Number masked */
	assert_null(value_of(&res, "本籍"));
	assert_null(value_of(&res, "筆頭者"));
	assert_string_equal(value_of(&res, "本籍・筆頭者"), "hidden: needs the permission honseki.view");
	assert_string_equal(value_of(&res, "個人番号"), "**** **** 9018");
	assert_null(value_of(&res, "個人番号（索引）"));
	for (int r = 0; r < res.table.nrows; r++)
		assert_null(strstr(res.table.rows[r][1], MYNUMBER));
	md_result_release(&res);
	last_audit("resident.view", audit, sizeof audit);
	snprintf(id, sizeof id, "%lld|ok|0|", W.taro);
	assert_string_equal(audit, id);

	/* trainer1 holds honseki.view */
	snprintf(id, sizeof id, "%lld", W.taro);
	assert_int_equal(run(W.trainer, &res, &err, "resident.view", "id", id, NULL), MD_OK);
	assert_string_equal(value_of(&res, "本籍"), "見本県見本市本町1番地");
	assert_string_equal(value_of(&res, "筆頭者"), "山田 一郎");
	assert_null(value_of(&res, "本籍・筆頭者"));
	assert_string_equal(value_of(&res, "個人番号"), "**** **** 9018");
	md_result_release(&res);

	assert_int_equal(run(W.clerk, &res, &err, "resident.view", "id", "999999", NULL), MD_E_NOTFOUND);
	md_result_release(&res);
}

static void test_view_foreign_and_removed(void **state)
{
	struct md_result res;
	struct md_error err;
	char id[24];
	(void)state;
	snprintf(id, sizeof id, "%lld", W.smith);
	assert_int_equal(run(W.clerk, &res, &err, "resident.view", "id", id, NULL), MD_OK);
	assert_string_equal(value_of(&res, "生年月日"), "1985年6月15日");
	assert_string_equal(value_of(&res, "国籍・地域"), "米国");
	assert_string_equal(value_of(&res, "住民種別"), "外国人");
	assert_string_equal(value_of(&res, "在留カード等番号"), "AB12345678CD");
	assert_string_equal(value_of(&res, "通称"), "川田 花代");
	assert_null(value_of(&res, "本籍・筆頭者"));
	md_result_release(&res);
	snprintf(id, sizeof id, "%lld", W.suzuki);
	assert_int_equal(run(W.clerk, &res, &err, "resident.view", "id", id, NULL), MD_OK);
	assert_string_equal(value_of(&res, "住民状態"), "死亡");
	assert_string_equal(value_of(&res, "消除事由"), "死亡");
	assert_string_equal(value_of(&res, "死亡年月日"), "令和8年3月30日");
	md_result_release(&res);
}

static void test_mynumber_reveal(void **state)
{
	struct md_result res;
	struct md_error err;
	char id[24], audit[512];
	long long reveals = tu_audit_count(W.clerk, "mynumber.reveal", "ok", NULL);
	(void)state;
	snprintf(id, sizeof id, "%lld", W.taro);
	assert_int_equal(run(W.clerk, &res, &err, "mynumber.reveal", "id", id, NULL), MD_E_DENIED);
	assert_null(res.message);
	md_result_release(&res);
	assert_int_equal(tu_audit_count(W.clerk, "mynumber.reveal", "denied", id), 1);
	assert_int_equal(run(W.trainer, &res, &err, "mynumber.reveal", "id", id, NULL), MD_OK);
	assert_string_equal(res.message, MYNUMBER);
	md_result_release(&res);
	assert_int_equal(tu_audit_count(W.clerk, "mynumber.reveal", "ok", NULL), reveals + 1);
	last_audit("mynumber.reveal", audit, sizeof audit);
	snprintf(id, sizeof id, "%lld|ok|1|", W.taro);
	assert_string_equal(audit, id);
	/* a person without one */
	snprintf(id, sizeof id, "%lld", W.hanako);
	assert_int_equal(run(W.trainer, &res, &err, "mynumber.reveal", "id", id, NULL), MD_E_NOTFOUND);
	md_result_release(&res);
}

static void test_support_measure_ack(void **state)
{
	struct md_result res;
	struct md_error err;
	char id[24], audit[512];
	long long viewed = tu_sql_int(W.clerk, "SELECT count(*) FROM support_attempts "
	                                       "WHERE outcome = 'viewed after alert'");
	(void)state;
	snprintf(id, sizeof id, "%lld", W.ishii);
	assert_int_equal(run(W.clerk, &res, &err, "resident.view", "id", id, NULL), MD_E_CONFLICT);
	assert_string_equal(err.field, "ack");
	assert_non_null(strstr(err.msg, "支援措置"));
	assert_int_equal(res.table.nrows, 0);
	md_result_release(&res);

	assert_int_equal(run(W.clerk, &res, &err, "resident.view", "id", id, "ack", "1", NULL), MD_OK);
	assert_string_equal(value_of(&res, "氏"), "石井");
	assert_string_equal(value_of(&res, "支援措置"), "yes (details need the permission support.view)");
	assert_null(value_of(&res, "支援措置：加害者"));
	md_result_release(&res);
	assert_int_equal(tu_sql_int(W.clerk, "SELECT count(*) FROM support_attempts "
	                                     "WHERE outcome = 'viewed after alert'"), viewed + 1);
	last_audit("resident.view", audit, sizeof audit);
	assert_non_null(strstr(audit, "viewed after alert"));

	/* supervisor1 holds support.view */
	assert_int_equal(run(W.sup, &res, &err, "resident.view", "id", id, "ack", "1", NULL), MD_OK);
	assert_string_equal(value_of(&res, "支援措置"), "active");
	assert_string_equal(value_of(&res, "支援措置：申出者の状況"), "DV");
	assert_string_equal(value_of(&res, "支援措置：加害者"), "石井 一郎");
	assert_string_equal(value_of(&res, "支援措置：支援措置終了年月日"), "令和9年2月28日");
	md_result_release(&res);
	last_audit("resident.view", audit, sizeof audit);
	assert_non_null(strstr(audit, "support details shown"));

	/* the history and the household ask too */
	assert_int_equal(run(W.clerk, &res, &err, "resident.history", "id", id, NULL), MD_E_CONFLICT);
	md_result_release(&res);
	assert_int_equal(run(W.clerk, &res, &err, "resident.household", "person", id, NULL), MD_E_CONFLICT);
	md_result_release(&res);
	assert_int_equal(run(W.clerk, &res, &err, "resident.household", "person", id, "ack", "1", NULL),
	                 MD_OK);
	md_result_release(&res);
}

static void test_suppression_blocks_view(void **state)
{
	struct md_result res;
	struct md_error err;
	char id[24];
	(void)state;
	snprintf(id, sizeof id, "%lld", W.okada);
	assert_int_equal(run(W.clerk, &res, &err, "resident.view", "id", id, "ack", "1", NULL), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "照会停止の依頼"));
	assert_int_equal(res.table.nrows, 0);
	md_result_release(&res);
	assert_int_equal(tu_audit_count(W.clerk, "resident.view", "denied", id), 1);
	assert_int_equal(tu_audit_count(W.clerk, "resident.view", "ok", id), 0);
	assert_int_equal(run(W.clerk, &res, &err, "resident.history", "id", id, "ack", "1", NULL), MD_E_DENIED);
	md_result_release(&res);
	assert_int_equal(run(W.trainer, &res, &err, "mynumber.reveal", "id", id, "ack", "1", NULL), MD_E_DENIED);
	md_result_release(&res);
}

static void test_suppression_rows(void **state)
{
	struct md_result res;
	struct md_error err;
	char id[24], sql[512];
	(void)state;
	/* a certificate 抑止 on the household shows on the record; it does not stop a lookup */
	snprintf(sql, sizeof sql,
	         "INSERT INTO suppressions (household_id, operation, mode, start_date, end_date, reason, "
	         "set_by, set_at) VALUES (%lld, 'certificate', 'alert', '2026-03-01', '2026-12-31', "
	         "'本人確認を厳格に', 'supervisor1', '2026-03-01T00:00:00Z')", W.yamada_household);
	tu_sql_exec(W.clerk, sql);
	snprintf(id, sizeof id, "%lld", W.hanako);
	assert_int_equal(run(W.clerk, &res, &err, "resident.view", "id", id, NULL), MD_OK);
	assert_string_equal(value_of(&res, "抑止"),
	                    "certificates: alert, 令和8年3月1日〜令和8年12月31日: 本人確認を厳格に (whole household)");
	md_result_release(&res);
	snprintf(sql, sizeof sql, "UPDATE suppressions SET ended_at = 'x', ended_by = 'supervisor1' "
	                          "WHERE household_id = %lld", W.yamada_household);
	tu_sql_exec(W.clerk, sql);
}

/* ---- household and history ------------------------------------------------------------------- */

static void test_household_order(void **state)
{
	/* 美穂 (子の妻) has 翔 as her 筆頭者: she follows him, before his sister. */
	static const char *const order[] = { "世帯主", "妻", "子", "子の妻", "子", "父", "兄", "縁故者",
	                                     "同居人" };
	struct md_result res;
	struct md_error err;
	char h[24];
	(void)state;
	snprintf(h, sizeof h, "%lld", W.omori_household);
	assert_int_equal(run(W.clerk, &res, &err, "resident.household", "household", h, NULL), MD_OK);
	assert_int_equal(res.table.ncols, 7);
	assert_string_equal(res.table.cols[0], "atena");
	assert_string_equal(res.table.cols[6], "status");
	assert_int_equal(res.table.nrows, 9);
	for (int i = 0; i < 9; i++)
		assert_string_equal(cell(&res, i, "relationship"), order[i]);
	assert_string_equal(cell(&res, 0, "name"), "大森 健一");
	assert_string_equal(cell(&res, 2, "name"), "大森 翔");    /* the elder child first */
	assert_string_equal(cell(&res, 3, "name"), "大森 美穂");
	assert_string_equal(cell(&res, 4, "name"), "大森 陽菜");
	assert_string_equal(cell(&res, 2, "birth"), "平成7年5月5日");
	assert_string_equal(cell(&res, 8, "kana"), "キムラ タク");
	assert_string_equal(cell(&res, 1, "sex"), "女");
	assert_string_equal(cell(&res, 1, "status"), "住民");
	md_result_release(&res);
	assert_int_equal(tu_audit_count(W.clerk, "resident.household", "ok", NULL) >= 1, 1);
}

static void test_household_current_and_all(void **state)
{
	struct md_result res;
	struct md_error err;
	char id[24];
	(void)state;
	snprintf(id, sizeof id, "%lld", W.taro);
	assert_int_equal(run(W.clerk, &res, &err, "resident.household", "person", id, NULL), MD_OK);
	assert_int_equal(res.table.nrows, 2);
	assert_string_equal(cell(&res, 0, "relationship"), "世帯主");
	assert_string_equal(cell(&res, 1, "relationship"), "妻");
	md_result_release(&res);
	/* the dead 鈴木 only with all */
	snprintf(id, sizeof id, "%lld", W.suzuki);
	assert_int_equal(run(W.clerk, &res, &err, "resident.household", "person", id, NULL), MD_OK);
	assert_int_equal(res.table.nrows, 0);
	md_result_release(&res);
	assert_int_equal(run(W.clerk, &res, &err, "resident.household", "person", id, "all", "1", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_string_equal(cell(&res, 0, "status"), "死亡");
	md_result_release(&res);
	assert_int_equal(run(W.clerk, &res, &err, "resident.household", NULL), MD_E_INVALID);
	md_result_release(&res);
	assert_int_equal(run(W.clerk, &res, &err, "resident.household", "household", "99999", NULL),
	                 MD_E_NOTFOUND);
	md_result_release(&res);
}

static void test_history(void **state)
{
	struct md_result res;
	struct md_error err;
	char id[24];
	(void)state;
	snprintf(id, sizeof id, "%lld", W.tanaka);
	assert_int_equal(run(W.clerk, &res, &err, "resident.history", "id", id, NULL), MD_OK);
	assert_int_equal(res.table.ncols, 8);
	assert_string_equal(res.table.cols[7], "changed");
	assert_int_equal(res.table.nrows, 2);
	assert_string_equal(cell(&res, 0, "version"), "1");
	assert_string_equal(cell(&res, 0, "date"), "令和8年3月25日");
	assert_string_equal(cell(&res, 0, "change"), "転入");
	assert_string_equal(cell(&res, 0, "reason"), "国内転入");
	assert_string_equal(cell(&res, 0, "made_by"), "clerk1");
	assert_string_equal(cell(&res, 0, "approved_by"), "supervisor1");
	assert_string_equal(cell(&res, 0, "recorded_at"), "2026-04-01 03:00");
	assert_string_equal(cell(&res, 0, "changed"), "");
	assert_string_equal(cell(&res, 1, "change"), "誤記修正");
	assert_string_equal(cell(&res, 1, "reason"), "誤記修正");
	assert_string_equal(cell(&res, 1, "date"), "令和8年3月28日");
	assert_string_equal(cell(&res, 1, "changed"), "氏 (田中 → 中田)");
	md_result_release(&res);
	assert_int_equal(tu_audit_count(W.clerk, "resident.history", "ok", id), 1);

	/* a death: status, reason and dates change */
	snprintf(id, sizeof id, "%lld", W.suzuki);
	assert_int_equal(run(W.clerk, &res, &err, "resident.history", "id", id, NULL), MD_OK);
	assert_int_equal(res.table.nrows, 2);
	assert_string_equal(cell(&res, 1, "change"), "死亡");
	assert_non_null(strstr(cell(&res, 1, "changed"), "住民状態"));
	assert_non_null(strstr(cell(&res, 1, "changed"), "死亡年月日"));
	md_result_release(&res);
}

/* ---- the indexes --------------------------------------------------------------------------- */

/* A table read whole: a "SCAN" step of the plan other than of the search's
 * own CTE (sur: the 氏 met so far) or of its constant first row. */
static int scans_table(const char *plan)
{
	for (const char *p = plan; (p = strstr(p, "SCAN ")) != NULL; p += 5)
		if (strncmp(p + 5, "CONSTANT ROW", 12) != 0 && strncmp(p + 5, "sur\n", 4) != 0)
			return 1;
	return 0;
}

static void test_plans_use_indexes(void **state)
{
	struct { const char *key, *value, *index; } cases[] = {
		{ "name", "ヤマダ", "name_index_kana_sur" },
		{ "name", "ヤマダ タロウ", "name_index_kana_" },
		{ "name", "山田", "name_index_fold_sur" },
		{ "name", "山田 太郎", "name_index_fold_" },
		{ "birth", "S55.3.14", "persons_birth" },
		{ "birth", "昭和55年", "persons_birth" },
		{ "address", "見本町1-2-3", "address_index_addr" },
		{ "atena", "1", "PRIMARY KEY" },
		{ "household", "1", "persons_household" },
		{ "mynumber", MYNUMBER, "persons_mynumber" },
		{ "juminhyo_code", NULL, "persons_juminhyo_code" },
		{ "card", "AB12345678CD", "persons_residence_card" },
	};
	(void)state;
	cases[10].value = W.juminhyo;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct md_search_keys k;
		struct md_error err;
		char *plan = NULL;
		memset(&k, 0, sizeof k);
		if (!strcmp(cases[i].key, "name")) k.name = cases[i].value;
		if (!strcmp(cases[i].key, "birth")) k.birth = cases[i].value;
		if (!strcmp(cases[i].key, "address")) k.address = cases[i].value;
		if (!strcmp(cases[i].key, "atena")) k.atena = cases[i].value;
		if (!strcmp(cases[i].key, "household")) k.household = cases[i].value;
		if (!strcmp(cases[i].key, "mynumber")) k.mynumber = cases[i].value;
		if (!strcmp(cases[i].key, "juminhyo_code")) k.juminhyo_code = cases[i].value;
		if (!strcmp(cases[i].key, "card")) k.card = cases[i].value;
		assert_int_equal(md_search_plan(W.clerk, &k, &plan, &err), MD_OK);
		if (scans_table(plan) || !strstr(plan, cases[i].index))
			print_error("%s=%s:\n%s", cases[i].key, cases[i].value, plan);
		assert_false(scans_table(plan));
		assert_non_null(strstr(plan, cases[i].index));
		free(plan);
	}
}

/* 氏 and 名 typed apart are found through the full-name index, from each 氏
 * that starts with the one typed, never by reading every holder of the 氏
 * or the 名: also where the full reading differs from its parts put
 * together (ウ after an お-row 氏 reads オ). Last: it adds residents. */
static void test_name_parts_by_full_index(void **state)
{
	struct md_search_keys k;
	struct md_error err;
	char *plan = NULL;
	long long umeko, umeo;

	(void)state;
	umeko = move_in("斉藤", "梅子", "サイトウ", "ウメコ", "1950-01-01", "女", "見本区旭町5番5号");
	umeo = move_in("斉藤原", "梅男", "サイトウハラ", "ウメオ", "1951-01-01", "男", "見本区旭町5番6号");
	finds("name", "サイトウ ウメコ", umeko, 1);
	finds("name", "さいとう うめ", umeko, 2);      /* 斉藤 梅子 and 斉藤原 梅男 */
	finds("name", "サイトオ ウメコ", umeko, 1);
	finds("name", "サイト ウメ", umeo, 2);         /* a 氏 prefix: both 氏 */
	finds("name", "サイトウハ ウメ", umeo, 1);     /* only the longer 氏 */
	finds("name", "斉藤 梅", umeko, 2);
	finds("name", "斉藤 梅男", umeo, 1);
	finds("name", "斉 梅子", umeko, 1);
	assert_int_equal(count("name", "サイトウ ウメミ"), 0);
	assert_int_equal(count("name", "サイトウハラ ウメコ"), 0);

	memset(&k, 0, sizeof k);
	k.name = "スズキ ハルト";
	assert_int_equal(md_search_plan(W.clerk, &k, &plan, &err), MD_OK);
	if (!strstr(plan, "name_index_kana (kana>? AND kana<?)") ||
	    !strstr(plan, "COVERING INDEX name_index_kana_sur (kana_sur>? AND kana_sur<?)") ||
	    scans_table(plan))
		print_error("%s", plan);
	assert_non_null(strstr(plan, "name_index_kana (kana>? AND kana<?)"));
	assert_non_null(strstr(plan, "COVERING INDEX name_index_kana_sur (kana_sur>? AND kana_sur<?)"));
	assert_null(strstr(plan, "name_index_kana_given"));
	assert_false(scans_table(plan));
	free(plan);
	k.name = "鈴木 陽翔";
	assert_int_equal(md_search_plan(W.clerk, &k, &plan, &err), MD_OK);
	assert_non_null(strstr(plan, "name_index_fold (fold>? AND fold<?)"));
	assert_null(strstr(plan, "name_index_fold_given"));
	assert_false(scans_table(plan));
	free(plan);

	/* A short 氏 that starts many longer ones (オ: here 300 past names of
	 * 山田 太郎, besides オオモリ, オオノ, オカダ): each distinct 氏 is one
	 * seek, the past names are not found without --past. */
	{
		char sql[512];
		snprintf(sql, sizeof sql,
		         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) "
		         "INSERT INTO name_index (person_id, kind, kana, kana_sur, kana_given, fold, fold_sur, "
		         "fold_given) SELECT %lld, 'past', 'オカ' || i || 'サトシ', 'オカ' || i, 'サトシ', "
		         "'岡' || i || '聡', '岡' || i, '聡' FROM n", W.taro);
		tu_sql_exec(W.clerk, sql);
	}
	finds("name", "オ サトシ", W.oono, 1);
	finds("name", "お さ", W.oono, 1);
	assert_int_equal(count("name", "オカ サトシ"), 0);
	assert_int_equal(count("name", "岡 聡"), 0);
	k.name = "オ サトシ";
	assert_int_equal(md_search_plan(W.clerk, &k, &plan, &err), MD_OK);
	assert_non_null(strstr(plan, "name_index_kana (kana>? AND kana<?)"));
	assert_null(strstr(plan, "name_index_kana_given"));
	free(plan);
	{
		struct md_result res;
		search(&res, "name", "オカ サトシ", "past", "1", NULL);
		assert_int_equal(res.table.nrows, 1);
		assert_true(has_atena(&res, W.taro));
		md_result_release(&res);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kana_equivalences),
		cmocka_unit_test(test_kanji_variants),
		cmocka_unit_test(test_name_parts),
		cmocka_unit_test(test_name_nothing_to_search),
		cmocka_unit_test(test_birth),
		cmocka_unit_test(test_sex),
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_address_normalize),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_number_errors),
		cmocka_unit_test(test_no_key),
		cmocka_unit_test(test_removed),
		cmocka_unit_test(test_past_names),
		cmocka_unit_test(test_provisional_invisible),
		cmocka_unit_test(test_same_name_and_birth),
		cmocka_unit_test(test_search_audit),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_view),
		cmocka_unit_test(test_view_foreign_and_removed),
		cmocka_unit_test(test_mynumber_reveal),
		cmocka_unit_test(test_support_measure_ack),
		cmocka_unit_test(test_suppression_blocks_view),
		cmocka_unit_test(test_suppression_rows),
		cmocka_unit_test(test_household_order),
		cmocka_unit_test(test_household_current_and_all),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_plans_use_indexes),
		cmocka_unit_test(test_name_parts_by_full_index),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
