/* fuzz_date.c: libFuzzer target for the date parser and the era table.
 *
 * Build:  clang -fsanitize=fuzzer,address,undefined -Isrc ... \
 *           tests/fuzz/fuzz_date.c src/wareki.c src/timeutil.c src/error.c \
 *           src/xalloc.c ERAS_DATA.c -lsodium
 * where ERAS_DATA.c is the generated definition of md_data_eras_tsv.
 * Run:    ./fuzz_date tests/fuzz/corpus/date
 *
 * An input starting with byte 0x01 is an era table for md_era_load() (the
 * built-in table is restored afterwards); anything else is a date as typed.
 * Beyond "no crash", it checks the promises of wareki.h: a parsed date is
 * well formed, survives storage (ISO) and both written forms unchanged, and
 * a failure is MD_E_INVALID on "date" with a message that is valid UTF-8
 * and free of control characters (the message quotes dates back, and the
 * front end shows it on a terminal). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "wareki.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_message(const char *msg)
{
	const unsigned char *p = (const unsigned char *)msg;

	if (!*p)
		abort();
	while (*p) {
		size_t len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : 4;
		if (*p < 0x20 || *p == 0x7f || (*p >= 0x80 && *p < 0xc2) || *p > 0xf4)
			abort();
		for (size_t i = 1; i < len; i++)
			if ((p[i] & 0xc0) != 0x80)
				abort();
		p += len;
	}
}

/* The text written for t parses back to t. */
static void check_round_trip(const struct md_date *t, const char *text)
{
	struct md_date u;
	struct md_error err;

	if (md_date_parse(text, &u, &err) != MD_OK || md_date_cmp(t, &u) != 0)
		abort();
}

static void fuzz_table(const char *text)
{
	struct md_error err;
	int rc = md_era_load(text, &err);

	if (rc == MD_OK) {
		if (md_era_count() == 0)
			abort();
		for (size_t i = 0; i < md_era_count(); i++) {
			const struct md_era *e = md_era_at(i);
			if (!e || !e->name[0] || e->letter < 'A' || e->letter > 'Z')
				abort();
		}
	} else {
		if (rc != MD_E_CONFIG || strcmp(err.field, "eras") != 0)
			abort();
		check_message(err.msg);
	}
	md_era_reset();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct md_date t, u;
	struct md_error err;
	char *s, iso[16], text[MD_DATE_TEXT_MAX];
	const char *era;
	int rc, year;

	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (size > 0 && s[0] == 0x01) {
		fuzz_table(s + 1);
		free(s);
		return 0;
	}

	rc = md_date_parse(s, &t, &err);
	free(s);
	if (rc != MD_OK) {
		if (rc != MD_E_INVALID || err.code != MD_E_INVALID || strcmp(err.field, "date") != 0)
			abort();
		check_message(err.msg);
		return 0;
	}
	if (err.code != MD_OK)
		abort();
	/* Storage form. */
	md_date_to_iso(&t, iso);
	if (strlen(iso) != 10 || md_date_from_iso(iso, &u) != 0)
		abort();
	u.circa = t.circa;
	if (md_date_cmp(&t, &u) != 0)
		abort();
	if (t.prec == MD_DATE_ALL_UNKNOWN ? strcmp(iso, "0000-00-00") != 0
	                                  : (t.y < MD_DATE_MIN_YEAR || t.y > 9999))
		abort();
	/* Written forms. */
	md_date_format_wareki(&t, text, sizeof text);
	check_message(text);
	check_round_trip(&t, text);
	md_date_format_western(&t, text, sizeof text);
	check_message(text);
	check_round_trip(&t, text);
	/* Era, age, arithmetic: no crash, sane values. */
	if (t.prec != MD_DATE_ALL_UNKNOWN && (md_date_era(&t, &era, &year) != 0 || year < 1))
		abort();
	if (t.prec == MD_DATE_FULL) {
		if (md_age_on(&t, t.y, t.m, t.d) != 0 || md_days_between(&t, &t) != 0)
			abort();
	} else if (md_days_between(&t, &t) != MD_DAYS_UNKNOWN) {
		abort();
	}
	(void)md_date_after_today(&t, 0);
	return 0;
}
