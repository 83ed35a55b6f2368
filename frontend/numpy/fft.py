"""``hlox.numpy.fft``: jax.numpy.fft over ``lax.fft`` (stablehlo.fft).

As JAX: ``s``/``n`` crop or zero-pad the input along the transformed axes (for
the inverse real transforms, the last axis to ``n // 2 + 1`` bins); ``axes`` are
moved to the end and back; more than 3 axes are done 3 (or 2) at a time; ``norm``
is "backward" (default: the inverse scaled by 1/n), "ortho" or "forward".
"""

from __future__ import annotations

import math
import operator
from typing import Sequence

import numpy as np

from hlox.frontend import lax
from hlox.frontend.core import dtypes
from hlox.frontend.core.tracing import get_aval
from hlox.frontend.lax import FftType
from hlox.frontend.numpy import base, shape_ops

__all__ = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "rfft2",
           "irfft2", "fftn", "ifftn", "rfftn", "irfftn", "fftfreq", "rfftfreq", "fftshift",
           "ifftshift"]


def _norm_factor(s: Sequence[int], name: str, norm: str | None) -> float | None:
    """The factor ``norm`` applies to the lax result (None: none)."""
    if norm is None or norm == "backward":
        return None
    size = math.prod(s)
    if norm == "ortho":
        return math.sqrt(size) if name.startswith("i") else 1 / math.sqrt(size)
    if norm == "forward":
        return size if name.startswith("i") else 1 / size
    raise ValueError(f'hlox.numpy.fft.{name}: invalid norm value {norm!r}; should be '
                     f'"backward", "ortho" or "forward"')


def _transform_nd(x, kind: FftType, s: Sequence[int]):
    """lax.fft over the last len(s) axes; more than 3 split as JAX does."""
    if len(s) <= 3:
        return lax.fft(x, kind, tuple(s))
    n = 2 if len(s) == 4 else 3
    ndim = get_aval(x).ndim
    src = tuple(range(ndim - len(s), ndim - n))
    dst = tuple(range(ndim - len(s) + n, ndim))
    if kind in (FftType.RFFT, FftType.FFT):
        x = lax.fft(x, kind, tuple(s)[-n:])
        x = shape_ops.moveaxis(x, src, dst)
        x = _transform_nd(x, FftType.FFT, s[:-n])
        return shape_ops.moveaxis(x, dst, src)
    x = shape_ops.moveaxis(x, src, dst)
    x = _transform_nd(x, FftType.IFFT, s[:-n])
    x = shape_ops.moveaxis(x, dst, src)
    return lax.fft(x, kind, tuple(s)[-n:])


def _fft_core(name: str, kind: FftType, a, s, axes, norm):
    x = shape_ops.asarray(a)
    ndim = get_aval(x).ndim
    if s is not None:
        s = tuple(operator.index(n) for n in s)
        if any(n <= 0 for n in s):
            raise ValueError(f"hlox.numpy.fft.{name}: shape {s} should be positive")
    if s is not None and axes is not None and len(s) != len(axes):
        raise ValueError(f"hlox.numpy.fft.{name}: shape {s} and axes {tuple(axes)} have "
                         f"different lengths")
    given_axes = axes
    if axes is None:
        axes = tuple(range(ndim)) if s is None else tuple(range(ndim - len(s), ndim))
    axes = tuple(operator.index(a) for a in axes)
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f"hlox.numpy.fft.{name}: axis {a} is out of bounds for an array "
                             f"of dimension {ndim}")
    if len({a % ndim for a in axes}) != len(axes):
        raise ValueError(f"hlox.numpy.fft.{name}: repeated axes {axes} are not supported")
    if given_axes is not None:
        moved = tuple(range(ndim - len(axes), ndim))
        x = shape_ops.moveaxis(x, axes, moved)
        axes = moved
    shape = list(get_aval(x).shape)
    if s is not None:
        wanted = list(shape)
        for axis, n in zip(axes, s):
            wanted[axis] = n
        if kind == FftType.IRFFT:
            wanted[-1] = wanted[-1] // 2 + 1
        if any(w < n for w, n in zip(wanted, shape)):
            x = lax.slice(x, [0] * ndim, [min(w, n) for w, n in zip(wanted, shape)])
        if any(w > n for w, n in zip(wanted, shape)):
            zero = np.zeros((), get_aval(x).dtype)
            x = lax.pad(x, zero, [(0, max(w - n, 0), 0) for w, n in zip(wanted, shape)])
    elif kind == FftType.IRFFT:
        s = [shape[a] for a in axes[:-1]] + ([max(0, 2 * (shape[axes[-1]] - 1))] if axes else [])
    else:
        s = [shape[a] for a in axes]
    out = _transform_nd(x, kind, s) if axes else lax.fft(x, kind, ())
    factor = _norm_factor(s, name, norm)
    if factor is not None:
        out = out * np.asarray(factor, dtypes.real_dtype(get_aval(out).dtype))
    if given_axes is not None:
        out = shape_ops.moveaxis(out, axes, given_axes)
    return out


def _one_axis(name: str, axis):
    if isinstance(axis, (list, tuple)):
        raise ValueError(f"hlox.numpy.fft.{name} takes one axis, got axis={axis!r} (use "
                         f"hlox.numpy.fft.{name}n for several)")
    return None if axis is None else [axis]


def _fft_1d(name, kind, a, n, axis, norm):
    axes = _one_axis(name, axis)
    return _fft_core(name, kind, a, None if n is None else [n], axes, norm)


def fft(a, n=None, axis=-1, norm=None):
    return _fft_1d("fft", FftType.FFT, a, n, axis, norm)


def ifft(a, n=None, axis=-1, norm=None):
    return _fft_1d("ifft", FftType.IFFT, a, n, axis, norm)


def rfft(a, n=None, axis=-1, norm=None):
    return _fft_1d("rfft", FftType.RFFT, a, n, axis, norm)


def irfft(a, n=None, axis=-1, norm=None):
    return _fft_1d("irfft", FftType.IRFFT, a, n, axis, norm)


def hfft(a, n=None, axis=-1, norm=None):
    """The FFT of a Hermitian-symmetric signal given by its first half (a real result)."""
    from hlox.frontend.numpy import complex_ops

    a = complex_ops.conj(shape_ops.asarray(a))
    size = (get_aval(a).shape[axis] - 1) * 2 if n is None else n
    out = _fft_1d("hfft", FftType.IRFFT, a, n, axis, norm)
    factor = {None: size, "backward": size, "ortho": math.sqrt(size), "forward": 1}[norm]
    return out * np.asarray(factor, get_aval(out).dtype)


def ihfft(a, n=None, axis=-1, norm=None):
    from hlox.frontend.numpy import complex_ops

    a = shape_ops.asarray(a)
    size = get_aval(a).shape[axis] if n is None else n
    out = complex_ops.conj(_fft_1d("ihfft", FftType.RFFT, a, n, axis, norm))
    factor = {None: 1 / size, "backward": 1 / size, "ortho": 1.0, "forward": 1.0}[norm]
    return out * np.asarray(factor, dtypes.real_dtype(get_aval(out).dtype))


def _fft_2d(name, kind, a, s, axes, norm):
    if len(axes) != 2:
        raise ValueError(f"hlox.numpy.fft.{name} takes exactly 2 axes, got axes={axes!r}")
    return _fft_core(name, kind, a, s, axes, norm)


def fft2(a, s=None, axes=(-2, -1), norm=None):
    return _fft_2d("fft2", FftType.FFT, a, s, axes, norm)


def ifft2(a, s=None, axes=(-2, -1), norm=None):
    return _fft_2d("ifft2", FftType.IFFT, a, s, axes, norm)


def rfft2(a, s=None, axes=(-2, -1), norm=None):
    return _fft_2d("rfft2", FftType.RFFT, a, s, axes, norm)


def irfft2(a, s=None, axes=(-2, -1), norm=None):
    return _fft_2d("irfft2", FftType.IRFFT, a, s, axes, norm)


def fftn(a, s=None, axes=None, norm=None):
    return _fft_core("fftn", FftType.FFT, a, s, axes, norm)


def ifftn(a, s=None, axes=None, norm=None):
    return _fft_core("ifftn", FftType.IFFT, a, s, axes, norm)


def rfftn(a, s=None, axes=None, norm=None):
    return _fft_core("rfftn", FftType.RFFT, a, s, axes, norm)


def irfftn(a, s=None, axes=None, norm=None):
    return _fft_core("irfftn", FftType.IRFFT, a, s, axes, norm)


def _freq_dtype(dtype):
    return dtypes.default_float() if dtype is None else dtypes.user_dtype(dtype, "fftfreq")


def fftfreq(n, d=1.0, *, dtype=None, device=None):
    """The sample frequencies of an FFT of length ``n`` (spacing ``d``), as JAX's."""
    n = operator.index(n)
    if n <= 0:
        raise ValueError(f"hlox.numpy.fft.fftfreq: n={n} must be positive")
    k = np.concatenate([np.arange(0, (n - 1) // 2 + 1), np.arange(-(n // 2), 0)])
    return base.asarray(k / (d * n) if np.ndim(d) == 0 and not hasattr(d, "aval") else
                        shape_ops.asarray(k) / (shape_ops.asarray(d) * n), _freq_dtype(dtype))


def rfftfreq(n, d=1.0, *, dtype=None, device=None):
    """The non-negative sample frequencies of an RFFT of length ``n``."""
    n = operator.index(n)
    if n <= 0:
        raise ValueError(f"hlox.numpy.fft.rfftfreq: n={n} must be positive")
    k = np.arange(0, n // 2 + 1)
    return base.asarray(k / (d * n) if np.ndim(d) == 0 and not hasattr(d, "aval") else
                        shape_ops.asarray(k) / (shape_ops.asarray(d) * n), _freq_dtype(dtype))


def _shift(name: str, x, axes, sign: int):
    x = shape_ops.asarray(x)
    shape = get_aval(x).shape
    if axes is None:
        axes = tuple(range(len(shape)))
    elif isinstance(axes, int):
        axes = (axes,)
    shifts = [sign * (shape[a] // 2) for a in axes]
    return shape_ops.roll(x, shifts, tuple(axes)) if axes else x


def fftshift(x, axes=None):
    """Zero frequency to the center (``numpy.fft.fftshift``)."""
    return _shift("fftshift", x, axes, 1)


def ifftshift(x, axes=None):
    """The inverse of fftshift."""
    return _shift("ifftshift", x, axes, -1)
