/* scr_login.c: user ID and masked password. In training mode the demo
 * accounts are listed; in production nothing but the form is shown. */
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

struct login {
	struct form fm;
	char demo[256];
};

static const struct keybind login_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Log in"), 0 },
	{ ACT_LOGOUT, 10, 0, N_("Quit"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void login_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct login *l = s->data;
	int lw = form_label_width(&l->fm);
	int left = (cols - lw - 2 - 24) / 2;

	draw_text(w, top + 1, left, cols - left, _("Log in with your personal user ID."));
	form_draw(&l->fm, w, top + 3, left, lw, 24, 4, &s->cursor_y, &s->cursor_x);
	if (l->demo[0]) {
		draw_text(w, top + 8, left, cols - left, _("Training accounts (password: demo):"));
		draw_text(w, top + 9, left + 2, cols - left - 2, l->demo);
	}
}

static int submit(struct screen *s, struct app *app)
{
	struct login *l = s->data;
	struct md_args args;
	struct md_result res;
	struct md_error err;
	char *user = form_value(&l->fm, 0);
	char *pw = form_value(&l->fm, 1);
	int rc;

	md_args_init(&args);
	md_args_set(&args, "user", user);
	md_args_set(&args, "password", pw);
	md_result_init(&res);
	rc = md_cmd_exec(app->ctx, "login", &args, &res, &err);
	md_result_release(&res);
	md_free_secret(&pw);
	free(user);
	form_clear(&l->fm, 1);
	if (rc == MD_OK) {
		app->message[0] = '\0';
		app->next = menu_screen_new(app);
		return SCR_RESET;
	}
	if (rc == MD_E_EXPIRED) {
		app_message(app, 1, "%s", err.msg);
		app->next = passwd_screen_new(app, 1);
		return SCR_RESET;
	}
	app_message(app, 1, "%s", err.msg);
	l->fm.focus = err.code == MD_E_INVALID ? 0 : 1;
	return SCR_REDRAW;
}

static int login_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct login *l = s->data;

	if (a == ACT_LOGOUT)
		return SCR_QUIT;
	if (a == ACT_SUBMIT)
		return submit(s, app);
	return form_dispatch(&l->fm, k, s, app, submit);
}

static void login_free(struct screen *s)
{
	struct login *l = s->data;
	form_release(&l->fm);
	free(l);
}

static const struct screen_class login_class = {
	"login", N_("Log in"), login_keys, 0, login_draw, login_key, login_free
};

struct screen *login_screen_new(struct app *app)
{
	struct login *l = xcalloc(1, sizeof *l);
	struct md_result res;
	struct md_error err;

	form_init(&l->fm);
	form_add(&l->fm, "user", _("User ID"), 32, 0);
	form_add(&l->fm, "password", _("Password"), 128, 1);
	md_result_init(&res);
	if (app->ctx->kind == MD_DB_TRAINING &&
	    md_cmd_exec(app->ctx, "user.demo-list", NULL, &res, &err) == MD_OK) {
		size_t len = 0;
		for (int r = 0; r < res.table.nrows && len < sizeof l->demo - 40; r++)
			len += (size_t)snprintf(l->demo + len, sizeof l->demo - len, "%s%s",
			                        r ? "  " : "", res.table.rows[r][0]);
	}
	md_result_release(&res);
	return screen_new(&login_class, l);
}
