/* counter.h: counter transactions (窓口受付) and identity verification
 * (本人確認), counter.md §1-2.
 *
 * Every piece of counter work is one transaction: reception (what is asked,
 * md_counter_open) -> identity verification (md_counter_verify) -> the
 * subject, only after a verification is recorded (md_counter_set_subject) ->
 * the action (certificates, notifications, seals: their modules call
 * md_counter_require_verified first and md_counter_add_fee for fees) ->
 * close (md_counter_close) or cancel. Each step is one database
 * transaction with its audit entry. The documents and their groups are data
 * (data/documents.tsv). */
#ifndef MD_COUNTER_H
#define MD_COUNTER_H

#include "error.h"

struct md_ctx;
struct md_tsv;

/* ---- the interface of the other counter modules --------------------------- */

/* The open transaction's verified state: MD_OK when transaction id is open,
 * belongs to this terminal's session user (opened by the user logged in, on
 * this terminal) and its latest verification is 'verified' (or a
 * 'questioning' one when allow_questioning), without a 番号確認 mismatch;
 * fills category and the subject (0 while no subject is set: a caller that
 * needs one refuses). Errors: MD_E_AUTH (nobody logged in), MD_E_NOTFOUND
 * (no such transaction), MD_E_CONFLICT (closed or cancelled), MD_E_DENIED
 * (another user's or terminal's, not verified, questioning not allowed, or
 * a 番号確認 mismatch). Writes no audit entry: the caller audits its action. */
struct md_counter_state { long long id; char category[24]; long long subject;
	char applicant_name[128]; int letter_of_authority; char method[24]; char purpose[256]; };
int md_counter_require_verified(struct md_ctx *ctx, long long transaction_id,
                                int allow_questioning, struct md_counter_state *out,
                                struct md_error *err);
/* Adds a fee to the transaction's total (yen). The same conditions on the
 * transaction as above except the verification; yen 0..1000000. Joins the
 * caller's database transaction (the caller's audit entry covers it). */
int md_counter_add_fee(struct md_ctx *ctx, long long transaction_id, int yen, struct md_error *err);

/* ---- documents (data/documents.tsv) --------------------------------------- */

/* The parsed list (columns code, name, group), parsed once; NULL with err
 * set when the embedded file is broken. */
const struct md_tsv *md_counter_documents(struct md_error *err);

/* The method a set of documents allows, or why none does. */
struct md_counter_method {
	char method[24];      /* photo_id, two_documents, questioning; "" when refused */
	char outcome[16];     /* verified, not_verified; "" when refused */
	char documents[512];  /* the codes, trimmed, comma-separated, in the order given */
	char names[1024];     /* their names, "、"-separated */
};
/* documents: comma-separated codes (spaces around them ignored; may be NULL
 * or empty). One photo document with photo_matched -> photo_id; two of the
 * second group (the 通知カード counts only with another one) ->
 * two_documents; else questioning when asked for; else MD_E_DENIED (field
 * "documents") saying what is missing. An unknown or repeated code is
 * MD_E_INVALID naming it. */
int md_counter_decide(const char *documents, int photo_matched, int questioning,
                      struct md_counter_method *out, struct md_error *err);

/* ---- the steps ------------------------------------------------------------ */

/* request: certificate, notification, seal or other; memo may be NULL. */
int md_counter_open(struct md_ctx *ctx, const char *request, const char *memo, long long *id,
                    struct md_error *err);

struct md_counter_verify_in {
	const char *category;      /* self household agent third_party official professional
	                            * (or 本人 同一世帯員 代理人 第三者 公用 職務上請求) */
	const char *applicant_name;
	const char *documents;     /* comma-separated codes */
	int photo_matched;
	int letter_of_authority;   /* 委任状: required for agents */
	const char *purpose;       /* required for third parties and professionals
	                            * (professionals: with the registration number) */
	int questioning;           /* 聞き取り when the documents are not enough */
};
struct md_counter_verify_out {
	long long verification;    /* verifications.id */
	struct md_counter_method m;
	char category[24];
};
/* Records a verification (a new one replaces the earlier for what follows
 * and clears the subject, which is then set again with its checks). A
 * refusal is audited and records nothing. */
int md_counter_verify(struct md_ctx *ctx, long long id, const struct md_counter_verify_in *in,
                      struct md_counter_verify_out *out, struct md_error *err);

/* Sets the subject (宛名番号) once a verification is recorded. applicant is
 * the applicant's own 宛名番号, required for self (must be the subject) and
 * household (same household as the subject, both living here), refused for
 * the other categories. An error-mode lookup suppression refuses; an alert
 * (or a support measure) needs ack. *name receives the subject's name
 * (allocated) when name is not NULL. */
int md_counter_set_subject(struct md_ctx *ctx, long long id, long long person, long long applicant,
                           int ack, char **name, struct md_error *err);

/* 番号確認: the three items of the card (個人番号, 氏名, 生年月日) against the
 * registry's for the subject. The name is compared without spaces, kanji
 * variants folded (髙 = 高), Latin letters in any case, against the name,
 * the 通称 or the Roman-letter name; the date in any form md_date_parse
 * takes. The result is recorded on the latest verification; a mismatch (or
 * no number in the registry) is committed, then returned as MD_E_DENIED
 * saying which items differ (field: the one item, or "mynumber"). The
 * number is never stored or logged. */
int md_counter_mynumber_check(struct md_ctx *ctx, long long id, const char *mynumber, const char *name,
                              const char *birth_date, struct md_error *err);

struct md_counter_close_out {
	int fee_total;
	long long letter;          /* the 確認通知 created, or 0 */
	int spool_removed;         /* the PDFs removed from the spool */
};
/* Closes: a notification whose latest verification is not verified creates
 * a 確認通知 to the subject's registered address (a subject is then
 * required). Closing says the documents were handed over: the PDFs of the
 * transaction's copies leave the spool (certadmin.h), and the overrides
 * still waiting or unused end. Cancelling does the same. */
int md_counter_close(struct md_ctx *ctx, long long id, struct md_counter_close_out *out,
                     struct md_error *err);
/* Cancels an open transaction that has no fees; reason may be NULL. */
int md_counter_cancel(struct md_ctx *ctx, long long id, const char *reason, struct md_error *err);

/* Marks a 確認通知 printed (for the module that prints it). MD_E_CONFLICT
 * when it already was. */
int md_counter_letter_printed(struct md_ctx *ctx, long long letter_id, struct md_error *err);

/* "self" for "self" or "本人" etc.; NULL when neither. */
const char *md_counter_category_code(const char *in);
/* The Japanese term of a category code (本人 ...), or the code itself. */
const char *md_counter_category_term(const char *code);

#endif
