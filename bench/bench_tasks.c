/* bench_tasks.c: the figures of make bench besides the lookups: a 転入
 * saved and approved, a 住民票の写し issued as PDF, the CSV import's rate
 * and the full-screen program's start until its login screen shows. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench.h"
#include "checkdigit.h"
#include "cmd.h"
#include "ctx.h"
#include "result.h"
#include "store.h"
#include "trainingward.h"
#include "xalloc.h"

/* Runs name with NULL-terminated key/value pairs; exits when it fails.
 * Returns the time it took (ms). res is left for the caller to read and
 * release. */
static double run(struct md_ctx *ctx, struct md_result *res, const char *name, ...)
{
	struct md_args a;
	struct md_error err;
	va_list ap;
	const char *k;
	double t0;

	md_args_init(&a);
	va_start(ap, name);
	while ((k = va_arg(ap, const char *)) != NULL)
		md_args_set(&a, k, va_arg(ap, const char *));
	va_end(ap);
	md_result_init(res);
	t0 = bench_now_ms();
	if (md_cmd_exec(ctx, name, &a, res, &err) != MD_OK) {
		for (int i = 0; i < res->nlines && i < 10; i++)
			fprintf(stderr, "  %s\n", res->lines[i]);
		bench_die("%s: %s%s%s", name, err.msg, *err.field ? " field " : "", err.field);
	}
	return bench_now_ms() - t0;
}

static long long max_id(struct md_ctx *ctx, const char *sql)
{
	sqlite3_stmt *s;
	long long n = 0;
	if (sqlite3_prepare_v2(md_store_db(ctx->store), sql, -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW)
		bench_die("%s: %s", sql, sqlite3_errmsg(md_store_db(ctx->store)));
	n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void iso_days_ago(int days, char out[11])
{
	time_t t = time(NULL) - (time_t)days * 86400;
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static void report(const char *name, struct bench_samples *s, const char *what)
{
	char n[96];
	snprintf(n, sizeof n, "%s_p50", name);
	bench_figure(n, bench_pct(s, 50), "ms", what);
	snprintf(n, sizeof n, "%s_p99", name);
	bench_figure(n, bench_pct(s, 99), "ms", what);
}

/* ---- 転入 ---------------------------------------------------------------------- */

void bench_move_in(const struct bench_opts *o, struct md_ctx *clerk, struct md_ctx *sup)
{
	static const char *const given[] = { "一郎", "二郎", "三郎", "四郎", "五郎", "六郎", "七郎", "八郎" };
	static const char *const kana[] = { "イチロウ", "ジロウ", "サブロウ", "シロウ", "ゴロウ", "ロクロウ",
	                                    "シチロウ", "ハチロウ" };
	struct bench_samples save = { 0 }, approve = { 0 }, both = { 0 };
	char event[11], birth[11], id[24];

	iso_days_ago(3, event);
	for (int i = 0; i < o->tasks; i++) {
		struct md_result res;
		double ts, ta;
		long long before = max_id(clerk, "SELECT count(*) FROM persons"), cid;

		/* a two-person household, each run a different date of birth */
		iso_days_ago(365 * 30 + i * 7 + (int)(time(NULL) % 97), birth);
		ts = run(clerk, &res, "change.save", "type", "move_in", "event_date", event, "address",
		         "見本区見本町1丁目2番3号", "katagaki", "見本荘101", "previous_address",
		         "東京都千代田区千代田1-1", "p1.relationship", "世帯主", "p1.surname", "試験",
		         "p1.given_name", given[i % 8], "p1.surname_kana", "シケン", "p1.given_name_kana",
		         kana[i % 8], "p1.birth_date", birth, "p1.sex", "男", "p1.honseki",
		         "見本県見本市本町1番地", "p1.hittosha", "試験 一郎", "p2.relationship", "妻",
		         "p2.surname", "試験", "p2.given_name", "花子", "p2.surname_kana", "シケン",
		         "p2.given_name_kana", "ハナコ", "p2.birth_date", birth, "p2.sex", "女", "p2.honseki",
		         "見本県見本市本町1番地", "p2.hittosha", "試験 一郎", NULL);
		md_result_release(&res);
		cid = max_id(clerk, "SELECT max(id) FROM changes WHERE made_by = 'clerk1'");
		snprintf(id, sizeof id, "%lld", cid);
		ta = run(sup, &res, "change.approve", "id", id, NULL);
		md_result_release(&res);
		if (max_id(clerk, "SELECT count(*) FROM persons") != before + 2)
			bench_die("the approved 転入 %lld did not add its two persons", cid);
		bench_samples_add(&save, ts);
		bench_samples_add(&approve, ta);
		bench_samples_add(&both, ts + ta);
	}
	report("move_in_save", &save, "転入 saved (provisional)");
	report("move_in_approve", &approve, "転入 approved");
	report("move_in_total", &both, "転入 saved and approved");
	bench_samples_release(&save);
	bench_samples_release(&approve);
	bench_samples_release(&both);
}

/* ---- 住民票の写し ------------------------------------------------------------------ */

void bench_certificate(const struct bench_opts *o, struct md_ctx *clerk, const long long *persons,
                       int n)
{
	struct bench_samples t = { 0 };
	(void)o;

	for (int i = 0; i < n; i++) {
		struct md_result res;
		char tx[24], pid[24], head[5] = "";
		double ms;
		long long tid;
		FILE *f;

		snprintf(pid, sizeof pid, "%lld", persons[i]);
		run(clerk, &res, "counter.open", "request", "certificate", NULL);
		md_result_release(&res);
		tid = max_id(clerk, "SELECT max(id) FROM counter_transactions");
		snprintf(tx, sizeof tx, "%lld", tid);
		run(clerk, &res, "counter.verify", "transaction", tx, "category", "self", "applicant_name",
		    "窓口 申請者", "documents", "driver_license", "photo_matched", "1", NULL);
		md_result_release(&res);
		run(clerk, &res, "counter.subject", "transaction", tx, "person", pid, "applicant_person", pid,
		    NULL);
		md_result_release(&res);
		ms = run(clerk, &res, "cert.issue", "transaction", tx, "type", "juminhyo", NULL);
		if (res.table.nrows != 1 || res.table.ncols < 6)
			bench_die("cert.issue for %lld: expected one copy", persons[i]);
		if (!(f = fopen(res.table.rows[0][5], "rb")) || fread(head, 1, 4, f) != 4 ||
		    memcmp(head, "%PDF", 4) != 0)
			bench_die("cert.issue for %lld: %s is not a PDF", persons[i], res.table.rows[0][5]);
		fclose(f);
		unlink(res.table.rows[0][5]);
		md_result_release(&res);
		run(clerk, &res, "counter.close", "transaction", tx, NULL);
		md_result_release(&res);
		bench_samples_add(&t, ms);
	}
	report("cert_pdf", &t, "住民票の写し issued as PDF");
	bench_samples_release(&t);
}

/* ---- the import ------------------------------------------------------------------ */

/* A valid CSV of rows persons in households of one to four. */
static void write_csv(const char *path, int rows)
{
	static const char *const sur[] = { "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村" };
	static const char *const skana[] = { "サトウ", "スズキ", "タカハシ", "タナカ", "イトウ", "ワタナベ",
	                                     "ヤマモト", "ナカムラ" };
	static const char *const rel[] = { "世帯主", "妻", "子", "子" };
	static const char *const gm[] = { "太郎", "健", "翔", "大輔" }, *const gmk[] = { "タロウ", "ケン",
	                                  "ショウ", "ダイスケ" };
	static const char *const gf[] = { "花子", "陽子", "美咲", "愛" }, *const gfk[] = { "ハナコ", "ヨウコ",
	                                  "ミサキ", "アイ" };
	FILE *f = fopen(path, "w");
	long long hh = 0;
	int member = 0, size = 0;

	if (!f)
		bench_die("cannot write %s: %s", path, strerror(errno));
	fputs("household_no,atena_no,name,name_kana,relationship,sex,birth_date,resident_type,address,"
	      "postal_code,resident_since,address_since,notified_on,honseki,hittosha,my_number,"
	      "juminhyo_code\n", f);
	for (int i = 0; i < rows; i++) {
		char mn[13], jc[12];
		int s = (int)(hh % 8), female, y;

		if (member == size) {
			hh++;
			member = 0;
			size = 1 + (int)(hh % 4);
			if (size > rows - i)
				size = rows - i;
		}
		snprintf(mn, sizeof mn, "%011d", 20000000 + i);
		mn[11] = (char)('0' + md_mynumber_check_digit(mn));
		mn[12] = '\0';
		snprintf(jc, sizeof jc, "%010d", 300000000 + i);
		jc[10] = (char)('0' + md_juminhyo_code_check_digit(jc));
		jc[11] = '\0';
		female = member == 1 || (member > 1 && i % 2);
		y = member < 2 ? 1950 + (int)(hh % 40) : 1995 + (int)(hh % 25);
		fprintf(f, "%lld,%d,%s %s,%s %s,%s,%s,%04d-%02d-%02d,日本人,見本町%d丁目%lld番%d号,"
		        "999-0001,2015-04-01,2015-04-01,2015-04-03,見本県見本市本町1番地,%s %s,%s,%s\n",
		        hh + 500000, 9000000 + i, sur[s], female ? gf[member % 4] : gm[member % 4], skana[s],
		        female ? gfk[member % 4] : gmk[member % 4], rel[member], female ? "女" : "男", y,
		        1 + i % 12, 1 + i % 28, 1 + (int)(hh % 5), 1 + hh % 40, 1 + (int)(hh % 30), sur[s],
		        gm[0], mn, jc);
		member++;
	}
	if (fclose(f) != 0)
		bench_die("cannot write %s", path);
}

void bench_import(const struct bench_opts *o)
{
	char *db = xasprintf("%s/import.db", o->work), *csv = xasprintf("%s/import.csv", o->work);
	static const char *const sfx[] = { "", "-wal", "-shm", ".key" };
	struct md_training_counts c;
	struct md_error err;
	struct md_result res;
	struct md_ctx *admin;
	double ms, cpu;
	long long n;

	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		char *p = xasprintf("%s%s", db, sfx[i]);
		unlink(p);
		free(p);
	}
	if (md_training_db_create(&o->cfg, db, 0, MD_TRAINING_DEFAULT_SEED, &c, &err) != MD_OK)
		bench_die("the import database: %s", err.msg);
	write_csv(csv, o->import_rows);
	admin = bench_login(o, db, "admin1");
	cpu = bench_cpu_ms();
	ms = run(admin, &res, "import.residents", "file", csv, NULL);
	cpu = bench_cpu_ms() - cpu;
	md_result_release(&res);
	n = max_id(admin, "SELECT count(*) FROM persons");
	if (n != o->import_rows)
		bench_die("the import wrote %lld persons of %d rows", n, o->import_rows);
	bench_figure("import_rows", (double)o->import_rows, "rows", "rows imported");
	bench_figure("import_rate", o->import_rows / (ms / 1000.0), "rows/s", "CSV import");
	bench_figure("import_rate_cpu", o->import_rows / (cpu / 1000.0), "rows/s",
	             "CSV import per second of CPU time");
	md_ctx_free(&admin);
	free(db);
	free(csv);
}

/* ---- start to login ------------------------------------------------------------------ */

/* The login screen's first line, in English (the run uses no catalog). */
static const char login_marker[] = "Log in with your personal user ID.";

/* Starts the program on a pseudo-terminal of 100x30 and waits for the
 * login screen's text in what it writes; the time from fork to that text. */
static double start_once(const struct bench_opts *o, const char *config)
{
	struct winsize ws = { .ws_row = 30, .ws_col = 100 };
	char buf[65536];
	size_t have = 0;
	double t0 = bench_now_ms(), t = -1;
	int fd, status;
	pid_t pid = forkpty(&fd, NULL, NULL, &ws);

	if (pid < 0)
		bench_die("forkpty: %s", strerror(errno));
	if (pid == 0) {
		setenv("TERM", "xterm", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		unsetenv("LANG");
		unsetenv("LANGUAGE");
		unsetenv("MADOGUCHI_LOCALEDIR");
		execl(o->program, o->program, "--config", config, "--training", "--db", o->ward,
		      (char *)NULL);
		_exit(127);
	}
	while (t < 0) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t r;
		if (poll(&p, 1, 10000) <= 0)
			break;
		r = read(fd, buf + have, sizeof buf - 1 - have);
		if (r <= 0)
			break;
		have += (size_t)r;
		buf[have] = '\0';
		if (memmem(buf, have, login_marker, strlen(login_marker)))
			t = bench_now_ms() - t0;
		if (have > sizeof buf / 2) {   /* keep the tail, where the text may be starting */
			memmove(buf, buf + have - 256, 256);
			have = 256;
		}
	}
	kill(pid, SIGTERM);
	/* drain so the child is never blocked writing */
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, 200) <= 0 || read(fd, buf, sizeof buf) <= 0)
			break;
	}
	close(fd);
	waitpid(pid, &status, 0);
	if (t < 0)
		bench_die("%s never showed its login screen", o->program);
	return t;
}

void bench_start(const struct bench_opts *o)
{
	struct bench_samples s = { 0 };
	char *config = xasprintf("%s/bench.ini", o->work);
	FILE *f = fopen(config, "w");

	/* English, so that the text looked for is known */
	if (!f || fputs("[ui]\nlanguage = en\n", f) == EOF || fclose(f) != 0)
		bench_die("cannot write %s", config);
	(void)start_once(o, config);   /* warm-up */
	for (int i = 0; i < o->starts; i++)
		bench_samples_add(&s, start_once(o, config));
	report("start_to_login", &s, "program start to login screen");
	bench_samples_release(&s);
	free(config);
}
