/* search.h: being written. */
#ifndef MD_SEARCH_H
#define MD_SEARCH_H
#endif
