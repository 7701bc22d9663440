/*
 * numa.c - hot pages -> policy -> migrate / replicate, the NUMA half of Disco.
 *
 * The board's FLASH-style counters (mips-sim/mem/hotpage.h) raise an event when one
 * node's cache misses on a machine page reach the threshold; the machine hands it to
 * the monitor (machine_set_hotpage_hook) once the instruction that made the page hot
 * has completed, on that CPU's turn, where the monitor may do what a trap handler may.
 * It is queued and handled at once (the queue also serves a caller that cannot act
 * yet), as Disco took the counters' interrupt: the memmap describes the page (home,
 * replicas, moves, users), the policy (numa/policy_abi.h: built in, "disco" by default,
 * or loaded with --policy-lib) decides, and the memmap applies the decision - copying
 * the page, switching every user's pmap entry and shooting down every cached
 * translation through the backmaps. Pages the monitor owns (HAL pages, the zero page)
 * are not in the memmap and are ignored.
 *
 * Refusals the monitor makes itself, before asking the policy:
 *   - cow-shared: a page shared copy-on-write by several VMs. The memmap could move it
 *     for all of them, but one VM's policy (and its counters) would then place another
 *     VM's memory; the page is left where it is until a write breaks the sharing.
 *   - device buffers: none to refuse. The virtual devices read and write guest memory
 *     through the pmap within the trap that starts a transfer, so no page is ever in
 *     flight across a monitor entry, and a hot-page event runs only between entries.
 *
 * --numa-trace FILE: one JSON line per decision (including refusals): time (cycles),
 * CPU, VM, guest page, machine frame from -> to, action, refusal reason, the counts it
 * decided on, written, moves so far, users, and the monitor cycles charged (event
 * handling + copy + remap + shootdowns + IPIs).
 *
 * Invariant: the queue holds at most NUMA_QUEUE events; more are dropped and counted.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/internal.h"
#include "pmap/memmap.h"

static void mon_numa_event(void *ctx, const hotpage_event *ev)
{
    struct mon *mon = ctx;
    struct mon_numa *n = &mon->numa;
    if (n->sampling) {                    /* autonuma decides on hinting faults only */
        n->counter_ignored++;
        return;
    }
    if (n->queued == NUMA_QUEUE) {
        n->dropped++;
        return;
    }
    n->queue[n->queued++] = *ev;
    if (ev->cpu >= 0 && ev->cpu < mon->npcpus)
        mon_numa_drain(&mon->pcpus[ev->cpu]);
}

static int numa_policy_from_cfg(struct mon *mon, const struct numa_policy_params *params,
                                char *err, size_t errlen)
{
    const struct mon_config *cfg = &mon->cfg;
    unsigned nnodes = (unsigned)cfg->board.nodes;
    if (cfg->policy_lib)
        return numa_policy_load(&mon->numa.policy, cfg->policy_lib, params, nnodes,
                                cfg->policy_kv, cfg->policy_nkv, err, errlen);
    const char *name = cfg->policy ? cfg->policy : "disco";
    const struct numa_policy_ops *ops = numa_policy_ops_by_name(name);
    if (!ops) {
        snprintf(err, errlen, "unknown --policy '%s' (%s)", name, numa_policy_builtin_names());
        return -EINVAL;
    }
    return numa_policy_setup(&mon->numa.policy, ops, params, nnodes, cfg->policy_kv,
                             cfg->policy_nkv, err, errlen);
}

/* autonuma's sampling parameters, read by the monitor (which does the sampling) before
 * the policy sees the rest: scan_pages (pages marked per VM and period, default
 * NUMA_SCAN_PAGES) and scan_period_us (default NUMA_SCAN_PERIOD_US). */
#define NUMA_SCAN_PAGES 256u
#define NUMA_SCAN_PERIOD_US 1000u
#define NUMA_SCAN_MAX 1000000ull

static int numa_scan_param(struct mon *mon, const char *key, uint64_t *out, char *err,
                           size_t errlen)
{
    const struct mon_config *cfg = &mon->cfg;
    for (unsigned i = 0; i < cfg->policy_nkv; i++) {
        struct numa_policy_kv *kv = &cfg->policy_kv[i];
        if (strcmp(kv->key, key) != 0)
            continue;
        char *end;
        errno = 0;
        unsigned long long x = strtoull(kv->value, &end, 10);
        if (errno || end == kv->value || *end || kv->value[0] == '-' || x < 1 || x > NUMA_SCAN_MAX) {
            snprintf(err, errlen, "bad --policy-param %s='%s' (expected 1..%llu)", key,
                     kv->value, NUMA_SCAN_MAX);
            return -EINVAL;
        }
        kv->used = true;
        *out = x;
    }
    return 0;
}

static int numa_sampling_setup(struct mon *mon, char *err, size_t errlen)
{
    struct mon_numa *n = &mon->numa;
    uint64_t pages = NUMA_SCAN_PAGES, us = NUMA_SCAN_PERIOD_US;
    if (numa_scan_param(mon, "scan_pages", &pages, err, errlen) ||
        numa_scan_param(mon, "scan_period_us", &us, err, errlen))
        return -EINVAL;
    n->sampling = true;
    n->scan_pages = (uint32_t)pages;
    n->scan_period = us * (mon->cfg.machine.clock_hz / 1000000u);
    n->scan_cur = n->scan_period;
    n->next_scan = n->scan_period;
    return 0;
}

int mon_numa_setup(struct mon *mon, char *err, size_t errlen)
{
    struct numa_policy_params params;
    numa_policy_default_params(&params);
    params.trigger_threshold = mon->cfg.board.hot.threshold;  /* the counters' own */
    params.sharing_threshold = params.trigger_threshold / 2;
    err[0] = 0;
    const struct mon_config *cfg = &mon->cfg;
    if (!cfg->policy_lib && cfg->policy && numa_policy_ops_by_name(cfg->policy) ==
                                               &numa_policy_autonuma_ops &&
        numa_sampling_setup(mon, err, errlen))
        return -EINVAL;
    if (numa_policy_from_cfg(mon, &params, err, errlen))
        return -EINVAL;
    mon->numa.iv_period = mon->cfg.board.hot.reset_cycles ? mon->cfg.board.hot.reset_cycles : 1;
    if (mon->cfg.numa_trace) {
        mon->numa.trace = fopen(mon->cfg.numa_trace, "w");
        if (!mon->numa.trace) {
            snprintf(err, errlen, "cannot write --numa-trace %s: %s", mon->cfg.numa_trace,
                     strerror(errno));
            return -EINVAL;
        }
    }
    machine_set_hotpage_hook(&mon->m, mon_numa_event, mon);  /* -ENODEV: no counters */
    return 0;
}

void mon_numa_teardown(struct mon *mon)
{
    if (mon->numa.trace)
        fclose(mon->numa.trace);
    mon->numa.trace = NULL;
    numa_policy_fini(&mon->numa.policy);
    for (int i = 0; i < MON_MAX_VMS; i++) {
        free(mon->numa.hint[i]);
        mon->numa.hint[i] = NULL;
    }
    free(mon->numa.iv);
    mon->numa.iv = NULL;
}

/* Users of the page, for the policy; true if they span several VMs (COW across VMs). */
static bool numa_users(struct mon *mon, uint64_t mfn, struct numa_page_user *out,
                       unsigned *n)
{
    struct memmap_user mu[NUMA_TRACE_USERS];
    int got = memmap_users(mon->mm, mfn, mu, NUMA_TRACE_USERS);
    unsigned k = got < 0 ? 0 : (unsigned)got;
    bool cross = false;
    for (unsigned i = 0; i < k && i < NUMA_TRACE_USERS; i++) {
        out[i] = (struct numa_page_user){ .vm = mu[i].vm, .gpn = mu[i].gpn };
        cross |= mu[i].vm != mu[0].vm;
    }
    *n = k < NUMA_TRACE_USERS ? k : NUMA_TRACE_USERS;
    return cross;
}

static const char *numa_vm_name(struct mon *mon, const struct numa_hot_page *hp)
{
    if (!hp->nusers)
        return "";
    uint32_t id = hp->users[0].vm;
    for (int i = 0; i < mon->nvms; i++)
        if ((uint32_t)mon->vms[i]->id == id)
            return mon->vms[i]->name;
    return "";
}

static void numa_trace(struct pcpu *p, const struct numa_hot_page *hp,
                       const struct numa_decision *d, uint64_t to, bool failed, uint64_t cost)
{
    FILE *f = p->mon->numa.trace;
    if (!f)
        return;
    fprintf(f, "{\"t\": %" PRIu64 ", \"cpu\": %d, \"vm\": \"%s\", \"gpn\": %" PRId64
               ", \"mfn_from\": %" PRIu64 ", \"mfn_to\": %" PRIu64 ", \"home\": %u",
            hp->now, p->id, numa_vm_name(p->mon, hp),
            hp->nusers ? (int64_t)hp->users[0].gpn : -1, hp->mfn, to, hp->home);
    fprintf(f, ", \"action\": \"%s\", \"reason\": \"%s\"",
            failed ? "none" : numa_action_name(d->action),
            numa_refusal_name(failed ? NUMA_REFUSE_NO_MEMORY : d->reason));
    if (d->action == NUMA_ACTION_MIGRATE)
        fprintf(f, ", \"node\": %u", d->node);
    if (d->action == NUMA_ACTION_REPLICATE)
        fprintf(f, ", \"nodes\": %" PRIu64, (uint64_t)d->nodes);
    fprintf(f, ", \"misses\": [");
    for (unsigned i = 0; i < hp->nnodes; i++)
        fprintf(f, "%s%u", i ? ", " : "", hp->misses[i]);
    fprintf(f, "], \"written\": %s, \"moves\": %u, \"users\": %u, \"cost\": %" PRIu64 "}\n",
            hp->written ? "true" : "false", hp->moves, hp->nusers, cost);
}

static void numa_maybe_tick(struct mon *mon, uint64_t now)
{
    struct mon_numa *n = &mon->numa;
    if (now - n->last_tick < mon->cfg.board.hot.reset_cycles)
        return;
    n->last_tick = now;
    numa_policy_tick(&n->policy, now);
}

/* Ask the policy (or refuse on the monitor's own grounds). */
static void numa_decide(struct mon *mon, struct numa_hot_page *hp, bool cross_vm,
                        struct numa_decision *d)
{
    if (!cross_vm) {
        if (numa_policy_decide(&mon->numa.policy, hp, d) == 0)
            return;
        *d = (struct numa_decision){ .action = NUMA_ACTION_NONE, .reason = NUMA_REFUSE_POLICY };
        return;
    }
    *d = (struct numa_decision){ .action = NUMA_ACTION_NONE, .reason = NUMA_REFUSE_COW_SHARED };
    mon->numa.policy.stats.decisions++;
    mon->numa.policy.stats.refused[NUMA_REFUSE_COW_SHARED]++;
}

static void mon_numa_handle(struct pcpu *p, const hotpage_event *ev)
{
    struct mon *mon = p->mon;
    const struct memmap_entry *me = memmap_entry_get(mon->mm, ev->page);
    if (!me || me->state != MEMMAP_MASTER)
        return;                           /* the monitor's own page, a replica, or free */
    struct numa_hot_page hp;
    if (memmap_hot_page(mon->mm, ev->page, ev->counts, (unsigned)ev->nodes, ev->written, &hp))
        return;
    struct numa_page_user users[NUMA_TRACE_USERS];
    bool cross = numa_users(mon, ev->page, users, &hp.nusers);
    hp.users = users;
    hp.now = machine_now(&mon->m);
    memmap_set_time(mon->mm, hp.now);
    numa_maybe_tick(mon, hp.now);
    uint64_t c0 = p->c->stats.charged_cycles;
    mon_charge(p, p->cur, COST_HOT_PAGE);
    mon->numa.events++;
    struct numa_decision d;
    numa_decide(mon, &hp, cross, &d);
    uint64_t to = hp.mfn;
    bool failed = false;
    struct vtlb_frames before;
    vtlb_frames_get(mon, ev->page, &before);
    if (d.action != NUMA_ACTION_NONE && memmap_apply_decision(mon->mm, ev->page, &d, &to) < 0) {
        numa_policy_note_failure(&mon->numa.policy, &d);
        failed = true;
    }
    if (!failed && d.action != NUMA_ACTION_NONE)
        vtlb_frames_retire(mon, &before, to);    /* LL links on a frame left behind */
    uint64_t cost = p->c->stats.charged_cycles - c0;
    mon->numa.cost_cycles += cost;
    if (!failed && d.action == NUMA_ACTION_MIGRATE)
        mon->numa.migrate_cycles += cost;
    if (!failed && d.action == NUMA_ACTION_REPLICATE)
        mon->numa.replicate_cycles += cost;
    numa_trace(p, &hp, &d, to, failed, cost);
}

void mon_numa_drain(struct pcpu *p)
{
    struct mon_numa *n = &p->mon->numa;
    for (unsigned i = 0; i < n->queued; i++)
        mon_numa_handle(p, &n->queue[i]);
    n->queued = 0;
}

/* ---- autonuma: sampled access faults ----------------------------------------------- */

/* Mark the next scan_pages mapped pages of vm (from its cursor, wrapping) and drop
 * every cached translation of them, so their next use faults into the monitor. */
static void numa_scan_vm(struct pcpu *p, struct vcpu *v, struct vm *vm)
{
    struct mon_numa *n = &p->mon->numa;
    if (!n->hint[vm->id] && !(n->hint[vm->id] = calloc(vm->npages, 1)))
        return;                                   /* no sampling without the marks */
    uint8_t *hint = n->hint[vm->id];
    uint32_t marked = 0;
    for (uint64_t k = 0; k < vm->npages && marked < n->scan_pages; k++) {
        uint64_t gpn = n->cursor[vm->id];
        n->cursor[vm->id] = (gpn + 1) % vm->npages;
        const struct pmap_entry *pe = pmap_entry_get(vm->pmap, gpn);
        if (!pe || pe->mfn == PMAP_NO_FRAME || hint[gpn])
            continue;                             /* untouched pages have nothing to learn */
        hint[gpn] = 1;
        pmap_invalidate(vm->pmap, gpn);           /* real TLBs and L2TLBs, by backmap */
        mon_charge(p, v, COST_NUMA_SCAN);
        marked++;
    }
    n->scanned += marked;
}

/* The scan period adapts, as Linux's does between its minimum and maximum. A fault is
 * idle when the policy found nothing to do with it: the page was already local, shared,
 * frozen or moved too recently (a first fault is not idle: the second may migrate). A
 * period whose faults were nearly all idle doubles the next one (up to
 * NUMA_SCAN_BACKOFF_MAX times the base), so a workload with nothing to gain, or one
 * whose pages have settled, stops paying for samples; one with fewer than half idle
 * halves it again. */
#define NUMA_SCAN_BACKOFF_MAX 32u
#define NUMA_SCAN_IDLE_NUM 7u    /* idle share at least 7/8: back off */
#define NUMA_SCAN_IDLE_DEN 8u

static uint64_t numa_idle_faults(const struct numa_policy_stats *st)
{
    return st->refused[NUMA_REFUSE_ALREADY_LOCAL] + st->refused[NUMA_REFUSE_SHARED] +
           st->refused[NUMA_REFUSE_FROZEN] + st->refused[NUMA_REFUSE_TOO_SOON];
}

static void numa_scan_adapt(struct mon_numa *n)
{
    uint64_t idle_now = numa_idle_faults(&n->policy.stats);
    uint64_t faults = n->hint_faults - n->scan_faults0, idle = idle_now - n->scan_idle0;
    n->scan_faults0 = n->hint_faults;
    n->scan_idle0 = idle_now;
    if (!faults)
        return;
    if (idle * NUMA_SCAN_IDLE_DEN >= faults * NUMA_SCAN_IDLE_NUM) {
        if (n->scan_cur < n->scan_period * NUMA_SCAN_BACKOFF_MAX)
            n->scan_cur *= 2;
    } else if (2 * idle < faults && n->scan_cur > n->scan_period) {
        n->scan_cur /= 2;
    }
}

static void numa_scan(struct pcpu *p, struct vcpu *v, uint64_t now)
{
    struct mon_numa *n = &p->mon->numa;
    if (now < n->next_scan)
        return;
    numa_scan_adapt(n);
    n->next_scan = now + n->scan_cur;
    for (int i = 0; i < p->mon->nvms; i++)
        if (p->mon->vms[i]->state == VM_RUNNING)
            numa_scan_vm(p, v, p->mon->vms[i]);
}

/* A fill of a marked page: the hinting fault. The policy gets one fault from p's node. */
static void numa_hint_fault(struct pcpu *p, struct vcpu *v, struct vm *vm, uint64_t gpn,
                            bool write)
{
    struct mon_numa *n = &p->mon->numa;
    uint8_t *hint = n->hint[vm->id];
    if (!hint || !hint[gpn])
        return;
    hint[gpn] = 0;
    const struct pmap_entry *pe = pmap_entry_get(vm->pmap, gpn);
    if (!pe || pe->mfn == PMAP_NO_FRAME)
        return;
    mon_charge(p, v, COST_NUMA_FAULT);
    n->hint_faults++;
    hotpage_event ev = { .page = pe->mfn, .node = p->node, .cpu = p->id,
                         .nodes = p->mon->cfg.board.nodes, .written = write,
                         .when = machine_now(&p->mon->m) };
    ev.counts[p->node] = 1;
    mon_numa_handle(p, &ev);
}

/* ---- local vs remote misses over time ---------------------------------------------- */

static bool numa_cpu_misses(struct mon *mon, int cpu, struct mon_numa_misses *out);

/* Halve the samples (keep every other one) and double the period. */
static void numa_iv_decimate(struct mon_numa *n)
{
    for (unsigned i = 0; 2 * i + 1 < n->niv; i++)
        n->iv[i] = n->iv[2 * i + 1];
    n->niv /= 2;
    n->iv_period *= 2;
}

static void numa_iv_take(struct mon *mon, uint64_t now)
{
    struct mon_numa *n = &mon->numa;
    if (!n->iv && !(n->iv = calloc(NUMA_INTERVALS, sizeof *n->iv)))
        return;
    if (n->niv == NUMA_INTERVALS)
        numa_iv_decimate(n);
    struct mon_numa_interval *s = &n->iv[n->niv++];
    memset(s, 0, sizeof *s);
    s->t = now;
    for (int c = 0; mon->bn.has_cache && c < mon->npcpus; c++) {
        struct mon_numa_misses m;
        int node = mon->pcpus[c].node;
        if (!numa_cpu_misses(mon, c, &m) || node >= NUMA_IV_NODES)
            continue;
        s->node[node].local += m.local;
        s->node[node].remote += m.remote;
        struct vcpu *cur = mon->pcpus[c].cur;     /* the running vCPU's share so far */
        if (cur && cur->vm) {
            s->vm[cur->vm->id].local += m.local - n->cpu_mark[c].local;
            s->vm[cur->vm->id].remote += m.remote - n->cpu_mark[c].remote;
        }
    }
    for (int i = 0; i < mon->nvms; i++) {
        int id = mon->vms[i]->id;
        s->vm[id].local += n->vm_misses[id].local;
        s->vm[id].remote += n->vm_misses[id].remote;
    }
}

void mon_numa_on_fill(struct pcpu *p, struct vcpu *v, struct vm *vm, uint64_t gpn, bool write)
{
    struct mon_numa *n = &p->mon->numa;
    uint64_t now = machine_now(&p->mon->m);
    if (now >= n->iv_next) {
        n->iv_next = now - now % n->iv_period + n->iv_period;
        numa_iv_take(p->mon, now);
    }
    if (!n->sampling || gpn >= vm->npages)
        return;
    numa_scan(p, v, now);
    numa_hint_fault(p, v, vm, gpn, write);
}

/* ---- local vs remote misses per VM ------------------------------------------------- */

static bool numa_cpu_misses(struct mon *mon, int cpu, struct mon_numa_misses *out)
{
    if (!mon->bn.has_cache || cpu < 0 || cpu >= mon->bn.cache.ncpus)
        return false;
    const cache_stats *s = &mon->bn.cache.cpu[cpu].stats;
    out->local = s->local_misses;
    out->remote = s->remote_misses;
    return true;
}

void mon_numa_vcpu_in(struct pcpu *p)
{
    numa_cpu_misses(p->mon, p->id, &p->mon->numa.cpu_mark[p->id]);
}

void mon_numa_vcpu_out(struct pcpu *p, struct vcpu *v)
{
    struct mon_numa_misses now;
    if (!numa_cpu_misses(p->mon, p->id, &now) || !v->vm)
        return;
    const struct mon_numa_misses *mark = &p->mon->numa.cpu_mark[p->id];
    struct mon_numa_misses *acc = &p->mon->numa.vm_misses[v->vm->id];
    acc->local += now.local - mark->local;
    acc->remote += now.remote - mark->remote;
    p->mon->numa.cpu_mark[p->id] = now;
}

static void numa_stats_misses(struct mon *mon, FILE *f)
{
    fprintf(f, ", \"misses_per_vm\": [");
    for (int i = 0; i < mon->nvms; i++) {
        const struct mon_numa_misses *m = &mon->numa.vm_misses[mon->vms[i]->id];
        fprintf(f, "%s{\"vm\": \"%s\", \"local\": %" PRIu64 ", \"remote\": %" PRIu64 "}",
                i ? ", " : "", mon->vms[i]->name, m->local, m->remote);
    }
    fprintf(f, "], \"misses_per_node\": [");
    for (int n = 0; mon->bn.has_cache && n < mon->cfg.board.nodes; n++) {
        cache_stats s;
        cache_node_stats(&mon->bn.cache, n, &s);
        fprintf(f, "%s{\"node\": %d, \"local\": %" PRIu64 ", \"remote\": %" PRIu64 "}",
                n ? ", " : "", n, s.local_misses, s.remote_misses);
    }
    fprintf(f, "]");
}

/* "misses_over_time": the cumulative samples, the last one taken now. */
static void numa_stats_intervals(struct mon *mon, FILE *f)
{
    struct mon_numa *n = &mon->numa;
    numa_iv_take(mon, machine_now(&mon->m));
    int nodes = mon->cfg.board.nodes < NUMA_IV_NODES ? mon->cfg.board.nodes : NUMA_IV_NODES;
    fprintf(f, ", \"misses_over_time\": {\"period_cycles\": %" PRIu64 ", \"samples\": [", n->iv_period);
    for (unsigned i = 0; n->iv && i < n->niv; i++) {
        const struct mon_numa_interval *s = &n->iv[i];
        fprintf(f, "%s{\"t\": %" PRIu64 ", \"nodes\": [", i ? ", " : "", s->t);
        for (int k = 0; mon->bn.has_cache && k < nodes; k++)
            fprintf(f, "%s[%" PRIu64 ", %" PRIu64 "]", k ? ", " : "", s->node[k].local,
                    s->node[k].remote);
        fprintf(f, "], \"vms\": [");
        for (int k = 0; k < mon->nvms; k++) {
            const struct mon_numa_misses *m = &s->vm[mon->vms[k]->id];
            fprintf(f, "%s[%" PRIu64 ", %" PRIu64 "]", k ? ", " : "", m->local, m->remote);
        }
        fprintf(f, "]}");
    }
    fprintf(f, "]}");
}

void mon_numa_write_stats(struct mon *mon, FILE *f)
{
    const struct memmap_stats *ms = memmap_get_stats(mon->mm);
    const struct numa_policy_stats *ps = &mon->numa.policy.stats;
    fprintf(f, "  \"numa\": {\"policy\": \"%s\", \"hot_page_events\": %" PRIu64
               ", \"dropped\": %" PRIu64 ", \"migrations\": %" PRIu64 ", \"replications\": %" PRIu64
               ", \"replicas\": %" PRIu64 ", \"collapses\": %" PRIu64 ", \"frames_replica\": %" PRIu64
               ", \"cost_cycles\": %" PRIu64 ", \"migrate_cycles\": %" PRIu64
               ", \"replicate_cycles\": %" PRIu64 ", \"refused\": {",
            mon->numa.policy.ops->name, mon->numa.events, mon->numa.dropped, ps->migrations,
            ps->replications, ps->replicas, ps->collapses, ms->frames_replica,
            mon->numa.cost_cycles, mon->numa.migrate_cycles, mon->numa.replicate_cycles);
    const char *sep = "";
    for (int i = 1; i < NUMA_REFUSE_COUNT; i++)
        if (ps->refused[i]) {
            fprintf(f, "%s\"%s\": %" PRIu64, sep, numa_refusal_name((enum numa_refusal)i), ps->refused[i]);
            sep = ", ";
        }
    fprintf(f, "}");
    if (mon->numa.sampling)
        fprintf(f, ", \"sampling\": {\"scan_pages\": %u, \"scan_period_cycles\": %" PRIu64
                   ", \"scan_period_now\": %" PRIu64 ", \"scanned\": %" PRIu64 ", \"hint_faults\": %" PRIu64
                   ", \"counter_events_ignored\": %" PRIu64 "}",
                mon->numa.scan_pages, mon->numa.scan_period, mon->numa.scan_cur, mon->numa.scanned,
                mon->numa.hint_faults, mon->numa.counter_ignored);
    numa_stats_misses(mon, f);
    numa_stats_intervals(mon, f);
    char rep[1024];
    if (numa_policy_report(&mon->numa.policy, rep, sizeof rep) == 0 && rep[0])
        fprintf(f, ", \"policy_report\": {%s}", rep);
    fprintf(f, "},\n");
}
