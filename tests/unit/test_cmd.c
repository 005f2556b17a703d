/* test_cmd.c: the command table and md_cmd_exec()'s gate; opening and
 * creating databases (ctx). */
#include "config.h"

#include <stdarg.h>
#include <sys/stat.h>

#define TU_WITH_DB
#include "testutil.h"

#include "account.h"
#include "audit.h"
#include "cmd.h"
#include "ctx.h"
#include "error.h"
#include "result.h"
#include "settings.h"
#include "store.h"
#include "timeutil.h"

#define PW1 "Madoguchi-01"
#define PW2 "Madoguchi-02"

struct fx {
	char *dir;
	char *db;
	enum md_db_kind kind;
	struct md_settings cfg;
	struct md_ctx *ctx;   /* open, nobody logged in */
};

static int group_setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

/* A temporary directory only: the test makes its own databases. */
static int setup_dir(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f || !(f->dir = tu_tmpdir()))
		return -1;
	md_time_set(tu_day(0));
	md_settings_defaults(&f->cfg);
	f->cfg.lockout_attempts = 3;
	*state = f;
	return 0;
}

static int setup_kind(void **state, enum md_db_kind kind)
{
	struct fx *f;
	if (setup_dir(state) != 0)
		return -1;
	f = *state;
	f->kind = kind;
	f->db = tu_create_db(f->dir, "t.db", &f->cfg, kind);
	f->ctx = tu_open(&f->cfg, f->db, kind);
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
	return 0;
}

/* Runs a command with key/value pairs (NULL-terminated). The result's
 * message, if any, is copied to msg. */
static int run(struct md_ctx *c, struct md_error *err, char *msg, size_t msgsz, const char *name,
               ...)
{
	struct md_args a;
	struct md_result res;
	va_list ap;
	const char *k;
	int rc;

	md_args_init(&a);
	va_start(ap, name);
	while ((k = va_arg(ap, const char *)) != NULL) {
		const char *v = va_arg(ap, const char *);
		assert_int_equal(md_args_set(&a, k, v), 0);
	}
	va_end(ap);
	md_result_init(&res);
	rc = md_cmd_exec(c, name, &a, &res, err);
	if (msg)
		snprintf(msg, msgsz, "%s", res.message ? res.message : "");
	md_result_release(&res);
	return rc;
}

static void login_ok(struct md_ctx *c, const char *user, const char *pw)
{
	struct md_error err;
	int rc = run(c, &err, NULL, 0, "login", "user", user, "password", pw, NULL);
	if (rc != MD_OK)
		print_error("login %s: %s\n", user, err.msg);
	assert_int_equal(rc, MD_OK);
}

/* The last audit entry's fields. */
static void last_audit(struct md_ctx *c, char *buf, size_t n)
{
	tu_sql_text(c, "SELECT user_id || '|' || function || '|' || coalesce(subject, '-') || '|' || "
	               "outcome FROM audit_log ORDER BY id DESC LIMIT 1", buf, n);
}

/* ---- args ------------------------------------------------------------------------------ */

static void test_args(void **state)
{
	struct md_args a;
	char keys[MD_ARGS_MAX + 1][16];
	(void)state;

	md_args_init(&a);
	assert_null(md_args_get(&a, "x"));
	assert_null(md_args_get(NULL, "x"));
	assert_int_equal(md_args_set(&a, "x", "1"), 0);
	assert_int_equal(md_args_set(&a, "x", "2"), 0);   /* replaces */
	assert_int_equal(a.n, 1);
	assert_string_equal(md_args_get(&a, "x"), "2");
	for (int i = 1; i < MD_ARGS_MAX; i++) {
		snprintf(keys[i], sizeof keys[i], "k%d", i);
		assert_int_equal(md_args_set(&a, keys[i], "v"), 0);
	}
	snprintf(keys[MD_ARGS_MAX], sizeof keys[0], "full");
	assert_int_equal(md_args_set(&a, keys[MD_ARGS_MAX], "v"), -1);
	assert_int_equal(md_args_set(&a, "x", "3"), 0);   /* replacing still works when full */
	assert_string_equal(md_args_get(&a, "x"), "3");
}

/* ---- the table --------------------------------------------------------------------------- */

static void test_table_sane(void **state)
{
	const struct md_cmd_entry *t = md_cmd_table();
	int n = 0;
	(void)state;

	for (const struct md_cmd_entry *e = t; e->name; e++, n++) {
		assert_non_null(e->fn);
		assert_non_null(e->args);
		assert_non_null(e->help);
		assert_true(strlen(e->help) > 3);
		assert_ptr_equal(md_cmd_find(e->name), e);
		for (const struct md_cmd_entry *o = e + 1; o->name; o++) {
			if (strcmp(e->name, o->name) == 0)
				print_error("duplicate command %s\n", e->name);
			assert_string_not_equal(e->name, o->name);
			if (e->cli && o->cli)
				assert_string_not_equal(e->cli, o->cli);
		}
		for (const struct md_arg_spec *a = e->args; a->name; a++) {
			assert_non_null(a->help);
			assert_true(strlen(a->help) > 0);
			for (const struct md_arg_spec *b = a + 1; b->name; b++)
				assert_string_not_equal(a->name, b->name);
		}
		/* A command line name finds its own entry, with all its words. */
		if (e->cli && !(e->flags & MD_CMD_HIDDEN)) {
			char buf[64], *words[8], *save = NULL;
			int w = 0, used = -1;
			snprintf(buf, sizeof buf, "%s", e->cli);
			for (char *tok = strtok_r(buf, " ", &save); tok && w < 8;
			     tok = strtok_r(NULL, " ", &save))
				words[w++] = tok;
			assert_ptr_equal(md_cmd_find_cli(w, words, &used), e);
			assert_int_equal(used, w);
		}
		/* A permission named in the table exists (data/migrations/0001_core.sql). */
		if (e->permission) {
			static const char *const known[] = {
				"counter.reception", "resident.lookup", "resident.intake", "change.approve",
				"alert.override", "cert.issue", "cert.void", "seal.register", "mynumber.view",
				"honseki.view", "support.view", "support.manage", "report.view", "user.manage",
				"audit.review", "audit.verify", "backup", "data.import", "retention.purge",
				"training.admin",
				"inquiry.manage", "disclosure.approve", "disclosure.extract",   /* 0008_inquiries.sql */
				"spool.purge", "seal.cancel_ex_officio",                        /* 0006_certadmin.sql */
				NULL
			};
			/* "a|b": each alternative is a known permission. */
			const char *p = e->permission;
			while (*p) {
				size_t len = strcspn(p, "|");
				int found = 0;
				for (int i = 0; known[i]; i++)
					found |= strlen(known[i]) == len && strncmp(known[i], p, len) == 0;
				if (!found)
					print_error("%s: unexpected permission %s\n", e->name, e->permission);
				assert_true(found);
				p += len;
				if (*p == '|')
					p++;
			}
		}
	}
	assert_true(n >= 17);
	assert_null(md_cmd_find("no.such.command"));
	/* The permissions of the administration commands. */
	assert_string_equal(md_cmd_find("user.add")->permission, "user.manage");
	assert_string_equal(md_cmd_find("audit.verify")->permission, "audit.verify");
	assert_null(md_cmd_find("passwd")->permission);
	assert_true(md_cmd_find("training-db")->flags & MD_CMD_TRAINING);
}

static void test_find_cli(void **state)
{
	char *a1[] = { "user", "add", "x" };
	char *a2[] = { "audit", "verify" };
	char *a3[] = { "user" };
	char *a4[] = { "passwd", "--help" };
	char *a5[] = { "login", "x" };
	char *a6[] = { "user", "lists" };
	char *a7[] = { "init", "--admin", "chief" };
	char *a8[] = { "user", "reset-password", "x" };
	const struct md_cmd_entry *e;
	int used = -1;
	(void)state;

	e = md_cmd_find_cli(3, a1, &used);
	assert_non_null(e);
	assert_string_equal(e->name, "user.add");
	assert_int_equal(used, 2);
	e = md_cmd_find_cli(2, a2, &used);
	assert_non_null(e);
	assert_string_equal(e->name, "audit.verify");
	assert_int_equal(used, 2);
	assert_null(md_cmd_find_cli(1, a3, &used));
	assert_int_equal(used, 0);
	e = md_cmd_find_cli(2, a4, &used);
	assert_string_equal(e->name, "passwd");
	assert_int_equal(used, 1);
	assert_null(md_cmd_find_cli(2, a5, &used));   /* screen-only */
	assert_null(md_cmd_find_cli(2, a6, &used));
	e = md_cmd_find_cli(3, a7, &used);
	assert_string_equal(e->name, "init");
	assert_int_equal(used, 1);
	e = md_cmd_find_cli(3, a8, NULL);
	assert_string_equal(e->name, "user.reset-password");
	assert_null(md_cmd_find_cli(0, a1, &used));
	assert_null(md_cmd_find_cli(1, a1, &used));   /* "user" alone */
}

/* ---- the gate ------------------------------------------------------------------------------ */

static void test_refused_without_session(void **state)
{
	struct fx *f = *state;
	struct md_error err;
	long long n = tu_audit_total(f->ctx);

	assert_int_equal(run(f->ctx, &err, NULL, 0, "user.list", NULL), MD_E_AUTH);
	assert_int_equal(err.code, MD_E_AUTH);
	assert_int_equal(run(f->ctx, &err, NULL, 0, "passwd", "current", "a", "password", "b", NULL),
	                 MD_E_AUTH);
	assert_int_equal(run(f->ctx, &err, NULL, 0, "audit.verify", NULL), MD_E_AUTH);
	assert_int_equal(run(f->ctx, &err, NULL, 0, "unlock", "password", "x", NULL), MD_E_AUTH);
	assert_false(md_cmd_allowed(f->ctx, "user.list"));
	assert_false(md_cmd_allowed(f->ctx, "passwd"));
	assert_true(md_cmd_allowed(f->ctx, "login"));
	assert_false(md_cmd_allowed(f->ctx, "nonexistent"));
	assert_int_equal(run(f->ctx, &err, NULL, 0, "nonexistent", NULL), MD_E_NOTFOUND);
	/* Nobody to blame: nothing written. */
	assert_int_equal(tu_audit_total(f->ctx), n);
	/* A bare context with no database. */
	{
		struct md_ctx *bare = md_ctx_bare(&f->cfg);
		assert_int_equal(run(bare, &err, NULL, 0, "user.list", NULL), MD_E_INVALID);
		assert_int_equal(run(bare, &err, NULL, 0, "login", "user", "a", "password", "b", NULL),
		                 MD_E_INVALID);
		assert_false(md_cmd_allowed(bare, "user.list"));
		md_ctx_free(&bare);
	}
}

static void test_denied_is_logged(void **state)
{
	struct fx *f = *state;
	struct md_error err;
	char buf[256];
	long long n;

	login_ok(f->ctx, "clerk1", "demo");
	assert_false(md_cmd_allowed(f->ctx, "user.add"));
	n = tu_audit_total(f->ctx);
	assert_int_equal(run(f->ctx, &err, NULL, 0, "user.add", "id", "newguy", "role", "clerk",
	                     "password", PW1, NULL), MD_E_DENIED);
	assert_int_equal(err.code, MD_E_DENIED);
	assert_non_null(strstr(err.msg, "user.manage"));
	assert_int_equal(tu_audit_total(f->ctx), n + 1);
	last_audit(f->ctx, buf, sizeof buf);
	assert_string_equal(buf, "clerk1|user.add|newguy|denied");
	assert_int_equal(tu_audit_count(f->ctx, "user.add", "denied", NULL), 1);
	tu_sql_text(f->ctx, "SELECT detail FROM audit_log ORDER BY id DESC LIMIT 1", buf, sizeof buf);
	assert_string_equal(buf, err.msg);
	/* Nothing was done. */
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM users WHERE id = 'newguy'"), 0);
	/* Also a command without an "id". */
	assert_int_equal(run(f->ctx, &err, NULL, 0, "audit.verify", NULL), MD_E_DENIED);
	last_audit(f->ctx, buf, sizeof buf);
	assert_string_equal(buf, "clerk1|audit.verify|-|denied");
	/* md_cmd_allowed() does not log. */
	n = tu_audit_total(f->ctx);
	assert_false(md_cmd_allowed(f->ctx, "user.list"));
	assert_int_equal(tu_audit_total(f->ctx), n);
}

/* md_cmd_allowed() agrees with the permissions, for every command and role. */
static void test_allowed_matches(void **state)
{
	static const char *const users[] = { "clerk1", "supervisor1", "auditor1", "admin1", "trainer1" };
	struct fx *f = *state;

	for (size_t u = 0; u < sizeof users / sizeof users[0]; u++) {
		login_ok(f->ctx, users[u], "demo");
		for (const struct md_cmd_entry *e = md_cmd_table(); e->name; e++) {
			int want = 1;
			if (e->permission) {
				/* "a|b": any one of them. */
				char buf[128], *save = NULL;
				snprintf(buf, sizeof buf, "%s", e->permission);
				want = 0;
				for (char *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save))
					want |= md_auth_can(f->ctx, t);
			}
			if (md_cmd_allowed(f->ctx, e->name) != want)
				print_error("%s %s: want %d\n", users[u], e->name, want);
			assert_int_equal(md_cmd_allowed(f->ctx, e->name), want);
		}
	}
	login_ok(f->ctx, "clerk1", "demo");
	assert_false(md_cmd_allowed(f->ctx, "user.add"));
	assert_false(md_cmd_allowed(f->ctx, "audit.verify"));
	assert_true(md_cmd_allowed(f->ctx, "passwd"));
	assert_true(md_cmd_allowed(f->ctx, "lock"));
	login_ok(f->ctx, "admin1", "demo");
	assert_true(md_cmd_allowed(f->ctx, "user.add"));
	assert_true(md_cmd_allowed(f->ctx, "audit.verify"));
	login_ok(f->ctx, "auditor1", "demo");
	assert_false(md_cmd_allowed(f->ctx, "user.add"));
	assert_true(md_cmd_allowed(f->ctx, "audit.verify"));
}

static void test_must_change_session(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c;
	struct md_error err;
	char msg[256], buf[256];

	login_ok(f->ctx, TU_ADMIN, TU_ADMIN_PW);
	assert_int_equal(run(f->ctx, &err, msg, sizeof msg, "user.add", "id", "chief2", "role",
	                     "admin", "password", PW1, "reason", "second administrator", NULL),
	                 MD_OK);
	assert_non_null(strstr(msg, "chief2"));
	c = tu_open(&f->cfg, f->db, MD_DB_PRODUCTION);
	assert_int_equal(run(c, &err, msg, sizeof msg, "login", "user", "chief2", "password", PW1,
	                     NULL), MD_E_EXPIRED);
	assert_non_null(c->session);
	assert_int_equal(c->session->must_change, 1);
	assert_non_null(strstr(msg, "chief2"));

	assert_false(md_cmd_allowed(c, "user.list"));
	assert_true(md_cmd_allowed(c, "passwd"));
	assert_true(md_cmd_allowed(c, "logout"));
	assert_true(md_cmd_allowed(c, "lock"));
	assert_int_equal(run(c, &err, NULL, 0, "user.list", NULL), MD_E_EXPIRED);
	assert_string_equal(err.field, "password");
	last_audit(c, buf, sizeof buf);
	assert_string_equal(buf, "chief2|user.list|-|denied");
	assert_int_equal(run(c, &err, NULL, 0, "user.add", "id", "x3", "role", "clerk", "password",
	                     PW1, NULL), MD_E_EXPIRED);

	/* logout is allowed */
	assert_int_equal(run(c, &err, NULL, 0, "logout", NULL), MD_OK);
	assert_null(c->session);
	assert_int_equal(run(c, &err, NULL, 0, "login", "user", "chief2", "password", PW1, NULL),
	                 MD_E_EXPIRED);
	/* passwd is allowed, and lifts the restriction */
	assert_int_equal(run(c, &err, msg, sizeof msg, "passwd", "current", PW1, "password", PW2,
	                     NULL), MD_OK);
	assert_non_null(strstr(msg, "chief2"));
	assert_int_equal(c->session->must_change, 0);
	assert_true(md_cmd_allowed(c, "user.list"));
	{
		struct md_args a;
		struct md_result res;
		md_args_init(&a);
		md_result_init(&res);
		assert_int_equal(md_cmd_exec(c, "user.list", &a, &res, &err), MD_OK);
		assert_int_equal(res.table.nrows, 2);
		assert_int_equal(res.table.ncols, 7);
		assert_string_equal(res.table.rows[0][0], "admin");
		assert_string_equal(res.table.rows[1][0], "chief2");
		md_result_release(&res);
	}
	md_ctx_free(&c);
}

static void test_locked_session(void **state)
{
	struct fx *f = *state;
	struct md_error err;
	char buf[256];

	login_ok(f->ctx, "admin1", "demo");
	assert_int_equal(run(f->ctx, &err, NULL, 0, "lock", "why", "key", NULL), MD_OK);
	assert_int_equal(f->ctx->session->locked, 1);
	/* Of the commands that need a session, only unlock and logout. */
	for (const struct md_cmd_entry *e = md_cmd_table(); e->name; e++) {
		int want;
		if (e->flags & (MD_CMD_NODB | MD_CMD_NOLOGIN))
			continue;
		want = strcmp(e->name, "unlock") == 0 || strcmp(e->name, "logout") == 0;
		if (md_cmd_allowed(f->ctx, e->name) != want)
			print_error("locked: %s want %d\n", e->name, want);
		assert_int_equal(md_cmd_allowed(f->ctx, e->name), want);
	}
	assert_int_equal(run(f->ctx, &err, NULL, 0, "user.list", NULL), MD_E_DENIED);
	assert_non_null(strstr(err.msg, "locked"));
	last_audit(f->ctx, buf, sizeof buf);
	assert_string_equal(buf, "admin1|user.list|-|denied");
	assert_int_equal(run(f->ctx, &err, NULL, 0, "passwd", "current", "demo", "password", PW1,
	                     NULL), MD_E_DENIED);
	assert_int_equal(run(f->ctx, &err, NULL, 0, "lock", NULL), MD_E_DENIED);
	/* unlock */
	assert_int_equal(run(f->ctx, &err, NULL, 0, "unlock", "password", "wrong", NULL), MD_E_AUTH);
	assert_int_equal(f->ctx->session->locked, 1);
	assert_int_equal(run(f->ctx, &err, NULL, 0, "unlock", "password", "demo", NULL), MD_OK);
	assert_int_equal(f->ctx->session->locked, 0);
	assert_true(md_cmd_allowed(f->ctx, "user.list"));
	/* logout while locked */
	assert_int_equal(run(f->ctx, &err, NULL, 0, "lock", NULL), MD_OK);
	assert_int_equal(run(f->ctx, &err, NULL, 0, "logout", NULL), MD_OK);
	assert_null(f->ctx->session);
}

static void test_missing_argument(void **state)
{
	struct fx *f = *state;
	struct md_error err;
	long long users;

	login_ok(f->ctx, TU_ADMIN, TU_ADMIN_PW);
	users = tu_sql_int(f->ctx, "SELECT count(*) FROM users");
	assert_int_equal(run(f->ctx, &err, NULL, 0, "user.add", "id", "x1", "password", PW1, NULL),
	                 MD_E_INVALID);
	assert_string_equal(err.field, "role");
	assert_non_null(strstr(err.msg, "role"));
	assert_int_equal(run(f->ctx, &err, NULL, 0, "user.add", "role", "clerk", "password", PW1,
	                     NULL), MD_E_INVALID);
	assert_string_equal(err.field, "id");
	/* Empty counts as missing. */
	assert_int_equal(run(f->ctx, &err, NULL, 0, "user.add", "id", "x1", "role", "clerk",
	                     "password", "", NULL), MD_E_INVALID);
	assert_string_equal(err.field, "password");
	assert_int_equal(run(f->ctx, &err, NULL, 0, "user.grant", "id", "x1", "what", "clerk", NULL),
	                 MD_E_INVALID);
	assert_string_equal(err.field, "reason");
	assert_int_equal(run(f->ctx, &err, NULL, 0, "passwd", "password", PW1, NULL), MD_E_INVALID);
	assert_string_equal(err.field, "current");
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM users"), users);
	/* Optional ones may be left out. */
	assert_int_equal(run(f->ctx, &err, NULL, 0, "user.add", "id", "x1", "role", "clerk",
	                     "password", PW1, NULL), MD_OK);
}

/* The administration commands do what they say. */
static void test_admin_commands(void **state)
{
	struct fx *f = *state;
	struct md_error err;
	char msg[256];

	login_ok(f->ctx, TU_ADMIN, TU_ADMIN_PW);
	assert_int_equal(run(f->ctx, &err, NULL, 0, "user.add", "id", "ito", "role", "clerk",
	                     "password", PW1, NULL), MD_OK);
	assert_int_equal(run(f->ctx, &err, msg, sizeof msg, "user.grant", "id", "ito", "what",
	                     "mynumber.view", "to", "2026-04-10", "reason", "cover", NULL), MD_OK);
	assert_non_null(strstr(msg, "mynumber.view"));
	assert_int_equal(run(f->ctx, &err, msg, sizeof msg, "user.terminals", "id", "ito",
	                     "terminals", "本庁1", NULL), MD_OK);
	assert_non_null(strstr(msg, "本庁1"));
	assert_int_equal(run(f->ctx, &err, NULL, 0, "user.revoke", "id", "ito", "what",
	                     "mynumber.view", "reason", "done", NULL), MD_OK);
	assert_int_equal(run(f->ctx, &err, NULL, 0, "user.reset-password", "id", "ito", "password",
	                     PW2, NULL), MD_OK);
	assert_int_equal(run(f->ctx, &err, NULL, 0, "user.disable", "id", "ito", "reason", "left",
	                     NULL), MD_OK);
	assert_int_equal(run(f->ctx, &err, NULL, 0, "user.unlock", "id", "ito", NULL), MD_E_CONFLICT);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM grants WHERE user_id = 'ito' AND "
	                                    "revoked_at IS NULL"), 0);
	assert_int_equal(tu_audit_count(f->ctx, "user.grant", "ok", "ito"), 1);
	assert_int_equal(tu_audit_count(f->ctx, "user.revoke", "ok", "ito"), 1);
	assert_int_equal(tu_audit_count(f->ctx, "user.disable", "ok", "ito"), 1);
}

static void test_training_command_on_production(void **state)
{
	struct fx *f = *state;
	struct md_error err;
	char *p = tu_path(f->dir, "new-training.db");
	char buf[256];

	login_ok(f->ctx, TU_ADMIN, TU_ADMIN_PW);
	assert_false(md_cmd_allowed(f->ctx, "training-db"));
	assert_int_equal(run(f->ctx, &err, NULL, 0, "training-db", "db", p, NULL), MD_E_MODE);
	assert_int_equal(err.code, MD_E_MODE);
	assert_false(tu_exists(p));
	last_audit(f->ctx, buf, sizeof buf);
	assert_string_equal(buf, "admin|training-db|-|denied");
	/* Nobody logged in: refused all the same. */
	run(f->ctx, &err, NULL, 0, "logout", NULL);
	assert_int_equal(run(f->ctx, &err, NULL, 0, "training-db", "db", p, NULL), MD_E_MODE);
	assert_false(tu_exists(p));
	free(p);
}

static void test_training_command_bare(void **state)
{
	struct fx *f = *state;
	struct md_ctx *bare = md_ctx_bare(&f->cfg), *c;
	struct md_error err;
	char msg[512];
	char *p = tu_path(f->dir, "train.db");

	assert_true(md_cmd_allowed(bare, "training-db"));
	assert_int_equal(run(bare, &err, msg, sizeof msg, "training-db", "db", p, NULL), MD_OK);
	assert_non_null(strstr(msg, p));
	assert_non_null(strstr(msg, "clerk1"));
	md_ctx_free(&bare);
	c = tu_open(&f->cfg, p, MD_DB_TRAINING);
	assert_int_equal(c->kind, MD_DB_TRAINING);
	login_ok(c, "trainer1", "demo");
	/* On a training database the command is allowed. */
	assert_true(md_cmd_allowed(c, "training-db"));
	md_ctx_free(&c);
	free(p);
}

static void test_audit_verify_command(void **state)
{
	struct fx *f = *state;
	struct md_error err;
	char msg[256], want[64], detail[64];
	long long n;

	login_ok(f->ctx, TU_ADMIN, TU_ADMIN_PW);
	n = tu_audit_total(f->ctx);
	assert_int_equal(run(f->ctx, &err, msg, sizeof msg, "audit.verify", NULL), MD_OK);
	snprintf(want, sizeof want, "audit chain intact: %lld entries", n);
	assert_string_equal(msg, want);
	/* The verification is itself logged, and included the next time. */
	assert_int_equal(tu_audit_total(f->ctx), n + 1);
	tu_sql_text(f->ctx, "SELECT function || ' ' || outcome || ' ' || detail FROM audit_log "
	                    "ORDER BY id DESC LIMIT 1", detail, sizeof detail);
	snprintf(want, sizeof want, "audit.verify ok entries=%lld", n);
	assert_string_equal(detail, want);
	assert_int_equal(run(f->ctx, &err, msg, sizeof msg, "audit.verify", NULL), MD_OK);
	snprintf(want, sizeof want, "audit chain intact: %lld entries", n + 1);
	assert_string_equal(msg, want);

	/* Tampered: refused with the first broken entry, and the failure logged. */
	tu_sql_exec(f->ctx, "DROP TRIGGER audit_log_no_update;"
	                    "UPDATE audit_log SET user_id = 'someone' WHERE id = 2");
	msg[0] = 'x';
	assert_int_equal(run(f->ctx, &err, msg, sizeof msg, "audit.verify", NULL), MD_E_TAMPER);
	assert_string_equal(msg, "");
	assert_non_null(strstr(err.msg, "entry 2"));
	tu_sql_text(f->ctx, "SELECT function || ' ' || outcome || ' ' || detail FROM audit_log "
	                    "ORDER BY id DESC LIMIT 1", detail, sizeof detail);
	assert_string_equal(detail, "audit.verify failed first broken entry=2");
}

/* ---- creating and opening databases --------------------------------------------------------- */

static void test_init_through_command(void **state)
{
	struct fx *f = *state;
	struct md_ctx *bare = md_ctx_bare(NULL), *c;
	struct md_error err;
	char msg[1024];
	char *p = tu_path(f->dir, "new.db"), *kp = tu_path(f->dir, "new.db.key");
	struct stat sb;

	/* Defaults when no settings are given. */
	assert_int_equal(bare->cfg.password_min_length, 10);
	assert_null(bare->store);
	assert_null(bare->session);
	/* The password is required, and must satisfy the policy: nothing is created otherwise. */
	assert_int_equal(run(bare, &err, NULL, 0, "init", "db", p, NULL), MD_E_INVALID);
	assert_string_equal(err.field, "password");
	assert_int_equal(run(bare, &err, NULL, 0, "init", "db", p, "admin", "chief", "password",
	                     "chief-password1", NULL), MD_E_INVALID);
	assert_int_equal(run(bare, &err, NULL, 0, "init", "db", p, "password", "short", NULL),
	                 MD_E_INVALID);
	/* No database path. */
	assert_int_equal(run(bare, &err, NULL, 0, "init", "password", TU_ADMIN_PW, NULL),
	                 MD_E_INVALID);
	assert_string_equal(err.field, "db");
	assert_int_equal(md_db_create(&f->cfg, NULL, NULL, MD_DB_TRAINING, NULL, NULL, &err),
	                 MD_E_INVALID);
	assert_string_equal(err.field, "db");
	assert_int_equal(md_db_create(&f->cfg, "", NULL, MD_DB_PRODUCTION, NULL, TU_ADMIN_PW, &err),
	                 MD_E_INVALID);
	assert_false(tu_exists(p));
	assert_false(tu_exists(kp));

	assert_int_equal(run(bare, &err, msg, sizeof msg, "init", "db", p, "admin", "chief",
	                     "password", TU_ADMIN_PW, NULL), MD_OK);
	assert_non_null(strstr(msg, p));
	assert_non_null(strstr(msg, kp));
	assert_non_null(strstr(msg, "chief"));
	assert_true(tu_exists(p));
	assert_int_equal(stat(kp, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* Not twice. */
	assert_int_equal(run(bare, &err, NULL, 0, "init", "db", p, "password", TU_ADMIN_PW, NULL),
	                 MD_E_CONFLICT);
	md_ctx_free(&bare);

	c = tu_open(&f->cfg, p, MD_DB_PRODUCTION);
	assert_int_equal(c->kind, MD_DB_PRODUCTION);
	login_ok(c, "chief", TU_ADMIN_PW);
	assert_int_equal(c->session->must_change, 0);
	assert_true(md_auth_can(c, "user.manage"));
	assert_int_equal(tu_audit_count(c, "db.init", "ok", NULL), 1);
	assert_int_equal(tu_sql_int(c, "SELECT count(*) FROM users WHERE demo = 1"), 0);
	md_ctx_free(&c);
	free(p);
	free(kp);
}

static void test_open_kind_mismatch(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = (struct md_ctx *)f;   /* must be reset to NULL */
	struct md_error err;
	char *tp;

	assert_int_equal(md_ctx_open(&c, &f->cfg, f->db, NULL, MD_DB_TRAINING, &err), MD_E_MODE);
	assert_null(c);
	assert_int_equal(err.code, MD_E_MODE);
	assert_non_null(strstr(err.msg, "production"));

	tp = tu_create_db(f->dir, "train.db", &f->cfg, MD_DB_TRAINING);
	assert_int_equal(md_ctx_open(&c, &f->cfg, tp, NULL, MD_DB_PRODUCTION, &err), MD_E_MODE);
	assert_null(c);
	assert_non_null(strstr(err.msg, "training"));
	c = tu_open(&f->cfg, tp, MD_DB_TRAINING);
	md_ctx_free(&c);
	free(tp);
}

static void test_open_wrong_key(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = NULL;
	struct md_settings cfg = f->cfg;
	struct md_error err;
	char *other = tu_create_db(f->dir, "other.db", &f->cfg, MD_DB_PRODUCTION);
	char *okey = tu_path(f->dir, "other.db.key");
	char *missing = tu_path(f->dir, "missing.key");

	/* Another database's key file. */
	assert_int_equal(md_ctx_open(&c, &f->cfg, f->db, okey, MD_DB_PRODUCTION, &err), MD_E_KEY);
	assert_null(c);
	assert_string_equal(err.field, "key_file");
	assert_non_null(strstr(err.msg, okey));
	/* The same through the key_file setting. */
	snprintf(cfg.key_file, sizeof cfg.key_file, "%s", okey);
	assert_int_equal(md_ctx_open(&c, &cfg, f->db, NULL, MD_DB_PRODUCTION, &err), MD_E_KEY);
	assert_non_null(strstr(err.msg, okey));
	/* A missing one. */
	assert_int_equal(md_ctx_open(&c, &f->cfg, f->db, missing, MD_DB_PRODUCTION, &err), MD_E_KEY);
	assert_non_null(strstr(err.msg, missing));
	/* A key file readable by others. */
	{
		char *kp = tu_path(f->dir, "t.db.key");
		assert_int_equal(chmod(kp, 0644), 0);
		assert_int_equal(md_ctx_open(&c, &f->cfg, f->db, NULL, MD_DB_PRODUCTION, &err), MD_E_KEY);
		assert_non_null(strstr(err.msg, kp));
		assert_int_equal(chmod(kp, 0600), 0);
		free(kp);
	}
	/* The right one still opens. */
	c = tu_open(&f->cfg, other, MD_DB_PRODUCTION);
	md_ctx_free(&c);
	free(other);
	free(okey);
	free(missing);
}

static void test_open_not_ours(void **state)
{
	struct fx *f = *state;
	struct md_ctx *c = NULL;
	struct md_store *st = NULL;
	struct md_error err;
	char *p = tu_path(f->dir, "bare.db");

	/* Migrated but never initialised: no kind recorded. */
	assert_int_equal(md_store_open(&st, p, MD_STORE_CREATE, &err), MD_OK);
	md_store_free(&st);
	assert_int_equal(md_ctx_open(&c, &f->cfg, p, NULL, MD_DB_PRODUCTION, &err), MD_E_SCHEMA);
	assert_null(c);
	/* Missing. */
	free(p);
	p = tu_path(f->dir, "nothing.db");
	assert_int_equal(md_ctx_open(&c, &f->cfg, p, NULL, MD_DB_PRODUCTION, &err), MD_E_NOTFOUND);
	assert_false(tu_exists(p));
	free(p);
}

static long long config_changes(struct md_ctx *c)
{
	return tu_audit_count(c, "config.change", NULL, NULL);
}

static void test_config_change_logged(void **state)
{
	struct fx *f = *state;
	struct md_settings cfg = f->cfg;
	struct md_ctx *c;
	char detail[512];

	/* The fixture's open was the first use of this terminal. */
	assert_int_equal(config_changes(f->ctx), 1);
	tu_sql_text(f->ctx, "SELECT detail FROM audit_log WHERE function = 'config.change'", detail,
	            sizeof detail);
	assert_non_null(strstr(detail, "first use"));

	/* Unchanged: nothing. */
	c = tu_open(&cfg, f->db, MD_DB_PRODUCTION);
	md_ctx_free(&c);
	assert_int_equal(config_changes(f->ctx), 1);

	/* Changed: one entry naming what changed, and only that. */
	cfg.lockout_attempts = 7;
	cfg.idle_lock_minutes = 9;
	c = tu_open(&cfg, f->db, MD_DB_PRODUCTION);
	assert_int_equal(config_changes(c), 2);
	tu_sql_text(c, "SELECT detail FROM audit_log WHERE function = 'config.change' "
	               "ORDER BY id DESC LIMIT 1", detail, sizeof detail);
	assert_non_null(strstr(detail, "security.lockout_attempts"));
	assert_non_null(strstr(detail, "security.idle_lock_minutes"));
	assert_null(strstr(detail, "password_history"));
	assert_null(strstr(detail, "terminal.id"));
	assert_null(strstr(detail, "first use"));
	tu_sql_text(c, "SELECT user_id || '|' || terminal || '|' || outcome FROM audit_log "
	               "WHERE function = 'config.change' ORDER BY id DESC LIMIT 1", detail,
	            sizeof detail);
	assert_string_equal(detail, "-|本庁1|ok");
	md_ctx_free(&c);

	/* Reopened with the new settings: nothing more. */
	c = tu_open(&cfg, f->db, MD_DB_PRODUCTION);
	md_ctx_free(&c);
	assert_int_equal(config_changes(f->ctx), 2);

	/* Another terminal keeps its own record. */
	snprintf(cfg.terminal_id, sizeof cfg.terminal_id, "%s", "支所2");
	c = tu_open(&cfg, f->db, MD_DB_PRODUCTION);
	assert_int_equal(config_changes(c), 3);
	tu_sql_text(c, "SELECT terminal || '|' || detail FROM audit_log WHERE function = "
	               "'config.change' ORDER BY id DESC LIMIT 1", detail, sizeof detail);
	assert_non_null(strstr(detail, "支所2|first use"));
	md_ctx_free(&c);
	/* Back on the first terminal with its original settings: a change again. */
	c = tu_open(&f->cfg, f->db, MD_DB_PRODUCTION);
	assert_int_equal(config_changes(c), 4);
	{
		long count = 0, bad = 0;
		struct md_error err;
		assert_int_equal(md_audit_verify(c, &count, &bad, &err), MD_OK);
		assert_int_equal(count, tu_audit_total(c));
	}
	md_ctx_free(&c);
}

int main(void)
{
#define D(fn) cmocka_unit_test_setup_teardown(fn, setup_dir, teardown)
#define P(fn) cmocka_unit_test_setup_teardown(fn, setup_prod, teardown)
#define TR(fn) cmocka_unit_test_setup_teardown(fn, setup_train, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_table_sane),
		cmocka_unit_test(test_find_cli),
		P(test_refused_without_session),
		TR(test_denied_is_logged),
		TR(test_allowed_matches),
		P(test_must_change_session),
		TR(test_locked_session),
		P(test_missing_argument),
		P(test_admin_commands),
		P(test_training_command_on_production),
		D(test_training_command_bare),
		P(test_audit_verify_command),
		D(test_init_through_command),
		P(test_open_kind_mismatch),
		P(test_open_wrong_key),
		P(test_open_not_ours),
		P(test_config_change_logged),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
