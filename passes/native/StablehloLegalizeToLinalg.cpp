//===- StablehloLegalizeToLinalg.cpp - the pass ---------------------------===//
//
// hlox-stablehlo-legalize-to-linalg: a dialect conversion whose patterns come
// from one file per op family (see LegalizeToLinalg.h). Before converting,
// the pass checks what it can handle and reports anything else as an error
// naming the op, at the op's location.
//
//===----------------------------------------------------------------------===//
#include "passes/native/LegalizeToLinalg.h"
#include "passes/native/StructuredLowering.h"
#include "passes/native/Passes.h"

#include "dialects/stablehlo/StablehloOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

#include "llvm/ADT/DenseSet.h"

namespace hlox {
#define GEN_PASS_DEF_STABLEHLOLEGALIZETOLINALG
#include "passes/Passes.h.inc"
} // namespace hlox

using namespace mlir;

namespace hlox::linalg_lowering {

Value emptyLike(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
}

llvm::SmallVector<utils::IteratorType> parallelIterators(int64_t rank) {
  return llvm::SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel);
}

SignlessTypeConverter::SignlessTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](IntegerType type) -> Type {
    if (!type.isUnsigned())
      return type;
    return IntegerType::get(type.getContext(), type.getWidth());
  });
  addConversion([this](RankedTensorType type) -> Type {
    return type.clone(convertType(type.getElementType()));
  });
}

bool isUnsigned(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    type = shaped.getElementType();
  return type.isUnsignedInteger();
}

RankedTensorType convertedTensorType(const TypeConverter &converter, Type type) {
  return cast<RankedTensorType>(converter.convertType(type));
}

Type accumulatorElementType(Type type) {
  if (isa<BFloat16Type, Float16Type>(type))
    return Float32Type::get(type.getContext());
  return type;
}

Value truncateToElementType(OpBuilder &b, Location loc, Value tensor, Type elementType) {
  auto type = cast<RankedTensorType>(tensor.getType());
  if (type.getElementType() == elementType)
    return tensor;
  auto resultType = type.clone(elementType);
  auto identity = AffineMap::getMultiDimIdentityMap(type.getRank(), b.getContext());
  return linalg::GenericOp::create(
             b, loc, TypeRange{resultType}, ValueRange{tensor},
             ValueRange{emptyLike(b, loc, resultType)}, SmallVector<AffineMap>{identity, identity},
             parallelIterators(type.getRank()),
             [&](OpBuilder &bb, Location l, ValueRange args) {
               linalg::YieldOp::create(bb, l, arith::TruncFOp::create(bb, l, elementType, args[0]).getResult());
             })
      .getResult(0);
}

} // namespace hlox::linalg_lowering

namespace {

bool isSupportedElementType(Type type) {
  return isa<Float16Type, BFloat16Type, Float32Type, Float64Type>(type) ||
         type.isSignlessInteger() || type.isUnsignedInteger();
}

/// Reports the first type of `op` the lowering cannot handle; true if any.
bool reportUnsupportedType(Operation *op) {
  auto check = [&](Type type) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor) {
      op->emitError() << "hlox-stablehlo-legalize-to-linalg: '" << op->getName()
                      << "' has a non-ranked-tensor type " << type
                      << ", which is not supported yet";
      return true;
    }
    if (!tensor.hasStaticShape()) {
      op->emitError() << "hlox-stablehlo-legalize-to-linalg: '" << op->getName()
                      << "' has the dynamically shaped type " << type
                      << "; only static shapes are supported yet";
      return true;
    }
    if (auto complex = dyn_cast<ComplexType>(tensor.getElementType())) {
      if (!isa<Float32Type, Float64Type>(complex.getElementType())) {
        op->emitError() << "hlox-stablehlo-legalize-to-linalg: '" << op->getName()
                        << "' has element type " << complex
                        << "; only complex<f32> and complex<f64> are supported";
        return true;
      }
      if (!hlox::linalg_lowering::acceptsComplex(op)) {
        op->emitError() << "hlox-stablehlo-legalize-to-linalg: '" << op->getName()
                        << "' on complex numbers (" << type
                        << ") has no lowering yet";
        return true;
      }
      return false;
    }
    if (!isSupportedElementType(tensor.getElementType())) {
      op->emitError() << "hlox-stablehlo-legalize-to-linalg: '" << op->getName()
                      << "' has element type " << tensor.getElementType()
                      << "; only f16, bf16, f32, f64, integers and complex "
                         "are supported yet";
      return true;
    }
    return false;
  };
  for (Type t : op->getOperandTypes())
    if (check(t))
      return true;
  for (Type t : op->getResultTypes())
    if (check(t))
      return true;
  return false;
}

struct StablehloLegalizeToLinalg
    : hlox::impl::StablehloLegalizeToLinalgBase<StablehloLegalizeToLinalg> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    hlox::linalg_lowering::SignlessTypeConverter converter;
    RewritePatternSet patterns(context);
    hlox::linalg_lowering::populateElementwisePatterns(converter, patterns);
    hlox::linalg_lowering::populateConstantPatterns(converter, patterns);
    hlox::linalg_lowering::populateShapePatterns(converter, patterns);
    hlox::linalg_lowering::populateDotGeneralPatterns(converter, patterns);
    hlox::linalg_lowering::populateElementwiseSemanticsPatterns(converter, patterns);
    hlox::linalg_lowering::populateDataMovementPatterns(converter, patterns);
    hlox::linalg_lowering::populateReducePatterns(converter, patterns);
    hlox::linalg_lowering::populateControlFlowPatterns(converter, patterns);
    hlox::linalg_lowering::populateGatherScatterPatterns(converter, patterns);
    hlox::linalg_lowering::populateSortPatterns(converter, patterns);
    hlox::linalg_lowering::populateConvolutionPatterns(converter, patterns);
    hlox::linalg_lowering::populateSelectAndScatterPatterns(converter, patterns);
    hlox::linalg_lowering::populateCollectivePatterns(converter, patterns);
    hlox::linalg_lowering::populateRngPatterns(converter, patterns);
    hlox::linalg_lowering::populateComplexPatterns(converter, patterns);
    hlox::linalg_lowering::populateFftPatterns(converter, patterns);
    // Signatures of functions (and their returns and calls) follow the
    // unsigned -> signless conversion.
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns, converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);

    // What the patterns can lower, to name everything else up front.
    llvm::DenseSet<OperationName> lowered;
    for (const auto &pattern : patterns.getNativePatterns())
      if (std::optional<OperationName> root = pattern->getRootKind())
        lowered.insert(*root);

    bool failedCheck = false;
    getOperation()->walk<WalkOrder::PreOrder>([&](Operation *op) {
      Dialect *dialect = op->getDialect();
      if (!dialect || dialect->getNamespace() != "stablehlo")
        return WalkResult::advance();
      if (auto call = dyn_cast<stablehlo::CustomCallOp>(op)) {
        // A call into a library the CPU backend does not link (JAX's LAPACK
        // kernels, a user's FFI target, ...): nothing to lower it to.
        op->emitError() << "hlox-stablehlo-legalize-to-linalg: 'stablehlo.custom_call' "
                           "to target '"
                        << call.getCallTargetName()
                        << "' cannot run on this backend: hlox has no "
                           "implementation of that call target";
        failedCheck = true;
        return WalkResult::advance();
      }
      if (!lowered.contains(op->getName())) {
        op->emitError() << "hlox-stablehlo-legalize-to-linalg: no lowering for '"
                        << op->getName() << "' yet";
        failedCheck = true;
        return WalkResult::advance();
      }
      failedCheck |= reportUnsupportedType(op);
      // Bodies inlined as scalar code are checked by their op's pattern.
      return hlox::linalg_lowering::hasScalarizedBody(op) ? WalkResult::skip()
                                                          : WalkResult::advance();
    });
    if (failedCheck)
      return signalPassFailure();

    ConversionTarget target(*context);
    target.addIllegalDialect<stablehlo::StableHLODialect>();
    target.markUnknownOpDynamicallyLegal([&](Operation *op) {
      if (auto function = dyn_cast<FunctionOpInterface>(op))
        return converter.isLegal(function.getArgumentTypes()) &&
               converter.isLegal(function.getResultTypes());
      return converter.isLegal(op);
    });
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
