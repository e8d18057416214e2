#!/bin/sh
# Trainer measurements (see bench/README.md). Builds the bench binary, then runs it; prints the load average before each run so contention is visible.
set -e
cd "$(dirname "$0")/.."
swift build -c release --product spiketrain-bench
B=$(swift build -c release --show-bin-path)/spiketrain-bench
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
