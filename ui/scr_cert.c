/* scr_cert.c: the certificate form of a counter transaction (counter.md §3):
 * the type, the members of the subject's household as a checklist, the
 * format, history, the items omitted unless requested, the items of a
 * 記載事項証明書, copies and the 印鑑登録証 number; a preview in the terminal
 * (the lines of cert preview) before issuing (cert issue). The core decides
 * what may be printed, checks 抑止 and 支援措置 and logs every attempt; this
 * form shows its messages, with the field they name. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ctx.h"
#include "i18n.h"
#include "panel.h"
#include "screens.h"
#include "tui.h"
#include "xalloc.h"

static const char *const type_codes[] = { "juminhyo", "joshu", "kisai", "inkan", "code_notice" };
static const char *const type_names[] = { "住民票の写し", "除票の写し", "記載事項証明書", "印鑑登録証明書",
	                                  "住民票コード通知票" };
#define NTYPES 5
enum { T_JUMINHYO, T_JOSHU, T_KISAI, T_INKAN, T_CODE_NOTICE };

static const char *const format_codes[] = { "household", "individual" };
static const char *const format_names[] = { "世帯連記式", "個人票" };

/* Items omitted unless requested (md_cert_parse_options), by their legal names. */
static const char *const include_items[][2] = {
	{ "head_rel", "世帯主・続柄" }, { "honseki", "本籍・筆頭者" }, { "juminhyo_code", "住民票コード" },
	{ "mynumber", "個人番号" }, { "foreign", "国籍・地域、在留資格等（外国人住民）" },
};
/* What a 記載事項証明書 can certify (md_cert_parse_items). */
static const char *const kisai_items[][2] = {
	{ "name", "氏名" }, { "kana", "フリガナ" }, { "birth_date", "生年月日" }, { "sex", "性別" },
	{ "address", "住所" }, { "head_rel", "世帯主・続柄" }, { "honseki", "本籍・筆頭者" },
	{ "resident_since", "住民となった年月日" }, { "address_since", "住所を定めた年月日" },
	{ "notified_on", "届出日" }, { "previous_address", "転入前住所" }, { "former_surname", "旧氏" },
	{ "alias", "通称" }, { "juminhyo_code", "住民票コード" }, { "mynumber", "個人番号" },
	{ "nationality", "国籍・地域" }, { "residence_status", "在留資格" }, { "residence_period", "在留期間" },
	{ "residence_expiry", "在留期間の満了の日" }, { "residence_card_no", "在留カード等番号" },
};

struct cert {
	long long transaction, subject;
	char txs[24], subjects[24];
	char category[24];
	struct panel p;
	int type, members, format, history, include, items, honseki_purpose, copies, card_no;
	int shown_type;             /* the type the members list was built for, -1 none */
	struct md_result household; /* resident.household of the subject (all, with removed) */
	int household_loaded;
	int household_ack;          /* the core asked to acknowledge an alert for the list */
	int ack;                    /* the clerk acknowledged a 支援措置 alert (extra identity checks) */
	int need_ack;
	int last;                   /* the last run: 0 preview, 1 issue */
	char note[1024];            /* the core's last refusal, shown whole under the form */
};

static const struct keybind cert_keys[] = {
	{ ACT_DISABLE, 4, 0, N_("Preview"), 0 },
	{ ACT_SUBMIT, 5, 0, N_("Issue"), 0 },
	{ ACT_GRANT, 6, 0, N_("Acknowledge"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static int member_active(const char *status)
{
	return strcmp(status, "住民") == 0 || strcmp(status, "転出予定") == 0;
}

static void load_household(struct cert *c, struct app *app)
{
	struct md_args args;
	struct md_error err;

	md_result_release(&c->household);
	md_result_init(&c->household);
	md_args_init(&args);
	md_args_set(&args, "person", c->subjects);
	md_args_set(&args, "all", "1");
	if (c->household_ack)
		md_args_set(&args, "ack", "1");
	c->household_loaded = md_cmd_exec(app->ctx, "resident.household", &args, &c->household, &err) == MD_OK;
	if (!c->household_loaded) {
		c->need_ack = strcmp(err.field, "ack") == 0;
		if (c->need_ack)
			app_message(app, 1, "%s %s", err.msg, _("F6: acknowledge and continue; F3: back."));
		else
			app_message(app, 1, "%s", err.msg);
	}
}

static const char *hcell(const struct cert *c, int r, const char *col)
{
	for (int i = 0; i < c->household.table.ncols; i++)
		if (strcmp(c->household.table.cols[i], col) == 0)
			return c->household.table.rows[r][i];
	return "";
}

/* The checklist of the members a certificate of the chosen type can show:
 * residents, or for a 除票 the removed records; all chosen for a 住民票の写し
 * or 除票の写し (世帯全員) asked by the person or the household, the subject
 * alone otherwise. */
static void build_members(struct cert *c)
{
	int t = c->p.rows[c->type].choice;
	/* A third party or a professional asks about one person: the others
	 * of the household are added only on purpose. */
	int third = strcmp(c->category, "third_party") == 0 || strcmp(c->category, "professional") == 0;

	if (c->shown_type == t)
		return;
	c->shown_type = t;
	panel_pick_clear(&c->p, c->members);
	for (int r = 0; c->household_loaded && r < c->household.table.nrows; r++) {
		const char *st = hcell(c, r, "status");
		char *label;
		int on;
		if ((t == T_JOSHU) == member_active(st))
			continue;
		label = xasprintf("%s  %s  %s  (宛名番号 %s)", hcell(c, r, "relationship"), hcell(c, r, "birth"),
		                  st, hcell(c, r, "atena"));
		on = ((t == T_JUMINHYO || t == T_JOSHU) && !third) || strcmp(hcell(c, r, "atena"), c->subjects) == 0;
		panel_pick_add(&c->p, c->members, hcell(c, r, "atena"), hcell(c, r, "name"), label, on);
		free(label);
	}
}

/* Rows that apply to the type chosen. */
static void cert_rows(struct cert *c)
{
	int t = c->p.rows[c->type].choice;
	int multi = t == T_JUMINHYO || t == T_JOSHU || t == T_KISAI;
	int third = strcmp(c->category, "third_party") == 0 || strcmp(c->category, "professional") == 0;

	panel_show(&c->p, c->members, multi);
	panel_show(&c->p, c->format, multi);
	panel_show(&c->p, c->history, t == T_JUMINHYO || t == T_JOSHU);
	panel_show(&c->p, c->include, t == T_JUMINHYO || t == T_JOSHU);
	panel_show(&c->p, c->items, t == T_KISAI);
	panel_show(&c->p, c->honseki_purpose, third && t != T_INKAN && t != T_CODE_NOTICE);
	panel_show(&c->p, c->card_no, t == T_INKAN);
	build_members(c);
}

static void cert_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct cert *c = s->data;
	char *line = xasprintf(_("Subject 宛名番号 %s. F4: preview of what will be printed; F5: issue."),
	                       c->subjects);
	draw_text(w, top, 2, cols - 4, line);
	free(line);
	draw_text(w, top + 1, 2, cols - 4, _("Items omitted by default are printed only when chosen below."));
	if (!c->note[0]) {
		panel_draw(&c->p, s, w, top + 3, rows - 3, cols);
		return;
	}
	panel_draw(&c->p, s, w, top + 3, rows - 8, cols);
	attron(A_BOLD);
	draw_wrapped(w, top + rows - 4, 2, cols - 4, 4, c->note);
	attroff(A_BOLD);
}

/* The arguments of cert preview / cert issue; strings in store (freed by
 * the caller). Returns 0 when the form cannot be run yet. */
static int cert_args(struct cert *c, struct app *app, struct md_args *args, char **store, int *n)
{
	int t = c->p.rows[c->type].choice;
	const struct prow *r;

	md_args_init(args);
	md_args_set(args, "transaction", c->txs);
	md_args_set(args, "type", type_codes[t]);
	/* With nobody to list (a resident's certificate for a removed record,
	 * or the other way round) the core says what to issue instead. */
	if (!c->p.rows[c->members].hidden && c->p.rows[c->members].nitems > 0) {
		if (panel_npicked(&c->p, c->members) == 0) {
			panel_focus_key(&c->p, "members");
			app_message(app, 1, "%s", _("Members: choose at least one person (Enter opens the list)."));
			return 0;
		}
		store[(*n)++] = panel_picked(&c->p, c->members);
		md_args_set(args, "members", store[*n - 1]);
	}
	if (!c->p.rows[c->format].hidden)
		md_args_set(args, "format", panel_code(&c->p, c->format));
	if (!c->p.rows[c->history].hidden && panel_on(&c->p, c->history))
		md_args_set(args, "history", "1");
	if (!c->p.rows[c->include].hidden && panel_npicked(&c->p, c->include) > 0) {
		store[(*n)++] = panel_picked(&c->p, c->include);
		md_args_set(args, "include", store[*n - 1]);
	}
	if (!c->p.rows[c->items].hidden) {
		store[(*n)++] = panel_picked(&c->p, c->items);
		md_args_set(args, "items", store[*n - 1]);
	}
	if (!c->p.rows[c->honseki_purpose].hidden && panel_on(&c->p, c->honseki_purpose))
		md_args_set(args, "purpose_needs_honseki", "1");
	store[(*n)++] = panel_value(&c->p, c->copies);
	if (*store[*n - 1])
		md_args_set(args, "copies", store[*n - 1]);
	r = &c->p.rows[c->card_no];
	if (!r->hidden) {
		store[(*n)++] = panel_value(&c->p, c->card_no);
		md_args_set(args, "card_no", store[*n - 1]);
	}
	if (c->ack)
		md_args_set(args, "ack", "1");
	return 1;
}

/* The copies just issued, for F6 on the issued screen. */
struct issued_ids {
	int n;
	char **ids;
};

static const struct keybind issued_keys[] = {
	{ ACT_GRANT, 6, 0, N_("Print again"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

/* F6: every copy of this issue to the printer again (cert print), after a
 * printer failure; the core says why it cannot (no printer set up...). */
static int issued_key(struct app *app, enum action a, void *user)
{
	struct issued_ids *is = user;
	int sent = 0;

	if (a != ACT_GRANT)
		return SCR_NONE;
	for (int i = 0; i < is->n; i++) {
		struct md_args args;
		struct md_result res;
		struct md_error err;
		int rc;

		md_args_init(&args);
		md_args_set(&args, "id", is->ids[i]);
		md_result_init(&res);
		rc = app_exec(app, "cert.print", &args, &res, &err);
		md_result_release(&res);
		if (rc != MD_OK)
			return SCR_REDRAW;
		sent++;
	}
	app_message(app, 0, P_("%d copy is sent to the printer again.", "%d copies are sent to the printer again.", sent),
	            sent);
	app->dirty = 1;
	return SCR_REDRAW;
}

static void issued_free(void *user)
{
	struct issued_ids *is = user;
	for (int i = 0; i < is->n; i++)
		free(is->ids[i]);
	free(is->ids);
	free(is);
}

/* The issued copies as lines: issue number, verification code, pages, fee,
 * file, and whether they were printed; F6 prints them again. */
static struct screen *issued_screen(struct app *app, const struct md_result *res, int rc,
                                    const struct md_error *err)
{
	int n = 0, max = res->table.nrows * 3 + 6;
	char **lines = xcalloc((size_t)max, sizeof *lines);
	struct issued_ids *is = xcalloc(1, sizeof *is);
	struct message_keys mk = { issued_keys, issued_key, is, issued_free };
	struct screen *s;

	is->ids = xcalloc((size_t)res->table.nrows + 1, sizeof *is->ids);
	lines[n++] = xstrdup(res->message ? res->message : "");
	lines[n++] = xstrdup("");
	for (int i = 0; i < res->table.nrows; i++) {
		char *const *row = res->table.rows[i];
		is->ids[is->n++] = xstrdup(row[0]);
		lines[n++] = xasprintf("発行番号 %s", row[1]);
		lines[n++] = xasprintf(_("    照合番号 %s  %s page(s), fee %s yen  (history id %s)"), row[2], row[3],
		                       row[4], row[0]);
		lines[n++] = xasprintf("    %s", row[5]);
	}
	lines[n++] = xstrdup("");
	if (rc != MD_OK)
		lines[n++] = xasprintf(_("Printing failed: %s"), err->msg);
	else if (app->ctx->cfg.print_command[0])
		lines[n++] = xstrdup(_("Sent to the printer."));
	else
		lines[n++] = xstrdup(_("No print command is configured: print the PDF file(s) above."));
	if (rc != MD_OK || app->ctx->cfg.print_command[0])
		lines[n++] = xstrdup(_("F6: send the copies to the printer again (after mending the printer)."));
	s = message_screen_with_keys(_("Issued"), (const char *const *)lines, n, &mk);
	s->title = _("Certificate issued");
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	return s;
}

static int cert_run(struct screen *s, struct app *app, int issuing)
{
	struct cert *c = s->data;
	struct md_args args;
	struct md_result res;
	struct md_error err;
	char *store[8];
	int n = 0, rc, flags = SCR_REDRAW;

	c->last = issuing;
	if (c->need_ack && !c->household_loaded) {
		app_message(app, 1, "%s", _("Acknowledge the alert first (F6), or go back (F3)."));
		return SCR_REDRAW;
	}
	if (!cert_args(c, app, &args, store, &n)) {
		for (int i = 0; i < n; i++)
			free(store[i]);
		return SCR_REDRAW;
	}
	md_result_init(&res);
	rc = md_cmd_exec(app->ctx, issuing ? "cert.issue" : "cert.preview", &args, &res, &err);
	c->need_ack = 0;
	c->note[0] = '\0';
	if (rc == MD_OK && !issuing) {
		char *title = xasprintf(_("Preview of %s: nothing is issued yet (F3: back to the form)"),
		                        type_names[c->p.rows[c->type].choice]);
		app_message(app, 0, "%s", res.message ? res.message : "");
		app->next = message_screen_new(title, (const char *const *)res.lines, res.nlines);
		app->next->title = _("Certificate preview");
		free(title);
		flags = SCR_PUSH;
	} else if (issuing && (rc == MD_OK || (rc == MD_E_IO && res.table.nrows > 0))) {
		/* Issued (a failed print leaves it issued: the core says so). */
		app_message(app, rc != MD_OK, "%s", rc == MD_OK ? (res.message ? res.message : "") : err.msg);
		app->next = issued_screen(app, &res, rc, &err);
		app->dirty = 1;
		flags = SCR_PUSH;
	} else if (strcmp(err.field, "ack") == 0) {
		c->need_ack = 1;
		snprintf(c->note, sizeof c->note, "%s", err.msg);
		app_message(app, 1, "%s", _("F6: acknowledge (extra identity checks done) and continue."));
	} else {
		int r = panel_find(&c->p, err.field);
		snprintf(c->note, sizeof c->note, "%s", err.msg);
		if (r >= 0 && panel_focus_key(&c->p, err.field))
			app_message(app, 1, "%s: %s", c->p.rows[r].label, err.msg);
		else
			app_message(app, 1, "%s", err.msg);
	}
	md_result_release(&res);
	for (int i = 0; i < n; i++)
		free(store[i]);
	return flags;
}

static int cert_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct cert *c = s->data;
	int r;

	switch (a) {
	case ACT_BACK:
		return SCR_CLOSE;
	case ACT_DISABLE:
		return cert_run(s, app, 0);
	case ACT_SUBMIT:
		return cert_run(s, app, 1);
	case ACT_GRANT:
		if (!c->need_ack) {
			app_message(app, 1, "%s", _("There is no alert to acknowledge."));
			return SCR_REDRAW;
		}
		if (!c->household_loaded) {
			c->household_ack = 1;
			c->need_ack = 0;
			load_household(c, app);
			c->shown_type = -1;
			cert_rows(c);
			if (c->household_loaded)
				app_message(app, 0, "%s", _("Acknowledged: the household's members are listed."));
			return SCR_REDRAW;
		}
		c->ack = 1;
		return cert_run(s, app, c->last);
	default:
		break;
	}
	r = panel_key(&c->p, app, k);
	cert_rows(c);
	return r < 0 ? SCR_NONE : r;
}

static void cert_free(struct screen *s)
{
	struct cert *c = s->data;
	panel_release(&c->p);
	md_result_release(&c->household);
	free(c);
}

static const struct screen_class cert_class = {
	"cert", N_("Certificate (証明書の交付)"), cert_keys, 1, cert_draw, cert_key, cert_free
};

struct screen *cert_screen_new(struct app *app, long long transaction, long long subject,
                               const char *category)
{
	struct cert *c = xcalloc(1, sizeof *c);

	c->transaction = transaction;
	c->subject = subject;
	snprintf(c->txs, sizeof c->txs, "%lld", transaction);
	snprintf(c->subjects, sizeof c->subjects, "%lld", subject);
	snprintf(c->category, sizeof c->category, "%s", category);
	c->shown_type = -1;
	md_result_init(&c->household);
	panel_init(&c->p);
	c->type = panel_choice(&c->p, "type", _("Certificate"), type_codes, type_names, NTYPES);
	c->members = panel_pick(&c->p, "members", _("Members (世帯全員 or some)"), 1);
	c->format = panel_choice(&c->p, "format", _("Format"), format_codes, format_names, 2);
	c->history = panel_toggle(&c->p, "history", _("With history (履歴)"));
	c->include = panel_pick(&c->p, "include", _("Also print (omitted unless chosen)"), 1);
	for (size_t i = 0; i < sizeof include_items / sizeof include_items[0]; i++)
		panel_pick_add(&c->p, c->include, include_items[i][0], include_items[i][1], NULL, 0);
	c->items = panel_pick(&c->p, "items", _("Items certified"), 1);
	for (size_t i = 0; i < sizeof kisai_items / sizeof kisai_items[0]; i++)
		panel_pick_add(&c->p, c->items, kisai_items[i][0], kisai_items[i][1], NULL, 0);
	c->honseki_purpose = panel_toggle(&c->p, "purpose_needs_honseki",
	                                  _("The purpose needs 本籍・筆頭者"));
	c->copies = panel_text(&c->p, "copies", _("Copies"), 2, 0);
	le_set_utf8(&c->p.rows[c->copies].le, "1");
	c->card_no = panel_text(&c->p, "card_no", _("印鑑登録証 number"), 20, 0);
	load_household(c, app);
	/* A removed subject (除票) gets a 除票の写し to begin with. */
	for (int r = 0; c->household_loaded && r < c->household.table.nrows; r++)
		if (strcmp(hcell(c, r, "atena"), c->subjects) == 0 && !member_active(hcell(c, r, "status")))
			c->p.rows[c->type].choice = T_JOSHU;
	cert_rows(c);
	return screen_new(&cert_class, c);
}
