#!/usr/bin/env bash
# The digits goal (Diehl & Cook, N = 100, one epoch, >= 86 %) against the published parameters
# varied one at a time: each variant is sessions/learn-digits.toml with one [network] or [rule]
# value (or the input side) changed, run for seeds 0 1 2; one JSON line per run with the
# variant's name in "variant". From the repository root:  bash bench/learn-sweep.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product spikescope >&2
BIN=$(swift build -c release --show-bin-path)/spikescope
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
# name | extra [learn] lines | [network] lines | [rule] lines
variants=(
  "published|||"
  "nu_x0.5|||nu_pre = 0.00005\nnu_post = 0.005"
  "nu_x2|||nu_pre = 0.0002\nnu_post = 0.02"
  "nu_x3|||nu_pre = 0.0003\nnu_post = 0.03"
  "theta_plus_0.02||theta_plus = 0.02|"
  "theta_plus_0.1||theta_plus = 0.1|"
  "theta_plus_0.2||theta_plus = 0.2|"
  "weight_sum_40||weight_sum = 40|"
  "intensity_1||intensity = 1|"
  "intensity_4||intensity = 4|"
  "present_200ms||present_ms = 200|"
  "present_700ms||present_ms = 700|"
  "side_40|side = 40||"
  "native_8x8_intensity_16|side = 0|intensity = 16|"
)
for v in "${variants[@]}"; do
  IFS='|' read -r name learn network rule <<< "$v"
  for seed in 0 1 2; do
    printf '[learn]\nnetwork = "diehl-cook"\ndata = "digits"\nneurons = 100\nepochs = 1\nseed = %s\n%b\n[network]\n%b\n[rule]\n%b\n' \
      "$seed" "$learn" "$network" "$rule" > "$OUT/$name.toml"
    "$BIN" learn --session "$OUT/$name.toml" --json --out "$OUT/$name.safetensors" | sed "s/^{/{\"variant\":\"$name\",/"
  done
done
