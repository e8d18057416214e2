#!/bin/sh
# Trainer measurements (see bench/README.md). Builds under the shared lock, then runs the
# binary without it; prints the load average before each run so contention is visible.
set -e
cd "$(dirname "$0")/.."
flock /tmp/swift-build.lock swift build --scratch-path .build-train -c release --product spiketrain-bench
B=.build-train/release/spiketrain-bench
case "${1:-all}" in
digits|all)
    uptime; $B digits sessions/digits.safetensors 200 split
    rm -f sessions/digits.state.safetensors ;;
esac
case "${1:-all}" in
mlp|all)
    for round in 1 2 3; do
        for mode in split blas blas1; do uptime | sed 's/.*load/load/'; $B mlp 100 $mode; done
    done ;;
esac
case "${1:-all}" in
conv|all)
    for mode in split blas; do uptime | sed 's/.*load/load/'; PAR=$mode NOEVAL=1 $B conv 2560 | grep '^conv'; done
    uptime; $B conv 12800 | grep -v '^batch' ;;
esac
