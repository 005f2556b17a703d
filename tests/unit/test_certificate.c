/* test_certificate.c: the content rules of certificates (certificate.c) and
 * the certificate commands (cmd_certificate.c): member selection and order,
 * omissions per applicant category, page breaks, wording, issue numbers and
 * serials, 抑止 and 支援措置, fees, the summary, void and verification codes.
 * The ward is a training database whose persons were recorded the real way
 * (clerk1 saves, supervisor1 approves) and whose counter transactions go
 * through counter.open, counter.verify and counter.subject. The PDFs
 * themselves are read back in test_pdf.c. */
#include "config.h"

#include <stdarg.h>

#define TU_WITH_DB
#include "testutil.h"

#include "certificate.h"
#include "checkdigit.h"
#include "cmd.h"
#include "ctx.h"
#include "error.h"
#include "pdf.h"
#include "protect.h"
#include "result.h"
#include "settings.h"
#include "store.h"
#include "timeutil.h"

#define EVENT "2026-03-25"   /* a week before "today", tu_day(0) = 2026-04-01 */
#define MYNUMBER "123456789018"
#define NEW_ADDRESS "見本区桜台九丁目9番9号"

static struct world {
	char *dir, *db;
	struct md_settings cfg;
	struct md_ctx *clerk, *sup, *trainer;   /* trainer1 holds honseki.view and mynumber.view */
	char juminhyo[12];
	long long taro, hanako, yamada_hh;
	long long kenichi, kazuko, sho, hina, shigeru, taku;
	long long nakamura, suzuki, ishii, okada, mori, smith, tanaka;
} W;

/* ---- helpers --------------------------------------------------------------------- */

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

/* A command that must succeed. */
static void ok(struct md_ctx *c, const char *name, ...)
{
	struct md_result res;
	struct md_error err;
	va_list ap;
	int rc;

	va_start(ap, name);
	rc = vrun(c, &res, &err, name, ap);
	va_end(ap);
	if (rc != MD_OK)
		print_error("%s: %s (%s)\n", name, err.msg, err.field);
	assert_int_equal(rc, MD_OK);
	md_result_release(&res);
}

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
		ok(W.sup, "change.approve", "id", idtxt, NULL);
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

static long long sqlf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static long long sqlf(const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	return tu_sql_int(W.clerk, sql);
}

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

static char *idtext(long long id)
{
	static char buf[8][24];
	static int k;
	k = (k + 1) % 8;
	snprintf(buf[k], sizeof buf[k], "%lld", id);
	return buf[k];
}

static struct md_ctx *login(const char *user)
{
	struct md_ctx *c = tu_open(&W.cfg, W.db, MD_DB_TRAINING);
	ok(c, "login", "user", user, "password", "demo", NULL);
	return c;
}

/* A counter transaction of c's user: opened, the applicant verified with a
 * driving licence (photo matched), the subject set. Returns its id. */
static long long tx(struct md_ctx *c, const char *category, long long subject, long long applicant)
{
	long long id;
	const char *purpose = strcmp(category, "third_party") == 0 || strcmp(category, "professional") == 0
	                      ? "債権の回収（契約書あり）" : NULL;

	ok(c, "counter.open", "request", "certificate", NULL);
	id = tu_sql_int(c, "SELECT max(id) FROM counter_transactions");
	ok(c, "counter.verify", "transaction", idtext(id), "category", category, "applicant_name",
	   "窓口 申請者", "documents", "driver_license", "photo_matched", "1",
	   "letter_of_authority", strcmp(category, "agent") == 0 ? "1" : "0",
	   purpose ? "purpose" : NULL, purpose, NULL);
	if (applicant)
		ok(c, "counter.subject", "transaction", idtext(id), "person", idtext(subject),
		   "applicant_person", idtext(applicant), "ack", "1", NULL);
	else
		ok(c, "counter.subject", "transaction", idtext(id), "person", idtext(subject), "ack", "1",
		   NULL);
	return id;
}

/* cert.<what> on transaction t with more key/value pairs (NULL-terminated). */
static int cert(struct md_ctx *c, struct md_result *res, struct md_error *err, const char *what,
                long long t, ...)
{
	struct md_args a;
	va_list ap;
	const char *k;
	char name[32];

	snprintf(name, sizeof name, "cert.%s", what);
	md_args_init(&a);
	md_args_set(&a, "transaction", idtext(t));
	va_start(ap, t);
	while ((k = va_arg(ap, const char *)) != NULL)
		md_args_set(&a, k, va_arg(ap, const char *));
	va_end(ap);
	md_result_init(res);
	return md_cmd_exec(c, name, &a, res, err);
}

/* The index of the first line containing text at or after from, or -1. */
static int line_at(const struct md_result *res, const char *text, int from)
{
	for (int i = from < 0 ? 0 : from; i < res->nlines; i++)
		if (strstr(res->lines[i], text))
			return i;
	return -1;
}

static int has(const struct md_result *res, const char *text)
{
	return line_at(res, text, 0) >= 0;
}

static int count_lines(const struct md_result *res, const char *text)
{
	int n = 0;
	for (int i = 0; i < res->nlines; i++)
		if (strstr(res->lines[i], text))
			n++;
	return n;
}

static void dump(const struct md_result *res)
{
	for (int i = 0; i < res->nlines; i++)
		print_error("  | %s\n", res->lines[i]);
}

/* A preview that must succeed. */
static void preview(struct md_ctx *c, struct md_result *res, long long t, ...)
{
	struct md_args a;
	struct md_error err;
	va_list ap;
	const char *k;
	int rc;

	md_args_init(&a);
	md_args_set(&a, "transaction", idtext(t));
	va_start(ap, t);
	while ((k = va_arg(ap, const char *)) != NULL)
		md_args_set(&a, k, va_arg(ap, const char *));
	va_end(ap);
	md_result_init(res);
	rc = md_cmd_exec(c, "cert.preview", &a, res, &err);
	if (rc != MD_OK)
		print_error("cert.preview: %s (%s)\n", err.msg, err.field);
	assert_int_equal(rc, MD_OK);
}

/* ---- the ward ------------------------------------------------------------------------ */

static void build_world(void)
{
	char first10[11] = "1234567890";

	snprintf(W.juminhyo, sizeof W.juminhyo, "%s%d", first10, md_juminhyo_code_check_digit(first10));
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
	W.yamada_hh = sqlf("SELECT household_id FROM persons WHERE id = %lld", W.taro);

	/* Six members entered out of order. */
	change(1, "type", "move_in", "event_date", EVENT, "address", "見本区桜台一丁目1番1号",
	       "previous_address", "東京都千代田区千代田2-2",
	       "p1.relationship", "同居人", "p1.surname", "木村", "p1.given_name", "拓",
	       "p1.surname_kana", "キムラ", "p1.given_name_kana", "タク", "p1.birth_date", "1990-03-03",
	       "p1.sex", "男", "p1.honseki", "東京都", "p1.hittosha", "木村 拓",
	       "p2.relationship", "子", "p2.surname", "大森", "p2.given_name", "陽菜",
	       "p2.surname_kana", "オオモリ", "p2.given_name_kana", "ヒナ", "p2.birth_date", "2005-01-01",
	       "p2.sex", "女", "p2.honseki", "東京都", "p2.hittosha", "大森 健一",
	       "p3.relationship", "世帯主", "p3.surname", "大森", "p3.given_name", "健一",
	       "p3.surname_kana", "オオモリ", "p3.given_name_kana", "ケンイチ", "p3.birth_date", "1960-06-06",
	       "p3.sex", "男", "p3.honseki", "東京都", "p3.hittosha", "大森 健一",
	       "p4.relationship", "父", "p4.surname", "大森", "p4.given_name", "茂",
	       "p4.surname_kana", "オオモリ", "p4.given_name_kana", "シゲル", "p4.birth_date", "1930-03-03",
	       "p4.sex", "男", "p4.honseki", "東京都", "p4.hittosha", "大森 茂",
	       "p5.relationship", "子", "p5.surname", "大森", "p5.given_name", "翔",
	       "p5.surname_kana", "オオモリ", "p5.given_name_kana", "ショウ", "p5.birth_date", "1995-05-05",
	       "p5.sex", "男", "p5.honseki", "東京都", "p5.hittosha", "大森 健一",
	       "p6.relationship", "妻", "p6.surname", "大森", "p6.given_name", "和子",
	       "p6.surname_kana", "オオモリ", "p6.given_name_kana", "カズコ", "p6.birth_date", "1962-06-06",
	       "p6.sex", "女", "p6.honseki", "東京都", "p6.hittosha", "大森 健一", NULL);
	W.kenichi = person("大森", "健一");
	W.kazuko = person("大森", "和子");
	W.sho = person("大森", "翔");
	W.hina = person("大森", "陽菜");
	W.shigeru = person("大森", "茂");
	W.taku = person("木村", "拓");

	/* 中村: moving out on the 20th (planned). 鈴木: died. */
	W.nakamura = move_in("中村", "修", "ナカムラ", "オサム", "1985-11-11", "男", "見本区旭町12番3号");
	change(1, "type", "move_out", "event_date", "2026-04-20", "p1.person", idtext(W.nakamura),
	       "p1.out_address_planned", "神奈川県横浜市中区1-1", NULL);
	W.suzuki = move_in("鈴木", "次郎", "スズキ", "ジロウ", "1940-04-04", "男", "見本区西見本三丁目5番5号");
	change(1, "type", "death", "event_date", "2026-03-30", "p1.person", idtext(W.suzuki), NULL);

	/* Protected persons. */
	W.ishii = move_in("石井", "恵", "イシイ", "メグミ", "1983-03-03", "女", "見本区桜台三丁目7番7号");
	tu_sql_exec(W.clerk, "INSERT INTO support_measures (person_id, status, contact, "
	                     "applicant_situation, start_date, end_date, offender, set_by, set_at) "
	                     "SELECT id, 'active', '090-0000-0000', 'DV', '2026-03-01', '2027-02-28', "
	                     "'石井 一郎', 'supervisor1', '2026-03-01T00:00:00Z' FROM persons "
	                     "WHERE surname = '石井'");
	W.okada = move_in("岡田", "誠", "オカダ", "マコト", "1979-09-19", "男", "見本区桜台三丁目8番8号");
	tu_sql_exec(W.clerk, "INSERT INTO suppressions (person_id, operation, mode, start_date, reason, "
	                     "set_by, set_at) SELECT id, 'certificate', 'error', '2026-03-01', "
	                     "'交付停止の依頼', 'supervisor1', '2026-03-01T00:00:00Z' FROM persons "
	                     "WHERE surname = '岡田'");
	W.mori = move_in("森", "真理", "モリ", "マリ", "1988-12-24", "女", "見本区東見本三丁目1番2号");
	tu_sql_exec(W.clerk, "INSERT INTO suppressions (person_id, operation, mode, start_date, reason, "
	                     "set_by, set_at) SELECT id, 'certificate', 'alert', '2026-03-01', "
	                     "'不正請求の疑い', 'supervisor1', '2026-03-01T00:00:00Z' FROM persons "
	                     "WHERE surname = '森'");

	/* A foreign resident with a 通称. */
	change(1, "type", "move_in_abroad", "event_date", EVENT, "address", "見本区旭町1番1号",
	       "previous_address", "アメリカ合衆国", "p1.relationship", "世帯主", "p1.resident_type", "外国人",
	       "p1.surname", "SMITH", "p1.given_name", "JOHN", "p1.surname_kana", "スミス",
	       "p1.given_name_kana", "ジョン", "p1.alias", "川田 花代", "p1.alias_kana", "カワダ ハナヨ",
	       "p1.birth_date", "1985-06-15", "p1.sex", "男", "p1.nationality", "USA",
	       "p1.residence_status", "永住者", "p1.residence_card_no", "AB12345678CD", NULL);
	W.smith = person("SMITH", "JOHN");

	/* 田中: moved within the city, then her surname corrected (誤記修正). */
	W.tanaka = move_in("田中", "美咲", "タナカ", "ミサキ", "1995-09-09", "女", "見本区西見本三丁目6番6号");
	change(1, "type", "move_within", "event_date", "2026-03-27", "household",
	       idtext(sqlf("SELECT household_id FROM persons WHERE id = %lld", W.tanaka)), "address",
	       "見本区西見本四丁目1番1号", "katagaki", "", NULL);
	change(1, "type", "clerical_fix", "event_date", "2026-03-28", "p1.person", idtext(W.tanaka),
	       "p1.surname", "中田", "memo", "住民票の氏の誤記", NULL);

	/* Saved, never approved: 山田's move within the city. */
	change(0, "type", "move_within", "event_date", "2026-03-31", "household", idtext(W.yamada_hh),
	       "address", NEW_ADDRESS, "katagaki", "", NULL);
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

/* ---- rules without a database ---------------------------------------------------------- */

static void test_options(void **state)
{
	struct md_error err;
	unsigned o = 0;
	char buf[256];

	(void)state;
	assert_int_equal(md_cert_parse_options(" head_rel, honseki ,mynumber", &o, &err), MD_OK);
	assert_int_equal(o, MD_CO_HEAD_REL | MD_CO_HONSEKI | MD_CO_MYNUMBER);
	md_cert_options_text(o, buf, sizeof buf);
	assert_string_equal(buf, "head_rel,honseki,mynumber");
	assert_int_equal(md_cert_parse_options("foreign", &o, &err), MD_OK);
	assert_int_equal(o, MD_CO_FOREIGN);
	assert_true(o & MD_CO_RESIDENCE_CARD);
	assert_int_equal(md_cert_parse_options("", &o, &err), MD_OK);
	assert_int_equal(o, 0);
	assert_int_equal(md_cert_parse_options("head_rel,本籍", &o, &err), MD_E_INVALID);
	assert_string_equal(err.field, "include");
	assert_non_null(strstr(err.msg, "本籍"));
	assert_non_null(strstr(err.msg, "juminhyo_code"));
}

static void test_options_per_category(void **state)
{
	struct md_error err;
	const unsigned all = MD_CO_HEAD_REL | MD_CO_HONSEKI | MD_CO_JUMINHYO_CODE | MD_CO_MYNUMBER;

	(void)state;
	assert_int_equal(md_cert_check_options("self", all, 0, &err), MD_OK);
	assert_int_equal(md_cert_check_options("household", all, 0, &err), MD_OK);
	/* My Number: the person or their household only. */
	assert_int_equal(md_cert_check_options("agent", MD_CO_MYNUMBER, 0, &err), MD_E_DENIED);
	assert_string_equal(err.field, "include");
	assert_non_null(strstr(err.msg, "代理人"));
	assert_int_equal(md_cert_check_options("official", MD_CO_MYNUMBER, 0, &err), MD_E_DENIED);
	assert_int_equal(md_cert_check_options("third_party", MD_CO_MYNUMBER, 1, &err), MD_E_DENIED);
	/* 住民票コード: never to a third party or a professional. */
	assert_int_equal(md_cert_check_options("third_party", MD_CO_JUMINHYO_CODE, 1, &err), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "第三者"));
	assert_int_equal(md_cert_check_options("professional", MD_CO_JUMINHYO_CODE, 1, &err), MD_E_DENIED);
	assert_int_equal(md_cert_check_options("agent", MD_CO_JUMINHYO_CODE, 0, &err), MD_OK);
	assert_int_equal(md_cert_check_options("official", MD_CO_JUMINHYO_CODE | MD_CO_HONSEKI, 0, &err),
	                 MD_OK);
	/* 本籍: a third party only with a purpose that needs it. */
	assert_int_equal(md_cert_check_options("third_party", MD_CO_HONSEKI, 0, &err), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "purpose_needs_honseki"));
	assert_int_equal(md_cert_check_options("third_party", MD_CO_HONSEKI | MD_CO_HEAD_REL, 1, &err),
	                 MD_OK);
	assert_int_equal(md_cert_check_options("stranger", 0, 0, &err), MD_E_INVALID);
	/* The 住民票コード通知票 is the person's own. */
	assert_int_equal(md_cert_check_applicant(MD_CERT_CODE_NOTICE, "self", &err), MD_OK);
	assert_int_equal(md_cert_check_applicant(MD_CERT_CODE_NOTICE, "agent", &err), MD_E_DENIED);
	assert_int_equal(md_cert_check_applicant(MD_CERT_JUMINHYO, "agent", &err), MD_OK);
}

static void test_items(void **state)
{
	struct md_error err;
	unsigned o = 0;
	char buf[256];

	(void)state;
	assert_int_equal(md_cert_parse_items("name, birth_date,head_rel", &o, buf, sizeof buf, &err), MD_OK);
	assert_string_equal(buf, "name,birth_date,head_rel");
	assert_int_equal(o, MD_CO_HEAD_REL);
	assert_int_equal(md_cert_parse_items("name,mynumber", &o, buf, sizeof buf, &err), MD_OK);
	assert_int_equal(o, MD_CO_MYNUMBER);
	assert_int_equal(md_cert_parse_items("name,name", &o, buf, sizeof buf, &err), MD_E_INVALID);
	assert_string_equal(err.field, "items");
	assert_int_equal(md_cert_parse_items("name,shoe_size", &o, buf, sizeof buf, &err), MD_E_INVALID);
	assert_non_null(strstr(err.msg, "shoe_size"));
	assert_int_equal(md_cert_parse_items("", &o, buf, sizeof buf, &err), MD_E_INVALID);
}

static void test_wording(void **state)
{
	(void)state;
	assert_int_equal(md_cert_wording_for(MD_CERT_JUMINHYO, 0, 1), MD_CW_WHOLE);
	assert_int_equal(md_cert_wording_for(MD_CERT_JUMINHYO, 0, 0), MD_CW_PART);
	assert_int_equal(md_cert_wording_for(MD_CERT_JUMINHYO, 1, 1), MD_CW_INDIVIDUAL);
	assert_int_equal(md_cert_wording_for(MD_CERT_JOSHU, 0, 1), MD_CW_REMOVED);
	assert_int_equal(md_cert_wording_for(MD_CERT_JOSHU, 1, 0), MD_CW_REMOVED);
	assert_string_equal(md_cert_wording_text(MD_CW_WHOLE),
	                    "この写しは、世帯全員の住民票の原本と相違ないことを証明する。");
	assert_string_equal(md_cert_wording_text(MD_CW_PART),
	                    "この写しは、世帯の一部の住民票の原本と相違ないことを証明する。");
	assert_string_equal(md_cert_wording_text(MD_CW_INDIVIDUAL),
	                    "この写しは、住民票の原本と相違ないことを証明する。");
	assert_string_equal(md_cert_wording_text(MD_CW_REMOVED),
	                    "この写しは、住民票の除票の原本と相違ないことを証明する。");
}

static void test_mayor_line(void **state)
{
	struct md_settings s;
	char buf[256];

	(void)state;
	md_settings_defaults(&s);
	md_cert_mayor_line(&s, buf, sizeof buf);
	assert_string_equal(buf, "見本区長　見本 太郎");
	snprintf(s.deputy_title, sizeof s.deputy_title, "副区長");
	snprintf(s.deputy_name, sizeof s.deputy_name, "見本 次郎");
	md_cert_mayor_line(&s, buf, sizeof buf);
	assert_string_equal(buf, "見本区長職務代理者　副区長　見本 次郎");
	md_settings_defaults(&s);
	snprintf(s.municipality_name, sizeof s.municipality_name, "見本市");
	snprintf(s.mayor_title, sizeof s.mayor_title, "市長");
	md_cert_mayor_line(&s, buf, sizeof buf);
	assert_string_equal(buf, "見本市長　見本 太郎");
	snprintf(s.municipality_name, sizeof s.municipality_name, "見本町");
	md_cert_mayor_line(&s, buf, sizeof buf);
	assert_string_equal(buf, "見本町市長　見本 太郎");
}

static void test_issue_number(void **state)
{
	struct md_settings s;
	char buf[256], file[256];

	(void)state;
	md_settings_defaults(&s);
	md_cert_issue_number(&s, 0, "2025-12-01", 11, buf, sizeof buf);
	assert_string_equal(buf, "20251201 見本区 本庁1 PR001 000011");
	md_cert_issue_number(&s, 1, "2025-12-01", 11, buf, sizeof buf);
	assert_string_equal(buf, "見本-20251201 見本区 本庁1 PR001 000011");
	md_cert_issue_number(&s, 0, "2025-12-01", 0, buf, sizeof buf);
	assert_string_equal(buf, "20251201 見本区 本庁1 PR001 ------");
	md_cert_file_name("見本-20251201 見本区 本庁1 PR001 000011", file, sizeof file);
	assert_string_equal(file, "見本-20251201_見本区_本庁1_PR001_000011");
	md_cert_file_name("a/../b c", file, sizeof file);
	assert_string_equal(file, "ab_c");
}

static void test_vcode(void **state)
{
	unsigned char key[32], other[32];
	char a[9], b[9], c[9], norm[9], shown[10];

	(void)state;
	memset(key, 7, sizeof key);
	memset(other, 8, sizeof other);
	md_cert_vcode(key, "seed 1", a);
	md_cert_vcode(key, "seed 1", b);
	md_cert_vcode(key, "seed 2", c);
	assert_int_equal(strlen(a), 8);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	md_cert_vcode(other, "seed 1", b);
	assert_string_not_equal(a, b);
	for (int i = 0; i < 8; i++)
		assert_non_null(strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", a[i]));
	md_cert_vcode_format(a, shown);
	assert_int_equal(strlen(shown), 9);
	assert_int_equal(shown[4], '-');
	assert_int_equal(md_cert_vcode_normalize(shown, norm), 0);
	assert_string_equal(norm, a);
	assert_int_equal(md_cert_vcode_normalize("7kq2 m9xd", norm), 0);
	assert_string_equal(norm, "7KQ2M9XD");
	assert_int_equal(md_cert_vcode_normalize("OIL1-0000", norm), 0);
	assert_string_equal(norm, "01110000");
	assert_int_equal(md_cert_vcode_normalize("7KQ2-M9X", norm), -1);
	assert_int_equal(md_cert_vcode_normalize("7KQ2-M9XDD", norm), -1);
	assert_int_equal(md_cert_vcode_normalize("7KQ2-M9XU", norm), -1);
	assert_int_equal(md_cert_vcode_normalize(NULL, norm), -1);
}

static void test_gate(void **state)
{
	struct md_cert_gate_in in;

	(void)state;
	memset(&in, 0, sizeof in);
	in.category = "third_party";
	assert_int_equal(md_cert_gate(&in), MD_GATE_PASS);
	in.blocked = 1;
	in.category = "self";
	in.ack = 1;
	assert_int_equal(md_cert_gate(&in), MD_GATE_BLOCKED);
	/* 支援措置: refused to everyone but the person and 公用. */
	memset(&in, 0, sizeof in);
	in.measure = 1;
	in.ack = 1;
	in.may_override = 1;
	in.override_reason = "理由";
	in.category = "third_party";
	assert_int_equal(md_cert_gate(&in), MD_GATE_REFUSED);
	in.category = "agent";
	assert_int_equal(md_cert_gate(&in), MD_GATE_REFUSED);
	in.category = "household";
	assert_int_equal(md_cert_gate(&in), MD_GATE_REFUSED);
	in.category = "professional";
	assert_int_equal(md_cert_gate(&in), MD_GATE_REFUSED);
	in.category = "self";
	in.override_reason = NULL;
	assert_int_equal(md_cert_gate(&in), MD_GATE_ACKED);
	in.ack = 0;
	assert_int_equal(md_cert_gate(&in), MD_GATE_NEED_ACK);
	in.category = "official";
	assert_int_equal(md_cert_gate(&in), MD_GATE_NEED_ACK);
	in.ack = 1;
	assert_int_equal(md_cert_gate(&in), MD_GATE_ACKED);
	/* 本人 asking for a household copy: another member under a 支援措置
	 * is not the person themselves, acknowledged or not. */
	in.category = "self";
	in.other_member = 1;
	assert_int_equal(md_cert_gate(&in), MD_GATE_REFUSED);
	in.other_member = 0;
	assert_int_equal(md_cert_gate(&in), MD_GATE_ACKED);
	/* An alert-mode 抑止: a supervisor's override with a reason. */
	memset(&in, 0, sizeof in);
	in.alert = 1;
	in.category = "self";
	in.ack = 1;
	assert_int_equal(md_cert_gate(&in), MD_GATE_NEED_OVERRIDE);
	in.override_reason = "本人確認済み";
	assert_int_equal(md_cert_gate(&in), MD_GATE_NEED_PERMISSION);
	in.may_override = 1;
	assert_int_equal(md_cert_gate(&in), MD_GATE_OVERRIDDEN);
	in.override_reason = "";
	assert_int_equal(md_cert_gate(&in), MD_GATE_NEED_OVERRIDE);
}

static void test_fees(void **state)
{
	struct md_error err;
	int yen = -1;

	(void)state;
	assert_int_equal(md_cert_fee("juminhyo", &yen, &err), MD_OK);
	assert_int_equal(yen, 300);
	assert_int_equal(md_cert_fee("joshu", &yen, &err), MD_OK);
	assert_int_equal(yen, 300);
	assert_int_equal(md_cert_fee("kisai", &yen, &err), MD_OK);
	assert_int_equal(yen, 300);
	assert_int_equal(md_cert_fee("inkan", &yen, &err), MD_OK);
	assert_int_equal(yen, 300);
	assert_int_equal(md_cert_fee("code_notice", &yen, &err), MD_OK);
	assert_int_equal(yen, 0);
	assert_int_equal(md_cert_fee("official", &yen, &err), MD_OK);
	assert_int_equal(yen, 0);
	assert_int_equal(md_cert_fee("tax", &yen, &err), MD_E_CONFIG);
	assert_string_equal(err.field, "fees.tsv");
}

static void test_mask_name(void **state)
{
	char *m;

	(void)state;
	m = md_cert_mask_name("山田 太郎");
	assert_string_equal(m, "山* 太*");
	free(m);
	m = md_cert_mask_name("SMITH JOHN");
	assert_string_equal(m, "S**** J***");
	free(m);
	m = md_cert_mask_name("森　真理");
	assert_string_equal(m, "森　真*");
	free(m);
}

/* ---- layouts and pages ------------------------------------------------------------------ */

static void test_layouts_parse(void **state)
{
	struct md_error err;

	(void)state;
	for (int t = 0; t < MD_CERT_TYPE_COUNT; t++) {
		const struct md_layout *l = md_cert_layout((enum md_cert_type)t, &err);
		if (!l)
			print_error("%s\n", err.msg);
		assert_non_null(l);
		assert_true(l->n > 5);
	}
	/* 世帯連記式: 4 persons a page; 個人票: one. */
	assert_int_equal(md_layout_slots(md_cert_layout(MD_CERT_JUMINHYO, &err), 0, NULL), 4);
	assert_int_equal(md_layout_slots(md_cert_layout(MD_CERT_JUMINHYO, &err), 1, NULL), 1);
	assert_int_equal(md_layout_slots(md_cert_layout(MD_CERT_INKAN, &err), 0, NULL), 0);
}

static void layout_refused(const char *text, long line, const char *what)
{
	struct md_layout l;
	struct md_error err;
	int rc = md_layout_parse(text, "test.tsv", &l, &err);
	if (rc == MD_OK || !strstr(err.msg, what) || err.line != line)
		print_error("wanted \"%s\" at line %ld, got %d: %s (line %ld)\n", what, line, rc, err.msg,
		            err.line);
	assert_int_equal(rc, MD_E_CONFIG);
	assert_int_equal(err.line, line);
	assert_non_null(strstr(err.msg, what));
}

#define HDR "element\tkind\twhen\tx\ty\tw\th\tsize\tmin\talign\ttext\n"

static void test_layout_errors(void **state)
{
	(void)state;
	layout_refused("element\tx\ty\n", 1, "header");
	layout_refused("# c\n" HDR "title\ttext\t-\t10\t10\t100\t10\t12\t8\tleft\t{title}\nt\tbox\t-\t1\t1\t1\t1\t1\t1\tleft\tx\n",
	               4, "kind");
	layout_refused(HDR "t\ttext\tsometimes\t1\t1\t1\t1\t1\t1\tleft\tx\n", 2, "when");
	layout_refused(HDR "t\ttext\t-\t1\tten\t1\t1\t1\t1\tleft\tx\n", 2, "column y");
	layout_refused(HDR "t\ttext\t-\t1\t1\t1\t1\t10\t12\tleft\tx\n", 2, "min");
	layout_refused(HDR "t\ttext\t-\t100\t1\t120\t1\t10\t8\tleft\tx\n", 2, "A4");
	layout_refused(HDR "slot\tframe\thousehold\t10\t40\t180\t40\t0\t0\tleft\t5\n", 2, "1 to 4");
	layout_refused(HDR "seal\timage\t-\t1\t1\t10\t10\t0\t0\tleft\t{seal}\n", 2, "align");
	layout_refused(HDR "t\ttext\t-\t1\t1\t1\t1\t10\t8\tleft\n", 2, "columns");
}

/* The page model of the real layout: persons fill 4 slots a page, the
 * wording is on the last page only, the issue number on every page. */
static void test_pages_of_layout(void **state)
{
	struct md_error err;
	struct md_vars doc, p[6];
	struct md_pdf_doc d;
	const struct md_layout *l = md_cert_layout(MD_CERT_JUMINHYO, &err);
	int wording[3] = { 0 }, numbers[3] = { 0 }, names[3] = { 0 };

	(void)state;
	md_vars_init(&doc);
	md_vars_set(&doc, "title", "住民票の写し");
	md_vars_set(&doc, "certify", "CERTIFY");
	md_vars_set(&doc, "issue_number", "NUMBER");
	md_vars_set(&doc, "address", "見本区");
	for (int i = 0; i < 6; i++) {
		md_vars_init(&p[i]);
		md_vars_setf(&p[i], "name", "NAME%d", i + 1);
	}
	assert_int_equal(md_pdf_page_count(l, 4, 0), 1);
	assert_int_equal(md_pdf_page_count(l, 5, 0), 2);
	assert_int_equal(md_pdf_page_count(l, 8, 0), 2);
	assert_int_equal(md_pdf_page_count(l, 9, 0), 3);
	assert_int_equal(md_pdf_page_count(l, 5, 1), 5);
	assert_int_equal(md_pdf_build(l, &doc, p, 6, 0, &d, &err), MD_OK);
	assert_int_equal(d.npages, 2);
	for (int pg = 0; pg < d.npages; pg++) {
		for (int i = 0; i < d.pages[pg].n; i++) {
			const struct md_pdf_item *it = &d.pages[pg].items[i];
			if (!it->text)
				continue;
			if (strcmp(it->text, "CERTIFY") == 0)
				wording[pg]++;
			if (strstr(it->text, "NUMBER"))
				numbers[pg]++;
			if (strstr(it->text, "NAME"))
				names[pg]++;
		}
	}
	assert_int_equal(names[0], 4);
	assert_int_equal(names[1], 2);
	assert_int_equal(wording[0], 0);
	assert_int_equal(wording[1], 1);
	assert_int_equal(numbers[0], 1);
	assert_int_equal(numbers[1], 1);
	/* The page numbers: "NUMBER 1/2" and "NUMBER 2/2". */
	for (int pg = 0; pg < 2; pg++) {
		char want[32];
		int found = 0;
		snprintf(want, sizeof want, "NUMBER %d/2", pg + 1);
		for (int i = 0; i < d.pages[pg].n; i++)
			if (d.pages[pg].items[i].text && strstr(d.pages[pg].items[i].text, want))
				found = 1;
		assert_true(found);
	}
	/* Items omitted (no value) are left out: no 続柄 element at all. */
	for (int i = 0; i < d.pages[0].n; i++)
		assert_string_not_equal(d.pages[0].items[i].name, "relationship");
	md_pdf_doc_release(&d);
	md_vars_release(&doc);
	for (int i = 0; i < 6; i++)
		md_vars_release(&p[i]);
}

/* ---- members and their order --------------------------------------------------------------- */

static void test_member_order_and_page_breaks(void **state)
{
	struct md_result res;
	long long t;
	int p2, l[6];
	const char *order[6] = { "大森 健一", "大森 和子", "大森 翔", "大森 陽菜", "大森 茂", "木村 拓" };

	(void)state;
	t = tx(W.clerk, "self", W.kenichi, W.kenichi);
	preview(W.clerk, &res, t, "type", "juminhyo", NULL);
	/* 世帯主, 妻, the children by birth, 父, 同居人. */
	for (int i = 0; i < 6; i++) {
		char want[64];
		snprintf(want, sizeof want, "氏名　%s", order[i]);
		l[i] = line_at(&res, want, 0);
		if (l[i] < 0)
			dump(&res);
		assert_true(l[i] >= 0);
		if (i)
			assert_true(l[i] > l[i - 1]);
	}
	/* Six persons: two pages, the break after the fourth. */
	assert_int_equal(line_at(&res, "=== 住民票の写し 1/2 ===", 0), 0);
	p2 = line_at(&res, "=== 住民票の写し 2/2 ===", 0);
	assert_true(p2 > l[3] && p2 < l[4]);
	assert_int_equal(count_lines(&res, "=== 住民票の写し"), 2);
	/* The wording on the last page only; the issue number on both. */
	assert_int_equal(count_lines(&res, "この写しは"), 1);
	assert_true(line_at(&res, "この写しは、世帯全員の住民票の原本と相違ないことを証明する。", 0) > p2);
	assert_true(line_at(&res, "次頁に続く", 0) < p2);
	assert_true(line_at(&res, "PR001 ------ 1/2", 0) < p2);
	assert_true(line_at(&res, "PR001 ------ 2/2", 0) > p2);
	/* Training: 見本 on every page and in the number. */
	assert_int_equal(count_lines(&res, "発行番号　見本-2026"), 2);
	assert_true(count_lines(&res, "見本") >= 4);
	assert_non_null(strstr(res.message, "6"));
	md_result_release(&res);

	/* Individual format (個人票): one page each, the 個人 wording. */
	preview(W.clerk, &res, t, "type", "juminhyo", "format", "individual", "members",
	        idtext(W.sho), NULL);
	assert_int_equal(count_lines(&res, "=== 住民票の写し 1/1 ==="), 1);
	assert_true(has(&res, "この写しは、住民票の原本と相違ないことを証明する。"));
	assert_false(has(&res, "大森 健一"));
	md_result_release(&res);
}

static void test_chosen_members(void **state)
{
	struct md_result res;
	struct md_error err;
	char list[64];
	long long t;

	(void)state;
	t = tx(W.clerk, "self", W.taro, W.taro);
	preview(W.clerk, &res, t, "type", "juminhyo", "members", idtext(W.hanako), NULL);
	assert_true(has(&res, "氏名　山田 花子"));
	assert_false(has(&res, "氏名　山田 太郎"));
	assert_true(has(&res, "この写しは、世帯の一部の住民票の原本と相違ないことを証明する。"));
	md_result_release(&res);
	/* Both, given in the wrong order: the whole household, head first. */
	snprintf(list, sizeof list, "%lld,%lld", W.hanako, W.taro);
	preview(W.clerk, &res, t, "type", "juminhyo", "members", list, NULL);
	assert_true(line_at(&res, "山田 太郎", 0) < line_at(&res, "山田 花子", 0));
	assert_true(has(&res, "世帯全員"));
	md_result_release(&res);
	/* Someone of another household, a repeat, junk. */
	snprintf(list, sizeof list, "%lld,%lld", W.taro, W.kenichi);
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "juminhyo", "members", list, NULL),
	                 MD_E_INVALID);
	assert_string_equal(err.field, "members");
	md_result_release(&res);
	snprintf(list, sizeof list, "%lld,%lld", W.taro, W.taro);
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "juminhyo", "members", list, NULL),
	                 MD_E_INVALID);
	md_result_release(&res);
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "juminhyo", "members", "太郎", NULL),
	                 MD_E_INVALID);
	md_result_release(&res);
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "juminhyo", "format", "tall", NULL),
	                 MD_E_INVALID);
	assert_string_equal(err.field, "format");
	md_result_release(&res);
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "passport", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "type");
	md_result_release(&res);
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "juminhyo", "copies", "11", NULL),
	                 MD_E_INVALID);
	assert_string_equal(err.field, "copies");
	md_result_release(&res);
}

/* ---- omissions ------------------------------------------------------------------------------- */

static void test_omitted_by_default(void **state)
{
	struct md_result res;
	char masked[32];
	long long t;

	(void)state;
	t = tx(W.clerk, "self", W.taro, W.taro);
	preview(W.clerk, &res, t, "type", "juminhyo", NULL);
	assert_true(has(&res, "氏名　山田 太郎"));
	assert_true(has(&res, "生年月日　昭和55年3月14日"));
	assert_true(has(&res, "住所　見本区見本町一丁目2番3号　見本荘101"));
	assert_false(has(&res, "続柄"));
	assert_false(has(&res, "世帯主"));
	assert_false(has(&res, "本籍"));
	assert_false(has(&res, "見本県見本市本町1番地"));
	assert_false(has(&res, "住民票コード"));
	assert_false(has(&res, W.juminhyo));
	assert_false(has(&res, "個人番号"));
	assert_false(has(&res, "9018"));
	md_result_release(&res);

	/* 本籍 and 個人番号 need the user's permissions (honseki.view,
	 * mynumber.view), which a clerk does not hold: refused and audited, in a
	 * preview as at the issue. */
	{
		struct md_error err;
		long long denied = tu_audit_count(W.clerk, "cert.preview", "denied", idtext(W.taro));
		assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "juminhyo", "include", "honseki",
		                      NULL), MD_E_DENIED);
		assert_non_null(strstr(err.msg, "honseki.view"));
		md_result_release(&res);
		assert_int_equal(cert(W.clerk, &res, &err, "issue", t, "type", "juminhyo", "include", "mynumber",
		                      NULL), MD_E_DENIED);
		assert_non_null(strstr(err.msg, "mynumber.view"));
		md_result_release(&res);
		assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "kisai", "items", "name,honseki",
		                      NULL), MD_E_DENIED);
		md_result_release(&res);
		assert_int_equal(tu_audit_count(W.clerk, "cert.preview", "denied", idtext(W.taro)), denied + 2);
		assert_int_equal(sqlf("SELECT count(*) FROM issuances WHERE transaction_id = %lld", t), 0);
	}

	/* Requested by a user who may see them: printed; the preview masks
	 * the My Number. */
	t = tx(W.trainer, "self", W.taro, W.taro);
	preview(W.trainer, &res, t, "type", "juminhyo", "include", "head_rel,honseki,juminhyo_code,mynumber",
	        NULL);
	assert_true(has(&res, "世帯主　山田 太郎"));
	assert_true(has(&res, "続柄　世帯主"));
	assert_true(has(&res, "続柄　妻"));
	assert_true(has(&res, "本籍　見本県見本市本町1番地"));
	assert_true(has(&res, "筆頭者　山田 一郎"));
	assert_true(has(&res, W.juminhyo));
	md_mynumber_mask(MYNUMBER, masked, sizeof masked);
	assert_true(has(&res, masked));
	assert_false(has(&res, MYNUMBER));
	md_result_release(&res);
	/* The preview is audited, with the My Number flag. */
	assert_true(tu_sql_int(W.clerk, "SELECT mynumber FROM audit_log WHERE function = 'cert.preview' "
	                                "ORDER BY id DESC LIMIT 1") == 1);
	/* Nothing was issued. */
	assert_int_equal(sqlf("SELECT count(*) FROM issuances WHERE transaction_id = %lld", t), 0);
}

static void test_foreign_items(void **state)
{
	struct md_result res;
	long long t;

	(void)state;
	t = tx(W.clerk, "self", W.smith, W.smith);
	preview(W.clerk, &res, t, "type", "juminhyo", NULL);
	assert_true(has(&res, "氏名　SMITH JOHN"));
	assert_true(has(&res, "通称　川田 花代"));
	assert_true(has(&res, "生年月日　1985年6月15日"));  /* Western calendar */
	assert_false(has(&res, "国籍"));
	assert_false(has(&res, "在留資格"));
	assert_false(has(&res, "AB12345678CD"));
	md_result_release(&res);
	preview(W.clerk, &res, t, "type", "juminhyo", "include", "foreign", NULL);
	assert_true(has(&res, "国籍・地域　"));
	assert_true(has(&res, "在留資格　永住者"));
	assert_true(has(&res, "在留カード等番号　AB12345678CD"));
	assert_true(has(&res, "通称の記載　川田 花代"));
	md_result_release(&res);
	preview(W.clerk, &res, t, "type", "juminhyo", "include", "residence_status", NULL);
	assert_true(has(&res, "在留資格　永住者"));
	assert_false(has(&res, "AB12345678CD"));
	md_result_release(&res);
}

static void test_third_party(void **state)
{
	struct md_result res;
	struct md_error err;
	long long t, denied, issue_denied;

	(void)state;
	t = tx(W.clerk, "third_party", W.taro, 0);
	denied = tu_audit_count(W.clerk, "cert.preview", "denied", NULL);
	issue_denied = tu_audit_count(W.clerk, "cert.issue", "denied", NULL);
	/* Never 個人番号 or 住民票コード: refused, with the reason. */
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "juminhyo", "include", "mynumber",
	                      NULL), MD_E_DENIED);
	assert_string_equal(err.field, "include");
	assert_non_null(strstr(err.msg, "個人番号"));
	md_result_release(&res);
	assert_int_equal(cert(W.clerk, &res, &err, "issue", t, "type", "juminhyo", "include",
	                      "juminhyo_code", NULL), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "住民票コード"));
	md_result_release(&res);
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "kisai", "items", "name,mynumber",
	                      NULL), MD_E_DENIED);
	md_result_release(&res);
	/* 本籍 only with a purpose that needs it. */
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "juminhyo", "include", "honseki",
	                      NULL), MD_E_DENIED);
	md_result_release(&res);
	/* With such a purpose, still only a user with honseki.view. */
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "juminhyo", "include", "honseki",
	                      "purpose_needs_honseki", "1", NULL), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "honseki.view"));
	md_result_release(&res);
	assert_int_equal(tu_audit_count(W.clerk, "cert.preview", "denied", NULL), denied + 4);
	{
		long long t3 = tx(W.trainer, "third_party", W.taro, 0);
		preview(W.trainer, &res, t3, "type", "juminhyo", "include", "honseki", "purpose_needs_honseki",
		        "1", NULL);
		assert_true(has(&res, "本籍　見本県見本市本町1番地"));
		md_result_release(&res);
	}
	assert_int_equal(tu_audit_count(W.clerk, "cert.issue", "denied", NULL), issue_denied + 1);
	/* A 住民票コード通知票 is the person's own. */
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "code_notice", NULL), MD_E_DENIED);
	md_result_release(&res);
	assert_int_equal(sqlf("SELECT count(*) FROM issuances WHERE transaction_id = %lld", t), 0);
}

/* Identity by questioning is not enough for a certificate. */
static void test_questioning_not_enough(void **state)
{
	struct md_result res;
	struct md_error err;
	long long t;

	(void)state;
	ok(W.clerk, "counter.open", "request", "certificate", NULL);
	t = tu_sql_int(W.clerk, "SELECT max(id) FROM counter_transactions");
	ok(W.clerk, "counter.verify", "transaction", idtext(t), "category", "self", "applicant_name",
	   "山田 太郎", "questioning", "1", NULL);
	assert_int_not_equal(cert(W.clerk, &res, &err, "preview", t, "type", "juminhyo", NULL), MD_OK);
	md_result_release(&res);
	/* Another user's transaction is not this clerk's either. */
	t = tx(W.sup, "self", W.taro, W.taro);
	assert_int_not_equal(cert(W.clerk, &res, &err, "preview", t, "type", "juminhyo", NULL), MD_OK);
	md_result_release(&res);
}

/* ---- what is on record ------------------------------------------------------------------- */

static void test_provisional_and_planned(void **state)
{
	struct md_result res;
	struct md_error err;
	long long t;

	(void)state;
	/* 山田's provisional move within the city does not show. */
	t = tx(W.clerk, "self", W.taro, W.taro);
	preview(W.clerk, &res, t, "type", "juminhyo", NULL);
	assert_true(has(&res, "見本区見本町一丁目2番3号"));
	assert_false(has(&res, NEW_ADDRESS));
	md_result_release(&res);

	/* 中村 moves out on the 20th: still a resident, without the move-out. */
	t = tx(W.clerk, "self", W.nakamura, W.nakamura);
	preview(W.clerk, &res, t, "type", "juminhyo", NULL);
	assert_true(has(&res, "氏名　中村 修"));
	assert_false(has(&res, "神奈川県"));
	assert_false(has(&res, "転出"));
	assert_false(has(&res, "消除"));
	md_result_release(&res);
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "joshu", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "type");
	md_result_release(&res);
}

static void test_joshu(void **state)
{
	struct md_result res;
	struct md_error err;
	long long t;

	(void)state;
	t = tx(W.clerk, "third_party", W.suzuki, 0);
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "juminhyo", NULL), MD_E_INVALID);
	assert_non_null(strstr(err.msg, "joshu"));
	md_result_release(&res);
	preview(W.clerk, &res, t, "type", "joshu", NULL);
	assert_true(has(&res, "=== 住民票の除票の写し 1/1 ==="));
	assert_true(has(&res, "氏名　鈴木 次郎"));
	assert_true(has(&res, "消除　令和8年3月30日　死亡"));
	assert_true(has(&res, "この写しは、住民票の除票の原本と相違ないことを証明する。"));
	md_result_release(&res);
}

static void test_history(void **state)
{
	struct md_result res;
	long long t;

	(void)state;
	t = tx(W.clerk, "self", W.tanaka, W.tanaka);
	preview(W.clerk, &res, t, "type", "juminhyo", NULL);
	assert_true(has(&res, "氏名　中田 美咲"));
	assert_false(has(&res, "履歴"));
	md_result_release(&res);
	preview(W.clerk, &res, t, "type", "juminhyo", "history", "1", "format", "individual", NULL);
	assert_true(has(&res, "履歴"));
	assert_true(has(&res, "令和8年3月25日　国内転入　住所　見本区西見本三丁目6番6号"));
	assert_true(has(&res, "令和8年3月27日　転居　住所　見本区西見本四丁目1番1号"));
	assert_true(has(&res, "令和8年3月28日　誤記修正　氏名　田中 美咲 → 中田 美咲"));
	md_result_release(&res);
}

/* ---- 抑止 and 支援措置 ------------------------------------------------------------------------ */

static void test_support_measure(void **state)
{
	struct md_result res;
	struct md_error err;
	long long t, attempts = tu_sql_int(W.clerk, "SELECT count(*) FROM support_attempts WHERE "
	                                            "operation = 'certificate'");

	(void)state;
	/* A third party: refused, recorded for supervisors. */
	t = tx(W.clerk, "third_party", W.ishii, 0);
	assert_int_equal(cert(W.clerk, &res, &err, "issue", t, "type", "juminhyo", "ack", "1", NULL),
	                 MD_E_DENIED);
	assert_non_null(strstr(err.msg, "支援措置"));
	md_result_release(&res);
	assert_int_equal(sqlf("SELECT count(*) FROM support_attempts WHERE operation = 'certificate' "
	                      "AND outcome = 'refused' AND person_id = %lld", W.ishii), 1);
	assert_int_equal(tu_audit_count(W.clerk, "cert.issue", "denied", idtext(W.ishii)), 1);
	/* Nor an agent, even with a supervisor's override. */
	t = tx(W.sup, "agent", W.ishii, 0);
	assert_int_equal(cert(W.sup, &res, &err, "preview", t, "type", "juminhyo", "ack", "1",
	                      "override_reason", "委任状あり", NULL), MD_E_DENIED);
	md_result_release(&res);
	/* The person themselves: after extra identity checks (ack). */
	t = tx(W.clerk, "self", W.ishii, W.ishii);
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "juminhyo", NULL), MD_E_CONFLICT);
	assert_string_equal(err.field, "ack");
	md_result_release(&res);
	preview(W.clerk, &res, t, "type", "juminhyo", "ack", "1", NULL);
	assert_true(has(&res, "氏名　石井 恵"));
	md_result_release(&res);
	assert_int_equal(cert(W.clerk, &res, &err, "issue", t, "type", "juminhyo", "ack", "1", NULL), MD_OK);
	md_result_release(&res);
	assert_int_equal(sqlf("SELECT count(*) FROM issuances WHERE transaction_id = %lld "
	                      "AND protection = 'acknowledged'", t), 1);
	/* 公用: with the alert acknowledged. */
	t = tx(W.clerk, "official", W.ishii, 0);
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "juminhyo", NULL), MD_E_CONFLICT);
	md_result_release(&res);
	preview(W.clerk, &res, t, "type", "juminhyo", "ack", "1", NULL);
	md_result_release(&res);
	/* Every attempt listed: refused twice, the alert shown twice, served three times. */
	assert_int_equal(tu_sql_int(W.clerk, "SELECT count(*) FROM support_attempts WHERE "
	                                     "operation = 'certificate'") - attempts, 7);
	assert_int_equal(sqlf("SELECT count(*) FROM support_attempts WHERE operation = 'certificate' "
	                      "AND outcome = 'issued after extra identity checks'"), 1);
}

static void test_suppressions(void **state)
{
	struct md_result res;
	struct md_error err;
	long long t;

	(void)state;
	/* Blocking: refused whoever asks. */
	t = tx(W.sup, "self", W.okada, W.okada);
	assert_int_equal(cert(W.sup, &res, &err, "preview", t, "type", "juminhyo", "ack", "1",
	                      "override_reason", "本人", NULL), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "交付停止の依頼"));
	md_result_release(&res);
	/* An alert: the clerk cannot override it; a supervisor can, with a reason. */
	t = tx(W.clerk, "self", W.mori, W.mori);
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "juminhyo", "ack", "1", NULL),
	                 MD_E_CONFLICT);
	assert_string_equal(err.field, "override_reason");
	md_result_release(&res);
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "juminhyo", "override_reason",
	                      "本人確認済み", NULL), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "alert.override"));
	md_result_release(&res);
	t = tx(W.sup, "self", W.mori, W.mori);
	assert_int_equal(cert(W.sup, &res, &err, "issue", t, "type", "juminhyo", "override_reason",
	                      "本人確認済み（旅券）", NULL), MD_OK);
	md_result_release(&res);
	assert_int_equal(sqlf("SELECT count(*) FROM issuances WHERE transaction_id = %lld AND "
	                      "protection = 'overridden: 本人確認済み（旅券）'", t), 1);
}

/* ---- issuing ------------------------------------------------------------------------------- */

static void test_issue_serials_and_fees(void **state)
{
	struct md_result res;
	struct md_error err;
	long long t, first;
	char number[256], path[4096], code_a[16], code_b[16];

	(void)state;
	t = tx(W.clerk, "self", W.taro, W.taro);
	first = sqlf("SELECT coalesce(max(serial), 0) FROM issuances WHERE terminal = '本庁1'");
	assert_int_equal(cert(W.clerk, &res, &err, "issue", t, "type", "juminhyo", "copies", "2",
	                      "include", "head_rel", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 2);
	assert_non_null(strstr(res.message, "600"));
	md_result_release(&res);
	/* Two copies, two serials in a row, two numbers, two codes, two files. */
	assert_int_equal(sqlf("SELECT count(*) FROM issuances WHERE transaction_id = %lld", t), 2);
	assert_int_equal(sqlf("SELECT min(serial) FROM issuances WHERE transaction_id = %lld", t), first + 1);
	assert_int_equal(sqlf("SELECT max(serial) FROM issuances WHERE transaction_id = %lld", t), first + 2);
	assert_int_equal(sqlf("SELECT count(DISTINCT verification_code) FROM issuances WHERE "
	                      "transaction_id = %lld", t), 2);
	snprintf(path, sizeof path, "SELECT issue_number FROM issuances WHERE transaction_id = %lld "
	         "ORDER BY serial LIMIT 1", t);
	tu_sql_text(W.clerk, path, number, sizeof number);
	snprintf(path, sizeof path, "見本-20260401 見本区 本庁1 PR001 %06lld", first + 1);
	assert_string_equal(number, path);
	snprintf(path, sizeof path, "SELECT spool_path FROM issuances WHERE transaction_id = %lld "
	         "ORDER BY serial DESC LIMIT 1", t);
	tu_sql_text(W.clerk, path, number, sizeof number);
	assert_true(tu_exists(number));
	assert_non_null(strstr(number, ".spool/見本-20260401_見本区_本庁1_PR001_"));
	tu_sql_text(W.clerk, "SELECT verification_code FROM issuances ORDER BY id DESC LIMIT 1", code_a,
	            sizeof code_a);
	tu_sql_text(W.clerk, "SELECT verification_code FROM issuances ORDER BY id DESC LIMIT 1 OFFSET 1",
	            code_b, sizeof code_b);
	assert_string_not_equal(code_a, code_b);
	/* The row: who, where, what, for whom. */
	assert_int_equal(sqlf("SELECT count(*) FROM issuances WHERE transaction_id = %lld AND "
	                      "user_id = 'clerk1' AND terminal = '本庁1' AND printer = 'PR001' AND "
	                      "place = '見本区' AND cert_type = 'juminhyo' AND items = 'head_rel' AND "
	                      "members = '%lld,%lld' AND whole_household = 1 AND format = 'household' AND "
	                      "pages = 1 AND fee = 300 AND official = 0 AND training = 1 AND "
	                      "requester_category = 'self' AND verification_method = 'photo_id' AND "
	                      "print_status = 'spooled' AND keep_until = '2031-04-01'",
	                      t, W.taro, W.hanako), 2);
	/* The fee went to the transaction. */
	assert_int_equal(sqlf("SELECT fee_total FROM counter_transactions WHERE id = %lld", t), 600);
	assert_int_equal(tu_audit_count(W.clerk, "cert.issue", "ok", idtext(W.taro)), 2);

	/* 個人票 of two members: a copy each. */
	assert_int_equal(cert(W.clerk, &res, &err, "issue", t, "type", "juminhyo", "format", "individual",
	                      NULL), MD_OK);
	md_result_release(&res);
	assert_int_equal(sqlf("SELECT count(*) FROM issuances WHERE transaction_id = %lld AND "
	                      "format = 'individual'", t), 2);
	assert_int_equal(sqlf("SELECT fee_total FROM counter_transactions WHERE id = %lld", t), 1200);
}

static void test_official_and_code_notice(void **state)
{
	struct md_result res;
	struct md_error err;
	long long t;

	(void)state;
	t = tx(W.clerk, "official", W.hanako, 0);
	preview(W.clerk, &res, t, "type", "juminhyo", NULL);
	assert_true(has(&res, "公用"));
	assert_non_null(strstr(res.message, "fee 0 yen"));
	md_result_release(&res);
	assert_int_equal(cert(W.clerk, &res, &err, "issue", t, "type", "juminhyo", NULL), MD_OK);
	md_result_release(&res);
	assert_int_equal(sqlf("SELECT count(*) FROM issuances WHERE transaction_id = %lld AND official = 1 "
	                      "AND fee = 0 AND fee_code = 'official'", t), 1);
	assert_int_equal(sqlf("SELECT fee_total FROM counter_transactions WHERE id = %lld", t), 0);

	/* 住民票コード通知票: the person's own code, free. */
	t = tx(W.clerk, "self", W.taro, W.taro);
	preview(W.clerk, &res, t, "type", "code_notice", NULL);
	assert_true(has(&res, W.juminhyo));
	assert_true(has(&res, "住民票コード通知票"));
	md_result_release(&res);
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "code_notice", "include",
	                      "mynumber", NULL), MD_E_INVALID);
	md_result_release(&res);
	t = tx(W.clerk, "self", W.hanako, W.hanako);
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "code_notice", NULL), MD_E_NOTFOUND);
	md_result_release(&res);
}

static void test_kisai(void **state)
{
	struct md_result res;
	struct md_error err;
	long long t;

	(void)state;
	t = tx(W.clerk, "self", W.taro, W.taro);
	preview(W.clerk, &res, t, "type", "kisai", "items", "name,birth_date,head_rel", NULL);
	assert_true(has(&res, "=== 住民票記載事項証明書 1/1 ==="));
	assert_true(has(&res, "氏名　山田 太郎"));
	assert_true(has(&res, "生年月日　昭和55年3月14日"));
	assert_true(has(&res, "世帯主　山田 太郎　続柄　世帯主"));
	assert_false(has(&res, "住所"));
	assert_false(has(&res, "山田 花子"));
	assert_true(has(&res, "上記の事項は、住民票に記載されていることを証明する。"));
	md_result_release(&res);
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "kisai", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "items");
	md_result_release(&res);
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "juminhyo", "items", "name", NULL),
	                 MD_E_INVALID);
	md_result_release(&res);
}

static void test_inkan_needs_card(void **state)
{
	struct md_result res;
	struct md_error err;
	long long t;

	(void)state;
	t = tx(W.clerk, "self", W.hanako, W.hanako);
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "inkan", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "card_no");
	md_result_release(&res);
	assert_int_equal(cert(W.clerk, &res, &err, "preview", t, "type", "inkan", "card_no", "00000019",
	                      NULL), MD_E_NOTFOUND);
	md_result_release(&res);
}

/* ---- the history: void, verify, summary ------------------------------------------------------ */

static void test_void_verify_summary(void **state)
{
	struct md_result res;
	struct md_error err;
	long long t, id, copies, fees;
	char code[16], lower[16], number[256];

	(void)state;
	t = tx(W.clerk, "self", W.kenichi, W.kenichi);
	assert_int_equal(cert(W.clerk, &res, &err, "issue", t, "type", "juminhyo", "members",
	                      idtext(W.kenichi), NULL), MD_OK);
	md_result_release(&res);
	id = tu_sql_int(W.clerk, "SELECT max(id) FROM issuances");
	tu_sql_text(W.clerk, "SELECT verification_code FROM issuances ORDER BY id DESC LIMIT 1", code,
	            sizeof code);
	tu_sql_text(W.clerk, "SELECT issue_number FROM issuances ORDER BY id DESC LIMIT 1", number,
	            sizeof number);

	/* Verify: found, masked, valid; any case, with a hyphen. */
	for (int i = 0; code[i]; i++)
		lower[i] = (char)(code[i] >= 'A' && code[i] <= 'Z' ? code[i] - 'A' + 'a' : code[i]);
	lower[8] = '\0';
	snprintf(lower + 8, 8, "%s", "");
	{
		char hy[16];
		snprintf(hy, sizeof hy, "%.4s-%.4s", lower, lower + 4);
		assert_int_equal(run(W.clerk, &res, &err, "cert.verify", "code", hy, NULL), MD_OK);
	}
	assert_non_null(strstr(res.message, "valid"));
	assert_non_null(strstr(res.message, "大* 健*"));
	assert_null(strstr(res.message, "健一"));
	assert_int_equal(res.table.nrows, 7);
	assert_string_equal(res.table.rows[4][1], number);
	md_result_release(&res);
	assert_int_equal(run(W.clerk, &res, &err, "cert.verify", "code", "0000-0000", NULL), MD_E_NOTFOUND);
	md_result_release(&res);
	assert_int_equal(run(W.clerk, &res, &err, "cert.verify", "code", "12", NULL), MD_E_INVALID);
	md_result_release(&res);

	/* Void: a supervisor, with a reason, once. */
	assert_int_equal(run(W.clerk, &res, &err, "cert.void", "id", idtext(id), "reason", "印刷ミス",
	                     NULL), MD_E_DENIED);
	md_result_release(&res);
	fees = sqlf("SELECT fee_total FROM counter_transactions WHERE id = %lld", t);
	assert_int_equal(fees, 300);
	assert_int_equal(run(W.sup, &res, &err, "cert.void", "id", idtext(id), "reason", "印刷ミス", NULL),
	                 MD_OK);
	assert_non_null(strstr(res.message, "300 yen refunded"));
	md_result_release(&res);
	/* The voided copy's fee is refunded from its transaction. */
	assert_int_equal(sqlf("SELECT fee_total FROM counter_transactions WHERE id = %lld", t), 0);
	assert_int_equal(run(W.sup, &res, &err, "cert.void", "id", idtext(id), "reason", "again", NULL),
	                 MD_E_CONFLICT);
	md_result_release(&res);
	assert_int_equal(run(W.sup, &res, &err, "cert.void", "id", "999999", "reason", "x", NULL),
	                 MD_E_NOTFOUND);
	md_result_release(&res);
	assert_int_equal(sqlf("SELECT count(*) FROM issuances WHERE id = %lld AND voided_by = "
	                      "'supervisor1' AND void_reason = '印刷ミス' AND voided_at IS NOT NULL", id), 1);
	assert_int_equal(tu_audit_count(W.sup, "cert.void", "ok", idtext(W.kenichi)), 1);
	assert_int_equal(run(W.clerk, &res, &err, "cert.verify", "code", code, NULL), MD_OK);
	assert_non_null(strstr(res.message, "VOIDED"));
	assert_non_null(strstr(res.table.rows[6][1], "印刷ミス"));
	md_result_release(&res);

	/* The summary: issued, voided and net, copies and fees; the net fees
	 * are the cash the counter transactions hold (a void refunds). */
	copies = sqlf("SELECT count(*) FROM issuances WHERE cert_type = 'juminhyo'");
	fees = sqlf("SELECT sum(fee) FROM issuances WHERE voided_at IS NULL");
	assert_int_equal(sqlf("SELECT sum(fee_total) FROM counter_transactions"), fees);
	assert_int_equal(run(W.clerk, &res, &err, "cert.summary", NULL), MD_E_DENIED);
	md_result_release(&res);
	assert_int_equal(run(W.sup, &res, &err, "cert.summary", "date", "R8.4.1", NULL), MD_OK);
	{
		int j = -1, last = res.table.nrows - 1;
		for (int r = 0; r < res.table.nrows; r++)
			if (strcmp(res.table.rows[r][1], "juminhyo") == 0)
				j = r;
		assert_true(j >= 0);
		assert_string_equal(res.table.rows[j][0], W.cfg.terminal_id);
		assert_int_equal(atoll(res.table.rows[j][3]), copies);
		assert_true(atoll(res.table.rows[j][4]) >= 1);
		assert_int_equal(atoll(res.table.rows[j][5]), atoll(res.table.rows[j][3]) - atoll(res.table.rows[j][4]));
		assert_int_equal(atoll(res.table.rows[j][6]), 1);   /* the 公用 copy */
		assert_string_equal(res.table.rows[last][1], "total");
		assert_int_equal(atoll(res.table.rows[last][9]), fees);
		assert_int_equal(atoll(res.table.rows[last][7]) - atoll(res.table.rows[last][8]), fees);
		assert_true(atoll(res.table.rows[last][8]) >= 300);
		assert_non_null(strstr(res.message, "net"));
	}
	md_result_release(&res);
	assert_int_equal(run(W.sup, &res, &err, "cert.summary", "date", "2026-03-31", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_string_equal(res.table.rows[0][3], "0");
	md_result_release(&res);
	assert_int_equal(run(W.sup, &res, &err, "cert.summary", "terminal", "分室2", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_string_equal(res.table.rows[0][3], "0");
	md_result_release(&res);

	/* The history: a person's copies (as member too), the 処分 shown. */
	assert_int_equal(run(W.clerk, &res, &err, "cert.history", "person", idtext(W.kenichi), NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_non_null(strstr(res.table.rows[0][13], "印刷ミス"));
	md_result_release(&res);
	assert_int_equal(run(W.clerk, &res, &err, "cert.history", "person", idtext(W.hanako), NULL), MD_OK);
	assert_int_equal(res.table.nrows, sqlf("SELECT count(*) FROM issuances WHERE ',' || members || ',' "
	                                       "LIKE '%%,%lld,%%'", W.hanako));
	assert_true(res.table.nrows >= 3);
	md_result_release(&res);
	assert_int_equal(run(W.clerk, &res, &err, "cert.history", "terminal", "all", NULL), MD_E_DENIED);
	md_result_release(&res);
	assert_int_equal(run(W.sup, &res, &err, "cert.history", "terminal", "all", "date", "R8.4.1", NULL),
	                 MD_OK);
	assert_int_equal(res.table.nrows, sqlf("SELECT count(*) FROM issuances"));
	md_result_release(&res);
}

/* History rows are kept: no delete, no change but the void mark. */
static void test_history_is_kept(void **state)
{
	sqlite3 *db = md_store_db(W.clerk->store);
	char *msg = NULL;

	(void)state;
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM issuances", NULL, NULL, &msg), SQLITE_OK);
	assert_non_null(strstr(msg, "retention"));
	sqlite3_free(msg);
	msg = NULL;
	assert_int_not_equal(sqlite3_exec(db, "UPDATE issuances SET fee = 0", NULL, NULL, &msg), SQLITE_OK);
	sqlite3_free(msg);
	msg = NULL;
	assert_int_not_equal(sqlite3_exec(db, "UPDATE issuances SET void_reason = 'x', voided_at = 'y', "
	                                      "voided_by = 'z' WHERE voided_at IS NOT NULL", NULL, NULL, &msg),
	                     SQLITE_OK);
	sqlite3_free(msg);
	assert_true(tu_sql_int(W.clerk, "SELECT count(*) FROM issuances") > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_options_per_category),
		cmocka_unit_test(test_items),
		cmocka_unit_test(test_wording),
		cmocka_unit_test(test_mayor_line),
		cmocka_unit_test(test_issue_number),
		cmocka_unit_test(test_vcode),
		cmocka_unit_test(test_gate),
		cmocka_unit_test(test_fees),
		cmocka_unit_test(test_mask_name),
		cmocka_unit_test(test_layouts_parse),
		cmocka_unit_test(test_layout_errors),
		cmocka_unit_test(test_pages_of_layout),
		cmocka_unit_test(test_member_order_and_page_breaks),
		cmocka_unit_test(test_chosen_members),
		cmocka_unit_test(test_omitted_by_default),
		cmocka_unit_test(test_foreign_items),
		cmocka_unit_test(test_third_party),
		cmocka_unit_test(test_questioning_not_enough),
		cmocka_unit_test(test_provisional_and_planned),
		cmocka_unit_test(test_joshu),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_support_measure),
		cmocka_unit_test(test_suppressions),
		cmocka_unit_test(test_issue_serials_and_fees),
		cmocka_unit_test(test_official_and_code_notice),
		cmocka_unit_test(test_kisai),
		cmocka_unit_test(test_inkan_needs_card),
		cmocka_unit_test(test_void_verify_summary),
		cmocka_unit_test(test_history_is_kept),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
