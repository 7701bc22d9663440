/*
 * llsc.c - LL/SC between 4 CPUs: each adds 1 to a shared counter 250,000 times with
 * LL/SC; the total must be exactly 1,000,000. Also, on one CPU: an ERET between LL and
 * SC (an exception) makes the SC fail; an uninterrupted LL/SC succeeds.
 * sim-opts: --cpus 4
 */
#define BM_TEST_HELPERS
#include "bm.h"

#define PER_CPU 250000u

static volatile uint32_t counter, done, start, scratch;

void bm_exception(bm_frame *f, int kind)
{
    CHECK_EQ(kind, 0);
    CHECK_EQ(BM_EXC(f), 8);
    f->epc += 4;
}

static uint32_t ll_sc(volatile uint32_t *p, uint32_t v, int with_syscall)
{
    uint32_t ok = v;
    if (with_syscall)
        __asm__ volatile("ll $0, 0(%1)\n\tsyscall\n\tsc %0, 0(%1)" : "+r"(ok) : "r"(p) : "memory");
    else
        __asm__ volatile("ll $0, 0(%1)\n\tsc %0, 0(%1)" : "+r"(ok) : "r"(p) : "memory");
    return ok;
}

int main(unsigned cpu)
{
    CHECK_EQ(bm_ncpus(), 4);
    if (cpu == 0) {
        scratch = 5;
        CHECK_EQ(ll_sc(&scratch, 9, 1), 0);
        CHECK_EQ(scratch, 5);
        CHECK_EQ(ll_sc(&scratch, 9, 0), 1);
        CHECK_EQ(scratch, 9);
        start = 1;
    }
    while (!start) {}
    for (uint32_t i = 0; i < PER_CPU; i++)
        bm_atomic_add(&counter, 1);
    bm_atomic_add(&done, 1);
    if (cpu != 0)
        return 0;
    while (done != 4) {}
    bm_puts("counter ");
    bm_putdec(counter);
    bm_putc('\n');
    CHECK_EQ(counter, 4 * PER_CPU);
    return 0;
}
