/* test_certadmin.c: headless tests of the seal registration screen and the
 * supervisor's 交付管理 screens: clerk1 registers a seal at once (photo ID)
 * in a verified transaction; supervisor1 voids a copy from the issuance
 * history with a reason and reads the daily summary; grants a waiting
 * override; prints a 確認通知 and marks it mailed. What the screens do is
 * checked in the database through the core's commands. */
#include "config.h"

#include "uitest.h"

#include <stdint.h>
#include <sqlite3.h>

#include "store.h"

/* A second context on the same database, for set-up done at the counter
 * through the commands (as another terminal session of the same user would). */
static struct md_ctx *side(struct fixture *f, const char *user)
{
	struct md_settings cfg;
	struct md_error err;
	struct md_ctx *c = NULL;
	struct md_args a;
	struct md_result r;

	md_settings_defaults(&cfg);
	assert_int_equal(md_ctx_open(&c, &cfg, f->db, NULL, MD_DB_TRAINING, &err), MD_OK);
	md_args_init(&a);
	md_args_set(&a, "user", user);
	md_args_set(&a, "password", "demo");
	md_result_init(&r);
	assert_int_equal(md_cmd_exec(c, "login", &a, &r, &err), MD_OK);
	md_result_release(&r);
	return c;
}

/* Runs name with key/value pairs (NULL-terminated); must succeed. The first
 * cell of the result's first row is returned (static), or "". */
static const char *ok(struct md_ctx *c, const char *name, ...)
{
	static char first[64];
	struct md_args a;
	struct md_result r;
	struct md_error err;
	va_list ap;
	const char *k;
	int rc;

	md_args_init(&a);
	va_start(ap, name);
	while ((k = va_arg(ap, const char *)) != NULL)
		md_args_set(&a, k, va_arg(ap, const char *));
	va_end(ap);
	md_result_init(&r);
	rc = md_cmd_exec(c, name, &a, &r, &err);
	if (rc != MD_OK)
		print_error("%s: %s\n", name, err.msg);
	assert_int_equal(rc, MD_OK);
	snprintf(first, sizeof first, "%s", r.table.nrows > 0 ? r.table.rows[0][0] : "");
	md_result_release(&r);
	return first;
}

static long long sql_int(struct md_ctx *c, const char *sql)
{
	sqlite3_stmt *s = NULL;
	long long v = -1;
	assert_int_equal(sqlite3_prepare_v2(md_store_db(c->store), sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* 山田 太郎 moved in (clerk1 saves, supervisor1 approves); his 宛名番号. */
static long long resident(struct md_ctx *clerk, struct md_ctx *sup, const char *sur, const char *given)
{
	char sql[256], id[24];
	ok(clerk, "change.save", "type", "move_in", "event_date", "R8.4.1", "address", "見本区見本町一丁目2番3号",
	   "previous_address", "東京都千代田区千代田1-1", "p1.relationship", "世帯主", "p1.surname", sur,
	   "p1.given_name", given, "p1.surname_kana", "ヤマダ", "p1.given_name_kana", "タロウ",
	   "p1.birth_date", "1980-03-14", "p1.sex", "男", "p1.honseki", "見本県見本市本町1番地", "p1.hittosha", sur,
	   NULL);
	snprintf(id, sizeof id, "%lld", sql_int(clerk, "SELECT max(id) FROM changes"));
	ok(sup, "change.approve", "id", id, NULL);
	snprintf(sql, sizeof sql, "SELECT id FROM persons WHERE surname = '%s' AND given_name = '%s'", sur, given);
	return sql_int(clerk, sql);
}

/* A verified transaction of c's user about person (本人, driving licence). */
static long long verified(struct md_ctx *c, const char *request, long long person, int questioning)
{
	char tx[24], p[24];
	snprintf(tx, sizeof tx, "%s", ok(c, "counter.open", "request", request, NULL));
	snprintf(p, sizeof p, "%lld", person);
	if (questioning)
		ok(c, "counter.verify", "transaction", tx, "category", "self", "applicant_name", "山田 太郎",
		   "questioning", "1", NULL);
	else
		ok(c, "counter.verify", "transaction", tx, "category", "self", "applicant_name", "山田 太郎",
		   "documents", "driver_license", "photo_matched", "1", NULL);
	ok(c, "counter.subject", "transaction", tx, "person", p, "applicant_person", p, NULL);
	return atoll(tx);
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int j = 0; j < 8; j++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xffffffffu;
}

static size_t put_chunk(unsigned char *out, const char *type, const unsigned char *d, uint32_t len)
{
	uint32_t crc;
	out[0] = (unsigned char)(len >> 24);
	out[1] = (unsigned char)(len >> 16);
	out[2] = (unsigned char)(len >> 8);
	out[3] = (unsigned char)len;
	memcpy(out + 4, type, 4);
	if (len)
		memcpy(out + 8, d, len);
	crc = crc32_of(out + 4, len + 4);
	out[8 + len] = (unsigned char)(crc >> 24);
	out[9 + len] = (unsigned char)(crc >> 16);
	out[10 + len] = (unsigned char)(crc >> 8);
	out[11 + len] = (unsigned char)crc;
	return 12 + len;
}

/* A 150 x 150 grayscale PNG at 10 px/mm (15 mm, a ring), written to path;
 * the IDAT is one stored zlib block. */
static void write_png(const char *path)
{
	enum { W = 150, RAW = (W + 1) * W };
	static unsigned char z[RAW + 16], buf[RAW + 200];
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };
	unsigned char ihdr[13] = { 0, 0, 0, W, 0, 0, 0, W, 8, 0, 0, 0, 0 };
	unsigned char phys[9] = { 0, 0, 0x27, 0x10, 0, 0, 0x27, 0x10, 1 };
	uint32_t a = 1, b = 0;
	size_t n = 8, zl = 0;
	FILE *fp;

	z[zl++] = 0x78;
	z[zl++] = 0x01;
	z[zl++] = 0x01;
	z[zl++] = (unsigned char)(RAW & 0xff);
	z[zl++] = (unsigned char)(RAW >> 8);
	z[zl++] = (unsigned char)(~RAW & 0xff);
	z[zl++] = (unsigned char)((~RAW >> 8) & 0xff);
	for (int y = 0; y < W; y++)
		for (int x = -1; x < W; x++) {
			int d = (x - 75) * (x - 75) + (y - 75) * (y - 75);
			unsigned char v = x < 0 ? 0 : (unsigned char)(d < 4900 && d > 3600 ? 0 : 255);
			z[zl++] = v;
			a = (a + v) % 65521;
			b = (b + a) % 65521;
		}
	z[zl++] = (unsigned char)(b >> 8);
	z[zl++] = (unsigned char)b;
	z[zl++] = (unsigned char)(a >> 8);
	z[zl++] = (unsigned char)a;
	memcpy(buf, sig, 8);
	n += put_chunk(buf + n, "IHDR", ihdr, 13);
	n += put_chunk(buf + n, "pHYs", phys, 9);
	n += put_chunk(buf + n, "IDAT", z, (uint32_t)zl);
	n += put_chunk(buf + n, "IEND", NULL, 0);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(buf, 1, n, fp), n);
	fclose(fp);
}

static void test_seal_registration(void **state)
{
	struct fixture *f = *state;
	struct md_ctx *clerk = side(f, "clerk1"), *sup = side(f, "supervisor1");
	long long taro = resident(clerk, sup, "山田", "太郎"), tx = verified(clerk, "seal", taro, 0);
	char png[400], txt[24], sql[200];

	snprintf(png, sizeof png, "%s/seal.png", f->dir);
	write_png(png);
	login(f, "clerk1", "demo");
	choose(f, "Seal registration");
	assert_screen("empty to open a new one");
	snprintf(txt, sizeof txt, "%lld", tx);
	type(f, txt);
	key(f, 0, '\r');
	assert_screen(": verified, 本人 山田 太郎");
	assert_screen("No seal registered for this person.");
	assert_screen("F5 Register");
	key(f, 0, '\t');
	type(f, png);
	key(f, 0, '\t');
	key(f, 0, '\t');
	type(f, "山田");
	key(f, 1, KEY_F(5));
	assert_screen("seal registered for 宛名番号");
	assert_screen("印鑑登録証 00000019");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM seals WHERE person_id = %lld AND status = 'registered' "
	                          "AND method = 'photo_id' AND applied_by = 'clerk1'", taro);
	assert_int_equal(sql_int(clerk, sql), 1);
	/* A second one for the same person is refused with the core's reason
	 * (the form starts again at the impression). */
	type(f, png);
	key(f, 0, '\t');
	key(f, 0, '\t');
	type(f, "太郎");
	key(f, 1, KEY_F(5));
	assert_screen("already has a registered seal");
	/* Close: back to the menu. */
	key(f, 1, KEY_F(8));
	assert_screen("Main menu");
	assert_int_equal(sql_int(clerk, "SELECT count(*) FROM counter_transactions WHERE status = 'closed'"), 1);
	/* The entry opens a new transaction when none is given. */
	choose(f, "Seal registration");
	key(f, 0, '\r');
	assert_screen(": open, ");
	assert_screen("No subject yet");
	md_ctx_free(&clerk);
	md_ctx_free(&sup);
}

static void test_void_and_summary(void **state)
{
	struct fixture *f = *state;
	struct md_ctx *clerk = side(f, "clerk1"), *sup = side(f, "supervisor1");
	long long taro = resident(clerk, sup, "山田", "太郎"), tx = verified(clerk, "certificate", taro, 0);
	char txt[24];

	snprintf(txt, sizeof txt, "%lld", tx);
	ok(clerk, "cert.issue", "transaction", txt, "type", "juminhyo", "copies", "2", NULL);
	ok(clerk, "counter.close", "transaction", txt, NULL);

	login(f, "clerk1", "demo");
	assert_not_screen("Certificate supervision");
	logout(f);
	login(f, "supervisor1", "demo");
	choose(f, "Certificate supervision");
	assert_screen("Letters to print and mail");
	type(f, "1");
	assert_screen("F5 Show");
	key(f, 1, KEY_F(5));
	assert_screen("2 copies issued");
	assert_screen("住民票の写し");
	key(f, 1, KEY_F(7));
	assert_screen("why the copy is voided");
	type(f, "印刷ミス");
	key(f, 1, KEY_F(5));
	assert_screen("is voided (処分): 印刷ミス; 300 yen");
	assert_screen("処分: 印刷ミ");   /* the column is cut at 80 columns */
	assert_int_equal(sql_int(clerk, "SELECT count(*) FROM issuances WHERE voided_by = 'supervisor1'"), 1);
	assert_int_equal(sql_int(clerk, "SELECT fee_total FROM counter_transactions"), 300);
	key(f, 1, KEY_F(3));
	key(f, 1, KEY_F(3));
	type(f, "2");
	key(f, 1, KEY_F(5));
	assert_screen("2 issued, 1 voided, 1 net; net fees 300 yen");
	/* The table: the type's row and the total, issued, voided, net, fees. */
	assert_screen("住民票の写し   2      1      1      0      600     300     300");
	md_ctx_free(&clerk);
	md_ctx_free(&sup);
}

static void test_override_and_letters(void **state)
{
	struct fixture *f = *state;
	struct md_ctx *clerk = side(f, "clerk1"), *sup = side(f, "supervisor1");
	long long taro = resident(clerk, sup, "山田", "太郎"), tx, note;
	char txt[24], sql[300];
	struct md_args a;
	struct md_result r;
	struct md_error err;

	snprintf(sql, sizeof sql, "INSERT INTO suppressions (person_id, operation, mode, start_date, reason, set_by, "
	                          "set_at) VALUES (%lld, 'certificate', 'alert', '2026-01-01', '不正請求の疑い', "
	                          "'supervisor1', '2026-01-01T00:00:00Z')", taro);
	assert_int_equal(sqlite3_exec(md_store_db(clerk->store), sql, NULL, NULL, NULL), SQLITE_OK);
	tx = verified(clerk, "certificate", taro, 0);
	snprintf(txt, sizeof txt, "%lld", tx);
	md_args_init(&a);
	md_args_set(&a, "transaction", txt);
	md_args_set(&a, "type", "juminhyo");
	md_result_init(&r);
	assert_int_equal(md_cmd_exec(clerk, "cert.issue", &a, &r, &err), MD_E_CONFLICT);
	md_result_release(&r);
	/* A notification by questioning: a 確認通知 at close. */
	note = verified(clerk, "notification", taro, 1);
	snprintf(txt, sizeof txt, "%lld", note);
	ok(clerk, "counter.close", "transaction", txt, NULL);

	login(f, "supervisor1", "demo");
	choose(f, "Certificate supervision");
	type(f, "3");
	assert_screen("waiting for a supervisor");
	assert_screen("clerk1");
	key(f, 1, KEY_F(6));
	assert_screen("why the alert is overridden");
	type(f, "運転免許証で確認済み");
	key(f, 1, KEY_F(5));
	assert_screen("overridden for counter transaction");
	assert_screen("granted");
	snprintf(txt, sizeof txt, "%lld", tx);
	ok(clerk, "cert.issue", "transaction", txt, "type", "juminhyo", NULL);
	key(f, 1, KEY_F(3));
	type(f, "4");
	assert_screen("確認通知");
	key(f, 1, KEY_F(5));
	assert_screen("確認通知 written to");
	key(f, 1, KEY_F(6));
	assert_screen("marked mailed");
	assert_int_equal(sql_int(clerk, "SELECT count(*) FROM confirmation_letters WHERE mailed_by = 'supervisor1'"),
	                 1);
	md_ctx_free(&clerk);
	md_ctx_free(&sup);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_seal_registration, setup, teardown),
		cmocka_unit_test_setup_teardown(test_void_and_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_override_and_letters, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
