/* fuzz_kana.c: libFuzzer target for kana normalisation and kanji folding.
 *
 * Build:  clang -fsanitize=fuzzer,address,undefined -Isrc ... \
 *           tests/fuzz/fuzz_kana.c src/kana.c src/xalloc.c -lsodium
 * Run:    ./fuzz_kana tests/fuzz/corpus/kana
 *
 * Any bytes: the results are valid UTF-8; the search key and the kanji
 * fold are idempotent; the display form is idempotent and has the same key
 * as its input; the display form of a reading is a reading. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kana.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t len;
		uint32_t cp;
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf)
			len = 2;
		else if (*p >= 0xe0 && *p <= 0xef)
			len = 3;
		else if (*p >= 0xf0 && *p <= 0xf4)
			len = 4;
		else
			abort();
		cp = *p & (0x7f >> len);
		for (size_t i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				abort();
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			abort();
		p += len;
	}
}

static void check_same(const char *a, const char *b)
{
	if (strcmp(a, b) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *key, *key2, *kata, *kata2, *kata_key, *fold, *fold2;
	bool reading;

	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	key = md_kana_normalize(s);
	check_utf8(key);
	key2 = md_kana_normalize(key);
	check_same(key, key2);

	kata = md_kana_to_katakana(s);
	check_utf8(kata);
	kata2 = md_kana_to_katakana(kata);
	check_same(kata, kata2);
	kata_key = md_kana_normalize(kata);
	check_same(key, kata_key);

	reading = md_kana_is_reading(s);
	if (reading && !md_kana_is_reading(kata))
		abort();

	fold = md_kanji_fold(s);
	check_utf8(fold);
	fold2 = md_kanji_fold(fold);
	check_same(fold, fold2);

	free(s);
	free(key);
	free(key2);
	free(kata);
	free(kata2);
	free(kata_key);
	free(fold);
	free(fold2);
	return 0;
}
