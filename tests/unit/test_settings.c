/* test_settings.c: the configuration table, loader and validation. */
#include "config.h"

#include <errno.h>
#include <sys/stat.h>

#include "testutil.h"

#include "error.h"
#include "settings.h"

static char *tmp;   /* one temporary directory for the whole group */

static int group_setup(void **state)
{
	(void)state;
	tmp = tu_tmpdir();
	return tmp ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	tu_rmdir(tmp);
	tmp = NULL;
	return 0;
}

/* Writes text to a file in the temporary directory and loads it. */
static int load_text(const char *text, struct md_settings *s, struct md_error *err)
{
	char *path = tu_write(tmp, "t.ini", text);
	int rc = md_settings_load_file(s, path, err);
	free(path);
	return rc;
}

/* Loads text that must fail; checks the code, field and line. */
static void expect_error(const char *text, const char *field, long line, const char *in_msg)
{
	struct md_settings s;
	struct md_error err;
	int rc;

	md_settings_defaults(&s);
	rc = load_text(text, &s, &err);
	if (rc != MD_E_CONFIG || strcmp(err.field, field) != 0 || err.line != line ||
	    (in_msg && !strstr(err.msg, in_msg)))
		print_error("input:\n%s\ngot rc=%d field=\"%s\" line=%ld msg=\"%s\"\n"
		            "want field=\"%s\" line=%ld msg containing \"%s\"\n",
		            text, rc, err.field, err.line, err.msg, field, line, in_msg ? in_msg : "");
	assert_int_equal(rc, MD_E_CONFIG);
	assert_int_equal(err.code, MD_E_CONFIG);
	assert_string_equal(err.field, field);
	assert_int_equal(err.line, line);
	if (in_msg)
		assert_non_null(strstr(err.msg, in_msg));
	/* Every message names the file. */
	assert_non_null(strstr(err.msg, tmp));
}

static void expect_ok(const char *text, struct md_settings *s)
{
	struct md_error err;
	int rc = load_text(text, s, &err);
	if (rc != MD_OK)
		print_error("input:\n%s\nunexpected error: %s\n", text, err.msg);
	assert_int_equal(rc, MD_OK);
}

static const struct md_setting_def *find(const char *section, const char *key)
{
	const struct md_setting_def *d;
	for (d = md_settings_table(); d->key; d++)
		if (!strcmp(d->section, section) && !strcmp(d->key, key))
			return d;
	return NULL;
}

static int get_int(const struct md_settings *s, const struct md_setting_def *d)
{
	int v;
	memcpy(&v, (const char *)s + d->offset, sizeof v);
	return v;
}

/* ---- the table and the defaults ---- */

static void test_table_complete(void **state)
{
	const struct md_setting_def *d;
	size_t n = 0, ints = 0, strings = 0;

	(void)state;
	for (d = md_settings_table(); d->key; d++, n++) {
		assert_non_null(d->section);
		assert_non_null(d->def);
		assert_non_null(d->help);
		assert_true(d->help[0] != '\0');
		assert_true(d->offset + d->size <= sizeof(struct md_settings));
		if (d->type == MD_SET_INT) {
			assert_int_equal(d->size, sizeof(int));
			assert_true(d->min <= d->max);
			ints++;
		} else if (d->type == MD_SET_STRING) {
			assert_true((size_t)d->max < d->size);
			strings++;
		} else {
			assert_non_null(d->choices);
		}
	}
	/* Every field of struct md_settings except source. */
	assert_int_equal(n, 32);
	assert_int_equal(ints, 16);
	assert_int_equal(strings, 15);
	assert_non_null(find("municipality", "code"));
	assert_non_null(find("ui", "language"));
	assert_null(find("ui", "nonsense"));
}

static void test_defaults(void **state)
{
	struct md_settings s;

	(void)state;
	memset(&s, 0x5a, sizeof s);
	md_settings_defaults(&s);
	assert_string_equal(s.municipality_name, "見本区");
	assert_string_equal(s.municipality_code, "131016");
	assert_string_equal(s.mayor_title, "区長");
	assert_string_equal(s.mayor_name, "見本 太郎");
	assert_string_equal(s.deputy_title, "");
	assert_string_equal(s.deputy_name, "");
	assert_string_equal(s.terminal_id, "本庁1");
	assert_string_equal(s.printer_id, "PR001");
	assert_string_equal(s.db_path, "/var/lib/madoguchi/madoguchi.db");
	assert_string_equal(s.key_file, "");
	assert_int_equal(s.idle_lock_minutes, 5);
	assert_int_equal(s.password_min_length, 10);
	assert_int_equal(s.password_min_classes, 2);
	assert_int_equal(s.password_expiry_days, 180);
	assert_int_equal(s.password_history, 5);
	assert_int_equal(s.lockout_attempts, 5);
	assert_int_equal(s.dormant_days, 90);
	assert_int_equal(s.retention_removed_years, 150);
	assert_int_equal(s.retention_audit_years, 5);
	assert_int_equal(s.retention_issuance_years, 5);
	assert_int_equal(s.language, MD_LANG_AUTO);
	assert_string_equal(s.source, "");
}

/* Every default, written out as a file, passes its own rules. */
static void test_defaults_are_valid(void **state)
{
	const struct md_setting_def *d;
	struct md_settings s, def;
	char text[8192] = "", *a, *b;
	const char *section = "";
	size_t len;

	(void)state;
	for (d = md_settings_table(); d->key; d++) {
		len = strlen(text);
		if (strcmp(section, d->section))
			len += (size_t)snprintf(text + len, sizeof text - len, "[%s]\n", d->section);
		snprintf(text + len, sizeof text - len, "%s = \"%s\"\n", d->key, d->def);
		section = d->section;
	}
	expect_ok(text, &s);
	md_settings_defaults(&def);
	a = md_settings_dump(&s);
	b = md_settings_dump(&def);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void test_sample_file(void **state)
{
	const char *srcdir = getenv("MD_SRCDIR");
	struct md_settings s, def;
	struct md_error err;
	char path[4096], *a, *b;
	int rc;

	(void)state;
	snprintf(path, sizeof path, "%s/data/madoguchi.ini", srcdir && *srcdir ? srcdir : ".");
	rc = md_settings_load_file(&s, path, &err);
	if (rc != MD_OK)
		print_error("%s\n", err.msg);
	assert_int_equal(rc, MD_OK);
	assert_string_equal(s.source, path);
	/* The sample documents the defaults: loading it changes nothing. */
	md_settings_defaults(&def);
	a = md_settings_dump(&s);
	b = md_settings_dump(&def);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void test_empty_file(void **state)
{
	struct md_settings s;

	(void)state;
	expect_ok("", &s);
	assert_int_equal(s.idle_lock_minutes, 5);
	expect_ok("; only a comment\n\n# another\n[security]\n", &s);
	assert_int_equal(s.password_min_length, 10);
}

static void test_override(void **state)
{
	struct md_settings s;

	(void)state;
	expect_ok("; a comment\n"
	          "[municipality]\n"
	          "name = 千代田区   ; trailing comment\n"
	          "code = \"011002\"\n"
	          "Mayor_Title = 市長\n"
	          "mayor_name = '札幌 花子'\n"
	          "deputy_title = \"副市長 ; 代理\"\n"
	          "\n"
	          "[ Terminal ]\r\n"
	          "id=支所2\r\n"
	          "\tprinter  =  PR-77  # tab before the key\n"
	          "[database]\n"
	          "path = /srv/md/test.db\n"
	          "key_file = /srv/keys/test.key\n"
	          "[security]\n"
	          "idle_lock_minutes = 15\n"
	          "password_min_length = +12\n"
	          "password_expiry_days = 0\n"
	          "[ui]\n"
	          "language = EN\n"
	          "[security]\n"
	          "lockout_attempts = 3\n",
	          &s);
	assert_string_equal(s.municipality_name, "千代田区");
	assert_string_equal(s.municipality_code, "011002");
	assert_string_equal(s.mayor_title, "市長");
	assert_string_equal(s.mayor_name, "札幌 花子");
	assert_string_equal(s.deputy_title, "副市長 ; 代理");
	assert_string_equal(s.deputy_name, "");
	assert_string_equal(s.terminal_id, "支所2");
	assert_string_equal(s.printer_id, "PR-77");
	assert_string_equal(s.db_path, "/srv/md/test.db");
	assert_string_equal(s.key_file, "/srv/keys/test.key");
	assert_int_equal(s.idle_lock_minutes, 15);
	assert_int_equal(s.password_min_length, 12);
	assert_int_equal(s.password_expiry_days, 0);
	assert_int_equal(s.lockout_attempts, 3);
	assert_int_equal(s.language, MD_LANG_EN);
	/* Keys not in the file keep their defaults. */
	assert_int_equal(s.password_history, 5);
	assert_int_equal(s.retention_removed_years, 150);
	assert_non_null(strstr(s.source, "t.ini"));
}

/* A shorter value replaces a longer default completely. */
static void test_override_shorter(void **state)
{
	struct md_settings s;

	(void)state;
	expect_ok("[database]\npath = /a\n", &s);
	assert_string_equal(s.db_path, "/a");
	assert_int_equal(s.db_path[3], '\0');
}

/* ---- invalid values: the right field and line ---- */

static void test_bad_int_line(void **state)
{
	(void)state;
	expect_error("; line 1\n"
	             "[security]\n"
	             "password_min_length = 12\n"
	             "\n"
	             "; line 5\n"
	             "lockout_attempts = 4\n"
	             "idle_lock_minutes = soon\n"
	             "password_history = 3\n",
	             "security.idle_lock_minutes", 7,
	             "line 7: [security] idle_lock_minutes = \"soon\": must be a whole number from 1 to 120");
}

static void test_bad_int_forms(void **state)
{
	static const char *const bad[] = {
		"5x", "x5", "0x10", "5 5", "1.5", "-", "+", "１０", "99999999999999999999999",
		"\"\"", "",
	};
	char text[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "[retention]\n\nissuance_years = %s\n", bad[i]);
		expect_error(text, "retention.issuance_years", 3, "must be a whole number from 1 to 100");
	}
}

static void test_int_bounds(void **state)
{
	const struct md_setting_def *d;
	struct md_settings s;
	char text[256], want[128];

	(void)state;
	for (d = md_settings_table(); d->key; d++) {
		if (d->type != MD_SET_INT)
			continue;
		snprintf(text, sizeof text, "[%s]\n%s = %ld\n", d->section, d->key, d->min);
		expect_ok(text, &s);
		assert_int_equal(get_int(&s, d), d->min);
		snprintf(text, sizeof text, "[%s]\n%s = %ld\n", d->section, d->key, d->max);
		expect_ok(text, &s);
		assert_int_equal(get_int(&s, d), d->max);
		snprintf(text, sizeof text, "[%s]\n%s = %ld\n", d->section, d->key, d->min - 1);
		snprintf(want, sizeof want, "%s.%s", d->section, d->key);
		expect_error(text, want, 2, "must be a whole number from");
		snprintf(text, sizeof text, "[%s]\n%s = %ld\n", d->section, d->key, d->max + 1);
		expect_error(text, want, 2, "must be a whole number from");
	}
	/* The documented bounds of a few. */
	expect_error("[security]\nidle_lock_minutes = 0\n", "security.idle_lock_minutes", 2, "from 1 to 120");
	expect_error("[security]\nidle_lock_minutes = 121\n", "security.idle_lock_minutes", 2, "from 1 to 120");
	expect_error("[retention]\naudit_log_years = 4\n", "retention.audit_log_years", 2, "from 5 to 100");
	expect_error("[security]\npassword_min_length = 7\n", "security.password_min_length", 2, "from 8 to 128");
	expect_error("[security]\npassword_expiry_days = -1\n", "security.password_expiry_days", 2, "from 0 to 3650");
}

static void test_enum(void **state)
{
	struct md_settings s;

	(void)state;
	expect_ok("[ui]\nlanguage = ja\n", &s);
	assert_int_equal(s.language, MD_LANG_JA);
	expect_ok("[ui]\nlanguage = en\n", &s);
	assert_int_equal(s.language, MD_LANG_EN);
	expect_ok("[ui]\nlanguage = auto\n", &s);
	assert_int_equal(s.language, MD_LANG_AUTO);
	expect_ok("[ui]\nlanguage = \"Ja\"\n", &s);
	assert_int_equal(s.language, MD_LANG_JA);
	expect_error("[ui]\nlanguage = fr\n", "ui.language", 2,
	             "[ui] language = \"fr\": must be one of: auto, ja, en");
	expect_error("[ui]\nlanguage =\n", "ui.language", 2, "must be one of: auto, ja, en");
	expect_error("[ui]\nlanguage = japanese\n", "ui.language", 2, "must be one of: auto, ja, en");
}

static void test_string_rules(void **state)
{
	char text[512], longname[128];
	struct md_settings s;

	(void)state;
	/* 63 bytes fit in name[64]; 64 do not. */
	memset(longname, 'a', 63);
	longname[63] = '\0';
	snprintf(text, sizeof text, "[municipality]\nname = %s\n", longname);
	expect_ok(text, &s);
	assert_string_equal(s.municipality_name, longname);
	snprintf(text, sizeof text, "[municipality]\nname = %sb\n", longname);
	expect_error(text, "municipality.name", 2, "is too long (64 bytes); at most 63 bytes");
	/* 11 kanji = 33 bytes do not fit in terminal id[32]. */
	expect_error("[terminal]\nid = 本庁本庁本庁本庁本庁本\n", "terminal.id", 2,
	             "at most 31 bytes");
	expect_error("[terminal]\n\nid = a\tb\n", "terminal.id", 3, "control characters");
	expect_error("[terminal]\nid = a\033[2Jb\n", "terminal.id", 2, "control characters");
	/* U+0085 (NEL), a C1 control character. */
	expect_error("[terminal]\nid = a\xc2\x85" "b\n", "terminal.id", 2, "control characters");
	expect_error("[terminal]\nid =\n", "terminal.id", 2, "must not be empty");
	expect_error("[municipality]\nname = \"\"\n", "municipality.name", 2, "must not be empty");
	expect_error("[database]\npath = relative/x.db\n", "database.path", 2, "absolute path");
	expect_error("[database]\nkey_file = x.key\n", "database.key_file", 2, "absolute path");
}

/* Escape sequences in a bad value must not reach the terminal through the
 * message. */
static void test_message_is_safe(void **state)
{
	struct md_settings s;
	struct md_error err;

	(void)state;
	assert_int_equal(load_text("[ui]\nlanguage = \"\033]0;pwned\007x\"\n", &s, &err), MD_E_CONFIG);
	assert_null(strchr(err.msg, '\033'));
	assert_null(strchr(err.msg, '\007'));
	assert_non_null(strstr(err.msg, "language = \"?]0;pwned?x\": must be one of"));
}

static void test_long_value_is_cut_in_message(void **state)
{
	struct md_settings s;
	struct md_error err;
	char text[1100];

	(void)state;
	snprintf(text, sizeof text, "[ui]\nlanguage = %0900d\n", 7);
	assert_int_equal(load_text(text, &s, &err), MD_E_CONFIG);
	assert_non_null(strstr(err.msg, "...\": must be one of"));
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	/* 見本区 in Shift_JIS. */
	expect_error("[municipality]\nname = \x8c\xa9\x96\x7b\x8b\xe6\n", "", 2, "not valid UTF-8");
	/* An overlong encoding of '/'. */
	expect_error("[database]\npath = \xc0\xaf" "etc\n", "", 2, "not valid UTF-8");
	/* A lone surrogate. */
	expect_error("; \xed\xa0\x80\n", "", 1, "not valid UTF-8");
}

/* ---- 地方公共団体コード ---- */

static void test_municipality_code(void **state)
{
	const struct md_setting_def *d = find("municipality", "code");
	struct md_settings s;
	struct md_error err;

	(void)state;
	assert_non_null(d);
	assert_non_null(d->check);
	/* Valid codes: 見本 (千代田区), 札幌市, 大阪市, 那覇市. */
	assert_int_equal(d->check("131016", &err), MD_OK);
	assert_int_equal(d->check("011002", &err), MD_OK);
	assert_int_equal(d->check("271004", &err), MD_OK);
	assert_int_equal(d->check("472018", &err), MD_OK);
	/* Wrong check digit, wrong lengths, not digits. */
	md_error_clear(&err);
	assert_int_equal(d->check("131017", &err), MD_E_CONFIG);
	assert_non_null(strstr(err.msg, "check digit does not match: for 13101 the 6th digit must be 6"));
	assert_int_equal(d->check("13101", &err), MD_E_CONFIG);
	assert_non_null(strstr(err.msg, "exactly 6 digits"));
	assert_int_equal(d->check("1310160", &err), MD_E_CONFIG);
	assert_int_equal(d->check("13101a", &err), MD_E_CONFIG);
	assert_int_equal(d->check("１３１０１６", &err), MD_E_CONFIG);

	expect_ok("[municipality]\ncode = 271004\n", &s);
	assert_string_equal(s.municipality_code, "271004");
	expect_error("[municipality]\nname = 見本区\ncode = 131017\n", "municipality.code", 3,
	             "[municipality] code = \"131017\": check digit does not match");
	expect_error("[municipality]\ncode = 1310160\n", "municipality.code", 2, "exactly 6 digits");
	expect_error("[municipality]\ncode = 13-101\n", "municipality.code", 2, "exactly 6 digits");
	expect_error("[municipality]\ncode =\n", "municipality.code", 2, "must not be empty");
}

/* ---- structure: unknown names, syntax ---- */

static void test_unknown_key(void **state)
{
	(void)state;
	expect_error("[security]\nidle_lock_minutes = 5\nidle_minutes = 5\n",
	             "security.idle_minutes", 3,
	             "unknown key \"idle_minutes\"; the keys in [security] are: idle_lock_minutes,");
	/* A key of another section. */
	expect_error("[ui]\n\n\npath = /x\n", "ui.path", 4, "the keys in [ui] are: language");
}

static void test_unknown_section(void **state)
{
	(void)state;
	expect_error("[municipality]\nname = x\n[printer]\nid = 1\n", "printer", 3,
	             "unknown section [printer]; the sections are: municipality, terminal, database, "
	             "security, retention, ui");
	expect_error("[]\n", "", 1, "unknown section []");
}

static void test_key_before_section(void **state)
{
	(void)state;
	expect_error("; comment\nname = 見本区\n", "name", 2, "before any [section]");
}

static void test_duplicate_key(void **state)
{
	(void)state;
	expect_error("[security]\nlockout_attempts = 3\n[ui]\nlanguage = ja\n[security]\nLOCKOUT_ATTEMPTS = 4\n",
	             "security.lockout_attempts", 6, "set twice (first on line 2)");
}

static void test_syntax_errors(void **state)
{
	char text[2048];

	(void)state;
	expect_error("[security]\nidle_lock_minutes = 5\n\njust some words\n", "", 4,
	             "line 4: syntax error: expected key = value");
	expect_error("[security\nidle_lock_minutes = 5\n", "", 1, "[name]");
	expect_error("[security] x\n", "", 1, "[name]");
	expect_error("[a]]\n", "", 1, "[name]");
	expect_error("[ui]\n= ja\n", "", 2, "a key is missing before =");
	expect_error("[ui]\nlanguage = \"ja\n", "ui.language", 2, "not closed with \"");
	expect_error("[ui]\nlanguage = 'ja\n", "ui.language", 2, "not closed with '");
	expect_error("[ui]\nlanguage = \"ja\" en\n", "ui.language", 2, "after the closing quote");
	expect_error("[ui]\n; a comment \\\nlanguage = fr\n", "", 2, "backslash");
	expect_error("[ui]\nlanguage = ja \\\n", "", 2, "backslash");
	expect_error("\xef\xbb\xbf[ui]\nlanguage = ja\n", "", 1, "byte order mark");
	/* A NUL byte in the middle of a line. */
	{
		static const char nul[] = "[ui]\nlanguage = j\0a\n";
		char *path = tu_write(tmp, "nul.ini", "");
		FILE *f = fopen(path, "wb");
		struct md_settings s;
		struct md_error err;
		assert_non_null(f);
		fwrite(nul, 1, sizeof nul - 1, f);
		fclose(f);
		assert_int_equal(md_settings_load_file(&s, path, &err), MD_E_CONFIG);
		assert_int_equal(err.line, 2);
		assert_non_null(strstr(err.msg, "NUL"));
		free(path);
	}
	/* A line longer than iniparser can read. */
	snprintf(text, sizeof text, "[terminal]\n; %01200d\n", 0);
	expect_error(text, "", 2, "longer than");
}

/* The file's structure (syntax, names) is checked before any value; then
 * the first bad value in the file is the one reported. */
static void test_first_error_wins(void **state)
{
	(void)state;
	expect_error("[security]\nlockout_attempts = 99\n[nonsense]\n", "nonsense", 3,
	             "unknown section");
	expect_error("[security]\nlockout_attempts = 99\nidle_lock_minutes = 0\n",
	             "security.lockout_attempts", 2, "from 1 to 20");
	expect_error("[security]\nlockout_attempts = 5\n[ui]\nlanguage = xx\n[security]\nidle_lock_minutes = 0\n",
	             "ui.language", 4, NULL);
}

static void test_failure_leaves_settings(void **state)
{
	struct md_settings s;
	struct md_error err;

	(void)state;
	md_settings_defaults(&s);
	s.idle_lock_minutes = 42;
	assert_int_equal(load_text("[security]\nlockout_attempts = 3\nidle_lock_minutes = 0\n", &s, &err),
	                 MD_E_CONFIG);
	assert_int_equal(s.idle_lock_minutes, 42);
	assert_int_equal(s.lockout_attempts, 5);
	assert_string_equal(s.source, "");
}

/* ---- finding the file ---- */

static void test_explicit_missing(void **state)
{
	struct md_settings s;
	struct md_error err;
	char path[4200];

	(void)state;
	snprintf(path, sizeof path, "%s/no-such-dir/madoguchi.ini", tmp);
	assert_int_equal(md_settings_load(&s, path, &err), MD_E_CONFIG);
	assert_non_null(strstr(err.msg, path));
	assert_int_equal(md_settings_load_file(&s, path, &err), MD_E_CONFIG);
	assert_non_null(strstr(err.msg, path));
	/* A directory is not a configuration file. */
	assert_int_equal(md_settings_load_file(&s, tmp, &err), MD_E_CONFIG);
	assert_non_null(strstr(err.msg, "not a regular file"));
}

struct env_save {
	char *xdg, *home;
};

static void env_save(struct env_save *e)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *h = getenv("HOME");
	e->xdg = x ? strdup(x) : NULL;
	e->home = h ? strdup(h) : NULL;
}

static void env_restore(struct env_save *e)
{
	if (e->xdg)
		setenv("XDG_CONFIG_HOME", e->xdg, 1);
	else
		unsetenv("XDG_CONFIG_HOME");
	if (e->home)
		setenv("HOME", e->home, 1);
	else
		unsetenv("HOME");
	free(e->xdg);
	free(e->home);
}

static char *make_config(const char *dir, const char *sub, const char *text)
{
	char d[3000];
	char *path;

	snprintf(d, sizeof d, "%s/%s", dir, sub);
	assert_int_equal(mkdir(d, 0700) == 0 || errno == EEXIST, 1);
	snprintf(d, sizeof d, "%s/%s/madoguchi", dir, sub);
	assert_int_equal(mkdir(d, 0700) == 0 || errno == EEXIST, 1);
	path = tu_write(d, "madoguchi.ini", text);
	return path;
}

static void test_search_order(void **state)
{
	struct env_save saved;
	struct md_settings s;
	struct md_error err;
	char *xdg_ini, *home_ini, *explicit_ini, xdg[4200];

	(void)state;
	env_save(&saved);
	snprintf(xdg, sizeof xdg, "%s/xdg", tmp);
	xdg_ini = make_config(tmp, "xdg", "[security]\nidle_lock_minutes = 11\n");
	home_ini = make_config(tmp, ".config", "[security]\nidle_lock_minutes = 22\n");
	explicit_ini = tu_write(tmp, "explicit.ini", "[security]\nidle_lock_minutes = 33\n");
	setenv("HOME", tmp, 1);

	/* $XDG_CONFIG_HOME first. */
	setenv("XDG_CONFIG_HOME", xdg, 1);
	assert_int_equal(md_settings_load(&s, NULL, &err), MD_OK);
	assert_string_equal(s.source, xdg_ini);
	assert_int_equal(s.idle_lock_minutes, 11);

	/* An explicit path wins over everything. */
	assert_int_equal(md_settings_load(&s, explicit_ini, &err), MD_OK);
	assert_string_equal(s.source, explicit_ini);
	assert_int_equal(s.idle_lock_minutes, 33);

	/* Empty or unset XDG_CONFIG_HOME: ~/.config. */
	setenv("XDG_CONFIG_HOME", "", 1);
	assert_int_equal(md_settings_load(&s, NULL, &err), MD_OK);
	assert_string_equal(s.source, home_ini);
	assert_int_equal(s.idle_lock_minutes, 22);
	unsetenv("XDG_CONFIG_HOME");
	assert_int_equal(md_settings_load(&s, "", &err), MD_OK);
	assert_string_equal(s.source, home_ini);
	/* A relative XDG_CONFIG_HOME is ignored (XDG base directory spec). */
	setenv("XDG_CONFIG_HOME", "xdg", 1);
	assert_int_equal(md_settings_load(&s, NULL, &err), MD_OK);
	assert_string_equal(s.source, home_ini);

	/* A user file with an error is reported, not skipped. */
	free(make_config(tmp, "bad", "[security]\nidle_lock_minutes = never\n"));
	snprintf(xdg, sizeof xdg, "%s/bad", tmp);
	setenv("XDG_CONFIG_HOME", xdg, 1);
	assert_int_equal(md_settings_load(&s, NULL, &err), MD_E_CONFIG);
	assert_string_equal(err.field, "security.idle_lock_minutes");
	assert_int_equal(err.line, 2);

	env_restore(&saved);
	free(xdg_ini);
	free(home_ini);
	free(explicit_ini);
}

static void test_no_file_gives_defaults(void **state)
{
	struct env_save saved;
	struct md_settings s;
	struct md_error err;
	char empty[4200];

	(void)state;
	if (access("/etc/madoguchi/madoguchi.ini", F_OK) == 0
#ifdef SYSCONFDIR
	    || access(SYSCONFDIR "/madoguchi/madoguchi.ini", F_OK) == 0
#endif
	)
		skip();
	env_save(&saved);
	snprintf(empty, sizeof empty, "%s/empty", tmp);
	assert_int_equal(mkdir(empty, 0700) == 0 || errno == EEXIST, 1);
	setenv("XDG_CONFIG_HOME", empty, 1);
	setenv("HOME", empty, 1);
	memset(&s, 0, sizeof s);
	s.idle_lock_minutes = 99;
	assert_int_equal(md_settings_load(&s, NULL, &err), MD_OK);
	assert_int_equal(s.idle_lock_minutes, 5);
	assert_string_equal(s.source, "");
	env_restore(&saved);
}

/* ---- dump ---- */

static void test_dump(void **state)
{
	struct md_settings s;
	char *text;
	const struct md_setting_def *d;
	const char *prev = NULL, *at;
	char want[128];

	(void)state;
	md_settings_defaults(&s);
	s.language = MD_LANG_JA;
	s.lockout_attempts = 7;
	text = md_settings_dump(&s);
	assert_non_null(text);
	assert_true(strncmp(text, "municipality.name=見本区\n", strlen("municipality.name=見本区\n")) == 0);
	assert_non_null(strstr(text, "\nmunicipality.code=131016\n"));
	assert_non_null(strstr(text, "\nmunicipality.deputy_title=\n"));
	assert_non_null(strstr(text, "\nsecurity.lockout_attempts=7\n"));
	assert_non_null(strstr(text, "\nretention.removed_records_years=150\n"));
	assert_non_null(strstr(text, "\nui.language=ja\n"));
	assert_null(strstr(text, "source"));
	/* Every key, once, in table order. */
	for (d = md_settings_table(); d->key; d++) {
		snprintf(want, sizeof want, "%s.%s=", d->section, d->key);
		at = strstr(text, want);
		assert_non_null(at);
		assert_true(prev == NULL || at > prev);
		prev = at;
	}
	assert_int_equal(text[strlen(text) - 1], '\n');
	free(text);
}

/* [audit]: office hours and days, parsed by the same functions the audit
 * review uses. */
static void test_audit_office(void **state)
{
	int a = -1, b = -1;
	unsigned m = 0;

	(void)state;
	assert_int_equal(md_settings_office_hours("08:30-17:15", &a, &b), 0);
	assert_int_equal(a, 8 * 60 + 30);
	assert_int_equal(b, 17 * 60 + 15);
	assert_int_equal(md_settings_office_hours("00:00-24:00", &a, &b), 0);
	assert_int_equal(b, 24 * 60);
	assert_int_equal(md_settings_office_hours("17:15-08:30", &a, &b), -1);
	assert_int_equal(md_settings_office_hours("08:30-08:30", &a, &b), -1);
	assert_int_equal(md_settings_office_hours("8:30-17:15", &a, &b), -1);
	assert_int_equal(md_settings_office_hours("08:60-17:15", &a, &b), -1);
	assert_int_equal(md_settings_office_hours("24:30-25:00", &a, &b), -1);

	assert_int_equal(md_settings_office_days("mon-fri", &m), 0);
	assert_int_equal(m, 0x3eu);
	assert_int_equal(md_settings_office_days("Mon, wed ,sat", &m), 0);
	assert_int_equal(m, (1u << 1) | (1u << 3) | (1u << 6));
	assert_int_equal(md_settings_office_days("sat-sun", &m), 0);
	assert_int_equal(m, (1u << 6) | 1u);
	assert_int_equal(md_settings_office_days("mon-fri,sun", &m), 0);
	assert_int_equal(m, 0x3fu);
	assert_int_equal(md_settings_office_days("monday", &m), -1);
	assert_int_equal(md_settings_office_days("mon,,tue", &m), -1);
	assert_int_equal(md_settings_office_days("", &m), -1);

	expect_error("[audit]\noffice_hours = 17:15-08:30\n", "audit.office_hours", 2, "HH:MM-HH:MM");
	expect_error("[audit]\noffice_days = weekdays\n", "audit.office_days", 2, "mon-fri");
	expect_error("[audit]\nlookup_own_factor = 1\n", "audit.lookup_own_factor", 2, "from 2 to 100");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_complete),
		cmocka_unit_test(test_audit_office),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_defaults_are_valid),
		cmocka_unit_test(test_sample_file),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_override),
		cmocka_unit_test(test_override_shorter),
		cmocka_unit_test(test_bad_int_line),
		cmocka_unit_test(test_bad_int_forms),
		cmocka_unit_test(test_int_bounds),
		cmocka_unit_test(test_enum),
		cmocka_unit_test(test_string_rules),
		cmocka_unit_test(test_message_is_safe),
		cmocka_unit_test(test_long_value_is_cut_in_message),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_municipality_code),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_unknown_section),
		cmocka_unit_test(test_key_before_section),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_first_error_wins),
		cmocka_unit_test(test_failure_leaves_settings),
		cmocka_unit_test(test_explicit_missing),
		cmocka_unit_test(test_search_order),
		cmocka_unit_test(test_no_file_gives_defaults),
		cmocka_unit_test(test_dump),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
