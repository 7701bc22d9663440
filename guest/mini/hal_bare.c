/*
 * hal_bare.c - the platform layer for the bare build: kernel mode on mips-sim's NUMA
 * (or test) board. Devices (mips-sim/board_test.h): UART at 0x1f000000, exit device at
 * 0x1f000010, IPI device at 0x1f000100 (IPIs raise IP2), reached through kseg1; the
 * CP0 Count/Compare timer raises IP7. Every CPU starts at _start: CPU 0 boots, the
 * others sleep in WAIT until CPU 0 sets bare_go and sends them an IPI.
 */
#include "guest/mini/hal.h"
#include "guest/mini/klib.h"
#include "guest/mini/trap.h"

#ifndef MINI_DEFAULT_CMDLINE
#error "MINI_DEFAULT_CMDLINE: the build passes the defaults with their expected checksum"
#endif

#define BARE_DEV        ((volatile uint32_t *)0xbf000000u)
#define BARE_UART_TX    0
#define BARE_EXIT       4
#define BARE_IPI_SEND   65
#define BARE_IPI_ACK    66
#define BARE_IPI_NCPUS  67
#define BARE_IM_TIMER   0x8000u     /* IP7 */
#define BARE_IM_IPI     0x0400u     /* IP2 */
#define BARE_CMDLINE_MAX 256

/* The command line, in its own section so tests can replace it with objcopy
 * --update-section .mini_cmdline=FILE (exactly BARE_CMDLINE_MAX bytes). */
__attribute__((section(".mini_cmdline"), used, aligned(4)))
char mini_bare_cmdline[BARE_CMDLINE_MAX] = MINI_DEFAULT_CMDLINE;

static volatile uint32_t bare_go;

void hal_bare_entry(unsigned cpu);

/* Entry of every CPU: kernel mode, BEV and ERL off, a stack, then C. */
__asm__(".set push\n.set noreorder\n"
        ".section .text.start, \"ax\"\n.globl _start\n_start:\n"
        "  mtc0 $0, $12\n  ehb\n"
        "  mfc0 $4, $15, 1\n  andi $4, $4, 0x3ff\n"
        "  sltiu $8, $4, " "32" "\n  beqz $8, 2f\n  nop\n"
        "  lui $29, %hi(mini_kstacks)\n  addiu $29, $29, %lo(mini_kstacks)\n"
        "  addiu $9, $4, 1\n  sll $9, $9, 13\n  addu $29, $29, $9\n"
        "  j hal_bare_entry\n  addiu $29, $29, -16\n"
        "2: wait\n  b 2b\n  nop\n"
        ".previous\n.set pop\n");
_Static_assert(MINI_MAX_CPUS == 32 && KSTACK_SHIFT == 13, "_start's constants");

#define MFC0(reg, sel) ({ uint32_t v_; __asm__ volatile("mfc0 %0, $" #reg ", " #sel : "=r"(v_)); v_; })
#define MTC0(reg, sel, v) __asm__ volatile("mtc0 %0, $" #reg ", " #sel "\n\tehb" :: "r"((uint32_t)(v)) : "memory")

void hal_bare_entry(unsigned cpu)
{
    if (cpu == 0) {
        hal_boot b = { mini_bare_cmdline, 0, "bare" };
        mini_main(&b);
    }
    MTC0(12, 0, BARE_IM_IPI);           /* listen to IPIs only, IE off: WAIT still wakes */
    while (!bare_go)
        __asm__ volatile("wait" ::: "memory");
    BARE_DEV[BARE_IPI_ACK] = 1;
    smp_secondary_main(cpu);
}

unsigned hal_cpu_id(void) { return MFC0(15, 1) & 0x3ffu; }
unsigned hal_ncpus(void) { return BARE_DEV[BARE_IPI_NCPUS]; }

void hal_cpu_init(void *percpu)
{
    (void)percpu;                       /* the vectors find it by CPU number */
    extern char mini_vectors[];
    MTC0(15, 1, (uint32_t)(uintptr_t)mini_vectors);
    MTC0(5, 0, 0);                      /* PageMask: 4 KB pages */
    MTC0(12, 0, 0);                     /* kernel mode, EXL/ERL/BEV/IE off */
}

void hal_start_secondaries(unsigned n)
{
    bare_go = 1;
    __asm__ volatile("sync" ::: "memory");
    for (unsigned i = 1; i < n; i++)
        BARE_DEV[BARE_IPI_SEND] = i;
}

void hal_console_write(const char *s, unsigned len)
{
    while (len--)
        BARE_DEV[BARE_UART_TX] = (uint8_t)*s++;
}

void hal_power_off(int status)
{
    BARE_DEV[BARE_EXIT] = (uint32_t)status;
    for (;;) {}
}

uint32_t hal_count(void) { return MFC0(9, 0); }
void hal_timer_set(uint32_t compare) { MTC0(11, 0, compare); }

uint32_t hal_irq_pending(const trapframe *tf)
{
    uint32_t ip = tf->cause & tf->status & ST_IM_MASK;
    return (ip & BARE_IM_TIMER ? HAL_IRQ_TIMER : 0) | (ip & BARE_IM_IPI ? HAL_IRQ_IPI : 0);
}

void hal_ipi_send(unsigned cpu)
{
    __asm__ volatile("sync" ::: "memory");
    BARE_DEV[BARE_IPI_SEND] = cpu;
}

void hal_ipi_ack(void) { BARE_DEV[BARE_IPI_ACK] = 1; }
void hal_idle(void) { __asm__ volatile("wait" ::: "memory"); }

uint32_t hal_thread_status(int user, uint32_t irqs)
{
    return ST_EXL | ST_IE | (user ? ST_KSU_USER : 0) |
           (irqs & HAL_IRQ_TIMER ? BARE_IM_TIMER : 0) | (irqs & HAL_IRQ_IPI ? BARE_IM_IPI : 0);
}

void hal_set_asid(uint32_t asid) { MTC0(10, 0, asid & EHI_ASID_MASK); }

void hal_tlb_update(uint32_t va, uint32_t asid, uint32_t lo0, uint32_t lo1)
{
    MTC0(10, 0, (va & EHI_VPN2_MASK) | (asid & EHI_ASID_MASK));
    __asm__ volatile("tlbp\n\tehb" ::: "memory");
    uint32_t index = MFC0(0, 0);
    MTC0(2, 0, lo0);
    MTC0(3, 0, lo1);
    if (index & INDEX_P)
        __asm__ volatile("tlbwr\n\tehb" ::: "memory");
    else
        __asm__ volatile("tlbwi\n\tehb" ::: "memory");
}

/* Eight word stores a round: a page costs about 1200 instructions. */
void hal_zero_page(uint32_t pa)
{
    volatile uint32_t *w = hal_kva(pa), *end = w + PAGE_SIZE / 4;
    for (; w < end; w += 8)
        w[0] = w[1] = w[2] = w[3] = w[4] = w[5] = w[6] = w[7] = 0;
}
