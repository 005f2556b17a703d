/* cmd_impl.h: command handlers, private to the core. Only cmd.c's table
 * refers to them; every caller goes through md_cmd_exec(). */
#ifndef MD_CMD_IMPL_H
#define MD_CMD_IMPL_H

#include "cmd.h"

#define MD_HANDLER(fn) \
	int fn(struct md_ctx *ctx, const struct md_args *args, struct md_result *res, \
	       struct md_error *err)

/* cmd_account.c */
MD_HANDLER(cmd_init);
MD_HANDLER(cmd_training_db);
MD_HANDLER(cmd_login);
MD_HANDLER(cmd_logout);
MD_HANDLER(cmd_lock);
MD_HANDLER(cmd_unlock);
MD_HANDLER(cmd_passwd);
MD_HANDLER(cmd_user_add);
MD_HANDLER(cmd_user_disable);
MD_HANDLER(cmd_user_unlock);
MD_HANDLER(cmd_user_reset_password);
MD_HANDLER(cmd_user_grant);
MD_HANDLER(cmd_user_revoke);
MD_HANDLER(cmd_user_terminals);
MD_HANDLER(cmd_user_list);
MD_HANDLER(cmd_user_demo_list);
MD_HANDLER(cmd_audit_verify);

/* cmd_registry.c */
MD_HANDLER(cmd_change_check);
MD_HANDLER(cmd_change_save);
MD_HANDLER(cmd_change_approve);
MD_HANDLER(cmd_change_reject);
MD_HANDLER(cmd_change_withdraw);
MD_HANDLER(cmd_change_queue);
MD_HANDLER(cmd_change_mine);
MD_HANDLER(cmd_change_show);
MD_HANDLER(cmd_change_template);
MD_HANDLER(cmd_edit_begin);
MD_HANDLER(cmd_edit_end);

/* The command tables of the other modules, each in its own cmd_*.c and
 * ended by a NULL name; cmd.c merges them. */
extern const struct md_cmd_entry md_cmds_search[];    /* cmd_search.c: search, record view */
extern const struct md_cmd_entry md_cmds_protect[];   /* cmd_protect.c: 抑止, 支援措置 */
extern const struct md_cmd_entry md_cmds_import[];    /* cmd_import.c: migration import */
extern const struct md_cmd_entry md_cmds_training[];  /* cmd_training.c: synthetic ward */
extern const struct md_cmd_entry md_cmds_stats[];     /* cmd_stats.c: statistics */
extern const struct md_cmd_entry md_cmds_counter[];   /* cmd_counter.c: reception, identity */
extern const struct md_cmd_entry md_cmds_certificate[]; /* cmd_certificate.c: certificates */
extern const struct md_cmd_entry md_cmds_seal[];      /* cmd_seal.c: seal registration */
extern const struct md_cmd_entry md_cmds_inquiry[];   /* cmd_inquiry.c: 問合せ・開示請求 */
extern const struct md_cmd_entry md_cmds_audit[];     /* cmd_audit.c: audit review */
extern const struct md_cmd_entry md_cmds_certadmin[]; /* cmd_certadmin.c: overrides, letters, spool */
extern const struct md_cmd_entry md_cmds_users[];     /* cmd_users.c: user administration, reports */
extern const struct md_cmd_entry md_cmds_ops[];       /* cmd_ops.c: backup, restore, purge, daily report */

#endif
