/* wild: a misbehaving guest for containment tests. arg 0: write to an unbacked
 * guest-physical address (between the MMIO page and RAM); arg 1: write to an unknown
 * port; arg 2: jump to a non-canonical address (a fault with no IDT: triple fault). */
#include "x86-vtx/guests/vtxguest.h"

uint64_t vtx_main(uint64_t ram_base, uint64_t ram_size, uint64_t vm_index, uint64_t arg)
{
    (void)ram_base; (void)ram_size; (void)vm_index;
    if (arg == 0)
        *(volatile uint64_t *)(VTX_MMIO_GPA + 0x10000) = 1;
    else if (arg == 1)
        outb(0x80, 1);
    else
        ((void (*)(void))0x8000000000000000ULL)();
    return 0;
}
