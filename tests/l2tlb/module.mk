# l2tlb unit tests (explicit compile rule: see tests/numa/module.mk).
L2TLB_TEST_OBJS := $(BUILD)/tests/l2tlb/l2tlb_test.o
$(L2TLB_TEST_OBJS): $(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/l2tlb_test: $(L2TLB_TEST_OBJS) $(L2TLB_LIB)
UNIT_TESTS += $(BUILD)/tests/l2tlb_test
