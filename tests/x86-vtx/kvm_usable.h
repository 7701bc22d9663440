/* kvm_usable.h - does this machine have a KVM device the x86-vtx tests can use?
 *
 * Deliberately independent of x86-vtx/ (raw open + ioctl), so a bug in the VMM makes
 * the KVM tests fail rather than skip. The device is $VTX_KVM when set and non-empty
 * (VTX_KVM=/nonexistent hides KVM on a machine that has it), else /dev/kvm, the same
 * rule `vtx` follows.
 */
#ifndef TESTS_X86_VTX_KVM_USABLE_H
#define TESTS_X86_VTX_KVM_USABLE_H

#include <stdbool.h>
#include <stddef.h>

/* The KVM device the tests use: $VTX_KVM or /dev/kvm. */
const char *kvm_test_device(void);

/* True if the device opens read/write, speaks the KVM API version this VMM was built
 * for, and creates a VM. Otherwise false with why (one line, no newline) filled in. */
bool kvm_usable(const char *path, char *why, size_t len);

#endif
