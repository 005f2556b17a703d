/* result.h: what a command returns: a message and an optional table. */
#ifndef MD_RESULT_H
#define MD_RESULT_H

struct md_table {
	int ncols;
	char **cols;      /* column names (message ids, already translated) */
	int nrows;
	int cap;
	char ***rows;     /* nrows x ncols strings */
};

struct md_result {
	char *message;    /* one line for the user, or NULL */
	struct md_table table;
	char **lines;     /* lines shown as they are (diagnostics like FILE:LINE: column: message) */
	int nlines;
};

void md_table_init(struct md_table *t, int ncols, const char *const *cols);
/* Adds a row of ncols strings (copied; NULL becomes ""). */
void md_table_add(struct md_table *t, const char *const *cells);
void md_table_release(struct md_table *t);
void md_result_init(struct md_result *r);
void md_result_message(struct md_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void md_result_line(struct md_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void md_result_release(struct md_result *r);

#endif
