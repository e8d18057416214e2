"""Writes python_written.safetensors with Python's `safetensors` package (the reference
implementation), so SpikeCoreTests can prove the Swift reader reads what PyTorch/HF users write.

    pip install safetensors numpy && python3 make_safetensors_fixture.py
"""
import numpy as np
from safetensors.numpy import save_file

tensors = {
    # a dense layer as nn.Linear(3, 2) stores it: weight (out, in), bias (out)
    "fc1.weight": np.arange(6, dtype=np.float32).reshape(2, 3) / 4 - 0.5,
    "fc1.bias": np.array([0.25, -1.5], dtype=np.float32),
    # other dtypes the reader converts to Float
    "half": np.array([1.0, -2.5, 65504.0, 2.0 ** -24], dtype=np.float16),
    "double": np.array([[1.0 / 3.0], [-7.0]], dtype=np.float64),
    "scalar": np.array(3.5, dtype=np.float32),
}
save_file(tensors, "python_written.safetensors", metadata={"format": "pt", "made_by": "make_safetensors_fixture.py"})
