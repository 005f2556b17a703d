/* scr_menu.c: the main menu. An entry shows only when the core would let
 * this user run its command (md_cmd_allowed); the core refuses it anyway if
 * it is reached some other way. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ctx.h"
#include "i18n.h"
#include "screens.h"
#include "tui.h"
#include "xalloc.h"

enum item_kind {
	ITEM_COUNTER, ITEM_SEARCH, ITEM_INTAKE, ITEM_QUEUE, ITEM_MINE, ITEM_PROTECT, ITEM_STATS,
	ITEM_INQUIRY,
	ITEM_AUDIT_REVIEW,
	ITEM_SEAL, ITEM_CERTADMIN,
	ITEM_REVOCATIONS, ITEM_ACCESS_REVIEW,
	ITEM_REPORTS,
	ITEM_PASSWD, ITEM_USERS, ITEM_AUDIT_VERIFY, ITEM_LOCK, ITEM_LOGOUT
};

struct item {
	enum item_kind kind;
	const char *command;   /* what must be allowed for the entry to show */
	const char *label;     /* N_() */
};

static const struct item all_items[] = {
	{ ITEM_COUNTER, "counter.open", N_("Counter reception (窓口受付)") },
	{ ITEM_SEARCH, "resident.search", N_("Resident search (住民検索)") },
	{ ITEM_INTAKE, "change.save", N_("Record a change (異動の入力)") },
	{ ITEM_MINE, "change.mine", N_("My changes") },
	{ ITEM_QUEUE, "change.queue", N_("Approve changes (審査・決裁)") },
	{ ITEM_SEAL, "seal.register", N_("Seal registration (印鑑登録)") },
	{ ITEM_CERTADMIN, "cert.summary", N_("Certificate supervision (交付管理)") },
	{ ITEM_PROTECT, "support.list", N_("抑止 and 支援措置") },
	{ ITEM_STATS, "stats", N_("Statistics") },
	{ ITEM_REPORTS, "report.daily", N_("Daily report (日報)") },
	{ ITEM_USERS, "user.list", N_("User administration") },
	{ ITEM_AUDIT_REVIEW, "audit.search", N_("Review the audit log (監査ログの確認)") },
	{ ITEM_REVOCATIONS, "user.revocations", N_("Revocation register (失効・取消の記録)") },
	{ ITEM_ACCESS_REVIEW, "user.review", N_("Access review (アクセス権の棚卸し)") },
	{ ITEM_AUDIT_VERIFY, "audit.verify", N_("Verify the audit log") },
	{ ITEM_INQUIRY, "inquiry.list", N_("Inquiries and disclosure requests (問合せ・開示請求)") },
	{ ITEM_PASSWD, "passwd", N_("Change password") },
	{ ITEM_LOCK, "lock", N_("Lock the screen") },
	{ ITEM_LOGOUT, "logout", N_("Log out") },
};
#define NITEMS (int)(sizeof all_items / sizeof all_items[0])

struct menu {
	const struct item *items[NITEMS];
	int n;
	int sel;
};

static const struct keybind menu_keys[] = {
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void menu_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct menu *m = s->data;
	char line[160];
	/* One column while the entries fit (the hint below them when there is
	 * room); otherwise two, without the hint. */
	int per = rows - 1 >= m->n ? m->n : (m->n + 1) / 2;
	int colw = per == m->n ? cols - 8 : (cols - 8) / 2;

	for (int i = 0; i < m->n; i++) {
		int x = 4 + (i / per) * colw, y = top + 1 + i % per;
		snprintf(line, sizeof line, " %c. %s ", i < 9 ? '1' + i : 'a' + (i - 9), _(m->items[i]->label));
		if (i == m->sel)
			attron(A_REVERSE);
		draw_text(w, y, x, colw - 1, line);
		if (i == m->sel)
			attroff(A_REVERSE);
	}
	if (per == m->n && top + 2 + m->n < top + rows)
		draw_text(w, top + 2 + m->n, 4, cols - 8, _("Choose with the arrows and Enter, or the number."));
}

static int choose(struct screen *s, struct app *app)
{
	struct menu *m = s->data;
	const struct item *it = m->items[m->sel];
	struct md_result res;
	struct md_error err;

	app->message[0] = '\0';
	switch (it->kind) {
	case ITEM_COUNTER:
		app->next = counter_screen_new(app);
		return SCR_PUSH;
	case ITEM_SEARCH:
		app->next = search_screen_new(app);
		return SCR_PUSH;
	case ITEM_INTAKE:
		app->next = chooser_screen_new(app, 0, 0);
		return SCR_PUSH;
	case ITEM_QUEUE:
		app->next = queue_screen_new(app);
		return SCR_PUSH;
	case ITEM_MINE:
		app->next = mine_screen_new(app);
		return SCR_PUSH;
	case ITEM_PROTECT:
		app->next = protect_screen_new(app);
		return SCR_PUSH;
	case ITEM_SEAL:
		app->next = seal_pick_screen_new(app);
		return SCR_PUSH;
	case ITEM_CERTADMIN:
		app->next = certadmin_screen_new(app);
		return SCR_PUSH;
	case ITEM_STATS:
		app->next = stats_screen_new(app);
		return SCR_PUSH;
	case ITEM_INQUIRY:
		app->next = inquiry_screen_new(app);
		return SCR_PUSH;
	case ITEM_REPORTS:
		app->next = reports_screen_new(app);
		return SCR_PUSH;
	case ITEM_PASSWD:
		app->next = passwd_screen_new(app, 0);
		return SCR_PUSH;
	case ITEM_USERS:
		app->next = users_screen_new(app);
		return SCR_PUSH;
	case ITEM_REVOCATIONS:
		app->next = revocations_screen_new(app);
		return SCR_PUSH;
	case ITEM_ACCESS_REVIEW:
		app->next = access_review_screen_new(app);
		return SCR_PUSH;
	case ITEM_AUDIT_VERIFY: {
		long n = 0;
		md_result_init(&res);
		/* The command's line stays untranslated for scripts; the screen
		 * says it in the user's language. */
		if (app_exec(app, "audit.verify", NULL, &res, &err) == MD_OK && res.message &&
		    sscanf(res.message, "audit chain intact: %ld entries", &n) == 1)
			app_message(app, 0, _("The audit log is intact: %ld entries verified"), n);
		md_result_release(&res);
		return SCR_REDRAW;
	}
	case ITEM_AUDIT_REVIEW:
		app->next = audit_screen_new(app);
		return SCR_PUSH;
	case ITEM_LOCK:
		app_lock(app, "menu");
		return SCR_NONE;
	case ITEM_LOGOUT:
		app_logout(app, _("You have logged out."));
		return SCR_NONE;
	}
	return SCR_NONE;
}

static int menu_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct menu *m = s->data;

	if (k.is_key && k.code == KEY_UP) {
		m->sel = (m->sel + m->n - 1) % m->n;
		return SCR_REDRAW;
	}
	if (k.is_key && k.code == KEY_DOWN) {
		m->sel = (m->sel + 1) % m->n;
		return SCR_REDRAW;
	}
	if ((k.is_key && k.code == KEY_ENTER) || (!k.is_key && (k.code == '\r' || k.code == '\n')))
		return choose(s, app);
	if (!k.is_key && k.code >= '1' && k.code <= '9' && (int)(k.code - '1') < m->n) {
		m->sel = (int)(k.code - '1');
		return choose(s, app);
	}
	if (!k.is_key && k.code >= 'a' && k.code <= 'z' && (int)(k.code - 'a') + 9 < m->n) {
		m->sel = (int)(k.code - 'a') + 9;
		return choose(s, app);
	}
	return SCR_NONE;
}

static void menu_free(struct screen *s)
{
	free(s->data);
}

static const struct screen_class menu_class = {
	"menu", N_("Main menu"), menu_keys, 1, menu_draw, menu_key, menu_free
};

struct screen *menu_screen_new(struct app *app)
{
	struct menu *m = xcalloc(1, sizeof *m);
	for (int i = 0; i < NITEMS; i++)
		if (md_cmd_allowed(app->ctx, all_items[i].command))
			m->items[m->n++] = &all_items[i];
	return screen_new(&menu_class, m);
}
