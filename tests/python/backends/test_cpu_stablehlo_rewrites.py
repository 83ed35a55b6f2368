"""StableHLO the cpu lowering has no pattern for, rewritten first (passes/
composite_to_call.py, fold_tuples.py, resolve_shape_operands.py, expand_complex.py):
results on `cpu` against the `interpreter` backend or NumPy, on arguments (not
constants, which folding could hide), and a clear error where the rewrite cannot
apply."""

from __future__ import annotations

import numpy as np
import pytest

import hlox
from hlox.backends.compiler import CompilationError


def run(text, *args, backend="cpu"):
    return [np.asarray(r) for r in hlox.compile_stablehlo(text, backend=backend)(*args)]


def same_on_cpu_and_interpreter(text, *args):
    cpu, ref = run(text, *args), run(text, *args, backend="interpreter")
    assert len(cpu) == len(ref)
    for c, r in zip(cpu, ref):
        assert c.dtype == r.dtype and c.shape == r.shape
        np.testing.assert_array_equal(c, r)
    return cpu


RNG = np.random.default_rng(0)
X34 = RNG.integers(-9, 9, (3, 4)).astype(np.int32)


@pytest.mark.parametrize("name,text,args", [
    ("dynamic_iota", """
func.func @main() -> tensor<3x5xf32> {
  %shape = stablehlo.constant dense<[3, 5]> : tensor<2xi32>
  %0 = stablehlo.dynamic_iota %shape, dim = 1 : (tensor<2xi32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}""", ()),
    ("dynamic_reshape", """
func.func @main(%x: tensor<3x4xi32>) -> tensor<2x6xi32> {
  %shape = stablehlo.constant dense<[2, 6]> : tensor<2xi64>
  %0 = stablehlo.dynamic_reshape %x, %shape : (tensor<3x4xi32>, tensor<2xi64>) -> tensor<2x6xi32>
  return %0 : tensor<2x6xi32>
}""", (X34,)),
    ("dynamic_broadcast_in_dim", """
func.func @main(%x: tensor<3x1xi32>) -> tensor<2x3x4xi32> {
  %dims = stablehlo.constant dense<[2, 3, 4]> : tensor<3xi64>
  %0 = "stablehlo.dynamic_broadcast_in_dim"(%x, %dims) {broadcast_dimensions = array<i64: 1, 2>}
      : (tensor<3x1xi32>, tensor<3xi64>) -> tensor<2x3x4xi32>
  return %0 : tensor<2x3x4xi32>
}""", (X34[:, :1].copy(),)),
    ("dynamic_pad", """
func.func @main(%x: tensor<3x4xi32>, %v: tensor<i32>) -> tensor<6x6xi32> {
  %lo = stablehlo.constant dense<[2, -1]> : tensor<2xi64>
  %hi = stablehlo.constant dense<[1, 0]> : tensor<2xi64>
  %in = stablehlo.constant dense<[0, 1]> : tensor<2xi64>
  %0 = stablehlo.dynamic_pad %x, %v, %lo, %hi, %in
      : (tensor<3x4xi32>, tensor<i32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<6x6xi32>
  return %0 : tensor<6x6xi32>
}""", (X34, np.array(-7, np.int32))),
    ("dynamic_gather", """
func.func @main(%x: tensor<3x4xi32>, %i: tensor<2x1xi32>) -> tensor<2x3x2xi32> {
  %sizes = stablehlo.constant dense<[3, 2]> : tensor<2xi64>
  %0 = "stablehlo.dynamic_gather"(%x, %i, %sizes) {
    dimension_numbers = #stablehlo.gather<offset_dims = [1, 2], start_index_map = [1],
                                          index_vector_dim = 1>
  } : (tensor<3x4xi32>, tensor<2x1xi32>, tensor<2xi64>) -> tensor<2x3x2xi32>
  return %0 : tensor<2x3x2xi32>
}""", (X34, np.array([[0], [2]], np.int32))),
    ("composite", """
func.func private @scaled_add(%a: tensor<3x4xi32>, %b: tensor<3x4xi32>) -> tensor<3x4xi32> {
  %two = stablehlo.constant dense<2> : tensor<3x4xi32>
  %0 = stablehlo.multiply %b, %two : tensor<3x4xi32>
  %1 = stablehlo.add %a, %0 : tensor<3x4xi32>
  return %1 : tensor<3x4xi32>
}
func.func @main(%x: tensor<3x4xi32>) -> tensor<3x4xi32> {
  %0 = stablehlo.composite "my.scaled_add" %x, %x {decomposition = @scaled_add}
      : (tensor<3x4xi32>, tensor<3x4xi32>) -> tensor<3x4xi32>
  return %0 : tensor<3x4xi32>
}""", (X34,)),
    ("tuples", """
func.func @main(%x: tensor<3x4xi32>, %s: tensor<i32>) -> (tensor<i32>, tensor<3x4xi32>) {
  %inner = stablehlo.tuple %s : tuple<tensor<i32>>
  %t = stablehlo.tuple %x, %inner : tuple<tensor<3x4xi32>, tuple<tensor<i32>>>
  %a = stablehlo.get_tuple_element %t[0] : (tuple<tensor<3x4xi32>, tuple<tensor<i32>>>) -> tensor<3x4xi32>
  %b = stablehlo.get_tuple_element %t[1] : (tuple<tensor<3x4xi32>, tuple<tensor<i32>>>) -> tuple<tensor<i32>>
  %c = stablehlo.get_tuple_element %b[0] : (tuple<tensor<i32>>) -> tensor<i32>
  return %c, %a : tensor<i32>, tensor<3x4xi32>
}""", (X34, np.array(5, np.int32))),
])
def test_rewritten_ops_match_the_interpreter(name, text, args):
    same_on_cpu_and_interpreter(text, *args)


def test_a_shape_operand_that_contradicts_the_result_type_is_refused():
    text = """
func.func @main() -> tensor<3x4xi64> {
  %shape = stablehlo.constant dense<[4, 3]> : tensor<2xi64>
  %0 = stablehlo.dynamic_iota %shape, dim = 0 : (tensor<2xi64>) -> tensor<3x4xi64>
  return %0 : tensor<3x4xi64>
}"""
    with pytest.raises(CompilationError, match=r"dynamic_iota.*output_shape operand is \[4, 3\]"):
        run(text)


def test_a_computed_shape_operand_is_still_refused_clearly():
    text = """
func.func @main(%x: tensor<6xi32>, %shape: tensor<2xi64>) -> tensor<2x3xi32> {
  %0 = stablehlo.dynamic_reshape %x, %shape : (tensor<6xi32>, tensor<2xi64>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}"""
    with pytest.raises(CompilationError, match="dynamic_reshape"):
        run(text, np.arange(6, dtype=np.int32), np.array([2, 3]))


def _complex_args(dtype, n=64):
    special = [0.0, -0.0, 1.0, -1.0, 2.5, np.nan]
    re = np.concatenate([RNG.normal(size=n), np.repeat(special, len(special))])
    im = np.concatenate([RNG.normal(size=n), np.tile(special, len(special))])
    return (re + 1j * im).astype(dtype)


@pytest.mark.parametrize("dtype,mlir", [(np.complex64, "complex<f32>"),
                                        (np.complex128, "complex<f64>")])
@pytest.mark.parametrize("op,select", [("maximum", np.greater), ("minimum", np.less)])
def test_complex_maximum_minimum_are_lexicographic(dtype, mlir, op, select):
    a = _complex_args(dtype)
    b = _complex_args(dtype)[::-1].copy()
    b[:8] = a[:8] + 1j  # equal real parts: the imaginary parts decide
    t = f"tensor<{len(a)}x{mlir}>"
    text = f"""
func.func @main(%a: {t}, %b: {t}) -> {t} {{
  %0 = stablehlo.{op} %a, %b : {t}
  return %0 : {t}
}}"""
    (out,) = run(text, a, b)
    with np.errstate(invalid="ignore"):
        pick_a = np.where(a.real == b.real, select(a.imag, b.imag), select(a.real, b.real))
    expected = np.where(pick_a, a, b).astype(dtype)
    part = np.float32 if dtype == np.complex64 else np.float64
    got, want = out.view(part), expected.view(part)
    np.testing.assert_array_equal(got, want)  # NaN where NaN
    np.testing.assert_array_equal(np.signbit(got), np.signbit(want))  # -0 where -0


@pytest.mark.parametrize("dtype,mlir,rtol", [(np.complex64, "complex<f32>", 2e-5),
                                             (np.complex128, "complex<f64>", 1e-12)])
@pytest.mark.parametrize("op", ["cbrt", "logistic", "atan2"])
def test_complex_cbrt_logistic_atan2(dtype, mlir, rtol, op):
    z = (RNG.normal(size=32) + 1j * RNG.normal(size=32)).astype(dtype)
    w = (RNG.normal(size=32) + 1j * RNG.normal(size=32)).astype(dtype)
    t = f"tensor<32x{mlir}>"
    if op == "atan2":
        text = f"""
func.func @main(%y: {t}, %x: {t}) -> {t} {{
  %0 = stablehlo.atan2 %y, %x : {t}
  return %0 : {t}
}}"""
        (out,) = run(text, z, w)
        # the StableHLO reference interpreter's definition, in complex128
        y, x = z.astype(np.complex128), w.astype(np.complex128)
        expected = -1j * np.log((x + 1j * y) / np.sqrt(x * x + y * y))
    else:
        text = f"""
func.func @main(%z: {t}) -> {t} {{
  %0 = stablehlo.{op} %z : {t}
  return %0 : {t}
}}"""
        (out,) = run(text, z)
        z128 = z.astype(np.complex128)
        # cbrt: the principal cube root, as the reference's |z|^(1/3) e^(i arg(z)/3)
        expected = np.power(z128, 1 / 3) if op == "cbrt" else 1 / (1 + np.exp(-z128))
    assert out.dtype == dtype
    np.testing.assert_allclose(out, expected, rtol=rtol, atol=rtol)
