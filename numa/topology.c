/* numa/topology.c - build a numa_topology from hwloc, then answer queries from plain
 * arrays (hwloc is only needed at creation, so queries are cheap and const). */
#include "numa/topology.h"

#include <errno.h>
#include <hwloc.h>
#include <stdio.h>
#include <stdlib.h>

struct numa_topology {
    unsigned nodes;
    unsigned cpus;
    int *cpu_node;          /* [cpus] node of each CPU */
    unsigned *node_ncpus;   /* [nodes] CPUs per node */
    unsigned *node_cpus;    /* [cpus] CPUs sorted by node (node_first gives offsets) */
    unsigned *node_first;   /* [nodes] index of a node's first CPU in node_cpus */
    int *os_index;          /* [nodes] OS node number */
    unsigned *dist;         /* [nodes * nodes] */
};

void numa_topology_destroy(struct numa_topology *t)
{
    if (!t)
        return;
    free(t->cpu_node);
    free(t->node_ncpus);
    free(t->node_cpus);
    free(t->node_first);
    free(t->os_index);
    free(t->dist);
    free(t);
}

/* The node whose cpuset holds the PU; the first in logical order if several do. */
static int pu_node(hwloc_topology_t h, hwloc_obj_t pu, unsigned nodes)
{
    for (unsigned n = 0; n < nodes; n++) {
        hwloc_obj_t node = hwloc_get_obj_by_type(h, HWLOC_OBJ_NUMANODE, n);
        if (node->cpuset && hwloc_bitmap_isset(node->cpuset, pu->os_index))
            return (int)n;
    }
    return 0; /* hwloc always attaches CPUs to some node; be safe anyway */
}

/* Distances: hwloc's latency matrix for NUMA nodes if it has one, else 10/20. */
static void fill_distances(struct numa_topology *t, hwloc_topology_t h)
{
    for (unsigned a = 0; a < t->nodes; a++)
        for (unsigned b = 0; b < t->nodes; b++)
            t->dist[a * t->nodes + b] = a == b ? NUMA_DISTANCE_LOCAL : NUMA_DISTANCE_REMOTE;

    struct hwloc_distances_s *d = NULL;
    unsigned nr = 1;
    if (hwloc_distances_get_by_type(h, HWLOC_OBJ_NUMANODE, &nr, &d,
                                    HWLOC_DISTANCES_KIND_MEANS_LATENCY, 0) != 0 || nr == 0)
        return;
    for (unsigned i = 0; i < d->nbobjs; i++)
        for (unsigned j = 0; j < d->nbobjs; j++) {
            unsigned a = d->objs[i]->logical_index, b = d->objs[j]->logical_index;
            hwloc_uint64_t v = d->values[i * d->nbobjs + j];
            if (a < t->nodes && b < t->nodes && v > 0 && v < 1000000)
                t->dist[a * t->nodes + b] = (unsigned)v;
        }
    hwloc_distances_release(h, d);
}

static int fill_from_hwloc(struct numa_topology *t, hwloc_topology_t h)
{
    int nn = hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_NUMANODE);
    int np = hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_PU);
    if (nn < 1 || nn > NUMA_MAX_NODES || np < 1)
        return -EINVAL;
    t->nodes = (unsigned)nn;
    t->cpus = (unsigned)np;
    t->cpu_node = calloc(t->cpus, sizeof *t->cpu_node);
    t->node_cpus = calloc(t->cpus, sizeof *t->node_cpus);
    t->node_ncpus = calloc(t->nodes, sizeof *t->node_ncpus);
    t->node_first = calloc(t->nodes, sizeof *t->node_first);
    t->os_index = calloc(t->nodes, sizeof *t->os_index);
    t->dist = calloc((size_t)t->nodes * t->nodes, sizeof *t->dist);
    if (!t->cpu_node || !t->node_cpus || !t->node_ncpus || !t->node_first || !t->os_index
        || !t->dist)
        return -ENOMEM;

    for (unsigned n = 0; n < t->nodes; n++)
        t->os_index[n] = (int)hwloc_get_obj_by_type(h, HWLOC_OBJ_NUMANODE, n)->os_index;
    for (unsigned c = 0; c < t->cpus; c++) {
        t->cpu_node[c] = pu_node(h, hwloc_get_obj_by_type(h, HWLOC_OBJ_PU, c), t->nodes);
        t->node_ncpus[t->cpu_node[c]]++;
    }
    /* Counting sort of CPUs by node, so node_cpu() is O(1). */
    unsigned off = 0;
    for (unsigned n = 0; n < t->nodes; n++) {
        t->node_first[n] = off;
        off += t->node_ncpus[n];
    }
    unsigned *fill = calloc(t->nodes, sizeof *fill);
    if (!fill)
        return -ENOMEM;
    for (unsigned c = 0; c < t->cpus; c++) {
        unsigned n = (unsigned)t->cpu_node[c];
        t->node_cpus[t->node_first[n] + fill[n]++] = c;
    }
    free(fill);
    fill_distances(t, h);
    return 0;
}

/* Create through hwloc; synthetic == NULL means discover the host. */
static int create(struct numa_topology **out, const char *synthetic)
{
    if (!out)
        return -EINVAL;
    *out = NULL;
    hwloc_topology_t h;
    if (hwloc_topology_init(&h) != 0)
        return -ENOMEM;
    int rc = 0;
    if (synthetic && hwloc_topology_set_synthetic(h, synthetic) != 0)
        rc = -EINVAL;
    if (rc == 0 && hwloc_topology_load(h) != 0)
        rc = -EIO;
    struct numa_topology *t = NULL;
    if (rc == 0) {
        t = calloc(1, sizeof *t);
        rc = t ? fill_from_hwloc(t, h) : -ENOMEM;
    }
    hwloc_topology_destroy(h);
    if (rc != 0) {
        numa_topology_destroy(t);
        return rc;
    }
    *out = t;
    return 0;
}

int numa_topology_create_synthetic(struct numa_topology **out, const char *description)
{
    if (!description || !*description)
        return -EINVAL;
    return create(out, description);
}

int numa_topology_create_nodes(struct numa_topology **out, unsigned nodes,
                               unsigned cpus_per_node)
{
    if (nodes < 1 || nodes > NUMA_MAX_NODES || cpus_per_node < 1 || cpus_per_node > 4096)
        return -EINVAL;
    char desc[96];
    snprintf(desc, sizeof desc, "pack:%u numa:1 core:%u pu:1", nodes, cpus_per_node);
    return create(out, desc);
}

int numa_topology_create_host(struct numa_topology **out)
{
    return create(out, NULL);
}

unsigned numa_topology_nodes(const struct numa_topology *t)
{
    return t ? t->nodes : 0;
}

unsigned numa_topology_cpus(const struct numa_topology *t)
{
    return t ? t->cpus : 0;
}

int numa_topology_cpus_on_node(const struct numa_topology *t, unsigned node)
{
    if (!t || node >= t->nodes)
        return -EINVAL;
    return (int)t->node_ncpus[node];
}

int numa_topology_node_cpu(const struct numa_topology *t, unsigned node, unsigned n)
{
    if (!t || node >= t->nodes || n >= t->node_ncpus[node])
        return -EINVAL;
    return (int)t->node_cpus[t->node_first[node] + n];
}

int numa_topology_cpu_node(const struct numa_topology *t, unsigned cpu)
{
    if (!t || cpu >= t->cpus)
        return -EINVAL;
    return t->cpu_node[cpu];
}

int numa_topology_distance(const struct numa_topology *t, unsigned from, unsigned to)
{
    if (!t || from >= t->nodes || to >= t->nodes)
        return -EINVAL;
    return (int)t->dist[from * t->nodes + to];
}

int numa_topology_set_distance(struct numa_topology *t, unsigned from, unsigned to,
                               unsigned distance, int symmetric)
{
    if (!t || from >= t->nodes || to >= t->nodes || distance == 0 || distance > 0xffff)
        return -EINVAL;
    t->dist[from * t->nodes + to] = distance;
    if (symmetric)
        t->dist[to * t->nodes + from] = distance;
    return 0;
}

int numa_topology_node_os_index(const struct numa_topology *t, unsigned node)
{
    if (!t || node >= t->nodes)
        return -EINVAL;
    return t->os_index[node];
}

numa_nodemask_t numa_topology_all_nodes(const struct numa_topology *t)
{
    if (!t)
        return 0;
    return t->nodes >= 64 ? ~(numa_nodemask_t)0 : NUMA_NODE_BIT(t->nodes) - 1;
}
