/*
 * branches.c - every branch and jump form, checked against known values, whichever
 * engine runs it (tests/integration/mips-engines.sh runs it on all three):
 *  - BEQ BNE BLEZ BGTZ BLTZ BGEZ BLTZAL BGEZAL and the likely forms BEQL BNEL BLEZL
 *    BGTZL BLTZL BGEZL BLTZALL BGEZALL, on operands INT_MIN, -1, 0, 1, INT_MAX (and
 *    register pairs for the two-register forms), and on $zero itself: taken or not,
 *    the delay slot run (always, or for the likely forms only when taken: a not-taken
 *    likely branch annuls it), the link register ($31 = the address after the delay
 *    slot, written whether or not the branch is taken);
 *  - backward branches closing loops, ending on the boundary value (0 for BLEZ...);
 *  - J, JAL, JR, JALR with rd = 31 and rd = $9 (and $31 left alone then), and JAL/JR
 *    to and from another page;
 *  - exceptions in delay slots: EPC = the branch, Cause.BD = 1, the link already
 *    written, for taken and not-taken branches, likely forms and jumps; and a delay slot
 *    that faults once and is restarted from the branch, which decides again.
 */
#define BM_TEST_HELPERS
#include "bm.h"

#define SENTINEL 0x5a5a5a5au    /* what $31 (or $9) holds before a branch that links */

typedef struct br_result {
    uint32_t taken, slot, link;  /* link: 0 when the link register holds the address
                                  * after the delay slot */
} br_result;

/*
 * The body every compare-and-branch check runs: %0 = taken, %1 = times the delay slot
 * ran, %2 = $31 xor the address after the delay slot (label 3), %3/%4 the operands.
 */
#define BRANCH_ASM(branch)                                                              \
    ".set push\n.set noreorder\n"                                                       \
    "li $31, 0x5a5a5a5a\n"                                                              \
    "move %0, $0\n"                                                                     \
    "move %1, $0\n"                                                                     \
    branch ", 1f\n"                                                                     \
    " addiu %1, %1, 1\n"                                                                \
    "3: b 2f\n"                                                                         \
    " nop\n"                                                                            \
    "1: li %0, 1\n"                                                                     \
    "2: la %2, 3b\n"                                                                    \
    "xor %2, %2, $31\n"                                                                 \
    ".set pop\n"

#define DEF_BR(name, insn)                                                              \
    static br_result br_##name(uint32_t a, uint32_t b)                                  \
    {                                                                                   \
        br_result r;                                                                    \
        __asm__ volatile(BRANCH_ASM(insn)                                               \
                         : "=&r"(r.taken), "=&r"(r.slot), "=&r"(r.link)                 \
                         : "r"(a), "r"(b) : "$31");                                     \
        return r;                                                                       \
    }

DEF_BR(beq, "beq %3, %4")
DEF_BR(bne, "bne %3, %4")
DEF_BR(beql, "beql %3, %4")
DEF_BR(bnel, "bnel %3, %4")
DEF_BR(blez, "blez %3")
DEF_BR(bgtz, "bgtz %3")
DEF_BR(bltz, "bltz %3")
DEF_BR(bgez, "bgez %3")
DEF_BR(bltzal, "bltzal %3")
DEF_BR(bgezal, "bgezal %3")
DEF_BR(blezl, "blezl %3")
DEF_BR(bgtzl, "bgtzl %3")
DEF_BR(bltzl, "bltzl %3")
DEF_BR(bgezl, "bgezl %3")
DEF_BR(bltzall, "bltzall %3")
DEF_BR(bgezall, "bgezall %3")
/* the same on $zero itself (a and b unused) */
DEF_BR(blez_zero, "blez $0")
DEF_BR(bgtz_zero, "bgtz $0")
DEF_BR(bltz_zero, "bltz $0")
DEF_BR(bgez_zero, "bgez $0")
DEF_BR(blezl_zero, "blezl $0")
DEF_BR(bgtzl_zero, "bgtzl $0")
DEF_BR(bltzl_zero, "bltzl $0")
DEF_BR(bgezl_zero, "bgezl $0")
DEF_BR(beq_zero, "beq $0, $0")
DEF_BR(bnel_zero, "bnel $0, $0")

typedef br_result (*br_fn)(uint32_t, uint32_t);

enum { PLAIN = 0, LIKELY = 1, LINKS = 2 };

/* One-operand forms: vals[i] is the operand, bit i of `taken` says the branch is taken. */
static const uint32_t vals[5] = { 0x80000000u, 0xffffffffu, 0, 1, 0x7fffffffu };
static const struct br1 {
    const char *name;
    br_fn fn;
    uint32_t taken;              /* bit i: taken for vals[i] */
    int flags;
} br1[] = {
    { "blez", br_blez, 0x07, PLAIN },         { "bgtz", br_bgtz, 0x18, PLAIN },
    { "bltz", br_bltz, 0x03, PLAIN },         { "bgez", br_bgez, 0x1c, PLAIN },
    { "bltzal", br_bltzal, 0x03, LINKS },     { "bgezal", br_bgezal, 0x1c, LINKS },
    { "blezl", br_blezl, 0x07, LIKELY },      { "bgtzl", br_bgtzl, 0x18, LIKELY },
    { "bltzl", br_bltzl, 0x03, LIKELY },      { "bgezl", br_bgezl, 0x1c, LIKELY },
    { "bltzall", br_bltzall, 0x03, LIKELY | LINKS },
    { "bgezall", br_bgezall, 0x1c, LIKELY | LINKS },
};

/* Two-operand forms on these pairs. */
static const uint32_t pair_a[6] = { 0, 1, 0x80000000u, 0xffffffffu, 5, 0xdeadbeefu };
static const uint32_t pair_b[6] = { 0, 1, 0, 0x7fffffffu, 6, 0xdeadbeefu };
static const struct br1 br2[] = {
    { "beq", br_beq, 0x23, PLAIN },   { "bne", br_bne, 0x1c, PLAIN },
    { "beql", br_beql, 0x23, LIKELY }, { "bnel", br_bnel, 0x1c, LIKELY },
};

/* Forms on $zero: `taken` is 1 or 0. */
static const struct br1 br0[] = {
    { "blez $0", br_blez_zero, 1, PLAIN },    { "bgtz $0", br_bgtz_zero, 0, PLAIN },
    { "bltz $0", br_bltz_zero, 0, PLAIN },    { "bgez $0", br_bgez_zero, 1, PLAIN },
    { "blezl $0", br_blezl_zero, 1, LIKELY }, { "bgtzl $0", br_bgtzl_zero, 0, LIKELY },
    { "bltzl $0", br_bltzl_zero, 0, LIKELY }, { "bgezl $0", br_bgezl_zero, 1, LIKELY },
    { "beq $0,$0", br_beq_zero, 1, PLAIN },   { "bnel $0,$0", br_bnel_zero, 0, LIKELY },
};

static void fail_branch(const char *name, uint32_t a, uint32_t b, const char *what,
                        uint32_t got, uint32_t want)
{
    bm_puts(name);
    bm_puts(" a=");
    bm_puthex(a);
    bm_puts(" b=");
    bm_puthex(b);
    bm_puts(": ");
    bm_puts(what);
    bm_puts(" got ");
    bm_puthex(got);
    bm_puts(" want ");
    bm_puthex(want);
    bm_putc('\n');
    bm_exit(1);
}

static void check_branch(const struct br1 *t, uint32_t a, uint32_t b, uint32_t taken)
{
    br_result r = t->fn(a, b);
    uint32_t slot = (t->flags & LIKELY) ? taken : 1;
    if (r.taken != taken)
        fail_branch(t->name, a, b, "taken", r.taken, taken);
    if (r.slot != slot)
        fail_branch(t->name, a, b, "delay slot runs", r.slot, slot);
    if ((t->flags & LINKS) && r.link != 0)
        fail_branch(t->name, a, b, "link ($31 xor expected)", r.link, 0);
    if (!(t->flags & LINKS) && r.link == 0)
        fail_branch(t->name, a, b, "$31 written by a branch that does not link", 0, 1);
}

static void test_compare_branches(void)
{
    for (unsigned k = 0; k < sizeof(br1) / sizeof(br1[0]); k++)
        for (unsigned i = 0; i < 5; i++)
            check_branch(&br1[k], vals[i], 0, (br1[k].taken >> i) & 1);
    for (unsigned k = 0; k < sizeof(br2) / sizeof(br2[0]); k++)
        for (unsigned i = 0; i < 6; i++) {
            check_branch(&br2[k], pair_a[i], pair_b[i], (br2[k].taken >> i) & 1);
            check_branch(&br2[k], pair_b[i], pair_a[i], (br2[k].taken >> i) & 1);
        }
    for (unsigned k = 0; k < sizeof(br0) / sizeof(br0[0]); k++)
        check_branch(&br0[k], 1, 2, br0[k].taken);
}

/* Backward branches closing a loop; `n` counts the delay slots that ran. */
#define LOOP(name, step, branch, start)                                                 \
    ({ uint32_t v_ = (start), n_ = 0;                                                   \
       __asm__ volatile(".set push\n.set noreorder\n"                                   \
                        "1: addiu %0, %0, " #step "\n"                                  \
                        branch ", 1b\n"                                                 \
                        " addiu %1, %1, 1\n"                                            \
                        ".set pop\n" : "+r"(v_), "+r"(n_));                             \
       n_; })

static void test_loops(void)
{
    /* 4 3 2 1 taken, 0 not: 5 slots */
    CHECK_EQ(LOOP(bgtz, -1, "bgtz %0", 5), 5);
    /* -2 -1 0 taken (BLEZ takes 0), 1 not: 4 slots */
    CHECK_EQ(LOOP(blez, 1, "blez %0", -3), 4);
    /* -2 -1 taken, 0 not (BLTZ does not take 0): 3 slots */
    CHECK_EQ(LOOP(bltz, 1, "bltz %0", -3), 3);
    /* 2 1 0 taken (BGEZ takes 0), -1 not: 4 slots */
    CHECK_EQ(LOOP(bgez, -1, "bgez %0", 3), 4);
    /* likely forms: the last, not-taken, delay slot is annulled */
    CHECK_EQ(LOOP(bnel, -1, "bnel %0, $0", 5), 4);
    CHECK_EQ(LOOP(blezl, 1, "blezl %0", -3), 3);
    CHECK_EQ(LOOP(bltzl, 1, "bltzl %0", -3), 2);
    CHECK_EQ(LOOP(bgezl, -1, "bgezl %0", 3), 3);
    CHECK_EQ(LOOP(bgtzl, -1, "bgtzl %0", 5), 4);
}

/* ---- jumps ---------------------------------------------------------------------- */

/* In a page of its own, so that calls and returns cross pages. */
uint32_t far_add7(uint32_t x);
__asm__(".pushsection .text.far, \"ax\"\n.align 12\n.set push\n.set noreorder\n"
        ".globl far_add7\nfar_add7:\n jr $31\n addiu $2, $4, 7\n"
        ".set pop\n.popsection\n");

static void test_jumps(void)
{
    uint32_t slots, link, ra;

    /* J: the delay slot runs, the instruction after it does not */
    __asm__ volatile(".set push\n.set noreorder\n move %0, $0\n j 1f\n addiu %0, %0, 1\n"
                     " addiu %0, %0, 16\n1:\n.set pop" : "=&r"(slots));
    CHECK_EQ(slots, 1);
    /* JAL: $31 = the address after the delay slot */
    __asm__ volatile(".set push\n.set noreorder\n li $31, 0x5a5a5a5a\n move %0, $0\n jal 1f\n"
                     " addiu %0, %0, 1\n3: addiu %0, %0, 16\n1: la %1, 3b\n xor %1, %1, $31\n"
                     ".set pop" : "=&r"(slots), "=&r"(link) :: "$31");
    CHECK_EQ(slots, 1);
    CHECK_EQ(link, 0);
    /* JR */
    __asm__ volatile(".set push\n.set noreorder\n la %1, 1f\n move %0, $0\n jr %1\n"
                     " addiu %0, %0, 1\n addiu %0, %0, 16\n1:\n.set pop"
                     : "=&r"(slots), "=&r"(link));
    CHECK_EQ(slots, 1);
    /* JALR rd = 31 */
    __asm__ volatile(".set push\n.set noreorder\n li $31, 0x5a5a5a5a\n la %1, 1f\n move %0, $0\n"
                     " jalr %1\n addiu %0, %0, 1\n3: addiu %0, %0, 16\n1: la %1, 3b\n"
                     " xor %1, %1, $31\n.set pop" : "=&r"(slots), "=&r"(link) :: "$31");
    CHECK_EQ(slots, 1);
    CHECK_EQ(link, 0);
    /* JALR rd = $9: $9 links, $31 is left alone */
    __asm__ volatile(".set push\n.set noreorder\n li $31, 0x5a5a5a5a\n li $9, 0x5a5a5a5a\n"
                     " la %1, 1f\n move %0, $0\n jalr $9, %1\n addiu %0, %0, 1\n"
                     "3: addiu %0, %0, 16\n1: la %1, 3b\n xor %1, %1, $9\n move %2, $31\n"
                     ".set pop" : "=&r"(slots), "=&r"(link), "=&r"(ra) :: "$9", "$31");
    CHECK_EQ(slots, 1);
    CHECK_EQ(link, 0);
    CHECK_EQ(ra, SENTINEL);
    /* JAL to another page and JR $31 back, the result computed in JR's delay slot */
    uint32_t v;
    __asm__ volatile(".set push\n.set noreorder\n li $4, 35\n jal far_add7\n nop\n"
                     " move %0, $2\n.set pop" : "=r"(v) :: "$2", "$4", "$31", "memory");
    CHECK_EQ(v, 42);
    /* JALR to it through a register */
    __asm__ volatile(".set push\n.set noreorder\n la $8, far_add7\n jalr $8\n li $4, 93\n"
                     " move %0, $2\n.set pop" : "=r"(v) :: "$2", "$4", "$8", "$31", "memory");
    CHECK_EQ(v, 100);
}

/* ---- exceptions in delay slots ---------------------------------------------------- */

static volatile uint32_t n_exc, exc_code, exc_epc, exc_cause, exc_r31, exc_r9, resume, fix_t0;

void bm_exception(bm_frame *f, int kind)
{
    CHECK_EQ(kind, 0);
    n_exc++;
    exc_code = BM_EXC(f);
    exc_epc = f->epc;
    exc_cause = f->cause;
    exc_r31 = f->r[31];
    exc_r9 = f->r[9];
    if (fix_t0) {                /* make the delay slot work and restart from EPC */
        f->r[8] = fix_t0;
        fix_t0 = 0;
        return;
    }
    f->epc = resume;
}

/* Run `body`, whose label 1: is the branch and which resumes at 2:; returns label 1. */
#define RUN(body, ...) ({ uint32_t br_, t_; \
    __asm__ volatile(".set push\n.set noreorder\n.set noat\n" \
                     "la %0, 1f\n la %1, 2f\n sw %1, %2\n" body "\n2:\n.set pop" \
                     : "=&r"(br_), "=&r"(t_), "=m"(resume) : __VA_ARGS__ \
                     : "$8", "$9", "$31", "memory"); br_; })

static void expect(uint32_t n0, uint32_t code, uint32_t epc)
{
    CHECK_EQ(n_exc, n0 + 1);
    CHECK_EQ(exc_code, code);
    CHECK_EQ(exc_epc, epc);
    CHECK_EQ(exc_cause >> 31, 1);            /* Cause.BD */
}

#define EXC_SYS 8
#define EXC_TR 13
#define EXC_ADES 5
#define EXC_OV 12

static void test_delay_slot_exceptions(void)
{
    uint32_t n0, br, zero = 0, one = 1, minus = 0xffffffffu;

    /* BLEZ on 0 (taken) and on 1 (not taken): the slot runs either way */
    n0 = n_exc; br = RUN("1: blez %3, 3f\n teq $0, $0\n nop\n3: nop", "r"(zero));
    expect(n0, EXC_TR, br);
    n0 = n_exc; br = RUN("1: blez %3, 3f\n teq $0, $0\n nop\n3: nop", "r"(one));
    expect(n0, EXC_TR, br);
    n0 = n_exc; br = RUN("1: bgez %3, 3f\n syscall\n nop\n3: nop", "r"(zero));
    expect(n0, EXC_SYS, br);
    n0 = n_exc; br = RUN("1: bltz %3, 3f\n syscall\n nop\n3: nop", "r"(zero));
    expect(n0, EXC_SYS, br);
    n0 = n_exc; br = RUN("1: bgtz %3, 3f\n syscall\n nop\n3: nop", "r"(zero));
    expect(n0, EXC_SYS, br);
    /* likely forms, taken: the slot runs and faults in the delay slot */
    n0 = n_exc; br = RUN("1: blezl %3, 3f\n teq $0, $0\n nop\n3: nop", "r"(zero));
    expect(n0, EXC_TR, br);
    n0 = n_exc; br = RUN("1: bltzl %3, 3f\n teq $0, $0\n nop\n3: nop", "r"(minus));
    expect(n0, EXC_TR, br);
    n0 = n_exc; br = RUN("1: bgezl %3, 3f\n teq $0, $0\n nop\n3: nop", "r"(zero));
    expect(n0, EXC_TR, br);
    n0 = n_exc; br = RUN("1: bnel %3, $0, 3f\n teq $0, $0\n nop\n3: nop", "r"(one));
    expect(n0, EXC_TR, br);
    n0 = n_exc; br = RUN("1: beql %3, $0, 3f\n add $8, %4, %4\n nop\n3: nop", "r"(zero),
                         "r"(0x40000000u));
    expect(n0, EXC_OV, br);
    /* likely forms, not taken: the faulting slot is annulled */
    n0 = n_exc; RUN("1: blezl %3, 3f\n teq $0, $0\n nop\n3: nop", "r"(one));
    CHECK_EQ(n_exc, n0);
    n0 = n_exc; RUN("1: bgezl %3, 3f\n teq $0, $0\n nop\n3: nop", "r"(minus));
    CHECK_EQ(n_exc, n0);
    n0 = n_exc; RUN("1: bltzall %3, 3f\n teq $0, $0\n nop\n3: nop", "r"(zero));
    CHECK_EQ(n_exc, n0);
    /* linking forms: the link is written before the slot faults */
    n0 = n_exc; br = RUN("li $31, 0x5a5a5a5a\n1: bgezall %3, 3f\n teq $0, $0\n nop\n3: nop",
                         "r"(zero));
    expect(n0, EXC_TR, br);
    CHECK_EQ(exc_r31, br + 8);
    n0 = n_exc; br = RUN("li $31, 0x5a5a5a5a\n1: bltzall %3, 3f\n teq $0, $0\n nop\n3: nop",
                         "r"(minus));
    expect(n0, EXC_TR, br);
    CHECK_EQ(exc_r31, br + 8);
    n0 = n_exc; br = RUN("li $31, 0x5a5a5a5a\n la $8, 3f\n1: jalr $9, $8\n teq $0, $0\n"
                         " nop\n3: nop", "r"(zero));
    expect(n0, EXC_TR, br);
    CHECK_EQ(exc_r9, br + 8);
    CHECK_EQ(exc_r31, SENTINEL);
    n0 = n_exc; br = RUN("la $8, 3f\n1: jr $8\n sw $0, 2(%3)\n nop\n3: nop", "r"(&n_exc));
    expect(n0, EXC_ADES, br);

    /* A slot that faults once: the handler fixes t0 and returns to EPC = the branch,
     * which runs again and is taken; the load in its slot then completes. */
    static volatile uint32_t word = 0x1234abcdu;
    uint32_t got, taken;
    n0 = n_exc;
    fix_t0 = (uint32_t)&word;
    __asm__ volatile(".set push\n.set noreorder\n addiu $8, %2, 1\n move %1, $0\n"
                     "1: bgtz %3, 3f\n lw %0, 0($8)\n b 2f\n nop\n3: li %1, 1\n2:\n.set pop"
                     : "=&r"(got), "=&r"(taken) : "r"(&word), "r"(one) : "$8", "memory");
    CHECK_EQ(n_exc, n0 + 1);
    CHECK_EQ(exc_code, 4);                       /* AdEL */
    CHECK_EQ(exc_cause >> 31, 1);
    CHECK_EQ(got, 0x1234abcdu);
    CHECK_EQ(taken, 1);
}

int main(void)
{
    test_compare_branches();
    test_loops();
    test_jumps();
    test_delay_slot_exceptions();
    bm_puts("branches: ok\n");
    return 0;
}
