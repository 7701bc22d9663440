# x86-vtx: lightweight x86-64 guests on KVM, guest memory managed by pmap/memmap/numa.
#   build/bin/vtx                the VMM command (see x86-vtx/README.md)
#   build/libvtx.a               the VMM library (tests link it)
#   build/x86-guests/*.elf       freestanding 64-bit guest programs
#   build/x86-guests/qemu-mb.elf 32-bit multiboot guest for the QEMU comparison bench
VTX_SRCS := $(filter-out x86-vtx/main.c,$(wildcard x86-vtx/*.c))
VTX_LIB  := $(BUILD)/libvtx.a
$(VTX_LIB): $(VTX_SRCS:%.c=$(BUILD)/%.o)
LIBS += $(VTX_LIB)

$(BUILD)/bin/vtx: $(BUILD)/x86-vtx/main.o $(VTX_LIB) $(PMAP_LIB) $(NUMA_LIB)
LDLIBS_vtx := -lpthread -lhwloc -lnuma
BINS += $(BUILD)/bin/vtx

VTX_GUEST_CFLAGS := -m64 -O2 -Wall -Wextra -Werror -I. -ffreestanding -nostdlib -static \
    -fno-pie -no-pie -mno-red-zone -mgeneral-regs-only -fno-stack-protector \
    -fcf-protection=none -fno-asynchronous-unwind-tables -mcmodel=small \
    -Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,--no-warn-rwx-segments
VTX_GUEST_DEPS := x86-vtx/guests/crt0.S x86-vtx/guests/link.ld x86-vtx/guests/vtxguest.h \
    x86-vtx/guests/workload.h x86-vtx/layout.h
VTX_GUESTS := $(patsubst x86-vtx/guests/%.c,$(BUILD)/x86-guests/%.elf,$(wildcard x86-vtx/guests/*.c))

$(BUILD)/x86-guests/%.elf: x86-vtx/guests/%.c $(VTX_GUEST_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(VTX_GUEST_CFLAGS) -T x86-vtx/guests/link.ld -o $@ x86-vtx/guests/crt0.S $<

# QEMU comparison guest: multiboot v1, 32-bit (QEMU's -kernel multiboot loader wants ELF32).
$(BUILD)/x86-guests/qemu-mb.elf: x86-vtx/guests/qemu-mb.S
	@mkdir -p $(dir $@)
	$(CC) -m32 -nostdlib -static -fno-pie -no-pie -Wl,--build-id=none -Wl,-Ttext=0x100000 \
	    -Wl,-z,max-page-size=4096 -o $@ $<

all: $(VTX_GUESTS) $(BUILD)/x86-guests/qemu-mb.elf
