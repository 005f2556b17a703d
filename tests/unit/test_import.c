/* test_import.c: `import residents`: the CSV reader, the column rules, the
 * whole import through md_cmd_exec (checked before written, nothing written
 * on an error, --skip-invalid and its rejects file, importing again, the
 * audit entry, the permission). */
#include "config.h"

#include <stdarg.h>
#include <sys/stat.h>

#define TU_WITH_DB
#include "testutil.h"

#include "cmd.h"
#include "crypto.h"
#include "ctx.h"
#include "error.h"
#include "import.h"
#include "kana.h"
#include "nameindex.h"
#include "result.h"
#include "settings.h"
#include "store.h"
#include "timeutil.h"

struct fx {
	char *dir;
	char *db;
	struct md_settings cfg;
	struct md_ctx *ctx;
	struct md_result res;
	struct md_error err;
};

static const char HEADER[] =
	"atena_no,household_no,relationship,name,name_kana,birth_date,sex,address,resident_type\n";

static int group_setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static void login(struct fx *f, const char *user)
{
	struct md_args a;
	struct md_result r;
	struct md_error e;
	int rc;

	md_args_init(&a);
	md_args_set(&a, "user", user);
	md_args_set(&a, "password", "demo");
	md_result_init(&r);
	rc = md_cmd_exec(f->ctx, "login", &a, &r, &e);
	if (rc != MD_OK)
		print_error("login %s: %s\n", user, e.msg);
	assert_int_equal(rc, MD_OK);
	md_result_release(&r);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f || !(f->dir = tu_tmpdir()))
		return -1;
	md_time_set(tu_day(0));
	md_settings_defaults(&f->cfg);
	f->db = tu_create_db(f->dir, "t.db", &f->cfg, MD_DB_TRAINING);
	f->ctx = tu_open(&f->cfg, f->db, MD_DB_TRAINING);
	md_result_init(&f->res);
	login(f, "admin1");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	md_result_release(&f->res);
	md_ctx_free(&f->ctx);
	tu_rmdir(f->dir);
	free(f->db);
	free(f);
	md_time_set(0);
	return 0;
}

/* Runs import.residents on path; the result stays in f->res until the next run. */
static int import(struct fx *f, const char *path, int skip)
{
	struct md_args a;

	md_result_release(&f->res);
	md_result_init(&f->res);
	md_args_init(&a);
	md_args_set(&a, "file", path);
	if (skip)
		md_args_set(&a, "skip-invalid", "1");
	return md_cmd_exec(f->ctx, "import.residents", &a, &f->res, &f->err);
}

/* The line printed for a problem, exactly. */
static int has_line(struct fx *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int has_line(struct fx *f, const char *fmt, ...)
{
	char want[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(want, sizeof want, fmt, ap);
	va_end(ap);
	for (int i = 0; i < f->res.nlines; i++)
		if (strcmp(f->res.lines[i], want) == 0)
			return 1;
	print_error("no line \"%s\" among %d:\n", want, f->res.nlines);
	for (int i = 0; i < f->res.nlines; i++)
		print_error("  %s\n", f->res.lines[i]);
	return 0;
}

/* A line starting with FILE:LINE: column: (the message not compared). */
static int has_prefix(struct fx *f, const char *path, long line, const char *column)
{
	char want[2048];
	snprintf(want, sizeof want, "%s:%ld: %s: ", path, line, column);
	for (int i = 0; i < f->res.nlines; i++)
		if (strncmp(f->res.lines[i], want, strlen(want)) == 0)
			return 1;
	print_error("no line starting \"%s\" among %d:\n", want, f->res.nlines);
	for (int i = 0; i < f->res.nlines; i++)
		print_error("  %s\n", f->res.lines[i]);
	return 0;
}

static char *data_path(const char *name)
{
	const char *srcdir = getenv("MD_SRCDIR");
	char *p = malloc(4096);
	snprintf(p, 4096, "%s/tests/data/import/%s", srcdir && *srcdir ? srcdir : ".", name);
	return p;
}

/* A copy of a sample file in the test's directory (the rejects file goes next to it). */
static char *sample(struct fx *f, const char *name)
{
	char *src = data_path(name), *text;
	size_t len;
	char *dst;
	FILE *out;

	text = tu_read(src, &len);
	if (!text)
		print_error("cannot read %s (set MD_SRCDIR)\n", src);
	assert_non_null(text);
	dst = tu_path(f->dir, name);
	out = fopen(dst, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(text, 1, len, out), len);
	fclose(out);
	free(text);
	free(src);
	return dst;
}

static long long count(struct fx *f, const char *table)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	return tu_sql_int(f->ctx, sql);
}

static void assert_nothing_written(struct fx *f)
{
	assert_int_equal(count(f, "persons"), 0);
	assert_int_equal(count(f, "households"), 0);
	assert_int_equal(count(f, "person_versions"), 0);
	assert_int_equal(count(f, "name_index"), 0);
	assert_int_equal(count(f, "changes"), 0);
	assert_int_equal(count(f, "imports"), 0);
}

/* ---- the CSV reader ---------------------------------------------------------- */

struct parsed {
	char *buf;
	struct md_csv_record rec[16];
	int n;
	int rc;
	long err_line;
	int bad_field;
	char msg[512];
};

static void parse(struct parsed *p, const char *text, size_t len)
{
	struct md_csv_reader r;
	struct md_error err;

	memset(p, 0, sizeof *p);
	p->buf = malloc(len + 1);
	memcpy(p->buf, text, len);
	md_csv_init(&r, p->buf, len);
	while (p->n < 16 && (p->rc = md_csv_next(&r, &p->rec[p->n], &err)) > 0)
		p->n++;
	if (p->rc < 0) {
		p->err_line = err.line;
		p->bad_field = r.bad_field;
		snprintf(p->msg, sizeof p->msg, "%s", err.msg);
		assert_int_equal(err.code, MD_E_INVALID);
	}
}

static void parse_str(struct parsed *p, const char *text)
{
	parse(p, text, strlen(text));
}

static void parsed_release(struct parsed *p)
{
	for (int i = 0; i < p->n; i++)
		md_csv_record_release(&p->rec[i]);
	free(p->buf);
}

static void test_csv_quoting(void **state)
{
	static const char text[] =
		"\xef\xbb\xbf" "a,b,c\r\n"
		"\"x, y\",\"say \"\"hi\"\"\",\r\n"
		"\r\n"
		"\"two\nlines\",\"three\r\nlines\nhere\",z\n"
		"last,,\"\"";
	struct parsed p;

	(void)state;
	parse(&p, text, sizeof text - 1);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.n, 4);
	assert_int_equal(p.rec[0].line, 1);
	assert_int_equal(p.rec[0].nfields, 3);
	assert_string_equal(p.rec[0].field[0], "a");      /* BOM skipped */
	assert_int_equal(p.rec[1].line, 2);
	assert_string_equal(p.rec[1].field[0], "x, y");
	assert_string_equal(p.rec[1].field[1], "say \"hi\"");
	assert_string_equal(p.rec[1].field[2], "");      /* trailing comma: an empty field */
	/* Line 3 is empty; the record on line 4 spans lines 4-7. */
	assert_int_equal(p.rec[2].line, 4);
	assert_string_equal(p.rec[2].field[0], "two\nlines");
	assert_string_equal(p.rec[2].field[1], "three\r\nlines\nhere");
	assert_string_equal(p.rec[2].field[2], "z");
	assert_int_equal(p.rec[3].line, 8);
	assert_int_equal(p.rec[3].nfields, 3);
	assert_string_equal(p.rec[3].field[0], "last");
	assert_string_equal(p.rec[3].field[2], "");
	parsed_release(&p);
}

static void test_csv_errors(void **state)
{
	struct parsed p;

	(void)state;
	parse_str(&p, "a,b\n1,\"open\nstill open\n");
	assert_int_equal(p.rc, -1);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.err_line, 2);          /* where the quoted field starts */
	assert_int_equal(p.bad_field, 2);
	assert_non_null(strstr(p.msg, "never ends"));
	parsed_release(&p);

	parse_str(&p, "a,b\n1,2\nx,ab\"c\n");
	assert_int_equal(p.rc, -1);
	assert_int_equal(p.err_line, 3);
	assert_int_equal(p.bad_field, 2);
	assert_non_null(strstr(p.msg, "quote"));
	parsed_release(&p);

	parse_str(&p, "a,b\n\"x\"y,2\n");
	assert_int_equal(p.rc, -1);
	assert_int_equal(p.err_line, 2);
	assert_int_equal(p.bad_field, 1);
	assert_non_null(strstr(p.msg, "closing quote"));
	parsed_release(&p);

	/* Shift_JIS 山田 on line 3, field 2; an overlong form; a lone surrogate. */
	parse_str(&p, "a,b\n1,2\n3,\x8e\x52\x93\x63\n");
	assert_int_equal(p.rc, -1);
	assert_int_equal(p.err_line, 3);
	assert_int_equal(p.bad_field, 2);
	assert_non_null(strstr(p.msg, "not UTF-8"));
	parsed_release(&p);
	parse_str(&p, "\xc0\xaf");
	assert_int_equal(p.rc, -1);
	parsed_release(&p);
	parse_str(&p, "\"\xed\xa0\x80\"");
	assert_int_equal(p.rc, -1);
	assert_int_equal(p.bad_field, 1);
	parsed_release(&p);

	parse(&p, "a\nb\0c\n", 6);
	assert_int_equal(p.rc, -1);
	assert_int_equal(p.err_line, 2);
	assert_non_null(strstr(p.msg, "NUL"));
	parsed_release(&p);
}

static void test_csv_write_round_trip(void **state)
{
	const char *fields[] = { "plain", "a, b", "say \"hi\"", "two\r\nlines", " padded", "", "山田　太郎" };
	char *path, *text;
	size_t len;
	struct parsed p;
	FILE *out;
	char *dir = tu_tmpdir();

	(void)state;
	path = tu_path(dir, "w.csv");
	out = fopen(path, "wb");
	assert_int_equal(md_csv_write_record(out, 7, fields), 0);
	fclose(out);
	text = tu_read(path, &len);
	assert_string_equal(text, "plain,\"a, b\",\"say \"\"hi\"\"\",\"two\r\nlines\",\" padded\",,山田　太郎\r\n");
	parse(&p, text, len);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.rec[0].nfields, 7);
	for (int i = 0; i < 7; i++)
		assert_string_equal(p.rec[0].field[i], fields[i]);
	parsed_release(&p);
	free(text);
	free(path);
	tu_rmdir(dir);
}

static void test_rejects_path(void **state)
{
	char *p;
	(void)state;
	p = md_import_rejects_path("dir/residents.csv");
	assert_string_equal(p, "dir/residents.rejects.csv");
	free(p);
	p = md_import_rejects_path("export.txt");
	assert_string_equal(p, "export.txt.rejects.csv");
	free(p);
}

/* ---- importing ------------------------------------------------------------------ */

static void test_valid_file(void **state)
{
	struct fx *f = *state;
	char *path = sample(f, "valid.csv");
	char buf[512], sql[256], idx[MD_HASH_HEX];
	char *key, *dbtext;
	size_t dblen;

	assert_int_equal(import(f, path, 0), MD_OK);
	snprintf(buf, sizeof buf, "imported 6 person(s) in 3 household(s) from %s", path);
	assert_string_equal(f->res.message, buf);
	assert_int_equal(f->res.nlines, 0);

	assert_int_equal(count(f, "persons"), 6);
	assert_int_equal(count(f, "person_versions"), 6);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM households WHERE id IN (1001, 1002, 1003)"), 3);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM persons WHERE status = 'resident' AND version = 1"), 6);
	/* Half- and full-width spaces, hiragana and half-width kana. */
	tu_sql_text(f->ctx, "SELECT surname || '|' || given_name || '|' || surname_kana || '|' || given_name_kana "
	            "|| '|' || household_id || '|' || relationship FROM persons WHERE id = 100002", buf, sizeof buf);
	assert_string_equal(buf, "山田|花子|ヤマダ|ハナコ|1001|妻");
	tu_sql_text(f->ctx, "SELECT surname_kana || ' ' || given_name_kana FROM persons WHERE id = 100003", buf,
	            sizeof buf);
	assert_string_equal(buf, "ヤマダ イチロウ");
	/* Era and ISO dates, a partly unknown date of birth. */
	tu_sql_text(f->ctx, "SELECT birth_date || '|' || resident_since || '|' || address_since || '|' || notified_on "
	            "FROM persons WHERE id = 100001", buf, sizeof buf);
	assert_string_equal(buf, "1980-03-14|1980-03-14|2015-04-01|2015-04-03");
	tu_sql_text(f->ctx, "SELECT birth_date FROM persons WHERE id = 100004", buf, sizeof buf);
	assert_string_equal(buf, "1945-00-00");
	tu_sql_text(f->ctx, "SELECT birth_date FROM persons WHERE id = 100003", buf, sizeof buf);
	assert_string_equal(buf, "2010-05-05");
	/* Quoted fields with commas; the postal code written one way. */
	tu_sql_text(f->ctx, "SELECT katagaki || '|' || previous_address || '|' || postal_code FROM persons "
	            "WHERE id = 100001", buf, sizeof buf);
	assert_string_equal(buf, "メゾン見本, 101号室|東京都千代田区見本町1丁目1番1号, 見本ハイツ|999-0001");
	tu_sql_text(f->ctx, "SELECT postal_code FROM persons WHERE id = 100002", buf, sizeof buf);
	assert_string_equal(buf, "999-0001");
	/* Japanese and foreign residents. */
	tu_sql_text(f->ctx, "SELECT resident_type || '|' || honseki || '|' || hittosha || '|' || sex FROM persons "
	            "WHERE id = 100001", buf, sizeof buf);
	assert_string_equal(buf, "japanese|東京都千代田区見本町1番地|山田 太郎|M");
	tu_sql_text(f->ctx, "SELECT resident_type || '|' || nationality || '|' || surname || '|[' || given_name "
	            "|| ']|' || sex || '|' || coalesce(honseki, 'none') FROM persons WHERE id = 100006", buf, sizeof buf);
	assert_string_equal(buf, "foreign|VNM|グエン|[]|F|none");
	tu_sql_text(f->ctx, "SELECT nationality FROM persons WHERE id = 100005", buf, sizeof buf);
	assert_string_equal(buf, "USA");
	/* 個人番号 sealed with its blind index; 住民票コード kept. */
	md_keyed_hash_hex(f->ctx->keys.index, "123456789018", 12, idx);
	snprintf(sql, sizeof sql, "SELECT id FROM persons WHERE mynumber_idx = '%s' AND mynumber_enc IS NOT NULL", idx);
	assert_int_equal(tu_sql_int(f->ctx, sql), 100001);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM persons WHERE mynumber_enc IS NOT NULL"), 3);
	tu_sql_text(f->ctx, "SELECT juminhyo_code FROM persons WHERE id = 100003", buf, sizeof buf);
	assert_string_equal(buf, "98765432103");
	/* Searchable: the name index holds the 清音化 reading and the folded name. */
	key = md_kana_normalize("ヤマダハナコ");
	snprintf(sql, sizeof sql, "SELECT person_id FROM name_index WHERE kind = 'name' AND kana = '%s'", key);
	assert_int_equal(tu_sql_int(f->ctx, sql), 100002);
	free(key);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT person_id FROM name_index WHERE fold = '山田一郎'"), 100003);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM name_index WHERE kind = 'name'"), 6);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM address_index WHERE kind = 'current'"), 6);
	/* One approved change (改製) made and decided by the importing user. */
	assert_int_equal(count(f, "changes"), 1);
	tu_sql_text(f->ctx, "SELECT type || '|' || reason || '|' || status || '|' || made_by || '|' || decided_by "
	            "FROM changes", buf, sizeof buf);
	assert_string_equal(buf, "import|remake_add|approved|admin1|admin1");
	tu_sql_text(f->ctx, "SELECT memo FROM changes", buf, sizeof buf);
	assert_non_null(strstr(buf, "valid.csv"));
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM person_versions v JOIN changes c ON c.id = "
	                                    "v.change_id WHERE c.type = 'import'"), 6);
	/* The imports row and one audit entry with the counts. */
	tu_sql_text(f->ctx, "SELECT rows_total || '|' || persons || '|' || households || '|' || rejected || '|' "
	            "|| imported_by FROM imports", buf, sizeof buf);
	assert_string_equal(buf, "6|6|3|0|admin1");
	assert_int_equal(tu_audit_count(f->ctx, "import.residents", NULL, NULL), 1);
	assert_int_equal(tu_audit_count(f->ctx, "import.residents", "ok", NULL), 1);
	tu_sql_text(f->ctx, "SELECT user_id || '|' || mynumber || '|' || detail FROM audit_log WHERE function = "
	            "'import.residents'", buf, sizeof buf);
	assert_non_null(strstr(buf, "admin1|1|file="));
	assert_non_null(strstr(buf, "valid.csv"));
	assert_non_null(strstr(buf, "rows=6 imported=6 households=3 existing=0 rejected=0"));
	/* No clear My Number anywhere in the database. */
	md_ctx_free(&f->ctx);
	dbtext = tu_read(f->db, &dblen);
	assert_non_null(dbtext);
	assert_null(memmem(dbtext, dblen, "123456789018", 12));
	assert_null(memmem(dbtext, dblen, "987654321093", 12));
	free(dbtext);
	{
		char *wal = malloc(strlen(f->db) + 8);
		sprintf(wal, "%s-wal", f->db);
		dbtext = tu_read(wal, &dblen);
		if (dbtext)
			assert_null(memmem(dbtext, dblen, "123456789018", 12));
		free(dbtext);
		free(wal);
	}
	f->ctx = tu_open(&f->cfg, f->db, MD_DB_TRAINING);
	free(path);
}

/* Every row of the search index, as one text. */
static char *index_dump(struct fx *f)
{
	static const char sql[] =
		"SELECT group_concat(r, char(10)) FROM (SELECT person_id || '|' || kind || '|' || kana || '|' || "
		"kana_sur || '|' || kana_given || '|' || fold || '|' || fold_sur || '|' || fold_given AS r "
		"FROM name_index UNION ALL SELECT person_id || '|' || kind || '|' || addr FROM address_index "
		"ORDER BY r)";
	char *buf = malloc(65536);
	tu_sql_text(f->ctx, sql, buf, 65536);
	return buf;
}

/* The import writes the index rows itself, for speed: they must be what
 * md_index_person() makes. */
static void test_index_as_md_index_person(void **state)
{
	struct fx *f = *state;
	char *path = sample(f, "valid.csv"), *before, *after;
	struct md_error err;

	assert_int_equal(import(f, path, 0), MD_OK);
	before = index_dump(f);
	assert_true(strlen(before) > 100);
	assert_non_null(strstr(before, "100001|current|見本町1-2-3メゾン見本,101"));
	for (long long id = 100001; id <= 100006; id++)
		assert_int_equal(md_index_person(f->ctx, id, &err), MD_OK);
	after = index_dump(f);
	assert_string_equal(before, after);
	free(before);
	free(after);
	free(path);
}

/* A file larger than the registry: the plain indexes are dropped and built
 * again; the schema and the search work as before. */
static void test_bulk_import(void **state)
{
	struct fx *f = *state;
	size_t cap = 1 << 20, len;
	char *text = malloc(cap), *path, *key, sql[256];
	long long nindex = tu_sql_int(f->ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'index'");
	char schema[8192], schema2[8192];

	tu_sql_text(f->ctx, "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master WHERE type = "
	            "'index' ORDER BY name)", schema, sizeof schema);
	len = (size_t)snprintf(text, cap, "%s", HEADER);
	for (int i = 1; i <= 6000; i++)
		len += (size_t)snprintf(text + len, cap - len, "%d,%d,%s,試験 %d号,シケン %s,1990-01-01,%s,見本町%d-%d,日本人\n",
		                        1000 + i, 1 + (i - 1) / 2, i % 2 ? "世帯主" : "妻", i,
		                        i % 3 ? "イチロウ" : "ジロウ", i % 2 ? "男" : "女", (i - 1) / 2 % 9 + 1,
		                        (i - 1) / 2);
	path = tu_write(f->dir, "bulk.csv", text);
	assert_int_equal(import(f, path, 0), MD_OK);
	assert_non_null(strstr(f->res.message, "imported 6000 person(s) in 3000 household(s)"));
	assert_int_equal(count(f, "persons"), 6000);
	assert_int_equal(count(f, "name_index"), 6000);
	assert_int_equal(count(f, "address_index"), 6000);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"), nindex);
	tu_sql_text(f->ctx, "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master WHERE type = "
	            "'index' ORDER BY name)", schema2, sizeof schema2);
	assert_string_equal(schema, schema2);
	tu_sql_text(f->ctx, "PRAGMA integrity_check", schema2, sizeof schema2);
	assert_string_equal(schema2, "ok");
	/* The kana index answers a search. */
	key = md_kana_normalize("シケンジロウ");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM name_index INDEXED BY name_index_kana WHERE kana = '%s'", key);
	assert_int_equal(tu_sql_int(f->ctx, sql), 2000);
	free(key);
	free(text);
	free(path);
}

static void test_import_again(void **state)
{
	struct fx *f = *state;
	char *path = sample(f, "valid.csv");
	char buf[512];

	assert_int_equal(import(f, path, 0), MD_OK);
	md_time_set(tu_day(1));
	assert_int_equal(import(f, path, 0), MD_OK);
	snprintf(buf, sizeof buf, "nothing new to import: all 6 row(s) of %s are already in the registry", path);
	assert_string_equal(f->res.message, buf);
	assert_int_equal(f->res.nlines, 7);
	assert_true(has_line(f, "%s: this file was imported on 2026-04-01 03:00 by admin1", path));
	assert_true(has_line(f, "%s:2: atena_no: 宛名番号 100001 is already in the registry (imported before)", path));
	assert_true(has_line(f, "%s:7: atena_no: 宛名番号 100006 is already in the registry (imported before)", path));
	assert_int_equal(count(f, "persons"), 6);
	assert_int_equal(count(f, "person_versions"), 6);
	assert_int_equal(count(f, "changes"), 1);
	assert_int_equal(count(f, "imports"), 1);
	assert_int_equal(tu_audit_count(f->ctx, "import.residents", "ok", NULL), 2);
	tu_sql_text(f->ctx, "SELECT detail FROM audit_log WHERE function = 'import.residents' ORDER BY id DESC",
	            buf, sizeof buf);
	assert_non_null(strstr(buf, "rows=6 imported=0 households=0 existing=6 rejected=0"));
	free(path);
}

/* A file whose rows partly exist: the new household is imported, the old ones are said to be there. */
static void test_import_partly_new(void **state)
{
	struct fx *f = *state;
	char *path = sample(f, "valid.csv"), *more;
	char *text, *grown;
	size_t len;

	assert_int_equal(import(f, path, 0), MD_OK);
	text = tu_read(path, &len);
	grown = malloc(len + 256);
	snprintf(grown, len + 256, "%s1004,100007,田中 実,タナカ ミノル,世帯主,男,1960-01-01,日本人,見本町8丁目1番1号,,,,,,,"
	         "東京都見本区5番,田中 実,,,\r\n", text);
	more = tu_write(f->dir, "more.csv", grown);
	assert_int_equal(import(f, more, 0), MD_OK);
	assert_true(strstr(f->res.message, "imported 1 person(s) in 1 household(s)") != NULL);
	assert_true(strstr(f->res.message, "6 row(s) already in the registry") != NULL);
	assert_true(has_line(f, "%s:3: atena_no: 宛名番号 100002 is already in the registry (imported before)", more));
	assert_int_equal(count(f, "persons"), 7);
	assert_int_equal(count(f, "imports"), 2);
	free(text);
	free(grown);
	free(more);
	free(path);
}

static void test_unknown_column(void **state)
{
	struct fx *f = *state;
	char *path = tu_write(f->dir, "u.csv",
	                      "atena_no,household_no,relationship,name,furigana,birth_date,sex,address,"
	                      "resident_type,Sex\n"
	                      "1,1,世帯主,山田 太郎,ヤマダ タロウ,1980-01-01,男,見本町1-1,日本人,男\n");

	assert_int_equal(import(f, path, 0), MD_E_INVALID);
	assert_true(has_line(f, "%s:1: unknown column \"furigana\": the columns are atena_no, household_no, "
	                     "relationship, name, name_kana, birth_date, sex, address, katagaki, postal_code, "
	                     "resident_since, address_since, notified_on, previous_address, honseki, hittosha, "
	                     "my_number, juminhyo_code, resident_type, nationality", path));
	assert_true(has_line(f, "%s:1: sex: the column is in the header twice (columns 7 and 10)", path));
	assert_true(has_line(f, "%s:1: name_kana: the required column name_kana (氏名の振り仮名) is missing "
	                     "from the header", path));
	assert_int_equal(f->res.nlines, 3);
	assert_non_null(strstr(f->err.msg, "header"));
	assert_nothing_written(f);
	assert_int_equal(tu_audit_count(f->ctx, "import.residents", "failed", NULL), 1);
	/* --skip-invalid does not skip a bad header. */
	assert_int_equal(import(f, path, 1), MD_E_INVALID);
	assert_nothing_written(f);
	free(path);
}

static void test_invalid_values(void **state)
{
	struct fx *f = *state;
	char *path = sample(f, "invalid.csv");
	char *rejects = tu_path(f->dir, "invalid.rejects.csv");

	assert_int_equal(import(f, path, 0), MD_E_INVALID);
	assert_non_null(strstr(f->err.msg, "7 row(s) with errors: nothing was imported"));
	/* Line 2: the check digit, the number never shown. */
	assert_true(has_line(f, "%s:2: my_number: check digit does not match", path));
	for (int i = 0; i < f->res.nlines; i++)
		assert_null(strstr(f->res.lines[i], "123456789012"));
	assert_null(strstr(f->err.msg, "123456789012"));
	/* Line 3: a date outside its era. */
	assert_true(has_line(f, "%s:3: birth_date: 平成31年5月1日 is after 平成 ended on 2019-04-30: it is "
	                     "令和元年5月1日", path));
	/* Line 4: a forbidden 続柄, a future date, a sex not 男 or 女. */
	assert_true(has_prefix(f, path, 4, "relationship"));
	assert_true(has_line(f, "%s:4: birth_date: 生年月日 2030-01-01 is after today", path));
	assert_true(has_line(f, "%s:4: sex: 性別 is 男 or 女, not \"M\"", path));
	/* Line 5: no space in the name, a bad postal code, no 本籍, a bad 住民票コード. */
	assert_true(has_prefix(f, path, 5, "name"));
	assert_true(has_line(f, "%s:5: postal_code: 郵便番号 is 7 digits, written 123-4567 or 1234567, not "
	                     "\"12-345\"", path));
	assert_true(has_line(f, "%s:5: honseki: 本籍 is required for a Japanese resident (日本人)", path));
	assert_true(has_line(f, "%s:5: juminhyo_code: check digit does not match", path));
	/* Line 6 (the record runs on to line 7): reading not kana, a line break in the address,
	 * and household 2002 with two heads. */
	assert_true(has_prefix(f, path, 6, "name_kana"));
	assert_true(has_line(f, "%s:6: address: 住所 contains a line break or another control character", path));
	assert_true(has_line(f, "%s:5: relationship: household 2002 has 2 世帯主 (lines 5, 6): a household has "
	                     "exactly one", path));
	assert_true(has_line(f, "%s:6: relationship: household 2002 has 2 世帯主 (lines 5, 6): a household has "
	                     "exactly one", path));
	/* Line 8: the same 宛名番号 as line 6, an unknown nationality, a foreign resident with 本籍,
	 * and household 2003 has no head. */
	assert_true(has_line(f, "%s:6: atena_no: 宛名番号 200005 is in the file more than once (lines 6, 8)", path));
	assert_true(has_line(f, "%s:8: atena_no: 宛名番号 200005 is in the file more than once (lines 6, 8)", path));
	assert_true(has_prefix(f, path, 8, "nationality"));
	assert_true(has_line(f, "%s:8: honseki: a foreign resident (外国人) has no 本籍・筆頭者", path));
	assert_true(has_line(f, "%s:8: relationship: household 2003 has no 世帯主: one member's 続柄 must be 世帯主",
	                     path));
	/* Line 9: 住民種別 and an impossible month. */
	assert_true(has_line(f, "%s:9: resident_type: 住民種別 is 日本人 or 外国人, not \"米国人\"", path));
	assert_true(has_prefix(f, path, 9, "notified_on"));
	assert_nothing_written(f);
	assert_false(tu_exists(rejects));
	assert_int_equal(tu_audit_count(f->ctx, "import.residents", "failed", NULL), 1);
	free(rejects);
	free(path);
}

static void test_heads_and_duplicates(void **state)
{
	struct fx *f = *state;
	char text[2048];
	char *path;

	snprintf(text, sizeof text, "%s"
	         "11,1,世帯主,山田 太郎,ヤマダ タロウ,1980-01-01,男,見本町1-1,日本人\n"
	         "12,1,世帯主,山田 花子,ヤマダ ハナコ,1981-01-01,女,見本町1-1,日本人\n"
	         "13,2,子,佐藤 一,サトウ ハジメ,2001-01-01,男,見本町2-2,日本人\n"
	         "14,2,妻,佐藤 二葉,サトウ フタバ,1975-01-01,女,見本町2-2,日本人\n"
	         "15,3,世帯主,鈴木 三郎,スズキ サブロウ,1950-01-01,男,見本町3-3,日本人\n"
	         "15,4,世帯主,鈴木 四郎,スズキ シロウ,1951-01-01,男,見本町4-4,日本人\n"
	         "16,5,世帯主,田中 五郎,タナカ ゴロウ,1952-01-01,男,見本町5-5,日本人\n"
	         "17,5,妻,田中 五月,タナカ サツキ,1953-01-01,女,見本町5-6,日本人\n", HEADER);
	path = tu_write(f->dir, "h.csv", text);
	assert_int_equal(import(f, path, 0), MD_E_INVALID);
	assert_true(has_line(f, "%s:2: relationship: household 1 has 2 世帯主 (lines 2, 3): a household has exactly "
	                     "one", path));
	assert_true(has_line(f, "%s:3: relationship: household 1 has 2 世帯主 (lines 2, 3): a household has exactly "
	                     "one", path));
	assert_true(has_line(f, "%s:4: relationship: household 2 has no 世帯主: one member's 続柄 must be 世帯主",
	                     path));
	assert_true(has_line(f, "%s:6: atena_no: 宛名番号 15 is in the file more than once (lines 6, 7)", path));
	assert_true(has_line(f, "%s:7: atena_no: 宛名番号 15 is in the file more than once (lines 6, 7)", path));
	assert_true(has_line(f, "%s:9: address: the address differs from line 8 of the same household (世帯番号 5): "
	                     "the members of a household share one 住所 and 方書", path));
	assert_int_equal(f->res.nlines, 6);
	assert_nothing_written(f);
	free(path);
}

static void test_mynumber_checks(void **state)
{
	struct fx *f = *state;
	char *valid = sample(f, "valid.csv"), *path;
	char text[2048];

	/* In the file twice, and already held by someone in the registry. */
	snprintf(text, sizeof text, "%s"
	         "21,1,世帯主,山田 太郎,ヤマダ タロウ,1980-01-01,男,見本町1-1,日本人,555666777885\n"
	         "22,1,妻,山田 花子,ヤマダ ハナコ,1981-01-01,女,見本町1-1,日本人,555666777885\n"
	         "23,2,世帯主,佐藤 一,サトウ ハジメ,2001-01-01,男,見本町2-2,日本人,123456789018\n"
	         "24,3,世帯主,佐藤 三,サトウ サン,2001-01-01,男,見本町2-2,日本人,12345678901A\n",
	         "atena_no,household_no,relationship,name,name_kana,birth_date,sex,address,resident_type,my_number\n");
	path = tu_write(f->dir, "m.csv", text);
	assert_int_equal(import(f, valid, 0), MD_OK);
	assert_int_equal(import(f, path, 0), MD_E_INVALID);
	assert_true(has_line(f, "%s:2: my_number: the same 個人番号 is in the file more than once (lines 2, 3)", path));
	assert_true(has_line(f, "%s:3: my_number: the same 個人番号 is in the file more than once (lines 2, 3)", path));
	assert_true(has_line(f, "%s:4: my_number: this 個人番号 is already recorded for 宛名番号 100001", path));
	assert_true(has_line(f, "%s:5: my_number: character 12 is not a digit", path));
	for (int i = 0; i < f->res.nlines; i++) {
		assert_null(strstr(f->res.lines[i], "555666777885"));
		assert_null(strstr(f->res.lines[i], "123456789018"));
		assert_null(strstr(f->res.lines[i], "12345678901"));
	}
	assert_int_equal(count(f, "persons"), 6);
	free(valid);
	free(path);
}

static void test_skip_invalid(void **state)
{
	struct fx *f = *state;
	char text[2048], want[512];
	char *path, *rejects, *out;
	struct parsed p;
	size_t len;
	struct stat sb;

	snprintf(text, sizeof text, "%s"
	         "31,1,世帯主,山田 太郎,ヤマダ タロウ,1980-01-01,男,\"見本町1-1, 2階\",日本人\n"
	         "32,1,妻,山田 花子,ヤマダ ハナコ,1981-01-01,女,\"見本町1-1, 2階\",日本人\n"
	         "33,2,世帯主,佐藤 一,サトウ ハジメ,1970-01-01,男,見本町2-2,日本人\n"
	         "34,2,子,佐藤 二郎,サトウ ジロウ,2040-01-01,男,見本町2-2,日本人\n"
	         "35,3,世帯主,鈴木 三郎,スズキ サブロウ,1950-01-01,男,見本町3-3,日本人\n"
	         "36,x,世帯主,高橋 四郎,タカハシ シロウ,1950-01-01,男,見本町4-4,日本人\n", HEADER);
	path = tu_write(f->dir, "s.csv", text);
	rejects = tu_path(f->dir, "s.rejects.csv");
	assert_int_equal(import(f, path, 1), MD_OK);
	snprintf(want, sizeof want, "imported 3 person(s) in 2 household(s) from %s; 3 row(s) rejected, written to %s",
	         path, rejects);
	assert_string_equal(f->res.message, want);
	assert_true(has_line(f, "%s:5: birth_date: 生年月日 2040-01-01 is after today", path));
	assert_true(has_prefix(f, path, 7, "household_no"));
	assert_int_equal(count(f, "persons"), 3);
	assert_int_equal(tu_sql_int(f->ctx, "SELECT count(*) FROM persons WHERE id IN (31, 32, 35)"), 3);
	assert_int_equal(count(f, "households"), 2);
	/* The rejects file: the header, a reason column, the rows as they were. */
	assert_int_equal(stat(rejects, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	out = tu_read(rejects, &len);
	assert_non_null(out);
	parse(&p, out, len);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.n, 4);
	assert_int_equal(p.rec[0].nfields, 10);
	assert_string_equal(p.rec[0].field[9], "reason");
	assert_string_equal(p.rec[1].field[0], "33");
	assert_string_equal(p.rec[1].field[9], "another row of household 2 is invalid (line 5)");
	assert_string_equal(p.rec[2].field[0], "34");
	assert_string_equal(p.rec[2].field[9], "birth_date: 生年月日 2040-01-01 is after today");
	assert_string_equal(p.rec[3].field[0], "36");
	assert_string_equal(p.rec[3].field[9],
	                    "household_no: 世帯番号 is a positive whole number of at most 15 digits, not \"x\"");
	parsed_release(&p);
	free(out);
	/* The counts in the audit entry and the imports row. */
	tu_sql_text(f->ctx, "SELECT detail FROM audit_log WHERE function = 'import.residents'", want, sizeof want);
	assert_non_null(strstr(want, "rows=6 imported=3 households=2 existing=0 rejected=3"));
	tu_sql_text(f->ctx, "SELECT rows_total || '|' || persons || '|' || households || '|' || rejected FROM imports",
	            want, sizeof want);
	assert_string_equal(want, "6|3|2|3");

	/* Again: the valid ones are there, the invalid ones rejected again, nothing imported: exit 1. */
	assert_int_equal(import(f, path, 1), MD_E_INVALID);
	assert_non_null(strstr(f->err.msg, "no household could be imported: 3 row(s) rejected"));
	assert_true(has_line(f, "%s:2: atena_no: 宛名番号 31 is already in the registry (imported before)", path));
	assert_int_equal(count(f, "persons"), 3);
	assert_int_equal(count(f, "imports"), 1);
	free(rejects);
	free(path);
}

static void test_empty_files(void **state)
{
	struct fx *f = *state;
	char *empty = tu_write(f->dir, "e.csv", ""), *bom = tu_write(f->dir, "b.csv", "\xef\xbb\xbf\r\n\r\n");
	char *header = tu_write(f->dir, "h.csv", HEADER), *blank;
	char text[512];

	assert_int_equal(import(f, empty, 0), MD_E_INVALID);
	assert_non_null(strstr(f->err.msg, "the file is empty"));
	assert_int_equal(import(f, bom, 0), MD_E_INVALID);
	assert_non_null(strstr(f->err.msg, "the file is empty"));
	assert_int_equal(import(f, header, 0), MD_E_INVALID);
	assert_non_null(strstr(f->err.msg, "has a header row but no residents"));
	snprintf(text, sizeof text, "%s,,,,,,,,\n\n", HEADER);
	blank = tu_write(f->dir, "blank.csv", text);
	assert_int_equal(import(f, blank, 0), MD_E_INVALID);
	assert_non_null(strstr(f->err.msg, "has a header row but no residents"));
	assert_int_equal(import(f, "/nonexistent/x.csv", 0), MD_E_IO);
	assert_non_null(strstr(f->err.msg, "/nonexistent/x.csv"));
	assert_nothing_written(f);
	assert_int_equal(tu_audit_count(f->ctx, "import.residents", "failed", NULL), 5);
	free(empty);
	free(bom);
	free(header);
	free(blank);
}

static void test_not_utf8_and_broken_csv(void **state)
{
	struct fx *f = *state;
	char text[1024];
	char *path;

	snprintf(text, sizeof text, "%s"
	         "1,1,世帯主,山田 太郎,ヤマダ タロウ,1980-01-01,男,見本町1-1,日本人\n"
	         "2,2,世帯主,\x8e\x52\x93\x63 \x89\xd4\x8e\x71,ヤマダ ハナコ,1981-01-01,女,見本町1-1,日本人\n", HEADER);
	path = tu_write(f->dir, "sjis.csv", text);
	assert_int_equal(import(f, path, 1), MD_E_INVALID);
	assert_true(has_line(f, "%s:3: name: the text is not UTF-8: save the file as UTF-8 (a Shift_JIS file "
	                     "converts with iconv -f CP932 -t UTF-8)", path));
	assert_nothing_written(f);
	free(path);

	snprintf(text, sizeof text, "%s"
	         "1,1,世帯主,山田 太郎,ヤマダ タロウ,1980-01-01,男,\"見本町1-1,日本人\n", HEADER);
	path = tu_write(f->dir, "open.csv", text);
	assert_int_equal(import(f, path, 0), MD_E_INVALID);
	assert_true(has_prefix(f, path, 2, "address"));
	assert_nothing_written(f);
	free(path);
}

static void test_field_count_and_existing_household(void **state)
{
	struct fx *f = *state;
	char *valid = sample(f, "valid.csv"), *path;
	char text[1024];

	assert_int_equal(import(f, valid, 0), MD_OK);
	snprintf(text, sizeof text, "%s"
	         "41,1001,子,山田 次郎,ヤマダ ジロウ,2020-01-01,男,見本町1丁目2番3号,日本人\n"
	         "42,7,世帯主,山田 三郎,ヤマダ サブロウ,2020-01-01,男,見本町1丁目2番3号\n", HEADER);
	path = tu_write(f->dir, "c.csv", text);
	assert_int_equal(import(f, path, 0), MD_E_INVALID);
	assert_true(has_line(f, "%s:2: household_no: 世帯番号 1001 is already in the registry: a household is "
	                     "imported once, whole; add members to it with a change (異動)", path));
	assert_true(has_line(f, "%s:3: the row has 8 fields but the header has 9: check the commas and quotes",
	                     path));
	assert_int_equal(count(f, "persons"), 6);
	free(valid);
	free(path);
}

static void test_foreign_and_names(void **state)
{
	struct fx *f = *state;
	char text[2048];
	char *path;

	snprintf(text, sizeof text,
	         "atena_no,household_no,relationship,name,name_kana,birth_date,sex,address,resident_type,"
	         "nationality,honseki,hittosha\n"
	         "51,1,世帯主,王 偉,ワン ウェイ,1990-01-01,男,見本町1-1,外国人,,,\n"
	         "52,2,世帯主,山田,ヤマダ,1990-01-01,男,見本町2-2,日本人,,東京都見本区1番,山田 一\n"
	         "53,3,世帯主,山田 太郎,ヤマダ,1990-01-01,男,見本町3-3,日本人,,東京都見本区1番,\n"
	         "54,4,世帯主,李 明,リ ミン,1990-01-01,男,見本町4-4,日本人,KOR,東京都見本区1番,李 明\n"
	         "55,5,世帯主,グエン,グエン ヴァン,1990-01-01,男,見本町5-5,外国人,vnm,,\n");
	path = tu_write(f->dir, "n.csv", text);
	assert_int_equal(import(f, path, 0), MD_E_INVALID);
	assert_true(has_line(f, "%s:2: nationality: 国籍・地域 is required for a foreign resident (外国人)", path));
	assert_true(has_prefix(f, path, 3, "name"));
	assert_true(has_prefix(f, path, 4, "name_kana"));
	assert_true(has_line(f, "%s:4: hittosha: 筆頭者 is required for a Japanese resident (日本人)", path));
	assert_true(has_line(f, "%s:5: nationality: 国籍・地域 is an item of foreign residents (外国人) only", path));
	assert_true(has_line(f, "%s:6: name_kana: 氏名 is one word but its reading has two: write both with the "
	                     "same space", path));
	/* vnm (lower case) is a code of the list: no error for it. */
	for (int i = 0; i < f->res.nlines; i++)
		assert_null(strstr(f->res.lines[i], "vnm"));
	/* Line 3 also lacks the space in its reading. */
	assert_true(has_line(f, "%s:3: name_kana: 氏名の振り仮名 needs a space between the surname and the given "
	                     "name (ヤマダ タロウ)", path));
	assert_int_equal(f->res.nlines, 7);
	assert_nothing_written(f);
	free(path);
}

static void test_nfc(void **state)
{
	struct fx *f = *state;
	char text[1024], buf[256];
	char *path;

	/* か + U+3099 (a separate voiced mark) is stored as が; the reading likewise. */
	snprintf(text, sizeof text, "%s"
	         "61,1,世帯主,山田 か\xe3\x82\x99ん,ヤマタ\xe3\x82\x99 カ\xe3\x82\x99ン,1980-01-01,男,"
	         "見本町1-1,日本人\n", HEADER);
	path = tu_write(f->dir, "nfc.csv", text);
	assert_int_equal(import(f, path, 0), MD_OK);
	tu_sql_text(f->ctx, "SELECT given_name || '|' || surname_kana || '|' || given_name_kana FROM persons "
	            "WHERE id = 61", buf, sizeof buf);
	assert_string_equal(buf, "がん|ヤマダ|ガン");
	free(path);
}

static void test_clerk_refused(void **state)
{
	struct fx *f = *state;
	char *path = sample(f, "valid.csv");
	struct md_args a;
	struct md_result r;
	struct md_error e;

	md_args_init(&a);
	assert_int_equal(md_cmd_exec(f->ctx, "logout", &a, &f->res, &e), MD_OK);
	login(f, "clerk1");
	assert_false(md_cmd_allowed(f->ctx, "import.residents"));
	md_args_init(&a);
	md_args_set(&a, "file", path);
	md_result_init(&r);
	assert_int_equal(md_cmd_exec(f->ctx, "import.residents", &a, &r, &e), MD_E_DENIED);
	assert_non_null(strstr(e.msg, "data.import"));
	md_result_release(&r);
	assert_nothing_written(f);
	assert_int_equal(tu_audit_count(f->ctx, "import.residents", "denied", NULL), 1);
	assert_int_equal(tu_audit_count(f->ctx, "import.residents", "ok", NULL), 0);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_csv_write_round_trip),
		cmocka_unit_test(test_rejects_path),
		cmocka_unit_test_setup_teardown(test_valid_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_as_md_index_person, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_import, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_partly_new, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_column, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_heads_and_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mynumber_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skip_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_utf8_and_broken_csv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_field_count_and_existing_household, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_and_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nfc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clerk_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
