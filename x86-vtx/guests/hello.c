/* hello: prints one line on the port console and powers off with status 0. */
#include "x86-vtx/guests/vtxguest.h"

uint64_t vtx_main(uint64_t ram_base, uint64_t ram_size, uint64_t vm_index, uint64_t arg)
{
    (void)ram_base; (void)ram_size; (void)arg;
    puts_port("hello from vm ");
    putu_port(vm_index, 10);
    puts_port("\n");
    return 0;
}
