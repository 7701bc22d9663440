# Sourced by rootfs.sh. Runs the image's mipsel programs on this host under qemu-user
# (qemu-mipsel -L TREE: the dynamic loader and libraries come from TREE).
#
# Why shims: qemu-user emulates one process; when that process calls execve, the host
# kernel runs the new program, and without a binfmt_misc handler (none here, and
# registering one changes the whole host) it cannot run a mipsel ELF. So every program
# of the tree gets a host-side shim, a small script named like the program that runs
# it under qemu-mipsel, and PATH holds only the shim directory: when make runs gcc or
# the shell runs sqlite3, the exec lands on a shim and re-enters qemu with the tree's
# program. Two programs exec by absolute path instead of PATH and get an option that
# routes those execs through shims too:
#   gcc        -wrapper SHIM/.wrap   (cc1, as, collect2; collect2 finds ld on PATH)
#   iverilog   -B SHIM/.ivl          (ivlpp and ivl; the rest of that folder is linked)
# Every program that runs is the tree's, under emulation; only the exec is redirected.

# shims_make TREE DIR: fills DIR with a shim for each program in TREE's bin folders.
shims_make() {
    local tree=$1 dir=$2 d f name
    mkdir -p "$dir/.ivl"
    cat >"$dir/.run" <<EOF
#!/bin/bash
# .run NAME PATH-IN-TREE ARGS...: the tree's program under qemu-mipsel.
name=\$1 prog=\$2; shift 2
exec qemu-mipsel -L "$tree" -0 "\$name" "$tree\$prog" "\$@"
EOF
    cat >"$dir/.wrap" <<EOF
#!/bin/bash
# gcc's -wrapper: \$1 is the program gcc would exec (a path in the tree, or a shim).
prog=\$1; shift
[[ -e "$tree\$prog" ]] && exec "$dir/.run" "\${prog##*/}" "\$prog" "\$@"
exec "\$prog" "\$@"
EOF
    chmod 755 "$dir/.run" "$dir/.wrap"
    for d in usr/local/bin usr/bin bin usr/sbin sbin; do
        [[ -d "$tree/$d" ]] || continue
        for f in "$tree/$d"/*; do
            name=${f##*/}
            [[ -e "$dir/$name" ]] && continue
            printf '#!/bin/bash\nexec "%s/.run" %q %q %s"$@"\n' "$dir" "$name" "/$d/$name" \
                "$(shims_extra "$name" "$dir")" >"$dir/$name"
            chmod 755 "$dir/$name"
        done
    done
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

# shims_extra NAME DIR: the options a program needs so its own execs use shims.
shims_extra() {
    case $1 in
        gcc|gcc-12|mipsel-linux-gnu-gcc|mipsel-linux-gnu-gcc-12|cpp|cpp-12)
            printf -- '-wrapper %q ' "$2/.wrap" ;;
        iverilog) printf -- '-B %q ' "$2/.ivl" ;;
    esac
}

# shims_env DIR: the environment for a run: PATH is the shims only, make's recipes
# run in the tree's shell, and nothing of the host's compiler set-up leaks in.
shims_env() {
    echo env -i "PATH=$1" "HOME=/root" "LANG=C" "LC_ALL=C" "MAKEFLAGS=SHELL=$1/sh"
}
