/* cmd_certificate.c: the certificate commands (cert.preview, cert.issue,
 * cert.void, cert.history, cert.summary, cert.verify) and the issuance
 * history (交付履歴) they write and read: one row per copy, numbered per
 * terminal and day, never deleted within its retention period. What goes on
 * a certificate is certificate.c's. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "account.h"
#include "audit.h"
#include "certadmin.h"
#include "certificate.h"
#include "cmd_impl.h"
#include "counter.h"
#include "datafiles.h"
#include "ctx.h"
#include "i18n.h"
#include "pdf.h"
#include "person.h"
#include "result.h"
#include "seal.h"
#include "store.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

#define ARG(k) md_args_get(args, (k))

/* ---- issuing ----------------------------------------------------------------------------------------- */

static int next_serial(struct md_ctx *ctx, const char *day, long *serial, struct md_error *err)
{
	static const char sql[] =
		"SELECT coalesce(max(serial), 0) + 1 FROM issuances WHERE issued_on = ?1 AND terminal = ?2";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int rc;

	if (!s)
		return MD_E_DB;
	md_bind_text(s, 1, day);
	md_bind_text(s, 2, ctx->cfg.terminal_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*serial = (long)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return md_store_fail(ctx->store, err, _("numbering the certificate"));
	if (*serial > 999999)
		return md_error_set(err, MD_E_CONFLICT, "serial",
		                    _("this terminal has issued 999999 certificates today: no serial is left"));
	return MD_OK;
}

static int unique_vcode(struct md_ctx *ctx, const char *seed, char code[MD_CERT_VCODE_LEN + 1],
                        struct md_error *err)
{
	static const char sql[] = "SELECT 1 FROM issuances WHERE verification_code = ?1";
	for (int attempt = 0; attempt < 16; attempt++) {
		sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
		char *full = xasprintf("%s|%d", seed, attempt);
		int taken;
		if (!s) {
			free(full);
			return MD_E_DB;
		}
		md_cert_vcode(ctx->keys.verify, full, code);
		free(full);
		md_bind_text(s, 1, code);
		taken = sqlite3_step(s) == SQLITE_ROW;
		sqlite3_reset(s);
		if (!taken)
			return MD_OK;
	}
	return md_error_set(err, MD_E_CONFLICT, "verification_code", _("no free verification code was found"));
}

static void keep_until(const char *today, int years, char out[11])
{
	int y = 0, m = 0, d = 0;
	if (sscanf(today, "%4d-%2d-%2d", &y, &m, &d) != 3) {
		snprintf(out, 11, "9999-12-31");
		return;
	}
	y += years;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		d = 28;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

struct issued {
	long long id;
	char number[256];
	char vcode[MD_CERT_VCODE_LEN + 1];
	char *path;
	int pages;
};

static int insert_row(struct md_ctx *ctx, const struct md_cert *c, int doc, long serial,
                      struct issued *is, const char *now, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO issuances (issued_at, issued_on, place, terminal, printer, user_id, "
		"transaction_id, subject_person, household, cert_type, members, whole_household, items, "
		"format, with_history, pages, issue_number, serial, requester_category, requester_name, "
		"verification_method, purpose, protection, fee_code, fee, official, training, "
		"verification_code, keep_until, spool_path) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
		"?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, "
		"?28, ?29, ?30) RETURNING id";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	char members[512], keep[11];
	int first, n, rc;

	if (!s)
		return MD_E_DB;
	md_cert_doc_members(c, doc, &first, &n);
	md_cert_members_text(c, first, n, members, sizeof members);
	keep_until(c->today, ctx->cfg.retention_issuance_years, keep);
	md_bind_text(s, 1, now);
	md_bind_text(s, 2, c->today);
	md_bind_text(s, 3, ctx->cfg.municipality_name);
	md_bind_text(s, 4, ctx->cfg.terminal_id);
	md_bind_text(s, 5, ctx->cfg.printer_id);
	md_bind_text(s, 6, ctx->session ? ctx->session->user : "-");
	sqlite3_bind_int64(s, 7, c->transaction);
	sqlite3_bind_int64(s, 8, n == 1 ? c->m[first].p.id : c->subject);
	sqlite3_bind_int64(s, 9, c->household);
	md_bind_text(s, 10, c->type->code);
	md_bind_text(s, 11, members);
	sqlite3_bind_int(s, 12, n == c->n && c->whole_household);
	md_bind_text(s, 13, c->items);
	md_bind_text(s, 14, c->individual ? "individual" : "household");
	sqlite3_bind_int(s, 15, c->history);
	sqlite3_bind_int(s, 16, is->pages);
	md_bind_text(s, 17, is->number);
	sqlite3_bind_int64(s, 18, serial);
	md_bind_text(s, 19, c->category);
	md_bind_text(s, 20, c->applicant_name);
	md_bind_text(s, 21, c->method);
	md_bind_text(s, 22, c->purpose[0] ? c->purpose : NULL);
	md_bind_text(s, 23, c->protection[0] ? c->protection : NULL);
	md_bind_text(s, 24, c->fee_code);
	sqlite3_bind_int(s, 25, c->fee);
	sqlite3_bind_int(s, 26, c->official);
	sqlite3_bind_int(s, 27, c->training);
	md_bind_text(s, 28, is->vcode);
	md_bind_text(s, 29, keep);
	md_bind_text(s, 30, is->path);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		is->id = sqlite3_column_int64(s, 0);
		rc = sqlite3_step(s);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("recording the issuance"));
	return MD_OK;
}

static void set_print_status(struct md_ctx *ctx, long long id, const char *status)
{
	static const char sql[] = "UPDATE issuances SET print_status = ?2 WHERE id = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
	if (!s)
		return;
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, status);
	sqlite3_step(s);
	sqlite3_reset(s);
}

int md_cert_issue(struct md_ctx *ctx, struct md_cert *c, struct md_result *res,
                  struct md_error *err)
{
	static const char *const cols[] = { N_("id"), N_("issue number"), N_("verification code"),
		                            N_("pages"), N_("fee"), N_("file") };
	const char *tcols[6];
	int docs = md_cert_doc_count(c), total = docs * c->copies, made = 0, fee_total = 0, rc;
	struct issued *is = xcalloc((size_t)total, sizeof *is);
	char *spool = NULL, now[32];

	/* [print] spool_dir, or <db>.spool beside the database. */
	if ((rc = md_cert_spool(ctx, &spool, err)) != MD_OK) {
		free(is);
		return rc;
	}
	md_time_iso(md_time_now(), now, sizeof now);
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		goto out;
	for (int i = 0; i < docs && rc == MD_OK; i++) {
		for (int k = 0; k < c->copies && rc == MD_OK; k++) {
			struct issued *it = &is[made];
			struct md_pdf_doc d;
			char file[300], seed[400], extra[400];
			long serial = 0;

			if ((rc = next_serial(ctx, c->today, &serial, err)) != MD_OK)
				break;
			md_cert_issue_number(&ctx->cfg, c->training, c->today, serial, it->number,
			                     sizeof it->number);
			snprintf(seed, sizeof seed, "%s|%s|%lld", it->number, now, c->subject);
			if ((rc = unique_vcode(ctx, seed, it->vcode, err)) != MD_OK)
				break;
			if ((rc = md_cert_build_doc(ctx, c, i, it->number, it->vcode, &d, err)) != MD_OK)
				break;
			it->pages = d.npages;
			md_cert_file_name(it->number, file, sizeof file);
			it->path = xasprintf("%s/%s.pdf", spool, file);
			rc = md_pdf_write(&d, it->path, err);
			md_pdf_doc_release(&d);
			if (rc != MD_OK) {
				free(it->path);
				it->path = NULL;
				break;
			}
			made++;
			if ((rc = insert_row(ctx, c, i, serial, it, now, err)) != MD_OK)
				break;
			fee_total += c->fee;
			snprintf(extra, sizeof extra, " issue_number=%s pages=%d fee=%d id=%lld", it->number,
			         it->pages, c->fee, it->id);
			rc = md_cert_audit(ctx, c, "cert.issue", "issue", c->subject, extra, err);
		}
	}
	if (rc == MD_OK && fee_total > 0)
		rc = md_counter_add_fee(ctx, c->transaction, fee_total, err);
	/* A supervisor's override serves this one issue. */
	for (int i = 0; rc == MD_OK && i < c->noverrides; i++) {
		char extra[300];
		snprintf(extra, sizeof extra, " %s copies=%d first_issue_number=%s", c->type->code, made,
		         made ? is[0].number : "");
		rc = md_cert_override_use(ctx, c->override_id[i], c->override_person[i], extra, err);
	}
	if (rc == MD_OK)
		rc = md_store_commit(ctx->store, err);
	else
		md_store_rollback(ctx->store);
	if (rc != MD_OK) {
		for (int i = 0; i < made; i++)
			if (is[i].path)
				unlink(is[i].path);
		goto out;
	}

	for (int i = 0; i < 6; i++)
		tcols[i] = _(cols[i]);
	md_table_init(&res->table, 6, tcols);
	for (int i = 0; i < made; i++) {
		char id[24], pages[12], fee[16], vc[MD_CERT_VCODE_LEN + 2];
		const char *row[6] = { id, is[i].number, vc, pages, fee, is[i].path };
		snprintf(id, sizeof id, "%lld", is[i].id);
		snprintf(pages, sizeof pages, "%d", is[i].pages);
		snprintf(fee, sizeof fee, "%d", c->fee);
		md_cert_vcode_format(is[i].vcode, vc);
		md_table_add(&res->table, row);
	}
	md_result_message(res, P_("issued %d copy of %s, fee %d yen, in %s",
	                          "issued %d copies of %s, fee %d yen, in %s", made),
	                  made, c->type->name, fee_total, spool);
	/* Printing comes after the record: a copy that fails to print stays
	 * issued, to be printed from its file or voided. */
	for (int i = 0; i < made && ctx->cfg.print_command[0]; i++) {
		struct md_error perr;
		if (md_pdf_print(ctx->cfg.print_command, is[i].path, &perr) == MD_OK) {
			set_print_status(ctx, is[i].id, "printed");
			continue;
		}
		set_print_status(ctx, is[i].id, "print_failed");
		if (rc == MD_OK)
			rc = md_error_set(err, MD_E_IO, perr.field,
			                  _("%s; the certificate %s is issued and recorded: print %s again or void the copy (cert void %lld)"),
			                  perr.msg, is[i].number, is[i].path, is[i].id);
	}
out:
	for (int i = 0; i < total; i++)
		free(is[i].path);
	free(is);
	free(spool);
	return rc;
}

/* ---- the issuance history ------------------------------------------------------------------------ */

static const char *cert_name(const char *code)
{
	const struct md_cert_type_def *t = md_cert_type_find(code);
	return t ? t->name : code;
}

static const char *category_term(const char *code)
{
	static const struct { const char *code, *term; } terms[] = {
		{ "self", "本人" }, { "household", "同一世帯員" }, { "agent", "代理人" },
		{ "third_party", "第三者" }, { "official", "公用" }, { "professional", "職務上請求" },
	};
	for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++)
		if (strcmp(terms[i].code, code) == 0)
			return terms[i].term;
	return code;
}

static void wareki_of(const char *iso, char *buf, size_t n)
{
	struct md_date d;
	if (md_date_from_iso(iso, &d) == 0)
		md_date_format_wareki(&d, buf, n);
	else
		snprintf(buf, n, "%s", iso);
}

/* Local time of an ISO UTC timestamp (timeutil.h). */
static void local_time(const char *iso, char *buf, size_t n)
{
	md_time_local_text(iso, 0, buf, n);
}

static int audit_entry(struct md_ctx *ctx, const char *function, const char *action,
                       long long subject, const char *outcome, const char *detail,
                       struct md_error *err)
{
	char sub[24];
	struct md_audit_rec r = { NULL, function, subject > 0 ? sub : NULL, action, outcome, detail, 0 };
	snprintf(sub, sizeof sub, "%lld", subject);
	return md_audit(ctx, &r, err);
}

char *md_cert_mask_name(const char *name)
{
	size_t n = strlen(name), o = 0;
	char *out = xmalloc(n * 3 + 1);
	int at_start = 1;

	for (size_t i = 0; i < n;) {
		const unsigned char c = (unsigned char)name[i];
		size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		int space = c == ' ' || (len == 3 && memcmp(name + i, "\xE3\x80\x80", 3) == 0);
		if (i + len > n)
			len = n - i;
		if (space || at_start) {
			memcpy(out + o, name + i, len);
			o += len;
		} else {
			out[o++] = '*';
		}
		at_start = space;
		i += len;
	}
	out[o] = '\0';
	return out;
}

int md_cert_void(struct md_ctx *ctx, long long id, const char *reason, struct md_result *res,
                 struct md_error *err)
{
	static const char get[] =
		"SELECT subject_person, issue_number, voided_at, cert_type, fee, transaction_id "
		"FROM issuances WHERE id = ?1";
	static const char upd[] =
		"UPDATE issuances SET voided_at = ?2, voided_by = ?3, void_reason = ?4 WHERE id = ?1";
	/* The copy's fee goes back out of its transaction's total: the cash
	 * taken is the net of what was issued and what was voided. */
	static const char refund[] =
		"UPDATE counter_transactions SET fee_total = fee_total - ?2 WHERE id = ?1 AND fee_total >= ?2";
	sqlite3_stmt *s;
	long long subject = 0, tx = 0;
	char number[256] = "", type[24] = "", now[32], detail[700];
	int voided = 0, fee = 0, rc;

	if (!reason || !*reason)
		return md_error_set(err, MD_E_INVALID, "reason", _("reason is missing: say why the copy is voided (処分)"));
	if (!(s = md_store_stmt(ctx->store, get, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		subject = sqlite3_column_int64(s, 0);
		snprintf(number, sizeof number, "%s", md_col_text(s, 1));
		voided = sqlite3_column_type(s, 2) != SQLITE_NULL;
		snprintf(type, sizeof type, "%s", md_col_text(s, 3));
		fee = sqlite3_column_int(s, 4);
		tx = sqlite3_column_int64(s, 5);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return md_error_set(err, MD_E_NOTFOUND, "id", _("there is no issued certificate %lld"), id);
	if (voided)
		return md_error_set(err, MD_E_CONFLICT, "id", _("certificate %lld (%s) is already voided"), id,
		                    number);
	md_time_iso(md_time_now(), now, sizeof now);
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if (!(s = md_store_stmt(ctx->store, upd, err))) {
		md_store_rollback(ctx->store);
		return MD_E_DB;
	}
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, now);
	md_bind_text(s, 3, ctx->session ? ctx->session->user : "-");
	md_bind_text(s, 4, reason);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		rc = md_store_fail(ctx->store, err, _("voiding the certificate"));
		md_store_rollback(ctx->store);
		return rc;
	}
	if (fee > 0) {
		if (!(s = md_store_stmt(ctx->store, refund, err))) {
			md_store_rollback(ctx->store);
			return MD_E_DB;
		}
		sqlite3_bind_int64(s, 1, tx);
		sqlite3_bind_int(s, 2, fee);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE || sqlite3_changes(md_store_db(ctx->store)) != 1) {
			if (rc != SQLITE_DONE)
				rc = md_store_fail(ctx->store, err, _("refunding the fee"));
			else
				rc = md_error_set(err, MD_E_CONFLICT, "id",
				                  _("counter transaction %lld does not hold the fee of certificate %lld (%d yen)"),
				                  tx, id, fee);
			md_store_rollback(ctx->store);
			return rc;
		}
	}
	snprintf(detail, sizeof detail, "id=%lld %s issue_number=%s transaction=%lld refund=%d reason=%s", id,
	         type, number, tx, fee, reason);
	if ((rc = audit_entry(ctx, "cert.void", "void", subject, "ok", detail, err)) != MD_OK) {
		md_store_rollback(ctx->store);
		return rc;
	}
	if ((rc = md_store_commit(ctx->store, err)) != MD_OK)
		return rc;
	md_result_message(res, _("certificate %lld (%s) is voided (処分): %s; %d yen refunded from counter transaction %lld"),
	                  id, number, reason, fee, tx);
	return MD_OK;
}

/* A refusal of cert.print, audited, returned. */
static int print_refused(struct md_ctx *ctx, long long id, long long subject, int rc, struct md_error *err)
{
	char detail[700];
	snprintf(detail, sizeof detail, "id=%lld: %s", id, err->msg);
	audit_entry(ctx, "cert.print", "print", subject,
	            rc == MD_E_DENIED || rc == MD_E_CONFLICT ? "denied" : "failed", detail, NULL);
	return rc;
}

int md_cert_print(struct md_ctx *ctx, long long id, struct md_result *res, struct md_error *err)
{
	static const char get[] =
		"SELECT i.subject_person, i.issue_number, i.voided_at IS NOT NULL, i.spool_path, i.transaction_id, "
		"t.status IN ('open','verified'), t.opened_by, t.terminal, i.print_status "
		"FROM issuances i JOIN counter_transactions t ON t.id = i.transaction_id WHERE i.id = ?1";
	static const char upd[] = "UPDATE issuances SET print_status = ?2 WHERE id = ?1";
	const char *user = ctx->session ? ctx->session->user : "";
	char number[256] = "", path[4096] = "", opened_by[128] = "", terminal[64] = "", before[16] = "";
	char detail[700];
	long long subject = 0, tx = 0;
	int voided = 0, open = 0, rc, printed;
	struct md_error perr;
	sqlite3_stmt *s;

	if (!(s = md_store_stmt(ctx->store, get, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		subject = sqlite3_column_int64(s, 0);
		snprintf(number, sizeof number, "%s", md_col_text(s, 1));
		voided = sqlite3_column_int(s, 2);
		snprintf(path, sizeof path, "%s", md_col_text(s, 3));
		tx = sqlite3_column_int64(s, 4);
		open = sqlite3_column_int(s, 5);
		snprintf(opened_by, sizeof opened_by, "%s", md_col_text(s, 6));
		snprintf(terminal, sizeof terminal, "%s", md_col_text(s, 7));
		snprintf(before, sizeof before, "%s", md_col_text(s, 8));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		md_error_set(err, MD_E_NOTFOUND, "id", _("there is no issued certificate %lld"), id);
		return print_refused(ctx, id, 0, MD_E_NOTFOUND, err);
	}
	/* Only the clerk still serving the applicant, or a supervisor. */
	if (!md_auth_can(ctx, "cert.void") &&
	    (!open || strcmp(opened_by, user) != 0 || strcmp(terminal, ctx->cfg.terminal_id) != 0)) {
		md_error_set(err, MD_E_DENIED, "id",
		             _("certificate %lld (%s) belongs to counter transaction %lld, which is not your open transaction on this terminal: a supervisor (cert.void) prints it again"),
		             id, number, tx);
		return print_refused(ctx, id, subject, MD_E_DENIED, err);
	}
	if (voided) {
		md_error_set(err, MD_E_CONFLICT, "id", _("certificate %lld (%s) is voided (処分): it is not printed again"),
		             id, number);
		return print_refused(ctx, id, subject, MD_E_CONFLICT, err);
	}
	if (!ctx->cfg.print_command[0]) {
		md_error_set(err, MD_E_CONFIG, "print.command",
		             _("no printer is set up: [print] command is empty in the configuration; print %s from the PDF file %s"),
		             number, path);
		return print_refused(ctx, id, subject, MD_E_CONFIG, err);
	}
	if (access(path, R_OK) != 0) {
		md_error_set(err, MD_E_NOTFOUND, "id",
		             _("the PDF of certificate %lld (%s) is no longer in the spool (it goes when its transaction closes): void the copy and issue a new one"),
		             id, number);
		return print_refused(ctx, id, subject, MD_E_NOTFOUND, err);
	}
	printed = md_pdf_print(ctx->cfg.print_command, path, &perr) == MD_OK;
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if (!(s = md_store_stmt(ctx->store, upd, err))) {
		md_store_rollback(ctx->store);
		return MD_E_DB;
	}
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, printed ? "printed" : "print_failed");
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		rc = md_store_fail(ctx->store, err, _("recording the print status"));
		md_store_rollback(ctx->store);
		return rc;
	}
	snprintf(detail, sizeof detail, "id=%lld issue_number=%s transaction=%lld was=%s%s%.400s", id, number, tx,
	         before, printed ? "" : ": ", printed ? "" : perr.msg);
	if ((rc = audit_entry(ctx, "cert.print", "reprint", subject, printed ? "ok" : "failed", detail, err)) !=
	    MD_OK) {
		md_store_rollback(ctx->store);
		return rc;
	}
	if ((rc = md_store_commit(ctx->store, err)) != MD_OK)
		return rc;
	if (!printed)
		return md_error_set(err, MD_E_IO, perr.field, _("%s; certificate %lld (%s) is still not printed"),
		                    perr.msg, id, number);
	md_result_message(res, _("certificate %lld (%s) is sent to the printer again"), id, number);
	return MD_OK;
}

int md_cert_verify(struct md_ctx *ctx, const char *code, struct md_result *res,
                   struct md_error *err)
{
	static const char sql[] =
		"SELECT i.cert_type, i.issued_on, i.issue_number, i.voided_at, coalesce(i.void_reason, ''), "
		"p.surname || ' ' || p.given_name, i.subject_person, i.official, i.place "
		"FROM issuances i JOIN persons p ON p.id = i.subject_person WHERE i.verification_code = ?1";
	static const char *const cols[] = { N_("item"), N_("value") };
	const char *tcols[2] = { _(cols[0]), _(cols[1]) };
	char norm[MD_CERT_VCODE_LEN + 1], shown[MD_CERT_VCODE_LEN + 2], detail[128];
	sqlite3_stmt *s;
	int rc;

	if (md_cert_vcode_normalize(code, norm) != 0) {
		snprintf(detail, sizeof detail, "code=%.40s", code ? code : "");
		audit_entry(ctx, "cert.verify", "verify", 0, "failed", detail, NULL);
		return md_error_set(err, MD_E_INVALID, "code",
		                    _("\"%s\" is not a verification code: 8 letters and digits, e.g. 7KQ2-M9XD"),
		                    code ? code : "");
	}
	md_cert_vcode_format(norm, shown);
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	md_bind_text(s, 1, norm);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		snprintf(detail, sizeof detail, "code=%s not found", norm);
		audit_entry(ctx, "cert.verify", "verify", 0, "failed", detail, NULL);
		return md_error_set(err, MD_E_NOTFOUND, "code",
		                    _("no certificate was issued with the verification code %s"), shown);
	} else {
		char date[MD_DATE_TEXT_MAX], *masked = md_cert_mask_name(md_col_text(s, 5));
		const char *rows[8][2];
		int voided = sqlite3_column_type(s, 3) != SQLITE_NULL;
		char state[600];
		long long subject = sqlite3_column_int64(s, 6);
		char type[64], number[256], place[128];

		snprintf(type, sizeof type, "%s", cert_name(md_col_text(s, 0)));
		snprintf(number, sizeof number, "%s", md_col_text(s, 2));
		snprintf(place, sizeof place, "%s", md_col_text(s, 8));
		wareki_of(md_col_text(s, 1), date, sizeof date);
		if (voided) {
			char vdate[32];
			local_time(md_col_text(s, 3), vdate, sizeof vdate);
			snprintf(state, sizeof state, _("voided (処分) on %s: %s"), vdate, md_col_text(s, 4));
		} else {
			snprintf(state, sizeof state, "%s", _("valid: issued and not voided"));
		}
		sqlite3_reset(s);
		md_table_init(&res->table, 2, tcols);
		rows[0][0] = "照合番号"; rows[0][1] = shown;
		rows[1][0] = "証明書"; rows[1][1] = type;
		rows[2][0] = "交付日"; rows[2][1] = date;
		rows[3][0] = "発行者"; rows[3][1] = place;
		rows[4][0] = "発行番号"; rows[4][1] = number;
		rows[5][0] = "対象者"; rows[5][1] = masked;
		rows[6][0] = "状態"; rows[6][1] = state;
		for (int i = 0; i < 7; i++)
			md_table_add(&res->table, rows[i]);
		snprintf(detail, sizeof detail, "code=%s %s", norm, voided ? "voided" : "valid");
		rc = audit_entry(ctx, "cert.verify", "verify", subject, "ok", detail, err);
		if (rc == MD_OK)
			md_result_message(res, voided ? _("%s: %s of %s, issued %s: VOIDED") : _("%s: %s of %s, issued %s: valid"),
			                  shown, type, masked, date);
		free(masked);
		return rc;
	}
}

/* A date argument (any form md_date_parse takes) as ISO; today when absent. */
static int day_arg(const char *v, char out[16], struct md_error *err)
{
	struct md_date d;

	if (!v || !*v) {
		md_date_local(md_time_now(), out, 16);
		return MD_OK;
	}
	if (md_date_parse(v, &d, err) != MD_OK || d.prec != MD_DATE_FULL) {
		md_error_set(err, MD_E_INVALID, "date",
		             _("date: \"%s\" is not a day (令和8年4月1日, R8.4.1 or 2026-04-01)"), v);
		return MD_E_INVALID;
	}
	md_date_to_iso(&d, out);
	return MD_OK;
}

int md_cert_history(struct md_ctx *ctx, long long person, const char *date, const char *terminal,
                    struct md_result *res, struct md_error *err)
{
	static const char sql[] =
		"SELECT id, issued_at, terminal, user_id, cert_type, subject_person, members, items, pages, "
		"issue_number, requester_category, requester_name, fee, coalesce(void_reason, ''), "
		"voided_at IS NOT NULL, print_status FROM issuances "
		"WHERE (?1 = 0 OR subject_person = ?1 OR ',' || members || ',' LIKE '%,' || ?1 || ',%') "
		"AND (?2 IS NULL OR issued_on = ?2) AND (?3 IS NULL OR terminal = ?3) ORDER BY id";
	static const char *const cols[] = { N_("id"), N_("issued at"), N_("terminal"), N_("user"),
		                            N_("certificate"), N_("subject"), N_("members"), N_("items"),
		                            N_("pages"), N_("issue number"), N_("requester"), N_("fee"),
		                            N_("printed"), N_("voided") };
	const char *tcols[14];
	char detail[256];
	sqlite3_stmt *s;
	int rc, n = 0;

	for (int i = 0; i < 14; i++)
		tcols[i] = _(cols[i]);
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	md_table_init(&res->table, 14, tcols);
	sqlite3_bind_int64(s, 1, person);
	md_bind_text(s, 2, date);
	md_bind_text(s, 3, terminal);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char id[24], at[32], subject[24], pages[12], fee[16], requester[300], voided[300];
		const char *row[14] = { id, at, md_col_text(s, 2), md_col_text(s, 3),
			                cert_name(md_col_text(s, 4)), subject, md_col_text(s, 6),
			                md_col_text(s, 7), pages, md_col_text(s, 9), requester, fee,
			                md_col_text(s, 15), voided };
		snprintf(id, sizeof id, "%lld", sqlite3_column_int64(s, 0));
		local_time(md_col_text(s, 1), at, sizeof at);
		snprintf(subject, sizeof subject, "%lld", sqlite3_column_int64(s, 5));
		snprintf(pages, sizeof pages, "%d", sqlite3_column_int(s, 8));
		snprintf(requester, sizeof requester, "%s %s", category_term(md_col_text(s, 10)),
		         md_col_text(s, 11));
		snprintf(fee, sizeof fee, "%d", sqlite3_column_int(s, 12));
		if (sqlite3_column_int(s, 14))
			snprintf(voided, sizeof voided, "処分: %s", md_col_text(s, 13));
		else
			voided[0] = '\0';
		md_table_add(&res->table, row);
		n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("reading the issuance history"));
	snprintf(detail, sizeof detail, "person=%lld date=%s terminal=%s rows=%d", person,
	         date ? date : "-", terminal ? terminal : "all", n);
	if ((rc = audit_entry(ctx, "cert.history", "list", person, "ok", detail, err)) != MD_OK)
		return rc;
	md_result_message(res, P_("%d copy issued", "%d copies issued", n), n);
	return MD_OK;
}

int md_cert_summary(struct md_ctx *ctx, const char *date, const char *terminal,
                    struct md_result *res, struct md_error *err)
{
	static const char sql[] =
		"SELECT terminal, cert_type, count(*), sum(voided_at IS NOT NULL), "
		"sum(official AND voided_at IS NULL), sum(fee), "
		"sum(CASE WHEN voided_at IS NOT NULL THEN fee ELSE 0 END) "
		"FROM issuances WHERE issued_on = ?1 AND (?2 IS NULL OR terminal = ?2) "
		"GROUP BY terminal, cert_type ORDER BY terminal, cert_type";
	static const char *const cols[] = { N_("terminal"), N_("type"), N_("certificate"), N_("issued"),
		                            N_("voided"), N_("net"), N_("official"), N_("fees issued"),
		                            N_("fees refunded"), N_("fees net") };
	const char *tcols[10];
	long long tot[6] = { 0 };
	char shown[MD_DATE_TEXT_MAX], detail[256];
	sqlite3_stmt *s;
	int rc;

	for (int i = 0; i < 10; i++)
		tcols[i] = _(cols[i]);
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	md_table_init(&res->table, 10, tcols);
	md_bind_text(s, 1, date);
	md_bind_text(s, 2, terminal);
	/* One row per terminal and type, then the total: copies issued, voided
	 * (処分) and the net; fees taken, refunded for the voided copies, net. */
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		long long v[6];
		char num[6][24];
		const char *row[10];
		v[0] = sqlite3_column_int64(s, 2);
		v[1] = sqlite3_column_int64(s, 3);
		v[2] = v[0] - v[1];
		v[3] = sqlite3_column_int64(s, 4);
		v[4] = sqlite3_column_int64(s, 5);
		v[5] = sqlite3_column_int64(s, 6);
		row[0] = md_col_text(s, 0);
		row[1] = md_col_text(s, 1);
		row[2] = cert_name(row[1]);
		for (int i = 0; i < 6; i++) {
			tot[i] += v[i];
			snprintf(num[i], sizeof num[i], "%lld", v[i]);
		}
		row[3] = num[0];
		row[4] = num[1];
		row[5] = num[2];
		row[6] = num[3];
		row[7] = num[4];
		row[8] = num[5];
		{
			char net[24];
			snprintf(net, sizeof net, "%lld", v[4] - v[5]);
			row[9] = net;
			md_table_add(&res->table, row);
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("reading the issuance history"));
	{
		char num[7][24];
		const char *row[10] = { terminal ? terminal : "all", "total", "合計", num[0], num[1], num[2],
			                num[3], num[4], num[5], num[6] };
		for (int i = 0; i < 6; i++)
			snprintf(num[i], sizeof num[i], "%lld", tot[i]);
		snprintf(num[6], sizeof num[6], "%lld", tot[4] - tot[5]);
		md_table_add(&res->table, row);
	}
	wareki_of(date, shown, sizeof shown);
	snprintf(detail, sizeof detail, "date=%s terminal=%s copies=%lld voided=%lld fee=%lld refunded=%lld",
	         date, terminal ? terminal : "all", tot[0], tot[1], tot[4], tot[5]);
	if ((rc = audit_entry(ctx, "cert.summary", "report", 0, "ok", detail, err)) != MD_OK)
		return rc;
	md_result_message(res, _("%s %s: %lld issued, %lld voided, %lld net; net fees %lld yen"), shown,
	                  terminal ? terminal : _("all terminals"), tot[0], tot[1], tot[2], tot[4] - tot[5]);
	return MD_OK;
}

/* ---- letters to the registered address ------------------------------------------------------------ */

static const struct md_layout *letter_layout(struct md_error *err)
{
	static struct md_layout l;
	static int loaded;

	if (!loaded) {
		if (md_layout_parse(md_data_letter_tsv, "letter.tsv", &l, err) != MD_OK)
			return NULL;
		loaded = 1;
	}
	return &l;
}

/* The local date of a UTC time stamp, in the era. */
static void wareki_of_time(const char *iso, char *buf, size_t n)
{
	char local[32];
	local_time(iso, local, sizeof local);
	local[10] = '\0';
	wareki_of(local, buf, n);
}

/* The values of a letter: a 確認通知 (confirmation_letters, counter.c) or a
 * 照会書 (a pending seal application, seal.c). */
static int letter_vars(struct md_ctx *ctx, const char *kind, long long id, struct md_vars *v,
                       long long *person, int *printed, struct md_error *err)
{
	char date[MD_DATE_TEXT_MAX];

	if (strcmp(kind, "confirmation") == 0) {
		static const char sql[] =
			"SELECT person_id, name, coalesce(postal_code, ''), address, reason, created_at, "
			"printed_at IS NOT NULL, mailed_at IS NOT NULL FROM confirmation_letters WHERE id = ?1";
		sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
		int rc, mailed;

		if (!s)
			return MD_E_DB;
		sqlite3_bind_int64(s, 1, id);
		if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			*person = sqlite3_column_int64(s, 0);
			md_vars_set(v, "name", md_col_text(s, 1));
			md_vars_set(v, "postal_code", md_col_text(s, 2));
			md_vars_set(v, "address", md_col_text(s, 3));
			md_vars_set(v, "reason", md_col_text(s, 4));
			wareki_of_time(md_col_text(s, 5), date, sizeof date);
			md_vars_set(v, "received_on", date);
			md_vars_set(v, "confirmation", "1");
			md_vars_setf(v, "reference", "確認通知 第%lld号", id);
		}
		*printed = rc == SQLITE_ROW && sqlite3_column_int(s, 6);
		mailed = rc == SQLITE_ROW && sqlite3_column_int(s, 7);
		sqlite3_reset(s);
		if (rc != SQLITE_ROW)
			return md_error_set(err, MD_E_NOTFOUND, "id", _("there is no 確認通知 %lld"), id);
		if (mailed)
			return md_error_set(err, MD_E_CONFLICT, "id", _("確認通知 %lld is already marked mailed"), id);
		return MD_OK;
	}
	if (strcmp(kind, "inquiry") == 0) {
		static const char sql[] =
			"SELECT inquiry_printed_at IS NOT NULL, inquiry_mailed_at IS NOT NULL FROM seals WHERE id = ?1";
		struct md_seal_letter sl;
		sqlite3_stmt *s;
		int rc = md_seal_letter(ctx, id, &sl, err), mailed = 0;
		if (rc != MD_OK)
			return rc;
		if (!(s = md_store_stmt(ctx->store, sql, err)))
			return MD_E_DB;
		sqlite3_bind_int64(s, 1, id);
		if (sqlite3_step(s) == SQLITE_ROW) {
			*printed = sqlite3_column_int(s, 0);
			mailed = sqlite3_column_int(s, 1);
		}
		sqlite3_reset(s);
		if (mailed)
			return md_error_set(err, MD_E_CONFLICT, "id", _("the 照会書 of seal application %lld is already marked mailed"), id);
		*person = sl.person_id;
		md_vars_set(v, "name", sl.name);
		md_vars_set(v, "postal_code", sl.postal_code);
		md_vars_set(v, "address", sl.address);
		wareki_of(sl.applied_on, date, sizeof date);
		md_vars_set(v, "applied_on", date);
		wareki_of(sl.answer_due, date, sizeof date);
		md_vars_set(v, "answer_due", date);
		md_vars_setf(v, "seal_id", "%lld", id);
		md_vars_set(v, "inquiry", "1");
		md_vars_setf(v, "reference", "印鑑登録 受付番号 %lld", id);
		return MD_OK;
	}
	return md_error_set(err, MD_E_INVALID, "kind",
	                    _("kind must be confirmation (確認通知) or inquiry (照会書), not \"%s\""), kind);
}

static int inquiry_printed(struct md_ctx *ctx, long long id, struct md_error *err)
{
	static const char sql[] = "UPDATE seals SET inquiry_printed_at = ?2 WHERE id = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	char now[32];
	int rc;

	if (!s)
		return MD_E_DB;
	md_time_iso(md_time_now(), now, sizeof now);
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? MD_OK : md_store_fail(ctx->store, err, "seals");
}

int md_cert_letter(struct md_ctx *ctx, const char *kind, long long id, struct md_result *res,
                   struct md_error *err)
{
	const struct md_layout *l = letter_layout(err);
	struct md_vars v;
	struct md_pdf_doc d;
	long long person = 0;
	char buf[512], stamp[32], file[400], prefix[128], *spool = NULL, *path = NULL;
	int training = ctx->kind == MD_DB_TRAINING, rc, printed = 0, inquiry;
	time_t now = md_time_now();
	struct tm tm;

	if (!l)
		return err->code;
	md_vars_init(&v);
	memset(&d, 0, sizeof d);
	if ((rc = letter_vars(ctx, kind ? kind : "", id, &v, &person, &printed, err)) != MD_OK)
		goto out;
	inquiry = strcmp(kind, "inquiry") == 0;
	md_vars_set(&v, "municipality", ctx->cfg.municipality_name);
	md_cert_mayor_line(&ctx->cfg, buf, sizeof buf);
	md_vars_set(&v, "mayor", buf);
	md_vars_set(&v, "seal_note", "公印省略");
	{
		char today[16], shown[MD_DATE_TEXT_MAX];
		md_date_local(now, today, sizeof today);
		wareki_of(today, shown, sizeof shown);
		md_vars_set(&v, "date", shown);
	}
	md_vars_setf(&v, "issue_number", "%s%s", training ? "見本-" : "", md_vars_get(&v, "reference"));
	if ((rc = md_pdf_build(l, &v, NULL, 0, 0, &d, err)) != MD_OK)
		goto out;
	d.training = training;
	d.title = xstrdup(strcmp(kind, "inquiry") == 0 ? "印鑑登録の照会書" : "確認通知");
	if ((rc = md_pdf_fit(&d, err)) != MD_OK)
		goto out;
	if ((rc = md_cert_spool(ctx, &spool, err)) != MD_OK)
		goto out;
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
	md_cert_letter_prefix(training, kind, id, prefix, sizeof prefix);
	snprintf(file, sizeof file, "%s%s", prefix, stamp);
	path = xasprintf("%s/%s.pdf", spool, file);
	if ((rc = md_pdf_write(&d, path, err)) != MD_OK)
		goto out;
	if ((rc = md_pdf_print(ctx->cfg.print_command, path, err)) != MD_OK) {
		md_error_set(err, err->code, err->field, _("%s; the letter is in %s: print it from there"),
		             err->msg, path);
		goto out;
	}
	/* Marked printed at the first print (or, without a print command, once
	 * written); printing again is allowed until it is marked mailed. */
	if (!printed && !inquiry && (rc = md_counter_letter_printed(ctx, id, err)) != MD_OK) {
		unlink(path);
		goto out;
	}
	if (!printed && inquiry && (rc = inquiry_printed(ctx, id, err)) != MD_OK) {
		unlink(path);
		goto out;
	}
	snprintf(buf, sizeof buf, "%s %lld %s", kind, id, path);
	if ((rc = audit_entry(ctx, "cert.letter", printed ? "reprint" : "print", person, "ok", buf, err)) != MD_OK)
		goto out;
	/* The print queue has its own copy: the spool keeps nothing. */
	if (ctx->cfg.print_command[0])
		unlink(path);
	md_result_message(res, ctx->cfg.print_command[0] ? _("%s printed%s") : _("%s written to %s: print it from there, then mark it mailed"),
	                  d.title, ctx->cfg.print_command[0] ? (printed ? _(" again") : "") : path);
out:
	if (rc != MD_OK) {
		/* A refused or failed letter is audited like any refusal. */
		char detail[700];
		snprintf(detail, sizeof detail, "%s %lld: %s", kind ? kind : "-", id, err->msg);
		audit_entry(ctx, "cert.letter", "print",  person,
		            err->code == MD_E_DENIED || err->code == MD_E_CONFLICT ? "denied" : "failed", detail, NULL);
	}
	md_pdf_doc_release(&d);
	md_vars_release(&v);
	free(spool);
	free(path);
	return rc;
}

/* ---- the commands ----------------------------------------------------------------------------------- */

static const struct md_arg_spec cert_args[] = {
	{ "transaction", MD_ARG_POS, 1, N_("the counter transaction, verified, with its subject set") },
	{ "type", MD_ARG_OPT, 1,
	  N_("juminhyo (住民票の写し), joshu (住民票の除票の写し), kisai (住民票記載事項証明書), inkan (印鑑登録証明書) or code_notice (住民票コード通知票)") },
	{ "members", MD_ARG_OPT, 0,
	  N_("all (世帯全員) or 宛名番号 separated by commas (default: all for juminhyo, else the subject)") },
	{ "format", MD_ARG_OPT, 0, N_("household (世帯連記式, the default) or individual (個人票)") },
	{ "history", MD_ARG_FLAG, 0, N_("with the history of addresses and names (履歴)") },
	{ "include", MD_ARG_OPT, 0,
	  N_("items omitted unless requested, separated by commas: head_rel, honseki, juminhyo_code, mynumber, foreign (or nationality, residence_status, residence_period, residence_expiry, residence_card_no, alias_history)") },
	{ "items", MD_ARG_OPT, 0,
	  N_("住民票記載事項証明書: the items certified, separated by commas (name, kana, birth_date, sex, address, head_rel, honseki, ...)") },
	{ "purpose_needs_honseki", MD_ARG_FLAG, 0, N_("the stated purpose of a third party needs 本籍・筆頭者") },
	{ "copies", MD_ARG_OPT, 0, N_("number of copies, 1 to 10 (default 1)") },
	{ "card_no", MD_ARG_OPT, 0, N_("印鑑登録証明書: the number of the 印鑑登録証 presented") },
	{ "ack", MD_ARG_FLAG, 0, N_("a 支援措置 alert acknowledged after extra identity checks") },
	{ "override_reason", MD_ARG_OPT, 0, N_("a supervisor overrides an alert (抑止) with this reason") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec void_args[] = {
	{ "id", MD_ARG_POS, 1, N_("the issued copy (id in the issuance history)") },
	{ "reason", MD_ARG_OPT, 1, N_("why the copy is voided (処分), e.g. misprint") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec print_args[] = {
	{ "id", MD_ARG_POS, 1, N_("the issued copy (id in the issuance history)") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec history_args[] = {
	{ "person", MD_ARG_OPT, 0, N_("宛名番号: the copies issued of this person") },
	{ "date", MD_ARG_OPT, 0, N_("the day (default: today when no person is given)") },
	{ "terminal", MD_ARG_OPT, 0, N_("a terminal, or all (report.view); default this terminal") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec summary_args[] = {
	{ "date", MD_ARG_OPT, 0, N_("the day (default today)") },
	{ "terminal", MD_ARG_OPT, 0, N_("a terminal, or all (default this terminal)") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec letter_args[] = {
	{ "id", MD_ARG_POS, 1, N_("the 確認通知 number, or the seal application's 受付番号") },
	{ "kind", MD_ARG_OPT, 1, N_("confirmation (確認通知) or inquiry (照会書 of a seal registration)") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec verify_args[] = {
	{ "code", MD_ARG_POS, 1, N_("the verification code (照合番号) printed on the certificate") },
	{ NULL, 0, 0, NULL }
};

static int flag(const struct md_args *args, const char *key)
{
	const char *v = md_args_get(args, key);
	return v && *v && strcmp(v, "0") != 0 && strcmp(v, "no") != 0;
}

static int request_from_args(const struct md_args *args, struct md_cert_request *rq,
                             struct md_error *err)
{
	const char *v;
	const struct md_cert_type_def *t;
	char *end = NULL;

	memset(rq, 0, sizeof *rq);
	v = ARG("transaction");
	rq->transaction = v ? strtoll(v, &end, 10) : 0;
	if (!v || !*v || *end || rq->transaction <= 0)
		return md_error_set(err, MD_E_INVALID, "transaction",
		                    _("transaction must be the number of a counter transaction, not \"%s\""),
		                    v ? v : "");
	if (!(t = md_cert_type_find(ARG("type"))))
		return md_error_set(err, MD_E_INVALID, "type",
		                    _("type must be juminhyo, joshu, kisai, inkan or code_notice, not \"%s\""),
		                    ARG("type") ? ARG("type") : "");
	rq->type = t->id;
	v = ARG("format");
	if (!v || !*v || strcmp(v, "household") == 0 || strcmp(v, "世帯連記式") == 0)
		rq->individual = 0;
	else if (strcmp(v, "individual") == 0 || strcmp(v, "個人票") == 0)
		rq->individual = 1;
	else
		return md_error_set(err, MD_E_INVALID, "format",
		                    _("format must be household (世帯連記式) or individual (個人票), not \"%s\""), v);
	v = ARG("copies");
	rq->copies = 1;
	if (v && *v) {
		long n = strtol(v, &end, 10);
		if (*end || n < 1 || n > MD_CERT_COPIES_MAX)
			return md_error_set(err, MD_E_INVALID, "copies", _("copies must be 1 to %d, not \"%s\""),
			                    MD_CERT_COPIES_MAX, v);
		rq->copies = (int)n;
	}
	rq->members = ARG("members");
	rq->history = flag(args, "history");
	rq->include = ARG("include");
	rq->items = ARG("items");
	rq->purpose_needs_honseki = flag(args, "purpose_needs_honseki");
	rq->card_no = ARG("card_no");
	rq->ack = flag(args, "ack");
	rq->override_reason = ARG("override_reason");
	return MD_OK;
}

static int cert_run(struct md_ctx *ctx, const struct md_args *args, struct md_result *res,
                    struct md_error *err, int issuing)
{
	struct md_cert_request rq;
	struct md_cert c;
	int rc;

	if ((rc = request_from_args(args, &rq, err)) != MD_OK)
		return rc;
	rq.issuing = issuing;
	rc = md_cert_prepare(ctx, &rq, &c, err);
	if (rc == MD_OK)
		rc = issuing ? md_cert_issue(ctx, &c, res, err) : md_cert_preview(ctx, &c, res, err);
	md_cert_release(&c);
	return rc;
}

static MD_HANDLER(cmd_cert_preview)
{
	return cert_run(ctx, args, res, err, 0);
}

static MD_HANDLER(cmd_cert_issue)
{
	return cert_run(ctx, args, res, err, 1);
}

static MD_HANDLER(cmd_cert_void)
{
	long long id = md_args_number(args, "id", NULL, 1, err);
	return id ? md_cert_void(ctx, id, ARG("reason"), res, err) : MD_E_INVALID;
}

static MD_HANDLER(cmd_cert_print)
{
	long long id = md_args_number(args, "id", NULL, 1, err);
	return id ? md_cert_print(ctx, id, res, err) : MD_E_INVALID;
}

/* Whose copies a user may list: report.view any terminal, cert.issue only
 * this one. */
static int terminal_scope(struct md_ctx *ctx, const char *function, const char *asked,
                          const char **terminal, struct md_error *err)
{
	int all = md_auth_can(ctx, "report.view");
	const char *own = ctx->cfg.terminal_id;

	if (!all && !md_auth_can(ctx, "cert.issue")) {
		md_error_set(err, MD_E_DENIED, "", _("%s needs the permission cert.issue or report.view"),
		             function);
		audit_entry(ctx, function, "refused", 0, "denied", err->msg, NULL);
		return MD_E_DENIED;
	}
	if (!asked || !*asked) {
		*terminal = own;
		return MD_OK;
	}
	if (strcmp(asked, "all") == 0)
		asked = NULL;
	if (!all && (!asked || strcmp(asked, own) != 0)) {
		md_error_set(err, MD_E_DENIED, "terminal",
		             _("other terminals' copies need the permission report.view; this terminal is %s"), own);
		audit_entry(ctx, function, "refused", 0, "denied", err->msg, NULL);
		return MD_E_DENIED;
	}
	*terminal = asked;
	return MD_OK;
}

static MD_HANDLER(cmd_cert_history)
{
	const char *terminal = NULL, *v = ARG("person");
	char day[16];
	long long person = 0;
	char *end = NULL;
	int rc;

	if (v && *v) {
		person = strtoll(v, &end, 10);
		if (*end || person <= 0)
			return md_error_set(err, MD_E_INVALID, "person", _("person must be a 宛名番号, not \"%s\""), v);
	}
	if ((rc = terminal_scope(ctx, "cert.history", ARG("terminal"), &terminal, err)) != MD_OK)
		return rc;
	if ((rc = day_arg(ARG("date"), day, err)) != MD_OK)
		return rc;
	return md_cert_history(ctx, person, person && !(ARG("date") && *ARG("date")) ? NULL : day,
	                       terminal, res, err);
}

static MD_HANDLER(cmd_cert_summary)
{
	const char *t = ARG("terminal");
	char day[16];
	int rc;

	if ((rc = day_arg(ARG("date"), day, err)) != MD_OK)
		return rc;
	if (!t || !*t)
		t = ctx->cfg.terminal_id;
	else if (strcmp(t, "all") == 0)
		t = NULL;
	return md_cert_summary(ctx, day, t, res, err);
}

static MD_HANDLER(cmd_cert_letter)
{
	long long id = md_args_number(args, "id", NULL, 1, err);
	return id ? md_cert_letter(ctx, ARG("kind"), id, res, err) : MD_E_INVALID;
}

static MD_HANDLER(cmd_cert_verify)
{
	return md_cert_verify(ctx, ARG("code"), res, err);
}

const struct md_cmd_entry md_cmds_certificate[] = {
	{ "cert.preview", "cert preview", "cert.issue", 0, cert_args, cmd_cert_preview,
	  N_("show what a certificate would print, without issuing it") },
	{ "cert.issue", "cert issue", "cert.issue", 0, cert_args, cmd_cert_issue,
	  N_("issue a certificate: PDF, issuance history, fee") },
	{ "cert.void", "cert void", "cert.void", 0, void_args, cmd_cert_void,
	  N_("void (処分) an issued copy, with a reason") },
	{ "cert.print", "cert print", "cert.issue", 0, print_args, cmd_cert_print,
	  N_("send an issued copy to the printer again (after a printer failure)") },
	{ "cert.history", "cert history", NULL, 0, history_args, cmd_cert_history,
	  N_("the issuance history (交付履歴) of a person or a day") },
	{ "cert.summary", "cert summary", "report.view", 0, summary_args, cmd_cert_summary,
	  N_("count and fees by certificate type for a day and terminal") },
	{ "cert.verify", "cert verify", "cert.issue", 0, verify_args, cmd_cert_verify,
	  N_("check a certificate's verification code (照合番号)") },
	{ "cert.letter", "cert letter", "cert.issue", 0, letter_args, cmd_cert_letter,
	  N_("print a letter to the registered address: a 確認通知 or a seal registration's 照会書") },
	{ NULL, NULL, NULL, 0, NULL, NULL, NULL }
};
