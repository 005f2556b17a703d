/* ctx.h: an open database with its keys, settings and (optional) logged-in session. */
#ifndef MD_CTX_H
#define MD_CTX_H

#include <time.h>
#include "crypto.h"
#include "error.h"
#include "settings.h"

struct md_store;

enum md_db_kind { MD_DB_PRODUCTION = 0, MD_DB_TRAINING = 1 };

struct md_session {
	char user[64];
	char display_name[128];
	char roles[256];       /* comma-separated role names */
	char roles_ja[256];    /* the same roles' Japanese titles, for the status line */
	char roles_en[256];    /* and their English titles */
	int must_change;       /* password must be changed before anything else */
	int locked;            /* screen locked: only unlock and logout are allowed */
	time_t login_time;
};

struct md_ctx {
	struct md_store *store;
	struct md_keys keys;
	struct md_settings cfg;
	enum md_db_kind kind;
	struct md_session *session;   /* NULL when nobody is logged in */
};

/* Opens an existing database as the given kind: checks the schema version,
 * the kind recorded in the file, and the key file's check value; records a
 * configuration change in the audit log when this terminal's settings differ
 * from the last run. */
int md_ctx_open(struct md_ctx **out, const struct md_settings *cfg, const char *db_path,
                const char *key_path, enum md_db_kind kind, struct md_error *err);
/* A context with settings only, for commands that create a database. */
struct md_ctx *md_ctx_bare(const struct md_settings *cfg);
void md_ctx_free(struct md_ctx **ctx);

/* The key file path: for production the configured one, else db_path + ".key";
 * a training database always uses db_path + ".key". */
char *md_ctx_key_path(const struct md_settings *cfg, const char *db_path, enum md_db_kind kind);

/* Creates a new database of the given kind with its key file. Production:
 * the first admin account (id, password). Training: the demo accounts. */
int md_db_create(const struct md_settings *cfg, const char *db_path, const char *key_path,
                 enum md_db_kind kind, const char *admin_id, const char *admin_password,
                 struct md_error *err);

#endif
