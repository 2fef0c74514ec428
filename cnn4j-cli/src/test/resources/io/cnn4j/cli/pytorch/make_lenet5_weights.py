#!/usr/bin/python3
"""Writes the PyTorch weights that WeightsAloneCliTest loads into cnn4j's built-in model lenet5.

    cd cnn4j-cli/src/test/resources/io/cnn4j/cli/pytorch && /usr/bin/python3 make_lenet5_weights.py

Needs Debian's python3-torch (1.13) and python3-numpy; the safetensors writer is the conformance fixtures'
(stdlib + numpy), given the tensors sorted by name and metadata {"format": "pt"}, as
safetensors.torch.save_file(model.state_dict(), path) writes them.

The network is cnn4j's lenet5 written as a PyTorch user would write it, a class with two nn.Sequential
attributes, so its state_dict names (features.0.weight, classifier.1.weight, ...) are not cnn4j's
(0.weight, 7.weight, ...) although the layers are the same. It is trained for a few hundred SGD steps on
cnn4j's embedded Fashion-MNIST subset (pixels / 255, no normalisation) so that its predictions mean
something, then written as:

    lenet5_class.safetensors   its state_dict, float32
    lenet5_class.json          PyTorch's logits for the first LOGIT_IMAGES test images of the subset, and its
                               accuracy on all 2,000 of them
"""
import gzip
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, *[".."] * 8))
SUBSET = os.path.join(ROOT, "cnn4j-core", "src", "main", "resources", "io", "cnn4j", "data", "fashion-mnist-subset")
sys.path.insert(0, os.path.join(ROOT, "cnn4j-core", "src", "test", "resources", "io", "cnn4j", "conformance"))
from make_fixtures import write_safetensors  # noqa: E402
SEED = 0
STEPS = 300
BATCH = 32
LOGIT_IMAGES = 16


class LeNet5(nn.Module):
    """cnn4j's Models.lenet5() for 1x28x28 images and ten classes, under other names."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def read_idx(name):
    with gzip.open(os.path.join(SUBSET, name), "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def images(name):
    return torch.from_numpy(read_idx(name).astype(np.float32).reshape(-1, 1, 28, 28)) / 255


def main():
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    x_train = images("train-images-idx3-ubyte.gz")
    y_train = torch.from_numpy(read_idx("train-labels-idx1-ubyte.gz").astype(np.int64))
    x_test = images("t10k-images-idx3-ubyte.gz")
    y_test = torch.from_numpy(read_idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))
    model = LeNet5()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    order = torch.randperm(x_train.shape[0])
    for step in range(STEPS):
        idx = order[(step * BATCH) % x_train.shape[0]:][:BATCH]
        opt.zero_grad()
        F.cross_entropy(model(x_train[idx]), y_train[idx]).backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        logits = model(x_test)
    accuracy = (logits.argmax(1) == y_test).float().mean().item()
    # Sorted by name, as safetensors.torch.save_file writes them: "classifier" before "features".
    write_safetensors(os.path.join(HERE, "lenet5_class.safetensors"),
                      {n: t.detach().numpy() for n, t in sorted(model.state_dict().items())}, {"format": "pt"})
    with open(os.path.join(HERE, "lenet5_class.json"), "w") as f:
        json.dump({"torch": torch.__version__, "steps": STEPS, "test_images": int(x_test.shape[0]),
                   "correct": int((logits.argmax(1) == y_test).sum().item()), "accuracy": accuracy,
                   "logits": logits[:LOGIT_IMAGES].tolist()}, f, indent=1)
        f.write("\n")
    print(f"accuracy {accuracy:.4f} on {x_test.shape[0]} test images")


if __name__ == "__main__":
    main()
