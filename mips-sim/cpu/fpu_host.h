/*
 * fpu_host.h - the host's IEEE 754 arithmetic, under a given rounding mode, with the
 * exceptions it raised: what fpu.c builds the MIPS operations on. Private to fpu.c.
 *
 * On x86-64 each operation is one SSE2 instruction between a load and a read of MXCSR
 * (all exceptions masked, flush-to-zero and denormals-are-zero off), so the compiler
 * can neither fold nor move it. Elsewhere <fenv.h> does the same job, more slowly.
 * Only non-NaN operands reach these functions (fpu.c handles NaNs itself, since the
 * host's NaN encoding is the opposite of legacy MIPS's).
 *
 * Rounding modes are MIPS's (FCSR.RM: 0 nearest, 1 zero, 2 +inf, 3 -inf); the returned
 * exception masks are fpu.h's FPU_EX_*.
 */
#ifndef MIPS_SIM_FPU_HOST_H
#define MIPS_SIM_FPU_HOST_H

#include <stdint.h>

#include "mips-sim/cpu/fpu.h"

enum fpu_host_op { FH_ADD, FH_SUB, FH_MUL, FH_DIV, FH_SQRT };

#if defined(__x86_64__)

#define FH_MXCSR_MASKED 0x1f80u
#define FH_MXCSR_RC_SHIFT 13

/* MIPS rounding mode -> MXCSR.RC (0 nearest, 1 down, 2 up, 3 zero). */
static const uint8_t fh_rc[4] = { 0, 3, 2, 1 };

static inline uint32_t fh_enter(unsigned rm)
{
    uint32_t old, m = FH_MXCSR_MASKED | (uint32_t)fh_rc[rm & 3] << FH_MXCSR_RC_SHIFT;
    __asm__ volatile("stmxcsr %0" : "=m"(old));
    __asm__ volatile("ldmxcsr %0" : : "m"(m));
    return old;
}

/* Restore the host's MXCSR; return what was raised since fh_enter (IE ZE OE UE PE). */
static inline unsigned fh_leave(uint32_t old)
{
    uint32_t m;
    __asm__ volatile("stmxcsr %0" : "=m"(m));
    __asm__ volatile("ldmxcsr %0" : : "m"(old));
    return ((m & 0x01) ? FPU_EX_V : 0) | ((m & 0x04) ? FPU_EX_Z : 0) |
           ((m & 0x08) ? FPU_EX_O : 0) | ((m & 0x10) ? FPU_EX_U : 0) |
           ((m & 0x20) ? FPU_EX_I : 0);
}

#define FH_BIN(insn, r, a, b) __asm__ volatile(insn " %2, %0" : "=x"(r) : "0"(a), "x"(b))
#define FH_UN(insn, r, a) __asm__ volatile(insn " %1, %0" : "=x"(r) : "x"(a))

static inline double fh_d(enum fpu_host_op op, double a, double b)
{
    double r;
    switch (op) {
    case FH_ADD: FH_BIN("addsd", r, a, b); break;
    case FH_SUB: FH_BIN("subsd", r, a, b); break;
    case FH_MUL: FH_BIN("mulsd", r, a, b); break;
    case FH_DIV: FH_BIN("divsd", r, a, b); break;
    default: FH_UN("sqrtsd", r, a); break;
    }
    return r;
}

static inline float fh_s(enum fpu_host_op op, float a, float b)
{
    float r;
    switch (op) {
    case FH_ADD: FH_BIN("addss", r, a, b); break;
    case FH_SUB: FH_BIN("subss", r, a, b); break;
    case FH_MUL: FH_BIN("mulss", r, a, b); break;
    case FH_DIV: FH_BIN("divss", r, a, b); break;
    default: FH_UN("sqrtss", r, a); break;
    }
    return r;
}

static inline float fh_d2s(double a) { float r; FH_UN("cvtsd2ss", r, a); return r; }
static inline double fh_i2d(int64_t a) { double r; __asm__ volatile("cvtsi2sdq %1, %0" : "=x"(r) : "r"(a)); return r; }
static inline float fh_i2s(int64_t a) { float r; __asm__ volatile("cvtsi2ssq %1, %0" : "=x"(r) : "r"(a)); return r; }
/* Conversions to integers in the current rounding mode; out of range or NaN: IE. */
static inline int32_t fh_d2w(double a) { int32_t r; __asm__ volatile("cvtsd2si %1, %0" : "=r"(r) : "x"(a)); return r; }
static inline int64_t fh_d2l(double a) { int64_t r; __asm__ volatile("cvtsd2siq %1, %0" : "=r"(r) : "x"(a)); return r; }

#else /* portable: <fenv.h> */

#include <fenv.h>
#include <math.h>

static const int fh_rc[4] = { FE_TONEAREST, FE_TOWARDZERO, FE_UPWARD, FE_DOWNWARD };

static inline uint32_t fh_enter(unsigned rm)
{
    uint32_t old = (uint32_t)fegetround();
    fesetround(fh_rc[rm & 3]);
    feclearexcept(FE_ALL_EXCEPT);
    return old;
}

static inline unsigned fh_leave(uint32_t old)
{
    int e = fetestexcept(FE_ALL_EXCEPT);
    fesetround((int)old);
    return ((e & FE_INVALID) ? FPU_EX_V : 0) | ((e & FE_DIVBYZERO) ? FPU_EX_Z : 0) |
           ((e & FE_OVERFLOW) ? FPU_EX_O : 0) | ((e & FE_UNDERFLOW) ? FPU_EX_U : 0) |
           ((e & FE_INEXACT) ? FPU_EX_I : 0);
}

static inline double fh_d(enum fpu_host_op op, double a, double b)
{
    volatile double x = a, y = b, r;
    switch (op) {
    case FH_ADD: r = x + y; break;
    case FH_SUB: r = x - y; break;
    case FH_MUL: r = x * y; break;
    case FH_DIV: r = x / y; break;
    default: r = sqrt(x); break;
    }
    return r;
}

static inline float fh_s(enum fpu_host_op op, float a, float b)
{
    volatile float x = a, y = b, r;
    switch (op) {
    case FH_ADD: r = x + y; break;
    case FH_SUB: r = x - y; break;
    case FH_MUL: r = x * y; break;
    case FH_DIV: r = x / y; break;
    default: r = sqrtf(x); break;
    }
    return r;
}

static inline float fh_d2s(double a) { volatile double x = a; volatile float r = (float)x; return r; }
static inline double fh_i2d(int64_t a) { volatile int64_t x = a; volatile double r = (double)x; return r; }
static inline float fh_i2s(int64_t a) { volatile int64_t x = a; volatile float r = (float)x; return r; }
static inline int32_t fh_d2w(double a)
{
    volatile double x = a;
    if (!(x > -2147483649.0 && x < 2147483648.0)) {
        feraiseexcept(FE_INVALID);
        return INT32_MIN;
    }
    return (int32_t)llrint(x);
}
static inline int64_t fh_d2l(double a)
{
    volatile double x = a;
    if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) {
        feraiseexcept(FE_INVALID);
        return INT64_MIN;
    }
    return (int64_t)llrint(x);
}

#endif
#endif
