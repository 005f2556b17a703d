/* test_useradmin.c: user administration through the command table: accounts
 * and resets with generated passwords, temporary and future grants, what a
 * revoked or disabled account can still do, the last administrator, the
 * revocation register and the access review, and their audit entries. */
#include "config.h"

#define TU_WITH_DB
#include "testutil.h"

#include <ctype.h>

#include "account.h"
#include "cmd.h"
#include "ctx.h"
#include "error.h"
#include "result.h"
#include "settings.h"
#include "timeutil.h"
#include "useradmin.h"

#define PW1 "Madoguchi-01"
#define PW2 "Madoguchi-02"

struct fx {
	char *dir;
	char *db;
	struct md_settings cfg;
	struct md_ctx *ctx;   /* TU_ADMIN logged in */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct md_error err;

	if (!f || !(f->dir = tu_tmpdir()))
		return -1;
	setenv("TZ", "UTC", 1);
	tzset();
	md_time_set(tu_day(0));
	md_settings_defaults(&f->cfg);
	f->db = tu_create_db(f->dir, "t.db", &f->cfg, MD_DB_PRODUCTION);
	f->ctx = tu_open(&f->cfg, f->db, MD_DB_PRODUCTION);
	if (md_auth_login(f->ctx, TU_ADMIN, TU_ADMIN_PW, &err) != MD_OK) {
		print_error("admin login: %s\n", err.msg);
		return -1;
	}
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

/* Runs a command with key/value pairs ending in NULL; res is released
 * unless the caller passes one to keep. */
static int run(struct md_ctx *c, struct md_result *keep, struct md_error *err, const char *name, ...)
{
	struct md_args a;
	struct md_result res;
	va_list ap;
	const char *k;
	int rc;

	md_args_init(&a);
	va_start(ap, name);
	while ((k = va_arg(ap, const char *)) != NULL)
		md_args_set(&a, k, va_arg(ap, const char *));
	va_end(ap);
	md_result_init(&res);
	rc = md_cmd_exec(c, name, &a, &res, err);
	if (keep)
		*keep = res;
	else
		md_result_release(&res);
	return rc;
}

#define MUST(c, ...) \
	do { \
		struct md_error e_; \
		int rc_ = run((c), NULL, &e_, __VA_ARGS__, NULL); \
		if (rc_ != MD_OK) \
			print_error("%s\n", e_.msg); \
		assert_int_equal(rc_, MD_OK); \
	} while (0)

static struct md_ctx *as_user(struct fx *f, const char *id, const char *pw, int want)
{
	struct md_ctx *c = tu_open(&f->cfg, f->db, MD_DB_PRODUCTION);
	struct md_error err;
	int rc = md_auth_login(c, id, pw, &err);
	if (rc != want)
		print_error("login %s: %d %s\n", id, rc, err.msg);
	assert_int_equal(rc, want);
	return c;
}

/* Creates id with a known password that need not be changed. */
static void mkuser(struct fx *f, const char *id, const char *role)
{
	struct md_error err;
	int rc = md_user_create(f->ctx, id, NULL, role, PW1, NULL, NULL, "test account", 0, 0, &err);
	if (rc != MD_OK)
		print_error("create %s: %s\n", id, err.msg);
	assert_int_equal(rc, MD_OK);
}

/* The temporary password out of the result's first line. */
static void password_of(const struct md_result *res, char *out, size_t n)
{
	const char *colon;
	assert_true(res->nlines >= 1);
	colon = strrchr(res->lines[0], ' ');
	assert_non_null(colon);
	snprintf(out, n, "%s", colon + 1);
}

static long long audit_with(struct md_ctx *c, const char *fn, const char *detail_like)
{
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE function = '%s' AND "
	         "detail LIKE '%%%s%%'", fn, detail_like);
	return tu_sql_int(c, sql);
}

static void test_generated_password(void **state)
{
	struct fx *f = *state;
	char a[MD_TEMP_PASSWORD_MAX], b[MD_TEMP_PASSWORD_MAX], small[8];
	struct md_error err;

	for (int i = 0; i < 50; i++) {
		int kinds[4] = { 0, 0, 0, 0 };
		assert_int_equal(md_temp_password_make(f->ctx, "ab", a, sizeof a, &err), MD_OK);
		assert_int_equal(strlen(a), 12);
		for (const char *p = a; *p; p++)
			kinds[islower((unsigned char)*p) ? 0 : isupper((unsigned char)*p) ? 1
			      : isdigit((unsigned char)*p) ? 2 : 3] = 1;
		assert_int_equal(kinds[0] + kinds[1] + kinds[2] + kinds[3], 4);
		assert_null(strcasestr(a, "ab"));
		assert_null(strpbrk(a, "0O1lI"));
		assert_int_equal(md_password_policy(f->ctx, "ab", a, &err), MD_OK);
	}
	assert_int_equal(md_temp_password_make(f->ctx, "ab", b, sizeof b, &err), MD_OK);
	assert_string_not_equal(a, b);
	/* A longer minimum in the settings makes longer passwords. */
	f->ctx->cfg.password_min_length = 20;
	assert_int_equal(md_temp_password_make(f->ctx, NULL, a, sizeof a, &err), MD_OK);
	assert_int_equal(strlen(a), 20);
	assert_int_equal(md_temp_password_make(f->ctx, NULL, small, sizeof small, &err), MD_E_INVALID);
}

static void test_create_with_temporary_password(void **state)
{
	struct fx *f = *state;
	struct md_result res;
	struct md_error err;
	struct md_ctx *u;
	char pw[MD_TEMP_PASSWORD_MAX], sql[256];

	/* The reason is required; the field is named. */
	assert_int_equal(run(f->ctx, NULL, &err, "user.create", "id", "kondo", "role", "clerk", NULL),
	                 MD_E_INVALID);
	assert_string_equal(err.field, "reason");
	assert_int_equal(run(f->ctx, NULL, &err, "user.create", "id", "kondo", "role", "clerk",
	                     "reason", "配属", "to", "2026-13-01", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "to");
	assert_int_equal(run(f->ctx, NULL, &err, "user.create", "id", "Kondo", "role", "clerk",
	                     "reason", "配属", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "id");
	assert_int_equal(run(f->ctx, NULL, &err, "user.create", "id", "kondo", "role", "chief",
	                     "reason", "配属", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "role");
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM users WHERE id = 'kondo'"), 0);

	assert_int_equal(run(f->ctx, &res, &err, "user.create", "id", "kondo", "name", "近藤 勇",
	                     "role", "clerk", "reason", "4月1日付け配属", NULL), MD_OK);
	password_of(&res, pw, sizeof pw);
	assert_non_null(strstr(res.lines[1], "only this once"));
	assert_non_null(strstr(res.lines[2], "must be changed"));
	md_result_release(&res);
	/* The password works once and must be changed. */
	u = as_user(f, "kondo", pw, MD_E_EXPIRED);
	assert_int_equal(u->session->must_change, 1);
	md_ctx_free(&u);
	/* Audited with the reason, never with the password. */
	assert_int_equal(audit_with(f->ctx, "user.add", "4月1日付け配属"), 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE detail LIKE '%%%s%%' "
	         "OR action LIKE '%%%s%%'", pw, pw);
	assert_int_equal(tu_sql_int(f->ctx, sql), 0);
	assert_int_equal(run(f->ctx, NULL, &err, "user.create", "id", "kondo", "role", "clerk",
	                     "reason", "again", NULL), MD_E_CONFLICT);
}

static void test_temporary_password_reset(void **state)
{
	struct fx *f = *state;
	struct md_result res;
	struct md_error err;
	struct md_ctx *u;
	char pw[MD_TEMP_PASSWORD_MAX];

	mkuser(f, "sato", "clerk");
	assert_int_equal(run(f->ctx, NULL, &err, "user.temp-password", "id", "sato", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "reason");
	assert_int_equal(run(f->ctx, NULL, &err, "user.temp-password", "id", "nobody", "reason", "x",
	                     NULL), MD_E_NOTFOUND);
	assert_int_equal(run(f->ctx, &res, &err, "user.temp-password", "id", "sato", "reason",
	                     "パスワード失念の申出", NULL), MD_OK);
	password_of(&res, pw, sizeof pw);
	md_result_release(&res);
	u = as_user(f, "sato", PW1, MD_E_AUTH);
	md_ctx_free(&u);
	u = as_user(f, "sato", pw, MD_E_EXPIRED);
	/* Nothing but the password change until it is done. */
	assert_int_equal(run(u, NULL, &err, "change.mine", NULL), MD_E_EXPIRED);
	assert_int_equal(run(u, NULL, &err, "passwd", "current", pw, "password", PW2, NULL), MD_OK);
	assert_int_equal(run(u, NULL, &err, "change.mine", NULL), MD_OK);
	md_ctx_free(&u);
	assert_int_equal(audit_with(f->ctx, "user.reset-password", "パスワード失念の申出"), 1);
	/* Not for oneself. */
	assert_int_equal(run(f->ctx, NULL, &err, "user.temp-password", "id", TU_ADMIN, "reason", "x",
	                     NULL), MD_E_INVALID);
}

static void test_revoked_user_refused(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;

	mkuser(f, "ueda", "clerk");
	u = as_user(f, "ueda", PW1, MD_OK);
	assert_int_equal(run(u, NULL, &err, "change.mine", NULL), MD_OK);
	MUST(f->ctx, "user.revoke", "id", "ueda", "what", "clerk", "reason", "異動");
	/* The open session can no longer run the command. */
	assert_int_equal(run(u, NULL, &err, "change.mine", NULL), MD_E_DENIED);
	/* Nor log in again: nothing is in effect. */
	assert_int_equal(md_auth_login(u, "ueda", PW1, &err), MD_E_DISABLED);
	assert_null(u->session);
	assert_non_null(strstr(err.msg, "no role or permission in effect"));
	/* The wrong password still gets the answer an unknown user gets. */
	assert_int_equal(md_auth_login(u, "ueda", PW2, &err), MD_E_AUTH);
	assert_string_equal(err.msg, "wrong user ID or password");
	assert_int_equal(tu_audit_count(f->ctx, "login", "failed", "ueda"), 2);
	md_ctx_free(&u);
	/* The list says why. */
	{
		struct md_result res;
		int seen = 0;
		assert_int_equal(run(f->ctx, &res, &err, "user.list", NULL), MD_OK);
		for (int r = 0; r < res.table.nrows; r++)
			if (strcmp(res.table.rows[r][0], "ueda") == 0) {
				assert_string_equal(res.table.rows[r][3], "no role in effect");
				seen = 1;
			}
		assert_true(seen);
		md_result_release(&res);
	}
}

static void test_disabled_session_refused(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;

	mkuser(f, "mori", "clerk");
	u = as_user(f, "mori", PW1, MD_OK);
	MUST(f->ctx, "user.disable", "id", "mori", "reason", "退職");
	/* Even commands that need no permission are refused; logout is not. */
	assert_int_equal(run(u, NULL, &err, "passwd", "current", PW1, "password", PW2, NULL),
	                 MD_E_DISABLED);
	assert_int_equal(run(u, NULL, &err, "change.mine", NULL), MD_E_DISABLED);
	assert_false(md_cmd_allowed(u, "passwd"));
	assert_int_equal(run(u, NULL, &err, "logout", NULL), MD_OK);
	assert_int_equal(md_auth_login(u, "mori", PW1, &err), MD_E_DISABLED);
	md_ctx_free(&u);
}

static void test_future_and_temporary_grants(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;
	char d1[11], d2[11];

	tu_date(1, d1);
	tu_date(2, d2);
	mkuser(f, "ito", "clerk");
	/* A temporary grant needs its last day. */
	assert_int_equal(run(f->ctx, NULL, &err, "user.grant-temporary", "id", "ito", "what",
	                     "honseki.view", "reason", "決算期", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "to");
	MUST(f->ctx, "user.grant-temporary", "id", "ito", "what", "honseki.view", "to", d1, "reason",
	     "決算期");
	MUST(f->ctx, "user.grant", "id", "ito", "what", "supervisor", "from", d2, "reason", "昇任予定");
	u = as_user(f, "ito", PW1, MD_OK);
	assert_true(md_auth_can(u, "honseki.view"));
	assert_false(md_auth_can(u, "change.approve"));   /* not yet */
	md_time_set(tu_day(1));
	assert_true(md_auth_can(u, "honseki.view"));      /* the last day counts */
	assert_false(md_auth_can(u, "change.approve"));
	md_time_set(tu_day(2));
	assert_false(md_auth_can(u, "honseki.view"));     /* ended by itself */
	assert_true(md_auth_can(u, "change.approve"));    /* now in effect */
	md_ctx_free(&u);
	assert_int_equal(audit_with(f->ctx, "user.grant", "決算期"), 1);

	/* An account whose only grant starts later cannot log in yet. */
	{
		struct md_error e2;
		assert_int_equal(md_user_create(f->ctx, "kubo", NULL, "clerk", PW1, NULL, NULL, "x", 0, 0,
		                                &e2), MD_OK);
		MUST(f->ctx, "user.revoke", "id", "kubo", "what", "clerk", "reason", "誤登録");
		tu_date(5, d1);
		MUST(f->ctx, "user.grant", "id", "kubo", "what", "clerk", "from", d1, "reason", "配属予定");
		u = as_user(f, "kubo", PW1, MD_E_DISABLED);
		md_ctx_free(&u);
		md_time_set(tu_day(5));
		u = as_user(f, "kubo", PW1, MD_OK);
		md_ctx_free(&u);
	}
}

static void test_last_administrator(void **state)
{
	struct fx *f = *state;
	struct md_ctx *a2;
	struct md_error err;

	/* Alone: the last administrator is told so. */
	assert_int_equal(run(f->ctx, NULL, &err, "user.revoke", "id", TU_ADMIN, "what", "admin",
	                     "reason", "x", NULL), MD_E_INVALID);
	assert_non_null(strstr(err.msg, "last administrator"));
	assert_int_equal(run(f->ctx, NULL, &err, "user.revoke", "id", TU_ADMIN, "what", "user.manage",
	                     "reason", "x", NULL), MD_E_INVALID);
	assert_non_null(strstr(err.msg, "last administrator"));
	/* With a second one: still not oneself, another administrator must. */
	mkuser(f, "kanri2", "admin");
	assert_int_equal(run(f->ctx, NULL, &err, "user.revoke", "id", TU_ADMIN, "what", "admin",
	                     "reason", "x", NULL), MD_E_INVALID);
	assert_non_null(strstr(err.msg, "another administrator must"));
	a2 = as_user(f, "kanri2", PW1, MD_OK);
	MUST(a2, "user.revoke", "id", TU_ADMIN, "what", "admin", "reason", "担当替え");
	/* Now kanri2 is the last one: the admin role of kanri2 cannot go. */
	assert_int_equal(run(a2, NULL, &err, "user.revoke", "id", "kanri2", "what", "admin",
	                     "reason", "x", NULL), MD_E_INVALID);
	assert_non_null(strstr(err.msg, "last administrator"));
	assert_int_equal(tu_sql_int(a2, "SELECT count(*) FROM grants WHERE user_id = 'kanri2' "
	                                "AND revoked_at IS NULL"), 1);
	md_ctx_free(&a2);
}

static void test_admin_actions_audited_with_reason(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;

	mkuser(f, "abe", "clerk");
	for (int i = 0; i < 5; i++) {
		u = tu_open(&f->cfg, f->db, MD_DB_PRODUCTION);
		md_auth_login(u, "abe", "Wrong-pass-9", &err);
		md_ctx_free(&u);
	}
	MUST(f->ctx, "user.unlock", "id", "abe", "reason", "本人確認のうえ解除");
	MUST(f->ctx, "user.terminals", "id", "abe", "terminals", "本庁1", "reason", "窓口専用");
	MUST(f->ctx, "user.grant", "id", "abe", "what", "cert.void", "reason", "証明書担当");
	MUST(f->ctx, "user.revoke", "id", "abe", "what", "cert.void", "reason", "担当終了");
	MUST(f->ctx, "user.disable", "id", "abe", "reason", "退職");
	assert_int_equal(audit_with(f->ctx, "user.unlock", "本人確認のうえ解除"), 1);
	assert_int_equal(audit_with(f->ctx, "user.terminals", "窓口専用"), 1);
	assert_int_equal(audit_with(f->ctx, "user.terminals", "terminals=本庁1"), 1);
	assert_int_equal(audit_with(f->ctx, "user.grant", "証明書担当"), 1);
	assert_int_equal(audit_with(f->ctx, "user.revoke", "担当終了"), 1);
	assert_int_equal(audit_with(f->ctx, "user.disable", "退職"), 1);
}

static const char *cell(const struct md_table *t, int r, const char *col)
{
	for (int c = 0; c < t->ncols; c++)
		if (strcmp(t->cols[c], col) == 0)
			return t->rows[r][c];
	fail_msg("no column %s", col);
	return NULL;
}

static void test_revocation_register(void **state)
{
	struct fx *f = *state;
	struct md_result res;
	struct md_error err;
	char d1[11], d3[11];

	tu_date(1, d1);
	tu_date(3, d3);
	mkuser(f, "ueda", "clerk");
	mkuser(f, "mori", "clerk");
	MUST(f->ctx, "user.grant-temporary", "id", "ueda", "what", "report.view", "to", d1, "reason",
	     "月報作成");
	md_time_set(tu_day(2));
	MUST(f->ctx, "user.revoke", "id", "ueda", "what", "clerk", "reason", "税務課へ異動");
	md_time_set(tu_day(3));
	MUST(f->ctx, "user.disable", "id", "mori", "reason", "退職");

	assert_int_equal(run(f->ctx, &res, &err, "user.revocations", NULL), MD_OK);
	/* Newest first: mori's account and its role, ueda's revocation, the ended grant. */
	assert_int_equal(res.table.nrows, 4);
	assert_string_equal(cell(&res.table, 0, "user"), "mori");
	assert_string_equal(cell(&res.table, 0, "by"), TU_ADMIN);
	assert_string_equal(cell(&res.table, 0, "reason"), "退職");
	assert_string_equal(cell(&res.table, 2, "user"), "ueda");
	assert_string_equal(cell(&res.table, 2, "event"), "role revoked");
	assert_string_equal(cell(&res.table, 2, "what"), "clerk");
	assert_string_equal(cell(&res.table, 2, "reason"), "税務課へ異動");
	assert_string_equal(cell(&res.table, 3, "event"), "period ended");
	assert_string_equal(cell(&res.table, 3, "what"), "report.view");
	assert_string_equal(cell(&res.table, 3, "date"), d1);
	assert_non_null(strstr(res.message, "4"));
	md_result_release(&res);

	/* Within dates. */
	assert_int_equal(run(f->ctx, &res, &err, "user.revocations", "from", d3, NULL), MD_OK);
	assert_int_equal(res.table.nrows, 2);
	md_result_release(&res);
	assert_int_equal(run(f->ctx, &res, &err, "user.revocations", "to", d1, NULL), MD_OK);
	assert_int_equal(res.table.nrows, 1);
	md_result_release(&res);
	assert_int_equal(run(f->ctx, NULL, &err, "user.revocations", "from", "2026-02-30", NULL),
	                 MD_E_INVALID);
	assert_string_equal(err.field, "from");
	assert_int_equal(run(f->ctx, NULL, &err, "user.revocations", "from", d3, "to", d1, NULL),
	                 MD_E_INVALID);
	assert_string_equal(err.field, "to");
	/* Reading it is audited. */
	assert_int_equal(tu_audit_count(f->ctx, "user.revocations", "ok", NULL), 3);
	assert_int_equal(audit_with(f->ctx, "user.revocations", "entries=4"), 1);
	/* Not for a clerk. */
	mkuser(f, "sato", "clerk");
	{
		struct md_ctx *u = as_user(f, "sato", PW1, MD_OK);
		assert_int_equal(run(u, NULL, &err, "user.revocations", NULL), MD_E_DENIED);
		md_ctx_free(&u);
	}
}

static void test_access_review(void **state)
{
	struct fx *f = *state;
	struct md_result res;
	struct md_error err;
	struct md_ctx *u;
	int found = 0;

	mkuser(f, "busy", "clerk");
	mkuser(f, "idle", "clerk");
	mkuser(f, "gone", "clerk");
	MUST(f->ctx, "user.grant", "id", "busy", "what", "report.view", "reason", "統計担当");
	MUST(f->ctx, "user.disable", "id", "gone", "reason", "退職");
	md_time_set(tu_day(100));
	u = as_user(f, "busy", PW1, MD_OK);
	md_ctx_free(&u);
	md_auth_login(f->ctx, TU_ADMIN, TU_ADMIN_PW, &err);
	f->ctx->cfg.dormant_days = 90;

	assert_int_equal(run(f->ctx, &res, &err, "user.review", NULL), MD_OK);
	/* admin (1 grant), busy (2), gone (none left: one row), idle (1). */
	assert_int_equal(res.table.nrows, 5);
	for (int r = 0; r < res.table.nrows; r++) {
		const char *user = cell(&res.table, r, "user");
		const char *dormant = cell(&res.table, r, "dormant");
		if (strcmp(user, "idle") == 0) {
			assert_non_null(strstr(dormant, "never logged in (100 days)"));
			found++;
		} else {
			assert_string_equal(dormant, "");
		}
		if (strcmp(user, "busy") == 0 && strcmp(cell(&res.table, r, "what"), "report.view") == 0) {
			assert_string_equal(cell(&res.table, r, "granted_by"), TU_ADMIN);
			assert_string_equal(cell(&res.table, r, "reason"), "統計担当");
			found++;
		}
		if (strcmp(user, "gone") == 0) {
			assert_string_equal(cell(&res.table, r, "status"), "disabled");
			assert_string_equal(cell(&res.table, r, "what"), "");
		}
	}
	assert_int_equal(found, 2);
	assert_non_null(strstr(res.message, "4 accounts, 1 dormant"));
	md_result_release(&res);
	assert_int_equal(audit_with(f->ctx, "user.review", "accounts=4 dormant=1"), 1);

	/* The number of days is the setting's. */
	f->ctx->cfg.dormant_days = 101;
	assert_int_equal(run(f->ctx, &res, &err, "user.review", NULL), MD_OK);
	assert_non_null(strstr(res.message, "0 dormant"));
	md_result_release(&res);
}

/* The auditor reads the access review and the revocation register (the
 * review is checked by someone other than the admin, security.md) but
 * changes nothing; a clerk reads neither. */
static void test_auditor_reads_reviews(void **state)
{
	struct fx *f = *state;
	struct md_result res;
	struct md_error err;
	struct md_ctx *u;

	mkuser(f, "kansa", "auditor");
	mkuser(f, "yamane", "clerk");
	MUST(f->ctx, "user.disable", "id", "yamane", "reason", "退職");
	u = as_user(f, "kansa", PW1, MD_OK);
	assert_true(md_cmd_allowed(u, "user.review"));
	assert_true(md_cmd_allowed(u, "user.revocations"));
	assert_false(md_cmd_allowed(u, "user.disable"));
	assert_int_equal(run(u, &res, &err, "user.review", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 3);
	md_result_release(&res);
	assert_int_equal(run(u, &res, &err, "user.revocations", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 2);
	assert_string_equal(cell(&res.table, 0, "user"), "yamane");
	md_result_release(&res);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM audit_log WHERE user_id = 'kansa' "
	                                    "AND function IN ('user.review', 'user.revocations') "
	                                    "AND outcome = 'ok'"), 2);
	/* The actions stay the admin's. */
	assert_int_equal(run(u, NULL, &err, "user.disable", "id", "yamane", "reason", "再度", NULL),
	                 MD_E_DENIED);
	assert_int_equal(run(u, NULL, &err, "user.grant", "id", "kansa", "what", "admin", "reason", "x",
	                     NULL), MD_E_DENIED);
	assert_int_equal(run(u, NULL, &err, "user.show", "id", "yamane", NULL), MD_E_DENIED);
	md_ctx_free(&u);
	/* A clerk is refused, and told which permissions would do. */
	mkuser(f, "sato", "clerk");
	u = as_user(f, "sato", PW1, MD_OK);
	assert_false(md_cmd_allowed(u, "user.review"));
	assert_int_equal(run(u, NULL, &err, "user.review", NULL), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "user.manage/audit.review"));
	assert_int_equal(run(u, NULL, &err, "user.revocations", NULL), MD_E_DENIED);
	md_ctx_free(&u);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM audit_log WHERE user_id = 'sato' "
	                                    "AND function = 'user.review' AND outcome = 'denied'"), 1);
}

/* Grant dates are typed as at every other counter field: 令和 or Western;
 * a bad one names the field and says why. */
static void test_grant_dates_in_wareki(void **state)
{
	struct fx *f = *state;
	struct md_error err;

	mkuser(f, "wada", "clerk");
	MUST(f->ctx, "user.grant-temporary", "id", "wada", "what", "report.view", "from", "R8.4.2", "to",
	     "令和8年4月30日", "reason", "月報作成の応援");
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM grants WHERE user_id = 'wada' AND "
	                                    "permission = 'report.view' AND valid_from = '2026-04-02' "
	                                    "AND valid_to = '2026-04-30'"), 1);
	assert_int_equal(run(f->ctx, NULL, &err, "user.grant-temporary", "id", "wada", "what", "support.view",
	                     "to", "R8.2.30", "reason", "x", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "to");
	assert_non_null(strstr(err.msg, "R8.2.30"));
	assert_int_equal(run(f->ctx, NULL, &err, "user.grant-temporary", "id", "wada", "what", "support.view",
	                     "to", "令和8年5月", "reason", "x", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "to");
	assert_non_null(strstr(err.msg, "whole day"));
	/* The end before the start, after both are read. */
	assert_int_equal(run(f->ctx, NULL, &err, "user.grant-temporary", "id", "wada", "what", "support.view",
	                     "from", "R8.5.2", "to", "2026-05-01", "reason", "x", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "to");
	/* The register's period too. */
	MUST(f->ctx, "user.revocations", "from", "R8.4.1", "to", "令和8年4月30日");
}

static void test_user_show(void **state)
{
	struct fx *f = *state;
	struct md_result res;
	struct md_error err;
	char d5[11];
	int states = 0;

	tu_date(5, d5);
	mkuser(f, "noda", "clerk");
	MUST(f->ctx, "user.grant", "id", "noda", "what", "supervisor", "from", d5, "reason", "昇任");
	MUST(f->ctx, "user.grant", "id", "noda", "what", "mynumber.view", "reason", "番号担当");
	MUST(f->ctx, "user.revoke", "id", "noda", "what", "mynumber.view", "reason", "担当終了");
	MUST(f->ctx, "user.terminals", "id", "noda", "terminals", "本庁1,支所2", "reason", "窓口");
	assert_int_equal(run(f->ctx, &res, &err, "user.show", "id", "noda", NULL), MD_OK);
	assert_int_equal(res.table.nrows, 3);
	for (int r = 0; r < 3; r++) {
		const char *what = cell(&res.table, r, "what"), *st = cell(&res.table, r, "state");
		if (strcmp(what, "clerk") == 0 && strcmp(st, "in effect") == 0)
			states |= 1;
		if (strcmp(what, "supervisor") == 0 && strcmp(st, "starts later") == 0)
			states |= 2;
		if (strcmp(what, "mynumber.view") == 0 && strcmp(st, "revoked") == 0 &&
		    strcmp(cell(&res.table, r, "revoke_reason"), "担当終了") == 0)
			states |= 4;
	}
	assert_int_equal(states, 7);
	{
		int term = 0;
		for (int i = 0; i < res.nlines; i++)
			term |= strstr(res.lines[i], "Terminals: 支所2, 本庁1") != NULL;
		assert_true(term);
	}
	md_result_release(&res);
	assert_int_equal(tu_audit_count(f->ctx, "user.show", "ok", "noda"), 1);
	assert_int_equal(run(f->ctx, NULL, &err, "user.show", "id", "nobody", NULL), MD_E_NOTFOUND);
	assert_string_equal(err.field, "id");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
		T(test_generated_password),
		T(test_create_with_temporary_password),
		T(test_temporary_password_reset),
		T(test_revoked_user_refused),
		T(test_disabled_session_refused),
		T(test_future_and_temporary_grants),
		T(test_last_administrator),
		T(test_admin_actions_audited_with_reason),
		T(test_auditor_reads_reviews),
		T(test_grant_dates_in_wareki),
		T(test_revocation_register),
		T(test_access_review),
		T(test_user_show),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
