//===- ComplexToLinalg.cpp - complex-valued elementwise ops -> linalg -----===//
//
// Elementwise StableHLO ops on complex<f32>/complex<f64> become a
// linalg.generic whose body is the `complex` dialect op of the same meaning
// (complex.add, complex.exp, complex.abs, ...); the CPU pipeline expands
// those (convert-complex-to-standard, convert-complex-to-llvm). A complex
// number in memory is its real part then its imaginary part, as NumPy's
// complex64/complex128.
//
//   complex(re, im) -> complex.create      real / imag  -> complex.re / im
//                                          (of a real x: x / 0)
//   abs -> complex.abs (a real result)     compare EQ/NE -> complex.eq / neq
//   reducer bodies (add, multiply, ...) -> the complex op (scalarizeComplex)
//   convert: real -> complex (imaginary 0), complex -> complex (each part),
//            complex -> real or integer (the real part, as XLA)
//
// The patterns have benefit 5: for a complex operand or result they take
// precedence over the real-valued rows of the other families, which do not
// match complex types. Which other ops take complex values unchanged (select,
// reshape, ...) is `acceptsComplex`; any other op with a complex type is
// reported by the pass before converting.
//
//===----------------------------------------------------------------------===//
#include "passes/native/LegalizeToLinalg.h"

#include "dialects/stablehlo/StablehloOps.h"

#include "mlir/Dialect/Complex/IR/Complex.h"

using namespace mlir;
using namespace hlox::linalg_lowering;
namespace hlo = mlir::stablehlo;

namespace {

bool hasComplexElements(Type type) {
  return isa<ComplexType>(getElementTypeOrSelf(type));
}

bool touchesComplex(Operation *op) {
  return llvm::any_of(op->getOperandTypes(), hasComplexElements) ||
         llvm::any_of(op->getResultTypes(), hasComplexElements);
}

/// The scalar body of one op: `args` are the operands' elements, `resultType`
/// the result's (converted) element type; `op` is the StableHLO op.
using ComplexBody = Value (*)(OpBuilder &, Location, Operation *, Type, ValueRange);

template <typename OpTy>
struct ComplexToGeneric : OpConversionPattern<OpTy> {
  /// `realToo`: the op also lowers here when nothing is complex (real, imag).
  ComplexToGeneric(const TypeConverter &converter, MLIRContext *context, ComplexBody body,
                   bool realToo)
      : OpConversionPattern<OpTy>(converter, context, /*benefit=*/5), body(body),
        realToo(realToo) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Operation *operation = op.getOperation();
    if (!realToo && !touchesComplex(operation))
      return rewriter.notifyMatchFailure(op, "no complex operand or result");
    auto resultType =
        convertedTensorType(*this->getTypeConverter(), operation->getResult(0).getType());
    int64_t rank = resultType.getRank();
    ValueRange operands = adaptor.getOperands();
    SmallVector<AffineMap> maps(operands.size() + 1,
                                rewriter.getMultiDimIdentityMap(rank));
    auto generic = linalg::GenericOp::create(
        rewriter, op.getLoc(), TypeRange{resultType}, operands,
        ValueRange{emptyLike(rewriter, op.getLoc(), resultType)}, maps,
        parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          Value r = body(b, l, operation, resultType.getElementType(), args.drop_back());
          linalg::YieldOp::create(b, l, r);
        });
    rewriter.replaceOp(op, generic->getResults());
    return success();
  }

  ComplexBody body;
  bool realToo;
};

template <typename ComplexOp>
Value unary(OpBuilder &b, Location l, Operation *, Type, ValueRange args) {
  return ComplexOp::create(b, l, args[0]);
}

template <typename ComplexOp>
Value binary(OpBuilder &b, Location l, Operation *, Type, ValueRange args) {
  return ComplexOp::create(b, l, args[0], args[1]);
}

Value modulus(OpBuilder &b, Location l, Operation *, Type, ValueRange args) {
  return complex::AbsOp::create(b, l, args[0]);
}

Value makeComplex(OpBuilder &b, Location l, Operation *, Type result, ValueRange args) {
  return complex::CreateOp::create(b, l, result, args[0], args[1]);
}

Value realPart(OpBuilder &b, Location l, Operation *, Type, ValueRange args) {
  if (!isa<ComplexType>(args[0].getType()))
    return args[0];
  return complex::ReOp::create(b, l, args[0]);
}

Value imagPart(OpBuilder &b, Location l, Operation *, Type result, ValueRange args) {
  if (!isa<ComplexType>(args[0].getType()))
    return arith::ConstantOp::create(b, l, b.getZeroAttr(result));
  return complex::ImOp::create(b, l, args[0]);
}

Value convert(OpBuilder &b, Location l, Operation *op, Type result, ValueRange args) {
  Value x = args[0];
  bool fromUnsigned = isUnsigned(op->getOperand(0).getType());
  bool toUnsigned = isUnsigned(op->getResult(0).getType());
  auto from = dyn_cast<ComplexType>(x.getType());
  auto to = dyn_cast<ComplexType>(result);
  if (from && !to) // complex -> real: the real part, as XLA
    return convertScalar(b, l, result, complex::ReOp::create(b, l, x), false, toUnsigned);
  Type part = to.getElementType();
  if (!from) {
    Value re = convertScalar(b, l, part, x, fromUnsigned, false);
    Value zero = arith::ConstantOp::create(b, l, b.getZeroAttr(part));
    return complex::CreateOp::create(b, l, to, re, zero);
  }
  Value re = convertScalar(b, l, part, complex::ReOp::create(b, l, x));
  Value im = convertScalar(b, l, part, complex::ImOp::create(b, l, x));
  return complex::CreateOp::create(b, l, to, re, im);
}

Value compare(OpBuilder &b, Location l, Operation *op, Type, ValueRange args) {
  // The verifier admits only EQ and NE for complex operands.
  if (cast<hlo::CompareOp>(op).getComparisonDirection() == hlo::ComparisonDirection::EQ)
    return complex::EqualOp::create(b, l, args[0], args[1]);
  return complex::NotEqualOp::create(b, l, args[0], args[1]);
}

template <typename OpTy>
void add(const TypeConverter &converter, RewritePatternSet &patterns, ComplexBody body,
         bool realToo = false) {
  patterns.add<ComplexToGeneric<OpTy>>(converter, patterns.getContext(), body, realToo);
}

} // namespace

Value hlox::linalg_lowering::zeroScalar(OpBuilder &b, Location loc, Type type) {
  if (auto complexType = dyn_cast<ComplexType>(type)) {
    Attribute zero = b.getZeroAttr(complexType.getElementType());
    return complex::ConstantOp::create(b, loc, complexType, b.getArrayAttr({zero, zero}));
  }
  return arith::ConstantOp::create(b, loc, b.getZeroAttr(type));
}

Value hlox::linalg_lowering::scalarizeComplex(OpBuilder &b, Location loc, Operation *op,
                                              ArrayRef<Value> args) {
  if (auto constant = dyn_cast<hlo::ConstantOp>(op)) {
    auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
    auto type = dyn_cast<ComplexType>(getElementTypeOrSelf(constant.getType()));
    if (!dense || !dense.isSplat() || !type)
      return {};
    auto value = dense.getSplatValue<std::complex<APFloat>>();
    Type part = type.getElementType();
    return complex::ConstantOp::create(
        b, loc, type,
        b.getArrayAttr({b.getFloatAttr(part, value.real()), b.getFloatAttr(part, value.imag())}));
  }
  if (!llvm::all_of(args, [](Value v) { return isa<ComplexType>(v.getType()); }))
    return {};
  if (isa<hlo::AddOp>(op))
    return complex::AddOp::create(b, loc, args[0], args[1]);
  if (isa<hlo::SubtractOp>(op))
    return complex::SubOp::create(b, loc, args[0], args[1]);
  if (isa<hlo::MulOp>(op))
    return complex::MulOp::create(b, loc, args[0], args[1]);
  if (isa<hlo::DivOp>(op))
    return complex::DivOp::create(b, loc, args[0], args[1]);
  if (isa<hlo::NegOp>(op))
    return complex::NegOp::create(b, loc, args[0]);
  if (isa<hlo::CompareOp>(op))
    return compare(b, loc, op, {}, args);
  if (isa<hlo::RealOp>(op)) // sort comparators order complex numbers by parts
    return complex::ReOp::create(b, loc, args[0]);
  if (isa<hlo::ImagOp>(op))
    return complex::ImOp::create(b, loc, args[0]);
  return {};
}

bool hlox::linalg_lowering::acceptsComplex(Operation *op) {
  // Products and sums of one complex type (no mixed-type contraction).
  if (auto dot = dyn_cast<hlo::DotGeneralOp>(op))
    return getElementTypeOrSelf(dot.getLhs().getType()) == getElementTypeOrSelf(dot.getType()) &&
           getElementTypeOrSelf(dot.getRhs().getType()) == getElementTypeOrSelf(dot.getType());
  // Element-type agnostic, or bodies that scalarizeComplex lowers.
  if (isa<hlo::ConstantOp, hlo::IotaOp, hlo::BroadcastOp, hlo::PadOp, hlo::DynamicSliceOp,
          hlo::DynamicUpdateSliceOp, hlo::GatherOp, hlo::ScatterOp, hlo::ReduceOp,
          hlo::ReduceWindowOp, hlo::SortOp, hlo::FftOp>(op))
    return true;
  // Lowered by the patterns below.
  if (isa<hlo::AddOp, hlo::SubtractOp, hlo::MulOp, hlo::DivOp, hlo::NegOp, hlo::ExpOp,
          hlo::Expm1Op, hlo::LogOp, hlo::Log1pOp, hlo::SqrtOp, hlo::RsqrtOp, hlo::SineOp,
          hlo::CosineOp, hlo::TanOp, hlo::TanhOp, hlo::PowOp, hlo::SignOp, hlo::AbsOp,
          hlo::ComplexOp, hlo::RealOp, hlo::ImagOp, hlo::ConvertOp, hlo::CompareOp>(op))
    return true;
  // Lowered by the other families without looking at the element type.
  return isa<hlo::SelectOp, hlo::BroadcastInDimOp, hlo::ReshapeOp, hlo::TransposeOp,
             hlo::SliceOp, hlo::ConcatenateOp, hlo::ReverseOp, hlo::OptimizationBarrierOp,
             hlo::WhileOp, hlo::IfOp, hlo::CaseOp, hlo::ReturnOp>(op);
}

void hlox::linalg_lowering::populateComplexPatterns(const TypeConverter &c,
                                                    RewritePatternSet &patterns) {
  add<hlo::AddOp>(c, patterns, binary<complex::AddOp>);
  add<hlo::SubtractOp>(c, patterns, binary<complex::SubOp>);
  add<hlo::MulOp>(c, patterns, binary<complex::MulOp>);
  add<hlo::DivOp>(c, patterns, binary<complex::DivOp>);
  add<hlo::PowOp>(c, patterns, binary<complex::PowOp>);
  add<hlo::NegOp>(c, patterns, unary<complex::NegOp>);
  add<hlo::ExpOp>(c, patterns, unary<complex::ExpOp>);
  add<hlo::Expm1Op>(c, patterns, unary<complex::Expm1Op>);
  add<hlo::LogOp>(c, patterns, unary<complex::LogOp>);
  add<hlo::Log1pOp>(c, patterns, unary<complex::Log1pOp>);
  add<hlo::SqrtOp>(c, patterns, unary<complex::SqrtOp>);
  add<hlo::RsqrtOp>(c, patterns, unary<complex::RsqrtOp>);
  add<hlo::SineOp>(c, patterns, unary<complex::SinOp>);
  add<hlo::CosineOp>(c, patterns, unary<complex::CosOp>);
  add<hlo::TanOp>(c, patterns, unary<complex::TanOp>);
  add<hlo::TanhOp>(c, patterns, unary<complex::TanhOp>);
  add<hlo::SignOp>(c, patterns, unary<complex::SignOp>);
  add<hlo::AbsOp>(c, patterns, modulus);
  add<hlo::ConvertOp>(c, patterns, convert);
  add<hlo::CompareOp>(c, patterns, compare);
  add<hlo::ComplexOp>(c, patterns, makeComplex, /*realToo=*/true);
  add<hlo::RealOp>(c, patterns, realPart, /*realToo=*/true);
  add<hlo::ImagOp>(c, patterns, imagPart, /*realToo=*/true);
}
