/* compute: a register-only loop of `arg` xorshift steps (default 10 million); prints
 * the final value. Touches no RAM beyond its stack. */
#include "x86-vtx/guests/vtxguest.h"

uint64_t vtx_main(uint64_t ram_base, uint64_t ram_size, uint64_t vm_index, uint64_t arg)
{
    (void)ram_base; (void)ram_size;
    uint64_t n = arg ? arg : 10000000, x = vm_index + 88172645463325252ULL;
    for (uint64_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    puts_port("compute ");
    putu_port(x, 16);
    puts_port("\n");
    hcall(VTX_HC_REPORT, 0, x);
    return 0;
}
