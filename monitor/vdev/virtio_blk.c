/*
 * virtio_blk.c - virtio-blk (device ID 2) on the virtio-mmio transport at device slot
 * ABI_DEV_VIRTIO_BLK, backed by the VM's disk= image (monitor/disk.h), interrupt IP2.
 *
 * Reads come from the VM's private overlay for pages it has written, else from the
 * shared image. A read of a whole 4 KB-aligned image page into a whole guest-physical
 * page is not copied: the disk cache's machine frame is mapped into the VM's pmap
 * copy-on-write (Disco's shared disk pages); a later guest write breaks the share for
 * that VM only. Writes go to the overlay (a host copy of each page written, made from
 * the image on first write) and never to the image. Requests complete within the
 * notify that submits them, so runs stay deterministic.
 *
 * A request is one descriptor chain: device-readable descriptors first (the 16-byte
 * header: type, reserved, sector; then the data of a write), then device-writable ones
 * (the data of a read, then the status byte). Framing is free (VIRTIO_F_VERSION_1): the
 * header and data may be split across descriptors in any way. A chain that breaks the
 * protocol (too long, readable after writable, no header or status) puts the device in
 * DEVICE_NEEDS_RESET; a request the device refuses (beyond the disk, partial sectors,
 * guest addresses outside the VM) gets status IOERR; unknown types UNSUPP.
 *
 * A VM without a disk still has the slot, as a transport whose device ID is 0 (virtio
 * says: no device), so a driver probing the slot finds nothing instead of faulting.
 */
#include <stdlib.h>
#include <string.h>

#include "monitor/disk.h"
#include "monitor/internal.h"
#include "monitor/vdev/vdev.h"
#include "monitor/vdev/virtio.h"

#define VIRTIO_ID_BLOCK 2u
#define VBLK_F_SEG_MAX   (1ull << 2)
#define VBLK_F_BLK_SIZE  (1ull << 6)
#define VBLK_F_FLUSH     (1ull << 9)
#define VBLK_QUEUE 0u
#define VBLK_HDR 16u                   /* type, reserved, sector */
#define VBLK_ID_BYTES 20u
#define VBLK_SEG_MAX (VIRTQ_MAX - 2u)  /* data descriptors beside header and status */

enum vblk_type { VBLK_T_IN = 0, VBLK_T_OUT = 1, VBLK_T_FLUSH = 4, VBLK_T_GET_ID = 8 };
enum vblk_status { VBLK_S_OK = 0, VBLK_S_IOERR = 1, VBLK_S_UNSUPP = 2 };

/* Configuration space (virtio-blk): capacity, size_max, seg_max, geometry, blk_size. */
enum { CFG_CAPACITY = 0, CFG_SEG_MAX = 12, CFG_BLK_SIZE = 20, CFG_BYTES = 24 };

struct vblk {
    struct virtio_mmio *t;
    struct disk_image *disk;
    uint8_t **overlay;          /* [image page]: this VM's copy after a write, or NULL */
    uint64_t npages;
    struct vblk_stats stats;
};

/* One chain, gathered: seg[0, nread) device-readable, seg[nread, nseg) writable. */
struct vblk_req {
    struct virtq_desc seg[VIRTQ_MAX];
    unsigned nseg, nread;
    uint64_t rlen, wlen;
    uint32_t type;
    uint64_t sector;
};

/* ---- the chain ----------------------------------------------------------------------- */

static bool vblk_gather(struct virtio_mmio *t, struct pcpu *p, uint16_t head, struct vblk_req *r)
{
    struct virtq_desc d = { .flags = VIRTQ_DESC_F_NEXT, .next = head };
    r->nseg = r->nread = 0;
    r->rlen = r->wlen = 0;
    while (d.flags & VIRTQ_DESC_F_NEXT) {
        if (r->nseg == VIRTQ_MAX || virtq_desc_read(t, p, VBLK_QUEUE, d.next, &d)) {
            virtio_fail(t);                    /* a loop, or a descriptor out of range */
            return false;
        }
        bool w = d.flags & VIRTQ_DESC_F_WRITE;
        if (!w && r->nseg > r->nread) {
            virtio_fail(t);                    /* readable after writable */
            return false;
        }
        r->seg[r->nseg++] = d;
        r->nread += !w;
        *(w ? &r->wlen : &r->rlen) += d.len;
    }
    if (r->rlen < VBLK_HDR || r->wlen < 1) {
        virtio_fail(t);
        return false;
    }
    return true;
}

/* Guest-physical address of byte pos of the readable (or writable) stream, and how many
 * bytes follow it contiguously in the same descriptor. */
static uint64_t vblk_locate(const struct vblk_req *r, bool writable, uint64_t pos, uint64_t *contig)
{
    unsigned i = writable ? r->nread : 0, end = writable ? r->nseg : r->nread;
    for (; i < end; i++) {
        if (pos < r->seg[i].len) {
            *contig = r->seg[i].len - pos;
            return r->seg[i].addr + pos;
        }
        pos -= r->seg[i].len;
    }
    *contig = 0;
    return 0;
}

/* Copy len bytes between the stream at pos and buf (to_guest: into the guest). */
static int vblk_stream(struct vm *vm, struct pcpu *p, const struct vblk_req *r, bool writable,
                       uint64_t pos, void *buf, size_t len, bool to_guest)
{
    uint8_t *b = buf;
    while (len) {
        uint64_t contig, gpa = vblk_locate(r, writable, pos, &contig);
        size_t n = contig < len ? (size_t)contig : len;
        if (!n)
            return -1;
        if (to_guest ? vm_write_gpa(vm, p, gpa, b, n) : vm_read_gpa(vm, p, gpa, b, n))
            return -1;
        b += n;
        pos += n;
        len -= n;
    }
    return 0;
}

/* ---- data ------------------------------------------------------------------------------ */

/* Bytes of image page dpage, from this VM's overlay or the image. */
static int vblk_source(struct vblk *b, uint64_t off, void *buf, size_t len)
{
    const uint8_t *ov = b->overlay[off / PAGE_SIZE];
    if (ov) {
        memcpy(buf, ov + off % PAGE_SIZE, len);
        return 0;
    }
    return disk_read(b->disk, off, buf, len);
}

/* Share a whole page if everything lines up and the VM has not written it. */
static bool vblk_try_share(struct vblk *b, struct pcpu *p, uint64_t gpa, uint64_t contig,
                           uint64_t off, uint64_t left)
{
    struct vm *vm = virtio_vm(b->t);
    if ((gpa | off) % PAGE_SIZE || contig < PAGE_SIZE || left < PAGE_SIZE ||
        b->overlay[off / PAGE_SIZE])
        return false;
    if (disk_share_page(b->disk, p, vm, off / PAGE_SIZE, gpa / PAGE_SIZE))
        return false;                          /* no frame for the cache: copy */
    b->stats.pages_shared++;
    if (p)
        mon_charge(p, p->cur, COST_DISK_SHARE);
    return true;
}

static int vblk_read(struct vblk *b, struct pcpu *p, const struct vblk_req *r, uint64_t len)
{
    struct vm *vm = virtio_vm(b->t);
    uint64_t base = r->sector * DISK_SECTOR;
    for (uint64_t pos = 0; pos < len;) {
        uint64_t contig, gpa = vblk_locate(r, true, pos, &contig), off = base + pos;
        if (vblk_try_share(b, p, gpa, contig, off, len - pos)) {
            pos += PAGE_SIZE;
            continue;
        }
        uint8_t buf[PAGE_SIZE];
        uint64_t n = PAGE_SIZE - off % PAGE_SIZE;
        n = n < contig ? n : contig;
        n = n < len - pos ? n : len - pos;
        if (!n || vblk_source(b, off, buf, n) || vm_write_gpa(vm, p, gpa, buf, n))
            return -1;
        b->stats.chunks_copied++;
        if (p)
            mon_charge(p, p->cur, COST_PAGE_COPY);
        pos += n;
    }
    b->stats.bytes_read += len;
    return 0;
}

/* This VM's private copy of image page dpage, made from the image on first write. */
static uint8_t *vblk_overlay_page(struct vblk *b, uint64_t dpage)
{
    if (b->overlay[dpage])
        return b->overlay[dpage];
    uint8_t *pg = calloc(1, PAGE_SIZE);
    uint64_t off = dpage * PAGE_SIZE, bytes = disk_bytes(b->disk);
    size_t n = bytes - off < PAGE_SIZE ? (size_t)(bytes - off) : PAGE_SIZE;
    if (!pg || disk_read(b->disk, off, pg, n)) {
        free(pg);
        return NULL;
    }
    b->stats.overlay_pages++;
    return b->overlay[dpage] = pg;
}

static int vblk_write(struct vblk *b, struct pcpu *p, const struct vblk_req *r, uint64_t len)
{
    struct vm *vm = virtio_vm(b->t);
    uint64_t base = r->sector * DISK_SECTOR;
    for (uint64_t pos = 0; pos < len;) {
        uint64_t contig, gpa = vblk_locate(r, false, VBLK_HDR + pos, &contig), off = base + pos;
        uint64_t n = PAGE_SIZE - off % PAGE_SIZE;
        n = n < contig ? n : contig;
        n = n < len - pos ? n : len - pos;
        uint8_t *pg = n ? vblk_overlay_page(b, off / PAGE_SIZE) : NULL;
        if (!pg || vm_read_gpa(vm, p, gpa, pg + off % PAGE_SIZE, n))
            return -1;
        pos += n;
    }
    b->stats.bytes_written += len;
    return 0;
}

/* The sectors [sector, sector + len/512) lie in the disk, len in whole sectors. */
static bool vblk_in_range(const struct vblk *b, const struct vblk_req *r, uint64_t len)
{
    uint64_t sectors = disk_bytes(b->disk) / DISK_SECTOR;
    return len % DISK_SECTOR == 0 && r->sector <= sectors && len / DISK_SECTOR <= sectors - r->sector;
}

/* ---- requests ------------------------------------------------------------------------ */

typedef uint8_t (*vblk_handler)(struct vblk *b, struct pcpu *p, const struct vblk_req *r,
                                uint32_t *written);

static uint8_t vblk_do_in(struct vblk *b, struct pcpu *p, const struct vblk_req *r, uint32_t *written)
{
    uint64_t len = r->wlen - 1;
    b->stats.reads++;
    if (!vblk_in_range(b, r, len) || vblk_read(b, p, r, len))
        return VBLK_S_IOERR;
    *written = (uint32_t)len;
    return VBLK_S_OK;
}

static uint8_t vblk_do_out(struct vblk *b, struct pcpu *p, const struct vblk_req *r, uint32_t *written)
{
    (void)written;
    uint64_t len = r->rlen - VBLK_HDR;
    b->stats.writes++;
    if (!vblk_in_range(b, r, len) || vblk_write(b, p, r, len))
        return VBLK_S_IOERR;
    return VBLK_S_OK;
}

static uint8_t vblk_do_flush(struct vblk *b, struct pcpu *p, const struct vblk_req *r, uint32_t *written)
{
    (void)p; (void)r; (void)written;
    b->stats.flushes++;                        /* the overlay is as durable as it gets */
    return VBLK_S_OK;
}

static uint8_t vblk_do_get_id(struct vblk *b, struct pcpu *p, const struct vblk_req *r, uint32_t *written)
{
    struct vm *vm = virtio_vm(b->t);
    char id[sizeof "disco-" + sizeof vm->name] = { 0 };   /* the first 20 bytes go out */
    snprintf(id, sizeof id, "disco-%s", vm->name);
    uint64_t n = r->wlen - 1 < VBLK_ID_BYTES ? r->wlen - 1 : VBLK_ID_BYTES;
    b->stats.ids++;
    if (vblk_stream(vm, p, r, true, 0, id, (size_t)n, true))
        return VBLK_S_IOERR;
    *written = (uint32_t)n;
    return VBLK_S_OK;
}

static const struct {
    uint32_t type;
    vblk_handler run;
} vblk_handlers[] = {
    { VBLK_T_IN, vblk_do_in },
    { VBLK_T_OUT, vblk_do_out },
    { VBLK_T_FLUSH, vblk_do_flush },
    { VBLK_T_GET_ID, vblk_do_get_id },
};

static uint8_t vblk_dispatch(struct vblk *b, struct pcpu *p, const struct vblk_req *r,
                             uint32_t *written)
{
    for (size_t i = 0; i < sizeof vblk_handlers / sizeof vblk_handlers[0]; i++)
        if (vblk_handlers[i].type == r->type)
            return vblk_handlers[i].run(b, p, r, written);
    b->stats.unsupported++;
    return VBLK_S_UNSUPP;
}

static void vblk_request(struct vblk *b, struct pcpu *p, uint16_t head)
{
    struct vblk_req r;
    struct vm *vm = virtio_vm(b->t);
    uint32_t hdr[4];
    if (!vblk_gather(b->t, p, head, &r))
        return;
    if (vblk_stream(vm, p, &r, false, 0, hdr, sizeof hdr, false)) {
        virtio_fail(b->t);
        return;
    }
    r.type = hdr[0];
    r.sector = hdr[2] | (uint64_t)hdr[3] << 32;
    b->stats.requests++;
    uint32_t written = 0;
    uint8_t status = vblk_dispatch(b, p, &r, &written);
    b->stats.errors += status == VBLK_S_IOERR;
    if (vblk_stream(vm, p, &r, true, r.wlen - 1, &status, 1, true)) {
        virtio_fail(b->t);
        return;
    }
    virtq_done(b->t, p, VBLK_QUEUE, head, written + 1);
}

static void vblk_notify(struct virtio_mmio *t, struct pcpu *p, unsigned queue)
{
    struct vblk *b = virtio_ctx(t);
    uint16_t head;
    if (queue != VBLK_QUEUE)
        return;
    for (unsigned n = 0; n < VIRTQ_MAX && virtq_next(t, p, VBLK_QUEUE, &head) == 1; n++)
        vblk_request(b, p, head);
}

/* Little-endian bytes of the configuration space from off (the transport keeps what the
 * access size asks for). */
static uint32_t vblk_config(struct virtio_mmio *t, uint32_t off)
{
    struct vblk *b = virtio_ctx(t);
    uint8_t cfg[CFG_BYTES + 4] = { 0 };
    uint64_t cap = disk_bytes(b->disk) / DISK_SECTOR;
    uint32_t seg = VBLK_SEG_MAX, blk = PAGE_SIZE;
    memcpy(cfg + CFG_CAPACITY, &cap, sizeof cap);
    memcpy(cfg + CFG_SEG_MAX, &seg, sizeof seg);
    memcpy(cfg + CFG_BLK_SIZE, &blk, sizeof blk);
    uint32_t v = 0;
    if (off < CFG_BYTES)
        memcpy(&v, cfg + off, sizeof v);
    return v;
}

static const struct virtio_dev_ops vblk_ops = {
    .device_id = VIRTIO_ID_BLOCK,
    .nqueues = 1,
    .features = VIRTIO_F_VERSION_1 | VBLK_F_SEG_MAX | VBLK_F_BLK_SIZE | VBLK_F_FLUSH,
    .config_read = vblk_config,
    .notify = vblk_notify,
};

static const struct virtio_dev_ops vblk_none_ops = { .device_id = 0, .nqueues = 0 };

/* ---- the device ---------------------------------------------------------------------- */

static void vblk_free(struct vblk *b)
{
    if (!b)
        return;
    for (uint64_t i = 0; b->overlay && i < b->npages; i++)
        free(b->overlay[i]);
    free(b->overlay);
    virtio_mmio_destroy(b->t);
    free(b);
}

static int vblk_init(struct vm *vm, int slot, char *err, size_t errlen)
{
    struct vblk *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errlen, "vm %s: out of memory for its disk", vm->name);
        return -1;
    }
    if (vm->cfg.disk) {
        int rc = disk_open(vm->mon, vm->cfg.disk, &b->disk, err, errlen);
        if (rc) {
            free(b);
            return rc;
        }
        b->npages = (disk_bytes(b->disk) + PAGE_SIZE - 1) / PAGE_SIZE;
        b->overlay = calloc(b->npages, sizeof *b->overlay);
    }
    b->t = virtio_mmio_create(vm, b->disk ? &vblk_ops : &vblk_none_ops, ABI_DEV_VIRTIO_BLK, b);
    if (!b->t || (b->disk && !b->overlay)) {
        vblk_free(b);
        snprintf(err, errlen, "vm %s: out of memory for its disk", vm->name);
        return -1;
    }
    vm->dev_state[slot] = b;
    return 0;
}

static void vblk_exit(struct vm *vm, int slot)
{
    vblk_free(vm->dev_state[slot]);
    vm->dev_state[slot] = NULL;
}

static uint32_t vblk_mmio_read(struct pcpu *p, struct vcpu *v, void *st, uint32_t off, int size)
{
    return virtio_mmio_read(p, v, ((struct vblk *)st)->t, off, size);
}

static void vblk_mmio_write(struct pcpu *p, struct vcpu *v, void *st, uint32_t off, int size,
                            uint32_t val)
{
    virtio_mmio_write(p, v, ((struct vblk *)st)->t, off, size, val);
}

const struct vblk_stats *vdev_vblk_stats(const struct vm *vm)
{
    const struct vblk *b = vdev_state(vm, &vdev_virtio_blk);
    return b && b->disk ? &b->stats : NULL;
}

struct disk_image *vdev_vblk_disk(const struct vm *vm)
{
    const struct vblk *b = vdev_state(vm, &vdev_virtio_blk);
    return b ? b->disk : NULL;
}

const struct vdev_ops vdev_virtio_blk = {
    .name = "virtio-blk",
    .init = vblk_init,
    .exit = vblk_exit,
    .mmio_base = ABI_DEV_BASE + ABI_DEV_VIRTIO_BLK * ABI_DEV_STRIDE,
    .mmio_size = ABI_DEV_STRIDE,
    .read = vblk_mmio_read,
    .write = vblk_mmio_write,
};
