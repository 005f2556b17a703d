/* lang.h: choosing the UI language and checking the locale. */
#ifndef MD_LANG_H
#define MD_LANG_H

#include "settings.h"

/* setlocale(LC_ALL, "") and bind the message catalog. Call first. */
void lang_init(void);
/* Applies [ui] language: ja or en override the locale; auto follows it. */
void lang_apply(enum md_lang lang);
/* 1 when LC_CTYPE is UTF-8. */
int lang_locale_is_utf8(void);
/* 1 when messages are shown in Japanese. */
int lang_is_japanese(void);

#endif
