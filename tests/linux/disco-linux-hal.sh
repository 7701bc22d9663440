#!/usr/bin/env bash
# Integration test: the paravirtual layers of the guest kernel (guest-irix-patches/
# 0003 HAL, 0004 memory calls) do their work in a boot to the busybox /init of
# boot-test.sh under disco, as counted by disco --stats:
#   - interrupts are disabled by a store to the HAL page: no `di` is emulated at all,
#     and `ei` only on the entry code's rare paths (fewer than EI_MAX);
#   - no cache maintenance instruction reaches the monitor (the cache ops are no-ops);
#   - privileged-instruction traps (CpU) stay below CPU_MAX: the hot mfc0/mtc0 go
#     through the HAL page (the unpatched boot had 267,510);
#   - the timer is programmed by SET_TIMER calls and read with rdhwr (the boot never
#     idles: the IDLE call is checked by disco-linux-smp.sh, whose secondaries do);
#   - clear_page is the ZERO_PAGE call and freed pages reach the monitor (FREE_PAGE).
# It prints the trap census (tests/linux/disco-census.sh) of the run.
# Exit 0 pass, 77 skip (the kernel source package cannot be fetched).
set -uo pipefail
source "$(dirname "$0")/disco-lib.sh"
CPU_MAX=${DISCO_HAL_CPU_MAX:-40000}
EI_MAX=${DISCO_HAL_EI_MAX:-5000}

disco_need_kernel
disco_need_initrd "$WORK/initrd.gz"
disco_run hal --vm "name=linux,kernel=$KERNEL,mem=64M,initrd=$WORK/initrd.gz"
"$ROOT/tests/linux/disco-census.sh" "$WORK/hal.json" || fail "no census"
python3 - "$WORK/hal.json" "$CPU_MAX" "$EI_MAX" <<'PY' || fail "a paravirtual layer is not doing its work (above)"
import json, sys
t = json.load(open(sys.argv[1]))["vms"][0]["totals"]
cpu_max, ei_max = int(sys.argv[2]), int(sys.argv[3])
em, mc, traps = t["emulated"], t["mcalls"], t["traps"]
checks = [
    ("no emulated di", em.get("di", 0) == 0),
    (f"emulated ei below {ei_max}", em.get("ei", 0) < ei_max),
    ("no emulated cache instruction", em.get("cache", 0) == 0),
    (f"CpU traps below {cpu_max}", traps.get("CpU", 0) < cpu_max),
    ("set_timer calls", mc.get("set_timer", 0) > 0),
    ("zero_page calls", mc.get("zero_page", 0) > 0),
    ("free_page calls", mc.get("free_page", 0) > 0),
]
bad = [name for name, ok in checks if not ok]
for name in bad:
    print(f"not true: {name}")
sys.exit(1 if bad else 0)
PY
echo "ok: irq flags, cache, CP0 reads, timer, TLB writes, zero and free pages go through the HAL page and monitor calls"
