/* bus.c - physical memory bus: region list, slow-path reads and writes. */
#include "mips-sim/mem/bus.h"

#include <errno.h>
#include <string.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "guest RAM is accessed with host loads: the host must be little-endian");

void bus_init(bus *b)
{
    memset(b, 0, sizeof(*b));
}

static int bus_add(bus *b, const bus_region *r)
{
    if (r->size == 0 || r->base + r->size < r->base)
        return -EINVAL;
    if (b->nregions == BUS_MAX_REGIONS)
        return -ENOSPC;
    for (int i = 0; i < b->nregions; i++) {
        const bus_region *o = &b->regions[i];
        if (r->base < o->base + o->size && o->base < r->base + r->size)
            return -EEXIST;
    }
    b->regions[b->nregions++] = *r;
    return 0;
}

int bus_add_ram(bus *b, uint64_t base, uint64_t size, uint8_t *host, int node,
                const char *name)
{
    bus_region r = { .base = base, .size = size, .host = host, .node = node, .name = name };
    if (!host)
        return -EINVAL;
    int rc = bus_add(b, &r);
    if (rc == 0)
        b->ram_bytes += size;
    return rc;
}

int bus_add_device(bus *b, uint64_t base, uint64_t size, const bus_device_ops *ops,
                   void *ctx, const char *name)
{
    bus_region r = { .base = base, .size = size, .ops = ops, .ctx = ctx, .name = name };
    if (!ops || !ops->read || !ops->write)
        return -EINVAL;
    return bus_add(b, &r);
}

const bus_region *bus_find(const bus *b, uint64_t paddr)
{
    for (int i = 0; i < b->nregions; i++) {
        const bus_region *r = &b->regions[i];
        if (paddr - r->base < r->size)
            return r;
    }
    return NULL;
}

uint8_t *bus_ram_ptr(const bus *b, uint64_t paddr, uint64_t len)
{
    const bus_region *r = bus_find(b, paddr);
    if (!r || !r->host || len > r->size - (paddr - r->base))
        return NULL;
    return r->host + (paddr - r->base);
}

int bus_read(const bus *b, int cpu, uint64_t paddr, int size, uint32_t *value)
{
    const bus_region *r = bus_find(b, paddr);
    if (!r || (uint64_t)size > r->size - (paddr - r->base))
        return -1;
    if (r->host) {
        uint32_t v = 0;
        memcpy(&v, r->host + (paddr - r->base), (size_t)size);
        *value = v;
    } else {
        *value = r->ops->read(r->ctx, cpu, (uint32_t)(paddr - r->base), size);
    }
    return 0;
}

int bus_write(const bus *b, int cpu, uint64_t paddr, int size, uint32_t value)
{
    const bus_region *r = bus_find(b, paddr);
    if (!r || (uint64_t)size > r->size - (paddr - r->base))
        return -1;
    if (r->host)
        memcpy(r->host + (paddr - r->base), &value, (size_t)size);
    else
        r->ops->write(r->ctx, cpu, (uint32_t)(paddr - r->base), value, size);
    return 0;
}

int bus_load(const bus *b, uint64_t paddr, const void *src, uint64_t len)
{
    uint8_t *dst = len ? bus_ram_ptr(b, paddr, len) : NULL;
    if (len && !dst)
        return -EFAULT;
    if (len)
        memcpy(dst, src, len);
    return 0;
}
