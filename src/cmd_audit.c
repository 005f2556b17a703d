/* cmd_audit.c: the audit review commands (監査ログの確認): audit search,
 * audit checks, audit check KIND, audit review ENTRY. Reading the log is
 * itself logged (function audit, action search or check). `audit verify`
 * stays in the core table (cmd_account.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "auditreview.h"
#include "cmd_impl.h"
#include "ctx.h"
#include "i18n.h"
#include "result.h"
#include "timeutil.h"
#include "xalloc.h"

#define ARG(k) md_args_get(args, (k))

/* With no range, a check looks at the last 7 days (today and 6 before). */
#define CHECK_DAYS_DEFAULT 7

static const struct md_arg_spec search_args[] = {
	{ "by", MD_ARG_OPT, 0, N_("user ID whose entries to show") },
	{ "subject", MD_ARG_OPT, 0, N_("宛名番号 (or the user ID an account action concerned)") },
	{ "function", MD_ARG_OPT, 0, N_("function, e.g. resident.view, login, cert.issue") },
	{ "outcome", MD_ARG_OPT, 0, N_("outcome: ok, denied, failed or error") },
	{ "from", MD_ARG_OPT, 0, N_("from date or date-time, local (2026-11-22 or 2026-11-22 08:30)") },
	{ "to", MD_ARG_OPT, 0, N_("to date or date-time (a date alone includes the whole day)") },
	{ "unreviewed", MD_ARG_FLAG, 0, N_("only entries nobody has marked reviewed") },
	{ "page", MD_ARG_OPT, 0, N_("page, 1 = the newest (default 1)") },
	{ "limit", MD_ARG_OPT, 0, N_("entries a page, 1 to 500 (default 50)") },
	{ NULL, 0, 0, NULL }
};

static const struct md_arg_spec check_args[] = {
	{ "kind", MD_ARG_POS, 1,
	  N_("check: off-hours, volume, no-transaction, mynumber, protected or logins") },
	{ "by", MD_ARG_OPT, 0, N_("user ID whose entries to show") },
	{ "subject", MD_ARG_OPT, 0, N_("宛名番号 (or the user ID an account action concerned)") },
	{ "from", MD_ARG_OPT, 0, N_("from date or date-time, local (default: 6 days before today)") },
	{ "to", MD_ARG_OPT, 0, N_("to date or date-time (a date alone includes the whole day)") },
	{ "unreviewed", MD_ARG_FLAG, 0, N_("only findings nobody has marked reviewed") },
	{ "page", MD_ARG_OPT, 0, N_("page, 1 = the newest (default 1)") },
	{ "limit", MD_ARG_OPT, 0, N_("findings a page, 1 to 500 (default 50)") },
	{ NULL, 0, 0, NULL }
};

static const struct md_arg_spec review_args[] = {
	{ "entry", MD_ARG_POS, 1, N_("number of the audit log entry") },
	{ "comment", MD_ARG_OPT, 1, N_("comment: what was found out") },
	{ NULL, 0, 0, NULL }
};

static const struct md_arg_spec no_args[] = { { NULL, 0, 0, NULL } };

static int flag(const struct md_args *args, const char *key)
{
	const char *v = md_args_get(args, key);
	return v && *v && strcmp(v, "0") != 0;
}

/* The filters common to search and check. */
static int read_query(const struct md_args *args, struct md_audit_query *q, struct md_error *err)
{
	long long n;
	int rc;

	md_audit_query_init(q);
	q->user = ARG("by");
	q->subject = ARG("subject");
	q->function = ARG("function");
	q->outcome = ARG("outcome");
	q->unreviewed = flag(args, "unreviewed");
	if ((rc = md_audit_time_bound("from", ARG("from"), 0, q->from, err)) != MD_OK)
		return rc;
	if ((rc = md_audit_time_bound("to", ARG("to"), 1, q->to, err)) != MD_OK)
		return rc;
	n = md_args_number(args, "page", NULL, 0, err);
	if (err->code)
		return err->code;
	if (n)
		q->page = n > 1000000 ? 1000000 : (int)n;
	n = md_args_number(args, "limit", NULL, 0, err);
	if (err->code)
		return err->code;
	if (n > MD_AUDIT_LIMIT_MAX)
		return md_error_set(err, MD_E_INVALID, "limit", _("limit must be from 1 to %d"),
		                    MD_AUDIT_LIMIT_MAX);
	if (n)
		q->limit = (int)n;
	return MD_OK;
}

/* What was asked, for the audit entry of reading the log; total < 0: not
 * counted (a search). */
static char *describe(const char *what, const struct md_audit_query *q, long shown, long total)
{
	char counted[32] = "";
	if (total >= 0)
		snprintf(counted, sizeof counted, " total=%ld", total);
	return xasprintf("%s user=%s subject=%s function=%s outcome=%s from=%s to=%s%s page=%d shown=%ld%s",
	                 what, q->user ? q->user : "", q->subject ? q->subject : "",
	                 q->function ? q->function : "", q->outcome ? q->outcome : "", q->from, q->to,
	                 q->unreviewed ? " unreviewed" : "", q->page, shown, counted);
}

static int log_reading(struct md_ctx *ctx, const char *action, const struct md_audit_query *q,
                       char *detail, struct md_error *err)
{
	struct md_audit_rec r = { NULL, "audit", q->subject && *q->subject ? q->subject : NULL, action, "ok",
	                          detail, 0 };
	int rc = md_audit(ctx, &r, err);
	free(detail);
	return rc;
}

static MD_HANDLER(cmd_audit_search)
{
	struct md_audit_query q;
	int more = 0, rc;

	if ((rc = read_query(args, &q, err)) != MD_OK)
		return rc;
	if ((rc = md_audit_search(ctx, &q, &res->table, &more, err)) != MD_OK)
		return rc;
	rc = log_reading(ctx, "search", &q, describe("search", &q, res->table.nrows, -1), err);
	if (rc != MD_OK) {
		md_table_release(&res->table);
		return rc;
	}
	if (res->table.nrows == 0)
		md_result_message(res, "%s", _("no entries match"));
	else if (more)
		md_result_message(res, _("page %d: %d entries, newest first; more on page %d"), q.page,
		                  res->table.nrows, q.page + 1);
	else
		md_result_message(res, _("page %d: %d entries, newest first"), q.page, res->table.nrows);
	return MD_OK;
}

static MD_HANDLER(cmd_audit_check)
{
	struct md_audit_query q;
	const char *kind = ARG("kind");
	int c = md_audit_check_find(kind), rc;
	long total = 0;
	char *what;

	if (c < 0)
		return md_error_set(err, MD_E_INVALID, "kind",
		                    _("unknown check \"%s\": use off-hours, volume, no-transaction, mynumber, protected or logins"),
		                    kind);
	if ((rc = read_query(args, &q, err)) != MD_OK)
		return rc;
	if (q.function && *q.function)
		return md_error_set(err, MD_E_INVALID, "function", "%s",
		                    _("a check chooses its own functions: use audit search to filter by function"));
	q.function = NULL;
	q.outcome = NULL;
	if (!q.from[0]) {
		/* local midnight, CHECK_DAYS_DEFAULT - 1 days ago */
		time_t now = md_time_now(), start;
		struct tm tm;
		localtime_r(&now, &tm);
		tm.tm_mday -= CHECK_DAYS_DEFAULT - 1;
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		tm.tm_isdst = -1;
		start = mktime(&tm);
		md_time_iso(start, q.from, sizeof q.from);
	}
	if ((rc = md_audit_check(ctx, (enum md_audit_check)c, &q, &res->table, &total, err)) != MD_OK)
		return rc;
	what = xasprintf("check %s", kind);
	rc = log_reading(ctx, "check", &q, describe(what, &q, res->table.nrows, total), err);
	free(what);
	if (rc != MD_OK) {
		md_table_release(&res->table);
		return rc;
	}
	if (total == 0)
		md_result_message(res, _("%s: no findings"), _(md_audit_check_def(c)->title));
	else
		md_result_message(res, _("%s: %ld findings, newest first (page %d shows %d)"),
		                  _(md_audit_check_def(c)->title), total, q.page, res->table.nrows);
	return MD_OK;
}

static MD_HANDLER(cmd_audit_checks)
{
	static const char *const cols[] = { "kind", "check", "description" };
	md_table_init(&res->table, 3, cols);
	for (int c = 0; c < MD_CHECK_COUNT; c++) {
		const struct md_audit_check_def *d = md_audit_check_def(c);
		const char *row[3] = { d->name, _(d->title), _(d->help) };
		md_table_add(&res->table, row);
	}
	return MD_OK;
}

static MD_HANDLER(cmd_audit_review)
{
	long long entry = md_args_number(args, "entry", _("entry"), 1, err);
	int rc;

	if (!entry)
		return err->code ? err->code : MD_E_INVALID;
	if ((rc = md_audit_review(ctx, entry, ARG("comment"), err)) != MD_OK)
		return rc;
	md_result_message(res, _("entry %lld marked reviewed"), entry);
	return MD_OK;
}

const struct md_cmd_entry md_cmds_audit[] = {
	{ "audit.search", "audit search", "audit.review", 0, search_args, cmd_audit_search,
	  N_("search the audit log, newest first") },
	{ "audit.checks", "audit checks", "audit.review", 0, no_args, cmd_audit_checks,
	  N_("list the ready-made checks of the audit log") },
	{ "audit.check", "audit check", "audit.review", 0, check_args, cmd_audit_check,
	  N_("run a ready-made check of the audit log") },
	{ "audit.review", "audit review", "audit.review", 0, review_args, cmd_audit_review,
	  N_("mark an audit log entry reviewed, with a comment") },
	{ NULL, NULL, NULL, 0, NULL, NULL, NULL }
};
