#!/usr/bin/env bash
# Reading an N-MNIST file of 1,000,000 events and binning it into 8 frames (time bins, ON/OFF
# channels, 34x34): spikescope (`bench binning`) against tonic (`tonic.io.read_mnist_file`, then
# `tonic.transforms.ToFrame(n_time_bins=8)`), on the same file, in the same run; medians of 11.
# Needs tonic in the peerbench virtualenv (pip install --no-deps tonic importRosbag). From the
# repository root:  bash bench/events-vs-tonic.sh [PYTHON]      (default /tmp/peers/bin/python)
set -euo pipefail
PY=${1:-/tmp/peers/bin/python}
swift build -c release --product spikescope >/dev/null
BIN=$(swift build -c release --show-bin-path)/spikescope
FILE=$(mktemp --suffix=.bin)
trap 'rm -f "$FILE"' EXIT
ours=$("$BIN" bench binning --file "$FILE")
echo "$ours"
theirs=$("$PY" - "$FILE" <<'PY'
import sys, time, numpy as np, tonic.io, tonic.transforms as T
path = sys.argv[1]
dtype = np.dtype([("x", int), ("y", int), ("t", int), ("p", int)])
to_frame = T.ToFrame(sensor_size=(34, 34, 2), n_time_bins=8)
reads, totals = [], []
for _ in range(11):
    t0 = time.perf_counter(); ev = tonic.io.read_mnist_file(path, dtype=dtype); t1 = time.perf_counter()
    frames = to_frame(ev); t2 = time.perf_counter()
    reads.append((t1 - t0) * 1e3); totals.append((t2 - t0) * 1e3)
assert frames.shape == (8, 2, 34, 34), frames.shape   # tonic drops a few events at window edges (5 of 10^6 here)
print('{"bench":"binning","peer":"tonic %s","events":%d,"T":8,"read_ms":%.1f,"read_and_bin_ms":%.1f}'
      % (tonic.__version__, len(ev), sorted(reads)[5], sorted(totals)[5]))
PY
)
echo "$theirs"
python3 -c "import json,sys; a=json.loads(sys.argv[1]); b=json.loads(sys.argv[2]); print('{\"bench\":\"binning_ratio\",\"vs\":\"%s\",\"read_and_bin_x\":%.1f}' % (b['peer'], b['read_and_bin_ms']/a['read_and_bin_ms']))" "$ours" "$theirs"
