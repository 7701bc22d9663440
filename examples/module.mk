# examples: policies loaded at run time (disco --policy-lib build/examples/NAME.so).
# Each is one C file that includes only numa/policy_abi.h.
EXAMPLE_POLICIES := $(patsubst examples/%.c,$(BUILD)/examples/%.so,$(wildcard examples/*.c))
$(BUILD)/examples/%.so: examples/%.c numa/policy_abi.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC -shared -o $@ $<
all: $(EXAMPLE_POLICIES)
