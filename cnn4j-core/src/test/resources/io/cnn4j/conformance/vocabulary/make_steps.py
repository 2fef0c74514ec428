#!/usr/bin/python3
"""Training steps of JSON-described models that use the newer layers, taken by PyTorch, for
VocabularyStepsTest to replay with cnn4j from the same weights.

    cd cnn4j-core/src/test/resources/io/cnn4j/conformance/vocabulary && /usr/bin/python3 make_steps.py > steps.json

Needs Debian's python3-torch (1.13) and python3-numpy. Each MODEL.json here is a cnn4j model description,
whose layer types and arguments are PyTorch's own: this script builds the same torch.nn modules from it by
class name. Every parameter k (named_parameters order) and the input are hashed values
(../../golden/golden_util.hashed_values: both sides compute them exactly), the labels fixed. For each
optimizer configuration the model starts from those weights, in training mode, and takes STEPS steps of
F.cross_entropy on the same batch; the loss of every step and the parameters and buffers after the last
are recorded (tensors of more than FULL elements every STRIDE-th element). Everything runs in float32 on one
thread; "float64_gap" is how far each configuration's float32 run is from the same run in float64 (the
largest difference of a loss, and of a parameter relative to that tensor's largest magnitude), the scale
of rounding the test's tolerances are set against.
"""
import copy
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "golden"))
import cnn4j_modules  # noqa: E402
from golden_util import dump, floats, hashed_values  # noqa: E402

torch.set_num_threads(1)

STEPS = 3
FULL = 400
STRIDE = 7
BATCH = 6
CLASSES = 5

# name -> (torch optimizer, its arguments); VocabularyStepsTest builds the same cnn4j optimizers.
OPTIMIZERS = {
    "sgd": (torch.optim.SGD, {"lr": 0.05, "momentum": 0.9, "dampening": 0.1, "weight_decay": 1e-3}),
    "adam_amsgrad": (torch.optim.Adam, {"lr": 1e-3, "betas": (0.8, 0.99), "eps": 1e-7, "amsgrad": True}),
    "adamw_amsgrad": (torch.optim.AdamW, {"lr": 1e-3, "weight_decay": 0.05, "amsgrad": True}),
    "rmsprop": (torch.optim.RMSprop, {"lr": 1e-3, "alpha": 0.9, "momentum": 0.5, "centered": True}),
    "adagrad": (torch.optim.Adagrad, {"lr": 0.05, "lr_decay": 0.01, "initial_accumulator_value": 0.1}),
}

# What each model is run on: its input shape (without the batch).
MODELS = {"every_new_layer": [3, 16, 16]}


def build(desc):
    """The torch module a cnn4j description stands for."""
    kind, args = desc["type"], dict(desc.get("args", {}))
    children = [build(c) for c in desc.get("children", [])]
    if kind == "Sequential":
        return nn.Sequential(*children)
    if kind == "Residual":
        return cnn4j_modules.Residual(*children)
    if kind == "Concat":
        return cnn4j_modules.Concat(children)
    args = {k: tuple(v) if isinstance(v, list) else v for k, v in args.items()}
    return getattr(nn, kind)(**args)


def initialise(model, dtype):
    with torch.no_grad():
        for k, (name, p) in enumerate(model.named_parameters()):
            scale = 1 / np.sqrt(int(np.prod(p.shape[1:]))) if p.dim() > 1 else 0.1
            p.copy_(torch.from_numpy(hashed_values(list(p.shape), k + 1, scale)).to(dtype))


def run(model, config, x, labels):
    kind, kwargs = OPTIMIZERS[config]
    model.train()
    opt = kind(model.parameters(), **kwargs)
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), labels)
        losses.append(loss.item())
        loss.backward()
        opt.step()
    return losses, model.state_dict()


def sampled(t):
    flat = t.detach().reshape(-1)
    stride = 1 if flat.numel() <= FULL else STRIDE
    return stride, flat[::stride]


def main():
    out = {"torch": torch.__version__, "steps": STEPS, "batch": BATCH, "classes": CLASSES, "full": FULL,
           "stride": STRIDE, "optimizers": {k: {a: list(v) if isinstance(v, tuple) else v for a, v in kw.items()}
                                            for k, (_, kw) in OPTIMIZERS.items()}, "models": {}}
    labels = torch.tensor([i % CLASSES for i in range(BATCH)])
    for name, shape in MODELS.items():
        with open(os.path.join(HERE, name + ".json")) as f:
            desc = json.load(f)
        base = build(desc)
        initialise(base, torch.float32)
        x = torch.from_numpy(hashed_values([BATCH] + shape, 1000, 1.0))
        entry = {"input": [BATCH] + shape, "input_seed": 1000, "runs": {}}
        for config in OPTIMIZERS:
            losses, state = run(copy.deepcopy(base), config, x, labels)
            losses64, state64 = run(copy.deepcopy(base).double(), config, x.double(), labels)
            gap_loss = max(abs(a - b) for a, b in zip(losses, losses64))
            gap_param = max(float((state[k].double() - state64[k]).abs().max() / max(state64[k].abs().max(), 1e-30))
                            for k in state if state[k].is_floating_point())
            tensors = []
            for k, t in state.items():
                if t.is_floating_point():
                    stride, values = sampled(t)
                    tensors.append({"name": k, "shape": list(t.shape), "stride": stride, "values": floats(values)})
                else:
                    tensors.append({"name": k, "shape": list(t.shape), "count": int(t)})
            entry["runs"][config] = {"losses": floats(torch.tensor(losses)),
                                     "float64_gap": {"loss": gap_loss, "param": gap_param}, "state": tensors}
        out["models"][name] = entry
    print(dump(out))


if __name__ == "__main__":
    main()
