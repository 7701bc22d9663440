/*
 * ukern.c - a small Unix-like test kernel for the monitor (see ukern_vec.S): two user
 * processes with their own ASIDs and page tables, a TLB refill handler, syscalls, a
 * 100 Hz timer that preempts the processes, a checksum of their work checked against
 * the kernel's own computation, and power-off with the verdict. Built with -DBARE it
 * runs on mips-sim --board numa in kernel mode, for the bare vs virtualized comparison.
 *
 * Workload size: UKERN_PAGES data pages per process (several times the TLB's reach),
 * UKERN_ROUNDS sweeps each; every sweep ends with a yield syscall.
 */
#include <stdint.h>

#ifndef UKERN_PAGES
#define UKERN_PAGES 192
#endif
#ifndef UKERN_ROUNDS
#define UKERN_ROUNDS 6
#endif

#ifdef BARE
#define BASE 0x80000000u
#else
#define BASE 0xC0000000u
#endif
#define NPROC 2
#define USER_CODE_VA 0x00400000u
#define USER_DATA_VA 0x00800000u
#define USER_STACK_VA 0x00ff0000u
#define PT_PAIRS 2048                    /* user VAs below 16 MB */
#define LO_V 2u
#define LO_D 4u
#define LO_C (3u << 3)
#define ST_IE 1u
#define ST_EXL 2u
#define ST_UM (2u << 3)
#define ST_IM7 0x8000u
#define TICK_COUNTS 1000000u             /* 100 Hz at a 200 MHz clock (Count at half) */
#define SYS_YIELD 1
#define SYS_EXIT 2

#define MFC0(reg, sel) ({ uint32_t v_; __asm__ volatile("mfc0 %0, $" #reg ", " #sel : "=r"(v_)); v_; })
#define MTC0(reg, sel, v) __asm__ volatile("mtc0 %0, $" #reg ", " #sel "; ehb" :: "r"(v))

struct frame { uint32_t r[32]; uint32_t hi, lo, epc, pad; };
extern struct frame exc_frame;
extern char _vectors[], user_code_start[];

struct proc {
    struct frame f;
    uint32_t asid;
    uint32_t (*pt)[2];
    int done;
    uint32_t result;
};

static uint32_t pt_mem[NPROC][PT_PAIRS][2] __attribute__((aligned(4096)));
static uint8_t user_data[NPROC][UKERN_PAGES][4096] __attribute__((aligned(4096)));
static uint8_t user_stack[NPROC][4096] __attribute__((aligned(4096)));
static struct proc procs[NPROC];
static int cur;
uint32_t (*cur_pt)[2];
static volatile uint32_t ticks, syscalls;

/* ---- console and power (monitor calls, or the test board's devices when bare) ---- */

#ifdef BARE
static void putc_(char c) { *(volatile uint32_t *)0xbf000000u = (uint8_t)c; }
static void power_off(int st) { *(volatile uint32_t *)0xbf000010u = (uint32_t)st; for (;;) ; }
#else
static long hypcall(long nr, long a0)
{
    register long v0 __asm__("$2") = nr;
    register long a __asm__("$4") = a0;
    __asm__ volatile(".word 0x42000028" : "+r"(v0) : "r"(a) : "memory", "$3");
    return v0;
}
static void putc_(char c) { hypcall(13, c); }
static void power_off(int st) { hypcall(3, st); for (;;) ; }
#endif

static void puts_(const char *s) { while (*s) putc_(*s++); }
static void puthex(uint32_t v)
{
    for (int i = 28; i >= 0; i -= 4)
        putc_("0123456789abcdef"[(v >> i) & 15]);
}

/* ---- the user program (runs in user mode at USER_CODE_VA) ------------------------------ */

/* One function and no calls: JAL is region-absolute and this code runs at another
 * address than it was linked at, so it must be position-independent. */
__attribute__((section(".text.user"), noinline)) void user_entry(uint32_t id)
{
    volatile uint32_t *data = (volatile uint32_t *)USER_DATA_VA;
    uint32_t sum = 0;
    for (uint32_t p = 0; p < UKERN_PAGES; p++)
        for (uint32_t w = 0; w < 1024; w += 16)
            data[p * 1024 + w] = p * 7919u + w + id;
    for (int r = 0; r < UKERN_ROUNDS; r++) {
        for (uint32_t p = 0; p < UKERN_PAGES; p++)
            for (uint32_t w = 0; w < 1024; w += 16)
                sum = sum * 31u + data[p * 1024 + w];
        register long v0 __asm__("$2") = SYS_YIELD;
        __asm__ volatile("syscall" : "+r"(v0) :: "memory");
    }
    register long v0 __asm__("$2") = SYS_EXIT;
    register long a0 __asm__("$4") = (long)sum;
    __asm__ volatile("syscall" :: "r"(v0), "r"(a0) : "memory");
    for (;;) ;
}


static uint32_t expected(uint32_t id)
{
    uint32_t sum = 0;
    for (int r = 0; r < UKERN_ROUNDS; r++)
        for (uint32_t p = 0; p < UKERN_PAGES; p++)
            for (uint32_t w = 0; w < 1024; w += 16)
                sum = sum * 31u + (p * 7919u + w + id);
    return sum;
}

/* ---- processes ------------------------------------------------------------------------ */

static uint32_t lo_of(const void *kva, uint32_t flags)
{
    return (((uint32_t)kva - BASE) >> 12 << 6) | LO_C | LO_V | flags;
}

static void map(struct proc *pr, uint32_t va, const void *kva, uint32_t flags)
{
    pr->pt[va >> 13][(va >> 12) & 1] = lo_of(kva, flags);
}

static void proc_setup(int i)
{
    struct proc *pr = &procs[i];
    pr->asid = (uint32_t)i + 1;
    pr->pt = pt_mem[i];
    for (uint32_t off = 0; off < 4 * 4096u; off += 4096)
        map(pr, USER_CODE_VA + off, user_code_start + off, 0);
    for (uint32_t p = 0; p < UKERN_PAGES; p++)
        map(pr, USER_DATA_VA + p * 4096u, user_data[i][p], LO_D);
    map(pr, USER_STACK_VA, user_stack[i], LO_D);
    pr->f.epc = USER_CODE_VA + ((uint32_t)(uintptr_t)user_entry - (uint32_t)(uintptr_t)user_code_start);
    pr->f.r[4] = (uint32_t)i;
    pr->f.r[29] = USER_STACK_VA + 4096 - 16;
}

/* Make process i current: its frame becomes the exception frame, its ASID and table. */
static void proc_enter(int i)
{
    cur = i;
    exc_frame = procs[i].f;
    cur_pt = procs[i].pt;
    MTC0(10, 0, procs[i].asid);
}

static void proc_switch(void)
{
    procs[cur].f = exc_frame;
    for (int k = 1; k <= NPROC; k++) {
        int n = (cur + k) % NPROC;
        if (!procs[n].done) {
            proc_enter(n);
            return;
        }
    }
}

static void finish(void)
{
    int bad = 0;
    for (int i = 0; i < NPROC; i++) {
        uint32_t want = expected((uint32_t)i);
        puts_("proc ");
        putc_((char)('0' + i));
        puts_(" checksum ");
        puthex(procs[i].result);
        puts_(procs[i].result == want ? " ok\n" : " BAD\n");
        bad |= procs[i].result != want;
    }
    puts_(bad ? "ukern: FAILED\n" : "ukern: all checksums ok\n");
    power_off(bad);
}

static void syscall_(struct frame *f)
{
    syscalls++;
    f->epc += 4;
    if (f->r[2] == SYS_EXIT) {
        procs[cur].done = 1;
        procs[cur].result = f->r[4];
        for (int i = 0; i < NPROC; i++)
            if (!procs[i].done) {
                proc_switch();
                return;
            }
        finish();
    }
    proc_switch();
}

static void timer_(void)
{
    ticks++;
    MTC0(11, 0, MFC0(9, 0) + TICK_COUNTS);
    proc_switch();
}

void ukern_exception(struct frame *f)
{
    uint32_t cause = MFC0(13, 0), code = (cause >> 2) & 31;
    if (code == 8)
        syscall_(f);
    else if (code == 0 && (cause & 0x8000u))
        timer_();
    else {
        puts_("ukern: unexpected exception ");
        puthex(code);
        puts_(" at ");
        puthex(f->epc);
        puts_(" badvaddr ");
        puthex(MFC0(8, 0));
        putc_('\n');
        power_off(3);
    }
}

void ukern_main(void)
{
    MTC0(15, 1, (uint32_t)_vectors);           /* EBase */
    MTC0(12, 0, 0);                            /* Status: BEV off, kernel, interrupts off */
    MTC0(6, 0, 0);                             /* Wired */
    puts_("ukern: starting ");
    putc_((char)('0' + NPROC));
    puts_(" processes\n");
    for (int i = 0; i < NPROC; i++)
        proc_setup(i);
    MTC0(11, 0, MFC0(9, 0) + TICK_COUNTS);
    proc_enter(0);
    MTC0(14, 0, exc_frame.epc);
    /* Into user mode: EXL so the Status write is safe, then ERET drops it. */
    MTC0(12, 0, ST_UM | ST_EXL | ST_IE | ST_IM7);
    __asm__ volatile(
        "la $k0, exc_frame\n"
        "lw $4, 16($k0)\n"
        "lw $29, 116($k0)\n"
        "eret\n" ::: "memory");
}
