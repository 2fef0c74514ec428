#!/usr/bin/python3
"""Golden values for cnn4j's 1-D and 3-D layers (Conv1d, Conv3d, MaxPool1d/3d, AvgPool1d/3d, the adaptive
poolings 1d/3d) and Flatten/Unflatten with their dimensions, computed by PyTorch 1.13 on the CPU in float32.

Regenerate (from this directory) with Debian's PyTorch:

    /usr/bin/python3 convnd_golden.py > convnd_golden.json

Read by io.cnn4j.nn.ConvNdGoldenTest. Each case's "args" is a layer as a model description gives it
({"type": ..., "args": ...}), built on both sides from that description: PyTorch's nn module of that name with
those keyword arguments, cnn4j's layer registry. The cases use the format of ops_golden.py (inputs by the
formula float32(scale * sin(i * 0.37 + phase)), upstream gradient by the formula with scale 1 and phase 0.5,
expected output and gradients); "w" and "b", when given, are the layer's weight and bias.
"""
import os
import sys

import torch
from torch.nn.utils import stateless

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden_util  # noqa: E402
from golden_util import dump, formula  # noqa: E402

torch.set_num_threads(1)
CASES = []


def layer(name, layer_type, args, x_shape, weight=None, bias=None):
    """A case of the layer {"type": layer_type, "args": args} on an input of x_shape."""
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in args.items()}
    module = getattr(torch.nn, layer_type)(**kwargs)
    inputs = {"x": formula(x_shape, 0.3, 1.0)}
    if weight is not None:
        inputs["w"] = formula(list(module.weight.shape), 0.7, weight)
        if module.bias is not None:
            inputs["b"] = formula(list(module.bias.shape), 1.3, bias)

    def fn(t):
        params = {k: t[short] for k, short in (("weight", "w"), ("bias", "b")) if short in t}
        return stateless.functional_call(module, params, (t["x"],))

    golden_util.case(CASES, name, "layer", {"type": layer_type, "args": args}, inputs, list(inputs), fn)


def conv(name, layer_type, args, x_shape):
    layer(name, layer_type, args, x_shape, weight=0.5, bias=0.2)


conv("conv1d_3_to_4_k3", "Conv1d", {"in_channels": 3, "out_channels": 4, "kernel_size": 3}, [2, 3, 9])
conv("conv1d_stride2_padding2_dilation2", "Conv1d", {"in_channels": 4, "out_channels": 6, "kernel_size": 3, "stride": 2,
                                                     "padding": 2, "dilation": 2}, [2, 4, 11])
conv("conv1d_groups2_k5_no_bias", "Conv1d", {"in_channels": 4, "out_channels": 6, "kernel_size": 5, "padding": 1,
                                             "groups": 2, "bias": False}, [1, 4, 10])
conv("conv1d_same_even_k4", "Conv1d", {"in_channels": 2, "out_channels": 3, "kernel_size": 4, "padding": "same"}, [2, 2, 7])
conv("conv1d_same_even_k4_dilation3", "Conv1d", {"in_channels": 2, "out_channels": 3, "kernel_size": 4, "padding": "same",
                                                 "dilation": 3}, [1, 2, 13])
conv("conv3d_2_to_3_k3", "Conv3d", {"in_channels": 2, "out_channels": 3, "kernel_size": 3}, [2, 2, 4, 5, 6])
conv("conv3d_k233_stride122_padding011", "Conv3d", {"in_channels": 2, "out_channels": 4, "kernel_size": [2, 3, 3],
                                                    "stride": [1, 2, 2], "padding": [0, 1, 1]}, [1, 2, 5, 7, 7])
conv("conv3d_stride2_odd", "Conv3d", {"in_channels": 3, "out_channels": 2, "kernel_size": 3, "stride": 2, "padding": 1},
     [2, 3, 5, 7, 9])
conv("conv3d_dilation121_groups2_no_bias", "Conv3d", {"in_channels": 4, "out_channels": 4, "kernel_size": 3,
                                                      "padding": 1, "dilation": [1, 2, 1], "groups": 2, "bias": False},
     [1, 4, 3, 7, 5])
conv("conv3d_same_even_k243", "Conv3d", {"in_channels": 2, "out_channels": 2, "kernel_size": [2, 4, 3], "padding": "same"},
     [1, 2, 3, 6, 5])
conv("conv3d_pointwise", "Conv3d", {"in_channels": 3, "out_channels": 5, "kernel_size": 1}, [2, 3, 2, 3, 4])

layer("maxpool1d_k3_stride2_padding1", "MaxPool1d", {"kernel_size": 3, "stride": 2, "padding": 1}, [2, 3, 10])
layer("maxpool1d_k2_stride3_dilation2_ceil", "MaxPool1d", {"kernel_size": 2, "stride": 3, "dilation": 2, "ceil_mode": True},
      [1, 2, 12])
layer("avgpool1d_k3_padding1", "AvgPool1d", {"kernel_size": 3, "padding": 1}, [1, 3, 9])
layer("avgpool1d_k4_stride3_padding2_ceil_uncounted", "AvgPool1d", {"kernel_size": 4, "stride": 3, "padding": 2,
                                                                    "ceil_mode": True, "count_include_pad": False}, [2, 2, 11])
layer("maxpool3d_k233_stride122_padding1", "MaxPool3d", {"kernel_size": [2, 3, 3], "stride": [1, 2, 2], "padding": 1},
      [1, 2, 4, 7, 7])
layer("maxpool3d_k2_dilation121_ceil", "MaxPool3d", {"kernel_size": 2, "stride": 2, "dilation": [1, 2, 1], "ceil_mode": True},
      [1, 2, 5, 7, 5])
layer("avgpool3d_k3_stride2_padding1_ceil", "AvgPool3d", {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True},
      [1, 2, 5, 6, 7])
layer("avgpool3d_k122_padding011_uncounted", "AvgPool3d", {"kernel_size": [1, 2, 2], "padding": [0, 1, 1],
                                                           "count_include_pad": False}, [2, 2, 3, 5, 5])
layer("adaptive_avgpool1d_10_to_4", "AdaptiveAvgPool1d", {"output_size": 4}, [2, 3, 10])
layer("adaptive_avgpool1d_global", "AdaptiveAvgPool1d", {"output_size": 1}, [2, 3, 7])
layer("adaptive_maxpool1d_7_to_3", "AdaptiveMaxPool1d", {"output_size": 3}, [2, 2, 7])
layer("adaptive_avgpool3d_579_to_234", "AdaptiveAvgPool3d", {"output_size": [2, 3, 4]}, [1, 2, 5, 7, 9])
layer("adaptive_avgpool3d_global", "AdaptiveAvgPool3d", {"output_size": 1}, [2, 3, 3, 4, 5])
layer("adaptive_maxpool3d_357_to_223", "AdaptiveMaxPool3d", {"output_size": [2, 2, 3]}, [1, 2, 3, 5, 7])
layer("flatten_1_2", "Flatten", {"start_dim": 1, "end_dim": 2}, [2, 3, 4, 5])
layer("unflatten_1_to_2x3", "Unflatten", {"dim": 1, "unflattened_size": [2, 3]}, [2, 6, 4])

print(dump({"torch": torch.__version__, "cases": CASES}))
