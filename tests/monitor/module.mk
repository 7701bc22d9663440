# Monitor tests: test guests (supervisor-mode programs for the Disco ABI, and the bare
# build of ukern for comparison), cmocka unit tests and integration scripts.
MONGUEST_DIR    := tests/monitor/guests
MONGUEST_CFLAGS := -march=mips32r2 -EL -ffreestanding -nostdlib -mno-abicalls -fno-pic -G0 \
                   -O2 -Wall -Wextra -Werror -I$(MONGUEST_DIR)
MONGUEST_LDFLAGS := -Wl,--no-warn-rwx-segments -Wl,--build-id=none -static

$(BUILD)/monitor-guests/%.elf: $(MONGUEST_DIR)/%.S $(MONGUEST_DIR)/guest.ld $(MONGUEST_DIR)/guest.h
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MONGUEST_CFLAGS) $(MONGUEST_LDFLAGS) -T$(MONGUEST_DIR)/guest.ld -o $@ $<

# C guests: one source plus the runtime (rt.S, rt.h).
$(BUILD)/monitor-guests/%.elf: $(MONGUEST_DIR)/%.c $(MONGUEST_DIR)/rt.S $(MONGUEST_DIR)/rt.h $(MONGUEST_DIR)/guest.ld
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MONGUEST_CFLAGS) $(MONGUEST_LDFLAGS) -T$(MONGUEST_DIR)/guest.ld -o $@ $(MONGUEST_DIR)/rt.S $<

UKERN_SRCS := $(MONGUEST_DIR)/ukern_vec.S $(MONGUEST_DIR)/ukern.c $(MONGUEST_DIR)/ukern.ld
$(BUILD)/monitor-guests/ukern.elf: $(UKERN_SRCS)
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MONGUEST_CFLAGS) $(MONGUEST_LDFLAGS) -Wl,--defsym=BASE=0xC0000000 \
	    -T$(MONGUEST_DIR)/ukern.ld -o $@ $(filter %.S %.c,$^)
$(BUILD)/monitor-guests/ukern-bare.elf: $(UKERN_SRCS)
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MONGUEST_CFLAGS) -DBARE $(MONGUEST_LDFLAGS) -Wl,--defsym=BASE=0x80000000 \
	    -T$(MONGUEST_DIR)/ukern.ld -o $@ $(filter %.S %.c,$^)

# The benchmark's workload: ukern with a working set of 4x the TLB's reach, longer.
UKERN_BENCH := -DUKERN_PAGES=256 -DUKERN_ROUNDS=40
$(BUILD)/monitor-guests/ukern-bench.elf: $(UKERN_SRCS)
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MONGUEST_CFLAGS) $(UKERN_BENCH) $(MONGUEST_LDFLAGS) -Wl,--defsym=BASE=0xC0000000 \
	    -T$(MONGUEST_DIR)/ukern.ld -o $@ $(filter %.S %.c,$^)
$(BUILD)/monitor-guests/ukern-bench-bare.elf: $(UKERN_SRCS)
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MONGUEST_CFLAGS) $(UKERN_BENCH) -DBARE $(MONGUEST_LDFLAGS) -Wl,--defsym=BASE=0x80000000 \
	    -T$(MONGUEST_DIR)/ukern.ld -o $@ $(filter %.S %.c,$^)

# ... and one whose working set fits in the TLB (the ASID vs flush comparison).
$(BUILD)/monitor-guests/ukern-small.elf: $(UKERN_SRCS)
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MONGUEST_CFLAGS) -DUKERN_PAGES=8 -DUKERN_ROUNDS=3000 $(MONGUEST_LDFLAGS) \
	    -Wl,--defsym=BASE=0xC0000000 -T$(MONGUEST_DIR)/ukern.ld -o $@ $(filter %.S %.c,$^)

MONITOR_GUESTS := $(patsubst $(MONGUEST_DIR)/%.S,$(BUILD)/monitor-guests/%.elf,\
                    $(filter-out $(MONGUEST_DIR)/ukern_vec.S $(MONGUEST_DIR)/rt.S,$(wildcard $(MONGUEST_DIR)/*.S))) \
                  $(patsubst $(MONGUEST_DIR)/%.c,$(BUILD)/monitor-guests/%.elf,\
                    $(filter-out $(MONGUEST_DIR)/ukern.c,$(wildcard $(MONGUEST_DIR)/*.c))) \
                  $(BUILD)/monitor-guests/ukern.elf $(BUILD)/monitor-guests/ukern-bare.elf \
                  $(BUILD)/monitor-guests/ukern-bench.elf $(BUILD)/monitor-guests/ukern-bench-bare.elf \
                  $(BUILD)/monitor-guests/ukern-small.elf
MIPS_PROGS += $(MONITOR_GUESTS)

# Integration scripts (need the disco command and the guests).
INTEGRATION_TESTS += tests/monitor/disco-guests.sh tests/monitor/disco-hostile.sh \
                     tests/monitor/disco-badinput.sh tests/monitor/disco-determinism.sh \
                     tests/monitor/disco-mini.sh tests/monitor/disco-disk.sh \
                     tests/monitor/disco-linux-disk.sh

# cmocka unit tests of the monitor (explicit compile rule: see tests/numa/module.mk).
$(BUILD)/tests/monitor/monitor_test.o: $(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<
$(BUILD)/tests/monitor_test: $(BUILD)/tests/monitor/monitor_test.o $(BUILD)/libmonitor.a \
    $(BUILD)/libpmap.a $(BUILD)/libl2tlb.a $(BUILD)/libmipssim.a $(BUILD)/libnuma_core.a
LDLIBS_monitor_test := -lhwloc -lnuma
UNIT_TESTS += $(BUILD)/tests/monitor_test

# The hot-page apply path (monitor/numa.c): migration, replication, collapse, refusals.
$(BUILD)/tests/monitor/numa_apply_test.o: $(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<
$(BUILD)/tests/numa_apply_test: $(BUILD)/tests/monitor/numa_apply_test.o $(BUILD)/libmonitor.a \
    $(BUILD)/libpmap.a $(BUILD)/libl2tlb.a $(BUILD)/libmipssim.a $(BUILD)/libnuma_core.a
LDLIBS_numa_apply_test := -lhwloc -lnuma
UNIT_TESTS += $(BUILD)/tests/numa_apply_test

# The NUMA experiments' workloads share one header.
$(BUILD)/monitor-guests/numa-eng.elf $(BUILD)/monitor-guests/numa-ray.elf \
    $(BUILD)/monitor-guests/numa-share.elf: $(MONGUEST_DIR)/numawork.h

# virtio-blk and the shared copy-on-write disk pages (monitor/vdev/virtio_blk.c, monitor/disk.c).
$(BUILD)/tests/monitor/vblk_test.o: $(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<
$(BUILD)/tests/vblk_test: $(BUILD)/tests/monitor/vblk_test.o $(BUILD)/libmonitor.a \
    $(BUILD)/libpmap.a $(BUILD)/libl2tlb.a $(BUILD)/libmipssim.a $(BUILD)/libnuma_core.a
LDLIBS_vblk_test := -lhwloc -lnuma
UNIT_TESTS += $(BUILD)/tests/vblk_test
