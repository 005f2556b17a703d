/* report.h: the supervisor's daily report (日報). */
#ifndef MD_REPORT_H
#define MD_REPORT_H

#include "error.h"

struct md_ctx;
struct md_table;

enum md_report_section {
	MD_REPORT_CERTIFICATES = 1 << 0,  /* issued per terminal and type, with fees */
	MD_REPORT_WAITING = 1 << 1,       /* provisional changes waiting at the end of the day, their age */
	MD_REPORT_EXPIRING = 1 << 2,      /* 支援措置 ending within a month of the day */
	MD_REPORT_VOIDED = 1 << 3,        /* certificates voided that day */
	MD_REPORT_ALL = 0xf
};

/* The section named (certificates, waiting, expiring, voided, or all); -1 if unknown. */
int md_report_section(const char *name);

/* Fills out (initialised here) with the columns Section, Item, Count, Fees,
 * Detail: one block of rows per section, a "(none)" row for an empty one.
 * date is a local "YYYY-MM-DD". Reading only: the caller logs it. */
int md_report_daily(struct md_ctx *ctx, const char *date, int sections, struct md_table *out,
                    struct md_error *err);

#endif
