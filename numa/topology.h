/*
 * numa/topology.h - the NUMA machine shape, built on hwloc.
 *
 * A numa_topology describes nodes (memory + the CPUs closest to it) and the distance
 * between nodes. It is created from an hwloc synthetic description (for the simulated
 * machine and for tests on a one-node host), from a node/CPU count, or from the real
 * host. After creation it is read-only, so one topology may be shared by the simulator,
 * the monitor, the x86 backend and the page pools.
 *
 * Numbering: nodes are 0..nodes-1 and CPUs are 0..cpus-1, both in hwloc logical order.
 * Invariants:
 *   - 1 <= nodes <= NUMA_MAX_NODES; every CPU belongs to exactly one node;
 *     a node may have no CPUs (memory-only node).
 *   - distance(a, a) is the smallest distance in its row; distance(a, b) > 0.
 *     Distances come from hwloc when it has a latency matrix for the NUMA nodes,
 *     otherwise they are NUMA_DISTANCE_LOCAL (10) on the diagonal and
 *     NUMA_DISTANCE_REMOTE (20) elsewhere, the ACPI SLIT convention.
 *     numa_topology_set_distance() may override them (e.g. a simulated mesh).
 *
 * Errors are negative errno values (-EINVAL bad argument, -ENOMEM, -EIO hwloc failed).
 * Not thread-safe for writers; concurrent readers are fine.
 */
#ifndef NUMA_TOPOLOGY_H
#define NUMA_TOPOLOGY_H

#include <stdint.h>

#define NUMA_MAX_NODES       64   /* node sets are 64-bit masks (numa_nodemask_t) */
#define NUMA_DISTANCE_LOCAL  10
#define NUMA_DISTANCE_REMOTE 20

/* A set of nodes: bit n set means node n is a member. */
typedef uint64_t numa_nodemask_t;
#define NUMA_NODE_BIT(n) ((numa_nodemask_t)1 << (n))

struct numa_topology;

/* From an hwloc synthetic string, e.g. "pack:2 [numa] core:2 pu:1" or
 * "pack:4 numa:1 core:2 pu:1". */
int numa_topology_create_synthetic(struct numa_topology **out, const char *description);

/* Convenience: nodes packages of one NUMA node and cpus_per_node single-PU cores each,
 * i.e. "pack:<nodes> numa:1 core:<cpus_per_node> pu:1". */
int numa_topology_create_nodes(struct numa_topology **out, unsigned nodes,
                               unsigned cpus_per_node);

/* The machine this process runs on (hwloc's discovery). */
int numa_topology_create_host(struct numa_topology **out);

void numa_topology_destroy(struct numa_topology *topo);

unsigned numa_topology_nodes(const struct numa_topology *topo);
unsigned numa_topology_cpus(const struct numa_topology *topo);

/* Number of CPUs on a node; negative error if the node does not exist. */
int numa_topology_cpus_on_node(const struct numa_topology *topo, unsigned node);

/* The n-th CPU (0-based, logical order) of a node, or a negative error. */
int numa_topology_node_cpu(const struct numa_topology *topo, unsigned node, unsigned n);

/* Node of a CPU, or a negative error. */
int numa_topology_cpu_node(const struct numa_topology *topo, unsigned cpu);

/* Distance between two nodes, or a negative error. */
int numa_topology_distance(const struct numa_topology *topo, unsigned from, unsigned to);

/* Override one entry of the distance matrix (both directions when symmetric != 0). */
int numa_topology_set_distance(struct numa_topology *topo, unsigned from, unsigned to,
                               unsigned distance, int symmetric);

/* Operating-system index of a node (for libnuma / mbind on real hosts), or negative. */
int numa_topology_node_os_index(const struct numa_topology *topo, unsigned node);

/* Mask of all nodes. */
numa_nodemask_t numa_topology_all_nodes(const struct numa_topology *topo);

#endif
