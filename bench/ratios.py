"""Medians and ratios of spikescope against its peers from a JSON-lines file written by
bench/engine-vs-peers.sh (and bench/train-vs-peers.sh). Plain python3, no packages."""
import json
import statistics
import sys
from collections import defaultdict

rows = defaultdict(list)
for line in open(sys.argv[1]):
    line = line.strip()
    if not line.startswith("{"):
        continue
    r = json.loads(line)
    fw = r.get("framework") or r.get("fw")
    b = r["bench"]
    if b == "step_latency":
        us = r["record"]["median_us"] if "record" in r and isinstance(r["record"], dict) else r["median_us"]
        rows[("step latency, batch 1, recording every neuron (us/step)", fw)].append(us)
    elif b in ("infer_throughput", "train_throughput", "conv_train_throughput", "etc_conv_train_throughput",
               "etc_conv_train_throughput_etc"):
        label = {"infer_throughput": "inference B=256 T=8 (samples/s)",
                 "train_throughput": "training 784-800-10 B=128 T=8 (samples/s)",
                 "conv_train_throughput": "conv training (samples/s)",
                 "etc_conv_train_throughput": "Fashion conv training B=128 T=4, loss mean (samples/s)",
                 "etc_conv_train_throughput_etc": "Fashion conv training B=128 T=4, loss mean+etc (samples/s)"}[b]
        rows[(label, fw)].append(r["samples_per_s"])
        if "peak_rss_mib" in r and "conv" in b:
            rows[("peak RSS of " + label.split(" (")[0] + " (MiB)", fw)].append(r["peak_rss_mib"])

by_metric = defaultdict(dict)
for (metric, fw), values in rows.items():
    by_metric[metric][fw] = statistics.median(values)
print("| metric | framework | median | runs |")
print("|---|---|---|---|")
for (metric, fw), values in sorted(rows.items()):
    print(f"| {metric} | {fw} | {statistics.median(values):.2f} | {len(values)} |")
print()
for metric, fws in sorted(by_metric.items()):
    ours = fws.get("spikescope")
    for fw, v in sorted(fws.items()):
        if fw == "spikescope" or ours is None or "MiB" in metric:
            continue
        ratio = v / ours if "us/step" in metric else ours / v
        print(f"{metric}: spikescope is {ratio:.2f}x {fw}" + (" (time ratio: theirs / ours)" if "us/step" in metric else ""))
print()
for metric, fws in sorted(by_metric.items()):
    ours = fws.get("spikescope")
    peers = {fw: v for fw, v in fws.items() if fw != "spikescope"}
    if ours is None or not peers:
        continue
    lower_is_better = "us/step" in metric or "MiB" in metric
    best = min(peers, key=peers.get) if lower_is_better else max(peers, key=peers.get)
    ratio = peers[best] / ours if lower_is_better else ours / peers[best]
    print(f"{metric}: against the best peer ({best}, {peers[best]:.1f}) spikescope is {ratio:.2f}x"
          + (" (theirs / ours)" if lower_is_better else ""))
