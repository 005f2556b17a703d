/* scr_cmdform.c: a form generated from a command's argument specification,
 * so every command the screen offers takes exactly the fields the core
 * expects. New passwords get a second field that must match. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ctx.h"
#include "form.h"
#include "i18n.h"
#include "screens.h"
#include "tui.h"
#include "xalloc.h"

#define PRESET_MAX 4

struct cmdform {
	const struct md_cmd_entry *e;
	struct form fm;
	char *preset_key[PRESET_MAX];
	char *preset_val[PRESET_MAX];
	int npreset;
	int close_parent;     /* on success the screen it was opened from closes too */
};

static const struct keybind cmdform_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Run"), 0 },
	{ ACT_BACK, 3, 0, N_("Cancel"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void cmdform_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct cmdform *c = s->data;
	int lw = form_label_width(&c->fm);
	int y = top + 1;

	for (int i = 0; i < c->npreset; i++, y++) {
		const char *label = c->preset_key[i];
		for (const struct md_arg_spec *a = c->e->args; a && a->name; a++)
			if (strcmp(a->name, c->preset_key[i]) == 0)
				label = _(a->help);
		char *line = xasprintf("%s: %s", label, c->preset_val[i]);
		draw_text(w, y, 4, cols - 8, line);
		free(line);
	}
	/* Fields keep at least 30 columns; a label too long for the rest is cut,
	 * and the focused field's whole description shows above the form. */
	if (lw > cols - 4 - 2 - 30 - 2)
		lw = cols - 4 - 2 - 30 - 2;
	if (c->fm.n > 0) {
		draw_text(w, y, 4, cols - 8, form_help(&c->fm));
		y++;
	}
	form_draw(&c->fm, w, y + 1, 4, lw, cols - lw - 10, top + rows - y - 1,
	          &s->cursor_y, &s->cursor_x);
}

static int submit(struct screen *s, struct app *app)
{
	struct cmdform *c = s->data;
	struct md_args args;
	struct md_result res;
	struct md_error err;
	char *vals[MD_ARGS_MAX] = { 0 };
	int rc, flags = SCR_REDRAW;

	md_args_init(&args);
	for (int i = 0; i < c->npreset; i++)
		md_args_set(&args, c->preset_key[i], c->preset_val[i]);
	for (int i = 0; i < c->fm.n && i < MD_ARGS_MAX; i++) {
		vals[i] = form_value(&c->fm, i);
		if (strchr(c->fm.f[i].key, '#'))
			continue;   /* the "again" field of a new secret */
		if (*vals[i])
			md_args_set(&args, c->fm.f[i].key, vals[i]);
	}
	for (int i = 0; i < c->fm.n; i++) {
		const char *hash = strchr(c->fm.f[i].key, '#');
		if (hash && i > 0 && strcmp(vals[i], vals[i - 1]) != 0) {
			app_message(app, 1, "%s", _("The two passwords do not match."));
			form_clear(&c->fm, i);
			form_clear(&c->fm, i - 1);
			c->fm.focus = i - 1;
			goto out;
		}
	}
	md_result_init(&res);
	rc = app_exec(app, c->e->name, &args, &res, &err);
	md_result_release(&res);
	if (rc == MD_OK) {
		app->dirty = 1;
		flags = SCR_CLOSE | (c->close_parent ? SCR_CLOSE_PARENT : 0);
	} else {
		int f = form_find(&c->fm, err.field);
		if (f >= 0)
			c->fm.focus = f;
	}
out:
	for (int i = 0; i < c->fm.n && i < MD_ARGS_MAX; i++)
		md_free_secret(&vals[i]);
	return flags;
}

static int cmdform_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct cmdform *c = s->data;

	if (a == ACT_BACK) {
		app->message[0] = '\0';
		return SCR_CLOSE;
	}
	if (a == ACT_SUBMIT)
		return submit(s, app);
	return form_dispatch(&c->fm, k, s, app, submit);
}

static void cmdform_free(struct screen *s)
{
	struct cmdform *c = s->data;
	form_release(&c->fm);
	for (int i = 0; i < c->npreset; i++) {
		free(c->preset_key[i]);
		free(c->preset_val[i]);
	}
	free(c);
}

static const struct screen_class cmdform_class = {
	"cmdform", N_("Command"), cmdform_keys, 1, cmdform_draw, cmdform_key, cmdform_free
};

struct screen *cmdform_screen_new_closing(const char *command, const char *preset_key,
                                          const char *preset_val)
{
	struct screen *s = cmdform_screen_new(command, preset_key, preset_val);
	((struct cmdform *)s->data)->close_parent = 1;
	return s;
}

struct screen *cmdform_screen_new(const char *command, const char *preset_key, const char *preset_val)
{
	struct cmdform *c = xcalloc(1, sizeof *c);
	const struct md_cmd_entry *e = md_cmd_find(command);

	c->e = e;
	form_init(&c->fm);
	if (preset_key && preset_val) {
		c->preset_key[0] = xstrdup(preset_key);
		c->preset_val[0] = xstrdup(preset_val);
		c->npreset = 1;
	}
	for (const struct md_arg_spec *a = e->args; a && a->name; a++) {
		char *label;
		int secret = a->kind == MD_ARG_SECRET || a->kind == MD_ARG_NEW_SECRET;
		if (preset_key && strcmp(a->name, preset_key) == 0)
			continue;
		form_add_described(&c->fm, a->name, _(a->help), a->required, secret ? 128 : 200, secret);
		if (a->kind == MD_ARG_NEW_SECRET) {
			char *k2 = xasprintf("%s#again", a->name);
			label = xstrdup(_("(again)"));
			form_add(&c->fm, k2, label, 128, 1);
			free(label);
			free(k2);
		}
	}
	{
		struct screen *s = screen_new(&cmdform_class, c);
		s->title = _(e->help);
		return s;
	}
}
