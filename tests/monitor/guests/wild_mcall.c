/* wild_mcall.c - wild monitor calls: unknown numbers, addresses outside the VM, bad
 * lengths, bad vCPU numbers, unaligned pages, a call in a delay slot. Each must get
 * its error code and leave the VM running. */
#include "rt.h"

static char msg[] = "console ok\n";

static long call_in_delay_slot(void)
{
    register long v0 __asm__("$2") = 0;
    long taken = 0;
    __asm__ volatile(".set noreorder\n"
                     "b 1f\n"
                     ".word 0x42000028\n"
                     "li %1, 1\n"
                     "1:\n"
                     ".set reorder\n" : "+r"(v0), "+r"(taken) :: "memory", "$3");
    return taken ? v0 : -1000;   /* not taken: the instruction after the slot ran */
}

int main(void)
{
    uint32_t mem = HAL_BASE[4];
    CHECK("version", rt_call(0, 0, 0), 1);
    CHECK("unknown call 14", rt_call(14, 0, 0), -38);
    CHECK("unknown call 0xffffffff", rt_call(-1, 0, 0), -38);
    CHECK("unknown call 1000", rt_call(1000, 0, 0), -38);
    CHECK("console beyond memory", rt_call(1, (long)mem, 16), -14);
    CHECK("console at the top of the address space", rt_call(1, (long)0xfffffff0u, 64), -14);
    CHECK("console too long", rt_call(1, 0, 1 << 20), -22);
    CHECK("console write", rt_call(1, (long)GPA(msg), 11), 11);
    CHECK("ipi to vCPU 99", rt_call(7, 99, 0), -22);
    CHECK("ipi to vCPU -1", rt_call(7, -1, 0), -22);
    CHECK("start the running vCPU", rt_call4(8, 0, 0xC0000000, 0, 0), -22);
    CHECK("start vCPU 64", rt_call4(8, 64, 0xC0000000, 0, 0), -22);
    CHECK("zero page unaligned", rt_call(9, 0x1004, 0), -22);
    CHECK("zero page beyond memory", rt_call(9, (long)mem, 0), -22);
    CHECK("free page beyond memory", rt_call(10, (long)0xfffff000u, 0), -22);
    CHECK("call in a delay slot", call_in_delay_slot(), -22);
    CHECK("console read has no input", rt_call(2, (long)GPA(msg), 4), 0);
    CHECK("console read beyond memory", rt_call(2, (long)mem, 4), -14);
    CHECK("set timer", rt_call(5, 0x7fffffff, 0), 0);
    CHECK("irq poll", rt_call(12, 0, 0), 0);
    return rt_failures;
}
