#!/usr/bin/env python3
"""What a `spikescope learn` checkpoint's fields are worth as prototypes, without the network's
dynamics: each neuron's weights (the checkpoint's "weights", (neurons, 784), digits resized to 28x28
as `learn` sees them) are a prototype; each is labelled with the majority class of the training
rows nearest it, and a test row goes to the prototype nearest it, by cosine (angle) and by plain
dot product (what the learned weights alone favour), and how the learned thresholds θ go with the
fields' L2 norms (their correlation across neurons). Compare with the checkpoint's network
accuracy ("accuracy" in its metadata, the readout `learn` reports). Digits learned on the whole
training split only (not --holdout).

numpy only (comparison, never a runtime dependency). From the repository root:
    python3 bench/fields-as-prototypes.py CHECKPOINT.safetensors [...]
`bash bench/learn.sh prototypes` learns seeds 0 1 2 with sessions/learn-digits.toml and runs this.
"""
import json, struct, sys

import numpy as np

sys.path.insert(0, "bench")
import peerdata  # noqa: E402


def read(path):
    """The tensors and metadata of a safetensors file (F32 tensors only)."""
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    tensors = {}
    for name, v in header.items():
        if name == "__metadata__":
            continue
        start, end = v["data_offsets"]
        tensors[name] = np.frombuffer(raw[8 + n + start:8 + n + end], dtype=np.float32).reshape(v["shape"])
    return tensors, header.get("__metadata__", {})


def main():
    X, y = peerdata.digits()
    train, test = slice(0, 1437), slice(1437, None)
    for path in sys.argv[1:]:
        tensors, meta = read(path)
        W = tensors["weights"].astype(np.float64)
        out = {"checkpoint": path, "seed": meta.get("seed"), "network_accuracy": float(meta.get("accuracy", "nan"))}
        for how in ("cosine", "dot"):
            P = W / np.maximum(np.linalg.norm(W, axis=1, keepdims=True), 1e-12) if how == "cosine" else W
            nearest = np.argmax(X[train] @ P.T, axis=1)
            labels = np.array([np.bincount(y[train][nearest == k], minlength=10).argmax() if (nearest == k).any() else -1
                               for k in range(len(W))])
            out[f"prototypes_{how}_accuracy"] = round(float((labels[np.argmax(X[test] @ P.T, axis=1)] == y[test]).mean()), 4)
        if "theta" in tensors:
            out["theta_l2_norm_correlation"] = round(float(np.corrcoef(tensors["theta"], np.linalg.norm(W, axis=1))[0, 1]), 3)
        print(json.dumps(out))


if __name__ == "__main__":
    main()
