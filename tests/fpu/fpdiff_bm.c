/*
 * fpdiff_bm.c - fpdiff on the mips-sim test board: enable coprocessor 1 (Status.CU1,
 * and Status.FR for the -mfp64 build), run, print on the UART.
 */
#include "bm.h"
#include "fpdiff.h"

#define ST_CU1 0x20000000u
#define ST_FR 0x04000000u

void fp_putc(char c) { bm_putc(c); }

int main(void)
{
#if __mips_fpr == 64
    MTC0(12, 0, MFC0(12, 0) | ST_CU1 | ST_FR);
#else
    MTC0(12, 0, (MFC0(12, 0) | ST_CU1) & ~ST_FR);
#endif
    return fp_main();
}
