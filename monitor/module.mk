# monitor: the Disco monitor (library + the disco command).
MONITOR_SRCS := $(filter-out monitor/main.c,$(wildcard monitor/*.c monitor/vdev/*.c))
MONITOR_LIB  := $(BUILD)/libmonitor.a
$(MONITOR_LIB): $(MONITOR_SRCS:%.c=$(BUILD)/%.o)
LIBS += $(MONITOR_LIB)

MONITOR_DEPS := $(MONITOR_LIB) $(BUILD)/libpmap.a $(BUILD)/libl2tlb.a $(BUILD)/libmipssim.a $(BUILD)/libnuma_core.a
MONITOR_LDLIBS := -lhwloc -lnuma
$(BUILD)/bin/disco: $(BUILD)/monitor/main.o $(MONITOR_DEPS)
LDLIBS_disco := $(MONITOR_LDLIBS)
BINS += $(BUILD)/bin/disco

# The host-time micro-benchmark of the monitor's hot paths (run by bench/monitor.sh).
$(BUILD)/bin/monitor-micro: $(BUILD)/bench/monitor-micro.o $(MONITOR_DEPS)
LDLIBS_monitor-micro := $(MONITOR_LDLIBS)
BINS += $(BUILD)/bin/monitor-micro
