#!/usr/bin/env python3
"""An independent safetensors writer and checker, written by hand from the format's specification
(huggingface/safetensors README and safetensors/src/tensor.rs), with the standard library and numpy only.

    python3 safetensors_reference.py write DIR    writes DIR/reference.safetensors and
                                                  DIR/reference_expected.json (the values as float32 bits)
    python3 safetensors_reference.py verify FILE  checks FILE as the reference reader would and prints
                                                  its metadata and tensors (float32 bits) as one JSON line

SafeTensorsPythonCrossCheckTest reads the committed reference.safetensors and compares it with
reference_expected.json, and runs `verify` on a file cnn4j wrote (when python3 with numpy is present).
Regenerate the committed files with:

    /usr/bin/python3 safetensors_reference.py write .
"""
import json
import struct
import sys

import numpy as np

MAX_HEADER_SIZE = 100_000_000
DTYPES = {"F64": np.dtype("<f8"), "F32": np.dtype("<f4"), "F16": np.dtype("<f2"), "BF16": None,
          "I64": np.dtype("<i8"), "I32": np.dtype("<i4"), "I16": np.dtype("<i2"), "I8": np.dtype("i1"),
          "U8": np.dtype("u1"), "BOOL": np.dtype("?")}
SIZES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}


def f32(values):
    return np.array(values, dtype="<f4")


def bf16_bytes(values):
    """bfloat16 is the top 16 bits of float32; the values used here are exact in bfloat16."""
    bits = f32(values).view("<u4")
    assert np.all(bits & 0xFFFF == 0), "value not exact in bfloat16"
    return (bits >> 16).astype("<u2").tobytes()


def reference_tensors():
    """(name, dtype, shape, raw little-endian bytes, the float32 a reader must produce), in header order.

    The header order differs from the data order on purpose: readers must follow data_offsets, and
    cnn4j keeps the header's order.
    """
    conv = f32([1.0 / 3.0, -0.0, 1e-40, 3.4e38, -2.5, 0.1, 7.0, -65504.0]).reshape(2, 1, 2, 2)
    bias = f32([0.5, -1.25, 100.0])
    scalar = f32(42.0).reshape(())
    half = np.array([1.0, -0.5, 65504.0, 2.0 ** -24], dtype="<f2").reshape(2, 2)
    brain = [1.0, -3.140625, 2.0 ** 100]
    double = np.array([1.0 / 3.0, -1e-3, 1e-50], dtype="<f8")
    empty = f32([]).reshape(0, 3)
    return [
        ("fc.bias", "F32", [3], bias.tobytes(), bias),
        ("conv.weight", "F32", [2, 1, 2, 2], conv.tobytes(), conv),
        ("half", "F16", [2, 2], half.tobytes(), half.astype("<f4")),
        ("scalar", "F32", [], scalar.tobytes(), scalar),
        ("brain", "BF16", [3], bf16_bytes(brain), f32(brain)),
        ("double", "F64", [3], double.tobytes(), double.astype("<f4")),
        ("empty", "F32", [0, 3], empty.tobytes(), empty),
    ]


METADATA = {"format": "pt", "source": "safetensors_reference.py", "unicode": "\u00fcn\u00efc\u00f8d\u00e9 \u2713"}
DATA_ORDER = ["conv.weight", "fc.bias", "half", "brain", "scalar", "double", "empty"]


def write(directory):
    tensors = reference_tensors()
    by_name = {t[0]: t for t in tensors}
    offsets, data, offset = {}, b"", 0
    for name in DATA_ORDER:
        raw = by_name[name][3]
        offsets[name] = [offset, offset + len(raw)]
        data += raw
        offset += len(raw)
    header = {"__metadata__": METADATA}
    for name, dtype, shape, _, _ in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": offsets[name]}
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(f"{directory}/reference.safetensors", "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)
    expected = {"metadata": METADATA, "tensors": [
        {"name": name, "shape": shape, "float32_bits": [int(b) for b in values.reshape(-1).view("<u4")]}
        for name, _, shape, _, values in tensors]}
    with open(f"{directory}/reference_expected.json", "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False)
        f.write("\n")


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def verify(path):
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        fail("shorter than the 8-byte length field")
    (n,) = struct.unpack("<Q", blob[:8])
    if n > MAX_HEADER_SIZE or 8 + n > len(blob):
        fail(f"bad header length {n} for a file of {len(blob)} bytes")
    raw_header = blob[8:8 + n]
    if not raw_header.startswith(b"{"):
        fail("header does not start with '{'")
    if (8 + n) % 8 != 0:
        fail(f"data starts at byte {8 + n}, not 8-byte aligned")
    pairs = json.loads(raw_header.decode("utf-8"), object_pairs_hook=lambda kv: kv)
    names = [k for k, _ in pairs]
    if len(names) != len(set(names)):
        fail("duplicate key in the header")
    header = dict(pairs)
    metadata = dict(header.pop("__metadata__", []))
    if not all(isinstance(v, str) for v in metadata.values()):
        fail("metadata values must be strings")
    data = blob[8 + n:]
    infos = [(name, dict(info)) for name, info in pairs if name != "__metadata__"]
    covered = 0
    for name, info in sorted(infos, key=lambda kv: tuple(kv[1]["data_offsets"])):
        begin, end = info["data_offsets"]
        if begin != covered or end < begin:
            fail(f"offsets of {name} are not contiguous: {begin} after {covered}")
        count = int(np.prod(info["shape"], dtype=np.int64))
        if count * SIZES[info["dtype"]] != end - begin:
            fail(f"{name}: shape {info['shape']} and dtype {info['dtype']} do not match {end - begin} bytes")
        covered = end
    if covered != len(data):
        fail(f"offsets cover {covered} bytes but the data has {len(data)}")
    out = {"metadata": metadata, "tensors": []}
    for name, info in infos:
        begin, end = info["data_offsets"]
        if info["dtype"] == "BF16":
            values = (np.frombuffer(data[begin:end], "<u2").astype("<u4") << 16).view("<f4")
        else:
            values = np.frombuffer(data[begin:end], DTYPES[info["dtype"]]).astype("<f4")
        out["tensors"].append({"name": name, "dtype": info["dtype"], "shape": info["shape"],
                               "float32_bits": [int(b) for b in values.view("<u4")]})
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("write", "verify"):
        fail(__doc__)
    write(sys.argv[2]) if sys.argv[1] == "write" else verify(sys.argv[2])
