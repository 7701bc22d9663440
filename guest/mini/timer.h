/*
 * timer.h - the 100 Hz tick of each CPU, on its (virtual) Count/Compare: every tick
 * is counted and preempts the running process (round robin). Compare moves on by one
 * period a tick; ticks missed while interrupts were masked are dropped, not replayed.
 * A CPU that has stopped (smp.h) turns its timer off: Compare is set a full Count
 * wrap away and further ticks are only counted.
 */
#ifndef MINI_TIMER_H
#define MINI_TIMER_H

#include "guest/mini/smp.h"

/* Start the tick on this CPU. */
void timer_start(percpu *pc);
/* One timer interrupt. */
void timer_tick(percpu *pc);
/* Stop listening: no more ticks on this CPU. */
void timer_stop(percpu *pc);

#endif
