#!/usr/bin/python3
"""Golden pictures: PIL's Image.resize(size, Image.BILINEAR) of 8-bit L and RGB pictures (in full, and as
CRC-32s for a sweep of random sizes), torchvision's Resize(side) + CenterCrop(side) of PIL pictures, PIL's
convert("L"), and torchvision's colour adjustments and resized crop of float tensors (Pillow 9.4,
torchvision 0.14).

Regenerate (from this directory) with Debian's Pillow and torchvision:

    /usr/bin/python3 picture_golden.py > picture_golden.json

Read by io.cnn4j.data.PictureResizeTest, io.cnn4j.data.ColorJitterTest and io.cnn4j.data.RandomResizedCropTest.
It also writes, for io.cnn4j.data.ImageDecoderTest, cmyk.jpg (a CMYK JPEG, which cnn4j refuses) and photo.jpg
(the RGB pattern as a JPEG with 4:2:0 chroma, whose decoding by PIL is recorded in "jpeg" as a CRC-32).

Input pictures are made by a formula both sides compute (pattern below); byte pictures are written as hex,
planar [C, H, W]; floats as the shortest decimals that read back as float32.
"""
import json
import zlib

import numpy as np
import torch
import torchvision.transforms as T
import torchvision.transforms.functional as F
from PIL import Image

from golden_util import floats


def pattern(c, h, w):
    """uint8 [c, h, w]: (29x + 47y + 101c + (7xy mod 31)) mod 256, sharp steps included."""
    ch, y, x = np.meshgrid(np.arange(c), np.arange(h), np.arange(w), indexing="ij")
    return ((29 * x + 47 * y + 101 * ch + (7 * x * y) % 31) % 256).astype(np.uint8)


def pil(planar):
    if planar.shape[0] == 1:
        return Image.fromarray(planar[0], "L")
    return Image.fromarray(np.ascontiguousarray(planar.transpose(1, 2, 0)), "RGB")


def planar_hex(image):
    a = np.asarray(image, dtype=np.uint8)
    a = a[None] if a.ndim == 2 else a.transpose(2, 0, 1)
    return a.tobytes().hex()


def resize_cases():
    sizes = [((32, 32), (64, 64)), ((30, 40), (17, 23)), ((20, 50), (50, 20)), ((28, 28), (28, 10)),
             ((13, 7), (5, 7)), ((100, 100), (3, 3)), ((1, 1), (4, 4)), ((64, 48), (32, 32)), ((9, 250), (9, 7))]
    cases = []
    for channels in (1, 3):
        for (h, w), (oh, ow) in sizes:
            out = pil(pattern(channels, h, w)).resize((ow, oh), Image.BILINEAR)
            cases.append({"channels": channels, "height": h, "width": w, "out_height": oh, "out_width": ow,
                          "pixels": planar_hex(out)})
    return cases


def resize_sweep():
    """CRC-32s of PIL's resize of the pattern at 150 random sizes each way, 1 to 90 pixels, L and RGB alike."""
    rng = np.random.default_rng(22)
    cases = []
    for _ in range(150):
        channels = int(rng.choice([1, 3]))
        h, w, oh, ow = (int(v) for v in rng.integers(1, 91, size=4))
        out = pil(pattern(channels, h, w)).resize((ow, oh), Image.BILINEAR)
        cases.append([channels, h, w, oh, ow, zlib.crc32(bytes.fromhex(planar_hex(out)))])
    return cases


def crop_cases():
    cases = []
    for channels, (h, w), side in ((3, (30, 40), 16), (1, (50, 21), 20), (3, (33, 64), 32), (3, (24, 24), 40)):
        t = T.Compose([T.Resize(side), T.CenterCrop(side)])
        cases.append({"channels": channels, "height": h, "width": w, "side": side,
                      "pixels": planar_hex(t(pil(pattern(channels, h, w))))})
    return cases


def jpeg_case():
    Image.fromarray(np.ascontiguousarray(pattern(3, 37, 53).transpose(1, 2, 0)), "RGB").save(
        "photo.jpg", quality=75, subsampling=2)
    decoded = planar_hex(Image.open("photo.jpg").convert("RGB"))
    return {"height": 37, "width": 53, "crc32": zlib.crc32(bytes.fromhex(decoded))}


def gray_case():
    return {"height": 9, "width": 11, "pixels": planar_hex(pil(pattern(3, 9, 11)).convert("L"))}


def float_picture(c, h, w):
    return torch.from_numpy(pattern(c, h, w).astype(np.float32) / 255)


def jitter_cases():
    cases = []
    for channels in (1, 3):
        x = float_picture(channels, 6, 5)
        for op, adjust in (("brightness", F.adjust_brightness), ("contrast", F.adjust_contrast),
                           ("saturation", F.adjust_saturation)):
            if op == "saturation" and channels == 1:
                continue
            for factor in (0.0, 0.6, 1.7):
                cases.append({"channels": channels, "height": 6, "width": 5, "op": op, "factor": factor,
                              "pixels": floats(adjust(x, factor))})
    return cases


def resized_crop_cases():
    cases = []
    for channels, (h, w), (top, left, ch, cw) in ((3, (12, 10), (2, 1, 7, 9)), (1, (8, 8), (0, 0, 8, 8)),
                                                  (3, (10, 14), (3, 4, 2, 3)), (1, (9, 6), (1, 2, 8, 3))):
        out = F.resized_crop(float_picture(channels, h, w), top, left, ch, cw, [h, w],
                             T.InterpolationMode.BILINEAR)
        cases.append({"channels": channels, "height": h, "width": w, "top": top, "left": left, "crop_height": ch,
                      "crop_width": cw, "pixels": floats(out)})
    return cases


if __name__ == "__main__":
    Image.new("CMYK", (8, 6), (0, 128, 255, 30)).save("cmyk.jpg")
    print(json.dumps({"resize": resize_cases(), "resize_sweep": resize_sweep(), "crop": crop_cases(), "gray": gray_case(), "jpeg": jpeg_case(),
                      "jitter": jitter_cases(), "resized_crop": resized_crop_cases()}))
