#!/usr/bin/python3
"""Golden Grad-CAM maps and saliency maps of the built-in models seed and resnet, computed by PyTorch 1.13
on the CPU in float32 with forward hooks, as Selvaraju et al. (2017) define Grad-CAM.

Regenerate (from this directory) with Debian's PyTorch:

    /usr/bin/python3 gradcam_golden.py > gradcam_golden.json

Read by io.cnn4j.explain.GradCamGoldenTest. The networks are the nn.Sequential modules that cnn4j's
Models.seed() and Models.resnet() mirror (cnn4j_modules.py), in eval mode (batch norm on its initial
running statistics). Parameter k (named_parameters order) holds hashed_values with seed k + 1 and scale
1 / sqrt(fan_in) for weights, 0.1 for the rest, and 1 added to batch norm's scales; the image [1, 1, 28, 28] holds hashed_values with seed 1000
and scale 1. Per case: the layer (dotted module name), the class (the predicted one unless chosen), its
logit, the raw map [h, w] = ReLU(sum_k alpha_k A_k) with alpha_k the spatial mean of dLogit/dA_k, the map
upsampled to 28 x 28 by F.interpolate(mode='bilinear', align_corners=False), and the saliency
max over channels of |dLogit/dImage|.
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cnn4j_modules  # noqa: E402
from golden_util import dump, fill_by_formula, floats, hashed_values  # noqa: E402

torch.set_num_threads(1)

IMAGE_SEED = 1000


def grad_cam(model, image, layer, cls):
    captured = {}

    def hook(module, inputs, output):
        output.retain_grad()
        captured["a"] = output

    handle = dict(model.named_modules())[layer].register_forward_hook(hook)
    x = image.clone().requires_grad_(True)
    logits = model(x)
    handle.remove()
    chosen = cls is not None
    if not chosen:
        cls = int(logits.argmax(dim=1).item())
    score = logits[0, cls]
    score.backward()
    a = captured["a"].detach()[0]
    g = captured["a"].grad[0]
    alpha = g.mean(dim=(1, 2))
    raw = F.relu((alpha[:, None, None] * a).sum(dim=0))
    up = F.interpolate(raw[None, None], size=image.shape[2:], mode="bilinear", align_corners=False)[0, 0]
    saliency = x.grad.abs().amax(dim=1)[0]
    return {"layer": layer, "class": cls, "chosen": chosen, "score": floats(score.reshape(1))[0], "alpha": floats(alpha),
            "map_shape": list(raw.shape), "map": floats(raw), "upsampled": floats(up), "saliency": floats(saliency)}


def batch_norm_scale(name, p):
    """Batch norm's scales near 1 rather than near 0, so that the signal survives the residual net's depth."""
    return 1.0 if p.dim() == 1 and name.endswith("weight") else 0.0


models = []
for name, layers in (("seed", [("0", None)]), ("resnet", [("0", None), ("5.body.3", None), ("5.body.3", 3)])):
    model = getattr(cnn4j_modules, name)()
    params = fill_by_formula(model, offset=batch_norm_scale, hashed=True)
    model.eval()
    image = torch.from_numpy(hashed_values([1, 1, 28, 28], IMAGE_SEED, 1.0))
    cases = [grad_cam(model, image, layer, cls) for layer, cls in layers]
    models.append({"model": name, "params": params,
                   "image": {"shape": [1, 1, 28, 28], "seed": IMAGE_SEED, "scale": 1.0, "first": floats(image.reshape(-1)[:8])},
                   "cases": cases})

print(dump({"torch": torch.__version__, "models": models}))
