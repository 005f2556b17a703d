/* cmd_ops.c: operations commands: backup and restore (backup.c), the
 * retention purge (purge.c) and the supervisor's daily report (report.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "backup.h"
#include "cmd_impl.h"
#include "ctx.h"
#include "i18n.h"
#include "purge.h"
#include "report.h"
#include "result.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

#define ARG(k) md_args_get(args, (k))

static const struct md_arg_spec backup_args[] = {
	{ "out", MD_ARG_OPT, 1, N_("the backup file to write (must not exist yet)") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec backup_pp_args[] = {
	{ "out", MD_ARG_OPT, 1, N_("the backup file to write (must not exist yet)") },
	{ "passphrase", MD_ARG_NEW_SECRET, 1, N_("Passphrase for the backup (at least 12 characters)") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec restore_args[] = {
	{ "file", MD_ARG_POS, 1, N_("the backup file") },
	{ "admin", MD_ARG_OPT, 1, N_("an administrator of the restored database (permission backup)") },
	{ "password", MD_ARG_SECRET, 1, N_("Password of that administrator") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec restore_pp_args[] = {
	{ "file", MD_ARG_POS, 1, N_("the backup file") },
	{ "admin", MD_ARG_OPT, 1, N_("an administrator of the restored database (permission backup)") },
	{ "passphrase", MD_ARG_SECRET, 1, N_("Passphrase of the backup") },
	{ "password", MD_ARG_SECRET, 1, N_("Password of that administrator") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec purge_args[] = {
	{ "dry-run", MD_ARG_FLAG, 0, N_("only count what would be deleted") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec report_args[] = {
	{ "date", MD_ARG_OPT, 0, N_("the day reported: 2026-11-20, R8.11.20 or 令和8年11月20日 (default today)") },
	{ "section", MD_ARG_OPT, 0, N_("certificates, waiting, expiring, voided or all (default all)") },
	{ NULL, 0, 0, NULL }
};

static void backup_result(struct md_result *res, const char *out, const struct md_backup_info *i)
{
	const char *cols[2] = { _("Item"), _("Value") };
	char buf[64];
	const char *r[2];

	md_result_message(res, _("Backup written and verified: %s"), out);
	md_table_init(&res->table, 2, cols);
	r[0] = _("encrypted with");
	r[1] = i->passphrase ? _("passphrase (argon2id)") : _("the key file");
	md_table_add(&res->table, r);
	r[0] = _("taken at (UTC)");
	r[1] = i->created;
	md_table_add(&res->table, r);
	snprintf(buf, sizeof buf, "%d", i->schema);
	r[0] = _("schema version");
	r[1] = buf;
	md_table_add(&res->table, r);
	snprintf(buf, sizeof buf, "%lld", i->db_bytes);
	r[0] = _("database bytes");
	r[1] = buf;
	md_table_add(&res->table, r);
	snprintf(buf, sizeof buf, "%d", i->files);
	r[0] = _("seal impressions");
	r[1] = buf;
	md_table_add(&res->table, r);
	r[0] = _("BLAKE2b of the database");
	r[1] = i->hash;
	md_table_add(&res->table, r);
}

static MD_HANDLER(cmd_backup)
{
	struct md_backup_opts o = { 0 };
	struct md_backup_info info;
	const char *out = ARG("out");
	int rc;

	o.passphrase = ARG("passphrase");
	if ((rc = md_backup_make(ctx, out, &o, &info, err)) != MD_OK)
		return rc;
	backup_result(res, out, &info);
	return MD_OK;
}

static MD_HANDLER(cmd_restore)
{
	struct md_backup_info info;
	const char *into = ARG("db");
	int rc;

	rc = md_backup_restore(&ctx->cfg, ARG("file"), into, ARG("passphrase"), ARG("admin"),
	                       ARG("password"), &info, err);
	if (rc != MD_OK)
		return rc;
	backup_result(res, ARG("file"), &info);
	md_result_message(res, _("Restored into %s and verified (schema, integrity check, key file, "
	                         "audit chain)"), into);
	return MD_OK;
}

static MD_HANDLER(cmd_purge)
{
	struct md_purge_result r[MD_PURGE_NCLASSES];
	const char *cols[7] = { _("Class"), _("Period"), _("Deleted before"), _("Count"), _("Kept"),
	                        _("From"), _("To") };
	int dry = ARG("dry-run") != NULL;
	int rc = md_purge_run(ctx, dry, r, err);
	long long total = 0;

	md_table_init(&res->table, 7, cols);
	for (int c = 0; c < MD_PURGE_NCLASSES; c++) {
		char years[32], count[32], kept[32];
		const char *name = c == MD_PURGE_ISSUANCES ? _("issuance history")
		                 : c == MD_PURGE_REMOVED ? _("removed records (除票) and their history")
		                                         : _("audit log entries");
		const char *row[7] = { name, years, r[c].cutoff, count, kept, r[c].first, r[c].last };
		snprintf(years, sizeof years, _("%d-year period"), r[c].years);
		snprintf(count, sizeof count, "%lld", r[c].count);
		snprintf(kept, sizeof kept, "%lld", r[c].kept);
		md_table_add(&res->table, row);
		total += r[c].count;
		if (c == MD_PURGE_REMOVED && r[c].kept > 0)
			md_result_line(res, _("expired 除票 kept: %lld (other kept records still refer to them: "
			                      "counter transactions, certificates, seals, letters)"),
			               r[c].kept);
		if (c == MD_PURGE_ISSUANCES && r[c].files_removed > 0)
			md_result_line(res, _("spooled certificate files removed with their history: %d"),
			               r[c].files_removed);
	}
	if (rc != MD_OK)
		return rc;
	if (dry)
		md_result_message(res, _("Dry run: records that would be deleted: %lld; nothing was changed"), total);
	else
		md_result_message(res, _("Purge done: records deleted: %lld, each class with its deletion record"),
		                  total);
	return MD_OK;
}

static MD_HANDLER(cmd_report_daily)
{
	const char *date_v = ARG("date"), *sec_v = ARG("section");
	struct md_audit_rec a = { NULL, "report.daily", NULL, "daily report read", "ok", NULL, 0 };
	char date[16];
	char *detail;
	int which = md_report_section(sec_v), rc;

	if (which < 0)
		return md_error_set(err, MD_E_INVALID, "section",
		                    _("section must be certificates, waiting, expiring, voided or all, not \"%s\""),
		                    sec_v);
	if (date_v && *date_v) {
		struct md_date d;
		struct md_error e2;
		if (md_date_parse(date_v, &d, &e2) != MD_OK || d.prec != MD_DATE_FULL)
			return md_error_set(err, MD_E_INVALID, "date",
			                    _("date must be a day such as 2026-11-20, R8.11.20 or 令和8年11月20日, "
			                      "not \"%s\""), date_v);
		md_date_to_iso(&d, date);
	} else {
		md_date_local(md_time_now(), date, sizeof date);
	}
	if ((rc = md_report_daily(ctx, date, which, &res->table, err)) != MD_OK)
		return rc;
	detail = xasprintf("date=%s section=%s", date, sec_v && *sec_v ? sec_v : "all");
	a.detail = detail;
	rc = md_audit(ctx, &a, err);
	free(detail);
	if (rc != MD_OK)
		return rc;
	md_result_message(res, _("Daily report for %s"), date);
	return MD_OK;
}

const struct md_cmd_entry md_cmds_ops[] = {
	{ "backup", "backup", "backup", 0, backup_args, cmd_backup,
	  N_("make an encrypted, verified backup with the key file while others keep working") },
	{ "backup.passphrase", "backup --passphrase", "backup", 0, backup_pp_args, cmd_backup,
	  N_("the same, encrypted with a passphrase asked for twice") },
	/* Restore runs without an open database: the new database is checked
	 * first and then its own accounts decide (md_backup_restore). */
	{ "restore", "restore", NULL, MD_CMD_NODB, restore_args, cmd_restore,
	  N_("restore a backup made with the key file into a new database path (--db) and verify it") },
	{ "restore.passphrase", "restore --passphrase", NULL, MD_CMD_NODB, restore_pp_args, cmd_restore,
	  N_("the same for a backup made with a passphrase") },
	{ "purge", "purge", "retention.purge", 0, purge_args, cmd_purge,
	  N_("delete what has passed its retention period ([retention] settings)") },
	{ "report.daily", "report daily", "report.view", 0, report_args, cmd_report_daily,
	  N_("the supervisor's daily report (日報)") },
	{ NULL, NULL, NULL, 0, NULL, NULL, NULL }
};
