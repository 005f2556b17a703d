/* ctx.c: opening and creating databases. A database records its kind
 * (production or training) and the check value of its key file; both are
 * verified at every open, so a training run can never open production data
 * and a database never runs with the wrong key. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>

#include "account.h"
#include "audit.h"
#include "ctx.h"
#include "i18n.h"
#include "store.h"
#include "timeutil.h"
#include "xalloc.h"

static const char *kind_name(enum md_db_kind k)
{
	return k == MD_DB_TRAINING ? "training" : "production";
}

char *md_ctx_key_path(const struct md_settings *cfg, const char *db_path, enum md_db_kind kind)
{
	/* A training database always has its own key beside it: it must never
	 * share the production key. */
	if (kind == MD_DB_PRODUCTION && cfg && cfg->key_file[0])
		return xstrdup(cfg->key_file);
	return xasprintf("%s.key", db_path);
}

struct md_ctx *md_ctx_bare(const struct md_settings *cfg)
{
	struct md_ctx *ctx = xcalloc(1, sizeof *ctx);
	if (cfg)
		ctx->cfg = *cfg;
	else
		md_settings_defaults(&ctx->cfg);
	return ctx;
}

void md_ctx_free(struct md_ctx **pctx)
{
	struct md_ctx *ctx = pctx ? *pctx : NULL;
	if (!ctx)
		return;
	if (ctx->session && ctx->store)
		md_auth_logout(ctx);
	free(ctx->session);
	md_store_free(&ctx->store);
	md_keys_wipe(&ctx->keys);
	free(ctx);
	*pctx = NULL;
}

/* Lists the settings whose value differs between two dumps. */
static char *settings_diff(const char *old, const char *cur)
{
	size_t cap = 256, len = 0;
	char *out = xmalloc(cap);
	const char *p = cur;

	out[0] = '\0';
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *eq = memchr(p, '=', n);
		if (eq) {
			char *line = xstrndup(p, n);
			/* The same line, anchored at a line start, in the old dump? */
			const char *q = old;
			int same = 0;
			while (q && *q) {
				const char *qnl = strchr(q, '\n');
				size_t qn = qnl ? (size_t)(qnl - q) : strlen(q);
				if (qn == n && memcmp(q, p, n) == 0) {
					same = 1;
					break;
				}
				q = qnl ? qnl + 1 : NULL;
			}
			if (!same) {
				size_t k = (size_t)(eq - p);
				if (len + k + 2 >= cap) {
					cap = (len + k + 2) * 2;
					out = xrealloc(out, cap);
				}
				if (len)
					out[len++] = ' ';
				memcpy(out + len, p, k);
				len += k;
				out[len] = '\0';
			}
			free(line);
		}
		p = nl ? nl + 1 : p + n;
	}
	return out;
}

static int record_settings(struct md_ctx *ctx, struct md_error *err)
{
	char *key = xasprintf("settings:%s", ctx->cfg.terminal_id);
	char *cur = md_settings_dump(&ctx->cfg);
	char *old = NULL;
	int rc = md_store_meta_get(ctx->store, key, &old, err);

	if (rc == MD_OK && strcmp(old, cur) == 0) {
		rc = MD_OK;
		goto out;
	}
	if (rc != MD_OK && rc != MD_E_NOTFOUND)
		goto out;
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		goto out;
	{
		char *changed = old ? settings_diff(old, cur) : xstrdup("first use on this terminal");
		char *detail = xasprintf("%s%s%s", changed, ctx->cfg.source[0] ? " file=" : "",
		                         ctx->cfg.source);
		struct md_audit_rec r = { "-", "config.change", NULL, "settings in effect changed",
		                          "ok", detail, 0 };
		rc = md_audit(ctx, &r, err);
		free(detail);
		free(changed);
	}
	if (rc == MD_OK)
		rc = md_store_meta_set(ctx->store, key, cur, err);
	if (rc == MD_OK)
		rc = md_store_commit(ctx->store, err);
	else
		md_store_rollback(ctx->store);
out:
	free(old);
	free(cur);
	free(key);
	return rc;
}

int md_ctx_open(struct md_ctx **out, const struct md_settings *cfg, const char *db_path,
                const char *key_path, enum md_db_kind kind, struct md_error *err)
{
	struct md_ctx *ctx = md_ctx_bare(cfg);
	char check[MD_HASH_HEX];
	char *stored_kind = NULL, *stored_check = NULL, *kp = NULL;
	int rc;

	*out = NULL;
	ctx->kind = kind;
	if ((rc = md_store_open(&ctx->store, db_path, 0, err)) != MD_OK)
		goto fail;
	if (md_store_meta_get(ctx->store, "kind", &stored_kind, err) != MD_OK) {
		rc = md_error_set(err, MD_E_SCHEMA, "db",
		                  _("%s was not created by madoguchi init or training-db"), db_path);
		goto fail;
	}
	if (strcmp(stored_kind, kind_name(kind)) != 0) {
		rc = md_error_set(err, MD_E_MODE, "db",
		                  kind == MD_DB_TRAINING
		                  ? _("%s is a production database: training mode can never open it")
		                  : _("%s is a training database: start it with --training"), db_path);
		goto fail;
	}
	kp = key_path ? xstrdup(key_path) : md_ctx_key_path(cfg, db_path, kind);
	if ((rc = md_keyfile_load(kp, &ctx->keys, err)) != MD_OK)
		goto fail;
	if (md_store_meta_get(ctx->store, "key_check", &stored_check, err) != MD_OK) {
		rc = md_error_set(err, MD_E_SCHEMA, "db", _("%s has no key check value"), db_path);
		goto fail;
	}
	md_keys_check_value(&ctx->keys, check);
	if (strcmp(check, stored_check) != 0) {
		rc = md_error_set(err, MD_E_KEY, "key_file",
		                  _("the key file %s does not belong to the database %s"), kp, db_path);
		goto fail;
	}
	if ((rc = record_settings(ctx, err)) != MD_OK)
		goto fail;
	free(stored_kind);
	free(stored_check);
	free(kp);
	*out = ctx;
	return MD_OK;
fail:
	free(stored_kind);
	free(stored_check);
	free(kp);
	md_ctx_free(&ctx);
	return rc;
}

static const struct {
	const char *id, *name, *role;
} demo_accounts[] = {
	{ "clerk1", "窓口 一郎", "clerk" },
	{ "supervisor1", "審査 花子", "supervisor" },
	{ "auditor1", "監査 次郎", "auditor" },
	{ "admin1", "管理 三郎", "admin" },
	{ "trainer1", "研修 桜", "trainer" },
};

int md_db_create(const struct md_settings *cfg, const char *db_path, const char *key_path,
                 enum md_db_kind kind, const char *admin_id, const char *admin_password,
                 struct md_error *err)
{
	struct md_ctx *ctx = md_ctx_bare(cfg);
	char check[MD_HASH_HEX], ts[32];
	char *kp = NULL;
	int made_key = 0, made_db = 0;
	int rc;

	ctx->kind = kind;
	if (!db_path || !*db_path) {
		rc = md_error_set(err, MD_E_INVALID, "db", _("give the database path with --db PATH"));
		goto fail;
	}
	/* Only now: the default key path is made from db_path. */
	kp = key_path ? xstrdup(key_path) : md_ctx_key_path(cfg, db_path, kind);
	if (access(db_path, F_OK) == 0) {
		rc = md_error_set(err, MD_E_CONFLICT, "db",
		                  _("%s already exists: refusing to overwrite it"), db_path);
		goto fail;
	}
	if (kind == MD_DB_PRODUCTION) {
		struct md_error e2;
		if (!admin_id || !*admin_id)
			admin_id = "admin";
		/* Check the password before anything is written. */
		if ((rc = md_password_policy(ctx, admin_id, admin_password, &e2)) != MD_OK) {
			*err = e2;
			goto fail;
		}
	}
	if ((rc = md_keyfile_create(kp, &ctx->keys, err)) != MD_OK)
		goto fail;
	made_key = 1;
	{
		/* Created here, mode 0600: it holds password hashes and the audit
		 * log; SQLite gives the -wal and -shm files the same mode. */
		int fd = open(db_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			rc = md_error_set(err, MD_E_IO, "db", _("cannot create %s: %s"), db_path,
			                  strerror(errno));
			goto fail;
		}
		close(fd);
		made_db = 1;
	}
	if ((rc = md_store_open(&ctx->store, db_path, MD_STORE_CREATE | MD_STORE_MUST_BE_NEW, err)) != MD_OK)
		goto fail;
	made_db = 1;
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		goto fail;
	md_keys_check_value(&ctx->keys, check);
	md_time_iso(md_time_now(), ts, sizeof ts);
	if ((rc = md_store_meta_set(ctx->store, "kind", kind_name(kind), err)) != MD_OK ||
	    (rc = md_store_meta_set(ctx->store, "key_check", check, err)) != MD_OK ||
	    (rc = md_store_meta_set(ctx->store, "created_at", ts, err)) != MD_OK ||
	    (rc = md_store_meta_set(ctx->store, "municipality_code", ctx->cfg.municipality_code, err)) != MD_OK)
		goto rollback;
	{
		char *detail = xasprintf("kind=%s db=%s", kind_name(kind), db_path);
		struct md_audit_rec r = { "-", "db.init", NULL, "create database", "ok", detail, 0 };
		rc = md_audit(ctx, &r, err);
		free(detail);
		if (rc != MD_OK)
			goto rollback;
	}
	if (kind == MD_DB_PRODUCTION) {
		rc = md_user_create(ctx, admin_id, admin_id, "admin", admin_password, NULL, NULL,
		                    "first administrator (madoguchi init)", 0, 0, err);
	} else {
		for (size_t i = 0; rc == MD_OK && i < sizeof demo_accounts / sizeof demo_accounts[0]; i++)
			rc = md_user_create(ctx, demo_accounts[i].id, demo_accounts[i].name,
			                    demo_accounts[i].role, "demo", NULL, NULL,
			                    "demo account (training database)", 0, 1, err);
	}
	if (rc != MD_OK)
		goto rollback;
	if ((rc = md_store_commit(ctx->store, err)) != MD_OK)
		goto fail;
	md_ctx_free(&ctx);
	free(kp);
	return MD_OK;
rollback:
	md_store_rollback(ctx->store);
fail:
	md_ctx_free(&ctx);
	if (made_db) {
		char *wal = xasprintf("%s-wal", db_path), *shm = xasprintf("%s-shm", db_path);
		char *writer = xasprintf("%s-writer", db_path); /* store.c's turn lock */
		unlink(db_path);
		unlink(wal);
		unlink(shm);
		unlink(writer);
		free(wal);
		free(shm);
		free(writer);
	}
	if (made_key)
		unlink(kp);
	free(kp);
	return rc;
}
