/* purge.h: the retention purge. Each record class of the [retention]
 * settings loses what has passed its period, in one transaction per class,
 * with a deletion record (retention_deletions) and an audit entry. */
#ifndef MD_PURGE_H
#define MD_PURGE_H

#include "error.h"

struct md_ctx;

enum md_purge_class {
	MD_PURGE_ISSUANCES,     /* issuance history (証明書の交付履歴): issuance_years after issue */
	MD_PURGE_REMOVED,       /* 除票 with their versions and history: removed_records_years after removal */
	MD_PURGE_AUDIT,         /* audit log entries: audit_log_years after they were written */
	MD_PURGE_NCLASSES
};

struct md_purge_result {
	const char *cls;        /* "issuances", "removed_records", "audit_log" */
	int years;              /* the period in force */
	char cutoff[11];        /* records dated before this local date had expired */
	long long count;        /* deleted (or, in a dry run, that would be) */
	long long kept;         /* expired but still referred to by a kept record (除票 only) */
	char first[32];         /* the oldest and newest date deleted */
	char last[32];
	long long deletion_id;  /* the deletion record, 0 when none was written */
	int files_removed;      /* spooled certificate PDFs removed with their issuances */
};

/* The cutoff for a period: today minus `years` (29 February becomes
 * 28 February). A record dated on the anniversary is still kept that day;
 * it goes from the next day on. */
void md_purge_cutoff(const char *today, int years, char out[11]);

/* Runs the purge (dry_run: the same work, rolled back, and one audit entry
 * saying so). out[] gets one result per class, in enum order. */
int md_purge_run(struct md_ctx *ctx, int dry_run, struct md_purge_result out[MD_PURGE_NCLASSES],
                 struct md_error *err);

#endif
