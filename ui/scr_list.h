/* scr_list.h: a screen showing a command's result table, one row selected,
 * with keys that act on the selected row. Used for the approval queue, the
 * clerk's own changes, search results, households and history. */
#ifndef MD_SCR_LIST_H
#define MD_SCR_LIST_H

#include "cmd.h"
#include "screen.h"

struct app;
struct list;

/* Called for a bound action (or Enter, as ACT_SUBMIT) on the selected row;
 * row is NULL when the list is empty. Returns SCR_* flags. */
typedef int (*list_action_fn)(struct app *app, struct list *l, enum action a, const char *const *row,
                              int ncols);

struct list_spec {
	const char *title;              /* translated */
	const char *command;            /* run on open and whenever app->dirty */
	const struct keybind *keys;     /* extra keys; F3 back is added */
	list_action_fn action;
	const int *widths;              /* column widths, -1 to hide; NULL: automatic */
	void *user;                     /* for the callback */
	void (*free_user)(void *);      /* frees user with the screen, or NULL */
};

/* args are copied (keys and values). */
struct screen *list_screen_new(const struct list_spec *spec, const struct md_args *args);
/* The value of the selected row's column named col, or NULL. */
const char *list_cell(const struct list *l, const char *col);
void *list_user(const struct list *l);
/* In the row whose column keycol equals key, the value of column valcol. */
const char *list_lookup(const struct list *l, const char *keycol, const char *key, const char *valcol);
/* A column's value in a row by the column's name. */
const char *list_row_cell(const struct list *l, const char *const *row, const char *col);

#endif
