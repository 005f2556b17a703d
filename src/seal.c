/* seal.c: seal registration (印鑑登録): the rules of registry.md §8, the
 * three ways to register (photo ID, guarantor, mailed inquiry), the
 * registration card number, cancellation, and the impression file. See
 * seal.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "account.h"
#include "audit.h"
#include "change_impl.h"
#include "counter.h"
#include "ctx.h"
#include "i18n.h"
#include "kana.h"
#include "person.h"
#include "seal.h"
#include "store.h"
#include "support.h"
#include "text.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

/* ---- PNG ------------------------------------------------------------------ */

static unsigned long crc_table[256];
static int crc_ready;

static unsigned long png_crc(const unsigned char *p, size_t n)
{
	unsigned long c = 0xffffffffUL;

	if (!crc_ready) {
		for (unsigned i = 0; i < 256; i++) {
			unsigned long k = i;
			for (int j = 0; j < 8; j++)
				k = k & 1 ? 0xedb88320UL ^ (k >> 1) : k >> 1;
			crc_table[i] = k;
		}
		crc_ready = 1;
	}
	for (size_t i = 0; i < n; i++)
		c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffUL;
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static int depth_ok(int color, int depth)
{
	switch (color) {
	case 0: return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
	case 3: return depth == 1 || depth == 2 || depth == 4 || depth == 8;
	case 2: case 4: case 6: return depth == 8 || depth == 16;
	default: return 0;
	}
}

#define PNG_MAX_SIDE 20000u

int md_png_inspect(const unsigned char *buf, size_t len, struct md_png_info *out,
                   struct md_error *err)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };
	size_t pos = 8;
	int chunks = 0, idat = 0, iend = 0;

	memset(out, 0, sizeof *out);
	if (len < sizeof sig || memcmp(buf, sig, sizeof sig) != 0)
		return md_error_set(err, MD_E_INVALID, "png",
		                    _("the impression is not a PNG image (its signature is wrong)"));
	while (pos < len) {
		unsigned long clen, crc;
		const unsigned char *type, *data;

		if (iend)
			return md_error_set(err, MD_E_INVALID, "png", _("the PNG image has data after its end (IEND)"));
		if (len - pos < 12)
			return md_error_set(err, MD_E_INVALID, "png", _("the PNG image is cut short"));
		clen = be32(buf + pos);
		if (clen > 0x7fffffffUL || clen > len - pos - 12)
			return md_error_set(err, MD_E_INVALID, "png", _("the PNG image is cut short"));
		type = buf + pos + 4;
		data = type + 4;
		for (int i = 0; i < 4; i++)
			if (!((type[i] >= 'A' && type[i] <= 'Z') || (type[i] >= 'a' && type[i] <= 'z')))
				return md_error_set(err, MD_E_INVALID, "png",
				                    _("the PNG image has a damaged chunk at byte %zu"), pos);
		crc = be32(data + clen);
		if (png_crc(type, clen + 4) != crc)
			return md_error_set(err, MD_E_INVALID, "png",
			                    _("the PNG image is damaged: chunk %.4s at byte %zu fails its CRC"),
			                    (const char *)type, pos);
		if (chunks == 0) {
			if (memcmp(type, "IHDR", 4) != 0 || clen != 13)
				return md_error_set(err, MD_E_INVALID, "png",
				                    _("the PNG image does not start with its header (IHDR)"));
			out->width = (unsigned)be32(data);
			out->height = (unsigned)be32(data + 4);
			out->bit_depth = data[8];
			out->color_type = data[9];
			out->interlace = data[12];
			if (out->width == 0 || out->height == 0 || out->width > PNG_MAX_SIDE ||
			    out->height > PNG_MAX_SIDE)
				return md_error_set(err, MD_E_INVALID, "png",
				                    _("the PNG image is %u x %u pixels: each side must be 1 to %u"),
				                    out->width, out->height, PNG_MAX_SIDE);
			if (!depth_ok(out->color_type, out->bit_depth) || data[10] != 0 || data[11] != 0 ||
			    out->interlace > 1)
				return md_error_set(err, MD_E_INVALID, "png",
				                    _("the PNG image's header (IHDR) is not valid"));
		} else if (memcmp(type, "IHDR", 4) == 0) {
			return md_error_set(err, MD_E_INVALID, "png", _("the PNG image has a second header (IHDR)"));
		} else if (memcmp(type, "IDAT", 4) == 0) {
			idat++;
		} else if (memcmp(type, "IEND", 4) == 0) {
			iend = 1;
		} else if (memcmp(type, "pHYs", 4) == 0 && clen == 9 && data[8] == 1) {
			unsigned long x = be32(data), y = be32(data + 4);
			/* pixels per metre; only a square pixel gives a size */
			if (x > 0 && x == y)
				out->px_per_mm = (double)x / 1000.0;
		}
		pos += 12 + clen;
		chunks++;
	}
	if (chunks == 0)
		return md_error_set(err, MD_E_INVALID, "png", _("the PNG image is cut short"));
	if (!idat)
		return md_error_set(err, MD_E_INVALID, "png", _("the PNG image holds no image data (IDAT)"));
	if (!iend)
		return md_error_set(err, MD_E_INVALID, "png", _("the PNG image is cut short"));
	return MD_OK;
}

/* ---- card numbers --------------------------------------------------------- */

int md_seal_card_check_digit(const char serial[7])
{
	/* 2,3,4,5,6,7,2 from the right = 2,7,6,5,4,3,2 from the left */
	static const int w[7] = { 2, 7, 6, 5, 4, 3, 2 };
	int sum = 0, r;

	for (int i = 0; i < 7; i++) {
		if (serial[i] < '0' || serial[i] > '9')
			return -1;
		sum += (serial[i] - '0') * w[i];
	}
	r = sum % 11;
	return r <= 1 ? 0 : 11 - r;
}

int md_seal_card_valid(const char *card)
{
	int c;

	if (!card || strlen(card) != MD_SEAL_CARD_LEN)
		return 0;
	c = md_seal_card_check_digit(card);
	return c >= 0 && card[7] == '0' + c;
}

/* The next card number: the highest serial ever issued plus one. */
static int next_card(struct md_ctx *ctx, char out[16], struct md_error *err)
{
	static const char sql[] =
		"SELECT coalesce(max(CAST(substr(card_no, 1, 7) AS INTEGER)), 0) + 1 FROM seals "
		"WHERE card_no IS NOT NULL";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	long long serial = 0;
	char digits[8];

	if (!s)
		return MD_E_DB;
	if (sqlite3_step(s) == SQLITE_ROW)
		serial = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (serial <= 0 || serial > 9999999)
		return md_error_set(err, MD_E_CONFLICT, "card",
		                    _("no 印鑑登録証 number is left (the 7-digit serial is used up)"));
	snprintf(digits, sizeof digits, "%07lld", serial);
	snprintf(out, 16, "%s%d", digits, md_seal_card_check_digit(digits));
	return MD_OK;
}

/* ---- small helpers -------------------------------------------------------- */

static const char *user_of(struct md_ctx *ctx)
{
	return ctx->session ? ctx->session->user : "-";
}

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static int audit(struct md_ctx *ctx, const char *function, long long person, const char *action,
                 const char *outcome, const char *detail, struct md_error *err)
{
	char subject[24];
	struct md_audit_rec r = { NULL, function, person > 0 ? subject : NULL, action, outcome, detail, 0 };
	snprintf(subject, sizeof subject, "%lld", person);
	return md_audit(ctx, &r, err);
}

/* A refusal, recorded after the work was rolled back. */
static void audit_refusal(struct md_ctx *ctx, const char *function, long long person, const char *action,
                          const struct md_error *why)
{
	struct md_error e;
	if (ctx->store && ctx->keys.loaded)
		audit(ctx, function, person, action, "failed", why->msg, &e);
}

/* The database's directory, allocated; NULL (err set) for a database
 * without a file. */
static char *db_dir(struct md_ctx *ctx, struct md_error *err)
{
	const char *path = md_store_path(ctx->store);
	const char *slash;

	if (!path || !*path || strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0) {
		md_error_set(err, MD_E_IO, "png", _("the database has no directory to keep seal impressions in"));
		return NULL;
	}
	slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xasprintf("%.*s", (int)(slash - path), path);
}

char *md_seal_impression_file(struct md_ctx *ctx, const struct md_seal *s)
{
	struct md_error e;
	char *dir = db_dir(ctx, &e), *p;

	if (!dir)
		return NULL;
	p = xasprintf("%s/%s", dir, s->impression_path);
	free(dir);
	return p;
}

/* ---- the impression file -------------------------------------------------- */

/* Reads the scanned impression: a regular file of at most MD_SEAL_PNG_MAX
 * bytes. *buf is allocated. */
static int read_png(const char *path, unsigned char **buf, size_t *len, struct md_error *err)
{
	struct stat st;
	size_t got = 0;
	int fd;

	*buf = NULL;
	*len = 0;
	if (!path || !*path)
		return md_error_set(err, MD_E_INVALID, "png", _("give the PNG file of the seal impression"));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return md_error_set(err, MD_E_IO, "png", _("cannot open the impression %s: %s"), path,
		                    strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return md_error_set(err, MD_E_INVALID, "png", _("the impression %s is not a file"), path);
	}
	if (st.st_size <= 0 || st.st_size > MD_SEAL_PNG_MAX) {
		close(fd);
		return md_error_set(err, MD_E_INVALID, "png",
		                    _("the impression %s has %lld bytes: it must have 1 to %ld"), path,
		                    (long long)st.st_size, MD_SEAL_PNG_MAX);
	}
	*buf = xmalloc((size_t)st.st_size);
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, *buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = r < 0 ? errno : EIO;
			close(fd);
			free(*buf);
			*buf = NULL;
			return md_error_set(err, MD_E_IO, "png", _("cannot read the impression %s: %s"), path,
			                    strerror(e));
		}
		got += (size_t)r;
	}
	close(fd);
	*len = got;
	return MD_OK;
}

/* Writes the impression to <dir>/<db>.seals/<id>.png (mode 0600) through a
 * temporary file; *rel is "<db>.seals/<id>.png" and *abs the full path. */
static int store_png(struct md_ctx *ctx, long long id, const unsigned char *buf, size_t len, char **rel,
                     char **abs, struct md_error *err)
{
	char *dir = db_dir(ctx, err), *sdir, *tmp, *sname = NULL;
	struct stat st;
	size_t done = 0;
	int fd, e;

	*rel = *abs = NULL;
	if (!dir)
		return MD_E_IO;
	/* One directory per database (<db>.seals beside it): two databases in
	 * one directory never share impressions. */
	{
		const char *path = md_store_path(ctx->store);
		const char *base = strrchr(path, '/');
		base = base ? base + 1 : path;
		sname = xasprintf("%s.seals", base);
	}
	sdir = xasprintf("%s/%s", dir, sname);
	free(dir);
	if (mkdir(sdir, 0700) != 0 && errno != EEXIST) {
		e = errno;
		md_error_set(err, MD_E_IO, "png", _("cannot create %s: %s"), sdir, strerror(e));
		free(sdir);
		free(sname);
		return MD_E_IO;
	}
	if (lstat(sdir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		md_error_set(err, MD_E_IO, "png", _("%s is not a directory"), sdir);
		free(sdir);
		free(sname);
		return MD_E_IO;
	}
	*rel = xasprintf("%s/%lld.png", sname, id);
	free(sname);
	*abs = xasprintf("%s/%lld.png", sdir, id);
	tmp = xasprintf("%s/%lld.png.tmp", sdir, id);
	free(sdir);
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		goto io;
	if (fchmod(fd, 0600) != 0)
		goto io_fd;
	while (done < len) {
		ssize_t w = write(fd, buf + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto io_fd;
		done += (size_t)w;
	}
	if (fsync(fd) != 0)
		goto io_fd;
	if (close(fd) != 0) {
		fd = -1;
		goto io;
	}
	if (rename(tmp, *abs) != 0)
		goto io;
	free(tmp);
	return MD_OK;
io_fd:
	e = errno;
	close(fd);
	errno = e;
io:
	e = errno;
	md_error_set(err, MD_E_IO, "png", _("cannot write the impression %s: %s"), *abs, strerror(e));
	unlink(tmp);
	free(tmp);
	free(*rel);
	free(*abs);
	*rel = *abs = NULL;
	return MD_E_IO;
}

/* The size in hundredths of a millimetre: "15", "15.5", "15.25". */
static int parse_mm(const char *text, long *out)
{
	const char *p = text;
	long whole = 0, frac = 0;
	int nd = 0, nf = 0;

	while (*p >= '0' && *p <= '9' && nd < 6) {
		whole = whole * 10 + (*p++ - '0');
		nd++;
	}
	if (nd == 0)
		return -1;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9' && nf < 2) {
			frac = frac * 10 + (*p++ - '0');
			nf++;
		}
		if (nf == 0)
			return -1;
		if (nf == 1)
			frac *= 10;
	}
	if (*p == 'm' && p[1] == 'm')
		p += 2;
	if (*p)
		return -1;
	*out = whole * 100 + frac;
	return 0;
}

/* The seal's size: given, or measured from the PNG's resolution (pHYs). */
static int seal_size(const char *text, const struct md_png_info *png, long *hund, struct md_error *err)
{
	if (text && *text) {
		if (parse_mm(text, hund) != 0)
			return md_error_set(err, MD_E_INVALID, "mm",
			                    _("the size of the seal must be in mm, e.g. 15 or 15.5 (at most two "
			                      "decimals), not \"%s\""), text);
	} else if (png->px_per_mm > 0) {
		unsigned side = png->width > png->height ? png->width : png->height;
		*hund = (long)((double)side * 100.0 / png->px_per_mm + 0.5);
	} else {
		return md_error_set(err, MD_E_INVALID, "mm",
		                    _("give the size of the seal in mm: the PNG image does not record its "
		                      "resolution"));
	}
	if (*hund <= (long)(MD_SEAL_MM_MIN * 100))
		return md_error_set(err, MD_E_INVALID, "mm",
		                    _("the impression is %ld.%02ld mm: a seal must be more than 8 mm"),
		                    *hund / 100, *hund % 100);
	if (*hund > (long)(MD_SEAL_MM_MAX * 100))
		return md_error_set(err, MD_E_INVALID, "mm",
		                    _("the impression is %ld.%02ld mm: a seal must fit within 25 mm square"),
		                    *hund / 100, *hund % 100);
	return MD_OK;
}

/* ---- rules on the person --------------------------------------------------- */

static void today(char buf[11])
{
	md_date_local(md_time_now(), buf, 11);
}

/* Registrable: a resident (not a planned move-out), not under
 * guardianship, 15 or over today. */
static int person_ok(const struct md_person *p, const char *day, struct md_error *err)
{
	struct md_date birth;
	int y, m, d, age;

	if (strcmp(md_person_get(p, MD_F_STATUS), "resident") != 0) {
		const char *st = md_person_get(p, MD_F_STATUS);
		if (strcmp(st, "moved_out") == 0 && strcmp(md_person_get(p, MD_F_REMOVAL_DATE), day) > 0)
			return md_error_set(err, MD_E_INVALID, "person",
			                    _("宛名番号 %lld has notified a move-out (転出予定 %s): a seal is not "
			                      "registered"), p->id, md_person_get(p, MD_F_REMOVAL_DATE));
		return md_error_set(err, MD_E_INVALID, "person",
		                    _("宛名番号 %lld is not a resident (%s): a seal is registered only for a "
		                      "resident"), p->id, st);
	}
	if (strcmp(md_person_get(p, MD_F_GUARDIANSHIP), "1") == 0)
		return md_error_set(err, MD_E_INVALID, "person",
		                    _("宛名番号 %lld is an adult under guardianship (成年被後見人): a seal "
		                      "cannot be registered"), p->id);
	if (md_date_from_iso(md_person_get(p, MD_F_BIRTH_DATE), &birth) != 0 ||
	    md_date_parse_iso(day, &y, &m, &d) != 0 || (age = md_age_on(&birth, y, m, d)) < 0)
		return md_error_set(err, MD_E_INVALID, "person",
		                    _("the date of birth of 宛名番号 %lld is unknown: a seal is registered "
		                      "only when the age of 15 is certain"), p->id);
	if (age < MD_SEAL_MIN_AGE)
		return md_error_set(err, MD_E_INVALID, "person",
		                    _("宛名番号 %lld is %d years old (or may be): a seal is registered from "
		                      "the age of 15"), p->id, age);
	return MD_OK;
}

/* A name folded for comparison: variants folded, spaces removed, ASCII
 * letters upper case. */
static char *fold(const char *s)
{
	char *f = md_kanji_fold(s ? s : "");
	for (char *c = f; *c; c++)
		if (*c >= 'a' && *c <= 'z')
			*c = (char)(*c - 'a' + 'A');
	return f;
}

/* The seal must show the registered name: the whole or a part of 氏名, 旧氏
 * (with 名), 通称, and for a foreign resident also the name in Roman letters
 * or its katakana reading. kind receives 印影の氏名区分. */
static int name_ok(const struct md_person *p, const char *shown, char kind[16], struct md_error *err)
{
	struct cand {
		const char *kind;
		char *v;
		int kana;
	} c[10];
	int n = 0, found = -1, exact = -1;
	int foreign = strcmp(md_person_get(p, MD_F_RESIDENT_TYPE), "foreign") == 0;
	char *want, *want_kana;

	if (!shown || !*shown)
		return md_error_set(err, MD_E_INVALID, "name", _("give the name the seal shows"));
	want = fold(shown);
	if (!*want || strlen(shown) > 120) {
		free(want);
		return md_error_set(err, MD_E_INVALID, "name",
		                    _("the name the seal shows must be 1 to 40 characters"));
	}
#define CAND(k, text, isk) \
	do { \
		char *t_ = (text); \
		c[n].kind = (k); \
		c[n].v = (isk) ? md_kana_normalize(t_) : fold(t_); \
		c[n].kana = (isk); \
		free(t_); \
		n++; \
	} while (0)
	CAND("full", xasprintf("%s%s", md_person_get(p, MD_F_SURNAME), md_person_get(p, MD_F_GIVEN_NAME)), 0);
	CAND("surname", xstrdup(md_person_get(p, MD_F_SURNAME)), 0);
	CAND("given", xstrdup(md_person_get(p, MD_F_GIVEN_NAME)), 0);
	if (md_person_has(p, MD_F_FORMER_SURNAME)) {
		CAND("former", xasprintf("%s%s", md_person_get(p, MD_F_FORMER_SURNAME),
		                         md_person_get(p, MD_F_GIVEN_NAME)), 0);
		CAND("former", xstrdup(md_person_get(p, MD_F_FORMER_SURNAME)), 0);
	}
	if (md_person_has(p, MD_F_ALIAS))
		CAND("alias", xstrdup(md_person_get(p, MD_F_ALIAS)), 0);
	if (foreign && md_person_has(p, MD_F_NAME_ROMAN))
		CAND("roman", xstrdup(md_person_get(p, MD_F_NAME_ROMAN)), 0);
	if (foreign) {
		CAND("kana", xasprintf("%s%s", md_person_get(p, MD_F_SURNAME_KANA),
		                       md_person_get(p, MD_F_GIVEN_NAME_KANA)), 1);
		if (md_person_has(p, MD_F_ALIAS_KANA))
			CAND("kana", xstrdup(md_person_get(p, MD_F_ALIAS_KANA)), 1);
	}
#undef CAND
	want_kana = md_kana_normalize(shown);
	for (int i = 0; i < n; i++) {
		const char *w = c[i].kana ? want_kana : want;
		if (!*c[i].v)
			continue;
		if (strcmp(c[i].v, w) == 0 && exact < 0)
			exact = i;
		if (strstr(c[i].v, w) && found < 0)
			found = i;
	}
	if (exact >= 0)
		copy(kind, 16, c[exact].kind);
	else if (found >= 0)
		copy(kind, 16, "part");
	for (int i = 0; i < n; i++)
		free(c[i].v);
	free(want);
	free(want_kana);
	if (exact < 0 && found < 0)
		return md_error_set(err, MD_E_INVALID, "name",
		                    _("the seal shows \"%s\", which is not the registered name of 宛名番号 "
		                      "%lld (氏名, 氏, 名, 旧氏 or 通称, or a part of them)"), shown, p->id);
	return MD_OK;
}

/* Another active seal with the same impression in the person's household. */
static int household_ok(struct md_ctx *ctx, const struct md_person *p, const char *hash,
                        struct md_error *err)
{
	static const char sql[] =
		"SELECT s.person_id FROM seals s JOIN persons q ON q.id = s.person_id "
		"WHERE s.impression_hash = ?1 AND s.status IN ('pending', 'registered') "
		"AND q.household_id = ?2 AND s.person_id <> ?3 LIMIT 1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	long long other = 0;

	if (!s)
		return MD_E_DB;
	md_bind_text(s, 1, hash);
	sqlite3_bind_int64(s, 2, strtoll(md_person_get(p, MD_F_HOUSEHOLD), NULL, 10));
	sqlite3_bind_int64(s, 3, p->id);
	if (sqlite3_step(s) == SQLITE_ROW)
		other = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (other)
		return md_error_set(err, MD_E_CONFLICT, "png",
		                    _("the same seal is already registered by 宛名番号 %lld of the same "
		                      "household: each member needs a seal of their own"), other);
	return MD_OK;
}

/* ---- reading rows ---------------------------------------------------------- */

#define SEAL_COLS \
	"id, person_id, household_id, status, method, coalesce(card_no, ''), applied_on, " \
	"coalesce(registered_on, ''), coalesce(inquiry_sent_on, ''), coalesce(inquiry_answer_due, ''), " \
	"coalesce(inquiry_answered_on, ''), coalesce(cancelled_on, ''), coalesce(cancel_reason, ''), " \
	"name_on_seal, name_kind, impression_mm, impression_width_px, impression_height_px, " \
	"impression_path, impression_hash, coalesce(guarantor_person, 0), coalesce(guarantor_card_no, ''), " \
	"transaction_id"

static void seal_from_row(sqlite3_stmt *s, struct md_seal *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(s, 0);
	o->person_id = sqlite3_column_int64(s, 1);
	o->household_id = sqlite3_column_int64(s, 2);
	copy(o->status, sizeof o->status, md_col_text(s, 3));
	copy(o->method, sizeof o->method, md_col_text(s, 4));
	copy(o->card_no, sizeof o->card_no, md_col_text(s, 5));
	copy(o->applied_on, sizeof o->applied_on, md_col_text(s, 6));
	copy(o->registered_on, sizeof o->registered_on, md_col_text(s, 7));
	copy(o->inquiry_sent_on, sizeof o->inquiry_sent_on, md_col_text(s, 8));
	copy(o->inquiry_answer_due, sizeof o->inquiry_answer_due, md_col_text(s, 9));
	copy(o->inquiry_answered_on, sizeof o->inquiry_answered_on, md_col_text(s, 10));
	copy(o->cancelled_on, sizeof o->cancelled_on, md_col_text(s, 11));
	copy(o->cancel_reason, sizeof o->cancel_reason, md_col_text(s, 12));
	copy(o->name_on_seal, sizeof o->name_on_seal, md_col_text(s, 13));
	copy(o->name_kind, sizeof o->name_kind, md_col_text(s, 14));
	o->mm = sqlite3_column_double(s, 15);
	o->width_px = (unsigned)sqlite3_column_int(s, 16);
	o->height_px = (unsigned)sqlite3_column_int(s, 17);
	copy(o->impression_path, sizeof o->impression_path, md_col_text(s, 18));
	copy(o->impression_hash, sizeof o->impression_hash, md_col_text(s, 19));
	o->guarantor_person = sqlite3_column_int64(s, 20);
	copy(o->guarantor_card_no, sizeof o->guarantor_card_no, md_col_text(s, 21));
	o->transaction_id = sqlite3_column_int64(s, 22);
}

int md_seal_get(struct md_ctx *ctx, long long id, struct md_seal *out, struct md_error *err)
{
	static const char sql[] = "SELECT " SEAL_COLS " FROM seals WHERE id = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int rc;

	if (!s)
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		seal_from_row(s, out);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return md_error_set(err, MD_E_NOTFOUND, "id", _("there is no seal application %lld"), id);
	return MD_OK;
}

int md_seal_by_card(struct md_ctx *ctx, const char *card_no, struct md_seal *out, struct md_error *err)
{
	static const char sql[] = "SELECT " SEAL_COLS " FROM seals WHERE card_no = ?1";
	sqlite3_stmt *s;
	int rc;

	if (!md_seal_card_valid(card_no))
		return md_error_set(err, MD_E_INVALID, "card",
		                    _("\"%s\" is not a 印鑑登録証 number: 8 digits whose check digit matches"),
		                    card_no ? card_no : "");
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	md_bind_text(s, 1, card_no);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		seal_from_row(s, out);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return md_error_set(err, MD_E_NOTFOUND, "card", _("印鑑登録証 %s was never issued"), card_no);
	if (strcmp(out->status, "registered") != 0)
		return md_error_set(err, MD_E_NOTFOUND, "card",
		                    _("印鑑登録証 %s is no longer valid: its registration was cancelled on %s"),
		                    card_no, out->cancelled_on);
	return MD_OK;
}

/* The person's active (pending or registered) seal; 0 when none. */
static long long active_seal(struct md_ctx *ctx, long long person, struct md_seal *out,
                             struct md_error *err)
{
	static const char sql[] =
		"SELECT " SEAL_COLS " FROM seals WHERE person_id = ?1 AND status IN ('pending', 'registered')";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	long long id = 0;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, person);
	if (sqlite3_step(s) == SQLITE_ROW) {
		seal_from_row(s, out);
		id = out->id;
	}
	sqlite3_reset(s);
	return id;
}

/* Ends one application or registration. */
static int set_cancelled(struct md_ctx *ctx, long long id, const char *reason, long long change_id,
                         long long tx, const char *memo, struct md_error *err)
{
	static const char sql[] =
		"UPDATE seals SET status = 'cancelled', cancelled_on = ?2, cancelled_at = ?3, cancelled_by = ?4, "
		"cancel_reason = ?5, cancel_change_id = ?6, cancel_transaction_id = ?7, "
		"memo = CASE WHEN ?8 IS NULL THEN memo WHEN memo IS NULL THEN ?8 ELSE memo || char(10) || ?8 END "
		"WHERE id = ?1 AND status IN ('pending', 'registered')";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	char day[11], now[32];
	int rc;

	if (!s)
		return MD_E_DB;
	today(day);
	md_time_iso(md_time_now(), now, sizeof now);
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, day);
	md_bind_text(s, 3, now);
	md_bind_text(s, 4, user_of(ctx));
	md_bind_text(s, 5, reason);
	if (change_id > 0)
		sqlite3_bind_int64(s, 6, change_id);
	if (tx > 0)
		sqlite3_bind_int64(s, 7, tx);
	md_bind_text(s, 8, memo && *memo ? memo : NULL);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("cancelling a seal registration"));
	return MD_OK;
}

/* ---- the counter transaction ---------------------------------------------- */

/* The transaction is verified and about this person; the applicant is the
 * person (*proxy 0) or their agent with a 委任状 (*proxy 1). */
static int counter_ok(struct md_ctx *ctx, long long tx, long long person, int allow_questioning,
                      struct md_counter_state *st, int *proxy, struct md_error *err)
{
	int rc;

	if (tx <= 0)
		return md_error_set(err, MD_E_INVALID, "transaction",
		                    _("a seal is handled in a counter transaction: give its number"));
	memset(st, 0, sizeof *st);
	if ((rc = md_counter_require_verified(ctx, tx, allow_questioning, st, err)) != MD_OK)
		return rc;
	if (st->subject == 0)
		return md_error_set(err, MD_E_INVALID, "transaction",
		                    _("counter transaction %lld names no person yet: look up 宛名番号 %lld in it "
		                      "first"), tx, person);
	if (st->subject != person)
		return md_error_set(err, MD_E_INVALID, "transaction",
		                    _("counter transaction %lld is about 宛名番号 %lld, not %lld"), tx, st->subject,
		                    person);
	if (strcmp(st->category, "self") == 0) {
		*proxy = 0;
		return MD_OK;
	}
	if (strcmp(st->category, "agent") == 0 || strcmp(st->category, "household") == 0) {
		if (!st->letter_of_authority)
			return md_error_set(err, MD_E_INVALID, "transaction",
			                    _("an agent needs a 委任状 (letter of authority) from the person for a "
			                      "seal registration"));
		*proxy = 1;
		return MD_OK;
	}
	return md_error_set(err, MD_E_DENIED, "transaction",
	                    _("a seal is handled only for the person or their agent, not for a %s applicant"),
	                    st->category);
}

/* ---- registration ---------------------------------------------------------- */

struct guarantor {
	long long person, seal;
	char card[16];
	char *name, *address, *birth, *sex;
};

static void guarantor_release(struct guarantor *g)
{
	free(g->name);
	free(g->address);
	free(g->birth);
	free(g->sex);
}

/* The guarantor: another resident with a registered seal of their own. */
static int guarantor_ok(struct md_ctx *ctx, long long id, long long person, struct guarantor *g,
                        struct md_error *err)
{
	struct md_person q;
	struct md_seal own;
	long long sid;
	int rc;

	if (id <= 0)
		return md_error_set(err, MD_E_INVALID, "guarantor",
		                    _("give the 宛名番号 of the guarantor (保証人)"));
	if (id == person)
		return md_error_set(err, MD_E_INVALID, "guarantor", _("a person cannot be their own guarantor"));
	md_person_init(&q);
	if ((rc = cw_load_person(ctx, id, &q, err)) != MD_OK) {
		md_person_release(&q);
		return rc == MD_E_NOTFOUND ? md_error_set(err, MD_E_NOTFOUND, "guarantor",
		                                          _("there is no 宛名番号 %lld (guarantor)"), id)
		                           : rc;
	}
	if (strcmp(md_person_get(&q, MD_F_STATUS), "resident") != 0) {
		md_person_release(&q);
		return md_error_set(err, MD_E_INVALID, "guarantor",
		                    _("the guarantor (宛名番号 %lld) is not a resident"), id);
	}
	sid = active_seal(ctx, id, &own, err);
	if (sid < 0) {
		md_person_release(&q);
		return MD_E_DB;
	}
	if (sid == 0 || strcmp(own.status, "registered") != 0) {
		md_person_release(&q);
		return md_error_set(err, MD_E_INVALID, "guarantor",
		                    _("the guarantor (宛名番号 %lld) has no registered seal: a guarantor must "
		                      "have one"), id);
	}
	g->person = id;
	g->seal = sid;
	copy(g->card, sizeof g->card, own.card_no);
	g->name = md_person_name(&q);
	g->address = xasprintf("%s%s%s", md_person_get(&q, MD_F_ADDRESS),
	                       md_person_has(&q, MD_F_KATAGAKI) ? "　" : "", md_person_get(&q, MD_F_KATAGAKI));
	g->birth = xstrdup(md_person_get(&q, MD_F_BIRTH_DATE));
	g->sex = xstrdup(md_person_get(&q, MD_F_SEX));
	md_person_release(&q);
	return MD_OK;
}

/* Makes room for a new application: a registered seal or a pending one
 * still within its due date refuses; a pending one past it lapses. */
static int one_per_person(struct md_ctx *ctx, long long person, const char *day, struct md_error *err)
{
	struct md_seal cur;
	long long id = active_seal(ctx, person, &cur, err);
	char detail[96];
	int rc;

	if (id < 0)
		return MD_E_DB;
	if (id == 0)
		return MD_OK;
	if (strcmp(cur.status, "registered") == 0)
		return md_error_set(err, MD_E_CONFLICT, "person",
		                    _("宛名番号 %lld already has a registered seal (印鑑登録証 %s): a person "
		                      "registers one seal; cancel it (廃止) first"), person, cur.card_no);
	if (strcmp(cur.inquiry_answer_due, day) >= 0)
		return md_error_set(err, MD_E_CONFLICT, "person",
		                    _("宛名番号 %lld has an application waiting for the answer to its 照会書 "
		                      "(受付番号 %lld, due %s)"), person, cur.id, cur.inquiry_answer_due);
	if ((rc = set_cancelled(ctx, cur.id, "expired", 0, 0, NULL, err)) != MD_OK)
		return rc;
	snprintf(detail, sizeof detail, "seal=%lld reason=expired due=%s", cur.id, cur.inquiry_answer_due);
	return audit(ctx, "seal.cancel", person, "cancel", "ok", detail, err);
}

static int insert_seal(struct md_ctx *ctx, long long id, const struct md_person *p, const char *method,
                       const struct md_seal_request *in, const struct md_counter_state *st,
                       const char *card, const char *rel, const char *hash, long hund,
                       const struct md_png_info *png, size_t bytes, const char *kind,
                       const struct guarantor *g, const char *day, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO seals (id, person_id, household_id, status, method, card_no, card_issued_on, "
		"applied_on, applied_at, applied_by, terminal, transaction_id, applicant_category, "
		"applicant_name, verification_method, impression_path, impression_hash, impression_mm, "
		"impression_width_px, impression_height_px, impression_bytes, name_on_seal, name_kind, "
		"guarantor_person, guarantor_seal, guarantor_card_no, guarantor_name, guarantor_address, "
		"guarantor_birth_date, guarantor_sex, inquiry_sent_on, inquiry_answer_due, inquiry_address, "
		"registered_on, registered_at, registered_by, memo) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
		"?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, "
		"?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37)";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int inquiry = strcmp(method, "inquiry") == 0;
	char now[32], due[11];
	char *addr = NULL;
	int rc;

	if (!s)
		return MD_E_DB;
	md_time_iso(md_time_now(), now, sizeof now);
	if (inquiry) {
		if (md_iso_add_days(day, MD_SEAL_ANSWER_DAYS, due) != 0)
			return md_error_set(err, MD_E_INVALID, "date", _("the date %s is out of range"), day);
		addr = xasprintf("〒%s %s%s%s", md_person_get(p, MD_F_POSTAL_CODE), md_person_get(p, MD_F_ADDRESS),
		                 md_person_has(p, MD_F_KATAGAKI) ? "　" : "", md_person_get(p, MD_F_KATAGAKI));
	}
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, p->id);
	sqlite3_bind_int64(s, 3, strtoll(md_person_get(p, MD_F_HOUSEHOLD), NULL, 10));
	md_bind_text(s, 4, inquiry ? "pending" : "registered");
	md_bind_text(s, 5, method);
	md_bind_text(s, 6, inquiry ? NULL : card);
	md_bind_text(s, 7, inquiry ? NULL : day);
	md_bind_text(s, 8, day);
	md_bind_text(s, 9, now);
	md_bind_text(s, 10, user_of(ctx));
	md_bind_text(s, 11, ctx->cfg.terminal_id);
	sqlite3_bind_int64(s, 12, in->transaction_id);
	md_bind_text(s, 13, st->category);
	md_bind_text(s, 14, st->applicant_name);
	md_bind_text(s, 15, st->method);
	md_bind_text(s, 16, rel);
	md_bind_text(s, 17, hash);
	sqlite3_bind_double(s, 18, (double)hund / 100.0);
	sqlite3_bind_int(s, 19, (int)png->width);
	sqlite3_bind_int(s, 20, (int)png->height);
	sqlite3_bind_int64(s, 21, (long long)bytes);
	md_bind_text(s, 22, in->name_on_seal);
	md_bind_text(s, 23, kind);
	if (g->person) {
		sqlite3_bind_int64(s, 24, g->person);
		sqlite3_bind_int64(s, 25, g->seal);
		md_bind_text(s, 26, g->card);
		md_bind_text(s, 27, g->name);
		md_bind_text(s, 28, g->address);
		md_bind_text(s, 29, g->birth);
		md_bind_text(s, 30, g->sex);
	}
	if (inquiry) {
		md_bind_text(s, 31, day);
		md_bind_text(s, 32, due);
		md_bind_text(s, 33, addr);
	} else {
		md_bind_text(s, 34, day);
		md_bind_text(s, 35, now);
		md_bind_text(s, 36, user_of(ctx));
	}
	md_bind_text(s, 37, in->memo && *in->memo ? in->memo : NULL);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	free(addr);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("recording the seal registration"));
	return MD_OK;
}

static int do_register(struct md_ctx *ctx, const struct md_seal_request *in, struct md_seal *out,
                       struct md_error *err);

/* The name as typed, in Unicode NFC like every text of the database. */
static int register_nfc(struct md_ctx *ctx, const struct md_seal_request *in, struct md_seal *out,
                        struct md_error *err)
{
	struct md_seal_request req = *in;
	char *name = NULL;
	int rc;

	if (in->name_on_seal && !(name = md_text_nfc(in->name_on_seal)))
		return md_error_set(err, MD_E_INVALID, "name", _("the name the seal shows is not valid UTF-8 text"));
	req.name_on_seal = name;
	rc = do_register(ctx, &req, out, err);
	free(name);
	return rc;
}

static int do_register(struct md_ctx *ctx, const struct md_seal_request *in, struct md_seal *out,
                       struct md_error *err)
{
	static const char next_sql[] = "SELECT coalesce(max(id), 0) + 1 FROM seals";
	struct md_png_info png;
	struct md_counter_state st;
	struct md_person p;
	struct guarantor g;
	unsigned char *buf = NULL, bin[32];
	char hash[65], day[11], card[16] = "", kind[16] = "", detail[256];
	char *rel = NULL, *abs = NULL;
	const char *method = in->method ? in->method : "";
	long hund = 0;
	long long id = 0;
	size_t len = 0;
	sqlite3_stmt *s;
	int rc, proxy = 0, began = 0;

	memset(&g, 0, sizeof g);
	md_person_init(&p);
	if (in->person_id <= 0)
		return md_error_set(err, MD_E_INVALID, "person", _("give the 宛名番号 of the person"));
	if (strcmp(method, "photo_id") != 0 && strcmp(method, "guarantor") != 0 &&
	    strcmp(method, "inquiry") != 0)
		return md_error_set(err, MD_E_INVALID, "method",
		                    _("the method must be photo_id (photo ID shown), guarantor (保証人) or "
		                      "inquiry (照会書 mailed), not \"%s\""), method);
	if ((rc = read_png(in->png_path, &buf, &len, err)) != MD_OK)
		return rc;
	if ((rc = md_png_inspect(buf, len, &png, err)) != MD_OK ||
	    (rc = seal_size(in->mm, &png, &hund, err)) != MD_OK)
		goto out;
	crypto_generichash(bin, sizeof bin, buf, len, NULL, 0);
	sodium_bin2hex(hash, sizeof hash, bin, sizeof bin);
	today(day);

	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		goto out;
	began = 1;
	if ((rc = cw_load_person(ctx, in->person_id, &p, err)) != MD_OK)
		goto out;
	/* The applicant and the way the person is confirmed. */
	if ((rc = counter_ok(ctx, in->transaction_id, p.id, strcmp(method, "photo_id") != 0, &st, &proxy,
	                     err)) != MD_OK)
		goto out;
	if (proxy && strcmp(method, "inquiry") != 0) {
		rc = md_error_set(err, MD_E_INVALID, "method",
		                  _("an agent's application is confirmed by a 照会書 mailed to the person: use "
		                    "method inquiry"));
		goto out;
	}
	if (strcmp(method, "photo_id") == 0 && strcmp(st.method, "photo_id") != 0) {
		rc = md_error_set(err, MD_E_INVALID, "method",
		                  _("immediate registration needs a photo ID (the applicant was verified by "
		                    "%s): use method guarantor or inquiry"), st.method);
		goto out;
	}
	if ((rc = person_ok(&p, day, err)) != MD_OK || (rc = name_ok(&p, in->name_on_seal, kind, err)) != MD_OK ||
	    (rc = one_per_person(ctx, p.id, day, err)) != MD_OK || (rc = household_ok(ctx, &p, hash, err)) != MD_OK)
		goto out;
	if (strcmp(method, "guarantor") == 0 && (rc = guarantor_ok(ctx, in->guarantor, p.id, &g, err)) != MD_OK)
		goto out;
	if (strcmp(method, "guarantor") != 0 && in->guarantor > 0) {
		rc = md_error_set(err, MD_E_INVALID, "guarantor", _("a guarantor is named only with method guarantor"));
		goto out;
	}
	if (strcmp(method, "inquiry") != 0 && (rc = next_card(ctx, card, err)) != MD_OK)
		goto out;
	if (!(s = md_store_stmt(ctx->store, next_sql, err))) {
		rc = MD_E_DB;
		goto out;
	}
	if (sqlite3_step(s) == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if ((rc = store_png(ctx, id, buf, len, &rel, &abs, err)) != MD_OK)
		goto out;
	if ((rc = insert_seal(ctx, id, &p, method, in, &st, card, rel, hash, hund, &png, len, kind, &g, day,
	                      err)) != MD_OK)
		goto out;
	snprintf(detail, sizeof detail, "seal=%lld method=%s status=%s%s%s mm=%ld.%02ld transaction=%lld%s",
	         id, method, *card ? "registered" : "pending", *card ? " card=" : "", card, hund / 100,
	         hund % 100, in->transaction_id, proxy ? " agent" : "");
	if (g.person) {
		size_t l = strlen(detail);
		snprintf(detail + l, sizeof detail - l, " guarantor=%lld", g.person);
	}
	if ((rc = audit(ctx, "seal.register", p.id, "register", "ok", detail, err)) != MD_OK)
		goto out;
	rc = md_store_commit(ctx->store, err);
	began = 0;
	if (rc == MD_OK && out)
		rc = md_seal_get(ctx, id, out, err);
out:
	if (began)
		md_store_rollback(ctx->store);
	if (rc != MD_OK && abs)
		unlink(abs);
	free(rel);
	free(abs);
	free(buf);
	guarantor_release(&g);
	md_person_release(&p);
	return rc;
}

int md_seal_register(struct md_ctx *ctx, const struct md_seal_request *in, struct md_seal *out,
                     struct md_error *err)
{
	int rc = register_nfc(ctx, in, out, err);
	if (rc != MD_OK)
		audit_refusal(ctx, "seal.register", in->person_id, "register", err);
	return rc;
}

/* ---- the answer to the 照会書 ---------------------------------------------- */

static int do_answer(struct md_ctx *ctx, long long seal_id, long long tx, int *expired,
                     long long *person, struct md_error *err)
{
	static const char sql[] =
		"UPDATE seals SET status = 'registered', card_no = ?2, card_issued_on = ?3, registered_on = ?3, "
		"registered_at = ?4, registered_by = ?5, inquiry_answered_on = ?3, answer_transaction_id = ?6 "
		"WHERE id = ?1 AND status = 'pending'";
	struct md_counter_state st;
	struct md_person p;
	struct md_seal cur;
	char day[11], now[32], card[16], kind[16], detail[160];
	sqlite3_stmt *s;
	int rc, proxy = 0;

	md_person_init(&p);
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = md_seal_get(ctx, seal_id, &cur, err)) != MD_OK)
		goto fail;
	*person = cur.person_id;
	if (strcmp(cur.status, "pending") != 0) {
		rc = md_error_set(err, MD_E_CONFLICT, "id",
		                  _("seal application %lld is %s, not waiting for the answer to a 照会書"),
		                  seal_id, cur.status);
		goto fail;
	}
	today(day);
	if (strcmp(day, cur.inquiry_answer_due) > 0) {
		/* Too late: the application lapses (recorded), the person applies again. */
		if ((rc = set_cancelled(ctx, seal_id, "expired", 0, 0, NULL, err)) != MD_OK)
			goto fail;
		snprintf(detail, sizeof detail, "seal=%lld reason=expired due=%s", seal_id, cur.inquiry_answer_due);
		if ((rc = audit(ctx, "seal.answer", cur.person_id, "answer", "failed", detail, err)) != MD_OK ||
		    (rc = md_store_commit(ctx->store, err)) != MD_OK)
			return rc;
		*expired = 1;
		return md_error_set(err, MD_E_INVALID, "id",
		                    _("the answer to the 照会書 of seal application %lld was due on %s: the "
		                      "application has lapsed, the person must apply again"),
		                    seal_id, cur.inquiry_answer_due);
	}
	if ((rc = counter_ok(ctx, tx, cur.person_id, 1, &st, &proxy, err)) != MD_OK)
		goto fail;
	if ((rc = cw_load_person(ctx, cur.person_id, &p, err)) != MD_OK)
		goto fail;
	if ((rc = person_ok(&p, day, err)) != MD_OK || (rc = name_ok(&p, cur.name_on_seal, kind, err)) != MD_OK ||
	    (rc = household_ok(ctx, &p, cur.impression_hash, err)) != MD_OK ||
	    (rc = next_card(ctx, card, err)) != MD_OK)
		goto fail;
	if (!(s = md_store_stmt(ctx->store, sql, err))) {
		rc = MD_E_DB;
		goto fail;
	}
	md_time_iso(md_time_now(), now, sizeof now);
	sqlite3_bind_int64(s, 1, seal_id);
	md_bind_text(s, 2, card);
	md_bind_text(s, 3, day);
	md_bind_text(s, 4, now);
	md_bind_text(s, 5, user_of(ctx));
	sqlite3_bind_int64(s, 6, tx);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		rc = md_store_fail(ctx->store, err, _("recording the seal registration"));
		goto fail;
	}
	snprintf(detail, sizeof detail, "seal=%lld status=registered card=%s transaction=%lld%s", seal_id, card,
	         tx, proxy ? " agent" : "");
	if ((rc = audit(ctx, "seal.answer", cur.person_id, "answer", "ok", detail, err)) != MD_OK)
		goto fail;
	md_person_release(&p);
	return md_store_commit(ctx->store, err);
fail:
	md_person_release(&p);
	md_store_rollback(ctx->store);
	return rc;
}

int md_seal_answer(struct md_ctx *ctx, long long seal_id, long long transaction_id, struct md_seal *out,
                   struct md_error *err)
{
	long long person = 0;
	int expired = 0;
	int rc = do_answer(ctx, seal_id, transaction_id, &expired, &person, err);

	if (rc != MD_OK) {
		if (!expired)
			audit_refusal(ctx, "seal.answer", person, "answer", err);
		return rc;
	}
	return out ? md_seal_get(ctx, seal_id, out, err) : MD_OK;
}

/* ---- cancellation --------------------------------------------------------- */

static int do_cancel(struct md_ctx *ctx, const char *card, long long person, const char *reason,
                     long long tx, const char *memo, long long *subject, long long *seal_id,
                     struct md_error *err)
{
	struct md_counter_state st;
	struct md_seal cur;
	char detail[256];
	int rc, proxy = 0;

	if (strcmp(reason, "request") != 0 && strcmp(reason, "ex_officio") != 0) {
		if (strcmp(reason, "moved_out") == 0 || strcmp(reason, "death") == 0)
			return md_error_set(err, MD_E_INVALID, "reason",
			                    _("a seal registration ends by itself when the 転出, 死亡 or 消除 is "
			                      "approved; cancel with request or ex_officio"));
		return md_error_set(err, MD_E_INVALID, "reason",
		                    _("the reason must be request (廃止届) or ex_officio (職権), not \"%s\""), reason);
	}
	/* 職権抹消 is a supervisor's decision, with its reason. */
	if (strcmp(reason, "ex_officio") == 0 && !md_auth_can(ctx, "seal.cancel_ex_officio"))
		return md_error_set(err, MD_E_DENIED, "reason",
		                    _("cancelling a seal registration ex officio (職権抹消) needs the permission seal.cancel_ex_officio (a supervisor)"));
	if (strcmp(reason, "ex_officio") == 0 && (!memo || !*memo))
		return md_error_set(err, MD_E_INVALID, "memo",
		                    _("say why the registration is cancelled ex officio (memo)"));
	if ((!card || !*card) && person <= 0)
		return md_error_set(err, MD_E_INVALID, "card", _("give the 印鑑登録証 number or the 宛名番号"));
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if (card && *card) {
		if ((rc = md_seal_by_card(ctx, card, &cur, err)) != MD_OK)
			goto fail;
		if (person > 0 && cur.person_id != person) {
			rc = md_error_set(err, MD_E_INVALID, "card",
			                  _("印鑑登録証 %s does not belong to 宛名番号 %lld"), card, person);
			goto fail;
		}
	} else {
		long long id = active_seal(ctx, person, &cur, err);
		if (id < 0) {
			rc = MD_E_DB;
			goto fail;
		}
		if (id == 0) {
			rc = md_error_set(err, MD_E_NOTFOUND, "person",
			                  _("宛名番号 %lld has no registered seal or pending application"), person);
			goto fail;
		}
	}
	*subject = cur.person_id;
	*seal_id = cur.id;
	if (strcmp(reason, "request") == 0 &&
	    (rc = counter_ok(ctx, tx, cur.person_id, 1, &st, &proxy, err)) != MD_OK)
		goto fail;
	if ((rc = set_cancelled(ctx, cur.id, reason, 0, strcmp(reason, "request") == 0 ? tx : 0, memo, err)) !=
	    MD_OK)
		goto fail;
	snprintf(detail, sizeof detail, "seal=%lld reason=%s%s%s was=%s", cur.id, reason, *cur.card_no ? " card=" : "",
	         cur.card_no, cur.status);
	if (strcmp(reason, "request") == 0) {
		size_t l = strlen(detail);
		snprintf(detail + l, sizeof detail - l, " transaction=%lld%s", tx, proxy ? " agent" : "");
	}
	if ((rc = audit(ctx, "seal.cancel", cur.person_id, "cancel", "ok", detail, err)) != MD_OK)
		goto fail;
	return md_store_commit(ctx->store, err);
fail:
	md_store_rollback(ctx->store);
	return rc;
}

int md_seal_cancel(struct md_ctx *ctx, const char *card_no, long long person, const char *reason,
                   long long transaction_id, const char *memo, struct md_seal *out, struct md_error *err)
{
	long long subject = person, id = 0;
	int rc = do_cancel(ctx, card_no, person, reason && *reason ? reason : "request", transaction_id, memo,
	                   &subject, &id, err);

	if (rc != MD_OK) {
		audit_refusal(ctx, "seal.cancel", subject, "cancel", err);
		return rc;
	}
	return out ? md_seal_get(ctx, id, out, err) : MD_OK;
}

static int cancel_for(struct md_ctx *ctx, long long person, const char *reason, long long change_id,
                      struct md_error *err)
{
	static const char sql[] =
		"SELECT id, coalesce(card_no, ''), status FROM seals WHERE person_id = ?1 "
		"AND status IN ('pending', 'registered') ORDER BY id";
	long long ids[4];
	char cards[4][16], was[4][16];
	sqlite3_stmt *s;
	int n = 0, rc;

	if (!reason || (strcmp(reason, "moved_out") != 0 && strcmp(reason, "death") != 0 &&
	                strcmp(reason, "ex_officio") != 0))
		return md_error_set(err, MD_E_INVALID, "reason",
		                    _("a seal registration ends for moved_out, death or ex_officio, not \"%s\""),
		                    reason ? reason : "");
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if (!(s = md_store_stmt(ctx->store, sql, err))) {
		rc = MD_E_DB;
		goto fail;
	}
	sqlite3_bind_int64(s, 1, person);
	while (n < 4 && sqlite3_step(s) == SQLITE_ROW) {
		ids[n] = sqlite3_column_int64(s, 0);
		copy(cards[n], sizeof cards[n], md_col_text(s, 1));
		copy(was[n], sizeof was[n], md_col_text(s, 2));
		n++;
	}
	sqlite3_reset(s);
	for (int i = 0; i < n; i++) {
		char detail[160];
		if ((rc = set_cancelled(ctx, ids[i], reason, change_id, 0, NULL, err)) != MD_OK)
			goto fail;
		snprintf(detail, sizeof detail, "seal=%lld reason=%s%s%s was=%s", ids[i], reason,
		         *cards[i] ? " card=" : "", cards[i], was[i]);
		if (change_id > 0) {
			size_t l = strlen(detail);
			snprintf(detail + l, sizeof detail - l, " change=%lld", change_id);
		}
		if ((rc = audit(ctx, "seal.cancel", person, "cancel", "ok", detail, err)) != MD_OK)
			goto fail;
	}
	return md_store_commit(ctx->store, err);
fail:
	md_store_rollback(ctx->store);
	return rc;
}

int md_seal_cancel_for_person(struct md_ctx *ctx, long long person, const char *reason,
                              struct md_error *err)
{
	return cancel_for(ctx, person, reason, 0, err);
}

int md_seal_person_left(struct md_ctx *ctx, long long person, const char *status, long long change_id,
                        struct md_error *err)
{
	const char *reason;

	if (!status || strcmp(status, "resident") == 0)
		return MD_OK;
	reason = strcmp(status, "dead") == 0 ? "death" : strcmp(status, "moved_out") == 0 ? "moved_out"
	                                                                                    : "ex_officio";
	return cancel_for(ctx, person, reason, change_id, err);
}

/* ---- the stored impression ------------------------------------------------- */

int md_seal_hash_file(const char *path, char hex[65], struct md_error *err)
{
	unsigned char *buf = NULL, bin[32];
	size_t len = 0;
	int rc = read_png(path, &buf, &len, err);

	hex[0] = '\0';
	if (rc != MD_OK)
		return rc;
	crypto_generichash(bin, sizeof bin, buf, len, NULL, 0);
	sodium_bin2hex(hex, 65, bin, sizeof bin);
	free(buf);
	return MD_OK;
}

/* ---- the 照会書 ------------------------------------------------------------ */

int md_seal_letter(struct md_ctx *ctx, long long seal_id, struct md_seal_letter *out, struct md_error *err)
{
	static const char sql[] =
		"SELECT s.person_id, s.applied_on, s.inquiry_sent_on, s.inquiry_answer_due, s.status, "
		"coalesce(p.postal_code, ''), p.address, coalesce(p.katagaki, ''), p.surname || ' ' || p.given_name "
		"FROM seals s JOIN persons p ON p.id = s.person_id WHERE s.id = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	char status[16] = "";
	int rc;

	memset(out, 0, sizeof *out);
	if (!s)
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, seal_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->seal_id = seal_id;
		out->person_id = sqlite3_column_int64(s, 0);
		copy(out->applied_on, sizeof out->applied_on, md_col_text(s, 1));
		copy(out->sent_on, sizeof out->sent_on, md_col_text(s, 2));
		copy(out->answer_due, sizeof out->answer_due, md_col_text(s, 3));
		copy(status, sizeof status, md_col_text(s, 4));
		copy(out->postal_code, sizeof out->postal_code, md_col_text(s, 5));
		snprintf(out->address, sizeof out->address, "%s%s%s", md_col_text(s, 6),
		         *md_col_text(s, 7) ? "　" : "", md_col_text(s, 7));
		copy(out->name, sizeof out->name, md_col_text(s, 8));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return md_error_set(err, MD_E_NOTFOUND, "id", _("there is no seal application %lld"), seal_id);
	if (strcmp(status, "pending") != 0)
		return md_error_set(err, MD_E_CONFLICT, "id",
		                    _("seal application %lld is %s, not waiting for the answer to a 照会書"), seal_id,
		                    status);
	return MD_OK;
}
