/* wareki.h: dates as the registry writes them, in the Japanese era (和暦) or
 * the Western calendar, possibly partly unknown (日不詳, 月日不詳, 年月日不詳)
 * or approximate (頃). See registry.md §2.
 *
 * The era table is data (data/eras.tsv, embedded as md_data_eras_tsv): a new
 * era is a new row, never a code change. It is parsed the first time it is
 * needed; md_era_load() replaces it (tests load a table with a fictional era).
 * None of this is thread-safe. */
#ifndef MD_WAREKI_H
#define MD_WAREKI_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct md_error;

enum md_date_precision {
	MD_DATE_FULL = 0,          /* year, month and day known */
	MD_DATE_DAY_UNKNOWN,       /* 日不詳: d is 0 */
	MD_DATE_MONTH_DAY_UNKNOWN, /* 月日不詳: m and d are 0 */
	MD_DATE_ALL_UNKNOWN,       /* 年月日不詳: y, m and d are 0 */
};

/* A calendar date (proleptic Gregorian) with its precision. Unknown parts
 * are 0. circa is the trailing 頃 ("about"); it is stored apart from the
 * ISO form. */
struct md_date {
	int y, m, d;
	enum md_date_precision prec;
	bool circa;
};

/* The earliest date accepted on input: Japan adopted the Gregorian
 * calendar on 1873-01-01 (明治6年1月1日). */
#define MD_DATE_MIN_YEAR 1873

/* Enough for any text written by the md_date_format_* functions. */
#define MD_DATE_TEXT_MAX 64

/* ---- the era table ------------------------------------------------------ */

struct md_era {
	char name[32];       /* 昭和 (UTF-8) */
	char letter;         /* 'S', upper case */
	int y, m, d;         /* first day */
};

/* Replaces the era table with one parsed from tab-separated text: lines
 * starting with # and blank lines are ignored; the first other line is the
 * header naming the columns (name, letter, first_day; in any order, other
 * columns ignored); then one row per era, in order of first day. On error
 * the table in use is unchanged and err (code MD_E_CONFIG, field "eras",
 * line set) says what is wrong. */
int md_era_load(const char *tsv_text, struct md_error *err);
/* Goes back to the built-in table (parsed again when next needed). */
void md_era_reset(void);
/* The number of eras (0 if the built-in table cannot be parsed) and the
 * i-th, oldest first; NULL when out of range. */
size_t md_era_count(void);
const struct md_era *md_era_at(size_t i);

/* ---- parsing and storage ------------------------------------------------ */

/* Parses a date as a clerk types it:
 *   和暦      昭和55年3月14日, 令和元年5月1日, 令和1年5月1日, 昭55.3.14
 *   abridged  S55.3.14, s55/3/14, S55-3-14, S55年3月14日 (letter per era)
 *   Western   1980-03-14, 1980/3/14, 1980.3.14, 1980年3月14日, 19800314
 *   unknown   昭和55年3月, S55.3, 昭和55年3月日不詳 (day unknown);
 *             昭和55年, 昭和55年月日不詳 (month and day unknown);
 *             不詳, 年月日不詳 (all unknown)
 *   circa     any of these followed by 頃
 * Full-width ASCII (digits, letters, punctuation) and spaces are accepted.
 * Rejected with MD_E_INVALID, field "date", and a message saying why: not a
 * calendar date, year 0 of an era, a date outside the era written (the
 * message names the right era and the date written in it), before
 * 1873-01-01, anything else. If the built-in era table cannot be parsed,
 * that error (MD_E_CONFIG, field "eras") is returned instead. */
int md_date_parse(const char *input, struct md_date *out, struct md_error *err);

/* Storage form, sortable: "1980-03-14", "1980-03-00" (day unknown),
 * "1980-00-00" (month and day unknown), "0000-00-00" (all unknown).
 * circa is not part of it. Returns buf. */
char *md_date_to_iso(const struct md_date *date, char buf[16]);
/* The storage form back (circa false); -1 if s is not one. */
int md_date_from_iso(const char *s, struct md_date *out);

/* 昭和55年3月14日, 令和元年5月1日, 昭和55年3月日不詳, 昭和55年月日不詳,
 * 年月日不詳; 頃 appended when circa. A date before the first era is written
 * in the Western form. Returns buf (always NUL-terminated if n > 0). */
char *md_date_format_wareki(const struct md_date *date, char *buf, size_t n);
/* 1980年3月14日, 1980年3月日不詳, 1980年月日不詳, 年月日不詳 (+ 頃). */
char *md_date_format_western(const struct md_date *date, char *buf, size_t n);

/* The era of a date and its year in that era (1 for 元年); -1 when unknown
 * (年月日不詳) or before the first era. A partly known date that spans two
 * eras (1989-01, 1989) is given the era holding most of its days, the later
 * one on a tie: 1989 is 平成元年, 1926 is 大正15年, 1989-01 is 平成元年1月. */
int md_date_era(const struct md_date *date, const char **era_name, int *era_year);

/* Orders dates as their storage forms sort (unknown parts as 0, so an
 * all-unknown date comes first); among equal forms a circa date comes after
 * an exact one. 0 only for identical dates. */
int md_date_cmp(const struct md_date *a, const struct md_date *b);

/* True when the date is certainly after today (local time of now): the
 * first day it may be is after today. An unknown date is never after today. */
bool md_date_after_today(const struct md_date *date, time_t now);

/* Age in completed years on y-m-d. Under 年齢計算ニ関スル法律 and 民法143条 a
 * person becomes a year older at the end of the day before the birthday, so
 * on the birthday itself the new age holds; someone born on 2月29日 is a year
 * older from 3月1日 in a year without 2月29日 (from 2月29日 in a leap year).
 * For a partly known birth date, the age that is certain (as if born on the
 * last day it may be). -1 when the birth date is all unknown, the date is not
 * a calendar date, or the person may not be born yet. */
int md_age_on(const struct md_date *birth, int y, int m, int d);

/* Days from a to b (negative when b is earlier); both must be full dates,
 * otherwise MD_DAYS_UNKNOWN. */
#define MD_DAYS_UNKNOWN (-2147483647 - 1)
int md_days_between(const struct md_date *a, const struct md_date *b);

#endif
