"""int4/uint4/int2/uint2 on ``cpu`` against the interpreter (issue 13).

The compiled code read memref<Nxi4> as packed nibbles while hlox passes
ml_dtypes arrays (one element per byte), and i2/ui2 aborted the process in
MemRefToLLVM: hlox-widen-sub-byte-memrefs stores them as bytes (as i1). Every
elementwise op and convert on every pair of values of each type runs in one
module per type, on cpu and on the interpreter, and must agree bit for bit.
"""

from __future__ import annotations

import itertools

import ml_dtypes
import numpy as np
import pytest

import hlox
from hlox.backends.interpreter.attributes import dtype_of

TYPES = {"i4": ml_dtypes.int4, "ui4": ml_dtypes.uint4, "i2": ml_dtypes.int2,
         "ui2": ml_dtypes.uint2}

BINARY = ["add", "subtract", "multiply", "divide", "remainder", "maximum", "minimum", "and",
          "or", "xor", "shift_left", "shift_right_logical", "shift_right_arithmetic", "power"]
UNARY = ["not", "negate", "abs", "sign", "popcnt", "count_leading_zeros"]
SIGNED_ONLY = {"abs", "sign"}
DIRECTIONS = ["EQ", "NE", "LT", "LE", "GT", "GE"]
# Converts to and from these (and between the narrow types themselves).
OTHERS = ["i1", "i8", "ui8", "i32", "ui32", "i64", "f16", "bf16", "f32", "f64"] + list(TYPES)
FLOAT_EDGES = [0.0, -0.0, 0.5, -0.5, 1.5, -2.5, 3.0, 7.9, -8.5, 15.5, 100.0, -100.0, np.inf,
               -np.inf, np.nan]


def all_pairs(dtype):
    info = ml_dtypes.iinfo(dtype)
    values = np.arange(int(info.min), int(info.max) + 1)
    x, y = zip(*itertools.product(values, values))
    return np.array(x).astype(dtype), np.array(y).astype(dtype)


def other_values(name, n):
    """``n`` values of element type ``name`` covering its edges (and the narrow ranges)."""
    dtype = dtype_of(name)
    if dtype.kind == "f" or dtype == np.dtype(ml_dtypes.bfloat16):
        base = np.array(FLOAT_EDGES, np.float64)
    elif dtype == np.bool_:
        base = np.array([0, 1])
    else:
        info = ml_dtypes.iinfo(dtype)
        base = np.array(sorted({int(info.min), int(info.max), 0, 1, -1 % (int(info.max) + 1),
                                2, 3, 7, 8, 15, 16, -8, -9, 127, -128, 255}), np.int64)
        base = base[(base >= int(info.min)) & (base <= int(info.max))]
    with np.errstate(all="ignore"):
        return np.resize(base, n).astype(dtype)


def module(name, n):
    t = f"tensor<{n}x{name}>"
    b = f"tensor<{n}xi1>"
    signed = "SIGNED" if not name.startswith("u") else "UNSIGNED"
    lines, results = [], []

    def emit(expr, type_):
        lines.append(f"  %r{len(results)} = {expr}")
        results.append(type_)

    for op in BINARY:
        emit(f"stablehlo.{op} %x, %y : {t}", t)
    for op in UNARY:
        if op in SIGNED_ONLY and name.startswith("u"):
            continue
        emit(f"stablehlo.{op} %x : {t}", t)
    for d in DIRECTIONS:
        emit(f"stablehlo.compare {d}, %x, %y, {signed} : ({t}, {t}) -> {b}", b)
    emit(f"stablehlo.select %p, %x, %y : {b}, {t}", t)
    emit(f"stablehlo.clamp %y, %x, %y : {t}", t)
    args = [f"%x: {t}", f"%y: {t}", f"%p: {b}"]
    for k, other in enumerate(OTHERS):
        if other == name:
            continue
        o = f"tensor<{n}x{other}>"
        emit(f"stablehlo.convert %x : ({t}) -> {o}", o)
        args.append(f"%o{k}: {o}")
        emit(f"stablehlo.convert %o{k} : ({o}) -> {t}", t)
    body = "\n".join(lines)
    returns = ", ".join(f"%r{i}" for i in range(len(results)))
    return (f"func.func @main({', '.join(args)}) -> ({', '.join(results)}) {{\n{body}\n"
            f"  return {returns} : {', '.join(results)}\n}}\n")


@pytest.mark.parametrize("name", sorted(TYPES))
def test_every_elementwise_op_and_convert_matches_the_interpreter(name):
    x, y = all_pairs(TYPES[name])
    n = x.size
    p = (np.arange(n) % 3 == 0)
    others = [other_values(o, n) for o in OTHERS if o != name]
    text = module(name, n)
    args = [x, y, p, *others]
    got = [np.asarray(r) for r in hlox.compile_stablehlo(text, backend="cpu")(*args)]
    want = [np.asarray(r) for r in hlox.compile_stablehlo(text, backend="interpreter")(*args)]
    assert len(got) == len(want)
    wrong = []
    for k, (g, w) in enumerate(zip(got, want)):
        assert g.dtype == w.dtype and g.shape == w.shape
        same = (g == w) | (np.isnan(g.astype(np.float64)) & np.isnan(w.astype(np.float64)))
        if w.dtype.kind == "f" or w.dtype == np.dtype(ml_dtypes.bfloat16):
            same &= np.signbit(g.astype(np.float64)) == np.signbit(w.astype(np.float64))
        if not same.all():
            line = text.splitlines()[1 + k].strip()
            wrong.append(f"{line}: {int((~same).sum())} of {n} differ, e.g. "
                         f"{g[~same][:3]} != {w[~same][:3]}")
    assert not wrong, "\n".join(wrong)
