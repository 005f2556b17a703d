/* main.c: madoguchi's entry point: global options, configuration, language,
 * then either one command (cli.c) or the full-screen program (tui.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ctx.h"
#include "i18n.h"
#include "lang.h"
#include "settings.h"
#include "tui.h"

static int take_value(int *i, int argc, char **argv, const char **out)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, _("madoguchi: %s needs a value\n"), argv[*i]);
		return -1;
	}
	*out = argv[++*i];
	return 0;
}

int main(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct md_settings cfg;
	struct md_error err;
	char **rest = calloc((size_t)argc + 1, sizeof *rest);
	int nrest = 0, rc;

	lang_init();
	if (!rest)
		return CLI_FAIL;
	/* Global options may stand anywhere; the other words belong to the command. */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--db") == 0) {
			if (take_value(&i, argc, argv, &o.db))
				return CLI_USAGE;
		} else if (strcmp(a, "--config") == 0) {
			if (take_value(&i, argc, argv, &o.config))
				return CLI_USAGE;
		} else if (strcmp(a, "--user") == 0) {
			if (take_value(&i, argc, argv, &o.user))
				return CLI_USAGE;
		} else if (strcmp(a, "--training") == 0) {
			o.training = 1;
		} else if (strcmp(a, "--version") == 0 && nrest == 0) {
			printf("madoguchi %s\n", PACKAGE_VERSION);
			free(rest);
			return CLI_OK;
		} else if ((strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) && nrest == 0) {
			cli_usage(stdout);
			free(rest);
			return CLI_OK;
		} else if (a[0] == '-' && nrest == 0) {
			fprintf(stderr, _("madoguchi: unknown option %s (see madoguchi --help)\n"), a);
			free(rest);
			return CLI_USAGE;
		} else {
			rest[nrest++] = argv[i];
		}
	}

	if (md_settings_load(&cfg, o.config, &err) != MD_OK) {
		fprintf(stderr, "madoguchi: %s\n", err.msg);
		free(rest);
		return CLI_USAGE;
	}
	lang_apply(cfg.language);

	if (nrest > 0) {
		rc = cli_run(&o, &cfg, nrest, rest);
		free(rest);
		return rc;
	}
	free(rest);

	/* The full-screen program. */
	if (!lang_locale_is_utf8()) {
		fprintf(stderr, "%s", _("madoguchi: the terminal's locale is not UTF-8; set LANG to a UTF-8 "
		                        "locale such as ja_JP.UTF-8 or C.UTF-8\n"));
		return CLI_USAGE;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "%s", _("madoguchi: the full-screen program needs a terminal\n"));
		return CLI_USAGE;
	}
	{
		struct md_ctx *ctx = NULL;
		const char *db = o.db && *o.db ? o.db : cfg.db_path;
		rc = md_ctx_open(&ctx, &cfg, db, NULL, o.training ? MD_DB_TRAINING : MD_DB_PRODUCTION, &err);
		if (rc != MD_OK) {
			fprintf(stderr, "madoguchi: %s\n", err.msg);
			return cli_exit_code(rc);
		}
		rc = tui_run(ctx);
		md_ctx_free(&ctx);
		if (rc != 0) {
			fprintf(stderr, "%s", _("madoguchi: cannot start the terminal (check TERM)\n"));
			return CLI_FAIL;
		}
	}
	return CLI_OK;
}
