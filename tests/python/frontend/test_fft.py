"""hlox.numpy.fft and hlox.lax.fft against jax.numpy.fft / jax.lax.fft: values of every
function (float32/64, complex64/128, n/s, axes, norm), gradients against JAX and finite
differences, vmap, and the errors of bad arguments.

Tolerance (normwise, as FFT error bounds are): max |hlox - jax| <= tol * max |jax|,
tol 2e-6 for 32-bit and 1e-13 for 64-bit types (both compute O(n log n) FFTs with
errors ~ eps log n).
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import hlox
import hlox.numpy as hnp
from hlox import lax
from hlox.frontend.libraries.test_util import check_grads

RNG = np.random.default_rng(0)
TOL = {np.float32: 2e-6, np.complex64: 2e-6, np.float64: 1e-13, np.complex128: 1e-13}


def sample(shape, dtype):
    x = RNG.standard_normal(shape)
    if np.issubdtype(dtype, np.complexfloating):
        x = x + 1j * RNG.standard_normal(shape)
    return x.astype(dtype)


def close(got, want, dtype):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, (got.shape, got.dtype,
                                                                 want.shape, want.dtype)
    scale = np.abs(want).max() if want.size else 1.0
    assert np.abs(got - want).max(initial=0.0) <= TOL[dtype] * max(scale, 1.0)


CALLS = [  # (name, kwargs, input kind: "any", "complex-half" (inverse real transforms))
    ("fft", {}), ("fft", {"n": 5}), ("fft", {"n": 12, "axis": 0}), ("ifft", {"norm": "ortho"}),
    ("ifft", {"n": 7, "axis": -2}), ("rfft", {}), ("rfft", {"n": 9, "norm": "forward"}),
    ("irfft", {}), ("irfft", {"n": 9}), ("irfft", {"n": 6, "axis": 0, "norm": "ortho"}),
    ("hfft", {}), ("ihfft", {}), ("fft2", {}), ("ifft2", {"s": (4, 6)}), ("rfft2", {}),
    ("irfft2", {"axes": (0, 2)}), ("fftn", {}), ("fftn", {"axes": (0, 2), "norm": "ortho"}),
    ("ifftn", {"s": (3, 5, 4)}), ("rfftn", {"axes": (1, 0)}), ("irfftn", {}),
    ("irfftn", {"s": (6, 7), "norm": "forward"}),
]
REAL_ONLY = {"rfft", "rfft2", "rfftn", "ihfft"}


@pytest.mark.parametrize("dtype", [np.float32, np.complex64, np.float64, np.complex128])
def test_numpy_fft_matches_jax(dtype):
    wide = dtype in (np.float64, np.complex128)
    with jax.enable_x64(wide), hlox.enable_x64(wide):
        x = sample((6, 5, 8), dtype)
        for name, kwargs in CALLS:
            if name in REAL_ONLY and np.iscomplexobj(x):
                continue
            want = getattr(jnp.fft, name)(x, **kwargs)
            got = getattr(hnp.fft, name)(x, **kwargs)
            jitted = hlox.jit(lambda v: getattr(hnp.fft, name)(v, **kwargs))(x)
            out_dtype = np.asarray(want).dtype.type
            close(got, want, out_dtype)
            close(jitted, want, out_dtype)


def test_more_than_three_axes_and_odd_lengths():
    x = sample((3, 4, 5, 6, 7), np.complex64)
    close(hnp.fft.fftn(x), jnp.fft.fftn(x), np.complex64)
    close(hnp.fft.ifftn(x, axes=(0, 1, 2, 3)), jnp.fft.ifftn(x, axes=(0, 1, 2, 3)), np.complex64)
    r = sample((3, 4, 5, 6, 7), np.float32)
    close(hnp.fft.rfftn(r), jnp.fft.rfftn(r), np.complex64)
    close(hnp.fft.irfftn(x), jnp.fft.irfftn(x), np.float32)


def test_freqs_and_shifts():
    with jax.enable_x64(True), hlox.enable_x64(True):
        for n in (1, 4, 7):
            for d in (1.0, 0.25):
                np.testing.assert_allclose(hnp.fft.fftfreq(n, d), jnp.fft.fftfreq(n, d), rtol=1e-15)
                np.testing.assert_allclose(hnp.fft.rfftfreq(n, d), jnp.fft.rfftfreq(n, d), rtol=1e-15)
    assert np.asarray(hnp.fft.fftfreq(4)).dtype == np.float32
    x = np.arange(30).reshape(5, 6)
    for axes in (None, 0, (1,), (0, 1)):
        np.testing.assert_array_equal(hnp.fft.fftshift(x, axes), jnp.fft.fftshift(x, axes))
        np.testing.assert_array_equal(hnp.fft.ifftshift(x, axes), jnp.fft.ifftshift(x, axes))


def weights(shape):
    return RNG.standard_normal(shape), RNG.standard_normal(shape)


def loss_of(np_module, name, kwargs, w_re, w_im):
    """A real scalar of every part of the transform (exercises the full transpose)."""
    def loss(x):
        y = getattr(np_module.fft, name)(x, **kwargs)
        if np_module.iscomplexobj(y):
            return (np_module.real(y) * w_re).sum() + (np_module.imag(y) * w_im).sum()
        return (y * w_re).sum()
    return loss


@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_gradients_match_jax(dtype):
    with jax.enable_x64(True), hlox.enable_x64(True):
        x = sample((4, 6), dtype)
        for name, kwargs in [("fft", {}), ("ifft", {"n": 5}), ("rfft", {}), ("rfft", {"n": 7}),
                             ("irfft", {}), ("irfft", {"n": 7}), ("fft2", {"norm": "ortho"}),
                             ("rfft2", {}), ("irfft2", {}), ("irfftn", {"s": (4, 5)}),
                             ("hfft", {}), ("ihfft", {})]:
            if name in REAL_ONLY and np.iscomplexobj(x):
                continue
            shape = np.shape(getattr(jnp.fft, name)(x, **kwargs))
            w_re, w_im = weights(shape)
            want = jax.grad(loss_of(jnp, name, kwargs, w_re, w_im))(x)
            got = hlox.grad(loss_of(hnp, name, kwargs, w_re, w_im))(x)
            close(got, want, dtype)


def test_gradients_match_finite_differences():
    with hlox.enable_x64(True):
        x = sample((3, 8), np.float64)
        w = RNG.standard_normal((3, 5))
        check_grads(lambda v: hnp.abs(hnp.fft.rfft(v)) * w, (x,), order=2)
        check_grads(lambda v: hnp.fft.irfft(hnp.fft.rfft(v) * (w + 0.5j), n=8), (x,), order=1)
        check_grads(lambda v: hnp.real(hnp.fft.ifft2(v * (1 + 2j))), (x,), order=1)


def test_lax_fft_and_vmap():
    x = sample((5, 4, 6), np.complex64)
    for kind, lengths, arg in [("fft", (6,), x), ("IFFT", (4, 6), x),
                               (lax.FftType.RFFT, (4, 6), x.real.copy()),
                               ("irfft", (4, 10), x)]:
        jax_kind = kind.name if isinstance(kind, lax.FftType) else kind.upper()
        want = jax.lax.fft(arg, jax_kind, lengths)
        close(lax.fft(arg, kind, lengths), want, np.asarray(want).dtype.type)
        close(hlox.vmap(lambda v: lax.fft(v, kind, lengths))(arg), want,
              np.asarray(want).dtype.type)
    batched = hlox.vmap(lambda v: hnp.fft.rfft(v, axis=0), in_axes=1)(x.real.copy())
    close(batched, jax.vmap(lambda v: jnp.fft.rfft(v, axis=0), in_axes=1)(x.real), np.complex64)


def test_bad_arguments_raise():
    x = np.ones((4, 6), np.float32)
    with pytest.raises(ValueError, match="norm"):
        hnp.fft.fft(x, norm="sideways")
    with pytest.raises(ValueError, match="repeated axes"):
        hnp.fft.fftn(x, axes=(0, 0))
    with pytest.raises(ValueError, match="out of bounds"):
        hnp.fft.fft(x, axis=2)
    with pytest.raises(ValueError, match="one axis"):
        hnp.fft.fft(x, axis=(0, 1))
    with pytest.raises(ValueError, match="positive"):
        hnp.fft.fft(x, n=0)
    with pytest.raises(ValueError, match="real operands"):
        lax.fft(x.astype(np.complex64), "rfft", (6,))
    with pytest.raises(TypeError, match="fft_type"):
        lax.fft(x, "dct", (6,))
    with pytest.raises(Exception, match="trailing dimensions"):
        lax.fft(x.astype(np.complex64), "fft", (5,))
