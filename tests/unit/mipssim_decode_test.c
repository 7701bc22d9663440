/* mipssim_decode_test.c - decode_op() on every instruction class, reserved encodings
 * (OP_RI), FPU/COP2 forms, and the disassembler. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mips-sim/cpu/decode.h"

#define R(op, rs, rt, rd, sa, fn) (((uint32_t)(op) << 26) | ((rs) << 21) | ((rt) << 16) | ((rd) << 11) | ((sa) << 6) | (fn))
#define I(op, rs, rt, imm) (((uint32_t)(op) << 26) | ((rs) << 21) | ((rt) << 16) | ((imm) & 0xffff))

typedef struct { uint32_t w; enum decode_op op; } vec;

static void check(const vec *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        enum decode_op got = decode_op(v[i].w);
        if (got != v[i].op)
            fail_msg("0x%08x: got %s want %s", v[i].w, decode_op_name(got), decode_op_name(v[i].op));
    }
}

static void test_special(void **s)
{
    (void)s;
    static const vec v[] = {
        { 0x00000000, OP_SLL }, { R(0, 0, 2, 3, 31, 0), OP_SLL }, { R(0, 0, 2, 3, 4, 2), OP_SRL },
        { R(0, 1, 2, 3, 4, 2), OP_ROTR }, { R(0, 0, 2, 3, 4, 3), OP_SRA },
        { R(0, 4, 2, 3, 0, 4), OP_SLLV }, { R(0, 4, 2, 3, 0, 6), OP_SRLV },
        { R(0, 4, 2, 3, 1, 6), OP_ROTRV }, { R(0, 4, 2, 3, 0, 7), OP_SRAV },
        { R(0, 31, 0, 0, 0, 8), OP_JR }, { R(0, 4, 0, 31, 0, 9), OP_JALR },
        { R(0, 1, 2, 3, 0, 10), OP_MOVZ }, { R(0, 1, 2, 3, 0, 11), OP_MOVN },
        { 0x0000000c, OP_SYSCALL }, { 0x0007000d, OP_BREAK }, { 0x0000000f, OP_SYNC },
        { R(0, 0, 0, 2, 0, 16), OP_MFHI }, { R(0, 2, 0, 0, 0, 17), OP_MTHI },
        { R(0, 0, 0, 2, 0, 18), OP_MFLO }, { R(0, 2, 0, 0, 0, 19), OP_MTLO },
        { R(0, 1, 2, 0, 0, 24), OP_MULT }, { R(0, 1, 2, 0, 0, 25), OP_MULTU },
        { R(0, 1, 2, 0, 0, 26), OP_DIV }, { R(0, 1, 2, 0, 0, 27), OP_DIVU },
        { R(0, 1, 2, 3, 0, 32), OP_ADD }, { R(0, 1, 2, 3, 0, 33), OP_ADDU },
        { R(0, 1, 2, 3, 0, 34), OP_SUB }, { R(0, 1, 2, 3, 0, 35), OP_SUBU },
        { R(0, 1, 2, 3, 0, 36), OP_AND }, { R(0, 1, 2, 3, 0, 37), OP_OR },
        { R(0, 1, 2, 3, 0, 38), OP_XOR }, { R(0, 1, 2, 3, 0, 39), OP_NOR },
        { R(0, 1, 2, 3, 0, 42), OP_SLT }, { R(0, 1, 2, 3, 0, 43), OP_SLTU },
        { R(0, 1, 2, 0, 0, 48), OP_TGE }, { R(0, 1, 2, 0, 0, 49), OP_TGEU },
        { R(0, 1, 2, 0, 0, 50), OP_TLT }, { R(0, 1, 2, 0, 0, 51), OP_TLTU },
        { R(0, 1, 2, 0, 0, 52), OP_TEQ }, { R(0, 1, 2, 0, 0, 54), OP_TNE },
        /* reserved SPECIAL functions */
        { R(0, 0, 0, 0, 0, 5), OP_RI }, { R(0, 0, 0, 0, 0, 14), OP_RI },
        { R(0, 0, 0, 0, 0, 20), OP_RI }, { R(0, 0, 0, 0, 0, 28), OP_RI },
        { R(0, 0, 0, 0, 0, 40), OP_RI }, { R(0, 0, 0, 0, 0, 53), OP_RI },
        { R(0, 0, 0, 0, 0, 55), OP_RI }, { R(0, 0, 0, 0, 0, 63), OP_RI },
        /* MOVF/MOVT use the FPU condition codes */
        { R(0, 0, 0, 2, 0, 1), OP_MOVCI }, { R(0, 0, 1, 2, 0, 1), OP_MOVCI },
    };
    check(v, sizeof(v) / sizeof(v[0]));
}

static void test_regimm_and_primary(void **s)
{
    (void)s;
    static const vec v[] = {
        { I(1, 2, 0, 4), OP_BLTZ }, { I(1, 2, 1, 4), OP_BGEZ }, { I(1, 2, 2, 4), OP_BLTZL },
        { I(1, 2, 3, 4), OP_BGEZL }, { I(1, 2, 8, 4), OP_TGEI }, { I(1, 2, 9, 4), OP_TGEIU },
        { I(1, 2, 10, 4), OP_TLTI }, { I(1, 2, 11, 4), OP_TLTIU }, { I(1, 2, 12, 4), OP_TEQI },
        { I(1, 2, 14, 4), OP_TNEI }, { I(1, 2, 16, 4), OP_BLTZAL }, { I(1, 2, 17, 4), OP_BGEZAL },
        { I(1, 2, 18, 4), OP_BLTZALL }, { I(1, 2, 19, 4), OP_BGEZALL }, { I(1, 2, 31, 4), OP_SYNCI },
        { I(1, 2, 4, 4), OP_RI }, { I(1, 2, 13, 4), OP_RI }, { I(1, 2, 15, 4), OP_RI },
        { I(1, 2, 20, 4), OP_RI }, { I(1, 2, 30, 4), OP_RI },
        { 0x08000400, OP_J }, { 0x0c000400, OP_JAL }, { I(4, 1, 2, -1), OP_BEQ },
        { I(5, 1, 2, 1), OP_BNE }, { I(6, 1, 0, 1), OP_BLEZ }, { I(7, 1, 0, 1), OP_BGTZ },
        { I(8, 1, 2, 1), OP_ADDI }, { I(9, 1, 2, 1), OP_ADDIU }, { I(10, 1, 2, 1), OP_SLTI },
        { I(11, 1, 2, 1), OP_SLTIU }, { I(12, 1, 2, 1), OP_ANDI }, { I(13, 1, 2, 1), OP_ORI },
        { I(14, 1, 2, 1), OP_XORI }, { I(15, 0, 2, 1), OP_LUI }, { I(20, 1, 2, 1), OP_BEQL },
        { I(21, 1, 2, 1), OP_BNEL }, { I(22, 1, 0, 1), OP_BLEZL }, { I(23, 1, 0, 1), OP_BGTZL },
        { I(32, 1, 2, 0), OP_LB }, { I(33, 1, 2, 0), OP_LH }, { I(34, 1, 2, 0), OP_LWL },
        { I(35, 1, 2, 0), OP_LW }, { I(36, 1, 2, 0), OP_LBU }, { I(37, 1, 2, 0), OP_LHU },
        { I(38, 1, 2, 0), OP_LWR }, { I(40, 1, 2, 0), OP_SB }, { I(41, 1, 2, 0), OP_SH },
        { I(42, 1, 2, 0), OP_SWL }, { I(43, 1, 2, 0), OP_SW }, { I(46, 1, 2, 0), OP_SWR },
        { I(47, 1, 2, 0), OP_CACHE }, { I(48, 1, 2, 0), OP_LL }, { I(51, 1, 2, 0), OP_PREF },
        { I(56, 1, 2, 0), OP_SC },
        /* reserved primary opcodes (incl. 64-bit and MIPS16/microMIPS-only ones) */
        { I(24, 0, 0, 0), OP_RI }, { I(25, 0, 0, 0), OP_RI }, { I(26, 0, 0, 0), OP_RI },
        { I(27, 0, 0, 0), OP_RI }, { I(29, 0, 0, 0), OP_RI }, { I(30, 0, 0, 0), OP_RI },
        { I(39, 0, 0, 0), OP_RI }, { I(44, 0, 0, 0), OP_RI }, { I(45, 0, 0, 0), OP_RI },
        { I(52, 0, 0, 0), OP_RI }, { I(55, 0, 0, 0), OP_RI }, { I(59, 0, 0, 0), OP_RI },
        { I(60, 0, 0, 0), OP_RI }, { I(63, 0, 0, 0), OP_RI },
        /* FPU: CpU 1; COP2: CpU 2 */
        { 0x44090000, OP_COP1 }, { 0x46020000, OP_COP1 }, { 0x45000002, OP_BC1 },
        { I(49, 1, 2, 0), OP_LWC1 }, { I(53, 1, 2, 0), OP_LDC1 }, { I(57, 1, 2, 0), OP_SWC1 },
        { I(61, 1, 2, 0), OP_SDC1 }, { 0x4c800000, OP_COP1X },
        { 0x48020000, OP_COP2 }, { I(50, 1, 2, 0), OP_COP2 }, { I(54, 1, 2, 0), OP_COP2 },
        { I(58, 1, 2, 0), OP_COP2 }, { I(62, 1, 2, 0), OP_COP2 },
    };
    check(v, sizeof(v) / sizeof(v[0]));
}

static void test_special2_special3_cop0(void **s)
{
    (void)s;
    static const vec v[] = {
        { R(28, 1, 2, 0, 0, 0), OP_MADD }, { R(28, 1, 2, 0, 0, 1), OP_MADDU },
        { R(28, 1, 2, 3, 0, 2), OP_MUL }, { R(28, 1, 2, 0, 0, 4), OP_MSUB },
        { R(28, 1, 2, 0, 0, 5), OP_MSUBU }, { R(28, 1, 3, 3, 0, 32), OP_CLZ },
        { R(28, 1, 3, 3, 0, 33), OP_CLO }, { R(28, 0, 0, 0, 0, 63), OP_RI } /* SDBBP */,
        { R(28, 0, 0, 0, 0, 3), OP_RI }, { R(28, 0, 0, 0, 0, 36), OP_RI },
        { R(31, 1, 2, 7, 4, 0), OP_EXT }, { R(31, 1, 2, 7, 4, 4), OP_INS },
        { R(31, 0, 2, 3, 2, 32), OP_WSBH }, { R(31, 0, 2, 3, 16, 32), OP_SEB },
        { R(31, 0, 2, 3, 24, 32), OP_SEH }, { R(31, 0, 2, 29, 0, 59), OP_RDHWR },
        { R(31, 0, 2, 3, 0, 32), OP_RI }, { R(31, 0, 2, 3, 4, 32), OP_RI },
        { R(31, 0, 0, 0, 0, 1), OP_RI }, { R(31, 0, 0, 0, 0, 63), OP_RI },
        { R(16, 0, 2, 12, 0, 0), OP_MFC0 }, { R(16, 0, 2, 15, 0, 1), OP_MFC0 },
        { R(16, 4, 2, 12, 0, 0), OP_MTC0 }, { 0x41606000, OP_DI }, { 0x41606020, OP_EI },
        { 0x41626000, OP_DI }, { R(16, 11, 0, 12, 0, 1), OP_RI },
        { R(16, 10, 2, 3, 0, 0), OP_RDPGPR }, { R(16, 14, 2, 3, 0, 0), OP_WRPGPR },
        { 0x42000001, OP_TLBR }, { 0x42000002, OP_TLBWI }, { 0x42000006, OP_TLBWR },
        { 0x42000008, OP_TLBP }, { 0x42000018, OP_ERET }, { 0x42000020, OP_WAIT },
        { 0x42000010, OP_RI }, { 0x4200001f, OP_RI } /* DERET: no debug unit */,
        { R(16, 1, 0, 0, 0, 0), OP_RI }, { R(16, 2, 0, 0, 0, 0), OP_RI },
        { R(16, 5, 0, 0, 0, 0), OP_RI },
    };
    check(v, sizeof(v) / sizeof(v[0]));
}

static void test_names_and_fields(void **s)
{
    (void)s;
    assert_string_equal(decode_op_name(OP_ADDIU), "ADDIU");
    assert_string_equal(decode_op_name(OP_RI), "RI");
    assert_string_equal(decode_op_name(OP_COP1), "COP1");
    assert_string_equal(decode_op_name(OP_COUNT), "?");
    uint32_t w = R(0, 5, 6, 7, 9, 33);
    assert_int_equal(insn_rs(w), 5);
    assert_int_equal(insn_rt(w), 6);
    assert_int_equal(insn_rd(w), 7);
    assert_int_equal(insn_sa(w), 9);
    assert_int_equal(insn_funct(w), 33);
    assert_int_equal(insn_simm(I(9, 0, 0, 0x8000)), -32768);
    assert_int_equal(insn_uimm(I(9, 0, 0, 0x8000)), 0x8000);
    assert_int_equal(insn_sel(0x40037801), 1);
    /* every operation has a distinct, non-empty name */
    for (int i = 0; i < OP_COUNT; i++) {
        assert_true(strlen(decode_op_name((enum decode_op)i)) > 0);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(decode_op_name((enum decode_op)i), decode_op_name((enum decode_op)j));
    }
}

static void test_disasm(void **s)
{
    (void)s;
    char buf[64];
    assert_string_equal(decode_disasm(I(9, 3, 2, -4), 0, buf, sizeof(buf)), "ADDIU r2, r3, -4");
    assert_string_equal(decode_disasm(I(35, 29, 31, 60), 0, buf, sizeof(buf)), "LW r31, 60(r29)");
    assert_string_equal(decode_disasm(I(4, 0, 0, 3), 0x80001000u, buf, sizeof(buf)), "BEQ r0, r0, 0x80001010");
    assert_string_equal(decode_disasm(I(4, 0, 0, -1), 0x80001000u, buf, sizeof(buf)), "BEQ r0, r0, 0x80001000");
    assert_string_equal(decode_disasm(0x0c000400, 0x80001000u, buf, sizeof(buf)), "JAL 0x80001000");
    assert_string_equal(decode_disasm(I(15, 0, 4, 0xbf00), 0, buf, sizeof(buf)), "LUI r4, 0xbf00");
    assert_string_equal(decode_disasm(I(13, 2, 2, 0x4e4c), 0, buf, sizeof(buf)), "ORI r2, r2, 0x4e4c");
    assert_string_equal(decode_disasm(R(0, 0, 2, 3, 31, 0), 0, buf, sizeof(buf)), "SLL r3, r2, 31");
    assert_string_equal(decode_disasm(0x40037801, 0, buf, sizeof(buf)), "MFC0 r3, $15, 1");
    assert_string_equal(decode_disasm(R(0, 1, 2, 3, 0, 33), 0, buf, sizeof(buf)), "ADDU r3, r1, r2");
    assert_string_equal(decode_disasm(I(1, 5, 0, 2), 0x100, buf, sizeof(buf)), "BLTZ r5, 0x0000010c");
    /* truncation never overflows the buffer */
    memset(buf, 'x', sizeof(buf));
    decode_disasm(I(9, 3, 2, -4), 0, buf, 6);
    assert_int_equal(strlen(buf), 5);
    assert_int_equal(buf[6], 'x');
    /* any word disassembles to something */
    for (uint32_t op = 0; op < 64; op++) {
        decode_disasm(op << 26 | 0x03ffffffu, 0, buf, sizeof(buf));
        assert_true(strlen(buf) > 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_special),
        cmocka_unit_test(test_regimm_and_primary),
        cmocka_unit_test(test_special2_special3_cop0),
        cmocka_unit_test(test_names_and_fields),
        cmocka_unit_test(test_disasm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
