/* stats.h: statistics (統計, registry.md §9): the population by district,
 * sex and five-year age band, and the monthly counts of each change type.
 * Aggregates only: nothing here identifies a person, and md_stats_table()
 * hides small counts (cell suppression) and any total that would reveal
 * them. */
#ifndef MD_STATS_H
#define MD_STATS_H

#include <stddef.h>

#include "error.h"

struct md_ctx;
struct md_table;

/* 0-4, 5-9, ..., 95-99, 100+ */
#define MD_STATS_BANDS 21

/* "0-4" ... "100+" into buf (at least 8 bytes); returns buf. */
const char *md_stats_band_label(int band, char *buf, size_t n);
/* The band of an age (0 and up). */
int md_stats_band(int age);

struct md_stats_district {
	char name[64];                 /* 町名 from districts.tsv, or その他 */
	int male[MD_STATS_BANDS];
	int female[MD_STATS_BANDS];
};

struct md_stats_pop {
	char as_of[11];
	int n;                         /* districts in districts.tsv order; その他 last */
	struct md_stats_district *d;
	int unknown_male;              /* year of birth unknown: in no band */
	int unknown_female;
};

/* The residents on as_of (YYYY-MM-DD): status resident, or moved_out with
 * a removal date after as_of, counted from the current records, with their
 * age on as_of (md_age_on). A person whose district code is missing or not
 * in districts.tsv counts under その他; one not yet born on as_of is not
 * counted. */
int md_stats_population(struct md_ctx *ctx, const char *as_of, struct md_stats_pop *out,
                        struct md_error *err);
void md_stats_pop_release(struct md_stats_pop *p);

struct md_stats_count {
	char month[8];                 /* YYYY-MM of changes.event_date */
	char type[32];                 /* change type code */
	const char *name;              /* its legal name (転入 ...), or the code */
	int count;
};

struct md_stats_changes {
	int n;
	struct md_stats_count *v;      /* by month, then in the order of md_change_types() */
};

/* Approved changes with event_date in the months from..to (YYYY-MM, inclusive). */
int md_stats_changes(struct md_ctx *ctx, const char *from, const char *to, struct md_stats_changes *out,
                     struct md_error *err);
void md_stats_changes_release(struct md_stats_changes *c);

/* The result table, columns: statistic, district or month, age band or
 * change, male, female, total. Either source may be NULL. Counts from 1 to
 * min_cell - 1 are shown as "*", and so is every total that adds up a
 * suppressed cell (see stats.c). Returns the number of cells shown as "*". */
int md_stats_table(const struct md_stats_pop *pop, const struct md_stats_changes *ch, int min_cell,
                   struct md_table *t);

#endif
