/* relationship.h: 続柄 (relationship to the head of household), as the
 * national standard allows them (registry.md §4), and the member order of a
 * household. The allowed and forbidden terms are data (data/relationships.tsv). */
#ifndef MD_RELATIONSHIP_H
#define MD_RELATIONSHIP_H

#include "error.h"

#define MD_HEAD "世帯主"

/* Checks a 続柄 and writes its standard form into out (NFC, full-width
 * parentheses): a chain of five or more links becomes 縁故者 (and *became
 * is set). Forbidden words are refused with the chain form to use instead. */
int md_relationship_check(const char *term, char *out, size_t n, int *became, struct md_error *err);

/* The member-order group of a valid 続柄: 1 世帯主, 2 spouse, 3 子,
 * 4 a child's family, 5 parents, 6 siblings, 7 grandparents, 8 other
 * relatives, 9 縁故者, 10 同居人. */
int md_relationship_group(const char *term);

/* Sorts members for certificates: by group, then (in 子 and the child's
 * family) date of birth, then 宛名番号. A child's own family member that
 * md_member_anchor() tied to a child follows that child (and the child's
 * earlier family), before the next child. */
struct md_member_key {
	int group;
	const char *birth_date;   /* ISO, 00 for unknown parts */
	long long atena;
	/* Set by md_member_anchor (anchored 0: not tied to a child): the
	 * child's date of birth and 宛名番号, copied. */
	int anchored;
	const char *anchor_birth;
	long long anchor_atena;
};
int md_member_cmp(const struct md_member_key *a, const struct md_member_key *b);
/* Ties each member of a child's family (子の妻, 子の子 ...) to the child of the
 * household they belong with: the child (group 3) whose name is the
 * member's 筆頭者 (the child heads the family register of their own family).
 * names[i] and hittosha[i] belong to keys[i] (NULL or "" when unknown);
 * spaces are ignored in the comparison. A member with no such child stays
 * after all the children. The anchor is copied into the key, so the keys
 * (or the records holding them) may be sorted afterwards. */
void md_member_anchor(struct md_member_key *keys, int n, const char *const *names,
                      const char *const *hittosha);

#endif
