/* test_auditreview.c: the audit review: search filters and pages, each
 * ready-made check with its edges (office-hours boundaries, closed days,
 * volume against own usual and peers, lookups with and without a
 * transaction, protected persons, My Number, logins), marking reviewed,
 * the commands' permission and logging, and that every query of the log
 * goes through an index. The tests run in Japan time (TZ=JST-9): office
 * hours are local, the log is UTC. */
#include "config.h"

#include <stdarg.h>

#define TU_WITH_DB
#include "testutil.h"

#include "audit.h"
#include "auditreview.h"
#include "cmd.h"
#include "ctx.h"
#include "datafiles.h"
#include "error.h"
#include "result.h"
#include "settings.h"
#include "store.h"
#include "timeutil.h"

struct fx {
	char *dir;
	char *db;
	struct md_settings cfg;
	struct md_ctx *ctx;
};

/* y-m-d hh:mm:ss in Japan time. 2026-11-16 is a Monday. */
static time_t jst(int y, int m, int d, int hh, int mm, int ss)
{
	return (time_t)md_days_from_civil(y, m, d) * 86400 + (hh - 9) * 3600 + mm * 60 + ss;
}

static int group_setup(void **state)
{
	(void)state;
	setenv("TZ", "JST-9", 1);
	tzset();
	return 0;
}

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

static int run(struct md_ctx *c, struct md_error *err, struct md_result *res, const char *name, ...)
{
	va_list ap;
	int rc;
	va_start(ap, name);
	rc = runv(c, err, res, name, ap);
	va_end(ap);
	return rc;
}

static void login(struct md_ctx *c, const char *user)
{
	struct md_error err;
	int rc = run(c, &err, NULL, "login", "user", user, "password", "demo", NULL);
	if (rc != MD_OK)
		print_error("login %s: %s\n", user, err.msg);
	assert_int_equal(rc, MD_OK);
}

/* The database is made on Monday 2026-11-02 at 10:00 (the demo accounts
 * are valid from that day); every test's own entries come later. */
static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f || !(f->dir = tu_tmpdir()))
		return -1;
	md_time_set(jst(2026, 11, 2, 10, 0, 0));
	md_settings_defaults(&f->cfg);
	f->db = tu_create_db(f->dir, "t.db", &f->cfg, MD_DB_TRAINING);
	f->ctx = tu_open(&f->cfg, f->db, MD_DB_TRAINING);
	login(f->ctx, "auditor1");
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

/* One entry as user at t; returns its number. The clock is left at t. */
static long long put(struct md_ctx *c, time_t t, const char *user, const char *function,
                     const char *subject, const char *outcome, const char *detail)
{
	struct md_audit_rec r = { user, function, subject, "test", outcome, detail, 0 };
	struct md_error err;
	md_time_set(t);
	assert_int_equal(md_audit(c, &r, &err), MD_OK);
	return tu_sql_int(c, "SELECT max(id) FROM audit_log");
}

static void query(struct md_audit_query *q, const char *from, const char *to)
{
	struct md_error err;
	md_audit_query_init(q);
	assert_int_equal(md_audit_time_bound("from", from, 0, q->from, &err), MD_OK);
	assert_int_equal(md_audit_time_bound("to", to, 1, q->to, &err), MD_OK);
}

static const char *cell(const struct md_table *t, int row, const char *col)
{
	for (int c = 0; c < t->ncols; c++)
		if (strcmp(t->cols[c], col) == 0)
			return t->rows[row][c];
	fail_msg("no column %s", col);
	return NULL;
}

static long long row_id(const struct md_table *t, int row)
{
	return strtoll(cell(t, row, "id"), NULL, 10);
}

/* Runs a check that must succeed; returns the total of findings. */
static long check(struct md_ctx *c, enum md_audit_check k, const struct md_audit_query *q,
                  struct md_table *t)
{
	struct md_error err;
	long total = -1;
	int rc = md_audit_check(c, k, q, t, &total, &err);
	if (rc != MD_OK)
		print_error("check %d: %s\n", (int)k, err.msg);
	assert_int_equal(rc, MD_OK);
	assert_int_equal(t->nrows, total < q->limit ? total : q->limit);
	return total;
}

/* ---- time bounds ---- */

static void test_time_bound(void **state)
{
	struct md_error err;
	char b[24];

	(void)state;
	assert_int_equal(md_audit_time_bound("from", "2026-11-18", 0, b, &err), MD_OK);
	assert_string_equal(b, "2026-11-17T15:00:00Z");
	assert_int_equal(md_audit_time_bound("to", "2026-11-18", 1, b, &err), MD_OK);
	assert_string_equal(b, "2026-11-18T15:00:00Z");
	assert_int_equal(md_audit_time_bound("from", "2026-11-18 08:30", 0, b, &err), MD_OK);
	assert_string_equal(b, "2026-11-17T23:30:00Z");
	/* a time given is the bound itself, also for to */
	assert_int_equal(md_audit_time_bound("to", "2026-11-18T17:15:05", 1, b, &err), MD_OK);
	assert_string_equal(b, "2026-11-18T08:15:05Z");
	assert_int_equal(md_audit_time_bound("from", "R8.11.18", 0, b, &err), MD_OK);
	assert_string_equal(b, "2026-11-17T15:00:00Z");
	assert_int_equal(md_audit_time_bound("from", "", 0, b, &err), MD_OK);
	assert_string_equal(b, "");

	assert_int_equal(md_audit_time_bound("from", "2026-11-18 25:00", 0, b, &err), MD_E_INVALID);
	assert_string_equal(err.field, "from");
	assert_int_equal(md_audit_time_bound("to", "yesterday", 1, b, &err), MD_E_INVALID);
	assert_string_equal(err.field, "to");
	assert_non_null(strstr(err.msg, "yesterday"));
	assert_int_equal(md_audit_time_bound("to", "2026-11", 1, b, &err), MD_E_INVALID);
}

/* Every row of data/holidays.tsv is a real date with a name, in order,
 * once: the check skips what it cannot read, so the data is checked here. */
static void test_holidays_data(void **state)
{
	const char *p = md_data_holidays_tsv;
	char prev[11] = "";
	int rows = 0, header = 0;

	(void)state;
	while (*p) {
		size_t len = strcspn(p, "\n");
		char date[11];
		if (len && p[0] != '#') {
			if (!header && strncmp(p, "date\tname", len) == 0) {
				header = 1;
			} else {
				assert_true(len > 11);
				assert_int_equal(p[10], '\t');
				memcpy(date, p, 10);
				date[10] = '\0';
				assert_int_equal(md_date_parse_iso(date, NULL, NULL, NULL), 0);
				assert_true(strcmp(prev, date) < 0);
				memcpy(prev, date, sizeof prev);
				rows++;
			}
		}
		p += len;
		if (*p)
			p++;
	}
	assert_int_equal(header, 1);
	assert_true(rows >= 4 * 20);
}

/* ---- search ---- */

static void test_search_filters(void **state)
{
	struct fx *f = *state;
	struct md_audit_query q;
	struct md_table t;
	struct md_error err;
	int more = -1;
	long long a, b, c, d;

	a = put(f->ctx, jst(2026, 11, 18, 9, 0, 0), "clerk1", "resident.view", "101", "ok", NULL);
	b = put(f->ctx, jst(2026, 11, 18, 9, 5, 0), "clerk2", "resident.view", "102", "ok",
	        "search keys 123456789018 and 宛名番号 1234");
	c = put(f->ctx, jst(2026, 11, 18, 9, 10, 0), "clerk1", "cert.issue", "101", "denied", NULL);
	d = put(f->ctx, jst(2026, 11, 19, 9, 0, 0), "clerk1", "resident.view", "103", "ok", NULL);

	/* by user, newest first */
	query(&q, "2026-11-18", "");
	q.user = "clerk1";
	assert_int_equal(md_audit_search(f->ctx, &q, &t, &more, &err), MD_OK);
	assert_int_equal(t.nrows, 3);
	assert_int_equal(row_id(&t, 0), d);
	assert_int_equal(row_id(&t, 1), c);
	assert_int_equal(row_id(&t, 2), a);
	assert_string_equal(cell(&t, 0, "time"), "2026-11-19 09:00:00");
	assert_int_equal(more, 0);
	md_table_release(&t);

	/* by subject and function */
	query(&q, "", "");
	q.subject = "101";
	q.function = "resident.view";
	assert_int_equal(md_audit_search(f->ctx, &q, &t, &more, &err), MD_OK);
	assert_int_equal(t.nrows, 1);
	assert_int_equal(row_id(&t, 0), a);
	md_table_release(&t);

	/* by outcome, and a range that ends with 2026-11-18 */
	query(&q, "2026-11-18", "2026-11-18");
	q.outcome = "denied";
	assert_int_equal(md_audit_search(f->ctx, &q, &t, &more, &err), MD_OK);
	assert_int_equal(t.nrows, 1);
	assert_int_equal(row_id(&t, 0), c);
	md_table_release(&t);

	/* a My Number in a detail is never shown in clear; other numbers are */
	query(&q, "2026-11-18", "2026-11-18");
	q.user = "clerk2";
	assert_int_equal(md_audit_search(f->ctx, &q, &t, &more, &err), MD_OK);
	assert_int_equal(t.nrows, 1);
	assert_int_equal(row_id(&t, 0), b);
	assert_null(strstr(cell(&t, 0, "detail"), "123456789018"));
	assert_non_null(strstr(cell(&t, 0, "detail"), "**** **** 9018"));
	assert_non_null(strstr(cell(&t, 0, "detail"), "宛名番号 1234"));
	md_table_release(&t);

	/* pages of 2: the newest two, then the rest */
	query(&q, "2026-11-18", "2026-11-19");
	q.limit = 2;
	assert_int_equal(md_audit_search(f->ctx, &q, &t, &more, &err), MD_OK);
	assert_int_equal(t.nrows, 2);
	assert_int_equal(more, 1);
	assert_int_equal(row_id(&t, 0), d);
	assert_int_equal(row_id(&t, 1), c);
	md_table_release(&t);
	q.page = 2;
	assert_int_equal(md_audit_search(f->ctx, &q, &t, &more, &err), MD_OK);
	assert_int_equal(t.nrows, 2);
	assert_int_equal(more, 0);
	assert_int_equal(row_id(&t, 0), b);
	assert_int_equal(row_id(&t, 1), a);
	md_table_release(&t);

	/* bad pages and ranges name their field */
	q.page = 0;
	assert_int_equal(md_audit_search(f->ctx, &q, &t, &more, &err), MD_E_INVALID);
	assert_string_equal(err.field, "page");
	query(&q, "2026-11-19", "2026-11-18");
	assert_int_equal(md_audit_search(f->ctx, &q, &t, &more, &err), MD_E_INVALID);
	assert_string_equal(err.field, "from");
}

/* ---- off-hours ---- */

static void test_offhours(void **state)
{
	struct fx *f = *state;
	struct md_audit_query q;
	struct md_table t;
	long long early, start, last, end, sat;

	/* Wednesday 2026-11-18, office hours 08:30-17:15 */
	early = put(f->ctx, jst(2026, 11, 18, 8, 29, 59), "clerk1", "resident.view", "101", "ok", NULL);
	start = put(f->ctx, jst(2026, 11, 18, 8, 30, 0), "clerk1", "resident.view", "101", "ok", NULL);
	last = put(f->ctx, jst(2026, 11, 18, 17, 14, 59), "clerk1", "resident.view", "101", "ok", NULL);
	end = put(f->ctx, jst(2026, 11, 18, 17, 15, 0), "clerk1", "resident.view", "101", "ok", NULL);
	/* Saturday, in the hours but a closed day */
	sat = put(f->ctx, jst(2026, 11, 21, 10, 0, 0), "clerk1", "resident.view", "102", "ok", NULL);
	/* another user at night */
	put(f->ctx, jst(2026, 11, 18, 23, 0, 0), "clerk2", "resident.view", "103", "ok", NULL);

	query(&q, "2026-11-18", "2026-11-21");
	q.user = "clerk1";
	assert_int_equal(check(f->ctx, MD_CHECK_OFFHOURS, &q, &t), 3);
	assert_int_equal(row_id(&t, 0), sat);
	assert_int_equal(row_id(&t, 1), end);
	assert_int_equal(row_id(&t, 2), early);
	assert_non_null(strstr(cell(&t, 0, "finding"), "Saturday"));
	assert_non_null(strstr(cell(&t, 1, "finding"), "17:15"));
	assert_non_null(strstr(cell(&t, 2, "finding"), "08:29"));
	assert_string_equal(cell(&t, 2, "user"), "clerk1");
	assert_string_equal(cell(&t, 2, "subject"), "101");
	for (int i = 0; i < t.nrows; i++) {
		assert_true(row_id(&t, i) != start);
		assert_true(row_id(&t, i) != last);
	}
	md_table_release(&t);

	/* every user: the night entry too */
	q.user = NULL;
	assert_int_equal(check(f->ctx, MD_CHECK_OFFHOURS, &q, &t), 4);
	md_table_release(&t);

	/* an office open on Saturdays, and other hours */
	snprintf(f->ctx->cfg.audit_office_days, sizeof f->ctx->cfg.audit_office_days, "mon-sat");
	snprintf(f->ctx->cfg.audit_office_hours, sizeof f->ctx->cfg.audit_office_hours, "08:00-17:15");
	q.user = "clerk1";
	assert_int_equal(check(f->ctx, MD_CHECK_OFFHOURS, &q, &t), 1);
	assert_int_equal(row_id(&t, 0), end);
	md_table_release(&t);

	/* holidays (data/holidays.tsv): 勤労感謝の日 is a Monday in 2026, and
	 * 年末年始 closes the office on a Tuesday; the day after is open */
	{
		long long holiday, yearend;
		holiday = put(f->ctx, jst(2026, 11, 23, 10, 0, 0), "clerk1", "resident.view", "104", "ok", NULL);
		put(f->ctx, jst(2026, 11, 24, 10, 0, 0), "clerk1", "resident.view", "104", "ok", NULL);
		yearend = put(f->ctx, jst(2026, 12, 29, 10, 0, 0), "clerk1", "resident.view", "104", "ok", NULL);
		query(&q, "2026-11-23", "2026-12-29");
		q.user = "clerk1";
		assert_int_equal(check(f->ctx, MD_CHECK_OFFHOURS, &q, &t), 2);
		assert_int_equal(row_id(&t, 0), yearend);
		assert_int_equal(row_id(&t, 1), holiday);
		assert_non_null(strstr(cell(&t, 0, "finding"), "年末年始"));
		assert_non_null(strstr(cell(&t, 1, "finding"), "勤労感謝の日"));
		assert_non_null(strstr(cell(&t, 1, "finding"), "Monday"));
		md_table_release(&t);
		query(&q, "2026-11-18", "2026-11-21");
		q.user = "clerk1";
	}

	/* a page beyond the findings is empty, the total stays */
	snprintf(f->ctx->cfg.audit_office_days, sizeof f->ctx->cfg.audit_office_days, "mon-fri");
	q.page = 2;
	q.limit = 2;
	{
		struct md_error err;
		long total = 0;
		assert_int_equal(md_audit_check(f->ctx, MD_CHECK_OFFHOURS, &q, &t, &total, &err), MD_OK);
		assert_int_equal(total, 2);
		assert_int_equal(t.nrows, 0);
		md_table_release(&t);
	}
}

/* ---- volume ---- */

static void lookups(struct md_ctx *c, const char *user, int y, int m, int d, int n)
{
	for (int i = 0; i < n; i++)
		put(c, jst(y, m, d, 9, 0, 0) + i * 30, user, "resident.view", "101", "ok", NULL);
}

static void test_volume(void **state)
{
	struct fx *f = *state;
	struct md_audit_query q;
	struct md_table t;
	long long first;

	/* history: clerk1 10 a day, clerk2 20 a day, Mon-Fri of the week of 11-09 */
	for (int d = 9; d <= 13; d++) {
		lookups(f->ctx, "clerk1", 2026, 11, d, 10);
		lookups(f->ctx, "clerk2", 2026, 11, d, 20);
	}
	/* Mon 11-16: clerk1 31 (over 3 x 10 and over lookup_min 30), clerk2 25 */
	first = put(f->ctx, jst(2026, 11, 16, 8, 45, 0), "clerk1", "resident.search", NULL, "ok", NULL);
	lookups(f->ctx, "clerk1", 2026, 11, 16, 30);
	lookups(f->ctx, "clerk2", 2026, 11, 16, 25);
	/* Tue 11-17: clerk1 30, not above 3 x their usual (now 13.5), nobody else */
	lookups(f->ctx, "clerk1", 2026, 11, 17, 30);
	/* Wed 11-18: clerk2 29 against a usual of about 20 and clerk1's 1:
	 * above the peers, but under lookup_min */
	lookups(f->ctx, "clerk2", 2026, 11, 18, 29);
	lookups(f->ctx, "clerk1", 2026, 11, 18, 1);
	/* Thu 11-19: clerk3, new, 200 lookups, nobody else: nothing to compare */
	lookups(f->ctx, "clerk3", 2026, 11, 19, 200);
	/* Fri 11-20: clerk3 again 40 (own usual 200: fine) while clerk1 does 4
	 * and clerk2 only logs in (a peer with no lookups is no peer): 40 > 3 x 4 */
	lookups(f->ctx, "clerk3", 2026, 11, 20, 40);
	lookups(f->ctx, "clerk1", 2026, 11, 20, 4);
	put(f->ctx, jst(2026, 11, 20, 8, 40, 0), "clerk2", "login", "clerk2", "ok", NULL);

	query(&q, "2026-11-16", "2026-11-20");
	assert_int_equal(check(f->ctx, MD_CHECK_VOLUME, &q, &t), 2);
	/* newest first: clerk3 on Friday (peers), clerk1 on Monday (own usual) */
	assert_string_equal(cell(&t, 0, "user"), "clerk3");
	assert_non_null(strstr(cell(&t, 0, "finding"), "40 lookups on 2026-11-20"));
	assert_non_null(strstr(cell(&t, 0, "finding"), "above their peers'"));
	assert_null(strstr(cell(&t, 0, "finding"), "above their usual"));
	assert_non_null(strstr(cell(&t, 0, "finding"), "other users that day: 4.0"));
	assert_string_equal(cell(&t, 1, "user"), "clerk1");
	assert_int_equal(row_id(&t, 1), first);
	assert_non_null(strstr(cell(&t, 1, "finding"), "31 lookups on 2026-11-16"));
	assert_non_null(strstr(cell(&t, 1, "finding"), "own usual a day: 10.0"));
	assert_non_null(strstr(cell(&t, 1, "finding"), "other users that day: 25.0"));
	md_table_release(&t);

	/* a lower minimum: clerk2's Wednesday shows (29 > 3 x 1) */
	f->ctx->cfg.audit_lookup_min = 29;
	q.user = "clerk2";
	assert_int_equal(check(f->ctx, MD_CHECK_VOLUME, &q, &t), 1);
	assert_non_null(strstr(cell(&t, 0, "finding"), "29 lookups on 2026-11-18"));
	md_table_release(&t);

	/* a window too short to hold the week before: clerk1's Monday has no
	 * usual to compare with, and 31 is not above 3 x clerk2's 25 */
	f->ctx->cfg.audit_lookup_min = 30;
	f->ctx->cfg.audit_lookup_window_days = 2;
	q.user = "clerk1";
	assert_int_equal(check(f->ctx, MD_CHECK_VOLUME, &q, &t), 0);
	md_table_release(&t);
}

/* ---- lookups not followed by a transaction ---- */

static void test_nofollowup(void **state)
{
	struct fx *f = *state;
	struct md_audit_query q;
	struct md_table t;
	time_t t0 = jst(2026, 11, 18, 10, 0, 0);
	long long other, late, bare, search1;

	/* 101: clerk1 looks, then saves a change on them within the hour */
	put(f->ctx, t0, "clerk1", "resident.view", "101", "ok", NULL);
	put(f->ctx, t0 + 3600, "clerk1", "change.save", "101", "ok", NULL);
	/* 102: the certificate is issued by somebody else */
	other = put(f->ctx, t0 + 60, "clerk1", "resident.view", "102", "ok", NULL);
	put(f->ctx, t0 + 120, "clerk2", "cert.issue", "102", "ok", NULL);
	/* 103: a certificate only after 4 hours and 1 second */
	late = put(f->ctx, t0 + 180, "clerk1", "resident.history", "103", "ok", NULL);
	put(f->ctx, t0 + 180 + 4 * 3600 + 1, "clerk1", "cert.issue", "103", "ok", NULL);
	/* 104: exactly 4 hours later still counts */
	put(f->ctx, t0 + 240, "clerk1", "resident.view", "104", "ok", NULL);
	put(f->ctx, t0 + 240 + 4 * 3600, "clerk1", "seal.register", "104", "ok", NULL);
	/* 105: the lookup served a counter reception opened before it */
	put(f->ctx, t0 - 1800, "clerk1", "counter.subject", "105", "ok", NULL);
	put(f->ctx, t0 + 300, "clerk1", "resident.view", "105", "ok", NULL);
	/* 106: only looked at; and a refused transaction is no transaction */
	bare = put(f->ctx, t0 + 360, "clerk1", "resident.household", "106", "ok", NULL);
	put(f->ctx, t0 + 400, "clerk1", "cert.issue", "106", "denied", NULL);
	/* a search that found one person is a lookup of that person */
	search1 = put(f->ctx, t0 + 420, "clerk1", "resident.search", "107", "ok", NULL);
	/* a view after a day: looked at, nothing followed */
	/* 108: a lookup 1 hour before "now": too early to tell */
	put(f->ctx, jst(2026, 11, 20, 10, 0, 0), "clerk1", "resident.view", "108", "ok", NULL);
	md_time_set(jst(2026, 11, 20, 11, 0, 0));

	query(&q, "2026-11-18", "2026-11-20");
	q.user = "clerk1";
	assert_int_equal(check(f->ctx, MD_CHECK_NOFOLLOWUP, &q, &t), 4);
	assert_int_equal(row_id(&t, 0), search1);
	assert_int_equal(row_id(&t, 1), bare);
	assert_int_equal(row_id(&t, 2), late);
	assert_int_equal(row_id(&t, 3), other);
	assert_non_null(strstr(cell(&t, 3, "finding"), "within 4 hours"));
	md_table_release(&t);

	/* a longer follow-up: 103's certificate comes in time */
	f->ctx->cfg.audit_followup_hours = 5;
	q.subject = "103";
	assert_int_equal(check(f->ctx, MD_CHECK_NOFOLLOWUP, &q, &t), 0);
	md_table_release(&t);
}

/* ---- My Number, logins ---- */

static void test_mynumber_and_logins(void **state)
{
	struct fx *f = *state;
	struct md_audit_query q;
	struct md_table t;
	long long shown, refused, failed, locked;

	shown = put(f->ctx, jst(2026, 11, 18, 10, 0, 0), "clerk1", "mynumber.reveal", "101", "ok", NULL);
	refused = put(f->ctx, jst(2026, 11, 18, 10, 5, 0), "clerk2", "mynumber.reveal", "102", "denied", NULL);
	put(f->ctx, jst(2026, 11, 18, 10, 6, 0), "clerk1", "resident.view", "101", "ok", NULL);
	failed = put(f->ctx, jst(2026, 11, 18, 11, 0, 0), "-", "login", "clerk2", "failed", "wrong password");
	put(f->ctx, jst(2026, 11, 18, 11, 1, 0), "clerk2", "login", "clerk2", "ok", NULL);
	locked = put(f->ctx, jst(2026, 11, 18, 11, 2, 0), "-", "account.lockout", "clerk3", "ok",
	             "too many failed logins");

	query(&q, "2026-11-18", "2026-11-18");
	assert_int_equal(check(f->ctx, MD_CHECK_MYNUMBER, &q, &t), 2);
	assert_int_equal(row_id(&t, 0), refused);
	assert_int_equal(row_id(&t, 1), shown);
	assert_non_null(strstr(cell(&t, 0, "finding"), "denied"));
	md_table_release(&t);

	assert_int_equal(check(f->ctx, MD_CHECK_LOGINS, &q, &t), 2);
	assert_int_equal(row_id(&t, 0), locked);
	assert_int_equal(row_id(&t, 1), failed);
	assert_non_null(strstr(cell(&t, 0, "finding"), "clerk3"));
	assert_non_null(strstr(cell(&t, 1, "finding"), "wrong password"));
	md_table_release(&t);

	/* the user filter finds a failed login by the account tried */
	q.user = "clerk2";
	assert_int_equal(check(f->ctx, MD_CHECK_LOGINS, &q, &t), 1);
	assert_int_equal(row_id(&t, 0), failed);
	md_table_release(&t);
}

/* ---- persons under 支援措置 ---- */

static void test_protected(void **state)
{
	struct fx *f = *state;
	struct md_audit_query q;
	struct md_table t;
	long long during, blocked;

	/* Only the measure's person and period matter here: no person row. */
	tu_sql_exec(f->ctx, "PRAGMA foreign_keys = OFF");
	tu_sql_exec(f->ctx,
	            "INSERT INTO support_measures (id, person_id, status, set_by, set_at, ended_by, ended_at) "
	            "VALUES (5, 301, 'ended', 'supervisor1', '2026-11-18T01:00:00Z', 'supervisor1', "
	            "'2026-11-19T01:00:00Z')");
	tu_sql_exec(f->ctx, "PRAGMA foreign_keys = ON");

	put(f->ctx, jst(2026, 11, 18, 9, 59, 59), "clerk1", "resident.view", "301", "ok", NULL);
	during = put(f->ctx, jst(2026, 11, 18, 10, 0, 0), "clerk1", "resident.view", "301", "ok", NULL);
	blocked = put(f->ctx, jst(2026, 11, 18, 15, 0, 0), "clerk2", "resident.history", "301", "denied", NULL);
	put(f->ctx, jst(2026, 11, 18, 15, 1, 0), "clerk2", "resident.view", "302", "ok", NULL);
	put(f->ctx, jst(2026, 11, 19, 10, 0, 0), "clerk1", "resident.view", "301", "ok", NULL);

	query(&q, "2026-11-17", "2026-11-20");
	assert_int_equal(check(f->ctx, MD_CHECK_PROTECTED, &q, &t), 2);
	assert_int_equal(row_id(&t, 0), blocked);
	assert_int_equal(row_id(&t, 1), during);
	assert_non_null(strstr(cell(&t, 0, "finding"), "denied"));
	assert_non_null(strstr(cell(&t, 1, "finding"), "measure 5"));
	md_table_release(&t);

	/* the range cuts the period too */
	query(&q, "2026-11-18 12:00", "2026-11-20");
	q.user = "clerk1";
	assert_int_equal(check(f->ctx, MD_CHECK_PROTECTED, &q, &t), 0);
	md_table_release(&t);
}

/* ---- marking reviewed ---- */

static void test_review(void **state)
{
	struct fx *f = *state;
	struct md_audit_query q;
	struct md_table t;
	struct md_error err;
	long long night, mine;
	long verify_count, bad;
	int more;

	night = put(f->ctx, jst(2026, 11, 18, 22, 0, 0), "clerk1", "resident.view", "101", "ok", NULL);
	mine = put(f->ctx, jst(2026, 11, 18, 22, 30, 0), "auditor1", "audit", NULL, "ok", NULL);
	md_time_set(jst(2026, 11, 19, 9, 0, 0));

	assert_int_equal(md_audit_review(f->ctx, night, "  ", &err), MD_E_INVALID);
	assert_string_equal(err.field, "comment");
	assert_int_equal(md_audit_review(f->ctx, night, "a\nb", &err), MD_E_INVALID);
	assert_int_equal(md_audit_review(f->ctx, 999999, "確認", &err), MD_E_NOTFOUND);
	assert_string_equal(err.field, "entry");
	assert_int_equal(md_audit_review(f->ctx, mine, "確認", &err), MD_E_DENIED);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM audit_reviews"), 0);

	assert_int_equal(md_audit_review(f->ctx, night, " 夜間の転出届の確認のため。本人確認済み ", &err),
	                 MD_OK);
	assert_int_equal(tu_audit_count(f->ctx, "audit", "ok", NULL), 1 + 1);
	{
		char detail[64], want[64];
		tu_sql_text(f->ctx, "SELECT detail FROM audit_log WHERE action = 'review'", detail, sizeof detail);
		snprintf(want, sizeof want, "entry=%lld", night);
		assert_string_equal(detail, want);
	}
	/* once only */
	assert_int_equal(md_audit_review(f->ctx, night, "もう一度", &err), MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "auditor1"));

	/* reviewed findings show who, when and the comment (trimmed) */
	query(&q, "2026-11-18", "2026-11-18");
	q.user = "clerk1";
	assert_int_equal(check(f->ctx, MD_CHECK_OFFHOURS, &q, &t), 1);
	assert_string_equal(cell(&t, 0, "reviewed_by"), "auditor1");
	assert_string_equal(cell(&t, 0, "reviewed_at"), "2026-11-19 09:00:00");
	assert_string_equal(cell(&t, 0, "comment"), "夜間の転出届の確認のため。本人確認済み");
	md_table_release(&t);
	q.unreviewed = 1;
	assert_int_equal(check(f->ctx, MD_CHECK_OFFHOURS, &q, &t), 0);
	md_table_release(&t);
	assert_int_equal(md_audit_search(f->ctx, &q, &t, &more, &err), MD_OK);
	assert_int_equal(t.nrows, 0);
	md_table_release(&t);
	q.unreviewed = 0;
	assert_int_equal(md_audit_search(f->ctx, &q, &t, &more, &err), MD_OK);
	assert_int_equal(t.nrows, 1);
	assert_string_equal(cell(&t, 0, "comment"), "夜間の転出届の確認のため。本人確認済み");
	md_table_release(&t);

	/* reviews cannot be changed or removed, and the chain still holds */
	assert_int_not_equal(sqlite3_exec(md_store_db(f->ctx->store),
	                                  "UPDATE audit_reviews SET comment = 'x'", NULL, NULL, NULL),
	                     SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(md_store_db(f->ctx->store), "DELETE FROM audit_reviews", NULL,
	                                  NULL, NULL),
	                     SQLITE_OK);
	assert_int_equal(md_audit_verify(f->ctx, &verify_count, &bad, &err), MD_OK);
}

/* ---- the commands: permission, arguments, logging ---- */

static void test_commands(void **state)
{
	struct fx *f = *state;
	struct md_result res;
	struct md_error err;
	long long night;
	char entry[24];

	night = put(f->ctx, jst(2026, 11, 18, 22, 0, 0), "clerk1", "resident.view", "101", "ok", NULL);
	snprintf(entry, sizeof entry, "%lld", night);
	md_time_set(jst(2026, 11, 19, 9, 0, 0));

	/* a clerk may not read the log */
	login(f->ctx, "clerk1");
	assert_int_equal(run(f->ctx, &err, NULL, "audit.search", NULL), MD_E_DENIED);
	assert_int_equal(run(f->ctx, &err, NULL, "audit.check", "kind", "off-hours", NULL), MD_E_DENIED);

	login(f->ctx, "auditor1");
	assert_int_equal(tu_audit_count(f->ctx, "audit", NULL, NULL), 0);
	assert_int_equal(run(f->ctx, &err, &res, "audit.search", "subject", "101", "from", "2026-11-18", NULL),
	                 MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_non_null(res.message);
	md_result_release(&res);
	/* reading the log is logged, with the person it concerned */
	assert_int_equal(tu_audit_count(f->ctx, "audit", "ok", "101"), 1);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM audit_log WHERE function = 'audit' "
	                                    "AND action = 'search' AND detail LIKE 'search user= subject=101 %' "
	                                    "AND detail LIKE '% page=1 shown=1'"),
	                 1);

	assert_int_equal(run(f->ctx, &err, &res, "audit.check", "kind", "off-hours", "from", "2026-11-18",
	                     "to", "2026-11-18", NULL),
	                 MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_string_equal(res.table.rows[0][0], entry);
	md_result_release(&res);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM audit_log WHERE function = 'audit' "
	                                    "AND action = 'check' AND detail LIKE 'check off-hours %total=1%'"),
	                 1);
	/* with no range, a check covers the last 7 days: the entry of 11-18 */
	assert_int_equal(run(f->ctx, &err, &res, "audit.check", "kind", "off-hours", "by", "clerk1", NULL),
	                 MD_OK);
	assert_int_equal(res.table.nrows, 1);
	md_result_release(&res);
	md_time_set(jst(2026, 11, 26, 9, 0, 0));
	assert_int_equal(run(f->ctx, &err, &res, "audit.check", "kind", "off-hours", "by", "clerk1", NULL),
	                 MD_OK);
	assert_int_equal(res.table.nrows, 0);
	md_result_release(&res);

	/* bad arguments name their field */
	assert_int_equal(run(f->ctx, &err, NULL, "audit.check", "kind", "nights", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "kind");
	assert_int_equal(run(f->ctx, &err, NULL, "audit.search", "from", "きのう", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "from");
	assert_int_equal(run(f->ctx, &err, NULL, "audit.search", "limit", "501", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "limit");
	assert_int_equal(run(f->ctx, &err, NULL, "audit.search", "page", "x", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "page");
	assert_int_equal(run(f->ctx, &err, NULL, "audit.review", "entry", entry, NULL), MD_E_INVALID);
	assert_string_equal(err.field, "comment");

	assert_int_equal(run(f->ctx, &err, &res, "audit.checks", NULL), MD_OK);
	assert_int_equal(res.table.nrows, MD_CHECK_COUNT);
	md_result_release(&res);

	assert_int_equal(run(f->ctx, &err, NULL, "audit.review", "entry", entry, "comment", "確認済み", NULL),
	                 MD_OK);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM audit_reviews WHERE reviewed_by = 'auditor1'"),
	                 1);
}

/* ---- every query of the log uses an index ---- */

struct seen {
	char *sql[64];
	int n;
};

static int trace(unsigned type, void *ctx, void *p, void *x)
{
	struct seen *s = ctx;
	const char *sql = sqlite3_sql(p);
	(void)type;
	(void)x;
	if (sql && strstr(sql, "audit_log") && strncmp(sql, "SELECT", 6) == 0 && s->n < 64) {
		for (int i = 0; i < s->n; i++)
			if (strcmp(s->sql[i], sql) == 0)
				return 0;
		s->sql[s->n++] = strdup(sql);
	}
	return 0;
}

static void test_query_plans(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = md_store_db(f->ctx->store);
	struct seen seen = { { 0 }, 0 };
	struct md_audit_query q;
	struct md_table t;
	struct md_error err;
	int more, plans = 0;

	put(f->ctx, jst(2026, 11, 18, 10, 0, 0), "clerk1", "resident.view", "101", "ok", NULL);
	tu_sql_exec(f->ctx, "PRAGMA foreign_keys = OFF");
	tu_sql_exec(f->ctx, "INSERT INTO support_measures (id, person_id, status, set_by, set_at) "
	                    "VALUES (1, 101, 'active', 'supervisor1', '2026-11-01T00:00:00Z')");
	tu_sql_exec(f->ctx, "PRAGMA foreign_keys = ON");
	md_time_set(jst(2026, 11, 20, 10, 0, 0));
	sqlite3_trace_v2(db, SQLITE_TRACE_STMT, trace, &seen);
	for (int k = 0; k < MD_CHECK_COUNT; k++) {
		query(&q, "2026-11-18", "2026-11-19");
		check(f->ctx, (enum md_audit_check)k, &q, &t);
		md_table_release(&t);
		q.user = "clerk1";
		check(f->ctx, (enum md_audit_check)k, &q, &t);
		md_table_release(&t);
	}
	{
		const char *filters[] = { "user", "subject", "function", "outcome", "none", "range" };
		for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
			query(&q, strcmp(filters[i], "range") == 0 ? "2026-11-18" : "", "");
			if (strcmp(filters[i], "user") == 0)
				q.user = "clerk1";
			if (strcmp(filters[i], "subject") == 0)
				q.subject = "101";
			if (strcmp(filters[i], "function") == 0)
				q.function = "resident.view";
			if (strcmp(filters[i], "outcome") == 0)
				q.outcome = "denied";
			assert_int_equal(md_audit_search(f->ctx, &q, &t, &more, &err), MD_OK);
			md_table_release(&t);
		}
	}
	sqlite3_trace_v2(db, 0, NULL, NULL);
	assert_true(seen.n >= 10);

	for (int i = 0; i < seen.n; i++) {
		char *sql = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", seen.sql[i]);
		/* Picking some functions: through their index, not the outcome's
		 * or the time's (which would read far more entries). */
		int by_function = strstr(seen.sql[i], "function IN (") && !strstr(seen.sql[i], "subject = ?");
		int function_index = 0;
		sqlite3_stmt *s;
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW) {
			const char *detail = (const char *)sqlite3_column_text(s, 3);
			/* A scan of the log (alias a) without an index would read every entry. */
			if ((strncmp(detail, "SCAN audit_log", 14) == 0 || strncmp(detail, "SCAN a", 6) == 0) &&
			    !strstr(detail, "USING")) {
				print_error("full scan: %s\n  in %s\n", detail, seen.sql[i]);
				fail();
			}
			if (strstr(detail, "audit_log_function"))
				function_index = 1;
			if (strstr(detail, "audit_log") || strncmp(detail, "SEARCH a ", 9) == 0 ||
			    strncmp(detail, "SCAN a ", 7) == 0)
				plans++;
		}
		sqlite3_finalize(s);
		if (by_function && !function_index) {
			print_error("not through audit_log_function: %s\n", seen.sql[i]);
			fail();
		}
		sqlite3_free(sql);
		free(seen.sql[i]);
	}
	assert_true(plans >= seen.n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_bound),
		cmocka_unit_test(test_holidays_data),
		cmocka_unit_test_setup_teardown(test_search_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offhours, setup, teardown),
		cmocka_unit_test_setup_teardown(test_volume, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nofollowup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mynumber_and_logins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_review, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_query_plans, setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
