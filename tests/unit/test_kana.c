/* test_kana.c: kana normalisation and kanji folding for search
 * (registry.md §6). */
#include "config.h"

#include <stdbool.h>

#include "testutil.h"

#include "kana.h"

/* ---- helpers ---- */

/* The key of input is want, and normalising the key again changes nothing. */
static void expect_key(const char *input, const char *want)
{
	char *k = md_kana_normalize(input), *k2;

	assert_non_null(k);
	if (strcmp(k, want) != 0)
		print_error("key of \"%s\" is \"%s\", want \"%s\"\n", input, k, want);
	assert_string_equal(k, want);
	k2 = md_kana_normalize(k);
	assert_string_equal(k2, k);
	free(k2);
	free(k);
}

static bool same_key(const char *a, const char *b)
{
	char *ka = md_kana_normalize(a), *kb = md_kana_normalize(b);
	bool same = strcmp(ka, kb) == 0;
	if (!same)
		print_error("\"%s\" → \"%s\", \"%s\" → \"%s\"\n", a, ka, b, kb);
	free(ka);
	free(kb);
	return same;
}

#define assert_same(a, b) assert_true(same_key((a), (b)))
#define assert_differ(a, b) assert_false(strcmp_keys((a), (b)) == 0)

static int strcmp_keys(const char *a, const char *b)
{
	char *ka = md_kana_normalize(a), *kb = md_kana_normalize(b);
	int c = strcmp(ka, kb);
	free(ka);
	free(kb);
	return c;
}

static void expect_katakana(const char *input, const char *want)
{
	char *k = md_kana_to_katakana(input), *k2;
	if (strcmp(k, want) != 0)
		print_error("katakana of \"%s\" is \"%s\", want \"%s\"\n", input, k, want);
	assert_string_equal(k, want);
	k2 = md_kana_to_katakana(k);
	assert_string_equal(k2, k);
	free(k2);
	free(k);
}

static void expect_fold(const char *input, const char *want)
{
	char *f = md_kanji_fold(input), *f2;
	if (strcmp(f, want) != 0)
		print_error("fold of \"%s\" is \"%s\", want \"%s\"\n", input, f, want);
	assert_string_equal(f, want);
	f2 = md_kanji_fold(f);
	assert_string_equal(f2, f);
	free(f2);
	free(f);
}

/* ---- the search key ---- */

static void test_key_examples(void **state)
{
	(void)state;
	expect_key("ヤマダ タロウ", "ヤマタタロオ");
	expect_key("やまだ　たろう", "ヤマタタロオ");
	expect_key("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマタタロオ");
	expect_key("トウキョウ", "トオキヨオ");
	expect_key("オオノ", "オオノ");
	expect_key("オウノ", "オオノ");
	expect_key("ガ", "カ");
	expect_key("パ", "ハ");
	expect_key("ヴ", "フ");
	expect_key("ヴァイオリン", "ハイオリン");
	expect_key("キャッシュ", "キヤツシユ");
	expect_key("", "");
	assert_null(md_kana_normalize(NULL));
}

/* ガ=カ ... ド=ト, バ=パ=ハ ... ボ=ポ=ホ, for every voiced kana, katakana
 * and hiragana. */
static void test_voiced(void **state)
{
	static const char *const rows[][2] = {
		{ "ガギグゲゴ", "カキクケコ" }, { "ザジズゼゾ", "サシスセソ" }, { "ダデド", "タテト" },
		{ "バビブベボ", "ハヒフヘホ" }, { "パピプペポ", "ハヒフヘホ" },
		{ "がぎぐげご", "カキクケコ" }, { "ざじずぜぞ", "サシスセソ" }, { "だでど", "タテト" },
		{ "ばびぶべぼ", "ハヒフヘホ" }, { "ぱぴぷぺぽ", "ハヒフヘホ" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		expect_key(rows[i][0], rows[i][1]);
	assert_same("ガ", "カ");
	assert_same("パ", "バ");
	assert_same("バ", "ハ");
	assert_same("パ", "ハ");
	assert_same("ヂ", "ジ");
	assert_same("ヂ", "シ");
	assert_same("ヅ", "ズ");
	assert_same("ヅ", "ス");
	assert_same("ぢ", "じ");
	assert_same("づ", "ず");
	assert_same("チヂミ", "チジミ");
	assert_same("ツヅキ", "ツズキ");
	expect_key("ヂ", "シ");
	expect_key("ヅ", "ス");
	assert_same("ヾ", "ヽ");
}

static void test_vu(void **state)
{
	(void)state;
	assert_same("ヴ", "ブ");
	assert_same("ヴァ", "バ");
	assert_same("ヴィ", "ビ");
	assert_same("ヴェ", "ベ");
	assert_same("ヴォ", "ボ");
	assert_same("ゔぁ", "バ");
	assert_same("ｳﾞｧ", "バ");
	assert_same("ウ\u3099ァ", "バ");
	assert_same("ヷ", "バ");
	assert_same("ヸ", "ビ");
	assert_same("ヹ", "ベ");
	assert_same("ヺ", "ボ");
	assert_same("ヴィクトリア", "ビクトリア");
	assert_same("ヴェルディ", "ベルディ");
	expect_key("ヴァ", "ハ");
	expect_key("ヴ", "フ");
	/* A large vowel after ヴ is a vowel of its own. */
	expect_key("ヴア", "フア");
	assert_differ("ヴア", "バ");
}

static void test_wo_wa(void **state)
{
	(void)state;
	assert_same("ヲ", "オ");
	assert_same("を", "お");
	assert_same("ｦ", "オ");
	assert_same("ヮ", "ワ");
	assert_same("ゎ", "わ");
	assert_same("ヰ", "イ");
	assert_same("ゐ", "い");
	assert_same("ヱ", "エ");
	assert_same("ゑ", "え");
}

static void test_small(void **state)
{
	static const char *const pairs[][2] = {
		{ "ッ", "ツ" }, { "ャ", "ヤ" }, { "ュ", "ユ" }, { "ョ", "ヨ" }, { "ァ", "ア" },
		{ "ィ", "イ" }, { "ゥ", "ウ" }, { "ェ", "エ" }, { "ォ", "オ" }, { "ヮ", "ワ" },
		{ "ヵ", "カ" }, { "ヶ", "ケ" }, { "っ", "つ" }, { "ゃ", "や" }, { "ゅ", "ゆ" },
		{ "ょ", "よ" }, { "ぁ", "あ" }, { "ゕ", "か" }, { "ゖ", "け" }, { "ｯ", "ツ" },
		{ "ｬ", "ヤ" }, { "ｭ", "ユ" }, { "ｮ", "ヨ" }, { "ｧ", "ア" }, { "ㇰ", "ク" },
		{ "ㇱ", "シ" }, { "ㇷ", "フ" }, { "ㇿ", "ロ" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
		assert_same(pairs[i][0], pairs[i][1]);
	assert_same("ハットリ", "ハツトリ");
	assert_same("キョウコ", "キヨウコ");
	assert_same("シュウジ", "シユウジ");
}

/* Every long-vowel-like mark, present or absent. */
static void test_long_marks(void **state)
{
	static const char *const marks[] = {
		"ー", "―", "－", "‐", "ｰ", "-", "\u2015", "\u2212", "\u30fc", "\uff0d", "\u2010",
		"\u2011", "\u2012", "\u2013", "\u2014",
	};
	(void)state;
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
		char a[64], b[64];
		snprintf(a, sizeof a, "オ%sノ", marks[i]);
		assert_same(a, "オノ");
		snprintf(a, sizeof a, "サト%s", marks[i]);
		assert_same(a, "サト");
		snprintf(b, sizeof b, "ﾕｳｷ%s", marks[i]);
		assert_same(b, "ユウキ");
		for (size_t j = 0; j < sizeof marks / sizeof marks[0]; j++) {
			snprintf(a, sizeof a, "コ%sヒ%s", marks[i], marks[j]);
			assert_same(a, "コヒ");
		}
	}
	expect_key("ジョージ", "シヨシ");
}

static void test_u_after_o_row(void **state)
{
	(void)state;
	assert_same("オオノ", "オウノ");
	assert_same("トウキョウ", "トオキョオ");
	assert_same("とうきょう", "トオキョオ");
	assert_same("ｺｳﾉ", "コオノ");
	/* Every kana of the お row. */
	expect_key("オウ", "オオ");
	expect_key("コウ", "コオ");
	expect_key("ソウ", "ソオ");
	expect_key("トウ", "トオ");
	expect_key("ノウ", "ノオ");
	expect_key("ホウ", "ホオ");
	expect_key("モウ", "モオ");
	expect_key("ヨウ", "ヨオ");
	expect_key("ロウ", "ロオ");
	/* After the steps before it: voiced, small, ヲ, ォ. */
	expect_key("ゴウ", "コオ");
	expect_key("ゾウ", "ソオ");
	expect_key("ドウ", "トオ");
	expect_key("ボウ", "ホオ");
	expect_key("ポウ", "ホオ");
	expect_key("ジョウ", "シヨオ");
	expect_key("キョウ", "キヨオ");
	expect_key("ヲウ", "オオ");
	expect_key("ォウ", "オオ");
	expect_key("ヴォウ", "ホオ");
	expect_key("コゥ", "コオ");
	/* Across spaces and long marks, which are gone by then. */
	expect_key("コーウ", "コオ");
	expect_key("サトウ タロウ", "サトオタロオ");
	/* Not after other rows. */
	expect_key("クウ", "クウ");
	expect_key("アウ", "アウ");
	expect_key("カウ", "カウ");
	expect_key("ユウ", "ユウ");
	expect_key("ウ", "ウ");
	expect_key("ウオ", "ウオ");
	/* Repeatedly: a ウ made オ is an お-row kana for the next. */
	expect_key("コウウン", "コオオン");
	expect_key("オウウ", "オオオ");
}

static void test_hiragana_katakana(void **state)
{
	(void)state;
	assert_same("やまだ", "ヤマダ");
	assert_same("さとう", "サトウ");
	assert_same("ゔ", "ヴ");
	assert_same("ゝ", "ヽ");
	assert_same("あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん",
	            "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン");
	assert_same("やまダ", "ヤマだ");
}

static void test_half_width(void **state)
{
	(void)state;
	assert_same("ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝ",
	            "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン");
	assert_same("ｶﾞ", "ガ");
	assert_same("ｶﾞ", "カ");
	expect_key("ｶﾞ", "カ");
	assert_same("ﾊﾟ", "パ");
	assert_same("ﾊﾞ", "バ");
	assert_same("ﾁﾞ", "ヂ");
	assert_same("ﾁﾞ", "ジ");
	assert_same("ﾂﾞ", "ズ");
	expect_key("ｳﾞ", "フ");
	assert_same("ｳﾞ", "ブ");
	assert_same("ﾔﾏﾀﾞ ﾀﾛｰ", "ヤマダ タロー");
	assert_same("ｼﾞｮﾝ･ｽﾐｽ", "ジョン・スミス");
	/* A mark that joins nothing is dropped. */
	expect_key("ｱﾞ", "ア");
	expect_key("ﾞ", "");
	expect_key("ﾟカ", "カ");
}

static void test_marks(void **state)
{
	(void)state;
	/* Combining (NFD input). */
	assert_same("カ\u3099", "ガ");
	assert_same("か\u3099", "が");
	assert_same("ハ\u309a", "パ");
	assert_same("ハ\u3099", "バ");
	expect_key("ウ\u3099", "フ");
	expect_key("う\u3099", "フ");
	/* Spacing ゛゜. */
	assert_same("カ゛", "ガ");
	assert_same("ハ゜", "パ");
	expect_key("ウ゛", "フ");
	expect_key("ワ゛", "ハ");
	/* Nothing to join: dropped. */
	expect_key("ア゛", "ア");
	expect_key("゛ア", "ア");
	expect_key("カ\u309a", "カ");
	expect_key("ン\u3099", "ン");
	/* Not across a space. */
	expect_key("ウ ゛", "ウ");
}

static void test_spaces(void **state)
{
	(void)state;
	assert_same("ヤマダ タロウ", "ヤマダタロウ");
	assert_same("ヤマダ　タロウ", "ヤマダタロウ");
	assert_same("ヤマダ\tタロウ", "ヤマダタロウ");
	assert_same("  ヤマダ   タロウ  ", "ヤマダタロウ");
	assert_same("　ヤマダ　　タロウ　", "ヤマダ タロウ");
	assert_same("ﾔﾏﾀﾞ ﾀﾛｳ", "やまだ　たろう");
	/* The middle dot between a foreign resident's names is that space. */
	assert_same("ジョン・スミス", "ジョン スミス");
	assert_same("ジョン・スミス", "ジョンスミス");
	assert_same("ジャン゠ポール", "ジャンポール");
}

static void test_not_equal(void **state)
{
	(void)state;
	assert_differ("カ", "サ");
	assert_differ("カ", "キ");
	assert_differ("ハ", "ホ");
	assert_differ("ツ", "ス");
	assert_differ("チ", "シ");
	assert_differ("イ", "エ");
	assert_differ("オノ", "オオノ");       /* 小野 and 大野 stay apart */
	assert_differ("クウ", "クオ");
	assert_differ("ヤマダ", "ヤマモト");
	assert_differ("ン", "ソ");
	assert_differ("シ", "ツ");
	/* ヂ and ヅ go by sound (= ジ, ズ), so not with チ and ツ. */
	assert_differ("ヂ", "チ");
	assert_differ("ヅ", "ツ");
	/* The rules equate ー with nothing and ウ with オ, not ー with ウ. */
	assert_differ("サトー", "サトウ");
	assert_differ("山田", "山田太郎");
}

static void test_other_characters(void **state)
{
	(void)state;
	expect_key("山田 太郎", "山田太郎");
	expect_key("smith", "SMITH");
	expect_key("Smith John", "SMITHJOHN");
	expect_key("ｓｍｉｔｈ", "SMITH");
	expect_key("Ｊｏｈｎ－Ｐａｕｌ", "JOHNPAUL");
	expect_key("１２３", "123");
	expect_key("O'Brien", "O'BRIEN");
	expect_key("山田やまだ", "山田ヤマタ");
	expect_key("é", "é");
	expect_key("ｶﾞ｡", "カ。");
	/* Invalid UTF-8 becomes U+FFFD. */
	expect_key("ア\xffイ", "ア\uFFFDイ");
	expect_key("\xe3\x82", "\uFFFD\uFFFD");
}

/* ---- readings ---- */

static void test_is_reading(void **state)
{
	static const char *const yes[] = {
		"ヤマダ タロウ", "やまだ　たろう", "ﾔﾏﾀﾞ ﾀﾛｳ", "サトー", "ジョン・スミス", "ヴ", "ゔ",
		"カ\u3099", "ア", "ヶ", "ヵ", "ㇰ", "ヽ ア", "ﾔﾏﾀﾞ･ﾀﾛｰ",
	};
	static const char *const no[] = {
		"", "   ", "　", "ー", "ヽ", "山田", "yamada", "ヤマダ1", "ヤマダ\tタロウ", "ヤマダ\n",
		"\xff", "ヤマダ\xe3", "ヤマダ、タロウ", "ヤマダ。", "ＹＡＭＡＤＡ", "゛", "ﾟ",
	};
	(void)state;
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (!md_kana_is_reading(yes[i]))
			print_error("\"%s\" should be a reading\n", yes[i]);
		assert_true(md_kana_is_reading(yes[i]));
	}
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
		if (md_kana_is_reading(no[i]))
			print_error("\"%s\" should not be a reading\n", no[i]);
		assert_false(md_kana_is_reading(no[i]));
	}
	assert_false(md_kana_is_reading(NULL));
}

static void test_to_katakana(void **state)
{
	(void)state;
	expect_katakana("やまだ たろう", "ヤマダ タロウ");
	expect_katakana("ﾔﾏﾀﾞ ﾀﾛｰ", "ヤマダ タロー");
	expect_katakana("ｶﾞ", "ガ");
	expect_katakana("ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ", "パピプペポ");
	expect_katakana("か\u3099", "ガ");
	expect_katakana("カ\u3099", "ガ");
	expect_katakana("ｳﾞ", "ヴ");
	expect_katakana("ゔ", "ヴ");
	expect_katakana("ﾜﾞ", "ヷ");
	expect_katakana("ｦﾞ", "ヺ");
	expect_katakana("ｮ", "ョ");
	expect_katakana("ゝゞ", "ヽヾ");
	expect_katakana("ゕゖ", "ヵヶ");
	expect_katakana("｡｢｣､･", "。「」、・");
	/* Nothing else changes. */
	expect_katakana("ヤマダ", "ヤマダ");
	expect_katakana("ヴァイオリン", "ヴァイオリン");
	expect_katakana("山田 Taro", "山田 Taro");
	expect_katakana("ＡＢ　１", "ＡＢ　１");
	expect_katakana("カ゛", "カ゛");
	expect_katakana("ア\u3099", "ア\u3099");
	expect_katakana("ｱﾞ", "ア゛");
	expect_katakana("ﾟ", "゜");
	expect_katakana("トウキョウ", "トウキョウ");
	expect_katakana("", "");
	assert_null(md_kana_to_katakana(NULL));
}

/* The display form and the input have the same key. */
static void test_display_form_same_key(void **state)
{
	static const char *const inputs[] = {
		"やまだ たろう", "ﾔﾏﾀﾞ ﾀﾛｰ", "ｶﾞ", "ｱﾞ", "ｳﾞｧ", "か\u3099", "ﾜﾞ", "ゝ", "ｼﾞｮﾝ･ｽﾐｽ",
	};
	(void)state;
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		char *k = md_kana_to_katakana(inputs[i]);
		assert_same(inputs[i], k);
		free(k);
	}
}

/* ---- kanji ---- */

static void test_kanji_fold_brief(void **state)
{
	(void)state;
	expect_fold("渡辺", "渡辺");
	expect_fold("渡邊", "渡辺");
	expect_fold("渡邉", "渡辺");
	expect_fold("浜田", "浜田");
	expect_fold("濱田", "浜田");
	expect_fold("濵田", "浜田");
	expect_fold("髙橋", "高橋");
	expect_fold("山\ufa11", "山崎");
	expect_fold("山嵜", "山崎");
	expect_fold("山碕", "山崎");
	expect_fold("齊藤", "斉藤");
	expect_fold("齋藤", "斉藤");
	expect_fold("斎藤", "斉藤");
	expect_fold("\U00020bb7田", "吉田");
	expect_fold("佐々木", "佐佐木");
	expect_fold("野々村", "野野村");
	expect_fold("々", "々");
	expect_fold("あ々", "あ々");
	expect_fold("山田 太郎", "山田太郎");
	expect_fold("山田　太郎", "山田太郎");
	expect_fold("葛\U000E0100飾", "葛飾");
	expect_fold("辻\ufe00", "辻");
	expect_fold("ヤマダ", "ヤマダ");
	expect_fold("", "");
	assert_null(md_kanji_fold(NULL));
}

/* Every variant in the table folds to its form; the forms stay. */
static void test_kanji_table(void **state)
{
	static const struct { const char *variant, *form; } pairs[] = {
		{ "亞", "亜" }, { "佛", "仏" }, { "來", "来" }, { "傳", "伝" },
		{ "兒", "児" }, { "冨", "富" }, { "凜", "凛" }, { "圀", "国" },
		{ "國", "国" }, { "圓", "円" }, { "團", "団" }, { "埜", "野" },
		{ "堯", "尭" }, { "增", "増" }, { "壯", "壮" }, { "壽", "寿" },
		{ "學", "学" }, { "實", "実" }, { "將", "将" }, { "峯", "峰" },
		{ "嵜", "崎" }, { "嶋", "島" }, { "嶌", "島" }, { "嶽", "岳" },
		{ "巢", "巣" }, { "廣", "広" }, { "彌", "弥" }, { "德", "徳" },
		{ "恆", "恒" }, { "惠", "恵" }, { "戶", "戸" }, { "户", "戸" },
		{ "拜", "拝" }, { "斎", "斉" }, { "昻", "昂" }, { "晉", "晋" },
		{ "曾", "曽" }, { "會", "会" }, { "杦", "杉" }, { "栁", "柳" },
		{ "桒", "桑" }, { "條", "条" }, { "榮", "栄" }, { "槇", "槙" },
		{ "檜", "桧" }, { "櫻", "桜" }, { "氣", "気" }, { "淸", "清" },
		{ "淺", "浅" }, { "渊", "淵" }, { "渕", "淵" }, { "溪", "渓" },
		{ "滿", "満" }, { "澀", "渋" }, { "澁", "渋" }, { "澤", "沢" },
		{ "濱", "浜" }, { "濵", "浜" }, { "瀧", "滝" }, { "瀨", "瀬" },
		{ "營", "営" }, { "瑤", "瑶" }, { "當", "当" }, { "發", "発" },
		{ "眞", "真" }, { "碕", "崎" }, { "禮", "礼" }, { "穗", "穂" },
		{ "籔", "薮" }, { "籠", "篭" }, { "縣", "県" }, { "繪", "絵" },
		{ "聰", "聡" }, { "與", "与" }, { "舘", "館" }, { "莊", "荘" },
		{ "萬", "万" }, { "藏", "蔵" }, { "藪", "薮" }, { "譽", "誉" },
		{ "谿", "渓" }, { "豐", "豊" }, { "豬", "猪" }, { "遙", "遥" },
		{ "邉", "辺" }, { "邊", "辺" }, { "邨", "村" }, { "鄕", "郷" },
		{ "鐵", "鉄" }, { "關", "関" }, { "靍", "鶴" }, { "靏", "鶴" },
		{ "靑", "青" }, { "靜", "静" }, { "顯", "顕" }, { "驛", "駅" },
		{ "髙", "高" }, { "髮", "髪" }, { "鷗", "鴎" }, { "黑", "黒" },
		{ "齊", "斉" }, { "齋", "斉" }, { "龍", "竜" }, { "龜", "亀" },
		{ "\ufa10", "塚" }, { "\ufa11", "崎" }, { "\U00020bb7", "吉" },
	};
	static const char *const brief[][2] = {
		{ "辺", "邊邉" }, { "浜", "濱濵" }, { "高", "髙" }, { "崎", "\ufa11嵜碕" }, { "斉", "齊齋斎" },
		{ "沢", "澤" }, { "桜", "櫻" }, { "国", "國" }, { "島", "嶋嶌" }, { "広", "廣" },
		{ "竜", "龍" }, { "恵", "惠" }, { "実", "實" }, { "徳", "德" }, { "真", "眞" },
		{ "富", "冨" }, { "槙", "槇" }, { "篭", "籠" }, { "瀬", "瀨" }, { "蔵", "藏" },
		{ "与", "與" }, { "万", "萬" }, { "寿", "壽" }, { "豊", "豐" }, { "円", "圓" },
		{ "条", "條" }, { "浅", "淺" }, { "当", "當" }, { "伝", "傳" }, { "静", "靜" },
		{ "曽", "曾" }, { "滝", "瀧" }, { "栄", "榮" }, { "戸", "戶" }, { "弥", "彌" },
		{ "鉄", "鐵" }, { "聡", "聰" }, { "礼", "禮" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		expect_fold(pairs[i].variant, pairs[i].form);
		expect_fold(pairs[i].form, pairs[i].form);
	}
	/* The list in the brief, variant by variant. */
	for (size_t i = 0; i < sizeof brief / sizeof brief[0]; i++) {
		char *f = md_kanji_fold(brief[i][1]);
		char want[64] = "";
		size_t n = 0;
		const unsigned char *p = (const unsigned char *)brief[i][1];
		while (*p) {
			/* one character per variant */
			size_t len = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
			strcat(want, brief[i][0]);
			p += len;
			n++;
		}
		assert_true(n > 0);
		assert_string_equal(f, want);
		free(f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_examples),
		cmocka_unit_test(test_voiced),
		cmocka_unit_test(test_vu),
		cmocka_unit_test(test_wo_wa),
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_long_marks),
		cmocka_unit_test(test_u_after_o_row),
		cmocka_unit_test(test_hiragana_katakana),
		cmocka_unit_test(test_half_width),
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_spaces),
		cmocka_unit_test(test_not_equal),
		cmocka_unit_test(test_other_characters),
		cmocka_unit_test(test_is_reading),
		cmocka_unit_test(test_to_katakana),
		cmocka_unit_test(test_display_form_same_key),
		cmocka_unit_test(test_kanji_fold_brief),
		cmocka_unit_test(test_kanji_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
