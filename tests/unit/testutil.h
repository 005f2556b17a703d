/* testutil.h: shared helpers for the cmocka unit tests. */
#ifndef MD_TESTUTIL_H
#define MD_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

/* A fresh temporary directory for one test; removed with tu_rmdir(). */
static inline char *tu_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *p = malloc(4096);
	snprintf(p, 4096, "%s/mdtest.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(p)) {
		free(p);
		return NULL;
	}
	return p;
}

static inline void tu_rmdir(char *dir)
{
	char cmd[4200];
	if (!dir)
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0) { /* best effort */ }
	free(dir);
}

/* Writes text to dir/name and returns the allocated path. */
static inline char *tu_write(const char *dir, const char *name, const char *text)
{
	char *p = malloc(4096);
	FILE *f;
	snprintf(p, 4096, "%s/%s", dir, name);
	f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return p;
}

/* Reads a whole file; returns an allocated buffer (NUL-terminated) or NULL,
 * with its length in *len. */
static inline char *tu_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = (n + 4096 + 1) * 2);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, 4096, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* dir/name, allocated. */
static inline char *tu_path(const char *dir, const char *name)
{
	char *p = malloc(4096);
	snprintf(p, 4096, "%s/%s", dir, name);
	return p;
}

static inline int tu_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* ---- databases -------------------------------------------------------------
 * Define TU_WITH_DB before including this header to get helpers that need the
 * core (contexts, the audit log). */
#ifdef TU_WITH_DB
#include <time.h>
#include <sqlite3.h>
#include "ctx.h"
#include "store.h"
#include "timeutil.h"

/* The first administrator of every test production database. */
#define TU_ADMIN "admin"
#define TU_ADMIN_PW "Kanri-2026-pw"

/* A fixed instant: 2026-04-01 03:00:00 UTC, plus whole days. */
static inline time_t tu_day(int days)
{
	return (time_t)(md_days_from_civil(2026, 4, 1) + days) * 86400 + 3 * 3600;
}

/* The local calendar date of tu_day(days). */
static inline void tu_date(int days, char buf[11])
{
	md_date_local(tu_day(days), buf, 11);
}

/* Creates a database (production: with TU_ADMIN) in dir; returns its path. */
static inline char *tu_create_db(const char *dir, const char *name, const struct md_settings *cfg,
                                 enum md_db_kind kind)
{
	struct md_error err;
	char *path = tu_path(dir, name);
	int rc = md_db_create(cfg, path, NULL, kind, TU_ADMIN, TU_ADMIN_PW, &err);
	if (rc != MD_OK)
		print_error("md_db_create(%s): %d %s\n", path, rc, err.msg);
	assert_int_equal(rc, MD_OK);
	return path;
}

static inline struct md_ctx *tu_open(const struct md_settings *cfg, const char *path,
                                     enum md_db_kind kind)
{
	struct md_ctx *ctx = NULL;
	struct md_error err;
	int rc = md_ctx_open(&ctx, cfg, path, NULL, kind, &err);
	if (rc != MD_OK)
		print_error("md_ctx_open(%s): %d %s\n", path, rc, err.msg);
	assert_int_equal(rc, MD_OK);
	assert_non_null(ctx);
	return ctx;
}

/* The first column of the first row as an integer, or -1 when there is none. */
static inline long long tu_sql_int(struct md_ctx *ctx, const char *sql)
{
	sqlite3_stmt *s = NULL;
	long long v = -1;
	int rc = sqlite3_prepare_v2(md_store_db(ctx->store), sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		print_error("%s: %s\n", sql, sqlite3_errmsg(md_store_db(ctx->store)));
	assert_int_equal(rc, SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The first column of the first row as text into buf ("" when none or NULL). */
static inline void tu_sql_text(struct md_ctx *ctx, const char *sql, char *buf, size_t n)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(md_store_db(ctx->store), sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		print_error("%s: %s\n", sql, sqlite3_errmsg(md_store_db(ctx->store)));
	assert_int_equal(rc, SQLITE_OK);
	buf[0] = '\0';
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(buf, n, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
}

/* Runs SQL that must succeed. */
static inline void tu_sql_exec(struct md_ctx *ctx, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(md_store_db(ctx->store), sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		print_error("%s: %s\n", sql, msg ? msg : "?");
	sqlite3_free(msg);
	assert_int_equal(rc, SQLITE_OK);
}

/* Audit entries matching the given fields (NULL: any). */
static inline long long tu_audit_count(struct md_ctx *ctx, const char *function,
                                       const char *outcome, const char *subject)
{
	static const char sql[] =
		"SELECT count(*) FROM audit_log WHERE (?1 IS NULL OR function = ?1) "
		"AND (?2 IS NULL OR outcome = ?2) AND (?3 IS NULL OR subject = ?3)";
	sqlite3_stmt *s = NULL;
	long long v = -1;
	assert_int_equal(sqlite3_prepare_v2(md_store_db(ctx->store), sql, -1, &s, NULL), SQLITE_OK);
	if (function)
		sqlite3_bind_text(s, 1, function, -1, SQLITE_TRANSIENT);
	if (outcome)
		sqlite3_bind_text(s, 2, outcome, -1, SQLITE_TRANSIENT);
	if (subject)
		sqlite3_bind_text(s, 3, subject, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static inline long long tu_audit_total(struct md_ctx *ctx)
{
	return tu_sql_int(ctx, "SELECT count(*) FROM audit_log");
}
/* The same with the SQL written as printf would. */
static inline long long tu_sqlf_int(struct md_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline long long tu_sqlf_int(struct md_ctx *c, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	return tu_sql_int(c, sql);
}

static inline void tu_sqlf_text(struct md_ctx *c, char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline void tu_sqlf_text(struct md_ctx *c, char *buf, size_t n, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	tu_sql_text(c, sql, buf, n);
}

#endif /* TU_WITH_DB */

#endif
