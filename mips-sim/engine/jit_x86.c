/*
 * jit_x86.c - the template JIT: each MIPS instruction of a block becomes a fixed
 * sequence of x86-64 instructions (see jit.h for what compiled code may and may not do).
 *
 * Registers in compiled code: rbx = the cpu (whose first member is gpr[], so MIPS
 * register r lives at [rbx + 4r]), r12 = the fast-path table of the current mode,
 * r14d = the block's virtual pc; eax, ecx, edx, esi, edi are scratch. MIPS registers
 * stay in memory: blocks are short, and the interpreter and the exception code see
 * them without any write-back.
 */
#include "mips-sim/engine/jit.h"
#include "mips-sim/arch.h"

#include "mips-sim/engine/codecache.h"
#include "mips-sim/cpu/decode.h"
#include "mips-sim/cpu/fpu.h"
#include "mips-sim/engine/exec_common.h"
#include "mips-sim/engine/memfast.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)

#include <sys/mman.h>

struct jit {
    uint8_t *base;
    size_t size, used;
    bool cache;                    /* compile the cache model's charges (jit_set_cache) */
    unsigned line_shift;           /* its line size */
    codepage *const *pages;        /* the codecache's page table, for hops (jit_bind) */
    uint64_t npages;
};

_Static_assert(offsetof(cpu, gpr) == 0, "compiled code addresses registers from the cpu");
_Static_assert(sizeof(cpu_htlb_entry) == 24 && offsetof(cpu_htlb_entry, rtag) == 0 &&
                   offsetof(cpu_htlb_entry, wtag) == 4 &&
                   offsetof(cpu_htlb_entry, addend) == 8,
               "compiled code knows the fast-path entry layout");
_Static_assert(CPU_HTLB_SIZE == 256, "compiled code indexes the table with one byte");
_Static_assert(offsetof(codepage, blocks) == 0 && ARCH_PAGE_WORDS == 1024,
               "hops index a code page's blocks by the pc's word");

#define JIT_BLOCK_MAX 32768 /* bytes one block may need, at most (cache model included) */

enum { EAX = 0, ECX = 1, EDX = 2, ESI = 6, EDI = 7 };
enum { CC_O = 0, CC_B = 2, CC_AE = 3, CC_E = 4, CC_NE = 5, CC_L = 0xc, CC_GE = 0xd, CC_LE = 0xe,
       CC_G = 0xf };
enum { SH_ROR = 1, SH_SHL = 4, SH_SHR = 5, SH_SAR = 7 };
enum { ALU_ADD = 0, ALU_OR = 1, ALU_AND = 4, ALU_SUB = 5, ALU_XOR = 6, ALU_CMP = 7 };

#define R_OFF(r) ((int32_t)(4 * (r)))
#define HI_OFF ((int32_t)offsetof(cpu, hi))
#define LO_OFF ((int32_t)offsetof(cpu, lo))
#define NEXT_OFF ((int32_t)offsetof(cpu, jit_next))
#define MODE_OFF ((int32_t)offsetof(cpu, mode))
#define PCB_OFF ((int32_t)offsetof(cpu, jit_pc))
#define LEFT_OFF ((int32_t)offsetof(cpu, jit_left))
#define PATCH_OFF ((int32_t)offsetof(cpu, jit_patch))
#define STOP_OFF ((int32_t)offsetof(cpu, jit_stop))
#define HWRENA_OFF ((int32_t)offsetof(cpu, cp0.hwrena))
#define ULR_OFF ((int32_t)offsetof(cpu, cp0.userlocal))
#define JITCP_OFF ((int32_t)offsetof(cpu, jit_cp))
#define PPAGE_OFF ((int32_t)offsetof(cpu_htlb_entry, ppage))
#define CHAIN_OFF ((int32_t)offsetof(xblock, chain))
#define FLINE_OFF ((int32_t)offsetof(cpu, fetch_line))

/* Out-of-line exits of a block, emitted after its body. */
enum jfix_kind {
    FIX_BAIL,      /* instruction `ret & 0xffff` needs the interpreter */
    FIX_EXIT,      /* back to the caller, r14d = the next pc */
    FIX_SLOT,      /* a chain slot not linked yet: back to the caller, asking for a link */
    FIX_LIKELY,    /* branch-likely not taken: skip the delay slot */
    FIX_HOP,       /* r14d = the next pc, on another page or unknown: look it up (jit.h) */
};

/* A block being emitted: the code and the jumps to patch once the stubs exist. */
typedef struct jbuf {
    uint8_t *p;
    struct { uint8_t *at; enum jfix_kind kind; uint32_t ret; } fix[6 * CODECACHE_MAX_LEN];
    int nfix;
    unsigned word, len;            /* the block: first word in its page, length */
    bool cache;                    /* emit the cache model's charges (memfast.h) */
    bool charged;                  /* the instruction being emitted charged something */
} jbuf;

static void b1(jbuf *b, uint8_t v) { *b->p++ = v; }
static void b4(jbuf *b, uint32_t v) { memcpy(b->p, &v, 4); b->p += 4; }
static void b8(jbuf *b, uint64_t v) { memcpy(b->p, &v, 8); b->p += 8; }

/* ModRM for [rbx + disp] with register field `reg`. */
static void m_rbx(jbuf *b, int reg, int32_t disp)
{
    if (disp >= -128 && disp <= 127) {
        b1(b, (uint8_t)(0x40 | reg << 3 | 3));
        b1(b, (uint8_t)disp);
    } else {
        b1(b, (uint8_t)(0x80 | reg << 3 | 3));
        b4(b, (uint32_t)disp);
    }
}

static void x_load(jbuf *b, int reg, int32_t disp) { b1(b, 0x8b); m_rbx(b, reg, disp); }
static void x_store(jbuf *b, int reg, int32_t disp) { b1(b, 0x89); m_rbx(b, reg, disp); }
/* add/or/and/sub/xor/cmp reg, [rbx + disp] */
static void x_alu_m(jbuf *b, int alu, int reg, int32_t disp)
{
    b1(b, (uint8_t)(alu << 3 | 3));
    m_rbx(b, reg, disp);
}
static void x_alu_i(jbuf *b, int alu, int reg, uint32_t imm)
{
    b1(b, 0x81);
    b1(b, (uint8_t)(0xc0 | alu << 3 | reg));
    b4(b, imm);
}
static void x_mov_mi(jbuf *b, int32_t disp, uint32_t imm) { b1(b, 0xc7); m_rbx(b, 0, disp); b4(b, imm); }
static void x_cmp_m0(jbuf *b, int32_t disp) { b1(b, 0x83); m_rbx(b, 7, disp); b1(b, 0); }
static void x_shift_i(jbuf *b, int sh, int reg, unsigned n)
{
    b1(b, 0xc1);
    b1(b, (uint8_t)(0xc0 | sh << 3 | reg));
    b1(b, (uint8_t)n);
}
static void x_shift_cl(jbuf *b, int sh, int reg) { b1(b, 0xd3); b1(b, (uint8_t)(0xc0 | sh << 3 | reg)); }
static void x_setcc_eax(jbuf *b, int cc)
{
    b1(b, 0x0f); b1(b, (uint8_t)(0x90 | cc)); b1(b, 0xc0);   /* setcc al */
    b1(b, 0x0f); b1(b, 0xb6); b1(b, 0xc0);                   /* movzx eax, al */
}
static void x_cmov(jbuf *b, int cc, int dst, int src)
{
    b1(b, 0x0f); b1(b, (uint8_t)(0x40 | cc)); b1(b, (uint8_t)(0xc0 | dst << 3 | src));
}
/* lea reg, [r14 + disp]: a pc-relative address of the block */
static void x_lea_pc(jbuf *b, int reg, uint32_t disp)
{
    b1(b, 0x41); b1(b, 0x8d); b1(b, (uint8_t)(0x80 | reg << 3 | 6)); b4(b, disp);
}

/* jcc (or jmp when cc < 0) to an out-of-line exit of kind `kind`. */
static void x_jcc_fix(jbuf *b, int cc, enum jfix_kind kind, uint32_t ret)
{
    if (cc < 0) {
        b1(b, 0xe9);
    } else {
        b1(b, 0x0f);
        b1(b, (uint8_t)(0x80 | cc));
    }
    b->fix[b->nfix].at = b->p;
    b->fix[b->nfix].kind = kind;
    b->fix[b->nfix].ret = ret;
    b->nfix++;
    b4(b, 0);
}
/* Return before instruction i has any effect: the interpreter runs it. */
#define BAIL_IF(cc, i) x_jcc_fix(b, (cc), FIX_BAIL, JIT_BAIL | (i))
/* Continue at r14d: in a chain slot when the pc is in this page, else by a hop. */
#define GOTO_PC(in_page) x_jcc_fix(b, -1, (in_page) ? FIX_SLOT : FIX_HOP, 0)

/* A C helper: helper(cpu, word); ZF from its return value when `check`. */
static void x_call(jbuf *b, const void *fn, uint32_t word, bool check, unsigned i)
{
    b1(b, 0x48); b1(b, 0x89); b1(b, 0xdf);                   /* mov rdi, rbx */
    b1(b, 0xbe); b4(b, word);                                /* mov esi, word */
    b1(b, 0x48); b1(b, 0xb8); b8(b, (uint64_t)(uintptr_t)fn); /* mov rax, fn */
    b1(b, 0xff); b1(b, 0xd0);                                /* call rax */
    if (check) {
        b1(b, 0x85); b1(b, 0xc0);                            /* test eax, eax */
        BAIL_IF(CC_NE, i);
    }
}

/* ---- helpers for the rare instructions (no side effect when they return 1) ---- */

static void jit_h_muldiv(cpu *c, uint32_t w)
{
    uint32_t a = c->gpr[insn_rs(w)], b = c->gpr[insn_rt(w)];
    if ((w >> 26) == 0)
        exec_div(c, a, b, (w & 63) == 27);                  /* DIV, DIVU */
    else
        exec_madd(c, a, b, w & 63);                         /* MADD, MADDU, MSUB, MSUBU */
}

/* LWL, LWR, SWL, SWR on the fast path; 1 (and nothing done) on a miss. */
static uint32_t jit_h_partial(cpu *c, uint32_t w)
{
    uint32_t va = c->gpr[insn_rs(w)] + (uint32_t)insn_simm(w);
    unsigned rt = insn_rt(w), op = w >> 26;
    const cpu_htlb_entry *e = &c->htlb[CPU_HTLB_SLOT(va)];
    bool store = op == 42 || op == 46;
    if (e->rtag != ARCH_PAGE_BASE(va) || (store && e->wtag != ARCH_PAGE_BASE(va)))
        return 1;
    uint8_t *h = (uint8_t *)(e->addend + (va & ~3u));
    uint32_t word, b = c->gpr[rt];
    memcpy(&word, h, 4);
    switch (op) {
    case 34: word = exec_lwl(b, word, va); break;
    case 38: word = exec_lwr(b, word, va); break;
    case 42: word = exec_swl(b, word, va); break;
    default: word = exec_swr(b, word, va); break;
    }
    if (store)
        memcpy(h, &word, 4);
    else if (rt != 0)
        c->gpr[rt] = word;
    return 0;
}

/*
 * ---- the cache model (memfast.h) ----
 * Compiled code charges each access through these helpers, called with the budget
 * register r13 (`left`, counted from the block's start: blocks are charged at their
 * end) at instruction i of a block of `len`: the clock then is c->jit_end - left + i. A
 * helper returns the stall, which the code subtracts from r13; it adds it to
 * c->jit_stall and sets c->jit_stop when the block cannot finish (stalls left fewer
 * than len instructions of budget: the interpreter must end the slice inside it) or a
 * hot-page event waits. The code then leaves before instruction i + 1 (JIT_STOP), or
 * at the next block's entry.
 */
#define JIT_H_INDEX(f) ((f) & 0xffffu)  /* the argument: the instruction index, */
#define JIT_H_WRITE 0x10000u             /* a store, */
#define JIT_H_PAIR 0x20000u              /* two words: va and va + 4 (LDC1, SDC1), */
#define JIT_H_LEN_SHIFT 24               /* and the block's length */
static __attribute__((noinline)) uint32_t jit_charge_miss(cpu *c, uint64_t pa, bool write,
                                                          uint64_t *left, uint32_t f)
{
    uint32_t s = memfast_charge_miss(c, pa, write, c->jit_end - *left + JIT_H_INDEX(f));
    *left -= s;
    c->jit_stall += s;
    if (c->sys->held || (int64_t)*left < (int64_t)(f >> JIT_H_LEN_SHIFT))
        c->jit_stop = 1;
    return s;
}

/* A hit stalls nothing and raises no event: the budget checked at the block's entry
 * still covers it, so only misses can set jit_stop. */
static inline __attribute__((always_inline)) uint32_t jit_charge(cpu *c, uint64_t pa,
                                                                 bool write, uint64_t *left,
                                                                 uint32_t f)
{
    if (__builtin_expect(cache_hit(c->sys->cache, c->id, pa, write), 1))
        return 0;
    return jit_charge_miss(c, pa, write, left, f);
}

/* The fetch of the instruction at pc (charged when it starts a new line). */
static uint64_t jit_h_fetch(cpu *c, uint32_t pc, uint64_t left, uint32_t f)
{
    uint32_t line = pc >> c->sys->cache->line_shift;
    if (line == c->fetch_line)
        return 0;
    c->fetch_line = line;
    return jit_charge(c, c->fetch_ppage | (pc & ARCH_PAGE_MASK), false, &left, f);
}

/* The data access at va, a fast-path hit that just happened. */
static uint64_t jit_h_data(cpu *c, uint32_t va, uint64_t left, uint32_t f)
{
    const cpu_htlb_entry *e = &c->htlb[CPU_HTLB_SLOT(va)];
    return jit_charge(c, MEMFAST_PADDR(e, va), f & JIT_H_WRITE, &left, f);
}

/* The two word accesses of LDC1/SDC1 at va (8-aligned: one page). */
static uint64_t jit_h_data2(cpu *c, uint32_t va, uint64_t left, uint32_t f)
{
    const cpu_htlb_entry *e = &c->htlb[CPU_HTLB_SLOT(va)];
    uint64_t s = jit_charge(c, MEMFAST_PADDR(e, va), f & JIT_H_WRITE, &left, f);
    return s + jit_charge(c, MEMFAST_PADDR(e, va + 4), f & JIT_H_WRITE, &left, f);
}

/* LWL, LWR, SWL, SWR with their charges (the aligned word read, then written for SWL
 * and SWR, as memfast.h does): the stall, or JIT_H_MISS with nothing done. */
#define JIT_H_MISS UINT64_MAX
static uint64_t jit_h_partial_cached(cpu *c, uint32_t w, uint64_t left, uint32_t f)
{
    uint32_t va = (c->gpr[insn_rs(w)] + (uint32_t)insn_simm(w)) & ~3u;
    bool store = (w >> 26) == 42 || (w >> 26) == 46;
    if (jit_h_partial(c, w))
        return JIT_H_MISS;
    uint64_t pa = MEMFAST_PADDR(&c->htlb[CPU_HTLB_SLOT(va)], va);
    uint64_t s = jit_charge(c, pa, false, &left, f);
    if (store)
        s += jit_charge(c, pa, true, &left, f);
    return s;
}

/* Call a cache helper for instruction i: helper(cpu, esi (set by the caller), r13,
 * ecx = i | flags | the block's length); then r13 -= the stall it returns. With
 * miss_i >= 0, JIT_H_MISS bails at miss_i. */
static void x_cache_call(jbuf *b, const void *fn, uint32_t arg, int miss_i)
{
    arg |= b->len << JIT_H_LEN_SHIFT;
    b1(b, 0x48); b1(b, 0x89); b1(b, 0xdf);                   /* mov rdi, rbx */
    b1(b, 0x4c); b1(b, 0x89); b1(b, 0xea);                   /* mov rdx, r13 */
    b1(b, 0xb9); b4(b, arg);                                 /* mov ecx, arg */
    b1(b, 0x48); b1(b, 0xb8); b8(b, (uint64_t)(uintptr_t)fn); /* mov rax, fn */
    b1(b, 0xff); b1(b, 0xd0);                                /* call rax */
    if (miss_i >= 0) {
        b1(b, 0x48); b1(b, 0x83); b1(b, 0xf8); b1(b, 0xff); /* cmp rax, -1 */
        BAIL_IF(CC_E, (unsigned)miss_i);
    }
    b1(b, 0x49); b1(b, 0x29); b1(b, 0xc5);                   /* sub r13, rax */
    b->charged = true;
}

/* Charge the data access at eax of instruction i (flags: JIT_H_WRITE, JIT_H_PAIR). */
static void x_charge_data(jbuf *b, unsigned i, uint32_t flags)
{
    if (!b->cache)
        return;
    b1(b, 0x89); b1(b, 0xc6);                                /* mov esi, eax */
    x_cache_call(b, flags & JIT_H_PAIR ? (const void *)jit_h_data2 : (const void *)jit_h_data,
                 i | flags, -1);
}

/* Charge the fetch of instruction i (at r14d + 4i). */
static void x_charge_fetch(jbuf *b, unsigned i)
{
    b1(b, 0x41); b1(b, 0x8d); b1(b, 0xb6); b4(b, 4 * i);     /* lea esi, [r14 + 4i] */
    x_cache_call(b, (const void *)jit_h_fetch, i, -1);
}

/* ---- instruction templates ---- */

/* va = rs + imm in eax; bail unless aligned and the page is on the fast path; then
 * rdx + rax is the host address. */
static void x_host_addr(jbuf *b, const jit_insn *in, unsigned i, unsigned align, bool write)
{
    x_load(b, EAX, R_OFF(in->rs));
    if (in->kind == OP_COP1X)                               /* indexed: base + index */
        x_alu_m(b, ALU_ADD, EAX, R_OFF(in->rt));
    else if (in->imm)
        x_alu_i(b, ALU_ADD, EAX, in->imm);
    if (align) {
        b1(b, 0xa8); b1(b, (uint8_t)align);                 /* test al, align */
        BAIL_IF(CC_NE, i);
    }
    b1(b, 0x89); b1(b, 0xc2);                               /* mov edx, eax */
    x_shift_i(b, SH_SHR, EDX, 12);
    b1(b, 0x0f); b1(b, 0xb6); b1(b, 0xd2);                  /* movzx edx, dl */
    b1(b, 0x8d); b1(b, 0x14); b1(b, 0x52);                  /* lea edx, [rdx + rdx*2] */
    b1(b, 0x89); b1(b, 0xc1);                               /* mov ecx, eax */
    x_alu_i(b, ALU_AND, ECX, ~ARCH_PAGE_MASK);
    b1(b, 0x41); b1(b, 0x3b); b1(b, 0x4c); b1(b, 0xd4);     /* cmp ecx, [r12 + rdx*8 + tag] */
    b1(b, write ? 4 : 0);
    BAIL_IF(CC_NE, i);
    b1(b, 0x49); b1(b, 0x8b); b1(b, 0x54); b1(b, 0xd4); b1(b, 8); /* mov rdx, [r12+rdx*8+8] */
}

static void x_loadop(jbuf *b, const jit_insn *in, unsigned i, unsigned align,
                     uint8_t op1, uint8_t op2)
{
    x_host_addr(b, in, i, align, false);
    b1(b, op1);                                             /* op ecx, [rdx + rax] */
    if (op2)
        b1(b, op2);
    b1(b, 0x0c); b1(b, 0x02);
    x_store(b, ECX, R_OFF(in->rt));
    x_charge_data(b, i, 0);
}

static void x_storeop(jbuf *b, const jit_insn *in, unsigned i, unsigned size)
{
    x_host_addr(b, in, i, size - 1, true);
    x_load(b, ECX, R_OFF(in->rt));
    if (size == 2)
        b1(b, 0x66);
    b1(b, size == 1 ? 0x88 : 0x89);                         /* mov [rdx + rax], c* */
    b1(b, 0x0c); b1(b, 0x02);
    x_charge_data(b, i, JIT_H_WRITE);
}

/* rd = rs OP rt */
static void x_alu3(jbuf *b, const jit_insn *in, int alu)
{
    x_load(b, EAX, R_OFF(in->rs));
    x_alu_m(b, alu, EAX, R_OFF(in->rt));
    x_store(b, EAX, R_OFF(in->rd));
}

/* rt = rs OP imm */
static void x_alui(jbuf *b, const jit_insn *in, int alu)
{
    x_load(b, EAX, R_OFF(in->rs));
    x_alu_i(b, alu, EAX, in->imm);
    x_store(b, EAX, R_OFF(in->rt));
}

static void x_shift(jbuf *b, const jit_insn *in, int sh, bool variable)
{
    if (variable)
        x_load(b, ECX, R_OFF(in->rs));
    x_load(b, EAX, R_OFF(in->rt));
    if (variable)
        x_shift_cl(b, sh, EAX);
    else
        x_shift_i(b, sh, EAX, in->sa);
    x_store(b, EAX, R_OFF(in->rd));
}

static void x_slt(jbuf *b, const jit_insn *in, int cc, bool imm)
{
    x_load(b, EAX, R_OFF(in->rs));
    if (imm)
        x_alu_i(b, ALU_CMP, EAX, in->imm);
    else
        x_alu_m(b, ALU_CMP, EAX, R_OFF(in->rt));
    x_setcc_eax(b, cc);
    x_store(b, EAX, R_OFF(imm ? in->rt : in->rd));
}

/* Conditional branch: flags already set by the compare; cc is "taken". */
static void x_branch(jbuf *b, const jit_insn *in, int cc, bool link, bool likely,
                     uint32_t fall, unsigned len)
{
    if (link) {                                             /* flags survive lea/mov */
        x_lea_pc(b, EAX, fall);
        x_store(b, EAX, R_OFF(31));
    }
    if (likely) {
        x_jcc_fix(b, cc ^ 1, FIX_LIKELY, len - 1);          /* not taken: skip the slot */
        x_lea_pc(b, ECX, in->imm);
    } else {
        x_lea_pc(b, ECX, fall);
        x_lea_pc(b, EDX, in->imm);
        x_cmov(b, cc, ECX, EDX);
    }
    x_store(b, ECX, NEXT_OFF);
}

static void x_cmp_rs_zero(jbuf *b, const jit_insn *in) { x_cmp_m0(b, R_OFF(in->rs)); }
static void x_cmp_rs_rt(jbuf *b, const jit_insn *in)
{
    x_load(b, EAX, R_OFF(in->rs));
    x_alu_m(b, ALU_CMP, EAX, R_OFF(in->rt));
}

static void x_jump(jbuf *b, const jit_insn *in, bool reg, bool link, uint32_t fall)
{
    if (reg) {
        x_load(b, EAX, R_OFF(in->rs));
    } else {
        b1(b, 0x44); b1(b, 0x89); b1(b, 0xf0);              /* mov eax, r14d */
        x_alu_i(b, ALU_AND, EAX, ARCH_JUMP_REGION);
        x_alu_i(b, ALU_OR, EAX, in->imm);
    }
    x_store(b, EAX, NEXT_OFF);
    if (link) {
        x_lea_pc(b, ECX, fall);
        x_store(b, ECX, R_OFF(reg ? in->rd : 31));
    }
}

/* ---- floating point (fpu.h) on SSE2 ----
 *
 * Compiled only for the common case: Status.CU1 set, Status.FR = 0 (the o32 layout:
 * a double lives in the even/odd pair, low word first), and FCSR with round to
 * nearest, no exception enabled and FS clear. Anything else bails to the interpreter,
 * as does a NaN operand or result (the MIPS legacy NaNs are not the host's) and an
 * invalid conversion. The host's own exception flags of the one SSE instruction, read
 * back from MXCSR, become FCSR.Cause and are ORed into FCSR.Flags exactly as fpu.c
 * does. */

#define STATUS_OFF ((int32_t)offsetof(cpu, cp0.status))
#define FCSR_OFF ((int32_t)offsetof(cpu, fpu.fcsr))
#define FPR_OFF(r) ((int32_t)(offsetof(cpu, fpu.fpr) + 8 * (size_t)(r)))
#define MXCSR_OFF ((int32_t)offsetof(cpu, jit_mxcsr))
#define JIT_MXCSR_RN 0x1f80u      /* all exceptions masked, round to nearest, no FTZ/DAZ */
#define JIT_FCSR_SLOW (FCSR_FS | (FPU_EX_ALL << FCSR_ENABLE_SHIFT) | FCSR_RM)

/* MXCSR flags (IE DE ZE OE UE PE in bits 0..5) -> FPU_EX_* */
#define MXM(i) (uint8_t)((((i) & 1) ? FPU_EX_V : 0) | (((i) & 4) ? FPU_EX_Z : 0) | \
    (((i) & 8) ? FPU_EX_O : 0) | (((i) & 16) ? FPU_EX_U : 0) | (((i) & 32) ? FPU_EX_I : 0))
#define MXM8(i) MXM(i), MXM(i + 1), MXM(i + 2), MXM(i + 3), MXM(i + 4), MXM(i + 5), MXM(i + 6), MXM(i + 7)
static const uint8_t jit_mxcsr_ex[64] = { MXM8(0), MXM8(8), MXM8(16), MXM8(24), MXM8(32),
                                          MXM8(40), MXM8(48), MXM8(56) };

enum { XMM0 = 0, XMM1 = 1 };

/* pfx 0f op with ModRM [rbx + disp] */
static void x_sse_m(jbuf *b, uint8_t pfx, uint8_t op, int reg, int32_t disp)
{
    if (pfx)
        b1(b, pfx);
    b1(b, 0x0f); b1(b, op);
    m_rbx(b, reg, disp);
}
/* pfx 0f op with two registers */
static void x_sse_r(jbuf *b, uint8_t pfx, uint8_t op, int reg, int rm)
{
    if (pfx)
        b1(b, pfx);
    b1(b, 0x0f); b1(b, op); b1(b, (uint8_t)(0xc0 | reg << 3 | rm));
}

/* Bail unless CU1 is set; with `arith`, also unless FCSR needs no care. */
static void x_fp_guard(jbuf *b, unsigned i, bool arith)
{
    b1(b, 0xf7); m_rbx(b, 0, STATUS_OFF); b4(b, ST_CU1);     /* test [status], CU1 */
    BAIL_IF(CC_E, i);
    if (arith) {
        b1(b, 0xf7); m_rbx(b, 0, FCSR_OFF); b4(b, JIT_FCSR_SLOW); /* test [fcsr], slow */
        BAIL_IF(CC_NE, i);
    }
}

/* Status.FR picks the layout of 64-bit values at run time (FPXX programs run with
 * either): x_fr1_jump() jumps to the FR = 1 code if FR is set; the FR = 0 code follows,
 * ends with x_jump8() over the FR = 1 code, and x_land8() patches each jump. */
static uint8_t *x_fr1_jump(jbuf *b)
{
    b1(b, 0xf7); m_rbx(b, 0, STATUS_OFF); b4(b, ST_FR);      /* test [status], FR */
    b1(b, 0x75); b1(b, 0);                                   /* jnz rel8 */
    return b->p - 1;
}
static uint8_t *x_jump8(jbuf *b)
{
    b1(b, 0xeb); b1(b, 0);                                   /* jmp rel8 */
    return b->p - 1;
}
static void x_land8(jbuf *b, uint8_t *at) { *at = (uint8_t)(b->p - (at + 1)); }

/* xmm = FP register r as S (its low word) or D (FR = 0: the pair r, r + 1; FR = 1:
 * the 64-bit register r; r is even). */
static void x_fp_load(jbuf *b, int xmm, unsigned r, bool d)
{
    if (!d) {
        x_sse_m(b, 0xf3, 0x10, xmm, FPR_OFF(r));             /* movss xmm, [r] */
        return;
    }
    uint8_t *fr1 = x_fr1_jump(b);
    x_sse_m(b, 0xf3, 0x10, xmm, FPR_OFF(r));                 /* movss xmm, [lo] */
    x_sse_m(b, 0xf3, 0x10, XMM1 + xmm + 1, FPR_OFF(r + 1));  /* movss xmm', [hi] */
    x_sse_r(b, 0, 0x14, xmm, XMM1 + xmm + 1);                /* unpcklps xmm, xmm' */
    uint8_t *done = x_jump8(b);
    x_land8(b, fr1);
    x_sse_m(b, 0xf2, 0x10, xmm, FPR_OFF(r));                 /* movsd xmm, [r] */
    x_land8(b, done);
}
static void x_fp_store(jbuf *b, int xmm, unsigned r, bool d)
{
    if (!d) {
        x_sse_m(b, 0xf3, 0x11, xmm, FPR_OFF(r));             /* movss [r], xmm */
        return;
    }
    uint8_t *fr1 = x_fr1_jump(b);
    x_sse_m(b, 0xf3, 0x11, xmm, FPR_OFF(r));                 /* movss [lo], xmm */
    b1(b, 0x66); b1(b, 0x0f); b1(b, 0x73); b1(b, (uint8_t)(0xd0 | xmm)); b1(b, 32); /* psrlq */
    x_sse_m(b, 0xf3, 0x11, xmm, FPR_OFF(r + 1));
    uint8_t *done = x_jump8(b);
    x_land8(b, fr1);
    x_sse_m(b, 0xf2, 0x11, xmm, FPR_OFF(r));                 /* movsd [r], xmm */
    x_land8(b, done);
}

/*
 * Flags and Cause without per-instruction MXCSR traffic (stmxcsr waits for every SSE
 * instruction in flight, which made it most of the cost): the host's sticky MXCSR
 * flags accumulate the FP flags of compiled code, and FCSR.Flags gets them when
 * compiled code is left (the epilogue every exit goes through) or calls a helper that
 * may look at FCSR. cpu.jit_fp_dirty says MXCSR holds flags of compiled code; the first
 * FP operation after a fold clears MXCSR. FCSR.Cause is left lazy (fpu.h: the
 * operation and its operands are recorded, fpu_settle computes it when read). Only
 * non-NaN operands reach SSE (a NaN bails first, tested with integer instructions), so
 * the host raises exactly what fpu.c would.
 */
#define DIRTY_OFF ((int32_t)offsetof(cpu, jit_fp_dirty))
#define LAZY_WORD_OFF ((int32_t)offsetof(cpu, fpu.lazy_word))
#define LAZY_A_OFF ((int32_t)offsetof(cpu, fpu.lazy_a))
#define LAZY_B_OFF ((int32_t)offsetof(cpu, fpu.lazy_b))
#define CC_A 7
#define CC_JP 0xa

/* Before an FP operation: if MXCSR's flags are not compiled code's, clear them. */
static void x_fp_begin(jbuf *b)
{
    b1(b, 0x80); m_rbx(b, 7, DIRTY_OFF); b1(b, 0);           /* cmp byte [dirty], 0 */
    b1(b, 0x75);                                             /* jne over */
    uint8_t *over = b->p;
    b1(b, 0);
    x_mov_mi(b, MXCSR_OFF, JIT_MXCSR_RN);
    b1(b, 0x0f); b1(b, 0xae); m_rbx(b, 2, MXCSR_OFF);        /* ldmxcsr */
    b1(b, 0xc6); m_rbx(b, 0, DIRTY_OFF); b1(b, 1);           /* mov byte [dirty], 1 */
    *over = (uint8_t)(b->p - (over + 1));
}

/* FCSR.Flags |= the flags in MXCSR, if they are compiled code's. Keeps eax. */
static void x_fp_fold(jbuf *b)
{
    b1(b, 0x80); m_rbx(b, 7, DIRTY_OFF); b1(b, 0);           /* cmp byte [dirty], 0 */
    b1(b, 0x74);                                             /* je over */
    uint8_t *over = b->p;
    b1(b, 0);
    b1(b, 0x0f); b1(b, 0xae); m_rbx(b, 3, MXCSR_OFF);        /* stmxcsr */
    x_load(b, ECX, MXCSR_OFF);
    b1(b, 0x83); b1(b, 0xe1); b1(b, 0x3f);                   /* and ecx, 63 */
    b1(b, 0x48); b1(b, 0xba); b8(b, (uint64_t)(uintptr_t)jit_mxcsr_ex); /* mov rdx, table */
    b1(b, 0x0f); b1(b, 0xb6); b1(b, 0x0c); b1(b, 0x0a);      /* movzx ecx, byte [rdx+rcx] */
    x_shift_i(b, SH_SHL, ECX, FCSR_FLAGS_SHIFT);
    b1(b, 0x09); m_rbx(b, ECX, FCSR_OFF);                    /* or [fcsr], ecx */
    b1(b, 0xc6); m_rbx(b, 0, DIRTY_OFF); b1(b, 0);           /* mov byte [dirty], 0 */
    *over = (uint8_t)(b->p - (over + 1));
}

/* Bail if xmm holds a NaN: |x| above the infinity's bits (integer compare, no flags). */
static void x_fp_nan_bail(jbuf *b, int xmm, bool d, unsigned i)
{
    if (d) {
        b1(b, 0x66); b1(b, 0x48); b1(b, 0x0f); b1(b, 0x7e); b1(b, (uint8_t)(0xc0 | xmm << 3)); /* movq rax, xmm */
        b1(b, 0x48); b1(b, 0xd1); b1(b, 0xe0);               /* shl rax, 1 */
        b1(b, 0x48); b1(b, 0xb9); b8(b, 0xffe0000000000000ull); /* mov rcx, inf << 1 */
        b1(b, 0x48); b1(b, 0x39); b1(b, 0xc8);               /* cmp rax, rcx */
    } else {
        b1(b, 0x66); b1(b, 0x0f); b1(b, 0x7e); b1(b, (uint8_t)(0xc0 | xmm << 3)); /* movd eax, xmm */
        b1(b, 0xd1); b1(b, 0xe0);                            /* shl eax, 1 */
        x_alu_i(b, ALU_CMP, EAX, 0xff000000u);
    }
    BAIL_IF(CC_A, i);
}

/* Record the operation for FCSR.Cause (fpu_settle): its word and operand values. */
static void x_fp_record(jbuf *b, uint32_t word, bool d, bool two)
{
    x_mov_mi(b, LAZY_WORD_OFF, word);
    x_sse_m(b, d ? 0xf2 : 0xf3, 0x11, XMM0, LAZY_A_OFF);     /* movs[sd] [lazy_a], xmm0 */
    if (two)
        x_sse_m(b, d ? 0xf2 : 0xf3, 0x11, XMM1, LAZY_B_OFF);
}

static const uint8_t fp_arith_op[5] = { 0x58, 0x5c, 0x59, 0x5e, 0x51 }; /* add sub mul div sqrt */

/* fd = fs OP ft (or sqrt fs) in S or D; an invalid operation (NaN result) bails. */
static void x_fp_arith(jbuf *b, uint32_t word, unsigned funct, bool d, unsigned fd,
                       unsigned fs, unsigned ft, unsigned i)
{
    bool two = funct != 4;
    x_fp_load(b, XMM0, fs, d);
    x_fp_nan_bail(b, XMM0, d, i);
    if (two) {
        x_fp_load(b, XMM1, ft, d);
        x_fp_nan_bail(b, XMM1, d, i);
    }
    x_fp_begin(b);
    x_fp_record(b, word, d, two);
    x_sse_r(b, d ? 0xf2 : 0xf3, fp_arith_op[funct], XMM0, two ? XMM1 : XMM0);
    x_sse_r(b, d ? 0x66 : 0, 0x2e, XMM0, XMM0);              /* ucomis xmm0, xmm0 */
    BAIL_IF(CC_JP, i);                                       /* the host's NaN: redo */
    x_fp_store(b, XMM0, fd, d);
}

/* C.cond.fmt: ordered operands only (a NaN bails), which raise nothing. */
static void x_fp_compare(jbuf *b, unsigned cond, bool d, unsigned fs, unsigned ft,
                         unsigned cc, unsigned i)
{
    static const int set_cc[4] = { -1, CC_E, CC_B, 6 /* be */ };
    x_fp_load(b, XMM0, fs, d);
    x_fp_nan_bail(b, XMM0, d, i);
    x_fp_load(b, XMM1, ft, d);
    x_fp_nan_bail(b, XMM1, d, i);
    x_sse_r(b, d ? 0x66 : 0, 0x2e, XMM0, XMM1);              /* ucomis xmm0, xmm1 */
    uint32_t bit = cc ? 1u << (24 + cc) : FCSR_FCC0;
    if (set_cc[(cond >> 1) & 3] < 0) {
        b1(b, 0x31); b1(b, 0xc0);                            /* xor eax, eax */
    } else {
        x_setcc_eax(b, set_cc[(cond >> 1) & 3]);
        x_shift_i(b, SH_SHL, EAX, cc ? 24 + cc : 23);
    }
    x_load(b, EDX, FCSR_OFF);
    x_alu_i(b, ALU_AND, EDX, ~(FCSR_CAUSE | bit));
    b1(b, 0x09); b1(b, 0xc2);                                /* or edx, eax */
    x_store(b, EDX, FCSR_OFF);
    x_mov_mi(b, LAZY_WORD_OFF, 0);                           /* Cause is 0, not lazy */
}

/* CVT.D.S, CVT.S.D, CVT.S.W, CVT.D.W, and CVT/ROUND/TRUNC.W from S or D. False when
 * not compiled. */
static bool x_fp_convert(jbuf *b, uint32_t word, unsigned funct, unsigned fmt, unsigned fd,
                         unsigned fs, unsigned i)
{
    bool from_d = fmt == 17;
    if (funct == 32 || funct == 33) {                        /* CVT.S, CVT.D */
        bool to_d = funct == 33;
        if (to_d && (fd & 1))
            return false;                                    /* RI: the interpreter's */
        if (fmt == 20) {                                     /* from W */
            x_fp_begin(b);
            x_load(b, EAX, FPR_OFF(fs));
            x_mov_mi(b, LAZY_WORD_OFF, word);
            x_store(b, EAX, LAZY_A_OFF);
            x_sse_r(b, to_d ? 0xf2 : 0xf3, 0x2a, XMM0, EAX); /* cvtsi2sd/ss xmm0, eax */
        } else if ((fmt == 16 && to_d) || (fmt == 17 && !to_d)) {
            x_fp_load(b, XMM0, fs, from_d);
            x_fp_nan_bail(b, XMM0, from_d, i);
            x_fp_begin(b);
            x_fp_record(b, word, from_d, false);
            x_sse_r(b, from_d ? 0xf2 : 0xf3, 0x5a, XMM0, XMM0); /* cvtsd2ss / cvtss2sd */
        } else {
            return false;
        }
        x_fp_store(b, XMM0, fd, to_d);
        return true;
    }
    /* to W: 36 CVT.W (FCSR.RM, which is nearest here), 12 ROUND.W, 13 TRUNC.W */
    if ((funct != 36 && funct != 12 && funct != 13) || (fmt != 16 && fmt != 17))
        return false;
    x_fp_load(b, XMM0, fs, from_d);
    x_fp_nan_bail(b, XMM0, from_d, i);
    x_fp_begin(b);
    x_fp_record(b, word, from_d, false);
    x_sse_r(b, from_d ? 0xf2 : 0xf3, funct == 13 ? 0x2c : 0x2d, EAX, XMM0); /* cvt(t)s?2si */
    x_alu_i(b, ALU_CMP, EAX, 0x80000000u);                   /* the host's "invalid" */
    BAIL_IF(CC_E, i);                                        /* (or -2^31: redone exactly) */
    x_store(b, EAX, FPR_OFF(fd));
    return true;
}

/* The COP1 and COP1X operations not compiled inline run in fpu.c through these
 * helpers: 1 (and no effect) when the interpreter must run the instruction because it
 * raises an exception (CU1 clear, RI, or an enabled FP exception: FCSR is put back). */
static uint32_t jit_h_cop1(cpu *c, uint32_t w)
{
    uint32_t st = c->cp0.status;
    if (!(st & ST_CU1))
        return 1;
    fpu_settle(&c->fpu);                                     /* so that FCSR can be put back */
    uint32_t fcsr = c->fpu.fcsr;
    int e = (w >> 26) == 17 ? fpu_cop1(&c->fpu, w, (st & ST_FR) != 0, c->gpr)
                            : fpu_cop1x(&c->fpu, w, (st & ST_FR) != 0);
    c->gpr[0] = 0;                                           /* MFC1/CFC1 to $zero */
    if (e) {
        c->fpu.fcsr = fcsr;
        return 1;
    }
    return 0;
}

/* MTHC1 (to_fpu) or MFHC1 between GPR rt and the FPU word at `hi`. */
static void x_hc1(jbuf *b, bool to_fpu, unsigned rt, int32_t hi)
{
    if (to_fpu) {
        x_load(b, EAX, R_OFF(rt));
        x_store(b, EAX, hi);
    } else if (rt) {
        x_load(b, EAX, hi);
        x_store(b, EAX, R_OFF(rt));
    }
}

/* Inline code for a COP1 instruction; false (nothing emitted) when it has none. */
static bool x_cop1_inline(jbuf *b, const jit_insn *in, unsigned i)
{
    uint32_t w = in->word;
    unsigned fmt = (w >> 21) & 31, ft = (w >> 16) & 31, fs = (w >> 11) & 31,
             fd = (w >> 6) & 31, funct = w & 63;
    switch (fmt) {
    case 0:                                                  /* MFC1 */
        x_fp_guard(b, i, false);
        if (ft) {
            x_load(b, EAX, FPR_OFF(fs));
            x_store(b, EAX, R_OFF(ft));
        }
        return true;
    case 4:                                                  /* MTC1 */
        x_fp_guard(b, i, false);
        x_load(b, EAX, R_OFF(ft));
        x_store(b, EAX, FPR_OFF(fs));
        return true;
    case 3: case 7: {                                        /* MFHC1, MTHC1 */
        if (fs & 1)
            return false;                                    /* RI in FR = 0: the helper's */
        x_fp_guard(b, i, false);
        /* the high word: FR = 0 the odd register's low word, FR = 1 the upper half */
        uint8_t *fr1 = x_fr1_jump(b);
        x_hc1(b, fmt == 7, ft, FPR_OFF(fs + 1));
        uint8_t *done = x_jump8(b);
        x_land8(b, fr1);
        x_hc1(b, fmt == 7, ft, FPR_OFF(fs) + 4);
        x_land8(b, done);
        return true;
    }
    case 16: case 17: case 20: break;
    default: return false;
    }
    bool d = fmt == 17;
    if (d && ((fd | fs | ft) & 1))
        return false;                                        /* RI: the interpreter's */
    if (fmt != 20 && funct <= 4) {
        x_fp_guard(b, i, true);
        x_fp_arith(b, w, funct, d, fd, fs, ft, i);
        return true;
    }
    if (fmt != 20 && funct >= 5 && funct <= 7) {             /* ABS, MOV, NEG: bits */
        x_fp_guard(b, i, false);
        x_fp_load(b, XMM0, fs, d);
        if (funct != 6) {
            b1(b, 0x66); b1(b, 0x48); b1(b, 0x0f); b1(b, 0x7e); b1(b, 0xc0); /* movq rax, xmm0 */
            b1(b, 0x48); b1(b, 0x0f); b1(b, 0xba);                         /* btr/btc rax, */
            b1(b, funct == 5 ? 0xf0 : 0xf8); b1(b, d ? 63 : 31);           /* the sign bit */
            b1(b, 0x66); b1(b, 0x48); b1(b, 0x0f); b1(b, 0x6e); b1(b, 0xc0); /* movq xmm0, rax */
        }
        x_fp_store(b, XMM0, fd, d);
        return true;
    }
    if (fmt != 20 && funct >= 48) {
        x_fp_guard(b, i, true);
        x_fp_compare(b, funct & 15, d, fs, ft, fd >> 2, i);
        return true;
    }
    uint8_t *mark = b->p;
    int nfix = b->nfix;
    x_fp_guard(b, i, true);
    if (x_fp_convert(b, w, funct, fmt, fd, fs, i))
        return true;
    b->p = mark;                                             /* not compiled: undo */
    b->nfix = nfix;
    return false;
}

/* A COP1 instruction (opcode 17, not BC1): common cases inline, the rest by helper. */
static bool x_cop1(jbuf *b, const jit_insn *in, unsigned i)
{
    if (!x_cop1_inline(b, in, i)) {
        x_fp_fold(b);                                        /* the helper sees FCSR */
        x_call(b, (const void *)jit_h_cop1, in->word, true, i);
    }
    return true;
}

/* One word between guest memory at [rdx + rax + off] and the FPU word at `fpu`. */
static void x_fp_word_move(jbuf *b, bool store, int32_t fpu, uint8_t off)
{
    if (store) {
        x_load(b, ECX, fpu);
        b1(b, 0x89); b1(b, 0x4c); b1(b, 0x02); b1(b, off);   /* mov [rdx+rax+off], ecx */
    } else {
        b1(b, 0x8b); b1(b, 0x4c); b1(b, 0x02); b1(b, off);   /* mov ecx, [rdx+rax+off] */
        x_store(b, ECX, fpu);
    }
}

/* LWC1, SWC1, LDC1, SDC1 on the fast path. */
/* (LWXC1, SWXC1, LDXC1, SDXC1 too: FP register `fr`, address base + index.) */
static void x_fp_mem(jbuf *b, const jit_insn *in, unsigned i, bool store, bool d,
                     unsigned fr)
{
    x_fp_guard(b, i, false);
    if (d && (fr & 1)) {
        BAIL_IF(-1, i);                                      /* odd: the interpreter's */
        return;
    }
    x_host_addr(b, in, i, d ? 7 : 3, store);
    if (!d) {
        x_fp_word_move(b, store, FPR_OFF(fr), 0);
        x_charge_data(b, i, store ? JIT_H_WRITE : 0);
        return;
    }
    uint8_t *fr1 = x_fr1_jump(b);                            /* FR = 0: two words */
    x_fp_word_move(b, store, FPR_OFF(fr), 0);
    x_fp_word_move(b, store, FPR_OFF(fr + 1), 4);
    uint8_t *done = x_jump8(b);
    x_land8(b, fr1);                                         /* FR = 1: one doubleword */
    b1(b, 0x48);
    if (store) {
        b1(b, 0x8b); m_rbx(b, ECX, FPR_OFF(fr));         /* mov rcx, [fpr] */
        b1(b, 0x48); b1(b, 0x89); b1(b, 0x0c); b1(b, 0x02); /* mov [rdx+rax], rcx */
    } else {
        b1(b, 0x8b); b1(b, 0x0c); b1(b, 0x02);               /* mov rcx, [rdx+rax] */
        b1(b, 0x48); b1(b, 0x89); m_rbx(b, ECX, FPR_OFF(fr)); /* mov [fpr], rcx */
    }
    x_land8(b, done);
    x_charge_data(b, i, JIT_H_PAIR | (store ? JIT_H_WRITE : 0));
}

/* RDHWR rt, $29: UserLocal when HWREna allows it or CP0 is usable (kernel mode or
 * Status.CU0), else bail: the interpreter raises Reserved Instruction. */
static void x_ulr(jbuf *b, const jit_insn *in, unsigned i)
{
    b1(b, 0xf7); m_rbx(b, 0, HWRENA_OFF); b4(b, 1u << ARCH_HWR_ULR); /* test [hwrena], ulr */
    b1(b, 0x75);                                            /* jnz allowed */
    uint8_t *allowed = b->p;
    b1(b, 0);
    b1(b, 0x80); m_rbx(b, 7, MODE_OFF); b1(b, CPU_MODE_KERNEL); /* cmp byte [mode], kernel */
    b1(b, 0x74);                                            /* je allowed */
    uint8_t *kernel = b->p;
    b1(b, 0);
    b1(b, 0xf7); m_rbx(b, 0, STATUS_OFF); b4(b, ST_CU0);    /* test [status], CU0 */
    BAIL_IF(CC_E, i);
    x_land8(b, allowed);
    x_land8(b, kernel);
    x_load(b, EAX, ULR_OFF);
    x_store(b, EAX, R_OFF(in->rt));
}

/* Emit instruction i; false if the JIT does not know it (the caller gives up). */
static bool x_insn(jbuf *b, const jit_insn *in, unsigned i, unsigned len)
{
    uint32_t fall = 4 * len;
    switch (in->kind) {
    case XK_NOP: break;
    case XK_ULR: x_ulr(b, in, i); break;
    case OP_SLL: x_shift(b, in, SH_SHL, false); break;
    case OP_SRL: x_shift(b, in, SH_SHR, false); break;
    case OP_SRA: x_shift(b, in, SH_SAR, false); break;
    case OP_ROTR: x_shift(b, in, SH_ROR, false); break;
    case OP_SLLV: x_shift(b, in, SH_SHL, true); break;
    case OP_SRLV: x_shift(b, in, SH_SHR, true); break;
    case OP_SRAV: x_shift(b, in, SH_SAR, true); break;
    case OP_ROTRV: x_shift(b, in, SH_ROR, true); break;
    case OP_MOVZ: case OP_MOVN:
        x_load(b, EAX, R_OFF(in->rd));
        x_load(b, ECX, R_OFF(in->rs));
        x_cmp_m0(b, R_OFF(in->rt));
        x_cmov(b, in->kind == OP_MOVZ ? CC_E : CC_NE, EAX, ECX);
        x_store(b, EAX, R_OFF(in->rd));
        break;
    case OP_MFHI: x_load(b, EAX, HI_OFF); x_store(b, EAX, R_OFF(in->rd)); break;
    case OP_MFLO: x_load(b, EAX, LO_OFF); x_store(b, EAX, R_OFF(in->rd)); break;
    case OP_MTHI: x_load(b, EAX, R_OFF(in->rs)); x_store(b, EAX, HI_OFF); break;
    case OP_MTLO: x_load(b, EAX, R_OFF(in->rs)); x_store(b, EAX, LO_OFF); break;
    case OP_MULT: case OP_MULTU:
        x_load(b, EAX, R_OFF(in->rs));
        b1(b, 0xf7); m_rbx(b, in->kind == OP_MULT ? 5 : 4, R_OFF(in->rt)); /* (i)mul [rt] */
        x_store(b, EDX, HI_OFF);
        x_store(b, EAX, LO_OFF);
        break;
    case OP_MUL:
        x_load(b, EAX, R_OFF(in->rs));
        b1(b, 0x0f); b1(b, 0xaf); m_rbx(b, EAX, R_OFF(in->rt)); /* imul eax, [rt] */
        x_store(b, EAX, R_OFF(in->rd));
        break;
    case OP_DIV: case OP_DIVU: case OP_MADD: case OP_MADDU: case OP_MSUB: case OP_MSUBU:
        x_call(b, (const void *)jit_h_muldiv, in->word, false, i);
        break;
    case OP_ADD: case OP_SUB:
        x_load(b, EAX, R_OFF(in->rs));
        x_alu_m(b, in->kind == OP_ADD ? ALU_ADD : ALU_SUB, EAX, R_OFF(in->rt));
        BAIL_IF(CC_O, i);                                   /* the interpreter traps */
        x_store(b, EAX, R_OFF(in->rd));
        break;
    case OP_ADDI:
        x_load(b, EAX, R_OFF(in->rs));
        x_alu_i(b, ALU_ADD, EAX, in->imm);
        BAIL_IF(CC_O, i);
        x_store(b, EAX, R_OFF(in->rt));
        break;
    case OP_ADDU: x_alu3(b, in, ALU_ADD); break;
    case OP_SUBU: x_alu3(b, in, ALU_SUB); break;
    case OP_AND: x_alu3(b, in, ALU_AND); break;
    case OP_OR: x_alu3(b, in, ALU_OR); break;
    case OP_XOR: x_alu3(b, in, ALU_XOR); break;
    case OP_NOR:
        x_load(b, EAX, R_OFF(in->rs));
        x_alu_m(b, ALU_OR, EAX, R_OFF(in->rt));
        b1(b, 0xf7); b1(b, 0xd0);                           /* not eax */
        x_store(b, EAX, R_OFF(in->rd));
        break;
    case OP_SLT: x_slt(b, in, CC_L, false); break;
    case OP_SLTU: x_slt(b, in, CC_B, false); break;
    case OP_SLTI: x_slt(b, in, CC_L, true); break;
    case OP_SLTIU: x_slt(b, in, CC_B, true); break;
    case OP_ADDIU: x_alui(b, in, ALU_ADD); break;
    case OP_ANDI: x_alui(b, in, ALU_AND); break;
    case OP_ORI: x_alui(b, in, ALU_OR); break;
    case OP_XORI: x_alui(b, in, ALU_XOR); break;
    case OP_LUI: x_mov_mi(b, R_OFF(in->rt), in->imm); break;
    case OP_CLZ: case OP_CLO:
        x_load(b, EAX, R_OFF(in->rs));
        if (in->kind == OP_CLO) {
            b1(b, 0xf7); b1(b, 0xd0);                       /* not eax */
        }
        b1(b, 0xb9); b4(b, 63);                             /* mov ecx, 63 */
        b1(b, 0x0f); b1(b, 0xbd); b1(b, 0xc0);              /* bsr eax, eax */
        x_cmov(b, CC_E, EAX, ECX);                          /* zero input: 63 ^ 31 = 32 */
        b1(b, 0x83); b1(b, 0xf0); b1(b, 31);                /* xor eax, 31 */
        x_store(b, EAX, R_OFF(in->rd));
        break;
    case OP_EXT:
        x_load(b, EAX, R_OFF(in->rs));
        x_shift_i(b, SH_SHR, EAX, in->sa);
        x_alu_i(b, ALU_AND, EAX, in->imm);
        x_store(b, EAX, R_OFF(in->rt));
        break;
    case OP_INS:
        x_load(b, EAX, R_OFF(in->rs));
        x_shift_i(b, SH_SHL, EAX, in->sa);
        x_alu_i(b, ALU_AND, EAX, in->imm);
        x_load(b, ECX, R_OFF(in->rt));
        x_alu_i(b, ALU_AND, ECX, ~in->imm);
        b1(b, 0x09); b1(b, 0xc8);                           /* or eax, ecx */
        x_store(b, EAX, R_OFF(in->rt));
        break;
    case OP_WSBH:
        x_load(b, EAX, R_OFF(in->rt));
        b1(b, 0x0f); b1(b, 0xc8);                           /* bswap eax */
        x_shift_i(b, SH_ROR, EAX, 16);
        x_store(b, EAX, R_OFF(in->rd));
        break;
    case OP_SEB: case OP_SEH:
        b1(b, 0x0f); b1(b, in->kind == OP_SEB ? 0xbe : 0xbf); m_rbx(b, EAX, R_OFF(in->rt));
        x_store(b, EAX, R_OFF(in->rd));
        break;
    case OP_CACHE:                                          /* outside kernel mode the */
        b1(b, 0x80); m_rbx(b, 7, MODE_OFF); b1(b, 0);       /* interpreter checks CU0 */
        BAIL_IF(CC_NE, i);
        break;

    case OP_LB: x_loadop(b, in, i, 0, 0x0f, 0xbe); break;
    case OP_LBU: x_loadop(b, in, i, 0, 0x0f, 0xb6); break;
    case OP_LH: x_loadop(b, in, i, 1, 0x0f, 0xbf); break;
    case OP_LHU: x_loadop(b, in, i, 1, 0x0f, 0xb7); break;
    case OP_LW: x_loadop(b, in, i, 3, 0x8b, 0); break;
    case OP_SB: x_storeop(b, in, i, 1); break;
    case OP_SH: x_storeop(b, in, i, 2); break;
    case OP_SW: x_storeop(b, in, i, 4); break;
    case OP_LWL: case OP_LWR: case OP_SWL: case OP_SWR:
        if (!b->cache) {
            x_call(b, (const void *)jit_h_partial, in->word, true, i);
            break;
        }
        b1(b, 0xbe); b4(b, in->word);                       /* mov esi, word */
        x_cache_call(b, (const void *)jit_h_partial_cached, i, (int)i);
        break;

    case OP_JR: x_jump(b, in, true, false, fall); break;
    case OP_JALR: x_jump(b, in, true, true, fall); break;
    case OP_J: x_jump(b, in, false, false, fall); break;
    case OP_JAL: x_jump(b, in, false, true, fall); break;
    case OP_BEQ: x_cmp_rs_rt(b, in); x_branch(b, in, CC_E, false, false, fall, len); break;
    case OP_BNE: x_cmp_rs_rt(b, in); x_branch(b, in, CC_NE, false, false, fall, len); break;
    case OP_BEQL: x_cmp_rs_rt(b, in); x_branch(b, in, CC_E, false, true, fall, len); break;
    case OP_BNEL: x_cmp_rs_rt(b, in); x_branch(b, in, CC_NE, false, true, fall, len); break;
    case OP_BLEZ: x_cmp_rs_zero(b, in); x_branch(b, in, CC_LE, false, false, fall, len); break;
    case OP_BGTZ: x_cmp_rs_zero(b, in); x_branch(b, in, CC_G, false, false, fall, len); break;
    case OP_BLTZ: x_cmp_rs_zero(b, in); x_branch(b, in, CC_L, false, false, fall, len); break;
    case OP_BGEZ: x_cmp_rs_zero(b, in); x_branch(b, in, CC_GE, false, false, fall, len); break;
    case OP_BLTZAL: x_cmp_rs_zero(b, in); x_branch(b, in, CC_L, true, false, fall, len); break;
    case OP_BGEZAL: x_cmp_rs_zero(b, in); x_branch(b, in, CC_GE, true, false, fall, len); break;
    case OP_BLEZL: x_cmp_rs_zero(b, in); x_branch(b, in, CC_LE, false, true, fall, len); break;
    case OP_BGTZL: x_cmp_rs_zero(b, in); x_branch(b, in, CC_G, false, true, fall, len); break;
    case OP_BLTZL: x_cmp_rs_zero(b, in); x_branch(b, in, CC_L, false, true, fall, len); break;
    case OP_BGEZL: x_cmp_rs_zero(b, in); x_branch(b, in, CC_GE, false, true, fall, len); break;
    case OP_BLTZALL: x_cmp_rs_zero(b, in); x_branch(b, in, CC_L, true, true, fall, len); break;
    case OP_BGEZALL: x_cmp_rs_zero(b, in); x_branch(b, in, CC_GE, true, true, fall, len); break;
    case OP_COP1: return x_cop1(b, in, i);
    case OP_COP1X:                                          /* funct: 0 LWXC1, 1 LDXC1, */
        switch (in->word & 63) {                            /* 8 SWXC1, 9 SDXC1 */
        case 0: case 1: case 8: case 9: {
            unsigned w = in->word & 63;
            x_fp_mem(b, in, i, w >= 8, w & 1, w >= 8 ? insn_rd(in->word) : insn_sa(in->word));
            return true;
        }
        default:
            if ((in->word & 63) < 32)
                return false;                               /* LUXC1, SUXC1, PREFX */
        }
        x_fp_fold(b);
        x_call(b, (const void *)jit_h_cop1, in->word, true, i);
        break;
    case OP_MOVCI:
        x_fp_guard(b, i, false);
        x_load(b, EAX, R_OFF(in->rd));
        x_load(b, ECX, R_OFF(in->rs));
        b1(b, 0xf7); m_rbx(b, 0, FCSR_OFF);                 /* test [fcsr], fcc bit */
        b4(b, (in->rt >> 2) ? 1u << (24 + (in->rt >> 2)) : FCSR_FCC0);
        x_cmov(b, (in->rt & 1) ? CC_NE : CC_E, EAX, ECX);
        x_store(b, EAX, R_OFF(in->rd));
        break;
    case OP_LWC1: x_fp_mem(b, in, i, false, false, in->rt); break;
    case OP_SWC1: x_fp_mem(b, in, i, true, false, in->rt); break;
    case OP_LDC1: x_fp_mem(b, in, i, false, true, in->rt); break;
    case OP_SDC1: x_fp_mem(b, in, i, true, true, in->rt); break;
    case OP_BC1:                                            /* rt: cc 4:2, likely 1, true 0 */
        x_fp_guard(b, i, false);
        b1(b, 0xf7); m_rbx(b, 0, FCSR_OFF);                 /* test [fcsr], fcc bit */
        b4(b, (in->rt >> 2) ? 1u << (24 + (in->rt >> 2)) : FCSR_FCC0);
        x_branch(b, in, (in->rt & 1) ? CC_NE : CC_E, false, (in->rt & 2) != 0, fall, len);
        break;
    default:
        return false;
    }
    return true;
}

jit *jit_new(size_t bytes)
{
    jit *j = calloc(1, sizeof(*j));
    if (!j)
        return NULL;
    void *mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE | PROT_EXEC,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED) {
        free(j);
        return NULL;
    }
    j->base = mem;
    j->size = bytes;
    return j;
}

void jit_free(jit *j)
{
    if (!j)
        return;
    munmap(j->base, j->size);
    free(j);
}

bool jit_full(const jit *j) { return j && j->size - j->used < JIT_BLOCK_MAX; }

void jit_reset(jit *j) { j->used = 0; }

void jit_set_cache(jit *j, unsigned line_shift)
{
    j->cache = true;
    j->line_shift = line_shift;
}

void jit_bind(jit *j, codepage *const *pages, uint64_t npages)
{
    j->pages = pages;
    j->npages = npages;
}

/* jcc rel32 to a label not emitted yet; returns where to patch (x_land32). */
static uint8_t *x_jcc32(jbuf *b, int cc)
{
    b1(b, 0x0f); b1(b, (uint8_t)(0x80 | cc));
    uint8_t *at = b->p;
    b4(b, 0);
    return at;
}
static void x_land32(jbuf *b, uint8_t *at)
{
    int32_t rel = (int32_t)(b->p - (at + 4));
    memcpy(at, &rel, 4);
}

/* A hop (jit.h): from pc r14d to its block's chain entry, or out to the caller. Every
 * check the caller's dispatch makes before it runs compiled code is here: an aligned
 * pc, the fetch fast path's read entry of the current mode, a code page, a compiled
 * block. On a miss it falls through to what follows: the way out. */
static void x_hop(jbuf *b, const jit *j)
{
    uint8_t *miss[6];
    b1(b, 0x44); b1(b, 0x89); b1(b, 0xf0);                  /* mov eax, r14d */
    b1(b, 0xa8); b1(b, 3);                                  /* test al, 3 */
    miss[0] = x_jcc32(b, CC_NE);
    b1(b, 0x89); b1(b, 0xc1);                               /* mov ecx, eax */
    b1(b, 0xc1); b1(b, 0xe9); b1(b, ARCH_PAGE_SHIFT);       /* shr ecx, 12 */
    b1(b, 0x0f); b1(b, 0xb6); b1(b, 0xc9);                  /* movzx ecx, cl: the slot */
    b1(b, 0x48); b1(b, 0x8d); b1(b, 0x0c); b1(b, 0x49);     /* lea rcx, [rcx + 2*rcx] */
    b1(b, 0x49); b1(b, 0x8d); b1(b, 0x14); b1(b, 0xcc);     /* lea rdx, [r12 + 8*rcx] */
    b1(b, 0x25); b4(b, ~ARCH_PAGE_MASK);                    /* and eax, ~0xfff */
    b1(b, 0x3b); b1(b, 0x02);                               /* cmp eax, [rdx]: rtag */
    miss[1] = x_jcc32(b, CC_NE);
    b1(b, 0x48); b1(b, 0x8b); b1(b, 0x82); b4(b, (uint32_t)PPAGE_OFF); /* mov rax, [rdx+ppage] */
    b1(b, 0x48); b1(b, 0xc1); b1(b, 0xe8); b1(b, ARCH_PAGE_SHIFT);     /* shr rax, 12 */
    b1(b, 0x48); b1(b, 0xb9); b8(b, j->npages);             /* mov rcx, npages */
    b1(b, 0x48); b1(b, 0x39); b1(b, 0xc8);                  /* cmp rax, rcx */
    miss[2] = x_jcc32(b, CC_AE);                            /* not a RAM page */
    b1(b, 0x48); b1(b, 0xb9); b8(b, (uint64_t)(uintptr_t)j->pages); /* mov rcx, pages */
    b1(b, 0x48); b1(b, 0x8b); b1(b, 0x0c); b1(b, 0xc1);     /* mov rcx, [rcx + 8*rax] */
    b1(b, 0x48); b1(b, 0x85); b1(b, 0xc9);                  /* test rcx, rcx */
    miss[3] = x_jcc32(b, CC_E);                             /* not a code page */
    b1(b, 0x44); b1(b, 0x89); b1(b, 0xf0);                  /* mov eax, r14d */
    b1(b, 0xc1); b1(b, 0xe8); b1(b, 2);                     /* shr eax, 2 */
    b1(b, 0x25); b4(b, ARCH_PAGE_WORDS - 1);                /* and eax, 1023 */
    b1(b, 0x48); b1(b, 0x8b); b1(b, 0x14); b1(b, 0xc1);     /* mov rdx, [rcx + 8*rax] */
    b1(b, 0x48); b1(b, 0x85); b1(b, 0xd2);                  /* test rdx, rdx */
    miss[4] = x_jcc32(b, CC_E);                             /* no block there yet */
    b1(b, 0x48); b1(b, 0x8b); b1(b, 0x82); b4(b, (uint32_t)CHAIN_OFF); /* mov rax, [rdx+chain] */
    b1(b, 0x48); b1(b, 0x85); b1(b, 0xc0);                  /* test rax, rax */
    miss[5] = x_jcc32(b, CC_E);                             /* not compiled */
    b1(b, 0x48); b1(b, 0x89); m_rbx(b, ECX, JITCP_OFF);     /* mov [jit_cp], rcx */
    b1(b, 0xff); b1(b, 0xe0);                               /* jmp rax */
    for (int k = 0; k < 6; k++)
        x_land32(b, miss[k]);
}

/* sub r13, n: charge n instructions to the budget */
static void x_charge(jbuf *b, uint32_t n) { b1(b, 0x49); b1(b, 0x81); b1(b, 0xed); b4(b, n); }

/* The block's end: charge it, put the next pc in r14d, and go there. */
static void x_block_end(jbuf *b, const jit_insn *insns, bool ends_in_branch)
{
    unsigned len = b->len;
    bool fall_in_page = b->word + len < ARCH_PAGE_WORDS;
    x_charge(b, len);
    if (!ends_in_branch) {
        b1(b, 0x41); b1(b, 0x81); b1(b, 0xc6); b4(b, 4 * len);  /* add r14d, 4 * len */
        GOTO_PC(fall_in_page);
        return;
    }
    const jit_insn *br = &insns[len - 2];
    switch (br->kind) {
    case OP_JR: case OP_JALR:                               /* anywhere: ask the caller */
        b1(b, 0x44); b1(b, 0x8b); m_rbx(b, 6, NEXT_OFF);    /* mov r14d, [next] */
        GOTO_PC(false);
        return;
    case OP_J: case OP_JAL:                                 /* chain if in this page */
        x_load(b, EAX, NEXT_OFF);
        b1(b, 0x44); b1(b, 0x89); b1(b, 0xf1);              /* mov ecx, r14d */
        b1(b, 0x31); b1(b, 0xc1);                           /* xor ecx, eax */
        b1(b, 0x41); b1(b, 0x89); b1(b, 0xc6);              /* mov r14d, eax */
        b1(b, 0xf7); b1(b, 0xc1); b4(b, ~ARCH_PAGE_MASK);       /* test ecx, ~0xfff */
        x_jcc_fix(b, CC_NE, FIX_HOP, 0);
        GOTO_PC(true);
        return;
    default: {                                              /* taken or not? */
        int32_t t = (int32_t)(4 * b->word + br->imm);
        x_load(b, EAX, NEXT_OFF);
        x_lea_pc(b, ECX, br->imm);
        b1(b, 0x41); b1(b, 0x89); b1(b, 0xc6);              /* mov r14d, eax */
        b1(b, 0x39); b1(b, 0xc8);                           /* cmp eax, ecx */
        x_jcc_fix(b, CC_E, t >= 0 && t < (int32_t)ARCH_PAGE_SIZE ? FIX_SLOT : FIX_HOP, 0);
        GOTO_PC(fall_in_page);
        return;
    }
    }
}

/* The way out to the caller: exit state, then the epilogue. */
static void x_leave(jbuf *b, uint8_t *epilogue, uint32_t ret, uint8_t *patch)
{
    if (ret & JIT_BAIL) {
        b1(b, 0x44); b1(b, 0x89); m_rbx(b, 6, PCB_OFF);     /* mov [jit_pc], r14d */
    } else {
        b1(b, 0x44); b1(b, 0x89); m_rbx(b, 6, NEXT_OFF);    /* mov [jit_next], r14d */
    }
    b1(b, 0x4c); b1(b, 0x89); m_rbx(b, 5, LEFT_OFF);        /* mov [jit_left], r13 */
    if (patch) {
        b1(b, 0x48); b1(b, 0xb8); b8(b, (uint64_t)(uintptr_t)patch); /* mov rax, slot */
        b1(b, 0x48); b1(b, 0x89); m_rbx(b, 0, PATCH_OFF);   /* mov [jit_patch], rax */
    }
    b1(b, 0xb8); b4(b, ret);                                /* mov eax, ret */
    b1(b, 0xe9);                                            /* jmp epilogue */
    b4(b, (uint32_t)(int32_t)(epilogue - (b->p + 4)));
}

/* Charge the fetch of a block's first instruction (at r14d) unless it is in the line
 * charged last: that compare is inline, as a block re-entered in a loop rarely
 * leaves its line. */
static void x_charge_fetch_entry(jbuf *b, unsigned line_shift)
{
    b1(b, 0x44); b1(b, 0x89); b1(b, 0xf6);                  /* mov esi, r14d */
    x_shift_i(b, SH_SHR, ESI, line_shift);
    b1(b, 0x3b); m_rbx(b, ESI, FLINE_OFF);                  /* cmp esi, [fetch_line] */
    b1(b, 0x74);                                            /* je over the call */
    uint8_t *same = b->p;
    b1(b, 0);
    x_charge_fetch(b, 0);
    x_land8(b, same);
}

jit_code jit_compile(jit *j, const jit_insn *insns, unsigned len, bool ends_in_branch,
                     unsigned word, uint8_t **chain)
{
    if (!j || j->size - j->used < JIT_BLOCK_MAX)
        return NULL;
    static jbuf buf;                   /* one block at a time; too big for the stack */
    jbuf *b = &buf;
    uint8_t *start = j->base + j->used;
    b->p = start;
    b->nfix = 0;
    b->word = word;
    b->len = len;
    b->cache = j->cache;
    /* Prologue: callee-saved registers, and rsp 16-aligned for helper calls. */
    b1(b, 0x53);                                            /* push rbx */
    b1(b, 0x41); b1(b, 0x54);                               /* push r12 */
    b1(b, 0x41); b1(b, 0x55);                               /* push r13 */
    b1(b, 0x41); b1(b, 0x56);                               /* push r14 */
    b1(b, 0x48); b1(b, 0x83); b1(b, 0xec); b1(b, 8);        /* sub rsp, 8 */
    b1(b, 0x48); b1(b, 0x89); b1(b, 0xfb);                  /* mov rbx, rdi */
    b1(b, 0x49); b1(b, 0x89); b1(b, 0xf4);                  /* mov r12, rsi */
    b1(b, 0x41); b1(b, 0x89); b1(b, 0xd6);                  /* mov r14d, edx */
    b1(b, 0x49); b1(b, 0x89); b1(b, 0xcd);                  /* mov r13, rcx */
    b1(b, 0xeb);                                            /* jmp over the epilogue */
    uint8_t *over = b->p;
    b1(b, 0);
    uint8_t *epilogue = b->p;
    x_fp_fold(b);                                           /* keeps eax: the result */
    b1(b, 0x48); b1(b, 0x83); b1(b, 0xc4); b1(b, 8);        /* add rsp, 8 */
    b1(b, 0x41); b1(b, 0x5e);                               /* pop r14 */
    b1(b, 0x41); b1(b, 0x5d);                               /* pop r13 */
    b1(b, 0x41); b1(b, 0x5c);                               /* pop r12 */
    b1(b, 0x5b);                                            /* pop rbx */
    b1(b, 0xc3);                                            /* ret */
    *over = (uint8_t)(b->p - (over + 1));
    uint8_t *chain_entry = b->p;                            /* chained blocks enter here */
    b1(b, 0x49); b1(b, 0x81); b1(b, 0xfd); b4(b, len);      /* cmp r13, len */
    /* no budget: caller steps (stalls may take r13 below zero: compare signed) */
    x_jcc_fix(b, b->cache ? CC_L : CC_B, FIX_EXIT, 0);
    b->charged = false;
    if (b->cache) {
        b1(b, 0x80); m_rbx(b, 7, STOP_OFF); b1(b, 0);       /* cmp byte [stop], 0 */
        x_jcc_fix(b, CC_NE, FIX_EXIT, 0);                   /* the slice is over */
        x_charge_fetch_entry(b, j->line_shift);
    }
    for (unsigned i = 0; i < len; i++) {
        if (b->cache && i > 0 && ((word + i) << 2 & ((1u << j->line_shift) - 1)) == 0)
            x_charge_fetch(b, i);                           /* a new line */
        if (!x_insn(b, &insns[i], i, len))
            return NULL;
        if (b->charged && i + 1 < len) {                    /* over after instruction i? */
            b1(b, 0x80); m_rbx(b, 7, STOP_OFF); b1(b, 0);   /* cmp byte [stop], 0 */
            x_jcc_fix(b, CC_NE, FIX_BAIL, JIT_BAIL | JIT_STOP | (i + 1));
        }
        b->charged = false;
    }
    x_block_end(b, insns, ends_in_branch);
    uint8_t *hop = NULL;                                    /* the block's one hop */
    for (int k = 0; k < b->nfix; k++) {                     /* the exits, out of line */
        bool shared = b->fix[k].kind == FIX_HOP && hop;
        int32_t rel = (int32_t)((shared ? hop : b->p) - (b->fix[k].at + 4));
        memcpy(b->fix[k].at, &rel, 4);
        if (shared)
            continue;
        switch (b->fix[k].kind) {
        case FIX_BAIL: x_leave(b, epilogue, b->fix[k].ret, NULL); break;
        case FIX_EXIT: x_leave(b, epilogue, 0, NULL); break;
        case FIX_SLOT: x_leave(b, epilogue, 0, b->fix[k].at); break;
        case FIX_HOP:
            hop = b->p;
            if (!b->cache)      /* under the cache model a page change goes through the
                                   dispatcher, which keeps the fetch-line accounting */
                x_hop(b, j);
            x_leave(b, epilogue, 0, NULL);
            break;
        case FIX_LIKELY:                                    /* count all but the slot */
            x_charge(b, b->fix[k].ret);
            b1(b, 0x41); b1(b, 0x81); b1(b, 0xc6); b4(b, 4 * len); /* add r14d, 4*len */
            GOTO_PC(word + len < ARCH_PAGE_WORDS);                     /* adds a fixup: handled below */
            break;
        }
    }
    j->used += (size_t)(b->p - start);
    j->used = (j->used + 15) & ~(size_t)15;
    *chain = chain_entry;                                   /* NULL unless compiled */
    return (jit_code)(void *)start;
}

void jit_link(uint8_t *slot, uint8_t *chain)
{
    int32_t rel = (int32_t)(chain - (slot + 4));
    memcpy(slot, &rel, 4);
}

#else /* no JIT on this host: blocks run on the threaded engine */

struct jit { int unused; };
jit *jit_new(size_t bytes) { (void)bytes; return NULL; }
void jit_free(jit *j) { (void)j; }
bool jit_full(const jit *j) { (void)j; return false; }
void jit_reset(jit *j) { (void)j; }
void jit_set_cache(jit *j, unsigned line_shift) { (void)j; (void)line_shift; }
jit_code jit_compile(jit *j, const jit_insn *insns, unsigned len, bool ends_in_branch,
                     unsigned word, uint8_t **chain)
{
    (void)j; (void)insns; (void)len; (void)ends_in_branch; (void)word; (void)chain;
    return NULL;
}
void jit_link(uint8_t *slot, uint8_t *chain) { (void)slot; (void)chain; }
void jit_bind(jit *j, struct codepage *const *pages, uint64_t npages)
{
    (void)j;
    (void)pages;
    (void)npages;
}

#endif
