/* report.c - the final report and checks (see report.h). */
#include "guest/mini/report.h"

#include "guest/mini/hal.h"
#include "guest/mini/klib.h"
#include "guest/mini/page.h"
#include "guest/mini/param.h"
#include "guest/mini/proc.h"

/* The kernel's reference run reaches its pages through a table of kernel addresses. */
#define WORK_MEM_T uint32_t *const *
#define WORK_PAGE(mem, pg) ((mem)[pg])
#include "guest/mini/work.h"

#define REPORT_LOG_CHUNK 200u
#define REPORT_US 1000000u

static uint32_t report_t0;

void report_start(void)
{
    report_t0 = hal_count();
}

uint32_t report_elapsed_us(void)
{
    return (hal_count() - report_t0) / (mini_params.count_hz / REPORT_US);
}

/* A process's console log, as the lines it wrote. */
static void report_log(const proc *p)
{
    char chunk[REPORT_LOG_CHUNK + 1];
    uint32_t i = 0;
    while (i < p->loglen) {
        uint32_t n = 0;
        while (i + n < p->loglen && n < REPORT_LOG_CHUNK && p->log[i + n] != '\n')
            n++;
        memcpy(chunk, p->log + i, n);
        chunk[n] = 0;
        kprintf("%s\n", chunk);
        i += n + (i + n < p->loglen && p->log[i + n] == '\n');
    }
}

/* work_process() for pid in kernel memory, without paging or user mode. */
static int report_reference(unsigned pid, uint32_t *out)
{
    uint32_t npages = mini_params.ws_bytes / PAGE_SIZE, dir = page_alloc(0), i = 0;
    uint32_t **pages = hal_kva(dir);
    int ok = dir != 0;
    for (; ok && i < npages; i++) {
        uint32_t pa = page_alloc_zeroed(0);
        pages[i] = hal_kva(pa);
        ok = pa != 0;
    }
    if (ok)
        *out = work_process((uint32_t *const *)pages, npages, mini_params.iters, pid, mini_params.seed);
    while (i--)
        if (hal_pa(pages[i]))
            page_free(hal_pa(pages[i]));
    if (dir)
        page_free(dir);
    return ok ? 0 : -1;
}

/* Each process against the kernel's reference run; returns the failures. */
static unsigned report_check_reference(void)
{
    unsigned bad = 0;
    for (unsigned i = 0; i < mini_params.nproc; i++) {
        const proc *p = &mini_procs[i];
        uint32_t ref = 0;
        if (report_reference(p->pid, &ref) < 0) {
            kprintf("check: no memory for the reference run of proc %u\n", p->pid);
            bad++;
        } else if (ref != p->exit_status) {
            kprintf("check: proc %u FAILED: checksum %08x, reference %08x\n", p->pid, p->exit_status, ref);
            bad++;
        }
    }
    if (!bad)
        kprintf("check: ok (every process equals the kernel's reference run)\n");
    return bad;
}

static unsigned report_check(uint32_t total)
{
    if (!mini_params.have_expect)
        return report_check_reference();
    if (total != mini_params.expect) {
        kprintf("check: FAILED: total %08x, expected %08x\n", total, mini_params.expect);
        return 1;
    }
    kprintf("check: ok (total equals expect=%08x)\n", mini_params.expect);
    return 0;
}

static void report_platform(uint32_t us)
{
    percpu_stats t = { 0 };
    uint32_t refills = 0, work_us = 0;
    for (unsigned i = 0; i < smp_ncpus; i++) {
        const percpu *pc = percpu_of(i);
        const percpu_stats *s = &pc->st;
        kprintf(KLIB_PLATFORM_PREFIX "cpu %u: ticks %u switches %u refills %u syscalls %u faults %u "
                "ipis-sent %u ipis-taken %u idles %u done-us %u\n", i, s->ticks, s->switches,
                pc->refills, s->syscalls, s->faults, s->ipis_sent, s->ipis_taken, s->idles, s->done_us);
        t.ticks += s->ticks, t.switches += s->switches, t.syscalls += s->syscalls;
        t.faults += s->faults, t.ipis_sent += s->ipis_sent, refills += pc->refills;
        work_us = s->done_us > work_us ? s->done_us : work_us;
    }
    kprintf(KLIB_PLATFORM_PREFIX "totals: ticks %u switches %u refills %u syscalls %u faults %u "
            "ipis %u work-us %u elapsed-us %u\n", t.ticks, t.switches, refills, t.syscalls, t.faults,
            t.ipis_sent, work_us, us);
}

void mini_finish(void)
{
    uint32_t us = report_elapsed_us();      /* the run, not the report's printing */
    uint32_t total = 0, syscalls = 0, faults = 0;
    unsigned killed = 0;
    for (unsigned i = 0; i < mini_params.nproc; i++) {
        const proc *p = &mini_procs[i];
        report_log(p);
        kprintf("proc %u checksum %08x\n", p->pid, p->exit_status);
        kprintf("proc %u cpu %u syscalls %u faults %u pages %u\n", p->pid, p->cpu, p->syscalls,
                p->faults, p->vm.owned);
        total += p->exit_status;
        syscalls += p->syscalls;
        faults += p->faults;
        killed += p->killed != 0;
    }
    kprintf("total checksum %08x syscalls %u faults %u\n", total, syscalls, faults);
    unsigned bad = report_check(total) + killed;
    report_platform(us);
    kprintf("mini: power off, status %u\n", bad ? 1u : 0u);
    hal_power_off(bad ? 1 : 0);
}
