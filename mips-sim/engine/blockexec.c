/*
 * blockexec.c - the block engine: runs pre-decoded blocks (codecache.h), compiled
 * (jit.h) when the block has host code and no LL link is held, else with threaded
 * dispatch over its ops; the interpreter (interp.c) runs everything else. The same
 * dispatcher serves both: it finds the next block, links chain slots that compiled
 * code asks for, and turns a bail into one interpreted instruction.
 *
 * It gives the same results as the interpreter, instruction for instruction: a block
 * runs only when it fits whole in what is left of the slice; an instruction that is not
 * in a block (CP0, TLB, traps, LL/SC...) or a block that does not fit is left to the
 * interpreter, which then ends the slice; a slow-path memory access ends the slice once
 * its instruction completes, as in the interpreter. Ending a slice early changes no
 * result: the run loop (cpu_run) simply starts the next one.
 *
 * Inside a block the program counter is implicit: `pc` is the block's first instruction
 * and an op's address is pc + 4 * its index. Before anything that may look at the CPU
 * from outside (a slow path, an exception) bx_sync_at() writes back the exact state of
 * the op about to complete, delay slot included.
 *
 * Loads and stores expand the one memory fast path (memfast.h). Under the NUMA cache
 * model each op's fetch is charged before it runs and the slice ends before the op
 * that stalls would push past it, or after the op that raised a hot-page event, as in
 * the interpreter; compiled code that cannot finish its block for stalls hands the
 * rest of the slice to the interpreter (jit.h: JIT_STOP).
 */
#include "mips-sim/engine/codecache.h"
#include "mips-sim/arch.h"
#include "mips-sim/engine/fastpath.h"
#include "mips-sim/cpu/decode.h"
#include "mips-sim/cpu/fpu.h"
#include "mips-sim/engine/exec_common.h"
#include "mips-sim/engine/interp.h"
#include "mips-sim/engine/memfast.h"

#include <limits.h>
#include <string.h>

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Slices shorter than this are interpreted: a block would gain nothing (--quantum 1). */
#define BX_MIN_SLICE 2

_Static_assert((int)OP_COUNT <= (int)XK_NOP, "decode ops and block kinds share one numbering");

/* Write back the state as it is just before `op` (of the block at pc) executes. */
static void bx_sync_at(cpu *c, uint32_t pc, const xblock *blk, const xop *op,
                       uint32_t next_pc, uint64_t n)
{
    unsigned i = (unsigned)(op - blk->ops);
    c->pc = pc + 4 * i;
    if (blk->ends_in_branch && i == blk->len - 1u) {
        c->in_bd = true;               /* the delay slot: the branch already decided */
        c->npc = next_pc;
    } else {
        c->in_bd = false;
        c->npc = c->pc + 4;
    }
    uint64_t done = n + i;
    c->insns += done;
    c->cycles += done;
    c->budget -= (int64_t)done;
}

/* Write back the state between blocks (at pc, not in a delay slot). */
static void bx_sync(cpu *c, uint32_t pc, uint64_t n)
{
    c->pc = pc;
    c->npc = pc + 4;
    c->in_bd = false;
    c->insns += n;
    c->cycles += n;
    c->budget -= (int64_t)n;
}

/* Point the fetch fast path at pc's page, which compiled code reached by a hop (so its
 * read entry in the current table is valid): exceptions read the instruction there. */
static void bx_fetch_at(cpu *c, const cpu_htlb_entry *htlb, uint32_t pc)
{
    if (CPU_FETCH_TAG(pc) == c->fetch_page)
        return;
    const cpu_htlb_entry *e = &htlb[CPU_HTLB_SLOT(pc)];
    c->fetch_page = e->rtag;
    c->fetch_host = (const uint8_t *)(e->addend + e->rtag);
    c->fetch_ppage = e->ppage;
}

/*
 * True if, once `insn` (a step instruction, about to be interpreted) completes without
 * an exception, the interpreter would go on with its slice: it changes nothing that
 * decides whether an interrupt is taken (MTC0, EI, ERET, WAIT and TLB writes cut the
 * interpreter's slice; DI only masks) and makes no slow-path memory access (which may
 * reach a device). The block engine may then go on too, with the same result as ending
 * the slice: no interrupt that was not deliverable at the slice's start becomes so.
 */
static bool bx_step_goes_on(const cpu *c, const cpu_htlb_entry *htlb, uint32_t insn)
{
    switch (decode_op(insn)) {
    case OP_MFC0: case OP_DI: case OP_LL:
    case OP_TGE: case OP_TGEU: case OP_TLT: case OP_TLTU: case OP_TEQ: case OP_TNE:
    case OP_TGEI: case OP_TGEIU: case OP_TLTI: case OP_TLTIU: case OP_TEQI: case OP_TNEI:
        return true;
    case OP_SC: {                       /* stores only with the link, and must hit */
        uint32_t va = c->gpr[insn_rs(insn)] + (uint32_t)insn_simm(insn);
        return !c->llbit || htlb[CPU_HTLB_SLOT(va)].wtag == ARCH_PAGE_BASE(va);
    }
    default:
        return false;
    }
}

/* Raise an exception for the instruction at c->pc (state already synced). */
static void bx_raise(cpu *c, int code, const cpu_fault *f, int ce)
{
    uint32_t insn;
    memcpy(&insn, c->fetch_host + (c->pc & ARCH_PAGE_MASK), 4);
    cpu_raise(c, code, f, ce, insn);
}

/* The op completed after a slow path (state synced at it): step past it and stop. */
static void bx_finish_op(cpu *c, const xblock *blk, const xop *op, uint32_t next_pc)
{
    c->insns++;
    c->cycles++;
    c->budget--;
    c->pc = op == &blk->ops[blk->len - 1] ? next_pc : c->pc + 4;
    c->npc = c->pc + 4;
    c->in_bd = false;
}

/*
 * The block of page cp whose range holds word `word` other than as its first
 * instruction or its delay slot, or NULL; *index is the word's index in it. Only the
 * nearest block before the word is looked at: blocks end at the first branch or step
 * instruction, so when the nearest one stops short, one starting earlier does too.
 */
static const xblock *bx_covering(const codepage *cp, unsigned word, unsigned *index)
{
    unsigned lo = word >= CODECACHE_MAX_LEN ? word - CODECACHE_MAX_LEN : 0;
    for (unsigned w = word; w-- > lo;) {
        const xblock *b = cp->blocks[w];
        if (!b)
            continue;
        unsigned i = word - w;
        if (i >= b->len || (b->ends_in_branch && i == b->len - 1u))
            return NULL;
        *index = i;
        return b;
    }
    return NULL;
}

#define SYNC_AT() bx_sync_at(c, pc, blk, op, next_pc, n)
#define RAISE_F(code, f, ce)                                                            \
    do {                                                                                \
        SYNC_AT();                                                                      \
        bx_raise(c, (code), (f), (ce));                                                 \
        return;                                                                         \
    } while (0)
#define ADDR_ERROR(exc, va)                                                             \
    do {                                                                                \
        cpu_fault f_ = { .code = (exc), .badvaddr = (va) };                             \
        RAISE_F((exc), &f_, 0);                                                         \
    } while (0)

/* A slow-path access syncs once; the op then ends the slice (see OP_DONE). */
#define SLOW_BEGIN()                                                                    \
    do {                                                                                \
        if (!slow) {                                                                    \
            SYNC_AT();                                                                  \
            slow = true;                                                                \
        }                                                                               \
    } while (0)

/* The memory fast path (memfast.h). A slow path syncs once and the op then ends the
 * slice (OP_DONE); a fault leaves from the synced state. */
#define MF_SLOW_SYNC() SLOW_BEGIN()
#define MF_FAULT(f)                                                                     \
    do {                                                                                \
        bx_raise(c, (f)->code, (f), 0);                                                 \
        return;                                                                         \
    } while (0)
#define MF_SLOW_DONE() ((void)0)
#define MF_ACCOUNT(pa, wr) (stall += memfast_charge(c, (pa), (wr), BX_NOW()))
#define READ(T, va, out) MEMFAST_READ(T, va, out)
#define WRITE(T, va, val) MEMFAST_WRITE(T, va, val)

/* Cache model: the clock at the current op (stalls are in c->cycles already; after a
 * slow path the op's state is written back). */
#define BX_INDEX() ((unsigned)(op - blk->ops))
#define BX_NOW() (c->cycles + (slow ? 0 : n + BX_INDEX()))
/* Charge the fetch of the current op. */
#define BX_FETCH()                                                                      \
    (stall += memfast_fetch(c, pc + 4 * BX_INDEX(), line_shift, c->cycles + n + BX_INDEX()))
/* Between two ops of a block under the cache model: stalls may have used up the slice
 * or a hot-page event may wait; else the next op's fetch is charged. */
#define BX_CACHE_STEP()                                                                 \
    do {                                                                                \
        if (BX_INDEX() < blk->len) {                                                    \
            if (n + BX_INDEX() + stall >= max || sys->held) {                           \
                SYNC_AT();                                                              \
                return;                                                                 \
            }                                                                           \
            BX_FETCH();                                                                 \
        }                                                                               \
    } while (0)
/* Start running a block at op. */
#define BX_ENTER()                                                                      \
    do {                                                                                \
        if (UNLIKELY(cache))                                                            \
            BX_FETCH();                                                                 \
        goto *op->h;                                                                    \
    } while (0)

#define NEXT()                                                                          \
    do {                                                                                \
        op++;                                                                           \
        if (UNLIKELY(cache))                                                            \
            BX_CACHE_STEP();                                                            \
        goto *op->h;                                                                    \
    } while (0)
/* End of an op that may have taken a slow path. */
#define OP_DONE()                                                                       \
    do {                                                                                \
        if (UNLIKELY(slow)) {                                                           \
            bx_finish_op(c, blk, op, next_pc);                                          \
            return;                                                                     \
        }                                                                               \
        NEXT();                                                                         \
    } while (0)

#define RS R[op->rs]
#define RT R[op->rt]
#define IMM op->imm
#define TAKEN(cond)                                                                     \
    do {                                                                                \
        if (cond)                                                                       \
            next_pc = pc + IMM;                                                         \
        NEXT();                                                                         \
    } while (0)
/* Branch likely: not taken skips the delay slot, which then does not count. */
#define TAKEN_LIKELY(cond)                                                              \
    do {                                                                                \
        if (cond) {                                                                     \
            next_pc = pc + IMM;                                                         \
            NEXT();                                                                     \
        }                                                                               \
        n += blk->len - 1u;                                                             \
        pc = fall;                                                                      \
        goto dispatch;                                                                  \
    } while (0)

#define H(name) [OP_##name] = &&L_##name

/* The interpreter for what blocks leave to it (up to `max` cycles). */
static void bx_interp(cpu *c, uint64_t max)
{
    if (c->sys->cache)
        interp_slice_cached(c, max);
    else
        interp_slice_plain(c, max);
}

void blockexec_slice(cpu *c, uint64_t max)
{
    static const void *const handlers[XK_COUNT] = {
        H(SLL), H(SRL), H(ROTR), H(SRA), H(SLLV), H(SRLV), H(ROTRV), H(SRAV), H(MOVZ),
        H(MOVN), H(MFHI), H(MTHI), H(MFLO), H(MTLO), H(MULT), H(MULTU), H(DIV), H(DIVU),
        H(ADD), H(ADDU), H(SUB), H(SUBU), H(AND), H(OR), H(XOR), H(NOR), H(SLT), H(SLTU),
        H(ADDI), H(ADDIU), H(SLTI), H(SLTIU), H(ANDI), H(ORI), H(XORI), H(LUI),
        H(LB), H(LBU), H(LH), H(LHU), H(LW), H(LWL), H(LWR), H(SB), H(SH), H(SW),
        H(SWL), H(SWR), H(CACHE), H(MADD), H(MADDU), H(MSUB), H(MSUBU), H(MUL), H(CLZ),
        H(CLO), H(EXT), H(INS), H(WSBH), H(SEB), H(SEH),
        H(JR), H(JALR), H(J), H(JAL), H(BEQ), H(BNE), H(BLEZ), H(BGTZ), H(BLTZ), H(BGEZ),
        H(BLTZAL), H(BGEZAL), H(BEQL), H(BNEL), H(BLEZL), H(BGTZL), H(BLTZL), H(BGEZL),
        H(BLTZALL), H(BGEZALL), H(COP1), H(BC1), H(MOVCI), H(LWC1), H(LDC1), H(SWC1),
        H(SDC1), H(COP1X),
        [XK_NOP] = &&L_NOP, [XK_END] = &&L_END, [XK_ULR] = &&L_ULR,
    };
    cpu_system *const sys = c->sys;
    if (UNLIKELY(!sys->code)) {
        sys->code = codecache_new(sys);
        if (!sys->code) {
            bx_interp(c, max);
            return;
        }
    }
    codecache *const cc = sys->code;
    if (c->in_bd || max < BX_MIN_SLICE) { /* blocks never start in a delay slot */
        bx_interp(c, c->in_bd ? 1 : max);
        return;
    }
    if (cc->retired || cc->jit_full)
        codecache_collect(cc);          /* no CPU is inside a block here */

    uint32_t *const R = c->gpr;
    const cpu_htlb_entry *const htlb = c->htlb;
    const int *const ll_links = &sys->ll_links;
    uint32_t pc = c->pc, next_pc = 0, fall = 0;
    uint64_t n = 0;
    bool slow = false;
    /* Cache model: stall cycles charged in this slice (they count against max). */
    const bool cache = sys->cache != NULL;
    const unsigned line_shift = cache ? sys->cache->line_shift : 0;
    uint64_t stall = 0;
    uint32_t cur_page = CPU_FETCH_NONE;  /* page of cp: looked up on the first block */
    codepage *cp = NULL;
    uint8_t *patch = NULL;              /* chain slot waiting for the next block */
    const codepage *patch_cp = NULL;    /* the page the slot's block belongs to */
    const xblock *blk = NULL;
    const xop *op = NULL;
    bool entry = true;                  /* the slice's first block: it may start mid-block */

dispatch:
    if (UNLIKELY(n + stall >= max) || UNLIKELY(cache && sys->held))
        goto out;
    if (UNLIKELY(CPU_FETCH_TAG(pc) != cur_page)) {
        /* A new code page: the fetch fast path is the read tag of the same page. */
        if (CPU_FETCH_TAG(pc) != c->fetch_page) {
            const cpu_htlb_entry *e = &htlb[CPU_HTLB_SLOT(pc)];
            if (LIKELY(e->rtag == ARCH_PAGE_BASE(pc) && !(pc & 3))) {
                c->fetch_page = e->rtag;
                c->fetch_host = (const uint8_t *)(e->addend + e->rtag);
                c->fetch_ppage = e->ppage;
            } else {
                cpu_fault f;
                bx_sync(c, pc, n);
                max -= n;
                n = 0;
                if (cpu_fetch_slow(c, pc, &f)) {
                    cpu_raise(c, f.code, &f, 0, 0);
                    return;
                }
            }
        }
        cp = codecache_page(sys, c->fetch_ppage);
        if (UNLIKELY(!cp))
            goto step_rest;
        cur_page = c->fetch_page;
    }
    blk = cp->blocks[(pc >> 2) & (ARCH_PAGE_WORDS - 1)];
    if (UNLIKELY(!blk) && entry) {
        /* A slice that starts inside a block (the previous one ran out of budget, or
         * ended after a slow path) runs the rest of that block's ops instead of
         * decoding a new block there: with small quanta every instruction would
         * otherwise get its own block of up to CODECACHE_MAX_LEN ops. */
        unsigned i0;
        const xblock *cov = bx_covering(cp, (pc >> 2) & (ARCH_PAGE_WORDS - 1), &i0);
        if (cov) {
            if (n + stall + cov->len - i0 > max)
                goto step_rest;
            blk = cov;
            pc -= 4 * i0;               /* ops' addresses count from the block's start */
            n -= i0;                    /* L_END adds the whole length (wraps back) */
            patch = NULL;
            entry = false;
            fall = next_pc = pc + 4u * blk->len;
            op = &blk->ops[i0];
            BX_ENTER();
        }
    }
    entry = false;
    if (UNLIKELY(!blk)) {
        blk = codecache_translate(cc, cp, (pc >> 2) & (ARCH_PAGE_WORDS - 1), c->fetch_host, handlers);
        if (!blk)
            goto step_rest;
    }
    if (UNLIKELY(blk->len == 0))
        goto step_one;
    if (UNLIKELY(n + stall + blk->len > max))
        goto step_rest;
    if (LIKELY(blk->code != NULL) && LIKELY(*ll_links == 0)) {
        if (patch) {                    /* the previous block asked to chain to this one */
            if (patch_cp == cp)
                jit_link(patch, blk->chain);
            patch = NULL;
        }
        c->jit_patch = NULL;
        uint64_t budget = max - n - stall;
        if (cache) {                    /* the clock compiled code charges at (jit.h) */
            c->jit_end = c->cycles + n + budget;
            c->jit_stall = 0;
            c->jit_stop = 0;
        }
        c->jit_cp = cp;
        uint32_t r = blk->code(c, htlb, pc, budget);
        uint64_t jstall = cache ? c->jit_stall : 0;
        n += budget - c->jit_left - jstall;   /* modulo 2^64: jit_left may wrap */
        stall += jstall;
        if (UNLIKELY(c->jit_cp != cp)) {
            /* Compiled code hopped to another page (jit.h): the block that exited or
             * bailed is in jit_cp's page; the next dispatch looks the pc's page up. */
            cp = (codepage *)(uintptr_t)c->jit_cp;
            cur_page = CPU_FETCH_NONE;
        }
        if (LIKELY(r == 0)) {
            pc = c->jit_next;
            patch = c->jit_patch;
            patch_cp = cp;
            goto dispatch;
        }
        /* Instruction r & 0xffff of the block at jit_pc (chained blocks share this
         * page) needs the interpreter: a slow path, an exception... */
        pc = c->jit_pc;
        bx_fetch_at(c, htlb, pc);
        blk = cp->blocks[(pc >> 2) & (ARCH_PAGE_WORDS - 1)];
        op = &blk->ops[r & 0xffffu];
        next_pc = c->jit_next;
        SYNC_AT();
        if (!(r & JIT_STOP))
            bx_interp(c, 1);
        else if (!sys->held) {          /* stalls: the slice ends inside this block */
            uint64_t used = n + (r & 0xffffu) + stall;
            bx_interp(c, used < max ? max - used : 0);
        }
        return;
    }
    patch = NULL;
    fall = next_pc = pc + 4u * blk->len;
    op = blk->ops;
    BX_ENTER();

    /* The interpreter runs what blocks cannot, then the slice ends - unless the
     * instruction is one after which the interpreter itself would go on (see
     * bx_step_goes_on) and it completed: then blocks go on from the next pc. */
step_one: {
        uint32_t insn;
        memcpy(&insn, c->fetch_host + (pc & ARCH_PAGE_MASK), 4);
        bool go_on = bx_step_goes_on(c, htlb, insn);
        uint64_t done = c->insns + n + 1;
        bx_sync(c, pc, n);
        bx_interp(c, 1);
        /* Under the cache model the step's stalls are in c->cycles, not in `stall`:
         * the slice ends there, as before. */
        if (cache || !go_on || c->insns != done || c->in_bd || max - n < 1 + BX_MIN_SLICE)
            return;                     /* an exception retires nothing: insns tells */
        max -= n + 1;
        n = 0;
        pc = c->pc;
        patch = NULL;                   /* the slot asked for the stepped pc's block */
        goto dispatch;
    }
step_rest:
    bx_sync(c, pc, n);
    bx_interp(c, max - n - stall);
    return;
out:
    bx_sync(c, pc, n);
    return;

L_END:
    n += blk->len;
    pc = next_pc;
    goto dispatch;
L_NOP: NEXT();
L_ULR:                                  /* RDHWR rt, $29: allowed by CP0 or HWREna */
    if (!(c->mode == CPU_MODE_KERNEL || (c->cp0.status & ST_CU0)) &&
        !(c->cp0.hwrena & (1u << ARCH_HWR_ULR)))
        RAISE_F(EXC_RI, NULL, 0);
    RT = c->cp0.userlocal;
    NEXT();

    /* ---- ALU, register forms ---- */
L_SLL: R[op->rd] = RT << op->sa; NEXT();
L_SRL: R[op->rd] = RT >> op->sa; NEXT();
L_ROTR: {
        unsigned s = op->sa;
        uint32_t b = RT;
        R[op->rd] = s ? (b >> s) | (b << (32 - s)) : b;
        NEXT();
    }
L_SRA: R[op->rd] = (uint32_t)((int32_t)RT >> op->sa); NEXT();
L_SLLV: R[op->rd] = RT << (RS & 31); NEXT();
L_SRLV: R[op->rd] = RT >> (RS & 31); NEXT();
L_ROTRV: {
        unsigned s = RS & 31;
        uint32_t b = RT;
        R[op->rd] = s ? (b >> s) | (b << (32 - s)) : b;
        NEXT();
    }
L_SRAV: R[op->rd] = (uint32_t)((int32_t)RT >> (RS & 31)); NEXT();
L_MOVZ: if (RT == 0) R[op->rd] = RS; NEXT();
L_MOVN: if (RT != 0) R[op->rd] = RS; NEXT();
L_MFHI: R[op->rd] = c->hi; NEXT();
L_MTHI: c->hi = RS; NEXT();
L_MFLO: R[op->rd] = c->lo; NEXT();
L_MTLO: c->lo = RS; NEXT();
L_MULT: {
        int64_t p = (int64_t)(int32_t)RS * (int32_t)RT;
        c->hi = (uint32_t)((uint64_t)p >> 32);
        c->lo = (uint32_t)p;
        NEXT();
    }
L_MULTU: {
        uint64_t p = (uint64_t)RS * RT;
        c->hi = (uint32_t)(p >> 32);
        c->lo = (uint32_t)p;
        NEXT();
    }
L_DIV: exec_div(c, RS, RT, false); NEXT();
L_DIVU: exec_div(c, RS, RT, true); NEXT();
L_ADD: {
        int32_t r;
        if (__builtin_add_overflow((int32_t)RS, (int32_t)RT, &r))
            RAISE_F(EXC_OV, NULL, 0);
        R[op->rd] = (uint32_t)r;
        NEXT();
    }
L_ADDU: R[op->rd] = RS + RT; NEXT();
L_SUB: {
        int32_t r;
        if (__builtin_sub_overflow((int32_t)RS, (int32_t)RT, &r))
            RAISE_F(EXC_OV, NULL, 0);
        R[op->rd] = (uint32_t)r;
        NEXT();
    }
L_SUBU: R[op->rd] = RS - RT; NEXT();
L_AND: R[op->rd] = RS & RT; NEXT();
L_OR: R[op->rd] = RS | RT; NEXT();
L_XOR: R[op->rd] = RS ^ RT; NEXT();
L_NOR: R[op->rd] = ~(RS | RT); NEXT();
L_SLT: R[op->rd] = (int32_t)RS < (int32_t)RT; NEXT();
L_SLTU: R[op->rd] = RS < RT; NEXT();

    /* ---- ALU, immediate forms (imm is already extended; LUI's already shifted) ---- */
L_ADDI: {
        int32_t r;
        if (__builtin_add_overflow((int32_t)RS, (int32_t)IMM, &r))
            RAISE_F(EXC_OV, NULL, 0);
        RT = (uint32_t)r;
        NEXT();
    }
L_ADDIU: RT = RS + IMM; NEXT();
L_SLTI: RT = (int32_t)RS < (int32_t)IMM; NEXT();
L_SLTIU: RT = RS < IMM; NEXT();
L_ANDI: RT = RS & IMM; NEXT();
L_ORI: RT = RS | IMM; NEXT();
L_XORI: RT = RS ^ IMM; NEXT();
L_LUI: RT = IMM; NEXT();

    /* ---- MIPS32r2 extras ---- */
L_MADD: L_MADDU: L_MSUB: L_MSUBU: exec_madd(c, RS, RT, op->sa); NEXT();
L_MUL: R[op->rd] = (uint32_t)((int32_t)RS * (int64_t)(int32_t)RT); NEXT();
L_CLZ: R[op->rd] = RS ? (uint32_t)__builtin_clz(RS) : 32; NEXT();
L_CLO: R[op->rd] = ~RS ? (uint32_t)__builtin_clz(~RS) : 32; NEXT();
L_EXT: RT = (RS >> op->sa) & IMM; NEXT();
L_INS: RT = (RT & ~IMM) | ((RS << op->sa) & IMM); NEXT();
L_WSBH: R[op->rd] = ((RT & 0x00ff00ffu) << 8) | ((RT >> 8) & 0x00ff00ffu); NEXT();
L_SEB: R[op->rd] = (uint32_t)(int32_t)(int8_t)RT; NEXT();
L_SEH: R[op->rd] = (uint32_t)(int32_t)(int16_t)RT; NEXT();
L_CACHE:                                /* caches are not modelled at this level */
    if (c->mode != CPU_MODE_KERNEL && !(c->cp0.status & ST_CU0))
        RAISE_F(EXC_CPU, NULL, 0);
    NEXT();

    /* ---- loads and stores ---- */
L_LB: { int8_t v; READ(int8_t, RS + IMM, v); RT = (uint32_t)(int32_t)v; OP_DONE(); }
L_LBU: { uint8_t v; READ(uint8_t, RS + IMM, v); RT = v; OP_DONE(); }
L_LH: {
        uint32_t va = RS + IMM;
        int16_t v;
        if (UNLIKELY(va & 1))
            ADDR_ERROR(EXC_ADEL, va);
        READ(int16_t, va, v);
        RT = (uint32_t)(int32_t)v;
        OP_DONE();
    }
L_LHU: {
        uint32_t va = RS + IMM;
        uint16_t v;
        if (UNLIKELY(va & 1))
            ADDR_ERROR(EXC_ADEL, va);
        READ(uint16_t, va, v);
        RT = v;
        OP_DONE();
    }
L_LW: {
        uint32_t va = RS + IMM, v;
        if (UNLIKELY(va & 3))
            ADDR_ERROR(EXC_ADEL, va);
        READ(uint32_t, va, v);
        RT = v;
        OP_DONE();
    }
L_LWL: {
        uint32_t va = RS + IMM, w;
        EXEC_PARTIAL_CHECK(va, false);
        READ(uint32_t, va & ~3u, w);
        RT = exec_lwl(RT, w, va);
        OP_DONE();
    }
L_LWR: {
        uint32_t va = RS + IMM, w;
        EXEC_PARTIAL_CHECK(va, false);
        READ(uint32_t, va & ~3u, w);
        RT = exec_lwr(RT, w, va);
        OP_DONE();
    }
L_SB: WRITE(uint8_t, RS + IMM, RT); OP_DONE();
L_SH: {
        uint32_t va = RS + IMM;
        if (UNLIKELY(va & 1))
            ADDR_ERROR(EXC_ADES, va);
        WRITE(uint16_t, va, RT);
        OP_DONE();
    }
L_SW: {
        uint32_t va = RS + IMM;
        if (UNLIKELY(va & 3))
            ADDR_ERROR(EXC_ADES, va);
        WRITE(uint32_t, va, RT);
        OP_DONE();
    }
L_SWL: {
        uint32_t va = RS + IMM, w;
        EXEC_PARTIAL_CHECK(va, true);
        READ(uint32_t, va & ~3u, w);
        w = exec_swl(RT, w, va);
        WRITE(uint32_t, va & ~3u, w);
        OP_DONE();
    }
L_SWR: {
        uint32_t va = RS + IMM, w;
        EXEC_PARTIAL_CHECK(va, true);
        READ(uint32_t, va & ~3u, w);
        w = exec_swr(RT, w, va);
        WRITE(uint32_t, va & ~3u, w);
        OP_DONE();
    }

    /* ---- coprocessor 1 (fpu.h); COP1X is left to the interpreter ---- */
#define NEED_CP1()                                                                      \
    do {                                                                                \
        if (UNLIKELY(!(c->cp0.status & ST_CU1)))                                        \
            RAISE_F(EXC_CPU, NULL, 1);                                                  \
    } while (0)
#define FPU_FR() ((c->cp0.status & ST_FR) != 0)
/* The COP1 word again: imm holds its low 16 bits (fd, fs and funct) sign-extended. */
#define COP1_WORD() (0x44000000u | (uint32_t)op->rs << 21 | (uint32_t)op->rt << 16 | (IMM & 0xffffu))
L_COP1: {
        NEED_CP1();
        int e = fpu_cop1(&c->fpu, COP1_WORD(), FPU_FR(), R);
        R[0] = 0;                       /* MFC1/CFC1 to $zero */
        if (UNLIKELY(e))
            RAISE_F(e, NULL, 0);
        NEXT();
    }
L_MOVCI:
    NEED_CP1();
    if (fpu_cc(&c->fpu, op->rt >> 2) == (op->rt & 1))
        R[op->rd] = RS;
    NEXT();
L_LWC1: {
        uint32_t va = RS + IMM, v;
        NEED_CP1();
        if (UNLIKELY(va & 3))
            ADDR_ERROR(EXC_ADEL, va);
        READ(uint32_t, va, v);
        fpu_set_w(&c->fpu, op->rt, v);
        OP_DONE();
    }
L_LDC1: {
        uint32_t va = RS + IMM, lo, hi;
        NEED_CP1();
        if (UNLIKELY(va & 7))
            ADDR_ERROR(EXC_ADEL, va);
        READ(uint32_t, va, lo);
        READ(uint32_t, va + 4, hi);
        fpu_set_d(&c->fpu, FPU_FR(), op->rt, (uint64_t)hi << 32 | lo);
        OP_DONE();
    }
L_SWC1: {
        uint32_t va = RS + IMM;
        NEED_CP1();
        if (UNLIKELY(va & 3))
            ADDR_ERROR(EXC_ADES, va);
        WRITE(uint32_t, va, fpu_get_w(&c->fpu, op->rt));
        OP_DONE();
    }
L_SDC1: {
        uint32_t va = RS + IMM;
        NEED_CP1();
        uint64_t v = fpu_get_d(&c->fpu, FPU_FR(), op->rt);
        if (UNLIKELY(va & 7))
            ADDR_ERROR(EXC_ADES, va);
        WRITE(uint32_t, va, (uint32_t)v);
        WRITE(uint32_t, va + 4, (uint32_t)(v >> 32));
        OP_DONE();
    }

L_COP1X: {                              /* rs base, rt index, rd fs, sa fd, imm funct */
        NEED_CP1();
        uint32_t va = RS + RT;
        unsigned funct = IMM & 63;
        bool fr = FPU_FR();
        if (funct >= 32) {              /* MADD...: imm holds fs, fd and funct */
            uint32_t word = 0x4c000000u | (uint32_t)op->rs << 21 | (uint32_t)op->rt << 16 |
                            (IMM & 0xffffu);
            int e = fpu_cop1x(&c->fpu, word, fr);
            if (UNLIKELY(e))
                RAISE_F(e, NULL, 0);
            NEXT();
        }
        if (funct == 15)                /* PREFX */
            NEXT();
        if (funct == 5 || funct == 13) {  /* LUXC1, SUXC1: FR = 1, address rounded down */
            if (!fr)
                RAISE_F(EXC_RI, NULL, 0);
            va &= ~7u;
        }
        bool store = funct & 8, d = funct & 1 || funct == 5 || funct == 13;
        unsigned reg = store ? op->rd : op->sa;
        if (funct != 0 && funct != 1 && funct != 5 && funct != 8 && funct != 9 && funct != 13)
            RAISE_F(EXC_RI, NULL, 0);
        if (UNLIKELY(va & (d ? 7u : 3u)))
            ADDR_ERROR(store ? EXC_ADES : EXC_ADEL, va);
        if (store) {
            uint64_t v = d ? fpu_get_d(&c->fpu, fr, reg) : fpu_get_w(&c->fpu, reg);
            WRITE(uint32_t, va, (uint32_t)v);
            if (d)
                WRITE(uint32_t, va + 4, (uint32_t)(v >> 32));
        } else {
            uint32_t lo, hi = 0;
            READ(uint32_t, va, lo);
            if (d)
                READ(uint32_t, va + 4, hi);
            if (d)
                fpu_set_d(&c->fpu, fr, reg, (uint64_t)hi << 32 | lo);
            else
                fpu_set_w(&c->fpu, reg, lo);
        }
        OP_DONE();
    }

    /* ---- jumps and branches: decide next_pc, then run the delay slot ---- */
L_JR: next_pc = RS; NEXT();
L_JALR: {
        uint32_t t = RS;
        R[op->rd] = fall;
        next_pc = t;
        NEXT();
    }
L_J: next_pc = (pc & ARCH_JUMP_REGION) | IMM; NEXT();
L_JAL: next_pc = (pc & ARCH_JUMP_REGION) | IMM; R[31] = fall; NEXT();
L_BEQ: TAKEN(RS == RT);
L_BNE: TAKEN(RS != RT);
L_BLEZ: TAKEN((int32_t)RS <= 0);
L_BGTZ: TAKEN((int32_t)RS > 0);
L_BLTZ: TAKEN((int32_t)RS < 0);
L_BGEZ: TAKEN((int32_t)RS >= 0);
L_BLTZAL: { bool t = (int32_t)RS < 0; R[31] = fall; TAKEN(t); }
L_BGEZAL: { bool t = (int32_t)RS >= 0; R[31] = fall; TAKEN(t); }
L_BEQL: TAKEN_LIKELY(RS == RT);
L_BNEL: TAKEN_LIKELY(RS != RT);
L_BLEZL: TAKEN_LIKELY((int32_t)RS <= 0);
L_BGTZL: TAKEN_LIKELY((int32_t)RS > 0);
L_BLTZL: TAKEN_LIKELY((int32_t)RS < 0);
L_BGEZL: TAKEN_LIKELY((int32_t)RS >= 0);
L_BLTZALL: { bool t = (int32_t)RS < 0; R[31] = fall; TAKEN_LIKELY(t); }
L_BGEZALL: { bool t = (int32_t)RS >= 0; R[31] = fall; TAKEN_LIKELY(t); }
L_BC1: {                                /* rt: cc in 4:2, likely in 1, true in 0 */
        NEED_CP1();
        bool t = fpu_cc(&c->fpu, op->rt >> 2) == (op->rt & 1);
        if (op->rt & 2)
            TAKEN_LIKELY(t);
        TAKEN(t);
    }
}
