/* certrules.c: the rules of what goes on a certificate (counter.md §3), one
 * function each and none touching the database but md_cert_alert: types and
 * layouts, the options an applicant may ask for, the items of a 記載事項証明書,
 * the wording, the mayor's line, issue numbers, verification codes, the
 * gate of 抑止 and 支援措置, and fees. Preparing and issuing a certificate is
 * certificate.c. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certificate.h"
#include "certificate_impl.h"
#include "codes.h"
#include "crypto.h"
#include "ctx.h"
#include "datafiles.h"
#include "i18n.h"
#include "store.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

/* ---- types and layouts ---------------------------------------------------------- */

static const struct md_cert_type_def types[MD_CERT_TYPE_COUNT] = {
	{ MD_CERT_JUMINHYO, "juminhyo", "住民票の写し", "juminhyo.tsv", md_data_juminhyo_tsv },
	{ MD_CERT_JOSHU, "joshu", "住民票の除票の写し", "juminhyo.tsv", md_data_juminhyo_tsv },
	{ MD_CERT_KISAI, "kisai", "住民票記載事項証明書", "kisai.tsv", md_data_kisai_tsv },
	{ MD_CERT_INKAN, "inkan", "印鑑登録証明書", "inkan.tsv", md_data_inkan_tsv },
	{ MD_CERT_CODE_NOTICE, "code_notice", "住民票コード通知票", "code_notice.tsv",
	  md_data_code_notice_tsv },
};

const struct md_cert_type_def *md_cert_type(enum md_cert_type t)
{
	return (unsigned)t < MD_CERT_TYPE_COUNT ? &types[t] : NULL;
}

const struct md_cert_type_def *md_cert_type_find(const char *code)
{
	for (int i = 0; code && i < MD_CERT_TYPE_COUNT; i++)
		if (strcmp(types[i].code, code) == 0)
			return &types[i];
	return NULL;
}

const struct md_layout *md_cert_layout(enum md_cert_type t, struct md_error *err)
{
	static struct md_layout layouts[MD_CERT_TYPE_COUNT];
	static int loaded[MD_CERT_TYPE_COUNT];

	if ((unsigned)t >= MD_CERT_TYPE_COUNT) {
		md_error_set(err, MD_E_INVALID, "type", _("unknown certificate type"));
		return NULL;
	}
	if (!loaded[t]) {
		if (md_layout_parse(types[t].layout_text, types[t].layout_file, &layouts[t], err) != MD_OK)
			return NULL;
		loaded[t] = 1;
	}
	return &layouts[t];
}

/* ---- options ------------------------------------------------------------------------ */

static const struct {
	const char *word;
	unsigned bit;
	const char *label;
} option_words[] = {
	{ "head_rel", MD_CO_HEAD_REL, "世帯主・続柄" },
	{ "honseki", MD_CO_HONSEKI, "本籍・筆頭者" },
	{ "juminhyo_code", MD_CO_JUMINHYO_CODE, "住民票コード" },
	{ "mynumber", MD_CO_MYNUMBER, "個人番号" },
	{ "nationality", MD_CO_NATIONALITY, "国籍・地域" },
	{ "residence_status", MD_CO_RESIDENCE_STATUS, "在留資格" },
	{ "residence_period", MD_CO_RESIDENCE_PERIOD, "在留期間" },
	{ "residence_expiry", MD_CO_RESIDENCE_EXPIRY, "在留期間の満了の日" },
	{ "residence_card_no", MD_CO_RESIDENCE_CARD, "在留カード等番号" },
	{ "alias_history", MD_CO_ALIAS_HISTORY, "通称の記載・削除の事項" },
};
#define N_OPTIONS (sizeof option_words / sizeof option_words[0])

/* Calls fn for each word of a comma-separated list (spaces trimmed, empty
 * words skipped); stops at the first non-zero return. */
int md_cert_each_word(const char *list, int (*fn)(const char *word, void *arg), void *arg)
{
	char *copy = xstrdup(list ? list : ""), *save = NULL, *tok;
	int rc = 0;

	for (tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		while (*tok == ' ' || *tok == '\t')
			tok++;
		end = tok + strlen(tok);
		while (end > tok && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*tok)
			rc = fn(tok, arg);
	}
	free(copy);
	return rc;
}

struct opt_parse {
	unsigned bits;
	struct md_error *err;
};

static int option_word(const char *w, void *arg)
{
	struct opt_parse *op = arg;
	char known[512] = "foreign";

	if (strcmp(w, "foreign") == 0) {
		op->bits |= MD_CO_FOREIGN;
		return 0;
	}
	for (size_t i = 0; i < N_OPTIONS; i++) {
		if (strcmp(w, option_words[i].word) == 0) {
			op->bits |= option_words[i].bit;
			return 0;
		}
		size_t len = strlen(known);
		snprintf(known + len, sizeof known - len, ", %s", option_words[i].word);
	}
	md_error_set(op->err, MD_E_INVALID, "include", _("include: unknown item \"%s\"; the items are: %s"),
	             w, known);
	return -1;
}

int md_cert_parse_options(const char *list, unsigned *out, struct md_error *err)
{
	struct opt_parse op = { 0, err };

	if (md_cert_each_word(list, option_word, &op) != 0)
		return MD_E_INVALID;
	*out = op.bits;
	return MD_OK;
}

void md_cert_options_text(unsigned options, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < N_OPTIONS; i++)
		if (options & option_words[i].bit)
			len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s%s", len ? "," : "",
			                        option_words[i].word);
}

const char *md_cert_category_term(const char *category)
{
	static const struct { const char *code, *term; } terms[] = {
		{ "self", "本人" }, { "household", "同一世帯員" }, { "agent", "代理人" },
		{ "third_party", "第三者" }, { "official", "公用" }, { "professional", "職務上請求" },
	};
	for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++)
		if (strcmp(terms[i].code, category) == 0)
			return terms[i].term;
	return category;
}

static int known_category(const char *c)
{
	return strcmp(c, "self") == 0 || strcmp(c, "household") == 0 || strcmp(c, "agent") == 0 ||
	       strcmp(c, "third_party") == 0 || strcmp(c, "official") == 0 ||
	       strcmp(c, "professional") == 0;
}

int md_cert_check_options(const char *category, unsigned options, int purpose_needs_honseki,
                          struct md_error *err)
{
	int third = strcmp(category, "third_party") == 0 || strcmp(category, "professional") == 0;

	if (!known_category(category))
		return md_error_set(err, MD_E_INVALID, "category", _("unknown applicant category \"%s\""),
		                    category);
	if ((options & MD_CO_MYNUMBER) && strcmp(category, "self") != 0 &&
	    strcmp(category, "household") != 0)
		return md_error_set(err, MD_E_DENIED, "include",
		                    _("個人番号 is printed only for the person themselves or a member of the same household (本人・同一世帯員); a %s request cannot include it: remove mynumber"),
		                    md_cert_category_term(category));
	if ((options & MD_CO_JUMINHYO_CODE) && third)
		return md_error_set(err, MD_E_DENIED, "include",
		                    _("a %s request never receives the 住民票コード: remove juminhyo_code"),
		                    md_cert_category_term(category));
	if ((options & MD_CO_HONSEKI) && third && !purpose_needs_honseki)
		return md_error_set(err, MD_E_DENIED, "include",
		                    _("本籍・筆頭者 is given to a %s request only when its purpose needs it: confirm the purpose (purpose_needs_honseki) or remove honseki"),
		                    md_cert_category_term(category));
	return MD_OK;
}

int md_cert_check_applicant(enum md_cert_type t, const char *category, struct md_error *err)
{
	if (!known_category(category))
		return md_error_set(err, MD_E_INVALID, "category", _("unknown applicant category \"%s\""),
		                    category);
	if (t == MD_CERT_CODE_NOTICE && strcmp(category, "self") != 0)
		return md_error_set(err, MD_E_DENIED, "type",
		                    _("a 住民票コード通知票 is given only to the person themselves (本人), not to a %s request"),
		                    md_cert_category_term(category));
	return MD_OK;
}

/* ---- 記載事項証明書 items -------------------------------------------------------------- */

static const struct {
	const char *word;
	const char *label;
	unsigned option;
} kisai_items[] = {
	{ "name", "氏名", 0 },
	{ "kana", "氏名の振り仮名", 0 },
	{ "birth_date", "生年月日", 0 },
	{ "sex", "性別", 0 },
	{ "address", "住所", 0 },
	{ "head_rel", "世帯主・続柄", MD_CO_HEAD_REL },
	{ "honseki", "本籍・筆頭者", MD_CO_HONSEKI },
	{ "resident_since", "住民となった年月日", 0 },
	{ "address_since", "住所を定めた年月日", 0 },
	{ "notified_on", "届出の年月日", 0 },
	{ "previous_address", "転入前住所", 0 },
	{ "former_surname", "旧氏", 0 },
	{ "alias", "通称", 0 },
	{ "juminhyo_code", "住民票コード", MD_CO_JUMINHYO_CODE },
	{ "mynumber", "個人番号", MD_CO_MYNUMBER },
	{ "nationality", "国籍・地域", MD_CO_NATIONALITY },
	{ "residence_status", "在留資格", MD_CO_RESIDENCE_STATUS },
	{ "residence_period", "在留期間", MD_CO_RESIDENCE_PERIOD },
	{ "residence_expiry", "在留期間の満了の日", MD_CO_RESIDENCE_EXPIRY },
	{ "residence_card_no", "在留カード等番号", MD_CO_RESIDENCE_CARD },
};
#define N_KISAI (sizeof kisai_items / sizeof kisai_items[0])

static int kisai_index(const char *w)
{
	for (size_t i = 0; i < N_KISAI; i++)
		if (strcmp(w, kisai_items[i].word) == 0)
			return (int)i;
	return -1;
}

const char *md_cert_kisai_label(const char *word)
{
	int i = kisai_index(word);
	return i < 0 ? NULL : kisai_items[i].label;
}

struct item_parse {
	unsigned options;
	char *buf;
	size_t n;
	struct md_error *err;
};

static int item_word(const char *w, void *arg)
{
	struct item_parse *ip = arg;
	int i = kisai_index(w);
	size_t len = strlen(ip->buf);
	char probe[64];

	if (i < 0) {
		char known[512] = "";
		for (size_t k = 0; k < N_KISAI; k++) {
			size_t kl = strlen(known);
			snprintf(known + kl, sizeof known - kl, "%s%s", k ? ", " : "", kisai_items[k].word);
		}
		md_error_set(ip->err, MD_E_INVALID, "items", _("items: unknown item \"%s\"; the items are: %s"),
		             w, known);
		return -1;
	}
	snprintf(probe, sizeof probe, ",%s,", w);
	{
		char *have = xasprintf(",%s,", ip->buf);
		int dup = strstr(have, probe) != NULL;
		free(have);
		if (dup) {
			md_error_set(ip->err, MD_E_INVALID, "items", _("items: \"%s\" is given twice"), w);
			return -1;
		}
	}
	ip->options |= kisai_items[i].option;
	snprintf(ip->buf + len, ip->n - len, "%s%s", len ? "," : "", w);
	return 0;
}

int md_cert_parse_items(const char *list, unsigned *options, char *buf, size_t n,
                        struct md_error *err)
{
	struct item_parse ip = { 0, buf, n, err };

	buf[0] = '\0';
	if (md_cert_each_word(list, item_word, &ip) != 0)
		return MD_E_INVALID;
	if (!buf[0])
		return md_error_set(err, MD_E_INVALID, "items",
		                    _("items is missing: a 住民票記載事項証明書 certifies the items chosen (e.g. items=name,address,birth_date)"));
	*options = ip.options;
	return MD_OK;
}

/* ---- wording, mayor, issue number -------------------------------------------------------- */

enum md_cert_wording md_cert_wording_for(enum md_cert_type t, int individual, int whole_household)
{
	switch (t) {
	case MD_CERT_JOSHU:
		return MD_CW_REMOVED;
	case MD_CERT_KISAI:
		return MD_CW_KISAI;
	case MD_CERT_INKAN:
		return MD_CW_INKAN;
	case MD_CERT_CODE_NOTICE:
		return MD_CW_CODE_NOTICE;
	case MD_CERT_JUMINHYO:
	case MD_CERT_TYPE_COUNT:
	default:
		break;
	}
	if (individual)
		return MD_CW_INDIVIDUAL;
	return whole_household ? MD_CW_WHOLE : MD_CW_PART;
}

const char *md_cert_wording_text(enum md_cert_wording w)
{
	switch (w) {
	case MD_CW_WHOLE:
		return "この写しは、世帯全員の住民票の原本と相違ないことを証明する。";
	case MD_CW_PART:
		return "この写しは、世帯の一部の住民票の原本と相違ないことを証明する。";
	case MD_CW_INDIVIDUAL:
		return "この写しは、住民票の原本と相違ないことを証明する。";
	case MD_CW_REMOVED:
		return "この写しは、住民票の除票の原本と相違ないことを証明する。";
	case MD_CW_KISAI:
		return "上記の事項は、住民票に記載されていることを証明する。";
	case MD_CW_INKAN:
		return "この写しは、登録されている印影と相違ないことを証明する。";
	case MD_CW_CODE_NOTICE:
	default:
		return "上記のとおり、あなたの住民票コードを通知します。";
	}
}

/* Bytes of the UTF-8 character starting at s. */
static size_t u8len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

void md_cert_mayor_line(const struct md_settings *cfg, char *buf, size_t n)
{
	const char *muni = cfg->municipality_name, *title = cfg->mayor_title;
	size_t ml = strlen(muni), tl = u8len(title);
	char head[160];

	/* 見本区 + 区長 -> 見本区長: the title's first character repeats the
	 * municipality's last one. */
	if (*title && ml >= tl && strlen(title) > tl && memcmp(muni + ml - tl, title, tl) == 0)
		snprintf(head, sizeof head, "%s%s", muni, title + tl);
	else
		snprintf(head, sizeof head, "%s%s", muni, title);
	if (cfg->deputy_name[0] && cfg->deputy_title[0])
		snprintf(buf, n, "%s職務代理者　%s　%s", head, cfg->deputy_title, cfg->deputy_name);
	else if (cfg->deputy_name[0])
		snprintf(buf, n, "%s職務代理者　%s", head, cfg->deputy_name);
	else
		snprintf(buf, n, "%s　%s", head, cfg->mayor_name);
}

void md_cert_issue_number(const struct md_settings *cfg, int training, const char *date_iso,
                          long serial, char *buf, size_t n)
{
	char ymd[9] = "", num[24];
	int k = 0;

	for (const char *p = date_iso; *p && k < 8; p++)
		if (*p >= '0' && *p <= '9')
			ymd[k++] = *p;
	ymd[k] = '\0';
	if (serial > 0)
		snprintf(num, sizeof num, "%06ld", serial);
	else
		snprintf(num, sizeof num, "------");
	snprintf(buf, n, "%s%s %s %s %s %s", training ? "見本-" : "", ymd, cfg->municipality_name,
	         cfg->terminal_id, cfg->printer_id, num);
}

void md_cert_file_name(const char *issue_number, char *buf, size_t n)
{
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)issue_number; *p && o + 1 < n; p++) {
		unsigned char c = *p;
		if (c == ' ')
			buf[o++] = '_';
		else if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		         (c >= 'a' && c <= 'z') || c == '-' || c == '_')
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
}

/* ---- verification codes ---------------------------------------------------------------- */

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void md_cert_vcode(const unsigned char key[32], const char *seed, char out[MD_CERT_VCODE_LEN + 1])
{
	char hex[MD_HASH_HEX];
	unsigned long long bits = 0;

	md_keyed_hash_hex(key, seed, strlen(seed), hex);
	for (int i = 0; i < 10; i++) {
		char c = hex[i];
		bits = (bits << 4) | (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10);
	}
	for (int i = MD_CERT_VCODE_LEN - 1; i >= 0; i--) {
		out[i] = crockford[bits & 31];
		bits >>= 5;
	}
	out[MD_CERT_VCODE_LEN] = '\0';
}

int md_cert_vcode_normalize(const char *in, char out[MD_CERT_VCODE_LEN + 1])
{
	int k = 0;

	for (const char *p = in ? in : ""; *p; p++) {
		char c = *p;
		if (c == ' ' || c == '-' || c == '\t')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (!strchr(crockford, c) || c == '\0' || k == MD_CERT_VCODE_LEN) {
			out[0] = '\0';
			return -1;
		}
		out[k++] = c;
	}
	out[k] = '\0';
	return k == MD_CERT_VCODE_LEN ? 0 : -1;
}

void md_cert_vcode_format(const char *code, char out[MD_CERT_VCODE_LEN + 2])
{
	snprintf(out, MD_CERT_VCODE_LEN + 2, "%.4s-%.4s", code, code + 4);
}

/* ---- 抑止 and 支援措置 ---------------------------------------------------------------------- */

enum md_cert_gate md_cert_gate(const struct md_cert_gate_in *in)
{
	int personal = (strcmp(in->category, "self") == 0 && !in->other_member) ||
	               strcmp(in->category, "official") == 0;

	if (in->blocked)
		return MD_GATE_BLOCKED;
	if (in->measure && !personal)
		return MD_GATE_REFUSED;
	if (in->measure && !in->ack)
		return MD_GATE_NEED_ACK;
	if (in->alert) {
		if (!in->override_reason || !*in->override_reason)
			return MD_GATE_NEED_OVERRIDE;
		if (!in->may_override)
			return MD_GATE_NEED_PERMISSION;
		return MD_GATE_OVERRIDDEN;
	}
	return in->measure ? MD_GATE_ACKED : MD_GATE_PASS;
}

/* An alert-mode 抑止 of certificates for the person or the household, as
 * md_protect_check() applies them. */
int md_cert_alert(struct md_ctx *ctx, long long person, long long household, int *out,
                  struct md_error *err)
{
	static const char sql[] =
		"SELECT count(*) FROM suppressions "
		"WHERE (person_id = ?1 OR (?2 > 0 AND household_id = ?2) "
		"       OR household_id = (SELECT household_id FROM persons WHERE id = ?1)) "
		"AND operation = 'certificate' AND mode = 'alert' AND ended_at IS NULL "
		"AND start_date <= ?3 AND (end_date IS NULL OR end_date >= ?3) "
		"AND (released_until IS NULL OR released_until <= ?4)";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	char today[11], now[32];

	if (!s)
		return MD_E_DB;
	md_date_local(md_time_now(), today, sizeof today);
	md_time_iso(md_time_now(), now, sizeof now);
	sqlite3_bind_int64(s, 1, person);
	sqlite3_bind_int64(s, 2, household);
	md_bind_text(s, 3, today);
	md_bind_text(s, 4, now);
	*out = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) > 0;
	sqlite3_reset(s);
	return MD_OK;
}

/* ---- fees -------------------------------------------------------------------------------- */

int md_cert_fee(const char *code, int *yen, struct md_error *err)
{
	static struct md_tsv fees;
	static int loaded;
	const char *v;
	char *end = NULL;
	long n;
	int row;

	if (!loaded) {
		if (md_tsv_parse(md_data_fees_tsv, "fees.tsv", &fees, err) != MD_OK)
			return MD_E_CONFIG;
		if (md_tsv_col(&fees, "code") < 0 || md_tsv_col(&fees, "yen") < 0) {
			md_tsv_release(&fees);
			return md_error_set(err, MD_E_CONFIG, "fees.tsv",
			                    _("fees.tsv needs the columns code and yen"));
		}
		loaded = 1;
	}
	row = md_tsv_find(&fees, "code", code);
	if (row < 0)
		return md_error_set(err, MD_E_CONFIG, "fees.tsv", _("fees.tsv has no fee for \"%s\""), code);
	v = md_tsv_get(&fees, row, "yen");
	n = strtol(v, &end, 10);
	if (!*v || *end || n < 0 || n > 1000000)
		return md_error_set(err, MD_E_CONFIG, "fees.tsv",
		                    _("fees.tsv: the fee of \"%s\" must be a whole number of yen, not \"%s\""),
		                    code, v);
	*yen = (int)n;
	return MD_OK;
}
