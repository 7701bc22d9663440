/*
 * numa/host.h - real-host NUMA memory through libnuma: place, query and move host
 * pages. Used by the x86 backend, whose "machine pages" are host pages: it allocates
 * each node's guest-RAM frames with numa_host_alloc() and can implement the pmap's
 * copy_page by memcpy, or move a page in place with numa_host_move_page().
 *
 * Nodes here are OS node numbers (numa_topology_node_os_index() converts). Memory is
 * page-aligned anonymous memory, bound to its node with mbind(MPOL_BIND) and touched so
 * it is really placed. On a kernel without NUMA support every call that needs it returns
 * -ENOSYS, except numa_host_alloc on node 0, which falls back to plain memory.
 * Errors: -EINVAL, -ENOMEM, -ENOSYS, or the negated errno of the failing system call.
 */
#ifndef NUMA_HOST_H
#define NUMA_HOST_H

#include <stddef.h>

/* 1 if the host kernel supports NUMA memory policy, else 0. */
int numa_host_available(void);

/* Highest OS node number (0 on a one-node host), or negative. */
int numa_host_max_node(void);

/* Allocate bytes (rounded up to whole pages) on os_node; *out gets the memory. */
int numa_host_alloc(void **out, size_t bytes, int os_node);
void numa_host_free(void *mem, size_t bytes);

/* OS node currently holding the page that contains addr (it must be touched), or <0. */
int numa_host_page_node(const void *addr);

/* Move the page that contains addr to os_node (contents preserved, same address). */
int numa_host_move_page(void *addr, int os_node);

#endif
