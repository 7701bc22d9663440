/*
 * hal_disco.c - the platform layer for the disco build: a guest of the Disco monitor
 * (monitor/abi.h). The kernel runs in supervisor mode in the kernel window; the hot
 * virtual CP0 registers are fields of this vCPU's HAL page (plain loads and stores);
 * console, power-off, timer, IPIs, idle, zeroed pages and secondary start are
 * monitor calls (ABI_HYPCALL_INSN). EBase, PageMask, EntryLo0/1, Index and Count are
 * reached with MTC0/MFC0 and the TLB with TLBP/TLBWI/TLBWR, as on hardware: the
 * monitor traps and emulates them.
 *
 * Where abi.h is silent: delivering the IPI interrupt clears its pending bit (there is
 * no acknowledge call) while the forwarded Cause still shows it, so the interrupt
 * handler looks at both; ABI_MC_START_VCPU's pc and sp are kernel-window virtual
 * addresses (the vCPU starts executing there).
 */
#include <stddef.h>

#include "guest/mini/hal.h"
#include "guest/mini/klib.h"
#include "guest/mini/trap.h"
#include "monitor/abi.h"

#ifndef MINI_DEFAULT_CMDLINE
#error "MINI_DEFAULT_CMDLINE: the build passes the defaults with their expected checksum"
#endif

#define DISCO_HAL ((volatile abi_hal_page *)ABI_HAL_VA)
#define DISCO_IM_TIMER (1u << (ST_IM_SHIFT + ABI_IRQ_TIMER))
#define DISCO_IM_IPI   (1u << (ST_IM_SHIFT + ABI_IRQ_IPI))

_Static_assert(HAL_KBASE == ABI_KWIN_BASE, "kernel window");
_Static_assert(ABI_HAL_VA + 0x2000u == (uint32_t)HAL_PAGE_HI << 16, "HAL page base");
_Static_assert(offsetof(abi_hal_page, vcpu_id) == HAL_OFF_VCPU_ID, "HAL vcpu_id");
_Static_assert(offsetof(abi_hal_page, nr_vcpus) == HAL_OFF_NR_VCPUS, "HAL nr_vcpus");
_Static_assert(offsetof(abi_hal_page, ie) == HAL_OFF_IE, "HAL ie");
_Static_assert(offsetof(abi_hal_page, pending) == HAL_OFF_PENDING, "HAL pending");
_Static_assert(offsetof(abi_hal_page, status) == HAL_OFF_STATUS, "HAL status");
_Static_assert(offsetof(abi_hal_page, cause) == HAL_OFF_CAUSE, "HAL cause");
_Static_assert(offsetof(abi_hal_page, epc) == HAL_OFF_EPC, "HAL epc");
_Static_assert(offsetof(abi_hal_page, badvaddr) == HAL_OFF_BADVADDR, "HAL badvaddr");
_Static_assert(offsetof(abi_hal_page, entryhi) == HAL_OFF_ENTRYHI, "HAL entryhi");
_Static_assert(offsetof(abi_hal_page, kscratch) == HAL_OFF_KSCRATCH0, "HAL kscratch");

static const char disco_default_cmdline[] = MINI_DEFAULT_CMDLINE;

void hal_disco_entry(const char *cmdline, uint32_t mem_bytes);
void hal_disco_secondary(unsigned cpu);
extern char mini_kstacks[][KSTACK_SIZE];

/* vCPU 0 enters at _start with the boot arguments in a0..a3; secondaries at
 * mini_secondary_entry with sp and a0 = their number (ABI_MC_START_VCPU). */
__asm__(".set push\n.set noreorder\n"
        ".section .text.start, \"ax\"\n.globl _start\n_start:\n"
        "  lui $29, %hi(mini_kstacks + 8192 - 16)\n"
        "  j hal_disco_entry\n  addiu $29, $29, %lo(mini_kstacks + 8192 - 16)\n"
        ".globl mini_secondary_entry\nmini_secondary_entry:\n"
        "  j hal_disco_secondary\n  nop\n"
        ".previous\n.set pop\n");
_Static_assert(KSTACK_SIZE == 8192, "_start's stack size");
extern char mini_secondary_entry[];

static inline uint32_t disco_mcall(uint32_t n, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    register uint32_t v0 __asm__("$2") = n;
    register uint32_t r4 __asm__("$4") = a0;
    register uint32_t r5 __asm__("$5") = a1;
    register uint32_t r6 __asm__("$6") = a2;
    register uint32_t r7 __asm__("$7") = a3;
    __asm__ volatile(".set push\n.set noreorder\n.word 0x42000028\n.set pop"
                     : "+r"(v0) : "r"(r4), "r"(r5), "r"(r6), "r"(r7) : "$3", "memory");
    return v0;
}
_Static_assert(ABI_HYPCALL_INSN == 0x42000028u, "the hypcall word above");

#define MFC0(reg, sel) ({ uint32_t v_; __asm__ volatile("mfc0 %0, $" #reg ", " #sel : "=r"(v_)); v_; })
#define MTC0(reg, sel, v) __asm__ volatile("mtc0 %0, $" #reg ", " #sel "\n\tehb" :: "r"((uint32_t)(v)) : "memory")

void hal_disco_entry(const char *cmdline, uint32_t mem_bytes)
{
    static const char bad_hal[] = "mini: no Disco HAL page (wrong ABI version?)\n";
    if (DISCO_HAL->magic != ABI_HAL_MAGIC || DISCO_HAL->version != ABI_VERSION) {
        disco_mcall(ABI_MC_CONSOLE_WRITE, hal_pa(bad_hal), sizeof bad_hal - 1, 0, 0);
        hal_power_off(2);
    }
    hal_boot b = { cmdline ? cmdline : disco_default_cmdline, mem_bytes, "disco" };
    mini_main(&b);
}

void hal_disco_secondary(unsigned cpu)
{
    smp_secondary_main(cpu);
}

unsigned hal_cpu_id(void) { return DISCO_HAL->vcpu_id; }
unsigned hal_ncpus(void) { return DISCO_HAL->nr_vcpus; }

void hal_cpu_init(void *percpu)
{
    extern char mini_vectors[];
    DISCO_HAL->kscratch[0] = (uint32_t)(uintptr_t)percpu;
    MTC0(15, 1, (uint32_t)(uintptr_t)mini_vectors);       /* trapped: virtual EBase */
    DISCO_HAL->pagemask = 0;
    DISCO_HAL->ie = 0;
    DISCO_HAL->status = 0;              /* kernel mode, BEV/EXL/IE off */
}

void hal_start_secondaries(unsigned n)
{
    for (unsigned i = 1; i < n; i++) {
        uint32_t sp = (uint32_t)(uintptr_t)mini_kstacks[i] + KSTACK_SIZE - 16;
        if ((int32_t)disco_mcall(ABI_MC_START_VCPU, i, (uint32_t)(uintptr_t)mini_secondary_entry, sp, i) < 0)
            kpanic("ABI_MC_START_VCPU failed");
    }
}

void hal_console_write(const char *s, unsigned len)
{
    while (len) {
        int32_t n = (int32_t)disco_mcall(ABI_MC_CONSOLE_WRITE, hal_pa(s), len, 0, 0);
        if (n <= 0)
            return;
        s += n;
        len -= (unsigned)n;
    }
}

void hal_power_off(int status)
{
    for (;;)
        disco_mcall(ABI_MC_POWER_OFF, (uint32_t)status, 0, 0, 0);
}

uint32_t hal_count(void) { return MFC0(9, 0); }       /* trapped: virtual Count */
void hal_timer_set(uint32_t compare) { disco_mcall(ABI_MC_SET_TIMER, compare, 0, 0, 0); }

/* The forwarded Cause names the interrupts being delivered (an IPI's pending bit is
 * already clear by then); pending adds any raised since. */
uint32_t hal_irq_pending(const trapframe *tf)
{
    uint32_t ip = (tf->cause | DISCO_HAL->pending << ST_IM_SHIFT) & tf->status & ST_IM_MASK;
    return (ip & DISCO_IM_TIMER ? HAL_IRQ_TIMER : 0) | (ip & DISCO_IM_IPI ? HAL_IRQ_IPI : 0);
}

void hal_ipi_send(unsigned cpu) { disco_mcall(ABI_MC_IPI, cpu, 0, 0, 0); }
void hal_ipi_ack(void) {}
void hal_idle(void) { disco_mcall(ABI_MC_IDLE, 0, 0, 0, 0); }

uint32_t hal_thread_status(int user, uint32_t irqs)
{
    return ST_EXL | ST_IE | (user ? ST_KSU_USER : 0) |
           (irqs & HAL_IRQ_TIMER ? DISCO_IM_TIMER : 0) | (irqs & HAL_IRQ_IPI ? DISCO_IM_IPI : 0);
}

void hal_set_asid(uint32_t asid) { DISCO_HAL->entryhi = asid & EHI_ASID_MASK; }

void hal_tlb_update(uint32_t va, uint32_t asid, uint32_t lo0, uint32_t lo1)
{
    DISCO_HAL->entryhi = (va & EHI_VPN2_MASK) | (asid & EHI_ASID_MASK);
    __asm__ volatile("tlbp" ::: "memory");                /* trapped */
    uint32_t index = MFC0(0, 0);
    MTC0(2, 0, lo0);
    MTC0(3, 0, lo1);
    if (index & INDEX_P)
        __asm__ volatile("tlbwr" ::: "memory");
    else
        __asm__ volatile("tlbwi" ::: "memory");
}

void hal_zero_page(uint32_t pa) { disco_mcall(ABI_MC_ZERO_PAGE, pa, 0, 0, 0); }
