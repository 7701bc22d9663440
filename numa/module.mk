# numa: topology (hwloc), per-node machine-page pools, hot-page policies.
NUMA_SRCS := $(wildcard numa/*.c)
NUMA_LIB  := $(BUILD)/libnuma_core.a
$(NUMA_LIB): $(NUMA_SRCS:%.c=$(BUILD)/%.o)
LIBS += $(NUMA_LIB)
NUMA_LDLIBS := -lhwloc -lnuma   # link flags for users of $(NUMA_LIB)
