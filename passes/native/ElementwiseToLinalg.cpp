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

template <typename OpTy>
void add(const TypeConverter &converter, RewritePatternSet &patterns,
         ScalarBuilder build) {
  patterns.add<ElementwiseToGeneric<OpTy>>(converter, patterns.getContext(), build);
}

} // namespace

void hlox::linalg_lowering::populateElementwisePatterns(const TypeConverter &c,
                                                        RewritePatternSet &patterns) {
  namespace hlo = mlir::stablehlo;
  // op                        scalar body (float / int / i1 / unsigned)
  add<hlo::AddOp>(c, patterns,      binary<arith::AddFOp, arith::AddIOp, arith::OrIOp>);
  add<hlo::SubtractOp>(c, patterns, binary<arith::SubFOp, arith::SubIOp, arith::XOrIOp>);
  add<hlo::MulOp>(c, patterns,      binary<arith::MulFOp, arith::MulIOp, arith::AndIOp>);
  add<hlo::MaxOp>(c, patterns,      binary<arith::MaximumFOp, arith::MaxSIOp, arith::OrIOp, arith::MaxUIOp>);
  add<hlo::MinOp>(c, patterns,      binary<arith::MinimumFOp, arith::MinSIOp, arith::AndIOp, arith::MinUIOp>);
  add<hlo::AndOp>(c, patterns,      binary<arith::AndIOp, arith::AndIOp>);
  add<hlo::OrOp>(c, patterns,       binary<arith::OrIOp, arith::OrIOp>);
  add<hlo::XorOp>(c, patterns,      binary<arith::XOrIOp, arith::XOrIOp>);
  add<hlo::NegOp>(c, patterns,      negate);
  add<hlo::AbsOp>(c, patterns,      unary<math::AbsFOp, math::AbsIOp>);
  add<hlo::ExpOp>(c, patterns,      unaryFloat<math::ExpOp>);
  add<hlo::LogOp>(c, patterns,      unaryFloat<math::LogOp>);
  add<hlo::TanhOp>(c, patterns,     unaryFloat<math::TanhOp>);
  add<hlo::SqrtOp>(c, patterns,     unaryFloat<math::SqrtOp>);
  add<hlo::RsqrtOp>(c, patterns,    unaryFloat<math::RsqrtOp>);
  add<hlo::SineOp>(c, patterns,     unaryFloat<math::SinOp>);
  add<hlo::CosineOp>(c, patterns,   unaryFloat<math::CosOp>);
  add<hlo::FloorOp>(c, patterns,    unaryFloat<math::FloorOp>);
  add<hlo::CeilOp>(c, patterns,     unaryFloat<math::CeilOp>);
}
