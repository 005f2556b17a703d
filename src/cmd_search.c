/* cmd_search.c: commands of the search module: the resident search, a
 * person's record, a household, a person's history and the deliberate
 * reveal of a My Number. The work is in search.c; here are the arguments
 * and the permissions that decide what a record view may include. */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "cmd_impl.h"
#include "ctx.h"
#include "i18n.h"
#include "search.h"

#define ARG(k) md_args_get(args, (k))

static const struct md_arg_spec search_args[] = {
	{ "name", MD_ARG_OPT, 0, N_("name in kanji or kana, whole or its start; 氏 and 名 apart with a space") },
	{ "birth", MD_ARG_OPT, 0, N_("date of birth: 昭和55年3月14日, S55.3.14, 1980-03-14; 昭和55年 for a whole year") },
	{ "sex", MD_ARG_OPT, 0, N_("性別: 男 or 女") },
	{ "address", MD_ARG_OPT, 0, N_("address (住所 and 方書) from its start, e.g. 見本町1-2-3") },
	{ "atena", MD_ARG_OPT, 0, N_("宛名番号") },
	{ "household", MD_ARG_OPT, 0, N_("世帯番号") },
	{ "mynumber", MD_ARG_OPT, 0, N_("個人番号 (12 digits; never logged)") },
	{ "juminhyo_code", MD_ARG_OPT, 0, N_("住民票コード (11 digits)") },
	{ "card", MD_ARG_OPT, 0, N_("在留カード等番号") },
	{ "removed", MD_ARG_FLAG, 0, N_("include removed records (除票)") },
	{ "past", MD_ARG_FLAG, 0, N_("include past names and addresses") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec view_args[] = {
	{ "id", MD_ARG_POS, 1, N_("宛名番号") },
	{ "ack", MD_ARG_FLAG, 0, N_("alerts (抑止, 支援措置) acknowledged") },
	{ NULL, 0, 0, NULL }
};
static const struct md_arg_spec household_args[] = {
	{ "household", MD_ARG_POS, 0, N_("世帯番号") },
	{ "person", MD_ARG_OPT, 0, N_("宛名番号 of a member, instead of the 世帯番号") },
	{ "all", MD_ARG_FLAG, 0, N_("include members who have left (除票)") },
	{ "ack", MD_ARG_FLAG, 0, N_("alerts (抑止, 支援措置) acknowledged") },
	{ NULL, 0, 0, NULL }
};

static int flag(const struct md_args *args, const char *key)
{
	const char *v = md_args_get(args, key);
	return v && *v && strcmp(v, "0") != 0;
}

static int cmd_resident_search(struct md_ctx *ctx, const struct md_args *args, struct md_result *res,
                               struct md_error *err)
{
	struct md_search_keys k = {
		ARG("name"), ARG("birth"), ARG("sex"), ARG("address"), ARG("atena"), ARG("household"),
		ARG("mynumber"), ARG("juminhyo_code"), ARG("card"), flag(args, "removed"), flag(args, "past"),
	};
	return md_search(ctx, &k, res, err);
}

static int cmd_resident_view(struct md_ctx *ctx, const struct md_args *args, struct md_result *res,
                             struct md_error *err)
{
	long long id = md_args_number(args, "id", "宛名番号", 1, err);
	struct md_view_opts o;

	if (!id)
		return MD_E_INVALID;
	o.ack = flag(args, "ack");
	o.honseki = md_auth_can(ctx, "honseki.view");
	o.support = md_auth_can(ctx, "support.view");
	return md_person_view(ctx, id, &o, res, err);
}

static int cmd_resident_household(struct md_ctx *ctx, const struct md_args *args,
                                  struct md_result *res, struct md_error *err)
{
	long long household = 0, person = 0;
	const char *h = ARG("household"), *p = ARG("person");

	if (h && *h && p && *p)
		return md_error_set(err, MD_E_INVALID, "person",
		                    _("name a household (世帯番号) or a person (宛名番号), not both"));
	if (h && *h) {
		if (!(household = md_args_number(args, "household", "世帯番号", 1, err)))
			return MD_E_INVALID;
	} else if (p && *p) {
		if (!(person = md_args_number(args, "person", "宛名番号", 1, err)))
			return MD_E_INVALID;
	} else {
		return md_error_set(err, MD_E_INVALID, "household",
		                    _("name a household (世帯番号) or a person (--person 宛名番号)"));
	}
	return md_household_members(ctx, household, person, flag(args, "all"), flag(args, "ack"), res,
	                            err);
}

static int cmd_resident_history(struct md_ctx *ctx, const struct md_args *args, struct md_result *res,
                                struct md_error *err)
{
	long long id = md_args_number(args, "id", "宛名番号", 1, err);
	return id ? md_person_history(ctx, id, flag(args, "ack"), res, err) : MD_E_INVALID;
}

static int cmd_mynumber_reveal(struct md_ctx *ctx, const struct md_args *args, struct md_result *res,
                               struct md_error *err)
{
	long long id = md_args_number(args, "id", "宛名番号", 1, err);
	return id ? md_mynumber_reveal(ctx, id, flag(args, "ack"), res, err) : MD_E_INVALID;
}

const struct md_cmd_entry md_cmds_search[] = {
	{ "resident.search", "resident search", "resident.lookup", 0, search_args, cmd_resident_search,
	  N_("search residents by name, kana, date of birth, address or number") },
	{ "resident.view", "resident view", "resident.lookup", 0, view_args, cmd_resident_view,
	  N_("show the record (住民票) of one person") },
	{ "resident.household", "resident household", "resident.lookup", 0, household_args,
	  cmd_resident_household, N_("list the members of a household (世帯)") },
	{ "resident.history", "resident history", "resident.lookup", 0, view_args, cmd_resident_history,
	  N_("show every version of a person's record (異動履歴)") },
	{ "mynumber.reveal", "mynumber reveal", "mynumber.view", 0, view_args, cmd_mynumber_reveal,
	  N_("show a person's My Number in full (logged)") },
	{ NULL, NULL, NULL, 0, NULL, NULL, NULL }
};
