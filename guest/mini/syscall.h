/*
 * syscall.h - the system calls of the mini kernel (numbers and conventions in
 * sysno.h): one handler per number in a table. The SYSCALL's frame gets EPC past the
 * instruction and the result in v0; SYS_EXIT ends the process instead.
 */
#ifndef MINI_SYSCALL_H
#define MINI_SYSCALL_H

#include "guest/mini/smp.h"
#include "guest/mini/trap.h"

/* Handle the SYSCALL of pc's current process, whose frame is tf. */
void syscall_dispatch(percpu *pc, trapframe *tf);

#endif
