/*
 * mcall.c - monitor calls: the guest kernel's hypcall (monitor/abi.h), dispatched by
 * number through mcall_table[]. Arguments come from a0..a3, the result goes to v0 (and
 * v1), negative errno values on error; execution resumes after the instruction. Every
 * argument is checked: an unknown number or a wild argument is an error code, never a
 * crash, and never reaches memory outside the VM.
 */
#include <errno.h>

#include "monitor/internal.h"
#include "monitor/vdev/vdev.h"

#define REG_V0 2
#define REG_V1 3
#define REG_A0 4
#define MCALL_CONSOLE_MAX 4096u

struct mcall_args {
    uint32_t a[4];
    uint32_t v1;               /* second result (set by calls that return 64 bits) */
    bool no_return;            /* the call descheduled or ended the vCPU */
};

typedef int32_t (*mcall_fn)(struct pcpu *p, struct vcpu *v, struct mcall_args *a);

static int32_t mc_version(struct pcpu *p, struct vcpu *v, struct mcall_args *a)
{
    (void)p; (void)v; (void)a;
    return ABI_VERSION;
}

static int32_t mc_console_write(struct pcpu *p, struct vcpu *v, struct mcall_args *a)
{
    uint8_t buf[MCALL_CONSOLE_MAX];
    uint32_t len = a->a[1];
    if (len > MCALL_CONSOLE_MAX)
        return -ABI_EINVAL;
    if (vm_read_gpa(v->vm, p, a->a[0], buf, len))
        return -ABI_EFAULT;
    vdev_console_write(v->vm, buf, len);
    return (int32_t)len;
}

static int32_t mc_console_read(struct pcpu *p, struct vcpu *v, struct mcall_args *a)
{
    (void)p;
    if (a->a[1] > MCALL_CONSOLE_MAX || (uint64_t)a->a[0] + a->a[1] > v->vm->npages * PAGE_SIZE)
        return -ABI_EFAULT;
    return 0;                  /* the console has no input */
}

static int32_t mc_console_putc(struct pcpu *p, struct vcpu *v, struct mcall_args *a)
{
    (void)p;
    uint8_t ch = (uint8_t)a->a[0];
    vdev_console_write(v->vm, &ch, 1);
    return 0;
}

static int32_t mc_power_off(struct pcpu *p, struct vcpu *v, struct mcall_args *a)
{
    a->no_return = true;
    vm_finish(v->vm, p, (int)(a->a[0] & 0xffu), NULL);
    return 0;
}

static int32_t mc_time(struct pcpu *p, struct vcpu *v, struct mcall_args *a)
{
    const machine *m = &p->mon->m;
    uint64_t cyc = machine_now(m) - v->vm->start_cycle;
    uint64_t ns = (uint64_t)((double)cyc * 1e9 / (double)m->cfg.clock_hz);
    a->v1 = (uint32_t)(ns >> 32);
    return (int32_t)(uint32_t)ns;
}

static int32_t mc_set_timer(struct pcpu *p, struct vcpu *v, struct mcall_args *a)
{
    vcpu_set_compare(p, v, a->a[0]);
    return 0;
}

static int32_t mc_idle(struct pcpu *p, struct vcpu *v, struct mcall_args *a)
{
    a->no_return = true;
    cpu_set_gpr(p->c, REG_V0, 0);
    sched_block(p, v);
    return 0;
}

static struct vcpu *mcall_vcpu(struct vcpu *v, uint32_t id)
{
    return id < (uint32_t)v->vm->nvcpus ? v->vm->vcpus[id] : NULL;
}

static int32_t mc_ipi(struct pcpu *p, struct vcpu *v, struct mcall_args *a)
{
    struct vcpu *t = mcall_vcpu(v, a->a[0]);
    if (!t)
        return -ABI_EINVAL;
    vdev_ipi_send(p, t);
    return 0;
}

static int32_t mc_start_vcpu(struct pcpu *p, struct vcpu *v, struct mcall_args *a)
{
    struct vcpu *t = mcall_vcpu(v, a->a[0]);
    if (!t || t->state != VCPU_OFF)
        return -ABI_EINVAL;
    vcpu_reset(t, a->a[1]);
    /* One timebase per VM: the new vCPU's Count starts at its starter's, as the CPUs
     * of a board share theirs (a guest's clocksource reads Count on every CPU). */
    uint64_t now = machine_now(&p->mon->m);
    vcpu_set_count(t, now, vcpu_count(v, now));
    t->gpr[29] = a->a[2];
    t->gpr[REG_A0] = a->a[3];
    sched_make_runnable(p, t);
    return 0;
}

static int32_t mc_page(struct pcpu *p, struct vcpu *v, struct mcall_args *a)
{
    (void)p;
    uint32_t gpa = a->a[0];
    if ((gpa & (PAGE_SIZE - 1)) || (uint64_t)(gpa >> PAGE_SHIFT) >= v->vm->npages)
        return -ABI_EINVAL;
    /* Unmapped, the page is zero-filled again at its next touch: the monitor zeroes
     * it (cheaply, COST_PAGE_ZERO) instead of the guest, and may reuse the frame. */
    int rc = pmap_unmap(v->vm->pmap, gpa >> PAGE_SHIFT);
    return rc == 0 || rc == -ENOENT ? 0 : -ABI_EINVAL;
}

static int32_t mc_tlb_write(struct pcpu *p, struct vcpu *v, struct mcall_args *a)
{
    int32_t idx = (int32_t)a->a[0];
    bool random = idx == -1;
    if (!random && (idx < 0 || idx >= VTLB_ENTRIES))
        return -ABI_EINVAL;
    if (random) {
        idx = (int32_t)v->cp0.random;
        v->cp0.random = v->cp0.random > v->cp0.wired ? v->cp0.random - 1 : VTLB_ENTRIES - 1;
    }
    vtlb_guest_write(p, v, idx, a->a[1], v->cp0.pagemask, a->a[2], a->a[3], random);
    return idx;
}

static int32_t mc_irq_poll(struct pcpu *p, struct vcpu *v, struct mcall_args *a)
{
    (void)p; (void)v; (void)a;
    return 0;                  /* the exit path delivers a pending enabled interrupt */
}

static const mcall_fn mcall_table[ABI_MC_COUNT] = {
    [ABI_MC_VERSION] = mc_version,
    [ABI_MC_CONSOLE_WRITE] = mc_console_write,
    [ABI_MC_CONSOLE_READ] = mc_console_read,
    [ABI_MC_POWER_OFF] = mc_power_off,
    [ABI_MC_TIME] = mc_time,
    [ABI_MC_SET_TIMER] = mc_set_timer,
    [ABI_MC_IDLE] = mc_idle,
    [ABI_MC_IPI] = mc_ipi,
    [ABI_MC_START_VCPU] = mc_start_vcpu,
    [ABI_MC_ZERO_PAGE] = mc_page,
    [ABI_MC_FREE_PAGE] = mc_page,
    [ABI_MC_TLB_WRITE] = mc_tlb_write,
    [ABI_MC_IRQ_POLL] = mc_irq_poll,
    [ABI_MC_CONSOLE_PUTC] = mc_console_putc,
};

static const char *const mcall_names[ABI_MC_COUNT + 1] = {
    [ABI_MC_VERSION] = "version", [ABI_MC_CONSOLE_WRITE] = "console_write",
    [ABI_MC_CONSOLE_READ] = "console_read", [ABI_MC_POWER_OFF] = "power_off",
    [ABI_MC_TIME] = "time", [ABI_MC_SET_TIMER] = "set_timer", [ABI_MC_IDLE] = "idle",
    [ABI_MC_IPI] = "ipi", [ABI_MC_START_VCPU] = "start_vcpu", [ABI_MC_ZERO_PAGE] = "zero_page",
    [ABI_MC_FREE_PAGE] = "free_page", [ABI_MC_TLB_WRITE] = "tlb_write",
    [ABI_MC_IRQ_POLL] = "irq_poll", [ABI_MC_CONSOLE_PUTC] = "console_putc",
    [ABI_MC_COUNT] = "unknown",
};

const char *mcall_name(int nr)
{
    return mcall_names[nr];
}

void mcall_dispatch(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    uint32_t nr = cpu_get_gpr(p->c, REG_V0);
    struct mcall_args a = { .v1 = cpu_get_gpr(p->c, REG_V1) };
    for (int i = 0; i < 4; i++)
        a.a[i] = cpu_get_gpr(p->c, REG_A0 + i);
    mon_charge(p, v, COST_MCALL);
    if (e->bd) {               /* the ABI refuses calls in delay slots; skip the branch */
        v->stats.mcalls[ABI_MC_COUNT]++;
        cpu_set_gpr(p->c, REG_V0, (uint32_t)-ABI_EINVAL);
        cpu_set_pc(p->c, e->epc + 8);
        return;
    }
    mcall_fn fn = nr < ABI_MC_COUNT ? mcall_table[nr] : NULL;
    v->stats.mcalls[fn ? nr : ABI_MC_COUNT]++;
    cpu_set_pc(p->c, e->next_pc);
    int32_t r = fn ? fn(p, v, &a) : -ABI_ENOSYS;
    if (a.no_return)
        return;
    cpu_set_gpr(p->c, REG_V0, (uint32_t)r);
    cpu_set_gpr(p->c, REG_V1, a.v1);
}
