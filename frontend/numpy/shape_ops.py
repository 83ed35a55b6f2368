"""``hlox.numpy`` shape ops, linear algebra, indexing helpers and array creation.

The shape side of NumPy's API over :mod:`hlox.frontend.lax.base` (reshape,
concatenate, stack, split, tile, pad, where, einsum, take, ...), with
NumPy's argument conventions and JAX's semantics (promotion of mixed
dtypes, out-of-bounds ``take`` filling). Creation functions build NumPy
arrays of hlox's dtypes (viewed as :class:`hlox.Array`): inside ``jit`` they
are constants, as in JAX.
"""

from __future__ import annotations

import builtins
import string
from typing import Sequence

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend import lax
from hlox.frontend.core.array import wrap
from hlox.frontend.core.tracing import Tracer, get_aval, shape_error
from hlox.frontend.numpy.base import (_axes, _broadcast_shapes, _broadcast_to, _check_arraylike,
                                      _normalize_axis, _promote, reshape, transpose)
from hlox.frontend.numpy import base as _api
from hlox.frontend.numpy import math as _math
from hlox.frontend.numpy import bits

__all__ = [
    "array", "asarray", "zeros", "ones", "full", "empty", "zeros_like", "ones_like", "full_like",
    "empty_like", "arange", "linspace", "eye", "identity", "tri", "triu", "tril",
    "reshape", "transpose", "swapaxes", "moveaxis", "expand_dims", "squeeze", "ravel",
    "concatenate", "stack", "hstack", "vstack", "dstack", "column_stack", "split", "array_split",
    "tile", "repeat", "flip", "fliplr", "flipud", "roll", "pad", "broadcast_to",
    "broadcast_arrays", "broadcast_shapes", "atleast_1d", "atleast_2d", "atleast_3d",
    "where", "nonzero", "argwhere", "count_nonzero", "dot", "vdot", "matmul", "einsum", "tensordot", "outer", "inner", "take",
    "take_along_axis", "diagonal", "trace", "shape", "ndim", "size",
]


def _dtype_or(name: str, dtype, default):
    """The ``dtype=`` argument of ``name`` (see dtypes.user_dtype), else ``default``."""
    return dtypes.canonicalize(default) if dtype is None else dtypes.user_dtype(dtype, name)


def _shape_tuple(shape) -> tuple[int, ...]:
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(d) for d in shape)


def _concrete(name: str, value):
    if isinstance(value, Tracer):
        raise TypeError(f"hlox.numpy.{name}: needs a concrete (non-traced) value, got "
                        f"{value.aval.str_short()}; pass it as a static argument")
    return value


# ---------------------------------------------------------------------------
# Creation
# ---------------------------------------------------------------------------

def asarray(a, dtype=None, order=None, *, copy=None):
    """``a`` as an array: traced values pass through; others become an :class:`Array`."""
    if isinstance(a, (list, tuple)) and any(isinstance(v, Tracer) for v in _leaves(a)):
        return stack([asarray(v, dtype) for v in a]) if a else asarray(np.asarray(a), dtype)
    if isinstance(a, (list, tuple)):
        a = np.asarray(a)  # NumPy's 64-bit defaults, canonicalized to the mode by _api.asarray
    return wrap(_api.asarray(a, dtype))


def _leaves(seq):
    for v in seq:
        if isinstance(v, (list, tuple)):
            yield from _leaves(v)
        else:
            yield v


def array(object, dtype=None, copy=True, order=None, ndmin=0):  # noqa: A002
    out = asarray(object, dtype)
    if copy and out is object:
        out = out.copy()
    if ndmin and get_aval(out).ndim < ndmin:
        out = reshape(out, (1,) * (ndmin - get_aval(out).ndim) + get_aval(out).shape)
    return out


def zeros(shape, dtype=None):
    return wrap(np.zeros(_shape_tuple(shape), _dtype_or("zeros", dtype, dtypes.default_float())))


def ones(shape, dtype=None):
    return wrap(np.ones(_shape_tuple(shape), _dtype_or("ones", dtype, dtypes.default_float())))


empty = zeros


def full(shape, fill_value, dtype=None):
    shape = _shape_tuple(shape)
    if isinstance(fill_value, Tracer):
        value = fill_value if dtype is None else _api.astype(fill_value, dtype)
        return broadcast_to(value, shape)
    dtype = _dtype_or("full", dtype, get_aval(fill_value).dtype if not isinstance(
        fill_value, (list, tuple)) else np.asarray(fill_value).dtype)
    return wrap(np.broadcast_to(np.asarray(fill_value, dtype), shape).copy())


def _like(name, a, dtype, shape):
    aval = get_aval(a)
    return (aval.dtype if dtype is None else dtypes.user_dtype(dtype, name),
            aval.shape if shape is None else _shape_tuple(shape))


def zeros_like(a, dtype=None, shape=None):
    dtype, shape = _like("zeros_like", a, dtype, shape)
    return wrap(np.zeros(shape, dtype))


def ones_like(a, dtype=None, shape=None):
    dtype, shape = _like("ones_like", a, dtype, shape)
    return wrap(np.ones(shape, dtype))


empty_like = zeros_like


def full_like(a, fill_value, dtype=None, shape=None):
    dtype, shape = _like("full_like", a, dtype, shape)
    return full(shape, fill_value, dtype)


def arange(start, stop=None, step=None, dtype=None):
    """As ``jax.numpy.arange``: concrete bounds; ints give the default int, floats the
    default float (int32/float32, or int64/float64 with x64)."""
    for v in (start, stop, step):
        _concrete("arange", v)
    args = [v for v in (start, stop, step) if v is not None]
    if dtype is None:
        dtype = dtypes.default_float() if any(
            isinstance(v, float) or np.asarray(v).dtype.kind == "f" for v in args) \
            else dtypes.default_int()
    dtype = dtypes.user_dtype(dtype, "arange")
    if stop is None:
        start, stop = 0, start
    return wrap(np.arange(start, stop, 1 if step is None else step).astype(dtype))


def linspace(start, stop, num: int = 50, endpoint: bool = True, retstep: bool = False,
             dtype=None, axis: int = 0):
    _concrete("linspace", start), _concrete("linspace", stop)
    dtype = _dtype_or("linspace", dtype, dtypes.default_float())
    out = np.linspace(np.asarray(start, np.float64), np.asarray(stop, np.float64), int(num),
                      endpoint=endpoint, retstep=retstep, axis=axis)
    if retstep:
        return wrap(out[0].astype(dtype)), out[1]
    return wrap(out.astype(dtype))


def eye(N, M=None, k: int = 0, dtype=None):
    return wrap(np.eye(int(N), None if M is None else int(M), int(k),
                       dtype=_dtype_or("eye", dtype, dtypes.default_float())))


def identity(n, dtype=None):
    return eye(n, dtype=dtype)


def tri(N, M=None, k: int = 0, dtype=None):
    return wrap(np.tri(int(N), None if M is None else int(M), int(k),
                       dtype=_dtype_or("tri", dtype, dtypes.float32)))


def _tri_mask(name, m, k, lower: bool):
    aval = get_aval(m)
    if aval.ndim < 2:
        raise shape_error(name, "needs an array of at least 2 dimensions", aval)
    n, mm = aval.shape[-2:]
    mask = np.tri(n, mm, k, dtype=bool)
    mask = mask if lower else ~mask
    zero = np.zeros((), aval.dtype)
    return where(mask, m, zero)


def tril(m, k: int = 0):
    return _tri_mask("tril", m, int(k), True)


def triu(m, k: int = 0):
    return _tri_mask("triu", m, int(k) - 1, False)


def shape(a):
    return get_aval(a).shape


def ndim(a):
    return get_aval(a).ndim


def size(a, axis=None):
    aval = get_aval(a)
    return aval.size if axis is None else aval.shape[axis]


# ---------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------

def ravel(a, order="C"):
    if order != "C":
        raise NotImplementedError("hlox.numpy.ravel: only order='C' is supported")
    return reshape(a, (-1,))


def swapaxes(a, axis1: int, axis2: int):
    nd = get_aval(a).ndim
    perm = list(range(nd))
    i, j = _normalize_axis("swapaxes", axis1, nd), _normalize_axis("swapaxes", axis2, nd)
    perm[i], perm[j] = perm[j], perm[i]
    return transpose(a, perm)


def moveaxis(a, source, destination):
    nd = get_aval(a).ndim
    src = [_normalize_axis("moveaxis", s, nd) for s in np.atleast_1d(source)]
    dst = [_normalize_axis("moveaxis", d, nd) for d in np.atleast_1d(destination)]
    if len(src) != len(dst):
        raise ValueError("hlox.numpy.moveaxis: source and destination need as many axes")
    order = [d for d in range(nd) if d not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return transpose(a, order)


def expand_dims(a, axis):
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    return lax.expand_dims(a, axes)


def squeeze(a, axis=None):
    aval = get_aval(a)
    if axis is None:
        axes = tuple(d for d, s in enumerate(aval.shape) if s == 1)
    else:
        axes = _axes("squeeze", axis, aval.ndim)
    return lax.squeeze(a, axes)


def atleast_1d(*arys):
    out = [a if get_aval(a).ndim >= 1 else reshape(a, (1,)) for a in arys]
    return out[0] if len(out) == 1 else out


def atleast_2d(*arys):
    out = []
    for a in arys:
        nd = get_aval(a).ndim
        out.append(a if nd >= 2 else reshape(a, (1,) * (2 - nd) + get_aval(a).shape))
    return out[0] if len(out) == 1 else out


def atleast_3d(*arys):
    out = []
    for a in arys:
        s = get_aval(a).shape
        new = {0: (1, 1, 1), 1: (1,) + s + (1,), 2: s + (1,)}.get(len(s), s)
        out.append(reshape(a, new) if new != s else a)
    return out[0] if len(out) == 1 else out


def concatenate(arrays: Sequence, axis: int | None = 0, dtype=None):
    arrays = list(arrays)
    if not arrays:
        raise ValueError("hlox.numpy.concatenate: need at least one array")
    if axis is None:
        arrays, axis = [ravel(a) for a in arrays], 0
    arrays = _promote("concatenate", *arrays)
    if dtype is not None:
        arrays = [_api.astype(a, dtype) for a in arrays]
    avals = [get_aval(a) for a in arrays]
    nd = avals[0].ndim
    if nd == 0:
        raise shape_error("concatenate", "zero-dimensional arrays cannot be concatenated", *avals)
    if any(a.ndim != nd for a in avals):
        raise shape_error("concatenate", "all arrays must have the same number of dimensions",
                          *avals)
    return lax.concatenate(arrays, _normalize_axis("concatenate", axis, nd))


def stack(arrays: Sequence, axis: int = 0, dtype=None):
    arrays = list(arrays)
    if not arrays:
        raise ValueError("hlox.numpy.stack: need at least one array")
    shapes = {get_aval(a).shape for a in arrays}
    if len(shapes) > 1:
        raise shape_error("stack", "all input arrays must have the same shape",
                          *(get_aval(a) for a in arrays))
    nd = get_aval(arrays[0]).ndim + 1
    axis = _normalize_axis("stack", axis, nd)
    return concatenate([lax.expand_dims(a, (axis,)) for a in _promote("stack", *arrays)],
                       axis, dtype)


def hstack(tup, dtype=None):
    arrs = [atleast_1d(a) for a in tup]
    return concatenate(arrs, 0 if get_aval(arrs[0]).ndim == 1 else 1, dtype)


def vstack(tup, dtype=None):
    return concatenate([atleast_2d(a) for a in tup], 0, dtype)


def dstack(tup, dtype=None):
    return concatenate([atleast_3d(a) for a in tup], 2, dtype)


def column_stack(tup):
    arrs = [a if get_aval(a).ndim >= 2 else reshape(a, (-1, 1)) for a in tup]
    return concatenate(arrs, 1)


def _split(name, ary, indices_or_sections, axis, exact: bool):
    aval = get_aval(ary)
    axis = _normalize_axis(name, axis, aval.ndim)
    n = aval.shape[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError(f"hlox.numpy.{name}: number of sections must be positive")
        if exact and n % sections:
            raise ValueError(f"hlox.numpy.{name}: array split does not result in an equal "
                             f"division ({n} into {sections})")
        q, r = divmod(n, sections)
        sizes = [q + 1] * r + [q] * (sections - r)
        bounds = np.cumsum([0] + sizes)
    else:
        idx = [int(i) for i in _concrete(name, indices_or_sections)]
        bounds = [0] + [builtins.min(builtins.max(i + n if i < 0 else i, 0), n) for i in idx] + [n]
    out = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        out.append(lax.slice_in_dim(ary, int(lo), builtins.max(int(lo), int(hi)), 1, axis))
    return out


def split(ary, indices_or_sections, axis: int = 0):
    return _split("split", ary, indices_or_sections, axis, exact=True)


def array_split(ary, indices_or_sections, axis: int = 0):
    return _split("array_split", ary, indices_or_sections, axis, exact=False)


def tile(A, reps):
    reps = _shape_tuple(reps)
    aval = get_aval(A)
    nd = builtins.max(len(reps), aval.ndim)
    reps = (1,) * (nd - len(reps)) + reps
    shp = (1,) * (nd - aval.ndim) + aval.shape
    # broadcast into (r0, n0, r1, n1, ...), then merge each pair
    big = []
    for r, n in zip(reps, shp):
        big += [r, n]
    x = reshape(A, shp)
    x = lax.broadcast_in_dim(x, big, tuple(range(1, 2 * nd, 2)))
    return reshape(x, tuple(r * n for r, n in zip(reps, shp)))


def repeat(a, repeats, axis=None, *, total_repeat_length=None):
    if axis is None:
        a, axis = ravel(a), 0
    aval = get_aval(a)
    axis = _normalize_axis("repeat", axis, aval.ndim)
    n = aval.shape[axis]
    reps = np.asarray(_concrete("repeat", repeats))
    if reps.ndim == 0:
        r = int(reps)
        # broadcast a new axis after `axis`, then merge it
        shape = aval.shape[:axis + 1] + (r,) + aval.shape[axis + 1:]
        dims = tuple(d if d <= axis else d + 1 for d in range(aval.ndim))
        x = lax.broadcast_in_dim(a, shape, dims)
        return reshape(x, aval.shape[:axis] + (n * r,) + aval.shape[axis + 1:])
    if reps.shape != (n,):
        raise ValueError(f"hlox.numpy.repeat: repeats of shape {reps.shape} do not match axis "
                         f"{axis} of size {n}")
    idx = np.repeat(np.arange(n, dtype=np.int32), reps)
    return take(a, idx, axis=axis, mode="clip")


def flip(m, axis=None):
    nd = get_aval(m).ndim
    return lax.rev(m, _axes("flip", axis, nd))


def fliplr(m):
    return flip(m, 1)


def flipud(m):
    return flip(m, 0)


def roll(a, shift, axis=None):
    if axis is None:
        return reshape(roll(ravel(a), shift, 0), get_aval(a).shape)
    aval = get_aval(a)
    shifts = np.atleast_1d(shift) if not isinstance(shift, Tracer) else [shift]
    axes = np.atleast_1d(axis)
    if len(shifts) == 1 and len(axes) > 1:
        shifts = list(shifts) * len(axes)
    if len(shifts) != len(axes):
        raise ValueError("hlox.numpy.roll: shift and axis need as many entries")
    for s, ax in zip(shifts, axes):
        ax = _normalize_axis("roll", ax, aval.ndim)
        n = aval.shape[ax]
        if n == 0:
            continue
        if isinstance(s, Tracer):  # start = (-s) mod n, then a window of [a, a]
            s = _api.astype(s, np.int32)
            neg = lax.neg(s)
            r = lax.sub(neg, lax.mul(lax.div(neg, np.int32(n)), np.int32(n)))
            start = lax.select(lax.lt(r, np.int32(0)), lax.add(r, np.int32(n)), r)
            doubled = lax.concatenate([a, a], ax)
            a = lax.dynamic_slice_in_dim(doubled, start, n, ax)
        else:
            k = int(s) % n
            if k:
                a = lax.concatenate([lax.slice_in_dim(a, n - k, n, 1, ax),
                                     lax.slice_in_dim(a, 0, n - k, 1, ax)], ax)
    return a


def pad(array, pad_width, mode="constant", constant_values=0, **kwargs):
    aval = get_aval(array)
    widths = np.broadcast_to(np.asarray(_concrete("pad", pad_width), dtype=np.int64),
                             (aval.ndim, 2))
    if (widths < 0).any():
        raise ValueError("hlox.numpy.pad: pad widths must be non-negative")
    if mode == "constant":
        cv = np.broadcast_to(np.asarray(constant_values), (aval.ndim, 2)) \
            if not isinstance(constant_values, Tracer) else None
        if cv is not None and np.all(cv == cv.flat[0]):
            value = np.asarray(cv.flat[0]).astype(aval.dtype)
            return lax.pad(array, value, [(int(lo), int(hi), 0) for lo, hi in widths])
        if cv is None:
            value = _api.astype(constant_values, aval.dtype)
            return lax.pad(array, value, [(int(lo), int(hi), 0) for lo, hi in widths])
        # per-dimension values: pad one dimension at a time
        for d in range(aval.ndim):
            for side in (0, 1):
                cfg = [(0, 0, 0)] * aval.ndim
                cfg[d] = (int(widths[d, 0]), 0, 0) if side == 0 else (0, int(widths[d, 1]), 0)
                array = lax.pad(array, np.asarray(cv[d, side]).astype(aval.dtype), cfg)
        return array
    if mode in ("edge", "wrap"):
        for d in range(aval.ndim):
            lo, hi = int(widths[d, 0]), int(widths[d, 1])
            n = get_aval(array).shape[d]
            parts = []
            if mode == "edge":
                if lo:
                    parts.append(repeat(lax.slice_in_dim(array, 0, 1, 1, d), lo, d))
                parts.append(array)
                if hi:
                    parts.append(repeat(lax.slice_in_dim(array, n - 1, n, 1, d), hi, d))
            else:
                idx = np.arange(-lo, n + hi) % n
                parts.append(take(array, idx.astype(np.int32), axis=d, mode="clip"))
            array = lax.concatenate(parts, d) if len(parts) > 1 else parts[0]
        return array
    raise NotImplementedError(f"hlox.numpy.pad: mode={mode!r} is not supported yet "
                              f"(supported: 'constant', 'edge', 'wrap')")


def broadcast_to(array, shape):
    return _api.broadcast_to(array, _shape_tuple(shape))


def broadcast_shapes(*shapes):
    return np.broadcast_shapes(*shapes)


def broadcast_arrays(*args):
    shp = _broadcast_shapes("broadcast_arrays", *(get_aval(a) for a in args))
    return [_broadcast_to(a, shp) for a in args]


# ---------------------------------------------------------------------------
# where
# ---------------------------------------------------------------------------

def nonzero(a, *, size=None, fill_value=None):
    """The indices of ``a``'s non-zero elements, one int32 array per dimension
    (``jax.numpy.nonzero``). Under jit ``size`` must fix their length: the first ``size``
    indices, padded with ``fill_value`` (default 0)."""
    if size is None:
        a = np.asarray(_concrete("nonzero", a))
        return tuple(wrap(i.astype(np.int32)) for i in np.nonzero(a))
    a = asarray(a)
    shape = a.shape
    flat = reshape(a != 0, (-1,))
    # A stable sort of "is zero" puts the non-zero positions first, in order.
    first = bits.argsort(~flat, stable=True)[:size]
    first = pad(first, (0, size - first.shape[0]))
    found = arange(size, dtype=np.int32) < _math.sum(flat, dtype=np.int32)
    fills = fill_value if isinstance(fill_value, (tuple, list)) else \
        [0 if fill_value is None else fill_value] * len(shape)
    out = []
    for d in range(len(shape)):
        stride = int(np.prod(shape[d + 1:], dtype=np.int64))
        idx = (first // stride) % shape[d]
        out.append(where(found, idx.astype(np.int32), np.int32(fills[d])))
    return tuple(out)


def argwhere(a, *, size=None, fill_value=None):
    """``nonzero(a)`` stacked as an ``[n, ndim]`` int32 array (``jax.numpy.argwhere``)."""
    return stack(nonzero(atleast_1d(a), size=size, fill_value=fill_value), axis=1)


def count_nonzero(a, axis=None, keepdims: bool = False):
    """How many elements of ``a`` are non-zero, as int32 (``jax.numpy.count_nonzero``)."""
    return _math.sum(_math.not_equal(a, 0), axis=axis, keepdims=keepdims, dtype=np.int32)


def where(condition, x=None, y=None, /, *, size=None, fill_value=None):
    """``x`` where ``condition`` else ``y`` (broadcast, promoted), as ``jax.numpy.where``;
    ``where(condition)`` is ``nonzero(condition)``."""
    if x is None and y is None:
        return nonzero(condition, size=size, fill_value=fill_value)
    if x is None or y is None:
        raise ValueError("hlox.numpy.where: either both or neither of x and y must be given")
    _check_arraylike("where", condition)
    x, y = _promote("where", x, y)
    cond = condition
    if get_aval(cond).dtype != np.bool_:
        caval = get_aval(cond)
        cond = lax.ne(cond, np.zeros(caval.shape, caval.dtype)) if isinstance(cond, Tracer) \
            else np.asarray(cond).astype(bool)
    shp = _broadcast_shapes("where", get_aval(cond), get_aval(x), get_aval(y))
    return lax.select(_broadcast_to(cond, shp), _broadcast_to(x, shp), _broadcast_to(y, shp))


# ---------------------------------------------------------------------------
# Linear algebra
# ---------------------------------------------------------------------------

matmul = _api.matmul


def tensordot(a, b, axes=2, *, precision=None, preferred_element_type=None):
    a, b = _promote("tensordot", a, b)
    av, bv = get_aval(a), get_aval(b)
    if isinstance(axes, (int, np.integer)):
        k = int(axes)
        if k > builtins.min(av.ndim, bv.ndim) or k < 0:
            raise shape_error("tensordot", f"axes={k} exceeds the operands' ranks", av, bv)
        ca, cb = tuple(range(av.ndim - k, av.ndim)), tuple(range(k))
    else:
        ca, cb = axes
        ca = (ca,) if isinstance(ca, (int, np.integer)) else tuple(ca)
        cb = (cb,) if isinstance(cb, (int, np.integer)) else tuple(cb)
        ca = tuple(_normalize_axis("tensordot", x, av.ndim) for x in ca)
        cb = tuple(_normalize_axis("tensordot", x, bv.ndim) for x in cb)
    return lax.dot_general(a, b, ((ca, cb), ((), ())),
                           preferred_element_type=preferred_element_type)


def dot(a, b, *, precision=None, preferred_element_type=None):
    av, bv = get_aval(a), get_aval(b)
    if av.ndim == 0 or bv.ndim == 0:
        return _api.multiply(a, b)
    if bv.ndim == 1:
        return tensordot(a, b, ((av.ndim - 1,), (0,)), preferred_element_type=preferred_element_type)
    return tensordot(a, b, ((av.ndim - 1,), (bv.ndim - 2,)),
                     preferred_element_type=preferred_element_type)


def vdot(a, b):
    return dot(ravel(a), ravel(b))


def inner(a, b):
    av, bv = get_aval(a), get_aval(b)
    if av.ndim == 0 or bv.ndim == 0:
        return _api.multiply(a, b)
    return tensordot(a, b, ((av.ndim - 1,), (bv.ndim - 1,)))


def outer(a, b):
    return tensordot(ravel(a), ravel(b), 0)


def _parse_einsum(subscripts: str, avals):
    subscripts = subscripts.replace(" ", "")
    if "->" in subscripts:
        ins, out = subscripts.split("->")
    else:
        ins, out = subscripts, None
    terms = ins.split(",")
    if len(terms) != len(avals):
        raise ValueError(f"hlox.numpy.einsum: {len(terms)} operand subscripts for "
                         f"{len(avals)} operands")
    used = set(subscripts)
    spare = iter(c for c in string.ascii_letters if c not in used)
    ell_rank = builtins.max([a.ndim - len(t.replace("...", "")) for t, a in zip(terms, avals)
                             if "..." in t] or [0])
    ell = "".join(next(spare) for _ in range(ell_rank))
    new_terms = []
    for t, a in zip(terms, avals):
        if "..." in t:
            k = a.ndim - len(t.replace("...", ""))
            t = t.replace("...", ell[ell_rank - k:] if k else "")
        if len(t) != a.ndim:
            raise ValueError(f"hlox.numpy.einsum: subscripts {t!r} do not match an operand of "
                             f"rank {a.ndim}")
        new_terms.append(t)
    if out is None:
        counts = {}
        for t in new_terms:
            for c in t:
                counts[c] = counts.get(c, 0) + 1
        out = ell + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ell))
    else:
        out = out.replace("...", ell)
    return new_terms, out


def _einsum_diagonal(x, term: str):
    """Removes repeated letters of one operand by taking diagonals ('ii' -> 'i')."""
    while len(set(term)) != len(term):
        c = next(ch for ch in term if term.count(ch) > 1)
        i = term.index(c)
        j = term.index(c, i + 1)
        x = diagonal(x, 0, i, j)  # diagonal goes last
        term = "".join(ch for k, ch in enumerate(term) if k not in (i, j)) + c
    return x, term


def _einsum_sum_unique(x, term: str, keep: set):
    axes = tuple(i for i, c in enumerate(term) if c not in keep)
    if axes:
        x = lax.reduce_sum(x, axes)
        term = "".join(c for i, c in enumerate(term) if i not in axes)
    return x, term


def _einsum_product(x, t, y, s, batch, preferred_element_type):
    """The (batch, x-free, y-free) product of ``x`` and ``y`` when no letter is summed."""
    xf = [c for c in t if c not in batch]
    yf = [c for c in s if c not in batch]
    xt = transpose(x, [t.index(c) for c in batch + xf])
    yt = transpose(y, [s.index(c) for c in batch + yf])
    shape = [get_aval(xt).shape[i] for i in range(len(batch))] + \
        list(get_aval(xt).shape[len(batch):]) + list(get_aval(yt).shape[len(batch):])
    nb, nx = len(batch), len(xf)
    xb = lax.broadcast_in_dim(xt, shape, tuple(range(nb + nx)))
    yb = lax.broadcast_in_dim(yt, shape, tuple(range(nb)) + tuple(range(nb + nx, len(shape))))
    if preferred_element_type is not None:
        xb, yb = _api.astype(xb, preferred_element_type), _api.astype(yb, preferred_element_type)
    return lax.mul(xb, yb)


def einsum(subscripts: str, *operands, optimize=None, precision=None,
           preferred_element_type=None):
    """Einstein summation, as ``numpy.einsum`` (ellipses, diagonals, any number of operands).

    Contracts left to right with ``dot_general`` (shared letters that are still
    needed become batch dimensions), summing letters no one else needs first.
    """
    if not isinstance(subscripts, str):
        raise NotImplementedError("hlox.numpy.einsum: only the subscripts-string form")
    ops = _promote("einsum", *operands)
    terms, out = _parse_einsum(subscripts, [get_aval(o) for o in ops])
    for c in out:
        if not any(c in t for t in terms):
            raise ValueError(f"hlox.numpy.einsum: output letter {c!r} is not in any input")
    items = []
    for x, t in zip(ops, terms):
        items.append(_einsum_diagonal(x, t))
    x, t = items[0]
    for k in range(1, len(items) + 1):
        later = set(out).union(*(s for _, s in items[k + 1:])) if k < len(items) else set(out)
        if k < len(items):
            y, s = items[k]
            x, t = _einsum_sum_unique(x, t, later | set(s))
            y, s = _einsum_sum_unique(y, s, later | set(t))
            batch = [c for c in t if c in s and c in later]
            contract = [c for c in t if c in s and c not in later]
            dn = (([t.index(c) for c in contract], [s.index(c) for c in contract]),
                  ([t.index(c) for c in batch], [s.index(c) for c in batch]))
            if contract:
                x = lax.dot_general(x, y, dn, preferred_element_type=preferred_element_type)
            else:  # nothing to sum: a broadcast multiply (as the dot would be)
                x = _einsum_product(x, t, y, s, batch, preferred_element_type)
            t = "".join(batch) + "".join(c for c in t if c not in s) + \
                "".join(c for c in s if c not in t)
        else:
            x, t = _einsum_sum_unique(x, t, set(out))
    # letters of the output missing from t cannot happen; reorder
    return transpose(x, [t.index(c) for c in out])


# ---------------------------------------------------------------------------
# take / take_along_axis / diagonal
# ---------------------------------------------------------------------------

def take(a, indices, axis=None, out=None, mode=None, unique_indices=False,
         indices_are_sorted=False, fill_value=None):
    """``a`` indexed by ``indices`` along ``axis``; out-of-bounds fills (JAX's default)."""
    from hlox.frontend.numpy.indexing import getitem
    if out is not None:
        raise ValueError("hlox.numpy.take: the 'out' argument is not supported")
    if axis is None:
        a, axis = ravel(a), 0
    aval = get_aval(a)
    axis = _normalize_axis("take", axis, aval.ndim)
    if mode == "raise":
        raise NotImplementedError("hlox.numpy.take: mode='raise' is not supported (use "
                                  "'fill' or 'clip')")
    if mode == "wrap":
        indices = _api.asarray(indices)
        n = np.int32(aval.shape[axis])
        idx = _api.astype(indices, np.int32)
        r = lax.sub(idx, lax.mul(lax.div(idx, _bcast(n, idx)), _bcast(n, idx)))
        indices = where(lax.lt(r, _bcast(np.int32(0), idx)), lax.add(r, _bcast(n, idx)), r)
        mode = "clip"
    idx = (slice(None),) * axis + (_index_operand(indices),)
    return getitem(a, idx, mode="fill" if mode is None else mode, fill_value=fill_value)


def _bcast(scalar, like):
    return np.broadcast_to(np.asarray(scalar), get_aval(like).shape).copy() \
        if not isinstance(like, Tracer) else _broadcast_to(np.asarray(scalar), like.shape)


def _index_operand(indices):
    if isinstance(indices, Tracer):
        return indices
    arr = np.asarray(indices)
    return arr.astype(np.int32) if arr.dtype.kind in "iu" else arr


def take_along_axis(arr, indices, axis, mode=None, fill_value=None):
    from hlox.frontend.numpy.indexing import getitem
    aval = get_aval(arr)
    iaval = get_aval(indices)
    if axis is None:
        return take_along_axis(ravel(arr), ravel(indices), 0, mode, fill_value)
    axis = _normalize_axis("take_along_axis", axis, aval.ndim)
    if iaval.ndim != aval.ndim:
        raise shape_error("take_along_axis", "indices and arr must have the same number of "
                          "dimensions", aval, iaval)
    idx = []
    for d in range(aval.ndim):
        if d == axis:
            idx.append(_index_operand(indices))
        else:
            shp = [1] * aval.ndim
            shp[d] = aval.shape[d]
            idx.append(np.arange(aval.shape[d], dtype=np.int32).reshape(shp))
    return getitem(arr, tuple(idx), mode="fill" if mode is None else mode,
                   fill_value=fill_value)


def diagonal(a, offset: int = 0, axis1: int = 0, axis2: int = 1):
    """The ``offset`` diagonal of the ``axis1``/``axis2`` planes, as the last axis."""
    from hlox.frontend.numpy.indexing import getitem
    aval = get_aval(a)
    i, j = _normalize_axis("diagonal", axis1, aval.ndim), _normalize_axis("diagonal", axis2,
                                                                          aval.ndim)
    if i == j:
        raise ValueError("hlox.numpy.diagonal: axis1 and axis2 cannot be the same")
    x = moveaxis(a, (i, j), (-2, -1))
    n, m = get_aval(x).shape[-2:]
    offset = int(offset)
    length = builtins.max(0, builtins.min(n + builtins.min(offset, 0), m - builtins.max(offset, 0)))
    rows = np.arange(length, dtype=np.int32) - builtins.min(offset, 0)
    cols = np.arange(length, dtype=np.int32) + builtins.max(offset, 0)
    return getitem(x, (Ellipsis, rows, cols))


def trace(a, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype=None):
    d = diagonal(a, offset, axis1, axis2)
    return _math.sum(d, axis=-1, dtype=dtype)
