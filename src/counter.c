/* counter.c: counter transactions (窓口受付) and identity verification
 * (本人確認): the path reception -> verification -> subject -> action ->
 * close, each step one database transaction with its audit entry
 * (counter.md §1-2). A refusal changes nothing but is audited: the
 * function writes the audit entry inside its transaction and commits that
 * alone. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "certadmin.h"
#include "checkdigit.h"
#include "codes.h"
#include "counter.h"
#include "crypto.h"
#include "kana.h"
#include "ctx.h"
#include "datafiles.h"
#include "i18n.h"
#include "protect.h"
#include "store.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

#define MAX_DOCS 16

/* ---- categories ----------------------------------------------------------- */

static const struct {
	const char *code;
	const char *term;   /* data: the legal term, Japanese in every language */
} categories[] = {
	{ "self", "本人" },
	{ "household", "同一世帯員" },
	{ "agent", "代理人" },
	{ "third_party", "第三者" },
	{ "official", "公用" },
	{ "professional", "職務上請求" },
};

const char *md_counter_category_code(const char *in)
{
	if (!in)
		return NULL;
	for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
		if (strcmp(in, categories[i].code) == 0 || strcmp(in, categories[i].term) == 0)
			return categories[i].code;
	return NULL;
}

const char *md_counter_category_term(const char *code)
{
	for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
		if (code && strcmp(code, categories[i].code) == 0)
			return categories[i].term;
	return code ? code : "";
}

/* ---- documents ------------------------------------------------------------ */

static struct md_tsv documents;
static int documents_state;   /* 0 not parsed, 1 parsed, -1 broken */
static struct md_error documents_err;

const struct md_tsv *md_counter_documents(struct md_error *err)
{
	if (documents_state == 0) {
		documents_state = -1;
		if (md_tsv_parse(md_data_documents_tsv, "documents.tsv", &documents, &documents_err) == MD_OK) {
			documents_state = 1;
			if (md_tsv_col(&documents, "code") < 0 || md_tsv_col(&documents, "name") < 0 ||
			    md_tsv_col(&documents, "group") < 0) {
				md_tsv_release(&documents);
				documents_state = -1;
				md_error_set(&documents_err, MD_E_CONFIG, "documents.tsv",
				             _("documents.tsv: the header must name the columns code, name and group"));
			}
			for (int r = 0; documents_state == 1 && r < documents.nrows; r++) {
				const char *g = md_tsv_get(&documents, r, "group");
				if (strcmp(g, "photo") != 0 && strcmp(g, "second") != 0 &&
				    strcmp(g, "notification_card") != 0) {
					md_error_set(&documents_err, MD_E_CONFIG, "documents.tsv",
					             _("documents.tsv: %s: group must be photo, second or "
					               "notification_card, not \"%s\""),
					             md_tsv_get(&documents, r, "code"), g);
					md_tsv_release(&documents);
					documents_state = -1;
				}
			}
		}
	}
	if (documents_state < 0) {
		if (err)
			*err = documents_err;
		return NULL;
	}
	return &documents;
}

static void append(char *buf, size_t n, const char *sep, const char *text)
{
	size_t len = strlen(buf);
	snprintf(buf + len, n - len, "%s%s", len ? sep : "", text);
}

/* The first few names of a group, for a hint: "個人番号カード, 運転免許証, 旅券 ...". */
static void group_examples(const struct md_tsv *t, const char *group, char *buf, size_t n)
{
	int k = 0;
	buf[0] = '\0';
	for (int r = 0; r < t->nrows; r++) {
		if (strcmp(md_tsv_get(t, r, "group"), group) != 0)
			continue;
		if (k++ == 3) {
			append(buf, n, "", " ...");
			break;
		}
		append(buf, n, ", ", md_tsv_get(t, r, "name"));
	}
}

static void trim(char *s)
{
	char *p = s, *e;
	while (*p == ' ' || *p == '\t')
		p++;
	memmove(s, p, strlen(p) + 1);
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
}

int md_counter_decide(const char *docs, int photo_matched, int questioning,
                      struct md_counter_method *out, struct md_error *err)
{
	const struct md_tsv *t = md_counter_documents(err);
	char buf[1024], *tok, *save = NULL;
	int rows[MAX_DOCS], n = 0, photo = 0, second = 0, card = 0, usable;
	char photo_names[512] = "", second_names[512] = "";

	memset(out, 0, sizeof *out);
	if (!t)
		return err->code;
	if (docs && strlen(docs) >= sizeof buf)
		return md_error_set(err, MD_E_INVALID, "documents", _("documents: too long"));
	snprintf(buf, sizeof buf, "%s", docs ? docs : "");
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int r;
		trim(tok);
		if (!*tok)
			continue;
		if ((r = md_tsv_find(t, "code", tok)) < 0)
			return md_error_set(err, MD_E_INVALID, "documents",
			                    _("documents: unknown document code \"%s\" (the codes are those of "
			                      "data/documents.tsv, e.g. driver_license, health_insurance)"), tok);
		for (int i = 0; i < n; i++)
			if (rows[i] == r)
				return md_error_set(err, MD_E_INVALID, "documents",
				                    _("documents: %s (%s) is given twice"), tok,
				                    md_tsv_get(t, r, "name"));
		if (n == MAX_DOCS)
			return md_error_set(err, MD_E_INVALID, "documents",
			                    _("documents: at most %d documents"), MAX_DOCS);
		rows[n++] = r;
		append(out->documents, sizeof out->documents, ",", tok);
		append(out->names, sizeof out->names, "、", md_tsv_get(t, r, "name"));
		if (strcmp(md_tsv_get(t, r, "group"), "photo") == 0) {
			photo++;
			append(photo_names, sizeof photo_names, "、", md_tsv_get(t, r, "name"));
		} else if (strcmp(md_tsv_get(t, r, "group"), "second") == 0) {
			second++;
			append(second_names, sizeof second_names, "、", md_tsv_get(t, r, "name"));
		} else {
			card++;
		}
	}

	/* The 通知カード counts as a second-group document only beside another. */
	usable = second + (card && second ? 1 : 0);
	if (photo && photo_matched) {
		snprintf(out->method, sizeof out->method, "photo_id");
		snprintf(out->outcome, sizeof out->outcome, "verified");
		return MD_OK;
	}
	if (usable >= 2) {
		snprintf(out->method, sizeof out->method, "two_documents");
		snprintf(out->outcome, sizeof out->outcome, "verified");
		return MD_OK;
	}
	if (questioning) {
		snprintf(out->method, sizeof out->method, "questioning");
		snprintf(out->outcome, sizeof out->outcome, "not_verified");
		return MD_OK;
	}

	{
		char why[1024] = "", part[640], ex_photo[256], ex_second[256];
		if (!n)
			append(why, sizeof why, "; ", _("no document was given"));
		if (photo) {
			snprintf(part, sizeof part, _("the photo on %s was not matched with the applicant "
			                              "(photo_matched)"), photo_names);
			append(why, sizeof why, "; ", part);
		}
		if (card && !second)
			append(why, sizeof why, "; ", _("the 通知カード counts only together with another document"));
		if (second == 1) {
			snprintf(part, sizeof part, _("only one document of the second group (%s)"), second_names);
			append(why, sizeof why, "; ", part);
		}
		group_examples(t, "photo", ex_photo, sizeof ex_photo);
		group_examples(t, "second", ex_second, sizeof ex_second);
		memset(out->documents, 0, sizeof out->documents);
		memset(out->names, 0, sizeof out->names);
		return md_error_set(err, MD_E_DENIED, "documents",
		                    _("本人確認: the documents are not enough: %s. Needed: one photo ID (%s) "
		                      "with its photo matched, or two documents of the second group (%s), "
		                      "or questioning (聞き取り), recorded as not verified"),
		                    why, ex_photo, ex_second);
	}
}

/* ---- the transaction row -------------------------------------------------- */

struct tx {
	long long id;
	char opened_by[64];
	char terminal[64];
	char request[16];
	char status[16];
	long long subject;
	long long applicant;
	char category[24];
	char applicant_name[128];
	char purpose[256];
	int letter_of_authority;
	int fee_total;
};

struct ver {
	long long id;
	char category[24];
	char applicant_name[128];
	char method[24];
	char outcome[16];
	char mynumber_check[16];
};

static int load_tx(struct md_ctx *ctx, long long id, struct tx *t, struct md_error *err)
{
	static const char sql[] =
		"SELECT id, opened_by, terminal, request, status, coalesce(subject_person, 0), "
		"coalesce(applicant_person, 0), coalesce(applicant_category, ''), "
		"coalesce(applicant_name, ''), coalesce(purpose, ''), letter_of_authority, fee_total "
		"FROM counter_transactions WHERE id = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int rc;

	memset(t, 0, sizeof *t);
	if (!s)
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		t->id = sqlite3_column_int64(s, 0);
		snprintf(t->opened_by, sizeof t->opened_by, "%s", md_col_text(s, 1));
		snprintf(t->terminal, sizeof t->terminal, "%s", md_col_text(s, 2));
		snprintf(t->request, sizeof t->request, "%s", md_col_text(s, 3));
		snprintf(t->status, sizeof t->status, "%s", md_col_text(s, 4));
		t->subject = sqlite3_column_int64(s, 5);
		t->applicant = sqlite3_column_int64(s, 6);
		snprintf(t->category, sizeof t->category, "%s", md_col_text(s, 7));
		snprintf(t->applicant_name, sizeof t->applicant_name, "%s", md_col_text(s, 8));
		snprintf(t->purpose, sizeof t->purpose, "%s", md_col_text(s, 9));
		t->letter_of_authority = sqlite3_column_int(s, 10);
		t->fee_total = sqlite3_column_int(s, 11);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return MD_OK;
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, "counter_transactions");
	return md_error_set(err, MD_E_NOTFOUND, "transaction", _("no counter transaction %lld"), id);
}

/* The latest verification: 1 found, 0 none, -1 error (err set). */
static int latest_ver(struct md_ctx *ctx, long long tx, struct ver *v, struct md_error *err)
{
	static const char sql[] =
		"SELECT id, applicant_category, applicant_name, method, outcome, "
		"coalesce(mynumber_check, '') FROM verifications WHERE transaction_id = ?1 "
		"ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int rc;

	memset(v, 0, sizeof *v);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, tx);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		v->id = sqlite3_column_int64(s, 0);
		snprintf(v->category, sizeof v->category, "%s", md_col_text(s, 1));
		snprintf(v->applicant_name, sizeof v->applicant_name, "%s", md_col_text(s, 2));
		snprintf(v->method, sizeof v->method, "%s", md_col_text(s, 3));
		snprintf(v->outcome, sizeof v->outcome, "%s", md_col_text(s, 4));
		snprintf(v->mynumber_check, sizeof v->mynumber_check, "%s", md_col_text(s, 5));
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE) {
		md_store_fail(ctx->store, err, "verifications");
		return -1;
	}
	return 0;
}

/* The transaction is this user's, on this terminal, and still open. */
static int own_open(struct md_ctx *ctx, const struct tx *t, struct md_error *err)
{
	if (!ctx->session)
		return md_error_set(err, MD_E_AUTH, "", _("log in first"));
	if (strcmp(t->status, "closed") == 0 || strcmp(t->status, "cancelled") == 0)
		return md_error_set(err, MD_E_CONFLICT, "transaction",
		                    _("counter transaction %lld is already %s"), t->id,
		                    strcmp(t->status, "closed") == 0 ? _("closed") : _("cancelled"));
	if (strcmp(t->opened_by, ctx->session->user) != 0 || strcmp(t->terminal, ctx->cfg.terminal_id) != 0)
		return md_error_set(err, MD_E_DENIED, "transaction",
		                    _("counter transaction %lld belongs to %s at terminal %s, not to %s at "
		                      "terminal %s"), t->id, t->opened_by, t->terminal, ctx->session->user,
		                    ctx->cfg.terminal_id);
	return MD_OK;
}

static int audit(struct md_ctx *ctx, const char *function, long long person, const char *action,
                 const char *outcome, const char *detail, int mynumber, struct md_error *err)
{
	char subject[24];
	struct md_audit_rec r = { NULL, function, person > 0 ? subject : NULL, action, outcome, detail,
	                          mynumber };
	snprintf(subject, sizeof subject, "%lld", person);
	return md_audit(ctx, &r, err);
}

/* A refusal inside a transaction: nothing was changed, the audit entry is
 * kept. Returns the refusal's code (err untouched). */
static int refuse(struct md_ctx *ctx, const char *function, long long person, const char *action,
                  long long tx, const struct md_error *err)
{
	struct md_error e2;
	char *detail = xasprintf("transaction %lld: %s", tx, err->msg);
	int outcome_denied = err->code == MD_E_DENIED || err->code == MD_E_CONFLICT;

	if (audit(ctx, function, person, action, outcome_denied ? "denied" : "failed", detail, 0, &e2) ==
	    MD_OK)
		md_store_commit(ctx->store, &e2);
	else
		md_store_rollback(ctx->store);
	free(detail);
	return err->code;
}

static int bad_id(long long id, struct md_error *err)
{
	if (id <= 0)
		return md_error_set(err, MD_E_INVALID, "transaction",
		                    _("transaction must be a counter transaction number"));
	return MD_OK;
}

/* ---- the API of the other counter modules --------------------------------- */

int md_counter_require_verified(struct md_ctx *ctx, long long transaction_id,
                                int allow_questioning, struct md_counter_state *out,
                                struct md_error *err)
{
	struct tx t;
	struct ver v;
	int rc, found;

	memset(out, 0, sizeof *out);
	if ((rc = bad_id(transaction_id, err)) != MD_OK)
		return rc;
	if (!ctx->session)
		return md_error_set(err, MD_E_AUTH, "", _("log in first"));
	if ((rc = load_tx(ctx, transaction_id, &t, err)) != MD_OK)
		return rc;
	if ((rc = own_open(ctx, &t, err)) != MD_OK)
		return rc;
	if ((found = latest_ver(ctx, t.id, &v, err)) < 0)
		return err->code;
	if (!found)
		return md_error_set(err, MD_E_DENIED, "transaction",
		                    _("counter transaction %lld: no identity verification (本人確認) is "
		                      "recorded: verify the applicant first (counter.verify)"), t.id);
	if (strcmp(v.mynumber_check, "mismatch") == 0)
		return md_error_set(err, MD_E_DENIED, "mynumber",
		                    _("counter transaction %lld: 番号確認 did not match the registry: verify "
		                      "again"), t.id);
	if (strcmp(v.outcome, "verified") != 0 &&
	    !(allow_questioning && strcmp(v.method, "questioning") == 0))
		return md_error_set(err, MD_E_DENIED, "transaction",
		                    _("counter transaction %lld: identity was not verified with documents "
		                      "(聞き取り only): this step needs a verified identity"), t.id);
	out->id = t.id;
	snprintf(out->category, sizeof out->category, "%s", v.category);
	out->subject = t.subject;
	snprintf(out->applicant_name, sizeof out->applicant_name, "%s", v.applicant_name);
	out->letter_of_authority = t.letter_of_authority;
	snprintf(out->method, sizeof out->method, "%s", v.method);
	snprintf(out->purpose, sizeof out->purpose, "%s", t.purpose);
	return MD_OK;
}

int md_counter_add_fee(struct md_ctx *ctx, long long transaction_id, int yen, struct md_error *err)
{
	static const char sql[] =
		"UPDATE counter_transactions SET fee_total = fee_total + ?2 WHERE id = ?1";
	sqlite3_stmt *s;
	struct tx t;
	int rc;

	if ((rc = bad_id(transaction_id, err)) != MD_OK)
		return rc;
	if (yen < 0 || yen > 1000000)
		return md_error_set(err, MD_E_INVALID, "fee",
		                    _("a fee must be from 0 to 1000000 yen, not %d"), yen);
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = load_tx(ctx, transaction_id, &t, err)) != MD_OK ||
	    (rc = own_open(ctx, &t, err)) != MD_OK) {
		struct md_error e2;
		/* Nothing changed: leave the caller's transaction usable. */
		md_store_commit(ctx->store, &e2);
		return rc;
	}
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		goto fail;
	sqlite3_bind_int64(s, 1, transaction_id);
	sqlite3_bind_int(s, 2, yen);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		md_store_fail(ctx->store, err, "counter_transactions");
		goto fail;
	}
	return md_store_commit(ctx->store, err);
fail:
	md_store_rollback(ctx->store);
	return err->code ? err->code : MD_E_DB;
}

/* ---- reception ------------------------------------------------------------ */

int md_counter_open(struct md_ctx *ctx, const char *request, const char *memo, long long *id,
                    struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO counter_transactions (opened_by, opened_at, terminal, request, status, memo) "
		"VALUES (?1, ?2, ?3, ?4, 'open', ?5)";
	static const char *const requests[] = { "certificate", "notification", "seal", "other" };
	sqlite3_stmt *s;
	char now[32], *detail;
	int ok = 0, rc;

	*id = 0;
	if (!ctx->session)
		return md_error_set(err, MD_E_AUTH, "", _("log in first"));
	for (size_t i = 0; request && i < sizeof requests / sizeof requests[0]; i++)
		ok |= strcmp(request, requests[i]) == 0;
	if (!ok)
		return md_error_set(err, MD_E_INVALID, "request",
		                    _("request must be certificate, notification, seal or other, not \"%s\""),
		                    request ? request : "");
	if (memo && strlen(memo) > 500)
		return md_error_set(err, MD_E_INVALID, "memo", _("memo: at most 500 bytes"));
	md_time_iso(md_time_now(), now, sizeof now);
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		goto fail;
	md_bind_text(s, 1, ctx->session->user);
	md_bind_text(s, 2, now);
	md_bind_text(s, 3, ctx->cfg.terminal_id);
	md_bind_text(s, 4, request);
	md_bind_text(s, 5, memo && *memo ? memo : NULL);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		md_store_fail(ctx->store, err, "counter_transactions");
		goto fail;
	}
	*id = sqlite3_last_insert_rowid(md_store_db(ctx->store));
	detail = xasprintf("transaction %lld: request %s", *id, request);
	rc = audit(ctx, "counter.open", 0, "open", "ok", detail, 0, err);
	free(detail);
	if (rc != MD_OK)
		goto fail;
	return md_store_commit(ctx->store, err);
fail:
	*id = 0;
	md_store_rollback(ctx->store);
	return err->code ? err->code : MD_E_DB;
}

/* ---- identity verification ------------------------------------------------ */

static int has_digit(const char *s)
{
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			return 1;
		/* full-width ０..９: EF BC 90..99 */
		if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBC &&
		    (unsigned char)s[2] >= 0x90 && (unsigned char)s[2] <= 0x99)
			return 1;
	}
	return 0;
}

/* The category's own rules (counter.md §2). */
static int category_rules(const char *cat, const struct md_counter_verify_in *in, struct md_error *err)
{
	const char *purpose = in->purpose && *in->purpose ? in->purpose : NULL;

	if (strcmp(cat, "agent") == 0 && !in->letter_of_authority)
		return md_error_set(err, MD_E_DENIED, "letter_of_authority",
		                    _("代理人: a 委任状 (letter of authority) is required; record that it was "
		                      "presented (letter_of_authority)"));
	if (strcmp(cat, "third_party") == 0 && !purpose)
		return md_error_set(err, MD_E_DENIED, "purpose",
		                    _("第三者: the purpose of the request is required (purpose), with the "
		                      "documents that support it"));
	if (strcmp(cat, "professional") == 0 && (!purpose || !has_digit(purpose)))
		return md_error_set(err, MD_E_DENIED, "purpose",
		                    _("職務上請求: give the purpose and the professional's registration number "
		                      "(登録番号) in purpose"));
	return MD_OK;
}

int md_counter_verify(struct md_ctx *ctx, long long id, const struct md_counter_verify_in *in,
                      struct md_counter_verify_out *out, struct md_error *err)
{
	static const char ins_sql[] =
		"INSERT INTO verifications (transaction_id, applicant_category, applicant_name, documents, "
		"photo_matched, method, outcome, clerk, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	static const char upd_sql[] =
		"UPDATE counter_transactions SET applicant_category = ?2, applicant_name = ?3, purpose = ?4, "
		"letter_of_authority = ?5, status = ?6, subject_person = NULL, applicant_person = NULL "
		"WHERE id = ?1";
	const char *cat = md_counter_category_code(in->category);
	const char *name = in->applicant_name;
	const char *purpose = in->purpose && *in->purpose ? in->purpose : NULL;
	sqlite3_stmt *s;
	struct tx t;
	char now[32], *detail;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = bad_id(id, err)) != MD_OK)
		return rc;
	if (!ctx->session)
		return md_error_set(err, MD_E_AUTH, "", _("log in first"));
	if (!cat)
		return md_error_set(err, MD_E_INVALID, "category",
		                    _("category must be self, household, agent, third_party, official or "
		                      "professional (本人, 同一世帯員, 代理人, 第三者, 公用, 職務上請求), not "
		                      "\"%s\""), in->category ? in->category : "");
	if (!name || !*name)
		return md_error_set(err, MD_E_INVALID, "applicant_name",
		                    _("applicant_name: the name of the person at the counter is required"));
	if (strlen(name) >= sizeof t.applicant_name)
		return md_error_set(err, MD_E_INVALID, "applicant_name",
		                    _("applicant_name: at most %d bytes"), (int)sizeof t.applicant_name - 1);
	if (purpose && strlen(purpose) >= sizeof t.purpose)
		return md_error_set(err, MD_E_INVALID, "purpose", _("purpose: at most %d bytes"),
		                    (int)sizeof t.purpose - 1);
	snprintf(out->category, sizeof out->category, "%s", cat);

	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = load_tx(ctx, id, &t, err)) != MD_OK) {
		md_store_rollback(ctx->store);
		return rc;
	}
	if ((rc = own_open(ctx, &t, err)) != MD_OK || (rc = category_rules(cat, in, err)) != MD_OK)
		return refuse(ctx, "counter.verify", 0, "verify", id, err);
	if ((rc = md_counter_decide(in->documents, in->photo_matched, in->questioning, &out->m, err)) !=
	    MD_OK) {
		if (rc == MD_E_DENIED)
			return refuse(ctx, "counter.verify", 0, "verify", id, err);
		md_store_rollback(ctx->store);
		return rc;
	}

	md_time_iso(md_time_now(), now, sizeof now);
	if (!(s = md_store_stmt(ctx->store, ins_sql, err)))
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, cat);
	md_bind_text(s, 3, name);
	md_bind_text(s, 4, out->m.documents);
	sqlite3_bind_int(s, 5, in->photo_matched ? 1 : 0);
	md_bind_text(s, 6, out->m.method);
	md_bind_text(s, 7, out->m.outcome);
	md_bind_text(s, 8, ctx->session->user);
	md_bind_text(s, 9, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		md_store_fail(ctx->store, err, "verifications");
		goto fail;
	}
	out->verification = sqlite3_last_insert_rowid(md_store_db(ctx->store));
	if (!(s = md_store_stmt(ctx->store, upd_sql, err)))
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, cat);
	md_bind_text(s, 3, name);
	md_bind_text(s, 4, purpose);
	sqlite3_bind_int(s, 5, in->letter_of_authority ? 1 : 0);
	md_bind_text(s, 6, strcmp(out->m.outcome, "verified") == 0 ? "verified" : "open");
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		md_store_fail(ctx->store, err, "counter_transactions");
		goto fail;
	}
	detail = xasprintf("transaction %lld: verification %lld; %s; documents %s; photo %s; %s; %s%s%s",
	                   id, out->verification, cat, *out->m.documents ? out->m.documents : "-",
	                   in->photo_matched ? "matched" : "not matched", out->m.method, out->m.outcome,
	                   in->letter_of_authority ? "; 委任状" : "", purpose ? "; purpose given" : "");
	rc = audit(ctx, "counter.verify", 0, "verify", "ok", detail, 0, err);
	free(detail);
	if (rc != MD_OK)
		goto fail;
	return md_store_commit(ctx->store, err);
fail:
	md_store_rollback(ctx->store);
	out->verification = 0;
	return err->code ? err->code : MD_E_DB;
}

/* ---- the subject ---------------------------------------------------------- */

struct who {
	long long id;
	long long household;
	int active;
	char name[256];
};

static int load_who(struct md_ctx *ctx, long long id, struct who *w, struct md_error *err)
{
	static const char sql[] =
		"SELECT id, household_id, (status = 'resident' OR (status = 'moved_out' AND "
		"coalesce(removal_date, '') > ?2)), surname || ' ' || given_name FROM persons WHERE id = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	char today[11];
	int rc;

	memset(w, 0, sizeof *w);
	if (!s)
		return MD_E_DB;
	md_date_local(md_time_now(), today, sizeof today);
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, today);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		w->id = sqlite3_column_int64(s, 0);
		w->household = sqlite3_column_int64(s, 1);
		w->active = sqlite3_column_int(s, 2);
		snprintf(w->name, sizeof w->name, "%s", md_col_text(s, 3));
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return MD_OK;
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, "persons");
	return md_error_set(err, MD_E_NOTFOUND, "person", _("no person with 宛名番号 %lld"), id);
}

/* 本人 / 同一世帯員: the applicant's relation to the subject. */
static int applicant_rules(struct md_ctx *ctx, const char *cat, const struct who *subj,
                           long long applicant, struct md_error *err)
{
	struct who a;
	int rc;

	if (strcmp(cat, "self") != 0 && strcmp(cat, "household") != 0) {
		if (applicant > 0)
			return md_error_set(err, MD_E_INVALID, "applicant_person",
			                    _("applicant_person applies to 本人 and 同一世帯員 only, not to %s"),
			                    md_counter_category_term(cat));
		return MD_OK;
	}
	if (applicant <= 0)
		return md_error_set(err, MD_E_INVALID, "applicant_person",
		                    _("%s: give the applicant's own 宛名番号 (applicant_person)"),
		                    md_counter_category_term(cat));
	if (strcmp(cat, "self") == 0) {
		if (applicant != subj->id)
			return md_error_set(err, MD_E_DENIED, "applicant_person",
			                    _("本人: the applicant (宛名番号 %lld) is not the subject (宛名番号 "
			                      "%lld): choose the category that applies"), applicant, subj->id);
		return MD_OK;
	}
	if ((rc = load_who(ctx, applicant, &a, err)) != MD_OK)
		return rc;
	if (!a.active)
		return md_error_set(err, MD_E_DENIED, "applicant_person",
		                    _("同一世帯員: the applicant (宛名番号 %lld) does not live here"), applicant);
	if (!subj->active)
		return md_error_set(err, MD_E_DENIED, "person",
		                    _("同一世帯員: the subject (宛名番号 %lld) does not live here: a household "
		                      "member cannot ask for a removed record"), subj->id);
	if (a.household != subj->household)
		return md_error_set(err, MD_E_DENIED, "applicant_person",
		                    _("同一世帯員: the applicant (宛名番号 %lld) is not in the subject's "
		                      "household"), applicant);
	return MD_OK;
}

int md_counter_set_subject(struct md_ctx *ctx, long long id, long long person, long long applicant,
                           int ack, char **name, struct md_error *err)
{
	static const char sql[] =
		"UPDATE counter_transactions SET subject_person = ?2, applicant_person = ?3 WHERE id = ?1";
	struct md_protect pr;
	struct tx t;
	struct ver v;
	struct who subj;
	sqlite3_stmt *s;
	char *detail;
	int rc, found;

	if (name)
		*name = NULL;
	if ((rc = bad_id(id, err)) != MD_OK)
		return rc;
	if (person <= 0)
		return md_error_set(err, MD_E_INVALID, "person", _("person must be a 宛名番号"));
	if (!ctx->session)
		return md_error_set(err, MD_E_AUTH, "", _("log in first"));
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = load_tx(ctx, id, &t, err)) != MD_OK) {
		md_store_rollback(ctx->store);
		return rc;
	}
	if ((rc = own_open(ctx, &t, err)) != MD_OK)
		return refuse(ctx, "counter.subject", person, "set subject", id, err);
	if ((found = latest_ver(ctx, id, &v, err)) < 0)
		goto fail;
	if (!found) {
		md_error_set(err, MD_E_DENIED, "transaction",
		             _("nothing of the subject is shown before the identity verification (本人確認) "
		               "is recorded: verify the applicant first (counter.verify)"));
		return refuse(ctx, "counter.subject", person, "set subject", id, err);
	}
	if ((rc = load_who(ctx, person, &subj, err)) != MD_OK) {
		if (rc == MD_E_NOTFOUND)
			return refuse(ctx, "counter.subject", 0, "set subject", id, err);
		goto fail;
	}
	if ((rc = applicant_rules(ctx, v.category, &subj, applicant, err)) != MD_OK) {
		if (rc == MD_E_DB)
			goto fail;
		return refuse(ctx, "counter.subject", person, "set subject", id, err);
	}

	/* The lookup step: 抑止 and 支援措置 as for a record view. */
	if ((rc = md_protect_check(ctx, person, subj.household, "lookup", &pr, err)) != MD_OK)
		goto fail;
	if (pr.blocked) {
		if (pr.measure_id)
			md_protect_log_attempt(ctx, pr.measure_id, person, "lookup", "blocked", "counter.subject");
		md_error_set(err, MD_E_DENIED, "person", "%s", pr.msg);
		return refuse(ctx, "counter.subject", person, "set subject", id, err);
	}
	if (pr.alert && !ack) {
		struct md_error e2;
		if (pr.measure_id)
			md_protect_log_attempt(ctx, pr.measure_id, person, "lookup", "alert shown",
			                       "counter.subject");
		if (md_store_commit(ctx->store, &e2) != MD_OK)
			return md_error_set(err, e2.code, e2.field, "%s", e2.msg);
		return md_error_set(err, MD_E_CONFLICT, "ack", _("%s Acknowledge to continue (ack)."), pr.msg);
	}
	if (pr.alert && pr.measure_id)
		md_protect_log_attempt(ctx, pr.measure_id, person, "lookup", "viewed after alert",
		                       "counter.subject");

	if (!(s = md_store_stmt(ctx->store, sql, err)))
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, person);
	if (applicant > 0)
		sqlite3_bind_int64(s, 3, applicant);
	else
		sqlite3_bind_null(s, 3);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		md_store_fail(ctx->store, err, "counter_transactions");
		goto fail;
	}
	if (applicant > 0)
		detail = xasprintf("transaction %lld: %s; applicant %lld%s", id, v.category, applicant,
		                   pr.alert ? "; alert acknowledged" : "");
	else
		detail = xasprintf("transaction %lld: %s%s", id, v.category,
		                   pr.alert ? "; alert acknowledged" : "");
	rc = audit(ctx, "counter.subject", person, "set subject", "ok", detail, 0, err);
	free(detail);
	if (rc != MD_OK)
		goto fail;
	if ((rc = md_store_commit(ctx->store, err)) != MD_OK)
		return rc;
	if (name)
		*name = xstrdup(subj.name);
	return MD_OK;
fail:
	md_store_rollback(ctx->store);
	return err->code ? err->code : MD_E_DB;
}

/* ---- 番号確認 ------------------------------------------------------------- */

/* A name as compared at 番号確認: kanji variants folded, spaces removed,
 * Latin letters in capitals (allocated). */
static char *name_key(const char *name)
{
	char *k = md_kanji_fold(name);
	size_t o = 0;
	for (size_t i = 0; k[i]; i++) {
		char c = k[i];
		if (c == ' ' || c == '\t')
			continue;
		k[o++] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
	}
	k[o] = '\0';
	return k;
}

static int same_name(const char *given, const char *registered)
{
	char *a, *b;
	int same;
	if (!registered || !*registered)
		return 0;
	a = name_key(given);
	b = name_key(registered);
	same = strcmp(a, b) == 0;
	free(a);
	free(b);
	return same;
}

/* The card's name and date of birth as given, checked before anything is
 * compared: MD_E_INVALID naming the field. */
static int card_items(const char *name, const char *birth, char iso[16], struct md_error *err)
{
	struct md_date d;
	struct md_error e;

	if (!name || !*name)
		return md_error_set(err, MD_E_INVALID, "name",
		                    _("番号確認: give the 氏名 as it is on the card"));
	if (strlen(name) > 200)
		return md_error_set(err, MD_E_INVALID, "name", _("番号確認: the 氏名 has more than 200 bytes"));
	if (!birth || !*birth || md_date_parse(birth, &d, &e) != MD_OK || d.prec != MD_DATE_FULL)
		return md_error_set(err, MD_E_INVALID, "birth_date",
		                    _("番号確認: give the 生年月日 as it is on the card, a whole date (昭和55年3月14日, S55.3.14 or 1980-03-14), not \"%s\""),
		                    birth ? birth : "");
	md_date_to_iso(&d, iso);
	return MD_OK;
}

int md_counter_mynumber_check(struct md_ctx *ctx, long long id, const char *mynumber, const char *name,
                              const char *birth_date, struct md_error *err)
{
	static const char idx_sql[] =
		"SELECT coalesce(mynumber_idx, ''), surname || ' ' || given_name, coalesce(alias, ''), "
		"coalesce(name_roman, ''), birth_date FROM persons WHERE id = ?1";
	static const char upd_sql[] =
		"UPDATE verifications SET mynumber_check = ?2, mynumber_checked_at = ?3, mynumber_person = ?4 "
		"WHERE id = ?1";
	char digits[13], idx[MD_HASH_HEX], reg[MD_HASH_HEX], now[32], *detail, iso[16];
	char differs[128] = "", logged[128] = "";
	struct md_error e;
	sqlite3_stmt *s;
	struct tx t;
	struct ver v;
	const char *result;
	int rc, found, has, name_ok = 0, birth_ok = 0;

	if ((rc = bad_id(id, err)) != MD_OK)
		return rc;
	if (!ctx->session)
		return md_error_set(err, MD_E_AUTH, "", _("log in first"));
	/* The message of a wrong number never repeats it; neither does the log. */
	if (md_mynumber_check(mynumber ? mynumber : "", digits, &e) != MD_OK) {
		struct md_error e2;
		char *what = xasprintf("transaction %lld: not a valid 個人番号", id);
		if (load_tx(ctx, id, &t, &e2) != MD_OK)
			t.subject = 0;
		audit(ctx, "counter.mynumber_check", t.subject, "番号確認", "failed", what, 1, &e2);
		free(what);
		return md_error_set(err, MD_E_INVALID, "mynumber", _("個人番号: %s"), e.msg);
	}
	if (card_items(name, birth_date, iso, err) != MD_OK) {
		struct md_error e2;
		char *what = xasprintf("transaction %lld: %s", id, err->msg);
		if (load_tx(ctx, id, &t, &e2) != MD_OK)
			t.subject = 0;
		audit(ctx, "counter.mynumber_check", t.subject, "番号確認", "failed", what, 1, &e2);
		free(what);
		memset(digits, 0, sizeof digits);
		return err->code;
	}
	md_keyed_hash_hex(ctx->keys.index, digits, 12, idx);
	memset(digits, 0, sizeof digits);

	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = load_tx(ctx, id, &t, err)) != MD_OK) {
		md_store_rollback(ctx->store);
		return rc;
	}
	if ((rc = own_open(ctx, &t, err)) != MD_OK)
		return refuse(ctx, "counter.mynumber_check", t.subject, "番号確認", id, err);
	if ((found = latest_ver(ctx, id, &v, err)) < 0)
		goto fail;
	if (!found) {
		md_error_set(err, MD_E_DENIED, "transaction",
		             _("番号確認 comes after the identity verification (本人確認): verify the "
		               "applicant first (counter.verify)"));
		return refuse(ctx, "counter.mynumber_check", 0, "番号確認", id, err);
	}
	if (t.subject <= 0) {
		md_error_set(err, MD_E_INVALID, "person",
		             _("番号確認: set the subject first (counter.subject)"));
		return refuse(ctx, "counter.mynumber_check", 0, "番号確認", id, err);
	}
	if (!(s = md_store_stmt(ctx->store, idx_sql, err)))
		goto fail;
	sqlite3_bind_int64(s, 1, t.subject);
	rc = sqlite3_step(s);
	snprintf(reg, sizeof reg, "%s", rc == SQLITE_ROW ? md_col_text(s, 0) : "");
	if (rc == SQLITE_ROW) {
		name_ok = same_name(name, md_col_text(s, 1)) || same_name(name, md_col_text(s, 2)) ||
		          same_name(name, md_col_text(s, 3));
		birth_ok = strcmp(iso, md_col_text(s, 4)) == 0;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		md_store_fail(ctx->store, err, "persons");
		goto fail;
	}
	has = *reg != '\0';
	/* The three items of the card against the registry: which differ is
	 * said (the values never are). */
	if (!(has && strcmp(reg, idx) == 0)) {
		snprintf(differs, sizeof differs, "%s", "個人番号");
		snprintf(logged, sizeof logged, "%s", "mynumber");
	}
	if (!name_ok) {
		size_t l = strlen(differs), m = strlen(logged);
		snprintf(differs + l, sizeof differs - l, "%s氏名", l ? "、" : "");
		snprintf(logged + m, sizeof logged - m, "%sname", m ? "," : "");
	}
	if (!birth_ok) {
		size_t l = strlen(differs), m = strlen(logged);
		snprintf(differs + l, sizeof differs - l, "%s生年月日", l ? "、" : "");
		snprintf(logged + m, sizeof logged - m, "%sbirth_date", m ? "," : "");
	}
	result = !*differs ? "match" : "mismatch";

	md_time_iso(md_time_now(), now, sizeof now);
	if (!(s = md_store_stmt(ctx->store, upd_sql, err)))
		goto fail;
	sqlite3_bind_int64(s, 1, v.id);
	md_bind_text(s, 2, result);
	md_bind_text(s, 3, now);
	sqlite3_bind_int64(s, 4, t.subject);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		md_store_fail(ctx->store, err, "verifications");
		goto fail;
	}
	detail = xasprintf("transaction %lld: verification %lld: %s%s%s%s", id, v.id, result,
	                   *logged ? " differs=" : "", logged, has ? "" : " (no 個人番号 in the registry)");
	rc = audit(ctx, "counter.mynumber_check", t.subject, "番号確認",
	           strcmp(result, "match") == 0 ? "ok" : "denied", detail, 1, err);
	free(detail);
	if (rc != MD_OK)
		goto fail;
	if ((rc = md_store_commit(ctx->store, err)) != MD_OK)
		return rc;
	if (!has)
		return md_error_set(err, MD_E_DENIED, "mynumber",
		                    _("番号確認: the registry holds no 個人番号 for 宛名番号 %lld: the number "
		                      "cannot be confirmed"), t.subject);
	if (strcmp(result, "match") != 0)
		return md_error_set(err, MD_E_DENIED,
		                    !strcmp(logged, "name") ? "name" : !strcmp(logged, "birth_date") ? "birth_date" : "mynumber",
		                    _("番号確認: what the card shows differs from the registry in %s: verify again"),
		                    differs);
	return MD_OK;
fail:
	md_store_rollback(ctx->store);
	return err->code ? err->code : MD_E_DB;
}

/* ---- close and cancel ----------------------------------------------------- */

/* 確認通知 to the subject's registered address. */
static int make_letter(struct md_ctx *ctx, const struct tx *t, const char *now, long long *letter,
                       struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO confirmation_letters (transaction_id, person_id, name, postal_code, address, "
		"reason, created_at, created_by) "
		"SELECT ?1, id, surname || ' ' || given_name, postal_code, "
		"address || CASE WHEN coalesce(katagaki, '') <> '' THEN ' ' || katagaki ELSE '' END, "
		"?3, ?4, ?5 FROM persons WHERE id = ?2";
	/* data: the reason as printed on the letter (Japanese in every UI language) */
	static const char reason[] = "届出の際に本人確認書類による本人確認ができなかったため（聞き取りにより受付）";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int rc;

	if (!s)
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, t->id);
	sqlite3_bind_int64(s, 2, t->subject);
	md_bind_text(s, 3, reason);
	md_bind_text(s, 4, now);
	md_bind_text(s, 5, ctx->session->user);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, "confirmation_letters");
	if (sqlite3_changes(md_store_db(ctx->store)) != 1)
		return md_error_set(err, MD_E_NOTFOUND, "person", _("no person with 宛名番号 %lld"), t->subject);
	*letter = sqlite3_last_insert_rowid(md_store_db(ctx->store));
	return MD_OK;
}

static int finish(struct md_ctx *ctx, const struct tx *t, const char *status, const char *reason,
                  const char *now, struct md_error *err)
{
	static const char sql[] =
		"UPDATE counter_transactions SET status = ?2, closed_at = ?3, closed_by = ?4, "
		"cancel_reason = ?5 WHERE id = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int rc;

	if (!s)
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, t->id);
	md_bind_text(s, 2, status);
	md_bind_text(s, 3, now);
	md_bind_text(s, 4, ctx->session->user);
	md_bind_text(s, 5, reason);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, "counter_transactions");
	return MD_OK;
}

int md_counter_close(struct md_ctx *ctx, long long id, struct md_counter_close_out *out,
                     struct md_error *err)
{
	struct tx t;
	struct ver v;
	char now[32], *detail;
	int rc, found;

	memset(out, 0, sizeof *out);
	if ((rc = bad_id(id, err)) != MD_OK)
		return rc;
	if (!ctx->session)
		return md_error_set(err, MD_E_AUTH, "", _("log in first"));
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = load_tx(ctx, id, &t, err)) != MD_OK) {
		md_store_rollback(ctx->store);
		return rc;
	}
	if ((rc = own_open(ctx, &t, err)) != MD_OK)
		return refuse(ctx, "counter.close", t.subject, "close", id, err);
	if ((found = latest_ver(ctx, id, &v, err)) < 0)
		goto fail;
	md_time_iso(md_time_now(), now, sizeof now);
	if (strcmp(t.request, "notification") == 0) {
		if (!found) {
			md_error_set(err, MD_E_INVALID, "transaction",
			             _("a notification is closed only after the identity verification "
			               "(counter.verify); cancel the transaction if the applicant left"));
			return refuse(ctx, "counter.close", 0, "close", id, err);
		}
		if (strcmp(v.outcome, "verified") != 0) {
			if (t.subject <= 0) {
				md_error_set(err, MD_E_INVALID, "person",
				             _("identity was not verified: a 確認通知 goes to the subject's "
				               "registered address, so set the subject first (counter.subject)"));
				return refuse(ctx, "counter.close", 0, "close", id, err);
			}
			if ((rc = make_letter(ctx, &t, now, &out->letter, err)) != MD_OK)
				goto fail;
		}
	}
	if ((rc = finish(ctx, &t, "closed", NULL, now, err)) != MD_OK ||
	    (rc = md_cert_override_expire(ctx, id, err)) != MD_OK)
		goto fail;
	out->fee_total = t.fee_total;
	if (out->letter)
		detail = xasprintf("transaction %lld closed: %s; fee %d yen; 確認通知 %lld", id, t.request,
		                   t.fee_total, out->letter);
	else
		detail = xasprintf("transaction %lld closed: %s; fee %d yen", id, t.request, t.fee_total);
	rc = audit(ctx, "counter.close", t.subject, "close", "ok", detail, 0, err);
	free(detail);
	if (rc != MD_OK)
		goto fail;
	if ((rc = md_store_commit(ctx->store, err)) != MD_OK)
		return rc;
	/* The documents are handed over: their PDFs leave the spool. */
	out->spool_removed = md_cert_spool_remove_transaction(ctx, id);
	return MD_OK;
fail:
	md_store_rollback(ctx->store);
	memset(out, 0, sizeof *out);
	return err->code ? err->code : MD_E_DB;
}

int md_counter_cancel(struct md_ctx *ctx, long long id, const char *reason, struct md_error *err)
{
	struct tx t;
	char now[32], *detail;
	int rc;

	if ((rc = bad_id(id, err)) != MD_OK)
		return rc;
	if (!ctx->session)
		return md_error_set(err, MD_E_AUTH, "", _("log in first"));
	if (reason && strlen(reason) > 500)
		return md_error_set(err, MD_E_INVALID, "reason", _("reason: at most 500 bytes"));
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = load_tx(ctx, id, &t, err)) != MD_OK) {
		md_store_rollback(ctx->store);
		return rc;
	}
	if ((rc = own_open(ctx, &t, err)) != MD_OK)
		return refuse(ctx, "counter.cancel", t.subject, "cancel", id, err);
	if (t.fee_total > 0) {
		md_error_set(err, MD_E_CONFLICT, "transaction",
		             _("counter transaction %lld has fees of %d yen recorded: close it instead"), id,
		             t.fee_total);
		return refuse(ctx, "counter.cancel", t.subject, "cancel", id, err);
	}
	md_time_iso(md_time_now(), now, sizeof now);
	if ((rc = finish(ctx, &t, "cancelled", reason && *reason ? reason : NULL, now, err)) != MD_OK ||
	    (rc = md_cert_override_expire(ctx, id, err)) != MD_OK)
		goto fail;
	detail = xasprintf("transaction %lld cancelled: %s%s%s", id, t.request,
	                   reason && *reason ? "; " : "", reason && *reason ? reason : "");
	rc = audit(ctx, "counter.cancel", t.subject, "cancel", "ok", detail, 0, err);
	free(detail);
	if (rc != MD_OK)
		goto fail;
	if ((rc = md_store_commit(ctx->store, err)) != MD_OK)
		return rc;
	md_cert_spool_remove_transaction(ctx, id);
	return MD_OK;
fail:
	md_store_rollback(ctx->store);
	return err->code ? err->code : MD_E_DB;
}

int md_counter_letter_printed(struct md_ctx *ctx, long long letter_id, struct md_error *err)
{
	static const char sel_sql[] =
		"SELECT person_id, printed_at IS NOT NULL FROM confirmation_letters WHERE id = ?1";
	static const char upd_sql[] =
		"UPDATE confirmation_letters SET printed_at = ?2, printed_by = ?3 WHERE id = ?1";
	sqlite3_stmt *s;
	long long person = 0;
	int printed = 0, rc;
	char now[32], *detail;

	if (!ctx->session)
		return md_error_set(err, MD_E_AUTH, "", _("log in first"));
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if (!(s = md_store_stmt(ctx->store, sel_sql, err)))
		goto fail;
	sqlite3_bind_int64(s, 1, letter_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		person = sqlite3_column_int64(s, 0);
		printed = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		md_store_rollback(ctx->store);
		if (rc != SQLITE_DONE)
			return md_store_fail(ctx->store, err, "confirmation_letters");
		return md_error_set(err, MD_E_NOTFOUND, "letter", _("no 確認通知 %lld"), letter_id);
	}
	if (printed) {
		md_store_rollback(ctx->store);
		return md_error_set(err, MD_E_CONFLICT, "letter", _("確認通知 %lld was already printed"),
		                    letter_id);
	}
	md_time_iso(md_time_now(), now, sizeof now);
	if (!(s = md_store_stmt(ctx->store, upd_sql, err)))
		goto fail;
	sqlite3_bind_int64(s, 1, letter_id);
	md_bind_text(s, 2, now);
	md_bind_text(s, 3, ctx->session->user);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		md_store_fail(ctx->store, err, "confirmation_letters");
		goto fail;
	}
	detail = xasprintf("確認通知 %lld printed", letter_id);
	rc = audit(ctx, "counter.letter", person, "print", "ok", detail, 0, err);
	free(detail);
	if (rc != MD_OK)
		goto fail;
	return md_store_commit(ctx->store, err);
fail:
	md_store_rollback(ctx->store);
	return err->code ? err->code : MD_E_DB;
}
