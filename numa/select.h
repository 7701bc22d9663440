/*
 * numa/select.h - choosing a hot-page policy from a command line, the same way in every
 * backend: `--policy NAME` (a built-in of numa/policy.c), or `--policy-lib ./x.so`
 * (numa/plugin.c), plus repeatable `--policy-param KEY=VALUE`.
 *
 * The simulated monitor (`disco`) and the KVM backend (`vtx`) take these options with
 * the same meaning and the same error lines (each backend prefixes its program name);
 * this module holds the option-level checks and the "built-in or loaded" switch so that
 * a policy and its parameters behave identically on both.
 *
 * Data structure: struct numa_policy_choice is what the command line said: a name or a
 * library (never both), and the parameter pairs in the order given. kv[i] points into
 * the argument strings (numa_policy_kv_parse splits them in place), so the argv strings
 * must outlive the choice, and the choice must outlive any policy opened from it (the
 * policy keeps ctx.kv).
 * Invariants: nkv <= NUMA_CHOICE_MAX_PARAMS; every kv[i] has a non-empty key.
 * Errors: -EINVAL with one line in err (no trailing newline, no program name).
 */
#ifndef NUMA_SELECT_H
#define NUMA_SELECT_H

#include <stddef.h>
#include "numa/policy.h"

#define NUMA_CHOICE_MAX_PARAMS 32

struct numa_policy_choice {
    const char *name;          /* --policy NAME, NULL if not given */
    const char *lib;           /* --policy-lib PATH, NULL if not given */
    struct numa_policy_kv kv[NUMA_CHOICE_MAX_PARAMS];
    unsigned nkv;
};

/* --policy NAME: known built-in, else "unknown --policy 'NAME' (none, disco, ...)". */
int numa_choice_set_name(struct numa_policy_choice *c, const char *name, char *err,
                         size_t errlen);
/* --policy-param KEY=VALUE (arg is split in place): "bad --policy-param 'X' (expected
 * KEY=VALUE)", "too many --policy-param (at most 32)". */
int numa_choice_add_param(struct numa_policy_choice *c, char *arg, char *err, size_t errlen);
/* After the whole command line: "--policy and --policy-lib exclude each other". */
int numa_choice_check(const struct numa_policy_choice *c, char *err, size_t errlen);
/* True if the command line chose a policy (a name or a library). */
bool numa_choice_given(const struct numa_policy_choice *c);

/* Open the chosen policy: the library if one was given (numa_policy_load), else the
 * built-in c->name, else default_name; params are the backend's base thresholds (NULL =
 * numa_policy_default_params) that the generic --policy-param keys then override. Every
 * error (library, ABI, unknown or bad parameter, init refusal) is -EINVAL with the line
 * numa/plugin.c or numa/policy.c wrote. May be called more than once on one choice (the
 * parameters' used marks are reset first). Undo with numa_policy_fini(). */
int numa_choice_open(struct numa_policy *pol, struct numa_policy_choice *c,
                     const char *default_name, const struct numa_policy_params *params,
                     unsigned nnodes, char *err, size_t errlen);

#endif
