/*
 * mini-ref.c - the host reference for the mini kernel's workload: computes, on a
 * flat array with no paging, preemption or user mode, the checksum every process must
 * exit with, and their total (guest/mini/work.h).
 *
 *   mini-ref [nproc=N] [ws=SIZE] [iters=N] [seed=N] [other=...]
 *       prints "proc <pid> checksum <hex>" per process and "total checksum <hex>",
 *       the kernel's own lines for the same parameters
 *   mini-ref --cmdline [words...]
 *       prints the words followed by expect=<total>: a checked command line
 * Words the checksums do not depend on (mem=, hz=, calls=, nodes=, expect=) are accepted and
 * ignored.
 * Bad input: one line on stderr, exit status 2.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest/mini/work.h"

#define REF_PAGE_BYTES 4096u

typedef struct ref_params {
    uint32_t nproc, ws, iters, seed;
} ref_params;

static void ref_die(const char *what, const char *word)
{
    fprintf(stderr, "mini-ref: %s '%s'\n", what, word);
    exit(2);
}

static uint32_t ref_number(const char *word, const char *s, uint32_t lo, uint32_t hi)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    if (end == s || s[0] == '-')
        ref_die("bad number in", word);
    if (*end == 'K' || *end == 'k')
        v *= 1024, end++;
    else if (*end == 'M' || *end == 'm')
        v *= 1024 * 1024, end++;
    if (*end || v < lo || v > hi)
        ref_die("bad value in", word);
    return (uint32_t)v;
}

static void ref_word(ref_params *p, const char *w)
{
    static const struct { const char *key; size_t off; uint32_t lo, hi; } keys[] = {
        { "nproc=", offsetof(ref_params, nproc), 1, 64 },
        { "ws=", offsetof(ref_params, ws), REF_PAGE_BYTES, 4u << 20 },
        { "iters=", offsetof(ref_params, iters), 1, 100000 },
        { "seed=", offsetof(ref_params, seed), 0, 0xffffffffu },
    };
    static const char *const ignored[] = { "mem=", "hz=", "expect=", "calls=", "nodes=" };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strncmp(w, keys[i].key, strlen(keys[i].key))) {
            uint32_t v = ref_number(w, w + strlen(keys[i].key), keys[i].lo, keys[i].hi);
            *(uint32_t *)((char *)p + keys[i].off) = v;
            if (keys[i].off == offsetof(ref_params, ws) && v % REF_PAGE_BYTES)
                ref_die("working set not a page multiple in", w);
            return;
        }
    for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++)
        if (!strncmp(w, ignored[i], strlen(ignored[i])))
            return;
    ref_die("unknown word", w);
}

int main(int argc, char **argv)
{
    ref_params p = { 8, 1u << 20, 64, 1 };
    int cmdline = argc > 1 && !strcmp(argv[1], "--cmdline");
    for (int i = 1 + cmdline; i < argc; i++)
        ref_word(&p, argv[i]);
    uint32_t npages = p.ws / REF_PAGE_BYTES, total = 0;
    uint32_t *mem = malloc(p.ws);
    if (!mem) {
        fprintf(stderr, "mini-ref: out of memory\n");
        return 2;
    }
    for (uint32_t pid = 1; pid <= p.nproc; pid++) {
        memset(mem, 0, p.ws);
        uint32_t sum = work_process(mem, npages, p.iters, pid, p.seed);
        total += sum;
        if (!cmdline)
            printf("proc %u checksum %08x\n", pid, sum);
    }
    free(mem);
    if (cmdline) {
        for (int i = 2; i < argc; i++)
            printf("%s ", argv[i]);
        printf("expect=0x%08x\n", total);
    } else {
        printf("total checksum %08x\n", total);
    }
    return 0;
}
