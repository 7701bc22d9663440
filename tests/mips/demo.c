/*
 * demo.c - the main-job demo: every CPU counts the primes in its share of [2, LIMIT),
 * adds its count to a shared total with LL/SC, and reports under a spinlock; CPU 0
 * waits for all CPUs and prints the total (17984 primes below 200000).
 * sim-opts: --cpus 4
 */
#include "bm.h"

#define LIMIT 200000u

static volatile uint32_t total, done, print_lock;

static int is_prime(uint32_t n)
{
    if (n < 2) return 0;
    for (uint32_t d = 2; d * d <= n; d++)
        if (n % d == 0) return 0;
    return 1;
}

int main(unsigned cpu)
{
    unsigned n = bm_ncpus();
    uint32_t count = 0;
    uint32_t lo = LIMIT / n * cpu, hi = cpu + 1 == n ? LIMIT : LIMIT / n * (cpu + 1);
    for (uint32_t i = lo; i < hi; i++)
        count += (uint32_t)is_prime(i);
    bm_atomic_add(&total, count);

    bm_lock(&print_lock);
    bm_puts("cpu ");
    bm_putdec(cpu);
    bm_puts(": ");
    bm_putdec(count);
    bm_puts(" primes\n");
    bm_unlock(&print_lock);
    bm_atomic_add(&done, 1);

    if (cpu != 0)
        return 0;
    while (done != n) {}
    bm_puts("primes below ");
    bm_putdec(LIMIT);
    bm_puts(": ");
    bm_putdec(total);
    bm_putc('\n');
    return total == 17984 ? 0 : 1;
}
