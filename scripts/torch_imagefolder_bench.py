#!/usr/bin/python3
"""PyTorch + torchvision training on an image folder, timed: the side scripts/bench-image-folder sets cnn4j beside.

    /usr/bin/python3 scripts/torch_imagefolder_bench.py --data DIR --epochs 2 --workers 1 [--threads 2]

Reads DIR/train and DIR/test (or DIR/val) with torchvision.datasets.ImageFolder(transform=ToTensor()),
decoding every picture in every epoch as torchvision does, through a DataLoader(shuffle=True, batch_size=64,
num_workers=--workers; workers kept across epochs). Trains the model cnn4j calls `seed`, built for the
pictures' shape and classes, with Adam (lr 1e-3) on mean cross-entropy, as `cnn4j train` does by default,
and evaluates the test folder after every epoch. Prints one JSON object: per epoch the seconds of the
training loop and of the evaluation, the Unix time it ended (so that a caller that noted when it started
the process knows how long the first trained and evaluated epoch took from launch), loss and accuracy.
"""
import argparse
import json
import os
import time

import torch
import torch.nn as nn

from torch_imagefolder_steps import seed_model


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, help="folder holding train/CLASS/... and test/CLASS/... (or val/)")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--workers", type=int, default=0, help="DataLoader worker processes (default 0)")
    ap.add_argument("--threads", type=int, default=2, help="PyTorch threads (default 2)")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    started = time.time()
    import torchvision
    from torchvision import transforms

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    test_dir = next((os.path.join(args.data, d) for d in ("test", "val") if os.path.isdir(os.path.join(args.data, d))), None)
    if test_dir is None:
        raise SystemExit(f"{args.data} has no test/ or val/ folder")
    train = torchvision.datasets.ImageFolder(os.path.join(args.data, "train"), transform=transforms.ToTensor())
    test = torchvision.datasets.ImageFolder(test_dir, transform=transforms.ToTensor())
    channels, height, width = train[0][0].shape
    model = seed_model(channels, height, width, len(train.classes))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    keep = args.workers > 0 and args.epochs > 1
    train_batches = torch.utils.data.DataLoader(train, batch_size=args.batch_size, shuffle=True,
                                                num_workers=args.workers, persistent_workers=keep)
    test_batches = torch.utils.data.DataLoader(test, batch_size=256, num_workers=args.workers, persistent_workers=keep)
    setup = time.time() - started
    epochs = []
    for epoch in range(1, args.epochs + 1):
        model.train()
        t0 = time.time()
        total, correct, seen = 0.0, 0, 0
        for x, y in train_batches:
            optimizer.zero_grad()
            out = model(x)
            loss = loss_fn(out, y)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(y)
            correct += int((out.argmax(1) == y).sum())
            seen += len(y)
        t1 = time.time()
        model.eval()
        hits = 0
        with torch.no_grad():
            for x, y in test_batches:
                hits += int((model(x).argmax(1) == y).sum())
        t2 = time.time()
        epochs.append({"epoch": epoch, "train_seconds": round(t1 - t0, 3), "eval_seconds": round(t2 - t1, 3),
                       "images_per_second": round(seen / (t1 - t0), 1), "train_loss": round(total / seen, 5),
                       "train_accuracy": round(correct / seen, 4), "test_accuracy": round(hits / len(test), 4),
                       "ended_unix": t2})
    print(json.dumps({"side": "pytorch", "workers": args.workers, "threads": torch.get_num_threads(),
                      "batch_size": args.batch_size, "train_images": len(train), "test_images": len(test),
                      "shape": [channels, height, width], "classes": len(train.classes),
                      "setup_seconds": round(setup, 3), "started_unix": started, "epochs": epochs,
                      "torch": torch.__version__, "torchvision": torchvision.__version__}))


if __name__ == "__main__":
    main()
