#!/usr/bin/python3
"""What the golden-value scripts beside this file share: float32 values written so they read back exactly,
the sin formula both sides build inputs from, the case format of ops_golden.py, model parameters filled by
the formula with sampled gradients, and the JSON layout. Imported, not run.
"""
import json
import math

import numpy as np
import torch

# Gradients of tensors larger than FULL are stored every STRIDE-th element only.
STRIDE = 37
FULL = 3000


def floats(t):
    """Flat list of float32 values, each written as the shortest decimal that reads back as that float32."""
    if isinstance(t, torch.Tensor):
        t = t.detach()
    return [float(str(np.float32(a))) for a in np.asarray(t, dtype=np.float32).reshape(-1)]


def formula_values(shape, phase, scale):
    """float32(scale * sin(i * 0.37 + phase)) over the flat row-major index i, evaluated in double."""
    n = int(np.prod(shape)) if len(shape) else 1
    return (scale * np.sin(np.arange(n, dtype=np.float64) * 0.37 + phase)).astype(np.float32).reshape(shape)


def hashed_values(shape, seed, scale):
    """float32(scale * (2u - 1)) with u in [0, 1) from an integer hash of (flat index i, seed): values with no
    pattern that both sides compute exactly (integer arithmetic, one division by 2^32, one float32 rounding).
    A whole network on the sin formula has near-ties at its ReLUs, whose side flips with float rounding."""
    n = int(np.prod(shape)) if len(shape) else 1
    m = np.uint64(0xFFFFFFFF)
    h = (np.arange(n, dtype=np.uint64) * np.uint64(0x9E3779B1) + np.uint64(seed) * np.uint64(0x85EBCA77)) & m
    h ^= h >> np.uint64(16)
    h = (h * np.uint64(0x7FEB352D)) & m
    h ^= h >> np.uint64(15)
    h = (h * np.uint64(0x846CA68B)) & m
    h ^= h >> np.uint64(16)
    return (scale * (2.0 * (h.astype(np.float64) / 4294967296.0) - 1.0)).astype(np.float32).reshape(shape)


def formula(shape, phase, scale):
    """An input spec built by the formula; its values are stored too, so the Java side can prove it rebuilt them."""
    return {"shape": list(shape), "phase": phase, "scale": scale, "values": floats(formula_values(shape, phase, scale))}


def given(shape, values):
    v = np.asarray(values, dtype=np.float32).reshape(-1)
    assert v.size == (int(np.prod(shape)) if len(shape) else 1)
    return {"shape": list(shape), "values": floats(v)}


def tensor(spec):
    return torch.tensor(spec["values"], dtype=torch.float32).reshape(spec["shape"])


def case(cases, name, op, args, inputs, grads, fn, extra=None):
    """Appends one case: fn(tensors by name) -> output; grads names the inputs that require a gradient;
    extra(tensors) -> more expected values (after the forward pass)."""
    ts = {k: tensor(v).requires_grad_(k in grads) for k, v in inputs.items()}
    out = fn(ts)
    expected = {"out": floats(out)}
    if extra is not None:
        expected.update({k: floats(v) for k, v in extra(ts).items()})
    upstream = formula(list(out.shape), 0.5, 1.0)
    out.backward(tensor(upstream))
    for k in grads:
        expected[k] = floats(ts[k].grad)
    cases.append({"name": name, "op": op, "args": args, "inputs": inputs, "grads": grads,
                  "out_shape": list(out.shape), "upstream": upstream, "expected": expected})


def fill_by_formula(model, offset=None, hashed=False):
    """Fills parameter k (in named_parameters order) by the formula with phase 0.5 * k + 0.1 (or, hashed, by
    hashed_values with seed k + 1) and scale 1 / sqrt(fan_in) for weights of rank 2 and more, 0.1 for the
    rest; offset(name, p), when given, is added in float32 and recorded. Returns the specs, each with its
    first 8 values."""
    params = []
    with torch.no_grad():
        for k, (name, p) in enumerate(model.named_parameters()):
            phase = 0.5 * k + 0.1
            scale = 1 / math.sqrt(int(np.prod(p.shape[1:]))) if p.dim() > 1 else 0.1
            if hashed:
                v = hashed_values(list(p.shape), k + 1, scale)
                spec = {"name": name, "shape": list(p.shape), "seed": k + 1, "scale": scale}
            else:
                v = formula_values(list(p.shape), phase, scale)
                spec = {"name": name, "shape": list(p.shape), "phase": phase, "scale": scale}
            if offset is not None:
                spec["offset"] = offset(name, p)
                v = v + np.float32(spec["offset"])
            p.copy_(torch.from_numpy(v))
            spec["first"] = floats(p.reshape(-1)[:8])
            params.append(spec)
    return params


def add_gradients(params, model):
    """Records each parameter's gradient in its spec: all of it up to FULL elements, else every STRIDE-th."""
    for entry, p in zip(params, model.parameters()):
        g = p.grad.reshape(-1)
        entry["grad_stride"] = 1 if g.numel() <= FULL else STRIDE
        entry["grad"] = floats(g[::entry["grad_stride"]])


def dump(v, indent=""):
    """JSON with one key per line and number lists kept on one line."""
    if isinstance(v, dict):
        inner = indent + "  "
        items = [inner + json.dumps(k) + ": " + dump(x, inner) for k, x in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(v, list) and any(isinstance(x, (dict, list)) for x in v):
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + dump(x, inner) for x in v) + "\n" + indent + "]"
    return json.dumps(v)
