"""The interpreter's complex division, sign, rsqrt and logistic at tiny and huge
magnitudes (issue 13: sign(1e-40+0j) was inf+nanj and 0/(1e-40+0j) nan+nanj,
numpy's complex64 division overflowing on a subnormal divisor).

The reference is the same formula in complex128 (where complex64's tiny and
huge values are ordinary numbers) rounded to the operand type; complex128 is
checked on values away from its own limits, against numpy directly.
"""

from __future__ import annotations

import numpy as np
import pytest

from hlox.backends import interpreter

jax = pytest.importorskip("jax")
from jax import lax  # noqa: E402


def run(fn, *args):
    [out] = interpreter.compile(jax.jit(fn).lower(*args).as_text())(*args)
    return out


def values(dtype):
    tiny = np.finfo(np.float32 if dtype == np.complex64 else np.float64).smallest_subnormal
    parts = [0.0, -0.0, 1.0, -2.5, 1e-40, -3e-39, 1e-30, 3e38, -2e38, float(tiny)]
    re, im = np.meshgrid(parts, parts)
    return (re.ravel() + 1j * im.ravel()).astype(dtype)


def close(got, want):
    """Equal up to a few ulps of the type, NaN where NaN, inf where inf."""
    assert got.dtype == want.dtype
    eps = np.finfo(got.real.dtype).eps
    for g, w in ((got.real, want.real), (got.imag, want.imag)):
        np.testing.assert_array_equal(np.isnan(g), np.isnan(w))
        np.testing.assert_array_equal(np.isinf(g), np.isinf(w))
        ok = np.isfinite(w)
        scale = np.maximum(np.abs(want[ok]), np.finfo(g.dtype).tiny)
        assert np.all(np.abs(g[ok] - w[ok]) <= 4 * eps * scale), (g[ok], w[ok])


def reference_sign(x):
    wide = x.astype(np.complex128)
    a = np.abs(wide)
    return np.where(a == 0, 0, wide / np.where(a == 0, 1, a)).astype(x.dtype)


def test_complex64_sign_of_tiny_and_huge_values():
    x = values(np.complex64)
    close(run(lax.sign, x), reference_sign(x))
    assert run(lax.sign, np.complex64(1e-40)) == 1


def test_complex64_division_by_tiny_and_huge_values():
    y = values(np.complex64)
    nonzero = y[y != 0]
    x = np.resize(values(np.complex64)[::-1], nonzero.shape)
    with np.errstate(all="ignore"):
        want = (x.astype(np.complex128) / nonzero.astype(np.complex128)).astype(np.complex64)
    close(run(lax.div, x, nonzero), want)
    assert run(lax.div, np.complex64(0), np.complex64(1e-40)) == 0


@pytest.mark.parametrize("name", ["rsqrt", "logistic"])
def test_complex64_reciprocals_of_small_values(name):
    x = np.array([1e-40 + 0j, 4e-39 + 0j, 1e-30 + 1e-30j, 2 - 1j], np.complex64)
    fn = getattr(lax, name)
    wide = x.astype(np.complex128)
    want = 1 / np.sqrt(wide) if name == "rsqrt" else 1 / (1 + np.exp(-wide))
    close(run(fn, x), want.astype(np.complex64))


def test_complex128_division_and_sign_agree_with_numpy():
    jax.config.update("jax_enable_x64", True)
    try:
        check_complex128()
    finally:
        jax.config.update("jax_enable_x64", False)


def check_complex128():
    rng = np.random.default_rng(0)
    x = (rng.normal(size=64) + 1j * rng.normal(size=64)) * 10.0 ** rng.integers(-100, 100, 64)
    y = (rng.normal(size=64) + 1j * rng.normal(size=64)) * 10.0 ** rng.integers(-100, 100, 64)
    close(run(lax.div, x, y), x / y)
    close(run(lax.sign, x), x / np.abs(x))
