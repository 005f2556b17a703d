/* counter_fixture.h: set-up shared by the tests of the counter modules: a
 * training ward whose persons were recorded the real way (clerk1 saves,
 * supervisor1 approves), commands run by name with key/value pairs,
 * counter transactions opened, verified and given their subject, and PNG
 * impressions written byte by byte. Include after defining TU_WITH_DB and
 * including testutil.h. Everything is static inline: a test uses what it
 * needs. */
#ifndef MD_COUNTER_FIXTURE_H
#define MD_COUNTER_FIXTURE_H

#include <stdarg.h>
#include <stdint.h>

#include "cmd.h"
#include "ctx.h"
#include "error.h"
#include "result.h"
#include "settings.h"
#include "timeutil.h"

/* The ward: a database, its settings, and one context per user. */
struct cf_ward {
	char *dir, *db;
	struct md_settings cfg;
	struct md_ctx *clerk, *sup, *admin;
};

static inline int cf_vrun(struct md_ctx *c, struct md_result *res, struct md_error *err, const char *name,
                          va_list ap)
{
	struct md_args a;
	const char *k;

	md_args_init(&a);
	while ((k = va_arg(ap, const char *)) != NULL) {
		const char *v = va_arg(ap, const char *);
		if (v)
			assert_int_equal(md_args_set(&a, k, v), 0);
	}
	md_result_init(res);
	memset(err, 0, sizeof *err);
	return md_cmd_exec(c, name, &a, res, err);
}

/* A command with key/value pairs (NULL-terminated; a NULL value leaves the
 * key out); res must be released. */
static inline int cf_run(struct md_ctx *c, struct md_result *res, struct md_error *err, const char *name, ...)
{
	va_list ap;
	int rc;
	va_start(ap, name);
	rc = cf_vrun(c, res, err, name, ap);
	va_end(ap);
	return rc;
}

/* A command that must succeed. */
static inline void cf_ok(struct md_ctx *c, const char *name, ...)
{
	struct md_result res;
	struct md_error err;
	va_list ap;
	int rc;

	va_start(ap, name);
	rc = cf_vrun(c, &res, &err, name, ap);
	va_end(ap);
	if (rc != MD_OK)
		print_error("%s: %s (%s)\n", name, err.msg, err.field);
	assert_int_equal(rc, MD_OK);
	md_result_release(&res);
}

/* A command that must fail with code and a message containing needle. */
#define CF_FAILS(c, code, needle, ...) \
	do { \
		struct md_result r_; \
		struct md_error e_; \
		int rc_ = cf_run((c), &r_, &e_, __VA_ARGS__, NULL); \
		if (rc_ != (code) || !strstr(e_.msg, (needle))) \
			print_error("%s:%d: rc %d \"%s\", wanted %d with \"%s\"\n", __FILE__, __LINE__, rc_, \
			            e_.msg, (int)(code), (needle)); \
		assert_int_equal(rc_, (code)); \
		assert_non_null(strstr(e_.msg, (needle))); \
		md_result_release(&r_); \
	} while (0)

/* A number as text, from a small ring of buffers. */
static inline char *cf_id(long long id)
{
	static char buf[16][24];
	static int k;
	k = (k + 1) % 16;
	snprintf(buf[k], sizeof buf[k], "%lld", id);
	return buf[k];
}

static inline long long cf_sqlf(struct md_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline long long cf_sqlf(struct md_ctx *c, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	return tu_sql_int(c, sql);
}

static inline struct md_ctx *cf_login(struct cf_ward *w, const char *user)
{
	struct md_ctx *c = tu_open(&w->cfg, w->db, MD_DB_TRAINING);
	cf_ok(c, "login", "user", user, "password", "demo", NULL);
	return c;
}

/* A one-person household moved in by clerk1 and approved by supervisor1;
 * the person's 宛名番号. mynumber may be NULL. */
static inline long long cf_move_in(struct cf_ward *w, const char *sur, const char *given, const char *skana,
                                   const char *gkana, const char *birth, const char *sex, const char *address,
                                   const char *mynumber)
{
	char sql[256];
	long long change;

	cf_ok(w->clerk, "change.save", "type", "move_in", "event_date", "2026-03-25", "address", address,
	      "previous_address", "東京都千代田区千代田1-1", "p1.relationship", "世帯主", "p1.surname", sur,
	      "p1.given_name", given, "p1.surname_kana", skana, "p1.given_name_kana", gkana,
	      "p1.birth_date", birth, "p1.sex", sex, "p1.honseki", "見本県見本市本町1番地",
	      "p1.hittosha", sur, "p1.mynumber", mynumber, NULL);
	change = tu_sql_int(w->clerk, "SELECT max(id) FROM changes");
	cf_ok(w->sup, "change.approve", "id", cf_id(change), NULL);
	snprintf(sql, sizeof sql, "SELECT id FROM persons WHERE surname = '%s' AND given_name = '%s'", sur, given);
	return tu_sql_int(w->clerk, sql);
}

/* A counter transaction of c's user for request: opened, the applicant
 * verified (a driving licence, photo matched; or questioning), the subject
 * set (applicant: the applicant's 宛名番号 for 本人 and 同一世帯員, or 0).
 * Returns its id. */
static inline long long cf_tx(struct md_ctx *c, const char *request, const char *category, long long subject,
                              long long applicant, int questioning)
{
	long long id;
	const char *purpose = strcmp(category, "third_party") == 0 ? "債権の回収（契約書あり）" : NULL;

	cf_ok(c, "counter.open", "request", request, NULL);
	id = tu_sql_int(c, "SELECT max(id) FROM counter_transactions");
	if (questioning)
		cf_ok(c, "counter.verify", "transaction", cf_id(id), "category", category, "applicant_name",
		      "窓口 申請者", "questioning", "1", NULL);
	else
		cf_ok(c, "counter.verify", "transaction", cf_id(id), "category", category, "applicant_name",
		      "窓口 申請者", "documents", "driver_license", "photo_matched", "1", "purpose", purpose,
		      NULL);
	if (subject)
		cf_ok(c, "counter.subject", "transaction", cf_id(id), "person", cf_id(subject),
		      "applicant_person", applicant ? cf_id(applicant) : NULL, "ack", "1", NULL);
	return id;
}

/* ---- PNG images --------------------------------------------------------------- */

static inline uint32_t cf_crc(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int j = 0; j < 8; j++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xffffffffu;
}

static inline void cf_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static inline size_t cf_chunk(unsigned char *out, const char *type, const unsigned char *data, uint32_t len)
{
	cf_put32(out, len);
	memcpy(out + 4, type, 4);
	if (len)
		memcpy(out + 8, data, len);
	cf_put32(out + 8 + len, cf_crc(out + 4, len + 4));
	return 12 + len;
}

/* A w x 1 grayscale PNG (w < 1000) whose pixels are all value, as a file
 * in dir (allocated path). */
static inline char *cf_png(const char *dir, const char *name, uint32_t w, unsigned char value)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };
	unsigned char buf[2048], ihdr[13] = { 0 }, z[1024];
	size_t n = 8, zl = 0, raw = 1 + w;
	uint32_t a = 1, b = 0;
	char *p = tu_path(dir, name);
	FILE *f;

	memcpy(buf, sig, 8);
	cf_put32(ihdr, w);
	cf_put32(ihdr + 4, 1);
	ihdr[8] = 8;
	n += cf_chunk(buf + n, "IHDR", ihdr, 13);
	z[zl++] = 0x78;
	z[zl++] = 0x01;
	z[zl++] = 0x01;
	z[zl++] = (unsigned char)(raw & 0xff);
	z[zl++] = (unsigned char)(raw >> 8);
	z[zl++] = (unsigned char)(~raw & 0xff);
	z[zl++] = (unsigned char)((~raw >> 8) & 0xff);
	for (size_t i = 0; i < raw; i++) {
		unsigned char byte = i == 0 ? 0 : value;
		z[zl++] = byte;
		a = (a + byte) % 65521;
		b = (b + a) % 65521;
	}
	cf_put32(z + zl, b << 16 | a);
	zl += 4;
	n += cf_chunk(buf + n, "IDAT", z, (uint32_t)zl);
	n += cf_chunk(buf + n, "IEND", NULL, 0);
	f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, n, f), n);
	fclose(f);
	return p;
}

#endif
