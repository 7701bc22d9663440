/*
 * fpu.h - coprocessor 1: a MIPS32 Release 2 floating-point unit of the 24Kf class
 * (formats S, D, W, L; no paired single), bit-identical to QEMU's 24Kf model.
 *
 * State: 32 registers of 64 bits and FCSR. FIR is constant (FPU_FIR). The register
 * file has two views, chosen per access by Status.FR (`fr` below):
 *  - FR = 1: 32 registers of 64 bits; a word access uses bits 31:0 of fpr[r];
 *  - FR = 0: 32 registers of 32 bits (bits 31:0 of fpr[r]), and a double or long in
 *    the even/odd pair r, r + 1 (low word in fpr[r], high word in fpr[r + 1]); a double
 *    operand with an odd register number is a Reserved Instruction.
 * Bits 63:32 of fpr[r] keep their value when FR = 0 writes a word, so switching FR
 * shows what the other view left (as the 24Kf and QEMU do).
 *
 * Arithmetic follows IEEE 754 with the legacy MIPS NaN encoding: a NaN whose quiet bit
 * (the fraction's top bit) is SET is signalling, one with it clear is quiet; the
 * default NaN is FPU_DNAN_S / FPU_DNAN_D. Any NaN operand of an arithmetic operation
 * or conversion gives the default NaN (no NaN payload ever passes through, as in
 * QEMU), and a signalling one raises Invalid. ABS, NEG and MOV only move bits and
 * never signal.
 *
 * Exceptions: every arithmetic operation, conversion and compare writes FCSR.Cause
 * with what it raised; if an enabled exception is among them the instruction has no
 * other effect and the caller raises the Floating-Point exception (EXC_FPE); else the
 * raised bits are ORed into FCSR.Flags. With FCSR.FS set, results in the denormal range
 * become a zero of the same sign, raising nothing (QEMU's flush-to-zero). Invalid
 * conversions to an integer give 0x7fffffff / 0x7fffffffffffffff.
 *
 * The functions return 0 when the instruction completed, or the ExcCode to raise:
 * EXC_RI (unknown encoding, or a format the operation does not have) or EXC_FPE.
 * Whether coprocessor 1 is usable (Status.CU1) is the caller's check.
 */
#ifndef MIPS_SIM_FPU_H
#define MIPS_SIM_FPU_H

#include <stdbool.h>
#include <stdint.h>

#define FPU_NREGS 32

/* FIR: F64, L, W, D and S implemented; processor ID 0x93, revision 0 (QEMU's 24Kf). */
#define FPU_FIR 0x00739300u

/* Control register numbers (CFC1/CTC1 fs field). */
enum { FPU_CR_FIR = 0, FPU_CR_FCCR = 25, FPU_CR_FEXR = 26, FPU_CR_FENR = 28, FPU_CR_FCSR = 31 };

/* FCSR fields. The 5-bit exception masks below are in the order I, U, O, Z, V. */
#define FCSR_RM         0x00000003u
#define FCSR_FLAGS_SHIFT 2
#define FCSR_ENABLE_SHIFT 7
#define FCSR_CAUSE_SHIFT 12
#define FCSR_CAUSE      0x0003f000u
#define FCSR_CAUSE_E    0x00020000u   /* Unimplemented Operation */
#define FCSR_FCC0       0x00800000u
#define FCSR_FS         0x01000000u
#define FCSR_WRITABLE   0xff83ffffu   /* what CTC1 to FCSR can change */
#define FPU_EX_I 0x01u
#define FPU_EX_U 0x02u
#define FPU_EX_O 0x04u
#define FPU_EX_Z 0x08u
#define FPU_EX_V 0x10u
#define FPU_EX_ALL 0x1fu

/* Default NaNs of the legacy encoding. */
#define FPU_DNAN_S 0x7fbfffffu
#define FPU_DNAN_D 0x7ff7ffffffffffffull

/*
 * Lazy Cause: compiled code (jit_x86.c) does not compute FCSR.Cause for each FP
 * operation it runs inline; it records the operation instead. While lazy_word != 0,
 * FCSR.Cause is stale and is what executing lazy_word (a COP1 word) on the operand
 * values lazy_a (its fs) and lazy_b (its ft), FR = 0, round to nearest, would raise;
 * fpu_settle() computes it. Everything in fpu.c that reads Cause settles first, and
 * everything that writes Cause clears lazy_word. FCSR.Flags are never stale outside
 * compiled code.
 */
typedef struct fpu_state {
    uint64_t fpr[FPU_NREGS];
    uint32_t fcsr;
    uint32_t lazy_word;
    uint64_t lazy_a, lazy_b;
} fpu_state;

/* Make FCSR.Cause current (see lazy_word above). */
void fpu_settle(fpu_state *f);

/* Reset: FCSR = 0 (round to nearest, nothing enabled); registers are left as they are. */
void fpu_reset(fpu_state *f);

/* Register access in the view Status.FR selects (see above). */
uint32_t fpu_get_w(const fpu_state *f, unsigned r);
void fpu_set_w(fpu_state *f, unsigned r, uint32_t v);
uint64_t fpu_get_d(const fpu_state *f, bool fr, unsigned r);
void fpu_set_d(fpu_state *f, bool fr, unsigned r, uint64_t v);

/* Condition code cc (0..7) of FCSR. */
static inline bool fpu_cc(const fpu_state *f, unsigned cc)
{
    return (f->fcsr >> (cc ? 24 + cc : 23)) & 1;
}

/*
 * Execute a COP1 instruction (primary opcode 17) other than BC1: MFC1, MTC1, MFHC1,
 * MTHC1, CFC1, CTC1 (which read or write gpr[rt]; a write to gpr[0] is the caller's to
 * undo) and the .fmt operations.
 */
int fpu_cop1(fpu_state *f, uint32_t insn, bool fr, uint32_t *gpr);

/* Execute a COP1X arithmetic instruction (primary opcode 19, MADD/MSUB/NMADD/NMSUB). */
int fpu_cop1x(fpu_state *f, uint32_t insn, bool fr);

/* Read a control register (CFC1). */
uint32_t fpu_cfc1(fpu_state *f, unsigned fs);

#endif
