/*
 * translate.c - address translation: the segments each mode may reach, the TLB for
 * mapped ones; and dropping fast-path entries for a range of virtual pages.
 */
#include "mips-sim/arch.h"
#include "mips-sim/cpu/cpu_internal.h"

/* Translate through the TLB: 0, or the ExcCode of the fault. */
static int translate_mapped(const cpu *c, uint32_t vaddr, bool write, uint64_t *paddr,
                      bool *refill)
{
    switch (tlb_lookup(&c->tlb, vaddr, (uint8_t)c->cp0.entryhi, write, paddr, NULL)) {
    case TLB_HIT: return 0;
    case TLB_REFILL: *refill = true; return write ? EXC_TLBS : EXC_TLBL;
    case TLB_INVALID: return write ? EXC_TLBS : EXC_TLBL;
    default: return EXC_MOD;
    }
}

int cpu_translate(const cpu *c, uint32_t vaddr, bool write, uint64_t *paddr, bool *refill)
{
    int aderr = write ? EXC_ADES : EXC_ADEL;
    *refill = false;
    if (vaddr < ARCH_KSEG0) {                         /* kuseg / suseg / useg */
        if (c->mode == CPU_MODE_KERNEL && (c->cp0.status & ST_ERL)) {
            *paddr = vaddr;                           /* unmapped while ERL = 1 */
            return 0;
        }
        return translate_mapped(c, vaddr, write, paddr, refill);
    }
    if (c->mode == CPU_MODE_USER)
        return aderr;
    if (vaddr >= ARCH_KSSEG && vaddr < ARCH_KSEG3)   /* sseg / ksseg */
        return translate_mapped(c, vaddr, write, paddr, refill);
    if (c->mode == CPU_MODE_SUPERVISOR)
        return aderr;
    if (vaddr < ARCH_KSSEG) {                        /* kseg0, kseg1 */
        *paddr = ARCH_KSEG_PHYS(vaddr);
        return 0;
    }
    return translate_mapped(c, vaddr, write, paddr, refill); /* kseg3 */
}

void cpu_fast_flush_range(cpu *c, uint32_t vaddr, uint32_t bytes)
{
    uint32_t pages = bytes >> ARCH_PAGE_SHIFT;
    if (pages >= CPU_HTLB_SIZE) {
        cpu_fast_flush(c);
        return;
    }
    for (uint32_t p = 0; p < pages; p++) {
        uint32_t page = ARCH_PAGE_BASE(vaddr) + (p << ARCH_PAGE_SHIFT);
        unsigned slot = ARCH_PAGE_NUMBER(page) & (CPU_HTLB_SIZE - 1);
        for (int m = 0; m < 3; m++) {
            cpu_htlb_entry *e = &c->htlb_modes[m][slot];
            if (e->rtag == page || e->wtag == page)
                e->rtag = e->wtag = CPU_HTLB_INVALID;
        }
    }
    c->fetch_page = CPU_FETCH_NONE;
    c->fetch_line = CPU_FETCH_LINE_NONE;
}
