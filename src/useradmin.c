/* useradmin.c: generated temporary passwords, one account's record of
 * grants, the revocation register (失効・取消の記録) and the periodic access
 * review (アクセス権の棚卸し). Every report read leaves an audit entry. */
#include "config.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "ctx.h"
#include "i18n.h"
#include "result.h"
#include "store.h"
#include "timeutil.h"
#include "useradmin.h"
#include "xalloc.h"

static void today(char buf[11])
{
	md_date_local(md_time_now(), buf, 11);
}

static void audit(struct md_ctx *ctx, const char *fn, const char *subject, const char *action,
                  const char *detail)
{
	struct md_audit_rec r = { NULL, fn, subject, action, "ok", detail, 0 };
	struct md_error e;
	md_audit(ctx, &r, &e);
}

/* ---- temporary passwords ------------------------------------------------------ */

/* No 0/O, 1/l/I: the password is read off the screen and typed in again. */
static const char *const pw_classes[4] = {
	"abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "-+=#%"
};

int md_temp_password_make(struct md_ctx *ctx, const char *id, char *out, size_t n,
                          struct md_error *err)
{
	size_t len = ctx->cfg.password_min_length > 12 ? (size_t)ctx->cfg.password_min_length : 12;

	if (len + 1 > n || len + 1 > MD_TEMP_PASSWORD_MAX)
		return md_error_set(err, MD_E_INVALID, "password",
		                    _("the minimum password length %d is too long for a generated password"),
		                    ctx->cfg.password_min_length);
	if (sodium_init() < 0)
		return md_error_set(err, MD_E_IO, "password", _("no source of random numbers"));
	for (int attempt = 0; attempt < 100; attempt++) {
		/* One of each kind at positions 0..3, the rest from all kinds, then
		 * shuffled (Fisher-Yates). */
		for (size_t i = 0; i < len; i++) {
			const char *set = pw_classes[i < 4 ? i : randombytes_uniform(4)];
			out[i] = set[randombytes_uniform((uint32_t)strlen(set))];
		}
		for (size_t i = len - 1; i > 0; i--) {
			size_t j = randombytes_uniform((uint32_t)(i + 1));
			char t = out[i];
			out[i] = out[j];
			out[j] = t;
		}
		out[len] = '\0';
		if (!id || !*id || !strcasestr(out, id))
			return MD_OK;
	}
	sodium_memzero(out, n);
	return md_error_set(err, MD_E_INVALID, "id", _("could not make a password without the user ID"));
}

int md_user_temp_password(struct md_ctx *ctx, const char *id, const char *reason, char *out,
                          size_t n, struct md_error *err)
{
	int rc = md_temp_password_make(ctx, id, out, n, err);
	if (rc == MD_OK)
		rc = md_user_reset_password(ctx, id, out, reason, err);
	if (rc != MD_OK)
		sodium_memzero(out, n);
	return rc;
}

int md_user_create_temp(struct md_ctx *ctx, const char *id, const char *name, const char *role,
                        const char *valid_from, const char *valid_to, const char *reason,
                        char *out, size_t n, struct md_error *err)
{
	int rc;

	if (!reason || !*reason)
		return md_error_set(err, MD_E_INVALID, "reason",
		                    _("a reason is required (it is kept with the grant)"));
	rc = md_temp_password_make(ctx, id, out, n, err);
	if (rc == MD_OK)
		rc = md_user_create(ctx, id, name, role, out, valid_from, valid_to, reason, 1, 0, err);
	if (rc != MD_OK)
		sodium_memzero(out, n);
	return rc;
}

/* ---- one account -------------------------------------------------------------- */

static const char *word(const char *w)
{
	/* The words the queries below produce, marked for translation. */
	static const char *const words[] = {
		N_("active"), N_("locked"), N_("disabled"), N_("expired"), N_("not yet valid"),
		N_("must change password"), N_("no role in effect"), N_("in effect"), N_("starts later"), N_("ended"),
		N_("revoked"), N_("role"), N_("permission"), N_("account disabled"),
		N_("role revoked"), N_("permission revoked"), N_("period ended"),
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(w, words[i]) == 0)
			return _(words[i]);
	return w;
}

#define STATUS_SQL \
	"CASE WHEN u.disabled_at IS NOT NULL THEN 'disabled' " \
	"     WHEN u.locked_at IS NOT NULL THEN 'locked' " \
	"     WHEN u.valid_to IS NOT NULL AND u.valid_to < ?1 THEN 'expired' " \
	"     WHEN u.valid_from > ?1 THEN 'not yet valid' " \
	"     WHEN NOT EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id " \
	"       AND g.revoked_at IS NULL AND g.valid_from <= ?1 " \
	"       AND (g.valid_to IS NULL OR g.valid_to >= ?1)) THEN 'no role in effect' " \
	"     WHEN u.must_change THEN 'must change password' ELSE 'active' END"

static int show_account(struct md_ctx *ctx, const char *id, struct md_result *res,
                        struct md_error *err)
{
	static const char sql[] =
		"SELECT u.id, u.name, " STATUS_SQL ", u.valid_from, coalesce(u.valid_to, ''), "
		"coalesce(strftime('%Y-%m-%d %H:%M', u.last_login_at, 'localtime'), ''), u.failed_count, "
		"coalesce(strftime('%Y-%m-%d %H:%M', u.locked_at, 'localtime'), ''), "
		"coalesce((SELECT group_concat(terminal, ', ') FROM user_terminals t "
		"  WHERE t.user_id = u.id), ''), "
		"coalesce(date(u.created_at, 'localtime'), ''), u.created_by, "
		"coalesce(strftime('%Y-%m-%d %H:%M', u.disabled_at, 'localtime'), ''), "
		"coalesce(u.disabled_by, ''), coalesce(u.disabled_reason, ''), u.must_change "
		"FROM users u WHERE u.id = ?2";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	char d[11];
	int rc;

	if (!s)
		return MD_E_DB;
	today(d);
	md_bind_text(s, 1, d);
	md_bind_text(s, 2, id);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		if (rc == SQLITE_DONE)
			return md_error_set(err, MD_E_NOTFOUND, "id", _("there is no user \"%s\""), id);
		return md_store_fail(ctx->store, err, _("reading an account"));
	}
	md_result_message(res, _("account %s (%s): %s"), md_col_text(s, 0), md_col_text(s, 1),
	                  word(md_col_text(s, 2)));
	md_result_line(res, _("Status: %s"), word(md_col_text(s, 2)));
	md_result_line(res, _("Account valid: %s to %s"), md_col_text(s, 3),
	               *md_col_text(s, 4) ? md_col_text(s, 4) : _("(open-ended)"));
	md_result_line(res, _("Last login: %s"),
	               *md_col_text(s, 5) ? md_col_text(s, 5) : _("never"));
	if (*md_col_text(s, 7))
		md_result_line(res, _("Locked since %s after %d failed attempts"), md_col_text(s, 7),
		               sqlite3_column_int(s, 6));
	if (sqlite3_column_int(s, 14))
		md_result_line(res, "%s", _("The password must be changed at the next login."));
	md_result_line(res, _("Terminals: %s"), *md_col_text(s, 8) ? md_col_text(s, 8) : _("any"));
	md_result_line(res, _("Created: %s by %s"), md_col_text(s, 9), md_col_text(s, 10));
	if (*md_col_text(s, 11))
		md_result_line(res, _("Disabled: %s by %s: %s"), md_col_text(s, 11), md_col_text(s, 12),
		               md_col_text(s, 13));
	sqlite3_reset(s);
	return MD_OK;
}

int md_user_show(struct md_ctx *ctx, const char *id, struct md_result *res, struct md_error *err)
{
	static const char sql[] =
		"SELECT g.id, coalesce(g.role, g.permission), "
		"CASE WHEN g.role IS NOT NULL THEN 'role' ELSE 'permission' END, "
		"CASE WHEN g.revoked_at IS NOT NULL THEN 'revoked' "
		"     WHEN g.valid_from > ?1 THEN 'starts later' "
		"     WHEN g.valid_to IS NOT NULL AND g.valid_to < ?1 THEN 'ended' ELSE 'in effect' END, "
		"g.valid_from, coalesce(g.valid_to, ''), g.granted_by, "
		"coalesce(date(g.granted_at, 'localtime'), ''), g.reason, "
		"coalesce(strftime('%Y-%m-%d %H:%M', g.revoked_at, 'localtime'), ''), "
		"coalesce(g.revoked_by, ''), coalesce(g.revoke_reason, '') "
		"FROM grants g WHERE g.user_id = ?2 "
		"ORDER BY g.revoked_at IS NOT NULL, g.valid_from, g.id";
	static const char *const cols[] = { "id", "what", "kind", "state", "from", "to", "granted_by",
	                                    "granted_at", "reason", "revoked_at", "revoked_by",
	                                    "revoke_reason" };
	sqlite3_stmt *s;
	char d[11];
	int rc;

	if (!id || !*id)
		return md_error_set(err, MD_E_INVALID, "id", _("a user ID is required"));
	if ((rc = show_account(ctx, id, res, err)) != MD_OK)
		return rc;
	md_table_init(&res->table, 12, cols);
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	today(d);
	md_bind_text(s, 1, d);
	md_bind_text(s, 2, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *row[12];
		for (int i = 0; i < 12; i++)
			row[i] = md_col_text(s, i);
		row[2] = word(row[2]);
		row[3] = word(row[3]);
		md_table_add(&res->table, row);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("reading the grants"));
	audit(ctx, "user.show", id, "view account and grants", NULL);
	return MD_OK;
}

/* ---- the revocation register --------------------------------------------------- */

int md_user_revocations(struct md_ctx *ctx, const char *from, const char *to,
                        struct md_table *out, struct md_error *err)
{
	/* at: a UTC time (disabling, revocation) or a local date (the last day
	 * of a grant that ended by itself: it ended at the end of that day). */
	static const char sql[] =
		"SELECT CASE WHEN length(at) > 10 THEN strftime('%Y-%m-%d %H:%M', at, 'localtime') "
		"       ELSE at END, user, name, event, what, by, reason FROM ("
		" SELECT u.disabled_at AS at, u.id AS user, u.name AS name, 'account disabled' AS event, "
		"  '' AS what, coalesce(u.disabled_by, '') AS by, coalesce(u.disabled_reason, '') AS reason "
		"  FROM users u WHERE u.disabled_at IS NOT NULL "
		" UNION ALL "
		" SELECT g.revoked_at, g.user_id, u.name, "
		"  CASE WHEN g.role IS NOT NULL THEN 'role revoked' ELSE 'permission revoked' END, "
		"  coalesce(g.role, g.permission), coalesce(g.revoked_by, ''), coalesce(g.revoke_reason, '') "
		"  FROM grants g JOIN users u ON u.id = g.user_id WHERE g.revoked_at IS NOT NULL "
		" UNION ALL "
		" SELECT g.valid_to, g.user_id, u.name, 'period ended', coalesce(g.role, g.permission), "
		"  g.granted_by, g.reason "
		"  FROM grants g JOIN users u ON u.id = g.user_id "
		"  WHERE g.revoked_at IS NULL AND g.valid_to IS NOT NULL AND g.valid_to < ?3) "
		"WHERE (?1 IS NULL OR CASE WHEN length(at) > 10 THEN date(at, 'localtime') ELSE at END >= ?1) "
		"AND (?2 IS NULL OR CASE WHEN length(at) > 10 THEN date(at, 'localtime') ELSE at END <= ?2) "
		"ORDER BY CASE WHEN length(at) > 10 THEN datetime(at, 'localtime') "
		"         ELSE at || ' 23:59:59' END DESC, user";
	static const char *const cols[] = { "date", "user", "name", "event", "what", "by", "reason" };
	sqlite3_stmt *s;
	char d[11], fbuf[16], tbuf[16];
	char *detail;
	int rc;

	if ((rc = md_account_date("from", &from, fbuf, err)) != MD_OK ||
	    (rc = md_account_date("to", &to, tbuf, err)) != MD_OK)
		return rc;
	if (from && *from && to && *to && strcmp(to, from) < 0)
		return md_error_set(err, MD_E_INVALID, "to",
		                    _("the end date %s is before the start date %s"), to, from);
	md_table_init(out, 7, cols);
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	today(d);
	md_bind_text(s, 1, from && *from ? from : NULL);
	md_bind_text(s, 2, to && *to ? to : NULL);
	md_bind_text(s, 3, d);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *row[7];
		for (int i = 0; i < 7; i++)
			row[i] = md_col_text(s, i);
		row[3] = word(row[3]);
		md_table_add(out, row);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("reading the revocation register"));
	detail = xasprintf("from=%s to=%s entries=%d", from && *from ? from : "-",
	                   to && *to ? to : "-", out->nrows);
	audit(ctx, "user.revocations", NULL, "read the revocation register", detail);
	free(detail);
	return MD_OK;
}

/* ---- the access review ------------------------------------------------------- */

int md_user_review(struct md_ctx *ctx, struct md_table *out, int *accounts, int *dormant,
                   struct md_error *err)
{
	/* days: whole days since the last login (or, never having logged in,
	 * since the account was made), counted between local dates. */
	static const char sql[] =
		"SELECT u.id, u.name, " STATUS_SQL ", "
		"coalesce(date(u.last_login_at, 'localtime'), ''), "
		"CAST(julianday(?1) - julianday(date(coalesce(u.last_login_at, u.created_at), "
		"  'localtime')) AS INTEGER), u.disabled_at IS NOT NULL, "
		"coalesce(g.role, g.permission, ''), coalesce(g.valid_from, ''), coalesce(g.valid_to, ''), "
		"coalesce(g.granted_by, ''), coalesce(date(g.granted_at, 'localtime'), ''), "
		"coalesce(g.reason, '') "
		"FROM users u LEFT JOIN grants g ON g.user_id = u.id AND g.revoked_at IS NULL "
		"AND (g.valid_to IS NULL OR g.valid_to >= ?1) "
		"ORDER BY u.id, g.valid_from, g.id";
	static const char *const cols[] = { "user", "name", "status", "last_login", "dormant", "what",
	                                    "from", "to", "granted_by", "granted_at", "reason" };
	int ndays = ctx->cfg.dormant_days, nacc = 0, ndorm = 0;
	char prev[64] = "", d[11];
	sqlite3_stmt *s;
	char *detail;
	int rc;

	md_table_init(out, 11, cols);
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	today(d);
	md_bind_text(s, 1, d);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *row[11];
		char dm[96] = "";
		int days = sqlite3_column_int(s, 4), disabled = sqlite3_column_int(s, 5);
		const char *last = md_col_text(s, 3);

		if (!disabled && days >= ndays)
			snprintf(dm, sizeof dm, *last ? _("dormant: no login for %d days")
			                              : _("dormant: never logged in (%d days)"), days);
		if (strcmp(prev, md_col_text(s, 0)) != 0) {
			snprintf(prev, sizeof prev, "%s", md_col_text(s, 0));
			nacc++;
			ndorm += dm[0] != '\0';
		}
		row[0] = md_col_text(s, 0);
		row[1] = md_col_text(s, 1);
		row[2] = word(md_col_text(s, 2));
		row[3] = *last ? last : _("never");
		row[4] = dm;
		for (int i = 5; i < 11; i++)
			row[i] = md_col_text(s, i + 1);
		md_table_add(out, row);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("reading the accounts"));
	if (accounts)
		*accounts = nacc;
	if (dormant)
		*dormant = ndorm;
	detail = xasprintf("accounts=%d dormant=%d dormant_days=%d", nacc, ndorm, ndays);
	audit(ctx, "user.review", NULL, "read the access review", detail);
	free(detail);
	return MD_OK;
}
