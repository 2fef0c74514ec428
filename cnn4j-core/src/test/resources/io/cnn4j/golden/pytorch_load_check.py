#!/usr/bin/python3
"""Loads a model file that cnn4j saved into the PyTorch module it stands for, and runs it.

    /usr/bin/python3 pytorch_load_check.py MODEL FILE

MODEL is a name in cnn4j_modules.MODELS (seed, lenet5, small, bn, resnet, resnet3). The file is read with numpy alone (the safetensors
package is not needed): every tensor must be F32 or I64, and model.load_state_dict(..., strict=True) must
take them all, the I64 ones into PyTorch's int64 buffers (num_batches_tracked). Then the model runs in
evaluation mode on the input [2, 1, 28, 28] given by the formula float32(sin(i * 0.37 + 0.3)), and one
JSON object is printed: {"logits": [...], "int64": [names], "num_batches_tracked": {name: value}}.
Read by io.cnn4j.io.PyTorchLoadsSavedModelsTest.
"""
import json
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cnn4j_modules  # noqa: E402
from golden_util import floats, formula_values  # noqa: E402

DTYPES = {"F32": "<f4", "I64": "<i8"}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        raw = data[8 + n + begin:8 + n + end]
        tensors[name] = torch.from_numpy(np.frombuffer(raw, dtype=DTYPES[info["dtype"]]).reshape(info["shape"]).copy())
    return tensors


def main():
    torch.set_num_threads(1)
    name, path = sys.argv[1], sys.argv[2]
    state = read_safetensors(path)
    model = cnn4j_modules.MODELS[name]()
    model.load_state_dict(state, strict=True)
    for key, value in model.state_dict().items():
        assert value.dtype == state[key].dtype, (key, value.dtype, state[key].dtype)
    model.eval()
    with torch.no_grad():
        logits = model(torch.from_numpy(formula_values([2, 1, 28, 28], 0.3, 1.0)))
    print(json.dumps({"logits": floats(logits),
                      "int64": [k for k, v in state.items() if v.dtype == torch.int64],
                      "num_batches_tracked": {k: int(v) for k, v in state.items() if k.endswith("num_batches_tracked")}}))


if __name__ == "__main__":
    main()
