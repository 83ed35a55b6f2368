//===- SdyPropagateRulesGather.cpp - gather and scatter rules -------------===//
//
// gather: each index batch dimension (every start_indices dimension but the
//   index vector) shares a factor with its result batch dimension, and with
//   the operand's batching dimension when it is one (take_along_axis);
//   an operand dimension taken whole (slice size = dimension size, not
//   indexed) shares a factor with its result offset dimension: an embedding
//   table split along the feature dimension gives rows split alike. The
//   indexed dimensions are not related (a table split along its rows stays so
//   only in the operand; the partitioner gathers or masks).
// scatter: inputs and results alike in every dimension; update scatter
//   dimensions share factors with the index batch dimensions (and batching
//   dimensions with the inputs'); an update window dimension covering a
//   whole, non-indexed input dimension shares that dimension's factor.
//
//===----------------------------------------------------------------------===//
#include "passes/native/SdyPropagation.h"

#include "dialects/stablehlo/StablehloOps.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace hlox::sdy_propagation;
using namespace mlir;
using llvm::SmallVectorImpl;

namespace {

void mapIf(Rule &rule, int tensor, int64_t dim, unsigned factor) {
  if (tensor >= 0 && dim >= 0)
    rule.map(tensor, dim, factor);
}

/// Dimensions 0..rank-1 that are not in any of `excluded`, in order.
SmallVector<int64_t> remainingDims(int64_t rank, std::initializer_list<ArrayRef<int64_t>> excluded) {
  SmallVector<int64_t> out;
  for (int64_t d = 0; d < rank; ++d)
    if (llvm::none_of(excluded, [&](ArrayRef<int64_t> e) { return llvm::is_contained(e, d); }))
      out.push_back(d);
  return out;
}

/// Position of `value` in `list`, or -1.
int64_t positionOf(ArrayRef<int64_t> list, int64_t value) {
  auto it = llvm::find(list, value);
  return it == list.end() ? -1 : it - list.begin();
}

Rule gatherRule(stablehlo::GatherOp op, PropagationState &state) {
  Rule rule;
  int operand = addValue(rule, state, op.getOperand());
  int indices = addValue(rule, state, op.getStartIndices());
  int result = addValue(rule, state, op.getResult());
  auto dn = op.getDimensionNumbers();
  ArrayRef<int64_t> os = shapeOf(op.getOperand()), is = shapeOf(op.getStartIndices());
  int64_t resultRank = shapeOf(op.getResult()).size();
  int64_t indexVector = dn.getIndexVectorDim();

  SmallVector<int64_t> resultBatch = remainingDims(resultRank, {dn.getOffsetDims()});
  SmallVector<int64_t> indexBatch = remainingDims(is.size(), {ArrayRef<int64_t>(indexVector)});
  for (auto [i, r] : llvm::zip(indexBatch, resultBatch)) {
    if (is[i] == 1)
      continue;
    unsigned f = rule.addFactor(is[i]);
    mapIf(rule, indices, i, f);
    mapIf(rule, result, r, f);
    int64_t p = positionOf(dn.getStartIndicesBatchingDims(), i);
    if (p >= 0)
      mapIf(rule, operand, dn.getOperandBatchingDims()[p], f);
  }
  SmallVector<int64_t> offsetOperandDims =
      remainingDims(os.size(), {dn.getCollapsedSliceDims(), dn.getOperandBatchingDims()});
  ArrayRef<int64_t> sliceSizes = op.getSliceSizes();
  for (auto [d, r] : llvm::zip(offsetOperandDims, dn.getOffsetDims())) {
    if (os[d] == 1 || sliceSizes[d] != os[d] || llvm::is_contained(dn.getStartIndexMap(), d))
      continue;
    unsigned f = rule.addFactor(os[d]);
    mapIf(rule, operand, d, f);
    mapIf(rule, result, r, f);
  }
  return rule;
}

Rule scatterRule(stablehlo::ScatterOp op, PropagationState &state) {
  Rule rule;
  SmallVector<int> inputs, updates, results;
  for (Value v : op.getInputs())
    inputs.push_back(addValue(rule, state, v));
  int indices = addValue(rule, state, op.getScatterIndices());
  for (Value v : op.getUpdates())
    updates.push_back(addValue(rule, state, v));
  for (Value v : op->getResults())
    results.push_back(addValue(rule, state, v));
  auto dn = op.getScatterDimensionNumbers();
  ArrayRef<int64_t> os = shapeOf(op.getInputs()[0]), is = shapeOf(op.getScatterIndices());
  ArrayRef<int64_t> us = shapeOf(op.getUpdates()[0]);

  // Inputs and results: one factor per dimension.
  SmallVector<int> inputFactor(os.size(), -1);
  for (auto [d, size] : llvm::enumerate(os)) {
    if (size == 1)
      continue;
    unsigned f = rule.addFactor(size);
    inputFactor[d] = f;
    for (int t : inputs)
      mapIf(rule, t, d, f);
    for (int t : results)
      mapIf(rule, t, d, f);
  }
  SmallVector<int64_t> updateScatter = remainingDims(us.size(), {dn.getUpdateWindowDims()});
  SmallVector<int64_t> indexBatch =
      remainingDims(is.size(), {ArrayRef<int64_t>(dn.getIndexVectorDim())});
  for (auto [i, u] : llvm::zip(indexBatch, updateScatter)) {
    if (is[i] == 1)
      continue;
    int64_t p = positionOf(dn.getScatterIndicesBatchingDims(), i);
    int f = p >= 0 ? inputFactor[dn.getInputBatchingDims()[p]] : int(rule.addFactor(is[i]));
    if (f < 0)
      continue;
    mapIf(rule, indices, i, f);
    for (int t : updates)
      mapIf(rule, t, u, f);
  }
  SmallVector<int64_t> windowInputDims =
      remainingDims(os.size(), {dn.getInsertedWindowDims(), dn.getInputBatchingDims()});
  for (auto [d, u] : llvm::zip(windowInputDims, dn.getUpdateWindowDims())) {
    if (inputFactor[d] < 0 || us[u] != os[d] ||
        llvm::is_contained(dn.getScatterDimsToOperandDims(), d))
      continue;
    for (int t : updates)
      mapIf(rule, t, u, inputFactor[d]);
  }
  return rule;
}

} // namespace

bool hlox::sdy_propagation::buildGatherScatterRules(Operation *op, PropagationState &state,
                                                    SmallVectorImpl<Rule> &rules) {
  return llvm::TypeSwitch<Operation *, bool>(op)
      .Case([&](stablehlo::GatherOp o) { return rules.push_back(gatherRule(o, state)), true; })
      .Case([&](stablehlo::ScatterOp o) { return rules.push_back(scatterRule(o, state)), true; })
      .Default([](Operation *) { return false; });
}
