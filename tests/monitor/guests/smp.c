/* smp.c - vCPU 0 starts every other vCPU; each adds to a shared counter with LL/SC,
 * says it arrived and sends vCPU 0 an IPI; vCPU 0 idles until all arrived. */
#include "rt.h"

#define ADDS 2000
extern char _start[];
static volatile uint32_t counter, arrived;

static void atomic_add(volatile uint32_t *p, uint32_t n)
{
    uint32_t t;
    __asm__ volatile("1: ll %0, 0(%1)\n addu %0, %0, %2\n sc %0, 0(%1)\n beqz %0, 1b\n nop"
                     : "=&r"(t) : "r"(p), "r"(n) : "memory");
}

int main(uint32_t id)
{
    uint32_t n = HAL_BASE[3];
    if (id != 0) {
        for (int i = 0; i < ADDS; i++)
            atomic_add(&counter, 1);
        atomic_add(&arrived, 1);
        rt_call(7, 0, 0);
        for (;;)
            rt_call(6, 0, 0);                    /* nothing wakes it: IM is 0 */
    }
    for (uint32_t i = 1; i < n; i++)
        CHECK("start vcpu", rt_call4(8, (long)i, (long)(uintptr_t)_start, 0, 0), 0);
    MTC0(12, 0, 1u << 11);                       /* IM3 (IPIs) wakes the idle call */
    while (arrived < n - 1)
        rt_call(6, 0, 0);
    rt_putnum("vcpus ", (long)n);
    CHECK("counter", counter, (n - 1) * ADDS);
    return rt_failures;
}
