/*
 * fpdiff_linux.c - fpdiff as a static mipsel Linux user program with no C library:
 * __start calls fp_main, output is buffered and written with the o32 write system
 * call, and the exit status goes to exit_group.
 */
#include <stdint.h>

#include "fpdiff.h"

#define SYS_EXIT_GROUP 4246
#define SYS_WRITE 4004
#define OUT_SIZE 4096

static char out[OUT_SIZE];
static unsigned out_len;

static long sys3(long nr, long a, long b, long c)
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

static void flush(void)
{
    unsigned done = 0;
    while (done < out_len) {
        long n = sys3(SYS_WRITE, 1, (long)(uintptr_t)(out + done), (long)(out_len - done));
        if (n <= 0)
            break;
        done += (unsigned)n;
    }
    out_len = 0;
}

void fp_putc(char c)
{
    out[out_len++] = c;
    if (out_len == OUT_SIZE)
        flush();
}

void fp_start(void) __attribute__((noreturn, used));
void fp_start(void)
{
    int rc = fp_main();
    flush();
    sys3(SYS_EXIT_GROUP, rc, 0, 0);
    for (;;) {}
}

/* The kernel enters with sp at argc; keep the ABI's 16-byte argument area free. */
__asm__(".globl __start\n__start:\n\t.set noreorder\n\taddiu $sp, $sp, -32\n\t"
        "jal fp_start\n\tnop\n\t.set reorder\n");
