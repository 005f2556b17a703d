/* support.c: being written. */
#include "config.h"
#include "support.h"
