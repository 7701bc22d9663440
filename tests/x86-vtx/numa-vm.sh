#!/usr/bin/env bash
# The x86-vtx suite for real: real KVM (nested SVM) and two real NUMA nodes, inside a
# QEMU TCG virtual machine, on any host (no /dev/kvm, one node is enough).
#
# The VM: qemu-system-x86_64 -accel tcg, -cpu max (AMD SVM with nested paging), -smp 2,
# two NUMA nodes of 1 GiB each (memory-backend-ram + -numa node,memdev=...), CPU i on
# node i. It boots Debian's stock amd64 kernel (the pinned package below, fetched with
# apt-get download into cache/x86-vm/), whose own kvm/kvm_amd modules (with irqbypass
# and ccp, their dependencies) are loaded from the same package, and an initramfs
# (gzip'ed newc cpio, built under build/numa-vm/) holding Debian's static busybox, vtx,
# its guests, vtx_kvm_test, kvm-probe, bash, the x86-vtx test scripts and the in-VM
# harness tests/x86-vtx/numa-vm/ (init and suite.sh, which say what runs inside).
#
# Results come back through the serial console: one line "numa-vm: PASS name" or
# "numa-vm: FAIL name" per test, then "numa-vm: N passed, N failed" and "numa-vm: done".
# This script passes when that summary says 0 failed (and something passed).
# Every in-VM test runs under a timeout (NUMA_VM_TEST_TIMEOUT, 90 s) that kills its whole
# process group and prints a FAIL line, so a guest that falls silent for longer
# (NUMA_VM_STALL, the test timeout + 60 s) has locked up as a whole: this script then
# asks QEMU's monitor where the vCPUs are (CONSOLE.diag) and sends an NMI, on which the
# guest kernel panics with every CPU's backtrace in the console log, ending that boot. A guest that panics on a soft
# lockup ends QEMU by itself (-no-reboot). A boot that never reaches "numa-vm: done" is
# retried (NUMA_VM_BOOTS boots in all, default 3, within NUMA_VM_BUDGET seconds, default
# 550); a retry skips the tests that already passed, so it resumes at the test the guest
# locked up in, and the test fails if the guest keeps locking up. Exit 77 with one
# reason line when QEMU is missing and cannot be installed, or the packages cannot be
# fetched.
#
# Environment: NUMA_VM_ONLY=PATTERN runs only the tests whose name matches (a shell
# pattern), their output live on the console (for debugging); NUMA_VM_REPEAT=N runs each
# selected test N times in one boot (a stress run); NUMA_VM_FULL=1 also runs
# vtx_100_vms.sh, vtx_migrate.sh and vtx_bad_input.sh inside (see numa-vm/suite.sh; raise
# NUMA_VM_TIMEOUT with it); NUMA_VM_TIMEOUT (seconds per boot, default 270). The console
# logs stay in build/numa-vm/ (console-BOOT.log, .qemu, .diag).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
source tests/x86-vtx/lib.sh

# Pinned packages: the kernel whose modules are loaded must be exactly this one.
KERNEL_PKG=linux-image-6.1.0-56-amd64
KERNEL_VER=6.1.192-2
KREL=6.1.0-56-amd64
BUSYBOX_PKG=busybox-static
BUSYBOX_VER=1:1.35.0-4+deb12u1+b1
CACHE=${NUMA_VM_CACHE:-$ROOT/cache/x86-vm}
OUT=$ROOT/build/numa-vm
TIMEOUT=${NUMA_VM_TIMEOUT:-270}   # per boot (all boots: NUMA_VM_BUDGET, below)
TEST_TIMEOUT=${NUMA_VM_TEST_TIMEOUT:-90}   # per in-VM test (suite.sh), seconds
NODES=2
MEM_PER_NODE_MB=1024
# Modules in load order (each after what it depends on: modinfo -F depends).
MODULES=(kernel/virt/lib/irqbypass.ko kernel/arch/x86/kvm/kvm.ko
         kernel/drivers/crypto/ccp/ccp.ko kernel/arch/x86/kvm/kvm-amd.ko)

skip() { echo "skip: $*"; exit 77; }
SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO="sudo -n"

need_qemu() {
    command -v qemu-system-x86_64 >/dev/null && return 0
    command -v apt-get >/dev/null || skip "qemu-system-x86_64 is missing and apt-get is not available"
    echo "installing qemu-system-x86 (./setup.sh installs it too)"
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
        --no-install-recommends qemu-system-x86; } >/dev/null 2>&1 ||
        skip "qemu-system-x86_64 is missing and qemu-system-x86 could not be installed"
    command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 still missing after install"
}

deb_name() {   # deb_name PKG VERSION: the file apt-get download writes (epoch ':' as %3a)
    echo "${1}_${2//:/%3a}_amd64.deb"
}

fetch_debs() {
    mkdir -p "$CACHE"
    local want=("$KERNEL_PKG=$KERNEL_VER" "$BUSYBOX_PKG=$BUSYBOX_VER") missing=() w
    for w in "${want[@]}"; do
        [[ -f $CACHE/$(deb_name "${w%%=*}" "${w#*=}") ]] || missing+=("${w%%=*}:amd64=${w#*=}")   # apt wants PKG:ARCH=VERSION
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    command -v apt-get >/dev/null || skip "apt-get is not available to fetch ${missing[*]}"
    local tmp
    tmp=$(mktemp -d) && chmod 777 "$tmp"   # apt's sandbox user must be able to write it
    if ! (cd "$tmp" && apt-get download -q "${missing[@]}" >/dev/null 2>&1); then
        $SUDO apt-get update -qq >/dev/null 2>&1
        (cd "$tmp" && apt-get download -q "${missing[@]}" >/dev/null 2>&1) ||
            { rm -rf "$tmp"; skip "apt-get download of ${missing[*]} failed (no network, or the pinned version left the archive: update KERNEL_VER in $0)"; }
    fi
    mv "$tmp"/*.deb "$CACHE"/ && rm -rf "$tmp"
}

unpack() {   # the kernel image, its four modules and busybox, once, into the cache
    local u=$CACHE/unpacked-$KREL
    if [[ ! -f $u/stamp ]]; then
        rm -rf "$u" && mkdir -p "$u"
        local paths=("./boot/vmlinuz-$KREL") m
        for m in "${MODULES[@]}"; do paths+=("./lib/modules/$KREL/$m"); done
        dpkg-deb --fsys-tarfile "$CACHE/$(deb_name $KERNEL_PKG $KERNEL_VER)" |
            tar -x -C "$u" "${paths[@]}" || fail "cannot unpack $KERNEL_PKG"
        dpkg-deb -x "$CACHE/$(deb_name $BUSYBOX_PKG $BUSYBOX_VER)" "$u" || fail "cannot unpack busybox"
        touch "$u/stamp"
    fi
    UNPACKED=$u
}

build_vtx() {   # what goes into the VM; a no-op under `make test`, which built it all
    local targets=(build/bin/vtx build/tests/vtx_kvm_test build/tests/kvm-probe)
    env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -j2 "${targets[@]}" all >"$OUT/make.log" 2>&1 ||
        { tail -n 20 "$OUT/make.log"; fail "building vtx and its guests failed"; }
}

copy_prog() {   # copy_prog BINARY DEST_IN_ROOTFS: the program and its shared libraries
    local bin=$1 dest=$2 lib
    mkdir -p "$W/$(dirname "$dest")"
    cp "$bin" "$W/$dest"
    for lib in $(ldd "$bin" 2>/dev/null | grep -oE '/[^ ]+'); do
        [[ -f $W$lib ]] && continue
        mkdir -p "$W/$(dirname "$lib")"
        cp -L "$lib" "$W$lib"
    done
}

build_initramfs() {
    W=$OUT/root
    rm -rf "$W" && mkdir -p "$W"/{bin,dev,proc,sys,tmp,modules,repo}
    cp "$UNPACKED/bin/busybox" "$W/bin/busybox"
    local m
    for m in "${MODULES[@]}"; do cp "$UNPACKED/lib/modules/$KREL/$m" "$W/modules/"; done
    printf '%s\n' "${MODULES[@]##*/}" >"$W/modules/order"
    copy_prog "$(command -v bash)" /bin/bash
    copy_prog build/bin/vtx /repo/build/bin/vtx
    copy_prog build/tests/vtx_kvm_test /repo/build/tests/vtx_kvm_test
    copy_prog build/tests/kvm-probe /repo/build/tests/kvm-probe
    mkdir -p "$W/repo/build/x86-guests" "$W/repo/tests/x86-vtx"
    cp build/x86-guests/*.elf "$W/repo/build/x86-guests/"
    mkdir -p "$W/repo/build/examples"
    cp build/examples/hotnode.so "$W/repo/build/examples/"   # the policy disco loads too
    mkdir -p "$W/repo/build/tests/x86-vtx/plugins"
    cp build/tests/x86-vtx/plugins/*.so "$W/repo/build/tests/x86-vtx/plugins/"
    cp tests/x86-vtx/*.sh "$W/repo/tests/x86-vtx/"
    rm -f "$W/repo/tests/x86-vtx/numa-vm.sh"
    cp tests/x86-vtx/numa-vm/suite.sh "$W/repo/suite.sh"
    cp tests/x86-vtx/numa-vm/init "$W/init"
    chmod 755 "$W/init" "$W/repo/suite.sh"
    (cd "$W" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) |
        gzip -1 >"$OUT/initramfs.gz" || fail "cannot build the initramfs"
}

monitor() {   # monitor SOCKET COMMAND...: HMP commands to QEMU's monitor, replies on stdout
    command -v python3 >/dev/null || { echo "(no python3: cannot ask QEMU's monitor)"; return 0; }
    python3 - "$@" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
try:
    s.connect(sys.argv[1])
except OSError as e:
    print("(monitor: %s)" % e); sys.exit(0)
def drain(secs):
    out, end = b"", time.time() + secs
    while time.time() < end:
        try:
            b = s.recv(65536)
        except socket.timeout:
            break
        if not b:
            break
        out += b
        if out.endswith(b"(qemu) "):
            break
    return out.decode(errors="replace")
drain(5)
for c in sys.argv[2:]:
    s.sendall(c.encode() + b"\n")
    print(drain(10).replace("\r", "").replace("(qemu) ", "").strip())
PY
}

# A guest whose console stays silent this long is stuck: the in-VM harness prints a line
# per test and every test has a timeout (suite.sh: NUMA_VM_TEST_TIMEOUT), so only a guest
# (or emulator) lock-up stays silent. Then the boot is diagnosed and ended at once.
STALL=${NUMA_VM_STALL:-$((TEST_TIMEOUT + 60))}
diagnose() {   # diagnose SOCK LOG QEMU_PID: where the vCPUs are, and the guest kernel's view
    local sock=$1 log=$2 pid=$3 i
    {
        echo "=== numa-vm: guest silent for ${STALL}s: QEMU's view ==="
        monitor "$sock" "info cpus" "info registers -a" | grep -E '^\*?[ ]*CPU|^RIP|^RAX|^CS |^CR0|HLT' || true
        # An NMI to every CPU: the guest kernel (unknown_nmi_panic, panic_print=0x40)
        # panics with every CPU's backtrace on the console (this log); panic=-1 and
        # -no-reboot then end QEMU.
        monitor "$sock" "nmi" >/dev/null
    } >"$log.diag" 2>&1
    for ((i = 0; i < 20; i++)); do kill -0 "$pid" 2>/dev/null && sleep 1; done
}

boot() {   # boot LOG: one boot under a timeout and a silence watchdog; console to LOG
    local log=$1 n args=() sock=$OUT/monitor.sock
    for ((n = 0; n < NODES; n++)); do
        args+=(-object "memory-backend-ram,id=m$n,size=${MEM_PER_NODE_MB}M"
               -numa "node,nodeid=$n,memdev=m$n,cpus=$n")
    done
    rm -f "$sock" "$log" "$log.qemu" "$log.diag"
    # softlockup_panic + panic=-1 + -no-reboot: a locked-up guest ends QEMU by itself.
    timeout -k 5 "${BOOT_TIMEOUT:-$TIMEOUT}" qemu-system-x86_64 -accel tcg,thread=multi -machine q35 \
        -cpu max -smp $NODES -m $((NODES * MEM_PER_NODE_MB)) "${args[@]}" \
        -kernel "$UNPACKED/boot/vmlinuz-$KREL" -initrd "$OUT/initramfs.gz" \
        -append "console=ttyS0 quiet panic=-1 softlockup_panic=1 unknown_nmi_panic panic_print=0x40 numa_vm_full=${NUMA_VM_FULL:-0} numa_vm_only=${NUMA_VM_ONLY:-} numa_vm_repeat=${NUMA_VM_REPEAT:-1} numa_vm_test_timeout=$TEST_TIMEOUT numa_vm_skip=${SKIP:-}" \
        -display none -monitor "unix:$sock,server,nowait" -serial "file:$log" -no-reboot </dev/null \
        >"$log.qemu" 2>&1 &
    local pid=$! size=-1 quiet_since=$SECONDS now
    while kill -0 $pid 2>/dev/null; do
        sleep 2
        now=$(stat -c %s "$log" 2>/dev/null || echo 0)
        if [[ $now != "$size" ]]; then
            size=$now quiet_since=$SECONDS
        elif (( SECONDS - quiet_since >= STALL )) && ! grep -q '^numa-vm: done' "$log"; then
            diagnose "$sock" "$log" $pid
            kill $pid 2>/dev/null   # timeout passes SIGTERM on to QEMU
            break
        fi
    done
    wait $pid
}

need_qemu
fetch_debs
mkdir -p "$OUT"
rm -f "$OUT"/console-*   # this run's logs only
unpack
build_vtx
t0=$EPOCHREALTIME
build_initramfs
t1=$EPOCHREALTIME
# A boot that locks up (the guest falls silent: see STALL) is retried, up to BOOTS boots
# in all; a retry skips the tests that already passed, so it resumes at the test that
# was running when the guest locked up (and fails there if it keeps locking up).
# All boots share BUDGET seconds (tests/run.sh stops a test after 600 s).
BOOTS=${NUMA_VM_BOOTS:-3}
BUDGET=${NUMA_VM_BUDGET:-550}
result="" passed_names=() earlier=0 start=$SECONDS
for ((try = 1; try <= BOOTS; try++)); do
    left=$((BUDGET - (SECONDS - start)))
    (( left >= 60 )) || { echo "boot $try: not started, ${left}s of the ${BUDGET}s budget left"; break; }
    log=$OUT/console-$try.log
    b0=$EPOCHREALTIME
    SKIP=$(IFS=,; echo "${passed_names[*]}") BOOT_TIMEOUT=$((left < TIMEOUT ? left : TIMEOUT)) \
        boot "$log"; rc=$?
    b1=$EPOCHREALTIME
    secs=$(awk -v a="$b0" -v b="$b1" 'BEGIN{printf "%.1f", b-a}')
    tr -d '\r' <"$log" | grep -E '^numa-vm: ' || true
    if grep -q '^numa-vm: done' "$log"; then
        result=$log
        echo "boot $try: finished in ${secs}s (qemu exit $rc)"
        break
    fi
    echo "boot $try: no 'numa-vm: done' after ${secs}s (qemu exit $rc; timeout ${TIMEOUT}s, silence ${STALL}s); last console lines:"
    tr -d '\r' <"$log" | grep -v '^numa-vm: ' | tail -n 150 | sed 's/^/    | /'
    [[ -f $log.diag ]] && sed 's/^/    diag| /' "$log.diag"
    cat "$log.qemu" 2>/dev/null | tail -n 5 | sed 's/^/    qemu| /'
    while read -r name; do passed_names+=("$name"); earlier=$((earlier + 1)); done < <(
        tr -d '\r' <"$log" | sed -n 's/^numa-vm: PASS \([^ ]*\) .*/\1/p')
    ! tr -d '\r' <"$log" | grep -q '^numa-vm: FAIL ' ||
        fail "a test failed before the guest locked up (console: $log)"
done
echo "initramfs built in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')s"
[[ -n $result ]] || fail "the VM did not finish in $BOOTS boots (logs: $OUT/console-*.log)"
summary=$(tr -d '\r' <"$result" | sed -n 's/^numa-vm: \([0-9]* passed, [0-9]* failed\)$/\1/p' | tail -n 1)
[[ -n $summary ]] || fail "no summary line in $result"
passed=${summary%% passed*}
failed=$(sed -E 's/.* ([0-9]+) failed/\1/' <<<"$summary")
fails=$(tr -d '\r' <"$result" | grep -c '^numa-vm: FAIL ')
passes=$(tr -d '\r' <"$result" | grep -c '^numa-vm: PASS ')
[[ $passes -eq $passed && $fails -eq $failed ]] ||
    fail "summary ($summary) does not match the PASS/FAIL lines ($passes, $fails)"
[[ $failed -eq 0 && $((passed + earlier)) -gt 0 ]] || fail "inside the VM: $summary (console: $result)"
[[ $earlier -eq 0 ]] || echo "numa-vm: $earlier tests passed in boots that then locked up, $passed in the last boot"
echo "numa-vm: all $((passed + earlier)) tests passed on real KVM (nested SVM) and 2 real NUMA nodes"
