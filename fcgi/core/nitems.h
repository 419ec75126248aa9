/* nitems.h: the number of elements of an array (BSD's nitems). Only for real arrays:
 * a pointer gives nonsense, so never pass a function parameter. */
#ifndef RM_NITEMS_H
#define RM_NITEMS_H

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

#endif
