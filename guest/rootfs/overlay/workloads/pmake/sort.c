#include <stdlib.h>
#include "work.h"

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Sorts n pseudo-random numbers; the checksum weighs each by its position, so it
 * depends on the order as well as the values. */
uint64_t work_sort_checksum(unsigned n, uint32_t seed)
{
    uint32_t *v = malloc(n * sizeof *v);
    uint64_t sum = 0;
    if (!v)
        return 0;
    for (unsigned i = 0; i < n; i++)
        v[i] = work_rand(&seed);
    qsort(v, n, sizeof *v, cmp_u32);
    for (unsigned i = 0; i < n; i++)
        sum += (uint64_t)v[i] * (i + 1);
    free(v);
    return sum;
}
