/* cmd.h: the command table, the one API of the core (tmux's cmd_entry).
 * The screens, the command line and the tests all run actions through
 * md_cmd_exec(), which checks the permission (and logs a refusal) once. */
#ifndef MD_CMD_H
#define MD_CMD_H

#include "error.h"
#include "result.h"

struct md_ctx;

/* A change of a whole household travels as "p2.surname"-style keys. */
#define MD_ARGS_MAX 640

struct md_args {
	int n;
	const char *key[MD_ARGS_MAX];
	const char *val[MD_ARGS_MAX];
};

void md_args_init(struct md_args *a);
/* Sets or replaces; the strings are borrowed, not copied. Returns -1 when full. */
int md_args_set(struct md_args *a, const char *key, const char *val);
const char *md_args_get(const struct md_args *a, const char *key);
/* A positive whole number (宛名番号, change or transaction number). Missing:
 * 0, and an error only when required; not a number: 0 and an error. label
 * names it in messages (NULL: the key). */
long long md_args_number(const struct md_args *a, const char *key, const char *label, int required,
                         struct md_error *err);

enum md_arg_kind {
	MD_ARG_POS,         /* positional, in table order */
	MD_ARG_OPT,         /* --name VALUE */
	MD_ARG_FLAG,        /* --name, value "1" */
	MD_ARG_SECRET,      /* asked for, never on the command line */
	MD_ARG_NEW_SECRET,  /* asked for twice, must match */
};

struct md_arg_spec {
	const char *name;
	enum md_arg_kind kind;
	int required;
	const char *help;   /* N_(): also the prompt for secrets */
};

enum md_cmd_flags {
	MD_CMD_NODB = 1 << 0,      /* runs without an open database (creates one) */
	MD_CMD_NOLOGIN = 1 << 1,   /* needs a database but no session */
	MD_CMD_EXPIRED_OK = 1 << 2,/* allowed while the password must be changed */
	MD_CMD_LOCKED_OK = 1 << 3, /* allowed while the screen is locked */
	MD_CMD_TRAINING = 1 << 4,  /* for a training database: --training implied */
	MD_CMD_HIDDEN = 1 << 5,    /* not on the command line (screen-only) */
	MD_CMD_FREEARGS = 1 << 6,  /* takes key=value items besides its table (a change's pN.items) */
};

typedef int (*md_cmd_fn)(struct md_ctx *ctx, const struct md_args *args,
                         struct md_result *res, struct md_error *err);

struct md_cmd_entry {
	const char *name;          /* "user.add" */
	const char *cli;           /* "user add", or NULL when screen-only */
	const char *permission;    /* NULL: any logged-in user; "a|b": any one of them */
	unsigned flags;
	const struct md_arg_spec *args; /* terminated by a NULL name */
	md_cmd_fn fn;
	const char *help;          /* N_() one line */
};

/* The whole table, NULL-name terminated. */
const struct md_cmd_entry *md_cmd_table(void);
const struct md_cmd_entry *md_cmd_find(const char *name);
/* Finds by command-line words: {"user","add"} -> user.add; *used = words taken. */
const struct md_cmd_entry *md_cmd_find_cli(int argc, char *const *argv, int *used);

/* 1 when the current session may run the command (no logging: for menus). */
int md_cmd_allowed(struct md_ctx *ctx, const char *name);
/* Checks the session and permission, logs a refusal, runs the handler. */
int md_cmd_exec(struct md_ctx *ctx, const char *name, const struct md_args *args,
                struct md_result *res, struct md_error *err);

#endif
