/* l2tlb/l2tlb.c - set-associative software TLB keyed by (ASID, vpn, page size). */
#include "l2tlb/l2tlb.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define GLOBAL_KEY UINT32_MAX   /* hash key used for global entries instead of the ASID */

struct l2tlb_slot {
    struct l2tlb_entry e;
    uint8_t valid;
};

struct l2tlb {
    uint32_t nslots, nsets;
    struct l2tlb_slot *slot;        /* set s occupies slots [s*WAYS, s*WAYS+WAYS) */
    uint8_t *victim;                /* per set: next round-robin victim way */
    uint32_t shift_count[L2TLB_MAX_PAGE_SHIFT + 1]; /* valid entries per page size */
    uint32_t shift_mask;            /* bit s set iff shift_count[s] > 0 */
    uint32_t nglobal;               /* valid global entries */
    struct l2tlb_stats stats;
    l2tlb_evict_fn evict;
    void *ctx;
};

int l2tlb_create(struct l2tlb **out, const struct l2tlb_config *cfg, l2tlb_evict_fn evict,
                 void *ctx)
{
    uint32_t n = cfg && cfg->entries ? cfg->entries : L2TLB_DEFAULT_ENTRIES;
    if (!out || n < L2TLB_WAYS || (n & (n - 1)) != 0 || n > (1u << 28))
        return -EINVAL;
    struct l2tlb *t = calloc(1, sizeof *t);
    if (!t)
        return -ENOMEM;
    t->nslots = n;
    t->nsets = n / L2TLB_WAYS;
    t->slot = calloc(n, sizeof *t->slot);
    t->victim = calloc(t->nsets, 1);
    if (!t->slot || !t->victim) {
        l2tlb_destroy(t);
        return -ENOMEM;
    }
    t->evict = evict;
    t->ctx = ctx;
    *out = t;
    return 0;
}

void l2tlb_destroy(struct l2tlb *t)
{
    if (!t)
        return;
    free(t->slot);
    free(t->victim);
    free(t);
}

uint32_t l2tlb_capacity(const struct l2tlb *t)
{
    return t ? t->nslots : 0;
}

/* Fibonacci hashing of the key; the set count is a power of two. */
static uint32_t set_of(const struct l2tlb *t, uint32_t key, uint64_t vpn, unsigned shift)
{
    uint64_t h = (vpn >> shift) ^ ((uint64_t)key << 40) ^ ((uint64_t)shift << 34);
    h *= 0x9e3779b97f4a7c15ull;
    return (uint32_t)(h >> 32) & (t->nsets - 1);
}

static int is_global(const struct l2tlb_entry *e)
{
    return (e->prot & L2TLB_PROT_GLOBAL) != 0;
}

static int same_key(const struct l2tlb_entry *e, uint32_t key, uint64_t vpn, unsigned shift)
{
    uint32_t ekey = is_global(e) ? GLOBAL_KEY : e->asid;
    return e->page_shift == shift && e->vpn == vpn && ekey == key;
}

/* Slot index of a valid entry with this key in its set, or -1. */
static int probe(const struct l2tlb *t, uint32_t key, uint64_t vpn, unsigned shift)
{
    uint32_t base = set_of(t, key, vpn, shift) * L2TLB_WAYS;
    for (uint32_t w = 0; w < L2TLB_WAYS; w++) {
        const struct l2tlb_slot *s = &t->slot[base + w];
        if (s->valid && same_key(&s->e, key, vpn, shift))
            return (int)(base + w);
    }
    return -1;
}

int l2tlb_lookup(struct l2tlb *t, uint32_t asid, uint64_t vpn, struct l2tlb_entry *out,
                 uint32_t *slot)
{
    if (!t)
        return -EINVAL;
    t->stats.lookups++;
    /* One probe per page size present (usually only 4 KB), twice if globals exist. */
    for (uint32_t m = t->shift_mask; m; m &= m - 1) {
        unsigned shift = (unsigned)__builtin_ctz(m);
        uint64_t start = vpn & ~(((uint64_t)1 << shift) - 1);
        int i = probe(t, asid, start, shift);
        if (i < 0 && t->nglobal)
            i = probe(t, GLOBAL_KEY, start, shift);
        if (i >= 0) {
            t->stats.hits++;
            if (out)
                *out = t->slot[i].e;
            if (slot)
                *slot = (uint32_t)i;
            return 0;
        }
    }
    t->stats.misses++;
    return -ENOENT;
}

/* Drop a valid slot; tell the owner when the L2TLB itself decided to drop it. */
static void drop(struct l2tlb *t, uint32_t i, int notify)
{
    struct l2tlb_slot *s = &t->slot[i];
    s->valid = 0;
    if (--t->shift_count[s->e.page_shift] == 0)
        t->shift_mask &= ~(1u << s->e.page_shift);
    if (is_global(&s->e))
        t->nglobal--;
    if (notify && t->evict)
        t->evict(t->ctx, i, &s->e);
}

int l2tlb_insert(struct l2tlb *t, const struct l2tlb_entry *e, uint32_t *slot)
{
    if (!t || !e || e->page_shift > L2TLB_MAX_PAGE_SHIFT
        || (e->vpn & (((uint64_t)1 << e->page_shift) - 1)) != 0)
        return -EINVAL;
    uint32_t key = is_global(e) ? GLOBAL_KEY : e->asid;
    uint32_t set = set_of(t, key, e->vpn, e->page_shift);
    int i = probe(t, key, e->vpn, e->page_shift);
    if (i < 0) {                                  /* free way, else round-robin victim */
        for (uint32_t w = 0; w < L2TLB_WAYS && i < 0; w++)
            if (!t->slot[set * L2TLB_WAYS + w].valid)
                i = (int)(set * L2TLB_WAYS + w);
        if (i < 0) {
            i = (int)(set * L2TLB_WAYS + t->victim[set]);
            t->victim[set] = (uint8_t)((t->victim[set] + 1) % L2TLB_WAYS);
        }
    }
    if (t->slot[i].valid) {
        t->stats.evictions++;
        drop(t, (uint32_t)i, 1);
    }
    t->slot[i].e = *e;
    t->slot[i].valid = 1;
    t->shift_count[e->page_shift]++;
    t->shift_mask |= 1u << e->page_shift;
    if (is_global(e))
        t->nglobal++;
    t->stats.inserts++;
    if (slot)
        *slot = (uint32_t)i;
    return 0;
}

int l2tlb_set_cookie(struct l2tlb *t, uint32_t slot, uint64_t cookie)
{
    if (!t || slot >= t->nslots || !t->slot[slot].valid)
        return -EINVAL;
    t->slot[slot].e.cookie = cookie;
    return 0;
}

int l2tlb_read(const struct l2tlb *t, uint32_t slot, struct l2tlb_entry *out)
{
    if (!t || !out || slot >= t->nslots)
        return -EINVAL;
    if (!t->slot[slot].valid)
        return -ENOENT;
    *out = t->slot[slot].e;
    return 0;
}

void l2tlb_flush_all(struct l2tlb *t)
{
    if (!t)
        return;
    t->stats.flushes_all++;
    for (uint32_t i = 0; i < t->nslots; i++)
        if (t->slot[i].valid)
            drop(t, i, 1);
}

void l2tlb_flush_asid(struct l2tlb *t, uint32_t asid)
{
    if (!t)
        return;
    t->stats.flushes_asid++;
    for (uint32_t i = 0; i < t->nslots; i++) {
        const struct l2tlb_slot *s = &t->slot[i];
        if (s->valid && !is_global(&s->e) && s->e.asid == asid)
            drop(t, i, 1);
    }
}

int l2tlb_flush_one(struct l2tlb *t, uint32_t slot, uint32_t asid, uint64_t vpn)
{
    if (!t || slot >= t->nslots)
        return -EINVAL;
    const struct l2tlb_slot *s = &t->slot[slot];
    if (!s->valid || s->e.vpn != vpn || (!is_global(&s->e) && s->e.asid != asid))
        return -ENOENT;
    t->stats.flushes_one++;
    drop(t, slot, 0);
    return 0;
}

const struct l2tlb_stats *l2tlb_get_stats(const struct l2tlb *t)
{
    return t ? &t->stats : NULL;
}

void l2tlb_reset_stats(struct l2tlb *t)
{
    if (t)
        memset(&t->stats, 0, sizeof t->stats);
}
