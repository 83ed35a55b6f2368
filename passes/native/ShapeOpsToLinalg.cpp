//===- ShapeOpsToLinalg.cpp - broadcast_in_dim, reshape, transpose --------===//
//
//   broadcast_in_dim -> linalg.broadcast when it only adds dimensions (in
//                       order); otherwise a linalg.generic whose input map
//                       reads index 0 along expanding size-1 dimensions
//   reshape          -> tensor.collapse_shape / tensor.expand_shape (through
//                       a 1-D tensor when no single reassociation exists)
//   transpose        -> linalg.transpose
//
//===----------------------------------------------------------------------===//
#include "passes/native/LegalizeToLinalg.h"

#include "dialects/stablehlo/StablehloOps.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

using namespace mlir;
using namespace hlox::linalg_lowering;

namespace {

struct BroadcastInDimToLinalg : OpConversionPattern<stablehlo::BroadcastInDimOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(stablehlo::BroadcastInDimOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value operand = adaptor.getOperand();
    auto operandType = cast<RankedTensorType>(operand.getType());
    auto resultType = convertedTensorType(*getTypeConverter(), op.getType());
    ArrayRef<int64_t> dims = op.getBroadcastDimensions();
    ArrayRef<int64_t> inShape = operandType.getShape();
    ArrayRef<int64_t> outShape = resultType.getShape();
    Location loc = op.getLoc();

    bool inOrder = llvm::is_sorted(dims);
    bool expands = false;
    for (auto [i, d] : llvm::enumerate(dims))
      expands |= inShape[i] != outShape[d];

    if (operandType == resultType && inOrder) {
      rewriter.replaceOp(op, operand);
      return success();
    }
    Value init = emptyLike(rewriter, loc, resultType);
    if (inOrder && !expands) {
      SmallVector<int64_t> added;
      for (int64_t d = 0; d < resultType.getRank(); ++d)
        if (!llvm::is_contained(dims, d))
          added.push_back(d);
      auto broadcast = linalg::BroadcastOp::create(rewriter, loc, operand, init, added);
      rewriter.replaceOp(op, broadcast->getResults());
      return success();
    }
    // General case: out[i...] = in[(dims, with 0 where a size-1 dim expands)].
    SmallVector<AffineExpr> exprs;
    for (auto [i, d] : llvm::enumerate(dims))
      exprs.push_back(inShape[i] == 1 && outShape[d] != 1
                          ? rewriter.getAffineConstantExpr(0)
                          : rewriter.getAffineDimExpr(d));
    int64_t rank = resultType.getRank();
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, exprs, rewriter.getContext()),
        rewriter.getMultiDimIdentityMap(rank)};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{operand}, ValueRange{init}, maps,
        parallelIterators(rank), [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, args[0]);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct ReshapeToTensor : OpConversionPattern<stablehlo::ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(stablehlo::ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value operand = adaptor.getOperand();
    auto srcType = cast<RankedTensorType>(operand.getType());
    auto dstType = convertedTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    if (srcType == dstType) {
      rewriter.replaceOp(op, operand);
      return success();
    }
    // Rank 0 <-> all-ones shapes: an empty reassociation.
    if (srcType.getRank() == 0) {
      rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
          op, dstType, operand, SmallVector<ReassociationIndices>{});
      return success();
    }
    if (dstType.getRank() == 0) {
      rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
          op, dstType, operand, SmallVector<ReassociationIndices>{});
      return success();
    }
    if (srcType.getRank() != dstType.getRank()) {
      if (std::optional<SmallVector<ReassociationIndices>> reassociation =
              getReassociationIndicesForReshape(srcType, dstType)) {
        if (srcType.getRank() > dstType.getRank())
          rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, dstType, operand,
                                                               *reassociation);
        else
          rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(op, dstType, operand,
                                                             *reassociation);
        return success();
      }
    }
    // Otherwise through 1-D: collapse everything, expand to the result.
    auto flatType = RankedTensorType::get({srcType.getNumElements()},
                                          srcType.getElementType());
    auto all = [](int64_t rank) {
      ReassociationIndices indices;
      for (int64_t i = 0; i < rank; ++i)
        indices.push_back(i);
      return SmallVector<ReassociationIndices>{indices};
    };
    Value flat = srcType.getRank() == 1
                     ? operand
                     : tensor::CollapseShapeOp::create(rewriter, loc, flatType, operand,
                                                       all(srcType.getRank()))
                           .getResult();
    if (dstType.getRank() == 1) {
      rewriter.replaceOp(op, flat);
      return success();
    }
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(op, dstType, flat,
                                                       all(dstType.getRank()));
    return success();
  }
};

struct TransposeToLinalg : OpConversionPattern<stablehlo::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(stablehlo::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = convertedTensorType(*getTypeConverter(), op.getType());
    Value init = emptyLike(rewriter, op.getLoc(), resultType);
    auto transpose = linalg::TransposeOp::create(rewriter, op.getLoc(), adaptor.getOperand(),
                                                 init, op.getPermutation());
    rewriter.replaceOp(op, transpose->getResults());
    return success();
  }
};

} // namespace

void hlox::linalg_lowering::populateShapePatterns(const TypeConverter &converter,
                                                  RewritePatternSet &patterns) {
  patterns.add<BroadcastInDimToLinalg, ReshapeToTensor, TransposeToLinalg>(
      converter, patterns.getContext());
}
