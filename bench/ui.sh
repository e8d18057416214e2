#!/usr/bin/env bash
# Workbench measurements (issue 4), as JSON lines on stdout:
#   (a) ui_frame        median ms of view(state) + frame diff/flush at 200x60 with a 1,000-neuron raster (goal <= 4 ms)
#   (b) ui_live_steps   the default session stepping live, a frame per step: steps/s (goal >= 60);
#                       (a) and (b) again for sessions/song-abbott.toml (the Weights pane: a learning
#                       rule's receptive field and histogram of 1,000 weights redrawn every frame) and
#                       sessions/digits-unsupervised.toml (its own 16 neurons: the Weights pane with
#                       every neuron's field as a thumbnail)
#   (c) ui_first_frame  process start to first frame (`--frames 1` under tmux, 200x60), median of RUNS (goal <= 300 ms)
#   (d) ui_memory       VmHWM with the default session (goal <= 100 MB) and with Fashion-MNIST
#                       (sessions/fashion-conv.toml, goal <= 300 MB): in process (`bench memory`) and
#                       for the real workbench under tmux (/usr/bin/time, --frames 2: the second frame
#                       is drawn when accuracy by T has been computed in the background).
# From the repository root:  bash bench/ui.sh            (builds the release binary first)
#                            BIN=path/to/spikescope bash bench/ui.sh   (uses that binary, no build)
# Take figures on a quiet machine only: the load average is printed first.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
if [ -z "${BIN:-}" ]; then
    swift build -c release --product spikescope >&2
    BIN=$(swift build -c release --show-bin-path)/spikescope
fi
BIN=$(realpath "$BIN")
echo "# $(uptime | sed 's/.*load/load/')" >&2
if pgrep -f "spikescope train" >/dev/null; then echo "# warning: a training run is active; figures are not representative" >&2; fi

# (a), (b)
"$BIN" bench frame --session sessions/digits.toml ${FRAME_ARGS:-}
"$BIN" bench frame --session sessions/song-abbott.toml --neurons 1 ${FRAME_ARGS:-}
"$BIN" bench frame --session sessions/digits-unsupervised.toml ${FRAME_ARGS:-}

# (c), (d) under tmux: a private server, killed on exit.
command -v tmux >/dev/null || { echo "# tmux not found: skipping first-frame and TUI memory" >&2; exit 0; }
SOCK=spikescope-bench-ui-$$
OUT=$(mktemp -d)
trap 'tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$OUT"' EXIT
# Runs a shell command in a 200x60 tmux pane and waits for it to finish (at most 120 s).
in_tmux() {
    rm -f "$OUT/done"
    tmux -L "$SOCK" new-session -d -x 200 -y 60 \
        "env LANG=C.UTF-8 TERM=xterm-256color sh -c '$1'; touch $OUT/done"
    for _ in $(seq 1 1200); do [ -e "$OUT/done" ] && return 0; sleep 0.1; done
    echo "# timed out: $1; the pane shows:" >&2
    tmux -L "$SOCK" capture-pane -p | grep -v '^$' | tail -5 >&2; return 1
}
for i in $(seq 1 "$RUNS"); do
    in_tmux "t0=\$(date +%s%N); \"$BIN\" --session sessions/digits.toml --frames 1; t1=\$(date +%s%N); echo \$(( (t1 - t0) / 1000 )) >> $OUT/first"
done
sort -n "$OUT/first" | awk -v runs="$RUNS" '{ v[NR] = $1 } END {
    printf "{\"bench\":\"ui_first_frame\",\"session\":\"digits\",\"runs\":%d,\"median_ms\":%.1f,\"min_ms\":%.1f,\"max_ms\":%.1f,\"goal_ms\":300}\n",
        runs, v[int((NR + 1) / 2)] / 1000, v[1] / 1000, v[NR] / 1000 }'

for s in digits fashion-conv; do
    "$BIN" bench memory --session "sessions/$s.toml"
    # A copy in compare mode (weights path made absolute), so accuracy by T is drawn as frame 2.
    sed -e '/^compare *=/d' -e '/^\[view\]/a compare = true' -e "s|^weights = \"\([^/]\)|weights = \"$(pwd)/sessions/\1|" \
        "sessions/$s.toml" > "$OUT/$s.toml"
    in_tmux "/usr/bin/time -f %M -o $OUT/rss-$s \"$BIN\" --session $OUT/$s.toml --frames 2"
    awk -v s="$s" '/^[0-9]+$/ { printf "{\"bench\":\"ui_memory_tui\",\"session\":\"%s\",\"max_rss_mb\":%.1f}\n", s, $1 / 1024 }' "$OUT/rss-$s"
done
