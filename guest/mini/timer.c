/* timer.c - the 100 Hz tick on Count/Compare (see timer.h). */
#include "guest/mini/timer.h"

#include "guest/mini/hal.h"
#include "guest/mini/param.h"
#include "guest/mini/proc.h"

#define TIMER_TICK_HZ 100u

static uint32_t timer_period(void)
{
    return mini_params.count_hz / TIMER_TICK_HZ;
}

void timer_start(percpu *pc)
{
    pc->timer_on = 1;
    pc->next_tick = hal_count() + timer_period();
    hal_timer_set(pc->next_tick);
}

/* One tick: count it, preempt, arm the next (skipping ticks that were missed). */
void timer_tick(percpu *pc)
{
    pc->st.ticks++;
    if (!pc->timer_on) {
        hal_timer_set(hal_count() - 1);
        return;
    }
    pc->next_tick += timer_period();
    if ((int32_t)(hal_count() - pc->next_tick) >= 0)
        pc->next_tick = hal_count() + timer_period();
    hal_timer_set(pc->next_tick);
    if (pc->cur)
        sched_preempt(pc);
}

void timer_stop(percpu *pc)
{
    pc->timer_on = 0;
    hal_timer_set(hal_count() - 1);
}
