/* boot.c - GDT, identity page tables and long-mode register state. */
#include "x86-vtx/boot.h"
#include "x86-vtx/layout.h"

#include <errno.h>
#include <linux/kvm.h>
#include <string.h>

#define PTE_P   (1ULL << 0)
#define PTE_W   (1ULL << 1)
#define PTE_U   (1ULL << 2)
#define PTE_A   (1ULL << 5)
#define PTE_D   (1ULL << 6)
#define PTE_PS  (1ULL << 7)
#define ADDR_MASK 0x000ffffffffff000ULL

#define CR0_PE (1ULL << 0)
#define CR0_MP (1ULL << 1)
#define CR0_ET (1ULL << 4)
#define CR0_NE (1ULL << 5)
#define CR0_WP (1ULL << 16)
#define CR0_PG (1ULL << 31)
#define CR4_PAE (1ULL << 5)
#define CR4_OSFXSR (1ULL << 9)
#define CR4_OSXMMEXCPT (1ULL << 10)
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)

static uint64_t *at(void *area, uint64_t gpa) { return (uint64_t *)((char *)area + gpa); }

int vtx_boot_build(void *area, size_t area_size, uint64_t top)
{
    if (area_size < VTX_BOOT_SIZE || top == 0 || top > (VTX_PD_MAX << 30))
        return -EINVAL;
    int npd = (int)((top + (1ULL << 30) - 1) >> 30);
    /* GDT: null, code64 (type 0xb, S, P, L, G; accessed preset), data (0x3, S, P, DB, G). */
    uint64_t *gdt = at(area, VTX_GDT_GPA);
    gdt[0] = 0;
    gdt[1] = 0x00af9b000000ffffULL;
    gdt[2] = 0x00cf93000000ffffULL;
    gdt[3] = 0x00affb000000ffffULL;    /* code64, DPL 3 */
    gdt[4] = 0x00cff3000000ffffULL;    /* data, DPL 3 */
    uint64_t *pml4 = at(area, VTX_PML4_GPA), *pdpt = at(area, VTX_PDPT_GPA);
    memset(pml4, 0, VTX_PAGE_SIZE);
    memset(pdpt, 0, VTX_PAGE_SIZE);
    pml4[0] = VTX_PDPT_GPA | PTE_P | PTE_W | PTE_U | PTE_A;
    for (int i = 0; i < npd; i++) {
        uint64_t pd_gpa = VTX_PD_GPA + (uint64_t)i * VTX_PAGE_SIZE;
        uint64_t *pd = at(area, pd_gpa);
        pdpt[i] = pd_gpa | PTE_P | PTE_W | PTE_U | PTE_A;
        for (uint64_t j = 0; j < 512; j++)
            pd[j] = (((uint64_t)i << 30) + (j << 21)) | PTE_P | PTE_W | PTE_U | PTE_A | PTE_D | PTE_PS;
    }
    return npd;
}

uint64_t vtx_boot_translate(const void *area, uint64_t gva)
{
    const char *a = area;
    if (gva >> 48)
        return UINT64_MAX;
    uint64_t e = ((const uint64_t *)(a + VTX_PML4_GPA))[(gva >> 39) & 511];
    if (!(e & PTE_P) || (e & ADDR_MASK) >= VTX_BOOT_SIZE)
        return UINT64_MAX;
    e = ((const uint64_t *)(a + (e & ADDR_MASK)))[(gva >> 30) & 511];
    if (!(e & PTE_P) || (e & ADDR_MASK) >= VTX_BOOT_SIZE)
        return UINT64_MAX;
    e = ((const uint64_t *)(a + (e & ADDR_MASK)))[(gva >> 21) & 511];
    if (!(e & PTE_P) || !(e & PTE_PS))
        return UINT64_MAX;
    return (e & ADDR_MASK & ~((1ULL << 21) - 1)) | (gva & ((1ULL << 21) - 1));
}

static void seg(struct kvm_segment *s, uint16_t sel, uint8_t type, int code, int dpl)
{
    memset(s, 0, sizeof(*s));
    s->base = 0;
    s->limit = 0xffffffff;
    s->selector = sel;
    s->type = type;
    s->present = 1;
    s->dpl = (uint8_t)dpl;
    s->s = 1;
    s->g = 1;
    s->l = code ? 1 : 0;
    s->db = code ? 0 : 1;
}

void vtx_boot_sregs(struct kvm_sregs *sregs)
{
    seg(&sregs->cs, 0x1b, 0xb, 1, 3);
    seg(&sregs->ds, 0x23, 0x3, 0, 3);
    sregs->es = sregs->fs = sregs->gs = sregs->ss = sregs->ds;
    sregs->gdt.base = VTX_GDT_GPA;
    sregs->gdt.limit = 5 * 8 - 1;
    sregs->idt.base = 0;
    sregs->idt.limit = 0;
    sregs->cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
    sregs->cr3 = VTX_PML4_GPA;
    sregs->cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
    sregs->efer = EFER_LME | EFER_LMA;
}

void vtx_boot_regs(struct kvm_regs *regs, uint64_t entry, uint64_t ram_size,
                   uint64_t vm_index, uint64_t arg)
{
    memset(regs, 0, sizeof(*regs));
    regs->rip = entry;
    regs->rsp = VTX_STACK_TOP;
    regs->rflags = 0x3002;               /* IOPL 3: port I/O allowed at CPL 3 */
    regs->rdi = VTX_RAM_GPA;
    regs->rsi = ram_size;
    regs->rdx = vm_index;
    regs->rcx = arg;
}
