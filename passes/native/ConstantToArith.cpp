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
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

} // namespace

void hlox::linalg_lowering::populateConstantPatterns(RewritePatternSet &patterns) {
  patterns.add<ConstantToArith>(patterns.getContext());
}
