/* seal.h: being written. */
#ifndef MD_SEAL_H
#define MD_SEAL_H
#endif
