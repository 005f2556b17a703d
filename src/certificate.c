/* certificate.c: preparing a certificate request (members, 抑止 and
 * 支援措置, the values of each person), the preview and the issuance. The
 * rules each of these applies are in certrules.c; the issuance history's
 * reports are in cmd_certificate.c. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "audit.h"
#include "certadmin.h"
#include "certificate.h"
#include "certificate_impl.h"
#include "change_impl.h"
#include "checkdigit.h"
#include "codes.h"
#include "counter.h"
#include "crypto.h"
#include "ctx.h"
#include "datafiles.h"
#include "i18n.h"
#include "account.h"
#include "protect.h"
#include "relationship.h"
#include "result.h"
#include "seal.h"
#include "store.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

/* ---- formatting a person's items ---------------------------------------------------------- */

static void date_text(const char *iso, int circa, int western, char *buf, size_t n)
{
	struct md_date d;

	buf[0] = '\0';
	if (!iso || !*iso || md_date_from_iso(iso, &d) != 0)
		return;
	d.circa = circa != 0;
	if (western)
		md_date_format_western(&d, buf, n);
	else
		md_date_format_wareki(&d, buf, n);
}

static void set_date(struct md_vars *v, const char *key, const struct md_person *p, enum md_field f)
{
	char buf[MD_DATE_TEXT_MAX];
	date_text(md_person_get(p, f), 0, 0, buf, sizeof buf);
	md_vars_set(v, key, buf);
}

static const char *code_name(enum md_codelist list, const char *col, const char *code)
{
	const struct md_tsv *t = md_codes(list);
	int row = md_tsv_find(t, col, code);
	return row >= 0 ? md_tsv_get(t, row, "name") : code;
}

static char *full_address(const struct md_person *p)
{
	if (md_person_has(p, MD_F_KATAGAKI))
		return xasprintf("%s　%s", md_person_get(p, MD_F_ADDRESS), md_person_get(p, MD_F_KATAGAKI));
	return xstrdup(md_person_get(p, MD_F_ADDRESS));
}

static int is_foreign(const struct md_person *p)
{
	return strcmp(md_person_get(p, MD_F_RESIDENT_TYPE), "foreign") == 0;
}

/* Appends a line to a growing text. */
static void add_line(char **text, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_line(char **text, const char *fmt, ...)
{
	va_list ap;
	char line[1024];
	char *next;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	next = *text ? xasprintf("%s\n%s", *text, line) : xstrdup(line);
	free(*text);
	*text = next;
}

/* 履歴: the person's approved versions, oldest first: each address taken
 * (with the event date and the reason), each change of name, and (with
 * alias_history) each 通称 recorded or deleted. */
static int history_text(struct md_ctx *ctx, long long id, int addresses, int aliases, char **out,
                        struct md_error *err)
{
	static const char sql[] =
		"SELECT v.surname || ' ' || v.given_name, v.address || coalesce('　' || v.katagaki, ''), "
		"coalesce(v.alias, ''), coalesce(c.event_date, ''), coalesce(c.reason, ''), "
		"coalesce(v.address_since, '') "
		"FROM person_versions v LEFT JOIN changes c ON c.id = v.change_id "
		"WHERE v.person_id = ?1 ORDER BY v.version";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	char *prev_name = NULL, *prev_addr = NULL, *prev_alias = NULL, *text = NULL;
	int rc, first = 1;

	if (!s)
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *name = md_col_text(s, 0), *addr = md_col_text(s, 1), *alias = md_col_text(s, 2);
		const char *reason = code_name(MD_CODES_REASONS, "code", md_col_text(s, 4));
		char date[MD_DATE_TEXT_MAX];

		date_text(first && *md_col_text(s, 5) ? md_col_text(s, 5) : md_col_text(s, 3), 0, 0, date,
		          sizeof date);
		if (addresses && (first || strcmp(addr, prev_addr) != 0))
			add_line(&text, "%s　%s　住所　%s", date, reason, addr);
		if (addresses && !first && strcmp(name, prev_name) != 0)
			add_line(&text, "%s　%s　氏名　%s → %s", date, reason, prev_name, name);
		if (aliases && *alias && (first || strcmp(alias, prev_alias) != 0))
			add_line(&text, "%s　通称の記載　%s", date, alias);
		else if (aliases && !first && !*alias && *prev_alias)
			add_line(&text, "%s　通称の削除　%s", date, prev_alias);
		free(prev_name);
		free(prev_addr);
		free(prev_alias);
		prev_name = xstrdup(name);
		prev_addr = xstrdup(addr);
		prev_alias = xstrdup(alias);
		first = 0;
	}
	sqlite3_reset(s);
	free(prev_name);
	free(prev_addr);
	free(prev_alias);
	if (rc != SQLITE_DONE) {
		free(text);
		return md_store_fail(ctx->store, err, _("reading the history"));
	}
	*out = text ? text : xstrdup("");
	return MD_OK;
}

/* The My Number in clear (12 digits) or masked; "" when none. */
static int mynumber_text(struct md_ctx *ctx, const struct md_person *p, int masked, char *buf,
                         size_t n, struct md_error *err)
{
	char clear[16];
	size_t len = 0;
	int rc;

	buf[0] = '\0';
	if (!p->mynumber_enc)
		return MD_OK;
	memset(clear, 0, sizeof clear);
	rc = md_secret_open(&ctx->keys, p->mynumber_enc, (size_t)p->mynumber_enc_len, clear,
	                    sizeof clear - 1, &len, err);
	if (rc == MD_OK && len != 12)
		rc = md_error_set(err, MD_E_KEY, "mynumber", _("the 個人番号 of 宛名番号 %lld cannot be read"),
		                  p->id);
	if (rc == MD_OK) {
		clear[12] = '\0';
		if (masked)
			md_mynumber_mask(clear, buf, n);
		else
			snprintf(buf, n, "%s", clear);
	}
	memset(clear, 0, sizeof clear);
	return rc;
}

/* The values of one person (see the layouts for their use). An omitted
 * item has no value at all, so its element is left out. */
static int member_vars(struct md_ctx *ctx, struct md_cert *c, struct md_cert_member *m, int seq,
                       struct md_error *err)
{
	const struct md_person *p = &m->p;
	struct md_vars *v = &m->vars;
	unsigned o = c->options;
	char buf[MD_DATE_TEXT_MAX * 2], *s;
	int foreign = is_foreign(p), rc;

	md_vars_setf(v, "seq", "%d", seq);
	md_vars_setf(v, "atena", "%lld", p->id);
	s = md_person_name(p);
	md_vars_set(v, "name", s);
	free(s);
	s = md_person_name_kana(p);
	md_vars_set(v, "kana", s);
	free(s);
	md_vars_set(v, "former_surname", md_person_get(p, MD_F_FORMER_SURNAME));
	md_vars_set(v, "alias", md_person_get(p, MD_F_ALIAS));
	date_text(md_person_get(p, MD_F_BIRTH_DATE), atoi(md_person_get(p, MD_F_BIRTH_CIRCA)), foreign,
	          buf, sizeof buf);
	md_vars_set(v, "birth", buf);
	md_vars_set(v, "sex", strcmp(md_person_get(p, MD_F_SEX), "F") == 0 ? "女" : "男");
	set_date(v, "resident_since", p, MD_F_RESIDENT_SINCE);
	set_date(v, "address_since", p, MD_F_ADDRESS_SINCE);
	set_date(v, "notified_on", p, MD_F_NOTIFIED_ON);
	md_vars_set(v, "previous_address", md_person_get(p, MD_F_PREVIOUS_ADDRESS));
	s = full_address(p);
	md_vars_set(v, "address", s);
	free(s);
	if (o & MD_CO_HEAD_REL)
		md_vars_set(v, "relationship", md_person_get(p, MD_F_RELATIONSHIP));
	if ((o & MD_CO_HONSEKI) && !foreign) {
		md_vars_set(v, "honseki", md_person_get(p, MD_F_HONSEKI));
		md_vars_set(v, "hittosha", md_person_get(p, MD_F_HITTOSHA));
	}
	if ((o & MD_CO_JUMINHYO_CODE) || c->type->id == MD_CERT_CODE_NOTICE)
		md_vars_set(v, "juminhyo_code", md_person_get(p, MD_F_JUMINHYO_CODE));
	if (o & MD_CO_MYNUMBER) {
		if ((rc = mynumber_text(ctx, p, !c->clear_mynumber, buf, sizeof buf, err)) != MD_OK)
			return rc;
		md_vars_set(v, "mynumber", buf);
	}
	if (foreign) {
		set_date(v, "foreign_since", p, MD_F_FOREIGN_SINCE);
		if (o & MD_CO_NATIONALITY)
			md_vars_set(v, "nationality",
			            code_name(MD_CODES_NATIONALITIES, "code", md_person_get(p, MD_F_NATIONALITY)));
		if (o & MD_CO_RESIDENCE_STATUS) {
			md_vars_set(v, "residence_status", md_person_get(p, MD_F_RESIDENCE_STATUS));
			md_vars_set(v, "art30_45", md_person_get(p, MD_F_ART30_45));
		}
		if (o & MD_CO_RESIDENCE_PERIOD)
			md_vars_set(v, "residence_period", md_person_get(p, MD_F_RESIDENCE_PERIOD));
		if (o & MD_CO_RESIDENCE_EXPIRY)
			set_date(v, "residence_expiry", p, MD_F_RESIDENCE_EXPIRY);
		if (o & MD_CO_RESIDENCE_CARD)
			md_vars_set(v, "residence_card_no", md_person_get(p, MD_F_RESIDENCE_CARD_NO));
	}
	if (c->type->id == MD_CERT_JOSHU) {
		char date[MD_DATE_TEXT_MAX];
		const char *out_addr = md_person_has(p, MD_F_OUT_ADDRESS) ? md_person_get(p, MD_F_OUT_ADDRESS)
		                       : md_person_get(p, MD_F_OUT_ADDRESS_PLANNED);
		const char *reason = code_name(MD_CODES_REASONS, "code", md_person_get(p, MD_F_REMOVAL_REASON));
		date_text(md_person_get(p, MD_F_REMOVAL_DATE), 0, 0, date, sizeof date);
		if (*out_addr)
			md_vars_setf(v, "removal", "%s　%s（転出先　%s）", date, reason, out_addr);
		else
			md_vars_setf(v, "removal", "%s　%s", date, reason);
	}
	if (c->history || (o & MD_CO_ALIAS_HISTORY)) {
		char *h = NULL;
		if ((rc = history_text(ctx, p->id, c->history, (o & MD_CO_ALIAS_HISTORY) != 0, &h, err)) != MD_OK)
			return rc;
		md_vars_set(v, "history", h);
		free(h);
	}
	return MD_OK;
}

/* 記載事項証明書: the chosen items as "label　value" lines, built from the
 * person's values. */
static void kisai_vars(struct md_cert *c, struct md_cert_member *m)
{
	struct md_vars *v = &m->vars;
	char *text = NULL;
	char *copy = xstrdup(c->items), *save = NULL, *w;

	for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		const char *label = md_cert_kisai_label(w);
		const char *val;
		/* The name heads each person's box (kisai.tsv) already. */
		if (!label || strcmp(w, "name") == 0)
			continue;
		if (strcmp(w, "head_rel") == 0) {
			const char *head = md_vars_get(&c->doc, "head_name");
			add_line(&text, "世帯主　%s　続柄　%s", head ? head : "",
			         md_person_get(&m->p, MD_F_RELATIONSHIP));
			continue;
		}
		if (strcmp(w, "honseki") == 0) {
			if (!is_foreign(&m->p))
				add_line(&text, "本籍　%s　筆頭者　%s", md_person_get(&m->p, MD_F_HONSEKI),
				         md_person_get(&m->p, MD_F_HITTOSHA));
			continue;
		}
		val = md_vars_get(v, strcmp(w, "birth_date") == 0 ? "birth" : w);
		if (val && *val)
			add_line(&text, "%s　%s", label, val);
	}
	free(copy);
	md_vars_set(v, "items", text ? text : "");
	free(text);
}

/* ---- members ------------------------------------------------------------------------------ */

static long long household_of(const struct md_person *p)
{
	return strtoll(md_person_get(p, MD_F_HOUSEHOLD), NULL, 10);
}

/* As the certificate shows it: a planned move-out whose date is still to
 * come is left out, the person a resident. */
static void as_printed(struct md_person *p, const char *today)
{
	if (strcmp(md_person_get(p, MD_F_STATUS), "moved_out") == 0 &&
	    strcmp(md_person_get(p, MD_F_REMOVAL_DATE), today) > 0) {
		md_person_set(p, MD_F_STATUS, "resident");
		md_person_set(p, MD_F_OUT_PLANNED_DATE, NULL);
		md_person_set(p, MD_F_OUT_ADDRESS_PLANNED, NULL);
		md_person_set(p, MD_F_OUT_ADDRESS, NULL);
		md_person_set(p, MD_F_REMOVAL_REASON, NULL);
		md_person_set(p, MD_F_REMOVAL_DATE, NULL);
	}
}

static int member_cmp(const void *a, const void *b)
{
	const struct md_cert_member *x = a, *y = b;
	return md_member_cmp(&x->key, &y->key);
}

/* The certificate order (registry.md §4), a child's family after that child. */
static void sort_members(struct md_cert *c)
{
	struct md_member_key *keys = xcalloc((size_t)c->n, sizeof *keys);
	char **names = xcalloc((size_t)c->n, sizeof *names);
	const char **hit = xcalloc((size_t)c->n, sizeof *hit);

	for (int i = 0; i < c->n; i++) {
		const struct md_person *p = &c->m[i].p;
		keys[i].group = md_relationship_group(md_person_get(p, MD_F_RELATIONSHIP));
		keys[i].birth_date = md_person_get(p, MD_F_BIRTH_DATE);
		keys[i].atena = p->id;
		names[i] = md_person_name(p);
		hit[i] = md_person_get(p, MD_F_HITTOSHA);
	}
	md_member_anchor(keys, c->n, (const char *const *)names, hit);
	for (int i = 0; i < c->n; i++) {
		c->m[i].key = keys[i];
		free(names[i]);
	}
	free(keys);
	free(names);
	free(hit);
	qsort(c->m, (size_t)c->n, sizeof *c->m, member_cmp);
}

static void add_member(struct md_cert *c, struct md_person *p)
{
	c->m = xrealloc(c->m, (size_t)(c->n + 1) * sizeof *c->m);
	memset(&c->m[c->n], 0, sizeof c->m[c->n]);
	c->m[c->n].p = *p;
	md_vars_init(&c->m[c->n].vars);
	c->n++;
	md_person_init(p);
}

/* Members eligible for the type: residents (a planned move-out counts) for
 * every type but the 除票, removed persons for it. */
static int eligible(const struct md_cert *c, const struct md_person *p)
{
	int active = cw_active(p, c->today);
	return c->type->id == MD_CERT_JOSHU ? !active : active;
}

static int household_ids(struct md_ctx *ctx, long long household, long long **ids, int *n,
                         struct md_error *err)
{
	static const char sql[] = "SELECT id FROM persons WHERE household_id = ?1 ORDER BY id";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int rc;

	*ids = NULL;
	*n = 0;
	if (!s)
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, household);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*ids = xrealloc(*ids, (size_t)(*n + 1) * sizeof **ids);
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		return md_store_fail(ctx->store, err, _("reading the household"));
	}
	return MD_OK;
}

struct id_list {
	long long *v;
	int n;
	struct md_error *err;
};

static int id_word(const char *w, void *arg)
{
	struct id_list *l = arg;
	char *end = NULL;
	long long id = strtoll(w, &end, 10);

	if (*end || id <= 0) {
		md_error_set(l->err, MD_E_INVALID, "members",
		             _("members: \"%s\" is not a 宛名番号; give all, or 宛名番号 separated by commas"), w);
		return -1;
	}
	for (int i = 0; i < l->n; i++) {
		if (l->v[i] == id) {
			md_error_set(l->err, MD_E_INVALID, "members", _("members: %lld is given twice"), id);
			return -1;
		}
	}
	l->v = xrealloc(l->v, (size_t)(l->n + 1) * sizeof *l->v);
	l->v[l->n++] = id;
	return 0;
}

static int select_members(struct md_ctx *ctx, struct md_cert *c, const char *members,
                          const struct md_person *subject, struct md_error *err)
{
	long long *ids = NULL;
	int n = 0, eligible_n = 0, rc;
	int all = members && strcmp(members, "all") == 0;
	int listed = members && *members && !all;
	int single = c->type->id == MD_CERT_INKAN || c->type->id == MD_CERT_CODE_NOTICE;
	struct id_list want = { NULL, 0, err };

	if (!members || !*members)
		all = c->type->id == MD_CERT_JUMINHYO;
	if (single && (all || listed) && !(listed && strtoll(members, NULL, 10) == subject->id &&
	                                   !strchr(members, ',')))
		return md_error_set(err, MD_E_INVALID, "members",
		                    _("a %s is of one person: the transaction's subject"), c->type->name);
	if (listed && md_cert_each_word(members, id_word, &want) != 0) {
		free(want.v);
		return MD_E_INVALID;
	}
	if ((rc = household_ids(ctx, c->household, &ids, &n, err)) != MD_OK) {
		free(want.v);
		return rc;
	}
	for (int i = 0; i < want.n; i++) {
		int k;
		for (k = 0; k < n && ids[k] != want.v[i]; k++)
			;
		if (k == n) {
			rc = md_error_set(err, MD_E_INVALID, "members",
			                  _("members: 宛名番号 %lld is not in the household (世帯番号 %lld) of the transaction's subject"),
			                  want.v[i], c->household);
			goto out;
		}
	}
	for (int i = 0; i < n; i++) {
		struct md_person p;
		int chosen = 0;

		md_person_init(&p);
		if ((rc = cw_load_person(ctx, ids[i], &p, err)) != MD_OK)
			goto out;
		if (eligible(c, &p))
			eligible_n++;
		if (all)
			chosen = eligible(c, &p);
		else if (listed)
			for (int k = 0; k < want.n; k++)
				chosen |= want.v[k] == ids[i];
		else
			chosen = ids[i] == subject->id;
		if (chosen && !eligible(c, &p)) {
			char *name = md_person_name(&p);
			rc = md_error_set(err, MD_E_INVALID, "members",
			                  c->type->id == MD_CERT_JOSHU
			                  ? _("members: %s (宛名番号 %lld) is a resident, not a removed record (除票)")
			                  : _("members: %s (宛名番号 %lld) is no longer a resident (除票): use a 住民票の除票の写し"),
			                  name, ids[i]);
			free(name);
			md_person_release(&p);
			goto out;
		}
		if (chosen) {
			as_printed(&p, c->today);
			add_member(c, &p);
		}
		md_person_release(&p);
	}
	if (c->n == 0) {
		rc = md_error_set(err, MD_E_INVALID, "members", _("members: nobody to print"));
		goto out;
	}
	sort_members(c);
	c->whole_household = c->n == eligible_n;
out:
	free(ids);
	free(want.v);
	return rc;
}

/* The head of the household: the resident 世帯主, or for a 除票 the
 * 世帯主 among the removed records (else the current one). */
static void head_name(struct md_ctx *ctx, struct md_cert *c)
{
	static const char sql[] =
		"SELECT surname || ' ' || given_name FROM persons WHERE household_id = ?1 "
		"AND relationship = '世帯主' "
		"ORDER BY CASE WHEN (status = 'resident' OR (status = 'moved_out' AND removal_date > ?2)) "
		"THEN ?3 ELSE 1 - ?3 END DESC, id DESC LIMIT 1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);

	if (!s)
		return;
	sqlite3_bind_int64(s, 1, c->household);
	md_bind_text(s, 2, c->today);
	sqlite3_bind_int(s, 3, c->type->id == MD_CERT_JOSHU ? 0 : 1);
	if (sqlite3_step(s) == SQLITE_ROW)
		md_vars_set(&c->doc, "head_name", md_col_text(s, 0));
	sqlite3_reset(s);
}

/* ---- 抑止 and 支援措置 for each member ----------------------------------------------------------- */

static int audit_refusal(struct md_ctx *ctx, const struct md_cert *c, int issuing, long long person,
                         const char *why)
{
	char subject[24], detail[700];
	struct md_audit_rec r = { NULL, issuing ? "cert.issue" : "cert.preview", person > 0 ? subject : NULL,
		                  issuing ? "issue" : "preview", "denied", detail, 0 };
	struct md_error e;

	snprintf(subject, sizeof subject, "%lld", person);
	snprintf(detail, sizeof detail, "%s transaction=%lld category=%s: %s", c->type->code,
	         c->transaction, c->category, why);
	return md_audit(ctx, &r, &e);
}

static int gate_members(struct md_ctx *ctx, struct md_cert *c, const struct md_cert_request *rq,
                        struct md_error *err)
{
	int may_override = md_auth_can(ctx, "alert.override");

	for (int i = 0; i < c->n; i++) {
		struct md_cert_member *m = &c->m[i];
		struct md_cert_gate_in in;
		struct md_protect pr;
		struct md_cert_override ov = { 0, "", "" };
		char *name, what[160];
		const char *outcome = NULL;
		int alert = 0, rc;

		if ((rc = md_protect_check(ctx, m->p.id, c->household, "certificate", &pr, err)) != MD_OK)
			return rc;
		if ((rc = md_cert_alert(ctx, m->p.id, c->household, &alert, err)) != MD_OK)
			return rc;
		memset(&in, 0, sizeof in);
		in.blocked = pr.blocked;
		in.measure = pr.measure_id > 0;
		in.alert = alert;
		in.category = c->category;
		/* A 本人's household copy: other members are not "the person". */
		in.other_member = m->p.id != c->subject;
		in.ack = rq->ack;
		in.may_override = may_override;
		in.override_reason = rq->override_reason;
		/* A supervisor's override granted from their own session
		 * (cert override) stands for the reason. */
		if (alert && !pr.blocked && (!rq->override_reason || !*rq->override_reason)) {
			if ((rc = md_cert_override_find(ctx, c->transaction, m->p.id, &ov, err)) != MD_OK)
				return rc;
			if (ov.id) {
				in.override_reason = ov.reason;
				in.may_override = 1;
			}
		}
		m->gate = md_cert_gate(&in);
		m->measure = pr.measure_id;
		name = md_person_name(&m->p);
		snprintf(what, sizeof what, "%s (宛名番号 %lld)", name, m->p.id);
		free(name);
		switch (m->gate) {
		case MD_GATE_PASS:
			break;
		case MD_GATE_ACKED:
			outcome = rq->issuing ? "issued after extra identity checks"
			                      : "previewed after extra identity checks";
			snprintf(c->protection, sizeof c->protection, "acknowledged");
			break;
		case MD_GATE_OVERRIDDEN:
			outcome = "alert overridden";
			if (ov.id) {
				snprintf(c->protection, sizeof c->protection, "overridden by %.60s: %.200s", ov.granted_by,
				         ov.reason);
				if (c->noverrides < 8) {
					c->override_id[c->noverrides] = ov.id;
					c->override_person[c->noverrides++] = m->p.id;
				}
			} else {
				snprintf(c->protection, sizeof c->protection, "overridden: %s", rq->override_reason);
			}
			break;
		case MD_GATE_BLOCKED:
			md_protect_log_attempt(ctx, m->measure, m->p.id, "certificate", "blocked", c->type->code);
			audit_refusal(ctx, c, rq->issuing, m->p.id, "抑止 (certificate)");
			return md_error_set(err, MD_E_DENIED, "members", _("%s: %s The certificate cannot be issued."),
			                    what, pr.msg);
		case MD_GATE_REFUSED:
			md_protect_log_attempt(ctx, m->measure, m->p.id, "certificate", "refused",
			                       md_cert_category_term(c->category));
			audit_refusal(ctx, c, rq->issuing, m->p.id, "支援措置");
			return md_error_set(err, MD_E_DENIED, "members",
			                    _("%s is under a 支援措置: copies of the record are not issued to a %s request; only the person themselves (after extra identity checks) or a 公用 request can receive them. The attempt is recorded for a supervisor."),
			                    what, md_cert_category_term(c->category));
		case MD_GATE_NEED_ACK:
			md_protect_log_attempt(ctx, m->measure, m->p.id, "certificate", "alert shown",
			                       c->type->code);
			audit_refusal(ctx, c, rq->issuing, m->p.id, "支援措置: waiting for the acknowledgement (ack)");
			return md_error_set(err, MD_E_CONFLICT, "ack",
			                    _("%s: %s Check the applicant's identity again (extra identity checks), then acknowledge (ack) to continue."),
			                    what, pr.msg);
		case MD_GATE_NEED_OVERRIDE:
			md_protect_log_attempt(ctx, m->measure, m->p.id, "certificate", "alert shown",
			                       c->type->code);
			md_cert_override_request(ctx, c->transaction, m->p.id, c->type->code);
			audit_refusal(ctx, c, rq->issuing, m->p.id, "抑止 (alert): waiting for a supervisor's override");
			return md_error_set(err, MD_E_CONFLICT, "override_reason",
			                    _("%s: %s A supervisor must override the alert with a reason: from their own session (cert override %lld --person %lld; the request waits in their list), or with override_reason when the supervisor opened the transaction."),
			                    what, pr.msg, c->transaction, m->p.id);
		case MD_GATE_NEED_PERMISSION:
			audit_refusal(ctx, c, rq->issuing, m->p.id, "override without alert.override");
			return md_error_set(err, MD_E_DENIED, "override_reason",
			                    _("%s: overriding an alert needs the permission alert.override (a supervisor)"),
			                    what);
		}
		if (outcome)
			md_protect_log_attempt(ctx, m->measure, m->p.id, "certificate", outcome,
			                       m->gate == MD_GATE_OVERRIDDEN ? in.override_reason : c->type->code);
	}
	return MD_OK;
}

/* ---- 印鑑登録証明書: the registered seal ------------------------------------------------------------ */

char *md_cert_db_dir(struct md_ctx *ctx)
{
	const char *path = md_store_path(ctx->store);
	const char *slash = path ? strrchr(path, '/') : NULL;

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static int seal_vars(struct md_ctx *ctx, struct md_cert *c, const char *card_no, struct md_error *err)
{
	static const char sql[] =
		"SELECT card_no, impression_path, impression_mm, impression_hash, id FROM seals "
		"WHERE person_id = ?1 AND status = 'registered' ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *s = NULL;
	sqlite3 *db = md_store_db(ctx->store);
	int rc = MD_OK;

	if (!card_no || !*card_no)
		return md_error_set(err, MD_E_INVALID, "card_no",
		                    _("card_no is missing: a 印鑑登録証明書 is issued only to the holder of the 印鑑登録証; give its number"));
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		sqlite3_finalize(s);
		return md_error_set(err, MD_E_NOTFOUND, "type",
		                    _("seal registration (印鑑登録) is not available in this database"));
	}
	sqlite3_bind_int64(s, 1, c->m[0].p.id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		rc = md_error_set(err, MD_E_NOTFOUND, "card_no", _("宛名番号 %lld has no registered seal (印鑑登録)"),
		                  c->m[0].p.id);
	} else if (strcmp(md_col_text(s, 0), card_no) != 0) {
		rc = md_error_set(err, MD_E_DENIED, "card_no",
		                  _("the 印鑑登録証 number %s is not the registered card of 宛名番号 %lld"), card_no,
		                  c->m[0].p.id);
	} else {
		const char *rel = md_col_text(s, 1);
		char *dir = md_cert_db_dir(ctx);
		char *path = rel[0] == '/' ? xstrdup(rel) : xasprintf("%s/%s", dir, rel);
		char hex[65], why[300];
		/* The impression printed must be the one registered: a file
		 * changed or replaced since is refused, never printed. */
		if (md_seal_hash_file(path, hex, err) != MD_OK) {
			snprintf(why, sizeof why, "seal %lld: impression unreadable: %.200s", sqlite3_column_int64(s, 4),
			         err->msg);
			rc = md_error_set(err, MD_E_IO, "impression",
			                  _("the registered seal impression of 宛名番号 %lld cannot be read (%s): the 印鑑登録証明書 is not issued; tell a supervisor"),
			                  c->m[0].p.id, path);
		} else if (strcmp(hex, md_col_text(s, 3)) != 0) {
			snprintf(why, sizeof why, "seal %lld: impression file differs from the registered one",
			         sqlite3_column_int64(s, 4));
			rc = md_error_set(err, MD_E_DENIED, "impression",
			                  _("the seal impression file of 宛名番号 %lld is not the one registered (its fingerprint differs): the 印鑑登録証明書 is not issued; tell a supervisor"),
			                  c->m[0].p.id);
		}
		if (rc != MD_OK) {
			sqlite3_finalize(s);
			audit_refusal(ctx, c, c->issuing, c->m[0].p.id, why);
			free(path);
			free(dir);
			return rc;
		}
		md_vars_set(&c->m[0].vars, "impression", path);
		md_vars_setf(&c->m[0].vars, "impression_mm", "%.3f", sqlite3_column_double(s, 2));
		md_vars_set(&c->m[0].vars, "card_no", card_no);
		free(path);
		free(dir);
	}
	sqlite3_finalize(s);
	return rc;
}

/* ---- preparing ---------------------------------------------------------------------------------- */

static void doc_vars(struct md_ctx *ctx, struct md_cert *c)
{
	struct md_date d;
	char buf[512];

	md_vars_set(&c->doc, "title", c->type->name);
	md_vars_set(&c->doc, "municipality", ctx->cfg.municipality_name);
	md_cert_mayor_line(&ctx->cfg, buf, sizeof buf);
	md_vars_set(&c->doc, "mayor", buf);
	if (md_date_from_iso(c->today, &d) == 0) {
		md_date_format_wareki(&d, buf, sizeof buf);
		md_vars_set(&c->doc, "date", buf);
	}
	if (ctx->cfg.seal_image[0]) {
		md_vars_set(&c->doc, "seal_image", ctx->cfg.seal_image);
		md_vars_set(&c->doc, "seal_note", "この印は黒色です");
	} else {
		md_vars_set(&c->doc, "seal_note", "公印省略");
	}
	if (c->official)
		md_vars_set(&c->doc, "official", "公用");
	if (c->options & MD_CO_HEAD_REL)
		head_name(ctx, c);
}

/* The subject of a transaction as recorded (0: none or no such
 * transaction), for the audit entry of a refusal. */
static long long tx_subject(struct md_ctx *ctx, long long tx)
{
	static const char sql[] = "SELECT coalesce(subject_person, 0) FROM counter_transactions WHERE id = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, NULL);
	long long subject = 0;

	if (!s)
		return 0;
	sqlite3_bind_int64(s, 1, tx);
	if (sqlite3_step(s) == SQLITE_ROW)
		subject = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return subject;
}

/* What the user at the counter may put on a certificate: 本籍・筆頭者 needs
 * honseki.view, 個人番号 mynumber.view, in a preview as in the issue (the
 * applicant's rights are md_cert_check_options's). */
static int check_user_may_print(struct md_ctx *ctx, unsigned options, struct md_error *err)
{
	if ((options & MD_CO_HONSEKI) && !md_auth_can(ctx, "honseki.view"))
		return md_error_set(err, MD_E_DENIED, "include",
		                    _("本籍・筆頭者 can be included only by a user with the permission honseki.view: remove honseki or ask a supervisor"));
	if ((options & MD_CO_MYNUMBER) && !md_auth_can(ctx, "mynumber.view"))
		return md_error_set(err, MD_E_DENIED, "include",
		                    _("個人番号 can be included only by a user with the permission mynumber.view: remove mynumber or ask a supervisor"));
	return MD_OK;
}

int md_cert_prepare(struct md_ctx *ctx, const struct md_cert_request *rq, struct md_cert *c,
                    struct md_error *err)
{
	struct md_counter_state st;
	struct md_person subject;
	int rc;

	memset(c, 0, sizeof *c);
	md_vars_init(&c->doc);
	md_person_init(&subject);
	c->type = md_cert_type(rq->type);
	if (!c->type)
		return md_error_set(err, MD_E_INVALID, "type",
		                    _("type must be juminhyo, joshu, kisai, inkan or code_notice"));
	if (!(c->layout = md_cert_layout(rq->type, err)))
		return err->code;
	if (rq->copies < 1 || rq->copies > MD_CERT_COPIES_MAX)
		return md_error_set(err, MD_E_INVALID, "copies", _("copies must be 1 to %d"), MD_CERT_COPIES_MAX);
	if ((rc = md_counter_require_verified(ctx, rq->transaction, 0, &st, err)) != MD_OK) {
		/* Not this user's, closed, questioning only, a 番号確認 mismatch:
		 * the refusal is audited like every other. */
		if (rc != MD_E_AUTH && rc != MD_E_DB) {
			c->transaction = rq->transaction;
			snprintf(c->category, sizeof c->category, "%s", "-");
			audit_refusal(ctx, c, rq->issuing, tx_subject(ctx, rq->transaction), err->msg);
		}
		return rc;
	}
	c->transaction = st.id;
	snprintf(c->category, sizeof c->category, "%s", st.category);
	snprintf(c->applicant_name, sizeof c->applicant_name, "%s", st.applicant_name);
	snprintf(c->method, sizeof c->method, "%s", st.method);
	snprintf(c->purpose, sizeof c->purpose, "%s", st.purpose);
	c->subject = st.subject;
	if (!c->subject)
		return md_error_set(err, MD_E_INVALID, "person",
		                    _("the transaction has no subject yet: look the person up and set the subject first"));
	c->official = strcmp(c->category, "official") == 0;
	c->training = ctx->kind == MD_DB_TRAINING;
	c->copies = rq->copies;
	c->clear_mynumber = rq->issuing;
	c->issuing = rq->issuing;
	c->history = rq->history;
	c->individual = rq->individual || rq->type == MD_CERT_INKAN || rq->type == MD_CERT_CODE_NOTICE;
	md_date_local(md_time_now(), c->today, sizeof c->today);

	if ((rc = md_cert_check_applicant(rq->type, c->category, err)) != MD_OK)
		return rc;
	if (rq->type == MD_CERT_KISAI) {
		if (rq->include && *rq->include)
			return md_error_set(err, MD_E_INVALID, "include",
			                    _("a 住民票記載事項証明書 certifies the items chosen with items, not include"));
		if ((rc = md_cert_parse_items(rq->items, &c->options, c->items, sizeof c->items, err)) != MD_OK)
			return rc;
	} else {
		if (rq->items && *rq->items)
			return md_error_set(err, MD_E_INVALID, "items",
			                    _("items applies only to a 住民票記載事項証明書 (type kisai)"));
		if ((rc = md_cert_parse_options(rq->include, &c->options, err)) != MD_OK)
			return rc;
		if (c->options && (rq->type == MD_CERT_INKAN || rq->type == MD_CERT_CODE_NOTICE))
			return md_error_set(err, MD_E_INVALID, "include", _("include does not apply to a %s"),
			                    c->type->name);
		md_cert_options_text(c->options, c->items, sizeof c->items);
	}
	if (rq->history && rq->type != MD_CERT_JUMINHYO && rq->type != MD_CERT_JOSHU)
		return md_error_set(err, MD_E_INVALID, "history",
		                    _("history applies only to a 住民票の写し or a 除票の写し"));
	if ((rc = md_cert_check_options(c->category, c->options, rq->purpose_needs_honseki, err)) != MD_OK ||
	    (rc = check_user_may_print(ctx, c->options, err)) != MD_OK) {
		audit_refusal(ctx, c, rq->issuing, c->subject, err->msg);
		return rc;
	}
	if ((rc = cw_load_person(ctx, c->subject, &subject, err)) != MD_OK)
		return rc;
	c->household = household_of(&subject);
	if (rq->type == MD_CERT_JOSHU && cw_active(&subject, c->today))
		rc = md_error_set(err, MD_E_INVALID, "type",
		                  _("宛名番号 %lld is a resident: issue a 住民票の写し (juminhyo), not a 除票の写し"),
		                  c->subject);
	else if (rq->type != MD_CERT_JOSHU && !cw_active(&subject, c->today))
		rc = md_error_set(err, MD_E_INVALID, "type",
		                  _("宛名番号 %lld is no longer a resident (除票): issue a 住民票の除票の写し (joshu)"),
		                  c->subject);
	if (rc == MD_OK)
		rc = select_members(ctx, c, rq->members, &subject, err);
	md_person_release(&subject);
	if (rc != MD_OK)
		return rc;
	if (rq->type == MD_CERT_CODE_NOTICE && !md_person_has(&c->m[0].p, MD_F_JUMINHYO_CODE))
		return md_error_set(err, MD_E_NOTFOUND, "person", _("宛名番号 %lld has no 住民票コード on record"),
		                    c->m[0].p.id);
	if ((rc = gate_members(ctx, c, rq, err)) != MD_OK)
		return rc;
	snprintf(c->fee_code, sizeof c->fee_code, "%s", c->official ? "official" : c->type->code);
	if ((rc = md_cert_fee(c->fee_code, &c->fee, err)) != MD_OK)
		return rc;
	doc_vars(ctx, c);
	for (int i = 0; i < c->n; i++) {
		if ((rc = member_vars(ctx, c, &c->m[i], i + 1, err)) != MD_OK)
			return rc;
		if (rq->type == MD_CERT_KISAI)
			kisai_vars(c, &c->m[i]);
	}
	if (rq->type == MD_CERT_INKAN && (rc = seal_vars(ctx, c, rq->card_no, err)) != MD_OK)
		return rc;
	return MD_OK;
}

void md_cert_release(struct md_cert *c)
{
	for (int i = 0; i < c->n; i++) {
		md_person_release(&c->m[i].p);
		md_vars_release(&c->m[i].vars);
	}
	free(c->m);
	md_vars_release(&c->doc);
	memset(c, 0, sizeof *c);
}

/* ---- documents ------------------------------------------------------------------------------------- */

int md_cert_doc_count(const struct md_cert *c)
{
	return c->individual && md_layout_slots(c->layout, 1, NULL) > 0 ? c->n : 1;
}

/* The members of document i: all of them, or the i-th of a 個人票. */
void md_cert_doc_members(const struct md_cert *c, int i, int *first, int *n)
{
	if (md_cert_doc_count(c) > 1 || (c->individual && c->n == 1)) {
		*first = i;
		*n = 1;
	} else {
		*first = 0;
		*n = c->n;
	}
}

int md_cert_build_doc(struct md_ctx *ctx, const struct md_cert *c, int i, const char *issue_number,
                      const char *vcode, struct md_pdf_doc *out, struct md_error *err)
{
	struct md_vars dv, *persons;
	char placeholder[256], shown[MD_CERT_VCODE_LEN + 2];
	int first, n, rc;

	md_cert_doc_members(c, i, &first, &n);
	md_vars_init(&dv);
	md_vars_copy(&dv, &c->doc);
	md_vars_set(&dv, "certify",
	            md_cert_wording_text(md_cert_wording_for(c->type->id, c->individual, c->whole_household)));
	md_vars_set(&dv, "address", md_vars_get(&c->m[first].vars, "address"));
	if (!issue_number) {
		md_cert_issue_number(&ctx->cfg, c->training, c->today, 0, placeholder, sizeof placeholder);
		issue_number = placeholder;
	}
	md_vars_set(&dv, "issue_number", issue_number);
	if (vcode)
		md_cert_vcode_format(vcode, shown);
	else
		snprintf(shown, sizeof shown, "----");
	md_vars_set(&dv, "vcode", shown);
	persons = xcalloc((size_t)n, sizeof *persons);
	for (int k = 0; k < n; k++)
		persons[k] = c->m[first + k].vars;   /* borrowed, not released here */
	rc = md_pdf_build(c->layout, &dv, persons, n, c->individual, out, err);
	free(persons);
	md_vars_release(&dv);
	if (rc != MD_OK)
		return rc;
	out->training = c->training;
	out->title = xstrdup(c->type->name);
	if ((rc = md_pdf_fit(out, err)) != MD_OK)
		md_pdf_doc_release(out);
	return rc;
}

void md_cert_members_text(const struct md_cert *c, int first, int n, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int k = 0; k < n; k++)
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%lld", k ? "," : "",
		                        c->m[first + k].p.id);
}

int md_cert_audit(struct md_ctx *ctx, const struct md_cert *c, const char *function,
                  const char *action, long long subject, const char *extra, struct md_error *err)
{
	char sub[24], members[512], detail[2048];
	struct md_audit_rec r = { NULL, function, sub, action, "ok", detail,
		                  (c->options & MD_CO_MYNUMBER) != 0 };

	snprintf(sub, sizeof sub, "%lld", subject);
	md_cert_members_text(c, 0, c->n, members, sizeof members);
	snprintf(detail, sizeof detail, "%s transaction=%lld category=%s members=%s items=%s format=%s%s%s%s%s",
	         c->type->code, c->transaction, c->category, members, c->items,
	         c->individual ? "individual" : "household", c->history ? " history" : "",
	         c->protection[0] ? " protection=" : "", c->protection, extra ? extra : "");
	return md_audit(ctx, &r, err);
}

int md_cert_preview(struct md_ctx *ctx, struct md_cert *c, struct md_result *res,
                    struct md_error *err)
{
	int docs = md_cert_doc_count(c), pages = 0, rc;

	for (int i = 0; i < docs; i++) {
		struct md_pdf_doc d;
		if ((rc = md_cert_build_doc(ctx, c, i, NULL, NULL, &d, err)) != MD_OK)
			return rc;
		for (int p = 0; p < d.npages; p++) {
			char **lines = md_pdf_page_lines(&d, p);
			if (docs > 1)
				md_result_line(res, "=== %s (%s) %d/%d ===", c->type->name,
				               md_vars_get(&c->m[i].vars, "name"), p + 1, d.npages);
			else
				md_result_line(res, "=== %s %d/%d ===", c->type->name, p + 1, d.npages);
			for (char **l = lines; *l; l++)
				md_result_line(res, "%s", *l);
			md_pdf_lines_free(lines);
		}
		pages += d.npages;
		md_pdf_doc_release(&d);
	}
	if ((rc = md_cert_audit(ctx, c, "cert.preview", "preview", c->subject, NULL, err)) != MD_OK)
		return rc;
	md_result_message(res,
	                  _("preview of %s (persons: %d, pages: %d, copies: %d), fee %d yen: nothing has been issued yet"),
	                  c->type->name, c->n, pages, c->copies * docs, c->fee * c->copies * docs);
	return MD_OK;
}

