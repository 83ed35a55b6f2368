//===- RulesGatherScatter.cpp - embedding lookups and their gradients -----===//
//
// A table split along one dimension d that a gather or scatter indexes with
// single rows (d collapsed / inserted, one index component j for it). As
// XLA does, each partition works on its own rows only:
//   gather: the index, clamped as gather clamps, shifted by the partition's
//     first row; rows another partition holds are zeroed, and an all_reduce
//     (add) over d's axes assembles the result;
//   scatter-add: updates for rows another partition holds (or no partition:
//     out of range) are zeroed and aimed at local row 0; the table stays
//     split and nothing is communicated.
// Anything else runs replicated (the fallback).
//
//===----------------------------------------------------------------------===//
#include "passes/native/spmd/Partitioner.h"

using namespace mlir;
namespace hlo = mlir::stablehlo;

namespace hlox::spmd {

namespace {

// The table's one split dimension d if it is collapsed/inserted (`single`)
// and indexed by component j of the index vector.
struct RowSplit {
  int64_t d = -1, j = -1;
  DimAxes axes;
};

std::optional<RowSplit> rowSplit(Partitioner &P, Value table, ArrayRef<int64_t> single,
                                 ArrayRef<int64_t> indexedDims) {
  const Sharding &cur = P.lookup(table).sharding;
  RowSplit split;
  for (auto [e, axes] : llvm::enumerate(cur.dims))
    if (!axes.empty()) {
      if (split.d >= 0)
        return std::nullopt;
      split.d = e;
      split.axes = axes;
    }
  if (split.d < 0 || !llvm::is_contained(single, split.d))
    return std::nullopt;
  auto where = llvm::find(indexedDims, split.d);
  if (where == indexedDims.end())
    return std::nullopt;
  split.j = where - indexedDims.begin();
  return split;
}

// This partition's view of component j of `indices`: which positions index
// one of its rows (`owned`), and the indices rewritten to local rows.
struct LocalIndex {
  Value owned, indices;
  SmallVector<int64_t> batchShape; // the index tensor without its vector dim
};

LocalIndex localIndex(Partitioner &P, Location loc, Value indices, int64_t ivd, const RowSplit &split,
                      int64_t rows, bool clampLikeGather) {
  OpBuilder &b = P.builder;
  auto indexType = cast<RankedTensorType>(indices.getType());
  auto element = cast<IntegerType>(indexType.getElementType());
  bool implicitVector = ivd == indexType.getRank();
  int64_t chunkRows = chunk(rows, product(split.axes));
  Value component = indices;
  SmallVector<int64_t> compShape(indexType.getShape());
  if (!implicitVector) {
    SmallVector<int64_t> start(indexType.getRank(), 0), limit(indexType.getShape()),
        stride(indexType.getRank(), 1);
    start[ivd] = split.j;
    limit[ivd] = split.j + 1;
    component = hlo::SliceOp::create(b, loc, indices, start, limit, stride);
    compShape[ivd] = 1;
  }
  auto compType = RankedTensorType::get(compShape, element);
  auto maskType = RankedTensorType::get(compShape, b.getI1Type());
  auto splat = [&](int64_t v) {
    Value c = P.scalarConstant(loc, element, (double)v);
    return hlo::BroadcastInDimOp::create(b, loc, compType, c, ArrayRef<int64_t>{}).getResult();
  };
  auto compare = [&](Value x, Value y, hlo::ComparisonDirection dir) {
    return hlo::CompareOp::create(b, loc, maskType, x, y, dir, {}).getResult();
  };
  if (clampLikeGather) {
    component = hlo::MaxOp::create(b, loc, component, splat(0));
    component = hlo::MinOp::create(b, loc, component, splat(rows - 1));
  }
  Value start = P.chunkStart(loc, split.axes, chunkRows);
  if (element != b.getI32Type())
    start = hlo::ConvertOp::create(b, loc, RankedTensorType::get({}, element), start);
  Value startB = hlo::BroadcastInDimOp::create(b, loc, compType, start, ArrayRef<int64_t>{});
  Value local = hlo::SubtractOp::create(b, loc, component, startB);
  // (component >= start) rather than (local >= 0): unsigned indices wrap.
  Value owned = hlo::AndOp::create(b, loc, compare(component, startB, hlo::ComparisonDirection::GE),
                                   compare(local, splat(chunkRows), hlo::ComparisonDirection::LT));
  if (!clampLikeGather) {
    owned = hlo::AndOp::create(b, loc, owned,
                               compare(component, splat(rows), hlo::ComparisonDirection::LT));
    local = hlo::SelectOp::create(b, loc, compType, owned, local, splat(0));
  }
  Value rewritten = local;
  if (!implicitVector) {
    auto iotaType = RankedTensorType::get(indexType.getShape(), b.getI32Type());
    Value iota = hlo::IotaOp::create(b, loc, iotaType, (uint64_t)ivd);
    Value jB = hlo::BroadcastInDimOp::create(b, loc, iotaType, P.i32Constant(loc, split.j),
                                             ArrayRef<int64_t>{});
    Value isJ = hlo::CompareOp::create(b, loc, RankedTensorType::get(indexType.getShape(), b.getI1Type()),
                                       iota, jB, hlo::ComparisonDirection::EQ, {});
    SmallVector<int64_t> dims;
    for (int64_t e = 0; e < indexType.getRank(); ++e)
      dims.push_back(e);
    Value localB = hlo::BroadcastInDimOp::create(b, loc, indexType, local, dims);
    rewritten = hlo::SelectOp::create(b, loc, indexType, isJ, localB, indices);
  }
  LocalIndex out{owned, rewritten, {}};
  for (int64_t e = 0; e < (int64_t)compShape.size(); ++e)
    if (implicitVector || e != ivd)
      out.batchShape.push_back(compShape[e]);
  return out;
}

// `value` where this partition owns the index, zero elsewhere; the value's
// dims outside `windowDims` are the index tensor's batch dims, in order.
Value keepOwned(Partitioner &P, Location loc, Value value, const LocalIndex &index,
                ArrayRef<int64_t> windowDims) {
  OpBuilder &b = P.builder;
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> batchDims;
  for (int64_t e = 0; e < type.getRank(); ++e)
    if (!llvm::is_contained(windowDims, e))
      batchDims.push_back(e);
  Value flat = hlo::ReshapeOp::create(
      b, loc, RankedTensorType::get(index.batchShape, b.getI1Type()), index.owned);
  Value mask = hlo::BroadcastInDimOp::create(
      b, loc, RankedTensorType::get(type.getShape(), b.getI1Type()), flat, batchDims);
  Value zero = hlo::BroadcastInDimOp::create(
      b, loc, type, P.scalarConstant(loc, type.getElementType(), 0), ArrayRef<int64_t>{});
  return hlo::SelectOp::create(b, loc, type, mask, value, zero);
}

bool numeric(Type element) {
  return isa<FloatType>(element) ||
         (isa<IntegerType>(element) && element.getIntOrFloatBitWidth() > 1);
}

RuleResult embeddingGather(Partitioner &P, hlo::GatherOp op) {
  auto dn = op.getDimensionNumbers();
  auto tableType = op.getOperand().getType();
  auto indexType = op.getStartIndices().getType();
  auto resultType = cast<RankedTensorType>(op.getType());
  if (!dn.getOperandBatchingDims().empty() || !isa<IntegerType>(indexType.getElementType()) ||
      !numeric(resultType.getElementType()))
    return RuleResult::NoRule;
  auto split = rowSplit(P, op.getOperand(), dn.getCollapsedSliceDims(), dn.getStartIndexMap());
  if (!split || op.getSliceSizes()[split->d] != 1)
    return RuleResult::NoRule;
  Location loc = op.getLoc();
  Value table = P.lookup(op.getOperand()).value;
  Value indices = P.get(op.getStartIndices(), Sharding::replicated(indexType.getRank()));
  LocalIndex index = localIndex(P, loc, indices, dn.getIndexVectorDim(), *split,
                                tableType.getDimSize(split->d), /*clampLikeGather=*/true);
  Value gathered = P.cloneWith(op, {table, index.indices}, {resultType})->getResult(0);
  Value v = keepOwned(P, loc, gathered, index, dn.getOffsetDims());
  v = P.allReduce(loc, v, split->axes, "stablehlo.add");
  P.set(op.getResult(), v, Sharding::replicated(resultType.getRank()));
  return RuleResult::Done;
}

RuleResult embeddingScatterAdd(Partitioner &P, hlo::ScatterOp op) {
  auto dn = op.getScatterDimensionNumbers();
  if (op.getInputs().size() != 1 || !dn.getInputBatchingDims().empty())
    return RuleResult::NoRule;
  Value operand = op.getInputs().front();
  auto tableType = cast<RankedTensorType>(operand.getType());
  auto indexType = cast<RankedTensorType>(op.getScatterIndices().getType());
  if (!isa<IntegerType>(indexType.getElementType()) || !numeric(tableType.getElementType()))
    return RuleResult::NoRule;
  // Only an add: a zeroed update aimed at row 0 must change nothing.
  Block &body = op.getUpdateComputation().front();
  if (body.getOperations().size() != 2 || !isa<hlo::AddOp>(body.front()) ||
      body.getTerminator()->getOperand(0) != body.front().getResult(0) ||
      !llvm::is_contained(body.front().getOperands(), body.getArgument(0)) ||
      !llvm::is_contained(body.front().getOperands(), body.getArgument(1)))
    return RuleResult::NoRule;
  auto split = rowSplit(P, operand, dn.getInsertedWindowDims(), dn.getScatterDimsToOperandDims());
  if (!split)
    return RuleResult::NoRule;
  Location loc = op.getLoc();
  const Local &table = P.lookup(operand);
  Value tableLocal = table.value;
  Sharding tableSharding = table.sharding;
  Value indices = P.get(op.getScatterIndices(), Sharding::replicated(indexType.getRank()));
  auto updatesType = cast<RankedTensorType>(op.getUpdates().front().getType());
  Value updates = P.get(op.getUpdates().front(), Sharding::replicated(updatesType.getRank()));
  LocalIndex index = localIndex(P, loc, indices, dn.getIndexVectorDim(), *split,
                                tableType.getDimSize(split->d), /*clampLikeGather=*/false);
  updates = keepOwned(P, loc, updates, index, dn.getUpdateWindowDims());
  Operation *copy =
      P.cloneWith(op, {tableLocal, index.indices, updates}, {tableLocal.getType()});
  P.set(op->getResult(0), copy->getResult(0), tableSharding);
  return RuleResult::Done;
}

} // namespace

RuleResult partitionGather(Partitioner &P, Operation *op) {
  if (auto g = dyn_cast<hlo::GatherOp>(op))
    return embeddingGather(P, g);
  if (auto s = dyn_cast<hlo::ScatterOp>(op))
    return embeddingScatterAdd(P, s);
  return RuleResult::NoRule;
}

} // namespace hlox::spmd
