/* scr_users.c: user administration: the list of accounts with their grants
 * and status, and forms to add, disable, grant, revoke, unlock and reset. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ctx.h"
#include "i18n.h"
#include "screens.h"
#include "textwidth.h"
#include "tui.h"
#include "xalloc.h"

struct users {
	struct md_result res;
	int loaded;
	int sel;
	int scroll;
};

static const struct keybind users_keys[] = {
	{ ACT_ADD, 2, 0, N_("Add"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_DISABLE, 4, 0, N_("Disable"), 0 },
	{ ACT_RESET_PW, 5, 0, N_("Reset password"), 0 },
	{ ACT_GRANT, 6, 0, N_("Grant"), 0 },
	{ ACT_REVOKE, 7, 0, N_("Revoke"), 0 },
	{ ACT_UNLOCK_USER, 8, 0, N_("Unlock"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void load(struct users *u, struct app *app)
{
	struct md_error err;
	md_result_release(&u->res);
	md_result_init(&u->res);
	if (md_cmd_exec(app->ctx, "user.list", NULL, &u->res, &err) != MD_OK)
		app_message(app, 1, "%s", err.msg);
	u->loaded = 1;
	app->dirty = 0;
	if (u->sel >= u->res.table.nrows)
		u->sel = u->res.table.nrows ? u->res.table.nrows - 1 : 0;
}

static void row_text(const struct md_table *t, int r, const int *w, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int c = 0; c < t->ncols && len < n; c++) {
		char *p = tw_pad(r < 0 ? t->cols[c] : t->rows[r][c], w[c]);
		len += (size_t)snprintf(buf + len, n - len, "%s ", p);
		free(p);
	}
}

static void users_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct users *u = s->data;
	const struct md_table *t;
	static const int widths[] = { 12, 12, 22, 16, 10 };
	char line[1024];
	int visible = rows - 2;

	if (!u->loaded || app->dirty)
		load(u, app);
	t = &u->res.table;
	if (t->ncols != 5)
		return;
	attron(A_UNDERLINE);
	row_text(t, -1, widths, line, sizeof line);
	draw_text(w, top, 1, cols - 2, line);
	attroff(A_UNDERLINE);
	if (u->sel < u->scroll)
		u->scroll = u->sel;
	if (u->sel >= u->scroll + visible)
		u->scroll = u->sel - visible + 1;
	for (int i = 0; i < visible && u->scroll + i < t->nrows; i++) {
		int r = u->scroll + i;
		row_text(t, r, widths, line, sizeof line);
		if (r == u->sel)
			attron(A_REVERSE);
		draw_text(w, top + 1 + i, 1, cols - 2, line);
		if (r == u->sel)
			attroff(A_REVERSE);
	}
}

static const char *selected(struct users *u)
{
	if (u->sel < 0 || u->sel >= u->res.table.nrows)
		return NULL;
	return u->res.table.rows[u->sel][0];
}

static int users_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct users *u = s->data;
	const char *id = selected(u);
	const char *cmd = NULL;

	switch (a) {
	case ACT_BACK:
		return SCR_CLOSE;
	case ACT_ADD:
		app->next = cmdform_screen_new("user.add", NULL, NULL);
		return SCR_PUSH;
	case ACT_DISABLE: cmd = "user.disable"; break;
	case ACT_RESET_PW: cmd = "user.reset-password"; break;
	case ACT_GRANT: cmd = "user.grant"; break;
	case ACT_REVOKE: cmd = "user.revoke"; break;
	case ACT_UNLOCK_USER: cmd = "user.unlock"; break;
	default: break;
	}
	if (cmd) {
		if (!id)
			return SCR_NONE;
		app->next = cmdform_screen_new(cmd, "id", id);
		return SCR_PUSH;
	}
	if (k.is_key && k.code == KEY_UP && u->sel > 0)
		u->sel--;
	else if (k.is_key && k.code == KEY_DOWN && u->sel + 1 < u->res.table.nrows)
		u->sel++;
	return SCR_REDRAW;
}

static void users_free(struct screen *s)
{
	struct users *u = s->data;
	md_result_release(&u->res);
	free(u);
}

static const struct screen_class users_class = {
	"users", N_("User administration"), users_keys, 1, users_draw, users_key, users_free
};

struct screen *users_screen_new(struct app *app)
{
	struct users *u = xcalloc(1, sizeof *u);
	md_result_init(&u->res);
	return screen_new(&users_class, u);
}
