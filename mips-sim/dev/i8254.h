/*
 * i8254.h - the PIIX4's Intel 8254 programmable interval timer (ports 0x40-0x43) and
 * the NMI status/control port 0x61 that gates counter 2.
 *
 * Time: the counters are clocked at 1.193182 MHz of *simulated* time. No per-tick work
 * is done: a counter's value is computed from the machine cycle at which its count was
 * loaded (`load_tick`, in PIT ticks), and counter 0's output edges are machine timers,
 * so IRQ 0 arrives at exact simulated times and a run is repeatable.
 *
 * Data structure: per counter the programmed mode, access mode, the reload value, the
 * write/read flip-flops, the latched count/status and the tick of the last load.
 *
 * Invariants:
 *  - a counter with `armed` false is not counting (no count written since its control
 *    word); its output is the mode's initial level;
 *  - counter 0's machine timer, when set, is the tick of its next output change;
 *  - IRQ 0 follows counter 0's OUT: modes 2 and 3 give one rising edge per period,
 *    modes 0 and 4 one edge at terminal count.
 */
#ifndef MIPS_SIM_DEV_I8254_H
#define MIPS_SIM_DEV_I8254_H

#include <stdbool.h>
#include <stdint.h>

#include "mips-sim/dev/i8259.h"

#define I8254_HZ 1193182u

struct machine;

typedef struct i8254_channel {
    uint8_t mode;            /* 0..5 */
    uint8_t access;          /* 1 = LSB, 2 = MSB, 3 = LSB then MSB */
    bool bcd;
    bool armed;              /* a count has been loaded since the control word */
    bool write_msb;          /* next data write is the MSB (access 3) */
    bool read_msb;           /* next data read is the MSB (access 3) */
    bool latched;            /* a latched count is waiting to be read */
    bool latch_msb_next;
    bool status_latched;
    uint8_t status;
    uint16_t latch;
    uint8_t lsb;             /* LSB written, waiting for the MSB */
    uint32_t reload;         /* 1..65536 (0 written means 65536) */
    uint64_t load_tick;      /* PIT tick at which counting started */
    bool out;                /* last OUT level given to the IRQ (counter 0) */
} i8254_channel;

typedef struct i8254 {
    i8254_channel ch[3];
    struct machine *m;
    i8259 *pic;              /* counter 0's OUT drives IRQ 0 (NULL: not connected) */
    int timer;               /* machine timer id for counter 0, or -1 */
    uint8_t port61;          /* bits 0-1 (gate 2, speaker enable) as written */
    uint64_t irqs;           /* statistics: IRQ 0 edges produced */
} i8254;

/* Reset; `pic` may be NULL. Registers a machine timer when m is not NULL. */
int i8254_init(i8254 *t, struct machine *m, i8259 *pic);

/* Ports 0x40-0x43 and 0x61. */
uint8_t i8254_io_read(i8254 *t, uint16_t port);
void i8254_io_write(i8254 *t, uint16_t port, uint8_t value);

/* Current PIT tick (simulated time). */
uint64_t i8254_ticks(const i8254 *t);

/* Current count of counter n (what a latch command would capture). */
uint16_t i8254_count(const i8254 *t, int n);

#endif
