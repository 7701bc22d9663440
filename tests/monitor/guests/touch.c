/* touch.c - write one word in every page of guest-physical memory through the kernel
 * window (first touch allocates each page), then check them all. */
#include "rt.h"

extern char _end[];

int main(void)
{
    uint32_t mem = HAL_BASE[4], pages = 0, bad = 0;
    for (uint32_t a = (uint32_t)(uintptr_t)_end; a < KWIN + mem; a += 4096, pages++)
        *(volatile uint32_t *)a = a;
    for (uint32_t a = (uint32_t)(uintptr_t)_end; a < KWIN + mem; a += 4096)
        bad += *(volatile uint32_t *)a != a;
    rt_putnum("touched pages ", (long)pages);
    CHECK("every page kept its word", bad, 0);
    return rt_failures;
}
