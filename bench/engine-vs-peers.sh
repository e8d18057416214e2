#!/usr/bin/env bash
# Engine speed against snnTorch, Norse and SpikingJelly on this machine, in one run (issue: the
# foundation's benchmark). Interleaves ROUNDS rounds of: each peer's step latency (batch 1) and
# inference throughput (batch 256, T=8) from ../shared/peerbench, and `spikescope bench step` on the same network
# (784-800-10 LIF, decay 0.9, threshold 1, reset by subtraction, 20 % input spikes at batch 1).
# Then prints medians and the ratios. From the repository root:
#   bash ../shared/peerbench/setup.sh        # once: venv with torch + snnTorch at /tmp/peers
#   bash bench/engine-vs-peers.sh [ROUNDS] [OUT.jsonl]
# Both sides use 2 threads (PEERBENCH_THREADS=2; OpenBLAS defaults to the 2 cores).
# Do not run it while anything else (a build) is running: only ratios from one quiet run count.
set -euo pipefail
ROUNDS=${1:-3}
OUT=${2:-bench/results/engine-vs-peers.jsonl}
VENV=${VENV:-/tmp/peers}
PEER=$(cd "$(dirname "$0")/../../shared/peerbench" 2>/dev/null && pwd || true)
[ -n "$PEER" ] && [ -x "$VENV/bin/python" ] || { echo "needs ../shared/peerbench and its venv (bash ../shared/peerbench/setup.sh)" >&2; exit 2; }
mkdir -p "$(dirname "$OUT")"; : > "$OUT"
swift build -c release --product spikescope >/dev/null
BIN=$(swift build -c release --show-bin-path)/spikescope
export PYTHONWARNINGS=ignore PEERBENCH_THREADS=2
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS" >&2
  for fw in snntorch norse spikingjelly; do
    (cd "$PEER" && "$VENV/bin/python" step_latency.py --fw $fw 2>/dev/null) >> "$OUT"
    (cd "$PEER" && "$VENV/bin/python" infer_throughput.py --fw $fw 2>/dev/null) >> "$OUT"
  done
  "$BIN" bench step >> "$OUT"
done
python3 "$(dirname "$0")/ratios.py" "$OUT"
