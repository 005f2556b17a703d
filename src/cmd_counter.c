/* cmd_counter.c: the commands of the counter transaction (窓口受付) and of
 * identity verification (本人確認): counter.c does the work; these parse the
 * arguments, shape the results and audit the lists. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "audit.h"
#include "cmd_impl.h"
#include "codes.h"
#include "counter.h"
#include "ctx.h"
#include "i18n.h"
#include "result.h"
#include "store.h"
#include "timeutil.h"
#include "xalloc.h"

#define ARG(k) md_args_get(args, (k))

/* ---- helpers -------------------------------------------------------------- */

/* A positive number argument; 0 with err set when it is not one, 0 without
 * an error when it is absent and not required. */
/* A flag: given and not "0". */
static int flag(const struct md_args *args, const char *key)
{
	const char *v = md_args_get(args, key);
	return v && *v && strcmp(v, "0") != 0;
}

/* Local time of an ISO UTC timestamp (timeutil.h). */
static void local_time(const char *iso, char *buf, size_t n)
{
	md_time_local_text(iso, 0, buf, n);
}

static int audit_list(struct md_ctx *ctx, const char *function, long long person, const char *action,
                      const char *outcome, const char *detail, struct md_error *err)
{
	char subject[24];
	struct md_audit_rec r = { NULL, function, person > 0 ? subject : NULL, action, outcome, detail, 0 };
	snprintf(subject, sizeof subject, "%lld", person);
	return md_audit(ctx, &r, err);
}

static void table_init(struct md_result *res, const char *const *cols, int n)
{
	const char *t[16];
	for (int i = 0; i < n && i < 16; i++)
		t[i] = _(cols[i]);
	md_table_init(&res->table, n, t);
}

/* The names of comma-separated document codes, "、"-separated. */
static void document_names(const char *codes, char *buf, size_t n)
{
	const struct md_tsv *t = md_counter_documents(NULL);
	char tmp[1024], *tok, *save = NULL;

	buf[0] = '\0';
	snprintf(tmp, sizeof tmp, "%s", codes);
	for (tok = strtok_r(tmp, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int r = t ? md_tsv_find(t, "code", tok) : -1;
		size_t len = strlen(buf);
		snprintf(buf + len, n - len, "%s%s", len ? "、" : "", r >= 0 ? md_tsv_get(t, r, "name") : tok);
	}
}

static const char *method_text(const char *method)
{
	if (strcmp(method, "photo_id") == 0)
		return _("one photo ID");
	if (strcmp(method, "two_documents") == 0)
		return _("two documents");
	if (strcmp(method, "questioning") == 0)
		return _("questioning (聞き取り)");
	return method;
}

static const char *status_text(const char *status)
{
	if (strcmp(status, "open") == 0)
		return _("open");
	if (strcmp(status, "verified") == 0)
		return _("verified");
	if (strcmp(status, "closed") == 0)
		return _("closed");
	if (strcmp(status, "cancelled") == 0)
		return _("cancelled");
	return status;
}

/* ---- arguments ------------------------------------------------------------ */

static const struct md_arg_spec open_args[] = {
	{ "request", MD_ARG_POS, 1, N_("what is requested: certificate, notification, seal or other") },
	{ "memo", MD_ARG_OPT, 0, N_("what was asked, in a few words") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec verify_args[] = {
	{ "transaction", MD_ARG_POS, 1, N_("counter transaction number") },
	{ "category", MD_ARG_OPT, 1, N_("who asks: self, household, agent, third_party, official or "
	                                "professional (本人, 同一世帯員, 代理人, 第三者, 公用, 職務上請求)") },
	{ "applicant_name", MD_ARG_OPT, 1, N_("name of the person at the counter, as on the documents") },
	{ "documents", MD_ARG_OPT, 0, N_("documents presented: comma-separated codes of data/documents.tsv "
	                                 "(driver_license, health_insurance, ...)") },
	{ "photo_matched", MD_ARG_FLAG, 0, N_("the photo on the document matches the applicant") },
	{ "letter_of_authority", MD_ARG_FLAG, 0, N_("a 委任状 (letter of authority) was presented (agents)") },
	{ "purpose", MD_ARG_OPT, 0, N_("purpose of the request (third parties; professionals with their "
	                               "registration number)") },
	{ "questioning", MD_ARG_FLAG, 0, N_("identity by questioning (聞き取り) when the documents are not "
	                                    "enough: recorded as not verified") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec subject_args[] = {
	{ "transaction", MD_ARG_POS, 1, N_("counter transaction number") },
	{ "person", MD_ARG_OPT, 1, N_("宛名番号 of the person the request is about") },
	{ "applicant_person", MD_ARG_OPT, 0, N_("宛名番号 of the applicant (required for 本人 and 同一世帯員)") },
	{ "ack", MD_ARG_FLAG, 0, N_("acknowledge an alert (抑止 or 支援措置) and continue") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec mynumber_args[] = {
	{ "transaction", MD_ARG_POS, 1, N_("counter transaction number") },
	{ "mynumber", MD_ARG_SECRET, 1, N_("個人番号 given by the applicant") },
	{ "name", MD_ARG_OPT, 1, N_("氏名 as on the card (個人番号カード or 通知カード)") },
	{ "birth_date", MD_ARG_OPT, 1, N_("生年月日 as on the card") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec tx_args[] = {
	{ "transaction", MD_ARG_POS, 1, N_("counter transaction number") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec cancel_args[] = {
	{ "transaction", MD_ARG_POS, 1, N_("counter transaction number") },
	{ "reason", MD_ARG_OPT, 0, N_("why it is cancelled") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec today_args[] = {
	{ "all", MD_ARG_FLAG, 0, N_("every terminal's transactions (needs report.view)") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec letters_args[] = {
	{ "pending", MD_ARG_FLAG, 0, N_("only the letters not yet printed") },
	{ NULL, 0, 0, NULL }
};

/* ---- the steps ------------------------------------------------------------ */

static MD_HANDLER(cmd_counter_open)
{
	static const char *const cols[] = { N_("transaction"), N_("request"), N_("terminal") };
	const char *request = ARG("request");
	long long id;
	char ids[24];
	int rc;

	if ((rc = md_counter_open(ctx, request, ARG("memo"), &id, err)) != MD_OK)
		return rc;
	snprintf(ids, sizeof ids, "%lld", id);
	table_init(res, cols, 3);
	{
		const char *row[3] = { ids, request, ctx->cfg.terminal_id };
		md_table_add(&res->table, row);
	}
	{
		/* The request in words: 証明書の交付, 届出, 印鑑登録, その他. */
		const char *what = strcmp(request, "certificate") == 0    ? _("certificate (証明書の交付)")
		                   : strcmp(request, "notification") == 0 ? _("notification (届出)")
		                   : strcmp(request, "seal") == 0         ? _("seal registration (印鑑登録)")
		                                                          : _("other request");
		md_result_message(res, _("counter transaction %lld opened (%s): verify the applicant's identity next"),
		                  id, what);
	}
	return MD_OK;
}

static MD_HANDLER(cmd_counter_verify)
{
	static const char *const cols[] = { N_("verification"), N_("category"), N_("method"),
	                                    N_("outcome"), N_("documents") };
	struct md_counter_verify_in in;
	struct md_counter_verify_out out;
	long long id = md_args_number(args, "transaction", NULL, 1, err);
	char vid[24];
	int rc;

	if (!id)
		return err->code;
	memset(&in, 0, sizeof in);
	in.category = ARG("category");
	in.applicant_name = ARG("applicant_name");
	in.documents = ARG("documents");
	in.photo_matched = flag(args, "photo_matched");
	in.letter_of_authority = flag(args, "letter_of_authority");
	in.purpose = ARG("purpose");
	in.questioning = flag(args, "questioning");
	if ((rc = md_counter_verify(ctx, id, &in, &out, err)) != MD_OK)
		return rc;
	snprintf(vid, sizeof vid, "%lld", out.verification);
	table_init(res, cols, 5);
	{
		const char *row[5] = { vid, md_counter_category_term(out.category), out.m.method, out.m.outcome,
		                       out.m.names };
		md_table_add(&res->table, row);
	}
	if (strcmp(out.m.outcome, "verified") == 0)
		md_result_message(res, _("counter transaction %lld: %s verified by %s (%s)"), id,
		                  md_counter_category_term(out.category), method_text(out.m.method),
		                  out.m.names);
	else
		md_result_message(res, _("counter transaction %lld: %s recorded by questioning (聞き取り): "
		                         "identity not verified, so later steps are limited"),
		                  id, md_counter_category_term(out.category));
	return MD_OK;
}

static MD_HANDLER(cmd_counter_subject)
{
	long long id = md_args_number(args, "transaction", NULL, 1, err), person, applicant;
	char *name = NULL;
	int rc;

	if (!id)
		return err->code;
	if (!(person = md_args_number(args, "person", NULL, 1, err)))
		return err->code;
	applicant = md_args_number(args, "applicant_person", NULL, 0, err);
	if (err->code)
		return err->code;
	if ((rc = md_counter_set_subject(ctx, id, person, applicant, flag(args, "ack"), &name, err)) != MD_OK)
		return rc;
	md_result_message(res, _("counter transaction %lld: subject 宛名番号 %lld (%s)"), id, person, name);
	free(name);
	return MD_OK;
}

static MD_HANDLER(cmd_counter_mynumber_check)
{
	long long id = md_args_number(args, "transaction", NULL, 1, err);
	int rc;

	if (!id)
		return err->code;
	if ((rc = md_counter_mynumber_check(ctx, id, ARG("mynumber"), ARG("name"), ARG("birth_date"), err)) != MD_OK)
		return rc;
	md_result_message(res, _("counter transaction %lld: 番号確認: the number, name and date of birth match the registry"), id);
	return MD_OK;
}

static MD_HANDLER(cmd_counter_close)
{
	static const char *const cols[] = { N_("transaction"), N_("fee"), N_("letter") };
	struct md_counter_close_out out;
	long long id = md_args_number(args, "transaction", NULL, 1, err);
	char ids[24], fee[24], letter[24];
	int rc;

	if (!id)
		return err->code;
	if ((rc = md_counter_close(ctx, id, &out, err)) != MD_OK)
		return rc;
	snprintf(ids, sizeof ids, "%lld", id);
	snprintf(fee, sizeof fee, "%d", out.fee_total);
	if (out.letter)
		snprintf(letter, sizeof letter, "%lld", out.letter);
	else
		letter[0] = '\0';
	table_init(res, cols, 3);
	{
		const char *row[3] = { ids, fee, letter };
		md_table_add(&res->table, row);
	}
	if (out.letter)
		md_result_message(res, _("counter transaction %lld closed: fee %d yen; 確認通知 %lld will be "
		                         "sent to the registered address"), id, out.fee_total, out.letter);
	else
		md_result_message(res, _("counter transaction %lld closed: fee %d yen"), id, out.fee_total);
	return MD_OK;
}

static MD_HANDLER(cmd_counter_cancel)
{
	long long id = md_args_number(args, "transaction", NULL, 1, err);
	int rc;

	if (!id)
		return err->code;
	if ((rc = md_counter_cancel(ctx, id, ARG("reason"), err)) != MD_OK)
		return rc;
	md_result_message(res, _("counter transaction %lld cancelled"), id);
	return MD_OK;
}

/* ---- views ---------------------------------------------------------------- */

static void add_item(struct md_result *res, const char *item, const char *value)
{
	const char *row[2] = { item, value };
	md_table_add(&res->table, row);
}

static MD_HANDLER(cmd_counter_show)
{
	static const char tx_sql[] =
		"SELECT t.id, t.request, t.status, t.opened_at, t.opened_by, t.terminal, coalesce(t.memo, ''), "
		"coalesce(t.applicant_category, ''), coalesce(t.applicant_name, ''), coalesce(t.purpose, ''), "
		"t.letter_of_authority, coalesce(t.applicant_person, 0), coalesce(t.subject_person, 0), "
		"t.fee_total, coalesce(t.closed_at, ''), coalesce(t.closed_by, ''), "
		"coalesce(t.cancel_reason, ''), "
		"(SELECT count(*) FROM verifications v WHERE v.transaction_id = t.id), "
		"(SELECT id FROM confirmation_letters l WHERE l.transaction_id = t.id) "
		"FROM counter_transactions t WHERE t.id = ?1";
	static const char ver_sql[] =
		"SELECT id, method, outcome, documents, photo_matched, coalesce(mynumber_check, ''), clerk, at "
		"FROM verifications WHERE transaction_id = ?1 ORDER BY id DESC LIMIT 1";
	static const char *const cols[] = { N_("item"), N_("value") };
	long long id = md_args_number(args, "transaction", NULL, 1, err), subject;
	char buf[1100], when[32];
	sqlite3_stmt *s;
	int rc;

	if (!id)
		return err->code;
	if (!(s = md_store_stmt(ctx->store, tx_sql, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return md_store_fail(ctx->store, err, "counter_transactions");
		return md_error_set(err, MD_E_NOTFOUND, "transaction", _("no counter transaction %lld"), id);
	}
	subject = sqlite3_column_int64(s, 12);
	/* Another terminal's transactions are for those who read the reports. */
	if (strcmp(md_col_text(s, 5), ctx->cfg.terminal_id) != 0 && !md_auth_can(ctx, "report.view")) {
		struct md_error e2;
		md_error_set(err, MD_E_DENIED, "transaction",
		             _("permission denied: counter transaction %lld is of terminal %s; another "
		               "terminal's transactions need the permission report.view"), id,
		             md_col_text(s, 5));
		sqlite3_reset(s);
		snprintf(buf, sizeof buf, "transaction %lld", id);
		audit_list(ctx, "counter.show", subject, "view", "denied", buf, &e2);
		return MD_E_DENIED;
	}
	table_init(res, cols, 2);
	snprintf(buf, sizeof buf, "%lld", id);
	add_item(res, _("transaction"), buf);
	add_item(res, _("request"), md_col_text(s, 1));
	add_item(res, _("status"), status_text(md_col_text(s, 2)));
	local_time(md_col_text(s, 3), when, sizeof when);
	add_item(res, _("opened"), when);
	add_item(res, _("clerk"), md_col_text(s, 4));
	add_item(res, _("terminal"), md_col_text(s, 5));
	add_item(res, _("memo"), md_col_text(s, 6));
	add_item(res, _("category"), md_counter_category_term(md_col_text(s, 7)));
	add_item(res, _("applicant name"), md_col_text(s, 8));
	add_item(res, _("purpose"), md_col_text(s, 9));
	add_item(res, _("委任状"), sqlite3_column_int(s, 10) ? _("presented") : "");
	if (sqlite3_column_int64(s, 11) > 0)
		snprintf(buf, sizeof buf, "%lld", (long long)sqlite3_column_int64(s, 11));
	else
		buf[0] = '\0';
	add_item(res, _("applicant 宛名番号"), buf);
	if (subject > 0)
		snprintf(buf, sizeof buf, "%lld", subject);
	else
		buf[0] = '\0';
	add_item(res, _("subject 宛名番号"), buf);
	snprintf(buf, sizeof buf, "%d", sqlite3_column_int(s, 13));
	add_item(res, _("fee (yen)"), buf);
	if (*md_col_text(s, 14)) {
		local_time(md_col_text(s, 14), when, sizeof when);
		snprintf(buf, sizeof buf, "%s %s", when, md_col_text(s, 15));
	} else {
		buf[0] = '\0';
	}
	add_item(res, _("closed"), buf);
	add_item(res, _("cancel reason"), md_col_text(s, 16));
	snprintf(buf, sizeof buf, "%d", sqlite3_column_int(s, 17));
	add_item(res, _("verifications"), buf);
	if (sqlite3_column_type(s, 18) != SQLITE_NULL)
		snprintf(buf, sizeof buf, "%lld", (long long)sqlite3_column_int64(s, 18));
	else
		buf[0] = '\0';
	add_item(res, _("確認通知"), buf);
	sqlite3_reset(s);

	if (!(s = md_store_stmt(ctx->store, ver_sql, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		const char *mn = md_col_text(s, 5);
		add_item(res, _("method"), method_text(md_col_text(s, 1)));
		add_item(res, _("outcome"), strcmp(md_col_text(s, 2), "verified") == 0 ? _("verified")
		                                                                       : _("not verified"));
		document_names(md_col_text(s, 3), buf, sizeof buf);
		add_item(res, _("documents"), buf);
		add_item(res, _("photo matched"), sqlite3_column_int(s, 4) ? _("yes") : _("no"));
		add_item(res, _("番号確認"), strcmp(mn, "match") == 0      ? _("match")
		                             : strcmp(mn, "mismatch") == 0 ? _("mismatch")
		                                                           : "");
		add_item(res, _("verified by"), md_col_text(s, 6));
		local_time(md_col_text(s, 7), when, sizeof when);
		add_item(res, _("verified at"), when);
	}
	sqlite3_reset(s);
	snprintf(buf, sizeof buf, "transaction %lld", id);
	if ((rc = audit_list(ctx, "counter.show", subject, "view", "ok", buf, err)) != MD_OK)
		return rc;
	md_result_message(res, _("counter transaction %lld"), id);
	return MD_OK;
}

static MD_HANDLER(cmd_counter_today)
{
	static const char sql[] =
		"SELECT t.id, t.opened_at, t.terminal, t.opened_by, t.request, "
		"coalesce(t.applicant_category, ''), "
		"coalesce((SELECT v.method || ' ' || v.outcome FROM verifications v "
		"          WHERE v.transaction_id = t.id ORDER BY v.id DESC LIMIT 1), ''), "
		"coalesce(t.subject_person, 0), t.status, t.fee_total "
		"FROM counter_transactions t "
		"WHERE t.opened_at >= ?1 AND date(t.opened_at, 'localtime') = ?2 AND (?3 OR t.terminal = ?4) "
		"ORDER BY t.id";
	static const char *const cols[] = { N_("transaction"), N_("time"), N_("terminal"), N_("clerk"),
	                                    N_("request"), N_("category"), N_("verification"),
	                                    N_("subject"), N_("status"), N_("fee") };
	int all = flag(args, "all"), n = 0;
	long long fees = 0;
	char today[11], since[32], detail[96];
	sqlite3_stmt *s;
	int rc;

	if (all && !md_auth_can(ctx, "report.view")) {
		struct md_error e2;
		md_error_set(err, MD_E_DENIED, "all",
		             _("permission denied: every terminal's transactions need the permission "
		               "report.view; without all, this terminal's are shown"));
		audit_list(ctx, "counter.today", 0, "list", "denied", "all terminals", &e2);
		return MD_E_DENIED;
	}
	md_date_local(md_time_now(), today, sizeof today);
	/* A bound for the index: local today lies within the last two UTC days. */
	md_time_iso(md_time_now() - 2 * 86400, since, sizeof since);
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	md_bind_text(s, 1, since);
	md_bind_text(s, 2, today);
	sqlite3_bind_int(s, 3, all);
	md_bind_text(s, 4, ctx->cfg.terminal_id);
	table_init(res, cols, 10);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char id[24], when[32], subj[24], fee[24];
		const char *row[10];
		long long sp = sqlite3_column_int64(s, 7);
		snprintf(id, sizeof id, "%lld", (long long)sqlite3_column_int64(s, 0));
		local_time(md_col_text(s, 1), when, sizeof when);
		if (sp > 0)
			snprintf(subj, sizeof subj, "%lld", sp);
		else
			subj[0] = '\0';
		snprintf(fee, sizeof fee, "%d", sqlite3_column_int(s, 9));
		fees += sqlite3_column_int(s, 9);
		row[0] = id;
		row[1] = when + (strlen(when) > 11 ? 11 : 0);   /* HH:MM */
		row[2] = md_col_text(s, 2);
		row[3] = md_col_text(s, 3);
		row[4] = md_col_text(s, 4);
		row[5] = md_counter_category_term(md_col_text(s, 5));
		row[6] = md_col_text(s, 6);
		row[7] = subj;
		row[8] = status_text(md_col_text(s, 8));
		row[9] = fee;
		md_table_add(&res->table, row);
		n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, "counter_transactions");
	snprintf(detail, sizeof detail, "%s: %d transactions", all ? "all terminals" : ctx->cfg.terminal_id, n);
	if ((rc = audit_list(ctx, "counter.today", 0, "list", "ok", detail, err)) != MD_OK)
		return rc;
	md_result_message(res, P_("%d counter transaction today, fees %lld yen",
	                          "%d counter transactions today, fees %lld yen", n), n, fees);
	return MD_OK;
}

static MD_HANDLER(cmd_counter_letters)
{
	static const char sql[] =
		"SELECT id, transaction_id, person_id, name, coalesce(postal_code, ''), address, reason, "
		"created_at, coalesce(printed_at, '') FROM confirmation_letters "
		"WHERE (?1 = 0 OR printed_at IS NULL) ORDER BY id";
	static const char *const cols[] = { N_("letter"), N_("transaction"), N_("person"), N_("name"),
	                                    N_("postal code"), N_("address"), N_("reason"), N_("created"),
	                                    N_("printed") };
	int pending = flag(args, "pending"), n = 0, rc;
	char detail[64];
	sqlite3_stmt *s;

	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	sqlite3_bind_int(s, 1, pending);
	table_init(res, cols, 9);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char id[24], tx[24], person[24], created[32], printed[32];
		const char *row[9] = { id, tx, person, md_col_text(s, 3), md_col_text(s, 4), md_col_text(s, 5),
		                       md_col_text(s, 6), created, printed };
		snprintf(id, sizeof id, "%lld", (long long)sqlite3_column_int64(s, 0));
		snprintf(tx, sizeof tx, "%lld", (long long)sqlite3_column_int64(s, 1));
		snprintf(person, sizeof person, "%lld", (long long)sqlite3_column_int64(s, 2));
		local_time(md_col_text(s, 7), created, sizeof created);
		local_time(md_col_text(s, 8), printed, sizeof printed);
		md_table_add(&res->table, row);
		n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, "confirmation_letters");
	snprintf(detail, sizeof detail, "%s: %d letters", pending ? "pending" : "all", n);
	if ((rc = audit_list(ctx, "counter.letters", 0, "list", "ok", detail, err)) != MD_OK)
		return rc;
	md_result_message(res, P_("%d 確認通知", "%d 確認通知", n), n);
	return MD_OK;
}

const struct md_cmd_entry md_cmds_counter[] = {
	{ "counter.open", "counter open", "counter.reception", 0, open_args, cmd_counter_open,
	  N_("open a counter transaction (reception): what is requested") },
	{ "counter.verify", "counter verify", "counter.reception", 0, verify_args, cmd_counter_verify,
	  N_("record the identity verification (本人確認) of the applicant") },
	{ "counter.subject", "counter subject", "counter.reception", 0, subject_args, cmd_counter_subject,
	  N_("set the person the request is about, after the verification") },
	{ "counter.mynumber_check", "counter mynumber-check", "counter.reception", 0, mynumber_args,
	  cmd_counter_mynumber_check, N_("番号確認: compare the 個人番号 given with the registry") },
	{ "counter.close", "counter close", "counter.reception", 0, tx_args, cmd_counter_close,
	  N_("close a counter transaction: fee collected, documents handed over") },
	{ "counter.cancel", "counter cancel", "counter.reception", 0, cancel_args, cmd_counter_cancel,
	  N_("cancel a counter transaction that has no fees") },
	{ "counter.show", "counter show", "counter.reception", 0, tx_args, cmd_counter_show,
	  N_("show a counter transaction: its state, verification and fee") },
	{ "counter.today", "counter today", "counter.reception", 0, today_args, cmd_counter_today,
	  N_("today's counter transactions of this terminal (all: every terminal)") },
	{ "counter.letters", "counter letters", "report.view", 0, letters_args, cmd_counter_letters,
	  N_("確認通知 letters to send (identity not confirmed on a notification)") },
	{ NULL, NULL, NULL, 0, NULL, NULL, NULL }
};
