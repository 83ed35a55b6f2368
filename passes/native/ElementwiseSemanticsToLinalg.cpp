//===- ElementwiseSemanticsToLinalg.cpp - the rest of the elementwise ops -===//
//
// Elementwise StableHLO ops whose scalar body needs more than one arith op, or
// the op's attributes, or rank-0 operands broadcast (select's pred, clamp's
// min/max). Each becomes one linalg.generic over the result's shape; a rank-0
// operand of a ranked result is read through an indexing map with no results.
//
// Semantics follow the StableHLO spec and XLA (JAX's CPU backend) where the
// spec leaves a choice:
//   divide      x / 0 = -1 (all ones, unsigned too); INT_MIN / -1 = INT_MIN
//   remainder   x % 0 = x; INT_MIN % -1 = 0; floats: fmod (sign of x)
//   power       integers by squaring over all bits (wraps); negative exponent:
//               1 for base 1, +-1 for base -1, else 0
//   shifts      a count >= the bit width (as unsigned) gives 0 (left, logical)
//               or the sign fill (arithmetic)
//   convert     float -> int saturates, NaN -> 0; float -> bool is x != 0
//   compare     FLOAT (ordered; NE unordered), TOTALORDER (-NaN < -inf < ...
//               < -0 < +0 < ... < inf < NaN), SIGNED, UNSIGNED
//   reduce_precision  XLA's bit algorithm (round to nearest even, overflow
//               to inf, underflow to signed zero, NaN kept; with no
//               mantissa bits NaN becomes a signed inf, as the spec)
// Transcendental functions of f16/bf16 are computed in f32 and rounded.
// convert's scalar semantics are `convertScalar` (defined here, used by every
// pattern that converts: dot_general, convolution, reduce bodies).
//
//===----------------------------------------------------------------------===//
#include "passes/native/LegalizeToLinalg.h"

#include "dialects/stablehlo/StablehloOps.h"

using namespace mlir;
using namespace hlox::linalg_lowering;
namespace hlo = mlir::stablehlo;

namespace {

//===----------------------------------------------------------------------===//
// Scalar helpers
//===----------------------------------------------------------------------===//

struct Ctx {
  OpBuilder &b;
  Location loc;
  Operation *op;          // the StableHLO op (original, unsigned types)
  Type resultType;        // signless result element type
  bool operandsUnsigned;  // StableHLO signedness of operand 0
  bool resultUnsigned;
};

Value intConst(OpBuilder &b, Location loc, Type t, const APInt &v) {
  return arith::ConstantOp::create(b, loc, cast<TypedAttr>(b.getIntegerAttr(t, v)));
}
Value intConst(OpBuilder &b, Location loc, Type t, int64_t v) {
  unsigned width = t.getIntOrFloatBitWidth();
  return intConst(b, loc, t, APInt(width, v, /*isSigned=*/true, /*implicitTrunc=*/true));
}
Value floatConst(OpBuilder &b, Location loc, Type t, double v) {
  return arith::ConstantOp::create(b, loc, cast<TypedAttr>(b.getFloatAttr(t, v)));
}
Value floatConst(OpBuilder &b, Location loc, Type t, const APFloat &v) {
  return arith::ConstantOp::create(b, loc, cast<TypedAttr>(b.getFloatAttr(t, v)));
}
Value sel(OpBuilder &b, Location loc, Value c, Value t, Value f) {
  return arith::SelectOp::create(b, loc, c, t, f);
}
Value cmpi(OpBuilder &b, Location loc, arith::CmpIPredicate p, Value x, Value y) {
  return arith::CmpIOp::create(b, loc, p, x, y);
}
Value cmpf(OpBuilder &b, Location loc, arith::CmpFPredicate p, Value x, Value y) {
  return arith::CmpFOp::create(b, loc, p, x, y);
}

bool isHalf(Type t) { return isa<Float16Type, BFloat16Type>(t); }

/// Applies `fn` to `args` (floats of one type); f16/bf16 go through f32.
template <typename Fn>
Value inF32(OpBuilder &b, Location loc, ValueRange args, Fn fn) {
  Type t = args[0].getType();
  if (!isHalf(t))
    return fn(SmallVector<Value>(args.begin(), args.end()));
  SmallVector<Value> wide;
  for (Value a : args)
    wide.push_back(arith::ExtFOp::create(b, loc, b.getF32Type(), a));
  return arith::TruncFOp::create(b, loc, t, fn(wide));
}

template <typename MathOp>
Value mathUnary(Ctx &c, ValueRange args) {
  return inF32(c.b, c.loc, args, [&](SmallVector<Value> a) -> Value {
    return MathOp::create(c.b, c.loc, a[0]);
  });
}
template <typename MathOp>
Value mathBinary(Ctx &c, ValueRange args) {
  return inF32(c.b, c.loc, args, [&](SmallVector<Value> a) -> Value {
    return MathOp::create(c.b, c.loc, a[0], a[1]);
  });
}

//===----------------------------------------------------------------------===//
// Unary
//===----------------------------------------------------------------------===//

Value expm1Body(Ctx &c, ValueRange args) {
  // Kahan: u = exp(x); u == 1 ? x : u - 1 == -1 ? -1 : (u - 1) * (x / log(u)).
  // (The ratio first: (u - 1) * x overflows for x just below log(max).)
  return inF32(c.b, c.loc, args, [&](SmallVector<Value> a) -> Value {
    OpBuilder &b = c.b;
    Location loc = c.loc;
    Value x = a[0];
    Type t = x.getType();
    Value one = floatConst(b, loc, t, 1.0);
    Value u = math::ExpOp::create(b, loc, x);
    Value um1 = arith::SubFOp::create(b, loc, u, one);
    Value ratio = arith::MulFOp::create(
        b, loc, um1, arith::DivFOp::create(b, loc, x, math::LogOp::create(b, loc, u)));
    Value inf = floatConst(b, loc, t, APFloat::getInf(cast<FloatType>(t).getFloatSemantics()));
    Value r = sel(b, loc, cmpf(b, loc, arith::CmpFPredicate::OEQ, u, inf), u, ratio);
    Value minusOne = floatConst(b, loc, t, -1.0);
    r = sel(b, loc, cmpf(b, loc, arith::CmpFPredicate::OEQ, um1, minusOne), minusOne, r);
    return sel(b, loc, cmpf(b, loc, arith::CmpFPredicate::OEQ, u, one), x, r);
  });
}

Value log1pBody(Ctx &c, ValueRange args) {
  // Kahan: u = 1 + x; u == 1 ? x : log(u) * (x / (u - 1)); inf stays inf.
  // (The ratio first: log(u) * x overflows for x near the type's max.)
  return inF32(c.b, c.loc, args, [&](SmallVector<Value> a) -> Value {
    OpBuilder &b = c.b;
    Location loc = c.loc;
    Value x = a[0];
    Type t = x.getType();
    Value one = floatConst(b, loc, t, 1.0);
    Value u = arith::AddFOp::create(b, loc, x, one);
    Value logu = math::LogOp::create(b, loc, u);
    Value r = arith::MulFOp::create(
        b, loc, logu, arith::DivFOp::create(b, loc, x, arith::SubFOp::create(b, loc, u, one)));
    Value inf = floatConst(b, loc, t, APFloat::getInf(cast<FloatType>(t).getFloatSemantics()));
    r = sel(b, loc, cmpf(b, loc, arith::CmpFPredicate::OEQ, u, inf), logu, r);
    // u == 0 (x == -1): log(0) = -inf; u < 0 or NaN: log gives NaN.
    Value zero = floatConst(b, loc, t, 0.0);
    r = sel(b, loc, cmpf(b, loc, arith::CmpFPredicate::ULE, u, zero), logu, r);
    return sel(b, loc, cmpf(b, loc, arith::CmpFPredicate::OEQ, u, one), x, r);
  });
}

Value logistic(Ctx &c, ValueRange args) {
  return inF32(c.b, c.loc, args, [&](SmallVector<Value> a) -> Value {
    OpBuilder &b = c.b;
    Value one = floatConst(b, c.loc, a[0].getType(), 1.0);
    Value e = math::ExpOp::create(b, c.loc, arith::NegFOp::create(b, c.loc, a[0]));
    return arith::DivFOp::create(b, c.loc, one, arith::AddFOp::create(b, c.loc, one, e));
  });
}

Value sign(Ctx &c, ValueRange args) {
  OpBuilder &b = c.b;
  Location loc = c.loc;
  Value x = args[0];
  Type t = x.getType();
  if (isa<FloatType>(t)) {
    // NaN -> NaN, +-0 -> +-0, otherwise +-1.
    return inF32(b, loc, args, [&](SmallVector<Value> a) -> Value {
      Value v = a[0];
      Type ft = v.getType();
      Value one = floatConst(b, loc, ft, 1.0);
      Value zero = floatConst(b, loc, ft, 0.0);
      Value s = math::CopySignOp::create(b, loc, one, v);
      return sel(b, loc, cmpf(b, loc, arith::CmpFPredicate::UEQ, v, zero), v, s);
    });
  }
  Value zero = intConst(b, loc, t, 0);
  if (c.operandsUnsigned)
    return arith::ExtUIOp::create(
               b, loc, t, cmpi(b, loc, arith::CmpIPredicate::ne, x, zero)).getResult();
  Value pos = sel(b, loc, cmpi(b, loc, arith::CmpIPredicate::sgt, x, zero),
                     intConst(b, loc, t, 1), zero);
  return sel(b, loc, cmpi(b, loc, arith::CmpIPredicate::slt, x, zero),
                intConst(b, loc, t, -1), pos);
}

Value isFinite(Ctx &c, ValueRange args) {
  OpBuilder &b = c.b;
  Value x = args[0];
  if (isHalf(x.getType()))
    x = arith::ExtFOp::create(b, c.loc, b.getF32Type(), x);
  Type t = x.getType();
  Value inf = floatConst(b, c.loc, t, APFloat::getInf(cast<FloatType>(t).getFloatSemantics()));
  return cmpf(b, c.loc, arith::CmpFPredicate::ONE, math::AbsFOp::create(b, c.loc, x), inf);
}

Value bitNot(Ctx &c, ValueRange args) {
  Type t = args[0].getType();
  Value ones = intConst(c.b, c.loc, t, APInt::getAllOnes(t.getIntOrFloatBitWidth()));
  return arith::XOrIOp::create(c.b, c.loc, args[0], ones);
}

Value clz(Ctx &c, ValueRange args) {
  return math::CountLeadingZerosOp::create(c.b, c.loc, args[0]);
}
Value popcnt(Ctx &c, ValueRange args) {
  return math::CtPopOp::create(c.b, c.loc, args[0]);
}

//===----------------------------------------------------------------------===//
// Binary
//===----------------------------------------------------------------------===//

/// An integer division's guards as XLA defines the results: `byZero`
/// (y == 0), `overflow` (x == `intMin` and y == -1; both null when unsigned)
/// and a divisor that is 1 in either case, so that the division itself is
/// always defined.
struct GuardedDivision {
  Value byZero, overflow, intMin, divisor;
};

GuardedDivision guardDivision(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned) {
  Type t = x.getType();
  unsigned width = t.getIntOrFloatBitWidth();
  Value one = intConst(b, loc, t, 1);
  Value byZero = cmpi(b, loc, arith::CmpIPredicate::eq, y, intConst(b, loc, t, 0));
  if (isUnsigned)
    return {byZero, Value(), Value(), sel(b, loc, byZero, one, y)};
  Value intMin = intConst(b, loc, t, APInt::getSignedMinValue(width));
  Value minusOne = intConst(b, loc, t, APInt::getAllOnes(width));
  Value overflow = arith::AndIOp::create(b, loc, cmpi(b, loc, arith::CmpIPredicate::eq, x, intMin),
                                         cmpi(b, loc, arith::CmpIPredicate::eq, y, minusOne));
  Value unsafe = arith::OrIOp::create(b, loc, byZero, overflow);
  return {byZero, overflow, intMin, sel(b, loc, unsafe, one, y)};
}

/// x / 0 is all ones (-1 signed), INT_MIN / -1 is INT_MIN.
Value divide(Ctx &c, ValueRange args) {
  OpBuilder &b = c.b;
  Location loc = c.loc;
  Value x = args[0], y = args[1];
  Type t = x.getType();
  if (isa<FloatType>(t))
    return arith::DivFOp::create(b, loc, x, y);
  unsigned width = t.getIntOrFloatBitWidth();
  Value allOnes = intConst(b, loc, t, APInt::getAllOnes(width));
  GuardedDivision g = guardDivision(b, loc, x, y, c.operandsUnsigned);
  if (c.operandsUnsigned)
    return sel(b, loc, g.byZero, allOnes, arith::DivUIOp::create(b, loc, x, g.divisor));
  Value q = arith::DivSIOp::create(b, loc, x, g.divisor);
  return sel(b, loc, g.byZero, allOnes, sel(b, loc, g.overflow, g.intMin, q));
}

/// x % 0 is x, INT_MIN % -1 is 0.
Value remainderBody(Ctx &c, ValueRange args) {
  OpBuilder &b = c.b;
  Location loc = c.loc;
  Value x = args[0], y = args[1];
  Type t = x.getType();
  if (isa<FloatType>(t))
    return inF32(b, loc, args, [&](SmallVector<Value> a) -> Value {
      return arith::RemFOp::create(b, loc, a[0], a[1]);
    });
  GuardedDivision g = guardDivision(b, loc, x, y, c.operandsUnsigned);
  if (c.operandsUnsigned)
    return sel(b, loc, g.byZero, x, arith::RemUIOp::create(b, loc, x, g.divisor));
  Value r = arith::RemSIOp::create(b, loc, x, g.divisor);
  return sel(b, loc, g.byZero, x, sel(b, loc, g.overflow, intConst(b, loc, t, 0), r));
}

Value power(Ctx &c, ValueRange args) {
  OpBuilder &b = c.b;
  Location loc = c.loc;
  Type t = args[0].getType();
  if (isa<FloatType>(t))
    return mathBinary<math::PowFOp>(c, args);
  // Exponentiation by squaring over every bit of the exponent (wrapping).
  unsigned width = t.getIntOrFloatBitWidth();
  Value one = intConst(b, loc, t, 1);
  Value zero = intConst(b, loc, t, 0);
  Value acc = one, base = args[0], e = args[1];
  for (unsigned i = 0; i < width; ++i) {
    Value bit = cmpi(b, loc, arith::CmpIPredicate::ne, arith::AndIOp::create(b, loc, e, one), zero);
    acc = sel(b, loc, bit, arith::MulIOp::create(b, loc, acc, base), acc);
    if (i + 1 < width) {
      base = arith::MulIOp::create(b, loc, base, base);
      e = arith::ShRUIOp::create(b, loc, e, one);
    }
  }
  if (c.operandsUnsigned)
    return acc;
  // Negative exponents: 1 / base^-e truncated: 1 for 1, +-1 for -1, else 0.
  Value x = args[0], y = args[1];
  Value minusOne = intConst(b, loc, t, -1);
  Value odd = cmpi(b, loc, arith::CmpIPredicate::ne, arith::AndIOp::create(b, loc, y, one), zero);
  Value negative = sel(
      b, loc, cmpi(b, loc, arith::CmpIPredicate::eq, x, one), one,
      sel(b, loc, cmpi(b, loc, arith::CmpIPredicate::eq, x, minusOne),
             sel(b, loc, odd, minusOne, one), zero));
  return sel(b, loc, cmpi(b, loc, arith::CmpIPredicate::slt, y, zero), negative, acc);
}

enum class Shift { Left, RightArithmetic, RightLogical };

template <Shift kind>
Value shift(Ctx &c, ValueRange args) {
  OpBuilder &b = c.b;
  Location loc = c.loc;
  Value x = args[0], y = args[1];
  Type t = x.getType();
  unsigned width = t.getIntOrFloatBitWidth();
  Value bits = intConst(b, loc, t, width);
  Value tooFar = cmpi(b, loc, arith::CmpIPredicate::uge, y, bits);
  if (kind == Shift::RightArithmetic) {
    Value last = intConst(b, loc, t, width - 1);
    return arith::ShRSIOp::create(b, loc, x, sel(b, loc, tooFar, last, y));
  }
  Value zero = intConst(b, loc, t, 0);
  Value safe = sel(b, loc, tooFar, zero, y);
  Value shifted = kind == Shift::Left
                      ? arith::ShLIOp::create(b, loc, x, safe).getResult()
                      : arith::ShRUIOp::create(b, loc, x, safe).getResult();
  return sel(b, loc, tooFar, zero, shifted);
}

//===----------------------------------------------------------------------===//
// max/min (NaN-propagating, signedness) for clamp
//===----------------------------------------------------------------------===//

Value maxOf(OpBuilder &b, Location loc, Value x, Value y, bool isUnsignedInt) {
  if (isa<FloatType>(x.getType()))
    return arith::MaximumFOp::create(b, loc, x, y);
  if (x.getType().isInteger(1))
    return arith::OrIOp::create(b, loc, x, y);
  if (isUnsignedInt)
    return arith::MaxUIOp::create(b, loc, x, y);
  return arith::MaxSIOp::create(b, loc, x, y);
}
Value minOf(OpBuilder &b, Location loc, Value x, Value y, bool isUnsignedInt) {
  if (isa<FloatType>(x.getType()))
    return arith::MinimumFOp::create(b, loc, x, y);
  if (x.getType().isInteger(1))
    return arith::AndIOp::create(b, loc, x, y);
  if (isUnsignedInt)
    return arith::MinUIOp::create(b, loc, x, y);
  return arith::MinSIOp::create(b, loc, x, y);
}

Value clamp(Ctx &c, ValueRange args) {
  bool u = isUnsigned(c.op->getOperand(1).getType());
  Value lo = maxOf(c.b, c.loc, args[1], args[0], u);
  return minOf(c.b, c.loc, lo, args[2], u);
}

Value selectOp(Ctx &c, ValueRange args) {
  return sel(c.b, c.loc, args[0], args[1], args[2]);
}

//===----------------------------------------------------------------------===//
// compare
//===----------------------------------------------------------------------===//

/// The signed integer whose order is the IEEE total order of `x`'s bits.
Value totalOrderKey(OpBuilder &b, Location loc, Value x) {
  unsigned width = x.getType().getIntOrFloatBitWidth();
  Type it = b.getIntegerType(width);
  Value bits = arith::BitcastOp::create(b, loc, it, x);
  Value signFill = arith::ShRSIOp::create(b, loc, bits, intConst(b, loc, it, width - 1));
  Value mask = arith::AndIOp::create(b, loc, signFill,
                                     intConst(b, loc, it, APInt::getSignedMaxValue(width)));
  return arith::XOrIOp::create(b, loc, bits, mask);
}

Value compare(Ctx &c, ValueRange args) {
  return compareScalars(c.b, c.loc, c.op, args[0], args[1]);
}

//===----------------------------------------------------------------------===//
// convert, bitcast_convert, reduce_precision
//===----------------------------------------------------------------------===//

/// Float -> integer as XLA: NaN -> 0, saturating at the integer's bounds.
Value floatToInt(OpBuilder &b, Location loc, Value x, Type to, bool toUnsigned) {
  if (isHalf(x.getType())) // exact; every f16/bf16 bound below holds in f32
    x = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
  Type ft = x.getType();
  unsigned width = to.getIntOrFloatBitWidth();
  const llvm::fltSemantics &sem = cast<FloatType>(ft).getFloatSemantics();
  auto bound = [&](bool negative, unsigned exponent) {
    // +-2^exponent, or +-inf when the float type cannot hold it.
    APFloat v = APFloat::getOne(sem, negative);
    v = scalbn(v, exponent, APFloat::rmNearestTiesToEven);
    return floatConst(b, loc, ft, v);
  };
  Value zeroInt = intConst(b, loc, to, 0);
  if (toUnsigned) {
    Value r = arith::FPToUIOp::create(b, loc, to, x);
    Value maxV = intConst(b, loc, to, APInt::getAllOnes(width));
    r = sel(b, loc, cmpf(b, loc, arith::CmpFPredicate::OGE, x, bound(false, width)), maxV, r);
    // Negative, -0 and NaN: 0 (ULE: unordered or <=).
    Value zero = floatConst(b, loc, ft, 0.0);
    return sel(b, loc, cmpf(b, loc, arith::CmpFPredicate::ULE, x, zero), zeroInt, r);
  }
  Value r = arith::FPToSIOp::create(b, loc, to, x);
  Value maxV = intConst(b, loc, to, APInt::getSignedMaxValue(width));
  Value minV = intConst(b, loc, to, APInt::getSignedMinValue(width));
  r = sel(b, loc, cmpf(b, loc, arith::CmpFPredicate::OGE, x, bound(false, width - 1)), maxV, r);
  r = sel(b, loc, cmpf(b, loc, arith::CmpFPredicate::OLE, x, bound(true, width - 1)), minV, r);
  return sel(b, loc, cmpf(b, loc, arith::CmpFPredicate::UNO, x, x), zeroInt, r);
}

Value convert(Ctx &c, ValueRange args) {
  return convertScalar(c.b, c.loc, c.resultType, args[0], c.operandsUnsigned,
                       c.resultUnsigned);
}

Value bitcastSameWidth(Ctx &c, ValueRange args) {
  if (args[0].getType() == c.resultType)
    return args[0];
  return arith::BitcastOp::create(c.b, c.loc, c.resultType, args[0]);
}

Value reducePrecision(Ctx &c, ValueRange args) {
  auto op = cast<hlo::ReducePrecisionOp>(c.op);
  OpBuilder &b = c.b;
  Location loc = c.loc;
  Value x = args[0];
  auto ft = cast<FloatType>(x.getType());
  unsigned nbits = ft.getWidth();
  int srcMantissa = ft.getFPMantissaWidth() - 1;
  int srcExponent = nbits - 1 - srcMantissa;
  int mantissaBits = op.getMantissaBits();
  int exponentBits = op.getExponentBits();
  Type it = b.getIntegerType(nbits);
  auto k = [&](const APInt &v) { return intConst(b, loc, it, v); };
  auto ki = [&](uint64_t v) { return k(APInt(nbits, v)); };
  Value bits = arith::BitcastOp::create(b, loc, it, x);
  if (mantissaBits < srcMantissa) {
    unsigned drop = srcMantissa - mantissaBits;
    APInt lastBit = APInt(nbits, 1).shl(drop);
    APInt baseBias = lastBit.lshr(1) - 1;
    Value lastMantissaBit = arith::ShRUIOp::create(
        b, loc, arith::AndIOp::create(b, loc, bits, k(lastBit)), ki(drop));
    Value bias = arith::AddIOp::create(b, loc, lastMantissaBit, k(baseBias));
    APInt truncation = ~(lastBit - 1);
    bits = arith::AndIOp::create(b, loc, arith::AddIOp::create(b, loc, bits, bias),
                                 k(truncation));
  }
  if (exponentBits < srcExponent) {
    APInt signMask = APInt::getSignMask(nbits);
    APInt expMask = APInt::getLowBitsSet(nbits, srcExponent).shl(srcMantissa);
    uint64_t bias = (uint64_t(1) << (srcExponent - 1)) - 1;
    uint64_t reducedBias = (uint64_t(1) << (exponentBits - 1)) - 1;
    uint64_t maxExp = bias + reducedBias;
    uint64_t minExp = bias - reducedBias;
    Value exponent = arith::AndIOp::create(b, loc, bits, k(expMask));
    Value overflows = cmpi(b, loc, arith::CmpIPredicate::ugt, exponent,
                           k(APInt(nbits, maxExp).shl(srcMantissa)));
    Value underflows = cmpi(b, loc, arith::CmpIPredicate::ule, exponent,
                            k(APInt(nbits, minExp).shl(srcMantissa)));
    Value signedZero = arith::AndIOp::create(b, loc, bits, k(signMask));
    Value signedInf = arith::OrIOp::create(b, loc, signedZero, k(expMask));
    bits = sel(b, loc, overflows, signedInf, sel(b, loc, underflows, signedZero, bits));
  }
  Value result = arith::BitcastOp::create(b, loc, ft, bits);
  // NaN stays NaN while mantissa bits remain; without any it becomes a signed
  // infinity (the spec's reference interpreter), as the rounding above may
  // carry it anywhere, even into the sign.
  Value nan = x;
  if (mantissaBits == 0) {
    Value sign = arith::AndIOp::create(b, loc, arith::BitcastOp::create(b, loc, it, x),
                                       k(APInt::getSignMask(nbits)));
    Value inf = arith::OrIOp::create(
        b, loc, sign, k(APInt::getLowBitsSet(nbits, srcExponent).shl(srcMantissa)));
    nan = arith::BitcastOp::create(b, loc, ft, inf);
  }
  return sel(b, loc, cmpf(b, loc, arith::CmpFPredicate::UNO, x, x), nan, result);
}

//===----------------------------------------------------------------------===//
// The pattern
//===----------------------------------------------------------------------===//

using CtxBuilder = Value (*)(Ctx &, ValueRange);

/// op -> linalg.generic over the result shape; rank-0 operands of a ranked
/// result are broadcast (indexing map without results).
template <typename OpTy>
struct ToGeneric : OpConversionPattern<OpTy> {
  ToGeneric(const TypeConverter &converter, MLIRContext *context, CtxBuilder build)
      : OpConversionPattern<OpTy>(converter, context, /*benefit=*/2), build(build) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Operation *operation = op.getOperation();
    auto resultType = dyn_cast_or_null<RankedTensorType>(
        this->getTypeConverter()->convertType(operation->getResult(0).getType()));
    if (!resultType || !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static ranked tensor result");
    int64_t rank = resultType.getRank();
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineMap> maps;
    for (Value operand : adaptor.getOperands()) {
      auto type = dyn_cast<RankedTensorType>(operand.getType());
      if (!type)
        return rewriter.notifyMatchFailure(op, "operands must be ranked tensors");
      if (type.getShape() == resultType.getShape())
        maps.push_back(rewriter.getMultiDimIdentityMap(rank));
      else if (type.getRank() == 0)
        maps.push_back(AffineMap::get(rank, 0, {}, ctx));
      else
        return rewriter.notifyMatchFailure(op, "operands must have the result's shape");
    }
    maps.push_back(rewriter.getMultiDimIdentityMap(rank));
    Location loc = op.getLoc();
    Value init = emptyLike(rewriter, loc, resultType);
    bool operandsUnsigned = isUnsigned(operation->getOperand(0).getType());
    bool resultUnsigned = isUnsigned(operation->getResult(0).getType());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, adaptor.getOperands(), ValueRange{init}, maps,
        parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          Ctx c{b, l, operation, resultType.getElementType(), operandsUnsigned,
                resultUnsigned};
          linalg::YieldOp::create(b, l, build(c, args.drop_back()));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }

  CtxBuilder build;
};

/// bitcast_convert between widths: the narrow side has one more (last)
/// dimension of size wide/narrow; element 0 is the least significant part
/// (little-endian, as XLA on CPU).
struct BitcastConvertResize : OpConversionPattern<hlo::BitcastConvertOp> {
  BitcastConvertResize(const TypeConverter &converter, MLIRContext *context)
      : OpConversionPattern(converter, context, /*benefit=*/3) {}

  LogicalResult
  matchAndRewrite(hlo::BitcastConvertOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value operand = adaptor.getOperand();
    auto inType = cast<RankedTensorType>(operand.getType());
    auto outType = convertedTensorType(*getTypeConverter(), op.getType());
    Type inElem = inType.getElementType(), outElem = outType.getElementType();
    unsigned inWidth = inElem.getIntOrFloatBitWidth();
    unsigned outWidth = outElem.getIntOrFloatBitWidth();
    if (inWidth == outWidth)
      return rewriter.notifyMatchFailure(op, "same width");
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto asInt = [&](OpBuilder &b, Location l, Value v) -> Value {
      unsigned w = v.getType().getIntOrFloatBitWidth();
      if (isa<FloatType>(v.getType()))
        return arith::BitcastOp::create(b, l, b.getIntegerType(w), v);
      return v;
    };
    auto fromInt = [&](OpBuilder &b, Location l, Value v, Type t) -> Value {
      if (isa<FloatType>(t))
        return arith::BitcastOp::create(b, l, t, v);
      return v;
    };
    if (inWidth > outWidth) {
      // out[..., j] = trunc(in[...] >> (j * outWidth))
      int64_t rank = outType.getRank();
      SmallVector<AffineExpr> exprs;
      for (int64_t d = 0; d + 1 < rank; ++d)
        exprs.push_back(rewriter.getAffineDimExpr(d));
      SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, exprs, ctx),
                                     rewriter.getMultiDimIdentityMap(rank)};
      Value init = emptyLike(rewriter, loc, outType);
      auto generic = linalg::GenericOp::create(
          rewriter, loc, TypeRange{outType}, ValueRange{operand}, ValueRange{init}, maps,
          parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
            Type wideInt = b.getIntegerType(inWidth);
            Value v = asInt(b, l, args[0]);
            Value j = linalg::IndexOp::create(b, l, rank - 1);
            Value jw = arith::IndexCastOp::create(b, l, wideInt, j);
            Value amount = arith::MulIOp::create(b, l, jw, intConst(b, l, wideInt, outWidth));
            Value shifted = arith::ShRUIOp::create(b, l, v, amount);
            Value part = arith::TruncIOp::create(b, l, b.getIntegerType(outWidth), shifted);
            linalg::YieldOp::create(b, l, fromInt(b, l, part, outElem));
          });
      rewriter.replaceOp(op, generic.getResults());
      return success();
    }
    // out[...] = OR_j zext(in[..., j]) << (j * inWidth): a reduction over j,
    // into an integer accumulator, then bitcast to the result type.
    int64_t inRank = inType.getRank();
    Type wideInt = rewriter.getIntegerType(outWidth);
    auto accType = RankedTensorType::get(outType.getShape(), wideInt);
    Value zero = intConst(rewriter, loc, wideInt, 0);
    Value acc = linalg::FillOp::create(rewriter, loc, ValueRange{zero},
                                       ValueRange{emptyLike(rewriter, loc, accType)})
                    ->getResult(0);
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d + 1 < inRank; ++d)
      exprs.push_back(rewriter.getAffineDimExpr(d));
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(inRank),
                                   AffineMap::get(inRank, 0, exprs, ctx)};
    SmallVector<utils::IteratorType> iterators = parallelIterators(inRank - 1);
    iterators.push_back(utils::IteratorType::reduction);
    auto combine = linalg::GenericOp::create(
        rewriter, loc, TypeRange{accType}, ValueRange{operand}, ValueRange{acc}, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value v = asInt(b, l, args[0]);
          Value wide = arith::ExtUIOp::create(b, l, wideInt, v);
          Value j = linalg::IndexOp::create(b, l, inRank - 1);
          Value jw = arith::IndexCastOp::create(b, l, wideInt, j);
          Value amount = arith::MulIOp::create(b, l, jw, intConst(b, l, wideInt, inWidth));
          Value part = arith::ShLIOp::create(b, l, wide, amount);
          linalg::YieldOp::create(b, l, arith::OrIOp::create(b, l, args[1], part).getResult());
        });
    Value result = combine->getResult(0);
    if (accType != outType) {
      int64_t rank = outType.getRank();
      SmallVector<AffineMap> idMaps(2, rewriter.getMultiDimIdentityMap(rank));
      result = linalg::GenericOp::create(
                   rewriter, loc, TypeRange{outType}, ValueRange{result},
                   ValueRange{emptyLike(rewriter, loc, outType)}, idMaps,
                   parallelIterators(rank),
                   [&](OpBuilder &b, Location l, ValueRange args) {
                     linalg::YieldOp::create(b, l, fromInt(b, l, args[0], outElem));
                   })
                   ->getResult(0);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Calls `visitor.add<Op>(scalar builder)` for every op of the table, the
/// one list both the patterns and scalar bodies use.
template <typename Visitor>
void visitSemanticsOps(Visitor &v) {
  // Unary
  v.template add<hlo::CbrtOp>(mathUnary<math::CbrtOp>);
  v.template add<hlo::TanOp>(mathUnary<math::TanOp>);
  v.template add<hlo::Expm1Op>(expm1Body);
  v.template add<hlo::Log1pOp>(log1pBody);
  v.template add<hlo::LogisticOp>(logistic);
  v.template add<hlo::RoundOp>(mathUnary<math::RoundOp>);
  v.template add<hlo::RoundNearestEvenOp>(mathUnary<math::RoundEvenOp>);
  v.template add<hlo::SignOp>(sign);
  v.template add<hlo::IsFiniteOp>(isFinite);
  v.template add<hlo::NotOp>(bitNot);
  v.template add<hlo::ClzOp>(clz);
  v.template add<hlo::PopulationCountOp>(popcnt);
  // Binary
  v.template add<hlo::DivOp>(divide);
  v.template add<hlo::RemOp>(remainderBody);
  v.template add<hlo::PowOp>(power);
  v.template add<hlo::Atan2Op>(mathBinary<math::Atan2Op>);
  v.template add<hlo::ShiftLeftOp>(shift<Shift::Left>);
  v.template add<hlo::ShiftRightArithmeticOp>(shift<Shift::RightArithmetic>);
  v.template add<hlo::ShiftRightLogicalOp>(shift<Shift::RightLogical>);
  // compare, select, clamp
  v.template add<hlo::CompareOp>(compare);
  v.template add<hlo::SelectOp>(selectOp);
  v.template add<hlo::ClampOp>(clamp);
  // Conversions (bitcast_convert between widths: BitcastConvertResize)
  v.template add<hlo::ConvertOp>(convert);
  v.template add<hlo::BitcastConvertOp>(bitcastSameWidth);
  v.template add<hlo::ReducePrecisionOp>(reducePrecision);
}

} // namespace

/// stablehlo.convert's scalar semantics, the one implementation every
/// pattern uses: float -> int saturates (NaN -> 0), f16 <-> bf16 goes
/// through f32, i1 converts as unsigned 0/1 and "to i1" means "!= 0".
Value hlox::linalg_lowering::convertScalar(OpBuilder &b, Location loc, Type to,
                                           Value x, bool fromUnsigned,
                                           bool toUnsigned) {
  Type from = x.getType();
  if (from == to)
    return x;
  if (to.isInteger(1)) {
    Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(from));
    if (isa<FloatType>(from))
      return cmpf(b, loc, arith::CmpFPredicate::UNE, x, zero);
    return cmpi(b, loc, arith::CmpIPredicate::ne, x, zero);
  }
  if (auto fromFloat = dyn_cast<FloatType>(from)) {
    auto toFloat = dyn_cast<FloatType>(to);
    if (!toFloat)
      return floatToInt(b, loc, x, to, toUnsigned);
    if (toFloat.getWidth() == fromFloat.getWidth()) {
      // f16 <-> bf16: through f32 (exact), then one rounding.
      Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
      return arith::TruncFOp::create(b, loc, to, wide);
    }
    if (toFloat.getWidth() > fromFloat.getWidth())
      return arith::ExtFOp::create(b, loc, to, x);
    return arith::TruncFOp::create(b, loc, to, x);
  }
  if (isa<FloatType>(to)) {
    if (from.isInteger(1) || fromUnsigned)
      return arith::UIToFPOp::create(b, loc, to, x);
    return arith::SIToFPOp::create(b, loc, to, x);
  }
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = to.getIntOrFloatBitWidth();
  if (toWidth < fromWidth)
    return arith::TruncIOp::create(b, loc, to, x);
  if (toWidth == fromWidth)
    return x; // e.g. ui32 <-> i32: the same bits
  if (from.isInteger(1) || fromUnsigned)
    return arith::ExtUIOp::create(b, loc, to, x);
  return arith::ExtSIOp::create(b, loc, to, x);
}

void hlox::linalg_lowering::populateElementwiseSemanticsPatterns(
    const TypeConverter &c, RewritePatternSet &patterns) {
  AddPatternsVisitor<ToGeneric, CtxBuilder> visitor{c, patterns};
  visitSemanticsOps(visitor);
  patterns.add<BitcastConvertResize>(c, patterns.getContext());
}

Value hlox::linalg_lowering::scalarizeElementwiseSemanticsOp(OpBuilder &b, Location loc,
                                                             Operation *op, ValueRange args,
                                                             Type resultType) {
  FindBuilderVisitor<CtxBuilder> finder{op};
  visitSemanticsOps(finder);
  if (!finder.found)
    return {};
  // bitcast_convert between widths has no scalar form.
  if (isa<hlo::BitcastConvertOp>(op) &&
      args[0].getType().getIntOrFloatBitWidth() != resultType.getIntOrFloatBitWidth())
    return {};
  Ctx c{b, loc, op, resultType, isUnsigned(op->getOperand(0).getType()),
        isUnsigned(op->getResult(0).getType())};
  return finder.found(c, args);
}

/// stablehlo.compare on two scalars, the one implementation (elementwise
/// compare and the compares in reducer, comparator and scatter bodies).
Value hlox::linalg_lowering::compareScalars(OpBuilder &b, Location loc, Operation *compareOp,
                                            Value x, Value y) {
  auto op = cast<hlo::CompareOp>(compareOp);
  Type t = x.getType();
  hlo::ComparisonDirection dir = op.getComparisonDirection();
  hlo::ComparisonType type = hlo::ComparisonType::NOTYPE;
  if (auto attr = op.getCompareTypeAttr())
    type = attr.getValue();
  if (type == hlo::ComparisonType::NOTYPE) {
    if (isa<FloatType>(t))
      type = hlo::ComparisonType::FLOAT;
    else if (t.isInteger(1) || isUnsigned(op.getLhs().getType()))
      type = hlo::ComparisonType::UNSIGNED;
    else
      type = hlo::ComparisonType::SIGNED;
  }
  using D = hlo::ComparisonDirection;
  if (type == hlo::ComparisonType::FLOAT && isa<FloatType>(t)) {
    arith::CmpFPredicate p;
    switch (dir) {
    case D::EQ: p = arith::CmpFPredicate::OEQ; break;
    case D::NE: p = arith::CmpFPredicate::UNE; break;
    case D::GE: p = arith::CmpFPredicate::OGE; break;
    case D::GT: p = arith::CmpFPredicate::OGT; break;
    case D::LE: p = arith::CmpFPredicate::OLE; break;
    case D::LT: p = arith::CmpFPredicate::OLT; break;
    }
    return cmpf(b, loc, p, x, y);
  }
  if (isa<FloatType>(t)) { // TOTALORDER (or an integer type on floats)
    x = totalOrderKey(b, loc, x);
    y = totalOrderKey(b, loc, y);
    type = hlo::ComparisonType::SIGNED;
  }
  bool u = type == hlo::ComparisonType::UNSIGNED;
  arith::CmpIPredicate p;
  switch (dir) {
  case D::EQ: p = arith::CmpIPredicate::eq; break;
  case D::NE: p = arith::CmpIPredicate::ne; break;
  case D::GE: p = u ? arith::CmpIPredicate::uge : arith::CmpIPredicate::sge; break;
  case D::GT: p = u ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt; break;
  case D::LE: p = u ? arith::CmpIPredicate::ule : arith::CmpIPredicate::sle; break;
  case D::LT: p = u ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt; break;
  }
  return cmpi(b, loc, p, x, y);
}
