/* trainingward_people.c: the people of the training ward 見本区 (see
 * trainingward.h and trainingward_impl.h): the name, population,
 * household-type, nationality, residence-status and address lists of
 * data/; drawing a household and its members (ages on the population
 * pyramid, names with readings, 本籍, foreign residents' items, the
 * address); the story laid over each household (arrival, births, a 転居,
 * a marriage, a child moving out, a death, a whole household leaving)
 * and the versions of each person's record it makes, removed records
 * (除票) included. Writing them is trainingward.c's. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "i18n.h"
#include "person.h"
#include "relationship.h"
#include "trainingward_impl.h"
#include "xalloc.h"

/* ---- weighted choice -------------------------------------------------------- */

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

void tw_lists_free(struct lists *d)
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

int tw_lists_load(struct lists *d, struct md_error *err)
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
	long hi = tw_add_months(g->T, -12 * age), lo = tw_add_months(g->T, -12 * (age + 1)) + 1;
	if (hi > g->T - 1)
		hi = g->T - 1;
	return range(&g->r, lo, hi);
}

int tw_group_of(int age)
{
	return age < 15 ? 0 : age < 65 ? 1 : 2;
}

int tw_band_of(const struct lists *d, int age)
{
	for (int b = 0; b < d->nbands; b++)
		if (age <= d->band_hi[b])
			return b;
	return d->nbands - 1;
}

/* ---- names, registers and addresses ----------------------------------------- */

struct nm tw_surname(struct gen *g)
{
	return g->d.sur[wtab_pick(&g->d.surnames, &g->r)];
}

static struct nm surname_not(struct gen *g, const char *not)
{
	struct nm s = tw_surname(g);
	for (int i = 0; i < 8 && strcmp(s.k, not) == 0; i++)
		s = tw_surname(g);
	return s;
}

struct nm tw_given_for(struct gen *g, int sex, int year)
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
	struct nm n = tw_given_for(g, m->sex, tw_year_of(m->birth));
	m->given = n.k;
	m->given_kana = n.kana;
}

static const char *full(struct gen *g, const struct mem *m)
{
	return tw_afmt(g, "%s %s", m->sur, m->given);
}

/* The name of someone's father: the same surname, a name of his generation. */
static const char *father_of(struct gen *g, const char *sur, long child_birth)
{
	return tw_afmt(g, "%s %s", sur, tw_given_for(g, 0, tw_year_of(child_birth) - 30).k);
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
		return ch > 0 ? tw_afmt(g, "見本区%s%d丁目%ld番地", dn, ch, ban) : tw_afmt(g, "見本区%s%ld番地", dn, ban);
	}
	return tw_afmt(g, "%s%ld丁目%ld番地", places[range(&g->r, 0, NPLACES - 1)], range(&g->r, 1, 5),
	               range(&g->r, 1, 30));
}

static const char *elsewhere(struct gen *g)
{
	return tw_afmt(g, "%s%ld丁目%ld番%ld号", places[range(&g->r, 0, NPLACES - 1)], range(&g->r, 1, 5),
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

	a->address = ch > 0 ? tw_afmt(g, "見本区%s%d丁目%ld番%ld号", dn, ch, ban, go)
	                    : tw_afmt(g, "見本区%s%ld番%ld号", dn, ban, go);
	a->postal = d->dist->rows[row][d->d_postal];
	a->code = d->dist->rows[row][d->d_code];
	a->katagaki = NULL;
	/* Whether an address is a block of flats, and its name, go with the address. */
	if (h % 100 < 40) {
		int s = (int)((h >> 8) % (sizeof suf / sizeof suf[0]));
		int floors = s <= 1 || s == 4 ? 2 : 10;
		const char *p = (h >> 16) % 3 == 0 ? dn : pre[(h >> 20) % (sizeof pre / sizeof pre[0])];
		a->katagaki = tw_afmt(g, "%s%s%ld%02ld号室", p, suf[s], range(&g->r, 1, floors), range(&g->r, 1, 10));
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
	m->period = years > 0 ? tw_afmt(g, "%d年", years) : NULL;
	m->expiry = years > 0 ? tw_adate(g, g->T + range(&g->r, 30, years * 365L)) : NULL;
	for (int i = 0; i < 12; i++)
		card[i] = i < 2 || i >= 10 ? (char)('A' + range(&g->r, 0, 25)) : (char)('0' + range(&g->r, 0, 9));
	card[12] = '\0';
	m->card = tw_afmt(g, "%s", card);
	m->art = st == d->st_special ? "特別永住者" : "中長期在留者";
	m->honseki = m->hittosha = m->honseki0 = m->hittosha0 = NULL;
	m->sur0 = m->former = NULL;
	m->marries = 0;
	/* A Japanese alias (通称), rarely, and mostly for 特別永住者. */
	if ((strcmp(m->nat, "KOR") == 0 || strcmp(m->nat, "CHN") == 0 || strcmp(m->nat, "TWN") == 0) &&
	    chance(&g->r, st == d->st_special ? 0.4 : 0.04)) {
		struct nm s = tw_surname(g), n = tw_given_for(g, m->sex, tw_year_of(m->birth));
		m->alias = tw_afmt(g, "%s %s", s.k, n.k);
		m->alias_kana = tw_afmt(g, "%s %s", s.kana, n.kana);
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
	m->roman = *f->given ? tw_afmt(g, "%s %s", sur, f->given) : sur;
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
	set_sur(m, tw_surname(g));
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
	marry(g, h, hu, wi, chance(&g->r, 0.05), tw_surname(g), NULL);
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
		set_sur(hd, tw_surname(g));
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
		set_sur(hd, tw_surname(g));
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
	amin = tw_add_months(hd->birth, 12 * 18);
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
			long lo = tw_add_months(m->birth, 12 * 20), hi = h->former ? T1 - 90 : T1 - 30, j;
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
			lo = tw_add_months(m->birth, 12 * 18) > m->join + 30 ? tw_add_months(m->birth, 12 * 18) : m->join + 30;
		else
			lo = tw_add_months(m->birth, 12 * 55) > m->join + 30 ? tw_add_months(m->birth, 12 * 55) : m->join + 30;
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
		if (tw_add_months(hd->birth, 12 * 18) > lo)
			lo = tw_add_months(hd->birth, 12 * 18);
		if (tw_add_months(sp->birth, 12 * 18) > lo)
			lo = tw_add_months(sp->birth, 12 * 18);
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

/* Notification and processing dates, in order, none after yesterday. */
void tw_timeline(struct gen *g, struct hh *h)
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
		tw_ts(n, made, e->made);
		tw_ts(n, prev_end, e->decided);
	}
}

/* ---- versions ------------------------------------------------------------------- */

static const char **vnew(struct gen *g, const char **from)
{
	const char **v = tw_aalloc(g, MD_F_COUNT * sizeof *v);
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

void tw_first_version(struct gen *g, struct hh *h, struct mem *m, const struct ev *e, int ei,
                      const char *mn_idx, const char *jcode)
{
	const char **v = vnew(g, NULL);
	const char *join = tw_adate(g, m->join);
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
	v[MD_F_BIRTH_DATE] = tw_adate(g, m->birth);
	v[MD_F_SEX] = m->sex ? "F" : "M";
	v[MD_F_HONSEKI] = marries ? m->honseki0 : m->honseki;
	v[MD_F_HITTOSHA] = marries ? m->hittosha0 : m->hittosha;
	v[MD_F_RESIDENT_SINCE] = join;
	set_addr(v, &h->addr[h->move_day && m->join >= h->move_day ? 1 : 0]);
	v[MD_F_ADDRESS_SINCE] = join;
	v[MD_F_NOTIFIED_ON] = tw_adate(g, e->notified);
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

void tw_next_version(struct gen *g, struct hh *h, struct mem *m, const struct ev *e, int ei)
{
	const char **v;
	const char *day = tw_adate(g, e->day);

	if (m->nver == 0)
		return;
	v = vnew(g, m->ver[m->nver - 1]);
	switch (e->kind) {
	case EV_MOVE:
		set_addr(v, &h->addr[1]);
		v[MD_F_ADDRESS_SINCE] = day;
		v[MD_F_NOTIFIED_ON] = tw_adate(g, e->notified);
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

/* One household, drawn into g->h with its story (see trainingward_impl.h). */
void tw_draw_household(struct gen *g, int former, long remaining)
{
	struct hh *h = &g->h;
	int active = 0;
	double pf;

	tw_areset(g);
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
}
