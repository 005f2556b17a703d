/* trainingward_impl.h: the working state of the training ward generator,
 * shared by trainingward.c (the run: writing the rows, protections, the
 * public API) and trainingward_people.c (the lists of data/, drawing
 * households and their members, their story and versions). Core only.
 * The random generator is here, inline, as both files draw from it. */
#ifndef MD_TRAININGWARD_IMPL_H
#define MD_TRAININGWARD_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "error.h"
#include "trainingward.h"

struct md_ctx;
struct md_tsv;

/* ---- the generator: xoshiro256** seeded by splitmix64 -------------------- */

struct rng {
	uint64_t s[4];
};

static inline uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

static inline double u01(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* lo..hi inclusive (lo when hi <= lo). One draw whatever the range, so that
 * what follows does not depend on it. */
static inline long range(struct rng *r, long lo, long hi)
{
	uint64_t x = rng_next(r);
	if (hi <= lo)
		return lo;
	return lo + (long)(x % ((uint64_t)(hi - lo) + 1));
}

static inline int chance(struct rng *r, double p)
{
	return u01(r) < p;
}

/* A weighted choice among items (drawn in trainingward_people.c). */
struct wtab {
	int n, cap;
	double *cum;
	int *item;
};

/* ---- the lists of data/ ---------------------------------------------------- */

struct nm {
	const char *k, *kana;
};

struct fname {          /* a row of foreign_names.tsv, split at the first space */
	int nat, sex;
	char *sur, *given, *sur_kana, *given_kana;
};

enum htype {
	H_SINGLE_YOUNG, H_SINGLE_OLD, H_COUPLE, H_COUPLE_OLD, H_COUPLE_CHILDREN, H_SINGLE_PARENT,
	H_CHILD_PARENT, H_COUPLE_PARENT, H_THREE_GEN, H_EXTENDED, H_SIBLINGS, H_UNMARRIED, H_COHAB,
	H_NTYPES
};

#define MAXBANDS 32
#define MAXNAT 64

struct lists {
	int nsur;
	struct nm *sur;
	struct wtab surnames;
	struct nm *given[2];           /* by sex */
	struct wtab given_era[2][3];   /* by sex and era: old, mid, new */
	const struct md_tsv *dist;
	int d_district, d_chome, d_postal, d_code;
	struct wtab districts;
	int nnat;
	char nat_code[MAXNAT][8];
	const char *nat_name[MAXNAT];
	struct wtab nat_pick;          /* nationality of a foreign household */
	int nfn;
	struct fname *fn;
	struct wtab fn_by[MAXNAT][2];
	const struct md_tsv *rs;
	int rs_col;
	int *rs_years;
	struct wtab st_head;           /* statuses a head of household may hold */
	int st_perm, st_special, st_family, st_jspouse, st_pspouse, st_long, st_student,
	    st_trainee, st_skilled, st_activity;
	int nbands, maxage;
	int band_lo[MAXBANDS], band_hi[MAXBANDS];
	double target[MAXBANDS][2];    /* share of each band and sex */
	double group_target[3];
	double type_w[H_NTYPES];
};

/* ---- the state of one run ------------------------------------------------- */

#define MAXM 12
#define MAXEV 16
#define MAXV 6

enum rm { RM_NONE, RM_OUT, RM_DEAD, RM_PLANNED };
enum evk { EV_ARRIVE, EV_BIRTH, EV_MOVE, EV_MARRY, EV_OUT, EV_DEATH };

struct mem {
	int sex, age, foreign, child, skip, extra, late, marries;
	long birth, join;
	int born_here;
	enum rm rm;
	long rm_day;
	const char *rel, *rel0;
	const char *sur, *sur_kana, *given, *given_kana, *sur0, *sur0_kana;
	const char *former, *former_kana, *honseki, *hittosha, *honseki0, *hittosha0;
	const char *roman, *alias, *alias_kana, *nat, *rstatus, *period, *expiry, *card, *art;
	int guardian, mncard;
	int nver;
	const char **ver[MAXV];
	int vev[MAXV];
	unsigned char *sealed;
	size_t sealed_len;
};

struct ev {
	enum evk kind;
	long day, notified;
	unsigned mask;
	int abroad, planned, late;
	const char *where;
	long long id;
	char made[24], decided[24];
};

struct addr {
	const char *address, *katagaki, *postal, *code;
};

struct hh {
	int type, foreign, former;     /* former: 1 the whole household moved out, 2 died alone */
	char hid[24];
	long long hid_num;
	int n, nev;
	struct mem m[MAXM];
	struct ev ev[MAXEV];
	long arrival, move_day;
	struct addr addr[2];
	int keeper;                    /* index of the spouse whose surname the couple took, or -1 */
};

struct act {                       /* a resident, for choosing protections */
	long long pid, hid;
	short age;
	char sex, child;
};

struct ablk {
	struct ablk *next;
	size_t len, cap;
	char data[];
};

struct gen {
	struct md_ctx *ctx;
	struct lists d;
	struct rng r;
	long T;                        /* today */
	double cnt[MAXBANDS][2], total, gcnt[3], foreign;
	double tsum[H_NTYPES][3], tn[H_NTYPES];
	long long next_pid, next_hid, next_change;
	uint64_t mn_key[4], jc_key[4], mn_ctr, jc_ctr;
	sqlite3_stmt *s_hh, *s_ch, *s_p, *s_v, *s_ni, *s_ai;
	struct ablk *blk;
	struct act *act;
	size_t nact, capact;
	struct md_training_counts c;
	struct hh h;
};

/* ---- trainingward.c ------------------------------------------------------------ */

/* The arena holding the strings of one household (reset for each). */
void *tw_aalloc(struct gen *g, size_t n);
void tw_areset(struct gen *g);
const char *tw_afmt(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "YYYY-MM-DD" of a day number (days from 1970-01-01), in the arena. */
const char *tw_adate(struct gen *g, long day);
/* The same day months later (earlier when negative); the month's last day
 * when it has none. */
long tw_add_months(long day, int months);
int tw_year_of(long day);
/* "YYYY-MM-DDTHH:MM:SSZ" of secs seconds after the start of day. */
void tw_ts(long day, long secs, char out[24]);

/* ---- trainingward_people.c ------------------------------------------------------ */

int tw_lists_load(struct lists *d, struct md_error *err);
void tw_lists_free(struct lists *d);
/* The age group (0-14, 15-64, 65+) and the band of population.tsv of an age. */
int tw_group_of(int age);
int tw_band_of(const struct lists *d, int age);
struct nm tw_surname(struct gen *g);
struct nm tw_given_for(struct gen *g, int sex, int year);
/* Draws one household into g->h, members and story, ready to be written:
 * former 0 living here (at most remaining residents), 1 moved out
 * altogether, 2 a person living alone who died. */
void tw_draw_household(struct gen *g, int former, long remaining);
/* Notification and processing dates of the household's events, in order. */
void tw_timeline(struct gen *g, struct hh *h);
/* The version of m's record made by event e (index ei): the first (arrival
 * or birth, with the numbers already drawn) and the later ones. */
void tw_first_version(struct gen *g, struct hh *h, struct mem *m, const struct ev *e, int ei,
                      const char *mn_idx, const char *jcode);
void tw_next_version(struct gen *g, struct hh *h, struct mem *m, const struct ev *e, int ei);

#endif
