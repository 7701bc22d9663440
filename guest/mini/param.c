/* param.c - the command line (see param.h), parsed through a table of keys. */
#include "guest/mini/param.h"

#include <stddef.h>

#include "guest/mini/klib.h"
#include "guest/mini/layout.h"
#include "guest/mini/page.h"

#define PARAM_KEY_MAX 16

params mini_params;

typedef struct param_key {
    const char *name;
    size_t off;             /* offset of the uint32_t in struct params */
    uint32_t lo, hi, step;  /* accepted range, and the value must be a multiple of step */
    size_t flag;            /* offset of a "given" flag, or 0 */
} param_key;

#define PK(f) offsetof(params, f)
static const param_key param_keys[] = {
    { "nproc", PK(nproc), 1, MINI_MAX_PROCS, 1, 0 },
    { "ws", PK(ws_bytes), 4096, 4u << 20, 4096, 0 },
    { "iters", PK(iters), 1, 100000, 1, 0 },
    { "seed", PK(seed), 0, 0xffffffffu, 1, 0 },
    { "calls", PK(calls), 0, 10000, 1, 0 },
    { "expect", PK(expect), 0, 0xffffffffu, 1, PK(have_expect) },
    { "mem", PK(mem_bytes), 1u << 20, 0xf0000000u, 4096, 0 },
    { "hz", PK(count_hz), 1000, 0xffffffffu, 1, 0 },
    { "nodes", PK(nodes), 1, PAGE_MAX_NODES, 1, 0 },
};

static const params param_defaults = {
    .nproc = 8, .ws_bytes = 1u << 20, .iters = 64, .seed = 1, .calls = 8,
    .mem_bytes = 32u << 20, .count_hz = 100000000u, .nodes = 1,
};

static int param_streq(const char *a, const char *b, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return b[n] == 0;
}

/* A number: decimal or 0x hex, optional K/M suffix. Returns the end, or NULL. */
static const char *param_number(const char *s, uint32_t *out)
{
    uint64_t v = 0;
    unsigned base = 10, digits = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        base = 16, s += 2;
    for (;; s++, digits++) {
        unsigned d;
        if (*s >= '0' && *s <= '9') d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f') d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F') d = (unsigned)(*s - 'A' + 10);
        else break;
        v = v * base + d;
        if (v > 0xffffffffu)
            return NULL;
    }
    if (!digits)
        return NULL;
    uint64_t mul = *s == 'K' || *s == 'k' ? 1024 : *s == 'M' || *s == 'm' ? 1024 * 1024 : 1;
    if (mul > 1)
        s++;
    if (v * mul > 0xffffffffu)
        return NULL;
    *out = (uint32_t)(v * mul);
    return s;
}

static const param_key *param_find(const char *word, unsigned len)
{
    for (unsigned i = 0; i < sizeof param_keys / sizeof param_keys[0]; i++)
        if (param_streq(word, param_keys[i].name, len))
            return &param_keys[i];
    return NULL;
}

int param_parse(params *p, const char *cmdline, char *err, unsigned errsize)
{
    *p = param_defaults;
    const char *s = cmdline ? cmdline : "";
    while (*s) {
        if (*s == ' ' || *s == '\t' || *s == '\n') {
            s++;
            continue;
        }
        unsigned klen = 0;
        while (s[klen] && s[klen] != '=' && s[klen] != ' ')
            klen++;
        const param_key *k = s[klen] == '=' && klen < PARAM_KEY_MAX ? param_find(s, klen) : NULL;
        uint32_t v = 0;
        const char *end = k ? param_number(s + klen + 1, &v) : NULL;
        if (!end || (*end && *end != ' ' && *end != '\t' && *end != '\n') ||
            v < k->lo || v > k->hi || v % k->step) {
            unsigned wlen = 0;
            while (s[wlen] && s[wlen] != ' ')
                wlen++;
            char word[40];
            unsigned n = wlen < sizeof word - 1 ? wlen : sizeof word - 1;
            memcpy(word, s, n);
            word[n] = 0;
            ksnprintf(err, errsize, "bad command-line word '%s'", word);
            return -1;
        }
        *(uint32_t *)((char *)p + k->off) = v;
        if (k->flag)
            *(uint32_t *)((char *)p + k->flag) = 1;
        s = end;
    }
    return 0;
}
