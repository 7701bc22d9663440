/*
 * delayslot.c - exceptions in branch delay slots: Cause.BD = 1 and EPC = the branch
 * (taken and not-taken branches, J/JAL/JR/JALR, branch-and-link), BD = 0 outside a
 * delay slot, branch-likely nullification of a not-taken delay slot, and a fetch
 * address error after a jump (EPC = BadVAddr = the target, BD = 0).
 */
#define BM_TEST_HELPERS
#include "bm.h"

static volatile uint32_t n_exc, exc_code, exc_epc, exc_cause, exc_bad, exc_ra, resume;

void bm_exception(bm_frame *f, int kind)
{
    CHECK_EQ(kind, 0);
    n_exc++;
    exc_code = BM_EXC(f);
    exc_epc = f->epc;
    exc_cause = f->cause;
    exc_bad = f->badvaddr;
    exc_ra = f->r[31];
    f->epc = resume; /* every test names where to go on */
}

/* Run `body` (with labels 1: = the branch, 2: = the resume point) and return label 1. */
#define RUN(body, ...) ({ uint32_t br_, t_; \
    __asm__ volatile(".set push\n.set noreorder\n.set noat\n" \
                     "la %0, 1f\n la %1, 2f\n sw %1, %2\n" body "\n2:\n.set pop" \
                     : "=&r"(br_), "=&r"(t_), "=m"(resume) : __VA_ARGS__ : "$31", "memory"); br_; })

static void expect(uint32_t n0, uint32_t code, uint32_t epc, int bd)
{
    CHECK_EQ(n_exc, n0 + 1);
    CHECK_EQ(exc_code, code);
    CHECK_EQ(exc_epc, epc);
    CHECK_EQ(exc_cause >> 31, (uint32_t)bd);
}

int main(void)
{
    uint32_t n0, br, one = 1;

    n0 = n_exc; br = RUN("1: beq $0, $0, 3f\n teq $0, $0\n nop\n3: nop", "r"(one));
    expect(n0, 13, br, 1);
    n0 = n_exc; br = RUN("1: bne $0, $0, 3f\n teq $0, $0\n nop\n3: nop", "r"(one));
    expect(n0, 13, br, 1); /* not taken: the delay slot still executes */
    n0 = n_exc; br = RUN("1: bgtz %3, 3f\n syscall\n nop\n3: nop", "r"(one));
    expect(n0, 8, br, 1);
    n0 = n_exc; br = RUN("1: j 3f\n break\n nop\n3: nop", "r"(one));
    expect(n0, 9, br, 1);
    n0 = n_exc; br = RUN("1: jal 3f\n lw $1, 1(%3)\n nop\n3: nop", "r"(&n_exc));
    expect(n0, 4, br, 1);
    CHECK_EQ(exc_bad, (uint32_t)&n_exc + 1);
    CHECK_EQ(exc_ra, br + 8); /* the link register is written before the delay slot */
    n0 = n_exc; br = RUN("la $1, 3f\n1: jr $1\n sw $0, 2(%3)\n nop\n3: nop", "r"(&n_exc)) ;
    expect(n0, 5, br, 1);
    n0 = n_exc; br = RUN("la $1, 3f\n1: jalr $1\n teq $0, $0\n nop\n3: nop", "r"(one));
    expect(n0, 13, br, 1);
    CHECK_EQ(exc_ra, br + 8);
    n0 = n_exc; br = RUN("1: bgezal $0, 3f\n teq $0, $0\n nop\n3: nop", "r"(one));
    expect(n0, 13, br, 1);
    CHECK_EQ(exc_ra, br + 8);
    n0 = n_exc; br = RUN("1: bltzal $0, 3f\n add $1, %3, %3\n nop\n3: nop", "r"(0x40000000u));
    expect(n0, 12, br, 1);
    CHECK_EQ(exc_ra, br + 8); /* link even when not taken */

    /* not in a delay slot: BD = 0, EPC = the instruction */
    n0 = n_exc; br = RUN("nop\n1: teq $0, $0\n nop", "r"(one));
    expect(n0, 13, br, 0);
    /* the instruction after a branch's delay slot is not in a delay slot */
    n0 = n_exc; br = RUN("b 1f\n nop\n1: teq $0, $0\n nop", "r"(one));
    expect(n0, 13, br, 0);

    /* branch likely: taken executes the delay slot, not taken nullifies it */
    n0 = n_exc; br = RUN("1: beql $0, $0, 3f\n teq $0, $0\n nop\n3: nop", "r"(one));
    expect(n0, 13, br, 1);
    n0 = n_exc; RUN("1: bnel $0, $0, 3f\n teq $0, $0\n nop\n3: nop", "r"(one));
    CHECK_EQ(n_exc, n0);
    n0 = n_exc; RUN("1: bgtzl $0, 3f\n teq $0, $0\n nop\n3: nop", "r"(one));
    CHECK_EQ(n_exc, n0);
    {   /* a nullified delay slot does not write its register; the next one runs */
        uint32_t v = 5;
        __asm__ volatile(".set push\n.set noreorder\n bnel $0, $0, 1f\n addiu %0, %0, 1\n addiu %0, %0, 10\n1:\n.set pop" : "+r"(v));
        CHECK_EQ(v, 15);
        v = 5;
        __asm__ volatile(".set push\n.set noreorder\n beql $0, $0, 1f\n addiu %0, %0, 1\n addiu %0, %0, 10\n1:\n.set pop" : "+r"(v));
        CHECK_EQ(v, 6);
        v = 5;
        __asm__ volatile(".set push\n.set noreorder\n bltzall $0, 1f\n addiu %0, %0, 1\n addiu %0, %0, 10\n1:\n.set pop" : "+r"(v) :: "$31");
        CHECK_EQ(v, 15);
    }

    /* jump to a misaligned target: AdEL on the fetch, EPC = BadVAddr = target, BD = 0 */
    n0 = n_exc; br = RUN("la $1, 3f + 2\n jr $1\n nop\n3: nop\n nop\n1: nop", "r"(one));
    CHECK_EQ(n_exc, n0 + 1);
    CHECK_EQ(exc_code, 4);
    CHECK_EQ(exc_epc, br - 8 + 2);
    CHECK_EQ(exc_bad, br - 8 + 2);
    CHECK_EQ(exc_cause >> 31, 0);
    /* ERET to a misaligned EPC in page 0 right after the mode change (which drops the
     * cached code page): AdEL on the fetch, not a fetch through a stale page */
    for (uint32_t target = 1; target <= 0x1005; target += 0x1004) {
        n0 = n_exc;
        __asm__ volatile(".set push\n.set noreorder\n"
                         "la $1, 2f\n sw $1, %0\n mtc0 %1, $14\n mfc0 $1, $12\n ori $1, $1, 2\n"
                         "mtc0 $1, $12\n ehb\n eret\n nop\n2:\n.set pop"
                         : "=m"(resume) : "r"(target) : "$1", "memory");
        CHECK_EQ(n_exc, n0 + 1);
        CHECK_EQ(exc_code, 4);
        CHECK_EQ(exc_epc, target);
        CHECK_EQ(exc_bad, target);
    }
    bm_puts("delayslot: ok\n");
    return 0;
}
