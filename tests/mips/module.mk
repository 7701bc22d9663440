# Bare-metal MIPS programs: the demo and the instruction-level tests.
MIPS_PROGS += $(BUILD)/mips/demo.elf
MIPS_TEST_SRCS := $(filter-out tests/mips/demo.c tests/mips/crt0.S tests/mips/bench_%,$(wildcard tests/mips/*.c tests/mips/*.S))
MIPS_PROGS += $(patsubst tests/mips/%,$(BUILD)/mips/%.elf,$(basename $(wildcard tests/mips/bench_*)))
MIPS_TESTS += $(patsubst tests/mips/%,$(BUILD)/mips/%.elf,$(basename $(MIPS_TEST_SRCS)))
MIPS_PROGS += $(MIPS_TESTS)
# Hostile programs (tests/mips/hostile/*.S): no crt0, their own _start; they are not
# tests themselves (they never exit cleanly) but inputs of tests/integration/mips-hostile.sh.
MIPS_PROGS += $(patsubst tests/mips/%.S,$(BUILD)/mips/%.elf,$(wildcard tests/mips/hostile/*.S))
$(BUILD)/mips/hostile/%.elf: tests/mips/hostile/%.S tests/mips/link.ld
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MIPS_CFLAGS) $(MIPS_LDFLAGS) -o $@ $<
