/* audit.h: the append-only, hash-chained audit log (操作ログ). */
#ifndef MD_AUDIT_H
#define MD_AUDIT_H

#include "crypto.h"
#include "error.h"

struct md_ctx;

struct md_audit_rec {
	const char *user;       /* NULL: the session's user, or "-" */
	const char *function;   /* e.g. "login", "user.add" */
	const char *subject;    /* 宛名番号 or user id concerned, or NULL */
	const char *action;     /* what was attempted */
	const char *outcome;    /* "ok", "denied", "failed", "error" */
	const char *detail;     /* search keys, reasons; never a My Number */
	int mynumber;           /* a My Number was involved */
};

/* Appends one entry inside the current transaction, or in its own. */
int md_audit(struct md_ctx *ctx, const struct md_audit_rec *rec, struct md_error *err);
/* Walks the chain. MD_OK with *count; MD_E_TAMPER with *bad_id = first broken entry. */
int md_audit_verify(struct md_ctx *ctx, long *count, long *bad_id, struct md_error *err);

/* What md_audit_purge() removed. */
struct md_audit_purged {
	long long count;
	char first_ts[32], last_ts[32];  /* the oldest and newest entry removed */
	long long anchor_id;             /* the last entry removed: the chain now starts after it */
	char anchor_hash[MD_HASH_HEX];
};

/* Retention purge, inside the caller's transaction: removes the oldest
 * entries, up to the first entry at or after `before` (an ISO date or time),
 * never the newest entry, and records the keyed anchor that md_audit_verify()
 * starts from. Nothing else can delete from the log. */
int md_audit_purge(struct md_ctx *ctx, const char *before, struct md_audit_purged *out,
                   struct md_error *err);

#endif
