/*
 * jit.h - compiles codecache blocks to x86-64 host code (a template JIT).
 *
 * A compiled block does only the common case of each instruction: ALU work, branches,
 * and loads and stores that hit the fast path (cpu.h's htlb). Anything else - a
 * fast-path miss, a misaligned address, an overflow, CACHE outside kernel mode - makes
 * the block "bail": it returns before that instruction has any effect, and the caller
 * has the interpreter execute it (slow path, exception and all). So the compiled code
 * never raises an exception or calls a device itself, and results stay identical to
 * the interpreter's.
 *
 * Calling convention of a compiled block:
 *   uint32_t block(cpu *c, const cpu_htlb_entry *htlb, uint32_t pc, uint64_t budget)
 * `pc` is the virtual address of the block's first instruction (blocks are keyed by
 * physical address, so every pc-relative value is computed from it at run time), and
 * `budget` the instructions the slice has left. A block runs only if its whole length
 * fits in the budget, like the threaded engine's blocks.
 *
 * Chaining: a block whose successor (fall-through, or a branch or jump target) lies in
 * the same 4 KB page jumps to it directly, once linked. Each such exit is a "chain
 * slot", a jmp that first leads back to the caller with c->jit_patch set to the slot;
 * the caller finds or makes the next block and calls jit_link(). Same page means same
 * physical page, so both blocks live and die together (codecache.h).
 *
 * Hops: every other exit (JR/JALR, a jump or branch to another page, falling off the
 * page's end) looks the next block up itself before it gives up and returns: the
 * target's fast-path read entry in the current mode's table (so the virtual page is
 * mapped and readable, exactly the caller's fetch check), its code page in the
 * codecache's page table (jit_bind) and the block at its word. When all exist and the
 * block is compiled, it jumps to the block's chain entry and stores the code page in
 * c->jit_cp; otherwise it returns as before. Nothing is linked, so a retired page is
 * never reached: its slot in the page table is NULL. The caller sets c->jit_cp to the
 * first block's page before each call, and after it knows the page of the block that
 * exited (or bailed) from c->jit_cp.
 *
 * Exit state, in the cpu: jit_left is the budget left. Return 0: jit_next is the pc to
 * continue at. Return JIT_BAIL | i: instruction i of the block at jit_pc did not
 * execute (those before it did; if i is a delay slot, jit_next holds the branch's
 * decision).
 *
 * Cache model (jit_set_cache): compiled code charges every fetch of a new line and every
 * fast-path access through memfast.h, at the clock c->jit_end - r13 + i (the caller
 * sets jit_end to the clock at which the budget runs out, and clears jit_stall and
 * jit_stop). Stalls are subtracted from the budget as they happen (it may then go
 * below zero) and summed in jit_stall. When, after instruction i, the block cannot
 * finish in what stalls left of the budget, or a hot-page event waits (jit_stop), the
 * block returns JIT_BAIL | JIT_STOP | i + 1 (after a block's last instruction, the
 * next block's entry returns 0): the caller then has the interpreter run the rest of
 * the slice, or ends it for the event. So the slice ends where the interpreter's would.
 *
 * Invariant: the caller runs compiled code only while no CPU holds an LL link
 * (cpu_system.ll_links == 0), since compiled stores do not search for links to break.
 */
#ifndef MIPS_SIM_JIT_H
#define MIPS_SIM_JIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mips-sim/cpu/cpu.h"

#define JIT_BAIL 0x10000u
#define JIT_STOP 0x20000u      /* with JIT_BAIL: the block cannot go on at instruction i */

typedef uint32_t (*jit_code)(cpu *c, const cpu_htlb_entry *htlb, uint32_t pc,
                             uint64_t budget);

typedef struct jit jit;
struct codepage;

/* One instruction of a block, as the decoder gives it. */
typedef struct jit_insn {
    unsigned kind;                 /* enum decode_op or enum codecache_kind */
    uint32_t word;                 /* the instruction word */
    uint8_t rd, rs, rt, sa;        /* as in xop: destinations of $zero are the sink */
    uint32_t imm;
} jit_insn;

/* A JIT with `bytes` of code space, or NULL where there is no JIT (not x86-64, or no
 * executable memory). */
jit *jit_new(size_t bytes);
void jit_free(jit *j);

/* Compile a block of `len` instructions that starts at word `word` of its page
 * (ends_in_branch as in xblock). Returns the entry for callers, and in *chain the
 * entry for chained blocks; NULL when the code space is full: the block then runs on
 * the threaded engine. */
jit_code jit_compile(jit *j, const jit_insn *insns, unsigned len, bool ends_in_branch,
                     unsigned word, uint8_t **chain);

/* Where hops find code pages: the codecache's table of `npages` page pointers, indexed
 * by physical page number. The table must not move while compiled code exists. */
void jit_bind(jit *j, struct codepage *const *pages, uint64_t npages);

/* Point chain slot `slot` (from c->jit_patch) at a block's chain entry. */
void jit_link(uint8_t *slot, uint8_t *chain);

/* True when too few code bytes are left for another block. */
bool jit_full(const jit *j);

/* Compile the cache model's charges into every block from now on (before the first:
 * compiled code depends on it), for lines of 1 << line_shift bytes. */
void jit_set_cache(jit *j, unsigned line_shift);

/* Forget all compiled code, to reuse the space. Only when no compiled code can run
 * again: every block that points at it must be gone (codecache_flush). */
void jit_reset(jit *j);

#endif
