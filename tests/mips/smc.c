/*
 * smc.c - self-modifying code: a store to an instruction is seen by the next fetch of
 * it, whichever engine runs (the block engine and the JIT decode code ahead of time, so
 * they must drop what they decoded). Covers rewriting a function that has run (and
 * been compiled and chained) many times, a block that rewrites one of its own later
 * instructions, a store in a delay slot that rewrites the branch target, and a partial
 * (byte) store into an instruction's immediate field.
 */
#include "bm.h"

#define ADDIU_V0(imm) (0x24020000u | ((uint32_t)(imm) & 0xffff)) /* addiu v0, zero, imm */
#define JR_RA 0x03e00008u
#define NOP 0u
#define SW_T0_A0(off) (0xac880000u | (off)) /* sw t0, off(a0) */

static uint32_t code[64] __attribute__((aligned(4096)));

typedef uint32_t (*fn0)(void);
typedef uint32_t (*fn2)(uint32_t *a0, uint32_t t0);

static uint32_t call_with_t0(uint32_t *entry, uint32_t *a0, uint32_t t0)
{
    uint32_t v0;
    __asm__ volatile("move $4, %1\n move $8, %2\n jalr %3\n nop\n move %0, $2"
                     : "=r"(v0) : "r"(a0), "r"(t0), "r"(entry)
                     : "$2", "$4", "$8", "$31", "memory");
    return v0;
}

int main(void)
{
    /* 1. A function that has run many times, rewritten. */
    code[0] = ADDIU_V0(1);
    code[1] = JR_RA;
    code[2] = NOP;
    uint32_t sum = 0;
    for (int i = 0; i < 1000; i++)
        sum += ((fn0)code)();
    CHECK_EQ(sum, 1000);
    code[0] = ADDIU_V0(2);
    CHECK_EQ(((fn0)code)(), 2);

    /* 2. A block that rewrites one of its own later instructions. */
    code[8] = SW_T0_A0(12 * 4);          /* code[12] = t0 */
    code[9] = NOP;
    code[10] = NOP;
    code[11] = NOP;
    code[12] = ADDIU_V0(1);
    code[13] = JR_RA;
    code[14] = NOP;
    for (int i = 0; i < 100; i++)
        CHECK_EQ(call_with_t0(&code[8], code, ADDIU_V0(1)), 1);
    CHECK_EQ(call_with_t0(&code[8], code, ADDIU_V0(3)), 3);
    CHECK_EQ(call_with_t0(&code[8], code, ADDIU_V0(4)), 4);

    /* 3. A store in a delay slot rewrites the code the branch goes to. */
    code[20] = 0x10000003u;              /* b code[24] */
    code[21] = SW_T0_A0(24 * 4);         /* delay slot: code[24] = t0 */
    code[22] = NOP;
    code[23] = NOP;
    code[24] = ADDIU_V0(5);
    code[25] = JR_RA;
    code[26] = NOP;
    CHECK_EQ(call_with_t0(&code[20], code, ADDIU_V0(5)), 5);
    CHECK_EQ(call_with_t0(&code[20], code, ADDIU_V0(6)), 6);

    /* 4. A byte store into an instruction's immediate. */
    code[0] = ADDIU_V0(7);
    CHECK_EQ(((fn0)code)(), 7);
    ((volatile uint8_t *)code)[0] = 9;
    CHECK_EQ(((fn0)code)(), 9);

    bm_puts("smc ok\n");
    return 0;
}
