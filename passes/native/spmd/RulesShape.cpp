//===- RulesShape.cpp - elementwise, broadcast, transpose, reshape, iota, constant
//
// Elementwise ops compute in their result's sharding (operands resharded to
// it; rank-0 operands replicated). broadcast_in_dim and transpose map the
// result's axes back to operand dimensions. reshape keeps a split when it
// lands on the major (first non-unit) dimension of a merged/split group and
// divides both sides evenly; other groups are computed replicated. iota adds
// the partition's chunk offset; constants are sliced per partition.
//
//===----------------------------------------------------------------------===//
#include "passes/native/spmd/Partitioner.h"

using namespace mlir;
namespace hlo = mlir::stablehlo;

namespace hlox::spmd {

namespace {

Sharding replicatedLike(Value v) {
  auto t = Partitioner::globalType(v);
  return Sharding::replicated(t ? t.getRank() : 0);
}

// One operand, resharded to `operandWant`; the result computed in `computed`.
RuleResult oneOperand(Partitioner &P, Operation *op, const Sharding &operandWant,
                      const Sharding &computed) {
  Value operand = P.get(op->getOperand(0), operandWant);
  auto type = Partitioner::globalType(op->getResult(0));
  Operation *copy = P.cloneWith(op, {operand}, {P.local(type, computed)});
  P.set(op->getResult(0), copy->getResult(0), computed);
  return RuleResult::Done;
}

RuleResult elementwise(Partitioner &P, Operation *op) {
  Sharding r = P.annotated(op, 0);
  SmallVector<Value> operands;
  for (Value v : op->getOperands()) {
    auto t = Partitioner::globalType(v);
    operands.push_back(P.get(v, t && t.getRank() == 0 ? replicatedLike(v) : r));
  }
  SmallVector<Type> types;
  for (Value res : op->getResults())
    types.push_back(P.local(Partitioner::globalType(res), r));
  Operation *copy = P.cloneWith(op, operands, types);
  P.setResults(op, copy->getResults(), SmallVector<Sharding>(op->getNumResults(), r));
  return RuleResult::Done;
}

RuleResult broadcastInDim(Partitioner &P, hlo::BroadcastInDimOp op) {
  Sharding r = P.annotated(op, 0);
  auto in = op.getOperand().getType();
  auto out = op.getType();
  Sharding o = Sharding::replicated(in.getRank());
  for (auto [i, d] : llvm::enumerate(op.getBroadcastDimensions()))
    if (in.getDimSize(i) == out.getDimSize(d))
      o.dims[i] = r.dims[d];
  return oneOperand(P, op, o, r);
}

RuleResult transpose(Partitioner &P, hlo::TransposeOp op) {
  Sharding r = P.annotated(op, 0);
  Sharding o = Sharding::replicated(r.dims.size());
  for (auto [i, p] : llvm::enumerate(op.getPermutation()))
    o.dims[p] = r.dims[i];
  return oneOperand(P, op, o, r);
}

RuleResult reshape(Partitioner &P, hlo::ReshapeOp op) {
  Sharding r = P.annotated(op, 0);
  auto inType = cast<RankedTensorType>(op.getOperand().getType());
  ArrayRef<int64_t> in = inType.getShape(), out = op.getType().getShape();
  Sharding o = Sharding::replicated(in.size()), computed = Sharding::replicated(out.size());
  // Groups of operand dims [i0, i) and result dims [j0, j) with equal products.
  size_t i = 0, j = 0;
  while (i < in.size() || j < out.size()) {
    size_t i0 = i, j0 = j;
    int64_t pi = 1, pj = 1;
    if (i < in.size())
      pi = in[i++];
    if (j < out.size())
      pj = out[j++];
    while (pi != pj) {
      if (pi < pj && i < in.size())
        pi *= in[i++];
      else if (j < out.size())
        pj *= out[j++];
      else
        break;
    }
    // Trailing unit dims join the group.
    while (i < in.size() && in[i] == 1 && (j == out.size() || out[j] != 1))
      ++i;
    while (j < out.size() && out[j] == 1 && (i == in.size() || in[i] != 1))
      ++j;
    size_t im = i0, jm = j0;
    while (im < i && in[im] == 1)
      ++im;
    while (jm < j && out[jm] == 1)
      ++jm;
    if (im == i || jm == j)
      continue;
    bool onlyMajor = true;
    for (size_t k = j0; k < j; ++k)
      if (k != jm && !r.dims[k].empty())
        onlyMajor = false;
    const DimAxes &axes = r.dims[jm];
    int64_t n = product(axes);
    if (!axes.empty() && onlyMajor && out[jm] % n == 0 && in[im] % n == 0) {
      o.dims[im] = axes;
      computed.dims[jm] = axes;
    }
  }
  return oneOperand(P, op, o, computed);
}

RuleResult iota(Partitioner &P, hlo::IotaOp op) {
  Sharding r = P.annotated(op, 0);
  auto local = P.local(op.getType(), r);
  Location loc = op.getLoc();
  Value v = P.cloneWith(op, {}, {local})->getResult(0);
  int64_t d = op.getIotaDimension();
  if (!r.dims[d].empty()) {
    Value start = P.chunkStart(loc, r.dims[d], local.getDimSize(d));
    Type element = local.getElementType();
    if (element != P.builder.getI32Type())
      start = hlo::ConvertOp::create(P.builder, loc, RankedTensorType::get({}, element), start);
    Value offset = hlo::BroadcastInDimOp::create(P.builder, loc, local, start, ArrayRef<int64_t>{});
    v = hlo::AddOp::create(P.builder, loc, v, offset);
  }
  P.set(op.getResult(), v, r);
  return RuleResult::Done;
}

RuleResult constant(Partitioner &P, hlo::ConstantOp op) {
  Sharding r = P.annotated(op, 0);
  auto type = Partitioner::globalType(op.getResult());
  if (!type) {
    P.set(op.getResult(), P.cloneWith(op, {}, {op.getType()})->getResult(0), Sharding());
    return RuleResult::Done;
  }
  auto dense = dyn_cast<DenseElementsAttr>(op.getValue());
  if (dense && dense.isSplat() && !r.isReplicated()) {
    auto local = P.local(type, r);
    Value v = hlo::ConstantOp::create(P.builder, op.getLoc(), dense.resizeSplat(local));
    P.set(op.getResult(), v, r);
    return RuleResult::Done;
  }
  Value global = P.cloneWith(op, {}, {type})->getResult(0);
  P.set(op.getResult(), global, Sharding::replicated(type.getRank()));
  return RuleResult::Done;
}

} // namespace

RuleResult partitionElementwise(Partitioner &P, Operation *op) {
  if (!op->hasTrait<OpTrait::Elementwise>() || op->getNumResults() == 0 ||
      !Partitioner::globalType(op->getResult(0)))
    return RuleResult::NoRule;
  // Same shape everywhere (scalars aside), or the local types would differ.
  ArrayRef<int64_t> shape = Partitioner::globalType(op->getResult(0)).getShape();
  for (Value v : llvm::concat<Value>(op->getOperands(), op->getResults())) {
    auto t = Partitioner::globalType(v);
    if (!t || (t.getRank() != 0 && t.getShape() != shape))
      return RuleResult::NoRule;
  }
  return elementwise(P, op);
}

RuleResult partitionShapeOp(Partitioner &P, Operation *op) {
  if (auto b = dyn_cast<hlo::BroadcastInDimOp>(op))
    return broadcastInDim(P, b);
  if (auto t = dyn_cast<hlo::TransposeOp>(op))
    return transpose(P, t);
  if (auto r = dyn_cast<hlo::ReshapeOp>(op))
    return reshape(P, r);
  if (auto i = dyn_cast<hlo::IotaOp>(op))
    return iota(P, i);
  if (auto c = dyn_cast<hlo::ConstantOp>(op))
    return constant(P, c);
  return RuleResult::NoRule;
}

} // namespace hlox::spmd
