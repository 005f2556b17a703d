/* store.c: SQLite behind one interface: open, migrate, transactions,
 * cached prepared statements. sqlite's own style: one rc, one cleanup label. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "migrations.h"
#include "store.h"
#include "xalloc.h"

#define STMT_CACHE 96

struct stmt_slot {
	const char *sql;     /* identity: the static string's address */
	sqlite3_stmt *stmt;
};

struct md_store {
	sqlite3 *db;
	char *path;
	int depth;           /* transaction nesting */
	int failed;          /* a nested rollback happened */
	int nslots;
	struct stmt_slot slots[STMT_CACHE];
	int writer_fd;       /* the writers' lock file, -1 when there is none */
	int writer_held;
	int writer_wait_ms;  /* how long begin waits for its turn */
};

/* Writers take turns through a lock on a file beside the database
 * ("<db>-writer") before BEGIN IMMEDIATE. SQLite's own busy handler polls
 * with a growing sleep (up to 100 ms a try), so under many terminals a
 * writer that has waited long keeps losing to newcomers and can wait past
 * the busy timeout ("database is locked" reaching the clerk; make
 * check-stress showed it with 16 processes). Here every waiter retries
 * each millisecond, so the lock goes round, and the wait is bounded. The
 * lock is an open-file-description lock where the system has them (one per
 * connection, also within a process), released by the kernel when a
 * process dies. Without the file (read-only directory) SQLite's handling
 * alone remains. */
#define WRITER_WAIT_MS 30000
#define BUSY_TIMEOUT_MS 5000

static void writer_open(struct md_store *st)
{
	char *p;

	st->writer_fd = -1;
	st->writer_wait_ms = WRITER_WAIT_MS;
	if (!st->path[0] || strcmp(st->path, ":memory:") == 0)
		return;
	p = xasprintf("%s-writer", st->path);
	st->writer_fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(p);
}

static int writer_try(int fd, short type)
{
	struct flock fl;

	memset(&fl, 0, sizeof fl);
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
#ifdef F_OFD_SETLK
	return fcntl(fd, F_OFD_SETLK, &fl);
#else
	return fcntl(fd, F_SETLK, &fl);
#endif
}

/* 0 when held (or there is no lock file), -1 after writer_wait_ms. */
static int writer_lock(struct md_store *st)
{
	struct timespec nap = { 0, 1000000 };

	if (st->writer_fd < 0)
		return 0;
	for (int waited = 0;; waited++) {
		if (writer_try(st->writer_fd, F_WRLCK) == 0) {
			st->writer_held = 1;
			return 0;
		}
		if (errno != EAGAIN && errno != EACCES && errno != EINTR)
			return 0; /* locks unsupported here: SQLite alone */
		if (waited >= st->writer_wait_ms)
			return -1;
		nanosleep(&nap, NULL);
	}
}

void md_store_busy_timeout(struct md_store *st, int ms)
{
	st->writer_wait_ms = ms < 0 ? 0 : ms;
	sqlite3_busy_timeout(st->db, ms < 0 ? 0 : ms);
}

static void writer_unlock(struct md_store *st)
{
	if (st->writer_held) {
		writer_try(st->writer_fd, F_UNLCK);
		st->writer_held = 0;
	}
}

int md_store_fail(struct md_store *st, struct md_error *err, const char *what)
{
	const char *m = st && st->db ? sqlite3_errmsg(st->db) : "no database";
	return md_error_set(err, MD_E_DB, "", _("database error while %s: %s"), what, m);
}

int md_store_latest_version(void)
{
	int v = 0;
	for (const struct md_migration *m = md_migrations; m->version; m++)
		if (m->version > v)
			v = m->version;
	return v;
}

static int user_version(sqlite3 *db)
{
	sqlite3_stmt *s = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

int md_store_version(struct md_store *st)
{
	return user_version(st->db);
}

/* Decides, before anything is written, whether the file is ours: a newer
 * schema, another program's database or a file that is not SQLite at all is
 * refused and left exactly as it was (not even switched to WAL). */
static int check_file(struct md_store *st, unsigned flags, struct md_error *err)
{
	int have = user_version(st->db);
	int latest = md_store_latest_version();

	if (have < 0)
		return md_error_set(err, MD_E_SCHEMA, "db", _("%s is not a madoguchi database: %s"),
		                    st->path, sqlite3_errmsg(st->db));
	if (have > latest)
		return md_error_set(err, MD_E_SCHEMA, "",
		                    _("%s has schema version %d, but this madoguchi knows only up to %d: "
		                      "use a newer madoguchi"), st->path, have, latest);
	if (have == 0) {
		sqlite3_stmt *s = NULL;
		int objects = -1;
		if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_schema", -1, &s, NULL) ==
		            SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
			objects = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
		if (objects < 0)
			return md_error_set(err, MD_E_SCHEMA, "db", _("%s is not a madoguchi database: %s"),
			                    st->path, sqlite3_errmsg(st->db));
		if (objects > 0)
			return md_error_set(err, MD_E_SCHEMA, "db",
			                    _("%s is not a madoguchi database: it holds another "
			                      "program's tables"), st->path);
		if (!(flags & MD_STORE_CREATE))
			return md_error_set(err, MD_E_SCHEMA, "db",
			                    _("%s is not a madoguchi database (create one with "
			                      "\"madoguchi init\" or \"madoguchi training-db\")"), st->path);
	}
	return MD_OK;
}

static int migrate(struct md_store *st, struct md_error *err)
{
	int have = user_version(st->db);
	int rc = MD_OK;

	if (have < 0)
		return md_store_fail(st, err, _("reading the schema version"));
	if (have == md_store_latest_version())
		return MD_OK;

	if ((rc = md_store_begin(st, err)) != MD_OK)
		return rc;
	/* Re-read under the write lock: another process may have migrated. */
	have = user_version(st->db);
	for (const struct md_migration *m = md_migrations; m->version; m++) {
		char *sql;
		if (m->version <= have)
			continue;
		if (sqlite3_exec(st->db, m->sql, NULL, NULL, NULL) != SQLITE_OK) {
			md_error_set(err, MD_E_SCHEMA, "", _("migration %s failed: %s"), m->name,
			             sqlite3_errmsg(st->db));
			md_store_rollback(st);
			return MD_E_SCHEMA;
		}
		sql = xasprintf("PRAGMA user_version = %d", m->version);
		rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
		free(sql);
		if (rc != SQLITE_OK) {
			md_store_fail(st, err, _("recording the schema version"));
			md_store_rollback(st);
			return MD_E_DB;
		}
	}
	return md_store_commit(st, err);
}

int md_store_open(struct md_store **out, const char *path, unsigned flags, struct md_error *err)
{
	struct md_store *st;
	struct stat sb;
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	int exists = stat(path, &sb) == 0;
	int rc;

	*out = NULL;
	if (!exists && !(flags & MD_STORE_CREATE) && strcmp(path, ":memory:") != 0)
		return md_error_set(err, MD_E_NOTFOUND, "db", _("database %s does not exist"), path);
	if (exists && (flags & MD_STORE_MUST_BE_NEW) && sb.st_size > 0)
		return md_error_set(err, MD_E_CONFLICT, "db",
		                    _("%s already exists: refusing to overwrite it"), path);
	if (flags & MD_STORE_CREATE)
		oflags |= SQLITE_OPEN_CREATE;

	st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	st->writer_fd = -1;
	st->writer_wait_ms = WRITER_WAIT_MS;
	if (sqlite3_open_v2(path, &st->db, oflags, NULL) != SQLITE_OK) {
		md_error_set(err, MD_E_DB, "db", _("cannot open database %s: %s"), path,
		             st->db ? sqlite3_errmsg(st->db) : strerror(errno));
		md_store_free(&st);
		return MD_E_DB;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	/* Connection settings only: nothing is written to the file yet.
	 * recursive_triggers: without it, the row deleted by INSERT OR REPLACE
	 * does not fire DELETE triggers, and the append-only audit_log could be
	 * rewritten that way. */
	rc = sqlite3_exec(st->db,
	                  "PRAGMA foreign_keys = ON;"
	                  "PRAGMA recursive_triggers = ON;"
	                  "PRAGMA trusted_schema = OFF;",
	                  NULL, NULL, NULL);
	if (rc == SQLITE_OK && (rc = check_file(st, flags, err)) != MD_OK) {
		md_store_free(&st);
		return rc;
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(st->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
		                  NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		/* SQLITE_NOTADB and friends land here. */
		md_error_set(err, MD_E_SCHEMA, "db", _("%s is not a madoguchi database: %s"), path,
		             sqlite3_errmsg(st->db));
		md_store_free(&st);
		return MD_E_SCHEMA;
	}
	writer_open(st);
	if ((rc = migrate(st, err)) != MD_OK) {
		md_store_free(&st);
		return rc;
	}
	*out = st;
	return MD_OK;
}

void md_store_free(struct md_store **pst)
{
	struct md_store *st = pst ? *pst : NULL;
	if (!st)
		return;
	for (int i = 0; i < st->nslots; i++)
		sqlite3_finalize(st->slots[i].stmt);
	if (st->db)
		sqlite3_close(st->db);
	if (st->writer_fd >= 0)
		close(st->writer_fd);
	free(st->path);
	free(st);
	*pst = NULL;
}

sqlite3 *md_store_db(struct md_store *st)
{
	return st->db;
}

const char *md_store_path(const struct md_store *st)
{
	return st->path;
}

int md_store_in_tx(const struct md_store *st)
{
	return st->depth > 0;
}

int md_store_begin(struct md_store *st, struct md_error *err)
{
	if (st->depth++ > 0)
		return MD_OK;
	st->failed = 0;
	if (writer_lock(st) != 0) {
		st->depth = 0;
		return md_error_set(err, MD_E_DB, "",
		                    _("the database is busy: other terminals have been writing for %d seconds; "
		                      "try again"), (st->writer_wait_ms + 999) / 1000);
	}
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		st->depth = 0;
		writer_unlock(st);
		return md_store_fail(st, err, _("starting a transaction"));
	}
	return MD_OK;
}

int md_store_commit(struct md_store *st, struct md_error *err)
{
	if (st->depth <= 0)
		return md_error_set(err, MD_E_DB, "", _("commit without a transaction"));
	if (--st->depth > 0)
		return MD_OK;
	if (st->failed) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		writer_unlock(st);
		st->failed = 0;
		return md_error_set(err, MD_E_DB, "", _("the change was rolled back"));
	}
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		int rc = md_store_fail(st, err, _("committing"));
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		writer_unlock(st);
		return rc;
	}
	writer_unlock(st);
	return MD_OK;
}

void md_store_rollback(struct md_store *st)
{
	if (st->depth <= 0)
		return;
	if (--st->depth > 0) {
		st->failed = 1;
		return;
	}
	st->failed = 0;
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	writer_unlock(st);
}

sqlite3_stmt *md_store_stmt(struct md_store *st, const char *sql, struct md_error *err)
{
	sqlite3_stmt *s = NULL;

	for (int i = 0; i < st->nslots; i++) {
		if (st->slots[i].sql == sql) {
			s = st->slots[i].stmt;
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			return s;
		}
	}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
		md_store_fail(st, err, _("preparing a query"));
		return NULL;
	}
	if (st->nslots < STMT_CACHE) {
		st->slots[st->nslots].sql = sql;
		st->slots[st->nslots].stmt = s;
		st->nslots++;
	} else {
		/* Cache full: replace the oldest slot. */
		sqlite3_finalize(st->slots[0].stmt);
		memmove(st->slots, st->slots + 1, sizeof st->slots[0] * (STMT_CACHE - 1));
		st->slots[STMT_CACHE - 1].sql = sql;
		st->slots[STMT_CACHE - 1].stmt = s;
	}
	return s;
}

int md_store_exec(struct md_store *st, const char *sql, struct md_error *err)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return md_store_fail(st, err, _("running a statement"));
	return MD_OK;
}

int md_store_meta_get(struct md_store *st, const char *key, char **val, struct md_error *err)
{
	static const char sql[] = "SELECT value FROM meta WHERE key = ?1";
	sqlite3_stmt *s = md_store_stmt(st, sql, err);
	int rc;

	*val = NULL;
	if (!s)
		return MD_E_DB;
	md_bind_text(s, 1, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*val = xstrdup(md_col_text(s, 0));
		sqlite3_reset(s);
		return MD_OK;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return MD_E_NOTFOUND;
	return md_store_fail(st, err, _("reading settings"));
}

int md_store_meta_set(struct md_store *st, const char *key, const char *val, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO meta (key, value) VALUES (?1, ?2) "
		"ON CONFLICT (key) DO UPDATE SET value = excluded.value";
	sqlite3_stmt *s = md_store_stmt(st, sql, err);
	int rc;

	if (!s)
		return MD_E_DB;
	md_bind_text(s, 1, key);
	md_bind_text(s, 2, val);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(st, err, _("writing settings"));
	return MD_OK;
}

int md_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (!v)
		return sqlite3_bind_null(s, i);
	return sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

const char *md_col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? (const char *)t : "";
}
