/*
 * decode.h - MIPS32r2 instruction decoding: which operation a 32-bit word is, its
 * fields, and a disassembler for traces.
 *
 * decode_op() is a pure function of the instruction word, built from constant tables
 * indexed by the opcode fields, so the interpreter and the tests share one decoder.
 * Words that are not MIPS32r2 integer instructions decode to OP_RI (Reserved
 * Instruction). Floating-point ones decode to OP_COP1 (moves and .fmt operations, run
 * by fpu.c), OP_BC1, the loads and stores (OP_LWC1...), OP_COP1X (indexed loads and
 * stores, MADD...) and OP_MOVCI (MOVF/MOVT); coprocessor-2 ones to OP_COP2 (Coprocessor
 * Unusable, so the OS can emulate them).
 */
#ifndef MIPS_SIM_DECODE_H
#define MIPS_SIM_DECODE_H

#include <stddef.h>
#include <stdint.h>

#define DECODE_OPS(X) \
    X(RI) X(SLL) X(SRL) X(ROTR) X(SRA) X(SLLV) X(SRLV) X(ROTRV) X(SRAV) X(JR) X(JALR) \
    X(MOVZ) X(MOVN) X(SYSCALL) X(BREAK) X(SYNC) X(MFHI) X(MTHI) X(MFLO) X(MTLO) \
    X(MULT) X(MULTU) X(DIV) X(DIVU) X(ADD) X(ADDU) X(SUB) X(SUBU) X(AND) X(OR) X(XOR) \
    X(NOR) X(SLT) X(SLTU) X(TGE) X(TGEU) X(TLT) X(TLTU) X(TEQ) X(TNE) \
    X(BLTZ) X(BGEZ) X(BLTZL) X(BGEZL) X(TGEI) X(TGEIU) X(TLTI) X(TLTIU) X(TEQI) X(TNEI) \
    X(BLTZAL) X(BGEZAL) X(BLTZALL) X(BGEZALL) X(SYNCI) \
    X(J) X(JAL) X(BEQ) X(BNE) X(BLEZ) X(BGTZ) X(ADDI) X(ADDIU) X(SLTI) X(SLTIU) X(ANDI) \
    X(ORI) X(XORI) X(LUI) X(BEQL) X(BNEL) X(BLEZL) X(BGTZL) \
    X(LB) X(LH) X(LWL) X(LW) X(LBU) X(LHU) X(LWR) X(SB) X(SH) X(SWL) X(SW) X(SWR) \
    X(CACHE) X(LL) X(PREF) X(SC) \
    X(MADD) X(MADDU) X(MUL) X(MSUB) X(MSUBU) X(CLZ) X(CLO) \
    X(EXT) X(INS) X(WSBH) X(SEB) X(SEH) X(RDHWR) \
    X(MFC0) X(MTC0) X(DI) X(EI) X(TLBR) X(TLBWI) X(TLBWR) X(TLBP) X(ERET) X(WAIT) \
    X(RDPGPR) X(WRPGPR) X(COP1) X(COP2) \
    X(BC1) X(LWC1) X(LDC1) X(SWC1) X(SDC1) X(COP1X) X(MOVCI)

#define DECODE_ENUM(name) OP_##name,
enum decode_op { DECODE_OPS(DECODE_ENUM) OP_COUNT };
#undef DECODE_ENUM

/* Instruction fields. */
static inline unsigned insn_rs(uint32_t i) { return (i >> 21) & 31; }
static inline unsigned insn_rt(uint32_t i) { return (i >> 16) & 31; }
static inline unsigned insn_rd(uint32_t i) { return (i >> 11) & 31; }
static inline unsigned insn_sa(uint32_t i) { return (i >> 6) & 31; }
static inline unsigned insn_funct(uint32_t i) { return i & 63; }
static inline int32_t insn_simm(uint32_t i) { return (int16_t)(i & 0xffff); }
static inline uint32_t insn_uimm(uint32_t i) { return i & 0xffff; }
static inline unsigned insn_sel(uint32_t i) { return i & 7; }

extern const uint8_t decode_primary[64];
extern const uint8_t decode_special[64];
extern const uint8_t decode_regimm[32];

/* The slow part of decode_op: SPECIAL2, SPECIAL3, COP0 and the forms that depend on
 * more than one field. */
enum decode_op decode_op_slow(uint32_t insn);

/* The operation of an instruction word. */
static inline enum decode_op decode_op(uint32_t insn)
{
    uint8_t op = decode_primary[insn >> 26];
    if (op != OP_COUNT)
        return (enum decode_op)op;
    if ((insn >> 26) == 0) {
        op = decode_special[insn & 63];
        if (op != OP_COUNT)
            return (enum decode_op)op;
    }
    return decode_op_slow(insn);
}

/* Name of an operation ("ADDIU"). */
const char *decode_op_name(enum decode_op op);

/* Disassemble `insn` at address pc into buf ("addiu r2, r3, -4"). Returns buf. */
char *decode_disasm(uint32_t insn, uint32_t pc, char *buf, size_t len);

#endif
