/* machine.c - CPUs, timers and the deterministic round-robin run loop. */
#include "mips-sim/machine.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "mips-sim/cpu/cpu.h"
#include "mips-sim/engine/codecache.h"
#include "mips-sim/hook.h"
#include "mips-sim/mem/cache.h"

void machine_config_defaults(machine_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->ncpus = 1;
    cfg->clock_hz = 200000000;
    cfg->tlb_entries = 64;
    cfg->quantum = 1000;
    cfg->jit_bytes = 128u << 20;
}

static void machine_hot_deliver(void *ctx);

/* What the CPUs and engines see of the machine (cpu/system.h). */
static void machine_sys_init(machine *m)
{
    cpu_system *sys = &m->sys;
    sys->bus = &m->bus;
    sys->cpus = m->cpus;
    sys->engine = m->cfg.engine;
    sys->jit_bytes = m->cfg.jit_bytes;
    sys->deliver = machine_hot_deliver;
    sys->deliver_ctx = m;
}

int machine_init(machine *m, const machine_config *cfg)
{
    memset(m, 0, sizeof(*m));
    if (cfg->ncpus < 1 || cfg->ncpus > MACHINE_MAX_CPUS || cfg->quantum == 0 ||
        cfg->clock_hz == 0)
        return -EINVAL;
    m->cfg = *cfg;
    bus_init(&m->bus);
    machine_sys_init(m);
    for (int i = 0; i < cfg->ncpus; i++) {
        m->cpus[i] = cpu_new(&m->sys, m, i, cfg->tlb_entries);
        if (!m->cpus[i]) {
            machine_destroy(m);
            return -ENOMEM;
        }
        m->ncpus = m->sys.ncpus = i + 1;
    }
    return 0;
}

void machine_destroy(machine *m)
{
    for (int i = 0; i < m->ncpus; i++)
        cpu_free(m->cpus[i]);
    m->ncpus = m->sys.ncpus = 0;
    codecache_free(m->sys.code);
    m->sys.code = NULL;
}

void machine_start(machine *m, uint32_t pc)
{
    for (int i = 0; i < m->ncpus; i++)
        cpu_reset(m->cpus[i], pc);
}

void machine_halt(machine *m, int exit_code, const char *reason)
{
    if (m->halted)
        return;
    m->halted = true;
    m->exit_code = exit_code;
    m->halt_reason = reason;
    /* End the running CPU's turn at once. */
    if (m->running) {
        m->running->budget = 0;
        cpu_end_turn(m->running);
    }
}

uint64_t machine_now(const machine *m)
{
    return m->running ? m->running->cycles : m->now;
}

double machine_seconds(const machine *m)
{
    return (double)machine_now(m) / (double)m->cfg.clock_hz;
}

/* ---- timers -------------------------------------------------------------------------- */

int machine_timer_add(machine *m, machine_timer_fn fn, void *ctx)
{
    if (m->ntimers == MACHINE_MAX_TIMERS)
        return -ENOSPC;
    m->timers[m->ntimers] = (machine_timer){ .fn = fn, .ctx = ctx };
    return m->ntimers++;
}

void machine_timer_set(machine *m, int id, uint64_t when)
{
    if (id < 0 || id >= m->ntimers)
        return;
    m->timers[id].when = when;
    m->timers[id].armed = true;
    /* A deadline inside the running CPU's turn shortens it, so the timer is exact. */
    if (m->running && m->ncpus == 1 && when < m->running->cycles + (uint64_t)m->running->budget)
        m->running->budget = (int64_t)(when > m->running->cycles ? when - m->running->cycles : 0);
}

void machine_timer_cancel(machine *m, int id)
{
    if (id >= 0 && id < m->ntimers)
        m->timers[id].armed = false;
}

static uint64_t machine_next_timer(const machine *m)
{
    uint64_t next = UINT64_MAX;
    for (int i = 0; i < m->ntimers; i++)
        if (m->timers[i].armed && m->timers[i].when < next)
            next = m->timers[i].when;
    return next;
}

static void machine_fire_timers(machine *m)
{
    for (int i = 0; i < m->ntimers; i++) {
        machine_timer *t = &m->timers[i];
        if (t->armed && t->when <= m->now) {
            t->armed = false;
            t->fn(t->ctx, m->now);
        }
    }
}

/* ---- interrupts -------------------------------------------------------------------- */

void machine_set_irq(machine *m, int cpu_id, int line, bool level)
{
    if (cpu_id < 0 || cpu_id >= m->ncpus)
        return;
    cpu_set_irq(m->cpus[cpu_id], line, level);
}

int cpu_send_ipi(cpu *from, int target)
{
    return machine_send_ipi(from->m, target);
}

int machine_send_ipi(machine *m, int cpu_id)
{
    if (cpu_id < 0 || cpu_id >= m->ncpus)
        return -EINVAL;
    m->ipi_pending |= 1ull << cpu_id;
    cpu_set_irq(m->cpus[cpu_id], m->ipi_line, true);
    return 0;
}

void machine_clear_ipi(machine *m, int cpu_id)
{
    if (cpu_id < 0 || cpu_id >= m->ncpus)
        return;
    m->ipi_pending &= ~(1ull << cpu_id);
    cpu_set_irq(m->cpus[cpu_id], m->ipi_line, false);
}

/* ---- hot-page events ------------------------------------------------------------------ */

/* The counters' hook: hold the event until the running CPU's instruction completes. */
static void machine_hot_hold(void *ctx, const hotpage_event *ev)
{
    machine *m = ctx;
    /* No instruction under way (a miss counted from outside a turn): deliver at once.
     * A full queue cannot happen while the engines end the slice after an instruction
     * that raised an event (MACHINE_HOT_QUEUE); were it to, delivering late beats losing
     * the event. */
    if (!m->running || m->hot_npending == MACHINE_HOT_QUEUE) {
        m->hot_fn(m->hot_ctx, ev);
        return;
    }
    m->hot_queue[m->hot_npending++] = *ev;
    m->sys.held = true;                /* the engine ends its slice after this instruction */
}

/* cpu_run calls this between two instructions of the running CPU. */
static void machine_hot_deliver(void *ctx)
{
    machine *m = ctx;
    for (int i = 0; i < m->hot_npending; i++)
        m->hot_fn(m->hot_ctx, &m->hot_queue[i]);
    m->hot_npending = 0;
    m->sys.held = false;
}

int machine_set_hotpage_hook(machine *m, hotpage_fn fn, void *ctx)
{
    if (!m->sys.cache || !m->sys.cache->hot)
        return -ENODEV;
    m->hot_fn = fn;
    m->hot_ctx = ctx;
    m->hot_npending = 0;
    m->sys.held = false;
    hotpage_set_hook(m->sys.cache->hot, fn ? machine_hot_hold : NULL, m);
    return 0;
}

/* ---- the run loop ------------------------------------------------------------------- */

/* No CPU can run now: each one waits, and none has an interrupt that would wake it
 * (one raised since its turn, by an IPI from a later CPU or a device timer). */
static bool machine_all_waiting(const machine *m)
{
    for (int i = 0; i < m->ncpus; i++) {
        const cpu *c = m->cpus[i];
        if (c->state == CPU_RUNNING || (c->state == CPU_WAITING && cpu_wait_over(c)))
            return false;
    }
    return true;
}

static bool machine_all_stopped(const machine *m)
{
    for (int i = 0; i < m->ncpus; i++)
        if (m->cpus[i]->state != CPU_HALTED)
            return false;
    return true;
}

/* Every CPU waits: jump to the next event, or stop if there is none. */
static void machine_skip_idle(machine *m, uint64_t round_end)
{
    uint64_t next = machine_next_timer(m);
    for (int i = 0; i < m->ncpus; i++) {
        const cpu *c = m->cpus[i];
        if (c->state == CPU_WAITING && (c->cp0.status & 0x8000u) && c->timer_deadline < next)
            next = c->timer_deadline; /* only a timer the CPU listens to can wake it */
    }
    if (next == UINT64_MAX) {
        machine_halt(m, 4, "deadlock");
        return;
    }
    if (next <= round_end)
        return;
    uint64_t q = m->ncpus == 1 ? 1 : m->cfg.quantum;
    uint64_t skip = ((next - round_end) / q) * q; /* keep rounds aligned to the quantum */
    for (int i = 0; i < m->ncpus; i++) {
        cpu *c = m->cpus[i];
        if (c->state == CPU_HALTED)
            continue;                   /* a stopped CPU's time ends where it stopped */
        c->cycles += skip;
        c->stats.idle_cycles += skip;
    }
    m->now += skip;
}

#define UNLIKELY(x) __builtin_expect(!!(x), 0)

/* --max-insns: a CPU that could run stops the machine once the limit is reached. */
static bool machine_insn_limit(machine *m, const cpu *c)
{
    if (m->total_insns < m->cfg.max_insns || c->budget <= 0 || c->state == CPU_HALTED)
        return false;
    machine_halt(m, MACHINE_EXIT_LIMIT, "insn-limit");
    return true;
}

/* One turn of CPU c, which has budget left. */
static void machine_turn(machine *m, cpu *c)
{
    uint64_t left = 0;                             /* instructions the turn may run */
    if (UNLIKELY(m->cfg.max_insns)) {
        if (machine_insn_limit(m, c))
            return;
        left = m->cfg.max_insns - m->total_insns;
    }
    if (UNLIKELY(m->cfg.trace))
        m->sys.trace = m->total_insns >= m->cfg.trace_start ? m->cfg.trace : NULL;
    m->running = c;
    m->total_insns += cpu_run(c, left);
    m->running = NULL;
    if (UNLIKELY(m->cfg.max_insns))
        machine_insn_limit(m, c);
}

int machine_run(machine *m)
{
    while (!m->halted) {
        uint64_t len = m->cfg.quantum;
        if (m->ncpus == 1) {
            uint64_t next = machine_next_timer(m);
            if (next > m->now && next - m->now < len)
                len = next - m->now;
        }
        uint64_t round_end = m->now + len;
        for (int i = 0; i < m->ncpus && !m->halted; i++) {
            cpu *c = m->cpus[i];
            c->budget = (int64_t)(round_end - c->cycles);
            if (c->budget <= 0)
                continue;
            machine_turn(m, c);
        }
        /* One CPU may end its turn early at a device timer: time is then its own. */
        m->now = m->ncpus == 1 ? m->cpus[0]->cycles : round_end;
        machine_fire_timers(m);
        if (!m->halted && machine_all_stopped(m))
            machine_halt(m, MACHINE_EXIT_LIMIT, "exception-storm");
        if (!m->halted && machine_all_waiting(m))
            machine_skip_idle(m, round_end);
    }
    return m->exit_code;
}

/* ---- statistics ------------------------------------------------------------------- */

static void machine_write_cpu(const machine *m, const cpu *c, FILE *f)
{
    fprintf(f, "    {\"cpu\": %d, \"node\": %d, \"instructions\": %" PRIu64 ", \"cycles\": %" PRIu64
               ", \"idle_cycles\": %" PRIu64 ", \"stall_cycles\": %" PRIu64
               ", \"charged_cycles\": %" PRIu64 ", \"tlb_refills\": %" PRIu64
               ", \"interrupts\": %" PRIu64,
            c->id, c->node, c->insns, c->cycles, c->stats.idle_cycles, c->stats.stall_cycles,
            c->stats.charged_cycles, c->stats.tlb_refills, c->stats.interrupts);
    if (m->sys.cache) {
        const cache_stats *s = &m->sys.cache->cpu[c->id].stats;
        fprintf(f, ", \"cache_hits\": %" PRIu64 ", \"local_misses\": %" PRIu64
                   ", \"remote_misses\": %" PRIu64 ", \"invalidation_misses\": %" PRIu64
                   ", \"upgrades\": %" PRIu64,
                s->hits, s->local_misses, s->remote_misses, s->inval_misses, s->upgrades);
    }
    if (c->storm.stopped)
        fprintf(f, ", \"stopped_by\": \"exception-storm\", \"storm_pc\": \"0x%08" PRIx32 "\"",
                c->storm.last_pc);
    fprintf(f, ", \"exceptions\": {");
    const char *sep = "";
    for (int e = 0; e < 32; e++) {
        if (!c->stats.exceptions[e])
            continue;
        fprintf(f, "%s\"%s\": %" PRIu64, sep, cpu_exc_name(e), c->stats.exceptions[e]);
        sep = ", ";
    }
    fprintf(f, "}}");
}

void machine_write_stats(const machine *m, FILE *f)
{
    fprintf(f, "{\n  \"clock_hz\": %" PRIu64 ",\n  \"simulated_cycles\": %" PRIu64
               ",\n  \"simulated_seconds\": %.9f,\n  \"instructions\": %" PRIu64
               ",\n  \"halt_reason\": \"%s\",\n  \"exit_code\": %d,\n",
            m->cfg.clock_hz, m->now, (double)m->now / (double)m->cfg.clock_hz,
            m->total_insns, m->halt_reason ? m->halt_reason : "none", m->exit_code);
    if (m->board_stats)
        m->board_stats(m->board_ctx, f);
    fprintf(f, "  \"cpus\": [\n");
    for (int i = 0; i < m->ncpus; i++) {
        machine_write_cpu(m, m->cpus[i], f);
        fprintf(f, "%s\n", i + 1 < m->ncpus ? "," : "");
    }
    fprintf(f, "  ]\n}\n");
}
