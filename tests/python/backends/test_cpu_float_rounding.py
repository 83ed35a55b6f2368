"""Rounding to narrower floats on ``cpu`` (issue 13).

- convert f32/f16 -> bfloat16 keeps subnormals (LLVM's fptrunc became
  vcvtneps2bf16, which flushes them to zero): against ml_dtypes' conversion,
  bit for bit, on edge values and random bit patterns.
- reduce_precision with no mantissa bits turns NaN into the infinity of its
  sign (it was NaN; the spec's reference interpreter gives inf): cpu against
  hlox's interpreter on edge values for formats with and without mantissa bits.
"""

from __future__ import annotations

import ml_dtypes
import numpy as np
import pytest

import hlox

BF16 = np.dtype(ml_dtypes.bfloat16)
NAMES = {np.dtype(np.float16): "f16", np.dtype(np.float32): "f32", np.dtype(np.float64): "f64",
         BF16: "bf16"}


def edge_values(dtype, n_random=2000):
    info = ml_dtypes.finfo(dtype)
    edges = [0.0, -0.0, 1.0, -1.0, 1.5, 2.5, 3.0, np.inf, -np.inf, np.nan, -np.nan,
             float(info.max), float(info.min), float(info.tiny), float(info.smallest_subnormal),
             -float(info.smallest_subnormal), 1e-39, -9.2e-41, 3e-38, 65504.0, 65520.0]
    with np.errstate(all="ignore"):
        values = np.array(edges, np.float64).astype(dtype)
    width = np.dtype(dtype).itemsize
    bits = np.random.default_rng(0).integers(0, 2 ** (8 * width), n_random, dtype=np.uint64)
    random = bits.astype(f"u{width}").view(dtype)
    return np.concatenate([values, random])


def run(text, x, backend="cpu"):
    [out] = hlox.compile_stablehlo(text, backend=backend)(x)
    return np.asarray(out)


def same_bits(got, want):
    """Bit-equal, except that any NaN matches any NaN."""
    assert got.dtype == want.dtype
    width = f"u{got.dtype.itemsize}"
    both_nan = np.isnan(got.astype(np.float32)) & np.isnan(want.astype(np.float32))
    differ = (got.view(width) != want.view(width)) & ~both_nan
    assert not differ.any(), list(zip(got[differ][:8], want[differ][:8]))


@pytest.mark.parametrize("source", [np.float32, np.float16], ids=["f32", "f16"])
def test_convert_to_bfloat16_keeps_subnormals(source):
    x = edge_values(source)
    name = NAMES[np.dtype(source)]
    text = (f"func.func @main(%x: tensor<{x.size}x{name}>) -> tensor<{x.size}xbf16> {{\n"
            f"  %0 = stablehlo.convert %x : (tensor<{x.size}x{name}>) -> tensor<{x.size}xbf16>\n"
            f"  return %0 : tensor<{x.size}xbf16>\n}}")
    got = run(text, x)
    same_bits(got, x.astype(BF16))
    if source == np.float32:  # values subnormal in bfloat16 stay nonzero
        magnitude = np.abs(x.astype(np.float32))
        assert (got[(magnitude > 1e-40) & (magnitude < float(ml_dtypes.finfo(BF16).tiny))] != 0).any()


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16, BF16],
                         ids=["f64", "f32", "f16", "bf16"])
@pytest.mark.parametrize("exponent, mantissa", [(5, 0), (8, 0), (11, 0), (5, 2), (8, 7), (4, 3)])
def test_reduce_precision_matches_the_interpreter(dtype, exponent, mantissa):
    x = edge_values(dtype, n_random=500)
    t = f"tensor<{x.size}x{NAMES[np.dtype(dtype)]}>"
    text = (f"func.func @main(%x: {t}) -> {t} {{\n"
            f"  %0 = stablehlo.reduce_precision %x, format = e{exponent}m{mantissa} : {t}\n"
            f"  return %0 : {t}\n}}")
    got, want = run(text, x), run(text, x, backend="interpreter")
    same_bits(got, want)
    if mantissa == 0:  # NaN has no representation left: the infinity of its sign
        nan = np.isnan(x.astype(np.float64))
        assert np.isinf(got[nan].astype(np.float64)).all()
