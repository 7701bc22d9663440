/* tests/pmap/fake_backend.c - see fake_backend.h. */
#include "tests/pmap/fake_backend.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

uint64_t fake_entry(uint64_t mfn, unsigned node)
{
    return mfn << 6 | (uint64_t)node << 1 | 1;
}

static int fake_copy(void *ctx, uint64_t dst, uint64_t src)
{
    struct fake_backend *fb = ctx;
    if (dst >= fb->nframes || src >= fb->nframes)
        return -EINVAL;
    fb->content[dst] = fb->content[src];
    fb->copies++;
    return 0;
}

static uint64_t fake_make_entry(void *ctx, uint64_t mfn, unsigned node)
{
    (void)ctx;
    return fake_entry(mfn, node);
}

static void fake_shootdown(void *ctx, uint32_t vm, uint64_t gpn, const struct pmap_cache_loc *loc)
{
    struct fake_backend *fb = ctx;
    fb->shootdowns++;
    fb->last_vm = vm;
    fb->last_gpn = gpn;
    fb->last_loc = *loc;
    if (loc->kind == PMAP_CACHE_L2TLB && loc->vcpu < FAKE_MAX_VCPUS && fb->tlb[loc->vcpu]
        && l2tlb_flush_one(fb->tlb[loc->vcpu], loc->slot, loc->asid, loc->gvpn) != 0)
        fb->bad_flushes++;   /* a backmap named an entry that is not there: a bug */
}

static void fake_remap(void *ctx, uint32_t vm, uint64_t gpn, uint64_t mfn, unsigned node)
{
    (void)vm; (void)gpn; (void)mfn; (void)node;
    ((struct fake_backend *)ctx)->remaps++;
}

const struct pmap_backend_ops fake_backend_ops = {
    .copy_page = fake_copy,
    .make_entry = fake_make_entry,
    .shootdown = fake_shootdown,
    .remap = fake_remap,
};

int fake_backend_init(struct fake_backend *fb, uint64_t nframes)
{
    memset(fb, 0, sizeof *fb);
    fb->content = calloc(nframes, sizeof *fb->content);
    fb->nframes = nframes;
    return fb->content ? 0 : -ENOMEM;
}

void fake_backend_fini(struct fake_backend *fb)
{
    free(fb->content);
    fb->content = NULL;
}
