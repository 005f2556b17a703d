/* form.h: a column of labelled single-line fields with focus, as used by the
 * login, password, lock and command forms. Editing keys: arrows, Home/End,
 * Backspace/Delete, Ctrl-A/E/K/U/W; Tab/Down next field, Shift-Tab/Up previous,
 * Enter next field or submit on the last. */
#ifndef MD_FORM_H
#define MD_FORM_H

#include <curses.h>
#include "keys.h"
#include "lineedit.h"

struct form_field {
	char *key;           /* argument name for the command */
	char *label;         /* shown text (translated) */
	char *help;          /* the whole description, or NULL: see form_help */
	struct lineedit le;
};

struct form {
	struct form_field *f;
	int n;
	int focus;
};

enum form_result { FORM_NONE = 0, FORM_CHANGED, FORM_MOVED, FORM_SUBMIT, FORM_REFUSED };

void form_init(struct form *fm);
/* Appends a field; returns its index. */
int form_add(struct form *fm, const char *key, const char *label, size_t maxchars, int masked);
void form_release(struct form *fm);
/* Index of the field with key, or -1. */
int form_find(const struct form *fm, const char *key);
/* Handles an editing or movement key. */
enum form_result form_key(struct form *fm, struct keypress k);
/* Draws label and field rows from top, a blank row between fields when
 * max_rows allows; sets cy and cx to the cursor. */
void form_draw(struct form *fm, WINDOW *w, int top, int left, int label_cols, int field_cols,
               int max_rows, int *cy, int *cx);
/* Allocated UTF-8 value; free masked ones with md_free_secret(). */
char *form_value(const struct form *fm, int i);
void form_clear(struct form *fm, int i);
struct screen;
struct app;
/* The usual key handling of a screen that is one form: edit, move, and call
 * submit on Enter in the last field; returns SCR_* flags. */
int form_dispatch(struct form *fm, struct keypress k, struct screen *s, struct app *app,
                  int (*submit)(struct screen *s, struct app *app));
/* A field labelled by a command argument's description: the label is
 * the description up to its first ":", "：", ";" or parenthesis (the
 * item's name), and the whole description is kept as the field's help.
 * required adds "* " to the label. Returns the field's index. */
int form_add_described(struct form *fm, const char *key, const char *description, int required,
                       size_t maxchars, int masked);
/* The focused field's whole description (its help, else its label). */
const char *form_help(const struct form *fm);
/* Display width of the widest label. */
int form_label_width(const struct form *fm);

#endif
