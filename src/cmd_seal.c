/* cmd_seal.c: the commands of seal registration (印鑑登録): register,
 * answer (the 照会書 came back), cancel (廃止), show a person's seals, and
 * the list of applications waiting for an answer. The rules are in seal.c;
 * here are the arguments, the result tables and the audit entries of the
 * views. */
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
#include "seal.h"
#include "store.h"
#include "timeutil.h"
#include "wareki.h"

#define ARG(k) md_args_get(args, (k))

/* A positive number argument; 0 when absent (err set when required or not
 * a number). */
/* A stored date in the era (令和8年4月1日), or "" for none. */
static const char *era(const char *iso, char *buf, size_t n)
{
	struct md_date d;

	buf[0] = '\0';
	if (iso && *iso && md_date_from_iso(iso, &d) == 0)
		md_date_format_wareki(&d, buf, n);
	else if (iso)
		snprintf(buf, n, "%s", iso);
	return buf;
}

static void item(struct md_result *res, const char *label, const char *value)
{
	const char *row[2] = { label, value };
	md_table_add(&res->table, row);
}

/* The registration as item/value rows. */
static void seal_table(struct md_result *res, const struct md_seal *s)
{
	static const char *const cols[] = { N_("item"), N_("value") };
	const char *c[2] = { _(cols[0]), _(cols[1]) };
	char buf[64], num[32];

	md_table_init(&res->table, 2, c);
	snprintf(num, sizeof num, "%lld", s->id);
	item(res, "受付番号", num);
	snprintf(num, sizeof num, "%lld", s->person_id);
	item(res, "宛名番号", num);
	item(res, "status", s->status);
	item(res, "method", s->method);
	if (*s->card_no)
		item(res, "印鑑登録証", s->card_no);
	if (*s->registered_on)
		item(res, "登録年月日", era(s->registered_on, buf, sizeof buf));
	if (*s->inquiry_sent_on) {
		item(res, "照会書発送日", era(s->inquiry_sent_on, buf, sizeof buf));
		item(res, "回答期限", era(s->inquiry_answer_due, buf, sizeof buf));
	}
	if (*s->inquiry_answered_on)
		item(res, "回答日", era(s->inquiry_answered_on, buf, sizeof buf));
	if (*s->cancelled_on) {
		item(res, "廃止年月日", era(s->cancelled_on, buf, sizeof buf));
		item(res, "reason", s->cancel_reason);
	}
	item(res, "印影の氏名", s->name_on_seal);
	snprintf(buf, sizeof buf, "%.2f mm", s->mm);
	item(res, "印影の大きさ", buf);
}

/* ---- seal.register -------------------------------------------------------- */

static const struct md_arg_spec register_args[] = {
	{ "transaction", MD_ARG_POS, 1, N_("number of the counter transaction (verified, about the person)") },
	{ "person", MD_ARG_OPT, 1, N_("宛名番号 of the person registering the seal") },
	{ "method", MD_ARG_OPT, 1,
	  N_("photo_id (photo ID shown: registered at once), guarantor (保証人) or inquiry (照会書 mailed)") },
	{ "png", MD_ARG_OPT, 1, N_("PNG file of the scanned impression (at most 2 MB)") },
	{ "mm", MD_ARG_OPT, 0,
	  N_("size of the seal in mm, more than 8 and at most 25, e.g. 15.0 (default: from the PNG's "
	     "resolution)") },
	{ "name", MD_ARG_OPT, 1, N_("the name the seal shows: 氏名, 氏, 名, 旧氏 or 通称, or a part of them") },
	{ "guarantor", MD_ARG_OPT, 0, N_("宛名番号 of the guarantor (method guarantor)") },
	{ "memo", MD_ARG_OPT, 0, N_("メモ kept with the registration") },
	{ NULL, 0, 0, NULL }
};

static MD_HANDLER(cmd_seal_register)
{
	struct md_seal_request in;
	struct md_seal s;
	int rc;

	memset(&in, 0, sizeof in);
	in.transaction_id = md_args_number(args, "transaction", _("the counter transaction"), 1, err);
	if (err->code)
		return err->code;
	in.person_id = md_args_number(args, "person", "宛名番号", 1, err);
	if (err->code)
		return err->code;
	in.guarantor = md_args_number(args, "guarantor", _("the guarantor's 宛名番号"), 0, err);
	if (err->code)
		return err->code;
	in.method = ARG("method");
	in.png_path = ARG("png");
	in.mm = ARG("mm");
	in.name_on_seal = ARG("name");
	in.memo = ARG("memo");
	if ((rc = md_seal_register(ctx, &in, &s, err)) != MD_OK)
		return rc;
	seal_table(res, &s);
	if (strcmp(s.status, "registered") == 0) {
		md_result_message(res, _("seal registered for 宛名番号 %lld: 印鑑登録証 %s"), s.person_id, s.card_no);
		return MD_OK;
	}
	/* The 照会書: what the letter carries, for printing and mailing. */
	{
		struct md_seal_letter l;
		char buf[64];
		if ((rc = md_seal_letter(ctx, s.id, &l, err)) != MD_OK)
			return rc;
		md_result_line(res, "%s", "印鑑登録照会書");
		md_result_line(res, "〒%s %s", l.postal_code, l.address);
		md_result_line(res, "%s 様", l.name);
		md_result_line(res, "受付番号 %lld", l.seal_id);
		md_result_line(res, "申請日 %s", era(l.applied_on, buf, sizeof buf));
		md_result_line(res, "回答期限 %s", era(l.answer_due, buf, sizeof buf));
		md_result_message(res,
		                  _("seal application %lld is pending: mail the 照会書 to the registered address; "
		                    "the answer is due on %s"), s.id, era(l.answer_due, buf, sizeof buf));
	}
	return MD_OK;
}

/* ---- seal.answer ---------------------------------------------------------- */

static const struct md_arg_spec answer_args[] = {
	{ "id", MD_ARG_POS, 1, N_("受付番号 of the application (printed on the 照会書)") },
	{ "transaction", MD_ARG_OPT, 1, N_("number of the counter transaction in which the answer is brought") },
	{ NULL, 0, 0, NULL }
};

static MD_HANDLER(cmd_seal_answer)
{
	struct md_seal s;
	long long id = md_args_number(args, "id", "受付番号", 1, err), tx;
	int rc;

	if (err->code)
		return err->code;
	tx = md_args_number(args, "transaction", _("the counter transaction"), 1, err);
	if (err->code)
		return err->code;
	if ((rc = md_seal_answer(ctx, id, tx, &s, err)) != MD_OK)
		return rc;
	seal_table(res, &s);
	md_result_message(res, _("seal registered for 宛名番号 %lld: 印鑑登録証 %s"), s.person_id, s.card_no);
	return MD_OK;
}

/* ---- seal.cancel ---------------------------------------------------------- */

static const struct md_arg_spec cancel_args[] = {
	{ "card", MD_ARG_OPT, 0, N_("印鑑登録証 number (or give person)") },
	{ "person", MD_ARG_OPT, 0, N_("宛名番号 of the person (or give card)") },
	{ "reason", MD_ARG_OPT, 0, N_("request (廃止届, the default) or ex_officio (職権)") },
	{ "transaction", MD_ARG_OPT, 0, N_("number of the counter transaction (for a request)") },
	{ "memo", MD_ARG_OPT, 0, N_("why (required ex officio)") },
	{ NULL, 0, 0, NULL }
};

static MD_HANDLER(cmd_seal_cancel)
{
	struct md_seal s;
	long long person = md_args_number(args, "person", "宛名番号", 0, err), tx;
	int rc;

	if (err->code)
		return err->code;
	tx = md_args_number(args, "transaction", _("the counter transaction"), 0, err);
	if (err->code)
		return err->code;
	if ((rc = md_seal_cancel(ctx, ARG("card"), person, ARG("reason"), tx, ARG("memo"), &s, err)) != MD_OK)
		return rc;
	seal_table(res, &s);
	if (*s.card_no)
		md_result_message(res, _("seal registration of 宛名番号 %lld cancelled: 印鑑登録証 %s is no longer "
		                         "valid"), s.person_id, s.card_no);
	else
		md_result_message(res, _("seal application %lld of 宛名番号 %lld withdrawn"), s.id, s.person_id);
	return MD_OK;
}

/* ---- seal.show ------------------------------------------------------------ */

static const struct md_arg_spec show_args[] = {
	{ "person", MD_ARG_POS, 1, N_("宛名番号") },
	{ NULL, 0, 0, NULL }
};

static MD_HANDLER(cmd_seal_show)
{
	static const char exists_sql[] = "SELECT 1 FROM persons WHERE id = ?1";
	static const char sql[] =
		"SELECT id, status, method, coalesce(card_no, ''), applied_on, coalesce(registered_on, ''), "
		"coalesce(inquiry_answer_due, ''), coalesce(cancelled_on, ''), coalesce(cancel_reason, ''), "
		"name_on_seal, impression_mm FROM seals WHERE person_id = ?1 ORDER BY id DESC";
	static const char *const cols[] = { N_("id"), N_("status"), N_("method"), N_("card"), N_("applied"),
	                                    N_("registered"), N_("answer due"), N_("cancelled"), N_("reason"),
	                                    N_("name on seal"), N_("mm") };
	const char *c[11];
	long long person = md_args_number(args, "person", "宛名番号", 1, err);
	sqlite3_stmt *s;
	char detail[64], current[160] = "";
	int rc, n = 0;

	if (err->code)
		return err->code;
	if (!(s = md_store_stmt(ctx->store, exists_sql, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, person);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return md_error_set(err, MD_E_NOTFOUND, "person", _("there is no person with 宛名番号 %lld"), person);
	for (int i = 0; i < 11; i++)
		c[i] = _(cols[i]);
	md_table_init(&res->table, 11, c);
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, person);
	while (sqlite3_step(s) == SQLITE_ROW) {
		char id[24], b1[48], b2[48], b3[48], b4[48], mm[24];
		const char *row[11];
		snprintf(id, sizeof id, "%lld", sqlite3_column_int64(s, 0));
		snprintf(mm, sizeof mm, "%.2f", sqlite3_column_double(s, 10));
		row[0] = id;
		row[1] = md_col_text(s, 1);
		row[2] = md_col_text(s, 2);
		row[3] = md_col_text(s, 3);
		row[4] = era(md_col_text(s, 4), b1, sizeof b1);
		row[5] = era(md_col_text(s, 5), b2, sizeof b2);
		row[6] = strcmp(row[1], "pending") == 0 ? era(md_col_text(s, 6), b3, sizeof b3) : "";
		row[7] = era(md_col_text(s, 7), b4, sizeof b4);
		row[8] = md_col_text(s, 8);
		row[9] = md_col_text(s, 9);
		row[10] = mm;
		md_table_add(&res->table, row);
		if (!*current && strcmp(row[1], "registered") == 0)
			snprintf(current, sizeof current, _("印鑑登録証 %s, registered on %s"), row[3], row[5]);
		else if (!*current && strcmp(row[1], "pending") == 0)
			snprintf(current, sizeof current, _("application %s waiting for its answer until %s"), id,
			         row[6]);
		n++;
	}
	sqlite3_reset(s);
	snprintf(detail, sizeof detail, "rows=%d", n);
	{
		char subject[24];
		struct md_audit_rec r = { NULL, "seal.show", subject, "view", "ok", detail, 0 };
		snprintf(subject, sizeof subject, "%lld", person);
		if ((rc = md_audit(ctx, &r, err)) != MD_OK)
			return rc;
	}
	if (*current)
		md_result_message(res, _("宛名番号 %lld: %s"), person, current);
	else
		md_result_message(res, _("宛名番号 %lld has no registered seal"), person);
	return MD_OK;
}

/* ---- seal.pending --------------------------------------------------------- */

static MD_HANDLER(cmd_seal_pending)
{
	static const char sql[] =
		"SELECT s.id, s.person_id, p.surname || ' ' || p.given_name, s.inquiry_sent_on, "
		"s.inquiry_answer_due, s.inquiry_answer_due < ?1 FROM seals s JOIN persons p ON p.id = s.person_id "
		"WHERE s.status = 'pending' ORDER BY s.inquiry_answer_due, s.id";
	static const char *const cols[] = { N_("id"), N_("person"), N_("name"), N_("sent"), N_("answer due"),
	                                    N_("overdue") };
	const char *c[6];
	sqlite3_stmt *s;
	char day[11], detail[32];
	int n = 0, late = 0, rc;

	for (int i = 0; i < 6; i++)
		c[i] = _(cols[i]);
	md_table_init(&res->table, 6, c);
	md_date_local(md_time_now(), day, sizeof day);
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	md_bind_text(s, 1, day);
	while (sqlite3_step(s) == SQLITE_ROW) {
		char id[24], person[24], b1[48], b2[48];
		int overdue = sqlite3_column_int(s, 5);
		const char *row[6];
		snprintf(id, sizeof id, "%lld", sqlite3_column_int64(s, 0));
		snprintf(person, sizeof person, "%lld", sqlite3_column_int64(s, 1));
		row[0] = id;
		row[1] = person;
		row[2] = md_col_text(s, 2);
		row[3] = era(md_col_text(s, 3), b1, sizeof b1);
		row[4] = era(md_col_text(s, 4), b2, sizeof b2);
		row[5] = overdue ? _("overdue") : "";
		md_table_add(&res->table, row);
		n++;
		late += overdue;
	}
	sqlite3_reset(s);
	snprintf(detail, sizeof detail, "rows=%d overdue=%d", n, late);
	{
		struct md_audit_rec r = { NULL, "seal.pending", NULL, "list", "ok", detail, 0 };
		if ((rc = md_audit(ctx, &r, err)) != MD_OK)
			return rc;
	}
	md_result_message(res, _("%d seal application(s) waiting for the answer to their 照会書, %d overdue"), n,
	                  late);
	return MD_OK;
}

static const struct md_arg_spec no_args[] = { { NULL, 0, 0, NULL } };

const struct md_cmd_entry md_cmds_seal[] = {
	{ "seal.register", "seal register", "seal.register", 0, register_args, cmd_seal_register,
	  N_("register a seal (印鑑登録), or mail a 照会書 and wait for its answer") },
	{ "seal.answer", "seal answer", "seal.register", 0, answer_args, cmd_seal_answer,
	  N_("complete a seal registration with the answer to its 照会書") },
	{ "seal.cancel", "seal cancel", "seal.register", 0, cancel_args, cmd_seal_cancel,
	  N_("cancel a seal registration (廃止) or withdraw an application") },
	{ "seal.show", "seal show", "seal.register", 0, show_args, cmd_seal_show,
	  N_("a person's seal registrations: status, card number, dates") },
	{ "seal.pending", "seal pending", "report.view", 0, no_args, cmd_seal_pending,
	  N_("seal applications waiting for the answer to their 照会書") },
	{ NULL, NULL, NULL, 0, NULL, NULL, NULL }
};
