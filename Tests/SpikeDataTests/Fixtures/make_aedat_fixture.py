"""Writes cifar10dvs-fixture.aedat (AEDAT 2.0 with jAER's header, 300 events with random addresses
and increasing timestamps) and cifar10dvs-fixture.csv: the events SpikingJelly's CIFAR10-DVS
reader (`_load_origin_data` in spikingjelly/datasets/cifar10_dvs.py) decodes from it, as t,x,y,p.

SpikingJelly's dataset package imports torchvision and torchaudio at import time, which the
peerbench virtualenv does not carry; the reader needs only numpy. So this script takes the
reader's own source text out of the installed file (from `EVT_DVS = 0` to the end of
`_load_origin_data`) and runs it unchanged. Run: /tmp/peers/bin/python make_aedat_fixture.py"""
import logging
import pathlib
import typing

import numpy as np
import spikingjelly

source = (pathlib.Path(spikingjelly.__file__).parent / "datasets" / "cifar10_dvs.py").read_text()
start = source.index("EVT_DVS = 0")
end = source.index("def _read_aedat_save_to_np")
reader = {"np": np, "logger": logging.getLogger("sj"), "Union": typing.Union, "Path": pathlib.Path}
exec(source[start:end], reader)

rng = np.random.default_rng(7)
n = 300
addr = rng.integers(0, 1 << 15, size=n, dtype=np.uint32)            # bits 0-14: p, x, y as CIFAR10-DVS stores them
t = np.cumsum(rng.integers(0, 50, size=n)).astype(np.uint32)
body = np.empty(2 * n, dtype=">u4")
body[0::2], body[1::2] = addr, t
with open("cifar10dvs-fixture.aedat", "wb") as f:
    f.write(b"#!AER-DAT2.0\r\n# This is a raw AE data file - do not edit\r\n# Data format is int32 address, int32 timestamp\r\n")
    f.write(body.tobytes())
d = reader["_load_origin_data"]("cifar10dvs-fixture.aedat")
with open("cifar10dvs-fixture.csv", "w") as f:
    f.write("t,x,y,p\n")
    for i in range(n):
        f.write(f"{int(d['t'][i])},{int(d['x'][i])},{int(d['y'][i])},{int(d['p'][i])}\n")
