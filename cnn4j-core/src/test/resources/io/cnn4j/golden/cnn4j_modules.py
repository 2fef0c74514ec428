#!/usr/bin/python3
"""The PyTorch modules that cnn4j's blocks and built-in models stand for, with the same parameter names.

Imported by layers_golden.py (golden values), pytorch_load_check.py (PyTorch loads files cnn4j saved) and
../conformance/make_fixtures.py. Run directly, it prints every model's state_dict names and shapes:

    /usr/bin/python3 cnn4j_modules.py

    cnn4j                          PyTorch
    io.cnn4j.nn.Residual           Residual below: children "body" and (when given) "shortcut"
    io.cnn4j.nn.Concat             Concat below: an nn.ModuleList of branches "0", "1", ...
    io.cnn4j.nn.Identity           nn.Identity
    io.cnn4j.nn.BatchNorm1d/2d     nn.BatchNorm1d/2d
    io.cnn4j.nn.AdaptiveAvgPool2d  nn.AdaptiveAvgPool2d
    io.cnn4j.nn.Dropout2d          nn.Dropout2d
    Models.seed(), lenet5()        seed() and lenet5() below, as in pytorch_bench.py
    Models.bn()                    bn() below, the 'bn' of pytorch_bench.py
    Models.resnet()                resnet() below
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


def bn():
    """pytorch_bench.py's build("bn"): 'small' with BatchNorm2d after each convolution."""
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


def resnet(c0=32, c1=64, c2=128):
    """cnn4j's Models.resnet(): stem, two basic blocks with stride 2, global pooling, linear."""
    return nn.Sequential(
        nn.Conv2d(1, c0, 3, padding=1, bias=False), nn.BatchNorm2d(c0), nn.ReLU(),
        basic_block(c0, c1, 2), nn.ReLU(),
        basic_block(c1, c2, 2), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c2, 10))


def autoencoder():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
        nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
        nn.ConvTranspose2d(16, 1, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid())


MODELS = {"bn": bn, "resnet": resnet}

if __name__ == "__main__":
    for name, build in MODELS.items():
        model = build()
        print(name, sum(p.numel() for p in model.parameters()), "parameters")
        for k, v in model.state_dict().items():
            print("   ", k, list(v.shape), str(v.dtype).replace("torch.", ""))
