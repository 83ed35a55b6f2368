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

from hlox.frontend.core import dtypes

__all__ = ["Array", "wrap"]


def _jax_type(value):
    """``(dtype, weak)`` of an operand as JAX types it, or None if it is not array-like."""
    if isinstance(value, np.ndarray) or isinstance(value, (bool, int, float, np.generic)):
        try:
            return dtypes.scalar_type(value)
        except TypeError:
            return None
    return None


def _binary(op, reflected=False, inexact=False):
    def method(self, other):
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
    """A concrete hlox array: a NumPy array with JAX's ``.at`` and friends.

    ``.at``, traced indexing, ``astype`` and ``nonzero`` need the NumPy layer, which
    attaches them (hlox.frontend.numpy.array_methods).
    """

    def block_until_ready(self) -> "Array":
        return self  # computation is synchronous on the CPU backend

    def __array_wrap__(self, obj, context=None, return_scalar=False):
        # NumPy reductions to 0-d give scalars, as for plain ndarrays.
        if obj.shape == () and return_scalar:
            return obj[()]
        return np.ndarray.__array_wrap__(self, obj, context, return_scalar)


# Arithmetic with JAX's promotion, computed by NumPy in the promoted dtype: each operator
# and its reflected form (``x + 1`` and ``1 + x``); true division always gives floats.
_BINARY_OPERATORS = {"add": operator.add, "sub": operator.sub, "mul": operator.mul,
                     "truediv": operator.truediv, "floordiv": operator.floordiv,
                     "mod": operator.mod, "pow": operator.pow, "matmul": operator.matmul,
                     "and": operator.and_, "or": operator.or_, "xor": operator.xor}
for _name, _op in _BINARY_OPERATORS.items():
    _inexact = _name == "truediv"
    setattr(Array, f"__{_name}__", _binary(_op, inexact=_inexact))
    setattr(Array, f"__r{_name}__", _binary(_op, reflected=True, inexact=_inexact))

# Reductions with JAX's result dtypes (NumPy widens int32 sums to int64, int means to
# float64, arg-indices to int64), by the kind of dtype each one gives.
_REDUCTIONS = {"same": ("sum", "prod", "cumsum", "cumprod"), "float": ("mean", "var", "std"),
               "index": ("argmax", "argmin", "argsort")}
for _kind, _names in _REDUCTIONS.items():
    for _name in _names:
        setattr(Array, _name, _reduction(getattr(np.ndarray, _name), _kind))
del _name, _op, _inexact, _kind, _names


def wrap(value: Any) -> Any:
    """``value`` as an :class:`Array` if it is a concrete NumPy array (a view, no copy)."""
    if isinstance(value, np.ndarray) and not isinstance(value, Array):
        return value.view(Array)
    if isinstance(value, np.generic):
        return np.asarray(value).view(Array)
    return value
