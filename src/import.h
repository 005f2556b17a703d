/* import.h: importing residents from another system (移行データ), as a
 * UTF-8 CSV file with a header row (doc/import-format.md).
 *
 * Three layers, each usable alone:
 *   - an RFC 4180 CSV reader and writer (md_csv_*), no database;
 *   - the column rules: the header (md_import_header) and one row's values
 *     (md_import_check_row), no database, so that they can be fuzzed;
 *   - md_import_residents(): the whole import: every row checked (values,
 *     uniqueness in the file and in the registry, households), then nothing
 *     written or, in one transaction, the valid households written as final
 *     records (改製) with one audit entry. */
#ifndef MD_IMPORT_H
#define MD_IMPORT_H

#include <stdio.h>
#include <time.h>

#include "error.h"
#include "person.h"

struct md_ctx;
struct md_result;

/* ---- RFC 4180 CSV --------------------------------------------------------- */

struct md_csv_record {
	long line;        /* physical line where the record starts (1-based) */
	int nfields;
	char **field;     /* unquoted, NUL-terminated; point into the reader's buffer */
};

struct md_csv_reader {
	char *p, *end;    /* the unread part of the buffer */
	long line;        /* physical line of p */
	int bad_field;    /* after an error: the field (1-based) concerned, or 0 */
};

/* Reads records from buf, which holds len bytes plus one more byte that may
 * be overwritten, and is modified in place (fields are unquoted where they
 * lie). A leading UTF-8 BOM is skipped. Records end with CRLF, LF, a lone CR
 * or the end of the text; a line with nothing on it is skipped. Fields may be
 * quoted ("a, b", "say ""hi""", and line breaks inside quotes). */
void md_csv_init(struct md_csv_reader *r, char *buf, size_t len);
/* The next record: 1, with rec filled (rec->field allocated: release it with
 * md_csv_record_release); 0 at the end; -1 on an error (MD_E_INVALID, field
 * "csv", err->line the line concerned, r->bad_field the field): text that is
 * not UTF-8 or holds a NUL byte, a quote inside an unquoted field, something
 * after a closing quote, a quoted field that never ends. After an error the
 * reader is at the end. */
int md_csv_next(struct md_csv_reader *r, struct md_csv_record *rec, struct md_error *err);
void md_csv_record_release(struct md_csv_record *rec);
/* Writes one record with CRLF, quoting a field when it holds a comma, a
 * quote, a line break or leading or trailing spaces. 0, or -1 on a write
 * error. */
int md_csv_write_record(FILE *f, int n, const char *const *fields);

/* ---- the columns ---------------------------------------------------------- */

enum md_import_col {
	MD_IC_ATENA_NO,
	MD_IC_HOUSEHOLD_NO,
	MD_IC_RELATIONSHIP,
	MD_IC_NAME,
	MD_IC_NAME_KANA,
	MD_IC_BIRTH_DATE,
	MD_IC_SEX,
	MD_IC_ADDRESS,
	MD_IC_KATAGAKI,
	MD_IC_POSTAL_CODE,
	MD_IC_RESIDENT_SINCE,
	MD_IC_ADDRESS_SINCE,
	MD_IC_NOTIFIED_ON,
	MD_IC_PREVIOUS_ADDRESS,
	MD_IC_HONSEKI,
	MD_IC_HITTOSHA,
	MD_IC_MY_NUMBER,
	MD_IC_JUMINHYO_CODE,
	MD_IC_RESIDENT_TYPE,
	MD_IC_NATIONALITY,
	MD_IC_COUNT
};

/* The column's name in the header ("atena_no"). */
const char *md_import_col_name(enum md_import_col c);
/* 1 for the columns every file must have. */
int md_import_col_required(enum md_import_col c);

struct md_import_header;

/* A problem found in the file: FILE:LINE: column: message. */
struct md_import_issue {
	long line;            /* 0: the file as a whole */
	const char *column;   /* static column name, or NULL */
	int error;            /* 0: a note that does not stop the import */
	long seq;             /* order of finding, for a stable sort */
	int order;            /* set by the sort: the column's place in the file */
	char *msg;
};

struct md_import_issues {
	int n, cap;
	struct md_import_issue *v;
};

void md_import_issue(struct md_import_issues *is, long line, const char *column, int error,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Sorts by line, then (with a header) by the column's place in the file
 * (problems of the row as a whole first), then in the order of finding. */
void md_import_issues_sort(struct md_import_issues *is, const struct md_import_header *h);
int md_import_issues_errors(const struct md_import_issues *is);
void md_import_issues_release(struct md_import_issues *is);

struct md_import_header {
	int ncols;                 /* fields of the header record */
	int pos[MD_IC_COUNT];      /* field index of each column, -1 when absent */
	const char **names;        /* ncols header names as static column names (NULL if unknown) */
};

/* Reads the header record: every name one of the columns (case and
 * surrounding spaces ignored), none twice, the required ones present. The
 * problems go to is (line of the header); returns their number. */
int md_import_header_parse(const struct md_csv_record *rec, struct md_import_header *h,
                           struct md_import_issues *is);
void md_import_header_release(struct md_import_header *h);

/* One row, checked and turned into a person. */
struct md_import_row {
	long line;
	long long atena;           /* 0 when not a valid number */
	long long household;       /* 0 when not a valid number */
	int head;                  /* 続柄 is 世帯主 */
	int relationship_ok;       /* 続柄 was valid */
	int foreign;               /* 1 外国人, 0 日本人, -1 not known */
	char mynumber[13];         /* the clear 個人番号 ("" when none): wipe it */
	struct md_person p;        /* items set from the row (no status, id or household) */
};

/* Checks one data record against the column rules, as of now (dates must not
 * be after today): problems go to is with the record's line; returns the
 * number of errors. The row's person is filled with what was valid. Does not
 * look at other rows or the registry. */
int md_import_check_row(const struct md_import_header *h, const struct md_csv_record *rec,
                        time_t now, struct md_import_row *row, struct md_import_issues *is);
/* Frees the person and wipes the clear My Number. */
void md_import_row_release(struct md_import_row *row);

/* ---- the import ------------------------------------------------------------ */

/* Imports the residents of the CSV file at path (named so in every message).
 * Problems go to res->lines as "FILE:LINE: column: message". Without
 * skip_invalid, any invalid row fails the import with MD_E_INVALID and
 * nothing is written; with it, the households with an invalid row go to
 * FILE.rejects.csv with a reason column and the others are imported. Rows
 * whose 宛名番号 is already in the registry are left alone and reported. */
int md_import_residents(struct md_ctx *ctx, const char *path, int skip_invalid,
                        struct md_result *res, struct md_error *err);
/* The rejects file of an import file: "x.csv" -> "x.rejects.csv" (allocated). */
char *md_import_rejects_path(const char *path);

#endif
