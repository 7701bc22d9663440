# pmap: per-VM pmap and the memmap (uses numa's pools and policy types).
PMAP_SRCS := $(wildcard pmap/*.c)
PMAP_LIB  := $(BUILD)/libpmap.a
$(PMAP_LIB): $(PMAP_SRCS:%.c=$(BUILD)/%.o)
LIBS += $(PMAP_LIB)

# The mm-core benchmark program (run by bench/mm-core.sh).
$(BUILD)/bin/mm-core: $(BUILD)/bench/mm-core.o $(PMAP_LIB) $(L2TLB_LIB) $(NUMA_LIB)
LDLIBS_mm-core := -lhwloc
BINS += $(BUILD)/bin/mm-core
