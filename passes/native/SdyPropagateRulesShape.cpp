//===- SdyPropagateRulesShape.cpp - elementwise and data-movement rules ---===//
//
//   elementwise (also select, clamp with scalar operands, map, bitcast_convert
//   of one width)          every dimension is one factor shared by all
//   broadcast_in_dim       an operand dimension shares its result dimension's
//                          factor unless it is expanded (size 1 -> n)
//   transpose              permuted factors
//   reshape                factors from the common refinement of both shapes:
//                          a split/merged dimension is made of the other
//                          side's dimensions as factors, major-most first
//                          (so only the major-most factor carries an axis
//                          unless it is split exactly); where sizes share no
//                          factor the dimensions are unrelated
//   slice, pad, dynamic_slice, reverse
//                          only pass-through dimensions (taken whole,
//                          unpadded, not reversed) are related; the sliced,
//                          padded or reversed dimension is not
//   concatenate            every dimension but the concatenated one
//   dynamic_update_slice   operand and result alike; the update shares the
//                          dimensions it covers whole
//   iota, constant         no rule: their results take their users' sharding
//
//===----------------------------------------------------------------------===//
#include "passes/native/SdyPropagation.h"

#include "dialects/stablehlo/StablehloOps.h"

#include "llvm/ADT/TypeSwitch.h"

#include <numeric>

using namespace hlox::sdy_propagation;
using namespace mlir;
using llvm::SmallVectorImpl;

namespace {

/// A rule over `operand` and `result` where operand dim i and result dim
/// `toResult[i]` share a factor (-1: unrelated).
Rule pairRule(PropagationState &state, Value operand, Value result,
              ArrayRef<int64_t> toResult) {
  Rule rule;
  int in = addValue(rule, state, operand), out = addValue(rule, state, result);
  if (in < 0 || out < 0)
    return Rule();
  ArrayRef<int64_t> shape = shapeOf(operand);
  for (auto [d, r] : llvm::enumerate(toResult)) {
    if (r < 0 || shape[d] == 1)
      continue;
    unsigned f = rule.addFactor(shape[d]);
    rule.map(in, d, f);
    rule.map(out, r, f);
  }
  return rule;
}

/// Identity mapping except for the dimensions where `keep` is false.
SmallVector<int64_t> passThrough(unsigned rank, llvm::function_ref<bool(unsigned)> keep) {
  SmallVector<int64_t> map;
  for (unsigned d = 0; d < rank; ++d)
    map.push_back(keep(d) ? int64_t(d) : -1);
  return map;
}

Rule broadcastRule(stablehlo::BroadcastInDimOp op, PropagationState &state) {
  ArrayRef<int64_t> in = shapeOf(op.getOperand()), out = shapeOf(op.getResult());
  SmallVector<int64_t> map;
  for (auto [d, r] : llvm::enumerate(op.getBroadcastDimensions()))
    map.push_back(in[d] == out[r] ? r : -1);
  return pairRule(state, op.getOperand(), op.getResult(), map);
}

Rule transposeRule(stablehlo::TransposeOp op, PropagationState &state) {
  ArrayRef<int64_t> perm = op.getPermutation();
  SmallVector<int64_t> map(perm.size());
  for (auto [r, d] : llvm::enumerate(perm))
    map[d] = r;
  return pairRule(state, op.getOperand(), op.getResult(), map);
}

/// Reshape: walk both shapes, peeling common factors (gcd) off the current
/// operand and result dimensions; size-1 dimensions take no factor. When the
/// current sizes are coprime the rest of that group of dimensions (up to the
/// next point where the products agree) stays unrelated.
Rule reshapeRule(stablehlo::ReshapeOp op, PropagationState &state) {
  Rule rule;
  int in = addValue(rule, state, op.getOperand()), out = addValue(rule, state, op.getResult());
  if (in < 0 || out < 0)
    return Rule();
  ArrayRef<int64_t> a = shapeOf(op.getOperand()), b = shapeOf(op.getResult());
  size_t i = 0, j = 0;
  int64_t ra = a.empty() ? 1 : a[0], rb = b.empty() ? 1 : b[0]; // left of a[i], b[j]
  while (true) {
    while (ra == 1 && i < a.size())
      ra = ++i < a.size() ? a[i] : 1;
    while (rb == 1 && j < b.size())
      rb = ++j < b.size() ? b[j] : 1;
    if (i >= a.size() || j >= b.size())
      break;
    int64_t g = std::gcd(ra, rb);
    if (g > 1) {
      unsigned f = rule.addFactor(g);
      rule.map(in, i, f);
      rule.map(out, j, f);
      ra /= g, rb /= g;
      continue;
    }
    // Coprime: skip to the next boundary where both sides have covered the
    // same number of elements.
    int64_t pa = ra, pb = rb;
    ++i, ++j;
    while (pa != pb) {
      if (pa < pb) {
        if (i >= a.size())
          return rule;
        pa *= a[i++];
      } else {
        if (j >= b.size())
          return rule;
        pb *= b[j++];
      }
    }
    ra = i < a.size() ? a[i] : 1;
    rb = j < b.size() ? b[j] : 1;
  }
  return rule;
}

Rule sliceRule(stablehlo::SliceOp op, PropagationState &state) {
  ArrayRef<int64_t> shape = shapeOf(op.getOperand());
  auto start = op.getStartIndices(), limit = op.getLimitIndices(), stride = op.getStrides();
  return pairRule(state, op.getOperand(), op.getResult(),
                  passThrough(shape.size(), [&](unsigned d) {
                    return start[d] == 0 && limit[d] == shape[d] && stride[d] == 1;
                  }));
}

Rule padRule(stablehlo::PadOp op, PropagationState &state) {
  auto lo = op.getEdgePaddingLow(), hi = op.getEdgePaddingHigh(), in = op.getInteriorPadding();
  return pairRule(state, op.getOperand(), op.getResult(),
                  passThrough(lo.size(), [&](unsigned d) {
                    return lo[d] == 0 && hi[d] == 0 && in[d] == 0;
                  }));
}

Rule dynamicSliceRule(stablehlo::DynamicSliceOp op, PropagationState &state) {
  ArrayRef<int64_t> shape = shapeOf(op.getOperand());
  auto sizes = op.getSliceSizes();
  return pairRule(state, op.getOperand(), op.getResult(),
                  passThrough(shape.size(), [&](unsigned d) { return sizes[d] == shape[d]; }));
}

Rule reverseRule(stablehlo::ReverseOp op, PropagationState &state) {
  auto reversed = op.getDimensions();
  return pairRule(state, op.getOperand(), op.getResult(),
                  passThrough(shapeOf(op.getOperand()).size(),
                              [&](unsigned d) { return !llvm::is_contained(reversed, d); }));
}

Rule concatenateRule(stablehlo::ConcatenateOp op, PropagationState &state) {
  Rule rule;
  SmallVector<int> members;
  for (Value v : op.getInputs())
    members.push_back(addValue(rule, state, v));
  members.push_back(addValue(rule, state, op.getResult()));
  for (auto [d, size] : llvm::enumerate(shapeOf(op.getResult()))) {
    if (size == 1 || d == op.getDimension())
      continue;
    unsigned f = rule.addFactor(size);
    for (int t : members)
      if (t >= 0)
        rule.map(t, d, f);
  }
  return rule;
}

Rule dynamicUpdateSliceRule(stablehlo::DynamicUpdateSliceOp op, PropagationState &state) {
  Rule rule = elementwiseRule(state, {op.getOperand(), op.getResult()});
  int update = addValue(rule, state, op.getUpdate());
  if (update < 0 || rule.tensors.size() < 3)
    return rule;
  ArrayRef<int64_t> shape = shapeOf(op.getOperand()), upd = shapeOf(op.getUpdate());
  // elementwiseRule made factor k for the k-th dimension of size > 1.
  unsigned f = 0;
  for (unsigned d = 0; d < shape.size(); ++d) {
    if (shape[d] == 1)
      continue;
    if (upd[d] == shape[d])
      rule.map(update, d, f);
    ++f;
  }
  return rule;
}

} // namespace

Rule hlox::sdy_propagation::elementwiseRule(PropagationState &state, ArrayRef<Value> values,
                                            ArrayRef<int64_t> unrelated) {
  Rule rule;
  ArrayRef<int64_t> shape;
  for (Value v : values)
    if (auto type = llvm::dyn_cast<RankedTensorType>(v.getType()))
      if (type.getRank() > int64_t(shape.size()))
        shape = type.getShape();
  if (shape.empty())
    return rule;
  SmallVector<int> members;
  for (Value v : values) {
    auto type = llvm::dyn_cast<RankedTensorType>(v.getType());
    if (type && type.getShape() == shape)
      members.push_back(addValue(rule, state, v));
  }
  for (auto [d, size] : llvm::enumerate(shape)) {
    if (size == 1 || llvm::is_contained(unrelated, int64_t(d)))
      continue;
    unsigned f = rule.addFactor(size);
    for (int t : members)
      if (t >= 0)
        rule.map(t, d, f);
  }
  return rule;
}

bool hlox::sdy_propagation::buildShapeRules(Operation *op, PropagationState &state,
                                            SmallVectorImpl<Rule> &rules) {
  bool elementwise = (op->hasTrait<OpTrait::Elementwise>() && op->getDialect() &&
                      op->getDialect()->getNamespace() == "stablehlo") ||
                     isa<stablehlo::SelectOp, stablehlo::ClampOp, stablehlo::BitcastConvertOp,
                         stablehlo::MapOp>(op);
  if (elementwise) {
    SmallVector<Value> values(op->getOperands());
    llvm::append_range(values, op->getResults());
    rules.push_back(elementwiseRule(state, values));
    return true;
  }
  return llvm::TypeSwitch<Operation *, bool>(op)
      .Case([&](stablehlo::BroadcastInDimOp o) { return rules.push_back(broadcastRule(o, state)), true; })
      .Case([&](stablehlo::TransposeOp o) { return rules.push_back(transposeRule(o, state)), true; })
      .Case([&](stablehlo::ReshapeOp o) { return rules.push_back(reshapeRule(o, state)), true; })
      .Case([&](stablehlo::SliceOp o) { return rules.push_back(sliceRule(o, state)), true; })
      .Case([&](stablehlo::PadOp o) { return rules.push_back(padRule(o, state)), true; })
      .Case([&](stablehlo::DynamicSliceOp o) { return rules.push_back(dynamicSliceRule(o, state)), true; })
      .Case([&](stablehlo::ReverseOp o) { return rules.push_back(reverseRule(o, state)), true; })
      .Case([&](stablehlo::DynamicUpdateSliceOp o) {
        return rules.push_back(dynamicUpdateSliceRule(o, state)), true;
      })
      .Case([&](stablehlo::ConcatenateOp o) { return rules.push_back(concatenateRule(o, state)), true; })
      .Case<stablehlo::IotaOp, stablehlo::ConstantOp>([](Operation *) { return true; })
      .Default([](Operation *) { return false; });
}
