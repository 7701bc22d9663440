# Integration scripts for mips-sim (exit 0 pass, 77 skip, else fail).
INTEGRATION_TESTS += tests/integration/mips-determinism.sh tests/integration/mips-badinput.sh \
                     tests/integration/mips-hostile.sh \
                     tests/integration/mips-engines.sh tests/integration/mips-layers.sh
