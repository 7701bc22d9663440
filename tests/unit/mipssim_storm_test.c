/* mipssim_storm_test.c - exception storms (cpu.h, CPU_STORM_LIMIT) seen from the
 * machine and from a monitor hook: a vector whose own instruction faults stops the CPU
 * at the limit with status 3; the streak a hook reads grows by one per exception and
 * falls to 0 once an instruction completes; a hook can end a looping guest itself long
 * before the limit, and the run goes on. Hand-assembled programs on a one-CPU test board. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "mips-sim/boards/board_test.h"
#include "mips-sim/cpu/cpu.h"
#include "mips-sim/hook.h"
#include "mips-sim/machine.h"

#define EXIT_V1 0x3c08bf00u, 0xad030010u, 0x1000ffffu, 0u   /* exit device <- v1; loop */
#define PROG_BASE 0x80001000u
#define RESCUE_PHYS 0x2000u                                 /* where a monitor sends a guest */
#define RESCUE_PC (0x80000000u | RESCUE_PHYS)
#define HOOK_GIVES_UP 1000u                                 /* a monitor's own, lower limit */

/* Writes `lw $0, 1($0)` (a misaligned load) over the general vector, then SYSCALL: the
 * vector faults, and its exception enters the same vector, forever. */
static const uint32_t storm_prog[] = {
    0x3c088000u, /* lui t0, 0x8000 */
    0x3c098c00u, /* lui t1, 0x8c00 */
    0x35290001u, /* ori t1, t1, 1: lw $0, 1($0) */
    0xad090180u, /* sw t1, 0x180(t0) */
    0x0000000cu, /* syscall, at PROG_BASE + 0x10 */
    0x24030001u, EXIT_V1,
};
static const uint32_t rescue[] = { 0x24030007u /* addiu v1, zero, 7 */, EXIT_V1 };

static machine m;
static board_test bt;
static cpu *c;

typedef struct watcher {
    uint64_t calls;
    uint64_t first_streak, last_streak;
    bool monotone;        /* each call saw the streak one higher than the call before */
    bool rescue;          /* send the guest to RESCUE_PC at HOOK_GIVES_UP */
} watcher;

static int setup(void **s)
{
    (void)s;
    machine_config cfg;
    machine_config_defaults(&cfg);
    assert_int_equal(machine_init(&m, &cfg), 0);
    assert_int_equal(board_test_setup(&bt, &m, 16u << 20, stdout), 0);
    c = m.cpus[0];
    return 0;
}
static int teardown(void **s)
{
    (void)s;
    board_test_destroy(&bt);
    machine_destroy(&m);
    return 0;
}

static void start(const uint32_t *prog, size_t words)
{
    assert_int_equal(bus_load(&m.bus, PROG_BASE & 0x1fffffffu, prog, words * 4), 0);
    assert_int_equal(bus_load(&m.bus, RESCUE_PHYS, rescue, sizeof(rescue)), 0);
    machine_start(&m, PROG_BASE);
    cpu_set_cp0(c, CP0_STATUS, 0, 0); /* kernel mode, BEV = 0, ERL = 0 */
}

static int watch(cpu *cp, const cpu_exception *e, void *ctx)
{
    watcher *w = ctx;
    uint64_t streak = cpu_exception_streak(cp);
    (void)e;
    if (w->calls++ == 0) {
        w->first_streak = streak;
        w->monotone = true;
    } else if (streak != w->last_streak + 1) {
        w->monotone = false;
    }
    w->last_streak = streak;
    if (w->rescue && streak >= HOOK_GIVES_UP) {
        cpu_set_pc(cp, RESCUE_PC);      /* the monitor ends this guest its own way */
        return CPU_HOOK_HANDLED;
    }
    return CPU_HOOK_DELIVER;
}

static void test_storm_stops_the_cpu(void **s)
{
    (void)s;
    start(storm_prog, sizeof(storm_prog) / 4);
    assert_int_equal(cpu_exception_streak(c), 0);
    assert_int_equal(machine_run(&m), MACHINE_EXIT_LIMIT);
    assert_string_equal(m.halt_reason, "exception-storm");
    assert_int_equal(c->state, CPU_HALTED);
    assert_true(c->storm.stopped);
    assert_int_equal(cpu_exception_streak(c), CPU_STORM_LIMIT);
    assert_int_equal(c->storm.first_code, EXC_SYS);
    assert_int_equal(c->storm.first_pc, PROG_BASE + 0x10);
    assert_int_equal(c->storm.last_code, EXC_ADEL);
    assert_int_equal(c->storm.last_pc, 0x80000180u);
    assert_int_equal(c->insns, 4);                      /* the four before the SYSCALL */
    assert_int_equal(c->stats.exceptions[EXC_ADEL], CPU_STORM_LIMIT - 1);
    /* stopped at the faulting instruction: the last exception was not entered */
    assert_int_equal(cpu_get_pc(c), 0x80000180u);
}

static void test_hook_reads_the_streak(void **s)
{
    (void)s;
    watcher w = { 0 };
    start(storm_prog, sizeof(storm_prog) / 4);
    cpu_set_hook(c, watch, &w);
    assert_int_equal(machine_run(&m), MACHINE_EXIT_LIMIT);
    assert_string_equal(m.halt_reason, "exception-storm");
    /* the hook saw streaks 1, 2, ... LIMIT - 1; the LIMIT-th exception stopped the CPU */
    assert_int_equal(w.first_streak, 1);
    assert_true(w.monotone);
    assert_int_equal(w.calls, CPU_STORM_LIMIT - 1);
    assert_int_equal(w.last_streak, CPU_STORM_LIMIT - 1);
}

static void test_hook_ends_the_guest_first(void **s)
{
    (void)s;
    watcher w = { .rescue = true };
    start(storm_prog, sizeof(storm_prog) / 4);
    cpu_set_hook(c, watch, &w);
    assert_int_equal(machine_run(&m), 7);               /* the rescue code's exit */
    assert_string_equal(m.halt_reason, "exit");
    assert_int_equal(w.calls, HOOK_GIVES_UP);
    assert_false(c->storm.stopped);
    assert_int_equal(c->state, CPU_RUNNING);
    assert_int_equal(cpu_exception_streak(c), 0);       /* instructions completed since */
}

typedef struct recorder {
    uint64_t seen[4];
    int n;
} recorder;

/* Skips the faulting instruction (as a monitor emulating it would) and records the
 * streak. */
static int skip_and_record(cpu *cp, const cpu_exception *e, void *ctx)
{
    recorder *r = ctx;
    if (r->n < 4)
        r->seen[r->n++] = cpu_exception_streak(cp);
    cpu_set_pc(cp, e->next_pc);
    return CPU_HOOK_HANDLED;
}

static void test_streak_counts_only_back_to_back(void **s)
{
    (void)s;
    /* SYSCALL, SYSCALL (both skipped by the hook: a skipped instruction does not
     * complete), ADDIU (completes), SYSCALL. */
    static const uint32_t prog[] = { 0x0000000cu, 0x0000000cu, 0x24030005u, 0x0000000cu, EXIT_V1 };
    recorder r = { .n = 0 };
    start(prog, sizeof(prog) / 4);
    cpu_set_hook(c, skip_and_record, &r);
    assert_int_equal(machine_run(&m), 5);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.seen[0], 1);
    assert_int_equal(r.seen[1], 2);
    assert_int_equal(r.seen[2], 1);
    assert_int_equal(cpu_exception_streak(c), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_storm_stops_the_cpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hook_reads_the_streak, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hook_ends_the_guest_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_streak_counts_only_back_to_back, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
