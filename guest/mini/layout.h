/*
 * layout.h - fixed sizes and offsets of the mini kernel, shared by C and assembly.
 *
 *  - The trap frame (struct trapframe in trap.h) holds r1..r31 at 4*n, then HI, LO and
 *    the CP0 state of the exception; the vectors in start.S save into it and restore
 *    from it by these offsets.
 *  - struct percpu (smp.h) begins with the words the vectors read: the frame to save
 *    into, the kernel stack top, the current page directory and the refill counter.
 *    Entries are PERCPU_STRIDE bytes apart so the refill handler indexes them by shift.
 *  - User address space: text at USER_TEXT (shared read-only frames of the kernel
 *    image), heap from USER_HEAP growing by sbrk, stack below USER_STACK_TOP.
 */
#ifndef MINI_LAYOUT_H
#define MINI_LAYOUT_H

#define MINI_MAX_CPUS   32
#define MINI_MAX_PROCS  64          /* process i has ASID i (1..64): never recycled */
#define KSTACK_SHIFT    13          /* 8 KB kernel stack per CPU */
#define KSTACK_SIZE     (1 << KSTACK_SHIFT)
#define IDLE_STACK_SIZE 1024

/* Trap frame. */
#define TF_REG(n)     ((n) * 4)
#define TF_HI         128
#define TF_LO         132
#define TF_EPC        136
#define TF_STATUS     140
#define TF_CAUSE      144
#define TF_BADVADDR   148
#define TF_SIZE       152

/* Per-CPU block: the first words, read by the vectors. */
#define PC_FRAME      0
#define PC_KSTACK     4
#define PC_PGD        8
#define PC_REFILLS    12
#define PERCPU_SHIFT  10
#define PERCPU_STRIDE (1 << PERCPU_SHIFT)

/* Page tables: a page directory of 1024 words, each the kernel address of a page of
 * 1024 EntryLo words (4 MB), or of the shared empty table. */
#define PGD_SHIFT     22
#define PT_INDEX_MASK 0xff8         /* (va >> 10) & this: byte offset of the even/odd pair */

/* User address space. */
#define USER_TEXT       0x00400000
#define USER_HEAP       0x10000000
#define USER_HEAP_MAX   0x20000000  /* the heap never grows past this */
#define USER_STACK_TOP  0x7fff0000
#define USER_STACK_MAX  0x00010000  /* 64 KB of demand-zero stack */

#endif
