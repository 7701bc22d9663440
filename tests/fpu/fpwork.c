/*
 * fpwork.c - an FP workload in plain C (what gcc makes of doubles and floats: LDC1,
 * SDC1, MUL.D, ADD.D, C.LT.D, BC1T, CVT, TRUNC.W, SQRT...): a Mandelbrot set, a
 * single-precision polynomial and a square-root series. It prints checksums in hex, so
 * fpdiff.sh can compare qemu-mipsel's run with mips-sim's, and it is the program the
 * FP speed figures time (bench/fpu-speed.sh).
 */
#include <stdint.h>

#include "fpdiff.h"

#ifndef FPWORK_SCALE
#define FPWORK_SCALE 1
#endif

static void put_hex(const char *name, uint32_t v)
{
    while (*name)
        fp_putc(*name++);
    fp_putc(' ');
    for (int i = 28; i >= 0; i -= 4)
        fp_putc("0123456789abcdef"[(v >> i) & 15]);
    fp_putc('\n');
}

static uint32_t mandel(int size, int iters)
{
    uint32_t sum = 0;
    for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++) {
            double cr = -2.0 + 2.5 * x / size, ci = -1.25 + 2.5 * y / size;
            double zr = 0, zi = 0;
            int k = 0;
            while (k < iters && zr * zr + zi * zi < 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                k++;
            }
            sum = sum * 31 + (uint32_t)k;
        }
    return sum;
}

static uint32_t poly(int n)
{
    float acc = 0.0f;
    for (int i = 0; i < n; i++) {
        float x = (float)i / (float)n;
        acc += ((1.5f * x - 0.25f) * x + 3.0f) * x - 1.0f;
    }
    union { float f; uint32_t u; } v = { .f = acc };
    return v.u;
}

static double my_sqrt(double x)
{
    double r;
    __asm__("sqrt.d %0, %1" : "=f"(r) : "f"(x));
    return r;
}

static uint32_t roots(int n)
{
    double s = 0;
    for (int i = 1; i <= n; i++)
        s += my_sqrt((double)i) / (double)(i + 1);
    union { double d; uint64_t u; } v = { .d = s };
    return (uint32_t)(v.u >> 32) ^ (uint32_t)v.u ^ (uint32_t)(int32_t)(s * 1000.0);
}

int fp_main(void)
{
    put_hex("mandel", mandel(96 * FPWORK_SCALE, 200));
    put_hex("poly", poly(100000 * FPWORK_SCALE));
    put_hex("roots", roots(100000 * FPWORK_SCALE));
    return 0;
}
