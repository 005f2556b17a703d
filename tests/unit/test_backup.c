/* test_backup.c: encrypted online backups and their restore. */
#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>

#define TU_WITH_DB
#include "testutil.h"

#include "account.h"
#include "audit.h"
#include "backup.h"
#include "cmd.h"
#include "ctx.h"
#include "error.h"
#include "settings.h"
#include "store.h"
#include "timeutil.h"

#define PASS "a long backup passphrase"

struct fx {
	char *dir, *db, *out, *newdb;
	struct md_settings cfg;
	struct md_ctx *ctx;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct md_error err;
	if (!f || !(f->dir = tu_tmpdir()))
		return -1;
	md_settings_defaults(&f->cfg);
	f->db = tu_create_db(f->dir, "t.db", &f->cfg, MD_DB_PRODUCTION);
	f->ctx = tu_open(&f->cfg, f->db, MD_DB_PRODUCTION);
	assert_int_equal(md_auth_login(f->ctx, TU_ADMIN, TU_ADMIN_PW, &err), MD_OK);
	f->out = tu_path(f->dir, "b.mdb");
	f->newdb = tu_path(f->dir, "r.db");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	md_ctx_free(&f->ctx);
	tu_rmdir(f->dir);
	free(f->db);
	free(f->out);
	free(f->newdb);
	free(f);
	return 0;
}

/* The restored database finds its key file beside it. */
static void copy_key(struct fx *f)
{
	char cmd[9000];
	snprintf(cmd, sizeof cmd, "cp '%s.key' '%s.key' && chmod 600 '%s.key'", f->db, f->newdb, f->newdb);
	assert_int_equal(system(cmd), 0);
}

static void make_backup(struct fx *f, const char *passphrase)
{
	struct md_backup_opts o = { 0 };
	struct md_backup_info info;
	struct md_error err;
	int rc;
	o.passphrase = passphrase;
	rc = md_backup_make(f->ctx, f->out, &o, &info, &err);
	if (rc != MD_OK)
		print_error("md_backup_make: %s\n", err.msg);
	assert_int_equal(rc, MD_OK);
	assert_int_equal(info.passphrase, passphrase != NULL);
	assert_int_equal(info.schema, md_store_latest_version());
}

static int restore(struct fx *f, const char *passphrase, const char *user, const char *pw,
                   struct md_error *err)
{
	struct md_backup_info info;
	return md_backup_restore(&f->cfg, f->out, f->newdb, passphrase, user, pw, &info, err);
}

static long long count_in(const struct md_settings *cfg, const char *path, const char *sql)
{
	struct md_ctx *c = tu_open(cfg, path, MD_DB_PRODUCTION);
	long long n = tu_sql_int(c, sql);
	md_ctx_free(&c);
	return n;
}

/* ---- a copy while another connection writes ---------------------------------- */

struct writer {
	sqlite3 *db;
	int calls;
	int written;
};

static void write_between(void *arg, int remaining, int total)
{
	struct writer *w = arg;
	assert_true(remaining > 0);
	assert_true(total > remaining);
	w->calls++;
	if (w->calls <= 3) {
		/* Another connection commits households while the copy is taken. */
		for (int i = 0; i < 20; i++) {
			assert_int_equal(sqlite3_exec(w->db, "INSERT INTO households (created_at) VALUES ('x')",
			                              NULL, NULL, NULL), SQLITE_OK);
			w->written++;
		}
	}
}

static void test_backup_while_writing(void **state)
{
	struct fx *f = *state;
	struct md_backup_opts o = { 0 };
	struct md_backup_info info;
	struct writer w = { NULL, 0, 0 };
	struct md_error err;
	long long before;
	int rc;

	tu_sql_exec(f->ctx, "INSERT INTO households (created_at) VALUES ('before')");
	before = tu_sql_int(f->ctx, "SELECT count(*) FROM households");
	assert_int_equal(sqlite3_open(f->db, &w.db), SQLITE_OK);
	sqlite3_busy_timeout(w.db, 5000);
	o.pages_per_step = 2;
	o.between_steps = write_between;
	o.arg = &w;
	rc = md_backup_make(f->ctx, f->out, &o, &info, &err);
	if (rc != MD_OK)
		print_error("%s\n", err.msg);
	assert_int_equal(rc, MD_OK);
	sqlite3_close(w.db);
	assert_true(info.steps > 3);
	assert_int_equal(w.written, 60);
	/* The source has the rows written meanwhile; the copy is the state at its start. */
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM households"), before + 60);
	{
		struct stat sb;
		assert_int_equal(stat(f->out, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0600);
	}
	assert_int_equal(tu_audit_count(f->ctx, "backup", "ok", NULL), 1);
	copy_key(f);
	rc = restore(f, NULL, TU_ADMIN, TU_ADMIN_PW, &err);
	if (rc != MD_OK)
		print_error("%s\n", err.msg);
	assert_int_equal(rc, MD_OK);
	assert_int_equal(count_in(&f->cfg, f->newdb, "SELECT count(*) FROM households"), before);
	/* The restore is logged in the restored database, and its chain holds. */
	{
		struct md_ctx *c = tu_open(&f->cfg, f->newdb, MD_DB_PRODUCTION);
		long n = 0, bad = 0;
		assert_int_equal(tu_audit_count(c, "backup.restore", "ok", NULL), 1);
		assert_int_equal(md_audit_verify(c, &n, &bad, &err), MD_OK);
		md_ctx_free(&c);
	}
	/* Nothing but the database (and its key) at the new path. */
	{
		char *tmpglob = tu_path(f->dir, "r.db.tmp-*");
		char cmd[9000];
		snprintf(cmd, sizeof cmd, "ls %s >/dev/null 2>&1", tmpglob);
		assert_int_not_equal(system(cmd), 0);
		free(tmpglob);
	}
}

/* ---- keys and passphrases ----------------------------------------------------- */

static void test_passphrase_round_trip_and_wrong_one(void **state)
{
	struct fx *f = *state;
	struct md_error err;
	struct md_backup_info info;

	make_backup(f, PASS);
	assert_int_equal(md_backup_inspect(f->out, &info, &err), MD_OK);
	assert_int_equal(info.passphrase, 1);
	copy_key(f);
	assert_int_equal(restore(f, "not the passphrase", TU_ADMIN, TU_ADMIN_PW, &err), MD_E_KEY);
	assert_string_equal(err.field, "passphrase");
	assert_non_null(strstr(err.msg, "passphrase is wrong"));
	assert_false(tu_exists(f->newdb));
	assert_int_equal(restore(f, NULL, TU_ADMIN, TU_ADMIN_PW, &err), MD_E_INVALID);
	assert_string_equal(err.field, "passphrase");
	assert_int_equal(restore(f, PASS, TU_ADMIN, TU_ADMIN_PW, &err), MD_OK);
	assert_true(tu_exists(f->newdb));
}

static void test_short_passphrase_refused(void **state)
{
	struct fx *f = *state;
	struct md_backup_opts o = { 0 };
	struct md_error err;
	o.passphrase = "short";
	assert_int_equal(md_backup_make(f->ctx, f->out, &o, NULL, &err), MD_E_INVALID);
	assert_string_equal(err.field, "passphrase");
	assert_false(tu_exists(f->out));
}

static void test_wrong_key_file_named(void **state)
{
	struct fx *f = *state;
	struct md_error err;
	struct md_keys k;
	char *key = malloc(4200);

	snprintf(key, 4200, "%s.key", f->newdb);

	make_backup(f, NULL);
	/* Another database's key file where the restored one looks for it. */
	assert_int_equal(md_keyfile_create(key, &k, &err), MD_OK);
	assert_int_equal(restore(f, NULL, TU_ADMIN, TU_ADMIN_PW, &err), MD_E_KEY);
	assert_string_equal(err.field, "key_file");
	assert_non_null(strstr(err.msg, "key file"));
	assert_false(tu_exists(f->newdb));
	unlink(key);
	/* No key file at all: the message says where it must be. */
	assert_int_equal(restore(f, NULL, TU_ADMIN, TU_ADMIN_PW, &err), MD_E_KEY);
	assert_non_null(strstr(err.msg, key));
	free(key);
}

/* ---- damage ---------------------------------------------------------------------- */

static void flip_byte(const char *path, long off)
{
	int fd = open(path, O_RDWR);
	unsigned char c;
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &c, 1, off), 1);
	c ^= 0x01;
	assert_int_equal(pwrite(fd, &c, 1, off), 1);
	close(fd);
}

static void test_tampered_backup_refused(void **state)
{
	struct fx *f = *state;
	struct md_error err;
	struct stat sb;

	make_backup(f, NULL);
	copy_key(f);
	assert_int_equal(stat(f->out, &sb), 0);
	flip_byte(f->out, (long)sb.st_size / 2);
	assert_int_equal(restore(f, NULL, TU_ADMIN, TU_ADMIN_PW, &err), MD_E_TAMPER);
	assert_non_null(strstr(err.msg, "damaged or was altered"));
	assert_false(tu_exists(f->newdb));
	flip_byte(f->out, (long)sb.st_size / 2);
	/* The clear header is authenticated too (the creation time here). */
	flip_byte(f->out, 115);
	assert_int_equal(restore(f, NULL, TU_ADMIN, TU_ADMIN_PW, &err), MD_E_TAMPER);
	flip_byte(f->out, 115);
	/* A size in the header made gigabytes larger is refused like any change. */
	flip_byte(f->out, 28);
	assert_int_equal(restore(f, NULL, TU_ADMIN, TU_ADMIN_PW, &err), MD_E_TAMPER);
	flip_byte(f->out, 28);
	/* A cut file lacks its final chunk. */
	assert_int_equal(truncate(f->out, sb.st_size - 40), 0);
	assert_int_equal(restore(f, NULL, TU_ADMIN, TU_ADMIN_PW, &err), MD_E_TAMPER);
	assert_false(tu_exists(f->newdb));
	/* Not a backup at all. */
	{
		char *junk = tu_write(f->dir, "junk", "hello, this is not a backup file at all, but some text "
		                                      "long enough to have a header's length of bytes in it. "
		                                      "more text more text more text more text more text.\n");
		struct md_backup_info info;
		assert_int_equal(md_backup_restore(&f->cfg, junk, f->newdb, NULL, TU_ADMIN, TU_ADMIN_PW,
		                                   &info, &err), MD_E_INVALID);
		assert_non_null(strstr(err.msg, "not a madoguchi backup"));
		free(junk);
	}
}

/* ---- where it goes and who may ---------------------------------------------------- */

static void test_restore_refuses_existing_path(void **state)
{
	struct fx *f = *state;
	struct md_error err;
	char *keep;
	size_t len = 0;

	make_backup(f, NULL);
	copy_key(f);
	free(tu_write(f->dir, "r.db", "precious"));
	assert_int_equal(restore(f, NULL, TU_ADMIN, TU_ADMIN_PW, &err), MD_E_CONFLICT);
	assert_string_equal(err.field, "db");
	keep = tu_read(f->newdb, &len);
	assert_string_equal(keep, "precious");
	free(keep);
	/* Over the source database itself, too. */
	assert_int_equal(md_backup_restore(&f->cfg, f->out, f->db, NULL, TU_ADMIN, TU_ADMIN_PW, NULL, &err),
	                 MD_E_CONFLICT);
	/* And a backup is never written over an existing file. */
	{
		struct md_backup_opts o = { 0 };
		assert_int_equal(md_backup_make(f->ctx, f->db, &o, NULL, &err), MD_E_CONFLICT);
	}
}

static void test_restore_needs_backup_permission(void **state)
{
	struct fx *f = *state;
	struct md_error err;

	assert_int_equal(md_user_create(f->ctx, "clerk9", "窓口 九郎", "clerk", "Clerk-9-password!", NULL,
	                                NULL, "test", 0, 0, &err), MD_OK);
	make_backup(f, NULL);
	copy_key(f);
	assert_int_equal(restore(f, NULL, "clerk9", "Clerk-9-password!", &err), MD_E_DENIED);
	assert_false(tu_exists(f->newdb));
	assert_int_equal(restore(f, NULL, TU_ADMIN, "wrong password", &err), MD_E_AUTH);
	assert_false(tu_exists(f->newdb));
	assert_int_equal(restore(f, NULL, TU_ADMIN, TU_ADMIN_PW, &err), MD_OK);
}

/* The command table: backup needs the permission "backup". */
static void test_backup_command_permission(void **state)
{
	struct fx *f = *state;
	struct md_args a;
	struct md_result res;
	struct md_error err;

	assert_int_equal(md_user_create(f->ctx, "clerk8", "窓口 八郎", "clerk", "Clerk-8-password!", NULL,
	                                NULL, "test", 0, 0, &err), MD_OK);
	md_auth_logout(f->ctx);
	assert_int_equal(md_auth_login(f->ctx, "clerk8", "Clerk-8-password!", &err), MD_OK);
	md_args_init(&a);
	md_args_set(&a, "out", f->out);
	md_result_init(&res);
	assert_int_equal(md_cmd_exec(f->ctx, "backup", &a, &res, &err), MD_E_DENIED);
	md_result_release(&res);
	assert_false(tu_exists(f->out));
	md_auth_logout(f->ctx);
	assert_int_equal(md_auth_login(f->ctx, TU_ADMIN, TU_ADMIN_PW, &err), MD_OK);
	md_result_init(&res);
	assert_int_equal(md_cmd_exec(f->ctx, "backup", &a, &res, &err), MD_OK);
	assert_non_null(res.message);
	md_result_release(&res);
	assert_true(tu_exists(f->out));
}

/* Seal impressions travel with the database they belong to. */
static void test_seal_impressions_travel(void **state)
{
	struct fx *f = *state;
	struct md_error err;
	char *sdir = tu_path(f->dir, "t.db.seals"), *png, *back;
	size_t len = 0;

	assert_int_equal(mkdir(sdir, 0700), 0);
	png = tu_write(sdir, "1.png", "PNG bytes of a seal");
	tu_sql_exec(f->ctx,
	            "INSERT INTO households (id, created_at) VALUES (1, 'x');"
	            "INSERT INTO persons (id, version, status, resident_type, household_id, relationship, "
	            "surname, given_name, surname_kana, given_name_kana, birth_date, sex, address, kana_norm, "
	            "name_fold, updated_at) VALUES (1, 1, 'resident', 'japanese', 1, '世帯主', '山田', '太郎', "
	            "'ヤマダ', 'タロウ', '1980-01-01', 'M', '見本区1-1', 'ヤマダタロウ', '山田太郎', 'x');"
	            "INSERT INTO counter_transactions (id, opened_by, opened_at, terminal, request, status) "
	            "VALUES (1, 'admin', 'x', 'T1', 'seal', 'open');"
	            "INSERT INTO seals (person_id, household_id, status, method, applied_on, applied_at, "
	            "applied_by, terminal, transaction_id, applicant_category, applicant_name, "
	            "verification_method, impression_path, impression_hash, impression_mm, "
	            "impression_width_px, impression_height_px, impression_bytes, name_on_seal, name_kind) "
	            "VALUES (1, 1, 'pending', 'photo_id', '2026-04-01', 'x', 'admin', 'T1', 1, 'self', '山田', "
	            "'photo_id', 't.db.seals/1.png', 'h', 15, 10, 10, 19, '山田', 'surname')");
	make_backup(f, NULL);
	/* Restored into another directory: the impression is there too. */
	{
		char *d2 = tu_path(f->dir, "elsewhere");
		assert_int_equal(mkdir(d2, 0700), 0);
		free(f->newdb);
		f->newdb = tu_path(d2, "r.db");
		free(d2);
	}
	copy_key(f);
	assert_int_equal(restore(f, NULL, TU_ADMIN, TU_ADMIN_PW, &err), MD_OK);
	{
		char *d2 = tu_path(f->dir, "elsewhere/t.db.seals/1.png");
		back = tu_read(d2, &len);
		assert_non_null(back);
		assert_string_equal(back, "PNG bytes of a seal");
		free(back);
		free(d2);
	}
	/* A missing impression makes the backup fail, not silently incomplete. */
	unlink(png);
	unlink(f->out);
	{
		struct md_backup_opts o = { 0 };
		assert_int_equal(md_backup_make(f->ctx, f->out, &o, NULL, &err), MD_E_IO);
		assert_non_null(strstr(err.msg, "1.png"));
		assert_false(tu_exists(f->out));
		assert_int_equal(tu_audit_count(f->ctx, "backup", "failed", NULL), 1);
	}
	free(png);
	free(sdir);
}

/* ---- a database of many chunks ------------------------------------------------- */

static int leftovers(const char *dir, const char *pattern)
{
	char cmd[9000];
	snprintf(cmd, sizeof cmd, "ls '%s'/%s >/dev/null 2>&1", dir, pattern);
	return system(cmd) == 0;
}

/* A database of several encryption chunks (1 MiB each) is copied to a
 * temporary file, encrypted and verified from there chunk by chunk, and
 * restores whole; no temporary file is left beside the backup or the
 * restored database, also when the restore fails in the last chunk. */
static void test_large_database_streams(void **state)
{
	struct fx *f = *state;
	struct md_backup_info info;
	struct md_error err;
	struct stat sb;
	long long rows, bytes;
	int rc;

	/* About 6 MiB of rows that do not compress. */
	tu_sql_exec(f->ctx, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
	                    "INSERT INTO households (created_at) SELECT hex(randomblob(1000)) FROM n");
	rows = tu_sql_int(f->ctx, "SELECT count(*) FROM households");
	bytes = tu_sql_int(f->ctx, "SELECT sum(length(created_at)) FROM households");
	assert_true(bytes >= 6000000);
	rc = md_backup_make(f->ctx, f->out, NULL, &info, &err);
	if (rc != MD_OK)
		print_error("%s\n", err.msg);
	assert_int_equal(rc, MD_OK);
	assert_true(info.db_bytes > 5 * 1024 * 1024);
	assert_int_equal(stat(f->out, &sb), 0);
	assert_true(sb.st_size > info.db_bytes);
	assert_false(leftovers(f->dir, "b.mdb.tmp-*"));
	copy_key(f);
	/* Damage in the last chunk: the image already written is removed. */
	flip_byte(f->out, (long)sb.st_size - 20);
	assert_int_equal(restore(f, NULL, TU_ADMIN, TU_ADMIN_PW, &err), MD_E_TAMPER);
	assert_false(tu_exists(f->newdb));
	assert_false(leftovers(f->dir, "r.db.tmp-*"));
	flip_byte(f->out, (long)sb.st_size - 20);
	rc = restore(f, NULL, TU_ADMIN, TU_ADMIN_PW, &err);
	if (rc != MD_OK)
		print_error("%s\n", err.msg);
	assert_int_equal(rc, MD_OK);
	assert_false(leftovers(f->dir, "r.db.tmp-*"));
	assert_int_equal(count_in(&f->cfg, f->newdb, "SELECT count(*) FROM households"), rows);
	assert_int_equal(count_in(&f->cfg, f->newdb, "SELECT sum(length(created_at)) FROM households"),
	                 bytes);
	/* The same rows, not just as many: rows in the first, a middle and the
	 * last chunk compared in full. */
	{
		static const char *const q[] = {
			"SELECT created_at FROM households ORDER BY id LIMIT 1 OFFSET 2",
			"SELECT created_at FROM households ORDER BY id LIMIT 1 OFFSET 1500",
			"SELECT created_at FROM households ORDER BY id DESC LIMIT 1",
		};
		struct md_ctx *c = tu_open(&f->cfg, f->newdb, MD_DB_PRODUCTION);
		for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
			char x[2100], y[2100];
			tu_sql_text(f->ctx, q[i], x, sizeof x);
			tu_sql_text(c, q[i], y, sizeof y);
			assert_int_equal(strlen(x), 2000);
			assert_string_equal(x, y);
		}
		md_ctx_free(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_backup_while_writing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_passphrase_round_trip_and_wrong_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_passphrase_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_key_file_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_backup_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_refuses_existing_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_needs_backup_permission, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup_command_permission, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seal_impressions_travel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_database_streams, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
