/* image.h - a guest image shared copy-on-write by every VM that boots it, with one
 * replica per host NUMA node.
 *
 * Data structure: struct vtx_image holds the checked ELF (file bytes and layout) and,
 * for each OS node that has VMs, a replica: a memfd whose pages were allocated on that
 * node (shared memory policy bound before the image was written into it) and the VMM's
 * reference mapping of it (written only while the image is loaded, or by the
 * pmap backend's verified copy when the memmap makes a replica). A VM on node n maps replica n with MAP_PRIVATE:
 * guest reads use the replica's page (one host page, many VMs); the first guest write
 * to a page gives that VM a private copy (the kernel's copy-on-write), nobody else.
 *
 * Invariants: replica[n].ref != NULL iff replica n exists; every replica has the same
 * contents (the loaded image) and size; the ELF was validated by vtx_elf_parse.
 * Not thread-safe: the caller serializes replica creation.
 */
#ifndef X86_VTX_IMAGE_H
#define X86_VTX_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include "x86-vtx/elf.h"

#define VTX_IMAGE_MAX_NODES 64
#define VTX_IMAGE_FILE_MAX  (64 << 20)   /* bytes: a guest file larger than this is refused */

struct vtx_image_replica {
    int fd;            /* memfd, -1 if none */
    int os_node;       /* where its pages were allocated */
    void *ref;         /* VMM's reference mapping (MAP_SHARED) */
};

struct vtx_image {
    char path[256];
    void *file;        /* the ELF file, read into memory */
    size_t file_len;
    struct vtx_elf_info info;
    struct vtx_image_replica replica[VTX_IMAGE_MAX_NODES];
};

/* Read and check an ELF guest. Errors: -errno from open/read, -EISDIR (a directory),
 * -ENXIO (not a regular file), -EFBIG (over VTX_IMAGE_FILE_MAX), or vtx_elf_parse's. */
int vtx_image_open(struct vtx_image *img, const char *path);
void vtx_image_close(struct vtx_image *img);

/* Make sure replica `idx` (one per node of the placement model; idx == OS node on a
 * real multi-node host) exists, its pages allocated on os_node (memfd, bind, load). */
int vtx_image_replica(struct vtx_image *img, int idx, int os_node);

/* Map replica idx privately for one VM (PROT_READ|PROT_WRITE, MAP_PRIVATE); copies made
 * by guest writes are bound to os_node. */
int vtx_image_map(struct vtx_image *img, int idx, int os_node, void **out);
void vtx_image_unmap(const struct vtx_image *img, void *p);

/* Replace [off, off+len) of a VM's private mapping `map` (from vtx_image_map) with the
 * same range of replica idx (which must exist), in place (MAP_FIXED): the VM's memslot
 * keeps its address, KVM's MMU notifier drops the old translations. Private copies in
 * that range are discarded, so the caller remaps only pages the guest has not written,
 * with the guest stopped. Then binds the range's future copies to os_node. */
int vtx_image_remap(const struct vtx_image *img, int idx, int os_node, void *map,
                    size_t off, size_t len);

#endif
