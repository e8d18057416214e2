#!/usr/bin/env bash
# Temporal consistency on event data (issue 16): the conv SNN of sessions/fashion-events.toml
# (fashion-conv with two input channels, ON and OFF) trained on simulated-saccade events of
# Fashion-MNIST binned into T = 4 frames, EPOCHS epochs (10 in the issue), Adam 1e-3 cosine,
# batch 128, for each loss and seed; then each is evaluated with every T binned afresh
# (T = 1, 2, 4, 8) and per step, and bench/events-summary.py prints the means over the seeds.
# Needs the Debian package dataset-fashion-mnist. From the repository root:
#   bash bench/events-losses.sh [EPOCHS]          (LOSSES and SEEDS override the lists)
# Writes bench/results/events-LOSS-sSEED.{log,json} (weights beside them, not committed).
set -euo pipefail
EPOCHS=${1:-10}
LOSSES=${LOSSES:-mean+etc mean}
SEEDS=${SEEDS:-1 2}
swift build -c release --product spikescope >/dev/null
BIN=$(swift build -c release --show-bin-path)/spikescope
mkdir -p bench/results
for seed in $SEEDS; do
  for loss in $LOSSES; do
    tag=events-${loss/+/-}-s$seed${SUFFIX:-}
    "$BIN" train --session sessions/fashion-events.toml --epochs "$EPOCHS" --batch 128 --loss "$loss" --lr 1e-3 \
      --schedule cosine --T 4 --seed "$seed" --test-limit 0 --out "bench/results/$tag.safetensors" | tee "bench/results/$tag.log"
    "$BIN" eval --session "bench/results/$tag.toml" --T 1,2,4,8 --json | tee "bench/results/$tag.json"
  done
done
python3 bench/events-summary.py bench/results/events-*-s*.json
