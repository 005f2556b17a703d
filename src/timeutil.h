/* timeutil.h: the core's clock (overridable in tests) and date helpers. */
#ifndef MD_TIMEUTIL_H
#define MD_TIMEUTIL_H

#include <time.h>

/* Seconds since the epoch; a test may fix it with md_time_set(). */
time_t md_time_now(void);
/* 0 restores the real clock. */
void md_time_set(time_t t);
/* "2026-11-22T16:20:01Z" (UTC) into buf of at least 21 bytes. */
void md_time_iso(time_t t, char *buf, size_t n);
/* Local calendar date "2026-11-22" into buf of at least 11 bytes. */
void md_date_local(time_t t, char *buf, size_t n);
/* An ISO UTC timestamp "2026-04-01T03:30:00Z" as local time "2026-04-01
 * 12:30" (with seconds: "12:30:00"); anything else is copied as it is. */
void md_time_local_text(const char *iso, int seconds, char *buf, size_t n);
/* Parses "YYYY-MM-DD" strictly (real calendar day); 0 on success. */
int md_date_parse_iso(const char *s, int *y, int *m, int *d);
/* Days from 1970-01-01 for a proleptic Gregorian date. */
long md_days_from_civil(int y, int m, int d);

#endif
