//===- RulesGather.cpp - gather from a table split along an indexed dim ---===//
//
// An embedding lookup: the operand (table) split along one dimension d that
// the gather indexes with single-row slices (d collapsed, slice size 1).
// As XLA does, each partition gathers from its own rows: the index (first
// clamped to the table, as gather clamps) is shifted by the partition's first
// row, rows another partition holds are zeroed, and an all_reduce (add)
// over d's axes assembles the result -- instead of gathering the table.
// Anything else runs replicated (the fallback).
//
//===----------------------------------------------------------------------===//
#include "passes/native/spmd/Partitioner.h"

using namespace mlir;
namespace hlo = mlir::stablehlo;

namespace hlox::spmd {

namespace {

RuleResult embeddingGather(Partitioner &P, hlo::GatherOp op) {
  auto dn = op.getDimensionNumbers();
  auto tableType = op.getOperand().getType();
  auto indexType = op.getStartIndices().getType();
  auto resultType = cast<RankedTensorType>(op.getType());
  Type element = resultType.getElementType();
  auto indexElement = dyn_cast<IntegerType>(indexType.getElementType());
  if (!dn.getOperandBatchingDims().empty() || !indexElement ||
      !(isa<FloatType>(element) || isa<IntegerType>(element)))
    return RuleResult::NoRule;
  const Sharding &cur = P.lookup(op.getOperand()).sharding;
  if (cur.dims.empty())
    return RuleResult::NoRule;
  // The one split dimension, indexed by start_index_map[j] with 1-row slices.
  int64_t d = -1;
  for (int64_t e = 0; e < tableType.getRank(); ++e)
    if (!cur.dims[e].empty()) {
      if (d >= 0)
        return RuleResult::NoRule;
      d = e;
    }
  if (d < 0 || op.getSliceSizes()[d] != 1 || !llvm::is_contained(dn.getCollapsedSliceDims(), d))
    return RuleResult::NoRule;
  auto where = llvm::find(dn.getStartIndexMap(), d);
  if (where == dn.getStartIndexMap().end())
    return RuleResult::NoRule;
  int64_t j = where - dn.getStartIndexMap().begin();
  int64_t ivd = dn.getIndexVectorDim();
  bool implicitVector = ivd == indexType.getRank();

  Location loc = op.getLoc();
  OpBuilder &b = P.builder;
  const DimAxes axes = cur.dims[d];
  Value table = P.lookup(op.getOperand()).value;
  int64_t rows = tableType.getDimSize(d);
  int64_t chunkRows = chunk(rows, product(axes));
  Value indices = P.get(op.getStartIndices(), Sharding::replicated(indexType.getRank()));

  // The index along d: [.., 1 at ivd, ..] (or the whole tensor when the
  // index vector is implicit).
  Value component = indices;
  SmallVector<int64_t> compShape(indexType.getShape());
  if (!implicitVector) {
    SmallVector<int64_t> start(indexType.getRank(), 0), limit(indexType.getShape()),
        stride(indexType.getRank(), 1);
    start[ivd] = j;
    limit[ivd] = j + 1;
    component = hlo::SliceOp::create(b, loc, indices, start, limit, stride);
    compShape[ivd] = 1;
  }
  auto compType = RankedTensorType::get(compShape, indexElement);
  auto scalar = [&](int64_t v) {
    Value c = P.scalarConstant(loc, indexElement, (double)v);
    return hlo::BroadcastInDimOp::create(b, loc, compType, c, ArrayRef<int64_t>{}).getResult();
  };
  // Clamped as gather clamps, then relative to this partition's rows.
  Value clamped = hlo::MaxOp::create(b, loc, component, scalar(0));
  clamped = hlo::MinOp::create(b, loc, clamped, scalar(rows - 1));
  Value start = P.chunkStart(loc, axes, chunkRows);
  if (indexElement != b.getI32Type())
    start = hlo::ConvertOp::create(b, loc, RankedTensorType::get({}, indexElement), start);
  Value startB = hlo::BroadcastInDimOp::create(b, loc, compType, start, ArrayRef<int64_t>{});
  Value local = hlo::SubtractOp::create(b, loc, clamped, startB);
  auto maskType = RankedTensorType::get(compShape, b.getI1Type());
  Value geZero = hlo::CompareOp::create(b, loc, maskType, clamped, startB,
                                        hlo::ComparisonDirection::GE, {});
  Value below = hlo::CompareOp::create(
      b, loc, maskType, local, scalar(chunkRows), hlo::ComparisonDirection::LT, {});
  // (clamped >= start) rather than (local >= 0): unsigned indices wrap.
  Value mine = hlo::AndOp::create(b, loc, geZero, below);

  Value newIndices = local;
  if (!implicitVector) {
    auto iotaType = RankedTensorType::get(indexType.getShape(), b.getI32Type());
    Value iota = hlo::IotaOp::create(b, loc, iotaType, (uint64_t)ivd);
    Value jB = hlo::BroadcastInDimOp::create(b, loc, iotaType, P.i32Constant(loc, j),
                                             ArrayRef<int64_t>{});
    auto selType = RankedTensorType::get(indexType.getShape(), b.getI1Type());
    Value isJ = hlo::CompareOp::create(b, loc, selType, iota, jB, hlo::ComparisonDirection::EQ, {});
    SmallVector<int64_t> dims;
    for (int64_t e = 0; e < indexType.getRank(); ++e)
      dims.push_back(e);
    Value localB = hlo::BroadcastInDimOp::create(b, loc, indexType, local, dims);
    newIndices = hlo::SelectOp::create(b, loc, indexType, isJ, localB, indices);
  }
  Value gathered = P.cloneWith(op, {table, newIndices}, {resultType})->getResult(0);

  // Zero the rows this partition does not hold: the mask's dims (indices
  // without the index vector dim) are the result's batch dims, in order.
  SmallVector<int64_t> batchDims;
  for (int64_t e = 0; e < resultType.getRank(); ++e)
    if (!llvm::is_contained(dn.getOffsetDims(), e))
      batchDims.push_back(e);
  SmallVector<int64_t> keep;
  for (int64_t e = 0; e < (int64_t)compShape.size(); ++e)
    if (implicitVector || e != ivd)
      keep.push_back(compShape[e]);
  Value flatMask = hlo::ReshapeOp::create(b, loc, RankedTensorType::get(keep, b.getI1Type()), mine);
  auto resultMaskType = RankedTensorType::get(resultType.getShape(), b.getI1Type());
  Value mask = hlo::BroadcastInDimOp::create(b, loc, resultMaskType, flatMask, batchDims);
  Value zero = hlo::BroadcastInDimOp::create(b, loc, resultType, P.scalarConstant(loc, element, 0),
                                             ArrayRef<int64_t>{});
  Value v = hlo::SelectOp::create(b, loc, resultType, mask, gathered, zero);
  v = P.allReduce(loc, v, axes, isa<IntegerType>(element) && element.getIntOrFloatBitWidth() == 1
                                    ? "stablehlo.or"
                                    : "stablehlo.add");
  P.set(op.getResult(), v, Sharding::replicated(resultType.getRank()));
  return RuleResult::Done;
}

} // namespace

RuleResult partitionGather(Partitioner &P, Operation *op) {
  if (auto g = dyn_cast<hlo::GatherOp>(op))
    return embeddingGather(P, g);
  return RuleResult::NoRule;
}

} // namespace hlox::spmd
