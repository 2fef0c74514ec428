#!/usr/bin/python3
"""Golden parameter trajectories for cnn4j's optimizers, computed by torch.optim (PyTorch 1.13, CPU,
float32, the default single-tensor implementation).

Regenerate (from this directory) with Debian's PyTorch:

    /usr/bin/python3 optim_golden.py > optim_golden.json

Read by io.cnn4j.optim.SgdPyTorchTest, AdamPyTorchTest, RmsPropPyTorchTest and AdagradPyTorchTest.

Two parameters, p0 [2, 3] and p1 [4], start from the formula

    value[i] = float32(scale * sin(i * 0.37 + phase))      i = flat row-major index

with (phase, scale) = (0.1, 1.0) for p0 and (1.3, 0.5) for p1. Before step t (1-based) each gradient is
set by hand to the same formula with phase = 0.3 * t + 0.7 * k (k = parameter number) and scale 0.8;
a case may list steps at which p1 has no gradient (None, so the optimizer must leave it and its state
alone). After every step the file records the gradients it set and both parameters; the initial
values and the gradients are stored so the Java side can prove its formula rebuilt the same floats.
"""
import json

import numpy as np
import torch

torch.set_num_threads(1)

STEPS = 5


def values(n, phase, scale):
    v = (scale * np.sin(np.arange(n, dtype=np.float64) * 0.37 + phase)).astype(np.float32)
    return torch.from_numpy(v)


def floats(t):
    """Flat list of float32 values, each written as the shortest decimal that reads back as that float32."""
    return [float(str(np.float32(a))) for a in t.detach().numpy().reshape(-1)]


def run(name, make, kind, options, p1_without_grad=()):
    p0 = values(6, 0.1, 1.0).reshape(2, 3).requires_grad_(True)
    p1 = values(4, 1.3, 0.5).requires_grad_(True)
    initial = {"p0": floats(p0), "p1": floats(p1)}
    opt = make([p0, p1])
    trajectory = []
    for t in range(1, STEPS + 1):
        p0.grad = values(6, 0.3 * t, 0.8).reshape(2, 3)
        p1.grad = None if t in p1_without_grad else values(4, 0.3 * t + 0.7, 0.8)
        opt.step()
        trajectory.append({"grad_p0": floats(p0.grad), "grad_p1": None if p1.grad is None else floats(p1.grad),
                           "p0": floats(p0), "p1": floats(p1)})
    return {"name": name, "kind": kind, "options": options, "p1_without_grad": list(p1_without_grad),
            "initial": initial, "steps": trajectory}


SGD = torch.optim.SGD
ADAM = torch.optim.Adam
ADAMW = torch.optim.AdamW
RMSPROP = torch.optim.RMSprop
ADAGRAD = torch.optim.Adagrad
CASES = [
    run("sgd", lambda p: SGD(p, lr=0.1), "sgd", {"lr": 0.1}),
    run("sgd_momentum", lambda p: SGD(p, lr=0.1, momentum=0.9), "sgd", {"lr": 0.1, "momentum": 0.9}),
    run("sgd_momentum_dampening", lambda p: SGD(p, lr=0.1, momentum=0.9, dampening=0.3), "sgd",
        {"lr": 0.1, "momentum": 0.9, "dampening": 0.3}),
    run("sgd_nesterov", lambda p: SGD(p, lr=0.1, momentum=0.9, nesterov=True), "sgd",
        {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    run("sgd_weight_decay", lambda p: SGD(p, lr=0.1, weight_decay=0.05), "sgd", {"lr": 0.1, "weight_decay": 0.05}),
    run("sgd_momentum_weight_decay", lambda p: SGD(p, lr=0.1, momentum=0.9, weight_decay=0.05), "sgd",
        {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.05}),
    run("sgd_momentum_p1_skips_steps_1_and_3", lambda p: SGD(p, lr=0.1, momentum=0.9), "sgd",
        {"lr": 0.1, "momentum": 0.9}, p1_without_grad=(1, 3)),
    run("adam_defaults", lambda p: ADAM(p, lr=0.05), "adam", {"lr": 0.05}),
    run("adam_weight_decay", lambda p: ADAM(p, lr=0.05, weight_decay=0.1), "adam", {"lr": 0.05, "weight_decay": 0.1}),
    run("adam_betas_eps", lambda p: ADAM(p, lr=0.05, betas=(0.8, 0.99), eps=1e-3), "adam",
        {"lr": 0.05, "beta1": 0.8, "beta2": 0.99, "eps": 1e-3}),
    run("adam_p1_skips_steps_1_and_3", lambda p: ADAM(p, lr=0.05), "adam", {"lr": 0.05}, p1_without_grad=(1, 3)),
    run("adamw_defaults", lambda p: ADAMW(p, lr=0.05), "adamw", {"lr": 0.05}),
    run("adamw_weight_decay", lambda p: ADAMW(p, lr=0.05, weight_decay=0.1), "adamw",
        {"lr": 0.05, "weight_decay": 0.1}),
    run("adamw_p1_skips_steps_1_and_3", lambda p: ADAMW(p, lr=0.05, weight_decay=0.1), "adamw",
        {"lr": 0.05, "weight_decay": 0.1}, p1_without_grad=(1, 3)),
    run("adam_amsgrad", lambda p: ADAM(p, lr=0.05, amsgrad=True), "adam", {"lr": 0.05, "amsgrad": True}),
    run("adam_amsgrad_p1_skips_steps_1_and_3", lambda p: ADAM(p, lr=0.05, betas=(0.5, 0.9), amsgrad=True), "adam",
        {"lr": 0.05, "beta1": 0.5, "beta2": 0.9, "amsgrad": True}, p1_without_grad=(1, 3)),
    run("adamw_amsgrad", lambda p: ADAMW(p, lr=0.05, weight_decay=0.1, amsgrad=True), "adamw",
        {"lr": 0.05, "weight_decay": 0.1, "amsgrad": True}),
    run("rmsprop_defaults", lambda p: RMSPROP(p, lr=0.01), "rmsprop", {"lr": 0.01}),
    run("rmsprop_alpha_eps_weight_decay", lambda p: RMSPROP(p, lr=0.01, alpha=0.9, eps=1e-4, weight_decay=0.05),
        "rmsprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-4, "weight_decay": 0.05}),
    run("rmsprop_momentum", lambda p: RMSPROP(p, lr=0.01, momentum=0.9), "rmsprop", {"lr": 0.01, "momentum": 0.9}),
    run("rmsprop_centered", lambda p: RMSPROP(p, lr=0.01, centered=True), "rmsprop", {"lr": 0.01, "centered": True}),
    run("rmsprop_centered_momentum_p1_skips_steps_1_and_3",
        lambda p: RMSPROP(p, lr=0.01, momentum=0.5, centered=True, weight_decay=0.01), "rmsprop",
        {"lr": 0.01, "momentum": 0.5, "centered": True, "weight_decay": 0.01}, p1_without_grad=(1, 3)),
    run("adagrad_defaults", lambda p: ADAGRAD(p, lr=0.1), "adagrad", {"lr": 0.1}),
    run("adagrad_lr_decay_weight_decay_accumulator",
        lambda p: ADAGRAD(p, lr=0.1, lr_decay=0.05, weight_decay=0.02, initial_accumulator_value=0.3, eps=1e-6),
        "adagrad", {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.02, "initial_accumulator_value": 0.3, "eps": 1e-6}),
    run("adagrad_lr_decay_p1_skips_steps_1_and_3", lambda p: ADAGRAD(p, lr=0.1, lr_decay=0.1), "adagrad",
        {"lr": 0.1, "lr_decay": 0.1}, p1_without_grad=(1, 3)),
]

print("{\n  \"torch\": " + json.dumps(torch.__version__) + ",\n  \"cases\": [\n    "
      + ",\n    ".join(json.dumps(c) for c in CASES) + "\n  ]\n}")
