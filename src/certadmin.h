/* certadmin.h: the supervision of the counter's certificates: a
 * supervisor's override of an alert (抑止 in alert mode) as a record of its
 * own, the letter print queue (確認通知 and 照会書), and the print spool,
 * whose PDFs are temporary working files (security.md): they may hold a
 * 個人番号, so nothing of a subject stays there after the work is done.
 *
 * The spool rule: a certificate's PDF is written at issue and handed to the
 * print queue ([print] command) at once; without a print command the clerk
 * prints it from the spool before handing the documents over. Closing (or
 * cancelling) the counter transaction says the documents were handed over,
 * so it removes the transaction's PDFs. A letter's PDF is removed when the
 * letter is marked mailed (or at once when the print command took it).
 * Whatever is left behind by a terminal that stopped midway is removed by
 * md_cert_spool_purge (supervisor or administrator). */
#ifndef MD_CERTADMIN_H
#define MD_CERTADMIN_H

#include <stddef.h>
#include "error.h"

struct md_ctx;
struct md_result;

/* ---- overrides of an alert ------------------------------------------------------ */

struct md_cert_override {
	long long id;            /* 0: none granted */
	char reason[512];
	char granted_by[64];
};

/* The override granted (and not yet used) for person in transaction tx;
 * out->id 0 when there is none. */
int md_cert_override_find(struct md_ctx *ctx, long long tx, long long person,
                          struct md_cert_override *out, struct md_error *err);
/* Records the clerk's attempt as a request waiting for a supervisor (once
 * per transaction and person); best effort, like the attempts log. */
void md_cert_override_request(struct md_ctx *ctx, long long tx, long long person, const char *type);
/* Uses an override up, inside the caller's database transaction, with an
 * audit entry naming the supervisor who granted it. */
int md_cert_override_use(struct md_ctx *ctx, long long id, long long person, const char *detail,
                         struct md_error *err);
/* cert.override: a supervisor (alert.override) grants an override of the
 * certificate alert of person for the counter transaction tx (open, not
 * theirs necessarily) with a reason. Refused (audited) when the person has
 * no alert, the transaction is closed, or one is already granted. */
int md_cert_override_grant(struct md_ctx *ctx, long long tx, long long person, const char *reason,
                           struct md_result *res, struct md_error *err);
/* cert.overrides: the requests waiting and the overrides granted, not yet
 * used (all: every one). */
int md_cert_overrides(struct md_ctx *ctx, int all, struct md_result *res, struct md_error *err);
/* Ends the waiting and granted overrides of a transaction that closes or is
 * cancelled, inside the caller's database transaction. */
int md_cert_override_expire(struct md_ctx *ctx, long long tx, struct md_error *err);

/* ---- letters ------------------------------------------------------------------- */

/* cert.letters: the letters to print and mail: 確認通知 not yet mailed, and
 * 照会書 of pending seal applications not yet mailed (all: mailed too). */
int md_cert_letters(struct md_ctx *ctx, int all, struct md_result *res, struct md_error *err);
/* cert.letter-done: marks a letter mailed (kind confirmation or inquiry);
 * it must have been printed; its PDFs leave the spool. Audited. */
int md_cert_letter_done(struct md_ctx *ctx, const char *kind, long long id, struct md_result *res,
                        struct md_error *err);
/* The file name prefix of a letter's PDFs ("確認通知-12-", "見本-照会書-3-"). */
void md_cert_letter_prefix(int training, const char *kind, long long id, char *buf, size_t n);

/* ---- the spool ------------------------------------------------------------------- */

/* The spool directory of this database (allocated), created when missing. */
int md_cert_spool(struct md_ctx *ctx, char **dir, struct md_error *err);
/* Removes the PDFs of transaction tx's copies; the number removed. Called
 * after the transaction closed or was cancelled. */
int md_cert_spool_remove_transaction(struct md_ctx *ctx, long long tx);
/* Removes the PDFs of files starting with prefix; the number removed. */
int md_cert_spool_remove_prefix(struct md_ctx *ctx, const char *prefix);
/* cert.purge-spool: removes every PDF of the spool older than the current
 * session's login, except the copies of transactions still open. Audited
 * with the number removed. */
int md_cert_spool_purge(struct md_ctx *ctx, struct md_result *res, struct md_error *err);

#endif
