#!/usr/bin/env python3
"""Makes cnn4j's embedded Fashion-MNIST subset: the first N items of each split, as gzip IDX files.

Usage: python3 make_subset.py [SOURCE_DIR] [OUT_DIR]
  SOURCE_DIR  the full Fashion-MNIST (default /usr/share/datasets/fashion-mnist, Debian's
              dataset-fashion-mnist package)
  OUT_DIR     where to write the four .gz files (default: this script's directory)

Standard library only. The output is byte-for-byte reproducible: the gzip header carries no file
name and a zero timestamp, so re-running it on the same source gives identical files (and no git diff).
It prints each split's class balance, which the README records.
"""
import gzip
import os
import struct
import sys
from collections import Counter

SPLITS = [("train", 10000), ("t10k", 2000)]
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    zero, dtype, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype != 0x08:
        sys.exit(f"{path}: not an unsigned-byte IDX file")
    dims = list(struct.unpack(f">{ndim}I", raw[4:4 + 4 * ndim]))
    return dims, raw[4 + 4 * ndim:]


def write_idx_gz(path, dims, data):
    header = struct.pack(">HBB", 0, 0x08, len(dims)) + struct.pack(f">{len(dims)}I", *dims)
    with open(path, "wb") as f:
        # filename="" and mtime=0 keep the gzip header free of anything that changes between runs.
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=f, mtime=0) as gz:
            gz.write(header + data)


def find(source, name):
    for candidate in (name + ".gz", name):
        path = os.path.join(source, candidate)
        if os.path.exists(path):
            return path
    sys.exit(f"{source}: no {name}[.gz]")


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    for split, n in SPLITS:
        img_dims, images = read_idx(find(source, f"{split}-images-idx3-ubyte"))
        lab_dims, labels = read_idx(find(source, f"{split}-labels-idx1-ubyte"))
        if img_dims[0] < n or lab_dims[0] < n:
            sys.exit(f"{split}: source has only {img_dims[0]} images / {lab_dims[0]} labels, need {n}")
        item = img_dims[1] * img_dims[2]
        write_idx_gz(os.path.join(out, f"{split}-images-idx3-ubyte.gz"), [n] + img_dims[1:], images[:n * item])
        write_idx_gz(os.path.join(out, f"{split}-labels-idx1-ubyte.gz"), [n], labels[:n])
        counts = Counter(labels[:n])
        print(f"{split}: first {n} of {img_dims[0]} items; class balance:")
        for c, name in enumerate(CLASSES):
            print(f"  {c} {name:<12} {counts[c]:5d}  ({100.0 * counts[c] / n:.1f}%)")


if __name__ == "__main__":
    main()
