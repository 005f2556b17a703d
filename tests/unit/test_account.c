/* test_account.c: password policy, login, lockout, expiry, account and grant
 * dates, roles, terminal restriction, demo accounts, screen lock. */
#include "config.h"

#define TU_WITH_DB
#include "testutil.h"

#include "account.h"
#include "audit.h"
#include "crypto.h"
#include "ctx.h"
#include "error.h"
#include "result.h"
#include "settings.h"
#include "store.h"
#include "timeutil.h"

/* Passwords that satisfy the default policy (>= 10 characters, 2 classes). */
#define PW1 "Madoguchi-01"
#define PW2 "Madoguchi-02"
#define PW3 "Madoguchi-03"
#define PW4 "Madoguchi-04"
#define PW5 "Madoguchi-05"

struct fx {
	char *dir;
	char *db;
	enum md_db_kind kind;
	struct md_settings cfg;
	struct md_ctx *ctx;   /* production: TU_ADMIN logged in; training: nobody */
};

static int group_setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static int setup_kind(void **state, enum md_db_kind kind)
{
	struct fx *f = calloc(1, sizeof *f);
	struct md_error err;

	if (!f || !(f->dir = tu_tmpdir()))
		return -1;
	setenv("TZ", "UTC", 1);
	tzset();
	md_time_set(tu_day(0));
	md_settings_defaults(&f->cfg);
	f->cfg.password_history = 2;    /* keeps the history tests short */
	f->cfg.lockout_attempts = 3;
	f->kind = kind;
	f->db = tu_create_db(f->dir, "t.db", &f->cfg, kind);
	f->ctx = tu_open(&f->cfg, f->db, kind);
	if (kind == MD_DB_PRODUCTION && md_auth_login(f->ctx, TU_ADMIN, TU_ADMIN_PW, &err) != MD_OK) {
		print_error("admin login: %s\n", err.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int setup_prod(void **state)
{
	return setup_kind(state, MD_DB_PRODUCTION);
}

static int setup_train(void **state)
{
	return setup_kind(state, MD_DB_TRAINING);
}

static int teardown(void **state)
{
	struct fx *f = *state;
	md_ctx_free(&f->ctx);
	tu_rmdir(f->dir);
	free(f->db);
	free(f);
	md_time_set(0);
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

/* Creates an account as the administrator of the fixture. */
static void mkuser_dates(struct fx *f, const char *id, const char *role, const char *pw,
                         const char *from, const char *to, int must_change)
{
	struct md_error err;
	int rc = md_user_create(f->ctx, id, NULL, role, pw, from, to, "test account", must_change, 0,
	                        &err);
	if (rc != MD_OK)
		print_error("md_user_create(%s): %s\n", id, err.msg);
	assert_int_equal(rc, MD_OK);
}

static void mkuser(struct fx *f, const char *id, const char *role, const char *pw)
{
	mkuser_dates(f, id, role, pw, NULL, NULL, 0);
}

static struct md_ctx *another(struct fx *f)
{
	return tu_open(&f->cfg, f->db, f->kind);
}

/* Opens a second context and logs the user in (must succeed). */
static struct md_ctx *as_user(struct fx *f, const char *id, const char *pw)
{
	struct md_ctx *c = another(f);
	struct md_error err;
	int rc = md_auth_login(c, id, pw, &err);
	if (rc != MD_OK)
		print_error("login %s: %d %s\n", id, rc, err.msg);
	assert_int_equal(rc, MD_OK);
	assert_non_null(c->session);
	return c;
}

static void grant(struct fx *f, const char *id, const char *what, const char *from, const char *to)
{
	struct md_error err;
	int rc = md_grant_add(f->ctx, id, what, from, to, "test grant", &err);
	if (rc != MD_OK)
		print_error("grant %s to %s: %s\n", what, id, err.msg);
	assert_int_equal(rc, MD_OK);
}

static long long user_int(struct md_ctx *c, const char *id, const char *expr)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT %s FROM users WHERE id = '%s'", expr, id);
	return tu_sql_int(c, sql);
}

/* ---- password policy -------------------------------------------------------------- */

static void expect_policy(struct md_ctx *c, const char *user, const char *pw, int want,
                          const char *in_msg)
{
	struct md_error err;
	int rc;

	md_error_clear(&err);
	rc = md_password_policy(c, user, pw, &err);
	if (rc != want)
		print_error("policy(%s, \"%s\"): %d %s\n", user ? user : "-", pw ? pw : "(null)", rc,
		            err.msg);
	assert_int_equal(rc, want);
	if (want != MD_OK) {
		assert_string_equal(err.field, "password");
		if (in_msg)
			assert_non_null(strstr(err.msg, in_msg));
	}
}

static void test_policy_rules(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = f->ctx;

	expect_policy(c, "tanaka", "", MD_E_INVALID, "empty");
	expect_policy(c, "tanaka", NULL, MD_E_INVALID, "empty");
	expect_policy(c, "tanaka", "Short-1", MD_E_INVALID, "at least 10");
	expect_policy(c, "tanaka", "Abcdefgh1", MD_E_INVALID, "at least 10");   /* 9 */
	expect_policy(c, "tanaka", "Abcdefgh12", MD_OK, NULL);                   /* 10 */
	expect_policy(c, "tanaka", "abcdefghijkl", MD_E_INVALID, "at least 2");
	expect_policy(c, "tanaka", "ABCDEFGHIJKL", MD_E_INVALID, "at least 2");
	expect_policy(c, "tanaka", "123456789012", MD_E_INVALID, "at least 2");
	expect_policy(c, "tanaka", "abcdefghij1", MD_OK, NULL);
	expect_policy(c, "tanaka", "abcdefghij-", MD_OK, NULL);
	expect_policy(c, "tanaka", "ABCDEFGHIJk", MD_OK, NULL);
	/* The user ID inside the password. */
	expect_policy(c, "tanaka", "tanaka-2026", MD_E_INVALID, "user ID");
	expect_policy(c, "tanaka", "X1tanakaX1x", MD_E_INVALID, "user ID");
	expect_policy(c, "tanaka", "Tanaka-2026", MD_E_INVALID, "user ID");
	expect_policy(c, "tanaka", "x-TANAKA-26", MD_E_INVALID, "user ID");
	expect_policy(c, "tanaka", "tanak-a2026", MD_OK, NULL);
	/* Control characters, anywhere. */
	expect_policy(c, "tanaka", "Abcdefgh12\t", MD_E_INVALID, "control");
	expect_policy(c, "tanaka", "Abc\x01" "defgh12", MD_E_INVALID, "control");
	expect_policy(c, "tanaka", "Abcdefgh12\x7f", MD_E_INVALID, "control");
	expect_policy(c, "tanaka", "Abcdefgh12\n", MD_E_INVALID, "control");
	/* Length counts characters, not bytes. */
	expect_policy(c, "tanaka", "パスワード1234", MD_E_INVALID, "at least 10");  /* 9 chars */
	expect_policy(c, "tanaka", "パスワード12345", MD_OK, NULL);                 /* 10 chars */

	/* The settings decide. */
	c->cfg.password_min_length = 12;
	c->cfg.password_min_classes = 3;
	expect_policy(c, "tanaka", "Abcdefgh12", MD_E_INVALID, "at least 12");
	expect_policy(c, "tanaka", "abcdefghij12", MD_E_INVALID, "at least 3");
	expect_policy(c, "tanaka", "Abcdefghij12", MD_OK, NULL);
}

static void change_pw(struct md_ctx *c, const char *cur, const char *next)
{
	struct md_error err;
	int rc = md_auth_change_password(c, cur, next, &err);
	if (rc != MD_OK)
		print_error("change %s -> %s: %s\n", cur, next, err.msg);
	assert_int_equal(rc, MD_OK);
}

/* password_history = 2: the current and the last 2 are refused, the 3rd older is allowed. */
static void test_policy_history(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;

	mkuser(f, "hana", "clerk", PW1);
	u = as_user(f, "hana", PW1);
	change_pw(u, PW1, PW2);
	change_pw(u, PW2, PW3);
	change_pw(u, PW3, PW4);
	assert_int_equal(tu_sql_int(u, "SELECT count(*) FROM password_history WHERE user_id = 'hana'"),
	                 3);
	/* No clear password is stored anywhere. */
	assert_int_equal(tu_sql_int(u, "SELECT count(*) FROM password_history WHERE pw_hash LIKE "
	                               "'%Madoguchi%' OR pw_hash NOT LIKE '$argon2id$%'"), 0);

	expect_policy(u, "hana", PW4, MD_E_INVALID, "used before");   /* current */
	expect_policy(u, "hana", PW3, MD_E_INVALID, "used before");   /* last */
	expect_policy(u, "hana", PW2, MD_E_INVALID, "used before");   /* the one before */
	expect_policy(u, "hana", PW1, MD_OK, NULL);                   /* 3rd older: allowed */
	expect_policy(u, "hana", PW5, MD_OK, NULL);
	/* Another user's history does not count. */
	expect_policy(u, "other", PW3, MD_OK, NULL);

	/* Through the password change itself. */
	assert_int_equal(md_auth_change_password(u, PW4, PW4, &err), MD_E_INVALID);
	assert_int_equal(md_auth_change_password(u, PW4, PW3, &err), MD_E_INVALID);
	assert_string_equal(err.field, "password");
	assert_int_equal(md_auth_change_password(u, PW4, PW2, &err), MD_E_INVALID);
	assert_int_equal(md_auth_change_password(u, PW4, "weak", &err), MD_E_INVALID);
	change_pw(u, PW4, PW1);
	/* With history 0, only the current password is refused. */
	u->cfg.password_history = 0;
	expect_policy(u, "hana", PW1, MD_E_INVALID, "used before");
	expect_policy(u, "hana", PW4, MD_OK, NULL);
	md_ctx_free(&u);

	/* The new password is the one that logs in. */
	u = as_user(f, "hana", PW1);
	assert_int_equal(u->session->must_change, 0);
	assert_int_equal(md_auth_login(u, "hana", PW4, &err), MD_E_AUTH);
	md_ctx_free(&u);
}

/* ---- login ------------------------------------------------------------------------ */

static void test_login_ok(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	long long before;

	mkuser(f, "sato", "clerk", PW1);
	u = another(f);
	before = tu_audit_count(u, "login", "ok", "sato");
	md_time_set(tu_day(0) + 60);
	{
		struct md_error err;
		assert_int_equal(md_auth_login(u, "sato", PW1, &err), MD_OK);
	}
	assert_non_null(u->session);
	assert_string_equal(u->session->user, "sato");
	assert_string_equal(u->session->display_name, "sato");
	assert_string_equal(u->session->roles, "clerk");
	assert_int_equal(u->session->must_change, 0);
	assert_int_equal(u->session->locked, 0);
	assert_int_equal((long long)u->session->login_time, (long long)tu_day(0) + 60);
	assert_int_equal(tu_audit_count(u, "login", "ok", "sato"), before + 1);
	{
		char ts[32];
		tu_sql_text(u, "SELECT last_login_at FROM users WHERE id = 'sato'", ts, sizeof ts);
		assert_string_equal(ts, "2026-04-01T03:01:00Z");
	}
	/* Logging out is logged and ends the session. */
	md_auth_logout(u);
	assert_null(u->session);
	assert_int_equal(tu_audit_count(u, "logout", "ok", "sato"), 1);
	md_auth_logout(u);   /* nobody: no-op */
	assert_int_equal(tu_audit_count(u, "logout", NULL, NULL), 1);
	md_ctx_free(&u);
}

static void test_wrong_password_like_unknown_user(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error e1, e2;

	mkuser(f, "sato", "clerk", PW1);
	u = another(f);
	assert_int_equal(md_auth_login(u, "sato", PW2, &e1), MD_E_AUTH);
	assert_null(u->session);
	assert_int_equal(md_auth_login(u, "nosuchuser", PW2, &e2), MD_E_AUTH);
	assert_null(u->session);
	assert_int_equal(e1.code, e2.code);
	assert_string_equal(e1.field, e2.field);
	assert_string_equal(e1.msg, e2.msg);
	assert_null(strstr(e1.msg, "sato"));
	/* Both are logged as failed logins. */
	assert_int_equal(tu_audit_count(u, "login", "failed", "sato"), 1);
	assert_int_equal(tu_audit_count(u, "login", "failed", "nosuchuser"), 1);
	/* An unknown user counts nowhere; a known one counts towards lockout. */
	assert_int_equal(user_int(u, "sato", "failed_count"), 1);
	assert_int_equal(tu_sql_int(u, "SELECT count(*) FROM users WHERE id = 'nosuchuser'"), 0);
	/* No user ID at all. */
	assert_int_equal(md_auth_login(u, "", PW1, &e1), MD_E_INVALID);
	assert_int_equal(md_auth_login(u, NULL, PW1, &e1), MD_E_INVALID);
	/* A wrong password after a good login leaves nobody logged in. */
	assert_int_equal(md_auth_login(u, "sato", PW1, &e1), MD_OK);
	assert_int_equal(md_auth_login(u, "sato", NULL, &e1), MD_E_AUTH);
	assert_null(u->session);
	md_ctx_free(&u);
}

static void test_lockout_and_admin_unlock(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;

	mkuser(f, "sato", "clerk", PW1);
	u = another(f);
	/* lockout_attempts = 3 */
	assert_int_equal(md_auth_login(u, "sato", "Wrong-pass-1", &err), MD_E_AUTH);
	assert_int_equal(md_auth_login(u, "sato", "Wrong-pass-2", &err), MD_E_AUTH);
	assert_int_equal(user_int(u, "sato", "locked_at IS NULL"), 1);
	assert_int_equal(tu_audit_count(u, "account.lockout", NULL, "sato"), 0);
	assert_int_equal(md_auth_login(u, "sato", "Wrong-pass-3", &err), MD_E_LOCKED);
	assert_int_equal(err.code, MD_E_LOCKED);
	assert_null(u->session);
	assert_int_equal(user_int(u, "sato", "locked_at IS NOT NULL"), 1);
	assert_int_equal(tu_audit_count(u, "login", "failed", "sato"), 3);
	assert_int_equal(tu_audit_count(u, "account.lockout", "ok", "sato"), 1);

	/* The right password no longer helps, and is logged as refused. */
	assert_int_equal(md_auth_login(u, "sato", PW1, &err), MD_E_LOCKED);
	assert_null(u->session);
	assert_int_equal(tu_audit_count(u, "login", "failed", "sato"), 4);
	/* A wrong password on a locked account gets the answer an unknown user
	 * gets: the account's state is told only to whoever knows its password.
	 * Still one lockout entry: it is logged when it happens. */
	assert_int_equal(md_auth_login(u, "sato", "Wrong-pass-4", &err), MD_E_AUTH);
	assert_string_equal(err.msg, "wrong user ID or password");
	assert_int_equal(tu_audit_count(u, "account.lockout", NULL, "sato"), 1);

	/* A locked account holds no permission, even for a session opened before. */
	/* The administrator releases it. */
	assert_int_equal(md_user_unlock(f->ctx, "sato", NULL, &err), MD_OK);
	assert_int_equal(tu_audit_count(f->ctx, "user.unlock", "ok", "sato"), 1);
	assert_int_equal(user_int(u, "sato", "failed_count"), 0);
	assert_int_equal(md_auth_login(u, "sato", PW1, &err), MD_OK);
	assert_non_null(u->session);
	/* Unlocking an account that is not locked, or does not exist. */
	assert_int_equal(md_user_unlock(f->ctx, "sato", NULL, &err), MD_E_CONFLICT);
	assert_int_equal(md_user_unlock(f->ctx, "nobody", NULL, &err), MD_E_NOTFOUND);
	md_ctx_free(&u);
}

static void test_lockout_counts_in_a_row(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;

	mkuser(f, "sato", "clerk", PW1);
	u = another(f);
	assert_int_equal(md_auth_login(u, "sato", "Wrong-pass-1", &err), MD_E_AUTH);
	assert_int_equal(md_auth_login(u, "sato", "Wrong-pass-2", &err), MD_E_AUTH);
	assert_int_equal(md_auth_login(u, "sato", PW1, &err), MD_OK);
	assert_int_equal(user_int(u, "sato", "failed_count"), 0);
	assert_int_equal(md_auth_login(u, "sato", "Wrong-pass-3", &err), MD_E_AUTH);
	assert_int_equal(md_auth_login(u, "sato", "Wrong-pass-4", &err), MD_E_AUTH);
	assert_int_equal(user_int(u, "sato", "locked_at IS NULL"), 1);
	assert_int_equal(md_auth_login(u, "sato", PW1, &err), MD_OK);
	md_ctx_free(&u);
}

/* A locked account loses its permissions at once, also in an open session. */
static void test_locked_account_has_no_permissions(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u, *v;
	struct md_error err;

	mkuser(f, "sato", "clerk", PW1);
	u = as_user(f, "sato", PW1);
	assert_true(md_auth_can(u, "resident.lookup"));
	v = another(f);
	for (int i = 0; i < 3; i++)
		md_auth_login(v, "sato", "Wrong-pass-0", &err);
	assert_int_equal(err.code, MD_E_LOCKED);
	assert_false(md_auth_can(u, "resident.lookup"));
	md_ctx_free(&v);
	md_ctx_free(&u);
}

/* ---- password change and expiry ----------------------------------------------------- */

static void test_new_user_must_change(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;

	/* Created by an administrator, as "user add" does. */
	mkuser_dates(f, "kato", "clerk", PW1, NULL, NULL, 1);
	u = another(f);
	assert_int_equal(md_auth_login(u, "kato", PW1, &err), MD_E_EXPIRED);
	assert_string_equal(err.field, "password");
	assert_non_null(u->session);
	assert_int_equal(u->session->must_change, 1);
	assert_int_equal(tu_audit_count(u, "login", "ok", "kato"), 1);

	/* A wrong current password changes nothing. */
	assert_int_equal(md_auth_change_password(u, PW2, PW3, &err), MD_E_AUTH);
	assert_string_equal(err.field, "current");
	assert_int_equal(u->session->must_change, 1);
	assert_int_equal(tu_audit_count(u, "password.change", "failed", "kato"), 1);
	/* A new password that breaks the policy changes nothing either. */
	assert_int_equal(md_auth_change_password(u, PW1, "short", &err), MD_E_INVALID);
	assert_int_equal(u->session->must_change, 1);

	change_pw(u, PW1, PW2);
	assert_int_equal(u->session->must_change, 0);
	assert_int_equal(user_int(u, "kato", "must_change"), 0);
	assert_int_equal(tu_audit_count(u, "password.change", "ok", "kato"), 1);
	md_auth_logout(u);
	assert_int_equal(md_auth_login(u, "kato", PW1, &err), MD_E_AUTH);
	assert_int_equal(md_auth_login(u, "kato", PW2, &err), MD_OK);
	assert_int_equal(u->session->must_change, 0);
	/* Nobody logged in: no change. */
	md_auth_logout(u);
	assert_int_equal(md_auth_change_password(u, PW2, PW3, &err), MD_E_AUTH);
	md_ctx_free(&u);
}

static void test_password_expiry(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;

	assert_int_equal(f->cfg.password_expiry_days, 180);
	mkuser(f, "kato", "clerk", PW1);    /* set on day 0 */
	u = another(f);
	md_time_set(tu_day(179));
	assert_int_equal(md_auth_login(u, "kato", PW1, &err), MD_OK);
	assert_int_equal(u->session->must_change, 0);
	md_time_set(tu_day(180));
	assert_int_equal(md_auth_login(u, "kato", PW1, &err), MD_E_EXPIRED);
	assert_non_null(strstr(err.msg, "expired"));
	assert_non_null(u->session);
	assert_int_equal(u->session->must_change, 1);
	change_pw(u, PW1, PW2);
	assert_int_equal(u->session->must_change, 0);
	md_auth_logout(u);
	assert_int_equal(md_auth_login(u, "kato", PW2, &err), MD_OK);
	/* 180 days after the change, again. */
	md_time_set(tu_day(359));
	assert_int_equal(md_auth_login(u, "kato", PW2, &err), MD_OK);
	md_time_set(tu_day(360));
	assert_int_equal(md_auth_login(u, "kato", PW2, &err), MD_E_EXPIRED);
	/* 0 days: never. */
	u->cfg.password_expiry_days = 0;
	md_time_set(tu_day(3000));
	assert_int_equal(md_auth_login(u, "kato", PW2, &err), MD_OK);
	md_ctx_free(&u);
}

/* The change date is the local calendar date, like "today": a password set
 * at 05:00 in Tokyo (20:00 UTC the day before) lasts its full 180 days. */
static void test_password_expiry_local_date(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;
	time_t set_at = tu_day(0) + 17 * 3600;   /* 2026-04-01T20:00Z = 04-02 05:00 JST */
	char d[11];

	setenv("TZ", "JST-9", 1);
	tzset();
	md_time_set(set_at);
	md_date_local(set_at, d, sizeof d);
	assert_string_equal(d, "2026-04-02");
	mkuser(f, "kato", "clerk", PW1);
	u = another(f);
	md_time_set(set_at + 179 * 86400L);
	assert_int_equal(md_auth_login(u, "kato", PW1, &err), MD_OK);
	md_time_set(set_at + 179 * 86400L + 18 * 3600);   /* 23:00 JST, still day 179 */
	assert_int_equal(md_auth_login(u, "kato", PW1, &err), MD_OK);
	md_time_set(set_at + 180 * 86400L - 5 * 3600);    /* 00:00 JST on day 180 */
	assert_int_equal(md_auth_login(u, "kato", PW1, &err), MD_E_EXPIRED);
	md_ctx_free(&u);
}

static void test_demo_accounts_do_not_expire(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;

	u = another(f);
	md_time_set(tu_day(1000));
	assert_int_equal(md_auth_login(u, "clerk1", "demo", &err), MD_OK);
	assert_int_equal(u->session->must_change, 0);
	md_ctx_free(&u);
}

static void test_reset_password(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;

	mkuser(f, "kato", "clerk", PW1);
	assert_int_equal(md_user_reset_password(f->ctx, "kato", "weak", NULL, &err), MD_E_INVALID);
	assert_int_equal(md_user_reset_password(f->ctx, "kato", PW1, NULL, &err), MD_E_INVALID);
	assert_int_equal(md_user_reset_password(f->ctx, "nobody", PW2, NULL, &err), MD_E_NOTFOUND);
	assert_int_equal(md_user_reset_password(f->ctx, "kato", PW2, NULL, &err), MD_OK);
	assert_int_equal(tu_audit_count(f->ctx, "user.reset-password", "ok", "kato"), 1);
	u = another(f);
	assert_int_equal(md_auth_login(u, "kato", PW1, &err), MD_E_AUTH);
	assert_int_equal(md_auth_login(u, "kato", PW2, &err), MD_E_EXPIRED);
	assert_int_equal(u->session->must_change, 1);
	change_pw(u, PW2, PW3);
	md_ctx_free(&u);
}

/* ---- disabled accounts and account dates --------------------------------------------- */

static void test_disable(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;

	mkuser(f, "mori", "clerk", PW1);
	grant(f, "mori", "mynumber.view", NULL, NULL);
	u = as_user(f, "mori", PW1);
	assert_true(md_auth_can(u, "resident.lookup"));
	assert_true(md_auth_can(u, "mynumber.view"));

	assert_int_equal(md_user_disable(f->ctx, "mori", "", &err), MD_E_INVALID);
	assert_string_equal(err.field, "reason");
	assert_int_equal(md_user_disable(f->ctx, "mori", "transferred to another ward", &err), MD_OK);
	/* Every grant is revoked, with who and why. */
	assert_int_equal(tu_sql_int(u, "SELECT count(*) FROM grants WHERE user_id = 'mori'"), 2);
	assert_int_equal(tu_sql_int(u, "SELECT count(*) FROM grants WHERE user_id = 'mori' AND "
	                               "revoked_at IS NULL"), 0);
	assert_int_equal(tu_sql_int(u, "SELECT count(*) FROM grants WHERE user_id = 'mori' AND "
	                               "revoked_by = 'admin' AND revoke_reason = "
	                               "'transferred to another ward'"), 2);
	assert_int_equal(tu_audit_count(u, "user.disable", "ok", "mori"), 1);
	/* The open session loses everything at once. */
	assert_false(md_auth_can(u, "resident.lookup"));
	assert_false(md_auth_can(u, "mynumber.view"));
	/* And the account cannot log in again. */
	assert_int_equal(md_auth_login(u, "mori", PW1, &err), MD_E_DISABLED);
	assert_null(u->session);
	assert_non_null(strstr(err.msg, "disabled"));
	/* A wrong password gets the answer an unknown user gets. */
	assert_int_equal(md_auth_login(u, "mori", PW2, &err), MD_E_AUTH);
	assert_string_equal(err.msg, "wrong user ID or password");
	assert_int_equal(md_user_disable(f->ctx, "mori", "again", &err), MD_E_CONFLICT);
	assert_int_equal(md_user_disable(f->ctx, "nobody", "why", &err), MD_E_NOTFOUND);
	/* Nothing can be granted to a disabled account. */
	assert_int_equal(md_grant_add(f->ctx, "mori", "clerk", NULL, NULL, "back", &err), MD_E_INVALID);
	md_ctx_free(&u);
}

static void test_account_dates(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;
	char d2[11], d5[11];

	tu_date(2, d2);
	tu_date(5, d5);
	mkuser_dates(f, "later", "clerk", PW1, d2, NULL, 0);
	mkuser_dates(f, "ending", "clerk", PW2, NULL, d5, 0);
	u = another(f);

	/* Not yet valid. */
	assert_int_equal(md_auth_login(u, "later", PW1, &err), MD_E_DISABLED);
	assert_non_null(strstr(err.msg, "not valid today"));
	assert_null(u->session);
	assert_int_equal(tu_audit_count(u, "login", "failed", "later"), 1);
	md_time_set(tu_day(1));
	assert_int_equal(md_auth_login(u, "later", PW1, &err), MD_E_DISABLED);
	md_time_set(tu_day(2));
	assert_int_equal(md_auth_login(u, "later", PW1, &err), MD_OK);
	assert_true(md_auth_can(u, "resident.lookup"));

	/* Valid through its last day, not after. */
	md_time_set(tu_day(5));
	assert_int_equal(md_auth_login(u, "ending", PW2, &err), MD_OK);
	assert_true(md_auth_can(u, "resident.lookup"));
	md_time_set(tu_day(6));
	assert_false(md_auth_can(u, "resident.lookup"));   /* the open session too */
	assert_int_equal(md_auth_login(u, "ending", PW2, &err), MD_E_DISABLED);
	assert_null(u->session);

	/* Bad dates are refused when the account is made. */
	assert_int_equal(md_user_create(f->ctx, "baddate", NULL, "clerk", PW1, "2026-02-30", NULL,
	                                "x", 0, 0, &err), MD_E_INVALID);
	assert_string_equal(err.field, "from");
	assert_int_equal(md_user_create(f->ctx, "baddate", NULL, "clerk", PW1, NULL, "26-1-1",
	                                "x", 0, 0, &err), MD_E_INVALID);
	assert_string_equal(err.field, "to");
	assert_int_equal(tu_sql_int(u, "SELECT count(*) FROM users WHERE id = 'baddate'"), 0);
	md_ctx_free(&u);
}

static void test_user_create_validation(void **state)
{
	static const char *const bad_ids[] = { "A", "a", "Tanaka", "1abc", "ta naka", "田中",
	                                       "abcdefghijklmnopqrstuvwxyz0123456", "_x", "" };
	struct fx *f = *state;
	struct md_error err;
	long long users = tu_sql_int(f->ctx, "SELECT count(*) FROM users");

	for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
		md_error_clear(&err);
		assert_int_equal(md_user_create(f->ctx, bad_ids[i], NULL, "clerk", PW1, NULL, NULL, "x",
		                                1, 0, &err), MD_E_INVALID);
		assert_string_equal(err.field, "id");
	}
	assert_int_equal(md_user_create(f->ctx, "a.b_c-9", NULL, "clerk", PW1, NULL, NULL, "x", 1, 0,
	                                &err), MD_OK);
	/* Duplicate. */
	assert_int_equal(md_user_create(f->ctx, "a.b_c-9", NULL, "clerk", PW2, NULL, NULL, "x", 1, 0,
	                                &err), MD_E_CONFLICT);
	assert_int_equal(md_user_create(f->ctx, TU_ADMIN, NULL, "clerk", PW2, NULL, NULL, "x", 1, 0,
	                                &err), MD_E_CONFLICT);
	/* Role missing or unknown: no account is left behind. */
	assert_int_equal(md_user_create(f->ctx, "norole", NULL, "", PW1, NULL, NULL, "x", 1, 0, &err),
	                 MD_E_INVALID);
	assert_string_equal(err.field, "role");
	assert_int_equal(md_user_create(f->ctx, "norole", NULL, "boss", PW1, NULL, NULL, "x", 1, 0,
	                                &err), MD_E_INVALID);
	assert_string_equal(err.field, "role");
	/* Weak password. */
	assert_int_equal(md_user_create(f->ctx, "weakpw", NULL, "clerk", "password", NULL, NULL, "x",
	                                1, 0, &err), MD_E_INVALID);
	assert_string_equal(err.field, "password");
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM users"), users + 1);

	/* The account records who made it, with a grant and an audit entry. */
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM users WHERE id = 'a.b_c-9' AND "
	                                    "created_by = 'admin' AND must_change = 1 AND demo = 0 "
	                                    "AND pw_hash LIKE '$argon2id$%'"), 1);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM grants WHERE user_id = 'a.b_c-9' "
	                                    "AND role = 'clerk' AND granted_by = 'admin' AND "
	                                    "revoked_at IS NULL"), 1);
	assert_int_equal(tu_audit_count(f->ctx, "user.add", "ok", "a.b_c-9"), 1);
	/* The full name defaults to the ID; a given one is kept. */
	assert_int_equal(md_user_create(f->ctx, "yamada", "山田 花子", "clerk", PW1, NULL, NULL, "x",
	                                1, 0, &err), MD_OK);
	{
		char name[64];
		tu_sql_text(f->ctx, "SELECT name FROM users WHERE id = 'yamada'", name, sizeof name);
		assert_string_equal(name, "山田 花子");
	}
}

/* ---- grants -------------------------------------------------------------------------- */

static void test_grant_from_tomorrow(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	char d1[11];

	tu_date(1, d1);
	mkuser(f, "ueda", "clerk", PW1);
	grant(f, "ueda", "mynumber.view", d1, NULL);
	grant(f, "ueda", "supervisor", d1, NULL);
	u = as_user(f, "ueda", PW1);
	assert_true(md_auth_can(u, "resident.lookup"));
	assert_false(md_auth_can(u, "mynumber.view"));
	assert_false(md_auth_can(u, "change.approve"));
	md_time_set(tu_day(1));
	assert_true(md_auth_can(u, "mynumber.view"));
	assert_true(md_auth_can(u, "change.approve"));
	md_ctx_free(&u);
}

static void test_temporary_grant(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;
	char d2[11], d1[11];

	tu_date(1, d1);
	tu_date(2, d2);
	mkuser(f, "ueda", "clerk", PW1);
	grant(f, "ueda", "report.view", NULL, d2);
	grant(f, "ueda", "auditor", NULL, d1);
	u = as_user(f, "ueda", PW1);
	assert_true(md_auth_can(u, "report.view"));
	assert_true(md_auth_can(u, "audit.review"));
	md_time_set(tu_day(1));
	assert_true(md_auth_can(u, "audit.review"));
	md_time_set(tu_day(2));
	assert_true(md_auth_can(u, "report.view"));
	assert_false(md_auth_can(u, "audit.review"));
	md_time_set(tu_day(3));
	assert_false(md_auth_can(u, "report.view"));
	assert_true(md_auth_can(u, "resident.lookup"));   /* the open-ended role stays */
	/* The roles shown at the next login follow the dates too. */
	assert_int_equal(md_auth_login(u, "ueda", PW1, &err), MD_OK);
	assert_string_equal(u->session->roles, "clerk");
	md_ctx_free(&u);

	/* An end before the start is refused. */
	assert_int_equal(md_grant_add(f->ctx, "ueda", "report.view", d2, d1, "x", &err), MD_E_INVALID);
	assert_string_equal(err.field, "to");
	assert_int_equal(md_grant_add(f->ctx, "ueda", "report.view", "2026-02-30", NULL, "x", &err),
	                 MD_E_INVALID);
	assert_string_equal(err.field, "from");
}

static void test_revoke_immediate(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;

	mkuser(f, "ueda", "clerk", PW1);
	grant(f, "ueda", "report.view", NULL, NULL);
	u = as_user(f, "ueda", PW1);
	assert_true(md_auth_can(u, "resident.lookup"));
	assert_int_equal(md_grant_revoke(f->ctx, "ueda", "clerk", "", &err), MD_E_INVALID);
	assert_true(md_auth_can(u, "resident.lookup"));
	assert_int_equal(md_grant_revoke(f->ctx, "ueda", "clerk", "moved to tax office", &err), MD_OK);
	assert_false(md_auth_can(u, "resident.lookup"));
	assert_false(md_auth_can(u, "cert.issue"));
	assert_true(md_auth_can(u, "report.view"));
	assert_int_equal(tu_audit_count(u, "user.revoke", "ok", "ueda"), 1);
	assert_int_equal(tu_sql_int(u, "SELECT count(*) FROM grants WHERE user_id = 'ueda' AND "
	                               "role = 'clerk' AND revoked_by = 'admin' AND "
	                               "revoke_reason = 'moved to tax office'"), 1);
	/* Nothing left to revoke. */
	assert_int_equal(md_grant_revoke(f->ctx, "ueda", "clerk", "again", &err), MD_E_NOTFOUND);
	assert_int_equal(md_grant_revoke(f->ctx, "nobody", "clerk", "x", &err), MD_E_NOTFOUND);
	/* A single permission is revoked the same way. */
	assert_int_equal(md_grant_revoke(f->ctx, "ueda", "report.view", "done", &err), MD_OK);
	assert_false(md_auth_can(u, "report.view"));
	md_ctx_free(&u);
}

static void test_single_permission_grant(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;

	mkuser(f, "ueda", "clerk", PW1);
	u = as_user(f, "ueda", PW1);
	assert_false(md_auth_can(u, "mynumber.view"));
	grant(f, "ueda", "mynumber.view", NULL, NULL);
	assert_true(md_auth_can(u, "mynumber.view"));
	/* Only that permission. */
	assert_false(md_auth_can(u, "honseki.view"));
	assert_false(md_auth_can(u, "user.manage"));
	assert_false(md_auth_can(u, "no.such.permission"));
	assert_false(md_auth_can(u, NULL));
	assert_int_equal(tu_sql_int(u, "SELECT count(*) FROM grants WHERE user_id = 'ueda' AND "
	                               "permission = 'mynumber.view' AND role IS NULL"), 1);
	assert_int_equal(tu_audit_count(u, "user.grant", "ok", "ueda"), 1);
	/* Neither a role nor a permission; no reason; unknown user. */
	assert_int_equal(md_grant_add(f->ctx, "ueda", "resident.nuke", NULL, NULL, "x", &err),
	                 MD_E_INVALID);
	assert_int_equal(md_grant_add(f->ctx, "ueda", "", NULL, NULL, "x", &err), MD_E_INVALID);
	assert_int_equal(md_grant_add(f->ctx, "ueda", "backup", NULL, NULL, NULL, &err), MD_E_INVALID);
	assert_string_equal(err.field, "reason");
	assert_int_equal(md_grant_add(f->ctx, "nobody", "backup", NULL, NULL, "x", &err),
	                 MD_E_NOTFOUND);
	md_ctx_free(&u);
}

static void test_trainer_refused_on_production(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;

	mkuser(f, "ueda", "auditor", PW1);
	assert_int_equal(md_grant_add(f->ctx, "ueda", "trainer", NULL, NULL, "x", &err), MD_E_INVALID);
	assert_non_null(strstr(err.msg, "training"));
	assert_int_equal(md_user_create(f->ctx, "trainee", NULL, "trainer", PW1, NULL, NULL, "x", 1,
	                                0, &err), MD_E_INVALID);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM users WHERE id = 'trainee'"), 0);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM grants WHERE role = 'trainer'"), 0);

	/* Even a trainer grant that got into a production database counts for nothing. */
	tu_sql_exec(f->ctx, "INSERT INTO grants (user_id, role, valid_from, granted_by, granted_at, "
	                    "reason) VALUES ('ueda', 'trainer', '2000-01-01', 'x', 'x', 'x')");
	u = as_user(f, "ueda", PW1);
	assert_string_equal(u->session->roles, "auditor");
	assert_true(md_auth_can(u, "audit.review"));
	assert_false(md_auth_can(u, "training.admin"));
	assert_false(md_auth_can(u, "resident.lookup"));
	assert_false(md_auth_can(u, "user.manage"));
	md_ctx_free(&u);
}

static void test_trainer_on_training(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u = another(f);
	struct md_error err;

	assert_int_equal(md_auth_login(u, "trainer1", "demo", &err), MD_OK);
	assert_string_equal(u->session->roles, "trainer");
	assert_true(md_auth_can(u, "training.admin"));
	assert_true(md_auth_can(u, "resident.lookup"));
	assert_true(md_auth_can(u, "user.manage"));
	assert_true(md_auth_can(u, "mynumber.view"));
	md_ctx_free(&u);
}

static void test_self_actions_refused(void **state)
{
	struct fx *f = *state;
	struct md_error err;

	assert_int_equal(md_grant_add(f->ctx, TU_ADMIN, "mynumber.view", NULL, NULL, "x", &err),
	                 MD_E_INVALID);
	assert_string_equal(err.field, "id");
	assert_int_equal(md_user_disable(f->ctx, TU_ADMIN, "leaving", &err), MD_E_INVALID);
	assert_string_equal(err.field, "id");
	assert_int_equal(md_user_reset_password(f->ctx, TU_ADMIN, PW1, NULL, &err), MD_E_INVALID);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM grants WHERE user_id = 'admin' "
	                                    "AND permission IS NOT NULL"), 0);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT disabled_at IS NULL FROM users WHERE id = "
	                                    "'admin'"), 1);
	assert_false(md_auth_can(f->ctx, "mynumber.view"));
	assert_true(md_auth_can(f->ctx, "user.manage"));
}

static void test_terminal_restriction(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u, *t3;
	struct md_settings cfg3 = f->cfg;
	struct md_error err;

	mkuser(f, "ueda", "clerk", PW1);
	assert_int_equal(md_user_set_terminals(f->ctx, "ueda", "窓口2, 窓口3", NULL, &err), MD_OK);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM user_terminals WHERE "
	                                    "user_id = 'ueda'"), 2);
	assert_int_equal(tu_audit_count(f->ctx, "user.terminals", "ok", "ueda"), 1);
	assert_string_equal(f->cfg.terminal_id, "本庁1");
	u = another(f);
	assert_int_equal(md_auth_login(u, "ueda", PW1, &err), MD_E_DENIED);
	assert_null(u->session);
	assert_non_null(strstr(err.msg, "本庁1"));
	assert_int_equal(tu_audit_count(u, "login", "failed", "ueda"), 1);

	snprintf(cfg3.terminal_id, sizeof cfg3.terminal_id, "%s", "窓口3");
	t3 = tu_open(&cfg3, f->db, MD_DB_PRODUCTION);
	assert_int_equal(md_auth_login(t3, "ueda", PW1, &err), MD_OK);
	assert_true(md_auth_can(t3, "resident.lookup"));
	/* The permission check looks at the terminal too. */
	snprintf(t3->cfg.terminal_id, sizeof t3->cfg.terminal_id, "%s", "本庁1");
	assert_false(md_auth_can(t3, "resident.lookup"));
	md_ctx_free(&t3);

	/* Any terminal again. */
	assert_int_equal(md_user_set_terminals(f->ctx, "ueda", "", NULL, &err), MD_OK);
	assert_int_equal(md_auth_login(u, "ueda", PW1, &err), MD_OK);
	assert_true(md_auth_can(u, "resident.lookup"));
	assert_int_equal(md_user_set_terminals(f->ctx, "nobody", "x", NULL, &err), MD_E_NOTFOUND);
	md_ctx_free(&u);
}

/* ---- demo accounts and roles ------------------------------------------------------------ */

static void test_demo_accounts_on_training(void **state)
{
	static const char *const ids[] = { "clerk1", "supervisor1", "auditor1", "admin1", "trainer1" };
	static const char *const roles[] = { "clerk", "supervisor", "auditor", "admin", "trainer" };
	struct fx *f = *state;
	struct md_table t;
	struct md_error err;
	struct md_ctx *u;

	assert_int_equal(md_user_demo_list(f->ctx, &t, &err), MD_OK);
	assert_int_equal(t.nrows, 5);
	for (int i = 0; i < 5; i++) {
		assert_string_equal(t.rows[i][0], ids[i]);
		assert_string_equal(t.rows[i][1], roles[i]);
	}
	md_table_release(&t);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM users WHERE demo = 1"), 5);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM users WHERE demo = 0"), 0);

	u = another(f);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(md_auth_login(u, ids[i], "demo", &err), MD_OK);
		assert_string_equal(u->session->roles, roles[i]);
		assert_int_equal(u->session->must_change, 0);
	}
	assert_int_equal(md_auth_login(u, "clerk1", "Demo", &err), MD_E_AUTH);
	md_ctx_free(&u);
}

static void test_demo_accounts_not_on_production(void **state)
{
	struct fx *f = *state;
	struct md_table t;
	struct md_error err;
	struct md_ctx *u;
	char hash[MD_PWHASH_BYTES], sql[512];

	assert_int_equal(md_user_create(f->ctx, "clerk1", NULL, "clerk", "demo", NULL, NULL, "x", 0,
	                                1, &err), MD_E_MODE);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM users WHERE id = 'clerk1'"), 0);
	assert_int_equal(md_user_demo_list(f->ctx, &t, &err), MD_OK);
	assert_int_equal(t.nrows, 0);
	md_table_release(&t);

	/* A demo account copied into production still cannot log in. */
	assert_int_equal(md_password_hash("demo", hash, &err), MD_OK);
	snprintf(sql, sizeof sql,
	         "INSERT INTO users (id, name, pw_hash, pw_changed_at, must_change, valid_from, demo, "
	         "created_at, created_by) VALUES ('clerk1', 'x', '%s', '2026-04-01T00:00:00Z', 0, "
	         "'2000-01-01', 1, 'x', 'x');"
	         "INSERT INTO grants (user_id, role, valid_from, granted_by, granted_at, reason) "
	         "VALUES ('clerk1', 'clerk', '2000-01-01', 'x', 'x', 'x')", hash);
	tu_sql_exec(f->ctx, sql);
	u = another(f);
	assert_int_equal(md_auth_login(u, "clerk1", "demo", &err), MD_E_DISABLED);
	assert_non_null(strstr(err.msg, "training"));
	assert_null(u->session);
	md_ctx_free(&u);
}

static void test_role_permissions(void **state)
{
	static const struct {
		const char *user, *perm;
		int can;
	} cases[] = {
		{ "clerk1", "resident.lookup", 1 }, { "clerk1", "cert.issue", 1 },
		{ "clerk1", "user.manage", 0 }, { "clerk1", "change.approve", 0 },
		{ "clerk1", "mynumber.view", 0 }, { "clerk1", "audit.review", 0 },
		{ "supervisor1", "change.approve", 1 }, { "supervisor1", "resident.lookup", 1 },
		{ "supervisor1", "user.manage", 0 },
		{ "auditor1", "audit.review", 1 }, { "auditor1", "audit.verify", 1 },
		{ "auditor1", "resident.lookup", 0 }, { "auditor1", "user.manage", 0 },
		{ "admin1", "user.manage", 1 }, { "admin1", "backup", 1 },
		{ "admin1", "resident.lookup", 0 }, { "admin1", "mynumber.view", 0 },
	};
	struct fx *f = *state;
	struct md_ctx *u = another(f);
	struct md_error err;

	assert_false(md_auth_can(u, "resident.lookup"));   /* nobody logged in */
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (!u->session || strcmp(u->session->user, cases[i].user) != 0)
			assert_int_equal(md_auth_login(u, cases[i].user, "demo", &err), MD_OK);
		if (md_auth_can(u, cases[i].perm) != cases[i].can)
			print_error("%s %s: want %d\n", cases[i].user, cases[i].perm, cases[i].can);
		assert_int_equal(md_auth_can(u, cases[i].perm), cases[i].can);
	}
	md_ctx_free(&u);
}

/* ---- screen lock ------------------------------------------------------------------------- */

static void test_lock_unlock(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;

	mkuser(f, "ueda", "clerk", PW1);
	u = as_user(f, "ueda", PW1);
	assert_int_equal(md_auth_lock(u, "idle", &err), MD_OK);
	assert_int_equal(u->session->locked, 1);
	assert_int_equal(tu_audit_count(u, "lock", "ok", "ueda"), 1);
	assert_int_equal(md_auth_lock(u, "key", &err), MD_OK);     /* already locked */
	assert_int_equal(u->session->locked, 1);

	assert_int_equal(md_auth_unlock(u, PW2, &err), MD_E_AUTH);
	assert_non_null(u->session);
	assert_int_equal(u->session->locked, 1);
	assert_int_equal(user_int(u, "ueda", "failed_count"), 1);
	assert_int_equal(tu_audit_count(u, "unlock", "failed", "ueda"), 1);

	assert_int_equal(md_auth_unlock(u, PW1, &err), MD_OK);
	assert_int_equal(u->session->locked, 0);
	assert_int_equal(user_int(u, "ueda", "failed_count"), 0);
	assert_int_equal(tu_audit_count(u, "unlock", "ok", "ueda"), 1);
	assert_true(md_auth_can(u, "resident.lookup"));

	/* Nobody logged in. */
	md_auth_logout(u);
	assert_int_equal(md_auth_lock(u, "idle", &err), MD_E_AUTH);
	assert_int_equal(md_auth_unlock(u, PW1, &err), MD_E_AUTH);
	md_ctx_free(&u);
}

static void test_unlock_failures_lock_out(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u, *v;
	struct md_error err;

	mkuser(f, "ueda", "clerk", PW1);
	u = as_user(f, "ueda", PW1);
	assert_int_equal(md_auth_lock(u, "idle", &err), MD_OK);
	assert_int_equal(md_auth_unlock(u, PW2, &err), MD_E_AUTH);
	assert_int_equal(md_auth_unlock(u, PW3, &err), MD_E_AUTH);
	assert_non_null(u->session);
	assert_int_equal(md_auth_unlock(u, PW4, &err), MD_E_LOCKED);
	assert_null(u->session);                      /* logged out */
	assert_int_equal(user_int(u, "ueda", "locked_at IS NOT NULL"), 1);
	assert_int_equal(tu_audit_count(u, "account.lockout", "ok", "ueda"), 1);
	assert_int_equal(tu_audit_count(u, "unlock", "failed", "ueda"), 3);
	assert_int_equal(tu_audit_count(u, "logout", "ok", "ueda"), 1);
	v = another(f);
	assert_int_equal(md_auth_login(v, "ueda", PW1, &err), MD_E_LOCKED);
	md_ctx_free(&v);
	md_ctx_free(&u);
}

/* Failed logins elsewhere count too: a locked screen whose account was locked
 * out meanwhile cannot be unlocked. */
static void test_unlock_after_lockout_elsewhere(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u, *v;
	struct md_error err;

	mkuser(f, "ueda", "clerk", PW1);
	u = as_user(f, "ueda", PW1);
	assert_int_equal(md_auth_lock(u, "idle", &err), MD_OK);
	v = another(f);
	for (int i = 0; i < 3; i++)
		md_auth_login(v, "ueda", "Wrong-pass-0", &err);
	assert_int_equal(err.code, MD_E_LOCKED);
	assert_int_equal(md_auth_unlock(u, PW1, &err), MD_E_LOCKED);
	assert_null(u->session);
	md_ctx_free(&v);
	md_ctx_free(&u);
}

/* Guessing the current password on the change-password screen counts
 * towards lockout like any other failure: the lockout is logged and the
 * session ends. */
static void test_change_password_failures_lock_out(void **state)
{
	struct fx *f = *state;
	struct md_ctx *u;
	struct md_error err;

	mkuser(f, "ueda", "clerk", PW1);
	u = as_user(f, "ueda", PW1);
	assert_int_equal(md_auth_change_password(u, PW2, PW3, &err), MD_E_AUTH);
	assert_int_equal(md_auth_change_password(u, PW4, PW3, &err), MD_E_AUTH);
	assert_non_null(u->session);
	assert_int_equal(md_auth_change_password(u, PW5, PW3, &err), MD_E_LOCKED);
	assert_null(u->session);
	assert_int_equal(user_int(u, "ueda", "locked_at IS NOT NULL"), 1);
	assert_int_equal(tu_audit_count(u, "account.lockout", "ok", "ueda"), 1);
	assert_int_equal(tu_audit_count(u, "password.change", "failed", "ueda"), 3);
	assert_int_equal(md_auth_login(u, "ueda", PW1, &err), MD_E_LOCKED);
	md_ctx_free(&u);
}

/* ---- listing -------------------------------------------------------------------------- */

static const char *status_of(const struct md_table *t, const char *id)
{
	for (int i = 0; i < t->nrows; i++)
		if (strcmp(t->rows[i][0], id) == 0)
			return t->rows[i][3];
	return NULL;
}

static void test_user_list(void **state)
{
	struct fx *f = *state;
	struct md_ctx *v;
	struct md_table t;
	struct md_error err;
	char d3[11];

	tu_date(3, d3);
	mkuser(f, "active1", "clerk", PW1);
	mkuser_dates(f, "newbie", "clerk", PW1, NULL, NULL, 1);
	mkuser(f, "gone", "clerk", PW1);
	mkuser(f, "locked1", "clerk", PW1);
	mkuser_dates(f, "temp", "clerk", PW1, NULL, d3, 0);
	grant(f, "active1", "report.view", NULL, d3);
	assert_int_equal(md_user_disable(f->ctx, "gone", "left", &err), MD_OK);
	v = another(f);
	for (int i = 0; i < 3; i++)
		md_auth_login(v, "locked1", "Wrong-pass-0", &err);
	md_ctx_free(&v);

	assert_int_equal(md_user_list(f->ctx, &t, &err), MD_OK);
	assert_int_equal(t.ncols, 7);
	assert_int_equal(t.nrows, 6);
	assert_string_equal(t.rows[0][0], "active1");   /* sorted by ID */
	assert_string_equal(status_of(&t, "active1"), "active");
	assert_string_equal(status_of(&t, "newbie"), "must change password");
	assert_string_equal(status_of(&t, "gone"), "disabled");
	assert_string_equal(status_of(&t, "locked1"), "locked");
	assert_string_equal(status_of(&t, "admin"), "active");
	/* The grants in effect, a temporary one with its end date. */
	assert_int_equal(strlen(t.rows[0][2]), strlen("clerk,report.view(~2026-04-04)"));
	assert_non_null(strstr(t.rows[0][2], "clerk"));
	assert_non_null(strstr(t.rows[0][2], "report.view(~2026-04-04)"));
	assert_string_equal(t.rows[2][0], "gone");
	assert_string_equal(t.rows[2][2], "");
	md_table_release(&t);
	assert_int_equal(tu_audit_count(f->ctx, "user.list", "ok", NULL), 1);

	md_time_set(tu_day(4));
	assert_int_equal(md_user_list(f->ctx, &t, &err), MD_OK);
	assert_string_equal(status_of(&t, "temp"), "expired");
	assert_string_equal(t.rows[0][2], "clerk");
	md_table_release(&t);
}

int main(void)
{
#define P(fn) cmocka_unit_test_setup_teardown(fn, setup_prod, teardown)
#define TR(fn) cmocka_unit_test_setup_teardown(fn, setup_train, teardown)
	const struct CMUnitTest tests[] = {
		P(test_policy_rules),
		P(test_policy_history),
		P(test_login_ok),
		P(test_wrong_password_like_unknown_user),
		P(test_lockout_and_admin_unlock),
		P(test_lockout_counts_in_a_row),
		P(test_locked_account_has_no_permissions),
		P(test_new_user_must_change),
		P(test_password_expiry),
		P(test_password_expiry_local_date),
		TR(test_demo_accounts_do_not_expire),
		P(test_reset_password),
		P(test_disable),
		P(test_account_dates),
		P(test_user_create_validation),
		P(test_grant_from_tomorrow),
		P(test_temporary_grant),
		P(test_revoke_immediate),
		P(test_single_permission_grant),
		P(test_trainer_refused_on_production),
		TR(test_trainer_on_training),
		P(test_self_actions_refused),
		P(test_terminal_restriction),
		TR(test_demo_accounts_on_training),
		P(test_demo_accounts_not_on_production),
		TR(test_role_permissions),
		P(test_lock_unlock),
		P(test_unlock_failures_lock_out),
		P(test_unlock_after_lockout_elsewhere),
		P(test_change_password_failures_lock_out),
		P(test_user_list),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
