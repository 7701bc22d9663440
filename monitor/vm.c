/*
 * vm.c - virtual machines: configuration checks, the pmap of guest-physical memory
 * (machine frames from the per-node pools, allocated and zeroed on first touch), the
 * vCPUs, loading the kernel and its arguments, and the end of a VM.
 *
 * Placement: a VM with a home node gets its frames there (the pool falls back to the
 * nearest node when it is full); a spread VM gets each frame on the node of the CPU
 * that touches it first (the loader, with no CPU, uses node 0).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/internal.h"
#include "monitor/vdev/vdev.h"
#include "pmap/memmap.h"

#define VM_MIN_MEM (64u << 10)
#define VM_RUN_MAX 2048u              /* run= bytes (Linux's MIPS command line holds 4096) */
#define VM_RUN_KEY "disco.run="

/* run= goes on the kernel command line inside double quotes: Linux's parser keeps a
 * quoted value whole but has no escape for a quote within it. */
static bool vm_run_ok(const char *run)
{
    size_t n = 0;
    for (; run[n]; n++)
        if (run[n] == '"' || (unsigned char)run[n] < 0x20 || (unsigned char)run[n] > 0x7e)
            return false;
    return n <= VM_RUN_MAX;
}

static int vm_check(const struct mon *mon, const struct vm_config *c, char *err, size_t errlen)
{
    if (c->mem_bytes < VM_MIN_MEM || c->mem_bytes > ABI_MAX_GUEST_MEM || (c->mem_bytes & (PAGE_SIZE - 1)))
        snprintf(err, errlen, "vm %s: mem must be a multiple of 4K in 64K..256M", c->name);
    else if (c->vcpus < 1 || c->vcpus > MON_MAX_VCPUS)
        snprintf(err, errlen, "vm %s: vcpus must be 1..%d", c->name, MON_MAX_VCPUS);
    else if (c->node != VM_NODE_SPREAD && (c->node < 0 || c->node >= mon->cfg.board.nodes))
        snprintf(err, errlen, "vm %s: node %d does not exist (the machine has %d)", c->name,
                 c->node, mon->cfg.board.nodes);
    else if (c->run && !vm_run_ok(c->run))
        snprintf(err, errlen, "vm %s: run= must be printable ASCII without '\"', at most %u bytes"
                 " (quote inside it with ')", c->name, VM_RUN_MAX);
    else if (mon->nall + c->vcpus > (int)(sizeof mon->all_vcpus / sizeof mon->all_vcpus[0]))
        snprintf(err, errlen, "vm %s: too many vCPUs in all", c->name);
    else
        return 0;
    return -EINVAL;
}

static unsigned vm_place(struct vm *vm, const struct pcpu *p)
{
    if (vm->cfg.node != VM_NODE_SPREAD)
        return (unsigned)vm->cfg.node;
    return p ? (unsigned)p->node : 0;
}

int vm_gpa_page(struct vm *vm, struct pcpu *p, struct vcpu *v, uint64_t gpn, bool write,
                struct pmap_translation *out)
{
    if (gpn >= vm->npages)
        return -EFAULT;
    unsigned node = p ? (unsigned)p->node : vm_place(vm, NULL);
    if (p)
        mon_numa_on_fill(p, v, vm, gpn, write);   /* sampling, hinting faults (numa.c) */
    int rc = pmap_lookup(vm->pmap, gpn, node, out);
    if (rc == -ENOENT) {
        uint64_t mfn;
        rc = pmap_map_new(vm->pmap, gpn, vm_place(vm, p), &mfn);
        if (rc)
            return rc;
        mon_zero_frame(vm->mon, mfn);
        vm->pages_touched++;
        if (p)
            mon_charge(p, v, COST_PAGE_ZERO);
        rc = pmap_lookup(vm->pmap, gpn, node, out);
    }
    if (rc == 0 && write && !out->writable) {
        /* A COW break or a collapse retires frames: LL links on them must go. */
        struct vtlb_frames before;
        vtlb_frames_get(vm->mon, out->mfn, &before);
        rc = pmap_write_fault(vm->pmap, gpn, node);
        if (rc == 0)
            rc = pmap_lookup(vm->pmap, gpn, node, out);
        if (rc == 0)
            vtlb_frames_retire(vm->mon, &before, out->mfn);
    }
    return rc;
}

/* Copy len bytes at gpa to or from buf, page by page. */
static int vm_copy_gpa(struct vm *vm, struct pcpu *p, uint64_t gpa, void *buf, size_t len,
                       bool write)
{
    uint8_t *b = buf;
    if (gpa + len < gpa || gpa + len > vm->npages * PAGE_SIZE)
        return -EFAULT;
    while (len) {
        struct pmap_translation tr;
        size_t off = gpa & (PAGE_SIZE - 1), n = PAGE_SIZE - off;
        if (n > len)
            n = len;
        int rc = vm_gpa_page(vm, p, p ? p->cur : NULL, gpa >> PAGE_SHIFT, write, &tr);
        if (rc)
            return -EFAULT;
        uint64_t pa = (tr.mfn << PAGE_SHIFT) + off;
        cpu *c = mon_phys_cpu(vm->mon);
        if (write ? cpu_phys_write(c, pa, b, n) : cpu_phys_read(c, pa, b, n))
            return -EFAULT;
        gpa += n;
        b += n;
        len -= n;
    }
    return 0;
}

int vm_read_gpa(struct vm *vm, struct pcpu *p, uint64_t gpa, void *buf, size_t len)
{
    return vm_copy_gpa(vm, p, gpa, buf, len, false);
}

int vm_write_gpa(struct vm *vm, struct pcpu *p, uint64_t gpa, const void *buf, size_t len)
{
    return vm_copy_gpa(vm, p, gpa, (void *)buf, len, true);
}

/* The guest's command line: cmdline=, then disco.run="RUN" when run= is given.
 * Returns a malloc'd string, or NULL (none, or no memory: *nomem). */
static char *vm_boot_cmdline(const struct vm *vm, bool *nomem)
{
    const char *cmd = vm->cfg.cmdline, *run = vm->cfg.run;
    *nomem = false;
    if (!cmd && !run)
        return NULL;
    size_t n = (cmd ? strlen(cmd) : 0) + (run ? strlen(run) + sizeof VM_RUN_KEY + 3 : 0) + 1;
    char *s = malloc(n);
    if (!s) {
        *nomem = true;
        return NULL;
    }
    snprintf(s, n, "%s%s%s%s%s", cmd ? cmd : "", cmd && run ? " " : "", run ? VM_RUN_KEY "\"" : "",
             run ? run : "", run ? "\"" : "");
    return s;
}

/* Kernel, then the command line and the initrd on the pages after it: vCPU 0's a0..a3. */
static int vm_boot_image(struct vm *vm, char *err, size_t errlen)
{
    uint32_t entry = 0;
    uint64_t end = 0, size = 0, cmd_gpa = 0, rd_gpa = 0;
    int rc = loader_load_kernel(vm, vm->cfg.kernel, &entry, &end, err, errlen);
    if (rc)
        return rc;
    uint64_t next = (end + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    bool nomem;
    char *cmdline = vm_boot_cmdline(vm, &nomem);
    if (nomem) {
        snprintf(err, errlen, "vm %s: out of memory for its command line", vm->name);
        return -ENOMEM;
    }
    if (cmdline) {
        size_t n = strlen(cmdline) + 1;
        cmd_gpa = next;
        rc = vm_write_gpa(vm, NULL, cmd_gpa, cmdline, n);
        free(cmdline);
        if (rc) {
            snprintf(err, errlen, "vm %s: the command line does not fit in its memory", vm->name);
            return -EINVAL;
        }
        next = (cmd_gpa + n + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    }
    if (vm->cfg.initrd) {
        rd_gpa = next;
        rc = loader_load_file(vm, vm->cfg.initrd, rd_gpa, &size, err, errlen);
        if (rc)
            return rc;
    }
    struct vcpu *v0 = vm->vcpus[0];
    vcpu_reset(v0, entry);
    v0->gpr[4] = cmd_gpa ? ABI_KWIN_BASE + (uint32_t)cmd_gpa : 0;
    v0->gpr[5] = (uint32_t)vm->cfg.mem_bytes;
    v0->gpr[6] = vm->cfg.initrd ? ABI_KWIN_BASE + (uint32_t)rd_gpa : 0;
    v0->gpr[7] = (uint32_t)size;
    v0->state = VCPU_RUNNABLE;
    return 0;
}

static int vm_open_console(struct vm *vm, char *err, size_t errlen)
{
    const char *dir = vm->mon->cfg.console_dir;
    if (!dir)
        return 0;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.console", dir, vm->name);
    vm->console_file = fopen(path, "w");
    if (!vm->console_file) {
        snprintf(err, errlen, "cannot write console file %s: %s", path, strerror(errno));
        return -EINVAL;
    }
    return 0;
}

static int vm_make_vcpus(struct vm *vm, char *err, size_t errlen)
{
    struct mon *mon = vm->mon;
    for (int i = 0; i < vm->cfg.vcpus; i++) {
        struct vcpu *v;
        int rc = vcpu_create(vm, i, &v);
        if (rc == -ENOSPC) {
            snprintf(err, errlen, "vm %s: too many vCPUs on node %d for the monitor's reserved memory",
                     vm->name, vm->cfg.node == VM_NODE_SPREAD ? i % mon->cfg.board.nodes : vm->cfg.node);
            return rc;
        }
        if (rc) {
            snprintf(err, errlen, "vm %s: cannot create vCPU %d: %s", vm->name, i, strerror(-rc));
            return rc;
        }
        v->gid = mon->nall;
        mon->all_vcpus[mon->nall++] = v;
        vm->vcpus[vm->nvcpus++] = v;
    }
    return 0;
}

int vm_create(struct mon *mon, const struct vm_config *cfg, struct vm **out, char *err,
              size_t errlen)
{
    int rc = vm_check(mon, cfg, err, errlen);
    if (rc)
        return rc;
    for (int i = 0; i < mon->nvms; i++)
        if (strcmp(mon->vms[i]->name, cfg->name) == 0) {
            snprintf(err, errlen, "two VMs are named '%s'", cfg->name);
            return -EINVAL;
        }
    struct vm *vm = calloc(1, sizeof *vm);
    if (!vm)
        return -ENOMEM;
    vm->mon = mon;
    vm->id = mon->nvms;
    vm->cfg = *cfg;
    snprintf(vm->name, sizeof vm->name, "%s", cfg->name);
    vm->npages = cfg->mem_bytes >> PAGE_SHIFT;
    rc = pmap_create(&vm->pmap, mon->mm, (uint32_t)vm->id, vm->npages);
    if (rc) {
        snprintf(err, errlen, "vm %s: cannot create its pmap: %s", vm->name, strerror(-rc));
        free(vm);
        return rc;
    }
    rc = vm_make_vcpus(vm, err, errlen);
    if (!rc)
        rc = vm_open_console(vm, err, errlen);
    if (!rc && cfg->kernel)
        rc = vm_boot_image(vm, err, errlen);
    if (!rc)
        rc = vdev_init_vm(vm, err, errlen);
    if (rc) {
        vm_destroy(vm);
        return rc;
    }
    *out = vm;
    return 0;
}

void vm_destroy(struct vm *vm)
{
    if (!vm)
        return;
    vdev_exit_vm(vm);
    if (vm->pmap)
        pmap_destroy(vm->pmap);
    for (int i = 0; i < vm->nvcpus; i++)
        vcpu_destroy(vm->vcpus[i]);
    if (vm->console_file)
        fclose(vm->console_file);
    free(vm);
}

void vm_finish(struct vm *vm, struct pcpu *p, int status, const char *reason)
{
    struct mon *mon = vm->mon;
    if (vm->state != VM_RUNNING)
        return;
    vm->state = reason ? VM_STOPPED : VM_OFF;
    vm->exit_code = status;
    if (reason)
        fprintf(mon->err, "disco: vm %s stopped: %s\n", vm->name, reason);
    if (status && !mon->first_status)
        mon->first_status = status;
    for (int i = 0; i < vm->nvcpus; i++)
        sched_stop_vcpu(p, vm->vcpus[i]);
    if (++mon->vms_done == mon->nvms)
        machine_halt(&mon->m, mon->first_status, "exit");
}
