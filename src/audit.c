/* audit.c: the audit log. Each entry's hash is a keyed BLAKE2b over the
 * previous entry's hash and every field of this one (length-prefixed), so a
 * change, insertion or deletion anywhere breaks the chain from that point,
 * and nobody without the key file can forge a consistent chain. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "ctx.h"
#include "i18n.h"
#include "store.h"
#include "timeutil.h"
#include "xalloc.h"

static const char genesis[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

struct buf {
	char *p;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s)
{
	char head[24];
	size_t n = s ? strlen(s) : 0;
	int h = snprintf(head, sizeof head, "%zu:", n);
	if (!s)
		h = snprintf(head, sizeof head, "-:");
	if (b->len + (size_t)h + n + 1 > b->cap) {
		b->cap = (b->len + (size_t)h + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, head, (size_t)h);
	b->len += (size_t)h;
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* fields: id, ts, user, terminal, function, subject, action, outcome, mynumber, detail */
static void entry_hash(const struct md_ctx *ctx, const char *prev, long long id,
                       const char *const f[9], char out[MD_HASH_HEX])
{
	struct buf b = { 0 };
	char idtxt[24];

	snprintf(idtxt, sizeof idtxt, "%lld", id);
	buf_add(&b, prev);
	buf_add(&b, idtxt);
	for (int i = 0; i < 9; i++)
		buf_add(&b, f[i]);
	md_keyed_hash_hex(ctx->keys.audit, b.p, b.len, out);
	free(b.p);
}

/* The head: the last entry's id and hash with a keyed MAC, kept in meta, so
 * that removing entries from the end is detected too. */
static void head_text(const struct md_ctx *ctx, long long id, const char *hash, char *out, size_t n)
{
	char what[128], mac[MD_HASH_HEX];
	snprintf(what, sizeof what, "audit head %lld %s", id, hash);
	md_keyed_hash_hex(ctx->keys.audit, what, strlen(what), mac);
	snprintf(out, n, "%lld %s %s", id, hash, mac);
}

/* The anchor: where the chain starts after a retention purge removed its
 * oldest entries (the last removed entry's id and hash), with a keyed MAC so
 * that nobody without the key file can move it. */
static void anchor_text(const struct md_ctx *ctx, long long id, const char *hash, char *out,
                        size_t n)
{
	char what[128], mac[MD_HASH_HEX];
	snprintf(what, sizeof what, "audit anchor %lld %s", id, hash);
	md_keyed_hash_hex(ctx->keys.audit, what, strlen(what), mac);
	snprintf(out, n, "%lld %s %s", id, hash, mac);
}

/* Reads the anchor into *id and hash (genesis and 0 when there is none). */
static int anchor_load(struct md_ctx *ctx, long long *id, char hash[MD_HASH_HEX], struct md_error *err)
{
	char *stored = NULL, want[256], h[MD_HASH_HEX];
	long long aid = 0;
	struct md_error e2;
	int rc = md_store_meta_get(ctx->store, "audit_anchor", &stored, &e2);

	*id = 0;
	snprintf(hash, MD_HASH_HEX, "%s", genesis);
	if (rc == MD_E_NOTFOUND)
		return MD_OK;
	if (rc != MD_OK) {
		*err = e2;
		return rc;
	}
	if (sscanf(stored, "%lld %64s", &aid, h) != 2 || aid <= 0) {
		free(stored);
		return md_error_set(err, MD_E_TAMPER, "",
		                    _("audit chain broken: the record of purged entries is unreadable"));
	}
	anchor_text(ctx, aid, h, want, sizeof want);
	rc = strcmp(stored, want);
	free(stored);
	if (rc != 0)
		return md_error_set(err, MD_E_TAMPER, "",
		                    _("audit chain broken: the record of purged entries was altered"));
	*id = aid;
	snprintf(hash, MD_HASH_HEX, "%s", h);
	return MD_OK;
}

int md_audit(struct md_ctx *ctx, const struct md_audit_rec *rec, struct md_error *err)
{
	static const char last_sql[] = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1";
	static const char ins_sql[] =
		"INSERT INTO audit_log (id, ts, user_id, terminal, function, subject, action, "
		"outcome, mynumber, detail, prev_hash, hash) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
	struct md_store *st = ctx->store;
	sqlite3_stmt *s;
	char prev[MD_HASH_HEX], hash[MD_HASH_HEX], ts[32];
	long long id = 1;
	const char *user;
	const char *f[9];
	int rc;

	if (!ctx->keys.loaded)
		return md_error_set(err, MD_E_KEY, "", _("no key file is loaded"));
	if ((rc = md_store_begin(st, err)) != MD_OK)
		return rc;
	s = md_store_stmt(st, last_sql, err);
	if (!s)
		goto fail;
	snprintf(prev, sizeof prev, "%s", genesis);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0) + 1;
		snprintf(prev, sizeof prev, "%s", md_col_text(s, 1));
	} else if (rc != SQLITE_DONE) {
		md_store_fail(st, err, _("reading the audit log"));
		goto fail;
	}
	sqlite3_reset(s);

	user = rec->user ? rec->user : ctx->session ? ctx->session->user : "-";
	md_time_iso(md_time_now(), ts, sizeof ts);
	f[0] = ts;
	f[1] = user;
	f[2] = ctx->cfg.terminal_id;
	f[3] = rec->function ? rec->function : "";
	f[4] = rec->subject;
	f[5] = rec->action ? rec->action : "";
	f[6] = rec->outcome ? rec->outcome : "ok";
	f[7] = rec->mynumber ? "1" : "0";
	f[8] = rec->detail;
	entry_hash(ctx, prev, id, f, hash);

	s = md_store_stmt(st, ins_sql, err);
	if (!s)
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	for (int i = 0; i < 9; i++) {
		if (i == 7)
			sqlite3_bind_int(s, 9, rec->mynumber ? 1 : 0);
		else
			md_bind_text(s, i + 2, f[i]);
	}
	md_bind_text(s, 11, prev);
	md_bind_text(s, 12, hash);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		md_store_fail(st, err, _("writing the audit log"));
		goto fail;
	}
	{
		char head[256];
		head_text(ctx, id, hash, head, sizeof head);
		if (md_store_meta_set(st, "audit_head", head, err) != MD_OK)
			goto fail;
	}
	return md_store_commit(st, err);
fail:
	md_store_rollback(st);
	return MD_E_DB;
}

int md_audit_verify(struct md_ctx *ctx, long *count, long *bad_id, struct md_error *err)
{
	static const char sql[] =
		"SELECT id, ts, user_id, terminal, function, subject, action, outcome, mynumber, "
		"detail, prev_hash, hash FROM audit_log ORDER BY id";
	sqlite3_stmt *s;
	char prev[MD_HASH_HEX], want[MD_HASH_HEX];
	long long expect_id = 0;
	long n = 0;
	int rc;

	*count = 0;
	*bad_id = 0;
	if (!ctx->keys.loaded)
		return md_error_set(err, MD_E_KEY, "", _("no key file is loaded"));
	if (sqlite3_prepare_v2(md_store_db(ctx->store), sql, -1, &s, NULL) != SQLITE_OK)
		return md_store_fail(ctx->store, err, _("reading the audit log"));
	{
		long long aid;
		if ((rc = anchor_load(ctx, &aid, prev, err)) != MD_OK) {
			sqlite3_finalize(s);
			return rc;
		}
		expect_id = aid ? aid + 1 : 0;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(s, 0);
		const char *f[9];
		const char *why = NULL;

		for (int i = 0; i < 9; i++)
			f[i] = sqlite3_column_type(s, i + 1) == SQLITE_NULL ? NULL : md_col_text(s, i + 1);
		if (expect_id && id != expect_id)
			why = _("an entry before it is missing");
		else if (strcmp(prev, md_col_text(s, 10)) != 0)
			why = _("it does not follow the previous entry");
		else {
			entry_hash(ctx, prev, id, f, want);
			if (strcmp(want, md_col_text(s, 11)) != 0)
				why = _("its content was changed");
		}
		if (why) {
			*bad_id = (long)id;
			*count = n;
			sqlite3_finalize(s);
			return md_error_set(err, MD_E_TAMPER, "",
			                    _("audit chain broken at entry %lld: %s"), id, why);
		}
		snprintf(prev, sizeof prev, "%s", md_col_text(s, 11));
		expect_id = id + 1;
		n++;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("reading the audit log"));
	*count = n;
	{
		char *stored = NULL, want_head[256];
		struct md_error e2;
		int hrc = md_store_meta_get(ctx->store, "audit_head", &stored, &e2);
		head_text(ctx, expect_id ? expect_id - 1 : 0, prev, want_head, sizeof want_head);
		if ((hrc == MD_OK && strcmp(stored, want_head) != 0) || (hrc == MD_E_NOTFOUND && n > 0)) {
			free(stored);
			long long missing = expect_id ? expect_id : 1;
			*bad_id = (long)missing;
			return md_error_set(err, MD_E_TAMPER, "",
			                    _("audit chain broken at entry %lld: the log ends before its "
			                      "recorded last entry (entries were removed from the end)"),
			                    missing);
		}
		free(stored);
	}
	return MD_OK;
}

int md_audit_purge(struct md_ctx *ctx, const char *before, struct md_audit_purged *out,
                   struct md_error *err)
{
	static const char first_kept_sql[] =
		"SELECT id FROM audit_log WHERE ts >= ?1 ORDER BY id LIMIT 1";
	static const char last_sql[] = "SELECT max(id) FROM audit_log";
	static const char range_sql[] =
		"SELECT count(*), min(ts), max(ts), "
		"(SELECT hash FROM audit_log WHERE id = ?1) FROM audit_log WHERE id <= ?1";
	static const char open_sql[] = "INSERT INTO audit_purge_window (upto_id) VALUES (?1)";
	static const char del_sql[] = "DELETE FROM audit_log WHERE id <= ?1";
	static const char close_sql[] = "DELETE FROM audit_purge_window";
	struct md_store *st = ctx->store;
	sqlite3_stmt *s;
	long long upto = 0, last = 0;
	int rc;

	memset(out, 0, sizeof *out);
	if (!ctx->keys.loaded)
		return md_error_set(err, MD_E_KEY, "", _("no key file is loaded"));
	if (!md_store_in_tx(st))
		return md_error_set(err, MD_E_DB, "", _("the audit purge must run inside a transaction"));
	/* Only a prefix of the chain goes: everything before the first entry
	 * that is still within its period, and never the newest entry (the
	 * next one is chained to it). */
	if (!(s = md_store_stmt(st, last_sql, err)))
		return MD_E_DB;
	if (sqlite3_step(s) == SQLITE_ROW)
		last = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (!(s = md_store_stmt(st, first_kept_sql, err)))
		return MD_E_DB;
	md_bind_text(s, 1, before);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		upto = sqlite3_column_int64(s, 0) - 1;
	else if (rc == SQLITE_DONE)
		upto = last;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return md_store_fail(st, err, _("reading the audit log"));
	if (upto > last - 1)
		upto = last - 1;
	if (upto <= 0)
		return MD_OK;

	if (!(s = md_store_stmt(st, range_sql, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, upto);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return md_store_fail(st, err, _("reading the audit log"));
	}
	out->count = sqlite3_column_int64(s, 0);
	snprintf(out->first_ts, sizeof out->first_ts, "%s", md_col_text(s, 1));
	snprintf(out->last_ts, sizeof out->last_ts, "%s", md_col_text(s, 2));
	snprintf(out->anchor_hash, sizeof out->anchor_hash, "%s", md_col_text(s, 3));
	sqlite3_reset(s);
	out->anchor_id = upto;
	if (out->count == 0)
		return MD_OK;

	if (!(s = md_store_stmt(st, open_sql, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, upto);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		if (!(s = md_store_stmt(st, del_sql, err)))
			return MD_E_DB;
		sqlite3_bind_int64(s, 1, upto);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
	}
	/* The window closes whatever happened. */
	if ((s = md_store_stmt(st, close_sql, err)) != NULL) {
		int crc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc == SQLITE_DONE && crc != SQLITE_DONE)
			rc = crc;
	}
	if (rc != SQLITE_DONE)
		return md_store_fail(st, err, _("deleting expired audit entries"));
	{
		char anchor[256];
		anchor_text(ctx, upto, out->anchor_hash, anchor, sizeof anchor);
		if ((rc = md_store_meta_set(st, "audit_anchor", anchor, err)) != MD_OK)
			return rc;
	}
	return MD_OK;
}
