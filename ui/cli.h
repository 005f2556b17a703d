/* cli.h: the command line front end: `madoguchi SUBCOMMAND ...` runs one
 * entry of the core's command table and prints its result. */
#ifndef MD_CLI_H
#define MD_CLI_H

#include "settings.h"

struct cli_opts {
	const char *db;        /* --db */
	const char *config;    /* --config */
	const char *user;      /* --user */
	int training;          /* --training */
};

/* Exit statuses, documented in madoguchi(1). */
enum {
	CLI_OK = 0,
	CLI_FAIL = 1,      /* the command failed (invalid input, broken chain...) */
	CLI_USAGE = 2,     /* bad command line or configuration */
	CLI_DENIED = 3,    /* permission refused */
	CLI_AUTH = 4,      /* login failed, account locked or password expired */
};

/* Runs argv (the words after the global options). */
int cli_run(const struct cli_opts *o, const struct md_settings *cfg, int argc, char **argv);
/* Prints the usage text for the command table. */
void cli_usage(FILE *f);
/* Maps a core status to an exit status. */
int cli_exit_code(int md_status);

#endif
