/* page.c - physical pages, per memory node (see page.h). */
#include "guest/mini/page.h"

#include "guest/mini/hal.h"
#include "guest/mini/klib.h"

typedef struct page_node {
    spinlock lock;
    uint32_t next, end;     /* never handed out: [next, end) */
    uint32_t free_head;     /* pa of the first freed page, 0: none */
    uint32_t nfree;
} page_node;

static page_node page_nodes[PAGE_MAX_NODES];
static unsigned page_nnodes;
static uint32_t page_node_bytes;

void page_init(uint32_t first_pa, uint32_t end_pa, unsigned nodes)
{
    uint32_t first = (first_pa + PAGE_SIZE - 1) & ~(uint32_t)(PAGE_SIZE - 1);
    page_nnodes = nodes ? (nodes < PAGE_MAX_NODES ? nodes : PAGE_MAX_NODES) : 1;
    page_node_bytes = (end_pa / page_nnodes) & ~(uint32_t)(PAGE_SIZE - 1);
    for (unsigned i = 0; i < page_nnodes; i++) {
        page_node *n = &page_nodes[i];
        n->end = (i + 1) * page_node_bytes;
        n->next = i * page_node_bytes > first ? i * page_node_bytes : first;
        if (n->next > n->end)
            n->next = n->end;
        n->free_head = 0;
        n->nfree = 0;
    }
}

static uint32_t page_take(page_node *n)
{
    uint32_t pa = 0;
    spin_lock(&n->lock);
    if (n->free_head) {
        pa = n->free_head;
        n->free_head = *(uint32_t *)hal_kva(pa);
        n->nfree--;
    } else if (n->next < n->end) {
        pa = n->next;
        n->next += PAGE_SIZE;
    }
    spin_unlock(&n->lock);
    return pa;
}

uint32_t page_alloc(unsigned node)
{
    for (unsigned i = 0; i < page_nnodes; i++) {
        uint32_t pa = page_take(&page_nodes[(node + i) % page_nnodes]);
        if (pa)
            return pa;
    }
    return 0;
}

uint32_t page_alloc_zeroed(unsigned node)
{
    uint32_t pa = page_alloc(node);
    if (pa)
        hal_zero_page(pa);
    return pa;
}

void page_free(uint32_t pa)
{
    page_node *n = &page_nodes[pa / page_node_bytes];
    spin_lock(&n->lock);
    *(uint32_t *)hal_kva(pa) = n->free_head;
    n->free_head = pa;
    n->nfree++;
    spin_unlock(&n->lock);
}

uint32_t page_free_count(void)
{
    uint32_t count = 0;
    for (unsigned i = 0; i < page_nnodes; i++)
        count += page_nodes[i].nfree + (page_nodes[i].end - page_nodes[i].next) / PAGE_SIZE;
    return count;
}
