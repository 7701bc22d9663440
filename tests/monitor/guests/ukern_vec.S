/*
 * ukern_vec.S - vectors, start-up and the exception frame of ukern.c, a small Unix-like
 * test kernel built both for the monitor (linked in the kernel window, real supervisor
 * mode) and bare (linked in kseg0, kernel mode on mips-sim --board numa). It uses the
 * plain privileged instructions (MFC0/MTC0/TLBWR/ERET/WAIT), which the monitor emulates,
 * so the same binary logic runs in both worlds.
 *
 * Refill: a flat two-level-free page table per process: cur_pt[VPN2] holds the pair
 * (EntryLo0, EntryLo1) for user VAs below UKERN_USER_TOP.
 */
#define STATUS 12
#define CAUSE 13
#define EPC 14
#define BADVADDR 8
#define ENTRYLO0 2
#define ENTRYLO1 3
#define FRAME_WORDS 36
    .set noreorder
    .set noat
    .section .text.start, "ax"
    .globl _vectors
_vectors:
    .org 0x000                      /* TLB refill */
    mfc0    $k0, $BADVADDR
    lui     $k1, 0x0100             /* user VAs are below 16 MB: VPN2 < 2048 */
    sltu    $k1, $k0, $k1
    beqz    $k1, general_entry
    srl     $k0, $k0, 13
    sll     $k0, $k0, 3
    la      $k1, cur_pt
    lw      $k1, 0($k1)
    addu    $k0, $k0, $k1
    lw      $k1, 0($k0)
    mtc0    $k1, $ENTRYLO0
    lw      $k1, 4($k0)
    mtc0    $k1, $ENTRYLO1
    ehb
    tlbwr
    eret
    nop

    .org 0x180                      /* everything else */
general_entry:
    la      $k0, exc_frame
    sw      $1, 4($k0)
    sw      $2, 8($k0)
    sw      $3, 12($k0)
    sw      $4, 16($k0)
    sw      $5, 20($k0)
    sw      $6, 24($k0)
    sw      $7, 28($k0)
    sw      $8, 32($k0)
    sw      $9, 36($k0)
    sw      $10, 40($k0)
    sw      $11, 44($k0)
    sw      $12, 48($k0)
    sw      $13, 52($k0)
    sw      $14, 56($k0)
    sw      $15, 60($k0)
    sw      $16, 64($k0)
    sw      $17, 68($k0)
    sw      $18, 72($k0)
    sw      $19, 76($k0)
    sw      $20, 80($k0)
    sw      $21, 84($k0)
    sw      $22, 88($k0)
    sw      $23, 92($k0)
    sw      $24, 96($k0)
    sw      $25, 100($k0)
    sw      $28, 112($k0)
    sw      $29, 116($k0)
    sw      $30, 120($k0)
    sw      $31, 124($k0)
    mfhi    $k1
    sw      $k1, 128($k0)
    mflo    $k1
    sw      $k1, 132($k0)
    mfc0    $k1, $EPC
    sw      $k1, 136($k0)
    la      $sp, exc_stack_top
    move    $a0, $k0
    jal     ukern_exception
    nop
    la      $k0, exc_frame
    lw      $k1, 128($k0)
    mthi    $k1
    lw      $k1, 132($k0)
    mtlo    $k1
    lw      $k1, 136($k0)
    mtc0    $k1, $EPC
    lw      $1, 4($k0)
    lw      $2, 8($k0)
    lw      $3, 12($k0)
    lw      $4, 16($k0)
    lw      $5, 20($k0)
    lw      $6, 24($k0)
    lw      $7, 28($k0)
    lw      $8, 32($k0)
    lw      $9, 36($k0)
    lw      $10, 40($k0)
    lw      $11, 44($k0)
    lw      $12, 48($k0)
    lw      $13, 52($k0)
    lw      $14, 56($k0)
    lw      $15, 60($k0)
    lw      $16, 64($k0)
    lw      $17, 68($k0)
    lw      $18, 72($k0)
    lw      $19, 76($k0)
    lw      $20, 80($k0)
    lw      $21, 84($k0)
    lw      $22, 88($k0)
    lw      $23, 92($k0)
    lw      $24, 96($k0)
    lw      $25, 100($k0)
    lw      $28, 112($k0)
    lw      $29, 116($k0)
    lw      $30, 120($k0)
    lw      $31, 124($k0)
    eret
    nop

    .globl _start
_start:
    mfc0    $t0, $15, 1             /* EBase.CPUNum: only CPU 0 runs the kernel */
    andi    $t0, $t0, 0x3ff
    bnez    $t0, 2f
    nop
    la      $sp, stack_top
    jal     ukern_main
    nop
1:  b       1b
    nop
2:  mtc0    $zero, $STATUS          /* secondary CPUs of a bare run: sleep forever */
    ehb
3:  wait
    b       3b
    nop

    .bss
    .align 3
    .globl exc_frame
exc_frame: .space FRAME_WORDS * 4
    .align 4
    .space 8192
exc_stack_top:
    .space 16384
stack_top:
