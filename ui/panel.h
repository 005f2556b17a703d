/* panel.h: a column of labelled rows of different kinds, for the counter
 * forms (identity verification, certificates): text fields, a choice among
 * fixed values (Left/Right or Space), a yes/no toggle (Space), and a pick
 * list (Enter or Space opens a checklist screen of its items). Rows can be
 * hidden when they do not apply. Up/Down/Tab move between the visible rows;
 * Enter moves to the next one. The caller runs the command. */
#ifndef MD_PANEL_H
#define MD_PANEL_H

#include <curses.h>
#include "keys.h"
#include "lineedit.h"

struct app;
struct screen;

struct pick_item {
	char *code;          /* what the command gets */
	char *label;         /* what the clerk reads (also in the row, when chosen) */
	char *note;          /* more, shown in the checklist only (or NULL) */
	int on;
};

enum prow_kind { PR_TEXT, PR_CHOICE, PR_TOGGLE, PR_PICK };

struct prow {
	enum prow_kind kind;
	char key[32];                 /* argument name (for finding the row of an error) */
	char *label;                  /* translated */
	int hidden;
	struct lineedit le;           /* PR_TEXT */
	const char *const *codes;     /* PR_CHOICE: values given to the command */
	const char *const *labels;    /* PR_CHOICE: shown (translated or Japanese terms) */
	int nchoices, choice;
	int on;                       /* PR_TOGGLE */
	struct pick_item *items;      /* PR_PICK (owned) */
	int nitems;
	int multi;                    /* PR_PICK: several may be chosen */
};

#define PANEL_MAX 24

struct panel {
	struct prow rows[PANEL_MAX];
	int n;
	int focus;
	int scroll;
};

void panel_init(struct panel *p);
void panel_release(struct panel *p);
/* Adders return the row's index. */
int panel_text(struct panel *p, const char *key, const char *label, size_t maxchars, int masked);
int panel_choice(struct panel *p, const char *key, const char *label, const char *const *codes,
                 const char *const *labels, int n);
int panel_toggle(struct panel *p, const char *key, const char *label);
int panel_pick(struct panel *p, const char *key, const char *label, int multi);
/* Adds an item to a pick row (copied; note may be NULL). */
void panel_pick_add(struct panel *p, int row, const char *code, const char *label, const char *note,
                    int on);
/* Empties a pick row. */
void panel_pick_clear(struct panel *p, int row);
/* The row with key, or -1. */
int panel_find(const struct panel *p, const char *key);
/* Moves the focus to the row of key if it is shown; returns 1 when it did. */
int panel_focus_key(struct panel *p, const char *key);
/* A text row's value (allocated), a choice's code, a toggle, the chosen
 * codes of a pick row comma-separated (allocated; "" when none). */
char *panel_value(const struct panel *p, int row);
const char *panel_code(const struct panel *p, int row);
int panel_on(const struct panel *p, int row);
char *panel_picked(const struct panel *p, int row);
int panel_npicked(const struct panel *p, int row);
/* Shows or hides a row; the focus leaves a hidden row. */
void panel_show(struct panel *p, int row, int shown);

/* Handles a key for the panel: returns SCR_* flags (SCR_PUSH with app->next
 * set for a pick list), or -1 when the key is not the panel's (Enter on the
 * last row, function keys). */
int panel_key(struct panel *p, struct app *app, struct keypress k);
/* Draws the visible rows from top within rows lines; sets the cursor of s. */
void panel_draw(struct panel *p, struct screen *s, WINDOW *w, int top, int rows, int cols);

/* Draws text over at most maxlines lines of cols columns (cut where it
 * does not fit); returns the lines used. */
int draw_wrapped(WINDOW *w, int y, int x, int cols, int maxlines, const char *utf8);

/* The checklist screen on its own: items are the caller's and stay so (the
 * screen edits their on flags); multi 0 keeps one chosen. Space toggles,
 * Enter/F5 done, F3 back (the choice stays as toggled). */
struct screen *pick_screen_new(const char *title, struct pick_item *items, int n, int multi);

#endif
