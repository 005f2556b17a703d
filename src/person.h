/* person.h: the items of a resident record (住民票), listed once. The same
 * list names the columns of persons, person_versions and change_persons,
 * the fields of the intake forms, and the items compared in history. */
#ifndef MD_PERSON_H
#define MD_PERSON_H

#include <sqlite3.h>
#include "error.h"

struct md_ctx;

enum md_field {
	MD_F_STATUS,
	MD_F_RESIDENT_TYPE,
	MD_F_HOUSEHOLD,
	MD_F_RELATIONSHIP,
	MD_F_SURNAME,
	MD_F_GIVEN_NAME,
	MD_F_SURNAME_KANA,
	MD_F_GIVEN_NAME_KANA,
	MD_F_FORMER_SURNAME,
	MD_F_FORMER_SURNAME_KANA,
	MD_F_ALIAS,
	MD_F_ALIAS_KANA,
	MD_F_NAME_ROMAN,
	MD_F_BIRTH_DATE,
	MD_F_BIRTH_CIRCA,
	MD_F_SEX,
	MD_F_HONSEKI,
	MD_F_HITTOSHA,
	MD_F_RESIDENT_SINCE,
	MD_F_POSTAL_CODE,
	MD_F_ADDRESS_CODE,
	MD_F_ADDRESS,
	MD_F_KATAGAKI,
	MD_F_ADDRESS_SINCE,
	MD_F_NOTIFIED_ON,
	MD_F_PREVIOUS_ADDRESS,
	MD_F_OUT_PLANNED_DATE,
	MD_F_OUT_ADDRESS_PLANNED,
	MD_F_OUT_ADDRESS,
	MD_F_REMOVAL_REASON,
	MD_F_REMOVAL_DATE,
	MD_F_DEATH_DATE,
	MD_F_NATIONALITY,
	MD_F_RESIDENCE_STATUS,
	MD_F_RESIDENCE_PERIOD,
	MD_F_RESIDENCE_EXPIRY,
	MD_F_RESIDENCE_CARD_NO,
	MD_F_FOREIGN_SINCE,
	MD_F_ART30_45,
	MD_F_MYNUMBER_ENC,     /* stored sealed; never clear in the database */
	MD_F_MYNUMBER_IDX,     /* blind index */
	MD_F_JUMINHYO_CODE,
	MD_F_GUARDIANSHIP,
	MD_F_GUARDIANSHIP_SINCE,
	MD_F_MYNUMBER_CARD,
	MD_F_NOTE,
	MD_F_COUNT
};

enum md_field_kind {
	MD_FK_TEXT,     /* free text (names, addresses) */
	MD_FK_KANA,     /* a reading: katakana */
	MD_FK_DATE,     /* stored YYYY-MM-DD, 00 for unknown parts */
	MD_FK_CODE,     /* one of a code list */
	MD_FK_INT,
	MD_FK_FLAG,     /* 0 or 1 */
	MD_FK_BLOB,     /* sealed My Number */
};

enum md_field_flags {
	MD_FF_ADDRESS = 1 << 0,   /* an address item: the only ones a 転居 may change */
	MD_FF_FOREIGN = 1 << 1,   /* foreign residents only */
	MD_FF_JAPANESE = 1 << 2,  /* Japanese residents only (本籍・筆頭者) */
	MD_FF_SYSTEM = 1 << 3,    /* set by the core, never typed */
	MD_FF_PROTECTED = 1 << 4, /* shown only with a permission (本籍: honseki.view) */
	MD_FF_MYNUMBER = 1 << 5,  /* My Number columns */
};

struct md_field_def {
	enum md_field id;
	const char *column;
	const char *label;      /* the legal item name (data, Japanese in every UI) */
	const char *gloss;      /* English gloss */
	enum md_field_kind kind;
	unsigned flags;
	int maxlen;             /* characters, for text */
};

const struct md_field_def *md_field(enum md_field f);
/* By column name, or NULL. */
const struct md_field_def *md_field_by_column(const char *column);
/* "status, resident_type, ..." in enum order (static, built once). */
const char *md_person_columns(void);
/* "?1, ?2, ..." starting at first (allocated). */
char *md_person_placeholders(int first);

/* A person's items as text (UTF-8, NFC), NULL when empty; the sealed My
 * Number as a blob. */
struct md_person {
	long long id;           /* 宛名番号, 0 for a person not yet numbered */
	int version;
	char *v[MD_F_COUNT];
	unsigned char *mynumber_enc;
	int mynumber_enc_len;
};

void md_person_init(struct md_person *p);
void md_person_release(struct md_person *p);
void md_person_copy(struct md_person *dst, const struct md_person *src);
/* Sets an item (copied; "" and NULL clear it). */
void md_person_set(struct md_person *p, enum md_field f, const char *value);
const char *md_person_get(const struct md_person *p, enum md_field f);   /* never NULL */
int md_person_has(const struct md_person *p, enum md_field f);
/* 1 when the item differs between a and b (the sealed My Number compares by
 * its blind index). */
int md_person_differs(const struct md_person *a, const struct md_person *b, enum md_field f);

/* Reads the columns (in md_person_columns() order) starting at column first. */
void md_person_from_row(struct md_person *p, sqlite3_stmt *s, int first);
/* Binds the items to parameters first .. first + MD_F_COUNT - 1. */
void md_person_bind(const struct md_person *p, sqlite3_stmt *s, int first);

/* "山田 太郎" and "ヤマダ タロウ" (allocated). */
char *md_person_name(const struct md_person *p);
char *md_person_name_kana(const struct md_person *p);

#endif
