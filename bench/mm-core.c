/* bench/mm-core.c - operations per second of the memory-management core: pmap lookup
 * (1 MB and 1 GB guests, three access patterns), L2TLB lookup, migrate, replicate and
 * collapse. Machine pages are real 4 KB buffers for the operations that copy, so a
 * migration or replication includes a real 4 KB memcpy. Prints its headline figure
 * last: "pmap lookups/s: N (...; uniform random: U)": N for a 1 GB guest with random
 * lookups in a scattered 512-page working set (cache-friendly: the pmap entries it
 * touches stay in the host's caches), U for lookups uniformly random over the whole
 * 1 GB guest (every lookup a likely cache miss), printed beside it so the friendly case
 * is never read alone.
 * Usage: mm-core [seconds-per-measurement] (default 0.3). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "l2tlb/l2tlb.h"
#include "numa/policy.h"
#include "pmap/memmap.h"
#include "pmap/pmap.h"

#define PAGE 4096
#define NODES 4

struct bench_backend {
    unsigned char *ram;      /* NULL: copies are not performed (lookup benchmarks) */
    uint64_t frames;
    uint64_t shootdowns;
};

static int be_copy(void *ctx, uint64_t dst, uint64_t src)
{
    struct bench_backend *b = ctx;
    if (b->ram)
        memcpy(b->ram + dst * PAGE, b->ram + src * PAGE, PAGE);
    return 0;
}

static uint64_t be_entry(void *ctx, uint64_t mfn, unsigned node)
{
    (void)ctx;
    return mfn << 6 | (uint64_t)node << 1 | 1;     /* EntryLo-like: PFN, cache attr, V */
}

static void be_shootdown(void *ctx, uint32_t vm, uint64_t gpn, const struct pmap_cache_loc *l)
{
    (void)vm; (void)gpn; (void)l;
    ((struct bench_backend *)ctx)->shootdowns++;
}

static const struct pmap_backend_ops bench_ops = { be_copy, be_entry, be_shootdown, NULL };

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng = 88172645463325252ull;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "mm-core: %s failed: %s\n", what, strerror(rc < 0 ? -rc : rc));
    exit(1);
}

/* A world: 4-node synthetic topology, a pool of `frames` frames split over the nodes. */
struct world {
    struct numa_topology *topo;
    struct numa_pool *pool;
    struct memmap *mm;
    struct bench_backend be;
};

static void world_init(struct world *w, uint64_t frames, int with_ram)
{
    memset(w, 0, sizeof *w);
    int rc;
    if ((rc = numa_topology_create_nodes(&w->topo, NODES, 1)) != 0)
        die("topology", rc);
    if ((rc = numa_pool_create(&w->pool, w->topo)) != 0)
        die("pool", rc);
    uint64_t per = frames / NODES;
    for (unsigned n = 0; n < NODES; n++)
        if ((rc = numa_pool_add_range(w->pool, n, n * per, per)) != 0)
            die("pool range", rc);
    w->be.frames = per * NODES;
    if (with_ram && !(w->be.ram = calloc(w->be.frames, PAGE)))
        die("ram", ENOMEM);
    if ((rc = memmap_create(&w->mm, w->pool, &bench_ops, &w->be, 4)) != 0)
        die("memmap", rc);
}

static void world_fini(struct world *w)
{
    memmap_destroy(w->mm);
    numa_pool_destroy(w->pool);
    numa_topology_destroy(w->topo);
    free(w->be.ram);
}

static double budget = 0.3;   /* seconds per measurement */
static volatile uint64_t sink;

#define NIDX (1u << 20)

/* Lookups/s over the index stream idx[] (NIDX entries), repeated until the budget. */
static double time_lookups(const struct pmap *pm, const uint32_t *idx)
{
    struct pmap_translation t;
    uint64_t acc = 0, n = 0;
    double t0 = now(), t1;
    do {
        for (uint32_t i = 0; i < NIDX; i++) {
            pmap_lookup(pm, idx[i], i & (NODES - 1), &t);
            acc ^= t.map_entry;
        }
        n += NIDX;
        t1 = now();
    } while (t1 - t0 < budget);
    sink = acc;
    return (double)n / (t1 - t0);
}

enum pattern { SEQUENTIAL, WORKING_SET, UNIFORM };
static const char *const pattern_name[] = {
    "sequential", "random in a 512-page working set spread over the guest", "uniform random",
};

static void fill_indices(uint32_t *idx, uint64_t pages, enum pattern p)
{
    uint32_t ws[512];
    for (unsigned i = 0; i < 512; i++)
        ws[i] = (uint32_t)(rnd() % pages);
    for (uint32_t i = 0; i < NIDX; i++)
        idx[i] = p == SEQUENTIAL ? (uint32_t)(i % pages)
               : p == WORKING_SET ? ws[rnd() % 512] : (uint32_t)(rnd() % pages);
}

struct lookup_rates {
    double working_set, uniform;
};

/* pmap lookups for a guest of `pages` pages, for each access pattern. */
static struct lookup_rates bench_lookup(uint64_t pages, const char *label, uint32_t *idx)
{
    struct world w;
    world_init(&w, pages + NODES, 0);
    struct pmap *pm;
    int rc;
    if ((rc = pmap_create(&pm, w.mm, 0, pages)) != 0)
        die("pmap", rc);
    for (uint64_t g = 0; g < pages; g++)
        if ((rc = pmap_map_new(pm, g, (unsigned)(g % NODES), NULL)) != 0)
            die("map", rc);
    struct lookup_rates rates = { 0, 0 };
    for (int p = SEQUENTIAL; p <= UNIFORM; p++) {
        fill_indices(idx, pages, (enum pattern)p);
        double r = time_lookups(pm, idx);
        printf("pmap lookup, %s guest (%llu pages), %s: %.0f lookups/s (%.1f ns each)\n",
               label, (unsigned long long)pages, pattern_name[p], r, 1e9 / r);
        if (p == WORKING_SET)
            rates.working_set = r;
        else if (p == UNIFORM)
            rates.uniform = r;
    }
    pmap_destroy(pm);
    world_fini(&w);
    return rates;
}

static void bench_l2tlb(void)
{
    struct l2tlb *t;
    int rc;
    if ((rc = l2tlb_create(&t, NULL, NULL, NULL)) != 0)
        die("l2tlb", rc);
    uint32_t n = l2tlb_capacity(t);
    uint64_t *vpn = malloc(n * sizeof *vpn);
    for (uint32_t i = 0; i < n; i++) {
        vpn[i] = rnd() & 0xfffff;
        struct l2tlb_entry e = { .vpn = vpn[i], .mfn = i, .asid = 1, .prot = L2TLB_PROT_READ };
        l2tlb_insert(t, &e, NULL);
    }
    struct l2tlb_entry out;
    uint64_t acc = 0, lookups = 0;
    double t0 = now(), t1;
    do {
        for (uint32_t i = 0; i < NIDX; i++)
            if (l2tlb_lookup(t, 1, vpn[(i * 2654435761u) & (n - 1)], &out, NULL) == 0)
                acc += out.mfn;
        lookups += NIDX;
        t1 = now();
    } while (t1 - t0 < budget);
    sink = acc;
    const struct l2tlb_stats *s = l2tlb_get_stats(t);
    printf("l2tlb lookup, %u entries, %u-way: %.0f lookups/s (%.1f ns each, hit rate %.1f%%)\n",
           n, L2TLB_WAYS, (double)lookups / (t1 - t0), (t1 - t0) * 1e9 / (double)lookups,
           100.0 * (double)s->hits / (double)s->lookups);
    free(vpn);
    l2tlb_destroy(t);
}

/* Migrate pages back and forth between nodes, each shared by 2 VMs with 2 cached
 * translations (so a migration switches 2 users and shoots down 2 backmaps). */
static void bench_migrate_replicate(void)
{
    enum { PAGES = 1024 };
    struct world w;
    world_init(&w, 4 * 4096, 1);           /* 16384 frames: 64 MB of real "machine" RAM */
    struct pmap *a, *b;
    int rc;
    if ((rc = pmap_create(&a, w.mm, 0, PAGES)) != 0 || (rc = pmap_create(&b, w.mm, 1, PAGES)) != 0)
        die("pmap", rc);
    struct pmap_cache_loc loc = { .kind = PMAP_CACHE_TLB };
    for (uint64_t g = 0; g < PAGES; g++) {
        if ((rc = pmap_map_new(a, g, 0, NULL)) != 0 || (rc = pmap_share_cow(a, g, b, g)) != 0)
            die("map", rc);
    }
    uint64_t moves = 0;
    double t0 = now(), t1;
    do {
        for (uint64_t g = 0; g < PAGES; g++) {
            pmap_backmap_add(a, g, &loc, NULL);
            pmap_backmap_add(b, g, &loc, NULL);
            unsigned to = (pmap_entry_get(a, g)->node + 1) % NODES;
            if ((rc = pmap_migrate(a, g, to)) != 0)
                die("migrate", rc);
        }
        moves += PAGES;
        t1 = now();
    } while (t1 - t0 < budget);
    double mig = (double)moves / (t1 - t0);
    printf("migrate (4 KB copy, 2 users, 2 shootdowns each): %.0f migrations/s (%.2f us each)\n",
           mig, 1e6 / mig);

    uint64_t reps = 0, cols = 0;
    double trep = 0, tcol = 0;
    t0 = now();
    do {
        double s = now();
        for (uint64_t g = 0; g < PAGES; g++) {
            unsigned home = pmap_entry_get(a, g)->node;
            for (unsigned k = 1; k < NODES; k++)
                if ((rc = memmap_replicate(w.mm, pmap_entry_get(a, g)->mfn, (home + k) % NODES)) != 0)
                    die("replicate", rc);
        }
        double m = now();
        for (uint64_t g = 0; g < PAGES; g++)
            if ((rc = memmap_collapse(w.mm, pmap_entry_get(a, g)->mfn)) != 0)
                die("collapse", rc);
        double e = now();
        trep += m - s;
        tcol += e - m;
        reps += PAGES * (NODES - 1);
        cols += PAGES;
    } while (now() - t0 < budget * 2);
    printf("replicate (4 KB copy to one more node, 2 users): %.0f replications/s (%.2f us each)\n",
           (double)reps / trep, trep * 1e6 / (double)reps);
    printf("collapse (%d replicas freed, 2 users): %.0f collapses/s (%.2f us each)\n",
           NODES - 1, (double)cols / tcol, tcol * 1e6 / (double)cols);
    pmap_destroy(a);
    pmap_destroy(b);
    world_fini(&w);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        char *end;
        budget = strtod(argv[1], &end);
        if (*end || budget <= 0 || budget > 60) {
            fprintf(stderr, "mm-core: bad seconds-per-measurement '%s'\n", argv[1]);
            return 2;
        }
    }
    uint32_t *idx = malloc(NIDX * sizeof *idx);
    if (!idx)
        die("indices", ENOMEM);
    printf("mm-core benchmark: %.2f s per measurement, 4 KB pages, 4-node synthetic topology\n",
           budget);
    bench_lookup(256, "1 MB", idx);
    struct lookup_rates gb = bench_lookup(262144, "1 GB", idx);
    bench_l2tlb();
    bench_migrate_replicate();
    free(idx);
    printf("pmap lookups/s: %.0f (1 GB guest, 512-page working set; uniform random over "
           "the guest: %.0f)\n", gb.working_set, gb.uniform);
    return 0;
}
