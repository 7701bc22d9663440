/* mipssim_bus_test.c - the physical bus: RAM and device regions, overlap refused,
 * reads and writes with the CPU id, bus errors, loads. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mips-sim/mem/bus.h"

typedef struct dev { int cpu; uint32_t off, val; int size, reads, writes; } dev;

static uint32_t dev_read(void *ctx, int cpu, uint32_t off, int size)
{
    dev *d = ctx;
    d->cpu = cpu; d->off = off; d->size = size; d->reads++;
    return 0xa0000000u | off;
}
static void dev_write(void *ctx, int cpu, uint32_t off, uint32_t v, int size)
{
    dev *d = ctx;
    d->cpu = cpu; d->off = off; d->val = v; d->size = size; d->writes++;
}
static const bus_device_ops ops = { dev_read, dev_write };

static uint8_t ram[8192];
static bus b;
static dev d;

static int setup(void **s)
{
    (void)s;
    bus_init(&b);
    memset(ram, 0, sizeof(ram));
    memset(&d, 0, sizeof(d));
    assert_int_equal(bus_add_ram(&b, 0x10000, sizeof(ram), ram, 1, "ram"), 0);
    assert_int_equal(bus_add_device(&b, 0x1f000000u, 0x1000, &ops, &d, "dev"), 0);
    return 0;
}

static void test_regions(void **s)
{
    (void)s;
    static uint8_t more[4096];
    assert_int_equal(b.nregions, 2);
    assert_int_equal(b.ram_bytes, sizeof(ram));
    assert_int_equal(bus_add_ram(&b, 0x11000, 4096, more, 0, "overlap"), -EEXIST);
    assert_int_equal(bus_add_ram(&b, 0xf001, 4096, more, 0, "overlap-below"), -EEXIST);
    assert_int_equal(bus_add_device(&b, 0x1f000ffcu, 8, &ops, &d, "overlap"), -EEXIST);
    assert_int_equal(bus_add_ram(&b, 0, 0, more, 0, "empty"), -EINVAL);
    assert_int_equal(bus_add_ram(&b, 0, 4096, NULL, 0, "nohost"), -EINVAL);
    assert_int_equal(bus_add_ram(&b, UINT64_MAX - 100, 4096, more, 0, "wrap"), -EINVAL);
    static const bus_device_ops half = { dev_read, NULL };
    assert_int_equal(bus_add_device(&b, 0x2000000, 16, &half, &d, "half"), -EINVAL);
    assert_int_equal(b.nregions, 2);
    /* adjacent is fine */
    assert_int_equal(bus_add_ram(&b, 0xf000, 4096, more, 0, "below"), 0);
    assert_int_equal(bus_add_ram(&b, 0x12000, 4096, more, 0, "above"), 0);
    assert_int_equal(b.ram_bytes, sizeof(ram) + 2 * 4096);
    const bus_region *r = bus_find(&b, 0x10000 + 8191);
    assert_non_null(r);
    assert_ptr_equal(r->host, ram);
    assert_int_equal(r->node, 1);
    assert_null(bus_find(&b, 0x1f001000u));
    assert_non_null(bus_find(&b, 0x1f000fffu));
    assert_null(bus_find(&b, 0x1f000000u - 1));
    assert_ptr_equal(bus_ram_ptr(&b, 0x10010, 16), ram + 0x10);
    assert_null(bus_ram_ptr(&b, 0x10000 + 8190, 4));   /* runs past the region */
    assert_null(bus_ram_ptr(&b, 0x1f000000u, 4));      /* a device */
}

static void test_too_many(void **s)
{
    (void)s;
    static uint8_t page[4096];
    int rc = 0, i;
    for (i = 0; i < BUS_MAX_REGIONS + 2 && rc == 0; i++)
        rc = bus_add_ram(&b, 0x40000000ull + (uint64_t)i * 4096, 4096, page, 0, "r");
    assert_int_equal(rc, -ENOSPC);
    assert_int_equal(b.nregions, BUS_MAX_REGIONS);
}

static void test_access(void **s)
{
    (void)s;
    uint32_t v = 0;
    assert_int_equal(bus_write(&b, 2, 0x10004, 4, 0x11223344u), 0);
    assert_int_equal(ram[4], 0x44);
    assert_int_equal(ram[7], 0x11);
    assert_int_equal(bus_read(&b, 2, 0x10005, 2, &v), 0);
    assert_int_equal(v, 0x2233);
    assert_int_equal(bus_read(&b, 2, 0x10007, 1, &v), 0);
    assert_int_equal(v, 0x11);
    assert_int_equal(bus_write(&b, 0, 0x10006, 1, 0xffffff99u), 0);
    assert_int_equal(ram[6], 0x99);
    assert_int_equal(ram[7], 0x11);
    /* devices see region offsets, the size and the CPU */
    assert_int_equal(bus_read(&b, 3, 0x1f000104u, 4, &v), 0);
    assert_int_equal(v, 0xa0000104u);
    assert_int_equal(d.cpu, 3);
    assert_int_equal(d.off, 0x104);
    assert_int_equal(d.size, 4);
    assert_int_equal(bus_write(&b, -1, 0x1f000010u, 1, 0x7f), 0);
    assert_int_equal(d.cpu, -1);
    assert_int_equal(d.off, 0x10);
    assert_int_equal(d.val, 0x7f);
    assert_int_equal(d.size, 1);
    /* bus errors */
    assert_int_equal(bus_read(&b, 0, 0x5000, 4, &v), -1);
    assert_int_equal(bus_write(&b, 0, 0x20000000u, 4, 0), -1);
    assert_int_equal(bus_read(&b, 0, 0x10000 + 8190, 4, &v), -1);
    assert_int_equal(bus_write(&b, 0, 0x1f000ffeu, 4, 0), -1);
    assert_int_equal(d.writes, 1);
    /* loads */
    const char msg[] = "hello";
    assert_int_equal(bus_load(&b, 0x10100, msg, sizeof(msg)), 0);
    assert_memory_equal(ram + 0x100, msg, sizeof(msg));
    assert_int_equal(bus_load(&b, 0x10000 + 8190, msg, sizeof(msg)), -EFAULT);
    assert_int_equal(bus_load(&b, 0x1f000000u, msg, 4), -EFAULT);
    assert_int_equal(bus_load(&b, 0x5000, msg, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_regions, setup),
        cmocka_unit_test_setup(test_too_many, setup),
        cmocka_unit_test_setup(test_access, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
