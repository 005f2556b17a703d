/* search.c: being written. */
#include "config.h"
#include "search.h"
