#!/usr/bin/env python3
"""A second, independently written peer for `spikescope learn --session sessions/learn-digits.toml`:
BindsNET's own `DiehlAndCook2015` model (Hazan et al. 2018; bindsnet 0.3.4), not our reading of the
paper. brian2_diehl_cook.py is written by us after the paper's Brian code, so a misreading we share
with DiehlCookNetwork.swift would show in both; this one shares none of our code or reading.

Same data and protocol as spikescope: the embedded digits (first 1437 rows learn, last 360 test),
pixels / 16 resized to 28x28 by the same bilinear rule, N = 100, one epoch in file order, then the
training split again with learning off to assign classes (BindsNET's `assign_labels`), then the
test split read out by `all_activity` (the paper's vote) and `proportion_weighting`.
The network's settings are BindsNET's example's (examples/mnist/batch_eth_mnist.py, batch size 1):
exc 22.5, inh 120, theta_plus 0.05, norm 78.4, nu (1e-4, 1e-2), dt 1 ms, Poisson rate pixel · 128 Hz,
and `--time` ms per sample (the example's 100 by default; 350 is the paper's). Its rule is its
default (`PostPre`, pair STDP); `--rule paper` uses its `DiehlAndCook` rule (the paper's text:
on a post spike w += nu·(x_pre − x_tar)·(w_max − w)^mu, with x_tar 0.4 and mu 1 as its docstring).
`--data fashion-mnist --neurons 400` times the Fashion-MNIST run (learn_ms_per_sample) on a part of
it; torch runs with its own threads (one per core; `--threads 1` times the same here).

Comparison only, never a runtime dependency. Setup (torch CPU from the peerbench venv, bindsnet
without its gym/atari/torchvision extras, which this script does not need):
    cp -a /tmp/peers /tmp/bnv        # the venv ../shared/peerbench/setup.sh builds
    /tmp/bnv/bin/pip install --no-deps bindsnet==0.3.4
    /tmp/bnv/bin/pip install matplotlib tqdm scipy pandas scikit-image scikit-learn tensorboardX opencv-python-headless "gymnasium<2"
    /tmp/bnv/bin/python bench/bindsnet_diehl_cook.py [--seed S] [--time MS] [--rule postpre|paper] [--holdout N]
        [--data digits|fashion-mnist] [--neurons N] [--train-limit N] [--assign-limit N] [--test-limit N]
prints one JSON line.
"""
import argparse, json, sys, time, types

import numpy as np

# bindsnet imports torchvision (datasets, transforms, make_grid) for its MNIST loaders and plots
# only, and ale_py for its Atari environments; PyPI's torchvision does not load against
# peerbench's CPU torch, so an import of either gets a stand-in module whose names are inert placeholders (none is called here).
import importlib.abc, importlib.machinery


class _InertType(type):
    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Inert


class _Inert(metaclass=_InertType):
    """Any attribute of it, any call of it and any subclass of it is another inert placeholder."""
    def __init__(self, *a, **k): pass
    def __call__(self, *a, **k): return _Inert()
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Inert


class _Stub(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Inert


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path, target=None):
        if fullname.split(".")[0] in STUBBED:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        m = _Stub(spec.name); m.__path__ = []
        return m

    def exec_module(self, module):
        pass


STUBBED = {"torchvision", "ale_py"}          # ale_py: the Atari environments of bindsnet.environment
sys.meta_path.insert(0, _StubFinder())

import torch
from bindsnet.encoding import poisson
from bindsnet.evaluation import all_activity, assign_labels, proportion_weighting
from bindsnet.learning.MCC_learning import DiehlAndCook as PaperRule
from bindsnet.models import DiehlAndCook2015
from bindsnet.network.monitors import Monitor

from peerdata import digits, fashion

ap = argparse.ArgumentParser()
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--time", type=int, default=100)
ap.add_argument("--rule", choices=["postpre", "paper"], default="postpre")
ap.add_argument("--holdout", type=int, default=0, help="learn from the training split but its last N rows, test on those (as learn --holdout)")
ap.add_argument("--data", choices=["digits", "fashion-mnist"], default="digits")
ap.add_argument("--neurons", type=int, default=100)
ap.add_argument("--threads", type=int, default=0, help="torch threads (default: torch's own, one per core)")
ap.add_argument("--train-limit", type=int, default=0, help="learn from the first N training samples only")
ap.add_argument("--assign-limit", type=int, default=0, help="assign classes from the first N training samples only")
ap.add_argument("--test-limit", type=int, default=0, help="test on the first N test samples only")
a = ap.parse_args()
torch.manual_seed(a.seed)
np.random.seed(a.seed)
if a.threads:
    torch.set_num_threads(a.threads)

# --- data (bench/peerdata.py): the embedded digits, pixels / 16, resized as Dataset.resized does,
# first 1437 rows learn, last 360 test; or Fashion-MNIST, pixels / 255, 60000 learn, 10000 test
if a.data == "digits":
    images, labels = digits()
    train, test = list(range(0, 1437)), list(range(1437, 1797))
else:
    images, labels = fashion()
    train, test = list(range(60000)), list(range(60000, 70000))
images, labels = torch.tensor(images, dtype=torch.float32), torch.tensor(labels)
if a.holdout:
    train, test = train[:-a.holdout], train[-a.holdout:]
train = train[:a.train_limit] if a.train_limit else train
assign = train[:a.assign_limit] if a.assign_limit else train          # as spikescope learn: from the samples learned
test = test[:a.test_limit] if a.test_limit else test

# the paper's rule needs a target trace; x_tar 0.4, mu 1 are the values BindsNET's docstring gives
kwargs = {"learning_rule": PaperRule, "learning_rule_kwargs": {"x_tar": 0.4, "mu": 1.0}} if a.rule == "paper" else {}
net = DiehlAndCook2015(n_inpt=784, n_neurons=a.neurons, exc=22.5, inh=120, dt=1.0, norm=78.4, nu=(1e-4, 1e-2),
                       theta_plus=0.05, inpt_shape=(1, 28, 28), **kwargs)
monitor = Monitor(net.layers["Ae"], state_vars=["s"], time=a.time)
net.add_monitor(monitor, name="Ae_spikes")


def show(i):
    """One sample for `time` ms (Poisson, rate = pixel · 128 Hz); returns the excitatory spikes (time, neurons)."""
    spikes = poisson(images[i] * 128, time=a.time, dt=1.0).view(a.time, 1, 1, 28, 28)
    net.run(inputs={"X": spikes}, time=a.time, input_time_dim=1)
    s = monitor.get("s").view(a.time, a.neurons).clone()
    net.reset_state_variables()
    return s


start = time.time()
net.train(True)
for i in train:
    show(i)
learned = time.time() - start
net.train(False)
record = torch.stack([show(i) for i in assign])                # (samples, time, neurons)
assignments, proportions, _ = assign_labels(record, labels[assign], 10)
record = torch.stack([show(i) for i in test])
vote = all_activity(record, assignments, 10)
prop = proportion_weighting(record, assignments, proportions, 10)
truth = labels[test]
print(json.dumps({"peer": "bindsnet", "version": "0.3.4", "data": a.data, "neurons": a.neurons, "rule": a.rule,
                  "time_ms": a.time, "seed": a.seed, "train": len(train), "assign": len(assign), "test": len(test),
                  "tested_on": f"the training split's last {a.holdout}" if a.holdout else "the test split",
                  "accuracy": round(float((vote == truth).float().mean()), 4),
                  "accuracy_proportion_weighting": round(float((prop == truth).float().mean()), 4),
                  "test_spikes_per_sample": round(float(record.sum()) / len(test), 2),
                  "learn_seconds": round(learned, 1), "learn_ms_per_sample": round(1000 * learned / len(train), 2), "seconds": round(time.time() - start, 1)}))
