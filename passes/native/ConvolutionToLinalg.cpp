//===- ConvolutionToLinalg.cpp - convolution -> linalg.generic ------------===//
//
// Any dimension numbers, read in place through the indexing maps (no
// transposes): the loops are (result dims in the result's order, kernel
// input feature, kernel spatial dims...). The lhs is first padded with zero
// (edge padding, and lhs_dilation as interior padding); then
//
//   result[.., b, .., f, .., o_i, ..] +=
//       lhs[g_b * B + b, g_f * C + c, o_i * stride_i + k_i * rhs_dilation_i]
//     * rhs[c, f, k_i]
//
// where C is the kernel's input feature size and, for f in output feature
// group g = f floordiv (O / feature_group_count) (resp. batch_group_count),
// g_f = g (resp. g_b = g with B the result's batch size). Operands are
// converted to the result element type (preferred element type) first;
// bfloat16/float16 results accumulate in float32 and are truncated once.
// window_reversal reverses a copy of the kernel along those dimensions.
//
//===----------------------------------------------------------------------===//
#include "passes/native/StructuredLowering.h"

#include "dialects/stablehlo/StablehloOps.h"

using namespace mlir;
using namespace hlox::linalg_lowering;
namespace hlo = mlir::stablehlo;

namespace {

struct ConvolutionToLinalg : OpConversionPattern<hlo::ConvolutionOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::ConvolutionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    auto finalType = convertedTensorType(*getTypeConverter(), op.getType());
    // bfloat16/float16 sum in float32 and round once at the end.
    auto resultType = finalType.clone(accumulatorElementType(finalType.getElementType()));
    Type elementType = resultType.getElementType();
    bool lhsUns = isUnsigned(op.getLhs().getType()), rhsUns = isUnsigned(op.getRhs().getType());
    bool resUns = isUnsigned(op.getType());
    auto dn = op.getDimensionNumbers();
    ArrayRef<int64_t> inSpatial = dn.getInputSpatialDimensions();
    ArrayRef<int64_t> kSpatial = dn.getKernelSpatialDimensions();
    ArrayRef<int64_t> outSpatial = dn.getOutputSpatialDimensions();
    int64_t ns = inSpatial.size();
    int64_t rank = resultType.getRank();
    auto orOnes = [&](std::optional<ArrayRef<int64_t>> v) {
      return v ? SmallVector<int64_t>(*v) : SmallVector<int64_t>(ns, 1);
    };
    SmallVector<int64_t> strides = orOnes(op.getWindowStrides());
    SmallVector<int64_t> lhsDil = orOnes(op.getLhsDilation());
    SmallVector<int64_t> rhsDil = orOnes(op.getRhsDilation());
    SmallVector<int64_t> padLo(ns, 0), padHi(ns, 0);
    if (auto padding = op.getPaddingAttr()) {
      auto values = llvm::to_vector(cast<DenseIntElementsAttr>(padding).getValues<int64_t>());
      for (int64_t i = 0; i < ns; ++i) {
        padLo[i] = values[2 * i];
        padHi[i] = values[2 * i + 1];
      }
    }
    // window_reversal: the kernel reversed along those spatial dims (a copy).
    if (auto reversal = op.getWindowReversal(); reversal && llvm::is_contained(*reversal, true)) {
      MLIRContext *context = rewriter.getContext();
      int64_t r = rhsType.getRank();
      SmallVector<AffineExpr> exprs;
      for (int64_t d = 0; d < r; ++d)
        exprs.push_back(getAffineDimExpr(d, context));
      for (int64_t i = 0; i < ns; ++i)
        if ((*reversal)[i]) {
          int64_t d = dn.getKernelSpatialDimensions()[i];
          exprs[d] = rhsType.getDimSize(d) - 1 - getAffineDimExpr(d, context);
        }
      SmallVector<AffineMap> copyMaps = {AffineMap::get(r, 0, exprs, context),
                                         AffineMap::getMultiDimIdentityMap(r, context)};
      rhs = linalg::GenericOp::create(
                rewriter, loc, TypeRange{rhsType}, ValueRange{rhs},
                ValueRange{emptyLike(rewriter, loc, rhsType)}, copyMaps, parallelIterators(r),
                [](OpBuilder &b, Location l, ValueRange args) {
                  linalg::YieldOp::create(b, l, args[0]);
                })
                .getResult(0);
    }
    // Pad the lhs with zero.
    SmallVector<int64_t> low(lhsType.getRank(), 0), high(lhsType.getRank(), 0),
        interior(lhsType.getRank(), 0);
    for (int64_t i = 0; i < ns; ++i) {
      low[inSpatial[i]] = padLo[i];
      high[inSpatial[i]] = padHi[i];
      interior[inSpatial[i]] = lhsDil[i] - 1;
    }
    Value zeroIn = arith::ConstantOp::create(rewriter, loc,
                                             rewriter.getZeroAttr(lhsType.getElementType()));
    lhs = padWithScalar(rewriter, loc, lhs, zeroIn, low, high, interior);

    int64_t fgc = op.getFeatureGroupCount(), bgc = op.getBatchGroupCount();
    int64_t outFeatures = resultType.getDimSize(dn.getOutputFeatureDimension());
    int64_t outBatch = resultType.getDimSize(dn.getOutputBatchDimension());
    int64_t kernelIn = rhsType.getDimSize(dn.getKernelInputFeatureDimension());

    MLIRContext *ctx = rewriter.getContext();
    int64_t numLoops = rank + 1 + ns;
    AffineExpr b = getAffineDimExpr(dn.getOutputBatchDimension(), ctx);
    AffineExpr f = getAffineDimExpr(dn.getOutputFeatureDimension(), ctx);
    AffineExpr c = getAffineDimExpr(rank, ctx);
    SmallVector<AffineExpr> lhsExprs(lhsType.getRank()), rhsExprs(rhsType.getRank());
    lhsExprs[dn.getInputBatchDimension()] =
        bgc > 1 ? f.floorDiv(outFeatures / bgc) * outBatch + b : b;
    lhsExprs[dn.getInputFeatureDimension()] =
        fgc > 1 ? f.floorDiv(outFeatures / fgc) * kernelIn + c : c;
    rhsExprs[dn.getKernelInputFeatureDimension()] = c;
    rhsExprs[dn.getKernelOutputFeatureDimension()] = f;
    for (int64_t i = 0; i < ns; ++i) {
      AffineExpr o = getAffineDimExpr(outSpatial[i], ctx);
      AffineExpr k = getAffineDimExpr(rank + 1 + i, ctx);
      lhsExprs[inSpatial[i]] = o * strides[i] + k * rhsDil[i];
      rhsExprs[kSpatial[i]] = k;
    }
    SmallVector<AffineMap> maps = {AffineMap::get(numLoops, 0, lhsExprs, ctx),
                                   AffineMap::get(numLoops, 0, rhsExprs, ctx),
                                   AffineMap::getMultiDimIdentityMap(rank, ctx)};
    maps[2] = AffineMap::get(numLoops, 0, maps[2].getResults(), ctx);
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    iterators.append(1 + ns, utils::IteratorType::reduction);

    Value zero = arith::ConstantOp::create(rewriter, loc, rewriter.getZeroAttr(elementType));
    Value init = linalg::FillOp::create(rewriter, loc, ValueRange{zero},
                                        ValueRange{emptyLike(rewriter, loc, resultType)})
                     .getResult(0);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{lhs, rhs}, ValueRange{init}, maps,
        iterators, [&](OpBuilder &bb, Location l, ValueRange args) {
          Value x = convertScalar(bb, l, elementType, args[0], lhsUns, resUns);
          Value y = convertScalar(bb, l, elementType, args[1], rhsUns, resUns);
          Value sum;
          if (isa<FloatType>(elementType))
            sum = arith::AddFOp::create(bb, l, args[2], arith::MulFOp::create(bb, l, x, y));
          else if (elementType.isInteger(1))
            sum = arith::OrIOp::create(bb, l, args[2], arith::AndIOp::create(bb, l, x, y));
          else
            sum = arith::AddIOp::create(bb, l, args[2], arith::MulIOp::create(bb, l, x, y));
          linalg::YieldOp::create(bb, l, sum);
        });
    rewriter.replaceOp(op, truncateToElementType(rewriter, loc, generic.getResult(0),
                                                 finalType.getElementType()));
    return success();
  }
};

} // namespace

void hlox::linalg_lowering::populateConvolutionPatterns(const TypeConverter &converter,
                                                        RewritePatternSet &patterns) {
  patterns.add<ConvolutionToLinalg>(converter, patterns.getContext());
}
