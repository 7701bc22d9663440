/*
 * work.h - the workload of a mini user process, as pure functions, shared by the user
 * program (guest/mini/user/), the kernel's own reference run and the host reference
 * (guest/mini/tools/mini-ref.c), which compute the same checksums without paging,
 * preemption or user mode.
 *
 * A process owns npages pages of heap. Each pass visits every page once, in a
 * permutation order (stride coprime with npages, start moving by pass), and
 * read-modify-writes WORK_WORDS consecutive words at an offset picked by the running
 * state, folding them into the state. The final fold reads every 16th word of every
 * page. With a working set several times the TLB's reach, most visits miss the TLB.
 *
 * The includer may define WORK_MEM_T (type of the memory handle) and WORK_PAGE(mem,
 * pg) (address of page pg's first word) before including; the default is one flat
 * array of words.
 */
#ifndef MINI_WORK_H
#define MINI_WORK_H

#include <stdint.h>

#ifndef WORK_MEM_T
#define WORK_MEM_T uint32_t *
#define WORK_PAGE(mem, pg) ((mem) + (pg) * WORK_PAGE_WORDS)
#endif

#define WORK_PAGE_WORDS 1024u
#define WORK_WORDS      8u
#define WORK_OFF_MASK   ((WORK_PAGE_WORDS - 1) & ~(WORK_WORDS - 1))
#define WORK_STRIDE0    97u
#define WORK_PASS_STEP  13u
#define WORK_FOLD_STEP  16u

static inline uint32_t work_mix(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

static inline uint32_t work_gcd(uint32_t a, uint32_t b)
{
    while (b) {
        uint32_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* A step coprime with npages, so pg += stride visits every page once per pass. */
static inline uint32_t work_stride(uint32_t npages)
{
    if (npages <= 1)
        return 0;
    uint32_t s = WORK_STRIDE0 % npages;
    while (s == 0 || work_gcd(s, npages) != 1)
        s = (s + 1) % npages;
    return s;
}

static inline uint32_t work_init(uint32_t pid, uint32_t seed)
{
    return work_mix(seed * 0x9e3779b9u + pid);
}

static inline uint32_t work_pass(WORK_MEM_T mem, uint32_t npages, uint32_t pass, uint32_t state)
{
    uint32_t stride = work_stride(npages), pg = (pass * WORK_PASS_STEP) % npages;
    for (uint32_t k = 0; k < npages; k++) {
        uint32_t *p = WORK_PAGE(mem, pg) + (work_mix(state ^ k) & WORK_OFF_MASK);
        for (uint32_t j = 0; j < WORK_WORDS; j++) {
            uint32_t v = p[j] * 0x01000193u + state + j;
            p[j] = v;
            state = ((state << 5) | (state >> 27)) ^ v;
        }
        pg += stride;
        if (pg >= npages)
            pg -= npages;
    }
    return state;
}

static inline uint32_t work_fold(WORK_MEM_T mem, uint32_t npages, uint32_t state)
{
    for (uint32_t pg = 0; pg < npages; pg++) {
        const uint32_t *p = WORK_PAGE(mem, pg);
        for (uint32_t w = 0; w < WORK_PAGE_WORDS; w += WORK_FOLD_STEP)
            state = state * 31u + p[w];
    }
    return state;
}

/* The whole life of one process: its exit status. */
static inline uint32_t work_process(WORK_MEM_T mem, uint32_t npages, uint32_t iters,
                                    uint32_t pid, uint32_t seed)
{
    uint32_t state = work_init(pid, seed);
    for (uint32_t it = 0; it < iters; it++)
        state = work_pass(mem, npages, it, state);
    return work_fold(mem, npages, state);
}

#endif
