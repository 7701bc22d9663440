/* image.c - per-node copy-on-write image replicas on memfds. */
#include "x86-vtx/image.h"
#include "x86-vtx/guestmem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int vtx_image_open(struct vtx_image *img, const char *path)
{
    memset(img, 0, sizeof(*img));
    for (int i = 0; i < VTX_IMAGE_MAX_NODES; i++)
        img->replica[i].fd = -1;
    snprintf(img->path, sizeof(img->path), "%s", path);
    /* O_NONBLOCK: a FIFO given as the guest must not block the open; it is refused. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return -errno;
    struct stat st;
    int e = fstat(fd, &st) < 0 ? -errno : S_ISDIR(st.st_mode) ? -EISDIR
          : !S_ISREG(st.st_mode) ? -ENXIO : 0;
    if (e) {
        close(fd);
        return e;
    }
    if (st.st_size > VTX_IMAGE_FILE_MAX) {
        close(fd);
        return -EFBIG;
    }
    img->file_len = (size_t)st.st_size;
    img->file = malloc(img->file_len ? img->file_len : 1);
    if (!img->file) {
        close(fd);
        return -ENOMEM;
    }
    size_t got = 0;
    while (got < img->file_len) {
        ssize_t r = read(fd, (char *)img->file + got, img->file_len - got);
        if (r <= 0) {
            close(fd);
            vtx_image_close(img);
            return r < 0 ? -errno : -EIO;
        }
        got += (size_t)r;
    }
    close(fd);
    int err = vtx_elf_parse(img->file, img->file_len, &img->info);
    if (err)
        vtx_image_close(img);
    return err;
}

void vtx_image_close(struct vtx_image *img)
{
    for (int i = 0; i < VTX_IMAGE_MAX_NODES; i++) {
        if (img->replica[i].ref)
            munmap(img->replica[i].ref, img->info.image_size);
        if (img->replica[i].fd >= 0)
            close(img->replica[i].fd);
        img->replica[i].ref = NULL;
        img->replica[i].fd = -1;
    }
    free(img->file);
    img->file = NULL;
}

int vtx_image_replica(struct vtx_image *img, int idx, int os_node)
{
    if (idx < 0 || idx >= VTX_IMAGE_MAX_NODES || os_node < 0)
        return -EINVAL;
    struct vtx_image_replica *r = &img->replica[idx];
    if (r->ref)
        return 0;
    char name[32];
    snprintf(name, sizeof(name), "vtx-image-%d-node%d", idx, os_node);
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0)
        return -errno;
    size_t size = img->info.image_size;
    int err = 0;
    void *w = MAP_FAILED;
    if (ftruncate(fd, (off_t)size) < 0) {
        err = -errno;
        goto fail;
    }
    w = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (w == MAP_FAILED) {
        err = -errno;
        goto fail;
    }
    /* On a shared mapping of shmem, mbind sets the object's shared policy: the pages
     * allocated when we write the image below come from os_node. */
    err = vtx_mem_bind(w, size, os_node);
    if (err)
        goto fail;
    err = vtx_elf_copy(img->file, img->file_len, &img->info, w);
    if (err)
        goto fail;
    r->fd = fd;
    r->os_node = os_node;
    r->ref = w;
    return 0;
fail:
    if (w != MAP_FAILED)
        munmap(w, size);
    close(fd);
    return err;
}

int vtx_image_map(struct vtx_image *img, int idx, int os_node, void **out)
{
    int err = vtx_image_replica(img, idx, os_node);
    if (err)
        return err;
    void *p = mmap(NULL, img->info.image_size, PROT_READ | PROT_WRITE, MAP_PRIVATE,
                   img->replica[idx].fd, 0);
    if (p == MAP_FAILED)
        return -errno;
    /* Copies made by guest writes are anonymous pages: keep them on the VM's node. */
    vtx_mem_bind(p, img->info.image_size, os_node);
    *out = p;
    return 0;
}

void vtx_image_unmap(const struct vtx_image *img, void *p)
{
    if (p)
        munmap(p, img->info.image_size);
}

int vtx_image_remap(const struct vtx_image *img, int idx, int os_node, void *map,
                    size_t off, size_t len)
{
    if (idx < 0 || idx >= VTX_IMAGE_MAX_NODES || !img->replica[idx].ref ||
        off + len > img->info.image_size || off + len < off)
        return -EINVAL;
    void *at = (char *)map + off;
    void *p = mmap(at, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED,
                   img->replica[idx].fd, (off_t)off);
    if (p == MAP_FAILED)
        return -errno;
    return vtx_mem_bind(at, len, os_node);
}
