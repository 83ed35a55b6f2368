//===- ElementwiseToLinalg.cpp - elementwise StableHLO -> linalg.generic --===//
//
// One pattern for every elementwise op: a linalg.generic over the result's
// shape with identity indexing maps, whose body is built by the op's scalar
// builder from the table in populateElementwisePatterns. Adding an
// elementwise op is one line there.
//
//===----------------------------------------------------------------------===//
#include "passes/native/LegalizeToLinalg.h"

#include "dialects/stablehlo/StablehloOps.h"

using namespace mlir;
using namespace hlox::linalg_lowering;

namespace {

/// Builds the scalar result from the scalar operands. `resultType` is the
/// result's element type; operand element types are the args' types.
using ScalarBuilder = Value (*)(OpBuilder &b, Location loc, Type resultType,
                                ValueRange args);

template <typename OpTy>
struct ElementwiseToGeneric : OpConversionPattern<OpTy> {
  ElementwiseToGeneric(MLIRContext *context, ScalarBuilder build)
      : OpConversionPattern<OpTy>(context), build(build) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Operation *operation = op.getOperation();
    auto resultType = dyn_cast<RankedTensorType>(operation->getResult(0).getType());
    if (!resultType || !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static ranked tensor result");
    for (Value operand : adaptor.getOperands()) {
      auto type = dyn_cast<RankedTensorType>(operand.getType());
      if (!type || type.getShape() != resultType.getShape())
        return rewriter.notifyMatchFailure(op, "operands must have the result's shape");
    }
    Location loc = op.getLoc();
    int64_t rank = resultType.getRank();
    Value init = emptyLike(rewriter, loc, resultType);
    SmallVector<AffineMap> maps(adaptor.getOperands().size() + 1,
                                rewriter.getMultiDimIdentityMap(rank));
    Type elementType = resultType.getElementType();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, adaptor.getOperands(), ValueRange{init},
        maps, parallelIterators(rank),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value result = build(b, l, elementType, args.drop_back());
          linalg::YieldOp::create(b, l, result);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }

  ScalarBuilder build;
};

bool isFloat(Value v) { return isa<FloatType>(v.getType()); }
bool isBool(Value v) { return v.getType().isInteger(1); }

/// float -> FOp, i1 -> BOp, other integers -> IOp.
template <typename FOp, typename IOp, typename BOp = IOp>
Value binary(OpBuilder &b, Location loc, Type, ValueRange args) {
  if (isFloat(args[0]))
    return FOp::create(b, loc, args[0], args[1]);
  if (isBool(args[0]))
    return BOp::create(b, loc, args[0], args[1]);
  return IOp::create(b, loc, args[0], args[1]);
}

template <typename FOp>
Value unaryFloat(OpBuilder &b, Location loc, Type, ValueRange args) {
  return FOp::create(b, loc, args[0]);
}

Value negate(OpBuilder &b, Location loc, Type type, ValueRange args) {
  if (isFloat(args[0]))
    return arith::NegFOp::create(b, loc, args[0]);
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(type));
  return arith::SubIOp::create(b, loc, zero, args[0]);
}

Value convert(OpBuilder &b, Location loc, Type to, ValueRange args) {
  return convertScalar(b, loc, to, args[0]);
}

template <typename FOp, typename IOp>
Value unary(OpBuilder &b, Location loc, Type, ValueRange args) {
  if (isFloat(args[0]))
    return FOp::create(b, loc, args[0]);
  return IOp::create(b, loc, args[0]);
}

template <typename OpTy>
void add(RewritePatternSet &patterns, ScalarBuilder build) {
  patterns.add<ElementwiseToGeneric<OpTy>>(patterns.getContext(), build);
}

} // namespace

/// stablehlo.convert: arith casts between float, signed integer and i1
/// (i1 converts as unsigned 0/1; to i1 means "!= 0").
Value hlox::linalg_lowering::convertScalar(OpBuilder &b, Location loc, Type to,
                                           Value x) {
  Type from = x.getType();
  if (from == to)
    return x;
  if (to.isInteger(1)) {
    Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(from));
    if (isa<FloatType>(from))
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x, zero);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero);
  }
  if (auto fromFloat = dyn_cast<FloatType>(from)) {
    if (auto toFloat = dyn_cast<FloatType>(to)) {
      if (toFloat.getWidth() > fromFloat.getWidth())
        return arith::ExtFOp::create(b, loc, to, x);
      return arith::TruncFOp::create(b, loc, to, x);
    }
    return arith::FPToSIOp::create(b, loc, to, x);
  }
  if (isa<FloatType>(to)) {
    if (from.isInteger(1))
      return arith::UIToFPOp::create(b, loc, to, x);
    return arith::SIToFPOp::create(b, loc, to, x);
  }
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = to.getIntOrFloatBitWidth();
  if (toWidth < fromWidth)
    return arith::TruncIOp::create(b, loc, to, x);
  if (from.isInteger(1))
    return arith::ExtUIOp::create(b, loc, to, x);
  return arith::ExtSIOp::create(b, loc, to, x);
}

void hlox::linalg_lowering::populateElementwisePatterns(RewritePatternSet &patterns) {
  namespace hlo = mlir::stablehlo;
  // op                        scalar body (float / integer / i1)
  add<hlo::AddOp>(patterns,      binary<arith::AddFOp, arith::AddIOp, arith::OrIOp>);
  add<hlo::SubtractOp>(patterns, binary<arith::SubFOp, arith::SubIOp, arith::XOrIOp>);
  add<hlo::MulOp>(patterns,      binary<arith::MulFOp, arith::MulIOp, arith::AndIOp>);
  add<hlo::DivOp>(patterns,      binary<arith::DivFOp, arith::DivSIOp>);
  add<hlo::MaxOp>(patterns,      binary<arith::MaximumFOp, arith::MaxSIOp, arith::OrIOp>);
  add<hlo::MinOp>(patterns,      binary<arith::MinimumFOp, arith::MinSIOp, arith::AndIOp>);
  add<hlo::AndOp>(patterns,      binary<arith::AndIOp, arith::AndIOp>);
  add<hlo::OrOp>(patterns,       binary<arith::OrIOp, arith::OrIOp>);
  add<hlo::XorOp>(patterns,      binary<arith::XOrIOp, arith::XOrIOp>);
  add<hlo::NegOp>(patterns,      negate);
  add<hlo::AbsOp>(patterns,      unary<math::AbsFOp, math::AbsIOp>);
  add<hlo::ExpOp>(patterns,      unaryFloat<math::ExpOp>);
  add<hlo::LogOp>(patterns,      unaryFloat<math::LogOp>);
  add<hlo::TanhOp>(patterns,     unaryFloat<math::TanhOp>);
  add<hlo::SqrtOp>(patterns,     unaryFloat<math::SqrtOp>);
  add<hlo::RsqrtOp>(patterns,    unaryFloat<math::RsqrtOp>);
  add<hlo::SineOp>(patterns,     unaryFloat<math::SinOp>);
  add<hlo::CosineOp>(patterns,   unaryFloat<math::CosOp>);
  add<hlo::FloorOp>(patterns,    unaryFloat<math::FloorOp>);
  add<hlo::CeilOp>(patterns,     unaryFloat<math::CeilOp>);
  add<hlo::ConvertOp>(patterns,  convert);
}
