"""Numerics of the CPU backend's code generation passes, end to end.

hlox-cpu-vectorize-contractions (tiled matmuls), hlox-cpu-math-approximations
(polynomial exp), hlox-cpu-reassociate-reductions (vectorized sums) and
hlox-cpu-results-in-place (results written into the out-buffers), each
against numpy. Tolerances: float32 matmul/sum results 1e-5 relative to the
largest magnitude (reassociated sums of up to ~800 terms), float64 1e-12;
exp within 2 ulp of the correctly rounded value.
"""

import numpy as np
import pytest

import hlox
import hlox.numpy as hnp

RTOL = {np.float32: 1e-5, np.float64: 1e-12}

MATMUL_SHAPES = [
    ((16, 64), (64, 32)),    # whole register tiles
    ((7, 13), (13, 5)),      # nothing divides: tiles of the full sizes
    ((64, 784), (784, 96)),  # an MLP layer: K not a multiple of the K tile
    ((1, 64), (64, 1000)),   # a row vector times a matrix
    ((100, 1), (1, 40)),     # an outer product (K = 1)
]


def assert_close_relative(got, expected, rtol):
    scale = max(float(np.max(np.abs(expected))), 1e-30) if expected.size else 1.0
    np.testing.assert_allclose(got, expected, rtol=0, atol=rtol * scale)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape_a,shape_b", MATMUL_SHAPES)
def test_matmul_plain_and_transposed(shape_a, shape_b, dtype, x64):
    rng = np.random.default_rng(0)
    a = rng.standard_normal(shape_a).astype(dtype)
    b = rng.standard_normal(shape_b).astype(dtype)

    def f(a, b):
        at, bt = hnp.transpose(a), hnp.transpose(b)
        # a @ b, and the same product through transposed operands
        # (B^T read across its rows, A^T down its columns).
        return a @ b, hnp.transpose(bt @ at), hnp.matmul(hnp.transpose(at), b)

    for got in hlox.jit(f)(a, b):
        assert got.dtype == dtype
        assert_close_relative(got, a @ b, RTOL[dtype])


def test_matmul_int32_unchanged_path():
    rng = np.random.default_rng(1)
    a = rng.integers(-50, 50, (9, 33)).astype(np.int32)
    b = rng.integers(-50, 50, (33, 40)).astype(np.int32)
    np.testing.assert_array_equal(hlox.jit(hnp.matmul)(a, b), a @ b)


def test_exp_float32_accuracy_and_special_values():
    x = np.concatenate([
        np.linspace(-110, 90, 200_001, dtype=np.float32),
        np.array([np.inf, -np.inf, np.nan, 0.0, -0.0, 88.72, 88.73, -87.3, -103.9,
                  1e-30, -1e-30], np.float32)])
    got = hlox.jit(hnp.exp)(x)
    with np.errstate(over="ignore"):
        expected = np.exp(x.astype(np.float64)).astype(np.float32)  # correctly rounded
    finite = np.isfinite(expected)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    np.testing.assert_array_equal(got[~finite & ~np.isnan(expected)],
                                  expected[~finite & ~np.isnan(expected)])
    normal = finite & (expected >= np.finfo(np.float32).tiny)
    ulp = np.spacing(expected[normal])
    assert np.max(np.abs(got[normal] - expected[normal]) / ulp) <= 2
    subnormal = finite & ~normal
    assert np.max(np.abs(got[subnormal] - expected[subnormal])) <= 2 * np.finfo(np.float32).smallest_subnormal


def test_exp_in_fused_loop_with_float64_unchanged(x64):
    rng = np.random.default_rng(2)
    x32 = rng.uniform(-20, 20, (64, 130)).astype(np.float32)
    x64 = x32.astype(np.float64)
    got32, got64 = hlox.jit(lambda a, b: (hnp.exp(a) * 2.0 + a, hnp.exp(b)))(x32, x64)
    # Relative to the terms' size: exp(a) * 2 + a may cancel.
    terms = np.exp(x32.astype(np.float64)) * 2 + np.abs(x32)
    assert np.all(np.abs(got32 - (np.exp(x32) * np.float32(2) + x32)) <= 2e-6 * terms)
    np.testing.assert_allclose(got64, np.exp(x64), rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sums_reassociated(dtype, x64):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((33, 1027)).astype(dtype)

    def f(x):
        return hnp.sum(x, axis=1), hnp.sum(x, axis=0), hnp.sum(x * x), hnp.mean(x, axis=1)

    got = hlox.jit(f)(x)
    expected = (x.sum(1), x.sum(0), (x * x).sum(), x.mean(1))
    for g, e in zip(got, expected):
        assert_close_relative(g, np.asarray(e), RTOL[dtype] * 10)


def test_results_written_in_place_are_separate_arrays():
    x = np.linspace(-1, 1, 24, dtype=np.float32).reshape(4, 6)

    def f(x):
        y = hnp.exp(x) * 2.0 + x
        return y, y, x, y * 3.0

    y0, y1, x_out, y3 = hlox.jit(f)(x)
    expected = np.exp(x) * np.float32(2) + x
    for got in (y0, y1):
        np.testing.assert_allclose(got, expected, rtol=2e-6)
    np.testing.assert_allclose(y3, expected * 3, rtol=2e-6)
    np.testing.assert_array_equal(x_out, x)
    # distinct buffers, none of them the input's
    pointers = {a.unsafe_buffer_pointer() for a in (y0, y1, x_out, y3)}
    assert len(pointers) == 4 and x.ctypes.data not in pointers
