/*
 * page.h - the physical page allocator: 4 KB pages between the end of the kernel image
 * and the end of memory, split into `nodes` equal ranges (node i: [i * S, (i + 1) * S),
 * S = end / nodes, the NUMA board's layout when nodes and memory match the board's).
 * Each node hands out pages never used before from `next` up, and keeps freed pages
 * on a free list linked through their first word, handed out again first; a request
 * a node cannot meet is served by the next nodes in turn. Pages are touched only when
 * handed out, so memory a run never needs is never touched (under the monitor: never
 * backed by a machine page). One lock per node; physical address 0 (the vectors) is
 * never a page of the allocator, so 0 means "none".
 */
#ifndef MINI_PAGE_H
#define MINI_PAGE_H

#include <stdint.h>

#define PAGE_MAX_NODES 16

void page_init(uint32_t first_pa, uint32_t end_pa, unsigned nodes);
uint32_t page_alloc(unsigned node);         /* contents undefined; 0: memory exhausted */
uint32_t page_alloc_zeroed(unsigned node);
void page_free(uint32_t pa);
uint32_t page_free_count(void);             /* pages page_alloc can still hand out */

#endif
