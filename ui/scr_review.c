/* scr_review.c: the review of provisional changes (審査・決裁): the queue
 * for approvers, a change's items before and after, approve and reject; and
 * the clerk's own changes with rejections and their reasons. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "i18n.h"
#include "scr_list.h"
#include "screens.h"
#include "tui.h"
#include "xalloc.h"

static const struct keybind show_approve_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Approve"), 0 },
	{ ACT_REVOKE, 6, 0, N_("Reject"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static const struct keybind show_mine_keys[] = {
	{ ACT_DISABLE, 8, 0, N_("Withdraw"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static const struct keybind queue_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Open"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

struct showinfo {
	char id[24];
	int approver;
	int ack;        /* the core asked for an alert to be acknowledged */
};

static int show_action(struct app *app, struct list *l, enum action a, const char *const *row, int n)
{
	const struct showinfo *si = list_user(l);
	const char *id = si->id;
	struct md_args args;
	struct md_result res;
	struct md_error err;

	md_args_init(&args);
	md_args_set(&args, "id", id);
	if (a == ACT_SUBMIT && si->approver) {
		struct showinfo *w = list_user(l);
		if (w->ack)
			md_args_set(&args, "ack", "1");
		md_result_init(&res);
		if (app_exec(app, "change.approve", &args, &res, &err) == MD_OK) {
			app->dirty = 1;
			md_result_release(&res);
			return SCR_CLOSE;
		}
		md_result_release(&res);
		/* An alert on a person of the change: the second F5 acknowledges it. */
		if (!w->ack && strcmp(err.field, "ack") == 0) {
			w->ack = 1;
			app_message(app, 1, "%s %s", err.msg, _("F5 again: acknowledge and approve."));
		}
		return SCR_REDRAW;
	}
	if (a == ACT_REVOKE && si->approver) {
		app->next = cmdform_screen_new_closing("change.reject", "id", id);
		return SCR_PUSH;
	}
	if (a == ACT_DISABLE && !si->approver) {
		app->next = cmdform_screen_new_closing("change.withdraw", "id", id);
		return SCR_PUSH;
	}
	return SCR_NONE;
}

static struct screen *show_screen(const char *id, int approver)
{
	char *title = xasprintf(approver ? _("Review change %s") : _("Change %s"), id);
	struct showinfo *si = xcalloc(1, sizeof *si);
	struct list_spec spec = { title, "change.show", approver ? show_approve_keys : show_mine_keys,
	                          show_action, NULL, si, free };
	struct md_args args;

	snprintf(si->id, sizeof si->id, "%s", id);
	si->approver = approver;
	struct screen *s;

	md_args_init(&args);
	md_args_set(&args, "id", id);
	s = list_screen_new(&spec, &args);
	free(title);
	return s;
}

static int queue_action(struct app *app, struct list *l, enum action a, const char *const *row, int n)
{
	const char *id = list_row_cell(l, row, "id");
	if (a != ACT_SUBMIT || !id)
		return SCR_NONE;
	app->next = show_screen(id, *(const int *)list_user(l));
	return SCR_PUSH;
}

static const int approver_flag = 1, maker_flag = 0;

/* Columns: id type status made_by made_at event_date late reject_reason persons */
static const int queue_widths[] = { 4, 12, -1, 12, 16, 10, 8, -1, 30 };
static const int mine_widths[] = { 4, 12, 10, -1, 16, 10, -1, 24, 20 };

struct screen *queue_screen_new(struct app *app)
{
	struct list_spec spec = { _("Changes waiting for approval"), "change.queue", queue_keys,
	                          queue_action, queue_widths, (void *)&approver_flag, NULL };
	(void)app;
	return list_screen_new(&spec, NULL);
}

struct screen *mine_screen_new(struct app *app)
{
	struct list_spec spec = { _("My changes (waiting or rejected)"), "change.mine", queue_keys,
	                          queue_action, mine_widths, (void *)&maker_flag, NULL };
	(void)app;
	return list_screen_new(&spec, NULL);
}
