#!/usr/bin/python3
"""ONNX files written by torch.onnx.export (PyTorch 1.13) for cnn4j's importer, and what PyTorch computes
with them.

Regenerate (from this directory) with Debian's PyTorch:

    /usr/bin/python3 make_onnx_fixtures.py

Read by io.cnn4j.io.OnnxImportFixtureTest. Three small networks built only of layers cnn4j has, with
cnn4j's parameter names (nn.Sequential, and the Residual and Concat of ../golden/cnn4j_modules.py):

    plain   a Models.small()-like CNN on 1x12x12 (conv, ReLU, max pooling, flatten, linear, dropout)
    resbn   a Models.resnet()-like CNN on 3x8x8: BatchNorm2d, an identity and a projected residual block,
            global average pooling
    branchy 3x8x8: LeakyReLU, a Concat of a Tanh and an average-pooled (count_include_pad=False) Sigmoid
            branch, max pooling with padding, and x.view(x.size(0), -1) as the flatten (torch writes
            Shape/Gather/Unsqueeze/Concat/Reshape for it)

Each is trained a little (SGD, seeded, on random images and labels, so batch norm's running statistics
are not their initial ones) and exported in eval mode with a dynamic batch axis at opset 13 and 17:
<name>_opset<N>.onnx the usual way (constant folding: torch fuses batch norm into the convolution), and
for resbn also <name>_preserve_opset<N>.onnx with training=TrainingMode.PRESERVE (BatchNormalization
kept, in inference form).

fmnist, a CNN with batch norm and a residual block on 1x28x28, is trained one epoch (Adam lr 0.003, batch
64, seeded) on cnn4j's embedded Fashion-MNIST subset (pixels / 255) and exported as fmnist_opset17.onnx
(batch norm fused) and fmnist_preserve_opset13.onnx (kept); onnx_fixtures.json records how many of the
subset's 2,000 test images PyTorch classifies correctly.

Two more read 1-d and 3-d layers out of an image, the way cnn4j's seq1d and video3d do (their own file,
onnx_nd_fixtures.json, so that the files above stay as they were: `make_onnx_fixtures.py nd` writes only these):

    seq1d   1x12x12 read as 12 channels of length 12 (x.view(x.size(0), -1, x.size(3))): Conv1d, BatchNorm1d,
            ReLU, MaxPool1d, a strided grouped Conv1d, AdaptiveAvgPool1d(1), Flatten, Linear; also kept batch norm
            (seq1d_preserve_opset17.onnx)
    clip3d  4x8x8 read as one channel of 4 frames (a x.view to [N, 1, 4, 8, 8]): Conv3d, ReLU, MaxPool3d of each
            frame, Conv3d without bias, AvgPool3d with padding, AdaptiveAvgPool3d(1), Flatten, Linear

onnx_fixtures.json (onnx_nd_fixtures.json alike) holds, per small network, the input images [N, C, H, W] (N = 24, uniform in [0, 1)) and
PyTorch's logits for them in eval mode; for resbn also the parameters and buffers (state_dict) after 3
SGD steps (lr 0.1, momentum 0.9, weight decay 1e-4) and, separately, 3 Adam steps (lr 0.01) from the
exported weights, in train mode, on the first 8 images with labels `labels`, cross-entropy loss.
"""
import gzip
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "golden"))
from cnn4j_modules import Concat, Residual  # noqa: E402
torch.set_num_threads(1)


def floats(t):
    """Flat list of float32 values, each written as the shortest decimal that reads back as that float32."""
    return [float(str(np.float32(a))) for a in np.asarray(t.detach(), dtype=np.float32).reshape(-1)]


class ViewFlatten(nn.Module):
    def forward(self, x):
        return x.view(x.size(0), -1)


def plain():
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(8 * 2 * 2, 16), nn.ReLU(), nn.Dropout(0.25), nn.Linear(16, 3))


def resbn():
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
        Residual(nn.Sequential(
            nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
            nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8))), nn.ReLU(),
        Residual(nn.Sequential(
            nn.Conv2d(8, 16, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16)),
            nn.Sequential(nn.Conv2d(8, 16, 1, stride=2, bias=False), nn.BatchNorm2d(16))), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 4))


def branchy():
    return nn.Sequential(
        nn.Conv2d(3, 6, 3, padding=1), nn.LeakyReLU(0.1),
        Concat([nn.Sequential(nn.Conv2d(6, 4, 1), nn.Tanh()),
                nn.Sequential(nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False), nn.Conv2d(6, 4, 3, padding=1),
                              nn.Sigmoid())]),
        nn.MaxPool2d(3, stride=2, padding=1), ViewFlatten(), nn.Linear(8 * 4 * 4, 5))


def fmnist():
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        Residual(nn.Sequential(
            nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
            nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8))), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(8 * 7 * 7, 10))


class Rows(nn.Module):
    """An image [N, C, H, W] as a sequence [N, C*H, W]."""
    def forward(self, x):
        return x.view(x.size(0), -1, x.size(3))


class Frames(nn.Module):
    """An image [N, T, H, W] as a one-channel clip [N, 1, T, H, W]."""
    def forward(self, x):
        return x.view(x.size(0), 1, x.size(1), x.size(2), x.size(3))


def seq1d():
    return nn.Sequential(
        Rows(), nn.Conv1d(12, 8, 3, padding=1, bias=False), nn.BatchNorm1d(8), nn.ReLU(), nn.MaxPool1d(2),
        nn.Conv1d(8, 8, 3, stride=2, padding=1, groups=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(),
        nn.Linear(8, 4))


def clip3d():
    return nn.Sequential(
        Frames(), nn.Conv3d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool3d((1, 2, 2)),
        nn.Conv3d(4, 6, (2, 3, 3), padding=(0, 1, 1), bias=False), nn.ReLU(),
        nn.AvgPool3d(3, stride=1, padding=1, count_include_pad=False), nn.AdaptiveAvgPool3d(1), nn.Flatten(),
        nn.Linear(6, 3))


ND_NETWORKS = {"seq1d": (seq1d, (1, 12, 12), 4), "clip3d": (clip3d, (4, 8, 8), 3)}
NETWORKS = {"plain": (plain, (1, 12, 12), 3), "resbn": (resbn, (3, 8, 8), 4), "branchy": (branchy, (3, 8, 8), 5)}
SUBSET = os.path.join(HERE, "..", "..", "..", "..", "..", "main", "resources", "io", "cnn4j", "data", "fashion-mnist-subset")


def train_a_little(model, shape, classes, gen):
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    model.train()
    for _ in range(20):
        x = torch.rand((16,) + shape, generator=gen)
        y = torch.randint(0, classes, (16,), generator=gen)
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    model.eval()


def idx(name):
    """The array in one of the embedded subset's IDX files."""
    with gzip.open(os.path.join(SUBSET, name + ".gz"), "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def fashion_mnist():
    """fmnist, trained one epoch on the embedded subset's training images (pixels / 255), and its test accuracy."""
    train_x = torch.tensor(idx("train-images-idx3-ubyte"), dtype=torch.float32)[:, None] / 255
    train_y = torch.tensor(idx("train-labels-idx1-ubyte"), dtype=torch.long)
    test_x = torch.tensor(idx("t10k-images-idx3-ubyte"), dtype=torch.float32)[:, None] / 255
    test_y = torch.tensor(idx("t10k-labels-idx1-ubyte"), dtype=torch.long)
    torch.manual_seed(3)
    gen = torch.Generator().manual_seed(103)
    model = fmnist()
    opt = torch.optim.Adam(model.parameters(), lr=0.003)
    model.train()
    for batch in torch.randperm(len(train_x), generator=gen).split(64):
        opt.zero_grad()
        F.cross_entropy(model(train_x[batch]), train_y[batch]).backward()
        opt.step()
    model.eval()
    export(model, (1, 28, 28), os.path.join(HERE, "fmnist_opset17.onnx"), 17, False)
    export(model, (1, 28, 28), os.path.join(HERE, "fmnist_preserve_opset13.onnx"), 13, True)
    with torch.no_grad():
        predicted = model(test_x).argmax(dim=1)
    return {"test_images": len(test_x), "test_correct": int((predicted == test_y).sum())}


def export(model, shape, path, opset, preserve):
    kwargs = {"training": torch.onnx.TrainingMode.PRESERVE} if preserve else {}
    torch.onnx.export(model, torch.zeros((1,) + shape), path, opset_version=opset, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, **kwargs)


def steps(model, make_optimizer, x, y):
    model.train()
    opt = make_optimizer(model.parameters())
    for _ in range(3):
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return {k: {"shape": list(v.shape), "values": floats(v.float())} for k, v in model.state_dict().items()}


def nd_fixtures():
    """The 1-d and 3-d networks' files and onnx_nd_fixtures.json."""
    out = {}
    for index, (name, (build, shape, classes)) in enumerate(ND_NETWORKS.items()):
        torch.manual_seed(10 + index)
        gen = torch.Generator().manual_seed(110 + index)
        model = build()
        train_a_little(model, shape, classes, gen)
        for opset in (13, 17):
            export(model, shape, os.path.join(HERE, "%s_opset%d.onnx" % (name, opset)), opset, False)
        if name == "seq1d":
            export(model, shape, os.path.join(HERE, "%s_preserve_opset17.onnx" % name), 17, True)
        images = torch.rand((24,) + shape, generator=gen)
        with torch.no_grad():
            logits = model(images)
        out[name] = {"input_shape": list(shape), "classes": classes,
                     "images": {"shape": list(images.shape), "values": floats(images)},
                     "logits": {"shape": list(logits.shape), "values": floats(logits)}}
    with open(os.path.join(HERE, "onnx_nd_fixtures.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


def main():
    nd_fixtures()
    if sys.argv[1:] == ["nd"]:
        return
    out = {}
    for index, (name, (build, shape, classes)) in enumerate(NETWORKS.items()):
        torch.manual_seed(index)
        gen = torch.Generator().manual_seed(100 + index)
        model = build()
        train_a_little(model, shape, classes, gen)
        for opset in (13, 17):
            export(model, shape, os.path.join(HERE, "%s_opset%d.onnx" % (name, opset)), opset, False)
            if name == "resbn":
                export(model, shape, os.path.join(HERE, "%s_preserve_opset%d.onnx" % (name, opset)), opset, True)
        images = torch.rand((24,) + shape, generator=gen)
        with torch.no_grad():
            logits = model(images)
        entry = {"input_shape": list(shape), "classes": classes,
                 "images": {"shape": list(images.shape), "values": floats(images)},
                 "logits": {"shape": list(logits.shape), "values": floats(logits)}}
        if name == "resbn":
            labels = torch.randint(0, classes, (8,), generator=gen)
            entry["labels"] = labels.tolist()
            start = {k: v.clone() for k, v in model.state_dict().items()}
            entry["sgd"] = steps(model, lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=1e-4),
                                 images[:8], labels)
            model.load_state_dict(start)
            entry["adam"] = steps(model, lambda p: torch.optim.Adam(p, lr=0.01), images[:8], labels)
        out[name] = entry
    out["fmnist"] = fashion_mnist()
    with open(os.path.join(HERE, "onnx_fixtures.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
