/* lock.h: edit locks. While one user edits a person or a household, others
 * can only view it; the lock shows its owner and time, and ends on save,
 * cancel, logout or timeout. */
#ifndef MD_LOCK_H
#define MD_LOCK_H

#include "error.h"

struct md_ctx;

enum md_lock_kind { MD_LOCK_PERSON, MD_LOCK_HOUSEHOLD };

#define MD_LOCK_MINUTES 30

/* Takes (or renews) the lock for the session's user. MD_E_CONFLICT, naming
 * the owner and since when, when another user holds it. */
int md_lock_acquire(struct md_ctx *ctx, enum md_lock_kind kind, long long id, struct md_error *err);
/* MD_OK when nobody else holds a live lock on it. */
int md_lock_check(struct md_ctx *ctx, enum md_lock_kind kind, long long id, struct md_error *err);
void md_lock_release(struct md_ctx *ctx, enum md_lock_kind kind, long long id);
/* Every lock of a user (logout). */
void md_lock_release_user(struct md_ctx *ctx, const char *user);

#endif
