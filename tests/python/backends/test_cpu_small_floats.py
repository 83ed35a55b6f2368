"""f8/f6/f4 on the cpu backend (backends/cpu/passes/small_floats.py): codes stored
in bytes as ml_dtypes lays them out, conversions rounded as ml_dtypes rounds (the
interpreter's reference), arithmetic in f32 like the interpreter's, and a clear
error for what is not supported."""

from __future__ import annotations

import ml_dtypes
import numpy as np
import pytest

import hlox
from hlox.backends.compiler import CompilationError
from hlox.backends.cpu.passes.small_floats import SMALL_FLOATS, encode_reference, encode_tables

NAMES = sorted(SMALL_FLOATS)
RNG = np.random.default_rng(0)


def run(text, *args, backend="cpu"):
    return [np.asarray(r) for r in hlox.compile_stablehlo(text, backend=backend)(*args)]


def edge_values(name, dtype=np.float64):
    """Every rounding threshold of ``name`` and its neighbours, zeros, infinities,
    NaNs, and random magnitudes over the whole float range, both signs."""
    t = encode_tables(name)["thresholds"].astype(dtype)
    finfo = np.finfo(dtype)
    x = np.concatenate([t, np.nextafter(t, dtype(np.inf)), np.nextafter(t, dtype(-np.inf)),
                        np.exp(RNG.uniform(-80, 80, 2000)).astype(dtype),
                        [0.0, finfo.smallest_subnormal, finfo.tiny, finfo.max, np.inf, np.nan]])
    return np.concatenate([x, -x]).astype(dtype)


@pytest.mark.parametrize("name", NAMES)
def test_the_encoding_tables_round_as_ml_dtypes(name):
    x = edge_values(name)
    dtype = np.dtype(SMALL_FLOATS[name])
    with np.errstate(over="ignore"):
        np.testing.assert_array_equal(encode_reference(x, name), x.astype(dtype).view(np.uint8))


@pytest.mark.parametrize("source,mlir_source", [(np.float32, "f32"), (np.float64, "f64")])
@pytest.mark.parametrize("name", NAMES)
def test_convert_to_and_from_small_floats_on_cpu(name, source, mlir_source):
    dtype = np.dtype(SMALL_FLOATS[name])
    x = edge_values(name, source)
    n = len(x)
    codes = np.arange(1 << ml_dtypes.finfo(dtype).bits, dtype=np.uint8).view(dtype)
    m = len(codes)
    text = f"""
func.func @main(%x: tensor<{n}x{mlir_source}>, %c: tensor<{m}x{name}>)
    -> (tensor<{n}x{name}>, tensor<{m}xf32>) {{
  %0 = stablehlo.convert %x : (tensor<{n}x{mlir_source}>) -> tensor<{n}x{name}>
  %1 = stablehlo.convert %c : (tensor<{m}x{name}>) -> tensor<{m}xf32>
  return %0, %1 : tensor<{n}x{name}>, tensor<{m}xf32>
}}"""
    encoded, decoded = run(text, x, codes)
    assert encoded.dtype == dtype and decoded.dtype == np.float32
    with np.errstate(over="ignore"):
        np.testing.assert_array_equal(encoded.view(np.uint8), x.astype(dtype).view(np.uint8))
    np.testing.assert_array_equal(decoded, codes.astype(np.float32))


@pytest.mark.parametrize("name", ["f8E4M3FN", "f8E5M2", "f8E4M3FNUZ", "f8E3M4", "f8E8M0FNU",
                                  "f4E2M1FN", "f6E3M2FN"])
def test_arithmetic_on_small_floats_matches_the_interpreter(name):
    dtype = np.dtype(SMALL_FLOATS[name])
    a = RNG.normal(scale=3, size=(4, 8)).astype(dtype)
    b = RNG.normal(scale=3, size=(8, 3)).astype(dtype)
    t_a, t_b, t_d = f"tensor<4x8x{name}>", f"tensor<8x3x{name}>", f"tensor<4x3x{name}>"
    text = f"""
func.func @main(%a: {t_a}, %b: {t_b}) -> ({t_d}, {t_a}, tensor<4x8xi1>, {t_a}) {{
  %d = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : ({t_a}, {t_b}) -> {t_d}
  %m = stablehlo.multiply %a, %a : {t_a}
  %s = stablehlo.add %m, %a : {t_a}
  %c = stablehlo.compare GT, %s, %a : ({t_a}, {t_a}) -> tensor<4x8xi1>
  %r = stablehlo.reverse %s, dims = [1] : {t_a}
  return %d, %s, %c, %r : {t_d}, {t_a}, tensor<4x8xi1>, {t_a}
}}"""
    cpu, ref = run(text, a, b), run(text, a, b, backend="interpreter")
    for c, r in zip(cpu, ref):
        assert c.dtype == r.dtype and c.shape == r.shape
        np.testing.assert_array_equal(c.view(np.uint8), r.view(np.uint8))


def test_a_reduction_over_f8_is_refused_naming_the_op():
    text = """
func.func @main(%x: tensor<4xf8E4M3FN>) -> tensor<f8E4M3FN> {
  %z = stablehlo.constant dense<0.0> : tensor<f8E4M3FN>
  %0 = stablehlo.reduce(%x init: %z) applies stablehlo.add across dimensions = [0]
      : (tensor<4xf8E4M3FN>, tensor<f8E4M3FN>) -> tensor<f8E4M3FN>
  return %0 : tensor<f8E4M3FN>
}"""
    with pytest.raises(CompilationError, match=r"stablehlo.reduce.*f8E4M3FN.*not supported"):
        run(text, np.ones(4, ml_dtypes.float8_e4m3fn))


def test_a_bitcast_of_f4_is_refused_naming_the_type():
    text = """
func.func @main(%x: tensor<4xf4E2M1FN>) -> tensor<4xi4> {
  %0 = stablehlo.bitcast_convert %x : (tensor<4xf4E2M1FN>) -> tensor<4xi4>
  return %0 : tensor<4xi4>
}"""
    with pytest.raises(CompilationError, match=r"bitcast_convert.*f4E2M1FN"):
        run(text, np.ones(4, ml_dtypes.float4_e2m1fn))


def test_f8_bitcasts_and_moves_keep_the_bits():
    x = np.arange(256, dtype=np.uint8).view(ml_dtypes.float8_e5m2).reshape(16, 16)
    text = """
func.func @main(%x: tensor<16x16xf8E5M2>) -> (tensor<16x16xi8>, tensor<16x16xf8E5M2>) {
  %0 = stablehlo.bitcast_convert %x : (tensor<16x16xf8E5M2>) -> tensor<16x16xi8>
  %1 = stablehlo.transpose %x, dims = [1, 0] : (tensor<16x16xf8E5M2>) -> tensor<16x16xf8E5M2>
  return %0, %1 : tensor<16x16xi8>, tensor<16x16xf8E5M2>
}"""
    bits, moved = run(text, x)
    np.testing.assert_array_equal(bits, x.view(np.int8))
    np.testing.assert_array_equal(moved.view(np.uint8), x.T.view(np.uint8))
