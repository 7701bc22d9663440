#!/usr/bin/env bash
# x86-vtx density benchmark (not part of `make test`; timings are noisy).
#  1. start-to-exit wall time of one tiny VM: `vtx run hello.elf` (whole process: open
#     /dev/kvm, load the ELF, build the VM, run, power off, tear down), median of runs;
#  2. the same with `qemu-system-x86_64 -accel kvm` booting a tiny multiboot guest that
#     prints one line on the debug console and exits through isa-debug-exit;
#  3. host memory overhead per VM beyond guest RAM, with 1000 tiny VMs alive at once
#     (MemFree drop minus the guest pages resident, divided by VMs);
#  4. the number of tiny VMs alive at once (tries 1000, then larger counts).
# Last line: "start latency ratio vtx/qemu: <vtx seconds / qemu seconds>".
set -u
cd "$(dirname "$0")/.."
make -s build/bin/vtx build/x86-guests/hello.elf build/x86-guests/hold.elf \
    build/x86-guests/qemu-mb.elf build/tests/kvm-probe >/dev/null || exit 1
VTX=build/bin/vtx
G=build/x86-guests
# The KVM device: $VTX_KVM (which vtx follows too) or /dev/kvm.
if ! why=$(build/tests/kvm-probe); then
    echo "vtx-density: nothing to measure: $why"
    echo "start latency ratio vtx/qemu: n/a (no usable KVM)"
    exit 0
fi
RUNS=${VTX_BENCH_RUNS:-21}
QRUNS=${VTX_BENCH_QEMU_RUNS:-5}

median() { sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
walltime() { local s=$EPOCHREALTIME; "$@" >/dev/null 2>&1; local rc=$?
             awk -v a="$s" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.6f\n", b-a}'; return $rc; }

echo "== 1. vtx: one tiny VM, start to exit ($RUNS runs, whole process)"
for _ in $(seq "$RUNS"); do walltime "$VTX" run --mem 64K "$G/hello.elf" || { echo "vtx run failed"; exit 1; }; done >/tmp/vtx-bench.$$
vtx_s=$(median </tmp/vtx-bench.$$)
"$VTX" run --mem 64K "$G/hello.elf" | grep -E 'hello|latency'
echo "vtx median wall time: $vtx_s s"

echo "== 2. qemu-system-x86_64 -accel kvm: tiny multiboot guest, start to exit ($QRUNS runs)"
qemu_s=""
if [[ -n "${VTX_KVM:-}" && "$VTX_KVM" != /dev/kvm ]]; then
    echo "VTX_KVM=$VTX_KVM: QEMU would use /dev/kvm, not that device; not measured"
elif command -v qemu-system-x86_64 >/dev/null; then
    QEMU=(qemu-system-x86_64 -accel kvm -M pc -m 16 -display none -nodefaults -no-user-config
          -kernel "$G/qemu-mb.elf" -debugcon stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04)
    out=$("${QEMU[@]}" 2>/dev/null); rc=$?
    echo "qemu guest said: $out (exit status $rc; isa-debug-exit 0 gives 1)"
    if [[ $rc -eq 1 && "$out" == "hello from qemu guest" ]]; then
        for _ in $(seq "$QRUNS"); do walltime "${QEMU[@]}"; done >/tmp/vtx-bench-q.$$
        qemu_s=$(median </tmp/vtx-bench-q.$$)
        echo "qemu median wall time: $qemu_s s"
        if [[ -x /usr/bin/time ]]; then
            /usr/bin/time -f "qemu peak RSS: %M KiB" "${QEMU[@]}" 2>&1 >/dev/null | grep 'peak RSS'
        fi
    else
        echo "qemu did not run the guest as expected"
    fi
else
    echo "qemu-system-x86_64 not installed (./setup.sh --bench installs it)"
fi

echo "== 3./4. tiny VMs alive at once (hold.elf, 64 KiB RAM each)"
best=0
for n in 1000 2000 4000; do
    out=$("$VTX" run --vms "$n" --mem 64K --hold --quiet --hold-timeout 120000 "$G/hold.elf" 2>&1); rc=$?
    echo "$out" | grep -E 'VMs started|alive at once|host memory|could not start' | sed "s/^/[$n] /"
    alive=$(echo "$out" | sed -nE 's/.*alive at once: ([0-9]+).*/\1/p')
    [[ -n "$alive" && $alive -gt $best ]] && best=$alive
    [[ $rc -eq 0 && "$alive" == "$n" ]] || break
done
echo "tiny VMs alive at once on this machine: $best"
rm -f /tmp/vtx-bench.$$ /tmp/vtx-bench-q.$$
if [[ -n "$qemu_s" ]]; then
    echo "start latency ratio vtx/qemu: $(awk -v a="$vtx_s" -v b="$qemu_s" 'BEGIN{printf "%.4f", a/b}')"
else
    echo "start latency ratio vtx/qemu: n/a (qemu could not be measured)"
fi
