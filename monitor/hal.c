/*
 * hal.c - the HAL page: the per-vCPU shared page at ABI_HAL_VA (monitor/abi.h) through
 * which a paravirtual guest kernel reads and writes its most used virtual CP0
 * registers with plain loads and stores.
 *
 * Coherence: hal_sync_in() runs at every monitor entry for the running vCPU and takes
 * the guest-writable fields into the virtual CP0; hal_sync_out() runs at every exit
 * and rewrites every field from it. In between, the virtual CP0 is the truth.
 * The page pair is mapped by real TLB slot 0 (wired, global): the even page is the
 * vCPU's HAL frame, read-write; the odd page is the node's zero frame, read-only.
 */
#include <string.h>

#include "monitor/internal.h"

#define HAL_STATUS_RW (ST_CU0 | ST_BEV | ST_IM | ST_KSU | ST_ERL | ST_EXL | ST_IE)
#define HAL_LO_BITS ((3u << ENTRYLO_C_SHIFT) | ENTRYLO_V | ENTRYLO_G)

static abi_hal_page *hal_page(struct vcpu *v)
{
    return v->hal;
}

void hal_init(struct vcpu *v)
{
    v->hal = (abi_hal_page *)mon_frame_ptr(v->vm->mon, v->hal_mfn);
    abi_hal_page *h = hal_page(v);
    memset(h, 0, PAGE_SIZE);
    h->magic = ABI_HAL_MAGIC;
    h->version = ABI_VERSION;
    h->vcpu_id = (unsigned)v->id;
    h->nr_vcpus = (unsigned)v->vm->cfg.vcpus;
    h->mem_size = (unsigned)v->vm->cfg.mem_bytes;
    hal_sync_out(v);
}

void hal_sync_in(struct vcpu *v)
{
    const abi_hal_page *h = hal_page(v);
    struct vcp0 *k = &v->cp0;
    uint32_t st = (h->status & HAL_STATUS_RW) | (k->status & ~HAL_STATUS_RW);
    k->status = h->ie ? (st | ST_IE) : (st & ~ST_IE);
    k->epc = h->epc;
    k->entryhi = h->entryhi & (ENTRYHI_VPN2 | ENTRYHI_ASID);
    k->context = (k->context & 0x007ffff0u) | (h->context & 0xff800000u);
    k->pagemask = h->pagemask & PAGEMASK_BITS;
    k->ebase = h->ebase & 0xfffff000u;
    k->userlocal = h->userlocal;
    k->kscratch[0] = h->kscratch[0];
    k->kscratch[1] = h->kscratch[1];
}

void hal_sync_out(struct vcpu *v)
{
    abi_hal_page *h = hal_page(v);
    const struct vcp0 *k = &v->cp0;
    h->ie = (k->status & ST_IE) ? 1u : 0u;
    h->pending = v->pending & 0xffu;
    h->status = k->status;
    h->cause = vcpu_cause(v);
    h->epc = k->epc;
    h->badvaddr = k->badvaddr;
    h->entryhi = k->entryhi;
    h->context = k->context;
    h->pagemask = k->pagemask;
    h->compare = k->compare;
    h->count = vcpu_count(v, machine_now(&v->vm->mon->m));
    h->ebase = k->ebase;
    h->userlocal = k->userlocal;
    h->kscratch[0] = k->kscratch[0];
    h->kscratch[1] = k->kscratch[1];
}

void hal_map(struct pcpu *p, struct vcpu *v)
{
    struct mon *mon = p->mon;
    uint32_t lo0 = (uint32_t)(v->hal_mfn << ENTRYLO_PFN_SHIFT) | HAL_LO_BITS | ENTRYLO_D;
    uint32_t lo1 = (uint32_t)(mon->zero_mfn[v->home_node] << ENTRYLO_PFN_SHIFT) | HAL_LO_BITS;
    cpu_tlb_write(p->c, RTLB_HAL_SLOT, ABI_HAL_VA, 0, lo0, lo1);
}
