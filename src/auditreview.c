/* auditreview.c: the audit log read for review: the filtered search and
 * the ready-made checks. Every query goes through an index of audit_log
 * (0001_core.sql and 0007_audit_review.sql): by user, subject or function
 * with their time, or by time alone. The entries come newest first and pass
 * through one "sink" that drops reviewed ones when asked, counts them and
 * keeps one page; checks that cannot read in that order (volume, protected
 * persons) sort their findings first.
 *
 * Times: the log holds UTC ("2026-11-22T07:15:00Z"); people give and read
 * local times, and office hours are local. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "auditreview.h"
#include "checkdigit.h"
#include "ctx.h"
#include "datafiles.h"
#include "i18n.h"
#include "settings.h"
#include "store.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

static const struct md_audit_check_def check_defs[MD_CHECK_COUNT] = {
	{ "off-hours", N_("Access outside office hours"),
	  N_("every entry outside the office hours or on a day the office is closed ([audit] office_hours, office_days; holidays and 年末年始 in data/holidays.tsv)") },
	{ "volume", N_("Unusual volume of lookups"),
	  N_("users whose lookups in a day are far above their own usual number or the other users' that day") },
	{ "no-transaction", N_("Lookups not followed by a transaction"),
	  N_("persons looked at with no change, certificate, seal, support measure or counter transaction on them by the same user within [audit] followup_hours") },
	{ "mynumber", N_("My Number reveals"), N_("every reveal of a My Number (個人番号の表示)") },
	{ "protected", N_("Views of persons under 支援措置"),
	  N_("every lookup of a person while a support measure (支援措置) protected them") },
	{ "logins", N_("Failed logins and lockouts"),
	  N_("failed logins and unlocks, and accounts locked after too many failures") },
};

/* What counts as looking at a person, and as a transaction on one. */
#define LOOKUPS "'resident.search','resident.view','resident.household','resident.history'"
#define VIEWS "'resident.view','resident.household','resident.history','mynumber.reveal'"
#define TRANSACTIONS "'change.save','cert.issue','cert.letter','seal.register','seal.cancel'," \
	"'support.set','support.extend','support.end','support.confirm'"

static const char open_from[] = "0000-00-00T00:00:00Z";
static const char open_to[] = "9999-99-99T99:99:99Z";

const struct md_audit_check_def *md_audit_check_def(enum md_audit_check c)
{
	return c >= 0 && c < MD_CHECK_COUNT ? &check_defs[c] : NULL;
}

int md_audit_check_find(const char *name)
{
	for (int i = 0; name && i < MD_CHECK_COUNT; i++)
		if (strcmp(check_defs[i].name, name) == 0)
			return i;
	return -1;
}

void md_audit_query_init(struct md_audit_query *q)
{
	memset(q, 0, sizeof *q);
	q->page = 1;
	q->limit = MD_AUDIT_LIMIT_DEFAULT;
}

static int given(const char *s)
{
	return s && *s;
}

/* ---- time ----------------------------------------------------------------- */

static int iso_to_time(const char *iso, time_t *t)
{
	int y, mo, d, hh, mi, ss, used = 0;

	if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &hh, &mi, &ss, &used) != 6 || used != 20)
		return -1;
	*t = (time_t)md_days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss;
	return 0;
}

/* "2026-11-22 16:20:01" local, or the stored text when it is not a time. */
static void local_text(const char *iso, char *buf, size_t n)
{
	struct tm tm;
	time_t t;

	if (iso_to_time(iso, &t) != 0) {
		snprintf(buf, n, "%s", iso);
		return;
	}
	localtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
}

static void iso_shift(const char *iso, long seconds, char out[24])
{
	time_t t;
	if (iso_to_time(iso, &t) != 0) {
		snprintf(out, 24, "%s", iso);
		return;
	}
	md_time_iso(t + seconds, out, 24);
}

int md_audit_time_bound(const char *field, const char *v, int is_end, char out[24],
                        struct md_error *err)
{
	char date[64];
	const char *time_part = NULL, *sp;
	struct md_date d;
	struct md_error e;
	struct tm tm;
	int hh = 0, mi = 0, ss = 0, used = 0;
	time_t t;

	out[0] = '\0';
	if (!given(v))
		return MD_OK;
	sp = strrchr(v, ' ');
	if (!sp && strlen(v) > 10 && v[10] == 'T')
		sp = v + 10;
	if (sp && strchr(sp, ':')) {
		time_part = sp + 1;
		snprintf(date, sizeof date, "%.*s", (int)(sp - v), v);
	} else {
		snprintf(date, sizeof date, "%s", v);
	}
	if (md_date_parse(date, &d, &e) != MD_OK || d.prec != MD_DATE_FULL)
		return md_error_set(err, MD_E_INVALID, field,
		                    _("%s must be a date, optionally with a time, such as 2026-11-22, R8.11.22 or 2026-11-22 08:30, not \"%s\""),
		                    field, v);
	if (time_part) {
		int k = sscanf(time_part, "%2d:%2d%n:%2d%n", &hh, &mi, &used, &ss, &used);
		if (k < 2 || time_part[used] != '\0' || hh > 23 || mi > 59 || ss > 59 || hh < 0 || mi < 0 ||
		    ss < 0)
			return md_error_set(err, MD_E_INVALID, field,
			                    _("%s: the time must be HH:MM or HH:MM:SS, not \"%s\""), field, time_part);
		if (k == 2)
			ss = 0;
	}
	memset(&tm, 0, sizeof tm);
	tm.tm_year = d.y - 1900;
	tm.tm_mon = d.m - 1;
	tm.tm_mday = d.d + (is_end && !time_part ? 1 : 0);
	tm.tm_hour = hh;
	tm.tm_min = mi;
	tm.tm_sec = ss;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1)
		return md_error_set(err, MD_E_INVALID, field, _("%s: not a time this system can represent: \"%s\""),
		                    field, v);
	md_time_iso(t, out, 24);
	return MD_OK;
}

/* ---- output --------------------------------------------------------------- */

/* A run of exactly 12 digits in free text is shown as a masked My Number:
 * no entry should hold one, and none is ever shown. */
static char *mask_numbers(const char *s)
{
	size_t n = strlen(s), o = 0;
	char *out = xmalloc(n * 2 + 16);

	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && s[j] >= '0' && s[j] <= '9')
			j++;
		if (j - i == 12) {
			char masked[16];
			md_mynumber_mask(s + i, masked, sizeof masked);
			memcpy(out + o, masked, strlen(masked));
			o += strlen(masked);
			i = j;
		} else if (j > i) {
			memcpy(out + o, s + i, j - i);
			o += j - i;
			i = j;
		} else {
			out[o++] = s[i++];
		}
	}
	out[o] = '\0';
	return out;
}

struct review {
	int found;
	char by[64], at[32], comment[1024];
};

static int review_of(struct md_ctx *ctx, long long id, struct review *r, struct md_error *err)
{
	static const char sql[] =
		"SELECT reviewed_by, reviewed_at, comment FROM audit_reviews WHERE entry_id = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	int rc;

	memset(r, 0, sizeof *r);
	if (!s)
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		r->found = 1;
		snprintf(r->by, sizeof r->by, "%s", md_col_text(s, 0));
		local_text(md_col_text(s, 1), r->at, sizeof r->at);
		snprintf(r->comment, sizeof r->comment, "%s", md_col_text(s, 2));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("reading the reviews of the audit log"));
	return MD_OK;
}

struct finding {
	long long id;
	char *ts, *user, *terminal, *function, *subject, *text;
};

static void finding_free(struct finding *f)
{
	free(f->ts);
	free(f->user);
	free(f->terminal);
	free(f->function);
	free(f->subject);
	free(f->text);
}

/* Findings arrive newest first; the sink keeps one page of them. */
struct sink {
	struct md_ctx *ctx;
	const struct md_audit_query *q;
	struct md_table *t;
	long total;
};

static int sink_add(struct sink *k, long long id, const char *ts, const char *user, const char *terminal,
                    const char *function, const char *subject, const char *text, struct md_error *err)
{
	struct review r;
	long first = (long)(k->q->page - 1) * k->q->limit;
	int rc;

	if (k->q->unreviewed || (k->total >= first && k->total < first + k->q->limit)) {
		if ((rc = review_of(k->ctx, id, &r, err)) != MD_OK)
			return rc;
		if (k->q->unreviewed && r.found)
			return MD_OK;
	}
	if (k->total >= first && k->total < first + k->q->limit) {
		char idtxt[24], when[32];
		char *masked = mask_numbers(text ? text : "");
		const char *row[10];
		snprintf(idtxt, sizeof idtxt, "%lld", id);
		local_text(ts, when, sizeof when);
		row[0] = idtxt;
		row[1] = when;
		row[2] = user;
		row[3] = terminal;
		row[4] = function;
		row[5] = subject;
		row[6] = masked;
		row[7] = r.found ? r.by : "";
		row[8] = r.found ? r.at : "";
		row[9] = r.found ? r.comment : "";
		md_table_add(k->t, row);
		free(masked);
	}
	k->total++;
	return MD_OK;
}

static void findings_table(struct md_table *t)
{
	static const char *const cols[] = { "id", "time", "user", "terminal", "function", "subject",
	                                    "finding", "reviewed_by", "reviewed_at", "comment" };
	md_table_init(t, 10, cols);
}

static const char *bound_from(const struct md_audit_query *q)
{
	return q->from[0] ? q->from : open_from;
}

static const char *bound_to(const struct md_audit_query *q)
{
	return q->to[0] ? q->to : open_to;
}

static int validate(const struct md_audit_query *q, struct md_error *err)
{
	if (q->page < 1)
		return md_error_set(err, MD_E_INVALID, "page", _("page must be 1 or more"));
	if (q->limit < 1 || q->limit > MD_AUDIT_LIMIT_MAX)
		return md_error_set(err, MD_E_INVALID, "limit", _("limit must be from 1 to %d"),
		                    MD_AUDIT_LIMIT_MAX);
	if (q->from[0] && q->to[0] && strcmp(q->from, q->to) >= 0)
		return md_error_set(err, MD_E_INVALID, "from", _("from must be before to"));
	return MD_OK;
}

/* ---- the search ----------------------------------------------------------- */

int md_audit_search(struct md_ctx *ctx, const struct md_audit_query *q, struct md_table *t,
                    int *more, struct md_error *err)
{
	static const char *const cols[] = { "id", "time", "user", "terminal", "function", "subject",
	                                    "action", "outcome", "mynumber", "detail", "reviewed_by",
	                                    "reviewed_at", "comment" };
	char sql[1024];
	const char *bind[8];
	int nb = 0, rc, rows = 0;
	sqlite3_stmt *s = NULL;

	*more = 0;
	if ((rc = validate(q, err)) != MD_OK)
		return rc;
	/* Only fixed text goes into the SQL; every value is a parameter. */
	snprintf(sql, sizeof sql,
	         "SELECT a.id, a.ts, a.user_id, a.terminal, a.function, a.subject, a.action, a.outcome, "
	         "a.mynumber, a.detail, r.reviewed_by, r.reviewed_at, r.comment "
	         "FROM audit_log a LEFT JOIN audit_reviews r ON r.entry_id = a.id WHERE a.ts >= ?1 AND a.ts < ?2");
	bind[nb++] = bound_from(q);
	bind[nb++] = bound_to(q);
#define FILTER(val, col) \
	if (given(val)) { \
		size_t l_ = strlen(sql); \
		snprintf(sql + l_, sizeof sql - l_, " AND a." col " = ?%d", nb + 1); \
		bind[nb++] = (val); \
	}
	FILTER(q->user, "user_id")
	FILTER(q->subject, "subject")
	FILTER(q->function, "function")
	FILTER(q->outcome, "outcome")
#undef FILTER
	{
		size_t l = strlen(sql);
		snprintf(sql + l, sizeof sql - l, "%s ORDER BY a.ts DESC, a.id DESC LIMIT %d OFFSET %ld",
		         q->unreviewed ? " AND r.entry_id IS NULL" : "", q->limit + 1,
		         (long)(q->page - 1) * q->limit);
	}
	if (sqlite3_prepare_v2(md_store_db(ctx->store), sql, -1, &s, NULL) != SQLITE_OK)
		return md_store_fail(ctx->store, err, _("reading the audit log"));
	for (int i = 0; i < nb; i++)
		md_bind_text(s, i + 1, bind[i]);
	md_table_init(t, 13, cols);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char idtxt[24], when[32], reviewed_at[32];
		const char *row[13];
		char *detail;

		if (rows == q->limit) {
			*more = 1;
			break;
		}
		snprintf(idtxt, sizeof idtxt, "%lld", (long long)sqlite3_column_int64(s, 0));
		local_text(md_col_text(s, 1), when, sizeof when);
		reviewed_at[0] = '\0';
		if (sqlite3_column_type(s, 11) != SQLITE_NULL)
			local_text(md_col_text(s, 11), reviewed_at, sizeof reviewed_at);
		detail = mask_numbers(md_col_text(s, 9));
		row[0] = idtxt;
		row[1] = when;
		for (int c = 2; c <= 7; c++)
			row[c] = md_col_text(s, c);
		row[8] = sqlite3_column_int(s, 8) ? _("yes") : "";
		row[9] = detail;
		row[10] = md_col_text(s, 10);
		row[11] = reviewed_at;
		row[12] = md_col_text(s, 12);
		md_table_add(t, row);
		free(detail);
		rows++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sqlite3_finalize(s);
		md_table_release(t);
		return md_store_fail(ctx->store, err, _("reading the audit log"));
	}
	sqlite3_finalize(s);
	return MD_OK;
}

/* ---- checks that read entries in order --------------------------------------- */

/* Runs s (bound already) whose columns are id ts user terminal function
 * subject outcome detail; keep() decides and words the finding. */
typedef char *(*keep_fn)(struct md_ctx *ctx, sqlite3_stmt *s, int *error, struct md_error *err);

static int stream(struct sink *k, sqlite3_stmt *s, keep_fn keep, struct md_error *err)
{
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int error = 0;
		char *text;
		const char *user = md_col_text(s, 2), *subject = md_col_text(s, 5);

		if (given(k->q->user) && strcmp(user, k->q->user) != 0 &&
		    !(strcmp(md_col_text(s, 4), "login") == 0 && strcmp(subject, k->q->user) == 0) &&
		    !(strcmp(md_col_text(s, 4), "unlock") == 0 && strcmp(subject, k->q->user) == 0) &&
		    !(strcmp(md_col_text(s, 4), "account.lockout") == 0 && strcmp(subject, k->q->user) == 0))
			continue;
		if (given(k->q->subject) && strcmp(subject, k->q->subject) != 0)
			continue;
		text = keep(k->ctx, s, &error, err);
		if (error) {
			sqlite3_reset(s);
			return MD_E_DB;
		}
		if (!text)
			continue;
		rc = sink_add(k, sqlite3_column_int64(s, 0), md_col_text(s, 1), user, md_col_text(s, 3),
		              md_col_text(s, 4), subject, text, err);
		free(text);
		if (rc != MD_OK) {
			sqlite3_reset(s);
			return rc;
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(k->ctx->store, err, _("reading the audit log"));
	return MD_OK;
}

/* data/holidays.tsv: national holidays and the year-end closure, read once. */
struct holiday {
	long day;
	char name[64];
};
static struct holiday *holidays;
static size_t n_holidays;
static int holidays_read;

static int holiday_cmp(const void *a, const void *b)
{
	const struct holiday *x = a, *y = b;
	return (x->day > y->day) - (x->day < y->day);
}

static void read_holidays(void)
{
	const char *p = md_data_holidays_tsv;
	size_t cap = 0;

	holidays_read = 1;
	while (*p) {
		size_t len = strcspn(p, "\n");
		char date[11];
		int y, m, d;
		const char *tab = memchr(p, '\t', len);
		if (p[0] != '#' && tab && tab - p == 10) {
			memcpy(date, p, 10);
			date[10] = '\0';
			if (md_date_parse_iso(date, &y, &m, &d) == 0) {
				if (n_holidays == cap) {
					cap = cap ? cap * 2 : 128;
					holidays = xrealloc(holidays, cap * sizeof *holidays);
				}
				holidays[n_holidays].day = md_days_from_civil(y, m, d);
				snprintf(holidays[n_holidays].name, sizeof holidays[n_holidays].name, "%.*s",
				         (int)(len - 11), tab + 1);
				n_holidays++;
			}
		}
		p += len;
		if (*p)
			p++;
	}
	if (n_holidays)
		qsort(holidays, n_holidays, sizeof *holidays, holiday_cmp);
}

/* The name of the holiday on a local date, or NULL. */
static const char *holiday_name(int y, int m, int d)
{
	struct holiday key, *h;
	if (!holidays_read)
		read_holidays();
	if (!n_holidays)
		return NULL;
	key.day = md_days_from_civil(y, m, d);
	h = bsearch(&key, holidays, n_holidays, sizeof *holidays, holiday_cmp);
	return h ? h->name : NULL;
}

static const char *weekday_name(int wday)
{
	static const char *const names[] = { N_("Sunday"), N_("Monday"), N_("Tuesday"), N_("Wednesday"),
	                                     N_("Thursday"), N_("Friday"), N_("Saturday") };
	return _(names[wday % 7]);
}

static char *offhours_text(struct md_ctx *ctx, sqlite3_stmt *s, int *error, struct md_error *err)
{
	int start, end, minute;
	unsigned days;
	struct tm tm;
	time_t t;

	(void)error;
	(void)err;
	if (iso_to_time(md_col_text(s, 1), &t) != 0)
		return xasprintf(_("the time of this entry is not readable: \"%s\""), md_col_text(s, 1));
	/* Validated when the settings were loaded; the defaults otherwise. */
	if (md_settings_office_hours(ctx->cfg.audit_office_hours, &start, &end) != 0) {
		start = 8 * 60 + 30;
		end = 17 * 60 + 15;
	}
	if (md_settings_office_days(ctx->cfg.audit_office_days, &days) != 0)
		days = 0x3e;
	localtime_r(&t, &tm);
	minute = tm.tm_hour * 60 + tm.tm_min;
	if (!(days & (1u << tm.tm_wday)))
		return xasprintf(_("on %s, a day the office is closed (office days: %s)"),
		                 weekday_name(tm.tm_wday), ctx->cfg.audit_office_days);
	{
		const char *h = holiday_name(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		if (h)
			return xasprintf(_("on %s, a holiday the office is closed (%s)"),
			                 weekday_name(tm.tm_wday), h);
	}
	/* The working day runs from its start up to, not including, its end. */
	if (minute < start || minute >= end)
		return xasprintf(_("at %02d:%02d, outside office hours %s"), tm.tm_hour, tm.tm_min,
		                 ctx->cfg.audit_office_hours);
	return NULL;
}

/* The finding names what was done: the check covers every function. */
static char *keep_offhours(struct md_ctx *ctx, sqlite3_stmt *s, int *error, struct md_error *err)
{
	char *why = offhours_text(ctx, s, error, err), *text;
	if (!why)
		return NULL;
	text = xasprintf("%s %s", md_col_text(s, 4), why);
	free(why);
	return text;
}

static char *keep_mynumber(struct md_ctx *ctx, sqlite3_stmt *s, int *error, struct md_error *err)
{
	(void)ctx;
	(void)error;
	(void)err;
	if (strcmp(md_col_text(s, 6), "ok") == 0)
		return xstrdup(_("My Number shown"));
	return xasprintf(_("My Number reveal attempted (%s)"), md_col_text(s, 6));
}

static char *keep_logins(struct md_ctx *ctx, sqlite3_stmt *s, int *error, struct md_error *err)
{
	const char *fn = md_col_text(s, 4), *who = md_col_text(s, 5), *why = md_col_text(s, 7);
	(void)ctx;
	(void)error;
	(void)err;
	if (strcmp(fn, "account.lockout") == 0)
		return xasprintf(_("account %s locked: %s"), who, why);
	if (strcmp(fn, "unlock") == 0)
		return xasprintf(_("failed unlock of the screen by %s: %s"), who, why);
	return xasprintf(_("failed login as %s: %s"), who, why);
}

/* A lookup with no transaction on that person by that user within the
 * follow-up hours after it (or a counter reception within those hours
 * before or after: the lookup served it). */
static char *keep_nofollowup(struct md_ctx *ctx, sqlite3_stmt *s, int *error, struct md_error *err)
{
	static const char sql[] =
		"SELECT 1 FROM audit_log WHERE subject = ?1 AND ts >= ?2 AND ts <= ?3 AND user_id = ?4 "
		"AND outcome = 'ok' AND (function GLOB 'counter.*' OR (ts >= ?5 AND function IN ("
		TRANSACTIONS "))) LIMIT 1";
	long window = (long)ctx->cfg.audit_followup_hours * 3600;
	char before[24], after[24], now[24];
	const char *ts = md_col_text(s, 1);
	sqlite3_stmt *f;
	int rc;

	md_time_iso(md_time_now(), now, sizeof now);
	iso_shift(ts, window, after);
	if (strcmp(after, now) > 0)
		return NULL;    /* too early to tell */
	iso_shift(ts, -window, before);
	f = md_store_stmt(ctx->store, sql, err);
	if (!f) {
		*error = 1;
		return NULL;
	}
	md_bind_text(f, 1, md_col_text(s, 5));
	md_bind_text(f, 2, before);
	md_bind_text(f, 3, after);
	md_bind_text(f, 4, md_col_text(s, 2));
	md_bind_text(f, 5, ts);
	rc = sqlite3_step(f);
	sqlite3_reset(f);
	if (rc == SQLITE_ROW)
		return NULL;
	if (rc != SQLITE_DONE) {
		md_store_fail(ctx->store, err, _("reading the audit log"));
		*error = 1;
		return NULL;
	}
	return xasprintf(_("no change, certificate or counter transaction on this person by this user within %d hours"),
	                 ctx->cfg.audit_followup_hours);
}

static int run_stream(struct sink *k, enum md_audit_check c, struct md_error *err)
{
	static const char offhours_sql[] =
		"SELECT id, ts, user_id, terminal, function, subject, outcome, detail FROM audit_log "
		"WHERE ts >= ?1 AND ts < ?2 ORDER BY ts DESC, id DESC";
	static const char offhours_user_sql[] =
		"SELECT id, ts, user_id, terminal, function, subject, outcome, detail FROM audit_log "
		"WHERE user_id = ?3 AND ts >= ?1 AND ts < ?2 ORDER BY ts DESC, id DESC";
	static const char mynumber_sql[] =
		"SELECT id, ts, user_id, terminal, function, subject, outcome, detail FROM audit_log "
		"WHERE function = 'mynumber.reveal' AND ts >= ?1 AND ts < ?2 ORDER BY ts DESC, id DESC";
	static const char logins_sql[] =
		"SELECT id, ts, user_id, terminal, function, subject, outcome, detail FROM audit_log "
		"WHERE function IN ('login', 'unlock', 'account.lockout') AND ts >= ?1 AND ts < ?2 "
		"AND (outcome = 'failed' OR function = 'account.lockout') ORDER BY ts DESC, id DESC";
	static const char nofollowup_sql[] =
		"SELECT id, ts, user_id, terminal, function, subject, outcome, detail FROM audit_log "
		"WHERE function IN (" VIEWS ", 'resident.search') AND ts >= ?1 AND ts < ?2 "
		"AND subject IS NOT NULL AND +outcome = 'ok' ORDER BY ts DESC, id DESC";
	const char *sql;
	keep_fn keep;
	sqlite3_stmt *s;

	switch (c) {
	case MD_CHECK_OFFHOURS:
		sql = given(k->q->user) ? offhours_user_sql : offhours_sql;
		keep = keep_offhours;
		break;
	case MD_CHECK_MYNUMBER:
		sql = mynumber_sql;
		keep = keep_mynumber;
		break;
	case MD_CHECK_LOGINS:
		sql = logins_sql;
		keep = keep_logins;
		break;
	default:
		sql = nofollowup_sql;
		keep = keep_nofollowup;
		break;
	}
	s = md_store_stmt(k->ctx->store, sql, err);
	if (!s)
		return MD_E_DB;
	md_bind_text(s, 1, bound_from(k->q));
	md_bind_text(s, 2, bound_to(k->q));
	if (sql == offhours_user_sql)
		md_bind_text(s, 3, k->q->user);
	return stream(k, s, keep, err);
}

/* ---- checks that collect, then sort --------------------------------------------- */

struct findings {
	struct finding *f;
	size_t n, cap;
};

static void findings_add(struct findings *fs, long long id, const char *ts, const char *user,
                         const char *terminal, const char *function, const char *subject, char *text)
{
	struct finding *f;
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 16;
		fs->f = xrealloc(fs->f, fs->cap * sizeof *fs->f);
	}
	f = &fs->f[fs->n++];
	f->id = id;
	f->ts = xstrdup(ts);
	f->user = xstrdup(user);
	f->terminal = xstrdup(terminal);
	f->function = xstrdup(function);
	f->subject = xstrdup(subject);
	f->text = text;
}

static int newest_first(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	int c = strcmp(y->ts, x->ts);
	if (c)
		return c;
	return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
}

static int findings_flush(struct sink *k, struct findings *fs, struct md_error *err)
{
	int rc = MD_OK;
	if (fs->n)
		qsort(fs->f, fs->n, sizeof *fs->f, newest_first);
	for (size_t i = 0; i < fs->n; i++) {
		if (rc == MD_OK && (!given(k->q->subject) || strcmp(fs->f[i].subject, k->q->subject) == 0))
			rc = sink_add(k, fs->f[i].id, fs->f[i].ts, fs->f[i].user, fs->f[i].terminal,
			              fs->f[i].function, fs->f[i].subject, fs->f[i].text, err);
		finding_free(&fs->f[i]);
	}
	free(fs->f);
	fs->f = NULL;
	fs->n = fs->cap = 0;
	return rc;
}

static void findings_free(struct findings *fs);

/* Every lookup of a person while one of their support measures was in
 * force (from its setting until it ended). */
static int check_protected(struct sink *k, struct md_error *err)
{
	static const char measures_sql[] =
		"SELECT id, person_id, set_at, ended_at FROM support_measures ORDER BY id";
	static const char views_sql[] =
		"SELECT id, ts, user_id, terminal, function, subject, outcome FROM audit_log "
		"WHERE subject = ?1 AND ts >= ?2 AND ts < ?3 AND function IN (" VIEWS ", 'resident.search')";
	struct findings fs = { 0 };
	sqlite3_stmt *m, *v;
	int rc;

	m = md_store_stmt(k->ctx->store, measures_sql, err);
	if (!m)
		return MD_E_DB;
	while ((rc = sqlite3_step(m)) == SQLITE_ROW) {
		long long measure = sqlite3_column_int64(m, 0);
		char person[24];
		const char *from = bound_from(k->q), *to = bound_to(k->q);
		const char *set_at = md_col_text(m, 2), *ended_at = md_col_text(m, 3);
		int vrc;

		snprintf(person, sizeof person, "%lld", (long long)sqlite3_column_int64(m, 1));
		if (strcmp(set_at, from) > 0)
			from = set_at;
		if (*ended_at && strcmp(ended_at, to) < 0)
			to = ended_at;
		if (strcmp(from, to) >= 0)
			continue;
		v = md_store_stmt(k->ctx->store, views_sql, err);
		if (!v) {
			sqlite3_reset(m);
			findings_free(&fs);
			return MD_E_DB;
		}
		md_bind_text(v, 1, person);
		md_bind_text(v, 2, from);
		md_bind_text(v, 3, to);
		while ((vrc = sqlite3_step(v)) == SQLITE_ROW) {
			const char *user = md_col_text(v, 2);
			const char *outcome = md_col_text(v, 6);
			char *text;
			if (given(k->q->user) && strcmp(user, k->q->user) != 0)
				continue;
			if (strcmp(outcome, "ok") == 0)
				text = xasprintf(_("looked at while under 支援措置 (measure %lld)"), measure);
			else
				text = xasprintf(_("lookup attempted while under 支援措置 (measure %lld): %s"), measure,
				                 outcome);
			findings_add(&fs, sqlite3_column_int64(v, 0), md_col_text(v, 1), user, md_col_text(v, 3),
			             md_col_text(v, 4), md_col_text(v, 5), text);
		}
		sqlite3_reset(v);
		if (vrc != SQLITE_DONE) {
			sqlite3_reset(m);
			findings_free(&fs);
			return md_store_fail(k->ctx->store, err, _("reading the audit log"));
		}
	}
	sqlite3_reset(m);
	if (rc != SQLITE_DONE) {
		findings_free(&fs);
		return md_store_fail(k->ctx->store, err, _("reading the support measures"));
	}
	return findings_flush(k, &fs, err);
}

/* One user's lookups on one local day. */
struct userday {
	char *user;
	long day;            /* days since 1970-01-01 */
	char date[11];
	long count;
	long long first_id;
	long others;         /* other users with lookups that day */
	long others_sum;     /* and their lookups */
};

static int by_user_day(const void *a, const void *b)
{
	const struct userday *x = a, *y = b;
	int c = strcmp(x->user, y->user);
	return c ? c : (x->day > y->day) - (x->day < y->day);
}

static int by_day(const void *a, const void *b)
{
	const struct userday *x = a, *y = b;
	return (x->day > y->day) - (x->day < y->day);
}

static long day_number(const char *date)
{
	int y, m, d;
	if (md_date_parse_iso(date, &y, &m, &d) != 0)
		return 0;
	return md_days_from_civil(y, m, d);
}

static void findings_free(struct findings *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		finding_free(&fs->f[i]);
	free(fs->f);
	fs->f = NULL;
	fs->n = fs->cap = 0;
}

/* Words and records the finding of ud[i] when it is one. */
static int volume_finding(struct sink *k, const struct userday *ud, size_t i, struct findings *fs,
                          struct md_error *err)
{
	static const char entry_sql[] = "SELECT ts, terminal, function, subject FROM audit_log WHERE id = ?1";
	const struct md_settings *cfg = &k->ctx->cfg;
	const struct userday *u = &ud[i];
	long window = cfg->audit_lookup_window_days, own_days = 0, own_sum = 0;
	double own_avg = 0, peer_avg = 0;
	int over_own, over_peers;
	char own_txt[32], peer_txt[32];
	sqlite3_stmt *e;

	/* The user's own days before this one, within the window: the rows
	 * just before it (sorted by user, then day). */
	for (size_t j = i; j-- > 0;) {
		if (strcmp(ud[j].user, u->user) != 0 || ud[j].day < u->day - window)
			break;
		own_days++;
		own_sum += ud[j].count;
	}
	if (own_days)
		own_avg = (double)own_sum / (double)own_days;
	if (u->others)
		peer_avg = (double)u->others_sum / (double)u->others;
	over_own = own_days > 0 && (double)u->count > own_avg * cfg->audit_lookup_own_factor;
	over_peers = u->others > 0 && (double)u->count > peer_avg * cfg->audit_lookup_peer_factor;
	if (!over_own && !over_peers)
		return MD_OK;
	snprintf(own_txt, sizeof own_txt, "%.1f", own_avg);
	snprintf(peer_txt, sizeof peer_txt, "%.1f", peer_avg);
	if (!own_days)
		snprintf(own_txt, sizeof own_txt, "-");
	if (!u->others)
		snprintf(peer_txt, sizeof peer_txt, "-");
	e = md_store_stmt(k->ctx->store, entry_sql, err);
	if (!e)
		return MD_E_DB;
	sqlite3_bind_int64(e, 1, u->first_id);
	if (sqlite3_step(e) == SQLITE_ROW)
		findings_add(fs, u->first_id, md_col_text(e, 0), u->user, md_col_text(e, 1), md_col_text(e, 2),
		             md_col_text(e, 3),
		             xasprintf(_("%ld lookups on %s: above %s (own usual a day: %s; other users that day: %s)"),
		                       u->count, u->date,
		                       over_own && over_peers ? _("their usual and their peers'")
		                       : over_own ? _("their usual") : _("their peers'"),
		                       own_txt, peer_txt));
	sqlite3_reset(e);
	return MD_OK;
}

/* A user's lookups in a day are reported when there are at least
 * lookup_min of them and they exceed own_factor times the user's own
 * average over their days with lookups in the window before, or
 * peer_factor times the average of the other users with lookups that day.
 * A comparison with nothing to compare against (no history, nobody else
 * looked anything up) does not apply. The finding's entry is the day's
 * first lookup. */
static int check_volume(struct sink *k, struct md_error *err)
{
	static const char sql[] =
		"SELECT user_id, date(ts, 'localtime') AS day, count(*), min(id) FROM audit_log "
		"WHERE function IN (" LOOKUPS ") AND ts >= ?1 AND ts < ?2 GROUP BY user_id, day";
	const struct md_settings *cfg = &k->ctx->cfg;
	char hist_from[24], from_date[11] = "0000-00-00";
	struct userday *ud = NULL;
	size_t n = 0, cap = 0;
	struct findings fs = { 0 };
	sqlite3_stmt *s;
	int rc;

	if (k->q->from[0]) {
		time_t t;
		struct tm tm;
		iso_shift(k->q->from, -(long)cfg->audit_lookup_window_days * 86400, hist_from);
		if (iso_to_time(k->q->from, &t) == 0) {
			localtime_r(&t, &tm);
			strftime(from_date, sizeof from_date, "%Y-%m-%d", &tm);
		}
	} else {
		snprintf(hist_from, sizeof hist_from, "%s", open_from);
	}
	s = md_store_stmt(k->ctx->store, sql, err);
	if (!s)
		return MD_E_DB;
	md_bind_text(s, 1, hist_from);
	md_bind_text(s, 2, bound_to(k->q));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			ud = xrealloc(ud, cap * sizeof *ud);
		}
		memset(&ud[n], 0, sizeof ud[n]);
		ud[n].user = xstrdup(md_col_text(s, 0));
		snprintf(ud[n].date, sizeof ud[n].date, "%s", md_col_text(s, 1));
		ud[n].day = day_number(ud[n].date);
		ud[n].count = sqlite3_column_int(s, 2);
		ud[n].first_id = sqlite3_column_int64(s, 3);
		n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		rc = md_store_fail(k->ctx->store, err, _("reading the audit log"));
		goto out;
	}
	rc = MD_OK;
	/* The other users of each day. */
	if (n)
		qsort(ud, n, sizeof *ud, by_day);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		long users = 0, sum = 0;
		while (j < n && ud[j].day == ud[i].day) {
			users++;
			sum += ud[j].count;
			j++;
		}
		for (size_t x = i; x < j; x++) {
			ud[x].others = users - 1;
			ud[x].others_sum = sum - ud[x].count;
		}
		i = j;
	}
	if (n)
		qsort(ud, n, sizeof *ud, by_user_day);
	for (size_t i = 0; i < n && rc == MD_OK; i++) {
		if (strcmp(ud[i].date, from_date) < 0 || ud[i].count < cfg->audit_lookup_min)
			continue;
		if (given(k->q->user) && strcmp(ud[i].user, k->q->user) != 0)
			continue;
		rc = volume_finding(k, ud, i, &fs, err);
	}
	if (rc == MD_OK)
		rc = findings_flush(k, &fs, err);
	else
		findings_free(&fs);
out:
	for (size_t i = 0; i < n; i++)
		free(ud[i].user);
	free(ud);
	return rc;
}

int md_audit_check(struct md_ctx *ctx, enum md_audit_check c, const struct md_audit_query *q,
                   struct md_table *t, long *total, struct md_error *err)
{
	struct sink k = { ctx, q, t, 0 };
	int rc;

	*total = 0;
	if (c < 0 || c >= MD_CHECK_COUNT)
		return md_error_set(err, MD_E_INVALID, "kind", _("unknown check"));
	if ((rc = validate(q, err)) != MD_OK)
		return rc;
	findings_table(t);
	switch (c) {
	case MD_CHECK_VOLUME:
		rc = check_volume(&k, err);
		break;
	case MD_CHECK_PROTECTED:
		rc = check_protected(&k, err);
		break;
	default:
		rc = run_stream(&k, c, err);
		break;
	}
	if (rc != MD_OK) {
		md_table_release(t);
		return rc;
	}
	*total = k.total;
	return MD_OK;
}

/* ---- marking reviewed ------------------------------------------------------ */

int md_audit_review(struct md_ctx *ctx, long long entry, const char *comment, struct md_error *err)
{
	static const char entry_sql[] = "SELECT user_id FROM audit_log WHERE id = ?1";
	static const char ins_sql[] =
		"INSERT INTO audit_reviews (entry_id, reviewed_by, reviewed_at, comment) VALUES (?1, ?2, ?3, ?4)";
	struct md_audit_rec rec = { NULL, "audit", NULL, "review", "ok", NULL, 0 };
	struct review r;
	char now[24], *text, *detail;
	const char *me = ctx->session ? ctx->session->user : "-";
	sqlite3_stmt *s;
	size_t len;
	int rc;

	md_error_clear(err);
	if (entry <= 0)
		return md_error_set(err, MD_E_INVALID, "entry", _("entry must be the number of an audit log entry"));
	while (comment && (*comment == ' ' || *comment == '\t'))
		comment++;
	len = comment ? strlen(comment) : 0;
	while (len && (comment[len - 1] == ' ' || comment[len - 1] == '\t' || comment[len - 1] == '\n'))
		len--;
	if (!len)
		return md_error_set(err, MD_E_INVALID, "comment",
		                    _("comment is missing: say what was found out about this entry"));
	if (len > 1000)
		return md_error_set(err, MD_E_INVALID, "comment", _("comment is too long (at most 1000 bytes)"));
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)comment[i] < 0x20)
			return md_error_set(err, MD_E_INVALID, "comment", _("comment must be one line of text"));
	text = xasprintf("%.*s", (int)len, comment);

	if ((rc = md_store_begin(ctx->store, err)) != MD_OK) {
		free(text);
		return rc;
	}
	s = md_store_stmt(ctx->store, entry_sql, err);
	if (!s)
		goto fail;
	sqlite3_bind_int64(s, 1, entry);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		md_error_set(err, MD_E_NOTFOUND, "entry", _("there is no audit log entry %lld"), entry);
		goto fail;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		md_store_fail(ctx->store, err, _("reading the audit log"));
		goto fail;
	}
	if (strcmp(md_col_text(s, 0), me) == 0) {
		sqlite3_reset(s);
		md_error_set(err, MD_E_DENIED, "entry",
		             _("entry %lld is an action of your own: another reviewer must review it"), entry);
		goto fail;
	}
	sqlite3_reset(s);
	if (review_of(ctx, entry, &r, err) != MD_OK)
		goto fail;
	if (r.found) {
		md_error_set(err, MD_E_CONFLICT, "entry", _("entry %lld was already reviewed by %s at %s: %s"),
		             entry, r.by, r.at, r.comment);
		goto fail;
	}
	s = md_store_stmt(ctx->store, ins_sql, err);
	if (!s)
		goto fail;
	md_time_iso(md_time_now(), now, sizeof now);
	sqlite3_bind_int64(s, 1, entry);
	md_bind_text(s, 2, me);
	md_bind_text(s, 3, now);
	md_bind_text(s, 4, text);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		md_store_fail(ctx->store, err, _("recording the review"));
		goto fail;
	}
	detail = xasprintf("entry=%lld", entry);
	rec.detail = detail;
	rc = md_audit(ctx, &rec, err);
	free(detail);
	if (rc != MD_OK)
		goto fail;
	free(text);
	return md_store_commit(ctx->store, err);
fail:
	free(text);
	md_store_rollback(ctx->store);
	return err->code ? err->code : MD_E_DB;
}
