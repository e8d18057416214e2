#!/usr/bin/env python3
"""Means over seeds of the event-data trainings (bench/events-losses.sh), against the issue's goals:
with mean+etc, step 1's own accuracy at T = 4 at least 2 points above the mean loss's, the spread
(max - min) of the four per-step accuracies at most 0.6 points, and accuracy at T = 4 at least 91 %.
Usage: python3 bench/events-summary.py bench/results/events-*-s*.json"""
import json, re, sys
from collections import defaultdict

runs = defaultdict(list)
for path in sys.argv[1:]:
    m = re.search(r"events-(.+)-s(\d+)\.json$", path)
    if not m:
        continue
    runs[m.group(1).replace("-etc", "+etc")].append(json.load(open(path)))

def mean(xs):
    return sum(xs) / len(xs)

summary = {}
for loss, results in sorted(runs.items()):
    by_t = {t: 100 * mean([r["accuracy_by_T"][t] for r in results]) for t in results[0]["accuracy_by_T"]}
    steps4 = [100 * mean([r["per_step_accuracy_by_T"]["4"][k] for r in results]) for k in range(4)]
    summary[loss] = (by_t, steps4)
    print(f"{loss:9s} seeds {len(results)}: " + "  ".join(f"T={t} {a:.2f}%" for t, a in sorted(by_t.items(), key=lambda x: int(x[0])))
          + "  | per step at T=4: " + "  ".join(f"t{k+1} {a:.2f}%" for k, a in enumerate(steps4))
          + f"  spread {max(steps4) - min(steps4):.2f}")
if "mean" in summary and "mean+etc" in summary:
    (etc_t, etc_s), (mean_t, mean_s) = summary["mean+etc"], summary["mean"]
    gain, spread = etc_s[0] - mean_s[0], max(etc_s) - min(etc_s)
    print(f"goal: step-1 gain of mean+etc over mean >= 2 points: {gain:+.2f} ({'met' if gain >= 2 else 'NOT met'})")
    print(f"goal: spread of mean+etc's per-step accuracies <= 0.6 points: {spread:.2f} ({'met' if spread <= 0.6 else 'NOT met'})")
    print(f"goal: mean+etc accuracy at T=4 >= 91 %: {etc_t['4']:.2f} ({'met' if etc_t['4'] >= 91 else 'NOT met'})")
