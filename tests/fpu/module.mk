# The FP differential test (see fpdiff.c): the same program as a mipsel Linux user
# program for qemu-mipsel, and as a bare-metal one for mips-sim (in build/mips/, so the
# engines test runs it on every engine too), for FR = 0 (-mfp32) and FR = 1 (-mfp64).
FPDIFF_SRCS := tests/fpu/fpdiff.c tests/fpu/fpdiff.h
# fpwork.c, an FP workload in plain C, is built and compared the same way: fpwork with
# gcc's default FP ABI (FPXX; FR = 0 on the test board), fpwork64 with -mfp64 (FR = 1).
FPDIFF_LINUX := $(BUILD)/fpu/fpdiff32.linux $(BUILD)/fpu/fpdiff64.linux $(BUILD)/fpu/fpwork.linux \
                $(BUILD)/fpu/fpwork64.linux
MIPS_PROGS += $(BUILD)/mips/fpdiff32.elf $(BUILD)/mips/fpdiff64.elf $(BUILD)/mips/fpwork.elf \
              $(BUILD)/mips/fpwork64.elf \
              $(FPDIFF_LINUX)
INTEGRATION_TESTS += tests/fpu/fpdiff.sh tests/fpu/linux-fpu.sh

$(BUILD)/fpu/fpdiff%.linux: $(FPDIFF_SRCS) tests/fpu/fpdiff_linux.c
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MIPS_CFLAGS) -mfp$* -static -o $@ tests/fpu/fpdiff.c tests/fpu/fpdiff_linux.c

$(BUILD)/mips/fpdiff%.elf: $(FPDIFF_SRCS) tests/fpu/fpdiff_bm.c tests/mips/crt0.S tests/mips/link.ld
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MIPS_CFLAGS) -mfp$* $(MIPS_LDFLAGS) -o $@ tests/mips/crt0.S \
	    tests/fpu/fpdiff_bm.c tests/fpu/fpdiff.c

$(BUILD)/fpu/fpwork.linux: tests/fpu/fpwork.c tests/fpu/fpdiff.h tests/fpu/fpdiff_linux.c
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MIPS_CFLAGS) -static -o $@ tests/fpu/fpwork.c tests/fpu/fpdiff_linux.c

$(BUILD)/mips/fpwork.elf: tests/fpu/fpwork.c tests/fpu/fpdiff.h tests/fpu/fpdiff_bm.c tests/mips/crt0.S tests/mips/link.ld
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MIPS_CFLAGS) $(MIPS_LDFLAGS) -o $@ tests/mips/crt0.S tests/fpu/fpdiff_bm.c \
	    tests/fpu/fpwork.c

$(BUILD)/fpu/fpwork64.linux: tests/fpu/fpwork.c tests/fpu/fpdiff.h tests/fpu/fpdiff_linux.c
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MIPS_CFLAGS) -mfp64 -static -o $@ tests/fpu/fpwork.c tests/fpu/fpdiff_linux.c

$(BUILD)/mips/fpwork64.elf: tests/fpu/fpwork.c tests/fpu/fpdiff.h tests/fpu/fpdiff_bm.c tests/mips/crt0.S tests/mips/link.ld
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MIPS_CFLAGS) -mfp64 $(MIPS_LDFLAGS) -o $@ tests/mips/crt0.S tests/fpu/fpdiff_bm.c \
	    tests/fpu/fpwork.c
