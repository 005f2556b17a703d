/* cmd_inquiry.c: the commands of inquiries and disclosure requests
 * (問合せ・開示請求); inquiry.c and inquiry_extract.c do the work. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_impl.h"
#include "ctx.h"
#include "i18n.h"
#include "inquiry.h"
#include "result.h"
#include "wareki.h"

#define ARG(k) md_args_get(args, (k))

static const struct md_arg_spec record_args[] = {
	{ "kind", MD_ARG_OPT, 1,
	  N_("kind: 問合せ (inquiry), 開示請求 (disclosure), 訂正請求 (correction) or 利用停止請求 (suspension)") },
	{ "channel", MD_ARG_OPT, 1, N_("channel: 窓口, 電話, 郵送, メール, FAX or その他") },
	{ "requester", MD_ARG_OPT, 1, N_("requester (請求者・問合せ者)") },
	{ "subject", MD_ARG_OPT, 1, N_("subject (件名)") },
	{ "content", MD_ARG_OPT, 1, N_("content of the inquiry or request (内容)") },
	{ "person", MD_ARG_OPT, 0, N_("宛名番号 of the person concerned (needed for a disclosure request)") },
	{ "received_on", MD_ARG_OPT, 0, N_("received on (受付日; default today), e.g. R8.4.1") },
	{ "contact", MD_ARG_OPT, 0, N_("contact of the requester (連絡先)") },
	{ "handler", MD_ARG_OPT, 0, N_("handler (担当者): a user id") },
	{ NULL, 0, 0, NULL }
};

static const struct md_arg_spec edit_args[] = {
	{ "id", MD_ARG_POS, 1, N_("inquiry number (受付番号)") },
	{ "kind", MD_ARG_OPT, 0,
	  N_("kind: 問合せ (inquiry), 開示請求 (disclosure), 訂正請求 (correction) or 利用停止請求 (suspension)") },
	{ "channel", MD_ARG_OPT, 0, N_("channel: 窓口, 電話, 郵送, メール, FAX or その他") },
	{ "requester", MD_ARG_OPT, 0, N_("requester (請求者・問合せ者)") },
	{ "subject", MD_ARG_OPT, 0, N_("subject (件名)") },
	{ "content", MD_ARG_OPT, 0, N_("content of the inquiry or request (内容)") },
	{ "person", MD_ARG_OPT, 0, N_("宛名番号 of the person concerned (needed for a disclosure request)") },
	{ "received_on", MD_ARG_OPT, 0, N_("received on (受付日; default today), e.g. R8.4.1") },
	{ "contact", MD_ARG_OPT, 0, N_("contact of the requester (連絡先)") },
	{ NULL, 0, 0, NULL }
};

static const struct md_arg_spec assign_args[] = {
	{ "id", MD_ARG_POS, 1, N_("inquiry number (受付番号)") },
	{ "handler", MD_ARG_OPT, 1, N_("handler (担当者): a user id") },
	{ NULL, 0, 0, NULL }
};

static const struct md_arg_spec answer_args[] = {
	{ "id", MD_ARG_POS, 1, N_("inquiry number (受付番号)") },
	{ "answer", MD_ARG_OPT, 1, N_("handling or answer (対応・回答)") },
	{ "date", MD_ARG_OPT, 0, N_("date of the answer (default today)") },
	{ NULL, 0, 0, NULL }
};

static const struct md_arg_spec approve_args[] = {
	{ "id", MD_ARG_POS, 1, N_("inquiry number (受付番号)") },
	{ "note", MD_ARG_OPT, 0, N_("note (備考)") },
	{ NULL, 0, 0, NULL }
};

static const struct md_arg_spec refuse_args[] = {
	{ "id", MD_ARG_POS, 1, N_("inquiry number (受付番号)") },
	{ "note", MD_ARG_OPT, 1, N_("reason for the refusal (不開示の理由)") },
	{ NULL, 0, 0, NULL }
};

static const struct md_arg_spec extend_args[] = {
	{ "id", MD_ARG_POS, 1, N_("inquiry number (受付番号)") },
	{ "reason", MD_ARG_OPT, 1, N_("reason for the extension (延長の理由), told to the requester") },
	{ NULL, 0, 0, NULL }
};

static const struct md_arg_spec id_args[] = {
	{ "id", MD_ARG_POS, 1, N_("inquiry number (受付番号)") },
	{ NULL, 0, 0, NULL }
};

static const struct md_arg_spec close_args[] = {
	{ "id", MD_ARG_POS, 1, N_("inquiry number (受付番号)") },
	{ "date", MD_ARG_OPT, 0, N_("closed on (完了日; default today)") },
	{ "note", MD_ARG_OPT, 0, N_("note (備考)") },
	{ NULL, 0, 0, NULL }
};

static const struct md_arg_spec list_args[] = {
	{ "all", MD_ARG_FLAG, 0, N_("closed ones too") },
	{ "mine", MD_ARG_FLAG, 0, N_("only those assigned to me") },
	{ "overdue", MD_ARG_FLAG, 0, N_("only those past their deadline without a decision or answer") },
	{ "kind", MD_ARG_OPT, 0, N_("only this kind (開示請求, 問合せ, ...)") },
	{ NULL, 0, 0, NULL }
};

static int flag(const struct md_args *args, const char *k)
{
	const char *v = ARG(k);
	return v && *v && strcmp(v, "0") != 0;
}

static void fill_in(const struct md_args *args, struct md_inquiry_in *in)
{
	memset(in, 0, sizeof *in);
	in->kind = ARG("kind");
	in->received_on = ARG("received_on");
	in->channel = ARG("channel");
	in->requester = ARG("requester");
	in->contact = ARG("contact");
	in->person = ARG("person");
	in->subject = ARG("subject");
	in->content = ARG("content");
	in->handler = ARG("handler");
}

static MD_HANDLER(cmd_inquiry_record)
{
	struct md_inquiry_in in;
	long long id = 0;
	int rc;

	fill_in(args, &in);
	if ((rc = md_inquiry_record(ctx, &in, &id, err)) != MD_OK)
		return rc;
	md_result_message(res, _("Inquiry %lld recorded"), id);
	return MD_OK;
}

static MD_HANDLER(cmd_inquiry_edit)
{
	struct md_inquiry_in in;
	long long id = md_args_number(args, "id", _("inquiry number (受付番号)"), 1, err);
	int rc;

	if (!id)
		return MD_E_INVALID;
	fill_in(args, &in);
	if ((rc = md_inquiry_edit(ctx, id, &in, err)) != MD_OK)
		return rc;
	md_result_message(res, _("Inquiry %lld changed"), id);
	return MD_OK;
}

static MD_HANDLER(cmd_inquiry_assign)
{
	long long id = md_args_number(args, "id", _("inquiry number (受付番号)"), 1, err);
	int rc;

	if (!id)
		return MD_E_INVALID;
	if ((rc = md_inquiry_assign(ctx, id, ARG("handler"), err)) != MD_OK)
		return rc;
	md_result_message(res, _("Inquiry %lld assigned to %s"), id, ARG("handler"));
	return MD_OK;
}

static MD_HANDLER(cmd_inquiry_answer)
{
	long long id = md_args_number(args, "id", _("inquiry number (受付番号)"), 1, err);
	int rc;

	if (!id)
		return MD_E_INVALID;
	if ((rc = md_inquiry_answer(ctx, id, ARG("answer"), ARG("date"), err)) != MD_OK)
		return rc;
	md_result_message(res, _("Answer to inquiry %lld recorded"), id);
	return MD_OK;
}

static MD_HANDLER(cmd_inquiry_approve)
{
	long long id = md_args_number(args, "id", _("inquiry number (受付番号)"), 1, err);
	int rc;

	if (!id)
		return MD_E_INVALID;
	if ((rc = md_inquiry_decide(ctx, id, 1, ARG("note"), err)) != MD_OK)
		return rc;
	md_result_message(res, _("Disclosure request %lld approved (開示決定): the extract can now be produced"),
	                  id);
	return MD_OK;
}

static MD_HANDLER(cmd_inquiry_refuse)
{
	long long id = md_args_number(args, "id", _("inquiry number (受付番号)"), 1, err);
	int rc;

	if (!id)
		return MD_E_INVALID;
	if ((rc = md_inquiry_decide(ctx, id, 0, ARG("note"), err)) != MD_OK)
		return rc;
	md_result_message(res, _("Disclosure request %lld refused (不開示決定)"), id);
	return MD_OK;
}

static MD_HANDLER(cmd_inquiry_extract)
{
	long long id = md_args_number(args, "id", _("inquiry number (受付番号)"), 1, err);
	char *path = NULL;
	int rc;

	if (!id)
		return MD_E_INVALID;
	if ((rc = md_inquiry_extract(ctx, id, &path, err)) != MD_OK)
		return rc;
	md_result_message(res, _("Disclosure extract written to %s"), path);
	free(path);
	return MD_OK;
}

static MD_HANDLER(cmd_inquiry_close)
{
	long long id = md_args_number(args, "id", _("inquiry number (受付番号)"), 1, err);
	int rc;

	if (!id)
		return MD_E_INVALID;
	if ((rc = md_inquiry_close(ctx, id, ARG("date"), ARG("note"), err)) != MD_OK)
		return rc;
	md_result_message(res, _("Inquiry %lld closed"), id);
	return MD_OK;
}

static MD_HANDLER(cmd_inquiry_extend)
{
	long long id = md_args_number(args, "id", _("inquiry number (受付番号)"), 1, err);
	char due[11], shown[MD_DATE_TEXT_MAX];
	struct md_date d;
	int rc;

	if (!id)
		return MD_E_INVALID;
	if ((rc = md_inquiry_extend(ctx, id, ARG("reason"), due, err)) != MD_OK)
		return rc;
	if (md_date_from_iso(due, &d) == 0)
		md_date_format_wareki(&d, shown, sizeof shown);
	else
		snprintf(shown, sizeof shown, "%s", due);
	md_result_message(res, _("The deadline of inquiry %lld is extended to %s: notify the requester in "
	                         "writing of the new deadline and the reason (延長通知)"),
	                  id, shown);
	return MD_OK;
}

static MD_HANDLER(cmd_inquiry_notice)
{
	long long id = md_args_number(args, "id", _("inquiry number (受付番号)"), 1, err);
	char *path = NULL;
	int rc;

	if (!id)
		return MD_E_INVALID;
	if ((rc = md_inquiry_extension_notice(ctx, id, &path, err)) != MD_OK)
		return rc;
	md_result_message(res, _("Notice of the extension (延長通知) written to %s"), path);
	free(path);
	return MD_OK;
}

static MD_HANDLER(cmd_inquiry_list)
{
	struct md_inquiry_filter f = { flag(args, "all"), flag(args, "mine"), flag(args, "overdue"),
	                               ARG("kind") };
	return md_inquiry_list(ctx, &f, res, err);
}

static MD_HANDLER(cmd_inquiry_show)
{
	long long id = md_args_number(args, "id", _("inquiry number (受付番号)"), 1, err);
	return id ? md_inquiry_show(ctx, id, res, err) : MD_E_INVALID;
}

const struct md_cmd_entry md_cmds_inquiry[] = {
	{ "inquiry.record", "inquiry record", "inquiry.manage", 0, record_args, cmd_inquiry_record,
	  N_("record an inquiry or disclosure request (問合せ・開示請求の受付)") },
	{ "inquiry.edit", "inquiry edit", "inquiry.manage", 0, edit_args, cmd_inquiry_edit,
	  N_("correct an inquiry not yet decided") },
	{ "inquiry.assign", "inquiry assign", "inquiry.manage", 0, assign_args, cmd_inquiry_assign,
	  N_("assign an inquiry to a handler (担当者)") },
	{ "inquiry.answer", "inquiry answer", "inquiry.manage", 0, answer_args, cmd_inquiry_answer,
	  N_("record the handling or answer of an inquiry (対応・回答)") },
	{ "inquiry.approve", "inquiry approve", "disclosure.approve", 0, approve_args, cmd_inquiry_approve,
	  N_("approve a disclosure request (開示決定), not one you recorded") },
	{ "inquiry.refuse", "inquiry refuse", "disclosure.approve", 0, refuse_args, cmd_inquiry_refuse,
	  N_("refuse a disclosure request (不開示決定), with the reason") },
	{ "inquiry.extract", "inquiry extract", "disclosure.extract", 0, id_args, cmd_inquiry_extract,
	  N_("produce the disclosure extract (PDF) of an approved request") },
	{ "inquiry.extend", "inquiry extend", "disclosure.approve", 0, extend_args, cmd_inquiry_extend,
	  N_("extend the deadline of a request by 30 days, once, with the reason (期限の延長)") },
	{ "inquiry.extension-notice", "inquiry extension-notice", "disclosure.approve", 0, id_args,
	  cmd_inquiry_notice, N_("print the notice of the extension (延長通知) to send to the requester") },
	{ "inquiry.close", "inquiry close", "inquiry.manage", 0, close_args, cmd_inquiry_close,
	  N_("close an inquiry (完了)") },
	{ "inquiry.list", "inquiry list", "inquiry.manage", 0, list_args, cmd_inquiry_list,
	  N_("list inquiries and disclosure requests") },
	{ "inquiry.show", "inquiry show", "inquiry.manage", 0, id_args, cmd_inquiry_show,
	  N_("show an inquiry with its history") },
	{ NULL, NULL, NULL, 0, NULL, NULL, NULL }
};
