/* approve.c: the review of provisional changes (審査・決裁): approve (the
 * change becomes final, history is written), reject with a reason (back to
 * the maker), withdraw (by the maker), and the lists and before/after view.
 * Nobody approves their own change. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "change.h"
#include "change_impl.h"
#include "codes.h"
#include "crypto.h"
#include "checkdigit.h"
#include "ctx.h"
#include "i18n.h"
#include "kana.h"
#include "lock.h"
#include "nameindex.h"
#include "protect.h"
#include "result.h"
#include "seal.h"
#include "store.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

struct cstate {
	long long id;
	char type[32];
	char status[16];
	char made_by[64];
	char event_date[16];
	char reason[40];
};

static int load_state(struct md_ctx *ctx, long long id, struct cstate *c, struct md_error *err)
{
	static const char sql[] =
		"SELECT type, status, made_by, event_date, reason FROM changes WHERE id = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int rc;

	if (!s)
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		c->id = id;
		snprintf(c->type, sizeof c->type, "%s", md_col_text(s, 0));
		snprintf(c->status, sizeof c->status, "%s", md_col_text(s, 1));
		snprintf(c->made_by, sizeof c->made_by, "%s", md_col_text(s, 2));
		snprintf(c->event_date, sizeof c->event_date, "%s", md_col_text(s, 3));
		snprintf(c->reason, sizeof c->reason, "%s", md_col_text(s, 4));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return md_error_set(err, MD_E_NOTFOUND, "change", _("there is no change %lld"), id);
	return MD_OK;
}

static const char *type_name(const char *code)
{
	const struct md_change_type *t = md_change_type(code);
	return t ? t->name : code;
}

static void search_keys(struct md_person *p, char **kana, char **fold)
{
	char *k = xasprintf("%s%s", md_person_get(p, MD_F_SURNAME_KANA), md_person_get(p, MD_F_GIVEN_NAME_KANA));
	char *f = xasprintf("%s%s", md_person_get(p, MD_F_SURNAME), md_person_get(p, MD_F_GIVEN_NAME));
	*kana = md_kana_normalize(k);
	*fold = md_kanji_fold(f);
	free(k);
	free(f);
}

/* Writes a person's new version: persons row and person_versions. */
int md_registry_write_version(struct md_ctx *ctx, struct md_person *p, long long change_id,
                              struct md_error *err);
int md_registry_write_version(struct md_ctx *ctx, struct md_person *p, long long change_id,
                              struct md_error *err)
{
	static char *ins_sql, *upd_sql, *ver_sql;
	char now[32];
	char *kana, *fold;
	sqlite3_stmt *s;
	int rc;

	if (!ins_sql) {
		char *ph = md_person_placeholders(5);
		char sets[4096];
		size_t len = 0;
		ins_sql = xasprintf("INSERT INTO persons (version, kana_norm, name_fold, updated_at, %s) "
		                    "VALUES (?1, ?2, ?3, ?4, %s) RETURNING id", md_person_columns(), ph);
		free(ph);
		for (int i = 0; i < MD_F_COUNT; i++)
			len += (size_t)snprintf(sets + len, sizeof sets - len, ", %s = ?%d", md_field(i)->column,
			                        5 + i);
		upd_sql = xasprintf("UPDATE persons SET version = ?1, kana_norm = ?2, name_fold = ?3, "
		                    "updated_at = ?4%s WHERE id = ?%d", sets, 5 + MD_F_COUNT);
		ph = md_person_placeholders(5);
		ver_sql = xasprintf("INSERT INTO person_versions (person_id, version, change_id, recorded_at, "
		                    "%s) VALUES (?1, ?2, ?3, ?4, %s)", md_person_columns(), ph);
		free(ph);
	}
	md_time_iso(md_time_now(), now, sizeof now);
	search_keys(p, &kana, &fold);
	p->version = p->id ? p->version + 1 : 1;
	s = md_store_stmt(ctx->store, p->id ? upd_sql : ins_sql, err);
	if (!s) {
		free(kana);
		free(fold);
		return MD_E_DB;
	}
	sqlite3_bind_int(s, 1, p->version);
	md_bind_text(s, 2, kana);
	md_bind_text(s, 3, fold);
	md_bind_text(s, 4, now);
	md_person_bind(p, s, 5);
	if (p->id)
		sqlite3_bind_int64(s, 5 + MD_F_COUNT, p->id);
	rc = sqlite3_step(s);
	if (!p->id && rc == SQLITE_ROW) {
		p->id = sqlite3_column_int64(s, 0);
		rc = sqlite3_step(s);
	}
	sqlite3_reset(s);
	free(kana);
	free(fold);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("writing the record"));
	if (!(s = md_store_stmt(ctx->store, ver_sql, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, p->id);
	sqlite3_bind_int(s, 2, p->version);
	sqlite3_bind_int64(s, 3, change_id);
	md_bind_text(s, 4, now);
	md_person_bind(p, s, 5);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("writing the history"));
	return md_index_person(ctx, p->id, err);
}

/* The search keys of a person's first version: exactly the rows
 * md_index_person() makes for a person with one version (its name, 旧氏,
 * 通称, current address; no past ones), written straight from p without its
 * queries, for a bulk import. Keep in step with nameindex.c (test_import
 * compares the two). */
static int index_name(struct md_ctx *ctx, long long id, const char *kind, const char *sur,
                      const char *given, const char *sur_kana, const char *given_kana,
                      const char *full_kana, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO name_index (person_id, kind, kana, kana_sur, kana_given, fold, fold_sur, "
		"fold_given) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	char *k = NULL, *ks, *kg, *f, *fs, *fg, *full;
	int rc;

	if (!s)
		return MD_E_DB;
	if (!full_kana) {
		char *t = xasprintf("%s%s", sur_kana, given_kana);
		k = md_kana_normalize(t);
		free(t);
	}
	full = xasprintf("%s%s", sur, given);
	ks = md_kana_normalize(sur_kana);
	kg = md_kana_normalize(given_kana);
	f = md_kanji_fold(full);
	fs = md_kanji_fold(sur);
	fg = md_kanji_fold(given);
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, kind);
	md_bind_text(s, 3, full_kana ? full_kana : k);
	md_bind_text(s, 4, ks);
	md_bind_text(s, 5, kg);
	md_bind_text(s, 6, f);
	md_bind_text(s, 7, fs);
	md_bind_text(s, 8, fg);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	free(k);
	free(full);
	free(ks);
	free(kg);
	free(f);
	free(fs);
	free(fg);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("indexing a name"));
	return MD_OK;
}

static int index_first_version(struct md_ctx *ctx, const struct md_person *p, const char *kana,
                               struct md_error *err)
{
	static const char addr_sql[] =
		"INSERT INTO address_index (person_id, kind, addr) VALUES (?1, 'current', ?2)";
	const char *given = md_person_get(p, MD_F_GIVEN_NAME), *given_kana = md_person_get(p, MD_F_GIVEN_NAME_KANA);
	sqlite3_stmt *s;
	char *full, *norm;
	int rc;

	rc = index_name(ctx, p->id, "name", md_person_get(p, MD_F_SURNAME), given,
	                md_person_get(p, MD_F_SURNAME_KANA), given_kana, kana, err);
	if (rc == MD_OK && md_person_has(p, MD_F_FORMER_SURNAME))
		rc = index_name(ctx, p->id, "former", md_person_get(p, MD_F_FORMER_SURNAME), given,
		                md_person_get(p, MD_F_FORMER_SURNAME_KANA), given_kana, NULL, err);
	if (rc == MD_OK && md_person_has(p, MD_F_ALIAS))
		rc = index_name(ctx, p->id, "alias", md_person_get(p, MD_F_ALIAS), "",
		                md_person_get(p, MD_F_ALIAS_KANA), "", NULL, err);
	if (rc != MD_OK)
		return rc;
	if (!(s = md_store_stmt(ctx->store, addr_sql, err)))
		return MD_E_DB;
	full = xasprintf("%s%s", md_person_get(p, MD_F_ADDRESS), md_person_get(p, MD_F_KATAGAKI));
	norm = md_address_normalize(full);
	sqlite3_bind_int64(s, 1, p->id);
	md_bind_text(s, 2, norm);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	free(full);
	free(norm);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("indexing an address"));
	return MD_OK;
}

/* Writes the first version of a person whose 宛名番号 is already decided
 * (p->id > 0), as a migration import does: the persons row with that id,
 * person_versions version 1, the search index. An id already taken is
 * MD_E_CONFLICT. */
int md_registry_insert_version(struct md_ctx *ctx, struct md_person *p, long long change_id,
                               struct md_error *err)
{
	static char *ins_sql, *ver_sql;
	char now[32];
	char *kana, *fold;
	sqlite3_stmt *s;
	int rc;

	if (p->id <= 0)
		return md_error_set(err, MD_E_INVALID, "person", _("a 宛名番号 is needed to insert a record"));
	if (!ins_sql) {
		char *ph = md_person_placeholders(6);
		ins_sql = xasprintf("INSERT INTO persons (id, version, kana_norm, name_fold, updated_at, %s) "
		                    "VALUES (?1, ?2, ?3, ?4, ?5, %s)", md_person_columns(), ph);
		free(ph);
		ph = md_person_placeholders(5);
		ver_sql = xasprintf("INSERT INTO person_versions (person_id, version, change_id, recorded_at, "
		                    "%s) VALUES (?1, ?2, ?3, ?4, %s)", md_person_columns(), ph);
		free(ph);
	}
	md_time_iso(md_time_now(), now, sizeof now);
	p->version = 1;
	if (!(s = md_store_stmt(ctx->store, ins_sql, err)))
		return MD_E_DB;
	search_keys(p, &kana, &fold);
	sqlite3_bind_int64(s, 1, p->id);
	sqlite3_bind_int(s, 2, p->version);
	md_bind_text(s, 3, kana);
	md_bind_text(s, 4, fold);
	md_bind_text(s, 5, now);
	md_person_bind(p, s, 6);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	free(fold);
	if (rc == SQLITE_CONSTRAINT && sqlite3_extended_errcode(md_store_db(ctx->store)) ==
	                               SQLITE_CONSTRAINT_PRIMARYKEY) {
		free(kana);
		return md_error_set(err, MD_E_CONFLICT, "person", _("宛名番号 %lld is already in the registry"),
		                    p->id);
	}
	if (rc != SQLITE_DONE) {
		free(kana);
		return md_store_fail(ctx->store, err, _("writing the record"));
	}
	if (!(s = md_store_stmt(ctx->store, ver_sql, err))) {
		free(kana);
		return MD_E_DB;
	}
	sqlite3_bind_int64(s, 1, p->id);
	sqlite3_bind_int(s, 2, p->version);
	sqlite3_bind_int64(s, 3, change_id);
	md_bind_text(s, 4, now);
	md_person_bind(p, s, 5);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(kana);
		return md_store_fail(ctx->store, err, _("writing the history"));
	}
	/* A new person has no past names or addresses: the index rows follow
	 * from p alone (what md_index_person() would find, without its queries). */
	rc = index_first_version(ctx, p, kana, err);
	free(kana);
	return rc;
}

static long long new_household(struct md_ctx *ctx, struct md_error *err)
{
	static const char sql[] = "INSERT INTO households (created_at) VALUES (?1)";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	char now[32];
	int rc;

	if (!s)
		return 0;
	md_time_iso(md_time_now(), now, sizeof now);
	md_bind_text(s, 1, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		md_store_fail(ctx->store, err, _("creating a household"));
		return 0;
	}
	return sqlite3_last_insert_rowid(md_store_db(ctx->store));
}

static int audit_decision(struct md_ctx *ctx, const char *fn, long long id, const char *subject,
                          const char *outcome, const char *detail, int mynumber, struct md_error *err)
{
	char action[48];
	struct md_audit_rec r = { NULL, fn, subject, action, outcome, detail, mynumber };
	snprintf(action, sizeof action, "change %lld", id);
	return md_audit(ctx, &r, err);
}

/* The numbers that identify one person only may have been recorded for
 * someone else by a change approved after this one was made (two
 * provisional 転入 with the same 個人番号): a clear refusal rather than the
 * unique index's failure. */
static int numbers_free(struct md_ctx *ctx, const struct md_person *p, long long change_id,
                        struct md_error *err)
{
	static const char sql[] =
		"SELECT id, mynumber_idx = ?1 FROM persons WHERE id <> ?3 AND "
		"(mynumber_idx = ?1 OR juminhyo_code = ?2) LIMIT 1";
	sqlite3_stmt *s;
	long long other = 0;
	int mn = 0;

	if (!md_person_has(p, MD_F_MYNUMBER_IDX) && !md_person_has(p, MD_F_JUMINHYO_CODE))
		return MD_OK;
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	md_bind_text(s, 1, md_person_has(p, MD_F_MYNUMBER_IDX) ? md_person_get(p, MD_F_MYNUMBER_IDX) : NULL);
	md_bind_text(s, 2, md_person_has(p, MD_F_JUMINHYO_CODE) ? md_person_get(p, MD_F_JUMINHYO_CODE) : NULL);
	sqlite3_bind_int64(s, 3, p->id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		other = sqlite3_column_int64(s, 0);
		mn = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	if (!other)
		return MD_OK;
	return md_error_set(err, MD_E_CONFLICT, mn ? "mynumber" : "juminhyo_code",
	                    mn ? _("change %lld: its 個人番号 has been recorded for 宛名番号 %lld since the "
	                           "change was made: reject it so that it is checked again")
	                       : _("change %lld: its 住民票コード has been recorded for 宛名番号 %lld since "
	                           "the change was made: reject it so that it is checked again"),
	                    change_id, other);
}

int md_change_approve(struct md_ctx *ctx, long long id, int ack, struct md_result *res,
                      struct md_error *err)
{
	char *sql = xasprintf("SELECT seq, person_id, base_version, new_household, %s FROM change_persons "
	                      "WHERE change_id = ?1 ORDER BY seq", md_person_columns());
	static const char done[] =
		"UPDATE changes SET status = 'approved', decided_by = ?2, decided_at = ?3 WHERE id = ?1 "
		"AND status = 'provisional'";
	struct cstate c;
	sqlite3_stmt *s = NULL, *up;
	long long households[16] = { 0 };
	char now[32];
	int rc, n = 0;

	if ((rc = md_store_begin(ctx->store, err)) != MD_OK) {
		free(sql);
		return rc;
	}
	if ((rc = load_state(ctx, id, &c, err)) != MD_OK)
		goto fail;
	if (strcmp(c.status, "provisional") != 0) {
		rc = md_error_set(err, MD_E_CONFLICT, "change", _("change %lld is %s, not waiting for approval"),
		                  id, c.status);
		goto fail;
	}
	if (strcmp(c.made_by, ctx->session->user) == 0) {
		md_store_rollback(ctx->store);
		free(sql);
		audit_decision(ctx, "change.approve", id, NULL, "denied", "own change", 0, NULL);
		return md_error_set(err, MD_E_DENIED, "change",
		                    _("you made change %lld: another person must approve it"), id);
	}
	if (sqlite3_prepare_v2(md_store_db(ctx->store), sql, -1, &s, NULL) != SQLITE_OK) {
		rc = md_store_fail(ctx->store, err, _("reading the change"));
		goto fail;
	}
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct md_person p, cur;
		long long pid = sqlite3_column_type(s, 1) == SQLITE_NULL ? 0 : sqlite3_column_int64(s, 1);
		int base = sqlite3_column_int(s, 2);
		int nh = sqlite3_column_int(s, 3);
		char subject[24], detail[128];

		md_person_init(&p);
		md_person_from_row(&p, s, 4);
		if (pid) {
			md_person_init(&cur);
			if ((rc = cw_load_person(ctx, pid, &cur, err)) != MD_OK) {
				md_person_release(&p);
				goto fail;
			}
			if (cur.version != base) {
				md_person_release(&cur);
				md_person_release(&p);
				rc = md_error_set(err, MD_E_CONFLICT, "change",
				                  _("宛名番号 %lld changed after change %lld was made: reject it "
				                    "so that it is entered again"), pid, id);
				goto fail;
			}
			p.id = pid;
			p.version = cur.version;
			md_person_release(&cur);
			/* A 抑止 set after the change was saved still blocks it. */
			{
				struct md_protect pr;
				if (md_protect_check(ctx, pid, 0, "change", &pr, err) == MD_OK && pr.blocked) {
					md_person_release(&p);
					rc = md_error_set(err, MD_E_DENIED, "change",
					                  _("宛名番号 %lld: %s"), pid, pr.msg);
					goto fail;
				}
				/* An alert (抑止 in alert mode, 支援措置) needs the approver's
				 * own acknowledgement too, not only the maker's. */
				if (pr.alert && !ack) {
					md_person_release(&p);
					rc = md_error_set(err, MD_E_CONFLICT, "ack",
					                  _("宛名番号 %lld: %s Acknowledge the alert to approve (ack)."),
					                  pid, pr.msg);
					goto fail;
				}
			}
		}
		if (nh > 0 && nh < 16) {
			if (!households[nh] && !(households[nh] = new_household(ctx, err))) {
				md_person_release(&p);
				rc = MD_E_DB;
				goto fail;
			}
			snprintf(subject, sizeof subject, "%lld", households[nh]);
			md_person_set(&p, MD_F_HOUSEHOLD, subject);
		}
		rc = numbers_free(ctx, &p, id, err);
		if (rc == MD_OK)
			rc = md_registry_write_version(ctx, &p, id, err);
		/* A move-out, death or removal ends a seal registration (seal.h). */
		if (rc == MD_OK)
			rc = md_seal_person_left(ctx, p.id, md_person_get(&p, MD_F_STATUS), id, err);
		if (rc == MD_OK) {
			snprintf(subject, sizeof subject, "%lld", p.id);
			snprintf(detail, sizeof detail, "type=%s reason=%s version=%d", c.type, c.reason, p.version);
			rc = audit_decision(ctx, "change.approve", id, subject, "ok", detail,
			                    p.mynumber_enc != NULL, err);
		}
		md_person_release(&p);
		if (rc != MD_OK)
			goto fail;
		n++;
	}
	if (rc != SQLITE_DONE) {
		rc = md_store_fail(ctx->store, err, _("reading the change"));
		goto fail;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (n == 0 && strcmp(c.type, "cancel") != 0) {
		rc = md_error_set(err, MD_E_INVALID, "change", _("change %lld holds no person"), id);
		goto fail;
	}
	md_time_iso(md_time_now(), now, sizeof now);
	if (!(up = md_store_stmt(ctx->store, done, err))) {
		rc = MD_E_DB;
		goto fail;
	}
	sqlite3_bind_int64(up, 1, id);
	md_bind_text(up, 2, ctx->session->user);
	md_bind_text(up, 3, now);
	rc = sqlite3_step(up);
	sqlite3_reset(up);
	if (rc != SQLITE_DONE) {
		rc = md_store_fail(ctx->store, err, _("approving"));
		goto fail;
	}
	if ((rc = md_store_commit(ctx->store, err)) != MD_OK) {
		free(sql);
		return rc;
	}
	free(sql);
	md_result_message(res, _("change %lld (%s) approved: %d record(s) written"), id, type_name(c.type), n);
	return MD_OK;
fail:
	sqlite3_finalize(s);
	md_store_rollback(ctx->store);
	free(sql);
	/* The refusal itself is on record (outside the rolled-back transaction). */
	audit_decision(ctx, "change.approve", id, NULL, "failed", err ? err->msg : NULL, 0, NULL);
	return rc;
}

int md_change_reject(struct md_ctx *ctx, long long id, const char *reason, struct md_error *err)
{
	static const char sql[] =
		"UPDATE changes SET status = 'rejected', decided_by = ?2, decided_at = ?3, "
		"reject_reason = ?4 WHERE id = ?1 AND status = 'provisional'";
	struct cstate c;
	sqlite3_stmt *s;
	char now[32];
	int rc;

	if (!reason || !*reason)
		return md_error_set(err, MD_E_INVALID, "reason",
		                    _("say why the change is rejected: the maker reads it"));
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = load_state(ctx, id, &c, err)) != MD_OK)
		goto fail;
	if (strcmp(c.status, "provisional") != 0) {
		rc = md_error_set(err, MD_E_CONFLICT, "change", _("change %lld is %s, not waiting for approval"),
		                  id, c.status);
		goto fail;
	}
	if (strcmp(c.made_by, ctx->session->user) == 0) {
		rc = md_error_set(err, MD_E_DENIED, "change",
		                  _("you made change %lld: withdraw it instead of rejecting it"), id);
		goto fail;
	}
	md_time_iso(md_time_now(), now, sizeof now);
	if (!(s = md_store_stmt(ctx->store, sql, err))) {
		rc = MD_E_DB;
		goto fail;
	}
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, ctx->session->user);
	md_bind_text(s, 3, now);
	md_bind_text(s, 4, reason);
	sqlite3_step(s);
	sqlite3_reset(s);
	if ((rc = audit_decision(ctx, "change.reject", id, NULL, "ok", reason, 0, err)) != MD_OK)
		goto fail;
	return md_store_commit(ctx->store, err);
fail:
	md_store_rollback(ctx->store);
	return rc;
}

int md_change_withdraw(struct md_ctx *ctx, long long id, struct md_error *err)
{
	static const char sql[] =
		"UPDATE changes SET status = 'withdrawn', decided_by = ?2, decided_at = ?3 "
		"WHERE id = ?1 AND status IN ('provisional', 'rejected')";
	struct cstate c;
	sqlite3_stmt *s;
	char now[32];
	int rc;

	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = load_state(ctx, id, &c, err)) != MD_OK)
		goto fail;
	if (strcmp(c.made_by, ctx->session->user) != 0) {
		rc = md_error_set(err, MD_E_DENIED, "change", _("only its maker can withdraw change %lld"), id);
		goto fail;
	}
	if (strcmp(c.status, "provisional") != 0 && strcmp(c.status, "rejected") != 0) {
		rc = md_error_set(err, MD_E_CONFLICT, "change", _("change %lld is %s"), id, c.status);
		goto fail;
	}
	md_time_iso(md_time_now(), now, sizeof now);
	if (!(s = md_store_stmt(ctx->store, sql, err))) {
		rc = MD_E_DB;
		goto fail;
	}
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, ctx->session->user);
	md_bind_text(s, 3, now);
	sqlite3_step(s);
	sqlite3_reset(s);
	if ((rc = audit_decision(ctx, "change.withdraw", id, NULL, "ok", NULL, 0, err)) != MD_OK)
		goto fail;
	return md_store_commit(ctx->store, err);
fail:
	md_store_rollback(ctx->store);
	return rc;
}

int md_change_list(struct md_ctx *ctx, int mine, struct md_result *res, struct md_error *err)
{
	static const char queue[] =
		"SELECT c.id, c.type, c.status, c.made_by, c.made_at, c.event_date, c.late, "
		"coalesce(c.reject_reason, ''), "
		"coalesce((SELECT group_concat(surname || ' ' || given_name, '、') FROM change_persons "
		"          WHERE change_id = c.id), '') "
		"FROM changes c WHERE c.status = 'provisional' ORDER BY c.made_at";
	static const char own[] =
		"SELECT c.id, c.type, c.status, c.made_by, c.made_at, c.event_date, c.late, "
		"coalesce(c.reject_reason, ''), "
		"coalesce((SELECT group_concat(surname || ' ' || given_name, '、') FROM change_persons "
		"          WHERE change_id = c.id), '') "
		"FROM changes c WHERE c.made_by = ?1 AND c.status IN ('provisional', 'rejected') "
		"ORDER BY c.made_at DESC";
	static const char *const cols[] = { "id", "type", "status", "made_by", "made_at", "event_date",
	                                    "late", "reject_reason", "persons" };
	sqlite3_stmt *s = md_store_stmt(ctx->store, mine ? own : queue, err);
	int n = 0;

	md_table_init(&res->table, 9, cols);
	if (!s)
		return MD_E_DB;
	if (mine)
		md_bind_text(s, 1, ctx->session->user);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *row[9];
		char made[32];
		for (int i = 0; i < 9; i++)
			row[i] = md_col_text(s, i);
		row[1] = type_name(row[1]);
		/* Local time for people. */
		{
			int y, mo, d, hh, mi, ss;
			if (sscanf(row[4], "%d-%d-%dT%d:%d:%dZ", &y, &mo, &d, &hh, &mi, &ss) == 6) {
				time_t t = (time_t)md_days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss;
				struct tm tm;
				localtime_r(&t, &tm);
				strftime(made, sizeof made, "%Y-%m-%d %H:%M", &tm);
				row[4] = made;
			}
		}
		md_table_add(&res->table, row);
		n++;
	}
	sqlite3_reset(s);
	{
		struct md_audit_rec r = { NULL, mine ? "change.mine" : "change.queue", NULL, "list", "ok",
		                          NULL, 0 };
		md_audit(ctx, &r, err);
	}
	md_result_message(res, mine ? _("%d change(s) of yours waiting or rejected")
	                            : _("%d change(s) waiting for approval"), n);
	return MD_OK;
}

/* One item as a person reads it (dates in the era, codes by name). */
static void display(const struct md_person *p, enum md_field f, const struct md_ctx *ctx, char *buf,
                    size_t n)
{
	const struct md_field_def *d = md_field(f);
	const char *v = md_person_get(p, f);

	buf[0] = '\0';
	if (f == MD_F_MYNUMBER_ENC) {
		char clear[16];
		size_t len = 0;
		struct md_error e;
		if (p->mynumber_enc && md_secret_open(&ctx->keys, p->mynumber_enc, (size_t)p->mynumber_enc_len,
		                                      clear, sizeof clear - 1, &len, &e) == MD_OK && len == 12) {
			md_mynumber_mask(clear, buf, n);
			memset(clear, 0, sizeof clear);
		}
		return;
	}
	if (!*v)
		return;
	if (d->kind == MD_FK_DATE) {
		struct md_date dt;
		if (md_date_from_iso(v, &dt) == MD_OK) {
			if (strcmp(md_person_get(p, MD_F_RESIDENT_TYPE), "foreign") == 0)
				md_date_format_western(&dt, buf, n);
			else
				md_date_format_wareki(&dt, buf, n);
			return;
		}
	}
	if (d->kind == MD_FK_FLAG) {
		snprintf(buf, n, "%s", strcmp(v, "1") == 0 ? "有" : "");
		return;
	}
	if (f == MD_F_SEX) {
		snprintf(buf, n, "%s", strcmp(v, "M") == 0 ? "男" : "女");
		return;
	}
	if (f == MD_F_RESIDENT_TYPE) {
		snprintf(buf, n, "%s", strcmp(v, "foreign") == 0 ? "外国人" : "日本人");
		return;
	}
	if (f == MD_F_STATUS) {
		snprintf(buf, n, "%s", strcmp(v, "resident") == 0 ? "住民" : strcmp(v, "moved_out") == 0 ? "転出"
		                       : strcmp(v, "dead") == 0 ? "死亡" : "消除");
		return;
	}
	if (f == MD_F_REMOVAL_REASON) {
		int r = md_tsv_find(md_codes(MD_CODES_REASONS), "code", v);
		snprintf(buf, n, "%s", r >= 0 ? md_tsv_get(md_codes(MD_CODES_REASONS), r, "name") : v);
		return;
	}
	snprintf(buf, n, "%s", v);
}

int md_person_display(const struct md_person *p, enum md_field f, const struct md_ctx *ctx, char *buf,
                      size_t n);
int md_person_display(const struct md_person *p, enum md_field f, const struct md_ctx *ctx, char *buf,
                      size_t n)
{
	display(p, f, ctx, buf, n);
	return buf[0] != '\0';
}

/* For an approved change: the person's version just before it. */
static void load_version_before(struct md_ctx *ctx, long long pid, long long change_id,
                                struct md_person *p)
{
	static char *sql;
	sqlite3_stmt *s;
	if (!sql)
		sql = xasprintf("SELECT %s FROM person_versions WHERE person_id = ?1 AND version = "
		                "(SELECT version - 1 FROM person_versions WHERE person_id = ?1 AND change_id = ?2)",
		                md_person_columns());
	if (!(s = md_store_stmt(ctx->store, sql, NULL)))
		return;
	sqlite3_bind_int64(s, 1, pid);
	sqlite3_bind_int64(s, 2, change_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		md_person_from_row(p, s, 0);
	sqlite3_reset(s);
}

static const char *status_word(const char *status)
{
	static const char *const words[] = { N_("provisional"), N_("approved"), N_("rejected"),
	                                     N_("withdrawn") };
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(status, words[i]) == 0)
			return _(words[i]);
	return status;
}

int md_change_show(struct md_ctx *ctx, long long id, struct md_result *res, struct md_error *err)
{
	char *sql = xasprintf("SELECT seq, person_id, %s FROM change_persons WHERE change_id = ?1 "
	                      "ORDER BY seq", md_person_columns());
	static const char *const cols[] = { "person", "item", "before", "after" };
	struct cstate c;
	sqlite3_stmt *s = NULL;
	int rc, honseki = md_auth_can(ctx, "honseki.view");

	md_table_init(&res->table, 4, cols);
	if ((rc = load_state(ctx, id, &c, err)) != MD_OK) {
		free(sql);
		return rc;
	}
	/* Provisional data is for its maker and the approvers only. */
	if (strcmp(c.status, "approved") != 0 && strcmp(c.made_by, ctx->session->user) != 0 &&
	    !md_auth_can(ctx, "change.approve")) {
		free(sql);
		return md_error_set(err, MD_E_DENIED, "change",
		                    _("change %lld is not yours: only its maker and the approvers see it"), id);
	}
	if (sqlite3_prepare_v2(md_store_db(ctx->store), sql, -1, &s, NULL) != SQLITE_OK) {
		free(sql);
		return md_store_fail(ctx->store, err, _("reading the change"));
	}
	free(sql);
	sqlite3_bind_int64(s, 1, id);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct md_person after, before;
		long long pid = sqlite3_column_type(s, 1) == SQLITE_NULL ? 0 : sqlite3_column_int64(s, 1);
		char who[32], b[256], a[256];

		md_person_init(&after);
		md_person_init(&before);
		md_person_from_row(&after, s, 2);
		if (pid && strcmp(c.status, "approved") == 0)
			load_version_before(ctx, pid, id, &before);
		else if (pid)
			cw_load_person(ctx, pid, &before, NULL);
		if (pid)
			snprintf(who, sizeof who, "%lld", pid);
		else
			snprintf(who, sizeof who, _("new %d"), sqlite3_column_int(s, 0));
		for (int f = 0; f < MD_F_COUNT; f++) {
			const struct md_field_def *d = md_field(f);
			const char *row[4];
			int identity = f == MD_F_SURNAME || f == MD_F_GIVEN_NAME || f == MD_F_SURNAME_KANA ||
			               f == MD_F_GIVEN_NAME_KANA || f == MD_F_BIRTH_DATE || f == MD_F_ADDRESS;
			if (f == MD_F_MYNUMBER_IDX || f == MD_F_HOUSEHOLD)
				continue;
			if ((d->flags & MD_FF_PROTECTED) && !honseki)
				continue;
			display(&before, f, ctx, b, sizeof b);
			display(&after, f, ctx, a, sizeof a);
			/* Name, reading, birth and address side by side always; others when changed. */
			if (!identity && strcmp(a, b) == 0)
				continue;
			if (!identity && !*a && !*b)
				continue;
			row[0] = who;
			row[1] = d->label;
			row[2] = b;
			row[3] = a;
			md_table_add(&res->table, row);
		}
		md_person_release(&after);
		md_person_release(&before);
	}
	sqlite3_finalize(s);
	{
		struct md_audit_rec r = { NULL, "change.show", NULL, "view change", "ok", NULL, 0 };
		char detail[32];
		snprintf(detail, sizeof detail, "change=%lld", id);
		r.detail = detail;
		md_audit(ctx, &r, err);
	}
	md_result_message(res, "%s %lld: %s (%s)", _("change"), id, type_name(c.type), status_word(c.status));
	return MD_OK;
}
