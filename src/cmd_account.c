/* cmd_account.c: handlers for database creation, sessions, passwords, user
 * administration and audit verification. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "cmd_impl.h"
#include "ctx.h"
#include "i18n.h"
#include "store.h"
#include "trainingward.h"

#define ARG(k) md_args_get(args, (k))

MD_HANDLER(cmd_init)
{
	const char *db = ARG("db");
	const char *admin = ARG("admin");
	int rc = md_db_create(&ctx->cfg, db, NULL, MD_DB_PRODUCTION, admin, ARG("password"), err);
	if (rc == MD_OK) {
		char *kp = md_ctx_key_path(&ctx->cfg, db, MD_DB_PRODUCTION);
		md_result_message(res, _("created production database %s with key file %s "
		                         "(keep it readable only by the service account); "
		                         "administrator: %s"), db, kp, admin && *admin ? admin : "admin");
		free(kp);
	}
	return rc;
}

MD_HANDLER(cmd_training_db)
{
	const char *db = ARG("db");
	struct md_training_counts c;
	unsigned long long seed;
	long n;
	int rc;

	if ((rc = md_training_parse_residents(ARG("residents"), &n, err)) != MD_OK ||
	    (rc = md_training_parse_seed(ARG("seed"), &seed, err)) != MD_OK)
		return rc;
	rc = md_training_db_create(&ctx->cfg, db, n, seed, &c, err);
	if (rc == MD_OK)
		md_result_message(res, _("created training database %s: the ward 見本区 with %ld residents in "
		                         "%ld households (%ld foreign residents) and %ld removed records, seed "
		                         "%llu; demo accounts clerk1, supervisor1, auditor1, admin1, trainer1 "
		                         "(password: demo)"),
		                  db, c.residents, c.households, c.foreign, c.removed, seed);
	return rc;
}

MD_HANDLER(cmd_login)
{
	int rc = md_auth_login(ctx, ARG("user"), ARG("password"), err);
	if (rc == MD_OK || rc == MD_E_EXPIRED)
		md_result_message(res, _("logged in as %s"), ctx->session->user);
	return rc;
}

MD_HANDLER(cmd_logout)
{
	md_auth_logout(ctx);
	return MD_OK;
}

MD_HANDLER(cmd_lock)
{
	return md_auth_lock(ctx, ARG("why"), err);
}

MD_HANDLER(cmd_unlock)
{
	return md_auth_unlock(ctx, ARG("password"), err);
}

MD_HANDLER(cmd_passwd)
{
	int rc = md_auth_change_password(ctx, ARG("current"), ARG("password"), err);
	if (rc == MD_OK)
		md_result_message(res, _("password changed for %s"), ctx->session->user);
	return rc;
}

MD_HANDLER(cmd_user_add)
{
	int rc = md_user_create(ctx, ARG("id"), ARG("name"), ARG("role"), ARG("password"),
	                        ARG("from"), ARG("to"), ARG("reason"), 1, 0, err);
	if (rc == MD_OK)
		md_result_message(res, _("created user %s with role %s; the password must be changed "
		                         "at first login"), ARG("id"), ARG("role"));
	return rc;
}

MD_HANDLER(cmd_user_disable)
{
	int rc = md_user_disable(ctx, ARG("id"), ARG("reason"), err);
	if (rc == MD_OK)
		md_result_message(res, _("disabled user %s and revoked all grants"), ARG("id"));
	return rc;
}

MD_HANDLER(cmd_user_unlock)
{
	int rc = md_user_unlock(ctx, ARG("id"), ARG("reason"), err);
	if (rc == MD_OK)
		md_result_message(res, _("unlocked user %s"), ARG("id"));
	return rc;
}

MD_HANDLER(cmd_user_reset_password)
{
	int rc = md_user_reset_password(ctx, ARG("id"), ARG("password"), ARG("reason"), err);
	if (rc == MD_OK)
		md_result_message(res, _("password of %s reset; it must be changed at next login"),
		                  ARG("id"));
	return rc;
}

MD_HANDLER(cmd_user_grant)
{
	int rc = md_grant_add(ctx, ARG("id"), ARG("what"), ARG("from"), ARG("to"), ARG("reason"), err);
	if (rc == MD_OK)
		md_result_message(res, _("granted %s to %s"), ARG("what"), ARG("id"));
	return rc;
}

MD_HANDLER(cmd_user_revoke)
{
	int rc = md_grant_revoke(ctx, ARG("id"), ARG("what"), ARG("reason"), err);
	if (rc == MD_OK)
		md_result_message(res, _("revoked %s from %s"), ARG("what"), ARG("id"));
	return rc;
}

MD_HANDLER(cmd_user_terminals)
{
	const char *t = ARG("terminals");
	int rc = md_user_set_terminals(ctx, ARG("id"), t, ARG("reason"), err);
	if (rc == MD_OK)
		md_result_message(res, t && *t ? _("user %s may now use only: %s")
		                               : _("user %s may now use any terminal%s"),
		                  ARG("id"), t && *t ? t : "");
	return rc;
}

MD_HANDLER(cmd_user_list)
{
	return md_user_list(ctx, &res->table, err);
}

MD_HANDLER(cmd_user_demo_list)
{
	return md_user_demo_list(ctx, &res->table, err);
}

MD_HANDLER(cmd_audit_verify)
{
	long count = 0, bad = 0;
	int rc = md_audit_verify(ctx, &count, &bad, err);
	struct md_audit_rec r = { NULL, "audit.verify", NULL, "verify audit chain",
	                          rc == MD_OK ? "ok" : "failed", NULL, 0 };
	char detail[64];
	struct md_error e2;

	if (rc == MD_OK) {
		/* Not translated: scripts and monitoring read this line. */
		md_result_message(res, "audit chain intact: %ld entries", count);
		snprintf(detail, sizeof detail, "entries=%ld", count);
	} else {
		snprintf(detail, sizeof detail, "first broken entry=%ld", bad);
	}
	r.detail = detail;
	md_audit(ctx, &r, &e2);
	return rc;
}
