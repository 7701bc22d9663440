/* kvm_usable.c - see kvm_usable.h. */
#include "tests/x86-vtx/kvm_usable.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

const char *kvm_test_device(void)
{
    const char *env = getenv("VTX_KVM");
    return env && *env ? env : "/dev/kvm";
}

bool kvm_usable(const char *path, char *why, size_t len)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            snprintf(why, len, "%s does not exist on this host (no KVM)", path);
        else
            snprintf(why, len, "cannot open %s read/write: %s", path, strerror(errno));
        return false;
    }
    bool ok = false;
    int version = ioctl(fd, KVM_GET_API_VERSION, 0);
    if (version != KVM_API_VERSION) {
        snprintf(why, len, "%s is not a usable KVM device (API version %d, want %d)", path,
                 version, KVM_API_VERSION);
    } else {
        int vm = ioctl(fd, KVM_CREATE_VM, 0);
        if (vm < 0)
            snprintf(why, len, "%s cannot create a VM: %s", path, strerror(errno));
        else
            close(vm);
        ok = vm >= 0;
    }
    close(fd);
    return ok;
}
