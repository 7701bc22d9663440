/* elf.c - ELF64 parsing and image construction. */
#include "x86-vtx/elf.h"
#include "x86-vtx/layout.h"

#include <elf.h>
#include <errno.h>
#include <string.h>

static const Elf64_Phdr *phdr(const void *file, const Elf64_Ehdr *eh, unsigned i)
{
    return (const Elf64_Phdr *)((const char *)file + eh->e_phoff + (size_t)i * eh->e_phentsize);
}

int vtx_elf_parse(const void *file, size_t len, struct vtx_elf_info *info)
{
    memset(info, 0, sizeof(*info));
    if (len < EI_NIDENT || memcmp(file, ELFMAG, SELFMAG) != 0)
        return -ENOEXEC;
    if (len < sizeof(Elf64_Ehdr))
        return -EINVAL;
    const Elf64_Ehdr *eh = file;
    if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
        eh->e_machine != EM_X86_64 || eh->e_type != ET_EXEC)
        return -ENOEXEC;
    if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
        eh->e_phoff > len || (len - eh->e_phoff) / sizeof(Elf64_Phdr) < eh->e_phnum)
        return -EINVAL;
    uint64_t top = VTX_IMAGE_GPA;
    int entry_ok = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *ph = phdr(file, eh, i);
        if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
            continue;
        if (ph->p_filesz > ph->p_memsz || ph->p_offset > len || ph->p_filesz > len - ph->p_offset)
            return -EINVAL;
        if (ph->p_paddr < VTX_IMAGE_GPA || ph->p_memsz > VTX_IMAGE_MAX ||
            ph->p_paddr - VTX_IMAGE_GPA > VTX_IMAGE_MAX - ph->p_memsz)
            return -ERANGE;
        if (ph->p_vaddr != ph->p_paddr)
            return -ERANGE;        /* identity-mapped guests only */
        uint64_t end = ph->p_paddr + ph->p_memsz;
        if (end > top)
            top = end;
        if ((ph->p_flags & PF_X) && eh->e_entry >= ph->p_vaddr && eh->e_entry < end)
            entry_ok = 1;
        info->nsegs++;
    }
    if (info->nsegs == 0)
        return -ENODATA;
    if (!entry_ok)
        return -EFAULT;
    info->entry = eh->e_entry;
    info->image_size = (top - VTX_IMAGE_GPA + VTX_PAGE_SIZE - 1) & ~(VTX_PAGE_SIZE - 1);
    return 0;
}

int vtx_elf_copy(const void *file, size_t len, const struct vtx_elf_info *info, void *image)
{
    struct vtx_elf_info check;
    int err = vtx_elf_parse(file, len, &check);
    if (err)
        return err;
    if (check.image_size != info->image_size)
        return -EINVAL;
    const Elf64_Ehdr *eh = file;
    memset(image, 0, info->image_size);
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *ph = phdr(file, eh, i);
        if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
            continue;
        memcpy((char *)image + (ph->p_paddr - VTX_IMAGE_GPA),
               (const char *)file + ph->p_offset, ph->p_filesz);
    }
    return 0;
}

bool vtx_elf_is_format_error(int err)
{
    return err == -ENOEXEC || err == -ERANGE || err == -EINVAL || err == -ENODATA ||
           err == -EFAULT;
}

const char *vtx_elf_strerror(int err)
{
    switch (err) {
    case -ENOEXEC: return "not an x86-64 ELF64 executable";
    case -ERANGE:  return "a loadable segment lies outside the guest image window 1 MiB..8 MiB";
    case -EINVAL:  return "truncated or inconsistent ELF headers";
    case -ENODATA: return "no loadable segment";
    case -EFAULT:  return "the entry point is not inside an executable loadable segment";
    default:       return "cannot load ELF";
    }
}
