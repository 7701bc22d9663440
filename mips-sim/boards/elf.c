/* elf.c - ELF32 little-endian MIPS loader with full validation before copying. */
#include "mips-sim/boards/elf.h"

#include "mips-sim/arch.h"

#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ELF_MAX_FILE (512u << 20)
#define PT_LOAD 1
#define EM_MIPS 8
#define ET_EXEC 2

static int elf_fail(char *err, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
    return -2;
}

static uint32_t rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* Physical address of a segment's link address, or UINT64_MAX if not loadable. */
static uint64_t elf_phys(uint32_t addr)
{
    if (addr < ARCH_KSEG0)
        return addr;
    if (addr < ARCH_KSSEG)
        return ARCH_KSEG_PHYS(addr);
    return UINT64_MAX;
}

typedef struct elf_seg { uint32_t off, vaddr, paddr, filesz, memsz; uint64_t phys; } elf_seg;

static int elf_check_header(const uint8_t *d, size_t size, char *err, size_t len)
{
    if (size < 4 || memcmp(d, "\177ELF", 4) != 0)
        return elf_fail(err, len, "not an ELF file");
    if (size < 52)
        return elf_fail(err, len, "truncated ELF header (%zu bytes)", size);
    if (d[4] != 1)
        return elf_fail(err, len, "ELF class %u: need a 32-bit ELF", d[4]);
    if (d[5] == 2)
        return elf_fail(err, len, "big-endian ELF: this machine is little-endian (mipsel)");
    if (d[5] != 1)
        return elf_fail(err, len, "unknown ELF data encoding %u", d[5]);
    if (rd16(d + 18) != EM_MIPS)
        return elf_fail(err, len, "ELF machine %u is not MIPS", rd16(d + 18));
    if (rd16(d + 16) != ET_EXEC)
        return elf_fail(err, len, "ELF type %u is not an executable", rd16(d + 16));
    return 0;
}

int elf_load_buffer(const bus *b, const uint8_t *d, size_t size, elf_image *img,
                    char *err, size_t len)
{
    int rc = elf_check_header(d, size, err, len);
    if (rc)
        return rc;
    uint32_t phoff = rd32(d + 28);
    uint16_t phentsize = rd16(d + 42), phnum = rd16(d + 44);
    if (phnum == 0)
        return elf_fail(err, len, "ELF has no program headers");
    if (phentsize < 32 || (uint64_t)phoff + (uint64_t)phnum * phentsize > size)
        return elf_fail(err, len, "truncated ELF: program headers past the end of the file");

    elf_seg segs[64];
    int nseg = 0;
    img->lowest = UINT64_MAX;
    img->highest = 0;
    for (int i = 0; i < phnum; i++) {
        const uint8_t *ph = d + phoff + (size_t)i * phentsize;
        if (rd32(ph) != PT_LOAD)
            continue;
        elf_seg s = { rd32(ph + 4), rd32(ph + 8), rd32(ph + 12), rd32(ph + 16), rd32(ph + 20), 0 };
        if (s.memsz == 0)
            continue;
        if (nseg == 64)
            return elf_fail(err, len, "ELF has more than 64 loadable segments");
        if ((uint64_t)s.off + s.filesz > size)
            return elf_fail(err, len, "truncated ELF: segment %d data past the end of the file", i);
        if (s.filesz > s.memsz)
            return elf_fail(err, len, "bad ELF: segment %d file size exceeds memory size", i);
        s.phys = elf_phys(s.paddr);
        if (s.phys == UINT64_MAX)
            s.phys = elf_phys(s.vaddr);
        if (s.phys == UINT64_MAX)
            return elf_fail(err, len, "ELF segment at 0x%08x is not in kseg0/kseg1", s.vaddr);
        if (!bus_ram_ptr(b, s.phys, s.memsz))
            return elf_fail(err, len, "ELF segment 0x%08llx-0x%08llx is outside RAM",
                            (unsigned long long)s.phys, (unsigned long long)(s.phys + s.memsz));
        if (s.phys < img->lowest) img->lowest = s.phys;
        if (s.phys + s.memsz > img->highest) img->highest = s.phys + s.memsz;
        segs[nseg++] = s;
    }
    if (nseg == 0)
        return elf_fail(err, len, "ELF has no loadable segments");
    /* The CPUs start at the entry: a fetch there must succeed, or they would take
     * exceptions (or run whatever is there) forever. */
    uint32_t entry = rd32(d + 24);
    uint64_t entry_phys = elf_phys(entry);
    if (entry & 3)
        return elf_fail(err, len, "ELF entry point 0x%08x is not word-aligned", entry);
    if (entry_phys == UINT64_MAX)
        return elf_fail(err, len, "ELF entry point 0x%08x is not in kseg0/kseg1", entry);
    if (!bus_ram_ptr(b, entry_phys, 4))
        return elf_fail(err, len, "ELF entry point 0x%08x is outside RAM", entry);
    for (int i = 0; i < nseg; i++) {
        uint8_t *dst = bus_ram_ptr(b, segs[i].phys, segs[i].memsz);
        memcpy(dst, d + segs[i].off, segs[i].filesz);
        memset(dst + segs[i].filesz, 0, segs[i].memsz - segs[i].filesz);
    }
    img->entry = entry;
    return 0;
}

int elf_load(const bus *b, const char *path, elf_image *img, char *err, size_t len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return elf_fail(err, len, "%s: %s", path, strerror(errno));
    /* A directory opens and "seeks" to a huge size: say what it is instead. */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && !S_ISREG(st.st_mode)) {
        fclose(f);
        return elf_fail(err, len, "%s: not a regular file", path);
    }
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return elf_fail(err, len, "%s: cannot read (not a regular file?)", path);
    }
    if ((unsigned long)size > ELF_MAX_FILE) {
        fclose(f);
        return elf_fail(err, len, "%s: file larger than %u MB", path, ELF_MAX_FILE >> 20);
    }
    uint8_t *buf = malloc((size_t)size + 1);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        fclose(f);
        return elf_fail(err, len, "%s: read error", path);
    }
    fclose(f);
    char inner[200];
    int rc = elf_load_buffer(b, buf, (size_t)size, img, inner, sizeof(inner));
    if (rc)
        snprintf(err, len, "%s: %s", path, inner);
    free(buf);
    return rc;
}
