"""Transposing copies on ``cpu`` (tiled into cache-line blocks by hlox-cpu-tile-transposes).

Transposes of every element width (bool, 8- to 64-bit integers, bfloat16,
float16, float32, float64, complex64/128), 2-D and 3-D permutations, sizes
whose tiles do not fill a whole cache line (divisors of 10 or 12), sizes the
pass leaves alone (a prime dim), transposes fused with elementwise work and
with a second input in the output's layout, and a convolution's filter
gradient (whose im2col packing copy the pass tiles): against numpy, exactly
(copies; elementwise ops in the same float arithmetic), and the gradient
against float64 numpy within float32 accumulation.
"""

from __future__ import annotations

import ml_dtypes
import numpy as np
import pytest

import hlox
import hlox.numpy as hnp

DTYPES = [np.bool_, np.int8, np.uint8, np.int16, np.int32, np.int64, ml_dtypes.bfloat16,
          np.float16, np.float32, np.float64, np.complex64, np.complex128]
# (shape, permutation): tiled 16 x 16 (float32), tiles of 10 and 12, 3-D
# permutations (each moving the contiguous dim), one dim prime (left alone).
CASES = [((512, 256), (1, 0)), ((1000, 48), (1, 0)), ((40, 96, 120), (2, 1, 0)),
         ((64, 48, 40), (0, 2, 1)), ((24, 64, 80), (2, 0, 1)), ((509, 128), (1, 0))]


def values(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if dtype == np.bool_:
        return rng.integers(0, 2, shape).astype(np.bool_)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return rng.integers(max(info.min, -1000), min(info.max, 1000), shape).astype(dtype)
    if np.issubdtype(dtype, np.complexfloating):
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape,perm", CASES)
def test_transpose_matches_numpy(shape, perm, dtype, x64):
    x = values(shape, dtype)
    got = hlox.jit(lambda a: hnp.transpose(a, perm))(x)
    np.testing.assert_array_equal(np.asarray(got), np.transpose(x, perm))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, ml_dtypes.bfloat16])
def test_transpose_fused_with_elementwise_and_a_second_input(dtype, x64):
    x, y = values((384, 320), dtype), values((320, 384), dtype, seed=1)
    got = hlox.jit(lambda a, b: a.T * 2 + b)(x, y)
    np.testing.assert_array_equal(np.asarray(got), x.T * dtype(2) + y)


def test_convolution_filter_gradient_matches_numpy():
    jax = pytest.importorskip("jax")
    x = values((8, 20, 24, 32), np.float32)  # NHWC
    w = values((3, 3, 32, 48), np.float32, seed=1)  # HWIO

    def loss(w, x):
        y = jax.lax.conv_general_dilated(x, w, (1, 1), "SAME",
                                         dimension_numbers=("NHWC", "HWIO", "NHWC"))
        return (y * y).sum() / 2

    text = jax.jit(jax.grad(loss)).lower(w, x).as_text()
    (got,) = hlox.compile_stablehlo(text)(w, x)
    # dW[kh, kw, c, o] = sum_{n, y, x} X_pad[n, y + kh, x + kw, c] * Y[n, y, x, o]
    x64_, w64 = x.astype(np.float64), w.astype(np.float64)
    pad = np.pad(x64_, ((0, 0), (1, 1), (1, 1), (0, 0)))
    patches = np.stack([np.stack([pad[:, i:i + 20, j:j + 24, :] for j in range(3)])
                        for i in range(3)])  # [kh, kw, n, y, x, c]
    out = np.einsum("ijnyxc,ijco->nyxo", patches, w64)
    expected = np.einsum("ijnyxc,nyxo->ijco", patches, out)
    scale = np.max(np.abs(expected))
    np.testing.assert_allclose(np.asarray(got, np.float64), expected, rtol=0, atol=2e-5 * scale)
