#!/usr/bin/env python3
"""How hard the digits' test split is, by methods with no spikes: for the test split (the last 360
rows of the embedded digits, learning from the first 1437) and for a held-out part of the training
split (its last 300 rows, learning from the first 1137: what `spikescope learn --holdout 300` uses),
the accuracy of 1-nearest-neighbour, of the class means, and of k-means with 100 centroids (plain and
spherical, i.e. matched by dot product of unit vectors as a Diehl & Cook neuron matches by its
normalised weights), each centroid labelled by the majority of the samples it takes.

Pure Python (no packages), on the 64 raw pixels; a JSON line per method and part. From the
repository root: python3 bench/digits-split.py   (about 3 minutes)
"""
import gzip, json, math, random

ROWS = [list(map(float, l.split(","))) for l in gzip.open("Sources/SpikeData/Resources/digits.csv.gz", "rt") if l.strip()]
X = [r[:64] for r in ROWS]
Y = [int(r[64]) for r in ROWS]
PARTS = {"test split": (range(0, 1437), range(1437, 1797)), "held-out training rows": (range(0, 1137), range(1137, 1437))}


def d2(a, b):
    return sum((p - q) ** 2 for p, q in zip(a, b))


def unit(v):
    n = math.sqrt(sum(a * a for a in v)) or 1.0
    return [a / n for a in v]


def nearest(x, centres, spherical):
    if spherical:
        return max(range(len(centres)), key=lambda c: sum(a * b for a, b in zip(x, centres[c])))
    return min(range(len(centres)), key=lambda c: d2(x, centres[c]))


def kmeans(data, train, k, seed, spherical, iterations=20):
    rnd = random.Random(seed)
    centres = [data[i][:] for i in rnd.sample(list(train), k)]
    for _ in range(iterations):
        sums, counts = [[0.0] * 64 for _ in range(k)], [0] * k
        for i in train:
            c = nearest(data[i], centres, spherical)
            counts[c] += 1
            sums[c] = [a + b for a, b in zip(sums[c], data[i])]
        centres = [(unit(s) if spherical else [a / counts[c] for a in s]) if counts[c] else centres[c] for c, s in enumerate(sums)]
    return centres


def labelled(data, train, test, centres, spherical):
    votes = [[0] * 10 for _ in centres]
    for i in train:
        votes[nearest(data[i], centres, spherical)][Y[i]] += 1
    label = [max(range(10), key=lambda t: v[t]) for v in votes]
    return sum(label[nearest(data[i], centres, spherical)] == Y[i] for i in test) / len(test)


for part, (train, test) in PARTS.items():
    nn = sum(Y[min(train, key=lambda j: d2(X[i], X[j]))] == Y[i] for i in test) / len(test)
    print(json.dumps({"part": part, "method": "1-nearest-neighbour", "accuracy": round(nn, 4)}))
    means = []
    for c in range(10):
        members = [i for i in train if Y[i] == c]
        means.append([sum(X[i][t] for i in members) / len(members) for t in range(64)])
    acc = sum(min(range(10), key=lambda c: d2(X[i], means[c])) == Y[i] for i in test) / len(test)
    print(json.dumps({"part": part, "method": "class means", "accuracy": round(acc, 4)}))
    for spherical in (False, True):
        data = [unit(x) for x in X] if spherical else X
        accs = [labelled(data, train, test, kmeans(data, train, 100, seed, spherical), spherical) for seed in (0, 1, 2)]
        print(json.dumps({"part": part, "method": ("spherical " if spherical else "") + "k-means, 100 centroids, seeds 0 1 2",
                          "accuracy": round(sum(accs) / 3, 4), "runs": [round(a, 4) for a in accs]}))
