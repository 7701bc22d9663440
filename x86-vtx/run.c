/* run.c - `vtx run`: after vtx_run_check, the run in phases: set up the host and page
 * tracking, create and start the VMs, hold them alive at once, migrate them or move their
 * vCPUs, harvest dirty logs for the policy, then check and report each VM and sum up.
 * One struct run carries the state from phase to phase; run_teardown undoes whatever
 * exists, after a complete run or a set-up that stopped half-way. */
#include "x86-vtx/run.h"
#include "x86-vtx/guests/workload.h"
#include "x86-vtx/layout.h"
#include "x86-vtx/placement.h"
#include "x86-vtx/vm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define PHASE_POLL_NS   200000     /* waiting for a guest to reach phase 1 */
#define HARVEST_EVERY_NS 5000000   /* dirty-log harvest interval for the policy */

struct run {
    const struct vtx_run_opts *o;
    const struct vtx_run_plan *plan;
    FILE *out, *err;
    struct vtx_image *img;
    struct vtx_host *host;
    bool host_open;
    struct vtx_vm *vms;
    struct vtx_placement *pl;      /* NULL with --no-track */
    uint64_t img_pages;
    unsigned created, start_failed;
    unsigned alive;                /* --hold: VMs alive at once */
    uint64_t free0, rss0, free_peak, rss_peak;    /* KiB */
    uint64_t t0, t_started, t_end;                /* ns */
};

/* What the per-VM checks found. */
struct run_result {
    unsigned ok, failed, bad_sum;
    double lat_min, lat_max, lat_sum;              /* ms */
    uint64_t resident;                             /* guest pages resident */
};

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

/* ---- set-up and tear-down --------------------------------------------------------- */

static int setup_tracking(struct run *r)
{
    const struct vtx_run_opts *o = r->o;
    struct vtx_place_cfg cfg = {
        .topology = o->topology, .choice = &o->policy, .trace = r->plan->trace,
        .max_vms = o->vms,
        .image_pages = (unsigned)r->img_pages,
        .frames_per_node = (uint64_t)o->vms * (VTX_BOOT_SIZE / VTX_PAGE_SIZE + r->img_pages +
                                               o->mem / VTX_PAGE_SIZE) + r->img_pages,
    };
    int e = vtx_place_create(&r->pl, &cfg);
    if (e) {
        r->pl = NULL;
        fprintf(r->err, "vtx: cannot set up page tracking (topology '%s', policy '%s'): %s\n",
                o->topology ? o->topology : "host",
                o->policy.lib ? o->policy.lib : o->policy.name ? o->policy.name : "none",
                strerror(-e));
        return 2;
    }
    r->host->placement = r->pl;
    if (vtx_place_nodes(r->pl) != r->plan->model_nodes) {   /* the host changed under us */
        fprintf(r->err, "vtx: the node model has %u node(s), not the %u checked before\n",
                vtx_place_nodes(r->pl), r->plan->model_nodes);
        return 2;
    }
    return 0;
}

/* Open KVM, the host context and page tracking. 0, or 2 after one error line. */
static int run_setup(struct run *r)
{
    const struct vtx_run_opts *o = r->o;
    raise_limits();
    r->img_pages = r->img->info.image_size / VTX_PAGE_SIZE;
    r->host = calloc(1, sizeof(*r->host));
    r->vms = calloc(o->vms, sizeof(*r->vms));
    if (!r->host || !r->vms) {
        fprintf(r->err, "vtx: out of memory for %u VMs\n", o->vms);
        return 2;
    }
    int e = vtx_host_init(r->host, o->kvm_path);
    if (e) {
        fprintf(r->err, "vtx: cannot open KVM at %s: %s\n", o->kvm_path, strerror(-e));
        return 2;
    }
    r->host_open = true;
    r->host->dirty_image = o->track;
    r->host->dirty_ram = o->track && vtx_run_uses_policy(o);
    return o->track ? setup_tracking(r) : 0;
}

static void run_teardown(struct run *r)
{
    for (unsigned i = 0; r->vms && i < r->o->vms; i++) {
        if (r->pl && i < r->created)
            vtx_place_remove_vm(r->pl, &r->vms[i]);
        if (i < r->created || r->vms[i].host)
            vtx_vm_destroy(&r->vms[i]);
    }
    vtx_place_destroy(r->pl);
    if (r->host_open)
        vtx_host_fini(r->host);
    vtx_image_close(r->img);
    free(r->vms);
    free(r->host);
}

/* ---- create and start ------------------------------------------------------------- */

static void run_start_vms(struct run *r)
{
    const struct vtx_run_opts *o = r->o;
    unsigned model_nodes = r->plan->model_nodes;
    r->free0 = vtx_mem_host_kib("MemFree");
    r->rss0 = self_rss_kib();
    r->t0 = vtx_now_ns();
    for (unsigned i = 0; i < o->vms; i++) {
        struct vtx_vm *vm = &r->vms[i];
        unsigned m = o->spread ? i % model_nodes : (unsigned)o->node % model_nodes;
        int os = r->pl ? vtx_place_os_node(r->pl, m, NULL) : (int)m;
        int e = vtx_vm_create(vm, r->host, i, os, (int)m, r->img, o->mem, o->arg);
        if (!e && r->pl)
            e = vtx_place_add_vm(r->pl, vm);
        if (!e)
            e = vtx_vm_start(vm);
        if (e) {
            fprintf(r->err, "vtx: VM %u could not start: %s\n", i,
                    vm->why[0] ? vm->why : strerror(-e));
            atomic_store(&vm->state, VTX_VM_FAILED);
            r->start_failed++;
            break;             /* a host limit: keep what runs, report it */
        }
        r->created++;
    }
    r->t_started = vtx_now_ns();
}

/* ---- hold: all VMs alive at once ---------------------------------------------------- */

static void cow_report(struct run *r)
{
    long shared = 0, priv = 0, pfn_sh = 0, pfn_pr = 0;
    for (unsigned i = 0; i < r->created; i++) {
        struct vtx_image_use u;
        if (vtx_place_image_use(r->pl, &r->vms[i], &u))
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
            fprintf(r->out, "vtx: vm %u image pages private (pmap): %ld, private (pagemap): %ld\n",
                    i, u.pmap_private, u.pfn_private);
    }
    fprintf(r->out, "vtx: image %llu pages; VM image pages shared in pmap: %ld, private: %ld; "
            "resident through pagemap: shared with replica %ld, private %ld\n",
            (unsigned long long)r->img_pages, shared, priv, pfn_sh, pfn_pr);
}

static void run_hold(struct run *r)
{
    if (!r->o->hold)
        return;
    r->alive = vtx_host_wait_held(r->host, r->created, r->o->hold_timeout_ms);
    r->free_peak = vtx_mem_host_kib("MemFree");
    r->rss_peak = self_rss_kib();
    if (r->pl)
        for (unsigned i = 0; i < r->created; i++)
            vtx_place_harvest(r->pl, &r->vms[i]);
    if (r->o->cow_report && r->pl)
        cow_report(r);
    vtx_host_release(r->host);
}

/* ---- migration of running VMs, or of their vCPUs only -------------------------------- */

/* Wait for the guest to finish its first pass (phase 1), or to stop. */
static void wait_phase1(const struct vtx_vm *vm)
{
    while (atomic_load(&vm->phase) < 1 && atomic_load(&vm->state) == VTX_VM_RUNNING)
        nanosleep(&(struct timespec){0, PHASE_POLL_NS}, NULL);
}

static void migrate_one(struct run *r, unsigned i)
{
    struct vtx_vm *vm = &r->vms[i];
    unsigned to = (unsigned)r->o->migrate_to;
    wait_phase1(vm);
    if (atomic_load(&vm->state) != VTX_VM_RUNNING) {
        fprintf(r->out, "vtx: vm %u ended before it could be migrated\n", i);
        return;
    }
    uint64_t tm = vtx_now_ns();
    long moved = vtx_place_migrate_vm(r->pl, vm, to);
    tm = vtx_now_ns() - tm;
    uint64_t checked, absent;
    long badp = vtx_place_verify(r->pl, vm, &checked, &absent);
    bool folded = false;
    int os = vtx_place_os_node(r->pl, to, &folded);
    fprintf(r->out, "vtx: vm %u migrated to node %u (OS node %d%s) while running: %ld pages "
            "in %.2f ms; placement check: %llu resident pages agree, %ld disagree\n",
            i, to, os, folded ? ", folded: one-node host" : "", moved, tm / 1e6,
            (unsigned long long)(checked - (uint64_t)(badp > 0 ? badp : 0)), badp);
    if (moved < 0 || badp != 0)
        atomic_store(&vm->state, VTX_VM_FAILED);
}

static void run_migrate(struct run *r)
{
    if (r->o->migrate_to < 0 || !r->pl)
        return;
    for (unsigned i = 0; i < r->created; i++)
        migrate_one(r, i);
}

/* Move only the vCPUs: the policy then migrates the pages they write. */
static void run_move_vcpus(struct run *r)
{
    if (r->o->move_vcpu_to < 0 || !r->pl)
        return;
    for (unsigned i = 0; i < r->created; i++) {
        wait_phase1(&r->vms[i]);
        if (vtx_place_move_vcpu(r->pl, &r->vms[i], (unsigned)r->o->move_vcpu_to) == 0)
            fprintf(r->out, "vtx: vm %u vCPU moved to node %d; its memory stays until the "
                    "policy moves hot pages\n", i, r->o->move_vcpu_to);
    }
}

/* ---- policy-driven harvesting while VMs run, then the end of the run ------------------ */

static void run_harvest(struct run *r)
{
    if (!r->pl || !r->host->dirty_ram)
        return;
    for (;;) {
        pthread_mutex_lock(&r->host->lock);
        unsigned running = r->host->running;
        pthread_mutex_unlock(&r->host->lock);
        if (!running)
            break;
        for (unsigned i = 0; i < r->created; i++)
            if (atomic_load(&r->vms[i].state) == VTX_VM_RUNNING)
                vtx_place_harvest(r->pl, &r->vms[i]);
        nanosleep(&(struct timespec){0, HARVEST_EVERY_NS}, NULL);
    }
}

static void run_join(struct run *r)
{
    for (unsigned i = 0; i < r->created; i++)
        vtx_vm_join(&r->vms[i]);
    r->t_end = vtx_now_ns();
    if (!r->o->hold) {
        r->free_peak = vtx_mem_host_kib("MemFree");
        r->rss_peak = self_rss_kib();
    }
}

/* ---- per-VM output and checks --------------------------------------------------------- */

static void print_console(struct run *r, unsigned i)
{
    const char *p = r->vms[i].console;
    while (*p) {
        const char *nl = strchr(p, '\n');
        int len = nl ? (int)(nl - p) : (int)strlen(p);
        fprintf(r->out, "[vm %u] %.*s\n", i, len, p);
        p += len + (nl ? 1 : 0);
    }
}

/* memtouch's checksum, recomputed on the host. Returns true if right. */
static bool checksum_ok(struct run *r, unsigned i)
{
    const struct vtx_vm *vm = &r->vms[i];
    uint64_t mb = r->o->arg & 0xffffffffULL, bytes = mb ? mb << 20 : vm->ram.size;
    if (bytes > vm->ram.size)
        bytes = vm->ram.size;
    uint64_t want = vtx_wl_expected(i, bytes / 8);
    if ((vm->reported & 1) && vm->report[0] == want)
        return true;
    fprintf(r->out, "vtx: vm %u checksum %016llx, expected %016llx\n", i,
            (unsigned long long)vm->report[0], (unsigned long long)want);
    return false;
}

static void check_vm(struct run *r, unsigned i, struct run_result *res)
{
    struct vtx_vm *vm = &r->vms[i];
    res->resident += guest_resident_pages(vm);
    if (r->pl) {
        vtx_place_harvest(r->pl, vm);
        uint64_t checked, absent;
        long badp = vtx_place_verify(r->pl, vm, &checked, &absent);
        if (badp) {
            fprintf(r->out, "vtx: vm %u: pmap disagrees with the kernel on %ld pages\n", i, badp);
            atomic_store(&vm->state, VTX_VM_FAILED);
        }
    }
    double lat = (vm->t_exit_ns - vm->t_start_ns) / 1e6;
    if (lat < res->lat_min) res->lat_min = lat;
    if (lat > res->lat_max) res->lat_max = lat;
    res->lat_sum += lat;
    if (!r->o->quiet && vm->console_len)
        print_console(r, i);
    if (r->o->verify_memtouch && !checksum_ok(r, i))
        res->bad_sum++;
    int st = atomic_load(&vm->state);
    if (st == VTX_VM_EXITED && vm->exit_code == 0) {
        res->ok++;
        return;
    }
    res->failed++;
    if (st == VTX_VM_EXITED)
        fprintf(r->out, "vtx: vm %u exited with status %d\n", i, vm->exit_code);
    else
        fprintf(r->out, "vtx: vm %u failed: %s\n", i, vm->why[0] ? vm->why : "see above");
}

/* ---- summary ------------------------------------------------------------------------- */

/* What the policy decided on the dirty-log hot pages, and its own report. */
static void print_policy(struct run *r, const struct vtx_place_stats *st)
{
    const struct numa_policy *pol = vtx_place_policy(r->pl);
    const struct numa_policy_stats *ps = &pol->stats;
    const struct numa_policy_choice *choice = &r->o->policy;
    fprintf(r->out, "vtx: policy %s (%s%s): %llu hot-page events; decided: %llu migrate, "
            "%llu replicate, %llu collapse; KVM refused %llu replicate and %llu collapse "
            "(guest RAM has no read-only replicas); refused:",
            pol->ops->name, choice->lib ? "loaded from " : "built in",
            choice->lib ? choice->lib : "", (unsigned long long)st->hot_events,
            (unsigned long long)ps->migrations + st->migrate_failed,
            (unsigned long long)ps->replications + st->replicate_refused,
            (unsigned long long)ps->collapses + st->collapse_refused,
            (unsigned long long)st->replicate_refused, (unsigned long long)st->collapse_refused);
    bool any = false;
    for (int k = NUMA_REFUSE_POLICY; k < NUMA_REFUSE_COUNT; k++)
        if (ps->refused[k]) {
            fprintf(r->out, "%s %s %llu", any ? "," : "",
                    numa_refusal_name((enum numa_refusal)k), (unsigned long long)ps->refused[k]);
            any = true;
        }
    fprintf(r->out, "%s\n", any ? "" : " none");
    char rep[512];
    vtx_place_policy_report(r->pl, rep, sizeof(rep));
    if (rep[0])
        fprintf(r->out, "vtx: policy %s report: {%s}\n", pol->ops->name, rep);
}

static void print_tracking(struct run *r, struct run_result *res)
{
    struct vtx_place_stats st;
    vtx_place_get_stats(r->pl, &st);
    const struct numa_policy *pol = vtx_place_policy(r->pl);
    fprintf(r->out, "vtx: pmap: %llu pages mapped, %llu migrations (%.1f us each in move_pages), "
            "%llu failed, %llu COW breaks, %llu replicas, %llu dirty pages seen, policy %s: "
            "%llu decisions\n", (unsigned long long)st.pages_mapped,
            (unsigned long long)st.migrations,
            st.migrations ? st.move_ns / 1e3 / st.migrations : 0.0,
            (unsigned long long)st.migrate_failed, (unsigned long long)st.cow_breaks,
            (unsigned long long)st.replicas, (unsigned long long)st.dirty_pages,
            pol->ops->name, (unsigned long long)pol->stats.decisions);
    if (r->host->dirty_ram) {          /* where the vCPUs ran when they wrote */
        unsigned model_nodes = r->plan->model_nodes;
        fprintf(r->out, "vtx: dirty RAM pages charged by the node their vCPU ran on:");
        for (unsigned n = 0; n < model_nodes && n < NUMA_MAX_NODES; n++)
            fprintf(r->out, " node %u: %llu%s", n, (unsigned long long)st.charged[n],
                    n + 1 < model_nodes ? "," : "\n");
        print_policy(r, &st);
    }
    char why[160] = "";
    if (vtx_place_check(r->pl, why, sizeof(why))) {
        fprintf(r->out, "vtx: memmap inconsistent: %s\n", why);
        res->failed++;
    }
}

static void print_summary(struct run *r, struct run_result *res)
{
    unsigned n = r->created;
    fprintf(r->out, "vtx: VMs started: %u of %u, exited ok: %u, failed: %u\n", n, r->o->vms,
            res->ok, res->failed);
    if (n)
        fprintf(r->out, "vtx: start-to-exit latency: min %.3f ms, mean %.3f ms, max %.3f ms; "
                "all started in %.1f ms, all done in %.1f ms\n", res->lat_min,
                res->lat_sum / n, res->lat_max, (r->t_started - r->t0) / 1e6,
                (r->t_end - r->t0) / 1e6);
    int64_t used_kib = (int64_t)r->free0 - (int64_t)r->free_peak;
    int64_t guest_kib = (int64_t)(res->resident * 4);
    fprintf(r->out, "vtx: host memory used: %lld KiB (process RSS +%lld KiB); guest pages "
            "resident: %lld KiB; overhead beyond guest RAM: %lld KiB per VM\n",
            (long long)used_kib, (long long)r->rss_peak - (long long)r->rss0,
            (long long)guest_kib, n ? (long long)(used_kib - guest_kib) / n : 0LL);
    if (r->o->hold)
        fprintf(r->out, "vtx: alive at once: %u\n", r->alive);
    if (r->o->verify_memtouch)
        fprintf(r->out, "vtx: checksums ok: %u/%u\n", n - res->bad_sum, n);
    if (r->pl)
        print_tracking(r, res);
}

/* ---- the run ------------------------------------------------------------------------- */

static int run_all(struct run *r)
{
    int rc = run_setup(r);
    if (rc)
        return rc;
    run_start_vms(r);
    run_hold(r);
    run_migrate(r);
    run_move_vcpus(r);
    run_harvest(r);
    run_join(r);
    struct run_result res = { .failed = r->start_failed, .lat_min = 1e30 };
    for (unsigned i = 0; i < r->created; i++)
        check_vm(r, i, &res);
    print_summary(r, &res);
    if (r->start_failed && r->created == 0)
        return 2;
    return (res.failed || res.bad_sum) ? 1 : 0;
}

int vtx_run(const struct vtx_run_opts *o, FILE *out, FILE *err)
{
    struct vtx_image *img = malloc(sizeof(*img));
    if (!img) {
        fprintf(err, "vtx: out of memory\n");
        return 2;
    }
    struct vtx_run_plan plan;
    int rc = vtx_run_check(o, img, &plan, err);   /* everything before KVM is touched */
    if (!rc) {
        struct run r = { .o = o, .plan = &plan, .out = out, .err = err, .img = img };
        rc = run_all(&r);
        run_teardown(&r);
    }
    if (plan.trace)
        fclose(plan.trace);
    free(img);
    return rc;
}
