/*
 * bench_numa_mix.c - the workload of bench/numa-model.sh: every CPU repeatedly updates
 * its own 512 KB array (a load, three ALU operations and a store per word, so about one
 * memory access in three instructions) and reads a 64 KB table shared by all CPUs.
 * Not a test: tests/mips/module.mk leaves bench_* out of the test list.
 */
#include "bm.h"

#define WORDS (128u * 1024u)
#define SHARED_WORDS (16u * 1024u)
#define ROUNDS 12

static uint32_t arrays[8][WORDS];
static uint32_t shared[SHARED_WORDS];
static volatile uint32_t done;

int main(unsigned cpu)
{
    uint32_t *a = arrays[cpu & 7], x = cpu + 1;
    for (uint32_t r = 0; r < ROUNDS; r++)
        for (uint32_t i = 0; i < WORDS; i++) {
            x = x * 1103515245u + 12345u;
            a[i] = (a[i] ^ x) + shared[(x >> 8) & (SHARED_WORDS - 1)];
        }
    bm_atomic_add(&done, 1);
    if (cpu == 0)
        while (done != bm_ncpus()) {}
    return 0;
}
