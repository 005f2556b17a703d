/* test_wareki.c: dates and eras (registry.md §2). */
#include "config.h"

#include <stdbool.h>
#include <time.h>

#include "testutil.h"

#include "error.h"
#include "timeutil.h"
#include "wareki.h"

/* ---- helpers ---- */

/* input must parse to the storage form iso with the given precision and
 * circa flag. */
static void expect_date(const char *input, const char *iso, enum md_date_precision prec, bool circa)
{
	struct md_date t;
	struct md_error err;
	char buf[16];
	int rc = md_date_parse(input, &t, &err);

	if (rc != MD_OK)
		print_error("\"%s\": unexpected error: %s\n", input, err.msg);
	assert_int_equal(rc, MD_OK);
	assert_int_equal(err.code, MD_OK);
	md_date_to_iso(&t, buf);
	if (strcmp(buf, iso) != 0 || t.prec != prec || t.circa != circa)
		print_error("\"%s\": got %s prec %d circa %d, want %s prec %d circa %d\n", input, buf,
		            (int)t.prec, (int)t.circa, iso, (int)prec, (int)circa);
	assert_string_equal(buf, iso);
	assert_int_equal(t.prec, prec);
	assert_int_equal(t.circa, circa);
}

static void expect_full(const char *input, const char *iso)
{
	expect_date(input, iso, MD_DATE_FULL, false);
}

/* input must be refused with a message containing each of the (up to two)
 * fragments given. */
static void expect_bad2(const char *input, const char *frag1, const char *frag2)
{
	struct md_date t = { 1, 2, 3, MD_DATE_FULL, true };
	struct md_error err;
	int rc = md_date_parse(input, &t, &err);

	if (rc != MD_E_INVALID || (frag1 && !strstr(err.msg, frag1)) || (frag2 && !strstr(err.msg, frag2)))
		print_error("\"%s\": rc %d msg \"%s\", want \"%s\" and \"%s\"\n", input ? input : "(null)",
		            rc, err.msg, frag1 ? frag1 : "", frag2 ? frag2 : "");
	assert_int_equal(rc, MD_E_INVALID);
	assert_int_equal(err.code, MD_E_INVALID);
	assert_string_equal(err.field, "date");
	assert_true(err.msg[0] != '\0');
	if (frag1)
		assert_non_null(strstr(err.msg, frag1));
	if (frag2)
		assert_non_null(strstr(err.msg, frag2));
	/* The output is left alone on failure. */
	assert_int_equal(t.y, 1);
	assert_int_equal(t.m, 2);
	assert_int_equal(t.d, 3);
}

static void expect_bad(const char *input, const char *frag)
{
	expect_bad2(input, frag, NULL);
}

/* The exact message. */
static void expect_msg(const char *input, const char *msg)
{
	struct md_date t;
	struct md_error err;
	int rc = md_date_parse(input, &t, &err);

	assert_int_equal(rc, MD_E_INVALID);
	assert_string_equal(err.msg, msg);
}

static struct md_date iso(const char *s)
{
	struct md_date t;
	if (md_date_from_iso(s, &t) != 0)
		print_error("bad test date %s\n", s);
	assert_int_equal(md_date_from_iso(s, &t), 0);
	return t;
}

static void expect_wareki(const char *storage, bool circa, const char *text)
{
	struct md_date t = iso(storage);
	char buf[MD_DATE_TEXT_MAX];

	t.circa = circa;
	assert_string_equal(md_date_format_wareki(&t, buf, sizeof buf), text);
}

static void expect_western(const char *storage, bool circa, const char *text)
{
	struct md_date t = iso(storage);
	char buf[MD_DATE_TEXT_MAX];

	t.circa = circa;
	assert_string_equal(md_date_format_western(&t, buf, sizeof buf), text);
}

static int reset_eras(void **state)
{
	(void)state;
	md_era_reset();
	return 0;
}

/* ---- the era table ---- */

static void test_builtin_table(void **state)
{
	static const struct { const char *name; char letter; int y, m, d; } want[] = {
		{ "明治", 'M', 1868, 1, 25 }, { "大正", 'T', 1912, 7, 30 }, { "昭和", 'S', 1926, 12, 25 },
		{ "平成", 'H', 1989, 1, 8 }, { "令和", 'R', 2019, 5, 1 },
	};
	(void)state;
	assert_int_equal(md_era_count(), 5);
	for (size_t i = 0; i < 5; i++) {
		const struct md_era *e = md_era_at(i);
		assert_non_null(e);
		assert_string_equal(e->name, want[i].name);
		assert_int_equal(e->letter, want[i].letter);
		assert_int_equal(e->y, want[i].y);
		assert_int_equal(e->m, want[i].m);
		assert_int_equal(e->d, want[i].d);
	}
	assert_null(md_era_at(5));
}

/* The data file in the source tree is the table the program embeds. */
static void test_data_file_matches(void **state)
{
	const char *srcdir = getenv("MD_SRCDIR");
	struct md_error err;
	char path[4096], *text;

	(void)state;
	snprintf(path, sizeof path, "%s/data/eras.tsv", srcdir && *srcdir ? srcdir : ".");
	text = tu_read(path, NULL);
	if (!text)
		skip();
	assert_int_equal(md_era_load(text, &err), MD_OK);
	assert_int_equal(md_era_count(), 5);
	assert_string_equal(md_era_at(4)->name, "令和");
	free(text);
}

/* A new era is a data change: a table with a fictional era after 令和. */
static void test_fictional_era(void **state)
{
	static const char table[] =
		"# a test table: columns in another order, an extra column\n"
		"first_day\tname\tletter\treading\n"
		"1868-01-25\t明治\tM\tめいじ\n"
		"1912-07-30\t大正\tT\tたいしょう\n"
		"1926-12-25\t昭和\tS\tしょうわ\n"
		"\n"
		"1989-01-08\t平成\tH\tへいせい\r\n"
		"2019-05-01\t令和\tR\tれいわ\n"
		"2040-01-01\t未来\tF\tみらい\n";
	struct md_error err;
	struct md_date t;
	const char *name;
	int year;

	(void)state;
	assert_int_equal(md_era_load(table, &err), MD_OK);
	assert_int_equal(md_era_count(), 6);
	assert_string_equal(md_era_at(5)->name, "未来");
	assert_int_equal(md_era_at(5)->letter, 'F');
	/* The first day and the days after are in the new era. */
	expect_wareki("2040-01-01", false, "未来元年1月1日");
	expect_wareki("2041-03-04", false, "未来2年3月4日");
	expect_wareki("2039-12-31", false, "令和21年12月31日");
	t = iso("2050-06-30");
	assert_int_equal(md_date_era(&t, &name, &year), 0);
	assert_string_equal(name, "未来");
	assert_int_equal(year, 11);
	expect_full("未来2年3月4日", "2041-03-04");
	expect_full("F2.3.4", "2041-03-04");
	expect_full("f元.1.1", "2040-01-01");
	expect_full("未2.3.4", "2041-03-04");
	expect_full("令和21年12月31日", "2039-12-31");
	expect_msg("令和22年1月1日", "令和22年1月1日 is after 令和 ended on 2039-12-31: it is 未来元年1月1日");
	expect_msg("F0.1.1", "there is no year 0 in an era: the first year is 元年, as in 未来元年");
	/* Back to the built-in table. */
	md_era_reset();
	assert_int_equal(md_era_count(), 5);
	expect_wareki("2040-01-01", false, "令和22年1月1日");
	expect_bad("F2.3.4", "F is not an era: the era letters are M T S H R");
}

/* A table that starts later: a date before its first era is written in the
 * Western form, and an era date before it names no other era. */
static void test_table_starting_late(void **state)
{
	static const char table[] =
		"name\tletter\tfirst_day\n"
		"令和\tR\t2019-05-01\n";
	struct md_error err;
	struct md_date t;

	(void)state;
	assert_int_equal(md_era_load(table, &err), MD_OK);
	expect_msg("令和元年4月30日", "令和元年4月30日 is before 令和 began on 2019-05-01");
	expect_full("2000-01-01", "2000-01-01");
	expect_wareki("2000-01-01", false, "2000年1月1日");
	t = iso("2000-01-01");
	assert_int_equal(md_date_era(&t, NULL, NULL), -1);
	expect_bad("S55.3.14", "S is not an era: the era letters are R");
}

static void test_table_errors(void **state)
{
	static const struct { const char *text; long line; const char *frag; } bad[] = {
		{ "", 0, "no header" },
		{ "# only a comment\n", 1, "no header" },
		{ "name\tletter\tfirst_day\n", 1, "no eras" },
		{ "name\tletter\n明治\tM\n", 1, "header" },
		{ "name\tletter\tfirst_day\tname\n", 1, "twice" },
		{ "name\tletter\tfirst_day\n明治\tM\n", 2, "missing" },
		{ "name\tletter\tfirst_day\n明治\tMM\t1868-01-25\n", 2, "letter" },
		{ "name\tletter\tfirst_day\n明治\t1\t1868-01-25\n", 2, "letter" },
		{ "name\tletter\tfirst_day\n明治\tM\t1868-02-30\n", 2, "first_day" },
		{ "name\tletter\tfirst_day\n明治\tM\t1868/01/25\n", 2, "first_day" },
		{ "name\tletter\tfirst_day\nMeiji\tM\t1868-01-25\n", 2, "name" },
		{ "name\tletter\tfirst_day\n\tM\t1868-01-25\n", 2, "name" },
		{ "name\tletter\tfirst_day\n元\tM\t1868-01-25\n", 2, "name" },
		{ "name\tletter\tfirst_day\n明年\tM\t1868-01-25\n", 2, "name" },
		{ "name\tletter\tfirst_day\n明治\tM\t1868-01-25\n大正\tm\t1912-07-30\n", 3, "letter" },
		{ "name\tletter\tfirst_day\n明治\tM\t1868-01-25\n明治\tT\t1912-07-30\n", 3, "already" },
		{ "name\tletter\tfirst_day\n大正\tT\t1912-07-30\n明治\tM\t1868-01-25\n", 3, "order" },
		{ "name\tletter\tfirst_day\n大正\tT\t1912-07-30\n明治\tM\t1912-07-30\n", 3, "order" },
	};
	struct md_error err;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = md_era_load(bad[i].text, &err);
		if (rc != MD_E_CONFIG || err.line != bad[i].line || !strstr(err.msg, bad[i].frag))
			print_error("table %zu: rc %d line %ld msg \"%s\"\n", i, rc, err.line, err.msg);
		assert_int_equal(rc, MD_E_CONFIG);
		assert_string_equal(err.field, "eras");
		assert_int_equal(err.line, bad[i].line);
		assert_non_null(strstr(err.msg, bad[i].frag));
		/* The table in use is unchanged. */
		assert_int_equal(md_era_count(), 5);
	}
	assert_int_equal(md_era_load(NULL, &err), MD_E_CONFIG);
	assert_int_equal(md_era_load("nonsense", NULL), MD_E_CONFIG);
	assert_int_equal(md_era_count(), 5);
}

/* ---- era boundaries ---- */

static void test_era_boundaries(void **state)
{
	(void)state;
	/* 明治 → 大正 */
	expect_full("明治45年7月29日", "1912-07-29");
	expect_wareki("1912-07-29", false, "明治45年7月29日");
	expect_wareki("1912-07-30", false, "大正元年7月30日");
	expect_full("大正元年7月30日", "1912-07-30");
	expect_msg("明治45年7月30日", "明治45年7月30日 is after 明治 ended on 1912-07-29: it is 大正元年7月30日");
	expect_msg("大正元年7月29日", "大正元年7月29日 is before 大正 began on 1912-07-30: it is 明治45年7月29日");
	/* 大正 → 昭和 */
	expect_full("大正15年12月24日", "1926-12-24");
	expect_full("昭和元年12月25日", "1926-12-25");
	expect_wareki("1926-12-24", false, "大正15年12月24日");
	expect_wareki("1926-12-25", false, "昭和元年12月25日");
	expect_msg("大正15年12月25日", "大正15年12月25日 is after 大正 ended on 1926-12-24: it is 昭和元年12月25日");
	expect_msg("昭和1年12月24日", "昭和1年12月24日 is before 昭和 began on 1926-12-25: it is 大正15年12月24日");
	/* 昭和 → 平成 */
	expect_full("昭和64年1月7日", "1989-01-07");
	expect_full("平成元年1月8日", "1989-01-08");
	expect_wareki("1989-01-07", false, "昭和64年1月7日");
	expect_wareki("1989-01-08", false, "平成元年1月8日");
	expect_msg("昭和64年1月8日", "昭和64年1月8日 is after 昭和 ended on 1989-01-07: it is 平成元年1月8日");
	expect_msg("S64.1.8", "昭和64年1月8日 is after 昭和 ended on 1989-01-07: it is 平成元年1月8日");
	expect_msg("平成元年1月7日", "平成元年1月7日 is before 平成 began on 1989-01-08: it is 昭和64年1月7日");
	/* 平成 → 令和 */
	expect_full("平成31年4月30日", "2019-04-30");
	expect_full("令和元年5月1日", "2019-05-01");
	expect_wareki("2019-04-30", false, "平成31年4月30日");
	expect_wareki("2019-05-01", false, "令和元年5月1日");
	expect_msg("平成31年5月1日", "平成31年5月1日 is after 平成 ended on 2019-04-30: it is 令和元年5月1日");
	expect_msg("令和1年4月30日", "令和1年4月30日 is before 令和 began on 2019-05-01: it is 平成31年4月30日");
	expect_msg("令和元年4月30日", "令和元年4月30日 is before 令和 began on 2019-05-01: it is 平成31年4月30日");
	/* Far outside. */
	expect_msg("昭和100年1月1日", "昭和100年1月1日 is after 昭和 ended on 1989-01-07: it is 令和7年1月1日");
	expect_msg("令和元年1月1日", "令和元年1月1日 is before 令和 began on 2019-05-01: it is 平成31年1月1日");
	expect_msg("H40.1.1", "平成40年1月1日 is after 平成 ended on 2019-04-30: it is 令和10年1月1日");
}

/* A partly known date is accepted when its era covers part of it. */
static void test_partial_dates_and_eras(void **state)
{
	(void)state;
	expect_date("昭和64年1月", "1989-01-00", MD_DATE_DAY_UNKNOWN, false);
	expect_date("平成元年1月", "1989-01-00", MD_DATE_DAY_UNKNOWN, false);
	expect_date("昭和64年", "1989-00-00", MD_DATE_MONTH_DAY_UNKNOWN, false);
	expect_date("平成元年", "1989-00-00", MD_DATE_MONTH_DAY_UNKNOWN, false);
	expect_date("平成31年", "2019-00-00", MD_DATE_MONTH_DAY_UNKNOWN, false);
	expect_date("令和元年", "2019-00-00", MD_DATE_MONTH_DAY_UNKNOWN, false);
	expect_date("平成31年4月", "2019-04-00", MD_DATE_DAY_UNKNOWN, false);
	expect_date("令和元年5月", "2019-05-00", MD_DATE_DAY_UNKNOWN, false);
	expect_msg("昭和64年3月", "昭和64年3月 is after 昭和 ended on 1989-01-07: it is 平成元年3月");
	expect_msg("S64.2", "昭和64年2月 is after 昭和 ended on 1989-01-07: it is 平成元年2月");
	expect_msg("令和元年4月", "令和元年4月 is before 令和 began on 2019-05-01: it is 平成31年4月");
	expect_msg("平成31年5月", "平成31年5月 is after 平成 ended on 2019-04-30: it is 令和元年5月");
	expect_msg("昭和65年", "昭和65年 is after 昭和 ended on 1989-01-07: it is 平成2年");
	expect_msg("平成32年月日不詳", "平成32年 is after 平成 ended on 2019-04-30: it is 令和2年");
	expect_msg("大正16年頃", "大正16年 is after 大正 ended on 1926-12-24: it is 昭和2年");
	/* Written back in the era holding most of the days. */
	expect_wareki("1989-00-00", false, "平成元年月日不詳");
	expect_wareki("1989-01-00", false, "平成元年1月日不詳");
	expect_wareki("1926-00-00", false, "大正15年月日不詳");
	expect_wareki("1926-12-00", false, "大正15年12月日不詳");
	expect_wareki("1912-00-00", false, "明治45年月日不詳");
	expect_wareki("1912-07-00", false, "明治45年7月日不詳");
	expect_wareki("2019-00-00", false, "令和元年月日不詳");
	expect_wareki("2019-04-00", false, "平成31年4月日不詳");
	expect_wareki("2019-05-00", false, "令和元年5月日不詳");
}

/* ---- input forms ---- */

static void test_first_year(void **state)
{
	(void)state;
	expect_full("令和元年5月1日", "2019-05-01");
	expect_full("令和1年5月1日", "2019-05-01");
	expect_full("令和01年5月1日", "2019-05-01");
	expect_full("R1.5.1", "2019-05-01");
	expect_full("R元.5.1", "2019-05-01");
	expect_full("平成元年1月8日", "1989-01-08");
	expect_full("平成1年1月8日", "1989-01-08");
	expect_full("H1.1.8", "1989-01-08");
	expect_full("大正元年7月30日", "1912-07-30");
	expect_full("昭和元年12月31日", "1926-12-31");
	/* Always written 元年. */
	expect_wareki("2019-05-01", false, "令和元年5月1日");
	expect_wareki("2019-12-31", false, "令和元年12月31日");
	expect_wareki("2020-01-01", false, "令和2年1月1日");
}

static void test_year_zero(void **state)
{
	(void)state;
	expect_msg("令和0年5月1日", "there is no year 0 in an era: the first year is 元年, as in 令和元年");
	expect_bad("R0.5.1", "元年");
	expect_bad("昭和0年", "no year 0");
	expect_bad("S00.1.1", "no year 0");
}

static void test_input_forms(void **state)
{
	static const char *const forms[] = {
		"昭和55年3月14日", "S55.3.14", "s55.3.14", "s55/3/14", "S55/3/14", "S55-3-14",
		"S55年3月14日", "s55年3月14日", "S55.03.14", "S055.3.14", "昭55.3.14", "昭55年3月14日",
		"昭和55.3.14", "1980-03-14", "1980-3-14", "1980/3/14", "1980/03/14", "1980.3.14",
		"1980年3月14日", "1980年03月14日", "19800314", "  昭和55年3月14日  ", "	1980-03-14 ",
		"昭和 55年 3月 14日", "S 55.3.14", "1980 - 03 - 14",
	};
	(void)state;
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
		expect_full(forms[i], "1980-03-14");
	expect_full("R7.4.1", "2025-04-01");
	expect_full("r7/4/1", "2025-04-01");
	expect_full("H31.4.30", "2019-04-30");
	expect_full("M45.7.29", "1912-07-29");
	expect_full("T15.12.24", "1926-12-24");
	expect_full("明治6年1月1日", "1873-01-01");
	expect_full("明6.1.1", "1873-01-01");
	expect_full("大15.12.24", "1926-12-24");
	expect_full("平31.4.30", "2019-04-30");
	expect_full("令7.4.1", "2025-04-01");
	/* Far ahead: an era year of four digits (found by fuzzing). */
	expect_wareki("3194-10-10", false, "令和1176年10月10日");
	expect_full("令和1176年10月10日", "3194-10-10");
	expect_wareki("9999-12-31", false, "令和7981年12月31日");
	expect_full("令和7981年12月31日", "9999-12-31");
	expect_full("R7981.12.31", "9999-12-31");
	expect_bad("令和7982年1月1日", "not a date");
}

static void test_full_width(void **state)
{
	static const char *const forms[] = {
		"昭和５５年３月１４日", "Ｓ５５．３．１４", "ｓ５５．３．１４", "ｓ５５／３／１４", "Ｓ５５－３－１４",
		"Ｓ５５年３月１４日", "１９８０－０３－１４", "１９８０／３／１４", "１９８０．３．１４",
		"１９８０年３月１４日", "１９８００３１４", "　昭和55年3月14日　", "　Ｓ５５．３．１４",
		"昭和　５５年　３月　１４日", "1980ー03ー14", "1980‐03‐14", "1980−03−14", "1980―03―14",
		"Ｓ55.3.14",
	};
	(void)state;
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
		expect_full(forms[i], "1980-03-14");
	expect_date("昭和５５年３月", "1980-03-00", MD_DATE_DAY_UNKNOWN, false);
	expect_date("Ｓ５５．３．１４頃", "1980-03-14", MD_DATE_FULL, true);
}

static void test_unknown_parts(void **state)
{
	(void)state;
	/* 日不詳 */
	expect_date("昭和55年3月", "1980-03-00", MD_DATE_DAY_UNKNOWN, false);
	expect_date("昭和55年3月日不詳", "1980-03-00", MD_DATE_DAY_UNKNOWN, false);
	expect_date("昭和55年3月不詳", "1980-03-00", MD_DATE_DAY_UNKNOWN, false);
	expect_date("S55.3", "1980-03-00", MD_DATE_DAY_UNKNOWN, false);
	expect_date("s55/3", "1980-03-00", MD_DATE_DAY_UNKNOWN, false);
	expect_date("1980-03", "1980-03-00", MD_DATE_DAY_UNKNOWN, false);
	expect_date("1980年3月", "1980-03-00", MD_DATE_DAY_UNKNOWN, false);
	expect_date("1980年3月日不詳", "1980-03-00", MD_DATE_DAY_UNKNOWN, false);
	/* 月日不詳 */
	expect_date("昭和55年", "1980-00-00", MD_DATE_MONTH_DAY_UNKNOWN, false);
	expect_date("昭和55年月日不詳", "1980-00-00", MD_DATE_MONTH_DAY_UNKNOWN, false);
	expect_date("昭和55年不詳", "1980-00-00", MD_DATE_MONTH_DAY_UNKNOWN, false);
	expect_date("S55年", "1980-00-00", MD_DATE_MONTH_DAY_UNKNOWN, false);
	expect_date("1980年", "1980-00-00", MD_DATE_MONTH_DAY_UNKNOWN, false);
	expect_date("1980年月日不詳", "1980-00-00", MD_DATE_MONTH_DAY_UNKNOWN, false);
	expect_date("令和元年", "2019-00-00", MD_DATE_MONTH_DAY_UNKNOWN, false);
	/* 年月日不詳 */
	expect_date("不詳", "0000-00-00", MD_DATE_ALL_UNKNOWN, false);
	expect_date("年月日不詳", "0000-00-00", MD_DATE_ALL_UNKNOWN, false);
	expect_date(" 年月日不詳 ", "0000-00-00", MD_DATE_ALL_UNKNOWN, false);
	/* A year alone, without 年, is refused: it is too easily half a date. */
	expect_bad("S55", "write 昭和55年 if the month and day are unknown");
	expect_bad("令和元", "write 令和元年 if the month and day are unknown");
	expect_bad("1980", "write 1980年 if the month and day are unknown");
}

static void test_circa(void **state)
{
	(void)state;
	expect_date("昭和55年3月14日頃", "1980-03-14", MD_DATE_FULL, true);
	expect_date("昭和55年3月14日 頃", "1980-03-14", MD_DATE_FULL, true);
	expect_date("S55.3.14頃", "1980-03-14", MD_DATE_FULL, true);
	expect_date("1980-03-14頃", "1980-03-14", MD_DATE_FULL, true);
	expect_date("昭和55年3月頃", "1980-03-00", MD_DATE_DAY_UNKNOWN, true);
	expect_date("S55.3頃", "1980-03-00", MD_DATE_DAY_UNKNOWN, true);
	expect_date("昭和55年3月日不詳頃", "1980-03-00", MD_DATE_DAY_UNKNOWN, true);
	expect_date("昭和55年頃", "1980-00-00", MD_DATE_MONTH_DAY_UNKNOWN, true);
	expect_date("昭和55年月日不詳頃", "1980-00-00", MD_DATE_MONTH_DAY_UNKNOWN, true);
	expect_date("1980年頃", "1980-00-00", MD_DATE_MONTH_DAY_UNKNOWN, true);
	/* Nothing to be approximate about: 頃 is accepted and dropped. */
	expect_date("不詳頃", "0000-00-00", MD_DATE_ALL_UNKNOWN, false);
	expect_date("年月日不詳頃", "0000-00-00", MD_DATE_ALL_UNKNOWN, false);
	expect_bad("頃", "not a date");
	expect_bad("昭和55年3月14日頃頃", "not a date");
	expect_bad("頃昭和55年3月14日", "not a date");
}

static void test_calendar(void **state)
{
	(void)state;
	expect_full("平成4年2月29日", "1992-02-29");
	expect_bad("平成5年2月29日", "month 2 of 1993 has 28 days");
	expect_msg("平成31年2月29日", "平成31年2月29日 is not a calendar date: month 2 of 2019 has 28 days");
	expect_msg("1900-02-29", "1900-02-29 is not a calendar date: month 2 of 1900 has 28 days");
	expect_full("2000-02-29", "2000-02-29");
	expect_full("20000229", "2000-02-29");
	expect_full("2024-02-29", "2024-02-29");
	expect_bad("2023-02-29", "28 days");
	expect_bad("昭和55年2月30日", "month 2 of 1980 has 29 days");
	expect_bad("1980-04-31", "month 4 of 1980 has 30 days");
	expect_bad("S55.4.31", "昭和55年4月31日 is not a calendar date");
	expect_full("1980-01-31", "1980-01-31");
	expect_full("1980-12-31", "1980-12-31");
	expect_bad("1980-13-01", "there is no month 13");
	expect_bad("昭和55年13月", "there is no month 13");
	expect_bad("1980-00-10", "no month 0");
	expect_bad("19800010", "no month 0");
	expect_bad("1980-03-00", "no day 0");
	expect_bad("S55.3.0", "no day 0");
	expect_bad("昭和55年3月32日", "has 31 days");
}

static void test_earliest_date(void **state)
{
	(void)state;
	expect_full("1873-01-01", "1873-01-01");
	expect_full("明治6年1月1日", "1873-01-01");
	expect_date("1873年", "1873-00-00", MD_DATE_MONTH_DAY_UNKNOWN, false);
	expect_msg("1872-12-31", "1872-12-31 is before 1873-01-01 (明治6年1月1日), the earliest date "
	                         "accepted: Japan adopted the Gregorian calendar on that day");
	expect_bad2("明治5年12月31日", "明治5年12月31日 is before 1873-01-01", "Gregorian");
	expect_bad("明治元年", "明治元年 is before 1873-01-01");
	expect_bad("M1.1.1", "明治1年1月1日 is before 1873-01-01");
	expect_bad("1800年", "1800 is before 1873-01-01");
	expect_bad("1872-12", "1872-12 is before 1873-01-01");
	expect_bad("0001-01-01", "before 1873-01-01");
	expect_bad("00010101", "0001-01-01 is before 1873-01-01");
}

static void test_junk(void **state)
{
	static const char *const junk[] = {
		"昭和", "昭和年", "1980-3/14", "80-3-14", "1980-03-14-", "S55..3", "S55.3.14.1",
		"昭和五十五年三月十四日", "3/14/1980", "1980314", "198003140", "昭和55年3月14日生",
		"昭和55年3月14", "昭和55年3月14日日", "1980年3月14", "S55.3.14日", "昭和S55.3.14",
		"S元元.1.1", "1980年元年", "元年", "19800314頃頃", "年", "月日不詳", "日不詳",
		"昭和55年3月15日不詳", "S10000.1.1", "昭和55年\n3月14日", "1980-03-14\x01",
		"\xff\xfe", "昭和55年3月14日\xe3", "12345", "1980-03-141", "1980-123-14", "*",
	};
	(void)state;
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++)
		expect_bad(junk[i], "not a date: write it like 昭和55年3月14日, S55.3.14 or 1980-03-14");
	expect_bad("", "no date given: write it like 昭和55年3月14日, S55.3.14 or 1980-03-14");
	expect_bad("   ", "no date given");
	expect_bad("　", "no date given");
	expect_bad(NULL, "no date given");
	expect_msg("X55.3.14", "X is not an era: the era letters are M T S H R");
	expect_bad("Showa55.3.14", "not a date");
	expect_bad("ＳＡ５５．３．１４", "not a date");
	expect_bad("abc", "not a date");
	expect_bad("a", "A is not an era");
}

/* A failure leaves out alone and is safe to call with no output. */
static void test_null_out(void **state)
{
	struct md_error err;
	(void)state;
	assert_int_equal(md_date_parse("1980-03-14", NULL, &err), MD_OK);
	assert_int_equal(md_date_parse("nonsense", NULL, NULL), MD_E_INVALID);
	assert_int_equal(md_date_parse("1980-03-14", NULL, NULL), MD_OK);
}

/* ---- storage form ---- */

static void test_iso(void **state)
{
	struct md_date t = { 1980, 3, 14, MD_DATE_FULL, true };
	struct md_date u;
	char buf[16];

	(void)state;
	assert_string_equal(md_date_to_iso(&t, buf), "1980-03-14");
	t = (struct md_date){ 1980, 3, 0, MD_DATE_DAY_UNKNOWN, false };
	assert_string_equal(md_date_to_iso(&t, buf), "1980-03-00");
	t = (struct md_date){ 1980, 0, 0, MD_DATE_MONTH_DAY_UNKNOWN, false };
	assert_string_equal(md_date_to_iso(&t, buf), "1980-00-00");
	t = (struct md_date){ 0, 0, 0, MD_DATE_ALL_UNKNOWN, false };
	assert_string_equal(md_date_to_iso(&t, buf), "0000-00-00");
	/* A malformed struct is written as unknown, never as garbage. */
	t = (struct md_date){ 1980, 2, 30, MD_DATE_FULL, false };
	assert_string_equal(md_date_to_iso(&t, buf), "0000-00-00");
	t = (struct md_date){ 1980, 3, 14, MD_DATE_DAY_UNKNOWN, false };
	assert_string_equal(md_date_to_iso(&t, buf), "0000-00-00");

	assert_int_equal(md_date_from_iso("1980-03-14", &u), 0);
	assert_int_equal(u.y, 1980);
	assert_int_equal(u.m, 3);
	assert_int_equal(u.d, 14);
	assert_int_equal(u.prec, MD_DATE_FULL);
	assert_false(u.circa);
	assert_int_equal(md_date_from_iso("1980-03-00", &u), 0);
	assert_int_equal(u.prec, MD_DATE_DAY_UNKNOWN);
	assert_int_equal(u.d, 0);
	assert_int_equal(md_date_from_iso("1980-00-00", &u), 0);
	assert_int_equal(u.prec, MD_DATE_MONTH_DAY_UNKNOWN);
	assert_int_equal(md_date_from_iso("0000-00-00", &u), 0);
	assert_int_equal(u.prec, MD_DATE_ALL_UNKNOWN);
	assert_int_equal(md_date_from_iso("1980-03-14", NULL), 0);

	static const char *const bad[] = {
		"1980-00-14", "0000-03-00", "0000-00-01", "0000-03-14", "1980-02-30", "1900-02-29",
		"1980-13-00", "1980-3-14", "1980/03/14", "19800314", "1980-03-14 ", "abcd-ef-gh", "",
		"1980-03-1x", "+980-03-14",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		u.y = 7;
		assert_int_equal(md_date_from_iso(bad[i], &u), -1);
		assert_int_equal(u.y, 7);
	}
	assert_int_equal(md_date_from_iso(NULL, &u), -1);
}

/* ---- writing ---- */

static void test_format_wareki(void **state)
{
	struct md_date t;
	char small[8], buf[MD_DATE_TEXT_MAX];

	(void)state;
	expect_wareki("1980-03-14", false, "昭和55年3月14日");
	expect_wareki("1980-03-14", true, "昭和55年3月14日頃");
	expect_wareki("2019-05-01", false, "令和元年5月1日");
	expect_wareki("2025-04-01", false, "令和7年4月1日");
	expect_wareki("1980-03-00", false, "昭和55年3月日不詳");
	expect_wareki("1980-03-00", true, "昭和55年3月日不詳頃");
	expect_wareki("1980-00-00", false, "昭和55年月日不詳");
	expect_wareki("1980-00-00", true, "昭和55年月日不詳頃");
	expect_wareki("0000-00-00", false, "年月日不詳");
	expect_wareki("0000-00-00", true, "年月日不詳");
	expect_wareki("1873-01-01", false, "明治6年1月1日");
	expect_wareki("1868-01-25", false, "明治元年1月25日");
	/* Before the first era: the Western form. */
	expect_wareki("1868-01-24", false, "1868年1月24日");
	expect_wareki("1800-00-00", false, "1800年月日不詳");
	/* Truncated, never overflowed. */
	t = iso("1980-03-14");
	md_date_format_wareki(&t, small, sizeof small);
	assert_true(strlen(small) < sizeof small);
	assert_string_equal(md_date_format_wareki(&t, buf, 0), md_date_format_wareki(&t, buf, sizeof buf));
	/* A malformed struct gives "". */
	t = (struct md_date){ 1980, 2, 30, MD_DATE_FULL, false };
	assert_string_equal(md_date_format_wareki(&t, buf, sizeof buf), "");
	assert_string_equal(md_date_format_western(&t, buf, sizeof buf), "");
}

static void test_format_western(void **state)
{
	(void)state;
	expect_western("1980-03-14", false, "1980年3月14日");
	expect_western("1980-03-14", true, "1980年3月14日頃");
	expect_western("2019-05-01", false, "2019年5月1日");
	expect_western("1980-03-00", false, "1980年3月日不詳");
	expect_western("1980-03-00", true, "1980年3月日不詳頃");
	expect_western("1980-00-00", false, "1980年月日不詳");
	expect_western("1980-00-00", true, "1980年月日不詳頃");
	expect_western("0000-00-00", false, "年月日不詳");
}

static void test_era_of_date(void **state)
{
	struct md_date t;
	const char *name = NULL;
	int year = -5;

	(void)state;
	t = iso("1980-03-14");
	assert_int_equal(md_date_era(&t, &name, &year), 0);
	assert_string_equal(name, "昭和");
	assert_int_equal(year, 55);
	t = iso("2019-05-01");
	assert_int_equal(md_date_era(&t, &name, &year), 0);
	assert_string_equal(name, "令和");
	assert_int_equal(year, 1);
	t = iso("2019-04-30");
	assert_int_equal(md_date_era(&t, &name, &year), 0);
	assert_string_equal(name, "平成");
	assert_int_equal(year, 31);
	t = iso("1989-00-00");
	assert_int_equal(md_date_era(&t, &name, &year), 0);
	assert_string_equal(name, "平成");
	assert_int_equal(year, 1);
	t = iso("1926-12-00");
	assert_int_equal(md_date_era(&t, &name, &year), 0);
	assert_string_equal(name, "大正");
	assert_int_equal(year, 15);
	assert_int_equal(md_date_era(&t, NULL, NULL), 0);
	t = iso("0000-00-00");
	name = NULL;
	assert_int_equal(md_date_era(&t, &name, &year), -1);
	assert_null(name);
	t = iso("1868-01-24");
	assert_int_equal(md_date_era(&t, &name, &year), -1);
	t = (struct md_date){ 1980, 2, 30, MD_DATE_FULL, false };
	assert_int_equal(md_date_era(&t, &name, &year), -1);
}

/* Every day, month and year from 1873 to 2100: storage form → struct →
 * 和暦 → parse gives the same date back; likewise through the Western form,
 * the abbreviated form and the compact form. */
static void test_round_trips(void **state)
{
	char isobuf[48], text[MD_DATE_TEXT_MAX], isobuf2[16];
	struct md_date t, u;
	struct md_error err;
	const char *era;
	int year, y = 1873, m = 1, d = 1;

	(void)state;
	/* Walk the calendar by hand, each day once, checking it against
	 * md_days_from_civil(). */
	for (long day = md_days_from_civil(1873, 1, 1); day <= md_days_from_civil(2100, 12, 31); day++) {
		char letter = '?';
		int mdays;
		snprintf(isobuf, sizeof isobuf, "%04d-%02d-%02d", y, m, d);
		assert_int_equal(md_days_from_civil(y, m, d), day);
		assert_int_equal(md_date_from_iso(isobuf, &t), 0);
		assert_string_equal(md_date_to_iso(&t, isobuf2), isobuf);

		md_date_format_wareki(&t, text, sizeof text);
		if (md_date_parse(text, &u, &err) != MD_OK)
			print_error("%s → %s: %s\n", isobuf, text, err.msg);
		assert_int_equal(md_date_cmp(&t, &u), 0);

		md_date_format_western(&t, text, sizeof text);
		assert_int_equal(md_date_parse(text, &u, &err), MD_OK);
		assert_int_equal(md_date_cmp(&t, &u), 0);

		assert_int_equal(md_date_era(&t, &era, &year), 0);
		for (size_t i = 0; i < md_era_count(); i++)
			if (!strcmp(md_era_at(i)->name, era))
				letter = md_era_at(i)->letter;
		snprintf(text, sizeof text, "%c%d.%d.%d", letter, year, m, d);
		if (md_date_parse(text, &u, &err) != MD_OK)
			print_error("%s → %s: %s\n", isobuf, text, err.msg);
		assert_int_equal(md_date_cmp(&t, &u), 0);

		snprintf(text, sizeof text, "%04d%02d%02d", y, m, d);
		assert_int_equal(md_date_parse(text, &u, &err), MD_OK);
		assert_int_equal(md_date_cmp(&t, &u), 0);

		mdays = (m == 2) ? ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28)
		                 : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
		if (d == mdays) {
			/* The month, day unknown. */
			struct md_date p = { y, m, 0, MD_DATE_DAY_UNKNOWN, d % 2 == 0 };
			md_date_format_wareki(&p, text, sizeof text);
			if (md_date_parse(text, &u, &err) != MD_OK)
				print_error("%d-%02d → %s: %s\n", y, m, text, err.msg);
			assert_int_equal(md_date_cmp(&p, &u), 0);
			md_date_format_western(&p, text, sizeof text);
			assert_int_equal(md_date_parse(text, &u, &err), MD_OK);
			assert_int_equal(md_date_cmp(&p, &u), 0);
			if (m == 12) {
				p = (struct md_date){ y, 0, 0, MD_DATE_MONTH_DAY_UNKNOWN, y % 2 == 0 };
				md_date_format_wareki(&p, text, sizeof text);
				if (md_date_parse(text, &u, &err) != MD_OK)
					print_error("%d → %s: %s\n", y, text, err.msg);
				assert_int_equal(md_date_cmp(&p, &u), 0);
				md_date_format_western(&p, text, sizeof text);
				assert_int_equal(md_date_parse(text, &u, &err), MD_OK);
				assert_int_equal(md_date_cmp(&p, &u), 0);
			}
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		} else {
			d++;
		}
	}
	/* All unknown, and circa. */
	t = iso("0000-00-00");
	md_date_format_wareki(&t, text, sizeof text);
	assert_int_equal(md_date_parse(text, &u, &err), MD_OK);
	assert_int_equal(md_date_cmp(&t, &u), 0);
	t = iso("1980-03-14");
	t.circa = true;
	md_date_format_wareki(&t, text, sizeof text);
	assert_int_equal(md_date_parse(text, &u, &err), MD_OK);
	assert_int_equal(md_date_cmp(&t, &u), 0);
}

/* ---- comparing and arithmetic ---- */

static void test_cmp(void **state)
{
	static const char *const sorted[] = {
		"0000-00-00", "1873-01-01", "1980-00-00", "1980-03-00", "1980-03-01", "1980-03-14",
		"1980-12-31", "1989-01-07", "1989-01-08", "2019-05-01",
	};
	struct md_date a, b;

	(void)state;
	for (size_t i = 0; i < sizeof sorted / sizeof sorted[0]; i++)
		for (size_t j = 0; j < sizeof sorted / sizeof sorted[0]; j++) {
			int c;
			a = iso(sorted[i]);
			b = iso(sorted[j]);
			c = md_date_cmp(&a, &b);
			assert_int_equal(c < 0, i < j);
			assert_int_equal(c > 0, i > j);
			assert_int_equal(c == 0, i == j);
			/* The storage forms sort the same way. */
			assert_int_equal(strcmp(sorted[i], sorted[j]) < 0, c < 0);
		}
	a = iso("1980-03-14");
	b = a;
	b.circa = true;
	assert_true(md_date_cmp(&a, &b) < 0);
	assert_true(md_date_cmp(&b, &a) > 0);
	assert_int_equal(md_date_cmp(&b, &b), 0);
}

/* Noon, local time, on y-m-d. */
static time_t local_noon(int y, int m, int d)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static void test_after_today(void **state)
{
	time_t now = local_noon(2026, 4, 1);
	struct md_date t;

	(void)state;
	t = iso("2026-04-01");
	assert_false(md_date_after_today(&t, now));
	t = iso("2026-03-31");
	assert_false(md_date_after_today(&t, now));
	t = iso("2026-04-02");
	assert_true(md_date_after_today(&t, now));
	t = iso("2026-04-00");
	assert_false(md_date_after_today(&t, now));
	t = iso("2026-05-00");
	assert_true(md_date_after_today(&t, now));
	t = iso("2026-00-00");
	assert_false(md_date_after_today(&t, now));
	t = iso("2027-00-00");
	assert_true(md_date_after_today(&t, now));
	t = iso("0000-00-00");
	assert_false(md_date_after_today(&t, now));
	/* The last moment of the day. */
	t = iso("2026-04-02");
	assert_false(md_date_after_today(&t, local_noon(2026, 4, 2) + 11 * 3600 + 59 * 60));
}

static struct md_date birth(const char *s)
{
	return iso(s);
}

static void test_age(void **state)
{
	struct md_date b;

	(void)state;
	b = birth("1980-03-14");
	assert_int_equal(md_age_on(&b, 1980, 3, 14), 0);
	assert_int_equal(md_age_on(&b, 1981, 3, 13), 0);
	assert_int_equal(md_age_on(&b, 1981, 3, 14), 1);
	assert_int_equal(md_age_on(&b, 1990, 3, 13), 9);
	assert_int_equal(md_age_on(&b, 1990, 3, 14), 10);
	assert_int_equal(md_age_on(&b, 1990, 12, 31), 10);
	assert_int_equal(md_age_on(&b, 1995, 3, 14), 15);
	assert_int_equal(md_age_on(&b, 1980, 3, 13), -1);
	assert_int_equal(md_age_on(&b, 1979, 12, 31), -1);
	/* 4月1日 births: a year older from 4月1日 (the end of 3月31日). */
	b = birth("2010-04-01");
	assert_int_equal(md_age_on(&b, 2016, 3, 31), 5);
	assert_int_equal(md_age_on(&b, 2016, 4, 1), 6);
	/* 2月29日 births: a year older at the end of 2月28日, so from 3月1日 in
	 * a common year and from 2月29日 in a leap year. */
	b = birth("2000-02-29");
	assert_int_equal(md_age_on(&b, 2000, 2, 29), 0);
	assert_int_equal(md_age_on(&b, 2000, 2, 28), -1);
	assert_int_equal(md_age_on(&b, 2001, 2, 28), 0);
	assert_int_equal(md_age_on(&b, 2001, 3, 1), 1);
	assert_int_equal(md_age_on(&b, 2003, 2, 28), 2);
	assert_int_equal(md_age_on(&b, 2003, 3, 1), 3);
	assert_int_equal(md_age_on(&b, 2004, 2, 28), 3);
	assert_int_equal(md_age_on(&b, 2004, 2, 29), 4);
	assert_int_equal(md_age_on(&b, 2004, 3, 1), 4);
	assert_int_equal(md_age_on(&b, 2100, 2, 28), 99);
	assert_int_equal(md_age_on(&b, 2100, 3, 1), 100);
	/* Partly known: the age that is certain. */
	b = birth("1980-03-00");
	assert_int_equal(md_age_on(&b, 1990, 3, 30), 9);
	assert_int_equal(md_age_on(&b, 1990, 3, 31), 10);
	assert_int_equal(md_age_on(&b, 1990, 4, 1), 10);
	b = birth("1980-02-00");
	assert_int_equal(md_age_on(&b, 1990, 2, 28), 9);
	assert_int_equal(md_age_on(&b, 1990, 3, 1), 10);
	b = birth("1980-00-00");
	assert_int_equal(md_age_on(&b, 1990, 12, 30), 9);
	assert_int_equal(md_age_on(&b, 1990, 12, 31), 10);
	assert_int_equal(md_age_on(&b, 1980, 6, 1), -1);
	assert_int_equal(md_age_on(&b, 1980, 12, 31), 0);
	b = birth("0000-00-00");
	assert_int_equal(md_age_on(&b, 2026, 4, 1), -1);
	/* Not a calendar date. */
	b = birth("2000-02-29");
	assert_int_equal(md_age_on(&b, 2001, 2, 29), -1);
	assert_int_equal(md_age_on(&b, 2001, 13, 1), -1);
	assert_int_equal(md_age_on(&b, 2001, 0, 1), -1);
	assert_int_equal(md_age_on(&b, 2001, 1, 0), -1);
}

static void test_days_between(void **state)
{
	struct md_date a, b;

	(void)state;
	a = iso("1980-03-14");
	b = iso("1980-03-15");
	assert_int_equal(md_days_between(&a, &b), 1);
	assert_int_equal(md_days_between(&b, &a), -1);
	assert_int_equal(md_days_between(&a, &a), 0);
	a = iso("2000-02-28");
	b = iso("2000-03-01");
	assert_int_equal(md_days_between(&a, &b), 2);
	a = iso("1900-02-28");
	b = iso("1900-03-01");
	assert_int_equal(md_days_between(&a, &b), 1);
	a = iso("1989-01-07");
	b = iso("2019-05-01");
	assert_int_equal(md_days_between(&a, &b), 11071);
	a = iso("1873-01-01");
	b = iso("1874-01-01");
	assert_int_equal(md_days_between(&a, &b), 365);
	b = iso("1980-03-00");
	assert_int_equal(md_days_between(&a, &b), MD_DAYS_UNKNOWN);
	assert_int_equal(md_days_between(&b, &a), MD_DAYS_UNKNOWN);
	b = iso("0000-00-00");
	assert_int_equal(md_days_between(&a, &b), MD_DAYS_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_table),
		cmocka_unit_test_teardown(test_data_file_matches, reset_eras),
		cmocka_unit_test_teardown(test_fictional_era, reset_eras),
		cmocka_unit_test_teardown(test_table_starting_late, reset_eras),
		cmocka_unit_test_teardown(test_table_errors, reset_eras),
		cmocka_unit_test(test_era_boundaries),
		cmocka_unit_test(test_partial_dates_and_eras),
		cmocka_unit_test(test_first_year),
		cmocka_unit_test(test_year_zero),
		cmocka_unit_test(test_input_forms),
		cmocka_unit_test(test_full_width),
		cmocka_unit_test(test_unknown_parts),
		cmocka_unit_test(test_circa),
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_earliest_date),
		cmocka_unit_test(test_junk),
		cmocka_unit_test(test_null_out),
		cmocka_unit_test(test_iso),
		cmocka_unit_test(test_format_wareki),
		cmocka_unit_test(test_format_western),
		cmocka_unit_test(test_era_of_date),
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_cmp),
		cmocka_unit_test(test_after_today),
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_days_between),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
