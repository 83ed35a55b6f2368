//===- FusionSiblings.cpp - hlox-fuse: multi-output fusion -----------------===//
//
// After the single-output clusters are formed, two merges give regions with
// several results (kind multi_output):
//
// - producer-consumer: a loop cluster whose result a reduction or loop
//   cluster reads over the same shape and that is also read elsewhere
//   (softmax's exp(x - max): summed, then divided) joins its reader, which
//   then also yields it: the value is computed once, in the pass that reads
//   it, and not read back;
// - siblings: reduction clusters reading one value over the same shape and
//   dimensions (layernorm's sum(x) and sum(x*x)) become one region with one
//   result per reduction.
//
// Either merge is refused when the union would not be convex or too large.
//
//===----------------------------------------------------------------------===//
#include "passes/native/Fusion.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using mlir::hlox::FusionKind;

namespace hlox::fusion {

/// The reduce a reduction cluster is built around (null if none).
static Operation *reduceOf(const Cluster &cluster) {
  for (Operation *op : cluster.owned)
    if (isFusibleReduce(op))
      return op;
  return nullptr;
}

static bool sameIterationSpace(Operation *a, Operation *b) {
  return cast<ShapedType>(reduceInputs(a).front().getType()).getShape() ==
             cast<ShapedType>(reduceInputs(b).front().getType()).getShape() &&
         a->getAttr("dimensions") == b->getAttr("dimensions");
}

/// Neither cluster reads the other (siblings, not a producer and its consumer:
/// a reduction of a reduction's result needs the first one finished).
static bool independent(const Clustering &c, unsigned a, unsigned b) {
  for (unsigned from : {a, b})
    for (Operation *op : c.clusters[from].owned)
      for (Value operand : op->getOperands()) {
        Operation *def = operand.getDefiningOp();
        auto found = def ? c.clusterOf.find(def) : c.clusterOf.end();
        if (found != c.clusterOf.end() && found->second == int(from == a ? b : a))
          return false;
      }
  return true;
}

/// The shape a reduction or loop cluster iterates over (its reduce's input,
/// or its root's result); none for an output cluster.
static std::optional<ArrayRef<int64_t>> iterationShape(const Cluster &cluster) {
  if (Operation *reduce = reduceOf(cluster))
    return cast<ShapedType>(reduceInputs(reduce).front().getType()).getShape();
  if (cluster.kind != FusionKind::loop || cluster.owned.empty())
    return std::nullopt;
  return cast<ShapedType>(cluster.owned.front()->getResult(0).getType()).getShape();
}

void mergeMultiOutput(Clustering &c) {
  // Producer-consumer: a loop cluster into the reduction or loop that reads
  // it over the same shape.
  // Reductions first: a value both reduced and read elsewhere is best
  // computed in the reduction's pass.
  for (bool reductions : {true, false})
  for (unsigned id = 0; id < c.clusters.size(); ++id) {
    if (c.clusters[id].dead || (reduceOf(c.clusters[id]) != nullptr) != reductions)
      continue;
    std::optional<ArrayRef<int64_t>> shape = iterationShape(c.clusters[id]);
    if (!shape)
      continue;
    SmallVector<Operation *> members(c.clusters[id].owned.begin(), c.clusters[id].owned.end());
    for (Operation *member : members)
      for (Value operand : member->getOperands()) {
        Operation *producer = operand.getDefiningOp();
        auto found = producer ? c.clusterOf.find(producer) : c.clusterOf.end();
        if (found == c.clusterOf.end() || found->second == (int)id)
          continue;
        Cluster &other = c.clusters[found->second];
        if (other.dead || other.kind != FusionKind::loop ||
            cast<ShapedType>(operand.getType()).getShape() != *shape)
          continue;
        c.merge(id, found->second);
      }
  }
  // Siblings: reductions of one value over the same iteration space.
  for (unsigned a = 0; a < c.clusters.size(); ++a) {
    if (c.clusters[a].dead || !reduceOf(c.clusters[a]))
      continue;
    for (unsigned b = a + 1; b < c.clusters.size(); ++b) {
      if (c.clusters[b].dead || !reduceOf(c.clusters[b]) ||
          !sameIterationSpace(reduceOf(c.clusters[a]), reduceOf(c.clusters[b])))
        continue;
      bool shared = false;
      for (Operation *op : c.clusters[a].owned)
        for (Value operand : op->getOperands()) {
          Operation *def = operand.getDefiningOp();
          if (def && c.clusterOf.lookup(def) == (int)a && c.clusterOf.count(def))
            continue;
          for (Operation *user : operand.getUsers()) {
            Operation *holder = c.inBlock(user);
            shared |= holder && c.clusterOf.count(holder) && c.clusterOf.lookup(holder) == (int)b;
          }
        }
      if (shared && independent(c, a, b))
        c.merge(a, b);
    }
  }
}

} // namespace hlox::fusion
