/* wild_tlb.c - hostile TLB entries: frames beyond the VM's memory, in the device range
 * and at the top of the PFN field must give bus errors, never another page; wild
 * indexes in the TLB-write call are refused; a valid entry still works. */
#include "rt.h"

#define LO(gpa, flags) ((((uint32_t)(gpa) >> 12) << 6) | (3u << 3) | (flags))
#define V 2u
#define D 4u
#define EXC(c) (((c) >> 2) & 31)

static volatile uint32_t buf[1024] __attribute__((aligned(4096)));

static void tlbwi(uint32_t idx, uint32_t hi, uint32_t lo0, uint32_t lo1)
{
    MTC0(0, 0, idx);
    MTC0(10, 0, hi);
    MTC0(5, 0, 0);
    MTC0(2, 0, lo0);
    MTC0(3, 0, lo1);
    __asm__ volatile("tlbwi; ehb" ::: "memory");
}

static uint32_t touch(uint32_t va, int write)
{
    volatile uint32_t *p = (volatile uint32_t *)va;
    uint32_t n = rt_exc.count, x = 0;
    if (write)
        *p = 0x5a5a5a5a;
    else
        x = *p;
    (void)x;
    return rt_exc.count == n ? 0xffffffffu : EXC(rt_exc.cause);
}

int main(void)
{
    uint32_t mem = HAL_BASE[4];
    tlbwi(1, 0x00010000u | 5, LO(mem, V | D), LO(0x3ffff000u, V | D));
    CHECK("load beyond memory: DBE", touch(0x00010000u, 0), 7);
    CHECK("store beyond memory: DBE", touch(0x00010004u, 1), 7);
    CHECK("top PFN: DBE", touch(0x00011000u, 0), 7);
    tlbwi(2, 0x00020000u | 5, LO(0x1f000000u, V | D), LO(0x0fffe000u, V | D));
    CHECK("device frame through the TLB: DBE", touch(0x00020000u, 0), 7);
    CHECK("256M - 8K, beyond a small VM: DBE", touch(0x00021000u, 1), 7);
    MTC0(0, 0, 1);
    __asm__ volatile("tlbr; ehb");
    CHECK("tlbr gives the guest's own entry", MFC0(2, 0), LO(mem, V | D));
    tlbwi(3, 0x00030000u | 5, LO(GPA((void *)buf), V | D), 0);
    *(volatile uint32_t *)0x00030010u = 1234;
    CHECK("a valid entry maps its page", buf[4], 1234);
    CHECK("no fault on the valid page", rt_exc.count, 5);
    CHECK("tlb_write index 64 refused", rt_call4(11, 64, 0x40000, 0, 0), -22);
    CHECK("tlb_write index -5 refused", rt_call4(11, -5, 0x40000, 0, 0), -22);
    long r = rt_call4(11, -1, 0x00040000u | 5, LO(GPA((void *)buf), V), 0);
    CHECK("tlb_write random index in range", r >= 0 && r < 64, 1);
    CHECK("read through the call's entry", *(volatile uint32_t *)0x00040010u, 1234);
    CHECK("write to a clean page: Mod", touch(0x00040010u, 1), 1);
    CHECK("write to the HAL's read-only page: AdES", touch(0xDFFFF000u, 1), 5);
    CHECK("its reads give zero", *(volatile uint32_t *)0xDFFFF010u, 0);
    /* the guest cannot map over its kernel window: that is the monitor's */
    tlbwi(4, 0xC0000000u | 5, LO(mem, V | D), 0);
    CHECK("kernel window unaffected", *(volatile uint32_t *)((uint32_t)buf + 16), 1234);
    return rt_failures;
}
