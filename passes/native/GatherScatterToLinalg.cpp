//===- GatherScatterToLinalg.cpp - gather, scatter ------------------------===//
//
//   gather  -> linalg.generic over the result; its body computes the
//              operand index with the spec's formula (start index clamped
//              to [0, dim - slice_size], batching dims, offset dims) from
//              linalg.index and tensor.extract of start_indices, and
//              extracts the operand element
//   scatter -> scf.for nest over the updates' index space carrying the
//              results; each update element computes its result index with
//              the spec's formula and, when its whole update window is in
//              bounds (XLA's rule: otherwise the window is skipped), applies
//              update_computation (scalar code) to (result, update)
//
//===----------------------------------------------------------------------===//
#include "passes/native/StructuredLowering.h"

#include "dialects/stablehlo/StablehloOps.h"

using namespace mlir;
using namespace hlox::linalg_lowering;
namespace hlo = mlir::stablehlo;

namespace {

/// The start index vector (as `index` values) for `batchIndex`: the
/// elements start_indices[batchIndex with k inserted at indexVectorDim].
SmallVector<Value> startIndexVector(OpBuilder &b, Location loc, Value indices, bool isUns,
                                    ValueRange batchIndex, int64_t indexVectorDim,
                                    int64_t count) {
  auto type = cast<RankedTensorType>(indices.getType());
  SmallVector<Value> result;
  for (int64_t k = 0; k < count; ++k) {
    SmallVector<Value> at;
    for (int64_t j = 0, bi = 0; j < type.getRank(); ++j) {
      if (j == indexVectorDim)
        at.push_back(indexConstant(b, loc, k));
      else
        at.push_back(batchIndex[bi++]);
    }
    Value v = tensor::ExtractOp::create(b, loc, indices, at);
    if (isUns)
      v = arith::IndexCastUIOp::create(b, loc, b.getIndexType(), v);
    else
      v = arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
    result.push_back(v);
  }
  return result;
}

Value clampIndex(OpBuilder &b, Location loc, Value v, int64_t lo, int64_t hi) {
  v = arith::MaxSIOp::create(b, loc, v, indexConstant(b, loc, lo));
  return arith::MinSIOp::create(b, loc, v, indexConstant(b, loc, hi));
}

struct GatherToLinalg : OpConversionPattern<hlo::GatherOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value operand = adaptor.getOperand(), indices = adaptor.getStartIndices();
    auto operandType = cast<RankedTensorType>(operand.getType());
    auto indicesType = cast<RankedTensorType>(indices.getType());
    auto resultType = convertedTensorType(*getTypeConverter(), op.getType());
    bool isUns = isUnsigned(op.getStartIndices().getType());
    auto dn = op.getDimensionNumbers();
    ArrayRef<int64_t> offsetDims = dn.getOffsetDims();
    ArrayRef<int64_t> collapsed = dn.getCollapsedSliceDims();
    ArrayRef<int64_t> operandBatching = dn.getOperandBatchingDims();
    ArrayRef<int64_t> indicesBatching = dn.getStartIndicesBatchingDims();
    ArrayRef<int64_t> startIndexMap = dn.getStartIndexMap();
    int64_t ivd = dn.getIndexVectorDim();
    ArrayRef<int64_t> sliceSizes = op.getSliceSizes();
    int64_t rank = resultType.getRank();
    int64_t operandRank = operandType.getRank();

    Value init = emptyLike(rewriter, loc, resultType);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{}, ValueRange{init},
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank)}, parallelIterators(rank),
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> idx, batchIndex, offsetIndex;
          for (int64_t d = 0; d < rank; ++d) {
            idx.push_back(linalg::IndexOp::create(b, l, d));
            if (llvm::is_contained(offsetDims, d))
              offsetIndex.push_back(idx.back());
            else
              batchIndex.push_back(idx.back());
          }
          SmallVector<Value> start = startIndexVector(b, l, indices, isUns, batchIndex, ivd,
                                                      startIndexMap.size());
          SmallVector<Value> operandIndex(operandRank, indexConstant(b, l, 0));
          for (auto [k, d] : llvm::enumerate(startIndexMap))
            operandIndex[d] = clampIndex(b, l, start[k], 0,
                                         operandType.getDimSize(d) - sliceSizes[d]);
          for (auto [ob, sb] : llvm::zip(operandBatching, indicesBatching)) {
            int64_t pos = sb < ivd ? sb : sb - 1;
            operandIndex[ob] = arith::AddIOp::create(b, l, operandIndex[ob], batchIndex[pos]);
          }
          int64_t m = 0;
          for (int64_t d = 0; d < operandRank; ++d) {
            if (llvm::is_contained(collapsed, d) || llvm::is_contained(operandBatching, d))
              continue;
            operandIndex[d] = arith::AddIOp::create(b, l, operandIndex[d], offsetIndex[m++]);
          }
          Value v = tensor::ExtractOp::create(b, l, operand, operandIndex);
          linalg::YieldOp::create(b, l, v);
        });
    (void)indicesType;
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct ScatterToScf : OpConversionPattern<hlo::ScatterOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::ScatterOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ValueRange inputs = adaptor.getInputs(), updates = adaptor.getUpdates();
    Value indices = adaptor.getScatterIndices();
    bool isUns = isUnsigned(op.getScatterIndices().getType());
    auto inputType = cast<RankedTensorType>(inputs[0].getType());
    auto updateType = cast<RankedTensorType>(updates[0].getType());
    auto dn = op.getScatterDimensionNumbers();
    ArrayRef<int64_t> windowDims = dn.getUpdateWindowDims();
    ArrayRef<int64_t> inserted = dn.getInsertedWindowDims();
    ArrayRef<int64_t> inputBatching = dn.getInputBatchingDims();
    ArrayRef<int64_t> indicesBatching = dn.getScatterIndicesBatchingDims();
    ArrayRef<int64_t> toOperand = dn.getScatterDimsToOperandDims();
    int64_t ivd = dn.getIndexVectorDim();
    int64_t inputRank = inputType.getRank();
    // The size of the update window along each input dimension.
    SmallVector<int64_t> windowSize(inputRank, 1);
    {
      int64_t m = 0;
      for (int64_t d = 0; d < inputRank; ++d) {
        if (llvm::is_contained(inserted, d) || llvm::is_contained(inputBatching, d))
          continue;
        windowSize[d] = updateType.getDimSize(windowDims[m++]);
      }
    }
    bool ok = true;
    SmallVector<Value> results = buildLoopNest(
        rewriter, loc, updateType.getShape(), inputs,
        [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange acc) -> SmallVector<Value> {
          SmallVector<Value> scatterIndex, windowIndex;
          for (int64_t d = 0; d < updateType.getRank(); ++d) {
            if (llvm::is_contained(windowDims, d))
              windowIndex.push_back(ivs[d]);
            else
              scatterIndex.push_back(ivs[d]);
          }
          SmallVector<Value> start =
              startIndexVector(b, l, indices, isUns, scatterIndex, ivd, toOperand.size());
          SmallVector<Value> windowStart(inputRank, indexConstant(b, l, 0));
          for (auto [k, d] : llvm::enumerate(toOperand))
            windowStart[d] = start[k];
          for (auto [ib, sb] : llvm::zip(inputBatching, indicesBatching)) {
            int64_t pos = sb < ivd ? sb : sb - 1;
            windowStart[ib] = arith::AddIOp::create(b, l, windowStart[ib], scatterIndex[pos]);
          }
          Value inBounds = arith::ConstantOp::create(b, l, b.getBoolAttr(true));
          SmallVector<Value> resultIndex(windowStart);
          int64_t m = 0;
          for (int64_t d = 0; d < inputRank; ++d) {
            // The whole window fits: 0 <= start <= size - window.
            inBounds = andInRange(b, l, inBounds, windowStart[d], 0,
                                  inputType.getDimSize(d) - windowSize[d] + 1);
            if (llvm::is_contained(inserted, d) || llvm::is_contained(inputBatching, d))
              continue;
            resultIndex[d] = arith::AddIOp::create(b, l, resultIndex[d], windowIndex[m++]);
          }
          return updateIf(
              b, l, inBounds, acc,
              [&](OpBuilder &tb, Location tl) -> FailureOr<SmallVector<Value>> {
                SmallVector<Value> values;
                for (Value u : updates)
                  values.push_back(tensor::ExtractOp::create(tb, tl, u, ivs));
                return combineAt(tb, tl, op.getUpdateComputation(), acc, resultIndex, values);
              },
              ok);
        });
    if (!ok)
      return failure();
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void hlox::linalg_lowering::populateGatherScatterPatterns(const TypeConverter &converter,
                                                          RewritePatternSet &patterns) {
  patterns.add<GatherToLinalg, ScatterToScf>(converter, patterns.getContext());
}
