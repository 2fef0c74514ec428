#!/usr/bin/python3
"""PyTorch's side of training cnn4j's `seed` model on an image folder, step for step, from the same weights.

    /usr/bin/python3 scripts/torch_imagefolder_steps.py train --data DIR/train --init INIT.safetensors \\
        --optimizer sgd --lr 0.01 --batch-size 32 --steps 5 --save OUT.safetensors
    /usr/bin/python3 scripts/torch_imagefolder_steps.py predict MODEL.safetensors PICTURE...
    /usr/bin/python3 scripts/torch_imagefolder_steps.py compare A.safetensors B.safetensors [--tolerance X]

train: reads the folder with torchvision.datasets.ImageFolder(DIR, transform=ToTensor()) (classes are the
sorted subfolders, files in sorted path order, pixels / 255; one channel by PIL's convert("L") when every
picture is gray, as cnn4j does by default, else RGB as torchvision reads every picture; --color forces one) and a DataLoader(shuffle=False), so batch i holds
the same pictures in the same order as `cnn4j train --no-shuffle`. Builds PyTorch's twin of cnn4j's seed
model for the pictures' shape, Sequential(Conv2d(C, 32, 5), ReLU(), MaxPool2d(2), Flatten(),
Linear(32 * (H-4)/2 * (W-4)/2, classes)), loads the weights of INIT (a safetensors file cnn4j wrote, read with
numpy), trains --steps steps (or --epochs passes) with a fresh SGD or Adam, mean cross-entropy, and
prints each step's loss (float32) and each epoch's sample-weighted mean loss, the figure cnn4j's
--metrics-out calls train_loss. Writes the weights it ends with to OUT under the same tensor names.

predict: rebuilds a model file cnn4j saved (a Sequential of torch.nn layers) and prints, for each picture, the
class probabilities as `cnn4j predict --json` does, the picture read, fitted and normalised as the file's
metadata says with torchvision's transforms.

compare: prints each tensor's largest absolute difference between two safetensors files (and the largest
value, for scale); exits 1 when a tensor is missing on one side, has another shape, or differs by more than
--tolerance (when given).
"""
import argparse
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "cnn4j-core", "src", "test", "resources", "io", "cnn4j", "golden"))
import pytorch_load_check  # noqa: E402

GRAY_MODES = ("1", "L", "LA", "I", "I;16", "F")


def read_safetensors(path):
    """The tensors of a safetensors file as numpy arrays, read as the project's golden tests read them."""
    return {name: t.numpy() for name, t in pytorch_load_check.read_safetensors(path).items()}


def write_safetensors(path, tensors):
    """F32 tensors in name order, as cnn4j and the safetensors package lay them out."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        blob = np.ascontiguousarray(tensors[name], dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def seed_model(channels, height, width, classes):
    """cnn4j's `seed` model built for C x H x W pictures, with PyTorch's names for its parameters."""
    return nn.Sequential(
        nn.Conv2d(channels, 32, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Flatten(), nn.Linear(32 * ((height - 4) // 2) * ((width - 4) // 2), classes))


def fit(args):
    """The transforms that fit a picture to --image-size by --resize, as cnn4j's do: torchvision's Resize for
    stretch and for a square crop; for other crops and for pad (which torchvision lacks), PIL's bilinear resize
    by the larger or smaller scale factor, the other side truncated, centred as CenterCrop centres."""
    from PIL import Image
    from torchvision import transforms

    if not args.image_size:
        return []
    h, _, w = args.image_size.lower().partition("x")
    height, width = int(h), int(w or h)
    if args.resize == "stretch":
        return [transforms.Resize((height, width))]
    if args.resize == "crop" and height == width:
        return [transforms.Resize(height), transforms.CenterCrop(height)]

    def place(picture):
        pw, ph = picture.size
        by_height = height * pw >= width * ph if args.resize == "crop" else height * pw <= width * ph
        sh = height if by_height else max(height if args.resize == "crop" else 1, width * ph // pw)
        sw = max(width if args.resize == "crop" else 1, height * pw // ph) if by_height else width
        resized = picture.resize((sw, sh), Image.BILINEAR)
        canvas = Image.new(picture.mode, (width, height))
        canvas.paste(resized, (int(round((width - sw) / 2.0)), int(round((height - sh) / 2.0))))
        return canvas

    return [transforms.Lambda(place)]


def as_cnn4j(path, channels):
    """A picture file read as cnn4j reads it: transparency composited over black, then gray by PIL's
    convert("L") for one channel, else RGB."""
    from PIL import Image

    picture = Image.open(path)
    if picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info):
        rgba = picture.convert("RGBA")
        picture = Image.alpha_composite(Image.new("RGBA", rgba.size, (0, 0, 0, 255)), rgba)
    return picture.convert("L" if channels == 1 else "RGB")


def model_from_file(path):
    """The PyTorch twin of a model file cnn4j saved (a Sequential of layers that torch.nn has under the same
    names and arguments), its weights loaded, and the file's metadata."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        metadata = json.loads(f.read(n)).get("__metadata__", {})
    architecture = json.loads(metadata["cnn4j.architecture"])
    if architecture["type"] != "Sequential":
        sys.exit(f"{path}: only a Sequential of torch.nn layers is rebuilt here, not a {architecture['type']}")
    model = nn.Sequential(*(getattr(nn, layer["type"])(**layer.get("args", {})) for layer in architecture["children"]))
    model.load_state_dict({k: torch.from_numpy(v) for k, v in read_safetensors(path).items()}, strict=True)
    return model.eval(), metadata


def predict(args):
    """Class probabilities of pictures by a model file, preprocessed as its metadata records, printed as
    `cnn4j predict --json` prints them."""
    from torchvision import transforms

    torch.set_num_threads(args.threads)
    model, metadata = model_from_file(args.model)
    channels, height, width = (int(v) for v in metadata["cnn4j.input_shape"].split("x"))
    classes = json.loads(metadata["cnn4j.class_names"])
    spec = dict(part.split("=", 1) for part in metadata["cnn4j.preprocessing"].split())
    fitting = argparse.Namespace(image_size=None if spec["size"] == "own" else spec["size"], resize=spec["resize"])
    steps = fit(fitting) + [transforms.ToTensor()]
    if "cnn4j.normalize" in metadata:
        mean, std = ([float(v) for v in side.split(",")] for side in metadata["cnn4j.normalize"].split(":"))
        steps.append(transforms.Normalize(mean, std))
    pipeline = transforms.Compose(steps)
    with torch.no_grad():
        for path in args.pictures:
            x = pipeline(as_cnn4j(path, channels))
            if tuple(x.shape) != (channels, height, width):
                sys.exit(f"{path} became {tuple(x.shape)}, not the model's {channels}x{height}x{width}")
            p = torch.softmax(model(x.unsqueeze(0)), 1)[0]
            best = int(p.argmax())
            print(json.dumps({"image": path, "class": best, "label": classes[best],
                              "probabilities": {c: float(p[i]) for i, c in enumerate(classes)}}))


def f32(x):
    return repr(np.float32(x))


def train(args):
    import torchvision
    from PIL import Image
    from torchvision import transforms

    torch.set_num_threads(args.threads)
    data = torchvision.datasets.ImageFolder(args.data, transform=transforms.Compose(fit(args) + [transforms.ToTensor()]))
    gray = args.color == "gray" or args.color == "auto" and all(Image.open(p).mode in GRAY_MODES for p, _ in data.samples)
    if gray:
        # PIL's convert("L"): torchvision's Grayscale() weighs the channels differently.
        data.loader = lambda path: Image.open(path).convert("L")
    channels, height, width = data[0][0].shape
    model = seed_model(channels, height, width, len(data.classes))
    initial = {k: torch.from_numpy(v) for k, v in read_safetensors(args.init).items()}
    expected = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    given = {k: tuple(v.shape) for k, v in initial.items()}
    if expected != given:
        sys.exit(f"{args.init} holds {given}, but seed for {channels}x{height}x{width} pictures and "
                 f"{len(data.classes)} classes has {expected}")
    model.load_state_dict(initial, strict=True)
    if args.float64:
        model = model.double()
    if args.optimizer == "sgd":
        optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()
    batches = torch.utils.data.DataLoader(data, batch_size=args.batch_size, shuffle=False)
    print(f"{len(data)} pictures of {channels}x{height}x{width} in {len(data.classes)} classes "
          f"({', '.join(data.classes)}); {args.optimizer} lr {args.lr}, batch {args.batch_size}")
    step = 0
    epochs = args.epochs if args.steps is None else -(-args.steps // len(batches))
    for epoch in range(1, epochs + 1):
        total, seen = 0.0, 0
        for x, y in batches:
            if args.steps is not None and step == args.steps:
                break
            optimizer.zero_grad()
            loss = loss_fn(model(x.double() if args.float64 else x), y)
            loss.backward()
            optimizer.step()
            step += 1
            total += loss.item() * len(y)
            seen += len(y)
            print(f"step {step} loss {f32(loss.item())}")
        print(f"epoch {epoch} steps {step} train_loss {total / seen:.6g}")
    write_safetensors(args.save, {k: v.detach().numpy() for k, v in model.state_dict().items()})
    print(f"wrote {args.save}")


def compare(args):
    a, b = read_safetensors(args.a), read_safetensors(args.b)
    worst, failed = 0.0, False
    for name in sorted(set(a) | set(b)):
        if name not in a or name not in b:
            print(f"{name}: only in {args.a if name in a else args.b}")
            failed = True
        elif a[name].shape != b[name].shape:
            print(f"{name}: shape {list(a[name].shape)} against {list(b[name].shape)}")
            failed = True
        else:
            diff = float(np.max(np.abs(a[name].astype(np.float64) - b[name].astype(np.float64)), initial=0))
            scale = float(np.max(np.abs(a[name]), initial=0))
            worst = max(worst, diff)
            print(f"{name}: shape {list(a[name].shape)} max abs difference {diff:.3g} (largest value {scale:.3g})")
    print(f"largest difference {worst:.3g}")
    if failed or (args.tolerance is not None and worst > args.tolerance):
        sys.exit(1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train seed on an image folder from given weights")
    t.add_argument("--data", required=True, help="the training folder, DIR/CLASS/pictures")
    t.add_argument("--init", required=True, help="initial weights: a safetensors file cnn4j wrote")
    t.add_argument("--save", required=True, help="where to write the final weights (safetensors)")
    t.add_argument("--optimizer", choices=("sgd", "adam"), default="sgd")
    t.add_argument("--lr", type=float, default=0.01)
    t.add_argument("--momentum", type=float, default=0.0)
    t.add_argument("--batch-size", type=int, default=64)
    group = t.add_mutually_exclusive_group(required=True)
    group.add_argument("--steps", type=int, help="optimizer steps in all")
    group.add_argument("--epochs", type=int, help="passes over the folder")
    t.add_argument("--color", choices=("auto", "rgb", "gray"), default="auto",
                   help="gray: one channel by PIL's convert('L'); rgb: torchvision's way; auto (default): gray when "
                        "every picture is gray, as cnn4j's default")
    t.add_argument("--image-size", help="H[xW]: resize every picture, as cnn4j's --image-size")
    t.add_argument("--resize", choices=("stretch", "crop", "pad"), default="stretch",
                   help="with --image-size, how another aspect ratio is fitted, as cnn4j's --resize (default stretch)")
    t.add_argument("--float64", action="store_true",
                   help="compute in float64 (the weights are still written as float32): the exact result both "
                        "float32 runs approximate")
    t.add_argument("--threads", type=int, default=1, help="PyTorch threads (default 1: reproducible sums)")
    p = sub.add_parser("predict", help="class probabilities of pictures by a cnn4j model file, as cnn4j predict --json")
    p.add_argument("model")
    p.add_argument("pictures", nargs="+")
    p.add_argument("--threads", type=int, default=1)
    c = sub.add_parser("compare", help="largest difference of each tensor between two safetensors files")
    c.add_argument("a")
    c.add_argument("b")
    c.add_argument("--tolerance", type=float, help="exit 1 when any tensor differs by more")
    args = ap.parse_args()
    {"train": train, "predict": predict, "compare": compare}[args.command](args)


if __name__ == "__main__":
    main()
