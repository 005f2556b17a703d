/* changetype.c: the forms of change and the items each shows. Only the
 * items of the form being processed can be entered (security.md, Accuracy). */
#include "config.h"

#include <string.h>

#include "change.h"

static const enum md_field new_person_fields[] = {
	MD_F_RESIDENT_TYPE, MD_F_RELATIONSHIP, MD_F_SURNAME, MD_F_GIVEN_NAME, MD_F_SURNAME_KANA,
	MD_F_GIVEN_NAME_KANA, MD_F_FORMER_SURNAME, MD_F_FORMER_SURNAME_KANA, MD_F_NAME_ROMAN,
	MD_F_ALIAS, MD_F_ALIAS_KANA, MD_F_BIRTH_DATE, MD_F_SEX, MD_F_HONSEKI, MD_F_HITTOSHA,
	MD_F_POSTAL_CODE, MD_F_ADDRESS_CODE, MD_F_ADDRESS, MD_F_KATAGAKI, MD_F_PREVIOUS_ADDRESS,
	MD_F_NATIONALITY, MD_F_RESIDENCE_STATUS, MD_F_RESIDENCE_PERIOD, MD_F_RESIDENCE_EXPIRY,
	MD_F_RESIDENCE_CARD_NO, MD_F_ART30_45, MD_FIELD_MYNUMBER_INPUT, MD_F_JUMINHYO_CODE,
	MD_F_NOTE, MD_F_COUNT
};

static const enum md_field birth_fields[] = {
	MD_F_RELATIONSHIP, MD_F_SURNAME, MD_F_GIVEN_NAME, MD_F_SURNAME_KANA, MD_F_GIVEN_NAME_KANA,
	MD_F_BIRTH_DATE, MD_F_SEX, MD_F_HONSEKI, MD_F_HITTOSHA, MD_FIELD_MYNUMBER_INPUT,
	MD_F_JUMINHYO_CODE, MD_F_NOTE, MD_F_COUNT
};

static const enum md_field move_within_fields[] = {
	MD_F_POSTAL_CODE, MD_F_ADDRESS_CODE, MD_F_ADDRESS, MD_F_KATAGAKI, MD_F_COUNT
};

static const enum md_field move_out_fields[] = {
	MD_F_OUT_ADDRESS_PLANNED, MD_F_COUNT
};

static const enum md_field relationship_fields[] = {
	MD_F_RELATIONSHIP, MD_F_COUNT
};

static const enum md_field death_fields[] = {
	MD_F_DEATH_DATE, MD_F_COUNT
};

static const enum md_field no_fields[] = { MD_F_COUNT };

/* Every item a person's record holds that a person may type in. */
static const enum md_field fix_fields[] = {
	MD_F_RESIDENT_TYPE, MD_F_RELATIONSHIP, MD_F_SURNAME, MD_F_GIVEN_NAME, MD_F_SURNAME_KANA,
	MD_F_GIVEN_NAME_KANA, MD_F_FORMER_SURNAME, MD_F_FORMER_SURNAME_KANA, MD_F_ALIAS,
	MD_F_ALIAS_KANA, MD_F_NAME_ROMAN, MD_F_BIRTH_DATE, MD_F_BIRTH_CIRCA, MD_F_SEX,
	MD_F_HONSEKI, MD_F_HITTOSHA, MD_F_RESIDENT_SINCE, MD_F_POSTAL_CODE, MD_F_ADDRESS_CODE,
	MD_F_ADDRESS, MD_F_KATAGAKI, MD_F_ADDRESS_SINCE, MD_F_NOTIFIED_ON, MD_F_PREVIOUS_ADDRESS,
	MD_F_OUT_PLANNED_DATE, MD_F_OUT_ADDRESS_PLANNED, MD_F_OUT_ADDRESS, MD_F_DEATH_DATE,
	MD_F_NATIONALITY, MD_F_RESIDENCE_STATUS, MD_F_RESIDENCE_PERIOD, MD_F_RESIDENCE_EXPIRY,
	MD_F_RESIDENCE_CARD_NO, MD_F_FOREIGN_SINCE, MD_F_ART30_45, MD_FIELD_MYNUMBER_INPUT,
	MD_F_JUMINHYO_CODE, MD_F_GUARDIANSHIP, MD_F_GUARDIANSHIP_SINCE, MD_F_MYNUMBER_CARD,
	MD_F_NOTE, MD_F_COUNT
};

static const struct md_change_type types[] = {
	{ "move_in", "転入", "move in from another municipality", "in_domestic", 1, 1, 0,
	  MD_SUBJ_NEW, new_person_fields },
	{ "move_in_abroad", "転入（国外から）", "move in from abroad", "in_abroad", 1, 1, 0,
	  MD_SUBJ_NEW, new_person_fields },
	{ "move_in_special", "特例転入", "move in with a My Number card", "in_domestic", 1, 1, 0,
	  MD_SUBJ_NEW, new_person_fields },
	{ "move_within", "転居", "move within the city", "move_within", 1, 1, 0,
	  MD_SUBJ_HOUSEHOLD, move_within_fields },
	{ "move_out", "転出", "move out (planned date)", "out_domestic,out_abroad", 1, 0, 1,
	  MD_SUBJ_PERSONS, move_out_fields },
	{ "household_split", "世帯分離", "household split", "household_split", 1, 1, 0,
	  MD_SUBJ_PERSONS, relationship_fields },
	{ "household_merge", "世帯合併", "household merge", "household_merge", 1, 1, 0,
	  MD_SUBJ_PERSONS, relationship_fields },
	{ "head_change", "世帯主変更", "change of head of household", "head_change", 1, 1, 0,
	  MD_SUBJ_HOUSEHOLD, relationship_fields },
	{ "birth", "出生", "birth", "birth", 0, 0, 0, MD_SUBJ_BIRTH, birth_fields },
	{ "death", "死亡", "death", "death", 0, 0, 0, MD_SUBJ_PERSONS, death_fields },
	{ "missing", "失踪", "declared missing", "missing", 0, 0, 0, MD_SUBJ_PERSONS, no_fields },
	{ "ex_officio_add", "職権記載", "ex officio entry", "ex_officio_add", 0, 0, 0,
	  MD_SUBJ_NEW, new_person_fields },
	{ "ex_officio_remove", "職権消除", "ex officio removal", "ex_officio_remove", 0, 0, 0,
	  MD_SUBJ_PERSONS, no_fields },
	{ "ex_officio_fix", "職権修正", "ex officio correction",
	  "ex_officio_fix,mynumber_change,mynumber_fix,mynumber_entry,juminhyo_code_change,"
	  "juminhyo_code_entry,former_name_entry,former_name_change,former_name_delete,"
	  "alias_entry,alias_delete", 0, 0, 0, MD_SUBJ_PERSONS, fix_fields },
	{ "minor_fix", "軽微な修正", "minor correction", "minor_fix", 0, 0, 0,
	  MD_SUBJ_PERSONS, fix_fields },
	{ "clerical_fix", "誤記修正", "correction of a clerical error", "clerical_fix", 0, 0, 0,
	  MD_SUBJ_PERSONS, fix_fields },
	{ "cancel", "取消", "cancellation of a change", "cancel_fix,cancel_add,cancel_remove", 0, 0, 0,
	  MD_SUBJ_CHANGE, no_fields },
	{ NULL, NULL, NULL, NULL, 0, 0, 0, 0, NULL }
};

const struct md_change_type *md_change_types(void)
{
	return types;
}

const struct md_change_type *md_change_type(const char *code)
{
	for (const struct md_change_type *t = types; code && t->code; t++)
		if (strcmp(t->code, code) == 0)
			return t;
	return NULL;
}
