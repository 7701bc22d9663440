/*
 * rtc.h - the Motorola MC146818 real-time clock and CMOS RAM of the PIIX4 (index port
 * 0x70, data port 0x71; the upper 128 bytes of CMOS RAM through 0x72/0x73).
 *
 * Time: the clock runs on *simulated* time. It starts at a fixed date given to
 * rtc_init() (so a run is repeatable) and advances one second every clock_hz machine
 * cycles. Second boundaries fall at sync_cycle + k * clock_hz. The update-in-progress
 * bit (register A, UIP) is set during the 244 us before each boundary, as on the part,
 * so software that times itself on the UIP edges (Linux's Malta CPU frequency
 * estimate) measures exactly one simulated second per update.
 *
 * Data structure: the current time as seconds since 1970 (UTC) at sync_cycle, the
 * register file (A-D, alarms), 256 bytes of CMOS RAM, the index registers, and the
 * interrupt flags.
 *
 * Invariants:
 *  - the clock counts only while register A's divider bits are 010 (32.768 kHz time
 *    base) and register B's SET bit is clear; otherwise `secs` stands still but the
 *    second boundaries keep their phase;
 *  - the time registers read back the current time in the format register B selects
 *    (BCD or binary, 12 or 24 hour);
 *  - register C's IRQF is set exactly when an enabled flag (PF&PIE, AF&AIE, UF&UIE) is
 *    set, and IRQ `irq` of the PIC is high exactly while IRQF is; reading C clears
 *    the flags.
 */
#ifndef MIPS_SIM_DEV_RTC_H
#define MIPS_SIM_DEV_RTC_H

#include <stdbool.h>
#include <stdint.h>

#include "mips-sim/dev/i8259.h"

struct machine;

#define RTC_DEFAULT_EPOCH 1704067200   /* 2024-01-01 00:00:00 UTC */

typedef struct rtc {
    struct machine *m;
    i8259 *pic;
    int irq;
    int timer;                /* machine timer for enabled interrupts, or -1 */
    uint8_t index, index_hi;  /* ports 0x70 and 0x72 */
    uint8_t ram[256];         /* CMOS: bytes 0x0e-0xff; 0x00-0x0d are shadowed below */
    uint8_t reg_a, reg_b, reg_c;
    uint8_t alarm_sec, alarm_min, alarm_hour;
    int64_t secs;             /* time at sync_cycle */
    uint64_t sync_cycle;      /* a second boundary */
    uint64_t pf_cycle;        /* last periodic-flag boundary accounted for */
    bool irq_level;
} rtc;

/* Reset with the clock at `epoch` seconds (UTC) at simulated time 0. */
int rtc_init(rtc *r, struct machine *m, i8259 *pic, int irq, int64_t epoch);

/* Ports 0x70-0x73. */
uint8_t rtc_io_read(rtc *r, uint16_t port);
void rtc_io_write(rtc *r, uint16_t port, uint8_t value);

/* The clock's current time in seconds since 1970 (UTC). */
int64_t rtc_time(rtc *r);

/* Calendar helpers (proleptic Gregorian, UTC), exposed for the tests. */
int64_t rtc_days_from_civil(int64_t y, unsigned m, unsigned d);
void rtc_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

#endif
