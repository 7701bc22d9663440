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
