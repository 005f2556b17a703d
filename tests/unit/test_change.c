/* test_change.c: the rules of changes (registry.md §4, §5), driven through
 * the command table on a training database: clerk1 makes changes,
 * supervisor1 approves them. The clock is fixed at 2026-04-01 12:00 in
 * Tokyo (tu_day(0)); dates are compared with the local date. */
#include "config.h"

#include <stdarg.h>

#define TU_WITH_DB
#include "testutil.h"

#include "account.h"
#include "change.h"
#include "change_impl.h"
#include "cmd.h"
#include "ctx.h"
#include "error.h"
#include "person.h"
#include "result.h"
#include "settings.h"
#include "store.h"
#include "timeutil.h"

#define PW "demo"
#define ADDR_A "見本市中央区本町一丁目2番3号"
#define KATA_A "見本ハイツ101"
#define ADDR_B "見本市中央区緑町四丁目5番6号"
#define ADDR_C "見本市北区桜台2丁目8番1号"
#define PREV "大阪府大阪市北区梅田一丁目1番1号"
#define HONSEKI "東京都千代田区千代田1番"

struct fx {
	char *dir;
	char *db;
	struct md_settings cfg;
	struct md_ctx *ctx;    /* clerk1 logged in */
};

/* ---- numbers with check digits (registry.md §3, computed here on purpose) -- */

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

/* The same with a wrong check digit. */
static const char *bad_mynumber(const char *first11, char *out)
{
	snprintf(out, 13, "%s%d", first11, (mod11(first11, 11) + 1) % 10);
	return out;
}

static const char *juminhyo_code(const char *first10, char *out)
{
	snprintf(out, 12, "%s%d", first10, mod11(first10, 10));
	return out;
}

/* ---- arguments -------------------------------------------------------------- */

struct kv {
	int n;
	char *s[512];
};

static void kv_add(struct kv *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void kv_add(struct kv *k, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	assert_true(k->n < 512);
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	k->s[k->n++] = strdup(buf);
}

static void kv_free(struct kv *k)
{
	for (int i = 0; i < k->n; i++)
		free(k->s[i]);
	k->n = 0;
}

/* Runs a command with "key=value" items. res may be NULL. */
static int exec_kv(struct md_ctx *c, const char *cmd, const struct kv *k, struct md_result *res,
                   struct md_error *err)
{
	struct md_args a;
	struct md_result local;
	char *keys[512];
	int rc;

	md_args_init(&a);
	for (int i = 0; i < k->n; i++) {
		char *eq;
		keys[i] = strdup(k->s[i]);
		eq = strchr(keys[i], '=');
		assert_non_null(eq);
		*eq = '\0';
		assert_int_equal(md_args_set(&a, keys[i], eq + 1), 0);
	}
	if (!res) {
		md_result_init(&local);
		res = &local;
	}
	rc = md_cmd_exec(c, cmd, &a, res, err);
	if (res == &local)
		md_result_release(&local);
	for (int i = 0; i < k->n; i++)
		free(keys[i]);
	return rc;
}

/* Runs a command with "key=value" strings, NULL-terminated. */
static int run(struct md_ctx *c, struct md_result *res, struct md_error *err, const char *cmd, ...)
{
	struct kv k = { 0 };
	const char *s;
	va_list ap;
	int rc;

	va_start(ap, cmd);
	while ((s = va_arg(ap, const char *)) != NULL)
		kv_add(&k, "%s", s);
	va_end(ap);
	rc = exec_kv(c, cmd, &k, res, err);
	kv_free(&k);
	return rc;
}

static void login(struct md_ctx *c, const char *user)
{
	struct md_error err;
	char u[80];
	int rc;
	snprintf(u, sizeof u, "user=%s", user);
	rc = run(c, NULL, &err, "login", u, "password=" PW, NULL);
	if (rc != MD_OK)
		print_error("login %s: %s\n", user, err.msg);
	assert_int_equal(rc, MD_OK);
	assert_string_equal(c->session->user, user);
}

static void logout(struct md_ctx *c)
{
	struct md_error err;
	assert_int_equal(run(c, NULL, &err, "logout", NULL), MD_OK);
	assert_null(c->session);
}

static void as(struct md_ctx *c, const char *user)
{
	if (c->session)
		logout(c);
	login(c, user);
}

/* ---- looking at results ----------------------------------------------------- */

static int table_has(const struct md_table *t, const char *needle)
{
	for (int r = 0; r < t->nrows; r++)
		for (int c = 0; c < t->ncols; c++)
			if (t->rows[r][c] && strstr(t->rows[r][c], needle))
				return 1;
	return 0;
}

/* A row of an issue table (person, field, level, message) at that level whose
 * message contains needle. */
static int issue_has(const struct md_table *t, const char *level, const char *needle)
{
	if (t->ncols != 4)
		return 0;
	for (int r = 0; r < t->nrows; r++)
		if (strcmp(t->rows[r][2], level) == 0 && strstr(t->rows[r][3], needle))
			return 1;
	return 0;
}

static void dump_table(const struct md_table *t)
{
	for (int r = 0; r < t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++)
			print_message("%s%s", c ? " | " : "# ", t->rows[r][c]);
		print_message("\n");
	}
}

static int issue_errors(const struct md_table *t)
{
	int n = 0;
	if (t->ncols != 4)
		return 0;
	for (int r = 0; r < t->nrows; r++)
		n += strcmp(t->rows[r][2], "error") == 0;
	return n;
}

static long long sqlf_int(struct md_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static long long sqlf_int(struct md_ctx *c, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	return tu_sql_int(c, sql);
}

static void sqlf_text(struct md_ctx *c, char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void sqlf_text(struct md_ctx *c, char *buf, size_t n, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	tu_sql_text(c, sql, buf, n);
}

/* A column of persons for one person. */
static void person_col(struct md_ctx *c, long long id, const char *col, char *buf, size_t n)
{
	sqlf_text(c, buf, n, "SELECT %s FROM persons WHERE id = %lld", col, id);
}

static void assert_person(struct md_ctx *c, long long id, const char *col, const char *want)
{
	char buf[512];
	person_col(c, id, col, buf, sizeof buf);
	if (strcmp(buf, want) != 0)
		print_error("person %lld %s = \"%s\", want \"%s\"\n", id, col, buf, want);
	assert_string_equal(buf, want);
}

static long long changes_count(struct md_ctx *c)
{
	return tu_sql_int(c, "SELECT count(*) FROM changes");
}

/* ---- building changes ----------------------------------------------------- */

static void kv_person(struct kv *k, int i, const char *rel, const char *sur, const char *given,
                      const char *ksur, const char *kgiven, const char *birth, const char *sex)
{
	kv_add(k, "p%d.relationship=%s", i, rel);
	kv_add(k, "p%d.surname=%s", i, sur);
	kv_add(k, "p%d.given_name=%s", i, given);
	kv_add(k, "p%d.surname_kana=%s", i, ksur);
	kv_add(k, "p%d.given_name_kana=%s", i, kgiven);
	kv_add(k, "p%d.birth_date=%s", i, birth);
	kv_add(k, "p%d.sex=%s", i, sex);
	kv_add(k, "p%d.honseki=%s", i, HONSEKI);
	kv_add(k, "p%d.hittosha=%s %s", i, sur, given);
}

/* The head of a move-in form: type, dates, the household's address. */
static void kv_move_in(struct kv *k, int days, const char *address)
{
	char d[11];
	tu_date(days, d);
	kv_add(k, "type=move_in");
	kv_add(k, "event_date=%s", d);
	kv_add(k, "address=%s", address);
	kv_add(k, "previous_address=%s", PREV);
}

/* Saves; must succeed. Returns the change id; the result (issues) goes to
 * res when given. Frees k. */
static long long save_ok(struct md_ctx *c, struct kv *k, struct md_result *res)
{
	struct md_result local;
	struct md_error err;
	int rc;

	if (!res) {
		md_result_init(&local);
		res = &local;
	}
	rc = exec_kv(c, "change.save", k, res, &err);
	if (rc != MD_OK) {
		print_error("change.save: %d %s\n", rc, err.msg);
		dump_table(&res->table);
	}
	assert_int_equal(rc, MD_OK);
	assert_non_null(res->message);
	assert_non_null(strstr(res->message, "provisional change"));
	if (res == &local)
		md_result_release(&local);
	kv_free(k);
	return tu_sql_int(c, "SELECT max(id) FROM changes");
}

/* Saves; must be refused with an error issue containing needle, and
 * nothing may be stored. Frees k. */
static void save_refused(struct md_ctx *c, struct kv *k, const char *needle)
{
	struct md_result res;
	struct md_error err;
	long long before = changes_count(c);
	long long cp_before = tu_sql_int(c, "SELECT count(*) FROM change_persons");
	int rc;

	md_result_init(&res);
	rc = exec_kv(c, "change.save", k, &res, &err);
	if (rc == MD_OK || (!issue_has(&res.table, "error", needle) && !strstr(err.msg, needle))) {
		print_error("change.save: rc %d \"%s\", wanted an error with \"%s\"\n", rc, err.msg, needle);
		dump_table(&res.table);
	}
	assert_int_not_equal(rc, MD_OK);
	assert_true(issue_has(&res.table, "error", needle) || strstr(err.msg, needle));
	assert_int_equal(changes_count(c), before);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM change_persons"), cp_before);
	md_result_release(&res);
	kv_free(k);
}

/* change.check: the issue table into res (caller releases). Frees k.
 * The command fails (MD_E_INVALID) exactly when the table holds an error. */
static void check(struct md_ctx *c, struct kv *k, struct md_result *res)
{
	struct md_error err;
	int rc, errors = 0;
	md_result_init(res);
	rc = exec_kv(c, "change.check", k, res, &err);
	for (int i = 0; i < res->table.nrows; i++)
		errors += strcmp(res->table.rows[i][2], "error") == 0;
	if (rc != (errors ? MD_E_INVALID : MD_OK))
		print_error("change.check: %d %s\n", rc, err.msg);
	assert_int_equal(rc, errors ? MD_E_INVALID : MD_OK);
	kv_free(k);
}

/* Approves as another user and comes back as the current one. */
static void approve_as(struct md_ctx *c, long long id, const char *approver)
{
	char me[64], arg[32];
	struct md_result res;
	struct md_error err;
	int rc;

	snprintf(me, sizeof me, "%s", c->session->user);
	as(c, approver);
	snprintf(arg, sizeof arg, "id=%lld", id);
	md_result_init(&res);
	rc = run(c, &res, &err, "change.approve", arg, NULL);
	if (rc != MD_OK)
		print_error("approve %lld: %s\n", id, err.msg);
	assert_int_equal(rc, MD_OK);
	assert_non_null(strstr(res.message, "approved"));
	md_result_release(&res);
	as(c, me);
}

static void approve(struct md_ctx *c, long long id)
{
	approve_as(c, id, "supervisor1");
}

static long long person_id(struct md_ctx *c, const char *surname, const char *given)
{
	return sqlf_int(c, "SELECT id FROM persons WHERE surname = '%s' AND given_name = '%s'", surname,
	                given);
}

struct hh {
	long long change, household, head, wife, child;
};

/* A household moved in and approved: head, wife and (optionally) a child, at
 * address. Surnames tell households apart. */
static void make_household(struct md_ctx *c, const char *sur, const char *ksur, const char *address,
                           int child, struct hh *h)
{
	struct kv k = { 0 };
	kv_move_in(&k, -10, address);
	kv_add(&k, "katagaki=%s", KATA_A);
	kv_add(&k, "postal_code=1000001");
	kv_person(&k, 1, "世帯主", sur, "太郎", ksur, "タロウ", "S55.3.14", "男");
	kv_person(&k, 2, "妻", sur, "花子", ksur, "ハナコ", "1982-05-01", "女");
	if (child)
		kv_person(&k, 3, "子", sur, "一郎", ksur, "イチロウ", "2010-06-15", "男");
	memset(h, 0, sizeof *h);
	h->change = save_ok(c, &k, NULL);
	approve(c, h->change);
	h->head = person_id(c, sur, "太郎");
	h->wife = person_id(c, sur, "花子");
	h->child = child ? person_id(c, sur, "一郎") : 0;
	h->household = sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", h->head);
	assert_true(h->head > 0 && h->wife > 0 && h->household > 0);
	assert_true(!child || h->child > 0);
}

/* ---- fixtures ---------------------------------------------------------------- */

static int group_setup(void **state)
{
	(void)state;
	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	return 0;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f || !(f->dir = tu_tmpdir()))
		return -1;
	md_time_set(tu_day(0));
	md_settings_defaults(&f->cfg);
	f->db = tu_create_db(f->dir, "t.db", &f->cfg, MD_DB_TRAINING);
	f->ctx = tu_open(&f->cfg, f->db, MD_DB_TRAINING);
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

/* ---- 転入, provisional then final ------------------------------------------- */

static void test_clock(void **state)
{
	char d[11];
	(void)state;
	tu_date(0, d);
	assert_string_equal(d, "2026-04-01");
	tu_date(-7, d);
	assert_string_equal(d, "2026-03-25");
}

static void test_move_in_provisional_then_final(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	struct md_error err;
	char mn[13], buf[512], masked[32];
	long long id, head, wife, h;

	mynumber("73519046282", mn);
	snprintf(masked, sizeof masked, "**** **** %s", mn + 8);
	kv_move_in(&k, -7, ADDR_A);
	kv_add(&k, "katagaki=%s", KATA_A);
	kv_add(&k, "postal_code=100-0001");
	kv_add(&k, "memo=転入届");
	kv_person(&k, 1, "世帯主", "山田", "太郎", "ヤマダ", "タロウ", "S55.3.14", "男");
	kv_add(&k, "p1.mynumber=%s", mn);
	kv_person(&k, 2, "妻", "山田", "花子", "やまだ", "はなこ", "昭和57年5月1日", "女");
	id = save_ok(c, &k, NULL);
	assert_int_equal(id, 1);

	/* Provisional: nothing current exists yet. */
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons"), 0);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM person_versions"), 0);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM name_index"), 0);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM households"), 0);
	tu_sql_text(c, "SELECT type || '|' || reason || '|' || status || '|' || event_date || '|' || "
	               "notified_on || '|' || processed_on || '|' || late || '|' || made_by || '|' || memo "
	               "FROM changes WHERE id = 1", buf, sizeof buf);
	assert_string_equal(buf, "move_in|in_domestic|provisional|2026-03-25|2026-04-01|2026-04-01|0|clerk1|転入届");
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM change_persons WHERE change_id = 1 "
	                               "AND person_id IS NULL AND new_household = 1"), 2);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM change_persons WHERE seq = 1 "
	                               "AND mynumber_enc IS NOT NULL AND mynumber_idx IS NOT NULL"), 1);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM change_persons WHERE seq = 2 "
	                               "AND mynumber_enc IS NULL AND mynumber_idx IS NULL"), 1);
	/* The reading in hiragana is stored in katakana. */
	tu_sql_text(c, "SELECT surname_kana || given_name_kana FROM change_persons WHERE seq = 2", buf,
	            sizeof buf);
	assert_string_equal(buf, "ヤマダハナコ");

	/* The maker sees it among theirs. */
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.mine", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_true(table_has(&res.table, "provisional"));
	assert_true(table_has(&res.table, "転入"));
	md_result_release(&res);

	/* The supervisor's queue and the before/after view. */
	as(c, "supervisor1");
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.queue", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_true(table_has(&res.table, "山田 太郎"));
	assert_true(table_has(&res.table, "山田 花子"));
	assert_true(table_has(&res.table, "clerk1"));
	md_result_release(&res);
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.show", "id=1", NULL), MD_OK);
	assert_true(table_has(&res.table, "山田"));
	assert_true(table_has(&res.table, ADDR_A));
	assert_true(table_has(&res.table, "昭和55年3月14日"));
	assert_true(table_has(&res.table, masked));
	assert_false(table_has(&res.table, mn));
	md_result_release(&res);

	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.approve", "id=1", NULL), MD_OK);
	assert_non_null(strstr(res.message, "2 record(s)"));
	md_result_release(&res);

	/* Final: persons, history, search keys and the household exist. */
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons"), 2);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM households"), 1);
	head = person_id(c, "山田", "太郎");
	wife = person_id(c, "山田", "花子");
	assert_true(head > 0 && wife > 0 && head != wife);
	h = sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", head);
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM households WHERE id = %lld", h), 1);
	assert_int_equal(sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", wife), h);
	assert_person(c, head, "relationship", "世帯主");
	assert_person(c, wife, "relationship", "妻");
	assert_person(c, head, "status", "resident");
	assert_person(c, head, "resident_type", "japanese");
	assert_person(c, head, "birth_date", "1980-03-14");
	assert_person(c, wife, "birth_date", "1982-05-01");
	assert_person(c, head, "sex", "M");
	assert_person(c, wife, "sex", "F");
	assert_person(c, wife, "address", ADDR_A);
	assert_person(c, wife, "katagaki", KATA_A);
	assert_person(c, wife, "postal_code", "100-0001");
	assert_person(c, head, "previous_address", PREV);
	assert_person(c, head, "resident_since", "2026-03-25");
	assert_person(c, head, "address_since", "2026-03-25");
	assert_person(c, head, "notified_on", "2026-04-01");
	assert_person(c, head, "honseki", HONSEKI);
	assert_person(c, head, "version", "1");
	assert_person(c, head, "kana_norm", "ヤマタタロオ");
	assert_int_equal(sqlf_int(c, "SELECT mynumber_idx IS NOT NULL AND mynumber_enc IS NOT NULL "
	                             "FROM persons WHERE id = %lld", head), 1);
	assert_int_equal(sqlf_int(c, "SELECT mynumber_idx IS NULL FROM persons WHERE id = %lld", wife), 1);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM person_versions WHERE change_id = 1 "
	                               "AND version = 1"), 2);
	sqlf_text(c, buf, sizeof buf, "SELECT kana || '|' || fold FROM name_index WHERE person_id = %lld "
	                              "AND kind = 'name'", head);
	assert_string_equal(buf, "ヤマタタロオ|山田太郎");
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM name_index WHERE person_id = %lld", wife), 1);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM address_index WHERE kind = 'current'"), 2);
	tu_sql_text(c, "SELECT status || '|' || decided_by FROM changes WHERE id = 1", buf, sizeof buf);
	assert_string_equal(buf, "approved|supervisor1");

	/* Nothing waits any more. */
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.queue", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 0);
	md_result_release(&res);
	/* Approving twice is refused. */
	assert_int_equal(run(c, NULL, &err, "change.approve", "id=1", NULL), MD_E_CONFLICT);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM person_versions"), 2);
}

/* ---- review: approve, reject, withdraw, edit ------------------------------------ */

static void kv_single(struct kv *k, const char *sur, const char *ksur, const char *given,
                      const char *kgiven)
{
	kv_move_in(k, -3, ADDR_B);
	kv_person(k, 1, "世帯主", sur, given, ksur, kgiven, "1975-01-20", "女");
}

static void test_self_approval_refused(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_error err;
	char arg[32], buf[256];
	long long id;

	as(c, "supervisor1");
	kv_single(&k, "田中", "タナカ", "恵子", "ケイコ");
	id = save_ok(c, &k, NULL);
	snprintf(arg, sizeof arg, "id=%lld", id);
	assert_int_equal(run(c, NULL, &err, "change.approve", arg, NULL), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "another person must approve"));
	assert_int_equal(tu_audit_count(c, "change.approve", "denied", NULL), 1);
	tu_sql_text(c, "SELECT user_id || '|' || action || '|' || detail FROM audit_log "
	               "WHERE function = 'change.approve' AND outcome = 'denied'", buf, sizeof buf);
	snprintf(arg, sizeof arg, "supervisor1|change %lld|own change", id);
	assert_string_equal(buf, arg);
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM changes WHERE id = %lld AND status = "
	                             "'provisional' AND decided_by IS NULL", id), 1);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons"), 0);
	/* Nor may they reject it. */
	snprintf(arg, sizeof arg, "id=%lld", id);
	assert_int_equal(run(c, NULL, &err, "change.reject", arg, "reason=x", NULL), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "withdraw"));

	/* A clerk cannot approve at all: refused at the gate, and logged. */
	as(c, "clerk1");
	assert_int_equal(run(c, NULL, &err, "change.approve", arg, NULL), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "change.approve"));
	assert_int_equal(tu_audit_count(c, "change.approve", "denied", NULL), 2);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons"), 0);

	/* Another approver may. */
	approve_as(c, id, "trainer1");
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM changes WHERE id = %lld AND status = "
	                             "'approved' AND decided_by = 'trainer1'", id), 1);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons"), 1);
}

static void test_reject_with_reason(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	struct md_error err;
	char arg[32], buf[256];
	long long id;

	kv_single(&k, "中村", "ナカムラ", "真一", "シンイチ");
	id = save_ok(c, &k, NULL);
	snprintf(arg, sizeof arg, "id=%lld", id);

	as(c, "supervisor1");
	assert_int_equal(run(c, NULL, &err, "change.reject", arg, NULL), MD_E_INVALID);
	assert_string_equal(err.field, "reason");
	assert_int_equal(run(c, NULL, &err, "change.reject", arg, "reason=", NULL), MD_E_INVALID);
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.reject", arg, "reason=本籍の番地が届書と違う", NULL),
	                 MD_OK);
	assert_non_null(strstr(res.message, "rejected"));
	md_result_release(&res);
	sqlf_text(c, buf, sizeof buf, "SELECT status || '|' || decided_by || '|' || reject_reason "
	                              "FROM changes WHERE id = %lld", id);
	assert_string_equal(buf, "rejected|supervisor1|本籍の番地が届書と違う");
	assert_int_equal(tu_audit_count(c, "change.reject", "ok", NULL), 1);
	/* A rejected change is no longer waiting: it cannot be approved or rejected again. */
	assert_int_equal(run(c, NULL, &err, "change.approve", arg, NULL), MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "rejected"));
	assert_int_equal(run(c, NULL, &err, "change.reject", arg, "reason=again", NULL), MD_E_CONFLICT);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons"), 0);
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.queue", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 0);
	md_result_release(&res);

	/* The maker reads the reason. */
	as(c, "clerk1");
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.mine", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	assert_true(table_has(&res.table, "rejected"));
	assert_true(table_has(&res.table, "本籍の番地が届書と違う"));
	assert_true(table_has(&res.table, "中村 真一"));
	md_result_release(&res);
	/* Another clerk's list does not show it. */
	as(c, "trainer1");
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.mine", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 0);
	md_result_release(&res);

	/* The maker corrects it: provisional again, the reason cleared. */
	as(c, "clerk1");
	kv_single(&k, "中村", "ナカムラ", "慎一", "シンイチ");
	kv_add(&k, "change=%lld", id);
	assert_int_equal(save_ok(c, &k, NULL), id);
	sqlf_text(c, buf, sizeof buf, "SELECT status || '|' || coalesce(reject_reason, '-') || '|' || "
	                              "coalesce(decided_by, '-') FROM changes WHERE id = %lld", id);
	assert_string_equal(buf, "provisional|-|-");
	approve(c, id);
	assert_int_equal(person_id(c, "中村", "慎一") > 0, 1);
}

static void test_withdraw_by_maker_only(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	struct md_error err;
	char arg[32], buf[128];
	long long id;

	kv_single(&k, "小林", "コバヤシ", "直子", "ナオコ");
	id = save_ok(c, &k, NULL);
	snprintf(arg, sizeof arg, "id=%lld", id);

	as(c, "supervisor1");
	assert_int_equal(run(c, NULL, &err, "change.withdraw", arg, NULL), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "only its maker"));
	as(c, "trainer1");
	assert_int_equal(run(c, NULL, &err, "change.withdraw", arg, NULL), MD_E_DENIED);
	sqlf_text(c, buf, sizeof buf, "SELECT status FROM changes WHERE id = %lld", id);
	assert_string_equal(buf, "provisional");

	as(c, "clerk1");
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.withdraw", arg, NULL), MD_OK);
	assert_non_null(strstr(res.message, "withdrawn"));
	md_result_release(&res);
	sqlf_text(c, buf, sizeof buf, "SELECT status || '|' || decided_by FROM changes WHERE id = %lld", id);
	assert_string_equal(buf, "withdrawn|clerk1");
	assert_int_equal(tu_audit_count(c, "change.withdraw", "ok", NULL), 1);
	assert_int_equal(run(c, NULL, &err, "change.withdraw", arg, NULL), MD_E_CONFLICT);
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.mine", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 0);
	md_result_release(&res);
	/* A withdrawn change can be neither edited nor approved. */
	kv_single(&k, "小林", "コバヤシ", "直子", "ナオコ");
	kv_add(&k, "change=%lld", id);
	save_refused(c, &k, "not a provisional change of yours");
	as(c, "supervisor1");
	assert_int_equal(run(c, NULL, &err, "change.approve", arg, NULL), MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "withdrawn"));
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons"), 0);
	/* An unknown change. */
	assert_int_equal(run(c, NULL, &err, "change.approve", "id=999", NULL), MD_E_NOTFOUND);
	assert_int_equal(run(c, NULL, &err, "change.approve", "id=abc", NULL), MD_E_INVALID);
	/* A rejected change can be withdrawn by its maker. */
	as(c, "clerk1");
	kv_single(&k, "小林", "コバヤシ", "健", "ケン");
	id = save_ok(c, &k, NULL);
	snprintf(arg, sizeof arg, "id=%lld", id);
	as(c, "supervisor1");
	assert_int_equal(run(c, NULL, &err, "change.reject", arg, "reason=重複", NULL), MD_OK);
	as(c, "clerk1");
	assert_int_equal(run(c, NULL, &err, "change.withdraw", arg, NULL), MD_OK);
	sqlf_text(c, buf, sizeof buf, "SELECT status FROM changes WHERE id = %lld", id);
	assert_string_equal(buf, "withdrawn");
}

static void test_edit_own_provisional(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char buf[256];
	long long id;

	kv_single(&k, "高橋", "タカハシ", "一郎", "イチロウ");
	id = save_ok(c, &k, NULL);
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM change_persons WHERE change_id = %lld", id), 1);

	/* The same change, edited: replaced, not added. */
	kv_single(&k, "高橋", "タカハシ", "次郎", "ジロウ");
	kv_person(&k, 2, "妻", "高橋", "幸子", "タカハシ", "サチコ", "1977-02-02", "女");
	kv_add(&k, "change=%lld", id);
	assert_int_equal(save_ok(c, &k, NULL), id);
	assert_int_equal(changes_count(c), 1);
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM change_persons WHERE change_id = %lld", id), 2);
	sqlf_text(c, buf, sizeof buf, "SELECT given_name FROM change_persons WHERE change_id = %lld "
	                              "AND seq = 1", id);
	assert_string_equal(buf, "次郎");
	assert_int_equal(tu_audit_count(c, "change.save", "ok", "new"), 3);

	/* The kind of change can be corrected too. */
	kv_single(&k, "高橋", "タカハシ", "次郎", "ジロウ");
	kv_person(&k, 2, "妻", "高橋", "幸子", "タカハシ", "サチコ", "1977-02-02", "女");
	kv_add(&k, "change=%lld", id);
	for (int i = 0; i < k.n; i++)
		if (strcmp(k.s[i], "type=move_in") == 0) {
			free(k.s[i]);
			k.s[i] = strdup("type=move_in_abroad");
		}
	assert_int_equal(save_ok(c, &k, NULL), id);
	sqlf_text(c, buf, sizeof buf, "SELECT type || '|' || reason FROM changes WHERE id = %lld", id);
	assert_string_equal(buf, "move_in_abroad|in_abroad");

	/* Not someone else's. */
	as(c, "trainer1");
	kv_single(&k, "高橋", "タカハシ", "三郎", "サブロウ");
	kv_add(&k, "change=%lld", id);
	save_refused(c, &k, "not a provisional change of yours");
	sqlf_text(c, buf, sizeof buf, "SELECT given_name FROM change_persons WHERE change_id = %lld "
	                              "AND seq = 1", id);
	assert_string_equal(buf, "次郎");
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM change_persons WHERE change_id = %lld", id), 2);

	/* Not once approved. */
	as(c, "clerk1");
	approve(c, id);
	kv_single(&k, "高橋", "タカハシ", "三郎", "サブロウ");
	kv_add(&k, "change=%lld", id);
	save_refused(c, &k, "not a provisional change of yours");
	assert_int_equal(person_id(c, "高橋", "次郎") > 0, 1);
	assert_int_equal(person_id(c, "高橋", "三郎"), -1);
}

/* ---- dates --------------------------------------------------------------------- */

static void test_event_and_notification_dates(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	char d[11];

	/* The event after today. */
	kv_single(&k, "井上", "イノウエ", "修", "オサム");
	tu_date(1, d);
	kv_add(&k, "event_date=%s", d);
	check(c, &k, &res);
	assert_true(issue_has(&res.table, "error", "after today"));
	assert_true(table_has(&res.table, "event_date"));
	md_result_release(&res);
	kv_single(&k, "井上", "イノウエ", "修", "オサム");
	kv_add(&k, "event_date=%s", d);
	save_refused(c, &k, "the date of the event 2026-04-02 is after today");

	/* The notification after today. */
	kv_single(&k, "井上", "イノウエ", "修", "オサム");
	tu_date(1, d);
	kv_add(&k, "notified_on=%s", d);
	save_refused(c, &k, "the notification date 2026-04-02 is after today");

	/* Missing and impossible dates. */
	kv_single(&k, "井上", "イノウエ", "修", "オサム");
	kv_add(&k, "event_date=");
	save_refused(c, &k, "異動日");
	kv_single(&k, "井上", "イノウエ", "修", "オサム");
	kv_add(&k, "event_date=2026-02-30");
	save_refused(c, &k, "");
	kv_single(&k, "井上", "イノウエ", "修", "オサム");
	kv_add(&k, "event_date=R8.3");
	save_refused(c, &k, "full date");

	/* A 転入 is notified after the move, not before. */
	kv_single(&k, "井上", "イノウエ", "修", "オサム");
	tu_date(-3, d);
	kv_add(&k, "event_date=%s", d);
	tu_date(-5, d);
	kv_add(&k, "notified_on=%s", d);
	save_refused(c, &k, "cannot be notified before the move");

	/* Today is allowed, in any input form. */
	kv_single(&k, "井上", "イノウエ", "修", "オサム");
	kv_add(&k, "event_date=令和8年4月1日");
	kv_add(&k, "notified_on=R8.4.1");
	save_ok(c, &k, NULL);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM changes WHERE event_date = '2026-04-01' "
	                               "AND notified_on = '2026-04-01'"), 1);
	/* The birth date after the event. */
	kv_single(&k, "井上", "イノウエ", "修", "オサム");
	kv_add(&k, "p1.birth_date=2026-03-30");
	save_refused(c, &k, "after the date of the event");
}

static long long late_of(struct md_ctx *c, long long id)
{
	return sqlf_int(c, "SELECT late FROM changes WHERE id = %lld", id);
}

static void test_fourteen_day_rule(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	long long id;
	char buf[256];
	struct hh h;

	/* 15 days late: accepted, flagged 期間経過. */
	kv_move_in(&k, -15, ADDR_B);
	kv_person(&k, 1, "世帯主", "加藤", "勇", "カトウ", "イサム", "1970-07-07", "男");
	md_result_init(&res);
	id = save_ok(c, &k, &res);
	assert_true(issue_has(&res.table, "warning", "期間経過"));
	assert_true(issue_has(&res.table, "warning", "15 days"));
	assert_int_equal(issue_errors(&res.table), 0);
	md_result_release(&res);
	assert_int_equal(late_of(c, id), 1);
	sqlf_text(c, buf, sizeof buf, "SELECT detail FROM audit_log WHERE function = 'change.save' "
	                              "ORDER BY id DESC LIMIT 1");
	assert_non_null(strstr(buf, " late"));

	/* 14 days: in time. */
	kv_move_in(&k, -14, ADDR_B);
	kv_person(&k, 1, "世帯主", "加藤", "勝", "カトウ", "マサル", "1971-07-07", "男");
	md_result_init(&res);
	id = save_ok(c, &k, &res);
	assert_false(table_has(&res.table, "期間経過"));
	md_result_release(&res);
	assert_int_equal(late_of(c, id), 0);

	/* Counted to the notification date, not to today. */
	kv_move_in(&k, -31, ADDR_B);
	kv_person(&k, 1, "世帯主", "加藤", "進", "カトウ", "ススム", "1972-07-07", "男");
	kv_add(&k, "notified_on=2026-03-15");     /* event 2026-03-01: 14 days */
	id = save_ok(c, &k, NULL);
	assert_int_equal(late_of(c, id), 0);
	kv_move_in(&k, -31, ADDR_B);
	kv_person(&k, 1, "世帯主", "加藤", "茂", "カトウ", "シゲル", "1973-07-07", "男");
	kv_add(&k, "notified_on=2026-03-16");     /* 15 days */
	id = save_ok(c, &k, NULL);
	assert_int_equal(late_of(c, id), 1);

	/* Ex officio changes (出生) have no notification period. */
	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	kv_add(&k, "type=birth");
	kv_add(&k, "household=%lld", h.household);
	kv_add(&k, "event_date=2026-03-01");
	kv_add(&k, "p1.relationship=子");
	kv_add(&k, "p1.surname=山田");
	kv_add(&k, "p1.given_name=桜");
	kv_add(&k, "p1.surname_kana=ヤマダ");
	kv_add(&k, "p1.given_name_kana=サクラ");
	kv_add(&k, "p1.sex=女");
	md_result_init(&res);
	id = save_ok(c, &k, &res);
	assert_false(table_has(&res.table, "期間経過"));
	md_result_release(&res);
	assert_int_equal(late_of(c, id), 0);
	assert_int_equal(sqlf_int(c, "SELECT notified_on IS NULL FROM changes WHERE id = %lld", id), 1);
}

/* ---- 転入 rules ------------------------------------------------------------------ */

static void test_move_in_needs_one_head(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };

	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "妻", "松本", "美香", "マツモト", "ミカ", "1980-01-01", "女");
	kv_person(&k, 2, "子", "松本", "翔", "マツモト", "ショウ", "2012-01-01", "男");
	save_refused(c, &k, "the new household has no 世帯主");

	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "松本", "浩", "マツモト", "ヒロシ", "1978-01-01", "男");
	kv_person(&k, 2, "世帯主", "松本", "美香", "マツモト", "ミカ", "1980-01-01", "女");
	save_refused(c, &k, "the new household would have 2 世帯主");

	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "子", "松本", "翔", "マツモト", "ショウ", "2012-01-01", "男");
	save_refused(c, &k, "no 世帯主");

	/* A forbidden 続柄 is refused with its chain. */
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "松本", "浩", "マツモト", "ヒロシ", "1978-01-01", "男");
	kv_person(&k, 2, "孫", "松本", "翔", "マツモト", "ショウ", "2012-01-01", "男");
	save_refused(c, &k, "子の子");

	/* Required items are named. */
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "松本", "浩", "マツモト", "ヒロシ", "1978-01-01", "男");
	kv_add(&k, "p1.honseki=");
	save_refused(c, &k, "本籍 is required");
	kv_add(&k, "type=move_in");
	kv_add(&k, "event_date=2026-03-30");
	kv_add(&k, "address=%s", ADDR_B);
	kv_person(&k, 1, "世帯主", "松本", "浩", "マツモト", "ヒロシ", "1978-01-01", "男");
	save_refused(c, &k, "転入前住所 is required");

	/* A half-width 続柄 is stored in the standard form; five links are 縁故者. */
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "松本", "浩", "マツモト", "ヒロシ", "1978-01-01", "男");
	kv_person(&k, 2, "妻(未届)", "松本", "美香", "マツモト", "ミカ", "1980-01-01", "女");
	kv_person(&k, 3, "子の子の子の子の子", "松本", "翔", "マツモト", "ショウ", "2012-01-01", "男");
	{
		struct md_result res;
		long long id;
		md_result_init(&res);
		id = save_ok(c, &k, &res);
		assert_true(issue_has(&res.table, "warning", "縁故者"));
		md_result_release(&res);
		assert_int_equal(sqlf_int(c, "SELECT count(*) FROM change_persons WHERE change_id = %lld "
		                             "AND seq = 2 AND relationship = '妻（未届）'", id), 1);
		assert_int_equal(sqlf_int(c, "SELECT count(*) FROM change_persons WHERE change_id = %lld "
		                             "AND seq = 3 AND relationship = '縁故者'", id), 1);
	}
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons"), 0);
}

static void test_move_in_mynumber_rules(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	char mn[13], other[13], msg[128];
	struct hh h;

	/* A household whose head has a My Number. */
	kv_move_in(&k, -10, ADDR_A);
	kv_person(&k, 1, "世帯主", "山田", "太郎", "ヤマダ", "タロウ", "1980-03-14", "男");
	kv_add(&k, "p1.mynumber=%s", mynumber("73519046282", mn));
	h.change = save_ok(c, &k, NULL);
	approve(c, h.change);
	h.head = person_id(c, "山田", "太郎");

	/* Someone else moving in with that number. */
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "木村", "拓也", "キムラ", "タクヤ", "1972-11-13", "男");
	kv_add(&k, "p1.mynumber=%s", mn);
	snprintf(msg, sizeof msg, "belongs to resident 宛名番号 %lld", h.head);
	save_refused(c, &k, msg);

	/* A wrong check digit, a wrong length, a letter. */
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "木村", "拓也", "キムラ", "タクヤ", "1972-11-13", "男");
	kv_add(&k, "p1.mynumber=%s", bad_mynumber("28461937055", other));
	save_refused(c, &k, "check digit does not match");
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "木村", "拓也", "キムラ", "タクヤ", "1972-11-13", "男");
	kv_add(&k, "p1.mynumber=12345678901");
	save_refused(c, &k, "12 digits");
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "木村", "拓也", "キムラ", "タクヤ", "1972-11-13", "男");
	kv_add(&k, "p1.mynumber=1234567890a8");
	save_refused(c, &k, "not a digit");
	/* The issue names the field. */
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "木村", "拓也", "キムラ", "タクヤ", "1972-11-13", "男");
	kv_add(&k, "p1.mynumber=%s", bad_mynumber("28461937055", other));
	check(c, &k, &res);
	assert_int_equal(res.table.nrows >= 1, 1);
	assert_string_equal(res.table.rows[0][1], "mynumber");
	assert_string_equal(res.table.rows[0][0], "1");
	md_result_release(&res);

	/* A current resident cannot move in again. */
	kv_move_in(&k, -2, ADDR_B);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.relationship=世帯主");
	snprintf(msg, sizeof msg, "宛名番号 %lld is already a resident here", h.head);
	save_refused(c, &k, msg);

	/* A valid number, typed with spaces and full-width digits, is accepted. */
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "木村", "拓也", "キムラ", "タクヤ", "1972-11-13", "男");
	mynumber("28461937055", other);
	{
		char fw[64];
		size_t o = 0;
		for (int i = 0; i < 12; i++) {
			if (i == 4 || i == 8)
				fw[o++] = ' ';
			/* U+FF10.. : EF BC 90.. */
			fw[o++] = (char)0xef;
			fw[o++] = (char)0xbc;
			fw[o++] = (char)(0x90 + (other[i] - '0'));
		}
		fw[o] = '\0';
		kv_add(&k, "p1.mynumber=%s", fw);
	}
	save_ok(c, &k, NULL);
}

static void kv_foreigner(struct kv *k)
{
	kv_move_in(k, -4, ADDR_C);
	kv_add(k, "type=move_in_abroad");
	kv_add(k, "p1.resident_type=外国人");
	kv_add(k, "p1.relationship=世帯主");
	kv_add(k, "p1.surname=NGUYEN");
	kv_add(k, "p1.given_name=VAN AN");
	kv_add(k, "p1.surname_kana=グエン");
	kv_add(k, "p1.given_name_kana=バン アン");
	kv_add(k, "p1.name_roman=NGUYEN VAN AN");
	kv_add(k, "p1.birth_date=1995-10-20");
	kv_add(k, "p1.sex=M");
	kv_add(k, "p1.nationality=ベトナム");
	kv_add(k, "p1.residence_status=技術・人文知識・国際業務");
	kv_add(k, "p1.residence_period=3年");
	kv_add(k, "p1.residence_expiry=2028-09-30");
	kv_add(k, "p1.address_code=0101");
}

/* Foreign residents: their own items, no 本籍, a given name optional. */
static void test_foreign_resident(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	long long id, p;

	kv_foreigner(&k);
	id = save_ok(c, &k, NULL);
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM changes WHERE id = %lld AND reason = 'in_abroad'",
	                          id), 1);
	approve(c, id);
	p = sqlf_int(c, "SELECT id FROM persons WHERE surname = 'NGUYEN'");
	assert_true(p > 0);
	assert_person(c, p, "resident_type", "foreign");
	assert_person(c, p, "nationality", "VNM");      /* by name, stored as the code */
	assert_person(c, p, "foreign_since", "2026-03-28");
	assert_person(c, p, "given_name", "VAN AN");
	assert_person(c, p, "given_name_kana", "バン アン");
	assert_person(c, p, "address_code", "0101");

	kv_foreigner(&k);
	kv_add(&k, "p1.honseki=%s", HONSEKI);
	save_refused(c, &k, "a foreign resident has no 本籍・筆頭者");
	kv_foreigner(&k);
	kv_add(&k, "p1.residence_expiry=");
	save_refused(c, &k, "在留期間の満了の日 is required");
	kv_foreigner(&k);
	kv_add(&k, "p1.residence_status=永住者");
	kv_add(&k, "p1.residence_expiry=");
	kv_add(&k, "p1.residence_period=");
	kv_add(&k, "p1.surname=TRAN");
	save_ok(c, &k, NULL);
	/* A long name of a country in the list is fine. */
	kv_foreigner(&k);
	kv_add(&k, "p1.surname=SANTOS");
	kv_add(&k, "p1.nationality=フィリピン");
	id = save_ok(c, &k, NULL);
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM change_persons WHERE change_id = %lld AND "
	                             "nationality = 'PHL'", id), 1);
	kv_foreigner(&k);
	kv_add(&k, "p1.nationality=アトランティス");
	save_refused(c, &k, "is not in the code list");
	kv_foreigner(&k);
	kv_add(&k, "p1.address_code=9999");
	save_refused(c, &k, "is not one of this ward's districts");
	kv_foreigner(&k);
	kv_add(&k, "p1.sex=X");
	save_refused(c, &k, "性別 is 男 or 女");
	kv_foreigner(&k);
	kv_add(&k, "p1.surname_kana=Nguyen");
	save_refused(c, &k, "must be written in kana");
	/* The reading goes with the name. */
	kv_foreigner(&k);
	kv_add(&k, "p1.given_name_kana=");
	save_refused(c, &k, "名の振り仮名 is required");
	kv_move_in(&k, -4, ADDR_B);
	kv_person(&k, 1, "世帯主", "石井", "純", "イシイ", "ジュン", "1985-01-01", "男");
	kv_add(&k, "p1.given_name_kana=");
	save_refused(c, &k, "名の振り仮名 is required");
	/* A Japanese resident has no 国籍・地域. */
	kv_move_in(&k, -4, ADDR_B);
	kv_person(&k, 1, "世帯主", "石井", "純", "イシイ", "ジュン", "1985-01-01", "男");
	kv_add(&k, "p1.nationality=KOR");
	save_refused(c, &k, "国籍・地域 is an item of foreign residents only");
}

/* The wife of h moves out on a past date: her record becomes a 除票. */
static void remove_wife(struct md_ctx *c, struct hh *h)
{
	struct kv k = { 0 };
	long long id;
	kv_add(&k, "type=move_out");
	kv_add(&k, "event_date=2026-03-30");
	kv_add(&k, "p1.person=%lld", h->wife);
	kv_add(&k, "p1.out_address_planned=北海道札幌市中央区北1条西2丁目");
	id = save_ok(c, &k, NULL);
	approve(c, id);
	assert_person(c, h->wife, "status", "moved_out");
	assert_person(c, h->wife, "removal_date", "2026-03-30");
}

static void test_removed_record_numbers(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char mn[13], jc[12], msg[160];
	struct hh h;

	kv_move_in(&k, -10, ADDR_A);
	kv_person(&k, 1, "世帯主", "山田", "太郎", "ヤマダ", "タロウ", "1980-03-14", "男");
	kv_person(&k, 2, "妻", "山田", "花子", "ヤマダ", "ハナコ", "1982-05-01", "女");
	kv_add(&k, "p2.mynumber=%s", mynumber("60213847592", mn));
	kv_add(&k, "p2.juminhyo_code=%s", juminhyo_code("3051728469", jc));
	h.change = save_ok(c, &k, NULL);
	approve(c, h.change);
	h.head = person_id(c, "山田", "太郎");
	h.wife = person_id(c, "山田", "花子");
	assert_person(c, h.wife, "juminhyo_code", jc);
	remove_wife(c, &h);

	kv_move_in(&k, -1, ADDR_B);
	kv_person(&k, 1, "世帯主", "森", "由美", "モリ", "ユミ", "1990-09-09", "女");
	kv_add(&k, "p1.mynumber=%s", mn);
	snprintf(msg, sizeof msg, "belongs to the removed record 宛名番号 %lld", h.wife);
	save_refused(c, &k, msg);

	kv_move_in(&k, -1, ADDR_B);
	kv_person(&k, 1, "世帯主", "森", "由美", "モリ", "ユミ", "1990-09-09", "女");
	kv_add(&k, "p1.juminhyo_code=%s", jc);
	snprintf(msg, sizeof msg, "this 住民票コード belongs to 宛名番号 %lld", h.wife);
	save_refused(c, &k, msg);

	/* A 住民票コード with a wrong check digit. */
	kv_move_in(&k, -1, ADDR_B);
	kv_person(&k, 1, "世帯主", "森", "由美", "モリ", "ユミ", "1990-09-09", "女");
	snprintf(msg, sizeof msg, "3051728469%d", (jc[10] - '0' + 1) % 10);
	kv_add(&k, "p1.juminhyo_code=%s", msg);
	save_refused(c, &k, "check digit does not match");

	/* The returning person is recorded on the earlier record itself. */
	kv_move_in(&k, -1, ADDR_B);
	kv_add(&k, "p1.person=%lld", h.wife);
	kv_add(&k, "p1.relationship=世帯主");
	kv_add(&k, "p1.mynumber=%s", mn);
	{
		struct md_result res;
		long long id;
		md_result_init(&res);
		id = save_ok(c, &k, &res);
		assert_int_equal(issue_errors(&res.table), 0);
		md_result_release(&res);
		approve(c, id);
	}
	assert_person(c, h.wife, "status", "resident");
	assert_person(c, h.wife, "address", ADDR_B);
	assert_person(c, h.wife, "version", "3");
	assert_int_equal(sqlf_int(c, "SELECT household_id <> %lld FROM persons WHERE id = %lld",
	                          h.household, h.wife), 1);
}

static void test_returning_person_warning(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	char msg[160];
	long long id;
	struct hh h;

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	remove_wife(c, &h);

	/* Same reading (typed in hiragana, with a voiced mark dropped) and birth date. */
	kv_move_in(&k, -1, ADDR_B);
	kv_person(&k, 1, "世帯主", "山田", "華子", "やまた", "はなこ", "1982-05-01", "女");
	md_result_init(&res);
	id = save_ok(c, &k, &res);
	snprintf(msg, sizeof msg, "宛名番号 %lld, removed 2026-03-30", h.wife);
	if (!issue_has(&res.table, "warning", msg))
		dump_table(&res.table);
	assert_true(issue_has(&res.table, "warning", "除票"));
	assert_true(issue_has(&res.table, "warning", msg));
	assert_int_equal(issue_errors(&res.table), 0);
	md_result_release(&res);
	assert_true(id > 0);

	/* Another birth date: no warning. */
	kv_move_in(&k, -1, ADDR_B);
	kv_person(&k, 1, "世帯主", "山田", "華子", "ヤマダ", "ハナコ", "1982-05-02", "女");
	md_result_init(&res);
	save_ok(c, &k, &res);
	assert_false(table_has(&res.table, "除票"));
	md_result_release(&res);

	/* The same reading and birth as a current resident: a warning of its own. */
	kv_move_in(&k, -1, ADDR_B);
	kv_person(&k, 1, "世帯主", "山田", "太朗", "ヤマダ", "タロウ", "1980-03-14", "男");
	md_result_init(&res);
	save_ok(c, &k, &res);
	snprintf(msg, sizeof msg, "a resident with the same name reading and date of birth exists "
	                          "(宛名番号 %lld)", h.head);
	assert_true(issue_has(&res.table, "warning", msg));
	md_result_release(&res);
}

static void test_move_in_joining_household(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char msg[128];
	long long id, mother;
	struct hh h;

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	kv_move_in(&k, -3, ADDR_A);
	kv_add(&k, "household=%lld", h.household);
	kv_person(&k, 1, "母", "山田", "トメ", "ヤマダ", "トメ", "1950-02-03", "女");
	id = save_ok(c, &k, NULL);
	assert_int_equal(sqlf_int(c, "SELECT new_household IS NULL AND household_id = %lld FROM "
	                             "change_persons WHERE change_id = %lld", h.household, id), 1);
	approve(c, id);
	mother = person_id(c, "山田", "トメ");
	assert_int_equal(sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", mother),
	                 h.household);
	assert_person(c, mother, "relationship", "母");
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM households"), 1);

	/* Not a second head. */
	kv_move_in(&k, -3, ADDR_A);
	kv_add(&k, "household=%lld", h.household);
	kv_person(&k, 1, "世帯主", "山田", "源蔵", "ヤマダ", "ゲンゾウ", "1948-02-03", "男");
	snprintf(msg, sizeof msg, "household %lld would have 2 世帯主", h.household);
	save_refused(c, &k, msg);
	/* Not a household that does not exist. */
	kv_move_in(&k, -3, ADDR_A);
	kv_add(&k, "household=999");
	kv_person(&k, 1, "父", "山田", "源蔵", "ヤマダ", "ゲンゾウ", "1948-02-03", "男");
	save_refused(c, &k, "there is no household 999");
}

/* ---- 出生 ----------------------------------------------------------------------- */

static void kv_birth(struct kv *k, long long household, int days, const char *given,
                     const char *kgiven)
{
	char d[11];
	tu_date(days, d);
	kv_add(k, "type=birth");
	kv_add(k, "household=%lld", household);
	kv_add(k, "event_date=%s", d);
	kv_add(k, "p1.relationship=子");
	kv_add(k, "p1.surname=山田");
	kv_add(k, "p1.given_name=%s", given);
	kv_add(k, "p1.surname_kana=ヤマダ");
	kv_add(k, "p1.given_name_kana=%s", kgiven);
	kv_add(k, "p1.sex=男");
	kv_add(k, "p1.honseki=%s", HONSEKI);
	kv_add(k, "p1.hittosha=山田 太郎");
}

static void test_birth(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	long long id, baby;
	struct hh h;

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	kv_birth(&k, h.household, -3, "三郎", "サブロウ");
	id = save_ok(c, &k, NULL);
	approve(c, id);
	baby = person_id(c, "山田", "三郎");
	assert_true(baby > 0);
	assert_int_equal(sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", baby), h.household);
	assert_person(c, baby, "birth_date", "2026-03-29");
	assert_person(c, baby, "resident_since", "2026-03-29");
	assert_person(c, baby, "address_since", "2026-03-29");
	assert_person(c, baby, "address", ADDR_A);
	assert_person(c, baby, "katagaki", KATA_A);
	assert_person(c, baby, "postal_code", "100-0001");
	assert_person(c, baby, "status", "resident");
	assert_person(c, baby, "resident_type", "japanese");
	assert_person(c, baby, "relationship", "子");
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM households"), 1);
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM changes WHERE id = %lld AND reason = 'birth'",
	                          id), 1);

	/* The date of birth is the date of the event. */
	kv_birth(&k, h.household, -3, "四郎", "シロウ");
	kv_add(&k, "p1.birth_date=2026-03-20");
	save_refused(c, &k, "date of birth is the date of the event");
	/* Into a household that does not exist. */
	kv_birth(&k, 999, -3, "四郎", "シロウ");
	save_refused(c, &k, "there is no household 999");
	/* The address is the household's, not an item of the form. */
	kv_birth(&k, h.household, -3, "四郎", "シロウ");
	kv_add(&k, "p1.address=%s", ADDR_B);
	save_refused(c, &k, "住所 is not an item of the 出生 form");
	/* A birth records a new person. */
	kv_birth(&k, h.household, -3, "四郎", "シロウ");
	kv_add(&k, "p1.person=%lld", baby);
	save_refused(c, &k, "already a resident here");
	/* A second 世帯主 is not born. */
	kv_birth(&k, h.household, -3, "四郎", "シロウ");
	kv_add(&k, "p1.relationship=世帯主");
	save_refused(c, &k, "would have 2 世帯主");
}

/* ---- 転居 ----------------------------------------------------------------------- */

static void kv_move_within(struct kv *k, long long household, int days, const char *address)
{
	char d[11];
	tu_date(days, d);
	kv_add(k, "type=move_within");
	kv_add(k, "household=%lld", household);
	kv_add(k, "event_date=%s", d);
	kv_add(k, "address=%s", address);
	kv_add(k, "katagaki=");
	kv_add(k, "postal_code=100-0005");
}

static void test_move_within(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	char buf[256];
	long long id;
	struct hh h;

	make_household(c, "山田", "ヤマダ", ADDR_A, 1, &h);
	kv_move_within(&k, h.household, -2, ADDR_B);
	md_result_init(&res);
	id = save_ok(c, &k, &res);
	assert_int_equal(issue_errors(&res.table), 0);
	md_result_release(&res);
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM change_persons WHERE change_id = %lld", id), 3);
	/* Still the old address until approved. */
	assert_person(c, h.head, "address", ADDR_A);
	approve(c, id);
	for (long long *p = &h.head; p <= &h.child; p++) {
		assert_person(c, *p, "address", ADDR_B);
		assert_person(c, *p, "katagaki", "");
		assert_person(c, *p, "postal_code", "100-0005");
		assert_person(c, *p, "address_since", "2026-03-30");
		assert_person(c, *p, "resident_since", "2026-03-22");   /* unchanged */
		assert_person(c, *p, "version", "2");
		sqlf_text(c, buf, sizeof buf, "SELECT address || '|' || katagaki FROM person_versions "
		                              "WHERE person_id = %lld AND version = 1", *p);
		assert_string_equal(buf, ADDR_A "|" KATA_A);
		assert_int_equal(sqlf_int(c, "SELECT count(*) FROM address_index WHERE person_id = %lld "
		                             "AND kind = 'past'", *p), 1);
	}
	assert_int_equal(sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", h.child),
	                 h.household);

	/* Moving to where they live is no move. */
	kv_move_within(&k, h.household, -1, ADDR_B);
	save_refused(c, &k, "the new address is the same as the old one");

	/* Only the form's items: a name cannot change in a 転居. */
	kv_move_within(&k, h.household, -1, ADDR_C);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.surname=鈴木");
	save_refused(c, &k, "氏 is not an item of the 転居 form");
	kv_move_within(&k, h.household, -1, ADDR_C);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.death_date=2026-03-01");
	save_refused(c, &k, "死亡年月日 is not an item of the 転居 form");
	kv_move_within(&k, h.household, -1, ADDR_C);
	kv_add(&k, "previous_address=%s", PREV);
	save_refused(c, &k, "転入前住所 is not an item of the 転居 form");
	/* Keys that are no item at all, or set by the system. */
	kv_move_within(&k, h.household, -1, ADDR_C);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.favourite_colour=red");
	save_refused(c, &k, "\"favourite_colour\" is not an item a form can change");
	kv_move_within(&k, h.household, -1, ADDR_C);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.status=dead");
	save_refused(c, &k, "\"status\" is not an item a form can change");
	kv_move_within(&k, h.household, -1, ADDR_C);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.mynumber_idx=abc");
	save_refused(c, &k, "\"mynumber_idx\" is not an item a form can change");
	/* The household is needed. */
	kv_move_within(&k, 0, -1, ADDR_C);
	save_refused(c, &k, "choose the household");
	/* A bad postal code. */
	kv_move_within(&k, h.household, -1, ADDR_C);
	kv_add(&k, "postal_code=12-345");
	save_refused(c, &k, "郵便番号");
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM changes WHERE type = 'move_within'"), 1);
}

/* ---- 転出 and the head of household ------------------------------------------------ */

static void kv_move_out(struct kv *k, int days)
{
	char d[11];
	tu_date(days, d);
	kv_add(k, "type=move_out");
	kv_add(k, "event_date=%s", d);
}

static void test_move_out_planned(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	struct md_person p;
	struct md_error err;
	char today[11];
	long long id;
	struct hh h;

	make_household(c, "山田", "ヤマダ", ADDR_A, 1, &h);
	kv_move_out(&k, 9);
	kv_add(&k, "p1.person=%lld", h.child);
	kv_add(&k, "p1.out_address_planned=北海道札幌市中央区北1条西2丁目");
	md_result_init(&res);
	id = save_ok(c, &k, &res);
	assert_int_equal(issue_errors(&res.table), 0);
	md_result_release(&res);
	approve(c, id);
	assert_person(c, h.child, "status", "moved_out");
	assert_person(c, h.child, "removal_date", "2026-04-10");
	assert_person(c, h.child, "out_planned_date", "2026-04-10");
	assert_person(c, h.child, "removal_reason", "out_domestic");
	assert_person(c, h.child, "out_address_planned", "北海道札幌市中央区北1条西2丁目");
	/* No notification period for a move-out. */
	assert_int_equal(late_of(c, id), 0);

	/* Still living here until the date. */
	md_person_init(&p);
	assert_int_equal(cw_load_person(c, h.child, &p, &err), MD_OK);
	cw_today(today);
	assert_int_equal(cw_active(&p, today), 1);
	assert_int_equal(cw_active(&p, "2026-04-10"), 0);
	md_person_release(&p);
	kv_add(&k, "type=death");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.child);
	check(c, &k, &res);
	assert_int_equal(issue_errors(&res.table), 0);
	md_result_release(&res);

	/* After the date the record is a 除票. */
	md_time_set(tu_day(10));
	kv_add(&k, "type=death");
	kv_add(&k, "event_date=2026-04-11");
	kv_add(&k, "p1.person=%lld", h.child);
	check(c, &k, &res);
	assert_true(issue_has(&res.table, "error", "is not a current resident"));
	md_result_release(&res);
	md_time_set(tu_day(0));

	/* The planned address is required; the reason is a removal reason. */
	kv_move_out(&k, 5);
	kv_add(&k, "p1.person=%lld", h.wife);
	save_refused(c, &k, "転出先住所（予定） is required");
	kv_move_out(&k, 5);
	kv_add(&k, "reason=death");
	kv_add(&k, "p1.person=%lld", h.wife);
	kv_add(&k, "p1.out_address_planned=ニューヨーク");
	save_refused(c, &k, "does not belong to 転出");
	kv_move_out(&k, 5);
	kv_add(&k, "reason=out_abroad");
	kv_add(&k, "p1.person=%lld", h.wife);
	kv_add(&k, "p1.out_address_planned=アメリカ合衆国");
	id = save_ok(c, &k, NULL);
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM changes WHERE id = %lld AND reason = 'out_abroad'",
	                          id), 1);
}

static void test_move_out_head(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	char msg[160];
	long long id;
	struct hh h, g;

	make_household(c, "山田", "ヤマダ", ADDR_A, 1, &h);

	/* The head leaves, nobody is named head. */
	kv_move_out(&k, 5);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.out_address_planned=福岡市");
	snprintf(msg, sizeof msg, "household %lld would be left without a 世帯主", h.household);
	save_refused(c, &k, msg);

	/* A member restates more than its 続柄. */
	kv_move_out(&k, 5);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.out_address_planned=福岡市");
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.role=member");
	kv_add(&k, "p2.relationship=世帯主");
	kv_add(&k, "p2.surname=佐藤");
	save_refused(c, &k, "氏 is not an item of the 転出 form");
	/* Two heads remain. */
	kv_move_out(&k, 5);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.out_address_planned=福岡市");
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.role=member");
	kv_add(&k, "p2.relationship=世帯主");
	kv_add(&k, "p3.person=%lld", h.child);
	kv_add(&k, "p3.role=member");
	kv_add(&k, "p3.relationship=世帯主");
	snprintf(msg, sizeof msg, "household %lld would have 2 世帯主", h.household);
	save_refused(c, &k, msg);

	/* The wife restated as 世帯主 in the same change. */
	kv_move_out(&k, 5);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.out_address_planned=福岡市");
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.role=member");
	kv_add(&k, "p2.relationship=世帯主");
	md_result_init(&res);
	id = save_ok(c, &k, &res);
	assert_int_equal(issue_errors(&res.table), 0);
	md_result_release(&res);
	approve(c, id);
	assert_person(c, h.head, "status", "moved_out");
	assert_person(c, h.wife, "relationship", "世帯主");
	assert_person(c, h.wife, "status", "resident");
	assert_person(c, h.wife, "version", "2");
	assert_person(c, h.child, "version", "1");

	/* Before the date the household still takes changes: a birth. */
	kv_birth(&k, h.household, -1, "次郎", "ジロウ");
	check(c, &k, &res);
	if (issue_errors(&res.table))
		dump_table(&res.table);
	assert_int_equal(issue_errors(&res.table), 0);
	md_result_release(&res);

	/* A whole household leaves: no head is needed. */
	make_household(c, "佐藤", "サトウ", ADDR_B, 0, &g);
	kv_move_out(&k, 3);
	kv_add(&k, "p1.person=%lld", g.head);
	kv_add(&k, "p1.out_address_planned=仙台市");
	kv_add(&k, "p2.person=%lld", g.wife);
	kv_add(&k, "p2.out_address_planned=仙台市");
	id = save_ok(c, &k, NULL);
	approve(c, id);
	assert_person(c, g.head, "status", "moved_out");
	assert_person(c, g.wife, "status", "moved_out");
}

static void test_death_of_head(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char msg[160], d[11];
	long long id;
	struct hh h;

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	kv_add(&k, "type=death");
	kv_add(&k, "event_date=2026-03-31");
	kv_add(&k, "p1.person=%lld", h.head);
	snprintf(msg, sizeof msg, "household %lld would be left without a 世帯主", h.household);
	save_refused(c, &k, msg);

	kv_add(&k, "type=death");
	kv_add(&k, "event_date=2026-03-31");
	kv_add(&k, "p1.person=%lld", h.head);
	tu_date(1, d);
	kv_add(&k, "p1.death_date=%s", d);
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.role=member");
	kv_add(&k, "p2.relationship=世帯主");
	save_refused(c, &k, "the date of death is after today");

	kv_add(&k, "type=death");
	kv_add(&k, "event_date=2026-03-31");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.role=member");
	kv_add(&k, "p2.relationship=世帯主");
	id = save_ok(c, &k, NULL);
	approve(c, id);
	assert_person(c, h.head, "status", "dead");
	assert_person(c, h.head, "death_date", "2026-03-31");
	assert_person(c, h.head, "removal_date", "2026-03-31");
	assert_person(c, h.head, "removal_reason", "death");
	assert_person(c, h.wife, "relationship", "世帯主");

	/* The dead are not changed by a 転居 and cannot die twice. */
	kv_add(&k, "type=death");
	kv_add(&k, "event_date=2026-03-31");
	kv_add(&k, "p1.person=%lld", h.head);
	save_refused(c, &k, "is not a current resident");
	kv_move_within(&k, h.household, -1, ADDR_B);
	id = save_ok(c, &k, NULL);
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM change_persons WHERE change_id = %lld", id), 1);
	assert_int_equal(sqlf_int(c, "SELECT person_id FROM change_persons WHERE change_id = %lld", id),
	                 h.wife);
}

/* ---- 世帯分離, 世帯合併, 世帯主変更 ------------------------------------------------- */

static void kv_type(struct kv *k, const char *type, int days)
{
	char d[11];
	tu_date(days, d);
	kv_add(k, "type=%s", type);
	kv_add(k, "event_date=%s", d);
}

static void test_household_split(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char msg[160];
	long long id, nh;
	struct hh h;

	make_household(c, "山田", "ヤマダ", ADDR_A, 1, &h);

	kv_type(&k, "household_split", -2);
	kv_add(&k, "p1.person=%lld", h.child);
	kv_add(&k, "p1.relationship=子");
	save_refused(c, &k, "the new household has no 世帯主");

	kv_type(&k, "household_split", -2);
	kv_add(&k, "p1.person=%lld", h.child);
	kv_add(&k, "p1.relationship=世帯主");
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.relationship=世帯主");
	save_refused(c, &k, "the new household would have 2 世帯主");

	/* The head leaves the old household headless. */
	kv_type(&k, "household_split", -2);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.relationship=世帯主");
	snprintf(msg, sizeof msg, "household %lld would be left without a 世帯主", h.household);
	save_refused(c, &k, msg);

	/* Nobody. */
	kv_type(&k, "household_split", -2);
	save_refused(c, &k, "needs at least one person");

	kv_type(&k, "household_split", -2);
	kv_add(&k, "p1.person=%lld", h.child);
	kv_add(&k, "p1.relationship=世帯主");
	id = save_ok(c, &k, NULL);
	approve(c, id);
	nh = sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", h.child);
	assert_true(nh > 0 && nh != h.household);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM households"), 2);
	assert_person(c, h.child, "relationship", "世帯主");
	assert_person(c, h.child, "address", ADDR_A);
	assert_int_equal(sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", h.wife),
	                 h.household);
	assert_person(c, h.head, "version", "1");
	assert_int_equal(sqlf_int(c, "SELECT household_id FROM person_versions WHERE person_id = %lld "
	                             "AND version = 1", h.child), h.household);
}

static void test_household_merge(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char msg[160];
	long long id;
	struct hh a, b;

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &a);
	make_household(c, "佐藤", "サトウ", ADDR_C, 0, &b);
	{
		char sql[160];
		snprintf(sql, sizeof sql, "UPDATE persons SET katagaki = 'メゾン見本202' WHERE household_id = %lld",
		         a.household);
		tu_sql_exec(c, sql);
	}
	assert_true(a.household != b.household);

	kv_type(&k, "household_merge", -2);
	kv_add(&k, "household=%lld", a.household);
	kv_add(&k, "p1.person=%lld", b.head);
	kv_add(&k, "p1.relationship=世帯主");
	snprintf(msg, sizeof msg, "household %lld would have 2 世帯主", a.household);
	save_refused(c, &k, msg);

	kv_type(&k, "household_merge", -2);
	kv_add(&k, "p1.person=%lld", b.head);
	kv_add(&k, "p1.relationship=同居人");
	save_refused(c, &k, "choose the household (世帯番号) they join");

	kv_type(&k, "household_merge", -2);
	kv_add(&k, "household=%lld", a.household);
	kv_add(&k, "p1.person=%lld", a.wife);
	kv_add(&k, "p1.relationship=妻");
	save_refused(c, &k, "is already in household");

	/* Both Satos join: the head becomes 同居人, the wife 同居人 too. */
	kv_type(&k, "household_merge", -2);
	kv_add(&k, "household=%lld", a.household);
	kv_add(&k, "p1.person=%lld", b.head);
	kv_add(&k, "p1.relationship=同居人");
	kv_add(&k, "p2.person=%lld", b.wife);
	kv_add(&k, "p2.relationship=同居人");
	id = save_ok(c, &k, NULL);
	approve(c, id);
	assert_int_equal(sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", b.head),
	                 a.household);
	assert_int_equal(sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", b.wife),
	                 a.household);
	assert_person(c, b.head, "address", ADDR_A);
	assert_person(c, b.head, "katagaki", "メゾン見本202");
	assert_person(c, b.wife, "address", ADDR_A);
	assert_person(c, b.head, "relationship", "同居人");
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM persons WHERE household_id = %lld",
	                          a.household), 4);
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM persons WHERE household_id = %lld AND "
	                             "relationship = '世帯主'", a.household), 1);
}

static void test_head_change(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char msg[160];
	long long id;
	struct hh h;

	make_household(c, "山田", "ヤマダ", ADDR_A, 1, &h);

	kv_type(&k, "head_change", -1);
	kv_add(&k, "household=%lld", h.household);
	kv_add(&k, "p1.person=%lld", h.wife);
	kv_add(&k, "p1.relationship=世帯主");
	snprintf(msg, sizeof msg, "household %lld would have 2 世帯主", h.household);
	save_refused(c, &k, msg);

	kv_type(&k, "head_change", -1);
	kv_add(&k, "household=%lld", h.household);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.relationship=夫");
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.relationship=世帯主");
	kv_add(&k, "p3.person=%lld", h.child);
	kv_add(&k, "p3.relationship=子");
	id = save_ok(c, &k, NULL);
	approve(c, id);
	assert_person(c, h.wife, "relationship", "世帯主");
	assert_person(c, h.head, "relationship", "夫");
	assert_person(c, h.child, "relationship", "子");
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM persons WHERE household_id = %lld AND "
	                             "relationship = '世帯主'", h.household), 1);
	assert_int_equal(sqlf_int(c, "SELECT relationship = '世帯主' FROM person_versions WHERE "
	                             "person_id = %lld AND version = 1", h.head), 1);
	/* Nothing but 続柄 on this form. */
	kv_type(&k, "head_change", -1);
	kv_add(&k, "household=%lld", h.household);
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.given_name=次郎");
	save_refused(c, &k, "名 is not an item of the 世帯主変更 form");
}

/* ---- corrections and cancellations ------------------------------------------- */

static long long fix(struct md_ctx *c, long long person, const char *col, const char *value)
{
	struct kv k = { 0 };
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "memo=届書の誤読");
	kv_add(&k, "p1.person=%lld", person);
	kv_add(&k, "p1.%s=%s", col, value);
	return save_ok(c, &k, NULL);
}

static void test_clerical_fix_keeps_history(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char buf[256];
	long long id;
	struct hh h;

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	id = fix(c, h.head, "given_name", "太朗");
	approve(c, id);
	assert_person(c, h.head, "given_name", "太朗");
	assert_person(c, h.head, "version", "2");
	sqlf_text(c, buf, sizeof buf, "SELECT group_concat(version || ':' || given_name || ':' || change_id, ',') "
	                              "FROM (SELECT * FROM person_versions WHERE person_id = %lld "
	                              "ORDER BY version)", h.head);
	{
		char want[128];
		snprintf(want, sizeof want, "1:太郎:%lld,2:太朗:%lld", h.change, id);
		assert_string_equal(buf, want);
	}
	/* The old name stays searchable as a past name. */
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM name_index WHERE person_id = %lld AND "
	                             "kind = 'past' AND fold = '山田太郎'", h.head), 1);
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM name_index WHERE person_id = %lld AND "
	                             "kind = 'name' AND fold = '山田太朗'", h.head), 1);
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM changes WHERE id = %lld AND memo = '届書の誤読' "
	                             "AND reason = 'clerical_fix'", id), 1);

	/* A fix that changes nothing. */
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.given_name=太朗");
	save_refused(c, &k, "nothing was changed");
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.head);
	save_refused(c, &k, "nothing was changed");
	/* A fix names its person. */
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.given_name=太朗");
	save_refused(c, &k, "give the 宛名番号");
	/* Foreign-only items are refused for a Japanese resident. */
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.nationality=US");
	save_refused(c, &k, "国籍・地域");
	/* A removed record can still be corrected. */
	remove_wife(c, &h);
	id = fix(c, h.wife, "birth_date", "1982-05-11");
	approve(c, id);
	assert_person(c, h.wife, "birth_date", "1982-05-11");
	assert_person(c, h.wife, "status", "moved_out");
}

static void test_cancel_move_in(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char buf[128];
	long long id;
	struct hh h;

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", h.change);
	id = save_ok(c, &k, NULL);
	sqlf_text(c, buf, sizeof buf, "SELECT reason || '|' || cancels FROM changes WHERE id = %lld", id);
	{
		char want[64];
		snprintf(want, sizeof want, "cancel_remove|%lld", h.change);
		assert_string_equal(buf, want);
	}
	assert_person(c, h.head, "status", "resident");
	approve(c, id);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons"), 2);
	for (long long *p = &h.head; p <= &h.wife; p++) {
		assert_person(c, *p, "status", "removed");
		assert_person(c, *p, "removal_reason", "cancel_remove");
		assert_person(c, *p, "removal_date", "2026-04-01");
		assert_person(c, *p, "version", "2");
		assert_int_equal(sqlf_int(c, "SELECT count(*) FROM person_versions WHERE person_id = %lld",
		                          *p), 2);
	}
	/* The cancelled change itself stays approved in the history. */
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM changes WHERE id = %lld AND status = 'approved'",
	                          h.change), 1);
	/* It cannot be cancelled twice. */
	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", h.change);
	save_refused(c, &k, "has changed again");
}

static void test_cancel_move_within(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	long long mw, id;
	struct hh h;

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	kv_move_within(&k, h.household, -2, ADDR_B);
	mw = save_ok(c, &k, NULL);
	approve(c, mw);
	assert_person(c, h.head, "address", ADDR_B);

	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", mw);
	id = save_ok(c, &k, NULL);
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM changes WHERE id = %lld AND reason = 'cancel_fix'",
	                          id), 1);
	approve(c, id);
	for (long long *p = &h.head; p <= &h.wife; p++) {
		assert_person(c, *p, "address", ADDR_A);
		assert_person(c, *p, "katagaki", KATA_A);
		assert_person(c, *p, "address_since", "2026-03-22");
		assert_person(c, *p, "status", "resident");
		assert_person(c, *p, "version", "3");
		/* History keeps all three. */
		assert_int_equal(sqlf_int(c, "SELECT count(*) FROM person_versions WHERE person_id = %lld "
		                             "AND version = 2 AND address = '" ADDR_B "'", *p), 1);
	}
}

static void test_cancel_refusals(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	long long mw, fx1, prov;
	char msg[160];
	struct hh h;

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	kv_move_within(&k, h.household, -2, ADDR_B);
	mw = save_ok(c, &k, NULL);
	approve(c, mw);
	fx1 = fix(c, h.head, "given_name", "太朗");
	approve(c, fx1);

	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", mw);
	snprintf(msg, sizeof msg, "宛名番号 %lld has changed again since change %lld", h.head, mw);
	save_refused(c, &k, msg);

	prov = fix(c, h.wife, "given_name", "華子");
	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", prov);
	save_refused(c, &k, "is not an approved change");

	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	save_refused(c, &k, "name the approved change to cancel");

	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", fx1);
	kv_add(&k, "p1.person=%lld", h.head);
	save_refused(c, &k, "names a change, not persons");

	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-02");
	kv_add(&k, "cancels=%lld", fx1);
	save_refused(c, &k, "after today");

	/* The latest change can be cancelled. */
	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", fx1);
	approve(c, save_ok(c, &k, NULL));
	assert_person(c, h.head, "given_name", "太郎");
	assert_person(c, h.head, "address", ADDR_B);
}

/* A 取消 is a change like others: the household keeps its one head, and
 * locks and alerts apply to the records it restores. */
static void test_cancel_keeps_household_rules(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char msg[160], sql[512];
	long long birth, id;
	struct hh h;

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	kv_birth(&k, h.household, -2, "三郎", "サブロウ");
	birth = save_ok(c, &k, NULL);
	approve(c, birth);

	/* Cancelling the 転入 would leave the baby alone without a head. */
	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", h.change);
	snprintf(msg, sizeof msg, "household %lld would be left without a 世帯主", h.household);
	save_refused(c, &k, msg);

	/* A blocking 抑止 on the baby blocks the 取消 of the birth. */
	snprintf(sql, sizeof sql,
	         "INSERT INTO suppressions (person_id, operation, mode, start_date, reason, set_by, "
	         "set_at) VALUES (%lld, 'change', 'error', '2026-01-01', '出生届の確認中', "
	         "'supervisor1', '2026-01-01T00:00:00Z')", person_id(c, "山田", "三郎"));
	tu_sql_exec(c, sql);
	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", birth);
	save_refused(c, &k, "出生届の確認中");
	tu_sql_exec(c, "UPDATE suppressions SET ended_at = '2026-04-01T00:00:00Z'");

	/* The birth cancelled first, then the 転入. */
	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", birth);
	approve(c, save_ok(c, &k, NULL));
	assert_person(c, person_id(c, "山田", "三郎"), "status", "removed");
	kv_add(&k, "type=cancel");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "cancels=%lld", h.change);
	id = save_ok(c, &k, NULL);
	approve(c, id);
	assert_person(c, h.head, "status", "removed");
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM persons WHERE status = 'resident'"), 0);
}

/* ---- edit locks ------------------------------------------------------------------ */

static void test_edit_locks(void **state)
{
	struct fx *f = *state;
	struct md_ctx *a = f->ctx, *b;
	struct kv k = { 0 };
	struct md_result res;
	struct md_error err;
	char arg[48], msg[160];
	struct hh h;

	make_household(a, "山田", "ヤマダ", ADDR_A, 0, &h);
	assert_int_equal(md_user_create(a, "clerk2", "窓口 二郎", "clerk", PW, NULL, NULL,
	                                "test", 0, 1, &err), MD_OK);
	b = tu_open(&f->cfg, f->db, MD_DB_TRAINING);
	login(b, "clerk2");

	snprintf(arg, sizeof arg, "person=%lld", h.head);
	md_result_init(&res);
	assert_int_equal(run(a, &res, &err, "edit.begin", arg, NULL), MD_OK);
	assert_non_null(strstr(res.message, "locked"));
	md_result_release(&res);
	/* Renewing one's own lock is fine. */
	assert_int_equal(run(a, NULL, &err, "edit.begin", arg, NULL), MD_OK);

	/* The other clerk can only view. */
	assert_int_equal(run(b, NULL, &err, "edit.begin", arg, NULL), MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "clerk1"));
	fix(a, h.wife, "note", "x");    /* a change on someone else is not blocked */
	{
		struct kv kk = { 0 };
		kv_add(&kk, "type=clerical_fix");
		kv_add(&kk, "event_date=2026-04-01");
		kv_add(&kk, "p1.person=%lld", h.head);
		kv_add(&kk, "p1.note=窓口2");
		snprintf(msg, sizeof msg, "person %lld is being edited by clerk1", h.head);
		save_refused(b, &kk, msg);
	}
	/* The lock owner's own save releases it. */
	fix(a, h.head, "note", "窓口1");
	assert_int_equal(tu_sql_int(a, "SELECT count(*) FROM edit_locks"), 0);
	fix(b, h.head, "note", "窓口2");

	/* Released on logout. */
	assert_int_equal(run(a, NULL, &err, "edit.begin", arg, NULL), MD_OK);
	{
		struct kv kk = { 0 };
		kv_add(&kk, "type=clerical_fix");
		kv_add(&kk, "event_date=2026-04-01");
		kv_add(&kk, "p1.person=%lld", h.head);
		kv_add(&kk, "p1.note=窓口2b");
		save_refused(b, &kk, "being edited by clerk1");
	}
	logout(a);
	assert_int_equal(tu_sql_int(a, "SELECT count(*) FROM edit_locks"), 0);
	fix(b, h.head, "note", "窓口2b");
	login(a, "clerk1");

	/* A household lock blocks a 転居 of that household. */
	snprintf(arg, sizeof arg, "household=%lld", h.household);
	assert_int_equal(run(a, NULL, &err, "edit.begin", arg, NULL), MD_OK);
	kv_move_within(&k, h.household, -1, ADDR_B);
	snprintf(msg, sizeof msg, "household %lld is being edited by clerk1", h.household);
	save_refused(b, &k, msg);
	/* edit.end releases it. */
	md_result_init(&res);
	assert_int_equal(run(a, &res, &err, "edit.end", arg, NULL), MD_OK);
	assert_non_null(strstr(res.message, "released"));
	md_result_release(&res);
	kv_move_within(&k, h.household, -1, ADDR_B);
	save_ok(b, &k, NULL);

	/* Only the owner's edit.end releases. */
	snprintf(arg, sizeof arg, "person=%lld", h.wife);
	assert_int_equal(run(a, NULL, &err, "edit.begin", arg, NULL), MD_OK);
	assert_int_equal(run(b, NULL, &err, "edit.end", arg, NULL), MD_OK);
	assert_int_equal(run(b, NULL, &err, "edit.begin", arg, NULL), MD_E_CONFLICT);
	/* A lock ends by itself after its time. */
	md_time_set(tu_day(0) + 31 * 60);
	assert_int_equal(run(b, NULL, &err, "edit.begin", arg, NULL), MD_OK);
	assert_int_equal(run(a, NULL, &err, "edit.begin", arg, NULL), MD_E_CONFLICT);
	assert_non_null(strstr(err.msg, "clerk2"));
	/* A member restating its 続柄 is locked too. */
	kv_add(&k, "type=death");
	kv_add(&k, "event_date=2026-03-31");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.role=member");
	kv_add(&k, "p2.relationship=世帯主");
	snprintf(msg, sizeof msg, "person %lld is being edited by clerk2", h.wife);
	save_refused(a, &k, msg);
	/* Bad arguments. */
	assert_int_equal(run(a, NULL, &err, "edit.begin", NULL), MD_E_INVALID);
	assert_int_equal(run(a, NULL, &err, "edit.begin", "person=abc", NULL), MD_E_INVALID);
	md_ctx_free(&b);
}

/* ---- 抑止 and 支援措置 ----------------------------------------------------------- */

static void test_suppression(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	char sql[512];
	long long id;
	struct hh h;

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	snprintf(sql, sizeof sql,
	         "INSERT INTO suppressions (person_id, operation, mode, start_date, reason, set_by, "
	         "set_at) VALUES (%lld, 'change', 'error', '2026-01-01', '家庭裁判所の照会中', "
	         "'supervisor1', '2026-01-01T00:00:00Z')", h.head);
	tu_sql_exec(c, sql);

	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.note=x");
	save_refused(c, &k, "家庭裁判所の照会中");
	/* Acknowledging does not lift a block. */
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.note=x");
	kv_add(&k, "ack=1");
	save_refused(c, &k, "抑止 (blocked)");
	/* A 転居 of the household touches the person too. */
	kv_move_within(&k, h.household, -1, ADDR_B);
	save_refused(c, &k, "家庭裁判所の照会中");

	/* An alert needs acknowledgement. */
	tu_sql_exec(c, "UPDATE suppressions SET mode = 'alert'");
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.note=x");
	save_refused(c, &k, "Acknowledge to continue");
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p1.note=x");
	kv_add(&k, "ack=1");
	md_result_init(&res);
	id = save_ok(c, &k, &res);
	assert_true(issue_has(&res.table, "warning", "抑止 (alert): 家庭裁判所の照会中"));
	md_result_release(&res);
	assert_true(id > 0);

	/* A suppression of another operation, a future one, an ended one: no effect. */
	tu_sql_exec(c, "UPDATE suppressions SET operation = 'certificate', mode = 'error'");
	fix(c, h.head, "note", "y");
	tu_sql_exec(c, "UPDATE suppressions SET operation = 'change', start_date = '2026-04-02'");
	fix(c, h.head, "note", "z");
	tu_sql_exec(c, "UPDATE suppressions SET start_date = '2026-01-01', end_date = '2026-03-31'");
	fix(c, h.head, "note", "w");
	tu_sql_exec(c, "UPDATE suppressions SET end_date = NULL, ended_at = '2026-03-01T00:00:00Z', "
	               "ended_by = 'supervisor1'");
	fix(c, h.head, "note", "v");

	/* On the household: every member is blocked. */
	snprintf(sql, sizeof sql,
	         "INSERT INTO suppressions (household_id, operation, mode, start_date, reason, set_by, "
	         "set_at) VALUES (%lld, 'change', 'error', '2026-01-01', '世帯の調査中', "
	         "'supervisor1', '2026-01-01T00:00:00Z')", h.household);
	tu_sql_exec(c, sql);
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.wife);
	kv_add(&k, "p1.note=x");
	save_refused(c, &k, "世帯の調査中");
	/* A temporary release (一時解除) lets it through until its time. */
	tu_sql_exec(c, "UPDATE suppressions SET released_until = '2026-04-01T04:00:00Z', "
	               "released_by = 'supervisor1' WHERE household_id IS NOT NULL");
	fix(c, h.wife, "note", "released");
	md_time_set(tu_day(0) + 2 * 3600);
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.wife);
	kv_add(&k, "p1.note=x");
	save_refused(c, &k, "世帯の調査中");
}

static void test_support_measure(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	char sql[512];
	long long id;
	struct hh h;

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	snprintf(sql, sizeof sql,
	         "INSERT INTO support_measures (person_id, status, start_date, end_date, set_by, set_at) "
	         "VALUES (%lld, 'active', '2025-10-01', '2026-09-30', 'supervisor1', "
	         "'2025-10-01T00:00:00Z')", h.wife);
	tu_sql_exec(c, sql);

	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.wife);
	kv_add(&k, "p1.note=x");
	save_refused(c, &k, "支援措置");
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.wife);
	kv_add(&k, "p1.note=x");
	save_refused(c, &k, "Acknowledge to continue");
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", h.wife);
	kv_add(&k, "p1.note=x");
	kv_add(&k, "ack=1");
	md_result_init(&res);
	id = save_ok(c, &k, &res);
	assert_true(issue_has(&res.table, "warning", "支援措置"));
	md_result_release(&res);
	/* Every attempt is recorded for supervisors: two refused, one saved. */
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM support_attempts WHERE person_id = %lld "
	                             "AND operation = 'change' AND outcome = 'refused' AND user_id = 'clerk1'",
	                          h.wife), 2);
	{
		char buf[160], want[160];
		sqlf_text(c, buf, sizeof buf, "SELECT outcome || '|' || detail FROM support_attempts "
		                              "WHERE person_id = %lld ORDER BY id DESC LIMIT 1", h.wife);
		snprintf(want, sizeof want, "saved after alert|change.save clerical_fix change=%lld", id);
		assert_string_equal(buf, want);
	}
	/* The head is not protected, but a change naming the wife as new head
	 * touches her record. */
	fix(c, h.head, "note", "x");
	kv_add(&k, "type=death");
	kv_add(&k, "event_date=2026-03-31");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.role=member");
	kv_add(&k, "p2.relationship=世帯主");
	save_refused(c, &k, "支援措置");
	kv_add(&k, "type=death");
	kv_add(&k, "event_date=2026-03-31");
	kv_add(&k, "p1.person=%lld", h.head);
	kv_add(&k, "p2.person=%lld", h.wife);
	kv_add(&k, "p2.role=member");
	kv_add(&k, "p2.relationship=世帯主");
	kv_add(&k, "ack=1");
	save_ok(c, &k, NULL);
	/* An ended measure no longer alerts, and nothing more is recorded. */
	tu_sql_exec(c, "UPDATE support_measures SET status = 'ended'");
	id = tu_sql_int(c, "SELECT count(*) FROM support_attempts");
	fix(c, h.wife, "note", "y");
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM support_attempts"), id);
}

/* ---- approval against a changed record ------------------------------------------- */

static void test_base_version_conflict(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct md_error err;
	char arg[32], msg[160], buf[64];
	long long first, second;
	struct hh h;

	make_household(c, "山田", "ヤマダ", ADDR_A, 0, &h);
	first = fix(c, h.head, "given_name", "太朗");
	second = fix(c, h.head, "given_name", "多郎");
	assert_int_equal(sqlf_int(c, "SELECT base_version FROM change_persons WHERE change_id = %lld",
	                          second), 1);
	approve(c, first);

	as(c, "supervisor1");
	snprintf(arg, sizeof arg, "id=%lld", second);
	assert_int_equal(run(c, NULL, &err, "change.approve", arg, NULL), MD_E_CONFLICT);
	snprintf(msg, sizeof msg, "宛名番号 %lld changed after change %lld was made", h.head, second);
	assert_non_null(strstr(err.msg, msg));
	sqlf_text(c, buf, sizeof buf, "SELECT status FROM changes WHERE id = %lld", second);
	assert_string_equal(buf, "provisional");
	assert_person(c, h.head, "given_name", "太朗");
	assert_person(c, h.head, "version", "2");
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM person_versions WHERE person_id = %lld",
	                          h.head), 2);
	/* Nothing of the failed approval was kept (one transaction). */
	assert_int_equal(tu_audit_count(c, "change.approve", "ok", NULL), 3);
	/* The way out: reject it. */
	assert_int_equal(run(c, NULL, &err, "change.reject", arg, "reason=record changed", NULL), MD_OK);
}

/* Two provisional 転入 with the same numbers: each is fine alone, only one can
 * become final. */
static void test_same_number_in_two_provisional_changes(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_error err;
	char mn[13], jc[12], arg[32], msg[160];
	long long first, second, third, holder;

	mynumber("19283746501", mn);
	juminhyo_code("7310492658", jc);
	kv_move_in(&k, -2, ADDR_A);
	kv_person(&k, 1, "世帯主", "岡田", "誠", "オカダ", "マコト", "1966-06-06", "男");
	kv_add(&k, "p1.mynumber=%s", mn);
	first = save_ok(c, &k, NULL);
	kv_move_in(&k, -2, ADDR_B);
	kv_person(&k, 1, "世帯主", "岡田", "誠司", "オカダ", "セイジ", "1967-07-07", "男");
	kv_add(&k, "p1.mynumber=%s", mn);
	second = save_ok(c, &k, NULL);
	kv_move_in(&k, -2, ADDR_C);
	kv_person(&k, 1, "世帯主", "岡田", "誠一", "オカダ", "セイイチ", "1968-08-08", "男");
	kv_add(&k, "p1.juminhyo_code=%s", jc);
	third = save_ok(c, &k, NULL);
	kv_move_in(&k, -2, ADDR_C);
	kv_person(&k, 1, "世帯主", "岡田", "誠三", "オカダ", "セイゾウ", "1969-09-09", "男");
	kv_add(&k, "p1.juminhyo_code=%s", jc);
	approve(c, save_ok(c, &k, NULL));
	approve(c, first);
	holder = person_id(c, "岡田", "誠");

	as(c, "supervisor1");
	snprintf(arg, sizeof arg, "id=%lld", second);
	assert_int_equal(run(c, NULL, &err, "change.approve", arg, NULL), MD_E_CONFLICT);
	snprintf(msg, sizeof msg, "個人番号 has been recorded for 宛名番号 %lld", holder);
	if (!strstr(err.msg, msg))
		print_error("%s\n", err.msg);
	assert_non_null(strstr(err.msg, msg));
	assert_null(strstr(err.msg, mn));
	assert_int_equal(person_id(c, "岡田", "誠司"), -1);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM households"), 2);
	snprintf(arg, sizeof arg, "id=%lld", third);
	assert_int_equal(run(c, NULL, &err, "change.approve", arg, NULL), MD_E_CONFLICT);
	snprintf(msg, sizeof msg, "住民票コード has been recorded for 宛名番号 %lld",
	         person_id(c, "岡田", "誠三"));
	assert_non_null(strstr(err.msg, msg));
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM changes WHERE id IN (%lld, %lld) AND "
	                             "status = 'provisional'", second, third), 2);
}

/* ---- audit and My Number ---------------------------------------------------------- */

static void test_audit_entries(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	char mn[13], mn2[13], buf[256], subj[24];
	long long id, head, wife;

	kv_move_in(&k, -5, ADDR_A);
	kv_person(&k, 1, "世帯主", "山田", "太郎", "ヤマダ", "タロウ", "1980-03-14", "男");
	kv_add(&k, "p1.mynumber=%s", mynumber("51937284601", mn));
	kv_person(&k, 2, "妻", "山田", "花子", "ヤマダ", "ハナコ", "1982-05-01", "女");
	id = save_ok(c, &k, NULL);
	assert_int_equal(tu_audit_count(c, "change.save", "ok", "new"), 2);
	tu_sql_text(c, "SELECT group_concat(user_id || ':' || action || ':' || mynumber, ',') FROM "
	               "(SELECT * FROM audit_log WHERE function = 'change.save' ORDER BY id)", buf, sizeof buf);
	assert_string_equal(buf, "clerk1:転入:1,clerk1:転入:0");
	sqlf_text(c, buf, sizeof buf, "SELECT detail FROM audit_log WHERE function = 'change.save' "
	                              "AND mynumber = 1");
	{
		char want[96];
		snprintf(want, sizeof want, "change=%lld type=move_in reason=in_domestic person=1", id);
		assert_string_equal(buf, want);
	}

	approve(c, id);
	head = person_id(c, "山田", "太郎");
	wife = person_id(c, "山田", "花子");
	snprintf(subj, sizeof subj, "%lld", head);
	assert_int_equal(tu_audit_count(c, "change.approve", "ok", subj), 1);
	assert_int_equal(sqlf_int(c, "SELECT mynumber FROM audit_log WHERE function = 'change.approve' "
	                             "AND subject = '%lld'", head), 1);
	assert_int_equal(sqlf_int(c, "SELECT mynumber FROM audit_log WHERE function = 'change.approve' "
	                             "AND subject = '%lld'", wife), 0);
	sqlf_text(c, buf, sizeof buf, "SELECT user_id || '|' || action || '|' || detail FROM audit_log "
	                              "WHERE function = 'change.approve' AND subject = '%lld'", wife);
	{
		char want[128];
		snprintf(want, sizeof want, "supervisor1|change %lld|type=move_in reason=in_domestic version=1", id);
		assert_string_equal(buf, want);
	}

	/* A change on an existing person names its 宛名番号. */
	fix(c, wife, "note", "x");
	snprintf(subj, sizeof subj, "%lld", wife);
	assert_int_equal(tu_audit_count(c, "change.save", "ok", subj), 1);
	assert_int_equal(sqlf_int(c, "SELECT mynumber FROM audit_log WHERE function = 'change.save' "
	                             "AND subject = '%lld'", wife), 0);
	/* Entering a My Number is flagged. */
	kv_add(&k, "type=ex_officio_fix");
	kv_add(&k, "reason=mynumber_entry");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", wife);
	kv_add(&k, "p1.mynumber=%s", mynumber("84027365190", mn2));
	id = save_ok(c, &k, NULL);
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM audit_log WHERE function = 'change.save' "
	                             "AND subject = '%lld' AND mynumber = 1", wife), 1);
	approve(c, id);
	assert_int_equal(sqlf_int(c, "SELECT count(*) FROM audit_log WHERE function = 'change.approve' "
	                             "AND subject = '%lld' AND mynumber = 1", wife), 1);
	assert_int_equal(sqlf_int(c, "SELECT mynumber_idx IS NOT NULL FROM persons WHERE id = %lld", wife), 1);
	/* The audit chain still verifies. */
	as(c, "auditor1");
	{
		struct md_error err;
		assert_int_equal(run(c, NULL, &err, "audit.verify", NULL), MD_OK);
	}
}

static int file_contains(const char *path, const char *needle)
{
	size_t len = 0, nl = strlen(needle);
	char *buf = tu_read(path, &len);
	int found = 0;
	if (!buf)
		return 0;
	for (size_t i = 0; i + nl <= len && !found; i++)
		found = memcmp(buf + i, needle, nl) == 0;
	free(buf);
	return found;
}

static void assert_nowhere(struct fx *f, const char *number)
{
	char *wal = malloc(strlen(f->db) + 8);
	sprintf(wal, "%s-wal", f->db);
	if (file_contains(f->db, number) || file_contains(wal, number))
		print_error("%s found in the database files\n", number);
	assert_false(file_contains(f->db, number));
	assert_false(file_contains(wal, number));
	free(wal);
	assert_int_equal(sqlf_int(f->ctx, "SELECT count(*) FROM audit_log WHERE instr(coalesce(detail, '') "
	                                  "|| coalesce(subject, '') || action || function, '%s') > 0",
	                          number), 0);
}

static void test_mynumber_never_clear(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;
	struct kv k = { 0 };
	struct md_result res;
	struct md_error err;
	char mn[13], mn2[13], bad[13], arg[32], masked[32];
	long long id, wife;

	/* Control: the search does find what is there. */
	assert_true(file_contains(f->db, "clerk1") || file_contains(f->db, "supervisor1"));

	kv_move_in(&k, -5, ADDR_A);
	kv_person(&k, 1, "世帯主", "山田", "太郎", "ヤマダ", "タロウ", "1980-03-14", "男");
	kv_add(&k, "p1.mynumber=%s", mynumber("39572016485", mn));
	kv_person(&k, 2, "妻", "山田", "花子", "ヤマダ", "ハナコ", "1982-05-01", "女");
	id = save_ok(c, &k, NULL);
	assert_nowhere(f, mn);
	/* A refused number is not stored either. */
	kv_move_in(&k, -5, ADDR_B);
	kv_person(&k, 1, "世帯主", "森", "一", "モリ", "ハジメ", "1960-01-01", "男");
	kv_add(&k, "p1.mynumber=%s", bad_mynumber("48201957364", bad));
	save_refused(c, &k, "check digit");
	assert_nowhere(f, bad);

	approve(c, id);
	assert_nowhere(f, mn);
	wife = person_id(c, "山田", "花子");
	kv_add(&k, "type=ex_officio_fix");
	kv_add(&k, "reason=mynumber_entry");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "p1.person=%lld", wife);
	kv_add(&k, "p1.mynumber=%s", mynumber("62840173958", mn2));
	id = save_ok(c, &k, NULL);
	assert_nowhere(f, mn2);

	/* The review shows it masked. */
	as(c, "supervisor1");
	snprintf(arg, sizeof arg, "id=%lld", id);
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.show", arg, NULL), MD_OK);
	snprintf(masked, sizeof masked, "**** **** %s", mn2 + 8);
	assert_true(table_has(&res.table, masked));
	assert_false(table_has(&res.table, mn2));
	md_result_release(&res);
	md_result_init(&res);
	assert_int_equal(run(c, &res, &err, "change.approve", arg, NULL), MD_OK);
	md_result_release(&res);
	assert_nowhere(f, mn2);
	assert_nowhere(f, mn);

	/* Also once everything is checkpointed into the main file. */
	md_ctx_free(&f->ctx);
	assert_false(file_contains(f->db, mn));
	assert_false(file_contains(f->db, mn2));
	assert_false(file_contains(f->db, bad));
	f->ctx = tu_open(&f->cfg, f->db, MD_DB_TRAINING);
	/* Sealed, not lost: both persons have a sealed number and an index. */
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM persons WHERE mynumber_enc IS NOT NULL "
	                                    "AND mynumber_idx IS NOT NULL"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_in_provisional_then_final, setup, teardown),
		cmocka_unit_test_setup_teardown(test_self_approval_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reject_with_reason, setup, teardown),
		cmocka_unit_test_setup_teardown(test_withdraw_by_maker_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edit_own_provisional, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_and_notification_dates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fourteen_day_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_in_needs_one_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_in_mynumber_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_resident, setup, teardown),
		cmocka_unit_test_setup_teardown(test_removed_record_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_returning_person_warning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_in_joining_household, setup, teardown),
		cmocka_unit_test_setup_teardown(test_birth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_within, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_out_planned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_out_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_death_of_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_household_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_household_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_head_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clerical_fix_keeps_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_move_in, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_move_within, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_keeps_household_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edit_locks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suppression, setup, teardown),
		cmocka_unit_test_setup_teardown(test_support_measure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_base_version_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_number_in_two_provisional_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mynumber_never_clear, setup, teardown),
	};
	return cmocka_run_group_tests_name("change", tests, group_setup, NULL);
}
