"""Makes the NIR fixtures of Tests/SpikeNIRTests (run with the peerbench virtualenv:
../shared/peerbench/setup.sh; nir 1.0.8, snntorch 1.0.0).

snntorch-mlp.nir   a 4-3-2 network of snnTorch Leaky neurons (beta 0.9 and 0.8, threshold 1,
                   reset "zero"), exported by snntorch.export_nir with fixed seeded weights.
snntorch-mlp.json  the input (T = 20 steps of 4 values) and snnTorch's own spikes per step of
                   both layers, to compare with spikescope's run of the imported file.
Also checks that nir.read, with its type checking on, accepts a file spikescope exported, when
given one: python make_nir_fixtures.py [EXPORTED.nir]
"""
import json, sys
import numpy as np
import torch
import snntorch as snn
import nir
from snntorch.export_nir import export_to_nir

torch.manual_seed(7)
lif1 = snn.Leaky(beta=torch.full((3,), 0.9), threshold=torch.ones(3), reset_mechanism="zero", init_hidden=True)
lif2 = snn.Leaky(beta=torch.full((2,), 0.8), threshold=torch.ones(2), reset_mechanism="zero", init_hidden=True, output=True)
net = torch.nn.Sequential(torch.nn.Linear(4, 3), lif1, torch.nn.Linear(3, 2), lif2)
with torch.no_grad():
    net[0].weight.mul_(3.0)
graph = export_to_nir(net, torch.zeros(1, 4), ignore_dims=[0])
nir.write("snntorch-mlp.nir", graph)

T = 20
x = torch.rand(T, 4)
spikes1, spikes2 = [], []
lif1.reset_hidden(); lif2.reset_hidden()
with torch.no_grad():
    for t in range(T):
        h = lif1(net[0](x[t]))
        s2, _ = lif2(net[2](h))
        spikes1.append(h.int().tolist()); spikes2.append(s2.int().tolist())
json.dump({"input": x.tolist(), "spikes": {"hidden": spikes1, "output": spikes2},
           "note": "snnTorch 1.0.0 Leaky, reset zero: the step after a spike starts from 0 without that step's input"},
          open("snntorch-mlp.json", "w"), indent=1)
print("wrote snntorch-mlp.nir, snntorch-mlp.json; hidden spikes", int(np.sum(spikes1)), "output spikes", int(np.sum(spikes2)))

if len(sys.argv) > 1:
    g = nir.read(sys.argv[1], type_check=True)
    print(sys.argv[1], "read by nir", nir.version, "with type checking:", {k: type(v).__name__ for k, v in g.nodes.items()})
