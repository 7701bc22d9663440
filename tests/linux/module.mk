# Malta board: cmocka tests of the device models, and the stock-Linux boot test.
$(BUILD)/tests/malta_dev_test: $(BUILD)/tests/linux/malta_dev_test.o $(MIPSSIM_LIB) $(BUILD)/libnuma_core.a
LDLIBS_malta_dev_test := $(MIPSSIM_LDLIBS)
UNIT_TESTS += $(BUILD)/tests/malta_dev_test
INTEGRATION_TESTS += tests/linux/boot-test.sh
# The bare guest kernel (guest/linux/) on the Malta board; `make test` builds it first.
INTEGRATION_TESTS += tests/linux/guest-kernel-boot.sh
# The patched guest kernel (guest-irix-patches/) under disco: banner, boot to /init, power-off.
INTEGRATION_TESTS += tests/linux/disco-linux-boot.sh
# The paravirtual layers (0003 HAL, 0004 memory calls) at work, from disco --stats.
INTEGRATION_TESTS += tests/linux/disco-linux-hal.sh
