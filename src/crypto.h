/* crypto.h: key file, password hashing, My Number encryption and blind index. */
#ifndef MD_CRYPTO_H
#define MD_CRYPTO_H

#include <stddef.h>
#include "error.h"

#define MD_KEY_BYTES 32
#define MD_HASH_HEX 65         /* 32-byte hash as hex + NUL */
#define MD_PWHASH_BYTES 128    /* >= crypto_pwhash_STRBYTES */

struct md_keys {
	unsigned char enc[MD_KEY_BYTES];    /* secretbox key for My Numbers */
	unsigned char index[MD_KEY_BYTES];  /* keyed hash for the blind index */
	unsigned char audit[MD_KEY_BYTES];  /* keyed hash for the audit chain */
	unsigned char check[MD_KEY_BYTES];  /* to compute the database's check value */
	unsigned char verify[MD_KEY_BYTES]; /* certificates' verification codes */
	unsigned char backup[MD_KEY_BYTES]; /* encryption of backups made with the key file */
	int loaded;
};

int md_crypto_init(struct md_error *err);

/* Creates a new key file (mode 0600, refuses to overwrite) and derives keys. */
int md_keyfile_create(const char *path, struct md_keys *keys, struct md_error *err);
/* Loads a key file; refuses one readable by group or others. */
int md_keyfile_load(const char *path, struct md_keys *keys, struct md_error *err);
void md_keys_wipe(struct md_keys *keys);
/* Hex check value stored in the database to recognise the right key file. */
void md_keys_check_value(const struct md_keys *keys, char out[MD_HASH_HEX]);

/* argon2id (libsodium crypto_pwhash_str). */
int md_password_hash(const char *password, char out[MD_PWHASH_BYTES], struct md_error *err);
/* 1 if it matches, 0 if not. */
int md_password_verify(const char *hash, const char *password);

/* Keyed BLAKE2b of data as hex. */
void md_keyed_hash_hex(const unsigned char key[MD_KEY_BYTES], const void *data, size_t len,
                       char out[MD_HASH_HEX]);

/* Authenticated encryption: *out is allocated (nonce || ciphertext), *outlen set. */
int md_secret_seal(const struct md_keys *keys, const void *plain, size_t len,
                   unsigned char **out, size_t *outlen, struct md_error *err);
/* Opens a sealed blob into plain (capacity cap); *len set. */
int md_secret_open(const struct md_keys *keys, const unsigned char *blob, size_t bloblen,
                   void *plain, size_t cap, size_t *len, struct md_error *err);

#endif
