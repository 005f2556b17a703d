/* trainingward.c: the synthetic training ward 見本区 (see trainingward.h),
 * the run: parsing the public options, md_training_generate and
 * md_training_db_create, the bulk writing of households, persons, versions,
 * changes and search-index rows, the protections (suppressions and support
 * measures), and the helpers both halves use (dates, the string arena).
 * The people and their story are drawn in trainingward_people.c.
 *
 * The ward is made household by household: each is drawn (members, names,
 * address, a story of arrival, births, a 転居, a marriage, a child moving
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
#include "crypto.h"
#include "ctx.h"
#include "i18n.h"
#include "kana.h"
#include "nameindex.h"
#include "person.h"
#include "store.h"
#include "timeutil.h"
#include "trainingward_impl.h"
#include "xalloc.h"

/* ---- numbers ----------------------------------------------------------------- */

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
long tw_add_months(long day, int months)
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

int tw_year_of(long day)
{
	int y, m, d;
	civil(day, &y, &m, &d);
	return y;
}

void tw_ts(long day, long secs, char out[24])
{
	int y, m, d;
	civil(day + secs / 86400, &y, &m, &d);
	secs %= 86400;
	snprintf(out, 24, "%04d-%02d-%02dT%02ld:%02ld:%02ldZ", y, m, d, secs / 3600, secs / 60 % 60, secs % 60);
}

/* ---- arena: the strings of one household ------------------------------------ */

void *tw_aalloc(struct gen *g, size_t n)
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

void tw_areset(struct gen *g)
{
	while (g->blk && g->blk->next) {
		struct ablk *n = g->blk->next;
		free(g->blk);
		g->blk = n;
	}
	if (g->blk)
		g->blk->len = 0;
}

const char *tw_afmt(struct gen *g, const char *fmt, ...)
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
	p = tw_aalloc(g, (size_t)n + 1);
	memcpy(p, buf, (size_t)n);
	p[n] = '\0';
	return p;
}

const char *tw_adate(struct gen *g, long day)
{
	int y, m, d;
	civil(day, &y, &m, &d);
	return tw_afmt(g, "%04d-%02d-%02d", y, m, d);
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
			*sur = tw_afmt(g, "%.*s", (int)(q - s), s);
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
	*idx = tw_afmt(g, "%s", hex);
	*jcode = tw_afmt(g, "%s", jc);
	return MD_OK;
}

static void count_active(struct gen *g, const struct hh *h, const struct mem *m, long long pid)
{
	int b = tw_band_of(&g->d, m->age);
	g->cnt[b][m->sex]++;
	g->gcnt[tw_group_of(m->age)]++;
	g->total++;
	g->tsum[h->type][tw_group_of(m->age)]++;
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

	tw_timeline(g, h);
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
					tw_first_version(g, h, m, &h->ev[e], e, idx[i], jc[i]);
				else
					tw_next_version(g, h, m, &h->ev[e], e);
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

/* One household: former 0 living here (at most remaining residents), 1
 * moved out altogether, 2 a person living alone who died. */
static int household(struct gen *g, int former, long remaining, struct md_error *err)
{
	tw_draw_household(g, former, remaining);
	return write_household(g, &g->h, err);
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
	iso(kind == 1 ? tw_add_months(start, 1) - 1 : tw_add_months(start, 12) - 1, b);
	tw_ts(start, range(&g->r, 0, 6 * 3600), at);
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
		struct nm on = tw_surname(g), og = tw_given_for(g, 0, tw_year_of(g->T) - 40);
		const char *who;

		k = strcmp(sit, "児童虐待") == 0 ? pick_act(g, 1, 17, -1, used, nused)
		    : pick_act(g, 18, 64, strcmp(sit, "DV") == 0 || chance(&g->r, 0.8) ? 1 : 0, used, nused);
		if (k < 0)
			continue;
		used[nused++] = g->act[k].pid;
		start = kind == 1 ? g->T - range(&g->r, 1, 10)
		        : kind == 2 ? tw_add_months(g->T + range(&g->r, 1, 30) + 1, -12)
		                    : g->T - range(&g->r, 30, 330);
		who = tw_afmt(g, "%s %s（%s）", on.k, og.k, strcmp(sit, "DV") == 0 ? "元配偶者" : strcmp(sit, "ストーカー") == 0
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
		tw_ts(start, range(&g->r, 0, 6 * 3600), at);
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
	if ((rc = tw_lists_load(&g->d, err)) != MD_OK) {
		tw_lists_free(&g->d);
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
	tw_areset(g);
	free(g->blk);
	free(g->act);
	tw_lists_free(&g->d);
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
