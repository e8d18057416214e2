#!/usr/bin/env python3
"""Peer run for `spikescope learn --session sessions/learn-digits.toml`: Diehl & Cook 2015 in Brian2,
written after the equations of the paper's Brian code (the same ones DiehlCookNetwork.swift runs),
on the same data and protocol: the embedded digits (first 1437 rows learn, last 360 test), resized
to 28x28 by the same bilinear rule, N = 100, one epoch, then the training split again with learning
off to assign classes, then the test split; 350 ms per sample, 150 ms rest, a sample shown again
at a higher intensity while it draws fewer than 5 spikes. No synaptic delays (as the shipped file).
Weights start uniform in [0, 0.3). The Poisson streams differ from spikescope's, so compare means
over seeds, not single runs.

Comparison only, never a runtime dependency. Brian2 with Cython code generation (falls back to
numpy when Cython is missing). From the repository root, with a venv holding brian2 and cython
(numpy < 2 for brian2 2.9):
    python3 -m venv /tmp/brian && /tmp/brian/bin/pip install brian2 cython "numpy<2"
    /tmp/brian/bin/python bench/brian2_diehl_cook.py [SEED [LIMIT]]      (prints one JSON line)
"""
import json, sys, time

import numpy as np
from brian2 import (ms, mV, nS, Hz, amp, volt, NeuronGroup, PoissonGroup, Synapses, SpikeMonitor, Network,
                    defaultclock, prefs, seed as brian_seed)

from peerdata import digits

SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 0
LIMIT = int(sys.argv[2]) if len(sys.argv) > 2 else None      # a smoke test: the first LIMIT samples of each split
try:
    import Cython  # noqa: F401
    prefs.codegen.target = "cython"
except ImportError:
    prefs.codegen.target = "numpy"
np.random.seed(SEED)
brian_seed(SEED)
defaultclock.dt = 0.5 * ms

# --- data: the embedded digits, pixels / 16, resized as Dataset.resized does (bench/peerdata.py)
images, Y = digits()
train, test = range(0, 1437), range(1437, 1797)
if LIMIT:
    train, test = range(0, LIMIT), range(1437, 1437 + LIMIT)

# --- network (Diehl & Cook's Brian code)
n_in, n_e = 784, 100
v_rest_e, v_reset_e, v_thresh_e, refrac_e = -65 * mV, -65 * mV, -52 * mV, 5 * ms
v_rest_i, v_reset_i, v_thresh_i, refrac_i = -60 * mV, -45 * mV, -40 * mV, 2 * ms
tc_theta, theta_plus, offset = 1e7 * ms, 0.05 * mV, 20 * mV
def membrane(v_rest, tau_ms, e_inh_mv):
    """The conductance-based membrane of both populations (Diehl & Cook's Brian code)."""
    return f"""
    dv/dt = (({v_rest} - v) + (I_synE + I_synI) / nS) / ({tau_ms} * ms) : volt (unless refractory)
    I_synE = ge * nS * -v : amp
    I_synI = gi * nS * ({e_inh_mv} * mV - v) : amp
    dge/dt = -ge / (1 * ms) : 1
    dgi/dt = -gi / (2 * ms) : 1
    """


exc = NeuronGroup(n_e, membrane("v_rest_e", 100, -100) + """
    dtheta/dt = -theta / tc_theta * learning : volt
    learning : 1 (shared)
    """, threshold="v > (theta - offset + v_thresh_e)", reset="v = v_reset_e; theta += theta_plus * learning",
    refractory=refrac_e, method="exponential_euler")
inh = NeuronGroup(n_e, membrane("v_rest_i", 10, -85), threshold="v > v_thresh_i", reset="v = v_reset_i",
                  refractory=refrac_i, method="exponential_euler")
exc.v = v_rest_e - 40 * mV
inh.v = v_rest_i - 40 * mV
exc.theta = 20 * mV
source = PoissonGroup(n_in, rates=np.zeros(n_in) * Hz)
e_to_i = Synapses(exc, inh, on_pre="ge_post += 10.4")
e_to_i.connect(j="i")
i_to_e = Synapses(inh, exc, on_pre="gi_post += 17.0")
i_to_e.connect(condition="i != j")
stdp = Synapses(source, exc, model="""
    w : 1
    plastic : 1 (shared)
    dpre/dt = -pre / (20 * ms) : 1 (event-driven)
    dpost1/dt = -post1 / (20 * ms) : 1 (event-driven)
    dpost2/dt = -post2 / (40 * ms) : 1 (event-driven)
    """, on_pre="""
    ge_post += w
    pre = 1.
    w = clip(w - 0.0001 * post1 * plastic, 0, 1.0)
    """, on_post="""
    w = clip(w + 0.01 * pre * post2 * plastic, 0, 1.0)
    post1 = 1.
    post2 = 1.
    """)
stdp.connect()           # i (input) major: w[i * n_e + j]
stdp.w = np.random.random(n_in * n_e) * 0.3
spikes = SpikeMonitor(exc, record=False)
net = Network(exc, inh, source, e_to_i, i_to_e, stdp, spikes)
# Membranes by exponential Euler, as spikescope steps them (Diehl's code used Euler, which the
# summed lateral inhibition can drive unstable).


def present(pixels, learn):
    exc.learning = 1 if learn else 0
    stdp.plastic = 1 if learn else 0
    if learn:
        weights = np.array(stdp.w).reshape(n_in, n_e)
        stdp.w = (weights * (78.0 / np.maximum(weights.sum(axis=0), 1e-12))).reshape(-1)
    intensity = 2.0
    while True:
        before = np.array(spikes.count)
        source.rates = pixels * 63.75 * intensity / 2 * Hz
        net.run(350 * ms)
        counts = np.array(spikes.count) - before
        source.rates = np.zeros(n_in) * Hz
        net.run(150 * ms)
        if counts.sum() >= 5 or intensity > 2 + 30:
            return counts
        intensity += 1


start = time.time()
for k in train:
    present(images[k], learn=True)
learned = time.time() - start
responses = np.array([present(images[k], learn=False) for k in train])
labels = Y[list(train)]
means = np.array([responses[labels == c].mean(axis=0) for c in range(10)])   # (classes, neurons)
assigned = means.argmax(axis=0)
correct = fired = 0
for k in test:
    r = present(images[k], learn=False)
    fired += int(r.sum())
    score = [r[assigned == c].mean() if (assigned == c).any() else -1 for c in range(10)]
    correct += int(np.argmax(score) == Y[k])
print(json.dumps({"peer": "brian2 " + __import__("brian2").__version__, "target": prefs.codegen.target, "seed": SEED,
                  "train": len(train), "test": len(test), "accuracy": round(correct / len(test), 4), "test_spikes_per_sample": round(fired / len(test), 2),
                  "learn_seconds": round(learned, 1), "seconds": round(time.time() - start, 1)}))
