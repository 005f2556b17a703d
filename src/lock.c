/* lock.c: edit locks in the edit_locks table. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ctx.h"
#include "i18n.h"
#include "lock.h"
#include "store.h"
#include "timeutil.h"

static const char *kind_name(enum md_lock_kind k)
{
	return k == MD_LOCK_HOUSEHOLD ? "household" : "person";
}

static int holder(struct md_ctx *ctx, enum md_lock_kind kind, long long id, char *user, size_t un,
                  char *since, size_t sn)
{
	static const char sql[] =
		"SELECT user_id, locked_at FROM edit_locks WHERE kind = ?1 AND subject = ?2 "
		"AND expires_at > ?3";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
	char now[32];
	int found = 0;

	if (!s)
		return 0;
	md_time_iso(md_time_now(), now, sizeof now);
	md_bind_text(s, 1, kind_name(kind));
	sqlite3_bind_int64(s, 2, id);
	md_bind_text(s, 3, now);
	if (sqlite3_step(s) == SQLITE_ROW) {
		snprintf(user, un, "%s", md_col_text(s, 0));
		snprintf(since, sn, "%s", md_col_text(s, 1));
		found = 1;
	}
	sqlite3_reset(s);
	return found;
}

static int refuse(struct md_error *err, enum md_lock_kind kind, long long id, const char *user,
                  const char *since)
{
	char local[32] = "";
	struct tm tm;
	time_t t;
	int y, m, d, hh, mm, ss;

	if (sscanf(since, "%d-%d-%dT%d:%d:%dZ", &y, &m, &d, &hh, &mm, &ss) == 6) {
		t = (time_t)md_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
		localtime_r(&t, &tm);
		strftime(local, sizeof local, "%H:%M", &tm);
	}
	return md_error_set(err, MD_E_CONFLICT, "",
	                    kind == MD_LOCK_HOUSEHOLD
	                    ? _("household %lld is being edited by %s since %s: you can only view it")
	                    : _("person %lld is being edited by %s since %s: you can only view it"),
	                    id, user, local[0] ? local : since);
}

int md_lock_check(struct md_ctx *ctx, enum md_lock_kind kind, long long id, struct md_error *err)
{
	char user[64], since[32];
	if (holder(ctx, kind, id, user, sizeof user, since, sizeof since) &&
	    (!ctx->session || strcmp(user, ctx->session->user) != 0))
		return refuse(err, kind, id, user, since);
	return MD_OK;
}

int md_lock_acquire(struct md_ctx *ctx, enum md_lock_kind kind, long long id, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO edit_locks (kind, subject, user_id, terminal, locked_at, expires_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (kind, subject) DO UPDATE SET "
		"user_id = excluded.user_id, terminal = excluded.terminal, locked_at = excluded.locked_at, "
		"expires_at = excluded.expires_at";
	char now[32], until[32];
	sqlite3_stmt *s;
	int rc;

	if (!ctx->session)
		return md_error_set(err, MD_E_AUTH, "", _("log in first"));
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = md_lock_check(ctx, kind, id, err)) != MD_OK) {
		md_store_rollback(ctx->store);
		return rc;
	}
	md_time_iso(md_time_now(), now, sizeof now);
	md_time_iso(md_time_now() + MD_LOCK_MINUTES * 60, until, sizeof until);
	if (!(s = md_store_stmt(ctx->store, sql, err))) {
		md_store_rollback(ctx->store);
		return MD_E_DB;
	}
	md_bind_text(s, 1, kind_name(kind));
	sqlite3_bind_int64(s, 2, id);
	md_bind_text(s, 3, ctx->session->user);
	md_bind_text(s, 4, ctx->cfg.terminal_id);
	md_bind_text(s, 5, now);
	md_bind_text(s, 6, until);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		md_store_fail(ctx->store, err, _("taking the edit lock"));
		md_store_rollback(ctx->store);
		return MD_E_DB;
	}
	return md_store_commit(ctx->store, err);
}

/* Runs a bound statement in a transaction of its own (or the caller's), so
 * that it takes its turn among the writers (store.c); best effort. */
static void step_alone(struct md_ctx *ctx, sqlite3_stmt *s)
{
	if (md_store_begin(ctx->store, NULL) != MD_OK) {
		sqlite3_reset(s);
		return;
	}
	if (sqlite3_step(s) == SQLITE_DONE) {
		sqlite3_reset(s);
		md_store_commit(ctx->store, NULL);
	} else {
		sqlite3_reset(s);
		md_store_rollback(ctx->store);
	}
}

void md_lock_release(struct md_ctx *ctx, enum md_lock_kind kind, long long id)
{
	static const char sql[] =
		"DELETE FROM edit_locks WHERE kind = ?1 AND subject = ?2 AND user_id = ?3";
	sqlite3_stmt *s;
	if (!ctx->session || !(s = md_store_stmt(ctx->store, sql, NULL)))
		return;
	md_bind_text(s, 1, kind_name(kind));
	sqlite3_bind_int64(s, 2, id);
	md_bind_text(s, 3, ctx->session->user);
	step_alone(ctx, s);
}

void md_lock_release_user(struct md_ctx *ctx, const char *user)
{
	/* Only this terminal's: the same user may be editing on another. */
	static const char sql[] = "DELETE FROM edit_locks WHERE user_id = ?1 AND terminal = ?2";
	sqlite3_stmt *s;
	if (!user || !(s = md_store_stmt(ctx->store, sql, NULL)))
		return;
	md_bind_text(s, 1, user);
	md_bind_text(s, 2, ctx->cfg.terminal_id);
	step_alone(ctx, s);
}
