# Integration tests of the mini guest kernel (guest/mini/).
INTEGRATION_TESTS += tests/guest/mini-bare.sh tests/guest/mini-cmdline.sh \
                     tests/guest/mini-disco-build.sh tests/guest/mini-disco-run.sh
