/* support.h: 抑止 (suppressions) and 支援措置 (support measures) as records:
 * setting, releasing, confirming, extending and ending them, each in one
 * transaction with its audit entry (registry.md §7). md_protect_check()
 * (protect.h) is what every other operation consults.
 *
 * Periods follow 民法143条: a period of N months starting on a day ends on
 * the day before the corresponding day N months later, or on the last day
 * of that month when it has no corresponding day. So a measure starting
 * 令和7年4月1日 ends 令和8年3月31日; one starting 令和6年2月29日 ends
 * 令和7年2月28日; one starting 令和5年3月1日 ends 令和6年2月29日. */
#ifndef MD_SUPPORT_H
#define MD_SUPPORT_H

#include "cmd.h"
#include "error.h"

struct md_ctx;

/* ---- dates (storage form YYYY-MM-DD, full dates only; 0 or -1) ---------- */

int md_iso_add_days(const char *iso, long days, char out[11]);
/* The last day of a period of months months that starts on start. */
int md_period_end(const char *start, int months, char out[11]);
/* The first day a measure ending on end may be extended: one month before
 * it expires (the day after end, one month earlier, or the last day of that
 * month): end 2027-03-31 -> 2027-03-01. The alert of md_protect_check()
 * (expiring) holds from that day to end, inclusive. */
int md_support_extend_from(const char *end, char out[11]);
/* The end after an extension: the one-year period that starts the day after
 * end (2027-03-31 -> 2028-03-31; 2027-02-28 -> 2028-02-29). */
int md_support_extended_end(const char *end, char out[11]);

/* Parses a date argument as a clerk types it (md_date_parse: 和暦, R7.4.1,
 * 2025-04-01 ...); it must be a full date. field names the argument in the
 * error. */
int md_support_date(const char *field, const char *text, char out[11], struct md_error *err);

/* ---- 抑止 ----------------------------------------------------------------- */

struct md_suppression_in {
	long long person_id;       /* exactly one of person_id and household_id */
	long long household_id;
	const char *operation;     /* change, certificate, lookup */
	const char *mode;          /* error, alert */
	const char *from;          /* as typed; NULL: today */
	const char *to;            /* as typed; NULL: open-ended */
	const char *reason;        /* required */
};

int md_suppression_set(struct md_ctx *ctx, const struct md_suppression_in *in, long long *id,
                       struct md_error *err);
/* Ends a suppression at once (ended_at), for a reason kept in the audit log. */
int md_suppression_end(struct md_ctx *ctx, long long id, const char *reason, struct md_error *err);
/* 一時解除: the suppression does not apply until now + minutes (1..480);
 * until receives the local time it applies again ("YYYY-MM-DD HH:MM"). */
int md_suppression_release(struct md_ctx *ctx, long long id, int minutes, const char *reason,
                           char until[24], struct md_error *err);

/* ---- 支援措置 ------------------------------------------------------------- */

enum md_sm_kind { MD_SM_TEXT, MD_SM_FLAG, MD_SM_DATE };

/* The items of a measure that are given as arguments of support.set, by
 * their support_measures column. */
struct md_sm_item {
	const char *column;
	const char *label;         /* the item's name in 001 別添2 (data: Japanese) */
	enum md_sm_kind kind;
	int def;                   /* FLAG: the default */
};

const struct md_sm_item *md_support_items(void);   /* NULL column ends */

struct md_support_out {
	long long id;
	char status[16];           /* provisional, active */
	char start[11], end[11];   /* the measure's, or the provisional ones */
};

/* A new measure for person_id: provisional (starts today, ends on to or a
 * month later) or active (starts on from or today, runs one year). The
 * items are read from args by column name. Refused while the person has a
 * measure in force. */
int md_support_set(struct md_ctx *ctx, long long person_id, int provisional, const char *from,
                   const char *to, const struct md_args *items, struct md_support_out *out,
                   struct md_error *err);
/* A provisional measure becomes active from from (NULL: today) for a year. */
int md_support_confirm(struct md_ctx *ctx, long long id, const char *from, struct md_support_out *out,
                       struct md_error *err);
/* Extends an active measure by a year; only from md_support_extend_from(end)
 * to end. */
int md_support_extend(struct md_ctx *ctx, long long id, struct md_support_out *out,
                      struct md_error *err);
/* Ends a measure (provisional or active) for a reason; no_need_notified_on
 * (28. 支援措置不要の申出日) is optional. */
int md_support_end(struct md_ctx *ctx, long long id, const char *reason,
                   const char *no_need_notified_on, struct md_error *err);

#endif
