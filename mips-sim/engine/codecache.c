/*
 * codecache.c - decoding guest code into blocks, and keeping them equal to memory.
 * See codecache.h for the block shape and the invariants.
 */
#include "mips-sim/engine/codecache.h"
#include "mips-sim/arch.h"

#include "mips-sim/cpu/cpu.h"
#include "mips-sim/cpu/decode.h"
#include "mips-sim/engine/engine.h"

#include <stdlib.h>
#include <string.h>

codecache *codecache_new(const cpu_system *sys)
{
    uint64_t end = 0;
    for (int i = 0; i < sys->bus->nregions; i++) {
        const bus_region *r = &sys->bus->regions[i];
        if (r->host && r->base + r->size > end)
            end = r->base + r->size;
    }
    codecache *cc = calloc(1, sizeof(*cc));
    if (!cc)
        return NULL;
    cc->npages = (end + ARCH_PAGE_MASK) >> ARCH_PAGE_SHIFT;
    cc->pages = calloc(cc->npages ? cc->npages : 1, sizeof(*cc->pages));
    if (!cc->pages) {
        free(cc);
        return NULL;
    }
    if (sys->engine == ENGINE_JIT)
        cc->jit = jit_new(sys->jit_bytes);     /* NULL: no JIT here, blocks still run */
    if (cc->jit && sys->cache)
        jit_set_cache(cc->jit, sys->cache->line_shift);
    if (cc->jit)
        jit_bind(cc->jit, cc->pages, cc->npages);
    return cc;
}

static void codecache_page_free(codepage *cp)
{
    for (unsigned i = 0; i < ARCH_PAGE_WORDS; i++)
        free(cp->blocks[i]);
    free(cp);
}

void codecache_free(codecache *cc)
{
    if (!cc)
        return;
    codecache_collect(cc);
    for (uint64_t i = 0; i < cc->npages; i++)
        if (cc->pages[i])
            codecache_page_free(cc->pages[i]);
    free(cc->pages);
    jit_free(cc->jit);
    free(cc);
}

/* A page becomes code: from now on every store to it must take the slow path. */
static void codecache_drop_write_tags(cpu_system *sys, uint64_t ppage)
{
    for (int i = 0; i < sys->ncpus; i++) {
        cpu *c = sys->cpus[i];
        for (int mode = 0; mode < 3; mode++)
            for (int j = 0; j < CPU_HTLB_SIZE; j++) {
                cpu_htlb_entry *e = &c->htlb_modes[mode][j];
                if (e->wtag != CPU_HTLB_INVALID && e->ppage == ppage)
                    e->wtag = CPU_HTLB_INVALID;
            }
    }
}

codepage *codecache_page(cpu_system *sys, uint64_t ppage)
{
    codecache *cc = sys->code;
    uint64_t pn = ppage >> ARCH_PAGE_SHIFT;
    if (pn >= cc->npages)
        return NULL;
    if (!cc->pages[pn]) {
        codepage *cp = calloc(1, sizeof(*cp));
        if (!cp)
            return NULL;
        cc->pages[pn] = cp;
        codecache_drop_write_tags(sys, ARCH_PAGE_BASE(ppage));
    }
    return cc->pages[pn];
}

/* Unlink page pn's blocks now; codecache_collect frees them. */
static void codecache_retire(codecache *cc, uint64_t pn)
{
    codepage *cp = cc->pages[pn];
    cc->pages[pn] = NULL;
    cp->next_retired = cc->retired;
    cc->retired = cp;
}

void codecache_write(codecache *cc, uint64_t pa)
{
    uint64_t pn = pa >> ARCH_PAGE_SHIFT;
    if (!cc || pn >= cc->npages || !cc->pages[pn])
        return;
    codecache_retire(cc, pn);
}

void codecache_collect(codecache *cc)
{
    if (cc->jit_full) {                           /* retire every page, then reuse */
        for (uint64_t pn = 0; pn < cc->npages; pn++)
            if (cc->pages[pn])
                codecache_retire(cc, pn);
        jit_reset(cc->jit);
        cc->jit_full = false;
    }
    while (cc->retired) {
        codepage *cp = cc->retired;
        cc->retired = cp->next_retired;
        codecache_page_free(cp);
    }
}

static bool codecache_is_branch(unsigned k)
{
    switch (k) {
    case OP_J: case OP_JAL: case OP_JR: case OP_JALR:
    case OP_BEQ: case OP_BNE: case OP_BLEZ: case OP_BGTZ: case OP_BLTZ: case OP_BGEZ:
    case OP_BLTZAL: case OP_BGEZAL: case OP_BEQL: case OP_BNEL: case OP_BLEZL:
    case OP_BGTZL: case OP_BLTZL: case OP_BGEZL: case OP_BLTZALL: case OP_BGEZALL:
    case OP_BC1:
        return true;
    default:
        return false;
    }
}

/* Operations whose only effect is writing rd (a write to $zero makes them a NOP). */
static bool codecache_pure_rd(unsigned k)
{
    switch (k) {
    case OP_SLL: case OP_SRL: case OP_ROTR: case OP_SRA: case OP_SLLV: case OP_SRLV:
    case OP_ROTRV: case OP_SRAV: case OP_MOVZ: case OP_MOVN: case OP_MFHI: case OP_MFLO:
    case OP_ADDU: case OP_SUBU: case OP_AND: case OP_OR: case OP_XOR: case OP_NOR:
    case OP_SLT: case OP_SLTU: case OP_MUL: case OP_CLZ: case OP_CLO: case OP_WSBH:
    case OP_SEB: case OP_SEH:
        return true;
    default:
        return false;
    }
}

/* Operations whose only effect is writing rt. */
static bool codecache_pure_rt(unsigned k)
{
    switch (k) {
    case OP_ADDIU: case OP_SLTI: case OP_SLTIU: case OP_ANDI: case OP_ORI: case OP_XORI:
    case OP_LUI: case OP_EXT: case OP_INS:
        return true;
    default:
        return false;
    }
}

/* Operations that write rt and have other effects (faults, device reads). */
static bool codecache_writes_rt(unsigned k)
{
    switch (k) {
    case OP_ADDI: case OP_LB: case OP_LBU: case OP_LH: case OP_LHU: case OP_LW:
    case OP_LWL: case OP_LWR: case XK_ULR:
        return true;
    default:
        return codecache_pure_rt(k);
    }
}

/* Fill op (at index k of its block) from instruction word `insn` of kind `k`. */
static void codecache_fill(xop *op, uint32_t insn, unsigned k, unsigned index)
{
    op->rs = (uint8_t)insn_rs(insn);
    op->rt = (uint8_t)insn_rt(insn);
    op->rd = (uint8_t)insn_rd(insn);
    op->sa = (uint8_t)insn_sa(insn);
    op->imm = (uint32_t)insn_simm(insn);
    switch (k) {
    case OP_ANDI: case OP_ORI: case OP_XORI: op->imm = insn_uimm(insn); break;
    case OP_LUI: op->imm = insn_uimm(insn) << 16; break;
    case OP_J: case OP_JAL: op->imm = (insn & ARCH_JUMP_INDEX) << 2; break;
    case OP_EXT: {                           /* sa = pos, imm = mask of size rd + 1 */
        unsigned size = op->rd + 1u;
        op->imm = size >= 32 ? 0xffffffffu : (1u << size) - 1;
        break;
    }
    case OP_INS: {                           /* sa = lsb, imm = the field's mask */
        unsigned size = op->rd + 1u - op->sa;
        op->imm = (size >= 32 ? 0xffffffffu : (1u << size) - 1) << op->sa;
        break;
    }
    case OP_MADD: case OP_MADDU: case OP_MSUB: case OP_MSUBU:
        op->sa = (uint8_t)(insn & 5);        /* bit 0: unsigned, bit 2: subtract */
        break;
    default:
        if (codecache_is_branch(k) && k != OP_J && k != OP_JAL)
            op->imm = 4 * index + 4 + ((uint32_t)insn_simm(insn) << 2);
        break;
    }
    if (codecache_pure_rd(k) || k == OP_ADD || k == OP_SUB || k == OP_JALR || k == OP_MOVCI) {
        if (op->rd == 0)
            op->rd = CODECACHE_SINK;
    } else if (codecache_writes_rt(k) && op->rt == 0) {
        op->rt = CODECACHE_SINK;
    }
}

/* The kind the block engine runs for instruction `insn`, after simplification. */
static unsigned codecache_kind(uint32_t insn)
{
    unsigned k = decode_op(insn);
    if (codecache_pure_rd(k) && insn_rd(insn) == 0)
        return XK_NOP;
    if (codecache_pure_rt(k) && insn_rt(insn) == 0)
        return XK_NOP;
    if (k == OP_INS && insn_rd(insn) < insn_sa(insn))
        return XK_NOP;                       /* msb < lsb: UNPREDICTABLE, no change */
    if (k == OP_SYNC || k == OP_SYNCI || k == OP_PREF)
        return XK_NOP;
    if (k == OP_RDHWR && insn_rd(insn) == ARCH_HWR_ULR)
        return XK_ULR;
    return k;
}

xblock *codecache_translate(codecache *cc, codepage *cp, unsigned word,
                            const uint8_t *host_page, const void *const *handlers)
{
    xop ops[CODECACHE_MAX_LEN + 1];
    uint32_t words[CODECACHE_MAX_LEN];
    unsigned kinds[CODECACHE_MAX_LEN];
    unsigned len = 0;
    bool branch = false;
    while (len < CODECACHE_MAX_LEN && word + len < ARCH_PAGE_WORDS) {
        uint32_t insn;
        memcpy(&insn, host_page + 4 * (word + len), 4);
        unsigned k = codecache_kind(insn);
        if (!handlers[k])
            break;                                    /* left to the interpreter */
        if (codecache_is_branch(k)) {
            if (word + len + 1 >= ARCH_PAGE_WORDS || len + 2 > CODECACHE_MAX_LEN)
                break;                                /* delay slot on the next page */
            uint32_t slot;
            memcpy(&slot, host_page + 4 * (word + len + 1), 4);
            unsigned ks = codecache_kind(slot);
            if (!handlers[ks] || codecache_is_branch(ks))
                break;
            codecache_fill(&ops[len], insn, k, len);
            ops[len].h = handlers[k];
            words[len] = insn;
            kinds[len] = k;
            codecache_fill(&ops[len + 1], slot, ks, len + 1);
            ops[len + 1].h = handlers[ks];
            words[len + 1] = slot;
            kinds[len + 1] = ks;
            len += 2;
            branch = true;
            break;
        }
        codecache_fill(&ops[len], insn, k, len);
        ops[len].h = handlers[k];
        words[len] = insn;
        kinds[len] = k;
        len++;
    }
    xblock *b = malloc(sizeof(*b) + (len + 1) * sizeof(xop));
    if (!b)
        return NULL;
    b->len = (uint16_t)len;
    b->ends_in_branch = branch;
    memcpy(b->ops, ops, len * sizeof(xop));
    memset(&b->ops[len], 0, sizeof(xop));
    b->ops[len].h = handlers[XK_END];
    b->code = NULL;
    b->chain = NULL;
    if (cc->jit && len) {
        jit_insn ji[CODECACHE_MAX_LEN];
        for (unsigned i = 0; i < len; i++)
            ji[i] = (jit_insn){ .kind = kinds[i], .word = words[i], .rd = ops[i].rd,
                                .rs = ops[i].rs, .rt = ops[i].rt, .sa = ops[i].sa,
                                .imm = ops[i].imm };
        b->code = jit_compile(cc->jit, ji, len, branch, word, &b->chain);
        if (!b->code && jit_full(cc->jit))
            cc->jit_full = true;      /* this block runs threaded until the flush */
    }
    cp->blocks[word] = b;
    return b;
}
