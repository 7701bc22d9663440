/*
 * ipi.c - inter-processor interrupts through the test board's IPI device: CPU 0 sends
 * one to each other CPU, which takes it on IP2 (Cause bit 10), sees PENDING, ACKs it
 * and answers with an IPI back to CPU 0 (which sleeps in WAIT). CPU 1 waits in WAIT
 * with interrupts disabled, which must still wake it. Also CPUID and NCPUS.
 * sim-opts: --cpus 4
 */
#define BM_TEST_HELPERS
#include "bm.h"

static volatile uint32_t got[4], cause_seen[4], pending_seen[4], ready, bad;

void bm_exception(bm_frame *f, int kind)
{
    unsigned cpu = bm_cpu();
    if (BM_EXC(f) != 0 || kind != 0 || !(f->cause & 0x400u)) {
        bad = f->cause | 1;
        bm_exit(0x33);
    }
    cause_seen[cpu] = f->cause;
    pending_seen[cpu] = BM_DEV[BM_IPI_PENDING];
    BM_DEV[BM_IPI_ACK] = 1;
    got[cpu]++;
}

static void send(unsigned cpu) { BM_DEV[BM_IPI_SEND] = cpu; }

int main(unsigned cpu)
{
    CHECK_EQ(BM_DEV[BM_IPI_CPUID], cpu);
    CHECK_EQ(bm_ncpus(), 4);
    CHECK_EQ(BM_DEV[BM_IPI_PENDING], 0);
    if (cpu == 1) {
        /* WAIT with IE = 0 ends on the pending IPI; then enable to take it */
        MTC0(12, 0, 0x0400);
        bm_atomic_add(&ready, 1);
        while (!got[1]) {
            __asm__ volatile("wait" ::: "memory");
            MTC0(12, 0, 0x0401);
            MTC0(12, 0, 0x0400);
        }
    } else if (cpu != 0) {
        MTC0(12, 0, 0x0401);
        bm_atomic_add(&ready, 1);
        while (!got[cpu]) {}
    }
    if (cpu != 0) {
        CHECK_EQ(got[cpu], 1);
        CHECK_EQ(pending_seen[cpu], 1);
        CHECK_EQ(BM_DEV[BM_IPI_PENDING], 0);
        CHECK_EQ(MFC0(13, 0) & 0x400u, 0);
        MTC0(12, 0, 0);
        send(0);
        return 0;
    }
    while (ready != 3) {}
    MTC0(12, 0, 0x0400);
    for (unsigned i = 1; i < 4; i++)
        send(i);
    /* collect the three answers (they may merge into fewer interrupts) */
    uint32_t spins = 0;
    while (got[1] + got[2] + got[3] < 3 || spins < 3) {
        MTC0(12, 0, 0x0401);
        MTC0(12, 0, 0x0400);
        spins++;
        if (got[1] + got[2] + got[3] == 3)
            break;
    }
    for (unsigned i = 1; i < 4; i++)
        CHECK_EQ(got[i], 1);
    /* every answer has arrived once CPU 0 has taken at least one IPI and nothing is pending */
    for (int i = 0; i < 100000 && !got[0]; i++) {
        MTC0(12, 0, 0x0401);
        MTC0(12, 0, 0x0400);
    }
    CHECK(got[0] >= 1);
    CHECK_EQ(cause_seen[0] & 0x7cu, 0);
    CHECK_EQ(bad, 0);
    bm_puts("ipi: ok\n");
    return 0;
}
