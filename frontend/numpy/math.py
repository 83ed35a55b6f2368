"""NumPy's math ufuncs and reductions (``hlox.numpy.sin``, ``.mean``, ``.argmax``, ...).

Built on :mod:`hlox.frontend.numpy.base`'s promotion and broadcasting
(``_elementwise``), with jax.numpy's dtype rules: transcendental functions
promote integers to float, ``floor``/``ceil``/``round`` leave integers alone,
predicates return bool, integer sums accumulate in at least 32 bits.
"""

from __future__ import annotations

import builtins

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend import lax
from hlox.frontend.lax.base import _full_like, zeros_like
from hlox.frontend.core.tracing import get_aval
from hlox.frontend.numpy.base import add, maximum, multiply
from hlox.frontend.numpy.base import (_axes, _broadcast_shapes, _broadcast_to, _check_arraylike,
                                      _convert, _elementwise, _promote, current_trace_constant)

__all__ = [
    # elementwise, float results
    "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh",
    "arccosh", "arctanh", "sqrt", "cbrt", "exp2", "log2", "log10", "expm1", "log1p", "rint",
    "arctan2", "hypot", "reciprocal", "deg2rad", "rad2deg", "radians", "degrees",
    # elementwise, dtype-preserving
    "abs", "absolute", "sign", "floor", "ceil", "trunc", "round", "around", "square",
    "positive", "minimum", "remainder", "mod", "fmod", "floor_divide", "power", "clip",
    # predicates and logic
    "greater", "greater_equal", "less", "less_equal", "equal", "not_equal", "isfinite",
    "isnan", "isinf", "logical_and", "logical_or", "logical_not", "logical_xor", "where",
    # reductions
    "sum", "prod", "mean", "var", "std", "max", "min", "amax", "amin", "argmax", "argmin",
    "all", "any", "cumsum", "cumprod",
]


def _is_int_or_bool(x) -> bool:
    return dtypes.is_int_or_bool(get_aval(x).dtype)


# ---------------------------------------------------------------------------
# Elementwise: float results (integers are promoted to the default float)
# ---------------------------------------------------------------------------


def _float_unary(name, fn):
    def ufunc(x):
        return _elementwise(name, fn, x, inexact=True)
    ufunc.__name__ = ufunc.__qualname__ = name
    ufunc.__doc__ = f"``jax.numpy.{name}`` (integers are promoted to float)."
    return ufunc


def _log_base(base):
    return lambda x: lax.div(lax.log(x), lax.log(_full_like(x, base)))


sin, cos, tan = (_float_unary(n, f) for n, f in
                 (("sin", lax.sin), ("cos", lax.cos), ("tan", lax.tan)))
arcsin, arccos, arctan = (_float_unary(n, f) for n, f in
                          (("arcsin", lax.asin), ("arccos", lax.acos), ("arctan", lax.atan)))
sinh, cosh, tanh = (_float_unary(n, f) for n, f in
                    (("sinh", lax.sinh), ("cosh", lax.cosh), ("tanh", lax.tanh)))
arcsinh, arccosh, arctanh = (_float_unary(n, f) for n, f in (
    ("arcsinh", lax.asinh), ("arccosh", lax.acosh), ("arctanh", lax.atanh)))
sqrt = _float_unary("sqrt", lax.sqrt)
cbrt = _float_unary("cbrt", lax.cbrt)
expm1 = _float_unary("expm1", lax.expm1)
log1p = _float_unary("log1p", lax.log1p)
log2 = _float_unary("log2", _log_base(2))
log10 = _float_unary("log10", _log_base(10))
exp2 = _float_unary("exp2", lambda x: lax.exp(lax.mul(x, _full_like(x, np.log(2)))))
rint = _float_unary("rint", lambda x: lax.round(x, lax.RoundingMethod.TO_NEAREST_EVEN))
reciprocal = _float_unary("reciprocal", lax.reciprocal)
deg2rad = radians = _float_unary("deg2rad", lambda x: lax.mul(x, _full_like(x, np.pi / 180)))
rad2deg = degrees = _float_unary("rad2deg", lambda x: lax.mul(x, _full_like(x, 180 / np.pi)))


def arctan2(x1, x2):
    return _elementwise("arctan2", lax.atan2, x1, x2, inexact=True)


def hypot(x1, x2):
    """sqrt(x1**2 + x2**2), scaled by the larger magnitude so that it does not overflow."""
    def fn(a, b):
        a, b = lax.abs(a), lax.abs(b)
        big, small = lax.max(a, b), lax.min(a, b)
        zero = zeros_like(big)
        safe = lax.select(lax.eq(big, zero), _full_like(big, 1), big)
        ratio = lax.div(small, safe)
        return lax.select(lax.eq(big, zero), zero, lax.mul(big, lax.sqrt(
            lax.add(_full_like(big, 1), lax.mul(ratio, ratio)))))
    return _elementwise("hypot", fn, x1, x2, inexact=True)


# ---------------------------------------------------------------------------
# Elementwise: dtype-preserving
# ---------------------------------------------------------------------------


def _integer_identity(name, float_fn):
    """``float_fn`` on floats; integers and bools pass through (jax.numpy's floor, ceil, ...)."""
    def ufunc(x):
        (x,) = _promote(name, x)
        return x if _is_int_or_bool(x) else float_fn(x)
    ufunc.__name__ = ufunc.__qualname__ = name
    return ufunc


floor = _integer_identity("floor", lax.floor)
ceil = _integer_identity("ceil", lax.ceil)
trunc = _integer_identity("trunc", lambda x: lax.mul(lax.sign(x), lax.floor(lax.abs(x))))


def abs(x):  # noqa: A001  (numpy's name)
    (x,) = _promote("abs", x)
    dtype = get_aval(x).dtype
    return x if dtype == dtypes.bool_ or np.dtype(dtype).kind == "u" else lax.abs(x)


absolute = abs


def sign(x):
    (x,) = _promote("sign", x)
    if get_aval(x).dtype == dtypes.bool_:
        raise TypeError("hlox.numpy.sign: not defined on bool (as jax.numpy)")
    return lax.sign(x)


def round(a, decimals: int = 0):  # noqa: A001  (numpy's name)
    """Round half to even (NumPy's rule) at ``decimals`` decimal places."""
    (a,) = _promote("round", a)
    if get_aval(a).dtype == dtypes.bool_:
        raise TypeError("hlox.numpy.round: not defined on bool (as jax.numpy)")
    if _is_int_or_bool(a):
        if decimals < 0:
            raise NotImplementedError("hlox.numpy.round: integer rounding to decimals < 0 "
                                      "(as jax.numpy)")
        return a
    even = lax.RoundingMethod.TO_NEAREST_EVEN
    if decimals == 0:
        return lax.round(a, even)
    factor = _full_like(a, 10.0 ** decimals)
    return lax.div(lax.round(lax.mul(a, factor), even), factor)


around = round


def square(x):
    (x,) = _promote("square", x)
    if get_aval(x).dtype == dtypes.bool_:  # jax.numpy squares bools as int32
        x = _convert(x, dtypes.default_int())
    return lax.square(x)


def positive(x):
    (x,) = _promote("positive", x)
    return x


def minimum(x1, x2):
    return _elementwise("minimum", lax.min, x1, x2)


def _bool_to_int(name, *args):
    args = _promote(name, *args)
    if get_aval(args[0]).dtype == dtypes.bool_:
        raise TypeError(f"hlox.numpy.{name}: not defined on bool")
    return args


def fmod(x1, x2):
    """C's fmod: the remainder has the sign of x1 (``lax.rem``)."""
    x1, x2 = _bool_to_int("fmod", x1, x2)
    return _elementwise("fmod", lax.rem, x1, x2)


def _floored_remainder(a, b):
    # Python's %: the result takes the divisor's sign.
    r = lax.rem(a, b)
    zero = zeros_like(r)
    signs_differ = lax.ne(lax.lt(r, zero), lax.lt(b, zero))
    fix = lax.select(lax.ne(r, zero), signs_differ, zeros_like(signs_differ))
    return lax.select(fix, lax.add(r, b), r)


def remainder(x1, x2):
    """Python's ``%`` (the result has the divisor's sign), as ``jax.numpy.remainder``."""
    x1, x2 = _bool_to_int("remainder", x1, x2)
    return _elementwise("remainder", _floored_remainder, x1, x2)


mod = remainder


def _floor_divide(a, b):
    if dtypes.is_float(get_aval(a).dtype):
        # (a - a % b) / b is exact where floor(a / b) can be off by one (as JAX/NumPy)
        r = _floored_remainder(a, b)
        return lax.round(lax.div(lax.sub(a, r), b), lax.RoundingMethod.TO_NEAREST_EVEN)
    if np.dtype(get_aval(a).dtype).kind == "u":
        return lax.div(a, b)
    # integer division truncates; step down where the signs differ and it was inexact
    q = lax.div(a, b)
    zero = zeros_like(a)
    inexact = lax.ne(lax.rem(a, b), zero)
    signs_differ = lax.ne(lax.lt(a, zero), lax.lt(b, zero))
    step = lax.select(inexact, signs_differ, zeros_like(inexact))
    return lax.select(step, lax.sub(q, _full_like(q, 1)), q)


def floor_divide(x1, x2):
    """Python's ``//`` (rounds toward -inf), as ``jax.numpy.floor_divide``."""
    x1, x2 = _bool_to_int("floor_divide", x1, x2)
    return _elementwise("floor_divide", _floor_divide, x1, x2)


def power(x1, x2):
    """``x1 ** x2``: a Python int exponent is repeated multiplication (``lax.integer_pow``)."""
    if isinstance(x2, (int, np.integer)) and not isinstance(x2, bool):
        (x1,) = _promote("power", x1)
        if get_aval(x1).dtype == dtypes.bool_:
            x1 = _convert(x1, dtypes.default_int())
        return lax.integer_pow(x1, int(x2))
    x1, x2 = _promote("power", x1, x2)
    if get_aval(x1).dtype == dtypes.bool_:
        raise TypeError("hlox.numpy.power: not defined on bool arrays")
    return _elementwise("power", lax.pow, x1, x2)


def clip(arr=None, min=None, max=None, *, a=None, a_min=None, a_max=None):  # noqa: A002
    """``arr`` limited to ``[min, max]`` (either may be None) as ``jax.numpy.clip``: maximum then
    minimum, so a value on a bound gets half its gradient (as in JAX) and ``max`` wins where
    ``min > max``. ``a``/``a_min``/``a_max`` are NumPy's older names."""
    a = a if arr is None else arr
    min = a_min if min is None else min  # noqa: A001
    max = a_max if max is None else max  # noqa: A001
    _check_arraylike("clip", a)
    if min is not None:
        a = _elementwise("clip", lax.max, a, min)
    if max is not None:
        a = _elementwise("clip", lax.min, a, max)
    return a


# ---------------------------------------------------------------------------
# Predicates and logic
# ---------------------------------------------------------------------------


def _comparison(name, fn):
    def ufunc(x1, x2):
        return _elementwise(name, fn, x1, x2)
    ufunc.__name__ = ufunc.__qualname__ = name
    return ufunc


greater, greater_equal, less, less_equal, equal, not_equal = (
    _comparison(n, f) for n, f in (("greater", lax.gt), ("greater_equal", lax.ge),
                                   ("less", lax.lt), ("less_equal", lax.le),
                                   ("equal", lax.eq), ("not_equal", lax.ne)))


def _predicate(name, float_fn, int_value):
    def ufunc(x):
        (x,) = _promote(name, x)
        if _is_int_or_bool(x):  # integers are always finite, never NaN or inf
            aval = get_aval(x)
            return _broadcast_to(current_trace_constant(np.array(int_value), False), aval.shape)
        return float_fn(x)
    ufunc.__name__ = ufunc.__qualname__ = name
    return ufunc


isfinite = _predicate("isfinite", lax.is_finite, True)
isnan = _predicate("isnan", lambda x: lax.ne(x, x), False)
isinf = _predicate("isinf", lambda x: lax.eq(lax.abs(x), _full_like(x, np.inf)), False)


def _to_bool(x):
    aval = get_aval(x)
    if aval.dtype == dtypes.bool_:
        return x
    return lax.ne(x, zeros_like(x))


def _logical(name, fn):
    def ufunc(x1, x2):
        _check_arraylike(name, x1)
        _check_arraylike(name, x2)
        a, b = _to_bool(_promote(name, x1)[0]), _to_bool(_promote(name, x2)[0])
        shape = _broadcast_shapes(name, get_aval(a), get_aval(b))
        return fn(_broadcast_to(a, shape), _broadcast_to(b, shape))
    ufunc.__name__ = ufunc.__qualname__ = name
    return ufunc


def _false_like(x):
    return np.zeros(get_aval(x).shape, np.bool_)


logical_and = _logical("logical_and", lambda a, b: lax.select(a, b, _false_like(a)))
logical_or = _logical("logical_or", lambda a, b: lax.select(a, np.ones(get_aval(a).shape,
                                                                       np.bool_), b))
logical_xor = _logical("logical_xor", lax.ne)


def logical_not(x):
    (x,) = _promote("logical_not", x)
    return lax.eq(_to_bool(x), _false_like(x))


def where(condition, x, y):
    """``x`` where ``condition`` else ``y``, broadcast and promoted (three-argument form)."""
    _check_arraylike("where", condition)
    cond = _to_bool(_promote("where", condition)[0])
    x, y = _promote("where", x, y)
    shape = _broadcast_shapes("where", get_aval(cond), get_aval(x), get_aval(y))
    return lax.select(*(_broadcast_to(v, shape) for v in (cond, x, y)))


# ---------------------------------------------------------------------------
# Reductions
# ---------------------------------------------------------------------------


def _accumulation_dtype(dtype, requested):
    """jax.numpy's: bool and narrow integers accumulate in the default int width."""
    if requested is not None:
        return dtypes.canonicalize(requested)
    dtype = np.dtype(dtype)
    if dtype == dtypes.bool_:
        return dtypes.default_int()
    if dtype.kind in "iu" and dtype.itemsize < dtypes.default_int().itemsize:
        return np.dtype(("int" if dtype.kind == "i" else "uint") +
                        str(dtypes.default_int().itemsize * 8))
    return dtype


def _keep(out, shape, axes, keepdims):
    if not keepdims:
        return out
    return lax.reshape(out, tuple(1 if i in axes else d for i, d in enumerate(shape)))


def _reduction(name, reduce_fn, a, axis, keepdims, dtype=None, promote_to=None):
    _check_arraylike(name, a)
    (a,) = _promote(name, a)
    aval = get_aval(a)
    axes = _axes(name, axis, aval.ndim)
    if promote_to is not None:
        a = _convert(a, promote_to(aval.dtype, dtype))
    return _keep(reduce_fn(a, axes), aval.shape, axes, keepdims)


def _masked(name, a, where, fill):
    """``a`` with the elements ``where`` excludes replaced by ``fill`` (the reduction's
    identity, or its ``initial``): how ``where=`` reduces only the selected elements."""
    if where is None:
        return a
    if fill is None:
        raise ValueError(f"hlox.numpy.{name}: the reduction has no identity, so a where= "
                         f"mask needs initial= too")
    from hlox.frontend.numpy.shape_ops import where as select
    return select(where, a, fill)


def _with_initial(combine, result, initial):
    return result if initial is None else combine(result, initial)


def sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None,  # noqa: A001
        where=None):
    """Sum over ``axis`` (None: all); bool and narrow ints accumulate in int32 (as JAX);
    ``where`` masks elements out, ``initial`` is added."""
    a = _masked("sum", a, where, 0)
    return _with_initial(add, _reduction("sum", lax.reduce_sum, a, axis, keepdims, dtype,
                                         _accumulation_dtype), initial)


def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    a = _masked("prod", a, where, 1)
    return _with_initial(multiply, _reduction("prod", lax.reduce_prod, a, axis, keepdims, dtype,
                                              _accumulation_dtype), initial)


def _nonempty(name, reduce_fn):
    def fn(a, axes):
        aval = get_aval(a)
        if builtins.any(aval.shape[i] == 0 for i in axes):
            raise ValueError(f"hlox.numpy.{name}: zero-size array to a reduction operation "
                             f"with no identity (shape {aval.shape}, axes {axes})")
        return reduce_fn(a, axes)
    return fn


def max(a, axis=None, out=None, keepdims=False, initial=None, where=None):  # noqa: A001
    a = _masked("max", a, where, initial)
    return _with_initial(maximum, _reduction("max", _nonempty("max", lax.reduce_max), a, axis,
                                             keepdims), initial)


def min(a, axis=None, out=None, keepdims=False, initial=None, where=None):  # noqa: A001
    a = _masked("min", a, where, initial)
    return _with_initial(minimum, _reduction("min", _nonempty("min", lax.reduce_min), a, axis,
                                             keepdims), initial)


amax, amin = max, min


def all(a, axis=None, keepdims=False):  # noqa: A001  (numpy's name)
    return _reduction("all", lambda x, axes: lax.reduce_and(_to_bool(x), axes), a, axis,
                      keepdims)


def any(a, axis=None, keepdims=False):  # noqa: A001  (numpy's name)
    return _reduction("any", lambda x, axes: lax.reduce_or(_to_bool(x), axes), a, axis,
                      keepdims)


def _float_dtype(dtype, requested):
    if requested is not None:
        return dtypes.canonicalize(requested)
    return dtypes.to_inexact(dtype)


def _count(shape, axes) -> int:
    return int(np.prod([shape[a] for a in axes], dtype=np.int64))


def mean(a, axis=None, dtype=None, keepdims=False):
    """Arithmetic mean over ``axis``; integers average in the default float."""
    def fn(x, axes):
        total = lax.reduce_sum(x, axes)
        return lax.div(total, _full_like(total, _count(get_aval(x).shape, axes)))
    return _reduction("mean", fn, a, axis, keepdims, dtype, _float_dtype)


def var(a, axis=None, dtype=None, ddof: int = 0, keepdims=False):
    """Variance over ``axis`` with ``ddof`` delta degrees of freedom (two-pass, as JAX)."""
    def fn(x, axes):
        shape = get_aval(x).shape
        count = _count(shape, axes)
        total = lax.reduce_sum(x, axes)
        centered = lax.sub(x, lax.broadcast_in_dim(
            lax.div(total, _full_like(total, count)), shape,
            tuple(d for d in range(len(shape)) if d not in axes)))
        squares = lax.reduce_sum(lax.mul(centered, centered), axes)
        return lax.div(squares, _full_like(squares, builtins.max(count - ddof, 0)))
    return _reduction("var", fn, a, axis, keepdims, dtype, _float_dtype)


def std(a, axis=None, dtype=None, ddof: int = 0, keepdims=False):
    return sqrt(var(a, axis, dtype=dtype, ddof=ddof, keepdims=keepdims))


def _arg_reduction(name, lax_fn, a, axis, keepdims):
    _check_arraylike(name, a)
    (a,) = _promote(name, a)
    aval = get_aval(a)
    if axis is None:
        a = lax.reshape(a, (aval.size,))
        out = lax_fn(a, 0, dtypes.default_int())
        return lax.reshape(out, (1,) * aval.ndim) if keepdims else out
    (ax,) = _axes(name, axis, aval.ndim)
    if aval.shape[ax] == 0:
        raise ValueError(f"hlox.numpy.{name}: attempt to get {name} of an empty sequence "
                         f"(axis {ax} of shape {aval.shape})")
    return _keep(lax_fn(a, ax, dtypes.default_int()), aval.shape, (ax,), keepdims)


def argmax(a, axis=None, keepdims=False):
    """Index of the first maximum (NaN counts as maximal, as jax.numpy)."""
    return _arg_reduction("argmax", lax.argmax, a, axis, keepdims)


def argmin(a, axis=None, keepdims=False):
    return _arg_reduction("argmin", lax.argmin, a, axis, keepdims)


def _cumulative(name, lax_fn, a, axis, dtype):
    _check_arraylike(name, a)
    (a,) = _promote(name, a)
    aval = get_aval(a)
    if axis is None:  # NumPy: the flattened array
        a = lax.reshape(a, (aval.size,))
        axis = 0
    (ax,) = _axes(name, axis, get_aval(a).ndim)
    # jax.numpy: bool accumulates in the default int; other dtypes are kept
    if dtype is not None or aval.dtype == dtypes.bool_:
        a = _convert(a, _accumulation_dtype(aval.dtype, dtype))
    return lax_fn(a, ax)


def cumsum(a, axis=None, dtype=None):
    return _cumulative("cumsum", lax.cumsum, a, axis, dtype)


def cumprod(a, axis=None, dtype=None):
    return _cumulative("cumprod", lax.cumprod, a, axis, dtype)

