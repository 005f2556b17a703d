/* stats.c: population and change statistics, and their cell suppression.
 *
 * The suppression rule (md_stats_table):
 *  1. A count from 1 to min_cell - 1 is shown as "*" (primary suppression).
 *     Zero is shown: it says that nobody is there, not who is.
 *  2. A total is shown only when none of the counts it adds up is shown as
 *     "*"; otherwise the total is "*" too. This holds for the total of a
 *     row (male + female), the totals of a district over its bands, and the
 *     totals of all districts. So every number shown is a sum of numbers
 *     shown, and no suppressed count can be recovered from the table, not
 *     even when two suppressed counts share a row (2 + 2 = 4 with a minimum
 *     of 3 would give both away).
 *  The monthly change counts have no totals; rule 1 applies to them.
 *  The rule is stricter than suppressing a total only when exactly one of
 *  its cells is suppressed, which the example above shows is not enough. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"
#include "codes.h"
#include "ctx.h"
#include "i18n.h"
#include "result.h"
#include "stats.h"
#include "store.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

/* The district of persons without a usable 住所コード. */
#define OTHER_DISTRICT "その他"

const char *md_stats_band_label(int band, char *buf, size_t n)
{
	if (band >= MD_STATS_BANDS - 1)
		snprintf(buf, n, "%d+", (MD_STATS_BANDS - 1) * 5);
	else
		snprintf(buf, n, "%d-%d", band * 5, band * 5 + 4);
	return buf;
}

int md_stats_band(int age)
{
	int b = age / 5;
	return b < 0 ? 0 : b >= MD_STATS_BANDS ? MD_STATS_BANDS - 1 : b;
}

/* ---- population ----------------------------------------------------------- */

static int district_index(struct md_stats_pop *p, const char *name)
{
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->d[i].name, name) == 0)
			return i;
	return -1;
}

static int add_district(struct md_stats_pop *p, const char *name)
{
	int i = district_index(p, name);
	if (i >= 0)
		return i;
	p->d = xrealloc(p->d, (size_t)(p->n + 1) * sizeof *p->d);
	memset(&p->d[p->n], 0, sizeof p->d[p->n]);
	snprintf(p->d[p->n].name, sizeof p->d[p->n].name, "%s", name);
	return p->n++;
}

int md_stats_population(struct md_ctx *ctx, const char *as_of, struct md_stats_pop *out,
                        struct md_error *err)
{
	static const char sql[] =
		"SELECT sex, birth_date, coalesce(address_code, '') FROM persons "
		"WHERE status = 'resident' OR (status = 'moved_out' AND removal_date > ?1)";
	const struct md_tsv *districts = md_codes(MD_CODES_DISTRICTS);
	int code_col = md_tsv_col(districts, "code"), name_col = md_tsv_col(districts, "district");
	int *row_index, other = -1, y, m, d, rc = MD_OK;
	sqlite3_stmt *s;

	memset(out, 0, sizeof *out);
	if (md_date_parse_iso(as_of, &y, &m, &d) != 0)
		return md_error_set(err, MD_E_INVALID, "date", _("not a date: \"%s\""), as_of);
	snprintf(out->as_of, sizeof out->as_of, "%s", as_of);
	/* The districts in list order, each code row pointing to its district;
	 * その他 comes after them when needed. */
	row_index = xcalloc((size_t)(districts->nrows + 1), sizeof *row_index);
	for (int r = 0; r < districts->nrows; r++)
		row_index[r] = name_col >= 0 ? add_district(out, districts->rows[r][name_col]) : -1;

	if (!(s = md_store_stmt(ctx->store, sql, err))) {
		free(row_index);
		md_stats_pop_release(out);
		return MD_E_DB;
	}
	md_bind_text(s, 1, as_of);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *code = md_col_text(s, 2);
		int male = strcmp(md_col_text(s, 0), "M") == 0, idx = -1, age;
		struct md_date birth;

		if (md_date_from_iso(md_col_text(s, 1), &birth) != 0 || birth.prec == MD_DATE_ALL_UNKNOWN) {
			if (male)
				out->unknown_male++;
			else
				out->unknown_female++;
			continue;
		}
		age = md_age_on(&birth, y, m, d);
		if (age < 0)
			continue;   /* not born yet on as_of */
		if (*code && code_col >= 0) {
			for (int r = 0; r < districts->nrows; r++)
				if (strcmp(districts->rows[r][code_col], code) == 0) {
					idx = row_index[r];
					break;
				}
		}
		if (idx < 0) {
			if (other < 0)
				other = add_district(out, OTHER_DISTRICT);
			idx = other;
		}
		if (male)
			out->d[idx].male[md_stats_band(age)]++;
		else
			out->d[idx].female[md_stats_band(age)]++;
	}
	sqlite3_reset(s);
	free(row_index);
	if (rc != SQLITE_DONE) {
		md_stats_pop_release(out);
		return md_store_fail(ctx->store, err, _("counting the population"));
	}
	return MD_OK;
}

void md_stats_pop_release(struct md_stats_pop *p)
{
	free(p->d);
	memset(p, 0, sizeof *p);
}

/* ---- changes -------------------------------------------------------------- */

static int type_order(const char *code)
{
	int i = 0;
	for (const struct md_change_type *t = md_change_types(); t->code; t++, i++)
		if (strcmp(t->code, code) == 0)
			return i;
	return i;
}

static int count_cmp(const void *a, const void *b)
{
	const struct md_stats_count *x = a, *y = b;
	int c = strcmp(x->month, y->month);
	if (c)
		return c;
	c = type_order(x->type) - type_order(y->type);
	return c ? c : strcmp(x->type, y->type);
}

int md_stats_changes(struct md_ctx *ctx, const char *from, const char *to, struct md_stats_changes *out,
                     struct md_error *err)
{
	static const char sql[] =
		"SELECT substr(event_date, 1, 7) AS month, type, count(*) FROM changes "
		"WHERE status = 'approved' AND substr(event_date, 1, 7) BETWEEN ?1 AND ?2 "
		"GROUP BY month, type";
	sqlite3_stmt *s;
	int cap = 0, rc;

	memset(out, 0, sizeof *out);
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	md_bind_text(s, 1, from);
	md_bind_text(s, 2, to);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct md_stats_count *c;
		const struct md_change_type *t;
		if (out->n == cap) {
			cap = cap ? cap * 2 : 32;
			out->v = xrealloc(out->v, (size_t)cap * sizeof *out->v);
		}
		c = &out->v[out->n++];
		snprintf(c->month, sizeof c->month, "%s", md_col_text(s, 0));
		snprintf(c->type, sizeof c->type, "%s", md_col_text(s, 1));
		t = md_change_type(c->type);
		c->name = t ? t->name : NULL;
		c->count = sqlite3_column_int(s, 2);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		md_stats_changes_release(out);
		return md_store_fail(ctx->store, err, _("counting the changes"));
	}
	if (out->n > 1)
		qsort(out->v, (size_t)out->n, sizeof *out->v, count_cmp);
	for (int i = 0; i < out->n; i++)
		if (!out->v[i].name)
			out->v[i].name = out->v[i].type;
	return MD_OK;
}

void md_stats_changes_release(struct md_stats_changes *c)
{
	free(c->v);
	memset(c, 0, sizeof *c);
}

/* ---- the table ------------------------------------------------------------- */

/* A count as shown; returns 1 when it is suppressed. */
static int cell(int n, int min_cell, char buf[16])
{
	if (n > 0 && n < min_cell) {
		snprintf(buf, 16, "*");
		return 1;
	}
	snprintf(buf, 16, "%d", n);
	return 0;
}

/* A total: shown only when none of its parts is suppressed. */
static int total_cell(int n, int parts_suppressed, int min_cell, char buf[16])
{
	if (parts_suppressed) {
		snprintf(buf, 16, "*");
		return 1;
	}
	return cell(n, min_cell, buf);
}

struct sums {
	int m, f;
	int m_sup, f_sup;     /* some male (female) part is suppressed */
};

/* One row of male, female and total; adds to the sums. Returns the "*" shown. */
static int pop_row(struct md_table *t, const char *group, const char *item, int m, int f, int min_cell,
                   struct sums *acc)
{
	char cm[16], cf[16], ct[16];
	const char *row[6] = { _("population"), group, item, cm, cf, ct };
	int sm = cell(m, min_cell, cm), sf = cell(f, min_cell, cf);
	int st = total_cell(m + f, sm || sf, min_cell, ct);

	md_table_add(t, row);
	if (acc) {
		acc->m += m;
		acc->f += f;
		acc->m_sup |= sm;
		acc->f_sup |= sf;
	}
	return sm + sf + st;
}

/* The totals of some rows: male, female, and both. */
static int total_row(struct md_table *t, const char *group, const char *item, const struct sums *s,
                     int min_cell)
{
	char cm[16], cf[16], ct[16];
	const char *row[6] = { _("population"), group, item, cm, cf, ct };
	int n = total_cell(s->m, s->m_sup, min_cell, cm);

	n += total_cell(s->f, s->f_sup, min_cell, cf);
	n += total_cell(s->m + s->f, s->m_sup || s->f_sup, min_cell, ct);
	md_table_add(t, row);
	return n;
}

int md_stats_table(const struct md_stats_pop *pop, const struct md_stats_changes *ch, int min_cell,
                   struct md_table *t)
{
	static const char *const cols[] = { N_("statistic"), N_("district or month"),
	                                    N_("age band or change"), N_("male"), N_("female"),
	                                    N_("total") };
	const char *tcols[6];
	int suppressed = 0;

	if (min_cell < 1)
		min_cell = 1;
	for (int i = 0; i < 6; i++)
		tcols[i] = _(cols[i]);
	md_table_init(t, 6, tcols);

	if (pop) {
		struct sums all = { 0, 0, 0, 0 };
		int any = 0;
		for (int i = 0; i < pop->n; i++) {
			const struct md_stats_district *d = &pop->d[i];
			struct sums dist = { 0, 0, 0, 0 };
			int rows = 0;
			for (int b = 0; b < MD_STATS_BANDS; b++) {
				char band[16];
				if (d->male[b] + d->female[b] == 0)
					continue;
				md_stats_band_label(b, band, sizeof band);
				suppressed += pop_row(t, d->name, band, d->male[b], d->female[b], min_cell, &dist);
				rows++;
			}
			if (!rows)
				continue;
			suppressed += total_row(t, d->name, _("total"), &dist, min_cell);
			all.m += dist.m;
			all.f += dist.f;
			all.m_sup |= dist.m_sup;
			all.f_sup |= dist.f_sup;
			any = 1;
		}
		if (any)
			suppressed += total_row(t, _("all districts"), _("total"), &all, min_cell);
		if (pop->unknown_male + pop->unknown_female > 0)
			suppressed += pop_row(t, _("all districts"), _("age unknown"), pop->unknown_male,
			                      pop->unknown_female, min_cell, NULL);
	}
	if (ch) {
		for (int i = 0; i < ch->n; i++) {
			char c[16];
			const char *row[6] = { _("changes"), ch->v[i].month, ch->v[i].name, "", "", c };
			suppressed += cell(ch->v[i].count, min_cell, c);
			md_table_add(t, row);
		}
	}
	return suppressed;
}
