/* numawork.h - the NUMA experiments' workloads (bench/numa-policies.sh), one guest each
 * (numa-eng.c, numa-ray.c define NUMAWORK_RAY or not and include this). Every vCPU
 * runs; vCPU 0 first initializes all the data (a serial start-up, like a program
 * loading its input), so without the monitor's help every page lives on vCPU 0's node.
 *
 *   Engineering-like (default): each vCPU owns a private ENG_BYTES region (twice the
 *     board cache) and read-modify-writes one word per cache line of it, ENG_PASSES
 *     times: pages used by one node, written - migration pays.
 *   Raytrace-like (NUMAWORK_RAY): one shared RAY_BYTES scene, read by every vCPU in
 *     full RAY_PASSES times from its own starting offset, plus a small private image
 *     each vCPU writes: pages read-shared by every node - replication pays.
 *
 *   Shared-write (NUMAWORK_SHARED, numa-share.c): nothing to gain. One SHARE_BYTES set
 *     (twice the board cache) that every vCPU read-modify-writes in full, SHARE_PASSES
 *     times, all from the first line (in step, so that at any time every node works on
 *     the same pages), each vCPU its own word of every line: every page is written by
 *     every node about equally, so no placement makes more misses
 *     local (on 4 nodes, a quarter are local wherever a page lives). Unlike the others,
 *     each vCPU first-touches its own slice of the set (outside the kernel image: the
 *     loader zero-fills .bss on node 0) and all meet at a barrier before the passes, so
 *     the pages start spread over the nodes and no node's memory is a hot spot either:
 *     migrating or replicating can only add cost.
 *
 * Checks: each engineering word ends at its initial value + passes; every ray vCPU's
 * sum equals the scene sum vCPU 0 computed at init. It prints "work-count N", the
 * guest Count ticks of the parallel phase (start barrier to the last vCPU done), and
 * powers off with the number of failures. */
#include "rt.h"

#define LINE_WORDS 32u                           /* 128-byte lines */
#define MAXV 8u
#define ENG_BYTES (2u << 20)
#define ENG_PASSES 12u
#define RAY_BYTES (4u << 20)
#define RAY_PASSES 6u
#define IMG_WORDS 2048u

extern char _start[];
static volatile uint32_t go, done, failures;
static volatile uint32_t t_start;
static volatile uint32_t sums[MAXV];

#ifdef NUMAWORK_RAY
static uint32_t scene[RAY_BYTES / 4] __attribute__((aligned(4096)));
static uint32_t image[MAXV][IMG_WORDS] __attribute__((aligned(4096)));
static uint32_t scene_sum;
#elif defined(NUMAWORK_SHARED)
#define SHARE_BYTES (2u << 20)
#define SHARE_PASSES 6u
#define SHARE_BASE (16u << 20)                  /* guest-physical, past the image */
#define shared ((uint32_t *)(uintptr_t)(KWIN + SHARE_BASE))
static volatile uint32_t inited;
#else
static uint32_t region[MAXV][ENG_BYTES / 4] __attribute__((aligned(4096)));
#endif

static void atomic_add(volatile uint32_t *p, uint32_t n)
{
    uint32_t t;
    __asm__ volatile("1: ll %0, 0(%1)\n addu %0, %0, %2\n sc %0, 0(%1)\n beqz %0, 1b\n nop"
                     : "=&r"(t) : "r"(p), "r"(n) : "memory");
}

static uint32_t mix(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352du;
    return x ^ (x >> 15);
}

#ifdef NUMAWORK_RAY
static void init_data(uint32_t n)
{
    (void)n;
    uint32_t s = 0;
    for (uint32_t i = 0; i < RAY_BYTES / 4; i += LINE_WORDS) {
        scene[i] = mix(i);
        s += scene[i];
    }
    scene_sum = s;
}

static void work(uint32_t id, uint32_t n)
{
    const uint32_t lines = RAY_BYTES / 4 / LINE_WORDS;
    uint32_t s = 0;
    for (uint32_t pass = 0; pass < RAY_PASSES; pass++) {
        uint32_t l = (id * lines) / n;
        for (uint32_t k = 0; k < lines; k++) {
            s += scene[l * LINE_WORDS];
            if ((k & 15u) == 0)
                image[id][(k >> 4) % IMG_WORDS] += s;   /* the private image */
            if (++l == lines)
                l = 0;
        }
    }
    sums[id] = s;
}

static void check(uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (sums[i] != scene_sum * RAY_PASSES)
            failures++;
}
#elif defined(NUMAWORK_SHARED)
static void atomic_add(volatile uint32_t *p, uint32_t n);

static void init_data(uint32_t n)
{
    (void)n;                                    /* each vCPU touches its slice first */
}

static void work(uint32_t id, uint32_t n)
{
    const uint32_t lines = SHARE_BYTES / 4 / LINE_WORDS;
    for (uint32_t l = (id * lines) / n; l < ((id + 1) * lines) / n; l++)
        for (uint32_t v = 0; v < n; v++)
            shared[l * LINE_WORDS + v] = mix(l * LINE_WORDS + v);
    atomic_add(&inited, 1);
    while (inited < n)
        ;
    for (uint32_t pass = 0; pass < SHARE_PASSES; pass++)
        for (uint32_t l = 0; l < lines; l++)    /* all in step: every page, every node */
            shared[l * LINE_WORDS + id] += 1;
}

static void check(uint32_t n)
{
    for (uint32_t i = 0; i < SHARE_BYTES / 4; i += LINE_WORDS)
        for (uint32_t v = 0; v < n; v++)
            if (shared[i + v] != mix(i + v) + SHARE_PASSES)
                failures++;
}
#else
static void init_data(uint32_t n)
{
    for (uint32_t v = 0; v < n; v++)
        for (uint32_t i = 0; i < ENG_BYTES / 4; i += LINE_WORDS)
            region[v][i] = mix(v * ENG_BYTES + i);
}

static void work(uint32_t id, uint32_t n)
{
    (void)n;
    for (uint32_t pass = 0; pass < ENG_PASSES; pass++)
        for (uint32_t i = 0; i < ENG_BYTES / 4; i += LINE_WORDS)
            region[id][i] += 1;
}

static void check(uint32_t n)
{
    for (uint32_t v = 0; v < n; v++)
        for (uint32_t i = 0; i < ENG_BYTES / 4; i += LINE_WORDS)
            if (region[v][i] != mix(v * ENG_BYTES + i) + ENG_PASSES)
                failures++;
}
#endif

int main(uint32_t id)
{
    uint32_t n = HAL_BASE[3];
    if (n > MAXV)
        n = MAXV;
    if (id != 0) {
        while (!go)
            ;
        if (id < n) {
            work(id, n);
            atomic_add(&done, 1);
        }
        rt_call(7, 0, 0);
        for (;;)
            rt_call(6, 0, 0);
    }
    init_data(n);
    for (uint32_t i = 1; i < HAL_BASE[3]; i++)
        CHECK("start vcpu", rt_call4(8, (long)i, (long)(uintptr_t)_start, 0, 0), 0);
    t_start = MFC0(9, 0);
    go = 1;
    work(0, n);
    atomic_add(&done, 1);
    while (done < n)
        ;
    uint32_t t = MFC0(9, 0) - t_start;
    rt_putnum("work-count ", (long)t);
    check(n);
    rt_putnum("failures ", (long)failures);
    return (int)(failures + (uint32_t)rt_failures);
}
