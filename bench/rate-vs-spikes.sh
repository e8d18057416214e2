#!/usr/bin/env bash
# Rate-trained soft-LIF networks run as spiking LIF (Hunsberger & Eliasmith 2015; the soft-LIF
# issue's benchmark). For each model, trains in rate mode with and without noise on the
# activities (gaussian:10, i.e. sigma = 10 Hz), then evaluates on the full test set: the rate
# network (T = 1) and the same weights as spiking LIF (lif-rc, tau_syn 5 ms, exact refractoriness)
# after 50, 100 and 200 steps of 1 ms, the readout averaged from step 26 on. Models:
#   digits-mlp    sessions/rate-vs-spikes.toml (64-100-10), 200 epochs, batch 32, Adam 1e-2, augmentation
#   fashion-mlp   784-800-10, 10 epochs, batch 128, Adam 1e-2 cosine
#   fashion-conv  the layout of sessions/fashion-conv.toml (average pooling) with soft-LIF of amplitude
#                 10 ms (a spike is worth 10: with 1 ms the rates reaching fc1 are too small for it to
#                 learn), 10 epochs, batch 128, Adam 1e-3 cosine
# From the repository root: bash bench/rate-vs-spikes.sh [MODELS...] (NOISES="none gaussian:10
# poisson:100" to choose the noises); appends to bench/results/rate-vs-spikes.jsonl (one line per
# model and noise; delete it for a fresh table), logs in bench/results/rate-vs-spikes/.
set -euo pipefail
MODELS=${*:-digits-mlp fashion-mlp fashion-conv}
swift build -c release --product spikescope >/dev/null
BIN=$(swift build -c release --show-bin-path)/spikescope
DIR=bench/results/rate-vs-spikes; mkdir -p "$DIR"
OUT=bench/results/rate-vs-spikes.jsonl
SOFT='neuron = "soft-lif"
tau_rc = 0.02
tau_ref = 0.002
gamma = 0.02
dt = 0.001'

session() {   # name layers-toml data
  cat > "$DIR/$1.toml" <<TOML
name = "$1"
seed = 1
timesteps = 1

[input]
shape = $4
encoder = "direct"

[data]
source = "$3"
split = "test"
sample = 0

[model]
weights = "$1.safetensors"

$2
TOML
}

for model in $MODELS; do
  case $model in
    digits-mlp)
      base=$(sed -n '/^\[\[layers\]\]/,$p' sessions/rate-vs-spikes.toml)
      session digits-mlp "$base" digits "[64]"
      args="--epochs 200 --batch 32 --lr 1e-2 --augment" ;;
    fashion-mlp)
      session fashion-mlp "[[layers]]
name = \"hidden\"
type = \"dense\"
outputs = 800
$SOFT

[[layers]]
name = \"readout\"
type = \"dense\"
outputs = 10" fashion-mnist "[784]"
      args="--epochs 10 --batch 128 --lr 1e-2 --schedule cosine" ;;
    fashion-conv)
      layers=$(sed -n '/^\[\[layers\]\]/,/^\[view\]/p' sessions/fashion-conv.toml | grep -v '^\[view\]' \
        | sed -e 's/^neuron = "lif"/neuron = "soft-lif"\ntau_rc = 0.02\ntau_ref = 0.002\ngamma = 0.02\ndt = 0.001\namplitude = 0.01/' \
              -e '/^beta = /d' -e '/^threshold = /d' -e '/^reset = /d')
      session fashion-conv "$layers" fashion-mnist "[1, 28, 28]"
      args="--epochs 10 --batch 128 --lr 1e-3 --schedule cosine" ;;
    *) echo "unknown model $model" >&2; exit 2 ;;
  esac
  for noise in ${NOISES:-none gaussian:10}; do
    tag=$model-${noise/:/}
    cp "$DIR/$model.toml" "$DIR/$tag.toml"
    sed -i "s/weights = \"$model.safetensors\"/weights = \"$tag.safetensors\"/" "$DIR/$tag.toml"
    extra=""; [ "$noise" != none ] && extra="--rate-noise $noise"
    start=$(date +%s)
    # shellcheck disable=SC2086
    "$BIN" train --session "$DIR/$tag.toml" --mode rate $extra $args --T 1 --test-limit 0 > "$DIR/$tag.log"
    seconds=$(( $(date +%s) - start ))
    rate=$("$BIN" eval --session "$DIR/$tag.toml" --T 1 --json)
    spikes=$("$BIN" eval --session "$DIR/$tag.toml" --mode spiking --steps 50,100,200 --json)
    python3 - "$model" "$noise" "$seconds" "$rate" "$spikes" >> "$OUT" <<'PY'
import json, sys
model, noise, seconds, rate, spikes = sys.argv[1:]
r, s = json.loads(rate), json.loads(spikes)
print(json.dumps({"bench": "rate_vs_spikes", "model": model, "noise": noise, "train_seconds": int(seconds), "n": r["n"],
                  "rate": r["accuracy_by_T"]["1"], "spiking": {k: v for k, v in s["accuracy_by_T"].items()},
                  "gap_200": round(r["accuracy_by_T"]["1"] - s["accuracy_by_T"]["200"], 4)}))
PY
    tail -1 "$OUT"
  done
done
