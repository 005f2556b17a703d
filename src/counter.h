/* counter.h: being written. */
#ifndef MD_COUNTER_H
#define MD_COUNTER_H
#endif
