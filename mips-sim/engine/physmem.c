/*
 * physmem.c - the monitor's access to physical memory (hook.h): words of RAM or
 * devices, and byte ranges and whole pages of RAM, kept coherent with decoded code and
 * LL links.
 */
#include "mips-sim/engine/codecache.h"
#include "mips-sim/arch.h"
#include "mips-sim/cpu/cpu_internal.h"

#include <errno.h>
#include <string.h>

#define PHYS_PAGE ARCH_PAGE_SIZE

int cpu_phys_read32(cpu *c, uint64_t paddr, uint32_t *v)
{
    return bus_read(c->sys->bus, c->id, paddr, 4, v) == 0 ? 0 : -EFAULT;
}

int cpu_phys_write32(cpu *c, uint64_t paddr, uint32_t v)
{
    codecache_write(c->sys->code, paddr);   /* the monitor may rewrite guest code */
    if (bus_write(c->sys->bus, c->id, paddr, 4, v) != 0)
        return -EFAULT;
    uint8_t *p = bus_ram_ptr(c->sys->bus, paddr, 4);
    if (p && c->sys->ll_links)
        cpu_ll_break(c, (uintptr_t)p & ~(uintptr_t)3);
    return 0;
}

/* Bytes of RAM from paddr to the end of its region (at most len), and their host
 * address in *host; 0 when paddr is not RAM. */
static uint64_t phys_span(const bus *b, uint64_t paddr, uint64_t len, uint8_t **host)
{
    const bus_region *r = bus_find(b, paddr);
    if (!r || !r->host)
        return 0;
    uint64_t left = r->size - (paddr - r->base);
    *host = r->host + (paddr - r->base);
    return len < left ? len : left;
}

/* 0 if every byte of [paddr, paddr + len) is RAM. */
static int phys_check(const bus *b, uint64_t paddr, uint64_t len)
{
    if (paddr + len < paddr)
        return -EFAULT;
    while (len) {
        uint8_t *host = NULL;
        uint64_t n = phys_span(b, paddr, len, &host);
        if (!n)
            return -EFAULT;
        paddr += n;
        len -= n;
    }
    return 0;
}

/* RAM [paddr, paddr + len) is about to change: retire code decoded from it. */
static void phys_retire_code(cpu_system *sys, uint64_t paddr, uint64_t len)
{
    if (!sys->code || !len)
        return;
    for (uint64_t page = paddr & ~(uint64_t)(PHYS_PAGE - 1); page < paddr + len; page += PHYS_PAGE)
        codecache_write(sys->code, page);
}

int cpu_phys_read(cpu *c, uint64_t paddr, void *buf, size_t len)
{
    const bus *b = c->sys->bus;
    if (phys_check(b, paddr, len))
        return -EFAULT;
    for (uint8_t *out = buf; len;) {
        uint8_t *host = NULL;
        uint64_t n = phys_span(b, paddr, len, &host);
        memcpy(out, host, n);
        out += n;
        paddr += n;
        len -= n;
    }
    return 0;
}

int cpu_phys_write(cpu *c, uint64_t paddr, const void *buf, size_t len)
{
    cpu_system *sys = c->sys;
    if (phys_check(sys->bus, paddr, len))
        return -EFAULT;
    phys_retire_code(sys, paddr, len);
    for (const uint8_t *in = buf; len;) {
        uint8_t *host = NULL;
        uint64_t n = phys_span(sys->bus, paddr, len, &host);
        memcpy(host, in, n);
        /* A link is on an aligned word: one that overlaps the bytes written breaks. */
        cpu_ll_break_range(sys, ((uintptr_t)host & ~(uintptr_t)3), (uintptr_t)host + n);
        in += n;
        paddr += n;
        len -= n;
    }
    return 0;
}

/* The host address of a whole RAM page at page-aligned paddr, or NULL. */
static uint8_t *phys_page(const cpu *c, uint64_t paddr)
{
    if (paddr & (PHYS_PAGE - 1))
        return NULL;
    return bus_ram_ptr(c->sys->bus, paddr, PHYS_PAGE);
}

int cpu_phys_copy_page(cpu *c, uint64_t dst, uint64_t src)
{
    if ((dst | src) & (PHYS_PAGE - 1) || dst == src)
        return -EINVAL;
    uint8_t *d = phys_page(c, dst);
    const uint8_t *s = phys_page(c, src);
    if (!d || !s)
        return -EFAULT;
    phys_retire_code(c->sys, dst, PHYS_PAGE);
    memcpy(d, s, PHYS_PAGE);
    cpu_ll_break_range(c->sys, (uintptr_t)d, (uintptr_t)d + PHYS_PAGE);
    return 0;
}

int cpu_phys_fill_page(cpu *c, uint64_t dst, uint32_t word)
{
    if (dst & (PHYS_PAGE - 1))
        return -EINVAL;
    uint8_t *d = phys_page(c, dst);
    if (!d)
        return -EFAULT;
    phys_retire_code(c->sys, dst, PHYS_PAGE);
    for (unsigned i = 0; i < PHYS_PAGE; i += 4)
        memcpy(d + i, &word, 4);
    cpu_ll_break_range(c->sys, (uintptr_t)d, (uintptr_t)d + PHYS_PAGE);
    return 0;
}
