/* hw.c - see hw.h. Uses mips-sim's CPU-internal LL bookkeeping until hook.h offers it. */
#include "monitor/hw.h"

#include "mips-sim/cpu/cpu_internal.h"
#include "mips-sim/mem/bus.h"

#define HW_FRAME_BYTES 4096u

void hw_ll_clear(cpu *c)
{
    cpu_ll_clear(c);
}

void hw_ll_break_frame(cpu *c, uint64_t paddr)
{
    uint8_t *host = bus_ram_ptr(c->sys->bus, paddr, HW_FRAME_BYTES);
    if (host)
        cpu_ll_break_range(c->sys, (uintptr_t)host, (uintptr_t)host + HW_FRAME_BYTES);
}
