/* text.h: text as the registry stores it: valid UTF-8 in Unicode
 * Normalization Form C (a kana with a separate voiced mark, as some input
 * methods and copied text deliver it, is composed into one character). */
#ifndef MD_TEXT_H
#define MD_TEXT_H

/* An allocated NFC copy of s, or NULL when s is not valid UTF-8. */
char *md_text_nfc(const char *s);

#endif
