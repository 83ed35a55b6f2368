"""The NumPy layer (``hlox.numpy``): NumPy's API over hlox's primitives.

What it adds to :mod:`hlox.frontend.lax.base`: NumPy broadcasting and JAX's type
promotion (see :mod:`hlox.frontend.core.dtypes`: Python scalars are weak, so
``float32_array * 2.0`` stays float32). Works on traced values inside
``hlox.jit`` and on NumPy arrays outside (each op then compiles and runs on
the CPU backend).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend import lax
from hlox.frontend.core.array import Array
from hlox.frontend.core.tracing import ShapedArray, Tracer, current_trace, get_aval, shape_error

# dtypes, usable as ``dtype=hlox.numpy.float32`` and ``hlox.numpy.float32(1.0)``
bool_ = np.bool_
int8, int16, int32, int64 = np.int8, np.int16, np.int32, np.int64
uint8, uint16, uint32, uint64 = np.uint8, np.uint16, np.uint32, np.uint64
float16, float32, float64 = np.float16, np.float32, np.float64
bfloat16 = dtypes.bfloat16.type
# JAX's 64-bit names: as dtype= arguments they give float32/int32/uint32 with x64 off.
float_, int_, uint = np.float64, np.int64, np.uint64

ndarray = Array  # as jax.numpy.ndarray is jax.Array: isinstance(x, hnp.ndarray)

__all__ = [
    "add", "subtract", "multiply", "divide", "true_divide", "negative", "exp", "maximum",
    "matmul", "asarray", "array", "astype", "reshape", "transpose", "broadcast_to",
    "result_type", "log", "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
    "uint64", "float16", "float32", "float64", "bfloat16", "float_", "int_", "uint", "ndarray",
]


# ---------------------------------------------------------------------------
# Conversion, promotion and broadcasting
# ---------------------------------------------------------------------------


def _is_array(x: Any) -> bool:
    return isinstance(x, (Tracer, Array, np.ndarray, np.generic))


def _check_arraylike(name: str, x: Any) -> None:
    if not (_is_array(x) or isinstance(x, (bool, int, float, complex))):
        raise TypeError(f"hlox.numpy.{name}: expected an array or a Python scalar, "
                        f"got {type(x).__name__}")


def _convert(x: Any, dtype: np.dtype, weak: bool = False) -> Any:
    """``x`` with element type ``dtype`` (a convert op only for traced values)."""
    aval = get_aval(x)
    if isinstance(x, Tracer):
        if aval.dtype == dtype:
            return x
        return lax.convert_element_type(x, dtype, weak_type=weak)
    # A concrete value (Python scalar or NumPy array) becomes a constant.
    return current_trace_constant(np.asarray(x, dtype=dtype), weak)


def current_trace_constant(value: np.ndarray, weak: bool) -> Any:
    """A constant in the current trace (keeps the weak flag of Python scalars)."""
    trace = current_trace()
    const = getattr(trace, "constant", None)
    return const(value, weak) if const is not None else value


def result_type(*args: Any) -> np.dtype:
    """The dtype hlox.numpy gives an operation on ``args`` (arrays, scalars or dtypes; JAX's
    promotion in the current 64-bit mode, Python types weak)."""
    return dtypes.result_type(*(_typed(a) for a in args))[0]


def _typed(arg) -> tuple[np.dtype, bool]:
    """``(dtype, weak)`` of a ``result_type`` argument."""
    if isinstance(arg, type) and arg in (bool, int, float):
        return dtypes.scalar_type(arg())
    if isinstance(arg, (str, np.dtype)) or (isinstance(arg, type) and issubclass(arg, np.generic)):
        return dtypes.user_dtype(arg, "result_type"), False
    aval = get_aval(arg)
    return aval.dtype, aval.weak_type


def _promote(name: str, *args: Any, inexact: bool = False) -> list:
    for a in args:
        _check_arraylike(name, a)
    avals = [get_aval(a) for a in args]
    dtype, weak = dtypes.result_type(*((a.dtype, a.weak_type) for a in avals))
    if inexact:
        dtype = dtypes.to_inexact(dtype)
    return [_convert(a, dtype, weak and av.weak_type) for a, av in zip(args, avals)]


def _broadcast_shapes(name: str, *avals: ShapedArray) -> tuple[int, ...]:
    ndim = max(a.ndim for a in avals)
    shape = []
    for i in range(ndim):
        sizes = {a.shape[i - ndim + a.ndim] for a in avals if i - ndim + a.ndim >= 0}
        sizes.discard(1)
        if len(sizes) > 1:
            raise shape_error(name, "shapes cannot be broadcast together", *avals)
        shape.append(sizes.pop() if sizes else 1)
    return tuple(shape)


def _broadcast_to(x: Any, shape: tuple[int, ...]) -> Any:
    aval = get_aval(x)
    if aval.shape == shape:
        return x
    lead = len(shape) - aval.ndim
    return lax.broadcast_in_dim(x, shape, tuple(range(lead, len(shape))))


def _elementwise(name: str, fn, *args: Any, inexact: bool = False) -> Any:
    args = _promote(name, *args, inexact=inexact)
    shape = _broadcast_shapes(name, *(get_aval(a) for a in args))
    return fn(*(_broadcast_to(a, shape) for a in args))


# ---------------------------------------------------------------------------
# Elementwise functions
# ---------------------------------------------------------------------------


def add(x, y): return _elementwise("add", lax.add, x, y)
def subtract(x, y): return _elementwise("subtract", lax.sub, x, y)
def multiply(x, y): return _elementwise("multiply", lax.mul, x, y)
def maximum(x, y): return _elementwise("maximum", lax.max, x, y)
def negative(x): return _elementwise("negative", lax.neg, x)
def exp(x): return _elementwise("exp", lax.exp, x, inexact=True)
def log(x): return _elementwise("log", lax.log, x, inexact=True)


def divide(x, y):
    """True division: integer operands are promoted to float (as jax.numpy)."""
    return _elementwise("divide", lax.div, x, y, inexact=True)


true_divide = divide


# ---------------------------------------------------------------------------
# Linear algebra
# ---------------------------------------------------------------------------


def matmul(a, b):
    """NumPy's matmul: 1-D operands are vectors, leading dimensions broadcast."""
    a, b = _promote("matmul", a, b)
    av, bv = get_aval(a), get_aval(b)
    if av.ndim == 0 or bv.ndim == 0:
        raise shape_error("matmul", "operands must be at least 1-D (use * for scalars)", av, bv)
    if av.ndim == 1 and bv.ndim == 1:
        if av.shape != bv.shape:
            raise shape_error("matmul", f"vector sizes differ ({av.shape[0]} vs {bv.shape[0]})",
                              av, bv)
        return lax.dot_general(a, b, (((0,), (0,)), ((), ())))
    a2 = lax.reshape(a, (1,) + av.shape) if av.ndim == 1 else a
    b2 = lax.reshape(b, bv.shape + (1,)) if bv.ndim == 1 else b
    a2v, b2v = get_aval(a2), get_aval(b2)
    if a2v.shape[-1] != b2v.shape[-2]:
        raise shape_error("matmul", f"contracting dimensions differ: {a2v.shape[-1]} (last of "
                          f"lhs) vs {b2v.shape[-2]} (second to last of rhs)", av, bv)
    batch = _broadcast_shapes("matmul", ShapedArray(a2v.shape[:-2], a2v.dtype),
                              ShapedArray(b2v.shape[:-2], b2v.dtype))
    a2 = _broadcast_to(a2, batch + a2v.shape[-2:])
    b2 = _broadcast_to(b2, batch + b2v.shape[-2:])
    nb = len(batch)
    out = lax.dot_general(a2, b2, (((nb + 1,), (nb,)), (tuple(range(nb)), tuple(range(nb)))))
    out_shape = get_aval(out).shape
    if av.ndim == 1:
        out_shape = out_shape[:-2] + out_shape[-1:]
    if bv.ndim == 1:
        out_shape = out_shape[:-1]
    return out if out_shape == get_aval(out).shape else lax.reshape(out, out_shape)


# ---------------------------------------------------------------------------
# Creation, conversion and shapes
# ---------------------------------------------------------------------------


def asarray(x, dtype=None):
    """``x`` as an array (a NumPy array of hlox's dtype, or the traced value)."""
    _check_arraylike("asarray", x)
    if isinstance(x, Tracer):
        return x if dtype is None else astype(x, dtype)
    aval = get_aval(x)
    if type(x) is Array and (dtype is None or
                             dtypes.user_dtype(dtype, "asarray") == aval.dtype):
        return x  # already an array of its hlox dtype, on its device
    if dtype is None:
        return np.asarray(x, dtype=aval.dtype)
    return _cast(np.asarray(x, dtype=aval.dtype), dtypes.user_dtype(dtype, "asarray"))


array = asarray


def _cast(x: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """NumPy's cast with XLA's float-to-integer rule (what jit computes): NaN gives 0 and
    out-of-range values saturate, where NumPy's cast wraps or is undefined."""
    if dtypes.is_float(x.dtype) and dtypes.is_int(dtype):
        info = np.iinfo(dtype)
        wide = np.nan_to_num(x.astype(np.float64), nan=0.0)
        return np.clip(wide, info.min, info.max).astype(dtype)
    with np.errstate(over="ignore", invalid="ignore"):  # float narrowing overflows to inf
        return x.astype(dtype)


def astype(x, dtype):
    dtype = dtypes.user_dtype(dtype, "astype")
    return _convert(x, dtype) if isinstance(x, Tracer) else _cast(np.asarray(x), dtype)


def reshape(x, shape: int | Sequence[int]):
    aval = get_aval(x)
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(int(d) for d in shape)
    if shape.count(-1) > 1:
        raise shape_error("reshape", f"can only infer one dimension, got {shape}", aval)
    if -1 in shape:
        known = int(np.prod([d for d in shape if d != -1], dtype=np.int64))
        if known == 0 or aval.size % known:
            raise shape_error("reshape", f"cannot reshape {aval.size} elements to {shape}", aval)
        shape = tuple(aval.size // known if d == -1 else d for d in shape)
    return x if shape == aval.shape else lax.reshape(x, shape)


def transpose(x, axes: Sequence[int] | None = None):
    aval = get_aval(x)
    axes = tuple(reversed(range(aval.ndim))) if axes is None else \
        tuple(int(a) % aval.ndim if aval.ndim else int(a) for a in axes)
    return x if axes == tuple(range(aval.ndim)) else lax.transpose(x, axes)


def broadcast_to(x, shape: Sequence[int]):
    shape = tuple(int(d) for d in shape)
    aval = get_aval(x)
    if _broadcast_shapes("broadcast_to", aval, ShapedArray(shape, aval.dtype)) != shape:
        raise shape_error("broadcast_to", f"cannot broadcast to {shape}", aval)
    return _broadcast_to(x, shape)


# ---------------------------------------------------------------------------
# Reductions
# ---------------------------------------------------------------------------


def _normalize_axis(name: str, axis, ndim: int) -> int:
    """``axis`` in ``[0, ndim)`` (negative counts from the end), else a ValueError."""
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise ValueError(f"hlox.numpy.{name}: axis {axis} out of range for rank {ndim}")
    return axis % ndim


def _axes(name: str, axis, ndim: int) -> tuple[int, ...]:
    """``axis`` (None: all, an int, or a sequence) as a tuple of normalized axes."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    return tuple(_normalize_axis(name, a, ndim) for a in axes)


def _select(condition, x, y):
    """``x`` where ``condition`` else ``y``, broadcast and promoted (``where``'s
    three-argument form, which the reductions' ``where=`` masks use too)."""
    _check_arraylike("where", condition)
    x, y = _promote("where", x, y)
    cond = condition
    if get_aval(cond).dtype != np.bool_:
        caval = get_aval(cond)
        cond = lax.ne(cond, np.zeros(caval.shape, caval.dtype)) if isinstance(cond, Tracer) \
            else np.asarray(cond).astype(bool)
    shp = _broadcast_shapes("where", get_aval(cond), get_aval(x), get_aval(y))
    return lax.select(_broadcast_to(cond, shp), _broadcast_to(x, shp), _broadcast_to(y, shp))
