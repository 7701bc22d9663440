/* Guest entry: the VMM starts us in 64-bit mode with a stack and
 * rdi = RAM base, rsi = RAM size, rdx = VM index, rcx = argument (SysV order). */
    .section .text.start, "ax"
    .globl _start
_start:
    call vtx_main
    movl %eax, %eax
    movw $0x501, %dx        /* VTX_PORT_EXIT */
    outl %eax, %dx
1:  hlt
    jmp 1b
    .section .note.GNU-stack,"",@progbits
