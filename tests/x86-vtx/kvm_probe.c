/* kvm_probe.c - `kvm-probe [DEVICE]`: exit 0 when the KVM device ($VTX_KVM or /dev/kvm
 * by default) is usable, else print why on one line and exit 1. The x86-vtx test
 * scripts call it (lib.sh need_kvm) to decide whether to skip. */
#include "tests/x86-vtx/kvm_usable.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : kvm_test_device();
    char why[256];
    if (kvm_usable(path, why, sizeof(why)))
        return 0;
    printf("%s\n", why);
    return 1;
}
