//===- RulesDataMovement.cpp - slice, pad, concatenate, dynamic slices, ...
//
// These ops act independently along some dimensions ("pass-through": a full
// slice, no padding, not the concatenated/sorted/reversed dimension, a
// window of one element, a convolution's batch or output feature): there the
// result keeps its annotated split and operands are resharded to match; the
// other dimensions are computed replicated (operands gathered) and resharded
// lazily where a use needs them split. Padding rows stay in padding rows
// along pass-through dimensions, so nothing needs masking. An
// optimization_barrier passes every value through in its sharding.
//
//===----------------------------------------------------------------------===//
#include "passes/native/spmd/Partitioner.h"

using namespace mlir;
namespace hlo = mlir::stablehlo;

namespace hlox::spmd {

namespace {

// Result dims (of result 0) that pass through, or nullopt if no rule.
std::optional<SmallVector<bool>> passThrough(Operation *op) {
  auto type = Partitioner::globalType(op->getResult(0));
  if (!type)
    return std::nullopt;
  int64_t rank = type.getRank();
  SmallVector<bool> pass(rank, true);
  if (auto s = dyn_cast<hlo::SliceOp>(op)) {
    auto in = s.getOperand().getType();
    for (int64_t d = 0; d < rank; ++d)
      pass[d] = s.getStartIndices()[d] == 0 && s.getLimitIndices()[d] == in.getDimSize(d) &&
                s.getStrides()[d] == 1;
  } else if (auto p = dyn_cast<hlo::PadOp>(op)) {
    for (int64_t d = 0; d < rank; ++d)
      pass[d] = p.getEdgePaddingLow()[d] == 0 && p.getEdgePaddingHigh()[d] == 0 &&
                p.getInteriorPadding()[d] == 0;
  } else if (auto c = dyn_cast<hlo::ConcatenateOp>(op)) {
    pass[c.getDimension()] = false;
  } else if (auto ds = dyn_cast<hlo::DynamicSliceOp>(op)) {
    auto in = ds.getOperand().getType();
    for (int64_t d = 0; d < rank; ++d)
      pass[d] = ds.getSliceSizes()[d] == in.getDimSize(d);
  } else if (auto dus = dyn_cast<hlo::DynamicUpdateSliceOp>(op)) {
    auto in = dus.getOperand().getType();
    auto up = dus.getUpdate().getType();
    for (int64_t d = 0; d < rank; ++d)
      pass[d] = up.getDimSize(d) == in.getDimSize(d);
  } else if (auto r = dyn_cast<hlo::ReverseOp>(op)) {
    for (int64_t d : r.getDimensions())
      pass[d] = false;
  } else if (auto s = dyn_cast<hlo::SortOp>(op)) {
    pass[s.getDimension() < 0 ? s.getDimension() + rank : s.getDimension()] = false;
  } else if (auto w = dyn_cast<hlo::ReduceWindowOp>(op)) {
    auto strides = w.getWindowStrides();
    auto dil = w.getBaseDilations();
    auto padding = w.getPadding();
    SmallVector<int64_t> pads;
    if (padding)
      pads = llvm::to_vector(padding->getValues<int64_t>());
    for (int64_t d = 0; d < rank; ++d)
      pass[d] = w.getWindowDimensions()[d] == 1 && (!strides || (*strides)[d] == 1) &&
                (!dil || (*dil)[d] == 1) && (pads.empty() || (pads[2 * d] == 0 && pads[2 * d + 1] == 0));
  } else {
    return std::nullopt;
  }
  return pass;
}

RuleResult passThroughRule(Partitioner &P, Operation *op, ArrayRef<bool> pass) {
  Sharding r = P.annotated(op, 0);
  Sharding computed = Sharding::replicated(pass.size());
  for (auto [d, p] : llvm::enumerate(pass))
    if (p)
      computed.dims[d] = r.dims[d];
  SmallVector<Value> operands;
  for (Value v : op->getOperands()) {
    auto t = Partitioner::globalType(v);
    bool full = t && t.getRank() == (int64_t)pass.size();
    operands.push_back(P.get(v, full ? computed : Sharding::replicated(t ? t.getRank() : 0)));
  }
  SmallVector<Type> types;
  for (Value res : op->getResults())
    types.push_back(P.local(Partitioner::globalType(res), computed));
  Operation *copy = P.cloneWith(op, operands, types);
  auto local = cast<RankedTensorType>(types.front());
  // Sizes written in attributes follow the local shape.
  // (pass-through dimensions start at 0: their size is the local size).
  if (auto s = dyn_cast<hlo::SliceOp>(copy)) {
    SmallVector<int64_t> limit(s.getLimitIndices());
    for (auto [d, p] : llvm::enumerate(pass))
      if (p)
        limit[d] = local.getDimSize(d);
    s.setLimitIndices(limit);
  } else if (auto ds = dyn_cast<hlo::DynamicSliceOp>(copy)) {
    SmallVector<int64_t> sizes(ds.getSliceSizes());
    for (auto [d, p] : llvm::enumerate(pass))
      if (p)
        sizes[d] = local.getDimSize(d);
    ds.setSliceSizes(sizes);
  }
  P.setResults(op, copy->getResults(), SmallVector<Sharding>(op->getNumResults(), computed));
  return RuleResult::Done;
}

// Convolution: the lhs batch dimension and the kernel's output feature
// dimension pass through to the output's batch and feature dimensions.
RuleResult convolution(Partitioner &P, hlo::ConvolutionOp op) {
  auto dn = op.getDimensionNumbers();
  Sharding r = P.annotated(op, 0);
  int64_t rank = op.getType().getRank();
  Sharding computed = Sharding::replicated(rank);
  Sharding lhs = Sharding::replicated(rank), rhs = Sharding::replicated(rank);
  if (op.getBatchGroupCount() == 1) {
    computed.dims[dn.getOutputBatchDimension()] = r.dims[dn.getOutputBatchDimension()];
    lhs.dims[dn.getInputBatchDimension()] = r.dims[dn.getOutputBatchDimension()];
    if (op.getFeatureGroupCount() == 1) {
      computed.dims[dn.getOutputFeatureDimension()] = r.dims[dn.getOutputFeatureDimension()];
      rhs.dims[dn.getKernelOutputFeatureDimension()] = r.dims[dn.getOutputFeatureDimension()];
    }
  }
  Value l = P.get(op.getLhs(), lhs), k = P.get(op.getRhs(), rhs);
  Operation *copy = P.cloneWith(op, {l, k}, {P.local(op.getType(), computed)});
  P.set(op.getResult(), copy->getResult(0), computed);
  return RuleResult::Done;
}

// optimization_barrier (remat) passes every value through as it is.
RuleResult optimizationBarrier(Partitioner &P, hlo::OptimizationBarrierOp op) {
  SmallVector<Value> operands;
  SmallVector<Type> types;
  SmallVector<Sharding> shardings;
  for (Value v : op->getOperands()) {
    Local l = P.lookup(v);
    operands.push_back(l.value);
    types.push_back(l.value.getType());
    shardings.push_back(l.sharding);
  }
  Operation *copy = P.cloneWith(op, operands, types);
  P.setResults(op, copy->getResults(), shardings);
  return RuleResult::Done;
}

} // namespace

RuleResult partitionDataMovement(Partitioner &P, Operation *op) {
  if (auto c = dyn_cast<hlo::ConvolutionOp>(op))
    return convolution(P, c);
  if (auto b = dyn_cast<hlo::OptimizationBarrierOp>(op))
    return optimizationBarrier(P, b);
  auto pass = passThrough(op);
  if (!pass)
    return RuleResult::NoRule;
  return passThroughRule(P, op, *pass);
}

} // namespace hlox::spmd
