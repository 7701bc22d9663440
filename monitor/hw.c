/* hw.c - see hw.h. Uses mips-sim's CPU-internal LL bookkeeping until hook.h offers it. */
#include "monitor/hw.h"

#include "mips-sim/cpu/cpu_internal.h"

void hw_ll_clear(cpu *c)
{
    cpu_ll_clear(c);
}
