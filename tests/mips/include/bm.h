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
