"""Order statistics and covariance of hlox.numpy: ``quantile``/``percentile``/``median``
(and their NaN-ignoring forms) and ``cov``, with jax.numpy's definitions: a sort along
the reduced axes, then the two neighbouring order statistics mixed as ``method`` says."""

from __future__ import annotations

import functools
import math

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend.core.tracing import get_aval
from hlox.frontend.numpy import bits
from hlox.frontend.numpy import math as nm
from hlox.frontend.numpy import shape_ops as so
from hlox.frontend.numpy.base import _axes, _check_arraylike, _promote, astype, reshape, transpose
from hlox.frontend.staging.jit import jit

__all__ = ["quantile", "percentile", "median", "nanquantile", "nanpercentile", "nanmedian",
           "cov"]

_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


@functools.partial(jit, static_argnames=("axis", "method", "keepdims", "squash_nans"))
def _quantile(a, q, axis, method, keepdims, squash_nans):
    (a,) = _promote("quantile", a, inexact=True)
    q = astype(q, get_aval(a).dtype)  # (as JAX: the result has a's inexact dtype)
    shape = get_aval(a).shape
    axes = _axes("quantile", axis, len(shape))
    kept = tuple(d for d in range(len(shape)) if d not in axes)
    # the reduced axes last, merged into one
    a = transpose(a, kept + axes)
    a = reshape(a, tuple(shape[d] for d in kept) + (math.prod(shape[d] for d in axes),))
    q_shape, q_dtype = get_aval(q).shape, get_aval(q).dtype
    n = get_aval(a).shape[-1]
    if squash_nans:
        a = bits.sort(a, axis=-1)  # NaNs last
        counts = nm.sum(nm.logical_not(nm.isnan(a)), axis=-1, dtype=q_dtype)
    else:
        a = so.where(nm.any(nm.isnan(a), axis=-1, keepdims=True), np.nan, a)
        a = bits.sort(a, axis=-1)
        counts = np.asarray(n, q_dtype)
    out_shape = q_shape + get_aval(a).shape[:-1]
    q = reshape(q, q_shape + (1,) * (len(out_shape) - len(q_shape)))
    position = q * (counts - 1)
    low, high = nm.floor(position), nm.ceil(position)
    high_weight = position - low
    low_weight = 1 - high_weight
    last = counts - 1
    low = astype(nm.maximum(0, nm.minimum(low, last)), np.int32)
    high = astype(nm.maximum(0, nm.minimum(high, last)), np.int32)
    a = so.broadcast_to(a, out_shape + (n,))
    low_value, high_value = (so.take_along_axis(a, so.broadcast_to(i, out_shape)[..., None],
                                                axis=-1)[..., 0] for i in (low, high))
    if method == "linear":
        result = astype(low_value, q_dtype) * low_weight + astype(high_value, q_dtype) * high_weight
    elif method == "lower":
        result = low_value
    elif method == "higher":
        result = high_value
    elif method == "nearest":
        result = so.where(nm.less_equal(high_weight, 0.5), low_value, high_value)
    else:  # midpoint
        result = (low_value + high_value) * 0.5
    if keepdims:
        result = reshape(result, q_shape + tuple(1 if d in axes else s
                                                 for d, s in enumerate(shape)))
    return result


def _static_axis(axis):
    if axis is None or isinstance(axis, (int, np.integer)):
        return None if axis is None else int(axis)
    return tuple(int(a) for a in axis)


def _run(name, a, q, axis, out, overwrite_input, method, keepdims, squash_nans, percent=False):
    _check_arraylike(name, a)
    _check_arraylike(name, q)
    if overwrite_input or out is not None:
        raise ValueError(f"hlox.numpy.{name} does not support overwrite_input=True or "
                         f"out != None")
    if method not in _METHODS:
        raise ValueError(f"hlox.numpy.{name}: method must be one of {', '.join(_METHODS)}, "
                         f"got {method!r}")
    if len(so.shape(q)) > 1:
        raise ValueError(f"hlox.numpy.{name}: q must have rank <= 1, got shape {so.shape(q)}")
    if np.dtype(get_aval(a).dtype).kind == "c":
        raise ValueError(f"hlox.numpy.{name} does not support complex input")
    if percent:  # q / 100 in q's (inexact) dtype
        q = _percent(q)
    return _quantile(a, q, axis=_static_axis(axis), method=method, keepdims=bool(keepdims),
                     squash_nans=squash_nans)


@jit
def _percent(q):
    (q,) = _promote("percentile", q, inexact=True)
    return q / 100


def quantile(a, q, axis=None, out=None, overwrite_input: bool = False, method: str = "linear",
             keepdims: bool = False):
    """The ``q``-th quantiles (``q`` in [0, 1], a scalar or 1-D) of ``a`` over ``axis``
    (``jax.numpy.quantile``); a NaN in a slice makes its quantiles NaN."""
    return _run("quantile", a, q, axis, out, overwrite_input, method, keepdims, False)


def nanquantile(a, q, axis=None, out=None, overwrite_input: bool = False,
                method: str = "linear", keepdims: bool = False):
    """``quantile`` ignoring NaNs (``jax.numpy.nanquantile``)."""
    return _run("nanquantile", a, q, axis, out, overwrite_input, method, keepdims, True)


def percentile(a, q, axis=None, out=None, overwrite_input: bool = False,
               method: str = "linear", keepdims: bool = False):
    """``quantile(a, q / 100)`` (``jax.numpy.percentile``)."""
    return _run("percentile", a, q, axis, out, overwrite_input, method, keepdims, False, True)


def nanpercentile(a, q, axis=None, out=None, overwrite_input: bool = False,
                  method: str = "linear", keepdims: bool = False):
    """``nanquantile(a, q / 100)`` (``jax.numpy.nanpercentile``)."""
    return _run("nanpercentile", a, q, axis, out, overwrite_input, method, keepdims, True, True)


def median(a, axis=None, out=None, overwrite_input: bool = False, keepdims: bool = False):
    """The median over ``axis``: the mean of the two middle values of an even count
    (``jax.numpy.median``)."""
    return _run("median", a, 0.5, axis, out, overwrite_input, "midpoint", keepdims, False)


def nanmedian(a, axis=None, out=None, overwrite_input: bool = False, keepdims: bool = False):
    """``median`` ignoring NaNs (``jax.numpy.nanmedian``)."""
    return _run("nanmedian", a, 0.5, axis, out, overwrite_input, "midpoint", keepdims, True)


@functools.partial(jit, static_argnames=("rowvar", "ddof", "dtype"))
def _cov(m, y, fweights, aweights, rowvar, ddof, dtype):
    m, *rest = _promote("cov", m, *(() if y is None else (y,)), inexact=True)
    x = so.atleast_2d(m)
    if not rowvar and get_aval(m).ndim != 1:
        x = transpose(x)
    if rest:
        y = so.atleast_2d(rest[0])
        if not rowvar and get_aval(y).shape[0] != 1:
            y = transpose(y)
        x = so.concatenate([x, y], axis=0)
    nvars, nobs = get_aval(x).shape
    if nobs == 0:
        return so.full(() if nvars == 1 else (nvars, nvars), np.nan, get_aval(x).dtype)
    w = None
    if fweights is not None:
        w = nm.abs(fweights)
    if aweights is not None:
        aweights = nm.abs(aweights)
        w = aweights if w is None else w * aweights
    if dtype is not None:
        x = astype(x, dtype)
        w = None if w is None else astype(w, dtype)
    if w is None:
        avg = nm.mean(x, axis=1)
        f = nobs - ddof
    else:
        w_sum = nm.sum(w)
        avg = nm.sum(x * w, axis=1) / w_sum
        if ddof == 0:
            f = w_sum
        elif aweights is None:
            f = w_sum - ddof
        else:
            f = w_sum - ddof * nm.sum(w * aweights) / w_sum
    x = x - avg[:, None]
    xt = transpose(x if w is None else x * w)
    return so.squeeze(so.dot(x, xt) / f)


def cov(m, y=None, rowvar: bool = True, bias: bool = False, ddof=None, fweights=None,
        aweights=None, dtype=None):
    """The covariance matrix of the variables in ``m`` (and ``y``): rows are variables
    unless ``rowvar=False`` (``jax.numpy.cov``)."""
    for name, v in (("m", m), ("y", y)):
        if v is not None:
            _check_arraylike("cov", v)
            if len(so.shape(v)) > 2:
                raise ValueError(f"hlox.numpy.cov: {name} has more than 2 dimensions")
    if dtype is not None:
        dtype = dtypes.user_dtype(dtype, "cov")
        if not dtypes.is_float(dtype):
            raise ValueError(f"hlox.numpy.cov: dtype must be a float type, got {dtype}")
    nobs = (so.shape(m) or (1,))[-1] if rowvar or len(so.shape(m)) == 1 else so.shape(m)[0]
    for name, w in (("fweights", fweights), ("aweights", aweights)):
        if w is None:
            continue
        _check_arraylike("cov", w)
        if len(so.shape(w)) > 1:
            raise RuntimeError(f"hlox.numpy.cov: cannot handle multidimensional {name}")
        if so.shape(w)[0] != nobs:
            raise RuntimeError(f"hlox.numpy.cov: incompatible numbers of samples and {name}")
        if name == "fweights" and not dtypes.is_int(get_aval(w).dtype):
            raise TypeError("hlox.numpy.cov: fweights must be integer")
    if ddof is None:
        ddof = 1 if not bias else 0
    return _cov(m, y, fweights, aweights, rowvar=bool(rowvar), ddof=int(ddof), dtype=dtype)
