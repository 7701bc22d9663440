/* numa-eng.c - the Engineering-like NUMA workload (numawork.h). */
#include "numawork.h"
