/* numa/host.c - libnuma / mbind / move_pages wrappers for real hosts. */
#include "numa/host.h"

#include <errno.h>
#include <numa.h>
#include <numaif.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static size_t page_size(void)
{
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? (size_t)p : 4096;
}

int numa_host_available(void)
{
    return numa_available() >= 0;
}

int numa_host_max_node(void)
{
    return numa_host_available() ? numa_max_node() : 0;
}

static size_t round_pages(size_t bytes)
{
    size_t p = page_size();
    return (bytes + p - 1) / p * p;
}

int numa_host_alloc(void **out, size_t bytes, int os_node)
{
    if (!out || bytes == 0 || os_node < 0 || os_node > numa_host_max_node())
        return -EINVAL;
    size_t len = round_pages(bytes);
    void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return -ENOMEM;
    if (numa_host_available()) {
        unsigned long mask[16] = { 0 };
        if (os_node >= (int)(sizeof mask * 8)) {
            munmap(m, len);
            return -EINVAL;
        }
        mask[os_node / 64] = 1ul << (os_node % 64);
        if (mbind(m, len, MPOL_BIND, mask, sizeof mask * 8, 0) != 0) {
            int e = errno;
            munmap(m, len);
            return -e;
        }
    }
    memset(m, 0, len);       /* first touch places the pages on the bound node */
    *out = m;
    return 0;
}

void numa_host_free(void *mem, size_t bytes)
{
    if (mem && bytes)
        munmap(mem, round_pages(bytes));
}

static void *page_of(const void *addr)
{
    return (void *)((uintptr_t)addr & ~(uintptr_t)(page_size() - 1));
}

int numa_host_page_node(const void *addr)
{
    if (!addr)
        return -EINVAL;
    if (!numa_host_available())
        return -ENOSYS;
    void *pages[1] = { page_of(addr) };
    int status[1] = { -1 };
    if (move_pages(0, 1, pages, NULL, status, 0) != 0)
        return -errno;
    return status[0];        /* a node, or a negative errno for this page */
}

int numa_host_move_page(void *addr, int os_node)
{
    if (!addr || os_node < 0 || os_node > numa_host_max_node())
        return -EINVAL;
    if (!numa_host_available())
        return -ENOSYS;
    void *pages[1] = { page_of(addr) };
    int nodes[1] = { os_node }, status[1] = { -1 };
    if (move_pages(0, 1, pages, nodes, status, MPOL_MF_MOVE) != 0)
        return -errno;
    return status[0] < 0 ? status[0] : 0;
}
