/* syscall.c - the system calls, one handler each in a table by number (sysno.h). */
#include "guest/mini/hal.h"
#include "guest/mini/klib.h"
#include "guest/mini/proc.h"
#include "guest/mini/syscall.h"
#include "guest/mini/sysno.h"

#define SYS_INSN_BYTES 4

typedef int32_t (*sys_fn)(percpu *pc, proc *p, trapframe *tf);

/* Append to the process's console log (printed, in pid order, by the report). */
static int32_t sys_write(percpu *pc, proc *p, trapframe *tf)
{
    (void)pc;
    uint32_t len = tf->r[5], room = PAGE_SIZE - p->loglen;
    if (len > room)
        len = room;
    if (vm_copyin(&p->vm, p->log + p->loglen, tf->r[4], len) < 0)
        return -SYS_EFAULT;
    p->loglen += len;
    return (int32_t)len;
}

static int32_t sys_getpid(percpu *pc, proc *p, trapframe *tf)
{
    (void)pc, (void)tf;
    return (int32_t)p->pid;
}

static int32_t sys_yield(percpu *pc, proc *p, trapframe *tf)
{
    (void)p, (void)tf;
    sched_preempt(pc);
    return 0;
}

static int32_t sys_exit(percpu *pc, proc *p, trapframe *tf)
{
    (void)p;
    proc_exit(pc, tf->r[4]);
    return 0;
}

static int32_t sys_sbrk(percpu *pc, proc *p, trapframe *tf)
{
    (void)pc;
    uint32_t old = vm_sbrk(&p->vm, tf->r[4]);
    return old ? (int32_t)old : -SYS_ENOMEM;
}

static const sys_fn sys_table[SYS_NCALLS] = {
    [SYS_WRITE] = sys_write,
    [SYS_GETPID] = sys_getpid,
    [SYS_YIELD] = sys_yield,
    [SYS_EXIT] = sys_exit,
    [SYS_SBRK] = sys_sbrk,
};

void syscall_dispatch(percpu *pc, trapframe *tf)
{
    proc *p = pc->cur;
    uint32_t n = tf->r[2];
    pc->st.syscalls++;
    p->syscalls++;
    tf->epc += SYS_INSN_BYTES;
    sys_fn fn = n < SYS_NCALLS ? sys_table[n] : 0;
    tf->r[2] = (uint32_t)(fn ? fn(pc, p, tf) : -SYS_ENOSYS);
}
