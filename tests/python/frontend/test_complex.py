"""Complex dtypes in the frontend against JAX: promotion (arrays, weak Python complex),
the parts (real, imag, conj, complex, angle, abs) and their gradients (JAX's
convention for complex cotangents), under jit and eagerly."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import hlox
import hlox.numpy as hnp
from hlox import lax

RNG = np.random.default_rng(1)


def sample(shape, dtype):
    return (RNG.standard_normal(shape) + 1j * RNG.standard_normal(shape)).astype(dtype)


@pytest.mark.parametrize("x64", [False, True])
def test_promotion_matches_jax(x64):
    with jax.enable_x64(x64), hlox.enable_x64(x64):
        values = [np.float32(1), np.float64(1), np.complex64(1), np.complex128(1), 1j, 2.0,
                  np.int32(1), np.ones(2, np.float16)]
        for a in values:
            for b in values:
                assert hnp.result_type(a, b) == jnp.result_type(a, b), (a, b)
        x = np.ones(3, np.float32)
        assert (hnp.asarray(x) * 1j).dtype == (jnp.asarray(x) * 1j).dtype


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_parts_match_jax(dtype):
    wide = dtype == np.complex128
    with jax.enable_x64(wide), hlox.enable_x64(wide):
        z, r = sample((3, 4), dtype), RNG.standard_normal((3, 4)).astype(np.float32)
        for name in ("real", "imag", "conj", "angle", "abs"):
            for v in (z, r):
                want = getattr(jnp, name)(v)
                for got in (getattr(hnp, name)(v), hlox.jit(getattr(hnp, name))(v)):
                    assert np.asarray(got).dtype == np.asarray(want).dtype, name
                    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6, err_msg=name)
        rr = z.real.copy()
        np.testing.assert_array_equal(lax.complex(rr, -rr), jax.lax.complex(rr, -rr))
        f = lambda v: v * (2 - 1j) + v * v / (v + 3)  # noqa: E731
        np.testing.assert_allclose(hlox.jit(f)(z), jax.jit(f)(z), rtol=1e-5)


def test_gradients_match_jax():
    with jax.enable_x64(True), hlox.enable_x64(True):
        z = sample((5,), np.complex128)
        x = RNG.standard_normal(5)
        cases = [
            (lambda v: hnp.abs(v).sum(), lambda v: jnp.abs(v).sum(), z),
            (lambda v: (hnp.real(v) * hnp.imag(v)).sum(), lambda v: (v.real * v.imag).sum(), z),
            (lambda v: hnp.real(hnp.conj(v) * v * (1 + 2j)).sum(),
             lambda v: jnp.real(jnp.conj(v) * v * (1 + 2j)).sum(), z),
            (lambda v: hnp.abs(lax.complex(v, v * v)).sum(),
             lambda v: jnp.abs(jax.lax.complex(v, v * v)).sum(), x),
            (lambda v: hnp.imag(v.astype(np.complex128) * 1j).sum(),
             lambda v: jnp.imag(v.astype(np.complex128) * 1j).sum(), x),
        ]
        for f, g, v in cases:
            np.testing.assert_allclose(hlox.grad(f)(v), jax.grad(g)(v), rtol=1e-12, atol=1e-12)


def test_complex_refused_where_undefined():
    z = sample((3,), np.complex64)
    with pytest.raises(Exception, match="floating-point operand"):
        lax.sin(z)
    with pytest.raises(Exception, match="complex operand"):
        lax.real(np.ones(3, np.float32))
    with pytest.raises(TypeError, match="floating-point output"):
        hlox.grad(lambda v: v.sum())(z)
