#!/usr/bin/python3
"""PyTorch's side of the autoencoder comparison: trains the network of cnn4j's Models.autoencoder() the way
examples/src/main/java/io/cnn4j/examples/Autoencoder.java trains it (MSE to the input, Adam at 0.001, shuffled
batches of 128, pixels / 255) on Fashion-MNIST and prints the test set's reconstruction MSE per pixel.

    /usr/bin/python3 scripts/autoencoder_vs_pytorch.py [DIR [EPOCHS [SEED [THREADS]]]]

DIR holds the four MNIST-style .gz files (default /usr/share/datasets/fashion-mnist); 5 epochs, seed 0 and one
thread by default: on a two-core machine that other work shared, two threads ran seven times slower than one
(each of a step's many small operations waits for both), and the figure compared is the MSE, not the speed.
OpenMP's threads wait passively (OMP_WAIT_POLICY=PASSIVE unless set) for the same reason.
cnn4j's side: ./examples/run Autoencoder DIR EPOCHS SEED
"""
import gzip
import os
import sys
import time

import numpy as np

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

# The PyTorch modules cnn4j's models stand for, kept beside the golden tests that check them.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cnn4j-core", "src", "test",
                                "resources", "io", "cnn4j", "golden"))
from cnn4j_modules import autoencoder  # noqa: E402

BATCH = 128


def images(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    count, rows, cols = (int.from_bytes(data[i:i + 4], "big") for i in (4, 8, 12))
    pixels = np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, 1, rows, cols)
    return torch.from_numpy(pixels.copy()).float() / 255


def test_mse(model, test):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for i in range(0, len(test), 256):
            x = test[i:i + 256]
            total += F.mse_loss(model(x), x).item() * len(x)
    model.train()
    return total / len(test)


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    torch.set_num_threads(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    train = images(os.path.join(directory, "train-images-idx3-ubyte.gz"))
    test = images(os.path.join(directory, "t10k-images-idx3-ubyte.gz"))
    print(f"data: {directory}: {len(train)} train, {len(test)} test images; torch {torch.__version__}")
    torch.manual_seed(seed)
    model = autoencoder()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(1, epochs + 1):
        start = time.time()
        order = torch.randperm(len(train))
        total = 0.0
        for i in range(0, len(train), BATCH):
            x = train[order[i:i + BATCH]]
            optimizer.zero_grad()
            loss = F.mse_loss(model(x), x)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(x)
        seconds = time.time() - start
        print(f"epoch {epoch}: train MSE {total / len(train):.5f}, test MSE {test_mse(model, test):.5f},"
              f" {len(train) / seconds:,.0f} images/s")
    print(f"test reconstruction MSE {test_mse(model, test):.5f}")


main()
