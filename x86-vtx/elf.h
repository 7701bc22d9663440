/* elf.h - validating loader for freestanding x86-64 guest programs.
 *
 * Data structure: struct vtx_elf_info describes a checked ELF64 little-endian x86-64
 * executable: entry point and the page-rounded span [VTX_IMAGE_GPA, +image_size) that
 * its PT_LOAD segments occupy once loaded (the "image" shared between VMs).
 *
 * Invariants after vtx_elf_parse() returned 0: every PT_LOAD segment lies in the file
 * (offset + filesz <= file length), filesz <= memsz, the segment lies inside
 * [VTX_IMAGE_GPA, VTX_IMAGE_GPA + VTX_IMAGE_MAX), the entry is inside a loaded executable
 * segment. vtx_elf_copy() writes only inside image[0, image_size) and zero-fills bss.
 * Errors: -ENOEXEC (not an ELF / not x86-64 ELF64 executable), -ERANGE (segment outside
 * the image window), -EINVAL (truncated or inconsistent headers), -ENODATA (no loadable
 * segment), -EFAULT (entry point outside every executable loadable segment).
 */
#ifndef X86_VTX_ELF_H
#define X86_VTX_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vtx_elf_info {
    uint64_t entry;
    uint64_t image_size;     /* page multiple, from VTX_IMAGE_GPA */
    unsigned nsegs;
};

int vtx_elf_parse(const void *file, size_t len, struct vtx_elf_info *info);
int vtx_elf_copy(const void *file, size_t len, const struct vtx_elf_info *info, void *image);
/* True for the errors above (the file's contents are wrong), false for others. */
bool vtx_elf_is_format_error(int err);
const char *vtx_elf_strerror(int err);

#endif
