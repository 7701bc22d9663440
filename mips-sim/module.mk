# mips-sim: the simulated machine (library + the mips-sim command), in layers (each
# includes only its own layer and those below; tests/integration/mips-layers.sh checks):
#   arch.h < mem/ < cpu/ (and hook.h) < engine/ < machine.[ch] < dev/ < boards/ < main.c
MIPSSIM_SRCS := $(wildcard mips-sim/machine.c mips-sim/mem/*.c mips-sim/cpu/*.c \
                           mips-sim/engine/*.c mips-sim/dev/*.c mips-sim/boards/*.c)
MIPSSIM_LIB  := $(BUILD)/libmipssim.a
$(MIPSSIM_LIB): $(MIPSSIM_SRCS:%.c=$(BUILD)/%.o)
LIBS += $(MIPSSIM_LIB)

# The NUMA board builds its topology with numa/ (hwloc).
MIPSSIM_LDLIBS := -lhwloc
$(BUILD)/bin/mips-sim: $(BUILD)/mips-sim/main.o $(MIPSSIM_LIB) $(BUILD)/libnuma_core.a
LDLIBS_mips-sim := $(MIPSSIM_LDLIBS)
BINS += $(BUILD)/bin/mips-sim

# GCC's SLP vectorizer packs pc/npc into one SSE register in the interpreter loop,
# which costs 12% more host instructions per simulated one (measured with callgrind).
$(BUILD)/mips-sim/engine/interp.o: CFLAGS += -fno-tree-slp-vectorize
