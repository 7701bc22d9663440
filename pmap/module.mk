# pmap: per-VM pmap and the memmap (uses numa's pools and policy types).
PMAP_SRCS := $(wildcard pmap/*.c)
PMAP_LIB  := $(BUILD)/libpmap.a
$(PMAP_LIB): $(PMAP_SRCS:%.c=$(BUILD)/%.o)
LIBS += $(PMAP_LIB)
