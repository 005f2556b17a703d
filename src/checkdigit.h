/* checkdigit.h: 個人番号 (My Number) and 住民票コード, numbers with a check
 * digit (registry.md §3).
 *
 * Input as typed is normalised first: full-width digits become ASCII, and
 * spaces (ASCII, tab, full-width) and hyphens (- and the dash-like ‐ ‑ ‒ – —
 * ― − ー －) are removed. A number that fails is never to be stored; the
 * message names the position of the wrong character only when that is
 * certain (a non-digit, counted among the characters left after spaces and
 * hyphens are removed), gives the length when it is wrong, and otherwise
 * says only "check digit does not match". */
#ifndef MD_CHECKDIGIT_H
#define MD_CHECKDIGIT_H

#include <stddef.h>

struct md_error;

/* A 12-digit My Number: on success out holds the 12 ASCII digits and a
 * NUL. On failure MD_E_INVALID, field "my_number"; out is "". */
int md_mynumber_check(const char *input, char out[13], struct md_error *err);
/* The check digit (0..9) of the first 11 digits; -1 if one is not a digit.
 * Weights left to right 6,5,4,3,2,7,6,5,4,3,2; r = sum mod 11; 0 when
 * r <= 1, else 11 - r. */
int md_mynumber_check_digit(const char first11[11]);
/* "**** **** 9018": only the last four digits shown. Returns buf (needs 15
 * bytes; truncated, always terminated, if smaller). */
char *md_mynumber_mask(const char digits[12], char *buf, size_t n);

/* An 11-digit 住民票コード: on success out holds the 11 ASCII digits and a
 * NUL. On failure MD_E_INVALID, field "juminhyo_code"; out is "". */
int md_juminhyo_code_check(const char *input, char out[12], struct md_error *err);
/* The check digit of the first 10 digits; -1 if one is not a digit. No
 * public formula exists: the same modulus-11 scheme is assumed (weights
 * left to right 5,4,3,2,7,6,5,4,3,2). Replace this one function if the real
 * one becomes known. */
int md_juminhyo_code_check_digit(const char first10[10]);

#endif
