#!/usr/bin/python3
"""Golden learning rates and momenta of PyTorch's schedulers, and gradients clipped by
torch.nn.utils.clip_grad_norm_ (PyTorch 1.13, CPU, float32).

Regenerate (from this directory) with Debian's PyTorch:

    /usr/bin/python3 schedule_golden.py > schedule_golden.json

Read by io.cnn4j.optim.LrSchedulePyTorchTest and io.cnn4j.optim.GradientClippingTest.

Each schedule case records, for update t = 0, 1, ..., the learning rate (and momentum) the optimizer
held when optimizer.step() ran for the t-th time, with scheduler.step() called after every update:
exactly what a cnn4j LrSchedule returns for step t.
"""
import json
import math

import numpy as np
import torch
from torch.optim import SGD, Adam, AdamW
from torch.optim.lr_scheduler import (CosineAnnealingLR, LinearLR, OneCycleLR, SequentialLR, StepLR)

torch.set_num_threads(1)


def trajectory(optimizer, scheduler, steps):
    lrs, momenta = [], []
    for _ in range(steps):
        group = optimizer.param_groups[0]
        lrs.append(group["lr"])
        momenta.append(group["betas"][0] if "betas" in group else group.get("momentum"))
        optimizer.step()
        scheduler.step()
    return lrs, momenta


def param():
    return [torch.zeros(1, requires_grad=True)]


def case(name, kind, options, make_optimizer, make_scheduler, steps):
    optimizer = make_optimizer(param())
    lrs, momenta = trajectory(optimizer, make_scheduler(optimizer), steps)
    return {"name": name, "kind": kind, "options": options, "lr": lrs, "momentum": momenta}


def cosine(optimizer, total, warmup, start_factor, eta_min):
    if warmup == 0:
        return CosineAnnealingLR(optimizer, T_max=total, eta_min=eta_min)
    return SequentialLR(optimizer, [LinearLR(optimizer, start_factor=start_factor, total_iters=warmup),
                                    CosineAnnealingLR(optimizer, T_max=total - warmup, eta_min=eta_min)],
                        milestones=[warmup])


SCHEDULES = [
    case("step_3_half", "step", {"lr": 0.1, "step_size": 3, "gamma": 0.5},
         lambda p: SGD(p, lr=0.1), lambda o: StepLR(o, step_size=3, gamma=0.5), 12),
    case("step_1_gamma_0.9", "step", {"lr": 0.05, "step_size": 1, "gamma": 0.9},
         lambda p: SGD(p, lr=0.05), lambda o: StepLR(o, step_size=1, gamma=0.9), 30),
    case("cosine_no_warmup", "cosine", {"lr": 0.1, "total": 20, "warmup": 0, "start_factor": 1.0, "min_lr": 0.0},
         lambda p: SGD(p, lr=0.1), lambda o: cosine(o, 20, 0, 1.0, 0.0), 21),
    case("cosine_warmup_5_of_25", "cosine", {"lr": 0.2, "total": 25, "warmup": 5, "start_factor": 0.01, "min_lr": 0.001},
         lambda p: SGD(p, lr=0.2), lambda o: cosine(o, 25, 5, 0.01, 0.001), 25),
    case("cosine_warmup_1_of_7", "cosine", {"lr": 0.003, "total": 7, "warmup": 1, "start_factor": 0.25, "min_lr": 0.0},
         lambda p: Adam(p, lr=0.003), lambda o: cosine(o, 7, 1, 0.25, 0.0), 7),
    case("onecycle_defaults_sgd", "onecycle",
         {"max_lr": 0.1, "total": 40, "pct_start": 0.3, "div_factor": 25.0, "final_div_factor": 1e4, "cycle_momentum": False},
         lambda p: SGD(p, lr=0.1, momentum=0.9),
         lambda o: OneCycleLR(o, max_lr=0.1, total_steps=40, cycle_momentum=False), 40),
    case("onecycle_sgd_cycle_momentum", "onecycle",
         {"max_lr": 0.4, "total": 50, "pct_start": 0.25, "div_factor": 10.0, "final_div_factor": 100.0, "cycle_momentum": True},
         lambda p: SGD(p, lr=0.4, momentum=0.9, nesterov=True),
         lambda o: OneCycleLR(o, max_lr=0.4, total_steps=50, pct_start=0.25, div_factor=10.0, final_div_factor=100.0), 50),
    case("onecycle_adamw_cycle_beta1", "onecycle",
         {"max_lr": 0.003, "total": 33, "pct_start": 0.3, "div_factor": 25.0, "final_div_factor": 1e4, "cycle_momentum": True},
         lambda p: AdamW(p, lr=0.003), lambda o: OneCycleLR(o, max_lr=0.003, total_steps=33), 33),
]


def floats(t):
    """Flat list of float32 values, each written as the shortest decimal that reads back as that float32."""
    return [float(str(np.float32(a))) for a in t.detach().numpy().reshape(-1)]


def values(n, phase, scale):
    v = (scale * np.sin(np.arange(n, dtype=np.float64) * 0.37 + phase)).astype(np.float32)
    return torch.from_numpy(v)


def clip_case(name, max_norm, scale, p1_without_grad=False):
    """Two gradients, g0 [2, 3] and g1 [4], from the formula of optim_golden.py with the given scale."""
    p0 = torch.zeros(2, 3, requires_grad=True)
    p1 = torch.zeros(4, requires_grad=True)
    p0.grad = values(6, 0.1, scale).reshape(2, 3)
    p1.grad = None if p1_without_grad else values(4, 1.3, scale)
    before = {"g0": floats(p0.grad), "g1": None if p1.grad is None else floats(p1.grad)}
    norm = torch.nn.utils.clip_grad_norm_([p0, p1], max_norm)
    return {"name": name, "max_norm": max_norm, "scale": scale, "before": before, "norm": float(norm),
            "g0": floats(p0.grad), "g1": None if p1.grad is None else floats(p1.grad)}


CLIPS = [
    clip_case("clipped", 0.5, 2.0),
    clip_case("under_the_limit", 10.0, 2.0),
    clip_case("p1_without_grad", 0.25, 3.0, p1_without_grad=True),
]

print("{\n  \"torch\": " + json.dumps(torch.__version__) + ",\n  \"schedules\": [\n    "
      + ",\n    ".join(json.dumps(c) for c in SCHEDULES) + "\n  ],\n  \"clip_grad_norm\": [\n    "
      + ",\n    ".join(json.dumps(c) for c in CLIPS) + "\n  ]\n}")
