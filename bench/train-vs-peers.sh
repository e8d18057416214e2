#!/usr/bin/env bash
# Training speed and memory against snnTorch and SpikingJelly (and Norse for the MLP) on this
# machine, in one run (the trainer and conv issues' goals): the Fashion-MNIST conv SNN (batch 128,
# T=4; loss mean, and mean+etc; samples/s and peak RSS) and the 784-800-10 LIF MLP (batch 128, T=8,
# Bernoulli input spikes each step), interleaved for ROUNDS rounds, then medians and ratios.
# Every side uses 2 threads. From the repository root, on a quiet machine:
#   bash ../shared/peerbench/setup.sh        # once
#   bash bench/train-vs-peers.sh [ROUNDS] [OUT.jsonl]
set -euo pipefail
ROUNDS=${1:-3}
OUT=${2:-bench/results/train-vs-peers.jsonl}
VENV=${VENV:-/tmp/peers}
PEER=$(cd "$(dirname "$0")/../../shared/peerbench" 2>/dev/null && pwd || true)
[ -n "$PEER" ] && [ -x "$VENV/bin/python" ] || { echo "needs ../shared/peerbench and its venv (bash ../shared/peerbench/setup.sh)" >&2; exit 2; }
mkdir -p "$(dirname "$OUT")"; : > "$OUT"
swift build -c release --product spiketrain-bench >/dev/null
B=$(swift build -c release --show-bin-path)/spiketrain-bench
export PYTHONWARNINGS=ignore PEERBENCH_THREADS=2
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS" >&2
  for fw in snntorch spikingjelly; do
    (cd "$PEER" && "$VENV/bin/python" etc_conv_train_throughput.py --fw $fw 2>/dev/null | sed "s/\"framework\": \"$fw\"/\"framework\": \"$fw\", \"loss\": \"mean\"/") >> "$OUT"
  done
  NOEVAL=1 "$B" conv 2560 | grep '^{' >> "$OUT"
  for fw in snntorch spikingjelly; do
    (cd "$PEER" && "$VENV/bin/python" etc_conv_train_throughput.py --fw $fw --etc 2>/dev/null | sed 's/"bench": "etc_conv_train_throughput"/"bench": "etc_conv_train_throughput_etc"/') >> "$OUT"
  done
  NOEVAL=1 LOSS=mean+etc "$B" conv 2560 | grep '^{' | sed 's/"bench":"etc_conv_train_throughput"/"bench":"etc_conv_train_throughput_etc"/' >> "$OUT"
  for fw in snntorch spikingjelly norse; do
    (cd "$PEER" && "$VENV/bin/python" train_throughput.py --fw $fw 2>/dev/null) >> "$OUT"
  done
  ENC=rate "$B" mlp 40 | grep '^{' >> "$OUT"
done
python3 "$(dirname "$0")/ratios.py" "$OUT"
