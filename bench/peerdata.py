"""The data the peer scripts (brian2_diehl_cook.py, bindsnet_diehl_cook.py) feed their networks, read
as spikescope reads it: comparison only, never a runtime dependency."""
import gzip

import numpy as np

DIGITS = "Sources/SpikeData/Resources/digits.csv.gz"
FASHION = "/usr/share/datasets/fashion-mnist"


def resized(img, side=28, h=8):
    """An h×h image (flat) resized to side×side as Dataset.resized does: bilinear, pixel centres aligned."""
    out = np.zeros((side, side))
    for y in range(side):
        sy = min(max((y + 0.5) * h / side - 0.5, 0), h - 1)
        y0 = int(sy); y1 = min(y0 + 1, h - 1); fy = sy - y0
        for x in range(side):
            sx = min(max((x + 0.5) * h / side - 0.5, 0), h - 1)
            x0 = int(sx); x1 = min(x0 + 1, h - 1); fx = sx - x0
            top = img[y0 * h + x0] * (1 - fx) + img[y0 * h + x1] * fx
            bottom = img[y1 * h + x0] * (1 - fx) + img[y1 * h + x1] * fx
            out[y, x] = top * (1 - fy) + bottom * fy
    return out.reshape(-1)


def digits():
    """The embedded digits, pixels / 16 resized to 28x28: (images (1797, 784), labels (1797,));
    the first 1437 rows are the training split, the last 360 the test split."""
    rows = np.array([[float(v) for v in l.split(",")] for l in gzip.open(DIGITS, "rt") if l.strip()])
    return np.array([resized(x) for x in rows[:, :64] / 16.0]), rows[:, 64].astype(int)


def _idx(name):
    raw = gzip.open(f"{FASHION}/{name}.gz", "rb").read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * k:8 + 4 * k], "big") for k in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def fashion():
    """Fashion-MNIST, pixels / 255: (images (70000, 784), labels (70000,)); the first 60000 train."""
    images = np.concatenate([_idx("train-images-idx3-ubyte"), _idx("t10k-images-idx3-ubyte")]).reshape(-1, 784) / 255.0
    labels = np.concatenate([_idx("train-labels-idx1-ubyte"), _idx("t10k-labels-idx1-ubyte")]).astype(int)
    return images, labels
