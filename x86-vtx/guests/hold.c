/* hold: the tiny guest for density runs. Says it is alive, blocks in the VMM until all
 * VMs of the run are alive at once (VTX_HC_HOLD), then powers off. */
#include "x86-vtx/guests/vtxguest.h"

uint64_t vtx_main(uint64_t ram_base, uint64_t ram_size, uint64_t vm_index, uint64_t arg)
{
    (void)ram_base; (void)ram_size; (void)vm_index; (void)arg;
    hcall(VTX_HC_HOLD, 0, 0);
    return 0;
}
