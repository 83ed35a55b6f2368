"""Quantized tensors (``!quant.uniform``) on ``cpu`` and ``interpreter`` against a numpy
reference of the spec's formulas ("Quantized element types" in the StableHLO spec):

    quantize(x)   = convert(clamp(min, round_nearest_even(x / scale) + zp, max), storage)
    dequantize(q) = convert(q - zp, expressed) * scale

with scale, zero point and storage range converted to the expressed type, and every
other op on quantized tensors as dequantize -> op in the expressed type -> quantize.
Per-tensor and per-axis types, several scales, zero points and storage types.
@main takes and returns plain tensors (floats, or the storage integers through
``bitcast_convert``), as the spec's own tests do.
"""

from __future__ import annotations

import numpy as np
import pytest
from quantized_model import QType, floats_around, run, tensor

import hlox
from hlox.backends.base import BackendError

BACKENDS = ("cpu", "interpreter")

PER_TENSOR = [
    QType("i8", [0.5], [-3]),
    QType("i8", [0.1], [-30]),
    QType("u8", [0.02], [100]),
    QType("u8", [1 / 3], [0]),
    QType("i16", [0.001], [7]),
    QType("i4", [0.25], [1]),
    QType("i8n", [0.05], [0]),
    QType("i8", [0.5], [2], expressed="f16"),
    QType("u8", [0.125], [5], expressed="bf16"),
]
PER_AXIS = [
    QType("i8", [0.1, 0.5, 0.02], [-30, -20, 4], axis=0),
    QType("u8", [0.5, 0.25, 1.5, 0.1], [128, 0, 30, 255], axis=1),
    QType("i4", [0.5, 0.125, 1.0], [0, -2, 3], axis=0),
]
SHAPE = (3, 4)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("q", PER_TENSOR + PER_AXIS, ids=lambda q: q.text)
def test_uniform_quantize(q, backend):
    x = floats_around(q, SHAPE, seed=len(q.text))
    text = f"""
func.func @main(%x: {tensor(SHAPE, q.expressed)}) -> {tensor(SHAPE, q.storage)} {{
  %q = stablehlo.uniform_quantize %x : ({tensor(SHAPE, q.expressed)}) -> {tensor(SHAPE, q.text)}
  %s = stablehlo.bitcast_convert %q : ({tensor(SHAPE, q.text)}) -> {tensor(SHAPE, q.storage)}
  return %s : {tensor(SHAPE, q.storage)}
}}"""
    (got,) = run(text, backend, x)
    np.testing.assert_array_equal(got.astype(np.int64), q.quantize(x).astype(np.int64))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("q", PER_TENSOR + PER_AXIS, ids=lambda q: q.text)
def test_uniform_dequantize(q, backend):
    rng = np.random.default_rng(len(q.text))
    # every storage value the range has (a sample of it for i16)
    s = rng.integers(q.low, q.high + 1, size=SHAPE).astype(q.dtype)
    s.flat[0], s.flat[-1] = q.low, q.high
    text = f"""
func.func @main(%s: {tensor(SHAPE, q.storage)}) -> {tensor(SHAPE, q.expressed)} {{
  %q = stablehlo.bitcast_convert %s : ({tensor(SHAPE, q.storage)}) -> {tensor(SHAPE, q.text)}
  %x = stablehlo.uniform_dequantize %q : ({tensor(SHAPE, q.text)}) -> {tensor(SHAPE, q.expressed)}
  return %x : {tensor(SHAPE, q.expressed)}
}}"""
    (got,) = run(text, backend, s)
    np.testing.assert_array_equal(got, q.dequantize(s))


REQUANTIZE = [
    (QType("i8", [0.1], [-30]), QType("i8", [0.5], [-20])),
    (QType("i8", [0.1, 0.5, 0.02], [-30, -20, 4], axis=0),
     QType("i8", [0.1, 0.2, 0.3], [-20, -30, 0], axis=0)),
    (QType("u8", [0.02], [100]), QType("u8", [0.03], [0])),
    (QType("i16", [0.001], [7]), QType("i16", [0.004], [-5])),
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("source,target", REQUANTIZE, ids=lambda q: q.text)
def test_requantize(source, target, backend):
    x = floats_around(source, SHAPE, seed=3)
    text = f"""
func.func @main(%x: {tensor(SHAPE, "f32")}) -> {tensor(SHAPE, target.storage)} {{
  %q = stablehlo.uniform_quantize %x : ({tensor(SHAPE, "f32")}) -> {tensor(SHAPE, source.text)}
  %r = stablehlo.uniform_quantize %q : ({tensor(SHAPE, source.text)}) -> {tensor(SHAPE, target.text)}
  %s = stablehlo.bitcast_convert %r : ({tensor(SHAPE, target.text)}) -> {tensor(SHAPE, target.storage)}
  return %s : {tensor(SHAPE, target.storage)}
}}"""
    (got,) = run(text, backend, x)
    expected = target.quantize(source.dequantize(source.quantize(x)))
    np.testing.assert_array_equal(got.astype(np.int64), expected.astype(np.int64))


# Ops whose float result is correctly rounded (the same on every backend): the
# quantized results must be equal.
EXACT_BINARY = {"add": np.add, "subtract": np.subtract, "multiply": np.multiply,
                "maximum": np.maximum, "minimum": np.minimum}
EXACT_UNARY = {"negate": np.negative, "floor": np.floor, "ceil": np.ceil,
               "round_nearest_even": np.round}
# Ops whose float result may differ by an ulp between libms: a quantized result
# may then fall on the other side of a rounding point, one storage step away.
LIBM_UNARY = {"tanh": np.tanh, "exponential": np.exp, "sine": np.sin}

BINARY_TYPES = [
    (QType("i8", [0.1], [-30]), QType("i8", [0.5], [-20]), QType("i8", [0.5], [-20])),
    (QType("u8", [0.05], [10]), QType("u8", [0.02], [128]), QType("u8", [0.1], [100])),
    (QType("i16", [0.01], [0]), QType("i16", [0.002], [3]), QType("i16", [0.02], [-1])),
    (QType("i4", [0.5], [0]), QType("i4", [0.25], [-1]), QType("i4", [0.5], [1])),
    (QType("i8", [0.1, 0.5, 0.02], [-30, -20, 4], axis=0),
     QType("i8", [0.2, 0.1, 0.05], [0, 5, -5], axis=0),
     QType("i8", [0.3, 0.3, 0.1], [1, 2, 3], axis=0)),
]


def _binary_module(op, a: QType, b: QType, r: QType) -> str:
    f, ta, tb, tr = (tensor(SHAPE, a.expressed), tensor(SHAPE, a.text), tensor(SHAPE, b.text),
                     tensor(SHAPE, r.text))
    return f"""
func.func @main(%x: {f}, %y: {f}) -> {tensor(SHAPE, r.storage)} {{
  %a = stablehlo.uniform_quantize %x : ({f}) -> {ta}
  %b = stablehlo.uniform_quantize %y : ({f}) -> {tb}
  %r = "stablehlo.{op}"(%a, %b) : ({ta}, {tb}) -> {tr}
  %s = stablehlo.bitcast_convert %r : ({tr}) -> {tensor(SHAPE, r.storage)}
  return %s : {tensor(SHAPE, r.storage)}
}}"""


def _unary_module(op, a: QType, r: QType) -> str:
    f, ta, tr = tensor(SHAPE, a.expressed), tensor(SHAPE, a.text), tensor(SHAPE, r.text)
    return f"""
func.func @main(%x: {f}) -> {tensor(SHAPE, r.storage)} {{
  %a = stablehlo.uniform_quantize %x : ({f}) -> {ta}
  %r = "stablehlo.{op}"(%a) : ({ta}) -> {tr}
  %s = stablehlo.bitcast_convert %r : ({tr}) -> {tensor(SHAPE, r.storage)}
  return %s : {tensor(SHAPE, r.storage)}
}}"""


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("types", BINARY_TYPES, ids=lambda t: t[0].text)
@pytest.mark.parametrize("op", sorted(EXACT_BINARY))
def test_binary_ops(op, types, backend):
    a, b, r = types
    x, y = floats_around(a, SHAPE, seed=1), floats_around(b, SHAPE, seed=2)
    (got,) = run(_binary_module(op, a, b, r), backend, x, y)
    computed = EXACT_BINARY[op](a.dequantize(a.quantize(x)), b.dequantize(b.quantize(y)))
    np.testing.assert_array_equal(got.astype(np.int64), r.quantize(computed).astype(np.int64))


UNARY_TYPES = [
    (QType("i8", [0.1], [-30]), QType("i8", [0.05], [3])),
    (QType("u8", [0.04], [128]), QType("u8", [0.01], [100])),
    (QType("i16", [0.001], [0]), QType("i16", [0.0005], [-7])),
    (QType("u8", [0.5, 0.25, 1.5, 0.1], [128, 0, 30, 255], axis=1),
     QType("u8", [0.1, 0.05, 0.2, 0.3], [120, 128, 0, 200], axis=1)),
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("types", UNARY_TYPES, ids=lambda t: t[0].text)
@pytest.mark.parametrize("op", sorted(EXACT_UNARY) + sorted(LIBM_UNARY))
def test_unary_ops(op, types, backend):
    a, r = types
    x = floats_around(a, SHAPE, seed=4)
    if op == "exponential":  # e^x mostly within the result's range
        x = np.random.default_rng(4).uniform(-3, 2, size=SHAPE).astype(a.edtype)
    (got,) = run(_unary_module(op, a, r), backend, x)
    fn = {**EXACT_UNARY, **LIBM_UNARY}[op]
    with np.errstate(over="ignore"):
        expected = r.quantize(fn(a.dequantize(a.quantize(x))).astype(a.edtype)).astype(np.int64)
    steps = np.abs(got.astype(np.int64) - expected)
    if op in EXACT_UNARY:
        np.testing.assert_array_equal(got.astype(np.int64), expected)
    else:
        assert steps.max() <= 1, (got, expected)


def test_cpu_agrees_with_interpreter_on_a_chain():
    """Quantized ops feeding each other (no float in between) and per-axis types."""
    a = QType("i8", [0.1, 0.5, 0.02], [-30, -20, 4], axis=0)
    b = QType("i8", [0.05], [0])
    text = f"""
func.func @main(%x: tensor<3x4xf32>, %y: tensor<3x4xf32>) -> tensor<3x4xf32> {{
  %a = stablehlo.uniform_quantize %x : (tensor<3x4xf32>) -> tensor<3x4x{a.text}>
  %b = stablehlo.uniform_quantize %a : (tensor<3x4x{a.text}>) -> tensor<3x4x{b.text}>
  %c = stablehlo.uniform_quantize %y : (tensor<3x4xf32>) -> tensor<3x4x{b.text}>
  %d = stablehlo.multiply %b, %c : tensor<3x4x{b.text}>
  %e = stablehlo.negate %d : tensor<3x4x{b.text}>
  %f = stablehlo.uniform_dequantize %e : (tensor<3x4x{b.text}>) -> tensor<3x4xf32>
  return %f : tensor<3x4xf32>
}}"""
    x = floats_around(a, SHAPE, seed=5)
    y = floats_around(b, SHAPE, seed=6)
    cpu, = run(text, "cpu", x, y)
    interpreter, = run(text, "interpreter", x, y)
    requantized = b.quantize(a.dequantize(a.quantize(x)))
    product = b.quantize(b.dequantize(requantized) * b.dequantize(b.quantize(y)))
    expected = b.dequantize(b.quantize(-b.dequantize(product)))
    np.testing.assert_array_equal(cpu, expected)
    np.testing.assert_array_equal(interpreter, expected)


@pytest.mark.parametrize("backend", BACKENDS)
def test_quantized_arguments_are_refused(backend):
    q = "!quant.uniform<i8:f32, 0.5:-3>"
    text = f"""
func.func @main(%a: tensor<4x{q}>) -> tensor<4xf32> {{
  %x = stablehlo.uniform_dequantize %a : (tensor<4x{q}>) -> tensor<4xf32>
  return %x : tensor<4xf32>
}}"""
    with pytest.raises(BackendError, match=r"@main takes or returns the quantized type .*quant\.uniform<i8:f32"):
        hlox.compile_stablehlo(text, backend=backend)


def test_quantized_operand_where_the_spec_has_none_is_refused():
    q = "!quant.uniform<i8:f32, 0.5:-3>"
    text = f"""
func.func @main(%x: tensor<4xf32>) -> tensor<4xi8> {{
  %a = stablehlo.uniform_quantize %x : (tensor<4xf32>) -> tensor<4x{q}>
  %b = stablehlo.and %a, %a : tensor<4x{q}>
  %s = stablehlo.bitcast_convert %b : (tensor<4x{q}>) -> tensor<4xi8>
  return %s : tensor<4xi8>
}}"""
    for backend in BACKENDS:
        with pytest.raises(BackendError, match="'stablehlo.and' op operand #0 must be .*quant"):
            hlox.compile_stablehlo(text, backend=backend)


def test_cpu_refuses_a_quantized_function_boundary_naming_op_and_type():
    """A private function over quantized tensors: the interpreter computes it, cpu's
    lowering refuses it (it rewrites no signature) with the op and the type."""
    q = "!quant.uniform<i8:f32, 0.5:-3>"
    text = f"""
func.func private @twice(%a: tensor<4x{q}>) -> tensor<4x{q}> {{
  %b = stablehlo.add %a, %a : tensor<4x{q}>
  return %b : tensor<4x{q}>
}}
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {{
  %a = stablehlo.uniform_quantize %x : (tensor<4xf32>) -> tensor<4x{q}>
  %b = func.call @twice(%a) : (tensor<4x{q}>) -> tensor<4x{q}>
  %y = stablehlo.uniform_dequantize %b : (tensor<4x{q}>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}}"""
    with pytest.raises(BackendError, match=r"hlox-stablehlo-lower-quantized: 'func\.\w+' on "
                                           r"quantized type tensor<4x!quant\.uniform<i8:f32"):
        hlox.compile_stablehlo(text, backend="cpu")
    x = np.array([1.0, -2.25, 30.0, 70.0], np.float32)
    q_ = QType("i8", [0.5], [-3])
    a = q_.dequantize(q_.quantize(x))
    (got,) = run(text, "interpreter", x)
    np.testing.assert_array_equal(got, q_.dequantize(q_.quantize(a + a)))


SELECT_TYPES = [
    (QType("i8", [0.1], [-30]), QType("i8", [0.5], [-20]), QType("i8", [0.25], [3])),
    (QType("u8", [0.02], [100]), QType("u8", [0.02], [100]), QType("u8", [0.02], [100])),
    (QType("i4", [0.5], [0], expressed="f16"), QType("i4", [0.25], [-1], expressed="f16"),
     QType("i4", [0.5], [1], expressed="f16")),
    (QType("i16", [0.001], [7]), QType("i16", [0.004], [-5]), QType("i16", [0.002], [0])),
    # (bf16 holds no i16 storage bound exactly: 32767 becomes 32768, whose
    # conversion to i16 the spec leaves to the implementation)
    (QType("u8", [0.125], [5], expressed="bf16"), QType("u8", [0.25], [0], expressed="bf16"),
     QType("u8", [0.0625], [128], expressed="bf16")),
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("types", SELECT_TYPES, ids=lambda t: t[0].text)
def test_select(types, backend):
    """select: dequantize -> select -> quantize into the result's type."""
    a, b, r = types
    f, ta, tb, tr = (tensor(SHAPE, a.expressed), tensor(SHAPE, a.text), tensor(SHAPE, b.text),
                     tensor(SHAPE, r.text))
    text = f"""
func.func @main(%p: {tensor(SHAPE, "i1")}, %x: {f}, %y: {f}) -> {tensor(SHAPE, r.storage)} {{
  %a = stablehlo.uniform_quantize %x : ({f}) -> {ta}
  %b = stablehlo.uniform_quantize %y : ({f}) -> {tb}
  %r = stablehlo.select %p, %a, %b : ({tensor(SHAPE, "i1")}, {ta}, {tb}) -> {tr}
  %s = stablehlo.bitcast_convert %r : ({tr}) -> {tensor(SHAPE, r.storage)}
  return %s : {tensor(SHAPE, r.storage)}
}}"""
    x, y = floats_around(a, SHAPE, seed=7), floats_around(b, SHAPE, seed=8)
    p = np.random.default_rng(9).random(SHAPE) < 0.5
    (got,) = run(text, backend, p, x, y)
    chosen = np.where(p, a.dequantize(a.quantize(x)), b.dequantize(b.quantize(y)))
    np.testing.assert_array_equal(got.astype(np.int64), r.quantize(chosen).astype(np.int64))
