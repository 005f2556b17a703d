/* xalloc.c: allocation that never returns NULL; failure is fatal. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "xalloc.h"

static void (*fatal_hook)(void);

void md_set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

static void out_of_memory(void)
{
	static const char msg[] = "madoguchi: out of memory\n";
	if (fatal_hook)
		fatal_hook();
	/* The one place the core writes to a stream: it is about to abort. */
	fwrite(msg, 1, sizeof msg - 1, stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		out_of_memory();
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		out_of_memory();
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void md_free_secret(char **s)
{
	if (!s || !*s)
		return;
	sodium_memzero(*s, strlen(*s));
	free(*s);
	*s = NULL;
}
