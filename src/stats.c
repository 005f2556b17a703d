/* stats.c: being written. */
#include "config.h"
#include "stats.h"
