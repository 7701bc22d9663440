/* A tiny multiboot (v1) guest for QEMU, the same kind of work as hello.elf: print one
 * line on the debug console (port 0xe9, -debugcon) and power off through
 * isa-debug-exit (port 0xf4; QEMU exits with status (v << 1) | 1). */
    .section .text
    .align 4
mb_header:
    .long 0x1BADB002
    .long 0x00000000
    .long -(0x1BADB002 + 0x00000000)
    .globl _start
_start:
    movl $msg, %esi
1:  movb (%esi), %al
    testb %al, %al
    jz 2f
    outb %al, $0xe9
    incl %esi
    jmp 1b
2:  movb $0, %al
    outb %al, $0xf4
3:  hlt
    jmp 3b
msg:
    .asciz "hello from qemu guest\n"
    .section .note.GNU-stack,"",@progbits
