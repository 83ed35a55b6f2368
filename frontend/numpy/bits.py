"""``hlox.numpy``'s bitwise functions, shifts, sort and argsort, and the array
operators ``& | ^ ~ << >>`` on traced values (as ``jax.numpy``)."""

from __future__ import annotations

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend import lax
from hlox.frontend.core.tracing import Tracer, get_aval, shape_error
from hlox.frontend.numpy.base import _axes, _check_arraylike, _elementwise, reshape

__all__ = ["bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "invert",
           "bitwise_invert", "left_shift", "right_shift", "bitwise_left_shift",
           "bitwise_right_shift", "sort", "argsort"]


def _require_int_or_bool(name: str, *args, allow_bool: bool = True) -> None:
    for a in args:
        dtype = get_aval(a).dtype
        if not (dtypes.is_int(dtype) or (allow_bool and dtype == dtypes.bool_)):
            raise TypeError(f"hlox.numpy.{name}: needs integer{' or bool' if allow_bool else ''}"
                            f" operands, got {dtype}")


def bitwise_and(x, y):
    _require_int_or_bool("bitwise_and", x, y)
    return _elementwise("bitwise_and", lax.bitwise_and, x, y)


def bitwise_or(x, y):
    _require_int_or_bool("bitwise_or", x, y)
    return _elementwise("bitwise_or", lax.bitwise_or, x, y)


def bitwise_xor(x, y):
    _require_int_or_bool("bitwise_xor", x, y)
    return _elementwise("bitwise_xor", lax.bitwise_xor, x, y)


def bitwise_not(x):
    _require_int_or_bool("bitwise_not", x)
    return _elementwise("bitwise_not", lax.bitwise_not, x)


invert = bitwise_invert = bitwise_not


def left_shift(x, y):
    _require_int_or_bool("left_shift", x, y, allow_bool=False)
    return _elementwise("left_shift", lax.shift_left, x, y)


def _right_shift(x, y):
    # numpy: arithmetic for signed integers, logical for unsigned
    if np.dtype(get_aval(x).dtype).kind == "u":
        return lax.shift_right_logical(x, y)
    return lax.shift_right_arithmetic(x, y)


def right_shift(x, y):
    _require_int_or_bool("right_shift", x, y, allow_bool=False)
    return _elementwise("right_shift", _right_shift, x, y)


bitwise_left_shift, bitwise_right_shift = left_shift, right_shift


# ---------------------------------------------------------------------------
# sort / argsort
# ---------------------------------------------------------------------------


def _sort_operand(name: str, a, axis):
    _check_arraylike(name, a)
    if axis is None:
        return reshape(a, (-1,)), 0
    ndim = get_aval(a).ndim
    if ndim == 0:
        raise shape_error(name, "needs an array of rank >= 1 (or axis=None)", get_aval(a))
    return a, _axes(name, axis, ndim)[0]


def _no_kind_or_order(name: str, kind, order) -> None:
    if kind is not None:
        raise TypeError(f"hlox.numpy.{name}: 'kind' is not supported; use stable=True or "
                        f"stable=False to choose the sort's stability")
    if order is not None:
        raise TypeError(f"hlox.numpy.{name}: 'order' (structured arrays) is not supported")


def sort(a, axis: int | None = -1, *, kind=None, order=None, stable: bool = True,
         descending: bool = False):
    """``a`` sorted along ``axis`` (None: flattened); NaNs last, or first if ``descending``
    (the ascending sort reversed, as ``jax.numpy.sort``)."""
    _no_kind_or_order("sort", kind, order)
    a, axis = _sort_operand("sort", a, axis)
    result = lax.sort(a, dimension=axis, is_stable=stable)
    return lax.rev(result, (axis,)) if descending else result


def argsort(a, axis: int | None = -1, *, kind=None, order=None, stable: bool = True,
            descending: bool = False, dtype=None):
    """The indices (int32, or ``dtype``) that sort ``a`` along ``axis`` (``jax.numpy.argsort``).

    ``descending``: the ascending order reversed; when ``stable``, equal elements still
    keep their original order (the input is reversed before the sort, as JAX does).
    """
    _no_kind_or_order("argsort", kind, order)
    a, axis = _sort_operand("argsort", a, axis)
    shape = get_aval(a).shape
    dtype = dtypes.default_int() if dtype is None else dtypes.user_dtype(dtype, "argsort")
    if not dtypes.is_int(dtype):
        raise TypeError(f"hlox.numpy.argsort: dtype must be an integer type, got {dtype}")
    iota = lax.broadcasted_iota(dtype, shape, axis)
    if descending and stable:
        a, iota = lax.rev(a, (axis,)), lax.rev(iota, (axis,))
    indices = lax.sort((a, iota), dimension=axis, is_stable=stable, num_keys=1)[1]
    return lax.rev(indices, (axis,)) if descending else indices


# ---------------------------------------------------------------------------
# Array operators (installed here so this module stays the one place for them)
# ---------------------------------------------------------------------------

_OPERATORS = {
    "__and__": lambda self, other: bitwise_and(self, other),
    "__rand__": lambda self, other: bitwise_and(other, self),
    "__or__": lambda self, other: bitwise_or(self, other),
    "__ror__": lambda self, other: bitwise_or(other, self),
    "__xor__": lambda self, other: bitwise_xor(self, other),
    "__rxor__": lambda self, other: bitwise_xor(other, self),
    "__invert__": lambda self: bitwise_not(self),
    "__lshift__": lambda self, other: left_shift(self, other),
    "__rlshift__": lambda self, other: left_shift(other, self),
    "__rshift__": lambda self, other: right_shift(self, other),
    "__rrshift__": lambda self, other: right_shift(other, self),
}
for _name, _fn in _OPERATORS.items():
    if _name not in Tracer.__dict__:  # keep an operator core.Tracer defines itself
        setattr(Tracer, _name, _fn)
