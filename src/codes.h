/* codes.h: the code lists and name lists carried in data/ (embedded at
 * build time): tab-separated, '#' comment lines, a header line naming the
 * columns. Parsed once, on first use. */
#ifndef MD_CODES_H
#define MD_CODES_H

#include "error.h"

struct md_tsv {
	int ncols;
	char **cols;
	int nrows;
	char ***rows;      /* nrows x ncols */
	char *text;        /* owned copy the cells point into */
};

/* Parses text (a copy is kept); a row with the wrong number of cells is an
 * error naming its line. */
int md_tsv_parse(const char *text, const char *name, struct md_tsv *out, struct md_error *err);
void md_tsv_release(struct md_tsv *t);
/* Column index by name, or -1. */
int md_tsv_col(const struct md_tsv *t, const char *col);
/* The cell, or "" when row or column is out of range. */
const char *md_tsv_get(const struct md_tsv *t, int row, const char *col);
/* First row whose column equals value, or -1. */
int md_tsv_find(const struct md_tsv *t, const char *col, const char *value);

enum md_codelist {
	MD_CODES_RELATIONSHIPS,
	MD_CODES_REASONS,
	MD_CODES_DISTRICTS,
	MD_CODES_NATIONALITIES,
	MD_CODES_RESIDENCE_STATUS,
	MD_CODES_SURNAMES,
	MD_CODES_GIVEN_MALE,
	MD_CODES_GIVEN_FEMALE,
	MD_CODES_FOREIGN_NAMES,
	MD_CODES_POPULATION,
	MD_CODES_HOUSEHOLDS,
	MD_CODES_COUNT
};

/* The parsed list (never NULL: an embedded list that fails to parse is a
 * build error caught by the tests, and gives an empty table here). */
const struct md_tsv *md_codes(enum md_codelist which);

#endif
