/* kana.h: kana and kanji folding for name search (registry.md §6).
 *
 * Search compares normalised keys, computed the same way for the stored
 * name and for the query, so that the index can be used. All functions
 * take and return UTF-8; invalid bytes become U+FFFD. The strings returned
 * are allocated (free them); a NULL input gives NULL. */
#ifndef MD_KANA_H
#define MD_KANA_H

#include <stdbool.h>

/* The 清音化 search key of a kana reading, in this order:
 *  1. hiragana → katakana; half-width katakana → full-width; a voiced or
 *     semi-voiced mark (combining U+3099/U+309A, spacing ゛゜, half-width
 *     ﾞﾟ) joins the kana before it (ｶﾞ = か゛ = ガ; ウ゛ = ヴ), or is
 *     dropped when there is nothing to join;
 *  2. full-width ASCII → ASCII, Latin letters upper-cased;
 *  3. ヴァ ヴィ ヴ ヴェ ヴォ → バ ビ ブ ベ ボ (and ヷ ヸ ヹ ヺ alike);
 *  4. voiced and semi-voiced → plain: ガ → カ, バ パ → ハ, ジ → シ; ヂ and
 *     ヅ, which sound as ジ and ズ, go by sound: ヂ → シ, ヅ → ス (ヂ = ジ,
 *     ヅ = ズ as registry.md has it; so ヂ ≠ チ and ヅ ≠ ツ);
 *  5. small → large (ァィゥェォッャュョヮヵヶ and ㇰ-ㇿ);
 *     ヲ → オ, ヰ → イ, ヱ → エ;
 *  6. long-vowel-like marks (ー ｰ ― ‐ - － − and the other dashes) and all
 *     spaces (ASCII, full-width, tabs) removed, and the katakana middle dot
 *     ・ (the space between the names of a foreign resident) and ゠ (a
 *     hyphen in katakana);
 *  7. ウ after a kana of the お row (オコソトノホモヨロ, after the steps
 *     above) → オ, repeatedly: オウノ = オオノ, トウキョウ = トオキヨオ.
 * Anything else (kanji, other symbols) is kept as it is. Normalising a key
 * again changes nothing. */
char *md_kana_normalize(const char *utf8);

/* True when the text is a reading: katakana, hiragana (full- or half-width),
 * ー, voiced marks, the middle dot ・ and spaces only, with at least one
 * kana. For validating 氏名の振り仮名. */
bool md_kana_is_reading(const char *utf8);

/* The display form of a reading: hiragana and half-width katakana become
 * full-width katakana, marks joined where a precomposed kana exists (ｶﾞ →
 * ガ, か + U+3099 → ガ); nothing else changes. */
char *md_kana_to_katakana(const char *utf8);

/* Kanji variants (異体字) folded to one form for name search (邊 邉 → 辺,
 * 濱 → 浜, 髙 → 高, 﨑 → 崎, ...), 々 written out (佐々木 → 佐佐木),
 * variation selectors and spaces removed. Nothing else changes. */
char *md_kanji_fold(const char *utf8);

#endif
