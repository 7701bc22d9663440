/* main.c - the disco command: parse options, build the machine and the VMs, run,
 * report. Every bad input is one error line and exit status 2. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mips-sim/engine/engine.h"
#include "monitor/monitor.h"
#include "numa/policy.h"

#define MAX_VMS 32

#define MAX_POLICY_PARAMS 32

typedef struct disco_options {
    struct mon_config cfg;
    struct mon_costs costs;
    struct vm_config vms[MAX_VMS];
    int nvms;
    const char *stats_path;
    uint64_t slice_us;
    struct numa_policy_kv kv[MAX_POLICY_PARAMS];   /* --policy-param pairs */
} disco_options;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: disco [machine options] --vm SPEC [--vm SPEC ...]\n"
        "Runs virtual machines whose kernels use the Disco guest ABI (monitor/abi.h) on the\n"
        "simulated ccNUMA machine; the monitor owns kernel mode, guests run in supervisor\n"
        "and user mode.\n"
        "\n"
        "  --vm SPEC         a VM: comma-separated key=value, keys:\n"
        "                      name=N      name (default vm0, vm1, ...)\n"
        "                      kernel=K    guest kernel ELF (required)\n"
        "                      mem=SIZE    guest-physical memory, e.g. 32M (default 32M, <= 256M)\n"
        "                      vcpus=N     virtual CPUs (default 1)\n"
        "                      node=K      home node of its vCPUs and memory, or 'spread'\n"
        "                                  (vCPU i on node i mod nodes, memory first-touch);\n"
        "                                  default 0\n"
        "                      initrd=F    file loaded after the kernel (a2/a3 at boot)\n"
        "                      disk=F      raw disk image for virtio-blk (slot 1); shared\n"
        "                                  read-only by every VM naming it, writes go to a\n"
        "                                  private overlay in memory\n"
        "                      cmdline=S   command line (a0 at boot)\n"
        "                      run=CMD     command for the guest's init, appended to the\n"
        "                                  command line as disco.run=\"CMD\" (no '\"')\n"
        "                    A value in double quotes may hold commas: run=\"a, b\"; an\n"
        "                    unquoted cmdline= or run= takes the rest of the spec.\n"
        "  --nodes N         nodes, 1..16 (default 4)\n"
        "  --cpus-per-node C CPUs per node (default 2)\n"
        "  --mem-per-node S  machine memory per node (default 64M)\n"
        "  --cache-size S --cache-line B --cache-assoc W --local-ns N --remote-ns N\n"
        "  --uma --no-cache-model       the cache model, as mips-sim --board numa\n"
        "  --tlb N           real TLB entries per CPU, 2..64 (default 64)\n"
        "  --clock HZ        CPU clock (default 200M)\n"
        "  --quantum N       cycles each CPU runs before the next one's turn (default 1000)\n"
        "  --slice-us N      vCPU time slice when vCPUs wait for a CPU (default 500)\n"
        "  --policy NAME     hot-page policy: disco (default: migrate pages one node uses,\n"
        "                    replicate read-shared ones), migrate-only, replicate-only,\n"
        "                    interleave (gpn mod nodes), none (first touch only),\n"
        "                    autonuma (sampled access faults; scan_pages, scan_period_us)\n"
        "  --policy-lib SO   a policy loaded from a shared object (numa/policy_abi.h)\n"
        "  --policy-param K=V  a policy parameter (repeatable): trigger, sharing,\n"
        "                    max_moves, min_interval for every policy, others its own\n"
        "  --numa-trace FILE one JSON line per hot-page decision\n"
        "  --hot-threshold N misses from one node that make a page hot (default 64)\n"
        "  --flush-on-switch flush the real TLB on every vCPU switch (Disco's scheme)\n"
        "                    instead of a real ASID per (vCPU, guest ASID)\n"
        "  --engine NAME     jit (default), blocks or interp: identical results, as mips-sim\n"
        "  --max-insns N     stop after N instructions in all (exit status 3)\n"
        "  --stats FILE      write statistics as JSON per VM and vCPU ('-': stdout)\n"
        "  --console-dir D   write each VM's console to D/NAME.console instead of stdout\n"
        "  --costs FILE      monitor cost table overrides, one name=cycles a line\n"
        "  --cost NAME=N     one cost override (names: see monitor/costs.h)\n"
        "  -q, --quiet       no summary line on stderr\n"
        "  -h, --help        this help\n"
        "\n"
        "Exit status: 0 when every VM powered off with status 0, else the first nonzero\n"
        "VM status (1 for a VM the monitor stopped); 2 bad input; 3 instruction limit;\n"
        "4 every vCPU waits with nothing to wake it.\n");
}

static _Noreturn void die(const char *fmt, ...)
{
    va_list ap;
    fputs("disco: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

static uint64_t parse_num(const char *opt, const char *s, uint64_t unit, uint64_t lo, uint64_t hi)
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

/* One key=value of a --vm spec; returns true when the rest of the spec was taken. */
static bool parse_vm_key(struct vm_config *vc, char *key, char *val, char *rest)
{
    if (strcmp(key, "name") == 0) {
        if (!*val || strlen(val) >= sizeof vc->name || strpbrk(val, "/ \t"))
            die("bad VM name '%s' (1..31 characters, no '/' or blanks)", val);
        strcpy(vc->name, val);
    } else if (strcmp(key, "kernel") == 0) {
        vc->kernel = val;
    } else if (strcmp(key, "initrd") == 0) {
        vc->initrd = val;
    } else if (strcmp(key, "mem") == 0) {
        vc->mem_bytes = parse_num("mem", val, 1024, 64u << 10, 256u << 20);
    } else if (strcmp(key, "vcpus") == 0) {
        vc->vcpus = (int)parse_num("vcpus", val, 1, 1, 64);
    } else if (strcmp(key, "node") == 0) {
        vc->node = strcmp(val, "spread") == 0 ? -1 : (int)parse_num("node", val, 1, 0, 15);
    } else if (strcmp(key, "disk") == 0) {
        vc->disk = val;
    } else if (strcmp(key, "cmdline") == 0 || strcmp(key, "run") == 0) {
        if (rest)
            val[strlen(val)] = ',';   /* give back the comma parse_vm took */
        *(key[0] == 'c' ? &vc->cmdline : &vc->run) = val;
        return rest != NULL;
    } else {
        die("unknown key '%s' in --vm (expected name, kernel, mem, vcpus, node, initrd, disk, "
            "cmdline, run)", key);
    }
    return false;
}

/* A value in double quotes (commas allowed): cut it out in place; *next is the item after
 * it, or NULL at the end of the spec. */
static char *parse_quoted(const char *key, char *val, char **next)
{
    char *close = strchr(val + 1, '"');
    if (!close || (close[1] && close[1] != ','))
        die("bad --vm value for %s: a value that starts with '\"' must end with '\"' "
            "before the next comma", key);
    *close = 0;
    *next = close[1] ? close + 2 : NULL;
    return val + 1;
}

static void parse_vm(disco_options *o, char *spec)
{
    if (o->nvms == MAX_VMS)
        die("too many --vm (at most %d)", MAX_VMS);
    struct vm_config *vc = &o->vms[o->nvms];
    memset(vc, 0, sizeof *vc);
    snprintf(vc->name, sizeof vc->name, "vm%d", o->nvms);
    vc->mem_bytes = 32u << 20;
    vc->vcpus = 1;
    vc->node = 0;
    char *p = spec;
    while (p && *p) {
        char *comma = strchr(p, ','), *eq = strchr(p, '='), *next;
        if (!eq || (comma && comma < eq)) {
            if (comma)
                *comma = 0;
            die("bad --vm item '%s' (expected key=value)", p);
        }
        *eq = 0;
        if (eq[1] == '"') {
            parse_vm_key(vc, p, parse_quoted(p, eq + 1, &next), NULL);
        } else {
            comma = strchr(eq + 1, ',');
            if (comma)
                *comma = 0;
            if (parse_vm_key(vc, p, eq + 1, comma ? comma + 1 : NULL))
                break;
            next = comma ? comma + 1 : NULL;
        }
        p = next;
    }
    if (!vc->kernel)
        die("--vm %s: no kernel=FILE", vc->name);
    for (int i = 0; i < o->nvms; i++)
        if (strcmp(o->vms[i].name, vc->name) == 0)
            die("two VMs are named '%s'", vc->name);
    o->nvms++;
}

enum { O_NODES = 256, O_CPN, O_MPN, O_CSIZE, O_CLINE, O_CASSOC, O_LNS, O_RNS, O_UMA, O_NOCACHE,
       O_TLB, O_CLOCK, O_QUANTUM, O_SLICE, O_FLUSH, O_ENGINE, O_MAXI, O_STATS, O_CDIR, O_COSTS,
       O_COST, O_VM, O_POLICY, O_HTHR, O_PLIB, O_PPARAM, O_NTRACE };

static const struct option longopts[] = {
    { "nodes", required_argument, 0, O_NODES }, { "cpus-per-node", required_argument, 0, O_CPN },
    { "mem-per-node", required_argument, 0, O_MPN },
    { "cache-size", required_argument, 0, O_CSIZE }, { "cache-line", required_argument, 0, O_CLINE },
    { "cache-assoc", required_argument, 0, O_CASSOC }, { "local-ns", required_argument, 0, O_LNS },
    { "remote-ns", required_argument, 0, O_RNS }, { "uma", no_argument, 0, O_UMA },
    { "no-cache-model", no_argument, 0, O_NOCACHE }, { "tlb", required_argument, 0, O_TLB },
    { "clock", required_argument, 0, O_CLOCK }, { "quantum", required_argument, 0, O_QUANTUM },
    { "slice-us", required_argument, 0, O_SLICE }, { "flush-on-switch", no_argument, 0, O_FLUSH },
    { "engine", required_argument, 0, O_ENGINE }, { "max-insns", required_argument, 0, O_MAXI },
    { "stats", required_argument, 0, O_STATS }, { "console-dir", required_argument, 0, O_CDIR },
    { "costs", required_argument, 0, O_COSTS }, { "cost", required_argument, 0, O_COST },
    { "vm", required_argument, 0, O_VM }, { "quiet", no_argument, 0, 'q' },
    { "policy", required_argument, 0, O_POLICY }, { "hot-threshold", required_argument, 0, O_HTHR },
    { "policy-lib", required_argument, 0, O_PLIB },
    { "policy-param", required_argument, 0, O_PPARAM },
    { "numa-trace", required_argument, 0, O_NTRACE },
    { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
};

static void parse_engine(machine_config *m, const char *s)
{
    if (strcmp(s, "jit") == 0) m->engine = ENGINE_JIT;
    else if (strcmp(s, "blocks") == 0) m->engine = ENGINE_BLOCKS;
    else if (strcmp(s, "interp") == 0) m->engine = ENGINE_INTERP;
    else die("unknown engine '%s' (expected jit, blocks or interp)", s);
}

static void parse_policy_param(disco_options *o, char *arg)
{
    if (o->cfg.policy_nkv == MAX_POLICY_PARAMS)
        die("too many --policy-param (at most %d)", MAX_POLICY_PARAMS);
    if (numa_policy_kv_parse(arg, &o->kv[o->cfg.policy_nkv]))
        die("bad --policy-param '%s' (expected KEY=VALUE)", arg);
    o->cfg.policy_kv = o->kv;
    o->cfg.policy_nkv++;
}

static void parse_option(disco_options *o, int ch, char *arg)
{
    board_numa_config *n = &o->cfg.board;
    machine_config *m = &o->cfg.machine;
    char err[300];
    switch (ch) {
    case O_NODES: n->nodes = (int)parse_num("--nodes", arg, 1, 1, 16); break;
    case O_CPN: n->cpus_per_node = (int)parse_num("--cpus-per-node", arg, 1, 1, 64); break;
    case O_MPN: n->mem_per_node = parse_num("--mem-per-node", arg, 1024, 1u << 20, 0x1f000000u); break;
    case O_CSIZE: n->cache.size = (uint32_t)parse_num("--cache-size", arg, 1024, 1024, 1u << 30); break;
    case O_CLINE: n->cache.line = (uint32_t)parse_num("--cache-line", arg, 1, 16, 4096); break;
    case O_CASSOC: n->cache.assoc = (uint32_t)parse_num("--cache-assoc", arg, 1, 1, 64); break;
    case O_LNS: n->cache.local_ns = (uint32_t)parse_num("--local-ns", arg, 1, 0, 1000000); break;
    case O_RNS: n->cache.remote_ns = (uint32_t)parse_num("--remote-ns", arg, 1, 0, 1000000); break;
    case O_UMA: n->cache.uma = true; break;
    case O_NOCACHE: n->cache_model = false; break;
    case O_TLB: m->tlb_entries = (int)parse_num("--tlb", arg, 1, 2, 64); break;
    case O_CLOCK: m->clock_hz = parse_num("--clock", arg, 1000, 1000000, 100000000000ull); break;
    case O_QUANTUM: m->quantum = (uint32_t)parse_num("--quantum", arg, 1000, 1, 100000000); break;
    case O_SLICE: o->slice_us = parse_num("--slice-us", arg, 1000, 1, 10000000); break;
    case O_FLUSH: o->cfg.flush_on_switch = true; break;
    case O_ENGINE: parse_engine(m, arg); break;
    case O_MAXI: m->max_insns = parse_num("--max-insns", arg, 1000, 1, UINT64_MAX / 2); break;
    case O_STATS: o->stats_path = arg; break;
    case O_CDIR: o->cfg.console_dir = arg; break;
    case O_COSTS: if (mon_costs_load(&o->costs, arg, err, sizeof err)) die("%s", err); break;
    case O_COST: if (mon_costs_set(&o->costs, arg, err, sizeof err)) die("%s", err); break;
    case O_VM: parse_vm(o, arg); break;
    case O_POLICY:
        if (!numa_policy_ops_by_name(arg))
            die("unknown --policy '%s' (%s)", arg, numa_policy_builtin_names());
        o->cfg.policy = arg;
        break;
    case O_PLIB: o->cfg.policy_lib = arg; break;
    case O_PPARAM: parse_policy_param(o, arg); break;
    case O_NTRACE: o->cfg.numa_trace = arg; break;
    case O_HTHR: n->hot.threshold = (uint32_t)parse_num("--hot-threshold", arg, 1, 2, 1u << 30); break;
    case 'q': o->cfg.quiet = true; break;
    case 'h': usage(stdout); exit(0);
    default: die("unknown or incomplete option '%s' (try --help)", arg);
    }
}

static void parse_args(int argc, char **argv, disco_options *o)
{
    mon_config_defaults(&o->cfg);
    mon_costs_defaults(&o->costs);
    o->slice_us = 500;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, "qh", longopts, NULL)) != -1)
        parse_option(o, ch, ch == '?' || ch == ':' ? argv[optind - 1] : optarg);
    if (optind != argc)
        die("unexpected argument '%s' (VMs are given with --vm)", argv[optind]);
    if (o->nvms == 0)
        die("no VM given (try --help)");
    const char *why = board_numa_check(&o->cfg.board);
    if (why)
        die("bad NUMA configuration: %s", why);
    if (o->cfg.policy_lib && o->cfg.policy)
        die("--policy and --policy-lib exclude each other");
    o->cfg.slice_cycles = o->slice_us * (o->cfg.machine.clock_hz / 1000000);
    o->cfg.board.hot.reset_cycles = 10000 * (o->cfg.machine.clock_hz / 1000000);
}

static FILE *open_stats(const char *path)
{
    if (!path)
        return NULL;
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    if (!f)
        die("cannot write stats to %s: %s", path, strerror(errno));
    return f;
}

int main(int argc, char **argv)
{
    static disco_options o;
    setvbuf(stdout, NULL, _IOLBF, 0);      /* consoles line by line, even into a pipe */
    parse_args(argc, argv, &o);
    FILE *stats = open_stats(o.stats_path);
    struct mon *mon;
    char err[512];
    if (mon_create(&mon, &o.cfg, &o.costs, stdout, err, sizeof err))
        die("%s", err);
    for (int i = 0; i < o.nvms; i++)
        if (mon_add_vm(mon, &o.vms[i], err, sizeof err)) {
            mon_destroy(mon);
            die("%s", err);
        }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = mon_run(mon);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    machine *m = mon_machine(mon);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    if (!o.cfg.quiet)
        fprintf(stderr, "disco: %s (status %d) after %" PRIu64 " instructions, %.6f s simulated, %.3f s host\n",
                m->halt_reason ? m->halt_reason : "none", rc, m->total_insns,
                machine_seconds(m), wall);
    if (stats) {
        mon_write_stats(mon, stats);
        if (stats != stdout)
            fclose(stats);
    }
    mon_destroy(mon);
    return rc;
}
