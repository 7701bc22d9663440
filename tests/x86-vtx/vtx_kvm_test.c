/* KVM tests of the VMM library in-process: a guest runs in long mode and its console
 * output, exit status and hypercall reports are checked; a guest that touches an
 * unbacked address is stopped without harming the VMM.
 * Without a usable KVM device ($VTX_KVM, else /dev/kvm) the whole binary prints
 * "skip: <reason>" and exits 77, which tests/run.sh counts as skipped; with one, every
 * test must pass (none skips on its own). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "tests/x86-vtx/kvm_usable.h"
#include "x86-vtx/guests/workload.h"
#include "x86-vtx/vm.h"

#define SKIP_EXIT 77      /* tests/run.sh: skipped */

static void run_one(const char *path, uint64_t arg, size_t ram, struct vtx_vm *vm,
                    struct vtx_host *host, struct vtx_image *img)
{
    assert_int_equal(vtx_image_open(img, path), 0);
    assert_int_equal(vtx_vm_create(vm, host, 0, 0, 0, img, ram, arg), 0);
    assert_int_equal(vtx_vm_start(vm), 0);
    vtx_vm_join(vm);
}

static void test_hello(void **state)
{
    (void)state;
    struct vtx_host host;
    assert_int_equal(vtx_host_init(&host, kvm_test_device()), 0);
    struct vtx_vm vm;
    struct vtx_image img;
    run_one("build/x86-guests/hello.elf", 0, 1 << 20, &vm, &host, &img);
    assert_int_equal(atomic_load(&vm.state), VTX_VM_EXITED);
    assert_int_equal(vm.exit_code, 0);
    assert_string_equal(vm.console, "hello from vm 0\n");
    vtx_vm_destroy(&vm);
    vtx_image_close(&img);
    vtx_host_fini(&host);
}

static void test_memtouch_checksum(void **state)
{
    (void)state;
    struct vtx_host host;
    assert_int_equal(vtx_host_init(&host, kvm_test_device()), 0);
    struct vtx_vm vm;
    struct vtx_image img;
    run_one("build/x86-guests/memtouch.elf", 2 | (3ULL << 32), 4 << 20, &vm, &host, &img);
    assert_int_equal(atomic_load(&vm.state), VTX_VM_EXITED);
    assert_int_equal(vm.exit_code, 0);
    assert_true(vm.reported & 1);
    assert_int_equal(vm.report[0], vtx_wl_expected(0, (2 << 20) / 8));
    assert_int_equal(vm.report[1], vm.report[0]);
    assert_int_equal(atomic_load(&vm.phase), 3);
    assert_non_null(strstr(vm.console, "checksum "));
    assert_true(vm.mmio_exits > 0);               /* the MMIO console was used */
    /* the guest really wrote its RAM through KVM */
    assert_int_equal(((uint64_t *)vm.ram.base)[5], vtx_wl_word(0, 5));
    vtx_vm_destroy(&vm);
    vtx_image_close(&img);
    vtx_host_fini(&host);
}

static void test_bad_guest_is_contained(void **state)
{
    (void)state;
    struct vtx_host host;
    assert_int_equal(vtx_host_init(&host, kvm_test_device()), 0);
    const char *want[3] = { "unbacked guest-physical", "unknown port 0x80", "triple fault" };
    for (uint64_t k = 0; k < 3; k++) {
        struct vtx_vm vm;
        struct vtx_image img;
        run_one("build/x86-guests/wild.elf", k, 4096, &vm, &host, &img);
        assert_int_equal(atomic_load(&vm.state), VTX_VM_FAILED);
        assert_non_null(strstr(vm.why, want[k]));
        vtx_vm_destroy(&vm);
        vtx_image_close(&img);
    }
    /* the VMM is unharmed: a good guest still runs */
    struct vtx_vm vm;
    struct vtx_image img;
    vtx_host_release(&host);
    run_one("build/x86-guests/hold.elf", 0, 4096, &vm, &host, &img);
    assert_int_equal(atomic_load(&vm.state), VTX_VM_EXITED);
    assert_int_equal(vm.hypercalls, 1);
    vtx_vm_destroy(&vm);
    vtx_image_close(&img);
    vtx_host_fini(&host);
}

int main(void)
{
    char why[256];
    if (!kvm_usable(kvm_test_device(), why, sizeof(why))) {
        printf("skip: %s\n", why);
        return SKIP_EXIT;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hello),
        cmocka_unit_test(test_memtouch_checksum),
        cmocka_unit_test(test_bad_guest_is_contained),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
