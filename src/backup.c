/* backup.c: encrypted online backups and their restore.
 *
 * File format (all integers little-endian):
 *   0   "MDBACKUP"           8   format version (1)    9  mode: 1 key file, 2 passphrase
 *   10  kind: 0 production, 1 training                 11 reserved (0)
 *   12  schema version u32   16  argon2id opslimit u32 20 argon2id memlimit in KiB u32
 *   24  database image size u64                        32 argon2id salt [16]
 *   48  key check [32]: keyed BLAKE2b of a constant with the file key
 *   80  BLAKE2b of the database image [32]            112 created, UTC ISO text [20] + pad
 *   136 seal impression count u32                     140 reserved [20]
 *   160 secretstream header [24]                      184 chunks: u32 length, ciphertext
 * The plaintext is the database image followed by one record per seal
 * impression (u32 path length, path, u64 size, bytes). The first chunk
 * carries the 160-byte header as additional data, so the clear header cannot
 * be changed either; the last chunk has the FINAL tag, so a cut file is
 * refused.
 *
 * Nothing holds the whole database in memory: the snapshot is copied into a
 * private temporary file beside the backup, hashed and encrypted from there
 * one chunk at a time, and the written backup is verified by decrypting it
 * chunk by chunk again; a restore decrypts straight into a temporary file
 * beside the new database. Only the seal impressions (small) are held. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include <sqlite3.h>

#include "account.h"
#include "audit.h"
#include "backup.h"
#include "ctx.h"
#include "i18n.h"
#include "store.h"
#include "timeutil.h"
#include "xalloc.h"

#define MAGIC "MDBACKUP"
#define HDR_BYTES 160
#define SS_HDR crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define SS_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define CHUNK (1u << 20)
#define PP_OPSLIMIT 3u
#define PP_MEMLIMIT_KIB (64u * 1024u)
#define MAX_IMAGE ((unsigned long long)1 << 40)

struct header {
	int mode, kind, schema, files;
	uint32_t opslimit, memlimit_kib;
	unsigned long long db_bytes;
	unsigned char salt[crypto_pwhash_SALTBYTES];
	unsigned char check[32];
	unsigned char hash[32];
	char created[21];
};

/* ---- little helpers ------------------------------------------------------ */

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, unsigned long long v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v = 0;
	for (int i = 3; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static unsigned long long get64(const unsigned char *p)
{
	unsigned long long v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void header_pack(const struct header *h, unsigned char out[HDR_BYTES])
{
	memset(out, 0, HDR_BYTES);
	memcpy(out, MAGIC, 8);
	out[8] = 1;
	out[9] = (unsigned char)h->mode;
	out[10] = (unsigned char)h->kind;
	put32(out + 12, (uint32_t)h->schema);
	put32(out + 16, h->opslimit);
	put32(out + 20, h->memlimit_kib);
	put64(out + 24, h->db_bytes);
	memcpy(out + 32, h->salt, sizeof h->salt);
	memcpy(out + 48, h->check, 32);
	memcpy(out + 80, h->hash, 32);
	memcpy(out + 112, h->created, strlen(h->created) < 20 ? strlen(h->created) : 20);
	put32(out + 136, (uint32_t)h->files);
}

static int header_unpack(const char *file, const unsigned char in[HDR_BYTES], struct header *h,
                         struct md_error *err)
{
	memset(h, 0, sizeof *h);
	if (memcmp(in, MAGIC, 8) != 0)
		return md_error_set(err, MD_E_INVALID, "file", _("%s is not a madoguchi backup"), file);
	if (in[8] != 1)
		return md_error_set(err, MD_E_SCHEMA, "file",
		                    _("%s is a backup of a newer format (%d): use a newer madoguchi"), file,
		                    in[8]);
	h->mode = in[9];
	h->kind = in[10];
	h->schema = (int)get32(in + 12);
	h->opslimit = get32(in + 16);
	h->memlimit_kib = get32(in + 20);
	h->db_bytes = get64(in + 24);
	memcpy(h->salt, in + 32, sizeof h->salt);
	memcpy(h->check, in + 48, 32);
	memcpy(h->hash, in + 80, 32);
	memcpy(h->created, in + 112, 20);
	h->created[20] = '\0';
	h->files = (int)get32(in + 136);
	if ((h->mode != 1 && h->mode != 2) || (h->kind != 0 && h->kind != 1) || h->files < 0 ||
	    h->db_bytes == 0 || h->db_bytes > MAX_IMAGE ||
	    (h->mode == 2 && (h->opslimit < crypto_pwhash_OPSLIMIT_MIN ||
	                      h->memlimit_kib < 8 || h->memlimit_kib > 4u * 1024u * 1024u)))
		return md_error_set(err, MD_E_INVALID, "file",
		                    _("the backup %s is damaged or was altered (its header is invalid)"),
		                    file);
	return MD_OK;
}

static void info_from(const struct header *h, struct md_backup_info *info)
{
	info->passphrase = h->mode == 2;
	info->training = h->kind == 1;
	info->schema = h->schema;
	info->db_bytes = (long long)h->db_bytes;
	info->files = h->files;
	snprintf(info->created, sizeof info->created, "%s", h->created);
	sodium_bin2hex(info->hash, sizeof info->hash, h->hash, 32);
}

static void key_check(const unsigned char key[MD_KEY_BYTES], unsigned char out[32])
{
	static const char what[] = "madoguchi backup key check";
	crypto_generichash(out, 32, (const unsigned char *)what, sizeof what - 1, key, MD_KEY_BYTES);
}

static int passphrase_key(const char *pp, const struct header *h, unsigned char key[MD_KEY_BYTES],
                          struct md_error *err)
{
	if (crypto_pwhash(key, MD_KEY_BYTES, pp, strlen(pp), h->salt, h->opslimit,
	                  (size_t)h->memlimit_kib * 1024u, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return md_error_set(err, MD_E_IO, "passphrase",
		                    _("not enough memory to derive the key from the passphrase"));
	return MD_OK;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	unsigned char *p = buf;
	while (len) {
		ssize_t r = read(fd, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* A new private file beside path: "<path>.tmp-XXXXXX", mode 0600. */
static int temp_beside(const char *path, char **tmp, struct md_error *err)
{
	int fd;
	*tmp = xasprintf("%s.tmp-XXXXXX", path);
	fd = mkstemp(*tmp);
	if (fd < 0 || fchmod(fd, 0600) != 0) {
		int e = errno;
		if (fd >= 0) {
			close(fd);
			unlink(*tmp);
		}
		md_error_set(err, MD_E_IO, "out", _("cannot create a file beside %s: %s"), path, strerror(e));
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	return fd;
}

/* Moves tmp to path without ever replacing a file there. */
static int place(const char *tmp, const char *path, const char *field, struct md_error *err)
{
	if (link(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		if (e == EEXIST)
			return md_error_set(err, MD_E_CONFLICT, field,
			                    _("%s already exists: refusing to overwrite it"), path);
		return md_error_set(err, MD_E_IO, field, _("cannot create %s: %s"), path, strerror(e));
	}
	unlink(tmp);
	{
		char *dir = dir_of(path);
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		free(dir);
	}
	return MD_OK;
}

/* ---- encryption ----------------------------------------------------------- */

/* BLAKE2b of the first len bytes of fd (read from its start), chunk by chunk. */
static int hash_fd(int fd, unsigned long long len, unsigned char out[32])
{
	crypto_generichash_state st;
	unsigned char *buf = xmalloc(CHUNK);
	int rc = 0;

	if (lseek(fd, 0, SEEK_SET) != 0) {
		free(buf);
		return -1;
	}
	crypto_generichash_init(&st, NULL, 0, 32);
	while (len > 0) {
		size_t take = len > CHUNK ? CHUNK : (size_t)len;
		if (read_all(fd, buf, take) != 0) {
			rc = -1;
			break;
		}
		crypto_generichash_update(&st, buf, take);
		len -= take;
	}
	crypto_generichash_final(&st, out, 32);
	sodium_memzero(buf, CHUNK);
	free(buf);
	return rc;
}

/* Encrypts the first src_len bytes of src_fd (the database snapshot, read
 * from its start) followed by tail[tail_len] into fd, one CHUNK at a time:
 * never more than a chunk of the database is in memory. */
static int encrypt_to(int fd, const unsigned char hdr[HDR_BYTES], const unsigned char key[MD_KEY_BYTES],
                      int src_fd, unsigned long long src_len, const unsigned char *tail,
                      size_t tail_len)
{
	crypto_secretstream_xchacha20poly1305_state ss;
	unsigned char sshdr[SS_HDR], lenb[4];
	unsigned char *plain = xmalloc(CHUNK), *cipher = xmalloc(CHUNK + SS_ABYTES);
	unsigned long long total = src_len + tail_len, done = 0, from_src = 0;
	size_t from_tail = 0, fill;
	int first = 1, rc = -1;

	crypto_secretstream_xchacha20poly1305_init_push(&ss, sshdr, key);
	if (lseek(src_fd, 0, SEEK_SET) != 0 || write_all(fd, hdr, HDR_BYTES) != 0 ||
	    write_all(fd, sshdr, sizeof sshdr) != 0)
		goto out;
	do {
		unsigned long long clen;
		unsigned char tag;
		fill = 0;
		if (from_src < src_len) {
			size_t take = src_len - from_src > CHUNK ? CHUNK : (size_t)(src_len - from_src);
			if (read_all(src_fd, plain, take) != 0)
				goto out;
			from_src += take;
			fill = take;
		}
		if (fill < CHUNK && from_tail < tail_len) {
			size_t take = tail_len - from_tail;
			if (take > CHUNK - fill)
				take = CHUNK - fill;
			memcpy(plain + fill, tail + from_tail, take);
			from_tail += take;
			fill += take;
		}
		done += fill;
		tag = done == total ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0;
		crypto_secretstream_xchacha20poly1305_push(&ss, cipher, &clen, plain, fill,
		                                           first ? hdr : NULL, first ? HDR_BYTES : 0, tag);
		first = 0;
		put32(lenb, (uint32_t)clen);
		if (write_all(fd, lenb, 4) != 0 || write_all(fd, cipher, (size_t)clen) != 0)
			goto out;
	} while (done < total);
	rc = 0;
out:
	sodium_memzero(plain, CHUNK);
	free(plain);
	free(cipher);
	sodium_memzero(&ss, sizeof ss);
	return rc;
}

/* Reads and decrypts a backup chunk by chunk. The database image goes to
 * db_fd (-1: nowhere, only hashed) and is checked against the header's
 * BLAKE2b; what follows it (the seal impression records, small) is returned
 * in *tail (allocated, *tail_len bytes). key_for() gives the key once the
 * header is known. On failure db_fd may hold part of the image: the caller
 * removes it. */
typedef int (*key_fn)(void *arg, const struct header *h, unsigned char key[MD_KEY_BYTES],
                      struct md_error *err);

static int decrypt_file(const char *file, key_fn key_for, void *arg, struct header *h, int db_fd,
                        unsigned char **tail, size_t *tail_len, struct md_error *err)
{
	crypto_secretstream_xchacha20poly1305_state ss;
	crypto_generichash_state hs;
	unsigned char hdr[HDR_BYTES], sshdr[SS_HDR], key[MD_KEY_BYTES], check[32], lenb[4];
	unsigned char *cipher = NULL, *plain = NULL, *out = NULL, tag = 0;
	unsigned long long db_done = 0;
	size_t cap = 0, len = 0;
	int fd, rc, first = 1, io_fail = 0;

	*tail = NULL;
	*tail_len = 0;
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return md_error_set(err, errno == ENOENT ? MD_E_NOTFOUND : MD_E_IO, "file",
		                    _("cannot read %s: %s"), file, strerror(errno));
	if (read_all(fd, hdr, HDR_BYTES) != 0) {
		close(fd);
		return md_error_set(err, MD_E_INVALID, "file", _("%s is not a madoguchi backup"), file);
	}
	if ((rc = header_unpack(file, hdr, h, err)) != MD_OK) {
		close(fd);
		return rc;
	}
	if ((rc = key_for(arg, h, key, err)) != MD_OK) {
		close(fd);
		return rc;
	}
	key_check(key, check);
	if (sodium_memcmp(check, h->check, 32) != 0) {
		sodium_memzero(key, sizeof key);
		close(fd);
		if (h->mode == 2)
			return md_error_set(err, MD_E_KEY, "passphrase",
			                    _("the passphrase is wrong for the backup %s"), file);
		return md_error_set(err, MD_E_KEY, "key_file",
		                    _("the key file is not the one the backup %s was made with"), file);
	}
	if (read_all(fd, sshdr, sizeof sshdr) != 0 ||
	    crypto_secretstream_xchacha20poly1305_init_pull(&ss, sshdr, key) != 0)
		goto damaged;
	sodium_memzero(key, sizeof key);
	crypto_generichash_init(&hs, NULL, 0, 32);
	cipher = xmalloc(CHUNK + SS_ABYTES);
	plain = xmalloc(CHUNK);
	while (tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
		unsigned long long mlen;
		size_t to_db = 0;
		uint32_t clen;
		if (read_all(fd, lenb, 4) != 0)
			goto damaged;
		clen = get32(lenb);
		if (clen < SS_ABYTES || clen > CHUNK + SS_ABYTES || read_all(fd, cipher, clen) != 0)
			goto damaged;
		if (crypto_secretstream_xchacha20poly1305_pull(&ss, plain, &mlen, &tag, cipher, clen,
		                                               first ? hdr : NULL,
		                                               first ? HDR_BYTES : 0) != 0)
			goto damaged;
		first = 0;
		if (db_done < h->db_bytes) {
			to_db = h->db_bytes - db_done < mlen ? (size_t)(h->db_bytes - db_done) : (size_t)mlen;
			crypto_generichash_update(&hs, plain, to_db);
			if (db_fd >= 0 && write_all(db_fd, plain, to_db) != 0) {
				io_fail = errno ? errno : EIO;
				goto damaged;
			}
			db_done += to_db;
		}
		if ((size_t)mlen > to_db) {
			/* The buffer grows with what has been authenticated, not with
			 * what the (not yet authenticated) header claims. */
			size_t more = (size_t)mlen - to_db;
			if (len + more > cap) {
				size_t ncap = (len + more) * 2;
				unsigned char *n = xmalloc(ncap);
				if (len)
					memcpy(n, out, len);
				if (out) {
					sodium_memzero(out, cap);
					free(out);
				}
				out = n;
				cap = ncap;
			}
			memcpy(out + len, plain + to_db, more);
			len += more;
		}
	}
	{
		unsigned char extra;
		if (read(fd, &extra, 1) != 0)
			goto damaged;
	}
	close(fd);
	fd = -1;
	if (db_done < h->db_bytes)
		goto damaged;
	{
		unsigned char hash[32];
		crypto_generichash_final(&hs, hash, 32);
		if (sodium_memcmp(hash, h->hash, 32) != 0)
			goto damaged;
	}
	sodium_memzero(plain, CHUNK);
	free(plain);
	free(cipher);
	sodium_memzero(&ss, sizeof ss);
	*tail = out ? out : xmalloc(1);
	*tail_len = len;
	return MD_OK;
damaged:
	if (fd >= 0)
		close(fd);
	free(cipher);
	sodium_memzero(key, sizeof key);
	sodium_memzero(&ss, sizeof ss);
	if (plain) {
		sodium_memzero(plain, CHUNK);
		free(plain);
	}
	if (out) {
		sodium_memzero(out, cap);
		free(out);
	}
	if (io_fail)
		return md_error_set(err, MD_E_IO, "db", _("cannot write the restored database: %s"),
		                    strerror(io_fail));
	return md_error_set(err, MD_E_TAMPER, "file",
	                    _("the backup %s is damaged or was altered: it cannot be decrypted whole"),
	                    file);
}

/* ---- checks on a database ----------------------------------------------- */

/* Schema version and PRAGMA integrity_check of an open database. */
static int check_db(sqlite3 *db, const char *what, int want_schema, struct md_error *err)
{
	sqlite3_stmt *s = NULL;
	int v = -1, ok = 0;
	char first[200] = "";

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (v <= 0 || v > md_store_latest_version())
		return md_error_set(err, MD_E_SCHEMA, "file",
		                    v > 0 ? _("%s holds schema version %d, but this madoguchi knows only up "
		                              "to %d: use a newer madoguchi")
		                          : _("%s does not hold a madoguchi database (schema version %d of %d)"),
		                    what, v, md_store_latest_version());
	if (want_schema && v != want_schema)
		return md_error_set(err, MD_E_TAMPER, "file",
		                    _("%s holds schema version %d, but its header says %d"), what, v,
		                    want_schema);
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(s, 0);
			if (t && strcmp(t, "ok") == 0 && !first[0])
				ok = 1;
			else if (t && !first[0]) {
				ok = 0;
				snprintf(first, sizeof first, "%s", t);
			}
		}
	}
	sqlite3_finalize(s);
	if (!ok)
		return md_error_set(err, MD_E_TAMPER, "file", _("%s fails the integrity check: %s"), what,
		                    first[0] ? first : sqlite3_errmsg(db));
	return MD_OK;
}

/* ---- making a backup -------------------------------------------------------- */

struct image {
	char *snap;            /* the snapshot copy: a private file beside the backup */
	int fd;                /* open on snap, or -1 */
	unsigned long long len;
	int steps;
	char *files;           /* the seal impression records */
	size_t files_len;
	int nfiles;
};

static void image_release(struct image *im)
{
	if (im->files) {
		sodium_memzero(im->files, im->files_len);
		free(im->files);
	}
	if (im->fd >= 0)
		close(im->fd);
	if (im->snap) {
		char *j = xasprintf("%s-journal", im->snap);
		unlink(j);
		free(j);
		unlink(im->snap);
		free(im->snap);
	}
	memset(im, 0, sizeof *im);
	im->fd = -1;
}

static int collect_files(sqlite3 *db, const char *db_path, struct image *im, struct md_error *err);

/* Copies the database through a connection of its own, inside one read
 * transaction, into a temporary file beside out (mode 0600, removed by
 * image_release): the copy is the state at the start, whatever other
 * connections write meanwhile (WAL keeps their pages apart). Only a step's
 * pages pass through memory, never the whole database. */
static int take_copy(struct md_ctx *ctx, const char *out, const struct md_backup_opts *o,
                     struct image *im, struct md_error *err)
{
	const char *path = md_store_path(ctx->store);
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_backup *b;
	int step = o && o->pages_per_step > 0 ? o->pages_per_step : 256;
	int rc, fd;
	struct stat sb;

	memset(im, 0, sizeof *im);
	im->fd = -1;
	if ((fd = temp_beside(out, &im->snap, err)) < 0)
		return MD_E_IO;
	close(fd);
	if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		md_error_set(err, MD_E_DB, "db", _("cannot open database %s: %s"), path,
		             src ? sqlite3_errmsg(src) : strerror(errno));
		sqlite3_close(src);
		image_release(im);
		return MD_E_DB;
	}
	sqlite3_busy_timeout(src, 5000);
	if (sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_schema;", NULL, NULL, NULL) != SQLITE_OK)
		goto dbfail;
	/* The snapshot is a scratch file: no journal, no syncs (it is checked
	 * and hashed before it is encrypted, and removed afterwards). */
	if (sqlite3_open_v2(im->snap, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	        SQLITE_OK ||
	    sqlite3_exec(dst, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;", NULL, NULL, NULL) !=
	        SQLITE_OK) {
		md_error_set(err, MD_E_DB, "", _("database error while %s: %s"), _("starting the backup"),
		             dst ? sqlite3_errmsg(dst) : strerror(errno));
		goto fail;
	}
	b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		md_error_set(err, MD_E_DB, "", _("database error while %s: %s"), _("starting the backup"),
		             sqlite3_errmsg(dst));
		goto fail;
	}
	for (;;) {
		rc = sqlite3_backup_step(b, step);
		im->steps++;
		if (rc == SQLITE_DONE)
			break;
		if (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			if (rc != SQLITE_OK)
				sqlite3_sleep(20);
			if (o && o->between_steps)
				o->between_steps(o->arg, sqlite3_backup_remaining(b), sqlite3_backup_pagecount(b));
			continue;
		}
		break;
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		md_error_set(err, MD_E_DB, "", _("database error while %s: %s"), _("copying the database"),
		             sqlite3_errstr(rc));
		goto fail;
	}
	if (sqlite3_close(dst) != SQLITE_OK) {
		md_error_set(err, MD_E_DB, "", _("database error while %s: %s"), _("copying the database"),
		             sqlite3_errmsg(dst));
		dst = NULL;
		goto fail;
	}
	dst = NULL;
	/* The seal impressions of the same snapshot. */
	if (collect_files(src, path, im, err) != MD_OK)
		goto fail;
	sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(src);
	/* The copy is kept in rollback-journal form (file format bytes 18 and
	 * 19); opening the restored database switches it to WAL again. */
	im->fd = open(im->snap, O_RDWR | O_CLOEXEC);
	if (im->fd < 0 || fstat(im->fd, &sb) != 0 || sb.st_size < 100 ||
	    pwrite(im->fd, "\1\1", 2, 18) != 2) {
		md_error_set(err, MD_E_IO, "out", _("cannot write %s: %s"), im->snap, strerror(errno));
		image_release(im);
		return MD_E_IO;
	}
	im->len = (unsigned long long)sb.st_size;
	return MD_OK;
dbfail:
	md_error_set(err, MD_E_DB, "", _("database error while %s: %s"), _("copying the database"),
	             sqlite3_errmsg(src));
fail:
	sqlite3_close(dst);
	sqlite3_exec(src, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(src);
	image_release(im);
	return err->code ? err->code : MD_E_DB;
}


static int safe_rel(const char *rel)
{
	return rel[0] && rel[0] != '/' && !strstr(rel, "..") && !strchr(rel, '\n');
}

static int read_file(const char *path, unsigned char **buf, size_t *len)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > (off_t)64 * 1024 * 1024) {
		close(fd);
		return -1;
	}
	*len = (size_t)sb.st_size;
	*buf = xmalloc(*len ? *len : 1);
	if (*len && read_all(fd, *buf, *len) != 0) {
		close(fd);
		free(*buf);
		*buf = NULL;
		return -1;
	}
	close(fd);
	return 0;
}

/* The seal impressions the copy refers to, as records. */
static int collect_files(sqlite3 *db, const char *db_path, struct image *im, struct md_error *err)
{
	sqlite3_stmt *s = NULL;
	char *dir = dir_of(db_path);
	size_t cap = 0;
	int rc = MD_OK;

	if (sqlite3_prepare_v2(db,
	                       "SELECT DISTINCT impression_path FROM seals ORDER BY impression_path",
	                       -1, &s, NULL) != SQLITE_OK) {
		free(dir);
		return md_error_set(err, MD_E_DB, "", _("database error while %s: %s"),
		                    _("listing the seal impressions"), sqlite3_errmsg(db));
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *rel = (const char *)sqlite3_column_text(s, 0);
		unsigned char *data;
		size_t len, rl;
		char *path;

		if (!rel || !safe_rel(rel)) {
			rc = md_error_set(err, MD_E_INVALID, "", _("a seal impression has an unsafe path: %s"),
			                  rel ? rel : "");
			break;
		}
		path = xasprintf("%s/%s", dir, rel);
		if (read_file(path, &data, &len) != 0) {
			rc = md_error_set(err, MD_E_IO, "", _("cannot read the seal impression %s: %s"), path,
			                  strerror(errno));
			free(path);
			break;
		}
		free(path);
		rl = strlen(rel);
		if (im->files_len + 12 + rl + len > cap) {
			cap = (im->files_len + 12 + rl + len) * 2;
			im->files = xrealloc(im->files, cap);
		}
		put32((unsigned char *)im->files + im->files_len, (uint32_t)rl);
		memcpy(im->files + im->files_len + 4, rel, rl);
		put64((unsigned char *)im->files + im->files_len + 4 + rl, len);
		memcpy(im->files + im->files_len + 12 + rl, data, len);
		im->files_len += 12 + rl + len;
		im->nfiles++;
		free(data);
	}
	sqlite3_finalize(s);
	free(dir);
	return rc;
}

struct fixed_key {
	const unsigned char *key;
};

static int use_fixed_key(void *arg, const struct header *h, unsigned char key[MD_KEY_BYTES],
                         struct md_error *err)
{
	(void)h;
	(void)err;
	memcpy(key, ((const struct fixed_key *)arg)->key, MD_KEY_BYTES);
	return MD_OK;
}

static int make(struct md_ctx *ctx, const char *out, const struct md_backup_opts *o,
                struct md_backup_info *info, char **tmp_out, struct md_error *err)
{
	struct image im;
	struct header h;
	unsigned char hdr[HDR_BYTES], key[MD_KEY_BYTES];
	char ts[32];
	char *tmp = NULL;
	int fd = -1, rc;

	if ((rc = take_copy(ctx, out, o, &im, err)) != MD_OK)
		return rc;
	memset(&h, 0, sizeof h);
	h.mode = o && o->passphrase ? 2 : 1;
	h.kind = ctx->kind == MD_DB_TRAINING ? 1 : 0;
	h.schema = md_store_version(ctx->store);
	h.db_bytes = im.len;
	h.files = im.nfiles;
	md_time_iso(md_time_now(), ts, sizeof ts);
	memcpy(h.created, ts, sizeof h.created - 1);   /* "2026-11-22T16:20:01Z": 20 characters */
	h.created[sizeof h.created - 1] = '\0';
	/* The snapshot is checked before it is encrypted. */
	{
		sqlite3 *db = NULL;
		if (sqlite3_open_v2(im.snap, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
			rc = md_error_set(err, MD_E_DB, "", _("database error while %s: %s"),
			                  _("copying the database"), sqlite3_errmsg(db));
		else
			rc = check_db(db, out, h.schema, err);
		sqlite3_close(db);
		if (rc != MD_OK)
			goto out;
	}
	if (hash_fd(im.fd, im.len, h.hash) != 0) {
		rc = md_error_set(err, MD_E_IO, "out", _("cannot read %s: %s"), im.snap, strerror(errno));
		goto out;
	}
	if (h.mode == 2) {
		h.opslimit = PP_OPSLIMIT;
		h.memlimit_kib = PP_MEMLIMIT_KIB;
		randombytes_buf(h.salt, sizeof h.salt);
		if ((rc = passphrase_key(o->passphrase, &h, key, err)) != MD_OK)
			goto out;
	} else {
		memcpy(key, ctx->keys.backup, MD_KEY_BYTES);
	}
	key_check(key, h.check);
	header_pack(&h, hdr);
	if ((fd = temp_beside(out, &tmp, err)) < 0) {
		rc = MD_E_IO;
		goto out;
	}
	if (encrypt_to(fd, hdr, key, im.fd, im.len, (const unsigned char *)im.files, im.files_len) != 0 ||
	    fsync(fd) != 0) {
		rc = md_error_set(err, MD_E_IO, "out", _("cannot write %s: %s"), tmp, strerror(errno));
		goto out;
	}
	close(fd);
	fd = -1;
	/* Verify: decrypt what was written, chunk by chunk; the image must hash
	 * to the checked snapshot's hash and the impressions read back. */
	{
		struct header h2;
		struct fixed_key fk = { key };
		unsigned char *tail = NULL;
		size_t tlen = 0;

		if ((rc = decrypt_file(tmp, use_fixed_key, &fk, &h2, -1, &tail, &tlen, err)) != MD_OK)
			goto out;
		if (h2.db_bytes != im.len || sodium_memcmp(h2.hash, h.hash, 32) != 0 ||
		    tlen != im.files_len || (tlen && memcmp(tail, im.files, tlen) != 0))
			rc = md_error_set(err, MD_E_TAMPER, "out",
			                  _("the backup %s does not read back as written"), tmp);
		sodium_memzero(tail, tlen);
		free(tail);
		if (rc != MD_OK)
			goto out;
	}
	info_from(&h, info);
	info->steps = im.steps;
	*tmp_out = tmp;
	tmp = NULL;
out:
	sodium_memzero(key, sizeof key);
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	image_release(&im);
	return rc;
}

int md_backup_make(struct md_ctx *ctx, const char *out, const struct md_backup_opts *opts,
                   struct md_backup_info *info, struct md_error *err)
{
	struct md_backup_info dummy;
	struct md_audit_rec r = { NULL, "backup", NULL, "backup made", "ok", NULL, 0 };
	struct md_error e2;
	char *tmp = NULL, *detail;
	int rc;

	if (!info)
		info = &dummy;
	memset(info, 0, sizeof *info);
	if (!out || !*out)
		return md_error_set(err, MD_E_INVALID, "out", _("give the backup file with --out FILE"));
	if (opts && opts->passphrase && strlen(opts->passphrase) < MD_BACKUP_MIN_PASSPHRASE)
		return md_error_set(err, MD_E_INVALID, "passphrase",
		                    _("the passphrase must have at least %d characters"),
		                    MD_BACKUP_MIN_PASSPHRASE);
	if (access(out, F_OK) == 0)
		return md_error_set(err, MD_E_CONFLICT, "out",
		                    _("%s already exists: refusing to overwrite it"), out);
	if ((rc = md_crypto_init(err)) != MD_OK)
		return rc;
	rc = make(ctx, out, opts, info, &tmp, err);
	if (rc == MD_OK)
		rc = place(tmp, out, "out", err);
	free(tmp);
	if (rc == MD_OK)
		detail = xasprintf("file=%s bytes=%lld seal_impressions=%d steps=%d encryption=%s "
		                   "schema=%d blake2b=%s", out, info->db_bytes, info->files, info->steps,
		                   info->passphrase ? "passphrase" : "key_file", info->schema, info->hash);
	else
		detail = xasprintf("file=%s error=%s", out, err->msg);
	r.outcome = rc == MD_OK ? "ok" : "failed";
	r.action = rc == MD_OK ? "backup made" : "backup failed";
	r.detail = detail;
	if (md_audit(ctx, &r, &e2) != MD_OK && rc == MD_OK) {
		/* A backup that cannot be logged is not kept. */
		unlink(out);
		*err = e2;
		rc = e2.code;
	}
	free(detail);
	return rc;
}

int md_backup_inspect(const char *file, struct md_backup_info *info, struct md_error *err)
{
	unsigned char hdr[HDR_BYTES];
	struct header h;
	int fd, rc;

	memset(info, 0, sizeof *info);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return md_error_set(err, errno == ENOENT ? MD_E_NOTFOUND : MD_E_IO, "file",
		                    _("cannot read %s: %s"), file, strerror(errno));
	rc = read_all(fd, hdr, HDR_BYTES);
	close(fd);
	if (rc != 0)
		return md_error_set(err, MD_E_INVALID, "file", _("%s is not a madoguchi backup"), file);
	if ((rc = header_unpack(file, hdr, &h, err)) != MD_OK)
		return rc;
	info_from(&h, info);
	return MD_OK;
}

/* ---- restore ------------------------------------------------------------------ */

struct restore_keys {
	const char *passphrase;
	const char *key_path;
	const char *file;
};

static int restore_key(void *arg, const struct header *h, unsigned char key[MD_KEY_BYTES],
                       struct md_error *err)
{
	struct restore_keys *rk = arg;
	if (h->mode == 2) {
		if (!rk->passphrase || !*rk->passphrase)
			return md_error_set(err, MD_E_INVALID, "passphrase",
			                    _("the backup %s is protected by a passphrase: run "
			                      "\"madoguchi restore --passphrase\""), rk->file);
		return passphrase_key(rk->passphrase, h, key, err);
	} else {
		struct md_keys k;
		int rc = md_keyfile_load(rk->key_path, &k, err);
		if (rc != MD_OK)
			return rc;
		memcpy(key, k.backup, MD_KEY_BYTES);
		md_keys_wipe(&k);
	}
	return MD_OK;
}

static int exists_any(const char *path)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		char *p = xasprintf("%s%s", path, sfx[i]);
		int e = access(p, F_OK) == 0;
		free(p);
		if (e)
			return 1;
	}
	return 0;
}

struct created {
	char **paths;
	int n;
};

static void created_undo(struct created *c)
{
	for (int i = c->n - 1; i >= 0; i--) {
		remove(c->paths[i]);
		free(c->paths[i]);
	}
	free(c->paths);
	memset(c, 0, sizeof *c);
}

static void created_keep(struct created *c)
{
	for (int i = 0; i < c->n; i++)
		free(c->paths[i]);
	free(c->paths);
	memset(c, 0, sizeof *c);
}

static void created_add(struct created *c, const char *p)
{
	c->paths = xrealloc(c->paths, sizeof *c->paths * (size_t)(c->n + 1));
	c->paths[c->n++] = xstrdup(p);
}

/* Writes the seal impressions beside the restored database: a file already
 * there with the same content is kept, one with other content is a conflict. */
static int restore_files(const char *dir, const unsigned char *p, size_t len, int nfiles,
                         struct created *made, struct md_error *err)
{
	size_t off = 0;
	for (int i = 0; i < nfiles; i++) {
		uint32_t rl;
		unsigned long long fl;
		char *rel, *path, *tmp, *slash;
		unsigned char *have = NULL;
		size_t havelen = 0;
		int fd, rc = MD_OK;

		if (off + 4 > len || (rl = get32(p + off)) == 0 || off + 12 + rl > len)
			goto bad;
		fl = get64(p + off + 4 + rl);
		if (fl > len - off - 12 - rl)
			goto bad;
		rel = xstrndup((const char *)p + off + 4, rl);
		if (!safe_rel(rel)) {
			free(rel);
			goto bad;
		}
		path = xasprintf("%s/%s", dir, rel);
		slash = strrchr(path, '/');
		*slash = '\0';
		if (mkdir(path, 0700) == 0)
			created_add(made, path);
		*slash = '/';
		if (read_file(path, &have, &havelen) == 0) {
			if (havelen != fl || memcmp(have, p + off + 12 + rl, havelen) != 0)
				rc = md_error_set(err, MD_E_CONFLICT, "db",
				                  _("%s already exists with other content: restore into another "
				                    "directory"), path);
			free(have);
		} else if ((fd = temp_beside(path, &tmp, err)) < 0) {
			rc = MD_E_IO;
		} else {
			if (write_all(fd, p + off + 12 + rl, (size_t)fl) != 0 || fsync(fd) != 0) {
				rc = md_error_set(err, MD_E_IO, "db", _("cannot write %s: %s"), tmp, strerror(errno));
				close(fd);
				unlink(tmp);
			} else {
				close(fd);
				rc = place(tmp, path, "db", err);
				if (rc == MD_OK)
					created_add(made, path);
			}
			free(tmp);
		}
		free(path);
		free(rel);
		if (rc != MD_OK)
			return rc;
		off += 12 + rl + (size_t)fl;
	}
	if (off != len)
		goto bad;
	return MD_OK;
bad:
	return md_error_set(err, MD_E_TAMPER, "file",
	                    _("the seal impressions in the backup are damaged"));
}

int md_backup_restore(const struct md_settings *cfg, const char *file, const char *new_path,
                      const char *passphrase, const char *user, const char *password,
                      struct md_backup_info *info, struct md_error *err)
{
	struct md_backup_info dummy;
	struct restore_keys rk = { passphrase, NULL, file };
	struct created made = { NULL, 0 };
	struct md_ctx *ctx = NULL;
	struct header h;
	unsigned char *plain = NULL;
	size_t plen = 0;
	char *tmp = NULL, *key_path = NULL, *dir = NULL;
	int fd = -1, rc;

	if (!info)
		info = &dummy;
	memset(info, 0, sizeof *info);
	if (!file || !*file)
		return md_error_set(err, MD_E_INVALID, "file", _("give the backup file to restore"));
	if (!new_path || !*new_path)
		return md_error_set(err, MD_E_INVALID, "db",
		                    _("give the new database's path with --db PATH"));
	if (exists_any(new_path))
		return md_error_set(err, MD_E_CONFLICT, "db",
		                    _("%s already exists: a backup is restored only into a new path"),
		                    new_path);
	if (!user || !*user || !password)
		return md_error_set(err, MD_E_INVALID, "admin",
		                    _("give the administrator of the restored database with --admin ID"));
	if ((rc = md_crypto_init(err)) != MD_OK)
		return rc;
	if ((rc = md_backup_inspect(file, info, err)) != MD_OK)
		return rc;
	key_path = md_ctx_key_path(cfg, new_path, info->training ? MD_DB_TRAINING : MD_DB_PRODUCTION);
	rk.key_path = key_path;
	if (access(key_path, F_OK) != 0) {
		rc = md_error_set(err, MD_E_KEY, "key_file",
		                  _("the key file %s is needed to open the restored database: copy the "
		                    "database's key file there (it is never inside a backup)"), key_path);
		goto out;
	}
	/* The image is decrypted straight into a file under a temporary name,
	 * and checked before anything else reads it. */
	if ((fd = temp_beside(new_path, &tmp, err)) < 0) {
		rc = MD_E_IO;
		goto out;
	}
	if ((rc = decrypt_file(file, restore_key, &rk, &h, fd, &plain, &plen, err)) != MD_OK)
		goto out;
	if (fsync(fd) != 0) {
		rc = md_error_set(err, MD_E_IO, "db", _("cannot write %s: %s"), tmp, strerror(errno));
		goto out;
	}
	close(fd);
	fd = -1;
	{
		sqlite3 *db = NULL;
		if (sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
			rc = md_error_set(err, MD_E_SCHEMA, "file", _("%s is not a madoguchi database: %s"),
			                  file, sqlite3_errmsg(db));
			sqlite3_close(db);
			goto out;
		}
		rc = check_db(db, file, h.schema, err);
		sqlite3_close(db);
		if (rc != MD_OK)
			goto out;
	}
	/* Opening checks the kind and the key file's check value, and brings an
	 * older schema up to date. */
	if ((rc = md_ctx_open(&ctx, cfg, tmp, key_path, h.kind ? MD_DB_TRAINING : MD_DB_PRODUCTION,
	                      err)) != MD_OK)
		goto out;
	{
		long count = 0, bad = 0;
		if ((rc = md_audit_verify(ctx, &count, &bad, err)) != MD_OK)
			goto out;
		/* An expired password still proves who it is: it must be changed
		 * at the next login to the restored database. */
		if ((rc = md_auth_login(ctx, user, password, err)) != MD_OK && rc != MD_E_EXPIRED)
			goto out;
		if (!md_auth_can(ctx, "backup")) {
			rc = md_error_set(err, MD_E_DENIED, "admin",
			                  _("%s may not restore backups (permission \"backup\" in the restored "
			                    "database)"), user);
			goto out;
		}
		dir = dir_of(new_path);
		if ((rc = restore_files(dir, plain, plen, h.files, &made,
		                        err)) != MD_OK)
			goto out;
		{
			char *detail = xasprintf("file=%s into=%s created=%s schema=%d audit_entries=%ld "
			                         "seal_impressions=%d encryption=%s blake2b=%s",
			                         file, new_path, info->created, info->schema, count, h.files,
			                         info->passphrase ? "passphrase" : "key_file", info->hash);
			struct md_audit_rec r = { NULL, "backup.restore", NULL, "backup restored and verified",
			                          "ok", detail, 0 };
			rc = md_audit(ctx, &r, err);
			free(detail);
			if (rc != MD_OK)
				goto out;
		}
	}
	/* Closing checkpoints the WAL into the file; only then it is linked
	 * under its name, never over a file that appeared meanwhile. */
	md_ctx_free(&ctx);
	{
		/* The writers' lock file of the temporary name (store.c) has no
		 * use under the new one. */
		char *lk = xasprintf("%s-writer", tmp);
		unlink(lk);
		free(lk);
	}
	if ((rc = place(tmp, new_path, "db", err)) != MD_OK)
		goto out;
	created_keep(&made);
	free(tmp);
	tmp = NULL;
out:
	md_ctx_free(&ctx);
	if (fd >= 0)
		close(fd);
	if (tmp) {
		char *w = xasprintf("%s-wal", tmp), *s = xasprintf("%s-shm", tmp);
		char *lk = xasprintf("%s-writer", tmp);
		unlink(w);
		unlink(s);
		unlink(lk);
		unlink(tmp);
		free(w);
		free(s);
		free(lk);
		free(tmp);
	}
	if (rc != MD_OK)
		created_undo(&made);
	if (plain) {
		sodium_memzero(plain, plen);
		free(plain);
	}
	free(dir);
	free(key_path);
	return rc;
}
