#!/usr/bin/python3
"""Golden loss, logits and parameter gradients of the built-in model lenet5, computed by PyTorch 1.13
on the CPU in float32.

Regenerate (from this directory) with Debian's PyTorch:

    /usr/bin/python3 model_golden.py > model_golden.json

Read by io.cnn4j.nn.ModelGoldenTest. The network is the nn.Sequential that cnn4j's Models.lenet5()
mirrors (same layers, same parameter names). Every parameter, in state_dict order k = 0, 1, ..., and the
two input images are filled by the formula

    value[i] = float32(scale * sin(i * 0.37 + phase))      i = flat row-major index

with phase = 0.5 * k + 0.1 and scale = 1 / sqrt(fan_in) for weights, 0.1 for biases; the images use
phase 0.3 and scale 1. The loss is F.cross_entropy against labels [3, 7]. The first 8 values of every
formula tensor are stored so the Java side can prove it rebuilt the same floats. Gradients are stored in
full for tensors of at most 3000 elements, and every 37th element (flat index 0, 37, 74, ...) of the
larger ones.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cnn4j_modules  # noqa: E402
from golden_util import add_gradients, fill_by_formula, floats, formula_values  # noqa: E402

torch.set_num_threads(1)

model = cnn4j_modules.lenet5()

params = fill_by_formula(model)

images = torch.from_numpy(formula_values([2, 1, 28, 28], 0.3, 1.0))
labels = [3, 7]
logits = model(images)
loss = F.cross_entropy(logits, torch.tensor(labels))
loss.backward()

add_gradients(params, model)

out = {"torch": torch.__version__, "model": "lenet5", "labels": labels,
       "images": {"shape": [2, 1, 28, 28], "phase": 0.3, "scale": 1.0, "first": floats(images.reshape(-1)[:8])},
       "loss": float(str(np.float32(loss.item()))), "logits": floats(logits), "params": params}
print("{\n" + ",\n".join("  " + json.dumps(k) + ": " + json.dumps(v) for k, v in out.items() if k != "params")
      + ",\n  \"params\": [\n    " + ",\n    ".join(json.dumps(p) for p in params) + "\n  ]\n}")
