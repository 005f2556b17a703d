/* test_relationship.c: 続柄 (registry.md §4): the allowed terms, chains of
 * up to four links, five links becoming 縁故者, the forbidden kinship words
 * with their suggested chain, normalisation, and the member order of a
 * household on certificates. */
#include "config.h"

#include "testutil.h"

#include "codes.h"
#include "error.h"
#include "relationship.h"

/* Checks a term that must be accepted and returns its standard form. */
static void accept(const char *term, const char *want, int want_became)
{
	char out[128];
	struct md_error err;
	int became = -1;
	int rc;

	memset(out, 'x', sizeof out);
	out[sizeof out - 1] = '\0';
	md_error_clear(&err);
	rc = md_relationship_check(term, out, sizeof out, &became, &err);
	if (rc != MD_OK)
		print_error("\"%s\" refused: %s\n", term, err.msg);
	assert_int_equal(rc, MD_OK);
	if (strcmp(out, want) != 0)
		print_error("\"%s\" became \"%s\", want \"%s\"\n", term, out, want);
	assert_string_equal(out, want);
	assert_int_equal(became, want_became);
}

/* Checks a term that must be refused; the message must contain every
 * string of want (NULL-terminated). */
static void refuse(const char *term, const char *const *want)
{
	char out[128] = "untouched";
	struct md_error err;
	int became = -1;
	int rc;

	md_error_clear(&err);
	rc = md_relationship_check(term, out, sizeof out, &became, &err);
	if (rc == MD_OK)
		print_error("\"%s\" accepted as \"%s\"\n", term ? term : "(null)", out);
	assert_int_equal(rc, MD_E_INVALID);
	assert_int_equal(err.code, MD_E_INVALID);
	assert_string_equal(err.field, "relationship");
	assert_int_equal(became, 0);
	for (; want && *want; want++) {
		if (!strstr(err.msg, *want))
			print_error("\"%s\": message \"%s\" lacks \"%s\"\n", term, err.msg, *want);
		assert_non_null(strstr(err.msg, *want));
	}
}

/* ---- allowed terms ------------------------------------------------------------ */

static void test_single_terms(void **state)
{
	static const char *const terms[] = {
		"世帯主", "夫", "妻", "夫（未届）", "妻（未届）", "子", "子の夫", "子の妻",
		"父", "母", "兄", "姉", "弟", "妹", "縁故者", "同居人",
	};
	(void)state;
	for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++)
		accept(terms[i], terms[i], 0);
	/* A NULL "became" is allowed. */
	{
		char out[32];
		struct md_error err;
		assert_int_equal(md_relationship_check("子", out, sizeof out, NULL, &err), MD_OK);
		assert_string_equal(out, "子");
	}
}

/* Every term the data file lists as allowed is accepted as it is. */
static void test_data_terms_accepted(void **state)
{
	const struct md_tsv *t = md_codes(MD_CODES_RELATIONSHIPS);
	int allowed = 0;
	(void)state;

	assert_true(t->nrows > 20);
	for (int r = 0; r < t->nrows; r++) {
		const char *kind = md_tsv_get(t, r, "kind");
		if (strcmp(kind, "forbidden") == 0)
			continue;
		accept(md_tsv_get(t, r, "term"), md_tsv_get(t, r, "term"), 0);
		allowed++;
	}
	assert_int_equal(allowed, 16);
}

static void test_chains(void **state)
{
	static const char *const chains[] = {
		"子の子", "妻の父", "妻の母", "夫の父", "兄の子", "父の母", "母の父", "子の子の子",
		"父の父の父", "夫の母の姉", "子の子の妻", "子の子の子の子", "妻の父の兄の子",
		"父の弟の子の妻",
	};
	(void)state;
	for (size_t i = 0; i < sizeof chains / sizeof chains[0]; i++)
		accept(chains[i], chains[i], 0);
}

static void test_five_links_become_enkosha(void **state)
{
	(void)state;
	accept("子の子の子の子の子", "縁故者", 1);
	accept("父の父の父の父の父", "縁故者", 1);
	accept("妻の父の兄の子の妻", "縁故者", 1);
	accept("子の子の子の子の子の子", "縁故者", 1);
	/* Four links stay as they are. */
	accept("子の子の子の妻", "子の子の子の妻", 0);
	/* Normalised before counting. */
	accept(" 子の子 の子の子の子", "縁故者", 1);
}

/* ---- forbidden words ----------------------------------------------------------- */

static void test_forbidden_suggestions(void **state)
{
	(void)state;
	refuse("祖父", (const char *const[]){ "祖父", "父の父 または 母の父", NULL });
	refuse("祖母", (const char *const[]){ "祖母", "父の母 または 母の母", NULL });
	refuse("孫", (const char *const[]){ "孫", "子の子", NULL });
	refuse("長男", (const char *const[]){ "長男", "子", NULL });
	refuse("嫁", (const char *const[]){ "嫁", "子の妻", NULL });
	refuse("婿", (const char *const[]){ "婿", "子の夫", NULL });
	refuse("準世帯主", (const char *const[]){ "準世帯主", NULL });
	refuse("内縁の妻", (const char *const[]){ "妻（未届）", NULL });
	/* The suggestion is given without the data file's arrow. */
	{
		char out[64];
		struct md_error err;
		assert_int_equal(md_relationship_check("孫", out, sizeof out, NULL, &err), MD_E_INVALID);
		assert_null(strstr(err.msg, "→"));
		assert_non_null(strstr(err.msg, "write 子の子"));
	}
}

/* Every forbidden word of the data file is refused with its own suggestion. */
static void test_every_forbidden_word(void **state)
{
	const struct md_tsv *t = md_codes(MD_CODES_RELATIONSHIPS);
	int forbidden = 0;
	(void)state;

	for (int r = 0; r < t->nrows; r++) {
		const char *note;
		const char *want[3];
		if (strcmp(md_tsv_get(t, r, "kind"), "forbidden") != 0)
			continue;
		note = md_tsv_get(t, r, "note");
		assert_int_equal(strncmp(note, "→ ", strlen("→ ")), 0);
		want[0] = md_tsv_get(t, r, "term");
		want[1] = note + strlen("→ ");
		want[2] = NULL;
		refuse(md_tsv_get(t, r, "term"), want);
		/* Forbidden words never sort as members of a group of their own. */
		assert_int_equal(md_relationship_group(md_tsv_get(t, r, "term")), 8);
		forbidden++;
	}
	assert_true(forbidden >= 40);
}

/* ---- normalisation and junk ------------------------------------------------------ */

static void test_normalise(void **state)
{
	(void)state;
	accept("妻(未届)", "妻（未届）", 0);
	accept("夫(未届)", "夫（未届）", 0);
	accept("妻 (未届)", "妻（未届）", 0);
	accept("  子", "子", 0);
	accept("子 ", "子", 0);
	accept("子 の 妻", "子の妻", 0);
	accept("妻の父　", "妻の父", 0);          /* a full-width space */
	accept("　世帯主", "世帯主", 0);
	/* A forbidden word is recognised after normalisation too. */
	refuse(" 孫 ", (const char *const[]){ "子の子", NULL });
	refuse("内縁 の妻", (const char *const[]){ "妻（未届）", NULL });
}

static void test_junk(void **state)
{
	static const char *const junk[] = {
		"abc", "の", "子の", "の子", "子のの子", "子子", "世帯主の妻", "子の世帯主",
		"子の縁故者", "同居人の子", "妻（未届）の父", "おじ", "ちち", "ﾁﾁ",
		"父親", "子供", "1", "子の孫",
	};
	(void)state;
	refuse("", (const char *const[]){ "empty", NULL });
	refuse(NULL, (const char *const[]){ "empty", NULL });
	refuse("   ", (const char *const[]){ "empty", NULL });
	refuse("　", (const char *const[]){ "empty", NULL });
	/* The message shows the term normalised. */
	refuse("妻(未届", (const char *const[]){ "\"妻（未届\"", NULL });
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		const char *want[3] = { junk[i], "縁故者", NULL };
		refuse(junk[i], want);
	}
}

/* ---- member order ---------------------------------------------------------------------- */

static void test_groups(void **state)
{
	static const struct {
		const char *term;
		int group;
	} g[] = {
		{ "世帯主", 1 }, { "夫", 2 }, { "妻", 2 }, { "夫（未届）", 2 }, { "妻（未届）", 2 },
		{ "子", 3 }, { "子の夫", 4 }, { "子の妻", 4 }, { "子の子", 4 }, { "子の子の妻", 4 },
		{ "子の子の子の子", 4 }, { "父", 5 }, { "母", 5 }, { "兄", 6 }, { "姉", 6 },
		{ "弟", 6 }, { "妹", 6 }, { "父の父", 7 }, { "父の母", 7 }, { "母の父", 7 },
		{ "母の母", 7 }, { "父の父の父", 8 }, { "妻の父", 8 }, { "夫の母", 8 },
		{ "兄の子", 8 }, { "父の兄", 8 }, { "妻の子", 8 }, { "縁故者", 9 }, { "同居人", 10 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
		int got = md_relationship_group(g[i].term);
		if (got != g[i].group)
			print_error("%s: group %d, want %d\n", g[i].term, got, g[i].group);
		assert_int_equal(got, g[i].group);
	}
}

static int cmp(const void *a, const void *b)
{
	return md_member_cmp(a, b);
}

struct member {
	const char *term;
	const char *birth;
	long long atena;
};

static void sort_and_check(const struct member *m, size_t n)
{
	struct md_member_key keys[32] = { { 0 } };
	size_t order[] = { 7, 3, 12, 0, 9, 5, 14, 1, 11, 2, 13, 6, 10, 4, 8, 15, 16, 17, 18, 19 };

	assert_true(n <= sizeof order / sizeof order[0]);
	/* Shuffled on the way in (a fixed permutation of 0..n-1). */
	{
		size_t k = 0;
		for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
			if (order[i] >= n)
				continue;
			keys[k].group = md_relationship_group(m[order[i]].term);
			keys[k].birth_date = m[order[i]].birth;
			keys[k].atena = m[order[i]].atena;
			k++;
		}
		assert_int_equal(k, n);
	}
	qsort(keys, n, sizeof keys[0], cmp);
	for (size_t i = 0; i < n; i++) {
		if (keys[i].atena != m[i].atena)
			print_error("position %zu: 宛名番号 %lld, want %lld (%s)\n", i, keys[i].atena,
			            m[i].atena, m[i].term);
		assert_int_equal(keys[i].atena, m[i].atena);
	}
}

static void test_member_order(void **state)
{
	/* The expected certificate order. */
	static const struct member m[] = {
		{ "世帯主", "1960-01-01", 50 },
		{ "妻", "1955-01-01", 40 },              /* spouse, even if older */
		{ "子", "1985-02-00", 45 },              /* children by birth; an unknown day first */
		{ "子", "1985-02-03", 12 },
		{ "子", "1990-07-07", 10 },
		{ "子", "1990-07-07", 11 },              /* same birth: by 宛名番号 */
		{ "子の妻", "1984-01-01", 30 },          /* a child's family after the children */
		{ "子の子", "2015-05-05", 31 },
		{ "子の子の子", "2040-01-01", 5 },
		{ "母", "1930-01-01", 60 },              /* parents: by 宛名番号, not birth */
		{ "父", "1928-01-01", 61 },
		{ "弟", "1965-01-01", 3 },               /* siblings */
		{ "姉", "1950-01-01", 70 },
		{ "父の母", "1905-01-01", 2 },           /* grandparents */
		{ "妻の父", "1925-01-01", 1 },           /* other relatives */
		{ "兄の子", "1990-01-01", 8 },
		{ "縁故者", "1970-01-01", 4 },
		{ "同居人", "1999-01-01", 6 },
		{ "同居人", "1980-01-01", 9 },
	};
	(void)state;
	sort_and_check(m, sizeof m / sizeof m[0]);
}

/* registry.md §4: each child's own family right after that child. The
 * family is tied to the child whose name is its 筆頭者. */
static void test_member_order_child_family(void **state)
{
	struct row { const char *term, *birth, *name, *hittosha; long long atena; };
	static const struct row want[] = {
		{ "世帯主", "1955-01-01", "山田 太郎", "山田 太郎", 1 },
		{ "妻", "1957-01-01", "山田 花子", "山田 太郎", 2 },
		{ "子", "1985-04-01", "山田 一郎", "山田 一郎", 3 },
		{ "子の妻", "1986-06-01", "山田 由美", "山田 一郎", 9 },   /* 一郎's wife */
		{ "子の子", "2015-01-01", "山田 翔", "山田 一郎", 8 },     /* 一郎's child */
		{ "子", "1990-01-01", "山田 二郎", "山田 二郎", 4 },
		{ "子の子", "2020-02-02", "山田 蓮", "山田　二郎", 7 },    /* full-width space */
		{ "子", "1993-01-01", "山田 桜", "山田 太郎", 5 },
		{ "子の夫", "1979-01-01", "鈴木 誠", "鈴木 誠", 10 },     /* heads his own: after all */
		{ "子の妻", "1980-01-01", "佐藤 恵", "", 6 },              /* no 筆頭者: after all */
		{ "母", "1930-01-01", "山田 トメ", "山田 太郎", 11 },
	};
	enum { N = sizeof want / sizeof want[0] };
	static const int shuffle[N] = { 10, 4, 8, 0, 6, 2, 9, 1, 7, 3, 5 };
	struct md_member_key keys[N];
	const char *names[N], *hit[N];
	(void)state;

	for (int i = 0; i < N; i++) {
		const struct row *r = &want[shuffle[i]];
		keys[i].group = md_relationship_group(r->term);
		keys[i].birth_date = r->birth;
		keys[i].atena = r->atena;
		names[i] = r->name;
		hit[i] = r->hittosha;
	}
	md_member_anchor(keys, N, names, hit);
	qsort(keys, N, sizeof keys[0], cmp);
	for (int i = 0; i < N; i++) {
		if (keys[i].atena != want[i].atena)
			print_error("position %d: 宛名番号 %lld, want %lld (%s)\n", i, keys[i].atena,
			            want[i].atena, want[i].term);
		assert_int_equal(keys[i].atena, want[i].atena);
	}
	/* Without names nothing is tied: the family after all the children. */
	md_member_anchor(keys, N, NULL, NULL);
	for (int i = 0; i < N; i++)
		assert_int_equal(keys[i].anchored, 0);
}

static void test_member_cmp_pairs(void **state)
{
	struct md_member_key head = { .group = 1, .birth_date = "1960-01-01", .atena = 99 };
	struct md_member_key wife = { .group = 2, .birth_date = "1950-01-01", .atena = 1 };
	struct md_member_key c1 = { .group = 3, .birth_date = "2000-01-01", .atena = 5 };
	struct md_member_key c2 = { .group = 3, .birth_date = "1999-12-31", .atena = 6 };
	struct md_member_key c3 = { .group = 3, .birth_date = "1999-12-31", .atena = 7 };
	struct md_member_key nb = { .group = 3, .birth_date = NULL, .atena = 8 };
	struct md_member_key p1 = { .group = 5, .birth_date = "1930-01-01", .atena = 20 };
	struct md_member_key p2 = { .group = 5, .birth_date = "1920-01-01", .atena = 21 };
	(void)state;

	assert_int_equal(md_member_cmp(&head, &wife), -1);
	assert_int_equal(md_member_cmp(&wife, &head), 1);
	assert_int_equal(md_member_cmp(&head, &head), 0);
	assert_int_equal(md_member_cmp(&c2, &c1), -1);   /* older child first */
	assert_int_equal(md_member_cmp(&c1, &c2), 1);
	assert_int_equal(md_member_cmp(&c2, &c3), -1);   /* tie: 宛名番号 */
	assert_int_equal(md_member_cmp(&c3, &c2), 1);
	assert_int_equal(md_member_cmp(&nb, &c2), -1);   /* no date sorts first, no crash */
	assert_int_equal(md_member_cmp(&p1, &p2), -1);   /* parents: 宛名番号 only */
	assert_int_equal(md_member_cmp(&c1, &p2), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_terms),
		cmocka_unit_test(test_data_terms_accepted),
		cmocka_unit_test(test_chains),
		cmocka_unit_test(test_five_links_become_enkosha),
		cmocka_unit_test(test_forbidden_suggestions),
		cmocka_unit_test(test_every_forbidden_word),
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_junk),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_member_order),
		cmocka_unit_test(test_member_order_child_family),
		cmocka_unit_test(test_member_cmp_pairs),
	};
	return cmocka_run_group_tests_name("relationship", tests, NULL, NULL);
}
