/* cmd_certadmin.c: the commands of the counter's supervision
 * (certadmin.h): a supervisor's override of an alert and its list, the
 * letter print queue, and the purge of the print spool. */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "certadmin.h"
#include "cmd_impl.h"
#include "i18n.h"
#include "result.h"

#define ARG(k) md_args_get(args, (k))

static int flag(const struct md_args *args, const char *key)
{
	const char *v = md_args_get(args, key);
	return v && *v && strcmp(v, "0") != 0 && strcmp(v, "no") != 0;
}

static const struct md_arg_spec override_args[] = {
	{ "transaction", MD_ARG_POS, 1, N_("the clerk's counter transaction") },
	{ "person", MD_ARG_OPT, 1, N_("宛名番号 of the person whose alert (抑止) is overridden") },
	{ "reason", MD_ARG_OPT, 1, N_("why the alert is overridden") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec overrides_args[] = {
	{ "all", MD_ARG_FLAG, 0, N_("also the overrides used or expired") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec letters_args[] = {
	{ "all", MD_ARG_FLAG, 0, N_("also the letters already mailed") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec done_args[] = {
	{ "id", MD_ARG_POS, 1, N_("the 確認通知 number, or the seal application's 受付番号") },
	{ "kind", MD_ARG_OPT, 1, N_("confirmation (確認通知) or inquiry (照会書 of a seal registration)") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec no_args[] = { { NULL, 0, 0, NULL } };

static MD_HANDLER(cmd_cert_override)
{
	long long tx = md_args_number(args, "transaction", NULL, 1, err), person;
	if (!tx)
		return err->code;
	person = md_args_number(args, "person", "宛名番号", 1, err);
	if (!person)
		return err->code;
	return md_cert_override_grant(ctx, tx, person, ARG("reason"), res, err);
}

static MD_HANDLER(cmd_cert_overrides)
{
	return md_cert_overrides(ctx, flag(args, "all"), res, err);
}

static MD_HANDLER(cmd_cert_letters)
{
	return md_cert_letters(ctx, flag(args, "all"), res, err);
}

static MD_HANDLER(cmd_cert_letter_done)
{
	long long id = md_args_number(args, "id", NULL, 1, err);
	return id ? md_cert_letter_done(ctx, ARG("kind"), id, res, err) : err->code;
}

static MD_HANDLER(cmd_cert_purge_spool)
{
	(void)args;
	return md_cert_spool_purge(ctx, res, err);
}

const struct md_cmd_entry md_cmds_certadmin[] = {
	{ "cert.override", "cert override", "alert.override", 0, override_args, cmd_cert_override,
	  N_("override a certificate alert (抑止) for a clerk's transaction, with a reason") },
	{ "cert.overrides", "cert overrides", "alert.override", 0, overrides_args, cmd_cert_overrides,
	  N_("alerts waiting for a supervisor's override, and the overrides granted") },
	{ "cert.letters", "cert letters", "report.view", 0, letters_args, cmd_cert_letters,
	  N_("the letters to print and mail: 確認通知 and 照会書") },
	{ "cert.letter_done", "cert letter-done", "cert.issue", 0, done_args, cmd_cert_letter_done,
	  N_("mark a printed letter mailed; its file leaves the spool") },
	{ "cert.purge_spool", "cert purge-spool", "spool.purge", 0, no_args, cmd_cert_purge_spool,
	  N_("remove certificate files left in the print spool by earlier sessions") },
	{ NULL, NULL, NULL, 0, NULL, NULL, NULL }
};
