/* guestmem.c - NUMA-placed anonymous guest memory (mbind before first touch,
 * move_pages to query and to migrate). */
#include "x86-vtx/guestmem.h"

#include <errno.h>
#include <stdio.h>
#include <numa.h>
#include <numaif.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL
#define CHUNK 512

int vtx_mem_os_nodes(void)
{
    if (numa_available() < 0)
        return 1;
    return numa_max_node() + 1;
}

static int mask_for(int os_node, unsigned long *mask, size_t words)
{
    if (os_node < 0 || (size_t)os_node >= words * 64)
        return -EINVAL;
    memset(mask, 0, words * sizeof(*mask));
    mask[os_node / 64] |= 1UL << (os_node % 64);
    return 0;
}

int vtx_mem_bind(void *base, size_t size, int os_node)
{
    unsigned long mask[16];
    int err = mask_for(os_node, mask, 16);
    if (err)
        return err;
    if (mbind(base, size, MPOL_BIND, mask, 16 * 64, 0) < 0)
        return -errno;
    return 0;
}

int vtx_mem_alloc(struct vtx_mem *m, size_t size, int os_node)
{
    memset(m, 0, sizeof(*m));
    if (size == 0 || (size & (PAGE - 1)))
        return -EINVAL;
    if (os_node < 0 || os_node >= vtx_mem_os_nodes())
        return -EINVAL;
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return -errno;
    int err = vtx_mem_bind(p, size, os_node);
    if (err) {
        munmap(p, size);
        return err;
    }
    /* Guest RAM is never needed by a child process, and huge pages would make one
     * guest write pin 2 MiB on a node: keep the unit of placement the 4 KiB page. */
    madvise(p, size, MADV_DONTFORK);
    madvise(p, size, MADV_NOHUGEPAGE);
    m->base = p;
    m->size = size;
    m->node = os_node;
    return 0;
}

void vtx_mem_free(struct vtx_mem *m)
{
    if (m->base)
        munmap(m->base, m->size);
    m->base = NULL;
    m->size = 0;
}

int vtx_mem_where(const void *addr, size_t npages, int *nodes)
{
    void *pages[CHUNK];
    for (size_t done = 0; done < npages;) {
        size_t n = npages - done < CHUNK ? npages - done : CHUNK;
        for (size_t i = 0; i < n; i++)
            pages[i] = (char *)addr + (done + i) * PAGE;
        if (move_pages(0, n, pages, NULL, nodes + done, 0) < 0)
            return -errno;
        done += n;
    }
    return 0;
}

long vtx_mem_move_pages(void *const *addrs, size_t n, int os_node, int all, int *status)
{
    if (os_node < 0 || os_node >= vtx_mem_os_nodes())
        return -EINVAL;
    int nodes[CHUNK], st[CHUNK];
    long on_target = 0;
    for (size_t done = 0; done < n;) {
        size_t k = n - done < CHUNK ? n - done : CHUNK;
        for (size_t i = 0; i < k; i++)
            nodes[i] = os_node;
        long r = move_pages(0, k, (void **)(addrs + done), nodes, st,
                            all ? MPOL_MF_MOVE_ALL : MPOL_MF_MOVE);
        if (r < 0)
            return -errno;
        for (size_t i = 0; i < k; i++) {
            if (st[i] == os_node)
                on_target++;
            if (status)
                status[done + i] = st[i];
        }
        done += k;
    }
    return on_target;
}

long vtx_mem_move(struct vtx_mem *m, int os_node)
{
    size_t npages = m->size / PAGE;
    /* Re-bind first so pages faulted in while we move land on the new node too. */
    int err = vtx_mem_bind(m->base, m->size, os_node);
    if (err)
        return err;
    m->node = os_node;
    void **addrs = malloc(npages * sizeof(*addrs));
    int *where = malloc(npages * sizeof(*where));
    if (!addrs || !where) {
        free(addrs);
        free(where);
        return -ENOMEM;
    }
    long r = vtx_mem_where(m->base, npages, where);
    size_t n = 0;
    if (r == 0) {
        for (size_t i = 0; i < npages; i++)
            if (where[i] >= 0)
                addrs[n++] = (char *)m->base + i * PAGE;
        r = vtx_mem_move_pages(addrs, n, os_node, 0, NULL);
    }
    free(addrs);
    free(where);
    return r;
}

uint64_t vtx_mem_host_kib(const char *key)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    uint64_t v = 0;
    size_t kl = strlen(key);
    while (f && fgets(line, sizeof(line), f))
        if (!strncmp(line, key, kl) && line[kl] == ':') {
            v = strtoull(line + kl + 1, NULL, 10);
            break;
        }
    if (f)
        fclose(f);
    return v;
}
