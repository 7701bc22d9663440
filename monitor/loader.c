/*
 * loader.c - guest kernel ELF and initrd loading into guest-physical memory.
 *
 * A guest kernel is a 32-bit little-endian MIPS executable whose PT_LOAD segments lie
 * in the kernel window: guest-physical address = VA - ABI_KWIN_BASE (monitor/abi.h).
 * Every header is checked before a byte is copied; any problem is one error line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/internal.h"

#define ELF_MAX_SIZE (256u << 20)
#define EI_NIDENT 16
#define PT_LOAD 1
#define EM_MIPS 8
#define ET_EXEC 2

typedef struct {
    uint8_t ident[EI_NIDENT];
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} elf32_ehdr;

typedef struct {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
} elf32_phdr;

/* Read a whole file (at most ELF_MAX_SIZE bytes) into a fresh buffer. */
static int loader_slurp(const char *path, uint8_t **out, size_t *size, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -EINVAL;
    }
    uint8_t *buf = malloc(ELF_MAX_SIZE + 1);
    size_t n = buf ? fread(buf, 1, ELF_MAX_SIZE + 1, f) : 0;
    bool bad = ferror(f) != 0;
    fclose(f);
    if (!buf || bad || n > ELF_MAX_SIZE) {
        free(buf);
        snprintf(err, errlen, "cannot read %s (unreadable or larger than 256M)", path);
        return -EINVAL;
    }
    *out = buf;
    *size = n;
    return 0;
}

static const char *loader_check_ehdr(const elf32_ehdr *h, size_t size)
{
    if (size < sizeof *h || memcmp(h->ident, "\177ELF", 4) != 0)
        return "not an ELF file";
    if (h->ident[4] != 1 || h->ident[5] != 1)
        return "not a 32-bit little-endian ELF";
    if (h->machine != EM_MIPS || h->type != ET_EXEC)
        return "not a MIPS executable";
    if (h->phentsize != sizeof(elf32_phdr) || h->phnum == 0 ||
        (uint64_t)h->phoff + (uint64_t)h->phnum * sizeof(elf32_phdr) > size)
        return "bad program headers";
    return NULL;
}

static const char *loader_check_phdr(const elf32_phdr *ph, size_t size, uint64_t mem)
{
    if ((uint64_t)ph->offset + ph->filesz > size || ph->filesz > ph->memsz)
        return "a segment lies outside the file";
    if (ph->vaddr < ABI_KWIN_BASE || (uint64_t)ph->vaddr + ph->memsz > ABI_KWIN_BASE + mem)
        return "a segment lies outside the kernel window of the VM's memory";
    return NULL;
}

int loader_load_kernel(struct vm *vm, const char *path, uint32_t *entry, uint64_t *end,
                       char *err, size_t errlen)
{
    uint8_t *buf;
    size_t size;
    int rc = loader_slurp(path, &buf, &size, err, errlen);
    if (rc)
        return rc;
    elf32_ehdr h;
    memcpy(&h, buf, size < sizeof h ? size : sizeof h);
    const char *why = loader_check_ehdr(&h, size);
    elf32_phdr ph;
    for (unsigned i = 0; !why && i < h.phnum; i++) {
        memcpy(&ph, buf + h.phoff + i * sizeof ph, sizeof ph);
        if (ph.type == PT_LOAD)
            why = loader_check_phdr(&ph, size, vm->cfg.mem_bytes);
    }
    if (!why && (h.entry < ABI_KWIN_BASE || h.entry >= ABI_KWIN_BASE + vm->cfg.mem_bytes))
        why = "the entry point is outside the kernel window";
    *end = 0;
    for (unsigned i = 0; !why && i < h.phnum; i++) {
        memcpy(&ph, buf + h.phoff + i * sizeof ph, sizeof ph);
        if (ph.type != PT_LOAD || ph.memsz == 0)
            continue;
        uint64_t gpa = ph.vaddr - ABI_KWIN_BASE;
        uint8_t *zero = calloc(1, ph.memsz - ph.filesz + 1);
        if (vm_write_gpa(vm, NULL, gpa, buf + ph.offset, ph.filesz) ||
            !zero || vm_write_gpa(vm, NULL, gpa + ph.filesz, zero, ph.memsz - ph.filesz))
            why = "out of machine memory while loading";
        free(zero);
        if (gpa + ph.memsz > *end)
            *end = gpa + ph.memsz;
    }
    free(buf);
    if (why) {
        snprintf(err, errlen, "vm %s: kernel %s: %s", vm->name, path, why);
        return -EINVAL;
    }
    *entry = h.entry;
    return 0;
}

int loader_load_file(struct vm *vm, const char *path, uint64_t gpa, uint64_t *size,
                     char *err, size_t errlen)
{
    uint8_t *buf;
    size_t n;
    int rc = loader_slurp(path, &buf, &n, err, errlen);
    if (rc)
        return rc;
    rc = vm_write_gpa(vm, NULL, gpa, buf, n);
    free(buf);
    if (rc) {
        snprintf(err, errlen, "vm %s: initrd %s does not fit in its memory", vm->name, path);
        return -EINVAL;
    }
    *size = n;
    return 0;
}
