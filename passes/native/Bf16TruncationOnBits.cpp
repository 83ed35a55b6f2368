//===- Bf16TruncationOnBits.cpp - f32 -> bf16 without flushing -----------===//
//
// hlox-bf16-truncation-on-bits: see Passes.td. Each arith.truncf f32 -> bf16
// (scalars and vectors alike: every op here is elementwise) becomes
//   bits = bitcast(x) : i32
//   rounded = bits + 0x7fff + ((bits >> 16) & 1)   (a carry into the exponent
//                                                   is the next binade or inf)
//   result = bitcast(trunci((isnan(x) ? bits | 0x400000 : rounded) >> 16)) : bf16
//
//===----------------------------------------------------------------------===//
#include "passes/native/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace hlox {
#define GEN_PASS_DEF_BF16TRUNCATIONONBITS
#include "passes/Passes.h.inc"
} // namespace hlox

using namespace mlir;

namespace {

/// `type` (f32 or bf16, scalar or vector) with element type `element`.
Type withElement(Type type, Type element) {
  if (auto vector = dyn_cast<VectorType>(type))
    return VectorType::get(vector.getShape(), element, vector.getScalableDims());
  return element;
}

struct TruncToBf16OnBits : OpRewritePattern<arith::TruncFOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::TruncFOp op, PatternRewriter &rewriter) const override {
    Value x = op.getIn();
    if (!getElementTypeOrSelf(x.getType()).isF32() ||
        !getElementTypeOrSelf(op.getType()).isBF16())
      return failure();
    Location loc = op.getLoc();
    Type i32 = withElement(x.getType(), rewriter.getI32Type());
    auto c = [&](int32_t v) -> Value {
      if (auto vector = dyn_cast<VectorType>(i32))
        return arith::ConstantOp::create(rewriter, loc, DenseElementsAttr::get(vector, v));
      return arith::ConstantOp::create(rewriter, loc, rewriter.getI32IntegerAttr(v));
    };
    Value bits = arith::BitcastOp::create(rewriter, loc, i32, x);
    Value lowestKept =
        arith::AndIOp::create(rewriter, loc, arith::ShRUIOp::create(rewriter, loc, bits, c(16)), c(1));
    Value rounded = arith::AddIOp::create(rewriter, loc, bits,
                                          arith::AddIOp::create(rewriter, loc, lowestKept, c(0x7fff)));
    Value quiet = arith::OrIOp::create(rewriter, loc, bits, c(0x400000));
    Value isNan = arith::CmpFOp::create(rewriter, loc, arith::CmpFPredicate::UNO, x, x);
    Value chosen = arith::SelectOp::create(rewriter, loc, isNan, quiet, rounded);
    Value high = arith::TruncIOp::create(rewriter, loc,
                                         withElement(x.getType(), rewriter.getI16Type()),
                                         arith::ShRUIOp::create(rewriter, loc, chosen, c(16)));
    rewriter.replaceOpWithNewOp<arith::BitcastOp>(op, op.getType(), high);
    return success();
  }
};

struct Bf16TruncationOnBits : hlox::impl::Bf16TruncationOnBitsBase<Bf16TruncationOnBits> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<TruncToBf16OnBits>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
