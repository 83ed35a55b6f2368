//===- ChloDecompositionElementwise.cpp - trig, predicates, broadcasting --===//
//
// Decompositions of the CHLO ops that are compositions of a few StableHLO
// ops: inverse trigonometric and hyperbolic functions (real and complex),
// square, conj, is_*inf, next_after, constants and the broadcast_* ops.
//
//===----------------------------------------------------------------------===//
#include "passes/native/ChloDecomposition.h"

#include "dialects/chlo/ChloOps.h"

#include "llvm/ADT/TypeSwitch.h"
#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;

namespace hlox {
namespace {

bool isComplex(Value v) {
  return llvm::isa<ComplexType>(getElementTypeOrSelf(v.getType()));
}

constexpr double kPi = 3.14159265358979323846;
constexpr double kLn2 = 0.69314718055994530942;

// ---- real ---------------------------------------------------------------

/// sqrt((1 - x)(1 + x)), accurate near |x| = 1.
Value sqrtOneMinusSquare(HloEmitter &h, Value x) {
  Value one = h.splat(x, 1.0);
  return h.sqrt(h.mul(h.sub(one, x), h.add(one, x)));
}

Value realAsin(HloEmitter &h, Value x) {
  // asin(x) = 2 atan(x / (1 + sqrt(1 - x^2))).
  Value one = h.splat(x, 1.0);
  Value t = h.atan2(x, h.add(one, sqrtOneMinusSquare(h, x)));
  return h.add(t, t);
}

Value realAcos(HloEmitter &h, Value x) {
  // acos(x) = 2 atan(sqrt(1 - x^2) / (1 + x)), and pi at x = -1.
  Value one = h.splat(x, 1.0);
  Value t = h.atan2(sqrtOneMinusSquare(h, x), h.add(one, x));
  Value r = h.add(t, t);
  return h.select(h.eq(x, h.splat(x, -1.0)), h.splat(x, kPi), r);
}

Value realAtan(HloEmitter &h, Value x) { return h.atan2(x, h.splat(x, 1.0)); }

/// The threshold above which x^2 + 1 rounds to x^2 (1/sqrt(eps)).
double bigThreshold(Value x) { return HloEmitter::isF64(x) ? 1e8 : 4096.0; }

Value realAsinh(HloEmitter &h, Value x) {
  // a = |x|; asinh(a) = log1p(a + a^2 / (1 + sqrt(1 + a^2))) (no
  // cancellation near 0), log(a) + log(2) for large a; odd in x.
  Value a = h.abs(x);
  Value one = h.splat(x, 1.0);
  Value a2 = h.mul(a, a);
  Value small = h.log1p(h.add(a, h.div(a2, h.add(one, h.sqrt(h.add(one, a2))))));
  Value large = h.add(h.log(a), h.splat(x, kLn2));
  Value r = h.select(h.gt(a, h.splat(x, bigThreshold(x))), large, small);
  // Restore the sign (keeps -0 and nan).
  return h.select(h.lt(x, h.splat(x, 0.0)), h.neg(r), h.select(h.eq(x, x), r, x));
}

Value realAcosh(HloEmitter &h, Value x) {
  // y = x - 1; acosh(x) = log1p(y + sqrt(y (y + 2))), log(x) + log(2) for
  // large x, nan below 1.
  Value one = h.splat(x, 1.0);
  Value y = h.sub(x, one);
  Value near = h.log1p(h.add(y, h.sqrt(h.mul(y, h.add(y, h.splat(x, 2.0))))));
  Value large = h.add(h.log(x), h.splat(x, kLn2));
  Value r = h.select(h.gt(x, h.splat(x, bigThreshold(x))), large, near);
  return h.select(h.lt(x, one), h.nan(x), r);
}

Value realAtanh(HloEmitter &h, Value x) {
  // atanh(x) = (log1p(x) - log1p(-x)) / 2; nan outside [-1, 1] (log1p of a
  // value below -1), +-inf at +-1.
  Value r = h.mul(h.sub(h.log1p(x), h.log1p(h.neg(x))), h.splat(x, 0.5));
  return h.select(h.gt(h.abs(x), h.splat(x, 1.0)), h.nan(x), r);
}

Value realSinh(HloEmitter &h, Value x) {
  // |x| < 1: (expm1(x) - expm1(-x)) / 2 (no cancellation); else
  // sign(x) (e^(|x| - log 2) - e^(-|x| - log 2)), which does not overflow
  // before sinh does.
  Value a = h.abs(x);
  Value small = h.mul(h.sub(h.expm1(x), h.expm1(h.neg(x))), h.splat(x, 0.5));
  Value ln2 = h.splat(x, kLn2);
  Value big = h.sub(h.exp(h.sub(a, ln2)), h.exp(h.sub(h.neg(a), ln2)));
  big = h.select(h.lt(x, h.splat(x, 0.0)), h.neg(big), big);
  return h.select(h.lt(a, h.splat(x, 1.0)), small, big);
}

Value realCosh(HloEmitter &h, Value x) {
  // e^(|x| - log 2) + e^(-|x| - log 2).
  Value a = h.abs(x);
  Value ln2 = h.splat(x, kLn2);
  return h.add(h.exp(h.sub(a, ln2)), h.exp(h.sub(h.neg(a), ln2)));
}

// ---- complex (textbook identities on stablehlo's complex log/sqrt; not
// guarded against overflow for |z| near the float range) -------------------

Value cconst(HloEmitter &h, Value like, double re, double im) {
  Value r = h.real(like);
  return h.complex(h.splat(r, re), h.splat(r, im));
}
Value timesI(HloEmitter &h, Value z) { // i z = (-im, re)
  return h.complex(h.neg(h.imag(z)), h.real(z));
}
Value timesMinusI(HloEmitter &h, Value z) { // -i z = (im, -re)
  return h.complex(h.imag(z), h.neg(h.real(z)));
}

Value complexAsin(HloEmitter &h, Value z) {
  // asin(z) = -i log(i z + sqrt(1 - z^2))
  Value one = cconst(h, z, 1, 0);
  Value s = h.sqrt(h.mul(h.sub(one, z), h.add(one, z)));
  return timesMinusI(h, h.log(h.add(timesI(h, z), s)));
}
Value complexAcos(HloEmitter &h, Value z) {
  // acos(z) = pi/2 - asin(z)
  return h.sub(cconst(h, z, kPi / 2, 0), complexAsin(h, z));
}
Value complexAtan(HloEmitter &h, Value z) {
  // atan(z) = (i/2) (log(1 - i z) - log(1 + i z))
  Value one = cconst(h, z, 1, 0);
  Value iz = timesI(h, z);
  Value d = h.sub(h.log(h.sub(one, iz)), h.log(h.add(one, iz)));
  return h.mul(cconst(h, z, 0, 0.5), d);
}
Value complexAsinh(HloEmitter &h, Value z) {
  // asinh(z) = -i asin(i z)
  return timesMinusI(h, complexAsin(h, timesI(h, z)));
}
Value complexAcosh(HloEmitter &h, Value z) {
  // acosh(z) = log(z + sqrt(z + 1) sqrt(z - 1))
  Value one = cconst(h, z, 1, 0);
  return h.log(h.add(z, h.mul(h.sqrt(h.add(z, one)), h.sqrt(h.sub(z, one)))));
}
Value complexAtanh(HloEmitter &h, Value z) {
  // atanh(z) = (log(1 + z) - log(1 - z)) / 2
  Value one = cconst(h, z, 1, 0);
  return h.mul(cconst(h, z, 0.5, 0), h.sub(h.log(h.add(one, z)), h.log(h.sub(one, z))));
}
Value complexSinh(HloEmitter &h, Value z) {
  // sinh(a + ib) = sinh a cos b + i cosh a sin b
  Value a = h.real(z), b = h.imag(z);
  return h.complex(h.mul(realSinh(h, a), h.cos(b)), h.mul(realCosh(h, a), h.sin(b)));
}
Value complexCosh(HloEmitter &h, Value z) {
  // cosh(a + ib) = cosh a cos b + i sinh a sin b
  Value a = h.real(z), b = h.imag(z);
  return h.complex(h.mul(realCosh(h, a), h.cos(b)), h.mul(realSinh(h, a), h.sin(b)));
}

using Fn = Value (*)(HloEmitter &, Value);

Value realOrComplex(HloEmitter &h, Value x, Fn real, Fn complex) {
  if (isComplex(x))
    return complex(h, x);
  return inF32(h, x, [&](Value v) { return real(h, v); });
}

/// Broadcasts `v` to `result`'s shape (XlaBuilder rules; see the CHLO verifier).
Value broadcastTo(HloEmitter &h, Value v, RankedTensorType result,
                  std::optional<ArrayRef<int64_t>> dims) {
  auto type = llvm::cast<RankedTensorType>(v.getType());
  if (type.getShape() == result.getShape())
    return v;
  SmallVector<int64_t> map;
  if (dims && type.getRank() != result.getRank())
    map.assign(dims->begin(), dims->end());
  else
    for (int64_t i = 0; i < type.getRank(); ++i)
      map.push_back(result.getRank() - type.getRank() + i);
  auto target = result.clone(type.getElementType());
  NamedAttribute attr = h.builder().getNamedAttr(
      "broadcast_dimensions", h.builder().getDenseI64ArrayAttr(map));
  return h.create("broadcast_in_dim", {v}, target, {attr})->getResult(0);
}

template <class OpTy>
SmallVector<Value> broadcastOperands(HloEmitter &h, OpTy op) {
  auto result = llvm::cast<RankedTensorType>(op.getType());
  auto dims = op.getBroadcastDimensions();
  return {broadcastTo(h, op.getLhs(), result, dims),
          broadcastTo(h, op.getRhs(), result, dims)};
}

template <class OpTy>
Value broadcastBinary(HloEmitter &h, OpTy op, StringRef name) {
  SmallVector<Value> v = broadcastOperands(h, op);
  return h.create(name, v, op.getType())->getResult(0);
}

} // namespace

Value inF32(HloEmitter &h, Value x, function_ref<Value(Value)> fn) {
  Type elem = getElementTypeOrSelf(x.getType());
  if (!elem.isF16() && !elem.isBF16() && elem.getIntOrFloatBitWidth() >= 32)
    return fn(x);
  Value r = fn(h.convert(x, h.builder().getF32Type()));
  return h.convert(r, elem);
}

Value inF32(HloEmitter &h, Value x, Value y, function_ref<Value(Value, Value)> fn) {
  Type elem = getElementTypeOrSelf(x.getType());
  if (!elem.isF16() && !elem.isBF16() && elem.getIntOrFloatBitWidth() >= 32)
    return fn(x, y);
  Type f32 = h.builder().getF32Type();
  return h.convert(fn(h.convert(x, f32), h.convert(y, f32)), elem);
}

Value lowerNextAfter(HloEmitter &h, Value x, Value y) {
  // On the bit patterns: step the magnitude of x up or down by one ulp.
  auto elem = llvm::cast<FloatType>(getElementTypeOrSelf(x.getType()));
  unsigned width = elem.getWidth();
  Type intType = h.builder().getIntegerType(width);
  Value xi = h.bitcast(x, intType), yi = h.bitcast(y, intType);
  Value zero = h.splat(x, 0.0);
  Value signMask = h.splatInt(xi, int64_t(1) << (width - 1));
  // x == 0: the smallest subnormal with y's sign.
  Value towardZero = h.orOp(h.andOp(yi, signMask), h.splatInt(xi, 1));
  // Magnitude grows iff (x < y) == (x > 0).
  Value grows = h.eq(h.lt(x, y), h.gt(x, zero));
  Value step = h.select(grows, h.splatInt(xi, 1), h.splatInt(xi, -1));
  Value stepped = h.add(xi, step);
  Value bits = h.select(h.eq(x, zero), towardZero, stepped);
  Value r = h.bitcast(bits, elem);
  r = h.select(h.eq(x, y), y, r);
  // nan if either is nan.
  Value isNan = h.orOp(h.ne(x, x), h.ne(y, y));
  return h.select(isNan, h.add(x, y), r);
}

FailureOr<SmallVector<Value>> decomposeElementwise(Operation *op, HloEmitter &h) {
  using namespace mlir::chlo;
  Value result =
      llvm::TypeSwitch<Operation *, Value>(op)
          .Case([&](AsinOp o) { return realOrComplex(h, o.getOperand(), realAsin, complexAsin); })
          .Case([&](AcosOp o) { return realOrComplex(h, o.getOperand(), realAcos, complexAcos); })
          .Case([&](AtanOp o) { return realOrComplex(h, o.getOperand(), realAtan, complexAtan); })
          .Case([&](AsinhOp o) { return realOrComplex(h, o.getOperand(), realAsinh, complexAsinh); })
          .Case([&](AcoshOp o) { return realOrComplex(h, o.getOperand(), realAcosh, complexAcosh); })
          .Case([&](AtanhOp o) { return realOrComplex(h, o.getOperand(), realAtanh, complexAtanh); })
          .Case([&](SinhOp o) { return realOrComplex(h, o.getOperand(), realSinh, complexSinh); })
          .Case([&](CoshOp o) { return realOrComplex(h, o.getOperand(), realCosh, complexCosh); })
          .Case([&](TanOp o) { return h.tan(o.getOperand()); })
          .Case([&](SquareOp o) { return h.mul(o.getOperand(), o.getOperand()); })
          .Case([&](ConjOp o) -> Value {
            Value x = o.getOperand();
            if (!isComplex(x))
              return x;
            return h.complex(h.real(x), h.neg(h.imag(x)));
          })
          .Case([&](IsInfOp o) { return h.eq(h.abs(o.getOperand()), h.inf(o.getOperand())); })
          .Case([&](IsPosInfOp o) { return h.eq(o.getOperand(), h.inf(o.getOperand())); })
          .Case([&](IsNegInfOp o) {
            return h.eq(o.getOperand(), h.inf(o.getOperand(), /*negative=*/true));
          })
          .Case([&](NextAfterOp o) { return lowerNextAfter(h, o.getLhs(), o.getRhs()); })
          .Case([&](ConstantOp o) {
            return h.create("constant", {}, o.getType(),
                            {h.builder().getNamedAttr("value", o.getValue())})
                ->getResult(0);
          })
          .Case([&](ConstantLikeOp o) -> Value {
            auto type = llvm::cast<RankedTensorType>(o.getType());
            if (!type.hasStaticShape())
              return nullptr;
            return h.splatAttr(o.getOperand(), llvm::cast<TypedAttr>(o.getValue()));
          })
          .Case([&](BroadcastAddOp o) { return broadcastBinary(h, o, "add"); })
          .Case([&](BroadcastSubOp o) { return broadcastBinary(h, o, "subtract"); })
          .Case([&](BroadcastMulOp o) { return broadcastBinary(h, o, "multiply"); })
          .Case([&](BroadcastDivOp o) { return broadcastBinary(h, o, "divide"); })
          .Case([&](BroadcastMaxOp o) { return broadcastBinary(h, o, "maximum"); })
          .Case([&](BroadcastMinOp o) { return broadcastBinary(h, o, "minimum"); })
          .Case([&](BroadcastPowOp o) { return broadcastBinary(h, o, "power"); })
          .Case([&](BroadcastRemOp o) { return broadcastBinary(h, o, "remainder"); })
          .Case([&](BroadcastAtan2Op o) { return broadcastBinary(h, o, "atan2"); })
          .Case([&](BroadcastAndOp o) { return broadcastBinary(h, o, "and"); })
          .Case([&](BroadcastOrOp o) { return broadcastBinary(h, o, "or"); })
          .Case([&](BroadcastXorOp o) { return broadcastBinary(h, o, "xor"); })
          .Case([&](BroadcastShiftLeftOp o) { return broadcastBinary(h, o, "shift_left"); })
          .Case([&](BroadcastShiftRightArithmeticOp o) {
            return broadcastBinary(h, o, "shift_right_arithmetic");
          })
          .Case([&](BroadcastShiftRightLogicalOp o) {
            return broadcastBinary(h, o, "shift_right_logical");
          })
          .Case([&](BroadcastComplexOp o) { return broadcastBinary(h, o, "complex"); })
          .Case([&](BroadcastNextAfterOp o) {
            SmallVector<Value> v = broadcastOperands(h, o);
            return lowerNextAfter(h, v[0], v[1]);
          })
          .Case([&](BroadcastZetaOp o) {
            SmallVector<Value> v = broadcastOperands(h, o);
            return inF32(h, v[0], v[1], [&](Value a, Value b) { return lowerZeta(h, a, b); });
          })
          .Case([&](BroadcastPolygammaOp o) {
            SmallVector<Value> v = broadcastOperands(h, o);
            return inF32(h, v[0], v[1], [&](Value a, Value b) { return lowerPolygamma(h, a, b); });
          })
          .Case([&](BroadcastCompareOp o) {
            SmallVector<Value> v = broadcastOperands(h, o);
            Builder &b = h.builder();
            SmallVector<NamedAttribute> attrs;
            std::string dir = stringifyComparisonDirection(o.getComparisonDirection()).str();
            attrs.push_back(b.getNamedAttr(
                "comparison_direction",
                parseAttribute("#stablehlo<comparison_direction " + dir + ">", b.getContext())));
            if (auto type = o.getCompareType())
              attrs.push_back(b.getNamedAttr(
                  "compare_type",
                  parseAttribute(("#stablehlo<comparison_type " +
                                  stringifyComparisonType(*type) + ">").str(),
                                 b.getContext())));
            return h.create("compare", v, o.getType(), attrs)->getResult(0);
          })
          .Case([&](BroadcastSelectOp o) {
            auto result = llvm::cast<RankedTensorType>(o.getType());
            Value p = broadcastTo(h, o.getPred(), result, std::nullopt);
            Value t = broadcastTo(h, o.getOnTrue(), result, std::nullopt);
            Value f = broadcastTo(h, o.getOnFalse(), result, std::nullopt);
            return h.select(p, t, f);
          })
          .Default([](Operation *) { return Value(); });
  if (!result) {
    op->emitOpError("has no StableHLO decomposition for these types");
    return failure();
  }
  return SmallVector<Value>{result};
}

} // namespace hlox
