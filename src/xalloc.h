/* xalloc.h: allocation wrappers; the only functions in the core that may abort. */
#ifndef MD_XALLOC_H
#define MD_XALLOC_H

#include <stddef.h>

/* Called before abort() on allocation failure; the front end sets it to endwin(). */
void md_set_fatal_hook(void (*hook)(void));
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Overwrites then frees a string holding a secret. */
void md_free_secret(char **s);

#endif
