/* test_trainingward.c: the synthetic training ward 見本区 (trainingward.c). */
#include "config.h"

#define TU_WITH_DB
#include "testutil.h"

#include "account.h"
#include "audit.h"
#include "change.h"
#include "checkdigit.h"
#include "codes.h"
#include "crypto.h"
#include "kana.h"
#include "nameindex.h"
#include "person.h"
#include "protect.h"
#include "relationship.h"
#include "trainingward.h"
#include "wareki.h"

#define TODAY "2026-04-01"

struct world {
	char *dir;
	struct md_settings cfg;
	char *big, *same1, *same2, *other;
	struct md_training_counts c_big, c_same1, c_same2, c_other;
};

static char *make(struct world *w, const char *name, long n, unsigned long long seed,
                  struct md_training_counts *c)
{
	struct md_error err;
	char *p = tu_path(w->dir, name);
	int rc = md_training_db_create(&w->cfg, p, n, seed, c, &err);
	if (rc != MD_OK)
		print_error("md_training_db_create(%s): %d %s\n", p, rc, err.msg);
	assert_int_equal(rc, MD_OK);
	return p;
}

static int group_setup(void **state)
{
	struct world *w = calloc(1, sizeof *w);
	setenv("TZ", "UTC", 1);
	tzset();
	if (!w || !(w->dir = tu_tmpdir()))
		return -1;
	md_time_set(tu_day(0));
	md_settings_defaults(&w->cfg);
	w->big = make(w, "big.db", 20000, 42, &w->c_big);
	w->same1 = make(w, "same1.db", 2000, 7, &w->c_same1);
	w->same2 = make(w, "same2.db", 2000, 7, &w->c_same2);
	w->other = make(w, "other.db", 2000, 8, &w->c_other);
	*state = w;
	return 0;
}

static int group_teardown(void **state)
{
	struct world *w = *state;
	tu_rmdir(w->dir);
	free(w->big);
	free(w->same1);
	free(w->same2);
	free(w->other);
	free(w);
	md_time_set(0);
	return 0;
}

static struct md_ctx *open_db(struct world *w, const char *path)
{
	return tu_open(&w->cfg, path, MD_DB_TRAINING);
}

static sqlite3_stmt *q(struct md_ctx *ctx, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(md_store_db(ctx->store), sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		print_error("%s: %s\n", sql, sqlite3_errmsg(md_store_db(ctx->store)));
	assert_int_equal(rc, SQLITE_OK);
	return s;
}

static const char *txt(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? (const char *)t : "";
}

#define ACTIVE "(status = 'resident' OR (status = 'moved_out' AND removal_date > '" TODAY "'))"

/* ---- arguments ------------------------------------------------------------------ */

static void test_parse(void **state)
{
	struct md_error err;
	long n;
	unsigned long long s;
	(void)state;

	assert_int_equal(md_training_parse_residents(NULL, &n, &err), MD_OK);
	assert_int_equal(n, 5000);
	assert_int_equal(md_training_parse_residents("0", &n, &err), MD_OK);
	assert_int_equal(n, 0);
	assert_int_equal(md_training_parse_residents("2000000", &n, &err), MD_OK);
	assert_int_equal(n, 2000000);
	assert_int_equal(md_training_parse_residents("2000001", &n, &err), MD_E_INVALID);
	assert_string_equal(err.field, "residents");
	assert_non_null(strstr(err.msg, "2000001"));
	assert_int_equal(md_training_parse_residents("-5", &n, &err), MD_E_INVALID);
	assert_int_equal(md_training_parse_residents("5千", &n, &err), MD_E_INVALID);
	assert_int_equal(md_training_parse_residents("99999999999999999999", &n, &err), MD_E_INVALID);
	assert_int_equal(md_training_parse_seed("", &s, &err), MD_OK);
	assert_true(s == 1);
	assert_int_equal(md_training_parse_seed("18446744073709551615", &s, &err), MD_OK);
	assert_true(s == 18446744073709551615ULL);
	assert_int_equal(md_training_parse_seed("18446744073709551616", &s, &err), MD_E_INVALID);
	assert_string_equal(err.field, "seed");
	assert_int_equal(md_training_parse_seed("x1", &s, &err), MD_E_INVALID);
}

static void test_refusals(void **state)
{
	struct world *w = *state;
	struct md_error err;
	struct md_training_counts c;
	struct md_ctx *ctx;
	char *p = tu_path(w->dir, "toomany.db"), *z = tu_path(w->dir, "zero.db"), *prod;

	assert_int_equal(md_training_db_create(&w->cfg, p, 2000001, 1, &c, &err), MD_E_INVALID);
	assert_string_equal(err.field, "residents");
	assert_false(tu_exists(p));
	/* An existing database is never overwritten. */
	assert_int_equal(md_training_db_create(&w->cfg, w->same1, 10, 1, &c, &err), MD_E_CONFLICT);
	/* A ward is made only once, and only in a training database. */
	ctx = open_db(w, w->same1);
	assert_int_equal(md_training_generate(ctx, 10, 1, &c, &err), MD_E_CONFLICT);
	md_ctx_free(&ctx);
	prod = tu_create_db(w->dir, "prod.db", &w->cfg, MD_DB_PRODUCTION);
	ctx = tu_open(&w->cfg, prod, MD_DB_PRODUCTION);
	assert_int_equal(md_training_generate(ctx, 10, 1, &c, &err), MD_E_MODE);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM persons"), 0);
	md_ctx_free(&ctx);
	/* No residents: the accounts only, and the entry in the log. */
	free(make(w, "zero.db", 0, 3, &c));
	assert_int_equal(c.residents, 0);
	ctx = open_db(w, z);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM persons"), 0);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM households"), 0);
	assert_int_equal(tu_audit_count(ctx, "training.generate", "ok", NULL), 1);
	assert_int_equal(md_auth_login(ctx, "clerk1", "demo", &err), MD_OK);
	md_ctx_free(&ctx);
	free(p);
	free(z);
	free(prod);
}

/* ---- determinism ------------------------------------------------------------------ */

/* FNV-1a over every value of the query's rows, except the sealed My Number
 * and its blind index (the key file differs between two databases). */
static uint64_t table_hash(struct md_ctx *ctx, const char *sql, long *rows)
{
	sqlite3_stmt *s = q(ctx, sql);
	uint64_t h = 1469598103934665603ULL;
	*rows = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		(*rows)++;
		for (int i = 0; i < sqlite3_column_count(s); i++) {
			const char *name = sqlite3_column_name(s, i);
			const unsigned char *t;
			int n;
			if (strcmp(name, "mynumber_enc") == 0 || strcmp(name, "mynumber_idx") == 0)
				continue;
			t = sqlite3_column_text(s, i);
			n = sqlite3_column_bytes(s, i);
			if (!t) {
				t = (const unsigned char *)"\x01null";
				n = 5;
			}
			for (int k = 0; k < n; k++)
				h = (h ^ t[k]) * 1099511628211ULL;
			h = (h ^ 0x1f) * 1099511628211ULL;
		}
	}
	sqlite3_finalize(s);
	return h;
}

/* The clear My Numbers, in 宛名番号 order, one string. */
static char *clear_numbers(struct md_ctx *ctx)
{
	sqlite3_stmt *s = q(ctx, "SELECT mynumber_enc FROM persons ORDER BY id");
	size_t cap = 1 << 16, len = 0;
	char *out = malloc(cap);
	while (sqlite3_step(s) == SQLITE_ROW) {
		char clear[16];
		size_t n = 0;
		struct md_error err;
		assert_int_equal(md_secret_open(&ctx->keys, sqlite3_column_blob(s, 0),
		                                (size_t)sqlite3_column_bytes(s, 0), clear, sizeof clear, &n, &err),
		                 MD_OK);
		assert_int_equal(n, 12);
		if (len + 14 > cap)
			out = realloc(out, cap *= 2);
		memcpy(out + len, clear, 12);
		len += 12;
		out[len++] = ',';
	}
	out[len] = '\0';
	sqlite3_finalize(s);
	return out;
}

static const char *const dumps[] = {
	"SELECT * FROM persons ORDER BY id",
	"SELECT * FROM person_versions ORDER BY person_id, version",
	"SELECT * FROM changes ORDER BY id",
	"SELECT * FROM households ORDER BY id",
	"SELECT * FROM name_index ORDER BY person_id, kind, kana, fold",
	"SELECT * FROM address_index ORDER BY person_id, kind, addr",
	"SELECT * FROM support_measures ORDER BY id",
	"SELECT * FROM suppressions ORDER BY id",
};

static void test_determinism(void **state)
{
	struct world *w = *state;
	struct md_ctx *a = open_db(w, w->same1), *b = open_db(w, w->same2), *c = open_db(w, w->other);
	char *na = clear_numbers(a), *nb = clear_numbers(b), *nc = clear_numbers(c);
	long ra, rb, rc;

	for (size_t i = 0; i < sizeof dumps / sizeof dumps[0]; i++) {
		uint64_t ha = table_hash(a, dumps[i], &ra), hb = table_hash(b, dumps[i], &rb);
		assert_int_equal(ra, rb);
		assert_true(ra > 0);
		if (ha != hb)
			print_error("differs: %s\n", dumps[i]);
		assert_true(ha == hb);
	}
	/* The same numbers, sealed with different keys. */
	assert_string_equal(na, nb);
	assert_int_equal(tu_sql_int(a, "SELECT count(*) FROM persons WHERE mynumber_idx IS NULL"), 0);
	/* Another seed: another ward. */
	assert_true(table_hash(a, dumps[0], &ra) != table_hash(c, dumps[0], &rc));
	assert_true(strcmp(na, nc) != 0);
	assert_true(memcmp(&w->c_same1, &w->c_same2, sizeof w->c_same1) == 0);
	assert_int_equal(w->c_same1.residents, 2000);
	assert_int_equal(w->c_other.residents, 2000);
	free(na);
	free(nb);
	free(nc);
	md_ctx_free(&a);
	md_ctx_free(&b);
	md_ctx_free(&c);
}

/* ---- counts and shares ------------------------------------------------------------- */

static void test_counts(void **state)
{
	struct world *w = *state;
	struct md_ctx *ctx = open_db(w, w->big);
	const struct md_training_counts *c = &w->c_big;
	char detail[512], want[128];

	assert_int_equal(c->residents, 20000);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM persons WHERE " ACTIVE), 20000);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(DISTINCT household_id) FROM persons WHERE " ACTIVE),
	                 c->households);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM persons WHERE resident_type = 'foreign' AND " ACTIVE), c->foreign);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM persons WHERE NOT " ACTIVE), c->removed);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM persons"), c->persons);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM person_versions"), c->versions);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM changes"), c->changes);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM support_measures"), c->support_measures);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM suppressions"), c->suppressions);
	/* Nothing dangles, and the registry's indexes are all back. */
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
	                                 "('persons_household', 'persons_birth', 'persons_mynumber', "
	                                 "'persons_juminhyo_code', 'persons_residence_card', 'name_index_kana', "
	                                 "'name_index_kana_sur', 'name_index_kana_given', 'name_index_fold', "
	                                 "'name_index_fold_sur', 'name_index_fold_given', 'name_index_person', "
	                                 "'address_index_addr', 'address_index_person', 'changes_status', "
	                                 "'changes_maker')"), 16);
	assert_int_equal(tu_sql_int(ctx, "PRAGMA foreign_keys"), 1);
	/* One entry in the log, with the figures. */
	assert_int_equal(tu_audit_count(ctx, "training.generate", "ok", NULL), 1);
	tu_sql_text(ctx, "SELECT detail FROM audit_log WHERE function = 'training.generate'", detail, sizeof detail);
	snprintf(want, sizeof want, "residents=20000 seed=42 households=%ld foreign=%ld removed=%ld", c->households,
	         c->foreign, c->removed);
	assert_non_null(strstr(detail, want));
	{
		long n = 0, bad = -1;
		struct md_error err;
		assert_int_equal(md_audit_verify(ctx, &n, &bad, &err), MD_OK);
		assert_true(n >= 3);
	}
	md_ctx_free(&ctx);
}

static void test_shares(void **state)
{
	struct world *w = *state;
	struct md_ctx *ctx = open_db(w, w->big);
	sqlite3_stmt *s;
	long n = 0, young = 0, old = 0, foreign = 0;
	double singles, removed, multi, kata;

	s = q(ctx, "SELECT birth_date, resident_type FROM persons WHERE " ACTIVE);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct md_date d;
		int age;
		assert_int_equal(md_date_from_iso(txt(s, 0), &d), 0);
		age = md_age_on(&d, 2026, 4, 1);
		assert_true(age >= 0 && age <= 104);
		n++;
		young += age < 15;
		old += age >= 65;
		foreign += strcmp(txt(s, 1), "foreign") == 0;
	}
	sqlite3_finalize(s);
	assert_int_equal(n, 20000);
	print_message("# 0-14 %.3f, 65+ %.3f, foreign %.3f\n", (double)young / n, (double)old / n,
	              (double)foreign / n);
	assert_true(young >= n * 10 / 100 && young <= n * 14 / 100);
	assert_true(old >= n * 25 / 100 && old <= n * 32 / 100);
	assert_true(foreign >= n * 2 / 100 && foreign <= n * 4 / 100);
	singles = (double)tu_sql_int(ctx, "SELECT avg(k = 1) * 1000 FROM (SELECT count(*) k FROM persons WHERE "
	                                  ACTIVE " GROUP BY household_id)") / 1000;
	removed = (double)w->c_big.removed / (double)w->c_big.persons;
	multi = (double)tu_sql_int(ctx, "SELECT sum(version > 1) FROM persons") / (double)w->c_big.persons;
	kata = (double)tu_sql_int(ctx, "SELECT avg(katagaki IS NOT NULL) * 1000 FROM persons WHERE " ACTIVE) / 1000;
	print_message("# single-person households %.3f, removed %.3f, several versions %.3f, 方書 %.3f\n",
	              singles, removed, multi, kata);
	assert_true(singles > 0.42 && singles < 0.62);
	assert_true(removed > 0.02 && removed < 0.06);
	assert_true(multi > 0.06 && multi < 0.16);
	assert_true(kata > 0.30 && kata < 0.50);
	md_ctx_free(&ctx);
}

/* ---- numbers ----------------------------------------------------------------------- */

static int cmp12(const void *a, const void *b)
{
	return memcmp(a, b, 12);
}

static void test_numbers(void **state)
{
	struct world *w = *state;
	struct md_ctx *ctx = open_db(w, w->big);
	sqlite3_stmt *s = q(ctx, "SELECT mynumber_enc, mynumber_idx, juminhyo_code FROM persons");
	long n = 0, cap = w->c_big.persons;
	char *mn = malloc((size_t)cap * 12), *jc = malloc((size_t)cap * 12);

	while (sqlite3_step(s) == SQLITE_ROW) {
		char clear[16], out[13], code[12], hex[MD_HASH_HEX];
		size_t len = 0;
		struct md_error err;
		assert_true(n < cap);
		assert_int_equal(md_secret_open(&ctx->keys, sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0),
		                                clear, sizeof clear, &len, &err), MD_OK);
		assert_int_equal(len, 12);
		clear[12] = '\0';
		assert_int_equal(md_mynumber_check(clear, out, &err), MD_OK);
		md_keyed_hash_hex(ctx->keys.index, clear, 12, hex);
		assert_string_equal(hex, txt(s, 1));
		assert_int_equal(md_juminhyo_code_check(txt(s, 2), code, &err), MD_OK);
		memcpy(mn + n * 12, clear, 12);
		memcpy(jc + n * 12, code, 11);
		jc[n * 12 + 11] = '\0';
		n++;
	}
	sqlite3_finalize(s);
	assert_int_equal(n, cap);
	qsort(mn, (size_t)n, 12, cmp12);
	qsort(jc, (size_t)n, 12, cmp12);
	for (long i = 1; i < n; i++) {
		assert_true(memcmp(mn + (i - 1) * 12, mn + i * 12, 12) != 0);
		assert_true(memcmp(jc + (i - 1) * 12, jc + i * 12, 12) != 0);
	}
	free(mn);
	free(jc);
	md_ctx_free(&ctx);
}

/* ---- households, names and items ----------------------------------------------------- */

static void test_households(void **state)
{
	struct world *w = *state;
	struct md_ctx *ctx = open_db(w, w->big);
	sqlite3_stmt *s;
	long terms = 0;

	/* Exactly one 世帯主 among the members living there. */
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM (SELECT household_id, sum(relationship = '世帯主') h "
	                                 "FROM persons WHERE " ACTIVE " GROUP BY household_id) WHERE h <> 1"), 0);
	/* Every 続柄 ever recorded is a standard one. */
	s = q(ctx, "SELECT DISTINCT relationship FROM person_versions");
	while (sqlite3_step(s) == SQLITE_ROW) {
		char out[128];
		int became = 0;
		struct md_error err;
		assert_int_equal(md_relationship_check(txt(s, 0), out, sizeof out, &became, &err), MD_OK);
		assert_string_equal(out, txt(s, 0));
		assert_int_equal(became, 0);
		terms++;
	}
	sqlite3_finalize(s);
	assert_true(terms >= 12);
	/* Spouses close in age; children born when their mother was 20 to 45. */
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM persons h JOIN persons s ON s.household_id = h.household_id "
	                                 "AND s.relationship IN ('妻', '夫') WHERE h.relationship = '世帯主' AND "
	                                 "abs(julianday(h.birth_date) - julianday(s.birth_date)) > 7.1 * 365.25"), 0);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM persons c JOIN persons m ON m.household_id = c.household_id "
	                                 "AND m.sex = 'F' AND m.relationship IN ('世帯主', '妻') WHERE c.relationship = '子' "
	                                 "AND (julianday(c.birth_date) - julianday(m.birth_date) < 19 * 365.25 OR "
	                                 "julianday(c.birth_date) - julianday(m.birth_date) > 46 * 365.25)"), 0);
	assert_true(tu_sql_int(ctx, "SELECT count(*) FROM persons WHERE relationship = '子'") > 1000);
	/* 父・母 older than the head; a Japanese couple shares one surname and register. */
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM persons p JOIN persons h ON h.household_id = p.household_id "
	                                 "AND h.relationship = '世帯主' WHERE p.relationship IN ('父', '母') AND "
	                                 "julianday(h.birth_date) - julianday(p.birth_date) < 19 * 365.25"), 0);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM persons h JOIN persons s ON s.household_id = h.household_id "
	                                 "AND s.relationship IN ('妻', '夫') AND s.resident_type = 'japanese' "
	                                 "WHERE h.relationship = '世帯主' AND h.resident_type = 'japanese' AND "
	                                 "(h.surname <> s.surname OR h.honseki <> s.honseki OR h.hittosha <> s.hittosha)"), 0);
	assert_true(tu_sql_int(ctx, "SELECT count(*) FROM persons WHERE relationship = '妻' AND "
	                            "resident_type = 'japanese'") > 500);
	/* Children of a Japanese head carry the family name, unless married out (子の夫). */
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM persons c JOIN persons h ON h.household_id = c.household_id "
	                                 "AND h.relationship = '世帯主' WHERE c.relationship = '子' AND "
	                                 "c.resident_type = 'japanese' AND h.resident_type = 'japanese' AND "
	                                 "c.surname <> h.surname AND NOT EXISTS (SELECT 1 FROM persons x WHERE "
	                                 "x.household_id = c.household_id AND x.relationship = '子の夫')"), 0);
	/* Household sizes stay realistic. */
	assert_true(tu_sql_int(ctx, "SELECT max(k) FROM (SELECT count(*) k FROM persons WHERE " ACTIVE
	                            " GROUP BY household_id)") <= 9);
	md_ctx_free(&ctx);
}

/* The row of a list whose column equals value, or -1. */
static int row_of(const struct md_tsv *t, const char *c1, const char *v1, const char *c2, const char *v2)
{
	int a = md_tsv_col(t, c1), b = c2 ? md_tsv_col(t, c2) : -1;
	for (int i = 0; i < t->nrows; i++)
		if (strcmp(t->rows[i][a], v1) == 0 && (b < 0 || strcmp(t->rows[i][b], v2) == 0))
			return i;
	return -1;
}

static int valid_card(const char *c)
{
	if (strlen(c) != 12)
		return 0;
	for (int i = 0; i < 12; i++) {
		int letter = c[i] >= 'A' && c[i] <= 'Z', digit = c[i] >= '0' && c[i] <= '9';
		if ((i < 2 || i >= 10) ? !letter : !digit)
			return 0;
	}
	return 1;
}

static void test_names_and_items(void **state)
{
	struct world *w = *state;
	struct md_ctx *ctx = open_db(w, w->big);
	sqlite3_stmt *s = q(ctx, "SELECT resident_type, surname, given_name, surname_kana, given_name_kana, "
	                         "former_surname, former_surname_kana, alias, alias_kana, name_roman, birth_date, sex, "
	                         "honseki, hittosha, nationality, residence_status, residence_period, residence_expiry, "
	                         "residence_card_no, art30_45, address, postal_code, address_code, foreign_since, "
	                         "resident_since FROM persons");
	const struct md_tsv *sur = md_codes(MD_CODES_SURNAMES), *gm = md_codes(MD_CODES_GIVEN_MALE),
	                    *gf = md_codes(MD_CODES_GIVEN_FEMALE), *nat = md_codes(MD_CODES_NATIONALITIES),
	                    *rs = md_codes(MD_CODES_RESIDENCE_STATUS), *dist = md_codes(MD_CODES_DISTRICTS);
	long japanese = 0, foreign = 0, aliases = 0, formers = 0;

	while (sqlite3_step(s) == SQLITE_ROW) {
		int is_foreign = strcmp(txt(s, 0), "foreign") == 0;
		int drow = row_of(dist, "code", txt(s, 22), NULL, NULL);
		assert_true(md_kana_is_reading(txt(s, 3)));
		assert_true(md_kana_is_reading(txt(s, 4)));
		if (*txt(s, 5)) {
			assert_true(md_kana_is_reading(txt(s, 6)));
			assert_true(row_of(sur, "kanji", txt(s, 5), "kana", txt(s, 6)) >= 0);
			formers++;
		}
		if (*txt(s, 7)) {
			assert_true(is_foreign);
			assert_true(md_kana_is_reading(txt(s, 8)));
			aliases++;
		}
		/* 見本区 + 町丁目 + 番 + 号, with the row's postal code. */
		assert_true(drow >= 0);
		assert_int_equal(strncmp(txt(s, 20), "見本区", strlen("見本区")), 0);
		assert_non_null(strstr(txt(s, 20), md_tsv_get(dist, drow, "district")));
		assert_string_equal(txt(s, 21), md_tsv_get(dist, drow, "postal_code"));
		assert_non_null(strstr(txt(s, 20), "号"));
		assert_true(strcmp(txt(s, 24), txt(s, 10)) >= 0);
		if (!is_foreign) {
			/* Names from the lists, with their readings; the given name of the era of birth. */
			const struct md_tsv *gl = strcmp(txt(s, 11), "F") == 0 ? gf : gm;
			int y = atoi(txt(s, 10)), r = row_of(gl, "kanji", txt(s, 2), "kana", txt(s, 4));
			const char *era = y < 1950 ? "old" : y < 1990 ? "mid" : "new";
			assert_true(row_of(sur, "kanji", txt(s, 1), "kana", txt(s, 3)) >= 0);
			assert_true(r >= 0);
			assert_string_equal(md_tsv_get(gl, r, "era"), era);
			assert_true(*txt(s, 12) && *txt(s, 13));
			assert_true(!*txt(s, 14) && !*txt(s, 15) && !*txt(s, 18) && !*txt(s, 9));
			japanese++;
		} else {
			const char *st = txt(s, 15);
			int sr = row_of(rs, "status", st, NULL, NULL);
			assert_true(row_of(nat, "code", txt(s, 14), NULL, NULL) >= 0);
			assert_true(sr >= 0);
			assert_true(valid_card(txt(s, 18)));
			assert_true(*txt(s, 9));
			assert_true(!*txt(s, 12) && !*txt(s, 13));
			assert_string_equal(txt(s, 23), txt(s, 24));
			if (strcmp(st, "永住者") == 0 || strcmp(st, "特別永住者") == 0) {
				assert_false(*txt(s, 17));
			} else {
				/* In force: ahead of today, by at most five years. */
				assert_true(strcmp(txt(s, 17), TODAY) > 0);
				assert_true(strcmp(txt(s, 17), "2031-04-02") < 0);
				assert_true(*txt(s, 16));
			}
			assert_string_equal(txt(s, 19), strcmp(st, "特別永住者") == 0 ? "特別永住者" : "中長期在留者");
			foreign++;
		}
	}
	sqlite3_finalize(s);
	assert_true(japanese > 15000);
	assert_true(foreign > 300);
	assert_true(aliases > 0);
	assert_true(formers > 0);
	/* Flats: 方書 like 見本ハイツ203号室; 本籍 often outside the ward. */
	assert_true(tu_sql_int(ctx, "SELECT count(*) FROM persons WHERE katagaki LIKE '%号室'") > 3000);
	assert_true(tu_sql_int(ctx, "SELECT count(*) FROM persons WHERE honseki LIKE '%県%番地'") > 5000);
	assert_true(tu_sql_int(ctx, "SELECT count(*) FROM persons WHERE honseki LIKE '見本区%番地'") > 3000);
	md_ctx_free(&ctx);
}

/* ---- history ------------------------------------------------------------------------- */

static void test_history(void **state)
{
	struct world *w = *state;
	struct md_ctx *ctx = open_db(w, w->big);
	char sql[8192];
	size_t len = 0;
	const char *cols = md_person_columns();
	sqlite3_stmt *s;
	long checked = 0;

	/* The record is its last version, item by item. */
	len += (size_t)snprintf(sql + len, sizeof sql - len,
	                        "SELECT count(*) FROM persons p JOIN person_versions v ON v.person_id = p.id AND "
	                        "v.version = p.version WHERE p.updated_at IS NOT v.recorded_at");
	for (int i = 0; i < MD_F_COUNT; i++)
		len += (size_t)snprintf(sql + len, sizeof sql - len, " OR p.%s IS NOT v.%s", md_field(i)->column,
		                        md_field(i)->column);
	assert_int_equal(tu_sql_int(ctx, sql), 0);
	assert_non_null(strstr(cols, "mynumber_enc"));
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM persons p WHERE p.version <> (SELECT count(*) FROM "
	                                 "person_versions v WHERE v.person_id = p.id)"), 0);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM person_versions v LEFT JOIN changes c ON c.id = v.change_id "
	                                 "WHERE c.id IS NULL OR c.status <> 'approved' OR c.made_by <> 'clerk1' OR "
	                                 "c.decided_by <> 'supervisor1' OR c.decided_at <= c.made_at OR "
	                                 "c.processed_on > '" TODAY "' OR v.recorded_at <> c.decided_at"), 0);
	/* Versions in the order of their changes. */
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM person_versions a JOIN person_versions b ON "
	                                 "b.person_id = a.person_id AND b.version = a.version + 1 WHERE "
	                                 "b.recorded_at < a.recorded_at"), 0);
	/* Version 1 comes from a 転入 or a birth on the day the person became a resident. */
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM person_versions v JOIN changes c ON c.id = v.change_id "
	                                 "WHERE v.version = 1 AND (c.type NOT IN ('move_in', 'move_in_abroad', 'birth') "
	                                 "OR c.event_date <> v.resident_since OR (c.type = 'birth' AND "
	                                 "v.birth_date <> c.event_date) OR (c.type <> 'birth' AND v.previous_address IS NULL))"),
	                 0);
	/* Every change type and 異動事由 is a known one, and the pair is allowed. */
	s = q(ctx, "SELECT DISTINCT type, reason FROM changes");
	while (sqlite3_step(s) == SQLITE_ROW) {
		const struct md_change_type *t = md_change_type(txt(s, 0));
		assert_non_null(t);
		assert_non_null(strstr(t->reasons, txt(s, 1)));
		assert_true(md_tsv_find(md_codes(MD_CODES_REASONS), "code", txt(s, 1)) >= 0);
		checked++;
	}
	sqlite3_finalize(s);
	assert_true(checked >= 7);
	/* Removed records: dead, or moved out, with reason and date. */
	assert_true(tu_sql_int(ctx, "SELECT count(*) FROM persons WHERE status = 'dead'") > 100);
	assert_true(tu_sql_int(ctx, "SELECT count(*) FROM persons WHERE status = 'moved_out' AND removal_date <= '"
	                            TODAY "'") > 100);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM persons WHERE status = 'dead' AND (death_date IS NULL OR "
	                                 "death_date <> removal_date OR removal_reason <> 'death' OR removal_date > '"
	                                 TODAY "')"), 0);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM persons WHERE status = 'moved_out' AND ("
	                                 "removal_reason NOT IN ('out_domestic', 'out_abroad') OR removal_date IS NULL OR "
	                                 "out_address_planned IS NULL OR out_planned_date <> removal_date)"), 0);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM persons p JOIN person_versions v ON v.person_id = p.id AND "
	                                 "v.version = p.version JOIN changes c ON c.id = v.change_id WHERE "
	                                 "p.status IN ('dead', 'moved_out') AND c.type NOT IN ('death', 'move_out')"), 0);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM persons WHERE removal_date < resident_since OR "
	                                 "address_since < resident_since OR notified_on < address_since OR "
	                                 "resident_since < birth_date"), 0);
	/* 転居: the earlier address kept; marriage: the name before it, and a few 旧氏. */
	assert_true(tu_sql_int(ctx, "SELECT count(*) FROM changes WHERE type = 'move_within'") > 100);
	assert_true(tu_sql_int(ctx, "SELECT count(*) FROM address_index WHERE kind = 'past'") > 100);
	assert_true(tu_sql_int(ctx, "SELECT count(*) FROM changes WHERE type = 'ex_officio_fix'") > 30);
	assert_true(tu_sql_int(ctx, "SELECT count(*) FROM name_index WHERE kind = 'past'") > 30);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM person_versions a JOIN person_versions b ON "
	                                 "b.person_id = a.person_id AND b.version = a.version + 1 JOIN changes c ON "
	                                 "c.id = b.change_id WHERE c.type = 'move_within' AND (a.address = b.address OR "
	                                 "b.address_since <> c.event_date)"), 0);
	/* A head who died: the survivor became 世帯主 in the same change. */
	assert_true(tu_sql_int(ctx, "SELECT count(*) FROM person_versions a JOIN person_versions b ON "
	                            "b.person_id = a.person_id AND b.version = a.version + 1 JOIN changes c ON "
	                            "c.id = b.change_id WHERE c.type = 'death' AND a.relationship = '妻' AND "
	                            "b.relationship = '世帯主' AND b.status = 'resident'") > 5);
	md_ctx_free(&ctx);
}

/* ---- search index ------------------------------------------------------------------ */

static char *index_rows(struct md_ctx *ctx, long long id)
{
	sqlite3_stmt *s = q(ctx, "SELECT group_concat(x, '|') FROM (SELECT x FROM (SELECT kind || ':' || kana || ':' || "
	                         "kana_sur || ':' || kana_given || ':' || fold || ':' || fold_sur || ':' || fold_given x "
	                         "FROM name_index WHERE person_id = ?1 UNION ALL SELECT 'addr:' || kind || ':' || addr "
	                         "FROM address_index WHERE person_id = ?1) ORDER BY x)");
	char *out;
	sqlite3_bind_int64(s, 1, id);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	out = strdup(txt(s, 0));
	sqlite3_finalize(s);
	return out;
}

static void test_index(void **state)
{
	struct world *w = *state;
	struct md_ctx *ctx = open_db(w, w->big);
	sqlite3_stmt *s = q(ctx, "SELECT id, surname_kana || given_name_kana, surname || given_name, kana_norm, "
	                         "name_fold FROM persons WHERE id % 97 = 0 OR version > 1 OR alias IS NOT NULL OR "
	                         "former_surname IS NOT NULL ORDER BY id LIMIT 600");
	long n = 0, past = 0;
	struct md_error err;

	while (sqlite3_step(s) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(s, 0);
		char *kana = md_kana_normalize(txt(s, 1)), *fold = md_kanji_fold(txt(s, 2));
		char *before = index_rows(ctx, id), *after;
		assert_string_equal(kana, txt(s, 3));
		assert_string_equal(fold, txt(s, 4));
		assert_int_equal(md_store_begin(ctx->store, &err), MD_OK);
		assert_int_equal(md_index_person(ctx, id, &err), MD_OK);
		assert_int_equal(md_store_commit(ctx->store, &err), MD_OK);
		after = index_rows(ctx, id);
		if (strcmp(before, after) != 0)
			print_error("person %lld:\n generated %s\n md_index_person %s\n", id, before, after);
		assert_string_equal(before, after);
		past += strstr(after, "past") != NULL;
		free(kana);
		free(fold);
		free(before);
		free(after);
		n++;
	}
	sqlite3_finalize(s);
	assert_true(n > 400);
	assert_true(past > 50);
	md_ctx_free(&ctx);
}

/* ---- protections -------------------------------------------------------------------- */

static void test_protections(void **state)
{
	struct world *w = *state;
	struct md_ctx *ctx = open_db(w, w->big);
	struct md_protect out;
	struct md_error err;
	long long id;

	assert_true(w->c_big.support_measures >= 10);
	assert_true(w->c_big.support_measures <= 40);
	assert_true(w->c_big.suppressions >= 4);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM support_measures WHERE provisional = 1 AND "
	                                 "status = 'provisional' AND start_date IS NULL AND provisional_start <= '"
	                                 TODAY "' AND provisional_end >= '" TODAY "'") >= 1, 1);
	/* A year each: 令和7年4月1日 → 令和8年3月31日; some end within a month. */
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM support_measures WHERE status = 'active' AND "
	                                 "end_date <> date(start_date, '+1 year', '-1 day')"), 0);
	assert_true(tu_sql_int(ctx, "SELECT count(*) FROM support_measures WHERE status = 'active' AND end_date >= '"
	                            TODAY "' AND end_date <= date('" TODAY "', '+1 month')") >= 1);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM support_measures WHERE status = 'active' AND "
	                                 "(start_date > '" TODAY "' OR end_date < '" TODAY "')"), 0);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM support_measures WHERE applicant_situation NOT IN "
	                                 "('DV', 'ストーカー', '児童虐待') OR contact IS NULL OR protect_copy <> 1"), 0);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM support_measures m JOIN persons p ON p.id = m.person_id "
	                                 "WHERE p.status <> 'resident'"), 0);
	assert_int_equal(tu_sql_int(ctx, "SELECT count(*) FROM suppressions WHERE operation NOT IN ('change', "
	                                 "'certificate', 'lookup') OR mode NOT IN ('error', 'alert') OR start_date > '"
	                                 TODAY "'"), 0);
	/* The counter sees them. */
	id = tu_sql_int(ctx, "SELECT person_id FROM support_measures WHERE status = 'active' ORDER BY id LIMIT 1");
	assert_int_equal(md_protect_check(ctx, id, 0, "certificate", &out, &err), MD_OK);
	assert_true(out.measure_id > 0);
	assert_true(out.alert);
	md_ctx_free(&ctx);
}

static void test_accounts(void **state)
{
	struct world *w = *state;
	struct md_ctx *ctx = open_db(w, w->same1);
	struct md_error err;
	assert_int_equal(md_auth_login(ctx, "clerk1", "demo", &err), MD_OK);
	assert_true(md_auth_can(ctx, "resident.lookup"));
	md_auth_logout(ctx);
	assert_int_equal(md_auth_login(ctx, "supervisor1", "demo", &err), MD_OK);
	assert_true(md_auth_can(ctx, "change.approve"));
	md_ctx_free(&ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_shares),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_households),
		cmocka_unit_test(test_names_and_items),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_protections),
		cmocka_unit_test(test_accounts),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
