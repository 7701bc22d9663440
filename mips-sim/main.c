/* main.c - the mips-sim command: parse options, build a board, run, report. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mips-sim/board_test.h"
#include "mips-sim/cpu.h"
#include "mips-sim/elf.h"
#include "mips-sim/machine.h"

typedef struct sim_options {
    machine_config cfg;
    uint64_t mem_bytes;
    const char *program;
    const char *stats_path;
    const char *trace_path;
    bool quiet;
} sim_options;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: mips-sim [options] program.elf\n"
        "Runs a bare-metal MIPS32r2 little-endian ELF on the simulated test board.\n"
        "\n"
        "  --cpus N          number of CPUs, 1..64 (default 1)\n"
        "  --mem SIZE        RAM size, e.g. 64M (default 64M, at most 496M)\n"
        "  --tlb N           TLB dual entries per CPU, 1..64 (default 64)\n"
        "  --clock HZ        CPU clock, e.g. 200M (default 200M)\n"
        "  --quantum N       cycles each CPU runs before the next one's turn (default 1000)\n"
        "  --max-insns N     stop after N instructions in all (exit status 3)\n"
        "  --trace FILE      write an instruction trace (cpu, count, pc, word, disassembly)\n"
        "  --stats FILE      write run statistics as JSON ('-' for stdout)\n"
        "  -q, --quiet       no summary line on stderr\n"
        "  -h, --help        this help\n"
        "\n"
        "Exit status: the program's exit-device value; 2 for bad input; 3 when the\n"
        "instruction limit stopped the run; 4 when every CPU waits with nothing to wake it.\n");
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

/* A number with an optional K/M/G suffix (powers of 1024 for sizes, 1000 for clocks). */
static uint64_t parse_num(const char *opt, const char *s, uint64_t unit, uint64_t lo,
                          uint64_t hi)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    uint64_t mul = 1;
    if (*end == 'K' || *end == 'k') mul = unit, end++;
    else if (*end == 'M' || *end == 'm') mul = unit * unit, end++;
    else if (*end == 'G' || *end == 'g') mul = unit * unit * unit, end++;
    if (errno || end == s || *end || s[0] == '-' || v > UINT64_MAX / mul || v * mul < lo ||
        v * mul > hi)
        die("bad value for %s: '%s' (expected %" PRIu64 "..%" PRIu64 ")", opt, s, lo, hi);
    return v * mul;
}

static void parse_args(int argc, char **argv, sim_options *o)
{
    enum { O_CPUS = 256, O_MEM, O_TLB, O_CLOCK, O_QUANTUM, O_MAXI, O_TRACE, O_STATS };
    static const struct option longopts[] = {
        { "cpus", required_argument, 0, O_CPUS }, { "mem", required_argument, 0, O_MEM },
        { "tlb", required_argument, 0, O_TLB }, { "clock", required_argument, 0, O_CLOCK },
        { "quantum", required_argument, 0, O_QUANTUM },
        { "max-insns", required_argument, 0, O_MAXI },
        { "trace", required_argument, 0, O_TRACE }, { "stats", required_argument, 0, O_STATS },
        { "quiet", no_argument, 0, 'q' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
    };
    machine_config_defaults(&o->cfg);
    o->mem_bytes = 64u << 20;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (ch) {
        case O_CPUS: o->cfg.ncpus = (int)parse_num("--cpus", optarg, 1, 1, MACHINE_MAX_CPUS); break;
        case O_MEM: o->mem_bytes = parse_num("--mem", optarg, 1024, 1u << 20, BOARD_TEST_MAX_RAM); break;
        case O_TLB: o->cfg.tlb_entries = (int)parse_num("--tlb", optarg, 1, 1, 64); break;
        case O_CLOCK: o->cfg.clock_hz = parse_num("--clock", optarg, 1000, 1000, 100000000000ull); break;
        case O_QUANTUM: o->cfg.quantum = (uint32_t)parse_num("--quantum", optarg, 1000, 1, 100000000); break;
        case O_MAXI: o->cfg.max_insns = parse_num("--max-insns", optarg, 1000, 1, UINT64_MAX / 2); break;
        case O_TRACE: o->trace_path = optarg; break;
        case O_STATS: o->stats_path = optarg; break;
        case 'q': o->quiet = true; break;
        case 'h': usage(stdout); exit(0);
        default:
            die("unknown or incomplete option '%s' (try --help)", argv[optind - 1]);
        }
    }
    if (o->mem_bytes & 0xfff)
        die("bad value for --mem: must be a multiple of 4K");
    if (optind != argc - 1)
        die(optind >= argc ? "no program given (try --help)" : "more than one program given");
    o->program = argv[optind];
}

static void write_stats(const machine *m, const char *path)
{
    if (!path)
        return;
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    if (!f)
        die("cannot write stats to %s: %s", path, strerror(errno));
    machine_write_stats(m, f);
    if (f != stdout)
        fclose(f);
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
    if (board_test_setup(&bt, &m, o.mem_bytes, stdout) < 0)
        die("cannot set up %" PRIu64 " bytes of RAM", o.mem_bytes);

    elf_image img;
    char err[300];
    if (elf_load(&m.bus, o.program, &img, err, sizeof(err)) < 0)
        die("%s", err);
    machine_start(&m, img.entry);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = machine_run(&m);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fflush(stdout);

    double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    if (!o.quiet)
        fprintf(stderr, "mips-sim: %s (status %d) after %" PRIu64 " instructions, %.6f s simulated, %.3f s host, %.1f MIPS\n",
                m.halt_reason, rc, m.total_insns, machine_seconds(&m), wall,
                wall > 0 ? (double)m.total_insns / wall / 1e6 : 0.0);
    write_stats(&m, o.stats_path);
    if (trace)
        fclose(trace);
    board_test_destroy(&bt);
    machine_destroy(&m);
    return rc;
}
