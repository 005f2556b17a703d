/* change_save.c: saving a checked change provisional (仮登録), and the
 * pre-filled form of an existing person. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "change.h"
#include "change_impl.h"
#include "crypto.h"
#include "ctx.h"
#include "i18n.h"
#include "lock.h"
#include "protect.h"
#include "result.h"
#include "store.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

/* ---- saving ------------------------------------------------------------------- */

static void issues_to_table(const struct md_issues *is, struct md_table *t)
{
	static const char *const cols[] = { "person", "field", "level", "message" };
	md_table_init(t, 4, cols);
	for (int i = 0; i < is->n; i++) {
		char person[16];
		const char *row[4];
		snprintf(person, sizeof person, "%d", is->v[i].person);
		row[0] = person;
		row[1] = is->v[i].field;
		row[2] = is->v[i].error ? "error" : "warning";
		row[3] = is->v[i].msg;
		md_table_add(t, row);
	}
}

static int insert_change_person(struct md_ctx *ctx, long long change_id, struct cperson *cp,
                                struct md_error *err)
{
	static char *sql;
	sqlite3_stmt *s;
	int rc;

	if (!sql) {
		char *ph = md_person_placeholders(6);
		sql = xasprintf("INSERT INTO change_persons (change_id, seq, person_id, base_version, "
		                "new_household, %s) VALUES (?1, ?2, ?3, ?4, ?5, %s)",
		                md_person_columns(), ph);
		free(ph);
	}
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, change_id);
	sqlite3_bind_int(s, 2, cp->idx);
	if (cp->person_id)
		sqlite3_bind_int64(s, 3, cp->person_id);
	else
		sqlite3_bind_null(s, 3);
	if (cp->has_before)
		sqlite3_bind_int(s, 4, cp->before.version);
	else
		sqlite3_bind_null(s, 4);
	if (cp->new_household)
		sqlite3_bind_int(s, 5, cp->new_household);
	else
		sqlite3_bind_null(s, 5);
	/* Persons joining a household not yet created carry household 0. */
	if (!md_person_has(&cp->after, MD_F_HOUSEHOLD))
		md_person_set(&cp->after, MD_F_HOUSEHOLD, "0");
	md_person_bind(&cp->after, s, 6);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("saving the change"));
	return MD_OK;
}

/* registry.md §7: every attempt on a person under a support measure is
 * recorded for supervisors, a change as much as a lookup. */
static void log_support_attempts(struct md_ctx *ctx, const struct cwork *w, const char *outcome,
                                 long long change_id)
{
	for (int i = 0; i < w->n; i++) {
		const struct cperson *cp = &w->p[i];
		struct md_protect pr;
		struct md_error e;
		char detail[96];

		if (!cp->person_id ||
		    md_protect_check(ctx, cp->person_id,
		                     strtoll(md_person_get(&cp->before, MD_F_HOUSEHOLD), NULL, 10), "change",
		                     &pr, &e) != MD_OK || !pr.measure_id)
			continue;
		if (change_id)
			snprintf(detail, sizeof detail, "change.save %s change=%lld", w->type->code, change_id);
		else
			snprintf(detail, sizeof detail, "change.save %s", w->type->code);
		md_protect_log_attempt(ctx, pr.measure_id, cp->person_id, "change", outcome, detail);
	}
}

int md_change_save(struct md_ctx *ctx, const struct md_args *args, struct md_result *res,
                   struct md_error *err)
{
	static const char ins[] =
		"INSERT INTO changes (type, reason, status, event_date, notified_on, processed_on, late, "
		"memo, made_by, made_at, terminal, cancels) VALUES (?1, ?2, 'provisional', ?3, ?4, ?5, ?6, "
		"?7, ?8, ?9, ?10, ?11)";
	static const char upd[] =
		"UPDATE changes SET reason = ?2, event_date = ?3, notified_on = ?4, processed_on = ?5, "
		"late = ?6, memo = ?7, made_at = ?9, terminal = ?10, cancels = ?11, status = 'provisional', "
		"reject_reason = NULL, decided_by = NULL, decided_at = NULL, type = ?12 "
		"WHERE id = ?1 AND made_by = ?8 AND status IN ('provisional', 'rejected')";
	static const char del[] = "DELETE FROM change_persons WHERE change_id = ?1";
	struct md_issues issues = { 0 };
	struct cwork w;
	sqlite3_stmt *s;
	char today[11], now[32];
	long long id;
	int rc;

	memset(&w, 0, sizeof w);
	w.issues = &issues;
	if ((rc = cw_parse(ctx, args, &w, err)) != MD_OK || (rc = cw_check(ctx, &w, err)) != MD_OK)
		goto out;
	if (issues.n)
		issues_to_table(&issues, &res->table);
	if (md_issues_errors(&issues)) {
		for (int i = 0; i < issues.n; i++) {
			if (!issues.v[i].error)
				continue;
			if (issues.v[i].person)
				rc = md_error_set(err, MD_E_INVALID, issues.v[i].field, _("person %d: %s"),
				                  issues.v[i].person, issues.v[i].msg);
			else
				rc = md_error_set(err, MD_E_INVALID, issues.v[i].field, "%s", issues.v[i].msg);
			break;
		}
		log_support_attempts(ctx, &w, "refused", 0);
		goto out;
	}
	cw_today(today);
	md_time_iso(md_time_now(), now, sizeof now);
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		goto out;
	if (!(s = md_store_stmt(ctx->store, w.change_id ? upd : ins, err))) {
		rc = MD_E_DB;
		goto rollback;
	}
	if (w.change_id) {
		sqlite3_bind_int64(s, 1, w.change_id);
		md_bind_text(s, 12, w.type->code);   /* the maker may correct the kind of form too */
	} else {
		md_bind_text(s, 1, w.type->code);
	}
	md_bind_text(s, 2, w.reason);
	md_bind_text(s, 3, w.event_date);
	md_bind_text(s, 4, w.notified_on[0] ? w.notified_on : NULL);
	md_bind_text(s, 5, today);
	sqlite3_bind_int(s, 6, w.late);
	md_bind_text(s, 7, w.memo[0] ? w.memo : NULL);
	md_bind_text(s, 8, ctx->session->user);
	md_bind_text(s, 9, now);
	md_bind_text(s, 10, ctx->cfg.terminal_id);
	if (w.cancels)
		sqlite3_bind_int64(s, 11, w.cancels);
	else
		sqlite3_bind_null(s, 11);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		rc = md_store_fail(ctx->store, err, _("saving the change"));
		goto rollback;
	}
	if (w.change_id) {
		if (sqlite3_changes(md_store_db(ctx->store)) != 1) {
			rc = md_error_set(err, MD_E_DENIED, "change",
			                  _("change %lld is not a provisional change of yours"), w.change_id);
			goto rollback;
		}
		id = w.change_id;
		if (!(s = md_store_stmt(ctx->store, del, err))) {
			rc = MD_E_DB;
			goto rollback;
		}
		sqlite3_bind_int64(s, 1, id);
		sqlite3_step(s);
		sqlite3_reset(s);
	} else {
		id = sqlite3_last_insert_rowid(md_store_db(ctx->store));
	}
	for (int i = 0; i < w.n; i++) {
		struct cperson *cp = &w.p[i];
		char subject[24], *detail;
		struct md_audit_rec r = { NULL, "change.save", subject, w.type->name, "ok", NULL, 0 };

		if (cp->mynumber[0]) {
			free(cp->after.mynumber_enc);
			cp->after.mynumber_enc = NULL;
			size_t sealed = 0;
			if ((rc = md_secret_seal(&ctx->keys, cp->mynumber, 12, &cp->after.mynumber_enc,
			                         &sealed, err)) != MD_OK)
				goto rollback;
			cp->after.mynumber_enc_len = (int)sealed;
			r.mynumber = 1;
		} else if (cp->mynumber_given) {
			free(cp->after.mynumber_enc);
			cp->after.mynumber_enc = NULL;
			cp->after.mynumber_enc_len = 0;
			r.mynumber = 1;
		}
		if ((rc = insert_change_person(ctx, id, cp, err)) != MD_OK)
			goto rollback;
		if (cp->person_id)
			snprintf(subject, sizeof subject, "%lld", cp->person_id);
		else
			snprintf(subject, sizeof subject, "new");
		detail = xasprintf("change=%lld type=%s reason=%s person=%d%s", id, w.type->code, w.reason,
		                   cp->idx, w.late ? " late" : "");
		r.detail = detail;
		rc = md_audit(ctx, &r, err);
		free(detail);
		if (rc != MD_OK)
			goto rollback;
		if (cp->person_id)
			md_lock_release(ctx, MD_LOCK_PERSON, cp->person_id);
	}
	if (w.n == 0) {
		char detail[96];
		struct md_audit_rec r = { NULL, "change.save", NULL, w.type->name, "ok", detail, 0 };
		snprintf(detail, sizeof detail, "change=%lld type=%s cancels=%lld", id, w.type->code, w.cancels);
		if ((rc = md_audit(ctx, &r, err)) != MD_OK)
			goto rollback;
	}
	if (w.household)
		md_lock_release(ctx, MD_LOCK_HOUSEHOLD, w.household);
	log_support_attempts(ctx, &w, "saved after alert", id);
	if ((rc = md_store_commit(ctx->store, err)) != MD_OK)
		goto out;
	md_result_message(res, _("provisional change %lld saved (%s): it becomes final when a supervisor "
	                         "approves it"), id, w.type->name);
	rc = MD_OK;
	goto out;
rollback:
	md_store_rollback(ctx->store);
out:
	cw_release(&w);
	md_issues_release(&issues);
	return rc;
}

/* ---- form templates ----------------------------------------------------------- */

int md_change_template(struct md_ctx *ctx, const char *type, long long person, struct md_result *res,
                       struct md_error *err)
{
	static const char *const cols[] = { "column", "label", "value" };
	const struct md_change_type *t = md_change_type(type ? type : "");
	struct md_person p;
	int rc = MD_OK;

	if (!t)
		return md_error_set(err, MD_E_INVALID, "type", _("unknown kind of change \"%s\""),
		                    type ? type : "");
	md_person_init(&p);
	if (person > 0) {
		struct md_protect pr;
		if ((rc = cw_load_person(ctx, person, &p, err)) != MD_OK)
			return rc;
		/* Pre-filling shows the record: the lookup protections apply. */
		if (md_protect_check(ctx, person, strtoll(md_person_get(&p, MD_F_HOUSEHOLD), NULL, 10),
		                     "lookup", &pr, err) == MD_OK) {
			if (pr.blocked) {
				md_person_release(&p);
				return md_error_set(err, MD_E_DENIED, "person", "%s", pr.msg);
			}
			if (pr.measure_id)
				md_protect_log_attempt(ctx, pr.measure_id, person, "lookup", "form pre-filled",
				                       t->code);
		}
	}
	md_table_init(&res->table, 3, cols);
	for (const enum md_field *f = t->fields; *f != MD_F_COUNT; f++) {
		const char *row[3];
		char shown[128];
		if (*f == MD_FIELD_MYNUMBER_INPUT) {
			row[0] = "mynumber";
			row[1] = "個人番号";
			row[2] = "";
		} else {
			const char *v = md_person_get(&p, *f);
			row[0] = md_field(*f)->column;
			row[1] = md_field(*f)->label;
			row[2] = v;
			/* As a person would type it: 男, 日本人, the date in the era. */
			if (*f == MD_F_SEX && *v)
				row[2] = strcmp(v, "M") == 0 ? "男" : "女";
			else if (*f == MD_F_RESIDENT_TYPE && *v)
				row[2] = strcmp(v, "foreign") == 0 ? "外国人" : "日本人";
			else if (md_field(*f)->kind == MD_FK_DATE && *v) {
				struct md_date d;
				if (md_date_from_iso(v, &d) == MD_OK &&
				    md_date_format_wareki(&d, shown, sizeof shown))
					row[2] = shown;
			}
			if ((md_field(*f)->flags & MD_FF_PROTECTED) && !md_auth_can(ctx, "honseki.view"))
				row[2] = "";
		}
		md_table_add(&res->table, row);
	}
	if (person > 0) {
		char subject[24];
		struct md_audit_rec r = { NULL, "change.template", subject, t->name, "ok", "form pre-filled", 0 };
		snprintf(subject, sizeof subject, "%lld", person);
		md_audit(ctx, &r, NULL);
	}
	md_person_release(&p);
	return MD_OK;
}
