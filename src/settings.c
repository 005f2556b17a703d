#include "config.h"

/* settings.c: the configuration table, its loader and its validation.
 *
 * iniparser reads the values; a small scanner of our own reads the file
 * first, line by line, with the same grammar but stricter, so that every
 * problem can be reported with its line number (iniparser only says "NULL"
 * and, by default, prints to stderr, which the core must never do).  The
 * scanner rejects anything iniparser might read differently from what the
 * administrator meant: continuation lines, unclosed quotes, text after a
 * closing quote, a byte order mark, bytes that are not UTF-8, NUL bytes,
 * over-long lines, keys outside a section, unknown sections and keys, and a
 * key set twice.  Only a file that passes the scanner is handed to
 * iniparser, and the values it returns are then validated against the table,
 * in the order of the file.  So the first problem of structure is reported
 * if there is one, else the first bad value.
 *
 * md_settings_load_file() works on a copy: on failure *s is left as it was. */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#ifdef HAVE_INIPARSER_SUBDIR
#include <iniparser/iniparser.h>
#else
#include <iniparser.h>
#endif

#include "i18n.h"
#include "settings.h"
#include "xalloc.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

/* iniparser 4.1 reads lines into a 1024-byte buffer and fails on longer
 * ones; stay well below that. */
#define INI_LINE_MAX 1000
/* How much of a bad value an error message repeats. */
#define SHOW_VALUE_MAX 48

#define FIELD_SIZE(f) sizeof(((struct md_settings *)0)->f)

/* ---- extra rules (the table's check functions) ---------------------------
 * A check function is called with a non-empty value that is valid UTF-8
 * without control characters, but of any length; on failure it fills err
 * with the reason alone ("must be ..."), and the loader adds the file, line,
 * section and key. */

/* 地方公共団体コード: five digits and a check digit; weights 6,5,4,3,2,
 * check = (11 - sum mod 11) mod 10. */
static int check_municipality_code(const char *v, struct md_error *err)
{
	static const int weight[5] = { 6, 5, 4, 3, 2 };
	int sum = 0, expect, i;

	for (i = 0; i < 6; i++)
		if (v[i] < '0' || v[i] > '9')
			break;
	if (i != 6 || v[6] != '\0')
		return md_error_set(err, MD_E_CONFIG, NULL, "%s",
		                    _("must be exactly 6 digits: the 地方公共団体コード with its check digit, e.g. 131016"));
	for (i = 0; i < 5; i++)
		sum += (v[i] - '0') * weight[i];
	expect = (11 - sum % 11) % 10;
	if (v[5] - '0' != expect)
		return md_error_set(err, MD_E_CONFIG, NULL,
		                    _("check digit does not match: for %.5s the 6th digit must be %d"),
		                    v, expect);
	return MD_OK;
}

static int check_absolute_path(const char *v, struct md_error *err)
{
	if (v[0] != '/')
		return md_error_set(err, MD_E_CONFIG, NULL, "%s",
		                    _("must be an absolute path (starting with /)"));
	return MD_OK;
}

static int check_absolute_path_or_empty(const char *v, struct md_error *err)
{
	if (v[0] != '\0' && v[0] != '/')
		return md_error_set(err, MD_E_CONFIG, NULL, "%s",
		                    _("must be empty or an absolute path (starting with /)"));
	return MD_OK;
}

/* The print command is split at spaces and run without a shell: quotes
 * and shell syntax would not mean what they seem to. */
static int check_print_command(const char *v, struct md_error *err)
{
	if (strpbrk(v, "\"'`$|&;<>*?\\"))
		return md_error_set(err, MD_E_CONFIG, NULL, "%s",
		                    _("must be a program and its arguments separated by spaces, without quotes or shell characters (\" ' ` $ | & ; < > * ? \\): it is run without a shell"));
	return MD_OK;
}

int md_settings_office_hours(const char *v, int *start_min, int *end_min)
{
	int h1, m1, h2, m2, used = 0;

	if (!v || strlen(v) != 11 || v[2] != ':' || v[5] != '-' || v[8] != ':')
		return -1;
	for (int i = 0; i < 11; i++)
		if (i != 2 && i != 5 && i != 8 && (v[i] < '0' || v[i] > '9'))
			return -1;
	if (sscanf(v, "%2d:%2d-%2d:%2d%n", &h1, &m1, &h2, &m2, &used) != 4 || used != 11)
		return -1;
	if (h1 > 24 || h2 > 24 || m1 > 59 || m2 > 59 || (h1 == 24 && m1) || (h2 == 24 && m2))
		return -1;
	if (h1 * 60 + m1 >= h2 * 60 + m2)
		return -1;
	*start_min = h1 * 60 + m1;
	*end_min = h2 * 60 + m2;
	return 0;
}

static int weekday(const char *s, size_t n)
{
	static const char *const names[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };
	char low[3];

	if (n != 3)
		return -1;
	for (int i = 0; i < 3; i++)
		low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
	for (int i = 0; i < 7; i++)
		if (memcmp(low, names[i], 3) == 0)
			return i;
	return -1;
}

int md_settings_office_days(const char *v, unsigned *mask)
{
	unsigned m = 0;
	const char *p = v;

	if (!v || !*v)
		return -1;
	for (;;) {
		size_t len = strcspn(p, ",");
		const char *dash = memchr(p, '-', len);
		int a, b;
		while (len && p[0] == ' ') {
			p++;
			len--;
		}
		while (len && p[len - 1] == ' ')
			len--;
		if (dash) {
			a = weekday(p, (size_t)(dash - p));
			b = weekday(dash + 1, len - (size_t)(dash + 1 - p));
		} else {
			a = b = weekday(p, len);
		}
		if (a < 0 || b < 0)
			return -1;
		/* mon-fri; sat-sun wraps over the week's end */
		for (int d = a;; d = (d + 1) % 7) {
			m |= 1u << d;
			if (d == b)
				break;
		}
		p += strcspn(p, ",");
		if (!*p)
			break;
		p++;
	}
	*mask = m;
	return 0;
}

static int check_office_hours(const char *v, struct md_error *err)
{
	int a, b;
	if (md_settings_office_hours(v, &a, &b) != 0)
		return md_error_set(err, MD_E_CONFIG, NULL, "%s",
		                    _("must be the start and end of the working day as HH:MM-HH:MM, the start before the end, e.g. 08:30-17:15"));
	return MD_OK;
}

static int check_office_days(const char *v, struct md_error *err)
{
	unsigned m;
	if (md_settings_office_days(v, &m) != 0)
		return md_error_set(err, MD_E_CONFIG, NULL, "%s",
		                    _("must be days of the week (sun mon tue wed thu fri sat), separated by commas, or ranges such as mon-fri"));
	return MD_OK;
}

/* ---- the table ------------------------------------------------------------ */

static const char *const language_choices[] = { "auto", "ja", "en", NULL };

/* STRING: min/max are lengths in bytes (min 1 means required). */
#define STR(sec, key, field, minlen, maxlen, def, help, check) \
	{ sec, key, MD_SET_STRING, minlen, maxlen, def, NULL, help, check, \
	  offsetof(struct md_settings, field), FIELD_SIZE(field) }
#define INT(sec, key, field, lo, hi, def, help) \
	{ sec, key, MD_SET_INT, lo, hi, def, NULL, help, NULL, \
	  offsetof(struct md_settings, field), FIELD_SIZE(field) }
/* ENUM: the index in choices is the value stored. */
#define ENUM(sec, key, field, def, choices, help) \
	{ sec, key, MD_SET_ENUM, 0, 0, def, choices, help, NULL, \
	  offsetof(struct md_settings, field), FIELD_SIZE(field) }

static const struct md_setting_def settings_defs[] = {
	STR("municipality", "name", municipality_name, 1, FIELD_SIZE(municipality_name) - 1,
	    "見本区", N_("Name of the municipality as printed on certificates (e.g. 見本区)."), NULL),
	STR("municipality", "code", municipality_code, 1, 6, "131016",
	    N_("地方公共団体コード: 6 digits, the last a check digit."), check_municipality_code),
	STR("municipality", "mayor_title", mayor_title, 1, FIELD_SIZE(mayor_title) - 1, "区長",
	    N_("Title of the head of the municipality on certificates (区長, 市長, 町長, 村長)."), NULL),
	STR("municipality", "mayor_name", mayor_name, 1, FIELD_SIZE(mayor_name) - 1, "見本 太郎",
	    N_("Name of the head of the municipality, printed after the title."), NULL),
	STR("municipality", "deputy_title", deputy_title, 0, FIELD_SIZE(deputy_title) - 1, "",
	    N_("Title of the acting head (職務代理者) when one signs instead; empty when none."), NULL),
	STR("municipality", "deputy_name", deputy_name, 0, FIELD_SIZE(deputy_name) - 1, "",
	    N_("Name of the acting head (職務代理者); empty when none."), NULL),

	STR("terminal", "id", terminal_id, 1, FIELD_SIZE(terminal_id) - 1, "本庁1",
	    N_("This terminal's name, recorded in the audit log and issuance history."), NULL),
	STR("terminal", "printer", printer_id, 1, FIELD_SIZE(printer_id) - 1, "PR001",
	    N_("The printer this terminal issues certificates on, recorded with each copy."), NULL),

	STR("database", "path", db_path, 1, FIELD_SIZE(db_path) - 1, "/var/lib/madoguchi/madoguchi.db",
	    N_("Absolute path of the database file."), check_absolute_path),
	STR("database", "key_file", key_file, 0, FIELD_SIZE(key_file) - 1, "",
	    N_("Absolute path of the key file; empty means the database path followed by .key."),
	    check_absolute_path_or_empty),

	INT("security", "idle_lock_minutes", idle_lock_minutes, 1, 120, "5",
	    N_("Minutes without input before the screen is cleared and locked.")),
	INT("security", "password_min_length", password_min_length, 8, 128, "10",
	    N_("Minimum password length in characters.")),
	INT("security", "password_min_classes", password_min_classes, 1, 4, "2",
	    N_("How many kinds of character a password needs, of: lower case, upper case, digits, others.")),
	INT("security", "password_expiry_days", password_expiry_days, 0, 3650, "180",
	    N_("Days before a password must be changed; 0 means never.")),
	INT("security", "password_history", password_history, 0, 24, "5",
	    N_("How many previous passwords cannot be reused; 0 allows reuse.")),
	INT("security", "lockout_attempts", lockout_attempts, 1, 20, "5",
	    N_("Failed logins in a row before the account is locked until an administrator releases it.")),
	INT("security", "dormant_days", dormant_days, 1, 3650, "90",
	    N_("Days without a login after which the access review lists an account as dormant.")),

	INT("retention", "removed_records_years", retention_removed_years, 1, 200, "150",
	    N_("Years to keep removed records (除票) and their history.")),
	INT("retention", "audit_log_years", retention_audit_years, 5, 100, "5",
	    N_("Years to keep the audit log (at least 5).")),
	INT("retention", "issuance_years", retention_issuance_years, 1, 100, "5",
	    N_("Years to keep the issuance history (交付履歴).")),

	ENUM("ui", "language", language, "auto", language_choices,
	     N_("Language of the screens: auto (from the locale), ja or en.")),

	INT("statistics", "min_cell", stats_min_cell, 1, 100, "3",
	    N_("Smallest count statistics show; a smaller count is shown as * so that no one can be identified (1 shows every count).")),

	STR("print", "command", print_command, 0, FIELD_SIZE(print_command) - 1, "",
	    N_("Command that prints a certificate, run with the PDF file's path added as its last argument (no shell; words separated by spaces), e.g. lp -d PR001; empty: the PDF is only written to the spool directory."),
	    check_print_command),
	STR("print", "spool_dir", spool_dir, 0, FIELD_SIZE(spool_dir) - 1, "",
	    N_("Absolute path of the directory certificates are written to as PDF; empty means the database's path followed by .spool."),
	    check_absolute_path_or_empty),

	STR("certificate", "seal_image", seal_image, 0, FIELD_SIZE(seal_image) - 1, "",
	    N_("Absolute path of a PNG image of the official seal (公印), printed in black on certificates with 「この印は黒色です」; empty prints 「公印省略」 instead."),
	    check_absolute_path_or_empty),

	STR("audit", "office_hours", audit_office_hours, 11, 11, "08:30-17:15",
	    N_("Office hours (local time) as HH:MM-HH:MM: the audit review reports access outside them."),
	    check_office_hours),
	STR("audit", "office_days", audit_office_days, 3, FIELD_SIZE(audit_office_days) - 1, "mon-fri",
	    N_("Office days: days of the week (sun mon tue wed thu fri sat) separated by commas, or ranges such as mon-fri; access on other days is reported."),
	    check_office_days),
	INT("audit", "lookup_window_days", audit_lookup_window_days, 1, 365, "30",
	    N_("Days before each day from which a user's usual number of lookups a day is taken.")),
	INT("audit", "lookup_own_factor", audit_lookup_own_factor, 2, 100, "3",
	    N_("A user's lookups in a day are reported above this many times their own usual daily number.")),
	INT("audit", "lookup_peer_factor", audit_lookup_peer_factor, 2, 100, "3",
	    N_("A user's lookups in a day are reported above this many times the average of the other users that day.")),
	INT("audit", "lookup_min", audit_lookup_min, 1, 100000, "30",
	    N_("A day with fewer lookups than this is never reported as unusual.")),
	INT("audit", "followup_hours", audit_followup_hours, 1, 168, "4",
	    N_("Hours within which a person looked at should have a change, certificate or counter transaction by the same user.")),

	{ NULL, NULL, MD_SET_STRING, 0, 0, NULL, NULL, NULL, NULL, 0, 0 },
};

#define N_DEFS (sizeof settings_defs / sizeof settings_defs[0] - 1)

const struct md_setting_def *md_settings_table(void)
{
	return settings_defs;
}

/* ---- small text helpers --------------------------------------------------- */

/* The same set as isspace() in the C locale, which iniparser uses. */
static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int ascii_casecmp(const char *a, const char *b)
{
	while (*a && ascii_lower((unsigned char)*a) == ascii_lower((unsigned char)*b)) {
		a++;
		b++;
	}
	return ascii_lower((unsigned char)*a) - ascii_lower((unsigned char)*b);
}

/* Length of the UTF-8 sequence at s (at most n bytes), 0 if invalid.
 * Rejects overlong forms, surrogates and code points above U+10FFFF. */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned long c;
	size_t len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) || c > 0x10FFFF ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

static int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	size_t i = 0, k;

	while (i < n) {
		k = utf8_seq(p + i, n - i, &cp);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

static int is_control(unsigned long cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/* A copy of a value that is safe to put in a message shown on a terminal:
 * control characters and invalid bytes become '?', long values are cut at a
 * character boundary and end with "...". */
static void show_value(char *out, size_t outsz, const char *v)
{
	const unsigned char *p = (const unsigned char *)v;
	size_t n = strlen(v), i = 0, o = 0, k;
	unsigned long cp;

	while (i < n) {
		k = utf8_seq(p + i, n - i, &cp);
		if (o + (k ? k : 1) > SHOW_VALUE_MAX || o + (k ? k : 1) + 4 > outsz) {
			if (o + 4 <= outsz) {
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		if (!k || is_control(cp)) {
			out[o++] = '?';
			i += k ? k : 1;
		} else {
			memcpy(out + o, p + i, k);
			o += k;
			i += k;
		}
	}
	out[o] = '\0';
}

/* Appends s to a comma-separated list in buf. */
static void list_add(char *buf, size_t bufsz, const char *s)
{
	size_t len = strlen(buf);
	snprintf(buf + len, bufsz - len, "%s%s", len ? ", " : "", s);
}

static void known_sections(char *buf, size_t bufsz)
{
	size_t i, j;

	buf[0] = '\0';
	for (i = 0; i < N_DEFS; i++) {
		for (j = 0; j < i; j++)
			if (!strcmp(settings_defs[j].section, settings_defs[i].section))
				break;
		if (j == i)
			list_add(buf, bufsz, settings_defs[i].section);
	}
}

static void known_keys(char *buf, size_t bufsz, const char *section)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < N_DEFS; i++)
		if (!strcmp(settings_defs[i].section, section))
			list_add(buf, bufsz, settings_defs[i].key);
}

static int section_known(const char *section)
{
	size_t i;

	for (i = 0; i < N_DEFS; i++)
		if (!strcmp(settings_defs[i].section, section))
			return 1;
	return 0;
}

static int find_def(const char *section, const char *key)
{
	size_t i;

	for (i = 0; i < N_DEFS; i++)
		if (!strcmp(settings_defs[i].section, section) && !strcmp(settings_defs[i].key, key))
			return (int)i;
	return -1;
}

static void def_field(char *buf, size_t bufsz, const struct md_setting_def *d)
{
	snprintf(buf, bufsz, "%s.%s", d->section, d->key);
}

/* ---- values ---------------------------------------------------------------- */

/* Parses a decimal integer with an optional sign; 0 on junk or overflow
 * beyond what any bound could allow. */
static int parse_long(const char *v, long *out)
{
	const char *p = v;
	int neg = 0;
	long n = 0;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!*p)
		return 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		if (n > 100000000L)
			n = 1000000001L; /* out of every range; keep scanning for junk */
		else
			n = n * 10 + (*p - '0');
	}
	*out = neg ? -n : n;
	return 1;
}

/* Validates text for d and stores it in s. On failure fills reason (which
 * becomes err->msg) and returns MD_E_CONFIG. */
static int apply_value(const struct md_setting_def *d, const char *v, struct md_settings *s,
                       struct md_error *reason)
{
	char *dst = (char *)s + d->offset;
	size_t len = strlen(v), i;

	switch (d->type) {
	case MD_SET_INT: {
		long n;
		int iv;
		if (!parse_long(v, &n) || n < d->min || n > d->max)
			return md_error_set(reason, MD_E_CONFIG, NULL,
			                    _("must be a whole number from %ld to %ld"), d->min, d->max);
		if (d->size != sizeof iv)
			return md_error_set(reason, MD_E_CONFIG, NULL, "%s", _("internal error: bad table entry"));
		iv = (int)n;
		memcpy(dst, &iv, sizeof iv);
		break;
	}
	case MD_SET_ENUM: {
		char list[256] = "";
		int idx = -1;
		for (i = 0; d->choices[i]; i++) {
			list_add(list, sizeof list, d->choices[i]);
			if (idx < 0 && !ascii_casecmp(v, d->choices[i]))
				idx = (int)i;
		}
		if (idx < 0)
			return md_error_set(reason, MD_E_CONFIG, NULL, _("must be one of: %s"), list);
		if (d->size != sizeof idx)
			return md_error_set(reason, MD_E_CONFIG, NULL, "%s", _("internal error: bad table entry"));
		memcpy(dst, &idx, sizeof idx);
		break;
	}
	case MD_SET_STRING: {
		const unsigned char *p = (const unsigned char *)v;
		unsigned long cp;
		size_t k;
		if (!utf8_valid(v, len))
			return md_error_set(reason, MD_E_CONFIG, NULL, "%s",
			                    _("is not valid UTF-8 text (save the file as UTF-8, not Shift_JIS)"));
		for (i = 0; i < len; i += k) {
			k = utf8_seq(p + i, len - i, &cp);
			if (is_control(cp))
				return md_error_set(reason, MD_E_CONFIG, NULL, "%s",
				                    _("must not contain control characters such as tabs or escapes"));
		}
		if (len < (size_t)d->min) {
			if (d->min == 1)
				return md_error_set(reason, MD_E_CONFIG, NULL, "%s", _("must not be empty"));
			return md_error_set(reason, MD_E_CONFIG, NULL,
			                    _("must be at least %ld bytes long"), d->min);
		}
		/* The extra rule first: it says best what a bad value should
		 * look like (check functions accept any length). */
		if (d->check && d->check(v, reason) != MD_OK) {
			reason->code = MD_E_CONFIG;
			return MD_E_CONFIG;
		}
		if (len > (size_t)d->max || len >= d->size)
			return md_error_set(reason, MD_E_CONFIG, NULL,
			                    _("is too long (%zu bytes); at most %ld bytes are allowed, and a kanji takes 3"),
			                    len, d->max);
		memset(dst, 0, d->size);
		memcpy(dst, v, len);
		break;
	}
	}
	return MD_OK;
}

void md_settings_defaults(struct md_settings *s)
{
	struct md_error reason;
	size_t i;

	memset(s, 0, sizeof *s);
	for (i = 0; i < N_DEFS; i++)
		(void)apply_value(&settings_defs[i], settings_defs[i].def, s, &reason);
	/* Every default passes its own rules; the unit tests make sure. */
}

/* ---- the scanner ----------------------------------------------------------- */

struct scan {
	long line[N_DEFS];   /* line where each table entry is set, 0 if absent */
	int order[N_DEFS];   /* table indexes in the order of the file */
	int n;
};

static char *strip(char *p, size_t *len)
{
	size_t n = *len;

	while (n && is_space((unsigned char)*p)) {
		p++;
		n--;
	}
	while (n && is_space((unsigned char)p[n - 1]))
		n--;
	p[n] = '\0';
	*len = n;
	return p;
}

static void lower_ascii(char *p)
{
	for (; *p; p++)
		*p = (char)ascii_lower((unsigned char)*p);
}

/* Checks the value part of a key = value line (v, after the '='). */
static int scan_value(const char *path, long lineno, const char *section, const char *key,
                      const char *v, struct md_error *err)
{
	char field[128];
	const char *close;
	char q;

	while (is_space((unsigned char)*v))
		v++;
	if (*v != '"' && *v != '\'')
		return MD_OK;
	snprintf(field, sizeof field, "%s.%s", section, key);
	q = *v;
	close = strchr(v + 1, q);
	if (!close)
		return md_error_setl(err, MD_E_CONFIG, field, lineno,
		                     _("%s, line %ld: [%s] %s: the quoted value is not closed with %c"),
		                     path, lineno, section, key, q);
	for (close++; is_space((unsigned char)*close); close++)
		;
	if (*close && *close != ';' && *close != '#')
		return md_error_setl(err, MD_E_CONFIG, field, lineno,
		                     _("%s, line %ld: [%s] %s: unexpected text after the closing quote; only a comment starting with ; or # may follow"),
		                     path, lineno, section, key);
	return MD_OK;
}

/* Reads path line by line; fills sc with where each known key is set, or
 * err with the first problem. */
static int scan_file(const char *path, struct scan *sc, struct md_error *err)
{
	char section[64] = "", shown[SHOW_VALUE_MAX + 8], list[512], field[128];
	char *buf = NULL, *p, *eq, *key;
	size_t cap = 0, n, klen;
	ssize_t got;
	long lineno = 0;
	int have_section = 0, rc = MD_OK, idx;
	FILE *f;

	memset(sc, 0, sizeof *sc);
	f = fopen(path, "r");
	if (!f)
		return md_error_set(err, MD_E_CONFIG, NULL, _("%s: cannot read the configuration file: %s"),
		                    path, strerror(errno));

	while ((got = getline(&buf, &cap, f)) != -1) {
		lineno++;
		n = (size_t)got;
		if (n && buf[n - 1] == '\n')
			n--;
		if (memchr(buf, '\0', n)) {
			rc = md_error_setl(err, MD_E_CONFIG, NULL, lineno,
			                   _("%s, line %ld: the line contains a NUL byte; is this a text file?"),
			                   path, lineno);
			goto out;
		}
		if (n > INI_LINE_MAX) {
			rc = md_error_setl(err, MD_E_CONFIG, NULL, lineno,
			                   _("%s, line %ld: the line is longer than %d bytes"),
			                   path, lineno, INI_LINE_MAX);
			goto out;
		}
		if (lineno == 1 && n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
			rc = md_error_setl(err, MD_E_CONFIG, NULL, lineno,
			                   _("%s, line %ld: the file starts with a byte order mark (BOM); save it as UTF-8 without BOM"),
			                   path, lineno);
			goto out;
		}
		if (!utf8_valid(buf, n)) {
			rc = md_error_setl(err, MD_E_CONFIG, NULL, lineno,
			                   _("%s, line %ld: the text is not valid UTF-8 (save the file as UTF-8, not Shift_JIS)"),
			                   path, lineno);
			goto out;
		}
		p = strip(buf, &n);
		if (n && p[n - 1] == '\\') {
			/* iniparser would join this line with the next one, even
			 * in a comment. */
			rc = md_error_setl(err, MD_E_CONFIG, NULL, lineno,
			                   _("%s, line %ld: the line ends with a backslash (\\); continuation lines are not allowed"),
			                   path, lineno);
			goto out;
		}
		if (!n || *p == '#' || *p == ';')
			continue;

		if (*p == '[') {
			char *end = strchr(p, ']');
			size_t slen;
			if (!end || end != p + n - 1) {
				rc = md_error_setl(err, MD_E_CONFIG, NULL, lineno,
				                   _("%s, line %ld: syntax error: a section header must be written as [name] alone on its line"),
				                   path, lineno);
				goto out;
			}
			slen = (size_t)(end - p - 1);
			p = strip(p + 1, &slen);
			lower_ascii(p);
			if (!section_known(p)) {
				show_value(shown, sizeof shown, p);
				known_sections(list, sizeof list);
				rc = md_error_setl(err, MD_E_CONFIG, shown, lineno,
				                   _("%s, line %ld: unknown section [%s]; the sections are: %s"),
				                   path, lineno, shown, list);
				goto out;
			}
			snprintf(section, sizeof section, "%s", p);
			have_section = 1;
			continue;
		}

		eq = strchr(p, '=');
		if (!eq) {
			rc = md_error_setl(err, MD_E_CONFIG, NULL, lineno,
			                   _("%s, line %ld: syntax error: expected key = value, a [section] header, or a comment starting with ; or #"),
			                   path, lineno);
			goto out;
		}
		klen = (size_t)(eq - p);
		key = strip(p, &klen);   /* writes a NUL at or before eq */
		if (!klen) {
			rc = md_error_setl(err, MD_E_CONFIG, NULL, lineno,
			                   _("%s, line %ld: syntax error: a key is missing before ="),
			                   path, lineno);
			goto out;
		}
		lower_ascii(key);
		show_value(shown, sizeof shown, key);
		if (!have_section) {
			rc = md_error_setl(err, MD_E_CONFIG, shown, lineno,
			                   _("%s, line %ld: key \"%s\" comes before any [section] header"),
			                   path, lineno, shown);
			goto out;
		}
		idx = find_def(section, key);
		if (idx < 0) {
			snprintf(field, sizeof field, "%s.%s", section, shown);
			known_keys(list, sizeof list, section);
			rc = md_error_setl(err, MD_E_CONFIG, field, lineno,
			                   _("%s, line %ld: [%s] unknown key \"%s\"; the keys in [%s] are: %s"),
			                   path, lineno, section, shown, section, list);
			goto out;
		}
		if (sc->line[idx]) {
			def_field(field, sizeof field, &settings_defs[idx]);
			rc = md_error_setl(err, MD_E_CONFIG, field, lineno,
			                   _("%s, line %ld: [%s] %s is set twice (first on line %ld); keep only one"),
			                   path, lineno, section, key, sc->line[idx]);
			goto out;
		}
		rc = scan_value(path, lineno, section, key, eq + 1, err);
		if (rc != MD_OK)
			goto out;
		sc->line[idx] = lineno;
		sc->order[sc->n++] = idx;
	}
	if (ferror(f))
		rc = md_error_set(err, MD_E_CONFIG, NULL, _("%s: cannot read the configuration file: %s"),
		                  path, strerror(errno));
out:
	free(buf);
	fclose(f);
	return rc;
}

/* ---- loading ------------------------------------------------------------------ */

/* iniparser prints its messages to stderr unless told otherwise; the core
 * reports through struct md_error instead. */
static int quiet_errback(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

int md_settings_load_file(struct md_settings *s, const char *path, struct md_error *err)
{
	struct md_settings tmp;
	struct md_error reason;
	struct scan sc;
	struct stat st;
	dictionary *d;
	char field[128], shown[SHOW_VALUE_MAX + 8], ikey[160];
	const struct md_setting_def *def;
	const char *v;
	int i, rc = MD_OK;

	md_error_clear(err);
	if (!path || !*path)
		return md_error_set(err, MD_E_CONFIG, NULL, "%s", _("no configuration file name given"));
	if (strlen(path) >= sizeof s->source)
		return md_error_set(err, MD_E_CONFIG, NULL, _("%.64s...: the configuration file name is too long"),
		                    path);
	if (stat(path, &st) != 0)
		return md_error_set(err, MD_E_CONFIG, NULL, _("%s: cannot read the configuration file: %s"),
		                    path, strerror(errno));
	/* The file is read twice (scanner, iniparser): it must be a plain file. */
	if (!S_ISREG(st.st_mode))
		return md_error_set(err, MD_E_CONFIG, NULL, _("%s: the configuration file is not a regular file"),
		                    path);

	rc = scan_file(path, &sc, err);
	if (rc != MD_OK)
		return rc;

	iniparser_set_error_callback(quiet_errback);
	d = iniparser_load(path);
	if (!d)
		return md_error_set(err, MD_E_CONFIG, NULL, _("%s: the configuration file could not be parsed"),
		                    path);

	md_settings_defaults(&tmp);
	for (i = 0; i < sc.n; i++) {
		def = &settings_defs[sc.order[i]];
		def_field(field, sizeof field, def);
		snprintf(ikey, sizeof ikey, "%s:%s", def->section, def->key);
		v = iniparser_getstring(d, ikey, NULL);
		if (!v) {
			rc = md_error_setl(err, MD_E_CONFIG, field, sc.line[sc.order[i]],
			                   _("%s, line %ld: [%s] %s could not be read"),
			                   path, sc.line[sc.order[i]], def->section, def->key);
			break;
		}
		md_error_clear(&reason);
		if (apply_value(def, v, &tmp, &reason) != MD_OK) {
			show_value(shown, sizeof shown, v);
			/* TRANSLATORS: file, line, section, key, the value as written,
			 * and what is wrong with it (e.g. "must be one of: auto, ja, en"). */
			rc = md_error_setl(err, MD_E_CONFIG, field, sc.line[sc.order[i]],
			                   _("%s, line %ld: [%s] %s = \"%s\": %s"),
			                   path, sc.line[sc.order[i]], def->section, def->key, shown,
			                   reason.msg);
			break;
		}
	}
	iniparser_freedict(d);
	if (rc != MD_OK)
		return rc;

	snprintf(tmp.source, sizeof tmp.source, "%s", path);
	*s = tmp;
	return MD_OK;
}

static int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* $XDG_CONFIG_HOME/madoguchi/madoguchi.ini, or ~/.config/...; NULL when
 * neither variable gives an absolute directory. Allocated. */
static char *user_config_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	/* The XDG spec: a relative path in the variable is to be ignored. */
	if (xdg && xdg[0] == '/')
		return xasprintf("%s/madoguchi/madoguchi.ini", xdg);
	if (home && home[0] == '/')
		return xasprintf("%s/.config/madoguchi/madoguchi.ini", home);
	return NULL;
}

int md_settings_load(struct md_settings *s, const char *explicit_path, struct md_error *err)
{
	const char *system_paths[] = { SYSCONFDIR "/madoguchi/madoguchi.ini",
	                               "/etc/madoguchi/madoguchi.ini" };
	char *user;
	size_t i;
	int rc;

	md_error_clear(err);
	if (explicit_path && *explicit_path) {
		if (!file_exists(explicit_path))
			return md_error_set(err, MD_E_CONFIG, NULL,
			                    _("%s: cannot open the configuration file given: %s"),
			                    explicit_path, strerror(errno));
		return md_settings_load_file(s, explicit_path, err);
	}
	user = user_config_path();
	if (user && file_exists(user)) {
		rc = md_settings_load_file(s, user, err);
		free(user);
		return rc;
	}
	free(user);
	for (i = 0; i < sizeof system_paths / sizeof system_paths[0]; i++)
		if (file_exists(system_paths[i]))
			return md_settings_load_file(s, system_paths[i], err);
	md_settings_defaults(s);
	return MD_OK;
}

/* ---- dump ----------------------------------------------------------------------- */

char *md_settings_dump(const struct md_settings *s)
{
	const char *base = (const char *)s;
	char *out = NULL, *line;
	size_t len = 0, n, i;
	int iv;

	out = xstrdup("");
	for (i = 0; i < N_DEFS; i++) {
		const struct md_setting_def *d = &settings_defs[i];
		const char *p = base + d->offset;
		switch (d->type) {
		case MD_SET_STRING:
			line = xasprintf("%s.%s=%.*s\n", d->section, d->key, (int)strnlen(p, d->size), p);
			break;
		case MD_SET_INT:
			memcpy(&iv, p, sizeof iv);
			line = xasprintf("%s.%s=%d\n", d->section, d->key, iv);
			break;
		case MD_SET_ENUM:
		default: {
			size_t nchoices = 0;
			memcpy(&iv, p, sizeof iv);
			while (d->choices[nchoices])
				nchoices++;
			if (iv >= 0 && (size_t)iv < nchoices)
				line = xasprintf("%s.%s=%s\n", d->section, d->key, d->choices[iv]);
			else
				line = xasprintf("%s.%s=%d\n", d->section, d->key, iv);
			break;
		}
		}
		n = strlen(line);
		out = xrealloc(out, len + n + 1);
		memcpy(out + len, line, n + 1);
		len += n;
		free(line);
	}
	return out;
}
