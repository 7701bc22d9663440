/* numa_access.c - every kind of load and store under the NUMA cache model: four CPUs
 * on two nodes read and write bytes, halfwords, words, unaligned words (LWL/LWR,
 * SWL/SWR), FP words and doublewords (LWC1/SWC1, LDC1/SDC1) in a buffer homed on node 1
 * that they all share (misses, invalidations, upgrades, hot pages) and in private
 * arrays on node 0, with console output (a device) and LL/SC in between.
 * tests/integration/mips-engines.sh runs it on each engine and compares the statistics
 * and hot-page logs byte for byte; here each CPU checks its private results.
 * sim-opts: --board numa --nodes 2 --cpus-per-node 2 --mem-per-node 32M --hot-threshold 8
 */
#include "bm.h"

#define ST_CU1 0x20000000u
#define SHARED_PHYS (36u << 20)          /* node 1 */
#define SHARED_BYTES (64u * 1024u)
#define PRIVATE_WORDS 2048u
#define ROUNDS 4
#define STEPS 3000

struct __attribute__((packed)) unaligned { uint8_t pad; uint32_t v; };

static uint32_t priv[4][PRIVATE_WORDS];
static double dpriv[4][64];
static volatile uint32_t done, lock;

/* One step on the shared buffer: every access width, results folded into sum. */
static uint32_t shared_step(volatile uint8_t *sh, uint32_t x, unsigned cpu)
{
    uint32_t off = (x >> 8) & (SHARED_BYTES - 16);
    uint32_t sum = (uint32_t)(int8_t)sh[off + 3] + *(volatile uint16_t *)(sh + off + 6);
    sum += *(volatile uint32_t *)(sh + off + 8);
    sh[off + cpu] = (uint8_t)x;
    *(volatile uint16_t *)(sh + off + 4) = (uint16_t)(x >> 3);
    volatile struct unaligned *u = (volatile struct unaligned *)(sh + off + (cpu & 1) * 4);
    sum += u->v;
    u->v = sum ^ x;
    volatile float *f = (volatile float *)(sh + off + 8);
    *f = *f * 0.5f + 1.0f;
    return sum;
}

/* One step on the CPU's private data, whose result is checked. */
static void private_step(uint32_t *p, double *d, uint32_t x, uint32_t i)
{
    uint32_t k = i & (PRIVATE_WORDS - 2);
    uint8_t *b = (uint8_t *)&p[k];
    volatile struct unaligned *u = (volatile struct unaligned *)(b + 1);
    u->v += x;                              /* LWL/LWR, SWL/SWR across two words */
    ((volatile uint16_t *)&p[k + 1])[1] ^= (uint16_t)i;
    volatile double *dv = &d[i & 63];
    *dv = *dv + (double)(x & 0xff);         /* LDC1/SDC1 */
}

int main(unsigned cpu)
{
    MTC0(12, 0, MFC0(12, 0) | ST_CU1);
    volatile uint8_t *sh = (volatile uint8_t *)(0x80000000u + SHARED_PHYS);
    uint32_t *p = priv[cpu & 3];
    double *d = dpriv[cpu & 3];
    uint32_t x = cpu * 7919u + 1u, sum = 0, added = 0;
    double dsum = 0;
    for (uint32_t r = 0; r < ROUNDS; r++) {
        for (uint32_t i = 0; i < STEPS; i++) {
            x = x * 1103515245u + 12345u;
            sum += shared_step(sh, x, cpu);
            private_step(p, d, x, i);
            added += x & 0xff;
        }
        bm_lock(&lock);
        bm_putc((char)('0' + cpu));         /* a device access */
        bm_unlock(&lock);
    }
    for (unsigned i = 0; i < 64; i++)
        dsum += d[i];
    CHECK(dsum == (double)added);           /* the doubles saw every addition */
    bm_atomic_add(&done, 1);
    if (cpu != 0)
        return 0;
    while (done != bm_ncpus()) {}
    bm_puts("\nnuma_access: ok ");
    bm_puthex(sum);
    bm_putc('\n');
    return 0;
}
