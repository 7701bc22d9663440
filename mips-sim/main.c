/* main.c - the mips-sim command: parse options, build a board, run, report. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mips-sim/arch.h"
#include "mips-sim/boards/board_malta.h"
#include "mips-sim/boards/board_numa.h"
#include "mips-sim/boards/board_test.h"
#include "mips-sim/cpu/cpu.h"
#include "mips-sim/boards/elf.h"
#include "mips-sim/machine.h"
#include "mips-sim/mem/cache.h"

typedef struct sim_options {
    machine_config cfg;
    uint64_t mem_bytes;
    const char *program;
    const char *stats_path;
    const char *trace_path;
    const char *hot_log_path;
    bool quiet;
    bool numa;                  /* --board numa */
    bool malta;                 /* --board malta */
    const char *kernel, *initrd, *append, *console_log;
    bool cpus_given, mem_given;
    board_numa_config ncfg;
} sim_options;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: mips-sim [options] program.elf\n"
        "       mips-sim --board malta --kernel vmlinux [--initrd FILE] [--append STR] [options]\n"
        "Runs a bare-metal MIPS32r2 little-endian ELF on the simulated test board or the\n"
        "NUMA board, or boots a Linux kernel on the Malta board.\n"
        "\n"
        "  --cpus N          number of CPUs, 1..64 (default 1)\n"
        "  --mem SIZE        RAM size, e.g. 64M (default 64M, at most 496M)\n"
        "  --tlb N           TLB dual entries per CPU, 1..64 (default 64)\n"
        "  --clock HZ        CPU clock, e.g. 200M (default 200M)\n"
        "  --quantum N       cycles each CPU runs before the next one's turn (default 1000)\n"
        "  --max-insns N     stop after N instructions in all (exit status 3)\n"
        "  --trace FILE      write an instruction trace (cpu, count, pc, word, disassembly)\n"
        "  --trace-start N   start the trace after about N instructions\n"
        "  --engine NAME     jit (default): blocks compiled to x86-64 code; blocks:\n"
        "                    pre-decoded blocks, threaded; interp: decode every\n"
        "                    instruction. Same results (the cache model's too);\n"
        "                    for cross-checking\n"
        "  --jit-space SIZE  host code space of the JIT (default 128M); when it is\n"
        "                    full, all compiled code is dropped and compiled again\n"
        "  --stats FILE      write run statistics as JSON ('-' for stdout)\n"
        "  -q, --quiet       no summary line on stderr\n"
        "  --board NAME      test (default): RAM, UART, exit and IPI devices;\n"
        "                    numa: the ccNUMA board (nodes of CPUs and memory, cache model);\n"
        "                    malta: a Malta-compatible board for stock Linux (one CPU)\n"
        "\n"
        "Malta board (--board malta; see docs/malta.md):\n"
        "  --kernel FILE     the kernel ELF (e.g. Debian's vmlinuz-*-4kc-malta)\n"
        "  --initrd FILE     initramfs handed to the kernel\n"
        "  --append STR      kernel command line\n"
        "  --console-log F   also write the serial console to file F\n"

        "  (--mem 32M..256M, default 128M; guest power-off ends the run with status 0)\n"
        "\n"
        "NUMA board (--board numa; see mips-sim/boards/board_numa.h):\n"
        "  --nodes N         nodes, 1..16 (default 4)\n"
        "  --cpus-per-node C CPUs per node (default 2; nodes * C <= 64)\n"
        "  --mem-per-node S  memory per node (default 64M; node i holds [i*S, (i+1)*S))\n"
        "  --cache-size S    per-CPU cache size (default 1M)\n"
        "  --cache-line B    line size (default 128)\n"
        "  --cache-assoc W   associativity (default 2)\n"
        "  --local-ns N      local miss latency (default 300)\n"
        "  --remote-ns N     remote miss latency (default 900)\n"
        "  --uma             charge every miss the local latency (the ideal UMA machine)\n"
        "  --no-cache-model  no caches, no stalls, no hot-page counters\n"
        "  --hot-threshold N misses from one node that make a page hot (default 64)\n"
        "  --hot-reset-us N  counter reset interval in simulated microseconds (default 10000)\n"
        "  --hot-sample K    count only every K-th miss per CPU (default 1)\n"
        "  --hot-log FILE    write one line per hot-page event\n"
        "  -h, --help        this help\n"
        "\n"
        "Exit status: the program's exit-device value; 2 for bad input; 3 when the\n"
        "instruction limit stopped the run, or every CPU was stopped by an exception storm\n"
        "(100000 exceptions in a row without a completed instruction); 4 when every CPU\n"
        "waits with nothing to wake it.\n");
}

static int die(const char *fmt, ...)
{
    va_list ap;
    fputs("mips-sim: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

/* A number with an optional K/M/G suffix (powers of 1024 for sizes, 1000 for clocks and
 * cycle counts); unit 1 is a plain count (CPUs, ways, bytes per line...), no suffix. */
static uint64_t parse_num(const char *opt, const char *s, uint64_t unit, uint64_t lo,
                          uint64_t hi)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    uint64_t mul = 1;
    if (unit == 1) {
        /* a plain count: a suffix is left in *end and rejected below */
    } else if (*end == 'K' || *end == 'k') mul = unit, end++;
    else if (*end == 'M' || *end == 'm') mul = unit * unit, end++;
    else if (*end == 'G' || *end == 'g') mul = unit * unit * unit, end++;
    if (errno || end == s || *end || s[0] == '-' || v > UINT64_MAX / mul || v * mul < lo ||
        v * mul > hi)
        die("bad value for %s: '%s' (expected %" PRIu64 "..%" PRIu64 ")", opt, s, lo, hi);
    return v * mul;
}

static void parse_args(int argc, char **argv, sim_options *o)
{
    enum { O_CPUS = 256, O_MEM, O_TLB, O_CLOCK, O_QUANTUM, O_MAXI, O_TRACE, O_STATS,
           O_BOARD, O_NODES, O_CPN, O_MPN, O_CSIZE, O_CLINE, O_CASSOC, O_LNS, O_RNS, O_UMA,
           O_NOCACHE, O_HTHR, O_HRESET, O_HSAMPLE, O_HLOG, O_KERNEL, O_INITRD, O_APPEND, O_TSTART, O_CLOG, O_ENGINE, O_JITSPACE };
    static const struct option longopts[] = {
        { "cpus", required_argument, 0, O_CPUS }, { "mem", required_argument, 0, O_MEM },
        { "tlb", required_argument, 0, O_TLB }, { "clock", required_argument, 0, O_CLOCK },
        { "quantum", required_argument, 0, O_QUANTUM },
        { "max-insns", required_argument, 0, O_MAXI },
        { "trace", required_argument, 0, O_TRACE }, { "stats", required_argument, 0, O_STATS },
        { "quiet", no_argument, 0, 'q' }, { "help", no_argument, 0, 'h' },
        { "board", required_argument, 0, O_BOARD }, { "nodes", required_argument, 0, O_NODES },
        { "cpus-per-node", required_argument, 0, O_CPN },
        { "mem-per-node", required_argument, 0, O_MPN },
        { "cache-size", required_argument, 0, O_CSIZE },
        { "cache-line", required_argument, 0, O_CLINE },
        { "cache-assoc", required_argument, 0, O_CASSOC },
        { "local-ns", required_argument, 0, O_LNS }, { "remote-ns", required_argument, 0, O_RNS },
        { "uma", no_argument, 0, O_UMA }, { "no-cache-model", no_argument, 0, O_NOCACHE },
        { "hot-threshold", required_argument, 0, O_HTHR },
        { "hot-reset-us", required_argument, 0, O_HRESET },
        { "hot-sample", required_argument, 0, O_HSAMPLE },
        { "hot-log", required_argument, 0, O_HLOG },
        { "kernel", required_argument, 0, O_KERNEL }, { "initrd", required_argument, 0, O_INITRD },
        { "append", required_argument, 0, O_APPEND },
        { "trace-start", required_argument, 0, O_TSTART },
        { "console-log", required_argument, 0, O_CLOG },
        { "engine", required_argument, 0, O_ENGINE },
        { "jit-space", required_argument, 0, O_JITSPACE }, { 0, 0, 0, 0 },
    };
    board_numa_config *n = &o->ncfg;
    uint64_t reset_us = 10000;
    machine_config_defaults(&o->cfg);
    o->mem_bytes = 64u << 20;
    board_numa_config_defaults(&o->ncfg, o->cfg.clock_hz);
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (ch) {
        case O_CPUS:
            o->cfg.ncpus = (int)parse_num("--cpus", optarg, 1, 1, MACHINE_MAX_CPUS);
            o->cpus_given = true;
            break;
        case O_MEM:
            o->mem_bytes = parse_num("--mem", optarg, 1024, BOARD_RAM_GRAIN, BOARD_TEST_MAX_RAM);
            o->mem_given = true;
            break;
        case O_BOARD:
            o->numa = strcmp(optarg, "numa") == 0;
            o->malta = strcmp(optarg, "malta") == 0;
            if (!o->numa && !o->malta && strcmp(optarg, "test") != 0)
                die("unknown board '%s' (expected test, numa or malta)", optarg);
            break;
        case O_NODES: n->nodes = (int)parse_num("--nodes", optarg, 1, 1, 16); break;
        case O_CPN: n->cpus_per_node = (int)parse_num("--cpus-per-node", optarg, 1, 1, 64); break;
        case O_MPN: n->mem_per_node = parse_num("--mem-per-node", optarg, 1024, BOARD_RAM_GRAIN, BOARD_TEST_DEV_BASE); break;
        case O_CSIZE: n->cache.size = (uint32_t)parse_num("--cache-size", optarg, 1024, 1024, 1u << 30); break;
        case O_CLINE: n->cache.line = (uint32_t)parse_num("--cache-line", optarg, 1, 16, ARCH_PAGE_SIZE); break;
        case O_CASSOC: n->cache.assoc = (uint32_t)parse_num("--cache-assoc", optarg, 1, 1, 64); break;
        case O_LNS: n->cache.local_ns = (uint32_t)parse_num("--local-ns", optarg, 1, 0, 1000000); break;
        case O_RNS: n->cache.remote_ns = (uint32_t)parse_num("--remote-ns", optarg, 1, 0, 1000000); break;
        case O_UMA: n->cache.uma = true; break;
        case O_NOCACHE: n->cache_model = false; break;
        case O_HTHR: n->hot.threshold = (uint32_t)parse_num("--hot-threshold", optarg, 1, 1, 1u << 30); break;
        case O_HRESET: reset_us = parse_num("--hot-reset-us", optarg, 1000, 1, 1000000000ull); break;
        case O_HSAMPLE: n->hot.sample = (uint32_t)parse_num("--hot-sample", optarg, 1, 1, 1u << 20); break;
        case O_HLOG: o->hot_log_path = optarg; break;
        case O_KERNEL: o->kernel = optarg; break;
        case O_INITRD: o->initrd = optarg; break;
        case O_APPEND: o->append = optarg; break;
        case O_CLOG: o->console_log = optarg; break;

        case O_TLB: o->cfg.tlb_entries = (int)parse_num("--tlb", optarg, 1, 1, 64); break;
        case O_CLOCK: o->cfg.clock_hz = parse_num("--clock", optarg, 1000, 1000, 100000000000ull); break;
        case O_QUANTUM: o->cfg.quantum = (uint32_t)parse_num("--quantum", optarg, 1000, 1, 100000000); break;
        case O_MAXI: o->cfg.max_insns = parse_num("--max-insns", optarg, 1000, 1, UINT64_MAX / 2); break;
        case O_TRACE: o->trace_path = optarg; break;
        case O_TSTART: o->cfg.trace_start = parse_num("--trace-start", optarg, 1000, 0, UINT64_MAX / 2); break;
        case O_STATS: o->stats_path = optarg; break;
        case O_ENGINE:
            if (strcmp(optarg, "jit") == 0)
                o->cfg.engine = ENGINE_JIT;
            else if (strcmp(optarg, "blocks") == 0)
                o->cfg.engine = ENGINE_BLOCKS;
            else if (strcmp(optarg, "interp") == 0)
                o->cfg.engine = ENGINE_INTERP;
            else
                die("unknown engine '%s' (expected jit, blocks or interp)", optarg);
            break;
        case O_JITSPACE:
            o->cfg.jit_bytes = parse_num("--jit-space", optarg, 1024, 64u << 10, 1u << 30);
            break;
        case 'q': o->quiet = true; break;
        case 'h': usage(stdout); exit(0);
        default:
            die("unknown or incomplete option '%s' (try --help)", argv[optind - 1]);
        }
    }
    if (o->mem_bytes & ARCH_PAGE_MASK)
        die("bad value for --mem: must be a multiple of 4K");
    n->hot.reset_cycles = reset_us * (o->cfg.clock_hz / 1000000);
    if (n->hot.reset_cycles == 0)
        n->hot.reset_cycles = 1;
    if (o->numa) {
        if (o->cpus_given || o->mem_given)
            die("--cpus and --mem do not apply to --board numa (use --nodes, --cpus-per-node, --mem-per-node)");
        const char *why = board_numa_check(n);
        if (why)
            die("bad NUMA configuration: %s", why);
        char shape[160];
        if (n->cache_model && cache_config_check(&n->cache, shape, sizeof(shape)))
            die("bad cache shape: %s", shape);
        o->cfg.ncpus = n->nodes * n->cpus_per_node;
    }
    if (o->malta) {
        if (!o->kernel)
            die("--board malta needs --kernel FILE");
        if (optind != argc)
            die("--board malta takes no program argument (use --kernel)");
        if (o->cfg.ncpus != 1)
            die("--board malta has one CPU");
        if (!o->mem_given)
            o->mem_bytes = MALTA_DEFAULT_MEM;
        if (o->mem_bytes < MALTA_MIN_MEM || o->mem_bytes > MALTA_MAX_MEM)
            die("bad value for --mem: the Malta board takes 32M..256M");
        return;
    }
    if (o->kernel || o->initrd || o->append || o->console_log)
        die("--kernel, --initrd, --append and --console-log need --board malta");
    if (optind != argc - 1)
        die(optind >= argc ? "no program given (try --help)" : "more than one program given");
    o->program = argv[optind];
}

/* Opened before the run, so that a path we cannot write is bad input, not a lost run. */
static FILE *open_stats(const char *path)
{
    if (!path)
        return NULL;
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    if (!f)
        die("cannot write stats to %s: %s", path, strerror(errno));
    return f;
}

static void write_stats(const machine *m, FILE *f)
{
    if (!f)
        return;
    machine_write_stats(m, f);
    if (f != stdout)
        fclose(f);
}

static bool same_storm(const cpu_storm *a, const cpu_storm *b)
{
    return a->first_pc == b->first_pc && a->first_code == b->first_code &&
           a->last_pc == b->last_pc && a->last_code == b->last_code;
}

/* One line per exception storm (cpu/cpu.h) that stopped CPUs: which CPUs (those that looped
 * the same way share the line), where they looped, and what began it. */
static void report_storms(const machine *m)
{
    bool told[MACHINE_MAX_CPUS] = { false };
    for (int i = 0; i < m->ncpus; i++) {
        const cpu_storm *s = &m->cpus[i]->storm;
        if (!s->stopped || told[i])
            continue;
        char who[MACHINE_MAX_CPUS * 4] = "";
        int n = 0;
        for (int j = i; j < m->ncpus; j++)
            if (m->cpus[j]->storm.stopped && same_storm(s, &m->cpus[j]->storm)) {
                told[j] = true;
                n++;
                snprintf(who + strlen(who), sizeof(who) - strlen(who), "%s%d", j > i ? "," : "", j);
            }
        fprintf(stderr, "mips-sim: cpu%s %s: exception storm: %" PRIu64 " consecutive exceptions "
                        "without a completed instruction at pc 0x%08x (%s; the first: %s at pc "
                        "0x%08x); stopped\n",
                n > 1 ? "s" : "", who, s->streak, s->last_pc, cpu_exc_name(s->last_code),
                cpu_exc_name(s->first_code), s->first_pc);
    }
}

int main(int argc, char **argv)
{
    sim_options o = { 0 };
    parse_args(argc, argv, &o);

    FILE *trace = NULL;
    if (o.trace_path && !(trace = fopen(o.trace_path, "w")))
        die("cannot open trace file %s: %s", o.trace_path, strerror(errno));
    o.cfg.trace = trace;

    static machine m;
    if (machine_init(&m, &o.cfg) < 0)
        die("cannot create a machine with %d CPUs", o.cfg.ncpus);
    board_test bt;
    static board_numa bn;
    FILE *hot_log = NULL;
    if (o.hot_log_path && !(hot_log = fopen(o.hot_log_path, "w")))
        die("cannot open hot-page log %s: %s", o.hot_log_path, strerror(errno));
    o.ncfg.hot_log = hot_log;
    uint32_t entry = 0;
    FILE *console_log = NULL;
    if (o.console_log && !(console_log = fopen(o.console_log, "w")))
        die("cannot open console log %s: %s", o.console_log, strerror(errno));
    if (o.malta) {
        malta_options mo = { .kernel = o.kernel, .initrd = o.initrd, .append = o.append,
                             .mem_bytes = o.mem_bytes, .console = stdout,
                             .console_log = console_log };
        int rc = board_malta_setup(&m, &mo, &entry);
        if (rc == -2)
            exit(2); /* the board printed the reason */
        if (rc < 0)
            die("cannot set up the Malta board: %s", strerror(-rc));
    } else if (o.numa) {
        int rc = board_numa_setup(&bn, &m, &o.ncfg, stdout);
        if (rc < 0)
            die("cannot set up the NUMA board: %s", strerror(-rc));
    } else if (board_test_setup(&bt, &m, o.mem_bytes, stdout) < 0) {
        die("cannot set up %" PRIu64 " bytes of RAM", o.mem_bytes);
    }

    if (o.malta) {
        machine_start(&m, entry);
        board_malta_boot_cpu(&m);
    } else {
        elf_image img;
        char err[300];
        if (elf_load(&m.bus, o.program, &img, err, sizeof(err)) < 0)
            die("%s", err);
        machine_start(&m, img.entry);
    }

    FILE *stats = open_stats(o.stats_path);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = machine_run(&m);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fflush(stdout);
    report_storms(&m);

    double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    if (!o.quiet)
        fprintf(stderr, "mips-sim: %s (status %d) after %" PRIu64 " instructions, %.6f s simulated, %.3f s host, %.1f MIPS\n",
                m.halt_reason, rc, m.total_insns, machine_seconds(&m), wall,
                wall > 0 ? (double)m.total_insns / wall / 1e6 : 0.0);
    if (!o.quiet && m.halt_reason && strcmp(m.halt_reason, "insn-limit") == 0)
        for (int i = 0; i < m.ncpus; i++)
            fprintf(stderr, "mips-sim: cpu %d stopped at pc 0x%08x\n", i, m.cpus[i]->pc);
    write_stats(&m, stats);
    if (trace)
        fclose(trace);
    if (o.malta)
        board_malta_destroy(&m);
    else if (o.numa)
        board_numa_destroy(&bn);
    else
        board_test_destroy(&bt);

    if (hot_log)
        fclose(hot_log);
    if (console_log)
        fclose(console_log);
    machine_destroy(&m);
    return rc;
}
