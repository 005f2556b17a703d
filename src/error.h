/* error.h: status codes and the error struct every core function fills. */
#ifndef MD_ERROR_H
#define MD_ERROR_H

enum md_status {
	MD_OK = 0,
	MD_E_INVALID = 1,   /* bad input; field names it */
	MD_E_NOTFOUND,      /* no such record, user, file */
	MD_E_DENIED,        /* permission refused (logged) */
	MD_E_AUTH,          /* wrong user or password */
	MD_E_LOCKED,        /* account locked out */
	MD_E_EXPIRED,       /* password expired or must be changed */
	MD_E_DISABLED,      /* account disabled or outside its dates */
	MD_E_DB,            /* storage failure */
	MD_E_SCHEMA,        /* database from a newer version, or not ours */
	MD_E_KEY,           /* key file missing, unreadable or wrong */
	MD_E_MODE,          /* training/production mismatch */
	MD_E_IO,            /* file system */
	MD_E_CONFLICT,      /* already exists, busy, locked by another */
	MD_E_CONFIG,        /* configuration file error */
	MD_E_TAMPER,        /* audit chain broken */
};

struct md_error {
	int code;
	char field[64];  /* the field or config key concerned, or "" */
	long line;       /* the input line concerned, or 0 */
	char msg[512];   /* translated, human readable */
};

void md_error_clear(struct md_error *e);
/* Sets code, field and message; returns code so callers can `return md_error_set(...)`. */
int md_error_set(struct md_error *e, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int md_error_setl(struct md_error *e, int code, const char *field, long line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif
