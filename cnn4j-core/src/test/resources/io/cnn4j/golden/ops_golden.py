#!/usr/bin/python3
"""Golden values for cnn4j's differentiable operations, computed by PyTorch 1.13 on the CPU in float32.

Regenerate (from this directory) with Debian's PyTorch:

    /usr/bin/python3 ops_golden.py > ops_golden.json

Read by io.cnn4j.autograd.PyTorchGoldenTest (operations) and io.cnn4j.loss.LossGoldenTest (losses).

Every input is built by a formula both sides evaluate in double and round once to float32:

    value[i] = float32(scale * sin(i * 0.37 + phase))      i = flat row-major index

except where a case needs exact values (ties, large logits); those are given as "values". The upstream
gradient of every case is the same formula with scale 1 and phase 0.5 (cos-like), shaped as the output,
so every output element matters. The file stores the input values too, so the Java side can prove that
its formula rebuilt exactly the same floats.

Each case: op, arguments, inputs (name -> shape, formula or values), which inputs require a gradient,
and the expected output and gradients (flat, row-major).
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden_util  # noqa: E402
from golden_util import dump, formula, given  # noqa: E402

torch.set_num_threads(1)
CASES = []


def case(name, op, args, inputs, grads, fn):
    golden_util.case(CASES, name, op, args, inputs, grads, fn)


def conv(name, x, w, b, stride=1, padding=0, dilation=1, groups=1, relu=False):
    inputs = {"x": formula(x, 0.1, 1.0), "w": formula(w, 0.7, 0.5)}
    if b is not None:
        inputs["b"] = formula([b], 1.3, 0.3)

    def fn(t):
        y = F.conv2d(t["x"], t["w"], t.get("b"), stride=stride, padding=padding, dilation=dilation, groups=groups)
        return F.relu(y) if relu else y

    args = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    case(name, "conv2dRelu" if relu else "conv2d", args, inputs, list(inputs), fn)


conv("conv2d_basic_batch2", [2, 3, 5, 6], [4, 3, 3, 3], 4)
conv("conv2d_stride2_pad1", [1, 2, 7, 6], [3, 2, 3, 3], 3, stride=2, padding=1)
conv("conv2d_pad2_dilation2_nobias", [1, 2, 7, 7], [2, 2, 3, 3], None, padding=2, dilation=2)
conv("conv2d_groups2", [2, 4, 5, 5], [6, 2, 3, 3], 6, groups=2)
conv("conv2d_depthwise_pad1", [1, 3, 6, 5], [3, 1, 3, 3], 3, padding=1, groups=3)
conv("conv2d_stride2_nonsquare_kernel1", [1, 3, 5, 8], [2, 3, 1, 1], 2, stride=2)
conv("conv2d_relu", [2, 2, 5, 5], [3, 2, 3, 3], 3, padding=1, relu=True)
conv("conv2d_kernel_1x3_stride_2x1_pad_0x1_dilation_1x2", [2, 3, 6, 7], [4, 3, 1, 3], 4, stride=[2, 1],
     padding=[0, 1], dilation=[1, 2])
conv("conv2d_kernel_3x2_groups_3_stride_1x2_pad_2x0", [1, 3, 5, 8], [6, 1, 3, 2], 6, stride=[1, 2], padding=[2, 0], groups=3)

# An even kernel with padding='same' (stride 1): PyTorch pads 1 before and 2 after; cnn4j's nn.Conv2d
# with Padding.same() must do the same.
case("conv2d_same_even_kernel", "conv2dSameLayer", {"kernel": 4},
     {"x": formula([1, 2, 6, 5], 0.1, 1.0), "w": formula([3, 2, 4, 4], 0.7, 0.5), "b": formula([3], 1.3, 0.3)},
     ["x", "w", "b"], lambda t: F.conv2d(t["x"], t["w"], t["b"], padding="same"))

for relu in (False, True):
    for bias in (True, False):
        inputs = {"x": formula([3, 5], 0.2, 1.0), "w": formula([4, 5], 0.9, 0.6)}
        if bias:
            inputs["b"] = formula([4], 1.7, 0.4)
        name = "linear" + ("_relu" if relu else "") + ("" if bias else "_nobias")

        def fn(t, relu=relu):
            y = F.linear(t["x"], t["w"], t.get("b"))
            return F.relu(y) if relu else y

        case(name, "linearRelu" if relu else "linear", {}, inputs, list(inputs), fn)

act_in = {"x": formula([2, 3, 4], 0.3, 3.0)}
case("relu", "relu", {}, act_in, ["x"], lambda t: F.relu(t["x"]))
wide_in = {"x": formula([3, 7], 0.35, 5.0)}
case("gelu", "gelu", {"approximate": "none"}, wide_in, ["x"], lambda t: F.gelu(t["x"]))
case("gelu_tanh", "gelu", {"approximate": "tanh"}, wide_in, ["x"], lambda t: F.gelu(t["x"], approximate="tanh"))
case("silu", "silu", {}, wide_in, ["x"], lambda t: F.silu(t["x"]))
case("elu", "elu", {"alpha": 1.0}, wide_in, ["x"], lambda t: F.elu(t["x"]))
case("elu_alpha_0.5", "elu", {"alpha": 0.5}, wide_in, ["x"], lambda t: F.elu(t["x"], alpha=0.5))
case("hardswish", "hardswish", {}, wide_in, ["x"], lambda t: F.hardswish(t["x"]))
case("leaky_relu_0.1", "leakyRelu", {"slope": 0.1}, act_in, ["x"], lambda t: F.leaky_relu(t["x"], 0.1))
case("sigmoid", "sigmoid", {}, act_in, ["x"], lambda t: torch.sigmoid(t["x"]))
case("tanh", "tanh", {}, act_in, ["x"], lambda t: torch.tanh(t["x"]))

ln_in = {"x": formula([2, 3, 4], 0.3, 2.0), "w": formula([3, 4], 1.1, 0.8), "b": formula([3, 4], 2.2, 0.5)}
case("layer_norm", "layerNorm", {"shape": [3, 4], "eps": 1e-5}, ln_in, ["x", "w", "b"],
     lambda t: F.layer_norm(t["x"], [3, 4], t["w"], t["b"]))
ln_last = {"x": formula([2, 3, 4], 0.3, 2.0), "w": formula([4], 1.1, 0.8), "b": formula([4], 2.2, 0.5)}
case("layer_norm_last_dim_eps_0.1", "layerNorm", {"shape": [4], "eps": 0.1}, ln_last, ["x", "w", "b"],
     lambda t: F.layer_norm(t["x"], [4], t["w"], t["b"], eps=0.1))
case("layer_norm_no_affine", "layerNorm", {"shape": [3, 4], "eps": 1e-5}, {"x": ln_in["x"]}, ["x"],
     lambda t: F.layer_norm(t["x"], [3, 4]))
gn_in = {"x": formula([2, 4, 3, 3], 0.6, 2.0), "w": formula([4], 1.1, 0.8), "b": formula([4], 2.2, 0.5)}
case("group_norm_2_groups", "groupNorm", {"groups": 2, "eps": 1e-5}, gn_in, ["x", "w", "b"],
     lambda t: F.group_norm(t["x"], 2, t["w"], t["b"]))
case("instance_norm", "groupNorm", {"groups": 4, "eps": 1e-5}, {"x": gn_in["x"]}, ["x"],
     lambda t: F.instance_norm(t["x"]))

ap_in = {"x": formula([2, 3, 7, 9], 0.45, 2.0)}
case("adaptive_avg_pool2d_7x9_to_3x4", "adaptiveAvgPool2d", {"size": [3, 4]}, ap_in, ["x"],
     lambda t: F.adaptive_avg_pool2d(t["x"], (3, 4)))
case("adaptive_avg_pool2d_7x9_to_5x2", "adaptiveAvgPool2d", {"size": [5, 2]}, ap_in, ["x"],
     lambda t: F.adaptive_avg_pool2d(t["x"], (5, 2)))
case("adaptive_max_pool2d_7x9_to_3x4", "adaptiveMaxPool2d", {"size": [3, 4]}, ap_in, ["x"],
     lambda t: F.adaptive_max_pool2d(t["x"], (3, 4)))
case("adaptive_max_pool2d_7x9_to_1x1", "adaptiveMaxPool2d", {"size": [1, 1]}, ap_in, ["x"],
     lambda t: F.adaptive_max_pool2d(t["x"], 1))

pool_in = {"x": formula([2, 2, 7, 8], 0.25, 2.0)}
case("max_pool2d_3x2_stride_2x3_pad_1x0_ceil", "maxPool2dSpec", {"kernel": [3, 2], "stride": [2, 3], "padding": [1, 0],
     "ceil": True}, pool_in, ["x"], lambda t: F.max_pool2d(t["x"], (3, 2), (2, 3), (1, 0), ceil_mode=True))
case("max_pool2d_2_ceil_odd_input", "maxPool2dSpec", {"kernel": [2, 2], "stride": [2, 2], "padding": [0, 0], "ceil": True},
     {"x": formula([1, 2, 7, 5], 0.55, 2.0)}, ["x"], lambda t: F.max_pool2d(t["x"], 2, ceil_mode=True))
for count in (True, False):
    case("avg_pool2d_3x2_stride_2_pad_1x1_ceil_count_" + str(count).lower(), "avgPool2dSpec",
         {"kernel": [3, 2], "stride": [2, 2], "padding": [1, 1], "ceil": True, "countPadding": count}, pool_in, ["x"],
         lambda t, c=count: F.avg_pool2d(t["x"], (3, 2), 2, 1, ceil_mode=True, count_include_pad=c))

up_in = {"x": formula([2, 2, 3, 4], 0.65, 2.0)}
case("upsample_nearest_scale_2", "upsample", {"size": [6, 8], "scale": [2, 2], "bilinear": False, "align": False}, up_in,
     ["x"], lambda t: F.interpolate(t["x"], scale_factor=2, mode="nearest"))
case("upsample_nearest_size_5x7", "upsample", {"size": [5, 7], "scale": [0, 0], "bilinear": False, "align": False}, up_in,
     ["x"], lambda t: F.interpolate(t["x"], size=(5, 7), mode="nearest"))
case("upsample_bilinear_scale_2x3", "upsample", {"size": [6, 12], "scale": [2, 3], "bilinear": True, "align": False}, up_in,
     ["x"], lambda t: F.interpolate(t["x"], scale_factor=(2, 3), mode="bilinear", align_corners=False))
case("upsample_bilinear_align_corners_size_5x7", "upsample", {"size": [5, 7], "scale": [0, 0], "bilinear": True,
     "align": True}, up_in, ["x"], lambda t: F.interpolate(t["x"], size=(5, 7), mode="bilinear", align_corners=True))
case("upsample_bilinear_size_5x7", "upsample", {"size": [5, 7], "scale": [0, 0], "bilinear": True, "align": False}, up_in,
     ["x"], lambda t: F.interpolate(t["x"], size=(5, 7), mode="bilinear", align_corners=False))

sm_in = {"x": formula([3, 5], 0.4, 2.0)}
case("softmax", "softmax", {}, sm_in, ["x"], lambda t: F.softmax(t["x"], dim=1))
case("log_softmax", "logSoftmax", {}, sm_in, ["x"], lambda t: F.log_softmax(t["x"], dim=1))
big = {"x": given([3, 3], [1000, 1001, 999, -1000, 0, 1000, 88, 89, 90])}
case("softmax_large_logits", "softmax", {}, big, ["x"], lambda t: F.softmax(t["x"], dim=1))
case("log_softmax_large_logits", "logSoftmax", {}, big, ["x"], lambda t: F.log_softmax(t["x"], dim=1))

pool_in = {"x": formula([2, 2, 7, 6], 0.5, 1.0)}
case("max_pool_k2", "maxPool2d", {"kernel": 2, "stride": 2, "padding": 0}, pool_in, ["x"],
     lambda t: F.max_pool2d(t["x"], 2))
case("max_pool_k3_s2_p1", "maxPool2d", {"kernel": 3, "stride": 2, "padding": 1}, pool_in, ["x"],
     lambda t: F.max_pool2d(t["x"], 3, 2, 1))
# Ties: PyTorch routes the gradient to the first maximum of each window in row-major order.
ties = {"x": given([1, 1, 4, 4], [1, 3, 3, 0, 3, 2, 1, 3, 0, 0, 5, 5, 5, 5, 0, 1])}
case("max_pool_ties_k2_s1", "maxPool2d", {"kernel": 2, "stride": 1, "padding": 0}, ties, ["x"],
     lambda t: F.max_pool2d(t["x"], 2, 1))
for cip in (True, False):
    case("avg_pool_k3_s2_p1_count_include_pad_" + str(cip).lower(), "avgPool2d",
         {"kernel": 3, "stride": 2, "padding": 1, "countPadding": cip}, pool_in, ["x"],
         lambda t, cip=cip: F.avg_pool2d(t["x"], 3, 2, 1, count_include_pad=cip))
case("avg_pool_k2", "avgPool2d", {"kernel": 2, "stride": 2, "padding": 0, "countPadding": True}, pool_in, ["x"],
     lambda t: F.avg_pool2d(t["x"], 2))

ab = {"a": formula([2, 3, 2], 0.6, 1.5), "b": formula([2, 3, 2], 2.1, 0.8)}
case("add", "add", {}, ab, ["a", "b"], lambda t: t["a"] + t["b"])
case("mul", "mul", {}, ab, ["a", "b"], lambda t: t["a"] * t["b"])
case("sum", "sum", {}, {"x": formula([2, 3, 4], 0.8, 1.0)}, ["x"], lambda t: t["x"].sum())
case("mean", "mean", {}, {"x": formula([2, 3, 4], 0.8, 1.0)}, ["x"], lambda t: t["x"].mean())
case("flatten", "flatten", {}, {"x": formula([2, 3, 2, 2], 0.8, 1.0)}, ["x"], lambda t: torch.flatten(t["x"], 1))

labels = [1, 0, 4, 2]
logits = {"x": formula([4, 5], 0.9, 2.0)}
case("cross_entropy", "crossEntropy", {"labels": labels, "smoothing": 0.0}, logits, ["x"],
     lambda t: F.cross_entropy(t["x"], torch.tensor(labels)))
case("cross_entropy_label_smoothing_0.1", "crossEntropy", {"labels": labels, "smoothing": 0.1}, logits, ["x"],
     lambda t: F.cross_entropy(t["x"], torch.tensor(labels), label_smoothing=0.1))
big_logits = {"x": given([2, 3], [1000, 1001, 999, -1000, 0, 1000])}
case("cross_entropy_large_logits_smoothing_0.1", "crossEntropy", {"labels": [0, 1], "smoothing": 0.1},
     big_logits, ["x"], lambda t: F.cross_entropy(t["x"], torch.tensor([0, 1]), label_smoothing=0.1))
mse_in = {"p": formula([3, 4], 1.1, 1.0), "t": formula([3, 4], 2.9, 0.7)}
case("mse", "mse", {}, mse_in, ["p", "t"], lambda t: F.mse_loss(t["p"], t["t"]))
mse_4d = {"p": formula([2, 1, 3, 3], 0.4, 1.0), "t": formula([2, 1, 3, 3], 1.7, 0.9)}
case("mse_images", "mse", {}, mse_4d, ["p", "t"], lambda t: F.mse_loss(t["p"], t["t"]))

targets = (0.5 + 0.5 * golden_util.formula_values([3, 4], 2.3, 1.0)).astype("float32")
bce_in = {"x": formula([3, 4], 0.2, 3.0), "t": given([3, 4], targets)}
case("bce_with_logits", "bceWithLogits", {"pos_weight": None}, bce_in, ["x", "t"],
     lambda t: F.binary_cross_entropy_with_logits(t["x"], t["t"]))
pos_weight = [0.5, 1.0, 2.0, 4.0]
case("bce_with_logits_pos_weight", "bceWithLogits", {"pos_weight": pos_weight}, bce_in, ["x", "t"],
     lambda t: F.binary_cross_entropy_with_logits(t["x"], t["t"], pos_weight=torch.tensor(pos_weight)))
bce_big = {"x": given([2, 2], [100, -100, 30, -30]), "t": given([2, 2], [0, 1, 0.25, 1])}
case("bce_with_logits_large_logits", "bceWithLogits", {"pos_weight": [3.0, 0.5]}, bce_big, ["x"],
     lambda t: F.binary_cross_entropy_with_logits(t["x"], t["t"], pos_weight=torch.tensor([3.0, 0.5])))
log_probs = {"x": given([4, 5], F.log_softmax(golden_util.tensor(logits["x"]), 1).numpy())}
case("nll", "nll", {"labels": labels}, log_probs, ["x"], lambda t: F.nll_loss(t["x"], torch.tensor(labels)))
case("nll_of_any_scores", "nll", {"labels": labels}, logits, ["x"], lambda t: F.nll_loss(t["x"], torch.tensor(labels)))
robust_in = {"p": formula([3, 4], 1.1, 2.0), "t": formula([3, 4], 2.9, 0.7)}
for beta in (1.0, 0.5, 0.0):
    case("smooth_l1_beta_" + str(beta), "smoothL1", {"beta": beta}, robust_in, ["p", "t"],
         lambda t, b=beta: F.smooth_l1_loss(t["p"], t["t"], beta=b))
for delta in (1.0, 0.3):
    case("huber_delta_" + str(delta), "huber", {"delta": delta}, robust_in, ["p", "t"],
         lambda t, d=delta: F.huber_loss(t["p"], t["t"], delta=d))

def conv_transpose(name, x, w, b, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    inputs = {"x": formula(x, 0.15, 1.0), "w": formula(w, 0.75, 0.5)}
    if b is not None:
        inputs["b"] = formula([b], 1.35, 0.3)
    args = {"stride": stride, "padding": padding, "output_padding": output_padding, "groups": groups,
            "dilation": dilation}
    case(name, "convTranspose2d", args, inputs, list(inputs),
         lambda t: F.conv_transpose2d(t["x"], t["w"], t.get("b"), stride, padding, output_padding, groups, dilation))


conv_transpose("conv_transpose2d_basic_batch2", [2, 3, 4, 5], [3, 2, 3, 3], 2)
conv_transpose("conv_transpose2d_stride2_pad1_outpad1", [2, 4, 4, 3], [4, 3, 3, 3], 3, stride=2, padding=1,
               output_padding=1)
conv_transpose("conv_transpose2d_k4_stride2_pad1_nobias", [1, 3, 3, 4], [3, 2, 4, 4], None, stride=2, padding=1)
conv_transpose("conv_transpose2d_groups2_dilation2", [2, 4, 3, 3], [4, 3, 3, 3], 6, padding=1, groups=2, dilation=2)
conv_transpose("conv_transpose2d_kernel_2x3_stride_3x2_pad_1x0_outpad_2x1", [1, 2, 3, 4], [2, 3, 2, 3], 3,
               stride=[3, 2], padding=[1, 0], output_padding=[2, 1])
conv_transpose("conv_transpose2d_outpad_below_dilation_only", [1, 2, 4, 4], [2, 2, 3, 3], 2, stride=1,
               output_padding=1, dilation=2)
conv_transpose("conv_transpose2d_depthwise_k1_pad1", [2, 3, 5, 4], [3, 1, 1, 1], 3, padding=1, groups=3)
mse_fashion = {"p": formula([2, 1, 28, 28], 0.3, 0.5), "t": formula([2, 1, 28, 28], 1.9, 0.5)}
case("mse_autoencoder_images_2x1x28x28", "mse", {}, mse_fashion, ["p", "t"], lambda t: F.mse_loss(t["p"], t["t"]))

print(dump({"torch": torch.__version__, "cases": CASES}))
