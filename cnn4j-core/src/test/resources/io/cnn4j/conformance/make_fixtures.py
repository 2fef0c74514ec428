#!/usr/bin/python3
"""Writes the PyTorch training-step fixtures that PyTorchConformanceTest replays with cnn4j.

    cd cnn4j-core/src/test/resources/io/cnn4j/conformance && /usr/bin/python3 make_fixtures.py [--last-step-only] [--out DIR]

Needs Debian's python3-torch (1.13.1) and python3-numpy; nothing else (the safetensors writer below is
stdlib + numpy). Everything runs on the CPU in float32 with one thread. For each model it writes
MODEL.safetensors (into this directory unless --out says otherwise) holding, by tensor name:

    init/NAME              the initial state: parameters and buffers (torch.manual_seed(SEED) + PyTorch's
                           default init)
    grad/NAME              the gradients after the first backward pass (the same for every optimizer)
    CONFIG/loss            [STEPS] the loss of each step, computed before that step's update
    CONFIG/stepT/NAME      the parameters and buffers after step T (1-based) of optimizer configuration
                           CONFIG; with --last-step-only only T = STEPS (the files shrink from 6.1 MB to 2.6 MB,
                           and the test then checks the intermediate parameters only through the losses)

and __metadata__ strings: the torch version and command, the embedded-subset image indices of every batch
and their labels (JSON), the optimizer configurations (JSON), and "float32_noise": how far these float32
results are from the same computation in float64 (JSON), which is what the test's tolerances are
measured against. Models whose settings below say so also have "rows_kept" (JSON: tensors of which only the
first rows are stored in grad/ and CONFIG/stepT/) and "eval_layers" (JSON: indices of layers that run in
evaluation mode).

The model bn (batch norm; its PyTorch definition is ../golden/cnn4j_modules.py) is replayed with SGD and Adam
only, keeps 8 of the 128 rows of its 3136x128 layer and its large parameters after the last step only, to
stay under 2.5 MB, and runs its dropout in evaluation mode; its running statistics, num_batches_tracked,
biases and batch-norm parameters are recorded after every step.

The images are real Fashion-MNIST training images from cnn4j's embedded subset
(src/main/resources/io/cnn4j/data/fashion-mnist-subset), scaled by 1/255 and nothing else, as
io.cnn4j.data.Dataset does. Re-running on the same machine reproduces the files byte for byte; another
CPU may pick other oneDNN/OpenBLAS kernels and change the last bits of some values.
"""
import argparse
import gzip
import json
import os
import platform
import struct
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "golden"))
import cnn4j_modules  # noqa: E402
SUBSET = os.path.normpath(os.path.join(
    HERE, "..", "..", "..", "..", "..", "main", "resources", "io", "cnn4j", "data", "fashion-mnist-subset"))
SEED = 0
BATCHES = 3
BATCH = 20  # not a multiple of 8: CpuKernels' weight-gradient tasks (8 images each) end in a partial one
STEPS = BATCHES
# With last_step_only, parameters of at most this many elements are still kept after every step (biases, batch
# norm weights: a few kilobytes), with the buffers.
SMALL = 1024
# Per model: the optimizer configurations it is replayed with; rows_kept, the first rows kept of tensors too
# large to store at every step (their gradients and parameters; the test compares that prefix); the indices
# of layers run in evaluation mode (bn's dropout: no two libraries draw the same random mask); and whether
# only the last step's parameters are kept (buffers, such as running statistics, and parameters of at most
# SMALL elements are kept after every step).
MODELS = {
    "seed": dict(configs=["sgd", "sgd_nesterov_wd", "adam", "adamw"], rows_kept={}, eval_layers=[], last_step_only=False),
    "lenet5": dict(configs=["sgd", "sgd_nesterov_wd", "adam", "adamw"], rows_kept={}, eval_layers=[],
                   last_step_only=False),
    "bn": dict(configs=["sgd", "adam"], rows_kept={"9.weight": 8}, eval_layers=[11], last_step_only=True),
}
# name -> (constructor, keyword arguments); the same hyperparameters are in the metadata for the Java side.
CONFIGS = {
    "sgd": ("SGD", dict(lr=0.1)),
    "sgd_nesterov_wd": ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.0, weight_decay=1e-4, nesterov=True)),
    "adam": ("Adam", dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)),
    "adamw": ("AdamW", dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)),
}


def build(name):
    """The models of pytorch_bench.py's build() (PyTorch's side of the speed comparison), same layers and
    parameter names."""
    if name == "bn":
        return cnn4j_modules.bn()
    if name == "seed":
        return cnn4j_modules.seed()
    if name == "lenet5":
        return cnn4j_modules.lenet5()
    raise ValueError(name)


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    assert zero == 0 and dtype == 0x08, (path, zero, dtype)
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def write_safetensors(path, tensors, metadata):
    """float32 tensors in insertion order; see ../io/safetensors_reference.py for the format."""
    header = {"__metadata__": metadata}
    blobs, offset = [], 0
    for name, value in tensors.items():
        raw = np.ascontiguousarray(value, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(value.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def train(model, optimizer_kind, kwargs, batches):
    """STEPS steps; returns (losses, first gradients, state after each step) as numpy arrays."""
    opt = getattr(torch.optim, optimizer_kind)(model.parameters(), **kwargs)
    losses, grads, steps = [], None, []
    for x, y in batches:
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        if grads is None:
            grads = {n: p.grad.detach().numpy().copy() for n, p in model.named_parameters()}
        opt.step()
        losses.append(loss.item())
        steps.append({n: t.detach().numpy().copy() for n, t in model.state_dict().items()})
    return np.array(losses), grads, steps


def rel(a32, a64):
    """max |a32 - a64| / max |a64|: the float32 computation's error, relative to the tensor's scale."""
    scale = float(np.max(np.abs(a64)))
    return float(np.max(np.abs(a32.astype(np.float64) - a64))) / scale if scale > 0 else 0.0


def torch_version():
    try:
        deb = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "python3-torch"],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        deb = "unknown"
    return f"{torch.__version__} (Debian python3-torch {deb})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--last-step-only", action="store_true",
                    help="record the parameters after the last step only, not after every step")
    ap.add_argument("--out", default=HERE, help="directory to write MODEL.safetensors into")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    images = read_idx(os.path.join(SUBSET, "train-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(SUBSET, "train-labels-idx1-ubyte.gz"))
    order = np.random.default_rng(2024).permutation(images.shape[0])[:BATCHES * BATCH]
    indices = [order[i * BATCH:(i + 1) * BATCH].tolist() for i in range(BATCHES)]
    # uint8 / 255 in float32: the same correctly rounded floats as cnn4j's Dataset.
    xs = [torch.from_numpy(images[idx].astype(np.float32).reshape(-1, 1, 28, 28)) / 255 for idx in indices]
    ys = [torch.from_numpy(labels[idx].astype(np.int64)) for idx in indices]
    batches32 = list(zip(xs, ys))
    batches64 = [(x.double(), y) for x, y in batches32]
    capability = next((l.split(":", 1)[1].strip() for l in torch.__config__.show().splitlines()
                       if "CPU capability" in l), "unknown")
    summary = {}
    for model_name, settings in MODELS.items():
        torch.manual_seed(SEED)
        init = {n: t.detach().clone() for n, t in build(model_name).state_dict().items()}
        tensors = {f"init/{n}": t.numpy() for n, t in init.items()}
        last_step_only = args.last_step_only or settings["last_step_only"]

        def kept(name, array):
            rows = settings["rows_kept"].get(name)
            return array if rows is None else array[:rows]

        noise = {}
        for config in settings["configs"]:
            kind, kwargs = CONFIGS[config]
            results = {}
            for dtype, batches in (("f32", batches32), ("f64", batches64)):
                model = build(model_name).to(torch.float64 if dtype == "f64" else torch.float32)
                model.load_state_dict(init)
                for i in settings["eval_layers"]:
                    model[i].eval()
                results[dtype] = train(model, kind, kwargs, batches)
            (loss32, grad32, steps32), (loss64, grad64, steps64) = results["f32"], results["f64"]
            if "grad/" + next(iter(grad32)) not in tensors:
                tensors.update({f"grad/{n}": kept(n, g) for n, g in grad32.items()})
                noise["grad"] = {n: rel(grad32[n], grad64[n]) for n in grad32}
            tensors[f"{config}/loss"] = loss32.astype(np.float32)
            for t, state in enumerate(steps32, start=1):
                for n, value in state.items():
                    if t == STEPS or not last_step_only or n not in grad32 or value.size <= SMALL:
                        tensors[f"{config}/step{t}/{n}"] = kept(n, value)
            noise[config] = {
                "loss_abs": [abs(float(np.float32(a)) - b) for a, b in zip(loss32, loss64)],
                "param_abs": [max(float(np.max(np.abs(s32[n].astype(np.float64) - s64[n]))) for n in s32)
                              for s32, s64 in zip(steps32, steps64)],
            }
        metadata = {
            "model": model_name,
            "torch": torch_version(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "torch_cpu_capability": capability,
            "torch_threads": str(torch.get_num_threads()),
            "command": "cd cnn4j-core/src/test/resources/io/cnn4j/conformance && /usr/bin/python3 make_fixtures.py"
                       + (" --last-step-only" if args.last_step_only else ""),
            "seed": str(SEED),
            "data": "cnn4j embedded Fashion-MNIST subset, train split, pixels/255",
            "batch_indices": json.dumps(indices),
            "batch_labels": json.dumps([labels[idx].tolist() for idx in indices]),
            "steps": str(STEPS),
            "recorded_steps": json.dumps([STEPS] if last_step_only else list(range(1, STEPS + 1))),
            "configs": json.dumps({c: {"optimizer": k, **{a: (list(v) if isinstance(v, tuple) else v)
                                                          for a, v in kw.items()}}
                                   for c, (k, kw) in CONFIGS.items() if c in settings["configs"]}),
            "float32_noise": json.dumps(noise),
        }
        if settings["rows_kept"]:
            metadata["rows_kept"] = json.dumps(settings["rows_kept"])
        if settings["eval_layers"]:
            metadata["eval_layers"] = json.dumps(settings["eval_layers"])
        path = os.path.join(args.out, f"{model_name}.safetensors")
        write_safetensors(path, tensors, metadata)
        summary[model_name] = {"bytes": os.path.getsize(path), "tensors": len(tensors), "noise": noise}
    json.dump(summary, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
