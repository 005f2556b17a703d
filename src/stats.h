/* stats.h: being written. */
#ifndef MD_STATS_H
#define MD_STATS_H
#endif
