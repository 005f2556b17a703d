/* text.c: NFC normalisation with libunistring. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistr.h>
#include <uninorm.h>

#include "text.h"
#include "xalloc.h"

char *md_text_nfc(const char *s)
{
	size_t len = 0, n = s ? strlen(s) : 0;
	uint8_t *out;
	char *res;

	if (!s)
		return NULL;
	if (u8_check((const uint8_t *)s, n) != NULL)
		return NULL;
	out = u8_normalize(UNINORM_NFC, (const uint8_t *)s, n, NULL, &len);
	if (!out)
		return xstrdup(s);   /* out of memory inside libunistring: keep the text */
	res = xmalloc(len + 1);
	memcpy(res, out, len);
	res[len] = '\0';
	free(out);
	return res;
}
