/* test_lineedit.c: the pure UI state of text fields (layer 2): column widths,
 * fitting, the UTF-8 codec and line editing with Japanese text. */
#include "config.h"

#include <locale.h>
#include <wchar.h>

#include "testutil.h"
#include "lineedit.h"
#include "textwidth.h"
#include "xalloc.h"

#define FFFD_UTF8 "\xEF\xBF\xBD"

static int setup(void **state)
{
	/* wcwidth() needs a UTF-8 LC_CTYPE to know that a kanji is two columns. */
	if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, "C.utf8"))
		return -1;
	return 0;
}

/* ---- helpers ------------------------------------------------------------ */

static void type(struct lineedit *le, const wchar_t *s)
{
	for (; *s; s++)
		assert_true(le_insert(le, *s));
}

static void assert_text(const struct lineedit *le, const char *want)
{
	char *got = le_get_utf8(le);
	assert_string_equal(got, want);
	free(got);
}

/* Checks everything a drawn field must satisfy: exactly field_cols columns,
 * the visible text is buf[scroll..] cut at a whole character and padded with
 * spaces, and the cursor column is inside the field with its character fully
 * shown. Returns the cursor column. */
static int check_view(struct lineedit *le, int cols)
{
	wchar_t out[256];
	size_t n = le_view(le, cols, out, sizeof out / sizeof out[0], NULL);
	int cc = -1, w = 0;
	size_t i, vis;

	le_view(le, cols, out, sizeof out / sizeof out[0], &cc);
	assert_int_equal(wcslen(out), n);
	assert_int_equal(tw_wwidth(out, n), cols);
	assert_true(le->scroll <= le->cursor);
	/* The visible characters are exactly the text from the scroll offset. */
	for (vis = 0; vis < n && le->scroll + vis < le->len; vis++) {
		wchar_t want = le->masked ? L'*' : le->buf[le->scroll + vis];
		if (out[vis] != want)
			break;
		w += tw_wcwidth(out[vis]);
	}
	for (i = vis; i < n; i++)
		assert_true(out[i] == L' ');
	/* Never half a wide character: the next one would not have fitted. */
	if (le->scroll + vis < le->len && !le->masked)
		assert_true(w + tw_wcwidth(le->buf[le->scroll + vis]) > cols);
	/* The cursor is at its real column and its character is shown whole. */
	assert_true(cc >= 0 && cc < cols);
	if (le->masked)
		assert_int_equal(cc, (int)(le->cursor - le->scroll));
	else
		assert_int_equal(cc, tw_wwidth(le->buf + le->scroll, le->cursor - le->scroll));
	if (le->cursor < le->len && !le->masked && tw_wcwidth(le->buf[le->cursor]) <= cols)
		assert_true(cc + tw_wcwidth(le->buf[le->cursor]) <= cols);
	return cc;
}

/* ---- textwidth ---------------------------------------------------------- */

static void test_width_basic(void **state)
{
	assert_int_equal(tw_width(NULL), 0);
	assert_int_equal(tw_width(""), 0);
	assert_int_equal(tw_width("Taro"), 4);
	assert_int_equal(tw_width("山田"), 4);
	assert_int_equal(tw_width("やまだ"), 6);
	assert_int_equal(tw_width("ヤマダ"), 6);
	assert_int_equal(tw_width("ｶﾀｶﾅ"), 4);
	assert_int_equal(tw_width("ﾀﾞ"), 2); /* half-width dakuten is a cell of its own */
	assert_int_equal(tw_width("ＡＢ"), 4); /* full-width Latin */
	assert_int_equal(tw_width("山田　太郎"), 10); /* ideographic space */
	assert_int_equal(tw_width("ﾔﾏﾀﾞ 山田 Taro"), 14);
	assert_int_equal(tw_width("𠮷野家"), 6); /* U+20BB7, four UTF-8 bytes */
	assert_int_equal(tw_width("a\tb\n"), 2); /* controls count 0 */
	assert_int_equal(tw_width("か\xE3\x82\x99"), 2); /* combining dakuten counts 0 */
}

static void test_width_invalid(void **state)
{
	assert_int_equal(tw_width("\xFF"), 1);
	assert_int_equal(tw_width("\xFF\xFE"), 2);
	assert_int_equal(tw_width("a\xFF" "b"), 3);
	assert_int_equal(tw_width("\xE5\xB1"), 2);      /* 山 cut short */
	assert_int_equal(tw_width("山\xE7\x94"), 4);    /* 田 cut short at the end */
	assert_int_equal(tw_width("\xC0\xAF"), 2);      /* overlong '/' */
	assert_int_equal(tw_width("\xE0\x80\xAF"), 3);  /* overlong '/' */
	assert_int_equal(tw_width("\xED\xA0\x80"), 3);  /* a surrogate */
	assert_int_equal(tw_width("\xF4\x90\x80\x80"), 4); /* past U+10FFFF */
	assert_int_equal(tw_width("\x80\xBF"), 2);      /* lone continuations */
	assert_int_equal(tw_width(FFFD_UTF8), 1);       /* a real U+FFFD */
}

static void test_wwidth(void **state)
{
	assert_int_equal(tw_wwidth(L"山田太郎", 4), 8);
	assert_int_equal(tw_wwidth(L"山田太郎", 2), 4);
	assert_int_equal(tw_wwidth(L"山田太郎", 100), 8); /* stops at L'\0' */
	assert_int_equal(tw_wwidth(L"ｶﾀｶﾅ山", 5), 6);
	assert_int_equal(tw_wwidth(L"a\x1b" L"b", 3), 2);
	assert_int_equal(tw_wwidth(NULL, 3), 0);
	assert_int_equal(tw_wcwidth(L'山'), 2);
	assert_int_equal(tw_wcwidth(L'ｶ'), 1);
	assert_int_equal(tw_wcwidth(L'\n'), 0);
	assert_int_equal(tw_wcwidth(TW_REPLACEMENT), 1);
}

static void test_codec(void **state)
{
	char buf[4];
	wchar_t c;

	assert_int_equal(tw_utf8_decode1("A", 1, &c), 1);
	assert_true(c == L'A');
	assert_int_equal(tw_utf8_decode1("é", 2, &c), 2);
	assert_true(c == (wchar_t)0xE9);
	assert_int_equal(tw_utf8_decode1("山田", 6, &c), 3);
	assert_true(c == L'山');
	assert_int_equal(tw_utf8_decode1("𠮷", 4, &c), 4);
	assert_true(c == (wchar_t)0x20BB7);
	/* A sequence longer than the bytes available is invalid, one byte used. */
	assert_int_equal(tw_utf8_decode1("山", 2, &c), 1);
	assert_true(c == TW_REPLACEMENT);
	assert_int_equal(tw_utf8_decode1("\xF5\x80\x80\x80", 4, &c), 1);
	assert_true(c == TW_REPLACEMENT);
	assert_int_equal(tw_utf8_decode1("", 0, &c), 0);

	assert_int_equal(tw_utf8_encode1(L'A', buf), 1);
	assert_memory_equal(buf, "A", 1);
	assert_int_equal(tw_utf8_encode1(L'山', buf), 3);
	assert_memory_equal(buf, "山", 3);
	assert_int_equal(tw_utf8_encode1((wchar_t)0x20BB7, buf), 4);
	assert_memory_equal(buf, "𠮷", 4);
	assert_int_equal(tw_utf8_encode1((wchar_t)0xD800, buf), 3);
	assert_memory_equal(buf, FFFD_UTF8, 3);
	assert_int_equal(tw_utf8_encode1((wchar_t)0x110000, buf), 3);
	assert_memory_equal(buf, FFFD_UTF8, 3);
	assert_int_equal(tw_utf8_encode1((wchar_t)-1, buf), 3);
	assert_memory_equal(buf, FFFD_UTF8, 3);

	assert_true(tw_utf8_valid("山田 ﾀﾛｳ 𠮷 " FFFD_UTF8));
	assert_true(tw_utf8_valid(""));
	assert_false(tw_utf8_valid("山\xFF"));
	assert_false(tw_utf8_valid("\xC0\xAF"));
	assert_false(tw_utf8_valid("\xED\xA0\x80"));
}

static void test_conversion_ignores_locale(void **state)
{
	const char *s = "山田ﾀﾛｳ𠮷";
	wchar_t *w;
	char *back;
	size_t n = 99;

	/* Under the C locale mbstowcs() would fail; these do not care. */
	assert_non_null(setlocale(LC_CTYPE, "C"));
	w = tw_utf8_to_wcs(s, &n);
	assert_int_equal(n, 6);
	assert_true(w[0] == L'山' && w[2] == L'ﾀ' && w[5] == (wchar_t)0x20BB7);
	assert_true(w[6] == L'\0');
	back = tw_wcs_to_utf8(w, n);
	assert_string_equal(back, s);
	free(back);
	/* The first three characters only. */
	back = tw_wcs_to_utf8(w, 3);
	assert_string_equal(back, "山田ﾀ");
	free(back);
	free(w);
	/* An invalid byte still counts one column in any locale. */
	assert_int_equal(tw_width("\xFF"), 1);
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));

	w = tw_utf8_to_wcs("a\xFF山\xE7\x94", &n);
	assert_int_equal(n, 5);
	assert_true(w[0] == L'a' && w[1] == TW_REPLACEMENT && w[2] == L'山' &&
		    w[3] == TW_REPLACEMENT && w[4] == TW_REPLACEMENT);
	back = tw_wcs_to_utf8(w, n);
	assert_string_equal(back, "a" FFFD_UTF8 "山" FFFD_UTF8 FFFD_UTF8);
	free(back);
	free(w);

	w = tw_utf8_to_wcs(NULL, NULL);
	assert_true(w[0] == L'\0');
	free(w);
	back = tw_wcs_to_utf8(NULL, 5);
	assert_string_equal(back, "");
	free(back);
}

static void test_fit_never_splits_kanji(void **state)
{
	static const struct {
		const char *in;
		int cols;
		const char *want;
	} cases[] = {
		{ "山田太郎", 5, "山田" },
		{ "山田太郎", 4, "山田" },
		{ "山田太郎", 3, "山" },
		{ "山田太郎", 1, "" },
		{ "山田太郎", 0, "" },
		{ "山田太郎", -3, "" },
		{ "山田太郎", 8, "山田太郎" },
		{ "山田太郎", 80, "山田太郎" },
		{ "aｶ山b", 2, "aｶ" },
		{ "aｶ山b", 3, "aｶ" },
		{ "aｶ山b", 4, "aｶ山" },
		{ "aｶ山b", 5, "aｶ山b" },
		{ "ﾔﾏﾀﾞ ﾀﾛｳ", 4, "ﾔﾏﾀﾞ" },
		{ "か\xE3\x82\x99き", 2, "か\xE3\x82\x99" }, /* the mark stays with its kana */
		{ "\xFF山", 1, FFFD_UTF8 },
		{ "\xFF山", 3, FFFD_UTF8 "山" },
		{ "", 5, "" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = tw_fit(cases[i].in, cases[i].cols);
		assert_string_equal(got, cases[i].want);
		assert_true(tw_width(got) <= (cases[i].cols < 0 ? 0 : cases[i].cols));
		free(got);
	}
	{
		char *got = tw_fit(NULL, 3);
		assert_string_equal(got, "");
		free(got);
	}
}

static void test_fit_ellipsis(void **state)
{
	static const struct {
		const char *in;
		int cols;
		const char *want;
	} cases[] = {
		{ "山田太郎", 8, "山田太郎" },   /* fits: unchanged */
		{ "山田太郎", 7, "山田太…" },
		{ "山田太郎", 6, "山田…" },      /* 5 columns: never half a kanji */
		{ "山田太郎", 5, "山田…" },
		{ "山田太郎", 2, "…" },
		{ "山田太郎", 1, "…" },
		{ "山田太郎", 0, "" },
		{ "Suzuki", 4, "Suz…" },
		{ "ｽｽﾞｷ", 3, "ｽｽ…" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = tw_fit_ellipsis(cases[i].in, cases[i].cols);
		assert_string_equal(got, cases[i].want);
		assert_true(tw_width(got) <= cases[i].cols);
		free(got);
	}
}

static void test_pad_exact_width(void **state)
{
	static const char *const inputs[] = {
		"山田太郎", "aｶ山b", "ﾔﾏﾀﾞ 山田 Taro", "", "\xFF\xE5\xB1山", "𠮷野家",
	};
	size_t i;
	int cols;
	char *got;

	got = tw_pad("山田", 5);
	assert_string_equal(got, "山田 ");
	free(got);
	got = tw_pad("山田太郎", 5);
	assert_string_equal(got, "山田 ");
	free(got);
	got = tw_pad("ｶﾅ", 4);
	assert_string_equal(got, "ｶﾅ  ");
	free(got);
	got = tw_pad(NULL, 3);
	assert_string_equal(got, "   ");
	free(got);
	got = tw_pad("山", -1);
	assert_string_equal(got, "");
	free(got);

	for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
		for (cols = 0; cols <= 20; cols++) {
			got = tw_pad(inputs[i], cols);
			assert_int_equal(tw_width(got), cols);
			assert_true(tw_utf8_valid(got));
			free(got);
		}
}

/* ---- lineedit: typing and moving ---------------------------------------- */

static void test_type_name(void **state)
{
	struct lineedit le;
	wchar_t out[32];
	int cc;

	le_init(&le, 40);
	assert_int_equal(le.len, 0);
	assert_text(&le, "");
	type(&le, L"山田 太郎");
	assert_int_equal(le.len, 5);
	assert_int_equal(le.cursor, 5);
	assert_int_equal(le_width(&le), 9);
	assert_text(&le, "山田 太郎");
	le_view(&le, 20, out, 32, &cc);
	assert_int_equal(cc, 9);
	assert_true(wcscmp(out, L"山田 太郎           ") == 0);

	/* Two to the left is before 太: backspace removes the space. */
	assert_true(le_left(&le));
	assert_true(le_left(&le));
	assert_int_equal(le.cursor, 3);
	assert_int_equal(check_view(&le, 20), 5);
	assert_true(le_backspace(&le));
	assert_text(&le, "山田太郎");
	assert_int_equal(le.cursor, 2);
	assert_int_equal(check_view(&le, 20), 4);
	le_release(&le);
	assert_null(le.buf);
}

static void test_backspace_removes_kanji(void **state)
{
	struct lineedit le;

	le_init(&le, 40);
	type(&le, L"山田太郎");
	assert_int_equal(check_view(&le, 20), 8);
	le_left(&le);
	le_left(&le);
	assert_int_equal(check_view(&le, 20), 4); /* two kanji before it */
	assert_true(le_backspace(&le));           /* the kanji left of the cursor */
	assert_text(&le, "山太郎");
	assert_int_equal(le.cursor, 1);
	assert_int_equal(check_view(&le, 20), 2);
	assert_true(le_delete(&le));              /* the kanji under the cursor */
	assert_text(&le, "山郎");
	assert_int_equal(le.cursor, 1);
	assert_true(le_insert(&le, L'太'));
	assert_text(&le, "山太郎");
	assert_int_equal(check_view(&le, 20), 4);
	le_release(&le);
}

static void test_insert_middle(void **state)
{
	struct lineedit le;

	le_init(&le, 40);
	type(&le, L"東京都区");
	le_left(&le);
	type(&le, L"千代田");
	assert_text(&le, "東京都千代田区");
	assert_int_equal(le.cursor, 6);
	assert_int_equal(check_view(&le, 20), 12);
	assert_true(le_home(&le));
	assert_false(le_home(&le));
	assert_true(le_insert(&le, L'〒'));
	assert_text(&le, "〒東京都千代田区");
	assert_true(le_end(&le));
	assert_false(le_end(&le));
	assert_true(le_insert(&le, L'ｱ'));
	assert_text(&le, "〒東京都千代田区ｱ");
	assert_int_equal(check_view(&le, 30), 17);
	le_release(&le);
}

static void test_mixed_columns(void **state)
{
	struct lineedit le;
	static const int cols[] = { 0, 1, 2, 4, 5, 6, 7, 8, 10 };
	size_t i;

	le_init(&le, 40);
	le_set_utf8(&le, "aｶ山 ﾀﾞb𠮷");
	assert_int_equal(le.len, 8);
	assert_int_equal(le_width(&le), 10);
	le_home(&le);
	for (i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		assert_int_equal(check_view(&le, 30), cols[i]);
		if (i + 1 < sizeof cols / sizeof cols[0])
			assert_true(le_right(&le));
	}
	assert_false(le_right(&le));
	assert_false(le_delete(&le));
	for (i = sizeof cols / sizeof cols[0]; i-- > 1;) {
		assert_true(le_left(&le));
		assert_int_equal(check_view(&le, 30), cols[i - 1]);
	}
	assert_false(le_left(&le));
	assert_false(le_backspace(&le));
	le_release(&le);
}

/* ---- lineedit: scrolling ------------------------------------------------ */

static void test_scroll_long_japanese(void **state)
{
	struct lineedit le;
	wchar_t out[16];
	int cc, steps;

	le_init(&le, 100);
	le_set_utf8(&le, "東京都千代田区霞が関一丁目");
	assert_int_equal(le.len, 13);

	/* At the end: the last four kanji and the cursor after them. */
	le_view(&le, 10, out, 16, &cc);
	assert_true(wcscmp(out, L"関一丁目  ") == 0);
	assert_int_equal(cc, 8);
	check_view(&le, 10);

	/* Home shows the start; 代 fits exactly at the right edge. */
	le_home(&le);
	le_view(&le, 10, out, 16, &cc);
	assert_true(wcscmp(out, L"東京都千代") == 0);
	assert_int_equal(cc, 0);

	/* Walk right and back: the cursor is always inside, never half a kanji. */
	for (steps = 0; le_right(&le); steps++)
		check_view(&le, 10);
	assert_int_equal(steps, 13);
	for (steps = 0; le_left(&le); steps++)
		check_view(&le, 10);
	assert_int_equal(steps, 13);
	assert_int_equal(le.scroll, 0);

	/* An odd width: a kanji that would straddle the edge is not shown. */
	le_view(&le, 9, out, 16, &cc);
	assert_true(wcscmp(out, L"東京都千 ") == 0);
	for (steps = 0; le_right(&le); steps++)
		check_view(&le, 9);
	le_view(&le, 9, out, 16, &cc);
	assert_true(wcscmp(out, L"関一丁目 ") == 0);
	assert_int_equal(cc, 8);
	le_release(&le);
}

static void test_scroll_mixed_edges(void **state)
{
	struct lineedit le;
	int width, steps;

	le_init(&le, 100);
	le_set_utf8(&le, "aあbいｶうｷえ1お2か3き");
	for (width = 1; width <= 12; width++) {
		le_end(&le);
		check_view(&le, width);
		for (steps = 0; le_left(&le); steps++)
			check_view(&le, width);
		for (steps = 0; le_right(&le); steps++)
			check_view(&le, width);
	}
	le_release(&le);
}

static void test_scroll_refills_after_delete(void **state)
{
	struct lineedit le;

	le_init(&le, 100);
	type(&le, L"東京都千代田区霞が関");
	check_view(&le, 10);
	assert_true(le.scroll > 0);
	/* Deleting at the end brings hidden text back into the field. */
	while (le.len > 4)
		le_backspace(&le);
	check_view(&le, 10);
	assert_int_equal(le.scroll, 0);

	/* Kill to start from the middle: what is left is shown from its start. */
	le_set_utf8(&le, "東京都千代田区霞が関");
	check_view(&le, 10);
	le_left(&le);
	le_left(&le);
	assert_true(le_kill_start(&le));
	assert_text(&le, "が関");
	assert_int_equal(check_view(&le, 10), 0);
	assert_int_equal(le.scroll, 0);
	le_release(&le);
}

static void test_view_tiny_fields(void **state)
{
	struct lineedit le;
	wchar_t out[8];
	int cc = -1;
	size_t n;
	char *s;

	le_init(&le, 10);
	type(&le, L"山田");
	le_home(&le);
	/* One column cannot show a kanji: a blank, the cursor on it. */
	n = le_view(&le, 1, out, 8, &cc);
	assert_int_equal(n, 1);
	assert_true(wcscmp(out, L" ") == 0);
	assert_int_equal(cc, 0);
	le_end(&le);
	n = le_view(&le, 1, out, 8, &cc);
	assert_true(wcscmp(out, L" ") == 0);
	assert_int_equal(cc, 0);
	n = le_view(&le, 2, out, 8, &cc);
	assert_true(wcscmp(out, L"  ") == 0);
	assert_int_equal(cc, 0);
	le_left(&le);
	n = le_view(&le, 2, out, 8, &cc);
	assert_true(wcscmp(out, L"田") == 0);
	assert_int_equal(cc, 0);
	n = le_view(&le, 0, out, 8, &cc);
	assert_int_equal(n, 0);
	assert_int_equal(cc, 0);
	/* No room at all, and just room for the padding. */
	assert_int_equal(le_view(&le, 5, out, 0, &cc), 0);
	n = le_view(&le, 5, out, 6, &cc);
	assert_int_equal(tw_wwidth(out, n), 5);
	/* Too small a buffer cuts the text but never overflows. */
	n = le_view(&le, 6, out, 3, &cc);
	assert_true(n <= 2);
	assert_true(out[n] == L'\0');

	s = le_view_utf8(&le, 6, &cc);
	assert_string_equal(s, "山田  ");
	assert_int_equal(cc, 2);
	free(s);
	le_release(&le);
}

/* ---- lineedit: limits, controls, masking -------------------------------- */

static void test_max_length(void **state)
{
	struct lineedit le;

	le_init(&le, 4);
	type(&le, L"山田太郎");
	assert_false(le_insert(&le, L'様'));
	assert_false(le_insert(&le, L'a'));
	assert_text(&le, "山田太郎");
	assert_int_equal(le.cursor, 4);
	le_home(&le);
	assert_false(le_insert(&le, L'様'));
	assert_text(&le, "山田太郎");
	assert_int_equal(le.cursor, 0);
	le_release(&le);

	/* A limit in columns: three kanji fill six, then nothing more fits. */
	le_init(&le, 20);
	le_set_maxcols(&le, 6);
	type(&le, L"山田太");
	assert_false(le_insert(&le, L'郎'));
	assert_false(le_insert(&le, L'a'));
	le_set_maxcols(&le, 7);
	assert_false(le_insert(&le, L'郎'));
	assert_true(le_insert(&le, L'ｱ'));
	assert_text(&le, "山田太ｱ");
	le_release(&le);

	/* A field of no characters at all. */
	le_init(&le, 0);
	assert_false(le_insert(&le, L'a'));
	assert_false(le_set_utf8(&le, "a"));
	assert_text(&le, "");
	le_release(&le);
}

static void test_refuses_controls(void **state)
{
	static const wchar_t bad[] = {
		L'\0', L'\t', L'\n', L'\r', 0x1B, 0x7F, 0x85, 0x9F,
		(wchar_t)0xD800, (wchar_t)0xDFFF, (wchar_t)0x110000, (wchar_t)-1,
	};
	struct lineedit le;
	size_t i;

	le_init(&le, 10);
	type(&le, L"山田");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_false(le_acceptable(bad[i]));
		assert_false(le_insert(&le, bad[i]));
	}
	assert_text(&le, "山田");
	assert_int_equal(le.cursor, 2);
	assert_true(le_acceptable(L' '));
	assert_true(le_acceptable(L'　'));
	assert_true(le_acceptable(L'ｶ'));
	assert_true(le_acceptable((wchar_t)0x20BB7));
	assert_true(le_acceptable(TW_REPLACEMENT));
	le_release(&le);
}

static void test_masked(void **state)
{
	struct lineedit le;
	wchar_t out[16];
	int cc;
	char *s;

	le_init(&le, 64);
	le_set_masked(&le, true);
	type(&le, L"pa山ｶ");
	assert_int_equal(le_width(&le), 4);
	le_view(&le, 8, out, 16, &cc);
	assert_true(wcscmp(out, L"****    ") == 0);
	assert_int_equal(cc, 4);
	le_left(&le);
	le_view(&le, 8, out, 16, &cc);
	assert_int_equal(cc, 3); /* the kanji counts one column when masked */
	le_end(&le);
	s = le_get_utf8(&le);
	assert_string_equal(s, "pa山ｶ");
	md_free_secret(&s);
	assert_null(s);

	/* A long password scrolls one column per character. */
	type(&le, L"秘密のパスワード");
	le_view(&le, 5, out, 16, &cc);
	assert_true(wcscmp(out, L"**** ") == 0);
	assert_int_equal(cc, 4);
	check_view(&le, 5);
	le_home(&le);
	le_view(&le, 5, out, 16, &cc);
	assert_true(wcscmp(out, L"*****") == 0);
	assert_int_equal(cc, 0);
	while (le_right(&le))
		check_view(&le, 5);

	/* Ctrl-W does not reveal where the spaces are. */
	le_set_utf8(&le, "correct horse");
	assert_true(le_delete_word(&le));
	assert_text(&le, "");

	/* Turning masking off shows the text again. */
	le_set_utf8(&le, "山田");
	le_set_masked(&le, false);
	le_view(&le, 5, out, 16, &cc);
	assert_true(wcscmp(out, L"山田 ") == 0);
	assert_int_equal(cc, 4);
	le_release(&le);
}

/* ---- lineedit: killing -------------------------------------------------- */

static void test_kill(void **state)
{
	struct lineedit le;

	le_init(&le, 40);
	type(&le, L"山田 太郎");
	le_home(&le);
	le_right(&le);
	le_right(&le);
	assert_true(le_kill_end(&le));
	assert_text(&le, "山田");
	assert_int_equal(le.cursor, 2);
	assert_false(le_kill_end(&le));

	le_set_utf8(&le, "山田 太郎");
	le_left(&le);
	le_left(&le);
	assert_true(le_kill_start(&le));
	assert_text(&le, "太郎");
	assert_int_equal(le.cursor, 0);
	assert_false(le_kill_start(&le));

	assert_true(le_clear(&le));
	assert_text(&le, "");
	assert_int_equal(le.cursor, 0);
	assert_false(le_clear(&le));
	le_release(&le);
}

static void test_delete_word(void **state)
{
	struct lineedit le;

	le_init(&le, 40);
	type(&le, L"山田 太郎");
	assert_true(le_delete_word(&le));
	assert_text(&le, "山田 ");
	assert_true(le_delete_word(&le)); /* the space, then 山田 */
	assert_text(&le, "");
	assert_false(le_delete_word(&le));

	/* The ideographic space separates words too; trailing spaces go with the word. */
	le_set_utf8(&le, "住所　東京都　　");
	assert_true(le_delete_word(&le));
	assert_text(&le, "住所　");
	assert_int_equal(le.cursor, 3);

	/* In the middle: only the word before the cursor goes. */
	le_set_utf8(&le, "abc def ghi");
	le_left(&le);
	le_left(&le);
	le_left(&le);
	le_left(&le);
	assert_true(le_delete_word(&le));
	assert_text(&le, "abc  ghi");
	assert_int_equal(le.cursor, 4);

	/* Japanese has no spaces between words: the whole run goes. */
	le_set_utf8(&le, "ﾔﾏﾀﾞﾀﾛｳ");
	assert_true(le_delete_word(&le));
	assert_text(&le, "");
	le_release(&le);
}

/* ---- lineedit: setting text --------------------------------------------- */

static void test_set_utf8(void **state)
{
	struct lineedit le;
	wchar_t out[16];
	int cc;

	le_init(&le, 8);
	assert_true(le_set_utf8(&le, "山田 ﾀﾛｳ"));
	assert_text(&le, "山田 ﾀﾛｳ");
	assert_int_equal(le.cursor, 6);
	assert_true(le_set_utf8(&le, ""));
	assert_text(&le, "");
	assert_true(le_set_utf8(&le, NULL));
	assert_int_equal(le.len, 0);

	/* Invalid bytes become U+FFFD, one column each, and are reported. */
	assert_false(le_set_utf8(&le, "山\xFF田"));
	assert_text(&le, "山" FFFD_UTF8 "田");
	assert_int_equal(le_width(&le), 5);
	le_view(&le, 10, out, 16, &cc);
	assert_int_equal(cc, 5);
	assert_false(le_set_utf8(&le, "山\xE7\x94"));
	assert_text(&le, "山" FFFD_UTF8 FFFD_UTF8);
	assert_false(le_set_utf8(&le, "\xC0\xAF\xED\xA0\x80"));
	assert_int_equal(le.len, 5);
	/* A real U+FFFD is valid text. */
	assert_true(le_set_utf8(&le, FFFD_UTF8));
	/* Control characters are replaced too. */
	assert_false(le_set_utf8(&le, "a\nb\tc"));
	assert_text(&le, "a" FFFD_UTF8 "b" FFFD_UTF8 "c");

	/* Too long: cut at the limit. */
	assert_false(le_set_utf8(&le, "東京都千代田区霞が関一丁目"));
	assert_text(&le, "東京都千代田区霞");
	assert_int_equal(le.cursor, 8);
	le_set_maxcols(&le, 5);
	assert_false(le_set_utf8(&le, "山田太郎"));
	assert_text(&le, "山田");
	assert_true(le_set_utf8(&le, "山田ｱ"));
	le_release(&le);
}

/* ---- lineedit: zero-width characters stay with their base --------------- */

static void test_variation_selector(void **state)
{
	/* 葛 followed by the variation selector U+E0100, as in 葛飾区's own glyph. */
	const char *katsu = "葛\xF3\xA0\x84\x80";
	struct lineedit le;
	char *s;

	le_init(&le, 10);
	s = xasprintf("%s飾", katsu);
	assert_true(le_set_utf8(&le, s));
	assert_int_equal(le.len, 3);
	assert_int_equal(le_width(&le), 4);
	assert_int_equal(check_view(&le, 10), 4);
	assert_true(le_left(&le));
	assert_int_equal(le.cursor, 2);
	assert_true(le_left(&le));
	assert_int_equal(le.cursor, 0); /* over the selector with its kanji */
	assert_true(le_right(&le));
	assert_int_equal(le.cursor, 2);
	assert_int_equal(check_view(&le, 10), 2);
	assert_true(le_backspace(&le)); /* removes both */
	assert_text(&le, "飾");
	assert_true(le_set_utf8(&le, s));
	le_home(&le);
	assert_true(le_delete(&le));
	assert_text(&le, "飾");
	/* Typing the selector after a kanji keeps the cursor after both. */
	le_home(&le);
	assert_true(le_insert(&le, L'葛'));
	assert_true(le_insert(&le, (wchar_t)0xE0100));
	assert_int_equal(le.cursor, 2);
	assert_text(&le, s);
	/* Cut by the limit, a selector takes its kanji with it. */
	le_release(&le);
	le_init(&le, 2);
	assert_false(le_set_utf8(&le, s));
	assert_text(&le, katsu);
	le_release(&le);
	le_init(&le, 1);
	assert_false(le_set_utf8(&le, s));
	assert_text(&le, "");
	le_release(&le);
	/* Masked, each character is its own cell. */
	le_init(&le, 10);
	le_set_masked(&le, true);
	le_set_utf8(&le, s);
	assert_int_equal(le_width(&le), 3);
	le_left(&le);
	le_left(&le);
	assert_int_equal(le.cursor, 1);
	le_set_masked(&le, false); /* the cursor moves off the selector */
	assert_int_equal(le.cursor, 2);
	le_release(&le);
	free(s);
}

/* ---- a long deterministic random walk over every operation ------------- */

static void test_random_operations(void **state)
{
	static const wchar_t alphabet[] = {
		L'a', L'Z', L' ', L'山', L'田', L'ｶ', L'ﾞ', L'　', L'ー', (wchar_t)0x20BB7,
		(wchar_t)0xE0100, (wchar_t)0x3099, L'\n', (wchar_t)0x1B,
	};
	struct lineedit le;
	unsigned long seed = 20240401;
	int i, width = 10;

	le_init(&le, 24);
	for (i = 0; i < 20000; i++) {
		unsigned op;
		size_t before = le.len;
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		op = (unsigned)(seed >> 33) % 16;
		switch (op) {
		case 0: case 1: case 2: case 3: case 4:
			le_insert(&le, alphabet[(seed >> 40) % (sizeof alphabet / sizeof alphabet[0])]);
			break;
		case 5: le_backspace(&le); break;
		case 6: le_delete(&le); break;
		case 7: le_left(&le); break;
		case 8: le_right(&le); break;
		case 9: if ((seed >> 45) % 8 == 0) le_home(&le); break;
		case 10: if ((seed >> 45) % 8 == 0) le_end(&le); break;
		case 11: if ((seed >> 45) % 16 == 0) le_kill_end(&le); break;
		case 12: if ((seed >> 45) % 16 == 0) le_kill_start(&le); break;
		case 13: if ((seed >> 45) % 8 == 0) le_delete_word(&le); break;
		case 14: if ((seed >> 45) % 64 == 0) le_set_masked(&le, !le.masked); break;
		default: width = 1 + (int)((seed >> 45) % 14); break;
		}
		assert_true(le.len <= le.max && le.cursor <= le.len);
		assert_true(le.buf[le.len] == L'\0');
		assert_true(le.len <= before + 1);
		check_view(&le, width);
	}
	le_release(&le);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width_basic),
		cmocka_unit_test(test_width_invalid),
		cmocka_unit_test(test_wwidth),
		cmocka_unit_test(test_codec),
		cmocka_unit_test(test_conversion_ignores_locale),
		cmocka_unit_test(test_fit_never_splits_kanji),
		cmocka_unit_test(test_fit_ellipsis),
		cmocka_unit_test(test_pad_exact_width),
		cmocka_unit_test(test_type_name),
		cmocka_unit_test(test_backspace_removes_kanji),
		cmocka_unit_test(test_insert_middle),
		cmocka_unit_test(test_mixed_columns),
		cmocka_unit_test(test_scroll_long_japanese),
		cmocka_unit_test(test_scroll_mixed_edges),
		cmocka_unit_test(test_scroll_refills_after_delete),
		cmocka_unit_test(test_view_tiny_fields),
		cmocka_unit_test(test_max_length),
		cmocka_unit_test(test_refuses_controls),
		cmocka_unit_test(test_masked),
		cmocka_unit_test(test_kill),
		cmocka_unit_test(test_delete_word),
		cmocka_unit_test(test_set_utf8),
		cmocka_unit_test(test_variation_selector),
		cmocka_unit_test(test_random_operations),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
