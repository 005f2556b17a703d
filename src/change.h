/* change.h: changes to the registry (異動). A change is made on a form of
 * one type (転入, 転居, 出生 ...), checked, saved provisional (仮登録), and
 * becomes final only when a second user approves it (本登録). Until then it
 * lives in changes/change_persons, where no lookup or certificate reads.
 *
 * A change travels through the command table as arguments: "type",
 * "event_date", "notified_on", "memo", "reason", "household" (the household
 * it acts on), "change" (a provisional change being edited), "cancels" (for
 * 取消), "ack" (alerts acknowledged), and per person "pN.person" (an
 * existing 宛名番号) plus "pN.<column>" for the items of the form, e.g.
 * "p1.surname", "p1.mynumber" (the clear number, checked and sealed at once;
 * never stored). */
#ifndef MD_CHANGE_H
#define MD_CHANGE_H

#include "cmd.h"
#include "error.h"
#include "person.h"

struct md_ctx;
struct md_result;

enum md_change_subject {
	MD_SUBJ_NEW,         /* new persons: a new household, or joining one */
	MD_SUBJ_BIRTH,       /* a new person joining an existing household */
	MD_SUBJ_PERSONS,     /* chosen existing persons */
	MD_SUBJ_HOUSEHOLD,   /* a whole existing household */
	MD_SUBJ_CHANGE,      /* an approved change (取消) */
};

struct md_change_type {
	const char *code;          /* "move_in" */
	const char *name;          /* the legal name, e.g. "転入" (data: Japanese in every UI) */
	const char *gloss;         /* English */
	const char *reasons;       /* allowed 異動事由 codes, comma-separated; the first is the default */
	int notification;          /* 1: 届出 (notified_on, the 14-day rule); 0: 職権 */
	int fourteen_days;         /* the 14-day rule applies */
	int future_ok;             /* the event date may be in the future (転出予定) */
	enum md_change_subject subject;
	const enum md_field *fields;   /* the items of the form, per person; MD_F_COUNT ends */
};

#define MD_FIELD_MYNUMBER_INPUT MD_F_MYNUMBER_ENC  /* the form's "mynumber" field */

const struct md_change_type *md_change_types(void);   /* code NULL ends */
const struct md_change_type *md_change_type(const char *code);

/* One problem found while checking a change. */
struct md_issue {
	int person;            /* 1-based person of the change, 0 for the change itself */
	char field[40];        /* column or argument name */
	int error;             /* 1: blocks saving; 0: a warning shown to the clerk */
	char msg[400];
};

struct md_issues {
	int n, cap;
	struct md_issue *v;
};

void md_issues_release(struct md_issues *is);
int md_issues_errors(const struct md_issues *is);

/* Checks a change given as arguments, without saving: every issue is listed
 * (the screen shows them as the clerk types). */
int md_change_check(struct md_ctx *ctx, const struct md_args *args, struct md_issues *out,
                    struct md_error *err);

/* Command handlers (cmd_change.c) use these. */
int md_change_save(struct md_ctx *ctx, const struct md_args *args, struct md_result *res,
                   struct md_error *err);
/* ack: the approver acknowledges the alerts (抑止 in alert mode, 支援措置)
 * on the change's persons, without which approval is refused. */
int md_change_approve(struct md_ctx *ctx, long long id, int ack, struct md_result *res,
                      struct md_error *err);
int md_change_reject(struct md_ctx *ctx, long long id, const char *reason, struct md_error *err);
int md_change_withdraw(struct md_ctx *ctx, long long id, struct md_error *err);
/* provisional changes: all (queue) or the session user's own (mine, with
 * rejected ones and their reasons). */
int md_change_list(struct md_ctx *ctx, int mine, struct md_result *res, struct md_error *err);
/* The items of a form for one existing person (or empty for a new one):
 * table (column, label, value) with the raw current values, for a screen to
 * pre-fill; the My Number is never included. Logged as a view. */
int md_change_template(struct md_ctx *ctx, const char *type, long long person, struct md_result *res,
                       struct md_error *err);
/* Before and after, item by item, for review. */
int md_change_show(struct md_ctx *ctx, long long id, struct md_result *res, struct md_error *err);

#endif
