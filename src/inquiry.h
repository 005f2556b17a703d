/* inquiry.h: inquiries and disclosure requests (問合せ・開示請求),
 * security.md: the log of each inquiry or request (date, channel, requester,
 * the person concerned, content, handler, handling, closed date) with the
 * history of every step, the list with its filters (open, assigned to me,
 * overdue against the legal deadline of data/migrations/0008's
 * inquiry_kinds), and for a disclosure request the decision (開示決定) of a
 * supervisor who did not record it, after which the extract of everything
 * held on the person is produced as a PDF (inquiry_extract.c).
 *
 * Every write is one transaction with its inquiry_events row and its audit
 * entry (function "inquiry.<step>", subject the 宛名番号 concerned, or none).
 * Refusals of the rules (self-approval, an extract before approval) are
 * audited with outcome "denied". The command layer (cmd_inquiry.c) checks
 * the permissions: inquiry.manage, disclosure.approve, disclosure.extract. */
#ifndef MD_INQUIRY_H
#define MD_INQUIRY_H

#include "error.h"

struct md_ctx;
struct md_result;

/* Free-text limits, in characters. */
#define MD_INQ_SHORT_MAX 100     /* requester, contact, subject */
#define MD_INQ_LONG_MAX 2000     /* content, answer, notes */

/* An inquiry as typed. NULL (or "" for optional items) leaves an item out;
 * md_inquiry_edit changes only the items given. Dates take every form
 * md_date_parse() accepts (令和7年4月1日, R7.4.1, 2025-04-01); kind and
 * channel their code (disclosure, phone) or Japanese name (開示請求, 電話);
 * person is a 宛名番号 ("" on edit: none). */
struct md_inquiry_in {
	const char *kind;        /* inquiry, disclosure, correction, suspension */
	const char *received_on; /* default today; never in the future */
	const char *channel;     /* counter, phone, post, email, fax, other */
	const char *requester;
	const char *contact;
	const char *person;
	const char *subject;
	const char *content;
	const char *handler;     /* user id */
};

int md_inquiry_record(struct md_ctx *ctx, const struct md_inquiry_in *in, long long *id,
                      struct md_error *err);
/* Open and not yet decided only. */
int md_inquiry_edit(struct md_ctx *ctx, long long id, const struct md_inquiry_in *in,
                    struct md_error *err);
int md_inquiry_assign(struct md_ctx *ctx, long long id, const char *handler, struct md_error *err);
/* The handling or answer (対応・回答), dated (default today). */
int md_inquiry_answer(struct md_ctx *ctx, long long id, const char *answer, const char *date,
                      struct md_error *err);
/* The decision on a request that needs one (開示請求): approve (開示決定) or
 * refuse (不開示決定, note = the reason, required). The request must name a
 * person; its recorder may not decide it (MD_E_DENIED, audited). */
int md_inquiry_decide(struct md_ctx *ctx, long long id, int approve, const char *note,
                      struct md_error *err);
/* Closes (完了) on date (default today, not before the request was received,
 * not in the future). A request that needs a decision must have one; any
 * other an answer. Closing twice: MD_E_CONFLICT. */
int md_inquiry_close(struct md_ctx *ctx, long long id, const char *date, const char *note,
                     struct md_error *err);
/* Extends the deadline of a request that has one (延長, 個人情報の保護に関す
 * る法律 §83(2), §94(2), §102(2)) by MD_INQ_EXTENSION_DAYS, with the reason
 * (required): once, before the deadline has passed, while it is open and
 * not yet decided (or answered). due gets the new deadline. The requester
 * must be notified in writing of the new deadline and the reason; the
 * history and the audit log keep both. */
#define MD_INQ_EXTENSION_DAYS 30
int md_inquiry_extend(struct md_ctx *ctx, long long id, const char *reason, char due[11],
                      struct md_error *err);

struct md_inquiry_filter {
	int all;           /* closed ones too */
	int mine;          /* assigned to the session's user */
	int overdue;       /* past the deadline without a decision (or answer) */
	const char *kind;  /* code or name, or NULL */
};

/* Columns: id, kind, received, channel, requester, atena, subject, handler,
 * due, state, overdue (column names after id translated). One audit entry. */
int md_inquiry_list(struct md_ctx *ctx, const struct md_inquiry_filter *f, struct md_result *res,
                    struct md_error *err);
/* (item, value) rows: the inquiry's items, then its history, one row a step.
 * With resident.lookup the person's name shows beside the 宛名番号. */
int md_inquiry_show(struct md_ctx *ctx, long long id, struct md_result *res, struct md_error *err);

/* inquiry_extract.c: the disclosure extract of an approved request, written
 * to the database's spool directory; *path (allocated) is the file. Before
 * approval (or after a refusal, or on a closed request) MD_E_DENIED,
 * audited. */
int md_inquiry_extract(struct md_ctx *ctx, long long id, char **path, struct md_error *err);

/* inquiry_extract.c: the notice of an extension to the requester (延長通知:
 * the old and the new deadline, the reason, the article of the law), a PDF
 * in the spool directory; *path (allocated) is the file. Logged as the step
 * "notice". MD_E_CONFLICT when the deadline was not extended. */
int md_inquiry_extension_notice(struct md_ctx *ctx, long long id, char **path,
                                struct md_error *err);

/* ---- shared with inquiry_extract.c ------------------------------------------- */

/* The fields of one inquiry as stored (strings allocated, "" when NULL). */
struct md_inquiry {
	long long id, person_id;
	char *kind, *kind_ja, *received_on, *channel, *channel_ja, *requester, *contact, *subject,
	     *content, *due_on, *handler, *answer, *answered_on, *answered_by, *decision, *decided_at,
	     *decided_by, *decision_note, *extract_path, *extract_at, *extract_by, *closed_on,
	     *closed_by, *close_note, *recorded_by, *recorded_at;
	int needs_decision;
	int extended;          /* the deadline was extended (延長) */
};

int md_inquiry_load(struct md_ctx *ctx, long long id, struct md_inquiry *q, struct md_error *err);
void md_inquiry_release(struct md_inquiry *q);
/* Appends a step to the history and writes its audit entry (inside the
 * caller's transaction). outcome "ok" or "denied". */
int md_inquiry_event(struct md_ctx *ctx, const struct md_inquiry *q, const char *step,
                     const char *outcome, const char *detail, struct md_error *err);
/* A refusal: err already set; the refusal is audited in a transaction of its
 * own (the caller has rolled back); returns err->code. */
int md_inquiry_refuse(struct md_ctx *ctx, const struct md_inquiry *q, const char *step,
                      struct md_error *err);

#endif
