/* run.c - `vtx run`: after vtx_run_check, starting N VMs, holding, migrating, summary. */
#include "x86-vtx/run.h"
#include "x86-vtx/guests/workload.h"
#include "x86-vtx/layout.h"
#include "x86-vtx/placement.h"
#include "x86-vtx/vm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static uint64_t self_rss_kib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, rss = 0;
    if (f) {
        if (fscanf(f, "%lu %lu", &size, &rss) != 2)
            rss = 0;
        fclose(f);
    }
    return rss * (uint64_t)(sysconf(_SC_PAGESIZE) / 1024);
}

/* Resident guest pages of a VM (RAM and boot area): what the guest itself caused. */
static uint64_t guest_resident_pages(const struct vtx_vm *vm)
{
    uint64_t n = 0;
    const struct vtx_mem *m[2] = { &vm->ram, &vm->boot };
    for (int k = 0; k < 2; k++) {
        size_t pages = m[k]->size / VTX_PAGE_SIZE;
        int *where = malloc(pages * sizeof(*where));
        if (where && vtx_mem_where(m[k]->base, pages, where) == 0)
            for (size_t i = 0; i < pages; i++)
                n += where[i] >= 0;
        free(where);
    }
    return n;
}

static void raise_limits(void)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
    }
}

static int vtx_run_image(const struct vtx_run_opts *o, struct vtx_image *imgp,
                         const struct vtx_run_plan *plan, FILE *out, FILE *err);

/* What the policy decided on the dirty-log hot pages, and its own report. */
static void print_policy(FILE *out, struct vtx_placement *pl,
                         const struct numa_policy_choice *choice,
                         const struct vtx_place_stats *st)
{
    const struct numa_policy *pol = vtx_place_policy(pl);
    const struct numa_policy_stats *ps = &pol->stats;
    fprintf(out, "vtx: policy %s (%s%s): %llu hot-page events; decided: %llu migrate, "
            "%llu replicate, %llu collapse; KVM refused %llu replicate and %llu collapse "
            "(guest RAM has no read-only replicas); refused:",
            pol->ops->name, choice->lib ? "loaded from " : "built in",
            choice->lib ? choice->lib : "", (unsigned long long)st->hot_events,
            (unsigned long long)ps->migrations + st->migrate_failed,
            (unsigned long long)ps->replications + st->replicate_refused,
            (unsigned long long)ps->collapses + st->collapse_refused,
            (unsigned long long)st->replicate_refused, (unsigned long long)st->collapse_refused);
    bool any = false;
    for (int r = NUMA_REFUSE_POLICY; r < NUMA_REFUSE_COUNT; r++)
        if (ps->refused[r]) {
            fprintf(out, "%s %s %llu", any ? "," : "", numa_refusal_name((enum numa_refusal)r),
                    (unsigned long long)ps->refused[r]);
            any = true;
        }
    fprintf(out, "%s\n", any ? "" : " none");
    char rep[512];
    vtx_place_policy_report(pl, rep, sizeof(rep));
    if (rep[0])
        fprintf(out, "vtx: policy %s report: {%s}\n", pol->ops->name, rep);
}

/* Undo a set-up that stopped half-way, before any VM exists. Returns 2. */
static int setup_failed(struct vtx_host *host, bool host_open, struct vtx_vm *vms,
                        struct vtx_placement *pl, struct vtx_image *img)
{
    vtx_place_destroy(pl);
    if (host_open)
        vtx_host_fini(host);
    free(host);
    free(vms);
    vtx_image_close(img);
    return 2;
}

int vtx_run(const struct vtx_run_opts *o, FILE *out, FILE *err)
{
    struct vtx_image *imgp = malloc(sizeof(*imgp));
    if (!imgp) {
        fprintf(err, "vtx: out of memory\n");
        return 2;
    }
    struct vtx_run_plan plan;
    int rc = vtx_run_check(o, imgp, &plan, err);   /* everything before KVM is touched */
    if (!rc)
        rc = vtx_run_image(o, imgp, &plan, out, err);
    if (plan.trace)
        fclose(plan.trace);
    free(imgp);
    return rc;
}

static int vtx_run_image(const struct vtx_run_opts *o, struct vtx_image *imgp,
                         const struct vtx_run_plan *plan, FILE *out, FILE *err)
{
#define img (*imgp)
    int e;
    raise_limits();
    struct vtx_host *host = calloc(1, sizeof(*host));
    struct vtx_vm *vms = calloc(o->vms, sizeof(*vms));
    if (!host || !vms) {
        fprintf(err, "vtx: out of memory for %u VMs\n", o->vms);
        return setup_failed(host, false, vms, NULL, &img);
    }
    e = vtx_host_init(host, o->kvm_path);
    if (e) {
        fprintf(err, "vtx: cannot open KVM at %s: %s\n", o->kvm_path, strerror(-e));
        return setup_failed(host, false, vms, NULL, &img);
    }
    host->dirty_image = o->track;
    host->dirty_ram = o->track && vtx_run_uses_policy(o);

    struct vtx_placement *pl = NULL;
    uint64_t img_pages = img.info.image_size / VTX_PAGE_SIZE;
    if (o->track) {
        struct vtx_place_cfg cfg = {
            .topology = o->topology, .choice = &o->policy, .trace = plan->trace,
            .max_vms = o->vms,
            .image_pages = (unsigned)img_pages,
            .frames_per_node = (uint64_t)o->vms * (VTX_BOOT_SIZE / VTX_PAGE_SIZE + img_pages +
                                                   o->mem / VTX_PAGE_SIZE) + img_pages,
        };
        e = vtx_place_create(&pl, &cfg);
        if (e) {
            fprintf(err, "vtx: cannot set up page tracking (topology '%s', policy '%s'): %s\n",
                    o->topology ? o->topology : "host",
                    o->policy.lib ? o->policy.lib : o->policy.name ? o->policy.name : "none",
                    strerror(-e));
            return setup_failed(host, true, vms, NULL, &img);
        }
        host->placement = pl;
    }
    unsigned model_nodes = plan->model_nodes;
    if (pl && vtx_place_nodes(pl) != model_nodes) {   /* the host changed under us */
        fprintf(err, "vtx: the node model has %u node(s), not the %u checked before\n",
                vtx_place_nodes(pl), model_nodes);
        return setup_failed(host, true, vms, pl, &img);
    }

    /* ---- create and start ---- */
    uint64_t free0 = vtx_mem_host_kib("MemFree"), rss0 = self_rss_kib();
    uint64_t t0 = vtx_now_ns();
    unsigned created = 0, start_failed = 0;
    for (unsigned i = 0; i < o->vms; i++) {
        unsigned m = o->spread ? i % model_nodes : (unsigned)o->node % model_nodes;
        int os = pl ? vtx_place_os_node(pl, m, NULL) : (int)m;
        e = vtx_vm_create(&vms[i], host, i, os, (int)m, &img, o->mem, o->arg);
        if (!e && pl)
            e = vtx_place_add_vm(pl, &vms[i]);
        if (!e)
            e = vtx_vm_start(&vms[i]);
        if (e) {
            fprintf(err, "vtx: VM %u could not start: %s\n", i,
                    vms[i].why[0] ? vms[i].why : strerror(-e));
            atomic_store(&vms[i].state, VTX_VM_FAILED);
            start_failed++;
            break;             /* a host limit: keep what runs, report it */
        }
        created++;
    }
    uint64_t t_started = vtx_now_ns();

    /* ---- hold: all VMs alive at once ---- */
    unsigned alive = 0;
    uint64_t free_peak = 0, rss_peak = 0;
    if (o->hold) {
        alive = vtx_host_wait_held(host, created, o->hold_timeout_ms);
        free_peak = vtx_mem_host_kib("MemFree");
        rss_peak = self_rss_kib();
        if (pl)
            for (unsigned i = 0; i < created; i++)
                vtx_place_harvest(pl, &vms[i]);
        if (o->cow_report && pl) {
            long shared = 0, priv = 0, pfn_sh = 0, pfn_pr = 0;
            for (unsigned i = 0; i < created; i++) {
                struct vtx_image_use u;
                if (vtx_place_image_use(pl, &vms[i], &u))
                    continue;
                shared += u.pmap_shared;
                priv += u.pmap_private;
                if (u.pfn_shared >= 0) {
                    pfn_sh += u.pfn_shared;
                    pfn_pr += u.pfn_private;
                } else {
                    pfn_sh = pfn_pr = -1;
                }
                if (u.pmap_private)
                    fprintf(out, "vtx: vm %u image pages private (pmap): %ld, private (pagemap): %ld\n",
                            i, u.pmap_private, u.pfn_private);
            }
            fprintf(out, "vtx: image %llu pages; VM image pages shared in pmap: %ld, private: %ld; "
                    "resident through pagemap: shared with replica %ld, private %ld\n",
                    (unsigned long long)img_pages, shared, priv, pfn_sh, pfn_pr);
        }
        vtx_host_release(host);
    }

    /* ---- migration of running VMs ---- */
    if (o->migrate_to >= 0 && pl) {
        for (unsigned i = 0; i < created; i++) {
            /* wait for the guest to finish its first pass (phase 1), or to stop */
            while (atomic_load(&vms[i].phase) < 1 && atomic_load(&vms[i].state) == VTX_VM_RUNNING)
                nanosleep(&(struct timespec){0, 200000}, NULL);
            if (atomic_load(&vms[i].state) != VTX_VM_RUNNING) {
                fprintf(out, "vtx: vm %u ended before it could be migrated\n", i);
                continue;
            }
            uint64_t tm = vtx_now_ns();
            long moved = vtx_place_migrate_vm(pl, &vms[i], (unsigned)o->migrate_to);
            tm = vtx_now_ns() - tm;
            uint64_t checked, absent;
            long badp = vtx_place_verify(pl, &vms[i], &checked, &absent);
            bool folded = false;
            int os = vtx_place_os_node(pl, (unsigned)o->migrate_to, &folded);
            fprintf(out, "vtx: vm %u migrated to node %d (OS node %d%s) while running: %ld pages "
                    "in %.2f ms; placement check: %llu resident pages agree%s, %ld disagree\n",
                    i, o->migrate_to, os, folded ? ", folded: one-node host" : "", moved,
                    tm / 1e6, (unsigned long long)(checked - (uint64_t)(badp > 0 ? badp : 0)),
                    "", badp);
            if (moved < 0 || badp != 0)
                atomic_store(&vms[i].state, VTX_VM_FAILED);
        }
    }

    /* ---- move only the vCPUs: the policy then migrates the pages they write ---- */
    if (o->move_vcpu_to >= 0 && pl) {
        for (unsigned i = 0; i < created; i++) {
            while (atomic_load(&vms[i].phase) < 1 && atomic_load(&vms[i].state) == VTX_VM_RUNNING)
                nanosleep(&(struct timespec){0, 200000}, NULL);
            if (vtx_place_move_vcpu(pl, &vms[i], (unsigned)o->move_vcpu_to) == 0)
                fprintf(out, "vtx: vm %u vCPU moved to node %d; its memory stays until the "
                        "policy moves hot pages\n", i, o->move_vcpu_to);
        }
    }

    /* ---- policy-driven harvesting while VMs run ---- */
    if (pl && host->dirty_ram) {
        for (;;) {
            pthread_mutex_lock(&host->lock);
            unsigned running = host->running;
            pthread_mutex_unlock(&host->lock);
            if (!running)
                break;
            for (unsigned i = 0; i < created; i++)
                if (atomic_load(&vms[i].state) == VTX_VM_RUNNING)
                    vtx_place_harvest(pl, &vms[i]);
            nanosleep(&(struct timespec){0, 5000000}, NULL);
        }
    }

    for (unsigned i = 0; i < created; i++)
        vtx_vm_join(&vms[i]);
    uint64_t t_end = vtx_now_ns();
    uint64_t free_end = vtx_mem_host_kib("MemFree"), rss_end = self_rss_kib();
    if (!o->hold) {
        free_peak = free_end;
        rss_peak = rss_end;
    }

    /* ---- per-VM output and checks ---- */
    unsigned ok = 0, failed = start_failed, bad_sum = 0;
    double lat_min = 1e30, lat_max = 0, lat_sum = 0;
    uint64_t resident = 0;
    for (unsigned i = 0; i < created; i++) {
        struct vtx_vm *vm = &vms[i];
        resident += guest_resident_pages(vm);
        if (pl) {
            vtx_place_harvest(pl, vm);
            uint64_t checked, absent;
            long badp = vtx_place_verify(pl, vm, &checked, &absent);
            if (badp) {
                fprintf(out, "vtx: vm %u: pmap disagrees with the kernel on %ld pages\n", i, badp);
                atomic_store(&vm->state, VTX_VM_FAILED);
            }
        }
        double lat = (vm->t_exit_ns - vm->t_start_ns) / 1e6;
        if (lat < lat_min) lat_min = lat;
        if (lat > lat_max) lat_max = lat;
        lat_sum += lat;
        if (!o->quiet && vm->console_len) {
            const char *p = vm->console;
            while (*p) {
                const char *nl = strchr(p, '\n');
                int len = nl ? (int)(nl - p) : (int)strlen(p);
                fprintf(out, "[vm %u] %.*s\n", i, len, p);
                p += len + (nl ? 1 : 0);
            }
        }
        if (o->verify_memtouch) {
            uint64_t mb = o->arg & 0xffffffffULL, bytes = mb ? mb << 20 : vm->ram.size;
            if (bytes > vm->ram.size)
                bytes = vm->ram.size;
            uint64_t want = vtx_wl_expected(i, bytes / 8);
            if (!(vm->reported & 1) || vm->report[0] != want) {
                bad_sum++;
                fprintf(out, "vtx: vm %u checksum %016llx, expected %016llx\n", i,
                        (unsigned long long)vm->report[0], (unsigned long long)want);
            }
        }
        int st = atomic_load(&vm->state);
        if (st == VTX_VM_EXITED && vm->exit_code == 0) {
            ok++;
        } else {
            failed++;
            if (st == VTX_VM_EXITED)
                fprintf(out, "vtx: vm %u exited with status %d\n", i, vm->exit_code);
            else
                fprintf(out, "vtx: vm %u failed: %s\n", i, vm->why[0] ? vm->why : "see above");
        }
    }

    /* ---- summary ---- */
    fprintf(out, "vtx: VMs started: %u of %u, exited ok: %u, failed: %u\n", created, o->vms, ok, failed);
    if (created)
        fprintf(out, "vtx: start-to-exit latency: min %.3f ms, mean %.3f ms, max %.3f ms; "
                "all started in %.1f ms, all done in %.1f ms\n", lat_min, lat_sum / created,
                lat_max, (t_started - t0) / 1e6, (t_end - t0) / 1e6);
    int64_t used_kib = (int64_t)free0 - (int64_t)free_peak;
    int64_t guest_kib = (int64_t)(resident * 4);
    fprintf(out, "vtx: host memory used: %lld KiB (process RSS +%lld KiB); guest pages resident: "
            "%lld KiB; overhead beyond guest RAM: %lld KiB per VM\n", (long long)used_kib,
            (long long)rss_peak - (long long)rss0, (long long)guest_kib,
            created ? (long long)(used_kib - guest_kib) / created : 0LL);
    if (o->hold)
        fprintf(out, "vtx: alive at once: %u\n", alive);
    if (o->verify_memtouch)
        fprintf(out, "vtx: checksums ok: %u/%u\n", created - bad_sum, created);
    if (pl) {
        struct vtx_place_stats st;
        vtx_place_get_stats(pl, &st);
        const struct numa_policy *pol = vtx_place_policy(pl);
        fprintf(out, "vtx: pmap: %llu pages mapped, %llu migrations (%.1f us each in move_pages), "
                "%llu failed, %llu COW breaks, %llu replicas, %llu dirty pages seen, policy %s: "
                "%llu decisions\n", (unsigned long long)st.pages_mapped,
                (unsigned long long)st.migrations,
                st.migrations ? st.move_ns / 1e3 / st.migrations : 0.0,
                (unsigned long long)st.migrate_failed, (unsigned long long)st.cow_breaks,
                (unsigned long long)st.replicas, (unsigned long long)st.dirty_pages,
                pol->ops->name, (unsigned long long)pol->stats.decisions);
        if (host->dirty_ram) {          /* where the vCPUs ran when they wrote */
            fprintf(out, "vtx: dirty RAM pages charged by the node their vCPU ran on:");
            for (unsigned n = 0; n < model_nodes && n < NUMA_MAX_NODES; n++)
                fprintf(out, " node %u: %llu%s", n, (unsigned long long)st.charged[n],
                        n + 1 < model_nodes ? "," : "\n");
        }
        if (host->dirty_ram)
            print_policy(out, pl, &o->policy, &st);
        char why[160] = "";
        if (vtx_place_check(pl, why, sizeof(why))) {
            fprintf(out, "vtx: memmap inconsistent: %s\n", why);
            failed++;
        }
    }
    for (unsigned i = 0; i < o->vms; i++) {
        if (pl && i < created)
            vtx_place_remove_vm(pl, &vms[i]);
        if (i < created || vms[i].host)
            vtx_vm_destroy(&vms[i]);
    }
    vtx_place_destroy(pl);
    vtx_host_fini(host);
    vtx_image_close(&img);
    free(vms);
    free(host);
    if (start_failed && created == 0)
        return 2;
    return (failed || bad_sum) ? 1 : 0;
}
#undef img
