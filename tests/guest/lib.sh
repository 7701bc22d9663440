# lib.sh - helpers for the mini guest kernel's tests (sourced).
#   mini_need            exit 77 unless the simulator, the kernels and mini-ref are built
#   mini_with_cmdline IN OUT "words"   copy kernel IN to OUT with its command line replaced
#   mini_compared FILE   the lines of a console log that must not depend on the platform
SIM=build/bin/mips-sim
REF=build/bin/mini-ref
BARE=build/guest/mini-bare.elf
DISCO=build/guest/mini-disco.elf
MINI_CMDLINE_BYTES=256

mini_need() {
    local f
    for f in "$SIM" "$REF" "$BARE" "$DISCO"; do
        [[ -e $f ]] || { echo "no $f (run make)"; exit 77; }
    done
    command -v mipsel-linux-gnu-objcopy >/dev/null || { echo "no mipsel-linux-gnu-objcopy"; exit 77; }
}

mini_with_cmdline() {
    local in=$1 out=$2 words=$3 tmp
    tmp=$(mktemp)
    printf '%s' "$words" >"$tmp"
    truncate -s "$MINI_CMDLINE_BYTES" "$tmp"
    mipsel-linux-gnu-objcopy --update-section .mini_cmdline="$tmp" "$in" "$out"
    local rc=$?
    rm -f "$tmp"
    return $rc
}

mini_compared() {
    grep -v '^# ' "$1"
}
