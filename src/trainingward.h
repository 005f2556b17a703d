/* trainingward.h: being written. */
#ifndef MD_TRAININGWARD_H
#define MD_TRAININGWARD_H
#endif
