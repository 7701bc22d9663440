/*
 * vm.h - user address spaces: two-level page tables the refill handler walks, demand-
 * zero faults, copy-on-write of the shared zero page, sbrk.
 *
 * A page-table entry is the EntryLo word the TLB gets (PFN, cached, D, V; never G).
 * Invariants:
 *  - every directory slot holds the kernel address of a page table, or vm_empty_pt
 *    (all zero: invalid entries), so the refill handler needs no test;
 *  - a valid entry maps either a page the space owns (D set), the shared zero page
 *    (D clear: the first write raises TLB Modified and gets a private zeroed page), or
 *    a text frame of the kernel image (D clear, never writable);
 *  - the TLB holds no entry for this space's ASID that disagrees with the tables
 *    except invalid ones (a fault rewrites the pair it concerns with TLBP/TLBWI).
 * Regions: text [USER_TEXT, +text), heap [USER_HEAP, brk), stack
 * [USER_STACK_TOP - USER_STACK_MAX, USER_STACK_TOP); anything else faults for good.
 */
#ifndef MINI_VM_H
#define MINI_VM_H

#include <stdint.h>

typedef struct vm_space {
    uint32_t *pgd;              /* kernel address of the directory */
    uint32_t asid;
    unsigned node;              /* memory node its pages come from */
    uint32_t text_pa, text_bytes;
    uint32_t brk;               /* end of the heap, page-aligned */
    uint32_t owned;             /* pages of data this space owns (zero-fill faults) */
} vm_space;

/* What the faulting access was. */
enum { VM_READ, VM_WRITE };

/* Shared tables: the empty page table and the zero page (once, at boot). 0 or -1. */
int vm_init(void);
/* A new space with the text mapped, its pages from node. 0, or -1 when memory is short. */
int vm_create(vm_space *vm, uint32_t asid, unsigned node, uint32_t text_pa, uint32_t text_bytes);
void vm_destroy(vm_space *vm);
/* Resolve a TLB Invalid / Modified fault at va and update the TLB. 0, or -1: the
 * address is outside the space, a write to text, or memory is exhausted. */
int vm_fault(vm_space *vm, uint32_t va, int access);
/* Copy len bytes from user address uva (faulting pages in as reads). 0 or -1. */
int vm_copyin(vm_space *vm, void *dst, uint32_t uva, uint32_t len);
/* Grow the heap by bytes (a multiple of the page size): the old break, or 0 on error. */
uint32_t vm_sbrk(vm_space *vm, uint32_t bytes);

#endif
