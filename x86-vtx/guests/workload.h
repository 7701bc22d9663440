/* workload.h - the memory-touching workload's pattern and checksum, shared by the guest
 * (which computes it in guest RAM) and the host tests (which recompute it to check).
 * Pure integer code, usable freestanding and hosted. Invariant: the checksum of a
 * region depends only on (vm index, number of 8-byte words), never on where it lives. */
#ifndef X86_VTX_WORKLOAD_H
#define X86_VTX_WORKLOAD_H

#include <stdint.h>

static inline uint64_t vtx_wl_word(uint64_t vm, uint64_t i)
{
    uint64_t x = (vm + 1) * 0x9e3779b97f4a7c15ULL ^ (i * 0xbf58476d1ce4e5b9ULL);
    x ^= x >> 31;
    return x * 0x94d049bb133111ebULL;
}

static inline uint64_t vtx_wl_mix(uint64_t sum, uint64_t w)
{
    return (sum ^ w) * 0x100000001b3ULL + (sum >> 29);
}

/* Checksum the host can compute without running a guest. */
static inline uint64_t vtx_wl_expected(uint64_t vm, uint64_t nwords)
{
    uint64_t s = 0xcbf29ce484222325ULL;
    for (uint64_t i = 0; i < nwords; i++)
        s = vtx_wl_mix(s, vtx_wl_word(vm, i));
    return s;
}

#endif
