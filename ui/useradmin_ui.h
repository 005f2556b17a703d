/* useradmin_ui.h: the pieces the user administration screens share
 * (scr_users.c, scr_userform.c). */
#ifndef MD_USERADMIN_UI_H
#define MD_USERADMIN_UI_H

#include "screen.h"

/* One field of a form: the command's argument, its short label (N_()), a
 * hint shown while it has the focus (N_() or NULL), whether the core
 * requires it, and a value to start with (or NULL). */
struct userform_field {
	const char *key;
	const char *label;
	const char *hint;
	int required;
	const char *value;
};

/* A form that runs command with id (when not NULL) and the fields
 * (ended by a NULL key). title must outlive the screen (a translated
 * literal); about and note are lines shown above the fields (copied). */
struct screen *userform_screen_new(const char *title, const char *command, const char *id,
                                   const char *about, const char *note,
                                   const struct userform_field *fields);

#endif
