# shellcheck shell=bash
# Sourced by rootfs.sh. Runs the image's mipsel programs on this host under qemu-user
# (qemu-mipsel -L TREE: the dynamic loader and libraries come from TREE).
#
# Why shims: qemu-user emulates one process; when that process calls execve, the host
# kernel runs the new program, and without a binfmt_misc handler (none here, and
# registering one changes the whole host) it cannot run a mipsel ELF. So every program
# of the tree gets a host-side shim, a small script named like the program that runs
# it under qemu-mipsel, and PATH holds only the shim directory: when make runs gcc or
# the shell runs sqlite3, the exec lands on a shim and re-enters qemu with the tree's
# program. qemu's -L prefix applies to opening files but not to every system call
# (access and stat of a path are the host's), and two programs exec by absolute path,
# so these get options that point them at the tree by its host path and route their
# execs through shims:
#   gcc        --sysroot=TREE (headers, crt files, libraries), -B TREE/usr/lib/gcc/...
#              (cc1, collect2), -wrapper SHIM/.wrap (runs those under qemu; as and
#              collect2's ld are found on PATH, so they are shims)
#   iverilog   -B SHIM/.ivl (ivlpp and ivl as shims; the rest of that folder linked)
# Scripts are run by their host path in the tree for the same reason (a cd into a
# guest path is not mapped).
# Every program that runs is the tree's, under emulation; only the exec is redirected.

# shims_make TREE DIR: fills DIR with a shim for each program in TREE's bin folders.
shims_make() {
    local tree=$1 dir=$2 d f name qemu
    qemu=$(command -v qemu-mipsel)
    mkdir -p "$dir/.ivl"
    cat >"$dir/.run" <<EOF
#!/bin/bash
# .run NAME PATH-IN-TREE ARGS...: the tree's program under qemu-mipsel.
name=\$1 prog=\$2; shift 2
exec "$qemu" -L "$tree" -0 "\$name" "$tree\$prog" "\$@"
EOF
    cat >"$dir/.wrap" <<EOF
#!/bin/bash
# gcc's -wrapper: \$1 is the program gcc would exec: one of the tree's (cc1, collect2,
# found through -B) or a shim (as, found on PATH).
prog=\$1; shift
case \$prog in
    "$tree"/*) exec "$dir/.run" "\${prog##*/}" "\${prog#"$tree"}" "\$@" ;;
    *) exec "\$prog" "\$@" ;;
esac
EOF
    cat >"$dir/.exec" <<EOF
#!/bin/bash
# .exec PROGRAM ARGS...: a mipsel program built in a workload (a host path) under qemu.
exec "$qemu" -L "$tree" "\$@"
EOF
    chmod 755 "$dir/.run" "$dir/.wrap" "$dir/.exec"
    for d in usr/local/bin usr/bin bin usr/sbin sbin; do
        [[ -d "$tree/$d" ]] || continue
        for f in "$tree/$d"/*; do
            name=${f##*/}
            [[ -e "$dir/$name" ]] && continue
            shims_extra "$name" "$dir" "$tree"
            printf '#!/bin/bash\nexec "%s/.run" %q %q %s"$@"\n' "$dir" "$name" "/$d/$name" \
                "$SHIMS_EXTRA" >"$dir/$name"
        done
    done
    chmod 755 "$dir"/*
    local ivl=usr/lib/mipsel-linux-gnu/ivl
    for f in "$tree/$ivl"/*; do
        name=${f##*/}
        case $name in
            ivl|ivlpp|vhdlpp)
                printf '#!/bin/bash\nexec "%s/.run" %q %q "$@"\n' "$dir" "$name" "/$ivl/$name" >"$dir/.ivl/$name"
                chmod 755 "$dir/.ivl/$name" ;;
            *)  ln -s "$f" "$dir/.ivl/$name" ;;
        esac
    done
}

# shims_extra NAME DIR TREE: sets SHIMS_EXTRA to the options a program needs so that its
# own execs use shims too (a variable, not output: no subshell per program).
shims_extra() {
    SHIMS_EXTRA=
    case $1 in
        gcc|gcc-12|mipsel-linux-gnu-gcc|mipsel-linux-gnu-gcc-12|cpp|cpp-12)
            SHIMS_EXTRA="-wrapper $2/.wrap --sysroot=$3 -B $3/usr/lib/gcc/mipsel-linux-gnu/12/ " ;;
        iverilog) SHIMS_EXTRA="-B $2/.ivl " ;;
    esac
}

# shims_env DIR: the environment for a run: PATH is the shims only, make's recipes
# run in the tree's shell, and nothing of the host's compiler set-up leaks in.
shims_env() {
    echo env -i "PATH=$1" "HOME=/root" "LANG=C" "LC_ALL=C" "MAKEFLAGS=SHELL=$1/sh" "WL_EXEC=$1/.exec"
}
