/* main.c - the `vtx` command: `vtx run [options] guest.elf` (see x86-vtx/README.md). */
#include "x86-vtx/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f,
        "usage: vtx run [--vms N] [--mem SIZE] [--node K | --spread] [--arg N] [--hold]\n"
        "               [--quiet] [--verify-memtouch] [--migrate-to K | --move-vcpu-to K]\n"
        "               [--policy NAME | --policy-lib ./x.so] [--policy-param K=V ...]\n"
        "               [--numa-trace FILE] [--hold-timeout MS]\n"
        "               [--topology SYNTH] [--cow-report] [--no-track] [--kvm PATH] guest.elf\n"
        "environment: VTX_KVM=PATH  the KVM device when --kvm is not given (default /dev/kvm)\n");
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        usage(stdout);
        return 0;
    }
    if (argc < 2 || strcmp(argv[1], "run") != 0) {
        fprintf(stderr, "vtx: expected the subcommand 'run' (vtx run [options] guest.elf)\n");
        return 2;
    }
    struct vtx_run_opts o;
    vtx_run_opts_default(&o);
    /* VTX_KVM names the KVM device (e.g. /nonexistent, to prove the no-KVM path on a
     * machine that has KVM); --kvm still wins. */
    const char *env = getenv(VTX_KVM_ENV);
    if (env && *env)
        o.kvm_path = env;
    int rc = vtx_run_parse(&o, argc - 2, argv + 2, stderr);
    if (rc)
        return rc;
    return vtx_run(&o, stdout, stderr);
}
