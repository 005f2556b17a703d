/* test_journeys.c: headless tests of what walking the counter journeys
 * turned up: the shared message screen pages with PgUp/PgDn (a whole page,
 * not one line) and says where it is; the reception takes a memo that the
 * transaction keeps; a certificate's copy is sent to the printer again from
 * the issued screen (F6). */
#include "config.h"

#include "uitest.h"
#include "checkdigit.h"
#include "store.h"
#include <sqlite3.h>

#include "counter_steps.h"

/* The first column of the first row of sql, as text. */
static void tu_text(struct fixture *f, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *st = NULL;
	out[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(md_store_db(f->ctx->store), sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* Pushes a message screen of n numbered lines over the current screen. */
static void push_lines(struct fixture *f, int n)
{
	char **lines = calloc((size_t)n, sizeof *lines);
	struct screen *s;

	for (int i = 0; i < n; i++) {
		lines[i] = malloc(32);
		snprintf(lines[i], 32, "line-%03d.", i + 1);
	}
	s = message_screen_new("Long text", (const char *const *)lines, n);
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	s->below = f->app.top;
	f->app.top = s;
	app_draw(&f->app);
}

static void test_message_pages(void **state)
{
	struct fixture *f = *state;

	login(f, "clerk1", "demo");
	push_lines(f, 100);
	assert_screen("line-001.");
	assert_not_screen("line-050.");
	assert_screen("lines 1-");
	assert_screen("of 100");
	/* PgDn: the line after the last one shown comes to the top. */
	{
		int last = 0;
		for (int i = 1; i <= 100; i++) {
			char want[32];
			snprintf(want, sizeof want, "line-%03d.", i);
			if (screen_has(want))
				last = i;
		}
		assert_true(last > 10);
		key(f, 1, KEY_NPAGE);
		{
			char want[32], gone[32];
			snprintf(want, sizeof want, "line-%03d.", last + 1);
			snprintf(gone, sizeof gone, "line-%03d.", last);
			assert_screen(want);
			assert_not_screen(gone);
			assert_not_screen("line-001.");
		}
		key(f, 1, KEY_PPAGE);
		assert_screen("line-001.");
		assert_screen("lines 1-");
	}
	/* Down moves one line; End shows the last line and stops there. */
	key(f, 1, KEY_DOWN);
	assert_not_screen("line-001.");
	assert_screen("line-002.");
	key(f, 1, KEY_END);
	assert_screen("line-100.");
	assert_screen("of 100");
	key(f, 1, KEY_NPAGE);
	assert_screen("line-100.");
	key(f, 1, KEY_HOME);
	assert_screen("line-001.");
	/* A short text has no position line. */
	key(f, 1, KEY_F(3));
	push_lines(f, 5);
	assert_screen("line-005.");
	assert_not_screen("of 5");
	key(f, 1, KEY_NPAGE);
	assert_screen("line-001.");
	/* A line wider than the screen is wrapped, not cut. */
	key(f, 1, KEY_F(3));
	{
		char longline[400];
		const char *one[1] = { longline };
		struct screen *s;
		memset(longline, 0, sizeof longline);
		for (int i = 0; i < 30; i++)
			strcat(longline, "出力先 ");
		strcat(longline, "END-MARK");
		s = message_screen_new("Wide", one, 1);
		s->below = f->app.top;
		f->app.top = s;
		app_draw(&f->app);
		assert_screen("END-MARK");
	}
}

/* The reception's memo goes with counter open and shows on the transaction. */
static void test_reception_memo(void **state)
{
	struct fixture *f = *state;
	char memo[128];

	login(f, "clerk1", "demo");
	choose(f, "Counter reception");
	assert_screen("What is requested?");
	assert_screen("Memo (optional)");
	for (int i = 0; i < 4; i++)
		key(f, 1, KEY_DOWN);          /* past 4. Other: the memo */
	type(f, "代理人 住民票2通");
	assert_screen("代理人 住民票2通");
	assert_screen("Enter or Up: back to the list");
	/* Digits typed in the memo are text, not a request. */
	type(f, "1");
	assert_screen("What is requested?");
	key(f, 1, KEY_BACKSPACE);
	key(f, 0, '\r');                  /* back to the list, on 4. Other */
	key(f, 1, KEY_UP);
	key(f, 1, KEY_UP);
	key(f, 1, KEY_UP);
	key(f, 0, '\r');                  /* 1. Certificate */
	assert_screen("Counter transaction No. 1: Certificate");
	assert_screen("Memo: 代理人 住民票2通");
	tu_text(f, "SELECT memo FROM counter_transactions WHERE id = 1", memo, sizeof memo);
	assert_string_equal(memo, "代理人 住民票2通");
}

/* The issued screen's F6 sends the copy to the printer again: refused
 * naming the setting without a print command, done with one. */
static void test_issued_print_again(void **state)
{
	struct fixture *f = *state;
	char status[32];

	household(f);
	open_certificate(f);
	verify(f, 0, "森 一", NULL);
	find_subject(f, "", "もり はしめ");
	key(f, 0, '\r');
	assert_screen("森 一 (宛名番号 1)");
	key(f, 1, KEY_F(5));
	key(f, 1, KEY_F(5));
	assert_screen("Certificate issued");
	assert_screen("No print command is configured");
	assert_screen("F6 Print again");
	key(f, 1, KEY_F(6));
	assert_screen("[print] command");
	tu_text(f, "SELECT print_status FROM issuances WHERE id = 1", status, sizeof status);
	assert_string_equal(status, "spooled");
	/* The printer set up: F6 sends it. */
	snprintf(f->ctx->cfg.print_command, sizeof f->ctx->cfg.print_command, "/bin/true");
	key(f, 1, KEY_F(6));
	assert_screen("1 copy is sent to the printer again");
	tu_text(f, "SELECT print_status FROM issuances WHERE id = 1", status, sizeof status);
	assert_string_equal(status, "printed");
	/* Back on the form, the transaction goes on. */
	key(f, 1, KEY_F(3));
	assert_screen("Certificate (証明書の交付)");
}

/* A 15 x 1 grayscale PNG (valid CRCs and zlib stream). */
static void write_tiny_png(const char *path)
{
	static const unsigned char png[] = {
		0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
		0x00, 0x00, 0x00, 0x0f, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x24, 0xb7, 0xab,
		0xe6, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xb0, 0x41, 0x05, 0x00,
		0x1c, 0x30, 0x03, 0x85, 0x7a, 0xad, 0x48, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
		0xae, 0x42, 0x60, 0x82,
	};
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(png, 1, sizeof png, fp), sizeof png);
	fclose(fp);
}

/* The seal screen: a verification by questioning starts the method at the
 * mailed 照会書 (a choice by name, not a code to type) and says why; F7
 * asks to be pressed again before a registration is cancelled. */
static void test_seal_by_questioning(void **state)
{
	struct fixture *f = *state;
	char png[400], status[32];

	household(f);
	snprintf(png, sizeof png, "%s/seal.png", f->dir);
	write_tiny_png(png);
	login(f, "clerk1", "demo");
	choose(f, "Counter reception");
	type(f, "3");
	assert_screen("Counter transaction No. 1: Seal registration");
	key(f, 1, KEY_F(2));
	key(f, 1, KEY_DOWN);
	type(f, "森 一");
	key(f, 1, KEY_DOWN);             /* documents */
	key(f, 1, KEY_DOWN);             /* photo */
	key(f, 1, KEY_DOWN);             /* questioning */
	type(f, " ");
	key(f, 1, KEY_F(5));
	assert_screen("questioning (聞き取り)");
	find_subject(f, "", "もり はしめ");
	key(f, 0, '\r');
	key(f, 1, KEY_F(5));
	assert_screen("Seal registration (印鑑登録)");
	assert_screen("only a registration by a mailed 照会書");
	assert_screen("照会書による登録（郵送）");
	assert_not_screen("photo_id");
	key(f, 0, '\t');
	type(f, png);
	key(f, 0, '\t');
	type(f, "15");
	key(f, 0, '\t');
	type(f, "森");
	key(f, 1, KEY_F(5));
	assert_screen("照会書: answer due");
	tu_text(f, "SELECT method || ' ' || status FROM seals WHERE person_id = 1", status, sizeof status);
	assert_string_equal(status, "inquiry pending");
	/* F7 once: only the question; another key forgets it. */
	key(f, 1, KEY_F(7));
	assert_screen("F7 again");
	key(f, 1, KEY_DOWN);
	key(f, 1, KEY_F(7));
	assert_screen("F7 again");
	tu_text(f, "SELECT count(*) FROM audit_log WHERE function = 'seal.cancel'", status, sizeof status);
	assert_string_equal(status, "0");
	/* The second F7 goes to the core (which answers for itself). */
	key(f, 1, KEY_F(7));
	assert_not_screen("F7 again");
	tu_text(f, "SELECT count(*) > 0 FROM audit_log WHERE function = 'seal.cancel'", status, sizeof status);
	assert_string_equal(status, "1");
}

/* A 代理人's verification says on the transaction that the 委任状 was shown. */
static void test_agent_letter_shown(void **state)
{
	struct fixture *f = *state;

	open_certificate(f);
	key(f, 1, KEY_F(2));
	key(f, 1, KEY_RIGHT);
	key(f, 1, KEY_RIGHT);            /* 代理人 */
	key(f, 1, KEY_DOWN);
	type(f, "代理 花子");
	key(f, 1, KEY_DOWN);
	key(f, 0, '\r');
	key(f, 1, KEY_DOWN);
	type(f, " ");                    /* 運転免許証 */
	key(f, 0, '\r');
	key(f, 1, KEY_DOWN);
	type(f, " ");                    /* photo matched */
	key(f, 1, KEY_DOWN);
	type(f, " ");                    /* 委任状 presented */
	key(f, 1, KEY_F(5));
	assert_screen("代理人 代理 花子: verified (運転免許証), 委任状 presented");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_message_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reception_memo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_issued_print_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seal_by_questioning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agent_letter_shown, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
