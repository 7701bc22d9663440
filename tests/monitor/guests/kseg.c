/* kseg.c - what a guest kernel cannot reach: kseg0/kseg1 (Address Error with the right
 * BadVAddr, since no device lives there), and the exceptions it must see as its own:
 * syscall, break, a reserved instruction, a privileged register it reads. */
#include "rt.h"

#define EXC(c) (((c) >> 2) & 31)

static uint32_t fault_code(void) { return EXC(rt_exc.cause); }

int main(void)
{
    volatile uint32_t x = *(volatile uint32_t *)0x80000000u;
    (void)x;
    CHECK("kseg0 load: AdEL", fault_code(), 4);
    CHECK("kseg0 load: BadVAddr", rt_exc.badvaddr, 0x80000000u);
    *(volatile uint32_t *)0xA0001000u = 1;
    CHECK("kseg1 store: AdES", fault_code(), 5);
    CHECK("kseg1 store: BadVAddr", rt_exc.badvaddr, 0xA0001000u);
    x = *(volatile uint32_t *)0xBF100000u;       /* past the device windows: nothing there */
    CHECK("kseg1 beyond the devices: AdEL", fault_code(), 4);
    __asm__ volatile("syscall");
    CHECK("syscall forwarded", fault_code(), 8);
    __asm__ volatile("break");
    CHECK("break forwarded", fault_code(), 9);
    __asm__ volatile(".word 0x7c00003b");        /* rdhwr-like reserved encoding */
    uint32_t ri = fault_code();
    CHECK("reserved instruction forwarded", ri == 10 || ri == 11, 1);
    CHECK("PRId", MFC0(15, 0), 0x00019300u);
    CHECK("Config1 MMU size 64", ((MFC0(16, 1) >> 25) & 63) + 1, 64);
    MTC0(10, 0, 0x12345678u);
    CHECK("EntryHi keeps VPN2 and ASID", MFC0(10, 0), 0x12344078u);
    MTC0(6, 0, 10);
    CHECK("Wired", MFC0(6, 0), 10);
    CHECK("Random after Wired", MFC0(1, 0), 63);
    CHECK("exceptions seen", rt_exc.count, 6);
    return rt_failures;
}
