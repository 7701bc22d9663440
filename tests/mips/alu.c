/*
 * alu.c - integer arithmetic and logic edge cases: overflow traps (Ov, EPC, rd
 * unchanged), shifts and rotates by 0/31/32, multiply/divide and the HI/LO
 * accumulators, CLZ/CLO, EXT/INS, WSBH/SEB/SEH, MOVN/MOVZ, unaligned LWL/LWR/SWL/SWR at
 * every byte offset, load sign extension, conditional traps (Tr) and BREAK (Bp).
 */
#define BM_TEST_HELPERS
#define BM_SKIP_HANDLER
#include "bm.h"

#define OP3(insn, a, b) ({ uint32_t r_; __asm__ volatile(insn " %0, %1, %2" : "=r"(r_) : "r"((uint32_t)(a)), "r"((uint32_t)(b))); r_; })
#define OP2(insn, a) ({ uint32_t r_; __asm__ volatile(insn " %0, %1" : "=r"(r_) : "r"((uint32_t)(a))); r_; })
#define SHI(insn, a, sa) ({ uint32_t r_; __asm__ volatile(insn " %0, %1, " #sa : "=r"(r_) : "r"((uint32_t)(a))); r_; })

/* Run `insn %0, %2, %3` (rd preloaded with 0x5555aaaa); expect trap `code` or none. */
#define TRAP3(insn, a, b, code) do { \
    uint32_t r_ = 0x5555aaaau, pc_, n0_ = n_exc; \
    __asm__ volatile(".set push\n.set noreorder\nla %1, 1f\n1: " insn " %0, %2, %3\n.set pop" \
                     : "+r"(r_), "=&r"(pc_) : "r"((uint32_t)(a)), "r"((uint32_t)(b))); \
    if (code) { CHECK_EQ(n_exc, n0_ + 1); CHECK_EQ(exc_code, code); CHECK_EQ(exc_epc, pc_); \
                CHECK_EQ(exc_cause & 0x80000000u, 0); CHECK_EQ(r_, 0x5555aaaau); } \
    else CHECK_EQ(n_exc, n0_); \
} while (0)
#define TRAPI(insn, a, imm, code) do { \
    uint32_t r_ = 0x5555aaaau, pc_, n0_ = n_exc; \
    __asm__ volatile(".set push\n.set noreorder\nla %1, 1f\n1: " insn " %0, %2, " #imm "\n.set pop" \
                     : "+r"(r_), "=&r"(pc_) : "r"((uint32_t)(a))); \
    if (code) { CHECK_EQ(n_exc, n0_ + 1); CHECK_EQ(exc_code, code); CHECK_EQ(exc_epc, pc_); \
                CHECK_EQ(r_, 0x5555aaaau); } \
    else CHECK_EQ(n_exc, n0_); \
} while (0)
/* Conditional traps: `insn %1, %2` (register) or `insn %1, imm`. */
#define TCOND(insn, a, b, trap) do { \
    uint32_t pc_, n0_ = n_exc; \
    __asm__ volatile(".set push\n.set noreorder\nla %0, 1f\n1: " insn " %1, %2\n.set pop" \
                     : "=&r"(pc_) : "r"((uint32_t)(a)), "r"((uint32_t)(b))); \
    CHECK_EQ(n_exc, n0_ + (trap)); if (trap) { CHECK_EQ(exc_code, 13); CHECK_EQ(exc_epc, pc_); } \
} while (0)
#define TCONDI(insn, a, imm, trap) do { \
    uint32_t pc_, n0_ = n_exc; \
    __asm__ volatile(".set push\n.set noreorder\nla %0, 1f\n1: " insn " %1, " #imm "\n.set pop" \
                     : "=&r"(pc_) : "r"((uint32_t)(a))); \
    CHECK_EQ(n_exc, n0_ + (trap)); if (trap) { CHECK_EQ(exc_code, 13); CHECK_EQ(exc_epc, pc_); } \
} while (0)

static void hilo(const char *insn_unused, uint32_t *hi, uint32_t *lo) { (void)insn_unused; 
    __asm__ volatile("mfhi %0\n\tmflo %1" : "=r"(*hi), "=r"(*lo)); }
static void set_hilo(uint32_t hi, uint32_t lo) { __asm__ volatile("mthi %0\n\tmtlo %1" :: "r"(hi), "r"(lo)); }
/* DIV/DIVU are written "div $0, rs, rt": the two-operand form is an assembler macro. */
#define MD(insn, a, b, ehi, elo) do { uint32_t h_, l_; \
    __asm__ volatile(insn " %0, %1" :: "r"((uint32_t)(a)), "r"((uint32_t)(b)) : "hi", "lo"); \
    hilo(insn, &h_, &l_); CHECK_EQ(h_, ehi); CHECK_EQ(l_, elo); } while (0)

static uint32_t mem[4] __attribute__((aligned(16)));

static void test_unaligned(void)
{
    volatile uint8_t *b = (volatile uint8_t *)mem;
    for (int i = 0; i < 16; i++)
        b[i] = (uint8_t)(0x11 * (i + 1));
    static const uint32_t lwl[4] = { 0x11bbccdd, 0x2211ccdd, 0x332211dd, 0x44332211 };
    static const uint32_t lwr[4] = { 0x44332211, 0xaa443322, 0xaabb4433, 0xaabbcc44 };
    static const uint32_t full[4] = { 0x44332211, 0x55443322, 0x66554433, 0x77665544 };
    for (int k = 0; k < 4; k++) {
        uint32_t v = 0xaabbccdd;
        __asm__ volatile("lwl %0, 0(%1)" : "+r"(v) : "r"(b + k));
        CHECK_EQ(v, lwl[k]);
        v = 0xaabbccdd;
        __asm__ volatile("lwr %0, 0(%1)" : "+r"(v) : "r"(b + k));
        CHECK_EQ(v, lwr[k]);
        v = 0;
        __asm__ volatile("lwl %0, 3(%1)\n\tlwr %0, 0(%1)" : "+r"(v) : "r"(b + k));
        CHECK_EQ(v, full[k]);
    }
    static const uint32_t swl[4] = { 0x443322aa, 0x4433aabb, 0x44aabbcc, 0xaabbccdd };
    static const uint32_t swr[4] = { 0xaabbccdd, 0xbbccdd11, 0xccdd2211, 0xdd332211 };
    for (int k = 0; k < 4; k++) {
        mem[0] = 0x44332211;
        __asm__ volatile("swl %0, 0(%1)" :: "r"(0xaabbccddu), "r"(b + k) : "memory");
        CHECK_EQ(mem[0], swl[k]);
        mem[0] = 0x44332211;
        __asm__ volatile("swr %0, 0(%1)" :: "r"(0xaabbccddu), "r"(b + k) : "memory");
        CHECK_EQ(mem[0], swr[k]);
        /* the usual unaligned store pair */
        mem[0] = mem[1] = 0;
        __asm__ volatile("swl %0, 3(%1)\n\tswr %0, 0(%1)" :: "r"(0xa1b2c3d4u), "r"(b + k) : "memory");
        uint32_t lo = mem[0], hi = mem[1];
        uint64_t both = ((uint64_t)hi << 32) | lo;
        CHECK_EQ((uint32_t)(both >> (8 * k)), 0xa1b2c3d4u);
        if (k)
            CHECK_EQ(both >> (8 * k + 32), 0);
        CHECK_EQ(lo & ((1u << (8 * k)) - 1) , 0);
    }
}

static void test_loads(void)
{
    volatile uint8_t *b = (volatile uint8_t *)mem;
    mem[0] = 0x80017f80;
    uint32_t v;
    __asm__ volatile("lb %0, 0(%1)" : "=r"(v) : "r"(b)); CHECK_EQ(v, 0xffffff80);
    __asm__ volatile("lb %0, 1(%1)" : "=r"(v) : "r"(b)); CHECK_EQ(v, 0x7f);
    __asm__ volatile("lbu %0, 0(%1)" : "=r"(v) : "r"(b)); CHECK_EQ(v, 0x80);
    __asm__ volatile("lh %0, 2(%1)" : "=r"(v) : "r"(b)); CHECK_EQ(v, 0xffff8001);
    __asm__ volatile("lh %0, 0(%1)" : "=r"(v) : "r"(b)); CHECK_EQ(v, 0x7f80);
    __asm__ volatile("lhu %0, 2(%1)" : "=r"(v) : "r"(b)); CHECK_EQ(v, 0x8001);
    __asm__ volatile("sb %1, 3(%2)\n\tsh %1, 0(%2)\n\tlw %0, 0(%2)" : "=r"(v) : "r"(0x12345678u), "r"(b) : "memory");
    CHECK_EQ(v, 0x78015678);
}

int main(void)
{
    /* overflow traps */
    TRAP3("add", 0x7fffffff, 1, 12);
    TRAP3("add", 0x80000000, 0xffffffff, 12);
    TRAP3("add", 0xffffffff, 1, 0);
    TRAP3("add", 0x7ffffffe, 1, 0);
    TRAP3("sub", 0x80000000, 1, 12);
    TRAP3("sub", 0x7fffffff, 0xffffffff, 12);
    TRAP3("sub", 0, 0x80000000, 12);
    TRAP3("sub", 0xffffffff, 0x80000000, 0);
    TRAPI("addi", 0x7fffffff, 1, 12);
    TRAPI("addi", 0x80000000, -1, 12);
    TRAPI("addi", 0x80000000, 1, 0);
    TRAP3("addu", 0x7fffffff, 1, 0);
    TRAP3("subu", 0x80000000, 1, 0);
    TRAPI("addiu", 0x7fffffff, 1, 0);
    CHECK_EQ(OP3("add", 0x7ffffffe, 1), 0x7fffffff);
    CHECK_EQ(OP3("addu", 0x7fffffff, 1), 0x80000000);
    CHECK_EQ(OP3("sub", 5, 7), 0xfffffffe);

    /* logic and compares */
    CHECK_EQ(OP3("nor", 0x0f0f0000, 0x000000ff), 0xf0f0ff00);
    CHECK_EQ(OP3("xor", 0xff00ff00, 0x0ff00ff0), 0xf0f0f0f0);
    CHECK_EQ(OP3("slt", 0xffffffff, 0), 1);
    CHECK_EQ(OP3("sltu", 0xffffffff, 0), 0);
    CHECK_EQ(SHI("slti", 0x80000000, -1), 1);
    CHECK_EQ(SHI("sltiu", 5, -1), 1); /* the immediate is sign-extended, compared unsigned */
    CHECK_EQ(SHI("sltiu", 0xffffffff, -1), 0);
    CHECK_EQ(SHI("andi", 0xffffffff, 0x8001), 0x8001);
    CHECK_EQ(SHI("xori", 0xffff0000, 0xffff), 0xffffffff);

    /* shifts and rotates */
    CHECK_EQ(SHI("sll", 0x80000001, 0), 0x80000001);
    CHECK_EQ(SHI("sll", 0x00000003, 31), 0x80000000);
    CHECK_EQ(SHI("srl", 0x80000000, 31), 1);
    CHECK_EQ(SHI("sra", 0x80000000, 31), 0xffffffff);
    CHECK_EQ(SHI("sra", 0x80000000, 0), 0x80000000);
    CHECK_EQ(SHI("sra", 0x40000000, 30), 1);
    CHECK_EQ(SHI("rotr", 0x12345678, 0), 0x12345678);
    CHECK_EQ(SHI("rotr", 0x12345678, 4), 0x81234567);
    CHECK_EQ(SHI("rotr", 0x80000001, 1), 0xc0000000);
    CHECK_EQ(SHI("rotr", 0x80000001, 31), 0x00000003);
    CHECK_EQ(OP3("rotrv", 0x80000001, 0), 0x80000001);
    CHECK_EQ(OP3("rotrv", 0x80000001, 31), 0x00000003);
    CHECK_EQ(OP3("rotrv", 0x80000001, 32), 0x80000001);
    CHECK_EQ(OP3("rotrv", 0x80000001, 33), 0xc0000000);
    CHECK_EQ(OP3("srav", 0x80000000, 0), 0x80000000);
    CHECK_EQ(OP3("srav", 0x80000000, 31), 0xffffffff);
    CHECK_EQ(OP3("srav", 0x80000000, 32), 0x80000000);
    CHECK_EQ(OP3("srav", 0x7fffffff, 31), 0);
    CHECK_EQ(OP3("sllv", 1, 31), 0x80000000);
    CHECK_EQ(OP3("sllv", 1, 0xffffffe1), 2);
    CHECK_EQ(OP3("srlv", 0x80000000, 31), 1);
    CHECK_EQ(OP3("srlv", 0x80000000, 0), 0x80000000);

    /* multiply, divide, accumulate */
    CHECK_EQ(OP3("mul", 0x7fffffff, 2), 0xfffffffe);
    CHECK_EQ(OP3("mul", 0xfffffffd, 5), 0xfffffff1);
    CHECK_EQ(OP3("mul", 0x10000, 0x10000), 0);
    MD("mult", 0xffffffff, 0xffffffff, 0, 1);
    MD("mult", 0x80000000, 0x80000000, 0x40000000, 0);
    MD("mult", 0x7fffffff, 0xffffffff, 0xffffffff, 0x80000001);
    MD("multu", 0xffffffff, 0xffffffff, 0xfffffffe, 1);
    MD("multu", 0x80000000, 2, 1, 0);
    MD("div $0,", 0xfffffff9, 2, 0xffffffff, 0xfffffffd);  /* -7 / 2 = -3 rem -1 */
    MD("div $0,", 7, 0xfffffffe, 1, 0xfffffffd);           /* 7 / -2 = -3 rem 1 */
    MD("divu $0,", 0xffffffff, 2, 1, 0x7fffffff);
    MD("divu $0,", 7, 8, 7, 0);
    set_hilo(0xffffffff, 0xffffffff);
    MD("madd", 2, 3, 0, 5);
    set_hilo(0, 0);
    MD("madd", 0xfffffffe, 3, 0xffffffff, 0xfffffffa);
    set_hilo(0, 0xffffffff);
    MD("maddu", 1, 1, 1, 0);
    set_hilo(0, 0);
    MD("msub", 1, 1, 0xffffffff, 0xffffffff);
    set_hilo(0, 0);
    MD("msub", 0xffffffff, 1, 0, 1);
    set_hilo(1, 0);
    MD("msubu", 1, 1, 0, 0xffffffff);
    set_hilo(0, 0);
    MD("msubu", 0xffffffff, 0xffffffff, 0x00000001, 0xffffffff);

    /* counting, bit fields, byte ops */
    CHECK_EQ(OP2("clz", 0), 32);
    CHECK_EQ(OP2("clz", 1), 31);
    CHECK_EQ(OP2("clz", 0x80000000), 0);
    CHECK_EQ(OP2("clz", 0x00010000), 15);
    CHECK_EQ(OP2("clo", 0xffffffff), 32);
    CHECK_EQ(OP2("clo", 0), 0);
    CHECK_EQ(OP2("clo", 0xfffe0000), 15);
    CHECK_EQ(OP2("clo", 0x7fffffff), 0);
    CHECK_EQ(({ uint32_t r; __asm__("ext %0, %1, 4, 8" : "=r"(r) : "r"(0x12345678u)); r; }), 0x67);
    CHECK_EQ(({ uint32_t r; __asm__("ext %0, %1, 0, 32" : "=r"(r) : "r"(0x12345678u)); r; }), 0x12345678);
    CHECK_EQ(({ uint32_t r; __asm__("ext %0, %1, 31, 1" : "=r"(r) : "r"(0x80000000u)); r; }), 1);
    CHECK_EQ(({ uint32_t r; __asm__("ext %0, %1, 28, 4" : "=r"(r) : "r"(0xa0000000u)); r; }), 0xa);
    CHECK_EQ(({ uint32_t r = 0xffffffff; __asm__("ins %0, %1, 8, 8" : "+r"(r) : "r"(0u)); r; }), 0xffff00ff);
    CHECK_EQ(({ uint32_t r = 0; __asm__("ins %0, %1, 20, 12" : "+r"(r) : "r"(0xfffffabcu)); r; }), 0xabc00000);
    CHECK_EQ(({ uint32_t r = 0x55555555; __asm__("ins %0, %1, 0, 32" : "+r"(r) : "r"(0x12345678u)); r; }), 0x12345678);
    CHECK_EQ(({ uint32_t r = 0; __asm__("ins %0, %1, 31, 1" : "+r"(r) : "r"(3u)); r; }), 0x80000000);
    CHECK_EQ(OP2("wsbh", 0x11223344), 0x22114433);
    CHECK_EQ(OP2("seb", 0x80), 0xffffff80);
    CHECK_EQ(OP2("seb", 0x17f), 0x7f);
    CHECK_EQ(OP2("seh", 0x8000), 0xffff8000);
    CHECK_EQ(OP2("seh", 0x12347fff), 0x7fff);
    {
        uint32_t r = 1;
        __asm__ volatile("movn %0, %1, %2" : "+r"(r) : "r"(5u), "r"(0u)); CHECK_EQ(r, 1);
        __asm__ volatile("movn %0, %1, %2" : "+r"(r) : "r"(5u), "r"(0x80000000u)); CHECK_EQ(r, 5);
        __asm__ volatile("movz %0, %1, %2" : "+r"(r) : "r"(7u), "r"(1u)); CHECK_EQ(r, 5);
        __asm__ volatile("movz %0, %1, %2" : "+r"(r) : "r"(7u), "r"(0u)); CHECK_EQ(r, 7);
        __asm__ volatile("lui %0, 0x8001" : "=r"(r)); CHECK_EQ(r, 0x80010000);
        /* r0 stays zero */
        __asm__ volatile("addiu $0, $0, 5\n\tmove %0, $0" : "=r"(r)); CHECK_EQ(r, 0);
    }

    test_unaligned();
    test_loads();

    /* conditional traps */
    TCOND("teq", 3, 3, 1);  TCOND("teq", 3, 4, 0);
    TCOND("tne", 3, 4, 1);  TCOND("tne", 3, 3, 0);
    TCOND("tge", 0xffffffff, 0xfffffffe, 1); TCOND("tge", 0xffffffff, 0, 0);
    TCOND("tgeu", 0xffffffff, 0, 1); TCOND("tgeu", 0, 1, 0);
    TCOND("tlt", 0x80000000, 0, 1); TCOND("tlt", 0, 0x80000000, 0);
    TCOND("tltu", 0, 0x80000000, 1); TCOND("tltu", 0x80000000, 0, 0);
    TCONDI("teqi", 0xffffffff, -1, 1); TCONDI("teqi", 1, -1, 0);
    TCONDI("tnei", 1, -1, 1); TCONDI("tnei", 0xffffffff, -1, 0);
    TCONDI("tgei", 0, -1, 1); TCONDI("tgei", 0xfffffffe, -1, 0);
    TCONDI("tgeiu", 0xffffffff, -1, 1); TCONDI("tgeiu", 0x7fffffff, -1, 0);
    TCONDI("tlti", 0x80000000, 0, 1); TCONDI("tlti", 0, 0, 0);
    TCONDI("tltiu", 5, -1, 1); TCONDI("tltiu", 0xffffffff, -1, 0);
    {
        uint32_t pc_, n0 = n_exc;
        __asm__ volatile(".set push\n.set noreorder\nla %0, 1f\n1: break 7\n.set pop" : "=&r"(pc_));
        CHECK_EQ(n_exc, n0 + 1); CHECK_EQ(exc_code, 9); CHECK_EQ(exc_epc, pc_);
    }
    bm_puts("alu: ok\n");
    return 0;
}
