/* cmd_certificate.c: commands of this module (being written). */
#include "config.h"

#include <stddef.h>

#include "cmd_impl.h"

const struct md_cmd_entry md_cmds_certificate[] = {
	{ NULL, NULL, NULL, 0, NULL, NULL, NULL }
};
