/* cli.c: `madoguchi SUBCOMMAND`: parses the words against the command's
 * argument specification, reads secrets from the terminal (echo off) or one
 * line each from standard input, logs in like the screen does, and runs the
 * command through md_cmd_exec(). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "ctx.h"
#include "i18n.h"
#include "textwidth.h"
#include "xalloc.h"

#define MAX_SECRETS 4

int cli_exit_code(int st)
{
	switch (st) {
	case MD_OK:
		return CLI_OK;
	case MD_E_DENIED:
		return CLI_DENIED;
	case MD_E_AUTH:
	case MD_E_LOCKED:
	case MD_E_EXPIRED:
	case MD_E_DISABLED:
		return CLI_AUTH;
	case MD_E_CONFIG:
		return CLI_USAGE;
	default:
		return CLI_FAIL;
	}
}

static void upper(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s, f);
}

static void cmd_synopsis(FILE *f, const struct md_cmd_entry *e)
{
	fprintf(f, "  madoguchi %s", e->cli);
	for (const struct md_arg_spec *a = e->args; a && a->name; a++) {
		switch (a->kind) {
		case MD_ARG_POS:
			fputc(' ', f);
			upper(f, a->name);
			break;
		case MD_ARG_OPT:
			fprintf(f, a->required ? " --%s " : " [--%s ", a->name);
			upper(f, a->name);
			if (!a->required)
				fputc(']', f);
			break;
		case MD_ARG_FLAG:
			fprintf(f, " [--%s]", a->name);
			break;
		default:
			break;
		}
	}
	fprintf(f, "\n      %s\n", _(e->help));
}

void cli_usage(FILE *f)
{
	fprintf(f, "%s", _("Usage: madoguchi [--db PATH] [--config PATH] [--training] [--user ID] [COMMAND ...]\n"
	                   "With no command, the full-screen program starts.\n\nCommands:\n"));
	for (const struct md_cmd_entry *e = md_cmd_table(); e->name; e++)
		if (e->cli && !(e->flags & MD_CMD_HIDDEN))
			cmd_synopsis(f, e);
	fprintf(f, "%s", _("\nOptions:\n"
	                   "  --db PATH       database (default: [database] path in the configuration)\n"
	                   "  --config PATH   configuration file\n"
	                   "  --training      open a training database\n"
	                   "  --user ID       your user ID (default: $USER)\n"
	                   "  --help, --version\n"
	                   "Passwords are read from the terminal, or one line each from standard input.\n"));
}

/* ---- secrets ---------------------------------------------------------- */

static char *read_line(FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, in);
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

/* From the terminal with echo off, or a line from stdin when it is not one. */
static char *read_secret(const char *prompt)
{
	struct termios old, quiet;
	char *line;
	FILE *tty;

	if (!isatty(STDIN_FILENO))
		return read_line(stdin);
	tty = fopen("/dev/tty", "r+");
	if (!tty)
		return read_line(stdin);
	fprintf(tty, "%s: ", prompt);
	fflush(tty);
	tcgetattr(fileno(tty), &old);
	quiet = old;
	quiet.c_lflag &= (tcflag_t)~ECHO;
	tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	line = read_line(tty);
	tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	return line;
}

static int ask_secret(const struct md_arg_spec *a, char **out)
{
	char *first = read_secret(_(a->help)), *again;
	if (!first) {
		fprintf(stderr, _("madoguchi: no input for \"%s\"\n"), _(a->help));
		return CLI_USAGE;
	}
	if (a->kind == MD_ARG_NEW_SECRET) {
		char *prompt = xasprintf(_("%s (again)"), _(a->help));
		again = read_secret(prompt);
		free(prompt);
		if (!again || strcmp(first, again) != 0) {
			md_free_secret(&first);
			md_free_secret(&again);
			fprintf(stderr, "%s", _("madoguchi: the two passwords do not match; nothing was changed\n"));
			return CLI_FAIL;
		}
		md_free_secret(&again);
	}
	*out = first;
	return CLI_OK;
}

/* ---- argument parsing ----------------------------------------------------- */

static int parse_args(const struct md_cmd_entry *e, int argc, char **argv, struct md_args *args)
{
	const struct md_arg_spec *pos = e->args;

	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];
		if (strncmp(w, "--", 2) == 0 && w[2]) {
			const char *name = w + 2;
			const struct md_arg_spec *a;
			for (a = e->args; a && a->name; a++)
				if ((a->kind == MD_ARG_OPT || a->kind == MD_ARG_FLAG) && strcmp(a->name, name) == 0)
					break;
			if (!a || !a->name) {
				fprintf(stderr, _("madoguchi %s: unknown option --%s\n"), e->cli, name);
				return CLI_USAGE;
			}
			if (a->kind == MD_ARG_FLAG) {
				md_args_set(args, a->name, "1");
			} else {
				if (i + 1 >= argc) {
					fprintf(stderr, _("madoguchi %s: --%s needs a value\n"), e->cli, name);
					return CLI_USAGE;
				}
				md_args_set(args, a->name, argv[++i]);
			}
			continue;
		}
		if ((e->flags & MD_CMD_FREEARGS) && strchr(w, '=') && w[0] != '=') {
			/* key=value: an item of the change (p1.surname=山田). argv is ours to split. */
			char *eq = strchr(argv[i], '=');
			*eq = '\0';
			if (md_args_set(args, argv[i], eq + 1) != 0) {
				fprintf(stderr, _("madoguchi %s: too many items\n"), e->cli);
				return CLI_USAGE;
			}
			continue;
		}
		while (pos && pos->name && pos->kind != MD_ARG_POS)
			pos++;
		if (!pos || !pos->name) {
			fprintf(stderr, _("madoguchi %s: unexpected argument \"%s\"\n"), e->cli, w);
			return CLI_USAGE;
		}
		md_args_set(args, pos->name, w);
		pos++;
	}
	for (const struct md_arg_spec *a = e->args; a && a->name; a++) {
		if (a->required && (a->kind == MD_ARG_POS || a->kind == MD_ARG_OPT) && !md_args_get(args, a->name)) {
			fprintf(stderr, _("madoguchi %s: %s is missing (%s)\n"), e->cli,
			        a->kind == MD_ARG_OPT ? a->name : a->name, _(a->help));
			cmd_synopsis(stderr, e);
			return CLI_USAGE;
		}
	}
	return CLI_OK;
}

/* ---- output --------------------------------------------------------------- */

static void print_table(FILE *out, const struct md_table *t)
{
	int *w;

	if (t->ncols == 0)
		return;
	w = xcalloc((size_t)t->ncols, sizeof *w);
	for (int c = 0; c < t->ncols; c++) {
		w[c] = tw_width(t->cols[c]);
		for (int r = 0; r < t->nrows; r++) {
			int x = tw_width(t->rows[r][c]);
			if (x > w[c])
				w[c] = x;
		}
	}
	for (int r = -1; r < t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++) {
			const char *cell = r < 0 ? t->cols[c] : t->rows[r][c];
			if (c == t->ncols - 1) {
				fputs(cell, out);
			} else {
				char *p = tw_pad(cell, w[c]);
				fputs(p, out);
				fputs("  ", out);
				free(p);
			}
		}
		fputc('\n', out);
	}
	free(w);
}

static void print_error(const struct md_error *err)
{
	if (err->line > 0)
		fprintf(stderr, "madoguchi: %s (line %ld)\n", err->msg, err->line);
	else
		fprintf(stderr, "madoguchi: %s\n", err->msg);
}

/* ---- running ---------------------------------------------------------------- */

int cli_run(const struct cli_opts *o, const struct md_settings *cfg, int argc, char **argv)
{
	const struct md_cmd_entry *e;
	struct md_ctx *ctx = NULL;
	struct md_args args;
	struct md_result res;
	struct md_error err;
	char *secrets[MAX_SECRETS] = { 0 };
	char *login_pw = NULL;
	const char *db = o->db && *o->db ? o->db : cfg->db_path;
	int nsec = 0, used = 0, rc = CLI_OK, st;

	e = md_cmd_find_cli(argc, argv, &used);
	if (!e) {
		fprintf(stderr, _("madoguchi: unknown command \"%s\" (see madoguchi --help)\n"), argv[0]);
		return CLI_USAGE;
	}
	md_args_init(&args);
	md_result_init(&res);
	md_error_clear(&err);
	if (used < argc && (strcmp(argv[used], "--help") == 0 || strcmp(argv[used], "-h") == 0)) {
		cmd_synopsis(stdout, e);
		return CLI_OK;
	}
	if ((rc = parse_args(e, argc - used, argv + used, &args)) != CLI_OK)
		return rc;
	if ((e->flags & MD_CMD_TRAINING) && (!o->db || !*o->db)) {
		/* Never fall back to the configured (production) path here. */
		fprintf(stderr, "%s", _("madoguchi: give the training database's path with --db PATH\n"));
		return CLI_USAGE;
	}
	md_args_set(&args, "db", db);

	if (e->flags & MD_CMD_NODB) {
		ctx = md_ctx_bare(cfg);
	} else {
		enum md_db_kind kind = o->training || (e->flags & MD_CMD_TRAINING) ? MD_DB_TRAINING
		                                                                  : MD_DB_PRODUCTION;
		st = md_ctx_open(&ctx, cfg, db, NULL, kind, &err);
		if (st != MD_OK) {
			print_error(&err);
			return cli_exit_code(st);
		}
	}

	/* Log in like the screen does. */
	if (!(e->flags & (MD_CMD_NODB | MD_CMD_NOLOGIN))) {
		struct md_args la;
		const char *user = o->user && *o->user ? o->user : getenv("USER");
		char *prompt;

		if (!user || !*user) {
			fprintf(stderr, "%s", _("madoguchi: say who you are with --user ID\n"));
			rc = CLI_USAGE;
			goto out;
		}
		prompt = xasprintf(_("Password for %s"), user);
		{
			struct md_arg_spec ask = { "password", MD_ARG_SECRET, 1, prompt };
			rc = ask_secret(&ask, &login_pw);
		}
		free(prompt);
		if (rc != CLI_OK)
			goto out;
		md_args_init(&la);
		md_args_set(&la, "user", user);
		md_args_set(&la, "password", login_pw);
		st = md_cmd_exec(ctx, "login", &la, &res, &err);
		md_result_release(&res);
		if (st == MD_E_EXPIRED && (e->flags & MD_CMD_EXPIRED_OK)) {
			st = MD_OK;
		}
		if (st != MD_OK) {
			print_error(&err);
			if (st == MD_E_EXPIRED)
				fprintf(stderr, "%s", _("madoguchi: change it first with \"madoguchi passwd\"\n"));
			rc = cli_exit_code(st);
			goto out;
		}
	}

	/* The secrets the command itself needs (not asked for when the command
	 * will be refused anyway). The current password is the one just given to
	 * log in. */
	for (const struct md_arg_spec *a = md_cmd_allowed(ctx, e->name) ? e->args : NULL; a && a->name; a++) {
		if (a->kind != MD_ARG_SECRET && a->kind != MD_ARG_NEW_SECRET)
			continue;
		if (strcmp(a->name, "current") == 0 && login_pw) {
			md_args_set(&args, a->name, login_pw);
			continue;
		}
		if (nsec >= MAX_SECRETS || (rc = ask_secret(a, &secrets[nsec])) != CLI_OK)
			goto out;
		md_args_set(&args, a->name, secrets[nsec++]);
	}

	st = md_cmd_exec(ctx, e->name, &args, &res, &err);
	/* Diagnostic lines go where the outcome goes: stderr on failure. */
	for (int i = 0; i < res.nlines; i++)
		fprintf(st == MD_OK ? stdout : stderr, "%s\n", res.lines[i]);
	if (st != MD_OK) {
		print_error(&err);
		/* A refused change lists every problem, not only the first. */
		if (res.table.nrows > 0) {
			fflush(stdout);
			print_table(stderr, &res.table);
		}
		rc = cli_exit_code(st);
	} else {
		if (res.message)
			printf("%s\n", res.message);
		print_table(stdout, &res.table);
	}
out:
	md_result_release(&res);
	for (int i = 0; i < nsec; i++)
		md_free_secret(&secrets[i]);
	md_free_secret(&login_pw);
	md_ctx_free(&ctx);
	return rc;
}
