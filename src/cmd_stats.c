/* cmd_stats.c: the statistics command (統計): population by district, sex
 * and age band, and monthly counts of each change type, with small counts
 * suppressed (stats.c). */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "cmd_impl.h"
#include "ctx.h"
#include "i18n.h"
#include "result.h"
#include "stats.h"
#include "support.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

#define ARG(k) md_args_get(args, (k))

/* The longest span of months the change counts cover. */
#define MONTHS_MAX 120

static const struct md_arg_spec stats_args[] = {
	{ "kind", MD_ARG_OPT, 0, N_("population or changes (default both)") },
	{ "as_of", MD_ARG_OPT, 0, N_("date of the population count (default today)") },
	{ "from", MD_ARG_OPT, 0, N_("first month of the change counts, e.g. 2026-04 or R8.4 (default 11 months before to)") },
	{ "to", MD_ARG_OPT, 0, N_("last month of the change counts (default the month of as_of)") },
	{ NULL, 0, 0, NULL }
};

/* A month as typed (2026-04, R8.4, 令和8年4月, or a full date) as YYYY-MM. */
static int month_arg(const char *field, const char *v, int *y, int *m, struct md_error *err)
{
	struct md_date d;
	struct md_error e;
	int used = 0;

	if (strlen(v) == 7 && sscanf(v, "%4d-%2d%n", y, m, &used) == 2 && used == 7 && v[4] == '-' &&
	    *y >= MD_DATE_MIN_YEAR && *m >= 1 && *m <= 12)
		return MD_OK;
	if (md_date_parse(v, &d, &e) == MD_OK &&
	    (d.prec == MD_DATE_FULL || d.prec == MD_DATE_DAY_UNKNOWN)) {
		*y = d.y;
		*m = d.m;
		return MD_OK;
	}
	return md_error_set(err, MD_E_INVALID, field,
	                    _("%s must be a month such as 2026-04, R8.4 or 令和8年4月, not \"%s\""), field, v);
}

static MD_HANDLER(cmd_stats)
{
	const char *kind = ARG("kind"), *as_of_v = ARG("as_of"), *from_v = ARG("from"), *to_v = ARG("to");
	struct md_stats_pop pop;
	struct md_stats_changes ch;
	char as_of[11], from[8], to[8], *detail;
	int want_pop = 1, want_ch = 1, fy, fm, ty, tm, rc, suppressed;
	struct md_audit_rec r = { NULL, "stats", NULL, NULL, "ok", NULL, 0 };

	memset(&pop, 0, sizeof pop);
	memset(&ch, 0, sizeof ch);
	if (kind && *kind) {
		if (strcmp(kind, "population") == 0)
			want_ch = 0;
		else if (strcmp(kind, "changes") == 0)
			want_pop = 0;
		else
			return md_error_set(err, MD_E_INVALID, "kind",
			                    _("kind must be population or changes (or left out for both), not \"%s\""),
			                    kind);
	}
	if (as_of_v && *as_of_v) {
		if ((rc = md_support_date("as_of", as_of_v, as_of, err)) != MD_OK)
			return rc;
	} else {
		md_date_local(md_time_now(), as_of, sizeof as_of);
	}
	if (to_v && *to_v) {
		if ((rc = month_arg("to", to_v, &ty, &tm, err)) != MD_OK)
			return rc;
	} else if (sscanf(as_of, "%4d-%2d", &ty, &tm) != 2) {
		return md_error_set(err, MD_E_INVALID, "as_of", _("not a date: \"%s\""), as_of);
	}
	if (from_v && *from_v) {
		if ((rc = month_arg("from", from_v, &fy, &fm, err)) != MD_OK)
			return rc;
	} else {
		int idx = ty * 12 + tm - 1 - 11;
		fy = idx / 12;
		fm = idx % 12 + 1;
	}
	if (fy * 12 + fm > ty * 12 + tm)
		return md_error_set(err, MD_E_INVALID, "from", _("from (%04d-%02d) is after to (%04d-%02d)"),
		                    fy, fm, ty, tm);
	if (ty * 12 + tm - (fy * 12 + fm) >= MONTHS_MAX)
		return md_error_set(err, MD_E_INVALID, "from",
		                    _("the change counts cover at most %d months"), MONTHS_MAX);
	snprintf(from, sizeof from, "%04u-%02u", (unsigned)fy % 10000u, (unsigned)fm % 100u);
	snprintf(to, sizeof to, "%04u-%02u", (unsigned)ty % 10000u, (unsigned)tm % 100u);

	if (want_pop && (rc = md_stats_population(ctx, as_of, &pop, err)) != MD_OK)
		return rc;
	if (want_ch && (rc = md_stats_changes(ctx, from, to, &ch, err)) != MD_OK) {
		md_stats_pop_release(&pop);
		return rc;
	}
	suppressed = md_stats_table(want_pop ? &pop : NULL, want_ch ? &ch : NULL, ctx->cfg.stats_min_cell,
	                            &res->table);
	md_stats_pop_release(&pop);
	md_stats_changes_release(&ch);

	r.action = want_pop && want_ch ? "population,changes" : want_pop ? "population" : "changes";
	detail = xasprintf("as_of=%s months=%s..%s min_cell=%d suppressed=%d", as_of, from, to,
	                   ctx->cfg.stats_min_cell, suppressed);
	r.detail = detail;
	rc = md_audit(ctx, &r, err);
	free(detail);
	if (rc != MD_OK) {
		md_table_release(&res->table);
		return rc;
	}
	if (suppressed)
		md_result_message(res, _("counts under %d are shown as * so that no one can be identified; "
		                         "so are the totals that would reveal them"), ctx->cfg.stats_min_cell);
	else if (res->table.nrows == 0)
		md_result_message(res, "%s", _("nothing to count"));
	return MD_OK;
}

const struct md_cmd_entry md_cmds_stats[] = {
	{ "stats", "stats", "report.view", 0, stats_args, cmd_stats,
	  N_("statistics: population by district, sex and age band; monthly counts of each change type") },
	{ NULL, NULL, NULL, 0, NULL, NULL, NULL }
};
