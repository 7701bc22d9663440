/*
 * param.h - the kernel's parameters, from the command line: space-separated key=value
 * words (decimal, 0x hex, or with a K/M suffix for sizes).
 *   nproc=N    user processes, 1..64                         (default 8)
 *   ws=SIZE    working set of each process, 4K..4M, page multiple (default 1M)
 *   iters=N    passes over the working set, 1..100000        (default 64)
 *   seed=N     workload seed                                 (default 1)
 *   calls=N    getpid system calls after each pass, 0..10000   (default 8)
 *   expect=X   expected total checksum (from the host reference, mini-ref); without
 *              it the kernel computes its own reference run and compares each process
 *   mem=SIZE   memory the kernel may use, from physical 0 (bare only; the monitor
 *              passes the VM's size)                         (default 32M)
 *   nodes=N    memory nodes, 1..16: memory is split in N equal ranges and a process
 *              on CPU c takes its pages from node c * N / ncpus (NUMA placement on
 *              the bare board: nodes=K mem=K*S for K nodes of S bytes)   (default 1)
 *   hz=N       Count frequency (CPU clock / 2)               (default 100000000)
 * The bare build's default command line (hal_bare.c) carries expect= for its defaults.
 */
#ifndef MINI_PARAM_H
#define MINI_PARAM_H

#include <stdint.h>

typedef struct params {
    uint32_t nproc, ws_bytes, iters, seed, calls;
    uint32_t expect, have_expect;
    uint32_t mem_bytes, count_hz, nodes;
} params;

extern params mini_params;

/* Parse cmdline into *p (defaults first). 0, or -1 with a one-line reason in err. */
int param_parse(params *p, const char *cmdline, char *err, unsigned errsize);

#endif
