# Top-level build. Each component folder has a module.mk that appends to the lists
# below; this file holds only the shared rules. Everything is built under build/.
#
#   make          build every host binary, library and bare-metal MIPS program
#   make run      the main job: the bare-metal demo on a 4-CPU simulated machine
#   make test     build and run every test (ends with "N passed, N failed")
#   make bench    run every benchmark (not part of the tests)
#   make guest-kernel  the Disco guest Linux kernel, build/guest/vmlinux (guest/linux/);
#                      make guest-kernel-bare: the bare one, build/guest/vmlinux-bare

BUILD    := build
CC       ?= gcc
CFLAGS   := -std=c11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -I. -MMD -MP $(EXTRA_CFLAGS)
LDFLAGS  :=
LDLIBS   :=
AR       ?= ar

MIPS_CC     := mipsel-linux-gnu-gcc
MIPS_CFLAGS := -march=mips32r2 -EL -ffreestanding -nostdlib -mno-abicalls -fno-pic -G0 \
               -O2 -Wall -Wextra -Werror -Itests/mips/include
MIPS_LDFLAGS := -Wl,--no-warn-rwx-segments -Wl,--build-id=none -Ttests/mips/link.ld -static

# Lists the module.mk files append to.
LIBS        :=   # static libraries (build/lib*.a)
BINS        :=   # host programs (build/bin/*)
UNIT_TESTS  :=   # cmocka test binaries (build/tests/*)
MIPS_PROGS  :=   # bare-metal MIPS programs (build/mips/*.elf)
MIPS_TESTS  :=   # bare-metal programs that are tests (exit status 0 = pass)
INTEGRATION_TESTS := # shell scripts (exit 0 pass, 77 skip, else fail)

.PHONY: all run test bench clean
all:

include $(sort $(wildcard */module.mk))
include $(sort $(wildcard guest/*/module.mk))
include $(sort $(wildcard tests/*/module.mk))

all: $(LIBS) $(BINS) $(MIPS_PROGS)

# The monitor's demo: four VMs on a 4-node, 8-CPU ccNUMA machine under the disco NUMA
# policy (the mini guest kernel with 2 vCPUs on node 0, again on node 1, with 4 vCPUs
# spread over the nodes, and the ukern test kernel on node 3), each console prefixed
# with its VM's name, then one summary line per VM.
# Then the bare-metal demo it grew from (tests/demo/demo-answer.sh checks its answer).
DEMO_GUESTS := $(BUILD)/monitor-guests
run: all
	$(BUILD)/bin/disco --nodes 4 --cpus-per-node 2 --mem-per-node 64M \
	    --policy disco --hot-threshold 16 \
	    --vm name=mini-a,kernel=$(BUILD)/guest/mini-disco.elf,vcpus=2,node=0 \
	    --vm name=mini-b,kernel=$(BUILD)/guest/mini-disco.elf,vcpus=2,node=1 \
	    --vm name=mini-spread,kernel=$(BUILD)/guest/mini-disco.elf,vcpus=4,node=spread \
	    --vm name=ukern,kernel=$(DEMO_GUESTS)/ukern.elf,node=3
	$(BUILD)/bin/mips-sim --cpus 4 --stats - $(BUILD)/mips/demo.elf

# The guest kernels are built here, once, before any test runs: the first build takes
# longer than one test may. Where their source cannot be fetched, their tests skip.
test: GUEST_KERNEL_OPTIONAL := 1
test: all guest-kernel $(UNIT_TESTS) $(MIPS_TESTS)
	@tests/run.sh $(UNIT_TESTS) $(MIPS_TESTS) $(INTEGRATION_TESTS)

bench: all
	@for b in bench/*.sh; do echo "== $$b"; bash $$b || exit 1; done

clean:
	rm -rf $(BUILD)

# ---- shared rules -------------------------------------------------------------------
$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# Test sources compile like any other (this rule's shorter stem beats the link rule).
$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/lib%.a:
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/bin/%:
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) $(LDLIBS) $(LDLIBS_$*)

$(BUILD)/tests/%:
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) $(LDLIBS) $(LDLIBS_$*) -lcmocka

# Bare-metal MIPS programs: one source file (.S or .c) plus the shared start-up code.
# A line "sim-opts: ..." in the source becomes the simulator options for the test.
$(BUILD)/mips/%.elf: tests/mips/%.c tests/mips/crt0.S tests/mips/link.ld $(wildcard tests/mips/include/*.h)
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MIPS_CFLAGS) $(MIPS_LDFLAGS) -o $@ tests/mips/crt0.S $<
	@sed -n 's/.*sim-opts: *//p' $< > $(@:.elf=.opts)

$(BUILD)/mips/%.elf: tests/mips/%.S tests/mips/crt0.S tests/mips/link.ld $(wildcard tests/mips/include/*.h)
	@mkdir -p $(dir $@)
	$(MIPS_CC) $(MIPS_CFLAGS) $(MIPS_LDFLAGS) -o $@ tests/mips/crt0.S $<
	@sed -n 's/.*sim-opts: *//p' $< > $(@:.elf=.opts)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
