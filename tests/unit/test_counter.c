/* test_counter.c: counter transactions and identity verification
 * (counter.md §1-2): the document rules, each applicant category's rule,
 * nothing of the subject before a verification, 番号確認, close with fees,
 * the 確認通知 of a notification without confirmed identity,
 * md_counter_require_verified, permissions and the audit trail. */
#include "config.h"

#include <stdarg.h>

#define TU_WITH_DB
#include "testutil.h"

#include "audit.h"
#include "cmd.h"
#include "codes.h"
#include "counter.h"
#include "ctx.h"
#include "error.h"
#include "result.h"
#include "settings.h"
#include "store.h"
#include "timeutil.h"

#define PW "demo"
#define ADDR "見本市中央区本町一丁目2番3号"
#define KATA "見本マンション101号"
#define PREV "大阪府大阪市北区梅田一丁目1番1号"
#define HONSEKI "東京都千代田区千代田1番"

struct fx {
	char *dir;
	char *db;
	struct md_settings cfg;
	struct md_ctx *ctx;
	long long head, wife, other;   /* 山田 太郎 and 花子 (one household), 佐藤 一郎 */
	char mn_head[13];              /* 太郎's 個人番号 */
};

/* ---- helpers -------------------------------------------------------------- */

static int mod11(const char *d, int n)
{
	int sum = 0, r;
	for (int k = 1; k <= n; k++)
		sum += (d[n - k] - '0') * (k <= 6 ? k + 1 : k - 5);
	r = sum % 11;
	return r <= 1 ? 0 : 11 - r;
}

/* A valid My Number from 11 digits (out: 13 bytes). */
static const char *mynumber(const char *first11, char *out)
{
	snprintf(out, 13, "%s%d", first11, mod11(first11, 11));
	return out;
}

/* Runs a command with key/value pairs (NULL-terminated). */
static int runv(struct md_ctx *c, struct md_error *err, struct md_result *res, const char *name,
                va_list ap)
{
	struct md_args a;
	struct md_result own;
	const char *k;
	int rc;

	md_args_init(&a);
	while ((k = va_arg(ap, const char *)) != NULL) {
		const char *v = va_arg(ap, const char *);
		assert_int_equal(md_args_set(&a, k, v), 0);
	}
	md_result_init(res ? res : &own);
	rc = md_cmd_exec(c, name, &a, res ? res : &own, err);
	if (!res)
		md_result_release(&own);
	return rc;
}

static int run(struct md_ctx *c, struct md_error *err, const char *name, ...)
{
	va_list ap;
	int rc;
	va_start(ap, name);
	rc = runv(c, err, NULL, name, ap);
	va_end(ap);
	return rc;
}

static int run_res(struct md_ctx *c, struct md_error *err, struct md_result *res, const char *name, ...)
{
	va_list ap;
	int rc;
	va_start(ap, name);
	rc = runv(c, err, res, name, ap);
	va_end(ap);
	return rc;
}

#define OK(c, ...) \
	do { \
		struct md_error e_; \
		int rc_ = run((c), &e_, __VA_ARGS__, NULL); \
		if (rc_ != MD_OK) \
			print_error("%s:%d: %s\n", __FILE__, __LINE__, e_.msg); \
		assert_int_equal(rc_, MD_OK); \
	} while (0)

/* A command that must fail with code and a message containing needle. */
#define FAILS(c, code, needle, ...) \
	do { \
		struct md_error e_; \
		int rc_ = run((c), &e_, __VA_ARGS__, NULL); \
		if (rc_ != (code) || !strstr(e_.msg, (needle))) \
			print_error("%s:%d: rc %d \"%s\", wanted %d with \"%s\"\n", __FILE__, __LINE__, rc_, \
			            e_.msg, (code), (needle)); \
		assert_int_equal(rc_, (code)); \
		assert_non_null(strstr(e_.msg, (needle))); \
	} while (0)

static void login(struct md_ctx *c, const char *user)
{
	struct md_error err;
	int rc;
	if (c->session)
		assert_int_equal(run(c, &err, "logout", NULL), MD_OK);
	rc = run(c, &err, "login", "user", user, "password", PW, NULL);
	if (rc != MD_OK)
		print_error("login %s: %s\n", user, err.msg);
	assert_int_equal(rc, MD_OK);
}

static char *num(char *buf, long long n)
{
	snprintf(buf, 24, "%lld", n);
	return buf;
}

/* A cell of a result table by row and (translated = English) column name. */
static const char *cell(const struct md_result *res, int row, const char *col)
{
	assert_true(row < res->table.nrows);
	for (int c = 0; c < res->table.ncols; c++)
		if (strcmp(res->table.cols[c], col) == 0)
			return res->table.rows[row][c];
	print_error("no column %s\n", col);
	fail();
	return NULL;
}

/* The value of an item of a two-column item/value table. */
static const char *item(const struct md_result *res, const char *name)
{
	for (int r = 0; r < res->table.nrows; r++)
		if (strcmp(res->table.rows[r][0], name) == 0)
			return res->table.rows[r][1];
	print_error("no item %s\n", name);
	fail();
	return NULL;
}

/* counter.open; returns the transaction id from the result table. */
static long long open_tx(struct md_ctx *c, const char *request)
{
	struct md_result res;
	struct md_error err;
	long long id;
	int rc = run_res(c, &err, &res, "counter.open", "request", request, NULL);
	if (rc != MD_OK)
		print_error("counter.open: %s\n", err.msg);
	assert_int_equal(rc, MD_OK);
	assert_int_equal(res.table.nrows, 1);
	id = atoll(cell(&res, 0, "transaction"));
	assert_true(id > 0);
	assert_int_equal(tu_sqlf_int(c, "SELECT max(id) FROM counter_transactions"), id);
	md_result_release(&res);
	return id;
}

/* A 本人 verified with a driving licence whose photo matched. */
static void verify_self(struct md_ctx *c, long long tx)
{
	char t[24];
	OK(c, "counter.verify", "transaction", num(t, tx), "category", "self", "applicant_name", "山田 太郎",
	   "documents", "driver_license", "photo_matched", "1");
}

static void set_subject(struct md_ctx *c, long long tx, long long person, long long applicant)
{
	char t[24], p[24], a[24];
	if (applicant)
		OK(c, "counter.subject", "transaction", num(t, tx), "person", num(p, person),
		   "applicant_person", num(a, applicant));
	else
		OK(c, "counter.subject", "transaction", num(t, tx), "person", num(p, person));
}

static const char *tx_text(struct md_ctx *c, long long tx, const char *column, char *buf, size_t n)
{
	tu_sqlf_text(c, buf, n, "SELECT coalesce(%s, '') FROM counter_transactions WHERE id = %lld", column, tx);
	return buf;
}

static const char *ver_text(struct md_ctx *c, long long tx, const char *column, char *buf, size_t n)
{
	tu_sqlf_text(c, buf, n,
	          "SELECT coalesce(%s, '') FROM verifications WHERE transaction_id = %lld ORDER BY id DESC "
	          "LIMIT 1", column, tx);
	return buf;
}

static long long ver_count(struct md_ctx *c, long long tx)
{
	return tu_sqlf_int(c, "SELECT count(*) FROM verifications WHERE transaction_id = %lld", tx);
}

/* ---- fixtures ------------------------------------------------------------- */

static void save_and_approve(struct md_ctx *c, const char *const *items)
{
	struct md_args a;
	struct md_result res;
	struct md_error err;
	char keys[40][64];
	char ids[24];
	int rc, n = 0;

	md_args_init(&a);
	for (int i = 0; items[i]; i++, n++) {
		const char *eq = strchr(items[i], '=');
		assert_non_null(eq);
		snprintf(keys[n], sizeof keys[n], "%.*s", (int)(eq - items[i]), items[i]);
		assert_int_equal(md_args_set(&a, keys[n], eq + 1), 0);
	}
	login(c, "clerk1");
	md_result_init(&res);
	rc = md_cmd_exec(c, "change.save", &a, &res, &err);
	if (rc != MD_OK) {
		print_error("change.save: %s\n", err.msg);
		for (int r = 0; r < res.table.nrows; r++)
			print_error("  %s\n", res.table.rows[r][res.table.ncols - 1]);
	}
	assert_int_equal(rc, MD_OK);
	md_result_release(&res);
	login(c, "supervisor1");
	rc = run(c, &err, "change.approve", "id", num(ids, tu_sql_int(c, "SELECT max(id) FROM changes")),
	         NULL);
	if (rc != MD_OK)
		print_error("change.approve: %s\n", err.msg);
	assert_int_equal(rc, MD_OK);
}

static int group_setup(void **state)
{
	(void)state;
	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	return 0;
}

/* Two households: 山田 太郎 (with a 個人番号) and 花子; 佐藤 一郎 alone.
 * clerk1 is logged in at the end. */
static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char d[11], mn[40], ev[40];
	if (!f || !(f->dir = tu_tmpdir()))
		return -1;
	md_time_set(tu_day(0));
	md_settings_defaults(&f->cfg);
	f->db = tu_create_db(f->dir, "t.db", &f->cfg, MD_DB_TRAINING);
	f->ctx = tu_open(&f->cfg, f->db, MD_DB_TRAINING);
	tu_date(-10, d);
	snprintf(ev, sizeof ev, "event_date=%s", d);
	mynumber("73519046282", f->mn_head);
	snprintf(mn, sizeof mn, "p1.mynumber=%s", f->mn_head);
	{
		const char *const items[] = {
			"type=move_in", ev, "address=" ADDR, "katagaki=" KATA, "postal_code=1000001",
			"previous_address=" PREV,
			"p1.relationship=世帯主", "p1.surname=山田", "p1.given_name=太郎", "p1.surname_kana=ヤマダ",
			"p1.given_name_kana=タロウ", "p1.birth_date=1980-03-14", "p1.sex=男",
			"p1.honseki=" HONSEKI, "p1.hittosha=山田 太郎", mn,
			"p2.relationship=妻", "p2.surname=山田", "p2.given_name=花子", "p2.surname_kana=ヤマダ",
			"p2.given_name_kana=ハナコ", "p2.birth_date=1982-05-01", "p2.sex=女",
			"p2.honseki=" HONSEKI, "p2.hittosha=山田 太郎", NULL
		};
		save_and_approve(f->ctx, items);
	}
	{
		const char *const items[] = {
			"type=move_in", ev, "address=見本市中央区本町二丁目5番1号", "postal_code=1000002",
			"previous_address=" PREV,
			"p1.relationship=世帯主", "p1.surname=佐藤", "p1.given_name=一郎", "p1.surname_kana=サトウ",
			"p1.given_name_kana=イチロウ", "p1.birth_date=1975-11-02", "p1.sex=男",
			"p1.honseki=" HONSEKI, "p1.hittosha=佐藤 一郎", NULL
		};
		save_and_approve(f->ctx, items);
	}
	f->head = tu_sql_int(f->ctx, "SELECT id FROM persons WHERE surname = '山田' AND given_name = '太郎'");
	f->wife = tu_sql_int(f->ctx, "SELECT id FROM persons WHERE surname = '山田' AND given_name = '花子'");
	f->other = tu_sql_int(f->ctx, "SELECT id FROM persons WHERE surname = '佐藤'");
	assert_true(f->head > 0 && f->wife > 0 && f->other > 0);
	assert_int_equal(tu_sqlf_int(f->ctx, "SELECT household_id FROM persons WHERE id = %lld", f->head),
	                 tu_sqlf_int(f->ctx, "SELECT household_id FROM persons WHERE id = %lld", f->wife));
	assert_true(tu_sqlf_int(f->ctx, "SELECT household_id FROM persons WHERE id = %lld", f->head) !=
	            tu_sqlf_int(f->ctx, "SELECT household_id FROM persons WHERE id = %lld", f->other));
	login(f->ctx, "clerk1");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	md_ctx_free(&f->ctx);
	tu_rmdir(f->dir);
	free(f->db);
	free(f);
	md_time_set(0);
	return 0;
}

/* ---- the data file -------------------------------------------------------- */

static void test_documents_file(void **state)
{
	struct md_error err;
	const struct md_tsv *t = md_counter_documents(&err);
	int photo = 0, second = 0, card = 0;
	(void)state;

	assert_non_null(t);
	assert_int_equal(t->ncols, 3);
	assert_string_equal(t->cols[0], "code");
	assert_string_equal(t->cols[1], "name");
	assert_string_equal(t->cols[2], "group");
	for (int r = 0; r < t->nrows; r++) {
		const char *g = md_tsv_get(t, r, "group");
		photo += strcmp(g, "photo") == 0;
		second += strcmp(g, "second") == 0;
		card += strcmp(g, "notification_card") == 0;
		assert_true(strcmp(g, "photo") == 0 || strcmp(g, "second") == 0 ||
		            strcmp(g, "notification_card") == 0);
		assert_int_equal(md_tsv_find(t, "code", md_tsv_get(t, r, "code")), r);   /* unique */
		assert_true(*md_tsv_get(t, r, "name"));
	}
	assert_true(photo >= 8);
	assert_true(second >= 7);
	assert_int_equal(card, 1);
	/* The documents counter.md names, each in its group. */
	assert_string_equal(md_tsv_get(t, md_tsv_find(t, "name", "個人番号カード"), "group"), "photo");
	assert_string_equal(md_tsv_get(t, md_tsv_find(t, "name", "運転免許証"), "group"), "photo");
	assert_string_equal(md_tsv_get(t, md_tsv_find(t, "name", "旅券"), "group"), "photo");
	assert_string_equal(md_tsv_get(t, md_tsv_find(t, "name", "在留カード"), "group"), "photo");
	assert_string_equal(md_tsv_get(t, md_tsv_find(t, "name", "健康保険証"), "group"), "second");
	assert_string_equal(md_tsv_get(t, md_tsv_find(t, "name", "年金手帳"), "group"), "second");
	assert_string_equal(md_tsv_get(t, md_tsv_find(t, "name", "通知カード"), "group"), "notification_card");
	/* Parsed once. */
	assert_ptr_equal(md_counter_documents(&err), t);
}

/* ---- the document rules --------------------------------------------------- */

static void test_decide_rules(void **state)
{
	struct md_counter_method m;
	struct md_error err;
	(void)state;

	/* One photo ID, photo matched. */
	assert_int_equal(md_counter_decide("passport", 1, 0, &m, &err), MD_OK);
	assert_string_equal(m.method, "photo_id");
	assert_string_equal(m.outcome, "verified");
	assert_string_equal(m.names, "旅券");
	/* The photo not matched: not enough, and the message says why. */
	assert_int_equal(md_counter_decide("passport", 0, 0, &m, &err), MD_E_DENIED);
	assert_string_equal(err.field, "documents");
	assert_non_null(strstr(err.msg, "the photo on 旅券 was not matched"));
	assert_string_equal(m.method, "");
	/* Two of the second group, spaces ignored, order kept. */
	assert_int_equal(md_counter_decide(" pension_book , health_insurance ", 0, 0, &m, &err), MD_OK);
	assert_string_equal(m.method, "two_documents");
	assert_string_equal(m.documents, "pension_book,health_insurance");
	assert_string_equal(m.names, "年金手帳、健康保険証");
	/* One is not enough. */
	assert_int_equal(md_counter_decide("health_insurance", 0, 0, &m, &err), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "only one document of the second group (健康保険証)"));
	/* The 通知カード alone, and with another. */
	assert_int_equal(md_counter_decide("notification_card", 0, 0, &m, &err), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "通知カード counts only together with another document"));
	assert_int_equal(md_counter_decide("notification_card,cash_card", 0, 0, &m, &err), MD_OK);
	assert_string_equal(m.method, "two_documents");
	/* Nothing at all; then questioning. */
	assert_int_equal(md_counter_decide(NULL, 0, 0, &m, &err), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "no document was given"));
	assert_non_null(strstr(err.msg, "運転免許証"));       /* examples from the data file */
	assert_int_equal(md_counter_decide("", 0, 1, &m, &err), MD_OK);
	assert_string_equal(m.method, "questioning");
	assert_string_equal(m.outcome, "not_verified");
	assert_int_equal(md_counter_decide("notification_card", 0, 1, &m, &err), MD_OK);
	assert_string_equal(m.method, "questioning");
	/* Enough documents: questioning is not needed. */
	assert_int_equal(md_counter_decide("mynumber_card", 1, 1, &m, &err), MD_OK);
	assert_string_equal(m.method, "photo_id");
	/* Bad codes. */
	assert_int_equal(md_counter_decide("driver_licence", 1, 0, &m, &err), MD_E_INVALID);
	assert_non_null(strstr(err.msg, "unknown document code \"driver_licence\""));
	assert_int_equal(md_counter_decide("bankbook,bankbook", 0, 0, &m, &err), MD_E_INVALID);
	assert_non_null(strstr(err.msg, "bankbook (預金通帳) is given twice"));
}

static void test_verify_photo_id(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_result res;
	struct md_error err;
	long long tx = open_tx(c, "certificate");
	char t[24], buf[128];

	assert_string_equal(tx_text(c, tx, "status", buf, sizeof buf), "open");
	assert_int_equal(run_res(c, &err, &res, "counter.verify", "transaction", num(t, tx), "category",
	                         "self", "applicant_name", "山田 太郎", "documents", "driver_license",
	                         "photo_matched", "1", NULL), MD_OK);
	assert_string_equal(cell(&res, 0, "method"), "photo_id");
	assert_string_equal(cell(&res, 0, "outcome"), "verified");
	assert_string_equal(cell(&res, 0, "category"), "本人");
	assert_non_null(strstr(res.message, "本人 verified by one photo ID (運転免許証)"));
	md_result_release(&res);
	assert_string_equal(tx_text(c, tx, "status", buf, sizeof buf), "verified");
	assert_string_equal(tx_text(c, tx, "applicant_category", buf, sizeof buf), "self");
	assert_string_equal(tx_text(c, tx, "applicant_name", buf, sizeof buf), "山田 太郎");
	/* The record: category, name, documents, photo, method, outcome, clerk, time. */
	assert_string_equal(ver_text(c, tx, "applicant_category", buf, sizeof buf), "self");
	assert_string_equal(ver_text(c, tx, "applicant_name", buf, sizeof buf), "山田 太郎");
	assert_string_equal(ver_text(c, tx, "documents", buf, sizeof buf), "driver_license");
	assert_string_equal(ver_text(c, tx, "photo_matched", buf, sizeof buf), "1");
	assert_string_equal(ver_text(c, tx, "method", buf, sizeof buf), "photo_id");
	assert_string_equal(ver_text(c, tx, "outcome", buf, sizeof buf), "verified");
	assert_string_equal(ver_text(c, tx, "clerk", buf, sizeof buf), "clerk1");
	assert_string_equal(ver_text(c, tx, "at", buf, sizeof buf), "2026-04-01T03:00:00Z");
	assert_string_equal(ver_text(c, tx, "mynumber_check", buf, sizeof buf), "");

	/* A photo ID whose photo was not matched records nothing. */
	tx = open_tx(c, "certificate");
	FAILS(c, MD_E_DENIED, "was not matched", "counter.verify", "transaction", num(t, tx), "category",
	      "self", "applicant_name", "山田 太郎", "documents", "driver_license");
	assert_int_equal(ver_count(c, tx), 0);
	assert_string_equal(tx_text(c, tx, "status", buf, sizeof buf), "open");
}

static void test_verify_two_documents(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	long long tx = open_tx(c, "certificate");
	char t[24], buf[128];

	num(t, tx);
	FAILS(c, MD_E_DENIED, "only one document of the second group (年金証書)", "counter.verify",
	      "transaction", t, "category", "self", "applicant_name", "山田 太郎", "documents",
	      "pension_certificate");
	assert_int_equal(ver_count(c, tx), 0);
	OK(c, "counter.verify", "transaction", t, "category", "self", "applicant_name", "山田 太郎",
	   "documents", "pension_certificate,employee_id");
	assert_string_equal(ver_text(c, tx, "method", buf, sizeof buf), "two_documents");
	assert_string_equal(ver_text(c, tx, "outcome", buf, sizeof buf), "verified");
	assert_string_equal(ver_text(c, tx, "documents", buf, sizeof buf), "pension_certificate,employee_id");
	assert_string_equal(ver_text(c, tx, "photo_matched", buf, sizeof buf), "0");
	assert_string_equal(tx_text(c, tx, "status", buf, sizeof buf), "verified");
}

static void test_verify_notification_card(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	long long tx = open_tx(c, "certificate");
	char t[24], buf[128];

	num(t, tx);
	FAILS(c, MD_E_DENIED, "通知カード counts only together with another document", "counter.verify",
	      "transaction", t, "category", "self", "applicant_name", "山田 太郎", "documents",
	      "notification_card");
	assert_int_equal(ver_count(c, tx), 0);
	OK(c, "counter.verify", "transaction", t, "category", "self", "applicant_name", "山田 太郎",
	   "documents", "notification_card,health_insurance");
	assert_string_equal(ver_text(c, tx, "method", buf, sizeof buf), "two_documents");
	assert_string_equal(ver_text(c, tx, "documents", buf, sizeof buf), "notification_card,health_insurance");
}

static void test_verify_questioning(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_result res;
	struct md_error err;
	long long tx = open_tx(c, "notification");
	char t[24], buf[128];

	num(t, tx);
	FAILS(c, MD_E_DENIED, "no document was given", "counter.verify", "transaction", t, "category",
	      "self", "applicant_name", "山田 太郎");
	assert_int_equal(run_res(c, &err, &res, "counter.verify", "transaction", t, "category", "self",
	                         "applicant_name", "山田 太郎", "documents", "health_insurance",
	                         "questioning", "1", NULL), MD_OK);
	assert_non_null(strstr(res.message, "recorded by questioning (聞き取り): identity not verified"));
	assert_string_equal(cell(&res, 0, "outcome"), "not_verified");
	md_result_release(&res);
	assert_string_equal(ver_text(c, tx, "method", buf, sizeof buf), "questioning");
	assert_string_equal(ver_text(c, tx, "outcome", buf, sizeof buf), "not_verified");
	assert_string_equal(ver_text(c, tx, "documents", buf, sizeof buf), "health_insurance");
	/* Recorded, but the transaction is not verified. */
	assert_string_equal(tx_text(c, tx, "status", buf, sizeof buf), "open");

	/* Input errors. */
	FAILS(c, MD_E_INVALID, "unknown document code \"licence\"", "counter.verify", "transaction", t,
	      "category", "self", "applicant_name", "山田 太郎", "documents", "licence", "photo_matched", "1");
	FAILS(c, MD_E_INVALID, "category must be self, household", "counter.verify", "transaction", t,
	      "category", "friend", "applicant_name", "山田 太郎", "documents", "passport", "photo_matched",
	      "1");
	FAILS(c, MD_E_INVALID, "applicant_name is missing", "counter.verify", "transaction", t, "category",
	      "self", "documents", "passport", "photo_matched", "1");
	FAILS(c, MD_E_NOTFOUND, "no counter transaction 999", "counter.verify", "transaction", "999",
	      "category", "self", "applicant_name", "山田 太郎", "documents", "passport", "photo_matched",
	      "1");
	assert_int_equal(ver_count(c, tx), 1);
}

/* ---- the categories ------------------------------------------------------- */

static void test_agent_needs_letter(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	long long tx = open_tx(c, "certificate");
	char t[24], buf[128];

	num(t, tx);
	FAILS(c, MD_E_DENIED, "代理人: a 委任状 (letter of authority) is required", "counter.verify",
	      "transaction", t, "category", "agent", "applicant_name", "鈴木 次郎", "documents", "passport",
	      "photo_matched", "1");
	assert_int_equal(ver_count(c, tx), 0);
	assert_int_equal(tu_audit_count(c, "counter.verify", "denied", NULL), 1);
	/* The Japanese term is accepted too. */
	OK(c, "counter.verify", "transaction", t, "category", "代理人", "applicant_name", "鈴木 次郎",
	   "documents", "passport", "photo_matched", "1", "letter_of_authority", "1");
	assert_string_equal(ver_text(c, tx, "applicant_category", buf, sizeof buf), "agent");
	assert_string_equal(tx_text(c, tx, "letter_of_authority", buf, sizeof buf), "1");
	assert_string_equal(tx_text(c, tx, "status", buf, sizeof buf), "verified");
	/* An agent names no applicant_person. */
	FAILS(c, MD_E_INVALID, "applicant_person applies to 本人 and 同一世帯員 only", "counter.subject",
	      "transaction", t, "person", num(buf, f->head), "applicant_person", "1");
	set_subject(c, tx, f->head, 0);
	assert_int_equal(tu_sqlf_int(c, "SELECT subject_person FROM counter_transactions WHERE id = %lld", tx),
	                 f->head);
}

static void test_third_party_official_professional(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	long long tx = open_tx(c, "certificate");
	char t[24], buf[300];

	num(t, tx);
	FAILS(c, MD_E_DENIED, "第三者: the purpose of the request is required", "counter.verify",
	      "transaction", t, "category", "third_party", "applicant_name", "債権 回収", "documents",
	      "driver_license", "photo_matched", "1");
	OK(c, "counter.verify", "transaction", t, "category", "third_party", "applicant_name", "債権 回収",
	   "documents", "driver_license", "photo_matched", "1", "purpose", "貸金返還請求のため（契約書あり）");
	assert_string_equal(tx_text(c, tx, "purpose", buf, sizeof buf), "貸金返還請求のため（契約書あり）");
	assert_string_equal(tx_text(c, tx, "applicant_category", buf, sizeof buf), "third_party");

	/* 職務上請求: a purpose with the registration number; no 委任状. */
	tx = open_tx(c, "certificate");
	num(t, tx);
	FAILS(c, MD_E_DENIED, "職務上請求: give the purpose and the professional's registration number",
	      "counter.verify", "transaction", t, "category", "professional", "applicant_name", "弁護 士郎",
	      "documents", "official_id_photo", "photo_matched", "1");
	FAILS(c, MD_E_DENIED, "registration number (登録番号)", "counter.verify", "transaction", t,
	      "category", "professional", "applicant_name", "弁護 士郎", "documents", "official_id_photo",
	      "photo_matched", "1", "purpose", "訴訟のため");
	OK(c, "counter.verify", "transaction", t, "category", "職務上請求", "applicant_name", "弁護 士郎",
	   "documents", "official_id_photo", "photo_matched", "1", "purpose",
	   "訴訟のため 弁護士登録番号１２３４５");
	assert_string_equal(ver_text(c, tx, "applicant_category", buf, sizeof buf), "professional");
	assert_string_equal(tx_text(c, tx, "letter_of_authority", buf, sizeof buf), "0");

	/* 公用: no 委任状, no purpose needed. */
	tx = open_tx(c, "certificate");
	OK(c, "counter.verify", "transaction", num(t, tx), "category", "official", "applicant_name",
	   "見本市 職員", "documents", "official_id_photo", "photo_matched", "1");
	assert_string_equal(tx_text(c, tx, "status", buf, sizeof buf), "verified");
	set_subject(c, tx, f->other, 0);
}

/* ---- the subject ---------------------------------------------------------- */

static void test_subject_before_verification(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_counter_state st;
	struct md_error err;
	long long tx = open_tx(c, "certificate");
	char t[24], p[24], a[24], subj[24];

	FAILS(c, MD_E_DENIED, "nothing of the subject is shown before the identity verification",
	      "counter.subject", "transaction", num(t, tx), "person", num(p, f->head), "applicant_person",
	      num(a, f->head));
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM counter_transactions WHERE subject_person "
	                             "IS NOT NULL"), 0);
	assert_int_equal(tu_audit_count(c, "counter.subject", "denied", num(subj, f->head)), 1);
	assert_int_equal(md_counter_require_verified(c, tx, 1, &st, &err), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "no identity verification (本人確認) is recorded"));
	/* 番号確認 needs a verification too. */
	FAILS(c, MD_E_DENIED, "番号確認 comes after the identity verification", "counter.mynumber_check",
	      "transaction", t, "mynumber", f->mn_head, "name", "山田 太郎", "birth_date", "1980-03-14");
	/* After it, the subject is set. */
	verify_self(c, tx);
	FAILS(c, MD_E_NOTFOUND, "no person with 宛名番号 99999", "counter.subject", "transaction", t,
	      "person", "99999", "applicant_person", "99999");
	set_subject(c, tx, f->head, f->head);
	assert_int_equal(tu_sqlf_int(c, "SELECT subject_person FROM counter_transactions WHERE id = %lld", tx),
	                 f->head);
	assert_int_equal(tu_audit_count(c, "counter.subject", "ok", subj), 1);
}

static void test_self_must_be_subject(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_result res;
	struct md_error err;
	long long tx = open_tx(c, "certificate");
	char t[24], p[24], a[24];

	verify_self(c, tx);
	num(t, tx);
	FAILS(c, MD_E_INVALID, "本人: give the applicant's own 宛名番号 (applicant_person)",
	      "counter.subject", "transaction", t, "person", num(p, f->head));
	FAILS(c, MD_E_DENIED, "本人: the applicant", "counter.subject", "transaction", t, "person",
	      num(p, f->head), "applicant_person", num(a, f->wife));
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM counter_transactions WHERE id = %lld AND "
	                             "subject_person IS NULL", tx), 1);
	assert_int_equal(run_res(c, &err, &res, "counter.subject", "transaction", t, "person",
	                         num(p, f->head), "applicant_person", num(a, f->head), NULL), MD_OK);
	assert_non_null(strstr(res.message, "subject 宛名番号"));
	assert_non_null(strstr(res.message, "(山田 太郎)"));
	md_result_release(&res);
	assert_int_equal(tu_sqlf_int(c, "SELECT applicant_person FROM counter_transactions WHERE id = %lld", tx),
	                 f->head);
}

static void test_household_member(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	long long tx = open_tx(c, "certificate");
	char t[24], p[24], a[24];

	num(t, tx);
	OK(c, "counter.verify", "transaction", t, "category", "household", "applicant_name", "山田 花子",
	   "documents", "mynumber_card", "photo_matched", "1");
	FAILS(c, MD_E_INVALID, "同一世帯員: give the applicant's own 宛名番号", "counter.subject",
	      "transaction", t, "person", num(p, f->head));
	/* 佐藤 is not in 山田's household. */
	FAILS(c, MD_E_DENIED, "is not in the subject's household", "counter.subject", "transaction", t,
	      "person", num(p, f->head), "applicant_person", num(a, f->other));
	set_subject(c, tx, f->head, f->wife);
	assert_int_equal(tu_sqlf_int(c, "SELECT subject_person FROM counter_transactions WHERE id = %lld", tx),
	                 f->head);

	/* A member who has moved out (removal date passed) no longer counts. */
	tu_sql_exec(c, "UPDATE persons SET status = 'moved_out', removal_date = '2026-03-30' "
	               "WHERE surname = '山田' AND given_name = '花子'");
	tx = open_tx(c, "certificate");
	num(t, tx);
	OK(c, "counter.verify", "transaction", t, "category", "household", "applicant_name", "山田 花子",
	   "documents", "mynumber_card", "photo_matched", "1");
	FAILS(c, MD_E_DENIED, "does not live here", "counter.subject", "transaction", t, "person",
	      num(p, f->head), "applicant_person", num(a, f->wife));
	/* A planned move-out (date still ahead) still lives here. */
	tu_sql_exec(c, "UPDATE persons SET removal_date = '2026-04-20' "
	               "WHERE surname = '山田' AND given_name = '花子'");
	set_subject(c, tx, f->head, f->wife);
}

static void test_subject_protection(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	long long tx;
	char t[24], p[24];

	login(c, "supervisor1");
	OK(c, "suppression.set", "person", num(p, f->other), "operation", "lookup", "mode", "alert",
	   "reason", "照会に注意");
	login(c, "clerk1");
	tx = open_tx(c, "certificate");
	num(t, tx);
	OK(c, "counter.verify", "transaction", t, "category", "official", "applicant_name", "見本市 職員",
	   "documents", "official_id_photo", "photo_matched", "1");
	FAILS(c, MD_E_CONFLICT, "Acknowledge to continue (ack)", "counter.subject", "transaction", t,
	      "person", p);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM counter_transactions WHERE id = %lld AND "
	                             "subject_person IS NULL", tx), 1);
	OK(c, "counter.subject", "transaction", t, "person", p, "ack", "1");

	login(c, "supervisor1");
	OK(c, "suppression.set", "person", p, "operation", "lookup", "mode", "error", "reason", "照会停止");
	login(c, "clerk1");
	tx = open_tx(c, "certificate");
	num(t, tx);
	OK(c, "counter.verify", "transaction", t, "category", "official", "applicant_name", "見本市 職員",
	   "documents", "official_id_photo", "photo_matched", "1");
	FAILS(c, MD_E_DENIED, "照会停止", "counter.subject", "transaction", t, "person", p, "ack", "1");
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM counter_transactions WHERE id = %lld AND "
	                             "subject_person IS NULL", tx), 1);
}

/* ---- 番号確認 ------------------------------------------------------------- */

static void test_mynumber_check(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_counter_state st;
	struct md_error err;
	long long tx = open_tx(c, "certificate");
	char t[24], buf[128], wrong[13], sql[256];
	const char *const numbers[3] = { f->mn_head, wrong, "12345678901" };

	mynumber("28461937055", wrong);
	num(t, tx);
	verify_self(c, tx);
	FAILS(c, MD_E_INVALID, "番号確認: set the subject first", "counter.mynumber_check", "transaction", t,
	      "mynumber", f->mn_head, "name", "山田 太郎", "birth_date", "1980-03-14");
	set_subject(c, tx, f->head, f->head);
	/* Not a valid number: refused, nothing recorded. */
	FAILS(c, MD_E_INVALID, "個人番号:", "counter.mynumber_check", "transaction", t, "mynumber",
	      "12345678901", "name", "山田 太郎", "birth_date", "1980-03-14");
	assert_string_equal(ver_text(c, tx, "mynumber_check", buf, sizeof buf), "");
	assert_int_equal(tu_audit_count(c, "counter.mynumber_check", "failed", NULL), 2);

	/* A match. */
	OK(c, "counter.mynumber_check", "transaction", t, "mynumber", f->mn_head, "name", "山田 太郎", "birth_date", "1980-03-14");
	assert_string_equal(ver_text(c, tx, "mynumber_check", buf, sizeof buf), "match");
	assert_int_equal(md_counter_require_verified(c, tx, 0, &st, &err), MD_OK);

	/* A mismatch blocks, and is recorded. */
	FAILS(c, MD_E_DENIED, "番号確認: what the card shows differs from the registry in 個人番号: verify again",
	      "counter.mynumber_check", "transaction", t, "mynumber", wrong, "name", "山田 太郎", "birth_date", "1980-03-14");
	assert_string_equal(ver_text(c, tx, "mynumber_check", buf, sizeof buf), "mismatch");
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM audit_log WHERE function = "
	                             "'counter.mynumber_check' AND outcome = 'denied' AND mynumber = 1"), 1);
	assert_int_equal(md_counter_require_verified(c, tx, 1, &st, &err), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "番号確認 did not match the registry: verify again"));

	/* Verifying again clears the subject; then it all works again. */
	verify_self(c, tx);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM counter_transactions WHERE id = %lld AND "
	                             "subject_person IS NULL", tx), 1);
	set_subject(c, tx, f->head, f->head);
	assert_int_equal(md_counter_require_verified(c, tx, 0, &st, &err), MD_OK);
	OK(c, "counter.mynumber_check", "transaction", t, "mynumber", f->mn_head, "name", "山田 太郎", "birth_date", "1980-03-14");

	/* The card's three items: a name or a date of birth that differs is a
	 * mismatch too, and the message says which; the name is compared
	 * without spaces, in any era form of the date. */
	OK(c, "counter.mynumber_check", "transaction", t, "mynumber", f->mn_head, "name", "山田太郎",
	   "birth_date", "昭和55年3月14日");
	FAILS(c, MD_E_DENIED, "differs from the registry in 氏名: verify again", "counter.mynumber_check",
	      "transaction", t, "mynumber", f->mn_head, "name", "山田 次郎", "birth_date", "1980-03-14");
	assert_string_equal(ver_text(c, tx, "mynumber_check", buf, sizeof buf), "mismatch");
	assert_int_equal(md_counter_require_verified(c, tx, 0, &st, &err), MD_E_DENIED);
	verify_self(c, tx);
	set_subject(c, tx, f->head, f->head);
	FAILS(c, MD_E_DENIED, "differs from the registry in 生年月日", "counter.mynumber_check",
	      "transaction", t, "mynumber", f->mn_head, "name", "山田 太郎", "birth_date", "1980-03-15");
	FAILS(c, MD_E_DENIED, "differs from the registry in 個人番号、氏名、生年月日", "counter.mynumber_check",
	      "transaction", t, "mynumber", wrong, "name", "佐藤 一郎", "birth_date", "1975-11-02");
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM audit_log WHERE function = 'counter.mynumber_check' "
	                             "AND outcome = 'denied' AND detail LIKE '%%differs=mynumber,name,birth_date%%'"), 1);
	FAILS(c, MD_E_INVALID, "give the 生年月日 as it is on the card", "counter.mynumber_check",
	      "transaction", t, "mynumber", f->mn_head, "name", "山田 太郎", "birth_date", "昭和55年");
	FAILS(c, MD_E_INVALID, "name is missing", "counter.mynumber_check",
	      "transaction", t, "mynumber", f->mn_head, "birth_date", "1980-03-14");
	verify_self(c, tx);
	set_subject(c, tx, f->head, f->head);

	/* A person with no number in the registry: not confirmed. */
	tx = open_tx(c, "certificate");
	num(t, tx);
	OK(c, "counter.verify", "transaction", t, "category", "self", "applicant_name", "佐藤 一郎",
	   "documents", "passport", "photo_matched", "1");
	set_subject(c, tx, f->other, f->other);
	FAILS(c, MD_E_DENIED, "the registry holds no 個人番号", "counter.mynumber_check", "transaction", t,
	      "mynumber", f->mn_head, "name", "佐藤 一郎", "birth_date", "1975-11-02");
	assert_string_equal(ver_text(c, tx, "mynumber_check", buf, sizeof buf), "mismatch");

	/* The numbers are never logged or stored in clear, in whole or in part. */
	assert_int_equal(tu_audit_count(c, "counter.mynumber_check", NULL, NULL), 11);
	for (int i = 0; i < 3; i++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE instr(coalesce(detail, '') || "
		         "action || coalesce(subject, '') || outcome, '%.8s') > 0", numbers[i] + 4);
		assert_int_equal(tu_sql_int(c, sql), 0);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM verifications WHERE instr(documents || "
		         "coalesce(mynumber_check, ''), '%.8s') > 0", numbers[i] + 4);
		assert_int_equal(tu_sql_int(c, sql), 0);
	}
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM audit_log WHERE function = "
	                               "'counter.mynumber_check' AND detail GLOB '*[0-9][0-9][0-9][0-9][0-9]"
	                               "[0-9][0-9][0-9][0-9][0-9][0-9][0-9]*'"), 0);
}

/* ---- close, fees, cancel -------------------------------------------------- */

static void test_close_with_fees(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_counter_state st;
	struct md_result res;
	struct md_error err;
	long long tx = open_tx(c, "certificate");
	char t[24], buf[128];

	num(t, tx);
	verify_self(c, tx);
	set_subject(c, tx, f->head, f->head);
	assert_int_equal(md_counter_add_fee(c, tx, 300, &err), MD_OK);
	assert_int_equal(md_counter_add_fee(c, tx, 300, &err), MD_OK);
	assert_int_equal(md_counter_add_fee(c, tx, 0, &err), MD_OK);
	assert_int_equal(md_counter_add_fee(c, tx, -300, &err), MD_E_INVALID);
	assert_int_equal(md_counter_add_fee(c, 99999, 300, &err), MD_E_NOTFOUND);
	/* Fees inside a caller's transaction: a refusal does not spoil it. */
	assert_int_equal(md_store_begin(c->store, &err), MD_OK);
	assert_int_equal(md_counter_add_fee(c, 99999, 300, &err), MD_E_NOTFOUND);
	assert_int_equal(md_counter_add_fee(c, tx, 150, &err), MD_OK);
	assert_int_equal(md_store_commit(c->store, &err), MD_OK);
	assert_int_equal(tu_sqlf_int(c, "SELECT fee_total FROM counter_transactions WHERE id = %lld", tx), 750);
	/* A transaction with fees is closed, not cancelled. */
	FAILS(c, MD_E_CONFLICT, "has fees of 750 yen recorded: close it instead", "counter.cancel",
	      "transaction", t);

	assert_int_equal(run_res(c, &err, &res, "counter.close", "transaction", t, NULL), MD_OK);
	assert_string_equal(cell(&res, 0, "fee"), "750");
	assert_string_equal(cell(&res, 0, "letter"), "");
	assert_non_null(strstr(res.message, "closed: fee 750 yen"));
	md_result_release(&res);
	assert_string_equal(tx_text(c, tx, "status", buf, sizeof buf), "closed");
	assert_string_equal(tx_text(c, tx, "closed_by", buf, sizeof buf), "clerk1");
	assert_string_equal(tx_text(c, tx, "closed_at", buf, sizeof buf), "2026-04-01T03:00:00Z");

	/* Closed: nothing more happens in it. */
	assert_int_equal(md_counter_require_verified(c, tx, 1, &st, &err), MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "is already closed"));
	assert_int_equal(md_counter_add_fee(c, tx, 300, &err), MD_E_CONFLICT);
	FAILS(c, MD_E_CONFLICT, "is already closed", "counter.close", "transaction", t);
	FAILS(c, MD_E_CONFLICT, "is already closed", "counter.verify", "transaction", t, "category", "self",
	      "applicant_name", "山田 太郎", "documents", "passport", "photo_matched", "1");
	assert_int_equal(tu_sqlf_int(c, "SELECT fee_total FROM counter_transactions WHERE id = %lld", tx), 750);
}

static void test_cancel(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_counter_state st;
	struct md_error err;
	long long tx = open_tx(c, "seal");
	char t[24], buf[128];

	num(t, tx);
	verify_self(c, tx);
	OK(c, "counter.cancel", "transaction", t, "reason", "申請者が書類を取りに帰った");
	assert_string_equal(tx_text(c, tx, "status", buf, sizeof buf), "cancelled");
	assert_string_equal(tx_text(c, tx, "cancel_reason", buf, sizeof buf), "申請者が書類を取りに帰った");
	assert_int_equal(md_counter_require_verified(c, tx, 1, &st, &err), MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "is already cancelled"));
	FAILS(c, MD_E_CONFLICT, "already cancelled", "counter.cancel", "transaction", t);
	assert_int_equal(tu_audit_count(c, "counter.cancel", "ok", NULL), 1);
	assert_int_equal(tu_audit_count(c, "counter.cancel", "denied", NULL), 1);
}

/* ---- 確認通知 ------------------------------------------------------------- */

static void test_confirmation_letter(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_result res;
	struct md_error err;
	long long tx = open_tx(c, "notification"), letter;
	char t[24], p[24], buf[256];

	num(t, tx);
	/* A notification is closed only after a verification. */
	FAILS(c, MD_E_INVALID, "a notification is closed only after the identity verification",
	      "counter.close", "transaction", t);
	OK(c, "counter.verify", "transaction", t, "category", "self", "applicant_name", "山田 太郎",
	   "questioning", "1");
	/* Not verified: the letter needs the subject's address. */
	FAILS(c, MD_E_INVALID, "a 確認通知 goes to the subject's registered address", "counter.close",
	      "transaction", t);
	set_subject(c, tx, f->head, f->head);
	assert_int_equal(run_res(c, &err, &res, "counter.close", "transaction", t, NULL), MD_OK);
	letter = atoll(cell(&res, 0, "letter"));
	assert_true(letter > 0);
	assert_non_null(strstr(res.message, "確認通知"));
	md_result_release(&res);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM confirmation_letters"), 1);
	assert_int_equal(tu_sqlf_int(c, "SELECT transaction_id FROM confirmation_letters WHERE id = %lld", letter),
	                 tx);
	assert_int_equal(tu_sqlf_int(c, "SELECT person_id FROM confirmation_letters WHERE id = %lld", letter),
	                 f->head);
	tu_sqlf_text(c, buf, sizeof buf, "SELECT address FROM confirmation_letters WHERE id = %lld", letter);
	assert_string_equal(buf, ADDR " " KATA);
	tu_sqlf_text(c, buf, sizeof buf, "SELECT name || '|' || postal_code || '|' || created_by || '|' || "
	          "coalesce(printed_at, '-') FROM confirmation_letters WHERE id = %lld", letter);
	assert_string_equal(buf, "山田 太郎|100-0001|clerk1|-");
	assert_int_equal(tu_audit_count(c, "counter.close", "ok", num(p, f->head)), 1);

	/* A verified notification, and a certificate by questioning: no letter. */
	tx = open_tx(c, "notification");
	verify_self(c, tx);
	set_subject(c, tx, f->head, f->head);
	OK(c, "counter.close", "transaction", num(t, tx));
	tx = open_tx(c, "certificate");
	num(t, tx);
	OK(c, "counter.verify", "transaction", t, "category", "self", "applicant_name", "山田 太郎",
	   "questioning", "1");
	set_subject(c, tx, f->head, f->head);
	OK(c, "counter.close", "transaction", t);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM confirmation_letters"), 1);

	/* The list is for report.view. */
	FAILS(c, MD_E_DENIED, "report.view", "counter.letters");
	login(c, "supervisor1");
	assert_int_equal(run_res(c, &err, &res, "counter.letters", "pending", "1", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_string_equal(cell(&res, 0, "address"), ADDR " " KATA);
	assert_string_equal(cell(&res, 0, "name"), "山田 太郎");
	assert_string_equal(cell(&res, 0, "printed"), "");
	md_result_release(&res);
	assert_int_equal(md_counter_letter_printed(c, letter, &err), MD_OK);
	assert_int_equal(md_counter_letter_printed(c, letter, &err), MD_E_CONFLICT);
	assert_int_equal(md_counter_letter_printed(c, 4242, &err), MD_E_NOTFOUND);
	assert_int_equal(run_res(c, &err, &res, "counter.letters", "pending", "1", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 0);
	md_result_release(&res);
	assert_int_equal(run_res(c, &err, &res, "counter.letters", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_string_equal(cell(&res, 0, "printed"), "2026-04-01 12:00");
	md_result_release(&res);
	assert_int_equal(tu_audit_count(c, "counter.letters", "ok", NULL), 3);
}

/* ---- the API of the other modules ------------------------------------------ */

static void test_require_verified(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_counter_state st;
	struct md_error err;
	long long tx = open_tx(c, "certificate"), q, other;
	char t[24];

	assert_int_equal(md_counter_require_verified(c, 4242, 0, &st, &err), MD_E_NOTFOUND);
	assert_int_equal(md_counter_require_verified(c, 0, 0, &st, &err), MD_E_INVALID);
	assert_int_equal(md_counter_require_verified(c, tx, 0, &st, &err), MD_E_DENIED);
	OK(c, "counter.verify", "transaction", num(t, tx), "category", "agent", "applicant_name",
	   "鈴木 次郎", "documents", "residence_card", "photo_matched", "1", "letter_of_authority", "1");
	assert_int_equal(md_counter_require_verified(c, tx, 0, &st, &err), MD_OK);
	assert_int_equal(st.id, tx);
	assert_string_equal(st.category, "agent");
	assert_int_equal(st.subject, 0);
	assert_string_equal(st.applicant_name, "鈴木 次郎");
	assert_int_equal(st.letter_of_authority, 1);
	assert_string_equal(st.method, "photo_id");
	assert_string_equal(st.purpose, "");
	set_subject(c, tx, f->wife, 0);
	assert_int_equal(md_counter_require_verified(c, tx, 0, &st, &err), MD_OK);
	assert_int_equal(st.subject, f->wife);

	/* Questioning: only where the caller allows it. */
	q = open_tx(c, "seal");
	OK(c, "counter.verify", "transaction", num(t, q), "category", "self", "applicant_name", "山田 太郎",
	   "questioning", "1");
	assert_int_equal(md_counter_require_verified(c, q, 0, &st, &err), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "identity was not verified with documents"));
	assert_int_equal(md_counter_require_verified(c, q, 1, &st, &err), MD_OK);
	assert_string_equal(st.method, "questioning");

	/* Another terminal's transaction, and another user's. */
	snprintf(c->cfg.terminal_id, sizeof c->cfg.terminal_id, "%s", "本庁2");
	assert_int_equal(md_counter_require_verified(c, tx, 0, &st, &err), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "belongs to clerk1 at terminal 本庁1"));
	assert_int_equal(md_counter_add_fee(c, tx, 300, &err), MD_E_DENIED);
	other = open_tx(c, "other");
	snprintf(c->cfg.terminal_id, sizeof c->cfg.terminal_id, "%s", "本庁1");
	assert_int_equal(md_counter_require_verified(c, other, 1, &st, &err), MD_E_DENIED);
	login(c, "supervisor1");
	assert_int_equal(md_counter_require_verified(c, tx, 0, &st, &err), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "not to supervisor1"));
	FAILS(c, MD_E_DENIED, "belongs to clerk1", "counter.close", "transaction", num(t, tx));
	assert_int_equal(md_counter_add_fee(c, tx, 300, &err), MD_E_DENIED);
	assert_int_equal(tu_sqlf_int(c, "SELECT fee_total FROM counter_transactions WHERE id = %lld", tx), 0);
	/* Nobody logged in. */
	assert_int_equal(run(c, &err, "logout", NULL), MD_OK);
	assert_int_equal(md_counter_require_verified(c, tx, 0, &st, &err), MD_E_AUTH);
	login(c, "clerk1");
}

/* ---- permissions, views, audit -------------------------------------------- */

static void test_permissions(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_result res;
	struct md_error err;
	long long mine, theirs;

	login(c, "auditor1");
	FAILS(c, MD_E_DENIED, "needs the permission counter.reception", "counter.open", "request",
	      "certificate");
	assert_int_equal(tu_audit_count(c, "counter.open", "denied", NULL), 1);
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM counter_transactions"), 0);
	FAILS(c, MD_E_DENIED, "counter.reception", "counter.verify", "transaction", "1", "category", "self",
	      "applicant_name", "x", "questioning", "1");
	assert_int_equal(run(c, &err, "counter.letters", NULL), MD_OK);   /* report.view */

	login(c, "clerk1");
	mine = open_tx(c, "certificate");
	snprintf(c->cfg.terminal_id, sizeof c->cfg.terminal_id, "%s", "支所1");
	theirs = open_tx(c, "other");
	snprintf(c->cfg.terminal_id, sizeof c->cfg.terminal_id, "%s", "本庁1");
	FAILS(c, MD_E_INVALID, "request must be certificate", "counter.open", "request", "lunch");

	/* This terminal's today; all terminals need report.view. */
	assert_int_equal(run_res(c, &err, &res, "counter.today", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_int_equal(atoll(cell(&res, 0, "transaction")), mine);
	assert_string_equal(cell(&res, 0, "time"), "12:00");
	assert_string_equal(cell(&res, 0, "status"), "open");
	md_result_release(&res);
	FAILS(c, MD_E_DENIED, "report.view", "counter.today", "all", "1");
	{
		char t[24];
		FAILS(c, MD_E_DENIED, "is of terminal 支所1", "counter.show", "transaction", num(t, theirs));
	}
	login(c, "supervisor1");
	assert_int_equal(run_res(c, &err, &res, "counter.today", "all", "1", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 2);
	assert_string_equal(cell(&res, 1, "terminal"), "支所1");
	md_result_release(&res);
	/* Tomorrow, today is empty. */
	md_time_set(tu_day(1));
	assert_int_equal(run_res(c, &err, &res, "counter.today", "all", "1", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 0);
	md_result_release(&res);
	md_time_set(tu_day(0));
}

static void test_show(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_result res;
	struct md_error err;
	long long tx = open_tx(c, "certificate");
	char t[24], p[24];

	num(t, tx);
	assert_int_equal(run_res(c, &err, &res, "counter.show", "transaction", t, NULL), MD_OK);
	assert_string_equal(item(&res, "status"), "open");
	assert_string_equal(item(&res, "verifications"), "0");
	assert_string_equal(item(&res, "subject 宛名番号"), "");
	md_result_release(&res);
	OK(c, "counter.verify", "transaction", t, "category", "self", "applicant_name", "山田 太郎",
	   "documents", "health_insurance,notification_card");
	set_subject(c, tx, f->head, f->head);
	OK(c, "counter.mynumber_check", "transaction", t, "mynumber", f->mn_head, "name", "山田 太郎", "birth_date", "1980-03-14");
	assert_int_equal(md_counter_add_fee(c, tx, 300, &err), MD_OK);
	assert_int_equal(run_res(c, &err, &res, "counter.show", "transaction", t, NULL), MD_OK);
	assert_string_equal(item(&res, "status"), "verified");
	assert_string_equal(item(&res, "category"), "本人");
	assert_string_equal(item(&res, "applicant name"), "山田 太郎");
	assert_string_equal(item(&res, "subject 宛名番号"), num(p, f->head));
	assert_string_equal(item(&res, "method"), "two documents");
	assert_string_equal(item(&res, "outcome"), "verified");
	assert_string_equal(item(&res, "documents"), "健康保険証、通知カード");
	assert_string_equal(item(&res, "photo matched"), "no");
	assert_string_equal(item(&res, "番号確認"), "match");
	assert_string_equal(item(&res, "verified by"), "clerk1");
	assert_string_equal(item(&res, "verified at"), "2026-04-01 12:00");
	assert_string_equal(item(&res, "fee (yen)"), "300");
	assert_string_equal(item(&res, "opened"), "2026-04-01 12:00");
	md_result_release(&res);
	FAILS(c, MD_E_NOTFOUND, "no counter transaction 777", "counter.show", "transaction", "777");
	assert_int_equal(tu_audit_count(c, "counter.show", "ok", NULL), 2);
}

/* One transaction from start to finish leaves one entry per step. */
static void test_audit_trail(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	long long before = tu_audit_total(c), tx;
	char t[24], p[24], buf[512];

	tx = open_tx(c, "certificate");
	num(t, tx);
	num(p, f->head);
	OK(c, "counter.verify", "transaction", t, "category", "self", "applicant_name", "山田 太郎",
	   "documents", "mynumber_card", "photo_matched", "1");
	set_subject(c, tx, f->head, f->head);
	OK(c, "counter.mynumber_check", "transaction", t, "mynumber", f->mn_head, "name", "山田 太郎", "birth_date", "1980-03-14");
	OK(c, "counter.close", "transaction", t);
	assert_int_equal(tu_audit_total(c), before + 5);
	assert_int_equal(tu_audit_count(c, "counter.open", "ok", NULL), 1);
	assert_int_equal(tu_audit_count(c, "counter.verify", "ok", NULL), 1);
	assert_int_equal(tu_audit_count(c, "counter.subject", "ok", p), 1);
	assert_int_equal(tu_audit_count(c, "counter.mynumber_check", "ok", p), 1);
	assert_int_equal(tu_audit_count(c, "counter.close", "ok", p), 1);
	tu_sqlf_text(c, buf, sizeof buf, "SELECT detail FROM audit_log WHERE function = 'counter.verify'");
	assert_non_null(strstr(buf, "self; documents mynumber_card; photo matched; photo_id; verified"));
	tu_sqlf_text(c, buf, sizeof buf, "SELECT user_id || '|' || terminal || '|' || mynumber FROM audit_log "
	          "WHERE function = 'counter.mynumber_check'");
	assert_string_equal(buf, "clerk1|本庁1|1");
	tu_sqlf_text(c, buf, sizeof buf, "SELECT detail FROM audit_log WHERE function = 'counter.close'");
	assert_non_null(strstr(buf, "closed: certificate; fee 0 yen"));
	{
		long n = 0, bad = 0;
		struct md_error err;
		assert_int_equal(md_audit_verify(c, &n, &bad, &err), MD_OK);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_documents_file),
		cmocka_unit_test(test_decide_rules),
		cmocka_unit_test_setup_teardown(test_verify_photo_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_two_documents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_notification_card, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_questioning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agent_needs_letter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_third_party_official_professional, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subject_before_verification, setup, teardown),
		cmocka_unit_test_setup_teardown(test_self_must_be_subject, setup, teardown),
		cmocka_unit_test_setup_teardown(test_household_member, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subject_protection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mynumber_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_with_fees, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_confirmation_letter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_require_verified, setup, teardown),
		cmocka_unit_test_setup_teardown(test_permissions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_trail, setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
