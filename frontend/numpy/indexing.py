"""NumPy indexing on hlox arrays: ``x[idx]`` and ``x.at[idx].set/add/...``.

``x[idx]`` follows NumPy's rules (ints, slices with any step, ``None``,
``Ellipsis``, integer arrays broadcast together, concrete boolean masks) with
JAX's out-of-bounds behaviour: a read clamps. Basic indices become
``slice``/``rev``/``reshape``; integer arrays become one ``gather``.

``x.at[idx].op(v)`` scatters: the positions ``x[idx]`` reads are computed as
flat element ids (with NumPy for static indices, with the same gather over an
iota otherwise) and ``v`` (broadcast to ``x[idx]``'s shape) is scattered into
the flattened ``x``. Out-of-bounds updates are dropped, as in JAX.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend import lax
from hlox.frontend.core.array import Array
from hlox.frontend.core.tracing import Tracer, get_aval, shape_error
from hlox.frontend.core.array import wrap
from hlox.frontend.lax.structural import GatherDimensionNumbers, ScatterDimensionNumbers
from hlox.frontend.numpy import base, shape_ops

__all__ = ["getitem", "AtIndexer"]


def _is_int_scalar(i) -> bool:
    return isinstance(i, (int, np.integer)) and not isinstance(i, (bool, np.bool_))


def _is_array_index(i) -> bool:
    if isinstance(i, Tracer):
        return True
    if isinstance(i, (list, np.ndarray, Array)):
        return True
    return False


# Boolean scalar indices insert an axis like None, of size 1 (True) or 0 (False).
_NEW_AXIS_TRUE = object()
_NEW_AXIS_FALSE = object()


def _is_new_axis(i) -> bool:
    return i is None or i is _NEW_AXIS_TRUE or i is _NEW_AXIS_FALSE


def _expand_index(idx, ndim: int) -> tuple[list, bool]:
    """``idx`` as a list with one entry per dimension (after ``None``\\ s are made real)."""
    idx = list(idx) if isinstance(idx, tuple) else [idx]
    out = []
    for i in idx:  # concrete boolean masks become one integer array per masked dimension
        if isinstance(i, (list, np.ndarray, Array)) and np.asarray(i).dtype == np.bool_ and \
                np.ndim(i) > 0:
            out.extend(np.nonzero(np.asarray(i)))
        elif isinstance(i, Tracer) and i.dtype == np.bool_:
            raise IndexError("boolean indices must be concrete (a traced boolean mask gives a "
                             "result of unknown shape); use hlox.numpy.where instead")
        elif isinstance(i, (bool, np.bool_)):  # a new axis, of size 1 (True) or 0 (False)
            out.append(_NEW_AXIS_TRUE if i else _NEW_AXIS_FALSE)
        else:
            out.append(i)
    # NumPy keeps the advanced indices' result dimensions in place only when they are
    # adjacent in the index as written (an Ellipsis separates them, even covering nothing).
    has_arrays = any(_is_array_index(i) for i in out)
    advanced = [k for k, i in enumerate(out)
                if _is_array_index(i) or (has_arrays and _is_int_scalar(i))]
    contiguous = advanced == list(range(advanced[0], advanced[-1] + 1)) if advanced else True
    n_ellipsis = sum(i is Ellipsis for i in out)
    if n_ellipsis > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    used = sum(1 for i in out if not _is_new_axis(i) and i is not Ellipsis)
    if used > ndim:
        raise IndexError(f"too many indices for array: array is {ndim}-dimensional, but "
                         f"{used} were indexed")
    if n_ellipsis:
        k = next(j for j, i in enumerate(out) if i is Ellipsis)  # (== would compare arrays)
        out[k:k + 1] = [slice(None)] * (ndim - used)
    else:
        out += [slice(None)] * (ndim - used)
    return out, contiguous


def _as_index_array(i):
    if isinstance(i, Tracer):
        if not dtypes.is_int(i.dtype):
            raise IndexError(f"array indices must be integers, got {i.aval.str_short()}")
        return i
    a = np.asarray(i)
    if a.size == 0 and a.dtype == np.float64:
        a = a.astype(np.int32)
    if not np.issubdtype(a.dtype, np.integer):
        raise IndexError(f"array indices must be integers, got dtype {a.dtype}")
    return a.astype(np.int32) if a.dtype.itemsize <= 4 or np.abs(a).max(initial=0) < 2**31 \
        else a


def getitem(x, idx, mode: str | None = None, fill_value=None):
    """``x[idx]`` with NumPy semantics; ``mode`` as ``jax.lax.gather`` (default: clip)."""
    aval = get_aval(x)
    # 1. None: insert size-1 dimensions, then index them with a full slice.
    entries, contiguous = _expand_index(idx, aval.ndim)
    has_arrays = any(_is_array_index(e) for e in entries)
    if has_arrays and any(e is _NEW_AXIS_TRUE or e is _NEW_AXIS_FALSE for e in entries):
        raise IndexError("boolean scalar indices together with integer array indices are not "
                         "supported")
    if any(_is_new_axis(e) for e in entries):
        shape, it = [], iter(aval.shape)
        for e in entries:
            shape.append(1 if _is_new_axis(e) else next(it))
        x = lax.reshape(x, shape)
        entries = [slice(0, 0) if e is _NEW_AXIS_FALSE else slice(None) if _is_new_axis(e)
                   else e for e in entries]
        aval = get_aval(x)
    # 2. Basic indices: static slices (and ints when there are no arrays).
    starts, limits, strides, flips, squeeze, advanced = [], [], [], [], [], {}
    for d, (e, n) in enumerate(zip(entries, aval.shape)):
        if isinstance(e, slice):
            start, stop, step = e.indices(n)
            count = len(range(start, stop, step))
            if step > 0:
                starts.append(start)
                limits.append(start + (count - 1) * step + 1 if count else start)
                strides.append(step if count > 1 else 1)
            else:
                last = start + (count - 1) * step
                starts.append(last if count else 0)
                limits.append(start + 1 if count else 0)
                strides.append(-step if count > 1 else 1)
                if count > 1:
                    flips.append(d)
        elif _is_int_scalar(e) and not has_arrays and -n <= int(e) < n:
            i = int(e) + n if int(e) < 0 else int(e)
            starts.append(i)
            limits.append(i + 1)
            strides.append(1)
            squeeze.append(d)
        else:
            starts.append(0)
            limits.append(n)
            strides.append(1)
            advanced[d] = e
    y = lax.slice(x, starts, limits, strides)
    y = lax.rev(y, flips)
    if not advanced:
        return lax.squeeze(y, squeeze)
    if squeeze:  # in-bounds static ints beside an out-of-bounds one (which gathers, clamped)
        keep = [d for d in range(aval.ndim) if d not in squeeze]
        y = lax.squeeze(y, squeeze)
        advanced = {keep.index(d): e for d, e in advanced.items()}
    return _gather_advanced(y, advanced, contiguous, mode, fill_value)


def _broadcast_index_arrays(arrays: list, sizes: list[int]):
    """The index arrays, negatives wrapped, broadcast together and stacked on a last axis."""
    shapes = [np.shape(a) if not isinstance(a, Tracer) else a.shape for a in arrays]
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        raise IndexError("shape mismatch: indexing arrays could not be broadcast together "
                         f"with shapes {' '.join(str(s) for s in shapes)}") from None
    if all(not isinstance(a, Tracer) for a in arrays):
        cols = [np.broadcast_to(np.where(a < 0, a + n, a), shape).astype(np.int32)
                for a, n in zip(arrays, sizes)]
        return np.stack(cols, -1), shape
    cols = []
    for a, n in zip(arrays, sizes):
        a = _api_astype(a, np.int32)
        ashape = get_aval(a).shape
        wrapped = lax.add(a, np.full(ashape, n, np.int32))
        a = lax.select(lax.lt(a, np.zeros(ashape, np.int32)), wrapped, a)
        cols.append(shape_ops.broadcast_to(a, shape))
    return shape_ops.stack(cols, -1), shape


def _api_astype(x, dtype):
    return base.astype(x, dtype)


def _gather_advanced(y, advanced: dict, contiguous: bool, mode, fill_value):
    aval = get_aval(y)
    dims = sorted(advanced)
    arrays = [_as_index_array(advanced[d]) for d in dims]
    indices, bshape = _broadcast_index_arrays(arrays, [aval.shape[d] for d in dims])
    # NumPy: adjacent advanced indices keep their place; separated ones go first.
    adjacent = contiguous and dims == list(range(dims[0], dims[-1] + 1))
    rest = [d for d in range(aval.ndim) if d not in advanced]
    pos = len([d for d in rest if d < dims[0]]) if adjacent else 0
    rank = len(bshape) + len(rest)
    offset_dims = tuple(p for p in range(rank) if not pos <= p < pos + len(bshape))
    dnums = GatherDimensionNumbers(offset_dims, tuple(dims), tuple(dims))
    sizes = tuple(1 if d in advanced else n for d, n in enumerate(aval.shape))
    return lax.gather(y, indices, dnums, sizes, mode="clip" if mode is None else mode,
                      fill_value=fill_value)


# ---------------------------------------------------------------------------
# x.at[idx]
# ---------------------------------------------------------------------------

def _static_index(idx) -> bool:
    items = idx if isinstance(idx, tuple) else (idx,)
    return not any(isinstance(i, Tracer) for i in items)


def _flat_ids(shape, idx, mode=None):
    """The flat element ids ``x[idx]`` reads; out-of-bounds positions are -1 (dropped), or
    clamped into bounds with ``mode="clip"`` (after negative indices wrap once, as JAX)."""
    size = int(np.prod(shape, dtype=np.int64))
    iota = np.arange(size, dtype=np.int32).reshape(shape)
    if _static_index(idx):
        try:
            return iota[idx]
        except IndexError:
            pass  # out-of-bounds entries: computed below with the mode's semantics
    if mode == "clip":
        return getitem(iota, idx, mode="clip")
    return getitem(iota, idx, mode="fill", fill_value=-1)


def _scatter_at(x, idx, values, prim_fn, name: str, mode=None):

    aval = get_aval(x)
    ids = _flat_ids(aval.shape, idx, mode)
    ids_shape = get_aval(ids).shape
    values = shape_ops.asarray(values) if not isinstance(values, Tracer) else values
    vaval = get_aval(values)
    if vaval.dtype != aval.dtype:
        values = base.astype(values, aval.dtype)
    try:
        np.broadcast_shapes(vaval.shape, ids_shape)
    except ValueError:
        raise shape_error(f"at[].{name}", f"values of shape {vaval.shape} cannot be broadcast "
                          f"to the indexed shape {ids_shape}", aval, vaval) from None
    values = shape_ops.broadcast_to(values, ids_shape)
    flat = lax.reshape(x, (aval.size,))
    dnums = ScatterDimensionNumbers((), (0,), (0,))
    if isinstance(ids, Tracer):
        ids, unique = lax.reshape(ids, ids_shape + (1,)), False
    else:  # static positions: whether they repeat is known (and enables more derivatives)
        ids = np.asarray(ids).reshape(ids_shape + (1,))
        unique = np.unique(ids).size == ids.size
    out = prim_fn(flat, ids, values, dnums, mode=mode, unique_indices=unique)
    return lax.reshape(out, aval.shape)


class _IndexUpdateRef:
    """``x.at[idx]``: functional updates of ``x`` at ``idx`` (``jax.numpy.ndarray.at``)."""

    __slots__ = ("array", "index")

    def __init__(self, array, index):
        self.array = array
        self.index = index

    def __repr__(self) -> str:
        return f"_IndexUpdateRef({self.array!r}, {self.index!r})"

    def get(self, *, mode=None, fill_value=None, indices_are_sorted=False, unique_indices=False):
        return _wrap(getitem(self.array, self.index, mode=mode, fill_value=fill_value))

    def set(self, values, *, mode=None, indices_are_sorted=False, unique_indices=False):
        return _wrap(_scatter_at(self.array, self.index, values, lax.scatter, "set", mode))

    def add(self, values, *, mode=None, indices_are_sorted=False, unique_indices=False):
        return _wrap(_scatter_at(self.array, self.index, values, lax.scatter_add, "add", mode))

    def multiply(self, values, *, mode=None, indices_are_sorted=False, unique_indices=False):
        return _wrap(_scatter_at(self.array, self.index, values, lax.scatter_mul, "multiply",
                                 mode))

    mul = multiply

    def subtract(self, values, *, mode=None, indices_are_sorted=False, unique_indices=False):
        return self.add(base.negative(values), mode=mode)

    def divide(self, values, *, mode=None, indices_are_sorted=False, unique_indices=False):
        # As JAX: a multiplication by the reciprocal (repeated indices divide repeatedly).
        return self.multiply(base.divide(1, values), mode=mode)

    def min(self, values, *, mode=None, indices_are_sorted=False, unique_indices=False):
        return _wrap(_scatter_at(self.array, self.index, values, lax.scatter_min, "min", mode))

    def max(self, values, *, mode=None, indices_are_sorted=False, unique_indices=False):
        return _wrap(_scatter_at(self.array, self.index, values, lax.scatter_max, "max", mode))


class AtIndexer:
    """``x.at``: ``x.at[idx]`` gives the update reference."""

    __slots__ = ("array",)

    def __init__(self, array):
        self.array = array

    def __getitem__(self, index) -> _IndexUpdateRef:
        return _IndexUpdateRef(self.array, index)


def _wrap(value: Any):
    return wrap(value)
