#!/usr/bin/env bash
# bench/monitor.sh - the Disco monitor's costs.
#  1. host time of its hot paths (build/bin/monitor-micro, CPU time per operation):
#     a virtualized TLB miss from the L2TLB / from the guest TLB / forwarded, emulated
#     privileged instructions, monitor calls;
#  2. the test kernel's simulated-time overhead, virtualized vs bare, on a Unix-like
#     workload (two processes, working set 4x the TLB's reach, syscalls, 100 Hz timer),
#     with the rates of TLB misses, syscalls, timer interrupts and process switches.
#     The kernel is the mini guest (guest/mini) when it is built, else ukern
#     (tests/monitor/guests/ukern.c), which runs the same binary logic bare and on the
#     monitor;
#  3. real ASIDs per (vCPU, guest ASID) vs Disco's flush of the TLB on every vCPU switch,
#     two VMs time-sharing one CPU with 100 us slices, with working sets that fit in the
#     TLB (so what a flush throws away would have been used again).
# Last line: mini-guest overhead (simulated time, virtualized/bare): <n>
set -euo pipefail
cd "$(dirname "$0")/.."
make -s -j2 build/bin/disco build/bin/mips-sim build/bin/monitor-micro \
    build/monitor-guests/ukern-bench.elf build/monitor-guests/ukern-bench-bare.elf \
    build/monitor-guests/ukern-small.elf >/dev/null
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

echo "== host time per operation (CPU time, build/bin/monitor-micro)"
build/bin/monitor-micro

MINI=${MINI_DIR:-build/guest}
if [[ -f $MINI/mini-disco.elf && -f $MINI/mini-bare.elf ]]; then
    VIRT=$MINI/mini-disco.elf BARE=$MINI/mini-bare.elf NAME="mini guest"
    SMALL="kernel=$MINI/mini-disco.elf,cmdline=nproc=2 ws=32K iters=400"
else
    SMALL="kernel=build/monitor-guests/ukern-small.elf"
    VIRT=build/monitor-guests/ukern-bench.elf BARE=build/monitor-guests/ukern-bench-bare.elf
    NAME="ukern (guest/mini is not built)"
fi
MACHINE=(--nodes 1 --cpus-per-node 1)
echo "== $NAME: bare vs virtualized, one CPU"
build/bin/mips-sim --board numa "${MACHINE[@]}" -q --stats "$T/bare.json" "$BARE" >"$T/bare.out"
build/bin/disco "${MACHINE[@]}" -q --stats "$T/virt.json" --vm "name=g,kernel=$VIRT" >"$T/virt.out"
sed -n 's/^g: //p' "$T/virt.out" | grep -v '^# ' >"$T/virt.txt"
grep -v '^# ' "$T/bare.out" >"$T/bare.txt"
cmp -s "$T/bare.txt" "$T/virt.txt" && echo "same console output bare and virtualized" \
    || echo "WARNING: console output differs"

python3 - "$T/bare.json" "$T/virt.json" "$T/ratio" <<'PY'
import json, sys
b = json.load(open(sys.argv[1])); v = json.load(open(sys.argv[2]))
bc = b["cpus"][0]; hz = b["clock_hz"]; bs = b["simulated_cycles"] / hz
ex = bc["exceptions"]
misses = ex.get("TLBL", 0) + ex.get("TLBS", 0) + ex.get("Mod", 0)
sysc, ints = ex.get("Sys", 0), ex.get("Int", 0)
switches = sysc + ints                       # ukern switches process at each of them
for line in open(sys.argv[1].replace(".json", ".out")):
    if line.startswith("# totals:"):         # the mini guest counts its own switches
        words = line.split()
        switches = int(words[words.index("switches") + 1])
print(f"bare: {bs:.6f} s simulated, {bc['instructions']} instructions; per second: "
      f"{misses / bs:.0f} TLB misses, {sysc / bs:.0f} syscalls, {ints / bs:.0f} timer interrupts, "
      f"{switches / bs:.0f} process switches")
vs = v["machine"]["simulated_cycles"] / hz
vc = v["vms"][0]["vcpus"][0]
fills = vc["tlb_fills"]
print(f"virtualized: {vs:.6f} s simulated; monitor {vc['monitor_cycles_total'] / hz:.6f} s "
      f"({', '.join(f'{k} {c}' for k, c in vc['monitor_cycles'].items())} cycles); "
      f"real TLB misses filled: {fills}")
open(sys.argv[3], "w").write(f"{vs / bs:.3f}")
PY

echo "== real ASIDs vs flush on every vCPU switch (2 VMs on 1 CPU, 100 us slices)"
for mode in asid flush; do
    extra=(); [[ $mode == flush ]] && extra=(--flush-on-switch)
    build/bin/disco "${MACHINE[@]}" -q --slice-us 100 "${extra[@]}" --stats "$T/$mode.json" \
        --vm "name=a,$SMALL" --vm "name=b,$SMALL" >/dev/null
done
python3 - "$T/asid.json" "$T/flush.json" <<'PY'
import json, sys
r = {}
for name, path in (("asid", sys.argv[1]), ("flush", sys.argv[2])):
    d = json.load(open(path))
    hz = d["clock_hz"] if "clock_hz" in d else d["machine"]["clock_hz"]
    secs = d["machine"]["simulated_cycles"] / hz
    fills = sum(sum(vc["tlb_fills"].values()) for vm in d["vms"] for vc in vm["vcpus"])
    sw = sum(vc["switches_in"] for vm in d["vms"] for vc in vm["vcpus"])
    mon = sum(vc["monitor_cycles_total"] for vm in d["vms"] for vc in vm["vcpus"])
    r[name] = secs
    print(f"{name}: {secs:.6f} s simulated, {sw} vCPU switches, {fills} real TLB misses, "
          f"{mon / hz:.6f} s in the monitor")
print(f"flush/asid simulated time: {r['flush'] / r['asid']:.3f}")
PY
echo "mini-guest overhead (simulated time, virtualized/bare): $(cat "$T/ratio")"
