/* cmd_import.c: `madoguchi import residents FILE.csv`: the import of the
 * residents of another system (移行), md_import_residents(), and its command.
 *
 * Every row is checked before anything is written: its values (import.c),
 * then what needs the other rows or the registry: 宛名番号, 個人番号 and
 * 住民票コード unique in the file and in the registry, each household with
 * exactly one 世帯主 and one address. Then either nothing is written, or one
 * transaction writes the households and their members as final records: one
 * approved change (改製), a version per person, the search index, the
 * imports row and one audit entry. A row whose 宛名番号 is already in the
 * registry is left alone, so importing a file again adds nothing. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "audit.h"
#include "change_impl.h"
#include "cmd_impl.h"
#include "crypto.h"
#include "ctx.h"
#include "i18n.h"
#include "import.h"
#include "result.h"
#include "store.h"
#include "timeutil.h"
#include "xalloc.h"

/* What the run keeps of each data row (the person itself is built again
 * when it is written, so that a large file does not sit in memory twice). */
struct irow {
	long line;
	long long atena, household;
	int head, rel_ok;
	int existing;       /* 宛名番号 already in the registry: left alone */
	int errors;         /* its own errors */
	int rejected;       /* its own errors or its household's */
	char *addr;         /* 住所 and 方書, for the household rule */
	char *mn_idx;       /* blind index of its 個人番号 */
	char *jcode;        /* 住民票コード */
};

struct run {
	struct md_ctx *ctx;
	const char *path;
	char *abspath;
	int skip;
	time_t now;
	char today[11];
	char stamp[32];
	char hash[MD_HASH_HEX];
	char *buf;
	size_t len;
	struct md_csv_record header;
	struct md_import_header h;
	struct md_csv_record *recs;
	struct irow *rows;
	int n;
	int *order;          /* new rows with a 世帯番号, by household then line */
	int norder;
	struct md_import_issues is;
	int existing, rejected, bad_rows, imported, households, mynumbers;
	char *rejects_path;
	int old_cache;       /* PRAGMA cache_size before the import */
};

/* ---- reading ---------------------------------------------------------------- */

static int read_file(struct run *R, struct md_error *err)
{
	FILE *f = fopen(R->path, "rb");
	size_t cap = 1 << 16, n = 0, got;
	char *buf;

	if (!f)
		return md_error_set(err, MD_E_IO, "file", _("cannot read %s: %s"), R->path, strerror(errno));
	buf = xmalloc(cap + 1);
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			buf = xrealloc(buf, (cap *= 2) + 1);
	}
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		free(buf);
		return md_error_set(err, MD_E_IO, "file", _("cannot read %s: %s"), R->path, strerror(e));
	}
	fclose(f);
	buf[n] = '\0';
	R->buf = buf;
	R->len = n;
	{
		unsigned char h[32];
		crypto_generichash(h, sizeof h, (const unsigned char *)buf, n, NULL, 0);
		sodium_bin2hex(R->hash, sizeof R->hash, h, sizeof h);
	}
	return MD_OK;
}

static void add_line(struct md_result *res, const char *path, const struct md_import_issue *x)
{
	if (x->line > 0 && x->column)
		md_result_line(res, "%s:%ld: %s: %s", path, x->line, x->column, x->msg);
	else if (x->line > 0)
		md_result_line(res, "%s:%ld: %s", path, x->line, x->msg);
	else
		md_result_line(res, "%s: %s", path, x->msg);
}

static int blank_record(const struct md_csv_record *rec)
{
	for (int i = 0; i < rec->nfields; i++)
		for (const char *p = rec->field[i]; *p; p++)
			if (*p != ' ' && *p != '\t')
				return 0;
	return 1;
}

/* The file as records: the header read and checked, then every record. */
static int load(struct run *R, struct md_error *err)
{
	struct md_csv_reader rd;
	struct md_csv_record rec;
	int rc, cap = 0;

	if ((rc = read_file(R, err)) != MD_OK)
		return rc;
	md_csv_init(&rd, R->buf, R->len);
	rc = md_csv_next(&rd, &R->header, err);
	if (rc == 0)
		return md_error_set(err, MD_E_INVALID, "file",
		                    _("%s: the file is empty: it needs a header row and a row per resident"),
		                    R->path);
	if (rc < 0) {
		md_import_issue(&R->is, err->line, NULL, 1, "%s", err->msg);
		return md_error_set(err, MD_E_INVALID, "file",
		                    _("%s: the file cannot be read as CSV: nothing was imported"), R->path);
	}
	if (md_import_header_parse(&R->header, &R->h, &R->is) > 0)
		return md_error_set(err, MD_E_INVALID, "file",
		                    _("%s: the header row is not valid: nothing was imported"), R->path);
	while ((rc = md_csv_next(&rd, &rec, err)) > 0) {
		if (blank_record(&rec)) {
			md_csv_record_release(&rec);
			continue;
		}
		if (R->n == cap) {
			cap = cap ? cap * 2 : 1024;
			R->recs = xrealloc(R->recs, (size_t)cap * sizeof *R->recs);
		}
		R->recs[R->n++] = rec;
	}
	if (rc < 0) {
		int f = rd.bad_field - 1;
		const char *col = f >= 0 && f < R->h.ncols ? R->h.names[f] : NULL;
		md_import_issue(&R->is, err->line, col, 1, "%s", err->msg);
		return md_error_set(err, MD_E_INVALID, "file",
		                    _("%s: the file cannot be read as CSV: nothing was imported"), R->path);
	}
	if (R->n == 0)
		return md_error_set(err, MD_E_INVALID, "file",
		                    _("%s: the file has a header row but no residents: nothing to import"),
		                    R->path);
	R->rows = xcalloc((size_t)R->n, sizeof *R->rows);
	return MD_OK;
}

/* ---- checking ------------------------------------------------------------------ */

static void row_error(struct run *R, struct irow *x, const char *column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void row_error(struct run *R, struct irow *x, const char *column, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	md_import_issue(&R->is, x->line, column, 1, "%s", buf);
	x->errors++;
}

static int exists(struct run *R, const char *sql, long long id, int *found, struct md_error *err)
{
	sqlite3_stmt *s = md_store_stmt(R->ctx->store, sql, err);
	int rc;

	if (!s)
		return MD_E_DB;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return md_store_fail(R->ctx->store, err, _("reading the registry"));
	*found = rc == SQLITE_ROW;
	return MD_OK;
}

/* The person holding a value of a unique column, or 0. */
static long long holder(struct run *R, const char *sql, const char *value)
{
	sqlite3_stmt *s = md_store_stmt(R->ctx->store, sql, NULL);
	long long id = 0;

	if (!s)
		return 0;
	md_bind_text(s, 1, value);
	if (sqlite3_step(s) == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return id;
}

static void take_issues(struct md_import_issues *dst, struct md_import_issues *src)
{
	for (int i = 0; i < src->n; i++) {
		if (dst->n == dst->cap) {
			dst->cap = dst->cap ? dst->cap * 2 : 64;
			dst->v = xrealloc(dst->v, (size_t)dst->cap * sizeof *dst->v);
		}
		dst->v[dst->n++] = src->v[i];
	}
	free(src->v);
	memset(src, 0, sizeof *src);
}

/* Each row's own values, and whether it is already in the registry. */
static int check_rows(struct run *R, struct md_error *err)
{
	static const char person_sql[] = "SELECT 1 FROM persons WHERE id = ?1";
	static const char mn_sql[] = "SELECT id FROM persons WHERE mynumber_idx = ?1";
	static const char jc_sql[] = "SELECT id FROM persons WHERE juminhyo_code = ?1";
	int rc;

	for (int i = 0; i < R->n; i++) {
		struct md_import_issues ris = { 0 };
		struct md_import_row row;
		struct irow *x = &R->rows[i];
		int errors = md_import_check_row(&R->h, &R->recs[i], R->now, &row, &ris);
		int found = 0;

		x->line = R->recs[i].line;
		x->atena = row.atena;
		x->household = row.household;
		x->head = row.head;
		x->rel_ok = row.relationship_ok;
		if (x->atena && (rc = exists(R, person_sql, x->atena, &found, err)) != MD_OK) {
			md_import_row_release(&row);
			md_import_issues_release(&ris);
			return rc;
		}
		if (found) {
			x->existing = 1;
			R->existing++;
			md_import_issues_release(&ris);
			md_import_issue(&R->is, x->line, md_import_col_name(MD_IC_ATENA_NO), 0,
			                _("宛名番号 %lld is already in the registry (imported before)"), x->atena);
			md_import_row_release(&row);
			continue;
		}
		take_issues(&R->is, &ris);
		x->errors = errors;
		if (md_person_has(&row.p, MD_F_ADDRESS))
			x->addr = xasprintf("%s\x1f%s", md_person_get(&row.p, MD_F_ADDRESS),
			                    md_person_get(&row.p, MD_F_KATAGAKI));
		if (row.mynumber[0]) {
			char idx[MD_HASH_HEX];
			long long other;
			md_keyed_hash_hex(R->ctx->keys.index, row.mynumber, 12, idx);
			x->mn_idx = xstrdup(idx);
			if ((other = holder(R, mn_sql, idx)) != 0)
				row_error(R, x, md_import_col_name(MD_IC_MY_NUMBER),
				          _("this 個人番号 is already recorded for 宛名番号 %lld"), other);
		}
		if (md_person_has(&row.p, MD_F_JUMINHYO_CODE)) {
			long long other;
			x->jcode = xstrdup(md_person_get(&row.p, MD_F_JUMINHYO_CODE));
			if ((other = holder(R, jc_sql, x->jcode)) != 0)
				row_error(R, x, md_import_col_name(MD_IC_JUMINHYO_CODE),
				          _("this 住民票コード is already recorded for 宛名番号 %lld"), other);
		}
		md_import_row_release(&row);
	}
	return MD_OK;
}

struct ukey {
	const char *s;
	long long n;
	int row;
};

static int ukey_cmp(const void *a, const void *b)
{
	const struct ukey *x = a, *y = b;
	int c = x->s && y->s ? strcmp(x->s, y->s) : (x->n > y->n) - (x->n < y->n);
	return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* "2, 5, 9" for a group of rows (at most ten lines, then …). */
static void lines_of(struct run *R, const struct ukey *k, int n, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && len + 24 < cap; i++) {
		if (i == 10) {
			len += (size_t)snprintf(buf + len, cap - len, ", …");
			break;
		}
		len += (size_t)snprintf(buf + len, cap - len, "%s%ld", i ? ", " : "", R->rows[k[i].row].line);
	}
}

/* 宛名番号, 個人番号 and 住民票コード: each in one row of the file only. */
static void check_unique(struct run *R)
{
	struct ukey *k = xcalloc((size_t)R->n + 1, sizeof *k);

	for (int what = 0; what < 3; what++) {
		int n = 0;
		for (int i = 0; i < R->n; i++) {
			struct irow *x = &R->rows[i];
			if (x->existing)
				continue;
			if (what == 0 && x->atena)
				k[n++] = (struct ukey){ NULL, x->atena, i };
			else if (what == 1 && x->mn_idx)
				k[n++] = (struct ukey){ x->mn_idx, 0, i };
			else if (what == 2 && x->jcode)
				k[n++] = (struct ukey){ x->jcode, 0, i };
		}
		qsort(k, (size_t)n, sizeof *k, ukey_cmp);
		for (int i = 0, j; i < n; i = j) {
			char lines[160];
			for (j = i + 1; j < n && (k[i].s ? strcmp(k[i].s, k[j].s) == 0 : k[i].n == k[j].n); j++)
				;
			if (j - i < 2)
				continue;
			lines_of(R, k + i, j - i, lines, sizeof lines);
			for (int m = i; m < j; m++) {
				struct irow *x = &R->rows[k[m].row];
				if (what == 0)
					row_error(R, x, md_import_col_name(MD_IC_ATENA_NO),
					          _("宛名番号 %lld is in the file more than once (lines %s)"), x->atena,
					          lines);
				else if (what == 1)
					row_error(R, x, md_import_col_name(MD_IC_MY_NUMBER),
					          _("the same 個人番号 is in the file more than once (lines %s)"), lines);
				else
					row_error(R, x, md_import_col_name(MD_IC_JUMINHYO_CODE),
					          _("the same 住民票コード is in the file more than once (lines %s)"),
					          lines);
			}
		}
	}
	free(k);
}

static struct run *sort_run;

static int household_cmp(const void *a, const void *b)
{
	const struct irow *x = &sort_run->rows[*(const int *)a], *y = &sort_run->rows[*(const int *)b];
	if (x->household != y->household)
		return x->household < y->household ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

/* One 世帯主 and one address per household; a household not already in the
 * registry. Then which rows are rejected: a household goes whole. */
static int check_households(struct run *R, struct md_error *err)
{
	static const char household_sql[] = "SELECT 1 FROM households WHERE id = ?1";
	int rc;

	R->order = xcalloc((size_t)R->n + 1, sizeof *R->order);
	for (int i = 0; i < R->n; i++)
		if (!R->rows[i].existing && R->rows[i].household)
			R->order[R->norder++] = i;
	sort_run = R;
	qsort(R->order, (size_t)R->norder, sizeof *R->order, household_cmp);
	sort_run = NULL;

	for (int g = 0, e; g < R->norder; g = e) {
		struct irow *first = &R->rows[R->order[g]], *ref = NULL;
		long long h = first->household;
		int heads = 0, rel_ok = 1, found = 0, bad = 0;
		char lines[160];
		size_t len = 0;

		for (e = g; e < R->norder && R->rows[R->order[e]].household == h; e++) {
			struct irow *x = &R->rows[R->order[e]];
			rel_ok &= x->rel_ok;
			if (x->head) {
				if (heads++ < 10 && len + 24 < sizeof lines)
					len += (size_t)snprintf(lines + len, sizeof lines - len, "%s%ld",
					                        heads > 1 ? ", " : "", x->line);
				ref = x;
			}
		}
		if ((rc = exists(R, household_sql, h, &found, err)) != MD_OK)
			return rc;
		if (found) {
			for (int m = g; m < e; m++)
				row_error(R, &R->rows[R->order[m]], md_import_col_name(MD_IC_HOUSEHOLD_NO),
				          _("世帯番号 %lld is already in the registry: a household is imported "
				            "once, whole; add members to it with a change (異動)"), h);
		} else if (heads == 0 && rel_ok) {
			row_error(R, first, md_import_col_name(MD_IC_RELATIONSHIP),
			          _("household %lld has no 世帯主: one member's 続柄 must be 世帯主"), h);
		} else if (heads > 1) {
			for (int m = g; m < e; m++) {
				struct irow *x = &R->rows[R->order[m]];
				if (x->head)
					row_error(R, x, md_import_col_name(MD_IC_RELATIONSHIP),
					          _("household %lld has %d 世帯主 (lines %s): a household has "
					            "exactly one"), h, heads, lines);
			}
		}
		/* The address of the 世帯主, or else of the first member. */
		if (heads != 1 || !ref->addr)
			ref = NULL;
		for (int m = g; m < e && !ref; m++)
			if (R->rows[R->order[m]].addr)
				ref = &R->rows[R->order[m]];
		for (int m = g; m < e && ref && !found; m++) {
			struct irow *x = &R->rows[R->order[m]];
			size_t al;
			if (x == ref || !x->addr || strcmp(x->addr, ref->addr) == 0)
				continue;
			al = strcspn(x->addr, "\x1f");
			row_error(R, x, md_import_col_name(al == strcspn(ref->addr, "\x1f") &&
			                                   strncmp(x->addr, ref->addr, al) == 0
			                                   ? MD_IC_KATAGAKI : MD_IC_ADDRESS),
			          _("the address differs from line %ld of the same household (世帯番号 %lld): "
			            "the members of a household share one 住所 and 方書"), ref->line, h);
		}
		for (int m = g; m < e; m++)
			bad |= R->rows[R->order[m]].errors > 0;
		if (bad)
			for (int m = g; m < e; m++)
				R->rows[R->order[m]].rejected = 1;
		else
			R->households++;
	}
	for (int i = 0; i < R->n; i++) {
		struct irow *x = &R->rows[i];
		if (x->existing)
			continue;
		if (x->errors)
			x->rejected = 1;
		R->bad_rows += x->errors > 0;
		R->rejected += x->rejected;
	}
	return MD_OK;
}

/* "this file was imported on DATE by USER", when the same bytes came before. */
static void previous_import(struct run *R, struct md_result *res)
{
	static const char sql[] =
		"SELECT imported_at, imported_by FROM imports WHERE file_hash = ?1 ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *s = md_store_stmt(R->ctx->store, sql, NULL);
	int y, mo, d, hh, mi, ss;

	if (!s)
		return;
	md_bind_text(s, 1, R->hash);
	if (sqlite3_step(s) == SQLITE_ROW) {
		const char *at = md_col_text(s, 0);
		char when[32];
		snprintf(when, sizeof when, "%s", at);
		if (sscanf(at, "%d-%d-%dT%d:%d:%dZ", &y, &mo, &d, &hh, &mi, &ss) == 6) {
			time_t t = (time_t)md_days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss;
			struct tm tm;
			localtime_r(&t, &tm);
			strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
		}
		md_result_line(res, _("%s: this file was imported on %s by %s"), R->path, when,
		               md_col_text(s, 1));
	}
	sqlite3_reset(s);
}

/* ---- writing --------------------------------------------------------------------- */

static int write_households(struct run *R, long long change_id, struct md_error *err)
{
	static const char household_sql[] = "INSERT INTO households (id, created_at) VALUES (?1, ?2)";
	int rc = MD_OK;

	for (int m = 0; m < R->norder && rc == MD_OK; m++) {
		int i = R->order[m];
		struct irow *x = &R->rows[i];
		struct md_import_issues scratch = { 0 };
		struct md_import_row row;
		char hh[24];

		if (x->rejected)
			continue;
		if (m == 0 || R->rows[R->order[m - 1]].household != x->household) {
			sqlite3_stmt *s = md_store_stmt(R->ctx->store, household_sql, err);
			if (!s)
				return MD_E_DB;
			sqlite3_bind_int64(s, 1, x->household);
			md_bind_text(s, 2, R->stamp);
			rc = sqlite3_step(s);
			sqlite3_reset(s);
			if (rc != SQLITE_DONE)
				return md_store_fail(R->ctx->store, err, _("creating a household"));
			rc = MD_OK;
		}
		md_import_check_row(&R->h, &R->recs[i], R->now, &row, &scratch);
		md_import_issues_release(&scratch);
		row.p.id = x->atena;
		snprintf(hh, sizeof hh, "%lld", x->household);
		md_person_set(&row.p, MD_F_STATUS, "resident");
		md_person_set(&row.p, MD_F_HOUSEHOLD, hh);
		if (row.mynumber[0]) {
			size_t n = 0;
			rc = md_secret_seal(&R->ctx->keys, row.mynumber, 12, &row.p.mynumber_enc, &n, err);
			row.p.mynumber_enc_len = (int)n;
			md_person_set(&row.p, MD_F_MYNUMBER_IDX, x->mn_idx);
			R->mynumbers++;
		}
		if (rc == MD_OK)
			rc = md_registry_insert_version(R->ctx, &row.p, change_id, err);
		md_import_row_release(&row);
		if (rc == MD_OK)
			R->imported++;
	}
	return rc;
}

/* A bulk load into a registry smaller than the load: the plain (not
 * unique) indexes of the tables written are dropped and built again after
 * the rows, which sorts each index once instead of inserting into it row by
 * row (about a fifth faster for 100,000 rows). Their definitions are read
 * from the schema itself, so nothing here repeats them; a rollback puts them
 * back as they were. */
struct saved_index {
	char *name;
	char *sql;
};

static int drop_indexes(struct run *R, struct saved_index **out, int *n, struct md_error *err)
{
	static const char sql[] =
		"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
		"AND tbl_name IN ('persons', 'person_versions', 'name_index', 'address_index') "
		"AND sql NOT LIKE 'CREATE UNIQUE%'";
	sqlite3_stmt *s = md_store_stmt(R->ctx->store, sql, err);
	struct saved_index *v = NULL;
	int cnt = 0, rc = MD_OK;

	*out = NULL;
	*n = 0;
	if (!s)
		return MD_E_DB;
	while (sqlite3_step(s) == SQLITE_ROW) {
		v = xrealloc(v, (size_t)(cnt + 1) * sizeof *v);
		v[cnt].name = xstrdup(md_col_text(s, 0));
		v[cnt].sql = xstrdup(md_col_text(s, 1));
		cnt++;
	}
	sqlite3_reset(s);
	*out = v;
	*n = cnt;
	for (int i = 0; i < cnt && rc == MD_OK; i++) {
		char *drop = sqlite3_mprintf("DROP INDEX \"%w\"", v[i].name);
		rc = md_store_exec(R->ctx->store, drop, err);
		sqlite3_free(drop);
	}
	return rc;
}

static int rebuild_indexes(struct run *R, struct saved_index *v, int n, struct md_error *err)
{
	int rc = MD_OK;
	for (int i = 0; i < n && rc == MD_OK; i++)
		rc = md_store_exec(R->ctx->store, v[i].sql, err);
	return rc;
}

static void saved_release(struct saved_index *v, int n)
{
	for (int i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].sql);
	}
	free(v);
}

/* 1 when the rows to write outnumber the persons already there (and are many). */
static int bulk(struct run *R)
{
	static const char sql[] = "SELECT count(*) FROM persons";
	sqlite3_stmt *s = md_store_stmt(R->ctx->store, sql, NULL);
	long long have = 0;
	int fresh = R->n - R->existing - R->rejected;

	if (fresh < 5000 || !s)
		return 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		have = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return fresh > have;
}

static int write_all(struct run *R, struct md_error *err)
{
	static const char change_sql[] =
		"INSERT INTO changes (type, reason, status, event_date, processed_on, late, memo, made_by, "
		"made_at, terminal, decided_by, decided_at) VALUES ('import', 'remake_add', 'approved', ?1, "
		"?1, 0, ?2, ?3, ?4, ?5, ?3, ?4)";
	static const char imports_sql[] =
		"INSERT INTO imports (file_name, file_hash, imported_by, imported_at, rows_total, persons, "
		"households, rejected) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *s = md_store_stmt(R->ctx->store, change_sql, err);
	long long change_id;
	int rc;

	if (!s)
		return MD_E_DB;
	md_bind_text(s, 1, R->today);
	md_bind_text(s, 2, R->abspath);
	md_bind_text(s, 3, R->ctx->session->user);
	md_bind_text(s, 4, R->stamp);
	md_bind_text(s, 5, R->ctx->cfg.terminal_id);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(R->ctx->store, err, _("recording the import"));
	change_id = sqlite3_last_insert_rowid(md_store_db(R->ctx->store));
	if (bulk(R)) {
		struct saved_index *saved;
		int nsaved;
		rc = drop_indexes(R, &saved, &nsaved, err);
		if (rc == MD_OK)
			rc = write_households(R, change_id, err);
		if (rc == MD_OK)
			rc = rebuild_indexes(R, saved, nsaved, err);
		saved_release(saved, nsaved);
	} else {
		rc = write_households(R, change_id, err);
	}
	if (rc != MD_OK)
		return rc;
	if (!(s = md_store_stmt(R->ctx->store, imports_sql, err)))
		return MD_E_DB;
	md_bind_text(s, 1, R->abspath);
	md_bind_text(s, 2, R->hash);
	md_bind_text(s, 3, R->ctx->session->user);
	md_bind_text(s, 4, R->stamp);
	sqlite3_bind_int(s, 5, R->n);
	sqlite3_bind_int(s, 6, R->imported);
	sqlite3_bind_int(s, 7, R->households);
	sqlite3_bind_int(s, 8, R->rejected);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(R->ctx->store, err, _("recording the import"));
	return MD_OK;
}

char *md_import_rejects_path(const char *path)
{
	size_t n = strlen(path);
	if (n > 4 && strcasecmp(path + n - 4, ".csv") == 0)
		n -= 4;
	return xasprintf("%.*s.rejects.csv", (int)n, path);
}

/* The reason a rejected row gives: its own problems, or its household's. */
static char *reason_of(struct run *R, int i, int *cursor)
{
	struct irow *x = &R->rows[i];
	char *out = NULL;

	while (*cursor < R->is.n && R->is.v[*cursor].line < x->line)
		(*cursor)++;
	for (int k = *cursor; k < R->is.n && R->is.v[k].line == x->line; k++) {
		const struct md_import_issue *v = &R->is.v[k];
		char *next;
		if (!v->error)
			continue;
		next = v->column ? xasprintf("%s%s%s: %s", out ? out : "", out ? "; " : "", v->column, v->msg)
		                 : xasprintf("%s%s%s", out ? out : "", out ? "; " : "", v->msg);
		free(out);
		out = next;
	}
	if (!out) {
		long bad = 0;
		for (int m = 0; m < R->norder && !bad; m++) {
			struct irow *y = &R->rows[R->order[m]];
			if (y->household == x->household && y->errors)
				bad = y->line;
		}
		out = xasprintf(_("another row of household %lld is invalid (line %ld)"), x->household, bad);
	}
	return out;
}

/* FILE.rejects.csv: the header and the rejected rows as they were, with a
 * reason column; readable by its owner only (it may hold My Numbers). */
static int write_rejects(struct run *R, struct md_error *err)
{
	char *tmp;
	const char **fields;
	int fd, cursor = 0, ok = 1, width = R->h.ncols;
	FILE *f;

	R->rejects_path = md_import_rejects_path(R->path);
	tmp = xasprintf("%s.tmp", R->rejects_path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || fchmod(fd, 0600) != 0 || !(f = fdopen(fd, "w"))) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		free(tmp);
		return md_error_set(err, MD_E_IO, "file", _("cannot write %s: %s"), R->rejects_path,
		                    strerror(e));
	}
	for (int i = 0; i < R->n; i++)
		if (R->recs[i].nfields > width)
			width = R->recs[i].nfields;
	fields = xcalloc((size_t)width + 1, sizeof *fields);
	for (int i = 0; i < R->h.ncols; i++)
		fields[i] = R->header.field[i];
	fields[R->h.ncols] = "reason";
	ok = md_csv_write_record(f, R->h.ncols + 1, fields) == 0;
	for (int i = 0; i < R->n && ok; i++) {
		const struct md_csv_record *rec = &R->recs[i];
		int nf = rec->nfields < R->h.ncols ? R->h.ncols : rec->nfields;
		char *reason;
		if (!R->rows[i].rejected)
			continue;
		for (int k = 0; k < nf; k++)
			fields[k] = k < rec->nfields ? rec->field[k] : "";
		reason = reason_of(R, i, &cursor);
		fields[nf] = reason;
		ok = md_csv_write_record(f, nf + 1, fields) == 0;
		free(reason);
	}
	free(fields);
	if (fclose(f) != 0)
		ok = 0;
	if (!ok || rename(tmp, R->rejects_path) != 0) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		return md_error_set(err, MD_E_IO, "file", _("cannot write %s: %s"), R->rejects_path,
		                    strerror(e));
	}
	free(tmp);
	return MD_OK;
}

/* ---- the run ---------------------------------------------------------------------- */

static void audit_run(struct run *R, const char *outcome, const char *why)
{
	char *detail;
	struct md_audit_rec r = { NULL, "import.residents", NULL, "import", outcome, NULL,
	                          R->mynumbers > 0 };
	struct md_error e;

	detail = xasprintf("file=%s hash=%.16s rows=%d imported=%d households=%d existing=%d "
	                   "rejected=%d%s%s", R->abspath ? R->abspath : R->path, R->hash, R->n,
	                   R->imported, R->households, R->existing, R->rejected, why ? " " : "",
	                   why ? why : "");
	r.detail = detail;
	md_audit(R->ctx, &r, &e);
	free(detail);
}

/* A large import writes far more pages than SQLite's default cache holds
 * (about 2 MB): pages spilled to the WAL in the middle of the transaction
 * are read back again and again. The cache may grow to 128 MB while the
 * import runs (memory is taken only as pages are used), then goes back. */
static int cache_size(struct md_ctx *ctx, int set)
{
	sqlite3 *db = md_store_db(ctx->store);
	sqlite3_stmt *s = NULL;
	int old = -2000;
	char sql[64];

	if (sqlite3_prepare_v2(db, "PRAGMA cache_size", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		old = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", set);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	return old;
}

static void run_release(struct run *R)
{
	if (R->old_cache)
		cache_size(R->ctx, R->old_cache);
	for (int i = 0; i < R->n; i++) {
		md_csv_record_release(&R->recs[i]);
		if (R->rows) {
			free(R->rows[i].addr);
			free(R->rows[i].mn_idx);
			free(R->rows[i].jcode);
		}
	}
	md_csv_record_release(&R->header);
	md_import_header_release(&R->h);
	md_import_issues_release(&R->is);
	free(R->recs);
	free(R->rows);
	free(R->order);
	free(R->rejects_path);
	free(R->abspath);
	if (R->buf) {
		sodium_memzero(R->buf, R->len);   /* it holds My Numbers in clear */
		free(R->buf);
	}
}

static void emit_issues(struct run *R, struct md_result *res)
{
	md_import_issues_sort(&R->is, R->h.ncols ? &R->h : NULL);
	for (int i = 0; i < R->is.n; i++)
		add_line(res, R->path, &R->is.v[i]);
}

int md_import_residents(struct md_ctx *ctx, const char *path, int skip_invalid,
                        struct md_result *res, struct md_error *err)
{
	struct run R;
	char *real;
	int rc, fresh;

	memset(&R, 0, sizeof R);
	R.ctx = ctx;
	R.path = path;
	R.skip = skip_invalid;
	R.now = md_time_now();
	md_date_local(R.now, R.today, sizeof R.today);
	md_time_iso(R.now, R.stamp, sizeof R.stamp);
	real = realpath(path, NULL);
	R.abspath = xstrdup(real ? real : path);
	free(real);

	if ((rc = load(&R, err)) != MD_OK) {
		emit_issues(&R, res);
		audit_run(&R, "failed", err->msg);
		run_release(&R);
		return rc;
	}
	/* Checked and written under one write lock, so that nothing changes between. */
	R.old_cache = cache_size(ctx, -131072);
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK) {
		run_release(&R);
		return rc;
	}
	previous_import(&R, res);
	if ((rc = check_rows(&R, err)) != MD_OK || (check_unique(&R), rc = check_households(&R, err)) != MD_OK)
		goto fail;
	emit_issues(&R, res);
	fresh = R.n - R.existing;

	if (R.bad_rows && !R.skip) {
		md_store_rollback(ctx->store);
		audit_run(&R, "failed", "invalid rows: nothing imported");
		rc = md_error_set(err, MD_E_INVALID, "file",
		                  _("%s: %d row(s) with errors: nothing was imported (correct them, or "
		                    "import the valid households with --skip-invalid)"), path, R.bad_rows);
		run_release(&R);
		return rc;
	}
	if (fresh == 0) {
		md_store_rollback(ctx->store);
		audit_run(&R, "ok", "nothing new");
		md_result_message(res, _("nothing new to import: all %d row(s) of %s are already in the "
		                         "registry"), R.n, path);
		run_release(&R);
		return MD_OK;
	}
	if (R.households == 0) {
		/* --skip-invalid, and no household is valid. */
		md_store_rollback(ctx->store);
		rc = write_rejects(&R, err);
		audit_run(&R, "failed", "no valid household");
		if (rc == MD_OK)
			rc = md_error_set(err, MD_E_INVALID, "file",
			                  _("%s: no household could be imported: %d row(s) rejected, written "
			                    "to %s"), path, R.rejected, R.rejects_path);
		run_release(&R);
		return rc;
	}
	if ((rc = write_all(&R, err)) != MD_OK)
		goto fail;
	{
		char *detail = xasprintf("file=%s hash=%.16s rows=%d imported=%d households=%d existing=%d "
		                         "rejected=%d", R.abspath, R.hash, R.n, R.imported, R.households,
		                         R.existing, R.rejected);
		struct md_audit_rec r = { NULL, "import.residents", NULL, "import", "ok", detail,
		                          R.mynumbers > 0 };
		rc = md_audit(ctx, &r, err);
		free(detail);
		if (rc != MD_OK)
			goto fail;
	}
	if (R.rejected && (rc = write_rejects(&R, err)) != MD_OK)
		goto fail;
	if ((rc = md_store_commit(ctx->store, err)) != MD_OK) {
		if (R.rejects_path)
			unlink(R.rejects_path);
		run_release(&R);
		return rc;
	}
	{
		char *msg = xasprintf(_("imported %d person(s) in %d household(s) from %s"), R.imported,
		                      R.households, path);
		char *more = NULL;
		if (R.existing)
			more = xasprintf(_("%s; %d row(s) already in the registry"), msg, R.existing);
		if (more) {
			free(msg);
			msg = more;
			more = NULL;
		}
		if (R.rejected)
			more = xasprintf(_("%s; %d row(s) rejected, written to %s"), msg, R.rejected,
			                 R.rejects_path);
		if (more) {
			free(msg);
			msg = more;
		}
		md_result_message(res, "%s", msg);
		free(msg);
	}
	run_release(&R);
	return MD_OK;
fail:
	md_store_rollback(ctx->store);
	audit_run(&R, "error", err->msg);
	run_release(&R);
	return rc;
}

/* ---- the command ------------------------------------------------------------------- */

static const struct md_arg_spec import_residents_args[] = {
	{ "file", MD_ARG_POS, 1, N_("the CSV file of residents (UTF-8, header row; see doc/import-format.md)") },
	{ "skip-invalid", MD_ARG_FLAG, 0,
	  N_("import the valid households and write the others to FILE.rejects.csv") },
	{ NULL, 0, 0, NULL }
};

static int cmd_import_residents(struct md_ctx *ctx, const struct md_args *args, struct md_result *res,
                                struct md_error *err)
{
	const char *skip = md_args_get(args, "skip-invalid");
	return md_import_residents(ctx, md_args_get(args, "file"), skip && *skip && strcmp(skip, "0") != 0,
	                           res, err);
}

const struct md_cmd_entry md_cmds_import[] = {
	{ "import.residents", "import residents", "data.import", 0, import_residents_args,
	  cmd_import_residents,
	  N_("import residents from another system's CSV file (every row checked first)") },
	{ NULL, NULL, NULL, 0, NULL, NULL, NULL }
};
