/* cowwrite: reads a word from its own writable image page (shared copy-on-write with
 * every VM booting this image); the VM whose index equals `arg` writes to it first.
 * Every VM then holds (so the VMM can count host pages) and prints what it sees. */
#include "x86-vtx/guests/vtxguest.h"

static volatile uint64_t shared_word = 0x1111111111111111ULL;   /* .data: own page */

uint64_t vtx_main(uint64_t ram_base, uint64_t ram_size, uint64_t vm_index, uint64_t arg)
{
    (void)ram_base; (void)ram_size;
    if (vm_index == arg)
        shared_word = 0x2222222222222222ULL + vm_index;
    hcall(VTX_HC_HOLD, 0, 0);
    uint64_t v = shared_word;
    hcall(VTX_HC_REPORT, 0, v);
    puts_port("word ");
    putu_port(v, 16);
    puts_port("\n");
    return 0;
}
