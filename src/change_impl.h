/* change_impl.h: the working state of a change, shared by change.c (parse,
 * check, save) and approve.c (approve, reject, list, show). Core only. */
#ifndef MD_CHANGE_IMPL_H
#define MD_CHANGE_IMPL_H

#include <stdarg.h>
#include "change.h"
#include "person.h"

struct cperson {
	int idx;                 /* N of "pN." */
	long long person_id;     /* existing 宛名番号, 0 for a new person */
	int member;              /* a member restating only its 続柄 */
	int has_before;
	struct md_person before;
	struct md_person after;
	int new_household;       /* >0: goes into the change's n-th new household */
	char mynumber[13];       /* the clear number typed, until sealed */
	int mynumber_given;
};

struct cwork {
	const struct md_change_type *type;
	char reason[40];
	char event_date[16];
	char notified_on[16];
	char memo[512];
	long long household;
	long long change_id;
	long long cancels;
	int ack;
	int late;
	const char *shared[8];   /* household-wide address items given once (borrowed) */
	int n;
	struct cperson *p;
	struct md_issues *issues;
};

void cw_issue(struct cwork *w, int person, const char *field, int error, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
int cw_parse(struct md_ctx *ctx, const struct md_args *args, struct cwork *w, struct md_error *err);
int cw_check(struct md_ctx *ctx, struct cwork *w, struct md_error *err);
void cw_release(struct cwork *w);
void cw_today(char buf[11]);
int cw_load_person(struct md_ctx *ctx, long long id, struct md_person *p, struct md_error *err);
/* approve.c: writes a person's first version with the 宛名番号 already in
 * p->id (a migration import): persons, person_versions and the search index.
 * MD_E_CONFLICT when the 宛名番号 is taken. */
int md_registry_insert_version(struct md_ctx *ctx, struct md_person *p, long long change_id,
                               struct md_error *err);
/* 1 when a status counts as living here on date (a planned move-out counts
 * until its date). */
int cw_active(const struct md_person *p, const char *today);

#endif
