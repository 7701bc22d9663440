/*
 * exec_common.h - instruction semantics shared by the three engines (interp.c,
 * blockexec.c, jit_x86.c), so that they cannot drift apart: division, multiply-
 * accumulate, the LWL/LWR/SWL/SWR merges, and the fault check of those partial accesses.
 */
#ifndef MIPS_SIM_EXEC_COMMON_H
#define MIPS_SIM_EXEC_COMMON_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "mips-sim/arch.h"
#include "mips-sim/cpu/cpu.h"

/* DIV / DIVU. Division by zero leaves HI/LO unchanged (UNPREDICTABLE, no exception). */
static inline void exec_div(cpu *c, uint32_t a, uint32_t b, bool is_unsigned)
{
    if (b == 0)
        return;
    if (is_unsigned) {
        c->lo = a / b;
        c->hi = a % b;
    } else if ((int32_t)a == INT32_MIN && (int32_t)b == -1) {
        c->lo = a;
        c->hi = 0;
    } else {
        c->lo = (uint32_t)((int32_t)a / (int32_t)b);
        c->hi = (uint32_t)((int32_t)a % (int32_t)b);
    }
}

/* MADD/MADDU/MSUB/MSUBU: `funct` is SPECIAL2's funct (0, 1, 4, 5): bit 0 selects
 * unsigned, bit 2 subtraction. */
static inline void exec_madd(cpu *c, uint32_t a, uint32_t b, unsigned funct)
{
    uint64_t p = (funct & 1) ? (uint64_t)a * b
                             : (uint64_t)((int64_t)(int32_t)a * (int32_t)b);
    uint64_t acc = ((uint64_t)c->hi << 32) | c->lo;
    acc = (funct & 4) ? acc - p : acc + p;
    c->hi = (uint32_t)(acc >> 32);
    c->lo = (uint32_t)acc;
}

/* The partial-word merges: `w` is the aligned memory word, `r` the register, `va` the
 * unaligned address. LWL/LWR give the new register; SWL/SWR the new memory word. */
static inline uint32_t exec_lwl(uint32_t r, uint32_t w, uint32_t va)
{
    uint32_t sh = (va & 3) * 8;
    return (r & (0x00ffffffu >> sh)) | (w << (24 - sh));
}
static inline uint32_t exec_lwr(uint32_t r, uint32_t w, uint32_t va)
{
    uint32_t sh = (va & 3) * 8;
    return (r & ~(0xffffffffu >> sh)) | (w >> sh);
}
static inline uint32_t exec_swl(uint32_t r, uint32_t w, uint32_t va)
{
    uint32_t sh = (va & 3) * 8;
    return (w & ~(0xffffffffu >> (24 - sh))) | (r >> (24 - sh));
}
static inline uint32_t exec_swr(uint32_t r, uint32_t w, uint32_t va)
{
    uint32_t sh = (va & 3) * 8;
    return (w & ~(0xffffffffu << sh)) | (r << sh);
}

/*
 * LWL/LWR/SWL/SWR access the aligned word, but a fault must report the unaligned
 * effective address in BadVAddr and, for SWL/SWR, be a store fault (TLBS, not the TLBL
 * of the read half). On a fast-path miss, translate `va` first and raise from it.
 * Needs `c`, `htlb` and the engine's RAISE_F(code, fault, ce).
 */
#define EXEC_PARTIAL_CHECK(va, write)                                                   \
    do {                                                                                \
        uint32_t pva_ = (va);                                                           \
        const cpu_htlb_entry *pe_ = &htlb[CPU_HTLB_SLOT(pva_)];                         \
        if (__builtin_expect(((write) ? pe_->wtag : pe_->rtag) != ARCH_PAGE_BASE(pva_), 0)) { \
            uint64_t ppa_;                                                              \
            bool prefill_;                                                              \
            int pcode_ = cpu_translate(c, pva_, (write), &ppa_, &prefill_);             \
            if (pcode_) {                                                               \
                cpu_fault pf_ = { .code = pcode_, .badvaddr = pva_, .refill = prefill_ }; \
                RAISE_F(pcode_, &pf_, 0);                                               \
            }                                                                           \
        }                                                                               \
    } while (0)

#endif
