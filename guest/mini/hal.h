/*
 * hal.h - the platform layer: everything that differs between the two builds of the
 * mini kernel. Everything else in guest/mini/ is shared.
 *
 *   bare  (hal_bare.c):  kernel mode, linked in kseg0 (KBASE 0x80000000), real CP0,
 *         the NUMA board's UART, exit and IPI devices, every CPU starts at the entry.
 *   disco (hal_disco.c): supervisor mode under the Disco monitor (monitor/abi.h),
 *         linked in the kernel window (KBASE 0xC0000000); hot CP0 registers (Status,
 *         EPC, Cause, BadVAddr, EntryHi, interrupt enable/pending) through the HAL
 *         page, console/power-off/timer/IPI/idle/start by monitor call; EBase, EntryLo,
 *         Index, Count and the TLB instructions are executed as they are and trapped.
 *
 * The exception-vector parts of the layer are the assembler macros of hal_asm.h.
 * Physical addresses here are guest-physical in the disco build.
 */
#ifndef MINI_HAL_H
#define MINI_HAL_H

#include <stdint.h>

#include "guest/mini/hal_asm.h"

/* Kernel address of a physical address and back (the direct-mapped kernel window). */
static inline void *hal_kva(uint32_t pa) { return (void *)(uintptr_t)(pa + HAL_KBASE); }
static inline uint32_t hal_pa(const void *kva) { return (uint32_t)(uintptr_t)kva - HAL_KBASE; }

/* What the platform hands the kernel at boot. */
typedef struct hal_boot {
    const char *cmdline;     /* NUL-terminated; the compiled-in default when none given */
    uint32_t mem_bytes;      /* usable physical memory from 0, 0: take the cmdline's mem= */
    const char *platform;    /* "bare" or "disco", for the platform lines */
} hal_boot;

/* Interrupt sources, as the kernel sees them. */
#define HAL_IRQ_TIMER 0x1u
#define HAL_IRQ_IPI   0x2u

struct trapframe;

unsigned hal_cpu_id(void);
unsigned hal_ncpus(void);
/* Per-CPU set-up on the CPU itself: vectors (EBase), BEV off, the per-CPU pointer the
 * vectors find, interrupt masks. Interrupts stay off until the first return to a thread. */
void hal_cpu_init(void *percpu);
/* Start CPUs 1..n-1 at the shared secondary entry (smp_secondary_main). */
void hal_start_secondaries(unsigned n);

void hal_console_write(const char *s, unsigned len);
__attribute__((noreturn)) void hal_power_off(int status);

/* Count/Compare timer: Count now, arm Compare (acknowledges a pending timer interrupt). */
uint32_t hal_count(void);
void hal_timer_set(uint32_t compare);

/* Interrupt sources pending and enabled in the interrupted context's Status. */
uint32_t hal_irq_pending(const struct trapframe *tf);
void hal_ipi_send(unsigned cpu);
void hal_ipi_ack(void);
/* Sleep until an interrupt is pending (called with interrupts on, by the idle thread). */
void hal_idle(void);

/* The Status word a thread runs with (EXL set: it is restored before ERET), in user or
 * kernel mode, listening to the interrupt sources irqs (HAL_IRQ_*). */
uint32_t hal_thread_status(int user, uint32_t irqs);
/* Make asid the current address space (EntryHi.ASID). */
void hal_set_asid(uint32_t asid);
/* Put (VPN2 of va, current ASID) -> lo0/lo1 into the TLB, over the entry the TLB may
 * already hold for it (TLBP, then TLBWI, or TLBWR when absent). */
void hal_tlb_update(uint32_t va, uint32_t asid, uint32_t lo0, uint32_t lo1);
/* Fill a physical page with zeros. */
void hal_zero_page(uint32_t pa);

/* Shared kernel entry points the HAL calls. */
__attribute__((noreturn)) void mini_main(const hal_boot *boot);
__attribute__((noreturn)) void smp_secondary_main(unsigned cpu);

#endif
