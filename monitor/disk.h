/*
 * monitor/disk.h - the shared disk images and their machine-page cache: Disco's
 * copy-on-write disk sharing.
 *
 * A disk image is a raw file on the host, opened read-only once per monitor however many
 * VMs name it (found again by device and inode). The monitor never writes it: a VM's
 * writes go to that VM's private overlay (monitor/vdev/virtio_blk.c).
 *
 * The cache. Each image has a pmap of its own in the monitor's memmap, the "cache pmap",
 * registered under VM id DISK_VM_ID_BASE + image index (ids no VM uses), with one page per
 * 4 KB page of the image. When a VM reads a whole 4 KB-aligned page of the image into a
 * whole guest-physical page, disk_share_page() loads the image page into a machine frame
 * of the cache pmap (once), then maps that same frame into the reader's pmap copy-on-write
 * (pmap_share_cow): the memmap records the cache and every VM page that maps it as users
 * of one frame. A guest write to such a page faults into the monitor, which breaks the
 * share for that VM page alone (pmap_write_fault); the cache's frame never changes.
 *
 * Invariants:
 *   - a mapped page of a cache pmap holds exactly the image's bytes for that page (zero
 *     beyond the end of the image) and has PMAP_F_COW once shared; no CPU ever writes it,
 *     no TLB caches it (the cache pmap has no backmaps), and it stays mapped until the
 *     monitor is destroyed (disk_close_all, before the memmap goes);
 *   - a guest page shared from the cache is COW in the VM's pmap, so every write to it
 *     goes through pmap_write_fault and gets its own frame first;
 *   - an image's size is a nonzero multiple of 512 bytes (checked at open).
 * Errors: negative errno values; disk_open writes a one-line reason naming the file.
 */
#ifndef MONITOR_DISK_H
#define MONITOR_DISK_H

#include <stddef.h>
#include <stdint.h>

struct mon;
struct vm;
struct pcpu;
struct disk_image;

#define DISK_SECTOR      512u
#define DISK_MAX_IMAGES  8
#define DISK_VM_ID_BASE  32u       /* == MON_MAX_VMS: cache pmaps follow the VMs' ids */

/* Sharing as the memmap sees it now (counted from the users of the cache's frames). */
struct disk_share_stats {
    uint64_t cached_frames;     /* machine frames holding image pages */
    uint64_t sharing_pages;     /* guest pages (all VMs) mapping a cached frame */
    uint64_t shared_frames;     /* cached frames mapped by two or more guest pages */
    uint64_t saved_pages;       /* guest pages beyond the first on each cached frame */
};

/* Open path (or find it already open) for the VMs of mon. 0, or -errno with err set. */
int disk_open(struct mon *mon, const char *path, struct disk_image **out, char *err,
              size_t errlen);
/* Every image of mon: unmap its cache, close its file. Before memmap_destroy. */
void disk_close_all(struct mon *mon);

const char *disk_path(const struct disk_image *d);
uint64_t disk_bytes(const struct disk_image *d);

/* Copy len bytes of the image at byte offset off (within the image) to buf. */
int disk_read(struct disk_image *d, uint64_t off, void *buf, size_t len);

/* Map image page dpage into guest page gpn of vm copy-on-write, loading it into the cache
 * first (a frame on p's node, or the VM's when p is NULL). The page must lie wholly in
 * the image. Whatever gpn held before is unmapped. 0, or -errno (-ENOMEM: no machine
 * frame for the cache; the caller copies instead). */
int disk_share_page(struct disk_image *d, struct pcpu *p, struct vm *vm, uint64_t dpage,
                    uint64_t gpn);

void disk_share_stats(const struct disk_image *d, struct disk_share_stats *out);
/* The images of mon, for statistics: count, and the i-th. */
int disk_count(const struct mon *mon);
struct disk_image *disk_get(const struct mon *mon, int i);

#endif
