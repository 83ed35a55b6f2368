"""Elementwise ops (spec semantics; XLA's where the spec leaves a choice).

Narrow floats (bfloat16, float16, float8) are computed in float32 and rounded
back to the result type by the evaluator; float32 has enough precision for
that double rounding to be exact for +, -, *, / and sqrt.
"""

from __future__ import annotations

import ml_dtypes
import numpy as np

from . import attributes
from .registry import register

def wide(x: np.ndarray) -> np.ndarray:
    """x in a dtype numpy computes natively (float32 for narrow floats)."""
    x = np.asarray(x)
    d = x.dtype
    if d.type.__module__.startswith("ml_dtypes"):
        if "int" in d.name:  # int2/int4/uint2/uint4: a byte (results wrap when cast back)
            return x.astype(np.uint8 if d.name.startswith("uint") else np.int8)
        return x.astype(np.float32)  # bfloat16, float8, ...
    if d.kind == "f" and d.itemsize < 4:
        return x.astype(np.float32)
    return x


def is_float(x) -> bool:
    d = np.asarray(x).dtype
    return d.kind == "f" or (d.type.__module__.startswith("ml_dtypes") and "int" not in d.name)


def is_int(x) -> bool:
    d = np.asarray(x).dtype
    return d.kind in "iu" or "int" in d.name


def unsigned_view(x: np.ndarray) -> np.ndarray:
    """The bits of an integer array as the unsigned type of its width."""
    x = wide(x)
    return x.view(np.dtype(f"u{x.dtype.itemsize}"))


def _unary(name, fn):
    register(f"stablehlo.{name}", elementwise=True)(lambda ev, step, env, a: [fn(wide(a[0]))])


def _binary(name, fn):
    register(f"stablehlo.{name}", elementwise=True)(lambda ev, step, env, a: [fn(wide(a[0]), wide(a[1]))])


def bit_width(dtype) -> int:
    """Bits of an element type (4 for int4, though numpy stores a byte)."""
    dtype = np.dtype(dtype)
    if dtype.kind in "iu" or "int" in dtype.name:
        return int(ml_dtypes.iinfo(dtype).bits)
    return dtype.itemsize * 8


def _binary_typed(name, fn):
    """A binary rule that also gets the operands' own element type."""
    register(f"stablehlo.{name}", elementwise=True)(
        lambda ev, step, env, a: [fn(wide(a[0]), wide(a[1]), np.asarray(a[0]).dtype)])


def _unary_typed(name, fn):
    register(f"stablehlo.{name}", elementwise=True)(
        lambda ev, step, env, a: [fn(wide(a[0]), np.asarray(a[0]).dtype)])


def _low_bits(x, dtype):
    """The element's bits as an unsigned array (masked to its width)."""
    u = unsigned_view(x)
    bits = bit_width(dtype)
    if bits < u.dtype.itemsize * 8:
        u = u & u.dtype.type((1 << bits) - 1)
    return u, bits


# ---- arithmetic ------------------------------------------------------------

_binary("add", lambda x, y: x | y if x.dtype == np.bool_ else x + y)
_binary("subtract", lambda x, y: x - y)
_binary("multiply", lambda x, y: x & y if x.dtype == np.bool_ else x * y)
def _atan2(y, x):
    if y.dtype.kind != "c":
        return np.arctan2(y, x)
    # complex: the StableHLO reference interpreter's -i log((x + iy) / sqrt(x^2 + y^2))
    with np.errstate(all="ignore"):
        return -1j * np.log((x + 1j * y) / np.sqrt(x * x + y * y))


_binary("atan2", _atan2)
_binary("complex", lambda x, y: x + 1j * y.astype(np.result_type(y, np.complex64)))


def _guarded_divisor(x, y, dtype):
    """``(y == 0, INT_MIN / -1, y with 1 at both)``: the cases XLA defines itself."""
    zero = y == 0
    int_min = ml_dtypes.iinfo(dtype or x.dtype).min
    overflow = (x == int_min) & (y == -1) if x.dtype.kind == "i" else np.zeros_like(zero)
    return zero, overflow, np.where(zero | overflow, np.ones_like(y), y)


def int_divide(x, y, dtype=None):
    """Truncating division; XLA's x/0 = -1 (all ones) and INT_MIN/-1 = INT_MIN."""
    signed = x.dtype.kind == "i"
    zero, overflow, safe = _guarded_divisor(x, y, dtype)
    q, r = np.divmod(x, safe)
    if signed:
        q = q + ((r != 0) & ((x < 0) != (safe < 0))).astype(x.dtype)
    q = np.where(zero, np.array(-1).astype(x.dtype), q)
    q = np.where(overflow, x, q)
    return q


def int_remainder(x, y, dtype=None):
    """Remainder with the dividend's sign; XLA's x%0 = x and INT_MIN%-1 = 0."""
    signed = x.dtype.kind == "i"
    zero, overflow, safe = _guarded_divisor(x, y, dtype)
    r = np.fmod(x, safe) if signed else x % safe
    r = np.where(zero, x, r)
    return np.where(overflow, np.zeros_like(x), r)


def complex_divide(x, y):
    """x / y for complex arrays without numpy's overflow on tiny divisors
    (0 / (1e-40+0j) is nan+nanj in numpy's complex64): Smith's algorithm on the
    parts in float64 (exact inputs for complex64), and C99's x/0 = inf*x."""
    dtype = np.result_type(x, y)
    a, b = np.real(x).astype(np.float64), np.imag(x).astype(np.float64)
    c, d = np.real(y).astype(np.float64), np.imag(y).astype(np.float64)
    with np.errstate(all="ignore"):
        real_big = np.abs(c) >= np.abs(d)
        r = np.where(real_big, d / c, c / d)
        den = np.where(real_big, c + d * r, c * r + d)
        re = np.where(real_big, a + b * r, a * r + b) / den
        im = np.where(real_big, b - a * r, b * r - a) / den
        zero = (c == 0) & (d == 0) & ~(np.isnan(a) & np.isnan(b))
        inf = np.copysign(np.inf, c)
        re, im = np.where(zero, inf * a, re), np.where(zero, inf * b, im)
    return _complex(re, im, dtype)


def _complex(re, im, dtype):
    """The complex array with these parts (re + 1j * im would turn inf parts into NaN)."""
    out = np.empty(np.broadcast(re, im).shape, dtype)
    out.real, out.imag = re, im
    return out


def divide(x, y, dtype):
    if is_int(x):
        return int_divide(x, y, dtype)
    if x.dtype.kind == "c" or y.dtype.kind == "c":
        return complex_divide(x, y)
    return x / y


_binary_typed("divide", divide)
_binary_typed("remainder", lambda x, y, d: int_remainder(x, y, d) if is_int(x) else np.fmod(x, y))


def int_power(x, y):
    """Exponentiation by squaring with wraparound; negative exponents give
    0 except for bases 1 and -1 (XLA)."""
    result = np.ones_like(x)
    base = x.copy()
    e = y.astype(np.int64) if y.dtype.kind == "i" else y.astype(np.uint64)
    neg = e < 0
    e = np.where(neg, 0, e).astype(np.uint64)
    while np.any(e):
        odd = (e & np.uint64(1)).astype(bool)
        result = np.where(odd, result * base, result)
        base = base * base
        e = e >> np.uint64(1)
    if x.dtype.kind == "i":
        neg_result = np.where(x == 1, 1, np.where(x == -1, np.where(y % 2 == 0, 1, -1), 0)).astype(x.dtype)
        result = np.where(neg, neg_result, result)
    return result


_binary("power", lambda x, y: int_power(x, y) if is_int(x) else np.power(x, y))


def _maximum(x, y):
    if x.dtype.kind == "c":  # lexicographic (real, imag); a NaN compares false (JAX's
        # lax.max lowering and the StableHLO reference: rhs unless lhs is greater)
        gt = np.where(x.real == y.real, x.imag > y.imag, x.real > y.real)
        return np.where(gt, x, y)
    if is_float(x):  # max(+0, -0) = +0 whatever the order, as XLA
        zeros = (x == 0) & (y == 0)
        return np.where(zeros, np.where(np.signbit(x) & np.signbit(y), x, np.abs(x)),
                        np.maximum(x, y))
    return np.maximum(x, y)


def _minimum(x, y):
    if x.dtype.kind == "c":
        lt = np.where(x.real == y.real, x.imag < y.imag, x.real < y.real)
        return np.where(lt, x, y)
    if is_float(x):  # min(+0, -0) = -0 whatever the order, as XLA
        zeros = (x == 0) & (y == 0)
        return np.where(zeros, np.where(np.signbit(x) | np.signbit(y), -np.abs(x), x),
                        np.minimum(x, y))
    return np.minimum(x, y)


_binary("maximum", _maximum)
_binary("minimum", _minimum)
_binary("and", lambda x, y: x & y)
_binary("or", lambda x, y: x | y)
_binary("xor", lambda x, y: x ^ y)


def _shift(kind):
    def fn(x, y, dtype):
        ux, bits = _low_bits(x, dtype)
        amount = _low_bits(y, dtype)[0].astype(np.uint64)  # the amount is read as unsigned
        big = amount >= bits
        small = np.where(big, 0, amount).astype(x.dtype)
        if kind == "left":  # (narrow ints wrap when cast back to their type)
            return np.where(big, np.zeros_like(x), x << small)
        if kind == "logical":
            shifted = (ux >> small.astype(ux.dtype)).view(x.dtype)
            return np.where(big, np.zeros_like(x), shifted)
        # arithmetic: the top bit of the element's own width is the sign, for
        # unsigned types too (the op is about bits).
        u64 = ux.astype(np.uint64)
        if bits < 64:
            negative = ((u64 >> np.uint64(bits - 1)) & np.uint64(1)) == 1
            u64 = np.where(negative, u64 | ~np.uint64((1 << bits) - 1), u64)
        sx = u64.view(np.int64)
        shifted = np.where(big, np.where(sx < 0, -1, 0), sx >> small.astype(np.int64))
        return shifted.astype(np.int64).view(np.uint64).astype(x.dtype)
    return fn


_binary_typed("shift_left", _shift("left"))
_binary_typed("shift_right_logical", _shift("logical"))
_binary_typed("shift_right_arithmetic", _shift("arithmetic"))


# ---- unary -----------------------------------------------------------------

def _complex_sign(x):
    """x / |x| with the parts first scaled by the larger one, so that tiny
    (subnormal) and huge magnitudes neither underflow nor overflow; with one
    infinite part, NumPy's +-1 on that axis (both infinite: NaN)."""
    re, im = np.real(x).astype(np.float64), np.imag(x).astype(np.float64)
    with np.errstate(all="ignore"):
        scale = np.maximum(np.abs(re), np.abs(im))
        safe = np.where(scale == 0, 1.0, scale)
        sr, si = re / safe, im / safe
        magnitude = np.hypot(sr, si)
        out_re, out_im = sr / magnitude, si / magnitude
        re_inf, im_inf = np.isinf(re), np.isinf(im)
        out_re = np.where(re_inf & ~im_inf, np.sign(re), np.where(im_inf & ~re_inf, 0.0, out_re))
        out_im = np.where(im_inf & ~re_inf, np.sign(im), np.where(re_inf & ~im_inf, 0.0, out_im))
        out = _complex(out_re, out_im, x.dtype)
    return np.where(scale == 0, np.zeros_like(x), out)


def _sign(x):
    if x.dtype.kind == "c":
        return _complex_sign(x)
    if x.dtype.kind == "f":
        return np.where((x == 0) | np.isnan(x), x, np.sign(x))
    return np.sign(x)


def round_afz(x):
    """Round half away from zero, exact (no x + 0.5 rounding trap)."""
    t = np.trunc(x)
    return np.where(np.abs(x - t) >= 0.5, t + np.sign(x), t)


def popcnt(x, dtype):
    u, bits = _low_bits(x, dtype)
    count = np.zeros(u.shape, np.int64)
    for i in range(bits):
        count += ((u >> u.dtype.type(i)) & u.dtype.type(1)).astype(np.int64)
    return count


def clz(x, dtype):
    u, bits = _low_bits(x, dtype)
    count = np.full(u.shape, bits, np.int64)
    for i in range(bits):  # the highest set bit wins (ascending overwrite)
        set_ = ((u >> u.dtype.type(i)) & u.dtype.type(1)).astype(bool)
        count = np.where(set_, bits - 1 - i, count)
    return count


_unary("abs", np.abs)
_unary("negate", np.negative)
_unary("sign", _sign)
_unary("not", lambda x: ~x)
_unary("exponential", np.exp)
def _expm1(x):
    """e^x - 1; complex: an exact zero imaginary part stays (as in exp: e^x - 1 + i0,
    where NumPy's e^re sin(0) gives NaN for re = +inf or NaN)."""
    if x.dtype.kind != "c":
        return np.expm1(x)
    with np.errstate(all="ignore"):
        real_axis = x.imag == 0
        out = np.expm1(np.where(real_axis, 0, x))
        re = np.where(real_axis, np.expm1(x.real), out.real)
        im = np.where(real_axis, x.imag, out.imag)
    return _complex(re, im, x.dtype)


_unary("exponential_minus_one", _expm1)
_unary("log", np.log)
def _log1p(x):
    """log(1 + x); complex: NumPy's log1p overflows |1 + z|^2 for huge parts, where
    1 + z has no cancellation and log (NumPy's clog) is exact."""
    if x.dtype.kind != "c":
        return np.log1p(x)
    with np.errstate(all="ignore"):
        huge = np.abs(x) >= 1 / np.finfo(x.real.dtype).eps
        return np.where(huge, np.log(1 + np.where(huge, x, 0)), np.log1p(np.where(huge, 0, x)))


_unary("log_plus_one", _log1p)
_unary("logistic", lambda x: 1 / (1 + np.exp(-x)))
_unary("sqrt", np.sqrt)
_unary("rsqrt", lambda x: 1 / np.sqrt(x))
_unary("cbrt", lambda x: np.cbrt(x) if x.dtype.kind != "c" else x ** (1 / 3))
_unary("sine", np.sin)
_unary("cosine", np.cos)
_unary("tan", np.tan)
_unary("tanh", np.tanh)
_unary("floor", np.floor)
_unary("ceil", np.ceil)
_unary("round_nearest_even", np.rint)
_unary("round_nearest_afz", round_afz)
_unary("is_finite", np.isfinite)
_unary_typed("popcnt", popcnt)
_unary_typed("count_leading_zeros", clz)
_unary("real", lambda x: np.real(x))
_unary("imag", lambda x: np.imag(x) if x.dtype.kind == "c" else np.zeros_like(x))


# ---- compare / select / clamp ---------------------------------------------


def total_order_key(x):
    """Integers ordered like the spec's totalOrder on floats:
    -NaN < -Inf < -finite < -0 < +0 < +finite < +Inf < +NaN."""
    x = np.asarray(x)
    if x.dtype.itemsize < 4 and x.dtype.kind != "c":
        x = x.astype(np.float32)  # exact widening keeps the order
    bits = x.view(np.dtype(f"i{x.dtype.itemsize}")).astype(np.int64)
    top = np.int64(np.iinfo(np.dtype(f"i{x.dtype.itemsize}")).max)
    return np.where(bits < 0, bits ^ top, bits)


_DIRECTIONS = {"EQ": np.equal, "NE": np.not_equal, "LT": np.less, "LE": np.less_equal,
               "GT": np.greater, "GE": np.greater_equal}


@register("stablehlo.compare", elementwise=True)
def compare(ev, step, env, args):
    direction = step.cached("direction", lambda: attributes.enum(step.attr("comparison_direction")))
    ctype = step.cached("type", lambda: attributes.enum(step.attr("compare_type")))
    x, y = args
    if ctype == "TOTALORDER" and is_float(x):
        x, y = total_order_key(x), total_order_key(y)
    elif x.dtype.kind == "c" and direction not in ("EQ", "NE"):
        # Lexicographic (real, imag), as the spec orders complex numbers: the
        # imaginary parts decide where the real parts are equal (a NaN never is,
        # and compares false as a real NaN does).
        compare_parts = _DIRECTIONS[direction]
        return [np.where(x.real == y.real, compare_parts(x.imag, y.imag),
                         compare_parts(x.real, y.real))]
    else:
        x, y = wide(x), wide(y)
        if ctype == "UNSIGNED" and x.dtype.kind == "i":
            x, y = unsigned_view(x), unsigned_view(y)
        elif ctype == "SIGNED" and x.dtype.kind == "u":
            x, y = x.view(np.dtype(f"i{x.dtype.itemsize}")), y.view(np.dtype(f"i{y.dtype.itemsize}"))
    return [_DIRECTIONS[direction](x, y)]


@register("stablehlo.select", elementwise=True)
def select(ev, step, env, args):
    pred, on_true, on_false = args
    return [np.where(pred, on_true, on_false)]


@register("stablehlo.clamp", elementwise=True)
def clamp(ev, step, env, args):
    lo, x, hi = (wide(a) for a in args)
    return [_minimum(_maximum(x, lo), hi)]


# ---- conversions -----------------------------------------------------------


def convert(x: np.ndarray, to: np.dtype) -> np.ndarray:
    """stablehlo.convert: bool <-> numbers as 0/1; float -> int rounds toward
    zero and saturates (NaN -> 0), as XLA does; complex -> real keeps the
    real part."""
    x = np.asarray(x)
    to = np.dtype(to)
    if x.dtype.kind == "c" and to.kind != "c":  # to bool too: the spec ignores the imaginary part
        x = x.real
    if to == np.bool_:
        return x != 0
    if is_int(np.empty(0, to)) and is_float(x):
        info = ml_dtypes.iinfo(to)  # int2/int4 too
        lo, hi = info.min, info.max
        w = wide(x).astype(np.float64)
        w = np.where(np.isnan(w), 0, np.trunc(w))
        out = np.zeros(w.shape, to)
        big, small = w >= float(hi), w <= float(lo)
        mid = ~(big | small)
        out[mid] = w[mid].astype(np.int64).astype(to) if to.kind not in "iu" else w[mid].astype(to)
        out[big] = hi
        out[small] = lo
        return out
    narrow = lambda d: d.type.__module__.startswith("ml_dtypes")  # noqa: E731
    if is_int(x) and is_int(np.empty(0, to)) and x.dtype != np.bool_ and (narrow(x.dtype) or narrow(to)):
        # int <-> int2/int4: two's complement wraparound (ml_dtypes' astype saturates)
        if not narrow(to):
            return wide(x).astype(to)
        bits = bit_width(to)
        v = wide(x).astype(np.int64) & ((1 << bits) - 1)
        if ml_dtypes.iinfo(to).min < 0:
            v = np.where(v >= 1 << (bits - 1), v - (1 << bits), v)
        return v.astype(to)
    if narrow(x.dtype) and narrow(to):
        return x.astype(np.float32).astype(to)
    return x.astype(to)


@register("stablehlo.convert", elementwise=True)
def convert_rule(ev, step, env, args):
    return [convert(args[0], step.result_types[0].dtype)]


@register("stablehlo.bitcast_convert")
def bitcast_convert(ev, step, env, args):
    """Reinterprets the bits (little-endian, as XLA on CPU): a narrower
    result gets a trailing dimension, a wider one consumes the operand's."""
    x = np.ascontiguousarray(args[0])
    t = step.result_types[0]
    if x.dtype == np.bool_ and t.dtype == np.bool_:
        return [x]
    if x.dtype == np.bool_:  # one bit per element, element k is bit k
        packed = np.packbits(x, axis=-1, bitorder="little")
        return [np.ascontiguousarray(packed).view(t.dtype).reshape(t.shape)]
    if t.dtype == np.bool_:
        raw = (x if x.ndim else x.reshape(1)).view(np.uint8)
        bits = np.unpackbits(raw, axis=-1, bitorder="little").astype(np.bool_)
        return [bits.reshape(t.shape)]
    out = x.view(t.dtype) if x.ndim else x.reshape(1).view(t.dtype)
    return [out.reshape(t.shape)]


@register("stablehlo.reduce_precision", elementwise=True)
def reduce_precision(ev, step, env, args):
    """XLA's algorithm on the bits: round the mantissa to nearest even, then
    overflow to +-Inf and underflow (incl. subnormals) to +-0; NaN stays NaN
    when mantissa bits remain, else becomes +-Inf."""
    exp_bits = int(attributes.scalar(step.attr("exponent_bits")))
    mant_bits = int(attributes.scalar(step.attr("mantissa_bits")))
    x = np.asarray(args[0])
    dtype = x.dtype
    # On the type's own bits (as XLA: float16 subnormals are rounded, not
    # flushed by float32's exponent range); float8 and narrower through float32.
    native = dtype.itemsize >= 2
    src = x if native else x.astype(np.float32)
    nbits = src.dtype.itemsize * 8
    src_mant = int(ml_dtypes.finfo(src.dtype).nmant)
    src_exp = nbits - 1 - src_mant
    uint = np.dtype(f"u{src.dtype.itemsize}").type
    one = uint(1)
    bits = src.view(uint).copy()
    if mant_bits < src_mant:
        shift = uint(src_mant - mant_bits)
        last = one << shift
        bias = (last >> one) - one
        bits = bits + (((bits & last) >> shift) + bias)
        bits = bits & ~(last - one)
    if exp_bits < src_exp:
        sign_mask = one << uint(nbits - 1)
        exp_mask = ((one << uint(src_exp)) - one) << uint(src_mant)
        exponent_bias = (1 << (src_exp - 1)) - 1
        reduced_bias = (1 << (exp_bits - 1)) - 1
        max_exp = uint(exponent_bias + reduced_bias) << uint(src_mant)
        min_exp = uint(exponent_bias - reduced_bias) << uint(src_mant)
        exponent = bits & exp_mask
        signed_zero = bits & sign_mask
        bits = np.where(exponent > max_exp, signed_zero | exp_mask,
                        np.where(exponent <= min_exp, signed_zero, bits)).astype(uint)
    out = bits.view(src.dtype)
    # NaN stays NaN while mantissa bits remain; without any it is the infinity
    # of its sign (the spec's reference interpreter)
    wide_src = src.astype(np.float64)
    nan = wide_src if mant_bits > 0 else np.copysign(np.inf, wide_src)
    out = np.where(np.isnan(wide_src), nan.astype(src.dtype), out)
    return [out.astype(dtype)]
