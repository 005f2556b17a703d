/* test_audit.c: the hash-chained, append-only audit log. */
#include "config.h"

#include <sodium.h>

#define TU_WITH_DB
#include "testutil.h"

#include "audit.h"
#include "crypto.h"
#include "ctx.h"
#include "error.h"
#include "settings.h"
#include "store.h"
#include "timeutil.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

struct fx {
	char *dir;
	char *db;
	struct md_settings cfg;
	struct md_ctx *ctx;
	long long base;     /* entries written by creating and opening the database */
};

static int group_setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f || !(f->dir = tu_tmpdir()))
		return -1;
	md_time_set(tu_day(0));
	md_settings_defaults(&f->cfg);
	f->db = tu_create_db(f->dir, "t.db", &f->cfg, MD_DB_PRODUCTION);
	f->ctx = tu_open(&f->cfg, f->db, MD_DB_PRODUCTION);
	f->base = tu_audit_total(f->ctx);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	md_ctx_free(&f->ctx);
	tu_rmdir(f->dir);
	free(f->db);
	free(f);
	md_time_set(0);
	return 0;
}

static void add(struct md_ctx *ctx, const char *function, const char *subject, const char *detail,
                int mynumber)
{
	struct md_audit_rec r = { NULL, function, subject, "test action", "ok", detail, mynumber };
	struct md_error err;
	int rc = md_audit(ctx, &r, &err);
	if (rc != MD_OK)
		print_error("md_audit: %s\n", err.msg);
	assert_int_equal(rc, MD_OK);
}

/* Adds n entries of assorted shapes (NULL and empty fields, a My Number flag). */
static void add_some(struct md_ctx *ctx, int n)
{
	for (int i = 0; i < n; i++) {
		char subj[16], det[32];
		snprintf(subj, sizeof subj, "1000%02d", i);
		snprintf(det, sizeof det, "name=山田 i=%d", i);
		switch (i % 4) {
		case 0: add(ctx, "resident.lookup", subj, det, 0); break;
		case 1: add(ctx, "resident.view", subj, NULL, 0); break;
		case 2: add(ctx, "mynumber.reveal", subj, "", 1); break;
		default: add(ctx, "report", NULL, det, 0); break;
		}
	}
}

static void expect_intact(struct md_ctx *ctx, long long want)
{
	struct md_error err;
	long count = -1, bad = -1;
	int rc = md_audit_verify(ctx, &count, &bad, &err);
	if (rc != MD_OK)
		print_error("verify: %s\n", err.msg);
	assert_int_equal(rc, MD_OK);
	assert_int_equal(count, want);
	assert_int_equal(bad, 0);
}

/* The chain breaks at bad_id, after good_count entries that check out. */
static void expect_broken_after(struct md_ctx *ctx, long bad_id, long good_count)
{
	struct md_error err;
	long count = -1, bad = -1;
	char want[48];

	md_error_clear(&err);
	assert_int_equal(md_audit_verify(ctx, &count, &bad, &err), MD_E_TAMPER);
	assert_int_equal(err.code, MD_E_TAMPER);
	assert_int_equal(bad, bad_id);
	assert_int_equal(count, good_count);
	snprintf(want, sizeof want, "entry %ld", bad_id);
	assert_non_null(strstr(err.msg, want));
}

/* A changed entry: the ones before it check out. */
static void expect_broken(struct md_ctx *ctx, long bad_id)
{
	expect_broken_after(ctx, bad_id, bad_id - 1);
}

static void drop_triggers(struct md_ctx *ctx)
{
	tu_sql_exec(ctx, "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;");
}

/* ---- the chain ------------------------------------------------------------------ */

static void test_chain_links(void **state)
{
	struct fx *f = *state;
	sqlite3_stmt *s;
	char prev[MD_HASH_HEX];
	long long expect = 1;

	add_some(f->ctx, 9);
	assert_int_equal(tu_audit_total(f->ctx), f->base + 9);
	assert_int_equal(sqlite3_prepare_v2(md_store_db(f->ctx->store),
	                                    "SELECT id, prev_hash, hash FROM audit_log ORDER BY id",
	                                    -1, &s, NULL), SQLITE_OK);
	snprintf(prev, sizeof prev, "%s", GENESIS);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *ph = (const char *)sqlite3_column_text(s, 1);
		const char *h = (const char *)sqlite3_column_text(s, 2);
		assert_int_equal(sqlite3_column_int64(s, 0), expect);
		assert_string_equal(ph, prev);
		assert_int_equal(strlen(h), 64);
		assert_string_not_equal(h, ph);
		snprintf(prev, sizeof prev, "%s", h);
		expect++;
	}
	sqlite3_finalize(s);
	assert_int_equal(expect - 1, f->base + 9);
	expect_intact(f->ctx, f->base + 9);
}

static void test_entry_fields(void **state)
{
	struct fx *f = *state;
	struct md_audit_rec r = { "someone", "cert.issue", "123456", "issue", NULL, "copies=2", 1 };
	struct md_error err;
	char buf[128];

	md_time_set(tu_day(3) + 5);
	assert_int_equal(md_audit(f->ctx, &r, &err), MD_OK);
	tu_sql_text(f->ctx, "SELECT ts || '|' || user_id || '|' || terminal || '|' || function || '|' "
	                    "|| subject || '|' || action || '|' || outcome || '|' || mynumber || '|' "
	                    "|| detail FROM audit_log ORDER BY id DESC LIMIT 1", buf, sizeof buf);
	assert_string_equal(buf, "2026-04-04T03:00:05Z|someone|本庁1|cert.issue|123456|issue|ok|1|"
	                         "copies=2");
	/* Without a session and without a user: "-". */
	r.user = NULL;
	assert_int_equal(md_audit(f->ctx, &r, &err), MD_OK);
	tu_sql_text(f->ctx, "SELECT user_id FROM audit_log ORDER BY id DESC LIMIT 1", buf, sizeof buf);
	assert_string_equal(buf, "-");
	/* NULL subject and detail stay NULL. */
	add(f->ctx, "x", NULL, NULL, 0);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT subject IS NULL AND detail IS NULL "
	                                    "FROM audit_log ORDER BY id DESC LIMIT 1"), 1);
	expect_intact(f->ctx, f->base + 3);
}

static void test_empty_log_verifies(void **state)
{
	struct fx *f = *state;
	struct md_error err;
	long count = -1, bad = -1;

	/* A log emptied behind the program's back is not an intact empty log:
	 * the keyed head still names the last entry there was. */
	drop_triggers(f->ctx);
	tu_sql_exec(f->ctx, "DELETE FROM audit_log");
	assert_int_equal(md_audit_verify(f->ctx, &count, &bad, &err), MD_E_TAMPER);
	assert_int_equal(count, 0);
	assert_int_equal(bad, 1);
	/* Without a head either, an empty log verifies, and a new chain starts
	 * from the genesis value. */
	tu_sql_exec(f->ctx, "DELETE FROM meta WHERE key = 'audit_head'");
	assert_int_equal(md_audit_verify(f->ctx, &count, &bad, &err), MD_OK);
	assert_int_equal(count, 0);
	add(f->ctx, "x", NULL, NULL, 0);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM audit_log WHERE id = 1 AND "
	                                    "prev_hash = '" GENESIS "'"), 1);
	expect_intact(f->ctx, 1);
}

/* ---- append-only ----------------------------------------------------------------- */

static void test_triggers_refuse_changes(void **state)
{
	static const char *const sqls[] = {
		"UPDATE audit_log SET detail = 'x' WHERE id = 1",
		"UPDATE audit_log SET outcome = 'ok'",
		"DELETE FROM audit_log WHERE id = 2",
		"DELETE FROM audit_log",
		/* REPLACE deletes the old row without an UPDATE or DELETE statement. */
		"INSERT OR REPLACE INTO audit_log SELECT id, ts, user_id, terminal, function, subject, "
		"action, outcome, mynumber, 'replaced', prev_hash, hash FROM audit_log WHERE id = 1",
		"REPLACE INTO audit_log SELECT * FROM audit_log WHERE id = 2",
		"INSERT INTO audit_log SELECT * FROM audit_log WHERE id = 1 "
		"ON CONFLICT (id) DO UPDATE SET detail = 'upserted'",
	};
	struct fx *f = *state;
	sqlite3 *db = md_store_db(f->ctx->store);
	char before[4096], after[4096];

	add_some(f->ctx, 4);
	tu_sql_text(f->ctx, "SELECT group_concat(hash || coalesce(detail, '-'), '') FROM audit_log",
	            before, sizeof before);
	for (size_t i = 0; i < sizeof sqls / sizeof sqls[0]; i++) {
		char *msg = NULL;
		int rc = sqlite3_exec(db, sqls[i], NULL, NULL, &msg);
		if (rc == SQLITE_OK)
			print_error("not refused: %s\n", sqls[i]);
		assert_int_not_equal(rc, SQLITE_OK);
		{
			assert_non_null(msg);
			assert_non_null(strstr(msg, "append-only"));
		}
		sqlite3_free(msg);
	}
	tu_sql_text(f->ctx, "SELECT group_concat(hash || coalesce(detail, '-'), '') FROM audit_log",
	            after, sizeof after);
	assert_string_equal(before, after);
	assert_int_equal(tu_audit_total(f->ctx), f->base + 4);
	expect_intact(f->ctx, f->base + 4);
}

/* ---- tampering ------------------------------------------------------------------- */

static void test_changed_field_detected(void **state)
{
	static const char *const sets[] = {
		"detail = 'name=佐藤'", "user_id = 'other'", "ts = '2026-01-01T00:00:00Z'",
		"terminal = 'X'", "function = 'nothing'", "subject = '999999'", "action = 'a'",
		"outcome = 'denied'", "mynumber = 1 - mynumber",
	};
	struct fx *f = *state;
	long long k;

	add_some(f->ctx, 8);
	k = f->base + 3;
	drop_triggers(f->ctx);
	for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
		char sql[256];
		tu_sql_exec(f->ctx, "SAVEPOINT t");
		snprintf(sql, sizeof sql, "UPDATE audit_log SET %s WHERE id = %lld", sets[i], k);
		tu_sql_exec(f->ctx, sql);
		expect_broken(f->ctx, (long)k);
		tu_sql_exec(f->ctx, "ROLLBACK TO t; RELEASE t");
		expect_intact(f->ctx, f->base + 8);
	}
}

/* NULL and "" are different values: turning one into the other is a change. */
static void test_null_versus_empty_detected(void **state)
{
	struct fx *f = *state;
	long long k;

	add(f->ctx, "a", NULL, NULL, 0);
	k = f->base + 1;
	add(f->ctx, "b", "", "", 0);
	drop_triggers(f->ctx);
	tu_sql_exec(f->ctx, "SAVEPOINT t");
	{
		char sql[128];
		snprintf(sql, sizeof sql, "UPDATE audit_log SET subject = '' WHERE id = %lld", k);
		tu_sql_exec(f->ctx, sql);
	}
	expect_broken(f->ctx, (long)k);
	tu_sql_exec(f->ctx, "ROLLBACK TO t; RELEASE t");
	{
		char sql[128];
		snprintf(sql, sizeof sql, "UPDATE audit_log SET detail = NULL WHERE id = %lld", k + 1);
		tu_sql_exec(f->ctx, sql);
	}
	expect_broken(f->ctx, (long)k + 1);
}

static void test_deleted_entry_detected(void **state)
{
	struct fx *f = *state;
	long long k;
	char sql[128];

	add_some(f->ctx, 6);
	k = f->base + 2;
	drop_triggers(f->ctx);
	snprintf(sql, sizeof sql, "DELETE FROM audit_log WHERE id = %lld", k);
	tu_sql_exec(f->ctx, sql);
	expect_broken_after(f->ctx, (long)k + 1, (long)k - 1);
	{
		long count = 0, bad = 0;
		struct md_error err;
		assert_int_equal(md_audit_verify(f->ctx, &count, &bad, &err), MD_E_TAMPER);
		assert_non_null(strstr(err.msg, "missing"));
	}
}

/* Removing the last entries leaves a consistent chain; the keyed head in
 * meta still names the real last entry. */
static void test_deleted_tail_detected(void **state)
{
	struct fx *f = *state;
	long long last;
	long count = 0, bad = 0;
	struct md_error err;
	char sql[128];

	add_some(f->ctx, 5);
	last = tu_audit_total(f->ctx);
	drop_triggers(f->ctx);
	snprintf(sql, sizeof sql, "DELETE FROM audit_log WHERE id >= %lld", last - 1);
	tu_sql_exec(f->ctx, sql);
	assert_int_equal(md_audit_verify(f->ctx, &count, &bad, &err), MD_E_TAMPER);
	assert_int_equal(bad, (long)last - 1);
	assert_non_null(strstr(err.msg, "removed from the end"));
	/* Nor can the head simply be pointed at the new last entry. */
	tu_sql_exec(f->ctx, "UPDATE meta SET value = 'x' WHERE key = 'audit_head'");
	assert_int_equal(md_audit_verify(f->ctx, &count, &bad, &err), MD_E_TAMPER);
}

static void test_deleted_first_entry_detected(void **state)
{
	struct fx *f = *state;

	add_some(f->ctx, 3);
	drop_triggers(f->ctx);
	tu_sql_exec(f->ctx, "DELETE FROM audit_log WHERE id = 1");
	expect_broken_after(f->ctx, 2, 0);
}

/* The hash an attacker without the key file can compute: the same
 * length-prefixed fields, but BLAKE2b without the key. */
static void buf_add(char *b, size_t cap, size_t *len, const char *s)
{
	int n = s ? snprintf(b + *len, cap - *len, "%zu:%s", strlen(s), s)
	          : snprintf(b + *len, cap - *len, "-:");
	*len += (size_t)n;
}

static void forged_hash_in(struct md_ctx *ctx, const char *table, long long id,
                           char out[MD_HASH_HEX])
{
	sqlite3_stmt *s;
	char b[2048], idtxt[24], sql[256];
	size_t len = 0;
	unsigned char h[32];

	snprintf(sql, sizeof sql, "SELECT prev_hash, ts, user_id, terminal, function, subject, "
	                          "action, outcome, mynumber, detail FROM %s WHERE id = ?1", table);
	assert_int_equal(sqlite3_prepare_v2(md_store_db(ctx->store), sql, -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, id);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(idtxt, sizeof idtxt, "%lld", id);
	buf_add(b, sizeof b, &len, (const char *)sqlite3_column_text(s, 0));
	buf_add(b, sizeof b, &len, idtxt);
	for (int i = 1; i <= 9; i++)
		buf_add(b, sizeof b, &len, sqlite3_column_type(s, i) == SQLITE_NULL
		                           ? NULL : (const char *)sqlite3_column_text(s, i));
	sqlite3_finalize(s);
	crypto_generichash(h, sizeof h, (const unsigned char *)b, len, NULL, 0);
	sodium_bin2hex(out, MD_HASH_HEX, h, sizeof h);
}

static void forged_hash(struct md_ctx *ctx, long long id, char out[MD_HASH_HEX])
{
	forged_hash_in(ctx, "audit_log", id, out);
}

static void set_hash(struct md_ctx *ctx, long long id, const char *col, const char *val)
{
	char sql[256];
	snprintf(sql, sizeof sql, "UPDATE audit_log SET %s = '%s' WHERE id = %lld", col, val, id);
	tu_sql_exec(ctx, sql);
}

static void test_rehashed_entry_detected(void **state)
{
	struct fx *f = *state;
	long long k;
	char h[MD_HASH_HEX];

	add_some(f->ctx, 6);
	k = f->base + 4;
	drop_triggers(f->ctx);
	/* Change entry k, recompute its hash without the key, and relink k + 1. */
	{
		char sql[128];
		snprintf(sql, sizeof sql, "UPDATE audit_log SET detail = 'nothing here' WHERE id = %lld", k);
		tu_sql_exec(f->ctx, sql);
	}
	forged_hash(f->ctx, k, h);
	set_hash(f->ctx, k, "hash", h);
	set_hash(f->ctx, k + 1, "prev_hash", h);
	expect_broken(f->ctx, (long)k);

	/* Forging the whole tail the same way still breaks at k. */
	for (long long id = k + 1; id <= f->base + 6; id++) {
		forged_hash(f->ctx, id, h);
		set_hash(f->ctx, id, "hash", h);
		if (id < f->base + 6)
			set_hash(f->ctx, id + 1, "prev_hash", h);
	}
	expect_broken(f->ctx, (long)k);
}

/* An entry appended by plain SQL (INSERT is not blocked by the triggers),
 * linked to the last hash and hashed without the key, does not fit. */
static void test_forged_append_detected(void **state)
{
	struct fx *f = *state;
	long long n;
	char h[MD_HASH_HEX], sql[512];

	add_some(f->ctx, 2);
	n = tu_audit_total(f->ctx);
	tu_sql_exec(f->ctx, "CREATE TEMP TABLE forge AS SELECT * FROM audit_log WHERE 0");
	snprintf(sql, sizeof sql,
	         "INSERT INTO forge (id, ts, user_id, terminal, function, subject, action, outcome, "
	         "mynumber, detail, prev_hash, hash) SELECT %lld, '2026-04-01T03:00:00Z', 'x', 'T', "
	         "'login', NULL, 'login', 'ok', 0, NULL, hash, '' FROM audit_log WHERE id = %lld",
	         n + 1, n);
	tu_sql_exec(f->ctx, sql);
	forged_hash_in(f->ctx, "forge", n + 1, h);
	snprintf(sql, sizeof sql,
	         "INSERT INTO audit_log SELECT id, ts, user_id, terminal, function, subject, action, "
	         "outcome, mynumber, detail, prev_hash, '%s' FROM forge", h);
	tu_sql_exec(f->ctx, sql);
	assert_int_equal(tu_audit_total(f->ctx), n + 1);
	expect_broken(f->ctx, (long)n + 1);
}

static void test_other_key_fails_at_first(void **state)
{
	struct fx *f = *state;
	struct md_keys saved = f->ctx->keys;
	struct md_error err;
	char *p = tu_path(f->dir, "other.key");

	add_some(f->ctx, 3);
	assert_int_equal(md_keyfile_create(p, &f->ctx->keys, &err), MD_OK);
	expect_broken(f->ctx, 1);
	f->ctx->keys = saved;
	expect_intact(f->ctx, f->base + 3);

	/* No key at all: refused, not "intact". */
	memset(&f->ctx->keys, 0, sizeof f->ctx->keys);
	{
		long count = -1, bad = -1;
		assert_int_equal(md_audit_verify(f->ctx, &count, &bad, &err), MD_E_KEY);
		assert_int_equal(count, 0);
		assert_int_equal(md_audit(f->ctx, &(struct md_audit_rec){ .function = "x" }, &err),
		                 MD_E_KEY);
	}
	f->ctx->keys = saved;
	assert_int_equal(tu_audit_total(f->ctx), f->base + 3);
	free(p);
}

/* ---- transactions ----------------------------------------------------------------- */

static void test_rolled_back_entry_absent(void **state)
{
	struct fx *f = *state;
	struct md_error err;
	long long n;

	add_some(f->ctx, 2);
	n = tu_audit_total(f->ctx);
	assert_int_equal(md_store_begin(f->ctx->store, &err), MD_OK);
	add(f->ctx, "rolled.back", "1", "should vanish", 0);
	add(f->ctx, "rolled.back", "2", "should vanish", 0);
	assert_int_equal(tu_audit_total(f->ctx), n + 2);   /* visible inside */
	md_store_rollback(f->ctx->store);
	assert_int_equal(tu_audit_total(f->ctx), n);
	assert_int_equal(tu_audit_count(f->ctx, "rolled.back", NULL, NULL), 0);
	expect_intact(f->ctx, n);
	/* The next entry takes the free id and links to the last kept one. */
	add(f->ctx, "after", NULL, NULL, 0);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT max(id) FROM audit_log"), n + 1);
	expect_intact(f->ctx, n + 1);

	/* Inside a transaction that commits, the entries stay. */
	assert_int_equal(md_store_begin(f->ctx->store, &err), MD_OK);
	add(f->ctx, "kept", NULL, NULL, 0);
	assert_int_equal(md_store_commit(f->ctx->store, &err), MD_OK);
	assert_int_equal(tu_audit_count(f->ctx, "kept", NULL, NULL), 1);
	expect_intact(f->ctx, n + 2);
}

/* Two connections to one database append to one chain. */
static void test_two_connections_one_chain(void **state)
{
	struct fx *f = *state;
	struct md_ctx *other = tu_open(&f->cfg, f->db, MD_DB_PRODUCTION);

	for (int i = 0; i < 5; i++) {
		add(f->ctx, "one", NULL, NULL, 0);
		add(other, "two", NULL, NULL, 0);
	}
	expect_intact(f->ctx, f->base + 10);
	expect_intact(other, f->base + 10);
	md_ctx_free(&other);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_chain_links),
		T(test_entry_fields),
		T(test_empty_log_verifies),
		T(test_triggers_refuse_changes),
		T(test_changed_field_detected),
		T(test_null_versus_empty_detected),
		T(test_deleted_entry_detected),
		T(test_deleted_first_entry_detected),
		T(test_deleted_tail_detected),
		T(test_rehashed_entry_detected),
		T(test_forged_append_detected),
		T(test_other_key_fails_at_first),
		T(test_rolled_back_entry_absent),
		T(test_two_connections_one_chain),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
