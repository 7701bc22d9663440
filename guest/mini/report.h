/*
 * report.h - the end of a run, on CPU 0 once every CPU has stopped: the processes'
 * console logs and checksums in pid order, the check against expect= (or against the
 * kernel's own reference run), the platform counters, and power-off with status 0
 * (all checks passed) or 1.
 */
#ifndef MINI_REPORT_H
#define MINI_REPORT_H

#include <stdint.h>

/* Remember the start of the measured run (Count on CPU 0). */
void report_start(void);
/* Microseconds of Count since report_start (any CPU: their Counts run together). */
uint32_t report_elapsed_us(void);
__attribute__((noreturn)) void mini_finish(void);

#endif
