/*
 * fpdiff.h - what the FP differential test (fpdiff.c) needs from its platform: a
 * console. fpdiff_linux.c provides it for qemu-mipsel (write(2) through raw system
 * calls), fpdiff_bm.c for the mips-sim test board (its UART).
 */
#ifndef FPDIFF_H
#define FPDIFF_H

#define FCSR_FS_BIT 0x01000000u

void fp_putc(char c);
int fp_main(void);

#endif
