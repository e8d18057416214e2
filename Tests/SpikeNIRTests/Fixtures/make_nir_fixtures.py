"""Makes the NIR fixtures of Tests/SpikeNIRTests (run with the peerbench virtualenv:
../shared/peerbench/setup.sh; nir 1.0.8, snntorch 1.0.0, norse, spikingjelly 2.0.0; sinabs 3.1.1
installed into it with pip --no-deps, plus pbr).

snntorch-mlp.nir   a 4-3-2 network of snnTorch Leaky neurons (beta 0.9 and 0.8, threshold 1,
                   reset "zero"), exported by snntorch.export_nir with fixed seeded weights.
snntorch-mlp.json  the input (T = 20 steps of 4 values) and snnTorch's own spikes per step of
                   both layers, to compare with spikescope's run of the imported file.
snntorch-rleaky.nir  4 inputs, a recurrent layer of 3 (snnTorch RLeaky, reset_delay=False, written flat as
                   rlif.lif -> rlif.w_rec -> rlif.lif), 2 Leaky outputs; .json: input and spikes.
norse-mlp.nir      a 4-3-2 network of Norse LIFBoxCell neurons (tau_mem_inv 100 and 50, v_th 0.5),
                   exported by norse's to_nir with its default dt = 0.001: it writes tau as
                   dt/tau_mem_inv and r = 1, so NIR's Euler reading at dt' gives
                   beta = 1 - dt'*tau_mem_inv/dt; dt' = dt^2 = 1e-6 gives Norse's own step exactly.
norse-mlp.json     the input and Norse's spikes per step of both layers.
spikingjelly-mlp.nir  a 4-3-2 network of SpikingJelly LIFNode (tau 2, hard reset to 0) then IFNode
                   (v_threshold 0.5), exported by export_to_nir with dt = 1e-4 (tau written as
                   tau*dt, r = 1; IF r = 1/dt): read at dt = 1e-4 it is SpikingJelly's step.
spikingjelly-mlp.json  the input and SpikingJelly's spikes per step of both layers.
sinabs-mlp.nir     a 4-3-2 network of sinabs IAF neurons (one spike a step, reset to 0),
                   exported by sinabs.nir.to_nir (r = 1: one step is dt = 1, which import reads).
sinabs-mlp.json    the input and sinabs's spikes per step of both layers.
spikescope-mlp.nir  the snnTorch network above as spikescope imports it (a step current of 1 on
                   every input), exported again by spikescope with dt = 1e-4 (the dt snnTorch's
                   importer assumes); needs the built binary (SPIKESCOPE, default
                   .build/debug/spikescope from the repository root).
spikescope-mlp.json  spikes per step of each layer: spikescope's (`run --json`) and snnTorch's
                   (snntorch.import_nir.import_from_nir of that file, input 1 on every input).
Also checks that nir.read, with its type checking on, accepts the files spikescope exported that
are given: python make_nir_fixtures.py [EXPORTED.nir ...]
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

# snnTorch RLeaky (a recurrent layer): exported flat, rlif.lif -> rlif.w_rec -> rlif.lif.
class RNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(4, 3)
        self.rlif = snn.RLeaky(beta=torch.full((3,), 0.9), threshold=torch.ones(3), linear_features=3, reset_mechanism="zero", reset_delay=False, init_hidden=True)
        self.fc2 = torch.nn.Linear(3, 2)
        self.lif2 = snn.Leaky(beta=torch.full((2,), 0.8), threshold=torch.ones(2), init_hidden=True, output=True, reset_mechanism="zero", reset_delay=False)
    def forward(self, x):
        return self.lif2(self.fc2(self.rlif(self.fc(x))))
torch.manual_seed(19)
rnet = RNet()
with torch.no_grad():
    rnet.fc.weight.mul_(3.0); rnet.rlif.recurrent.weight.mul_(2.0)
nir.write("snntorch-rleaky.nir", export_to_nir(rnet, torch.zeros(1, 4), ignore_dims=[0]))
x = torch.rand(T, 4)
s1, s2 = [], []
rnet.rlif.reset_hidden(); rnet.lif2.reset_hidden()
with torch.no_grad():
    for t in range(T):
        h = rnet.rlif(rnet.fc(x[t]))
        o, _ = rnet.lif2(rnet.fc2(h))
        s1.append(h.int().tolist()); s2.append(o.int().tolist())
json.dump({"input": x.tolist(), "spikes": {"hidden": s1, "output": s2},
           "note": "snnTorch 1.0.0 RLeaky then Leaky, reset zero in the step of the spike (reset_delay=False)"}, open("snntorch-rleaky.json", "w"), indent=1)
print("wrote snntorch-rleaky.nir, snntorch-rleaky.json; hidden spikes", int(np.sum(s1)), "output spikes", int(np.sum(s2)))

# Norse: LIFBoxCell, v_new = v + dt*tau_mem_inv*((v_leak - v) + i); spike when v_new > v_th; reset to v_reset.
import norse.torch as norse
from norse.torch.utils.export_nir import to_nir as norse_to_nir
torch.manual_seed(11)
fc1, fc2 = torch.nn.Linear(4, 3), torch.nn.Linear(3, 2)
with torch.no_grad():
    fc1.weight.mul_(8.0); fc2.weight.mul_(8.0)
p1 = norse.LIFBoxParameters(tau_mem_inv=torch.full((3,), 100.0), v_th=torch.full((3,), 0.5), v_leak=torch.zeros(3), v_reset=torch.zeros(3))
p2 = norse.LIFBoxParameters(tau_mem_inv=torch.full((2,), 50.0), v_th=torch.full((2,), 0.5), v_leak=torch.zeros(2), v_reset=torch.zeros(2))
cell1, cell2 = norse.LIFBoxCell(p1), norse.LIFBoxCell(p2)
nnet = norse.SequentialState(fc1, cell1, fc2, cell2)
ngraph = norse_to_nir(nnet, torch.zeros(1, 4))
nir.write("norse-mlp.nir", ngraph)
x = torch.rand(T, 4)
s1, s2, st1, st2 = [], [], None, None
with torch.no_grad():
    for t in range(T):
        z1, st1 = cell1(fc1(x[t]), st1)
        z2, st2 = cell2(fc2(z1), st2)
        s1.append(z1.int().tolist()); s2.append(z2.int().tolist())
json.dump({"input": x.tolist(), "spikes": {"hidden": s1, "output": s2}, "dt": 0.001,
           "note": "Norse LIFBoxCell (norse.torch.utils.export_nir.to_nir, dt 0.001)"}, open("norse-mlp.json", "w"), indent=1)
print("wrote norse-mlp.nir, norse-mlp.json; hidden spikes", int(np.sum(s1)), "output spikes", int(np.sum(s2)))

# SpikingJelly: LIFNode H = V + (X - (V - v_reset))/tau, spike when H >= v_th, hard reset; IFNode H = V + X.
from spikingjelly.activation_based import neuron, functional
from spikingjelly.activation_based.nir_exchange import export_to_nir as sj_export
torch.manual_seed(13)
sj = torch.nn.Sequential(torch.nn.Linear(4, 3), neuron.LIFNode(tau=2.0, v_reset=0.0), torch.nn.Linear(3, 2), neuron.IFNode(v_threshold=0.5, v_reset=0.0))
with torch.no_grad():
    sj[0].weight.mul_(2.0); sj[0].bias.fill_(1.4); sj[2].weight.mul_(3.0); sj[2].bias.fill_(0.3)
sj_export(sj, torch.zeros(1, 4), save_path="spikingjelly-mlp.nir", dt=1e-4)
functional.reset_net(sj)
x = torch.rand(T, 4)
s1, s2 = [], []
with torch.no_grad():
    for t in range(T):
        h = sj[1](sj[0](x[t:t + 1]))
        o = sj[3](sj[2](h))
        s1.append(h[0].int().tolist()); s2.append(o[0].int().tolist())
json.dump({"input": x.tolist(), "spikes": {"hidden": s1, "output": s2}, "dt": 1e-4,
           "note": "SpikingJelly 2.0.0 LIFNode/IFNode, export_to_nir dt 1e-4"}, open("spikingjelly-mlp.json", "w"), indent=1)
print("wrote spikingjelly-mlp.nir, spikingjelly-mlp.json; hidden spikes", int(np.sum(s1)), "output spikes", int(np.sum(s2)))

# sinabs: IAF (v += I; spike when v >= threshold, one spike a step; reset to 0), written with r = 1.
import sinabs.layers as sl
from sinabs.nir import to_nir as sinabs_to_nir
from sinabs.activation import SingleSpike, MembraneReset
torch.manual_seed(17)
sn = torch.nn.Sequential(torch.nn.Linear(4, 3), sl.IAFSqueeze(batch_size=1, spike_fn=SingleSpike, reset_fn=MembraneReset(), spike_threshold=1.0),
                         torch.nn.Linear(3, 2), sl.IAFSqueeze(batch_size=1, spike_fn=SingleSpike, reset_fn=MembraneReset(), spike_threshold=0.5))
with torch.no_grad():
    sn[0].weight.mul_(2.0); sn[0].bias.fill_(0.3); sn[2].weight.mul_(2.0); sn[2].bias.fill_(0.2)
nir.write("sinabs-mlp.nir", sinabs_to_nir(sn, torch.zeros(1, 4)))
for m in sn:
    if hasattr(m, "reset_states"): m.reset_states()
x = torch.rand(T, 4)
s1, s2 = [], []
with torch.no_grad():
    for t in range(T):
        h = sn[1](sn[0](x[t:t + 1]))
        o = sn[3](sn[2](h))
        s1.append(h[0].int().tolist()); s2.append(o[0].int().tolist())
json.dump({"input": x.tolist(), "spikes": {"hidden": s1, "output": s2},
           "note": "sinabs 3.1.1 IAFSqueeze, SingleSpike, MembraneReset; sinabs.nir.to_nir (r = 1: dt = 1 step)"},
          open("sinabs-mlp.json", "w"), indent=1)
print("wrote sinabs-mlp.nir, sinabs-mlp.json; hidden spikes", int(np.sum(s1)), "output spikes", int(np.sum(s2)))

# Ours, run by snnTorch's importer (which assumes dt = 1e-4 and r = tau/dt).
import os, subprocess, tempfile
from snntorch.import_nir import import_from_nir
root = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../.."))
binary = os.environ.get("SPIKESCOPE", os.path.join(root, ".build/debug/spikescope"))
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([binary, "import", "snntorch-mlp.nir", "--out", tmp + "/s.toml", "--T", str(T)], check=True, capture_output=True)
    subprocess.run([binary, "export", "--session", tmp + "/s.toml", "--out", "spikescope-mlp.nir", "--dt", "1e-4"], check=True, capture_output=True)
    ours = [step["spikes"] for step in json.loads(subprocess.run([binary, "run", "--session", tmp + "/s.toml", "--json"],
                                                                  check=True, capture_output=True).stdout)["steps"]]
snn_net = import_from_nir(nir.read("spikescope-mlp.nir"))
seen = {}
snn_net.n0_lif.register_forward_hook(lambda m, i, o: seen.__setitem__("hidden", o))
theirs, state = [], None
with torch.no_grad():
    for t in range(T):
        out, state = snn_net(torch.ones(4), state)
        out = out[0] if isinstance(out, tuple) else out
        theirs.append([int(seen["hidden"].sum()), int(out.sum())])
agree = sum(a == b for a, b in zip(ours, theirs))
json.dump({"ours": ours, "theirs": theirs, "agree_steps": agree, "steps": T,
           "note": "spikes per step of each layer; input 1 on every input; snnTorch 1.0.0 import_from_nir (dt 1e-4, reset zero delayed a step)"},
          open("spikescope-mlp.json", "w"), indent=1)
print("spikescope-mlp.nir run by snnTorch's importer:", agree, "of", T, "steps give the same spike counts in both layers")

for exported in sys.argv[1:]:
    g = nir.read(exported, type_check=True)
    print(exported, "read by nir", nir.version, "with type checking:", {k: type(v).__name__ for k, v in g.nodes.items()})
