/* scr_lock.c: the locked screen. Nothing of the previous screen shows; the
 * same user re-enters the password to continue, or logs out. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "ctx.h"
#include "form.h"
#include "i18n.h"
#include "screens.h"
#include "tui.h"
#include "xalloc.h"

struct lock {
	struct form fm;
	char user[64];
};

static const struct keybind lock_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Unlock"), 0 },
	{ ACT_LOGOUT, 10, 0, N_("Logout"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void lock_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct lock *l = s->data;
	char line[200];
	int lw = form_label_width(&l->fm);

	snprintf(line, sizeof line, _("The screen is locked. %s, enter your password to continue."),
	         l->user);
	draw_text(w, top + 2, 4, cols - 8, line);
	form_draw(&l->fm, w, top + 4, 4, lw, 24, rows - 4, &s->cursor_y, &s->cursor_x);
}

static int submit(struct screen *s, struct app *app)
{
	struct lock *l = s->data;
	struct md_args args;
	struct md_result res;
	struct md_error err;
	char *pw = form_value(&l->fm, 0);
	int rc;

	md_args_init(&args);
	md_args_set(&args, "password", pw);
	md_result_init(&res);
	rc = md_cmd_exec(app->ctx, "unlock", &args, &res, &err);
	md_result_release(&res);
	md_free_secret(&pw);
	form_clear(&l->fm, 0);
	if (rc == MD_OK) {
		app->message[0] = '\0';
		return SCR_CLOSE;
	}
	if (!app->ctx->session) {
		app_logout(app, err.msg);
		return SCR_NONE;
	}
	app_message(app, 1, "%s", err.msg);
	return SCR_REDRAW;
}

static int lock_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct lock *l = s->data;

	if (a == ACT_LOGOUT) {
		app_logout(app, _("You have logged out."));
		return SCR_NONE;
	}
	if (a == ACT_SUBMIT)
		return submit(s, app);
	return form_dispatch(&l->fm, k, s, app, submit);
}

static void lock_free(struct screen *s)
{
	struct lock *l = s->data;
	form_release(&l->fm);
	free(l);
}

static const struct screen_class lock_class = {
	"lock", N_("Locked"), lock_keys, 0, lock_draw, lock_key, lock_free
};

struct screen *lock_screen_new(struct app *app)
{
	struct lock *l = xcalloc(1, sizeof *l);
	form_init(&l->fm);
	form_add(&l->fm, "password", _("Password"), 128, 1);
	snprintf(l->user, sizeof l->user, "%s", app->ctx->session ? app->ctx->session->user : "");
	return screen_new(&lock_class, l);
}
