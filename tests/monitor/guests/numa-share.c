/* numa-share.c - the NUMA workload with nothing to gain: a write-shared set (numawork.h). */
#define NUMAWORK_SHARED 1
#include "numawork.h"
