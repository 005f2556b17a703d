/* seal.c: being written. */
#include "config.h"
#include "seal.h"
