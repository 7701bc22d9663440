# numa unit tests. The object gets an explicit (static pattern) compile rule because the
# shared `$(BUILD)/tests/%` link rule would otherwise match build/tests/numa/*.o with a
# shorter stem than `$(BUILD)/%.o: %.c` and win.
NUMA_TEST_OBJS := $(BUILD)/tests/numa/numa_test.o
$(NUMA_TEST_OBJS): $(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/numa_test: $(NUMA_TEST_OBJS) $(NUMA_LIB)
LDLIBS_numa_test := -lhwloc -lnuma
UNIT_TESTS += $(BUILD)/tests/numa_test

# Broken policy libraries for the loader's error paths (tests/numa/policy-lib.sh).
NUMA_TEST_PLUGINS := $(patsubst tests/numa/plugins/%.c,$(BUILD)/tests/numa/plugins/%.so,\
                       $(wildcard tests/numa/plugins/*.c))
$(BUILD)/tests/numa/plugins/%.so: tests/numa/plugins/%.c numa/policy_abi.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC -shared -o $@ $<
all: $(NUMA_TEST_PLUGINS)
INTEGRATION_TESTS += tests/numa/policy-lib.sh tests/numa/numa-trace.sh tests/numa/numa-ray-moves.sh tests/numa/autonuma.sh \
    tests/numa/nothing-to-gain.sh
