/* bench.h: the benchmark (make bench): shared pieces of bench.c (the ward,
 * the lookups against their floor) and bench_tasks.c (転入, certificate,
 * import, start of the full-screen program). The benchmark is a program of
 * its own that links the core like the full-screen program does; it prints
 * a table and one "bench: NAME=VALUE UNIT" line per figure. */
#ifndef MD_BENCH_H
#define MD_BENCH_H

#include <stddef.h>

#include "settings.h"

struct md_ctx;

/* Timing ---------------------------------------------------------------- */

double bench_now_ms(void);
/* CPU time of the process (user + system): what the program itself spent,
 * whatever else the machine runs. */
double bench_cpu_ms(void);
/* Prints the 1-minute load average as a figure. */
void bench_loadavg(const char *name);

/* Samples of one figure, in milliseconds. */
struct bench_samples {
	double *v;
	int n, cap;
};

void bench_samples_add(struct bench_samples *s, double ms);
/* Nearest-rank percentile (0 < p <= 100) of the samples; sorts them. */
double bench_pct(struct bench_samples *s, double p);
void bench_samples_release(struct bench_samples *s);

/* Prints "bench: NAME=VALUE UNIT" and keeps it for the table. */
void bench_figure(const char *name, double value, const char *unit, const char *what);
/* Gives up: prints the reason to stderr and exits 1. */
void bench_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* The run ----------------------------------------------------------------- */

struct bench_opts {
	const char *ward;          /* the 1,000,000-resident training ward (cached) */
	const char *work;          /* a scratch directory of the run */
	const char *program;       /* ./madoguchi, for the start-up figure */
	long residents;
	int iterations;            /* per lookup kind */
	int tasks;                 /* 転入 and certificates */
	int import_rows;
	int starts;
	struct md_settings cfg;
};

/* A context on db logged in as user (password demo), or exits. */
struct md_ctx *bench_login(const struct bench_opts *o, const char *db, const char *user);

/* bench_tasks.c */
void bench_move_in(const struct bench_opts *o, struct md_ctx *clerk, struct md_ctx *sup);
void bench_certificate(const struct bench_opts *o, struct md_ctx *clerk, const long long *persons,
                       int n);
void bench_import(const struct bench_opts *o);
void bench_start(const struct bench_opts *o);

#endif
