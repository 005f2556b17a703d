/* screens.h: constructors of the screens. */
#ifndef MD_SCREENS_H
#define MD_SCREENS_H

#include "screen.h"

struct app;
struct md_cmd_entry;

struct screen *login_screen_new(struct app *app);
struct screen *menu_screen_new(struct app *app);
/* forced: the password has expired or must be changed; back means logout. */
struct screen *passwd_screen_new(struct app *app, int forced);
struct screen *lock_screen_new(struct app *app);
struct screen *users_screen_new(struct app *app);
/* A page of text (help, results). lines is copied. */
struct screen *message_screen_new(const char *title, const char *const *lines, int nlines);
/* A form for a command of the core's table, fields from its arguments;
 * preset_key (or NULL) is fixed to preset_val. */
struct screen *cmdform_screen_new(const char *command, const char *preset_key,
                                  const char *preset_val);
/* Intake: the chooser of kinds of change, and the form of one kind,
 * optionally started on a person or household. */
struct screen *chooser_screen_new(struct app *app, long long person, long long household);
struct screen *intake_screen_new(struct app *app, const char *type, long long preset_person,
                                 long long preset_household);
/* Search, and the record of one person. */
struct screen *search_screen_new(struct app *app);
struct screen *record_screen_new(struct app *app, const char *atena);
/* Review: the approval queue and the clerk's own changes. */
struct screen *queue_screen_new(struct app *app);
struct screen *mine_screen_new(struct app *app);
/* 抑止・支援措置 commands; statistics. */
struct screen *protect_screen_new(struct app *app);
struct screen *stats_screen_new(struct app *app);
/* The same, and on success the screen it was opened from closes too (a
 * change that was rejected or withdrawn is no longer there to review). */
struct screen *cmdform_screen_new_closing(const char *command, const char *preset_key,
                                          const char *preset_val);
/* 問合せ・開示請求: the open inquiries, each with its steps. */
struct screen *inquiry_screen_new(struct app *app);
/* The audit review (監査ログの確認): checks, filters, entries, reviews. */
struct screen *audit_screen_new(struct app *app);
/* The key help of a screen (F1). */
struct screen *help_screen_new(const struct screen *of);
/* Seal registration (印鑑登録) in a verified counter transaction of request
 * seal (scr_seal.c); the menu's entry, which first asks for the transaction
 * (or opens one). */
struct screen *seal_screen_new(struct app *app, long long transaction);
struct screen *seal_pick_screen_new(struct app *app);
/* 交付管理: the supervisor's menu of issuance history and void, daily
 * summary, overrides, letters (scr_certadmin.c). */
struct screen *certadmin_screen_new(struct app *app);
/* A command's form with some arguments fixed (shown, not asked); on
 * success it closes and lists reload. */
struct md_args;
struct screen *presetform_screen_new(const char *command, const struct md_args *fixed);

/* The counter (窓口受付): reception, then the transaction's screens; the
 * certificate form of a verified transaction with its subject (category:
 * the applicant category code, for the rows that apply). */
struct screen *counter_screen_new(struct app *app);
struct screen *cert_screen_new(struct app *app, long long transaction, long long subject,
                               const char *category);

/* User administration reports: the revocation register (失効・取消の記録)
 * and the periodic access review (scr_users.c). */
struct screen *revocations_screen_new(struct app *app);
struct screen *access_review_screen_new(struct app *app);
/* The supervisor's daily report (日報). */
struct screen *reports_screen_new(struct app *app);

/* A message screen with keys of its own: keys (ended by ACT_NONE, with its
 * own F3 Back) are the screen's; a bound key other than Back goes to
 * on_key(app, action, user), which returns screen flags. free_user (may be
 * NULL) frees user when the screen goes. */
struct message_keys {
	const struct keybind *keys;
	int (*on_key)(struct app *app, enum action a, void *user);
	void *user;
	void (*free_user)(void *user);
};
struct screen *message_screen_with_keys(const char *title, const char *const *lines, int nlines,
                                       const struct message_keys *mk);

#endif
