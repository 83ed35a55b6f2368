"""Differential sweep (issue 13, item 2): every elementwise, compare and convert
op on every element type, on edge values, ``cpu`` against the ``interpreter``.

One module per element type holds every op the verifier accepts for it, applied
to all pairs of the type's edge values (0, -0, +-1, min, max, NaN, +-inf,
subnormals, ...); converts go to and from every other type. Ops the cpu
backend refuses at compile time (a clean error naming the op) are dropped
from the module one by one and counted; everything else must agree with the
interpreter: bit for bit for exact ops (integer ops, +, -, *, /, sqrt,
comparisons, rounding, converts, min/max, ...), to a few ulps for
transcendental functions (both use different approximations), and with the
same NaN/infinity/zero classes everywhere.
"""

from __future__ import annotations

import itertools
import re

import ml_dtypes
import numpy as np
import pytest

import hlox
from hlox.backends.compiler import CompilationError
from hlox.backends.interpreter.attributes import dtype_of
from hlox.dialects import make_context
from mlir import ir

INTS = ["i1", "i2", "i4", "i8", "i16", "i32", "i64", "ui2", "ui4", "ui8", "ui16", "ui32", "ui64"]
FLOATS = ["f16", "bf16", "f32", "f64"]
COMPLEX = ["complex<f32>", "complex<f64>"]
TYPES = INTS + FLOATS + COMPLEX

BINARY = ["add", "subtract", "multiply", "divide", "remainder", "maximum", "minimum", "power",
          "atan2", "and", "or", "xor", "shift_left", "shift_right_logical",
          "shift_right_arithmetic"]
UNARY = ["abs", "negate", "sign", "not", "exponential", "exponential_minus_one", "log",
         "log_plus_one", "logistic", "sqrt", "rsqrt", "cbrt", "sine", "cosine", "tan", "tanh",
         "floor", "ceil", "round_nearest_even", "round_nearest_afz", "is_finite", "popcnt",
         "count_leading_zeros", "real", "imag"]
DIRECTIONS = ["EQ", "NE", "LT", "LE", "GT", "GE"]
# Results computed with an approximation on at least one side (ulps allowed).
APPROXIMATE = {"power", "atan2", "exponential", "exponential_minus_one", "log", "log_plus_one",
               "logistic", "rsqrt", "cbrt", "sine", "cosine", "tan", "tanh"}


def edge_values(name):
    dtype = np.dtype(dtype_of(name))
    if dtype == np.bool_:
        return np.array([False, True])
    if dtype.kind in "iu" or "int" in dtype.name:
        info = ml_dtypes.iinfo(dtype)
        lo, hi = int(info.min), int(info.max)
        values = {lo, hi, 0, 1, 2, 3, 7, lo + 1, hi - 1, hi // 2, -1, -2, -7}
        kept = sorted(v for v in values if lo <= v <= hi)
        return np.array(kept, dtype) if dtype.kind in "iu" else np.array(kept).astype(dtype)
    part = np.dtype(np.float32 if dtype == np.complex64 else np.float64) if dtype.kind == "c" \
        else dtype
    info = ml_dtypes.finfo(part)
    # 1e-39 and -3e-5 are subnormal in bfloat16 and float16 (converts)
    reals = [0.0, -0.0, 1.0, -1.0, 0.5, 2.5, -2.5, 3.7, 1e-39, -3e-5, float(info.max),
             -float(info.max), float(info.tiny), float(info.smallest_subnormal),
             -float(info.smallest_subnormal), np.inf, -np.inf, np.nan]
    if dtype.kind != "c":
        return np.array(reals, np.float64).astype(dtype)
    few = [0.0, -0.0, 1.0, -2.5, float(info.max), float(info.tiny), np.inf, np.nan]
    return np.array([complex(a, b) for a, b in itertools.product(few, few)], dtype)


def verifies(line, args):
    text = f"func.func @f({args}) {{\n  {line}\n  return\n}}"
    try:
        with make_context():
            ir.Module.parse(text).operation.verify()
        return True
    except ir.MLIRError:
        return False


def candidate_ops(name, n):
    """(op name, line, result type) for every op the verifier accepts on ``name``."""
    t, b = f"tensor<{n}x{name}>", f"tensor<{n}xi1>"
    args = f"%x: {t}, %y: {t}, %p: {b}"
    kind = "UNSIGNED" if name.startswith("ui") or name == "i1" else (
        "SIGNED" if name.startswith("i") else "FLOAT")
    ops = []
    for op in BINARY:
        ops.append((op, f"stablehlo.{op} %x, %y : {t}", t))
    for op in UNARY:
        part = {"complex<f32>": "f32", "complex<f64>": "f64"}.get(name, name)
        result = f"tensor<{n}x{part}>" if op in ("real", "imag", "abs") and name in COMPLEX \
            else (b if op == "is_finite" else t)
        ops.append((op, f"stablehlo.{op} %x : ({t}) -> {result}"
                    if result != t else f"stablehlo.{op} %x : {t}", result))
    for d in DIRECTIONS:
        for k in ([kind, "TOTALORDER"] if kind == "FLOAT" else [kind]):
            ops.append((f"compare_{d}_{k}",
                        f"stablehlo.compare {d}, %x, %y, {k} : ({t}, {t}) -> {b}", b))
    ops.append(("select", f"stablehlo.select %p, %x, %y : {b}, {t}", t))
    ops.append(("clamp", f"stablehlo.clamp %y, %x, %y : {t}", t))
    for other in TYPES:
        if other != name:
            o = f"tensor<{n}x{other}>"
            ops.append((f"convert_to_{other}", f"stablehlo.convert %x : ({t}) -> {o}", o))
    return [(op, line, r) for op, line, r in ops if verifies(f"%r = {line}", args)]


def module(name, n, ops):
    t, b = f"tensor<{n}x{name}>", f"tensor<{n}xi1>"
    lines = [f"  %r{k} = {line}" for k, (_, line, _) in enumerate(ops)]
    results = [r for _, _, r in ops]
    return (f"func.func @main(%x: {t}, %y: {t}, %p: {b}) -> ({', '.join(results)}) {{\n"
            + "\n".join(lines) + f"\n  return {', '.join(f'%r{k}' for k in range(len(ops)))} : "
            f"{', '.join(results)}\n}}\n")


def compile_dropping_refusals(name, n, ops):
    """The cpu executable of the ops it accepts, and the names of those it refuses."""
    refused = []
    while True:
        text = module(name, n, ops)
        try:
            return hlox.compile_stablehlo(text, backend="cpu"), text, ops, refused
        except CompilationError as error:
            # "-:LINE:...: error: ... 'stablehlo.op' ...": line k + 2 holds ops[k]
            lines = {int(m) - 2 for m in re.findall(r"-:(\d+):(?:\d+:)? error", str(error))}
            assert lines and all(0 <= k < len(ops) for k in lines), \
                f"{name}: a refusal that names no op: {error}"
            refused += [ops[k][0] for k in sorted(lines)]
            ops = [op for k, op in enumerate(ops) if k not in lines]


def classes(x):
    f = x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)
    parts = [f.real, f.imag] if x.dtype.kind == "c" else [f]
    return [(np.isnan(p), np.where(np.isinf(p), np.sign(p), 0), p == 0) for p in parts]


def agree(got, want, approximate):
    """Per-element agreement of cpu and interpreter results."""
    if got.dtype.kind in "biu" or "int" in got.dtype.name:
        return got == want
    ok = np.ones(got.shape, bool)
    for (gn, gi, gz), (wn, wi, wz) in zip(classes(got), classes(want)):
        ok &= (gn == wn) & (gi == wi)
        if not approximate:
            ok &= gz == wz
    wide = np.complex128 if got.dtype.kind == "c" else np.float64
    g, w = got.astype(wide), want.astype(wide)
    part = np.finfo(np.float32 if got.dtype == np.complex64 else np.float64).eps \
        if got.dtype.kind == "c" else float(ml_dtypes.finfo(got.dtype).eps)
    finite = np.isfinite(w) & np.isfinite(g)
    if approximate:
        with np.errstate(all="ignore"):
            close = np.abs(g - w) <= 8 * part * np.maximum(np.abs(w), 1e-30) + 1e-30
    else:
        close = (g == w) | (np.isnan(g) & np.isnan(w)) if got.dtype.kind == "c" else \
            ((g == w) & (np.signbit(g) == np.signbit(w))) | (np.isnan(g) & np.isnan(w))
    return ok & (close | ~finite)


COUNTS: dict[str, tuple[int, int, int]] = {}


# Complex ops whose results the spec leaves open at special inputs, where
# implementations disagree: parts that are infinite, NaN or large enough to
# overflow a formula's intermediates (exactly, (-2.5-2.5j)*(max+maxj) is
# 0-inf*j; cpu's formula, MLIR's complex-to-standard, gives nan-inf*j, NumPy and
# XLA inf-inf*j), power's pole at base 0 (inf+nan*j on cpu, nan+nan*j in NumPy),
# and atan2 at a zero or tiny lhs: results near 0, which the spec's formula
# -i log((x + iy) / sqrt(x^2 + y^2)) gets to within an ulp of the ratio's parts,
# not of the result. (atan2's real part is an angle, compared modulo 2 pi: on
# its branch cut either +pi or -pi comes out, by the sign of a zero.)
# Everywhere else these ops are compared as strictly as the others.
COMPLEX_OPEN_AT_SPECIAL_INPUTS = {"multiply", "power", "atan2", "rsqrt", "cbrt"}


def specified_inputs(op, x, y):
    """Where the spec defines ``op``'s complex result: regular finite operands."""
    limit = np.sqrt(np.finfo(x.real.dtype).max) / 4
    regular = [np.isfinite(v) & (np.abs(v.real) < limit) & (np.abs(v.imag) < limit)
               for v in (x, y)]
    keep = regular[0] & (regular[1] if op in ("multiply", "power", "atan2") else True)
    if op == "power":
        keep &= x != 0
    if op == "atan2":
        keep &= np.abs(x) >= np.sqrt(np.finfo(x.real.dtype).tiny)
    return keep


def same_angle(got, want):
    """``got`` with its real parts moved by 2 pi where that makes them ``want``'s."""
    turn = 2 * np.pi
    with np.errstate(invalid="ignore"):
        shifted = got.real - turn * np.round((got.real - want.real) / turn)
        moved = got.copy()
        moved.real = np.where(np.isfinite(shifted), shifted, got.real)
    return moved


@pytest.mark.parametrize("name", TYPES)
def test_cpu_agrees_with_the_interpreter(name):
    values = edge_values(name)
    x, y = (np.array(v, values.dtype) for v in zip(*itertools.product(values, values)))
    n = x.size
    p = np.arange(n) % 3 == 0
    ops = candidate_ops(name, n)
    run, text, ops, refused = compile_dropping_refusals(name, n, ops)
    got = [np.asarray(r) for r in run(x, y, p)]
    want = [np.asarray(r) for r in hlox.compile_stablehlo(text, backend="interpreter")(x, y, p)]
    wrong = []
    for (op, line, _), g, w in zip(ops, got, want):
        # complex abs/sqrt/divide/sign: hypot and scalings differ in the last ulp
        approximate = op in APPROXIMATE or (name in COMPLEX and op in ("abs", "sqrt", "divide",
                                                                       "sign"))
        if name in COMPLEX and op == "atan2":
            g = same_angle(g, w)
        ok = agree(np.asarray(g), np.asarray(w), approximate)
        if name in COMPLEX and op in COMPLEX_OPEN_AT_SPECIAL_INPUTS:
            ok |= ~specified_inputs(op, x, y)
        if not ok.all():
            bad = np.flatnonzero(~ok)[:3]
            wrong.append(f"{op}: {int((~ok).sum())}/{n} differ, e.g. "
                         + ", ".join(f"({x[i]}, {y[i]}) -> {g[i]} vs {w[i]}" for i in bad))
    COUNTS[name] = (len(ops) * n, len(refused), len(wrong))
    print(f"{name}: {len(ops)} ops x {n} cases, refused {refused}, {len(wrong)} ops wrong")
    assert not wrong, "\n".join(wrong)
