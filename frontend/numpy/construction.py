"""hlox.numpy's ``meshgrid``, ``diag`` and ``kron``: arrays built from smaller ones."""

from __future__ import annotations

import functools

from hlox.frontend.core.tracing import get_aval
from hlox.frontend.numpy import shape_ops as so
from hlox.frontend.numpy.base import _check_arraylike, _promote, multiply, reshape
from hlox.frontend.staging.jit import jit

__all__ = ["meshgrid", "diag", "kron"]


@functools.partial(jit, static_argnames=("sparse", "indexing"))
def _meshgrid(xi, sparse, indexing):
    ndim = len(xi)
    sizes = [get_aval(x).shape[0] for x in xi]
    if indexing == "xy" and ndim >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out = []
    for i, x in enumerate(xi):
        axis = (1 - i if i < 2 else i) if indexing == "xy" and ndim >= 2 else i
        shape = [1] * ndim
        shape[axis] = get_aval(x).shape[0]
        x = reshape(x, tuple(shape))
        out.append(x if sparse else so.broadcast_to(x, tuple(sizes)))
    return out


def meshgrid(*xi, copy: bool = True, sparse: bool = False, indexing: str = "xy"):
    """Coordinate arrays from 1-D coordinate vectors (``jax.numpy.meshgrid``): ``indexing``
    ``'xy'`` (Cartesian: the first two outputs' axes swapped) or ``'ij'`` (matrix)."""
    del copy
    for i, x in enumerate(xi):
        _check_arraylike("meshgrid", x)
        if len(so.shape(x)) != 1:
            raise ValueError(f"hlox.numpy.meshgrid: argument {i} is {len(so.shape(x))}-D; "
                             f"arguments must be 1-D")
    if indexing not in ("xy", "ij"):
        raise ValueError(f"hlox.numpy.meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}")
    if not xi:
        return []
    return list(_meshgrid(list(xi), sparse=bool(sparse), indexing=indexing))


@functools.partial(jit, static_argnames=("k",))
def _diag_from_vector(v, k):
    n = get_aval(v).shape[0] + abs(k)
    # w[j] is the value of column j's diagonal element
    w = so.pad(v, (k, 0)) if k >= 0 else so.pad(v, (0, -k))
    mask = so.eye(n, k=k, dtype=bool)
    return so.where(mask, so.broadcast_to(w, (n, n)), so.zeros_like(w, shape=(n, n)))


def diag(v, k: int = 0):
    """A 1-D ``v`` on the ``k``-th diagonal of a square matrix, or the ``k``-th diagonal of
    a 2-D ``v`` (``jax.numpy.diag``)."""
    _check_arraylike("diag", v)
    ndim = len(so.shape(v))
    if ndim == 1:
        return _diag_from_vector(v, k=int(k))
    if ndim == 2:
        return so.diagonal(v, offset=int(k))
    raise ValueError(f"hlox.numpy.diag: input must be 1-D or 2-D, got {ndim}-D")


@jit
def _kron(a, b):
    a, b = _promote("kron", a, b)
    sa, sb = get_aval(a).shape, get_aval(b).shape
    nd = max(len(sa), len(sb))
    sa, sb = (1,) * (nd - len(sa)) + sa, (1,) * (nd - len(sb)) + sb
    # a[i0, 1, i1, 1, ...] * b[1, j0, 1, j1, ...], then merge each (i, j) pair of axes
    a = reshape(a, tuple(d for s in sa for d in (s, 1)))
    b = reshape(b, tuple(d for s in sb for d in (1, s)))
    return reshape(multiply(a, b), tuple(x * y for x, y in zip(sa, sb)))


def kron(a, b):
    """The Kronecker product (``jax.numpy.kron``)."""
    _check_arraylike("kron", a)
    _check_arraylike("kron", b)
    return _kron(a, b)
