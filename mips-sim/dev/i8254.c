/*
 * i8254.c - the 8254 interval timer on simulated time (see i8254.h).
 *
 * Implemented from the 8254 data sheet: control word (counter select, access mode,
 * mode, BCD), counter latch and read-back commands, the LSB/MSB flip-flops, and modes
 * 0 (interrupt on terminal count), 2 (rate generator), 3 (square wave) and 4 (software
 * strobe). Modes 1 and 5 (hardware triggered) start on the count write, as the gates of
 * counters 0 and 1 are tied high on the PIIX4.
 */
#include "mips-sim/dev/i8254.h"

#include "mips-sim/machine.h"

static uint64_t now_cycles(const i8254 *t)
{
    return t->m ? machine_now(t->m) : 0;
}

static uint64_t clock_hz(const i8254 *t)
{
    return t->m && t->m->cfg.clock_hz ? t->m->cfg.clock_hz : 200000000u;
}

uint64_t i8254_ticks(const i8254 *t)
{
    return (uint64_t)((unsigned __int128)now_cycles(t) * I8254_HZ / clock_hz(t));
}

/* First machine cycle at which the PIT tick count reaches `tick`. */
static uint64_t tick_to_cycle(const i8254 *t, uint64_t tick)
{
    unsigned __int128 c = (unsigned __int128)tick * clock_hz(t) + I8254_HZ - 1;
    return (uint64_t)(c / I8254_HZ);
}

static uint32_t half_period(uint32_t n)
{
    return (n + 1) / 2;
}

static uint16_t count_at(const i8254_channel *c, uint64_t tick)
{
    if (!c->armed)
        return (uint16_t)c->reload;
    uint64_t e = tick - c->load_tick;
    uint32_t n = c->reload;
    switch (c->mode) {
    case 2:
        return (uint16_t)(n - e % n);
    case 3: {
        uint32_t phase = (uint32_t)(e % n), h = half_period(n);
        uint32_t in_half = phase < h ? phase : phase - h;
        return (uint16_t)((n - 2 * in_half) & 0xfffe);
    }
    default:                            /* 0, 1, 4, 5: count down and wrap */
        return (uint16_t)((n - e) & 0xffff);
    }
}

static bool out_at(const i8254_channel *c, uint64_t tick)
{
    if (!c->armed)
        return c->mode != 0 && c->mode != 1;   /* mode 0/1 start low, the others high */
    uint64_t e = tick - c->load_tick;
    uint32_t n = c->reload;
    switch (c->mode) {
    case 0: case 1: return e >= n;
    case 2: return e % n != n - 1;
    case 3: return e % n < half_period(n);
    default: return e != n;             /* 4, 5: one-tick low strobe */
    }
}

uint16_t i8254_count(const i8254 *t, int n)
{
    return count_at(&t->ch[n], i8254_ticks(t));
}

static void set_irq0(i8254 *t, bool level)
{
    if (t->pic)
        i8259_set_irq(t->pic, 0, level);
}

/*
 * Counter 0: arm the machine timer for its next output change after `tick`.
 * Events: mode 0 terminal count (once), mode 2 and 4 pulse ends, mode 3 both edges.
 */
static void schedule0(i8254 *t, uint64_t tick)
{
    i8254_channel *c = &t->ch[0];
    if (!t->m || t->timer < 0)
        return;
    if (!c->armed) {
        machine_timer_cancel(t->m, t->timer);
        return;
    }
    uint64_t e = tick - c->load_tick, n = c->reload, next;
    switch (c->mode) {
    case 0: case 1: case 4: case 5:
        if (e >= n) {                   /* one-shot already fired */
            machine_timer_cancel(t->m, t->timer);
            return;
        }
        next = c->load_tick + n;
        break;
    case 2:
        next = c->load_tick + (e / n + 1) * n;
        break;
    default: {                          /* 3: rising edge at k*n, falling at k*n+h */
        uint64_t base = c->load_tick + (e / n) * n, h = half_period((uint32_t)n);
        next = (e % n) < h ? base + h : base + n;
        break;
    }
    }
    machine_timer_set(t->m, t->timer, tick_to_cycle(t, next));
}

static void timer0_fired(void *ctx, uint64_t now)
{
    i8254 *t = ctx;
    (void)now;
    i8254_channel *c = &t->ch[0];
    uint64_t tick = i8254_ticks(t);
    if (!c->armed)
        return;
    uint64_t e = tick - c->load_tick, n = c->reload;
    switch (c->mode) {
    case 0: case 1:
        if (e >= n && !c->out) {
            c->out = true;
            set_irq0(t, true);
            t->irqs++;
        }
        break;
    case 2: case 4: case 5:
        /* The one-tick low pulse ends: a rising edge for the edge-triggered PIC. */
        set_irq0(t, false);
        set_irq0(t, true);
        c->out = true;
        t->irqs++;
        break;
    default: {
        bool out = (e % n) < half_period((uint32_t)n);
        if (out != c->out) {
            c->out = out;
            set_irq0(t, out);
            if (out)
                t->irqs++;
        }
        break;
    }
    }
    schedule0(t, tick);
}

int i8254_init(i8254 *t, struct machine *m, i8259 *pic)
{
    *t = (i8254){0};
    t->m = m;
    t->pic = pic;
    t->timer = -1;
    for (int i = 0; i < 3; i++) {
        t->ch[i].mode = 3;
        t->ch[i].access = 3;
        t->ch[i].reload = 65536;
        t->ch[i].out = true;
    }
    if (m) {
        t->timer = machine_timer_add(m, timer0_fired, t);
        if (t->timer < 0)
            return t->timer;
    }
    return 0;
}

static void load_count(i8254 *t, int n, uint32_t v)
{
    i8254_channel *c = &t->ch[n];
    uint64_t tick = i8254_ticks(t);
    if (c->bcd) {                       /* BCD: four decimal digits */
        v = (v & 0xf) + ((v >> 4) & 0xf) * 10 + ((v >> 8) & 0xf) * 100 +
            ((v >> 12) & 0xf) * 1000;
        if (v == 0)
            v = 10000;
    } else if (v == 0) {
        v = 65536;
    }
    /* Modes 2 and 3 need a count of at least 2 (1 is illegal on the part). */
    if ((c->mode == 2 || c->mode == 3) && v < 2)
        v = 2;
    c->reload = v;
    c->armed = true;
    c->load_tick = tick;
    if (n == 0) {
        bool out = out_at(c, tick);
        if (out != c->out) {
            c->out = out;
            set_irq0(t, out);
        }
        schedule0(t, tick);
    }
}

static void latch_count(i8254 *t, int n)
{
    i8254_channel *c = &t->ch[n];
    if (c->latched)                     /* a second latch before reading is ignored */
        return;
    c->latch = i8254_count(t, n);
    c->latched = true;
    c->latch_msb_next = false;
}

static void control_word(i8254 *t, uint8_t v)
{
    int sel = v >> 6;
    if (sel == 3) {                     /* read-back command */
        for (int n = 0; n < 3; n++) {
            if (!(v & (2u << n)))
                continue;
            i8254_channel *c = &t->ch[n];
            if (!(v & 0x20))
                latch_count(t, n);
            if (!(v & 0x10) && !c->status_latched) {
                c->status = (uint8_t)((out_at(c, i8254_ticks(t)) ? 0x80 : 0) |
                                      (c->armed ? 0 : 0x40) | (c->access << 4) |
                                      (c->mode << 1) | (c->bcd ? 1 : 0));
                c->status_latched = true;
            }
        }
        return;
    }
    int access = (v >> 4) & 3;
    if (access == 0) {                  /* counter latch command */
        latch_count(t, sel);
        return;
    }
    i8254_channel *c = &t->ch[sel];
    c->access = (uint8_t)access;
    c->mode = (v >> 1) & 7;
    if (c->mode > 5)
        c->mode -= 4;                   /* 6 and 7 are aliases of 2 and 3 */
    c->bcd = v & 1;
    c->armed = false;
    c->write_msb = false;
    c->read_msb = false;
    c->latched = false;
    c->status_latched = false;
    if (sel == 0) {
        /* A control word sets OUT to the mode's initial level and stops counting. */
        bool out = c->mode != 0 && c->mode != 1;
        if (out != c->out) {
            c->out = out;
            set_irq0(t, out);
        }
        schedule0(t, i8254_ticks(t));
    }
}

static void write_counter(i8254 *t, int n, uint8_t v)
{
    i8254_channel *c = &t->ch[n];
    switch (c->access) {
    case 1: load_count(t, n, v); break;
    case 2: load_count(t, n, (uint32_t)v << 8); break;
    default:
        if (!c->write_msb) {
            c->lsb = v;
            c->write_msb = true;
            /* Mode 0: writing the first byte stops the count (OUT stays low). */
            if (c->mode == 0)
                c->armed = false;
        } else {
            c->write_msb = false;
            load_count(t, n, c->lsb | ((uint32_t)v << 8));
        }
        break;
    }
}

static uint8_t read_counter(i8254 *t, int n)
{
    i8254_channel *c = &t->ch[n];
    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    uint16_t v;
    if (c->latched) {
        v = c->latch;
        if (c->access == 3 && !c->latch_msb_next) {
            c->latch_msb_next = true;
            return (uint8_t)v;
        }
        c->latched = false;
        return c->access == 1 ? (uint8_t)v : (uint8_t)(v >> 8);
    }
    v = i8254_count(t, n);
    switch (c->access) {
    case 1: return (uint8_t)v;
    case 2: return (uint8_t)(v >> 8);
    default:
        c->read_msb = !c->read_msb;
        return c->read_msb ? (uint8_t)v : (uint8_t)(v >> 8);
    }
}

uint8_t i8254_io_read(i8254 *t, uint16_t port)
{
    switch (port) {
    case 0x40: case 0x41: case 0x42:
        return read_counter(t, port - 0x40);
    case 0x43:
        return 0xff;                    /* the control register is write-only */
    case 0x61: {
        uint64_t tick = i8254_ticks(t);
        /* Bit 4 toggles with each DRAM refresh request (every ~15 us). */
        uint8_t refresh = (uint8_t)(((tick / 18) & 1) << 4);
        uint8_t out2 = out_at(&t->ch[2], tick) ? 0x20 : 0;
        return (uint8_t)((t->port61 & 0x03) | refresh | out2);
    }
    default:
        return 0xff;
    }
}

void i8254_io_write(i8254 *t, uint16_t port, uint8_t value)
{
    switch (port) {
    case 0x40: case 0x41: case 0x42:
        write_counter(t, port - 0x40, value);
        break;
    case 0x43:
        control_word(t, value);
        break;
    case 0x61: {
        bool gate_rise = (value & 1) && !(t->port61 & 1);
        t->port61 = value & 0x0f;
        /* Counter 2 (re)starts its count on a rising gate in every mode but 0 and 4. */
        i8254_channel *c = &t->ch[2];
        if (gate_rise && c->armed && c->mode != 0 && c->mode != 4)
            c->load_tick = i8254_ticks(t);
        break;
    }
    default:
        break;
    }
}
