/* import.c: being written. */
#include "config.h"
#include "import.h"
