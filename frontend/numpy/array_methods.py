"""Operators and methods of hlox's arrays, from the NumPy layer (as JAX's array_methods).

``Tracer`` and ``Array`` live in the core layer, below the NumPy functions that give
``x + y``, ``x.sum()``, ``x[i]`` and ``x.at[i].set(v)`` their meaning (broadcasting and
JAX's type promotion); this module attaches those to the classes. hlox.frontend's
``__init__`` imports the NumPy layer, so every array has them before any is made.
"""

from __future__ import annotations

import numpy as np

from hlox.frontend.core.array import Array, wrap
from hlox.frontend.core.tracing import Tracer
from hlox.frontend.numpy import base, math, shape_ops as shape
from hlox.frontend.numpy.indexing import AtIndexer, getitem

# Tracer operators: name -> the hlox.numpy function (the reflected form swaps operands).
_TRACER_BINARY = {"add": base.add, "sub": base.subtract, "mul": base.multiply,
                  "truediv": base.divide, "matmul": base.matmul, "pow": math.power,
                  "floordiv": math.floor_divide, "mod": math.remainder}
_TRACER_COMPARISONS = {"lt": math.less, "le": math.less_equal, "gt": math.greater,
                       "ge": math.greater_equal, "eq": math.equal, "ne": math.not_equal}
# ``x.sum(axis=0)`` and friends: hlox.numpy's, same keywords.
_TRACER_REDUCTIONS = {name: getattr(math, name) for name in (
    "sum", "prod", "mean", "var", "std", "max", "min", "argmax", "argmin", "any", "all",
    "cumsum", "cumprod", "clip")}


def _binary(fn, reflected: bool):
    if reflected:
        return lambda self, other: fn(other, self)
    return lambda self, other: fn(self, other)


def _method(fn):
    return lambda self, *args, **kwargs: fn(self, *args, **kwargs)


def _attach_to_tracer() -> None:
    for name, fn in _TRACER_BINARY.items():
        setattr(Tracer, f"__{name}__", _binary(fn, reflected=False))
        setattr(Tracer, f"__r{name}__", _binary(fn, reflected=True))
    for name, fn in _TRACER_COMPARISONS.items():
        setattr(Tracer, f"__{name}__", _binary(fn, reflected=False))
    for name, fn in _TRACER_REDUCTIONS.items():
        setattr(Tracer, name, _method(fn))
    Tracer.__neg__ = lambda self: base.negative(self)
    Tracer.__pos__ = lambda self: self
    Tracer.__abs__ = lambda self: math.abs(self)
    Tracer.reshape = lambda self, *s: base.reshape(self, s[0] if len(s) == 1 else s)
    Tracer.transpose = lambda self, *axes: base.transpose(
        self, axes[0] if len(axes) == 1 else (axes or None))
    Tracer.astype = lambda self, dtype: base.astype(self, dtype)
    Tracer.T = property(lambda self: base.transpose(self))
    Tracer.__getitem__ = getitem
    Tracer.at = property(AtIndexer)
    Tracer.flatten = Tracer.ravel = lambda self: base.reshape(self, (-1,))
    Tracer.squeeze = lambda self, axis=None: shape.squeeze(self, axis)
    Tracer.swapaxes = lambda self, axis1, axis2: shape.swapaxes(self, axis1, axis2)


def _array_getitem(self, index):
    # A traced index (inside jit/grad/vmap) indexes through hlox, as a JAX array would;
    # concrete indices keep NumPy's exact eager semantics.
    items = index if isinstance(index, tuple) else (index,)
    if any(isinstance(i, Tracer) for i in items):
        return getitem(np.asarray(self), index)
    return np.ndarray.__getitem__(self, index)


def _array_astype(self, dtype, copy: bool = True) -> Array:
    """As ``jax.Array.astype``: ``dtype`` in the 64-bit mode (float64 -> float32 with x64
    off, with JAX's warning), float-to-integer casts saturating as under jit."""
    return wrap(base.astype(np.asarray(self), dtype))


def _attach_to_array() -> None:
    Array.at = property(AtIndexer)
    Array.__getitem__ = _array_getitem
    Array.nonzero = lambda self, *, size=None, fill_value=None: shape.nonzero(
        self, size=size, fill_value=fill_value)
    Array.astype = _array_astype


_attach_to_tracer()
_attach_to_array()
