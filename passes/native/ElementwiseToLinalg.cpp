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

/// StableHLO's signedness of an elementwise op's integers (arith's are
/// signless): of the operands, and of the result.
struct Signedness {
  bool operandsUnsigned = false;
  bool resultUnsigned = false;
};

/// Builds the scalar result from the scalar operands. `resultType` is the
/// result's (signless) element type; operand element types are the args'.
using ScalarBuilder = Value (*)(OpBuilder &b, Location loc, Type resultType,
                                ValueRange args, Signedness sign);

template <typename OpTy>
struct ElementwiseToGeneric : OpConversionPattern<OpTy> {
  ElementwiseToGeneric(const TypeConverter &converter, MLIRContext *context,
                       ScalarBuilder build)
      : OpConversionPattern<OpTy>(converter, context), build(build) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Operation *operation = op.getOperation();
    auto resultType = dyn_cast_or_null<RankedTensorType>(
        this->getTypeConverter()->convertType(operation->getResult(0).getType()));
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
    Signedness sign;
    sign.resultUnsigned = isUnsigned(operation->getResult(0).getType());
    sign.operandsUnsigned = operation->getNumOperands() > 0 &&
                            isUnsigned(operation->getOperand(0).getType());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, adaptor.getOperands(), ValueRange{init},
        maps, parallelIterators(rank),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value result = build(b, l, elementType, args.drop_back(), sign);
          linalg::YieldOp::create(b, l, result);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }

  ScalarBuilder build;
};

bool isFloat(Value v) { return isa<FloatType>(v.getType()); }
bool isBool(Value v) { return v.getType().isInteger(1); }

/// float -> FOp, i1 -> BOp, unsigned integers -> UOp, other integers -> IOp.
template <typename FOp, typename IOp, typename BOp = IOp, typename UOp = IOp>
Value binary(OpBuilder &b, Location loc, Type, ValueRange args, Signedness sign) {
  if (isFloat(args[0]))
    return FOp::create(b, loc, args[0], args[1]);
  if (isBool(args[0]))
    return BOp::create(b, loc, args[0], args[1]);
  if (sign.operandsUnsigned)
    return UOp::create(b, loc, args[0], args[1]);
  return IOp::create(b, loc, args[0], args[1]);
}

template <typename FOp>
Value unaryFloat(OpBuilder &b, Location loc, Type, ValueRange args, Signedness) {
  return FOp::create(b, loc, args[0]);
}

Value negate(OpBuilder &b, Location loc, Type type, ValueRange args, Signedness) {
  if (isFloat(args[0]))
    return arith::NegFOp::create(b, loc, args[0]);
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(type));
  return arith::SubIOp::create(b, loc, zero, args[0]);
}

template <typename FOp, typename IOp>
Value unary(OpBuilder &b, Location loc, Type, ValueRange args, Signedness) {
  if (isFloat(args[0]))
    return FOp::create(b, loc, args[0]);
  return IOp::create(b, loc, args[0]);
}

/// Calls `visitor.add<Op>(scalar builder)` for every op of the table, the
/// one list both the patterns and scalar bodies (scalarizeElementwiseOp) use.
template <typename Visitor>
void visitElementwiseOps(Visitor &v) {
  namespace hlo = mlir::stablehlo;
  // op                        scalar body (float / int / i1 / unsigned)
  v.template add<hlo::AddOp>(binary<arith::AddFOp, arith::AddIOp, arith::OrIOp>);
  v.template add<hlo::SubtractOp>(binary<arith::SubFOp, arith::SubIOp, arith::XOrIOp>);
  v.template add<hlo::MulOp>(binary<arith::MulFOp, arith::MulIOp, arith::AndIOp>);
  v.template add<hlo::MaxOp>(binary<arith::MaximumFOp, arith::MaxSIOp, arith::OrIOp, arith::MaxUIOp>);
  v.template add<hlo::MinOp>(binary<arith::MinimumFOp, arith::MinSIOp, arith::AndIOp, arith::MinUIOp>);
  v.template add<hlo::AndOp>(binary<arith::AndIOp, arith::AndIOp>);
  v.template add<hlo::OrOp>(binary<arith::OrIOp, arith::OrIOp>);
  v.template add<hlo::XorOp>(binary<arith::XOrIOp, arith::XOrIOp>);
  v.template add<hlo::NegOp>(negate);
  v.template add<hlo::AbsOp>(unary<math::AbsFOp, math::AbsIOp>);
  v.template add<hlo::ExpOp>(unaryFloat<math::ExpOp>);
  v.template add<hlo::LogOp>(unaryFloat<math::LogOp>);
  v.template add<hlo::TanhOp>(unaryFloat<math::TanhOp>);
  v.template add<hlo::SqrtOp>(unaryFloat<math::SqrtOp>);
  v.template add<hlo::RsqrtOp>(unaryFloat<math::RsqrtOp>);
  v.template add<hlo::SineOp>(unaryFloat<math::SinOp>);
  v.template add<hlo::CosineOp>(unaryFloat<math::CosOp>);
  v.template add<hlo::FloorOp>(unaryFloat<math::FloorOp>);
  v.template add<hlo::CeilOp>(unaryFloat<math::CeilOp>);
}

} // namespace

void hlox::linalg_lowering::populateElementwisePatterns(const TypeConverter &c,
                                                        RewritePatternSet &patterns) {
  AddPatternsVisitor<ElementwiseToGeneric, ScalarBuilder> visitor{c, patterns};
  visitElementwiseOps(visitor);
}

Value hlox::linalg_lowering::scalarizeElementwiseOp(OpBuilder &b, Location loc, Operation *op,
                                                    ValueRange args, Type resultType) {
  FindBuilderVisitor<ScalarBuilder> finder{op};
  visitElementwiseOps(finder);
  if (!finder.found)
    return scalarizeElementwiseSemanticsOp(b, loc, op, args, resultType);
  Signedness sign;
  sign.resultUnsigned = isUnsigned(op->getResult(0).getType());
  sign.operandsUnsigned = op->getNumOperands() > 0 && isUnsigned(op->getOperand(0).getType());
  return finder.found(b, loc, resultType, args, sign);
}
