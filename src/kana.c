/* kana.c: kana normalisation and kanji variant folding for name search
 * (registry.md §6). Tables are matching rules, kept here as static arrays. */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kana.h"
#include "xalloc.h"

/* ---- code points --------------------------------------------------------- */

struct cps {
	uint32_t *v;
	size_t n;
};

/* Decodes one UTF-8 character into *cp; returns its length (1 with
 * U+FFFD for an invalid byte). */
static size_t decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf && (s[1] & 0xc0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
		return 2;
	}
	if (s[0] >= 0xe0 && s[0] <= 0xef && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
		if (*cp >= 0x800 && (*cp < 0xd800 || *cp > 0xdfff))
			return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 &&
	    (s[3] & 0xc0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
		      (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
		if (*cp >= 0x10000 && *cp <= 0x10ffff)
			return 4;
	}
	*cp = 0xfffd;
	return 1;
}

static struct cps decode_all(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct cps c;

	c.v = xmalloc((strlen(s) + 1) * sizeof c.v[0]);
	c.n = 0;
	while (*p)
		p += decode(p, &c.v[c.n++]);
	return c;
}

static char *encode_all(const uint32_t *v, size_t n)
{
	char *out = xmalloc(n * 4 + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		uint32_t c = v[i];
		if (c < 0x80) {
			*o++ = (char)c;
		} else if (c < 0x800) {
			*o++ = (char)(0xc0 | c >> 6);
			*o++ = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			*o++ = (char)(0xe0 | c >> 12);
			*o++ = (char)(0x80 | (c >> 6 & 0x3f));
			*o++ = (char)(0x80 | (c & 0x3f));
		} else {
			*o++ = (char)(0xf0 | c >> 18);
			*o++ = (char)(0x80 | (c >> 12 & 0x3f));
			*o++ = (char)(0x80 | (c >> 6 & 0x3f));
			*o++ = (char)(0x80 | (c & 0x3f));
		}
	}
	*o = '\0';
	return out;
}

/* ---- character classes ---------------------------------------------------- */

static bool is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
	       c == 0x3000 || c == 0x00a0;
}

/* ー ｰ and everything that looks like it or like a hyphen: - ‐ ‑ ‒ – — ―
 * − ─ ﹘ ﹣ －. */
static bool is_long_mark(uint32_t c)
{
	return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0x2500 ||
	       c == 0x30fc || c == 0xfe58 || c == 0xfe63 || c == 0xff0d || c == 0xff70;
}

static bool is_hiragana(uint32_t c)
{
	return (c >= 0x3041 && c <= 0x3096) || c == 0x309d || c == 0x309e;
}

static bool is_katakana(uint32_t c)
{
	return (c >= 0x30a1 && c <= 0x30fa) || c == 0x30fd || c == 0x30fe ||
	       (c >= 0x31f0 && c <= 0x31ff);
}

static bool is_halfwidth_kana(uint32_t c)
{
	return c >= 0xff66 && c <= 0xff9d;
}

/* ---- step 1: to full-width katakana, marks joined --------------------- */

/* U+FF61..U+FF9D, half-width forms, to their full-width forms. */
static const uint16_t halfwidth[] = {
	0x3002, 0x300c, 0x300d, 0x3001, 0x30fb,                 /* ｡｢｣､･ */
	0x30f2,                                                 /* ｦ */
	0x30a1, 0x30a3, 0x30a5, 0x30a7, 0x30a9,                 /* ｧｨｩｪｫ */
	0x30e3, 0x30e5, 0x30e7, 0x30c3,                         /* ｬｭｮｯ */
	0x30fc,                                                 /* ｰ */
	0x30a2, 0x30a4, 0x30a6, 0x30a8, 0x30aa,                 /* ｱｲｳｴｵ */
	0x30ab, 0x30ad, 0x30af, 0x30b1, 0x30b3,                 /* ｶｷｸｹｺ */
	0x30b5, 0x30b7, 0x30b9, 0x30bb, 0x30bd,                 /* ｻｼｽｾｿ */
	0x30bf, 0x30c1, 0x30c4, 0x30c6, 0x30c8,                 /* ﾀﾁﾂﾃﾄ */
	0x30ca, 0x30cb, 0x30cc, 0x30cd, 0x30ce,                 /* ﾅﾆﾇﾈﾉ */
	0x30cf, 0x30d2, 0x30d5, 0x30d8, 0x30db,                 /* ﾊﾋﾌﾍﾎ */
	0x30de, 0x30df, 0x30e0, 0x30e1, 0x30e2,                 /* ﾏﾐﾑﾒﾓ */
	0x30e4, 0x30e6, 0x30e8,                                 /* ﾔﾕﾖ */
	0x30e9, 0x30ea, 0x30eb, 0x30ec, 0x30ed,                 /* ﾗﾘﾙﾚﾛ */
	0x30ef, 0x30f3,                                         /* ﾜﾝ */
};

static uint32_t to_katakana(uint32_t c)
{
	if (c >= 0x3041 && c <= 0x3096)     /* ぁ..ゖ */
		return c + 0x60;
	if (c == 0x309d || c == 0x309e)     /* ゝ ゞ */
		return c + 0x60;
	if (c >= 0xff61 && c <= 0xff9d)
		return halfwidth[c - 0xff61];
	return c;
}

enum mark { MARK_NONE, MARK_VOICED, MARK_SEMI };

/* Combining and half-width marks; the spacing ゛゜ too when spacing. */
static enum mark mark_of(uint32_t c, bool spacing)
{
	if (c == 0x3099 || c == 0xff9e || (spacing && c == 0x309b))
		return MARK_VOICED;
	if (c == 0x309a || c == 0xff9f || (spacing && c == 0x309c))
		return MARK_SEMI;
	return MARK_NONE;
}

/* カ キ ク ケ コ サ シ ス セ ソ タ チ ツ テ ト: the voiced kana is the next
 * code point. */
static bool voices_next(uint32_t c)
{
	return (c >= 0x30ab && c <= 0x30c2 && (c - 0x30ab) % 2 == 0) ||
	       c == 0x30c4 || c == 0x30c6 || c == 0x30c8;
}

/* ハ ヒ フ ヘ ホ: voiced +1, semi-voiced +2. */
static bool is_ha_row(uint32_t c)
{
	return c >= 0x30cf && c <= 0x30db && (c - 0x30cf) % 3 == 0;
}

/* The katakana base with the mark joined, or 0 when there is none. */
static uint32_t join_mark(uint32_t base, enum mark m)
{
	if (m == MARK_SEMI)
		return is_ha_row(base) ? base + 2 : 0;
	if (voices_next(base) || is_ha_row(base))
		return base + 1;
	if (base == 0x30a6)                         /* ウ → ヴ */
		return 0x30f4;
	if (base >= 0x30ef && base <= 0x30f2)       /* ワヰヱヲ → ヷヸヹヺ */
		return base + 8;
	if (base == 0x30fd)                         /* ヽ → ヾ */
		return 0x30fe;
	return 0;
}

/* Step 1 over c, in place. For the search key (key true) the spacing ゛゜
 * join too and a mark that joins nothing is dropped; for display a
 * half-width mark that joins nothing becomes the full-width spacing one,
 * and the others stay. */
static void katakana_pass(struct cps *c, bool key)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++) {
		uint32_t ch = c->v[i];
		enum mark m = mark_of(ch, key);

		if (m != MARK_NONE) {
			uint32_t joined = n > 0 ? join_mark(c->v[n - 1], m) : 0;
			if (joined)
				c->v[n - 1] = joined;
			else if (!key)
				c->v[n++] = ch == 0xff9e ? 0x309b : ch == 0xff9f ? 0x309c : ch;
			continue;
		}
		c->v[n++] = to_katakana(ch);
	}
	c->n = n;
}

/* ---- steps 2 to 7: the search key ------------------------------------------ */

/* Voiced and semi-voiced → plain; ヂ → シ and ヅ → ス (by sound). */
static uint32_t unvoice(uint32_t c)
{
	if (c == 0x30c2)                            /* ヂ → シ */
		return 0x30b7;
	if (c == 0x30c5)                            /* ヅ → ス */
		return 0x30b9;
	if (c > 0x30ab && c <= 0x30c9 && voices_next(c - 1))
		return c - 1;
	if (c >= 0x30cf && c <= 0x30dd)
		return 0x30cf + (c - 0x30cf) / 3 * 3;
	if (c == 0x30fe)                            /* ヾ → ヽ */
		return 0x30fd;
	return c;
}

/* Small → large; ヲ ヰ ヱ → オ イ エ. */
static uint32_t enlarge(uint32_t c)
{
	/* ㇰ ㇱ ㇲ ㇳ ㇴ ㇵ ㇶ ㇷ ㇸ ㇹ ㇺ ㇻ ㇼ ㇽ ㇾ ㇿ */
	static const uint16_t ainu[16] = {
		0x30af, 0x30b7, 0x30b9, 0x30c8, 0x30cc, 0x30cf, 0x30d2, 0x30d5,
		0x30d8, 0x30db, 0x30e0, 0x30e9, 0x30ea, 0x30eb, 0x30ec, 0x30ed,
	};

	switch (c) {
	case 0x30a1: case 0x30a3: case 0x30a5: case 0x30a7: case 0x30a9:   /* ァィゥェォ */
	case 0x30c3: case 0x30e3: case 0x30e5: case 0x30e7: case 0x30ee:   /* ッャュョヮ */
		return c + 1;
	case 0x30f5:                                /* ヵ */
		return 0x30ab;
	case 0x30f6:                                /* ヶ */
		return 0x30b1;
	case 0x30f2:                                /* ヲ */
		return 0x30aa;
	case 0x30f0:                                /* ヰ */
		return 0x30a4;
	case 0x30f1:                                /* ヱ */
		return 0x30a8;
	default:
		break;
	}
	if (c >= 0x31f0 && c <= 0x31ff)
		return ainu[c - 0x31f0];
	return c;
}

/* オ コ ソ ト ノ ホ モ ヨ ロ */
static bool is_o_row(uint32_t c)
{
	return c == 0x30aa || c == 0x30b3 || c == 0x30bd || c == 0x30c8 || c == 0x30ce ||
	       c == 0x30db || c == 0x30e2 || c == 0x30e8 || c == 0x30ed;
}

/* ヴ and a following small vowel: ヴァ → バ etc. */
static uint32_t vu(uint32_t next, bool *used_next)
{
	*used_next = true;
	switch (next) {
	case 0x30a1: return 0x30d0;                 /* ヴァ → バ */
	case 0x30a3: return 0x30d3;                 /* ヴィ → ビ */
	case 0x30a7: return 0x30d9;                 /* ヴェ → ベ */
	case 0x30a9: return 0x30dc;                 /* ヴォ → ボ */
	default:
		*used_next = false;
		return 0x30d6;                      /* ヴ → ブ */
	}
}

char *md_kana_normalize(const char *utf8)
{
	struct cps c;
	size_t n = 0;
	char *out;

	if (!utf8)
		return NULL;
	c = decode_all(utf8);
	katakana_pass(&c, true);
	for (size_t i = 0; i < c.n; i++) {
		uint32_t ch = c.v[i];
		bool used_next = false;

		/* 2 */
		if (ch >= 0xff01 && ch <= 0xff5e)
			ch -= 0xfee0;
		if (ch >= 'a' && ch <= 'z')
			ch -= 'a' - 'A';
		/* 3 */
		if (ch == 0x30f4) {
			ch = vu(i + 1 < c.n ? c.v[i + 1] : 0, &used_next);
			if (used_next)
				i++;
		} else if (ch >= 0x30f7 && ch <= 0x30fa) {
			static const uint32_t va[] = { 0x30d0, 0x30d3, 0x30d9, 0x30dc };
			ch = va[ch - 0x30f7];
		}
		/* 4, 5 */
		ch = enlarge(unvoice(ch));
		/* 6: ・ and ゠ go with the spaces and hyphens. */
		if (is_space(ch) || is_long_mark(ch) || ch == 0x30fb || ch == 0x30a0)
			continue;
		/* 7: against what is already written, so ウウ after an お-row kana
		 * both become オ and a second pass finds nothing to change. */
		if (ch == 0x30a6 && n > 0 && is_o_row(c.v[n - 1]))
			ch = 0x30aa;
		c.v[n++] = ch;
	}
	out = encode_all(c.v, n);
	free(c.v);
	return out;
}

char *md_kana_to_katakana(const char *utf8)
{
	struct cps c;
	char *out;

	if (!utf8)
		return NULL;
	c = decode_all(utf8);
	katakana_pass(&c, false);
	out = encode_all(c.v, c.n);
	free(c.v);
	return out;
}

bool md_kana_is_reading(const char *utf8)
{
	const unsigned char *p = (const unsigned char *)utf8;
	bool kana = false;

	if (!utf8)
		return false;
	while (*p) {
		uint32_t c;
		size_t len = decode(p, &c);

		if (c == 0xfffd)
			return false;
		p += len;
		if (is_hiragana(c) || is_katakana(c) || is_halfwidth_kana(c)) {
			if (c != 0x309d && c != 0x309e && c != 0x30fd && c != 0x30fe && c != 0xff70)
				kana = true;
		} else if (!(c == ' ' || c == 0x3000 || c == 0x30fc || c == 0xff70 || c == 0x30fb ||
		             c == 0xff65 || (c >= 0x3099 && c <= 0x309c) || c == 0xff9e || c == 0xff9f)) {
			return false;
		}
	}
	return kana;
}

/* ---- kanji ---------------------------------------------------------------- */

/* Variant → the form searched under; sorted by variant. Chosen so that no
 * target is itself a variant (one lookup is enough). */
static const struct { uint32_t from, to; } kanji_variants[] = {
	{ 0x04e9e, 0x04e9c }, /* 亞 → 亜 */
	{ 0x04f5b, 0x04ecf }, /* 佛 → 仏 */
	{ 0x04f86, 0x06765 }, /* 來 → 来 */
	{ 0x050b3, 0x04f1d }, /* 傳 → 伝 */
	{ 0x05152, 0x05150 }, /* 兒 → 児 */
	{ 0x051a8, 0x05bcc }, /* 冨 → 富 */
	{ 0x051dc, 0x051db }, /* 凜 → 凛 */
	{ 0x05700, 0x056fd }, /* 圀 → 国 */
	{ 0x0570b, 0x056fd }, /* 國 → 国 */
	{ 0x05713, 0x05186 }, /* 圓 → 円 */
	{ 0x05718, 0x056e3 }, /* 團 → 団 */
	{ 0x057dc, 0x091ce }, /* 埜 → 野 */
	{ 0x0582f, 0x05c2d }, /* 堯 → 尭 */
	{ 0x0589e, 0x05897 }, /* 增 → 増 */
	{ 0x058ef, 0x058ee }, /* 壯 → 壮 */
	{ 0x058fd, 0x05bff }, /* 壽 → 寿 */
	{ 0x05b78, 0x05b66 }, /* 學 → 学 */
	{ 0x05be6, 0x05b9f }, /* 實 → 実 */
	{ 0x05c07, 0x05c06 }, /* 將 → 将 */
	{ 0x05cef, 0x05cf0 }, /* 峯 → 峰 */
	{ 0x05d5c, 0x05d0e }, /* 嵜 → 崎 */
	{ 0x05d8b, 0x05cf6 }, /* 嶋 → 島 */
	{ 0x05d8c, 0x05cf6 }, /* 嶌 → 島 */
	{ 0x05dbd, 0x05cb3 }, /* 嶽 → 岳 */
	{ 0x05de2, 0x05de3 }, /* 巢 → 巣 */
	{ 0x05ee3, 0x05e83 }, /* 廣 → 広 */
	{ 0x05f4c, 0x05f25 }, /* 彌 → 弥 */
	{ 0x05fb7, 0x05fb3 }, /* 德 → 徳 */
	{ 0x06046, 0x06052 }, /* 恆 → 恒 */
	{ 0x060e0, 0x06075 }, /* 惠 → 恵 */
	{ 0x06236, 0x06238 }, /* 戶 → 戸 */
	{ 0x06237, 0x06238 }, /* 户 → 戸 */
	{ 0x062dc, 0x062dd }, /* 拜 → 拝 */
	{ 0x0658e, 0x06589 }, /* 斎 → 斉 */
	{ 0x0663b, 0x06602 }, /* 昻 → 昂 */
	{ 0x06649, 0x0664b }, /* 晉 → 晋 */
	{ 0x066fe, 0x066fd }, /* 曾 → 曽 */
	{ 0x06703, 0x04f1a }, /* 會 → 会 */
	{ 0x06766, 0x06749 }, /* 杦 → 杉 */
	{ 0x06801, 0x067f3 }, /* 栁 → 柳 */
	{ 0x06852, 0x06851 }, /* 桒 → 桑 */
	{ 0x0689d, 0x06761 }, /* 條 → 条 */
	{ 0x069ae, 0x06804 }, /* 榮 → 栄 */
	{ 0x069c7, 0x069d9 }, /* 槇 → 槙 */
	{ 0x06a9c, 0x06867 }, /* 檜 → 桧 */
	{ 0x06afb, 0x0685c }, /* 櫻 → 桜 */
	{ 0x06c23, 0x06c17 }, /* 氣 → 気 */
	{ 0x06df8, 0x06e05 }, /* 淸 → 清 */
	{ 0x06dfa, 0x06d45 }, /* 淺 → 浅 */
	{ 0x06e0a, 0x06df5 }, /* 渊 → 淵 */
	{ 0x06e15, 0x06df5 }, /* 渕 → 淵 */
	{ 0x06eaa, 0x06e13 }, /* 溪 → 渓 */
	{ 0x06eff, 0x06e80 }, /* 滿 → 満 */
	{ 0x06f80, 0x06e0b }, /* 澀 → 渋 */
	{ 0x06f81, 0x06e0b }, /* 澁 → 渋 */
	{ 0x06fa4, 0x06ca2 }, /* 澤 → 沢 */
	{ 0x06ff1, 0x06d5c }, /* 濱 → 浜 */
	{ 0x06ff5, 0x06d5c }, /* 濵 → 浜 */
	{ 0x07027, 0x06edd }, /* 瀧 → 滝 */
	{ 0x07028, 0x0702c }, /* 瀨 → 瀬 */
	{ 0x071df, 0x055b6 }, /* 營 → 営 */
	{ 0x07464, 0x07476 }, /* 瑤 → 瑶 */
	{ 0x07576, 0x05f53 }, /* 當 → 当 */
	{ 0x0767c, 0x0767a }, /* 發 → 発 */
	{ 0x0771e, 0x0771f }, /* 眞 → 真 */
	{ 0x07895, 0x05d0e }, /* 碕 → 崎 */
	{ 0x079ae, 0x0793c }, /* 禮 → 礼 */
	{ 0x07a57, 0x07a42 }, /* 穗 → 穂 */
	{ 0x07c54, 0x085ae }, /* 籔 → 薮 */
	{ 0x07c60, 0x07bed }, /* 籠 → 篭 */
	{ 0x07e23, 0x0770c }, /* 縣 → 県 */
	{ 0x07e6a, 0x07d75 }, /* 繪 → 絵 */
	{ 0x08070, 0x08061 }, /* 聰 → 聡 */
	{ 0x08207, 0x04e0e }, /* 與 → 与 */
	{ 0x08218, 0x09928 }, /* 舘 → 館 */
	{ 0x0838a, 0x08358 }, /* 莊 → 荘 */
	{ 0x0842c, 0x04e07 }, /* 萬 → 万 */
	{ 0x085cf, 0x08535 }, /* 藏 → 蔵 */
	{ 0x085ea, 0x085ae }, /* 藪 → 薮 */
	{ 0x08b7d, 0x08a89 }, /* 譽 → 誉 */
	{ 0x08c3f, 0x06e13 }, /* 谿 → 渓 */
	{ 0x08c50, 0x08c4a }, /* 豐 → 豊 */
	{ 0x08c6c, 0x0732a }, /* 豬 → 猪 */
	{ 0x09059, 0x09065 }, /* 遙 → 遥 */
	{ 0x09089, 0x08fba }, /* 邉 → 辺 */
	{ 0x0908a, 0x08fba }, /* 邊 → 辺 */
	{ 0x090a8, 0x06751 }, /* 邨 → 村 */
	{ 0x09115, 0x090f7 }, /* 鄕 → 郷 */
	{ 0x09435, 0x09244 }, /* 鐵 → 鉄 */
	{ 0x095dc, 0x095a2 }, /* 關 → 関 */
	{ 0x0974d, 0x09db4 }, /* 靍 → 鶴 */
	{ 0x0974f, 0x09db4 }, /* 靏 → 鶴 */
	{ 0x09751, 0x09752 }, /* 靑 → 青 */
	{ 0x0975c, 0x09759 }, /* 靜 → 静 */
	{ 0x0986f, 0x09855 }, /* 顯 → 顕 */
	{ 0x09a5b, 0x099c5 }, /* 驛 → 駅 */
	{ 0x09ad9, 0x09ad8 }, /* 髙 → 高 */
	{ 0x09aee, 0x09aea }, /* 髮 → 髪 */
	{ 0x09dd7, 0x09d0e }, /* 鷗 → 鴎 */
	{ 0x09ed1, 0x09ed2 }, /* 黑 → 黒 */
	{ 0x09f4a, 0x06589 }, /* 齊 → 斉 */
	{ 0x09f4b, 0x06589 }, /* 齋 → 斉 */
	{ 0x09f8d, 0x07adc }, /* 龍 → 竜 */
	{ 0x09f9c, 0x04e80 }, /* 龜 → 亀 */
	{ 0x0fa10, 0x0585a }, /* 塚 → 塚 */
	{ 0x0fa11, 0x05d0e }, /* 﨑 → 崎 */
	{ 0x20bb7, 0x05409 }, /* 𠮷 → 吉 */
};

static uint32_t fold_kanji(uint32_t c)
{
	size_t lo = 0, hi = sizeof kanji_variants / sizeof kanji_variants[0];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (kanji_variants[mid].from == c)
			return kanji_variants[mid].to;
		if (kanji_variants[mid].from < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return c;
}

static bool is_kanji(uint32_t c)
{
	return (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
	       (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3ffff);
}

static bool is_variation_selector(uint32_t c)
{
	return (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xe0100 && c <= 0xe01ef);
}

char *md_kanji_fold(const char *utf8)
{
	struct cps c;
	size_t n = 0;
	char *out;

	if (!utf8)
		return NULL;
	c = decode_all(utf8);
	for (size_t i = 0; i < c.n; i++) {
		uint32_t ch = c.v[i];

		if (is_space(ch) || is_variation_selector(ch))
			continue;
		/* 々 repeats the kanji before it: 佐々木 = 佐佐木. */
		if (ch == 0x3005 && n > 0 && is_kanji(c.v[n - 1]))
			ch = c.v[n - 1];
		c.v[n++] = fold_kanji(ch);
	}
	out = encode_all(c.v, n);
	free(c.v);
	return out;
}
