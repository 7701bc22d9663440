/* page.c - physical pages (see page.h). */
#include "guest/mini/page.h"

#include "guest/mini/hal.h"
#include "guest/mini/klib.h"

static struct {
    spinlock lock;
    uint32_t next, end;     /* never handed out: [next, end) */
    uint32_t free_head;     /* pa of the first freed page, 0: none */
    uint32_t nfree;
} pages;

void page_init(uint32_t first_pa, uint32_t end_pa)
{
    pages.next = (first_pa + PAGE_SIZE - 1) & ~(uint32_t)(PAGE_SIZE - 1);
    pages.end = end_pa & ~(uint32_t)(PAGE_SIZE - 1);
    pages.free_head = 0;
    pages.nfree = 0;
}

uint32_t page_alloc(void)
{
    uint32_t pa = 0;
    spin_lock(&pages.lock);
    if (pages.free_head) {
        pa = pages.free_head;
        pages.free_head = *(uint32_t *)hal_kva(pa);
        pages.nfree--;
    } else if (pages.next < pages.end) {
        pa = pages.next;
        pages.next += PAGE_SIZE;
    }
    spin_unlock(&pages.lock);
    return pa;
}

uint32_t page_alloc_zeroed(void)
{
    uint32_t pa = page_alloc();
    if (pa)
        hal_zero_page(pa);
    return pa;
}

void page_free(uint32_t pa)
{
    spin_lock(&pages.lock);
    *(uint32_t *)hal_kva(pa) = pages.free_head;
    pages.free_head = pa;
    pages.nfree++;
    spin_unlock(&pages.lock);
}

uint32_t page_free_count(void)
{
    return pages.nfree + (pages.end - pages.next) / PAGE_SIZE;
}
