/*
 * abi.h - the Disco guest ABI: what a guest kernel written for the monitor may rely on.
 *
 * This header is shared by the monitor (host C) and by guest kernels (mipsel,
 * freestanding), so it holds only constants and fixed-layout structs of uint32_t.
 * ../shared/DESIGN.md ("The monitor and its guests") is the prose version; where the
 * two differ, change both.
 *
 * Address map of a guest (guest virtual addresses):
 *   [0, 2G)                 user space, mapped by the guest's own TLB entries
 *   [2G, 3G)                kseg0/kseg1: Address Error in supervisor mode; the monitor
 *                           emulates kseg1 accesses to virtual devices (MMIO) and
 *                           forwards every other one to the guest
 *   [ABI_KWIN_BASE, +256M)  the relocated kernel window: VA = ABI_KWIN_BASE + guest-
 *                           physical address, cached, filled by the monitor from the pmap
 *   [0xD0000000, HAL)       guest-mapped kernel space (vmalloc), via guest TLB entries
 *   [ABI_HAL_VA, +8K)       this vCPU's HAL page pair (even page: ABI_HAL_VA, read-write
 *                           for the guest kernel; odd page: reserved, reads as zero)
 *
 * Monitor calls: the guest kernel executes ABI_HYPCALL_INSN with the call number in v0
 * and arguments in a0..a3; the result comes back in v0 (and v1 for 64-bit results),
 * negative errno values on error, and execution resumes after the instruction (a
 * hypcall in a branch delay slot is an error: -ABI_EINVAL, the branch is not taken).
 * Every address argument is a guest-physical address, never a virtual one. Executed in
 * guest user mode, the instruction is forwarded to the guest kernel as the Coprocessor
 * Unusable exception it is.
 *
 * Boot: every PT_LOAD segment of the guest kernel ELF has its virtual addresses in the
 * kernel window and is loaded at guest-physical VA - ABI_KWIN_BASE. vCPU 0 starts at the
 * ELF entry in (virtual) kernel mode, i.e. real supervisor mode, with virtual Status =
 * ABI_BOOT_STATUS (BEV set, interrupts off, EXL/ERL clear), virtual EBase = 0, and
 *   a0 = kernel-window VA of the NUL-terminated command line (0: none)
 *   a1 = bytes of guest-physical memory
 *   a2 = kernel-window VA of the initrd (0: none), a3 = its size in bytes.
 * The guest must set EBase (a kernel-window address) and clear BEV before it can take an
 * exception; an exception with BEV set stops the VM. Secondary vCPUs are started by
 * ABI_MC_START_VCPU with the same virtual Status; they find their number in the HAL page.
 * Exceptions forwarded to the guest enter EBase + ABI_VEC_REFILL (TLB refill, EXL was
 * clear) or EBase + ABI_VEC_GENERAL (everything else, interrupts included).
 *
 * The HAL page: the monitor writes every field before it resumes the vCPU, and reads
 * the guest-writable ones (marked "rw") back at its next entry, so a guest kernel reads
 * and writes these virtual CP0 registers with plain loads and stores. Interrupts: the
 * guest's virtual interrupt enable is `ie` (1 = enabled, replaces Status.IE for a
 * paravirtual kernel). When the guest sets ie = 1 and (pending & status.IM) != 0, it
 * must make the ABI_MC_IRQ_POLL call so the pending interrupt is delivered now.
 */
#ifndef MONITOR_ABI_H
#define MONITOR_ABI_H

#define ABI_VERSION 1u

/* The monitor-call instruction: COP0 CO=1, function 0x28 (VZ's HYPCALL). */
#define ABI_HYPCALL_INSN 0x42000028u

/* Guest address map. */
#define ABI_KWIN_BASE    0xC0000000u   /* relocated kernel window: VA = base + gpa */
#define ABI_KWIN_SIZE    0x10000000u   /* 256 MB: the most guest-physical memory */
#define ABI_KMAPPED_BASE 0xD0000000u   /* guest-mapped kernel space starts here */
#define ABI_HAL_VA       0xDFFFE000u   /* per-vCPU HAL page pair (8 KB) */
#define ABI_HAL_SIZE     0x2000u
#define ABI_MAX_GUEST_MEM ABI_KWIN_SIZE

/* Boot state and vectors. */
#define ABI_BOOT_STATUS  0x00400000u   /* Status.BEV */
#define ABI_VEC_REFILL   0x000u
#define ABI_VEC_GENERAL  0x180u

/* Virtual devices live in guest-physical space below 512 MB, reached through kseg1. */
#define ABI_DEV_BASE     0x1f000000u   /* virtio-mmio transports, one per 4 KB page */
#define ABI_DEV_STRIDE   0x1000u
#define ABI_DEV_COUNT    8u
#define ABI_DEV_VIRTIO_CONSOLE 0u      /* slot 0: a virtio console (virtio-mmio version 2) */
#define ABI_DEV_VIRTIO_BLK 1u          /* slot 1: virtio-blk on the VM's disk= image (device
                                          ID 0, "no device", when it has none) */

/* Virtual interrupt lines (Cause.IP bits the monitor raises in the virtual Cause). */
#define ABI_IRQ_TIMER    7u            /* IP7: virtual Count/Compare */
#define ABI_IRQ_IPI      3u            /* IP3: inter-vCPU interrupt */
#define ABI_IRQ_DEV      2u            /* IP2: virtual devices */
/* IP7 stays pending until the guest sets Compare (MTC0 or ABI_MC_SET_TIMER); IP2 while a
 * device's InterruptStatus is nonzero; IP3 is acknowledged by its delivery (it still
 * shows in the virtual Cause until the guest's ERET). */

/* Monitor-call numbers (v0). Arguments a0..a3, result v0 (v1). */
enum abi_mcall {
    ABI_MC_VERSION       = 0,   /* -> ABI_VERSION */
    ABI_MC_CONSOLE_WRITE = 1,   /* a0 = gpa of bytes, a1 = length -> bytes written */
    ABI_MC_CONSOLE_READ  = 2,   /* a0 = gpa of buffer, a1 = length -> bytes read (0: none) */
    ABI_MC_POWER_OFF     = 3,   /* a0 = exit status (0..255); does not return */
    ABI_MC_TIME          = 4,   /* -> simulated ns since the VM started: v0 low, v1 high */
    ABI_MC_SET_TIMER     = 5,   /* a0 = virtual Compare value; clears a pending timer irq */
    ABI_MC_IDLE          = 6,   /* deschedule until an interrupt is pending */
    ABI_MC_IPI           = 7,   /* a0 = target vCPU id -> 0 */
    ABI_MC_START_VCPU    = 8,   /* a0 = vCPU id, a1 = pc, a2 = sp, a3 = a0 for it -> 0 */
    ABI_MC_ZERO_PAGE     = 9,   /* a0 = gpa of a page: becomes a zero-filled page -> 0 */
    ABI_MC_FREE_PAGE     = 10,  /* a0 = gpa of a page freed for good -> 0 */
    ABI_MC_TLB_WRITE     = 11,  /* a0 = index (-1: random), a1 = EntryHi, a2 = EntryLo0,
                                   a3 = EntryLo1; PageMask from hal->pagemask -> index */
    ABI_MC_IRQ_POLL      = 12,  /* deliver a pending enabled interrupt now -> 0 */
    ABI_MC_CONSOLE_PUTC  = 13,  /* a0 = one byte -> 0 */
    ABI_MC_COUNT
};

/* Error codes (returned negated). */
#define ABI_EINVAL 22
#define ABI_ENOSYS 38
#define ABI_EFAULT 14
#define ABI_ENODEV 19

/* Layout of the HAL page (all fields 32-bit, little-endian, at these byte offsets). */
#define ABI_HAL_MAGIC 0x4c414844u      /* "DHAL" */
typedef struct abi_hal_page {
    unsigned int magic;        /* ro: ABI_HAL_MAGIC */
    unsigned int version;      /* ro: ABI_VERSION */
    unsigned int vcpu_id;      /* ro: this vCPU's number (0 = boot vCPU) */
    unsigned int nr_vcpus;     /* ro: vCPUs of this VM */
    unsigned int mem_size;     /* ro: bytes of guest-physical memory */
    unsigned int ie;           /* rw: virtual interrupt enable (1 = on) */
    unsigned int pending;      /* ro: virtual Cause.IP bits pending (bit n = IPn) */
    unsigned int status;       /* rw: virtual Status (IM bits, UM/KSU, EXL, IE) */
    unsigned int cause;        /* ro: virtual Cause of the last forwarded exception */
    unsigned int epc;          /* rw: virtual EPC */
    unsigned int badvaddr;     /* ro: virtual BadVAddr */
    unsigned int entryhi;      /* rw: virtual EntryHi (ASID) */
    unsigned int context;      /* rw: virtual Context (PTEBase) */
    unsigned int pagemask;     /* rw: virtual PageMask */
    unsigned int compare;      /* ro: virtual Compare (set with ABI_MC_SET_TIMER) */
    unsigned int count;        /* ro: virtual Count when the vCPU was last resumed */
    unsigned int ebase;        /* rw: virtual EBase */
    unsigned int userlocal;    /* rw: UserLocal (rdhwr $29) */
    unsigned int kscratch[2];  /* rw: scratch registers for the guest's handlers */
    unsigned int reserved[44]; /* zero; room to grow without moving fields */
} abi_hal_page;

#define ABI_HAL_OFF_IE       20u
#define ABI_HAL_OFF_PENDING  24u
#define ABI_HAL_OFF_STATUS   28u
#define ABI_HAL_OFF_EPC      36u
#define ABI_HAL_OFF_ENTRYHI  44u

#endif
