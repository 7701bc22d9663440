/*
 * interp.c - the instruction interpreter.
 *
 * interp_slice() executes up to `max` instructions with the program counter pair and
 * the instruction count in host registers; it writes them back (SYNC) before anything
 * that may look at the CPU from outside: slow-path memory accesses (devices read the
 * time), CP0 accesses and exceptions. After a slow path or a CP0 write it ends the slice
 * once the instruction completes, so interrupts, timers and halts are seen promptly.
 *
 * The fast path: a fetch is one compare against the current code page; a load or store
 * is one compare against the fast-path entry of its 4 KB page (see cpu.h), expanded
 * from memfast.h, the memory fast path the block engine shares.
 */
#include "mips-sim/mem/cache.h"
#include "mips-sim/arch.h"
#include "mips-sim/engine/fastpath.h"
#include "mips-sim/cpu/decode.h"
#include "mips-sim/cpu/fpu.h"
#include "mips-sim/engine/exec_common.h"
#include "mips-sim/engine/interp.h"
#include "mips-sim/engine/memfast.h"

#include <inttypes.h>
#include <limits.h>
#include <string.h>

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

static void interp_trace(cpu *c, uint32_t pc, uint32_t insn)
{
    char buf[64];
    fprintf(c->sys->trace, "%d %" PRIu64 " %08x %08x %s\n", c->id, c->insns, pc, insn,
            decode_disasm(insn, pc, buf, sizeof(buf)));
}

/* Write the register-resident state back into the CPU structure. Stalls are in the
 * CPU's clock already (memfast_charge); here they only use up the slice. */
#define SYNC()                                                                          \
    do {                                                                                \
        c->pc = pc;                                                                     \
        c->npc = npc;                                                                   \
        c->in_bd = bd;                                                                  \
        c->insns += n;                                                                  \
        c->cycles += n;                                                                 \
        c->budget -= (int64_t)n;                                                        \
        max = max > n + stall ? max - (n + stall) : 0;                                  \
        n = 0;                                                                          \
        stall = 0;                                                                      \
    } while (0)

/* Raise an exception for the current instruction and leave the slice. */
#define RAISE_F(code, f, ce)                                                            \
    do {                                                                                \
        SYNC();                                                                         \
        cpu_raise(c, (code), (f), (ce), insn);                                          \
        return;                                                                         \
    } while (0)
#define RAISE(code) RAISE_F((code), NULL, 0)
#define ADDR_ERROR(exc, va)                                                             \
    do {                                                                                \
        cpu_fault f_ = { .code = (exc), .badvaddr = (va) };                             \
        RAISE_F((exc), &f_, 0);                                                         \
    } while (0)

/* The memory fast path (memfast.h): a slow path ends the slice once the instruction
 * completes, so devices and the run loop see the CPU between instructions. */
#define MF_SLOW_SYNC() SYNC()
#define MF_FAULT(f) RAISE_F((f)->code, (f), 0)
#define MF_SLOW_DONE() (max = n + 1)
#define MF_ACCOUNT(pa, wr) CACHE_ACCESS(pa, wr)
#define MEM_READ(T, va, out) MEMFAST_READ(T, va, out)
#define MEM_WRITE(T, va, val) MEMFAST_WRITE(T, va, val)

/* The NUMA cache model: the access's miss latency is a stall that counts against the
 * slice. A hot-page event it raised is held by the machine until this instruction
 * completes: end the slice after it, so the run loop hands the event over between
 * instructions. */
#define CACHE_ACCESS(pa, wr)                                                            \
    do {                                                                                \
        stall += memfast_charge(c, (pa), (wr), c->cycles + n);                          \
        if (UNLIKELY(c->sys->held))                                                     \
            max = n + 1;                                                                \
    } while (0)

#define CP0_USABLE() (c->mode == CPU_MODE_KERNEL || (c->cp0.status & ST_CU0))
#define NEED_CP0()                                                                      \
    do {                                                                                \
        if (!CP0_USABLE())                                                              \
            RAISE_F(EXC_CPU, NULL, 0);                                                  \
    } while (0)

/* Coprocessor 1: usable while Status.CU1 (in every mode); FR selects its register view. */
#define FPU_FR() ((c->cp0.status & ST_FR) != 0)
#define NEED_CP1()                                                                      \
    do {                                                                                \
        if (!(c->cp0.status & ST_CU1))                                                  \
            RAISE_F(EXC_CPU, NULL, 1);                                                  \
    } while (0)
#define NEED_F64()                                                                      \
    do {                                                                                \
        if (!FPU_FR())                                                                  \
            RAISE(EXC_RI);                                                              \
    } while (0)
/* FP loads and stores: aligned words, doublewords as two words (low one first). */
#define FP_LOAD32(vaddr, reg)                                                           \
    do {                                                                                \
        uint32_t fva_ = (vaddr), fv_;                                                   \
        if (fva_ & 3)                                                                   \
            ADDR_ERROR(EXC_ADEL, fva_);                                                 \
        MEM_READ(uint32_t, fva_, fv_);                                                  \
        fpu_set_w(&c->fpu, (reg), fv_);                                                 \
    } while (0)
#define FP_LOAD64(vaddr, reg)                                                           \
    do {                                                                                \
        uint32_t fva_ = (vaddr), flo_, fhi_;                                            \
        if (fva_ & 7)                                                                   \
            ADDR_ERROR(EXC_ADEL, fva_);                                                 \
        MEM_READ(uint32_t, fva_, flo_);                                                 \
        MEM_READ(uint32_t, fva_ + 4, fhi_);                                             \
        fpu_set_d(&c->fpu, FPU_FR(), (reg), (uint64_t)fhi_ << 32 | flo_);               \
    } while (0)
#define FP_STORE32(vaddr, reg)                                                          \
    do {                                                                                \
        uint32_t fva_ = (vaddr);                                                        \
        if (fva_ & 3)                                                                   \
            ADDR_ERROR(EXC_ADES, fva_);                                                 \
        MEM_WRITE(uint32_t, fva_, fpu_get_w(&c->fpu, (reg)));                           \
    } while (0)
#define FP_STORE64(vaddr, reg)                                                          \
    do {                                                                                \
        uint32_t fva_ = (vaddr);                                                        \
        uint64_t fv_ = fpu_get_d(&c->fpu, FPU_FR(), (reg));                             \
        if (fva_ & 7)                                                                   \
            ADDR_ERROR(EXC_ADES, fva_);                                                 \
        MEM_WRITE(uint32_t, fva_, (uint32_t)fv_);                                       \
        MEM_WRITE(uint32_t, fva_ + 4, (uint32_t)(fv_ >> 32));                           \
    } while (0)

#define BRANCH(cond)                                                                    \
    do {                                                                                \
        nbd = true;                                                                     \
        if (cond)                                                                       \
            npc2 = pc + 4 + ((uint32_t)insn_simm(insn) << 2);                           \
    } while (0)

/* Branch likely: a branch not taken nullifies (skips) its delay slot. */
#define BRANCH_LIKELY(cond)                                                             \
    do {                                                                                \
        if (cond) {                                                                     \
            nbd = true;                                                                 \
            npc2 = pc + 4 + ((uint32_t)insn_simm(insn) << 2);                           \
        } else {                                                                        \
            npc += 4;                                                                   \
            npc2 = npc + 4;                                                             \
        }                                                                               \
    } while (0)

static inline uint32_t interp_rdhwr(cpu *c, unsigned rd, bool *ok)
{
    *ok = true;
    if (!CP0_USABLE() && !(c->cp0.hwrena & (1u << rd))) {
        *ok = false;
        return 0;
    }
    switch (rd) {
    case 0: return c->cp0.ebase & 0x3ffu;          /* CPUNum */
    case 1: return 32;                             /* SYNCI_Step: cache line size */
    case 2: return cpu_count(c);                   /* CC */
    case 3: return 2;                              /* CCRes: Count ticks every 2 cycles */
    case 29: return c->cp0.userlocal;              /* ULR */
    default: *ok = false; return 0;
    }
}

static inline __attribute__((always_inline)) void interp_slice(cpu *c, uint64_t max,
                                                               const bool trace,
                                                               const bool cache)
{
    uint32_t *const R = c->gpr;
    uint32_t pc = c->pc, npc = c->npc;
    bool bd = c->in_bd;
    uint64_t n = 0, stall = 0;
    const unsigned line_shift = cache ? c->sys->cache->line_shift : 0;
    /* Kept in registers: they change only in calls after which the slice ends
     * (TLB writes, mode changes) or in the fetch slow path, which reloads them. */
    const cpu_htlb_entry *const htlb = c->htlb;
    const int *const ll_links = &c->sys->ll_links;
    uint32_t fetch_page = c->fetch_page;
    const uint8_t *fetch_host = c->fetch_host;

    while (n + stall < max) {
        /* Keeping pc bits 1:0 in the compare sends a misaligned pc (JR/JALR/ERET to a
         * bad target) to the slow path, which raises AdEL. */
        if (UNLIKELY(CPU_FETCH_TAG(pc) != fetch_page)) {
            cpu_fault f;
            SYNC();
            if (cpu_fetch_slow(c, pc, &f)) {
                cpu_raise(c, f.code, &f, 0, 0);
                return;
            }
            fetch_page = c->fetch_page;
            fetch_host = c->fetch_host;
        }
        if (cache) {
            stall += memfast_fetch(c, pc, line_shift, c->cycles + n);
            if (UNLIKELY(c->sys->held))
                max = n + 1;
        }
        uint32_t insn;
        memcpy(&insn, fetch_host + (pc & ARCH_PAGE_MASK), 4);
        if (trace)
            interp_trace(c, pc, insn);

        uint32_t npc2 = npc + 4;
        bool nbd = false;
        const unsigned rs = insn_rs(insn), rt = insn_rt(insn), rd = insn_rd(insn);
        const uint32_t a = R[rs], b = R[rt];

        switch (decode_op(insn)) {
        /* ---- ALU, register forms ---- */
        case OP_SLL: R[rd] = b << insn_sa(insn); break;
        case OP_SRL: R[rd] = b >> insn_sa(insn); break;
        case OP_ROTR: {
            unsigned s = insn_sa(insn);
            R[rd] = s ? (b >> s) | (b << (32 - s)) : b;
            break;
        }
        case OP_SRA: R[rd] = (uint32_t)((int32_t)b >> insn_sa(insn)); break;
        case OP_SLLV: R[rd] = b << (a & 31); break;
        case OP_SRLV: R[rd] = b >> (a & 31); break;
        case OP_ROTRV: {
            unsigned s = a & 31;
            R[rd] = s ? (b >> s) | (b << (32 - s)) : b;
            break;
        }
        case OP_SRAV: R[rd] = (uint32_t)((int32_t)b >> (a & 31)); break;
        case OP_MOVZ: if (b == 0) R[rd] = a; break;
        case OP_MOVN: if (b != 0) R[rd] = a; break;
        case OP_MFHI: R[rd] = c->hi; break;
        case OP_MTHI: c->hi = a; break;
        case OP_MFLO: R[rd] = c->lo; break;
        case OP_MTLO: c->lo = a; break;
        case OP_MULT: {
            int64_t p = (int64_t)(int32_t)a * (int32_t)b;
            c->hi = (uint32_t)((uint64_t)p >> 32);
            c->lo = (uint32_t)p;
            break;
        }
        case OP_MULTU: {
            uint64_t p = (uint64_t)a * b;
            c->hi = (uint32_t)(p >> 32);
            c->lo = (uint32_t)p;
            break;
        }
        case OP_DIV: exec_div(c, a, b, false); break;
        case OP_DIVU: exec_div(c, a, b, true); break;
        case OP_ADD: {
            int32_t r;
            if (__builtin_add_overflow((int32_t)a, (int32_t)b, &r))
                RAISE(EXC_OV);
            R[rd] = (uint32_t)r;
            break;
        }
        case OP_ADDU: R[rd] = a + b; break;
        case OP_SUB: {
            int32_t r;
            if (__builtin_sub_overflow((int32_t)a, (int32_t)b, &r))
                RAISE(EXC_OV);
            R[rd] = (uint32_t)r;
            break;
        }
        case OP_SUBU: R[rd] = a - b; break;
        case OP_AND: R[rd] = a & b; break;
        case OP_OR: R[rd] = a | b; break;
        case OP_XOR: R[rd] = a ^ b; break;
        case OP_NOR: R[rd] = ~(a | b); break;
        case OP_SLT: R[rd] = (int32_t)a < (int32_t)b; break;
        case OP_SLTU: R[rd] = a < b; break;

        /* ---- traps, system calls ---- */
        case OP_TGE: if ((int32_t)a >= (int32_t)b) RAISE(EXC_TR); break;
        case OP_TGEU: if (a >= b) RAISE(EXC_TR); break;
        case OP_TLT: if ((int32_t)a < (int32_t)b) RAISE(EXC_TR); break;
        case OP_TLTU: if (a < b) RAISE(EXC_TR); break;
        case OP_TEQ: if (a == b) RAISE(EXC_TR); break;
        case OP_TNE: if (a != b) RAISE(EXC_TR); break;
        case OP_TGEI: if ((int32_t)a >= insn_simm(insn)) RAISE(EXC_TR); break;
        case OP_TGEIU: if (a >= (uint32_t)insn_simm(insn)) RAISE(EXC_TR); break;
        case OP_TLTI: if ((int32_t)a < insn_simm(insn)) RAISE(EXC_TR); break;
        case OP_TLTIU: if (a < (uint32_t)insn_simm(insn)) RAISE(EXC_TR); break;
        case OP_TEQI: if ((int32_t)a == insn_simm(insn)) RAISE(EXC_TR); break;
        case OP_TNEI: if ((int32_t)a != insn_simm(insn)) RAISE(EXC_TR); break;
        case OP_SYSCALL: RAISE(EXC_SYS);
        case OP_BREAK: RAISE(EXC_BP);
        case OP_SYNC: case OP_SYNCI: case OP_PREF: break;

        /* ---- jumps and branches ---- */
        case OP_JR: nbd = true; npc2 = a; break;
        case OP_JALR: nbd = true; npc2 = a; R[rd] = pc + 8; break;
        case OP_J: nbd = true; npc2 = ((pc + 4) & ARCH_JUMP_REGION) | ((insn & ARCH_JUMP_INDEX) << 2); break;
        case OP_JAL:
            nbd = true;
            npc2 = ((pc + 4) & ARCH_JUMP_REGION) | ((insn & ARCH_JUMP_INDEX) << 2);
            R[31] = pc + 8;
            break;
        case OP_BEQ: BRANCH(a == b); break;
        case OP_BNE: BRANCH(a != b); break;
        case OP_BLEZ: BRANCH((int32_t)a <= 0); break;
        case OP_BGTZ: BRANCH((int32_t)a > 0); break;
        case OP_BLTZ: BRANCH((int32_t)a < 0); break;
        case OP_BGEZ: BRANCH((int32_t)a >= 0); break;
        case OP_BLTZAL: R[31] = pc + 8; BRANCH((int32_t)a < 0); break;
        case OP_BGEZAL: R[31] = pc + 8; BRANCH((int32_t)a >= 0); break;
        case OP_BEQL: BRANCH_LIKELY(a == b); break;
        case OP_BNEL: BRANCH_LIKELY(a != b); break;
        case OP_BLEZL: BRANCH_LIKELY((int32_t)a <= 0); break;
        case OP_BGTZL: BRANCH_LIKELY((int32_t)a > 0); break;
        case OP_BLTZL: BRANCH_LIKELY((int32_t)a < 0); break;
        case OP_BGEZL: BRANCH_LIKELY((int32_t)a >= 0); break;
        case OP_BLTZALL: R[31] = pc + 8; BRANCH_LIKELY((int32_t)a < 0); break;
        case OP_BGEZALL: R[31] = pc + 8; BRANCH_LIKELY((int32_t)a >= 0); break;

        /* ---- ALU, immediate forms ---- */
        case OP_ADDI: {
            int32_t r;
            if (__builtin_add_overflow((int32_t)a, insn_simm(insn), &r))
                RAISE(EXC_OV);
            R[rt] = (uint32_t)r;
            break;
        }
        case OP_ADDIU: R[rt] = a + (uint32_t)insn_simm(insn); break;
        case OP_SLTI: R[rt] = (int32_t)a < insn_simm(insn); break;
        case OP_SLTIU: R[rt] = a < (uint32_t)insn_simm(insn); break;
        case OP_ANDI: R[rt] = a & insn_uimm(insn); break;
        case OP_ORI: R[rt] = a | insn_uimm(insn); break;
        case OP_XORI: R[rt] = a ^ insn_uimm(insn); break;
        case OP_LUI: R[rt] = insn_uimm(insn) << 16; break;

        /* ---- loads and stores ---- */
        case OP_LB: { int8_t v; MEM_READ(int8_t, a + insn_simm(insn), v); R[rt] = (uint32_t)(int32_t)v; break; }
        case OP_LBU: { uint8_t v; MEM_READ(uint8_t, a + insn_simm(insn), v); R[rt] = v; break; }
        case OP_LH: {
            uint32_t va = a + (uint32_t)insn_simm(insn);
            int16_t v;
            if (va & 1)
                ADDR_ERROR(EXC_ADEL, va);
            MEM_READ(int16_t, va, v);
            R[rt] = (uint32_t)(int32_t)v;
            break;
        }
        case OP_LHU: {
            uint32_t va = a + (uint32_t)insn_simm(insn);
            uint16_t v;
            if (va & 1)
                ADDR_ERROR(EXC_ADEL, va);
            MEM_READ(uint16_t, va, v);
            R[rt] = v;
            break;
        }
        case OP_LW: {
            uint32_t va = a + (uint32_t)insn_simm(insn), v;
            if (va & 3)
                ADDR_ERROR(EXC_ADEL, va);
            MEM_READ(uint32_t, va, v);
            R[rt] = v;
            break;
        }
        case OP_LWL: {
            uint32_t va = a + (uint32_t)insn_simm(insn), w;
            EXEC_PARTIAL_CHECK(va, false);
            MEM_READ(uint32_t, va & ~3u, w);
            R[rt] = exec_lwl(b, w, va);
            break;
        }
        case OP_LWR: {
            uint32_t va = a + (uint32_t)insn_simm(insn), w;
            EXEC_PARTIAL_CHECK(va, false);
            MEM_READ(uint32_t, va & ~3u, w);
            R[rt] = exec_lwr(b, w, va);
            break;
        }
        case OP_SB: MEM_WRITE(uint8_t, a + insn_simm(insn), b); break;
        case OP_SH: {
            uint32_t va = a + (uint32_t)insn_simm(insn);
            if (va & 1)
                ADDR_ERROR(EXC_ADES, va);
            MEM_WRITE(uint16_t, va, b);
            break;
        }
        case OP_SW: {
            uint32_t va = a + (uint32_t)insn_simm(insn);
            if (va & 3)
                ADDR_ERROR(EXC_ADES, va);
            MEM_WRITE(uint32_t, va, b);
            break;
        }
        case OP_SWL: {
            uint32_t va = a + (uint32_t)insn_simm(insn), w;
            EXEC_PARTIAL_CHECK(va, true);
            MEM_READ(uint32_t, va & ~3u, w);
            w = exec_swl(b, w, va);
            MEM_WRITE(uint32_t, va & ~3u, w);
            break;
        }
        case OP_SWR: {
            uint32_t va = a + (uint32_t)insn_simm(insn), w;
            EXEC_PARTIAL_CHECK(va, true);
            MEM_READ(uint32_t, va & ~3u, w);
            w = exec_swr(b, w, va);
            MEM_WRITE(uint32_t, va & ~3u, w);
            break;
        }
        case OP_LL: {
            uint32_t va = a + (uint32_t)insn_simm(insn);
            uint64_t pa;
            uintptr_t host;
            cpu_fault f;
            if (va & 3)
                ADDR_ERROR(EXC_ADEL, va);
            SYNC();
            if (cpu_ll_translate(c, va, &pa, &host, &f))
                RAISE_F(f.code, &f, 0);
            memcpy(&R[rt], (const void *)host, 4);
            if (cache)
                CACHE_ACCESS(pa, false);
            if (!c->llbit)
                c->sys->ll_links++;
            c->llbit = true;
            c->lladdr = pa;
            c->ll_host = host;
            break;
        }
        case OP_SC: {
            uint32_t va = a + (uint32_t)insn_simm(insn);
            if (va & 3)
                ADDR_ERROR(EXC_ADES, va);
            if (c->llbit) {
                MEM_WRITE(uint32_t, va, b);
                cpu_ll_clear(c);
                R[rt] = 1;
            } else {
                R[rt] = 0;
            }
            break;
        }
        case OP_CACHE: NEED_CP0(); break; /* caches are not modelled at this level */

        /* ---- MIPS32r2 extras ---- */
        case OP_MADD: case OP_MADDU: case OP_MSUB: case OP_MSUBU:
            exec_madd(c, a, b, insn & 63);
            break;
        case OP_MUL: R[rd] = (uint32_t)((int32_t)a * (int64_t)(int32_t)b); break;
        case OP_CLZ: R[rd] = a ? (uint32_t)__builtin_clz(a) : 32; break;
        case OP_CLO: R[rd] = ~a ? (uint32_t)__builtin_clz(~a) : 32; break;
        case OP_EXT: {
            unsigned pos = insn_sa(insn), size = rd + 1;
            uint32_t v = a >> pos;
            R[rt] = size >= 32 ? v : v & ((1u << size) - 1);
            break;
        }
        case OP_INS: {
            unsigned lsb = insn_sa(insn), msb = rd;
            if (msb >= lsb) {
                unsigned size = msb - lsb + 1;
                uint32_t mask = (size >= 32 ? 0xffffffffu : ((1u << size) - 1)) << lsb;
                R[rt] = (b & ~mask) | ((a << lsb) & mask);
            }
            break;
        }
        case OP_WSBH: R[rd] = ((b & 0x00ff00ffu) << 8) | ((b >> 8) & 0x00ff00ffu); break;
        case OP_SEB: R[rd] = (uint32_t)(int32_t)(int8_t)b; break;
        case OP_SEH: R[rd] = (uint32_t)(int32_t)(int16_t)b; break;
        case OP_RDHWR: {
            bool ok;
            SYNC();
            uint32_t v = interp_rdhwr(c, rd, &ok);
            if (!ok)
                RAISE(EXC_RI);
            R[rt] = v;
            break;
        }

        /* ---- coprocessor 0 ---- */
        case OP_MFC0:
            NEED_CP0();
            SYNC();
            R[rt] = cpu_get_cp0(c, (int)rd, (int)insn_sel(insn));
            break;
        case OP_MTC0:
            NEED_CP0();
            SYNC();
            cpu_set_cp0(c, (int)rd, (int)insn_sel(insn), b);
            max = n + 1;
            break;
        case OP_DI:
            NEED_CP0();
            R[rt] = c->cp0.status;
            c->cp0.status &= ~ST_IE;
            break;
        case OP_EI:
            NEED_CP0();
            R[rt] = c->cp0.status;
            c->cp0.status |= ST_IE;
            max = n + 1;
            break;
        case OP_RDPGPR: NEED_CP0(); R[rd] = b; break; /* one shadow set: the current one */
        case OP_WRPGPR: NEED_CP0(); R[rd] = b; break;
        /* TLB writes drop fast-path entries: end the slice so the locals reload. */
        case OP_TLBR: NEED_CP0(); SYNC(); cpu_tlbr(c); max = n + 1; break;
        case OP_TLBWI: NEED_CP0(); SYNC(); cpu_tlbwi(c); max = n + 1; break;
        case OP_TLBWR: NEED_CP0(); SYNC(); cpu_tlbwr(c); max = n + 1; break;
        case OP_TLBP: NEED_CP0(); cpu_tlbp(c); break;
        case OP_ERET:
            NEED_CP0();
            SYNC();
            cpu_eret(c);
            c->insns++;
            c->cycles++;
            c->budget--;
            return;
        case OP_WAIT:
            NEED_CP0();
            c->state = CPU_WAITING;
            max = n + 1;
            break;

        /* ---- coprocessor 1 (fpu.h) ---- */
        case OP_COP1: {
            NEED_CP1();
            int e = fpu_cop1(&c->fpu, insn, FPU_FR(), R);
            if (e)
                RAISE(e);
            break;
        }
        case OP_BC1: {
            NEED_CP1();
            bool t = fpu_cc(&c->fpu, rt >> 2) == (rt & 1);
            if (rt & 2)
                BRANCH_LIKELY(t);
            else
                BRANCH(t);
            break;
        }
        case OP_MOVCI: NEED_CP1(); if (fpu_cc(&c->fpu, rt >> 2) == (rt & 1)) R[rd] = a; break;
        case OP_LWC1: NEED_CP1(); FP_LOAD32(a + (uint32_t)insn_simm(insn), rt); break;
        case OP_LDC1: NEED_CP1(); FP_LOAD64(a + (uint32_t)insn_simm(insn), rt); break;
        case OP_SWC1: NEED_CP1(); FP_STORE32(a + (uint32_t)insn_simm(insn), rt); break;
        case OP_SDC1: NEED_CP1(); FP_STORE64(a + (uint32_t)insn_simm(insn), rt); break;
        case OP_COP1X: {
            NEED_CP1();
            unsigned fd = insn_sa(insn), fs = rd;
            switch (insn_funct(insn)) {
            case 0: FP_LOAD32(a + b, fd); break;                    /* LWXC1 */
            case 1: FP_LOAD64(a + b, fd); break;                    /* LDXC1 */
            case 5: NEED_F64(); FP_LOAD64((a + b) & ~7u, fd); break;   /* LUXC1 */
            case 8: FP_STORE32(a + b, fs); break;                   /* SWXC1 */
            case 9: FP_STORE64(a + b, fs); break;                   /* SDXC1 */
            case 13: NEED_F64(); FP_STORE64((a + b) & ~7u, fs); break; /* SUXC1 */
            case 15: break;                                         /* PREFX */
            default: {
                int e = fpu_cop1x(&c->fpu, insn, FPU_FR());
                if (e)
                    RAISE(e);
                break;
            }
            }
            break;
        }
        case OP_COP2: RAISE_F(EXC_CPU, NULL, 2);
        case OP_RI:
        default: RAISE(EXC_RI);
        }
        R[0] = 0;
        pc = npc;
        npc = npc2;
        bd = nbd;
        n++;
    }
    SYNC();
}

void interp_slice_plain(cpu *c, uint64_t max)
{
    interp_slice(c, max, false, false);
}

void interp_slice_cached(cpu *c, uint64_t max)
{
    interp_slice(c, max, false, true);
}

void interp_slice_traced(cpu *c, uint64_t max)
{
    if (c->sys->cache)
        interp_slice(c, max, true, true);
    else
        interp_slice(c, max, true, false);
}
