/* trainingward.c: the synthetic training ward 見本区 (see trainingward.h).
 *
 * The ward is made household by household. A household type is drawn from
 * data/households.tsv, its members' ages from data/population.tsv, and two
 * feedback loops keep the result on the population pyramid: household types
 * are weighted by how much they help the age groups (0-14, 15-64, 65+) that
 * lag behind their share, and every age drawn freely (a head's, a child's)
 * is weighted by how far its band and sex lag behind. A story is then laid
 * over each household (arrival, births, a 転居, a marriage, a child moving
 * out, a death, a whole household leaving) and turned into the approved
 * changes and the versions of each person's record that the counter would
 * have produced. Rows are written with prepared statements in one
 * transaction; the search index rows are computed with the same functions
 * md_index_person uses. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>

#include "audit.h"
#include "checkdigit.h"
#include "codes.h"
#include "crypto.h"
#include "ctx.h"
#include "i18n.h"
#include "kana.h"
#include "nameindex.h"
#include "person.h"
#include "relationship.h"
#include "store.h"
#include "timeutil.h"
#include "trainingward.h"
#include "xalloc.h"

/* ---- the generator: xoshiro256** seeded by splitmix64 -------------------- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
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

static double u01(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* lo..hi inclusive (lo when hi <= lo). One draw whatever the range, so that
 * what follows does not depend on it. */
static long range(struct rng *r, long lo, long hi)
{
	uint64_t x = rng_next(r);
	if (hi <= lo)
		return lo;
	return lo + (long)(x % ((uint64_t)(hi - lo) + 1));
}

static int chance(struct rng *r, double p)
{
	return u01(r) < p;
}

/* A keyed permutation of [0, domain): a 4-round Feistel network on 2*half
 * bits, walked until the value falls inside the domain. */
static uint64_t permute(const uint64_t key[4], uint64_t x, uint64_t domain, int half)
{
	uint64_t mask = (1ULL << half) - 1;
	do {
		uint64_t l = x >> half, r = x & mask;
		for (int i = 0; i < 4; i++) {
			uint64_t z = r ^ key[i], nl = r;
			r = l ^ (splitmix(&z) & mask);
			l = nl;
		}
		x = (l << half) | r;
	} while (x >= domain);
	return x;
}

/* ---- weighted choice -------------------------------------------------------- */

struct wtab {
	int n, cap;
	double *cum;
	int *item;
};

static void wtab_add(struct wtab *t, int item, double w)
{
	if (w <= 0)
		return;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cum = xrealloc(t->cum, (size_t)t->cap * sizeof *t->cum);
		t->item = xrealloc(t->item, (size_t)t->cap * sizeof *t->item);
	}
	t->cum[t->n] = (t->n ? t->cum[t->n - 1] : 0) + w;
	t->item[t->n++] = item;
}

static int wtab_pick(const struct wtab *t, struct rng *r)
{
	double x;
	int lo = 0, hi;

	if (t->n == 0)
		return -1;
	x = u01(r) * t->cum[t->n - 1];
	hi = t->n - 1;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (t->cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return t->item[lo];
}

static void wtab_free(struct wtab *t)
{
	free(t->cum);
	free(t->item);
	memset(t, 0, sizeof *t);
}

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

/* The types the generator can build, by their names in households.tsv; how
 * likely each is to be a foreign household, relative to the others (foreign
 * residents are mostly young: students, workers, young families); and the
 * members each is expected to bring to the groups 0-14, 15-64, 65+ (a
 * starting point only: the generator learns the real figures as it goes). */
static const struct {
	const char *name;
	double foreign;
	double prior[3];
} htypes[H_NTYPES] = {
	{ "single_young", 2.0, { 0, 1, 0 } },
	{ "single_old", 0.3, { 0, 0, 1 } },
	{ "couple", 1.2, { 0, 2, 0 } },
	{ "couple_old", 0.3, { 0, 0, 2 } },
	{ "couple_children", 1.0, { 1, 2.7, 0 } },
	{ "single_parent", 0.6, { 0.6, 1.6, 0.3 } },
	{ "child_parent", 0, { 0, 1.1, 1.2 } },
	{ "couple_parent", 0, { 0, 2, 1.3 } },
	{ "three_generation", 0.4, { 1, 2.7, 1.5 } },
	{ "extended", 0, { 0.6, 2.6, 1.8 } },
	{ "siblings", 0, { 0, 2.3, 0.2 } },
	{ "unmarried_couple", 1.0, { 0, 2, 0 } },
	{ "cohabitants", 1.5, { 0, 2.5, 0 } },
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

static int col(const struct md_tsv *t, const char *name, const char *file, struct md_error *err)
{
	int c = md_tsv_col(t, name);
	if (c < 0)
		md_error_set(err, MD_E_CONFIG, file, _("%s has no column \"%s\""), file, name);
	return c;
}

static int find_row(const struct md_tsv *t, int c, const char *value)
{
	for (int i = 0; i < t->nrows; i++)
		if (strcmp(t->rows[i][c], value) == 0)
			return i;
	return -1;
}

static int nat_index(const struct lists *d, const char *code)
{
	for (int i = 0; i < d->nnat; i++)
		if (strcmp(d->nat_code[i], code) == 0)
			return i;
	return -1;
}

static void lists_free(struct lists *d)
{
	wtab_free(&d->surnames);
	for (int s = 0; s < 2; s++) {
		free(d->given[s]);
		for (int e = 0; e < 3; e++)
			wtab_free(&d->given_era[s][e]);
	}
	free(d->sur);
	wtab_free(&d->districts);
	wtab_free(&d->nat_pick);
	for (int i = 0; i < d->nfn; i++) {
		free(d->fn[i].sur);
		free(d->fn[i].given);
		free(d->fn[i].sur_kana);
		free(d->fn[i].given_kana);
	}
	free(d->fn);
	for (int i = 0; i < MAXNAT; i++)
		for (int s = 0; s < 2; s++)
			wtab_free(&d->fn_by[i][s]);
	free(d->rs_years);
	wtab_free(&d->st_head);
}

static int load_names(struct lists *d, struct md_error *err)
{
	const struct md_tsv *t = md_codes(MD_CODES_SURNAMES);
	int ck, cn, cw;

	if ((ck = col(t, "kanji", "surnames.tsv", err)) < 0 || (cn = col(t, "kana", "surnames.tsv", err)) < 0 ||
	    (cw = col(t, "weight", "surnames.tsv", err)) < 0)
		return MD_E_CONFIG;
	d->nsur = t->nrows;
	d->sur = xcalloc((size_t)t->nrows + 1, sizeof *d->sur);
	for (int i = 0; i < t->nrows; i++) {
		d->sur[i].k = t->rows[i][ck];
		d->sur[i].kana = t->rows[i][cn];
		wtab_add(&d->surnames, i, atof(t->rows[i][cw]));
	}
	for (int s = 0; s < 2; s++) {
		const char *file = s ? "given_names_female.tsv" : "given_names_male.tsv";
		int ce;
		t = md_codes(s ? MD_CODES_GIVEN_FEMALE : MD_CODES_GIVEN_MALE);
		if ((ck = col(t, "kanji", file, err)) < 0 || (cn = col(t, "kana", file, err)) < 0 ||
		    (cw = col(t, "weight", file, err)) < 0 || (ce = col(t, "era", file, err)) < 0)
			return MD_E_CONFIG;
		d->given[s] = xcalloc((size_t)t->nrows + 1, sizeof *d->given[s]);
		for (int i = 0; i < t->nrows; i++) {
			const char *era = t->rows[i][ce];
			int e = strcmp(era, "old") == 0 ? 0 : strcmp(era, "mid") == 0 ? 1 : strcmp(era, "new") == 0 ? 2 : -1;
			if (e < 0)
				return md_error_setl(err, MD_E_CONFIG, file, i + 1,
				                     _("%s: era must be old, mid or new, not \"%s\""), file, era);
			d->given[s][i].k = t->rows[i][ck];
			d->given[s][i].kana = t->rows[i][cn];
			wtab_add(&d->given_era[s][e], i, atof(t->rows[i][cw]));
		}
		for (int e = 0; e < 3; e++)
			if (d->given_era[s][e].n == 0)
				return md_error_set(err, MD_E_CONFIG, file, _("%s has no names of era %s"), file,
				                    e == 0 ? "old" : e == 1 ? "mid" : "new");
	}
	if (d->nsur == 0 || d->surnames.n == 0)
		return md_error_set(err, MD_E_CONFIG, "surnames.tsv", _("%s has no rows"), "surnames.tsv");
	return MD_OK;
}

static int load_foreign(struct lists *d, struct md_error *err)
{
	const struct md_tsv *t = md_codes(MD_CODES_NATIONALITIES);
	int cc, cn, cr, ck, cs, cw;

	if ((cc = col(t, "code", "nationalities.tsv", err)) < 0 || (cn = col(t, "name", "nationalities.tsv", err)) < 0)
		return MD_E_CONFIG;
	for (int i = 0; i < t->nrows && d->nnat < MAXNAT; i++) {
		snprintf(d->nat_code[d->nnat], sizeof d->nat_code[0], "%s", t->rows[i][cc]);
		d->nat_name[d->nnat++] = t->rows[i][cn];
	}
	t = md_codes(MD_CODES_FOREIGN_NAMES);
	if ((cc = col(t, "nationality", "foreign_names.tsv", err)) < 0 ||
	    (cr = col(t, "romaji", "foreign_names.tsv", err)) < 0 || (ck = col(t, "kana", "foreign_names.tsv", err)) < 0 ||
	    (cs = col(t, "sex", "foreign_names.tsv", err)) < 0 || (cw = col(t, "weight", "foreign_names.tsv", err)) < 0)
		return MD_E_CONFIG;
	d->fn = xcalloc((size_t)t->nrows + 1, sizeof *d->fn);
	for (int i = 0; i < t->nrows; i++) {
		struct fname *f = &d->fn[d->nfn];
		const char *ro = t->rows[i][cr], *ka = t->rows[i][ck];
		const char *sp = strchr(ro, ' '), *kp = strchr(ka, ' ');
		int nat = nat_index(d, t->rows[i][cc]);
		double w = atof(t->rows[i][cw]);
		if (nat < 0)
			return md_error_setl(err, MD_E_CONFIG, "foreign_names.tsv", i + 1,
			                     _("foreign_names.tsv: nationality %s is not in nationalities.tsv"),
			                     t->rows[i][cc]);
		f->nat = nat;
		f->sex = strcmp(t->rows[i][cs], "F") == 0;
		f->sur = sp ? xstrndup(ro, (size_t)(sp - ro)) : xstrdup(ro);
		f->given = xstrdup(sp ? sp + 1 : "");
		f->sur_kana = kp ? xstrndup(ka, (size_t)(kp - ka)) : xstrdup(ka);
		f->given_kana = xstrdup(kp ? kp + 1 : "");
		wtab_add(&d->fn_by[nat][f->sex], d->nfn, w);
		wtab_add(&d->nat_pick, nat, w);
		d->nfn++;
	}
	if (d->nfn == 0)
		return md_error_set(err, MD_E_CONFIG, "foreign_names.tsv", _("%s has no rows"), "foreign_names.tsv");
	t = md_codes(MD_CODES_RESIDENCE_STATUS);
	d->rs = t;
	if ((cs = d->rs_col = col(t, "status", "residence_status.tsv", err)) < 0 ||
	    (cw = col(t, "weight", "residence_status.tsv", err)) < 0 ||
	    (cn = col(t, "period_years", "residence_status.tsv", err)) < 0)
		return MD_E_CONFIG;
	d->rs_years = xcalloc((size_t)t->nrows + 1, sizeof *d->rs_years);
	d->st_perm = find_row(t, cs, "永住者");
	d->st_special = find_row(t, cs, "特別永住者");
	d->st_family = find_row(t, cs, "家族滞在");
	d->st_jspouse = find_row(t, cs, "日本人の配偶者等");
	d->st_pspouse = find_row(t, cs, "永住者の配偶者等");
	d->st_long = find_row(t, cs, "定住者");
	d->st_student = find_row(t, cs, "留学");
	d->st_trainee = find_row(t, cs, "技能実習");
	d->st_skilled = find_row(t, cs, "特定技能");
	d->st_activity = find_row(t, cs, "特定活動");
	for (int i = 0; i < t->nrows; i++) {
		d->rs_years[i] = atoi(t->rows[i][cn]);
		/* Statuses held only as someone's family are not drawn for a head. */
		if (i != d->st_family && i != d->st_jspouse && i != d->st_pspouse)
			wtab_add(&d->st_head, i, atof(t->rows[i][cw]));
	}
	if (d->st_head.n == 0)
		return md_error_set(err, MD_E_CONFIG, "residence_status.tsv", _("%s has no rows"),
		                    "residence_status.tsv");
	return MD_OK;
}

static int lists_load(struct lists *d, struct md_error *err)
{
	const struct md_tsv *t;
	int c1, c2, c3, c4, rc;
	double total = 0;

	memset(d, 0, sizeof *d);
	if ((rc = load_names(d, err)) != MD_OK || (rc = load_foreign(d, err)) != MD_OK)
		return rc;
	t = d->dist = md_codes(MD_CODES_DISTRICTS);
	if ((d->d_district = col(t, "district", "districts.tsv", err)) < 0 ||
	    (d->d_chome = col(t, "chome", "districts.tsv", err)) < 0 ||
	    (d->d_postal = col(t, "postal_code", "districts.tsv", err)) < 0 ||
	    (d->d_code = col(t, "code", "districts.tsv", err)) < 0 || (c1 = col(t, "weight", "districts.tsv", err)) < 0)
		return MD_E_CONFIG;
	for (int i = 0; i < t->nrows; i++)
		wtab_add(&d->districts, i, atof(t->rows[i][c1]));
	if (d->districts.n == 0)
		return md_error_set(err, MD_E_CONFIG, "districts.tsv", _("%s has no rows"), "districts.tsv");

	t = md_codes(MD_CODES_POPULATION);
	if ((c1 = col(t, "age_from", "population.tsv", err)) < 0 || (c2 = col(t, "age_to", "population.tsv", err)) < 0 ||
	    (c3 = col(t, "male", "population.tsv", err)) < 0 || (c4 = col(t, "female", "population.tsv", err)) < 0)
		return MD_E_CONFIG;
	for (int i = 0; i < t->nrows && d->nbands < MAXBANDS; i++) {
		int b = d->nbands++;
		d->band_lo[b] = atoi(t->rows[i][c1]);
		d->band_hi[b] = atoi(t->rows[i][c2]);
		d->target[b][0] = atof(t->rows[i][c3]);
		d->target[b][1] = atof(t->rows[i][c4]);
		if (d->band_hi[b] < d->band_lo[b] || (b > 0 && d->band_lo[b] != d->band_hi[b - 1] + 1))
			return md_error_setl(err, MD_E_CONFIG, "population.tsv", i + 1,
			                     _("population.tsv: the age bands must follow each other"));
		total += d->target[b][0] + d->target[b][1];
	}
	if (d->nbands == 0 || total <= 0 || d->band_lo[0] != 0 || d->band_hi[d->nbands - 1] < 65)
		return md_error_set(err, MD_E_CONFIG, "population.tsv",
		                    _("population.tsv must give the ages from 0 to at least 65"));
	d->maxage = d->band_hi[d->nbands - 1];
	for (int b = 0; b < d->nbands; b++)
		for (int s = 0; s < 2; s++) {
			d->target[b][s] /= total;
			d->group_target[d->band_lo[b] < 15 ? 0 : d->band_lo[b] < 65 ? 1 : 2] += d->target[b][s];
		}

	t = md_codes(MD_CODES_HOUSEHOLDS);
	if ((c1 = col(t, "type", "households.tsv", err)) < 0 || (c2 = col(t, "weight", "households.tsv", err)) < 0)
		return MD_E_CONFIG;
	total = 0;
	for (int i = 0; i < t->nrows; i++) {
		int k;
		for (k = 0; k < H_NTYPES; k++)
			if (strcmp(htypes[k].name, t->rows[i][c1]) == 0)
				break;
		if (k == H_NTYPES)
			return md_error_setl(err, MD_E_CONFIG, "households.tsv", i + 1,
			                     _("households.tsv: unknown household type \"%s\""), t->rows[i][c1]);
		d->type_w[k] = atof(t->rows[i][c2]);
		total += d->type_w[k];
	}
	if (total <= 0)
		return md_error_set(err, MD_E_CONFIG, "households.tsv", _("%s has no rows"), "households.tsv");
	return MD_OK;
}

/* ---- dates (day numbers from 1970-01-01) ----------------------------------- */

static void civil(long z, int *y, int *m, int *d)
{
	long era, yy;
	unsigned long doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned long)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

static int month_days(int y, int m)
{
	static const int n[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : n[m - 1];
}

/* The same day k years (or months) later; the month's last day when it has none. */
static long add_months(long day, int months)
{
	int y, m, d;
	civil(day, &y, &m, &d);
	m += months;
	while (m > 12) {
		m -= 12;
		y++;
	}
	while (m < 1) {
		m += 12;
		y--;
	}
	if (d > month_days(y, m))
		d = month_days(y, m);
	return md_days_from_civil(y, m, d);
}

static int year_of(long day)
{
	int y, m, d;
	civil(day, &y, &m, &d);
	return y;
}

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

/* ---- arena: the strings of one household ------------------------------------ */

static void *aalloc(struct gen *g, size_t n)
{
	void *p;
	n = (n + 7) & ~(size_t)7;
	if (!g->blk || g->blk->len + n > g->blk->cap) {
		size_t cap = n > 65536 ? n : 65536;
		struct ablk *b = xmalloc(sizeof *b + cap);
		b->next = g->blk;
		b->len = 0;
		b->cap = cap;
		g->blk = b;
	}
	p = g->blk->data + g->blk->len;
	g->blk->len += n;
	return p;
}

static void areset(struct gen *g)
{
	while (g->blk && g->blk->next) {
		struct ablk *n = g->blk->next;
		free(g->blk);
		g->blk = n;
	}
	if (g->blk)
		g->blk->len = 0;
}

static const char *afmt(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *afmt(struct gen *g, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof buf)
		n = sizeof buf - 1;
	p = aalloc(g, (size_t)n + 1);
	memcpy(p, buf, (size_t)n);
	p[n] = '\0';
	return p;
}

static const char *adate(struct gen *g, long day)
{
	int y, m, d;
	civil(day, &y, &m, &d);
	return afmt(g, "%04d-%02d-%02d", y, m, d);
}

/* ---- ages ----------------------------------------------------------------- */

/* A correction factor for a deficit: 1 when on target, above 1 when behind,
 * below when ahead (bounded, no libm needed). */
static double boost(double deficit, double k)
{
	double x = deficit * k;
	if (x > 4)
		x = 4;
	if (x < -4)
		x = -4;
	return x >= 0 ? 1 + x : 1 / (1 - x);
}

#define K_BAND 0.05
#define K_GROUP 0.02
#define K_FOREIGN 0.05
#define FOREIGN_SHARE 0.03

/* An age in lo..hi and a sex (sexmode 0 male, 1 female, -1 either), by the
 * pyramid and the bands that lag behind. */
static int sample_age(struct gen *g, int lo, int hi, int sexmode, int *sex)
{
	double w[MAXBANDS * 2], sum = 0, x;
	int bl[MAXBANDS * 2], sl[MAXBANDS * 2], n = 0, k;
	const struct lists *d = &g->d;

	if (hi > d->maxage)
		hi = d->maxage;
	if (lo < 0)
		lo = 0;
	if (hi < lo)
		hi = lo;
	for (int b = 0; b < d->nbands; b++) {
		int olo = lo > d->band_lo[b] ? lo : d->band_lo[b];
		int ohi = hi < d->band_hi[b] ? hi : d->band_hi[b];
		if (olo > ohi)
			continue;
		for (int s = 0; s < 2; s++) {
			double frac = (double)(ohi - olo + 1) / (d->band_hi[b] - d->band_lo[b] + 1);
			if (sexmode >= 0 && s != sexmode)
				continue;
			w[n] = d->target[b][s] * frac * boost(d->target[b][s] * g->total - g->cnt[b][s], K_BAND);
			bl[n] = b;
			sl[n] = s;
			sum += w[n++];
		}
	}
	if (n == 0 || sum <= 0) {
		*sex = sexmode >= 0 ? sexmode : (int)range(&g->r, 0, 1);
		return (int)range(&g->r, lo, hi);
	}
	x = u01(&g->r) * sum;
	for (k = 0; k < n - 1 && x >= w[k]; k++)
		x -= w[k];
	*sex = sl[k];
	{
		int olo = lo > d->band_lo[bl[k]] ? lo : d->band_lo[bl[k]];
		int ohi = hi < d->band_hi[bl[k]] ? hi : d->band_hi[bl[k]];
		return (int)range(&g->r, olo, ohi);
	}
}

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* A day of birth for someone aged age today (at the latest yesterday). */
static long birth_of(struct gen *g, int age)
{
	long hi = add_months(g->T, -12 * age), lo = add_months(g->T, -12 * (age + 1)) + 1;
	if (hi > g->T - 1)
		hi = g->T - 1;
	return range(&g->r, lo, hi);
}

static int group_of(int age)
{
	return age < 15 ? 0 : age < 65 ? 1 : 2;
}

static int band_of(const struct lists *d, int age)
{
	for (int b = 0; b < d->nbands; b++)
		if (age <= d->band_hi[b])
			return b;
	return d->nbands - 1;
}

/* ---- names, registers and addresses ----------------------------------------- */

static struct nm surname(struct gen *g)
{
	return g->d.sur[wtab_pick(&g->d.surnames, &g->r)];
}

static struct nm surname_not(struct gen *g, const char *not)
{
	struct nm s = surname(g);
	for (int i = 0; i < 8 && strcmp(s.k, not) == 0; i++)
		s = surname(g);
	return s;
}

static struct nm given_for(struct gen *g, int sex, int year)
{
	int era = year < 1950 ? 0 : year < 1990 ? 1 : 2;
	return g->d.given[sex][wtab_pick(&g->d.given_era[sex][era], &g->r)];
}

static void set_sur(struct mem *m, struct nm s)
{
	m->sur = s.k;
	m->sur_kana = s.kana;
}

static void name_given(struct gen *g, struct mem *m)
{
	struct nm n = given_for(g, m->sex, year_of(m->birth));
	m->given = n.k;
	m->given_kana = n.kana;
}

static const char *full(struct gen *g, const struct mem *m)
{
	return afmt(g, "%s %s", m->sur, m->given);
}

/* The name of someone's father: the same surname, a name of his generation. */
static const char *father_of(struct gen *g, const char *sur, long child_birth)
{
	return afmt(g, "%s %s", sur, given_for(g, 0, year_of(child_birth) - 30).k);
}

/* Prefectural capitals, for 本籍 and addresses outside the ward. */
static const char *const places[] = {
	"北海道札幌市中央区北三条西", "青森県青森市長島", "岩手県盛岡市内丸", "宮城県仙台市青葉区本町",
	"秋田県秋田市山王", "山形県山形市松波", "福島県福島市杉妻町", "茨城県水戸市笠原町",
	"栃木県宇都宮市塙田", "群馬県前橋市大手町", "埼玉県さいたま市浦和区高砂", "千葉県千葉市中央区市場町",
	"東京都新宿区西新宿", "神奈川県横浜市中区日本大通", "新潟県新潟市中央区新光町", "富山県富山市新総曲輪",
	"石川県金沢市鞍月", "福井県福井市大手", "山梨県甲府市丸の内", "長野県長野市南長野",
	"岐阜県岐阜市薮田南", "静岡県静岡市葵区追手町", "愛知県名古屋市中区三の丸", "三重県津市広明町",
	"滋賀県大津市京町", "京都府京都市上京区薮之内町", "大阪府大阪市中央区大手前", "兵庫県神戸市中央区下山手通",
	"奈良県奈良市登大路町", "和歌山県和歌山市小松原通", "鳥取県鳥取市東町", "島根県松江市殿町",
	"岡山県岡山市北区内山下", "広島県広島市中区基町", "山口県山口市滝町", "徳島県徳島市万代町",
	"香川県高松市番町", "愛媛県松山市一番町", "高知県高知市丸ノ内", "福岡県福岡市博多区東公園",
	"佐賀県佐賀市城内", "長崎県長崎市尾上町", "熊本県熊本市中央区水前寺", "大分県大分市大手町",
	"宮崎県宮崎市橘通東", "鹿児島県鹿児島市鴨池新町", "沖縄県那覇市泉崎",
};
#define NPLACES (sizeof places / sizeof places[0])

static const char *honseki_new(struct gen *g)
{
	if (chance(&g->r, 0.35)) {
		const struct lists *d = &g->d;
		int row = wtab_pick(&d->districts, &g->r), ch = atoi(d->dist->rows[row][d->d_chome]);
		const char *dn = d->dist->rows[row][d->d_district];
		long ban = range(&g->r, 1, 40);
		return ch > 0 ? afmt(g, "見本区%s%d丁目%ld番地", dn, ch, ban) : afmt(g, "見本区%s%ld番地", dn, ban);
	}
	return afmt(g, "%s%ld丁目%ld番地", places[range(&g->r, 0, NPLACES - 1)], range(&g->r, 1, 5),
	            range(&g->r, 1, 30));
}

static const char *elsewhere(struct gen *g)
{
	return afmt(g, "%s%ld丁目%ld番%ld号", places[range(&g->r, 0, NPLACES - 1)], range(&g->r, 1, 5),
	            range(&g->r, 1, 30), range(&g->r, 1, 20));
}

static const char *abroad_place(struct gen *g, const char *nat)
{
	int i = nat ? nat_index(&g->d, nat) : -1;
	if (i < 0)
		i = wtab_pick(&g->d.nat_pick, &g->r);
	return g->d.nat_name[i];
}

static uint64_t mix3(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t x = a * 0x100000001b3ULL ^ b * 0x9e3779b97f4a7c15ULL ^ c * 0xc2b2ae3d27d4eb4fULL;
	return splitmix(&x);
}

static void pick_address(struct gen *g, struct addr *a)
{
	static const char *const pre[] = { "見本", "サン", "グリーン", "ロイヤル", "パーク", "メゾン", "シティ",
	                                   "リバー", "ベル", "フォレスト", "エスポワール", "ニュー" };
	static const char *const suf[] = { "ハイツ", "コーポ", "マンション", "レジデンス", "荘", "ハウス",
	                                   "パレス", "コート", "ヒルズ", "テラス", "ガーデン", "ハイム" };
	const struct lists *d = &g->d;
	int row = wtab_pick(&d->districts, &g->r), ch = atoi(d->dist->rows[row][d->d_chome]);
	const char *dn = d->dist->rows[row][d->d_district];
	long ban = range(&g->r, 1, 40), go = range(&g->r, 1, 30);
	uint64_t h = mix3((uint64_t)row, (uint64_t)ban, (uint64_t)go);

	a->address = ch > 0 ? afmt(g, "見本区%s%d丁目%ld番%ld号", dn, ch, ban, go)
	                    : afmt(g, "見本区%s%ld番%ld号", dn, ban, go);
	a->postal = d->dist->rows[row][d->d_postal];
	a->code = d->dist->rows[row][d->d_code];
	a->katagaki = NULL;
	/* Whether an address is a block of flats, and its name, go with the address. */
	if (h % 100 < 40) {
		int s = (int)((h >> 8) % (sizeof suf / sizeof suf[0]));
		int floors = s <= 1 || s == 4 ? 2 : 10;
		const char *p = (h >> 16) % 3 == 0 ? dn : pre[(h >> 20) % (sizeof pre / sizeof pre[0])];
		a->katagaki = afmt(g, "%s%s%ld%02ld号室", p, suf[s], range(&g->r, 1, floors), range(&g->r, 1, 10));
	}
}

/* ---- foreign residents ---------------------------------------------------------- */

static int head_status(struct gen *g, int age)
{
	const struct lists *d = &g->d;
	int s = -1;
	for (int i = 0; i < 30; i++) {
		s = wtab_pick(&d->st_head, &g->r);
		if (s == d->st_student && age > 35)
			continue;
		if ((s == d->st_trainee || s == d->st_skilled) && age > 45)
			continue;
		if (age >= 60 && s != d->st_perm && s != d->st_special && s != d->st_long)
			continue;
		if (s == d->st_perm && age < 25)
			continue;
		return s;
	}
	return d->st_perm >= 0 ? d->st_perm : s;
}

static int pick_fname(struct gen *g, int nat, int sex)
{
	int i = wtab_pick(&g->d.fn_by[nat][sex], &g->r);
	if (i < 0)
		i = wtab_pick(&g->d.fn_by[nat][!sex], &g->r);
	return i;
}

static void foreign_items(struct gen *g, struct mem *m, int nat, int st)
{
	const struct lists *d = &g->d;
	int years = st >= 0 ? d->rs_years[st] : 0;
	char card[16];

	m->foreign = 1;
	m->nat = d->nat_code[nat];
	m->rstatus = st >= 0 ? d->rs->rows[st][d->rs_col] : NULL;
	if (years == 3) {
		double u = u01(&g->r);
		years = u < 0.25 ? 1 : u < 0.8 ? 3 : 5;
	}
	m->period = years > 0 ? afmt(g, "%d年", years) : NULL;
	m->expiry = years > 0 ? adate(g, g->T + range(&g->r, 30, years * 365L)) : NULL;
	for (int i = 0; i < 12; i++)
		card[i] = i < 2 || i >= 10 ? (char)('A' + range(&g->r, 0, 25)) : (char)('0' + range(&g->r, 0, 9));
	card[12] = '\0';
	m->card = afmt(g, "%s", card);
	m->art = st == d->st_special ? "特別永住者" : "中長期在留者";
	m->honseki = m->hittosha = m->honseki0 = m->hittosha0 = NULL;
	m->sur0 = m->former = NULL;
	m->marries = 0;
	/* A Japanese alias (通称), rarely, and mostly for 特別永住者. */
	if ((strcmp(m->nat, "KOR") == 0 || strcmp(m->nat, "CHN") == 0 || strcmp(m->nat, "TWN") == 0) &&
	    chance(&g->r, st == d->st_special ? 0.4 : 0.04)) {
		struct nm s = surname(g), n = given_for(g, m->sex, year_of(m->birth));
		m->alias = afmt(g, "%s %s", s.k, n.k);
		m->alias_kana = afmt(g, "%s %s", s.kana, n.kana);
	}
}

static void foreign_name(struct gen *g, struct mem *m, int nat, const struct mem *family)
{
	const struct fname *f = &g->d.fn[pick_fname(g, nat, m->sex)];
	const char *sur = family ? family->sur : f->sur, *sk = family ? family->sur_kana : f->sur_kana;
	m->sur = sur;
	m->sur_kana = sk;
	m->given = f->given;
	m->given_kana = f->given_kana;
	m->roman = *f->given ? afmt(g, "%s %s", sur, f->given) : sur;
}

/* Turns a household built with Japanese names into a foreign one: one
 * nationality; children take the father's surname, and so does a wife where
 * that is the custom. */
static void make_foreign(struct gen *g, struct hh *h)
{
	const struct lists *d = &g->d;
	struct mem *hd = &h->m[0], *father = hd->sex == 0 ? hd : NULL;
	int st = head_status(g, hd->age), nat = -1, keeps, mmr;

	if (st == d->st_special) {
		double u = u01(&g->r);
		nat = nat_index(d, u < 0.85 ? "KOR" : u < 0.93 ? "TWN" : "CHN");
	}
	if (nat < 0)
		nat = wtab_pick(&d->nat_pick, &g->r);
	keeps = strstr("CHN KOR TWN VNM MMR", d->nat_code[nat]) != NULL;
	mmr = strcmp(d->nat_code[nat], "MMR") == 0;
	for (int i = 1; i < h->n && !father; i++)
		if (!h->m[i].skip && strcmp(h->m[i].rel, "夫") == 0)
			father = &h->m[i];
	for (int i = 0; i < h->n; i++) {
		struct mem *m = &h->m[i];
		const struct mem *fam = NULL;
		int s = st;
		if (m->skip)
			continue;
		if (i == 0) {
			fam = NULL;
		} else if (strcmp(m->rel, "妻") == 0 || strcmp(m->rel, "夫") == 0) {
			fam = !keeps && m != father ? father : NULL;
			s = st == d->st_perm ? (chance(&g->r, 0.6) || d->st_pspouse < 0 ? d->st_perm : d->st_pspouse)
			    : st == d->st_special || st == d->st_long ? st : d->st_family;
		} else if (m->child) {
			fam = mmr ? NULL : father ? father : hd;
			s = st == d->st_perm || st == d->st_special || st == d->st_long ? st : d->st_family;
		} else if (strcmp(m->rel, "父") == 0 || strcmp(m->rel, "母") == 0) {
			s = st == d->st_perm || st == d->st_special ? st : d->st_activity;
		} else {
			s = head_status(g, m->age);
		}
		if (s < 0)
			s = st;
		foreign_name(g, m, nat, fam);
		foreign_items(g, m, nat, s);
		m->rel0 = NULL;
	}
	h->keeper = -1;
}

/* ---- households ---------------------------------------------------------------- */

static struct mem *add(struct gen *g, struct hh *h, const char *rel, int sex, int age)
{
	struct mem *m = &h->m[h->n < MAXM ? h->n++ : MAXM - 1];
	memset(m, 0, sizeof *m);
	m->rel = rel;
	m->sex = sex;
	m->age = clampi(age, 0, g->d.maxage);
	m->birth = birth_of(g, m->age);
	m->foreign = h->foreign;
	return m;
}

static struct mem *add_sampled(struct gen *g, struct hh *h, const char *rel, int lo, int hi, int sexmode)
{
	int sex, age = sample_age(g, lo, hi, sexmode, &sex);
	return add(g, h, rel, sex, age);
}

static void koseki(struct mem *m, const char *honseki, const char *hittosha)
{
	m->honseki = honseki;
	m->hittosha = hittosha;
}

/* An adult living without spouse: still in the parents' register, or head
 * of their own. */
static void single_adult(struct gen *g, struct mem *m)
{
	set_sur(m, surname(g));
	name_given(g, m);
	koseki(m, honseki_new(g), m->age >= 35 && chance(&g->r, 0.3) ? full(g, m) : father_of(g, m->sur, m->birth));
}

static int spouse_age(struct gen *g, const struct mem *hd, int lo, int hi)
{
	int diff = (int)range(&g->r, -3, 6);     /* the husband is usually the older */
	return clampi(hd->sex == 0 ? hd->age - diff : hd->age + diff, lo, hi);
}

/* A married couple: both take the keeper's surname (the husband's in most
 * marriages); the other's birth surname (cbirth, or a random one) is kept
 * for the history and, for a few, recorded as 旧氏. One register, the
 * keeper its head (筆頭者). */
static void marry(struct gen *g, struct hh *h, struct mem *hu, struct mem *wi, int wife_keeps, struct nm keep,
                  const struct nm *cbirth)
{
	struct mem *k = wife_keeps ? wi : hu, *c = wife_keeps ? hu : wi;
	struct nm maiden = cbirth ? *cbirth : surname_not(g, keep.k);
	const char *hs, *hit;

	set_sur(k, keep);
	set_sur(c, keep);
	c->sur0 = maiden.k;
	c->sur0_kana = maiden.kana;
	k->sur0 = NULL;
	name_given(g, k);
	name_given(g, c);
	hs = honseki_new(g);
	hit = full(g, k);
	koseki(k, hs, hit);
	koseki(c, hs, hit);
	if (chance(&g->r, 0.06)) {
		c->former = maiden.k;
		c->former_kana = maiden.kana;
	}
	if (h)
		h->keeper = (int)(k - h->m);
}

static struct mem *keeper_of(struct hh *h)
{
	return h->keeper >= 0 ? &h->m[h->keeper] : &h->m[0];
}

static void family_child(struct gen *g, struct mem *kid, const struct mem *k)
{
	kid->sur = k->sur;
	kid->sur_kana = k->sur_kana;
	name_given(g, kid);
	koseki(kid, k->honseki, k->hittosha);
}

static void kids(struct gen *g, struct hh *h, int parent_age, int n, const struct mem *k, const char *rel)
{
	for (int i = 0; i < n; i++) {
		int lo = parent_age - 45 > 0 ? parent_age - 45 : 0, hi = parent_age - 20 < 40 ? parent_age - 20 : 40;
		int sex, age;
		struct mem *m;
		if (hi < lo)
			return;
		age = sample_age(g, lo, hi, -1, &sex);
		m = add(g, h, rel, sex, age);
		m->child = 1;
		family_child(g, m, k);
	}
}

/* The couple's names; now and then a Japanese head with a foreign spouse. */
static void couple_names(struct gen *g, struct hh *h, struct mem *hd, struct mem *sp, int mixed_ok)
{
	struct mem *hu = hd->sex == 0 ? hd : sp, *wi = hd->sex == 0 ? sp : hd;
	if (mixed_ok && !h->foreign && chance(&g->r, 0.015)) {
		int nat = wtab_pick(&g->d.nat_pick, &g->r);
		single_adult(g, hd);
		koseki(hd, hd->honseki, full(g, hd));
		h->keeper = 0;
		foreign_name(g, sp, nat, NULL);
		foreign_items(g, sp, nat, sp->age >= 40 && chance(&g->r, 0.5) ? g->d.st_perm : g->d.st_jspouse);
		return;
	}
	marry(g, h, hu, wi, chance(&g->r, 0.05), surname(g), NULL);
}

/* The parents of child (head or spouse): which 1 mother, 2 father, 3 both. */
static void add_parents(struct gen *g, struct hh *h, struct mem *child, const char *frel, const char *mrel,
                        int which)
{
	struct nm bs = { child->sur0 ? child->sur0 : child->sur, child->sur0 ? child->sur0_kana : child->sur_kana };
	int ma = clampi(child->age + (int)range(&g->r, 20, 40), 0, g->d.maxage);
	int fa = which == 2 ? clampi(child->age + (int)range(&g->r, 22, 42), 0, g->d.maxage)
	                    : clampi(ma + (int)range(&g->r, 0, 5), 0, g->d.maxage);
	struct mem *f = NULL, *mo = NULL;
	const char *hs = honseki_new(g), *hit;

	if (which & 2) {
		f = add(g, h, frel, 0, fa);
		set_sur(f, bs);
		name_given(g, f);
	}
	if (which & 1) {
		mo = add(g, h, mrel, 1, ma);
		set_sur(mo, bs);
		name_given(g, mo);
	}
	hit = f ? full(g, f) : father_of(g, bs.k, child->birth);
	if (f)
		koseki(f, hs, hit);
	if (mo)
		koseki(mo, hs, hit);
}

static int which_parents(struct gen *g)
{
	double u = u01(&g->r);
	return u < 0.6 ? 1 : u < 0.75 ? 2 : 3;
}

static void build(struct gen *g, struct hh *h)
{
	struct mem *hd, *sp, *m;
	int sex, age, lo = 20, hi = 64;
	int young = h->foreign && chance(&g->r, 0.75);   /* most foreign residents are young */

	h->keeper = -1;
	switch (h->type) {
	case H_SINGLE_YOUNG:
		single_adult(g, add_sampled(g, h, MD_HEAD, 18, young ? 39 : 64, -1));
		break;
	case H_SINGLE_OLD:
		hd = add_sampled(g, h, MD_HEAD, 65, g->d.maxage, -1);
		set_sur(hd, surname(g));
		name_given(g, hd);
		koseki(hd, honseki_new(g), hd->sex ? father_of(g, hd->sur, hd->birth + 365L * 30) : full(g, hd));
		if (!h->foreign && !h->former && chance(&g->r, 0.15)) {
			/* The late spouse, kept as a removed record. */
			m = add(g, h, hd->sex ? MD_HEAD : "妻", !hd->sex,
			        hd->sex ? hd->age + (int)range(&g->r, 0, 6) : hd->age - (int)range(&g->r, 0, 5));
			m->sur = hd->sur;
			m->sur_kana = hd->sur_kana;
			name_given(g, m);
			m->extra = RM_DEAD;
			if (hd->sex) {
				hd->rel0 = "妻";
				koseki(hd, hd->honseki, full(g, m));
			}
			koseki(m, hd->honseki, hd->hittosha);
		}
		break;
	case H_COUPLE_OLD:
		lo = 65;
		hi = g->d.maxage;
		/* fall through */
	case H_COUPLE:
	case H_COUPLE_CHILDREN:
	case H_UNMARRIED:
		if (h->type == H_COUPLE_CHILDREN) {
			lo = 25;
			hi = young ? 45 : 60;
		} else if (young && h->type != H_COUPLE_OLD) {
			hi = 44;
		}
		age = sample_age(g, lo, hi, chance(&g->r, h->type == H_UNMARRIED ? 0.8 : 0.87) ? 0 : 1, &sex);
		hd = add(g, h, MD_HEAD, sex, age);
		sp = add(g, h, h->type == H_UNMARRIED ? (sex ? "夫（未届）" : "妻（未届）") : (sex ? "夫" : "妻"), !sex,
		         spouse_age(g, hd, lo == 65 ? 65 : 18, g->d.maxage));
		if (h->type == H_UNMARRIED) {
			single_adult(g, hd);
			single_adult(g, sp);
			break;
		}
		couple_names(g, h, hd, sp, 1);
		if (h->type == H_COUPLE_CHILDREN) {
			double u = u01(&g->r);
			kids(g, h, hd->sex ? hd->age : sp->age, u < 0.45 ? 1 : u < 0.85 ? 2 : 3, keeper_of(h), "子");
		}
		if (!h->former && hd->age >= 45 && chance(&g->r, 0.08)) {
			/* A grown-up child who has moved out. */
			int ma = hd->sex ? hd->age : sp->age;
			int clo = ma - 45 > 19 ? ma - 45 : 19, chi = ma - 20 < 40 ? ma - 20 : 40;
			if (clo <= chi) {
				m = add(g, h, "子", (int)range(&g->r, 0, 1), (int)range(&g->r, clo, chi));
				m->child = 1;
				m->extra = RM_OUT;
				family_child(g, m, keeper_of(h));
			}
		}
		break;
	case H_SINGLE_PARENT:
		if (chance(&g->r, 0.85)) {
			hd = add_sampled(g, h, MD_HEAD, 22, 55, chance(&g->r, 0.85));
			single_adult(g, hd);
			koseki(hd, hd->honseki, full(g, hd));
			kids(g, h, hd->age, chance(&g->r, 0.55) ? 1 : 2, hd, "子");
		} else {
			hd = add_sampled(g, h, MD_HEAD, 65, 90, -1);
			single_adult(g, hd);
			koseki(hd, hd->honseki, full(g, hd));
			m = add(g, h, "子", (int)range(&g->r, 0, 1),
			        (int)range(&g->r, hd->age - 45 > 30 ? hd->age - 45 : 30, hd->age - 20));
			m->child = 1;
			family_child(g, m, hd);
		}
		break;
	case H_CHILD_PARENT:
		hd = add_sampled(g, h, MD_HEAD, 35, 65, -1);
		set_sur(hd, surname(g));
		name_given(g, hd);
		add_parents(g, h, hd, "父", "母", which_parents(g));
		koseki(hd, h->m[1].honseki, h->m[1].hittosha);
		break;
	case H_COUPLE_PARENT:
	case H_THREE_GEN:
		lo = h->type == H_THREE_GEN ? 30 : 35;
		hi = h->type == H_THREE_GEN ? 55 : 64;
		age = sample_age(g, lo, hi, chance(&g->r, 0.87) ? 0 : 1, &sex);
		hd = add(g, h, MD_HEAD, sex, age);
		sp = add(g, h, sex ? "夫" : "妻", !sex, spouse_age(g, hd, 18, g->d.maxage));
		couple_names(g, h, hd, sp, 0);
		if (h->type == H_THREE_GEN) {
			double u = u01(&g->r);
			kids(g, h, hd->sex ? hd->age : sp->age, u < 0.4 ? 1 : u < 0.85 ? 2 : 3, keeper_of(h), "子");
		}
		if (chance(&g->r, 0.75))
			add_parents(g, h, hd, "父", "母", which_parents(g));
		else
			add_parents(g, h, sp, sex ? "夫の父" : "妻の父", sex ? "夫の母" : "妻の母", which_parents(g));
		break;
	case H_EXTENDED: {
		struct mem *c, *cs, *mom;
		struct nm fam;
		double u;
		age = sample_age(g, 58, 85, chance(&g->r, 0.9) ? 0 : 1, &sex);
		hd = add(g, h, MD_HEAD, sex, age);
		sp = add(g, h, sex ? "夫" : "妻", !sex, spouse_age(g, hd, 18, g->d.maxage));
		couple_names(g, h, hd, sp, 0);
		fam.k = keeper_of(h)->sur;
		fam.kana = keeper_of(h)->sur_kana;
		mom = hd->sex ? hd : sp;
		age = sample_age(g, mom->age - 45 > 25 ? mom->age - 45 : 25, mom->age - 20 > 25 ? mom->age - 20 : 25,
		                 chance(&g->r, 0.7) ? 0 : 1, &sex);
		c = add(g, h, "子", sex, age);
		c->child = 1;
		cs = add(g, h, sex ? "子の夫" : "子の妻", !sex, clampi(age + (int)range(&g->r, -3, 3), 20, g->d.maxage));
		cs->late = 1;
		if (!sex)
			marry(g, NULL, c, cs, 0, fam, NULL);
		else if (chance(&g->r, 0.8))
			marry(g, NULL, cs, c, 0, surname_not(g, fam.k), &fam);
		else
			marry(g, NULL, cs, c, 1, fam, NULL);
		u = u01(&g->r);
		kids(g, h, sex ? c->age : cs->age, u < 0.3 ? 0 : u < 0.75 ? 1 : 2, c->sur0 ? cs : c, "子の子");
		break;
	}
	case H_SIBLINGS: {
		int n = chance(&g->r, 0.7) ? 1 : 2;
		hd = add_sampled(g, h, MD_HEAD, 20, 70, -1);
		single_adult(g, hd);
		for (int i = 0; i < n; i++) {
			int sa = clampi(hd->age + (int)range(&g->r, -10, 10), 18, g->d.maxage), ss = (int)range(&g->r, 0, 1);
			m = add(g, h, sa > hd->age ? (ss ? "姉" : "兄") : (ss ? "妹" : "弟"), ss, sa);
			m->sur = hd->sur;
			m->sur_kana = hd->sur_kana;
			name_given(g, m);
			koseki(m, hd->honseki, hd->hittosha);
		}
		break;
	}
	case H_COHAB:
	default: {
		int n = chance(&g->r, 0.7) ? 1 : 2;
		hd = add_sampled(g, h, MD_HEAD, 18, young ? 35 : 45, -1);
		single_adult(g, hd);
		for (int i = 0; i < n; i++)
			single_adult(g, add(g, h, "同居人", (int)range(&g->r, 0, 1),
			                    clampi(hd->age + (int)range(&g->r, -5, 5), 18, 70)));
		break;
	}
	}
	if (h->foreign)
		make_foreign(g, h);
	for (int i = 0; i < h->n; i++) {
		struct mem *x = &h->m[i];
		x->mncard = chance(&g->r, 0.75);
		x->guardian = x->age >= 80 && chance(&g->r, 0.01);
	}
}

/* ---- the story of a household ------------------------------------------------------ */

static int present(const struct mem *m, long day)
{
	return !m->skip && m->join <= day && (m->rm == RM_NONE || m->rm == RM_PLANNED || m->rm_day > day);
}

static struct ev *new_ev(struct hh *h, enum evk kind, long day)
{
	struct ev *e = &h->ev[h->nev < MAXEV ? h->nev++ : MAXEV - 1];
	memset(e, 0, sizeof *e);
	e->kind = kind;
	e->day = day;
	return e;
}

/* A day in lo..hi, or -1 when there is none. */
static long between(struct gen *g, long lo, long hi)
{
	long d = range(&g->r, lo, hi);
	return lo > hi ? -1 : d;
}

static void plan(struct gen *g, struct hh *h)
{
	long T1 = g->T - 1, amin, amax, span, latest = 0;
	struct mem *hd = &h->m[0], *sp = NULL;
	struct ev *e;
	double u = u01(&g->r);
	int from_abroad, special;

	/* The day the household came to live in the ward. */
	amin = add_months(hd->birth, 12 * 18);
	for (int i = 0; i < h->n; i++) {
		struct mem *m = &h->m[i];
		if (m->skip || m->late || (m->child && !h->foreign))
			continue;
		if (m->birth + 1 > amin)
			amin = m->birth + 1;
	}
	amax = h->former ? T1 - 60 : T1;
	if (amin > amax)
		amin = amax;
	span = amax - amin;
	special = h->foreign && strcmp(h->m[0].art, "特別永住者") == 0;
	/* Most came in the last few years; foreign residents more recently still. */
	h->arrival = amax - (long)((double)span * u * u * (h->foreign && !special ? u : 1));
	from_abroad = h->foreign ? !special && chance(&g->r, 0.7) : chance(&g->r, 0.02);
	e = new_ev(h, EV_ARRIVE, h->arrival);
	e->abroad = from_abroad;
	e->where = from_abroad ? abroad_place(g, h->foreign ? h->m[0].nat : NULL) : elsewhere(g);
	for (int i = 0; i < h->n; i++) {
		struct mem *m = &h->m[i];
		if (m->skip)
			continue;
		if (m->late) {
			/* Married into the family: came before their own children were born. */
			long lo = add_months(m->birth, 12 * 20), hi = h->former ? T1 - 90 : T1 - 30, j;
			if (lo < h->arrival + 1)
				lo = h->arrival + 1;
			for (int k = 0; k < h->n; k++)
				if (!h->m[k].skip && strcmp(h->m[k].rel, "子の子") == 0 && h->m[k].birth - 1 < hi)
					hi = h->m[k].birth - 1;
			j = between(g, lo, hi);
			if (j >= 0) {
				struct ev *l = new_ev(h, EV_ARRIVE, j);
				m->join = j;
				l->mask = 1u << i;
				l->where = elsewhere(g);
				if (j > latest)
					latest = j;
				continue;
			}
		}
		if (m->child && !h->foreign && m->birth >= h->arrival) {
			struct ev *b = new_ev(h, EV_BIRTH, m->birth);
			m->born_here = 1;
			m->join = m->birth;
			b->mask = 1u << i;
		} else {
			m->join = h->arrival;
			e->mask |= 1u << i;
		}
		if (m->join > latest)
			latest = m->join;
	}

	/* Who leaves, and when. */
	for (int i = 0; i < h->n; i++) {
		struct mem *m = &h->m[i];
		long lo, day;
		if (m->skip || !m->extra)
			continue;
		if (m->extra == RM_OUT)
			lo = add_months(m->birth, 12 * 18) > m->join + 30 ? add_months(m->birth, 12 * 18) : m->join + 30;
		else
			lo = add_months(m->birth, 12 * 55) > m->join + 30 ? add_months(m->birth, 12 * 55) : m->join + 30;
		if (lo < T1 - 365L * 15 && m->extra == RM_DEAD)
			lo = T1 - 365L * 15;
		if ((day = between(g, lo, T1)) < 0) {
			m->skip = 1;
			if (m->extra == RM_DEAD)
				h->m[0].rel0 = NULL;   /* the survivor was 世帯主 all along */
			continue;
		}
		m->rm = (enum rm)m->extra;
		m->rm_day = day;
		e = new_ev(h, m->extra == RM_OUT ? EV_OUT : EV_DEATH, day);
		e->mask = 1u << i;
		if (m->extra == RM_OUT) {
			e->abroad = chance(&g->r, 0.1);
			e->where = e->abroad ? abroad_place(g, NULL) : elsewhere(g);
		} else if (h->m[0].rel0) {
			e->mask |= 1u;   /* the survivor becomes 世帯主 in the same change */
		}
	}
	if (h->former) {
		long day = between(g, (latest > h->arrival ? latest : h->arrival) + 30, T1);
		if (day < 0)
			day = T1;
		e = new_ev(h, h->former == 2 ? EV_DEATH : EV_OUT, day);
		e->abroad = h->former == 1 && chance(&g->r, h->foreign ? 0.6 : 0.1);
		e->where = e->abroad ? abroad_place(g, h->foreign ? h->m[0].nat : NULL) : elsewhere(g);
		for (int i = 0; i < h->n; i++)
			if (present(&h->m[i], day)) {
				e->mask |= 1u << i;
				h->m[i].rm = h->former == 2 ? RM_DEAD : RM_OUT;
				h->m[i].rm_day = day;
			}
	} else if (chance(&g->r, 0.002)) {
		long day = g->T + range(&g->r, 3, 20);
		e = new_ev(h, EV_OUT, day);
		e->planned = 1;
		e->where = elsewhere(g);
		for (int i = 0; i < h->n; i++)
			if (present(&h->m[i], T1)) {
				e->mask |= 1u << i;
				h->m[i].rm = RM_PLANNED;
				h->m[i].rm_day = day;
			}
	}

	/* A marriage while living here: the couple moved in unmarried. */
	for (int i = 1; i < h->n; i++)
		if (!h->m[i].skip && (strcmp(h->m[i].rel, "妻") == 0 || strcmp(h->m[i].rel, "夫") == 0))
			sp = &h->m[i];
	if (sp && !h->foreign && !sp->foreign && !h->former && h->keeper >= 0 &&
	    (h->type == H_COUPLE || h->type == H_COUPLE_CHILDREN) && hd->join == h->arrival &&
	    sp->join == h->arrival && chance(&g->r, 0.2)) {
		long lo = h->arrival + 30, hi = T1, day;
		for (int i = 0; i < h->n; i++) {
			if (h->m[i].skip || !h->m[i].child)
				continue;
			if (!h->m[i].born_here)
				hi = -1;
			else if (h->m[i].birth - 200 < hi)
				hi = h->m[i].birth - 200;
		}
		if (add_months(hd->birth, 12 * 18) > lo)
			lo = add_months(hd->birth, 12 * 18);
		if (add_months(sp->birth, 12 * 18) > lo)
			lo = add_months(sp->birth, 12 * 18);
		if ((day = between(g, lo, hi)) >= 0) {
			e = new_ev(h, EV_MARRY, day);
			e->mask = 1u | 1u << (sp - h->m);
			hd->marries = sp->marries = 1;
			sp->rel0 = sp->sex ? "妻（未届）" : "夫（未届）";
			hd->honseki0 = honseki_new(g);
			hd->hittosha0 = father_of(g, hd->sur0 ? hd->sur0 : hd->sur, hd->birth);
			sp->honseki0 = honseki_new(g);
			sp->hittosha0 = father_of(g, sp->sur0 ? sp->sur0 : sp->sur, sp->birth);
		}
	}

	/* A move within the ward. */
	h->addr[1] = h->addr[0];
	h->move_day = 0;
	if (chance(&g->r, 0.05)) {
		long end = T1, day;
		for (int i = 0; i < h->nev; i++)
			if ((h->ev[i].kind == EV_OUT || h->ev[i].kind == EV_DEATH) && h->ev[i].day - 30 < end &&
			    (h->former || h->ev[i].planned))
				end = h->ev[i].day - 30;
		if ((day = between(g, h->arrival + 60, end)) >= 0) {
			e = new_ev(h, EV_MOVE, day);
			h->move_day = day;
			h->addr[1] = h->addr[0];
			pick_address(g, &h->addr[0]);   /* the earlier address */
			for (int i = 0; i < h->n; i++)
				if (present(&h->m[i], day))
					e->mask |= 1u << i;
		}
	}
}

static int ev_cmp(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

static void ts(long day, long secs, char out[24])
{
	int y, m, d;
	civil(day + secs / 86400, &y, &m, &d);
	secs %= 86400;
	snprintf(out, 24, "%04d-%02d-%02dT%02ld:%02ld:%02ldZ", y, m, d, secs / 3600, secs / 60 % 60, secs % 60);
}

/* Notification and processing dates, in order, none after yesterday. */
static void timeline(struct gen *g, struct hh *h)
{
	long T1 = g->T - 1, prev = 0, prev_end = 0;
	qsort(h->ev, (size_t)h->nev, sizeof h->ev[0], ev_cmp);
	for (int i = 0; i < h->nev; i++) {
		struct ev *e = &h->ev[i];
		long n;
		long made;
		switch (e->kind) {
		case EV_ARRIVE:
		case EV_MOVE:
			n = e->day + (chance(&g->r, 0.02) ? range(&g->r, 15, 60) : range(&g->r, 0, 13));
			break;
		case EV_BIRTH:
			n = e->day + range(&g->r, 0, 13);
			break;
		case EV_MARRY:
			n = e->day + range(&g->r, 0, 3);
			break;
		case EV_DEATH:
			n = e->day + range(&g->r, 0, 6);
			break;
		case EV_OUT:
		default:
			n = e->planned ? g->T - range(&g->r, 1, 10) : e->day - range(&g->r, 0, 13);
			break;
		}
		if (n > T1)
			n = T1;
		if (n < prev)
			n = prev;
		/* Processed after the previous change of the household was decided. */
		made = n == prev && i > 0 ? prev_end + range(&g->r, 60, 1800) : range(&g->r, 0, 6 * 3600);
		e->notified = prev = n;
		e->late = (e->kind == EV_ARRIVE || e->kind == EV_MOVE) && n - e->day > 14;
		prev_end = made + range(&g->r, 1800, 3 * 3600);
		ts(n, made, e->made);
		ts(n, prev_end, e->decided);
	}
}

/* ---- versions ------------------------------------------------------------------- */

static const char **vnew(struct gen *g, const char **from)
{
	const char **v = aalloc(g, MD_F_COUNT * sizeof *v);
	if (from)
		memcpy(v, from, MD_F_COUNT * sizeof *v);
	else
		memset(v, 0, MD_F_COUNT * sizeof *v);
	return v;
}

static void push(struct mem *m, const char **v, int ev)
{
	if (m->nver < MAXV) {
		m->ver[m->nver] = v;
		m->vev[m->nver++] = ev;
	} else {
		m->ver[MAXV - 1] = v;
		m->vev[MAXV - 1] = ev;
	}
}

static void set_addr(const char **v, const struct addr *a)
{
	v[MD_F_ADDRESS] = a->address;
	v[MD_F_KATAGAKI] = a->katagaki;
	v[MD_F_POSTAL_CODE] = a->postal;
	v[MD_F_ADDRESS_CODE] = a->code;
}

static void first_version(struct gen *g, struct hh *h, struct mem *m, const struct ev *e, int ei,
                          const char *mn_idx, const char *jcode)
{
	const char **v = vnew(g, NULL);
	const char *join = adate(g, m->join);
	int marries = m->marries;

	v[MD_F_STATUS] = "resident";
	v[MD_F_RESIDENT_TYPE] = m->foreign ? "foreign" : "japanese";
	v[MD_F_HOUSEHOLD] = h->hid;
	v[MD_F_RELATIONSHIP] = m->rel0 ? m->rel0 : m->rel;
	v[MD_F_SURNAME] = marries && m->sur0 ? m->sur0 : m->sur;
	v[MD_F_SURNAME_KANA] = marries && m->sur0 ? m->sur0_kana : m->sur_kana;
	v[MD_F_GIVEN_NAME] = m->given;
	v[MD_F_GIVEN_NAME_KANA] = m->given_kana;
	v[MD_F_FORMER_SURNAME] = marries ? NULL : m->former;
	v[MD_F_FORMER_SURNAME_KANA] = marries ? NULL : m->former_kana;
	v[MD_F_ALIAS] = m->alias;
	v[MD_F_ALIAS_KANA] = m->alias_kana;
	v[MD_F_NAME_ROMAN] = m->roman;
	v[MD_F_BIRTH_DATE] = adate(g, m->birth);
	v[MD_F_SEX] = m->sex ? "F" : "M";
	v[MD_F_HONSEKI] = marries ? m->honseki0 : m->honseki;
	v[MD_F_HITTOSHA] = marries ? m->hittosha0 : m->hittosha;
	v[MD_F_RESIDENT_SINCE] = join;
	set_addr(v, &h->addr[h->move_day && m->join >= h->move_day ? 1 : 0]);
	v[MD_F_ADDRESS_SINCE] = join;
	v[MD_F_NOTIFIED_ON] = adate(g, e->notified);
	v[MD_F_PREVIOUS_ADDRESS] = e->kind == EV_ARRIVE ? e->where : NULL;
	if (m->foreign) {
		v[MD_F_NATIONALITY] = m->nat;
		v[MD_F_RESIDENCE_STATUS] = m->rstatus;
		v[MD_F_RESIDENCE_PERIOD] = m->period;
		v[MD_F_RESIDENCE_EXPIRY] = m->expiry;
		v[MD_F_RESIDENCE_CARD_NO] = m->card;
		v[MD_F_FOREIGN_SINCE] = join;
		v[MD_F_ART30_45] = m->art;
	}
	v[MD_F_MYNUMBER_IDX] = mn_idx;
	v[MD_F_JUMINHYO_CODE] = jcode;
	if (m->guardian) {
		v[MD_F_GUARDIANSHIP] = "1";
		v[MD_F_GUARDIANSHIP_SINCE] = join;
	}
	v[MD_F_MYNUMBER_CARD] = m->mncard ? "交付済" : NULL;
	push(m, v, ei);
}

static void next_version(struct gen *g, struct hh *h, struct mem *m, const struct ev *e, int ei)
{
	const char **v;
	const char *day = adate(g, e->day);

	if (m->nver == 0)
		return;
	v = vnew(g, m->ver[m->nver - 1]);
	switch (e->kind) {
	case EV_MOVE:
		set_addr(v, &h->addr[1]);
		v[MD_F_ADDRESS_SINCE] = day;
		v[MD_F_NOTIFIED_ON] = adate(g, e->notified);
		break;
	case EV_MARRY:
		v[MD_F_RELATIONSHIP] = m->rel;
		v[MD_F_SURNAME] = m->sur;
		v[MD_F_SURNAME_KANA] = m->sur_kana;
		v[MD_F_FORMER_SURNAME] = m->former;
		v[MD_F_FORMER_SURNAME_KANA] = m->former_kana;
		v[MD_F_HONSEKI] = m->honseki;
		v[MD_F_HITTOSHA] = m->hittosha;
		break;
	case EV_OUT:
		v[MD_F_STATUS] = "moved_out";
		v[MD_F_OUT_PLANNED_DATE] = day;
		v[MD_F_REMOVAL_REASON] = e->abroad ? "out_abroad" : "out_domestic";
		v[MD_F_REMOVAL_DATE] = day;
		v[MD_F_OUT_ADDRESS_PLANNED] = e->where;
		v[MD_F_OUT_ADDRESS] = e->planned ? NULL : e->where;
		break;
	case EV_DEATH:
		if (m->rm == RM_DEAD && m->rm_day == e->day) {
			v[MD_F_STATUS] = "dead";
			v[MD_F_DEATH_DATE] = day;
			v[MD_F_REMOVAL_REASON] = "death";
			v[MD_F_REMOVAL_DATE] = day;
		} else {
			v[MD_F_RELATIONSHIP] = m->rel;   /* the new head */
		}
		break;
	default:
		return;
	}
	push(m, v, ei);
}

/* ---- writing ----------------------------------------------------------------------- */

static void bind_person(sqlite3_stmt *s, int first, const char **v, const struct mem *m)
{
	for (int i = 0; i < MD_F_COUNT; i++) {
		const struct md_field_def *d = md_field(i);
		int k = first + i;
		if (i == MD_F_MYNUMBER_ENC) {
			if (m->sealed)
				sqlite3_bind_blob(s, k, m->sealed, (int)m->sealed_len, SQLITE_STATIC);
			else
				sqlite3_bind_null(s, k);
		} else if (!v[i]) {
			if (d->kind == MD_FK_FLAG)
				sqlite3_bind_int(s, k, 0);
			else
				sqlite3_bind_null(s, k);
		} else if (d->kind == MD_FK_INT || d->kind == MD_FK_FLAG) {
			sqlite3_bind_int64(s, k, strtoll(v[i], NULL, 10));
		} else {
			sqlite3_bind_text(s, k, v[i], -1, SQLITE_STATIC);
		}
	}
}

static int step(struct gen *g, sqlite3_stmt *s, const char *what, struct md_error *err)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(g->ctx->store, err, what);
	return MD_OK;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

static char *cat_norm(const char *a, const char *b, int kana)
{
	size_t la = strlen(nz(a)), lb = strlen(nz(b));
	char buf[512], *r;
	if (la + lb + 1 > sizeof buf) {
		char *t = xasprintf("%s%s", nz(a), nz(b));
		r = kana ? md_kana_normalize(t) : md_kanji_fold(t);
		free(t);
		return r;
	}
	memcpy(buf, nz(a), la);
	memcpy(buf + la, nz(b), lb + 1);
	return kana ? md_kana_normalize(buf) : md_kanji_fold(buf);
}

/* A name_index row exactly as nameindex.c writes it. */
static int put_name(struct gen *g, long long pid, const char *kind, const char *sur, const char *given,
                    const char *sk, const char *gk, struct md_error *err)
{
	sqlite3_stmt *s = g->s_ni;
	char *k[6];
	int rc;

	k[0] = cat_norm(sk, gk, 1);
	k[1] = md_kana_normalize(nz(sk));
	k[2] = md_kana_normalize(nz(gk));
	k[3] = cat_norm(sur, given, 0);
	k[4] = md_kanji_fold(nz(sur));
	k[5] = md_kanji_fold(nz(given));
	sqlite3_bind_int64(s, 1, pid);
	sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
	for (int i = 0; i < 6; i++)
		sqlite3_bind_text(s, 3 + i, k[i], -1, SQLITE_STATIC);
	rc = step(g, s, _("indexing a name"), err);
	for (int i = 0; i < 6; i++)
		free(k[i]);
	return rc;
}

static int put_address(struct gen *g, long long pid, const char *kind, const char *addr, const char *kata,
                       struct md_error *err)
{
	char *t = xasprintf("%s%s", nz(addr), nz(kata)), *a = md_address_normalize(t);
	int rc;

	free(t);
	sqlite3_bind_int64(g->s_ai, 1, pid);
	sqlite3_bind_text(g->s_ai, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(g->s_ai, 3, a, -1, SQLITE_STATIC);
	rc = step(g, g->s_ai, _("indexing an address"), err);
	free(a);
	return rc;
}

static int same(const char *a, const char *b)
{
	return strcmp(nz(a), nz(b)) == 0;
}

static int name_differs(const char **a, const char **b)
{
	return !same(a[MD_F_SURNAME], b[MD_F_SURNAME]) || !same(a[MD_F_GIVEN_NAME], b[MD_F_GIVEN_NAME]) ||
	       !same(a[MD_F_SURNAME_KANA], b[MD_F_SURNAME_KANA]) ||
	       !same(a[MD_F_GIVEN_NAME_KANA], b[MD_F_GIVEN_NAME_KANA]);
}

static int addr_differs(const char **a, const char **b)
{
	return !same(a[MD_F_ADDRESS], b[MD_F_ADDRESS]) || !same(a[MD_F_KATAGAKI], b[MD_F_KATAGAKI]);
}

/* "氏 名" at the first space (ASCII, tab or ideographic), as nameindex.c splits a 通称. */
static void split_name(struct gen *g, const char *s, const char **sur, const char **given)
{
	for (const char *q = s; *q; q++) {
		size_t skip = *q == ' ' || *q == '\t' ? 1 : strncmp(q, "\u3000", strlen("\u3000")) == 0 ? strlen("\u3000") : 0;
		if (skip) {
			*sur = afmt(g, "%.*s", (int)(q - s), s);
			*given = q + skip;
			return;
		}
	}
	*sur = s;
	*given = "";
}

/* The search keys md_index_person would write for this person. */
static int index_person(struct gen *g, long long pid, const struct mem *m, struct md_error *err)
{
	const char **cur = m->ver[m->nver - 1];
	int rc = put_name(g, pid, "name", cur[MD_F_SURNAME], cur[MD_F_GIVEN_NAME], cur[MD_F_SURNAME_KANA],
	                  cur[MD_F_GIVEN_NAME_KANA], err);
	if (rc == MD_OK && cur[MD_F_FORMER_SURNAME] && *cur[MD_F_FORMER_SURNAME])
		rc = put_name(g, pid, "former", cur[MD_F_FORMER_SURNAME], cur[MD_F_GIVEN_NAME],
		              cur[MD_F_FORMER_SURNAME_KANA], cur[MD_F_GIVEN_NAME_KANA], err);
	if (rc == MD_OK && cur[MD_F_ALIAS] && *cur[MD_F_ALIAS]) {
		/* A 通称 is indexed like a name, 氏 and 名 apart at the first space. */
		const char *as, *ag, *ks, *kg;
		split_name(g, cur[MD_F_ALIAS], &as, &ag);
		split_name(g, nz(cur[MD_F_ALIAS_KANA]), &ks, &kg);
		rc = put_name(g, pid, "alias", as, ag, ks, kg, err);
	}
	if (rc == MD_OK)
		rc = put_address(g, pid, "current", cur[MD_F_ADDRESS], cur[MD_F_KATAGAKI], err);
	for (int i = 0; rc == MD_OK && i < m->nver - 1; i++) {
		const char **v = m->ver[i];
		int dup = 0;
		if (!name_differs(v, cur))
			continue;
		for (int j = 0; j < i; j++)
			if (!name_differs(m->ver[j], v))
				dup = 1;
		if (!dup)
			rc = put_name(g, pid, "past", v[MD_F_SURNAME], v[MD_F_GIVEN_NAME], v[MD_F_SURNAME_KANA],
			              v[MD_F_GIVEN_NAME_KANA], err);
	}
	for (int i = 0; rc == MD_OK && i < m->nver - 1; i++) {
		const char **v = m->ver[i];
		int dup = 0;
		if (!addr_differs(v, cur))
			continue;
		for (int j = 0; j < i; j++)
			if (!addr_differs(m->ver[j], v))
				dup = 1;
		if (!dup)
			rc = put_address(g, pid, "past", v[MD_F_ADDRESS], nz(v[MD_F_KATAGAKI]), err);
	}
	return rc;
}

static const char *const ev_type[][2] = {
	[EV_ARRIVE] = { "move_in", "in_domestic" }, [EV_BIRTH] = { "birth", "birth" },
	[EV_MOVE] = { "move_within", "move_within" }, [EV_MARRY] = { "ex_officio_fix", "ex_officio_fix" },
	[EV_OUT] = { "move_out", "out_domestic" }, [EV_DEATH] = { "death", "death" },
};

static int write_change(struct gen *g, struct ev *e, struct md_error *err)
{
	sqlite3_stmt *s = g->s_ch;
	const char *type = ev_type[e->kind][0], *reason = ev_type[e->kind][1];
	char day[16], notified[16];
	int y, m, d;

	if (e->kind == EV_ARRIVE && e->abroad) {
		type = "move_in_abroad";
		reason = "in_abroad";
	} else if (e->kind == EV_OUT && e->abroad) {
		reason = "out_abroad";
	}
	civil(e->day, &y, &m, &d);
	snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, d);
	civil(e->notified, &y, &m, &d);
	snprintf(notified, sizeof notified, "%04d-%02d-%02d", y, m, d);
	e->id = ++g->next_change;
	sqlite3_bind_int64(s, 1, e->id);
	sqlite3_bind_text(s, 2, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, notified, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, notified, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 7, e->late);
	if (e->kind == EV_MARRY)
		sqlite3_bind_text(s, 8, "婚姻の届出（戸籍）による氏・続柄・本籍・筆頭者の修正", -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 8);
	sqlite3_bind_text(s, 9, e->made, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 10, g->ctx->cfg.terminal_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 11, e->decided, -1, SQLITE_STATIC);
	g->c.changes++;
	return step(g, s, _("writing a change"), err);
}

static int numbers(struct gen *g, struct mem *m, const char **idx, const char **jcode, struct md_error *err)
{
	char mn[13], jc[12], hex[MD_HASH_HEX];
	uint64_t x = permute(g->mn_key, g->mn_ctr++, 100000000000ULL, 19);
	uint64_t y = permute(g->jc_key, g->jc_ctr++, 10000000000ULL, 17);
	int rc;

	snprintf(mn, sizeof mn, "%011llu", (unsigned long long)x);
	mn[11] = (char)('0' + md_mynumber_check_digit(mn));
	mn[12] = '\0';
	snprintf(jc, sizeof jc, "%010llu", (unsigned long long)y);
	jc[10] = (char)('0' + md_juminhyo_code_check_digit(jc));
	jc[11] = '\0';
	if ((rc = md_secret_seal(&g->ctx->keys, mn, 12, &m->sealed, &m->sealed_len, err)) != MD_OK)
		return rc;
	md_keyed_hash_hex(g->ctx->keys.index, mn, 12, hex);
	memset(mn, 0, sizeof mn);
	*idx = afmt(g, "%s", hex);
	*jcode = afmt(g, "%s", jc);
	return MD_OK;
}

static void count_active(struct gen *g, const struct hh *h, const struct mem *m, long long pid)
{
	int b = band_of(&g->d, m->age);
	g->cnt[b][m->sex]++;
	g->gcnt[group_of(m->age)]++;
	g->total++;
	g->tsum[h->type][group_of(m->age)]++;
	if (m->foreign)
		g->foreign++;
	g->c.residents++;
	g->c.foreign += m->foreign;
	if (g->nact == g->capact) {
		g->capact = g->capact ? g->capact * 2 : 4096;
		g->act = xrealloc(g->act, g->capact * sizeof *g->act);
	}
	g->act[g->nact].pid = pid;
	g->act[g->nact].hid = h->hid_num;
	g->act[g->nact].age = (short)m->age;
	g->act[g->nact].sex = (char)m->sex;
	g->act[g->nact].child = (char)(strcmp(m->rel, "子") == 0);
	g->nact++;
}

static int write_household(struct gen *g, struct hh *h, struct md_error *err)
{
	int rc = MD_OK, any = 0;

	timeline(g, h);
	for (int i = 0; i < h->nev && rc == MD_OK; i++)
		rc = write_change(g, &h->ev[i], err);
	if (rc != MD_OK)
		return rc;
	/* Numbers first, then every version in the order of the events. */
	{
		const char *idx[MAXM], *jc[MAXM];
		for (int i = 0; i < h->n; i++) {
			idx[i] = jc[i] = NULL;
			if (!h->m[i].skip && (rc = numbers(g, &h->m[i], &idx[i], &jc[i], err)) != MD_OK)
				return rc;
		}
		for (int e = 0; e < h->nev; e++)
			for (int i = 0; i < h->n; i++) {
				struct mem *m = &h->m[i];
				if (m->skip || !(h->ev[e].mask & 1u << i))
					continue;
				if (h->ev[e].kind == EV_ARRIVE || h->ev[e].kind == EV_BIRTH)
					first_version(g, h, m, &h->ev[e], e, idx[i], jc[i]);
				else
					next_version(g, h, m, &h->ev[e], e);
			}
	}
	sqlite3_bind_int64(g->s_hh, 1, h->hid_num);
	sqlite3_bind_text(g->s_hh, 2, h->ev[0].decided, -1, SQLITE_STATIC);
	if ((rc = step(g, g->s_hh, _("creating a household"), err)) != MD_OK)
		return rc;
	g->c.households++;
	for (int i = 0; i < h->n && rc == MD_OK; i++) {
		struct mem *m = &h->m[i];
		const char **cur;
		const char *updated;
		char *kana, *fold;
		long long pid;
		if (m->skip || m->nver == 0)
			continue;
		pid = ++g->next_pid;
		cur = m->ver[m->nver - 1];
		updated = h->ev[m->vev[m->nver - 1]].decided;
		kana = cat_norm(cur[MD_F_SURNAME_KANA], cur[MD_F_GIVEN_NAME_KANA], 1);
		fold = cat_norm(cur[MD_F_SURNAME], cur[MD_F_GIVEN_NAME], 0);
		sqlite3_bind_int64(g->s_p, 1, pid);
		sqlite3_bind_int(g->s_p, 2, m->nver);
		sqlite3_bind_text(g->s_p, 3, kana, -1, SQLITE_STATIC);
		sqlite3_bind_text(g->s_p, 4, fold, -1, SQLITE_STATIC);
		sqlite3_bind_text(g->s_p, 5, updated, -1, SQLITE_STATIC);
		bind_person(g->s_p, 6, cur, m);
		rc = step(g, g->s_p, _("writing the record"), err);
		free(kana);
		free(fold);
		for (int k = 0; rc == MD_OK && k < m->nver; k++) {
			sqlite3_bind_int64(g->s_v, 1, pid);
			sqlite3_bind_int(g->s_v, 2, k + 1);
			sqlite3_bind_int64(g->s_v, 3, h->ev[m->vev[k]].id);
			sqlite3_bind_text(g->s_v, 4, h->ev[m->vev[k]].decided, -1, SQLITE_STATIC);
			bind_person(g->s_v, 5, m->ver[k], m);
			rc = step(g, g->s_v, _("writing the history"), err);
		}
		if (rc == MD_OK)
			rc = index_person(g, pid, m, err);
		g->c.persons++;
		g->c.versions += m->nver;
		if (m->rm == RM_OUT || m->rm == RM_DEAD) {
			g->c.removed++;
		} else {
			count_active(g, h, m, pid);
			any = 1;
		}
	}
	if (!any)
		g->c.households--;
	else
		g->tn[h->type]++;
	for (int i = 0; i < h->n; i++) {
		free(h->m[i].sealed);
		h->m[i].sealed = NULL;
	}
	return rc;
}

static int pick_type(struct gen *g)
{
	double w[H_NTYPES], sum = 0, x;
	int t;
	for (t = 0; t < H_NTYPES; t++) {
		double s = 0;
		for (int k = 0; k < 3; k++) {
			double prof = (g->tsum[t][k] + htypes[t].prior[k] * 4) / (g->tn[t] + 4);
			s += prof * (g->d.group_target[k] * g->total - g->gcnt[k]);
		}
		w[t] = g->d.type_w[t] > 0 ? g->d.type_w[t] * boost(s, K_GROUP) : 0;
		sum += w[t];
	}
	x = u01(&g->r) * sum;
	for (t = 0; t < H_NTYPES - 1 && (w[t] == 0 || x >= w[t]); t++)
		x -= w[t];
	while (w[t] == 0 && t > 0)
		t--;
	return t;
}

/* One household: former 0 living here (at most remaining residents), 1
 * moved out altogether, 2 a person living alone who died. */
static int household(struct gen *g, int former, long remaining, struct md_error *err)
{
	struct hh *h = &g->h;
	int rc, active = 0;
	double pf;

	areset(g);
	memset(h, 0, sizeof *h);
	h->former = former;
	h->type = former == 2 ? H_SINGLE_OLD : pick_type(g);
	pf = FOREIGN_SHARE * boost(FOREIGN_SHARE * g->total - g->foreign, K_FOREIGN);
	pf *= htypes[h->type].foreign;
	h->foreign = chance(&g->r, pf > 0.6 ? 0.6 : pf);
	h->hid_num = ++g->next_hid;
	snprintf(h->hid, sizeof h->hid, "%lld", h->hid_num);
	build(g, h);
	pick_address(g, &h->addr[0]);
	/* The last household takes only as many people as are still wanted. */
	for (int i = 0; i < h->n; i++)
		active += !h->m[i].extra;
	for (int i = h->n - 1; !former && i > 0 && active > remaining; i--)
		if (!h->m[i].extra && !h->m[i].skip) {
			h->m[i].skip = 1;
			active--;
		}
	plan(g, h);
	rc = write_household(g, h, err);
	return rc;
}

/* ---- protections ------------------------------------------------------------------- */

static long long pick_act(struct gen *g, int minage, int maxage, int sex, const long long *used, int nused)
{
	for (int t = 0; t < 5000 && g->nact; t++) {
		const struct act *a = &g->act[range(&g->r, 0, (long)g->nact - 1)];
		int dup = 0;
		if (a->age < minage || a->age > maxage || (sex >= 0 && a->sex != sex))
			continue;
		for (int i = 0; i < nused; i++)
			dup |= used[i] == a->pid;
		if (!dup)
			return a - g->act;
	}
	return -1;
}

static void iso(long day, char out[11])
{
	int y, m, d;
	civil(day, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

static int put_measure(struct gen *g, long long pid, const char *situation, int kind, long start,
                       const char *offender, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO support_measures (person_id, status, contact, applicant_situation, protect_inspection, "
		"protect_copy, protect_removed_copy, previous_addresses, protect_koseki_fuhyo, protect_prev_fuhyo, "
		"start_date, end_date, provisional, provisional_start, provisional_end, original_municipality, "
		"offender, set_by, set_at) VALUES (?1, ?2, ?3, ?4, 1, 1, 1, "
		"(SELECT previous_address FROM persons WHERE id = ?1), ?5, ?6, ?7, ?8, ?9, ?10, ?11, '見本区', ?12, "
		"'supervisor1', ?13)";
	static const char *const contacts[] = { "見本区配偶者暴力相談支援センター経由", "見本警察署生活安全課経由",
	                                        "見本区子ども家庭支援センター経由" };
	sqlite3_stmt *s = md_store_stmt(g->ctx->store, sql, err);
	char a[11], b[11], at[24];
	int ci = strcmp(situation, "DV") == 0 ? 0 : strcmp(situation, "ストーカー") == 0 ? 1 : 2;

	if (!s)
		return MD_E_DB;
	iso(start, a);
	iso(kind == 1 ? add_months(start, 1) - 1 : add_months(start, 12) - 1, b);
	ts(start, range(&g->r, 0, 6 * 3600), at);
	sqlite3_bind_int64(s, 1, pid);
	md_bind_text(s, 2, kind == 1 ? "provisional" : "active");
	md_bind_text(s, 3, contacts[ci]);
	md_bind_text(s, 4, situation);
	sqlite3_bind_int(s, 5, ci < 2 && chance(&g->r, 0.6));
	sqlite3_bind_int(s, 6, ci < 2 && chance(&g->r, 0.3));
	md_bind_text(s, 7, kind == 1 ? NULL : a);
	md_bind_text(s, 8, kind == 1 ? NULL : b);
	sqlite3_bind_int(s, 9, kind == 1);
	md_bind_text(s, 10, kind == 1 ? a : NULL);
	md_bind_text(s, 11, kind == 1 ? b : NULL);
	md_bind_text(s, 12, offender);
	md_bind_text(s, 13, at);
	g->c.support_measures++;
	return step(g, s, _("saving the support measure"), err);
}

static int protections(struct gen *g, long residents, struct md_error *err)
{
	static const char sup_sql[] =
		"INSERT INTO suppressions (person_id, household_id, operation, mode, start_date, end_date, reason, "
		"set_by, set_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'supervisor1', ?8)";
	static const char *const reasons[] = {
		"住所の実態調査中（居住の事実に疑義）", "同一人の重複記録の疑い（確認中）",
		"不正請求の疑い（警察からの情報提供）", "成年後見人からの申出（本人確認を厳格に）",
		"裁判所からの照会に対応中", "本人からの不当請求防止の申出",
	};
	static const char *const ops[] = { "certificate", "certificate", "change", "change", "lookup" };
	int nsm = residents ? (int)(residents / 2000 > 4 ? residents / 2000 : 4) : 0;
	int nsup = residents ? (int)(residents / 5000 > 3 ? residents / 5000 : 3) : 0;
	long long *used = xcalloc((size_t)nsm * 4 + 8, sizeof *used);
	int nused = 0, rc = MD_OK;

	for (int i = 0; i < nsm && rc == MD_OK; i++) {
		double u = u01(&g->r);
		const char *sit = i == 0 || u < 0.7 ? "DV" : u < 0.9 ? "ストーカー" : "児童虐待";
		int kind = i == 1 ? 1 : (i == 2 || (i > 3 && chance(&g->r, 0.15))) ? 2 : 0;
		long start, k;
		struct nm on = surname(g), og = given_for(g, 0, year_of(g->T) - 40);
		const char *who;

		k = strcmp(sit, "児童虐待") == 0 ? pick_act(g, 1, 17, -1, used, nused)
		    : pick_act(g, 18, 64, strcmp(sit, "DV") == 0 || chance(&g->r, 0.8) ? 1 : 0, used, nused);
		if (k < 0)
			continue;
		used[nused++] = g->act[k].pid;
		start = kind == 1 ? g->T - range(&g->r, 1, 10)
		        : kind == 2 ? add_months(g->T + range(&g->r, 1, 30) + 1, -12)
		                    : g->T - range(&g->r, 30, 330);
		who = afmt(g, "%s %s（%s）", on.k, og.k, strcmp(sit, "DV") == 0 ? "元配偶者" : strcmp(sit, "ストーカー") == 0
		                                                      ? "元交際相手" : "父");
		rc = put_measure(g, g->act[k].pid, sit, kind, start, who, err);
		/* A DV victim's children in the household are protected with her. */
		for (size_t j = (size_t)k + 1; rc == MD_OK && strcmp(sit, "DV") == 0 && j < g->nact &&
		     g->act[j].hid == g->act[k].hid; j++)
			if (g->act[j].child && g->act[j].age < 18 && nused < nsm * 4 + 8) {
				used[nused++] = g->act[j].pid;
				rc = put_measure(g, g->act[j].pid, sit, kind, start, who, err);
			}
	}
	for (int i = 0; i < nsup && rc == MD_OK; i++) {
		sqlite3_stmt *s = md_store_stmt(g->ctx->store, sup_sql, err);
		long k = pick_act(g, 0, 200, -1, used, 0);
		char a[11], b[11], at[24];
		long start = g->T - range(&g->r, 10, 700);
		int hh = chance(&g->r, 0.3);
		if (!s)
			return MD_E_DB;
		if (k < 0)
			break;
		iso(start, a);
		iso(g->T + range(&g->r, 30, 365), b);
		ts(start, range(&g->r, 0, 6 * 3600), at);
		if (hh) {
			sqlite3_bind_null(s, 1);
			sqlite3_bind_int64(s, 2, g->act[k].hid);
		} else {
			sqlite3_bind_int64(s, 1, g->act[k].pid);
			sqlite3_bind_null(s, 2);
		}
		md_bind_text(s, 3, ops[range(&g->r, 0, 4)]);
		md_bind_text(s, 4, chance(&g->r, 0.4) ? "error" : "alert");
		md_bind_text(s, 5, a);
		md_bind_text(s, 6, chance(&g->r, 0.5) ? b : NULL);
		md_bind_text(s, 7, reasons[range(&g->r, 0, 5)]);
		md_bind_text(s, 8, at);
		g->c.suppressions++;
		rc = step(g, s, _("saving the suppression"), err);
	}
	free(used);
	return rc;
}

/* ---- the run ----------------------------------------------------------------------- */

struct saved_index {
	int n;
	char **sql;
};

static int drop_indexes(struct gen *g, struct saved_index *si, struct md_error *err)
{
	static const char q[] =
		"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN "
		"('persons', 'person_versions', 'name_index', 'address_index', 'changes', 'households') ORDER BY name";
	sqlite3 *db = md_store_db(g->ctx->store);
	sqlite3_stmt *s;
	char **names = NULL;
	int rc = MD_OK;

	if (sqlite3_prepare_v2(db, q, -1, &s, NULL) != SQLITE_OK)
		return md_store_fail(g->ctx->store, err, _("reading the schema"));
	while (sqlite3_step(s) == SQLITE_ROW) {
		si->sql = xrealloc(si->sql, (size_t)(si->n + 1) * sizeof *si->sql);
		names = xrealloc(names, (size_t)(si->n + 1) * sizeof *names);
		names[si->n] = xasprintf("DROP INDEX \"%s\"", (const char *)sqlite3_column_text(s, 0));
		si->sql[si->n++] = xstrdup((const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	for (int i = 0; i < si->n; i++) {
		if (rc == MD_OK && sqlite3_exec(db, names[i], NULL, NULL, NULL) != SQLITE_OK)
			rc = md_store_fail(g->ctx->store, err, _("preparing the bulk load"));
		free(names[i]);
	}
	free(names);
	return rc;
}

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **s)
{
	return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, s, NULL) == SQLITE_OK ? 0 : -1;
}

static int prepare_all(struct gen *g, struct md_error *err)
{
	sqlite3 *db = md_store_db(g->ctx->store);
	char *ph5 = md_person_placeholders(5), *ph6 = md_person_placeholders(6);
	char *p = xasprintf("INSERT INTO persons (id, version, kana_norm, name_fold, updated_at, %s) "
	                    "VALUES (?1, ?2, ?3, ?4, ?5, %s)", md_person_columns(), ph6);
	char *v = xasprintf("INSERT INTO person_versions (person_id, version, change_id, recorded_at, %s) "
	                    "VALUES (?1, ?2, ?3, ?4, %s)", md_person_columns(), ph5);
	int bad = prepare(db, "INSERT INTO households (id, created_at) VALUES (?1, ?2)", &g->s_hh) ||
	          prepare(db, "INSERT INTO changes (id, type, reason, status, event_date, notified_on, "
	                      "processed_on, late, memo, made_by, made_at, terminal, decided_by, decided_at) "
	                      "VALUES (?1, ?2, ?3, 'approved', ?4, ?5, ?6, ?7, ?8, 'clerk1', ?9, ?10, "
	                      "'supervisor1', ?11)", &g->s_ch) ||
	          prepare(db, p, &g->s_p) || prepare(db, v, &g->s_v) ||
	          prepare(db, "INSERT INTO name_index (person_id, kind, kana, kana_sur, kana_given, fold, "
	                      "fold_sur, fold_given) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &g->s_ni) ||
	          prepare(db, "INSERT INTO address_index (person_id, kind, addr) VALUES (?1, ?2, ?3)", &g->s_ai);
	free(ph5);
	free(ph6);
	free(p);
	free(v);
	return bad ? md_store_fail(g->ctx->store, err, _("preparing the bulk load")) : MD_OK;
}

static void finalize_all(struct gen *g)
{
	sqlite3_finalize(g->s_hh);
	sqlite3_finalize(g->s_ch);
	sqlite3_finalize(g->s_p);
	sqlite3_finalize(g->s_v);
	sqlite3_finalize(g->s_ni);
	sqlite3_finalize(g->s_ai);
}

static int generate(struct gen *g, long residents, unsigned long long seed, struct md_error *err)
{
	struct saved_index si = { 0, NULL };
	sqlite3 *db = md_store_db(g->ctx->store);
	int rc;

	if ((rc = drop_indexes(g, &si, err)) == MD_OK && (rc = prepare_all(g, err)) == MD_OK) {
		while (rc == MD_OK && g->c.residents < residents) {
			if (chance(&g->r, 0.01))
				rc = household(g, 1, 0, err);
			if (rc == MD_OK && chance(&g->r, 0.003))
				rc = household(g, 2, 0, err);
			if (rc == MD_OK)
				rc = household(g, 0, residents - g->c.residents, err);
		}
	}
	finalize_all(g);
	if (rc == MD_OK)
		rc = protections(g, residents, err);
	for (int i = 0; i < si.n; i++) {
		if (rc == MD_OK && sqlite3_exec(db, si.sql[i], NULL, NULL, NULL) != SQLITE_OK)
			rc = md_store_fail(g->ctx->store, err, _("building the search indexes"));
		free(si.sql[i]);
	}
	free(si.sql);
	if (rc == MD_OK) {
		char *detail = xasprintf("residents=%ld seed=%llu households=%ld foreign=%ld removed=%ld persons=%ld "
		                         "versions=%ld changes=%ld suppressions=%ld support_measures=%ld",
		                         residents, seed, g->c.households, g->c.foreign, g->c.removed, g->c.persons,
		                         g->c.versions, g->c.changes, g->c.suppressions, g->c.support_measures);
		struct md_audit_rec r = { NULL, "training.generate", NULL, "generate the training ward 見本区", "ok",
		                          detail, 1 };
		rc = md_audit(g->ctx, &r, err);
		free(detail);
	}
	return rc;
}

int md_training_generate(struct md_ctx *ctx, long residents, unsigned long long seed,
                         struct md_training_counts *counts, struct md_error *err)
{
	struct gen *g;
	sqlite3 *db;
	char today[11];
	int y, m, d, rc;
	uint64_t k;

	if (counts)
		memset(counts, 0, sizeof *counts);
	if (residents < 0 || residents > MD_TRAINING_MAX_RESIDENTS)
		return md_error_set(err, MD_E_INVALID, "residents",
		                    _("--residents must be a whole number from 0 to %ld, not %ld"),
		                    MD_TRAINING_MAX_RESIDENTS, residents);
	if (ctx->kind != MD_DB_TRAINING)
		return md_error_set(err, MD_E_MODE, "db", _("a synthetic ward is made only in a training database"));
	if (md_store_in_tx(ctx->store))
		return md_error_set(err, MD_E_INVALID, "db", _("the training ward is generated in its own transaction"));
	db = md_store_db(ctx->store);
	{
		sqlite3_stmt *s;
		int used = 1;
		if (sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM (SELECT 1 FROM persons LIMIT 1)) + "
		                           "(SELECT count(*) FROM (SELECT 1 FROM households LIMIT 1))", -1, &s, NULL) == SQLITE_OK &&
		    sqlite3_step(s) == SQLITE_ROW)
			used = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
		if (used)
			return md_error_set(err, MD_E_CONFLICT, "db",
			                    _("the training database already holds residents: make the ward in a new one"));
	}

	g = xcalloc(1, sizeof *g);
	g->ctx = ctx;
	if ((rc = lists_load(&g->d, err)) != MD_OK) {
		lists_free(&g->d);
		free(g);
		return rc;
	}
	rng_seed(&g->r, seed);
	k = seed ^ 0x6d79206e756d6265ULL;   /* separate keys for the two number permutations */
	for (int i = 0; i < 4; i++)
		g->mn_key[i] = splitmix(&k);
	for (int i = 0; i < 4; i++)
		g->jc_key[i] = splitmix(&k);
	g->mn_ctr = g->jc_ctr = 1;
	md_date_local(md_time_now(), today, sizeof today);
	md_date_parse_iso(today, &y, &m, &d);
	g->T = md_days_from_civil(y, m, d);

	/* Bulk-load settings: a new training database, nothing to lose. */
	sqlite3_exec(db, "PRAGMA foreign_keys = OFF; PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; "
	                 "PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;", NULL, NULL, NULL);
	if ((rc = md_store_begin(ctx->store, err)) == MD_OK) {
		rc = generate(g, residents, seed, err);
		if (rc == MD_OK)
			rc = md_store_commit(ctx->store, err);
		else
			md_store_rollback(ctx->store);
	}
	sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
	                 "PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT;", NULL, NULL, NULL);
	if (rc == MD_OK && counts)
		*counts = g->c;
	areset(g);
	free(g->blk);
	free(g->act);
	lists_free(&g->d);
	free(g);
	return rc;
}

/* ---- arguments and creation ------------------------------------------------------- */

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int md_training_parse_residents(const char *text, long *out, struct md_error *err)
{
	*out = MD_TRAINING_DEFAULT_RESIDENTS;
	if (!text || !*text)
		return MD_OK;
	if (!all_digits(text) || strlen(text) > 9 || atol(text) > MD_TRAINING_MAX_RESIDENTS)
		return md_error_set(err, MD_E_INVALID, "residents",
		                    _("--residents must be a whole number from 0 to %ld, not \"%s\""),
		                    MD_TRAINING_MAX_RESIDENTS, text);
	*out = atol(text);
	return MD_OK;
}

int md_training_parse_seed(const char *text, unsigned long long *out, struct md_error *err)
{
	unsigned long long v;
	*out = MD_TRAINING_DEFAULT_SEED;
	if (!text || !*text)
		return MD_OK;
	errno = 0;
	v = strtoull(text, NULL, 10);
	if (!all_digits(text) || errno == ERANGE || strlen(text) > 20)
		return md_error_set(err, MD_E_INVALID, "seed",
		                    _("--seed must be a whole number from 0 to 18446744073709551615, not \"%s\""),
		                    text);
	*out = v;
	return MD_OK;
}

int md_training_db_create(const struct md_settings *cfg, const char *db_path, long residents,
                          unsigned long long seed, struct md_training_counts *counts, struct md_error *err)
{
	struct md_ctx *ctx = NULL;
	int rc;

	if (residents < 0 || residents > MD_TRAINING_MAX_RESIDENTS)
		return md_error_set(err, MD_E_INVALID, "residents",
		                    _("--residents must be a whole number from 0 to %ld, not %ld"),
		                    MD_TRAINING_MAX_RESIDENTS, residents);
	if ((rc = md_db_create(cfg, db_path, NULL, MD_DB_TRAINING, NULL, NULL, err)) != MD_OK)
		return rc;
	if ((rc = md_ctx_open(&ctx, cfg, db_path, NULL, MD_DB_TRAINING, err)) == MD_OK)
		rc = md_training_generate(ctx, residents, seed, counts, err);
	md_ctx_free(&ctx);
	if (rc != MD_OK) {
		static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
		char *kp = md_ctx_key_path(cfg, db_path, MD_DB_TRAINING);
		for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
			char *p = xasprintf("%s%s", db_path, sfx[i]);
			unlink(p);
			free(p);
		}
		unlink(kp);
		free(kp);
	}
	return rc;
}
