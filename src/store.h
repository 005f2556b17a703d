/* store.h: the one interface to SQLite. Only the core includes this. */
#ifndef MD_STORE_H
#define MD_STORE_H

#include <sqlite3.h>
#include "error.h"

struct md_store;

enum md_store_flags {
	MD_STORE_CREATE = 1 << 0,   /* create the file if missing */
	MD_STORE_MUST_BE_NEW = 1 << 1, /* refuse an existing non-empty file */
};

/* Opens (and migrates) a database: WAL, foreign keys, busy timeout. */
int md_store_open(struct md_store **out, const char *path, unsigned flags, struct md_error *err);
void md_store_free(struct md_store **st);
sqlite3 *md_store_db(struct md_store *st);
const char *md_store_path(const struct md_store *st);

/* Schema version of the file, and the newest this program knows. */
int md_store_version(struct md_store *st);
int md_store_latest_version(void);

/* Transactions nest: only the outermost begin/commit reach SQLite; a rollback at
 * any depth makes the outermost commit fail and roll back. Writers use
 * BEGIN IMMEDIATE so the audit chain is appended by one process at a time,
 * and take turns through a lock file "<db>-writer" first (fair under many
 * terminals, released by the kernel when a process dies; see store.c). */
int md_store_begin(struct md_store *st, struct md_error *err);
int md_store_commit(struct md_store *st, struct md_error *err);
void md_store_rollback(struct md_store *st);
int md_store_in_tx(const struct md_store *st);
/* How long md_store_begin waits for its turn among the writers of the
 * database (all processes; default 30 s, then MD_E_DB), and SQLite's busy
 * timeout for anything else (default 5 s). 0: no wait at all. */
void md_store_busy_timeout(struct md_store *st, int ms);

/* A cached prepared statement for a static SQL string, reset and unbound.
 * Do not finalize it. */
sqlite3_stmt *md_store_stmt(struct md_store *st, const char *sql, struct md_error *err);
/* Runs SQL with no result rows. */
int md_store_exec(struct md_store *st, const char *sql, struct md_error *err);
/* Sets err from the connection's last error and returns MD_E_DB. */
int md_store_fail(struct md_store *st, struct md_error *err, const char *what);

/* meta table: small key/value settings kept in the database. *val is allocated. */
int md_store_meta_get(struct md_store *st, const char *key, char **val, struct md_error *err);
int md_store_meta_set(struct md_store *st, const char *key, const char *val, struct md_error *err);

/* Binding helpers that treat NULL as SQL NULL. */
int md_bind_text(sqlite3_stmt *s, int i, const char *v);
const char *md_col_text(sqlite3_stmt *s, int i); /* never NULL: "" for NULL */

#endif
