/*
 * timer.c - the virtual Count/Compare timer of every vCPU, on simulated time.
 *
 * Virtual Count = count_base + (now - count_cycle) / 2 (half the clock, like the real
 * one), so it is never stored per cycle; the next Count == Compare match is kept as a
 * cycle deadline that the scheduler programs into the real timer. A match raises
 * virtual IP7 (ABI_IRQ_TIMER), which stays pending until the guest writes Compare
 * (MTC0 or ABI_MC_SET_TIMER). The timer is armed by the first Compare write.
 */
#include "monitor/internal.h"
#include "monitor/vdev/vdev.h"

#define TIMER_IP ABI_IRQ_TIMER
#define COUNT_WRAP_CYCLES (1ull << 33)

/* ---- the virtual timer ------------------------------------------------------------- */

uint32_t vcpu_count(const struct vcpu *v, uint64_t now)
{
    uint64_t t = now > v->count_cycle ? now - v->count_cycle : 0;
    return v->count_base + (uint32_t)(t >> 1);
}

static void vcpu_timer_recompute(struct vcpu *v, uint64_t now)
{
    if (!v->timer_armed) {
        v->timer_deadline = UINT64_MAX;
        return;
    }
    uint64_t d = v->count_cycle + 2 * (uint64_t)(uint32_t)(v->cp0.compare - v->count_base);
    if (d <= now)
        d += ((now - d) / COUNT_WRAP_CYCLES + 1) * COUNT_WRAP_CYCLES;
    v->timer_deadline = d;
}

void vcpu_set_count(struct vcpu *v, uint64_t now, uint32_t count)
{
    v->count_base = count;
    v->count_cycle = now;
    vcpu_timer_recompute(v, now);
}

void vcpu_set_compare(struct pcpu *p, struct vcpu *v, uint32_t compare)
{
    uint64_t now = machine_now(&v->vm->mon->m);
    v->cp0.compare = compare;
    v->pending &= ~(1u << TIMER_IP);
    v->timer_armed = true;
    vcpu_timer_recompute(v, now);
    if (p && p->cur == v)
        sched_program_timer(p);
}

void vcpu_timer_update(struct vcpu *v, uint64_t now)
{
    if (now >= v->timer_deadline) {
        v->pending |= 1u << TIMER_IP;
        v->timer_deadline += ((now - v->timer_deadline) / COUNT_WRAP_CYCLES + 1) * COUNT_WRAP_CYCLES;
    }
}

const struct vdev_ops vdev_timer = { .name = "timer" };
