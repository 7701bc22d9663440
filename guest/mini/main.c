/*
 * main.c - boot: CPU 0 parses the command line, sets up memory and the processes,
 * starts the other CPUs and enters its first thread; the others enter theirs.
 */
#include "guest/mini/hal.h"
#include "guest/mini/klib.h"
#include "guest/mini/page.h"
#include "guest/mini/param.h"
#include "guest/mini/proc.h"
#include "guest/mini/report.h"
#include "guest/mini/smp.h"
#include "guest/mini/timer.h"
#include "guest/mini/vm.h"

/* Pages a process may need beyond its working set: directory, log, page tables for
 * text, heap (2 for up to 4 MB) and stack, a few stack pages. */
#define MAIN_PAGES_PER_PROC 10u
#define MAIN_PAGES_SHARED   2u      /* the empty page table and the zero page */

extern char _end[];
extern char mini_user_text[], mini_user_text_end[];

static __attribute__((noreturn)) void main_fail(const char *what)
{
    kprintf("mini: %s\n", what);
    hal_power_off(2);
}

static void main_check_memory(void)
{
    uint32_t need = mini_params.nproc * (mini_params.ws_bytes / PAGE_SIZE + MAIN_PAGES_PER_PROC) +
                    MAIN_PAGES_SHARED, have = page_free_count();
    if (need > have) {
        char why[80];
        ksnprintf(why, sizeof why, "not enough memory: %u pages needed, %u free", need, have);
        main_fail(why);
    }
}

static void main_create_procs(void)
{
    proc_args a = { mini_params.ws_bytes, mini_params.iters, mini_params.seed, mini_params.calls };
    uint32_t text_pa = hal_pa(mini_user_text);
    uint32_t text_bytes = (uint32_t)(mini_user_text_end - mini_user_text);
    for (unsigned pid = 1; pid <= mini_params.nproc; pid++) {
        unsigned cpu = (pid - 1) % smp_ncpus, node = cpu * mini_params.nodes / smp_ncpus;
        if (proc_create(pid, cpu, node, &a, text_pa, text_bytes) < 0)
            main_fail("out of memory creating the processes");
    }
}

void mini_main(const hal_boot *boot)
{
    char err[80];
    if (param_parse(&mini_params, boot->cmdline, err, sizeof err) < 0)
        main_fail(err);
    uint32_t mem = boot->mem_bytes ? boot->mem_bytes : mini_params.mem_bytes;
    page_init(hal_pa(_end), mem, mini_params.nodes);
    smp_ncpus = hal_ncpus() < MINI_MAX_CPUS ? hal_ncpus() : MINI_MAX_CPUS;
    main_check_memory();
    kprintf("mini: %u processes, working set %u KB each, %u passes, seed %u\n",
            mini_params.nproc, mini_params.ws_bytes / 1024, mini_params.iters, mini_params.seed);
    kprintf(KLIB_PLATFORM_PREFIX "mini: %s build, %u cpus, %u KB memory in %u node(s), count %u Hz\n",
            boot->platform, smp_ncpus, mem / 1024, mini_params.nodes, mini_params.count_hz);
    if (vm_init() < 0)
        main_fail("out of memory");
    for (unsigned i = 0; i < smp_ncpus; i++)
        smp_init_cpu(percpu_of(i), i);
    hal_cpu_init(percpu_of(0));
    main_create_procs();
    report_start();
    hal_start_secondaries(smp_ncpus);
    timer_start(percpu_of(0));
    mini_trap_return(sched_resume(percpu_of(0)));
}

void smp_secondary_main(unsigned cpu)
{
    percpu *pc = percpu_of(cpu);
    hal_cpu_init(pc);
    timer_start(pc);
    mini_trap_return(sched_resume(pc));
}
