#!/usr/bin/python3
"""The PyTorch modules that cnn4j's blocks and built-in models stand for, with the same parameter names.

Imported by layers_golden.py (golden values), pytorch_load_check.py (PyTorch loads files cnn4j saved) and
../conformance/make_fixtures.py. They are the networks that scripts/bench-vs-pytorch compares with PyTorch's,
and PyTorchLoadsSavedModelsTest holds each built-in model here to cnn4j's: the same parameters under the
same names, and the same logits. Run directly, it prints every model's state_dict names and shapes:

    /usr/bin/python3 cnn4j_modules.py

    cnn4j                          PyTorch
    io.cnn4j.nn.Residual           Residual below: children "body" and (when given) "shortcut"
    io.cnn4j.nn.Concat             Concat below: an nn.ModuleList of branches "0", "1", ...
    io.cnn4j.nn.Identity           nn.Identity
    io.cnn4j.nn.BatchNorm1d/2d     nn.BatchNorm1d/2d
    io.cnn4j.nn.AdaptiveAvgPool2d  nn.AdaptiveAvgPool2d
    io.cnn4j.nn.Dropout2d          nn.Dropout2d
    Models.seed(), lenet5()        seed() and lenet5() below
    Models.small(), bn()           small() and bn() below
    Models.resnet(), resnet3()     resnet() and resnet3() below
    Models.autoencoder()           autoencoder() below
"""
import torch
import torch.nn as nn


class Residual(nn.Module):
    """body(x) + shortcut(x), the shortcut the identity when none is given."""

    def __init__(self, body, shortcut=None):
        super().__init__()
        self.body = body
        if shortcut is not None:
            self.shortcut = shortcut

    def forward(self, x):
        return self.body(x) + (self.shortcut(x) if hasattr(self, "shortcut") else x)


class Concat(nn.ModuleList):
    """Runs every branch on the same input and concatenates the outputs along dimension 1."""

    def forward(self, x):
        return torch.cat([branch(x) for branch in self], dim=1)


def seed():
    return nn.Sequential(
        nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Flatten(), nn.Linear(32 * 12 * 12, 10))


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10))


def small():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.25), nn.Linear(128, 10))


def bn():
    """small() with BatchNorm2d after each convolution (which keeps its bias)."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.25), nn.Linear(128, 10))


def basic_block(cin, cout, stride):
    body = nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout))
    if cin == cout and stride == 1:
        return Residual(body)
    return Residual(body, nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout)))


def residual_network(*blocks):
    """The stem, the blocks each followed by a ReLU, global average pooling and the classifier."""
    layers = [nn.Conv2d(1, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU()]
    for block in blocks:
        layers += [block, nn.ReLU()]
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 10))


def resnet():
    """cnn4j's Models.resnet(): stem, two basic blocks with stride 2, global pooling, linear."""
    return residual_network(basic_block(32, 64, 2), basic_block(64, 128, 2))


def resnet3():
    """cnn4j's Models.resnet3(), the fashion94 recipe's: resnet() with a 32-channel block at 28x28 first."""
    return residual_network(basic_block(32, 32, 1), basic_block(32, 64, 2), basic_block(64, 128, 2))


def autoencoder():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
        nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
        nn.ConvTranspose2d(16, 1, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid())


MODELS = {"seed": seed, "lenet5": lenet5, "small": small, "bn": bn, "resnet": resnet, "resnet3": resnet3}

if __name__ == "__main__":
    for name, build in MODELS.items():
        model = build()
        print(name, sum(p.numel() for p in model.parameters()), "parameters")
        for k, v in model.state_dict().items():
            print("   ", k, list(v.shape), str(v.dtype).replace("torch.", ""))
