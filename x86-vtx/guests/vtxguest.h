/* vtxguest.h - the guest side of the x86-vtx device interface (port I/O, MMIO,
 * hypercalls) and a tiny console formatter. Freestanding: no libc. */
#ifndef X86_VTX_GUEST_H
#define X86_VTX_GUEST_H

#include <stdint.h>
#include "x86-vtx/layout.h"

uint64_t vtx_main(uint64_t ram_base, uint64_t ram_size, uint64_t vm_index, uint64_t arg);

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }

static inline uint64_t hcall(uint32_t nr, uint64_t a0, uint64_t a1)
{
    uint64_t ret = 0;
    __asm__ volatile("outl %%eax, %%dx"
                     : "=a"(ret) : "a"(nr), "d"((uint16_t)VTX_PORT_HCALL), "D"(a0), "S"(a1)
                     : "memory");
    return ret;
}

static inline void mmio_w8(uint64_t off, uint8_t v) { *(volatile uint8_t *)(VTX_MMIO_GPA + off) = v; }
static inline void mmio_w32(uint64_t off, uint32_t v) { *(volatile uint32_t *)(VTX_MMIO_GPA + off) = v; }
static inline uint32_t mmio_r32(uint64_t off) { return *(volatile uint32_t *)(VTX_MMIO_GPA + off); }

static inline void putc_port(char c) { outb(VTX_PORT_CONSOLE, (uint8_t)c); }
static inline void puts_port(const char *s) { while (*s) putc_port(*s++); }
static inline void putc_mmio(char c) { mmio_w8(VTX_MMIO_CONSOLE, (uint8_t)c); }
static inline void puts_mmio(const char *s) { while (*s) putc_mmio(*s++); }

static inline void putu_port(uint64_t v, unsigned base)
{
    char buf[24];
    int n = 0;
    do { unsigned d = (unsigned)(v % base); buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10); v /= base; } while (v);
    while (n) putc_port(buf[--n]);
}

#endif
