/* numa/placement.c - static placement of new pages: first-touch, round-robin, fixed. */
#include "numa/policy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int numa_placement_init(struct numa_placement *pl, enum numa_placement_kind kind,
                        unsigned nnodes, unsigned fixed_node)
{
    if (!pl || nnodes == 0 || nnodes > NUMA_MAX_NODES || kind > NUMA_PLACE_FIXED
        || (kind == NUMA_PLACE_FIXED && fixed_node >= nnodes))
        return -EINVAL;
    *pl = (struct numa_placement){ kind, nnodes, fixed_node, 0 };
    return 0;
}

int numa_placement_parse(struct numa_placement *pl, const char *spec, unsigned nnodes)
{
    if (!spec)
        return -EINVAL;
    if (strcmp(spec, "first-touch") == 0)
        return numa_placement_init(pl, NUMA_PLACE_FIRST_TOUCH, nnodes, 0);
    if (strcmp(spec, "round-robin") == 0)
        return numa_placement_init(pl, NUMA_PLACE_ROUND_ROBIN, nnodes, 0);
    if (strcmp(spec, "fixed") == 0)
        return numa_placement_init(pl, NUMA_PLACE_FIXED, nnodes, 0);
    if (strncmp(spec, "fixed:", 6) == 0) {
        char *end;
        unsigned long n = strtoul(spec + 6, &end, 10);
        if (end == spec + 6 || *end || n >= nnodes)
            return -EINVAL;
        return numa_placement_init(pl, NUMA_PLACE_FIXED, nnodes, (unsigned)n);
    }
    return -EINVAL;
}

int numa_placement_choose(struct numa_placement *pl, unsigned touching_node)
{
    if (!pl || touching_node >= pl->nnodes)
        return -EINVAL;
    switch (pl->kind) {
    case NUMA_PLACE_FIRST_TOUCH:
        return (int)touching_node;
    case NUMA_PLACE_ROUND_ROBIN: {
        unsigned n = pl->next;
        pl->next = (n + 1) % pl->nnodes;
        return (int)n;
    }
    case NUMA_PLACE_FIXED:
        return (int)pl->fixed_node;
    }
    return -EINVAL;
}
