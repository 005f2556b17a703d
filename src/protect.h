/* protect.h: 抑止 (suppression) and 支援措置 (support measures) as seen by
 * every operation that touches a person: a block, an alert that must be
 * acknowledged, or nothing. Every attempt on a person under a support
 * measure is recorded for supervisors. */
#ifndef MD_PROTECT_H
#define MD_PROTECT_H

#include "error.h"

struct md_ctx;

struct md_protect {
	int blocked;            /* an error-mode suppression: the operation is refused */
	int alert;              /* an alert-mode suppression or a support measure */
	long long measure_id;   /* the active support measure, or 0 */
	int expiring;           /* an active measure in its last month: from
	                         * md_support_extend_from(end) to end (support.h) */
	char msg[512];          /* what to tell the clerk */
};

/* operation: "change", "certificate" or "lookup". Either id may be 0; a
 * person's household suppressions apply to the person. */
int md_protect_check(struct md_ctx *ctx, long long person_id, long long household_id,
                     const char *operation, struct md_protect *out, struct md_error *err);
/* Records an attempt on a person under a support measure. */
void md_protect_log_attempt(struct md_ctx *ctx, long long measure_id, long long person_id,
                            const char *operation, const char *outcome, const char *detail);

#endif
