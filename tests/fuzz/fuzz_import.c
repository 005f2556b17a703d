/* fuzz_import.c: libFuzzer target for the import file: the CSV reader and
 * writer, the header and the row rules (src/import.c).
 *
 * Build:  clang -std=c11 -g -fsanitize=fuzzer,address,undefined -I. -Isrc \
 *           -o /tmp/fuzz_import tests/fuzz/fuzz_import.c \
 *           src/[a-z]*.c -lsqlite3 -lsodium -liniparser -lunistring
 * (the whole core, for the code lists and the person items; nothing here
 * opens a database).
 * Run:    mkdir -p /tmp/corpus && \
 *           /tmp/fuzz_import -max_total_time=120 /tmp/corpus tests/fuzz/corpus/import
 *
 * An input starting with byte 0x01 is rows under a fixed header naming all
 * 20 columns (so that most inputs reach the row rules); anything else is a
 * whole file. Beyond "no crash", it checks:
 *   - the reader: records in increasing line order, fields valid UTF-8
 *     without NUL; a failure is MD_E_INVALID on "csv" with a line and a
 *     field number and a message that is UTF-8 without control characters;
 *   - the writer: every record written and read back gives the same fields;
 *   - the rules: each problem is on the record's line, its message UTF-8
 *     without control characters and never repeating the 個人番号 typed; the
 *     error count returned is the number of errors reported; a row without
 *     errors has every required item in its stored form (ISO dates, M/F,
 *     japanese/foreign, a valid 続柄, a 12-digit number with its check digit).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkdigit.h"
#include "error.h"
#include "import.h"
#include "person.h"
#include "relationship.h"
#include "wareki.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RECORDS 64

static const char header[] =
	"atena_no,household_no,relationship,name,name_kana,birth_date,sex,address,katagaki,postal_code,"
	"resident_since,address_since,notified_on,previous_address,honseki,hittosha,my_number,"
	"juminhyo_code,resident_type,nationality\n";

static void check_utf8(const char *s, int allow_controls)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : 4;
		if (!allow_controls && (*p < 0x20 || *p == 0x7f))
			abort();
		if ((*p >= 0x80 && *p < 0xc2) || *p > 0xf4)
			abort();
		for (size_t i = 1; i < len; i++)
			if ((p[i] & 0xc0) != 0x80)
				abort();
		p += len;
	}
}

/* Writes the records and reads them back. */
static void round_trip(struct md_csv_record *rec, int n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct md_csv_reader r;
	struct md_error err;

	if (!f)
		return;
	for (int i = 0; i < n; i++)
		if (md_csv_write_record(f, rec[i].nfields, (const char *const *)rec[i].field) != 0)
			abort();
	fclose(f);
	buf = realloc(buf, len + 1);
	md_csv_init(&r, buf, len);
	for (int i = 0; i < n; i++) {
		struct md_csv_record back;
		if (md_csv_next(&r, &back, &err) != 1 || back.nfields != rec[i].nfields)
			abort();
		for (int k = 0; k < back.nfields; k++)
			if (strcmp(back.field[k], rec[i].field[k]) != 0)
				abort();
		md_csv_record_release(&back);
	}
	{
		struct md_csv_record extra;
		if (md_csv_next(&r, &extra, &err) != 0)
			abort();
	}
	free(buf);
}

static void check_row(const struct md_import_header *h, const struct md_csv_record *rec)
{
	struct md_import_issues is = { 0 };
	struct md_import_row row;
	/* 2026-04-01 12:00 UTC: a fixed today. */
	int errors = md_import_check_row(h, rec, (time_t)1775044800, &row, &is);
	const char *mn = h->pos[MD_IC_MY_NUMBER] >= 0 && h->pos[MD_IC_MY_NUMBER] < rec->nfields
	                 ? rec->field[h->pos[MD_IC_MY_NUMBER]] : "";

	char digits[64];
	size_t nd = 0;

	for (const char *q = mn; *q && nd + 1 < sizeof digits; q++)
		if (*q >= '0' && *q <= '9')
			digits[nd++] = *q;
	digits[nd] = '\0';
	if (errors != md_import_issues_errors(&is))
		abort();
	for (int i = 0; i < is.n; i++) {
		if (is.v[i].line != rec->line || !is.v[i].msg[0])
			abort();
		check_utf8(is.v[i].msg, 0);
		/* The digits of the 個人番号 never appear (unless another field, quoted
		 * in a message, happens to hold them too). */
		if (strlen(digits) >= 8 && strstr(is.v[i].msg, digits)) {
			int elsewhere = 0;
			for (int k = 0; k < rec->nfields; k++)
				if (k != h->pos[MD_IC_MY_NUMBER] && strstr(rec->field[k], digits))
					elsewhere = 1;
			if (!elsewhere)
				abort();
		}
	}
	if (errors == 0) {
		static const enum md_field need[] = { MD_F_RESIDENT_TYPE, MD_F_RELATIONSHIP, MD_F_SURNAME,
		                                      MD_F_SURNAME_KANA, MD_F_BIRTH_DATE, MD_F_SEX,
		                                      MD_F_ADDRESS };
		const struct md_person *p = &row.p;
		struct md_date d;
		char out[128];
		struct md_error e;

		if (row.atena <= 0 || row.household <= 0)
			abort();
		for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
			if (!md_person_has(p, need[i]))
				abort();
		if (!p->v[MD_F_GIVEN_NAME] || !p->v[MD_F_GIVEN_NAME_KANA])
			abort();
		if (md_date_from_iso(md_person_get(p, MD_F_BIRTH_DATE), &d) != 0)
			abort();
		if (strcmp(md_person_get(p, MD_F_SEX), "M") != 0 && strcmp(md_person_get(p, MD_F_SEX), "F") != 0)
			abort();
		if (strcmp(md_person_get(p, MD_F_RESIDENT_TYPE), row.foreign ? "foreign" : "japanese") != 0)
			abort();
		if (md_relationship_check(md_person_get(p, MD_F_RELATIONSHIP), out, sizeof out, NULL, &e) != MD_OK)
			abort();
		if (row.mynumber[0] && (strlen(row.mynumber) != 12 ||
		                        md_mynumber_check_digit(row.mynumber) != row.mynumber[11] - '0'))
			abort();
		if (row.foreign == 1 && (!md_person_has(p, MD_F_NATIONALITY) || md_person_has(p, MD_F_HONSEKI)))
			abort();
		if (row.foreign == 0 && md_person_has(p, MD_F_NATIONALITY))
			abort();
		for (int f = 0; f < MD_F_COUNT; f++)
			if (p->v[f])
				check_utf8(p->v[f], 0);
	}
	md_import_row_release(&row);
	md_import_issues_release(&is);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct md_csv_record rec[MAX_RECORDS];
	struct md_csv_reader r;
	struct md_error err;
	struct md_import_header h;
	struct md_import_issues is = { 0 };
	size_t hl = size > 0 && data[0] == 0x01 ? sizeof header - 1 : 0;
	size_t len = hl ? hl + size - 1 : size;
	char *buf = malloc(len + 1);
	long last = 0;
	int n = 0, rc = 0;

	if (!buf)
		return 0;
	if (hl) {
		memcpy(buf, header, hl);
		memcpy(buf + hl, data + 1, size - 1);
	} else {
		memcpy(buf, data, size);
	}
	md_csv_init(&r, buf, len);
	while (n < MAX_RECORDS && (rc = md_csv_next(&r, &rec[n], &err)) > 0) {
		if (rec[n].line <= last || rec[n].nfields < 1)
			abort();
		last = rec[n].line;
		for (int k = 0; k < rec[n].nfields; k++)
			check_utf8(rec[n].field[k], 1);
		n++;
	}
	if (n < MAX_RECORDS && rc < 0) {
		if (err.code != MD_E_INVALID || strcmp(err.field, "csv") != 0 || err.line < 1 ||
		    r.bad_field < 1)
			abort();
		check_utf8(err.msg, 0);
	}
	round_trip(rec, n);
	if (n > 0) {
		int herr = md_import_header_parse(&rec[0], &h, &is);
		if (herr != md_import_issues_errors(&is))
			abort();
		for (int i = 0; i < is.n; i++) {
			if (is.v[i].line != rec[0].line)
				abort();
			check_utf8(is.v[i].msg, 0);
		}
		if (herr == 0)
			for (int i = 1; i < n; i++)
				check_row(&h, &rec[i]);
		md_import_header_release(&h);
		md_import_issues_release(&is);
	}
	for (int i = 0; i < n; i++)
		md_csv_record_release(&rec[i]);
	free(buf);
	return 0;
}
