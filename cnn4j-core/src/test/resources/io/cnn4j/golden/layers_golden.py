#!/usr/bin/python3
"""Golden values for cnn4j's batch norm, grouped convolution, adaptive pooling, concatenation and the
built-in residual network, computed by PyTorch 1.13 on the CPU in float32.

Regenerate (from this directory) with Debian's PyTorch:

    /usr/bin/python3 layers_golden.py > layers_golden.json

Read by io.cnn4j.nn.LayersGoldenTest. The "cases" use the format of ops_golden.py (see there: inputs by the
formula float32(scale * sin(i * 0.37 + phase)) or given values, upstream gradient by the formula with
scale 1 and phase 0.5, expected output and gradients); batch-norm cases also give the running statistics
after the forward pass ("running_mean", "running_var").

"models" holds, for each of cnn4j's models bn and resnet (cnn4j_modules.py beside this script), the
state_dict's names, shapes and dtypes. "resnet" is one training-mode forward and backward pass of resnet:
every parameter k (in named_parameters order) filled by golden_util.hashed_values with seed k + 1 and scale
1 / sqrt(fan_in) for convolution and linear weights, 0.1 for biases, and for batch-norm weights scale 0.1
plus 1 (added in float32); the input [2, 1, 28, 28] by hashed_values with seed 1000, scale 1 (the sin
formula's patterns put near-ties at the network's ReLUs, whose side flipped with any change of float
summation order);
the loss F.cross_entropy against labels [3, 7]. It stores the logits, the loss, the running statistics and
batch counters after the pass, every 37th element of each parameter's gradient (all of it for tensors of
at most 3000 elements), and the logits of the same input in evaluation mode after the pass.

"cumulative_batch_norm" holds BatchNorm1d and BatchNorm2d with momentum=None (running statistics the plain
average of the batches seen): four training-mode passes over inputs by the formula (phase 0.3 * step, scale
1 + step), the running mean and variance after each, then the evaluation-mode output of the last input.
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cnn4j_modules  # noqa: E402
import golden_util  # noqa: E402
from golden_util import add_gradients, dump, fill_by_formula, floats, formula, given, hashed_values  # noqa: E402

torch.set_num_threads(1)
CASES = []


def case(name, op, args, inputs, grads, fn, extra=None):
    golden_util.case(CASES, name, op, args, inputs, grads, fn, extra)


def batch_norm(name, x, training, affine=True, running=True, relu=False, momentum=0.1, eps=1e-5):
    c = x["shape"][1]
    inputs = {"x": x}
    if affine:
        inputs["w"] = formula([c], 0.7, 1.5)
        inputs["b"] = formula([c], 1.3, 0.3)
    if running:
        inputs["running_mean"] = given([c], [0.1 * (i % 5) - 0.2 for i in range(c)])
        inputs["running_var"] = given([c], [0.5 + 0.25 * (i % 4) for i in range(c)])

    def fn(t):
        y = F.batch_norm(t["x"], t.get("running_mean"), t.get("running_var"), t.get("w"), t.get("b"),
                         training=training, momentum=momentum, eps=eps)
        return F.relu(y) if relu else y

    extra = (lambda t: {"running_mean": t["running_mean"], "running_var": t["running_var"]}) if running else None
    args = {"training": training, "momentum": momentum, "eps": eps, "relu": relu}
    case(name, "batchNorm", args, inputs, [k for k in ("x", "w", "b") if k in inputs], fn, extra)


batch_norm("batch_norm2d_training", formula([4, 3, 5, 6], 0.1, 2.0), True)
batch_norm("batch_norm2d_training_relu", formula([3, 4, 4, 5], 0.2, 1.0), True, relu=True)
batch_norm("batch_norm2d_evaluation", formula([2, 3, 4, 4], 0.3, 1.0), False)
batch_norm("batch_norm2d_evaluation_relu", formula([2, 3, 4, 4], 0.3, 1.0), False, relu=True)
batch_norm("batch_norm2d_momentum_0.3_eps_1e-3", formula([2, 5, 3, 3], 0.4, 1.0), True, momentum=0.3, eps=1e-3)
batch_norm("batch_norm2d_not_affine_no_running_stats", formula([3, 2, 4, 3], 0.5, 1.0), True, affine=False,
           running=False)
batch_norm("batch_norm2d_not_affine_evaluation", formula([2, 2, 3, 3], 0.6, 1.0), False, affine=False)
# Activations far from zero: a variance computed as E[x^2] - E[x]^2 in float32 would lose every digit here.
batch_norm("batch_norm2d_large_mean", given([2, 2, 3, 4], [100 + 0.1 * math.sin(i * 0.37) for i in range(48)]), True)
batch_norm("batch_norm1d_features", formula([8, 5], 0.7, 1.5), True)
batch_norm("batch_norm1d_features_evaluation", formula([4, 5], 0.7, 1.5), False)
batch_norm("batch_norm1d_sequence", formula([4, 3, 7], 0.8, 1.0), True)


def conv(name, x, w, b, stride=1, padding=0, groups=1):
    inputs = {"x": formula(x, 0.1, 1.0), "w": formula(w, 0.7, 0.5)}
    if b is not None:
        inputs["b"] = formula([b], 1.3, 0.3)
    args = {"stride": stride, "padding": padding, "dilation": 1, "groups": groups}
    case(name, "conv2d", args, inputs, list(inputs),
         lambda t: F.conv2d(t["x"], t["w"], t.get("b"), stride=stride, padding=padding, groups=groups))


conv("conv2d_groups4_stride2_pad1", [2, 8, 7, 7], [8, 2, 3, 3], 8, stride=2, padding=1, groups=4)
conv("conv2d_depthwise_stride2_nobias", [2, 6, 8, 7], [6, 1, 3, 3], None, stride=2, padding=1, groups=6)
conv("conv2d_depthwise_multiplier3", [1, 2, 6, 6], [6, 1, 5, 5], 6, padding=2, groups=2)

for out_size, shape in ((1, [2, 3, 7, 7]), (2, [2, 3, 6, 4])):
    case(f"adaptive_avg_pool2d_{out_size}", "adaptiveAvgPool2d", {"output_size": out_size},
         {"x": formula(shape, 0.9, 1.0)}, ["x"], lambda t, s=out_size: F.adaptive_avg_pool2d(t["x"], s))

case("concat_channels", "concat", {},
     {"a": formula([2, 3, 2, 3], 0.1, 1.0), "b": formula([2, 1, 2, 3], 0.2, 1.0), "c": formula([2, 2, 2, 3], 0.3, 1.0)},
     ["a", "b", "c"], lambda t: torch.cat([t["a"], t["b"], t["c"]], dim=1))
case("concat_features", "concat", {}, {"a": formula([3, 4], 0.4, 1.0), "b": formula([3, 2], 0.5, 1.0)},
     ["a", "b"], lambda t: torch.cat([t["a"], t["b"]], dim=1))


def conv_transpose(name, x, w, b, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    inputs = {"x": formula(x, 0.2, 1.0), "w": formula(w, 0.8, 0.5)}
    if b is not None:
        inputs["b"] = formula([b], 1.4, 0.3)
    args = {"stride": stride, "padding": padding, "output_padding": output_padding, "groups": groups, "dilation": dilation}
    case(name, "convTranspose2d", args, inputs, list(inputs),
         lambda t: F.conv_transpose2d(t["x"], t["w"], t.get("b"), stride, padding, output_padding, groups, dilation))


conv_transpose("conv_transpose2d_decoder_stride2_pad1_outpad1", [2, 8, 4, 4], [8, 4, 3, 3], 4, stride=2, padding=1,
               output_padding=1)
conv_transpose("conv_transpose2d_groups4_k4_stride2_pad1_nobias", [1, 8, 3, 5], [8, 1, 4, 4], None, stride=2, padding=1,
               groups=4)

def state_names(model):
    return [{"name": k, "shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", "")}
            for k, v in model.state_dict().items()]


def resnet_golden():
    model = cnn4j_modules.resnet()
    # Batch-norm weights near 1 (their formula plus 1), as trained ones are, not near 0.
    params = fill_by_formula(model, lambda name, p: 1.0 if p.dim() == 1 and name.endswith("weight") else 0.0,
                             hashed=True)
    images = torch.from_numpy(hashed_values([2, 1, 28, 28], 1000, 1.0))
    labels = [3, 7]
    model.train()
    logits = model(images)
    loss = F.cross_entropy(logits, torch.tensor(labels))
    loss.backward()
    add_gradients(params, model)
    buffers = {k: floats(v) for k, v in model.state_dict().items() if "running" in k or "num_batches" in k}
    model.eval()
    with torch.no_grad():
        eval_logits = model(images)
    return {"labels": labels, "images": {"shape": [2, 1, 28, 28], "seed": 1000, "scale": 1.0,
                                         "first": floats(images.reshape(-1)[:8])},
            "logits": floats(logits), "loss": float(str(np.float32(loss.item()))), "buffers": buffers,
            "eval_logits": floats(eval_logits), "params": params}


def cumulative_batch_norm():
    cases = {}
    for name, module, shape in (("BatchNorm1d", torch.nn.BatchNorm1d(4, momentum=None), [6, 4]),
                                ("BatchNorm2d", torch.nn.BatchNorm2d(3, momentum=None), [2, 3, 4, 5])):
        steps = []
        module.train()
        for step in range(4):
            x = formula(shape, 0.3 * step, 1.0 + step)
            with torch.no_grad():
                module(golden_util.tensor(x))
            steps.append({"x": x, "running_mean": floats(module.running_mean), "running_var": floats(module.running_var)})
        module.eval()
        with torch.no_grad():
            out = module(golden_util.tensor(steps[-1]["x"]))
        cases[name] = {"steps": steps, "num_batches_tracked": int(module.num_batches_tracked), "eval_out": floats(out)}
    return cases


print(dump({"torch": torch.__version__, "cases": CASES,
            "models": {name: state_names(build()) for name, build in cnn4j_modules.MODELS.items()},
            "resnet": resnet_golden(), "cumulative_batch_norm": cumulative_batch_norm()}))
