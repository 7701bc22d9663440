/* vm.c - user address spaces (see vm.h). */
#include "guest/mini/vm.h"

#include "guest/mini/hal.h"
#include "guest/mini/klib.h"
#include "guest/mini/page.h"

#define VM_PT_ENTRIES   1024u
#define VM_USER_SLOTS   512u        /* directory slots of kuseg (2 GB / 4 MB) */

uint32_t *vm_empty_pt;
static uint32_t vm_zero_pa;

enum { VM_REGION_NONE, VM_REGION_TEXT, VM_REGION_DATA };

int vm_init(void)
{
    uint32_t pt = page_alloc_zeroed(0), zero = page_alloc_zeroed(0);
    if (!pt || !zero)
        return -1;
    vm_empty_pt = hal_kva(pt);
    vm_zero_pa = zero;
    return 0;
}

static int vm_region(const vm_space *vm, uint32_t va)
{
    if (va >= USER_TEXT && va - USER_TEXT < vm->text_bytes)
        return VM_REGION_TEXT;
    if (va >= USER_HEAP && va < vm->brk)
        return VM_REGION_DATA;
    if (va < USER_STACK_TOP && va >= USER_STACK_TOP - USER_STACK_MAX)
        return VM_REGION_DATA;
    return VM_REGION_NONE;
}

/* The entry for va; with alloc, a missing page table is made. NULL: none. */
static uint32_t *vm_pte(vm_space *vm, uint32_t va, int alloc)
{
    uint32_t *slot = &vm->pgd[va >> PGD_SHIFT];
    if ((uint32_t *)*slot == vm_empty_pt) {
        if (!alloc)
            return 0;
        uint32_t pa = page_alloc_zeroed(vm->node);
        if (!pa)
            return 0;
        *slot = (uint32_t)(uintptr_t)hal_kva(pa);
    }
    return (uint32_t *)(uintptr_t)*slot + ((va >> PAGE_SHIFT) & (VM_PT_ENTRIES - 1));
}

int vm_create(vm_space *vm, uint32_t asid, unsigned node, uint32_t text_pa, uint32_t text_bytes)
{
    uint32_t pa = page_alloc(node);
    if (!pa)
        return -1;
    vm->pgd = hal_kva(pa);
    for (uint32_t i = 0; i < VM_PT_ENTRIES; i++)
        vm->pgd[i] = (uint32_t)(uintptr_t)vm_empty_pt;
    vm->asid = asid;
    vm->node = node;
    vm->text_pa = text_pa;
    vm->text_bytes = text_bytes;
    vm->brk = USER_HEAP;
    vm->owned = 0;
    for (uint32_t off = 0; off < text_bytes; off += PAGE_SIZE) {
        uint32_t *pte = vm_pte(vm, USER_TEXT + off, 1);
        if (!pte)
            return -1;
        *pte = ELO_MAKE(text_pa + off, ELO_V);
    }
    return 0;
}

/* Does this valid entry name a page the space owns (not text, not the zero page)? */
static int vm_owns(const vm_space *vm, uint32_t pte)
{
    uint32_t pa = ELO_PA(pte);
    return (pte & ELO_V) && pa != vm_zero_pa && (pa < vm->text_pa || pa - vm->text_pa >= vm->text_bytes);
}

void vm_destroy(vm_space *vm)
{
    for (uint32_t i = 0; i < VM_USER_SLOTS; i++) {
        uint32_t *pt = (uint32_t *)(uintptr_t)vm->pgd[i];
        if (pt == vm_empty_pt)
            continue;
        for (uint32_t j = 0; j < VM_PT_ENTRIES; j++)
            if (vm_owns(vm, pt[j]))
                page_free(ELO_PA(pt[j]));
        page_free(hal_pa(pt));
    }
    page_free(hal_pa(vm->pgd));
    vm->pgd = 0;
}

/* A private zeroed page at *pte (demand-zero, or the copy of the zero page). */
static int vm_give_page(vm_space *vm, uint32_t *pte)
{
    uint32_t pa = page_alloc_zeroed(vm->node);
    if (!pa)
        return -1;
    *pte = ELO_MAKE(pa, ELO_V | ELO_D);
    vm->owned++;
    return 0;
}

int vm_fault(vm_space *vm, uint32_t va, int access)
{
    int region = vm_region(vm, va);
    if (region == VM_REGION_NONE || (region == VM_REGION_TEXT && access == VM_WRITE))
        return -1;
    uint32_t *pte = vm_pte(vm, va, 1);
    if (!pte)
        return -1;
    if (access == VM_READ && !(*pte & ELO_V))
        *pte = ELO_MAKE(vm_zero_pa, ELO_V);
    else if (access == VM_WRITE && !(*pte & ELO_D) && vm_give_page(vm, pte) < 0)
        return -1;
    uint32_t *pair = pte - ((va >> PAGE_SHIFT) & 1);
    hal_tlb_update(va, vm->asid, pair[0], pair[1]);
    return 0;
}

int vm_copyin(vm_space *vm, void *dst, uint32_t uva, uint32_t len)
{
    char *d = dst;
    while (len) {
        uint32_t off = uva & (PAGE_SIZE - 1), n = PAGE_SIZE - off;
        if (n > len)
            n = len;
        uint32_t *pte = vm_pte(vm, uva, 0);
        if (!pte || !(*pte & ELO_V)) {
            if (vm_fault(vm, uva, VM_READ) < 0)
                return -1;
            pte = vm_pte(vm, uva, 0);
        }
        memcpy(d, (char *)hal_kva(ELO_PA(*pte)) + off, n);
        d += n;
        uva += n;
        len -= n;
    }
    return 0;
}

uint32_t vm_sbrk(vm_space *vm, uint32_t bytes)
{
    uint32_t old = vm->brk;
    if (bytes & (PAGE_SIZE - 1) || bytes > USER_HEAP_MAX - old)
        return 0;
    vm->brk = old + bytes;
    return old;
}
