"""StableHLO the cpu lowering has no pattern for, rewritten first (passes/
composite_to_call.py, fold_tuples.py, resolve_shape_operands.py, expand_complex.py):
results on `cpu` against the `interpreter` backend or NumPy, on arguments (not
constants, which folding could hide), and a clear error where the rewrite cannot
apply. The complex formulas are checked on the interpreter too, and so are its i1
bitcasts and complex -> i1 converts (fixed with them)."""

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
@pytest.mark.parametrize("backend", ["cpu", "interpreter"])
def test_complex_maximum_minimum_are_lexicographic(dtype, mlir, op, select, backend):
    a = _complex_args(dtype)
    b = _complex_args(dtype)[::-1].copy()
    b[:8] = a[:8] + 1j  # equal real parts: the imaginary parts decide
    t = f"tensor<{len(a)}x{mlir}>"
    text = f"""
func.func @main(%a: {t}, %b: {t}) -> {t} {{
  %0 = stablehlo.{op} %a, %b : {t}
  return %0 : {t}
}}"""
    (out,) = run(text, a, b, backend=backend)
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
@pytest.mark.parametrize("backend", ["cpu", "interpreter"])
def test_complex_cbrt_logistic_atan2(dtype, mlir, rtol, op, backend):
    z = (RNG.normal(size=32) + 1j * RNG.normal(size=32)).astype(dtype)
    w = (RNG.normal(size=32) + 1j * RNG.normal(size=32)).astype(dtype)
    t = f"tensor<32x{mlir}>"
    if op == "atan2":
        text = f"""
func.func @main(%y: {t}, %x: {t}) -> {t} {{
  %0 = stablehlo.atan2 %y, %x : {t}
  return %0 : {t}
}}"""
        (out,) = run(text, z, w, backend=backend)
        # the StableHLO reference interpreter's definition, in complex128
        y, x = z.astype(np.complex128), w.astype(np.complex128)
        expected = -1j * np.log((x + 1j * y) / np.sqrt(x * x + y * y))
    else:
        text = f"""
func.func @main(%z: {t}) -> {t} {{
  %0 = stablehlo.{op} %z : {t}
  return %0 : {t}
}}"""
        (out,) = run(text, z, backend=backend)
        z128 = z.astype(np.complex128)
        # cbrt: the principal cube root, as the reference's |z|^(1/3) e^(i arg(z)/3)
        expected = np.power(z128, 1 / 3) if op == "cbrt" else 1 / (1 + np.exp(-z128))
    assert out.dtype == dtype
    np.testing.assert_allclose(out, expected, rtol=rtol, atol=rtol)


@pytest.mark.parametrize("wide", ["i8", "i32", "i64", "f32"])
def test_bitcast_between_i1_and_wider_types(wide):
    bits = {"i8": 8, "i32": 32, "i64": 64, "f32": 32}[wide]
    text = f"""
func.func @main(%b: tensor<3x{bits}xi1>, %w: tensor<3x{wide}>) -> (tensor<3x{wide}>, tensor<3x{bits}xi1>) {{
  %0 = stablehlo.bitcast_convert %b : (tensor<3x{bits}xi1>) -> tensor<3x{wide}>
  %1 = stablehlo.bitcast_convert %w : (tensor<3x{wide}>) -> tensor<3x{bits}xi1>
  return %0, %1 : tensor<3x{wide}>, tensor<3x{bits}xi1>
}}"""
    b = RNG.integers(0, 2, (3, bits)).astype(bool)
    dtype = {"i8": np.int8, "i32": np.int32, "i64": np.int64, "f32": np.float32}[wide]
    w = RNG.integers(0, 256, (3, bits // 8)).astype(np.uint8).view(dtype).reshape(3)
    packed, unpacked = same_on_cpu_and_interpreter(text, b, w)
    # element k is bit k of the little-endian value
    weights = [1 << k for k in range(bits)]
    assert [sum(wk for wk, bk in zip(weights, row) if bk) for row in b] == \
        [int(v) for v in packed.view(f"u{bits // 8}")]
    assert [sum(wk for wk, bk in zip(weights, row) if bk) for row in unpacked] == \
        [int(v) for v in w.view(f"u{bits // 8}")]


def test_convert_complex_to_bool_ignores_the_imaginary_part():
    z = np.array([0, 1j, -1j, 1, 2 + 3j, -0.0 + 5j, np.nan], np.complex64)
    text = """
func.func @main(%z: tensor<7xcomplex<f32>>) -> tensor<7xi1> {
  %0 = stablehlo.convert %z : (tensor<7xcomplex<f32>>) -> tensor<7xi1>
  return %0 : tensor<7xi1>
}"""
    (out,) = same_on_cpu_and_interpreter(text, z)
    np.testing.assert_array_equal(out, z.real != 0)


@pytest.mark.parametrize("dtype,mlir,rtol", [(np.float32, "f32", 1e-4),
                                             (np.complex128, "complex<f64>", 1e-10)])
@pytest.mark.parametrize("left,lower,unit,transpose", [
    (left, lower, unit, transpose) for left in (True, False) for lower in (True, False)
    for unit in (False, True) for transpose in ("NO_TRANSPOSE", "TRANSPOSE", "ADJOINT")])
def test_triangular_solve_matches_numpy(dtype, mlir, rtol, left, lower, unit, transpose):
    batch, n, k = (2,), 5, 3
    a = RNG.normal(size=batch + (n, n)) + (1j * RNG.normal(size=batch + (n, n))
                                           if np.dtype(dtype).kind == "c" else 0)
    a += 4 * np.eye(n)  # well conditioned
    # the other triangle (and, with unit_diagonal, the diagonal) is not read: NaN there
    ignored = (np.triu(np.ones((n, n)), 1) if lower else np.tril(np.ones((n, n)), -1)).astype(bool)
    if unit:
        ignored |= np.eye(n, dtype=bool)
    given = np.where(ignored, np.nan, a)
    tri = np.where(ignored, 0, a) + (np.eye(n) if unit else 0)
    op_a = {"NO_TRANSPOSE": tri, "TRANSPOSE": np.swapaxes(tri, -1, -2),
            "ADJOINT": np.conj(np.swapaxes(tri, -1, -2))}[transpose]
    b_shape = batch + ((n, k) if left else (k, n))
    b = RNG.normal(size=b_shape) + (1j * RNG.normal(size=b_shape) if np.dtype(dtype).kind == "c"
                                    else 0)
    expected = (np.linalg.solve(op_a, b) if left
                else np.swapaxes(np.linalg.solve(np.swapaxes(op_a, -1, -2),
                                                 np.swapaxes(b, -1, -2)), -1, -2))
    at, bt = f"tensor<2x{n}x{n}x{mlir}>", f"tensor<2x{b_shape[1]}x{b_shape[2]}x{mlir}>"
    text = f"""
func.func @main(%a: {at}, %b: {bt}) -> {bt} {{
  %0 = "stablehlo.triangular_solve"(%a, %b) {{left_side = {str(left).lower()},
      lower = {str(lower).lower()}, unit_diagonal = {str(unit).lower()},
      transpose_a = #stablehlo<transpose {transpose}>}} : ({at}, {bt}) -> {bt}
  return %0 : {bt}
}}"""
    (out,) = run(text, given.astype(dtype), b.astype(dtype))
    assert out.dtype == dtype
    np.testing.assert_allclose(out, expected, rtol=rtol, atol=rtol)


@pytest.mark.parametrize("source,target,shape_in,shape_out", [
    ("complex<f64>", "complex<f32>", (3,), (3, 2)),
    ("complex<f32>", "complex<f64>", (3, 2), (3,)),
    ("complex<f32>", "complex<f32>", (2, 3), (2, 3)),
])
def test_complex_bitcasts_keep_the_bytes(source, target, shape_in, shape_out):
    np_type = {"complex<f64>": np.complex128, "complex<f32>": np.complex64, "f64": np.float64,
               "i64": np.int64, "ui8": np.uint8, "f32": np.float32}
    x = RNG.integers(0, 256, int(np.prod(shape_in)) * np.dtype(np_type[source]).itemsize
                     ).astype(np.uint8).view(np_type[source]).reshape(shape_in)
    t_in = f"tensor<{'x'.join(map(str, shape_in))}x{source}>"
    t_out = f"tensor<{'x'.join(map(str, shape_out))}x{target}>"
    text = f"""
func.func @main(%x: {t_in}) -> {t_out} {{
  %0 = stablehlo.bitcast_convert %x : ({t_in}) -> {t_out}
  return %0 : {t_out}
}}"""
    (out,) = same_on_cpu_and_interpreter(text, x)
    assert out.tobytes() == x.tobytes()
