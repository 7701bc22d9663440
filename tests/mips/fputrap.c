/*
 * fputrap.c - the FPU's exceptions, which the differential test (tests/fpu) cannot
 * show since QEMU's user mode turns them into signals:
 *  - Status.CU1 clear: Coprocessor Unusable with Cause.CE = 1; a handler that sets
 *    CU1 and returns re-executes the instruction (the kernel's lazy FPU switch);
 *  - an enabled IEEE exception: Floating-Point exception (ExcCode 15), FCSR.Cause
 *    says which, the flags and the destination are unchanged; in a branch delay slot
 *    EPC is the branch and Cause.BD is set;
 *  - CTC1 that sets a Cause bit whose exception is enabled (or Cause.E) traps at once;
 *  - Reserved Instruction for odd double registers and L format when Status.FR = 0;
 *  - FIR and Config1.FP.
 */
#define BM_TEST_HELPERS
#include "bm.h"

#define ST_CU1 0x20000000u
#define ST_FR 0x04000000u
#define EXC_RI 10
#define EXC_CPU 11
#define EXC_FPE 15
#define FCSR_ENABLE_V (1u << 11)
#define FCSR_ENABLE_Z (1u << 10)
#define FCSR_CAUSE_V (1u << 16)
#define FCSR_CAUSE_Z (1u << 15)
#define FCSR_CAUSE_E (1u << 17)
#define FCSR_FLAG_V (1u << 6)

static volatile uint32_t n_exc, exc_code, exc_epc, exc_cause, resume_at;
static volatile int lazy; /* CpU handler: enable CU1 and retry, else skip */

void bm_exception(bm_frame *f, int kind)
{
    CHECK_EQ(kind, 0);
    n_exc++;
    exc_code = BM_EXC(f);
    exc_epc = f->epc;
    exc_cause = f->cause;
    if (exc_code == EXC_CPU && lazy) {
        MTC0(12, 0, MFC0(12, 0) | ST_CU1);  /* ERET keeps it: EXL is cleared, not Status */
        return;                              /* run the same instruction again */
    }
    f->epc = resume_at ? resume_at : f->epc + 4;
    resume_at = 0;
}

static uint32_t fcsr(void) { uint32_t v; __asm__ volatile("cfc1 %0, $31" : "=r"(v)); return v; }
static void set_fcsr(uint32_t v) { __asm__ volatile("ctc1 %0, $31" :: "r"(v) : "memory"); }

int main(void)
{
    /* Lazy switching: the first FP instruction traps, the handler enables CU1. */
    MTC0(12, 0, MFC0(12, 0) & ~(ST_CU1 | ST_FR));
    CHECK_EQ(MFC0(16, 1) & 1, 1);
    lazy = 1;
    uint32_t one;
    __asm__ volatile("lui %0, 0x3f80\n\tmtc1 %0, $f0\n\tadd.s $f2, $f0, $f0\n\tmfc1 %0, $f2"
                     : "=&r"(one) :: "$f0", "$f2");
    lazy = 0;
    CHECK_EQ(n_exc, 1);
    CHECK_EQ(exc_code, EXC_CPU);
    CHECK_EQ((exc_cause >> 28) & 3, 1);
    CHECK_EQ(one, 0x40000000u);                  /* 1 + 1 after the retry */
    CHECK(MFC0(12, 0) & ST_CU1);
    uint32_t fir;
    __asm__ volatile("cfc1 %0, $0" : "=r"(fir));
    CHECK_EQ(fir, 0x00739300u);

    /* Enabled Invalid: sqrt(-1) traps; $f2 keeps its value, no flag is set. */
    set_fcsr(FCSR_ENABLE_V);
    uint32_t r, before = n_exc;
    __asm__ volatile("li %0, 0x12345678\n\tmtc1 %0, $f2\n\tlui %0, 0xbf80\n\tmtc1 %0, $f0\n\t"
                     "sqrt.s $f2, $f0\n\tmfc1 %0, $f2" : "=&r"(r) :: "$f0", "$f2");
    CHECK_EQ(n_exc, before + 1);
    CHECK_EQ(exc_code, EXC_FPE);
    CHECK_EQ(r, 0x12345678u);
    CHECK_EQ(fcsr(), FCSR_ENABLE_V | FCSR_CAUSE_V);
    /* Not enabled: the default NaN, the flag and the cause. */
    set_fcsr(0);
    __asm__ volatile("sqrt.s $f2, $f0\n\tmfc1 %0, $f2" : "=r"(r) :: "$f2");
    CHECK_EQ(r, 0x7fbfffffu);
    CHECK_EQ(fcsr(), FCSR_CAUSE_V | FCSR_FLAG_V);

    /* In a delay slot: EPC is the branch, Cause.BD = 1. */
    set_fcsr(FCSR_ENABLE_Z);
    uint32_t br;
    before = n_exc;
    __asm__ volatile(".set push\n\t.set noreorder\n\tla %0, 2f\n\tsw %0, %1\n\t"
                     "mtc1 $0, $f4\n\tla %0, 1f\n"
                     "1:\tbc1f 2f\n\tdiv.s $f2, $f0, $f4\n"
                     "2:\t.set pop"
                     : "=&r"(br), "=m"(resume_at) :: "$f2", "memory");
    CHECK_EQ(n_exc, before + 1);
    CHECK_EQ(exc_code, EXC_FPE);
    CHECK_EQ(exc_epc, br);
    CHECK(exc_cause & 0x80000000u);
    CHECK_EQ(fcsr() & 0x0003f000u, FCSR_CAUSE_Z);

    /* CTC1 with an enabled cause, and with Cause.E: both trap at the CTC1. */
    before = n_exc;
    set_fcsr(FCSR_ENABLE_Z | FCSR_CAUSE_Z);
    CHECK_EQ(n_exc, before + 1);
    CHECK_EQ(exc_code, EXC_FPE);
    set_fcsr(FCSR_CAUSE_E);
    CHECK_EQ(n_exc, before + 2);
    set_fcsr(FCSR_CAUSE_V);                      /* a cause without its enable: no trap */
    CHECK_EQ(n_exc, before + 2);
    set_fcsr(0);

    /* FR = 0: an odd double register, and the L format, are Reserved Instructions. */
    before = n_exc;
    __asm__ volatile(".set push\n\t.set noreorder\n\t.word 0x46220840\n\tnop\n\t.set pop"
                     ::: "memory");              /* add.d $f1, $f1, $f2 */
    CHECK_EQ(n_exc, before + 1);
    CHECK_EQ(exc_code, EXC_RI);
    __asm__ volatile(".set push\n\t.set noreorder\n\t.word 0x46200025\n\tnop\n\t.set pop"
                     ::: "memory");              /* cvt.l.d $f0, $f0 */
    CHECK_EQ(n_exc, before + 2);
    CHECK_EQ(exc_code, EXC_RI);
    MTC0(12, 0, MFC0(12, 0) | ST_FR);           /* FR = 1: both are fine */
    __asm__ volatile(".set push\n\t.set noreorder\n\t.word 0x46220840\n\t.word 0x46200025\n\t"
                     ".set pop" ::: "memory");
    CHECK_EQ(n_exc, before + 2);

    /* CU1 cleared again: even CFC1 traps. */
    MTC0(12, 0, MFC0(12, 0) & ~ST_CU1);
    before = n_exc;
    fcsr();
    CHECK_EQ(n_exc, before + 1);
    CHECK_EQ(exc_code, EXC_CPU);
    bm_puts("fputrap: ok\n");
    return 0;
}
