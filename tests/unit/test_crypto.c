/* test_crypto.c: the key file, argon2id passwords, sealing My Numbers and
 * keyed hashes. */
#include "config.h"

#include <sys/stat.h>
#include <sodium.h>

#include "testutil.h"

#include "crypto.h"
#include "error.h"

struct fx {
	char *dir;
	char *key;     /* dir/t.key, not created */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct md_error err;
	if (!f || !(f->dir = tu_tmpdir()))
		return -1;
	f->key = tu_path(f->dir, "t.key");
	*state = f;
	return md_crypto_init(&err) == MD_OK ? 0 : -1;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	tu_rmdir(f->dir);
	free(f->key);
	free(f);
	return 0;
}

static void make_key(const char *path, struct md_keys *k)
{
	struct md_error err;
	int rc = md_keyfile_create(path, k, &err);
	if (rc != MD_OK)
		print_error("md_keyfile_create(%s): %s\n", path, err.msg);
	assert_int_equal(rc, MD_OK);
	assert_true(k->loaded);
}

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* ---- the key file --------------------------------------------------------------- */

static void test_keyfile_create_mode(void **state)
{
	struct fx *f = *state;
	struct md_keys k;
	struct stat sb;
	mode_t old = umask(0);   /* even with a permissive umask */

	memset(&k, 0, sizeof k);
	make_key(f->key, &k);
	umask(old);
	assert_int_equal(stat(f->key, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0600);
	/* Four different subkeys, none zero. */
	assert_false(all_zero(k.enc, sizeof k.enc));
	assert_false(all_zero(k.index, sizeof k.index));
	assert_false(all_zero(k.audit, sizeof k.audit));
	assert_false(all_zero(k.check, sizeof k.check));
	assert_memory_not_equal(k.enc, k.index, MD_KEY_BYTES);
	assert_memory_not_equal(k.enc, k.audit, MD_KEY_BYTES);
	assert_memory_not_equal(k.index, k.audit, MD_KEY_BYTES);
	assert_memory_not_equal(k.audit, k.check, MD_KEY_BYTES);
	md_keys_wipe(&k);
	assert_false(k.loaded);
	assert_true(all_zero(k.enc, sizeof k.enc));
}

static void test_keyfile_no_overwrite(void **state)
{
	struct fx *f = *state;
	struct md_keys k1, k2;
	struct md_error err;
	char *before, *after;
	size_t nb = 0, na = 0;

	make_key(f->key, &k1);
	before = tu_read(f->key, &nb);
	assert_non_null(before);
	memset(&k2, 0, sizeof k2);
	assert_int_equal(md_keyfile_create(f->key, &k2, &err), MD_E_CONFLICT);
	assert_string_equal(err.field, "key_file");
	assert_non_null(strstr(err.msg, f->key));
	assert_false(k2.loaded);
	after = tu_read(f->key, &na);
	assert_int_equal(na, nb);
	assert_memory_equal(after, before, nb);
	free(before);
	free(after);
}

static void test_keyfile_create_bad_dir(void **state)
{
	struct fx *f = *state;
	struct md_keys k;
	struct md_error err;
	char *p = tu_path(f->dir, "no/such/dir.key");

	memset(&k, 0, sizeof k);
	assert_int_equal(md_keyfile_create(p, &k, &err), MD_E_IO);
	assert_non_null(strstr(err.msg, p));
	assert_false(k.loaded);
	free(p);
}

static void test_keyfile_round_trip(void **state)
{
	struct fx *f = *state;
	struct md_keys k1, k2;
	struct md_error err;
	char c1[MD_HASH_HEX], c2[MD_HASH_HEX];

	make_key(f->key, &k1);
	md_keys_check_value(&k1, c1);
	assert_int_equal(strlen(c1), 64);
	memset(&k2, 0, sizeof k2);
	assert_int_equal(md_keyfile_load(f->key, &k2, &err), MD_OK);
	assert_true(k2.loaded);
	md_keys_check_value(&k2, c2);
	assert_string_equal(c1, c2);
	assert_memory_equal(&k1, &k2, sizeof k1);
	/* Loading twice gives the same again. */
	assert_int_equal(md_keyfile_load(f->key, &k2, &err), MD_OK);
	assert_memory_equal(&k1, &k2, sizeof k1);
}

static void test_keyfile_permissions(void **state)
{
	static const mode_t bad[] = { 0640, 0604, 0660, 0644, 0610, 0601, 0620, 0602, 0700 | 0070 };
	struct fx *f = *state;
	struct md_keys k;
	struct md_error err;

	make_key(f->key, &k);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&k, 0, sizeof k);
		assert_int_equal(chmod(f->key, bad[i]), 0);
		md_error_clear(&err);
		assert_int_equal(md_keyfile_load(f->key, &k, &err), MD_E_KEY);
		assert_false(k.loaded);
		assert_string_equal(err.field, "key_file");
		assert_non_null(strstr(err.msg, "0600"));
	}
	/* Owner-only modes are fine, read-only too. */
	assert_int_equal(chmod(f->key, 0400), 0);
	assert_int_equal(md_keyfile_load(f->key, &k, &err), MD_OK);
	assert_int_equal(chmod(f->key, 0600), 0);
	assert_int_equal(md_keyfile_load(f->key, &k, &err), MD_OK);
}

/* Writes text as a key file with mode 0600 and tries to load it. */
static int load_text(struct fx *f, const char *text, struct md_error *err)
{
	struct md_keys k;
	char *p = tu_write(f->dir, "bad.key", text);
	int rc;

	assert_int_equal(chmod(p, 0600), 0);
	memset(&k, 0, sizeof k);
	md_error_clear(err);
	rc = md_keyfile_load(p, &k, err);
	if (rc != MD_OK)
		assert_false(k.loaded);
	unlink(p);
	free(p);
	return rc;
}

static void test_keyfile_corrupt(void **state)
{
	struct fx *f = *state;
	struct md_keys k;
	struct md_error err;
	char *good, *text;
	size_t n = 0;
	const char *nl;

	make_key(f->key, &k);
	good = tu_read(f->key, &n);
	assert_non_null(good);
	nl = strchr(good, '\n');
	assert_non_null(nl);
	assert_int_equal(n, (size_t)(nl - good) + 1 + 64 + 1);

	/* The good text loads through the same path (control). */
	assert_int_equal(load_text(f, good, &err), MD_OK);

	assert_int_equal(load_text(f, "", &err), MD_E_KEY);
	assert_non_null(strstr(err.msg, "not a madoguchi key file"));
	assert_int_equal(load_text(f, "garbage without a newline", &err), MD_E_KEY);
	/* Wrong magic, right key. */
	text = strdup(good);
	text[0] = 'M';
	assert_int_equal(load_text(f, text, &err), MD_E_KEY);
	free(text);
	/* Truncated key. */
	text = strdup(good);
	text[(nl - good) + 1 + 62] = '\n';
	text[(nl - good) + 1 + 63] = '\0';
	assert_int_equal(load_text(f, text, &err), MD_E_KEY);
	free(text);
	/* A byte of the key that is not hex. */
	text = strdup(good);
	text[(nl - good) + 1 + 10] = 'g';
	assert_int_equal(load_text(f, text, &err), MD_E_KEY);
	free(text);
	/* Too long. */
	text = malloc(n + 3);
	memcpy(text, good, n - 1);
	memcpy(text + n - 1, "ab\n", 4);
	assert_int_equal(load_text(f, text, &err), MD_E_KEY);
	free(text);
	/* Magic only. */
	assert_int_equal(load_text(f, "madoguchi-key-v1\n", &err), MD_E_KEY);
	free(good);
}

static void test_keyfile_missing_or_not_file(void **state)
{
	struct fx *f = *state;
	struct md_keys k;
	struct md_error err;

	memset(&k, 0, sizeof k);
	assert_int_equal(md_keyfile_load(f->key, &k, &err), MD_E_KEY);
	assert_non_null(strstr(err.msg, f->key));
	/* A directory (mode 0700) is not a key file. */
	assert_int_equal(md_keyfile_load(f->dir, &k, &err), MD_E_KEY);
	assert_non_null(strstr(err.msg, "regular file"));
	assert_false(k.loaded);
}

static void test_keyfiles_differ(void **state)
{
	struct fx *f = *state;
	struct md_keys k1, k2;
	char c1[MD_HASH_HEX], c2[MD_HASH_HEX];
	char *p2 = tu_path(f->dir, "other.key");

	make_key(f->key, &k1);
	make_key(p2, &k2);
	md_keys_check_value(&k1, c1);
	md_keys_check_value(&k2, c2);
	assert_string_not_equal(c1, c2);
	assert_memory_not_equal(k1.enc, k2.enc, MD_KEY_BYTES);
	assert_memory_not_equal(k1.audit, k2.audit, MD_KEY_BYTES);
	free(p2);
}

/* ---- passwords -------------------------------------------------------------------- */

static void test_password_hash_verify(void **state)
{
	char h1[MD_PWHASH_BYTES], h2[MD_PWHASH_BYTES];
	struct md_error err;
	(void)state;

	assert_true(MD_PWHASH_BYTES >= crypto_pwhash_STRBYTES);
	assert_int_equal(md_password_hash("Correct-Horse-9", h1, &err), MD_OK);
	assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
	assert_null(strstr(h1, "Correct-Horse-9"));
	assert_true(md_password_verify(h1, "Correct-Horse-9"));
	assert_false(md_password_verify(h1, "correct-Horse-9"));
	assert_false(md_password_verify(h1, "Correct-Horse-"));
	assert_false(md_password_verify(h1, ""));
	assert_false(md_password_verify("", "Correct-Horse-9"));
	assert_false(md_password_verify(NULL, "Correct-Horse-9"));
	assert_false(md_password_verify("$argon2id$garbage", "Correct-Horse-9"));

	/* Salted: the same password hashes differently, and both verify. */
	assert_int_equal(md_password_hash("Correct-Horse-9", h2, &err), MD_OK);
	assert_string_not_equal(h1, h2);
	assert_true(md_password_verify(h2, "Correct-Horse-9"));

	/* UTF-8 passwords. */
	assert_int_equal(md_password_hash("窓口のパスワード1", h2, &err), MD_OK);
	assert_true(md_password_verify(h2, "窓口のパスワード1"));
	assert_false(md_password_verify(h2, "窓口のパスワード2"));
}

/* ---- sealing ------------------------------------------------------------------------ */

static void test_seal_round_trip(void **state)
{
	struct fx *f = *state;
	static const char number[] = "123456789018";
	struct md_keys k;
	struct md_error err;
	unsigned char *b1 = NULL, *b2 = NULL;
	size_t n1 = 0, n2 = 0, len = 0;
	char plain[32];

	make_key(f->key, &k);
	assert_int_equal(md_secret_seal(&k, number, 12, &b1, &n1, &err), MD_OK);
	assert_non_null(b1);
	assert_int_equal(n1, crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 12);
	/* The clear number appears nowhere in the blob. */
	for (size_t i = 0; i + 12 <= n1; i++)
		assert_memory_not_equal(b1 + i, number, 12);
	memset(plain, 0, sizeof plain);
	assert_int_equal(md_secret_open(&k, b1, n1, plain, sizeof plain, &len, &err), MD_OK);
	assert_int_equal(len, 12);
	assert_memory_equal(plain, number, 12);

	/* A fresh nonce each time. */
	assert_int_equal(md_secret_seal(&k, number, 12, &b2, &n2, &err), MD_OK);
	assert_int_equal(n1, n2);
	assert_memory_not_equal(b1, b2, n1);
	assert_int_equal(md_secret_open(&k, b2, n2, plain, sizeof plain, &len, &err), MD_OK);
	assert_memory_equal(plain, number, 12);

	/* Capacity too small. */
	assert_int_equal(md_secret_open(&k, b1, n1, plain, 11, &len, &err), MD_E_KEY);
	/* Too short to be a sealed value. */
	assert_int_equal(md_secret_open(&k, b1, crypto_secretbox_NONCEBYTES +
	                                crypto_secretbox_MACBYTES - 1, plain, sizeof plain, &len,
	                                &err), MD_E_KEY);
	/* Truncated by one byte. */
	assert_int_equal(md_secret_open(&k, b1, n1 - 1, plain, sizeof plain, &len, &err), MD_E_KEY);
	free(b1);
	free(b2);
}

static void test_seal_tampered(void **state)
{
	struct fx *f = *state;
	struct md_keys k;
	struct md_error err;
	unsigned char *b = NULL;
	size_t n = 0, len = 0;
	char plain[32];

	make_key(f->key, &k);
	assert_int_equal(md_secret_seal(&k, "123456789018", 12, &b, &n, &err), MD_OK);
	/* Flip one bit anywhere: nonce, tag or ciphertext. */
	for (size_t i = 0; i < n; i++) {
		b[i] ^= 0x01;
		md_error_clear(&err);
		assert_int_equal(md_secret_open(&k, b, n, plain, sizeof plain, &len, &err), MD_E_KEY);
		assert_non_null(strstr(err.msg, "does not open"));
		b[i] ^= 0x01;
	}
	assert_int_equal(md_secret_open(&k, b, n, plain, sizeof plain, &len, &err), MD_OK);
	free(b);
}

static void test_seal_other_key(void **state)
{
	struct fx *f = *state;
	struct md_keys k1, k2, none;
	struct md_error err;
	unsigned char *b = NULL;
	size_t n = 0, len = 0;
	char plain[32];
	char *p2 = tu_path(f->dir, "other.key");

	make_key(f->key, &k1);
	make_key(p2, &k2);
	assert_int_equal(md_secret_seal(&k1, "123456789018", 12, &b, &n, &err), MD_OK);
	assert_int_equal(md_secret_open(&k2, b, n, plain, sizeof plain, &len, &err), MD_E_KEY);
	assert_int_equal(md_secret_open(&k1, b, n, plain, sizeof plain, &len, &err), MD_OK);
	free(b);
	b = NULL;

	/* No key loaded: nothing is sealed. */
	memset(&none, 0, sizeof none);
	assert_int_equal(md_secret_seal(&none, "123456789018", 12, &b, &n, &err), MD_E_KEY);
	assert_null(b);
	free(p2);
}

/* ---- keyed hash ----------------------------------------------------------------------- */

static void test_keyed_hash(void **state)
{
	struct fx *f = *state;
	struct md_keys k1, k2;
	char h1[MD_HASH_HEX], h2[MD_HASH_HEX], h3[MD_HASH_HEX];
	char *p2 = tu_path(f->dir, "other.key");
	unsigned char plain[32];

	make_key(f->key, &k1);
	make_key(p2, &k2);
	md_keyed_hash_hex(k1.index, "123456789018", 12, h1);
	md_keyed_hash_hex(k1.index, "123456789018", 12, h2);
	assert_int_equal(strlen(h1), 64);
	for (int i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdef", h1[i]));
	assert_string_equal(h1, h2);
	/* Another key, another subkey, another input: another hash. */
	md_keyed_hash_hex(k2.index, "123456789018", 12, h3);
	assert_string_not_equal(h1, h3);
	md_keyed_hash_hex(k1.audit, "123456789018", 12, h3);
	assert_string_not_equal(h1, h3);
	md_keyed_hash_hex(k1.index, "123456789019", 12, h3);
	assert_string_not_equal(h1, h3);
	/* Not the unkeyed hash. */
	crypto_generichash(plain, 32, (const unsigned char *)"123456789018", 12, NULL, 0);
	sodium_bin2hex(h3, sizeof h3, plain, 32);
	assert_string_not_equal(h1, h3);
	/* And the key, loaded again, gives the same hash (a stable blind index). */
	{
		struct md_keys again;
		struct md_error err;
		assert_int_equal(md_keyfile_load(f->key, &again, &err), MD_OK);
		md_keyed_hash_hex(again.index, "123456789018", 12, h3);
		assert_string_equal(h1, h3);
	}
	free(p2);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_keyfile_create_mode),
		T(test_keyfile_no_overwrite),
		T(test_keyfile_create_bad_dir),
		T(test_keyfile_round_trip),
		T(test_keyfile_permissions),
		T(test_keyfile_corrupt),
		T(test_keyfile_missing_or_not_file),
		T(test_keyfiles_differ),
		T(test_password_hash_verify),
		T(test_seal_round_trip),
		T(test_seal_tampered),
		T(test_seal_other_key),
		T(test_keyed_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
