/* vblk.c - a virtio-blk driver for the disk at device slot 1 (kseg1 0xBF001000): prints
 * its command line (the page after the kernel), the capacity, the sum of every page it
 * reads (whole pages at page-aligned buffers: the monitor shares them from its disk
 * cache), then stores into one page it read (a copy-on-write break), writes a sector
 * of its own to the disk and reads it back (its private overlay), and reads a piece that
 * is not page-aligned. The host script compares the sums with the image's. */
#include "rt.h"

#define DEV ((volatile uint32_t *)0xBF001000u)
#define R(off) DEV[(off) / 4]
#define QN 8
#define PAGES 8
#define PAGE 4096u
#define SECTOR 512u

struct desc { uint32_t addr_lo, addr_hi, len; uint16_t flags, next; };
static struct desc descs[QN] __attribute__((aligned(16)));
static volatile uint16_t avail[2 + QN] __attribute__((aligned(4)));
static volatile uint32_t used[1 + 2 * QN] __attribute__((aligned(8)));
static uint32_t hdr[4];
static volatile uint8_t status;
static uint8_t buf[PAGES][PAGE] __attribute__((aligned(4096)));
static uint8_t mine[PAGE] __attribute__((aligned(4096)));
static uint8_t back[PAGE] __attribute__((aligned(4096)));
extern char _end[];

/* One request: header, one data buffer (device-writable for a read), status. */
static int request(uint32_t type, uint32_t sector, void *data, uint32_t len)
{
    hdr[0] = type;
    hdr[1] = 0;
    hdr[2] = sector;
    hdr[3] = 0;
    status = 0xff;
    descs[0] = (struct desc){ GPA(hdr), 0, 16, 1, 1 };
    descs[1] = (struct desc){ GPA(data), 0, len, (uint16_t)(1 | (type == 0 ? 2 : 0)), 2 };
    descs[2] = (struct desc){ GPA((void *)&status), 0, 1, 2, 0 };
    uint16_t i = avail[1];
    avail[2 + i % QN] = 0;
    __asm__ volatile("sync" ::: "memory");
    avail[1] = (uint16_t)(i + 1);
    __asm__ volatile("sync" ::: "memory");
    R(0x050) = 0;                               /* notify: done when the store returns */
    R(0x064) = R(0x060);                        /* acknowledge the interrupt */
    return (used[0] >> 16) == (uint16_t)(i + 1) ? status : -1;
}

static uint32_t sum(const uint8_t *p, uint32_t n)
{
    uint32_t s = 0;
    for (uint32_t i = 0; i < n; i += 4)
        s = s * 31u + *(const uint32_t *)(p + i);
    return s;
}

static void init(void)
{
    R(0x070) = 0;
    R(0x070) = 1 | 2;
    R(0x024) = 1;
    R(0x020) = 1;                               /* VERSION_1 */
    R(0x070) = 1 | 2 | 8;
    R(0x030) = 0;
    R(0x038) = QN;
    R(0x080) = GPA(descs);
    R(0x090) = GPA((void *)avail);
    R(0x0a0) = GPA((void *)used);
    R(0x044) = 1;
    R(0x070) = 1 | 2 | 8 | 4;
}

int main(void)
{
    rt_puts("cmdline: ");
    rt_puts(_end);
    rt_puts("\n");
    CHECK("virtio magic", R(0x000), 0x74726976u);
    CHECK("block device", R(0x008), 2);
    init();
    rt_putnum("capacity ", (long)R(0x100));
    CHECK("read 8 pages", request(0, 0, buf, sizeof buf), 0);
    for (int i = 0; i < PAGES; i++)
        rt_putnum("sum ", (long)sum(buf[i], PAGE));
    buf[2][100] ^= 0xff;                        /* a store into a shared page */
    rt_putnum("changed ", (long)sum(buf[2], PAGE));
    for (uint32_t i = 0; i < PAGE; i++)
        mine[i] = (uint8_t)(i + GPA(mine));
    CHECK("write a sector", request(1, 9 * 8 + 1, mine, SECTOR), 0);
    CHECK("read it back", request(0, 9 * 8, back, PAGE), 0);
    rt_putnum("overlay ", (long)sum(back, PAGE));
    CHECK("read a piece", request(0, 3, back + SECTOR, 2 * SECTOR), 0);
    rt_putnum("piece ", (long)sum(back + SECTOR, 2 * SECTOR));
    CHECK("beyond the disk", request(0, R(0x100), back, SECTOR), 1);
    return rt_failures;
}
