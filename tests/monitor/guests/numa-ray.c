/* numa-ray.c - the Raytrace-like NUMA workload (numawork.h). */
#define NUMAWORK_RAY 1
#include "numawork.h"
