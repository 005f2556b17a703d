/* crypto.c: libsodium for the key file, argon2id passwords, secretbox and
 * keyed hashes. The key file holds one random master key; every purpose gets
 * its own subkey (crypto_kdf), so no key is used for two things. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "crypto.h"
#include "i18n.h"
#include "xalloc.h"

#define KEYFILE_MAGIC "madoguchi-key-v1"
#define KDF_CONTEXT "madoguch"   /* exactly crypto_kdf_CONTEXTBYTES */

/* argon2id cost: OWASP's m=19 MiB, t=2 keeps the screen's memory small. */
#define PW_OPSLIMIT 2
#define PW_MEMLIMIT (19u * 1024u * 1024u)

enum { SUBKEY_ENC = 1, SUBKEY_INDEX = 2, SUBKEY_AUDIT = 3, SUBKEY_CHECK = 4, SUBKEY_VERIFY = 5,
       SUBKEY_BACKUP = 6 };

int md_crypto_init(struct md_error *err)
{
	if (sodium_init() < 0)
		return md_error_set(err, MD_E_KEY, "", _("the cryptography library could not start"));
	return MD_OK;
}

static void derive(struct md_keys *k, const unsigned char master[crypto_kdf_KEYBYTES])
{
	crypto_kdf_derive_from_key(k->enc, sizeof k->enc, SUBKEY_ENC, KDF_CONTEXT, master);
	crypto_kdf_derive_from_key(k->index, sizeof k->index, SUBKEY_INDEX, KDF_CONTEXT, master);
	crypto_kdf_derive_from_key(k->audit, sizeof k->audit, SUBKEY_AUDIT, KDF_CONTEXT, master);
	crypto_kdf_derive_from_key(k->check, sizeof k->check, SUBKEY_CHECK, KDF_CONTEXT, master);
	crypto_kdf_derive_from_key(k->verify, sizeof k->verify, SUBKEY_VERIFY, KDF_CONTEXT, master);
	crypto_kdf_derive_from_key(k->backup, sizeof k->backup, SUBKEY_BACKUP, KDF_CONTEXT, master);
	k->loaded = 1;
}

int md_keyfile_create(const char *path, struct md_keys *keys, struct md_error *err)
{
	unsigned char master[crypto_kdf_KEYBYTES];
	char hex[crypto_kdf_KEYBYTES * 2 + 1];
	char *text;
	int fd;
	size_t len;
	ssize_t w;

	if (md_crypto_init(err) != MD_OK)
		return MD_E_KEY;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return md_error_set(err, MD_E_CONFLICT, "key_file",
			                    _("key file %s already exists: refusing to overwrite it"), path);
		return md_error_set(err, MD_E_IO, "key_file", _("cannot create key file %s: %s"), path,
		                    strerror(errno));
	}
	crypto_kdf_keygen(master);
	sodium_bin2hex(hex, sizeof hex, master, sizeof master);
	text = xasprintf("%s\n%s\n", KEYFILE_MAGIC, hex);
	len = strlen(text);
	w = write(fd, text, len);
	sodium_memzero(text, len);
	free(text);
	sodium_memzero(hex, sizeof hex);
	if (w != (ssize_t)len || fsync(fd) != 0 || close(fd) != 0) {
		int e = errno;
		unlink(path);
		sodium_memzero(master, sizeof master);
		return md_error_set(err, MD_E_IO, "key_file", _("cannot write key file %s: %s"), path,
		                    strerror(e));
	}
	derive(keys, master);
	sodium_memzero(master, sizeof master);
	return MD_OK;
}

int md_keyfile_load(const char *path, struct md_keys *keys, struct md_error *err)
{
	unsigned char master[crypto_kdf_KEYBYTES];
	char buf[256];
	char *nl;
	size_t binlen = 0;
	struct stat sb;
	ssize_t n;
	int fd;

	if (md_crypto_init(err) != MD_OK)
		return MD_E_KEY;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return md_error_set(err, MD_E_KEY, "key_file", _("cannot read key file %s: %s"), path,
		                    strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return md_error_set(err, MD_E_KEY, "key_file", _("key file %s is not a regular file"), path);
	}
	if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
		close(fd);
		return md_error_set(err, MD_E_KEY, "key_file",
		                    _("key file %s can be read by other users (mode %03o): "
		                      "it must be mode 0600"), path, (unsigned)(sb.st_mode & 0777));
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0)
		return md_error_set(err, MD_E_KEY, "key_file", _("cannot read key file %s: %s"), path,
		                    strerror(errno));
	buf[n] = '\0';
	nl = strchr(buf, '\n');
	if (!nl || (size_t)(nl - buf) != strlen(KEYFILE_MAGIC) ||
	    strncmp(buf, KEYFILE_MAGIC, strlen(KEYFILE_MAGIC)) != 0 ||
	    sodium_hex2bin(master, sizeof master, nl + 1, strlen(nl + 1), "\n", &binlen, NULL) != 0 ||
	    binlen != sizeof master) {
		sodium_memzero(buf, sizeof buf);
		return md_error_set(err, MD_E_KEY, "key_file", _("%s is not a madoguchi key file"), path);
	}
	sodium_memzero(buf, sizeof buf);
	derive(keys, master);
	sodium_memzero(master, sizeof master);
	return MD_OK;
}

void md_keys_wipe(struct md_keys *keys)
{
	sodium_memzero(keys, sizeof *keys);
}

void md_keyed_hash_hex(const unsigned char key[MD_KEY_BYTES], const void *data, size_t len,
                       char out[MD_HASH_HEX])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, data, len, key, MD_KEY_BYTES);
	sodium_bin2hex(out, MD_HASH_HEX, h, sizeof h);
}

void md_keys_check_value(const struct md_keys *keys, char out[MD_HASH_HEX])
{
	static const char what[] = "madoguchi key check";
	md_keyed_hash_hex(keys->check, what, sizeof what - 1, out);
}

int md_password_hash(const char *password, char out[MD_PWHASH_BYTES], struct md_error *err)
{
	if (md_crypto_init(err) != MD_OK)
		return MD_E_KEY;
	if (crypto_pwhash_str_alg(out, password, strlen(password), PW_OPSLIMIT, PW_MEMLIMIT,
	                          crypto_pwhash_ALG_ARGON2ID13) != 0)
		return md_error_set(err, MD_E_KEY, "password", _("not enough memory to hash the password"));
	return MD_OK;
}

int md_password_verify(const char *hash, const char *password)
{
	if (!hash || !*hash)
		return 0;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int md_secret_seal(const struct md_keys *keys, const void *plain, size_t len,
                   unsigned char **out, size_t *outlen, struct md_error *err)
{
	size_t n = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
	unsigned char *b = xmalloc(n);

	if (!keys->loaded) {
		free(b);
		return md_error_set(err, MD_E_KEY, "", _("no key file is loaded"));
	}
	randombytes_buf(b, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(b + crypto_secretbox_NONCEBYTES, plain, len, b, keys->enc);
	*out = b;
	*outlen = n;
	return MD_OK;
}

int md_secret_open(const struct md_keys *keys, const unsigned char *blob, size_t bloblen,
                   void *plain, size_t cap, size_t *len, struct md_error *err)
{
	size_t n;

	if (bloblen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		return md_error_set(err, MD_E_KEY, "", _("encrypted value is damaged"));
	n = bloblen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	if (n > cap)
		return md_error_set(err, MD_E_KEY, "", _("encrypted value is too long"));
	if (crypto_secretbox_open_easy(plain, blob + crypto_secretbox_NONCEBYTES,
	                               bloblen - crypto_secretbox_NONCEBYTES, blob, keys->enc) != 0)
		return md_error_set(err, MD_E_KEY, "",
		                    _("encrypted value does not open with this key file"));
	*len = n;
	return MD_OK;
}
