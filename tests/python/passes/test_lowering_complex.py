"""Complex numbers on the CPU backend: JAX's StableHLO through hlox against
JAX (XLA CPU), complex64 and complex128, several shapes (0-d, 2-D,
zero-size), NumPy complex arrays in and out: elementwise ops, reductions,
dot_general, constants, indexing and sort.

One module per (dtype, shape) computes every op. Inputs keep clear of the
branch cuts (positive real parts), where two correct implementations may
pick different sides. Stated tolerances per dtype (the complex dialect's
expansions are not XLA's formulas, so even division may round differently):
complex64 rtol 2e-6 (arithmetic) / 1e-5 (transcendental), complex128 rtol
1e-14 / 1e-12; atol a few ulps of 1 in both.
"""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402

import hlox  # noqa: E402

TOLERANCES = {  # dtype: (arithmetic (rtol, atol), transcendental (rtol, atol))
    np.complex64: ((2e-6, 1e-6), (1e-5, 1e-6)),
    np.complex128: ((1e-14, 1e-15), (1e-12, 1e-14)),
}
RNG = np.random.default_rng(0)


def sample(shape, dtype):
    real = np.finfo(np.dtype(dtype).char.lower()).dtype
    re = RNG.uniform(0.2, 2.0, shape).astype(real)
    im = RNG.uniform(-2.0, 2.0, shape).astype(real)
    return (re + 1j * im).astype(dtype)


def arithmetic(x, y, r):
    return {
        "add": x + y, "sub": x - y, "mul": x * y, "div": x / y, "neg": -x,
        "abs": jnp.abs(x), "real": jnp.real(x), "imag": jnp.imag(x),
        "complex": lax.complex(r, -r), "eq": x == y, "ne": x != x,
        "real_to_complex": r.astype(x.dtype), "to_real": jnp.real(x).astype(np.int32),
        "where": jnp.where(r > 1.0, x, y), "sign": jnp.sign(x),
        "moves": jnp.concatenate([x.reshape(-1), jnp.flip(y.reshape(-1))]),
        "transpose": x.T, "broadcast": jnp.broadcast_to(x, (2,) + x.shape),
    }


def transcendental(x, y, r):
    return {
        "exp": jnp.exp(x), "log": jnp.log(x), "sqrt": jnp.sqrt(x), "rsqrt": lax.rsqrt(x),
        "sin": jnp.sin(x), "cos": jnp.cos(x), "tan": jnp.tan(x), "tanh": jnp.tanh(x),
        "expm1": jnp.expm1(x), "log1p": jnp.log1p(x), "pow": x ** y,
    }


def structured(x, y, i):
    """Reductions, contractions, constants and data movement on complex values
    (x: (m, 4), y: (4, 5), i: int32 indices into 4)."""
    return {
        "sum": jnp.sum(x), "sum_rows": jnp.sum(x, axis=0), "prod": jnp.prod(x, axis=1),
        "mean": jnp.mean(y, axis=1), "cumsum": jnp.cumsum(y, axis=1),
        "matmul": x @ y, "vdot": jnp.vdot(y[:, 0], y[:, 1]),
        "einsum": jnp.einsum("ij,jk,ik->i", x, y, x @ y),
        "constant": y * (1 + 2j) + jnp.array([1 - 1j, 0.5j, 2, -1, 3 + 3j], dtype=y.dtype),
        "iota": y + jnp.arange(5, dtype=y.dtype), "gather": y[i], "scatter": jnp.asarray(y).at[i].add(1j),
        "dynamic_slice": lax.dynamic_slice(y, (i[0], np.int32(1)), (2, 3)),
        "pad": jnp.pad(y, ((1, 0), (0, 2))), "sort": jnp.sort(y, axis=1),
        "select_eq": jnp.where(y == y[::-1], y, -y),
    }


# Sums and contractions may add in another order than XLA: looser than
# elementwise arithmetic, still a few hundred ulps.
STRUCTURED_TOLERANCES = {np.complex64: (1e-5, 1e-5), np.complex128: (1e-12, 1e-12)}


@pytest.mark.parametrize("rows", [3, 0])
@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_complex_reductions_contractions_and_moves_match_jax(dtype, rows):
    with jax.enable_x64(dtype == np.complex128):
        x, y = sample((rows, 4), dtype), sample((4, 5), dtype)
        y[1] = y[2]  # equal elements for the comparisons and the sort
        got, want = run(structured, x, y, np.array([2, 0, 3], np.int32))
        rtol, atol = STRUCTURED_TOLERANCES[dtype]
        for name in want:
            g, w = got[name], want[name]
            assert g.shape == w.shape and g.dtype == w.dtype, (name, g.dtype, w.dtype)
            np.testing.assert_allclose(g, w, rtol=rtol, atol=atol,
                                       err_msg=f"{name} {np.dtype(dtype)} {rows}")


def run(fn, *args):
    jitted = jax.jit(fn, keep_unused=True)
    text = jitted.lower(*args).as_text()
    got = hlox.compile_stablehlo(text, backend="cpu")(*args)
    want = jax.tree_util.tree_leaves(jitted(*args))
    names = sorted(fn(*args).keys())
    return dict(zip(names, got)), dict(zip(names, [np.asarray(w) for w in want]))


@pytest.mark.parametrize("shape", [(), (3, 4), (0, 3)])
@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_complex_ops_match_jax(dtype, shape):
    with jax.enable_x64(dtype == np.complex128):
        x, y = sample(shape, dtype), sample(shape, dtype)
        r = np.real(sample(shape, dtype)) * 2
        for family, tol in zip((arithmetic, transcendental), TOLERANCES[dtype]):
            got, want = run(family, x, y, r)
            for name in want:
                g, w = got[name], want[name]
                assert g.shape == w.shape and g.dtype == w.dtype, (name, g.dtype, w.dtype)
                if np.issubdtype(w.dtype, np.inexact):
                    np.testing.assert_allclose(g, w, rtol=tol[0], atol=tol[1],
                                               err_msg=f"{name} {np.dtype(dtype)} {shape}")
                else:
                    np.testing.assert_array_equal(g, w, err_msg=name)


def test_complex_arguments_and_results_are_numpy_complex():
    text = """
    func.func public @main(%a: tensor<2xcomplex<f64>>, %b: tensor<2xcomplex<f32>>)
        -> (tensor<2xcomplex<f64>>, tensor<2xcomplex<f32>>) {
      %0 = stablehlo.multiply %a, %a : tensor<2xcomplex<f64>>
      %1 = stablehlo.convert %b : (tensor<2xcomplex<f32>>) -> tensor<2xcomplex<f64>>
      %2 = stablehlo.add %0, %1 : tensor<2xcomplex<f64>>
      %3 = stablehlo.negate %b : tensor<2xcomplex<f32>>
      return %2, %3 : tensor<2xcomplex<f64>>, tensor<2xcomplex<f32>>
    }
    """
    a = np.array([1 + 2j, -3.5 + 0.25j], dtype=np.complex128)
    b = np.array([0.5 - 1j, 2 + 3j], dtype=np.complex64)
    out0, out1 = hlox.compile_stablehlo(text, backend="cpu")(a, b)
    assert out0.dtype == np.complex128 and out1.dtype == np.complex64
    np.testing.assert_array_equal(out0, a * a + b.astype(np.complex128))
    np.testing.assert_array_equal(out1, -b)


# stablehlo.fft as direct DFTs (O(n^2) per axis). Twiddles are computed in f64
# and summed in the element type, XLA uses an FFT: sums in another order, so
# float32 agrees to ~1e-5 of the inputs' magnitude.
FFT_TOLERANCES = {np.float32: (1e-5, 1e-4), np.float64: (1e-12, 1e-11)}


def transforms(x, z):
    """x: real (b, n), z: complex (b, m); every fft_type, one and two axes."""
    return {
        "fft": jnp.fft.fft(z), "ifft": jnp.fft.ifft(z), "rfft": jnp.fft.rfft(x),
        "irfft": jnp.fft.irfft(z), "irfft_odd": jnp.fft.irfft(z, n=2 * z.shape[-1] - 1),
        "fft2": jnp.fft.fft2(z), "rfft2": jnp.fft.rfft2(x), "irfft2": jnp.fft.irfft2(z),
        "roundtrip": jnp.fft.irfft(jnp.fft.rfft(x), n=x.shape[-1]),
    }


@pytest.mark.parametrize("n", [1, 7, 16])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fft_matches_jax(dtype, n):
    complex_dtype = np.result_type(dtype, np.complex64)
    with jax.enable_x64(dtype == np.float64):
        x = RNG.uniform(-1, 1, (3, n)).astype(dtype)
        z = sample((3, n), complex_dtype)  # a non-zero imaginary part at frequency 0
        got, want = run(transforms, x, z)
        rtol, atol = FFT_TOLERANCES[dtype]
        for name in want:
            g, w = got[name], want[name]
            assert g.shape == w.shape and g.dtype == w.dtype, (name, g.dtype, w.dtype)
            np.testing.assert_allclose(g, w, rtol=rtol, atol=atol, err_msg=f"{name} {n}")
