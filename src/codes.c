/* codes.c: parsing the embedded tab-separated lists. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "datafiles.h"
#include "i18n.h"
#include "xalloc.h"

int md_tsv_parse(const char *text, const char *name, struct md_tsv *out, struct md_error *err)
{
	char *p, *line, *next;
	int lineno = 0, cap = 0;

	memset(out, 0, sizeof *out);
	out->text = xstrdup(text ? text : "");
	for (line = out->text; line && *line; line = next) {
		char *nl = strchr(line, '\n');
		int n = 1;
		char **cells;

		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		lineno++;
		if (nl && nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		for (p = line; *p; p++)
			if (*p == '\t')
				n++;
		cells = xcalloc((size_t)n, sizeof *cells);
		cells[0] = line;
		n = 1;
		for (p = line; *p; p++) {
			if (*p == '\t') {
				*p = '\0';
				cells[n++] = p + 1;
			}
		}
		if (!out->cols) {
			out->cols = cells;
			out->ncols = n;
			continue;
		}
		if (n != out->ncols) {
			free(cells);
			md_tsv_release(out);
			return md_error_setl(err, MD_E_INVALID, name, lineno,
			                     _("%s, line %d: %d columns where the header has %d"), name,
			                     lineno, n, out->ncols);
		}
		if (out->nrows == cap) {
			cap = cap ? cap * 2 : 64;
			out->rows = xrealloc(out->rows, (size_t)cap * sizeof *out->rows);
		}
		out->rows[out->nrows++] = cells;
	}
	if (!out->cols) {
		md_tsv_release(out);
		return md_error_set(err, MD_E_INVALID, name, _("%s has no header line"), name);
	}
	return MD_OK;
}

void md_tsv_release(struct md_tsv *t)
{
	for (int r = 0; r < t->nrows; r++)
		free(t->rows[r]);
	free(t->rows);
	free(t->cols);
	free(t->text);
	memset(t, 0, sizeof *t);
}

int md_tsv_col(const struct md_tsv *t, const char *col)
{
	for (int i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i], col) == 0)
			return i;
	return -1;
}

const char *md_tsv_get(const struct md_tsv *t, int row, const char *col)
{
	int c = md_tsv_col(t, col);
	if (c < 0 || row < 0 || row >= t->nrows)
		return "";
	return t->rows[row][c];
}

int md_tsv_find(const struct md_tsv *t, const char *col, const char *value)
{
	int c = md_tsv_col(t, col);
	if (c < 0)
		return -1;
	for (int r = 0; r < t->nrows; r++)
		if (strcmp(t->rows[r][c], value) == 0)
			return r;
	return -1;
}

static const struct {
	const char *name;
	const char *text;
} sources[MD_CODES_COUNT] = {
	[MD_CODES_RELATIONSHIPS] = { "data/relationships.tsv", md_data_relationships_tsv },
	[MD_CODES_REASONS] = { "data/reasons.tsv", md_data_reasons_tsv },
	[MD_CODES_DISTRICTS] = { "data/districts.tsv", md_data_districts_tsv },
	[MD_CODES_NATIONALITIES] = { "data/nationalities.tsv", md_data_nationalities_tsv },
	[MD_CODES_RESIDENCE_STATUS] = { "data/residence_status.tsv", md_data_residence_status_tsv },
	[MD_CODES_SURNAMES] = { "data/surnames.tsv", md_data_surnames_tsv },
	[MD_CODES_GIVEN_MALE] = { "data/given_names_male.tsv", md_data_given_names_male_tsv },
	[MD_CODES_GIVEN_FEMALE] = { "data/given_names_female.tsv", md_data_given_names_female_tsv },
	[MD_CODES_FOREIGN_NAMES] = { "data/foreign_names.tsv", md_data_foreign_names_tsv },
	[MD_CODES_POPULATION] = { "data/population.tsv", md_data_population_tsv },
	[MD_CODES_HOUSEHOLDS] = { "data/households.tsv", md_data_households_tsv },
};

const struct md_tsv *md_codes(enum md_codelist which)
{
	static struct md_tsv tables[MD_CODES_COUNT];
	static int loaded[MD_CODES_COUNT];
	struct md_error err;

	if (which < 0 || which >= MD_CODES_COUNT)
		which = 0;
	if (!loaded[which]) {
		if (md_tsv_parse(sources[which].text, sources[which].name, &tables[which], &err) != MD_OK)
			memset(&tables[which], 0, sizeof tables[which]);
		loaded[which] = 1;
	}
	return &tables[which];
}
