"""Elementwise math primitives (``jax.lax``'s sin, sqrt, erf, pow, ...), one place each.

They extend :mod:`hlox.frontend.lax.base`'s ``_ELEMENTWISE`` pattern: one table row
declares a primitive (shape/dtype rule and StableHLO or CHLO emission, the op
JAX emits), and the transformation rules follow, grouped by primitive. CHLO
ops (asin, erf, lgamma, ...) are decomposed into StableHLO by the backend's
``hlox-chlo-legalize-to-stablehlo`` pass. Reductions are in
:mod:`hlox.frontend.lax.reductions`.
"""

from __future__ import annotations

import math

import numpy as np
from mlir import ir

from hlox.frontend.core import dtypes
from hlox.frontend.core.emit import dense_attr, tensor_type
from hlox.frontend.core.tracing import Primitive, ShapedArray, get_aval, shape_error
from hlox.frontend.lax import complex_parts
from hlox.frontend.lax.base import (_ANY, _FLOAT, _NUMERIC, _SIGNED, _add_tangents, _batch_size,
                                    _elementwise_batching, _full_like, _make_elementwise, add,
                                    broadcast_in_dim, div, exp, gt, lt, eq, log, mul, neg, select,
                                    sub, zeros_like)

__all__ = ["sin", "cos", "tan", "tanh", "asin", "acos", "atan", "sinh", "cosh", "asinh",
           "acosh", "atanh", "sqrt", "rsqrt", "cbrt", "abs", "sign", "floor", "ceil", "round",
           "RoundingMethod", "is_finite", "log1p", "expm1", "logistic", "square", "erf", "erfc",
           "lgamma", "digamma", "polygamma", "pow", "atan2", "rem", "min", "integer_pow",
           "reciprocal", "clamp"]

# ---------------------------------------------------------------------------
# Declarations
# ---------------------------------------------------------------------------


def _lower_round(ctx, x, *, rounding_method):
    op = ("stablehlo.round_nearest_afz", "stablehlo.round_nearest_even")[rounding_method]
    return ctx.op(op, [x])


def _lower_sign(ctx, x):
    """stablehlo.sign has no unsigned form: there it is ``x != 0``."""
    aval = ctx.avals_in[0]
    if np.dtype(aval.dtype).kind != "u":
        return ctx.op("stablehlo.sign", [x])
    zero, one = (ir.Operation.create("stablehlo.constant", results=[tensor_type(aval)], attributes={
        "value": dense_attr(np.full(aval.shape, v, aval.dtype), aval)}).result for v in (0, 1))
    pred = ctx.op("stablehlo.compare", [x, zero], {
        "comparison_direction": ir.Attribute.parse("#stablehlo<comparison_direction EQ>"),
        "compare_type": ir.Attribute.parse("#stablehlo<comparison_type UNSIGNED>")},
        result_avals=[ShapedArray(aval.shape, dtypes.bool_)])[0]
    return ctx.op("stablehlo.select", [pred, zero, one])


def _lower_square(ctx, x):
    return ctx.op("stablehlo.multiply", [x, x])


# name -> (StableHLO/CHLO op or emission function, arity, operand kind[, result dtype])
_ELEMENTWISE_MATH = {
    "sin": ("stablehlo.sine", 1, _FLOAT),
    "cos": ("stablehlo.cosine", 1, _FLOAT),
    "tan": ("stablehlo.tan", 1, _FLOAT),
    "tanh": ("stablehlo.tanh", 1, _FLOAT),
    "asin": ("chlo.asin", 1, _FLOAT),
    "acos": ("chlo.acos", 1, _FLOAT),
    "atan": ("chlo.atan", 1, _FLOAT),
    "sinh": ("chlo.sinh", 1, _FLOAT),
    "cosh": ("chlo.cosh", 1, _FLOAT),
    "asinh": ("chlo.asinh", 1, _FLOAT),
    "acosh": ("chlo.acosh", 1, _FLOAT),
    "atanh": ("chlo.atanh", 1, _FLOAT),
    "sqrt": ("stablehlo.sqrt", 1, _FLOAT),
    "rsqrt": ("stablehlo.rsqrt", 1, _FLOAT),
    "cbrt": ("stablehlo.cbrt", 1, _FLOAT),
    "abs": ("stablehlo.abs", 1, _SIGNED),
    "sign": (_lower_sign, 1, _NUMERIC),
    "floor": ("stablehlo.floor", 1, _FLOAT),
    "ceil": ("stablehlo.ceil", 1, _FLOAT),
    "round": (_lower_round, 1, _FLOAT),
    "is_finite": ("stablehlo.is_finite", 1, _FLOAT, dtypes.bool_),
    "log1p": ("stablehlo.log_plus_one", 1, _FLOAT),
    "expm1": ("stablehlo.exponential_minus_one", 1, _FLOAT),
    "logistic": ("stablehlo.logistic", 1, _FLOAT),
    "square": (_lower_square, 1, _NUMERIC),
    "erf": ("chlo.erf", 1, _FLOAT),
    "erfc": ("chlo.erfc", 1, _FLOAT),
    "lgamma": ("chlo.lgamma", 1, _FLOAT),
    "digamma": ("chlo.digamma", 1, _FLOAT),
    "pow": ("stablehlo.power", 2, _NUMERIC),
    "atan2": ("stablehlo.atan2", 2, _FLOAT),
    "rem": ("stablehlo.remainder", 2, _NUMERIC),
    "min": ("stablehlo.minimum", 2, _ANY),
    "polygamma": ("chlo.polygamma", 2, _FLOAT),
}

_PRIMS = {name: _make_elementwise(name, *row) for name, row in _ELEMENTWISE_MATH.items()}
(sin_p, cos_p, tan_p, tanh_p, asin_p, acos_p, atan_p, sinh_p, cosh_p, asinh_p, acosh_p, atanh_p,
 sqrt_p, rsqrt_p, cbrt_p, abs_p, sign_p, floor_p, ceil_p, round_p, is_finite_p, log1p_p,
 expm1_p, logistic_p, square_p, erf_p, erfc_p, lgamma_p, digamma_p, pow_p, atan2_p, rem_p,
 min_p, polygamma_p) = _PRIMS.values()


# integer_pow: x ** y for a static Python int y, emitted as repeated squaring (as JAX).
integer_pow_p = Primitive("integer_pow")


@integer_pow_p.def_abstract_eval
def _integer_pow_abstract_eval(x: ShapedArray, *, y):
    if x.dtype == dtypes.bool_:
        raise shape_error("integer_pow", "is not defined on bool", x)
    if y < 0 and not dtypes.is_float(x.dtype):
        raise shape_error("integer_pow", f"integers cannot be raised to the negative power {y}", x)
    return x


@integer_pow_p.def_lowering
def _integer_pow_lower(ctx, x, *, y):
    aval = ctx.avals_in[0]
    result, base, n = None, x, -y if y < 0 else y
    while n:
        if n & 1:
            result = base if result is None else ctx.op("stablehlo.multiply", [result, base])[0]
        n >>= 1
        if n:
            base = ctx.op("stablehlo.multiply", [base, base])[0]
    if result is None or y < 0:
        one = ir.Operation.create("stablehlo.constant", results=[tensor_type(aval)], attributes={
            "value": dense_attr(np.ones(aval.shape, aval.dtype), aval)}).result
        result = one if result is None else ctx.op("stablehlo.divide", [one, result])[0]
    return [result]


# clamp(min, x, max): min and max are scalars or have x's shape (as stablehlo.clamp).
clamp_p = Primitive("clamp")


@clamp_p.def_abstract_eval
def _clamp_abstract_eval(lo: ShapedArray, x: ShapedArray, hi: ShapedArray):
    for bound, which in ((lo, "min"), (hi, "max")):
        if bound.shape not in ((), x.shape):
            raise shape_error("clamp", f"{which} must be a scalar or have the operand's shape "
                              f"{x.shape}", lo, x, hi)
        if bound.dtype != x.dtype:
            raise shape_error("clamp", f"{which} must have the operand's dtype {x.dtype}",
                              lo, x, hi)
    return x.update(weak_type=lo.weak_type and x.weak_type and hi.weak_type)


@clamp_p.def_lowering
def _clamp_lower(ctx, lo, x, hi):
    return ctx.op("stablehlo.clamp", [lo, x, hi])


# ---------------------------------------------------------------------------
# The lax-level API (strict shapes and dtypes, as jax.lax)
# ---------------------------------------------------------------------------


class RoundingMethod:
    """``jax.lax.RoundingMethod``: how ``round`` breaks ties."""

    AWAY_FROM_ZERO = 0
    TO_NEAREST_EVEN = 1


def sin(x): return sin_p.bind(x)
def cos(x): return cos_p.bind(x)
def tan(x): return tan_p.bind(x)
def tanh(x): return tanh_p.bind(x)
def asin(x): return asin_p.bind(x)
def acos(x): return acos_p.bind(x)
def atan(x): return atan_p.bind(x)
def sinh(x): return sinh_p.bind(x)
def cosh(x): return cosh_p.bind(x)
def asinh(x): return asinh_p.bind(x)
def acosh(x): return acosh_p.bind(x)
def atanh(x): return atanh_p.bind(x)
def sqrt(x): return sqrt_p.bind(x)
def rsqrt(x): return rsqrt_p.bind(x)
def cbrt(x): return cbrt_p.bind(x)
def abs(x):  # noqa: A001  (lax.abs)
    if dtypes.is_complex(get_aval(x).dtype):
        return complex_parts.complex_abs(x)
    return abs_p.bind(x)
def sign(x): return sign_p.bind(x)
def floor(x): return floor_p.bind(x)
def ceil(x): return ceil_p.bind(x)
def is_finite(x): return is_finite_p.bind(x)
def log1p(x): return log1p_p.bind(x)
def expm1(x): return expm1_p.bind(x)
def logistic(x): return logistic_p.bind(x)
def square(x): return square_p.bind(x)
def erf(x): return erf_p.bind(x)
def erfc(x): return erfc_p.bind(x)
def lgamma(x): return lgamma_p.bind(x)
def digamma(x): return digamma_p.bind(x)
def pow(x, y): return pow_p.bind(x, y)  # noqa: A001  (lax.pow)
def atan2(x, y): return atan2_p.bind(x, y)
def rem(x, y): return rem_p.bind(x, y)
def min(x, y): return min_p.bind(x, y)  # noqa: A001  (lax.min)
def polygamma(m, x): return polygamma_p.bind(m, x)


def round(x, rounding_method=RoundingMethod.AWAY_FROM_ZERO):  # noqa: A001  (lax.round)
    """Rounds to the nearest integer; ties away from zero or to even (``rounding_method``)."""
    method = int(rounding_method)
    if method not in (0, 1):
        raise ValueError(f"lax.round: unknown rounding_method {rounding_method!r}")
    return round_p.bind(x, rounding_method=method)


def integer_pow(x, y: int):
    """``x ** y`` for a Python integer ``y`` (``jax.lax.integer_pow``)."""
    if isinstance(y, bool) or not isinstance(y, (int, np.integer)):
        raise TypeError(f"lax.integer_pow: the exponent must be a Python int, got {y!r}")
    return integer_pow_p.bind(x, y=int(y))


def reciprocal(x):
    """``1 / x`` (``jax.lax.reciprocal``)."""
    return integer_pow(x, -1)


def clamp(min, x, max):  # noqa: A002  (jax.lax.clamp's parameter names)
    """``x`` limited to ``[min, max]``; the bounds are scalars or have ``x``'s shape."""
    return clamp_p.bind(min, x, max)


# ===========================================================================
# Transformation rules (JVP; batching). None of these primitives is linear in
# its differentiable operands, so none has a transpose rule: their JVPs are
# built from linear primitives (mul, div by a primal, select, neg) that have one.
# ===========================================================================


def _unary_jvp(prim, derivative):
    """JVP ``t * derivative(x, ans)`` (``derivative`` None: the tangent is zero)."""
    def rule(primals, tangents, **params):
        ans = prim.bind(*primals, **params)
        if derivative is None or tangents[0] is None:
            return ans, None
        return ans, mul(tangents[0], derivative(primals[0], ans, **params))
    prim.def_jvp(rule)


def _one(x): return _full_like(x, 1)
def _const(x, v): return _full_like(x, v)


_UNARY_DERIVATIVES = {
    sin_p: lambda x, ans: cos(x),
    cos_p: lambda x, ans: neg(sin(x)),
    tan_p: lambda x, ans: add(_one(x), mul(ans, ans)),
    tanh_p: lambda x, ans: sub(_one(x), mul(ans, ans)),
    asin_p: lambda x, ans: rsqrt(sub(_one(x), mul(x, x))),
    acos_p: lambda x, ans: neg(rsqrt(sub(_one(x), mul(x, x)))),
    atan_p: lambda x, ans: div(_one(x), add(_one(x), mul(x, x))),
    sinh_p: lambda x, ans: cosh(x),
    cosh_p: lambda x, ans: sinh(x),
    asinh_p: lambda x, ans: rsqrt(add(mul(x, x), _one(x))),
    acosh_p: lambda x, ans: rsqrt(mul(sub(x, _one(x)), add(x, _one(x)))),
    atanh_p: lambda x, ans: div(_one(x), sub(_one(x), mul(x, x))),
    sqrt_p: lambda x, ans: div(_const(x, 0.5), ans),
    rsqrt_p: lambda x, ans: mul(_const(x, -0.5), div(ans, x)),
    cbrt_p: lambda x, ans: div(_const(x, 1 / 3), mul(ans, ans)),
    abs_p: lambda x, ans: select(lt(x, zeros_like(x)), _const(x, -1), _one(x)),  # 1 at 0 (JAX)
    log1p_p: lambda x, ans: div(_one(x), add(x, _one(x))),
    expm1_p: lambda x, ans: add(ans, _one(x)),
    logistic_p: lambda x, ans: mul(ans, sub(_one(x), ans)),
    square_p: lambda x, ans: mul(_const(x, 2), x),
    erf_p: lambda x, ans: mul(_const(x, 2 / math.sqrt(math.pi)), exp(neg(mul(x, x)))),
    erfc_p: lambda x, ans: mul(_const(x, -2 / math.sqrt(math.pi)), exp(neg(mul(x, x)))),
    lgamma_p: lambda x, ans: digamma(x),
    digamma_p: lambda x, ans: polygamma(_one(x), x),
    # piecewise constant: the derivative is zero (as in JAX)
    sign_p: None, floor_p: None, ceil_p: None, round_p: None, is_finite_p: None,
}

for _p, _d in _UNARY_DERIVATIVES.items():
    _unary_jvp(_p, _d)


@integer_pow_p.def_jvp
def _integer_pow_jvp(primals, tangents, *, y):
    (x,), (t,) = primals, tangents
    ans = integer_pow(x, y)
    if y == 0:
        return ans, None
    jac = _const(x, y) if y == 1 else mul(_const(x, y), integer_pow(x, y - 1))
    return ans, mul(t, jac)


@polygamma_p.def_jvp
def _polygamma_jvp(primals, tangents):
    m, x = primals
    if tangents[0] is not None:
        raise NotImplementedError("polygamma: differentiation with respect to the order m "
                                  "is not defined")
    return polygamma(m, x), mul(tangents[1], polygamma(add(m, _one(m)), x))


def _binary_jvp(prim, dx, dy):
    """JVP ``tx * dx(x, y, ans) + ty * dy(x, y, ans)``."""
    def rule(primals, tangents):
        x, y = primals
        tx, ty = tangents
        ans = prim.bind(x, y)
        return ans, _add_tangents(None if tx is None else mul(tx, dx(x, y, ans)),
                                  None if ty is None else mul(ty, dy(x, y, ans)))
    prim.def_jvp(rule)


def _pow_dx(x, y, ans):
    # y * x**(y-1), and 0 where y == 0 (d/dx x**0 = 0, also at x = 0 where JAX gives NaN)
    zero = zeros_like(x)
    return select(eq(y, zero), zero, mul(y, pow(x, sub(y, _one(y)))))


def _pow_dy(x, y, ans):
    # log(x) * x**y, with 0 at x == 0 (the limit from the right for y > 0, as JAX)
    zero = zeros_like(x)
    is_zero = eq(x, zero)
    return select(is_zero, zero, mul(log(select(is_zero, _one(x), x)), ans))


def _atan2_denominator(x, y):
    return add(mul(x, x), mul(y, y))


def _trunc_quotient(x, y):
    q = div(x, y)
    return mul(sign(q), floor(abs(q)))


_binary_jvp(pow_p, _pow_dx, _pow_dy)
_binary_jvp(atan2_p, lambda x, y, ans: div(y, _atan2_denominator(x, y)),
            lambda x, y, ans: neg(div(x, _atan2_denominator(x, y))))
_binary_jvp(rem_p, lambda x, y, ans: _one(x), lambda x, y, ans: neg(_trunc_quotient(x, y)))


@min_p.def_jvp
def _min_jvp(primals, tangents):
    # d min(x, y) = tx where x < y, ty where y < x, (tx + ty) / 2 at ties (as lax.max)
    x, y = primals
    half = _const(x, 0.5)
    mask_x = select(lt(x, y), _one(x), select(lt(y, x), zeros_like(x), half))
    tx, ty = tangents
    return min(x, y), _add_tangents(None if tx is None else mul(tx, mask_x),
                                    None if ty is None else mul(ty, sub(_one(x), mask_x)))


def _bcast_to(v, shape):
    """A clamp bound (scalar or full) at ``shape``."""
    return v if get_aval(v).shape == tuple(shape) else broadcast_in_dim(v, shape, ())


def _and(a, b):
    return select(a, b, np.zeros(get_aval(a).shape, np.bool_))


@clamp_p.def_jvp
def _clamp_jvp(primals, tangents):
    lo, x, hi = primals
    tlo, tx, thi = tangents
    shape = get_aval(x).shape
    lo_b, hi_b = _bcast_to(lo, shape), _bcast_to(hi, shape)
    zero = zeros_like(x)
    out = clamp(lo, x, hi)
    # x's tangent inside (lo, hi); lo's where lo wins (x < lo < hi); hi's where x > hi (as JAX)
    t = None if tx is None else select(_and(gt(x, lo_b), lt(x, hi_b)), tx, zero)
    if tlo is not None:
        t = _add_tangents(t, select(_and(gt(lo_b, x), lt(lo_b, hi_b)), _bcast_to(tlo, shape), zero))
    if thi is not None:
        t = _add_tangents(t, select(lt(hi_b, x), _bcast_to(thi, shape), zero))
    return out, t


# -- batching ----------------------------------------------------------------

for _p in _PRIMS.values():
    _elementwise_batching(_p)


@integer_pow_p.def_batching
def _integer_pow_batching(values, dims, *, y):
    return integer_pow(values[0], y), 0


@clamp_p.def_batching
def _clamp_batching(values, dims, **params):
    # Every operand at the batched shape of x (a scalar bound cannot keep a batch axis).
    lo, x, hi = values
    dlo, dx, dhi = dims
    size = _batch_size(values, dims)
    x_shape = get_aval(x).shape[1:] if dx is not None else get_aval(x).shape
    full = (size,) + tuple(x_shape)

    def widen(v, d):
        shape = get_aval(v).shape
        if d is None:
            return v if shape == () else broadcast_in_dim(v, full, tuple(range(1, len(full))))
        if shape == (size,) and len(full) > 1:  # a batched scalar bound
            return broadcast_in_dim(v, full, (0,))
        return v
    if dx is None:
        x = broadcast_in_dim(x, full, tuple(range(1, len(full))))
    lo, hi = widen(lo, dlo), widen(hi, dhi)
    if get_aval(lo).shape != () or get_aval(hi).shape != ():
        lo, hi = _bcast_to(lo, full), _bcast_to(hi, full)
    return clamp(lo, x, hi), 0
