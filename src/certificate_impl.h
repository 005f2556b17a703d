/* certificate_impl.h: helpers shared by certrules.c and certificate.c only. */
#ifndef MD_CERTIFICATE_IMPL_H
#define MD_CERTIFICATE_IMPL_H

/* Calls fn for each comma-separated word of list (spaces trimmed); stops at
 * the first non-zero return and returns it. */
int md_cert_each_word(const char *list, int (*fn)(const char *word, void *arg), void *arg);
/* The Japanese term of an applicant category code (本人, 第三者 ...). */
const char *md_cert_category_term(const char *category);
/* The label of a 記載事項証明書 item word (住所, 生年月日 ...), or NULL. */
const char *md_cert_kisai_label(const char *word);

#endif
