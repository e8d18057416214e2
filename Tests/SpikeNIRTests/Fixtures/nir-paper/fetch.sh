#!/usr/bin/env bash
# The single-LIF experiment of the NIR paper (Pedersen et al., Nature Communications 2024), from
# github.com/neuromorphs/NIR at commit 7232ada, folder paper/01_lif (BSD 3-Clause License,
# Copyright (c) 2023, NIR Team): the graph every platform imported (made in Norse, NIR 0.1.1:
# Affine 1 -> LIF with tau 2.5 ms, r 1, threshold 0.1, no v_reset), Norse's run of it at
# dt = 0.1 ms (columns: input spike, voltage, output spike) and the exact event-based solution;
# Rockpool's export of the same neuron (NIR 0.2.0); and the Braille recurrent network of
# paper/03_rnn (snnTorch, NIR 0.2.0: CubaLIF with a recurrent loop, 12-38-7).
set -euo pipefail
cd "$(dirname "$0")"
base=https://raw.githubusercontent.com/neuromorphs/NIR/7232ada/paper/01_lif
for f in lif_norse.nir lif_norse.csv lif_exact.csv lif_rockpool.nir; do curl -fsSL "$base/$f" -o "$f"; done
curl -fsSL https://raw.githubusercontent.com/neuromorphs/NIR/7232ada/paper/03_rnn/braille_noDelay_bias_zero.nir -o braille_noDelay_bias_zero.nir
