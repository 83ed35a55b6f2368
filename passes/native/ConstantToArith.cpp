//===- ConstantToArith.cpp - stablehlo.constant -> arith.constant ---------===//
#include "passes/native/LegalizeToLinalg.h"

#include "dialects/stablehlo/StablehloOps.h"

using namespace mlir;

namespace {

struct ConstantToArith : OpConversionPattern<stablehlo::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(stablehlo::ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value)
      return rewriter.notifyMatchFailure(op, "value is not a typed attribute");
    auto type = hlox::linalg_lowering::convertedTensorType(*getTypeConverter(),
                                                           op.getType());
    if (type != value.getType()) { // unsigned -> signless: same bits
      auto dense = dyn_cast<DenseElementsAttr>(value);
      if (!dense)
        return rewriter.notifyMatchFailure(op, "unsigned constant is not dense");
      value = dense.bitcast(type.getElementType());
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

} // namespace

void hlox::linalg_lowering::populateConstantPatterns(const TypeConverter &converter,
                                                     RewritePatternSet &patterns) {
  patterns.add<ConstantToArith>(converter, patterns.getContext());
}
