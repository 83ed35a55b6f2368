"""Complex numbers in ``hlox.numpy``: ``real``, ``imag``, ``conj``/``conjugate``,
``angle``, ``iscomplexobj``/``isrealobj`` and the complex dtypes, as jax.numpy has them
(``real``/``imag``/``conj`` of a real array: the array, zeros, the array)."""

from __future__ import annotations

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend.core.tracing import get_aval
from hlox.frontend import lax
from hlox.frontend.numpy import base

__all__ = ["real", "imag", "conj", "conjugate", "angle", "iscomplexobj", "isrealobj",
           "complex64", "complex128", "complexfloating"]

complex64, complex128 = np.complex64, np.complex128
complexfloating = np.complexfloating


def _array(name: str, x):
    (x,) = base._promote(name, x)
    return x, get_aval(x).dtype


def real(val):
    x, dtype = _array("real", val)
    return lax.real(x) if dtypes.is_complex(dtype) else x


def imag(val):
    x, dtype = _array("imag", val)
    if dtypes.is_complex(dtype):
        return lax.imag(x)
    return lax.broadcast_in_dim(np.zeros((), dtype), get_aval(x).shape, ())


def conj(x):
    x, dtype = _array("conj", x)
    return lax.conj(x) if dtypes.is_complex(dtype) else x


conjugate = conj


def angle(z, deg: bool = False):
    """The argument of ``z`` (radians; degrees with ``deg``), as ``jax.numpy.angle``."""
    from hlox.frontend.numpy import math as nmath

    z, dtype = _array("angle", z)
    if not dtypes.is_inexact(dtype):
        z = lax.convert_element_type(z, dtypes.to_inexact(dtype))
    re, im = real(z), imag(z)
    out = nmath.arctan2(im, re)
    return out * (180.0 / np.pi) if deg else out


def iscomplexobj(x) -> bool:
    return dtypes.is_complex(get_aval(x).dtype)


def isrealobj(x) -> bool:
    return not iscomplexobj(x)
