/* search.h: finding residents and reading their records (registry.md §6):
 * the search by name, kana, date of birth, address and numbers, served by
 * the search indexes (name_index, address_index, persons' own indexes); the
 * record of one person, a household's members and a person's history. Only
 * approved data is read (persons, person_versions and the indexes), never a
 * provisional change. Every read writes one audit entry; 抑止 and 支援措置
 * are checked before a record is shown (security.md, registry.md §7). */
#ifndef MD_SEARCH_H
#define MD_SEARCH_H

#include "error.h"

struct md_ctx;
struct md_result;

/* At most this many persons are listed; more means "add a key". */
#define MD_SEARCH_LIMIT 100

/* The keys of a search as typed; NULL or "" when not given. At least one
 * key other than sex is needed. */
struct md_search_keys {
	const char *name;          /* kanji or kana, full or partial, 氏 or 名 alone;
	                            * "山田 太郎" (with a space): 氏 prefix and 名 prefix */
	const char *birth;         /* any form md_date_parse() accepts; a partial date
	                            * (昭和55年, 1980-03) matches its range */
	const char *sex;           /* 男 or 女 (M, F) */
	const char *address;       /* prefix of 住所 + 方書 (the municipality's name may be
	                            * left out); with another key, any part of it */
	const char *atena;         /* 宛名番号 */
	const char *household;     /* 世帯番号 */
	const char *mynumber;      /* 個人番号: found by its blind index, never logged */
	const char *juminhyo_code; /* 住民票コード */
	const char *card;          /* 在留カード等番号 */
	int removed;               /* include removed records (除票) */
	int past;                  /* include past names and addresses */
};

/* The persons found, best first (current residents, then by reading). */
struct md_search_hits {
	long long *ids;
	int n;
	int more;                  /* more than MD_SEARCH_LIMIT matched */
};

/* Finds persons without writing the audit log: for callers that audit the
 * operation they are part of. */
int md_search_find(struct md_ctx *ctx, const struct md_search_keys *keys,
                   struct md_search_hits *out, struct md_error *err);
void md_search_hits_release(struct md_search_hits *h);

/* The search as the clerk runs it: res->table has the columns atena, name,
 * kana, birth, sex, address, status, flags; res->message says how many were
 * found, when more than MD_SEARCH_LIMIT match, and when persons found share
 * a name and date of birth. One audit entry with the keys (a My Number as
 * "(given)"). */
int md_search(struct md_ctx *ctx, const struct md_search_keys *keys, struct md_result *res,
              struct md_error *err);

/* The query plan of a search (EXPLAIN QUERY PLAN, one step a line;
 * allocated), for tests and benchmarks that check the indexes are used. */
int md_search_plan(struct md_ctx *ctx, const struct md_search_keys *keys, char **plan,
                   struct md_error *err);

/* What the reader may see and has acknowledged. The command layer fills it
 * from the session's permissions. */
struct md_view_opts {
	int ack;       /* alerts (抑止 alert, 支援措置) acknowledged */
	int honseki;   /* may see 本籍・筆頭者 (honseki.view) */
	int support;   /* may see the support-measure details (support.view) */
};

/* Reading a person's data is refused (MD_E_DENIED) under a blocking 抑止 of
 * lookups; under an alert (抑止 alert or 支援措置) it needs ack: without it
 * MD_E_CONFLICT with field "ack" and the alert in the message. */

/* The record as (item, value) rows: every item that has a value, dates in
 * the era (Western for foreign residents), codes by name, 個人番号 masked,
 * 本籍・筆頭者 only with opts->honseki, then 抑止 and 支援措置 rows. Removed
 * records too. */
int md_person_view(struct md_ctx *ctx, long long id, const struct md_view_opts *opts,
                   struct md_result *res, struct md_error *err);

/* The members of a household (or of person's household when household is
 * 0) in certificate order (registry.md §4): columns atena, relationship,
 * name, kana, birth, sex, status. Current members only unless all. */
int md_household_members(struct md_ctx *ctx, long long household, long long person, int all,
                         int ack, struct md_result *res, struct md_error *err);

/* Every approved version of a person: columns version, date, change,
 * reason, made_by, approved_by, recorded_at, changed (the items that differ
 * from the version before; names and addresses with their old and new
 * values, so that past names and addresses show). */
int md_person_history(struct md_ctx *ctx, long long id, int ack, struct md_result *res,
                      struct md_error *err);

/* The deliberate reveal of a My Number (security.md): res->message holds
 * the 12 digits; audited with the My Number flag before it is shown. The
 * caller checks the permission mynumber.view. */
int md_mynumber_reveal(struct md_ctx *ctx, long long id, int ack, struct md_result *res,
                       struct md_error *err);

#endif
