/* scr_userform.c: the forms of user administration (create, grant, revoke,
 * disable, reset, unlock, terminals): fields named for the core command's
 * arguments, the account acted on shown above them. A refusal leaves every
 * field as typed and puts the cursor on the field the core names; success
 * closes the form, and a generated temporary password is shown once on a
 * screen of its own. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "form.h"
#include "i18n.h"
#include "panel.h"
#include "screens.h"
#include "tui.h"
#include "useradmin_ui.h"
#include "xalloc.h"

struct userform {
	const char *command;
	char *id;          /* the account acted on, or NULL (create) */
	char *about;       /* a line about it, or NULL */
	char *note;        /* a line of explanation, or NULL */
	const char *hints[16];
	struct form fm;
};

static const struct keybind userform_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Run"), 0 },
	{ ACT_BACK, 3, 0, N_("Cancel"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void userform_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct userform *u = s->data;
	int lw = form_label_width(&u->fm), y = top + 1;

	if (u->about)
		draw_text(w, y++, 2, cols - 4, u->about);
	/* The note and the field's hint wrap (two lines each): in Japanese at
	 * 80 columns they are longer than a line. */
	if (u->note)
		y += draw_wrapped(w, y, 2, cols - 4, 2, u->note);
	y++;
	if (u->fm.focus < 16 && u->hints[u->fm.focus])
		draw_wrapped(w, y, 4, cols - 8, 2, _(u->hints[u->fm.focus]));
	y += 2;
	if (lw > cols / 2)
		lw = cols / 2;
	form_draw(&u->fm, w, y + 1, 4, lw, cols - lw - 10, top + rows - y - 1, &s->cursor_y,
	          &s->cursor_x);
}

/* The temporary password, once. */
struct pwshow {
	char **lines;
	int n;
};

static const struct keybind pwshow_keys[] = {
	{ ACT_BACK, 3, 0, N_("Done"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void pwshow_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct pwshow *p = s->data;
	for (int i = 0; i < p->n && 2 + 2 * i < rows; i++) {
		if (i == 0)
			attron(A_BOLD);
		draw_text(w, top + 2 + 2 * i, 4, cols - 8, p->lines[i]);
		if (i == 0)
			attroff(A_BOLD);
	}
	draw_text(w, top + 3 + 2 * p->n, 4, cols - 8,
	          _("Press F3 or Enter when it has been noted: it cannot be shown again."));
}

static int pwshow_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	if (a == ACT_BACK || (!k.is_key && (k.code == '\r' || k.code == '\n')))
		return SCR_CLOSE;
	return SCR_NONE;
}

static void pwshow_free(struct screen *s)
{
	struct pwshow *p = s->data;
	for (int i = 0; i < p->n; i++)
		md_free_secret(&p->lines[i]);
	free(p->lines);
	free(p);
}

static const struct screen_class pwshow_class = {
	"temp-password", N_("Temporary password"), pwshow_keys, 1, pwshow_draw, pwshow_key,
	pwshow_free
};

static struct screen *pwshow_new(const struct md_result *res)
{
	struct pwshow *p = xcalloc(1, sizeof *p);
	p->lines = xcalloc((size_t)res->nlines + 1, sizeof *p->lines);
	for (int i = 0; i < res->nlines; i++)
		p->lines[i] = xstrdup(res->lines[i]);
	p->n = res->nlines;
	return screen_new(&pwshow_class, p);
}

/* The result's lines hold the password: wiped before they are freed. */
static void release_secret_result(struct md_result *res)
{
	for (int i = 0; i < res->nlines; i++)
		md_free_secret(&res->lines[i]);
	md_result_release(res);
}

static int submit(struct screen *s, struct app *app)
{
	struct userform *u = s->data;
	struct md_args args;
	struct md_result res;
	struct md_error err;
	char *vals[16] = { 0 };
	int rc, flags = SCR_REDRAW;

	md_args_init(&args);
	if (u->id)
		md_args_set(&args, "id", u->id);
	for (int i = 0; i < u->fm.n && i < 16; i++) {
		vals[i] = form_value(&u->fm, i);
		if (*vals[i])
			md_args_set(&args, u->fm.f[i].key, vals[i]);
	}
	md_result_init(&res);
	rc = app_exec(app, u->command, &args, &res, &err);
	if (rc == MD_OK) {
		app->dirty = 1;
		flags = SCR_CLOSE;
		if (res.nlines > 0) {
			app->next = pwshow_new(&res);
			flags |= SCR_PUSH;
		}
	} else {
		int f = form_find(&u->fm, err.field);
		if (f >= 0)
			u->fm.focus = f;
	}
	release_secret_result(&res);
	for (int i = 0; i < u->fm.n && i < 16; i++)
		free(vals[i]);
	return flags;
}

static int userform_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct userform *u = s->data;
	if (a == ACT_BACK) {
		app->message[0] = '\0';
		return SCR_CLOSE;
	}
	if (a == ACT_SUBMIT)
		return submit(s, app);
	return form_dispatch(&u->fm, k, s, app, submit);
}

static void userform_free(struct screen *s)
{
	struct userform *u = s->data;
	form_release(&u->fm);
	free(u->id);
	free(u->about);
	free(u->note);
	free(u);
}

static const struct screen_class userform_class = {
	"userform", N_("User administration"), userform_keys, 1, userform_draw, userform_key,
	userform_free
};

struct screen *userform_screen_new(const char *title, const char *command, const char *id,
                                   const char *about, const char *note,
                                   const struct userform_field *fields)
{
	struct userform *u = xcalloc(1, sizeof *u);
	struct screen *s;

	u->command = command;
	u->id = id ? xstrdup(id) : NULL;
	u->about = about ? xstrdup(about) : NULL;
	u->note = note ? xstrdup(note) : NULL;
	form_init(&u->fm);
	for (const struct userform_field *f = fields; f->key; f++) {
		char *label = xasprintf("%s%s", f->required ? "* " : "  ", _(f->label));
		int i = form_add(&u->fm, f->key, label, 200, 0);
		free(label);
		if (i < 16)
			u->hints[i] = f->hint;
		if (f->value && *f->value)
			le_set_utf8(&u->fm.f[i].le, f->value);
	}
	s = screen_new(&userform_class, u);
	s->title = title;
	return s;
}
