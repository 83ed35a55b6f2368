//===- WidenSubByteMemrefs.cpp - bools and int4/int2 stored as bytes ------===//
//
// hlox-widen-sub-byte-memrefs: see Passes.td. A dialect conversion whose type
// converter maps memref<...xiN> (N < 8: i1, i2, i4) to memref<...xi8> and
// leaves everything else.
//
//===----------------------------------------------------------------------===//
#include "passes/native/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Transforms/DialectConversion.h"

namespace hlox {
#define GEN_PASS_DEF_WIDENSUBBYTEMEMREFS
#include "passes/Passes.h.inc"
} // namespace hlox

using namespace mlir;

namespace {

bool isSubByteInteger(Type type) {
  auto integer = dyn_cast<IntegerType>(type);
  return integer && integer.getWidth() < 8;
}

struct SubByteToI8Memrefs : TypeConverter {
  SubByteToI8Memrefs() {
    addConversion([](Type type) { return type; });
    addConversion([](MemRefType type) -> Type {
      if (!isSubByteInteger(type.getElementType()))
        return type;
      return MemRefType::get(type.getShape(), IntegerType::get(type.getContext(), 8),
                             type.getLayout(), type.getMemorySpace());
    });
  }
};

struct WidenLoad : OpConversionPattern<memref::LoadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(memref::LoadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value wide = memref::LoadOp::create(rewriter, op.getLoc(), adaptor.getMemref(),
                                        adaptor.getIndices());
    rewriter.replaceOpWithNewOp<arith::TruncIOp>(op, op.getType(), wide);
    return success();
  }
};

struct WidenStore : OpConversionPattern<memref::StoreOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(memref::StoreOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value wide = arith::ExtUIOp::create(rewriter, op.getLoc(), rewriter.getI8Type(),
                                        adaptor.getValue());
    rewriter.replaceOpWithNewOp<memref::StoreOp>(op, wide, adaptor.getMemref(),
                                                 adaptor.getIndices());
    return success();
  }
};

struct WidenGlobal : OpConversionPattern<memref::GlobalOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(memref::GlobalOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type wideType = getTypeConverter()->convertType(op.getType());
    Attribute init = op.getInitialValueAttr();
    if (auto dense = dyn_cast_or_null<DenseElementsAttr>(init))
      init = dense.mapValues(rewriter.getI8Type(),
                             [](const APInt &value) { return value.zext(8); });
    rewriter.modifyOpInPlace(op, [&] {
      op.setTypeAttr(TypeAttr::get(wideType));
      if (init)
        op.setInitialValueAttr(init);
    });
    return success();
  }
};

/// Any other op: the same op with converted operand and result types.
struct Retype : ConversionPattern {
  Retype(const TypeConverter &converter, MLIRContext *context)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), /*benefit=*/1, context) {}

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    if (op->getNumRegions() != 0 || isa<FunctionOpInterface>(op))
      return rewriter.notifyMatchFailure(op, "ops with regions are not retyped");
    SmallVector<Type> resultTypes;
    if (failed(getTypeConverter()->convertTypes(op->getResultTypes(), resultTypes)))
      return failure();
    Operation *copy = rewriter.clone(*op);
    rewriter.modifyOpInPlace(copy, [&] {
      copy->setOperands(operands);
      for (auto [result, type] : llvm::zip(copy->getResults(), resultTypes))
        result.setType(type);
    });
    rewriter.replaceOp(op, copy->getResults());
    return success();
  }
};

struct WidenSubByteMemrefs : hlox::impl::WidenSubByteMemrefsBase<WidenSubByteMemrefs> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    SubByteToI8Memrefs converter;
    ConversionTarget target(*context);
    target.markUnknownOpDynamicallyLegal([&](Operation *op) {
      if (auto function = dyn_cast<FunctionOpInterface>(op))
        return converter.isLegal(function.getArgumentTypes()) &&
               converter.isLegal(function.getResultTypes());
      if (auto global = dyn_cast<memref::GlobalOp>(op))
        return converter.isLegal(global.getType());
      return converter.isLegal(op);
    });

    RewritePatternSet patterns(context);
    patterns.add<WidenLoad, WidenStore, WidenGlobal>(converter, context);
    patterns.add<Retype>(converter, context);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns, converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    // Loops carrying a narrow memref (a stablehlo.while's boolean state, once
    // bufferized): scf.for/while/if and their terminators are retyped with
    // their regions. (Hence this pass runs before scf-to-cf, while loops
    // are still structured.)
    scf::populateSCFStructuralTypeConversionsAndLegality(converter, patterns, target);
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
