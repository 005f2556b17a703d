/* form.c: labelled fields over struct lineedit. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "screen.h"
#include "textwidth.h"
#include "tui.h"
#include "xalloc.h"

void form_init(struct form *fm)
{
	memset(fm, 0, sizeof *fm);
}

int form_add(struct form *fm, const char *key, const char *label, size_t maxchars, int masked)
{
	struct form_field *f;
	fm->f = xrealloc(fm->f, (size_t)(fm->n + 1) * sizeof *fm->f);
	f = &fm->f[fm->n];
	f->key = xstrdup(key);
	f->label = xstrdup(label);
	f->help = NULL;
	le_init(&f->le, maxchars);
	le_set_masked(&f->le, masked);
	return fm->n++;
}

int form_add_described(struct form *fm, const char *key, const char *description, int required,
                       size_t maxchars, int masked)
{
	static const char *const cuts[] = { ": ", "：", "; ", "；", "（", " (" };
	size_t len = strlen(description);
	char *label;
	int i;

	for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
		const char *p = strstr(description, cuts[k]);
		int code = k >= 4;
		if (!p || p == description || (size_t)(p - description) >= len)
			continue;
		/* A parenthesis after a bare code word ("error (blocks) or alert")
		 * is part of a list of values, not the end of an item's name. */
		for (const char *q = description; q < p && code; q++)
			code = (*q >= 'a' && *q <= 'z') || *q == '_';
		if (code)
			continue;
		len = (size_t)(p - description);
	}
	label = xasprintf("%s%.*s", required ? "* " : "", (int)len, description);
	i = form_add(fm, key, label, maxchars, masked);
	free(label);
	fm->f[i].help = len < strlen(description) ? xstrdup(description) : NULL;
	return i;
}

const char *form_help(const struct form *fm)
{
	if (fm->n == 0)
		return "";
	return fm->f[fm->focus].help ? fm->f[fm->focus].help : fm->f[fm->focus].label;
}

void form_release(struct form *fm)
{
	for (int i = 0; i < fm->n; i++) {
		free(fm->f[i].key);
		free(fm->f[i].label);
		free(fm->f[i].help);
		le_release(&fm->f[i].le);
	}
	free(fm->f);
	memset(fm, 0, sizeof *fm);
}

int form_find(const struct form *fm, const char *key)
{
	for (int i = 0; i < fm->n; i++)
		if (strcmp(fm->f[i].key, key) == 0)
			return i;
	return -1;
}

enum form_result form_key(struct form *fm, struct keypress k)
{
	struct lineedit *le;

	if (fm->n == 0)
		return !k.is_key && (k.code == '\r' || k.code == '\n') ? FORM_SUBMIT : FORM_NONE;
	le = &fm->f[fm->focus].le;
	if (k.is_key) {
		switch (k.code) {
		case KEY_LEFT: return le_left(le) ? FORM_CHANGED : FORM_NONE;
		case KEY_RIGHT: return le_right(le) ? FORM_CHANGED : FORM_NONE;
		case KEY_HOME: return le_home(le) ? FORM_CHANGED : FORM_NONE;
		case KEY_END: return le_end(le) ? FORM_CHANGED : FORM_NONE;
		case KEY_BACKSPACE: return le_backspace(le) ? FORM_CHANGED : FORM_REFUSED;
		case KEY_DC: return le_delete(le) ? FORM_CHANGED : FORM_REFUSED;
		case KEY_DOWN:
			fm->focus = (fm->focus + 1) % fm->n;
			return FORM_MOVED;
		case KEY_UP:
		case KEY_BTAB:
			fm->focus = (fm->focus + fm->n - 1) % fm->n;
			return FORM_MOVED;
		case KEY_ENTER:
			goto enter;
		default:
			return FORM_NONE;
		}
	}
	switch (k.code) {
	case '\t':
		fm->focus = (fm->focus + 1) % fm->n;
		return FORM_MOVED;
	case '\r':
	case '\n':
		goto enter;
	case 127:
	case CTRL_KEY('H'):
		return le_backspace(le) ? FORM_CHANGED : FORM_REFUSED;
	case CTRL_KEY('A'): return le_home(le) ? FORM_CHANGED : FORM_NONE;
	case CTRL_KEY('E'): return le_end(le) ? FORM_CHANGED : FORM_NONE;
	case CTRL_KEY('B'): return le_left(le) ? FORM_CHANGED : FORM_NONE;
	case CTRL_KEY('F'): return le_right(le) ? FORM_CHANGED : FORM_NONE;
	case CTRL_KEY('D'): return le_delete(le) ? FORM_CHANGED : FORM_REFUSED;
	case CTRL_KEY('K'): return le_kill_end(le) ? FORM_CHANGED : FORM_NONE;
	case CTRL_KEY('U'): return le_kill_start(le) ? FORM_CHANGED : FORM_NONE;
	case CTRL_KEY('W'): return le_delete_word(le) ? FORM_CHANGED : FORM_NONE;
	default:
		if (k.code < 0x20)
			return FORM_NONE;
		return le_insert(le, (wchar_t)k.code) ? FORM_CHANGED : FORM_REFUSED;
	}
enter:
	if (fm->focus == fm->n - 1)
		return FORM_SUBMIT;
	fm->focus++;
	return FORM_MOVED;
}

int form_label_width(const struct form *fm)
{
	int w = 0;
	for (int i = 0; i < fm->n; i++) {
		int x = tw_width(fm->f[i].label);
		if (x > w)
			w = x;
	}
	return w;
}

void form_draw(struct form *fm, WINDOW *w, int top, int left, int label_cols, int field_cols,
               int max_rows, int *cy, int *cx)
{
	int step = 2 * fm->n - 1 <= max_rows ? 2 : 1;
	for (int i = 0; i < fm->n; i++) {
		draw_text(w, top + step * i, left, label_cols, fm->f[i].label);
		draw_field(w, top + step * i, left + label_cols + 2, field_cols, &fm->f[i].le,
		           i == fm->focus, cy, cx);
	}
}

char *form_value(const struct form *fm, int i)
{
	return le_get_utf8(&fm->f[i].le);
}

void form_clear(struct form *fm, int i)
{
	le_clear(&fm->f[i].le);
}

int form_dispatch(struct form *fm, struct keypress k, struct screen *s, struct app *app,
                  int (*submit)(struct screen *s, struct app *app))
{
	switch (form_key(fm, k)) {
	case FORM_SUBMIT:
		return submit(s, app);
	case FORM_REFUSED:
		beep();
		return SCR_NONE;
	default:
		return SCR_REDRAW;
	}
}
