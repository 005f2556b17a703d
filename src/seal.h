/* seal.h: seal registration (印鑑登録), registry.md §8.
 *
 * A person registers one seal: aged 15 or over, not an adult under
 * guardianship (成年被後見人), an active resident; the seal shows the
 * registered name; its impression is more than 8 mm and within 25 mm
 * square; a seal already registered by a member of the same household is
 * refused. Registration is immediate when the person came in person and
 * was verified with a photo ID, or when a guarantor (保証人: a resident with a
 * registered seal of their own) vouches for them; otherwise (an agent, or
 * no photo ID) a 照会書 (inquiry) is mailed to the registered address and
 * the application stays pending until the answer (回答書) comes back within
 * MD_SEAL_ANSWER_DAYS days. Registration issues a 印鑑登録証 number
 * (card_no: a 7-digit serial and a check digit, see md_seal_card_check_digit).
 * It ends at the person's request (廃止), ex officio, and when an approved
 * change makes the person moved out, dead or removed
 * (md_seal_cancel_for_person, called by md_change_approve: a 転出 with a
 * planned date ends the registration when the change is approved, as
 * municipalities do when the 転出届 is accepted).
 *
 * The impression is a PNG (at most MD_SEAL_PNG_MAX bytes) copied to
 * <database directory>/seals/<id>.png with mode 0600; impression_mm is its
 * true size (the longer side), for printing. */
#ifndef MD_SEAL_H
#define MD_SEAL_H

#include <stddef.h>
#include "error.h"

struct md_ctx;

#define MD_SEAL_MIN_AGE 15
#define MD_SEAL_MM_MIN 8.0          /* exclusive: a seal that fits in 8 mm is too small */
#define MD_SEAL_MM_MAX 25.0         /* inclusive */
#define MD_SEAL_PNG_MAX (2L * 1024 * 1024)
#define MD_SEAL_ANSWER_DAYS 30      /* the 照会書's answer is due this many days after mailing */
#define MD_SEAL_CARD_LEN 8          /* 7-digit serial + check digit */

/* What is known of a PNG after md_png_inspect(). */
struct md_png_info {
	unsigned width, height;   /* pixels */
	int bit_depth, color_type, interlace;
	double px_per_mm;         /* from a pHYs chunk in metres; 0 when absent */
};

/* Checks a whole PNG file in memory: the signature, IHDR first (valid size,
 * depth and colour type), every chunk inside the buffer with a correct
 * CRC, at least one IDAT, IEND last. MD_E_INVALID, field "png", otherwise. */
int md_png_inspect(const unsigned char *buf, size_t len, struct md_png_info *out,
                   struct md_error *err);

/* The check digit of a 印鑑登録証 serial (7 ASCII digits): weights
 * 2,3,4,5,6,7,2 from the rightmost digit, r = sum mod 11, 0 when r <= 1,
 * else 11 - r. -1 when a character is not a digit. */
int md_seal_card_check_digit(const char serial[7]);
/* 1 when card is 8 digits whose last is the check digit of the first 7. */
int md_seal_card_valid(const char *card);

/* One seal registration (a row of seals). */
struct md_seal {
	long long id;                  /* 受付番号 */
	long long person_id;
	long long household_id;
	char status[16];               /* pending, registered, cancelled */
	char method[16];               /* photo_id, guarantor, inquiry */
	char card_no[16];              /* "" until registered */
	char applied_on[16];
	char registered_on[16];
	char inquiry_sent_on[16];
	char inquiry_answer_due[16];
	char inquiry_answered_on[16];
	char cancelled_on[16];
	char cancel_reason[16];        /* request, moved_out, death, ex_officio, expired */
	char name_on_seal[128];
	char name_kind[16];            /* full, surname, given, former, alias, roman, kana, part */
	double mm;
	unsigned width_px, height_px;
	char impression_path[256];     /* relative to the database's directory */
	char impression_hash[65];
	long long guarantor_person;
	char guarantor_card_no[16];
	long long transaction_id;
};

/* A registration request at the counter. */
struct md_seal_request {
	long long transaction_id;      /* the counter transaction (verified) */
	long long person_id;           /* 宛名番号 of the person registering */
	const char *method;            /* photo_id, guarantor or inquiry */
	const char *png_path;          /* the scanned impression */
	const char *mm;                /* size in mm ("15", "15.0"); NULL: from the PNG's pHYs */
	const char *name_on_seal;      /* the characters the seal shows */
	long long guarantor;           /* method guarantor: the guarantor's 宛名番号 */
	const char *memo;              /* メモ, optional */
};

/* Registers (photo_id, guarantor) or opens a pending application and
 * records the mailed 照会書 (inquiry); out (may be NULL) receives the row.
 * Every rule above is checked; a refusal is audited ("seal.register",
 * outcome "failed") with the reason, a success too. */
int md_seal_register(struct md_ctx *ctx, const struct md_seal_request *in, struct md_seal *out,
                     struct md_error *err);

/* The answer (回答書) to a pending application's 照会書, brought to the
 * counter in a verified transaction by the person or their agent with a
 * 委任状: registers when it comes within the due date (the rules are checked
 * again), else the application lapses (cancel_reason "expired") and
 * MD_E_INVALID says so. */
int md_seal_answer(struct md_ctx *ctx, long long seal_id, long long transaction_id,
                   struct md_seal *out, struct md_error *err);

/* Cancels the active (pending or registered) seal given by card number, or
 * the person's: reason "request" (廃止届: needs a verified transaction about
 * the person, self or agent with a 委任状) or "ex_officio" (職権: memo says
 * why). */
int md_seal_cancel(struct md_ctx *ctx, const char *card_no, long long person, const char *reason,
                   long long transaction_id, const char *memo, struct md_seal *out,
                   struct md_error *err);

/* Cancels every active seal of a person (reason moved_out, death or
 * ex_officio; change_id the approved change, or 0), inside the caller's
 * transaction, with an audit entry each. MD_OK when there is none. */
int md_seal_cancel_for_person(struct md_ctx *ctx, long long person, const char *reason,
                              struct md_error *err);
/* Called by md_change_approve for each person it writes: when the new
 * status is moved_out, dead or removed, cancels the person's active seal
 * (reason moved_out, death, ex_officio) naming the change. MD_OK and
 * nothing done for a resident. */
int md_seal_person_left(struct md_ctx *ctx, long long person, const char *status, long long change_id,
                        struct md_error *err);

/* Reads one registration by 受付番号, or the registered one of a card
 * number (a certificate is issued only to its holder). MD_E_NOTFOUND
 * otherwise. */
int md_seal_get(struct md_ctx *ctx, long long id, struct md_seal *out, struct md_error *err);
int md_seal_by_card(struct md_ctx *ctx, const char *card_no, struct md_seal *out, struct md_error *err);

/* The impression's file (allocated) for printing: <db dir>/<impression_path>. */
char *md_seal_impression_file(struct md_ctx *ctx, const struct md_seal *s);

/* The BLAKE2b-256 of an impression file (at most MD_SEAL_PNG_MAX bytes) as
 * 64 hex digits: what impression_hash holds, checked before the impression
 * is printed. */
int md_seal_hash_file(const char *path, char hex[65], struct md_error *err);

/* The items of the 照会書 letter of a pending application, for printing:
 * the addressee's postal code, address with 方書, name; the dates. */
struct md_seal_letter {
	long long seal_id;
	long long person_id;
	char postal_code[16];
	char address[512];
	char name[256];
	char applied_on[16];
	char sent_on[16];
	char answer_due[16];
};
int md_seal_letter(struct md_ctx *ctx, long long seal_id, struct md_seal_letter *out,
                   struct md_error *err);

#endif
