/* virtio.c - a virtio-mmio driver for the virtio console at the first device window
 * (kseg1 0xBF000000): identify, negotiate VERSION_1, set up the transmit queue, send a
 * line, check the used ring and the interrupt; then wild queue contents must only put
 * the device in DEVICE_NEEDS_RESET. */
#include "rt.h"

#define DEV ((volatile uint32_t *)0xBF000000u)
#define R(off) DEV[(off) / 4]
#define QN 8

struct desc { uint32_t addr_lo, addr_hi, len; uint16_t flags, next; };
static struct desc descs[QN] __attribute__((aligned(16)));
static volatile uint16_t avail[2 + QN] __attribute__((aligned(4)));
static volatile uint32_t used[1 + 2 * QN] __attribute__((aligned(8)));
static char line[] = "hello through virtio\n";

static void send(uint16_t d, uint32_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    descs[d] = (struct desc){ addr, 0, len, flags, next };
    __asm__ volatile("" ::: "memory");
    uint16_t i = avail[1];
    avail[2 + i % QN] = d;
    avail[1] = (uint16_t)(i + 1);
    __asm__ volatile("sync" ::: "memory");     /* the ring is in memory before the notify */
    R(0x050) = 1;                               /* notify the transmit queue */
}

int main(void)
{
    CHECK("magic", R(0x000), 0x74726976u);
    CHECK("version 2", R(0x004), 2);
    CHECK("console device", R(0x008), 3);
    R(0x070) = 0;                               /* reset */
    R(0x070) = 1 | 2;                           /* ACKNOWLEDGE | DRIVER */
    R(0x014) = 1;
    CHECK("offers VERSION_1", R(0x010) & 1, 1);
    R(0x024) = 1;
    R(0x020) = 1;
    R(0x070) = 1 | 2 | 8;                       /* FEATURES_OK */
    CHECK("features accepted", R(0x070) & 8, 8);
    R(0x030) = 1;
    CHECK("queue size max", R(0x034), 256);
    R(0x038) = QN;
    R(0x080) = GPA(descs);
    R(0x090) = GPA((void *)avail);
    R(0x0a0) = GPA((void *)used);
    R(0x044) = 1;
    R(0x070) = 1 | 2 | 8 | 4;                   /* DRIVER_OK */
    CHECK("config: 80 columns", R(0x100) & 0xffff, 80);
    send(0, GPA(line), sizeof line - 1, 0, 0);
    CHECK("used index", used[0] >> 16, 1);
    CHECK("used id", used[1], 0);
    CHECK("interrupt raised", R(0x060), 1);
    CHECK("IP2 pending", (HAL_BASE[6] >> 2) & 1, 1);
    R(0x064) = 1;
    CHECK("interrupt acknowledged", R(0x060), 0);
    CHECK("IP2 cleared", (HAL_BASE[6] >> 2) & 1, 0);
    /* a chain that loops, then a descriptor beyond the queue: the device gives up */
    send(1, GPA(line), 4, 1, 1);
    CHECK("looping chain: needs reset", R(0x070) & 0x40, 0x40);
    R(0x070) = 0;
    CHECK("reset clears it", R(0x070), 0);
    CHECK("kseg1 outside the window is still an address error", ({
        uint32_t n = rt_exc.count; (void)*(volatile uint32_t *)0xBF002000u; rt_exc.count - n; }), 1);
    return rt_failures;
}
