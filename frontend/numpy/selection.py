"""hlox.numpy's ``select`` and ``nan_to_num``: values chosen by masks."""

from __future__ import annotations

import functools

import ml_dtypes
import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend.core.tracing import get_aval
from hlox.frontend.numpy import math as nm
from hlox.frontend.numpy.base import _check_arraylike, _promote, astype
from hlox.frontend.staging.jit import jit

__all__ = ["select", "nan_to_num"]


@jit
def _select(condlist, choicelist, default):
    default, *choices = _promote("select", default, *choicelist)
    out = default
    # the first true condition wins: apply them last to first
    for cond, choice in zip(reversed(condlist), reversed(choices)):
        out = nm.where(astype(cond, bool), choice, out)
    return out


def select(condlist, choicelist, default=0):
    """``choicelist[i]`` where ``condlist[i]`` is the first true condition, else
    ``default``, everything broadcast (``jax.numpy.select``)."""
    if len(condlist) != len(choicelist):
        raise ValueError(f"hlox.numpy.select: condlist must have length equal to choicelist "
                         f"({len(condlist)} vs {len(choicelist)})")
    if len(condlist) == 0:
        raise ValueError("hlox.numpy.select: condlist must be non-empty")
    for x in (*condlist, *choicelist, default):
        _check_arraylike("select", x)
    return _select(list(condlist), list(choicelist), default)


@functools.partial(jit, static_argnames=("nan", "posinf", "neginf"))
def _nan_to_num(x, nan, posinf, neginf):
    dtype = get_aval(x).dtype
    info = ml_dtypes.finfo(dtype)
    posinf = info.max if posinf is None else posinf
    neginf = info.min if neginf is None else neginf
    full = lambda v: np.asarray(v, dtype)  # noqa: E731
    out = nm.where(nm.isnan(x), full(nan), x)
    out = nm.where(nm.logical_and(nm.isinf(out), nm.greater(out, 0)), full(posinf), out)
    return nm.where(nm.logical_and(nm.isinf(out), nm.less(out, 0)), full(neginf), out)


def nan_to_num(x, copy: bool = True, nan=0.0, posinf=None, neginf=None):
    """NaN -> ``nan``, +inf -> ``posinf`` (default the dtype's max), -inf -> ``neginf``
    (default its lowest); integer and bool arrays are returned as they are
    (``jax.numpy.nan_to_num``)."""
    del copy
    _check_arraylike("nan_to_num", x)
    if not dtypes.is_float(get_aval(x).dtype):
        return x
    static = lambda v: None if v is None else float(v)  # noqa: E731  (hashable, for jit)
    return _nan_to_num(x, nan=static(nan), posinf=static(posinf), neginf=static(neginf))
