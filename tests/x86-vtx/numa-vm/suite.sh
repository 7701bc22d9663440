#!/bin/bash
# Runs inside the numa-vm test machine (tests/x86-vtx/numa-vm.sh), from /repo, after
# init loaded kvm/kvm_amd: real /dev/kvm (nested SVM under QEMU TCG), two real NUMA
# nodes (CPU 0 on node 0, CPU 1 on node 1). Prints "numa-vm: PASS name" or
# "numa-vm: FAIL name" (with the test's last output lines) per test, then
# "numa-vm: N passed, N failed". Nothing may skip here: a skip counts as a failure.
set -u
export VTX_KVM=/dev/kvm
VTX=build/bin/vtx G=build/x86-guests
cmdline_arg() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" /proc/cmdline; }   # cmdline_arg KEY
TIMEOUT=$(cmdline_arg numa_vm_test_timeout)   # per test, seconds: a hung test is a FAIL
TIMEOUT=${TIMEOUT:-90}                        # line with its output, not a lost boot
REPEAT=$(cmdline_arg numa_vm_repeat)          # run every selected test this many times
REPEAT=${REPEAT:-1}
pass=0 fail=0
arg_of() { printf '%u' $(( $1 )); }   # guest --arg values above 2^63 as unsigned

only=$(cmdline_arg numa_vm_only)
skip=",$(cmdline_arg numa_vm_skip),"   # tests that passed in an earlier boot (numa-vm.sh)
# run_bounded SECS COMMAND...: COMMAND in its own session (process group), output to
# /tmp/log; after SECS the whole group is killed (vtx and its vCPU threads included, not
# only the shell that started them). Returns its exit status, 124 on timeout.
run_bounded() {
    local secs=$1; shift
    rm -f /tmp/timedout
    setsid bash -c '"$@"' run "$@" >/tmp/log 2>&1 </dev/null &
    local pid=$! rc
    ( sleep "$secs"; touch /tmp/timedout; kill -KILL -- -$pid ) 2>/dev/null &
    local killer=$!
    wait $pid; rc=$?
    kill $killer 2>/dev/null; wait $killer 2>/dev/null
    [[ -e /tmp/timedout ]] && { echo "(killed after ${secs}s)" >>/tmp/log; rc=124; }
    return $rc
}
run() {   # run NAME COMMAND...: exit 0 passes, anything else (77 too) fails
    local name=$1; shift
    [[ -z $only || $name == $only ]] || return 0
    [[ $skip != *",$name,"* ]] || return 0
    local i
    for ((i = 1; i <= REPEAT; i++)); do run_once "$name" "$@"; done
}
run_once() {
    local name=$1; shift
    local t0=$EPOCHREALTIME rc tailer=""
    if [[ -n $only ]]; then   # one test, its output live on the console
        : >/tmp/log
        tail -f /tmp/log > >(sed 's/^/numa-vm: > /') &
        tailer=$!
    fi
    run_bounded "$TIMEOUT" "$@"; rc=$?
    [[ -n $tailer ]] && { sleep 1; kill $tailer; wait $tailer; } 2>/dev/null
    local secs
    secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b-a}')
    if [[ $rc -eq 0 ]]; then
        pass=$((pass + 1)); echo "numa-vm: PASS $name (${secs}s)"
    else
        fail=$((fail + 1)); echo "numa-vm: FAIL $name (exit $rc, ${secs}s)"
        tail -n 25 /tmp/log | sed 's/^/numa-vm:   | /'
    fi
}
expect() {   # expect FILE REGEX WHAT
    grep -Eq -- "$2" "$1" || { cat "$1"; echo "FAIL: $3 (no line matching '$2')"; return 1; }
}

# --- the machine itself: two nodes with a CPU each, and a KVM device ---------------
t_machine() {
    [[ -d /sys/devices/system/node/node0 && -d /sys/devices/system/node/node1 ]] || { echo "not 2 NUMA nodes"; return 1; }
    [[ ! -d /sys/devices/system/node/node2 ]] || { echo "more than 2 nodes"; return 1; }
    [[ $(cat /sys/devices/system/node/node0/cpulist) == 0 && $(cat /sys/devices/system/node/node1/cpulist) == 1 ]] ||
        { echo "CPU 0 should be on node 0 and CPU 1 on node 1"; return 1; }
    grep -qw svm /proc/cpuinfo || { echo "no svm flag"; return 1; }
    [[ -c /dev/kvm ]] || { echo "no /dev/kvm"; return 1; }
    build/tests/kvm-probe || { echo "kvm-probe: KVM not usable"; return 1; }
}

t_kvm_test() {   # cmocka: passes only if no test skipped
    CMOCKA_MESSAGE_OUTPUT=STDOUT build/tests/vtx_kvm_test >/tmp/k 2>&1; local rc=$?
    cat /tmp/k
    [[ $rc -eq 0 ]] || return 1
    ! grep -q '^\[  SKIPPED \]' /tmp/k || { echo "cmocka tests skipped"; return 1; }
}

# --- cross-node runs on the host topology (model node n = OS node n) ---------------
# --spread: VM i on node i % 2; VM 1's image is node 1's replica; the pmap must agree
# with the kernel (move_pages status query) for every page of both VMs.
t_spread() {
    $VTX run --vms 2 --mem 2M --spread --verify-memtouch --arg $(( 4 << 32 )) "$G/memtouch.elf" >/tmp/o 2>&1; local rc=$?
    cat /tmp/o; [[ $rc -eq 0 ]] || return 1
    expect /tmp/o 'checksums ok: 2/2' "checksums" &&
    expect /tmp/o ' 1 replicas' "VM 1's image replica on node 1" &&
    ! grep -q disagrees /tmp/o
}

# Item 7: migration across real nodes with --spread. Each VM moves to node K while it
# runs; its pmap then says node K for every page, shared image pages included (node
# K's replica), and the kernel must agree page by page ("0 disagree", and the end-of-
# run check). A VMM that leaves the image mapped from the old node's replica fails.
t_spread_migrate() {   # t_spread_migrate K
    local k=$1 passes vm
    vm=$(( 1 - k ))   # the VM that starts on the other node
    for passes in 300 1200; do   # more passes if it ended before its turn (slow host)
        $VTX run --vms 2 --mem 2M --spread --migrate-to "$k" --verify-memtouch --quiet \
            --arg $(( passes << 32 )) "$G/memtouch.elf" >/tmp/o 2>&1; rc=$?
        grep -q "vm $vm ended before it could be migrated" /tmp/o || break
    done
    cat /tmp/o; [[ $rc -eq 0 ]] || return 1
    expect /tmp/o "vm $vm migrated to node $k \(OS node $k\) while running: [1-9][0-9]* pages.* 0 disagree" "vm $vm migrated across nodes" &&
    expect /tmp/o 'checksums ok: 2/2' "checksums after migration" &&
    ! grep -q disagrees /tmp/o
}

# Item 7, vCPU moves: VM 0 (node 0) and VM 1 (node 1) both get their vCPU moved to
# node 1; VM 0's shared image pages must then come from node 1's replica, as its pmap
# says, while its RAM stays on node 0 (policy none): the end-of-run check compares.
t_spread_move_vcpu() {
    $VTX run --vms 2 --mem 2M --spread --move-vcpu-to 1 --policy none --verify-memtouch \
        --quiet --arg $(( 300 << 32 )) "$G/memtouch.elf" >/tmp/o 2>&1; local rc=$?
    cat /tmp/o; [[ $rc -eq 0 ]] || return 1
    expect /tmp/o 'vm 0 vCPU moved to node 1' "vm 0's vCPU moved" &&
    expect /tmp/o ' 0 migrations' "policy none moved no page" &&
    ! grep -q disagrees /tmp/o
}

# Item 8: a dirty page is charged to the node of the vCPU thread that dirtied it.
# The VM is placed on node 0 (memory and intended vCPU node), but a cpuset (cgroup v2)
# confines vtx to CPU 1 (node 1), so its vCPU thread cannot be bound to node 0 and runs
# on node 1. Its rewrites must be charged to node 1 (none to node 0), and migrate-only
# must then move the hot pages to node 1. Control: without the cpuset, everything is
# charged to node 0 and nothing moves.
CG=/sys/fs/cgroup
cpuset_node1() {
    [[ -d $CG/node1 ]] && return 0
    mount -t cgroup2 none $CG 2>/dev/null
    echo +cpuset >$CG/cgroup.subtree_control && mkdir $CG/node1 &&
        echo 1 >$CG/node1/cpuset.cpus && echo 0-1 >$CG/node1/cpuset.mems
}
policy_run() {   # policy_run OUT [runner...]
    local out=$1; shift
    "$@" $VTX run --vms 1 --mem 4M --node 0 --policy migrate-only --verify-memtouch --quiet \
        --arg "$(arg_of '(1 << 63) | (40 << 32)')" "$G/memtouch.elf" >"$out" 2>&1
}
in_node1() { bash -c 'echo $$ >/sys/fs/cgroup/node1/cgroup.procs && exec "$@"' in_node1 "$@"; }
t_dirty_charge() {
    cpuset_node1 || { echo "cannot make a cpuset on CPU 1"; return 1; }
    policy_run /tmp/c in_node1; local rc=$?
    cat /tmp/c; [[ $rc -eq 0 ]] || return 1
    expect /tmp/c 'charged by the node their vCPU ran on: node 0: 0, node 1: [1-9][0-9]*$' "dirty pages charged to node 1 only" &&
    expect /tmp/c ' [1-9][0-9]* migrations .* 0 failed' "hot pages migrated to node 1" &&
    expect /tmp/c 'checksums ok: 1/1' "checksum" &&
    ! grep -q disagrees /tmp/c || return 1
    policy_run /tmp/n; rc=$?
    cat /tmp/n; [[ $rc -eq 0 ]] || return 1
    expect /tmp/n 'charged by the node their vCPU ran on: node 0: [1-9][0-9]*, node 1: 0$' "control: charged to node 0" &&
    expect /tmp/n ' 0 migrations' "control: nothing migrated"
}

# Issue 15: the policy library disco loads (examples/hotnode.c) decides vtx's dirty-log
# hot pages on two real nodes. As above, the cpuset keeps vtx on CPU 1 while the VM is
# placed on node 0: the pages its vCPU dirties are charged to node 1, hotnode migrates
# them there (real move_pages), and its own report, the --numa-trace lines and the
# summary's migrations must all count the same pages, all sent to node 1.
SO=build/examples/hotnode.so
t_policy_lib() {
    cpuset_node1 || { echo "cannot make a cpuset on CPU 1"; return 1; }
    in_node1 $VTX run --vms 1 --mem 4M --node 0 --policy-lib "./$SO" --policy-param ratio=2 \
        --numa-trace /tmp/trace --verify-memtouch --quiet \
        --arg "$(arg_of '(1 << 63) | (40 << 32)')" "$G/memtouch.elf" >/tmp/p 2>&1; local rc=$?
    cat /tmp/p; [[ $rc -eq 0 ]] || return 1
    expect /tmp/p "policy hotnode \(loaded from \./$SO\): [1-9][0-9]* hot-page events" "hotnode.so decided" &&
    expect /tmp/p 'charged by the node their vCPU ran on: node 0: 0, node 1: [1-9][0-9]*$' "charged to node 1" &&
    expect /tmp/p 'checksums ok: 1/1' "checksum" || return 1
    ! grep -q disagrees /tmp/p || return 1
    local moved sent traced
    moved=$(sed -n 's/.* \([0-9]*\) migrations (.*/\1/p' /tmp/p)
    sent=$(sed -n 's/.*"sent": \[0, \([0-9]*\)\].*/\1/p' /tmp/p)
    traced=$(grep -c '"action": "migrate", "reason": "none", "node": 1' /tmp/trace)
    echo "hotnode.so: $moved migrations, report sent $sent to node 1, $traced trace lines"
    [[ ${moved:-0} -gt 0 && $sent == "$moved" && $traced == "$moved" ]] || return 1
    ! grep -q '"node": 0' /tmp/trace
}

export VTX G CG SO
export -f expect arg_of t_machine t_kvm_test t_spread t_spread_migrate t_spread_move_vcpu \
    cpuset_node1 policy_run in_node1 t_dirty_charge t_policy_lib
run machine t_machine
run vtx_kvm_test t_kvm_test
# The x86-vtx scripts that use KVM. Only with numa_vm_full=1 on the kernel command line
# (NUMA_VM_FULL=1 numa-vm.sh): vtx_bad_input.sh (needs no KVM: it runs on the host),
# vtx_100_vms.sh (20-80 s under TCG) and vtx_migrate.sh (migrates 2 VMs one after the
# other; under TCG on a busy host moving VM 0 takes as long as VM 1's whole run, so it
# retries with 4x and 16x the passes: minutes; spread-migrate-to-* below cover it).
full=0
grep -qw numa_vm_full=1 /proc/cmdline && full=1
for s in tests/x86-vtx/vtx_*.sh; do
    case $s in */vtx_bad_input.sh|*/vtx_100_vms.sh|*/vtx_migrate.sh) [[ $full == 1 ]] || continue ;; esac
    case $s in */vtx_policy_lib.sh) continue ;; esac   # needs disco: it runs on the host
    run "$(basename "$s")" bash "$s"
done
run spread t_spread
run spread-migrate-to-1 t_spread_migrate 1
run spread-migrate-to-0 t_spread_migrate 0
run spread-move-vcpu t_spread_move_vcpu
run dirty-charged-to-vcpu-node t_dirty_charge
run policy-lib-on-real-nodes t_policy_lib
echo "numa-vm: $pass passed, $fail failed"
