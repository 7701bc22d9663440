# Tests of the NUMA machine model: cache/counter units and whole-run statistics.
$(BUILD)/tests/numa_model_test: $(BUILD)/tests/numa-model/cache_test.o $(MIPSSIM_LIB)
UNIT_TESTS += $(BUILD)/tests/numa_model_test
INTEGRATION_TESTS += tests/numa-model/numa-model.sh
