#!/usr/bin/env bash
# Fashion-MNIST conv SNN (sessions/fashion-conv.toml), the trainer issue's benchmark: trains the
# model once per loss (mean, tet, mean+etc) with Adam 1e-3, cosine schedule, batch 128, T = 4,
# EPOCHS epochs (10 in the issue), then evaluates each at T = 1, 2, 4, 8 and per step.
# Needs the Debian package dataset-fashion-mnist. From the repository root:
#   bash bench/fashion-losses.sh [EPOCHS] [LOSSES...]
# Writes bench/results/fashion-LOSS.{log,json} (weights beside them, not committed).
# Extra training flags go in TRAIN_ARGS, with SUFFIX naming their results, e.g. the per-step
# batch-norm statistics of snnTorch-style training:
#   TRAIN_ARGS="--bn-stats step" SUFFIX=-bnstep bash bench/fashion-losses.sh 10 mean+etc
set -euo pipefail
EPOCHS=${1:-10}; shift || true
LOSSES=${*:-mean tet mean+etc}
swift build -c release --product spikescope >/dev/null
BIN=$(swift build -c release --show-bin-path)/spikescope
mkdir -p bench/results
for loss in $LOSSES; do
  tag=fashion-${loss/+/-}${SUFFIX:-}
  # shellcheck disable=SC2086  # TRAIN_ARGS is a list of flags
  "$BIN" train --session sessions/fashion-conv.toml --epochs "$EPOCHS" --batch 128 --loss "$loss" --lr 1e-3 \
    --schedule cosine --T 4 --test-limit 0 ${TRAIN_ARGS:-} --out "bench/results/$tag.safetensors" | tee "bench/results/$tag.log"
  "$BIN" eval --session "bench/results/$tag.toml" --T 1,2,4,8 --json | tee "bench/results/$tag.json"
done
