/* settings.h: configuration, declared once as a table (name, type, bounds,
 * default, help), loaded with iniparser and validated before anything starts. */
#ifndef MD_SETTINGS_H
#define MD_SETTINGS_H

#include "error.h"

enum md_lang { MD_LANG_AUTO = 0, MD_LANG_JA, MD_LANG_EN };

struct md_settings {
	/* [municipality] */
	char municipality_name[64];
	char municipality_code[8];     /* 6 digits: 地方公共団体コード with check digit */
	char mayor_title[32];          /* 区長, 市長 */
	char mayor_name[64];
	char deputy_title[64];         /* 職務代理者 title, empty when none */
	char deputy_name[64];
	/* [terminal] */
	char terminal_id[32];
	char printer_id[32];
	/* [database] */
	char db_path[1024];
	char key_file[1024];           /* empty: the database path + ".key" */
	/* [security] */
	int idle_lock_minutes;
	int password_min_length;
	int password_min_classes;      /* of: lower, upper, digit, other */
	int password_expiry_days;      /* 0: never */
	int password_history;
	int lockout_attempts;
	int dormant_days;              /* access review: no login for this many days */
	/* [retention] (years) */
	int retention_removed_years;
	int retention_audit_years;
	int retention_issuance_years;
	/* [ui] */
	enum md_lang language;
	/* [statistics] */
	int stats_min_cell;            /* counts below this are shown as "*" */
	/* [print] */
	char print_command[256];       /* run with the PDF's path appended; empty: spool only */
	char spool_dir[1024];          /* empty: the database's directory + "/spool" */
	/* [certificate] */
	char seal_image[1024];         /* PNG of the official seal (公印); empty: 「公印省略」 */
	/* [audit] (the audit review's ready-made checks) */
	char audit_office_hours[16];   /* "08:30-17:15", local time */
	char audit_office_days[64];    /* "mon-fri", or a list "mon,tue,sat" */
	int audit_lookup_window_days;  /* days of history a user's usual volume is taken from */
	int audit_lookup_own_factor;   /* flagged above this many times their own daily average */
	int audit_lookup_peer_factor;  /* or above this many times their peers' average that day */
	int audit_lookup_min;          /* fewer lookups in a day are never flagged */
	int audit_followup_hours;      /* a lookup needs a transaction within this many hours */

	char source[1024];             /* file loaded, or "" for built-in defaults */
};

enum md_setting_type { MD_SET_STRING, MD_SET_INT, MD_SET_ENUM };

struct md_setting_def {
	const char *section;
	const char *key;
	enum md_setting_type type;
	long min, max;                 /* INT bounds; STRING max length in bytes */
	const char *def;               /* default, as text */
	const char *const *choices;    /* ENUM: NULL-terminated */
	const char *help;              /* N_() */
	int (*check)(const char *value, struct md_error *err); /* extra rule or NULL */
	size_t offset;                 /* into struct md_settings */
	size_t size;                   /* STRING buffer size */
};

/* The table, NULL-key terminated. */
const struct md_setting_def *md_settings_table(void);

/* Fills s with the built-in defaults. */
void md_settings_defaults(struct md_settings *s);
/* Loads and validates one file over the defaults. An invalid value, an
 * unknown section or key, or a syntax error fills err with the section, key
 * (err->field = "section.key") and line (err->line). */
int md_settings_load_file(struct md_settings *s, const char *path, struct md_error *err);
/* The search order: explicit path (must exist), else $XDG_CONFIG_HOME (or
 * ~/.config)/madoguchi/madoguchi.ini, else /etc/madoguchi/madoguchi.ini, else
 * defaults. */
int md_settings_load(struct md_settings *s, const char *explicit_path, struct md_error *err);
/* [audit] office_hours "HH:MM-HH:MM" into minutes after midnight, start
 * before end; 0 on success. */
int md_settings_office_hours(const char *v, int *start_min, int *end_min);
/* [audit] office_days ("mon-fri", "mon,wed,fri", "mon-fri,sat") into a mask,
 * bit 0 = Sunday ... bit 6 = Saturday (struct tm's tm_wday); 0 on success. */
int md_settings_office_days(const char *v, unsigned *mask);

/* Stable text of every setting (for change detection); allocated. */
char *md_settings_dump(const struct md_settings *s);

#endif
