# The main demo's answer (`make run`), checked against the host's own count.
INTEGRATION_TESTS += tests/demo/demo-answer.sh
