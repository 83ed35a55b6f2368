//===- DataMovementToLinalg.cpp - iota, slices, pad, concatenate, ... -----===//
//
//   iota                  -> linalg.generic on linalg.index (complex: the
//                            real part, imaginary 0)
//   broadcast             -> linalg.broadcast (prepends dimensions)
//   slice                 -> tensor.extract_slice (with strides); an empty
//                            result is a tensor.empty
//   dynamic_slice         -> tensor.extract of the starts, clamped to
//                            [0, dim - size] as the spec says, then
//                            tensor.extract_slice
//   dynamic_update_slice  -> tensor.insert_slice into the operand, starts
//                            clamped to [0, dim - update dim]; bufferization
//                            updates in place unless the operand is read
//                            later or is the caller's (read-only) array
//   concatenate           -> tensor.insert_slice of every input into a
//                            tensor.empty
//   pad                   -> linalg.fill with the padding value, the operand
//                            inserted with stride interior + 1 at the
//                            (non-negative part of) low padding, then negative
//                            low/high padding cropped by tensor.extract_slice
//   reverse               -> linalg.generic reading at size - 1 - i
//   get_dimension_size    -> arith.constant (static shapes)
//   optimization_barrier  -> its operands (no optimization crosses tensors)
//
//===----------------------------------------------------------------------===//
#include "passes/native/StructuredLowering.h"

#include "dialects/stablehlo/StablehloOps.h"

#include "mlir/Dialect/Complex/IR/Complex.h"

using namespace mlir;
using namespace hlox::linalg_lowering;
namespace hlo = mlir::stablehlo;

namespace {

SmallVector<OpFoldResult> indexAttrs(OpBuilder &b, ArrayRef<int64_t> values) {
  SmallVector<OpFoldResult> result;
  for (int64_t v : values)
    result.push_back(b.getIndexAttr(v));
  return result;
}

struct IotaToLinalg : OpConversionPattern<hlo::IotaOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::IotaOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    Type element = type.getElementType();
    auto complexType = dyn_cast<ComplexType>(element);
    Type real = complexType ? complexType.getElementType() : element;
    if (!real.isIntOrFloat())
      return rewriter.notifyMatchFailure(op, "integer, float or complex elements only");
    int64_t rank = type.getRank();
    int64_t dim = op.getIotaDimension();
    Location loc = op.getLoc();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{},
        ValueRange{emptyLike(rewriter, loc, type)},
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank)},
        parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange) {
          Value i = linalg::IndexOp::create(b, l, dim);
          Value v;
          if (auto intType = dyn_cast<IntegerType>(real)) {
            v = arith::IndexCastOp::create(b, l, intType, i);
          } else {
            Value i64 = arith::IndexCastOp::create(b, l, b.getI64Type(), i);
            v = arith::SIToFPOp::create(b, l, real, i64);
          }
          if (complexType)
            v = complex::CreateOp::create(b, l, complexType, v,
                                          arith::ConstantOp::create(b, l, b.getZeroAttr(real)));
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct BroadcastToLinalg : OpConversionPattern<hlo::BroadcastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::BroadcastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    ArrayRef<int64_t> sizes = op.getBroadcastSizes();
    if (sizes.empty()) {
      rewriter.replaceOp(op, adaptor.getOperand());
      return success();
    }
    SmallVector<int64_t> added;
    for (int64_t d = 0; d < static_cast<int64_t>(sizes.size()); ++d)
      added.push_back(d);
    auto broadcast = linalg::BroadcastOp::create(
        rewriter, op.getLoc(), adaptor.getOperand(),
        emptyLike(rewriter, op.getLoc(), type), added);
    rewriter.replaceOp(op, broadcast->getResults());
    return success();
  }
};

struct SliceToTensor : OpConversionPattern<hlo::SliceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    // An empty slice may start at the dimension's size (x[2:2] of 2 elements),
    // an offset tensor.extract_slice rejects; it reads nothing anyway.
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, emptyLike(rewriter, op.getLoc(), type));
      return success();
    }
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, type, adaptor.getOperand(), indexAttrs(rewriter, op.getStartIndices()),
        indexAttrs(rewriter, type.getShape()), indexAttrs(rewriter, op.getStrides()));
    return success();
  }
};

/// The start indices (0-d integer tensors) as `index` values clamped to
/// [0, operandShape[i] - sizes[i]].
SmallVector<OpFoldResult> clampedStarts(OpBuilder &b, Location loc, ValueRange starts,
                                        ValueRange originalStarts,
                                        ArrayRef<int64_t> operandShape,
                                        ArrayRef<int64_t> sizes) {
  SmallVector<OpFoldResult> result;
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  for (auto [i, start] : llvm::enumerate(starts)) {
    Value scalar = tensor::ExtractOp::create(b, loc, start, ValueRange{});
    Value index = isUnsigned(originalStarts[i].getType())
                      ? arith::IndexCastUIOp::create(b, loc, b.getIndexType(), scalar)
                            .getResult()
                      : arith::IndexCastOp::create(b, loc, b.getIndexType(), scalar)
                            .getResult();
    Value limit = arith::ConstantIndexOp::create(b, loc, operandShape[i] - sizes[i]);
    index = arith::MinSIOp::create(b, loc, index, limit);
    index = arith::MaxSIOp::create(b, loc, index, zero);
    result.push_back(index);
  }
  return result;
}

struct DynamicSliceToTensor : OpConversionPattern<hlo::DynamicSliceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::DynamicSliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    auto operandType = cast<RankedTensorType>(adaptor.getOperand().getType());
    ArrayRef<int64_t> sizes = op.getSliceSizes();
    SmallVector<OpFoldResult> offsets =
        clampedStarts(rewriter, op.getLoc(), adaptor.getStartIndices(),
                      op.getStartIndices(), operandType.getShape(), sizes);
    SmallVector<int64_t> ones(sizes.size(), 1);
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, type, adaptor.getOperand(), offsets, indexAttrs(rewriter, sizes),
        indexAttrs(rewriter, ones));
    return success();
  }
};

struct DynamicUpdateSliceToTensor : OpConversionPattern<hlo::DynamicUpdateSliceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::DynamicUpdateSliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    auto updateType = cast<RankedTensorType>(adaptor.getUpdate().getType());
    SmallVector<OpFoldResult> offsets =
        clampedStarts(rewriter, loc, adaptor.getStartIndices(), op.getStartIndices(),
                      type.getShape(), updateType.getShape());
    SmallVector<int64_t> ones(type.getRank(), 1);
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(
        op, adaptor.getUpdate(), adaptor.getOperand(), offsets,
        indexAttrs(rewriter, updateType.getShape()), indexAttrs(rewriter, ones));
    return success();
  }
};

struct ConcatenateToTensor : OpConversionPattern<hlo::ConcatenateOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::ConcatenateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    int64_t dim = op.getDimension();
    Value result = emptyLike(rewriter, loc, type);
    int64_t offset = 0;
    SmallVector<int64_t> ones(type.getRank(), 1);
    for (Value input : adaptor.getInputs()) {
      auto inputType = cast<RankedTensorType>(input.getType());
      SmallVector<int64_t> offsets(type.getRank(), 0);
      offsets[dim] = offset;
      offset += inputType.getDimSize(dim);
      if (inputType.getNumElements() == 0)
        continue;
      result = tensor::InsertSliceOp::create(rewriter, loc, input, result,
                                             indexAttrs(rewriter, offsets),
                                             indexAttrs(rewriter, inputType.getShape()),
                                             indexAttrs(rewriter, ones));
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct PadToTensor : OpConversionPattern<hlo::PadOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value padValue = extractScalar(rewriter, loc, adaptor.getPaddingValue());
    Value result = padWithScalar(rewriter, loc, adaptor.getOperand(), padValue,
                                 op.getEdgePaddingLow(), op.getEdgePaddingHigh(),
                                 op.getInteriorPadding());
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ReverseToLinalg : OpConversionPattern<hlo::ReverseOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::ReverseOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    int64_t rank = type.getRank();
    ArrayRef<int64_t> dims = op.getDimensions();
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < rank; ++d) {
      AffineExpr i = rewriter.getAffineDimExpr(d);
      exprs.push_back(llvm::is_contained(dims, d)
                          ? rewriter.getAffineConstantExpr(type.getDimSize(d) - 1) - i
                          : i);
    }
    SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, exprs, rewriter.getContext()),
                                   rewriter.getMultiDimIdentityMap(rank)};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getOperand()},
        ValueRange{emptyLike(rewriter, loc, type)}, maps, parallelIterators(rank),
        [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, args[0]);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct GetDimensionSizeToConstant : OpConversionPattern<hlo::GetDimensionSizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::GetDimensionSizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto operandType = cast<RankedTensorType>(adaptor.getOperand().getType());
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    int64_t size = operandType.getDimSize(op.getDimension());
    auto value = DenseElementsAttr::get(
        type, rewriter.getIntegerAttr(type.getElementType(), size));
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

struct OptimizationBarrierToOperands : OpConversionPattern<hlo::OptimizationBarrierOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::OptimizationBarrierOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getOperands());
    return success();
  }
};

} // namespace

void hlox::linalg_lowering::populateDataMovementPatterns(const TypeConverter &converter,
                                                         RewritePatternSet &patterns) {
  patterns.add<IotaToLinalg, BroadcastToLinalg, SliceToTensor, DynamicSliceToTensor,
               DynamicUpdateSliceToTensor, ConcatenateToTensor, PadToTensor,
               ReverseToLinalg, GetDimensionSizeToConstant,
               OptimizationBarrierToOperands>(converter, patterns.getContext());
}
