/*
 * codecache.h - pre-decoded basic blocks of guest code, per physical page of RAM.
 *
 * The block engine (blockexec.c) does not decode an instruction word each time it runs
 * one. It runs blocks: a straight line of instructions that ends with a branch and its
 * delay slot, before an instruction the block engine leaves to the interpreter
 * ("step" instructions: CP0, TLB, traps, system calls, LL/SC...), at the end of a page,
 * or after CODECACHE_MAX_LEN instructions. Each instruction becomes one xop: the handler
 * address to jump to (threaded dispatch) and its fields, already extracted.
 *
 * Blocks are keyed by physical address, so they hold nothing that depends on the
 * virtual address: branch targets are computed at run time from the block's pc. A
 * block never crosses a 4 KB page, so one fetch check per block covers all of it.
 *
 * Invariants (what keeps pre-decoded code equal to memory):
 *  - a page is "code" while it has a codecache_page; no CPU's fast path then holds a
 *    write tag for it (codecache_page clears them, and fastpath_fill never sets one), so
 *    every store to it takes the slow path, which calls codecache_write;
 *  - codecache_write (and any other writer of RAM: loaders, the monitor hook) retires
 *    the page: its blocks are unlinked at once and freed by codecache_collect, which
 *    runs only when no CPU is inside a block, so a store that modifies the block it
 *    runs in is safe;
 *  - a block with len == 0 means "interpret the instruction at this address";
 *  - compiled code lives as long as the JIT's space is not reset, which happens only
 *    with every page retired (so no block, and no chain slot, refers to it).
 */
#ifndef MIPS_SIM_CODECACHE_H
#define MIPS_SIM_CODECACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mips-sim/arch.h"
#include "mips-sim/cpu/system.h"
#include "mips-sim/engine/jit.h"

#define CODECACHE_MAX_LEN 64      /* instructions per block, at most */
#define CODECACHE_SINK 32         /* gpr index that absorbs writes to $zero */

/* Operation kinds beyond enum decode_op (same numbering space). */
enum codecache_kind {
    XK_NOP = 200,   /* an instruction with no effect (or whose only effect is on $zero) */
    XK_END,         /* end of block: continue at the next pc */
    XK_ULR,         /* RDHWR rt, $29 (UserLocal, the thread pointer of o32 TLS); other
                     * RDHWR registers depend on the cycle count: left to the interpreter */
    XK_COUNT
};

/* One pre-decoded instruction. `imm` is the sign- or zero-extended immediate, or for
 * branches the target's byte offset from the block's first instruction, or for J/JAL
 * the target's low 28 bits. */
typedef struct xop {
    const void *h;                 /* handler (label address in the block engine) */
    uint8_t rd, rs, rt, sa;        /* destinations of $zero are CODECACHE_SINK */
    uint32_t imm;
} xop;

typedef struct xblock {
    uint16_t len;                  /* instructions (the END op is ops[len]) */
    bool ends_in_branch;           /* ops[len-2] is a branch, ops[len-1] its delay slot */
    jit_code code;                 /* the block compiled, or NULL: run the ops */
    uint8_t *chain;                /* its entry for chained blocks (see jit.h) */
    xop ops[];
} xblock;

typedef struct codepage {
    xblock *blocks[ARCH_PAGE_WORDS];          /* by word offset in the page; NULL: not decoded */
    struct codepage *next_retired;
} codepage;

typedef struct codecache {
    codepage **pages;              /* by physical page number; NULL: not code */
    uint64_t npages;               /* physical pages covered (up to the last RAM byte) */
    codepage *retired;             /* waiting for codecache_collect */
    jit *jit;                      /* compiles new blocks; NULL: threaded ops only */
    bool jit_full;                 /* code space ran out: flush at the next safe point */
} codecache;

/* Build the cache for the RAM of sys's bus (which must be complete), compiling blocks
 * to host code when sys's engine is the JIT. NULL on failure. */
codecache *codecache_new(const cpu_system *sys);
void codecache_free(codecache *cc);

/* The code page of physical page `ppage` (address, 4 KB aligned), made on first use:
 * that drops every CPU's write tag for it. NULL if ppage is not covered (no RAM). */
codepage *codecache_page(cpu_system *sys, uint64_t ppage);

/* True if physical address `pa` lies in a page that holds decoded code. */
static inline bool codecache_is_code(const codecache *cc, uint64_t pa)
{
    uint64_t pn = pa >> ARCH_PAGE_SHIFT;
    return cc && pn < cc->npages && cc->pages[pn] != NULL;
}

/* RAM at physical address pa is about to be written: retire its page if it is code. */
void codecache_write(codecache *cc, uint64_t pa);

/* Free retired pages, and when the JIT's code space is full, drop every block and
 * start the space afresh. Call only when no CPU is executing a block. */
void codecache_collect(codecache *cc);

/*
 * Decode the block that starts at word `word` of page `cp`, whose host memory is
 * `host_page`, and link it into the page. `handlers` maps operation kinds (enum
 * decode_op, then enum codecache_kind) to handler addresses; NULL entries are "step"
 * instructions. Returns the block, or NULL when out of memory.
 */
xblock *codecache_translate(codecache *cc, codepage *cp, unsigned word,
                            const uint8_t *host_page, const void *const *handlers);

#endif
