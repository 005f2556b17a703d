/* stress.c: the concurrency and crash driver behind `make check-stress`
 * (tests/stress/run.sh runs it; see doc/HACKING.md and doc/robustness.md).
 *
 *   stress run DB PROCS SECONDS
 *       PROCS processes, each a counter terminal of its own (terminal
 *       "stressNN") with a clerk (clerk1) and a supervisor (supervisor1)
 *       logged in, for SECONDS seconds: 転入 intake, approval of its own
 *       changes, lookups (kana search, record view) and certificate issuance
 *       (counter open -> verify -> subject -> cert issue -> close), all
 *       through md_cmd_exec() as the screens do. Any failed command is an
 *       error that would have reached a user. Afterwards every process's
 *       counts and ids are reconciled with the database and its audit log.
 *
 *   stress kill DB KILLS SEED
 *       KILLS times: a child process imports a CSV file (admin1) or makes
 *       and approves 転入 in a loop (clerk1, supervisor1), and is killed with
 *       SIGKILL at a random moment; then the database is opened afresh and
 *       checked (check_consistency below: integrity, audit chain, no
 *       half-applied change, imports all-or-nothing, indexes present).
 *
 * The driver reads the database directly only to choose its subjects and to
 * check the results; every action goes through the core's command table. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cmd.h"
#include "ctx.h"
#include "error.h"
#include "result.h"
#include "settings.h"
#include "store.h"

#define PW "demo"
#define MAX_IDS 20000

static double now_s(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

/* A small xorshift generator, seeded per process, so a run can be repeated. */
static unsigned long long rng_state = 88172645463325252ULL;
static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return n ? (unsigned)(rng_state % n) : 0;
}

/* ---- one process's view -------------------------------------------------- */

struct worker {
	int index;
	FILE *log;                 /* report: counts and ids, one per line */
	long errors, busy_errors;
	long saved, approved, searches, views, transactions, certificates;
	long long pending[MAX_IDS];
	int npending;
	double slowest;            /* seconds, slowest single command */
	char slowest_cmd[64];
	long hist[9];              /* commands by duration, HIST_LIMITS */
};

/* Upper bounds of the duration buckets, in seconds (the last is open). */
static const double hist_limits[9] = { 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 1e9 };
static const char *const hist_names[9] = { "10ms", "50ms", "100ms", "250ms", "500ms", "1s", "2s",
	                                   "5s", ">5s" };

struct subject {
	long long id;
	char name[128];            /* "surname given" */
	char kana[128];            /* surname kana */
};

static struct subject *subjects;
static int nsubjects;

static int exec_cmd(struct worker *w, struct md_ctx *c, const char *cmd, const struct md_args *a,
                    struct md_result *res)
{
	struct md_error err;
	double t0 = now_s(), dt;
	int rc;

	memset(&err, 0, sizeof err);
	rc = md_cmd_exec(c, cmd, a, res, &err);
	dt = now_s() - t0;
	for (int b = 0; w && b < 9; b++)
		if (dt < hist_limits[b] || b == 8) {
			w->hist[b]++;
			break;
		}
	if (w && dt > w->slowest) {
		w->slowest = dt;
		snprintf(w->slowest_cmd, sizeof w->slowest_cmd, "%s", cmd);
	}
	if (rc != MD_OK && w) {
		w->errors++;
		if (rc == MD_E_DB && (strstr(err.msg, "locked") || strstr(err.msg, "busy")))
			w->busy_errors++;
		fprintf(w->log, "error %s rc=%d field=%s: %s\n", cmd, rc, err.field, err.msg);
		for (int i = 0; i < res->table.nrows && res->table.ncols == 4; i++)
			fprintf(w->log, "error   %s | %s | %s\n", res->table.rows[i][1],
			        res->table.rows[i][2], res->table.rows[i][3]);
		fflush(w->log);
	}
	return rc;
}

static struct md_ctx *open_as(const char *db, const char *terminal, const char *user, FILE *log)
{
	struct md_settings cfg;
	struct md_ctx *c = NULL;
	struct md_error err;
	struct md_args a;
	struct md_result res;
	int rc;

	md_settings_defaults(&cfg);
	if (terminal)
		snprintf(cfg.terminal_id, sizeof cfg.terminal_id, "%s", terminal);
	if ((rc = md_ctx_open(&c, &cfg, db, NULL, MD_DB_TRAINING, &err)) != MD_OK) {
		fprintf(log, "error open %s: %d %s\n", db, rc, err.msg);
		return NULL;
	}
	md_args_init(&a);
	md_args_set(&a, "user", user);
	md_args_set(&a, "password", PW);
	md_result_init(&res);
	rc = md_cmd_exec(c, "login", &a, &res, &err);
	md_result_release(&res);
	if (rc != MD_OK) {
		fprintf(log, "error login %s: %d %s\n", user, rc, err.msg);
		md_ctx_free(&c);
		return NULL;
	}
	return c;
}

/* The number after `word ` in s (e.g. "provisional change 12 saved"). */
static long long number_after(const char *s, const char *word)
{
	const char *p = s ? strstr(s, word) : NULL;
	return p ? atoll(p + strlen(word)) : 0;
}

static const char *const surnames[][2] = {
	{ "渋谷", "しぶや" }, { "高橋", "たかはし" }, { "佐藤", "さとう" }, { "伊藤", "いとう" },
	{ "山本", "やまもと" }, { "中村", "なかむら" }, { "小林", "こばやし" }, { "加藤", "かとう" },
};
static const char *const givens[][2] = {
	{ "翔", "しょう" }, { "誠", "まこと" }, { "健", "けん" }, { "学", "まなぶ" },
};

/* A 転入 of one or two persons by the clerk. */
static void do_intake(struct worker *w, struct md_ctx *clerk)
{
	struct md_args a;
	struct md_result res;
	char birth[40], birth2[40], hitto[64];
	int s = (int)rnd(8), g = (int)rnd(4), two = (int)rnd(2);

	snprintf(birth, sizeof birth, "%d-%02d-%02d", 1950 + (int)rnd(50), 1 + (int)rnd(12), 1 + (int)rnd(28));
	snprintf(birth2, sizeof birth2, "%d-%02d-%02d", 1950 + (int)rnd(50), 1 + (int)rnd(12), 1 + (int)rnd(28));
	snprintf(hitto, sizeof hitto, "%s %s", surnames[s][0], givens[g][0]);
	md_args_init(&a);
	md_args_set(&a, "type", "move_in");
	md_args_set(&a, "event_date", "R8.11.18");
	md_args_set(&a, "postal_code", "999-0003");
	md_args_set(&a, "district", "0303");
	md_args_set(&a, "address", "東見本3丁目5番8号");
	md_args_set(&a, "previous_address", "大阪府大阪市北区梅田1-1");
	md_args_set(&a, "p1.resident_type", "日本人");
	md_args_set(&a, "p1.relationship", "世帯主");
	md_args_set(&a, "p1.surname", surnames[s][0]);
	md_args_set(&a, "p1.given_name", givens[g][0]);
	md_args_set(&a, "p1.surname_kana", surnames[s][1]);
	md_args_set(&a, "p1.given_name_kana", givens[g][1]);
	md_args_set(&a, "p1.birth_date", birth);
	md_args_set(&a, "p1.sex", "男");
	md_args_set(&a, "p1.honseki", "東京都見本区東見本3丁目5番");
	md_args_set(&a, "p1.hittosha", hitto);
	if (two) {
		md_args_set(&a, "p2.resident_type", "日本人");
		md_args_set(&a, "p2.relationship", "妻");
		md_args_set(&a, "p2.surname", surnames[s][0]);
		md_args_set(&a, "p2.given_name", "彩");
		md_args_set(&a, "p2.surname_kana", surnames[s][1]);
		md_args_set(&a, "p2.given_name_kana", "あや");
		md_args_set(&a, "p2.birth_date", birth2);
		md_args_set(&a, "p2.sex", "女");
		md_args_set(&a, "p2.honseki", "東京都見本区東見本3丁目5番");
		md_args_set(&a, "p2.hittosha", hitto);
	}
	md_result_init(&res);
	if (exec_cmd(w, clerk, "change.save", &a, &res) == MD_OK) {
		long long id = number_after(res.message, "provisional change ");
		if (id <= 0) {
			w->errors++;
			fprintf(w->log, "error change.save said \"%s\"\n", res.message ? res.message : "");
		} else {
			w->saved++;
			fprintf(w->log, "saved %lld %d\n", id, two ? 2 : 1);
			if (w->npending < MAX_IDS)
				w->pending[w->npending++] = id;
		}
	}
	md_result_release(&res);
}

static void do_approve(struct worker *w, struct md_ctx *sup)
{
	struct md_args a;
	struct md_result res;
	char id[32];

	if (!w->npending)
		return;
	snprintf(id, sizeof id, "%lld", w->pending[0]);
	md_args_init(&a);
	md_args_set(&a, "id", id);
	md_result_init(&res);
	if (exec_cmd(w, sup, "change.approve", &a, &res) == MD_OK) {
		w->approved++;
		fprintf(w->log, "approved %s\n", id);
	}
	/* Done or failed (and reported): either way not tried again. */
	memmove(w->pending, w->pending + 1, (size_t)(--w->npending) * sizeof w->pending[0]);
	md_result_release(&res);
}

static void do_lookup(struct worker *w, struct md_ctx *clerk)
{
	const struct subject *s = &subjects[rnd((unsigned)nsubjects)];
	struct md_args a;
	struct md_result res;
	char id[32];
	int found = 0;

	md_args_init(&a);
	md_args_set(&a, "name", s->kana);
	md_result_init(&res);
	if (exec_cmd(w, clerk, "resident.search", &a, &res) == MD_OK) {
		w->searches++;
		found = res.table.nrows > 0;
		if (!found) {
			w->errors++;
			fprintf(w->log, "error resident.search %s found nobody\n", s->kana);
		}
	}
	md_result_release(&res);
	if (!found)
		return;
	snprintf(id, sizeof id, "%lld", s->id);
	md_args_init(&a);
	md_args_set(&a, "id", id);
	md_result_init(&res);
	if (exec_cmd(w, clerk, "resident.view", &a, &res) == MD_OK)
		w->views++;
	md_result_release(&res);
}

/* counter open -> verify -> subject -> cert issue -> close. */
static void do_issue(struct worker *w, struct md_ctx *clerk)
{
	const struct subject *s = &subjects[rnd((unsigned)nsubjects)];
	struct md_args a;
	struct md_result res;
	char tx[32], person[32];
	long long t;

	md_args_init(&a);
	md_args_set(&a, "request", "certificate");
	md_result_init(&res);
	if (exec_cmd(w, clerk, "counter.open", &a, &res) != MD_OK) {
		md_result_release(&res);
		return;
	}
	t = res.table.nrows ? atoll(res.table.rows[0][0]) : 0;
	md_result_release(&res);
	if (t <= 0) {
		w->errors++;
		fprintf(w->log, "error counter.open gave no transaction number\n");
		return;
	}
	snprintf(tx, sizeof tx, "%lld", t);
	snprintf(person, sizeof person, "%lld", s->id);

	md_args_init(&a);
	md_args_set(&a, "transaction", tx);
	md_args_set(&a, "category", "self");
	md_args_set(&a, "applicant_name", s->name);
	md_args_set(&a, "documents", "driver_license");
	md_args_set(&a, "photo_matched", "1");
	md_result_init(&res);
	if (exec_cmd(w, clerk, "counter.verify", &a, &res) != MD_OK)
		goto out;
	md_result_release(&res);

	md_args_init(&a);
	md_args_set(&a, "transaction", tx);
	md_args_set(&a, "person", person);
	md_args_set(&a, "applicant_person", person);
	md_result_init(&res);
	if (exec_cmd(w, clerk, "counter.subject", &a, &res) != MD_OK)
		goto out;
	md_result_release(&res);

	md_args_init(&a);
	md_args_set(&a, "transaction", tx);
	md_args_set(&a, "type", "juminhyo");
	md_args_set(&a, "members", "all");
	md_result_init(&res);
	if (exec_cmd(w, clerk, "cert.issue", &a, &res) != MD_OK)
		goto out;
	for (int r = 0; r < res.table.nrows; r++) {
		w->certificates++;
		fprintf(w->log, "cert %s %s\n", res.table.rows[r][0], tx);
	}
	md_result_release(&res);

	md_args_init(&a);
	md_args_set(&a, "transaction", tx);
	md_result_init(&res);
	if (exec_cmd(w, clerk, "counter.close", &a, &res) == MD_OK) {
		w->transactions++;
		fprintf(w->log, "closed %s\n", tx);
	}
out:
	md_result_release(&res);
}

static int worker_main(const char *db, int index, double seconds, const char *logpath)
{
	struct worker w;
	struct md_ctx *clerk, *sup;
	char terminal[32];
	double end;

	memset(&w, 0, sizeof w);
	w.index = index;
	if (!(w.log = fopen(logpath, "w")))
		return 2;
	rng_state ^= (unsigned long long)(index + 1) * 0x9E3779B97F4A7C15ULL;
	for (int i = 0; i < 16; i++)
		rnd(1);
	snprintf(terminal, sizeof terminal, "stress%02d", index);
	clerk = open_as(db, terminal, "clerk1", w.log);
	sup = clerk ? open_as(db, terminal, "supervisor1", w.log) : NULL;
	if (!clerk || !sup) {
		fclose(w.log);
		return 1;
	}
	end = now_s() + seconds;
	while (now_s() < end) {
		unsigned r = rnd(10);
		if (r < 3)
			do_intake(&w, clerk);
		else if (r < 5)
			do_approve(&w, sup);
		else if (r < 8)
			do_lookup(&w, clerk);
		else
			do_issue(&w, clerk);
	}
	/* Whatever is still waiting is approved before leaving, so that every
	 * saved change has an outcome to reconcile. */
	while (w.npending)
		do_approve(&w, sup);
	fprintf(w.log, "count errors %ld\ncount busy %ld\ncount saved %ld\ncount approved %ld\n"
	        "count searches %ld\ncount views %ld\ncount transactions %ld\ncount certificates %ld\n"
	        "slowest %.3f %s\n",
	        w.errors, w.busy_errors, w.saved, w.approved, w.searches, w.views, w.transactions,
	        w.certificates, w.slowest, w.slowest_cmd);
	fprintf(w.log, "hist");
	for (int b = 0; b < 9; b++)
		fprintf(w.log, " %ld", w.hist[b]);
	fprintf(w.log, "\n");
	fclose(w.log);
	md_ctx_free(&sup);
	md_ctx_free(&clerk);
	return w.errors ? 1 : 0;
}

/* ---- checking ------------------------------------------------------------ */

static int failures;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("stress: FAIL: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failures++;
}

static long long q_int(sqlite3 *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static long long q_int(sqlite3 *db, const char *fmt, ...)
{
	char sql[2048];
	sqlite3_stmt *s = NULL;
	long long v = -1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		fail("%s: %s", sql, sqlite3_errmsg(db));
		return -1;
	}
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void q_text(sqlite3 *db, char *buf, size_t n, const char *sql)
{
	sqlite3_stmt *s = NULL;
	buf[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		fail("%s: %s", sql, sqlite3_errmsg(db));
		return;
	}
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(buf, n, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
}

static sqlite3 *open_raw(const char *path)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fail("open %s: %s", path, db ? sqlite3_errmsg(db) : "?");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000);
	return db;
}

/* The audit chain through the core's own command, as `madoguchi audit
 * verify` runs it (admin1 holds audit.verify). */
static void check_audit_chain(const char *path, const char *when)
{
	struct md_ctx *c;
	struct md_args a;
	struct md_result res;
	struct md_error err;
	int rc;

	if (!(c = open_as(path, NULL, "admin1", stderr))) {
		fail("%s: cannot open the database as admin1", when);
		return;
	}
	md_args_init(&a);
	md_result_init(&res);
	rc = md_cmd_exec(c, "audit.verify", &a, &res, &err);
	if (rc != MD_OK)
		fail("%s: audit verify: %s", when, err.msg);
	else if (!res.message || !strstr(res.message, "intact"))
		fail("%s: audit verify said \"%s\"", when, res.message ? res.message : "");
	md_result_release(&res);
	md_ctx_free(&c);
}

/* The indexes of the schema, as a sorted comma-separated list. */
static void index_list(sqlite3 *db, char *buf, size_t n)
{
	q_text(db, buf, n,
	       "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master "
	       "WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name)");
}

static char expected_indexes[8192];

/* What "no half-applied change" means here, each a query that must count 0:
 *   - a provisional change without its persons (change_persons), an
 *     approved one (imports included) without any version;
 *   - an approved change (転入 and the like) without a version of each of its
 *     persons, or a version whose change is not approved;
 *   - a current record (persons) without its version in person_versions,
 *     without its search keys (name_index, address_index) or its household;
 *   - an approved change without its audit entry, or a rejected/approved one
 *     without who decided it;
 *   - an import change without its imports row (or the reverse), or whose
 *     persons are fewer or more than the imports row counted;
 *   - an index of the schema missing (a large import drops and rebuilds them);
 *   - certificates without their transaction, or an issued copy with no
 *     audit entry. */
static const struct {
	const char *what;
	const char *sql;
} invariants[] = {
	{ "provisional changes without change_persons",
	  "SELECT count(*) FROM changes c WHERE c.status = 'provisional' AND NOT EXISTS "
	  "(SELECT 1 FROM change_persons p WHERE p.change_id = c.id)" },
	/* person_versions has no index on change_id: each of these reads it
	 * once (NOT IN, GROUP BY), never once per change. */
	{ "approved changes without any version",
	  "SELECT count(*) FROM changes c WHERE c.status = 'approved' AND c.id NOT IN "
	  "(SELECT change_id FROM person_versions)" },
	{ "approved changes with fewer versions than persons",
	  "SELECT count(*) FROM changes c "
	  "JOIN (SELECT change_id, count(*) AS n FROM change_persons GROUP BY change_id) p "
	  "ON p.change_id = c.id "
	  "LEFT JOIN (SELECT change_id, count(*) AS n FROM person_versions GROUP BY change_id) v "
	  "ON v.change_id = c.id "
	  "WHERE c.status = 'approved' AND c.type <> 'import' AND coalesce(v.n, 0) < p.n" },
	{ "versions of changes that are not approved",
	  "SELECT count(*) FROM person_versions v JOIN changes c ON c.id = v.change_id "
	  "WHERE c.status <> 'approved'" },
	{ "persons without their current version",
	  "SELECT count(*) FROM persons p WHERE NOT EXISTS (SELECT 1 FROM person_versions v "
	  "WHERE v.person_id = p.id AND v.version = p.version)" },
	{ "persons without name search keys",
	  "SELECT count(*) FROM persons p WHERE NOT EXISTS "
	  "(SELECT 1 FROM name_index n WHERE n.person_id = p.id)" },
	{ "persons without address search keys",
	  "SELECT count(*) FROM persons p WHERE NOT EXISTS "
	  "(SELECT 1 FROM address_index n WHERE n.person_id = p.id)" },
	{ "persons in a household that does not exist",
	  "SELECT count(*) FROM persons p WHERE NOT EXISTS "
	  "(SELECT 1 FROM households h WHERE h.id = p.household_id)" },
	{ "decided changes without who decided",
	  "SELECT count(*) FROM changes WHERE status IN ('approved','rejected') AND "
	  "(decided_by IS NULL OR decided_at IS NULL)" },
	{ "approved changes without an approval audit entry",
	  "SELECT count(*) FROM changes c WHERE c.status = 'approved' AND c.type <> 'import' AND "
	  "c.terminal LIKE 'stress%' AND 'change ' || c.id NOT IN "
	  "(SELECT action FROM audit_log WHERE function = 'change.approve' AND outcome = 'ok')" },
	{ "import changes without their imports row",
	  "SELECT (SELECT count(*) FROM changes WHERE type = 'import') - (SELECT count(*) FROM imports)" },
	{ "imports whose persons are not all there",
	  "SELECT count(*) FROM imports i WHERE i.persons <> (SELECT count(*) FROM person_versions v "
	  "JOIN changes c ON c.id = v.change_id WHERE c.type = 'import' AND c.memo = i.file_name)" },
	{ "issued copies without their transaction",
	  "SELECT count(*) FROM issuances x WHERE NOT EXISTS "
	  "(SELECT 1 FROM counter_transactions t WHERE t.id = x.transaction_id)" },
	{ "issued copies without an issue audit entry",
	  "SELECT (SELECT count(*) FROM issuances) - (SELECT coalesce(sum(n), 0) FROM ("
	  "SELECT count(*) AS n FROM audit_log WHERE function = 'cert.issue' AND outcome = 'ok'))" },
};

static void check_consistency(const char *path, const char *when)
{
	sqlite3 *db = open_raw(path);
	char buf[8192];

	if (!db)
		return;
	q_text(db, buf, sizeof buf, "PRAGMA integrity_check");
	if (strcmp(buf, "ok") != 0)
		fail("%s: integrity_check: %s", when, buf);
	if (q_int(db, "SELECT count(*) FROM pragma_foreign_key_check") != 0)
		fail("%s: foreign_key_check reports rows", when);
	for (size_t i = 0; i < sizeof invariants / sizeof invariants[0]; i++) {
		long long n = q_int(db, "%s", invariants[i].sql);
		if (n != 0)
			fail("%s: %s: %lld", when, invariants[i].what, n);
	}
	index_list(db, buf, sizeof buf);
	if (strcmp(buf, expected_indexes) != 0)
		fail("%s: indexes are \"%s\", expected \"%s\"", when, buf, expected_indexes);
	sqlite3_close(db);
	check_audit_chain(path, when);
}

/* ---- stress run ------------------------------------------------------------ */

static int load_subjects(const char *path)
{
	sqlite3 *db = open_raw(path);
	sqlite3_stmt *s = NULL;
	static const char sql[] =
		"SELECT p.id, p.surname || ' ' || p.given_name, p.surname_kana FROM persons p "
		"WHERE p.status = 'resident' AND p.resident_type = 'japanese' AND p.birth_date < '1990' "
		"AND p.birth_circa = 0 AND p.given_name <> '' "
		/* Nobody of the household under a 抑止 or 支援措置: those are
		 * refused or alerted by design (test_certificate covers them). */
		"AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.household_id = p.household_id "
		"OR x.person_id IN (SELECT id FROM persons q WHERE q.household_id = p.household_id)) "
		"AND NOT EXISTS (SELECT 1 FROM support_measures m WHERE "
		"m.person_id IN (SELECT id FROM persons q WHERE q.household_id = p.household_id)) "
		"ORDER BY p.id LIMIT 500";

	if (!db)
		return -1;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		fail("subjects: %s", sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	subjects = calloc(500, sizeof *subjects);
	while (sqlite3_step(s) == SQLITE_ROW && nsubjects < 500) {
		struct subject *x = &subjects[nsubjects++];
		x->id = sqlite3_column_int64(s, 0);
		snprintf(x->name, sizeof x->name, "%s", (const char *)sqlite3_column_text(s, 1));
		snprintf(x->kana, sizeof x->kana, "%s", (const char *)sqlite3_column_text(s, 2));
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	if (nsubjects < 10) {
		fail("only %d persons to serve in %s: make the training ward larger", nsubjects, path);
		return -1;
	}
	return 0;
}

struct totals {
	long errors, busy, saved, approved, searches, views, transactions, certificates;
	long saved_persons;
	double slowest;
	char slowest_cmd[64];
	long hist[9];
};

/* Reads one worker's report and checks each id it names in the database. */
static void reconcile_worker(sqlite3 *db, const char *logpath, int index, struct totals *t)
{
	FILE *f = fopen(logpath, "r");
	char line[4096], what[64];
	long v, seen_saved = 0, seen_approved = 0, seen_certs = 0, seen_closed = 0;
	long long id, tx;
	int n;

	if (!f) {
		fail("worker %d left no report %s", index, logpath);
		return;
	}
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "error", 5) == 0) {
			fprintf(stderr, "stress: worker %d: %s", index, line);
			continue;
		}
		if (sscanf(line, "saved %lld %d", &id, &n) == 2) {
			seen_saved++;
			t->saved_persons += n;
			if (q_int(db, "SELECT count(*) FROM change_persons WHERE change_id = %lld", id) != n)
				fail("worker %d: change %lld does not hold its %d person(s)", index, id, n);
		} else if (sscanf(line, "approved %lld", &id) == 1) {
			seen_approved++;
			if (q_int(db, "SELECT count(*) FROM changes WHERE id = %lld AND status = 'approved'", id) != 1)
				fail("worker %d: change %lld is not approved in the database", index, id);
			if (q_int(db, "SELECT coalesce((SELECT n FROM temp.versions_by_change WHERE change_id = "
			              "%lld), 0)", id) !=
			    q_int(db, "SELECT count(*) FROM change_persons WHERE change_id = %lld", id))
				fail("worker %d: approved change %lld lacks versions", index, id);
		} else if (sscanf(line, "cert %lld %lld", &id, &tx) == 2) {
			seen_certs++;
			if (q_int(db, "SELECT count(*) FROM issuances WHERE id = %lld AND transaction_id = %lld",
			          id, tx) != 1)
				fail("worker %d: certificate %lld of transaction %lld is not in the database", index,
				     id, tx);
		} else if (sscanf(line, "closed %lld", &tx) == 1) {
			seen_closed++;
			if (q_int(db, "SELECT count(*) FROM counter_transactions WHERE id = %lld AND status = "
			              "'closed'", tx) != 1)
				fail("worker %d: transaction %lld is not closed in the database", index, tx);
		} else if (sscanf(line, "count %63s %ld", what, &v) == 2) {
			/* A count that has ids listed must match their number. */
			const struct {
				const char *name;
				long *total;
				long listed;
			} counts[] = {
				{ "errors", &t->errors, -1 }, { "busy", &t->busy, -1 },
				{ "saved", &t->saved, seen_saved }, { "approved", &t->approved, seen_approved },
				{ "searches", &t->searches, -1 }, { "views", &t->views, -1 },
				{ "transactions", &t->transactions, seen_closed },
				{ "certificates", &t->certificates, seen_certs },
			};
			for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
				if (strcmp(what, counts[c].name) != 0)
					continue;
				*counts[c].total += v;
				if (counts[c].listed >= 0 && counts[c].listed != v)
					fail("worker %d: %s %ld, but %ld listed", index, what, v, counts[c].listed);
			}
		} else if (strncmp(line, "hist ", 5) == 0) {
			long h[9];
			if (sscanf(line, "hist %ld %ld %ld %ld %ld %ld %ld %ld %ld", &h[0], &h[1], &h[2], &h[3],
			           &h[4], &h[5], &h[6], &h[7], &h[8]) == 9)
				for (int b = 0; b < 9; b++)
					t->hist[b] += h[b];
		} else if (strncmp(line, "slowest ", 8) == 0) {
			double sl = 0;
			if (sscanf(line, "slowest %lf %63s", &sl, what) == 2 && sl > t->slowest) {
				t->slowest = sl;
				snprintf(t->slowest_cmd, sizeof t->slowest_cmd, "%s", what);
			}
		}
	}
	fclose(f);
}

struct baseline {
	long long changes_approved, certificates, tx_closed, audit_search, audit_approve, audit_issue;
	long long persons, versions;
};

static void take_baseline(sqlite3 *db, struct baseline *b)
{
	b->changes_approved = q_int(db, "SELECT count(*) FROM changes WHERE status = 'approved'");
	b->certificates = q_int(db, "SELECT count(*) FROM issuances");
	b->tx_closed = q_int(db, "SELECT count(*) FROM counter_transactions WHERE status = 'closed'");
	b->audit_search = q_int(db, "SELECT count(*) FROM audit_log WHERE function = 'resident.search' "
	                            "AND outcome = 'ok'");
	b->audit_approve = q_int(db, "SELECT count(*) FROM audit_log WHERE function = 'change.approve' "
	                             "AND outcome = 'ok'");
	b->audit_issue = q_int(db, "SELECT count(*) FROM audit_log WHERE function = 'cert.issue' "
	                           "AND outcome = 'ok'");
	b->persons = q_int(db, "SELECT count(*) FROM persons");
	b->versions = q_int(db, "SELECT count(*) FROM person_versions");
}

static int cmd_run(const char *path, int procs, double seconds)
{
	struct baseline b0, b1;
	struct totals t;
	sqlite3 *db;
	pid_t *pids;
	char logpath[4096];
	double t0;

	if (load_subjects(path) != 0)
		return 1;
	if (!(db = open_raw(path)))
		return 1;
	take_baseline(db, &b0);
	sqlite3_close(db);

	pids = calloc((size_t)procs, sizeof *pids);
	t0 = now_s();
	for (int i = 0; i < procs; i++) {
		snprintf(logpath, sizeof logpath, "%s.worker%02d.log", path, i);
		fflush(NULL);
		if ((pids[i] = fork()) == 0)
			_exit(worker_main(path, i, seconds, logpath));
		if (pids[i] < 0) {
			fail("fork: %s", strerror(errno));
			return 1;
		}
	}
	for (int i = 0; i < procs; i++) {
		int status;
		waitpid(pids[i], &status, 0);
		if (WIFSIGNALED(status)) {
			fail("worker %d died of signal %d", i, WTERMSIG(status));
		} else if (WEXITSTATUS(status) == 2) {
			fail("worker %d could not write its report", i);
		}
	}
	free(pids);

	memset(&t, 0, sizeof t);
	if (!(db = open_raw(path)))
		return 1;
	/* Versions per change, counted once (person_versions has no index on
	 * change_id); a temporary table, the database is not changed. */
	if (sqlite3_exec(db, "CREATE TEMP TABLE versions_by_change AS SELECT change_id, count(*) AS n "
	                     "FROM person_versions GROUP BY change_id; CREATE INDEX "
	                     "temp.versions_by_change_id ON versions_by_change(change_id)",
	                 NULL, NULL, NULL) != SQLITE_OK)
		fail("counting versions: %s", sqlite3_errmsg(db));
	for (int i = 0; i < procs; i++) {
		snprintf(logpath, sizeof logpath, "%s.worker%02d.log", path, i);
		reconcile_worker(db, logpath, i, &t);
	}
	take_baseline(db, &b1);
	sqlite3_close(db);

	printf("stress: %d processes for %.0f s (wall %.1f s)\n", procs, seconds, now_s() - t0);
	printf("stress: changes saved %ld (%ld persons), approved %ld; searches %ld, views %ld; "
	       "transactions closed %ld, certificates %ld\n",
	       t.saved, t.saved_persons, t.approved, t.searches, t.views, t.transactions, t.certificates);
	printf("stress: errors reaching a user %ld (database busy/locked: %ld); slowest command %.3f s (%s)\n",
	       t.errors, t.busy, t.slowest, t.slowest_cmd[0] ? t.slowest_cmd : "-");

	{
		long all = 0, acc = 0;
		int p50 = -1, p99 = -1;
		for (int b = 0; b < 9; b++)
			all += t.hist[b];
		printf("stress: commands by duration (%ld in all):", all);
		for (int b = 0; b < 9; b++) {
			acc += t.hist[b];
			if (p50 < 0 && acc * 100 >= all * 50)
				p50 = b;
			if (p99 < 0 && acc * 100 >= all * 99)
				p99 = b;
			printf(" %s%s %ld", b == 8 ? "" : "<", hist_names[b], t.hist[b]);
		}
		printf("\nstress: p50 under %s, p99 under %s\n", p50 >= 0 ? hist_names[p50] : "-",
		       p99 >= 0 ? hist_names[p99] : "-");
	}
	if (t.errors)
		fail("%ld command(s) failed (see the worker lines above)", t.errors);
	if (t.saved != t.approved)
		fail("saved %ld changes but approved %ld", t.saved, t.approved);
	if (b1.changes_approved - b0.changes_approved != t.approved)
		fail("the database gained %lld approved changes, the processes approved %ld",
		     b1.changes_approved - b0.changes_approved, t.approved);
	if (b1.persons - b0.persons != t.saved_persons)
		fail("the database gained %lld persons, the processes moved in %ld",
		     b1.persons - b0.persons, t.saved_persons);
	if (b1.versions - b0.versions != t.saved_persons)
		fail("the database gained %lld versions, expected %ld", b1.versions - b0.versions,
		     t.saved_persons);
	if (b1.certificates - b0.certificates != t.certificates)
		fail("the database gained %lld certificates, the processes issued %ld",
		     b1.certificates - b0.certificates, t.certificates);
	if (b1.tx_closed - b0.tx_closed != t.transactions)
		fail("the database gained %lld closed transactions, the processes closed %ld",
		     b1.tx_closed - b0.tx_closed, t.transactions);
	if (b1.audit_search - b0.audit_search != t.searches)
		fail("the audit log gained %lld searches, the processes searched %ld times",
		     b1.audit_search - b0.audit_search, t.searches);
	/* One approval entry per person approved. */
	if (b1.audit_approve - b0.audit_approve != t.saved_persons)
		fail("the audit log gained %lld approval entries, expected one per person (%ld)",
		     b1.audit_approve - b0.audit_approve, t.saved_persons);
	if (b1.audit_issue - b0.audit_issue != t.certificates)
		fail("the audit log gained %lld issued certificates, expected %ld",
		     b1.audit_issue - b0.audit_issue, t.certificates);
	if (!t.saved || !t.searches || !t.certificates)
		fail("some kind of work never ran (saved %ld, searches %ld, certificates %ld)", t.saved,
		     t.searches, t.certificates);
	check_consistency(path, "after the concurrent run");
	printf("stress: %s\n", failures ? "FAILED" : "counts reconcile, database consistent");
	return failures ? 1 : 0;
}

/* ---- stress kill ------------------------------------------------------------ */

/* A CSV of n households of two persons each, 宛名番号 from first_atena. */
static int write_import(const char *path, long long first_atena, long long first_household, int n)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "household_no,atena_no,name,name_kana,relationship,sex,birth_date,resident_type,"
	           "address,postal_code,honseki,hittosha\n");
	for (int i = 0; i < n; i++) {
		int s = i % 8, g = (i / 8) % 4;
		long long h = first_household + i, a = first_atena + 2LL * i;
		fprintf(f, "%lld,%lld,%s %s,%s %s,世帯主,男,%d-%02d-%02d,日本人,東見本3丁目%d番%d号,"
		           "999-0003,東京都見本区東見本3丁目5番,%s %s\n",
		        h, a, surnames[s][0], givens[g][0], surnames[s][1], givens[g][1], 1950 + i % 50,
		        1 + i % 12, 1 + i % 28, 1 + i % 20, 1 + i % 30, surnames[s][0], givens[g][0]);
		fprintf(f, "%lld,%lld,%s 彩,%s あや,妻,女,%d-%02d-%02d,日本人,東見本3丁目%d番%d号,"
		           "999-0003,東京都見本区東見本3丁目5番,%s %s\n",
		        h, a + 1, surnames[s][0], surnames[s][1], 1952 + i % 45, 1 + (i + 3) % 12,
		        1 + (i + 5) % 28, 1 + i % 20, 1 + i % 30, surnames[s][0], givens[g][0]);
	}
	return fclose(f);
}

static int child_import(const char *db, const char *csv)
{
	struct md_ctx *c = open_as(db, "stresskill", "admin1", stderr);
	struct md_args a;
	struct md_result res;
	struct md_error err;
	int rc;

	if (!c)
		return 1;
	md_args_init(&a);
	md_args_set(&a, "file", csv);
	md_result_init(&res);
	rc = md_cmd_exec(c, "import.residents", &a, &res, &err);
	if (rc != MD_OK)
		fprintf(stderr, "stress: import: %s\n", err.msg);
	md_result_release(&res);
	md_ctx_free(&c);
	return rc == MD_OK ? 0 : 1;
}

static int child_intake(const char *db, pid_t parent)
{
	struct worker w;
	struct md_ctx *clerk, *sup;

	memset(&w, 0, sizeof w);
	/* What was saved is checked in the database afterwards, not here. */
	if (!(w.log = fopen("/dev/null", "w")))
		return 1;
	rng_state ^= (unsigned long long)getpid() * 0x9E3779B97F4A7C15ULL;
	clerk = open_as(db, "stresskill", "clerk1", stderr);
	sup = clerk ? open_as(db, "stresskill", "supervisor1", stderr) : NULL;
	if (!clerk || !sup)
		return 1;
	/* Until killed; a child whose parent has gone (the driver interrupted)
	 * stops by itself, and none runs longer than a minute. */
	for (double end = now_s() + 60; now_s() < end && getppid() == parent;) {
		do_intake(&w, clerk);
		if (rnd(2))
			do_approve(&w, sup);
	}
	return 0;
}

/* Copies the database (after a checkpoint) to path.calib for a trial import. */
static int copy_db(const char *from, const char *to)
{
	sqlite3 *src = open_raw(from), *dst = NULL;
	sqlite3_backup *b;
	int rc = SQLITE_ERROR;

	if (!src)
		return -1;
	unlink(to);
	if (sqlite3_open(to, &dst) == SQLITE_OK && (b = sqlite3_backup_init(dst, "main", src, "main"))) {
		sqlite3_backup_step(b, -1);
		rc = sqlite3_backup_finish(b);
	}
	sqlite3_close(dst);
	sqlite3_close(src);
	return rc == SQLITE_OK ? 0 : -1;
}

static int run_child_import(const char *path, const char *csv, double *seconds)
{
	double t0 = now_s();
	int status;
	pid_t pid;

	fflush(NULL);
	if ((pid = fork()) == 0)
		_exit(child_import(path, csv));
	waitpid(pid, &status, 0);
	*seconds = now_s() - t0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int cmd_kill(const char *path, int kills, unsigned seed)
{
	char csv[4096], calib[4096], keyfrom[4096], keyto[4096], when[128];
	double per_row = 0;
	int landed = 0, completed = 0;
	sqlite3 *db;

	rng_state ^= (seed + 1) * 0x9E3779B97F4A7C15ULL;
	for (int i = 0; i < 16; i++)
		rnd(1);
	check_consistency(path, "before the kills");

	for (int k = 0; k < kills && failures == 0; k++) {
		int is_import = k % 2 == 0, status, households = 0;
		long long before = 0, after = 0, persons = 0;
		double delay;
		pid_t pid;

		if ((db = open_raw(path))) {
			before = is_import ? q_int(db, "SELECT count(*) FROM imports")
			                   : q_int(db, "SELECT count(*) FROM changes");
			persons = q_int(db, "SELECT count(*) FROM persons");
			sqlite3_close(db);
		}
		if (is_import) {
			/* More new persons than the registry holds (and at least 5,000),
			 * so that the import takes its path that drops the indexes and
			 * builds them again: a kill must never leave them dropped. */
			households = (int)(persons / 2 + 500);
			if (households < 3000)
				households = 3000;
			snprintf(csv, sizeof csv, "%s.import%02d.csv", path, k);
			if (write_import(csv, 10000000LL * (k + 1), 10000000LL * (k + 1), households) != 0) {
				fail("cannot write %s", csv);
				break;
			}
			if (per_row == 0) {
				/* A trial import on a copy tells how long one takes; the
				 * kills then land anywhere in 0..1.2 of that. */
				double secs = 0;
				snprintf(calib, sizeof calib, "%s.calib", path);
				snprintf(keyfrom, sizeof keyfrom, "%s.key", path);
				snprintf(keyto, sizeof keyto, "%s.calib.key", path);
				if (copy_db(path, calib) != 0 || link(keyfrom, keyto) != 0 ||
				    run_child_import(calib, csv, &secs) != 0) {
					fail("the trial import on a copy failed");
					break;
				}
				per_row = secs / (2.0 * households);
				printf("stress: a trial import of %d persons into %lld takes %.2f s\n", 2 * households,
				       persons, secs);
				unlink(calib);
				unlink(keyto);
			}
		}
		delay = is_import ? per_row * 2 * households * 1.2 * rnd(1000) / 1000.0
		                  : 0.05 + 0.5 * rnd(1000) / 1000.0;
		fflush(NULL);
		if ((pid = fork()) == 0)
			_exit(is_import ? child_import(path, csv) : child_intake(path, getppid()));
		if (pid < 0) {
			fail("fork: %s", strerror(errno));
			break;
		}
		usleep((useconds_t)(delay * 1e6));
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			landed++;
		else
			completed++;
		if ((db = open_raw(path))) {
			after = is_import ? q_int(db, "SELECT count(*) FROM imports")
			                  : q_int(db, "SELECT count(*) FROM changes");
			sqlite3_close(db);
		}
		snprintf(when, sizeof when, "after kill %d (%s, %.3f s)", k + 1, is_import ? "import" : "intake",
		         delay);
		printf("stress: kill %2d: %-6s at %.3f s: %s, %lld %s\n", k + 1, is_import ? "import" : "intake",
		       delay, WIFSIGNALED(status) ? "killed" : "had finished", after - before,
		       is_import ? "import(s) recorded" : "change(s) recorded");
		check_consistency(path, when);
		if (is_import)
			unlink(csv);
	}
	printf("stress: %d kill(s) landed while working, %d after the work had finished; %s\n", landed,
	       completed, failures ? "FAILED" : "database consistent after each");
	return failures ? 1 : 0;
}

/* The indexes the schema declares: those of a new database in memory. */
static int schema_indexes(void)
{
	struct md_store *st = NULL;
	struct md_error err;

	if (md_store_open(&st, ":memory:", MD_STORE_CREATE, &err) != MD_OK) {
		fprintf(stderr, "stress: a database in memory: %s\n", err.msg);
		return -1;
	}
	index_list(md_store_db(st), expected_indexes, sizeof expected_indexes);
	md_store_free(&st);
	return expected_indexes[0] ? 0 : -1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	setenv("TZ", getenv("TZ") ? getenv("TZ") : "Asia/Tokyo", 1);
	if (schema_indexes() != 0)
		return 1;
	if (argc == 5 && strcmp(argv[1], "run") == 0)
		return cmd_run(argv[2], atoi(argv[3]), atof(argv[4]));
	if (argc == 5 && strcmp(argv[1], "kill") == 0)
		return cmd_kill(argv[2], atoi(argv[3]), (unsigned)strtoul(argv[4], NULL, 10));
	fprintf(stderr, "usage: stress run DB PROCS SECONDS | stress kill DB KILLS SEED\n");
	return 2;
}
