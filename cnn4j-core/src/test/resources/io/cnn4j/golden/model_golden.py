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
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
STRIDE = 37
FULL = 3000


def formula(shape, phase, scale):
    n = int(np.prod(shape))
    v = (scale * np.sin(np.arange(n, dtype=np.float64) * 0.37 + phase)).astype(np.float32)
    return torch.from_numpy(v).reshape(shape)


def floats(t):
    """Flat list of float32 values, each written as the shortest decimal that reads back as that float32."""
    return [float(str(np.float32(a))) for a in t.detach().numpy().reshape(-1)]


model = nn.Sequential(
    nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(400, 120), nn.ReLU(),
    nn.Linear(120, 84), nn.ReLU(),
    nn.Linear(84, 10))

params = []
with torch.no_grad():
    for k, (name, p) in enumerate(model.named_parameters()):
        phase = 0.5 * k + 0.1
        scale = 1 / math.sqrt(int(np.prod(p.shape[1:]))) if p.dim() > 1 else 0.1
        p.copy_(formula(list(p.shape), phase, scale))
        params.append({"name": name, "shape": list(p.shape), "phase": phase, "scale": scale,
                       "first": floats(p.reshape(-1)[:8])})

images = formula([2, 1, 28, 28], 0.3, 1.0)
labels = [3, 7]
logits = model(images)
loss = F.cross_entropy(logits, torch.tensor(labels))
loss.backward()

for entry, p in zip(params, model.parameters()):
    g = p.grad.reshape(-1)
    entry["grad_stride"] = 1 if g.numel() <= FULL else STRIDE
    entry["grad"] = floats(g[::entry["grad_stride"]])

out = {"torch": torch.__version__, "model": "lenet5", "labels": labels,
       "images": {"shape": [2, 1, 28, 28], "phase": 0.3, "scale": 1.0, "first": floats(images.reshape(-1)[:8])},
       "loss": float(str(np.float32(loss.item()))), "logits": floats(logits), "params": params}
print("{\n" + ",\n".join("  " + json.dumps(k) + ": " + json.dumps(v) for k, v in out.items() if k != "params")
      + ",\n  \"params\": [\n    " + ",\n    ".join(json.dumps(p) for p in params) + "\n  ]\n}")
