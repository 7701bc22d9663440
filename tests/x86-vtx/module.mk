# x86-vtx tests: cmocka units (no KVM needed except vtx_kvm_test) and integration scripts
# driving build/bin/vtx. Whatever needs KVM asks build/tests/kvm-probe (its own raw
# open/ioctl, not the VMM's code) and skips with status 77 when the device ($VTX_KVM,
# else /dev/kvm) is missing or unusable.
# Objects get an explicit static-pattern compile rule (see tests/numa/module.mk).
VTX_TEST_OBJS := $(BUILD)/tests/x86-vtx/vtx_unit_test.o $(BUILD)/tests/x86-vtx/vtx_kvm_test.o \
    $(BUILD)/tests/x86-vtx/kvm_usable.o $(BUILD)/tests/x86-vtx/kvm_probe.o
$(VTX_TEST_OBJS): $(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/vtx_unit_test: $(BUILD)/tests/x86-vtx/vtx_unit_test.o $(VTX_LIB) $(PMAP_LIB) $(NUMA_LIB) $(VTX_GUESTS) $(BUILD)/x86-guests/qemu-mb.elf
LDLIBS_vtx_unit_test := -lpthread -lhwloc -lnuma
$(BUILD)/tests/vtx_kvm_test: $(BUILD)/tests/x86-vtx/vtx_kvm_test.o $(BUILD)/tests/x86-vtx/kvm_usable.o \
    $(VTX_LIB) $(PMAP_LIB) $(NUMA_LIB) $(VTX_GUESTS)
LDLIBS_vtx_kvm_test := -lpthread -lhwloc -lnuma
UNIT_TESTS += $(BUILD)/tests/vtx_unit_test $(BUILD)/tests/vtx_kvm_test

# Not a test itself: the scripts' KVM check (a plain program; the link rule for
# build/tests/% adds -lcmocka, which it does not need, so it links here).
$(BUILD)/tests/kvm-probe: $(BUILD)/tests/x86-vtx/kvm_probe.o $(BUILD)/tests/x86-vtx/kvm_usable.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^
all: $(BUILD)/tests/kvm-probe

INTEGRATION_TESTS += tests/x86-vtx/vtx_bad_input.sh tests/x86-vtx/vtx_hello.sh \
    tests/x86-vtx/vtx_100_vms.sh tests/x86-vtx/vtx_migrate.sh tests/x86-vtx/vtx_policy.sh \
    tests/x86-vtx/vtx_cow.sh tests/x86-vtx/vtx_policy_lib.sh tests/x86-vtx/numa-vm.sh

# Test policies loaded by vtx (--policy-lib): build/tests/x86-vtx/plugins/*.so.
VTX_TEST_PLUGINS := $(patsubst tests/x86-vtx/plugins/%.c,$(BUILD)/tests/x86-vtx/plugins/%.so,\
                      $(wildcard tests/x86-vtx/plugins/*.c))
$(BUILD)/tests/x86-vtx/plugins/%.so: tests/x86-vtx/plugins/%.c numa/policy_abi.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC -shared -o $@ $<
all: $(VTX_TEST_PLUGINS)
