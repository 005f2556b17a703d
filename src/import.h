/* import.h: being written. */
#ifndef MD_IMPORT_H
#define MD_IMPORT_H
#endif
