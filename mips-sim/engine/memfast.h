/*
 * memfast.h - the one memory fast path of the engines: the soft-TLB load and store that
 * the interpreter (interp.c) and the block engine (blockexec.c) expand, and the NUMA
 * cache-model accounting (data accesses and instruction fetches) that all three
 * engines, the JIT's compiled code included (jit_x86.c), charge through.
 *
 * The fast path (cpu.h: htlb): an access compares the page of its address with the
 * tag of the entry for that page in the current mode's table; on a hit it touches host
 * memory at addend + vaddr. Anything else goes to the slow path (fastpath.h:
 * cpu_load_slow/cpu_store_slow), which translates, reaches the bus and refills the
 * entry when the page is RAM. The JIT emits the same compare on the same table and
 * bails to the interpreter on a miss, so its misses take this slow path too.
 *
 * Cache model: every RAM access (a hit, or a slow path that filled the entry) is one
 * cache_access() on the physical address; device accesses are not modelled. A store
 * to a page that holds decoded code takes the slow path in the block engine and the
 * JIT (no write tag) but not in the interpreter, which decodes nothing: it counts as
 * a RAM access all the same, as the read tag its slow path fills tells. An
 * instruction fetch is one access when its virtual line differs from c->fetch_line,
 * the line of the last fetch charged (cpu.h says when that is forgotten). Accounting
 * happens in instruction order, fetch first, and the time of an access is the CPU's
 * clock then: c->cycles plus the instructions the engine has retired but not yet
 * written back. A stall goes to the CPU's clock and budget at once
 * (memfast_charge); the engine counts it against its slice as the interpreter does,
 * before each instruction: an instruction starts only while instructions + stalls
 * stay below the slice. A hot-page event (sys->held) ends the slice after the
 * instruction that raised it. So every engine gives the same misses, the same hot-page
 * events in the same order and the same simulated time.
 *
 * To expand MEMFAST_READ/MEMFAST_WRITE an engine has in scope `c` (cpu *), `htlb`
 * (the current mode's table), `ll_links` (const int *, &sys->ll_links), `cache` (bool:
 * is the model on), and defines:
 *   MF_SLOW_SYNC()       write its register-held state back before a slow path;
 *   MF_FAULT(f)          raise the fault *f for the current instruction and leave;
 *   MF_SLOW_DONE()       a slow path completed: end the slice after this instruction;
 *   MF_ACCOUNT(pa, wr)   charge one data access through memfast_charge.
 */
#ifndef MIPS_SIM_ENGINE_MEMFAST_H
#define MIPS_SIM_ENGINE_MEMFAST_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "mips-sim/arch.h"
#include "mips-sim/cpu/cpu_internal.h"
#include "mips-sim/engine/fastpath.h"
#include "mips-sim/mem/cache.h"

/* The cache model's miss path of memfast_charge (fastpath.c). */
uint32_t memfast_charge_miss(cpu *c, uint64_t paddr, bool write, uint64_t now);

/* Charge one access of CPU c to the cache model at time `now`: the stall (0 on a hit)
 * is added to c's clock, budget and statistics, and returned. May set sys->held. */
static inline uint32_t memfast_charge(cpu *c, uint64_t paddr, bool write, uint64_t now)
{
    if (__builtin_expect(cache_hit(c->sys->cache, c->id, paddr, write), 1))
        return 0;
    return memfast_charge_miss(c, paddr, write, now);
}

/* The fetch of the instruction at `pc` (in the page of c->fetch_ppage) at time `now`,
 * with lines of 1 << line_shift bytes: charged when it starts a new line. Returns the
 * stall. */
static inline uint32_t memfast_fetch(cpu *c, uint32_t pc, unsigned line_shift, uint64_t now)
{
    uint32_t line = pc >> line_shift;
    if (__builtin_expect(line == c->fetch_line, 1))
        return 0;
    c->fetch_line = line;
    return memfast_charge(c, c->fetch_ppage | (pc & ARCH_PAGE_MASK), false, now);
}

/* The physical address of a fast-path hit (for the cache model). */
#define MEMFAST_PADDR(e, va) ((e)->ppage | ((va) & ARCH_PAGE_MASK))

#define MEMFAST_READ(T, va, out)                                                        \
    do {                                                                                \
        uint32_t mva_ = (va);                                                           \
        const cpu_htlb_entry *me_ = &htlb[CPU_HTLB_SLOT(mva_)];                         \
        if (__builtin_expect(me_->rtag == ARCH_PAGE_BASE(mva_), 1)) {                   \
            T mt_;                                                                      \
            memcpy(&mt_, (const void *)(me_->addend + mva_), sizeof(T));                \
            out = mt_;                                                                  \
        } else {                                                                        \
            uint32_t mv_;                                                               \
            cpu_fault mf_;                                                              \
            MF_SLOW_SYNC();                                                             \
            if (cpu_load_slow(c, mva_, (int)sizeof(T), &mv_, &mf_))                     \
                MF_FAULT(&mf_);                                                         \
            out = (T)mv_;                                                               \
            MF_SLOW_DONE();                                                             \
            if (me_->rtag != ARCH_PAGE_BASE(mva_))                                      \
                break;                  /* a device: the model has no line for it */    \
        }                                                                               \
        if (cache)                                                                      \
            MF_ACCOUNT(MEMFAST_PADDR(me_, mva_), false);                                \
    } while (0)

#define MEMFAST_WRITE(T, va, val)                                                       \
    do {                                                                                \
        uint32_t mva_ = (va);                                                           \
        const cpu_htlb_entry *me_ = &htlb[CPU_HTLB_SLOT(mva_)];                         \
        if (__builtin_expect(me_->wtag == ARCH_PAGE_BASE(mva_), 1)) {                   \
            T mt_ = (T)(val);                                                           \
            uintptr_t mh_ = me_->addend + mva_;                                         \
            memcpy((void *)mh_, &mt_, sizeof(T));                                       \
            if (__builtin_expect(*ll_links != 0, 0))                                    \
                cpu_ll_break(c, mh_ & ~(uintptr_t)3);                                   \
        } else {                                                                        \
            cpu_fault mf_;                                                              \
            MF_SLOW_SYNC();                                                             \
            if (cpu_store_slow(c, mva_, (int)sizeof(T), (uint32_t)(val), &mf_))         \
                MF_FAULT(&mf_);                                                         \
            MF_SLOW_DONE();                                                             \
            if (me_->rtag != ARCH_PAGE_BASE(mva_))                                      \
                break;                  /* a device (RAM, code pages too, is filled) */ \
        }                                                                               \
        if (cache)                                                                      \
            MF_ACCOUNT(MEMFAST_PADDR(me_, mva_), true);                                 \
    } while (0)

#endif
