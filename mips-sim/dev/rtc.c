/*
 * rtc.c - the MC146818 real-time clock on simulated time (see rtc.h).
 *
 * Implemented from the MC146818/DS12887 data sheet: time and alarm registers in BCD or
 * binary and 12/24-hour format, register A (UIP, divider, rate select), B (SET, PIE,
 * AIE, UIE, DM, 24/12), C (IRQF, PF, AF, UF, cleared on read), D (VRT), and the CMOS
 * RAM. Flags are computed when they are looked at; a machine timer runs only while an
 * interrupt is enabled.
 */
#include "mips-sim/dev/rtc.h"

#include "mips-sim/machine.h"

enum {
    A_UIP = 0x80, A_DV = 0x70, A_DV_32K = 0x20, A_RS = 0x0f,
    B_SET = 0x80, B_PIE = 0x40, B_AIE = 0x20, B_UIE = 0x10, B_DM = 0x04, B_24H = 0x02,
    C_IRQF = 0x80, C_PF = 0x40, C_AF = 0x20, C_UF = 0x10,
    D_VRT = 0x80,
};

/* UIP is high for this long before each update (data sheet: 244 us). */
#define UIP_US 244

int64_t rtc_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* Count from 1 March so the leap day is the last day of the year. */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void rtc_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static uint64_t now_cycles(const rtc *r)
{
    return r->m ? machine_now(r->m) : 0;
}

static uint64_t hz(const rtc *r)
{
    return r->m && r->m->cfg.clock_hz ? r->m->cfg.clock_hz : 200000000u;
}

static bool divider_running(const rtc *r)
{
    return (r->reg_a & A_DV) == A_DV_32K;
}

/* Periodic interrupt frequency from RS (32.768 kHz base), 0 when off. */
static uint64_t periodic_hz(const rtc *r)
{
    unsigned rs = r->reg_a & A_RS;
    if (rs == 0)
        return 0;
    if (rs <= 2)
        return 256u >> (rs - 1);
    return 65536u >> rs;
}

static uint64_t pf_boundary(const rtc *r, uint64_t k)
{
    return r->pf_cycle + (uint64_t)((unsigned __int128)k * hz(r) / periodic_hz(r));
}

/* Broken-down time of the clock. */
typedef struct rtc_tm {
    int64_t year;
    unsigned mon, mday, hour, min, sec, wday;   /* wday: 0 = Sunday */
} rtc_tm;

static rtc_tm to_tm(int64_t secs)
{
    rtc_tm t;
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t rem = secs - days * 86400;
    rtc_civil_from_days(days, &t.year, &t.mon, &t.mday);
    t.hour = (unsigned)(rem / 3600);
    t.min = (unsigned)(rem / 60 % 60);
    t.sec = (unsigned)(rem % 60);
    t.wday = (unsigned)(((days % 7) + 11) % 7);   /* 1970-01-01 was a Thursday */
    return t;
}

static int64_t from_tm(const rtc_tm *t)
{
    return rtc_days_from_civil(t->year, t->mon, t->mday) * 86400 + t->hour * 3600 +
           t->min * 60 + t->sec;
}

static bool alarm_matches(const rtc *r, int64_t secs);
static uint8_t encode(const rtc *r, unsigned v);

/* Account for the second boundaries and periodic ticks that have passed. */
static void sync(rtc *r)
{
    uint64_t now = now_cycles(r), one = hz(r);
    if (!divider_running(r))
        return;
    if (now >= r->sync_cycle + one) {
        uint64_t k = (now - r->sync_cycle) / one;
        r->sync_cycle += k * one;
        if (!(r->reg_b & B_SET)) {
            /* Only the last update's alarm comparison is kept: an enabled alarm has
             * a timer at every boundary, so it never skips one. */
            r->secs += (int64_t)k;
            r->reg_c |= C_UF;
            if (alarm_matches(r, r->secs))
                r->reg_c |= C_AF;
        }
    }
    uint64_t f = periodic_hz(r);
    if (f) {
        uint64_t k = (uint64_t)((unsigned __int128)(now - r->pf_cycle) * f / one);
        if (k >= 1) {
            r->reg_c |= C_PF;
            /* Rebase so the products above stay small. */
            r->pf_cycle = pf_boundary(r, k);
        }
    }
}

static void update_irq(rtc *r)
{
    bool level = (r->reg_c & r->reg_b & (C_PF | C_AF | C_UF)) != 0;
    if (level)
        r->reg_c |= C_IRQF;
    else
        r->reg_c &= (uint8_t)~C_IRQF;
    if (level != r->irq_level) {
        r->irq_level = level;
        if (r->pic)
            i8259_set_irq(r->pic, r->irq, level);
    }
}

static void schedule(rtc *r)
{
    if (!r->m || r->timer < 0)
        return;
    uint64_t next = UINT64_MAX;
    if (divider_running(r)) {
        if ((r->reg_b & B_PIE) && periodic_hz(r))
            next = pf_boundary(r, 1);
        if ((r->reg_b & (B_UIE | B_AIE)) && r->sync_cycle + hz(r) < next)
            next = r->sync_cycle + hz(r);
    }
    if (next == UINT64_MAX)
        machine_timer_cancel(r->m, r->timer);
    else
        machine_timer_set(r->m, r->timer, next);
}

static void timer_fired(void *ctx, uint64_t now)
{
    rtc *r = ctx;
    (void)now;
    sync(r);
    update_irq(r);
    schedule(r);
}

int rtc_init(rtc *r, struct machine *m, i8259 *pic, int irq, int64_t epoch)
{
    *r = (rtc){0};
    r->m = m;
    r->pic = pic;
    r->irq = irq;
    r->timer = -1;
    r->secs = epoch;
    r->sync_cycle = 0;
    r->pf_cycle = 0;
    /* As a PC BIOS leaves it: 32.768 kHz base, 1024 Hz rate, BCD, 24-hour. */
    r->reg_a = A_DV_32K | 0x06;
    r->reg_b = B_24H;
    if (m) {
        r->timer = machine_timer_add(m, timer_fired, r);
        if (r->timer < 0)
            return r->timer;
    }
    return 0;
}

int64_t rtc_time(rtc *r)
{
    sync(r);
    return r->secs;
}

static uint8_t encode(const rtc *r, unsigned v)
{
    if (r->reg_b & B_DM)
        return (uint8_t)v;
    return (uint8_t)(((v / 10) << 4) | (v % 10));
}

static unsigned decode(const rtc *r, uint8_t v)
{
    if (r->reg_b & B_DM)
        return v;
    return (unsigned)((v >> 4) * 10 + (v & 0x0f));
}

static uint8_t encode_hour(const rtc *r, unsigned h)
{
    if (r->reg_b & B_24H)
        return encode(r, h);
    unsigned h12 = h % 12 ? h % 12 : 12;
    return (uint8_t)(encode(r, h12) | (h >= 12 ? 0x80 : 0));
}

static unsigned decode_hour(const rtc *r, uint8_t v)
{
    if (r->reg_b & B_24H)
        return decode(r, v);
    unsigned h = decode(r, v & 0x7f) % 12;
    return (v & 0x80) ? h + 12 : h;
}

/* Alarm bytes with the two top bits set are "don't care". */
static bool alarm_field(uint8_t alarm, uint8_t now)
{
    return (alarm & 0xc0) == 0xc0 || alarm == now;
}

static bool alarm_matches(const rtc *r, int64_t secs)
{
    rtc_tm t = to_tm(secs);
    return alarm_field(r->alarm_sec, encode(r, t.sec)) &&
           alarm_field(r->alarm_min, encode(r, t.min)) &&
           alarm_field(r->alarm_hour, encode_hour(r, t.hour));
}

static uint8_t read_reg(rtc *r, uint8_t idx)
{
    if (idx > 0x0d)
        return r->ram[idx];
    sync(r);
    rtc_tm t = to_tm(r->secs);
    switch (idx) {
    case 0x00: return encode(r, t.sec);
    case 0x01: return r->alarm_sec;
    case 0x02: return encode(r, t.min);
    case 0x03: return r->alarm_min;
    case 0x04: return encode_hour(r, t.hour);
    case 0x05: return r->alarm_hour;
    case 0x06: return encode(r, t.wday + 1);
    case 0x07: return encode(r, t.mday);
    case 0x08: return encode(r, t.mon);
    case 0x09: return encode(r, (unsigned)(((t.year % 100) + 100) % 100));
    case 0x0a: {
        uint8_t v = r->reg_a;
        uint64_t uip = hz(r) / 1000000 * UIP_US;
        if (divider_running(r) && !(r->reg_b & B_SET) &&
            now_cycles(r) >= r->sync_cycle + hz(r) - uip)
            v |= A_UIP;
        return v;
    }
    case 0x0b: return r->reg_b;
    case 0x0c: {
        uint8_t v = r->reg_c;
        r->reg_c = 0;
        update_irq(r);
        return v;
    }
    default: return D_VRT;              /* 0x0d: the battery is fine */
    }
}

static void write_time_field(rtc *r, uint8_t idx, uint8_t v)
{
    sync(r);
    rtc_tm t = to_tm(r->secs);
    switch (idx) {
    case 0x00: t.sec = decode(r, v) % 60; break;
    case 0x02: t.min = decode(r, v) % 60; break;
    case 0x04: t.hour = decode_hour(r, v) % 24; break;
    case 0x07: t.mday = decode(r, v); break;
    case 0x08: t.mon = decode(r, v); break;
    case 0x09: {
        unsigned yy = decode(r, v) % 100;
        t.year = yy < 70 ? 2000 + yy : 1900 + yy;
        break;
    }
    default: return;                    /* day of week follows from the date */
    }
    if (t.mon < 1 || t.mon > 12)
        t.mon = 1;
    if (t.mday < 1 || t.mday > 31)
        t.mday = 1;
    r->secs = from_tm(&t);
}

static void write_reg(rtc *r, uint8_t idx, uint8_t v)
{
    if (idx > 0x0d) {
        r->ram[idx] = v;
        return;
    }
    switch (idx) {
    case 0x01: r->alarm_sec = v; break;
    case 0x03: r->alarm_min = v; break;
    case 0x05: r->alarm_hour = v; break;
    case 0x0a: {
        sync(r);
        bool was = divider_running(r);
        uint8_t old_rs = r->reg_a & A_RS;
        r->reg_a = v & 0x7f;
        uint64_t now = now_cycles(r);
        if (!was && divider_running(r)) {
            /* Leaving divider reset: the first update comes 500 ms later. */
            uint64_t half = hz(r) / 2;
            r->sync_cycle = now >= half ? now - half : 0;
            r->pf_cycle = now;
        } else if ((r->reg_a & A_RS) != old_rs) {
            r->pf_cycle = now;
        }
        break;
    }
    case 0x0b:
        sync(r);
        if (v & B_SET)
            v &= (uint8_t)~B_UIE;       /* setting SET clears UIE */
        r->reg_b = v;
        break;
    case 0x0c: case 0x0d:
        return;                         /* read-only */
    default:
        write_time_field(r, idx, v);
        return;
    }
    update_irq(r);
    schedule(r);
}

uint8_t rtc_io_read(rtc *r, uint16_t port)
{
    switch (port) {
    case 0x71: return read_reg(r, r->index);
    case 0x73: return r->ram[0x80 | r->index_hi];
    case 0x70: case 0x72: return 0xff;  /* index registers are write-only */
    default: return 0xff;
    }
}

void rtc_io_write(rtc *r, uint16_t port, uint8_t value)
{
    switch (port) {
    case 0x70: r->index = value & 0x7f; break;   /* bit 7 masks NMI */
    case 0x71: write_reg(r, r->index, value); break;
    case 0x72: r->index_hi = value & 0x7f; break;
    case 0x73: r->ram[0x80 | r->index_hi] = value; break;
    default: break;
    }
}
