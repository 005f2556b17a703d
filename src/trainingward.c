/* trainingward.c: being written. */
#include "config.h"
#include "trainingward.h"
