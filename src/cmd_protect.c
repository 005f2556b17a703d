/* cmd_protect.c: the commands of 抑止 (suppression) and 支援措置 (support
 * measures): setting, releasing and ending them (support.c does the
 * writing), and the lists supervisors read, each with its audit entry. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "audit.h"
#include "cmd_impl.h"
#include "ctx.h"
#include "i18n.h"
#include "protect.h"
#include "result.h"
#include "store.h"
#include "support.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

#define ARG(k) md_args_get(args, (k))

/* ---- helpers -------------------------------------------------------------- */

/* A positive number argument; 0 (with err set) when it is not one, and 0
 * without an error when it is absent and not required. */
static const char *wareki(const char *iso, char *buf, size_t n)
{
	struct md_date d;
	if (md_date_from_iso(iso, &d) != 0)
		snprintf(buf, n, "%s", iso);
	else
		md_date_format_wareki(&d, buf, n);
	return buf;
}

/* Local time of an ISO UTC timestamp (timeutil.h). */
static void local_time(const char *iso, char *buf, size_t n)
{
	md_time_local_text(iso, 0, buf, n);
}

static int audit_one(struct md_ctx *ctx, const char *function, long long person, const char *action,
                     const char *outcome, const char *detail, struct md_error *err)
{
	char subject[24];
	struct md_audit_rec r = { NULL, function, person > 0 ? subject : NULL, action, outcome, detail, 0 };
	snprintf(subject, sizeof subject, "%lld", person);
	return md_audit(ctx, &r, err);
}

static void copy_cols(const char *const *cols, const char **out, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = _(cols[i]);
}

/* ---- 抑止 ----------------------------------------------------------------- */

static const struct md_arg_spec suppression_set_args[] = {
	{ "person", MD_ARG_OPT, 0, N_("宛名番号 of the person (or give household)") },
	{ "household", MD_ARG_OPT, 0, N_("世帯番号 of the household (or give person)") },
	{ "operation", MD_ARG_OPT, 1, N_("what is suppressed: change, certificate or lookup") },
	{ "mode", MD_ARG_OPT, 1, N_("mode: error (the operation is blocked) or alert (it needs acknowledgement)") },
	{ "from", MD_ARG_OPT, 0, N_("first day (default today): 令和7年4月1日, R7.4.1 or 2025-04-01") },
	{ "to", MD_ARG_OPT, 0, N_("last day (default: until it is ended)") },
	{ "reason", MD_ARG_OPT, 1, N_("why (shown to the clerk and kept in the audit log)") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec suppression_end_args[] = {
	{ "id", MD_ARG_POS, 1, N_("suppression number") },
	{ "reason", MD_ARG_OPT, 1, N_("why it is ended (kept in the audit log)") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec suppression_release_args[] = {
	{ "id", MD_ARG_POS, 1, N_("suppression number") },
	{ "minutes", MD_ARG_OPT, 1, N_("minutes until it applies again by itself (1 to 480)") },
	{ "reason", MD_ARG_OPT, 0, N_("why it is released (kept in the audit log)") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec suppression_list_args[] = {
	{ "person", MD_ARG_OPT, 0, N_("宛名番号: the suppressions that apply to this person") },
	{ "household", MD_ARG_OPT, 0, N_("世帯番号: the suppressions of this household and its members") },
	{ NULL, 0, 0, NULL }
};

static MD_HANDLER(cmd_suppression_set)
{
	struct md_suppression_in in;
	long long id = 0;
	int rc;

	memset(&in, 0, sizeof in);
	in.person_id = md_args_number(args, "person", NULL, 0, err);
	if (err->code)
		return err->code;
	in.household_id = md_args_number(args, "household", NULL, 0, err);
	if (err->code)
		return err->code;
	in.operation = ARG("operation");
	in.mode = ARG("mode");
	in.from = ARG("from");
	in.to = ARG("to");
	in.reason = ARG("reason");
	if ((rc = md_suppression_set(ctx, &in, &id, err)) != MD_OK)
		return rc;
	if (in.person_id > 0)
		md_result_message(res, _("suppression %lld set on person %lld: %s, %s"), id, in.person_id,
		                  in.operation, in.mode);
	else
		md_result_message(res, _("suppression %lld set on household %lld: %s, %s"), id,
		                  in.household_id, in.operation, in.mode);
	return MD_OK;
}

static MD_HANDLER(cmd_suppression_end)
{
	long long id = md_args_number(args, "id", NULL, 1, err);
	int rc;

	if (!id)
		return err->code;
	if ((rc = md_suppression_end(ctx, id, ARG("reason"), err)) != MD_OK)
		return rc;
	md_result_message(res, _("suppression %lld ended"), id);
	return MD_OK;
}

static MD_HANDLER(cmd_suppression_release)
{
	long long id = md_args_number(args, "id", NULL, 1, err);
	const char *m = ARG("minutes");
	char until[24], *end = NULL;
	long minutes;
	int rc;

	if (!id)
		return err->code;
	minutes = m ? strtol(m, &end, 10) : 0;
	if (!m || !*m || *end || minutes < 1 || minutes > 480)
		return md_error_set(err, MD_E_INVALID, "minutes",
		                    _("minutes must be a whole number from 1 to 480 (8 hours), not \"%s\""),
		                    m ? m : "");
	if ((rc = md_suppression_release(ctx, id, (int)minutes, ARG("reason"), until, err)) != MD_OK)
		return rc;
	md_result_message(res, _("suppression %lld released (一時解除) until %s: it applies again by itself"),
	                  id, until);
	return MD_OK;
}

static MD_HANDLER(cmd_suppression_list)
{
	static const char by_person[] =
		"SELECT id, coalesce(person_id, 0), coalesce(household_id, 0), operation, mode, start_date, "
		"coalesce(end_date, ''), reason, coalesce(released_until, ''), ended_at IS NOT NULL "
		"FROM suppressions WHERE person_id = ?1 "
		"OR household_id = (SELECT household_id FROM persons WHERE id = ?1) ORDER BY id DESC";
	static const char by_household[] =
		"SELECT id, coalesce(person_id, 0), coalesce(household_id, 0), operation, mode, start_date, "
		"coalesce(end_date, ''), reason, coalesce(released_until, ''), ended_at IS NOT NULL "
		"FROM suppressions WHERE household_id = ?1 "
		"OR person_id IN (SELECT id FROM persons WHERE household_id = ?1) ORDER BY id DESC";
	static const char active[] =
		"SELECT id, coalesce(person_id, 0), coalesce(household_id, 0), operation, mode, start_date, "
		"coalesce(end_date, ''), reason, coalesce(released_until, ''), ended_at IS NOT NULL "
		"FROM suppressions WHERE ended_at IS NULL AND (end_date IS NULL OR end_date >= ?1) "
		"ORDER BY id DESC";
	static const char *const cols[] = { N_("id"), N_("person"), N_("household"), N_("operation"),
	                                    N_("mode"), N_("from"), N_("to"), N_("reason"), N_("state") };
	const char *tcols[9];
	long long person = md_args_number(args, "person", NULL, 0, err), household;
	char d[11], now[32], detail[96];
	sqlite3_stmt *s;
	int n = 0;

	if (err->code)
		return err->code;
	household = md_args_number(args, "household", NULL, 0, err);
	if (err->code)
		return err->code;
	if (person > 0 && household > 0)
		return md_error_set(err, MD_E_INVALID, "person", _("give a person or a household, not both"));
	/* One person's suppressions are what a clerk must know before acting;
	 * lists beyond one person are for those who manage them. */
	if (person <= 0 && !md_auth_can(ctx, "support.manage")) {
		struct md_error e2;
		md_error_set(err, MD_E_DENIED, "person",
		             _("permission denied: listing the suppressions of a household or of everyone "
		               "needs the permission support.manage; give person to see one person's"));
		audit_one(ctx, "suppression.list", 0, household > 0 ? "household" : "all", "denied", err->msg,
		          &e2);
		return MD_E_DENIED;
	}

	md_date_local(md_time_now(), d, sizeof d);
	md_time_iso(md_time_now(), now, sizeof now);
	copy_cols(cols, tcols, 9);
	md_table_init(&res->table, 9, tcols);
	if (!(s = md_store_stmt(ctx->store, person > 0 ? by_person : household > 0 ? by_household : active,
	                        err)))
		return MD_E_DB;
	if (person > 0)
		sqlite3_bind_int64(s, 1, person);
	else if (household > 0)
		sqlite3_bind_int64(s, 1, household);
	else
		md_bind_text(s, 1, d);
	while (sqlite3_step(s) == SQLITE_ROW) {
		char id[24], p[24], h[24], state[96];
		const char *start = md_col_text(s, 5), *end = md_col_text(s, 6), *rel = md_col_text(s, 8);
		const char *row[9] = { id, p, h, md_col_text(s, 3), md_col_text(s, 4), start, end,
		                       md_col_text(s, 7), state };
		snprintf(id, sizeof id, "%lld", (long long)sqlite3_column_int64(s, 0));
		snprintf(p, sizeof p, "%s", "");
		snprintf(h, sizeof h, "%s", "");
		if (sqlite3_column_int64(s, 1) > 0)
			snprintf(p, sizeof p, "%lld", (long long)sqlite3_column_int64(s, 1));
		if (sqlite3_column_int64(s, 2) > 0)
			snprintf(h, sizeof h, "%lld", (long long)sqlite3_column_int64(s, 2));
		if (sqlite3_column_int(s, 9))
			snprintf(state, sizeof state, "%s", _("ended"));
		else if (*end && strcmp(end, d) < 0)
			snprintf(state, sizeof state, "%s", _("expired"));
		else if (strcmp(start, d) > 0)
			snprintf(state, sizeof state, "%s", _("not yet in force"));
		else if (*rel && strcmp(rel, now) > 0) {
			char t[32];
			local_time(rel, t, sizeof t);
			snprintf(state, sizeof state, _("released until %s"), t);
		} else
			snprintf(state, sizeof state, "%s", _("in force"));
		md_table_add(&res->table, row);
		n++;
	}
	sqlite3_reset(s);
	if (person > 0)
		snprintf(detail, sizeof detail, "person=%lld rows=%d", person, n);
	else if (household > 0)
		snprintf(detail, sizeof detail, "household=%lld rows=%d", household, n);
	else
		snprintf(detail, sizeof detail, "active rows=%d", n);
	if (audit_one(ctx, "suppression.list", person, "list", "ok", detail, err) != MD_OK)
		return err->code;
	if (n == 0)
		md_result_message(res, "%s", _("no suppressions"));
	return MD_OK;
}

/* ---- 支援措置 ------------------------------------------------------------- */

static const struct md_arg_spec support_set_args[] = {
	{ "person", MD_ARG_OPT, 1, N_("宛名番号 of the person to protect") },
	{ "provisional", MD_ARG_FLAG, 0, N_("a provisional measure (仮支援措置) while the request is examined") },
	{ "from", MD_ARG_OPT, 0, N_("first day of the measure (default today); it runs one year") },
	{ "to", MD_ARG_OPT, 0, N_("last day of a provisional measure (default: one month)") },
	{ "contact", MD_ARG_OPT, 0, N_("連絡先: how to reach the applicant") },
	{ "applicant_situation", MD_ARG_OPT, 0, N_("申出者の状況: DV, stalking, abuse, ...") },
	{ "protect_inspection", MD_ARG_OPT, 0, N_("1/0: restrict inspection (閲覧) of the current address (default 1)") },
	{ "protect_copy", MD_ARG_OPT, 0, N_("1/0: restrict copies of the 住民票 (default 1)") },
	{ "protect_removed_copy", MD_ARG_OPT, 0, N_("1/0: restrict copies of removed records (除票) at previous addresses (default 1)") },
	{ "previous_addresses", MD_ARG_OPT, 0, N_("前住所等: the previous addresses concerned") },
	{ "protect_koseki_fuhyo", MD_ARG_OPT, 0, N_("1/0: restrict copies of the 戸籍の附票 (current 本籍) (default 0)") },
	{ "protect_prev_fuhyo", MD_ARG_OPT, 0, N_("1/0: restrict copies of the 附票 of previous 本籍 (default 0)") },
	{ "previous_honseki", MD_ARG_OPT, 0, N_("前本籍等: the previous 本籍 concerned") },
	{ "protect_fixed_asset", MD_ARG_OPT, 0, N_("1/0: restrict the fixed-asset tax ledger (固定資産課税台帳) (default 0)") },
	{ "fixed_asset_municipality", MD_ARG_OPT, 0, N_("municipality where the fixed assets are") },
	{ "other", MD_ARG_OPT, 0, N_("その他: other protections requested") },
	{ "forwarded_to", MD_ARG_OPT, 0, N_("転送先市区町村名: municipality the request was forwarded to") },
	{ "forwarded_on", MD_ARG_OPT, 0, N_("転送年月日: date it was forwarded") },
	{ "forwarded_duties", MD_ARG_OPT, 0, N_("the duties forwarded") },
	{ "forwarded_received_on", MD_ARG_OPT, 0, N_("date a forwarded request was received") },
	{ "original_municipality", MD_ARG_OPT, 0, N_("当初受付市区町村: municipality that first received the request") },
	{ "offender", MD_ARG_OPT, 0, N_("加害者: who must never receive copies") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec support_confirm_args[] = {
	{ "id", MD_ARG_POS, 1, N_("support measure number") },
	{ "from", MD_ARG_OPT, 0, N_("first day of the measure (default today); it runs one year") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec support_id_args[] = {
	{ "id", MD_ARG_POS, 1, N_("support measure number") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec support_end_args[] = {
	{ "id", MD_ARG_POS, 1, N_("support measure number") },
	{ "reason", MD_ARG_OPT, 1, N_("why the measure ends (kept with the measure)") },
	{ "no_need_notified_on", MD_ARG_OPT, 0, N_("date the person said the measure is no longer needed") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec support_show_args[] = {
	{ "id", MD_ARG_POS, 0, N_("support measure number (or give person)") },
	{ "person", MD_ARG_OPT, 0, N_("宛名番号: the person's current (or latest) measure") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec support_list_args[] = { { NULL, 0, 0, NULL } };
static const struct md_arg_spec support_attempts_args[] = {
	{ "days", MD_ARG_OPT, 0, N_("how many days back (default 30)") },
	{ "person", MD_ARG_OPT, 0, N_("宛名番号: only the attempts on this person") },
	{ NULL, 0, 0, NULL }
};

static void measure_message(struct md_result *res, const char *what, long long person,
                            const struct md_support_out *o)
{
	char a[MD_DATE_TEXT_MAX], b[MD_DATE_TEXT_MAX];
	if (strcmp(o->status, "provisional") == 0)
		md_result_message(res, _("%s: provisional support measure (仮支援措置) %lld for person %lld, "
		                         "%s to %s"), what, o->id, person, wareki(o->start, a, sizeof a),
		                  wareki(o->end, b, sizeof b));
	else
		md_result_message(res, _("%s: support measure %lld for person %lld, %s to %s"), what, o->id,
		                  person, wareki(o->start, a, sizeof a), wareki(o->end, b, sizeof b));
}

static MD_HANDLER(cmd_support_set)
{
	long long person = md_args_number(args, "person", NULL, 1, err);
	const char *prov = ARG("provisional");
	struct md_support_out o;
	int rc;

	if (!person)
		return err->code;
	rc = md_support_set(ctx, person, prov && *prov && strcmp(prov, "0") != 0, ARG("from"), ARG("to"),
	                    args, &o, err);
	if (rc != MD_OK)
		return rc;
	measure_message(res, _("set"), person, &o);
	return MD_OK;
}

static long long measure_person(struct md_ctx *ctx, long long id)
{
	static const char sql[] = "SELECT person_id FROM support_measures WHERE id = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
	long long p = 0;
	if (!s)
		return 0;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW)
		p = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return p;
}

static MD_HANDLER(cmd_support_confirm)
{
	long long id = md_args_number(args, "id", NULL, 1, err);
	struct md_support_out o;
	int rc;

	if (!id)
		return err->code;
	if ((rc = md_support_confirm(ctx, id, ARG("from"), &o, err)) != MD_OK)
		return rc;
	measure_message(res, _("confirmed"), measure_person(ctx, id), &o);
	return MD_OK;
}

static MD_HANDLER(cmd_support_extend)
{
	long long id = md_args_number(args, "id", NULL, 1, err);
	struct md_support_out o;
	int rc;

	if (!id)
		return err->code;
	if ((rc = md_support_extend(ctx, id, &o, err)) != MD_OK)
		return rc;
	measure_message(res, _("extended"), measure_person(ctx, id), &o);
	return MD_OK;
}

static MD_HANDLER(cmd_support_end)
{
	long long id = md_args_number(args, "id", NULL, 1, err);
	int rc;

	if (!id)
		return err->code;
	if ((rc = md_support_end(ctx, id, ARG("reason"), ARG("no_need_notified_on"), err)) != MD_OK)
		return rc;
	md_result_message(res, _("support measure %lld ended"), id);
	return MD_OK;
}

static void show_row(struct md_result *res, const char *item, const char *value)
{
	const char *row[2] = { item, value };
	md_table_add(&res->table, row);
}

static void show_date(struct md_result *res, const char *item, const char *iso)
{
	char buf[MD_DATE_TEXT_MAX];
	show_row(res, item, *iso ? wareki(iso, buf, sizeof buf) : "");
}

static MD_HANDLER(cmd_support_show)
{
	/* The columns after the first 18 follow md_support_items() order. */
	static const char sql[] =
		"SELECT m.id, m.person_id, m.status, coalesce(m.start_date, ''), coalesce(m.end_date, ''), "
		"m.provisional, coalesce(m.provisional_start, ''), coalesce(m.provisional_end, ''), "
		"coalesce(m.no_need_notified_on, ''), m.set_by, m.set_at, coalesce(m.updated_by, ''), "
		"coalesce(m.updated_at, ''), coalesce(m.ended_by, ''), coalesce(m.ended_at, ''), "
		"coalesce(m.end_reason, ''), coalesce(p.surname || ' ' || p.given_name, ''), '', "
		"m.contact, m.applicant_situation, m.protect_inspection, m.protect_copy, "
		"m.protect_removed_copy, m.previous_addresses, m.protect_koseki_fuhyo, m.protect_prev_fuhyo, "
		"m.previous_honseki, m.protect_fixed_asset, m.fixed_asset_municipality, m.other, "
		"m.forwarded_to, m.forwarded_on, m.forwarded_duties, m.forwarded_received_on, "
		"m.original_municipality, m.offender "
		"FROM support_measures m LEFT JOIN persons p ON p.id = m.person_id WHERE m.id = ?1";
	static const char latest[] =
		"SELECT id FROM support_measures WHERE person_id = ?1 ORDER BY status = 'ended', id DESC LIMIT 1";
	static const char *const cols[] = { N_("item"), N_("value") };
	const char *tcols[2];
	const struct md_sm_item *items = md_support_items();
	long long id = md_args_number(args, "id", NULL, 0, err), person, pid;
	char buf[64], detail[64];
	sqlite3_stmt *s;
	int rc = MD_OK;

	if (err->code)
		return err->code;
	person = md_args_number(args, "person", NULL, 0, err);
	if (err->code)
		return err->code;
	if (!id && !person)
		return md_error_set(err, MD_E_INVALID, "id", _("give a support measure number or a person"));
	if (!id) {
		if (!(s = md_store_stmt(ctx->store, latest, err)))
			return MD_E_DB;
		sqlite3_bind_int64(s, 1, person);
		if (sqlite3_step(s) == SQLITE_ROW)
			id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		if (!id)
			return md_error_set(err, MD_E_NOTFOUND, "person",
			                    _("person %lld has no support measure"), person);
	}
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return md_error_set(err, MD_E_NOTFOUND, "id", _("no support measure number %lld"), id);
	}
	copy_cols(cols, tcols, 2);
	md_table_init(&res->table, 2, tcols);
	pid = sqlite3_column_int64(s, 1);
	snprintf(buf, sizeof buf, "%lld", (long long)sqlite3_column_int64(s, 0));
	show_row(res, "支援措置番号", buf);
	snprintf(buf, sizeof buf, "%lld", pid);
	show_row(res, "宛名番号", buf);
	show_row(res, "氏名", md_col_text(s, 16));
	show_row(res, "状態", md_col_text(s, 2));
	show_date(res, "支援措置開始日", md_col_text(s, 3));
	show_date(res, "支援措置終了日", md_col_text(s, 4));
	show_row(res, "仮支援措置の有無", sqlite3_column_int(s, 5) ? _("yes") : _("no"));
	show_date(res, "仮支援措置開始日", md_col_text(s, 6));
	show_date(res, "仮支援措置終了日", md_col_text(s, 7));
	for (int i = 0; items[i].column; i++) {
		int col = 18 + i;
		if (items[i].kind == MD_SM_FLAG)
			show_row(res, items[i].label, sqlite3_column_int(s, col) ? _("restricted") : _("not restricted"));
		else if (items[i].kind == MD_SM_DATE)
			show_date(res, items[i].label, md_col_text(s, col));
		else
			show_row(res, items[i].label, md_col_text(s, col));
	}
	show_date(res, "支援措置不要の申出日", md_col_text(s, 8));
	show_row(res, "設定者", md_col_text(s, 9));
	show_row(res, "設定日時", md_col_text(s, 10));
	show_row(res, "更新者", md_col_text(s, 11));
	show_row(res, "更新日時", md_col_text(s, 12));
	show_row(res, "終了処理者", md_col_text(s, 13));
	show_row(res, "終了日時", md_col_text(s, 14));
	show_row(res, "終了理由", md_col_text(s, 15));
	sqlite3_reset(s);
	snprintf(detail, sizeof detail, "measure=%lld", id);
	if (audit_one(ctx, "support.show", pid, "view", "ok", detail, err) != MD_OK)
		rc = err->code;
	return rc;
}

static MD_HANDLER(cmd_support_list)
{
	static const char sql[] =
		"SELECT m.id, m.person_id, coalesce(p.surname || ' ' || p.given_name, ''), m.status, "
		"coalesce(m.start_date, m.provisional_start, ''), coalesce(m.end_date, m.provisional_end, '') "
		"FROM support_measures m LEFT JOIN persons p ON p.id = m.person_id "
		"WHERE m.status <> 'ended' "
		"ORDER BY coalesce(m.end_date, m.provisional_end, '9999-12-31'), m.id";
	static const char *const cols[] = { N_("id"), N_("person"), N_("name"), N_("status"), N_("from"),
	                                    N_("to"), N_("state") };
	const char *tcols[7];
	char d[11], detail[64];
	sqlite3_stmt *s;
	int n = 0, expiring = 0;

	md_date_local(md_time_now(), d, sizeof d);
	copy_cols(cols, tcols, 7);
	md_table_init(&res->table, 7, tcols);
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	while (sqlite3_step(s) == SQLITE_ROW) {
		char id[24], p[24], state[128], first[11];
		const char *status = md_col_text(s, 3), *start = md_col_text(s, 4), *end = md_col_text(s, 5);
		/* The kind in words: a provisional measure (仮支援措置) or a measure. */
		const char *kind = strcmp(status, "provisional") == 0 ? _("provisional (仮支援措置)")
		                                                      : _("measure (支援措置)");
		const char *row[7] = { id, p, md_col_text(s, 2), kind, start, end, state };
		snprintf(id, sizeof id, "%lld", (long long)sqlite3_column_int64(s, 0));
		snprintf(p, sizeof p, "%lld", (long long)sqlite3_column_int64(s, 1));
		if (*end && strcmp(end, d) < 0)
			snprintf(state, sizeof state, "%s", _("lapsed: end it or set a new measure"));
		else if (*start && strcmp(start, d) > 0)
			snprintf(state, sizeof state, "%s", _("not yet in force"));
		else if (strcmp(status, "provisional") == 0)
			snprintf(state, sizeof state, "%s", _("under examination"));
		else if (*end && md_support_extend_from(end, first) == 0 && strcmp(d, first) >= 0) {
			snprintf(state, sizeof state, "%s", _("ends within a month: can be extended"));
			expiring++;
		} else
			snprintf(state, sizeof state, "%s", _("in force"));
		md_table_add(&res->table, row);
		n++;
	}
	sqlite3_reset(s);
	snprintf(detail, sizeof detail, "rows=%d expiring=%d", n, expiring);
	if (audit_one(ctx, "support.list", 0, "list", "ok", detail, err) != MD_OK)
		return err->code;
	if (n == 0)
		md_result_message(res, "%s", _("no support measures in force"));
	else if (expiring)
		md_result_message(res, P_("%d measure ends within a month and can be extended now",
		                          "%d measures end within a month and can be extended now", expiring),
		                  expiring);
	return MD_OK;
}

static MD_HANDLER(cmd_support_attempts)
{
	static const char sql[] =
		"SELECT at, user_id, terminal, person_id, measure_id, operation, outcome, coalesce(detail, '') "
		"FROM support_attempts WHERE at >= ?1 AND (?2 = 0 OR person_id = ?2) "
		"ORDER BY at DESC, id DESC";
	static const char *const cols[] = { N_("time"), N_("user"), N_("terminal"), N_("person"),
	                                    N_("measure"), N_("operation"), N_("outcome"), N_("detail") };
	const char *tcols[8];
	const char *dv = ARG("days");
	long long person = md_args_number(args, "person", NULL, 0, err);
	long days = 30;
	char since[32], detail[96], *end = NULL;
	sqlite3_stmt *s;
	int n = 0;

	if (err->code)
		return err->code;
	if (dv && *dv) {
		days = strtol(dv, &end, 10);
		if (*end || days < 1 || days > 3650)
			return md_error_set(err, MD_E_INVALID, "days",
			                    _("days must be a whole number from 1 to 3650, not \"%s\""), dv);
	}
	md_time_iso(md_time_now() - (time_t)days * 86400, since, sizeof since);
	copy_cols(cols, tcols, 8);
	md_table_init(&res->table, 8, tcols);
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	md_bind_text(s, 1, since);
	sqlite3_bind_int64(s, 2, person);
	while (sqlite3_step(s) == SQLITE_ROW) {
		char at[32], p[24], m[24];
		const char *row[8] = { at, md_col_text(s, 1), md_col_text(s, 2), p, m, md_col_text(s, 5),
		                       md_col_text(s, 6), md_col_text(s, 7) };
		local_time(md_col_text(s, 0), at, sizeof at);
		snprintf(p, sizeof p, "%lld", (long long)sqlite3_column_int64(s, 3));
		snprintf(m, sizeof m, "%lld", (long long)sqlite3_column_int64(s, 4));
		md_table_add(&res->table, row);
		n++;
	}
	sqlite3_reset(s);
	snprintf(detail, sizeof detail, "days=%ld person=%lld rows=%d", days, person, n);
	if (audit_one(ctx, "support.attempts", person, "list", "ok", detail, err) != MD_OK)
		return err->code;
	if (n == 0)
		md_result_message(res, P_("no attempts in the last %ld day", "no attempts in the last %ld days",
		                          days), days);
	return MD_OK;
}

const struct md_cmd_entry md_cmds_protect[] = {
	{ "suppression.set", "suppression set", "support.manage", 0, suppression_set_args,
	  cmd_suppression_set, N_("set a 抑止 on a person or household (blocks or alerts an operation)") },
	{ "suppression.end", "suppression end", "support.manage", 0, suppression_end_args,
	  cmd_suppression_end, N_("end a 抑止") },
	{ "suppression.release", "suppression release", "support.manage", 0, suppression_release_args,
	  cmd_suppression_release, N_("release a 抑止 for some minutes (一時解除); it applies again by itself") },
	{ "suppression.list", "suppression list", "resident.lookup", 0, suppression_list_args,
	  cmd_suppression_list, N_("list the 抑止 of a person, of a household, or all in force") },
	{ "support.set", "support set", "support.manage", 0, support_set_args, cmd_support_set,
	  N_("set a 支援措置 (or a provisional one) for a person") },
	{ "support.confirm", "support confirm", "support.manage", 0, support_confirm_args,
	  cmd_support_confirm, N_("turn a provisional 支援措置 into a measure of one year") },
	{ "support.extend", "support extend", "support.manage", 0, support_id_args, cmd_support_extend,
	  N_("extend a 支援措置 by one year (from one month before it ends)") },
	{ "support.end", "support end", "support.manage", 0, support_end_args, cmd_support_end,
	  N_("end a 支援措置") },
	{ "support.show", "support show", "support.view", 0, support_show_args, cmd_support_show,
	  N_("show the items of a 支援措置") },
	{ "support.list", "support list", "support.view", 0, support_list_args, cmd_support_list,
	  N_("list the 支援措置 in force, marking those ending within a month") },
	{ "support.attempts", "support attempts", "support.view", 0, support_attempts_args,
	  cmd_support_attempts, N_("list the recorded access attempts on protected persons, newest first") },
	{ NULL, NULL, NULL, 0, NULL, NULL, NULL }
};
