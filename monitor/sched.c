/*
 * sched.c - time sharing of vCPUs on the physical CPUs.
 *
 * Every runnable vCPU not running anywhere waits in one machine-wide pool; a CPU that
 * needs work takes the vCPU that prefers it most: one whose home node is the CPU's
 * node first, then the one descheduled longest ago, then the lowest number - so the
 * choice depends only on simulated state and runs are deterministic. A running vCPU
 * keeps its CPU until it blocks (WAIT, the idle call), its VM ends, or its slice ends
 * while another vCPU is runnable.
 *
 * The real Count/Compare of each CPU is the monitor's timer: it fires at the earlier
 * of the slice end and the running vCPU's virtual timer; on an idle CPU, at the first
 * virtual timer of a blocked vCPU (or never: with no timer armed anywhere the machine
 * can stop as deadlocked). Blocked vCPUs whose timer passed are woken at every tick.
 * A vCPU made runnable while a CPU idles wakes that CPU with an IPI.
 */
#include "monitor/internal.h"

#define IDLE_STATUS (ST_IE | MON_STATUS_IM)
#define IDLE_STATUS_NO_TIMER (ST_IE | ST_IM_IPI)

static uint64_t sched_now(const struct pcpu *p)
{
    return machine_now(&p->mon->m);
}

/* Smaller is better. */
static bool sched_better(const struct pcpu *p, const struct vcpu *a, const struct vcpu *b)
{
    bool la = a->home_node == p->node, lb = b->home_node == p->node;
    if (la != lb)
        return la;
    if (a->last_run != b->last_run)
        return a->last_run < b->last_run;
    return a->gid < b->gid;
}

static struct vcpu *sched_pick(struct pcpu *p)
{
    struct mon *mon = p->mon;
    struct vcpu *best = NULL;
    for (int i = 0; i < mon->nall; i++) {
        struct vcpu *v = mon->all_vcpus[i];
        if (v->state == VCPU_RUNNABLE && (!best || sched_better(p, v, best)))
            best = v;
    }
    return best;
}

static bool sched_any_runnable(const struct mon *mon)
{
    for (int i = 0; i < mon->nall; i++)
        if (mon->all_vcpus[i]->state == VCPU_RUNNABLE)
            return true;
    return false;
}

static uint64_t sched_first_blocked_deadline(const struct mon *mon)
{
    uint64_t t = UINT64_MAX;
    for (int i = 0; i < mon->nall; i++) {
        const struct vcpu *v = mon->all_vcpus[i];
        if (v->state == VCPU_BLOCKED && v->timer_deadline < t)
            t = v->timer_deadline;
    }
    return t;
}

static void sched_set_compare(struct pcpu *p, uint64_t when)
{
    cpu *c = p->c;
    uint64_t ahead = when > c->cycles ? when - c->cycles : 1;
    uint64_t ticks = (ahead + 1) / 2;         /* Count runs at half the clock */
    if (ticks == 0)
        ticks = 1;
    if (ticks > 0xffffffffu)
        ticks = 0xffffffffu;
    cpu_set_cp0(c, CP0_COMPARE, 0, cpu_count(c) + (uint32_t)ticks);
}

void sched_program_timer(struct pcpu *p)
{
    uint64_t when;
    if (p->cur) {
        when = p->slice_end;
        if (p->cur->timer_deadline < when)
            when = p->cur->timer_deadline;
        if (!(p->c->cp0.status & ST_IM_TIMER))
            cpu_set_cp0(p->c, CP0_STATUS, 0, p->c->cp0.status | ST_IM_TIMER);
    } else {
        when = sched_first_blocked_deadline(p->mon);
        cpu_set_cp0(p->c, CP0_STATUS, 0, when == UINT64_MAX ? IDLE_STATUS_NO_TIMER : IDLE_STATUS);
        if (when == UINT64_MAX)
            return;
    }
    sched_set_compare(p, when);
}

static void sched_go_idle(struct pcpu *p)
{
    p->cur = NULL;
    p->idle = true;
    cpu_idle(p->c);
    sched_program_timer(p);
}

static void sched_run(struct pcpu *p, struct vcpu *next)
{
    if (!next) {
        sched_go_idle(p);
        return;
    }
    vcpu_load(p, next);
    mon_charge(p, next, COST_SWITCH);
    p->slice_end = sched_now(p) + p->mon->cfg.slice_cycles;
    sched_program_timer(p);
}

/* Take the running vCPU off p (its state already set by the caller) and run another. */
static void sched_switch(struct pcpu *p)
{
    struct vcpu *v = p->cur;
    if (v) {
        hal_sync_out(v);
        vcpu_save(p, v);
        v->last_run = sched_now(p);
    }
    sched_run(p, sched_pick(p));
}

static struct pcpu *sched_idle_cpu(struct mon *mon, const struct vcpu *v)
{
    struct pcpu *any = NULL;
    for (int i = 0; i < mon->npcpus; i++) {
        struct pcpu *q = &mon->pcpus[i];
        if (!q->idle)
            continue;
        if (q->node == v->home_node)
            return q;
        if (!any)
            any = q;
    }
    return any;
}

void sched_make_runnable(struct pcpu *p, struct vcpu *v)
{
    struct mon *mon = v->vm->mon;
    if (v->state == VCPU_BLOCKED)
        v->stats.blocked_cycles += machine_now(&mon->m) - v->blocked_since;
    v->state = VCPU_RUNNABLE;
    struct pcpu *q = sched_idle_cpu(mon, v);
    if (q && q != p)
        cpu_send_ipi(p ? p->c : q->c, q->id);
}

void sched_wake(struct pcpu *p, struct vcpu *v)
{
    if (v->state == VCPU_BLOCKED && vcpu_wake_condition(v))
        sched_make_runnable(p, v);
}

static void sched_wake_timers(struct pcpu *p)
{
    struct mon *mon = p->mon;
    uint64_t now = sched_now(p);
    for (int i = 0; i < mon->nall; i++) {
        struct vcpu *v = mon->all_vcpus[i];
        if (v->state == VCPU_BLOCKED && now >= v->timer_deadline) {
            vcpu_timer_update(v, now);
            sched_wake(p, v);
        }
    }
}

void sched_block(struct pcpu *p, struct vcpu *v)
{
    vcpu_timer_update(v, sched_now(p));
    if (vcpu_wake_condition(v))
        return;                              /* an interrupt is already pending */
    v->state = VCPU_BLOCKED;
    v->blocked_since = sched_now(p);
    sched_switch(p);
}

void sched_tick(struct pcpu *p)
{
    sched_wake_timers(p);
    struct vcpu *v = p->cur;
    if (!v) {
        sched_reschedule(p);
        return;
    }
    uint64_t now = sched_now(p);
    if (now >= p->slice_end) {
        if (sched_any_runnable(p->mon)) {
            v->state = VCPU_RUNNABLE;
            sched_switch(p);
            return;
        }
        p->slice_end = now + p->mon->cfg.slice_cycles;
    }
    sched_program_timer(p);
}

void sched_reschedule(struct pcpu *p)
{
    struct vcpu *v = p->cur;
    if (v && v->state != VCPU_DEAD)
        return;
    if (v) {
        vcpu_save(p, v);
        v->state = VCPU_DEAD;
    }
    sched_run(p, sched_pick(p));
}

void sched_idle_entry(struct pcpu *p)
{
    sched_wake_timers(p);
    sched_reschedule(p);
}

void sched_stop_vcpu(struct pcpu *p, struct vcpu *v)
{
    struct pcpu *q = v->on;
    if (v->state == VCPU_BLOCKED)
        v->stats.blocked_cycles += machine_now(&v->vm->mon->m) - v->blocked_since;
    v->state = VCPU_DEAD;
    if (!q || q == p)
        return;                              /* p reschedules on its way out */
    cpu_send_ipi(p ? p->c : q->c, q->id);    /* q reschedules at its next trap */
}

void sched_start(struct mon *mon)
{
    for (int i = 0; i < mon->nvms; i++)
        mon->vms[i]->start_cycle = machine_now(&mon->m);
    for (int i = 0; i < mon->npcpus; i++) {
        struct pcpu *p = &mon->pcpus[i];
            sched_run(p, sched_pick(p));
        if (p->cur)
            hal_sync_out(p->cur);
    }
}
