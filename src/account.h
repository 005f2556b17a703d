/* account.h: personal accounts, passwords, lockout, roles, grants, sessions.
 * Command handlers (cmd_*.c) call these; nothing else should. */
#ifndef MD_ACCOUNT_H
#define MD_ACCOUNT_H

#include "error.h"

struct md_ctx;
struct md_table;

/* Checks a new password against the policy in the settings and the user's history. */
/* A date of an account or grant as typed (every form md_date_parse()
 * takes: R8.4.1, 令和8年4月1日, 2026-04-01): *d is pointed at its storage
 * form in buf; NULL or "" stays. field "from" or "to" names it in the
 * message and err->field. */
int md_account_date(const char *field, const char **d, char buf[16], struct md_error *err);

int md_password_policy(struct md_ctx *ctx, const char *user, const char *password,
                       struct md_error *err);

/* Logs in: sets ctx->session. MD_E_EXPIRED still sets the session, with
 * must_change, so that only a password change is possible. Failures count
 * towards lockout and are logged. */
int md_auth_login(struct md_ctx *ctx, const char *user, const char *password,
                  struct md_error *err);
void md_auth_logout(struct md_ctx *ctx);
/* MD_OK while the session's account is neither disabled nor outside its
 * dates; md_cmd_exec refuses everything but logout otherwise. */
int md_auth_session_usable(struct md_ctx *ctx, struct md_error *err);
int md_auth_lock(struct md_ctx *ctx, const char *why, struct md_error *err);
/* Same user re-enters the password; failures count towards lockout. */
int md_auth_unlock(struct md_ctx *ctx, const char *password, struct md_error *err);
int md_auth_change_password(struct md_ctx *ctx, const char *current, const char *next,
                            struct md_error *err);

/* 1 when the session's user holds the permission today on this terminal. */
int md_auth_can(struct md_ctx *ctx, const char *permission);

int md_user_create(struct md_ctx *ctx, const char *id, const char *name, const char *role,
                   const char *password, const char *valid_from, const char *valid_to,
                   const char *reason, int must_change, int demo, struct md_error *err);
int md_user_disable(struct md_ctx *ctx, const char *id, const char *reason, struct md_error *err);
/* reason (may be NULL for these three) goes into the audit entry. */
int md_user_unlock(struct md_ctx *ctx, const char *id, const char *reason, struct md_error *err);
int md_user_reset_password(struct md_ctx *ctx, const char *id, const char *password,
                           const char *reason, struct md_error *err);
/* what: a role name or a single permission name. */
int md_grant_add(struct md_ctx *ctx, const char *id, const char *what, const char *valid_from,
                 const char *valid_to, const char *reason, struct md_error *err);
int md_grant_revoke(struct md_ctx *ctx, const char *id, const char *what, const char *reason,
                    struct md_error *err);
int md_user_set_terminals(struct md_ctx *ctx, const char *id, const char *terminals,
                          const char *reason, struct md_error *err);
int md_user_list(struct md_ctx *ctx, struct md_table *out, struct md_error *err);
/* Demo account ids (training databases only), for the login screen. */
int md_user_demo_list(struct md_ctx *ctx, struct md_table *out, struct md_error *err);

#endif
