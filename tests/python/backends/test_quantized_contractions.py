"""Quantized ``dot_general`` and ``convolution`` on ``cpu`` and ``interpreter``
against the numpy model of the spec (quantized_model.py):

- fully quantized (lhs, rhs and result quantized): ``dequantize_op_quantize``, the
  float op on the dequantized operands, its result quantized into the result type
  (per-tensor, or per-axis along an output dimension);
- hybrid (float lhs, quantized rhs, float result): ``hybrid_dequantize_then_op``, the
  float op on lhs and the dequantized rhs.

The float op is summed in the expressed type, in an order each backend chooses. The
operands are chosen so that every product and partial sum is exact in the expressed
type (power-of-two scales, small storage values), so the float result is the exact
one (numpy's, in float64) and the quantized results must be equal. One case with
arbitrary scales allows one storage step: a sum rounded differently may fall on the
other side of a rounding point.
"""

from __future__ import annotations

import numpy as np
import pytest
from quantized_model import EXPRESSED, QType, run, storage_values, tensor

BACKENDS = ("cpu", "interpreter")


class Operand:
    """A quantized operand (its storage integers in [low, high] are bitcast) or,
    for a hybrid lhs, a float operand of small multiples of ``unit``."""

    def __init__(self, shape, q: QType | None = None, low=None, high=None, expressed="f32",
                 unit=0.25):
        self.shape, self.q, self.low, self.high = tuple(shape), q, low, high
        self.expressed = q.expressed if q else expressed
        self.unit = unit

    def value(self, seed: int) -> np.ndarray:
        if self.q:
            return storage_values(self.q, self.shape, seed, self.low, self.high)
        k = np.random.default_rng(seed).integers(-12, 13, size=self.shape)
        return (k * self.unit).astype(EXPRESSED[self.expressed])

    def argument_type(self) -> str:
        return tensor(self.shape, self.q.storage if self.q else self.expressed)

    def type(self) -> str:
        return tensor(self.shape, self.q.text if self.q else self.expressed)

    def floats(self, value: np.ndarray) -> np.ndarray:
        return self.q.dequantize(value) if self.q else value


def _module(op_text: str, lhs: Operand, rhs: Operand, result_shape, result: QType | None,
            expressed: str) -> str:
    lines = [f"%{name} = stablehlo.bitcast_convert %{name}s : ({o.argument_type()}) -> {o.type()}"
             for name, o in (("a", lhs), ("b", rhs)) if o.q]
    argument = "%as" if lhs.q else "%a"  # a float lhs is used as it is
    rtype = tensor(result_shape, result.text if result else expressed)
    out = tensor(result_shape, result.storage if result else expressed)
    lines.append(f"%r = {op_text} : ({lhs.type()}, {rhs.type()}) -> {rtype}")
    if result:
        lines.append(f"%s = stablehlo.bitcast_convert %r : ({rtype}) -> {out}")
    body = "\n  ".join(lines)
    return f"""
func.func @main({argument}: {lhs.argument_type()}, %bs: {rhs.argument_type()}) -> {out} {{
  {body}
  return {'%s' if result else '%r'} : {out}
}}"""


def _check(text, backend, lhs: Operand, rhs: Operand, result: QType | None, exact_float,
           seed: int, steps: int = 0):
    a, b = lhs.value(seed), rhs.value(seed + 1)
    (got,) = run(text, backend, a, b)
    exact = exact_float(lhs.floats(a).astype(np.float64), rhs.floats(b).astype(np.float64))
    computed = exact.astype(rhs.q.edtype)
    if not steps:
        assert np.array_equal(computed.astype(np.float64), exact), \
            "the test's premise: the float result is exact in the expressed type"
    if result is None:
        np.testing.assert_array_equal(got, computed)
        return
    expected = result.quantize(computed).astype(np.int64)
    difference = np.abs(got.astype(np.int64) - expected)
    assert difference.max() <= steps, (got, expected)


def _dot_general(lhs, rhs, lb, rb, lc, rc):
    """numpy's dot_general: batch dims, lhs's free dims, rhs's free dims."""
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    ls = [next(letters) for _ in range(lhs.ndim)]
    rs = [next(letters) for _ in range(rhs.ndim)]
    for i, j in zip(lb + lc, rb + rc):
        rs[j] = ls[i]
    out = ([ls[i] for i in lb] + [x for i, x in enumerate(ls) if i not in lb + lc]
           + [x for j, x in enumerate(rs) if j not in rb + rc])
    return np.einsum(f"{''.join(ls)},{''.join(rs)}->{''.join(out)}", lhs, rhs)


def _dot_result_shape(lhs_shape, rhs_shape, lb, rb, lc, rc):
    return ([lhs_shape[i] for i in lb] + [d for i, d in enumerate(lhs_shape) if i not in lb + lc]
            + [d for j, d in enumerate(rhs_shape) if j not in rb + rc])


def _i8(scale, zp=0, **kw):
    return QType("i8", [scale], [zp], **kw)


# (lhs, rhs, (lhs_batching, rhs_batching, lhs_contracting, rhs_contracting), result)
DOT_CASES = {
    "matmul_i8": (Operand((2, 3), _i8(0.5, -3)), Operand((3, 4), _i8(0.25)),
                  ([], [], [1], [0]), _i8(2.0, 5)),
    "matmul_i8_to_i32": (Operand((4, 8), _i8(0.5, 2)), Operand((8, 3), _i8(0.125)),
                         ([], [], [1], [0]), QType("i32", [0.0625], [0])),
    "per_axis_rhs_and_result": (
        Operand((3, 5), _i8(0.25, -1)),
        Operand((5, 4), QType("i8", [0.5, 0.25, 1.0, 0.125], [0, 0, 0, 0], axis=1)),
        ([], [], [1], [0]), QType("i8", [4.0, 2.0, 8.0, 1.0], [0, 3, -3, 10], axis=1)),
    "per_axis_rhs_per_tensor_result": (
        Operand((2, 6), _i8(0.5)),
        Operand((6, 3), QType("i8", [0.5, 0.25, 2.0], [0, 0, 0], axis=1)),
        ([], [], [1], [0]), _i8(4.0, -7)),
    "batched_u8": (Operand((2, 3, 5), QType("u8", [0.25], [128])),
                   Operand((2, 5, 4), QType("u8", [0.5], [0])),
                   ([0], [0], [2], [1]), QType("u8", [8.0], [100])),
    "transposed_operands_per_axis": (
        Operand((5, 3), _i8(0.5, 4)),
        Operand((4, 5), QType("i8", [1.0, 0.5, 0.25, 2.0], [0, 0, 0, 0], axis=0)),
        ([], [], [0], [1]), QType("i8", [2.0, 4.0, 1.0, 8.0], [1, 2, 3, 4], axis=1)),
    "two_contracting_dims_i16": (
        Operand((2, 3, 4), QType("i16", [0.125], [7]), -300, 300),
        Operand((3, 4, 5), QType("i16", [0.25], [0]), -300, 300),
        ([], [], [1, 2], [0, 1]), QType("i16", [16.0], [-2])),
    "i4_to_i8": (Operand((3, 4), QType("i4", [0.5], [1])), Operand((4, 2), QType("i4", [0.25], [0])),
                 ([], [], [1], [0]), _i8(0.125, 0)),
    "i4_f16": (Operand((2, 3), QType("i4", [0.5], [1], expressed="f16")),
               Operand((3, 2), QType("i4", [0.25], [0], expressed="f16")),
               ([], [], [1], [0]), QType("i8", [0.25], [-4], expressed="f16")),
    "i4_bf16_per_axis": (Operand((2, 3), QType("i4", [0.5], [0], expressed="bf16")),
                         Operand((3, 2), QType("i4", [0.25, 0.5], [0, 0], axis=1,
                                               expressed="bf16")),
                         ([], [], [1], [0]), QType("i8", [0.25], [3], expressed="bf16")),
    "batched_per_axis_on_batch_dim": (
        Operand((3, 2, 4), _i8(0.25)),
        Operand((3, 4, 2), QType("i8", [0.5, 1.0, 0.25], [0, 0, 0], axis=0)),
        ([0], [0], [2], [1]), QType("i8", [2.0, 1.0, 4.0], [0, 1, -1], axis=0)),
    "hybrid_f32": (Operand((3, 4)), Operand((4, 5), _i8(0.5)), ([], [], [1], [0]), None),
    "hybrid_f32_per_axis": (Operand((2, 3, 4)),
                            Operand((2, 4, 3), QType("i8", [0.25, 0.5, 1.0], [0, 0, 0], axis=2)),
                            ([0], [0], [2], [1]), None),
    "hybrid_bf16_i4": (Operand((2, 3), expressed="bf16", unit=0.5),
                       Operand((3, 2), QType("i4", [0.5], [0], expressed="bf16")),
                       ([], [], [1], [0]), None),
    "hybrid_f16_u8": (Operand((2, 3), expressed="f16", unit=0.25),
                      Operand((3, 4), QType("u8", [0.125], [0], expressed="f16"), 0, 40),
                      ([], [], [1], [0]), None),
}


def _dot_text(dims) -> str:
    lb, rb, lc, rc = dims
    batching = f"batching_dims = {lb} x {rb}, " if lb else ""
    return f"stablehlo.dot_general %a, %b, {batching}contracting_dims = {lc} x {rc}"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", sorted(DOT_CASES))
def test_dot_general(case, backend):
    lhs, rhs, dims, result = DOT_CASES[case]
    shape = _dot_result_shape(lhs.shape, rhs.shape, *dims)
    text = _module(_dot_text(dims), lhs, rhs, shape, result, rhs.q.expressed)
    _check(text, backend, lhs, rhs, result, lambda a, b: _dot_general(a, b, *dims),
           seed=len(case))


@pytest.mark.parametrize("backend", BACKENDS)
def test_dot_general_with_arbitrary_scales(backend):
    lhs, rhs = Operand((4, 16), _i8(0.1, -30)), Operand((16, 3), _i8(0.03))
    result, dims = _i8(0.7, 11), ([], [], [1], [0])
    text = _module(_dot_text(dims), lhs, rhs, [4, 3], result, "f32")
    _check(text, backend, lhs, rhs, result, lambda a, b: _dot_general(a, b, *dims),
           seed=9, steps=1)


def _convolution(x, w, strides, padding, groups):
    """numpy's convolution of [b, 0, 1, f] x [0, 1, i, o] -> [b, 0, 1, f]."""
    x = np.pad(x, [(0, 0), *padding, (0, 0)])
    kh, kw, cin, cout = w.shape
    oh = (x.shape[1] - kh) // strides[0] + 1
    ow = (x.shape[2] - kw) // strides[1] + 1
    out = np.zeros((x.shape[0], oh, ow, cout))
    per_group = cout // groups
    for i in range(oh):
        for j in range(ow):
            window = x[:, i * strides[0]:i * strides[0] + kh, j * strides[1]:j * strides[1] + kw]
            for g in range(groups):
                o = slice(g * per_group, (g + 1) * per_group)
                out[:, i, j, o] = np.einsum("bhwc,hwco->bo",
                                            window[..., g * cin:(g + 1) * cin], w[..., o])
    return out


# (lhs [b, 0, 1, f], rhs [0, 1, i, o], strides, padding, feature_group_count, result)
CONV_CASES = {
    "i8": (Operand((1, 5, 5, 2), _i8(0.5, -3)), Operand((3, 3, 2, 3), _i8(0.25)),
           (1, 1), [(0, 0), (0, 0)], 1, _i8(4.0, 2)),
    "per_axis_strided_padded": (
        Operand((2, 6, 6, 2), _i8(0.25, 1)),
        Operand((3, 3, 2, 4), QType("i8", [0.5, 0.25, 1.0, 0.125], [0, 0, 0, 0], axis=3)),
        (2, 2), [(1, 1), (1, 1)], 1,
        QType("i8", [2.0, 1.0, 4.0, 0.5], [0, -5, 5, 1], axis=3)),
    "per_axis_rhs_per_tensor_result": (
        Operand((1, 4, 4, 3), _i8(0.5)),
        Operand((2, 2, 3, 2), QType("i8", [0.5, 0.25], [0, 0], axis=3)),
        (1, 1), [(0, 1), (1, 0)], 1, _i8(4.0)),
    "feature_groups_u8": (Operand((2, 4, 4, 4), QType("u8", [0.25], [100])),
                          Operand((2, 2, 2, 4), QType("u8", [0.5], [0])),
                          (1, 1), [(0, 0), (0, 0)], 2, QType("u8", [4.0], [20])),
    "i4_f16": (Operand((1, 3, 3, 1), QType("i4", [0.5], [-1], expressed="f16")),
               Operand((2, 2, 1, 2), QType("i4", [0.25], [0], expressed="f16")),
               (1, 1), [(0, 0), (0, 0)], 1, QType("i8", [0.125], [0], expressed="f16")),
    "i16_to_i32": (Operand((1, 4, 4, 2), QType("i16", [0.125], [0]), -200, 200),
                   Operand((2, 2, 2, 2), QType("i16", [0.25], [0]), -200, 200),
                   (1, 1), [(0, 0), (0, 0)], 1, QType("i32", [0.03125], [0])),
    "hybrid_f32_per_axis": (
        Operand((1, 5, 5, 2)),
        Operand((3, 3, 2, 3), QType("i8", [0.5, 0.25, 1.0], [0, 0, 0], axis=3)),
        (1, 1), [(1, 1), (1, 1)], 1, None),
    "hybrid_bf16_i4": (Operand((1, 3, 3, 2), expressed="bf16", unit=0.5),
                       Operand((2, 2, 2, 1), QType("i4", [0.5], [0], expressed="bf16")),
                       (1, 1), [(0, 0), (0, 0)], 1, None),
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", sorted(CONV_CASES))
def test_convolution(case, backend):
    lhs, rhs, strides, padding, groups, result = CONV_CASES[case]
    kh, kw, _, cout = rhs.shape
    b, h, w, _ = lhs.shape
    shape = [b, (h + sum(padding[0]) - kh) // strides[0] + 1,
             (w + sum(padding[1]) - kw) // strides[1] + 1, cout]
    pad = ", ".join(f"[{lo}, {hi}]" for lo, hi in padding)
    op = (f"stablehlo.convolution(%a, %b) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->"
          f"[b, 0, 1, f], window = {{stride = [{strides[0]}, {strides[1]}], pad = [{pad}]}} "
          f"{{batch_group_count = 1 : i64, feature_group_count = {groups} : i64}}")
    text = _module(op, lhs, rhs, shape, result, rhs.q.expressed)
    _check(text, backend, lhs, rhs, result,
           lambda a, b: _convolution(a, b, strides, padding, groups), seed=len(case))


def test_int8_layer_chain_agrees_on_both_backends():
    """An AQT-style int8 layer: activations quantized, per-channel weights, a
    quantized dot_general into i32, then reshape/transpose of the quantized result
    and a dequantize; cpu, the interpreter and the model agree exactly."""
    x_q = QType("i8", [0.25], [0])
    w_q = QType("i8", [0.5, 0.125, 1.0, 0.25], [0, 0, 0, 0], axis=1)
    y_q = QType("i32", [0.03125, 0.0078125, 0.0625, 0.015625], [0, 0, 0, 0], axis=1)
    moved_q = QType("i32", y_q.scales, y_q.zero_points, axis=0)
    text = f"""
func.func @main(%x: tensor<6x8xf32>, %ws: tensor<8x4xi8>) -> tensor<4x3x2xf32> {{
  %xq = stablehlo.uniform_quantize %x : (tensor<6x8xf32>) -> {tensor((6, 8), x_q.text)}
  %w = stablehlo.bitcast_convert %ws : (tensor<8x4xi8>) -> {tensor((8, 4), w_q.text)}
  %y = stablehlo.dot_general %xq, %w, contracting_dims = [1] x [0] : ({tensor((6, 8), x_q.text)}, {tensor((8, 4), w_q.text)}) -> {tensor((6, 4), y_q.text)}
  %t = stablehlo.transpose %y, dims = [1, 0] : ({tensor((6, 4), y_q.text)}) -> {tensor((4, 6), moved_q.text)}
  %r = stablehlo.reshape %t : ({tensor((4, 6), moved_q.text)}) -> {tensor((4, 3, 2), moved_q.text)}
  %f = stablehlo.uniform_dequantize %r : ({tensor((4, 3, 2), moved_q.text)}) -> tensor<4x3x2xf32>
  return %f : tensor<4x3x2xf32>
}}"""
    x = (np.random.default_rng(1).integers(-120, 120, size=(6, 8)) * 0.25 + 0.125).astype(np.float32)
    ws = storage_values(w_q, (8, 4), seed=2)
    exact = x_q.dequantize(x_q.quantize(x)).astype(np.float64) @ w_q.dequantize(ws).astype(np.float64)
    y = y_q.quantize(exact.astype(np.float32))
    expected = moved_q.dequantize(y.T).reshape(4, 3, 2)
    for backend in BACKENDS:
        (got,) = run(text, backend, x, ws)
        np.testing.assert_array_equal(got, expected, err_msg=backend)
