/*
 * elf.h - load a 32-bit little-endian MIPS ELF executable into simulated RAM.
 *
 * Segments linked for kseg0 or kseg1 (0x80000000-0xbfffffff) are placed at their
 * physical addresses (the low 29 bits); segments below 0x80000000 are taken as
 * physical addresses. Every check is done before any byte is copied, so a bad file
 * leaves RAM untouched.
 */
#ifndef MIPS_SIM_ELF_H
#define MIPS_SIM_ELF_H

#include <stddef.h>
#include <stdint.h>

#include "mips-sim/mem/bus.h"

typedef struct elf_image {
    uint32_t entry;
    uint64_t lowest, highest;   /* physical extent of the loaded segments */
} elf_image;

/*
 * Load `path`. Returns 0, or -2 with a one-line reason in err (not an ELF, wrong
 * class/endianness/architecture, truncated, segment outside RAM, entry point not a
 * word of RAM, ...).
 */
int elf_load(const bus *b, const char *path, elf_image *img, char *err, size_t errlen);

/* The same from a buffer already in memory. */
int elf_load_buffer(const bus *b, const uint8_t *data, size_t size, elf_image *img,
                    char *err, size_t errlen);

#endif
