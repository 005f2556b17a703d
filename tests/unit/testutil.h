/* testutil.h: shared helpers for the cmocka unit tests. */
#ifndef MD_TESTUTIL_H
#define MD_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

/* A fresh temporary directory for one test; removed with tu_rmdir(). */
static inline char *tu_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *p = malloc(4096);
	snprintf(p, 4096, "%s/mdtest.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(p)) {
		free(p);
		return NULL;
	}
	return p;
}

static inline void tu_rmdir(char *dir)
{
	char cmd[4200];
	if (!dir)
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0) { /* best effort */ }
	free(dir);
}

/* Writes text to dir/name and returns the allocated path. */
static inline char *tu_write(const char *dir, const char *name, const char *text)
{
	char *p = malloc(4096);
	FILE *f;
	snprintf(p, 4096, "%s/%s", dir, name);
	f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return p;
}

#endif
