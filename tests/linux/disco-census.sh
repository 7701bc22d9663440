#!/usr/bin/env bash
# Trap census of a disco run, from its --stats JSON (the figures guest-irix-patches/
# README.md quotes for each layer of the series):
#   disco-census.sh STATS.json [VM]
# Prints the VM's traps by cause, the emulated privileged instructions, the monitor
# calls, then one line:
#   traps T in I instructions, S s of guest work: R traps/s, one per N instructions
# where "guest work" is the simulated time the machine's CPUs were not idle (the
# guest's own instructions, their stalls, and the monitor's charged time), so a kernel
# that idles by monitor call instead of spinning is not credited for its idle time.
# Exit 0; 2 when the file is not a disco --stats file.
set -euo pipefail
[[ $# -ge 1 && $# -le 2 ]] || { echo "usage: disco-census.sh STATS.json [VM]" >&2; exit 2; }
exec python3 - "$@" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
    m = d["machine"]
    vms = d["vms"]
except (OSError, ValueError, KeyError) as e:
    print(f"disco-census.sh: {sys.argv[1]}: not a disco --stats file ({e})", file=sys.stderr)
    sys.exit(2)
name = sys.argv[2] if len(sys.argv) > 2 else vms[0]["name"]
vm = next((v for v in vms if v["name"] == name), None)
if vm is None:
    print(f"disco-census.sh: no VM named {name}", file=sys.stderr)
    sys.exit(2)
t = vm["totals"]
def row(title, counts):
    items = sorted(counts.items(), key=lambda kv: -kv[1])
    print(f"{title}: " + ", ".join(f"{k} {v:,}" for k, v in items))
row("traps", t["traps"])
row("emulated", t["emulated"])
row("monitor calls", t["mcalls"])
row("forwarded", t["forwarded"])
traps = sum(t["traps"].values())
insns = m["instructions"]
busy = sum(c["cycles"] - c["idle_cycles"] for c in m["cpus"]) / m["clock_hz"]
rate = traps / busy if busy else 0.0
per = insns // traps if traps else 0
print(f"traps {traps:,} in {insns:,} instructions, {busy:.4f} s of guest work: "
      f"{rate:,.0f} traps/s, one per {per:,} instructions")
PY
