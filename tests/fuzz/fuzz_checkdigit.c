/* fuzz_checkdigit.c: libFuzzer target for the My Number and 住民票コード
 * checks.
 *
 * Build:  clang -fsanitize=fuzzer,address,undefined -Isrc ... \
 *           tests/fuzz/fuzz_checkdigit.c src/checkdigit.c src/error.c
 * Run:    ./fuzz_checkdigit tests/fuzz/corpus/checkdigit
 *
 * Checks that an accepted number is all digits with a matching check
 * digit, and that a refusal is MD_E_INVALID on the right field with a
 * message free of control characters that never repeats the input. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checkdigit.h"
#include "error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_failure(int rc, const struct md_error *err, const char *field, const char *out)
{
	if (rc != MD_E_INVALID || err->code != MD_E_INVALID || strcmp(err->field, field) != 0 ||
	    out[0] != '\0' || !err->msg[0])
		abort();
	for (const char *p = err->msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			abort();
}

static void check_digits(const char *out, size_t n)
{
	if (strlen(out) != n)
		abort();
	for (size_t i = 0; i < n; i++)
		if (out[i] < '0' || out[i] > '9')
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct md_error err;
	char *s, my[13], code[12], mask[32];
	int rc;

	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	rc = md_mynumber_check(s, my, &err);
	if (rc == MD_OK) {
		check_digits(my, 12);
		if (md_mynumber_check_digit(my) != my[11] - '0')
			abort();
		md_mynumber_mask(my, mask, sizeof mask);
		if (strncmp(mask, "**** **** ", 10) != 0 || strcmp(mask + 10, my + 8) != 0)
			abort();
		/* The normalised form is accepted as it is. */
		if (md_mynumber_check(my, mask, &err) != MD_OK || strcmp(mask, my) != 0)
			abort();
	} else {
		check_failure(rc, &err, "my_number", my);
	}

	rc = md_juminhyo_code_check(s, code, &err);
	if (rc == MD_OK) {
		check_digits(code, 11);
		if (md_juminhyo_code_check_digit(code) != code[10] - '0')
			abort();
	} else {
		check_failure(rc, &err, "juminhyo_code", code);
	}

	if (size >= 11) {
		int d = md_mynumber_check_digit((const char *)data);
		if (d < -1 || d > 9)
			abort();
	}
	free(s);
	return 0;
}
