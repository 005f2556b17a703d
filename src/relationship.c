/* relationship.c: 続柄 validation and member order. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "i18n.h"
#include "relationship.h"

/* The single links a chain is made of. */
static const char *const atoms[] = { "夫", "妻", "子", "父", "母", "兄", "姉", "弟", "妹" };
#define NATOMS (sizeof atoms / sizeof atoms[0])
#define NO "の"

static int atom_at(const char *s, size_t *len)
{
	for (size_t i = 0; i < NATOMS; i++) {
		size_t n = strlen(atoms[i]);
		if (strncmp(s, atoms[i], n) == 0) {
			*len = n;
			return (int)i;
		}
	}
	return -1;
}

/* Counts the links of a chain like 子の子の妻, or -1 when it is not one. */
static int chain_links(const char *s)
{
	int links = 0;
	size_t n;

	for (;;) {
		if (atom_at(s, &n) < 0)
			return -1;
		s += n;
		links++;
		if (!*s)
			return links;
		if (strncmp(s, NO, strlen(NO)) != 0)
			return -1;
		s += strlen(NO);
	}
}

/* Half-width parentheses and surrounding spaces to the standard form. */
static void normalise(const char *in, char *out, size_t n)
{
	size_t o = 0;
	while (*in == ' ')
		in++;
	while (*in && o + 5 < n) {
		if (*in == '(') {
			memcpy(out + o, "（", 3);
			o += 3;
			in++;
		} else if (*in == ')') {
			memcpy(out + o, "）", 3);
			o += 3;
			in++;
		} else if (strncmp(in, "　", 3) == 0 || *in == ' ') {
			in += *in == ' ' ? 1 : 3;   /* spaces inside a 続柄 mean nothing */
		} else {
			out[o++] = *in++;
		}
	}
	/* Cut short: never in the middle of a UTF-8 character. */
	if (*in) {
		while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
			o--;
		if (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0xC0)
			o--;
	}
	out[o] = '\0';
}

int md_relationship_check(const char *term, char *out, size_t n, int *became, struct md_error *err)
{
	const struct md_tsv *t = md_codes(MD_CODES_RELATIONSHIPS);
	char norm[128];
	int row, links;

	if (became)
		*became = 0;
	if (!term || !*term)
		return md_error_set(err, MD_E_INVALID, "relationship", _("the relationship (続柄) is empty"));
	normalise(term, norm, sizeof norm);
	if (!*norm)   /* only spaces */
		return md_error_set(err, MD_E_INVALID, "relationship", _("the relationship (続柄) is empty"));
	row = md_tsv_find(t, "term", norm);
	if (row >= 0) {
		const char *kind = md_tsv_get(t, row, "kind");
		if (strcmp(kind, "forbidden") == 0) {
			const char *note = md_tsv_get(t, row, "note");
			if (strncmp(note, "→ ", strlen("→ ")) == 0)
				note += strlen("→ ");
			return md_error_set(err, MD_E_INVALID, "relationship",
			                    _("\"%s\" is not a relationship the standard allows: write %s"),
			                    norm, note);
		}
		snprintf(out, n, "%s", norm);
		return MD_OK;
	}
	links = chain_links(norm);
	if (links >= 1 && links <= 4) {
		snprintf(out, n, "%s", norm);
		return MD_OK;
	}
	if (links >= 5) {
		/* registry.md §4: a chain of five or more links becomes 縁故者. */
		snprintf(out, n, "%s", "縁故者");
		if (became)
			*became = 1;
		return MD_OK;
	}
	return md_error_set(err, MD_E_INVALID, "relationship",
	                    _("\"%s\" is not a relationship: use 世帯主, 妻, 夫, 子, 父, 母, 兄, 姉, 弟, "
	                      "妹, a chain of them joined with の (子の妻, 妻の父), 妻（未届）, "
	                      "夫（未届）, 縁故者 or 同居人"), norm);
}

int md_relationship_group(const char *term)
{
	const struct md_tsv *t = md_codes(MD_CODES_RELATIONSHIPS);
	int row = md_tsv_find(t, "term", term);
	int links;

	if (row >= 0) {
		int g = atoi(md_tsv_get(t, row, "order"));
		if (g > 0)
			return g;
	}
	links = chain_links(term);
	if (links < 0)
		return 8;
	if (strncmp(term, "子" NO, strlen("子" NO)) == 0)
		return 4;          /* a child's own family: 子の妻, 子の子 */
	if (links == 2 && (strncmp(term, "父" NO, strlen("父" NO)) == 0 ||
	                   strncmp(term, "母" NO, strlen("母" NO)) == 0)) {
		const char *last = term + strlen("父" NO);
		if (strcmp(last, "父") == 0 || strcmp(last, "母") == 0)
			return 7;      /* grandparents: 父の父, 母の母 */
	}
	return 8;
}

static int by_birth(const struct md_member_key *a, const struct md_member_key *b)
{
	int c = strcmp(a->birth_date ? a->birth_date : "", b->birth_date ? b->birth_date : "");
	if (c)
		return c < 0 ? -1 : 1;
	return a->atena < b->atena ? -1 : a->atena > b->atena;
}

int md_member_cmp(const struct md_member_key *a, const struct md_member_key *b)
{
	/* A child's family member tied to a child sorts as that child, just
	 * after it (and its family by birth among themselves). */
	struct md_member_key ca = *a, cb = *b;
	int ga = a->anchored ? 3 : a->group, gb = b->anchored ? 3 : b->group;
	int c;

	if (a->anchored) {
		ca.birth_date = a->anchor_birth;
		ca.atena = a->anchor_atena;
	}
	if (b->anchored) {
		cb.birth_date = b->anchor_birth;
		cb.atena = b->anchor_atena;
	}
	if (ga != gb)
		return ga < gb ? -1 : 1;
	if (ga == 3 && (c = by_birth(&ca, &cb)) != 0)
		return c;                        /* different children's branches */
	if (ga == 3 && !a->anchored != !b->anchored)
		return a->anchored ? 1 : -1;     /* the child before their family */
	if (ga == 3 || ga == 4)
		return by_birth(a, b);
	return a->atena < b->atena ? -1 : a->atena > b->atena;
}

/* name without spaces (half- or full-width), into out. */
static void squeeze(const char *in, char *out, size_t n)
{
	size_t o = 0;
	while (in && *in && o + 1 < n) {
		if (*in == ' ') {
			in++;
		} else if (strncmp(in, "　", strlen("　")) == 0) {
			in += strlen("　");
		} else {
			out[o++] = *in++;
		}
	}
	out[o] = '\0';
}

void md_member_anchor(struct md_member_key *keys, int n, const char *const *names,
                      const char *const *hittosha)
{
	char want[256], have[256];

	for (int i = 0; i < n; i++) {
		keys[i].anchored = 0;
		if (keys[i].group != 4 || !hittosha || !hittosha[i] || !*hittosha[i])
			continue;
		squeeze(hittosha[i], want, sizeof want);
		for (int j = 0; j < n && *want; j++) {
			if (keys[j].group != 3 || !names || !names[j])
				continue;
			squeeze(names[j], have, sizeof have);
			if (strcmp(want, have) == 0) {
				keys[i].anchored = 1;
				keys[i].anchor_birth = keys[j].birth_date;
				keys[i].anchor_atena = keys[j].atena;
				break;
			}
		}
	}
}
