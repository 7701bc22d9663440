# cmocka unit tests of mips-sim: decoder, TLB, CP0, bus, monitor hook.
MIPSSIM_UNIT := decode tlb cp0 bus hook
MIPSSIM_UNIT += storm
$(foreach t,$(MIPSSIM_UNIT),$(eval $(BUILD)/tests/mipssim_$(t)_test: $(BUILD)/tests/unit/mipssim_$(t)_test.o $(MIPSSIM_LIB) $(BUILD)/libnuma_core.a))
$(foreach t,$(MIPSSIM_UNIT),$(eval LDLIBS_mipssim_$(t)_test := $(MIPSSIM_LDLIBS)))
UNIT_TESTS += $(foreach t,$(MIPSSIM_UNIT),$(BUILD)/tests/mipssim_$(t)_test)
