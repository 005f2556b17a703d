/* scr_counter.c: the counter transaction (窓口受付, counter.md §1): reception
 * (what is requested: counter open), the transaction's own screen with its
 * steps, identity verification (counter verify), the subject looked up
 * within the request (resident search, then counter subject), 番号確認
 * (counter mynumber-check), the action (certificates: scr_cert.c;
 * notifications: the intake chooser; other: the record), and close (fee,
 * hand-over) or cancel, after which every screen of the transaction goes and
 * the menu shows. The core checks and logs every step; these screens show
 * what it says. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "codes.h"
#include "counter.h"
#include "ctx.h"
#include "form.h"
#include "i18n.h"
#include "panel.h"
#include "scr_list.h"
#include "screens.h"
#include "tui.h"
#include "xalloc.h"

/* The state of the open transaction, as the core reported it step by step;
 * owned by the transaction's screen, which is below every other screen of
 * the transaction. */
struct tx {
	long long id;
	char ids[24];
	char request[16];         /* certificate, notification, other */
	char title[160];
	char memo[512];           /* the reception's memo, "" none */
	int verified;             /* a verification is recorded */
	int identified;           /* ... and it is 'verified' (documents), not questioning */
	char category[24];        /* its applicant category (code) */
	char verify_text[512];    /* the core's message of it */
	long long applicant;      /* 同一世帯員: the applicant's own 宛名番号 */
	char applicant_name[160];
	long long subject;
	char subject_name[160];
	long long pending_ack;    /* the person whose alert the core asked to acknowledge */
	int subject_acked;        /* the subject was chosen after acknowledging an alert */
	int mynumber;             /* 番号確認: 0 not done, 1 match, -1 mismatch */
};

static const char *const category_codes[] = { "self", "household", "agent", "third_party", "official",
	                                       "professional" };
static const char *const category_terms[] = { "本人", "同一世帯員", "代理人", "第三者", "公用", "職務上請求" };
#define NCATEGORIES 6

static const char *category_term(const char *code)
{
	for (int i = 0; i < NCATEGORIES; i++)
		if (strcmp(category_codes[i], code) == 0)
			return category_terms[i];
	return code;
}

static const char *request_label(const char *request)
{
	if (strcmp(request, "certificate") == 0)
		return _("Certificate (証明書の交付)");
	if (strcmp(request, "notification") == 0)
		return _("Notification (届出)");
	if (strcmp(request, "seal") == 0)
		return _("Seal registration (印鑑登録)");
	return _("Other");
}

static int field_row_error(struct panel *p, struct app *app, const struct md_error *err)
{
	int r = panel_find(p, err->field);
	if (r >= 0 && panel_focus_key(p, err->field))
		app_message(app, 1, "%s: %s", p->rows[r].label, err->msg);
	return SCR_REDRAW;
}

/* ---- identity verification (本人確認) ------------------------------------------------------ */

struct verify {
	struct tx *tx;
	struct panel p;
	int category, name, documents, photo, letter, purpose, questioning;
};

static const struct keybind verify_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Record"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

/* Rows that apply to the category chosen. */
static void verify_rows(struct verify *v)
{
	const char *c = panel_code(&v->p, v->category);
	panel_show(&v->p, v->letter, strcmp(c, "agent") == 0);
	panel_show(&v->p, v->purpose, strcmp(c, "third_party") == 0 || strcmp(c, "professional") == 0 ||
	                              strcmp(c, "official") == 0);
}

static void verify_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct verify *v = s->data;
	draw_text(w, top, 2, cols - 4, _("Who is at the counter, and what they showed."));
	draw_text(w, top + 1, 2, cols - 4, _("Nothing of the subject is shown before this is recorded."));
	panel_draw(&v->p, s, w, top + 3, rows - 3, cols);
}

static int verify_submit(struct screen *s, struct app *app)
{
	struct verify *v = s->data;
	struct md_args args;
	struct md_result res;
	struct md_error err;
	char *name = panel_value(&v->p, v->name), *purpose = panel_value(&v->p, v->purpose);
	char *docs = panel_picked(&v->p, v->documents);
	const char *cat = panel_code(&v->p, v->category);
	int rc, flags = SCR_REDRAW;

	md_args_init(&args);
	md_args_set(&args, "transaction", v->tx->ids);
	md_args_set(&args, "category", cat);
	md_args_set(&args, "applicant_name", name);
	if (*docs)
		md_args_set(&args, "documents", docs);
	if (panel_on(&v->p, v->photo))
		md_args_set(&args, "photo_matched", "1");
	if (!v->p.rows[v->letter].hidden && panel_on(&v->p, v->letter))
		md_args_set(&args, "letter_of_authority", "1");
	if (!v->p.rows[v->purpose].hidden && *purpose)
		md_args_set(&args, "purpose", purpose);
	if (panel_on(&v->p, v->questioning))
		md_args_set(&args, "questioning", "1");
	md_result_init(&res);
	rc = app_exec(app, "counter.verify", &args, &res, &err);
	if (rc == MD_OK) {
		struct tx *t = v->tx;
		/* A new verification replaces the earlier and clears the subject. */
		t->verified = 1;
		t->identified = res.table.nrows > 0 && strcmp(res.table.rows[0][3], "verified") == 0;
		snprintf(t->category, sizeof t->category, "%s", cat);
		if (t->identified && strcmp(cat, "agent") == 0)
			snprintf(t->verify_text, sizeof t->verify_text, _("%s %s: verified (%s), 委任状 presented"),
			         category_term(cat), name, res.table.rows[0][4]);
		else if (t->identified)
			snprintf(t->verify_text, sizeof t->verify_text, _("%s %s: verified (%s)"), category_term(cat),
			         name, res.table.rows[0][4]);
		else
			snprintf(t->verify_text, sizeof t->verify_text,
			         _("%s %s: questioning (聞き取り), identity not verified"), category_term(cat), name);
		t->subject = 0;
		t->subject_name[0] = '\0';
		t->applicant = 0;
		t->applicant_name[0] = '\0';
		t->pending_ack = 0;
		t->mynumber = 0;
		flags = SCR_CLOSE;
	} else {
		flags = field_row_error(&v->p, app, &err);
	}
	md_result_release(&res);
	free(name);
	free(purpose);
	free(docs);
	return flags;
}

static int verify_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct verify *v = s->data;
	int r;

	if (a == ACT_BACK)
		return SCR_CLOSE;
	if (a == ACT_SUBMIT)
		return verify_submit(s, app);
	r = panel_key(&v->p, app, k);
	verify_rows(v);
	if (r < 0 && ((k.is_key && k.code == KEY_ENTER) || (!k.is_key && (k.code == '\r' || k.code == '\n'))))
		return verify_submit(s, app);
	return r < 0 ? SCR_NONE : r;
}

static void verify_free(struct screen *s)
{
	struct verify *v = s->data;
	panel_release(&v->p);
	free(v);
}

static const struct screen_class verify_class = {
	"counter.verify", N_("Identity verification (本人確認)"), verify_keys, 1, verify_draw, verify_key,
	verify_free
};

static struct screen *verify_screen_new(struct tx *tx)
{
	struct verify *v = xcalloc(1, sizeof *v);
	const struct md_tsv *docs = md_counter_documents(NULL);

	v->tx = tx;
	panel_init(&v->p);
	v->category = panel_choice(&v->p, "category", _("Applicant (申請者の区分)"), category_codes,
	                           category_terms, NCATEGORIES);
	v->name = panel_text(&v->p, "applicant_name", _("Applicant's name"), 60, 0);
	v->documents = panel_pick(&v->p, "documents", _("Documents presented"), 1);
	for (int i = 0; docs && i < docs->nrows; i++) {
		const char *group = md_tsv_get(docs, i, "group");
		const char *note = strcmp(group, "photo") == 0 ? _("photo ID: one is enough")
		                   : strcmp(group, "second") == 0 ? _("two of these are needed")
		                   : _("counts only with another document");
		panel_pick_add(&v->p, v->documents, md_tsv_get(docs, i, "code"), md_tsv_get(docs, i, "name"),
		               note, 0);
	}
	v->photo = panel_toggle(&v->p, "photo_matched", _("Photo matches the applicant"));
	v->letter = panel_toggle(&v->p, "letter_of_authority", _("委任状 presented"));
	v->purpose = panel_text(&v->p, "purpose", _("Purpose (and registration number)"), 200, 0);
	v->questioning = panel_toggle(&v->p, "questioning", _("Questioning (聞き取り) instead"));
	verify_rows(v);
	return screen_new(&verify_class, v);
}

/* ---- the subject (対象者) ---------------------------------------------------------------- */

static const struct keybind subject_list_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Subject"), 0 },
	{ ACT_GRANT, 6, 0, N_("Applicant"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static int set_subject(struct app *app, struct tx *t, const char *atena, const char *name)
{
	struct md_args args;
	struct md_result res;
	struct md_error err;
	long long person = strtoll(atena, NULL, 10);
	char app_id[24];
	int rc;

	md_args_init(&args);
	md_args_set(&args, "transaction", t->ids);
	md_args_set(&args, "person", atena);
	if (strcmp(t->category, "self") == 0) {
		md_args_set(&args, "applicant_person", atena);
	} else if (strcmp(t->category, "household") == 0) {
		if (!t->applicant) {
			app_message(app, 1, "%s",
			            _("同一世帯員: first mark the applicant's own record with F6, then choose the subject."));
			return SCR_REDRAW;
		}
		snprintf(app_id, sizeof app_id, "%lld", t->applicant);
		md_args_set(&args, "applicant_person", app_id);
	}
	if (t->pending_ack == person)
		md_args_set(&args, "ack", "1");
	md_result_init(&res);
	rc = md_cmd_exec(app->ctx, "counter.subject", &args, &res, &err);
	if (rc == MD_OK) {
		app_message(app, 0, "%s", res.message ? res.message : "");
		t->subject = person;
		snprintf(t->subject_name, sizeof t->subject_name, "%s", name ? name : "");
		t->subject_acked = t->pending_ack == person;
		t->pending_ack = 0;
		t->mynumber = 0;
		md_result_release(&res);
		/* Back to the transaction: the results and the search form go. */
		return SCR_CLOSE | SCR_CLOSE_PARENT;
	}
	md_result_release(&res);
	if (strcmp(err.field, "ack") == 0) {
		t->pending_ack = person;
		app_message(app, 1, "%s %s", err.msg,
		            _("Enter: acknowledge (extra identity checks done) and continue; F3: back."));
	} else {
		t->pending_ack = 0;
		app_message(app, 1, "%s", err.msg);
	}
	return SCR_REDRAW;
}

static int subject_action(struct app *app, struct list *l, enum action a, const char *const *row, int n)
{
	struct tx *t = list_user(l);
	const char *atena = list_row_cell(l, row, "atena");

	if (!atena)
		return SCR_NONE;
	if (a == ACT_SUBMIT)
		return set_subject(app, t, atena, list_row_cell(l, row, "name"));
	if (a == ACT_GRANT) {
		if (strcmp(t->category, "household") != 0) {
			app_message(app, 1, "%s", _("F6 marks the applicant's own record: only for a 同一世帯員 request."));
			return SCR_REDRAW;
		}
		t->applicant = strtoll(atena, NULL, 10);
		snprintf(t->applicant_name, sizeof t->applicant_name, "%s", list_row_cell(l, row, "name"));
		app_message(app, 0, _("Applicant: %s (宛名番号 %s). Now choose the subject (Enter)."),
		            t->applicant_name, atena);
		return SCR_REDRAW;
	}
	return SCR_NONE;
}

struct subject {
	struct tx *tx;
	struct panel p;
	int removed;
};

static const struct keybind subject_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Search"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void subject_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct subject *su = s->data;
	char *line = xasprintf(_("Find the person the request is about (%s). Kana ignores voicing and small kana."),
	                       category_term(su->tx->category));
	int n = draw_wrapped(w, top, 2, cols - 4, 2, line);
	free(line);
	panel_draw(&su->p, s, w, top + n + 1, rows - n - 1, cols);
}

static int subject_search(struct screen *s, struct app *app)
{
	struct subject *su = s->data;
	static const int widths[] = { 8, 12, 14, 15, 4, 24, 8, 10 };
	struct list_spec spec = { _("Choose the subject (Enter), or with F6 the applicant (同一世帯員)"),
		                  "resident.search", subject_list_keys, subject_action, widths, su->tx, NULL };
	struct md_args args;
	char *vals[PANEL_MAX];
	int n = 0, any = 0;

	md_args_init(&args);
	for (int i = 0; i < su->p.n; i++) {
		if (su->p.rows[i].kind != PR_TEXT)
			continue;
		vals[n] = panel_value(&su->p, i);
		if (*vals[n]) {
			md_args_set(&args, su->p.rows[i].key, vals[n]);
			any = 1;
		}
		n++;
	}
	if (!any) {
		app_message(app, 1, "%s", _("Give at least one search key: the lookup is limited to the request."));
	} else {
		if (panel_on(&su->p, su->removed))
			md_args_set(&args, "removed", "1");
		app->next = list_screen_new(&spec, &args);
	}
	for (int i = 0; i < n; i++)
		free(vals[i]);
	return any ? SCR_PUSH : SCR_REDRAW;
}

static int subject_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct subject *su = s->data;
	int r;

	if (a == ACT_BACK)
		return SCR_CLOSE;
	if (a == ACT_SUBMIT)
		return subject_search(s, app);
	r = panel_key(&su->p, app, k);
	if (r < 0 && ((k.is_key && k.code == KEY_ENTER) || (!k.is_key && (k.code == '\r' || k.code == '\n'))))
		return subject_search(s, app);
	return r < 0 ? SCR_NONE : r;
}

static void subject_free(struct screen *s)
{
	struct subject *su = s->data;
	panel_release(&su->p);
	free(su);
}

static const struct screen_class subject_class = {
	"counter.subject", N_("Subject of the request (対象者)"), subject_keys, 1, subject_draw, subject_key,
	subject_free
};

static struct screen *subject_screen_new(struct tx *tx)
{
	struct subject *su = xcalloc(1, sizeof *su);
	su->tx = tx;
	panel_init(&su->p);
	panel_text(&su->p, "name", _("Name (kanji or kana)"), 60, 0);
	panel_text(&su->p, "birth", _("Date of birth"), 30, 0);
	panel_text(&su->p, "address", _("Address"), 100, 0);
	panel_text(&su->p, "atena", "宛名番号", 12, 0);
	su->removed = panel_toggle(&su->p, "removed", _("Include removed records (除票)"));
	panel_show(&su->p, su->removed, strcmp(tx->request, "certificate") == 0);
	return screen_new(&subject_class, su);
}

/* ---- 番号確認 ------------------------------------------------------------------------------ */

struct numcheck {
	struct tx *tx;
	struct panel p;
};

static const struct keybind numcheck_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Check"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void numcheck_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct numcheck *nc = s->data;
	char *line = xasprintf(_("The 個人番号, name and date of birth on the card the applicant gives, compared with the record of %s. The number is never stored or shown."),
	                       nc->tx->subject_name);
	int n = draw_wrapped(w, top, 2, cols - 4, 2, line);
	free(line);
	panel_draw(&nc->p, s, w, top + n + 1, rows - n - 1, cols);
}

static int numcheck_submit(struct screen *s, struct app *app)
{
	struct numcheck *nc = s->data;
	struct md_args args;
	struct md_result res;
	struct md_error err;
	char *num = panel_value(&nc->p, 0);
	char *name = panel_value(&nc->p, 1);
	char *birth = panel_value(&nc->p, 2);
	int rc;

	md_args_init(&args);
	md_args_set(&args, "transaction", nc->tx->ids);
	md_args_set(&args, "mynumber", num);
	md_args_set(&args, "name", name);
	md_args_set(&args, "birth_date", birth);
	md_result_init(&res);
	rc = app_exec(app, "counter.mynumber_check", &args, &res, &err);
	md_result_release(&res);
	md_free_secret(&num);
	free(name);
	free(birth);
	le_clear(&nc->p.rows[0].le);
	if (rc == MD_OK) {
		nc->tx->mynumber = 1;
		return SCR_CLOSE;
	}
	/* A number that is not one stays here to be typed again; a mismatch is
	 * recorded by the core, blocks the later steps and asks for a new
	 * verification: back to the transaction, which shows it. */
	if (rc == MD_E_DENIED) {
		nc->tx->mynumber = -1;
		return SCR_CLOSE;
	}
	return field_row_error(&nc->p, app, &err);
}

static int numcheck_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct numcheck *nc = s->data;
	int r;

	if (a == ACT_BACK)
		return SCR_CLOSE;
	if (a == ACT_SUBMIT)
		return numcheck_submit(s, app);
	r = panel_key(&nc->p, app, k);
	if (r < 0 && ((k.is_key && k.code == KEY_ENTER) || (!k.is_key && (k.code == '\r' || k.code == '\n'))))
		return numcheck_submit(s, app);
	return r < 0 ? SCR_NONE : r;
}

static void numcheck_free(struct screen *s)
{
	struct numcheck *nc = s->data;
	panel_release(&nc->p);
	free(nc);
}

static const struct screen_class numcheck_class = {
	"counter.mynumber", N_("番号確認"), numcheck_keys, 1, numcheck_draw, numcheck_key, numcheck_free
};

static struct screen *numcheck_screen_new(struct tx *tx)
{
	struct numcheck *nc = xcalloc(1, sizeof *nc);
	nc->tx = tx;
	panel_init(&nc->p);
	panel_text(&nc->p, "mynumber", "個人番号", 14, 1);
	/* The card's other two items: the core compares all three. */
	panel_text(&nc->p, "name", _("Name on the card"), 40, 0);
	panel_text(&nc->p, "birth_date", _("Date of birth on the card"), 20, 0);
	return screen_new(&numcheck_class, nc);
}

/* ---- close and cancel -------------------------------------------------------------------- */

struct ending {
	struct tx *tx;
	int cancel;
	long long fee;
	struct panel p;           /* cancel: the reason */
};

static const struct keybind close_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Handed over: close"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static const struct keybind cancel_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Cancel the transaction"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void ending_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct ending *e = s->data;
	char *line;

	if (e->cancel) {
		int n = draw_wrapped(w, top, 2, cols - 4, 2,
		                     _("Cancel this transaction: nothing was issued and no fee is due. The reason is recorded."));
		panel_draw(&e->p, s, w, top + n + 1, rows - n - 1, cols);
		return;
	}
	attron(A_BOLD);
	line = xasprintf(_("Fee to collect: %lld yen"), e->fee);
	draw_text(w, top + 1, 4, cols - 8, line);
	free(line);
	attroff(A_BOLD);
	draw_wrapped(w, top + 3, 4, cols - 8, 2, _("Hand the documents over and collect the fee, then press F5."));
	if (strcmp(e->tx->request, "notification") == 0 && !e->tx->identified)
		draw_wrapped(w, top + 6, 4, cols - 8, 2,
		             _("The applicant's identity was not confirmed: a 確認通知 goes to the registered address."));
	draw_wrapped(w, top + 9, 4, cols - 8, 2,
	             _("After closing, every screen of this transaction is cleared and the menu shows."));
}

/* The transaction's fee, as the core has it. */
static long long fee_of(struct app *app, struct tx *t)
{
	struct md_args args;
	struct md_result res;
	struct md_error err;
	long long fee = 0;

	md_args_init(&args);
	md_args_set(&args, "transaction", t->ids);
	md_result_init(&res);
	if (md_cmd_exec(app->ctx, "counter.show", &args, &res, &err) == MD_OK)
		for (int i = 0; i < res.table.nrows; i++)
			if (strcmp(res.table.rows[i][0], _("fee (yen)")) == 0)
				fee = strtoll(res.table.rows[i][1], NULL, 10);
	md_result_release(&res);
	return fee;
}

static int ending_submit(struct screen *s, struct app *app)
{
	struct ending *e = s->data;
	struct md_args args;
	struct md_result res;
	struct md_error err;
	char *reason = NULL, msg[1024];
	int rc;

	md_args_init(&args);
	md_args_set(&args, "transaction", e->tx->ids);
	md_result_init(&res);
	if (e->cancel) {
		reason = panel_value(&e->p, 0);
		if (*reason)
			md_args_set(&args, "reason", reason);
		rc = app_exec(app, "counter.cancel", &args, &res, &err);
		free(reason);
	} else {
		rc = app_exec(app, "counter.close", &args, &res, &err);
	}
	if (rc != MD_OK) {
		md_result_release(&res);
		return SCR_REDRAW;
	}
	snprintf(msg, sizeof msg, "%s", res.message ? res.message : "");
	if (!e->cancel && res.table.nrows > 0 && res.table.rows[0][2][0]) {
		/* The 確認通知 the close created: printed at once. */
		struct md_result lr;
		md_args_init(&args);
		md_args_set(&args, "id", res.table.rows[0][2]);
		md_args_set(&args, "kind", "confirmation");
		md_result_init(&lr);
		if (md_cmd_exec(app->ctx, "cert.letter", &args, &lr, &err) == MD_OK)
			app_message(app, 0, "%s %s", msg, lr.message ? lr.message : "");
		else
			app_message(app, 1, "%s %s", msg, err.msg);
		md_result_release(&lr);
	}
	md_result_release(&res);
	/* Nothing of the subject stays: the whole stack goes, the menu shows. */
	app->next = menu_screen_new(app);
	return SCR_RESET;
}

static int ending_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct ending *e = s->data;
	int r;

	if (a == ACT_BACK)
		return SCR_CLOSE;
	if (a == ACT_SUBMIT)
		return ending_submit(s, app);
	if (!e->cancel)
		return SCR_NONE;
	r = panel_key(&e->p, app, k);
	if (r < 0 && ((k.is_key && k.code == KEY_ENTER) || (!k.is_key && (k.code == '\r' || k.code == '\n'))))
		return ending_submit(s, app);
	return r < 0 ? SCR_NONE : r;
}

static void ending_free(struct screen *s)
{
	struct ending *e = s->data;
	panel_release(&e->p);
	free(e);
}

static const struct screen_class close_class = {
	"counter.close", N_("Close the transaction (fee and hand-over)"), close_keys, 1, ending_draw,
	ending_key, ending_free
};
static const struct screen_class cancel_class = {
	"counter.cancel", N_("Cancel the transaction"), cancel_keys, 1, ending_draw, ending_key, ending_free
};

static struct screen *ending_screen_new(struct app *app, struct tx *tx, int cancel)
{
	struct ending *e = xcalloc(1, sizeof *e);
	e->tx = tx;
	e->cancel = cancel;
	panel_init(&e->p);
	if (cancel)
		panel_text(&e->p, "reason", _("Reason"), 200, 0);
	else
		e->fee = fee_of(app, tx);
	return screen_new(cancel ? &cancel_class : &close_class, e);
}

/* ---- the transaction ------------------------------------------------------------------------ */

static const struct keybind tx_cert_keys[] = {
	{ ACT_ADD, 2, 0, N_("Verify identity"), 0 },
	{ ACT_DISABLE, 4, 0, N_("Subject"), 0 },
	{ ACT_SUBMIT, 5, 0, N_("Certificate"), 0 },
	{ ACT_GRANT, 6, 0, N_("番号確認"), 0 },
	{ ACT_REVOKE, 7, 0, N_("Close"), 0 },
	{ ACT_UNLOCK_USER, 8, 0, N_("Cancel"), 0 },
	{ ACT_BACK, 3, 0, NULL, 1 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};
static const struct keybind tx_notif_keys[] = {
	{ ACT_ADD, 2, 0, N_("Verify identity"), 0 },
	{ ACT_DISABLE, 4, 0, N_("Subject"), 0 },
	{ ACT_SUBMIT, 5, 0, N_("Notification"), 0 },
	{ ACT_GRANT, 6, 0, N_("番号確認"), 0 },
	{ ACT_REVOKE, 7, 0, N_("Close"), 0 },
	{ ACT_UNLOCK_USER, 8, 0, N_("Cancel"), 0 },
	{ ACT_BACK, 3, 0, NULL, 1 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};
static const struct keybind tx_seal_keys[] = {
	{ ACT_ADD, 2, 0, N_("Verify identity"), 0 },
	{ ACT_DISABLE, 4, 0, N_("Subject"), 0 },
	{ ACT_SUBMIT, 5, 0, N_("Seal registration"), 0 },
	{ ACT_GRANT, 6, 0, N_("番号確認"), 0 },
	{ ACT_REVOKE, 7, 0, N_("Close"), 0 },
	{ ACT_UNLOCK_USER, 8, 0, N_("Cancel"), 0 },
	{ ACT_BACK, 3, 0, NULL, 1 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};
static const struct keybind tx_other_keys[] = {
	{ ACT_ADD, 2, 0, N_("Verify identity"), 0 },
	{ ACT_DISABLE, 4, 0, N_("Subject"), 0 },
	{ ACT_SUBMIT, 5, 0, N_("Record"), 0 },
	{ ACT_GRANT, 6, 0, N_("番号確認"), 0 },
	{ ACT_REVOKE, 7, 0, N_("Close"), 0 },
	{ ACT_UNLOCK_USER, 8, 0, N_("Cancel"), 0 },
	{ ACT_BACK, 3, 0, NULL, 1 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

/* A step's line, wrapped over at most two lines; returns the next row. */
static int step(WINDOW *w, int y, int cols, const char *name, const char *state)
{
	char *line = xasprintf("%s  %s", name, state);
	int n = draw_wrapped(w, y, 4, cols - 8, 2, line);
	free(line);
	return y + (n > 1 ? n : 1) + 1;
}

static void tx_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct tx *t = s->data;
	char buf[512];
	int y = top + 1;

	snprintf(buf, sizeof buf, _("Request: %s"), request_label(t->request));
	draw_text(w, y, 4, cols - 8, buf);
	if (t->memo[0]) {
		snprintf(buf, sizeof buf, _("Memo: %s"), t->memo);
		draw_text(w, ++y, 4, cols - 8, buf);
	}
	y += 2;
	y = step(w, y, cols, _("1. Identity (F2):"), t->verified ? t->verify_text : _("not verified yet"));
	if (t->subject) {
		snprintf(buf, sizeof buf, "%s (宛名番号 %lld)", t->subject_name, t->subject);
		y = step(w, y, cols, _("2. Subject (F4):"), buf);
	} else {
		y = step(w, y, cols, _("2. Subject (F4):"), t->verified ? _("not chosen yet")
		                                                        : _("after the identity verification"));
	}
	if (t->applicant) {
		snprintf(buf, sizeof buf, _("applicant %s (宛名番号 %lld)"), t->applicant_name, t->applicant);
		draw_text(w, y - 1, 8, cols - 12, buf);
		y++;
	}
	y = step(w, y, cols, _("   番号確認 (F6):"), t->mynumber > 0 ? _("the number matches the registry")
	                                             : t->mynumber < 0 ? _("MISMATCH: verify the applicant again (F2)")
	                                                               : _("not done (optional)"));
	if (strcmp(t->request, "certificate") == 0)
		y = step(w, y, cols, _("3. Action (F5):"), _("the certificate form, preview and issue"));
	else if (strcmp(t->request, "notification") == 0)
		y = step(w, y, cols, _("3. Action (F5):"), _("record the notification (異動の入力)"));
	else if (strcmp(t->request, "seal") == 0)
		y = step(w, y, cols, _("3. Action (F5):"), _("register, answer an inquiry (照会書) or cancel a seal"));
	else
		y = step(w, y, cols, _("3. Action (F5):"), _("the subject's record"));
	step(w, y, cols, _("4. Close (F7):"), _("fee and hand-over; or F8 to cancel"));
}

/* The subject's household (世帯番号), from the record, for the intake. */
static long long household_of(struct app *app, struct tx *t)
{
	struct md_args args;
	struct md_result res;
	struct md_error err;
	long long h = 0;
	char id[24];

	snprintf(id, sizeof id, "%lld", t->subject);
	md_args_init(&args);
	md_args_set(&args, "id", id);
	/* Only the alert the clerk acknowledged when choosing the subject. */
	if (t->subject_acked)
		md_args_set(&args, "ack", "1");
	md_result_init(&res);
	if (md_cmd_exec(app->ctx, "resident.view", &args, &res, &err) == MD_OK)
		for (int i = 0; i < res.table.nrows; i++)
			if (strcmp(res.table.rows[i][0], "世帯番号") == 0)
				h = strtoll(res.table.rows[i][1], NULL, 10);
	md_result_release(&res);
	return h;
}

static int tx_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct tx *t = s->data;

	switch (a) {
	case ACT_BACK:
		app_message(app, 1, "%s", _("The transaction is open: close it (F7) or cancel it (F8)."));
		return SCR_REDRAW;
	case ACT_ADD:
		app->next = verify_screen_new(t);
		return SCR_PUSH;
	case ACT_DISABLE:
		if (!t->verified) {
			app_message(app, 1, "%s", _("Verify the applicant's identity first (F2): nothing of the subject is shown before."));
			return SCR_REDRAW;
		}
		app->next = subject_screen_new(t);
		return SCR_PUSH;
	case ACT_GRANT:
		if (!t->subject) {
			app_message(app, 1, "%s", _("Choose the subject first (F4)."));
			return SCR_REDRAW;
		}
		app->next = numcheck_screen_new(t);
		return SCR_PUSH;
	case ACT_SUBMIT:
		if (!t->subject) {
			app_message(app, 1, "%s", t->verified ? _("Choose the subject first (F4).")
			                                      : _("Verify the applicant's identity first (F2): nothing of the subject is shown before."));
			return SCR_REDRAW;
		}
		if (strcmp(t->request, "certificate") == 0)
			app->next = cert_screen_new(app, t->id, t->subject, t->category);
		else if (strcmp(t->request, "notification") == 0)
			app->next = chooser_screen_new(app, t->subject, household_of(app, t));
		else if (strcmp(t->request, "seal") == 0)
			app->next = seal_screen_new(app, t->id);
		else {
			char id[24];
			snprintf(id, sizeof id, "%lld", t->subject);
			app->next = record_screen_new(app, id);
		}
		return SCR_PUSH;
	case ACT_REVOKE:
		app->next = ending_screen_new(app, t, 0);
		return SCR_PUSH;
	case ACT_UNLOCK_USER:
		app->next = ending_screen_new(app, t, 1);
		return SCR_PUSH;
	default:
		return SCR_NONE;
	}
}

static void tx_free(struct screen *s)
{
	free(s->data);
}

static const struct screen_class tx_cert_class = {
	"counter", N_("Counter transaction"), tx_cert_keys, 1, tx_draw, tx_key, tx_free
};
static const struct screen_class tx_notif_class = {
	"counter", N_("Counter transaction"), tx_notif_keys, 1, tx_draw, tx_key, tx_free
};
static const struct screen_class tx_seal_class = {
	"counter", N_("Counter transaction"), tx_seal_keys, 1, tx_draw, tx_key, tx_free
};
static const struct screen_class tx_other_class = {
	"counter", N_("Counter transaction"), tx_other_keys, 1, tx_draw, tx_key, tx_free
};

static struct screen *tx_screen_new(long long id, const char *request, const char *memo)
{
	struct tx *t = xcalloc(1, sizeof *t);
	struct screen *s;

	t->id = id;
	snprintf(t->ids, sizeof t->ids, "%lld", id);
	snprintf(t->request, sizeof t->request, "%s", request);
	snprintf(t->memo, sizeof t->memo, "%s", memo ? memo : "");
	snprintf(t->title, sizeof t->title, _("Counter transaction No. %lld: %s"), id, request_label(request));
	s = screen_new(strcmp(request, "certificate") == 0    ? &tx_cert_class
	               : strcmp(request, "notification") == 0 ? &tx_notif_class
	               : strcmp(request, "seal") == 0         ? &tx_seal_class
	                                                      : &tx_other_class, t);
	s->title = t->title;
	return s;
}

/* ---- reception (受付) ------------------------------------------------------------------------ */

static const char *const requests[] = { "certificate", "notification", "seal", "other" };
#define NREQUESTS 4

struct reception {
	int sel;
	int in_memo;              /* the focus is on the memo, not the list */
	struct form memo;         /* what was asked, in a few words (optional) */
};

static const struct keybind reception_keys[] = {
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void reception_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct reception *r = s->data;
	char line[200];
	int y = top + 2 + NREQUESTS + 1, cy = -1, cx = -1;

	draw_text(w, top, 2, cols - 4, _("What is requested? Choosing opens the transaction."));
	for (int i = 0; i < NREQUESTS; i++) {
		snprintf(line, sizeof line, " %d. %s ", i + 1, request_label(requests[i]));
		if (i == r->sel && !r->in_memo)
			attron(A_REVERSE);
		else if (i == r->sel)
			attron(A_BOLD);
		draw_text(w, top + 2 + i, 4, cols - 8, line);
		attroff(A_REVERSE | A_BOLD);
	}
	form_draw(&r->memo, w, y, 4, form_label_width(&r->memo) + 2,
	          cols - 10 - form_label_width(&r->memo), 1, &cy, &cx);
	s->cursor_y = r->in_memo ? cy : -1;
	s->cursor_x = r->in_memo ? cx : -1;
	draw_wrapped(w, y + 2, 4, cols - 8, 2,
	             r->in_memo ? _("Enter or Up: back to the list, then choose the request.")
	                        : _("Down past the list (or Tab): a memo of what was asked, kept with the transaction."));
}

static int reception_open(struct app *app, struct reception *r, int i)
{
	struct md_args args;
	struct md_result res;
	struct md_error err;
	char *memo = form_value(&r->memo, 0);
	long long id;

	md_args_init(&args);
	md_args_set(&args, "request", requests[i]);
	if (*memo)
		md_args_set(&args, "memo", memo);
	md_result_init(&res);
	if (app_exec(app, "counter.open", &args, &res, &err) != MD_OK || res.table.nrows < 1) {
		md_result_release(&res);
		free(memo);
		if (strcmp(err.field, "memo") == 0)
			r->in_memo = 1;
		return SCR_REDRAW;
	}
	id = strtoll(res.table.rows[0][0], NULL, 10);
	md_result_release(&res);
	app->next = tx_screen_new(id, requests[i], memo);
	free(memo);
	/* The reception screen goes: the transaction takes its place. */
	return SCR_CLOSE | SCR_PUSH;
}

static int reception_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct reception *r = s->data;
	int enter = (k.is_key && k.code == KEY_ENTER) || (!k.is_key && (k.code == '\r' || k.code == '\n'));

	if (a == ACT_BACK)
		return SCR_CLOSE;
	if (r->in_memo) {
		if (enter || (k.is_key && (k.code == KEY_UP || k.code == KEY_BTAB)) || (!k.is_key && k.code == '\t'))
			r->in_memo = 0;
		else if (k.is_key && k.code == KEY_DOWN)
			return SCR_NONE;
		else
			form_key(&r->memo, k);
		return SCR_REDRAW;
	}
	if (k.is_key && k.code == KEY_UP && r->sel > 0)
		r->sel--;
	else if (k.is_key && k.code == KEY_DOWN && r->sel + 1 < NREQUESTS)
		r->sel++;
	else if ((k.is_key && k.code == KEY_DOWN) || (!k.is_key && k.code == '\t'))
		r->in_memo = 1;
	else if (enter)
		return reception_open(app, r, r->sel);
	else if (!k.is_key && k.code >= '1' && k.code < '1' + NREQUESTS)
		return reception_open(app, r, (int)(k.code - '1'));
	return SCR_REDRAW;
}

static void reception_free(struct screen *s)
{
	struct reception *r = s->data;
	form_release(&r->memo);
	free(r);
}

static const struct screen_class reception_class = {
	"reception", N_("Counter reception (窓口受付)"), reception_keys, 1, reception_draw, reception_key,
	reception_free
};

struct screen *counter_screen_new(struct app *app)
{
	struct reception *r = xcalloc(1, sizeof *r);
	(void)app;
	form_init(&r->memo);
	form_add(&r->memo, "memo", _("Memo (optional)"), 160, 0);
	return screen_new(&reception_class, r);
}
