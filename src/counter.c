/* counter.c: being written. */
#include "config.h"
#include "counter.h"
