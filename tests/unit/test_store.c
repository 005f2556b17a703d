/* test_store.c: opening, migrating and refusing databases; pragmas;
 * nested transactions; the meta table; the statement cache. */
#include "config.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <sqlite3.h>

#include "testutil.h"

#include "error.h"
#include "store.h"

struct fx {
	char *dir;
	char *db;      /* dir/t.db, not created */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f || !(f->dir = tu_tmpdir()))
		return -1;
	f->db = tu_path(f->dir, "t.db");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	tu_rmdir(f->dir);
	free(f->db);
	free(f);
	return 0;
}

static struct md_store *open_new(const char *path)
{
	struct md_store *st = NULL;
	struct md_error err;
	int rc = md_store_open(&st, path, MD_STORE_CREATE, &err);
	if (rc != MD_OK)
		print_error("md_store_open(%s): %s\n", path, err.msg);
	assert_int_equal(rc, MD_OK);
	assert_non_null(st);
	return st;
}

/* Runs SQL on a plain SQLite connection (not through the store). */
static void raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	char *msg = NULL;
	int rc;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		print_error("%s: %s\n", sql, msg ? msg : "?");
	sqlite3_free(msg);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	assert_int_equal(rc, SQLITE_OK);
}

static long long st_int(struct md_store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;
	long long v = -1;
	assert_int_equal(sqlite3_prepare_v2(md_store_db(st), sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void st_text(struct md_store *st, const char *sql, char *buf, size_t n)
{
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(md_store_db(st), sql, -1, &s, NULL), SQLITE_OK);
	buf[0] = '\0';
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(buf, n, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
}

/* ---- opening and migrating --------------------------------------------------- */

static void test_latest_version_positive(void **state)
{
	(void)state;
	assert_true(md_store_latest_version() >= 1);
}

static void test_create_migrates(void **state)
{
	struct fx *f = *state;
	struct md_store *st = open_new(f->db);

	assert_int_equal(md_store_version(st), md_store_latest_version());
	assert_string_equal(md_store_path(st), f->db);
	assert_false(md_store_in_tx(st));
	/* The core schema is there, with its seed data. */
	assert_int_equal(st_int(st, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
	                            "name IN ('meta', 'users', 'grants', 'roles', 'permissions', "
	                            "'role_permissions', 'password_history', 'user_terminals', "
	                            "'audit_log')"), 9);
	assert_int_equal(st_int(st, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' "
	                            "AND tbl_name = 'audit_log'"), 2);
	assert_int_equal(st_int(st, "SELECT count(*) FROM roles"), 5);
	assert_int_equal(st_int(st, "SELECT count(*) FROM role_permissions WHERE role = 'trainer'"),
	                 st_int(st, "SELECT count(*) FROM permissions"));
	md_store_free(&st);
	assert_null(st);
	assert_true(tu_exists(f->db));
}

static void test_reopen_keeps_version(void **state)
{
	struct fx *f = *state;
	struct md_store *st = open_new(f->db);
	struct md_error err;
	char *v = NULL;

	assert_int_equal(md_store_meta_set(st, "marker", "kept", &err), MD_OK);
	md_store_free(&st);

	/* Without MD_STORE_CREATE: an existing madoguchi database opens. */
	assert_int_equal(md_store_open(&st, f->db, 0, &err), MD_OK);
	assert_int_equal(md_store_version(st), md_store_latest_version());
	assert_int_equal(md_store_meta_get(st, "marker", &v, &err), MD_OK);
	assert_string_equal(v, "kept");
	free(v);
	/* Not migrated twice: the seed rows are there once. */
	assert_int_equal(st_int(st, "SELECT count(*) FROM roles"), 5);
	md_store_free(&st);

	/* With MD_STORE_CREATE too. */
	st = open_new(f->db);
	assert_int_equal(md_store_version(st), md_store_latest_version());
	assert_int_equal(st_int(st, "SELECT count(*) FROM roles"), 5);
	md_store_free(&st);
}

static void test_memory_database(void **state)
{
	struct md_store *st = NULL;
	struct md_error err;
	(void)state;

	st = open_new(":memory:");
	assert_int_equal(md_store_version(st), md_store_latest_version());
	md_store_free(&st);
	/* An empty in-memory database is not a madoguchi database without CREATE. */
	assert_int_equal(md_store_open(&st, ":memory:", 0, &err), MD_E_SCHEMA);
	assert_null(st);
}

static void test_newer_version_refused(void **state)
{
	struct fx *f = *state;
	struct md_store *st = open_new(f->db);
	struct md_error err;
	char want[32], sql[64];
	int newer = md_store_latest_version() + 7;

	md_store_free(&st);
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", newer);
	raw_exec(f->db, sql);

	for (int create = 0; create < 2; create++) {
		md_error_clear(&err);
		st = (struct md_store *)&err; /* must be reset to NULL */
		assert_int_equal(md_store_open(&st, f->db, create ? MD_STORE_CREATE : 0, &err),
		                 MD_E_SCHEMA);
		assert_null(st);
		assert_int_equal(err.code, MD_E_SCHEMA);
		snprintf(want, sizeof want, "version %d", newer);
		assert_non_null(strstr(err.msg, want));
		snprintf(want, sizeof want, "%d", md_store_latest_version());
		assert_non_null(strstr(err.msg, want));
		assert_non_null(strstr(err.msg, f->db));
	}
}

/* A SQLite file of another program: refused, and left exactly as it was. */
static void test_foreign_sqlite_refused_unmodified(void **state)
{
	struct fx *f = *state;
	struct md_store *st = NULL;
	struct md_error err;
	char *before, *after, *wal = tu_path(f->dir, "t.db-wal");
	size_t nb = 0, na = 0;
	sqlite3 *db;
	sqlite3_stmt *s;

	raw_exec(f->db, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);"
	                "INSERT INTO customers (name) VALUES ('a'), ('b');");
	before = tu_read(f->db, &nb);
	assert_non_null(before);
	assert_true(nb > 0);

	for (int create = 0; create < 2; create++) {
		md_error_clear(&err);
		assert_int_equal(md_store_open(&st, f->db, create ? MD_STORE_CREATE : 0, &err),
		                 MD_E_SCHEMA);
		assert_null(st);
		assert_non_null(strstr(err.msg, "not a madoguchi database"));
		after = tu_read(f->db, &na);
		assert_non_null(after);
		assert_int_equal(na, nb);
		assert_memory_equal(after, before, nb);
		free(after);
		assert_false(tu_exists(wal));
	}

	/* Still the other program's database, in rollback-journal mode. */
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1, &s, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 1);
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "delete");
	sqlite3_finalize(s);
	sqlite3_close(db);
	free(before);
	free(wal);
}

static void test_missing_without_create(void **state)
{
	struct fx *f = *state;
	struct md_store *st = NULL;
	struct md_error err;

	assert_int_equal(md_store_open(&st, f->db, 0, &err), MD_E_NOTFOUND);
	assert_null(st);
	assert_int_equal(err.code, MD_E_NOTFOUND);
	assert_string_equal(err.field, "db");
	assert_non_null(strstr(err.msg, f->db));
	/* Nothing was created. */
	assert_false(tu_exists(f->db));
}

static void test_garbage_file_refused(void **state)
{
	struct fx *f = *state;
	struct md_store *st = NULL;
	struct md_error err;
	char text[8192];
	char *after;
	size_t n = 0;

	for (size_t i = 0; i < sizeof text - 1; i++)
		text[i] = (char)('a' + (i * 7) % 26);
	text[sizeof text - 1] = '\0';
	free(tu_write(f->dir, "t.db", text));

	for (int create = 0; create < 2; create++) {
		md_error_clear(&err);
		assert_int_equal(md_store_open(&st, f->db, create ? MD_STORE_CREATE : 0, &err),
		                 MD_E_SCHEMA);
		assert_null(st);
		assert_non_null(strstr(err.msg, f->db));
		after = tu_read(f->db, &n);
		assert_int_equal(n, sizeof text - 1);
		assert_memory_equal(after, text, n);
		free(after);
	}
}

static void test_must_be_new(void **state)
{
	struct fx *f = *state;
	struct md_store *st = open_new(f->db);
	struct md_error err;

	md_store_free(&st);
	assert_int_equal(md_store_open(&st, f->db, MD_STORE_CREATE | MD_STORE_MUST_BE_NEW, &err),
	                 MD_E_CONFLICT);
	assert_null(st);
	assert_non_null(strstr(err.msg, "already exists"));

	/* An empty file counts as new. */
	{
		char *p = tu_write(f->dir, "empty.db", "");
		assert_int_equal(md_store_open(&st, p, MD_STORE_CREATE | MD_STORE_MUST_BE_NEW, &err),
		                 MD_OK);
		assert_int_equal(md_store_version(st), md_store_latest_version());
		md_store_free(&st);
		free(p);
	}
}

/* ---- connection settings ------------------------------------------------------ */

static void test_pragmas(void **state)
{
	struct fx *f = *state;
	struct md_store *st = open_new(f->db);
	struct md_error err;
	char mode[32];
	sqlite3 *db = md_store_db(st);

	st_text(st, "PRAGMA journal_mode", mode, sizeof mode);
	assert_string_equal(mode, "wal");
	assert_int_equal(st_int(st, "PRAGMA foreign_keys"), 1);
	assert_true(st_int(st, "PRAGMA busy_timeout") >= 1000);
	assert_int_equal(st_int(st, "PRAGMA trusted_schema"), 0);
	/* So that INSERT OR REPLACE fires the audit log's DELETE trigger. */
	assert_int_equal(st_int(st, "PRAGMA recursive_triggers"), 1);
	md_store_free(&st);

	/* And again on reopen (foreign_keys and busy_timeout are per connection). */
	assert_int_equal(md_store_open(&st, f->db, 0, &err), MD_OK);
	db = md_store_db(st);
	assert_non_null(db);
	st_text(st, "PRAGMA journal_mode", mode, sizeof mode);
	assert_string_equal(mode, "wal");
	assert_int_equal(st_int(st, "PRAGMA foreign_keys"), 1);
	assert_true(st_int(st, "PRAGMA busy_timeout") >= 1000);

	/* Foreign keys are enforced, not only switched on. */
	assert_int_not_equal(sqlite3_exec(db,
	                                  "INSERT INTO grants (user_id, role, valid_from, granted_by, "
	                                  "granted_at, reason) VALUES ('nobody', 'clerk', "
	                                  "'2026-01-01', 'x', 'x', 'x')", NULL, NULL, NULL),
	                     SQLITE_OK);
	assert_int_equal(st_int(st, "SELECT count(*) FROM grants"), 0);
	md_store_free(&st);
}

/* ---- transactions ------------------------------------------------------------- */

static void test_tx_commit(void **state)
{
	struct fx *f = *state;
	struct md_store *st = open_new(f->db);
	struct md_error err;
	char *v = NULL;

	assert_int_equal(md_store_begin(st, &err), MD_OK);
	assert_true(md_store_in_tx(st));
	assert_int_equal(md_store_meta_set(st, "a", "1", &err), MD_OK);
	assert_int_equal(md_store_begin(st, &err), MD_OK);
	assert_int_equal(md_store_meta_set(st, "b", "2", &err), MD_OK);
	assert_int_equal(md_store_commit(st, &err), MD_OK);
	assert_true(md_store_in_tx(st));    /* still inside the outer one */
	assert_int_equal(md_store_commit(st, &err), MD_OK);
	assert_false(md_store_in_tx(st));
	md_store_free(&st);

	assert_int_equal(md_store_open(&st, f->db, 0, &err), MD_OK);
	assert_int_equal(md_store_meta_get(st, "a", &v, &err), MD_OK);
	assert_string_equal(v, "1");
	free(v);
	assert_int_equal(md_store_meta_get(st, "b", &v, &err), MD_OK);
	assert_string_equal(v, "2");
	free(v);
	md_store_free(&st);
}

static void test_tx_inner_rollback_fails_outer(void **state)
{
	struct fx *f = *state;
	struct md_store *st = open_new(f->db);
	struct md_error err;
	char *v = NULL;

	assert_int_equal(md_store_begin(st, &err), MD_OK);
	assert_int_equal(md_store_meta_set(st, "outer", "1", &err), MD_OK);
	assert_int_equal(md_store_begin(st, &err), MD_OK);
	assert_int_equal(md_store_meta_set(st, "inner", "2", &err), MD_OK);
	md_store_rollback(st);
	assert_true(md_store_in_tx(st));
	/* Writes after the inner rollback are lost too. */
	assert_int_equal(md_store_meta_set(st, "after", "3", &err), MD_OK);
	md_error_clear(&err);
	assert_int_equal(md_store_commit(st, &err), MD_E_DB);
	assert_int_equal(err.code, MD_E_DB);
	assert_non_null(strstr(err.msg, "rolled back"));
	assert_false(md_store_in_tx(st));

	assert_int_equal(md_store_meta_get(st, "outer", &v, &err), MD_E_NOTFOUND);
	assert_null(v);
	assert_int_equal(md_store_meta_get(st, "inner", &v, &err), MD_E_NOTFOUND);
	assert_int_equal(md_store_meta_get(st, "after", &v, &err), MD_E_NOTFOUND);
	md_store_free(&st);

	/* Nothing reached the file either. */
	assert_int_equal(md_store_open(&st, f->db, 0, &err), MD_OK);
	assert_int_equal(st_int(st, "SELECT count(*) FROM meta WHERE key IN ('outer','inner','after')"),
	                 0);

	/* The failure does not stick: the next transaction commits. */
	assert_int_equal(md_store_begin(st, &err), MD_OK);
	assert_int_equal(md_store_meta_set(st, "next", "4", &err), MD_OK);
	assert_int_equal(md_store_commit(st, &err), MD_OK);
	assert_int_equal(md_store_meta_get(st, "next", &v, &err), MD_OK);
	assert_string_equal(v, "4");
	free(v);
	md_store_free(&st);
}

static void test_tx_outer_rollback(void **state)
{
	struct fx *f = *state;
	struct md_store *st = open_new(f->db);
	struct md_error err;
	char *v = NULL;

	assert_int_equal(md_store_begin(st, &err), MD_OK);
	assert_int_equal(md_store_begin(st, &err), MD_OK);
	assert_int_equal(md_store_meta_set(st, "x", "1", &err), MD_OK);
	assert_int_equal(md_store_commit(st, &err), MD_OK);
	md_store_rollback(st);
	assert_false(md_store_in_tx(st));
	assert_int_equal(md_store_meta_get(st, "x", &v, &err), MD_E_NOTFOUND);
	/* Extra rollbacks and commits outside a transaction are harmless / refused. */
	md_store_rollback(st);
	assert_false(md_store_in_tx(st));
	assert_int_equal(md_store_commit(st, &err), MD_E_DB);
	md_store_free(&st);
}

/* BEGIN IMMEDIATE: a second connection cannot start writing meanwhile. */
static void test_tx_immediate(void **state)
{
	struct fx *f = *state;
	struct md_store *a = open_new(f->db), *b = NULL;
	struct md_error err;

	assert_int_equal(md_store_open(&b, f->db, 0, &err), MD_OK);
	md_store_busy_timeout(b, 0);
	assert_int_equal(md_store_begin(a, &err), MD_OK);
	md_error_clear(&err);
	assert_int_equal(md_store_begin(b, &err), MD_E_DB);
	assert_non_null(strstr(err.msg, "busy"));
	assert_false(md_store_in_tx(b));
	assert_int_equal(md_store_commit(a, &err), MD_OK);
	assert_int_equal(md_store_begin(b, &err), MD_OK);
	assert_int_equal(md_store_commit(b, &err), MD_OK);
	md_store_free(&b);
	md_store_free(&a);
}

/* A writer in another process that waits for its turn gets it when the
 * holder commits (not a "database is locked" error), and sees what the
 * holder wrote. The child holds the transaction for a while on purpose. */
static void test_tx_waits_for_other_process(void **state)
{
	struct fx *f = *state;
	struct md_store *a = open_new(f->db);
	struct md_error err;
	int ready[2], status;
	char c;
	pid_t pid;

	assert_int_equal(md_store_exec(a, "CREATE TABLE t (x INTEGER)", &err), MD_OK);
	assert_int_equal(pipe(ready), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct md_store *b = NULL;
		struct timespec nap = { 0, 300000000 };
		int ok = md_store_open(&b, f->db, 0, &err) == MD_OK && md_store_begin(b, &err) == MD_OK &&
		         md_store_exec(b, "INSERT INTO t VALUES (1)", &err) == MD_OK;
		ok = write(ready[1], "x", 1) == 1 && ok;
		nanosleep(&nap, NULL);
		ok = ok && md_store_commit(b, &err) == MD_OK;
		_exit(ok ? 0 : 1);
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	/* SQLite alone would give up after 0 ms here; the turn is waited for. */
	sqlite3_busy_timeout(md_store_db(a), 0);
	assert_int_equal(md_store_begin(a, &err), MD_OK);
	assert_int_equal(sqlite3_exec(md_store_db(a), "INSERT INTO t SELECT count(*) + 1 FROM t", NULL, NULL,
	                              NULL), SQLITE_OK);
	assert_int_equal(md_store_commit(a, &err), MD_OK);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	{
		sqlite3_stmt *s = NULL;
		assert_int_equal(sqlite3_prepare_v2(md_store_db(a), "SELECT group_concat(x) FROM t", -1, &s,
		                                    NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(s, 0), "1,2");
		sqlite3_finalize(s);
	}
	md_store_free(&a);
}

/* A writer killed in the middle of its transaction leaves nothing behind:
 * its turn is released with the process, its writes are gone. */
static void test_killed_writer_releases(void **state)
{
	struct fx *f = *state;
	struct md_store *a = open_new(f->db);
	struct md_error err;
	int status;
	pid_t pid;

	assert_int_equal(md_store_exec(a, "CREATE TABLE t (x INTEGER)", &err), MD_OK);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct md_store *b = NULL;
		if (md_store_open(&b, f->db, 0, &err) == MD_OK && md_store_begin(b, &err) == MD_OK &&
		    md_store_exec(b, "INSERT INTO t VALUES (1)", &err) == MD_OK)
			kill(getpid(), SIGKILL);
		_exit(1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	md_store_busy_timeout(a, 0);
	assert_int_equal(md_store_begin(a, &err), MD_OK);
	assert_int_equal(md_store_commit(a, &err), MD_OK);
	{
		sqlite3_stmt *s = NULL;
		assert_int_equal(sqlite3_prepare_v2(md_store_db(a), "SELECT count(*) FROM t", -1, &s, NULL),
		                 SQLITE_OK);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(s, 0), 0);
		sqlite3_finalize(s);
	}
	md_store_free(&a);
}

/* ---- meta and statements ------------------------------------------------------ */

static void test_meta(void **state)
{
	struct fx *f = *state;
	struct md_store *st = open_new(f->db);
	struct md_error err;
	char *v = (char *)"junk";

	assert_int_equal(md_store_meta_get(st, "missing", &v, &err), MD_E_NOTFOUND);
	assert_null(v);
	assert_int_equal(md_store_meta_set(st, "k", "one", &err), MD_OK);
	assert_int_equal(md_store_meta_get(st, "k", &v, &err), MD_OK);
	assert_string_equal(v, "one");
	free(v);
	assert_int_equal(md_store_meta_set(st, "k", "二つ目", &err), MD_OK);
	assert_int_equal(md_store_meta_get(st, "k", &v, &err), MD_OK);
	assert_string_equal(v, "二つ目");
	free(v);
	assert_int_equal(md_store_meta_set(st, "empty", "", &err), MD_OK);
	assert_int_equal(md_store_meta_get(st, "empty", &v, &err), MD_OK);
	assert_string_equal(v, "");
	free(v);
	assert_int_equal(st_int(st, "SELECT count(*) FROM meta WHERE key = 'k'"), 1);
	md_store_free(&st);
}

static void test_stmt_cache(void **state)
{
	static const char ins[] = "INSERT INTO meta (key, value) VALUES (?1, ?2)";
	static const char sel[] = "SELECT value FROM meta WHERE key = ?1";
	struct fx *f = *state;
	struct md_store *st = open_new(f->db);
	struct md_error err;
	sqlite3_stmt *s1, *s2;
	char key[16], val[16];

	for (int i = 0; i < 5; i++) {
		s1 = md_store_stmt(st, ins, &err);
		assert_non_null(s1);
		snprintf(key, sizeof key, "key%d", i);
		snprintf(val, sizeof val, "val%d", i);
		assert_int_equal(md_bind_text(s1, 1, key), SQLITE_OK);
		assert_int_equal(md_bind_text(s1, 2, val), SQLITE_OK);
		assert_int_equal(sqlite3_step(s1), SQLITE_DONE);
		/* Left stepped, not reset: the cache resets it on the next request. */
	}
	s1 = md_store_stmt(st, sel, &err);
	assert_non_null(s1);
	md_bind_text(s1, 1, "key3");
	assert_int_equal(sqlite3_step(s1), SQLITE_ROW);
	assert_string_equal(md_col_text(s1, 0), "val3");
	/* Same string: the same statement, reset and unbound. */
	s2 = md_store_stmt(st, sel, &err);
	assert_ptr_equal(s1, s2);
	assert_int_equal(sqlite3_bind_parameter_count(s2), 1);
	assert_int_equal(sqlite3_step(s2), SQLITE_DONE);   /* ?1 is NULL now */
	s2 = md_store_stmt(st, sel, &err);
	md_bind_text(s2, 1, "key0");
	assert_int_equal(sqlite3_step(s2), SQLITE_ROW);
	assert_string_equal(md_col_text(s2, 0), "val0");
	sqlite3_reset(s2);
	assert_ptr_equal(md_store_stmt(st, ins, &err), md_store_stmt(st, ins, &err));
	assert_int_equal(st_int(st, "SELECT count(*) FROM meta WHERE key LIKE 'key%'"), 5);

	/* NULL binding and column helpers. */
	s2 = md_store_stmt(st, sel, &err);
	assert_int_equal(md_bind_text(s2, 1, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s2), SQLITE_DONE);
	sqlite3_reset(s2);

	/* Bad SQL: NULL with a database error. */
	md_error_clear(&err);
	assert_null(md_store_stmt(st, "SELECT nope FROM nowhere", &err));
	assert_int_equal(err.code, MD_E_DB);
	assert_non_null(strstr(err.msg, "nowhere"));
	md_store_free(&st);
}

/* More distinct statements than the cache holds: each is still usable. */
static void test_stmt_cache_overflow(void **state)
{
	enum { N = 130 };
	struct fx *f = *state;
	struct md_store *st = open_new(f->db);
	struct md_error err;
	static char sql[N][48];

	for (int i = 0; i < N; i++)
		snprintf(sql[i], sizeof sql[i], "SELECT %d + ?1", i);
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < N; i++) {
			sqlite3_stmt *s = md_store_stmt(st, sql[i], &err);
			assert_non_null(s);
			sqlite3_bind_int(s, 1, 1000);
			assert_int_equal(sqlite3_step(s), SQLITE_ROW);
			assert_int_equal(sqlite3_column_int(s, 0), 1000 + i);
			sqlite3_reset(s);
		}
	}
	md_store_free(&st);
}

static void test_exec_and_fail(void **state)
{
	struct fx *f = *state;
	struct md_store *st = open_new(f->db);
	struct md_error err;

	assert_int_equal(md_store_exec(st, "INSERT INTO meta VALUES ('e', 'x')", &err), MD_OK);
	md_error_clear(&err);
	assert_int_equal(md_store_exec(st, "INSERT INTO meta VALUES ('e', 'y')", &err), MD_E_DB);
	assert_int_equal(err.code, MD_E_DB);
	assert_non_null(strstr(err.msg, "UNIQUE"));
	md_store_free(&st);
	md_store_free(&st);   /* NULL: no-op */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_latest_version_positive),
		cmocka_unit_test_setup_teardown(test_create_migrates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_keeps_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_version_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_sqlite_refused_unmodified, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_without_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage_file_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_must_be_new, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pragmas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_inner_rollback_fails_outer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_outer_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_immediate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_waits_for_other_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_writer_releases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meta, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stmt_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stmt_cache_overflow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_and_fail, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
