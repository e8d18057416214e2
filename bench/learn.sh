#!/usr/bin/env bash
# The plasticity issue's figures, as JSON lines on stdout (one per run, `spikescope learn --json`):
#   digits: Diehl & Cook and VDSP, N = 100, one epoch, seeds 0 1 2 (goal: DC >= 86 % mean, <= 30 s a run;
#           VDSP within 2 points of DC);
#   fashion (with the argument "fashion"): Diehl & Cook, N = 400, one epoch (goal <= 15 min).
# Each line carries accuracy, learn_seconds and seconds (wall time of the whole run: learning,
# assignment and test). From the repository root, on a quiet machine:
#   bash bench/learn.sh [fashion]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product spikescope >&2
BIN=$(swift build -c release --show-bin-path)/spikescope
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
uptime >&2
for f in learn-digits learn-digits-vdsp; do
  for seed in 0 1 2; do
    "$BIN" learn --session "sessions/$f.toml" --seed "$seed" --json --out "$OUT/$f-$seed.safetensors" | sed "s/^{/{\"file\":\"$f\",/"
  done
done
if [ "${1:-}" = fashion ]; then
  "$BIN" learn --session sessions/learn-fashion.toml --json --out "$OUT/fashion.safetensors" | sed 's/^{/{"file":"learn-fashion",/'
fi
