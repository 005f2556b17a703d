/* backup.h: encrypted online backups of a database and their restore.
 *
 * A backup is a consistent copy taken while others keep writing (SQLite's
 * online backup API over one read snapshot), encrypted with libsodium's
 * secretstream under either the key file's backup subkey or a key derived
 * from a passphrase (argon2id, salt in the header). The key file itself is
 * never inside a backup. The seal impressions (印影) the database refers to
 * travel with it. */
#ifndef MD_BACKUP_H
#define MD_BACKUP_H

#include "crypto.h"
#include "error.h"

struct md_ctx;
struct md_settings;

#define MD_BACKUP_MIN_PASSPHRASE 12

struct md_backup_opts {
	const char *passphrase;  /* NULL: encrypt with the key file */
	int pages_per_step;      /* pages copied per sqlite3_backup_step; 0: 256 */
	/* Called after each step but the last (tests write to the database here). */
	void (*between_steps)(void *arg, int remaining, int total);
	void *arg;
};

struct md_backup_info {
	int passphrase;          /* 1: protected by a passphrase, 0: by the key file */
	int training;            /* 1: a training database */
	int schema;              /* the database's schema version */
	long long db_bytes;      /* size of the database image */
	int files;               /* seal impressions carried along */
	int steps;               /* backup steps taken (md_backup_make) */
	char created[32];        /* UTC time the copy was taken */
	char hash[MD_HASH_HEX];  /* BLAKE2b of the database image */
};

/* Makes the backup of ctx's database at out (refused when out exists): the
 * file is written under a temporary name (mode 0600), decrypted again and
 * checked, and only then linked into place. Logged in ctx's audit log
 * (function "backup", outcome ok or failed). */
int md_backup_make(struct md_ctx *ctx, const char *out, const struct md_backup_opts *opts,
                   struct md_backup_info *info, struct md_error *err);

/* Reads a backup's header (no key needed). */
int md_backup_inspect(const char *file, struct md_backup_info *info, struct md_error *err);

/* Restores file into a new database at new_path (refused when anything is
 * there already) and verifies it: schema version, PRAGMA integrity_check,
 * the key file's check value and the audit chain. user/password must be an
 * account of the restored database holding the permission "backup"; the
 * restore is logged in the restored database's audit log. The key file is
 * the one the restored database will use (the configured key_file, or
 * new_path + ".key"); passphrase is needed when the backup was made with one.
 * Nothing is left at new_path when anything fails. */
int md_backup_restore(const struct md_settings *cfg, const char *file, const char *new_path,
                      const char *passphrase, const char *user, const char *password,
                      struct md_backup_info *info, struct md_error *err);

#endif
