/* guestmem.h - host memory for guest RAM, placed on NUMA nodes with libnuma calls.
 *
 * Data structure: a struct vtx_mem is one page-aligned anonymous host mapping whose
 * memory policy binds it to one host NUMA node (by OS node number) *before* any page is
 * touched, so first touch (by the guest through KVM, or by the VMM) allocates there.
 *
 * Invariants: base/size page-aligned; `node` is the node the policy binds to; after
 * vtx_mem_move() the policy names the new node, so pages faulted in later follow.
 * Placement is whatever the kernel says: vtx_mem_where() asks it (move_pages with a
 * NULL node list), it is never assumed. Errors are negative errno values.
 */
#ifndef X86_VTX_GUESTMEM_H
#define X86_VTX_GUESTMEM_H

#include <stddef.h>
#include <stdint.h>

struct vtx_mem {
    void *base;
    size_t size;
    int node;          /* OS node number the policy binds to */
};

int vtx_mem_alloc(struct vtx_mem *m, size_t size, int os_node);
void vtx_mem_free(struct vtx_mem *m);

/* Bind an existing (untouched or touched) range's policy to os_node (no page moves). */
int vtx_mem_bind(void *base, size_t size, int os_node);

/* Query the node of npages pages starting at addr: nodes[i] = OS node, or a negative
 * errno (-ENOENT: not resident yet). Returns 0 or a negative errno. */
int vtx_mem_where(const void *addr, size_t npages, int *nodes);

/* Move the resident pages among addrs[0..n) to os_node with move_pages(2)
 * (MPOL_MF_MOVE, or MPOL_MF_MOVE_ALL when all != 0 for pages shared with other
 * mappings). status[i] receives the node or a negative errno per page (may be NULL).
 * Returns the number of pages that are on os_node afterwards, or a negative errno. */
long vtx_mem_move_pages(void *const *addrs, size_t n, int os_node, int all, int *status);

/* Move all resident pages of m to os_node and re-bind its policy there. */
long vtx_mem_move(struct vtx_mem *m, int os_node);

/* Number of OS nodes the kernel can place memory on (numa_max_node()+1), >= 1. */
int vtx_mem_os_nodes(void);

/* A host memory figure from /proc/meminfo in KiB ("MemAvailable", "MemFree"), 0 if
 * unknown. */
uint64_t vtx_mem_host_kib(const char *key);

#endif
