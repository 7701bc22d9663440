/* klib.c - memory, console formatting, locks and atomics (see klib.h). */
#include "guest/mini/klib.h"

#include "guest/mini/hal.h"

#define KLIB_LINE_MAX 256

static spinlock console_lock;

void *memset(void *d, int c, unsigned long n)
{
    unsigned char *p = d;
    while (n--)
        *p++ = (unsigned char)c;
    return d;
}

void *memcpy(void *d, const void *s, unsigned long n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

typedef struct {
    char *buf;
    unsigned size, len;
} kbuf;

static void kbuf_putc(kbuf *b, char c)
{
    if (b->len + 1 < b->size)
        b->buf[b->len] = c;
    b->len++;
}

static void kbuf_num(kbuf *b, uint32_t v, unsigned base, unsigned width, char pad, int neg)
{
    char tmp[12];
    unsigned n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg)
        tmp[n++] = '-';
    while (width > n) {
        kbuf_putc(b, pad);
        width--;
    }
    while (n)
        kbuf_putc(b, tmp[--n]);
}

int kvsnprintf(char *buf, unsigned size, const char *fmt, va_list ap)
{
    kbuf b = { buf, size, 0 };
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            kbuf_putc(&b, *fmt);
            continue;
        }
        char pad = ' ';
        unsigned width = 0;
        if (*++fmt == '0')
            pad = '0', fmt++;
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (unsigned)(*fmt++ - '0');
        switch (*fmt) {
        case 's': for (const char *s = va_arg(ap, const char *); *s; s++) kbuf_putc(&b, *s); break;
        case 'c': kbuf_putc(&b, (char)va_arg(ap, int)); break;
        case 'u': kbuf_num(&b, va_arg(ap, unsigned), 10, width, pad, 0); break;
        case 'x': kbuf_num(&b, va_arg(ap, unsigned), 16, width, pad, 0); break;
        case 'd': {
            int v = va_arg(ap, int);
            kbuf_num(&b, v < 0 ? 0u - (uint32_t)v : (uint32_t)v, 10, width, pad, v < 0);
            break;
        }
        case '%': kbuf_putc(&b, '%'); break;
        default: kbuf_putc(&b, '?'); break;
        }
        if (!*fmt)
            break;
    }
    if (size)
        buf[b.len < size ? b.len : size - 1] = 0;
    return (int)b.len;
}

int ksnprintf(char *buf, unsigned size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

void kprintf(const char *fmt, ...)
{
    char line[KLIB_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > KLIB_LINE_MAX - 1)
        n = KLIB_LINE_MAX - 1;
    spin_lock(&console_lock);
    hal_console_write(line, (unsigned)n);
    spin_unlock(&console_lock);
}

void kpanic(const char *what)
{
    kprintf("mini: panic on cpu %u: %s\n", hal_cpu_id(), what);
    hal_power_off(1);
}

void spin_lock(spinlock *l)
{
    uint32_t tmp;
    __asm__ volatile(".set push\n.set noreorder\n"
                     "1: ll %0, 0(%1)\n bnez %0, 1b\n li %0, 1\n sc %0, 0(%1)\n beqz %0, 1b\n nop\n"
                     ".set pop" : "=&r"(tmp) : "r"(&l->v) : "memory");
}

void spin_unlock(spinlock *l)
{
    __asm__ volatile("sync" ::: "memory");
    l->v = 0;
}

/* One LL/SC loop: *p = op(old, v); the operation is picked by the caller's code. */
#define KLIB_LLSC(p, v, insn, ret_new)                                                  \
    ({  uint32_t old_, new_;                                                            \
        __asm__ volatile(".set push\n.set noreorder\n"                                  \
                         "1: ll %0, 0(%2)\n " insn " %1, %0, %3\n sc %1, 0(%2)\n"       \
                         " beqz %1, 1b\n nop\n.set pop"                                 \
                         : "=&r"(old_), "=&r"(new_) : "r"(p), "r"(v) : "memory");       \
        (ret_new) ? old_ + (v) : old_; })

uint32_t atomic_add(volatile uint32_t *p, uint32_t v) { return KLIB_LLSC(p, v, "addu", 1); }
uint32_t atomic_or(volatile uint32_t *p, uint32_t v) { return KLIB_LLSC(p, v, "or", 0); }

uint32_t atomic_swap(volatile uint32_t *p, uint32_t v)
{
    uint32_t old, tmp;
    __asm__ volatile(".set push\n.set noreorder\n"
                     "1: ll %0, 0(%2)\n move %1, %3\n sc %1, 0(%2)\n beqz %1, 1b\n nop\n.set pop"
                     : "=&r"(old), "=&r"(tmp) : "r"(p), "r"(v) : "memory");
    return old;
}
