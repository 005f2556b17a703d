/* trainingward.h: the synthetic training ward 見本区. A training database
 * is filled with a realistic, entirely fictional population: households of
 * realistic size and composition, Japanese names with their readings drawn
 * from the frequency-weighted lists in data/, ages following the population
 * pyramid (data/population.tsv), about 3% foreign residents with their items,
 * addresses with 町丁目 and postal codes (data/districts.tsv), history
 * (転居, marriage, 転出, 死亡) with the changes that made it, removed records,
 * and a few suppressions (抑止) and support measures (支援措置).
 *
 * Everything comes from one seeded generator (xoshiro256**, never rand()):
 * the same seed, number of residents and day give the same ward; dates are
 * counted back from the day the ward is made. My Numbers and 住民票コード are
 * seeded permutations (unique) with valid check digits, sealed and
 * blind-indexed with the database's own keys like any other record. */
#ifndef MD_TRAININGWARD_H
#define MD_TRAININGWARD_H

#include "error.h"

struct md_ctx;
struct md_settings;

#define MD_TRAINING_MAX_RESIDENTS 2000000L
#define MD_TRAINING_DEFAULT_RESIDENTS 5000L
#define MD_TRAINING_DEFAULT_SEED 1ULL

struct md_training_counts {
	long residents;        /* living in the ward (a planned move-out counts) */
	long households;       /* households with at least one resident */
	long foreign;          /* foreign residents among the residents */
	long removed;          /* removed records (除票): moved out or dead */
	long persons;          /* rows of persons: residents + removed records */
	long versions;         /* rows of person_versions */
	long changes;          /* approved changes that made them */
	long suppressions;
	long support_measures;
};

/* "5000" -> 5000; 0 to MD_TRAINING_MAX_RESIDENTS. NULL or "" gives the
 * default. Otherwise MD_E_INVALID, field "residents". */
int md_training_parse_residents(const char *text, long *out, struct md_error *err);
/* A whole number 0 .. 2^64-1; NULL or "" gives the default. Otherwise
 * MD_E_INVALID, field "seed". */
int md_training_parse_seed(const char *text, unsigned long long *out, struct md_error *err);

/* Fills an open, empty training database with the ward: residents living
 * persons (and about 4% more removed records). Must be called outside a
 * transaction; it runs in one, with the bulk-load settings (synchronous off,
 * in-memory journal, secondary indexes built after the load) restored at the
 * end. Writes one audit entry "training.generate". counts may be NULL. */
int md_training_generate(struct md_ctx *ctx, long residents, unsigned long long seed,
                         struct md_training_counts *counts, struct md_error *err);

/* Creates a training database with its key file and demo accounts
 * (md_db_create) and fills it with the ward. On failure nothing is left
 * behind. */
int md_training_db_create(const struct md_settings *cfg, const char *db_path, long residents,
                          unsigned long long seed, struct md_training_counts *counts,
                          struct md_error *err);

#endif
