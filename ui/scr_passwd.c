/* scr_passwd.c: change one's own password: current, new, new again. When
 * forced (first login, expiry), leaving it logs out. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ctx.h"
#include "form.h"
#include "i18n.h"
#include "screens.h"
#include "tui.h"
#include "xalloc.h"

struct passwd {
	struct form fm;
	int forced;
};

static const struct keybind passwd_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Change"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void passwd_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct passwd *p = s->data;
	int lw = form_label_width(&p->fm);
	char rule[200];

	if (p->forced)
		draw_text(w, top + 1, 2, cols - 4, _("You must choose a new password before you continue."));
	snprintf(rule, sizeof rule,
	         _("At least %d characters, mixing at least %d kinds of characters; not one of your last passwords."),
	         app->ctx->cfg.password_min_length, app->ctx->cfg.password_min_classes);
	draw_text(w, top + 2, 2, cols - 4, rule);
	form_draw(&p->fm, w, top + 4, 4, lw, 30, rows - 4, &s->cursor_y, &s->cursor_x);
}

static int submit(struct screen *s, struct app *app)
{
	struct passwd *p = s->data;
	struct md_args args;
	struct md_result res;
	struct md_error err;
	char *cur = form_value(&p->fm, 0), *n1 = form_value(&p->fm, 1), *n2 = form_value(&p->fm, 2);
	int rc, flags = SCR_REDRAW;

	if (strcmp(n1, n2) != 0) {
		app_message(app, 1, "%s", _("The two new passwords do not match."));
		form_clear(&p->fm, 1);
		form_clear(&p->fm, 2);
		p->fm.focus = 1;
		goto out;
	}
	md_args_init(&args);
	md_args_set(&args, "current", cur);
	md_args_set(&args, "password", n1);
	md_result_init(&res);
	rc = app_exec(app, "passwd", &args, &res, &err);
	md_result_release(&res);
	if (rc == MD_OK) {
		if (p->forced) {
			app->next = menu_screen_new(app);
			flags = SCR_RESET;
		} else {
			flags = SCR_CLOSE;
		}
	} else if (!app->ctx->session) {
		app_logout(app, err.msg);
		flags = SCR_NONE;
	} else {
		for (int i = 0; i < 3; i++)
			form_clear(&p->fm, i);
		p->fm.focus = strcmp(err.field, "current") == 0 ? 0 : 1;
	}
out:
	md_free_secret(&cur);
	md_free_secret(&n1);
	md_free_secret(&n2);
	return flags;
}

static int passwd_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct passwd *p = s->data;

	if (a == ACT_BACK) {
		if (p->forced) {
			app_logout(app, _("Your password was not changed: you have been logged out."));
			return SCR_NONE;
		}
		app->message[0] = '\0';
		return SCR_CLOSE;
	}
	if (a == ACT_SUBMIT)
		return submit(s, app);
	return form_dispatch(&p->fm, k, s, app, submit);
}

static void passwd_free(struct screen *s)
{
	struct passwd *p = s->data;
	form_release(&p->fm);
	free(p);
}

static const struct screen_class passwd_class = {
	"passwd", N_("Change password"), passwd_keys, 1, passwd_draw, passwd_key, passwd_free
};

struct screen *passwd_screen_new(struct app *app, int forced)
{
	struct passwd *p = xcalloc(1, sizeof *p);
	form_init(&p->fm);
	form_add(&p->fm, "current", _("Current password"), 128, 1);
	form_add(&p->fm, "password", _("New password"), 128, 1);
	form_add(&p->fm, "again", _("New password (again)"), 128, 1);
	p->forced = forced;
	return screen_new(&passwd_class, p);
}
