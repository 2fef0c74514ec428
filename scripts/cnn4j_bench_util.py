"""What the comparison scripts beside PyTorch share: OpenBLAS's fastest core type on this machine, and
plain-text tables.

Debian's OpenBLAS 0.3.21 misdetects newer CPUs and can pick a kernel several times slower than the CPU's
own (on one Intel Xeon, torch.mm 1024^3 ran at 29 GFLOP/s by default and at 141 with
OPENBLAS_CORETYPE=SKYLAKEX). A comparison against PyTorch is fair only against PyTorch at its best, so the
scripts time torch.mm under each core type OpenBLAS knows and run PyTorch (and OpenBLAS loaded into
cnn4j) under the fastest, unless the user chose one by setting OPENBLAS_CORETYPE.
"""
import os
import subprocess

PYTHON = "/usr/bin/python3"
AUTO = "auto"  # OpenBLAS's own choice: OPENBLAS_CORETYPE unset
CORETYPES = (AUTO, "SKYLAKEX", "COOPERLAKE", "HASWELL", "ZEN")
# The best of ten torch.mm 1024^3 calls on one thread, after three untimed.
MM_PROBE = """
import time, torch
torch.set_num_threads(1)
a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
for _ in range(3): torch.mm(a, b)
best = 0.0
for _ in range(10):
    t = time.perf_counter(); torch.mm(a, b); best = max(best, 2 * 1024**3 / (time.perf_counter() - t) / 1e9)
print(best)
"""


def openblas_env(coretype, base=None):
    """The environment that runs OpenBLAS under this core type (AUTO: its own choice). OPENBLAS_L2_SIZE goes
    too, since it overrides what the core type implies."""
    env = {k: v for k, v in (os.environ if base is None else base).items()
           if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    if coretype != AUTO:
        env["OPENBLAS_CORETYPE"] = coretype
    return env


def probe_coretypes(python=PYTHON):
    """torch.mm's GFLOP/s under each core type, {coretype: GFLOP/s}; a core type whose run fails is left out."""
    measured = {}
    for coretype in CORETYPES:
        done = subprocess.run([python, "-c", MM_PROBE], env=openblas_env(coretype), capture_output=True, text=True)
        try:
            measured[coretype] = round(float(done.stdout.strip()), 1)
        except ValueError:
            continue
    return measured


def fastest(measured):
    """The core type with the most GFLOP/s; AUTO when none was measured, or on a tie with it."""
    return max(measured, key=lambda c: (measured[c], c == AUTO), default=AUTO)


def chosen_coretype(python=PYTHON):
    """The core type to run OpenBLAS under, and what the probe measured ({} when the user chose by setting
    OPENBLAS_CORETYPE, which is then honoured as it is)."""
    if os.environ.get("OPENBLAS_CORETYPE"):
        return os.environ["OPENBLAS_CORETYPE"], {}
    measured = probe_coretypes(python)
    return fastest(measured), measured


def describe_probe(coretype, measured):
    """One line: the core type and why it was chosen."""
    if not measured:
        return f"OpenBLAS core type {coretype}, as OPENBLAS_CORETYPE says"
    each = ", ".join(f"{c} {g:.0f}" for c, g in measured.items())
    return f"OpenBLAS core type {coretype}, the fastest torch.mm 1024^3 on 1 thread (GFLOP/s: {each})"


def table(header, rows):
    """Columns padded to their widest cell, the first left-aligned, the others right-aligned."""
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]

    def line(cells):
        return "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    return "\n".join([line(header), "  ".join("-" * w for w in widths)] + [line(row) for row in rows])
