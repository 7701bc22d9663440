/*
 * sysno.h - the system-call interface of the mini kernel, shared by the kernel and the
 * user program. SYSCALL with the number in v0 and arguments in a0..a2; the result
 * comes back in v0 (negative: error); every other register is preserved.
 */
#ifndef MINI_SYSNO_H
#define MINI_SYSNO_H

#define SYS_WRITE   1   /* a0 = buffer, a1 = length -> bytes written to the console log */
#define SYS_GETPID  2   /* -> the process id (1..) */
#define SYS_YIELD   3   /* give the CPU to the next process of the run queue -> 0 */
#define SYS_EXIT    4   /* a0 = status (the process's checksum); does not return */
#define SYS_SBRK    5   /* a0 = bytes (multiple of 4 KB) -> old break; demand-zero pages */
#define SYS_NCALLS  6

#define SYS_EFAULT  14
#define SYS_EINVAL  22
#define SYS_ENOMEM  12
#define SYS_ENOSYS  38

#endif
