/* useradmin.h: user administration beyond the single actions of account.h:
 * generated temporary passwords (shown once), one account's whole record of
 * grants, the revocation register (失効・取消の記録) and the periodic access
 * review (アクセス権の棚卸し) with dormant accounts. Command handlers
 * (cmd_users.c) call these. */
#ifndef MD_USERADMIN_H
#define MD_USERADMIN_H

#include <stddef.h>

#include "error.h"

struct md_ctx;
struct md_table;
struct md_result;

/* Room for a generated password and its terminating NUL. */
#define MD_TEMP_PASSWORD_MAX 64

/* A random password meeting the policy in the settings (at least 12
 * characters, all four kinds of character, without the user ID). */
int md_temp_password_make(struct md_ctx *ctx, const char *id, char *out, size_t n,
                          struct md_error *err);

/* Resets id's password to a generated one that must be changed at the next
 * login; out receives it (to be shown once, never stored or logged). */
int md_user_temp_password(struct md_ctx *ctx, const char *id, const char *reason, char *out,
                          size_t n, struct md_error *err);

/* Creates an account like md_user_create with a generated temporary password. */
int md_user_create_temp(struct md_ctx *ctx, const char *id, const char *name, const char *role,
                        const char *valid_from, const char *valid_to, const char *reason,
                        char *out, size_t n, struct md_error *err);

/* One account: res->lines are "label: value" lines (status, dates, last
 * login, terminals); res->table every grant ever made, with columns
 * id what kind state from to granted_by granted_at reason revoked_at
 * revoked_by revoke_reason. Audited. */
int md_user_show(struct md_ctx *ctx, const char *id, struct md_result *res, struct md_error *err);

/* The revocation register: every disabled account, revoked grant and grant
 * that ended by its date, newest first, optionally within [from, to]
 * (dates YYYY-MM-DD, either may be NULL). Columns: date user name event
 * what by reason. Audited. */
int md_user_revocations(struct md_ctx *ctx, const char *from, const char *to,
                        struct md_table *out, struct md_error *err);

/* The periodic access review: each account with each grant in effect or
 * still to come (one row per grant; an account without one gets one row).
 * Columns: user name status last_login dormant what from to granted_by
 * granted_at reason. An account not disabled with no login (or, never having
 * logged in, created) [security] dormant_days or more days ago is dormant.
 * accounts and dormant receive the counts (may be NULL). Audited. */
int md_user_review(struct md_ctx *ctx, struct md_table *out, int *accounts, int *dormant,
                   struct md_error *err);

#endif
