/* rt.h - the C test guests' runtime (rt.S): monitor calls, console, the exception record. */
#ifndef RT_H
#define RT_H
#include <stdint.h>

#define KWIN 0xC0000000u
#define HAL_BASE ((volatile uint32_t *)0xDFFFE000u)
#define GPA(p) ((uint32_t)(uintptr_t)(p) - KWIN)

struct rt_exc { uint32_t count, cause, badvaddr, epc; };
extern volatile struct rt_exc rt_exc;

static inline long rt_call4(long nr, long a0, long a1, long a2, long a3)
{
    register long v0 __asm__("$2") = nr;
    register long r4 __asm__("$4") = a0;
    register long r5 __asm__("$5") = a1;
    register long r6 __asm__("$6") = a2;
    register long r7 __asm__("$7") = a3;
    __asm__ volatile(".word 0x42000028" : "+r"(v0) : "r"(r4), "r"(r5), "r"(r6), "r"(r7) : "memory", "$3");
    return v0;
}
#define rt_call(nr, a0, a1) rt_call4((nr), (a0), (a1), 0, 0)

static inline void rt_puts(const char *s)
{
    uint32_t n = 0;
    while (s[n])
        n++;
    rt_call(1, (long)GPA(s), (long)n);
}

static inline void rt_putnum(const char *label, long v)
{
    char buf[48];
    int i = 0, neg = v < 0;
    unsigned long u = neg ? (unsigned long)-v : (unsigned long)v;
    while (*label)
        buf[i++] = *label++;
    char tmp[16];
    int n = 0;
    do tmp[n++] = (char)('0' + u % 10); while ((u /= 10) && n < 15);
    if (neg)
        buf[i++] = '-';
    while (n)
        buf[i++] = tmp[--n];
    buf[i++] = '\n';
    buf[i] = 0;
    rt_puts(buf);
}

#define MFC0(reg, sel) ({ uint32_t v_; __asm__ volatile("mfc0 %0, $" #reg ", " #sel : "=r"(v_)); v_; })
#define MTC0(reg, sel, v) __asm__ volatile("mtc0 %0, $" #reg ", " #sel "; ehb" :: "r"(v))

/* Check: print "ok NAME" or "FAIL NAME got X" and count failures. */
extern int rt_failures;
#define CHECK(name, got, want) do { long g_ = (long)(got), w_ = (long)(want);            \
        if (g_ == w_) rt_puts("ok " name "\n");                                          \
        else { rt_failures++; rt_putnum("FAIL " name " got ", g_); } } while (0)

#endif
