/*
 * bm.h - support for bare-metal test programs on the mips-sim test board: console
 * output, exit, CPU identity, CP0 access, checks, and the exception frame.
 */
#ifndef BM_H
#define BM_H

#include <stdint.h>

#define BM_DEV ((volatile uint32_t *)0xbf000000u)
#define BM_UART_TX 0
#define BM_EXIT 4
#define BM_IPI_CPUID 64
#define BM_IPI_SEND 65
#define BM_IPI_ACK 66
#define BM_IPI_NCPUS 67
#define BM_IPI_PENDING 68

/* Saved state of an exception (see crt0.S). Changing epc or r[] changes the resume. */
typedef struct bm_frame {
    uint32_t r[32];
    uint32_t epc, cause, badvaddr, status, entryhi, context;
} bm_frame;

/* Define this to handle exceptions; kind: 1 refill vector, 0 general, 2 interrupt. */
void bm_exception(bm_frame *f, int kind);

#define MFC0(reg, sel) ({ uint32_t v_; __asm__ volatile("mfc0 %0, $" #reg ", " #sel : "=r"(v_)); v_; })
#define MTC0(reg, sel, v) __asm__ volatile("mtc0 %0, $" #reg ", " #sel "\n\tehb" :: "r"((uint32_t)(v)) : "memory")

static inline void bm_putc(char c) { BM_DEV[BM_UART_TX] = (uint8_t)c; }
static inline void bm_puts(const char *s) { while (*s) bm_putc(*s++); }
static inline void bm_puthex(uint32_t v)
{
    bm_puts("0x");
    for (int i = 28; i >= 0; i -= 4)
        bm_putc("0123456789abcdef"[(v >> i) & 15]);
}
static inline void bm_putdec(uint32_t v)
{
    char buf[12];
    int i = 0;
    do { buf[i++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (i) bm_putc(buf[--i]);
}
static inline __attribute__((noreturn)) void bm_exit(int code)
{
    BM_DEV[BM_EXIT] = (uint32_t)code;
    for (;;) {}
}
static inline unsigned bm_cpu(void) { return MFC0(15, 1) & 0x3ff; }
static inline unsigned bm_ncpus(void) { return BM_DEV[BM_IPI_NCPUS]; }

static inline __attribute__((noreturn)) void bm_fail(int line, const char *what)
{
    bm_puts("FAIL line ");
    bm_putdec((uint32_t)line);
    bm_puts(": ");
    bm_puts(what);
    bm_putc('\n');
    bm_exit(1);
}
#define CHECK(cond) do { if (!(cond)) bm_fail(__LINE__, #cond); } while (0)
#define CHECK_EQ(a, b) do { uint32_t a_ = (uint32_t)(a), b_ = (uint32_t)(b); \
    if (a_ != b_) { bm_puts("got "); bm_puthex(a_); bm_puts(" want "); bm_puthex(b_); \
    bm_putc(' '); bm_fail(__LINE__, #a " == " #b); } } while (0)

/* Atomic add with LL/SC; returns the new value. */
static inline uint32_t bm_atomic_add(volatile uint32_t *p, uint32_t v)
{
    uint32_t old, tmp;
    __asm__ volatile("1: ll %0, 0(%2)\n\taddu %1, %0, %3\n\tsc %1, 0(%2)\n\tbeqz %1, 1b\n\tnop"
                     : "=&r"(old), "=&r"(tmp) : "r"(p), "r"(v) : "memory");
    return old + v;
}

static inline void bm_lock(volatile uint32_t *l)
{
    uint32_t tmp;
    __asm__ volatile("1: ll %0, 0(%1)\n\tbnez %0, 1b\n\tli %0, 1\n\tsc %0, 0(%1)\n\tbeqz %0, 1b\n\tnop"
                     : "=&r"(tmp) : "r"(l) : "memory");
}
static inline void bm_unlock(volatile uint32_t *l) { __asm__ volatile("sync" ::: "memory"); *l = 0; }

#endif

/* ---- helpers for the instruction-level tests (appended by the test suite) ---------- */
#ifdef BM_TEST_HELPERS
#define BM_EXC(f) (((f)->cause >> 2) & 31u)
#define BM_SYSCALL_RETURN 0x4b524e4cu /* v0 of the SYSCALL that ends bm_run_mode */

/* Write TLB entry `index` (TLBWI). */
static inline void bm_tlb_write(uint32_t index, uint32_t hi, uint32_t pagemask,
                                uint32_t lo0, uint32_t lo1)
{
    MTC0(0, 0, index);
    MTC0(10, 0, hi);
    MTC0(5, 0, pagemask);
    MTC0(2, 0, lo0);
    MTC0(3, 0, lo1);
    __asm__ volatile("tlbwi\n\tehb" ::: "memory");
}
/* EntryLo for physical address pa with C=3 and flags (ENTRYLO G=1 V=2 D=4). */
#define BM_LO(pa, flags) ((((uint32_t)(pa) >> 12) << 6) | (3u << 3) | (flags))

/*
 * bm_run_mode(entry, ksu, arg): ERET to `entry` in supervisor (ksu = 1) or user (ksu = 2)
 * mode with a0 = arg. The code there ends with SYSCALL and v0 = BM_SYSCALL_RETURN;
 * bm_exception must begin with `if (bm_mode_return(f)) return;`. Returns the code's v1.
 * Callee-saved registers, sp and ra are restored. bm_map_low() maps virtual 0..32 MB to
 * physical 0..32 MB (TLB entry `index`, global) so that code linked in kseg0 can run
 * at BM_LOW(address) in user or supervisor mode (J/JAL stay in the low 256 MB).
 */
uint32_t bm_run_mode(uint32_t entry, uint32_t ksu, uint32_t arg);
extern char bm_mode_back[];
__asm__(".set push\n.set noreorder\n.set noat\n"
        ".text\n.globl bm_run_mode\n.type bm_run_mode,@function\nbm_run_mode:\n"
        "  lui $8, %hi(bm_mode_save)\n  addiu $8, $8, %lo(bm_mode_save)\n"
        "  sw $16, 0($8)\n  sw $17, 4($8)\n  sw $18, 8($8)\n  sw $19, 12($8)\n"
        "  sw $20, 16($8)\n  sw $21, 20($8)\n  sw $22, 24($8)\n  sw $23, 28($8)\n"
        "  sw $28, 32($8)\n  sw $29, 36($8)\n  sw $30, 40($8)\n  sw $31, 44($8)\n"
        "  mfc0 $9, $12\n  li $10, -32\n  and $9, $9, $10\n  sll $5, $5, 3\n"
        "  or $9, $9, $5\n  ori $9, $9, 2\n  mtc0 $9, $12\n  mtc0 $4, $14\n"
        "  move $4, $6\n  ehb\n  eret\n"
        ".globl bm_mode_back\nbm_mode_back:\n"
        "  lui $8, %hi(bm_mode_save)\n  addiu $8, $8, %lo(bm_mode_save)\n"
        "  lw $16, 0($8)\n  lw $17, 4($8)\n  lw $18, 8($8)\n  lw $19, 12($8)\n"
        "  lw $20, 16($8)\n  lw $21, 20($8)\n  lw $22, 24($8)\n  lw $23, 28($8)\n"
        "  lw $28, 32($8)\n  lw $29, 36($8)\n  lw $30, 40($8)\n  lw $31, 44($8)\n"
        "  jr $31\n  move $2, $3\n"
        ".size bm_run_mode, .-bm_run_mode\n"
        ".data\n.align 2\nbm_mode_save: .space 48\n.text\n.set pop\n");

/* The SYSCALL that ends bm_run_mode: back to kernel mode at bm_mode_back. */
static inline int bm_mode_return(bm_frame *f)
{
    if (BM_EXC(f) != 8 || f->r[2] != BM_SYSCALL_RETURN || !(f->status & 0x18u))
        return 0;
    MTC0(12, 0, MFC0(12, 0) & ~0x18u);
    f->epc = (uint32_t)bm_mode_back;
    return 1;
}
#define BM_LOW(p) ((uint32_t)(p) & 0x1fffffffu)

/*
 * Work-around: the toolchain's .note.gnu.build-id is linked at 0x80000000 ahead of
 * .vectors, so the refill vector holds note data (the general and interrupt vectors
 * still reach their jumps through the zero padding). Overwrite the note with NOPs up
 * to the first "j <text>; nop" pair, which is the refill vector's jump.
 */
extern char _end[];
static inline void bm_fix_refill_vector(void)
{
    volatile uint32_t *v = (volatile uint32_t *)0x80000000u;
    for (int i = 0; i < 64; i++) {
        uint32_t t = 0x80000000u | ((v[i] & 0x3ffffffu) << 2);
        if ((v[i] >> 26) == 2 && v[i + 1] == 0 && t >= 0x80001000u && t < (uint32_t)_end) {
            for (int j = 0; j < i; j++)
                v[j] = 0;
            return;
        }
    }
}
static inline void bm_map_low(uint32_t index)
{
    bm_tlb_write(index, 0, 0x1fffe000u, BM_LO(0, 7), BM_LO(0x1000000, 7));
}
#ifdef BM_SKIP_HANDLER
/* A general-vector handler that records the exception and skips the instruction that
 * raised it (for tests of exceptions taken in kernel mode, outside delay slots). */
static volatile uint32_t n_exc, exc_code, exc_epc, exc_cause;

void bm_exception(bm_frame *f, int kind)
{
    CHECK_EQ(kind, 0);
    n_exc++;
    exc_code = BM_EXC(f);
    exc_epc = f->epc;
    exc_cause = f->cause;
    f->epc += 4;
}
#endif

#endif
