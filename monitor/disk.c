/*
 * disk.c - shared read-only disk images and the machine-page cache through which VMs
 * share their pages copy-on-write (see disk.h).
 */
#include "monitor/disk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "monitor/internal.h"
#include "pmap/memmap.h"

_Static_assert(DISK_VM_ID_BASE == MON_MAX_VMS, "cache pmaps take the ids after the VMs'");

struct disk_image {
    struct mon *mon;
    char *path;
    int fd;
    dev_t dev;
    ino_t ino;
    uint64_t bytes;
    uint64_t npages;            /* 4 KB pages, the last one possibly partial */
    struct pmap *cache;         /* image page -> machine frame holding it */
};

const char *disk_path(const struct disk_image *d)
{
    return d->path;
}

uint64_t disk_bytes(const struct disk_image *d)
{
    return d->bytes;
}

int disk_count(const struct mon *mon)
{
    return mon->ndisks;
}

struct disk_image *disk_get(const struct mon *mon, int i)
{
    return i >= 0 && i < mon->ndisks ? mon->disks[i] : NULL;
}

/* ---- opening ---------------------------------------------------------------------- */

/* Why the opened file cannot be a disk, or NULL. */
static const char *disk_bad_file(const struct stat *st)
{
    if (!S_ISREG(st->st_mode))
        return "not a regular file";
    if (st->st_size == 0)
        return "empty";
    if (st->st_size % DISK_SECTOR)
        return "its size is not a multiple of 512 bytes";
    return NULL;
}

static struct disk_image *disk_find(struct mon *mon, const struct stat *st)
{
    for (int i = 0; i < mon->ndisks; i++)
        if (mon->disks[i]->dev == st->st_dev && mon->disks[i]->ino == st->st_ino)
            return mon->disks[i];
    return NULL;
}

/* Read the first sector: a file that opens but cannot be read is refused now. */
static int disk_probe(int fd)
{
    uint8_t sector[DISK_SECTOR];
    ssize_t n = pread(fd, sector, sizeof sector, 0);
    return n == (ssize_t)sizeof sector ? 0 : n < 0 ? -errno : -EIO;
}

static int disk_new(struct mon *mon, const char *path, int fd, const struct stat *st,
                    struct disk_image **out)
{
    struct disk_image *d = calloc(1, sizeof *d);
    if (!d || !(d->path = strdup(path))) {
        free(d);
        return -ENOMEM;
    }
    d->mon = mon;
    d->fd = fd;
    d->dev = st->st_dev;
    d->ino = st->st_ino;
    d->bytes = (uint64_t)st->st_size;
    d->npages = (d->bytes + PAGE_SIZE - 1) / PAGE_SIZE;
    int rc = pmap_create(&d->cache, mon->mm, DISK_VM_ID_BASE + (uint32_t)mon->ndisks, d->npages);
    if (rc) {
        free(d->path);
        free(d);
        return rc;
    }
    mon->disks[mon->ndisks++] = d;
    *out = d;
    return 0;
}

int disk_open(struct mon *mon, const char *path, struct disk_image **out, char *err,
              size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open disk image %s: %s", path, strerror(errno));
        return -EINVAL;
    }
    struct stat st;
    const char *why = fstat(fd, &st) ? strerror(errno) : disk_bad_file(&st);
    int rc = why ? 0 : disk_probe(fd);
    if (!why && rc)
        why = strerror(-rc);
    if (why) {
        snprintf(err, errlen, "bad disk image %s: %s", path, why);
        close(fd);
        return -EINVAL;
    }
    if ((*out = disk_find(mon, &st))) {
        close(fd);
        return 0;
    }
    if (mon->ndisks == DISK_MAX_IMAGES)
        snprintf(err, errlen, "disk image %s: too many different images (at most %d)", path,
                 DISK_MAX_IMAGES);
    else if ((rc = disk_new(mon, path, fd, &st, out)))
        snprintf(err, errlen, "disk image %s: %s", path, strerror(-rc));
    else
        return 0;
    close(fd);
    return -EINVAL;
}

void disk_close_all(struct mon *mon)
{
    for (int i = 0; i < mon->ndisks; i++) {
        struct disk_image *d = mon->disks[i];
        pmap_destroy(d->cache);
        close(d->fd);
        free(d->path);
        free(d);
        mon->disks[i] = NULL;
    }
    mon->ndisks = 0;
}

/* ---- reading and sharing ------------------------------------------------------------ */

int disk_read(struct disk_image *d, uint64_t off, void *buf, size_t len)
{
    if (off > d->bytes || len > d->bytes - off)
        return -EINVAL;
    uint8_t *b = buf;
    while (len) {
        ssize_t n = pread(d->fd, b, len, (off_t)off);
        if (n <= 0)
            return n < 0 ? -errno : -EIO;   /* the file shrank under us */
        b += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

/* The cache's frame for image page dpage, loading it on first use. */
static int disk_cache_frame(struct disk_image *d, unsigned node, uint64_t dpage, uint64_t *mfn)
{
    const struct pmap_entry *e = pmap_entry_get(d->cache, dpage);
    if (e->mfn != PMAP_NO_FRAME) {
        *mfn = e->mfn;
        return 0;
    }
    uint8_t page[PAGE_SIZE];
    uint64_t off = dpage * PAGE_SIZE;
    size_t len = d->bytes - off < PAGE_SIZE ? (size_t)(d->bytes - off) : PAGE_SIZE;
    memset(page + len, 0, PAGE_SIZE - len);
    int rc = disk_read(d, off, page, len);
    if (rc)
        return rc;
    rc = pmap_map_new(d->cache, dpage, node, mfn);
    if (rc)
        return rc;
    if (cpu_phys_write(mon_phys_cpu(d->mon), *mfn << PAGE_SHIFT, page, PAGE_SIZE)) {
        pmap_unmap(d->cache, dpage);
        return -EFAULT;
    }
    return 0;
}

int disk_share_page(struct disk_image *d, struct pcpu *p, struct vm *vm, uint64_t dpage,
                    uint64_t gpn)
{
    if (dpage >= d->npages || (dpage + 1) * PAGE_SIZE > d->bytes || gpn >= vm->npages)
        return -EINVAL;
    unsigned node = p ? (unsigned)p->node : vm->cfg.node > 0 ? (unsigned)vm->cfg.node : 0;
    uint64_t mfn;
    int rc = disk_cache_frame(d, node, dpage, &mfn);
    if (rc)
        return rc;
    const struct pmap_entry *cur = pmap_entry_get(vm->pmap, gpn);
    if (cur->mfn == mfn)
        return 0;                           /* read again into the page that maps it */
    if (cur->mfn != PMAP_NO_FRAME && (rc = pmap_unmap(vm->pmap, gpn)))
        return rc;
    return pmap_share_cow(d->cache, dpage, vm->pmap, gpn);
}

void disk_share_stats(const struct disk_image *d, struct disk_share_stats *out)
{
    memset(out, 0, sizeof *out);
    const struct memmap *mm = d->mon->mm;
    for (uint64_t i = 0; i < d->npages; i++) {
        const struct pmap_entry *e = pmap_entry_get(d->cache, i);
        if (e->mfn == PMAP_NO_FRAME)
            continue;
        const struct memmap_entry *me = memmap_entry_get(mm, e->mfn);
        uint64_t guests = me && me->nusers ? me->nusers - 1u : 0;   /* minus the cache */
        out->cached_frames++;
        out->sharing_pages += guests;
        out->shared_frames += guests >= 2;
        out->saved_pages += guests > 1 ? guests - 1 : 0;
    }
}
