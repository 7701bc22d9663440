/*
 * numa_stream.h - shared body of the NUMA model tests: CPU 1 streams three times
 * through a 2 MB buffer at physical address BUF_PHYS (a word at a time, so one miss and
 * 31 hits per 128-byte line, 128 instructions per line), measures the cycles per line
 * with Count, and CPU 0 checks the result lies in [LO, HI] cycles per line.
 * Expected: 128 + miss latency (60 cycles local = 300 ns, 180 remote = 900 ns at 200 MHz).
 */
#include "bm.h"

#define BUF_BYTES (2u << 20)
#define PASSES 3

static volatile uint32_t result, done;

static uint32_t stream(const volatile uint32_t *buf)
{
    uint32_t sum = 0;
    for (int p = 0; p < PASSES; p++)
        for (uint32_t i = 0; i < BUF_BYTES / 4; i++)
            sum += buf[i];
    return sum;
}

int main(unsigned cpu)
{
    if (cpu == 1) {
        const volatile uint32_t *buf = (const volatile uint32_t *)(0x80000000u + BUF_PHYS);
        uint32_t t0 = MFC0(9, 0);
        uint32_t sum = stream(buf);
        uint32_t t1 = MFC0(9, 0);
        uint32_t lines = PASSES * BUF_BYTES / 128;
        result = (t1 - t0) * 2 / lines + (sum & 0); /* Count ticks every 2 cycles */
        done = 1;
        return 0;
    }
    if (cpu != 0)
        return 0;
    while (!done) {}
    bm_puts("cycles per line: ");
    bm_putdec(result);
    bm_putc('\n');
    CHECK(result >= LO && result <= HI);
    bm_puts("PASS\n");
    return 0;
}
