/* cmd.c: the command table and md_cmd_exec(), where every action's session,
 * lock, password-expiry and permission checks happen once. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "cmd_impl.h"
#include "ctx.h"
#include "i18n.h"
#include "xalloc.h"

static const struct md_arg_spec no_args[] = { { NULL, 0, 0, NULL } };

static const struct md_arg_spec init_args[] = {
	{ "admin", MD_ARG_OPT, 0, N_("ID of the first administrator (default: admin)") },
	{ "password", MD_ARG_NEW_SECRET, 1, N_("Password for the first administrator") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec login_args[] = {
	{ "user", MD_ARG_POS, 1, N_("user ID") },
	{ "password", MD_ARG_SECRET, 1, N_("Password") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec lock_args[] = {
	{ "why", MD_ARG_OPT, 0, N_("why the screen was locked (idle, key)") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec unlock_args[] = {
	{ "password", MD_ARG_SECRET, 1, N_("Password") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec passwd_args[] = {
	{ "current", MD_ARG_SECRET, 1, N_("Current password") },
	{ "password", MD_ARG_NEW_SECRET, 1, N_("New password") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec user_add_args[] = {
	{ "id", MD_ARG_POS, 1, N_("user ID of the new account") },
	{ "role", MD_ARG_OPT, 1, N_("role: clerk, supervisor, auditor, admin, trainer") },
	{ "name", MD_ARG_OPT, 0, N_("full name") },
	{ "from", MD_ARG_OPT, 0, N_("valid from YYYY-MM-DD (default today)") },
	{ "to", MD_ARG_OPT, 0, N_("valid to YYYY-MM-DD (default open-ended)") },
	{ "reason", MD_ARG_OPT, 0, N_("why the account is created") },
	{ "password", MD_ARG_NEW_SECRET, 1, N_("Initial password (must be changed at first login)") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec user_reason_args[] = {
	{ "id", MD_ARG_POS, 1, N_("user ID") },
	{ "reason", MD_ARG_OPT, 1, N_("why (kept in the revocation register)") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec user_id_args[] = {
	{ "id", MD_ARG_POS, 1, N_("user ID") },
	{ "reason", MD_ARG_OPT, 0, N_("why (kept in the audit log)") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec user_reset_args[] = {
	{ "id", MD_ARG_POS, 1, N_("user ID") },
	{ "password", MD_ARG_NEW_SECRET, 1, N_("Temporary password (must be changed at next login)") },
	{ "reason", MD_ARG_OPT, 0, N_("why (kept in the audit log)") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec grant_args[] = {
	{ "id", MD_ARG_POS, 1, N_("user ID") },
	{ "what", MD_ARG_POS, 1, N_("role or single permission") },
	{ "from", MD_ARG_OPT, 0, N_("effective from YYYY-MM-DD (default today)") },
	{ "to", MD_ARG_OPT, 0, N_("effective to YYYY-MM-DD (a temporary grant ends by itself)") },
	{ "reason", MD_ARG_OPT, 1, N_("why the grant is made") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec revoke_args[] = {
	{ "id", MD_ARG_POS, 1, N_("user ID") },
	{ "what", MD_ARG_POS, 1, N_("role or single permission") },
	{ "reason", MD_ARG_OPT, 1, N_("why it is revoked") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec terminals_args[] = {
	{ "id", MD_ARG_POS, 1, N_("user ID") },
	{ "terminals", MD_ARG_OPT, 0, N_("comma-separated terminal IDs; empty for any terminal") },
	{ "reason", MD_ARG_OPT, 0, N_("why (kept in the audit log)") },
	{ NULL, 0, 0, NULL }
};

static const struct md_arg_spec training_args[] = {
	{ "residents", MD_ARG_OPT, 0,
	  N_("number of residents of the synthetic ward 見本区, 0 to 2000000 (default 5000)") },
	{ "seed", MD_ARG_OPT, 0, N_("seed of the generator: the same seed gives the same ward (default 1)") },
	{ NULL, 0, 0, NULL }
};

static const struct md_arg_spec change_args[] = {
	{ "type", MD_ARG_OPT, 1, N_("kind of change: move_in, move_within, move_out, birth, ...") },
	{ "event_date", MD_ARG_OPT, 0, N_("date of the event (異動日): 令和7年4月1日, R7.4.1 or 2025-04-01") },
	{ "notified_on", MD_ARG_OPT, 0, N_("date of the notification (default today)") },
	{ "reason", MD_ARG_OPT, 0, N_("異動事由 code when the form allows several") },
	{ "household", MD_ARG_OPT, 0, N_("世帯番号 of the household the change acts on or joins") },
	{ "change", MD_ARG_OPT, 0, N_("a provisional change of yours to replace") },
	{ "cancels", MD_ARG_OPT, 0, N_("the approved change a 取消 cancels") },
	{ "memo", MD_ARG_OPT, 0, N_("why (kept with the history)") },
	{ "ack", MD_ARG_FLAG, 0, N_("alerts (抑止, 支援措置) acknowledged") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec change_id_args[] = {
	{ "id", MD_ARG_POS, 1, N_("change number") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec change_approve_args[] = {
	{ "id", MD_ARG_POS, 1, N_("change number") },
	{ "ack", MD_ARG_FLAG, 0, N_("alerts (抑止, 支援措置) acknowledged") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec change_reject_args[] = {
	{ "id", MD_ARG_POS, 1, N_("change number") },
	{ "reason", MD_ARG_OPT, 1, N_("why it is rejected (the maker reads it)") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec template_args[] = {
	{ "type", MD_ARG_OPT, 1, N_("kind of change") },
	{ "person", MD_ARG_OPT, 0, N_("宛名番号 of the person (empty for a new person)") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec edit_args[] = {
	{ "person", MD_ARG_OPT, 0, N_("宛名番号 of the person to edit") },
	{ "household", MD_ARG_OPT, 0, N_("世帯番号 of the household to edit") },
	{ NULL, 0, 0, NULL }
};

static const struct md_cmd_entry core_table[] = {
	{ "init", "init", NULL, MD_CMD_NODB, init_args, cmd_init,
	  N_("create a new production database and its key file") },
	{ "training-db", "training-db", NULL, MD_CMD_NODB | MD_CMD_TRAINING, training_args, cmd_training_db,
	  N_("create a training database with the demo accounts and the synthetic ward 見本区") },
	{ "login", NULL, NULL, MD_CMD_NOLOGIN | MD_CMD_HIDDEN, login_args, cmd_login,
	  N_("log in") },
	{ "logout", NULL, NULL, MD_CMD_EXPIRED_OK | MD_CMD_LOCKED_OK | MD_CMD_HIDDEN, no_args,
	  cmd_logout, N_("log out") },
	{ "lock", NULL, NULL, MD_CMD_EXPIRED_OK | MD_CMD_HIDDEN, lock_args, cmd_lock,
	  N_("lock the screen") },
	{ "unlock", NULL, NULL, MD_CMD_EXPIRED_OK | MD_CMD_LOCKED_OK | MD_CMD_HIDDEN, unlock_args,
	  cmd_unlock, N_("unlock the screen") },
	{ "passwd", "passwd", NULL, MD_CMD_EXPIRED_OK, passwd_args, cmd_passwd,
	  N_("change your own password") },
	{ "user.add", "user add", "user.manage", 0, user_add_args, cmd_user_add,
	  N_("create a personal account with a role") },
	{ "user.disable", "user disable", "user.manage", 0, user_reason_args, cmd_user_disable,
	  N_("disable an account and revoke all its grants") },
	{ "user.unlock", "user unlock", "user.manage", 0, user_id_args, cmd_user_unlock,
	  N_("release an account locked after failed logins") },
	{ "user.reset-password", "user reset-password", "user.manage", 0, user_reset_args,
	  cmd_user_reset_password, N_("set a temporary password that must be changed") },
	{ "user.grant", "user grant", "user.manage", 0, grant_args, cmd_user_grant,
	  N_("grant a role or permission for a period") },
	{ "user.revoke", "user revoke", "user.manage", 0, revoke_args, cmd_user_revoke,
	  N_("revoke a role or permission") },
	{ "user.terminals", "user terminals", "user.manage", 0, terminals_args, cmd_user_terminals,
	  N_("restrict an account to some terminals") },
	{ "user.list", "user list", "user.manage", 0, no_args, cmd_user_list,
	  N_("list accounts, their grants and status") },
	{ "user.demo-list", NULL, NULL, MD_CMD_NOLOGIN | MD_CMD_HIDDEN, no_args, cmd_user_demo_list,
	  N_("list the demo accounts of a training database") },
	{ "audit.verify", "audit verify", "audit.verify", 0, no_args, cmd_audit_verify,
	  N_("verify the audit log's hash chain") },
	{ "change.check", "change check", "resident.intake", MD_CMD_FREEARGS, change_args,
	  cmd_change_check, N_("check a change without saving it") },
	{ "change.save", "change save", "resident.intake", MD_CMD_FREEARGS, change_args,
	  cmd_change_save, N_("save a change as provisional (it needs approval)") },
	{ "change.approve", "change approve", "change.approve", 0, change_approve_args, cmd_change_approve,
	  N_("approve a provisional change: it becomes final") },
	{ "change.reject", "change reject", "change.approve", 0, change_reject_args, cmd_change_reject,
	  N_("reject a provisional change with a reason") },
	{ "change.withdraw", "change withdraw", "resident.intake", 0, change_id_args,
	  cmd_change_withdraw, N_("withdraw a change of yours") },
	{ "change.queue", "change queue", "change.approve", 0, no_args, cmd_change_queue,
	  N_("list the changes waiting for approval") },
	{ "change.mine", "change mine", "resident.intake", 0, no_args, cmd_change_mine,
	  N_("list your changes waiting or rejected") },
	{ "change.show", "change show", "resident.intake", 0, change_id_args, cmd_change_show,
	  N_("show a change's items before and after") },
	{ "change.template", "change template", "resident.intake", 0, template_args,
	  cmd_change_template, N_("the items of a form, pre-filled for an existing person") },
	{ "edit.begin", "edit begin", "resident.intake", 0, edit_args, cmd_edit_begin,
	  N_("lock a person or household for editing") },
	{ "edit.end", "edit end", "resident.intake", 0, edit_args, cmd_edit_end,
	  N_("release an edit lock") },
	{ NULL, NULL, NULL, 0, NULL, NULL, NULL }
};

/* Each module keeps its own commands (cmd_impl.h); this is the list of
 * those tables, merged once into one. */
static const struct md_cmd_entry *const module_tables[] = {
	core_table,
	md_cmds_search,
	md_cmds_protect,
	md_cmds_import,
	md_cmds_training,
	md_cmds_stats,
	md_cmds_counter,
	md_cmds_certificate,
	md_cmds_seal,
	md_cmds_inquiry,
	md_cmds_audit,
	md_cmds_certadmin,
	md_cmds_users,
	md_cmds_ops,
};

static struct md_cmd_entry *table;

const struct md_cmd_entry *md_cmd_table(void)
{
	if (!table) {
		size_t n = 0, k = 0;
		for (size_t m = 0; m < sizeof module_tables / sizeof module_tables[0]; m++)
			for (const struct md_cmd_entry *e = module_tables[m]; e->name; e++)
				n++;
		table = xcalloc(n + 1, sizeof *table);
		for (size_t m = 0; m < sizeof module_tables / sizeof module_tables[0]; m++)
			for (const struct md_cmd_entry *e = module_tables[m]; e->name; e++)
				table[k++] = *e;
	}
	return table;
}

const struct md_cmd_entry *md_cmd_find(const char *name)
{
	for (const struct md_cmd_entry *e = md_cmd_table(); e->name; e++)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

const struct md_cmd_entry *md_cmd_find_cli(int argc, char *const *argv, int *used)
{
	const struct md_cmd_entry *best = NULL;
	int best_words = 0;

	for (const struct md_cmd_entry *e = md_cmd_table(); e->name; e++) {
		char buf[64];
		char *tok, *save = NULL;
		int w = 0, ok = 1;
		if (!e->cli || (e->flags & MD_CMD_HIDDEN))
			continue;
		snprintf(buf, sizeof buf, "%s", e->cli);
		for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save), w++) {
			if (w >= argc || strcmp(argv[w], tok) != 0) {
				ok = 0;
				break;
			}
		}
		if (ok && w > best_words) {
			best = e;
			best_words = w;
		}
	}
	if (used)
		*used = best_words;
	return best;
}

void md_args_init(struct md_args *a)
{
	memset(a, 0, sizeof *a);
}

int md_args_set(struct md_args *a, const char *key, const char *val)
{
	for (int i = 0; i < a->n; i++) {
		if (strcmp(a->key[i], key) == 0) {
			a->val[i] = val;
			return 0;
		}
	}
	if (a->n >= MD_ARGS_MAX)
		return -1;
	a->key[a->n] = key;
	a->val[a->n] = val;
	a->n++;
	return 0;
}

const char *md_args_get(const struct md_args *a, const char *key)
{
	if (!a)
		return NULL;
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->key[i], key) == 0)
			return a->val[i];
	return NULL;
}

long long md_args_number(const struct md_args *a, const char *key, const char *label, int required,
                         struct md_error *err)
{
	const char *v = md_args_get(a, key);
	char *end = NULL;
	long long n;

	if (!label)
		label = key;
	if (!v || !*v) {
		if (required)
			md_error_set(err, MD_E_INVALID, key, _("%s is missing"), label);
		return 0;
	}
	n = strtoll(v, &end, 10);
	if (*end || n <= 0) {
		md_error_set(err, MD_E_INVALID, key, _("%s must be a number, not \"%s\""), label, v);
		return 0;
	}
	return n;
}

/* A command's permission "a|b" (a read-only report two roles need, e.g.
 * the access review: the admin's user.manage or the auditor's audit.review)
 * is held when any one of them is. */
static int can_any(struct md_ctx *ctx, const char *perms)
{
	const char *p = perms;
	while (*p) {
		size_t n = strcspn(p, "|");
		char *one = xstrndup(p, n);
		int ok = md_auth_can(ctx, one);
		free(one);
		if (ok)
			return 1;
		p += n;
		if (*p == '|')
			p++;
	}
	return 0;
}

/* The gate. code is MD_OK when the session may run e. */
static int gate(struct md_ctx *ctx, const struct md_cmd_entry *e, struct md_error *err)
{
	/* Before the NODB shortcut: training-db is a NODB command, and with a
	 * production database open it must be refused, not run. A bare context
	 * (no database open) is how the command line runs it. */
	if ((e->flags & MD_CMD_TRAINING) && ctx->store && ctx->kind != MD_DB_TRAINING)
		return md_error_set(err, MD_E_MODE, "", _("\"%s\" works only on a training database"),
		                    e->name);
	if (e->flags & MD_CMD_NODB)
		return MD_OK;
	if (!ctx->store)
		return md_error_set(err, MD_E_INVALID, "db", _("no database is open"));
	if (e->flags & MD_CMD_NOLOGIN)
		return MD_OK;
	if (!ctx->session)
		return md_error_set(err, MD_E_AUTH, "", _("log in first"));
	/* An account disabled (or past its end date) while logged in can do
	 * nothing but log out. */
	if (!(e->flags & MD_CMD_LOCKED_OK) && md_auth_session_usable(ctx, err) != MD_OK)
		return err->code;
	if (ctx->session->locked && !(e->flags & MD_CMD_LOCKED_OK))
		return md_error_set(err, MD_E_DENIED, "", _("the screen is locked: unlock it first"));
	if (ctx->session->must_change && !(e->flags & MD_CMD_EXPIRED_OK))
		return md_error_set(err, MD_E_EXPIRED, "password",
		                    _("change your password first (madoguchi passwd)"));
	if (e->permission && strchr(e->permission, '|')) {
		if (!can_any(ctx, e->permission)) {
			char *list = xstrdup(e->permission);
			for (char *c = list; *c; c++)
				if (*c == '|')
					*c = '/';
			md_error_set(err, MD_E_DENIED, "",
			             _("permission denied: \"%s\" needs one of the permissions %s, which "
			               "user %s does not hold"), e->name, list, ctx->session->user);
			free(list);
			return err->code;
		}
	} else if (e->permission && !md_auth_can(ctx, e->permission))
		return md_error_set(err, MD_E_DENIED, "",
		                    _("permission denied: \"%s\" needs the permission %s, which user %s "
		                      "does not hold"), e->name, e->permission, ctx->session->user);
	return MD_OK;
}

int md_cmd_allowed(struct md_ctx *ctx, const char *name)
{
	const struct md_cmd_entry *e = md_cmd_find(name);
	struct md_error err;
	return e && gate(ctx, e, &err) == MD_OK;
}

int md_cmd_exec(struct md_ctx *ctx, const char *name, const struct md_args *args,
                struct md_result *res, struct md_error *err)
{
	const struct md_cmd_entry *e = md_cmd_find(name);
	int rc;

	md_error_clear(err);
	if (!e)
		return md_error_set(err, MD_E_NOTFOUND, "", _("unknown command \"%s\""), name);
	rc = gate(ctx, e, err);
	if (rc != MD_OK) {
		/* Every refusal of a logged-in user leaves a trace. */
		if (ctx->store && ctx->session && ctx->keys.loaded) {
			struct md_audit_rec r = { NULL, e->name, md_args_get(args, "id"), "refused",
			                          "denied", err->msg, 0 };
			struct md_error e2;
			md_audit(ctx, &r, &e2);
		}
		return rc;
	}
	for (const struct md_arg_spec *a = e->args; a && a->name; a++) {
		const char *v = md_args_get(args, a->name);
		if (a->required && (!v || !*v))
			return md_error_set(err, MD_E_INVALID, a->name, _("%s is missing: %s"),
			                    a->name, _(a->help));
	}
	return e->fn(ctx, args, res, err);
}
