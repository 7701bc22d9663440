# pmap unit tests and the randomized consistency test (explicit compile rule: see
# tests/numa/module.mk).
PMAP_TEST_OBJS := $(BUILD)/tests/pmap/pmap_test.o $(BUILD)/tests/pmap/pmap_random_test.o \
                  $(BUILD)/tests/pmap/fake_backend.o
$(PMAP_TEST_OBJS): $(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

PMAP_TEST_LIBS := $(BUILD)/tests/pmap/fake_backend.o $(PMAP_LIB) $(L2TLB_LIB) $(NUMA_LIB)
$(BUILD)/tests/pmap_test: $(BUILD)/tests/pmap/pmap_test.o $(PMAP_TEST_LIBS)
LDLIBS_pmap_test := -lhwloc
$(BUILD)/tests/pmap_random_test: $(BUILD)/tests/pmap/pmap_random_test.o $(PMAP_TEST_LIBS)
LDLIBS_pmap_random_test := -lhwloc
UNIT_TESTS += $(BUILD)/tests/pmap_test $(BUILD)/tests/pmap_random_test
