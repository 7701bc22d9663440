#include <stdlib.h>
#include "work.h"

/* Integer matrix product C = A*B (modulo 2^32); returns the trace of C. */
uint64_t work_matrix_trace(unsigned n, uint32_t seed)
{
    uint32_t *a = malloc(3 * n * n * sizeof *a), *b = a + n * n, *c = b + n * n;
    uint64_t trace = 0;
    if (!a)
        return 0;
    for (unsigned i = 0; i < 2 * n * n; i++)
        a[i] = work_rand(&seed) & 0xffff;
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j < n; j++) {
            uint32_t s = 0;
            for (unsigned k = 0; k < n; k++)
                s += a[i * n + k] * b[k * n + j];
            c[i * n + j] = s;
        }
    for (unsigned i = 0; i < n; i++)
        trace += c[i * n + i];
    free(a);
    return trace;
}
