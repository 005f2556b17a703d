/* account.c: personal accounts (共用ID禁止), argon2id passwords with expiry,
 * history and lockout, role and permission grants with effective dates
 * (発効・失効), terminal restriction, login sessions and screen locks. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "ctx.h"
#include "i18n.h"
#include "lock.h"
#include "result.h"
#include "store.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

#define AUDIT(ctx, fn, subj, act, out, det) \
	do { \
		struct md_audit_rec r_ = { NULL, (fn), (subj), (act), (out), (det), 0 }; \
		struct md_error e_; \
		md_audit((ctx), &r_, &e_); \
	} while (0)

static void today(char buf[11])
{
	md_date_local(md_time_now(), buf, 11);
}

static void now_iso(char buf[32])
{
	md_time_iso(md_time_now(), buf, 32);
}

static const char *actor(struct md_ctx *ctx)
{
	return ctx->session ? ctx->session->user : "-";
}

/* ---- validation ----------------------------------------------------------- */

static int check_user_id(const char *id, struct md_error *err)
{
	size_t n = id ? strlen(id) : 0;
	if (n < 2 || n > 32)
		return md_error_set(err, MD_E_INVALID, "id",
		                    _("user ID must be 2 to 32 characters long"));
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)id[i];
		if (!(islower(c) || isdigit(c) || c == '.' || c == '_' || c == '-'))
			return md_error_set(err, MD_E_INVALID, "id",
			                    _("user ID \"%s\" may contain only lower-case letters a-z, "
			                      "digits and . _ - (character %zu is not allowed)"), id, i + 1);
	}
	if (!islower((unsigned char)id[0]))
		return md_error_set(err, MD_E_INVALID, "id",
		                    _("user ID \"%s\" must start with a letter a-z"), id);
	return MD_OK;
}

int md_account_date(const char *field, const char **d, char buf[16], struct md_error *err)
{
	struct md_date dt;
	const char *label = strcmp(field, "from") == 0 ? _("the start date") : _("the end date");

	if (!*d || !**d)
		return MD_OK;
	if (md_date_parse(*d, &dt, err) != MD_OK) {
		/* md_date_parse says why; the field is the caller's. */
		char why[sizeof err->msg];
		snprintf(why, sizeof why, "%s", err->msg);
		return md_error_set(err, MD_E_INVALID, field, _("%s \"%s\": %s"), label, *d, why);
	}
	if (dt.prec != MD_DATE_FULL || dt.circa)
		return md_error_set(err, MD_E_INVALID, field,
		                    _("%s \"%s\" must be a whole day, e.g. R8.4.1 or 2026-04-01"), label, *d);
	md_date_to_iso(&dt, buf);
	*d = buf;
	return MD_OK;
}


static int check_reason(const char *reason, struct md_error *err)
{
	if (!reason || !*reason)
		return md_error_set(err, MD_E_INVALID, "reason",
		                    _("a reason is required (it is kept with the grant)"));
	if (strlen(reason) > 500)
		return md_error_set(err, MD_E_INVALID, "reason", _("reason is longer than 500 bytes"));
	return MD_OK;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static int user_hashes_match(struct md_ctx *ctx, const char *user, const char *pw, int depth)
{
	static const char cur_sql[] = "SELECT pw_hash FROM users WHERE id = ?1";
	static const char hist_sql[] =
		"SELECT pw_hash FROM password_history WHERE user_id = ?1 "
		"ORDER BY changed_at DESC, rowid DESC LIMIT ?2";
	sqlite3_stmt *s;
	int found = 0;

	s = md_store_stmt(ctx->store, cur_sql, NULL);
	if (s) {
		md_bind_text(s, 1, user);
		if (sqlite3_step(s) == SQLITE_ROW && md_password_verify(md_col_text(s, 0), pw))
			found = 1;
		sqlite3_reset(s);
	}
	if (found || depth <= 0)
		return found;
	s = md_store_stmt(ctx->store, hist_sql, NULL);
	if (!s)
		return 0;
	md_bind_text(s, 1, user);
	sqlite3_bind_int(s, 2, depth);
	while (!found && sqlite3_step(s) == SQLITE_ROW)
		if (md_password_verify(md_col_text(s, 0), pw))
			found = 1;
	sqlite3_reset(s);
	return found;
}

int md_password_policy(struct md_ctx *ctx, const char *user, const char *password,
                       struct md_error *err)
{
	const struct md_settings *c = &ctx->cfg;
	int lower = 0, upper = 0, digit = 0, other = 0, classes;

	if (!password || !*password)
		return md_error_set(err, MD_E_INVALID, "password", _("the password is empty"));
	if ((int)utf8_chars(password) < c->password_min_length)
		return md_error_set(err, MD_E_INVALID, "password",
		                    _("the password must be at least %d characters long"),
		                    c->password_min_length);
	for (const unsigned char *p = (const unsigned char *)password; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return md_error_set(err, MD_E_INVALID, "password",
			                    _("the password contains a control character"));
		if (islower(*p))
			lower = 1;
		else if (isupper(*p))
			upper = 1;
		else if (isdigit(*p))
			digit = 1;
		else
			other = 1;
	}
	classes = lower + upper + digit + other;
	if (classes < c->password_min_classes)
		return md_error_set(err, MD_E_INVALID, "password",
		                    _("the password must mix at least %d of: lower-case letters, "
		                      "upper-case letters, digits, other characters"),
		                    c->password_min_classes);
	/* In any case: "Sato-2026!" contains the ID "sato" as much as "sato-2026!" does. */
	if (user && *user && strcasestr(password, user))
		return md_error_set(err, MD_E_INVALID, "password",
		                    _("the password must not contain the user ID"));
	if (user && ctx->store && user_hashes_match(ctx, user, password, c->password_history))
		return md_error_set(err, MD_E_INVALID, "password",
		                    _("the password was used before: choose one not among the last %d"),
		                    c->password_history + 1);
	return MD_OK;
}

/* ---- looking accounts up ---------------------------------------------------- */

struct user_row {
	char id[64];
	char name[128];
	char pw_hash[MD_PWHASH_BYTES];
	char pw_changed_at[32];
	int must_change;
	int failed;
	int locked;
	char valid_from[16];
	char valid_to[16];
	int disabled;
	int demo;
};

static int load_user(struct md_ctx *ctx, const char *id, struct user_row *u, struct md_error *err)
{
	static const char sql[] =
		"SELECT id, name, pw_hash, pw_changed_at, must_change, failed_count, "
		"locked_at IS NOT NULL, valid_from, coalesce(valid_to, ''), disabled_at IS NOT NULL, demo "
		"FROM users WHERE id = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int rc;

	if (!s)
		return MD_E_DB;
	md_bind_text(s, 1, id);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		if (rc == SQLITE_DONE)
			return md_error_set(err, MD_E_NOTFOUND, "id", _("there is no user \"%s\""), id);
		return md_store_fail(ctx->store, err, _("reading an account"));
	}
	snprintf(u->id, sizeof u->id, "%s", md_col_text(s, 0));
	snprintf(u->name, sizeof u->name, "%s", md_col_text(s, 1));
	snprintf(u->pw_hash, sizeof u->pw_hash, "%s", md_col_text(s, 2));
	snprintf(u->pw_changed_at, sizeof u->pw_changed_at, "%s", md_col_text(s, 3));
	u->must_change = sqlite3_column_int(s, 4);
	u->failed = sqlite3_column_int(s, 5);
	u->locked = sqlite3_column_int(s, 6);
	snprintf(u->valid_from, sizeof u->valid_from, "%s", md_col_text(s, 7));
	snprintf(u->valid_to, sizeof u->valid_to, "%s", md_col_text(s, 8));
	u->disabled = sqlite3_column_int(s, 9);
	u->demo = sqlite3_column_int(s, 10);
	sqlite3_reset(s);
	return MD_OK;
}

static int terminal_permitted(struct md_ctx *ctx, const char *id)
{
	static const char sql[] =
		"SELECT NOT EXISTS (SELECT 1 FROM user_terminals WHERE user_id = ?1) "
		"OR EXISTS (SELECT 1 FROM user_terminals WHERE user_id = ?1 AND terminal = ?2)";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
	int ok = 0;
	if (!s)
		return 0;
	md_bind_text(s, 1, id);
	md_bind_text(s, 2, ctx->cfg.terminal_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		ok = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return ok;
}

static void roles_of(struct md_ctx *ctx, const char *id, struct md_session *se)
{
	static const char sql[] =
		"SELECT group_concat(name, ','), group_concat(title_ja, '、'), group_concat(title_en, ', ') "
		"FROM (SELECT DISTINCT r.name, r.title_ja, r.title_en FROM grants g "
		"JOIN roles r ON r.name = g.role "
		"WHERE g.user_id = ?1 AND g.revoked_at IS NULL AND g.valid_from <= ?2 "
		"AND (g.valid_to IS NULL OR g.valid_to >= ?2) AND (r.training_only = 0 OR ?3) "
		"ORDER BY r.name)";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
	char d[11];

	se->roles[0] = se->roles_ja[0] = se->roles_en[0] = '\0';
	if (!s)
		return;
	today(d);
	md_bind_text(s, 1, id);
	md_bind_text(s, 2, d);
	sqlite3_bind_int(s, 3, ctx->kind == MD_DB_TRAINING);
	if (sqlite3_step(s) == SQLITE_ROW) {
		snprintf(se->roles, sizeof se->roles, "%s", md_col_text(s, 0));
		snprintf(se->roles_ja, sizeof se->roles_ja, "%s", md_col_text(s, 1));
		snprintf(se->roles_en, sizeof se->roles_en, "%s", md_col_text(s, 2));
	}
	sqlite3_reset(s);
}

static int password_expired(struct md_ctx *ctx, const struct user_row *u)
{
	int y, m, d;
	long changed, now;
	char t[11];

	if (u->must_change)
		return 1;
	if (u->demo || ctx->cfg.password_expiry_days <= 0)
		return 0;
	/* pw_changed_at is a UTC time ("2026-11-22T16:20:01Z"); count days
	 * between local calendar dates, as "today" is one: in Japan a password
	 * set before 09:00 has the previous day as its UTC date. */
	{
		int hh, mi, ss, used = 0;
		time_t at;
		snprintf(t, sizeof t, "%.10s", u->pw_changed_at);
		if (md_date_parse_iso(t, &y, &m, &d) != 0 ||
		    sscanf(u->pw_changed_at + 10, "T%2d:%2d:%2dZ%n", &hh, &mi, &ss, &used) != 3 ||
		    used != 10)
			return 1;
		at = (time_t)md_days_from_civil(y, m, d) * 86400 + hh * 3600 + mi * 60 + ss;
		md_date_local(at, t, sizeof t);
		md_date_parse_iso(t, &y, &m, &d);
	}
	changed = md_days_from_civil(y, m, d);
	today(t);
	md_date_parse_iso(t, &y, &m, &d);
	now = md_days_from_civil(y, m, d);
	return now - changed >= ctx->cfg.password_expiry_days;
}

/* ---- login, lock, password change ------------------------------------------ */

static int count_failure(struct md_ctx *ctx, const struct user_row *u, int *now_locked)
{
	static const char sql[] =
		"UPDATE users SET failed_count = failed_count + 1, "
		"locked_at = CASE WHEN failed_count + 1 >= ?2 THEN ?3 ELSE locked_at END "
		"WHERE id = ?1 RETURNING locked_at";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
	char ts[32];
	int locked = 0;

	if (!s)
		return MD_E_DB;
	now_iso(ts);
	md_bind_text(s, 1, u->id);
	sqlite3_bind_int(s, 2, ctx->cfg.lockout_attempts);
	md_bind_text(s, 3, ts);
	/* Read the column itself: SQLite 3.40 evaluates "RETURNING locked_at IS
	 * NOT NULL" wrongly (true for a NULL), so the test is done here. */
	if (sqlite3_step(s) == SQLITE_ROW)
		locked = sqlite3_column_type(s, 0) != SQLITE_NULL;
	sqlite3_reset(s);
	*now_locked = locked && !u->locked;
	return MD_OK;
}

/* 1 when the account holds at least one role or permission today: an
 * account whose grants were all revoked, or have ended, or start later,
 * has nothing it may do and is not let in. */
static int grants_in_effect(struct md_ctx *ctx, const char *id)
{
	static const char sql[] =
		"SELECT 1 FROM grants g LEFT JOIN roles r ON r.name = g.role "
		"WHERE g.user_id = ?1 AND g.revoked_at IS NULL AND g.valid_from <= ?2 "
		"AND (g.valid_to IS NULL OR g.valid_to >= ?2) "
		"AND (g.role IS NULL OR r.training_only = 0 OR ?3) LIMIT 1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
	char d[11];
	int found = 0;

	if (!s)
		return 0;
	today(d);
	md_bind_text(s, 1, id);
	md_bind_text(s, 2, d);
	sqlite3_bind_int(s, 3, ctx->kind == MD_DB_TRAINING);
	found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return found;
}

static int refuse_login(struct md_ctx *ctx, const char *user, const char *why, int code,
                        struct md_error *err, const char *msg)
{
	AUDIT(ctx, "login", user, "login", "failed", why);
	return md_error_set(err, code, "user", "%s", msg);
}

int md_auth_login(struct md_ctx *ctx, const char *user, const char *password,
                  struct md_error *err)
{
	static const char ok_sql[] =
		"UPDATE users SET failed_count = 0, last_login_at = ?2 WHERE id = ?1";
	struct user_row u;
	struct md_session *se;
	struct md_error e2;
	char d[11], ts[32];
	int rc, expired;

	md_auth_logout(ctx);
	if (!user || !*user)
		return md_error_set(err, MD_E_INVALID, "user", _("enter your user ID"));
	if (strlen(user) > 32)
		return refuse_login(ctx, "-", "user ID too long", MD_E_AUTH, err,
		                    _("wrong user ID or password"));
	rc = md_store_begin(ctx->store, err);
	if (rc != MD_OK)
		return rc;
	rc = load_user(ctx, user, &u, &e2);
	if (rc == MD_E_NOTFOUND) {
		/* Same answer as a wrong password: do not reveal which IDs exist. */
		static char dummy[MD_PWHASH_BYTES];
		if (!dummy[0])
			md_password_hash("not a password", dummy, NULL);
		md_password_verify(dummy, password ? password : "");
		refuse_login(ctx, user, "unknown user", MD_E_AUTH, err,
		             _("wrong user ID or password"));
		md_store_commit(ctx->store, NULL);
		return MD_E_AUTH;
	}
	if (rc != MD_OK) {
		*err = e2;
		md_store_rollback(ctx->store);
		return rc;
	}
	today(d);
	/* The password first: someone without it learns nothing about the
	 * account (locked, disabled, outside its dates) from the answer. */
	if (!md_password_verify(u.pw_hash, password ? password : "")) {
		int locked_now = 0;
		if (!u.locked)
			count_failure(ctx, &u, &locked_now);
		refuse_login(ctx, user, u.locked ? "wrong password (account locked)" : "wrong password",
		             MD_E_AUTH, err, _("wrong user ID or password"));
		if (locked_now) {
			AUDIT(ctx, "account.lockout", user, "lock", "ok", "too many failed logins");
			md_error_set(err, MD_E_LOCKED, "user", "%s",
			             _("too many failed attempts: this account is now locked; "
			               "ask an administrator to unlock it"));
		}
		rc = err->code;
	} else if (u.locked) {
		rc = refuse_login(ctx, user, "account locked", MD_E_LOCKED, err,
		                  _("this account is locked after too many failed attempts: "
		                    "ask an administrator to unlock it"));
	} else if (u.disabled || strcmp(u.valid_from, d) > 0 || (u.valid_to[0] && strcmp(u.valid_to, d) < 0)) {
		rc = refuse_login(ctx, user, u.disabled ? "account disabled" : "outside account dates",
		                  MD_E_DISABLED, err,
		                  u.disabled ? _("this account has been disabled")
		                             : _("this account is not valid today"));
	} else if (u.demo && ctx->kind != MD_DB_TRAINING) {
		rc = refuse_login(ctx, user, "demo account on production", MD_E_DISABLED, err,
		                  _("demo accounts work only in training mode"));
	} else if (!terminal_permitted(ctx, user)) {
		char msg[160];
		snprintf(msg, sizeof msg, _("this account may not be used on terminal %s"),
		         ctx->cfg.terminal_id);
		rc = refuse_login(ctx, user, "terminal not permitted", MD_E_DENIED, err, msg);
	} else if (!grants_in_effect(ctx, user)) {
		rc = refuse_login(ctx, user, "no grant in effect", MD_E_DISABLED, err,
		                  _("this account has no role or permission in effect today: "
		                    "ask an administrator"));
	} else {
		rc = MD_OK;
	}
	if (rc != MD_OK) {
		md_store_commit(ctx->store, NULL);
		return rc;
	}

	now_iso(ts);
	{
		sqlite3_stmt *s = md_store_stmt(ctx->store, ok_sql, err);
		if (!s) {
			md_store_rollback(ctx->store);
			return MD_E_DB;
		}
		md_bind_text(s, 1, user);
		md_bind_text(s, 2, ts);
		sqlite3_step(s);
		sqlite3_reset(s);
	}
	se = xcalloc(1, sizeof *se);
	snprintf(se->user, sizeof se->user, "%s", u.id);
	snprintf(se->display_name, sizeof se->display_name, "%s", u.name);
	roles_of(ctx, u.id, se);
	se->login_time = md_time_now();
	expired = password_expired(ctx, &u);
	se->must_change = expired;
	ctx->session = se;
	AUDIT(ctx, "login", u.id, "login", "ok", expired ? "password change required" : NULL);
	rc = md_store_commit(ctx->store, err);
	if (rc != MD_OK) {
		free(ctx->session);
		ctx->session = NULL;
		return rc;
	}
	if (expired)
		return md_error_set(err, MD_E_EXPIRED, "password",
		                    u.must_change ? _("you must choose a new password before you continue")
		                                  : _("your password has expired: choose a new one"));
	return MD_OK;
}

int md_auth_session_usable(struct md_ctx *ctx, struct md_error *err)
{
	struct user_row u;
	char d[11];
	int rc;

	if (!ctx->session)
		return md_error_set(err, MD_E_AUTH, "", _("nobody is logged in"));
	if ((rc = load_user(ctx, ctx->session->user, &u, err)) != MD_OK)
		return rc;
	today(d);
	if (u.disabled)
		return md_error_set(err, MD_E_DISABLED, "", "%s", _("this account has been disabled"));
	if (strcmp(u.valid_from, d) > 0 || (u.valid_to[0] && strcmp(u.valid_to, d) < 0))
		return md_error_set(err, MD_E_DISABLED, "", "%s", _("this account is not valid today"));
	return MD_OK;
}

void md_auth_logout(struct md_ctx *ctx)
{
	if (!ctx->session)
		return;
	/* Whatever this user was editing is free again. */
	md_lock_release_user(ctx, ctx->session->user);
	AUDIT(ctx, "logout", ctx->session->user, "logout", "ok", NULL);
	free(ctx->session);
	ctx->session = NULL;
}

int md_auth_lock(struct md_ctx *ctx, const char *why, struct md_error *err)
{
	if (!ctx->session)
		return md_error_set(err, MD_E_AUTH, "", _("nobody is logged in"));
	if (ctx->session->locked)
		return MD_OK;
	ctx->session->locked = 1;
	AUDIT(ctx, "lock", ctx->session->user, "lock", "ok", why);
	return MD_OK;
}

int md_auth_unlock(struct md_ctx *ctx, const char *password, struct md_error *err)
{
	struct user_row u;
	int rc;

	if (!ctx->session)
		return md_error_set(err, MD_E_AUTH, "", _("nobody is logged in"));
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = load_user(ctx, ctx->session->user, &u, err)) != MD_OK) {
		md_store_rollback(ctx->store);
		return rc;
	}
	if (u.locked || u.disabled) {
		AUDIT(ctx, "unlock", u.id, "unlock", "failed", u.locked ? "account locked" : "account disabled");
		md_store_commit(ctx->store, NULL);
		md_auth_logout(ctx);
		return md_error_set(err, MD_E_LOCKED, "password",
		                    _("this account is locked or disabled: you have been logged out"));
	}
	if (!md_password_verify(u.pw_hash, password ? password : "")) {
		int locked_now = 0;
		count_failure(ctx, &u, &locked_now);
		AUDIT(ctx, "unlock", u.id, "unlock", "failed", "wrong password");
		if (locked_now)
			AUDIT(ctx, "account.lockout", u.id, "lock", "ok", "too many failed unlocks");
		md_store_commit(ctx->store, NULL);
		if (locked_now) {
			md_auth_logout(ctx);
			return md_error_set(err, MD_E_LOCKED, "password",
			                    _("too many failed attempts: this account is now locked"));
		}
		return md_error_set(err, MD_E_AUTH, "password", _("wrong password"));
	}
	{
		static const char sql[] = "UPDATE users SET failed_count = 0 WHERE id = ?1";
		sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
		if (s) {
			md_bind_text(s, 1, u.id);
			sqlite3_step(s);
			sqlite3_reset(s);
		}
	}
	ctx->session->locked = 0;
	AUDIT(ctx, "unlock", u.id, "unlock", "ok", NULL);
	return md_store_commit(ctx->store, err);
}

static int set_password(struct md_ctx *ctx, const char *id, const char *password, int must_change,
                        struct md_error *err)
{
	static const char hist_sql[] =
		"INSERT INTO password_history (user_id, pw_hash, changed_at) "
		"SELECT id, pw_hash, pw_changed_at FROM users WHERE id = ?1";
	static const char upd_sql[] =
		"UPDATE users SET pw_hash = ?2, pw_changed_at = ?3, must_change = ?4 WHERE id = ?1";
	char hash[MD_PWHASH_BYTES], ts[32];
	sqlite3_stmt *s;
	int rc;

	if ((rc = md_password_hash(password, hash, err)) != MD_OK)
		return rc;
	now_iso(ts);
	if (!(s = md_store_stmt(ctx->store, hist_sql, err)))
		return MD_E_DB;
	md_bind_text(s, 1, id);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("keeping the password history"));
	if (!(s = md_store_stmt(ctx->store, upd_sql, err)))
		return MD_E_DB;
	md_bind_text(s, 1, id);
	md_bind_text(s, 2, hash);
	md_bind_text(s, 3, ts);
	sqlite3_bind_int(s, 4, must_change);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE || sqlite3_changes(md_store_db(ctx->store)) != 1)
		return md_store_fail(ctx->store, err, _("changing the password"));
	return MD_OK;
}

int md_auth_change_password(struct md_ctx *ctx, const char *current, const char *next,
                            struct md_error *err)
{
	struct user_row u;
	int rc;

	if (!ctx->session)
		return md_error_set(err, MD_E_AUTH, "", _("nobody is logged in"));
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = load_user(ctx, ctx->session->user, &u, err)) != MD_OK)
		goto fail;
	if (!md_password_verify(u.pw_hash, current ? current : "")) {
		int locked_now = 0;
		count_failure(ctx, &u, &locked_now);
		AUDIT(ctx, "password.change", u.id, "change password", "failed", "wrong current password");
		if (locked_now)
			AUDIT(ctx, "account.lockout", u.id, "lock", "ok", "too many failed password changes");
		md_store_commit(ctx->store, NULL);
		if (locked_now) {
			md_auth_logout(ctx);
			return md_error_set(err, MD_E_LOCKED, "current",
			                    _("too many failed attempts: this account is now locked"));
		}
		return md_error_set(err, MD_E_AUTH, "current", _("the current password is wrong"));
	}
	if (current && next && strcmp(current, next) == 0) {
		rc = md_error_set(err, MD_E_INVALID, "password",
		                  _("the new password must differ from the current one"));
		goto fail;
	}
	if ((rc = md_password_policy(ctx, u.id, next, err)) != MD_OK)
		goto fail;
	if ((rc = set_password(ctx, u.id, next, 0, err)) != MD_OK)
		goto fail;
	AUDIT(ctx, "password.change", u.id, "change password", "ok", NULL);
	if ((rc = md_store_commit(ctx->store, err)) != MD_OK)
		return rc;
	ctx->session->must_change = 0;
	return MD_OK;
fail:
	md_store_rollback(ctx->store);
	return rc;
}

/* ---- permissions ------------------------------------------------------------ */

int md_auth_can(struct md_ctx *ctx, const char *permission)
{
	static const char sql[] =
		"SELECT 1 FROM users u JOIN grants g ON g.user_id = u.id "
		"LEFT JOIN roles r ON r.name = g.role "
		"LEFT JOIN role_permissions rp ON rp.role = g.role AND rp.permission = ?2 "
		"WHERE u.id = ?1 AND u.disabled_at IS NULL AND u.locked_at IS NULL "
		"AND u.valid_from <= ?3 AND (u.valid_to IS NULL OR u.valid_to >= ?3) "
		"AND g.revoked_at IS NULL AND g.valid_from <= ?3 "
		"AND (g.valid_to IS NULL OR g.valid_to >= ?3) "
		"AND (g.permission = ?2 OR rp.permission IS NOT NULL) "
		"AND (g.role IS NULL OR r.training_only = 0 OR ?4) "
		"AND (NOT EXISTS (SELECT 1 FROM user_terminals t WHERE t.user_id = u.id) "
		"     OR EXISTS (SELECT 1 FROM user_terminals t WHERE t.user_id = u.id AND t.terminal = ?5)) "
		"LIMIT 1";
	sqlite3_stmt *s;
	char d[11];
	int ok;

	if (!ctx->session || !ctx->store || !permission)
		return 0;
	if (!(s = md_store_stmt(ctx->store, sql, NULL)))
		return 0;
	today(d);
	md_bind_text(s, 1, ctx->session->user);
	md_bind_text(s, 2, permission);
	md_bind_text(s, 3, d);
	sqlite3_bind_int(s, 4, ctx->kind == MD_DB_TRAINING);
	md_bind_text(s, 5, ctx->cfg.terminal_id);
	ok = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return ok;
}

/* ---- user administration ------------------------------------------------------ */

static int role_exists(struct md_ctx *ctx, const char *role, int *training_only)
{
	static const char sql[] = "SELECT training_only FROM roles WHERE name = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
	int found = 0;
	if (!s)
		return 0;
	md_bind_text(s, 1, role);
	if (sqlite3_step(s) == SQLITE_ROW) {
		found = 1;
		if (training_only)
			*training_only = sqlite3_column_int(s, 0);
	}
	sqlite3_reset(s);
	return found;
}

static int permission_exists(struct md_ctx *ctx, const char *perm)
{
	static const char sql[] = "SELECT 1 FROM permissions WHERE name = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
	int found = 0;
	if (!s)
		return 0;
	md_bind_text(s, 1, perm);
	found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return found;
}

static int insert_grant(struct md_ctx *ctx, const char *id, const char *what, const char *from,
                        const char *to, const char *reason, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO grants (user_id, role, permission, valid_from, valid_to, granted_by, "
		"granted_at, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *s;
	int training_only = 0, is_role;
	char d[11], ts[32], fbuf[16], tbuf[16];
	int rc;

	if ((rc = md_account_date("from", &from, fbuf, err)) != MD_OK ||
	    (rc = md_account_date("to", &to, tbuf, err)) != MD_OK)
		return rc;
	today(d);
	if (!from || !*from)
		from = d;
	if (to && *to && strcmp(to, from) < 0)
		return md_error_set(err, MD_E_INVALID, "to",
		                    _("the end date %s is before the start date %s"), to, from);
	is_role = role_exists(ctx, what, &training_only);
	if (!is_role && !permission_exists(ctx, what))
		return md_error_set(err, MD_E_INVALID, "role",
		                    _("\"%s\" is neither a role nor a permission"), what);
	if (is_role && training_only && ctx->kind != MD_DB_TRAINING)
		return md_error_set(err, MD_E_INVALID, "role",
		                    _("the role \"%s\" exists only on a training database"), what);
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	now_iso(ts);
	md_bind_text(s, 1, id);
	md_bind_text(s, 2, is_role ? what : NULL);
	md_bind_text(s, 3, is_role ? NULL : what);
	md_bind_text(s, 4, from);
	md_bind_text(s, 5, to && *to ? to : NULL);
	md_bind_text(s, 6, actor(ctx));
	md_bind_text(s, 7, ts);
	md_bind_text(s, 8, reason);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("recording the grant"));
	return MD_OK;
}

/* How many accounts other than except (NULL: none excepted) hold user.manage
 * today, by a role or a single permission, on an account that is not
 * disabled and is within its dates: the office must never be left without
 * an administrator. */
static int other_admins(struct md_ctx *ctx, const char *except)
{
	static const char sql[] =
		"SELECT count(DISTINCT u.id) FROM users u JOIN grants g ON g.user_id = u.id "
		"LEFT JOIN roles r ON r.name = g.role "
		"LEFT JOIN role_permissions rp ON rp.role = g.role AND rp.permission = 'user.manage' "
		"WHERE u.id <> coalesce(?1, '') AND u.disabled_at IS NULL "
		"AND u.valid_from <= ?2 AND (u.valid_to IS NULL OR u.valid_to >= ?2) "
		"AND g.revoked_at IS NULL AND g.valid_from <= ?2 "
		"AND (g.valid_to IS NULL OR g.valid_to >= ?2) "
		"AND (g.permission = 'user.manage' OR rp.permission IS NOT NULL) "
		"AND (g.role IS NULL OR r.training_only = 0 OR ?3)";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
	char d[11];
	int n = 0;

	if (!s)
		return 0;
	today(d);
	md_bind_text(s, 1, except);
	md_bind_text(s, 2, d);
	sqlite3_bind_int(s, 3, ctx->kind == MD_DB_TRAINING);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return n;
}

/* 1 when what (a role or a permission) gives user.manage. */
static int confers_user_manage(struct md_ctx *ctx, const char *what)
{
	static const char sql[] =
		"SELECT 1 WHERE ?1 = 'user.manage' OR EXISTS (SELECT 1 FROM role_permissions "
		"WHERE role = ?1 AND permission = 'user.manage')";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
	int yes = 0;
	if (!s)
		return 0;
	md_bind_text(s, 1, what);
	yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return yes;
}

/* After a revocation or a disabling, inside its transaction: refuses it when
 * nobody would be left to administer accounts. */
static int check_admin_left(struct md_ctx *ctx, struct md_error *err)
{
	if (other_admins(ctx, NULL) > 0)
		return MD_OK;
	return md_error_set(err, MD_E_CONFLICT, "id",
	                    _("refused: afterwards no account would hold user.manage and nobody could "
	                      "administer accounts; grant it to another administrator first"));
}

int md_user_create(struct md_ctx *ctx, const char *id, const char *name, const char *role,
                   const char *password, const char *valid_from, const char *valid_to,
                   const char *reason, int must_change, int demo, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO users (id, name, pw_hash, pw_changed_at, must_change, valid_from, "
		"valid_to, demo, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
	char hash[MD_PWHASH_BYTES], ts[32], d[11], fbuf[16], tbuf[16];
	struct user_row existing;
	struct md_error e2;
	sqlite3_stmt *s;
	char *detail;
	int rc;

	if ((rc = check_user_id(id, err)) != MD_OK)
		return rc;
	if (!name || !*name)
		name = id;
	if (strlen(name) > 100)
		return md_error_set(err, MD_E_INVALID, "name", _("the name is longer than 100 bytes"));
	if (!role || !*role)
		return md_error_set(err, MD_E_INVALID, "role", _("a role is required"));
	if ((rc = md_account_date("from", &valid_from, fbuf, err)) != MD_OK ||
	    (rc = md_account_date("to", &valid_to, tbuf, err)) != MD_OK)
		return rc;
	if (demo && ctx->kind != MD_DB_TRAINING)
		return md_error_set(err, MD_E_MODE, "id", _("demo accounts exist only in training databases"));
	if (!demo && (rc = md_password_policy(ctx, id, password, err)) != MD_OK)
		return rc;
	if ((rc = md_password_hash(password, hash, err)) != MD_OK)
		return rc;
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if (load_user(ctx, id, &existing, &e2) == MD_OK) {
		rc = md_error_set(err, MD_E_CONFLICT, "id", _("user \"%s\" already exists"), id);
		goto fail;
	}
	today(d);
	now_iso(ts);
	if (!(s = md_store_stmt(ctx->store, sql, err))) {
		rc = MD_E_DB;
		goto fail;
	}
	md_bind_text(s, 1, id);
	md_bind_text(s, 2, name);
	md_bind_text(s, 3, hash);
	md_bind_text(s, 4, ts);
	sqlite3_bind_int(s, 5, must_change ? 1 : 0);
	md_bind_text(s, 6, valid_from && *valid_from ? valid_from : d);
	md_bind_text(s, 7, valid_to && *valid_to ? valid_to : NULL);
	sqlite3_bind_int(s, 8, demo ? 1 : 0);
	md_bind_text(s, 9, ts);
	md_bind_text(s, 10, actor(ctx));
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		rc = md_store_fail(ctx->store, err, _("creating the account"));
		goto fail;
	}
	if ((rc = insert_grant(ctx, id, role, valid_from, valid_to,
	                       reason && *reason ? reason : "new account", err)) != MD_OK)
		goto fail;
	detail = xasprintf("role=%s%s%s", role, reason && *reason ? " reason=" : "",
	                   reason && *reason ? reason : "");
	AUDIT(ctx, "user.add", id, "create account", "ok", detail);
	free(detail);
	return md_store_commit(ctx->store, err);
fail:
	md_store_rollback(ctx->store);
	return rc;
}

static int require_user(struct md_ctx *ctx, const char *id, struct user_row *u, struct md_error *err)
{
	if (!id || !*id)
		return md_error_set(err, MD_E_INVALID, "id", _("a user ID is required"));
	return load_user(ctx, id, u, err);
}

int md_user_disable(struct md_ctx *ctx, const char *id, const char *reason, struct md_error *err)
{
	static const char sql[] =
		"UPDATE users SET disabled_at = ?2, disabled_by = ?3, disabled_reason = ?4 WHERE id = ?1";
	static const char rev_sql[] =
		"UPDATE grants SET revoked_at = ?2, revoked_by = ?3, revoke_reason = ?4 "
		"WHERE user_id = ?1 AND revoked_at IS NULL";
	struct user_row u;
	char ts[32];
	sqlite3_stmt *s;
	int rc;

	if ((rc = check_reason(reason, err)) != MD_OK)
		return rc;
	if (ctx->session && id && strcmp(id, ctx->session->user) == 0)
		return md_error_set(err, MD_E_INVALID, "id", _("you cannot disable your own account"));
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = require_user(ctx, id, &u, err)) != MD_OK)
		goto fail;
	if (u.disabled) {
		rc = md_error_set(err, MD_E_CONFLICT, "id", _("user \"%s\" is already disabled"), id);
		goto fail;
	}
	now_iso(ts);
	for (int i = 0; i < 2; i++) {
		if (!(s = md_store_stmt(ctx->store, i ? rev_sql : sql, err))) {
			rc = MD_E_DB;
			goto fail;
		}
		md_bind_text(s, 1, id);
		md_bind_text(s, 2, ts);
		md_bind_text(s, 3, actor(ctx));
		md_bind_text(s, 4, reason);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE) {
			rc = md_store_fail(ctx->store, err, _("disabling the account"));
			goto fail;
		}
	}
	if ((rc = check_admin_left(ctx, err)) != MD_OK)
		goto fail;
	AUDIT(ctx, "user.disable", id, "disable account and revoke its grants", "ok", reason);
	return md_store_commit(ctx->store, err);
fail:
	md_store_rollback(ctx->store);
	return rc;
}

int md_user_unlock(struct md_ctx *ctx, const char *id, const char *reason, struct md_error *err)
{
	static const char sql[] = "UPDATE users SET locked_at = NULL, failed_count = 0 WHERE id = ?1";
	struct user_row u;
	sqlite3_stmt *s;
	int rc;

	if (reason && strlen(reason) > 500)
		return md_error_set(err, MD_E_INVALID, "reason", _("reason is longer than 500 bytes"));
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = require_user(ctx, id, &u, err)) != MD_OK)
		goto fail;
	if (!u.locked) {
		rc = md_error_set(err, MD_E_CONFLICT, "id", _("user \"%s\" is not locked"), id);
		goto fail;
	}
	if (!(s = md_store_stmt(ctx->store, sql, err))) {
		rc = MD_E_DB;
		goto fail;
	}
	md_bind_text(s, 1, id);
	sqlite3_step(s);
	sqlite3_reset(s);
	AUDIT(ctx, "user.unlock", id, "release lockout", "ok", reason && *reason ? reason : NULL);
	return md_store_commit(ctx->store, err);
fail:
	md_store_rollback(ctx->store);
	return rc;
}

int md_user_reset_password(struct md_ctx *ctx, const char *id, const char *password,
                           const char *reason, struct md_error *err)
{
	struct user_row u;
	int rc;

	if (ctx->session && id && strcmp(id, ctx->session->user) == 0)
		return md_error_set(err, MD_E_INVALID, "id",
		                    _("use \"change password\" for your own account"));
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = require_user(ctx, id, &u, err)) != MD_OK)
		goto fail;
	if ((rc = md_password_policy(ctx, id, password, err)) != MD_OK)
		goto fail;
	if ((rc = set_password(ctx, id, password, 1, err)) != MD_OK)
		goto fail;
	AUDIT(ctx, "user.reset-password", id, "reset password (must change at next login)", "ok",
	      reason && *reason ? reason : NULL);
	return md_store_commit(ctx->store, err);
fail:
	md_store_rollback(ctx->store);
	return rc;
}

int md_grant_add(struct md_ctx *ctx, const char *id, const char *what, const char *valid_from,
                 const char *valid_to, const char *reason, struct md_error *err)
{
	struct user_row u;
	char *detail;
	int rc;

	if ((rc = check_reason(reason, err)) != MD_OK)
		return rc;
	if (!what || !*what)
		return md_error_set(err, MD_E_INVALID, "role", _("name a role or a permission to grant"));
	if (ctx->session && id && strcmp(id, ctx->session->user) == 0)
		return md_error_set(err, MD_E_INVALID, "id",
		                    _("you cannot grant to yourself: another administrator must"));
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = require_user(ctx, id, &u, err)) != MD_OK)
		goto fail;
	if (u.disabled) {
		rc = md_error_set(err, MD_E_INVALID, "id", _("user \"%s\" is disabled"), id);
		goto fail;
	}
	if ((rc = insert_grant(ctx, id, what, valid_from, valid_to, reason, err)) != MD_OK)
		goto fail;
	detail = xasprintf("grant=%s from=%s to=%s reason=%s", what,
	                   valid_from && *valid_from ? valid_from : "today",
	                   valid_to && *valid_to ? valid_to : "-", reason);
	AUDIT(ctx, "user.grant", id, "grant", "ok", detail);
	free(detail);
	return md_store_commit(ctx->store, err);
fail:
	md_store_rollback(ctx->store);
	return rc;
}

int md_grant_revoke(struct md_ctx *ctx, const char *id, const char *what, const char *reason,
                    struct md_error *err)
{
	static const char sql[] =
		"UPDATE grants SET revoked_at = ?3, revoked_by = ?4, revoke_reason = ?5 "
		"WHERE user_id = ?1 AND (role = ?2 OR permission = ?2) AND revoked_at IS NULL";
	struct user_row u;
	sqlite3_stmt *s;
	char ts[32];
	char *detail;
	int rc;

	if ((rc = check_reason(reason, err)) != MD_OK)
		return rc;
	if (!what || !*what)
		return md_error_set(err, MD_E_INVALID, "role", _("name a role or a permission to revoke"));
	if (ctx->session && id && strcmp(id, ctx->session->user) == 0) {
		if (ctx->store && confers_user_manage(ctx, what) && other_admins(ctx, id) == 0)
			return md_error_set(err, MD_E_INVALID, "role",
			                    _("you are the last administrator: revoking your own \"%s\" would "
			                      "leave nobody to administer accounts"), what);
		return md_error_set(err, MD_E_INVALID, "id",
		                    _("you cannot revoke your own grants: another administrator must"));
	}
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = require_user(ctx, id, &u, err)) != MD_OK)
		goto fail;
	if (!(s = md_store_stmt(ctx->store, sql, err))) {
		rc = MD_E_DB;
		goto fail;
	}
	now_iso(ts);
	md_bind_text(s, 1, id);
	md_bind_text(s, 2, what);
	md_bind_text(s, 3, ts);
	md_bind_text(s, 4, actor(ctx));
	md_bind_text(s, 5, reason);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		rc = md_store_fail(ctx->store, err, _("revoking"));
		goto fail;
	}
	if (sqlite3_changes(md_store_db(ctx->store)) == 0) {
		rc = md_error_set(err, MD_E_NOTFOUND, "role",
		                  _("user \"%s\" holds no active grant of \"%s\""), id, what);
		goto fail;
	}
	if ((rc = check_admin_left(ctx, err)) != MD_OK)
		goto fail;
	detail = xasprintf("revoke=%s reason=%s", what, reason);
	AUDIT(ctx, "user.revoke", id, "revoke", "ok", detail);
	free(detail);
	return md_store_commit(ctx->store, err);
fail:
	md_store_rollback(ctx->store);
	return rc;
}

int md_user_set_terminals(struct md_ctx *ctx, const char *id, const char *terminals,
                          const char *reason, struct md_error *err)
{
	static const char del_sql[] = "DELETE FROM user_terminals WHERE user_id = ?1";
	static const char ins_sql[] = "INSERT OR IGNORE INTO user_terminals VALUES (?1, ?2)";
	struct user_row u;
	sqlite3_stmt *s;
	char *list, *tok, *save = NULL;
	int rc;

	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = require_user(ctx, id, &u, err)) != MD_OK)
		goto fail;
	if (!(s = md_store_stmt(ctx->store, del_sql, err))) {
		rc = MD_E_DB;
		goto fail;
	}
	md_bind_text(s, 1, id);
	sqlite3_step(s);
	sqlite3_reset(s);
	list = xstrdup(terminals ? terminals : "");
	for (tok = strtok_r(list, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		if (!(s = md_store_stmt(ctx->store, ins_sql, err))) {
			free(list);
			rc = MD_E_DB;
			goto fail;
		}
		md_bind_text(s, 1, id);
		md_bind_text(s, 2, tok);
		sqlite3_step(s);
		sqlite3_reset(s);
	}
	free(list);
	{
		char *detail = xasprintf("terminals=%s%s%s", terminals && *terminals ? terminals : "any",
		                         reason && *reason ? " reason=" : "", reason && *reason ? reason : "");
		AUDIT(ctx, "user.terminals", id, "set permitted terminals", "ok", detail);
		free(detail);
	}
	return md_store_commit(ctx->store, err);
fail:
	md_store_rollback(ctx->store);
	return rc;
}

/* The status words the query below produces, marked for translation. */
static const char *status_label(const char *word)
{
	static const char *const words[] = { N_("active"), N_("locked"), N_("disabled"),
	                                     N_("expired"), N_("not yet valid"),
	                                     N_("must change password"), N_("no role in effect") };
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(word, words[i]) == 0)
			return _(words[i]);
	return word;
}

int md_user_list(struct md_ctx *ctx, struct md_table *out, struct md_error *err)
{
	static const char sql[] =
		"SELECT u.id, u.name, "
		"coalesce((SELECT group_concat(coalesce(g.role, g.permission) || "
		"  CASE WHEN g.valid_to IS NOT NULL THEN '(~' || g.valid_to || ')' ELSE '' END, ',') "
		"  FROM grants g WHERE g.user_id = u.id AND g.revoked_at IS NULL "
		"  AND (g.valid_to IS NULL OR g.valid_to >= ?1)), ''), "
		"CASE WHEN u.disabled_at IS NOT NULL THEN 'disabled' "
		"     WHEN u.locked_at IS NOT NULL THEN 'locked' "
		"     WHEN u.valid_to IS NOT NULL AND u.valid_to < ?1 THEN 'expired' "
		"     WHEN u.valid_from > ?1 THEN 'not yet valid' "
		"     WHEN NOT EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id "
		"       AND g.revoked_at IS NULL AND g.valid_from <= ?1 "
		"       AND (g.valid_to IS NULL OR g.valid_to >= ?1)) THEN 'no role in effect' "
		"     WHEN u.must_change THEN 'must change password' ELSE 'active' END, "
		"coalesce(date(u.last_login_at, 'localtime'), ''), "
		"coalesce(date(u.locked_at, 'localtime'), ''), coalesce(u.valid_to, '') "
		"FROM users u ORDER BY u.id";
	static const char *const cols[] = { N_("user"), N_("name"), N_("grants"), N_("status"),
	                                    N_("last login"), N_("locked since"), N_("valid to") };
	const char *tcols[7];
	sqlite3_stmt *s;
	char d[11];
	int rc;

	for (int i = 0; i < 7; i++)
		tcols[i] = _(cols[i]);
	md_table_init(out, 7, tcols);
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	today(d);
	md_bind_text(s, 1, d);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *row[7];
		for (int i = 0; i < 7; i++)
			row[i] = md_col_text(s, i);
		row[3] = status_label(row[3]);
		md_table_add(out, row);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("listing users"));
	AUDIT(ctx, "user.list", NULL, "list users", "ok", NULL);
	return MD_OK;
}

int md_user_demo_list(struct md_ctx *ctx, struct md_table *out, struct md_error *err)
{
	static const char sql[] =
		"SELECT u.id, coalesce((SELECT group_concat(role, ',') FROM grants g "
		"WHERE g.user_id = u.id AND g.revoked_at IS NULL AND g.role IS NOT NULL), '') "
		"FROM users u WHERE u.demo = 1 AND u.disabled_at IS NULL ORDER BY u.rowid";
	static const char *const cols[] = { "user", "roles" };
	sqlite3_stmt *s;

	md_table_init(out, 2, cols);
	if (ctx->kind != MD_DB_TRAINING)
		return MD_OK;
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *row[2] = { md_col_text(s, 0), md_col_text(s, 1) };
		md_table_add(out, row);
	}
	sqlite3_reset(s);
	return MD_OK;
}
