/* certadmin.c: overrides of certificate alerts as records, the letter print
 * queue and the print spool (certadmin.h). */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "certadmin.h"
#include "certificate.h"
#include "ctx.h"
#include "i18n.h"
#include "pdf.h"
#include "result.h"
#include "store.h"
#include "timeutil.h"
#include "xalloc.h"

static int audit_one(struct md_ctx *ctx, const char *function, const char *action, long long subject,
                     const char *outcome, const char *detail, struct md_error *err)
{
	char sub[24];
	struct md_audit_rec r = { NULL, function, subject > 0 ? sub : NULL, action, outcome, detail, 0 };
	snprintf(sub, sizeof sub, "%lld", subject);
	return md_audit(ctx, &r, err);
}

/* A refusal: nothing is changed (the caller rolled back), the audit entry
 * stands on its own. Returns err's code. */
static int refused(struct md_ctx *ctx, const char *function, const char *action, long long subject,
                   const char *what, struct md_error *err)
{
	struct md_error e2;
	char *detail = xasprintf("%s: %s", what, err->msg);
	audit_one(ctx, function, action, subject,
	          err->code == MD_E_DENIED || err->code == MD_E_CONFLICT ? "denied" : "failed", detail, &e2);
	free(detail);
	return err->code;
}

static const char *user(struct md_ctx *ctx)
{
	return ctx->session ? ctx->session->user : "-";
}

/* ---- overrides ---------------------------------------------------------------------- */

int md_cert_override_find(struct md_ctx *ctx, long long tx, long long person,
                          struct md_cert_override *out, struct md_error *err)
{
	static const char sql[] =
		"SELECT id, reason, granted_by FROM cert_overrides WHERE transaction_id = ?1 "
		"AND person_id = ?2 AND status = 'granted'";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int rc;

	memset(out, 0, sizeof *out);
	if (!s)
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, tx);
	sqlite3_bind_int64(s, 2, person);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(s, 0);
		snprintf(out->reason, sizeof out->reason, "%s", md_col_text(s, 1));
		snprintf(out->granted_by, sizeof out->granted_by, "%s", md_col_text(s, 2));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, "cert_overrides");
	return MD_OK;
}

void md_cert_override_request(struct md_ctx *ctx, long long tx, long long person, const char *type)
{
	static const char sql[] =
		"INSERT INTO cert_overrides (transaction_id, person_id, cert_type, status, requested_at, "
		"requested_by) SELECT ?1, ?2, ?3, 'waiting', ?4, ?5 WHERE NOT EXISTS (SELECT 1 FROM "
		"cert_overrides WHERE transaction_id = ?1 AND person_id = ?2 AND status IN ('waiting', 'granted'))";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
	char now[32];

	if (!s)
		return;
	md_time_iso(md_time_now(), now, sizeof now);
	sqlite3_bind_int64(s, 1, tx);
	sqlite3_bind_int64(s, 2, person);
	md_bind_text(s, 3, type);
	md_bind_text(s, 4, now);
	md_bind_text(s, 5, user(ctx));
	sqlite3_step(s);
	sqlite3_reset(s);
}

int md_cert_override_use(struct md_ctx *ctx, long long id, long long person, const char *detail,
                         struct md_error *err)
{
	static const char sel[] = "SELECT granted_by, reason, transaction_id FROM cert_overrides "
	                          "WHERE id = ?1 AND status = 'granted'";
	static const char upd[] = "UPDATE cert_overrides SET status = 'used', used_at = ?2, used_by = ?3 "
	                          "WHERE id = ?1 AND status = 'granted'";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sel, err);
	char by[64] = "", reason[512] = "", now[32], *text;
	long long tx = 0;
	int rc;

	if (!s)
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(by, sizeof by, "%s", md_col_text(s, 0));
		snprintf(reason, sizeof reason, "%s", md_col_text(s, 1));
		tx = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return md_error_set(err, MD_E_CONFLICT, "override",
		                    _("the supervisor's override %lld is no longer valid"), id);
	if (!(s = md_store_stmt(ctx->store, upd, err)))
		return MD_E_DB;
	md_time_iso(md_time_now(), now, sizeof now);
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, now);
	md_bind_text(s, 3, user(ctx));
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, "cert_overrides");
	text = xasprintf("override=%lld transaction=%lld granted_by=%s reason=%s%s", id, tx, by, reason,
	                 detail ? detail : "");
	rc = audit_one(ctx, "cert.override", "use", person, "ok", text, err);
	free(text);
	return rc;
}

int md_cert_override_grant(struct md_ctx *ctx, long long tx, long long person, const char *reason,
                           struct md_result *res, struct md_error *err)
{
	static const char tx_sql[] = "SELECT status FROM counter_transactions WHERE id = ?1";
	static const char hh_sql[] = "SELECT household_id FROM persons WHERE id = ?1";
	static const char upd[] =
		"UPDATE cert_overrides SET status = 'granted', reason = ?3, granted_at = ?4, granted_by = ?5 "
		"WHERE transaction_id = ?1 AND person_id = ?2 AND status = 'waiting'";
	static const char ins[] =
		"INSERT INTO cert_overrides (transaction_id, person_id, cert_type, status, reason, granted_at, "
		"granted_by) VALUES (?1, ?2, '', 'granted', ?3, ?4, ?5)";
	struct md_cert_override cur;
	sqlite3_stmt *s;
	char status[16] = "", now[32], *detail, what[64];
	long long household = 0;
	int rc, alert = 0, waiting;

	snprintf(what, sizeof what, "transaction %lld", tx);
	if (tx <= 0)
		return md_error_set(err, MD_E_INVALID, "transaction",
		                    _("transaction must be a counter transaction number"));
	if (person <= 0)
		return md_error_set(err, MD_E_INVALID, "person", _("person must be a 宛名番号"));
	if (!reason || !*reason) {
		md_error_set(err, MD_E_INVALID, "reason",
		             _("reason is missing: say why the alert (抑止) is overridden"));
		return refused(ctx, "cert.override", "grant", person, what, err);
	}
	if (strlen(reason) > 500)
		return md_error_set(err, MD_E_INVALID, "reason", _("reason: at most 500 bytes"));
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if (!(s = md_store_stmt(ctx->store, tx_sql, err)))
		goto fail;
	sqlite3_bind_int64(s, 1, tx);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		snprintf(status, sizeof status, "%s", md_col_text(s, 0));
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		md_error_set(err, MD_E_NOTFOUND, "transaction", _("no counter transaction %lld"), tx);
		goto refuse;
	}
	if (strcmp(status, "closed") == 0 || strcmp(status, "cancelled") == 0) {
		md_error_set(err, MD_E_CONFLICT, "transaction", _("counter transaction %lld is already %s"), tx,
		             strcmp(status, "closed") == 0 ? _("closed") : _("cancelled"));
		goto refuse;
	}
	if (!(s = md_store_stmt(ctx->store, hh_sql, err)))
		goto fail;
	sqlite3_bind_int64(s, 1, person);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		household = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		md_error_set(err, MD_E_NOTFOUND, "person", _("there is no person with 宛名番号 %lld"), person);
		goto refuse;
	}
	if ((rc = md_cert_alert(ctx, person, household, &alert, err)) != MD_OK)
		goto fail;
	if (!alert) {
		md_error_set(err, MD_E_INVALID, "person",
		             _("宛名番号 %lld has no alert (抑止 in alert mode) on certificates: there is nothing to override"),
		             person);
		goto refuse;
	}
	if ((rc = md_cert_override_find(ctx, tx, person, &cur, err)) != MD_OK)
		goto fail;
	if (cur.id) {
		md_error_set(err, MD_E_CONFLICT, "person",
		             _("an override for 宛名番号 %lld in counter transaction %lld is already granted by %s"),
		             person, tx, cur.granted_by);
		goto refuse;
	}
	md_time_iso(md_time_now(), now, sizeof now);
	if (!(s = md_store_stmt(ctx->store, upd, err)))
		goto fail;
	sqlite3_bind_int64(s, 1, tx);
	sqlite3_bind_int64(s, 2, person);
	md_bind_text(s, 3, reason);
	md_bind_text(s, 4, now);
	md_bind_text(s, 5, user(ctx));
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		md_store_fail(ctx->store, err, "cert_overrides");
		goto fail;
	}
	waiting = sqlite3_changes(md_store_db(ctx->store)) == 1;
	if (!waiting) {
		if (!(s = md_store_stmt(ctx->store, ins, err)))
			goto fail;
		sqlite3_bind_int64(s, 1, tx);
		sqlite3_bind_int64(s, 2, person);
		md_bind_text(s, 3, reason);
		md_bind_text(s, 4, now);
		md_bind_text(s, 5, user(ctx));
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE) {
			md_store_fail(ctx->store, err, "cert_overrides");
			goto fail;
		}
	}
	detail = xasprintf("transaction=%lld%s reason=%s", tx, waiting ? " (requested)" : "", reason);
	rc = audit_one(ctx, "cert.override", "grant", person, "ok", detail, err);
	free(detail);
	if (rc != MD_OK)
		goto fail;
	if ((rc = md_store_commit(ctx->store, err)) != MD_OK)
		return rc;
	md_result_message(res,
	                  _("alert of 宛名番号 %lld overridden for counter transaction %lld: the clerk's next issue of a certificate proceeds once"),
	                  person, tx);
	return MD_OK;
refuse:
	md_store_rollback(ctx->store);
	return refused(ctx, "cert.override", "grant", person, what, err);
fail:
	md_store_rollback(ctx->store);
	return err->code ? err->code : MD_E_DB;
}

int md_cert_overrides(struct md_ctx *ctx, int all, struct md_result *res, struct md_error *err)
{
	static const char sql[] =
		"SELECT o.id, o.transaction_id, t.opened_by, t.terminal, o.person_id, "
		"p.surname || ' ' || p.given_name, o.cert_type, o.status, coalesce(o.requested_at, o.granted_at), "
		"coalesce(o.reason, ''), coalesce(o.granted_by, ''), coalesce(o.used_by, ''), "
		/* Why the person is under the alert: what the supervisor weighs. */
		"coalesce((SELECT group_concat(x.reason, '; ') FROM suppressions x WHERE x.operation = 'certificate' "
		"AND x.ended_at IS NULL AND (x.end_date IS NULL OR x.end_date >= ?2) "
		"AND (x.person_id = o.person_id OR x.household_id = p.household_id)), '') "
		"FROM cert_overrides o JOIN counter_transactions t ON t.id = o.transaction_id "
		"JOIN persons p ON p.id = o.person_id WHERE ?1 OR o.status IN ('waiting', 'granted') "
		"ORDER BY o.status <> 'waiting', o.id DESC";
	static const char *const cols[] = { N_("id"), N_("transaction"), N_("clerk"), N_("terminal"),
		                            N_("person"), N_("name"), N_("type"), N_("status"), N_("time"),
		                            N_("reason"), N_("granted_by"), N_("used_by"), N_("state"),
		                            N_("alert (抑止)") };
	const char *tcols[14];
	sqlite3_stmt *s;
	char detail[64], today[16];
	int rc, n = 0, waiting = 0;

	for (int i = 0; i < 14; i++)
		tcols[i] = _(cols[i]);
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	md_table_init(&res->table, 14, tcols);
	md_date_local(md_time_now(), today, sizeof today);
	sqlite3_bind_int(s, 1, all);
	md_bind_text(s, 2, today);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char id[24], tx[24], person[24];
		const char *row[14];
		snprintf(id, sizeof id, "%lld", sqlite3_column_int64(s, 0));
		snprintf(tx, sizeof tx, "%lld", sqlite3_column_int64(s, 1));
		snprintf(person, sizeof person, "%lld", sqlite3_column_int64(s, 4));
		row[0] = id;
		row[1] = tx;
		row[4] = person;
		for (int c = 2; c < 12; c++)
			if (c != 4)
				row[c] = md_col_text(s, c);
		/* status is the code (for the screens), state the words. */
		row[12] = strcmp(row[7], "waiting") == 0   ? _("waiting for a supervisor")
		          : strcmp(row[7], "granted") == 0 ? _("granted, not used yet")
		          : strcmp(row[7], "used") == 0    ? _("used")
		                                           : _("expired");
		row[13] = md_col_text(s, 12);
		if (strcmp(row[7], "waiting") == 0)
			waiting++;
		md_table_add(&res->table, row);
		n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, "cert_overrides");
	snprintf(detail, sizeof detail, "rows=%d waiting=%d%s", n, waiting, all ? " all" : "");
	if ((rc = audit_one(ctx, "cert.overrides", "list", 0, "ok", detail, err)) != MD_OK)
		return rc;
	md_result_message(res, _("%d override(s) listed, %d waiting for a supervisor"), n, waiting);
	return MD_OK;
}

int md_cert_override_expire(struct md_ctx *ctx, long long tx, struct md_error *err)
{
	static const char sql[] = "UPDATE cert_overrides SET status = 'expired' WHERE transaction_id = ?1 "
	                          "AND status IN ('waiting', 'granted')";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int rc;

	if (!s)
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, tx);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? MD_OK : md_store_fail(ctx->store, err, "cert_overrides");
}

/* ---- letters ----------------------------------------------------------------------- */

void md_cert_letter_prefix(int training, const char *kind, long long id, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s-%lld-", training ? "見本-" : "",
	         strcmp(kind, "inquiry") == 0 ? "照会書" : "確認通知", id);
}

int md_cert_letters(struct md_ctx *ctx, int all, struct md_result *res, struct md_error *err)
{
	static const char sql[] =
		"SELECT 'confirmation', id, person_id, name, created_at, coalesce(printed_at, ''), "
		"coalesce(mailed_at, '') FROM confirmation_letters WHERE ?1 OR mailed_at IS NULL "
		"UNION ALL "
		"SELECT 'inquiry', s.id, s.person_id, p.surname || ' ' || p.given_name, s.applied_at, "
		"coalesce(s.inquiry_printed_at, ''), coalesce(s.inquiry_mailed_at, '') FROM seals s "
		"JOIN persons p ON p.id = s.person_id WHERE s.method = 'inquiry' AND (?1 OR "
		"(s.status = 'pending' AND s.inquiry_mailed_at IS NULL)) ORDER BY 5, 1, 2";
	static const char *const cols[] = { N_("kind"), N_("id"), N_("person"), N_("name"), N_("created"),
		                            N_("printed"), N_("mailed"), N_("letter type") };
	const char *tcols[8];
	sqlite3_stmt *s;
	char detail[64];
	int rc, n = 0, unprinted = 0;

	for (int i = 0; i < 8; i++)
		tcols[i] = _(cols[i]);
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	md_table_init(&res->table, 8, tcols);
	sqlite3_bind_int(s, 1, all);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char id[24], person[24];
		const char *row[8];
		snprintf(id, sizeof id, "%lld", sqlite3_column_int64(s, 1));
		snprintf(person, sizeof person, "%lld", sqlite3_column_int64(s, 2));
		row[0] = md_col_text(s, 0);
		row[1] = id;
		row[2] = person;
		row[3] = md_col_text(s, 3);
		row[4] = md_col_text(s, 4);
		row[5] = md_col_text(s, 5);
		row[6] = md_col_text(s, 6);
		/* data: the letters' names, Japanese in every language */
		row[7] = strcmp(row[0], "inquiry") == 0 ? "照会書" : "確認通知";
		if (!*row[5])
			unprinted++;
		md_table_add(&res->table, row);
		n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("reading the letters"));
	snprintf(detail, sizeof detail, "rows=%d unprinted=%d%s", n, unprinted, all ? " all" : "");
	if ((rc = audit_one(ctx, "cert.letters", "list", 0, "ok", detail, err)) != MD_OK)
		return rc;
	md_result_message(res, _("%d letter(s) to mail, %d not printed yet"), n, unprinted);
	return MD_OK;
}

int md_cert_letter_done(struct md_ctx *ctx, const char *kind, long long id, struct md_result *res,
                        struct md_error *err)
{
	static const char conf_sel[] =
		"SELECT person_id, printed_at IS NOT NULL, mailed_at IS NOT NULL FROM confirmation_letters "
		"WHERE id = ?1";
	static const char conf_upd[] = "UPDATE confirmation_letters SET mailed_at = ?2, mailed_by = ?3 WHERE id = ?1";
	static const char inq_sel[] =
		"SELECT person_id, inquiry_printed_at IS NOT NULL, inquiry_mailed_at IS NOT NULL FROM seals "
		"WHERE id = ?1 AND method = 'inquiry'";
	static const char inq_upd[] = "UPDATE seals SET inquiry_mailed_at = ?2, inquiry_mailed_by = ?3 WHERE id = ?1";
	int inquiry, rc, printed = 0, mailed = 0, removed;
	long long person = 0;
	sqlite3_stmt *s;
	char now[32], what[64], prefix[128], *detail;

	if (!kind || (strcmp(kind, "confirmation") != 0 && strcmp(kind, "inquiry") != 0))
		return md_error_set(err, MD_E_INVALID, "kind",
		                    _("kind must be confirmation (確認通知) or inquiry (照会書), not \"%s\""),
		                    kind ? kind : "");
	inquiry = strcmp(kind, "inquiry") == 0;
	snprintf(what, sizeof what, "%s %lld", kind, id);
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if (!(s = md_store_stmt(ctx->store, inquiry ? inq_sel : conf_sel, err)))
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		person = sqlite3_column_int64(s, 0);
		printed = sqlite3_column_int(s, 1);
		mailed = sqlite3_column_int(s, 2);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		if (inquiry)
			md_error_set(err, MD_E_NOTFOUND, "id", _("there is no seal application %lld with a 照会書"), id);
		else
			md_error_set(err, MD_E_NOTFOUND, "id", _("there is no 確認通知 %lld"), id);
		goto refuse;
	}
	if (mailed) {
		md_error_set(err, MD_E_CONFLICT, "id", _("%s %lld is already marked mailed"),
		             inquiry ? "照会書" : "確認通知", id);
		goto refuse;
	}
	if (!printed) {
		md_error_set(err, MD_E_CONFLICT, "id", _("%s %lld has not been printed yet: print it first (cert letter)"),
		             inquiry ? "照会書" : "確認通知", id);
		goto refuse;
	}
	md_time_iso(md_time_now(), now, sizeof now);
	if (!(s = md_store_stmt(ctx->store, inquiry ? inq_upd : conf_upd, err)))
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, now);
	md_bind_text(s, 3, user(ctx));
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		md_store_fail(ctx->store, err, inquiry ? "seals" : "confirmation_letters");
		goto fail;
	}
	detail = xasprintf("%s mailed", what);
	rc = audit_one(ctx, "cert.letter", "mailed", person, "ok", detail, err);
	free(detail);
	if (rc != MD_OK)
		goto fail;
	if ((rc = md_store_commit(ctx->store, err)) != MD_OK)
		return rc;
	md_cert_letter_prefix(ctx->kind == MD_DB_TRAINING, kind, id, prefix, sizeof prefix);
	removed = md_cert_spool_remove_prefix(ctx, prefix);
	md_result_message(res, _("%s %lld marked mailed; %d file(s) removed from the spool"),
	                  inquiry ? "照会書" : "確認通知", id, removed);
	return MD_OK;
refuse:
	md_store_rollback(ctx->store);
	return refused(ctx, "cert.letter", "mailed", person, what, err);
fail:
	md_store_rollback(ctx->store);
	return err->code ? err->code : MD_E_DB;
}

/* ---- the spool ----------------------------------------------------------------------- */

int md_cert_spool(struct md_ctx *ctx, char **dir, struct md_error *err)
{
	/* Default spool: beside the database, one per database (as cert.issue). */
	char *base = xasprintf("%s.spool", md_store_path(ctx->store));
	int rc = md_pdf_spool_dir(ctx->cfg.spool_dir, base, dir, err);
	free(base);
	return rc;
}

int md_cert_spool_remove_transaction(struct md_ctx *ctx, long long tx)
{
	static const char sql[] = "SELECT spool_path FROM issuances WHERE transaction_id = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
	int removed = 0;

	if (!s)
		return 0;
	sqlite3_bind_int64(s, 1, tx);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *p = md_col_text(s, 0);
		if (*p && unlink(p) == 0)
			removed++;
	}
	sqlite3_reset(s);
	return removed;
}

static int is_pdf(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcmp(name + n - 4, ".pdf") == 0;
}

int md_cert_spool_remove_prefix(struct md_ctx *ctx, const char *prefix)
{
	struct md_error e;
	char *dir = NULL;
	DIR *d;
	struct dirent *de;
	int removed = 0;

	if (md_cert_spool(ctx, &dir, &e) != MD_OK)
		return 0;
	if ((d = opendir(dir))) {
		while ((de = readdir(d))) {
			if (strncmp(de->d_name, prefix, strlen(prefix)) == 0 && is_pdf(de->d_name) &&
			    unlinkat(dirfd(d), de->d_name, 0) == 0)
				removed++;
		}
		closedir(d);
	}
	free(dir);
	return removed;
}

/* 1 when path is the PDF of a copy whose transaction is still open. */
static int still_open(struct md_ctx *ctx, const char *path)
{
	static const char sql[] =
		"SELECT 1 FROM issuances i JOIN counter_transactions t ON t.id = i.transaction_id "
		"WHERE i.spool_path = ?1 AND t.status IN ('open', 'verified')";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
	int open;

	if (!s)
		return 1;
	md_bind_text(s, 1, path);
	open = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return open;
}

int md_cert_spool_purge(struct md_ctx *ctx, struct md_result *res, struct md_error *err)
{
	char *dir = NULL, detail[256];
	DIR *d;
	struct dirent *de;
	int removed = 0, kept = 0, failed = 0, rc;
	time_t since;

	if (!ctx->session)
		return md_error_set(err, MD_E_AUTH, "", _("log in first"));
	since = ctx->session->login_time;
	if ((rc = md_cert_spool(ctx, &dir, err)) != MD_OK)
		return rc;
	if (!(d = opendir(dir))) {
		rc = md_error_set(err, MD_E_IO, "print.spool_dir", _("cannot read the spool directory %s"), dir);
		free(dir);
		return rc;
	}
	while ((de = readdir(d))) {
		struct stat st;
		char *path;
		if (!is_pdf(de->d_name))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (st.st_mtime >= since || still_open(ctx, path))
			kept++;
		else if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			removed++;
		else
			failed++;
		free(path);
	}
	closedir(d);
	snprintf(detail, sizeof detail, "removed=%d kept=%d failed=%d", removed, kept, failed);
	rc = audit_one(ctx, "cert.purge_spool", "purge", 0, failed ? "failed" : "ok", detail, err);
	if (rc == MD_OK && failed)
		rc = md_error_set(err, MD_E_IO, "print.spool_dir",
		                  _("%d file(s) of the spool %s could not be removed (%d removed): check their permissions"),
		                  failed, dir, removed);
	if (rc == MD_OK)
		md_result_message(res,
		                  _("%d file(s) removed from the spool %s; %d kept (newer than this session or of an open counter transaction)"),
		                  removed, dir, kept);
	free(dir);
	return rc;
}
