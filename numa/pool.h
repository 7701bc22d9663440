/*
 * numa/pool.h - per-node pools of machine page frame numbers.
 *
 * The pool does not own memory; it owns frame numbers. The backend tells it which
 * frames belong to which node (MIPS: the physical frames of each node's memory slice;
 * x86: indices of the host pages it allocated on that node) with numa_pool_add_range().
 * Allocation takes a preferred node and falls back to the other nodes in order of
 * distance (nearest first, ties by node number); numa_pool_alloc_exact() never falls
 * back (used for migration and replication, where the target node is the point).
 *
 * Invariants:
 *   - every frame added belongs to exactly one node and one range; ranges never overlap;
 *   - a frame is either free (on its node's free stack exactly once) or allocated;
 *     free(count) + allocated(count) = total(count) per node;
 *   - allocating returns only free frames; freeing an unknown or already free frame is
 *     refused with -EINVAL and changes nothing (double frees are detected).
 * All operations are O(1) except add_range (O(count)) and frame lookup, which is
 * O(log ranges). Errors: -EINVAL bad argument, -ENOMEM no free frame, -EEXIST overlap.
 * Not thread-safe: the caller serializes.
 */
#ifndef NUMA_POOL_H
#define NUMA_POOL_H

#include <stdint.h>
#include "numa/topology.h"

struct numa_pool;

/* The topology must outlive the pool (it supplies node count and distances). */
int numa_pool_create(struct numa_pool **out, const struct numa_topology *topo);
void numa_pool_destroy(struct numa_pool *pool);

/* Give the pool frames [first, first + count) on a node, all initially free. */
int numa_pool_add_range(struct numa_pool *pool, unsigned node, uint64_t first,
                        uint64_t count);

/* Allocate a frame, preferably on node, else on the nearest node that has one.
 * The frame goes to *frame and its node to *node_out (node_out may be NULL). */
int numa_pool_alloc(struct numa_pool *pool, unsigned node, uint64_t *frame,
                    unsigned *node_out);

/* Allocate a frame on exactly this node, or -ENOMEM. */
int numa_pool_alloc_exact(struct numa_pool *pool, unsigned node, uint64_t *frame);

int numa_pool_free(struct numa_pool *pool, uint64_t frame);

/* Node owning a frame (allocated or free), or -EINVAL if the pool does not know it. */
int numa_pool_frame_node(const struct numa_pool *pool, uint64_t frame);

/* 1 if the frame is allocated, 0 if free, negative if unknown. */
int numa_pool_is_allocated(const struct numa_pool *pool, uint64_t frame);

/* Number of nodes (that of the topology). */
unsigned numa_pool_nodes(const struct numa_pool *pool);

uint64_t numa_pool_free_count(const struct numa_pool *pool, unsigned node);
uint64_t numa_pool_total_count(const struct numa_pool *pool, unsigned node);
uint64_t numa_pool_allocated_total(const struct numa_pool *pool);

/* One past the highest frame number any range covers (sizes frame-indexed tables). */
uint64_t numa_pool_frame_limit(const struct numa_pool *pool);

/* The fallback order used for a node: fills order[0..nodes-1], nearest first. */
int numa_pool_fallback_order(const struct numa_pool *pool, unsigned node,
                             unsigned *order, unsigned len);

#endif
