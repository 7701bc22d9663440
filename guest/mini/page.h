/*
 * page.h - the physical page allocator: 4 KB pages between the end of the kernel image
 * and the end of memory. Pages never handed out lie beyond `next`; freed pages go on a
 * free list linked through their first word, and are handed out again first. Pages
 * are touched only when handed out, so memory a run never needs is never touched
 * (under the monitor: never backed by a machine page). One lock; physical address 0
 * (the vectors) is never a page of the allocator, so 0 means "none".
 */
#ifndef MINI_PAGE_H
#define MINI_PAGE_H

#include <stdint.h>

void page_init(uint32_t first_pa, uint32_t end_pa);
uint32_t page_alloc(void);          /* contents undefined; 0 when memory is exhausted */
uint32_t page_alloc_zeroed(void);
void page_free(uint32_t pa);
uint32_t page_free_count(void);     /* pages page_alloc can still hand out */

#endif
