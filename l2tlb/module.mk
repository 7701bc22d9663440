# l2tlb: per-virtual-CPU second-level software TLB (no dependencies).
L2TLB_SRCS := $(wildcard l2tlb/*.c)
L2TLB_LIB  := $(BUILD)/libl2tlb.a
$(L2TLB_LIB): $(L2TLB_SRCS:%.c=$(BUILD)/%.o)
LIBS += $(L2TLB_LIB)
