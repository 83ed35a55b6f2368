"""hlox-cpu-math-approximations (Python pass): vectorizable exp, log, tanh, sin, cos, pow.

``math.exp``/``log``/``tanh``/``sin``/``cos``/``powf`` otherwise become libm
calls (``expf``, ``logf``, ...) per element, which LLVM's loop vectorizer
cannot vectorize (no vector math library is set in the JIT). Written out in
``arith`` ops instead, the loops around them vectorize. log1p, expm1 and
logistic are built on exp and log by the StableHLO lowering, erf is a
polynomial already (CHLO decomposition), rsqrt is a vector sqrt and divide, so
they follow.

float32 is expanded directly; float16 and bfloat16 are computed in float32 and
rounded back (their ulp is 2^13 / 2^16 float32 ulps: the float32 error
vanishes in the rounding). float64 keeps libm's accurate routines. The max ulp
errors over all float32 inputs are measured by ``benchmarks/math_ulp.py``
(table in README).

- exp: ``n = round(x / ln 2)``, ``r = x - n ln 2`` (ln 2 in two parts, so ``r``
  is exact enough), ``e^r`` by a degree-7 polynomial (Cephes' expf
  coefficients), scaled by ``2^n`` from exponent bits, as two factors so that
  ``n`` down to -150 (gradual underflow) stays representable.
- log: ``x = m 2^e`` from the bits (subnormals scaled by 2^23 first), ``m`` in
  ``[sqrt(1/2), sqrt(2))``, ``log(m) = f - f^2/2 + f^3 P(f)`` with ``f = m - 1``
  (Cephes' logf coefficients), plus ``e ln 2`` in two parts.
- tanh: ``x + x^3 P(x^2)`` for ``|x| < 0.625`` (a degree-5 least-squares fit
  in relative error, < 1 ulp), else ``1 - 2 / (exp(2|x|) + 1)`` with x's sign.
- sin, cos: in float64 with a Payne-Hanek reduction valid for every float32
  (see :func:`_sin_cos_f32`), rounded once: correctly rounded but for ties.
- pow: ``exp(y log|x|)`` in float64, rounded once, with powf's special cases.

Special values are libm's: exp overflow +inf, exp(-inf) 0, log(0) -inf,
log(x < 0) NaN, log(inf) inf, sin/cos(inf) NaN, NaN stays NaN.

(MLIR's own math-polynomial-approximation is not a registered pass in the
pip-installed MLIR, hence this small one.)
"""

from __future__ import annotations

from mlir import ir
from mlir.dialects import arith, math

from hlox.passes.python_passes import register

LOG2E = 1.44269504088896341
LN2_HI = 0.693359375  # exactly representable; n * LN2_HI is exact for |n| < 2^11
LN2_LO = -2.12194440e-4
EXP_POLY = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3,
            4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]
# Above 88.7228 exp overflows float32; clamped to 89, n = 128 and p > 1 there,
# so p 2^64 2^64 overflows to +inf by itself (no select for it).
EXP_MAX_INPUT = 89.0
EXP_MIN_INPUT = -104.0  # below: exp underflows to 0 even as a denormal
LOG_POLY = [7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1,
            1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1,
            3.3333331174e-1]
SQRT_HALF = 0.707106781186547524
TANH_POLY = [0.0021780235692858696, -0.008214971981942654, 0.021715553477406502,
             -0.053949397057294846, 0.1333322674036026, -0.3333333134651184]
TANH_SMALL = 0.625  # below: the odd polynomial; above: through exp
TANH_CLAMP = 10.0  # tanh(10) rounds to 1 in float32


class _Arith:
    """Builders of arith in one float type and the integer type of its width,
    at the current insertion point."""

    def __init__(self, width: int):
        self.float = {32: ir.F32Type, 64: ir.F64Type}[width].get()
        self.int = ir.IntegerType.get_signless(width)

    def c(self, value: float):
        return arith.ConstantOp(self.float, ir.FloatAttr.get(self.float, value)).result

    def i(self, value: int):
        return arith.ConstantOp(self.int, ir.IntegerAttr.get(self.int, value)).result

    def horner(self, coefficients, t):
        p = self.c(coefficients[0])
        for k in coefficients[1:]:
            p = self.muladd(p, t, self.c(k))
        return p

    @staticmethod
    def muladd(a, b, c):
        """a * b + c, one fused multiply-add where the target has one (LLVM's
        fmuladd: half the instructions of a polynomial, and a rounding less)."""
        contract = ir.Attribute.parse("#arith.fastmath<contract>")
        return arith.addf(arith.mulf(a, b, fastmath=contract), c, fastmath=contract)

    def cmp(self, predicate, a, b):
        return arith.cmpf(getattr(arith.CmpFPredicate, predicate), a, b)


class _F32(_Arith):
    def __init__(self):
        super().__init__(32)
        self.f32, self.i32 = self.float, self.int


def exp_f32(b: _F32, x):
    def pow2(n):  # 2^n for an i32 n in [-126, 127]
        return arith.bitcast(b.f32, arith.shli(arith.addi(n, b.i(127)), b.i(23)))

    xc = arith.minimumf(arith.maximumf(x, b.c(EXP_MIN_INPUT)), b.c(EXP_MAX_INPUT))
    n = math.floor(b.muladd(xc, b.c(LOG2E), b.c(0.5)))
    # n * LN2_HI is exact, so a fused r is the same number
    r = b.muladd(n, b.c(-LN2_HI), xc)
    r = b.muladd(n, b.c(-LN2_LO), r)
    p = b.horner(EXP_POLY, r)
    # (not fused: p r^2 rounded before the + r keeps the max error under 1 ulp,
    # 0.99; fused it reached 1.02)
    p = arith.addf(arith.addf(arith.mulf(arith.mulf(p, r), r), r), b.c(1.0))
    ni = arith.fptosi(b.i32, n)
    half = arith.shrsi(ni, b.i(1))
    result = arith.mulf(arith.mulf(p, pow2(half)), pow2(arith.subi(ni, half)))
    return arith.select(b.cmp("UNO", x, x), x, result)


def log_f32(b: _F32, x):
    subnormal = b.cmp("OLT", x, b.c(2.0 ** -126))
    scaled = arith.select(subnormal, arith.mulf(x, b.c(2.0 ** 23)), x)
    bits = arith.bitcast(b.i32, scaled)
    # m in [0.5, 1): the mantissa with the exponent of 0.5; e the matching exponent
    e = arith.subi(arith.shrui(bits, b.i(23)), b.i(126))
    e = arith.subi(e, arith.select(subnormal, b.i(23), b.i(0)))
    m = arith.bitcast(b.f32, arith.ori(arith.andi(bits, b.i(0x007FFFFF)), b.i(0x3F000000)))
    low = b.cmp("OLT", m, b.c(SQRT_HALF))
    e = arith.sitofp(b.f32, arith.subi(e, arith.select(low, b.i(1), b.i(0))))
    f = arith.subf(arith.select(low, arith.addf(m, m), m), b.c(1.0))
    z = arith.mulf(f, f)
    y = arith.mulf(arith.mulf(f, z), b.horner(LOG_POLY, f))
    y = arith.addf(y, arith.mulf(e, b.c(LN2_LO)))
    y = arith.subf(y, arith.mulf(z, b.c(0.5)))
    result = arith.addf(arith.addf(f, y), arith.mulf(e, b.c(LN2_HI)))
    result = arith.select(b.cmp("OEQ", x, b.c(float("inf"))), x, result)
    result = arith.select(b.cmp("OEQ", x, b.c(0.0)), b.c(float("-inf")), result)
    # x < 0 and NaN: NaN
    return arith.select(b.cmp("ULT", x, b.c(0.0)), b.c(float("nan")), result)


def tanh_f32(b: _F32, x):
    a = arith.minimumf(math.absf(x), b.c(TANH_CLAMP))
    small = arith.addf(x, arith.mulf(arith.mulf(x, arith.mulf(x, x)),
                                     b.horner(TANH_POLY, arith.mulf(x, x))))
    # P(0) < 0, so for x = -0 the sum is -0 + +0 = +0; tanh is odd and |x^3 P| < |x|
    # here, so the sign is x's.
    small = math.copysign(small, x)
    e = exp_f32(b, arith.addf(a, a))
    large = arith.subf(b.c(1.0), arith.divf(b.c(2.0), arith.addf(e, b.c(1.0))))
    large = math.copysign(large, x)
    # NaN fails the comparison and takes the polynomial, which keeps it NaN
    return arith.select(b.cmp("OGE", a, b.c(TANH_SMALL)), large, small)


# 2/pi in 24-bit chunks: 2/pi = sum_j TWO_OVER_PI[j] 2^(-24 (j + 1))
TWO_OVER_PI = [10680707, 7228996, 1387004, 2578385, 16069853, 12639074, 9804092, 4427841,
               16666979]
SIN_TAYLOR = [1 / 6227020800, -1 / 39916800, 1 / 362880, -1 / 5040, 1 / 120, -1 / 6]  # r^13..r^3
COS_TAYLOR = [1 / 87178291200, -1 / 479001600, 1 / 3628800, -1 / 40320, 1 / 720, -1 / 24,
              1 / 2]  # r^14..r^2


def _sin_cos_f32(b: _F32, x, cosine: bool):
    """sin or cos of a float32, computed in float64 and rounded once.

    Payne-Hanek reduction for every float32: |x| = m 2^s (m a 24-bit integer),
    |x| 2/pi mod 4 as the sum of m * chunk_j * 2^(s - 24 (j + 1)) over the five
    chunks of 2/pi that matter at this exponent (the earlier ones give multiples
    of 4; each product is exact in float64 and taken mod 4 exactly), added with
    error-free sums. Then the quadrant k and the fraction f in [-1/2, 1/2]: sin or
    cos of f pi/2 by Taylor polynomials (error < 2^-40), the quadrant's sign and
    swap applied, and one rounding to float32.
    """
    w = _Arith(64)
    f64, i64, d, l, horner = w.float, w.int, w.c, w.i, w.horner

    def two_sum(u, v):
        total = arith.addf(u, v)
        v_part = arith.subf(total, u)
        u_part = arith.subf(total, v_part)
        error = arith.addf(arith.subf(u, u_part), arith.subf(v, v_part))
        return total, error

    bits = arith.andi(arith.bitcast(b.i32, x), b.i(0x7FFFFFFF))
    biased = arith.shrui(bits, b.i(23))
    mantissa = arith.andi(bits, b.i(0x007FFFFF))
    subnormal = arith.cmpi(arith.CmpIPredicate.eq, biased, b.i(0))
    m = arith.select(subnormal, mantissa, arith.ori(mantissa, b.i(0x00800000)))
    exponent = arith.subi(arith.select(subnormal, b.i(1), biased), b.i(150))  # |x| = m 2^s
    m = arith.sitofp(f64, m)
    # first chunk that can contribute below 4: j0 = floor((s - 2) / 24), at least 0
    j0 = arith.maxsi(arith.floordivsi(arith.subi(exponent, b.i(2)), b.i(24)), b.i(0))
    parts = []
    for i in range(5):
        chunk = d(float(TWO_OVER_PI[4 + i]))
        for j in range(3, -1, -1):  # chunk j0 + i, j0 in 0..4
            chunk = arith.select(arith.cmpi(arith.CmpIPredicate.eq, j0, b.i(j)),
                                 d(float(TWO_OVER_PI[j + i])), chunk)
        power = arith.subi(exponent, arith.muli(arith.addi(j0, b.i(i + 1)), b.i(24)))
        scale = arith.bitcast(f64, arith.shli(arith.extsi(i64, arith.addi(power, b.i(1023))),
                                              l(52)))
        term = arith.mulf(arith.mulf(m, chunk), scale)  # exact
        parts.append(arith.subf(term, arith.mulf(math.floor(arith.mulf(term, d(0.25))), d(4.0))))
    s1, e1 = two_sum(parts[0], parts[1])
    s2, e2 = two_sum(s1, parts[2])
    low = arith.addf(arith.addf(e1, e2), arith.addf(parts[3], parts[4]))
    k = math.floor(arith.addf(s2, d(0.5)))
    f = arith.addf(arith.subf(s2, k), low)
    quadrant = arith.andi(arith.fptosi(b.i32, k), b.i(3))
    r = arith.mulf(f, d(1.5707963267948966))
    r2 = arith.mulf(r, r)
    sin_r = arith.addf(r, arith.mulf(arith.mulf(r, r2), horner(SIN_TAYLOR, r2)))
    cos_r = arith.subf(d(1.0), arith.mulf(r2, horner(COS_TAYLOR, r2)))
    if cosine:  # cos(|x|): quadrants cos, -sin, -cos, sin
        odd = arith.cmpi(arith.CmpIPredicate.eq, arith.andi(quadrant, b.i(1)), b.i(1))
        value = arith.select(odd, sin_r, cos_r)
        negative = arith.cmpi(arith.CmpIPredicate.eq,
                              arith.andi(arith.addi(quadrant, b.i(1)), b.i(2)), b.i(2))
    else:  # sin(|x|): quadrants sin, cos, -sin, -cos; sin(x) = sign(x) sin(|x|)
        odd = arith.cmpi(arith.CmpIPredicate.eq, arith.andi(quadrant, b.i(1)), b.i(1))
        value = arith.select(odd, cos_r, sin_r)
        negative = arith.cmpi(arith.CmpIPredicate.eq, arith.andi(quadrant, b.i(2)), b.i(2))
    value = arith.select(negative, arith.negf(value), value)
    result = arith.truncf(b.f32, value)
    if not cosine:  # odd: the sign bit of x flips the result
        sign = arith.cmpi(arith.CmpIPredicate.slt, arith.bitcast(b.i32, x), b.i(0))
        result = arith.select(sign, arith.negf(result), result)
    # inf and NaN: NaN (the reduction above is meaningless for them)
    finite = b.cmp("OLT", math.absf(x), b.c(float("inf")))
    return arith.select(finite, result, b.c(float("nan")))


def sin_f32(b: _F32, x):
    return _sin_cos_f32(b, x, cosine=False)


def cos_f32(b: _F32, x):
    return _sin_cos_f32(b, x, cosine=True)


LOG_ATANH = [2 / 21, 2 / 19, 2 / 17, 2 / 15, 2 / 13, 2 / 11, 2 / 9, 2 / 7, 2 / 5, 2 / 3]
EXP_TAYLOR = [1 / 479001600, 1 / 39916800, 1 / 3628800, 1 / 362880, 1 / 40320, 1 / 5040,
              1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1.0, 1.0]  # r^12..r^0
LN2_HI_F64 = 0.6931471803691238  # 32 significant bits: n * LN2_HI_F64 is exact
LN2_LO_F64 = 1.9082149292705877e-10


def pow_f32(b: _F32, x, y):
    """x^y for float32, as exp(y log|x|) in float64 (log by the atanh series, exp by
    Taylor after the ln 2 reduction, both to ~2^-50) rounded once, with powf's
    special cases: y = 0 or x = 1 give 1; x < 0 takes y's parity for integer y
    and is NaN for other finite y; zeros and infinities follow from log and exp
    (the sign of an odd integer power kept)."""
    w = _Arith(64)
    f64, i64, d, l, horner = w.float, w.int, w.c, w.i, w.horner

    # log|x| in float64 (float32 subnormals are normal there)
    bits = arith.bitcast(i64, math.absf(arith.extf(f64, x)))
    e = arith.subi(arith.shrui(bits, l(52)), l(1023))
    m = arith.bitcast(f64, arith.ori(arith.andi(bits, l((1 << 52) - 1)), l(1023 << 52)))
    high = arith.cmpf(arith.CmpFPredicate.OGT, m, d(1.4142135623730951))
    m = arith.select(high, arith.mulf(m, d(0.5)), m)
    e = arith.sitofp(f64, arith.addi(e, arith.select(high, l(1), l(0))))
    t = arith.divf(arith.subf(m, d(1.0)), arith.addf(m, d(1.0)))
    t2 = arith.mulf(t, t)
    log_m = arith.addf(arith.addf(t, t), arith.mulf(arith.mulf(t, t2), horner(LOG_ATANH, t2)))
    log_x = arith.addf(arith.mulf(e, d(LN2_HI_F64)), arith.addf(arith.mulf(e, d(LN2_LO_F64)), log_m))
    absx = math.absf(x)
    log_x = arith.select(b.cmp("OEQ", absx, b.c(0.0)), d(float("-inf")), log_x)
    log_x = arith.select(b.cmp("OEQ", absx, b.c(float("inf"))), d(float("inf")), log_x)
    log_x = arith.select(b.cmp("UNO", x, x), d(float("nan")), log_x)
    # exp(z) in float64, z = y log|x|
    z = arith.mulf(arith.extf(f64, y), log_x)
    zc = arith.minimumf(arith.maximumf(z, d(-1100.0)), d(1100.0))
    n = math.floor(arith.addf(arith.mulf(zc, d(1.4426950408889634)), d(0.5)))
    r = arith.subf(arith.subf(zc, arith.mulf(n, d(LN2_HI_F64))), arith.mulf(n, d(LN2_LO_F64)))
    ni = arith.fptosi(i64, n)  # |n| <= 1587: 2^n as two float64 factors
    half = arith.shrsi(ni, l(1))

    def pow2(k):
        return arith.bitcast(f64, arith.shli(arith.addi(k, l(1023)), l(52)))

    value = arith.mulf(arith.mulf(horner(EXP_TAYLOR, r), pow2(half)), pow2(arith.subi(ni, half)))
    value = arith.select(arith.cmpf(arith.CmpFPredicate.UNO, z, z), z, value)
    result = arith.truncf(b.f32, value)
    # the sign of x < 0: odd integer y negates, other finite non-integer y is NaN
    integer = b.cmp("OEQ", math.floor(y), y)
    half_y = arith.mulf(y, b.c(0.5))
    odd = arith.andi(integer, b.cmp("ONE", math.floor(half_y), half_y))
    negative = arith.cmpi(arith.CmpIPredicate.slt, arith.bitcast(b.i32, x), b.i(0))
    result = arith.select(arith.andi(negative, odd), arith.negf(result), result)
    finite_y = b.cmp("OLT", math.absf(y), b.c(float("inf")))
    not_integer = arith.andi(finite_y, b.cmp("ONE", math.floor(y), y))
    invalid = arith.andi(arith.andi(b.cmp("OLT", x, b.c(0.0)), b.cmp("OGT", x, b.c(float("-inf")))),
                         not_integer)
    result = arith.select(invalid, b.c(float("nan")), result)
    one = arith.ori(b.cmp("OEQ", y, b.c(0.0)), b.cmp("OEQ", x, b.c(1.0)))
    # x = -1 with y = +-inf is 1 as well (|x|^y with log|x| = 0 gives NaN)
    one = arith.ori(one, arith.andi(b.cmp("OEQ", x, b.c(-1.0)),
                                    b.cmp("OEQ", math.absf(y), b.c(float("inf")))))
    return arith.select(one, b.c(1.0), result)


_F32_EXPANSIONS = {"math.exp": exp_f32, "math.log": log_f32, "math.tanh": tanh_f32,
                   "math.sin": sin_f32, "math.cos": cos_f32, "math.powf": pow_f32}
_NARROW = ("f16", "bf16")  # computed in float32


def _expand(op: ir.Operation, expansion, element: str) -> None:
    with ir.InsertionPoint(op), op.location:
        b = _F32()
        operands = list(op.operands)
        if element in _NARROW:
            operands = [arith.extf(b.f32, v) for v in operands]
            result = arith.truncf(op.results[0].type, expansion(b, *operands))
        else:
            result = expansion(b, *operands)
    op.results[0].replace_all_uses_with(result)
    op.erase()


@register("hlox-cpu-math-approximations",
          "float32 (and float16/bfloat16, in float32) math.exp, log, tanh, sin, cos and powf "
          "as arith ops (polynomials), so loops around them vectorize")
def math_approximations(module: ir.Operation, pass_) -> None:
    found = []

    def visit(op):
        op = op.operation
        expansion = _F32_EXPANSIONS.get(op.name)
        if expansion is not None and len(op.results) == 1:
            element = str(op.results[0].type)
            if element == "f32" or element in _NARROW:
                found.append((op, expansion, element))
        return ir.WalkResult.ADVANCE

    module.walk(visit, ir.WalkOrder.POST_ORDER)
    for op, expansion, element in found:
        _expand(op, expansion, element)
