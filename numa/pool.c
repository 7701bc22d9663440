/* numa/pool.c - per-node free stacks of frame numbers, a sorted range table to find a
 * frame's node, and an allocated-bit per frame to refuse double frees. */
#include "numa/pool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct pool_range {
    uint64_t first, count;
    unsigned node;
    uint64_t *allocated;     /* bitmap, one bit per frame of the range */
};

struct pool_node {
    uint64_t *free;          /* stack of free frames */
    uint64_t nfree, total, cap;
};

struct numa_pool {
    const struct numa_topology *topo;
    unsigned nodes;
    struct pool_node *node;
    unsigned *order;         /* [nodes * nodes] fallback order per node */
    struct pool_range *range;/* sorted by first */
    unsigned nranges, range_cap;
    uint64_t allocated;
    uint64_t limit;
};

/* Fallback order of one node: all nodes sorted by distance, then node number. */
static void build_order(struct numa_pool *p, unsigned from)
{
    unsigned *o = &p->order[from * p->nodes];
    for (unsigned i = 0; i < p->nodes; i++)
        o[i] = i;
    for (unsigned i = 1; i < p->nodes; i++) {        /* insertion sort: nodes <= 64 */
        unsigned v = o[i], j = i;
        int dv = numa_topology_distance(p->topo, from, v);
        while (j > 0) {
            int dp = numa_topology_distance(p->topo, from, o[j - 1]);
            if (dp < dv || (dp == dv && o[j - 1] < v))
                break;
            o[j] = o[j - 1];
            j--;
        }
        o[j] = v;
    }
}

int numa_pool_create(struct numa_pool **out, const struct numa_topology *topo)
{
    if (!out || !topo || numa_topology_nodes(topo) == 0)
        return -EINVAL;
    struct numa_pool *p = calloc(1, sizeof *p);
    if (!p)
        return -ENOMEM;
    p->topo = topo;
    p->nodes = numa_topology_nodes(topo);
    p->node = calloc(p->nodes, sizeof *p->node);
    p->order = calloc((size_t)p->nodes * p->nodes, sizeof *p->order);
    if (!p->node || !p->order) {
        numa_pool_destroy(p);
        return -ENOMEM;
    }
    for (unsigned n = 0; n < p->nodes; n++)
        build_order(p, n);
    *out = p;
    return 0;
}

void numa_pool_destroy(struct numa_pool *p)
{
    if (!p)
        return;
    for (unsigned i = 0; i < p->nranges; i++)
        free(p->range[i].allocated);
    free(p->range);
    if (p->node)
        for (unsigned n = 0; n < p->nodes; n++)
            free(p->node[n].free);
    free(p->node);
    free(p->order);
    free(p);
}

/* Index of the range holding frame, or -1. Binary search over sorted ranges. */
static int find_range(const struct numa_pool *p, uint64_t frame)
{
    unsigned lo = 0, hi = p->nranges;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        const struct pool_range *r = &p->range[mid];
        if (frame < r->first)
            hi = mid;
        else if (frame - r->first >= r->count)
            lo = mid + 1;
        else
            return (int)mid;
    }
    return -1;
}

static int overlaps(const struct numa_pool *p, uint64_t first, uint64_t count)
{
    for (unsigned i = 0; i < p->nranges; i++) {
        const struct pool_range *r = &p->range[i];
        if (first < r->first + r->count && r->first < first + count)
            return 1;
    }
    return 0;
}

static int grow_stack(struct pool_node *pn, uint64_t extra)
{
    uint64_t cap = pn->cap + extra;
    uint64_t *s = realloc(pn->free, cap * sizeof *s);
    if (!s)
        return -ENOMEM;
    pn->free = s;
    pn->cap = cap;
    return 0;
}

int numa_pool_add_range(struct numa_pool *p, unsigned node, uint64_t first, uint64_t count)
{
    if (!p || node >= p->nodes || count == 0 || first + count < first
        || first + count == UINT64_MAX)
        return -EINVAL;
    if (overlaps(p, first, count))
        return -EEXIST;
    if (p->nranges == p->range_cap) {
        unsigned cap = p->range_cap ? p->range_cap * 2 : 4;
        struct pool_range *r = realloc(p->range, cap * sizeof *r);
        if (!r)
            return -ENOMEM;
        p->range = r;
        p->range_cap = cap;
    }
    uint64_t *bits = calloc((count + 63) / 64, sizeof *bits);
    if (!bits || grow_stack(&p->node[node], count) != 0) {
        free(bits);
        return -ENOMEM;
    }
    unsigned at = 0;                       /* keep ranges sorted for the binary search */
    while (at < p->nranges && p->range[at].first < first)
        at++;
    memmove(&p->range[at + 1], &p->range[at], (p->nranges - at) * sizeof *p->range);
    p->range[at] = (struct pool_range){ first, count, node, bits };
    p->nranges++;
    /* Push in reverse so the lowest frames are handed out first (deterministic). */
    struct pool_node *pn = &p->node[node];
    for (uint64_t i = count; i-- > 0;)
        pn->free[pn->nfree++] = first + i;
    pn->total += count;
    if (first + count > p->limit)
        p->limit = first + count;
    return 0;
}

static void set_bit(struct pool_range *r, uint64_t frame, int on)
{
    uint64_t i = frame - r->first;
    if (on)
        r->allocated[i / 64] |= (uint64_t)1 << (i % 64);
    else
        r->allocated[i / 64] &= ~((uint64_t)1 << (i % 64));
}

static int get_bit(const struct pool_range *r, uint64_t frame)
{
    uint64_t i = frame - r->first;
    return (int)((r->allocated[i / 64] >> (i % 64)) & 1);
}

int numa_pool_alloc_exact(struct numa_pool *p, unsigned node, uint64_t *frame)
{
    if (!p || !frame || node >= p->nodes)
        return -EINVAL;
    struct pool_node *pn = &p->node[node];
    if (pn->nfree == 0)
        return -ENOMEM;
    uint64_t f = pn->free[--pn->nfree];
    set_bit(&p->range[find_range(p, f)], f, 1);
    p->allocated++;
    *frame = f;
    return 0;
}

int numa_pool_alloc(struct numa_pool *p, unsigned node, uint64_t *frame, unsigned *node_out)
{
    if (!p || !frame || node >= p->nodes)
        return -EINVAL;
    const unsigned *o = &p->order[node * p->nodes];
    for (unsigned i = 0; i < p->nodes; i++) {
        if (p->node[o[i]].nfree == 0)
            continue;
        int rc = numa_pool_alloc_exact(p, o[i], frame);
        if (rc == 0 && node_out)
            *node_out = o[i];
        return rc;
    }
    return -ENOMEM;
}

int numa_pool_free(struct numa_pool *p, uint64_t frame)
{
    if (!p)
        return -EINVAL;
    int ri = find_range(p, frame);
    if (ri < 0 || !get_bit(&p->range[ri], frame))
        return -EINVAL;                  /* unknown frame or double free */
    struct pool_range *r = &p->range[ri];
    set_bit(r, frame, 0);
    struct pool_node *pn = &p->node[r->node];
    pn->free[pn->nfree++] = frame;
    p->allocated--;
    return 0;
}

int numa_pool_frame_node(const struct numa_pool *p, uint64_t frame)
{
    if (!p)
        return -EINVAL;
    int ri = find_range(p, frame);
    return ri < 0 ? -EINVAL : (int)p->range[ri].node;
}

int numa_pool_is_allocated(const struct numa_pool *p, uint64_t frame)
{
    if (!p)
        return -EINVAL;
    int ri = find_range(p, frame);
    return ri < 0 ? -EINVAL : get_bit(&p->range[ri], frame);
}

unsigned numa_pool_nodes(const struct numa_pool *p)
{
    return p ? p->nodes : 0;
}

uint64_t numa_pool_free_count(const struct numa_pool *p, unsigned node)
{
    return p && node < p->nodes ? p->node[node].nfree : 0;
}

uint64_t numa_pool_total_count(const struct numa_pool *p, unsigned node)
{
    return p && node < p->nodes ? p->node[node].total : 0;
}

uint64_t numa_pool_allocated_total(const struct numa_pool *p)
{
    return p ? p->allocated : 0;
}

uint64_t numa_pool_frame_limit(const struct numa_pool *p)
{
    return p ? p->limit : 0;
}

int numa_pool_fallback_order(const struct numa_pool *p, unsigned node, unsigned *order,
                             unsigned len)
{
    if (!p || !order || node >= p->nodes || len < p->nodes)
        return -EINVAL;
    memcpy(order, &p->order[node * p->nodes], p->nodes * sizeof *order);
    return (int)p->nodes;
}
