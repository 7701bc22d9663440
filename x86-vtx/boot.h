/* boot.h - building the 64-bit long-mode start state of a guest (no BIOS, no real mode).
 *
 * Data structure: the boot area (see layout.h) holds a 5-entry GDT (null, 64-bit code and
 * data at DPL 0, 64-bit code and data at DPL 3), a PML4, one PDPT and up to VTX_PD_MAX
 * page directories of 2 MiB user pages mapping guest-physical addresses 1:1 from 0 up
 * to the covered top. vtx_boot_sregs/regs fill the KVM register structures to match
 * (CR0.PG|PE, CR4.PAE, EFER.LME|LMA, CS.L=1).
 * The guest program starts at CPL 3 with IOPL 3 (port I/O allowed): it needs no ring 0,
 * and under a paravirtual KVM (kvm_pvm) CPL 0 code is emulated instruction by
 * instruction (~1000x slower) while CPL 3 code runs natively.
 *
 * Invariants: page-table entries have Accessed and Dirty preset, so the guest CPU never
 * writes to the tables; the mapping is exactly identity; the guest's selectors are 0x1b (code)
 * and 0x23 (data); 0x08/0x10 are the DPL 0 pair. Functions are pure (they only write the buffers passed in).
 */
#ifndef X86_VTX_BOOT_H
#define X86_VTX_BOOT_H

#include <stddef.h>
#include <stdint.h>

struct kvm_sregs;
struct kvm_regs;

/* Build GDT and identity page tables into `area` (VTX_BOOT_SIZE bytes, the host view of
 * guest-physical 0). Maps at least [0, top). Returns the number of page directories used,
 * or -EINVAL if top is 0 or above VTX_PD_MAX GiB. */
int vtx_boot_build(void *area, size_t area_size, uint64_t top);

/* Translate a guest virtual address through the tables in `area` (test helper and
 * sanity check). Returns the guest-physical address or UINT64_MAX if unmapped. */
uint64_t vtx_boot_translate(const void *area, uint64_t gva);

void vtx_boot_sregs(struct kvm_sregs *sregs);
void vtx_boot_regs(struct kvm_regs *regs, uint64_t entry, uint64_t ram_size,
                   uint64_t vm_index, uint64_t arg);

#endif
