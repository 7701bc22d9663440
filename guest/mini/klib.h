/*
 * klib.h - the kernel's small library: memory fill/copy, console output with a
 * printf subset, spin locks and atomics on LL/SC.
 *
 * Console lines are formatted into a buffer and written whole under one lock, so lines
 * from several CPUs never mix. Lines that depend on the platform (timing, counts of
 * preemptions and TLB refills, memory size) start with KLIB_PLATFORM_PREFIX; every
 * other line is the same in the bare and the disco build for the same parameters.
 */
#ifndef MINI_KLIB_H
#define MINI_KLIB_H

#include <stdarg.h>
#include <stdint.h>

#define KLIB_PLATFORM_PREFIX "# "

void *memset(void *d, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);

/* printf subset: %s %c %u %d %x %08x (zero pad and width for u/d/x). */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int ksnprintf(char *buf, unsigned size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, unsigned size, const char *fmt, va_list ap);
/* Report a kernel bug on the console and power off with status 1. */
__attribute__((noreturn)) void kpanic(const char *what);

typedef struct { volatile uint32_t v; } spinlock;
void spin_lock(spinlock *l);
void spin_unlock(spinlock *l);
uint32_t atomic_add(volatile uint32_t *p, uint32_t v);     /* returns the new value */
uint32_t atomic_or(volatile uint32_t *p, uint32_t v);      /* returns the old value */
uint32_t atomic_swap(volatile uint32_t *p, uint32_t v);    /* returns the old value */

#endif
