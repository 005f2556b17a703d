/* support.h: being written. */
#ifndef MD_SUPPORT_H
#define MD_SUPPORT_H
#endif
