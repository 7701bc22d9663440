/* costs.c - the cost table: defaults, overrides from the command line or a file, and
 * charging the running CPU. */
#include "monitor/costs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/internal.h"

#define MON_COST_DEF(id, nm, d, c, w) [COST_##id] = { .name = nm, .dflt = d, .cat = COST_CAT_##c, .what = w },
const struct mon_cost_def mon_cost_defs[COST_COUNT] = { MON_COSTS(MON_COST_DEF) };

#define MON_COST_CAT_NAME(id, nm) [COST_CAT_##id] = nm,
const char *const mon_cost_cat_names[COST_CAT_COUNT] = { MON_COST_CATS(MON_COST_CAT_NAME) };

#define COST_MAX 100000000u

void mon_costs_defaults(struct mon_costs *c)
{
    for (int i = 0; i < COST_COUNT; i++)
        c->cycles[i] = mon_cost_defs[i].dflt;
}

static int cost_index(const char *name, size_t len)
{
    for (int i = 0; i < COST_COUNT; i++)
        if (strlen(mon_cost_defs[i].name) == len && strncmp(mon_cost_defs[i].name, name, len) == 0)
            return i;
    return -1;
}

int mon_costs_set(struct mon_costs *c, const char *a, char *err, size_t errlen)
{
    const char *eq = strchr(a, '=');
    if (!eq) {
        snprintf(err, errlen, "bad cost '%s' (expected name=cycles)", a);
        return -EINVAL;
    }
    size_t klen = (size_t)(eq - a);
    while (klen && (a[klen - 1] == ' ' || a[klen - 1] == '\t'))
        klen--;
    int i = cost_index(a, klen);
    if (i < 0) {
        snprintf(err, errlen, "unknown cost '%.*s' (see monitor/costs.h)", (int)klen, a);
        return -EINVAL;
    }
    const char *val = eq + 1;
    while (*val == ' ' || *val == '\t')
        val++;
    char *end;
    errno = 0;
    unsigned long v = strtoul(val, &end, 10);
    if (errno || end == val || *end || *val == '-' || *val == '+' || v > COST_MAX) {
        snprintf(err, errlen, "bad value in cost '%s' (expected 0..%u cycles)", a, COST_MAX);
        return -EINVAL;
    }
    c->cycles[i] = (uint32_t)v;
    return 0;
}

/* Strip a comment and surrounding blanks in place. */
static char *cost_line_trim(char *s)
{
    char *hash = strchr(s, '#');
    if (hash)
        *hash = 0;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = 0;
    return s;
}

int mon_costs_load(struct mon_costs *c, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot open cost file %s: %s", path, strerror(errno));
        return -EINVAL;
    }
    char buf[256], sub[200];
    int lineno = 0, rc = 0;
    while (!rc && fgets(buf, sizeof buf, f)) {
        lineno++;
        char *s = cost_line_trim(buf);
        if (*s && mon_costs_set(c, s, sub, sizeof sub) < 0) {
            snprintf(err, errlen, "%s:%d: %s", path, lineno, sub);
            rc = -EINVAL;
        }
    }
    fclose(f);
    return rc;
}

void mon_charge_n(struct pcpu *p, struct vcpu *v, enum mon_cost what, uint64_t times)
{
    uint64_t cyc = (uint64_t)p->mon->costs.cycles[what] * times;
    if (!cyc)
        return;
    cpu_charge_cycles(p->c, cyc);
    if (v)
        v->stats.cycles[mon_cost_defs[what].cat] += cyc;
}

void mon_charge(struct pcpu *p, struct vcpu *v, enum mon_cost what)
{
    mon_charge_n(p, v, what, 1);
}
