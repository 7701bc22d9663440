# mips-sim: the simulated machine (library + the mips-sim command).
MIPSSIM_SRCS := $(filter-out mips-sim/main.c,$(wildcard mips-sim/*.c mips-sim/dev/*.c))
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
$(BUILD)/mips-sim/interp.o: CFLAGS += -fno-tree-slp-vectorize
