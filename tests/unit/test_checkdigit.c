/* test_checkdigit.c: My Number and 住民票コード check digits (registry.md §3). */
#include "config.h"

#include "testutil.h"

#include "checkdigit.h"
#include "error.h"

static void expect_mynumber(const char *input, const char *digits)
{
	struct md_error err;
	char out[13];
	int rc = md_mynumber_check(input, out, &err);

	if (rc != MD_OK)
		print_error("\"%s\": %s\n", input, err.msg);
	assert_int_equal(rc, MD_OK);
	assert_int_equal(err.code, MD_OK);
	assert_string_equal(out, digits);
}

static void expect_mynumber_bad(const char *input, const char *msg)
{
	struct md_error err;
	char out[13] = "xxxxxxxxxxxx";
	int rc = md_mynumber_check(input, out, &err);

	if (rc != MD_E_INVALID || strcmp(err.msg, msg) != 0)
		print_error("\"%s\": rc %d \"%s\", want \"%s\"\n", input ? input : "(null)", rc, err.msg, msg);
	assert_int_equal(rc, MD_E_INVALID);
	assert_int_equal(err.code, MD_E_INVALID);
	assert_string_equal(err.field, "my_number");
	assert_string_equal(err.msg, msg);
	assert_string_equal(out, "");
}

static void expect_code(const char *input, const char *digits)
{
	struct md_error err;
	char out[12];
	int rc = md_juminhyo_code_check(input, out, &err);

	if (rc != MD_OK)
		print_error("\"%s\": %s\n", input, err.msg);
	assert_int_equal(rc, MD_OK);
	assert_string_equal(out, digits);
}

static void expect_code_bad(const char *input, const char *msg)
{
	struct md_error err;
	char out[12] = "xxxxxxxxxxx";
	int rc = md_juminhyo_code_check(input, out, &err);

	if (rc != MD_E_INVALID || strcmp(err.msg, msg) != 0)
		print_error("\"%s\": rc %d \"%s\", want \"%s\"\n", input ? input : "(null)", rc, err.msg, msg);
	assert_int_equal(rc, MD_E_INVALID);
	assert_string_equal(err.field, "juminhyo_code");
	assert_string_equal(err.msg, msg);
	assert_string_equal(out, "");
}

/* The formula exactly as registry.md §3 states it, written independently:
 * P(n) the n-th digit from the right among the first 11, Q(n) = n + 1 for
 * n <= 6, n - 5 for n >= 7. */
static int reference_cd(const char *first, int count)
{
	int sum = 0, r;
	for (int n = 1; n <= count; n++) {
		int p = first[count - n] - '0';
		int q = n <= 6 ? n + 1 : n - 5;
		sum += p * q;
	}
	r = sum % 11;
	return r <= 1 ? 0 : 11 - r;
}

/* ---- My Number ---- */

static void test_example(void **state)
{
	(void)state;
	assert_int_equal(md_mynumber_check_digit("12345678901"), 8);
	expect_mynumber("123456789018", "123456789018");
	expect_mynumber_bad("123456789017", "check digit does not match");
}

static void test_normalising(void **state)
{
	static const char *const forms[] = {
		"1234 5678 9018", "1234-5678-9018", " 123456789018 ", "\t1234\t5678\t9018",
		"１２３４５６７８９０１８", "１２３４　５６７８　９０１８", "１２３４－５６７８－９０１８",
		"1234‐5678‐9018", "1234−5678−9018", "1234ー5678ー9018", "1 2 3 4 5 6 7 8 9 0 1 8",
		"12345６７８9018", "--123456789018--",
	};
	(void)state;
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
		expect_mynumber(forms[i], "123456789018");
}

/* The weights, left to right 6,5,4,3,2,7,6,5,4,3,2, one position at a time. */
static void test_weights(void **state)
{
	static const int weight[11] = { 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2 };
	(void)state;
	for (int i = 0; i < 11; i++) {
		char first[12] = "00000000000";
		first[i] = '1';
		assert_int_equal(md_mynumber_check_digit(first), 11 - weight[i]);
		assert_int_equal(reference_cd(first, 11), 11 - weight[i]);
	}
}

/* Every remainder 0..10, including the two (0 and 1) that give 0. */
static void test_remainders(void **state)
{
	static const struct { const char *first; int r, cd; } cases[] = {
		{ "00000000000", 0, 0 }, { "00000000006", 1, 0 }, { "00000000001", 2, 9 },
		{ "00000000007", 3, 8 }, { "00000000002", 4, 7 }, { "00000000008", 5, 6 },
		{ "00000000003", 6, 5 }, { "00000000009", 7, 4 }, { "00000000004", 8, 3 },
		{ "00000000030", 9, 2 }, { "00000000005", 10, 1 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char num[13];
		assert_int_equal(md_mynumber_check_digit(cases[i].first), cases[i].cd);
		snprintf(num, sizeof num, "%s%d", cases[i].first, cases[i].cd);
		expect_mynumber(num, num);
	}
}

/* All zeros passes the formula (r = 0); so does 000000000060 (r = 1):
 * the rule maps r = 0 and r = 1 to the same digit, so these two differ in
 * one digit and both pass. That is the scheme, not a bug here. */
static void test_all_zero(void **state)
{
	(void)state;
	expect_mynumber("000000000000", "000000000000");
	expect_mynumber("000000000060", "000000000060");
	for (int d = 1; d <= 9; d++) {
		char num[13];
		snprintf(num, sizeof num, "00000000000%d", d);
		expect_mynumber_bad(num, "check digit does not match");
	}
	assert_int_equal(md_mynumber_check_digit("00000000000"), 0);
}

/* In the example number, any single wrong digit in any position is caught,
 * and the message never says which. */
static void test_each_position(void **state)
{
	(void)state;
	for (int pos = 0; pos < 12; pos++)
		for (int d = 0; d <= 9; d++) {
			char num[13] = "123456789018";
			if (num[pos] - '0' == d)
				continue;
			num[pos] = (char)('0' + d);
			expect_mynumber_bad(num, "check digit does not match");
		}
	/* Two neighbours swapped (when they differ) too. */
	for (int pos = 0; pos < 11; pos++) {
		char num[13] = "123456789018", c;
		if (num[pos] == num[pos + 1])
			continue;
		c = num[pos];
		num[pos] = num[pos + 1];
		num[pos + 1] = c;
		expect_mynumber_bad(num, "check digit does not match");
	}
}

/* The implementation agrees with the formula on many numbers. */
static void test_against_reference(void **state)
{
	unsigned long x = 12345;
	(void)state;
	for (int i = 0; i < 20000; i++) {
		char first[12], num[13];
		for (int j = 0; j < 11; j++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			first[j] = (char)('0' + (x >> 33) % 10);
		}
		first[11] = '\0';
		assert_int_equal(md_mynumber_check_digit(first), reference_cd(first, 11));
		snprintf(num, sizeof num, "%s%d", first, reference_cd(first, 11));
		expect_mynumber(num, num);
		first[10] = '\0';
		assert_int_equal(md_juminhyo_code_check_digit(first), reference_cd(first, 10));
	}
}

static void test_length(void **state)
{
	(void)state;
	expect_mynumber_bad("12345678901", "a My Number has 12 digits; this has 11");
	expect_mynumber_bad("1234567890181", "a My Number has 12 digits; this has 13");
	expect_mynumber_bad("1234 5678 901", "a My Number has 12 digits; this has 11");
	expect_mynumber_bad("１２３４５６７８９０１", "a My Number has 12 digits; this has 11");
	expect_mynumber_bad("1", "a My Number has 12 digits; this has 1");
	expect_mynumber_bad("", "a My Number has 12 digits; this has 0");
	expect_mynumber_bad("  - ", "a My Number has 12 digits; this has 0");
	expect_mynumber_bad(NULL, "a My Number has 12 digits; this has 0");
	expect_mynumber_bad("123456789012345678901234567890",
	                    "a My Number has 12 digits; this has 30");
}

static void test_non_digit(void **state)
{
	(void)state;
	expect_mynumber_bad("1234X6789018", "character 5 is not a digit");
	expect_mynumber_bad("1234 X678 9018", "character 5 is not a digit");
	expect_mynumber_bad("a23456789018", "character 1 is not a digit");
	expect_mynumber_bad("12345678901a", "character 12 is not a digit");
	expect_mynumber_bad("1234567890.8", "character 11 is not a digit");
	expect_mynumber_bad("12a", "character 3 is not a digit");
	expect_mynumber_bad("一二三四五六七八九〇一八", "character 1 is not a digit");
	expect_mynumber_bad("1234５6789O18", "character 10 is not a digit");
	expect_mynumber_bad("12345678901\xff", "character 12 is not a digit");
	expect_mynumber_bad("1234_5678_9018", "character 5 is not a digit");
	/* The first one is named. */
	expect_mynumber_bad("1x3y", "character 2 is not a digit");
}

static void test_mask(void **state)
{
	char buf[32], small[6], shortnum[13] = "12345";
	(void)state;
	assert_string_equal(md_mynumber_mask("123456789018", buf, sizeof buf), "**** **** 9018");
	assert_string_equal(md_mynumber_mask("000000000000", buf, sizeof buf), "**** **** 0000");
	assert_string_equal(md_mynumber_mask(shortnum, buf, sizeof buf), "**** **** ????");
	assert_string_equal(md_mynumber_mask(NULL, buf, sizeof buf), "**** **** ????");
	assert_string_equal(md_mynumber_mask("123456789018", small, sizeof small), "**** ");
	assert_null(md_mynumber_mask("123456789018", NULL, 0));
	/* The first eight digits never appear. */
	md_mynumber_mask("123456789018", buf, sizeof buf);
	assert_null(strstr(buf, "1234"));
	assert_null(strstr(buf, "5678"));
	assert_int_equal(strlen(buf), 14);
}

/* ---- 住民票コード ---- */

static void test_juminhyo_code(void **state)
{
	static const int weight[10] = { 5, 4, 3, 2, 7, 6, 5, 4, 3, 2 };
	(void)state;
	/* 1·5 + 2·4 + 3·3 + 4·2 + 5·7 + 6·6 + 7·5 + 8·4 + 9·3 + 0·2 = 195;
	 * 195 mod 11 = 8; 11 - 8 = 3. */
	assert_int_equal(md_juminhyo_code_check_digit("1234567890"), 3);
	expect_code("12345678903", "12345678903");
	expect_code("1234 5678 903", "12345678903");
	expect_code("１２３４５６７８９０３", "12345678903");
	expect_code("00000000000", "00000000000");
	for (int i = 0; i < 10; i++) {
		char first[11] = "0000000000";
		first[i] = '1';
		assert_int_equal(md_juminhyo_code_check_digit(first), 11 - weight[i]);
	}
	for (int pos = 0; pos < 11; pos++)
		for (int d = 0; d <= 9; d++) {
			char num[12] = "12345678903";
			if (num[pos] - '0' == d)
				continue;
			num[pos] = (char)('0' + d);
			expect_code_bad(num, "check digit does not match");
		}
	expect_code_bad("1234567890", "a 住民票コード (resident record code) has 11 digits; this has 10");
	expect_code_bad("123456789012", "a 住民票コード (resident record code) has 11 digits; this has 12");
	expect_code_bad("", "a 住民票コード (resident record code) has 11 digits; this has 0");
	expect_code_bad("1234567890X", "character 11 is not a digit");
	/* A My Number is not a 住民票コード. */
	expect_code_bad("123456789018", "a 住民票コード (resident record code) has 11 digits; this has 12");
	assert_int_equal(md_juminhyo_code_check_digit("12345x7890"), -1);
	assert_int_equal(md_juminhyo_code_check_digit(NULL), -1);
}

static void test_check_digit_non_digits(void **state)
{
	(void)state;
	assert_int_equal(md_mynumber_check_digit("1234567890a"), -1);
	assert_int_equal(md_mynumber_check_digit("１2345678901"), -1);
	assert_int_equal(md_mynumber_check_digit(NULL), -1);
	/* Only the first 11 are read. */
	assert_int_equal(md_mynumber_check_digit("12345678901XYZ"), 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_normalising),
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_remainders),
		cmocka_unit_test(test_all_zero),
		cmocka_unit_test(test_each_position),
		cmocka_unit_test(test_against_reference),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_non_digit),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_juminhyo_code),
		cmocka_unit_test(test_check_digit_non_digits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
