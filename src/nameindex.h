/* nameindex.h: the search keys of a person (current and past names, 旧氏,
 * 通称, current and past addresses), rebuilt whenever a record changes so
 * that search always uses an index. */
#ifndef MD_NAMEINDEX_H
#define MD_NAMEINDEX_H

#include "error.h"

struct md_ctx;

/* Rebuilds the index rows of one person from persons and person_versions. */
int md_index_person(struct md_ctx *ctx, long long person_id, struct md_error *err);
/* Address search key: full-width digits and letters to ASCII, spaces
 * removed, 丁目/番地/番/号 and dashes to "-" (見本町１丁目２番３号 = 見本町1-2-3). */
char *md_address_normalize(const char *utf8);

#endif
