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


def test_complex_special_values_as_numpy():
    """abs with one infinite part is inf even beside a NaN, log of parts near the max
    stays finite, sign with one infinite part is +-1 on that axis: NumPy's answers."""
    inf, nan = np.inf, np.nan
    z = np.array([complex(inf, nan), complex(nan, -inf), complex(3e38, 3e38), complex(-inf, 2),
                  complex(1.5, inf), complex(1e-40, 0)], np.complex64)
    np.testing.assert_array_equal(run(lambda x: lax.abs(x), z)[:2], [inf, inf])
    with np.errstate(all="ignore"):
        close(run(lambda x: lax.log(x), z[2:3]), np.log(z[2:3].astype(np.complex128))
              .astype(np.complex64))
    np.testing.assert_array_equal(run(lambda x: lax.sign(x), z)[3:],
                                  np.array([-1, 1j, 1], np.complex64))


def test_complex_order_is_lexicographic():
    """LT/LE/GT/GE on complex compare (real, imaginary) pairs, on both backends; a
    NaN real part compares false."""
    import operator

    import hlox

    parts = [0.0, 1.0, -2.5, 3e38]
    pairs = [complex(a, b) for a in parts for b in parts] + [complex(np.nan, 1.0)]
    x = np.array([p for p in pairs for _ in pairs], np.complex64)
    y = np.array([q for _ in pairs for q in pairs], np.complex64)
    n = x.size
    for direction, op in [("LT", operator.lt), ("LE", operator.le), ("GT", operator.gt),
                          ("GE", operator.ge)]:
        text = (f"func.func @main(%x: tensor<{n}xcomplex<f32>>, %y: tensor<{n}xcomplex<f32>>)"
                f" -> tensor<{n}xi1> {{\n  %r = stablehlo.compare {direction}, %x, %y, FLOAT :"
                f" (tensor<{n}xcomplex<f32>>, tensor<{n}xcomplex<f32>>) -> tensor<{n}xi1>\n"
                f"  return %r : tensor<{n}xi1>\n}}")
        want = [False if np.isnan(a.real) or np.isnan(b.real) else
                op((float(a.real), float(a.imag)), (float(b.real), float(b.imag)))
                for a, b in zip(x, y)]
        for backend in ("interpreter", "cpu"):
            [got] = hlox.compile_stablehlo(text, backend=backend)(x, y)
            np.testing.assert_array_equal(np.asarray(got), want, err_msg=f"{direction} {backend}")


@pytest.mark.parametrize("backend", ["cpu", "interpreter"])
def test_complex_cbrt_of_huge_and_tiny_parts(backend):
    """cbrt of parts near float32's max and min is finite and nonzero ((re^2 + im^2)
    overflowed and underflowed on cpu): the principal cube root in complex128."""
    import hlox

    x = np.array([3.4e38j, 1.17e-38j, -3e38 + 2e38j, 8 + 0j], np.complex64)
    text = ("func.func @main(%x: tensor<4xcomplex<f32>>) -> tensor<4xcomplex<f32>> {\n"
            "  %r = stablehlo.cbrt %x : tensor<4xcomplex<f32>>\n"
            "  return %r : tensor<4xcomplex<f32>>\n}")
    [got] = hlox.compile_stablehlo(text, backend=backend)(x)
    want = (x.astype(np.complex128) ** (1 / 3)).astype(np.complex64)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5)
