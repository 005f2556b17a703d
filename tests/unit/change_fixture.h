/* change_fixture.h: helpers and fixtures shared by the change tests
 * (test_change.c, test_change_household.c). */
#ifndef MD_CHANGE_FIXTURE_H
#define MD_CHANGE_FIXTURE_H

/* The rules of changes (registry.md §4, §5) are driven through the command
 * table on a training database: clerk1 makes changes, supervisor1 approves
 * them. The clock is fixed at 2026-04-01 12:00 in Tokyo (tu_day(0)); dates
 * are compared with the local date. */

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

static inline int mod11(const char *d, int n)
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

static inline void kv_add(struct kv *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void kv_add(struct kv *k, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	assert_true(k->n < 512);
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	k->s[k->n++] = strdup(buf);
}

static inline void kv_free(struct kv *k)
{
	for (int i = 0; i < k->n; i++)
		free(k->s[i]);
	k->n = 0;
}

/* Runs a command with "key=value" items. res may be NULL. */
static inline int exec_kv(struct md_ctx *c, const char *cmd, const struct kv *k, struct md_result *res,
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
static inline int run(struct md_ctx *c, struct md_result *res, struct md_error *err, const char *cmd, ...)
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

static inline void login(struct md_ctx *c, const char *user)
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

static inline void logout(struct md_ctx *c)
{
	struct md_error err;
	assert_int_equal(run(c, NULL, &err, "logout", NULL), MD_OK);
	assert_null(c->session);
}

static inline void as(struct md_ctx *c, const char *user)
{
	if (c->session)
		logout(c);
	login(c, user);
}

/* ---- looking at results ----------------------------------------------------- */

static inline int table_has(const struct md_table *t, const char *needle)
{
	for (int r = 0; r < t->nrows; r++)
		for (int c = 0; c < t->ncols; c++)
			if (t->rows[r][c] && strstr(t->rows[r][c], needle))
				return 1;
	return 0;
}

/* A row of an issue table (person, field, level, message) at that level whose
 * message contains needle. */
static inline int issue_has(const struct md_table *t, const char *level, const char *needle)
{
	if (t->ncols != 4)
		return 0;
	for (int r = 0; r < t->nrows; r++)
		if (strcmp(t->rows[r][2], level) == 0 && strstr(t->rows[r][3], needle))
			return 1;
	return 0;
}

static inline void dump_table(const struct md_table *t)
{
	for (int r = 0; r < t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++)
			print_message("%s%s", c ? " | " : "# ", t->rows[r][c]);
		print_message("\n");
	}
}

static inline int issue_errors(const struct md_table *t)
{
	int n = 0;
	if (t->ncols != 4)
		return 0;
	for (int r = 0; r < t->nrows; r++)
		n += strcmp(t->rows[r][2], "error") == 0;
	return n;
}

/* A column of persons for one person. */
static inline void person_col(struct md_ctx *c, long long id, const char *col, char *buf, size_t n)
{
	tu_sqlf_text(c, buf, n, "SELECT %s FROM persons WHERE id = %lld", col, id);
}

static inline void assert_person(struct md_ctx *c, long long id, const char *col, const char *want)
{
	char buf[512];
	person_col(c, id, col, buf, sizeof buf);
	if (strcmp(buf, want) != 0)
		print_error("person %lld %s = \"%s\", want \"%s\"\n", id, col, buf, want);
	assert_string_equal(buf, want);
}

static inline long long changes_count(struct md_ctx *c)
{
	return tu_sql_int(c, "SELECT count(*) FROM changes");
}

/* ---- building changes ----------------------------------------------------- */

static inline void kv_person(struct kv *k, int i, const char *rel, const char *sur, const char *given,
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
static inline void kv_move_in(struct kv *k, int days, const char *address)
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
static inline long long save_ok(struct md_ctx *c, struct kv *k, struct md_result *res)
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
static inline void save_refused(struct md_ctx *c, struct kv *k, const char *needle)
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
static inline void check(struct md_ctx *c, struct kv *k, struct md_result *res)
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
static inline void approve_as(struct md_ctx *c, long long id, const char *approver)
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

static inline void approve(struct md_ctx *c, long long id)
{
	approve_as(c, id, "supervisor1");
}

static inline long long person_id(struct md_ctx *c, const char *surname, const char *given)
{
	return tu_sqlf_int(c, "SELECT id FROM persons WHERE surname = '%s' AND given_name = '%s'", surname,
	                given);
}

struct hh {
	long long change, household, head, wife, child;
};

/* A household moved in and approved: head, wife and (optionally) a child, at
 * address. Surnames tell households apart. */
static inline void make_household(struct md_ctx *c, const char *sur, const char *ksur, const char *address,
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
	h->household = tu_sqlf_int(c, "SELECT household_id FROM persons WHERE id = %lld", h->head);
	assert_true(h->head > 0 && h->wife > 0 && h->household > 0);
	assert_true(!child || h->child > 0);
}

/* ---- fixtures ---------------------------------------------------------------- */

static inline int group_setup(void **state)
{
	(void)state;
	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	return 0;
}

static inline int setup(void **state)
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

static inline int teardown(void **state)
{
	struct fx *f = *state;
	md_ctx_free(&f->ctx);
	tu_rmdir(f->dir);
	free(f->db);
	free(f);
	md_time_set(0);
	return 0;
}


/* ---- helpers shared by the change tests ---- */

static inline void kv_single(struct kv *k, const char *sur, const char *ksur, const char *given,
                      const char *kgiven)
{
	kv_move_in(k, -3, ADDR_B);
	kv_person(k, 1, "世帯主", sur, given, ksur, kgiven, "1975-01-20", "女");
}

static inline long long late_of(struct md_ctx *c, long long id)
{
	return tu_sqlf_int(c, "SELECT late FROM changes WHERE id = %lld", id);
}

static inline void kv_foreigner(struct kv *k)
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

/* The wife of h moves out on a past date: her record becomes a 除票. */
static inline void remove_wife(struct md_ctx *c, struct hh *h)
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

static inline void kv_birth(struct kv *k, long long household, int days, const char *given,
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

static inline void kv_move_within(struct kv *k, long long household, int days, const char *address)
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

static inline void kv_move_out(struct kv *k, int days)
{
	char d[11];
	tu_date(days, d);
	kv_add(k, "type=move_out");
	kv_add(k, "event_date=%s", d);
}

static inline void kv_type(struct kv *k, const char *type, int days)
{
	char d[11];
	tu_date(days, d);
	kv_add(k, "type=%s", type);
	kv_add(k, "event_date=%s", d);
}

static inline long long fix(struct md_ctx *c, long long person, const char *col, const char *value)
{
	struct kv k = { 0 };
	kv_add(&k, "type=clerical_fix");
	kv_add(&k, "event_date=2026-04-01");
	kv_add(&k, "memo=届書の誤読");
	kv_add(&k, "p1.person=%lld", person);
	kv_add(&k, "p1.%s=%s", col, value);
	return save_ok(c, &k, NULL);
}

static inline int file_contains(const char *path, const char *needle)
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

static inline void assert_nowhere(struct fx *f, const char *number)
{
	char *wal = malloc(strlen(f->db) + 8);
	sprintf(wal, "%s-wal", f->db);
	if (file_contains(f->db, number) || file_contains(wal, number))
		print_error("%s found in the database files\n", number);
	assert_false(file_contains(f->db, number));
	assert_false(file_contains(wal, number));
	free(wal);
	assert_int_equal(tu_sqlf_int(f->ctx, "SELECT count(*) FROM audit_log WHERE instr(coalesce(detail, '') "
	                                  "|| coalesce(subject, '') || action || function, '%s') > 0",
	                          number), 0);
}

#endif
