# Bare-metal MIPS programs: the demo and the instruction-level tests.
MIPS_PROGS += $(BUILD)/mips/demo.elf
MIPS_TEST_SRCS := $(filter-out tests/mips/demo.c tests/mips/crt0.S tests/mips/bench_%,$(wildcard tests/mips/*.c tests/mips/*.S))
MIPS_PROGS += $(patsubst tests/mips/%,$(BUILD)/mips/%.elf,$(basename $(wildcard tests/mips/bench_*)))
MIPS_TESTS += $(patsubst tests/mips/%,$(BUILD)/mips/%.elf,$(basename $(MIPS_TEST_SRCS)))
MIPS_PROGS += $(MIPS_TESTS)
