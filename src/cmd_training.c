/* cmd_training.c: commands of the synthetic training ward. The ward is made
 * by "training-db" (in the core table, cmd.c, with its --residents and
 * --seed options; handler in cmd_account.c, generator in trainingward.c), so
 * this module adds no command of its own. */
#include "config.h"

#include <stddef.h>

#include "cmd_impl.h"

const struct md_cmd_entry md_cmds_training[] = {
	{ NULL, NULL, NULL, 0, NULL, NULL, NULL }
};
