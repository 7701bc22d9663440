#!/usr/bin/env bash
# numa-policies.sh - Disco's NUMA experiment (SOSP '97, section 5.4) on our monitor:
# workloads in one VM with 8 vCPUs on an 8-CPU, 4-node machine, under every hot-page
# policy and on the UMA machine (every miss at local latency, policy none).
#
#   eng:   Engineering-like (tests/monitor/guests/numa-eng.c): each vCPU read-modify-
#          writes its own 2 MB working set (twice the 1 MB board cache) - migration pays;
#   ray:   Raytrace-like (numa-ray.c): every vCPU reads a shared 4 MB scene in full from
#          its own offset and writes a small private image - replication pays;
#   share: nothing to gain (numa-share.c): every vCPU read-modify-writes its own word of
#          every line of one shared 2 MB set - every page is written by every node, so
#          no placement makes more misses local; a policy can only add cost.
# These are mini-guest stand-ins: Disco ran Verilog and povray under IRIX; the Linux
# guest cannot run those workloads yet.
# vCPU 0 initializes all data first (a serial start-up), so with first-touch placement
# and no policy every page starts on node 0, as pages did under IRIX in the paper.
#
# Time: the guest's own Count ticks of the parallel phase ("work-count"), normalized to
# none. Local share: the VM's local / all cache misses. Migrations and replications per
# simulated second of the whole run, with the monitor cycles each cost in simulated us
# (copy, remap, shootdowns, IPIs, the event itself). Split: per-CPU cycles of the whole
# run into guest (the workloads run in the guest kernel: user is 0 here), monitor
# (charged costs) and idle. --hot-threshold 16 for every run (the board's counters;
# with 64 a 2 MB sweep never makes a remote page hot within one 10 ms reset interval).
# autonuma samples instead (256 pages per VM every 1 ms, hinting faults).
# Writes $OUT/numa-policies.csv (one row per run), $OUT/numa-intervals.csv (local and
# remote misses per node and per VM in each 10 ms interval of each run, from --stats'
# misses_over_time) and, when gnuplot is installed, $OUT/numa-time.png,
# $OUT/numa-local.png and $OUT/numa-local-over-time.png. Last line
# `disco/none: <a> <b>, disco/uma: <c> <d>` (Engineering-like, Raytrace-like); the line
# before it gives share's disco/none (the nothing-to-gain target: at most 1.04).
# Deterministic: the same build gives the same tables. About 2 minutes of host time on
# a shared 2-core machine (27 runs of 1-3 s; LIMIT caps each).
set -eu
cd "$(dirname "$0")/.."
DISCO=build/bin/disco
G=build/monitor-guests
OUT=${OUT:-build/bench}
THR=${THR:-16}
LIMIT=${LIMIT:-60}   # host seconds per run
mkdir -p "$OUT"
WORKLOADS="eng ray share"
for w in $WORKLOADS; do
    [[ -x $DISCO && -f $G/numa-$w.elf ]] || { echo "build first (make)"; exit 1; }
done
POLICIES="none disco migrate-only replicate-only interleave autonuma hotnode.so uma"

run() {   # workload policy -> $OUT/numa-W-P.{json,out}
    local w=$1 pol=$2 args
    case $pol in
        uma) args=(--policy none --uma) ;;
        *.so) args=(--policy-lib ./build/examples/$pol) ;;
        *) args=(--policy "$pol") ;;
    esac
    local rc=0
    timeout "$LIMIT" "$DISCO" -q --nodes 4 --cpus-per-node 2 --hot-threshold "$THR" "${args[@]}" \
        --vm "name=$w,kernel=$G/numa-$w.elf,mem=64M,vcpus=8,node=spread" \
        --stats "$OUT/numa-$w-$pol.json" >"$OUT/numa-$w-$pol.out" || rc=$?
    if [[ $rc -eq 124 ]]; then        # a run that never ends is reported, not hidden
        echo "numa-policies: $w under $pol did not finish in $LIMIT s of host time" >&2
        rm -f "$OUT/numa-$w-$pol.json"
        return
    fi
    grep -q "^$w: failures 0$" "$OUT/numa-$w-$pol.out" \
        || { echo "numa-policies: $w under $pol computed wrong results (exit $rc)"; exit 1; }
}

T0=$SECONDS
for w in $WORKLOADS; do
    for pol in $POLICIES; do run $w $pol; done
done
echo "($((SECONDS - T0)) s of host time for $(($(wc -w <<<"$WORKLOADS") * $(wc -w <<<"$POLICIES"))) runs)"

python3 - "$OUT" $POLICIES <<'PY'
import json, re, sys
out, pols = sys.argv[1], sys.argv[2:]
rows, base, res = [], {}, {}
WORK = ("eng", "ray", "share")
iv_rows = []
for w in WORK:
    for p in pols:
        try:
            d = json.load(open(f"{out}/numa-{w}-{p}.json"))
        except FileNotFoundError:
            rows.append(dict(workload=w, policy=p, hung=True))
            continue
        txt = open(f"{out}/numa-{w}-{p}.out").read()
        work = int(re.search(rf"^{w}: work-count (\d+)$", txt, re.M).group(1))
        n, m = d["numa"], d["machine"]
        hz, secs = m["clock_hz"], m["simulated_seconds"]
        loc = sum(x["local"] for x in n["misses_per_vm"])
        rem = sum(x["remote"] for x in n["misses_per_vm"])
        cyc = sum(c["cycles"] for c in m["cpus"])
        mon = sum(c["charged_cycles"] for c in m["cpus"])
        idle = sum(c["idle_cycles"] for c in m["cpus"])
        us = lambda c, k: (c / k / hz * 1e6) if k else 0.0
        r = dict(workload=w, policy=p, work=work, local=loc / max(1, loc + rem),
                 mig_s=n["migrations"] / secs, mig_us=us(n["migrate_cycles"], n["migrations"]),
                 rep_s=n["replications"] / secs, rep_us=us(n["replicate_cycles"], n["replications"]),
                 guest=(cyc - mon - idle) / cyc, user=0.0, monitor=mon / cyc, idle=idle / cyc,
                 seconds=secs)
        rows.append(r)
        res[(w, p)] = work
        mot = n["misses_over_time"]["samples"]
        prev = None
        for smp in mot:
            for kind, vals in (("node", smp["nodes"]), ("vm", smp["vms"])):
                for i, (l, rm) in enumerate(vals):
                    pl, pr = prev[kind][i] if prev else (0, 0)
                    iv_rows.append((w, p, smp["t"] / hz * 1e3, f"{kind}{i}", l - pl, rm - pr))
            prev = {"node": smp["nodes"], "vm": smp["vms"]}
for r in rows:
    if not r.get("hung"):
        r["time"] = r["work"] / res[(r["workload"], "none")]
with open(f"{out}/numa-policies.csv", "w") as f:
    keys = ["workload", "policy", "time", "work", "local", "mig_s", "mig_us", "rep_s", "rep_us",
            "guest", "user", "monitor", "idle", "seconds"]
    f.write(",".join(keys) + "\n")
    for r in (r for r in rows if not r.get("hung")):
        f.write(",".join(f"{r[k]:.4f}" if isinstance(r[k], float) else str(r[k]) for k in keys) + "\n")
with open(f"{out}/numa-intervals.csv", "w") as f:
    f.write("workload,policy,t_ms,who,local,remote\n")
    for w, p, t, who, l, rm in iv_rows:
        f.write(f"{w},{p},{t:.3f},{who},{l},{rm}\n")
# gnuplot inputs: one block per workload (bars), one file per workload (over time)
with open(f"{out}/numa-bars.dat", "w") as f:
    for w in WORK:
        f.write(f"# {w}\n")
        for r in rows:
            if r["workload"] == w and not r.get("hung"):
                f.write(f"{r['policy']} {r['time']:.4f} {r['local']*100:.2f}\n")
        f.write("\n\n")
for w in WORK:
    with open(f"{out}/numa-over-{w}.dat", "w") as f:
        for p in pols:
            f.write(f"# {p}\n")
            for ww, pp, t, who, l, rm in iv_rows:
                if ww == w and pp == p and who == "vm0" and l + rm:
                    f.write(f"{t:.3f} {100 * l / (l + rm):.2f}\n")
            f.write("\n\n")
print(f"{'workload':9}{'policy':15}{'time':>6}{'local':>7}{'migr/s':>9}{'us':>6}{'repl/s':>9}{'us':>6}"
      f"{'kernel':>8}{'user':>6}{'monitor':>8}{'idle':>6}")
for r in rows:
    if r.get("hung"):
        print(f"{r['workload']:9}{r['policy']:15}  did not finish (see the report)")
        continue
    print(f"{r['workload']:9}{r['policy']:15}{r['time']:6.2f}{r['local']*100:6.0f}%{r['mig_s']:9.0f}"
          f"{r['mig_us']:6.1f}{r['rep_s']:9.0f}{r['rep_us']:6.1f}{r['guest']*100:7.0f}%"
          f"{r['user']*100:5.0f}%{r['monitor']*100:7.1f}%{r['idle']*100:5.0f}%")
print(f"(time: parallel phase normalized to none; Disco: Engineering 0.67, Raytrace 0.62 of IRIX; "
      f"UMA 0.48 and 0.49)")
print(f"csv: {out}/numa-policies.csv, per interval: {out}/numa-intervals.csv")
print(f"share (nothing to gain): disco/none {res[('share', 'disco')] / res[('share', 'none')]:.3f}, "
      f"autonuma/none {res[('share', 'autonuma')] / res[('share', 'none')]:.3f} (target <= 1.04)")
a = [res[(w, "disco")] / res[(w, "none")] for w in ("eng", "ray")]
b = [res[(w, "disco")] / res[(w, "uma")] for w in ("eng", "ray")]
print(f"disco/none: {a[0]:.2f} {a[1]:.2f}, disco/uma: {b[0]:.2f} {b[1]:.2f}", file=open(f"{out}/numa-last.txt", "w"))
PY

# Plots (gnuplot, PNG), then the last line.
if command -v gnuplot >/dev/null; then
    gnuplot <<GP && echo "plots: $OUT/numa-time.png $OUT/numa-local.png $OUT/numa-local-over-time.png"
set terminal pngcairo size 1100,420 noenhanced
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.8
set xtics rotate by -30
set grid ytics
set key off
set output "$OUT/numa-time.png"
set multiplot layout 1,3 title "Parallel-phase time normalized to none (lower is better)"
set yrange [0:*]
do for [i=0:2] { set title word("eng ray share", i+1); plot "$OUT/numa-bars.dat" index i using 2:xtic(1) }
unset multiplot
set output "$OUT/numa-local.png"
set multiplot layout 1,3 title "Share of local cache misses (%)"
set yrange [0:100]
do for [i=0:2] { set title word("eng ray share", i+1); plot "$OUT/numa-bars.dat" index i using 3:xtic(1) }
unset multiplot
set terminal pngcairo size 1000,1100 noenhanced
set output "$OUT/numa-local-over-time.png"
set style data linespoints
set xtics norotate autofreq
set key outside right
set xlabel "simulated ms"
set multiplot layout 3,1 title "Local misses (%) per 10 ms interval, the VM's vCPUs"
pols = "$POLICIES"
do for [w in "eng ray share"] { set title w; plot for [i=1:words(pols)] "$OUT/numa-over-".w.".dat" index i-1 using 1:2 title word(pols, i) }
unset multiplot
GP
else
    echo "plots: skipped (gnuplot is not installed; Debian package gnuplot-nox)"
fi
cat "$OUT/numa-last.txt"
