/* decode.c - opcode tables, the multi-field decoder and the disassembler. */
#include "mips-sim/cpu/decode.h"
#include "mips-sim/arch.h"

#include <stdio.h>

#define X_ OP_COUNT /* "look further": decided by decode_op_slow() */

const uint8_t decode_primary[64] = {
    [0] = X_, [1] = X_, [2] = OP_J, [3] = OP_JAL, [4] = OP_BEQ, [5] = OP_BNE,
    [6] = OP_BLEZ, [7] = OP_BGTZ, [8] = OP_ADDI, [9] = OP_ADDIU, [10] = OP_SLTI,
    [11] = OP_SLTIU, [12] = OP_ANDI, [13] = OP_ORI, [14] = OP_XORI, [15] = OP_LUI,
    [16] = X_, [17] = X_, [18] = OP_COP2, [19] = OP_COP1X, [20] = OP_BEQL,
    [21] = OP_BNEL, [22] = OP_BLEZL, [23] = OP_BGTZL, [28] = X_, [31] = X_,
    [32] = OP_LB, [33] = OP_LH, [34] = OP_LWL, [35] = OP_LW, [36] = OP_LBU,
    [37] = OP_LHU, [38] = OP_LWR, [40] = OP_SB, [41] = OP_SH, [42] = OP_SWL,
    [43] = OP_SW, [46] = OP_SWR, [47] = OP_CACHE, [48] = OP_LL, [49] = OP_LWC1,
    [50] = OP_COP2, [51] = OP_PREF, [53] = OP_LDC1, [54] = OP_COP2, [56] = OP_SC,
    [57] = OP_SWC1, [58] = OP_COP2, [61] = OP_SDC1, [62] = OP_COP2,
    /* everything else is 0 = OP_RI */
};

const uint8_t decode_special[64] = {
    [0] = OP_SLL, [1] = OP_MOVCI /* MOVF/MOVT: FP condition codes */, [2] = X_,
    [3] = OP_SRA, [4] = OP_SLLV, [6] = X_, [7] = OP_SRAV, [8] = OP_JR, [9] = OP_JALR,
    [10] = OP_MOVZ, [11] = OP_MOVN, [12] = OP_SYSCALL, [13] = OP_BREAK, [15] = OP_SYNC,
    [16] = OP_MFHI, [17] = OP_MTHI, [18] = OP_MFLO, [19] = OP_MTLO, [24] = OP_MULT,
    [25] = OP_MULTU, [26] = OP_DIV, [27] = OP_DIVU, [32] = OP_ADD, [33] = OP_ADDU,
    [34] = OP_SUB, [35] = OP_SUBU, [36] = OP_AND, [37] = OP_OR, [38] = OP_XOR,
    [39] = OP_NOR, [42] = OP_SLT, [43] = OP_SLTU, [48] = OP_TGE, [49] = OP_TGEU,
    [50] = OP_TLT, [51] = OP_TLTU, [52] = OP_TEQ, [54] = OP_TNE,
};

const uint8_t decode_regimm[32] = {
    [0] = OP_BLTZ, [1] = OP_BGEZ, [2] = OP_BLTZL, [3] = OP_BGEZL, [8] = OP_TGEI,
    [9] = OP_TGEIU, [10] = OP_TLTI, [11] = OP_TLTIU, [12] = OP_TEQI, [14] = OP_TNEI,
    [16] = OP_BLTZAL, [17] = OP_BGEZAL, [18] = OP_BLTZALL, [19] = OP_BGEZALL,
    [31] = OP_SYNCI,
};

static enum decode_op decode_special2(uint32_t insn)
{
    switch (insn_funct(insn)) {
    case 0: return OP_MADD;
    case 1: return OP_MADDU;
    case 2: return OP_MUL;
    case 4: return OP_MSUB;
    case 5: return OP_MSUBU;
    case 32: return OP_CLZ;
    case 33: return OP_CLO;
    default: return OP_RI; /* includes SDBBP: no EJTAG debug unit */
    }
}

static enum decode_op decode_special3(uint32_t insn)
{
    switch (insn_funct(insn)) {
    case 0: return OP_EXT;
    case 4: return OP_INS;
    case 32:
        switch (insn_sa(insn)) {
        case 2: return OP_WSBH;
        case 16: return OP_SEB;
        case 24: return OP_SEH;
        default: return OP_RI;
        }
    case 59: return OP_RDHWR;
    default: return OP_RI;
    }
}

static enum decode_op decode_cop0(uint32_t insn)
{
    unsigned rs = insn_rs(insn);
    if (rs & 16) { /* CO: TLB operations, ERET, WAIT */
        switch (insn_funct(insn)) {
        case 1: return OP_TLBR;
        case 2: return OP_TLBWI;
        case 6: return OP_TLBWR;
        case 8: return OP_TLBP;
        case 24: return OP_ERET;
        case 32: return OP_WAIT;
        default: return OP_RI;
        }
    }
    switch (rs) {
    case 0: return OP_MFC0;
    case 4: return OP_MTC0;
    case 10: return OP_RDPGPR;
    case 14: return OP_WRPGPR;
    case 11:
        if ((insn & 0xffff) == 0x6000) return OP_DI; /* rd = 12, sc = 0 */
        if ((insn & 0xffff) == 0x6020) return OP_EI; /* rd = 12, sc = 1 */
        return OP_RI;
    default: return OP_RI;
    }
}

enum decode_op decode_op_slow(uint32_t insn)
{
    switch (insn >> 26) {
    case 0: /* SPECIAL forms selected by a second field */
        if (insn_funct(insn) == 2)
            return (insn & (1u << 21)) ? OP_ROTR : OP_SRL;
        return (insn & (1u << 6)) ? OP_ROTRV : OP_SRLV; /* funct 6 */
    case 1: {
        uint8_t op = decode_regimm[insn_rt(insn)];
        return op ? (enum decode_op)op : OP_RI;
    }
    case 16: return decode_cop0(insn);
    case 17: return insn_rs(insn) == 8 ? OP_BC1 : OP_COP1;
    case 28: return decode_special2(insn);
    case 31: return decode_special3(insn);
    default: return OP_RI;
    }
}

#define DECODE_NAME(name) #name,
static const char *const decode_names[OP_COUNT] = { DECODE_OPS(DECODE_NAME) };

const char *decode_op_name(enum decode_op op)
{
    return op < OP_COUNT ? decode_names[op] : "?";
}

char *decode_disasm(uint32_t insn, uint32_t pc, char *buf, size_t len)
{
    enum decode_op op = decode_op(insn);
    const char *name = decode_op_name(op);
    unsigned rs = insn_rs(insn), rt = insn_rt(insn), rd = insn_rd(insn);
    switch (op) {
    case OP_J: case OP_JAL:
        snprintf(buf, len, "%s 0x%08x", name, ((pc + 4) & ARCH_JUMP_REGION) | ((insn & ARCH_JUMP_INDEX) << 2));
        break;
    case OP_BEQ: case OP_BNE: case OP_BEQL: case OP_BNEL:
        snprintf(buf, len, "%s r%u, r%u, 0x%08x", name, rs, rt, pc + 4 + ((uint32_t)insn_simm(insn) << 2));
        break;
    case OP_BLEZ: case OP_BGTZ: case OP_BLEZL: case OP_BGTZL: case OP_BLTZ: case OP_BGEZ:
    case OP_BLTZL: case OP_BGEZL: case OP_BLTZAL: case OP_BGEZAL: case OP_BLTZALL:
    case OP_BGEZALL:
        snprintf(buf, len, "%s r%u, 0x%08x", name, rs, pc + 4 + ((uint32_t)insn_simm(insn) << 2));
        break;
    case OP_LB: case OP_LH: case OP_LWL: case OP_LW: case OP_LBU: case OP_LHU: case OP_LWR:
    case OP_SB: case OP_SH: case OP_SWL: case OP_SW: case OP_SWR: case OP_LL: case OP_SC:
    case OP_CACHE: case OP_PREF:
        snprintf(buf, len, "%s r%u, %d(r%u)", name, rt, insn_simm(insn), rs);
        break;
    case OP_ADDI: case OP_ADDIU: case OP_SLTI: case OP_SLTIU:
        snprintf(buf, len, "%s r%u, r%u, %d", name, rt, rs, insn_simm(insn));
        break;
    case OP_ANDI: case OP_ORI: case OP_XORI:
        snprintf(buf, len, "%s r%u, r%u, 0x%x", name, rt, rs, insn_uimm(insn));
        break;
    case OP_LUI:
        snprintf(buf, len, "%s r%u, 0x%x", name, rt, insn_uimm(insn));
        break;
    case OP_SLL: case OP_SRL: case OP_SRA: case OP_ROTR:
        snprintf(buf, len, "%s r%u, r%u, %u", name, rd, rt, insn_sa(insn));
        break;
    case OP_MFC0: case OP_MTC0:
        snprintf(buf, len, "%s r%u, $%u, %u", name, rt, rd, insn_sel(insn));
        break;
    default:
        snprintf(buf, len, "%s r%u, r%u, r%u", name, rd, rs, rt);
        break;
    }
    return buf;
}
