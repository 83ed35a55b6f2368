"""Operators and methods of hlox's arrays, from the NumPy layer (as JAX's array_methods).

``Tracer`` and ``Array`` live in the core layer, below the NumPy functions that give
``x + y``, ``x.sum()``, ``x[i]`` and ``x.at[i].set(v)`` their meaning (broadcasting and
JAX's type promotion); this module attaches those to the classes. hlox.frontend's
``__init__`` imports the NumPy layer, so every array has them before any is made.

On a Tracer they are hlox.numpy's functions (traced). On an Array, eager operators and
methods compute with NumPy on the host copy (zero-copy on the cpu backend), in the
dtype JAX's promotion picks (``int32 + float32 -> float32``, ``int32.sum() -> int32``,
Python scalars weak), and put the result on the operand's device (committed if it
was): compiling a primitive for each new shape would cost far more. Indexing with
concrete indices keeps NumPy's exact semantics; a traced index indexes through hlox,
and ``x.at[idx]`` is hlox's (JAX's out-of-bounds rules). NumPy functions
(``np.add(x, y)``) convert with ``__array__`` and give NumPy arrays, as for JAX arrays.

:func:`results_as_arrays` makes an ``hlox.numpy`` function return Arrays where it
computed a NumPy array (the ``hlox.numpy`` package wraps every function).
"""

from __future__ import annotations

import functools
import operator

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend.core.array import Array, default_device, from_host
from hlox.frontend.core.tracing import Tracer
from hlox.frontend.numpy import base, complex_ops, math, shape_ops as shape
from hlox.frontend.numpy.indexing import AtIndexer, getitem

__all__ = ["results_as_arrays"]

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
    Tracer.real = property(lambda self: complex_ops.real(self))
    Tracer.imag = property(lambda self: complex_ops.imag(self))
    Tracer.conj = Tracer.conjugate = lambda self: complex_ops.conj(self)
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


def _jax_type(value):
    """``(dtype, weak)`` of an operand as JAX types it, or None if it is not array-like."""
    if type(value) is Array:
        return value.dtype, value.weak_type
    if isinstance(value, (np.ndarray, np.generic, bool, int, float, complex)):
        try:
            return dtypes.scalar_type(value)
        except TypeError:
            return None
    return None


def _placement(*operands):
    """``(device, committed)`` for an eager result: where its Array operands live (two
    committed to different devices is an error, as in JAX)."""
    device, committed = None, False
    for a in operands:
        if type(a) is not Array:
            continue
        spec = a._spec
        place = spec.device if spec.device is not None else spec.sharding  # (sharded)
        if spec.committed:
            if committed and place != device and _devices_of(place) == _devices_of(device):
                continue  # one set of devices, two layouts: the first operand's
            if committed and place != device:
                raise ValueError(f"hlox: an operation on Arrays committed to different "
                                 f"devices: {_describe(device)} and {_describe(place)} (move "
                                 f"them to one device with hlox.device_put)")
            device, committed = place, True
        elif device is None:
            device = place
    return device or default_device(), committed


def _devices_of(place) -> set:
    return place.device_set if hasattr(place, "device_set") else {place}


def _describe(place) -> str:
    return place.describe() if hasattr(place, "describe") else repr(place)


def _put(value, place, committed: bool, weak: bool = False) -> Array:
    """``value`` where an eager result goes: a device, or the operands' sharding when it
    fits the result (else that sharding's first device: a reduction's result)."""
    if hasattr(place, "_device_assignment"):
        try:
            return from_host(value, place, committed, weak)
        except ValueError:
            place = place._device_assignment[0]
    return from_host(value, place, committed, weak)


def _result(value, dtype, weak: bool, *operands) -> Array:
    device, committed = _placement(*operands)
    value = np.asarray(value, dtype=dtype)
    return _put(value, device, committed, weak)


def _array_binary(op, reflected=False, inexact=False, boolean=False):
    def method(self, other):
        other_type = _jax_type(other)
        if other_type is None:  # tracers, lists, ...: their own operator or NumPy's
            return NotImplemented
        dtype, weak = dtypes.result_type((self.dtype, self.weak_type), other_type)
        if inexact:
            dtype = dtypes.to_inexact(dtype)
        a = np.asarray(self).astype(dtype, copy=False)
        b = np.asarray(other, dtype=dtype)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = op(b, a) if reflected else op(a, b)
        if boolean:
            return _result(out, dtypes.bool_, weak, self, other)
        if op is operator.pow and (reflected or (isinstance(other, int)
                                                 and not isinstance(other, bool))):
            weak = self.weak_type  # JAX's power: x ** int is integer_pow, keeping x's type

        return _result(out, dtype, weak, self, other)
    method.__name__ = f"__{'r' if reflected else ''}{op.__name__.strip('_')}__"
    return method


def _array_unary(op):
    def method(self):
        with np.errstate(over="ignore", invalid="ignore"):
            out = op(np.asarray(self))
        dtype = dtypes.real_dtype(self.dtype) if op is operator.abs else self.dtype
        return _result(out, dtype, self.weak_type, self)
    method.__name__ = f"__{op.__name__.strip('_')}__"
    return method


def _array_reduction(np_function, kind):
    """A reduction with JAX's result dtype (NumPy widens int32 sums to int64, int means
    to float64, arg-indices to int64), by the kind of dtype it gives."""
    def method(self, *args, out=None, **kwargs):
        if out is not None:
            raise TypeError(f"hlox.Array.{np_function.__name__}: the 'out' argument is not "
                            f"supported (hlox arrays are immutable)")
        value = np_function(np.asarray(self), *args, **kwargs)
        dt = dtypes.canonicalize(self.dtype)
        if kwargs.get("dtype") is not None:
            dt = dtypes.canonicalize(np.asarray(value).dtype)
        elif kind == "index":
            dt = dtypes.default_int()
        elif kind == "float":
            dt = dtypes.to_inexact(dt)
        elif kind == "bool":
            dt = dtypes.bool_
        elif kind == "sum" and dt.kind == "u":  # JAX sums small ints at default width
            dt = np.promote_types(dt, dtypes.default_uint())
        elif kind == "sum" and dt.kind in "bi":
            dt = np.promote_types(dt, dtypes.default_int())
        return _result(value, dt, self.weak_type and kind == "same", self)
    method.__name__ = np_function.__name__
    return method


def _array_structural(np_function):
    """A method that only moves elements (reshape, transpose, ...): same dtype, weak type."""
    def method(self, *args, **kwargs):
        return _result(np_function(np.asarray(self), *args, **kwargs), self.dtype,
                       self.weak_type, self)
    method.__name__ = np_function.__name__
    return method


def _getitem(self, index):
    # A traced index (inside jit/grad/vmap) indexes through hlox, as a JAX array would;
    # concrete indices keep NumPy's exact eager semantics.
    items = index if isinstance(index, tuple) else (index,)
    if any(isinstance(i, Tracer) for i in items):
        return getitem(self, index)
    if any(type(i) is Array for i in items):
        items = tuple(np.asarray(i) if type(i) is Array else i for i in items)
        index = items if isinstance(index, tuple) else items[0]
    return _result(np.asarray(self)[index], self.dtype, self.weak_type, self)


def _at(self):
    return AtIndexer(self)


def _astype(self, dtype, copy: bool = True, device=None):
    """As ``jax.Array.astype``: ``dtype`` in the 64-bit mode (float64 -> float32 with x64
    off, with JAX's warning), float-to-integer casts saturating as under jit."""
    out = base.astype(np.asarray(self), dtype)
    return _result(out, out.dtype, False, self)


def _nonzero(self, *, size=None, fill_value=None):
    return results_as_arrays(shape.nonzero)(self, size=size, fill_value=fill_value)


def _dot(self, other):
    return self @ other


def _clip(self, min=None, max=None):  # noqa: A002  (NumPy's names)
    dtype, weak = dtypes.result_type(*[_jax_type(v) for v in (self, min, max)
                                       if v is not None])
    out = np.clip(np.asarray(self, dtype), min, max)
    return _result(out, dtype, weak, self)


def _view(self, dtype=None, type=None):  # noqa: A002  (NumPy's names)
    """The same bits seen as ``dtype`` (JAX's ``Array.view``)."""
    if type is not None:
        raise NotImplementedError("hlox.Array.view: the 'type' argument is not supported")
    if dtype is None:
        return self
    out = np.asarray(self).view(dtype)
    return _result(out, out.dtype, False, self)


def _round(self, ndigits=None):
    """``round(x)``: as JAX, an integer array without ``ndigits``."""
    if ndigits is None:
        return _result(np.round(np.asarray(self)), dtypes.default_int(), False, self)
    return self.round(ndigits)


def _real(self):
    return _result(np.real(np.asarray(self)), dtypes.real_dtype(self.dtype), self.weak_type, self)


def _imag(self):
    return _result(np.imag(np.asarray(self)), dtypes.real_dtype(self.dtype), self.weak_type, self)


# Arithmetic with JAX's promotion, computed by NumPy in the promoted dtype: each operator
# and its reflected form (``x + 1`` and ``1 + x``); true division always gives floats.
_BINARY = {"add": operator.add, "sub": operator.sub, "mul": operator.mul,
           "truediv": operator.truediv, "floordiv": operator.floordiv, "mod": operator.mod,
           "pow": operator.pow, "matmul": operator.matmul, "and": operator.and_,
           "or": operator.or_, "xor": operator.xor, "lshift": operator.lshift,
           "rshift": operator.rshift}
_COMPARISONS = {"lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
                "eq": operator.eq, "ne": operator.ne}
_UNARY = {"neg": operator.neg, "pos": operator.pos, "abs": operator.abs,
          "invert": operator.invert}
_REDUCTIONS = {"sum": ("sum", "prod", "cumsum", "cumprod"), "float": ("mean", "var", "std"),
               "index": ("argmax", "argmin", "argsort"), "bool": ("any", "all"),
               "same": ("max", "min", "sort")}
_STRUCTURAL = ("reshape", "transpose", "squeeze", "flatten", "ravel", "swapaxes", "repeat",
               "diagonal", "take", "round", "conj", "conjugate", "trace")


def _attach_to_array() -> None:
    for name, op in _BINARY.items():
        inexact = name == "truediv"
        setattr(Array, f"__{name}__", _array_binary(op, inexact=inexact))
        setattr(Array, f"__r{name}__", _array_binary(op, reflected=True, inexact=inexact))
    for name, op in _COMPARISONS.items():
        setattr(Array, f"__{name}__", _array_binary(op, boolean=True))
    for name, op in _UNARY.items():
        setattr(Array, f"__{name}__", _array_unary(op))
    for kind, names in _REDUCTIONS.items():
        for name in names:
            setattr(Array, name, _array_reduction(getattr(np, name), kind))
    for name in _STRUCTURAL:
        setattr(Array, name, _array_structural(getattr(np.ndarray, name)))
    Array.__getitem__ = _getitem
    Array.at = property(_at)
    Array.astype = _astype
    Array.nonzero = _nonzero
    Array.dot = _dot
    Array.clip = _clip
    Array.__round__ = _round
    Array.view = _view
    Array.real = property(_real)
    Array.imag = property(_imag)
    Array.T = property(lambda self: self.transpose())
    Array.mT = property(lambda self: self.swapaxes(-1, -2))


_attach_to_tracer()
_attach_to_array()


def _as_arrays(out, like):
    if type(out) is np.ndarray or isinstance(out, np.generic):
        out = np.asarray(out, dtype=dtypes.canonicalize(out.dtype))
        device, committed = _placement(*like) if like else (default_device(), False)
        return _put(out, device, committed)
    if type(out) in (tuple, list):
        return type(out)(_as_arrays(o, like) for o in out)
    return out


def _needs_wrapping(out) -> bool:
    if type(out) is np.ndarray or isinstance(out, np.generic):
        return True
    if type(out) in (tuple, list):
        return any(_needs_wrapping(o) for o in out)
    return False


def results_as_arrays(fn):
    """``fn`` returning Arrays where it computed NumPy arrays (on the device of its Array
    arguments, else the default one), as every ``jax.numpy`` function does."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        out = fn(*args, **kwargs)
        if _needs_wrapping(out):
            return _as_arrays(out, [a for a in args if type(a) is Array])
        return out
    return wrapper
