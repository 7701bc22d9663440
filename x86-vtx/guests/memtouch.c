/* memtouch: fill `MB` megabytes of guest RAM with a per-VM pattern, then checksum it
 * `passes` times. arg = MB | passes << 32 | rewrite << 63 (MB 0 = all RAM, passes 0 =
 * 1; rewrite: write the pattern again before every pass, so every pass dirties RAM).
 * After each pass it reports the checksum by hypercall (tag 0 first pass, tag 1 the
 * latest) and signals the
 * phase; the final line "checksum <hex>" goes out through the MMIO console. A pass whose
 * checksum differs from the first is reported and exits with status 1. */
#include "x86-vtx/guests/vtxguest.h"
#include "x86-vtx/guests/workload.h"

static void puthex_mmio(uint64_t v)
{
    for (int i = 60; i >= 0; i -= 4) {
        unsigned d = (unsigned)(v >> i) & 15;
        putc_mmio((char)(d < 10 ? '0' + d : 'a' + d - 10));
    }
}

uint64_t vtx_main(uint64_t ram_base, uint64_t ram_size, uint64_t vm_index, uint64_t arg)
{
    uint64_t mb = arg & 0xffffffffULL, passes = (arg >> 32) & 0x7fffffffULL;
    int rewrite = (int)(arg >> 63);
    uint64_t bytes = mb ? mb << 20 : ram_size;
    if (bytes > ram_size)
        bytes = ram_size;
    if (!passes)
        passes = 1;
    if (mmio_r32(VTX_MMIO_MAGIC) != VTX_MMIO_MAGIC_VALUE)
        return 3;
    volatile uint64_t *mem = (volatile uint64_t *)ram_base;
    uint64_t n = bytes / 8;
    for (uint64_t i = 0; i < n; i++)
        mem[i] = vtx_wl_word(vm_index, i);
    uint64_t first = 0;
    for (uint64_t p = 0; p < passes; p++) {
        uint64_t s = 0xcbf29ce484222325ULL;
        if (rewrite && p > 0)
            for (uint64_t i = 0; i < n; i++)
                mem[i] = vtx_wl_word(vm_index, i);
        for (uint64_t i = 0; i < n; i++)
            s = vtx_wl_mix(s, mem[i]);
        hcall(VTX_HC_REPORT, p == 0 ? 0 : 1, s);   /* 0: first pass, 1: latest */
        hcall(VTX_HC_PHASE, p + 1, 0);
        if (p == 0)
            first = s;
        else if (s != first) {
            puts_mmio("checksum changed in pass ");
            putc_mmio((char)('0' + p % 10));
            putc_mmio('\n');
            return 1;
        }
    }
    puts_mmio("checksum ");
    puthex_mmio(first);
    putc_mmio('\n');
    return 0;
}
