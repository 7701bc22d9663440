#!/usr/bin/env bash
# Memory-management core benchmark: pmap lookups (1 MB vs 1 GB guest), L2TLB lookups,
# migrate, replicate, collapse. Builds build/bin/mm-core and runs it; the last line is
# "pmap lookups/s: N". Optional argument: seconds per measurement (default 0.3).
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build/bin/mm-core
exec build/bin/mm-core "$@"
