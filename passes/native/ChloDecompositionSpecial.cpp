//===- ChloDecompositionSpecial.cpp - erf, lgamma, digamma, zeta, ... -----===//
//
// Special functions as StableHLO, computed in the operand's precision
// (float64 in float64; float32, float16 and bfloat16 in float32):
//
//   erf, erfc     erf(x)/x Chebyshev series in x^2 on |x| <= 1; beyond,
//                 erfc(x) = e^(-x^2) Q(1/x) / x with Q piecewise Chebyshev
//                 in 1/x, and e^(-x^2) computed from a split x = hi + lo.
//   erf_inv       x P(w), w = -log(1 - x^2): Chebyshev in w for w < 6.25,
//                 in sqrt(w) beyond (two pieces).
//   lgamma        shift x up to z >= Z0 by the recurrence, then Stirling's
//                 series with Bernoulli numbers; reflection for x < 0.
//   digamma       the same with the asymptotic series of psi.
//   zeta          Hurwitz zeta by Euler-Maclaurin summation.
//   polygamma     (-1)^(n+1) n! zeta(n + 1, x), digamma for n = 0.
//   bessel_i1e    Chebyshev on |x| <= 8, in 8/|x| on [8, 32], in 32/|x| beyond.
//
// The Chebyshev tables are generated (tools/gen_chlo_coefficients.py).
//
//===----------------------------------------------------------------------===//
#include "passes/native/ChloDecomposition.h"

#include "dialects/chlo/ChloOps.h"

#include "llvm/ADT/TypeSwitch.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;

namespace hlox {
namespace {

#include "passes/native/ChloCoefficients.inc"

constexpr double kPi = 3.14159265358979323846;
constexpr double kLogPi = 1.14472988584940017414;
constexpr double kHalfLog2Pi = 0.91893853320467274178;

// Bernoulli numbers B_2, B_4, ..., B_20.
constexpr double kBernoulli[] = {1.0 / 6,      -1.0 / 30,   1.0 / 42,
                                 -1.0 / 30,    5.0 / 66,    -691.0 / 2730,
                                 7.0 / 6,      -3617.0 / 510, 43867.0 / 798,
                                 -174611.0 / 330};

/// e^(-x^2) for x >= 0 with x^2's rounding error removed: x = hi + lo with
/// hi = floor(16 x) / 16 (hi^2 is exact), x^2 = hi^2 + lo (x + hi).
Value expMinusSquare(HloEmitter &h, Value x) {
  Value hi = h.mul(h.floor(h.mul(x, h.splat(x, 16.0))), h.splat(x, 1.0 / 16));
  Value lo = h.sub(x, hi);
  Value e1 = h.exp(h.neg(h.mul(hi, hi)));
  Value e2 = h.exp(h.neg(h.mul(lo, h.add(x, hi))));
  return h.mul(e1, e2);
}

/// erfc(a) for a > 1 (0 beyond underflow, nan for nan).
Value erfcLarge(HloEmitter &h, Value a) {
  Value u = h.div(h.splat(a, 1.0), a);
  Value q = h.select(
      h.ge(u, h.splat(a, 0.5)), h.chebyshev(u, kErfcU1),
      h.select(h.ge(u, h.splat(a, 0.25)), h.chebyshev(u, kErfcU2),
               h.select(h.ge(u, h.splat(a, 0.125)), h.chebyshev(u, kErfcU3),
                        h.chebyshev(u, kErfcU4))));
  Value r = h.mul(h.mul(expMinusSquare(h, a), q), u);
  // Underflowed for a > 32 (also keeps inf from making nan).
  return h.select(h.gt(a, h.splat(a, 32.0)), h.splat(a, 0.0), r);
}

Value erfSmall(HloEmitter &h, Value x) { return h.mul(x, h.chebyshev(h.mul(x, x), kErfSmall)); }

Value lowerErf(HloEmitter &h, Value x) {
  Value a = h.abs(x);
  Value one = h.splat(x, 1.0);
  Value big = h.sub(one, erfcLarge(h, a));
  big = h.select(h.lt(x, h.splat(x, 0.0)), h.neg(big), big);
  return h.select(h.le(a, one), erfSmall(h, x), big);
}

Value lowerErfc(HloEmitter &h, Value x) {
  Value a = h.abs(x);
  Value one = h.splat(x, 1.0);
  Value e = erfcLarge(h, a);
  Value big = h.select(h.lt(x, h.splat(x, 0.0)), h.sub(h.splat(x, 2.0), e), e);
  return h.select(h.le(a, one), h.sub(one, erfSmall(h, x)), big);
}

Value lowerErfInv(HloEmitter &h, Value x) {
  Value one = h.splat(x, 1.0);
  Value w = h.neg(h.log(h.mul(h.sub(one, x), h.add(one, x))));
  Value v = h.sqrt(w);
  Value tail = h.select(h.lt(v, h.splat(x, 4.0)), h.chebyshev(v, kErfInvV1),
                        h.chebyshev(v, kErfInvV2));
  Value p = h.select(h.lt(w, h.splat(x, 6.25)), h.chebyshev(w, kErfInvW), tail);
  Value r = h.mul(x, p);
  // +-1 -> +-inf (|x| > 1 is already nan through the log).
  return h.select(h.eq(h.abs(x), one), h.mul(x, h.inf(x)), r);
}

/// Shifts y > 0 up to z >= z0 with the recurrence; calls `step(z)` for every
/// z that was shifted past (masked: `active` says whether it counts).
template <class Step>
Value shiftUp(HloEmitter &h, Value y, int z0, Step step) {
  Value z = y;
  Value limit = h.splat(y, z0);
  Value one = h.splat(y, 1.0);
  for (int k = 0; k < z0; ++k) {
    Value active = h.lt(z, limit);
    step(z, active);
    z = h.select(active, h.add(z, one), z);
  }
  return z;
}

/// lgamma(y) for y > 0 (or nan).
Value lgammaPositive(HloEmitter &h, Value y) {
  bool f64 = HloEmitter::isF64(y);
  int z0 = f64 ? 10 : 6;
  int terms = f64 ? 7 : 4;
  Value one = h.splat(y, 1.0);
  Value product = one;
  Value z = shiftUp(h, y, z0, [&](Value z, Value active) {
    product = h.mul(product, h.select(active, z, one));
  });
  // Stirling: (z - 1/2) log z - z + log(2 pi)/2 + sum B_2k / (2k (2k-1) z^(2k-1)).
  Value r = h.add(h.sub(h.mul(h.sub(z, h.splat(y, 0.5)), h.log(z)), z),
                  h.splat(y, kHalfLog2Pi));
  Value inv = h.div(one, z);
  Value inv2 = h.mul(inv, inv);
  SmallVector<double> coeffs;
  for (int k = 1; k <= terms; ++k)
    coeffs.push_back(kBernoulli[k - 1] / (2.0 * k * (2 * k - 1)));
  r = h.add(r, h.mul(inv, h.polynomial(inv2, coeffs)));
  r = h.sub(r, h.log(product));
  // On (0, 3), where lgamma has its zeros at 1 and 2:
  // lgamma(y) = (y-1)(y-2) R(y) on [1, 3), lgamma(y+1) - log(y) below 1.
  Value below = h.lt(y, one);
  Value v = h.select(below, h.add(y, one), y);
  Value mid = h.mul(h.mul(h.sub(v, one), h.sub(v, h.splat(y, 2.0))), h.chebyshev(v, kLgammaMid));
  mid = h.select(below, h.sub(mid, h.log(y)), mid);
  return h.select(h.lt(y, h.splat(y, 3.0)), mid, r);
}

/// |sin(pi x)| with the argument reduced exactly to [0, 1/2].
Value absSinPi(HloEmitter &h, Value x) {
  Value f = h.sub(x, h.floor(x));
  Value d = h.min(f, h.sub(h.splat(x, 1.0), f));
  return h.sin(h.mul(d, h.splat(x, kPi)));
}

Value lowerLgamma(HloEmitter &h, Value x) {
  Value zero = h.splat(x, 0.0);
  Value negative = h.lt(x, zero);
  Value y = h.select(negative, h.sub(h.splat(x, 1.0), x), x);
  Value g = lgammaPositive(h, y);
  // lgamma(x) = log(pi) - log|sin(pi x)| - lgamma(1 - x) for x < 0.
  Value reflected = h.sub(h.sub(h.splat(x, kLogPi), h.log(absSinPi(h, x))), g);
  Value r = h.select(negative, reflected, g);
  return h.select(h.eq(h.abs(x), h.inf(x)), h.inf(x), r);
}

/// digamma(y) for y > 0 (or nan).
Value digammaPositive(HloEmitter &h, Value y) {
  bool f64 = HloEmitter::isF64(y);
  int z0 = f64 ? 10 : 6;
  int terms = f64 ? 7 : 4;
  Value one = h.splat(y, 1.0);
  Value zero = h.splat(y, 0.0);
  Value acc = zero;
  Value z = shiftUp(h, y, z0, [&](Value z, Value active) {
    acc = h.add(acc, h.select(active, h.div(one, z), zero));
  });
  // psi(z) ~ log z - 1/(2z) - sum B_2k / (2k z^2k).
  Value inv = h.div(one, z);
  Value inv2 = h.mul(inv, inv);
  SmallVector<double> coeffs;
  for (int k = 1; k <= terms; ++k)
    coeffs.push_back(kBernoulli[k - 1] / (2.0 * k));
  Value series = h.mul(inv2, h.polynomial(inv2, coeffs));
  Value r = h.sub(h.sub(h.log(z), h.mul(inv, h.splat(y, 0.5))), series);
  return h.sub(r, acc);
}

Value lowerDigamma(HloEmitter &h, Value x) {
  Value zero = h.splat(x, 0.0);
  Value negative = h.lt(x, zero);
  Value y = h.select(negative, h.sub(h.splat(x, 1.0), x), x);
  Value g = digammaPositive(h, y);
  // psi(x) = psi(1 - x) - pi / tan(pi x) for x < 0, with tan's argument
  // reduced to pi * frac(x).
  Value frac = h.sub(x, h.floor(x));
  Value reflected = h.sub(g, h.div(h.splat(x, kPi), h.tan(h.mul(frac, h.splat(x, kPi)))));
  Value r = h.select(negative, reflected, g);
  // Poles at 0, -1, -2, ...: nan (as XLA).
  Value pole = h.andOp(h.le(x, zero), h.eq(x, h.floor(x)));
  return h.select(pole, h.nan(x), r);
}

} // namespace

Value lowerZeta(HloEmitter &h, Value x, Value q) {
  bool f64 = HloEmitter::isF64(x);
  const int n = 9;
  const int m = f64 ? 10 : 6;
  Value one = h.splat(x, 1.0);
  Value negX = h.neg(x);
  // sum_{k < n} (q + k)^-x
  Value sum = h.splat(x, 0.0);
  for (int k = 0; k < n; ++k)
    sum = h.add(sum, h.pow(h.add(q, h.splat(x, k)), negX));
  Value w = h.add(q, h.splat(x, n));
  Value t = h.pow(w, negX); // w^-x
  sum = h.add(sum, h.div(h.mul(w, t), h.sub(x, one)));
  sum = h.add(sum, h.mul(t, h.splat(x, 0.5)));
  // + sum_j B_2j/(2j)! x (x+1) ... (x+2j-2) w^(-x-2j+1)
  Value factor = h.div(h.mul(x, t), w); // x w^(-x-1)
  Value w2 = h.mul(w, w);
  double factorial = 1.0;
  for (int j = 1; j <= m; ++j) {
    factorial *= (2.0 * j - 1) * (2.0 * j);
    sum = h.add(sum, h.mul(factor, h.splat(x, kBernoulli[j - 1] / factorial)));
    // factor *= (x + 2j - 1)(x + 2j) / w^2
    factor = h.div(h.mul(factor, h.mul(h.add(x, h.splat(x, 2.0 * j - 1)),
                                       h.add(x, h.splat(x, 2.0 * j)))),
                   w2);
  }
  Value zero = h.splat(x, 0.0);
  Value r = sum;
  r = h.select(h.eq(x, one), h.inf(x), r);
  r = h.select(h.lt(x, one), h.nan(x), r);
  Value qInt = h.eq(q, h.floor(q));
  r = h.select(h.andOp(h.lt(q, zero), h.notOp(h.eq(x, h.floor(x)))), h.nan(x), r);
  r = h.select(h.andOp(h.le(q, zero), qInt), h.inf(x), r);
  return r;
}

Value lowerPolygamma(HloEmitter &h, Value n, Value x) {
  Value one = h.splat(x, 1.0);
  Value zero = h.splat(x, 0.0);
  Value np1 = h.add(n, one);
  // (-1)^(n+1) n!: positive for odd n.
  Value half = h.mul(n, h.splat(x, 0.5));
  Value odd = h.ne(h.floor(half), half);
  Value sign = h.select(odd, one, h.neg(one));
  Value factorial = h.exp(lgammaPositive(h, np1));
  Value r = h.mul(h.mul(sign, factorial), lowerZeta(h, np1, x));
  r = h.select(h.eq(n, zero), lowerDigamma(h, x), r);
  Value bad = h.orOp(h.ne(n, h.floor(n)), h.lt(n, zero));
  return h.select(bad, h.nan(x), r);
}

namespace {

Value lowerBesselI1e(HloEmitter &h, Value x) {
  Value a = h.abs(x);
  Value small = h.mul(x, h.chebyshev(a, kI1eSmall));
  Value mid = h.chebyshev(h.div(h.splat(x, 8.0), a), kI1eMid);
  Value large = h.chebyshev(h.div(h.splat(x, 32.0), a), kI1eLarge);
  Value tail = h.div(h.select(h.le(a, h.splat(x, 32.0)), mid, large), h.sqrt(a));
  tail = h.select(h.lt(x, h.splat(x, 0.0)), h.neg(tail), tail);
  return h.select(h.le(a, h.splat(x, 8.0)), small, tail);
}

} // namespace

FailureOr<SmallVector<Value>> decomposeSpecial(Operation *op, HloEmitter &h) {
  using namespace mlir::chlo;
  auto unary = [&](Value x, Value (*fn)(HloEmitter &, Value)) {
    return inF32(h, x, [&](Value v) { return fn(h, v); });
  };
  Value result =
      llvm::TypeSwitch<Operation *, Value>(op)
          .Case([&](ErfOp o) { return unary(o.getOperand(), lowerErf); })
          .Case([&](ErfcOp o) { return unary(o.getOperand(), lowerErfc); })
          .Case([&](ErfInvOp o) { return unary(o.getOperand(), lowerErfInv); })
          .Case([&](LgammaOp o) { return unary(o.getOperand(), lowerLgamma); })
          .Case([&](DigammaOp o) { return unary(o.getOperand(), lowerDigamma); })
          .Case([&](BesselI1eOp o) { return unary(o.getOperand(), lowerBesselI1e); })
          .Case([&](ZetaOp o) {
            return inF32(h, o.getLhs(), o.getRhs(),
                         [&](Value a, Value b) { return lowerZeta(h, a, b); });
          })
          .Case([&](PolygammaOp o) {
            return inF32(h, o.getLhs(), o.getRhs(),
                         [&](Value a, Value b) { return lowerPolygamma(h, a, b); });
          })
          .Default([](Operation *) { return Value(); });
  if (!result) {
    op->emitOpError("has no StableHLO decomposition");
    return failure();
  }
  return SmallVector<Value>{result};
}

} // namespace hlox
