/* panel.c: rows of text fields, choices, toggles and pick lists, and the
 * checklist screen of a pick list. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "panel.h"
#include "screen.h"
#include "textwidth.h"
#include "tui.h"
#include "xalloc.h"

void panel_init(struct panel *p)
{
	memset(p, 0, sizeof *p);
}

static void pick_free_items(struct prow *r)
{
	for (int i = 0; i < r->nitems; i++) {
		free(r->items[i].code);
		free(r->items[i].label);
		free(r->items[i].note);
	}
	free(r->items);
	r->items = NULL;
	r->nitems = 0;
}

void panel_release(struct panel *p)
{
	for (int i = 0; i < p->n; i++) {
		struct prow *r = &p->rows[i];
		free(r->label);
		if (r->kind == PR_TEXT)
			le_release(&r->le);
		pick_free_items(r);
	}
	memset(p, 0, sizeof *p);
}

static struct prow *add(struct panel *p, enum prow_kind kind, const char *key, const char *label)
{
	struct prow *r;
	if (p->n >= PANEL_MAX)
		abort();   /* a programming error: the forms are fixed */
	r = &p->rows[p->n++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	snprintf(r->key, sizeof r->key, "%s", key);
	r->label = xstrdup(label);
	return r;
}

int panel_text(struct panel *p, const char *key, const char *label, size_t maxchars, int masked)
{
	struct prow *r = add(p, PR_TEXT, key, label);
	le_init(&r->le, maxchars);
	le_set_masked(&r->le, masked);
	return p->n - 1;
}

int panel_choice(struct panel *p, const char *key, const char *label, const char *const *codes,
                 const char *const *labels, int n)
{
	struct prow *r = add(p, PR_CHOICE, key, label);
	r->codes = codes;
	r->labels = labels;
	r->nchoices = n;
	return p->n - 1;
}

int panel_toggle(struct panel *p, const char *key, const char *label)
{
	add(p, PR_TOGGLE, key, label);
	return p->n - 1;
}

int panel_pick(struct panel *p, const char *key, const char *label, int multi)
{
	struct prow *r = add(p, PR_PICK, key, label);
	r->multi = multi;
	return p->n - 1;
}

void panel_pick_add(struct panel *p, int row, const char *code, const char *label, const char *note,
                    int on)
{
	struct prow *r = &p->rows[row];
	r->items = xrealloc(r->items, (size_t)(r->nitems + 1) * sizeof *r->items);
	r->items[r->nitems].code = xstrdup(code);
	r->items[r->nitems].label = xstrdup(label);
	r->items[r->nitems].note = note ? xstrdup(note) : NULL;
	r->items[r->nitems].on = on;
	r->nitems++;
}

void panel_pick_clear(struct panel *p, int row)
{
	pick_free_items(&p->rows[row]);
}

int panel_find(const struct panel *p, const char *key)
{
	for (int i = 0; key && i < p->n; i++)
		if (strcmp(p->rows[i].key, key) == 0)
			return i;
	return -1;
}

int panel_focus_key(struct panel *p, const char *key)
{
	int i = panel_find(p, key);
	if (i < 0 || p->rows[i].hidden)
		return 0;
	p->focus = i;
	return 1;
}

char *panel_value(const struct panel *p, int row)
{
	return le_get_utf8(&p->rows[row].le);
}

const char *panel_code(const struct panel *p, int row)
{
	const struct prow *r = &p->rows[row];
	return r->nchoices ? r->codes[r->choice] : "";
}

int panel_on(const struct panel *p, int row)
{
	return p->rows[row].on;
}

char *panel_picked(const struct panel *p, int row)
{
	const struct prow *r = &p->rows[row];
	size_t n = 1;
	char *out;

	for (int i = 0; i < r->nitems; i++)
		n += strlen(r->items[i].code) + 1;
	out = xmalloc(n);
	out[0] = '\0';
	for (int i = 0; i < r->nitems; i++) {
		if (!r->items[i].on)
			continue;
		if (out[0])
			strcat(out, ",");
		strcat(out, r->items[i].code);
	}
	return out;
}

int panel_npicked(const struct panel *p, int row)
{
	int n = 0;
	for (int i = 0; i < p->rows[row].nitems; i++)
		n += p->rows[row].items[i].on != 0;
	return n;
}

static void move_focus(struct panel *p, int dir)
{
	for (int k = 0; k < p->n; k++) {
		p->focus = (p->focus + dir + p->n) % p->n;
		if (!p->rows[p->focus].hidden)
			return;
	}
}

/* Up and Down stop at the first and last row (only Tab goes round): a
 * clerk typing after pressing Down once too often must not land on the
 * first row, where digits would change the certificate type. */
static void step_focus(struct panel *p, int dir)
{
	for (int i = p->focus + dir; i >= 0 && i < p->n; i += dir)
		if (!p->rows[i].hidden) {
			p->focus = i;
			return;
		}
}

void panel_show(struct panel *p, int row, int shown)
{
	p->rows[row].hidden = !shown;
	if (p->rows[p->focus].hidden)
		move_focus(p, 1);
}

static int last_visible(const struct panel *p)
{
	for (int i = p->n - 1; i >= 0; i--)
		if (!p->rows[i].hidden)
			return i;
	return -1;
}

static int is_enter(struct keypress k)
{
	return (k.is_key && k.code == KEY_ENTER) || (!k.is_key && (k.code == '\r' || k.code == '\n'));
}

static int text_key(struct lineedit *le, struct keypress k)
{
	int ok;
	if (k.is_key) {
		switch (k.code) {
		case KEY_LEFT: le_left(le); return SCR_REDRAW;
		case KEY_RIGHT: le_right(le); return SCR_REDRAW;
		case KEY_HOME: le_home(le); return SCR_REDRAW;
		case KEY_END: le_end(le); return SCR_REDRAW;
		case KEY_BACKSPACE: ok = le_backspace(le); break;
		case KEY_DC: ok = le_delete(le); break;
		default: return -1;
		}
	} else {
		switch (k.code) {
		case 127:
		case CTRL_KEY('H'): ok = le_backspace(le); break;
		case CTRL_KEY('A'): le_home(le); return SCR_REDRAW;
		case CTRL_KEY('E'): le_end(le); return SCR_REDRAW;
		case CTRL_KEY('K'): le_kill_end(le); return SCR_REDRAW;
		case CTRL_KEY('U'): le_kill_start(le); return SCR_REDRAW;
		case CTRL_KEY('W'): le_delete_word(le); return SCR_REDRAW;
		default:
			if (k.code < 0x20)
				return -1;
			ok = le_insert(le, (wchar_t)k.code);
		}
	}
	if (!ok)
		beep();
	return SCR_REDRAW;
}

int panel_key(struct panel *p, struct app *app, struct keypress k)
{
	struct prow *r;

	if (p->n == 0)
		return -1;
	r = &p->rows[p->focus];
	if (!k.is_key && k.code == '\t') {
		move_focus(p, 1);
		return SCR_REDRAW;
	}
	if (k.is_key && k.code == KEY_BTAB) {
		move_focus(p, -1);
		return SCR_REDRAW;
	}
	if (k.is_key && (k.code == KEY_DOWN || k.code == KEY_UP)) {
		step_focus(p, k.code == KEY_DOWN ? 1 : -1);
		return SCR_REDRAW;
	}
	if (r->kind == PR_PICK && (is_enter(k) || (!k.is_key && k.code == ' '))) {
		if (r->nitems == 0) {
			beep();
			return SCR_REDRAW;
		}
		app->next = pick_screen_new(r->label, r->items, r->nitems, r->multi);
		return SCR_PUSH;
	}
	if (is_enter(k)) {
		if (p->focus == last_visible(p))
			return -1;
		move_focus(p, 1);
		return SCR_REDRAW;
	}
	switch (r->kind) {
	case PR_TEXT:
		return text_key(&r->le, k);
	case PR_CHOICE:
		if ((k.is_key && k.code == KEY_RIGHT) || (!k.is_key && k.code == ' ')) {
			r->choice = (r->choice + 1) % r->nchoices;
			return SCR_REDRAW;
		}
		if (k.is_key && k.code == KEY_LEFT) {
			r->choice = (r->choice + r->nchoices - 1) % r->nchoices;
			return SCR_REDRAW;
		}
		if (!k.is_key && k.code >= '1' && k.code <= '9' && (int)(k.code - '1') < r->nchoices) {
			r->choice = (int)(k.code - '1');
			return SCR_REDRAW;
		}
		return -1;
	case PR_TOGGLE:
		if (!k.is_key && (k.code == ' ' || k.code == 'y' || k.code == 'n' || k.code == 'Y' ||
		                  k.code == 'N')) {
			r->on = k.code == ' ' ? !r->on : (k.code == 'y' || k.code == 'Y');
			return SCR_REDRAW;
		}
		return -1;
	case PR_PICK:
		return -1;
	}
	return -1;
}

/* The text shown for a row's value (allocated); a choice too wide for
 * width shows only the chosen value. */
static char *row_value(const struct prow *r, int width)
{
	switch (r->kind) {
	case PR_CHOICE: {
		/* All choices in a line, the chosen one in brackets. */
		size_t n = 1;
		char *out;
		for (int i = 0; i < r->nchoices; i++)
			n += strlen(r->labels[i]) + 4;
		out = xmalloc(n);
		out[0] = '\0';
		for (int i = 0; i < r->nchoices; i++) {
			strcat(out, i == r->choice ? "[" : " ");
			strcat(out, r->labels[i]);
			strcat(out, i == r->choice ? "]" : " ");
		}
		if (tw_width(out) > width) {
			free(out);
			return xasprintf("< %s >  (%d/%d, ←→)", r->labels[r->choice], r->choice + 1, r->nchoices);
		}
		return out;
	}
	case PR_TOGGLE:
		return xstrdup(r->on ? _("[x] yes") : _("[ ] no"));
	case PR_PICK: {
		size_t n = 1;
		int any = 0;
		char *out;
		for (int i = 0; i < r->nitems; i++)
			n += strlen(r->items[i].label) + 3;
		out = xmalloc(n + 64);
		out[0] = '\0';
		for (int i = 0; i < r->nitems; i++) {
			if (!r->items[i].on)
				continue;
			if (any)
				strcat(out, "、");
			strcat(out, r->items[i].label);
			any = 1;
		}
		if (!any) {
			free(out);
			return xstrdup(_("(none: Enter to choose)"));
		}
		if (tw_width(out) > width && width > 0) {
			/* Too long for the line: how many, then as many as fit. */
			int count = 0;
			char *all, *fit;
			for (int i = 0; i < r->nitems; i++)
				count += r->items[i].on;
			all = xasprintf(_("%d chosen: %s"), count, out);
			fit = tw_fit_ellipsis(all, width);
			free(all);
			free(out);
			return fit;
		}
		return out;
	}
	case PR_TEXT:
		break;
	}
	return xstrdup("");
}

void panel_draw(struct panel *p, struct screen *s, WINDOW *w, int top, int rows, int cols)
{
	int lw = 0, shown = 0, y = top, idx = 0, fidx = 0, step;

	for (int i = 0; i < p->n; i++) {
		int x;
		if (p->rows[i].hidden)
			continue;
		if (i == p->focus)
			fidx = shown;
		shown++;
		x = tw_width(p->rows[i].label);
		if (x > lw)
			lw = x;
	}
	if (lw > cols / 2 - 4)
		lw = cols / 2 - 4;
	step = 2 * shown - 1 <= rows ? 2 : 1;
	if (rows / step < 1)
		return;
	if (fidx < p->scroll)
		p->scroll = fidx;
	if (fidx >= p->scroll + rows / step)
		p->scroll = fidx - rows / step + 1;
	for (int i = 0; i < p->n; i++) {
		struct prow *r = &p->rows[i];
		int vx = 2 + lw + 2, vw = cols - vx - 2;
		if (r->hidden)
			continue;
		if (idx++ < p->scroll)
			continue;
		if (y >= top + rows)
			break;
		draw_text(w, y, 2, lw, r->label);
		if (r->kind == PR_TEXT) {
			draw_field(w, y, vx, vw, &r->le, i == p->focus, &s->cursor_y, &s->cursor_x);
		} else {
			char *v = row_value(r, vw);
			if (i == p->focus)
				wattron(w, A_REVERSE);
			draw_text(w, y, vx, vw, v);
			if (i == p->focus)
				wattroff(w, A_REVERSE);
			free(v);
		}
		y += step;
	}
}

int draw_wrapped(WINDOW *w, int y, int x, int cols, int maxlines, const char *utf8)
{
	const char *p = utf8 ? utf8 : "";
	int n = 0;

	while (*p && n < maxlines && cols > 0) {
		char *line = tw_fit(p, cols);
		size_t len = strlen(line);
		if (len == 0) {
			free(line);
			break;
		}
		/* English breaks at a space near the end of the line. */
		if (p[len] && p[len] != ' ') {
			char *sp = strrchr(line, ' ');
			if (sp && (size_t)(sp - line) > len * 2 / 3) {
				*sp = '\0';
				len = (size_t)(sp - line) + 1;
			}
		}
		mvwaddstr(w, y + n, x, line);
		free(line);
		p += len;
		while (*p == ' ')
			p++;
		n++;
	}
	return n;
}

/* ---- the checklist screen ---------------------------------------------------------- */

struct pick {
	char *title;
	struct pick_item *items;
	int n, multi, sel, scroll;
};

static const struct keybind pick_keys[] = {
	{ ACT_SUBMIT, 5, 0, N_("Done"), 0 },
	{ ACT_BACK, 3, 0, N_("Back"), 0 },
	{ ACT_NONE, 0, 0, NULL, 0 }
};

static void pick_draw(struct screen *s, struct app *app, WINDOW *w, int top, int rows, int cols)
{
	struct pick *pk = s->data;
	int visible = rows - 2;
	char line[600];

	draw_text(w, top, 2, cols - 4,
	          pk->multi ? _("Space: choose or leave out; Enter: done.") : _("Space or Enter: choose."));
	if (visible < 1)
		return;
	if (pk->sel < pk->scroll)
		pk->scroll = pk->sel;
	if (pk->sel >= pk->scroll + visible)
		pk->scroll = pk->sel - visible + 1;
	for (int i = 0; i < visible && pk->scroll + i < pk->n; i++) {
		int k = pk->scroll + i;
		snprintf(line, sizeof line, " %s %s%s%s ", pk->items[k].on ? (pk->multi ? "[x]" : "(*)") :
		         (pk->multi ? "[ ]" : "( )"), pk->items[k].label, pk->items[k].note ? "  " : "",
		         pk->items[k].note ? pk->items[k].note : "");
		if (k == pk->sel)
			attron(A_REVERSE);
		draw_text(w, top + 2 + i, 2, cols - 4, line);
		if (k == pk->sel)
			attroff(A_REVERSE);
	}
}

static void pick_toggle(struct pick *pk)
{
	if (pk->multi) {
		pk->items[pk->sel].on = !pk->items[pk->sel].on;
		return;
	}
	for (int i = 0; i < pk->n; i++)
		pk->items[i].on = i == pk->sel;
}

static int pick_key(struct screen *s, struct app *app, enum action a, struct keypress k)
{
	struct pick *pk = s->data;

	if (a == ACT_BACK || a == ACT_SUBMIT)
		return SCR_CLOSE;
	if (is_enter(k)) {
		if (!pk->multi)
			pick_toggle(pk);
		return SCR_CLOSE;
	}
	if (!k.is_key && k.code == ' ')
		pick_toggle(pk);
	else if (k.is_key && k.code == KEY_UP && pk->sel > 0)
		pk->sel--;
	else if (k.is_key && k.code == KEY_DOWN && pk->sel + 1 < pk->n)
		pk->sel++;
	else if (k.is_key && k.code == KEY_NPAGE)
		pk->sel = pk->sel + 10 < pk->n ? pk->sel + 10 : pk->n - 1;
	else if (k.is_key && k.code == KEY_PPAGE)
		pk->sel = pk->sel > 10 ? pk->sel - 10 : 0;
	return SCR_REDRAW;
}

static void pick_free(struct screen *s)
{
	struct pick *pk = s->data;
	free(pk->title);
	free(pk);
}

static const struct screen_class pick_class = {
	"pick", N_("Choose"), pick_keys, 1, pick_draw, pick_key, pick_free
};

struct screen *pick_screen_new(const char *title, struct pick_item *items, int n, int multi)
{
	struct pick *pk = xcalloc(1, sizeof *pk);
	struct screen *s;

	pk->title = xstrdup(title);
	pk->items = items;
	pk->n = n;
	pk->multi = multi;
	s = screen_new(&pick_class, pk);
	s->title = pk->title;
	return s;
}
