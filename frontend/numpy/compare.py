"""Whole-array comparisons of hlox.numpy: ``isclose``, ``allclose``, ``array_equal``.

Each body runs as one ``jit`` (eagerly: one compilation per signature, not one per
primitive), with jax.numpy's promotion: integers compare as floats in ``isclose``.
"""

from __future__ import annotations

import functools

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend.core.tracing import get_aval
from hlox.frontend.numpy import math as nm
from hlox.frontend.numpy.base import _check_arraylike, _promote, astype
from hlox.frontend.staging.jit import jit

__all__ = ["isclose", "allclose", "array_equal"]


@functools.partial(jit, static_argnames=("equal_nan",))
def _isclose(a, b, rtol, atol, equal_nan):
    a, b = _promote("isclose", a, b, inexact=True)
    dtype = get_aval(a).dtype
    # rtol/atol in the operands' dtype (a float16 atol=1e-8 is 0, as in JAX)
    rtol, atol = (astype(v, dtype) for v in (rtol, atol))
    in_range = nm.less_equal(nm.abs(a - b), atol + rtol * nm.abs(b))
    out = nm.logical_or(nm.equal(a, b), nm.logical_and(nm.isfinite(b), in_range))
    if equal_nan:
        out = nm.logical_or(out, nm.logical_and(nm.isnan(a), nm.isnan(b)))
    return out


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan: bool = False):
    """``|a - b| <= atol + rtol * |b|`` elementwise, infinities equal only to themselves
    (``jax.numpy.isclose``)."""
    _check_arraylike("isclose", a)
    _check_arraylike("isclose", b)
    _check_arraylike("isclose", rtol)
    _check_arraylike("isclose", atol)
    return _isclose(a, b, rtol, atol, equal_nan=bool(equal_nan))


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan: bool = False):
    """Whether ``isclose`` holds everywhere, as a bool scalar array."""
    return nm.all(isclose(a, b, rtol, atol, equal_nan))


@functools.partial(jit, static_argnames=("equal_nan",))
def _array_equal(a1, a2, equal_nan):
    a1, a2 = _promote("array_equal", a1, a2)
    eq = nm.equal(a1, a2)
    if equal_nan and dtypes.is_float(get_aval(a1).dtype):
        eq = nm.logical_or(eq, nm.logical_and(nm.isnan(a1), nm.isnan(a2)))
    return nm.all(eq)


def array_equal(a1, a2, equal_nan: bool = False):
    """Same shape and equal elements (NaNs equal if ``equal_nan``), as a bool scalar; arrays
    of different shapes are unequal, not an error (``jax.numpy.array_equal``)."""
    _check_arraylike("array_equal", a1)
    _check_arraylike("array_equal", a2)
    if np.shape(a1) != np.shape(a2):
        return np.bool_(False)
    return _array_equal(a1, a2, equal_nan=bool(equal_nan))
