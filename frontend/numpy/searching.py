"""hlox.numpy's ``searchsorted`` (a binary search of static depth) and ``interp``."""

from __future__ import annotations

import functools

import ml_dtypes
import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend.core.tracing import get_aval
from hlox.frontend.numpy import bits
from hlox.frontend.numpy import math as nm
from hlox.frontend.numpy import shape_ops as so
from hlox.frontend.numpy.base import _check_arraylike, _promote, astype
from hlox.frontend.staging.jit import jit

__all__ = ["searchsorted", "interp"]


def _less(x, y):
    """``x < y`` in sort order: NaN after everything (as lax.sort puts it)."""
    if not dtypes.is_float(get_aval(x).dtype):
        return nm.less(x, y)
    return nm.logical_or(nm.less(x, y), nm.logical_and(nm.isnan(y), nm.logical_not(nm.isnan(x))))


@functools.partial(jit, static_argnames=("side",))
def _searchsorted(a, v, side):
    a, v = _promote("searchsorted", a, v)
    n = get_aval(a).shape[0]
    lo = so.zeros_like(v, dtype=np.int32)
    hi = so.full_like(v, n, dtype=np.int32)
    # each step halves [lo, hi); n.bit_length() steps reach lo == hi for every element
    for _ in range(n.bit_length()):
        mid = (lo + hi) // 2
        pivot = so.take(a, nm.minimum(mid, n - 1))
        right = _less(pivot, v) if side == "left" else nm.logical_not(_less(v, pivot))
        active = nm.less(lo, hi)
        lo = so.where(nm.logical_and(active, right), mid + 1, lo)
        hi = so.where(nm.logical_and(active, nm.logical_not(right)), mid, hi)
    return lo


def searchsorted(a, v, side: str = "left", sorter=None, *, method: str = "scan"):
    """Indices at which inserting ``v`` keeps the sorted 1-D ``a`` sorted, as int32
    (``jax.numpy.searchsorted``; NaNs sort last). ``method`` is accepted for
    compatibility: every method gives the same indices."""
    del method
    _check_arraylike("searchsorted", a)
    _check_arraylike("searchsorted", v)
    if len(so.shape(a)) != 1:
        raise ValueError(f"hlox.numpy.searchsorted: a should be 1-D, got shape {so.shape(a)}")
    if side not in ("left", "right"):
        raise ValueError(f"hlox.numpy.searchsorted: side must be 'left' or 'right', got "
                         f"{side!r}")
    if sorter is not None:
        a = so.take(a, sorter)
    return _searchsorted(a, v, side=side)


@functools.partial(jit, static_argnames=("extrapolate_left", "extrapolate_right", "periodic"))
def _interp(x, xp, fp, left, right, period, extrapolate_left, extrapolate_right, periodic):
    x, xp = _promote("interp", x, xp, inexact=True)
    (fp,) = _promote("interp", fp, inexact=True)
    if periodic:
        period = nm.abs(period)
        x, xp = nm.remainder(x, period), nm.remainder(xp, period)
        order = bits.argsort(xp)
        xp, fp = so.take(xp, order), so.take(fp, order)
        xp = so.concatenate([xp[-1:] - period, xp, xp[:1] + period])
        fp = so.concatenate([fp[-1:], fp, fp[:1]])
    n = get_aval(xp).shape[0]
    i = nm.clip(searchsorted(xp, x, side="right"), 1, n - 1)
    lo_x, hi_x, lo_f, hi_f = (so.take(arr, j) for arr, j in
                              ((xp, i - 1), (xp, i), (fp, i - 1), (fp, i)))
    df, dx, delta = hi_f - lo_f, hi_x - lo_x, x - lo_x
    # (a zero-width interval takes its left value: no 0/0, no NaN gradient)
    eps = np.spacing(ml_dtypes.finfo(get_aval(xp).dtype).eps)
    flat = nm.less_equal(nm.abs(dx), astype(eps, get_aval(dx).dtype))
    safe_dx = so.where(flat, so.ones_like(dx), dx)
    f = so.where(flat, lo_f, lo_f + (delta / safe_dx) * df)
    if not periodic:
        if not extrapolate_left:
            f = so.where(nm.less(x, xp[0]), fp[0] if left is None else left, f)
        if not extrapolate_right:
            f = so.where(nm.greater(x, xp[-1]), fp[-1] if right is None else right, f)
    return f


def interp(x, xp, fp, left=None, right=None, period=None):
    """Piecewise-linear interpolation of the points ``(xp, fp)`` at ``x``
    (``jax.numpy.interp``): ``left``/``right`` outside (default the end values, or
    ``'extrapolate'``), ``period`` for periodic ``xp``."""
    for arg in (x, xp, fp):
        _check_arraylike("interp", arg)
    if len(so.shape(xp)) != 1 or so.shape(xp) != so.shape(fp):
        raise ValueError("hlox.numpy.interp: xp and fp must be one-dimensional arrays of "
                         "equal size")
    flags = {}
    for name, value in (("left", left), ("right", right)):
        if isinstance(value, str) and value != "extrapolate":
            raise ValueError(f"hlox.numpy.interp: the only valid string value of {name} is "
                             f"'extrapolate', got {value!r}")
        flags[f"extrapolate_{name}"] = isinstance(value, str)
    if period is not None and np.ndim(period) != 0:
        raise ValueError(f"hlox.numpy.interp: period must be a scalar, got {period!r}")
    left, right = (None if isinstance(v, str) else v for v in (left, right))
    return _interp(x, xp, fp, left, right, period, periodic=period is not None, **flags)
