/*
 * stats.c - the --stats JSON: per VM and per vCPU, traps by cause, emulated
 * instructions by kind, monitor calls, TLB fills by source, monitor cycles by
 * category, blocked time; then the machine's own statistics (per CPU and node).
 * Everything in it is simulated, so two runs of the same inputs write the same file.
 */
#include <inttypes.h>
#include <stddef.h>

#include "monitor/internal.h"
#include "monitor/vdev/vdev.h"
#include "pmap/memmap.h"

static const char *const fill_names[FILL_SRC_COUNT] = {
    [FILL_L2TLB] = "l2tlb", [FILL_GUEST] = "guest_tlb", [FILL_KWIN] = "kernel_window",
    [FILL_FORWARD] = "forwarded",
};

static const char *const vm_state_names[] = {
    [VM_RUNNING] = "running", [VM_OFF] = "off", [VM_STOPPED] = "stopped",
};

/* {"name": n, ...} for the nonzero members of a counter array. */
static void stats_counters(FILE *f, const char *key, const uint64_t *c, int n,
                           const char *(*name)(int))
{
    fprintf(f, "\"%s\": {", key);
    const char *sep = "";
    for (int i = 0; i < n; i++) {
        if (!c[i])
            continue;
        fprintf(f, "%s\"%s\": %" PRIu64, sep, name(i), c[i]);
        sep = ", ";
    }
    fprintf(f, "}");
}

static const char *exc_name(int i) { return cpu_exc_name(i); }
static const char *emul_name(int i) { return emul_kind_name((enum emul_kind)i); }
static const char *mc_name(int i) { return mcall_name(i); }
static const char *fill_name(int i) { return fill_names[i]; }
static const char *cat_name(int i) { return mon_cost_cat_names[i]; }

/* The counters of one vCPU, or of a whole VM (their sums), as JSON members. */
static void stats_counts(FILE *f, const struct vcpu_stats *s)
{
    uint64_t total = 0;
    for (int i = 0; i < COST_CAT_COUNT; i++)
        total += s->cycles[i];
    stats_counters(f, "traps", s->traps, 32, exc_name);
    fprintf(f, ", ");
    stats_counters(f, "forwarded", s->forwarded, 32, exc_name);
    fprintf(f, ", ");
    stats_counters(f, "emulated", s->emulated, EMUL_KIND_COUNT, emul_name);
    fprintf(f, ", ");
    stats_counters(f, "mcalls", s->mcalls, ABI_MC_COUNT + 1, mc_name);
    fprintf(f, ", ");
    stats_counters(f, "tlb_fills", s->fills, FILL_SRC_COUNT, fill_name);
    fprintf(f, ", ");
    stats_counters(f, "monitor_cycles", s->cycles, COST_CAT_COUNT, cat_name);
    fprintf(f, ", \"monitor_cycles_total\": %" PRIu64 ", \"blocked_cycles\": %" PRIu64
               ", \"switches_in\": %" PRIu64 ", \"virtual_interrupts\": %" PRIu64
               ", \"mmio\": %" PRIu64 ", \"guest_full_flushes\": %" PRIu64,
            total, s->blocked_cycles, s->switches_in, s->virq_delivered, s->mmio,
            s->full_flushes);
}

static void stats_add(struct vcpu_stats *sum, const struct vcpu_stats *s)
{
    const uint64_t *from = (const uint64_t *)s;
    uint64_t *to = (uint64_t *)sum;
    for (size_t i = 0; i < sizeof *s / sizeof(uint64_t); i++)   /* all uint64_t counters */
        to[i] += from[i];
}

static void stats_vcpu(FILE *f, const struct vcpu *v)
{
    const struct l2tlb_stats *l2 = l2tlb_get_stats(v->l2);
    fprintf(f, "      {\"vcpu\": %d, \"home_node\": %d, ", v->id, v->home_node);
    stats_counts(f, &v->stats);
    fprintf(f, ", \"l2tlb\": {\"lookups\": %" PRIu64 ", \"hits\": %" PRIu64
               ", \"inserts\": %" PRIu64 ", \"evictions\": %" PRIu64 "}}",
            l2->lookups, l2->hits, l2->inserts, l2->evictions);
}

/* A JSON string (file names may hold anything). */
static void stats_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

static void stats_vm_disk(FILE *f, const struct vm *vm)
{
    const struct vblk_stats *d = vdev_vblk_stats(vm);
    if (!d)
        return;
    fprintf(f, "\"disk\": {\"image\": ");
    stats_string(f, disk_path(vdev_vblk_disk(vm)));
    fprintf(f, ", \"requests\": %" PRIu64 ", \"reads\": %" PRIu64 ", \"writes\": %" PRIu64
               ", \"flushes\": %" PRIu64 ", \"get_id\": %" PRIu64 ", \"unsupported\": %" PRIu64
               ", \"errors\": %" PRIu64 ", \"bytes_read\": %" PRIu64 ", \"bytes_written\": %" PRIu64
               ", \"pages_shared\": %" PRIu64 ", \"chunks_copied\": %" PRIu64
               ", \"overlay_pages\": %" PRIu64 "}, ",
            d->requests, d->reads, d->writes, d->flushes, d->ids, d->unsupported, d->errors,
            d->bytes_read, d->bytes_written, d->pages_shared, d->chunks_copied, d->overlay_pages);
}

/* The shared images, and guest-physical vs machine memory in use (the footprint). */
static void stats_disks(FILE *f, struct mon *mon)
{
    const struct memmap_stats *ms = memmap_get_stats(mon->mm);
    uint64_t cached = 0, overlay = 0;
    fprintf(f, "  \"disks\": [");
    for (int i = 0; i < disk_count(mon); i++) {
        struct disk_share_stats ds;
        disk_share_stats(disk_get(mon, i), &ds);
        cached += ds.cached_frames;
        fprintf(f, "%s{\"image\": ", i ? ", " : "");
        stats_string(f, disk_path(disk_get(mon, i)));
        fprintf(f, ", \"bytes\": %" PRIu64 ", \"cached_frames\": %" PRIu64 ", \"sharing_pages\": %" PRIu64
                   ", \"shared_frames\": %" PRIu64 ", \"saved_pages\": %" PRIu64 "}",
                disk_bytes(disk_get(mon, i)), ds.cached_frames, ds.sharing_pages,
                ds.shared_frames, ds.saved_pages);
    }
    for (int i = 0; i < mon->nvms; i++) {
        const struct vblk_stats *d = vdev_vblk_stats(mon->vms[i]);
        overlay += d ? d->overlay_pages : 0;
    }
    fprintf(f, "],\n  \"memory\": {\"guest_pages_mapped\": %" PRIu64 ", \"machine_frames\": %" PRIu64
               ", \"disk_cache_frames\": %" PRIu64 ", \"overlay_pages\": %" PRIu64 "},\n",
            ms->pages_mapped - cached, ms->frames_master + ms->frames_replica, cached, overlay);
}

static void stats_vm(FILE *f, const struct vm *vm)
{
    fprintf(f, "    {\"name\": \"%s\", \"state\": \"%s\", \"exit_code\": %d, \"mem_bytes\": %" PRIu64
               ", \"pages_touched\": %" PRIu64 ", \"vcpus\": [\n",
            vm->name, vm_state_names[vm->state], vm->exit_code, vm->cfg.mem_bytes,
            vm->pages_touched);
    for (int i = 0; i < vm->nvcpus; i++) {
        stats_vcpu(f, vm->vcpus[i]);
        fprintf(f, "%s\n", i + 1 < vm->nvcpus ? "," : "");
    }
    struct vcpu_stats sum = { 0 };
    for (int i = 0; i < vm->nvcpus; i++)
        stats_add(&sum, &vm->vcpus[i]->stats);
    fprintf(f, "    ], ");
    stats_vm_disk(f, vm);
    fprintf(f, "\"totals\": {");
    stats_counts(f, &sum);
    fprintf(f, "}}");
}

void stats_write(struct mon *mon, FILE *f)
{
    const struct memmap_stats *ms = memmap_get_stats(mon->mm);
    fprintf(f, "{\n  \"monitor\": {\"flush_on_switch\": %s, \"shootdowns\": %" PRIu64
               ", \"shootdown_ipis\": %" PRIu64 ", \"pages_mapped\": %" PRIu64
               ", \"cow_breaks\": %" PRIu64 ", \"migrations\": %" PRIu64 "},\n",
            mon->cfg.flush_on_switch ? "true" : "false", mon->shootdowns, mon->shootdown_ipis,
            ms->pages_mapped, ms->cow_breaks, ms->migrations);
    mon_numa_write_stats(mon, f);
    stats_disks(f, mon);
    fprintf(f, "  \"vms\": [\n");
    for (int i = 0; i < mon->nvms; i++) {
        stats_vm(f, mon->vms[i]);
        fprintf(f, "%s\n", i + 1 < mon->nvms ? "," : "");
    }
    fprintf(f, "  ],\n  \"machine\": ");
    machine_write_stats(&mon->m, f);
    fprintf(f, "}\n");
}
