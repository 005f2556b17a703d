/* fuzz_settings.c: libFuzzer target for the configuration loader.
 *
 * Build:  clang -fsanitize=fuzzer,address,undefined -Isrc ... \
 *           tests/fuzz/fuzz_settings.c src/settings.c src/error.c src/xalloc.c \
 *           -liniparser -lsodium
 * Run:    ./fuzz_settings tests/fuzz/corpus/settings
 *
 * The loader reads files, so each input is written to one temporary file
 * (created once, rewritten every time) and loaded from there. Beyond "no
 * crash", it checks that a failure is a configuration error with a message
 * free of control characters (the message repeats parts of the input, and
 * the front end shows it on a terminal). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char tmp_path[4096];

static void remove_tmp(void)
{
	if (tmp_path[0])
		unlink(tmp_path);
}

static const char *tmp_file(void)
{
	const char *base;
	int fd;

	if (tmp_path[0])
		return tmp_path;
	base = getenv("TMPDIR");
	snprintf(tmp_path, sizeof tmp_path, "%s/fuzz_settings.XXXXXX.ini",
	         base && *base ? base : "/tmp");
	fd = mkstemps(tmp_path, 4);
	if (fd < 0)
		abort();
	close(fd);
	atexit(remove_tmp);
	return tmp_path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = tmp_file();
	struct md_settings s;
	struct md_error err;
	const char *p;
	char *dump;
	FILE *f;
	int rc;

	f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);

	md_settings_defaults(&s);
	rc = md_settings_load_file(&s, path, &err);
	if (rc == MD_OK) {
		if (strcmp(s.source, path) != 0 || err.code != MD_OK)
			abort();
		dump = md_settings_dump(&s);
		if (!dump || !*dump)
			abort();
		free(dump);
	} else {
		if (rc != MD_E_CONFIG || err.code != MD_E_CONFIG || !err.msg[0])
			abort();
		for (p = err.msg; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				abort();
	}
	return 0;
}
