/* test_seal.c: seal registration (印鑑登録, registry.md §8) driven through the
 * command table on a training database: clerk1 serves the counter
 * (counter.open, counter.verify, counter.subject, then seal.*), supervisor1
 * approves changes. The clock is fixed at 2026-04-01 12:00 in Tokyo
 * (tu_day(0)). The PNG images are written here byte by byte. */
#include "config.h"

#include <stdarg.h>
#include <sys/stat.h>

#include <sodium.h>

#define TU_WITH_DB
#include "testutil.h"

#include "cmd.h"
#include "ctx.h"
#include "error.h"
#include "result.h"
#include "seal.h"
#include "settings.h"
#include "store.h"
#include "timeutil.h"

#define PW "demo"
#define ADDR_A "見本市中央区本町一丁目2番3号"
#define ADDR_B "見本市中央区緑町四丁目5番6号"
#define PREV "大阪府大阪市北区梅田一丁目1番1号"
#define HONSEKI "東京都千代田区千代田1番"

struct fx {
	char *dir;
	char *db;
	struct md_settings cfg;
	struct md_ctx *ctx;       /* clerk1 logged in */
	long long head, wife, child; /* 山田 太郎, 花子, 一郎 (born 2011-04-02): household A */
	long long other;          /* 佐藤 次郎: household B */
	long long ha, hb;
	char *png[4];             /* four different impressions, 15 px wide, no resolution */
	char *png_phys;           /* 300 px at 20 px/mm = 15 mm, with a pHYs chunk */
};

/* ---- PNG images ------------------------------------------------------------- */

static uint32_t crc_tab[256];

static uint32_t crc(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	if (!crc_tab[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t k = i;
			for (int j = 0; j < 8; j++)
				k = k & 1 ? 0xedb88320u ^ (k >> 1) : k >> 1;
			crc_tab[i] = k;
		}
	for (size_t i = 0; i < n; i++)
		c = crc_tab[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static size_t chunk(unsigned char *out, const char *type, const unsigned char *data, uint32_t len)
{
	put32(out, len);
	memcpy(out + 4, type, 4);
	if (len)
		memcpy(out + 8, data, len);
	put32(out + 8 + len, crc(out + 4, len + 4));
	return 12 + len;
}

/* A w x 1 grayscale 8-bit PNG whose pixels are all value; a pHYs chunk
 * when ppm > 0 (pixels per metre). The IDAT is a real zlib stream (one
 * stored block). Returns the length written into buf (>= 2048 bytes). */
static size_t png_bytes(unsigned char *buf, uint32_t w, unsigned char value, uint32_t ppm)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };
	unsigned char ihdr[13] = { 0 }, phys[9], z[1024];
	size_t n = 0, zl = 0, raw = 1 + w;
	uint32_t a = 1, b = 0;

	assert_true(raw + 11 < sizeof z);
	memcpy(buf, sig, 8);
	n = 8;
	put32(ihdr, w);
	put32(ihdr + 4, 1);
	ihdr[8] = 8;   /* depth */
	ihdr[9] = 0;   /* grayscale */
	n += chunk(buf + n, "IHDR", ihdr, 13);
	if (ppm) {
		put32(phys, ppm);
		put32(phys + 4, ppm);
		phys[8] = 1;
		n += chunk(buf + n, "pHYs", phys, 9);
	}
	z[zl++] = 0x78;
	z[zl++] = 0x01;
	z[zl++] = 0x01;    /* final stored block */
	z[zl++] = (unsigned char)(raw & 0xff);
	z[zl++] = (unsigned char)(raw >> 8);
	z[zl++] = (unsigned char)(~raw & 0xff);
	z[zl++] = (unsigned char)((~raw >> 8) & 0xff);
	for (size_t i = 0; i < raw; i++) {
		unsigned char byte = i == 0 ? 0 : value;   /* filter type 0, then the pixels */
		z[zl++] = byte;
		a = (a + byte) % 65521;
		b = (b + a) % 65521;
	}
	put32(z + zl, b << 16 | a);
	zl += 4;
	n += chunk(buf + n, "IDAT", z, (uint32_t)zl);
	n += chunk(buf + n, "IEND", NULL, 0);
	return n;
}

static char *write_bytes(const char *dir, const char *name, const unsigned char *b, size_t n)
{
	char *p = tu_path(dir, name);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	fclose(f);
	return p;
}

static char *write_png(const char *dir, const char *name, uint32_t w, unsigned char value, uint32_t ppm)
{
	unsigned char buf[2048];
	size_t n = png_bytes(buf, w, value, ppm);
	return write_bytes(dir, name, buf, n);
}

/* ---- running commands --------------------------------------------------------- */

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
		if (v)
			assert_int_equal(md_args_set(&a, k, v), 0);
	}
	md_result_init(res ? res : &own);
	rc = md_cmd_exec(c, name, &a, res ? res : &own, err);
	if (!res)
		md_result_release(&own);
	return rc;
}

/* key, value pairs ended by NULL; a NULL value leaves the key out. */
static int run(struct md_ctx *c, struct md_error *err, struct md_result *res, const char *name, ...)
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
		int rc_ = run((c), &e_, NULL, __VA_ARGS__, NULL); \
		if (rc_ != MD_OK) \
			print_error("%s:%d: %s\n", __FILE__, __LINE__, e_.msg); \
		assert_int_equal(rc_, MD_OK); \
	} while (0)

/* The command must fail with code and a message containing needle. */
#define REFUSED(c, code, needle, ...) \
	do { \
		struct md_error e_; \
		int rc_ = run((c), &e_, NULL, __VA_ARGS__, NULL); \
		if (rc_ != (code) || !strstr(e_.msg, (needle))) \
			print_error("%s:%d: rc %d \"%s\", wanted %d with \"%s\"\n", __FILE__, __LINE__, rc_, \
			            e_.msg, (int)(code), (needle)); \
		assert_int_equal(rc_, (code)); \
		assert_non_null(strstr(e_.msg, (needle))); \
	} while (0)

static void login(struct md_ctx *c, const char *user)
{
	struct md_error err;
	int rc = run(c, &err, NULL, "login", "user", user, "password", PW, NULL);
	if (rc != MD_OK)
		print_error("login %s: %s\n", user, err.msg);
	assert_int_equal(rc, MD_OK);
}

static char *num(char *buf, long long n)
{
	snprintf(buf, 24, "%lld", n);
	return buf;
}

static void seal_col(struct md_ctx *c, long long id, const char *col, char *buf, size_t n)
{
	tu_sqlf_text(c, buf, n, "SELECT %s FROM seals WHERE id = %lld", col, id);
}

static void assert_seal(struct md_ctx *c, long long id, const char *col, const char *want)
{
	char buf[512];
	seal_col(c, id, col, buf, sizeof buf);
	if (strcmp(buf, want) != 0)
		print_error("seal %lld %s = \"%s\", want \"%s\"\n", id, col, buf, want);
	assert_string_equal(buf, want);
}

static long long last_seal(struct md_ctx *c)
{
	return tu_sql_int(c, "SELECT coalesce(max(id), 0) FROM seals");
}

static long long seal_count(struct md_ctx *c)
{
	return tu_sql_int(c, "SELECT count(*) FROM seals");
}

/* ---- the counter ------------------------------------------------------------ */

enum how { SELF_PHOTO, SELF_TWO_DOCS, SELF_QUESTIONING, AGENT, HOUSEHOLD };

/* A counter transaction of clerk1 about person, verified as how; its id.
 * applicant: the applicant's 宛名番号 for 本人 and 同一世帯員. */
static long long counter_as(struct md_ctx *c, enum how how, long long person, long long applicant)
{
	char id[24], p[24], a[24];
	long long tx;
	int agent = how == AGENT;

	OK(c, "counter.open", "request", "seal");
	tx = tu_sql_int(c, "SELECT max(id) FROM counter_transactions");
	num(id, tx);
	num(p, person);
	switch (how) {
	case SELF_PHOTO:
		OK(c, "counter.verify", "transaction", id, "category", "self", "applicant_name", "本人",
		   "documents", "driver_license", "photo_matched", "1");
		break;
	case SELF_TWO_DOCS:
		OK(c, "counter.verify", "transaction", id, "category", "self", "applicant_name", "本人",
		   "documents", "health_insurance,pension_book");
		break;
	case SELF_QUESTIONING:
		OK(c, "counter.verify", "transaction", id, "category", "self", "applicant_name", "本人",
		   "questioning", "1");
		break;
	case AGENT:
		OK(c, "counter.verify", "transaction", id, "category", "agent", "applicant_name", "代理 人",
		   "documents", "passport", "photo_matched", "1", "letter_of_authority", "1");
		break;
	case HOUSEHOLD:
		OK(c, "counter.verify", "transaction", id, "category", "household", "applicant_name", "世帯 員",
		   "documents", "driver_license", "photo_matched", "1");
		break;
	}
	OK(c, "counter.subject", "transaction", id, "person", p, "applicant_person", agent ? NULL : num(a, applicant));
	return tx;
}

static long long counter(struct md_ctx *c, enum how how, long long person)
{
	return counter_as(c, how, person, person);
}

/* seal.register with the usual arguments; NULL leaves one out. */
static int reg(struct md_ctx *c, struct md_error *err, struct md_result *res, long long tx, long long person,
               const char *method, const char *png, const char *mm, const char *name, long long guarantor)
{
	char t[24], p[24], g[24];
	return run(c, err, res, "seal.register", "transaction", tx ? num(t, tx) : NULL, "person",
	           num(p, person), "method", method, "png", png, "mm", mm, "name", name, "guarantor",
	           guarantor ? num(g, guarantor) : NULL, NULL);
}

/* Registers with a photo ID at once: the new seal's id. */
static long long reg_ok(struct md_ctx *c, long long person, const char *png, const char *mm, const char *name)
{
	struct md_error err;
	long long tx = counter(c, SELF_PHOTO, person);
	int rc = reg(c, &err, NULL, tx, person, "photo_id", png, mm, name, 0);
	if (rc != MD_OK)
		print_error("seal.register %lld: %s\n", person, err.msg);
	assert_int_equal(rc, MD_OK);
	return last_seal(c);
}

/* Must be refused with needle, storing nothing and leaving no file; the
 * refusal is audited. */
static void reg_refused(struct md_ctx *c, long long tx, long long person, const char *method, const char *png,
                        const char *mm, const char *name, long long guarantor, const char *needle)
{
	struct md_error err;
	char subject[24];
	long long before = seal_count(c);
	long long audited = tu_audit_count(c, "seal.register", "failed", num(subject, person));
	int rc = reg(c, &err, NULL, tx, person, method, png, mm, name, guarantor);

	if (rc == MD_OK || !strstr(err.msg, needle))
		print_error("seal.register %lld: rc %d \"%s\", wanted \"%s\"\n", person, rc, err.msg, needle);
	assert_int_not_equal(rc, MD_OK);
	assert_non_null(strstr(err.msg, needle));
	assert_int_equal(seal_count(c), before);
	assert_int_equal(tu_audit_count(c, "seal.register", "failed", subject), audited + 1);
}

/* ---- households ----------------------------------------------------------- */

static void person_args(struct md_args *a, int i, const char *rel, const char *sur, const char *given,
                        const char *ksur, const char *kgiven, const char *birth, const char *sex,
                        const char *address, char store[][96])
{
	const char *keys[] = { "relationship", "surname", "given_name", "surname_kana", "given_name_kana",
		               "birth_date", "sex", "resident_type", "honseki", "hittosha", "postal_code",
		               "address_code", "address", "previous_address" };
	const char *vals[] = { rel, sur, given, ksur, kgiven, birth, sex, "japanese", HONSEKI, sur,
		               "1000001", "0101", address, PREV };
	for (int k = 0; k < 14; k++) {
		snprintf(store[k], 96, "p%d.%s", i, keys[k]);
		assert_int_equal(md_args_set(a, store[k], vals[k]), 0);
	}
}

static void approve_last(struct md_ctx *c)
{
	char id[24];
	login(c, "supervisor1");
	OK(c, "change.approve", "id", num(id, tu_sql_int(c, "SELECT max(id) FROM changes")));
	login(c, "clerk1");
}

static void run_args(struct md_ctx *c, const char *name, struct md_args *a)
{
	struct md_result res;
	struct md_error err;
	int rc;
	md_result_init(&res);
	rc = md_cmd_exec(c, name, a, &res, &err);
	if (rc != MD_OK) {
		print_error("%s: %s\n", name, err.msg);
		for (int r = 0; r < res.table.nrows; r++)
			print_error("  %s\n", res.table.rows[r][res.table.ncols - 1]);
	}
	assert_int_equal(rc, MD_OK);
	md_result_release(&res);
}

static long long person_id(struct md_ctx *c, const char *sur, const char *given)
{
	return tu_sqlf_int(c, "SELECT id FROM persons WHERE surname = '%s' AND given_name = '%s'", sur, given);
}

static void move_in(struct md_ctx *c, int n, const char *const *p, const char *address)
{
	struct md_args a;
	char store[3][14][96], today[11];

	tu_date(0, today);
	md_args_init(&a);
	md_args_set(&a, "type", "move_in");
	md_args_set(&a, "event_date", today);
	for (int i = 0; i < n; i++)
		person_args(&a, i + 1, p[i * 7], p[i * 7 + 1], p[i * 7 + 2], p[i * 7 + 3], p[i * 7 + 4],
		            p[i * 7 + 5], p[i * 7 + 6], address, store[i]);
	run_args(c, "change.save", &a);
	approve_last(c);
}

static int group_setup(void **state)
{
	(void)state;
	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	return 0;
}

static int setup(void **state)
{
	static const char *const yamada[] = {
		"世帯主", "山田", "太郎", "ヤマダ", "タロウ", "1980-03-14", "M",
		"妻", "山田", "花子", "ヤマダ", "ハナコ", "1982-05-01", "F",
		"子", "山田", "一郎", "ヤマダ", "イチロウ", "2011-04-02", "M",
	};
	static const char *const sato[] = { "世帯主", "佐藤", "次郎", "サトウ", "ジロウ", "1970-01-01", "M" };
	struct fx *f = calloc(1, sizeof *f);

	if (!f || !(f->dir = tu_tmpdir()))
		return -1;
	md_time_set(tu_day(0));
	md_settings_defaults(&f->cfg);
	f->db = tu_create_db(f->dir, "t.db", &f->cfg, MD_DB_TRAINING);
	f->ctx = tu_open(&f->cfg, f->db, MD_DB_TRAINING);
	login(f->ctx, "clerk1");
	move_in(f->ctx, 3, yamada, ADDR_A);
	move_in(f->ctx, 1, sato, ADDR_B);
	f->head = person_id(f->ctx, "山田", "太郎");
	f->wife = person_id(f->ctx, "山田", "花子");
	f->child = person_id(f->ctx, "山田", "一郎");
	f->other = person_id(f->ctx, "佐藤", "次郎");
	f->ha = tu_sqlf_int(f->ctx, "SELECT household_id FROM persons WHERE id = %lld", f->head);
	f->hb = tu_sqlf_int(f->ctx, "SELECT household_id FROM persons WHERE id = %lld", f->other);
	assert_true(f->head > 0 && f->wife > 0 && f->child > 0 && f->other > 0 && f->ha != f->hb);
	assert_int_equal(tu_sqlf_int(f->ctx, "SELECT household_id FROM persons WHERE id = %lld", f->child), f->ha);
	for (int i = 0; i < 4; i++) {
		char name[16];
		snprintf(name, sizeof name, "seal%d.png", i);
		f->png[i] = write_png(f->dir, name, 15, (unsigned char)(40 * i + 10), 0);
	}
	f->png_phys = write_png(f->dir, "phys.png", 300, 200, 20000);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	md_ctx_free(&f->ctx);
	tu_rmdir(f->dir);
	free(f->db);
	for (int i = 0; i < 4; i++)
		free(f->png[i]);
	free(f->png_phys);
	free(f);
	md_time_set(0);
	return 0;
}

/* ---- PNG and card numbers ----------------------------------------------------- */

static void test_png_inspect(void **state)
{
	unsigned char buf[2048];
	struct md_png_info info;
	struct md_error err;
	size_t n;
	(void)state;

	n = png_bytes(buf, 15, 7, 0);
	assert_int_equal(md_png_inspect(buf, n, &info, &err), MD_OK);
	assert_int_equal(info.width, 15);
	assert_int_equal(info.height, 1);
	assert_int_equal(info.bit_depth, 8);
	assert_true(info.px_per_mm == 0);
	n = png_bytes(buf, 300, 7, 20000);
	assert_int_equal(md_png_inspect(buf, n, &info, &err), MD_OK);
	assert_true(info.px_per_mm > 19.99 && info.px_per_mm < 20.01);

	/* Not a PNG; cut short; a damaged byte (CRC); IEND missing; no IHDR. */
	assert_int_equal(md_png_inspect((const unsigned char *)"GIF89a.........", 15, &info, &err), MD_E_INVALID);
	assert_non_null(strstr(err.msg, "not a PNG"));
	assert_string_equal(err.field, "png");
	n = png_bytes(buf, 15, 7, 0);
	assert_int_equal(md_png_inspect(buf, n - 5, &info, &err), MD_E_INVALID);
	assert_non_null(strstr(err.msg, "cut short"));
	buf[20] ^= 0x01;   /* inside IHDR's width */
	assert_int_equal(md_png_inspect(buf, n, &info, &err), MD_E_INVALID);
	assert_non_null(strstr(err.msg, "CRC"));
	buf[20] ^= 0x01;
	assert_int_equal(md_png_inspect(buf, n - 12, &info, &err), MD_E_INVALID);   /* no IEND */
	assert_int_equal(md_png_inspect(buf, 8, &info, &err), MD_E_INVALID);
	/* A header with an impossible depth (grayscale at 3 bits) is refused. */
	{
		unsigned char bad[2048];
		size_t m = png_bytes(bad, 4, 1, 0);
		bad[8 + 8 + 8] = 3;
		put32(bad + 8 + 8 + 13, crc(bad + 12, 17));
		assert_int_equal(md_png_inspect(bad, m, &info, &err), MD_E_INVALID);
		assert_non_null(strstr(err.msg, "IHDR"));
	}
}

static void test_card_check_digit(void **state)
{
	(void)state;
	/* 0000001: 1 x 2 = 2, r = 2, check 9. 1234567: 1*2+2*7+3*6+4*5+5*4+6*3+7*2 = 106,
	 * r = 7, check 4. 0000005: 10, r = 10, check 1. 0000006: 12, r = 1, check 0. */
	assert_int_equal(md_seal_card_check_digit("0000001"), 9);
	assert_int_equal(md_seal_card_check_digit("1234567"), 4);
	assert_int_equal(md_seal_card_check_digit("0000005"), 1);
	assert_int_equal(md_seal_card_check_digit("0000006"), 0);
	assert_int_equal(md_seal_card_check_digit("00a0001"), -1);
	assert_true(md_seal_card_valid("00000019"));
	assert_true(md_seal_card_valid("12345674"));
	assert_false(md_seal_card_valid("12345675"));
	assert_false(md_seal_card_valid("21345674"));   /* two digits swapped */
	assert_false(md_seal_card_valid("0000019"));
	assert_false(md_seal_card_valid(""));
	assert_false(md_seal_card_valid(NULL));
}

/* ---- photo ID: immediate -------------------------------------------------------- */

static void test_photo_id_immediate(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_result res;
	struct md_error err;
	struct stat st;
	unsigned char bin[32];
	char hex[65], card[32], path[4200], subject[24], *want, *got;
	size_t wl = 0, gl = 0;
	long long tx = counter(c, SELF_PHOTO, f->head), id;

	md_result_init(&res);
	assert_int_equal(reg(c, &err, &res, tx, f->head, "photo_id", f->png[0], "15.0", "山田", 0), MD_OK);
	id = last_seal(c);
	assert_true(id > 0);
	assert_seal(c, id, "status", "registered");
	assert_seal(c, id, "method", "photo_id");
	assert_seal(c, id, "registered_on", "2026-04-01");
	assert_seal(c, id, "registered_by", "clerk1");
	assert_seal(c, id, "name_kind", "surname");
	assert_seal(c, id, "applicant_category", "self");
	assert_seal(c, id, "verification_method", "photo_id");
	assert_int_equal(tu_sqlf_int(c, "SELECT transaction_id FROM seals WHERE id = %lld", id), tx);
	assert_int_equal(tu_sqlf_int(c, "SELECT impression_mm * 100 FROM seals WHERE id = %lld", id), 1500);
	seal_col(c, id, "card_no", card, sizeof card);
	assert_string_equal(card, "00000019");   /* the first serial and its check digit */
	assert_true(md_seal_card_valid(card));
	/* The card number is shown to the clerk. */
	assert_non_null(res.message);
	assert_non_null(strstr(res.message, card));
	md_result_release(&res);

	/* The impression: copied under the database's directory, mode 0600,
	 * the same bytes, their BLAKE2b. */
	assert_seal(c, id, "impression_path", "t.db.seals/1.png");
	snprintf(path, sizeof path, "%s/t.db.seals/%lld.png", f->dir, id);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	want = tu_read(f->png[0], &wl);
	got = tu_read(path, &gl);
	assert_non_null(got);
	assert_int_equal(wl, gl);
	assert_memory_equal(want, got, wl);
	crypto_generichash(bin, sizeof bin, (const unsigned char *)want, wl, NULL, 0);
	sodium_bin2hex(hex, sizeof hex, bin, sizeof bin);
	assert_seal(c, id, "impression_hash", hex);
	free(want);
	free(got);
	{
		struct md_seal s;
		char *file;
		assert_int_equal(md_seal_by_card(c, card, &s, &err), MD_OK);
		assert_int_equal(s.person_id, f->head);
		file = md_seal_impression_file(c, &s);
		assert_string_equal(file, path);
		free(file);
	}

	/* Audited. */
	num(subject, f->head);
	assert_int_equal(tu_audit_count(c, "seal.register", "ok", subject), 1);

	/* seal.show: status, card number, registered on; never the image. */
	md_result_init(&res);
	assert_int_equal(run(c, &err, &res, "seal.show", "person", subject, NULL), MD_OK);
	assert_non_null(strstr(res.message, card));
	assert_non_null(strstr(res.message, "令和8年4月1日"));
	assert_int_equal(res.table.nrows, 1);
	assert_string_equal(res.table.rows[0][1], "registered");
	assert_string_equal(res.table.rows[0][3], card);
	for (int col = 0; col < res.table.ncols; col++)
		assert_null(strstr(res.table.rows[0][col], "seals/"));
	md_result_release(&res);
	assert_int_equal(tu_audit_count(c, "seal.show", "ok", subject), 1);
}

static void test_photo_id_needs_photo_and_self(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;

	reg_refused(c, counter(c, SELF_TWO_DOCS, f->head), f->head, "photo_id", f->png[0], "15", "山田", 0,
	            "needs a photo ID");
	reg_refused(c, counter(c, SELF_QUESTIONING, f->head), f->head, "photo_id", f->png[0], "15", "山田", 0,
	            "not verified");
	reg_refused(c, counter(c, AGENT, f->head), f->head, "photo_id", f->png[0], "15", "山田", 0,
	            "use method inquiry");
	reg_refused(c, counter(c, AGENT, f->head), f->head, "guarantor", f->png[0], "15", "山田", f->other,
	            "use method inquiry");
	/* 同一世帯員 (the wife for her husband) without a 委任状. */
	reg_refused(c, counter_as(c, HOUSEHOLD, f->head, f->wife), f->head, "inquiry", f->png[0], "15", "山田", 0,
	            "委任状");
	/* The transaction is about someone else; or none is given. */
	reg_refused(c, counter(c, SELF_PHOTO, f->wife), f->head, "photo_id", f->png[0], "15", "山田", 0,
	            "is about 宛名番号");
	{
		struct md_error err;
		char p[24];
		assert_int_equal(run(c, &err, NULL, "seal.register", "person", num(p, f->head), "method", "photo_id",
		                     "png", f->png[0], "mm", "15", "name", "山田", NULL),
		                 MD_E_INVALID);
		assert_string_equal(err.field, "transaction");
	}
	reg_refused(c, counter(c, SELF_PHOTO, f->head), f->head, "fax", f->png[0], "15", "山田", 0,
	            "the method must be");
	assert_int_equal(seal_count(c), 0);
	/* With the photo ID and 本人, it works. */
	reg_ok(c, f->head, f->png[0], "15", "山田");
}

/* ---- the rules -------------------------------------------------------------------- */

static void test_age_boundary(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	long long id;

	/* 一郎 was born 2011-04-02: 14 on 2026-04-01, 15 from 2026-04-02. */
	reg_refused(c, counter(c, SELF_PHOTO, f->child), f->child, "photo_id", f->png[2], "12", "一郎", 0,
	            "14 years old");
	md_time_set(tu_day(1));
	id = reg_ok(c, f->child, f->png[2], "12", "一郎");
	assert_seal(c, id, "registered_on", "2026-04-02");
	assert_seal(c, id, "name_kind", "given");

	/* An unknown date of birth: refused with a message. */
	tu_sql_exec(c, "UPDATE persons SET birth_date = '0000-00-00' WHERE surname = '佐藤'");
	reg_refused(c, counter(c, SELF_PHOTO, f->other), f->other, "photo_id", f->png[3], "12", "佐藤", 0,
	            "date of birth");
	/* Partly known (1970, month and day unknown): 55 for certain, accepted. */
	tu_sql_exec(c, "UPDATE persons SET birth_date = '1970-00-00' WHERE surname = '佐藤'");
	reg_ok(c, f->other, f->png[3], "12", "佐藤");
}

static void test_guardianship(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	char sql[96];

	snprintf(sql, sizeof sql, "UPDATE persons SET guardianship = 1 WHERE id = %lld", f->wife);
	tu_sql_exec(c, sql);
	reg_refused(c, counter(c, SELF_PHOTO, f->wife), f->wife, "photo_id", f->png[1], "15", "花子", 0,
	            "成年被後見人");
	snprintf(sql, sizeof sql, "UPDATE persons SET guardianship = 0 WHERE id = %lld", f->wife);
	tu_sql_exec(c, sql);
	reg_ok(c, f->wife, f->png[1], "15", "花子");
}

static void test_one_per_person(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_error err;
	char t[24], first[32], second[32];
	long long id = reg_ok(c, f->head, f->png[0], "15", "山田"), id2;

	seal_col(c, id, "card_no", first, sizeof first);
	reg_refused(c, counter(c, SELF_PHOTO, f->head), f->head, "photo_id", f->png[3], "15", "太郎", 0,
	            "already has a registered seal");
	/* The unique index holds even against a direct insert of a second active row. */
	assert_int_equal(0xff & sqlite3_exec(md_store_db(c->store),
	                                  "INSERT INTO seals SELECT 99, person_id, household_id, status, method, "
	                                  "'99999990', card_issued_on, applied_on, applied_at, applied_by, terminal, "
	                                  "transaction_id, applicant_category, applicant_name, verification_method, "
	                                  "impression_path, impression_hash, impression_mm, impression_width_px, "
	                                  "impression_height_px, impression_bytes, name_on_seal, name_kind, NULL, "
	                                  "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
	                                  "registered_on, registered_at, registered_by, NULL, NULL, NULL, NULL, "
	                                  "NULL, NULL, NULL, NULL, NULL, NULL FROM seals WHERE id = 1",
	                                  NULL, NULL, NULL),
	                 SQLITE_CONSTRAINT);
	assert_non_null(strstr(sqlite3_errmsg(md_store_db(c->store)), "UNIQUE constraint failed: seals.person_id"));
	/* 廃止 (at the person's request, in a transaction), then a new seal, a new card. */
	assert_int_equal(run(c, &err, NULL, "seal.cancel", "card", first, "transaction",
	                     num(t, counter(c, SELF_TWO_DOCS, f->head)), NULL),
	                 MD_OK);
	assert_seal(c, id, "status", "cancelled");
	assert_seal(c, id, "cancel_reason", "request");
	id2 = reg_ok(c, f->head, f->png[3], "15", "太郎");
	seal_col(c, id2, "card_no", second, sizeof second);
	assert_string_not_equal(first, second);
	assert_string_equal(second, "00000027");   /* serial 2: 2 x 2 = 4, r = 4, check 7 */
	assert_int_equal(tu_sqlf_int(c, "SELECT count(*) FROM seals WHERE person_id = %lld AND status = 'registered'",
	                          f->head), 1);
}

static void test_household_duplicate(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;

	reg_ok(c, f->head, f->png[0], "15", "山田");
	/* The wife brings the same seal: refused. */
	reg_refused(c, counter(c, SELF_PHOTO, f->wife), f->wife, "photo_id", f->png[0], "15", "山田", 0,
	            "the same seal is already registered");
	/* Another household may register the same impression; the wife another. */
	reg_ok(c, f->other, f->png[0], "15", "佐藤");   /* 佐藤: the seal shows 佐藤 here */
	reg_ok(c, f->wife, f->png[1], "15", "山田");
}

static void test_size_limits(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	long long id;

	reg_refused(c, counter(c, SELF_PHOTO, f->head), f->head, "photo_id", f->png[0], "8", "山田", 0,
	            "more than 8 mm");
	reg_refused(c, counter(c, SELF_PHOTO, f->head), f->head, "photo_id", f->png[0], "8.0", "山田", 0,
	            "more than 8 mm");
	id = reg_ok(c, f->head, f->png[0], "8.1", "山田");
	assert_int_equal(tu_sqlf_int(c, "SELECT impression_mm * 10 FROM seals WHERE id = %lld", id), 81);
	reg_refused(c, counter(c, SELF_PHOTO, f->wife), f->wife, "photo_id", f->png[1], "25.1", "花子", 0,
	            "within 25 mm");
	reg_refused(c, counter(c, SELF_PHOTO, f->wife), f->wife, "photo_id", f->png[1], "abc", "花子", 0,
	            "in mm");
	reg_refused(c, counter(c, SELF_PHOTO, f->wife), f->wife, "photo_id", f->png[1], "-3", "花子", 0, "in mm");
	id = reg_ok(c, f->wife, f->png[1], "25", "花子");
	assert_int_equal(tu_sqlf_int(c, "SELECT impression_mm * 10 FROM seals WHERE id = %lld", id), 250);
	/* No size and no resolution in the PNG: refused; with pHYs (300 px at
	 * 20 px/mm) the size is 15 mm. */
	reg_refused(c, counter(c, SELF_PHOTO, f->other), f->other, "photo_id", f->png[2], NULL, "佐藤", 0,
	            "give the size");
	id = reg_ok(c, f->other, f->png_phys, NULL, "佐藤");
	assert_int_equal(tu_sqlf_int(c, "SELECT impression_mm * 100 FROM seals WHERE id = %lld", id), 1500);
	assert_int_equal(tu_sqlf_int(c, "SELECT impression_width_px FROM seals WHERE id = %lld", id), 300);
}

static void test_name_on_seal(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	long long id;
	char sql[128], t[24];
	struct md_error err;

	reg_refused(c, counter(c, SELF_PHOTO, f->head), f->head, "photo_id", f->png[0], "15", "佐藤", 0,
	            "not the registered name");
	reg_refused(c, counter(c, SELF_PHOTO, f->head), f->head, "photo_id", f->png[0], "15", "山田次郎", 0,
	            "not the registered name");
	REFUSED(c, MD_E_INVALID, "is missing", "seal.register", "transaction",
	        num(t, counter(c, SELF_PHOTO, f->head)), "person", num(sql, f->head), "method", "photo_id", "png",
	        f->png[0], "mm", "15", "name", "");
	id = reg_ok(c, f->head, f->png[0], "15", "山田 太郎");   /* the space does not count */
	assert_seal(c, id, "name_kind", "full");
	assert_seal(c, id, "name_on_seal", "山田 太郎");
	/* A 旧氏 counts. */
	snprintf(sql, sizeof sql, "UPDATE persons SET former_surname = '鈴木' WHERE id = %lld", f->wife);
	tu_sql_exec(c, sql);
	id = reg_ok(c, f->wife, f->png[1], "15", "鈴木");
	assert_seal(c, id, "name_kind", "former");
	assert_int_equal(run(c, &err, NULL, "seal.cancel", "person", num(t, f->wife), "transaction",
	                     num(sql, counter(c, SELF_PHOTO, f->wife)), NULL),
	                 MD_OK);
	/* A part of the name (one character of 花子). */
	id = reg_ok(c, f->wife, f->png[1], "15", "花");
	assert_seal(c, id, "name_kind", "part");
}

static void test_not_a_png(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	unsigned char buf[2048];
	char *text = tu_write(f->dir, "seal.txt", "this is not an image\n");
	char *damaged, *big, path[4200];
	size_t n = png_bytes(buf, 15, 99, 0);
	FILE *fp;

	buf[n - 20] ^= 0xff;   /* inside IDAT */
	damaged = write_bytes(f->dir, "damaged.png", buf, n);
	reg_refused(c, counter(c, SELF_PHOTO, f->head), f->head, "photo_id", text, "15", "山田", 0, "not a PNG");
	reg_refused(c, counter(c, SELF_PHOTO, f->head), f->head, "photo_id", damaged, "15", "山田", 0, "CRC");
	reg_refused(c, counter(c, SELF_PHOTO, f->head), f->head, "photo_id", f->dir, "15", "山田", 0,
	            "is not a file");
	snprintf(path, sizeof path, "%s/missing.png", f->dir);
	reg_refused(c, counter(c, SELF_PHOTO, f->head), f->head, "photo_id", path, "15", "山田", 0,
	            "cannot open");
	/* More than 2 MB. */
	big = tu_path(f->dir, "big.png");
	fp = fopen(big, "wb");
	assert_non_null(fp);
	n = png_bytes(buf, 15, 1, 0);
	fwrite(buf, 1, n, fp);
	for (long i = 0; i < MD_SEAL_PNG_MAX; i += 1024) {
		unsigned char zero[1024] = { 0 };
		fwrite(zero, 1, sizeof zero, fp);
	}
	fclose(fp);
	reg_refused(c, counter(c, SELF_PHOTO, f->head), f->head, "photo_id", big, "15", "山田", 0, "bytes");
	/* Nothing was kept. */
	snprintf(path, sizeof path, "%s/t.db.seals/1.png", f->dir);
	assert_false(tu_exists(path));
	free(text);
	free(damaged);
	free(big);
}

/* ---- guarantor -------------------------------------------------------------------- */

static void test_guarantor(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	char card[32], buf[256];
	long long gid, id;

	/* 佐藤 has no seal yet: cannot vouch. */
	reg_refused(c, counter(c, SELF_TWO_DOCS, f->head), f->head, "guarantor", f->png[0], "15", "山田",
	            f->other, "has no registered seal");
	reg_refused(c, counter(c, SELF_TWO_DOCS, f->head), f->head, "guarantor", f->png[0], "15", "山田", 0,
	            "guarantor");
	reg_refused(c, counter(c, SELF_TWO_DOCS, f->head), f->head, "guarantor", f->png[0], "15", "山田",
	            f->head, "own guarantor");
	gid = reg_ok(c, f->other, f->png[3], "15", "佐藤");
	seal_col(c, gid, "card_no", card, sizeof card);
	/* Verified by questioning only, vouched for by 佐藤: registered at once. */
	{
		struct md_error err;
		long long tx = counter(c, SELF_QUESTIONING, f->head);
		int rc = reg(c, &err, NULL, tx, f->head, "guarantor", f->png[0], "15", "山田", f->other);
		if (rc != MD_OK)
			print_error("%s\n", err.msg);
		assert_int_equal(rc, MD_OK);
	}
	id = last_seal(c);
	assert_seal(c, id, "status", "registered");
	assert_seal(c, id, "method", "guarantor");
	assert_int_equal(tu_sqlf_int(c, "SELECT guarantor_person FROM seals WHERE id = %lld", id), f->other);
	assert_int_equal(tu_sqlf_int(c, "SELECT guarantor_seal FROM seals WHERE id = %lld", id), gid);
	assert_seal(c, id, "guarantor_card_no", card);
	assert_seal(c, id, "guarantor_name", "佐藤 次郎");
	assert_seal(c, id, "guarantor_birth_date", "1970-01-01");
	seal_col(c, id, "guarantor_address", buf, sizeof buf);
	assert_string_equal(buf, ADDR_B);
	seal_col(c, id, "card_no", buf, sizeof buf);
	assert_true(md_seal_card_valid(buf));
	/* A guarantor is named only with that method. */
	reg_refused(c, counter(c, SELF_PHOTO, f->wife), f->wife, "photo_id", f->png[1], "15", "花子", f->other,
	            "only with method guarantor");
}

/* ---- mailed inquiry (照会書) ------------------------------------------------------- */

static void test_inquiry_answered(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_result res;
	struct md_error err;
	char id_s[24], tx_s[24], card[32], subject[24], letter[2048] = "";
	long long id;

	/* An agent with a 委任状: the application waits for the 照会書's answer. */
	md_result_init(&res);
	assert_int_equal(reg(c, &err, &res, counter(c, AGENT, f->wife), f->wife, "inquiry", f->png[1], "15",
	                     "花子", 0),
	                 MD_OK);
	id = last_seal(c);
	assert_seal(c, id, "status", "pending");
	assert_seal(c, id, "card_no", "");
	assert_seal(c, id, "inquiry_sent_on", "2026-04-01");
	assert_seal(c, id, "inquiry_answer_due", "2026-05-01");
	assert_seal(c, id, "applicant_category", "agent");
	assert_non_null(strstr(res.message, "pending"));
	assert_non_null(strstr(res.message, "令和8年5月1日"));
	for (int i = 0; i < res.nlines; i++) {
		strncat(letter, res.lines[i], sizeof letter - strlen(letter) - 2);
		strcat(letter, "\n");
	}
	assert_non_null(strstr(letter, "照会書"));
	assert_non_null(strstr(letter, ADDR_A));
	assert_non_null(strstr(letter, "〒100-0001"));
	assert_non_null(strstr(letter, "山田 花子 様"));
	md_result_release(&res);
	{
		struct md_seal_letter l;
		assert_int_equal(md_seal_letter(c, id, &l, &err), MD_OK);
		assert_int_equal(l.person_id, f->wife);
		assert_string_equal(l.answer_due, "2026-05-01");
	}
	/* A second application while this one waits: refused. */
	reg_refused(c, counter(c, SELF_PHOTO, f->wife), f->wife, "photo_id", f->png[1], "15", "花子", 0,
	            "waiting for the answer");

	/* The list of waiting inquiries: report.view (supervisor1), not clerk1. */
	REFUSED(c, MD_E_DENIED, "report.view", "seal.pending");
	login(c, "supervisor1");
	md_result_init(&res);
	assert_int_equal(run(c, &err, &res, "seal.pending", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_string_equal(res.table.rows[0][0], num(id_s, id));
	assert_string_equal(res.table.rows[0][5], "");
	md_result_release(&res);
	login(c, "clerk1");

	/* The answer, on its last day, by the person herself questioned at the counter. */
	md_time_set(tu_day(30));
	num(id_s, id);
	num(tx_s, counter(c, SELF_QUESTIONING, f->wife));
	md_result_init(&res);
	assert_int_equal(run(c, &err, &res, "seal.answer", "id", id_s, "transaction", tx_s, NULL), MD_OK);
	seal_col(c, id, "card_no", card, sizeof card);
	assert_true(md_seal_card_valid(card));
	assert_non_null(strstr(res.message, card));
	md_result_release(&res);
	assert_seal(c, id, "status", "registered");
	assert_seal(c, id, "registered_on", "2026-05-01");
	assert_seal(c, id, "inquiry_answered_on", "2026-05-01");
	num(subject, f->wife);
	assert_int_equal(tu_audit_count(c, "seal.answer", "ok", subject), 1);
	/* Answering again: nothing is waiting. */
	num(tx_s, counter(c, SELF_QUESTIONING, f->wife));
	REFUSED(c, MD_E_CONFLICT, "not waiting", "seal.answer", "id", id_s, "transaction", tx_s);
}

static void test_inquiry_expired(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_result res;
	struct md_error err;
	char id_s[24], tx_s[24], subject[24];
	long long id;

	/* 本人 without a photo ID: the inquiry too. */
	assert_int_equal(reg(c, &err, NULL, counter(c, SELF_TWO_DOCS, f->head), f->head, "inquiry", f->png[0],
	                     "15", "山田", 0),
	                 MD_OK);
	id = last_seal(c);
	num(id_s, id);
	md_time_set(tu_day(31));
	login(c, "supervisor1");
	md_result_init(&res);
	assert_int_equal(run(c, &err, &res, "seal.pending", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_string_not_equal(res.table.rows[0][5], "");   /* overdue */
	md_result_release(&res);
	login(c, "clerk1");
	num(tx_s, counter(c, SELF_PHOTO, f->head));
	REFUSED(c, MD_E_INVALID, "lapsed", "seal.answer", "id", id_s, "transaction", tx_s);
	assert_seal(c, id, "status", "cancelled");
	assert_seal(c, id, "cancel_reason", "expired");
	assert_seal(c, id, "card_no", "");
	num(subject, f->head);
	assert_int_equal(tu_audit_count(c, "seal.answer", "failed", subject), 1);
	/* The person applies again. */
	reg_ok(c, f->head, f->png[0], "15", "山田");

	/* A pending application past its date lapses when a new one is made. */
	assert_int_equal(reg(c, &err, NULL, counter(c, AGENT, f->wife), f->wife, "inquiry", f->png[1], "15",
	                     "花子", 0),
	                 MD_OK);
	id = last_seal(c);
	md_time_set(tu_day(31 + 31));
	reg_ok(c, f->wife, f->png[1], "15", "花子");
	assert_seal(c, id, "status", "cancelled");
	assert_seal(c, id, "cancel_reason", "expired");
}

/* ---- cancellation ----------------------------------------------------------------- */

static void test_cancel_request(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_result res;
	struct md_error err;
	struct md_seal s;
	char card[32], p[24], t[24], subject[24];
	long long id = reg_ok(c, f->head, f->png[0], "15", "山田"), refused_before;

	seal_col(c, id, "card_no", card, sizeof card);
	num(p, f->head);
	/* 廃止届 needs the transaction; ex officio needs a reason; death and
	 * move-out come from approved changes only; a wrong check digit. */
	REFUSED(c, MD_E_INVALID, "counter transaction", "seal.cancel", "card", card);
	REFUSED(c, MD_E_DENIED, "seal.cancel_ex_officio", "seal.cancel", "card", card, "reason", "ex_officio",
	        "memo", "印影が摩滅");
	REFUSED(c, MD_E_INVALID, "approved", "seal.cancel", "card", card, "reason", "death");
	REFUSED(c, MD_E_INVALID, "check digit", "seal.cancel", "card", "00000018",
	        "transaction", num(t, counter(c, SELF_PHOTO, f->head)));
	{
		char w[24], wt[24];
		REFUSED(c, MD_E_INVALID, "does not belong", "seal.cancel", "card", card, "person", num(w, f->wife),
		        "transaction", num(wt, counter(c, SELF_PHOTO, f->wife)));
	}
	REFUSED(c, MD_E_INVALID, "is about", "seal.cancel", "card", card,
	        "transaction", num(t, counter(c, SELF_PHOTO, f->wife)));
	assert_seal(c, id, "status", "registered");

	md_result_init(&res);
	assert_int_equal(run(c, &err, &res, "seal.cancel", "card", card, "transaction",
	                     num(t, counter(c, SELF_PHOTO, f->head)), NULL),
	                 MD_OK);
	assert_non_null(strstr(res.message, "no longer valid"));
	md_result_release(&res);
	assert_seal(c, id, "status", "cancelled");
	assert_seal(c, id, "cancel_reason", "request");
	assert_seal(c, id, "cancelled_on", "2026-04-01");
	assert_seal(c, id, "cancelled_by", "clerk1");
	assert_int_equal(md_seal_by_card(c, card, &s, &err), MD_E_NOTFOUND);
	assert_non_null(strstr(err.msg, "no longer valid"));
	num(subject, f->head);
	assert_int_equal(tu_audit_count(c, "seal.cancel", "ok", subject), 1);
	REFUSED(c, MD_E_NOTFOUND, "no registered seal", "seal.cancel", "person", p, "transaction",
	        num(t, counter(c, SELF_PHOTO, f->head)));

	/* Ex officio (職権抹消): a supervisor's decision, by 宛名番号, with a
	 * reason; a clerk is refused (audited). */
	id = reg_ok(c, f->head, f->png[0], "15", "山田");
	refused_before = tu_audit_count(c, "seal.cancel", "failed", subject);
	REFUSED(c, MD_E_DENIED, "seal.cancel_ex_officio", "seal.cancel", "person", p, "reason", "ex_officio",
	        "memo", "印影が摩滅");
	assert_seal(c, id, "status", "registered");
	assert_int_equal(tu_audit_count(c, "seal.cancel", "failed", subject), refused_before + 1);
	login(c, "supervisor1");
	REFUSED(c, MD_E_INVALID, "memo", "seal.cancel", "card", card, "reason", "ex_officio");
	OK(c, "seal.cancel", "person", p, "reason", "ex_officio", "memo", "印影が摩滅");
	assert_seal(c, id, "cancelled_by", "supervisor1");
	assert_seal(c, id, "cancel_reason", "ex_officio");
	assert_seal(c, id, "memo", "印影が摩滅");
	md_result_init(&res);
	assert_int_equal(run(c, &err, &res, "seal.show", "person", p, NULL), MD_OK);
	assert_non_null(strstr(res.message, "has no registered seal"));
	assert_int_equal(res.table.nrows, 2);
	md_result_release(&res);
}

/* A death approved through change.save and change.approve ends the seal. */
static void test_cancel_on_death(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_error err;
	char p[24], today[11], subject[24], detail[256];
	long long id = reg_ok(c, f->wife, f->png[1], "15", "花子"), other = reg_ok(c, f->head, f->png[0], "15", "太郎");
	long long change;

	tu_date(0, today);
	num(p, f->wife);
	OK(c, "change.save", "type", "death", "event_date", today, "p1.person", p, "p1.death_date", today);
	change = tu_sql_int(c, "SELECT max(id) FROM changes");
	/* Provisional: nothing happens yet. */
	assert_seal(c, id, "status", "registered");
	approve_last(c);
	assert_seal(c, id, "status", "cancelled");
	assert_seal(c, id, "cancel_reason", "death");
	assert_seal(c, id, "cancelled_by", "supervisor1");
	assert_int_equal(tu_sqlf_int(c, "SELECT cancel_change_id FROM seals WHERE id = %lld", id), change);
	assert_seal(c, other, "status", "registered");   /* the husband's stays */
	num(subject, f->wife);
	assert_int_equal(tu_audit_count(c, "seal.cancel", "ok", subject), 1);
	tu_sql_text(c, "SELECT detail FROM audit_log WHERE function = 'seal.cancel' ORDER BY id DESC LIMIT 1",
	            detail, sizeof detail);
	assert_non_null(strstr(detail, "reason=death"));
	/* The dead cannot register. */
	reg_refused(c, counter(c, SELF_PHOTO, f->wife), f->wife, "photo_id", f->png[1], "15", "花子", 0,
	            "not a resident");
	(void)err;
}

/* A 転出 with a planned date ends the seal when it is approved (seal.h). */
static void test_cancel_on_move_out(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	char p[24], d[11];
	long long id = reg_ok(c, f->other, f->png[3], "15", "佐藤");
	long long pending;
	struct md_error err;

	/* Someone else's pending application (一郎, 15 from the 2nd) is not affected. */
	md_time_set(tu_day(1));
	assert_int_equal(reg(c, &err, NULL, counter(c, AGENT, f->child), f->child, "inquiry", f->png[2], "12",
	                     "一郎", 0),
	                 MD_OK);
	pending = last_seal(c);
	tu_date(10, d);
	num(p, f->other);
	OK(c, "change.save", "type", "move_out", "event_date", d, "p1.person", p, "p1.out_address_planned",
	   "大阪府大阪市北区梅田二丁目2番2号");
	approve_last(c);
	assert_seal(c, id, "status", "cancelled");
	assert_seal(c, id, "cancel_reason", "moved_out");
	assert_seal(c, pending, "status", "pending");
	/* Still living here until the 10th, but no new seal after the 転出届. */
	reg_refused(c, counter(c, SELF_PHOTO, f->other), f->other, "photo_id", f->png[3], "15", "佐藤", 0,
	            "move-out");
}

/* The automatic end, called directly: pending applications end too. */
static void test_cancel_for_person(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_error err;
	long long id;

	assert_int_equal(reg(c, &err, NULL, counter(c, AGENT, f->head), f->head, "inquiry", f->png[0], "15",
	                     "山田", 0),
	                 MD_OK);
	id = last_seal(c);
	assert_int_equal(md_seal_cancel_for_person(c, f->head, "request", &err), MD_E_INVALID);
	assert_int_equal(md_seal_cancel_for_person(c, f->head, "ex_officio", &err), MD_OK);
	assert_seal(c, id, "status", "cancelled");
	assert_seal(c, id, "cancel_reason", "ex_officio");
	/* Nothing left: still fine. */
	assert_int_equal(md_seal_cancel_for_person(c, f->head, "death", &err), MD_OK);
	assert_int_equal(md_seal_person_left(c, f->wife, "resident", 0, &err), MD_OK);
}

/* ---- card numbers over many registrations ------------------------------------------ */

static void test_card_numbers_unique(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	long long persons[3] = { f->head, f->wife, f->other };
	const char *names[3] = { "山田", "花子", "佐藤" };
	char cards[9][32], t[24];

	/* Register, cancel, register again: nine cards, all different and valid. */
	for (int round = 0, k = 0; round < 3; round++) {
		for (int i = 0; i < 3; i++, k++) {
			long long id = reg_ok(c, persons[i], f->png[i == 2 ? 3 : i], "15", names[i]);
			seal_col(c, id, "card_no", cards[k], sizeof cards[k]);
			assert_true(md_seal_card_valid(cards[k]));
			for (int j = 0; j < k; j++)
				assert_string_not_equal(cards[j], cards[k]);
			OK(c, "seal.cancel", "card", cards[k], "transaction", num(t, counter(c, SELF_PHOTO, persons[i])));
		}
	}
	assert_string_equal(cards[8], "00000094");   /* serial 9: 18, r = 7, check 4 */
}

/* ---- permissions ------------------------------------------------------------------ */

static void test_permissions(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	char p[24];
	long long denied;

	num(p, f->head);
	login(c, "auditor1");
	denied = tu_audit_count(c, "seal.register", "denied", NULL);
	REFUSED(c, MD_E_DENIED, "seal.register", "seal.register", "transaction", "1", "person", p, "method",
	        "photo_id", "png", f->png[0], "mm", "15", "name", "山田");
	REFUSED(c, MD_E_DENIED, "seal.register", "seal.show", "person", p);
	REFUSED(c, MD_E_DENIED, "seal.register", "seal.cancel", "person", p);
	REFUSED(c, MD_E_DENIED, "seal.register", "seal.answer", "id", "1", "transaction", "1");
	assert_int_equal(tu_audit_count(c, "seal.register", "denied", NULL), denied + 1);
	assert_int_equal(tu_audit_count(c, "seal.show", "denied", NULL), 1);
	OK(c, "seal.pending");   /* report.view */
	assert_int_equal(seal_count(c), 0);
	login(c, "clerk1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png_inspect),
		cmocka_unit_test(test_card_check_digit),
		cmocka_unit_test_setup_teardown(test_photo_id_immediate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_photo_id_needs_photo_and_self, setup, teardown),
		cmocka_unit_test_setup_teardown(test_age_boundary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guardianship, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_per_person, setup, teardown),
		cmocka_unit_test_setup_teardown(test_household_duplicate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_size_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_on_seal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_png, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guarantor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inquiry_answered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inquiry_expired, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_on_death, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_on_move_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_for_person, setup, teardown),
		cmocka_unit_test_setup_teardown(test_card_numbers_unique, setup, teardown),
		cmocka_unit_test_setup_teardown(test_permissions, setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
