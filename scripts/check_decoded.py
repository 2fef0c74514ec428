#!/usr/bin/python3
"""Compares the pictures cnn4j decoded into its cache with PIL's and torchvision's decoding of the same files.

    /usr/bin/python3 scripts/check_decoded.py DIR [--cache-dir D | --cache FILE] [--color C] [--image-size 64 --resize crop]

DIR is the folder cnn4j read (DIR/train + DIR/test or DIR/val, or one DIR/CLASS tree); the cache is the file
cnn4j names for that folder and the --color, --image-size and --resize given (as they were given to cnn4j) in
--cache-dir (default $CNN4J_CACHE, else ~/.cache/cnn4j), or --cache FILE. Each
picture the cache holds is read with PIL in sample order (torchvision's ImageFolder: sorted classes, sorted
paths), converted as cnn4j converts (gray when the cache holds one channel, by convert("L"); else RGB,
transparency composited over black) and fitted to --image-size by --resize as
scripts/torch_imagefolder_steps.py does (torchvision's Resize and CenterCrop where they apply). Prints how many
pictures agree byte for byte, the largest difference, and the first pictures that differ; exits 1 when any
differs by more than --tolerance (default 0).

The cache's format (see PictureCache.java): pixels [N, C, H, W] uint8 from offset 0, then N int32 labels and N
int32 indices of the file each picture came from, ...; a 76-byte footer: magic CNN4JPIX, int32 version, 32-byte
key, int32 N, files, C, H, W, int64 metadata length, CRC-32.
"""
import argparse
import hashlib
import os
import re
import struct
import sys

import numpy as np

from torch_imagefolder_steps import as_cnn4j, fit

FOOTER = 8 + 4 + 32 + 5 * 4 + 8 + 4
EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".ppm", ".pgm", ".tif", ".tiff")


def cache_name(args):
    """The name cnn4j gives the cache of a folder and preprocessing (PictureCache.name): the folder's name and
    the first 16 hex digits of the SHA-256 of its real path, a newline and Preprocessing.spec()."""
    real = os.path.realpath(args.folder)
    size = "own"
    if args.image_size:
        h, _, w = args.image_size.lower().partition("x")
        size = f"{int(h)}x{int(w or h)}"
    spec = f"color={args.color or 'own'} size={size} resize={args.resize}"
    digest = hashlib.sha256(f"{real}\n{spec}".encode()).hexdigest()[:16]
    return re.sub(r"[^A-Za-z0-9._-]", "_", os.path.basename(real) or "root") + "-" + digest + ".pictures"


def read_cache(path):
    with open(path, "rb") as f:
        data = f.read()
    footer = data[-FOOTER:]
    if footer[:8] != b"CNN4JPIX":
        sys.exit(f"{path} is not a cnn4j picture cache (no CNN4JPIX footer)")
    n, files, c, h, w = struct.unpack("<5i", footer[44:64])
    pixels = np.frombuffer(data, np.uint8, n * c * h * w).reshape(n, c, h, w)
    labels = np.frombuffer(data, "<i4", n, n * c * h * w)
    entries = np.frombuffer(data, "<i4", n, n * c * h * w + 4 * n)
    return pixels, labels, entries, files


def samples(folder):
    """Every picture file in ImageFolder's order: train then test (or val), or the one tree."""
    roots = [os.path.join(folder, "train")]
    if not os.path.isdir(roots[0]):
        roots = [folder]
    else:
        roots += [os.path.join(folder, d) for d in ("test", "val") if os.path.isdir(os.path.join(folder, d))][:1]
    files = []
    for root in roots:
        classes = sorted(e.name for e in os.scandir(root) if e.is_dir() and not e.name.startswith("."))
        for label, name in enumerate(classes):
            for dirpath, dirnames, names in sorted(os.walk(os.path.join(root, name), followlinks=True)):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for file in sorted(names):
                    if file.lower().endswith(EXTENSIONS) and not file.startswith("."):
                        files.append((os.path.join(dirpath, file), label))
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder")
    ap.add_argument("--cache", help="the cache file (default: the one cnn4j names for the folder and preprocessing)")
    ap.add_argument("--cache-dir", default=os.environ.get("CNN4J_CACHE") or os.path.expanduser("~/.cache/cnn4j"))
    ap.add_argument("--color", choices=("rgb", "gray"), help="as given to cnn4j (default: none given)")
    ap.add_argument("--image-size", help="H[xW], as given to cnn4j")
    ap.add_argument("--resize", choices=("stretch", "crop", "pad"), default="stretch")
    ap.add_argument("--tolerance", type=int, default=0, help="largest byte difference allowed (default 0)")
    ap.add_argument("--show", type=int, default=5, help="pictures that differ to list (default 5)")
    args = ap.parse_args()
    cache = args.cache or os.path.join(args.cache_dir, cache_name(args))
    if not os.path.isfile(cache):
        sys.exit(f"no cache {cache}: run cnn4j on the folder with the same --color, --image-size and --resize first, "
                 "or give --cache FILE")
    pixels, labels, entries, file_count = read_cache(cache)
    files = samples(args.folder)
    if len(files) != file_count:
        sys.exit(f"the cache lists {file_count} files and the folder holds {len(files)} pictures: another folder?")
    transforms = fit(args)
    n, c, h, w = pixels.shape
    same, worst, differing = 0, 0, []
    for k in range(n):
        path, label = files[entries[k]]
        picture = as_cnn4j(path, c)
        for t in transforms:
            picture = t(picture)
        mine = np.asarray(picture, np.uint8).reshape(h, w, c).transpose(2, 0, 1)
        diff = int(np.abs(mine.astype(int) - pixels[k].astype(int)).max())
        if labels[k] != label:
            differing.append((path, f"label {labels[k]} in the cache, {label} by ImageFolder"))
            diff = max(diff, 256)
        elif diff:
            differing.append((path, f"largest difference {diff}, {int((mine != pixels[k]).sum())} of {mine.size} bytes"))
        same += diff == 0
        worst = max(worst, diff)
    print(f"{cache}: {n} pictures of {c}x{h}x{w}; {same} agree with PIL byte for byte; largest difference {worst}")
    for path, why in differing[:args.show]:
        print(f"  {path}: {why}")
    sys.exit(1 if worst > args.tolerance else 0)


if __name__ == "__main__":
    main()
