/*
 * lwb_touch.c - the page-fault workload of bench/linux-workloads.sh: a static mipsel
 * Linux program with no C library. It grows its heap with brk by MB megabytes, writes
 * one word into every page (each write is a fresh anonymous page: a TLB miss and a page
 * fault), sums the pages back, gives the memory back with brk, and does this ROUNDS
 * times. Prints "pages <n> sum <hex>", the same on every correct machine.
 *   lwb-touch MB ROUNDS      (both in 1..256)
 * Bad arguments print one line and exit with status 2.
 */
#include <stdint.h>

#define SYS_EXIT_GROUP 4246
#define SYS_WRITE 4004
#define SYS_BRK 4045
#define PAGE_BYTES 4096u
#define MAX_ARG 256u
#define MB_BYTES (1024u * 1024u)

static long lwb_sys(long nr, long a, long b, long c)
{
    register long v0 __asm__("$2") = nr;
    register long a0 __asm__("$4") = a;
    register long a1 __asm__("$5") = b;
    register long a2 __asm__("$6") = c;
    register long a3 __asm__("$7");
    __asm__ volatile("syscall"
                     : "+r"(v0), "=r"(a3), "+r"(a0), "+r"(a1), "+r"(a2)
                     :
                     : "$1", "$3", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15",
                       "$24", "$25", "hi", "lo", "memory");
    return a3 ? -v0 : v0;
}

static void lwb_puts(const char *s)
{
    unsigned n = 0;
    while (s[n])
        n++;
    lwb_sys(SYS_WRITE, 1, (long)(uintptr_t)s, (long)n);
}

static void __attribute__((noreturn)) lwb_exit(int rc)
{
    lwb_sys(SYS_EXIT_GROUP, rc, 0, 0);
    for (;;) {}
}

/* A decimal argument in 1..MAX_ARG, or 0 when it is not one. */
static unsigned lwb_arg(const char *s)
{
    unsigned v = 0;
    if (!s || !*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > MAX_ARG)
            return 0;
        v = v * 10 + (unsigned)(*s - '0');
    }
    return v <= MAX_ARG ? v : 0;
}

/* Appends v in the given base to buf at *len. */
static void lwb_fmt(char *buf, unsigned *len, uint32_t v, unsigned base)
{
    char tmp[12];
    unsigned n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (n)
        buf[(*len)++] = tmp[--n];
}

static void lwb_append(char *buf, unsigned *len, const char *s)
{
    while (*s)
        buf[(*len)++] = *s++;
}

/* One round: grow the heap, dirty every page, read it back, shrink. Adds to *sum. */
static int lwb_round(uintptr_t base, unsigned pages, unsigned round, uint32_t *sum)
{
    uintptr_t top = base + (uintptr_t)pages * PAGE_BYTES;
    if ((uintptr_t)lwb_sys(SYS_BRK, (long)top, 0, 0) != top)
        return -1;
    for (unsigned p = 0; p < pages; p++)
        *(volatile uint32_t *)(base + p * PAGE_BYTES) = p * 2654435761u + round;
    for (unsigned p = 0; p < pages; p++)
        *sum = *sum * 31u + *(volatile uint32_t *)(base + p * PAGE_BYTES);
    lwb_sys(SYS_BRK, (long)base, 0, 0);
    return 0;
}

static int lwb_main(int argc, char **argv)
{
    unsigned mb = argc == 3 ? lwb_arg(argv[1]) : 0;
    unsigned rounds = argc == 3 ? lwb_arg(argv[2]) : 0;
    if (!mb || !rounds) {
        lwb_puts("usage: lwb-touch MB ROUNDS (each 1..256)\n");
        return 2;
    }
    uintptr_t base = (uintptr_t)lwb_sys(SYS_BRK, 0, 0, 0);
    base = (base + PAGE_BYTES - 1) & ~(uintptr_t)(PAGE_BYTES - 1);
    unsigned pages = mb * (MB_BYTES / PAGE_BYTES);
    uint32_t sum = 0;
    for (unsigned r = 0; r < rounds; r++) {
        if (lwb_round(base, pages, r, &sum) < 0) {
            lwb_puts("lwb-touch: brk refused to grow the heap\n");
            return 1;
        }
    }
    char line[64];
    unsigned len = 0;
    lwb_append(line, &len, "pages ");
    lwb_fmt(line, &len, pages * rounds, 10);
    lwb_append(line, &len, " sum ");
    lwb_fmt(line, &len, sum, 16);
    lwb_append(line, &len, "\n");
    line[len] = 0;
    lwb_puts(line);
    return 0;
}

void lwb_start(long *sp) __attribute__((noreturn, used));
void lwb_start(long *sp)
{
    lwb_exit(lwb_main((int)sp[0], (char **)(sp + 1)));
}

/* The kernel enters with sp at argc; pass it on and keep the ABI's argument area free. */
__asm__(".globl __start\n__start:\n\t.set noreorder\n\tmove $4, $sp\n\t"
        "addiu $sp, $sp, -32\n\tjal lwb_start\n\tnop\n\t.set reorder\n");
