/* cmd_users.c: the user administration commands beyond those of cmd.c's
 * table: accounts and password resets with a generated temporary password
 * (shown once), temporary grants, one account's record, the revocation
 * register and the access review. */
#include "config.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "cmd_impl.h"
#include "ctx.h"
#include "i18n.h"
#include "useradmin.h"

#define ARG(k) md_args_get(args, (k))

static const struct md_arg_spec create_args[] = {
	{ "id", MD_ARG_POS, 1, N_("user ID of the new account") },
	{ "name", MD_ARG_OPT, 0, N_("full name") },
	{ "role", MD_ARG_OPT, 1, N_("role: clerk, supervisor, auditor, admin, trainer") },
	{ "from", MD_ARG_OPT, 0, N_("valid from YYYY-MM-DD (default today)") },
	{ "to", MD_ARG_OPT, 0, N_("valid to YYYY-MM-DD (default open-ended)") },
	{ "reason", MD_ARG_OPT, 1, N_("why the account is created") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec temp_pw_args[] = {
	{ "id", MD_ARG_POS, 1, N_("user ID") },
	{ "reason", MD_ARG_OPT, 1, N_("why the password is reset") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec temp_grant_args[] = {
	{ "id", MD_ARG_POS, 1, N_("user ID") },
	{ "what", MD_ARG_POS, 1, N_("role or single permission") },
	{ "from", MD_ARG_OPT, 0, N_("effective from YYYY-MM-DD (default today)") },
	{ "to", MD_ARG_OPT, 1, N_("last day YYYY-MM-DD: the grant ends by itself after it") },
	{ "reason", MD_ARG_OPT, 1, N_("why the grant is made") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec show_args[] = {
	{ "id", MD_ARG_POS, 1, N_("user ID") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec revocations_args[] = {
	{ "from", MD_ARG_OPT, 0, N_("from date YYYY-MM-DD (default: the beginning)") },
	{ "to", MD_ARG_OPT, 0, N_("to date YYYY-MM-DD (default: today)") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec no_args[] = { { NULL, 0, 0, NULL } };

/* The generated password goes to the result once: the screen shows it, the
 * command line prints it; it is never logged. */
static void show_password(struct md_result *res, const char *id, char *pw, size_t n)
{
	md_result_line(res, _("Temporary password for %s: %s"), id, pw);
	md_result_line(res, "%s", _("Give it to the user in person: it is shown only this once."));
	md_result_line(res, "%s", _("It must be changed at the first login."));
	sodium_memzero(pw, n);
}

static MD_HANDLER(cmd_user_create)
{
	char pw[MD_TEMP_PASSWORD_MAX];
	int rc = md_user_create_temp(ctx, ARG("id"), ARG("name"), ARG("role"), ARG("from"), ARG("to"),
	                             ARG("reason"), pw, sizeof pw, err);
	if (rc == MD_OK) {
		md_result_message(res, _("created user %s with role %s"), ARG("id"), ARG("role"));
		show_password(res, ARG("id"), pw, sizeof pw);
	}
	return rc;
}

static MD_HANDLER(cmd_user_temp_password)
{
	char pw[MD_TEMP_PASSWORD_MAX];
	int rc = md_user_temp_password(ctx, ARG("id"), ARG("reason"), pw, sizeof pw, err);
	if (rc == MD_OK) {
		md_result_message(res, _("password of %s reset; it must be changed at next login"),
		                  ARG("id"));
		show_password(res, ARG("id"), pw, sizeof pw);
	}
	return rc;
}

static MD_HANDLER(cmd_user_grant_temporary)
{
	int rc = md_grant_add(ctx, ARG("id"), ARG("what"), ARG("from"), ARG("to"), ARG("reason"), err);
	if (rc == MD_OK)
		md_result_message(res, _("granted %s to %s until %s"), ARG("what"), ARG("id"), ARG("to"));
	return rc;
}

static MD_HANDLER(cmd_user_show)
{
	return md_user_show(ctx, ARG("id"), res, err);
}

static MD_HANDLER(cmd_user_revocations)
{
	int rc = md_user_revocations(ctx, ARG("from"), ARG("to"), &res->table, err);
	if (rc == MD_OK)
		md_result_message(res, _("revocation register: %d entries"), res->table.nrows);
	return rc;
}

static MD_HANDLER(cmd_user_review)
{
	int accounts = 0, dormant = 0;
	int rc = md_user_review(ctx, &res->table, &accounts, &dormant, err);
	if (rc == MD_OK)
		md_result_message(res, _("access review: %d accounts, %d dormant (no login for %d days or more)"),
		                  accounts, dormant, ctx->cfg.dormant_days);
	return rc;
}

const struct md_cmd_entry md_cmds_users[] = {
	{ "user.create", "user create", "user.manage", 0, create_args, cmd_user_create,
	  N_("create an account with a generated temporary password, shown once") },
	{ "user.temp-password", "user temp-password", "user.manage", 0, temp_pw_args,
	  cmd_user_temp_password,
	  N_("reset a password to a generated temporary one, shown once, to be changed at next login") },
	{ "user.grant-temporary", "user grant-temporary", "user.manage", 0, temp_grant_args,
	  cmd_user_grant_temporary, N_("grant a role or permission until a given day only") },
	{ "user.show", "user show", "user.manage", 0, show_args, cmd_user_show,
	  N_("show an account and every grant it was ever given") },
	{ "user.revocations", "user revocations", "user.manage|audit.review", 0, revocations_args,
	  cmd_user_revocations, N_("the revocation register: accounts disabled, grants revoked or ended") },
	{ "user.review", "user review", "user.manage|audit.review", 0, no_args, cmd_user_review,
	  N_("the periodic access review: accounts, grants, last login, dormant accounts") },
	{ NULL, NULL, NULL, 0, NULL, NULL, NULL }
};
