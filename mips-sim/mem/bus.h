/*
 * bus.h - the physical memory bus of the simulated machine.
 *
 * The bus is an ordered list of non-overlapping regions of the physical address space.
 * A region is either RAM (backed by host memory, reached by the CPUs' fast path through
 * a host pointer) or a memory-mapped device (reached through read/write callbacks).
 *
 * Invariants:
 *  - regions never overlap; bus_add_* refuses an overlapping region (-EEXIST);
 *  - a RAM region's host memory stays valid and at the same address for the bus's
 *    lifetime, so CPUs may cache host pointers into it (they drop them on TLB changes,
 *    never because the bus changed: the bus is fixed once the machine runs);
 *  - guest memory is little-endian, like the host (x86-64, checked at compile time),
 *    so RAM accesses are plain host loads and stores;
 *  - device callbacks see offsets relative to the region base and sizes 1, 2 or 4,
 *    and are told which CPU made the access (-1 for none, e.g. a DMA or a loader).
 */
#ifndef MIPS_SIM_BUS_H
#define MIPS_SIM_BUS_H

#include <stddef.h>
#include <stdint.h>

#define BUS_MAX_REGIONS 64

typedef struct bus_device_ops {
    /* Read `size` bytes (1, 2 or 4) at `offset`; the value is zero-extended. */
    uint32_t (*read)(void *ctx, int cpu, uint32_t offset, int size);
    void (*write)(void *ctx, int cpu, uint32_t offset, uint32_t value, int size);
} bus_device_ops;

typedef struct bus_region {
    uint64_t base, size;
    uint8_t *host;               /* RAM: host memory; NULL for a device */
    const bus_device_ops *ops;   /* device: callbacks; NULL for RAM */
    void *ctx;
    int node;                    /* RAM: the NUMA node it belongs to (0 on UMA boards) */
    const char *name;
} bus_region;

typedef struct bus {
    bus_region regions[BUS_MAX_REGIONS];
    int nregions;
    uint64_t ram_bytes;          /* total RAM */
} bus;

void bus_init(bus *b);

/* Add RAM at [base, base+size) backed by `host`. Returns 0 or a negative errno. */
int bus_add_ram(bus *b, uint64_t base, uint64_t size, uint8_t *host, int node,
                const char *name);

/* Add a device window at [base, base+size). Returns 0 or a negative errno. */
int bus_add_device(bus *b, uint64_t base, uint64_t size, const bus_device_ops *ops,
                   void *ctx, const char *name);

/* The region holding `paddr`, or NULL when nothing is there. */
const bus_region *bus_find(const bus *b, uint64_t paddr);

/* Host pointer for RAM [paddr, paddr+len) when it lies inside one RAM region, else NULL. */
uint8_t *bus_ram_ptr(const bus *b, uint64_t paddr, uint64_t len);

/*
 * Slow-path access of 1, 2 or 4 bytes (naturally aligned). Returns 0, or -1 for a bus
 * error (nothing mapped there). Reads of RAM and devices both go through here when the
 * CPU fast path cannot be used.
 */
int bus_read(const bus *b, int cpu, uint64_t paddr, int size, uint32_t *value);
int bus_write(const bus *b, int cpu, uint64_t paddr, int size, uint32_t value);

/* Copy host bytes into RAM (for loaders). Returns 0 or -EFAULT if not all RAM. */
int bus_load(const bus *b, uint64_t paddr, const void *src, uint64_t len);

#endif
