"""``hlox.Array``: the eager array type (a zero-copy ``numpy.ndarray`` subclass).

Results of ``hlox.jit`` functions, of eager primitives and of ``hlox.numpy``
are NumPy arrays viewed as :class:`Array`: every NumPy function accepts them
unchanged (no copy, ``isinstance(x, np.ndarray)`` holds), and they add what
JAX arrays have and NumPy's lack: ``x.at[idx].set(v)`` (functional updates,
JAX's out-of-bounds rules) and ``block_until_ready()``. Indexing an Array
keeps NumPy's own (eager, exact) semantics. Arithmetic operators and the
reduction methods give JAX's dtypes (``int32 + float32 -> float32``,
``int32.sum() -> int32``, Python scalars weakly typed): NumPy computes them, in the
dtype JAX's promotion picks. NumPy functions (``np.add(x, y)``) keep NumPy's
rules, as they do for JAX arrays.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

__all__ = ["Array", "wrap"]


def _jax_type(value):
    """``(dtype, weak)`` of an operand as JAX types it, or None if it is not array-like."""
    from hlox.frontend import dtypes
    if isinstance(value, np.ndarray) or isinstance(value, (bool, int, float, np.generic)):
        try:
            return dtypes.scalar_type(value)
        except TypeError:
            return None
    return None


def _binary(op, reflected=False, inexact=False):
    def method(self, other):
        from hlox.frontend import dtypes
        other_type = _jax_type(other)
        if other_type is None:  # tracers, lists, ...: their own operator or NumPy's
            return NotImplemented
        dtype, _ = dtypes.result_type(_jax_type(self), other_type)
        if inexact:
            dtype = dtypes.to_inexact(dtype)
        a = np.asarray(self).astype(dtype, copy=False)
        b = np.asarray(other, dtype=dtype)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = op(b, a) if reflected else op(a, b)
        return wrap(np.asarray(out, dtype=dtype))
    method.__name__ = f"__{'r' if reflected else ''}{op.__name__.strip('_')}__"
    return method


def _reduction(np_method, kind):
    def method(self, *args, **kwargs):
        out = np_method(np.asarray(self), *args, **kwargs)
        if kwargs.get("dtype") is not None or kwargs.get("out") is not None:
            return wrap(out)
        from hlox.frontend import dtypes
        dt = dtypes.canonicalize(self.dtype)
        if kind == "index":
            dt = dtypes.default_int()
        elif kind == "float":
            dt = dtypes.to_inexact(dt)
        elif kind == "same" and dt.kind == "u":  # JAX sums small ints at default width
            dt = np.promote_types(dt, dtypes.default_uint())
        elif kind == "same" and dt.kind in "bi":
            dt = np.promote_types(dt, dtypes.default_int())
        return wrap(np.asarray(out, dtype=dt))
    method.__name__ = np_method.__name__
    return method


class Array(np.ndarray):
    """A concrete hlox array: a NumPy array with JAX's ``.at`` and friends."""

    @property
    def at(self):
        from hlox.frontend.indexing import AtIndexer
        return AtIndexer(self)

    def __getitem__(self, index):
        # A traced index (inside jit/grad/vmap) indexes through hlox, as a JAX array would;
        # concrete indices keep NumPy's exact eager semantics.
        from hlox.frontend.core import Tracer
        items = index if isinstance(index, tuple) else (index,)
        if any(isinstance(i, Tracer) for i in items):
            from hlox.frontend.indexing import getitem
            return getitem(np.asarray(self), index)
        return np.ndarray.__getitem__(self, index)

    # Arithmetic with JAX's promotion, computed by NumPy in the promoted dtype.
    __add__ = _binary(operator.add)
    __radd__ = _binary(operator.add, reflected=True)
    __sub__ = _binary(operator.sub)
    __rsub__ = _binary(operator.sub, reflected=True)
    __mul__ = _binary(operator.mul)
    __rmul__ = _binary(operator.mul, reflected=True)
    __truediv__ = _binary(operator.truediv, inexact=True)
    __rtruediv__ = _binary(operator.truediv, reflected=True, inexact=True)
    __floordiv__ = _binary(operator.floordiv)
    __rfloordiv__ = _binary(operator.floordiv, reflected=True)
    __mod__ = _binary(operator.mod)
    __rmod__ = _binary(operator.mod, reflected=True)
    __pow__ = _binary(operator.pow)
    __rpow__ = _binary(operator.pow, reflected=True)
    __matmul__ = _binary(operator.matmul)
    __rmatmul__ = _binary(operator.matmul, reflected=True)
    __and__ = _binary(operator.and_)
    __rand__ = _binary(operator.and_, reflected=True)
    __or__ = _binary(operator.or_)
    __ror__ = _binary(operator.or_, reflected=True)
    __xor__ = _binary(operator.xor)
    __rxor__ = _binary(operator.xor, reflected=True)

    # Reductions with JAX's result dtypes (NumPy widens int32 sums to int64, int means to
    # float64, arg-indices to int64).
    sum = _reduction(np.ndarray.sum, "same")
    prod = _reduction(np.ndarray.prod, "same")
    cumsum = _reduction(np.ndarray.cumsum, "same")
    cumprod = _reduction(np.ndarray.cumprod, "same")
    mean = _reduction(np.ndarray.mean, "float")
    var = _reduction(np.ndarray.var, "float")
    std = _reduction(np.ndarray.std, "float")
    argmax = _reduction(np.ndarray.argmax, "index")
    argmin = _reduction(np.ndarray.argmin, "index")

    def astype(self, dtype, copy: bool = True) -> "Array":
        """As ``jax.Array.astype``: ``dtype`` in the 64-bit mode (float64 -> float32 with x64
        off, with JAX's warning)."""
        from hlox.frontend import dtypes
        return wrap(np.asarray(self).astype(dtypes.user_dtype(dtype, "astype"), copy=copy))

    def block_until_ready(self) -> "Array":
        return self  # computation is synchronous on the CPU backend

    def __array_wrap__(self, obj, context=None, return_scalar=False):
        # NumPy reductions to 0-d give scalars, as for plain ndarrays.
        if obj.shape == () and return_scalar:
            return obj[()]
        return np.ndarray.__array_wrap__(self, obj, context, return_scalar)


def wrap(value: Any) -> Any:
    """``value`` as an :class:`Array` if it is a concrete NumPy array (a view, no copy)."""
    if isinstance(value, np.ndarray) and not isinstance(value, Array):
        return value.view(Array)
    if isinstance(value, np.generic):
        return np.asarray(value).view(Array)
    return value
