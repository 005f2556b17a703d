/* audit.h: the append-only, hash-chained audit log (操作ログ). */
#ifndef MD_AUDIT_H
#define MD_AUDIT_H

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

#endif
