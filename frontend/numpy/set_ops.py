"""hlox.numpy's ``unique``: sort, mark the first of each run, gather (JAX's algorithm;
under jit ``size=`` fixes the output length)."""

from __future__ import annotations

import functools

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend.core.tracing import Tracer, get_aval
from hlox.frontend.numpy import bits
from hlox.frontend.numpy import math as nm
from hlox.frontend.numpy import shape_ops as so
from hlox.frontend.numpy.base import _check_arraylike, astype, reshape
from hlox.frontend.staging.jit import jit

__all__ = ["unique"]


@functools.partial(jit, static_argnames=("size", "return_index", "return_inverse",
                                         "return_counts", "equal_nan", "shape"))
def _unique(x, fill_value, size, return_index, return_inverse, return_counts, equal_nan, shape):
    n = get_aval(x).shape[0]
    index_dtype = dtypes.default_int()
    perm = bits.argsort(x, stable=True)
    aux = so.take(x, perm)
    differs = nm.not_equal(aux[1:], aux[:-1])
    if equal_nan and dtypes.is_float(get_aval(x).dtype):
        differs = nm.logical_and(differs, nm.logical_not(nm.logical_and(
            nm.isnan(aux[1:]), nm.isnan(aux[:-1]))))
    mask = so.concatenate([np.ones(1, bool), differs])  # first of each run of equal values
    ind = so.nonzero(mask, size=size)[0]
    result = so.take(aux, ind)
    if fill_value is not None:
        valid = nm.less(so.arange(size), nm.sum(mask, dtype=np.int32))
        result = so.where(valid, result, astype(fill_value, get_aval(result).dtype))
    out = [result]
    if return_index:
        out.append(astype(so.take(perm, ind), index_dtype))
    if return_inverse:
        first_of = nm.cumsum(astype(mask, index_dtype)) - 1
        inverse = so.zeros(n, index_dtype).at[perm].set(first_of)
        out.append(reshape(inverse, shape))
    if return_counts:
        starts = so.nonzero(mask, size=size + 1)[0]
        # a padding index (0) past the first marks the end: n (padded counts are 0)
        bounds = so.concatenate([starts[:1], so.where(starts[1:] > 0, starts[1:], n)])
        out.append(astype(bounds[1:] - bounds[:-1], index_dtype))
    return out[0] if len(out) == 1 else tuple(out)


def unique(ar, return_index: bool = False, return_inverse: bool = False,
           return_counts: bool = False, axis=None, *, equal_nan: bool = True, size=None,
           fill_value=None, sorted: bool = True):  # noqa: A002  (numpy's name)
    """The sorted unique elements of ``ar`` (flattened), and optionally the index of each
    one's first occurrence, the inverse indices (``ar``'s shape) and the counts
    (``jax.numpy.unique``). ``size``: the output length (needed under jit): the first
    ``size`` unique values, padded with ``fill_value`` (default: the smallest value)."""
    del sorted  # always sorted, as JAX
    _check_arraylike("unique", ar)
    shape = tuple(so.shape(ar))
    if axis is not None and not (len(shape) == 1 and int(axis) in (0, -1)):
        raise NotImplementedError("hlox.numpy.unique: axis= on arrays of rank > 1 is not "
                                  "supported yet (unique slices); use axis=None")
    flat = reshape(ar, (-1,))
    count = int(np.prod(shape, dtype=np.int64))
    if size is None:
        if isinstance(ar, Tracer):
            raise TypeError("hlox.numpy.unique: the number of unique values depends on the "
                            "data: under jit/vmap/grad pass size= (and fill_value=)")
        size = len(np.unique(np.asarray(flat), equal_nan=bool(equal_nan))) if count else 0
    size = int(size)
    if count == 0:
        if size and fill_value is None:
            raise ValueError("hlox.numpy.unique: for an empty input with size > 0, "
                             "fill_value must be given")
        result = so.full((size,), 0 if fill_value is None else fill_value,
                         get_aval(ar).dtype)
        extra = [so.zeros(size if k != "inverse" else shape, dtypes.default_int())
                 for k, on in (("index", return_index), ("inverse", return_inverse),
                               ("counts", return_counts)) if on]
        return tuple([result, *extra]) if extra else result
    return _unique(flat, fill_value, size=size, return_index=bool(return_index),
                   return_inverse=bool(return_inverse), return_counts=bool(return_counts),
                   equal_nan=bool(equal_nan), shape=shape)
