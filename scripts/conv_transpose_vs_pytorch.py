#!/usr/bin/python3
"""PyTorch's side of the ConvTranspose2d benchmark: F.conv_transpose2d with bias on the shapes of cnn4j's
ConvTranspose2dBenchmark (cnn4j-bench), in milliseconds per call, forward alone and a training step (forward,
backward to the input, weight and bias), on 2 threads. Each call is timed on its own for 5 s, after 1 s of
warm-up, and the fastest and the median are printed: on a machine that other work shares they say more than
an average over whatever else ran (cnn4j's benchmark samples its calls the same way).

OpenMP's threads wait passively (OMP_WAIT_POLICY=PASSIVE unless set): spinning, they keep the cores the next
call needs on a machine that other work shares, which made each call up to 100 times slower here.

    /usr/bin/python3 scripts/conv_transpose_vs_pytorch.py [THREADS]

cnn4j's side: java -jar cnn4j-bench/target/benchmarks.jar ConvTranspose2dBenchmark
"""
import os
import statistics
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

SHAPES = ["32,64,14,14,32,4,2,1,0", "128,32,7,7,16,3,2,1,1", "128,16,14,14,1,3,2,1,1"]


def timed(fn, seconds):
    """Milliseconds of each call made in the given seconds."""
    times, start = [], time.perf_counter()
    while time.perf_counter() - start < seconds:
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return times


def main():
    torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
    torch.manual_seed(0)
    for shape in SHAPES:
        n, c, h, w, o, k, s, p, op = (int(v) for v in shape.split(","))
        x = (torch.rand(n, c, h, w) * 2 - 1).requires_grad_()
        weight = (torch.rand(c, o, k, k) * 2 - 1).requires_grad_()
        bias = (torch.rand(o) * 2 - 1).requires_grad_()
        out = (h - 1) * s - 2 * p + k + op
        dy = torch.rand(n, o, out, out) * 2 - 1

        def forward():
            with torch.no_grad():
                F.conv_transpose2d(x, weight, bias, s, p, op)

        def step():
            x.grad = weight.grad = bias.grad = None
            F.conv_transpose2d(x, weight, bias, s, p, op).backward(dy)

        for name, fn in (("forward", forward), ("trainingStep", step)):
            timed(fn, 1.0)
            times = timed(fn, 5.0)
            print(f"{name:13s} {shape:24s} fastest {min(times):9.3f} ms  median {statistics.median(times):9.3f} ms"
                  f"  ({len(times)} calls)")


main()
