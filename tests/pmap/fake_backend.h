/* tests/pmap/fake_backend.h - a backend for the pmap tests: each machine frame holds one
 * 64-bit word standing for its contents (copies copy it), the mapping entry is
 * EntryLo-like (PFN << 6 | node << 1 | valid), and shootdowns are counted and forwarded
 * to per-virtual-CPU L2TLBs when the location is an L2TLB entry. */
#ifndef TESTS_PMAP_FAKE_BACKEND_H
#define TESTS_PMAP_FAKE_BACKEND_H

#include <stdint.h>
#include "l2tlb/l2tlb.h"
#include "pmap/pmap.h"

#define FAKE_MAX_VCPUS 16

struct fake_backend {
    uint64_t *content;       /* [nframes] */
    uint64_t nframes;
    uint64_t copies, shootdowns, remaps, bad_flushes;
    uint32_t last_vm;
    uint64_t last_gpn;
    struct pmap_cache_loc last_loc;
    struct l2tlb *tlb[FAKE_MAX_VCPUS];   /* optional: per-vCPU L2TLBs */
};

extern const struct pmap_backend_ops fake_backend_ops;

int fake_backend_init(struct fake_backend *fb, uint64_t nframes);
void fake_backend_fini(struct fake_backend *fb);
uint64_t fake_entry(uint64_t mfn, unsigned node);

#endif
