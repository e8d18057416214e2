"""Writes nmnist-digits/ (N-MNIST layout: Test/<class>/<index>.bin and sensor), two recordings that
spikescope's simulated saccade camera makes of the first two test digits, stretched over 20 s so
that timestamps pass 2^23 µs and the writer puts in overflow markers; and nmnist-digits.csv: the
events tonic's N-MNIST reader (`tonic.io.read_mnist_file`, tonic 1.7.0) decodes from those
files, as file,t,x,y,p. The Swift test records the same digits again, checks that our writer
gives these bytes, and that our reader decodes what tonic decodes.

Run from this folder, with spikescope built (swift build -c release) and tonic in the virtualenv
(pip install --no-deps tonic importRosbag): /tmp/peers/bin/python make_nmnist_fixture.py"""
import pathlib
import shutil
import subprocess

import numpy as np
import tonic.io

root = pathlib.Path(__file__).resolve().parent
repo = root.parents[2]
binary = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=repo, check=True,
                        capture_output=True, text=True).stdout.strip() + "/spikescope"
out = root / "nmnist-digits"
shutil.rmtree(out, ignore_errors=True)
subprocess.run([binary, "data", "convert", "--data", "digits", "--to", str(out), "--split", "test", "--limit", "2",
                "--duration-us", "20000000", "--seed", "3"], check=True)
dtype = np.dtype([("x", int), ("y", int), ("t", int), ("p", int)])
with open(root / "nmnist-digits.csv", "w") as f:
    f.write("file,t,x,y,p\n")
    for path in sorted(out.glob("Test/*/*.bin")):
        events = tonic.io.read_mnist_file(str(path), dtype=dtype)
        for e in events:
            f.write(f"{path.relative_to(out)},{e['t']},{e['x']},{e['y']},{e['p']}\n")
print(f"wrote {out} and nmnist-digits.csv")
