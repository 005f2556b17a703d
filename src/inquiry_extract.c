/* inquiry_extract.c: the disclosure extract (開示用抽出) of one person for
 * an approved disclosure request: everything held on the person, as a PDF
 * in the database's spool directory:
 *
 *   1. the current record (as the record view shows it: 個人番号 masked,
 *      本籍・筆頭者 included, since the extract is the person's own data),
 *   2. every approved version (異動履歴),
 *   3. the issuance history (交付履歴: every copy made about them),
 *   4. the access history (アクセス履歴: the audit entries whose subject is
 *      the person: when, who, terminal, function, action, outcome), taken
 *      before the extract's own reads are logged.
 *
 * The pages are built as pdf.c's page model (one text item a line) and
 * rendered by md_pdf_fit/md_pdf_write, so certificates are not affected. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "certadmin.h"
#include "certificate.h"
#include "ctx.h"
#include "i18n.h"
#include "inquiry.h"
#include "pdf.h"
#include "result.h"
#include "search.h"
#include "store.h"
#include "textwidth.h"
#include "timeutil.h"
#include "wareki.h"
#include "xalloc.h"

/* Layout, in millimetres and points. */
#define LEFT_MM 15.0
#define WIDTH_MM 180.0
#define TOP_MM 20.0
#define PITCH_MM 5.0
#define LINES_PER_PAGE 52
#define TEXT_PT 8.5
#define HEAD_PT 10.0
#define MIN_PT 6.0
#define WRAP_COLS 96

/* ---- the lines of the extract ------------------------------------------------------- */

struct xline {
	char *text;
	int heading;
};

struct xlines {
	struct xline *l;
	int n, cap;
};

static void push(struct xlines *x, int heading, char *text)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 128;
		x->l = xrealloc(x->l, (size_t)x->cap * sizeof *x->l);
	}
	x->l[x->n].text = text;
	x->l[x->n].heading = heading;
	x->n++;
}

/* Adds text wrapped at WRAP_COLS columns; continuation lines are indented. */
static void add(struct xlines *x, const char *text)
{
	size_t n = 0;
	wchar_t *w = tw_utf8_to_wcs(text, &n);
	size_t start = 0;
	int first = 1;

	while (start < n || first) {
		int cols = first ? 0 : 4, limit = WRAP_COLS;
		size_t end = start;
		while (end < n && cols + tw_wcwidth(w[end]) <= limit) {
			cols += tw_wcwidth(w[end]);
			end++;
		}
		{
			char *part = tw_wcs_to_utf8(w + start, end - start);
			push(x, 0, first ? part : xasprintf("    %s", part));
			if (!first)
				free(part);
		}
		first = 0;
		start = end;
	}
	free(w);
}

static void addf(struct xlines *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(struct xlines *x, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc((size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	add(x, s);
	free(s);
}

static void heading(struct xlines *x, const char *text)
{
	if (x->n > 0)
		push(x, 0, xstrdup(""));
	push(x, 1, xasprintf("■ %s", text));
}

static void xlines_release(struct xlines *x)
{
	for (int i = 0; i < x->n; i++)
		free(x->l[i].text);
	free(x->l);
	memset(x, 0, sizeof *x);
}

/* A cell of a result table by column name ("" when there is none). */
static const char *cell(const struct md_table *t, int r, const char *col)
{
	for (int c = 0; c < t->ncols; c++)
		if (strcmp(t->cols[c], col) == 0)
			return t->rows[r][c] ? t->rows[r][c] : "";
	return "";
}

/* Local time of an ISO UTC timestamp (timeutil.h). */
static void local_time(const char *iso, char *buf, size_t n)
{
	md_time_local_text(iso, 1, buf, n);
}

/* ---- the sections ----------------------------------------------------------------------- */

/* What an audit entry's function was, in words, for the person reading the
 * extract; functions not listed read as their code. */
static const char *function_name(const char *fn)
{
	static const struct { const char *fn, *ja; } exact[] = {
		{ "resident.search", "住民検索" }, { "resident.view", "記録の表示" },
		{ "resident.history", "履歴の表示" }, { "resident.household", "世帯の表示" },
		{ "mynumber.reveal", "個人番号の表示" }, { "change.save", "異動の入力" },
		{ "change.approve", "異動の決裁" }, { "change.reject", "異動の差戻し" },
		{ "change.withdraw", "異動の取下げ" }, { "change.show", "異動の表示" },
		{ "edit.begin", "編集の開始" }, { "edit.end", "編集の終了" },
		{ "cert.issue", "証明書の交付" }, { "cert.preview", "証明書の確認表示" },
		{ "cert.void", "証明書の処分" }, { "cert.history", "交付履歴の表示" },
		{ "cert.letter", "通知の印刷" }, { "import.residents", "データ移行" },
		{ "inquiry.record", "問合せ・開示請求の受付" }, { "inquiry.edit", "問合せの修正" },
		{ "inquiry.assign", "担当者の割当て" }, { "inquiry.answer", "対応・回答の記録" },
		{ "inquiry.approve", "開示決定" }, { "inquiry.refuse", "不開示決定" },
		{ "inquiry.extract", "開示用抽出の作成" }, { "inquiry.close", "問合せの完了" },
		{ "inquiry.show", "問合せの表示" }, { "inquiry.extend", "期限の延長" },
		{ "inquiry.notice", "延長通知の作成" },
	};
	static const struct { const char *prefix, *ja; } prefixes[] = {
		{ "counter.", "窓口受付" }, { "seal.", "印鑑登録" }, { "support.", "支援措置" },
		{ "suppression.", "抑止" },
	};
	for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
		if (strcmp(exact[i].fn, fn) == 0)
			return exact[i].ja;
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (strncmp(prefixes[i].prefix, fn, strlen(prefixes[i].prefix)) == 0)
			return prefixes[i].ja;
	return NULL;
}

static const char *outcome_name(const char *outcome)
{
	if (strcmp(outcome, "ok") == 0)
		return "完了";
	if (strcmp(outcome, "denied") == 0)
		return "拒否";
	if (strcmp(outcome, "failed") == 0)
		return "失敗";
	if (strcmp(outcome, "error") == 0)
		return "エラー";
	return outcome;
}

/* The access history, read before the extract logs its own reads. */
static int access_lines(struct md_ctx *ctx, long long person, struct xlines *x, int *count,
                        struct md_error *err)
{
	static const char sql[] =
		"SELECT ts, user_id, terminal, function, action, outcome, mynumber FROM audit_log "
		"WHERE subject = ?1 ORDER BY id";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	char subject[24], at[32];
	int rc;

	if (!s)
		return MD_E_DB;
	*count = 0;
	snprintf(subject, sizeof subject, "%lld", person);
	md_bind_text(s, 1, subject);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *fn = md_col_text(s, 3), *ja = function_name(fn);
		local_time(md_col_text(s, 0), at, sizeof at);
		if (ja)
			addf(x, "%s  %s  端末 %s  %s（%s %s）  %s%s", at, md_col_text(s, 1), md_col_text(s, 2), ja,
			     fn, md_col_text(s, 4), outcome_name(md_col_text(s, 5)),
			     sqlite3_column_int(s, 6) ? "  個人番号を含む" : "");
		else
			addf(x, "%s  %s  端末 %s  %s %s  %s%s", at, md_col_text(s, 1), md_col_text(s, 2), fn,
			     md_col_text(s, 4), outcome_name(md_col_text(s, 5)),
			     sqlite3_column_int(s, 6) ? "  個人番号を含む" : "");
		(*count)++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("reading the access history"));
	if (*count == 0)
		add(x, "（なし）");
	return MD_OK;
}

static void record_lines(const struct md_result *view, struct xlines *x)
{
	const struct md_table *t = &view->table;
	for (int r = 0; r < t->nrows; r++)
		addf(x, "%s：%s", cell(t, r, "item"), cell(t, r, "value"));
}

static void history_lines(const struct md_result *hist, struct xlines *x)
{
	const struct md_table *t = &hist->table;
	for (int r = 0; r < t->nrows; r++) {
		addf(x, "第%s版  %s  %s  %s  入力 %s  決裁 %s  記録 %s", cell(t, r, "version"),
		     cell(t, r, "date"), cell(t, r, "change"), cell(t, r, "reason"), cell(t, r, "made_by"),
		     cell(t, r, "approved_by"), cell(t, r, "recorded_at"));
		if (*cell(t, r, "changed"))
			addf(x, "    変更：%s", cell(t, r, "changed"));
	}
	if (t->nrows == 0)
		add(x, "（なし）");
}

static void issuance_lines(const struct md_result *iss, struct xlines *x)
{
	const struct md_table *t = &iss->table;
	/* md_cert_history's columns are translated: read them by position. */
	for (int r = 0; r < t->nrows; r++) {
		const char *const *row = (const char *const *)t->rows[r];
		if (t->ncols < 14)
			break;
		addf(x, "%s  %s  発行番号 %s  交付先 %s  端末 %s  職員 %s  %s頁  手数料 %s円%s%s", row[1],
		     row[4], row[9], row[10], row[2], row[3], row[8], row[11], *row[13] ? "  " : "", row[13]);
	}
	if (t->nrows == 0)
		add(x, "（なし）");
}

/* ---- pages ------------------------------------------------------------------------------- */

static void page_text(struct md_pdf_page *pg, const char *name, double y, double h, double size,
                      enum md_el_align align, const char *text)
{
	struct md_pdf_item *it;

	if (pg->n == pg->cap) {
		pg->cap = pg->cap ? pg->cap * 2 : 64;
		pg->items = xrealloc(pg->items, (size_t)pg->cap * sizeof *pg->items);
	}
	it = &pg->items[pg->n++];
	memset(it, 0, sizeof *it);
	it->name = xstrdup(name);
	it->kind = MD_EL_TEXT;
	it->x = LEFT_MM;
	it->y = y;
	it->w = WIDTH_MM;
	it->h = h;
	it->size = size;
	it->min = MIN_PT;
	it->align = align;
	it->text = xstrdup(text);
}

static void build_doc(const struct xlines *x, const char *title, const char *header,
                      const char *footer, int training, struct md_pdf_doc *d)
{
	int pages = x->n ? (x->n + LINES_PER_PAGE - 1) / LINES_PER_PAGE : 1;

	memset(d, 0, sizeof *d);
	d->npages = pages;
	d->pages = xcalloc((size_t)pages, sizeof *d->pages);
	d->training = training;
	d->title = xstrdup(title);
	for (int p = 0; p < pages; p++) {
		struct md_pdf_page *pg = &d->pages[p];
		char *foot = xasprintf("%s　%d / %d", footer, p + 1, pages);
		page_text(pg, "header", 8.0, 8.0, HEAD_PT, MD_AL_LEFT, header);
		for (int i = 0; i < LINES_PER_PAGE && p * LINES_PER_PAGE + i < x->n; i++) {
			const struct xline *l = &x->l[p * LINES_PER_PAGE + i];
			if (!*l->text)
				continue;
			page_text(pg, "line", TOP_MM + i * PITCH_MM, PITCH_MM, l->heading ? HEAD_PT : TEXT_PT,
			          MD_AL_LEFT, l->text);
		}
		page_text(pg, "footer", 283.0, 6.0, TEXT_PT, MD_AL_RIGHT, foot);
		free(foot);
	}
}

/* Writes to a new file in the spool: name, then name-2, -3 ... when taken. */
static int write_spool(struct md_ctx *ctx, struct md_pdf_doc *d, const char *name, char **path,
                       struct md_error *err)
{
	char *spool = NULL;
	int rc = md_cert_spool(ctx, &spool, err);

	if (rc != MD_OK)
		return rc;
	for (int k = 1; k <= 20; k++) {
		*path = k == 1 ? xasprintf("%s/%s.pdf", spool, name) : xasprintf("%s/%s-%d.pdf", spool, name, k);
		rc = md_pdf_write(d, *path, err);
		if (rc != MD_E_CONFLICT)
			break;
		free(*path);
		*path = NULL;
	}
	free(spool);
	return rc;
}

/* ---- the extract --------------------------------------------------------------------------- */

static int record_extract(struct md_ctx *ctx, const struct md_inquiry *q, const char *path,
                          int pages, int accesses, struct md_error *err)
{
	static const char sql[] =
		"UPDATE inquiries SET extract_path = ?2, extract_at = ?3, extract_by = ?4 WHERE id = ?1";
	sqlite3_stmt *s = md_store_stmt(ctx->store, sql, err);
	char at[32], *detail;
	int rc;

	if (!s)
		return MD_E_DB;
	md_time_iso(md_time_now(), at, sizeof at);
	sqlite3_bind_int64(s, 1, q->id);
	md_bind_text(s, 2, path);
	md_bind_text(s, 3, at);
	md_bind_text(s, 4, ctx->session ? ctx->session->user : "-");
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return md_store_fail(ctx->store, err, _("recording the extract"));
	detail = xasprintf("pages=%d accesses=%d path=%s", pages, accesses, path);
	rc = md_inquiry_event(ctx, q, "extract", "ok", detail, err);
	free(detail);
	return rc;
}

int md_inquiry_extract(struct md_ctx *ctx, long long id, char **path, struct md_error *err)
{
	struct md_inquiry q;
	struct md_result view, hist, iss;
	struct md_view_opts opts = { 1, 1, 0 };
	struct xlines x = { 0 };
	struct md_pdf_doc d;
	char header[400], footer[200], name[200], stamp[32], made[32];
	int rc, accesses = 0, training = ctx->kind == MD_DB_TRAINING, written = 0;
	time_t now = md_time_now();
	struct tm tm;

	*path = NULL;
	memset(&d, 0, sizeof d);
	md_result_init(&view);
	md_result_init(&hist);
	md_result_init(&iss);
	if ((rc = md_inquiry_load(ctx, id, &q, err)) != MD_OK)
		return rc;
	if (!q.needs_decision) {
		rc = md_error_set(err, MD_E_INVALID, "id",
		                  _("inquiry %lld is a %s: only a disclosure request (開示請求) has an extract"),
		                  id, q.kind_ja);
		goto out;
	}
	if (*q.closed_on) {
		rc = md_error_set(err, MD_E_CONFLICT, "id", _("inquiry %lld is closed"), id);
		goto out;
	}
	if (strcmp(q.decision, "approved") != 0) {
		if (*q.decision)
			md_error_set(err, MD_E_DENIED, "id",
			             _("disclosure request %lld was refused (不開示決定): no extract is produced"), id);
		else
			md_error_set(err, MD_E_DENIED, "id",
			             _("disclosure request %lld is not approved yet: a supervisor who did not record it must approve it before the extract is produced"),
			             id);
		rc = md_inquiry_refuse(ctx, &q, "extract", err);
		goto out;
	}

	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		goto out;
	localtime_r(&now, &tm);
	strftime(made, sizeof made, "%Y-%m-%d %H:%M", &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
	/* The access history first: the extract's own reads come after it. */
	heading(&x, "アクセス履歴（この方を対象とした操作の記録：日時、職員、端末、操作、結果）");
	if ((rc = access_lines(ctx, q.person_id, &x, &accesses, err)) != MD_OK)
		goto fail;
	{
		/* The sections in reading order: the access history moves to the end. */
		struct xlines access = x;
		memset(&x, 0, sizeof x);
		heading(&x, "開示請求");
		addf(&x, "受付番号：%lld", q.id);
		{
			struct md_date rd;
			char shown[MD_DATE_TEXT_MAX];
			if (md_date_from_iso(q.received_on, &rd) == 0)
				md_date_format_wareki(&rd, shown, sizeof shown);
			else
				snprintf(shown, sizeof shown, "%s", q.received_on);
			addf(&x, "受付日：%s　受付方法：%s", shown, q.channel_ja);
		}
		addf(&x, "請求者：%s", q.requester);
		addf(&x, "件名：%s", q.subject);
		if (*q.due_on) {
			struct md_date dd;
			char shown[MD_DATE_TEXT_MAX];
			if (md_date_from_iso(q.due_on, &dd) == 0)
				md_date_format_wareki(&dd, shown, sizeof shown);
			else
				snprintf(shown, sizeof shown, "%s", q.due_on);
			addf(&x, "決定期限：%s%s", shown, q.extended ? "（延長後）" : "");
		}
		local_time(q.decided_at, stamp, sizeof stamp);
		addf(&x, "開示決定：%s %s", stamp, q.decided_by);
		strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
		addf(&x, "作成：%s %s", made, ctx->session ? ctx->session->user : "-");
		heading(&x, "現在の記録");
		if ((rc = md_person_view(ctx, q.person_id, &opts, &view, err)) != MD_OK) {
			xlines_release(&access);
			goto fail;
		}
		record_lines(&view, &x);
		heading(&x, "異動履歴（記録の全ての版）");
		if ((rc = md_person_history(ctx, q.person_id, 1, &hist, err)) != MD_OK) {
			xlines_release(&access);
			goto fail;
		}
		history_lines(&hist, &x);
		heading(&x, "交付履歴（証明書の写しの交付）");
		if ((rc = md_cert_history(ctx, q.person_id, NULL, NULL, &iss, err)) != MD_OK) {
			xlines_release(&access);
			goto fail;
		}
		issuance_lines(&iss, &x);
		push(&x, 0, xstrdup(""));
		for (int i = 0; i < access.n; i++)
			push(&x, access.l[i].heading, access.l[i].text);
		free(access.l);
	}
	snprintf(header, sizeof header, "%s保有個人情報の開示（抽出）　宛名番号 %lld　受付番号 %lld",
	         training ? "【見本】" : "", q.person_id, q.id);
	snprintf(footer, sizeof footer, "%s 作成 %s", ctx->cfg.municipality_name, made);
	build_doc(&x, "保有個人情報の開示（抽出）", header, footer, training, &d);
	if ((rc = md_pdf_fit(&d, err)) != MD_OK)
		goto fail;
	snprintf(name, sizeof name, "%s開示用抽出-%lld-%lld-%s", training ? "見本-" : "", q.id,
	         q.person_id, stamp);
	if ((rc = write_spool(ctx, &d, name, path, err)) != MD_OK)
		goto fail;
	written = 1;
	if ((rc = record_extract(ctx, &q, *path, d.npages, accesses, err)) != MD_OK)
		goto fail;
	if ((rc = md_store_commit(ctx->store, err)) != MD_OK)
		goto failed;
	goto out;
fail:
	md_store_rollback(ctx->store);
failed:
	/* A read refused under a blocking 抑止 was logged inside the rolled-back
	 * transaction: the refusal is logged again on its own. */
	if (rc == MD_E_DENIED)
		md_inquiry_refuse(ctx, &q, "extract", err);
	if (written)
		unlink(*path);
	free(*path);
	*path = NULL;
out:
	xlines_release(&x);
	md_pdf_doc_release(&d);
	md_result_release(&view);
	md_result_release(&hist);
	md_result_release(&iss);
	md_inquiry_release(&q);
	return rc;
}

/* ---- the notice of the extension (延長通知) ------------------------------------------ */

/* 令和8年4月1日 for a storage-form date. */
static void wareki_of(const char *iso, char *buf, size_t n)
{
	struct md_date d;
	if (md_date_from_iso(iso, &d) == 0)
		md_date_format_wareki(&d, buf, n);
	else
		snprintf(buf, n, "%s", iso);
}

int md_inquiry_extension_notice(struct md_ctx *ctx, long long id, char **path, struct md_error *err)
{
	static const char sql[] =
		"SELECT coalesce(detail, '') FROM inquiry_events WHERE inquiry_id = ?1 AND action = 'extend' "
		"ORDER BY id LIMIT 1";
	struct md_inquiry q;
	struct xlines x = { 0 };
	struct md_pdf_doc d;
	sqlite3_stmt *s;
	char before[11] = "", after[11] = "", *reason = NULL, header[300], footer[200], name[200],
	     stamp[32], made[32], d1[MD_DATE_TEXT_MAX], d2[MD_DATE_TEXT_MAX], d3[MD_DATE_TEXT_MAX];
	const char *article;
	int rc, training = ctx->kind == MD_DB_TRAINING, written = 0;
	time_t now = md_time_now();
	struct tm tm;

	*path = NULL;
	memset(&d, 0, sizeof d);
	if ((rc = md_inquiry_load(ctx, id, &q, err)) != MD_OK)
		return rc;
	if (!q.extended) {
		rc = md_error_set(err, MD_E_CONFLICT, "id",
		                  _("the deadline of inquiry %lld has not been extended: there is no notice "
		                    "to print"), id);
		goto out;
	}
	if (!(s = md_store_stmt(ctx->store, sql, err))) {
		rc = MD_E_DB;
		goto out;
	}
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		const char *detail = md_col_text(s, 0);
		int used = 0;
		if (sscanf(detail, "due_before=%10s due=%10s %n", before, after, &used) == 2 && used > 0)
			reason = xstrdup(detail + used);
	}
	sqlite3_reset(s);
	if (!reason) {
		rc = md_error_set(err, MD_E_DB, "id", _("the extension of inquiry %lld cannot be read"), id);
		goto out;
	}
	/* The article of the law the extension rests on (第2項 of each). */
	article = strcmp(q.kind, "correction") == 0   ? "第94条第2項"
	          : strcmp(q.kind, "suspension") == 0 ? "第102条第2項"
	                                              : "第83条第2項";
	localtime_r(&now, &tm);
	strftime(made, sizeof made, "%Y-%m-%d %H:%M", &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
	{
		char today[11];
		md_date_local(now, today, sizeof today);
		wareki_of(today, d3, sizeof d3);
	}
	addf(&x, "受付番号 %lld", q.id);
	addf(&x, "%s", d3);
	push(&x, 0, xstrdup(""));
	addf(&x, "%s　様", q.requester);
	push(&x, 0, xstrdup(""));
	addf(&x, "%s長", ctx->cfg.municipality_name);
	push(&x, 0, xstrdup(""));
	push(&x, 1, xasprintf("%sの決定期限の延長について（通知）", q.kind_ja));
	push(&x, 0, xstrdup(""));
	wareki_of(q.received_on, d1, sizeof d1);
	addf(&x, "%sに受け付けたあなたからの%s（件名：%s）については、個人情報の保護に関する法律%sの規定に"
	         "より、下記のとおり決定の期限を延長しましたので通知します。",
	     d1, q.kind_ja, q.subject, article);
	push(&x, 0, xstrdup(""));
	add(&x, "記");
	push(&x, 0, xstrdup(""));
	wareki_of(before, d1, sizeof d1);
	wareki_of(after, d2, sizeof d2);
	addf(&x, "1　延長前の期限　%s", d1);
	addf(&x, "2　延長後の期限　%s", d2);
	addf(&x, "3　延長の理由　　%s", reason);
	snprintf(header, sizeof header, "%s%sの決定期限の延長について（通知）　受付番号 %lld",
	         training ? "【見本】" : "", q.kind_ja, q.id);
	snprintf(footer, sizeof footer, "%s 作成 %s", ctx->cfg.municipality_name, made);
	build_doc(&x, "決定期限の延長について（通知）", header, footer, training, &d);
	if ((rc = md_store_begin(ctx->store, err)) != MD_OK)
		goto out;
	if ((rc = md_pdf_fit(&d, err)) != MD_OK)
		goto fail;
	snprintf(name, sizeof name, "%s延長通知-%lld-%s", training ? "見本-" : "", q.id, stamp);
	if ((rc = write_spool(ctx, &d, name, path, err)) != MD_OK)
		goto fail;
	written = 1;
	{
		char *detail = xasprintf("due=%s path=%s", after, *path);
		rc = md_inquiry_event(ctx, &q, "notice", "ok", detail, err);
		free(detail);
	}
	if (rc != MD_OK)
		goto fail;
	if ((rc = md_store_commit(ctx->store, err)) != MD_OK)
		goto failed;
	goto out;
fail:
	md_store_rollback(ctx->store);
failed:
	if (written)
		unlink(*path);
	free(*path);
	*path = NULL;
out:
	free(reason);
	xlines_release(&x);
	md_pdf_doc_release(&d);
	md_inquiry_release(&q);
	return rc;
}
