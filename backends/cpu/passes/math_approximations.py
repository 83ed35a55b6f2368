"""hlox-cpu-math-approximations (Python pass): vectorizable float32 exp.

``math.exp`` otherwise becomes a call to libm's ``expf`` per element, which
LLVM's loop vectorizer cannot vectorize (no vector math library is set in the
JIT). Written out in ``arith`` ops instead, the loops around it vectorize.

The expansion is the classic range reduction: ``n = round(x / ln 2)``,
``r = x - n ln 2`` (ln 2 split in two parts, so ``r`` is exact enough),
``e^r`` by a degree-7 polynomial on ``[-ln2/2, ln2/2]`` (Cephes' expf
coefficients, about 1 ulp), and the result scaled by ``2^n`` built from the
exponent bits. ``2^n`` is applied as two factors so that ``n`` down to -150
(gradual underflow) stays representable. Overflow gives +inf, -inf gives 0,
NaN stays NaN, as libm does.

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
MAX_INPUT = 88.72283935546875  # above: exp overflows float32
MIN_INPUT = -104.0  # below: exp underflows to 0 even as a denormal


def _expand_exp_f32(op: ir.Operation) -> None:
    f32 = ir.F32Type.get()
    i32 = ir.IntegerType.get_signless(32)
    with ir.InsertionPoint(op), op.location:
        def const(value):
            return arith.ConstantOp(f32, ir.FloatAttr.get(f32, value)).result

        def iconst(value):
            return arith.ConstantOp(i32, ir.IntegerAttr.get(i32, value)).result

        def pow2(n):  # 2^n for an i32 n in [-126, 127]
            biased = arith.addi(n, iconst(127))
            return arith.bitcast(f32, arith.shli(biased, iconst(23)))

        x = op.operands[0]
        xc = arith.minimumf(arith.maximumf(x, const(MIN_INPUT)), const(MAX_INPUT))
        n = math.floor(arith.addf(arith.mulf(xc, const(LOG2E)), const(0.5)))
        r = arith.subf(xc, arith.mulf(n, const(LN2_HI)))
        r = arith.subf(r, arith.mulf(n, const(LN2_LO)))
        p = const(EXP_POLY[0])
        for c in EXP_POLY[1:]:
            p = arith.addf(arith.mulf(p, r), const(c))
        p = arith.addf(arith.addf(arith.mulf(arith.mulf(p, r), r), r), const(1.0))
        ni = arith.fptosi(i32, n)
        half = arith.shrsi(ni, iconst(1))
        result = arith.mulf(arith.mulf(p, pow2(half)), pow2(arith.subi(ni, half)))
        overflow = arith.cmpf(arith.CmpFPredicate.OGT, x, const(MAX_INPUT))
        result = arith.select(overflow, const(float("inf")), result)
        is_nan = arith.cmpf(arith.CmpFPredicate.UNO, x, x)
        result = arith.select(is_nan, x, result)
    op.results[0].replace_all_uses_with(result)
    op.erase()


_EXPANSIONS = {("math.exp", "f32"): _expand_exp_f32}


@register("hlox-cpu-math-approximations",
          "float32 math.exp as arith ops (polynomial), so loops around it vectorize")
def math_approximations(module: ir.Operation, pass_) -> None:
    found = []

    def visit(op):
        op = op.operation
        if len(op.results) == 1:
            expand = _EXPANSIONS.get((op.name, str(op.results[0].type)))
            if expand is not None:
                found.append((expand, op))
        return ir.WalkResult.ADVANCE

    module.walk(visit, ir.WalkOrder.POST_ORDER)
    for expand, op in found:
        expand(op)
