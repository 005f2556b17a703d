/* result.c: command results (a message and a table). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"
#include "xalloc.h"

void md_table_init(struct md_table *t, int ncols, const char *const *cols)
{
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
	t->cols = xcalloc((size_t)ncols, sizeof *t->cols);
	for (int i = 0; i < ncols; i++)
		t->cols[i] = xstrdup(cols[i] ? cols[i] : "");
}

void md_table_add(struct md_table *t, const char *const *cells)
{
	char **row;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->rows = xrealloc(t->rows, (size_t)t->cap * sizeof *t->rows);
	}
	row = xcalloc((size_t)t->ncols, sizeof *row);
	for (int i = 0; i < t->ncols; i++)
		row[i] = xstrdup(cells[i] ? cells[i] : "");
	t->rows[t->nrows++] = row;
}

void md_table_release(struct md_table *t)
{
	for (int r = 0; r < t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++)
			free(t->rows[r][c]);
		free(t->rows[r]);
	}
	free(t->rows);
	for (int c = 0; c < t->ncols; c++)
		free(t->cols[c]);
	free(t->cols);
	memset(t, 0, sizeof *t);
}

void md_result_init(struct md_result *r)
{
	memset(r, 0, sizeof *r);
}

void md_result_message(struct md_result *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	free(r->message);
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	r->message = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(r->message, (size_t)n + 1, fmt, ap);
	va_end(ap);
}

void md_result_line(struct md_result *r, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *line;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	line = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(line, (size_t)n + 1, fmt, ap);
	va_end(ap);
	r->lines = xrealloc(r->lines, (size_t)(r->nlines + 1) * sizeof *r->lines);
	r->lines[r->nlines++] = line;
}

void md_result_release(struct md_result *r)
{
	free(r->message);
	md_table_release(&r->table);
	for (int i = 0; i < r->nlines; i++)
		free(r->lines[i]);
	free(r->lines);
	r->lines = NULL;
	r->nlines = 0;
	r->message = NULL;
}
