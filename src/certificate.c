/* certificate.c: being written. */
#include "config.h"
#include "certificate.h"
