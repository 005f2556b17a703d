/* search_impl.h: helpers shared by search.c (finding persons) and record.c
 * (reading one person), defined in search.c. */
#ifndef MD_SEARCH_IMPL_H
#define MD_SEARCH_IMPL_H

#include <stddef.h>

struct md_ctx;
struct md_error;

/* A growing string. */
struct md_sbuf {
	char *p;
	size_t len, cap;
};
void md_sb_add(struct md_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Its text, "" while empty. */
const char *md_sb_str(const struct md_sbuf *b);

/* A stored date as people read it: the era, or Western for foreign residents. */
void md_search_date_text(const char *iso, int circa, int foreign, char *buf, size_t n);
/* 住民, 転出予定 (a planned move-out, still living here), 転出, 死亡, 消除. */
const char *md_search_status_text(const char *status, const char *removal_date, const char *today);
/* "山田 太郎"; a foreign resident's single name stands alone. Allocated. */
char *md_search_join_name(const char *a, const char *b);
/* An audit entry of a lookup (subject 0: none). */
int md_search_audit(struct md_ctx *ctx, const char *function, long long subject, const char *action,
                    const char *outcome, const char *detail, int mynumber, struct md_error *err);

#endif
