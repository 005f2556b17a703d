/* test_stats.c: statistics (registry.md §9): population by district, sex
 * and age band, monthly change counts, and the suppression of small cells
 * and of the totals that would reveal them. */
#include "config.h"

#include <stdarg.h>

#define TU_WITH_DB
#include "testutil.h"

#include "cmd.h"
#include "ctx.h"
#include "error.h"
#include "result.h"
#include "settings.h"
#include "stats.h"
#include "store.h"
#include "timeutil.h"

struct fx {
	char *dir;
	char *db;
	struct md_settings cfg;
	struct md_ctx *ctx;
};

static int group_setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static void login(struct md_ctx *c, const char *user)
{
	struct md_args a;
	struct md_result res;
	struct md_error err;
	int rc;

	md_args_init(&a);
	md_args_set(&a, "user", user);
	md_args_set(&a, "password", "demo");
	md_result_init(&res);
	rc = md_cmd_exec(c, "login", &a, &res, &err);
	md_result_release(&res);
	if (rc != MD_OK)
		print_error("login %s: %s\n", user, err.msg);
	assert_int_equal(rc, MD_OK);
}

/* One person in a household of their own; code and removal may be NULL. */
static void add_person(struct md_ctx *c, const char *status, const char *birth, const char *sex,
                       const char *code, const char *removal)
{
	char sql[1024], codebuf[16], rembuf[24];

	tu_sql_exec(c, "INSERT INTO households (created_at) VALUES ('2026-01-01T00:00:00Z')");
	snprintf(codebuf, sizeof codebuf, code ? "'%s'" : "NULL", code ? code : "");
	snprintf(rembuf, sizeof rembuf, removal ? "'%s'" : "NULL", removal ? removal : "");
	snprintf(sql, sizeof sql,
	         "INSERT INTO persons (version, status, resident_type, household_id, relationship, surname, "
	         "given_name, surname_kana, given_name_kana, birth_date, sex, address_code, address, "
	         "removal_date, kana_norm, name_fold, updated_at) VALUES (1, '%s', 'japanese', "
	         "(SELECT max(id) FROM households), '世帯主', '統計', '太郎', 'トウケイ', 'タロウ', '%s', '%s', "
	         "%s, '見本区見本町一丁目1番1号', %s, 'トウケイタロウ', '統計太郎', '2026-01-01T00:00:00Z')",
	         status, birth, sex, codebuf, rembuf);
	tu_sql_exec(c, sql);
}

static void add_change(struct md_ctx *c, const char *type, const char *status, const char *event_date,
                       int times)
{
	char sql[512];
	for (int i = 0; i < times; i++) {
		snprintf(sql, sizeof sql,
		         "INSERT INTO changes (type, reason, status, event_date, processed_on, made_by, made_at, "
		         "terminal) VALUES ('%s', 'x', '%s', '%s', '%s', 'clerk1', '2026-01-01T00:00:00Z', 'T')",
		         type, status, event_date, event_date);
		tu_sql_exec(c, sql);
	}
}

/* The known population, counted on 2026-04-01:
 *   見本町 (codes 0101, 0102, 0103): 30-34: 4 men, 4 women (one moving out on
 *     2026-05-01); 0-4: 1 woman. Not counted: a dead man, a man who moved out
 *     on 2026-03-01, a removed record, a woman born 2026-05-01.
 *   桜台 (0201): 100+: 3 men; 5-9: a man born 2021-04-01 (5 on the day);
 *     0-4: a man born 2021-04-02 (still 4); 45-49: a man born in 1980,
 *     month and day unknown.
 *   その他: 40-44: 2 men without a 住所コード, 1 with an unknown code.
 *   Year of birth unknown: 1 man. */
static void known_population(struct md_ctx *c)
{
	for (int i = 0; i < 3; i++) {
		add_person(c, "resident", "1993-05-01", "M", "0101", NULL);
		add_person(c, "resident", "1993-05-01", "F", "0101", NULL);
	}
	add_person(c, "resident", "1993-05-01", "M", "0103", NULL);
	add_person(c, "moved_out", "1993-05-01", "F", "0103", "2026-05-01");
	add_person(c, "resident", "2024-01-01", "F", "0102", NULL);
	add_person(c, "dead", "1993-05-01", "M", "0101", NULL);
	add_person(c, "moved_out", "1993-05-01", "M", "0101", "2026-03-01");
	add_person(c, "removed", "1993-05-01", "M", "0101", "2026-02-01");
	add_person(c, "resident", "2026-05-01", "F", "0101", NULL);
	for (int i = 0; i < 3; i++)
		add_person(c, "resident", "1920-01-01", "M", "0201", NULL);
	add_person(c, "resident", "2021-04-01", "M", "0201", NULL);
	add_person(c, "resident", "2021-04-02", "M", "0201", NULL);
	add_person(c, "resident", "1980-00-00", "M", "0201", NULL);
	add_person(c, "resident", "1986-01-01", "M", NULL, NULL);
	add_person(c, "resident", "1986-01-01", "M", "", NULL);
	add_person(c, "resident", "1986-01-01", "M", "9999", NULL);
	add_person(c, "resident", "0000-00-00", "M", "0201", NULL);
}

static void known_changes(struct md_ctx *c)
{
	add_change(c, "move_in", "approved", "2026-03-05", 3);
	add_change(c, "birth", "approved", "2026-03-10", 1);
	add_change(c, "move_in", "approved", "2026-02-01", 2);
	add_change(c, "death", "approved", "2026-02-15", 3);
	add_change(c, "move_in", "provisional", "2026-03-06", 1);
	add_change(c, "move_in", "rejected", "2026-03-07", 1);
	add_change(c, "move_in", "approved", "2025-01-10", 1);
}

static int setup_min(void **state, int min_cell)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f || !(f->dir = tu_tmpdir()))
		return -1;
	md_time_set(tu_day(0));   /* 2026-04-01 */
	md_settings_defaults(&f->cfg);
	assert_int_equal(f->cfg.stats_min_cell, 3);
	f->cfg.stats_min_cell = min_cell;
	f->db = tu_create_db(f->dir, "t.db", &f->cfg, MD_DB_TRAINING);
	f->ctx = tu_open(&f->cfg, f->db, MD_DB_TRAINING);
	known_population(f->ctx);
	known_changes(f->ctx);
	login(f->ctx, "auditor1");
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_min(state, 3);
}

static int setup_min1(void **state)
{
	return setup_min(state, 1);
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

static int run(struct md_ctx *c, struct md_error *err, struct md_result *res, ...)
{
	struct md_args a;
	va_list ap;
	const char *k;
	int rc;

	md_args_init(&a);
	va_start(ap, res);
	while ((k = va_arg(ap, const char *)) != NULL) {
		const char *v = va_arg(ap, const char *);
		assert_int_equal(md_args_set(&a, k, v), 0);
	}
	va_end(ap);
	md_result_init(res);
	rc = md_cmd_exec(c, "stats", &a, res, err);
	return rc;
}

static const struct md_stats_district *district(const struct md_stats_pop *p, const char *name)
{
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->d[i].name, name) == 0)
			return &p->d[i];
	print_error("no district %s\n", name);
	fail();
	return NULL;
}

/* Row r of a table as "c0|c1|c2|c3|c4|c5". */
static void row_text(const struct md_table *t, int r, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int c = 0; c < t->ncols; c++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s", c ? "|" : "", t->rows[r][c]);
}

static void expect_rows(const struct md_table *t, const char *const *want, int n)
{
	char buf[512];
	if (t->nrows != n) {
		for (int r = 0; r < t->nrows; r++) {
			row_text(t, r, buf, sizeof buf);
			print_error("row %d: %s\n", r, buf);
		}
	}
	assert_int_equal(t->nrows, n);
	for (int r = 0; r < n; r++) {
		row_text(t, r, buf, sizeof buf);
		if (strcmp(buf, want[r]) != 0)
			print_error("row %d: got %s, want %s\n", r, buf, want[r]);
		assert_string_equal(buf, want[r]);
	}
}

/* ---- the counts -------------------------------------------------------------- */

static void test_bands(void **state)
{
	char buf[16];
	(void)state;
	assert_string_equal(md_stats_band_label(0, buf, sizeof buf), "0-4");
	assert_string_equal(md_stats_band_label(6, buf, sizeof buf), "30-34");
	assert_string_equal(md_stats_band_label(19, buf, sizeof buf), "95-99");
	assert_string_equal(md_stats_band_label(20, buf, sizeof buf), "100+");
	assert_int_equal(md_stats_band(0), 0);
	assert_int_equal(md_stats_band(4), 0);
	assert_int_equal(md_stats_band(5), 1);
	assert_int_equal(md_stats_band(99), 19);
	assert_int_equal(md_stats_band(100), 20);
	assert_int_equal(md_stats_band(117), 20);
}

static void test_population_counts(void **state)
{
	struct fx *f = *state;
	struct md_stats_pop p;
	struct md_error err;
	const struct md_stats_district *d;
	int total = 0;

	assert_int_equal(md_stats_population(f->ctx, "2026-04-01", &p, &err), MD_OK);
	d = district(&p, "見本町");
	assert_int_equal(d->male[6], 4);
	assert_int_equal(d->female[6], 4);
	assert_int_equal(d->female[0], 1);
	d = district(&p, "桜台");
	assert_int_equal(d->male[20], 3);
	assert_int_equal(d->male[1], 1);    /* born 2021-04-01: 5 on 2026-04-01 */
	assert_int_equal(d->male[0], 1);    /* born 2021-04-02: still 4 */
	assert_int_equal(d->male[9], 1);    /* 1980, month and day unknown: 45 for certain */
	/* その他 last, with the persons without a known code. */
	assert_string_equal(p.d[p.n - 1].name, "その他");
	assert_int_equal(p.d[p.n - 1].male[8], 3);
	assert_int_equal(p.unknown_male, 1);
	assert_int_equal(p.unknown_female, 0);
	for (int i = 0; i < p.n; i++)
		for (int b = 0; b < MD_STATS_BANDS; b++)
			total += p.d[i].male[b] + p.d[i].female[b];
	assert_int_equal(total, 18);
	md_stats_pop_release(&p);

	/* A day later the boy born 2021-04-02 is 5. */
	assert_int_equal(md_stats_population(f->ctx, "2026-04-02", &p, &err), MD_OK);
	d = district(&p, "桜台");
	assert_int_equal(d->male[1], 2);
	assert_int_equal(d->male[0], 0);
	md_stats_pop_release(&p);
	/* On the day of her move-out she is no longer counted; the girl born
	 * 2026-05-01 now is. */
	assert_int_equal(md_stats_population(f->ctx, "2026-05-01", &p, &err), MD_OK);
	d = district(&p, "見本町");
	assert_int_equal(d->female[6], 3);
	assert_int_equal(d->female[0], 2);
	md_stats_pop_release(&p);
}

static void test_change_counts(void **state)
{
	struct fx *f = *state;
	struct md_stats_changes c;
	struct md_error err;

	assert_int_equal(md_stats_changes(f->ctx, "2026-02", "2026-03", &c, &err), MD_OK);
	assert_int_equal(c.n, 4);
	assert_string_equal(c.v[0].month, "2026-02");
	assert_string_equal(c.v[0].type, "move_in");
	assert_string_equal(c.v[0].name, "転入");
	assert_int_equal(c.v[0].count, 2);
	assert_string_equal(c.v[1].name, "死亡");
	assert_int_equal(c.v[1].count, 3);
	assert_string_equal(c.v[2].month, "2026-03");
	assert_string_equal(c.v[2].name, "転入");
	assert_int_equal(c.v[2].count, 3);     /* the provisional and rejected ones do not count */
	assert_string_equal(c.v[3].name, "出生");
	assert_int_equal(c.v[3].count, 1);
	md_stats_changes_release(&c);
	assert_int_equal(md_stats_changes(f->ctx, "2025-01", "2025-01", &c, &err), MD_OK);
	assert_int_equal(c.n, 1);
	md_stats_changes_release(&c);
}

/* ---- suppression --------------------------------------------------------------- */

static void test_suppression_rule(void **state)
{
	struct md_stats_district d[1];
	struct md_stats_pop p;
	struct md_table t;
	(void)state;

	memset(d, 0, sizeof d);
	memset(&p, 0, sizeof p);
	snprintf(d[0].name, sizeof d[0].name, "A町");
	d[0].male[0] = 2;
	d[0].female[0] = 2;   /* 2 + 2 = 4: showing 4 would give both 2s away */
	d[0].male[1] = 5;
	d[0].female[2] = 7;
	p.n = 1;
	p.d = d;
	{
		static const char *const want[] = {
			"population|A町|0-4|*|*|*",
			"population|A町|5-9|5|0|5",
			"population|A町|10-14|0|7|7",
			"population|A町|total|*|*|*",
			"population|all districts|total|*|*|*",
		};
		assert_int_equal(md_stats_table(&p, NULL, 3, &t), 9);
		expect_rows(&t, want, 5);
		md_table_release(&t);
	}
	{
		static const char *const want[] = {
			"population|A町|0-4|2|2|4",
			"population|A町|5-9|5|0|5",
			"population|A町|10-14|0|7|7",
			"population|A町|total|7|9|16",
			"population|all districts|total|7|9|16",
		};
		assert_int_equal(md_stats_table(&p, NULL, 2, &t), 0);
		expect_rows(&t, want, 5);
		md_table_release(&t);
	}
	/* One sex suppressed: the other sex's total stays. */
	d[0].male[0] = 3;
	d[0].female[0] = 1;
	{
		static const char *const want[] = {
			"population|A町|0-4|3|*|*",
			"population|A町|5-9|5|0|5",
			"population|A町|10-14|0|7|7",
			"population|A町|total|8|*|*",
			"population|all districts|total|8|*|*",
		};
		assert_int_equal(md_stats_table(&p, NULL, 3, &t), 6);
		expect_rows(&t, want, 5);
		md_table_release(&t);
	}
}

static void test_stats_command(void **state)
{
	struct fx *f = *state;
	struct md_result res;
	struct md_error err;
	char buf[256];
	static const char *const want[] = {
		"population|見本町|0-4|0|*|*",
		"population|見本町|30-34|4|4|8",
		"population|見本町|total|4|*|*",
		"population|桜台|0-4|*|0|*",
		"population|桜台|5-9|*|0|*",
		"population|桜台|45-49|*|0|*",
		"population|桜台|100+|3|0|3",
		"population|桜台|total|*|0|*",
		"population|その他|40-44|3|0|3",
		"population|その他|total|3|0|3",
		"population|all districts|total|*|*|*",
		"population|all districts|age unknown|*|0|*",
		"changes|2026-02|転入|||*",
		"changes|2026-02|死亡|||3",
		"changes|2026-03|転入|||3",
		"changes|2026-03|出生|||*",
	};

	assert_int_equal(run(f->ctx, &err, &res, "from", "R8.2", "to", "令和8年3月", NULL), MD_OK);
	assert_int_equal(res.table.ncols, 6);
	assert_string_equal(res.table.cols[0], "statistic");
	assert_string_equal(res.table.cols[3], "male");
	expect_rows(&res.table, want, 16);
	assert_non_null(res.message);
	assert_non_null(strstr(res.message, "under 3"));
	/* Aggregates only: no name, no 宛名番号. */
	for (int r = 0; r < res.table.nrows; r++)
		for (int c = 0; c < res.table.ncols; c++)
			assert_null(strstr(res.table.rows[r][c], "統計"));
	md_result_release(&res);
	assert_int_equal(tu_audit_count(f->ctx, "stats", "ok", NULL), 1);
	tu_sql_text(f->ctx, "SELECT action || ' ' || detail || ' ' || user_id FROM audit_log "
	                    "WHERE function = 'stats'", buf, sizeof buf);
	assert_string_equal(buf, "population,changes as_of=2026-04-01 months=2026-02..2026-03 min_cell=3 "
	                         "suppressed=19 auditor1");

	/* One kind; the default months are the twelve up to the as-of month. */
	assert_int_equal(run(f->ctx, &err, &res, "kind", "changes", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 4);
	md_result_release(&res);
	assert_int_equal(run(f->ctx, &err, &res, "kind", "changes", "from", "2025-01", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 5);
	row_text(&res.table, 0, buf, sizeof buf);
	assert_string_equal(buf, "changes|2025-01|転入|||*");
	md_result_release(&res);
	assert_int_equal(run(f->ctx, &err, &res, "kind", "population", "as_of", "令和8年4月2日", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 11);   /* 桜台 0-4 is empty on 2026-04-02 */
	row_text(&res.table, 3, buf, sizeof buf);
	assert_string_equal(buf, "population|桜台|5-9|*|0|*");
	md_result_release(&res);
	tu_sql_text(f->ctx, "SELECT detail FROM audit_log WHERE function = 'stats' ORDER BY id DESC LIMIT 1",
	            buf, sizeof buf);
	assert_non_null(strstr(buf, "as_of=2026-04-02"));
	assert_int_equal(tu_audit_count(f->ctx, "stats", "ok", NULL), 4);
}

static void test_stats_min_cell_setting(void **state)
{
	struct fx *f = *state;
	struct md_result res;
	struct md_error err;
	static const char *const want[] = {
		"population|見本町|0-4|0|1|1",
		"population|見本町|30-34|4|4|8",
		"population|見本町|total|4|5|9",
		"population|桜台|0-4|1|0|1",
		"population|桜台|5-9|1|0|1",
		"population|桜台|45-49|1|0|1",
		"population|桜台|100+|3|0|3",
		"population|桜台|total|6|0|6",
		"population|その他|40-44|3|0|3",
		"population|その他|total|3|0|3",
		"population|all districts|total|13|5|18",
		"population|all districts|age unknown|1|0|1",
	};

	assert_int_equal(f->ctx->cfg.stats_min_cell, 1);
	assert_int_equal(run(f->ctx, &err, &res, "kind", "population", NULL), MD_OK);
	expect_rows(&res.table, want, 12);
	assert_null(res.message);
	md_result_release(&res);
}

static void test_stats_arguments_and_permission(void **state)
{
	struct fx *f = *state;
	struct md_result res;
	struct md_error err;

	assert_int_equal(run(f->ctx, &err, &res, "kind", "all", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "kind");
	md_result_release(&res);
	assert_int_equal(run(f->ctx, &err, &res, "as_of", "R8.4", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "as_of");
	md_result_release(&res);
	assert_int_equal(run(f->ctx, &err, &res, "from", "2026-13", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "from");
	md_result_release(&res);
	assert_int_equal(run(f->ctx, &err, &res, "from", "2026-05", "to", "2026-04", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "from");
	md_result_release(&res);
	assert_int_equal(run(f->ctx, &err, &res, "from", "2006-01", "to", "2026-04", NULL), MD_E_INVALID);
	md_result_release(&res);
	assert_int_equal(tu_audit_count(f->ctx, "stats", "ok", NULL), 0);

	/* report.view: auditors and supervisors, not clerks. */
	login(f->ctx, "clerk1");
	assert_int_equal(run(f->ctx, &err, &res, NULL), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "report.view"));
	md_result_release(&res);
	assert_int_equal(tu_audit_count(f->ctx, "stats", "denied", NULL), 1);
	login(f->ctx, "supervisor1");
	assert_int_equal(run(f->ctx, &err, &res, NULL), MD_OK);
	assert_true(res.table.nrows > 0);
	md_result_release(&res);
	assert_int_equal(tu_audit_count(f->ctx, "stats", "ok", NULL), 1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bands),
		cmocka_unit_test(test_suppression_rule),
		T(test_population_counts),
		T(test_change_counts),
		T(test_stats_command),
		cmocka_unit_test_setup_teardown(test_stats_min_cell_setting, setup_min1, teardown),
		T(test_stats_arguments_and_permission),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
