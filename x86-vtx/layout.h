/* layout.h - guest-physical memory map of every x86-vtx guest (shared by the VMM and
 * the freestanding guest programs, so it is plain #defines only).
 *
 *   0x0000_0000 +64K   boot area (private per VM): GDT @0x1000, PML4 @0x2000,
 *                      PDPT @0x3000, PDs @0x4000.., stack grows down from 0x10000
 *   0x0010_0000 <=7M   guest image (the ELF's PT_LOAD segments; shared copy-on-write
 *                      between all VMs booting the same image on one node)
 *   0x0080_0000  4K    MMIO device page (not backed: every access exits to the VMM)
 *   0x0100_0000 --mem  guest RAM (private per VM, placed on the VM's NUMA node)
 *
 * Invariants: regions are page-aligned and disjoint; the whole range up to the end of
 * RAM is identity-mapped with 2 MiB pages whose Accessed/Dirty bits are preset; the
 * guest starts in 64-bit mode at the ELF entry with
 *   rdi = RAM base, rsi = RAM size, rdx = VM index, rcx = user argument (--arg).
 */
#ifndef X86_VTX_LAYOUT_H
#define X86_VTX_LAYOUT_H

#define VTX_PAGE_SIZE     0x1000UL
#define VTX_BOOT_GPA      0x0UL
#define VTX_BOOT_SIZE     0x10000UL
#define VTX_GDT_GPA       0x1000UL
#define VTX_PML4_GPA      0x2000UL
#define VTX_PDPT_GPA      0x3000UL
#define VTX_PD_GPA        0x4000UL
#define VTX_PD_MAX        4UL          /* PDs fit below the stack: 4 GiB mapped at most */
#define VTX_STACK_TOP     0x10000UL
#define VTX_IMAGE_GPA     0x100000UL
#define VTX_IMAGE_MAX     0x700000UL
#define VTX_MMIO_GPA      0x800000UL
#define VTX_RAM_GPA       0x1000000UL
#define VTX_RAM_MAX       (3UL << 30)  /* RAM end stays below 4 GiB */

/* Port I/O devices. */
#define VTX_PORT_CONSOLE  0x3f8        /* out8: one byte to the VM's console */
#define VTX_PORT_EXIT     0x501        /* out32: power off with this exit code */
#define VTX_PORT_HCALL    0x502        /* out32: hypercall number; args rdi, rsi; result rax */

/* MMIO device registers (offsets from VTX_MMIO_GPA). */
#define VTX_MMIO_CONSOLE  0x0          /* 1-byte write: console */
#define VTX_MMIO_EXIT     0x8          /* 4-byte write: power off with code */
#define VTX_MMIO_MAGIC    0x10         /* 4-byte read: returns VTX_MMIO_MAGIC_VALUE */
#define VTX_MMIO_MAGIC_VALUE 0x5654584dU /* "MXTV" */

/* Hypercalls. */
#define VTX_HC_REPORT     1            /* rdi = tag, rsi = value: record a result */
#define VTX_HC_HOLD       2            /* block until the VMM releases held VMs */
#define VTX_HC_PHASE      3            /* rdi = phase number: guest reached a phase */

#endif
