/* inquiry.c: inquiries and disclosure requests (問合せ・開示請求): recording,
 * editing, assignment, answers, the decision on a disclosure request,
 * closing, the list and one inquiry with its history. See inquiry.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "audit.h"
#include "ctx.h"
#include "i18n.h"
#include "inquiry.h"
#include "person.h"
#include "result.h"
#include "store.h"
#include "support.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

/* ---- small helpers ---------------------------------------------------------------- */

static void today(char buf[11])
{
	md_date_local(md_time_now(), buf, 11);
}

static void now_iso(char buf[32])
{
	md_time_iso(md_time_now(), buf, 32);
}

static const char *actor(struct md_ctx *ctx)
{
	return ctx->session ? ctx->session->user : "-";
}

static char *dup_col(sqlite3_stmt *s, int i)
{
	return xstrdup(md_col_text(s, i));
}

/* 令和8年4月1日 for a storage-form date ("" stays ""). */
static const char *wareki(const char *iso, char *buf, size_t n)
{
	struct md_date d;
	if (!iso || !*iso)
		snprintf(buf, n, "%s", "");
	else if (md_date_from_iso(iso, &d) != 0)
		snprintf(buf, n, "%s", iso);
	else
		md_date_format_wareki(&d, buf, n);
	return buf;
}

/* Local time of an ISO UTC timestamp (timeutil.h). */
static void local_time(const char *iso, char *buf, size_t n)
{
	md_time_local_text(iso, 0, buf, n);
}

/* A free-text item: one line, no control characters, at most max characters. */
static int check_text(const char *key, const char *label, const char *v, int required, int max,
                      struct md_error *err)
{
	size_t chars = 0;

	if (!v || !*v) {
		if (required)
			return md_error_set(err, MD_E_INVALID, key, _("%s is missing"), label);
		return MD_OK;
	}
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return md_error_set(err, MD_E_INVALID, key,
			                    _("%s must be one line of text without control characters"), label);
		if ((*p & 0xc0) != 0x80)
			chars++;
	}
	if (chars > (size_t)max)
		return md_error_set(err, MD_E_INVALID, key, _("%s is too long: at most %d characters"),
		                    label, max);
	return MD_OK;
}

/* A full date, not in the future, as YYYY-MM-DD; missing: today. */
static int parse_day(const char *key, const char *label, const char *text, char out[11],
                     struct md_error *err)
{
	struct md_date d;
	struct md_error e;
	char iso[16], now[11];

	today(now);
	if (!text || !*text) {
		memcpy(out, now, 11);
		return MD_OK;
	}
	if (md_date_parse(text, &d, &e) != MD_OK)
		return md_error_set(err, MD_E_INVALID, key, "%s: %s", label, e.msg);
	if (d.prec != MD_DATE_FULL || d.circa)
		return md_error_set(err, MD_E_INVALID, key,
		                    _("%s must be a full date (year, month and day), not \"%s\""), label, text);
	md_date_to_iso(&d, iso);
	memcpy(out, iso, 10);
	out[10] = '\0';
	if (strcmp(out, now) > 0)
		return md_error_set(err, MD_E_INVALID, key, _("%s cannot be in the future: \"%s\""), label,
		                    text);
	return MD_OK;
}

static int step_done(struct md_ctx *ctx, sqlite3_stmt *s, const char *what, struct md_error *err)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, what);
	return MD_OK;
}

/* ---- codes: kinds and channels ------------------------------------------------------ */

/* The kind's code for a code or Japanese name; its deadline (0: none) and
 * whether it needs a decision. */
static int find_kind(struct md_ctx *ctx, const char *v, char code[32], int *days, int *decision,
                     struct md_error *err)
{
	static const char sql[] =
		"SELECT kind, coalesce(deadline_days, 0), needs_decision FROM inquiry_kinds "
		"WHERE kind = ?1 OR title_ja = ?1";
	static const char all[] = "SELECT group_concat(kind || ' (' || title_ja || ')', ', ') FROM "
	                          "(SELECT kind, title_ja FROM inquiry_kinds ORDER BY sort)";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int found = 0;

	if (!s)
		return MD_E_DB;
	md_bind_text(s, 1, v);
	if (sqlite3_step(s) == SQLITE_ROW) {
		snprintf(code, 32, "%s", md_col_text(s, 0));
		if (days)
			*days = sqlite3_column_int(s, 1);
		if (decision)
			*decision = sqlite3_column_int(s, 2);
		found = 1;
	}
	sqlite3_reset(s);
	if (found)
		return MD_OK;
	if (!(s = md_store_stmt(ctx->store, all, err)))
		return MD_E_DB;
	sqlite3_step(s);
	md_error_set(err, MD_E_INVALID, "kind", _("kind (種別) must be one of %s, not \"%s\""),
	             md_col_text(s, 0), v);
	sqlite3_reset(s);
	return MD_E_INVALID;
}

static int find_channel(struct md_ctx *ctx, const char *v, char code[32], struct md_error *err)
{
	static const char sql[] = "SELECT channel FROM inquiry_channels WHERE channel = ?1 OR title_ja = ?1";
	static const char all[] = "SELECT group_concat(channel || ' (' || title_ja || ')', ', ') FROM "
	                          "(SELECT channel, title_ja FROM inquiry_channels ORDER BY sort)";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int found = 0;

	if (!s)
		return MD_E_DB;
	md_bind_text(s, 1, v);
	if (sqlite3_step(s) == SQLITE_ROW) {
		snprintf(code, 32, "%s", md_col_text(s, 0));
		found = 1;
	}
	sqlite3_reset(s);
	if (found)
		return MD_OK;
	if (!(s = md_store_stmt(ctx->store, all, err)))
		return MD_E_DB;
	sqlite3_step(s);
	md_error_set(err, MD_E_INVALID, "channel", _("channel (受付方法) must be one of %s, not \"%s\""),
	             md_col_text(s, 0), v);
	sqlite3_reset(s);
	return MD_E_INVALID;
}

/* A 宛名番号 of a person on the register (removed records too). */
static int find_person(struct md_ctx *ctx, const char *v, long long *id, struct md_error *err)
{
	static const char sql[] = "SELECT 1 FROM persons WHERE id = ?1";
	sqlite3_stmt *s;
	char *end = NULL;
	long long n = strtoll(v, &end, 10);
	int found;

	if (!*v || *end || n <= 0)
		return md_error_set(err, MD_E_INVALID, "person",
		                    _("person (宛名番号) must be a number, not \"%s\""), v);
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, n);
	found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	if (!found)
		return md_error_set(err, MD_E_NOTFOUND, "person", _("no person with 宛名番号 %lld"), n);
	*id = n;
	return MD_OK;
}

/* A handler: an account that exists and is not disabled. */
static int check_handler(struct md_ctx *ctx, const char *user, struct md_error *err)
{
	static const char sql[] = "SELECT disabled_at IS NULL FROM users WHERE id = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int rc = -1;

	if (!s)
		return MD_E_DB;
	md_bind_text(s, 1, user);
	if (sqlite3_step(s) == SQLITE_ROW)
		rc = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	if (rc < 0)
		return md_error_set(err, MD_E_NOTFOUND, "handler", _("handler (担当者): no user \"%s\""), user);
	if (rc == 0)
		return md_error_set(err, MD_E_INVALID, "handler",
		                    _("handler (担当者): the account \"%s\" is disabled"), user);
	return MD_OK;
}

/* ---- loading ------------------------------------------------------------------------------ */

void md_inquiry_release(struct md_inquiry *q)
{
	char **f[] = { &q->kind, &q->kind_ja, &q->received_on, &q->channel, &q->channel_ja,
		       &q->requester, &q->contact, &q->subject, &q->content, &q->due_on, &q->handler,
		       &q->answer, &q->answered_on, &q->answered_by, &q->decision, &q->decided_at,
		       &q->decided_by, &q->decision_note, &q->extract_path, &q->extract_at,
		       &q->extract_by, &q->closed_on, &q->closed_by, &q->close_note, &q->recorded_by,
		       &q->recorded_at };
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		free(*f[i]);
		*f[i] = NULL;
	}
}

int md_inquiry_load(struct md_ctx *ctx, long long id, struct md_inquiry *q, struct md_error *err)
{
	static const char sql[] =
		"SELECT i.id, coalesce(i.person_id, 0), i.kind, k.title_ja, i.received_on, i.channel, "
		"c.title_ja, i.requester, i.contact, i.subject, i.content, i.due_on, i.handler, i.answer, "
		"i.answered_on, i.answered_by, i.decision, i.decided_at, i.decided_by, i.decision_note, "
		"i.extract_path, i.extract_at, i.extract_by, i.closed_on, i.closed_by, i.close_note, "
		"i.recorded_by, i.recorded_at, k.needs_decision, "
		"EXISTS (SELECT 1 FROM inquiry_events e WHERE e.inquiry_id = i.id AND e.action = 'extend') "
		"FROM inquiries i "
		"JOIN inquiry_kinds k ON k.kind = i.kind JOIN inquiry_channels c ON c.channel = i.channel "
		"WHERE i.id = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int rc;

	memset(q, 0, sizeof *q);
	if (!s)
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		char **f[] = { &q->kind, &q->kind_ja, &q->received_on, &q->channel, &q->channel_ja,
			       &q->requester, &q->contact, &q->subject, &q->content, &q->due_on,
			       &q->handler, &q->answer, &q->answered_on, &q->answered_by, &q->decision,
			       &q->decided_at, &q->decided_by, &q->decision_note, &q->extract_path,
			       &q->extract_at, &q->extract_by, &q->closed_on, &q->closed_by,
			       &q->close_note, &q->recorded_by, &q->recorded_at };
		q->id = sqlite3_column_int64(s, 0);
		q->person_id = sqlite3_column_int64(s, 1);
		for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
			*f[i] = dup_col(s, (int)i + 2);
		q->needs_decision = sqlite3_column_int(s, 28);
		q->extended = sqlite3_column_int(s, 29);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return MD_OK;
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("reading the inquiry"));
	return md_error_set(err, MD_E_NOTFOUND, "id", _("no inquiry number %lld"), id);
}

/* ---- history and audit ---------------------------------------------------------------------- */

int md_inquiry_event(struct md_ctx *ctx, const struct md_inquiry *q, const char *step,
                     const char *outcome, const char *detail, struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO inquiry_events (inquiry_id, at, user_id, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	char at[32], subject[24], function[48], action[64], *full;
	struct md_audit_rec r = { NULL, function, q->person_id > 0 ? subject : NULL, action, outcome,
	                          NULL, 0 };
	int rc;

	if (!s)
		return MD_E_DB;
	now_iso(at);
	snprintf(subject, sizeof subject, "%lld", q->person_id);
	snprintf(function, sizeof function, "inquiry.%s", step);
	/* The history names the step refused; the audit entry's action is "refused". */
	snprintf(action, sizeof action, "%s%s", step, strcmp(outcome, "ok") == 0 ? "" : ".refused");
	sqlite3_bind_int64(s, 1, q->id);
	md_bind_text(s, 2, at);
	md_bind_text(s, 3, actor(ctx));
	sqlite3_bind_text(s, 4, action, -1, SQLITE_TRANSIENT);
	if (strcmp(outcome, "ok") != 0)
		snprintf(action, sizeof action, "refused");
	md_bind_text(s, 5, detail && *detail ? detail : NULL);
	if ((rc = step_done(ctx, s, _("recording the inquiry's history"), err)) != MD_OK)
		return rc;
	full = xasprintf("inquiry=%lld kind=%s%s%s", q->id, q->kind, detail && *detail ? " " : "",
	                 detail ? detail : "");
	r.detail = full;
	rc = md_audit(ctx, &r, err);
	free(full);
	return rc;
}

int md_inquiry_refuse(struct md_ctx *ctx, const struct md_inquiry *q, const char *step,
                      struct md_error *err)
{
	struct md_error e2;
	int code = err->code;

	if (md_store_begin(ctx->store, &e2) == MD_OK) {
		if (md_inquiry_event(ctx, q, step, "denied", err->msg, &e2) == MD_OK)
			md_store_commit(ctx->store, &e2);
		else
			md_store_rollback(ctx->store);
	}
	return code;
}

/* Commits, or rolls back and returns the failure. */
static int finish(struct md_ctx *ctx, int rc, struct md_error *err)
{
	if (rc != MD_OK) {
		md_store_rollback(ctx->store);
		return rc;
	}
	return md_store_commit(ctx->store, err);
}

static int open_check(const struct md_inquiry *q, struct md_error *err)
{
	char shown[MD_DATE_TEXT_MAX];
	if (*q->closed_on)
		return md_error_set(err, MD_E_CONFLICT, "id", _("inquiry %lld was closed on %s"), q->id,
		                    wareki(q->closed_on, shown, sizeof shown));
	return MD_OK;
}

/* 1 when the deadline of inquiry id has been extended (延長), 0 when not,
 * -1 on a database error (err set). */
static int extended(struct md_ctx *ctx, long long id, struct md_error *err)
{
	static const char sql[] =
		"SELECT EXISTS (SELECT 1 FROM inquiry_events WHERE inquiry_id = ?1 AND action = 'extend')";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int rc, v;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	v = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
	sqlite3_reset(s);
	if (v < 0)
		md_store_fail(ctx->store, err, _("reading the inquiry's history"));
	return v;
}

/* ---- recording and editing ------------------------------------------------------------------- */

/* The checked values of an md_inquiry_in. */
struct checked {
	char kind[32], channel[32], received[11], due[11];
	int days;
	long long person;      /* 0: none; -1: not given (edit keeps it) */
};

static int check_in(struct md_ctx *ctx, const struct md_inquiry_in *in, int editing,
                    struct checked *c, struct md_error *err)
{
	int rc;

	memset(c, 0, sizeof *c);
	c->person = editing ? -1 : 0;
	if (!editing || in->kind) {
		if (!in->kind || !*in->kind)
			return md_error_set(err, MD_E_INVALID, "kind", _("%s is missing"), _("kind (種別)"));
		if ((rc = find_kind(ctx, in->kind, c->kind, &c->days, NULL, err)) != MD_OK)
			return rc;
	}
	if (!editing || in->received_on)
		if ((rc = parse_day("received_on", _("received on (受付日)"), in->received_on, c->received,
		                    err)) != MD_OK)
			return rc;
	if (!editing || in->channel) {
		if (!in->channel || !*in->channel)
			return md_error_set(err, MD_E_INVALID, "channel", _("%s is missing"),
			                    _("channel (受付方法)"));
		if ((rc = find_channel(ctx, in->channel, c->channel, err)) != MD_OK)
			return rc;
	}
	if ((!editing || in->requester) &&
	    (rc = check_text("requester", _("requester (請求者)"), in->requester, 1, MD_INQ_SHORT_MAX,
	                     err)) != MD_OK)
		return rc;
	if ((rc = check_text("contact", _("contact (連絡先)"), in->contact, 0, MD_INQ_SHORT_MAX, err)) !=
	    MD_OK)
		return rc;
	if ((!editing || in->subject) &&
	    (rc = check_text("subject", _("subject (件名)"), in->subject, 1, MD_INQ_SHORT_MAX, err)) != MD_OK)
		return rc;
	if ((!editing || in->content) &&
	    (rc = check_text("content", _("content (内容)"), in->content, 1, MD_INQ_LONG_MAX, err)) != MD_OK)
		return rc;
	if (in->person) {
		if (!*in->person)
			c->person = 0;
		else if ((rc = find_person(ctx, in->person, &c->person, err)) != MD_OK)
			return rc;
	}
	if (in->handler && *in->handler && (rc = check_handler(ctx, in->handler, err)) != MD_OK)
		return rc;
	return MD_OK;
}

/* received + days, or "" without a deadline. */
static void due_of(const char *received, int days, char due[11])
{
	due[0] = '\0';
	if (days > 0 && md_iso_add_days(received, days, due) != 0)
		due[0] = '\0';
}

int md_inquiry_record(struct md_ctx *ctx, const struct md_inquiry_in *in, long long *id,
                      struct md_error *err)
{
	static const char sql[] =
		"INSERT INTO inquiries (kind, received_on, channel, requester, contact, person_id, subject, "
		"content, due_on, handler, recorded_by, recorded_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
	struct checked c;
	struct md_inquiry q;
	sqlite3_stmt *s;
	char at[32], *detail;
	int rc;

	if ((rc = check_in(ctx, in, 0, &c, err)) != MD_OK)
		return rc;
	due_of(c.received, c.days, c.due);
	now_iso(at);
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return finish(ctx, MD_E_DB, err);
	md_bind_text(s, 1, c.kind);
	md_bind_text(s, 2, c.received);
	md_bind_text(s, 3, c.channel);
	md_bind_text(s, 4, in->requester);
	md_bind_text(s, 5, in->contact && *in->contact ? in->contact : NULL);
	if (c.person > 0)
		sqlite3_bind_int64(s, 6, c.person);
	md_bind_text(s, 7, in->subject);
	md_bind_text(s, 8, in->content);
	md_bind_text(s, 9, c.due[0] ? c.due : NULL);
	md_bind_text(s, 10, in->handler && *in->handler ? in->handler : NULL);
	md_bind_text(s, 11, actor(ctx));
	md_bind_text(s, 12, at);
	if ((rc = step_done(ctx, s, _("recording the inquiry"), err)) != MD_OK)
		return finish(ctx, rc, err);
	*id = sqlite3_last_insert_rowid(md_store_db(ctx->store));
	memset(&q, 0, sizeof q);
	q.id = *id;
	q.person_id = c.person;
	q.kind = c.kind;
	detail = xasprintf("received=%s channel=%s%s%s", c.received, c.channel,
	                   in->handler && *in->handler ? " handler=" : "",
	                   in->handler && *in->handler ? in->handler : "");
	rc = md_inquiry_event(ctx, &q, "record", "ok", detail, err);
	free(detail);
	return finish(ctx, rc, err);
}

int md_inquiry_edit(struct md_ctx *ctx, long long id, const struct md_inquiry_in *in,
                    struct md_error *err)
{
	static const char sql[] =
		"UPDATE inquiries SET kind = ?2, received_on = ?3, channel = ?4, requester = ?5, "
		"contact = ?6, person_id = ?7, subject = ?8, content = ?9, due_on = ?10 WHERE id = ?1";
	struct checked c;
	struct md_inquiry q;
	sqlite3_stmt *s;
	char changed[256] = "";
	const char *received, *channel;
	char kind[32];
	long long person;
	int rc, days = 0;

	if ((rc = check_in(ctx, in, 1, &c, err)) != MD_OK)
		return rc;
	if (in->handler && *in->handler)
		return md_error_set(err, MD_E_INVALID, "handler",
		                    _("the handler (担当者) is changed by assigning the inquiry"));
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = md_inquiry_load(ctx, id, &q, err)) != MD_OK || (rc = open_check(&q, err)) != MD_OK)
		goto out;
	if (*q.decision) {
		rc = md_error_set(err, MD_E_CONFLICT, "id",
		                  _("inquiry %lld has been decided: what was decided cannot be edited"), id);
		goto out;
	}
	snprintf(kind, sizeof kind, "%s", c.kind[0] ? c.kind : q.kind);
	received = c.received[0] ? c.received : q.received_on;
	channel = c.channel[0] ? c.channel : q.channel;
	person = c.person >= 0 ? c.person : q.person_id;
	if ((rc = find_kind(ctx, kind, c.kind, &days, NULL, err)) != MD_OK)
		goto out;
	{
		/* An extended deadline stays extended when the date is corrected. */
		int ext = extended(ctx, id, err);
		if (ext < 0) {
			rc = err->code;
			goto out;
		}
		due_of(received, days > 0 && ext ? days + MD_INQ_EXTENSION_DAYS : days, c.due);
	}
	{
		const struct { const char *name; int differs; } items[] = {
			{ "kind", strcmp(c.kind, q.kind) != 0 },
			{ "received_on", strcmp(received, q.received_on) != 0 },
			{ "channel", strcmp(channel, q.channel) != 0 },
			{ "requester", in->requester && strcmp(in->requester, q.requester) != 0 },
			{ "contact", in->contact && strcmp(in->contact, q.contact) != 0 },
			{ "person", person != q.person_id },
			{ "subject", in->subject && strcmp(in->subject, q.subject) != 0 },
			{ "content", in->content && strcmp(in->content, q.content) != 0 },
		};
		size_t len = 0;
		for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
			if (items[i].differs)
				len += (size_t)snprintf(changed + len, sizeof changed - len, "%s%s",
				                        len ? "," : "", items[i].name);
	}
	if (!changed[0]) {
		rc = md_error_set(err, MD_E_INVALID, "", _("nothing to change in inquiry %lld"), id);
		goto out;
	}
	if (!(s = md_store_stmt(ctx->store, sql, err))) {
		rc = MD_E_DB;
		goto out;
	}
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, c.kind);
	md_bind_text(s, 3, received);
	md_bind_text(s, 4, channel);
	md_bind_text(s, 5, in->requester ? in->requester : q.requester);
	{
		const char *contact = in->contact ? in->contact : q.contact;
		md_bind_text(s, 6, *contact ? contact : NULL);
	}
	if (person > 0)
		sqlite3_bind_int64(s, 7, person);
	md_bind_text(s, 8, in->subject ? in->subject : q.subject);
	md_bind_text(s, 9, in->content ? in->content : q.content);
	md_bind_text(s, 10, c.due[0] ? c.due : NULL);
	if ((rc = step_done(ctx, s, _("changing the inquiry"), err)) != MD_OK)
		goto out;
	{
		/* The audit entry goes to the person concerned after the edit; a
		 * changed person is named in the detail. */
		char detail[400];
		if (person != q.person_id)
			snprintf(detail, sizeof detail, "changed=%s person_before=%lld", changed, q.person_id);
		else
			snprintf(detail, sizeof detail, "changed=%s", changed);
		q.person_id = person;
		free(q.kind);
		q.kind = xstrdup(c.kind);
		rc = md_inquiry_event(ctx, &q, "edit", "ok", detail, err);
	}
out:
	md_inquiry_release(&q);
	return finish(ctx, rc, err);
}

/* ---- the steps ------------------------------------------------------------------------------------ */

int md_inquiry_assign(struct md_ctx *ctx, long long id, const char *handler, struct md_error *err)
{
	static const char sql[] = "UPDATE inquiries SET handler = ?2 WHERE id = ?1";
	struct md_inquiry q;
	sqlite3_stmt *s;
	char detail[200];
	int rc;

	if (!handler || !*handler)
		return md_error_set(err, MD_E_INVALID, "handler", _("%s is missing"), _("handler (担当者)"));
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = md_inquiry_load(ctx, id, &q, err)) != MD_OK || (rc = open_check(&q, err)) != MD_OK ||
	    (rc = check_handler(ctx, handler, err)) != MD_OK)
		goto out;
	if (strcmp(q.handler, handler) == 0) {
		rc = md_error_set(err, MD_E_INVALID, "handler", _("inquiry %lld is already assigned to %s"),
		                  id, handler);
		goto out;
	}
	if (!(s = md_store_stmt(ctx->store, sql, err))) {
		rc = MD_E_DB;
		goto out;
	}
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, handler);
	if ((rc = step_done(ctx, s, _("assigning the inquiry"), err)) != MD_OK)
		goto out;
	snprintf(detail, sizeof detail, "handler=%s%s%s", handler, *q.handler ? " before=" : "", q.handler);
	rc = md_inquiry_event(ctx, &q, "assign", "ok", detail, err);
out:
	md_inquiry_release(&q);
	return finish(ctx, rc, err);
}

int md_inquiry_answer(struct md_ctx *ctx, long long id, const char *answer, const char *date,
                      struct md_error *err)
{
	static const char sql[] =
		"UPDATE inquiries SET answer = ?2, answered_on = ?3, answered_by = ?4 WHERE id = ?1";
	struct md_inquiry q;
	sqlite3_stmt *s;
	char day[11], *detail;
	int rc;

	if ((rc = check_text("answer", _("answer (対応・回答)"), answer, 1, MD_INQ_LONG_MAX, err)) != MD_OK ||
	    (rc = parse_day("date", _("answered on (回答日)"), date, day, err)) != MD_OK)
		return rc;
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = md_inquiry_load(ctx, id, &q, err)) != MD_OK || (rc = open_check(&q, err)) != MD_OK)
		goto out;
	if (strcmp(day, q.received_on) < 0) {
		char shown[MD_DATE_TEXT_MAX];
		rc = md_error_set(err, MD_E_INVALID, "date",
		                  _("answered on (回答日) cannot be before the inquiry was received (%s)"),
		                  wareki(q.received_on, shown, sizeof shown));
		goto out;
	}
	if (!(s = md_store_stmt(ctx->store, sql, err))) {
		rc = MD_E_DB;
		goto out;
	}
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, answer);
	md_bind_text(s, 3, day);
	md_bind_text(s, 4, actor(ctx));
	if ((rc = step_done(ctx, s, _("recording the answer"), err)) != MD_OK)
		goto out;
	detail = xasprintf("on=%s %s", day, answer);
	rc = md_inquiry_event(ctx, &q, "answer", "ok", detail, err);
	free(detail);
out:
	md_inquiry_release(&q);
	return finish(ctx, rc, err);
}

int md_inquiry_decide(struct md_ctx *ctx, long long id, int approve, const char *note,
                      struct md_error *err)
{
	static const char sql[] =
		"UPDATE inquiries SET decision = ?2, decided_at = ?3, decided_by = ?4, decision_note = ?5 "
		"WHERE id = ?1";
	const char *step = approve ? "approve" : "refuse";
	struct md_inquiry q;
	sqlite3_stmt *s;
	char at[32], *detail;
	int rc, refused = 0;

	if ((rc = check_text("note", approve ? _("note (備考)") : _("reason (不開示の理由)"), note, !approve,
	                     MD_INQ_LONG_MAX, err)) != MD_OK)
		return rc;
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = md_inquiry_load(ctx, id, &q, err)) != MD_OK || (rc = open_check(&q, err)) != MD_OK)
		goto out;
	if (!q.needs_decision) {
		rc = md_error_set(err, MD_E_INVALID, "id",
		                  _("inquiry %lld is a %s: only a disclosure request (開示請求) is decided"),
		                  id, q.kind_ja);
		goto out;
	}
	if (*q.decision) {
		rc = md_error_set(err, MD_E_CONFLICT, "id", _("inquiry %lld was already decided (%s) by %s"),
		                  id, strcmp(q.decision, "approved") == 0 ? "開示決定" : "不開示決定",
		                  q.decided_by);
		goto out;
	}
	if (q.person_id <= 0) {
		rc = md_error_set(err, MD_E_INVALID, "person",
		                  _("inquiry %lld names no person (宛名番号): edit it before deciding"), id);
		goto out;
	}
	if (strcmp(q.recorded_by, actor(ctx)) == 0) {
		rc = md_error_set(err, MD_E_DENIED, "id",
		                  _("inquiry %lld was recorded by %s: another supervisor must decide it"),
		                  id, q.recorded_by);
		refused = 1;
		goto out;
	}
	if (!(s = md_store_stmt(ctx->store, sql, err))) {
		rc = MD_E_DB;
		goto out;
	}
	now_iso(at);
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, approve ? "approved" : "refused");
	md_bind_text(s, 3, at);
	md_bind_text(s, 4, actor(ctx));
	md_bind_text(s, 5, note && *note ? note : NULL);
	if ((rc = step_done(ctx, s, _("recording the decision"), err)) != MD_OK)
		goto out;
	detail = xasprintf("%s%s%s", approve ? "開示決定" : "不開示決定", note && *note ? " " : "",
	                   note ? note : "");
	rc = md_inquiry_event(ctx, &q, step, "ok", detail, err);
	free(detail);
out:
	rc = finish(ctx, rc, err);
	if (refused)
		md_inquiry_refuse(ctx, &q, step, err);
	md_inquiry_release(&q);
	return rc;
}

int md_inquiry_extend(struct md_ctx *ctx, long long id, const char *reason, char due[11],
                      struct md_error *err)
{
	static const char sql[] = "UPDATE inquiries SET due_on = ?2 WHERE id = ?1";
	struct md_inquiry q;
	sqlite3_stmt *s;
	char now[11], shown[MD_DATE_TEXT_MAX], *detail;
	int rc, ext;

	due[0] = '\0';
	if ((rc = check_text("reason", _("reason for the extension (延長の理由)"), reason, 1,
	                     MD_INQ_LONG_MAX, err)) != MD_OK)
		return rc;
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = md_inquiry_load(ctx, id, &q, err)) != MD_OK || (rc = open_check(&q, err)) != MD_OK)
		goto out;
	if (!*q.due_on) {
		rc = md_error_set(err, MD_E_INVALID, "id",
		                  _("inquiry %lld is a %s: it has no legal deadline to extend"), id,
		                  q.kind_ja);
		goto out;
	}
	if (*q.decision || (!q.needs_decision && *q.answer)) {
		rc = md_error_set(err, MD_E_CONFLICT, "id",
		                  _("inquiry %lld has already been decided or answered: there is no deadline "
		                    "left to extend"), id);
		goto out;
	}
	if ((ext = extended(ctx, id, err)) < 0) {
		rc = err->code;
		goto out;
	}
	if (ext) {
		rc = md_error_set(err, MD_E_CONFLICT, "id",
		                  _("the deadline of inquiry %lld has already been extended to %s: it can be "
		                    "extended only once"), id, wareki(q.due_on, shown, sizeof shown));
		goto out;
	}
	today(now);
	if (strcmp(now, q.due_on) > 0) {
		rc = md_error_set(err, MD_E_CONFLICT, "id",
		                  _("the deadline of inquiry %lld passed on %s: an extension must be decided "
		                    "before the deadline"), id, wareki(q.due_on, shown, sizeof shown));
		goto out;
	}
	if (md_iso_add_days(q.due_on, MD_INQ_EXTENSION_DAYS, due) != 0) {
		rc = md_error_set(err, MD_E_INVALID, "id", _("inquiry %lld has an invalid deadline %s"), id,
		                  q.due_on);
		goto out;
	}
	if (!(s = md_store_stmt(ctx->store, sql, err))) {
		rc = MD_E_DB;
		goto out;
	}
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, due);
	if ((rc = step_done(ctx, s, _("extending the deadline"), err)) != MD_OK)
		goto out;
	detail = xasprintf("due_before=%s due=%s %s", q.due_on, due, reason);
	rc = md_inquiry_event(ctx, &q, "extend", "ok", detail, err);
	free(detail);
out:
	md_inquiry_release(&q);
	rc = finish(ctx, rc, err);
	if (rc != MD_OK)
		due[0] = '\0';
	return rc;
}

int md_inquiry_close(struct md_ctx *ctx, long long id, const char *date, const char *note,
                     struct md_error *err)
{
	static const char sql[] =
		"UPDATE inquiries SET closed_on = ?2, closed_by = ?3, close_note = ?4 WHERE id = ?1";
	struct md_inquiry q;
	sqlite3_stmt *s;
	char day[11], shown[MD_DATE_TEXT_MAX], *detail;
	int rc;

	if ((rc = parse_day("date", _("closed on (完了日)"), date, day, err)) != MD_OK ||
	    (rc = check_text("note", _("note (備考)"), note, 0, MD_INQ_LONG_MAX, err)) != MD_OK)
		return rc;
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		return rc;
	if ((rc = md_inquiry_load(ctx, id, &q, err)) != MD_OK || (rc = open_check(&q, err)) != MD_OK)
		goto out;
	if (strcmp(day, q.received_on) < 0) {
		rc = md_error_set(err, MD_E_INVALID, "date",
		                  _("closed on (完了日) cannot be before the inquiry was received (%s)"),
		                  wareki(q.received_on, shown, sizeof shown));
		goto out;
	}
	if (q.needs_decision && !*q.decision) {
		rc = md_error_set(err, MD_E_CONFLICT, "id",
		                  _("inquiry %lld is a disclosure request without a decision: approve or refuse it first"),
		                  id);
		goto out;
	}
	if (!q.needs_decision && !*q.answer) {
		rc = md_error_set(err, MD_E_CONFLICT, "id",
		                  _("inquiry %lld has no answer: record the handling before closing it"), id);
		goto out;
	}
	if (!(s = md_store_stmt(ctx->store, sql, err))) {
		rc = MD_E_DB;
		goto out;
	}
	sqlite3_bind_int64(s, 1, id);
	md_bind_text(s, 2, day);
	md_bind_text(s, 3, actor(ctx));
	md_bind_text(s, 4, note && *note ? note : NULL);
	if ((rc = step_done(ctx, s, _("closing the inquiry"), err)) != MD_OK)
		goto out;
	detail = xasprintf("on=%s%s%s", day, note && *note ? " " : "", note ? note : "");
	rc = md_inquiry_event(ctx, &q, "close", "ok", detail, err);
	free(detail);
out:
	md_inquiry_release(&q);
	return finish(ctx, rc, err);
}

/* ---- reading --------------------------------------------------------------------------------------- */

/* The state of an inquiry in words. */
static const char *state_text(const char *closed, const char *decision, const char *answer,
                              const char *handler, int extended_)
{
	if (*closed)
		return "完了";
	if (strcmp(decision, "approved") == 0)
		return "開示決定";
	if (strcmp(decision, "refused") == 0)
		return "不開示決定";
	if (*answer)
		return "回答済";
	if (extended_)
		return "期限延長中";
	if (*handler)
		return "対応中";
	return "受付";
}

int md_inquiry_list(struct md_ctx *ctx, const struct md_inquiry_filter *f, struct md_result *res,
                    struct md_error *err)
{
	static const char sql[] =
		"SELECT i.id, k.title_ja, i.received_on, c.title_ja, i.requester, coalesce(i.person_id, ''), "
		"i.subject, coalesce(i.handler, ''), coalesce(i.due_on, ''), coalesce(i.closed_on, ''), "
		"coalesce(i.decision, ''), coalesce(i.answer, ''), "
		"(i.closed_on IS NULL AND i.due_on IS NOT NULL AND i.due_on < ?4 AND "
		" CASE WHEN k.needs_decision THEN i.decision IS NULL ELSE i.answer IS NULL END), "
		"EXISTS (SELECT 1 FROM inquiry_events e WHERE e.inquiry_id = i.id AND e.action = 'extend') "
		"FROM inquiries i JOIN inquiry_kinds k ON k.kind = i.kind "
		"JOIN inquiry_channels c ON c.channel = i.channel "
		"WHERE (?1 OR i.closed_on IS NULL) AND (?2 IS NULL OR i.handler = ?2) "
		"AND (?3 IS NULL OR i.kind = ?3) ORDER BY i.closed_on IS NOT NULL, "
		"coalesce(i.due_on, '9999-12-31'), i.id";
	static const char *const cols[] = { N_("kind"), N_("received"), N_("channel"), N_("requester"),
		                            "宛名番号", N_("inquiry subject"), N_("handler"), N_("due"),
		                            N_("state"), N_("overdue") };
	const char *tcols[11];
	char kind[32] = "", now[11], detail[200];
	sqlite3_stmt *s;
	int rc, n = 0;

	if (f->kind && *f->kind && (rc = find_kind(ctx, f->kind, kind, NULL, NULL, err)) != MD_OK)
		return rc;
	today(now);
	tcols[0] = "id";
	for (int i = 0; i < 10; i++)
		tcols[i + 1] = i == 4 ? cols[i] : _(cols[i]);
	if (!(s = md_store_stmt(ctx->store, sql, err)))
		return MD_E_DB;
	md_table_init(&res->table, 11, tcols);
	sqlite3_bind_int(s, 1, f->all);
	md_bind_text(s, 2, f->mine ? actor(ctx) : NULL);
	md_bind_text(s, 3, kind[0] ? kind : NULL);
	md_bind_text(s, 4, now);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char id[24], received[MD_DATE_TEXT_MAX], due[MD_DATE_TEXT_MAX];
		int overdue = sqlite3_column_int(s, 12);
		const char *row[11] = { id, md_col_text(s, 1), received, md_col_text(s, 3),
			                md_col_text(s, 4), md_col_text(s, 5), md_col_text(s, 6),
			                md_col_text(s, 7), due,
			                state_text(md_col_text(s, 9), md_col_text(s, 10), md_col_text(s, 11),
			                           md_col_text(s, 7), sqlite3_column_int(s, 13)),
			                overdue ? "期限超過" : "" };
		if (f->overdue && !overdue)
			continue;
		snprintf(id, sizeof id, "%lld", sqlite3_column_int64(s, 0));
		wareki(md_col_text(s, 2), received, sizeof received);
		wareki(md_col_text(s, 8), due, sizeof due);
		md_table_add(&res->table, row);
		n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("reading the inquiries"));
	snprintf(detail, sizeof detail, "all=%d mine=%d overdue=%d kind=%s rows=%d", f->all, f->mine,
	         f->overdue, kind[0] ? kind : "-", n);
	{
		struct md_audit_rec r = { NULL, "inquiry.list", NULL, "list", "ok", detail, 0 };
		if ((rc = md_audit(ctx, &r, err)) != MD_OK)
			return rc;
	}
	md_result_message(res, P_("%d inquiry", "%d inquiries", n), n);
	return MD_OK;
}

/* The name of a person as it reads, for a reader with resident.lookup. */
static void person_name(struct md_ctx *ctx, long long id, char *buf, size_t n)
{
	static const char sql[] =
		"SELECT surname, given_name, birth_date FROM persons WHERE id = ?1";
	struct md_error e;
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, &e);

	buf[0] = '\0';
	if (!s)
		return;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		char birth[MD_DATE_TEXT_MAX];
		const char *g = md_col_text(s, 1);
		snprintf(buf, n, "%s%s%s（%s生）", md_col_text(s, 0), *g ? " " : "", g,
		         wareki(md_col_text(s, 2), birth, sizeof birth));
	}
	sqlite3_reset(s);
}

static void add_row(struct md_result *res, const char *item, const char *value)
{
	const char *row[2] = { item, value };
	if (value && *value)
		md_table_add(&res->table, row);
}

/* The step of a history row in words; a refused one with （拒否）. */
static void step_name(const char *action, char *buf, size_t n)
{
	static const struct { const char *step, *ja; } names[] = {
		{ "record", "受付" }, { "edit", "修正" }, { "assign", "担当" }, { "answer", "回答" },
		{ "approve", "開示決定" }, { "refuse", "不開示決定" }, { "extract", "開示用抽出" },
		{ "close", "完了" }, { "extend", "期限延長" }, { "notice", "延長通知" },
	};
	size_t len = strcspn(action, ".");
	const char *ja = NULL;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].step) == len && strncmp(names[i].step, action, len) == 0)
			ja = names[i].ja;
	snprintf(buf, n, "%s%s", ja ? ja : action, action[len] ? "（拒否）" : "");
}

/* The row of the deadline's extension: the deadline it replaced, the reason,
 * when and by whom (from its history step "due_before=X due=Y reason"). */
static int extension_row(struct md_ctx *ctx, long long id, int pending, struct md_result *res,
                         struct md_error *err)
{
	static const char sql[] =
		"SELECT at, user_id, coalesce(detail, '') FROM inquiry_events "
		"WHERE inquiry_id = ?1 AND action = 'extend' ORDER BY id LIMIT 1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int rc;

	if (!s)
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		char before[11] = "", shown[MD_DATE_TEXT_MAX], t1[32], *line;
		const char *detail = md_col_text(s, 2), *reason = "";
		int used = 0;
		if (sscanf(detail, "due_before=%10s due=%*10s %n", before, &used) == 1 && used > 0)
			reason = detail + used;
		local_time(md_col_text(s, 0), t1, sizeof t1);
		/* The reminder of the notice only while the request waits. */
		line = xasprintf(pending ? _("from %s; reason: %s (%s %s); notify the requester in writing")
		                         : _("from %s; reason: %s (%s %s)"),
		                 wareki(before, shown, sizeof shown), reason, t1, md_col_text(s, 1));
		add_row(res, _("Deadline extended"), line);
		free(line);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("reading the inquiry's history"));
	return MD_OK;
}

int md_inquiry_show(struct md_ctx *ctx, long long id, struct md_result *res, struct md_error *err)
{
	static const char events[] =
		"SELECT at, user_id, action, coalesce(detail, '') FROM inquiry_events WHERE inquiry_id = ?1 "
		"ORDER BY id";
	static const char *const cols[] = { "item", "value" };
	struct md_inquiry q;
	sqlite3_stmt *s;
	char buf[600], d1[MD_DATE_TEXT_MAX], t1[32];
	int rc, nev = 0, ext;

	if ((rc = md_inquiry_load(ctx, id, &q, err)) != MD_OK)
		return rc;
	md_table_init(&res->table, 2, cols);
	snprintf(buf, sizeof buf, "%lld", q.id);
	add_row(res, _("Inquiry number"), buf);
	add_row(res, _("Kind"), q.kind_ja);
	add_row(res, _("Received on"), wareki(q.received_on, d1, sizeof d1));
	add_row(res, _("Channel"), q.channel_ja);
	add_row(res, _("Requester"), q.requester);
	add_row(res, _("Contact"), q.contact);
	if (q.person_id > 0) {
		char name[300] = "";
		if (md_auth_can(ctx, "resident.lookup"))
			person_name(ctx, q.person_id, name, sizeof name);
		snprintf(buf, sizeof buf, "%lld%s%s", q.person_id, name[0] ? "  " : "", name);
		add_row(res, "宛名番号", buf);
	}
	add_row(res, _("Subject of the inquiry"), q.subject);
	add_row(res, _("Content"), q.content);
	add_row(res, _("Decision due"), wareki(q.due_on, d1, sizeof d1));
	add_row(res, _("Handler"), q.handler);
	add_row(res, _("Answer"), q.answer);
	if (*q.answered_on) {
		snprintf(buf, sizeof buf, "%s %s", wareki(q.answered_on, d1, sizeof d1), q.answered_by);
		add_row(res, _("Answered"), buf);
	}
	if (*q.decision) {
		local_time(q.decided_at, t1, sizeof t1);
		snprintf(buf, sizeof buf, "%s %s %s%s%s",
		         strcmp(q.decision, "approved") == 0 ? "開示決定" : "不開示決定", t1, q.decided_by,
		         *q.decision_note ? " " : "", q.decision_note);
		add_row(res, _("Decision"), buf);
	}
	if (*q.extract_path) {
		local_time(q.extract_at, t1, sizeof t1);
		snprintf(buf, sizeof buf, "%s %s %s", t1, q.extract_by, q.extract_path);
		add_row(res, _("Extract"), buf);
	}
	if (*q.closed_on) {
		snprintf(buf, sizeof buf, "%s %s%s%s", wareki(q.closed_on, d1, sizeof d1), q.closed_by,
		         *q.close_note ? " " : "", q.close_note);
		add_row(res, _("Closed"), buf);
	}
	if ((ext = extended(ctx, q.id, err)) < 0) {
		rc = err->code;
		goto out;
	}
	if (ext && (rc = extension_row(ctx, q.id,
	                               !*q.closed_on && !*q.decision && (q.needs_decision || !*q.answer),
	                               res, err)) != MD_OK)
		goto out;
	add_row(res, _("State"), state_text(q.closed_on, q.decision, q.answer, q.handler, ext));
	if (!(s = md_store_stmt(ctx->store, events, err))) {
		rc = MD_E_DB;
		goto out;
	}
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char item[80], step[64];
		local_time(md_col_text(s, 0), t1, sizeof t1);
		snprintf(item, sizeof item, "%s %s", _("History"), t1);
		step_name(md_col_text(s, 2), step, sizeof step);
		snprintf(buf, sizeof buf, "%s %s%s%s", md_col_text(s, 1), step,
		         *md_col_text(s, 3) ? ": " : "", md_col_text(s, 3));
		add_row(res, item, buf);
		nev++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		rc = md_store_fail(ctx->store, err, _("reading the inquiry's history"));
		goto out;
	}
	snprintf(buf, sizeof buf, "events=%d", nev);
	rc = md_store_begin(ctx->store, err);
	if (rc == MD_OK) {
		char subject[24];
		struct md_audit_rec r = { NULL, "inquiry.show", q.person_id > 0 ? subject : NULL, "view",
		                          "ok", NULL, 0 };
		char *detail = xasprintf("inquiry=%lld kind=%s %s", q.id, q.kind, buf);
		snprintf(subject, sizeof subject, "%lld", q.person_id);
		r.detail = detail;
		rc = md_audit(ctx, &r, err);
		free(detail);
		rc = finish(ctx, rc, err);
	}
	if (rc == MD_OK)
		md_result_message(res, _("Inquiry %lld: %s, %s"), q.id, q.kind_ja,
		                  state_text(q.closed_on, q.decision, q.answer, q.handler, ext));
out:
	md_inquiry_release(&q);
	return rc;
}
