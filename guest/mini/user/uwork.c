/*
 * uwork.c - the mini user program: grows its heap with sbrk, runs the work.h passes
 * over it with `calls` getpid checks after each pass and a yield after every fourth, writes
 * two console lines, and exits with its checksum (work_process()'s value when all went
 * well; the kernel compares).
 */
#include <stdint.h>

#include "guest/mini/sysno.h"
#include "guest/mini/work.h"

#define UWORK_YIELD_EVERY 4u
#define UWORK_BAD_PID     0xbad0000u

static inline int32_t usys(uint32_t n, uint32_t a0, uint32_t a1)
{
    register uint32_t v0 __asm__("$2") = n;
    register uint32_t r4 __asm__("$4") = a0;
    register uint32_t r5 __asm__("$5") = a1;
    __asm__ volatile("syscall" : "+r"(v0) : "r"(r4), "r"(r5) : "memory");
    return (int32_t)v0;
}

static unsigned ustrcpy(char *d, const char *s)
{
    unsigned n = 0;
    while (s[n]) {
        d[n] = s[n];
        n++;
    }
    return n;
}

static unsigned uitoa(char *d, uint32_t v)
{
    char tmp[12];
    unsigned n = 0, k = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        d[k++] = tmp[--n];
    return k;
}

/* "proc <pid> <what> <n>\n" through SYS_WRITE (the line lives on the stack). */
static void usay(uint32_t pid, const char *what, uint32_t n)
{
    char line[64];
    unsigned len = ustrcpy(line, "proc ");
    len += uitoa(line + len, pid);
    line[len++] = ' ';
    len += ustrcpy(line + len, what);
    line[len++] = ' ';
    len += uitoa(line + len, n);
    line[len++] = '\n';
    usys(SYS_WRITE, (uint32_t)line, len);
}

uint32_t umain(uint32_t pid, uint32_t ws, uint32_t iters, uint32_t seed, uint32_t calls)
{
    uint32_t npages = ws / (WORK_PAGE_WORDS * 4);
    usay(pid, "pages", npages);
    /* Two sbrk calls: the second must continue where the first ended. */
    uint32_t half = (npages / 2) * WORK_PAGE_WORDS * 4;
    uint32_t *heap = (uint32_t *)usys(SYS_SBRK, half, 0);
    uint32_t *rest = (uint32_t *)usys(SYS_SBRK, ws - half, 0);
    if ((int32_t)(uintptr_t)heap < 0 || (uintptr_t)rest != (uintptr_t)heap + half)
        return UWORK_BAD_PID - 1;
    uint32_t state = work_init(pid, seed);
    for (uint32_t it = 0; it < iters; it++) {
        state = work_pass(heap, npages, it, state);
        for (uint32_t c = 0; c < calls; c++)
            if ((uint32_t)usys(SYS_GETPID, 0, 0) != pid)
                return UWORK_BAD_PID;
        if (it % UWORK_YIELD_EVERY == UWORK_YIELD_EVERY - 1)
            usys(SYS_YIELD, 0, 0);
    }
    state = work_fold(heap, npages, state);
    usay(pid, "passes", iters);
    return state;
}
