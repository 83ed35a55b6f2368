"""hlox-cpu-math-approximations (Python pass): vectorizable exp, log and tanh.

``math.exp``/``log``/``tanh`` otherwise become libm calls (``expf``, ``logf``,
``tanhf``) per element, which LLVM's loop vectorizer cannot vectorize (no
vector math library is set in the JIT). Written out in ``arith`` ops instead,
the loops around them vectorize. log1p, expm1 and logistic are built on exp
and log by the StableHLO lowering, erf is a polynomial already (CHLO
decomposition), rsqrt is a vector sqrt and divide, so they follow.

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

Special values are libm's: exp overflow +inf, exp(-inf) 0, log(0) -inf,
log(x < 0) NaN, log(inf) inf, NaN stays NaN.

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
EXP_MAX_INPUT = 88.72283935546875  # above: exp overflows float32
EXP_MIN_INPUT = -104.0  # below: exp underflows to 0 even as a denormal
LOG_POLY = [7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1,
            1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1,
            3.3333331174e-1]
SQRT_HALF = 0.707106781186547524
TANH_POLY = [0.0021780235692858696, -0.008214971981942654, 0.021715553477406502,
             -0.053949397057294846, 0.1333322674036026, -0.3333333134651184]
TANH_SMALL = 0.625  # below: the odd polynomial; above: through exp
TANH_CLAMP = 10.0  # tanh(10) rounds to 1 in float32


class _F32:
    """Builders of float32 arith at the current insertion point."""

    def __init__(self):
        self.f32 = ir.F32Type.get()
        self.i32 = ir.IntegerType.get_signless(32)

    def c(self, value: float):
        return arith.ConstantOp(self.f32, ir.FloatAttr.get(self.f32, value)).result

    def i(self, value: int):
        return arith.ConstantOp(self.i32, ir.IntegerAttr.get(self.i32, value)).result

    def horner(self, coefficients, t):
        p = self.c(coefficients[0])
        for k in coefficients[1:]:
            p = arith.addf(arith.mulf(p, t), self.c(k))
        return p

    def cmp(self, predicate, a, b):
        return arith.cmpf(getattr(arith.CmpFPredicate, predicate), a, b)


def exp_f32(b: _F32, x):
    def pow2(n):  # 2^n for an i32 n in [-126, 127]
        return arith.bitcast(b.f32, arith.shli(arith.addi(n, b.i(127)), b.i(23)))

    xc = arith.minimumf(arith.maximumf(x, b.c(EXP_MIN_INPUT)), b.c(EXP_MAX_INPUT))
    n = math.floor(arith.addf(arith.mulf(xc, b.c(LOG2E)), b.c(0.5)))
    r = arith.subf(xc, arith.mulf(n, b.c(LN2_HI)))
    r = arith.subf(r, arith.mulf(n, b.c(LN2_LO)))
    p = b.horner(EXP_POLY, r)
    p = arith.addf(arith.addf(arith.mulf(arith.mulf(p, r), r), r), b.c(1.0))
    ni = arith.fptosi(b.i32, n)
    half = arith.shrsi(ni, b.i(1))
    result = arith.mulf(arith.mulf(p, pow2(half)), pow2(arith.subi(ni, half)))
    result = arith.select(b.cmp("OGT", x, b.c(EXP_MAX_INPUT)), b.c(float("inf")), result)
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
    e = exp_f32(b, arith.addf(a, a))
    large = arith.subf(b.c(1.0), arith.divf(b.c(2.0), arith.addf(e, b.c(1.0))))
    large = math.copysign(large, x)
    # NaN fails the comparison and takes the polynomial, which keeps it NaN
    return arith.select(b.cmp("OGE", a, b.c(TANH_SMALL)), large, small)


_F32_EXPANSIONS = {"math.exp": exp_f32, "math.log": log_f32, "math.tanh": tanh_f32}
_NARROW = ("f16", "bf16")  # computed in float32


def _expand(op: ir.Operation, expansion, element: str) -> None:
    with ir.InsertionPoint(op), op.location:
        b = _F32()
        x = op.operands[0]
        if element in _NARROW:
            result = arith.truncf(op.results[0].type, expansion(b, arith.extf(b.f32, x)))
        else:
            result = expansion(b, x)
    op.results[0].replace_all_uses_with(result)
    op.erase()


@register("hlox-cpu-math-approximations",
          "float32 (and float16/bfloat16, in float32) math.exp, math.log and math.tanh as "
          "arith ops (polynomials), so loops around them vectorize")
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
