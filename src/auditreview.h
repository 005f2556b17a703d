/* auditreview.h: reading the audit log for review (監査ログの確認): a
 * filtered search, newest first, and the ready-made checks whose findings
 * an auditor or supervisor marks reviewed with a comment. The log itself
 * stays append-only (audit.h); reviews live in audit_reviews. The command
 * layer (cmd_audit.c) writes the audit entries of reading the log. */
#ifndef MD_AUDITREVIEW_H
#define MD_AUDITREVIEW_H

#include "error.h"
#include "result.h"

struct md_ctx;

enum md_audit_check {
	MD_CHECK_OFFHOURS,      /* any entry outside office hours or on a closed day */
	MD_CHECK_VOLUME,        /* a user's lookups in a day far above their usual or their peers' */
	MD_CHECK_NOFOLLOWUP,    /* a person looked at with no transaction on them by that user */
	MD_CHECK_MYNUMBER,      /* My Number reveals */
	MD_CHECK_PROTECTED,     /* lookups of persons under 支援措置 */
	MD_CHECK_LOGINS,        /* failed logins and unlocks, lockouts */
	MD_CHECK_COUNT
};

struct md_audit_check_def {
	const char *name;       /* on the command line: "off-hours" */
	const char *title;      /* N_() */
	const char *help;       /* N_() one line: what it reports */
};

const struct md_audit_check_def *md_audit_check_def(enum md_audit_check c);
/* The check of that name, or -1. */
int md_audit_check_find(const char *name);

#define MD_AUDIT_LIMIT_DEFAULT 50
#define MD_AUDIT_LIMIT_MAX 500

struct md_audit_query {
	const char *user;       /* NULL or "": any */
	const char *subject;    /* 宛名番号 (for the login check: also the account tried) */
	const char *function;
	const char *outcome;
	char from[24];          /* UTC "YYYY-MM-DDTHH:MM:SSZ", inclusive; "" open */
	char to[24];            /* exclusive; "" open */
	int unreviewed;         /* only entries nobody marked reviewed yet */
	int page;               /* 1 = the newest */
	int limit;              /* rows a page */
};

/* Fills q with no filters, page 1 and the default limit. */
void md_audit_query_init(struct md_audit_query *q);
/* A local date (any form md_date_parse takes: 2026-11-22, R8.11.22,
 * 令和8年11月22日) optionally followed by a time (" 08:30" or "T08:30:15"),
 * as a UTC bound. A date alone is its start, or with is_end the start of
 * the next day, so that "to 2026-11-22" includes the whole day. Errors name
 * field. */
int md_audit_time_bound(const char *field, const char *v, int is_end, char out[24],
                        struct md_error *err);

/* One page of entries matching q, newest first: columns id time user
 * terminal function subject action outcome mynumber detail reviewed_by
 * reviewed_at comment. *more is set when a further page exists. A run of 12
 * digits in a detail is masked like a My Number. */
int md_audit_search(struct md_ctx *ctx, const struct md_audit_query *q, struct md_table *t,
                    int *more, struct md_error *err);
/* One page of a check's findings, newest first: columns id time user
 * terminal function subject finding reviewed_by reviewed_at comment; *total
 * is the number of findings on every page. q's user, subject, from, to,
 * unreviewed, page and limit apply (function and outcome are the check's). */
int md_audit_check(struct md_ctx *ctx, enum md_audit_check c, const struct md_audit_query *q,
                   struct md_table *t, long *total, struct md_error *err);
/* Marks entry reviewed by the session's user with a comment, once; refuses
 * an entry of the reviewer's own. Writes an audit entry (function audit,
 * action review) in the same transaction. */
int md_audit_review(struct md_ctx *ctx, long long entry, const char *comment, struct md_error *err);

#endif
