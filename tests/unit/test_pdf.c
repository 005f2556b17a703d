/* test_pdf.c: certificates rendered to PDF (pdf.c, through cert.issue) and
 * read back with pdftotext (poppler-utils): names, wording, date, mayor,
 * issue number and verification code present, omitted items absent; the
 * seal impression and the official seal as images; a text too long for its
 * box refuses the certificate naming the field; the spool directory and the
 * print command. Each test is skipped when pdftotext is not installed. */
#include "config.h"

#include <stdarg.h>
#include <sys/stat.h>

#define TU_WITH_DB
#include "testutil.h"

#include "certificate.h"
#include "cmd.h"
#include "ctx.h"
#include "error.h"
#include "pdf.h"
#include "result.h"
#include "seal.h"
#include "settings.h"
#include "store.h"
#include "timeutil.h"

#define EVENT "2026-03-25"
#define MYNUMBER "123456789018"
#define CARD "00000019"      /* a 印鑑登録証 number for the test's seal row */

static struct world {
	char *dir, *db, *seal_png, *impression_png;
	struct md_settings cfg;
	struct md_ctx *clerk, *sup, *trainer;   /* trainer1 holds honseki.view and mynumber.view */
	long long taro, hanako, ichiro, jiro, saburo, suzuki, smith;
	int have_pdftotext;
} W;

/* ---- a small PNG writer (stored deflate blocks): no image library needed ---- */

static unsigned long crc_table[256];

static unsigned long crc32_of(const unsigned char *p, size_t n, unsigned long crc)
{
	if (!crc_table[1])
		for (unsigned long i = 0; i < 256; i++) {
			unsigned long c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xEDB88320UL ^ (c >> 1) : c >> 1;
			crc_table[i] = c;
		}
	crc ^= 0xFFFFFFFFUL;
	for (size_t i = 0; i < n; i++)
		crc = crc_table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
	return crc ^ 0xFFFFFFFFUL;
}

static void put32(unsigned char *p, unsigned long v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void chunk(FILE *f, const char *type, const unsigned char *data, size_t n)
{
	unsigned char head[8], crc[4];
	unsigned char *buf = malloc(n + 4);
	put32(head, (unsigned long)n);
	memcpy(head + 4, type, 4);
	memcpy(buf, type, 4);
	if (n)
		memcpy(buf + 4, data, n);
	put32(crc, crc32_of(buf, n + 4, 0));
	fwrite(head, 1, 8, f);
	if (n)
		fwrite(data, 1, n, f);
	fwrite(crc, 1, 4, f);
	free(buf);
}

/* A red ring on white, size x size pixels (RGB), with a pHYs of dpm dots
 * per metre when dpm > 0. */
static char *write_ring_png(const char *name, unsigned size, unsigned long dpm)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	size_t row = 1 + (size_t)size * 3, raw_n = row * size, zcap = raw_n + raw_n / 65535 * 5 + 64;
	unsigned char *raw = malloc(raw_n), *z = malloc(zcap), ihdr[13], phys[9];
	unsigned long a = 1, b = 0;
	size_t zn = 0, off = 0;
	char *path = tu_path(W.dir, name);
	double c = (size - 1) / 2.0;
	FILE *f;

	for (unsigned y = 0; y < size; y++) {
		raw[y * row] = 0;
		for (unsigned x = 0; x < size; x++) {
			double dx = x - c, dy = y - c, d2 = dx * dx + dy * dy, r = size / 2.0;
			int ink = d2 < r * r && d2 > (r * 0.8) * (r * 0.8);
			unsigned char *px = raw + y * row + 1 + x * 3;
			px[0] = 255;
			px[1] = ink ? 0 : 255;
			px[2] = ink ? 0 : 255;
		}
	}
	z[zn++] = 0x78;
	z[zn++] = 0x01;
	while (off < raw_n) {
		size_t n = raw_n - off > 65535 ? 65535 : raw_n - off;
		z[zn++] = off + n == raw_n;
		z[zn++] = (unsigned char)(n & 0xFF);
		z[zn++] = (unsigned char)(n >> 8);
		z[zn++] = (unsigned char)(~n & 0xFF);
		z[zn++] = (unsigned char)((~n >> 8) & 0xFF);
		memcpy(z + zn, raw + off, n);
		zn += n;
		off += n;
	}
	for (size_t i = 0; i < raw_n; i++) {
		a = (a + raw[i]) % 65521;
		b = (b + a) % 65521;
	}
	put32(z + zn, (b << 16) | a);
	zn += 4;
	put32(ihdr, size);
	put32(ihdr + 4, size);
	ihdr[8] = 8;
	ihdr[9] = 2;
	ihdr[10] = ihdr[11] = ihdr[12] = 0;
	f = fopen(path, "wb");
	assert_non_null(f);
	fwrite(sig, 1, 8, f);
	chunk(f, "IHDR", ihdr, 13);
	if (dpm) {
		put32(phys, dpm);
		put32(phys + 4, dpm);
		phys[8] = 1;
		chunk(f, "pHYs", phys, 9);
	}
	chunk(f, "IDAT", z, zn);
	chunk(f, "IEND", NULL, 0);
	fclose(f);
	free(raw);
	free(z);
	return path;
}

/* ---- helpers ------------------------------------------------------------------------- */

static int vrun(struct md_ctx *c, struct md_result *res, struct md_error *err, const char *name,
                va_list ap)
{
	struct md_args a;
	const char *k;

	md_args_init(&a);
	while ((k = va_arg(ap, const char *)) != NULL)
		assert_int_equal(md_args_set(&a, k, va_arg(ap, const char *)), 0);
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

static char *idtext(long long id)
{
	static char buf[8][24];
	static int k;
	k = (k + 1) % 8;
	snprintf(buf[k], sizeof buf[k], "%lld", id);
	return buf[k];
}

static long long person(const char *surname, const char *given)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT id FROM persons WHERE surname = '%s' AND given_name = '%s'",
	         surname, given);
	return tu_sql_int(W.clerk, sql);
}

static void change_approved(struct md_ctx *maker, ...)
{
	struct md_result res;
	struct md_error err;
	va_list ap;
	int rc;

	va_start(ap, maker);
	rc = vrun(maker, &res, &err, "change.save", ap);
	va_end(ap);
	if (rc != MD_OK)
		print_error("change.save: %s (%s)\n", err.msg, err.field);
	assert_int_equal(rc, MD_OK);
	md_result_release(&res);
	ok(W.sup, "change.approve", "id", idtext(tu_sql_int(W.clerk, "SELECT max(id) FROM changes")), NULL);
}

static struct md_ctx *login(const struct md_settings *cfg, const char *user)
{
	struct md_ctx *c = tu_open(cfg, W.db, MD_DB_TRAINING);
	ok(c, "login", "user", user, "password", "demo", NULL);
	return c;
}

static long long tx(struct md_ctx *c, const char *category, long long subject, long long applicant)
{
	long long id;
	int third = strcmp(category, "third_party") == 0;

	ok(c, "counter.open", "request", "certificate", NULL);
	id = tu_sql_int(c, "SELECT max(id) FROM counter_transactions");
	ok(c, "counter.verify", "transaction", idtext(id), "category", category, "applicant_name",
	   "窓口 申請者", "documents", "driver_license", "photo_matched", "1",
	   third ? "purpose" : NULL, "債権の回収", NULL);
	if (applicant)
		ok(c, "counter.subject", "transaction", idtext(id), "person", idtext(subject),
		   "applicant_person", idtext(applicant), NULL);
	else
		ok(c, "counter.subject", "transaction", idtext(id), "person", idtext(subject), NULL);
	return id;
}

/* cert.issue on transaction t; rc returned, the result released. */
static int issue(struct md_ctx *c, struct md_error *err, long long t, ...)
{
	struct md_result res;
	struct md_args a;
	va_list ap;
	const char *k;
	int rc;

	md_args_init(&a);
	md_args_set(&a, "transaction", idtext(t));
	va_start(ap, t);
	while ((k = va_arg(ap, const char *)) != NULL)
		md_args_set(&a, k, va_arg(ap, const char *));
	va_end(ap);
	md_result_init(&res);
	rc = md_cmd_exec(c, "cert.issue", &a, &res, err);
	md_result_release(&res);
	return rc;
}

/* Text of a file with every space, full-width space and line break taken
 * out, pages separated by \f kept. */
static char *squeeze(char *s)
{
	char *o = s;
	for (char *p = s; *p;) {
		if (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') {
			p++;
		} else if (!strncmp(p, "\xE3\x80\x80", 3)) {
			p += 3;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return s;
}

/* pdftotext of a PDF, squeezed (allocated). */
static char *pdf_text(const char *pdf)
{
	char *txt = tu_path(W.dir, "out.txt"), cmd[8600], *text;
	snprintf(cmd, sizeof cmd, "pdftotext -layout -enc UTF-8 '%s' '%s'", pdf, txt);
	assert_int_equal(system(cmd), 0);
	text = tu_read(txt, NULL);
	assert_non_null(text);
	unlink(txt);
	free(txt);
	return squeeze(text);
}

/* Images in a PDF (pdfimages -list), or -1 when pdfimages is missing. */
static int pdf_images(const char *pdf)
{
	char cmd[4200], *out = tu_path(W.dir, "images.txt"), *text;
	int lines = 0;

	snprintf(cmd, sizeof cmd, "pdfimages -list '%s' > '%s' 2>/dev/null", pdf, out);
	if (system(cmd) != 0) {
		free(out);
		return -1;
	}
	text = tu_read(out, NULL);
	for (char *p = text; p && *p; p++)
		if (*p == '\n')
			lines++;
	free(text);
	unlink(out);
	free(out);
	return lines - 2;   /* two header lines */
}

static void latest(const char *col, char *buf, size_t n)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT %s FROM issuances ORDER BY id DESC LIMIT 1", col);
	tu_sql_text(W.clerk, sql, buf, n);
}

/* The text of the latest issued copy's PDF. */
static char *latest_text(void)
{
	char path[4096];
	latest("spool_path", path, sizeof path);
	assert_true(tu_exists(path));
	return pdf_text(path);
}

static void contains(const char *text, const char *want)
{
	char *w = squeeze(strdup(want));
	if (!strstr(text, w))
		print_error("missing \"%s\" in:\n%s\n", w, text);
	assert_non_null(strstr(text, w));
	free(w);
}

static void lacks(const char *text, const char *unwanted)
{
	char *w = squeeze(strdup(unwanted));
	if (strstr(text, w))
		print_error("unexpected \"%s\" in:\n%s\n", w, text);
	assert_null(strstr(text, w));
	free(w);
}

#define NEED_PDFTOTEXT() do { if (!W.have_pdftotext) { skip(); } } while (0)

/* ---- the ward ------------------------------------------------------------------------- */

static void build_world(void)
{
	char impression_hash[65];

	change_approved(W.clerk, "type", "move_in", "event_date", EVENT, "address", "見本区見本町一丁目2番3号",
	       "katagaki", "見本荘101", "previous_address", "東京都千代田区千代田1-1",
	       "p1.relationship", "世帯主", "p1.surname", "山田", "p1.given_name", "太郎",
	       "p1.surname_kana", "ヤマダ", "p1.given_name_kana", "タロウ", "p1.birth_date", "S55.3.14",
	       "p1.sex", "男", "p1.honseki", "見本県見本市本町1番地", "p1.hittosha", "山田 一郎",
	       "p1.mynumber", MYNUMBER, "p1.juminhyo_code", "12345678903",
	       "p2.relationship", "妻", "p2.surname", "山田", "p2.given_name", "花子",
	       "p2.surname_kana", "ヤマダ", "p2.given_name_kana", "ハナコ", "p2.birth_date", "1982-07-01",
	       "p2.sex", "女", "p2.honseki", "見本県見本市本町1番地", "p2.hittosha", "山田 一郎",
	       "p3.relationship", "子", "p3.surname", "山田", "p3.given_name", "一郎",
	       "p3.surname_kana", "ヤマダ", "p3.given_name_kana", "イチロウ", "p3.birth_date", "2008-01-01",
	       "p3.sex", "男", "p3.honseki", "見本県見本市本町1番地", "p3.hittosha", "山田 一郎",
	       "p4.relationship", "子", "p4.surname", "山田", "p4.given_name", "次郎",
	       "p4.surname_kana", "ヤマダ", "p4.given_name_kana", "ジロウ", "p4.birth_date", "2010-01-01",
	       "p4.sex", "男", "p4.honseki", "見本県見本市本町1番地", "p4.hittosha", "山田 一郎",
	       "p5.relationship", "子", "p5.surname", "山田", "p5.given_name", "三郎",
	       "p5.surname_kana", "ヤマダ", "p5.given_name_kana", "サブロウ", "p5.birth_date", "2012-01-01",
	       "p5.sex", "男", "p5.honseki", "見本県見本市本町1番地", "p5.hittosha", "山田 一郎", NULL);
	W.taro = person("山田", "太郎");
	W.hanako = person("山田", "花子");
	W.ichiro = person("山田", "一郎");
	W.jiro = person("山田", "次郎");
	W.saburo = person("山田", "三郎");

	change_approved(W.clerk, "type", "move_in", "event_date", EVENT, "address", "見本区西見本三丁目5番5号",
	       "previous_address", "東京都千代田区千代田1-1", "p1.relationship", "世帯主", "p1.surname", "鈴木",
	       "p1.given_name", "次郎", "p1.surname_kana", "スズキ", "p1.given_name_kana", "ジロウ",
	       "p1.birth_date", "1940-04-04", "p1.sex", "男", "p1.honseki", "東京都", "p1.hittosha", "鈴木 次郎",
	       NULL);
	W.suzuki = person("鈴木", "次郎");
	change_approved(W.clerk, "type", "death", "event_date", "2026-03-30", "p1.person", idtext(W.suzuki),
	                NULL);

	change_approved(W.clerk, "type", "move_in_abroad", "event_date", EVENT, "address", "見本区旭町1番1号",
	       "previous_address", "アメリカ合衆国", "p1.relationship", "世帯主", "p1.resident_type", "外国人",
	       "p1.surname", "SMITH", "p1.given_name", "JOHN", "p1.surname_kana", "スミス",
	       "p1.given_name_kana", "ジョン", "p1.alias", "川田 花代", "p1.alias_kana", "カワダ ハナヨ", "p1.birth_date", "1985-06-15", "p1.sex", "男",
	       "p1.nationality", "USA", "p1.residence_status", "永住者", NULL);
	W.smith = person("SMITH", "JOHN");
	/* As if imported from another system that allowed a 通称 of 200
	 * characters: longer than its box on the 住民票 even at its smallest. */
	{
		char sql[2048], alias[801] = "";
		for (int i = 0; i < 50; i++)
			strcat(alias, "川田花代");
		snprintf(sql, sizeof sql, "UPDATE persons SET alias = '%s' WHERE id = %lld", alias, W.smith);
		tu_sql_exec(W.clerk, sql);
	}

	/* 花子's registered seal: a 15 mm ring. */
	W.impression_png = write_ring_png("seals-1.png", 177, 0);
	{
		/* The impression's fingerprint, checked before it is printed. */
		struct md_error e;
		assert_int_equal(md_seal_hash_file(W.impression_png, impression_hash, &e), MD_OK);
	}
	tu_sql_exec(W.clerk, "INSERT INTO counter_transactions (opened_by, opened_at, terminal, request, "
	                     "status) VALUES ('clerk1', '2026-03-26T01:00:00Z', '本庁1', 'seal', 'closed')");
	{
		char sql[2048];
		snprintf(sql, sizeof sql,
		         "INSERT INTO seals (person_id, household_id, status, method, card_no, card_issued_on, "
		         "applied_on, applied_at, applied_by, terminal, transaction_id, applicant_category, "
		         "applicant_name, verification_method, impression_path, impression_hash, impression_mm, "
		         "impression_width_px, impression_height_px, impression_bytes, name_on_seal, name_kind, "
		         "registered_on, registered_at, registered_by) SELECT %lld, household_id, 'registered', "
		         "'photo_id', '%s', '2026-03-26', '2026-03-26', '2026-03-26T01:00:00Z', 'clerk1', '本庁1', "
		         "(SELECT max(id) FROM counter_transactions), 'self', '山田 花子', 'photo_id', "
		         "'seals-1.png', '%s', 15.0, 177, 177, 1000, '山田', 'surname', '2026-03-26', "
		         "'2026-03-26T01:00:00Z', 'clerk1' FROM persons WHERE id = %lld",
		         W.hanako, CARD, impression_hash, W.hanako);
		tu_sql_exec(W.clerk, sql);
	}
	/* The official seal (公印) for the configuration that prints one. */
	W.seal_png = write_ring_png("koin.png", 250, 11811);
}

static int group_setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	md_time_set(tu_day(0));
	W.have_pdftotext = system("pdftotext -v > /dev/null 2>&1") == 0;
	md_settings_defaults(&W.cfg);
	if (!(W.dir = tu_tmpdir()))
		return -1;
	W.db = tu_create_db(W.dir, "ward.db", &W.cfg, MD_DB_TRAINING);
	W.clerk = login(&W.cfg, "clerk1");
	W.sup = login(&W.cfg, "supervisor1");
	W.trainer = login(&W.cfg, "trainer1");
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
	free(W.seal_png);
	free(W.impression_png);
	md_time_set(0);
	return 0;
}

/* ---- the certificates ----------------------------------------------------------------------- */

static void test_juminhyo(void **state)
{
	struct md_error err;
	char number[256], code[16], shown[16], *text;
	long long t;

	(void)state;
	NEED_PDFTOTEXT();
	t = tx(W.clerk, "self", W.taro, W.taro);
	assert_int_equal(issue(W.clerk, &err, t, "type", "juminhyo", "members", idtext(W.taro), NULL),
	                 MD_OK);
	latest("issue_number", number, sizeof number);
	latest("verification_code", code, sizeof code);
	md_cert_vcode_format(code, shown);
	text = latest_text();
	contains(text, "住民票の写し");
	contains(text, "氏名 山田 太郎");
	contains(text, "ヤマダ タロウ");
	contains(text, "昭和55年3月14日");
	contains(text, "見本区見本町一丁目2番3号 見本荘101");
	contains(text, "この写しは、世帯の一部の住民票の原本と相違ないことを証明する。");
	contains(text, "令和8年4月1日");
	contains(text, "見本区長 見本 太郎");
	contains(text, "公印省略");
	lacks(text, "この印は黒色です");
	{
		char want[300];
		snprintf(want, sizeof want, "%s 1/1", number);
		contains(text, want);
	}
	assert_true(strncmp(number, "見本-20260401 見本区 本庁1 PR001 ", strlen("見本-20260401 見本区 本庁1 PR001 ")) == 0);
	contains(text, shown);
	/* Omitted by default: absent from the paper. */
	lacks(text, "山田 花子");
	lacks(text, "続柄");
	lacks(text, "見本県見本市本町1番地");
	lacks(text, "筆頭者");
	lacks(text, "12345678903");
	lacks(text, MYNUMBER);
	lacks(text, "個人番号");
	free(text);
}

static void test_mynumber_and_pages(void **state)
{
	struct md_error err;
	char *text, *ff;
	long long t;

	(void)state;
	NEED_PDFTOTEXT();
	/* 本籍 and 個人番号 need honseki.view and mynumber.view: trainer1 holds them. */
	t = tx(W.trainer, "self", W.taro, W.taro);
	assert_int_equal(issue(W.trainer, &err, t, "type", "juminhyo", "include",
	                       "head_rel,honseki,mynumber,juminhyo_code", NULL), MD_OK);
	assert_int_equal(tu_sql_int(W.clerk, "SELECT pages FROM issuances ORDER BY id DESC LIMIT 1"), 2);
	text = latest_text();
	/* The paper carries the number in clear; the audit log records that it did. */
	contains(text, MYNUMBER);
	contains(text, "12345678903");
	contains(text, "世帯主 山田 太郎");
	contains(text, "続柄 子");
	contains(text, "本籍 見本県見本市本町1番地");
	assert_true(tu_sql_int(W.clerk, "SELECT mynumber FROM audit_log WHERE function = 'cert.issue' "
	                                "ORDER BY id DESC LIMIT 1") == 1);
	/* Five persons: page 1 has four, page 2 the fifth and the wording. */
	ff = strchr(text, '\f');
	assert_non_null(ff);
	*ff = '\0';
	contains(text, "山田 次郎");
	lacks(text, "山田 三郎");
	lacks(text, "この写しは");
	contains(text, "1/2");
	contains(text, "次頁に続く");
	contains(ff + 1, "山田 三郎");
	contains(ff + 1, "この写しは、世帯全員の住民票の原本と相違ないことを証明する。");
	contains(ff + 1, "2/2");
	free(text);
}

static void test_joshu_kisai_code_notice(void **state)
{
	struct md_error err;
	char *text;
	long long t;

	(void)state;
	NEED_PDFTOTEXT();
	t = tx(W.clerk, "third_party", W.suzuki, 0);
	assert_int_equal(issue(W.clerk, &err, t, "type", "joshu", NULL), MD_OK);
	text = latest_text();
	contains(text, "住民票の除票の写し");
	contains(text, "鈴木 次郎");
	contains(text, "令和8年3月30日 死亡");
	contains(text, "この写しは、住民票の除票の原本と相違ないことを証明する。");
	lacks(text, "本籍");      /* omitted */
	free(text);

	t = tx(W.clerk, "self", W.taro, W.taro);
	assert_int_equal(issue(W.clerk, &err, t, "type", "kisai", "items", "name,birth_date,sex", NULL),
	                 MD_OK);
	text = latest_text();
	contains(text, "住民票記載事項証明書");
	contains(text, "山田 太郎");
	contains(text, "生年月日 昭和55年3月14日");
	contains(text, "性別 男");
	contains(text, "上記の事項は、住民票に記載されていることを証明する。");
	lacks(text, "見本区見本町");
	free(text);

	assert_int_equal(issue(W.clerk, &err, t, "type", "code_notice", NULL), MD_OK);
	text = latest_text();
	contains(text, "住民票コード通知票");
	contains(text, "住民票コード 12345678903");
	contains(text, "上記のとおり、あなたの住民票コードを通知します。");
	free(text);
	assert_int_equal(tu_sql_int(W.clerk, "SELECT fee FROM issuances ORDER BY id DESC LIMIT 1"), 0);
}

static void test_inkan(void **state)
{
	struct md_error err;
	char *text, path[4096];
	long long t;
	int images;

	(void)state;
	NEED_PDFTOTEXT();
	t = tx(W.clerk, "self", W.hanako, W.hanako);
	assert_int_equal(issue(W.clerk, &err, t, "type", "inkan", "card_no", "00000027", NULL), MD_E_DENIED);
	assert_string_equal(err.field, "card_no");
	assert_int_equal(issue(W.clerk, &err, t, "type", "inkan", "card_no", CARD, NULL), MD_OK);
	text = latest_text();
	contains(text, "印鑑登録証明書");
	contains(text, "氏名 山田 花子");
	contains(text, "昭和57年7月1日");
	contains(text, "この写しは、登録されている印影と相違ないことを証明する。");
	contains(text, "見本区見本町一丁目2番3号");
	free(text);
	latest("spool_path", path, sizeof path);
	images = pdf_images(path);
	if (images >= 0)
		assert_int_equal(images, 1);   /* the impression */
}

static void test_official_seal_image(void **state)
{
	struct md_settings cfg = W.cfg;
	struct md_error err;
	struct md_ctx *c;
	char *text, path[4096];
	long long t;

	(void)state;
	NEED_PDFTOTEXT();
	snprintf(cfg.seal_image, sizeof cfg.seal_image, "%s", W.seal_png);
	snprintf(cfg.deputy_title, sizeof cfg.deputy_title, "副区長");
	snprintf(cfg.deputy_name, sizeof cfg.deputy_name, "見本 次郎");
	c = login(&cfg, "clerk1");
	t = tx(c, "official", W.taro, 0);
	assert_int_equal(issue(c, &err, t, "type", "juminhyo", NULL), MD_OK);
	text = latest_text();
	contains(text, "公用");
	contains(text, "この印は黒色です");
	lacks(text, "公印省略");
	contains(text, "見本区長職務代理者 副区長 見本 次郎");
	lacks(text, "見本 太郎");
	free(text);
	latest("spool_path", path, sizeof path);
	if (pdf_images(path) >= 0)
		assert_int_equal(pdf_images(path), 1);
	md_ctx_free(&c);

	/* A seal image that cannot be read refuses before anything is issued. */
	snprintf(cfg.seal_image, sizeof cfg.seal_image, "%s/none.png", W.dir);
	c = login(&cfg, "clerk1");
	t = tx(c, "official", W.taro, 0);
	assert_int_equal(issue(c, &err, t, "type", "juminhyo", NULL), MD_E_IO);
	assert_string_equal(err.field, "seal");
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM issuances WHERE transaction_id = (SELECT "
	                               "max(id) FROM counter_transactions)"), 0);
	md_ctx_free(&c);
}

/* ---- text too long, spool, printing ---------------------------------------------------------- */

static int spool_files(const char *dir)
{
	char cmd[4200], *out = tu_path(W.dir, "ls.txt"), *text;
	int n = 0;
	snprintf(cmd, sizeof cmd, "ls '%s' > '%s' 2>/dev/null", dir, out);
	if (system(cmd) != 0) {
		free(out);
		return 0;
	}
	text = tu_read(out, NULL);
	for (char *p = text; p && *p; p++)
		if (*p == '\n')
			n++;
	free(text);
	unlink(out);
	free(out);
	return n;
}

static void test_text_too_long(void **state)
{
	struct md_error err;
	struct md_result res;
	char *spool = tu_path(W.dir, "spool");
	long long t, before, files;

	(void)state;
	t = tx(W.clerk, "self", W.smith, W.smith);
	before = tu_sql_int(W.clerk, "SELECT count(*) FROM issuances");
	files = spool_files(spool);
	assert_int_equal(issue(W.clerk, &err, t, "type", "juminhyo", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "alias");
	assert_non_null(strstr(err.msg, "does not fit"));
	assert_non_null(strstr(err.msg, "川田花代"));
	/* Nothing issued: no row, no file, no fee. */
	assert_int_equal(tu_sql_int(W.clerk, "SELECT count(*) FROM issuances"), before);
	assert_int_equal(spool_files(spool), files);
	assert_int_equal(tu_sql_int(W.clerk, "SELECT fee_total FROM counter_transactions ORDER BY id DESC "
	                                     "LIMIT 1"), 0);
	/* The preview says so too. */
	assert_int_equal(run(W.clerk, &res, &err, "cert.preview", "transaction", idtext(t), "type",
	                     "juminhyo", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "alias");
	md_result_release(&res);
	free(spool);
}

/* The page model alone: shrinking, then the refusal naming the element. */
static void test_fit(void **state)
{
	static const char layout[] =
		"element\tkind\twhen\tx\ty\tw\th\tsize\tmin\talign\ttext\n"
		"address\ttext\t-\t10\t10\t40\t6\t12\t6\tleft\t住所　{address}\n"
		"fixed\ttext\t-\t10\t20\t40\t6\t12\t0\tleft\t{address}\n";
	struct md_layout l;
	struct md_vars v;
	struct md_pdf_doc d;
	struct md_error err;

	(void)state;
	assert_int_equal(md_layout_parse(layout, "t.tsv", &l, &err), MD_OK);
	md_vars_init(&v);
	md_vars_set(&v, "address", "見本区");
	assert_int_equal(md_pdf_build(&l, &v, NULL, 0, 0, &d, &err), MD_OK);
	assert_int_equal(md_pdf_fit(&d, &err), MD_OK);
	assert_true(d.pages[0].items[0].fitted == 12);
	md_pdf_doc_release(&d);
	/* Longer: shrunk below 12 pt, still at least 6. */
	md_vars_set(&v, "address", "見本区見本町一丁目二番三号見本荘");
	assert_int_equal(md_pdf_build(&l, &v, NULL, 0, 0, &d, &err), MD_OK);
	d.pages[0].n = 1;   /* only the shrinkable one */
	assert_int_equal(md_pdf_fit(&d, &err), MD_OK);
	assert_true(d.pages[0].items[0].fitted < 12 && d.pages[0].items[0].fitted >= 6);
	d.pages[0].n = 2;
	md_pdf_doc_release(&d);
	/* The one that may not shrink refuses, named. */
	assert_int_equal(md_pdf_build(&l, &v, NULL, 0, 0, &d, &err), MD_OK);
	assert_int_equal(md_pdf_fit(&d, &err), MD_E_INVALID);
	assert_string_equal(err.field, "fixed");
	md_pdf_doc_release(&d);
	/* Far too long even at 6 pt. */
	md_vars_set(&v, "address", "見本区見本町一丁目二番三号見本荘見本区見本町一丁目二番三号見本荘"
	                           "見本区見本町一丁目二番三号見本荘見本区見本町一丁目二番三号見本荘");
	assert_int_equal(md_pdf_build(&l, &v, NULL, 0, 0, &d, &err), MD_OK);
	assert_int_equal(md_pdf_fit(&d, &err), MD_E_INVALID);
	assert_string_equal(err.field, "address");
	md_pdf_doc_release(&d);
	md_vars_release(&v);
	md_layout_release(&l);
}

static void test_write_training_and_png(void **state)
{
	static const char layout[] =
		"element\tkind\twhen\tx\ty\tw\th\tsize\tmin\talign\ttext\n"
		"title\ttext\t-\t10\t10\t150\t12\t18\t10\tcenter\t{title}\n"
		"box\tframe\t-\t10\t30\t100\t50\t0\t0\tleft\t\n"
		"rule\tline\t-\t10\t90\t100\t0\t0\t0\tleft\t\n"
		"mark\timage\t-\t10\t100\t30\t30\t0\t0\ttrue\t{mark}\n";
	struct md_layout l;
	struct md_vars v;
	struct md_pdf_doc d;
	struct md_error err;
	char *pdf = tu_path(W.dir, "direct.pdf"), *text;

	(void)state;
	NEED_PDFTOTEXT();
	/* pHYs: 11811 dots per metre = 300 dpi = 11.811 px/mm. */
	assert_true(md_png_px_per_mm(W.seal_png) > 11.8 && md_png_px_per_mm(W.seal_png) < 11.82);
	assert_true(md_png_px_per_mm(W.impression_png) == 0);
	assert_true(md_png_px_per_mm(W.db) == 0);
	assert_int_equal(md_layout_parse(layout, "t.tsv", &l, &err), MD_OK);
	md_vars_init(&v);
	md_vars_set(&v, "title", "テスト証明書");
	md_vars_set(&v, "mark", W.seal_png);   /* 250 px at 300 dpi: 21 mm, fits 30 */
	assert_int_equal(md_pdf_build(&l, &v, NULL, 0, 0, &d, &err), MD_OK);
	d.training = 1;
	assert_int_equal(md_pdf_write(&d, pdf, &err), MD_OK);
	text = pdf_text(pdf);
	contains(text, "テスト証明書");
	/* 「見本」 drawn diagonally: its characters come out in either order. */
	contains(text, "見");
	contains(text, "本");
	free(text);
	/* Never over an existing file. */
	assert_int_equal(md_pdf_write(&d, pdf, &err), MD_E_CONFLICT);
	md_pdf_doc_release(&d);
	/* Without a resolution the true size is unknown. */
	md_vars_set(&v, "mark", W.impression_png);
	assert_int_equal(md_pdf_build(&l, &v, NULL, 0, 0, &d, &err), MD_OK);
	assert_int_equal(md_pdf_fit(&d, &err), MD_E_INVALID);
	assert_string_equal(err.field, "mark");
	md_pdf_doc_release(&d);
	md_vars_set(&v, "mark_mm", "15");
	assert_int_equal(md_pdf_build(&l, &v, NULL, 0, 0, &d, &err), MD_OK);
	assert_int_equal(md_pdf_fit(&d, &err), MD_OK);
	md_pdf_doc_release(&d);
	/* A true size larger than the box refuses. */
	md_vars_set(&v, "mark_mm", "31");
	assert_int_equal(md_pdf_build(&l, &v, NULL, 0, 0, &d, &err), MD_OK);
	assert_int_equal(md_pdf_fit(&d, &err), MD_E_INVALID);
	assert_string_equal(err.field, "mark");
	assert_non_null(strstr(err.msg, "true size"));
	md_pdf_doc_release(&d);
	md_vars_release(&v);
	md_layout_release(&l);
	free(pdf);
}

static void test_spool_and_print(void **state)
{
	struct md_settings cfg = W.cfg;
	struct md_error err;
	struct md_ctx *c;
	char *spool = tu_path(W.dir, "custom-spool"), path[4096];
	long long t;
	struct stat st;

	(void)state;
	/* A spool directory of the configuration, made 0700. */
	snprintf(cfg.spool_dir, sizeof cfg.spool_dir, "%s", spool);
	snprintf(cfg.print_command, sizeof cfg.print_command, "/bin/true");
	c = login(&cfg, "clerk1");
	t = tx(c, "self", W.taro, W.taro);
	assert_int_equal(issue(c, &err, t, "type", "juminhyo", NULL), MD_OK);
	latest("spool_path", path, sizeof path);
	assert_true(strncmp(path, spool, strlen(spool)) == 0);
	assert_true(tu_exists(path));
	assert_int_equal(stat(spool, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM issuances WHERE id = (SELECT max(id) FROM "
	                               "issuances) AND print_status = 'printed'"), 1);
	md_ctx_free(&c);

	/* The command gets the file as its last argument. */
	snprintf(cfg.print_command, sizeof cfg.print_command, "/bin/cp -p");
	{
		char dest[4096];
		c = login(&cfg, "clerk1");
		t = tx(c, "self", W.taro, W.taro);
		assert_int_equal(issue(c, &err, t, "type", "juminhyo", NULL), MD_E_IO);   /* cp needs a target */
		assert_non_null(strstr(err.msg, "/bin/cp"));
		assert_non_null(strstr(err.msg, "is issued and recorded"));
		assert_string_equal(err.field, "print.command");
		assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM issuances WHERE id = (SELECT max(id) FROM "
		                               "issuances) AND print_status = 'print_failed'"), 1);
		md_ctx_free(&c);
		/* cp -t DIR FILE: the copy lands in DIR. */
		snprintf(cfg.print_command, sizeof cfg.print_command, "/bin/cp -t %s", W.dir);
		c = login(&cfg, "clerk1");
		t = tx(c, "self", W.taro, W.taro);
		assert_int_equal(issue(c, &err, t, "type", "juminhyo", NULL), MD_OK);
		latest("spool_path", path, sizeof path);
		snprintf(dest, sizeof dest, "%s/%s", W.dir, strrchr(path, '/') + 1);
		assert_true(tu_exists(dest));
		md_ctx_free(&c);
	}
	/* A program that does not exist. */
	snprintf(cfg.print_command, sizeof cfg.print_command, "/nonexistent/lp -d PR001");
	c = login(&cfg, "clerk1");
	t = tx(c, "self", W.taro, W.taro);
	assert_int_equal(issue(c, &err, t, "type", "juminhyo", NULL), MD_E_IO);
	assert_non_null(strstr(err.msg, "/nonexistent/lp"));
	md_ctx_free(&c);
	free(spool);
}

/* cert print: a copy sent to the printer again after a printer failure,
 * by the clerk of its open transaction or a supervisor; refused without a
 * print command (naming the setting), for a voided copy, for a closed
 * transaction's clerk, and once its PDF has left the spool. */
static void test_print_again(void **state)
{
	struct md_settings cfg = W.cfg, none = W.cfg;
	struct md_result res;
	struct md_error err;
	struct md_ctx *c, *sup;
	char sql[256];
	long long t, id, audits;

	(void)state;
	snprintf(cfg.print_command, sizeof cfg.print_command, "/bin/false");
	none.print_command[0] = '\0';
	c = login(&cfg, "clerk1");
	t = tx(c, "self", W.taro, W.taro);
	assert_int_equal(issue(c, &err, t, "type", "juminhyo", NULL), MD_E_IO);
	id = tu_sql_int(c, "SELECT max(id) FROM issuances");
	snprintf(sql, sizeof sql, "SELECT print_status = 'print_failed' FROM issuances WHERE id = %lld", id);
	assert_int_equal(tu_sql_int(c, sql), 1);
	audits = tu_audit_count(c, "cert.print", "ok", idtext(W.taro));

	/* The printer still fails: the status stays, the message says so. */
	assert_int_equal(run(c, &res, &err, "cert.print", "id", idtext(id), NULL), MD_E_IO);
	md_result_release(&res);
	assert_non_null(strstr(err.msg, "/bin/false"));
	assert_non_null(strstr(err.msg, "still not printed"));
	assert_int_equal(tu_audit_count(c, "cert.print", "failed", idtext(W.taro)), 1);
	md_ctx_free(&c);

	/* Mended: the clerk of the open transaction prints it again. */
	snprintf(cfg.print_command, sizeof cfg.print_command, "/bin/true");
	c = login(&cfg, "clerk1");
	assert_int_equal(run(c, &res, &err, "cert.print", "id", idtext(id), NULL), MD_OK);
	assert_non_null(strstr(res.message, "again"));
	md_result_release(&res);
	snprintf(sql, sizeof sql, "SELECT print_status = 'printed' FROM issuances WHERE id = %lld", id);
	assert_int_equal(tu_sql_int(c, sql), 1);
	assert_int_equal(tu_audit_count(c, "cert.print", "ok", idtext(W.taro)), audits + 1);
	md_ctx_free(&c);

	/* Without a print command: refused, naming the setting and the file. */
	c = login(&none, "clerk1");
	assert_int_equal(run(c, &res, &err, "cert.print", "id", idtext(id), NULL), MD_E_CONFIG);
	md_result_release(&res);
	assert_string_equal(err.field, "print.command");
	assert_non_null(strstr(err.msg, "[print] command"));
	assert_non_null(strstr(err.msg, ".pdf"));
	/* No such copy. */
	assert_int_equal(run(c, &res, &err, "cert.print", "id", "999999", NULL), MD_E_NOTFOUND);
	md_result_release(&res);
	assert_string_equal(err.field, "id");
	md_ctx_free(&c);

	/* A supervisor may print it too. */
	sup = login(&cfg, "supervisor1");
	assert_int_equal(run(sup, &res, &err, "cert.print", "id", idtext(id), NULL), MD_OK);
	md_result_release(&res);

	/* Closed: the clerk no longer; the supervisor finds the PDF gone. */
	c = login(&cfg, "clerk1");
	ok(c, "counter.close", "transaction", idtext(t), NULL);
	assert_int_equal(run(c, &res, &err, "cert.print", "id", idtext(id), NULL), MD_E_DENIED);
	md_result_release(&res);
	assert_non_null(strstr(err.msg, "supervisor"));
	assert_int_equal(run(sup, &res, &err, "cert.print", "id", idtext(id), NULL), MD_E_NOTFOUND);
	md_result_release(&res);
	assert_non_null(strstr(err.msg, "spool"));

	/* A voided copy is never printed again. */
	t = tx(c, "self", W.taro, W.taro);
	assert_int_equal(issue(c, &err, t, "type", "juminhyo", NULL), MD_OK);
	id = tu_sql_int(c, "SELECT max(id) FROM issuances");
	ok(sup, "cert.void", "id", idtext(id), "reason", "misprint", NULL);
	assert_int_equal(run(c, &res, &err, "cert.print", "id", idtext(id), NULL), MD_E_CONFLICT);
	md_result_release(&res);
	assert_non_null(strstr(err.msg, "voided"));
	ok(c, "counter.close", "transaction", idtext(t), NULL);
	md_ctx_free(&c);
	md_ctx_free(&sup);
}

static void test_letters(void **state)
{
	struct md_result res;
	struct md_error err;
	char *text, path[4096];
	long long t, letter, seal;

	(void)state;
	NEED_PDFTOTEXT();
	/* A notification taken by questioning: a 確認通知 at close. */
	ok(W.clerk, "counter.open", "request", "notification", NULL);
	t = tu_sql_int(W.clerk, "SELECT max(id) FROM counter_transactions");
	ok(W.clerk, "counter.verify", "transaction", idtext(t), "category", "self", "applicant_name",
	   "山田 太郎", "questioning", "1", NULL);
	ok(W.clerk, "counter.subject", "transaction", idtext(t), "person", idtext(W.taro),
	   "applicant_person", idtext(W.taro), NULL);
	ok(W.clerk, "counter.close", "transaction", idtext(t), NULL);
	letter = tu_sql_int(W.clerk, "SELECT max(id) FROM confirmation_letters");
	assert_true(letter > 0);
	assert_int_equal(run(W.clerk, &res, &err, "cert.letter", "id", idtext(letter), "kind", "confirmation",
	                     NULL), MD_OK);
	assert_non_null(strstr(res.message, "確認通知"));
	snprintf(path, sizeof path, "%s", strstr(res.message, W.dir));
	*strstr(path, ".pdf") = '\0';
	strcat(path, ".pdf");
	md_result_release(&res);
	text = pdf_text(path);
	contains(text, "山田 太郎 様");
	contains(text, "見本区見本町一丁目2番3号 見本荘101");
	contains(text, "届出の受付について（確認通知）");
	contains(text, "令和8年4月1日、あなたに係る届出を受け付けました。");
	contains(text, "見本区長 見本 太郎");
	contains(text, "確認通知 第");
	lacks(text, "回答書");
	free(text);
	assert_int_equal(tu_sql_int(W.clerk, "SELECT count(*) FROM confirmation_letters WHERE printed_at "
	                                     "IS NOT NULL AND printed_by = 'clerk1'"), 1);
	assert_int_equal(tu_audit_count(W.clerk, "cert.letter", "ok", idtext(W.taro)), 1);
	/* Once. */
	assert_int_equal(run(W.clerk, &res, &err, "cert.letter", "id", idtext(letter), "kind", "confirmation",
	                     NULL), MD_E_CONFLICT);
	md_result_release(&res);
	assert_int_equal(run(W.clerk, &res, &err, "cert.letter", "id", idtext(letter), "kind", "postcard",
	                     NULL), MD_E_INVALID);
	assert_string_equal(err.field, "kind");
	md_result_release(&res);

	/* A seal application waiting for the answer to its 照会書. */
	{
		char sql[2048];
		snprintf(sql, sizeof sql,
		         "INSERT INTO seals (person_id, household_id, status, method, applied_on, applied_at, "
		         "applied_by, terminal, transaction_id, applicant_category, applicant_name, "
		         "verification_method, impression_path, impression_hash, impression_mm, "
		         "impression_width_px, impression_height_px, impression_bytes, name_on_seal, name_kind, "
		         "inquiry_sent_on, inquiry_answer_due, inquiry_address) SELECT id, household_id, "
		         "'pending', 'inquiry', '2026-04-01', '2026-04-01T01:00:00Z', 'clerk1', '本庁1', %lld, "
		         "'agent', '代理 人', 'photo_id', 'seals-2.png', 'y', 15.0, 177, 177, 1000, '太郎', "
		         "'given', '2026-04-01', '2026-05-01', address FROM persons WHERE id = %lld", t, W.taro);
		tu_sql_exec(W.clerk, sql);
	}
	seal = tu_sql_int(W.clerk, "SELECT max(id) FROM seals");
	assert_int_equal(run(W.clerk, &res, &err, "cert.letter", "id", idtext(seal), "kind", "inquiry", NULL),
	                 MD_OK);
	snprintf(path, sizeof path, "%s", strstr(res.message, W.dir));
	*strstr(path, ".pdf") = '\0';
	strcat(path, ".pdf");
	md_result_release(&res);
	text = pdf_text(path);
	contains(text, "印鑑登録の照会書");
	contains(text, "令和8年4月1日、あなたから印鑑登録の申請がありました。");
	contains(text, "令和8年5月1日までに");
	contains(text, "回答書（受付番号");
	lacks(text, "確認通知");
	free(text);
	/* A registered seal has no 照会書 to print. */
	assert_int_equal(run(W.clerk, &res, &err, "cert.letter", "id", "1", "kind", "inquiry", NULL),
	                 MD_E_CONFLICT);
	md_result_release(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_juminhyo),
		cmocka_unit_test(test_mynumber_and_pages),
		cmocka_unit_test(test_joshu_kisai_code_notice),
		cmocka_unit_test(test_inkan),
		cmocka_unit_test(test_official_seal_image),
		cmocka_unit_test(test_text_too_long),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_write_training_and_png),
		cmocka_unit_test(test_spool_and_print),
		cmocka_unit_test(test_letters),
		cmocka_unit_test(test_print_again),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
