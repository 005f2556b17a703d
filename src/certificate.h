/* certificate.h: certificates issued at the resident counter (counter.md §3):
 * 住民票の写し, 住民票の除票の写し, 住民票記載事項証明書, 印鑑登録証明書 and
 * 住民票コード通知票. What goes on a certificate (members and their order,
 * the items omitted by default, what an applicant may receive, 抑止 and
 * 支援措置, the certification wording, the mayor, the issue number, the fee)
 * is decided here, each rule a function of its own; the page model and the
 * PDF are pdf.h's, the layouts are data (data/certificates/).
 *
 * A certificate is always made in a verified counter transaction
 * (counter.h): its applicant category decides what may be printed. Only
 * approved records are read (persons, person_versions): a provisional change
 * never shows; a planned move-out (転出予定) whose date is still to come is
 * left out, the person shown as a resident. */
#ifndef MD_CERTIFICATE_H
#define MD_CERTIFICATE_H

#include <stddef.h>
#include "error.h"
#include "pdf.h"
#include "person.h"
#include "relationship.h"

struct md_ctx;
struct md_result;
struct md_settings;
struct md_counter_state;

/* ---- certificate types ------------------------------------------------------- */

enum md_cert_type {
	MD_CERT_JUMINHYO,      /* 住民票の写し */
	MD_CERT_JOSHU,         /* 住民票の除票の写し */
	MD_CERT_KISAI,         /* 住民票記載事項証明書 */
	MD_CERT_INKAN,         /* 印鑑登録証明書 */
	MD_CERT_CODE_NOTICE,   /* 住民票コード通知票 */
	MD_CERT_TYPE_COUNT
};

struct md_cert_type_def {
	enum md_cert_type id;
	const char *code;         /* juminhyo, joshu, kisai, inkan, code_notice */
	const char *name;         /* as printed (data, Japanese in every language) */
	const char *layout_file;  /* data/certificates/<file> */
	const char *layout_text;  /* the embedded layout */
};

const struct md_cert_type_def *md_cert_type(enum md_cert_type t);
/* By code, or NULL. */
const struct md_cert_type_def *md_cert_type_find(const char *code);
/* The parsed layout of a type (parsed once); NULL with err set when the
 * embedded file is broken. */
const struct md_layout *md_cert_layout(enum md_cert_type t, struct md_error *err);

/* ---- items omitted unless requested ------------------------------------------ */

enum md_cert_option {
	MD_CO_HEAD_REL = 1 << 0,          /* 世帯主・続柄 */
	MD_CO_HONSEKI = 1 << 1,           /* 本籍・筆頭者 */
	MD_CO_JUMINHYO_CODE = 1 << 2,     /* 住民票コード */
	MD_CO_MYNUMBER = 1 << 3,          /* 個人番号 */
	MD_CO_NATIONALITY = 1 << 4,       /* 国籍・地域 */
	MD_CO_RESIDENCE_STATUS = 1 << 5,  /* 在留資格 (and the 法第30条の45 区分) */
	MD_CO_RESIDENCE_PERIOD = 1 << 6,  /* 在留期間 */
	MD_CO_RESIDENCE_EXPIRY = 1 << 7,  /* 在留期間の満了の日 */
	MD_CO_RESIDENCE_CARD = 1 << 8,    /* 在留カード等番号 */
	MD_CO_ALIAS_HISTORY = 1 << 9,     /* 通称の記載・削除の事項 */
};
#define MD_CO_FOREIGN (MD_CO_NATIONALITY | MD_CO_RESIDENCE_STATUS | MD_CO_RESIDENCE_PERIOD | \
                       MD_CO_RESIDENCE_EXPIRY | MD_CO_RESIDENCE_CARD | MD_CO_ALIAS_HISTORY)

/* "head_rel,honseki,juminhyo_code,mynumber,nationality,residence_status,
 * residence_period,residence_expiry,residence_card_no,alias_history", and
 * "foreign" for the six foreign-resident items. Unknown words are
 * MD_E_INVALID, field "include", naming them and listing the known ones. */
int md_cert_parse_options(const char *list, unsigned *out, struct md_error *err);
/* The options as that list (the form stored in the issuance history). */
void md_cert_options_text(unsigned options, char *buf, size_t n);

/* What an applicant may receive (counter.md §2-3): 個人番号 only for self
 * and household (a member asking for their own household); 住民票コード
 * never for a third party or a professional (職務上請求); 本籍・筆頭者 for
 * those two only with a purpose that needs it. A request beyond that is
 * refused (MD_E_DENIED, field "include") with the reason; nothing is
 * silently dropped. */
int md_cert_check_options(const char *category, unsigned options, int purpose_needs_honseki,
                          struct md_error *err);
/* Who may receive a type at all: a 住民票コード通知票 only the person
 * themselves (self); the others anyone verified. */
int md_cert_check_applicant(enum md_cert_type t, const char *category, struct md_error *err);

/* The items a 記載事項証明書 can certify: "name,kana,birth_date,sex,address,
 * head_rel,honseki,resident_since,address_since,notified_on,
 * previous_address,former_surname,alias,juminhyo_code,mynumber,nationality,
 * residence_status,residence_period,residence_expiry,residence_card_no".
 * At least one; the options they imply (head_rel, honseki, ...) go into
 * *options so the same applicant rules apply. Stores the list as given,
 * normalised (no spaces), into buf. */
int md_cert_parse_items(const char *list, unsigned *options, char *buf, size_t n,
                        struct md_error *err);

/* ---- wording, mayor, issue number ---------------------------------------------- */

enum md_cert_wording {
	MD_CW_WHOLE,        /* 世帯全員 */
	MD_CW_PART,         /* 世帯の一部 */
	MD_CW_INDIVIDUAL,   /* 個人 (個人票) */
	MD_CW_REMOVED,      /* 除票 */
	MD_CW_KISAI,        /* 記載事項証明書 */
	MD_CW_INKAN,        /* 印鑑登録証明書 */
	MD_CW_CODE_NOTICE,  /* 住民票コード通知票 */
};
/* The variant for a certificate: a 除票 is always MD_CW_REMOVED; a 個人票
 * MD_CW_INDIVIDUAL; a 世帯連記式 whole or part of the household. */
enum md_cert_wording md_cert_wording_for(enum md_cert_type t, int individual, int whole_household);
/* The certification wording (認証文) as printed on the last page. */
const char *md_cert_wording_text(enum md_cert_wording w);

/* 「見本区長　見本 太郎」, or with a deputy (職務代理者) configured
 * 「見本区長職務代理者　副区長　見本 次郎」: the municipality's name and the
 * title are joined so that 見本区 + 区長 reads 見本区長. */
void md_cert_mayor_line(const struct md_settings *cfg, char *buf, size_t n);

/* The issue number (発行番号) without the page: "20251201 見本区 本庁1 PR001
 * 000011", in training "見本-20251201 ..." so it can never be taken for a
 * real one. date_iso is the local date YYYY-MM-DD. */
void md_cert_issue_number(const struct md_settings *cfg, int training, const char *date_iso,
                          long serial, char *buf, size_t n);
/* A file name for the PDF of an issue number: spaces become "_", anything
 * that is not a letter, digit, "-" or "_" (or any non-ASCII character, kept
 * as is) is dropped. */
void md_cert_file_name(const char *issue_number, char *buf, size_t n);

/* ---- verification codes (照合番号) -------------------------------------------------- */

#define MD_CERT_VCODE_LEN 8
/* 8 characters of Crockford's base32 (0-9, A-Z without I L O U) from the
 * first 40 bits of a keyed hash of seed. */
void md_cert_vcode(const unsigned char key[32], const char *seed, char out[MD_CERT_VCODE_LEN + 1]);
/* A code as typed (any case, with spaces or hyphens, O for 0, I and L for 1)
 * to its canonical form; -1 when it cannot be one. */
int md_cert_vcode_normalize(const char *in, char out[MD_CERT_VCODE_LEN + 1]);
/* "ABCD-EFGH" (10 bytes). */
void md_cert_vcode_format(const char *code, char out[MD_CERT_VCODE_LEN + 2]);

/* ---- 抑止 and 支援措置 --------------------------------------------------------------- */

struct md_cert_gate_in {
	int blocked;                 /* an error-mode 抑止 of certificates */
	int measure;                 /* an active or provisional 支援措置 */
	int alert;                   /* an alert-mode 抑止 of certificates */
	const char *category;        /* applicant category */
	int other_member;            /* 本人 category, but this member is not the
	                              * applicant (a household copy): not "the
	                              * person themselves" for a 支援措置 */
	int ack;                     /* the clerk acknowledged (extra identity checks done) */
	int may_override;            /* the user holds alert.override */
	const char *override_reason; /* given by a supervisor, or NULL */
};
enum md_cert_gate {
	MD_GATE_PASS,
	MD_GATE_ACKED,           /* support measure: the person themselves or 公用, acknowledged */
	MD_GATE_OVERRIDDEN,      /* an alert overridden by a supervisor with a reason */
	MD_GATE_BLOCKED,         /* an error-mode 抑止: refused */
	MD_GATE_REFUSED,         /* support measure and any other applicant: refused */
	MD_GATE_NEED_ACK,
	MD_GATE_NEED_OVERRIDE,   /* an alert: needs override_reason */
	MD_GATE_NEED_PERMISSION, /* override_reason given without alert.override */
};
/* An alert-mode 抑止 of certificates for the person or the household
 * (household 0: the person's own), as md_protect_check() applies them. */
int md_cert_alert(struct md_ctx *ctx, long long person, long long household, int *out,
                  struct md_error *err);
/* registry.md §7 for certificates: a block refuses; under a support measure
 * only the person themselves (after extra identity checks: ack) and a 公用
 * request (with an alert: ack) are served, every other applicant refused;
 * an alert-mode 抑止 needs a supervisor's override with a reason. */
enum md_cert_gate md_cert_gate(const struct md_cert_gate_in *in);

/* ---- fees ------------------------------------------------------------------------- */

/* The fee per copy of a code of data/fees.tsv (a type code or "official");
 * MD_E_CONFIG naming the file when it is missing or not a whole number. */
int md_cert_fee(const char *code, int *yen, struct md_error *err);

/* ---- preparing and issuing ---------------------------------------------------------- */

struct md_cert_request {
	long long transaction;       /* the verified counter transaction */
	enum md_cert_type type;
	long long person;            /* the subject, 0: the transaction's */
	const char *members;         /* NULL, "" or "all", or 宛名番号 separated by commas */
	int individual;              /* 個人票 (else 世帯連記式) */
	int history;                 /* 履歴 */
	const char *include;         /* options (md_cert_parse_options) */
	const char *items;           /* 記載事項証明書: the items (md_cert_parse_items) */
	int purpose_needs_honseki;
	int copies;                  /* 1..MD_CERT_COPIES_MAX */
	const char *card_no;         /* 印鑑登録証 number (inkan) */
	int ack;
	const char *override_reason;
	int issuing;                 /* 0 preview, 1 issue (for the logs) */
};
#define MD_CERT_COPIES_MAX 10

struct md_cert_member {
	struct md_person p;          /* as printed */
	struct md_vars vars;         /* its values for the layout */
	long long measure;           /* support measure, or 0 */
	enum md_cert_gate gate;
	struct md_member_key key;    /* its place in the member order */
};

struct md_cert {
	const struct md_cert_type_def *type;
	const struct md_layout *layout;
	long long transaction;
	char category[24];
	char applicant_name[128];
	char method[24];
	char purpose[256];
	long long subject;
	long long household;
	int n;
	struct md_cert_member *m;    /* in printed order */
	int whole_household;
	int individual;
	int history;
	int official;
	int training;
	int copies;
	int clear_mynumber;          /* issuing: the 個人番号 in clear; a preview masks it */
	int issuing;                 /* prepared for an issue (else a preview) */
	unsigned options;
	char items[512];             /* stored in the history: options, or kisai items */
	char protection[300];        /* acknowledged / overridden: reason, or "" */
	char fee_code[16];
	int fee;                     /* per copy */
	long long override_id[8];    /* supervisors' overrides (certadmin.h) used at issue */
	long long override_person[8];
	int noverrides;
	struct md_vars doc;          /* page-level values */
	char today[11];
};

/* Everything up to the page model: checks the transaction
 * (md_counter_require_verified, identity by documents: questioning is not
 * enough for a certificate), the subject, the type against the person's
 * status, the applicant, the options, the members, 抑止 and 支援措置 (each
 * attempt on a protected person logged for supervisors; a refusal audited),
 * and collects the values. */
int md_cert_prepare(struct md_ctx *ctx, const struct md_cert_request *rq, struct md_cert *out,
                    struct md_error *err);
void md_cert_release(struct md_cert *c);

/* The documents of a prepared certificate: one for 世帯連記式, one per
 * member for 個人票. */
int md_cert_doc_count(const struct md_cert *c);
/* Builds document i with an issue number and verification code (NULL: the
 * placeholders of a preview) and fits it (a text too long refuses). */
int md_cert_build_doc(struct md_ctx *ctx, const struct md_cert *c, int i, const char *issue_number,
                      const char *vcode, struct md_pdf_doc *out, struct md_error *err);

/* cert.preview: res->lines hold each page's lines; res->message a summary.
 * Audited (cert.preview); writes no issuance. */
int md_cert_preview(struct md_ctx *ctx, struct md_cert *c, struct md_result *res,
                    struct md_error *err);
/* cert.issue (in cmd_certificate.c, with the issuance history): per document and copy a serial, a PDF in the spool directory
 * and an issuance row; the fees added to the transaction; audited; all in
 * one database transaction (no PDF is left behind on failure). Then the
 * print command, if configured, runs for each file: its failure is reported
 * (MD_E_IO) after the issuance, which stands (print_status print_failed). */
int md_cert_issue(struct md_ctx *ctx, struct md_cert *c, struct md_result *res,
                  struct md_error *err);

/* Helpers of the issuance (cmd_certificate.c): the members of document i
 * (first index, count), their 宛名番号 as "1,2", the audit entry of an
 * action on the certificate (detail: type, transaction, category, members,
 * items, format, protection, then extra), the database's directory. */
void md_cert_doc_members(const struct md_cert *c, int i, int *first, int *n);
void md_cert_members_text(const struct md_cert *c, int first, int n, char *buf, size_t size);
int md_cert_audit(struct md_ctx *ctx, const struct md_cert *c, const char *function,
                  const char *action, long long subject, const char *extra, struct md_error *err);
char *md_cert_db_dir(struct md_ctx *ctx);

/* ---- the issuance history (cmd_certificate.c) ----------------------------------------- */

/* 処分: marks a copy voided with a reason (permission cert.void) and takes
 * its fee back out of its counter transaction's fee total. */
int md_cert_void(struct md_ctx *ctx, long long id, const char *reason, struct md_result *res,
                 struct md_error *err);
/* Sends an issued copy's PDF to the printer again (after a printer
 * failure): permission cert.issue, and the copy's own transaction still open
 * on this terminal by this user, or a supervisor (cert.void). Refused for a
 * voided copy, when [print] command is empty (field "print.command") or when
 * the PDF has left the spool. Sets its print status; audited (cert.print),
 * refusals too. */
int md_cert_print(struct md_ctx *ctx, long long id, struct md_result *res, struct md_error *err);
/* A verification code: whether it exists, its type, date, issue number,
 * subject (masked: 山* 太*) and whether it was voided. */
int md_cert_verify(struct md_ctx *ctx, const char *code, struct md_result *res,
                   struct md_error *err);
/* The copies of a person (as subject or member) or of a day (local date),
 * of one terminal (NULL: all). */
int md_cert_history(struct md_ctx *ctx, long long person, const char *date, const char *terminal,
                    struct md_result *res, struct md_error *err);
/* The daily cash summary: per terminal and type (NULL terminal: all) the
 * copies issued, voided (処分) and net, the 公用 copies, and the fees taken,
 * refunded for voided copies, and net; then a total row ("total"). The net
 * agrees with the counter transactions' fee totals (a void refunds its
 * copy's fee from its transaction). */
int md_cert_summary(struct md_ctx *ctx, const char *date, const char *terminal,
                    struct md_result *res, struct md_error *err);

/* A letter to a registered address, laid out by data/certificates/letter.tsv
 * into the spool directory and printed: kind "confirmation" (確認通知 id of
 * counter.c, then marked printed) or "inquiry" (the 照会書 with its 回答書 of
 * the pending seal application id, seal.c). Audited (cert.letter). */
int md_cert_letter(struct md_ctx *ctx, const char *kind, long long id, struct md_result *res,
                   struct md_error *err);

/* A name masked for the verification service: each part keeps its first
 * character, the rest become "*" (山田 太郎 -> 山* 太*). Allocated. */
char *md_cert_mask_name(const char *name);

#endif
