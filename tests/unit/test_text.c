/* test_text.c: NFC normalisation of text entering the registry. */
#include "config.h"

#include "testutil.h"
#include "text.h"

static void test_composes_voiced_kana(void **state)
{
	/* か + U+3099 (combining voiced mark) is が; ハ + U+309A is パ. */
	char *a = md_text_nfc("\xe3\x81\x8b\xe3\x82\x99");
	char *b = md_text_nfc("\xe3\x83\x8f\xe3\x82\x9a\xe3\x83\x9e");
	(void)state;
	assert_string_equal(a, "が");
	assert_string_equal(b, "パマ");
	free(a);
	free(b);
}

static void test_composes_latin(void **state)
{
	char *a = md_text_nfc("Jose\xcc\x81");   /* e + U+0301 */
	(void)state;
	assert_string_equal(a, "Jos\xc3\xa9");
	free(a);
}

static void test_keeps_nfc_text(void **state)
{
	const char *s = "山田 太郎 ヤマダ タロウ 見本町1丁目";
	char *a = md_text_nfc(s);
	(void)state;
	assert_string_equal(a, s);
	free(a);
}

static void test_refuses_invalid_utf8(void **state)
{
	(void)state;
	assert_null(md_text_nfc("\xff\xfe"));
	assert_null(md_text_nfc("\xe3\x81"));      /* cut short */
	assert_null(md_text_nfc("\xc0\xaf"));      /* overlong */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_composes_voiced_kana),
		cmocka_unit_test(test_composes_latin),
		cmocka_unit_test(test_keeps_nfc_text),
		cmocka_unit_test(test_refuses_invalid_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
