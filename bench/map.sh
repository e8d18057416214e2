#!/usr/bin/env bash
# The chip issue's figures, as JSON lines on stdout:
#   (a) bench map: seconds to map and place a 100,864-neuron, 9.6M-synapse conv model onto Loihi
#       (goal < 2 s), the annealed placement's time, and the step-accounting overhead on the default
#       session (goal < 10 % of the step).
#   (b) every shipped session mapped with `spikescope map --json` onto each target it fits
#       (loihi, truenorth, spinnaker; fashion-conv on 10 SpiNNaker chips, the smallest count it fits):
#       hop-packets per inference under sequential and traffic-aware placement.
# From the repository root, on a quiet machine:  bash bench/map.sh [SAMPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
SAMPLES=${1:-20}
swift build -c release --product spikescope >&2
BIN=$(swift build -c release --show-bin-path)/spikescope
"$BIN" bench map
for s in digits digits-li lif-neuron adaptation tour fashion-conv; do
  for t in loihi truenorth spinnaker; do
    extra=()
    [ "$s" = fashion-conv ] && { [ "$t" = spinnaker ] && extra=(--chips 10) || continue; }
    if out=$("$BIN" map --session "sessions/$s.toml" --target "$t" --samples "$SAMPLES" --json "${extra[@]}" 2>&1); then
      python3 -c 'import json,sys; j=json.loads(sys.argv[1]); p=j["per_inference"]; print(json.dumps({"bench":"map_placement","session":sys.argv[2],"target":j["target"],"chips":j["chips"],"cores":j["cores"],"samples":j["samples"],"packets":p["packets"],"hop_packets_sequential":p["hops_sequential"],"hop_packets_traffic":p["hops_traffic"]}))' "$out" "$s"
    else
      python3 -c 'import json,sys; print(json.dumps({"bench":"map_placement","session":sys.argv[1],"target":sys.argv[2],"does_not_fit":sys.argv[3]}))' "$s" "$t" "$out"
    fi
  done
done
