# The mini guest kernel (guest/mini/README.md): one source tree, two builds.
#   build/guest/mini-bare.elf   kernel mode in kseg0, for mips-sim --board numa
#   build/guest/mini-disco.elf  supervisor mode in the kernel window, for the monitor
# plus build/bin/mini-ref, the host reference that computes the expected checksums.

MINI_DIR := guest/mini
MINI_OUT := $(BUILD)/guest/mini
MINI_OBJCOPY := mipsel-linux-gnu-objcopy

# The compiled-in command line; its expect= comes from mini-ref at build time.
MINI_DEFAULT_PARAMS := nproc=8 ws=1M iters=64 seed=1

MINI_CFLAGS := -march=mips32r2 -EL -ffreestanding -nostdlib -mno-abicalls -fno-pic -G0 \
               -O2 -std=gnu11 -Wall -Wextra -Werror -I. -fno-builtin \
               -fno-tree-loop-distribute-patterns -MMD -MP
MINI_LDFLAGS := -static -Wl,--build-id=none -Wl,--no-warn-rwx-segments

MINI_SHARED := main klib page vm proc smp timer trap syscall param report start user_blob
MINI_BARE_OBJS := $(patsubst %,$(MINI_OUT)/bare/%.o,$(MINI_SHARED) hal_bare)
MINI_DISCO_OBJS := $(patsubst %,$(MINI_OUT)/disco/%.o,$(MINI_SHARED) hal_disco)

BINS += $(BUILD)/bin/mini-ref
MIPS_PROGS += $(BUILD)/guest/mini-bare.elf $(BUILD)/guest/mini-disco.elf

$(BUILD)/bin/mini-ref: $(BUILD)/guest/mini/tools/mini-ref.o

$(MINI_OUT)/defaults.h: $(BUILD)/bin/mini-ref $(MINI_DIR)/../module.mk
	@mkdir -p $(dir $@)
	printf '#define MINI_DEFAULT_CMDLINE "%s"\n' "$$($(BUILD)/bin/mini-ref --cmdline $(MINI_DEFAULT_PARAMS))" > $@

# The user program: text only, linked at USER_TEXT, included in the kernel image.
$(MINI_OUT)/user.elf: $(MINI_DIR)/user/ucrt0.S $(MINI_DIR)/user/uwork.c $(MINI_DIR)/user/user.ld \
                      $(MINI_DIR)/work.h $(MINI_DIR)/sysno.h
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MINI_CFLAGS) $(MINI_LDFLAGS) -T $(MINI_DIR)/user/user.ld -o $@ \
	    $(MINI_DIR)/user/ucrt0.S $(MINI_DIR)/user/uwork.c
$(MINI_OUT)/user.bin: $(MINI_OUT)/user.elf
	$(MINI_OBJCOPY) -O binary -j .text -j .rodata $< $@

$(MINI_OUT)/bare/%.o: $(MINI_DIR)/%.c $(MINI_OUT)/defaults.h
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MINI_CFLAGS) -include $(MINI_OUT)/defaults.h -c -o $@ $<
$(MINI_OUT)/disco/%.o: $(MINI_DIR)/%.c $(MINI_OUT)/defaults.h
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MINI_CFLAGS) -DMINI_DISCO -include $(MINI_OUT)/defaults.h -c -o $@ $<
$(MINI_OUT)/bare/%.o: $(MINI_DIR)/%.S $(MINI_OUT)/user.bin
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MINI_CFLAGS) -I$(MINI_OUT) -Wa,-I$(MINI_OUT) -c -o $@ $<
$(MINI_OUT)/disco/%.o: $(MINI_DIR)/%.S $(MINI_OUT)/user.bin
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MINI_CFLAGS) -DMINI_DISCO -Wa,-I$(MINI_OUT) -c -o $@ $<

$(BUILD)/guest/mini-bare.elf: $(MINI_BARE_OBJS) $(MINI_DIR)/link-bare.ld $(MINI_DIR)/link-common.ld
	$(MIPS_CC) $(MINI_CFLAGS) $(MINI_LDFLAGS) -T $(MINI_DIR)/link-bare.ld -o $@ $(MINI_BARE_OBJS)
$(BUILD)/guest/mini-disco.elf: $(MINI_DISCO_OBJS) $(MINI_DIR)/link-disco.ld $(MINI_DIR)/link-common.ld
	$(MIPS_CC) $(MINI_CFLAGS) $(MINI_LDFLAGS) -T $(MINI_DIR)/link-disco.ld -o $@ $(MINI_DISCO_OBJS)
