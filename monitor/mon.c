/*
 * mon.c - the monitor object: the NUMA board it owns, the machine-page pool and the
 * memmap (with this file as the pmap backend for simulated RAM), the physical CPUs,
 * and the run.
 *
 * Machine memory: every node keeps its first MON_RESERVED_FRAMES frames for the
 * monitor (a zero-filled frame, then HAL pages of the vCPUs homed there); the rest of
 * the node is the node's pool of guest frames.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/internal.h"
#include "monitor/vdev/vdev.h"
#include "numa/topology.h"
#include "pmap/memmap.h"

#define MON_RESERVED_FRAMES (1u + MON_MAX_VCPUS)
#define MON_DEFAULT_SLICE_US 500u
/* pmap map_entry on MIPS: the EntryLo of the frame, cacheable noncoherent (C = 3);
 * V, D and G come from the guest's entry when a real one is built. */
#define MON_ENTRYLO_CACHED (3u << ENTRYLO_C_SHIFT)

void mon_config_defaults(struct mon_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    machine_config_defaults(&cfg->machine);
    board_numa_config_defaults(&cfg->board, cfg->machine.clock_hz);
    cfg->slice_cycles = cfg->machine.clock_hz / 1000000 * MON_DEFAULT_SLICE_US;
}

uint8_t *mon_frame_ptr(struct mon *mon, uint64_t mfn)
{
    return bus_ram_ptr(&mon->m.bus, mfn << PAGE_SHIFT, PAGE_SIZE);
}

/* The CPU on whose behalf the monitor touches physical memory (hook.h's cpu_phys_*,
 * which keep decoded code and LL links coherent): the running one, or CPU 0 while
 * nothing runs (VM creation). */
cpu *mon_phys_cpu(struct mon *mon)
{
    return mon->m.running ? mon->m.running : mon->m.cpus[0];
}

void mon_zero_frame(struct mon *mon, uint64_t mfn)
{
    cpu_phys_fill_page(mon_phys_cpu(mon), mfn << PAGE_SHIFT, 0);
}

/* ---- the pmap backend ------------------------------------------------------------- */

static int mon_copy_page(void *ctx, uint64_t dst, uint64_t src)
{
    struct mon *mon = ctx;
    if (cpu_phys_copy_page(mon_phys_cpu(mon), dst << PAGE_SHIFT, src << PAGE_SHIFT))
        return -EINVAL;
    if (mon->m.running) {
        int id = mon->m.running->id;
        struct pcpu *p = &mon->pcpus[id];
        mon_charge(p, p->cur, COST_PAGE_COPY);
    }
    return 0;
}

static uint64_t mon_make_entry(void *ctx, uint64_t mfn, unsigned node)
{
    (void)ctx;
    (void)node;
    return (mfn << ENTRYLO_PFN_SHIFT) | MON_ENTRYLO_CACHED;
}

static void mon_shootdown(void *ctx, uint32_t vm, uint64_t gpn, const struct pmap_cache_loc *loc)
{
    vtlb_shootdown(ctx, vm, gpn, loc);
}

static const struct pmap_backend_ops mon_backend = {
    .copy_page = mon_copy_page,
    .make_entry = mon_make_entry,
    .shootdown = mon_shootdown,
    .remap = NULL,
};

/* ---- creation -------------------------------------------------------------------- */

static int mon_fail(char *err, size_t errlen, int rc, const char *what)
{
    snprintf(err, errlen, "%s: %s", what, strerror(-rc));
    return rc;
}

static int mon_setup_pool(struct mon *mon, char *err, size_t errlen)
{
    const board_numa_config *b = &mon->cfg.board;
    int rc = numa_pool_create(&mon->pool, mon->bn.topo);
    if (rc)
        return mon_fail(err, errlen, rc, "cannot create the page pool");
    uint64_t per = b->mem_per_node >> PAGE_SHIFT;
    if (per <= MON_RESERVED_FRAMES) {
        snprintf(err, errlen, "--mem-per-node is too small for the monitor (needs more than %uK)",
                 MON_RESERVED_FRAMES * 4);
        return -EINVAL;
    }
    for (int n = 0; n < b->nodes; n++) {
        uint64_t first = (uint64_t)n * per;
        mon->zero_mfn[n] = first;
        mon_zero_frame(mon, first);
        mon->reserved_next[n] = first + 1;
        mon->reserved_end[n] = first + MON_RESERVED_FRAMES;
        rc = numa_pool_add_range(mon->pool, (unsigned)n, first + MON_RESERVED_FRAMES,
                                 per - MON_RESERVED_FRAMES);
        if (rc)
            return mon_fail(err, errlen, rc, "cannot add node memory to the pool");
    }
    rc = memmap_create(&mon->mm, mon->pool, &mon_backend, mon, MON_MAX_VMS + DISK_MAX_IMAGES);
    return rc ? mon_fail(err, errlen, rc, "cannot create the memmap") : 0;
}

static void mon_setup_pcpus(struct mon *mon)
{
    mon->npcpus = mon->m.ncpus;
    for (int i = 0; i < mon->npcpus; i++) {
        struct pcpu *p = &mon->pcpus[i];
        p->mon = mon;
        p->c = mon->m.cpus[i];
        p->id = i;
        p->node = p->c->node;
        vtlb_pcpu_init(p);
        cpu_set_hook(p->c, trap_hook, p);
    }
}

int mon_create(struct mon **out, const struct mon_config *cfg, const struct mon_costs *costs,
               FILE *out_stream, char *err, size_t errlen)
{
    const char *why = board_numa_check(&cfg->board);
    if (why) {
        snprintf(err, errlen, "bad NUMA configuration: %s", why);
        return -EINVAL;
    }
    struct mon *mon = calloc(1, sizeof *mon);
    if (!mon)
        return mon_fail(err, errlen, -ENOMEM, "cannot allocate the monitor");
    mon->cfg = *cfg;
    mon->cfg.machine.ncpus = cfg->board.nodes * cfg->board.cpus_per_node;
    mon->out = out_stream;
    mon->err = stderr;
    if (costs)
        mon->costs = *costs;
    else
        mon_costs_defaults(&mon->costs);
    int rc = machine_init(&mon->m, &mon->cfg.machine);
    if (rc) {
        free(mon);
        return mon_fail(err, errlen, rc, "cannot create the machine");
    }
    rc = board_numa_setup(&mon->bn, &mon->m, &mon->cfg.board, out_stream);
    if (rc) {
        mon_fail(err, errlen, rc, "cannot set up the NUMA board");
        mon_destroy(mon);
        return rc;
    }
    mon->m.ipi_line = MON_IPI_LINE;
    rc = mon_setup_pool(mon, err, errlen);
    if (rc) {
        mon_destroy(mon);
        return rc;
    }
    rc = mon_numa_setup(mon, err, errlen);
    if (rc) {
        mon_destroy(mon);
        return rc;
    }
    mon_setup_pcpus(mon);
    *out = mon;
    return 0;
}

int mon_add_vm(struct mon *mon, const struct vm_config *vc, char *err, size_t errlen)
{
    if (mon->nvms == MON_MAX_VMS) {
        snprintf(err, errlen, "too many VMs (at most %d)", MON_MAX_VMS);
        return -EINVAL;
    }
    struct vm *vm;
    int rc = vm_create(mon, vc, &vm, err, errlen);
    if (rc)
        return rc;
    mon->vms[mon->nvms++] = vm;
    return 0;
}

machine *mon_machine(struct mon *mon)
{
    return &mon->m;
}

static const char *const vm_state_names[] = {
    [VM_RUNNING] = "still running", [VM_OFF] = "powered off", [VM_STOPPED] = "stopped",
};

/* One line per VM on stderr: how it ended and what the monitor did for it. */
static void mon_summary(const struct mon *mon)
{
    double hz = (double)mon->m.cfg.clock_hz;
    for (int i = 0; i < mon->nvms; i++) {
        const struct vm *vm = mon->vms[i];
        uint64_t traps = 0, fwd = 0, emul = 0, mc = 0, cyc = 0, fills = 0;
        for (int j = 0; j < vm->nvcpus; j++) {
            const struct vcpu_stats *s = &vm->vcpus[j]->stats;
            for (int k = 0; k < 32; k++)
                traps += s->traps[k], fwd += s->forwarded[k];
            for (int k = 0; k < EMUL_KIND_COUNT; k++)
                emul += s->emulated[k];
            for (int k = 0; k <= ABI_MC_COUNT; k++)
                mc += s->mcalls[k];
            for (int k = 0; k < COST_CAT_COUNT; k++)
                cyc += s->cycles[k];
            for (int k = 0; k < FILL_SRC_COUNT; k++)
                fills += s->fills[k];
        }
        fprintf(mon->err, "disco: vm %s: %s (status %d), %d vCPU%s, %" PRIu64 " pages touched, %" PRIu64
                          " traps, %" PRIu64 " TLB misses, %" PRIu64 " emulated, %" PRIu64
                          " forwarded, %" PRIu64 " monitor calls, %.6f s in the monitor\n",
                vm->name, vm_state_names[vm->state], vm->exit_code, vm->nvcpus,
                vm->nvcpus == 1 ? "" : "s", vm->pages_touched, traps, fills, emul, fwd, mc,
                (double)cyc / hz);
    }
}

/* One line per VM with a disk and one per shared image: what the disk sharing did. */
static void mon_disk_summary(const struct mon *mon)
{
    for (int i = 0; i < mon->nvms; i++) {
        const struct vblk_stats *d = vdev_vblk_stats(mon->vms[i]);
        if (d)
            fprintf(mon->err, "disco: vm %s: disk: %" PRIu64 " requests, %" PRIu64 " reads, %" PRIu64
                              " writes, %" PRIu64 " pages shared, %" PRIu64 " pieces copied, %" PRIu64
                              " overlay pages, %" PRIu64 " errors\n",
                    mon->vms[i]->name, d->requests, d->reads, d->writes, d->pages_shared,
                    d->chunks_copied, d->overlay_pages, d->errors);
    }
    for (int i = 0; i < mon->ndisks; i++) {
        struct disk_share_stats ds;
        disk_share_stats(mon->disks[i], &ds);
        fprintf(mon->err, "disco: disk %s: %" PRIu64 " pages cached, %" PRIu64 " guest pages map them, %"
                          PRIu64 " machine pages shared by 2+ guest pages, %" PRIu64 " pages saved\n",
                disk_path(mon->disks[i]), ds.cached_frames, ds.sharing_pages, ds.shared_frames,
                ds.saved_pages);
    }
}

int mon_run(struct mon *mon)
{
    sched_start(mon);
    machine_run(&mon->m);
    for (int i = 0; i < mon->nvms; i++)
        if (mon->vms[i]->line_len) {   /* a last line without its newline */
            struct vm *vm = mon->vms[i];
            vm->line[vm->line_len] = 0;
            if (vm->console_file)
                fputs(vm->line, vm->console_file);
            else
                fprintf(mon->out, "%s: %s\n", vm->name, vm->line);
            vm->line_len = 0;
        }
    fflush(mon->out);
    if (!mon->cfg.quiet) {
        mon_summary(mon);
        mon_disk_summary(mon);
    }
    const char *why = mon->m.halt_reason ? mon->m.halt_reason : "none";
    if (strcmp(why, "insn-limit") == 0)
        return 3;
    if (strcmp(why, "deadlock") == 0) {
        fprintf(mon->err, "disco: every vCPU waits with nothing to wake it (deadlock)\n");
        return 4;
    }
    return mon->first_status;
}

void mon_write_stats(struct mon *mon, FILE *f)
{
    stats_write(mon, f);
}

void mon_destroy(struct mon *mon)
{
    if (!mon)
        return;
    for (int i = 0; i < mon->nvms; i++)
        vm_destroy(mon->vms[i]);
    mon_numa_teardown(mon);
    disk_close_all(mon);
    if (mon->mm)
        memmap_destroy(mon->mm);
    if (mon->pool)
        numa_pool_destroy(mon->pool);
    board_numa_destroy(&mon->bn);
    machine_destroy(&mon->m);
    free(mon);
}
