/* cmd_registry.c: handlers for changes and their review, and edit locks. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"
#include "cmd_impl.h"
#include "ctx.h"
#include "audit.h"
#include "i18n.h"
#include "lock.h"
#include "result.h"

#define ARG(k) md_args_get(args, (k))

MD_HANDLER(cmd_change_check)
{
	struct md_issues is = { 0 };
	static const char *const cols[] = { "person", "field", "level", "message" };
	int rc = md_change_check(ctx, args, &is, err);

	md_table_init(&res->table, 4, cols);
	for (int i = 0; i < is.n; i++) {
		char p[16];
		const char *row[4] = { p, is.v[i].field, is.v[i].error ? "error" : "warning", is.v[i].msg };
		snprintf(p, sizeof p, "%d", is.v[i].person);
		md_table_add(&res->table, row);
	}
	if (rc == MD_OK && md_issues_errors(&is))
		rc = md_error_set(err, MD_E_INVALID, "", P_("the change has %d error", "the change has %d errors",
		                                             md_issues_errors(&is)), md_issues_errors(&is));
	else if (rc == MD_OK)
		md_result_message(res, _("no errors"));
	md_issues_release(&is);
	return rc;
}

MD_HANDLER(cmd_change_save)
{
	return md_change_save(ctx, args, res, err);
}

MD_HANDLER(cmd_change_approve)
{
	long long id = md_args_number(args, "id", NULL, 1, err);
	const char *ack = md_args_get(args, "ack");
	return id ? md_change_approve(ctx, id, ack && strcmp(ack, "1") == 0, res, err) : MD_E_INVALID;
}

MD_HANDLER(cmd_change_reject)
{
	long long id = md_args_number(args, "id", NULL, 1, err);
	int rc;
	if (!id)
		return MD_E_INVALID;
	rc = md_change_reject(ctx, id, ARG("reason"), err);
	if (rc == MD_OK)
		md_result_message(res, _("change %lld rejected: it is back with its maker"), id);
	return rc;
}

MD_HANDLER(cmd_change_withdraw)
{
	long long id = md_args_number(args, "id", NULL, 1, err);
	int rc;
	if (!id)
		return MD_E_INVALID;
	rc = md_change_withdraw(ctx, id, err);
	if (rc == MD_OK)
		md_result_message(res, _("change %lld withdrawn"), id);
	return rc;
}

MD_HANDLER(cmd_change_queue)
{
	return md_change_list(ctx, 0, res, err);
}

MD_HANDLER(cmd_change_mine)
{
	return md_change_list(ctx, 1, res, err);
}

MD_HANDLER(cmd_change_show)
{
	long long id = md_args_number(args, "id", NULL, 1, err);
	return id ? md_change_show(ctx, id, res, err) : MD_E_INVALID;
}

MD_HANDLER(cmd_change_template)
{
	const char *p = ARG("person");
	return md_change_template(ctx, ARG("type"), p && *p ? strtoll(p, NULL, 10) : 0, res, err);
}

static int edit(struct md_ctx *ctx, const struct md_args *args, struct md_result *res,
                struct md_error *err, int begin)
{
	const char *p = ARG("person"), *h = ARG("household");
	enum md_lock_kind kind = p && *p ? MD_LOCK_PERSON : MD_LOCK_HOUSEHOLD;
	long long id = md_args_number(args, kind == MD_LOCK_PERSON ? "person" : "household", NULL, 1, err);
	int rc = MD_OK;

	if (!(p && *p) && !(h && *h))
		return md_error_set(err, MD_E_INVALID, "person", _("name a person or a household"));
	if (!id)
		return MD_E_INVALID;
	if (begin) {
		rc = md_lock_acquire(ctx, kind, id, err);
		if (rc == MD_OK) {
			char subject[24];
			struct md_audit_rec r = { NULL, "edit.begin", subject,
			                          kind == MD_LOCK_PERSON ? "lock person" : "lock household",
			                          "ok", NULL, 0 };
			snprintf(subject, sizeof subject, "%lld", id);
			md_audit(ctx, &r, NULL);
		}
	} else {
		md_lock_release(ctx, kind, id);
	}
	if (rc == MD_OK)
		md_result_message(res, begin ? _("locked for editing") : _("edit lock released"));
	return rc;
}

MD_HANDLER(cmd_edit_begin)
{
	return edit(ctx, args, res, err, 1);
}

MD_HANDLER(cmd_edit_end)
{
	return edit(ctx, args, res, err, 0);
}
