/*
 * vblk_test.c - the virtio-blk device and Disco's shared disk pages, driven the way a
 * guest driver drives them: the test writes the virtqueue into guest-physical memory,
 * rings the notify register, and checks the used ring, the status byte, the data, the
 * pmaps and the memmap. Three VMs (a and b on one image, c without a disk) on a small
 * two-node machine; nothing runs, so every step is exact.
 *
 * Covered: configuration space, reads (whole pages shared copy-on-write from the disk
 * cache, pieces copied), two VMs and one VM twice sharing a machine page (counted from
 * the memmap), a guest write breaking the share for that VM only, writes landing in the
 * VM's private overlay (never in the image, never seen by the other VM), partial-sector
 * and out-of-range requests, GET_ID, unknown types, a looping chain, the interrupt (IP2,
 * shared with the virtio console: acknowledging one device keeps the other's up), and
 * the bad image files.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "monitor/disk.h"
#include "monitor/internal.h"
#include "monitor/vdev/vdev.h"
#include "monitor/vdev/virtio.h"
#include "pmap/memmap.h"

#define IMG_PAGES 16u
#define QN 8u
#define G_DESC 0x1000u
#define G_AVAIL 0x2000u
#define G_USED 0x3000u
#define G_HDR 0x4000u
#define G_STATUS 0x4100u
#define G_DATA 0x10000u             /* page-aligned data buffers from here */

/* virtio-mmio registers and bits used here */
enum { R_MAGIC = 0x000, R_DEVICE_ID = 0x008, R_DRV_FEATURES = 0x020, R_DRV_FEATURES_SEL = 0x024,
       R_QUEUE_SEL = 0x030, R_QUEUE_NUM = 0x038, R_QUEUE_READY = 0x044, R_QUEUE_NOTIFY = 0x050,
       R_INT_STATUS = 0x060, R_INT_ACK = 0x064, R_STATUS = 0x070, R_DESC = 0x080,
       R_AVAIL = 0x090, R_USED = 0x0a0, R_CONFIG = 0x100 };
enum { T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8, T_BOGUS = 99 };
enum { S_OK = 0, S_IOERR = 1, S_UNSUPP = 2 };
#define F_NEXT 1u
#define F_WRITE 2u

static struct mon *mon;
static struct vm *va, *vb, *vc;
static struct pcpu *p;
static char img_path[64];
static uint8_t image[IMG_PAGES * PAGE_SIZE];
static uint16_t avail_idx[3];

/* The image: every byte says which page and offset it is. */
static void make_image(void)
{
    for (size_t i = 0; i < sizeof image; i++)
        image[i] = (uint8_t)((i / PAGE_SIZE) * 16 + (i % 251));
    snprintf(img_path, sizeof img_path, "/tmp/vblk_test.%d.img", (int)getpid());
    FILE *f = fopen(img_path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(image, 1, sizeof image, f), sizeof image);
    fclose(f);
}

static void reg_write(struct vm *vm, uint32_t off, uint32_t val)
{
    vdev_virtio_blk.write(p, NULL, vdev_state(vm, &vdev_virtio_blk), off, 4, val);
}

static uint32_t reg_read(struct vm *vm, uint32_t off, int size)
{
    return vdev_virtio_blk.read(p, NULL, vdev_state(vm, &vdev_virtio_blk), off, size);
}

static void gwrite(struct vm *vm, uint64_t gpa, const void *b, size_t n)
{
    assert_int_equal(vm_write_gpa(vm, NULL, gpa, b, n), 0);
}

static void gread(struct vm *vm, uint64_t gpa, void *b, size_t n)
{
    assert_int_equal(vm_read_gpa(vm, NULL, gpa, b, n), 0);
}

/* The driver's side of device initialization, queue 0 of QN entries. */
static void driver_init(struct vm *vm)
{
    reg_write(vm, R_STATUS, 0);
    reg_write(vm, R_STATUS, 1 | 2);
    reg_write(vm, R_DRV_FEATURES_SEL, 1);
    reg_write(vm, R_DRV_FEATURES, 1);                 /* VERSION_1 */
    reg_write(vm, R_STATUS, 1 | 2 | 8);
    reg_write(vm, R_QUEUE_SEL, 0);
    reg_write(vm, R_QUEUE_NUM, QN);
    reg_write(vm, R_DESC, G_DESC);
    reg_write(vm, R_AVAIL, G_AVAIL);
    reg_write(vm, R_USED, G_USED);
    reg_write(vm, R_QUEUE_READY, 1);
    reg_write(vm, R_STATUS, 1 | 2 | 8 | 4);
}

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };

/* Put chain head 0 on the ring and notify; returns the used length (the status byte
 * is at G_STATUS). */
static uint32_t submit(struct vm *vm, const struct desc *d, unsigned n)
{
    gwrite(vm, G_DESC, d, n * sizeof *d);
    uint16_t *idx = &avail_idx[vm->id], head = 0;
    gwrite(vm, G_AVAIL + 4 + 2u * (*idx % QN), &head, 2);
    (*idx)++;
    gwrite(vm, G_AVAIL + 2, idx, 2);
    reg_write(vm, R_QUEUE_NOTIFY, 0);
    uint16_t used_idx;
    uint32_t elem[2];
    gread(vm, G_USED + 2, &used_idx, 2);
    assert_int_equal(used_idx, *idx);
    gread(vm, G_USED + 4 + 8u * ((used_idx - 1u) % QN), elem, sizeof elem);
    assert_int_equal(elem[0], 0);
    reg_write(vm, R_INT_ACK, 1);
    return elem[1];
}

/* A request with one data buffer; returns the status byte. */
static uint8_t request(struct vm *vm, uint32_t type, uint64_t sector, uint64_t gpa, uint32_t len,
                       uint32_t *used_len)
{
    uint32_t hdr[4] = { type, 0, (uint32_t)sector, (uint32_t)(sector >> 32) };
    uint8_t status = 0xee;
    gwrite(vm, G_HDR, hdr, sizeof hdr);
    gwrite(vm, G_STATUS, &status, 1);
    uint16_t dflags = F_NEXT | (type == T_OUT ? 0 : F_WRITE);
    struct desc d[3] = {
        { G_HDR, sizeof hdr, F_NEXT, 1 },
        { gpa, len, dflags, 2 },
        { G_STATUS, 1, F_WRITE, 0 },
    };
    uint32_t ul = len ? submit(vm, d, 3) : submit(vm, (struct desc[]){ d[0], { G_STATUS, 1, F_WRITE, 0 } }, 2);
    if (used_len)
        *used_len = ul;
    gread(vm, G_STATUS, &status, 1);
    return status;
}

static uint8_t read_pages(struct vm *vm, uint32_t page, uint64_t gpa, uint32_t npages)
{
    return request(vm, T_IN, page * (PAGE_SIZE / DISK_SECTOR), gpa, npages * PAGE_SIZE, NULL);
}

static uint64_t mfn_of(struct vm *vm, uint64_t gpa)
{
    return pmap_entry_get(vm->pmap, gpa / PAGE_SIZE)->mfn;
}

static void assert_guest_bytes(struct vm *vm, uint64_t gpa, const uint8_t *want, size_t n)
{
    uint8_t *got = malloc(n);
    gread(vm, gpa, got, n);
    assert_memory_equal(got, want, n);
    free(got);
}

static void assert_consistent(void)
{
    char why[200] = "";
    int rc = memmap_check(mon->mm, why, sizeof why);
    if (rc)
        fail_msg("memmap: %s", why);
}

static struct disk_share_stats share_stats(void)
{
    struct disk_share_stats s;
    assert_int_equal(disk_count(mon), 1);
    disk_share_stats(disk_get(mon, 0), &s);
    return s;
}

static int setup(void **s)
{
    (void)s;
    make_image();
    struct mon_config cfg;
    mon_config_defaults(&cfg);
    cfg.board.nodes = 2;
    cfg.board.cpus_per_node = 1;
    cfg.board.mem_per_node = 8u << 20;
    cfg.board.cache_model = false;
    char err[300];
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    assert_int_equal(mon_create(&mon, &cfg, NULL, null, err, sizeof err), 0);
    mon->err = null;
    struct vm_config a = { .name = "a", .mem_bytes = 1u << 20, .vcpus = 1, .node = 0, .disk = img_path };
    struct vm_config b = a, c = a;
    strcpy(b.name, "b");
    b.node = 1;
    strcpy(c.name, "c");
    c.disk = NULL;
    assert_int_equal(mon_add_vm(mon, &a, err, sizeof err), 0);
    assert_int_equal(mon_add_vm(mon, &b, err, sizeof err), 0);
    assert_int_equal(mon_add_vm(mon, &c, err, sizeof err), 0);
    va = mon->vms[0];
    vb = mon->vms[1];
    vc = mon->vms[2];
    p = &mon->pcpus[0];
    memset(avail_idx, 0, sizeof avail_idx);
    driver_init(va);
    driver_init(vb);
    return 0;
}

static int teardown(void **s)
{
    (void)s;
    mon_destroy(mon);
    unlink(img_path);
    return 0;
}

/* ---- the device ------------------------------------------------------------------- */

static void test_config(void **s)
{
    (void)s;
    assert_int_equal(reg_read(va, R_MAGIC, 4), 0x74726976u);
    assert_int_equal(reg_read(va, R_DEVICE_ID, 4), 2);
    assert_int_equal(reg_read(va, R_CONFIG + 0, 4), IMG_PAGES * PAGE_SIZE / DISK_SECTOR);
    assert_int_equal(reg_read(va, R_CONFIG + 4, 4), 0);           /* capacity, high word */
    assert_int_equal(reg_read(va, R_CONFIG + 20, 4), PAGE_SIZE);   /* blk_size */
    assert_int_equal(reg_read(va, R_CONFIG + 12, 4), VIRTQ_MAX - 2); /* seg_max */
    assert_int_equal(reg_read(va, R_CONFIG + 1, 1) & 0xff, (IMG_PAGES * PAGE_SIZE / DISK_SECTOR) >> 8);
    /* the VM without a disk: a transport with no device behind it */
    assert_int_equal(reg_read(vc, R_MAGIC, 4), 0x74726976u);
    assert_int_equal(reg_read(vc, R_DEVICE_ID, 4), 0);
    assert_null(vdev_vblk_stats(vc));
}

static void test_read_whole_page_is_shared(void **s)
{
    (void)s;
    uint32_t used;
    assert_int_equal(request(va, T_IN, 8, G_DATA, PAGE_SIZE, &used), S_OK);
    assert_int_equal(used, PAGE_SIZE + 1);
    assert_guest_bytes(va, G_DATA, image + PAGE_SIZE, PAGE_SIZE);
    const struct pmap_entry *e = pmap_entry_get(va->pmap, G_DATA / PAGE_SIZE);
    assert_true(e->flags & PMAP_F_COW);
    assert_int_equal(memmap_entry_get(mon->mm, e->mfn)->nusers, 2);   /* cache + a */
    assert_int_equal(vdev_vblk_stats(va)->pages_shared, 1);
    assert_int_equal(vdev_vblk_stats(va)->chunks_copied, 0);
    assert_int_equal(reg_read(va, R_INT_STATUS, 4), 0);                /* acked by submit */
    struct disk_share_stats st = share_stats();
    assert_int_equal(st.cached_frames, 1);
    assert_int_equal(st.sharing_pages, 1);
    assert_int_equal(st.shared_frames, 0);
    assert_consistent();
}

static void test_read_pieces_are_copied(void **s)
{
    (void)s;
    /* 512 bytes at offset 512 into the middle of a page, then 2 pages at an odd address */
    assert_int_equal(request(va, T_IN, 1, G_DATA + 0x100, DISK_SECTOR, NULL), S_OK);
    assert_guest_bytes(va, G_DATA + 0x100, image + DISK_SECTOR, DISK_SECTOR);
    assert_int_equal(request(va, T_IN, 8, G_DATA + 0x2200, 2 * PAGE_SIZE, NULL), S_OK);
    assert_guest_bytes(va, G_DATA + 0x2200, image + PAGE_SIZE, 2 * PAGE_SIZE);
    assert_int_equal(vdev_vblk_stats(va)->pages_shared, 0);
    assert_true(vdev_vblk_stats(va)->chunks_copied >= 3);
    assert_int_equal(share_stats().cached_frames, 0);
    /* a guest page whose disk offset is not page-aligned is not shared either */
    assert_int_equal(request(va, T_IN, 9, G_DATA + 0x8000, PAGE_SIZE, NULL), S_OK);
    assert_guest_bytes(va, G_DATA + 0x8000, image + PAGE_SIZE + DISK_SECTOR, PAGE_SIZE);
    assert_int_equal(vdev_vblk_stats(va)->pages_shared, 0);
}

static void test_two_vms_share_one_machine_page(void **s)
{
    (void)s;
    assert_int_equal(read_pages(va, 3, G_DATA, 2), S_OK);
    assert_int_equal(read_pages(vb, 3, G_DATA + 0x5000, 2), S_OK);
    assert_guest_bytes(vb, G_DATA + 0x5000, image + 3 * PAGE_SIZE, 2 * PAGE_SIZE);
    for (unsigned i = 0; i < 2; i++) {
        uint64_t m = mfn_of(va, G_DATA + i * PAGE_SIZE);
        assert_int_equal(m, mfn_of(vb, G_DATA + 0x5000 + i * PAGE_SIZE));
        struct memmap_user u[4];
        assert_int_equal(memmap_users(mon->mm, m, u, 4), 3);           /* cache, a, b */
    }
    struct disk_share_stats st = share_stats();
    assert_int_equal(st.cached_frames, 2);
    assert_int_equal(st.sharing_pages, 4);
    assert_int_equal(st.shared_frames, 2);
    assert_int_equal(st.saved_pages, 2);
    assert_int_equal(vdev_vblk_stats(vb)->pages_shared, 2);
    assert_consistent();
}

static void test_same_vm_reads_twice(void **s)
{
    (void)s;
    assert_int_equal(read_pages(va, 7, G_DATA, 1), S_OK);
    assert_int_equal(read_pages(va, 7, G_DATA + 0x3000, 1), S_OK);
    assert_int_equal(mfn_of(va, G_DATA), mfn_of(va, G_DATA + 0x3000));
    assert_int_equal(share_stats().shared_frames, 1);
    /* reading it again into a page that already maps it changes nothing */
    assert_int_equal(read_pages(va, 7, G_DATA, 1), S_OK);
    assert_int_equal(share_stats().sharing_pages, 2);
    assert_consistent();
}

static void test_guest_write_breaks_the_share_for_its_vm_only(void **s)
{
    (void)s;
    assert_int_equal(read_pages(va, 4, G_DATA, 1), S_OK);
    assert_int_equal(read_pages(vb, 4, G_DATA, 1), S_OK);
    uint64_t shared = mfn_of(vb, G_DATA);
    assert_int_equal(mfn_of(va, G_DATA), shared);
    const char msg[] = "written by a";
    gwrite(va, G_DATA + 100, msg, sizeof msg);                         /* a guest store */
    assert_int_not_equal(mfn_of(va, G_DATA), shared);
    assert_int_equal(mfn_of(vb, G_DATA), shared);
    assert_false(pmap_entry_get(va->pmap, G_DATA / PAGE_SIZE)->flags & PMAP_F_COW);
    assert_guest_bytes(vb, G_DATA, image + 4 * PAGE_SIZE, PAGE_SIZE);   /* b unchanged */
    uint8_t want[PAGE_SIZE];
    memcpy(want, image + 4 * PAGE_SIZE, PAGE_SIZE);
    memcpy(want + 100, msg, sizeof msg);
    assert_guest_bytes(va, G_DATA, want, PAGE_SIZE);
    struct memmap_user u[4];
    assert_int_equal(memmap_users(mon->mm, shared, u, 4), 2);           /* cache, b */
    assert_int_equal(memmap_get_stats(mon->mm)->cow_breaks, 1);
    /* a third reader still gets the image's bytes, shared */
    assert_int_equal(read_pages(va, 4, G_DATA + 0x1000, 1), S_OK);
    assert_int_equal(mfn_of(va, G_DATA + 0x1000), shared);
    assert_guest_bytes(va, G_DATA + 0x1000, image + 4 * PAGE_SIZE, PAGE_SIZE);
    assert_consistent();
}

/* The image file's bytes now. */
static void assert_image_file_unchanged(void)
{
    static uint8_t now[sizeof image];
    FILE *f = fopen(img_path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(now, 1, sizeof now, f), sizeof now);
    fclose(f);
    assert_memory_equal(now, image, sizeof image);
}

static void test_writes_go_to_the_private_overlay(void **s)
{
    (void)s;
    uint8_t page[PAGE_SIZE];
    memset(page, 0x5a, sizeof page);
    gwrite(va, G_DATA + 0x6000, page, sizeof page);
    assert_int_equal(request(va, T_OUT, 5 * 8, G_DATA + 0x6000, PAGE_SIZE, NULL), S_OK);
    assert_int_equal(vdev_vblk_stats(va)->overlay_pages, 1);
    assert_image_file_unchanged();
    /* a reads its own data back (copied from its overlay, not shared) */
    assert_int_equal(read_pages(va, 5, G_DATA, 1), S_OK);
    assert_guest_bytes(va, G_DATA, page, PAGE_SIZE);
    assert_int_equal(vdev_vblk_stats(va)->pages_shared, 0);
    /* b still reads the image, shared from the cache */
    assert_int_equal(read_pages(vb, 5, G_DATA, 1), S_OK);
    assert_guest_bytes(vb, G_DATA, image + 5 * PAGE_SIZE, PAGE_SIZE);
    assert_int_equal(vdev_vblk_stats(vb)->pages_shared, 1);
    /* one sector in the middle of another page: the rest of that page is the image's */
    memset(page, 0xa5, DISK_SECTOR);
    gwrite(va, G_DATA + 0x7000, page, DISK_SECTOR);
    assert_int_equal(request(va, T_OUT, 6 * 8 + 3, G_DATA + 0x7000, DISK_SECTOR, NULL), S_OK);
    uint8_t want[PAGE_SIZE];
    memcpy(want, image + 6 * PAGE_SIZE, PAGE_SIZE);
    memset(want + 3 * DISK_SECTOR, 0xa5, DISK_SECTOR);
    assert_int_equal(read_pages(va, 6, G_DATA + 0x8000, 1), S_OK);
    assert_guest_bytes(va, G_DATA + 0x8000, want, PAGE_SIZE);
    assert_int_equal(vdev_vblk_stats(va)->overlay_pages, 2);
    assert_int_equal(vdev_vblk_stats(va)->writes, 2);
    assert_image_file_unchanged();
    assert_consistent();
}

static void test_bad_requests(void **s)
{
    (void)s;
    uint32_t sectors = IMG_PAGES * PAGE_SIZE / DISK_SECTOR;
    assert_int_equal(request(va, T_IN, sectors, G_DATA, DISK_SECTOR, NULL), S_IOERR);
    assert_int_equal(request(va, T_IN, sectors - 1, G_DATA, 2 * DISK_SECTOR, NULL), S_IOERR);
    assert_int_equal(request(va, T_IN, UINT64_MAX, G_DATA, DISK_SECTOR, NULL), S_IOERR);
    assert_int_equal(request(va, T_IN, 0, G_DATA, 100, NULL), S_IOERR);          /* part of a sector */
    assert_int_equal(request(va, T_OUT, sectors, G_DATA, DISK_SECTOR, NULL), S_IOERR);
    assert_int_equal(request(va, T_IN, 0, 0xfffff000u, PAGE_SIZE, NULL), S_IOERR); /* not the VM's memory */
    assert_int_equal(request(va, T_BOGUS, 0, G_DATA, DISK_SECTOR, NULL), S_UNSUPP);
    assert_int_equal(request(va, T_FLUSH, 0, 0, 0, NULL), S_OK);
    uint32_t used;
    assert_int_equal(request(va, T_GET_ID, 0, G_DATA, 20, &used), S_OK);
    assert_int_equal(used, 21);
    assert_guest_bytes(va, G_DATA, (const uint8_t *)"disco-a", 8);
    assert_int_equal(vdev_vblk_stats(va)->errors, 6);
    assert_int_equal(reg_read(va, R_STATUS, 4) & 0x40, 0);
    assert_int_equal(share_stats().cached_frames, 0);
    assert_image_file_unchanged();
}

static void test_wild_chain_needs_reset(void **s)
{
    (void)s;
    struct desc loop[2] = { { G_HDR, 16, F_NEXT, 1 }, { G_DATA, 16, F_NEXT | F_WRITE, 1 } };
    gwrite(va, G_DESC, loop, sizeof loop);
    uint16_t head = 0, idx = 1;
    gwrite(va, G_AVAIL + 4, &head, 2);
    gwrite(va, G_AVAIL + 2, &idx, 2);
    reg_write(va, R_QUEUE_NOTIFY, 0);
    assert_int_equal(reg_read(va, R_STATUS, 4) & 0x40, 0x40);
    /* readable after writable, even after an empty writable one, breaks the protocol */
    struct desc order[4] = { { G_HDR, 16, F_NEXT, 1 }, { G_DATA, 0, F_NEXT | F_WRITE, 2 },
                             { G_DATA, 16, F_NEXT, 3 }, { G_STATUS, 1, F_WRITE, 0 } };
    reg_write(va, R_STATUS, 0);
    driver_init(va);
    gwrite(va, G_DESC, order, sizeof order);
    idx = 1;
    gwrite(va, G_AVAIL + 2, &idx, 2);
    reg_write(va, R_QUEUE_NOTIFY, 0);
    assert_int_equal(reg_read(va, R_STATUS, 4) & 0x40, 0x40);
    /* after a reset the device works again */
    avail_idx[va->id] = 0;
    driver_init(va);
    gwrite(va, G_AVAIL + 2, &avail_idx[va->id], 2);
    gwrite(va, G_USED + 2, &avail_idx[va->id], 2);
    assert_int_equal(read_pages(va, 2, G_DATA, 1), S_OK);
    assert_guest_bytes(va, G_DATA, image + 2 * PAGE_SIZE, PAGE_SIZE);
}

static void test_interrupt_line(void **s)
{
    (void)s;
    struct vcpu *v0 = va->vcpus[0];
    uint32_t hdr[4] = { T_FLUSH, 0, 0, 0 };
    uint8_t status = 0xee;
    gwrite(va, G_HDR, hdr, sizeof hdr);
    struct desc d[2] = { { G_HDR, 16, F_NEXT, 1 }, { G_STATUS, 1, F_WRITE, 0 } };
    gwrite(va, G_DESC, d, sizeof d);
    gwrite(va, G_STATUS, &status, 1);
    uint16_t head = 0, idx = 1;
    gwrite(va, G_AVAIL + 4, &head, 2);
    gwrite(va, G_AVAIL + 2, &idx, 2);
    reg_write(va, R_QUEUE_NOTIFY, 0);
    assert_int_equal(reg_read(va, R_INT_STATUS, 4), 1);
    assert_true(v0->pending & (1u << ABI_IRQ_DEV));
    assert_false(vb->vcpus[0]->pending & (1u << ABI_IRQ_DEV));
    reg_write(va, R_INT_ACK, 1);
    assert_false(v0->pending & (1u << ABI_IRQ_DEV));
}

/* A hostile driver: random chains (lengths, flags, links, addresses in and far outside
 * the VM, headers of every type and sector) never crash the monitor, never write the
 * image, and leave the memmap consistent; after a reset the device still works. */
static void test_random_chains(void **s)
{
    (void)s;
    uint64_t x = 0x9e3779b97f4a7c15ull;                 /* fixed seed: reproducible */
#define RND() (x ^= x << 13, x ^= x >> 7, x ^= x << 17, x)
    static const uint64_t addrs[] = { G_DATA, G_DATA + 0x1000, G_DATA + 0x123, G_HDR, G_STATUS,
                                      G_DESC, 0xff000, 0x100000 - 8, 0xfffff000ull, 1ull << 40 };
    for (int round = 0; round < 3000; round++) {
        struct desc d[QN];
        for (unsigned i = 0; i < QN; i++) {
            uint64_t r = RND();
            d[i].addr = addrs[r % (sizeof addrs / sizeof addrs[0])];
            d[i].len = (uint32_t)(r >> 8) % 3 == 0 ? 16 : (uint32_t)(r >> 16) % (3 * PAGE_SIZE);
            d[i].flags = (uint16_t)((r >> 40) & 3);
            d[i].next = (uint16_t)((r >> 44) % (QN + 2));
        }
        uint32_t hdr[4] = { (uint32_t)(RND() % 10), 0, (uint32_t)(RND() % 200), (uint32_t)(RND() % 3 == 0) };
        gwrite(va, G_HDR, hdr, sizeof hdr);
        gwrite(va, G_DESC, d, sizeof d);
        uint16_t head = (uint16_t)(RND() % (QN + 1)), idx = ++avail_idx[va->id];
        gwrite(va, G_AVAIL + 4 + 2u * ((idx - 1u) % QN), &head, 2);
        gwrite(va, G_AVAIL + 2, &idx, 2);
        reg_write(va, R_QUEUE_NOTIFY, 0);
        if (reg_read(va, R_STATUS, 4) & 0x40) {        /* it gave up: reset, start over */
            avail_idx[va->id] = 0;
            driver_init(va);
            gwrite(va, G_AVAIL + 2, &avail_idx[va->id], 2);
            gwrite(va, G_USED + 2, &avail_idx[va->id], 2);
        }
    }
#undef RND
    assert_true(vdev_vblk_stats(va)->requests > 100);
    assert_consistent();
    assert_image_file_unchanged();
    avail_idx[va->id] = 0;
    driver_init(va);
    gwrite(va, G_AVAIL + 2, &avail_idx[va->id], 2);
    gwrite(va, G_USED + 2, &avail_idx[va->id], 2);
    assert_int_equal(read_pages(va, 2, G_DATA + 0x4000, 1), S_OK);
    assert_guest_bytes(va, G_DATA + 0x4000, image + 2 * PAGE_SIZE, PAGE_SIZE);
}

/* The console (slot 0) and the disk (slot 1) share IP2: acknowledging one leaves the line
 * up while the other still has an interrupt. */
static void test_interrupt_line_is_shared(void **s)
{
    (void)s;
    struct vcpu *v0 = va->vcpus[0];
    void *cons = vdev_state(va, &vdev_virtio_console);
    const uint32_t CQ_DESC = 0x5000, CQ_AVAIL = 0x5800, CQ_USED = 0x6000, CBUF = 0x6800;
    uint32_t regs[][2] = { { R_STATUS, 0 }, { R_STATUS, 3 }, { R_DRV_FEATURES_SEL, 1 },
                           { R_DRV_FEATURES, 1 }, { R_STATUS, 11 }, { R_QUEUE_SEL, 1 },
                           { R_QUEUE_NUM, QN }, { R_DESC, CQ_DESC }, { R_AVAIL, CQ_AVAIL },
                           { R_USED, CQ_USED }, { R_QUEUE_READY, 1 }, { R_STATUS, 15 } };
    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++)
        vdev_virtio_console.write(p, NULL, cons, regs[i][0], 4, regs[i][1]);
    struct desc d = { CBUF, 3, 0, 0 };
    uint16_t head = 0, idx = 1;
    gwrite(va, CBUF, "hi\n", 3);
    gwrite(va, CQ_DESC, &d, sizeof d);
    gwrite(va, CQ_AVAIL + 4, &head, 2);
    gwrite(va, CQ_AVAIL + 2, &idx, 2);
    vdev_virtio_console.write(p, NULL, cons, R_QUEUE_NOTIFY, 4, 1);
    assert_int_equal(vdev_virtio_console.read(p, NULL, cons, R_INT_STATUS, 4), 1);
    /* a disk request without acknowledging it */
    uint32_t hdr[4] = { T_FLUSH, 0, 0, 0 };
    struct desc bd[2] = { { G_HDR, 16, F_NEXT, 1 }, { G_STATUS, 1, F_WRITE, 0 } };
    gwrite(va, G_HDR, hdr, sizeof hdr);
    gwrite(va, G_DESC, bd, sizeof bd);
    gwrite(va, G_AVAIL + 4, &head, 2);
    gwrite(va, G_AVAIL + 2, &idx, 2);
    reg_write(va, R_QUEUE_NOTIFY, 0);
    assert_int_equal(reg_read(va, R_INT_STATUS, 4), 1);
    reg_write(va, R_INT_ACK, 1);
    assert_true(v0->pending & (1u << ABI_IRQ_DEV));                   /* the console's */
    vdev_virtio_console.write(p, NULL, cons, R_INT_ACK, 4, 1);
    assert_false(v0->pending & (1u << ABI_IRQ_DEV));
}

/* ---- bad images --------------------------------------------------------------------- */

static void expect_bad_disk(const char *path, const char *msg)
{
    char err[300] = "";
    struct vm_config c = { .name = "bad", .mem_bytes = 1u << 20, .vcpus = 1, .disk = path };
    assert_int_equal(mon_add_vm(mon, &c, err, sizeof err), -EINVAL);
    if (!strstr(err, msg) || !strstr(err, path))
        fail_msg("for %s: got '%s', want '%s'", path, err, msg);
}

static void test_bad_images(void **s)
{
    (void)s;
    char path[80];
    snprintf(path, sizeof path, "%s.bad", img_path);
    expect_bad_disk("/nonexistent/disk.img", "cannot open disk image");
    expect_bad_disk("/tmp", "not a regular file");
    FILE *f = fopen(path, "wb");
    fclose(f);
    expect_bad_disk(path, "empty");
    f = fopen(path, "wb");
    fwrite(image, 1, 1000, f);
    fclose(f);
    expect_bad_disk(path, "not a multiple of 512");
    unlink(path);
    assert_int_equal(mon->nvms, 3);
    assert_int_equal(disk_count(mon), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_whole_page_is_shared, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_pieces_are_copied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_vms_share_one_machine_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_vm_reads_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guest_write_breaks_the_share_for_its_vm_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writes_go_to_the_private_overlay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wild_chain_needs_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupt_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_chains, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupt_line_is_shared, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_images, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
