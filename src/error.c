/* error.c: filling struct md_error. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

void md_error_clear(struct md_error *e)
{
	if (!e)
		return;
	e->code = MD_OK;
	e->field[0] = '\0';
	e->line = 0;
	e->msg[0] = '\0';
}

static int error_vset(struct md_error *e, int code, const char *field, long line,
                      const char *fmt, va_list ap)
{
	if (!e)
		return code;
	e->code = code;
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	e->line = line;
	if (vsnprintf(e->msg, sizeof e->msg, fmt, ap) >= (int)sizeof e->msg) {
		/* Cut: never in the middle of a UTF-8 character. */
		size_t n = strlen(e->msg);
		while (n > 0 && ((unsigned char)e->msg[n - 1] & 0xC0) == 0x80)
			n--;
		if (n > 0 && ((unsigned char)e->msg[n - 1] & 0xC0) == 0xC0)
			n--;
		e->msg[n] = '\0';
	}
	return code;
}

int md_error_set(struct md_error *e, int code, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(e, code, field, 0, fmt, ap);
	va_end(ap);
	return code;
}

int md_error_setl(struct md_error *e, int code, const char *field, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(e, code, field, line, fmt, ap);
	va_end(ap);
	return code;
}
