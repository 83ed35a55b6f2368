//===- FusionOutline.cpp - hlox-fuse: clusters as hlox.fusion regions ------===//
//
// First every copy becomes an op of its own (a clone next to the original,
// read only by the cluster), so that clusters are disjoint sets of ops and
// can be outlined in any order. Then each cluster of at least two ops (not
// counting constants) becomes one hlox.fusion at the place of its last op:
// the values it reads are its operands (block arguments), the values read
// outside its results. Ops outside the cluster that sit between its ops and
// read its results move after the region (all of them side-effect free, or
// the cluster is left as it is). Originals of copies left without users go.
//
//===----------------------------------------------------------------------===//
#include "passes/native/Fusion.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using mlir::hlox::FusionKind;

namespace hlox::fusion {

static bool isConstant(Operation *op) {
  return op->getName().getStringRef() == "stablehlo.constant";
}

/// Replaces each cluster's copies by clones that the cluster owns. All clones
/// are made before any use is rewired: a copy whose original another cluster
/// owns must read what the original read (or this cluster's clone of it),
/// not the other cluster's clones, which would make it read that region.
static void materializeCopies(Clustering &c, llvm::SmallPtrSetImpl<Operation *> &originals) {
  std::vector<std::pair<SmallVector<Operation *>, SmallVector<Operation *>>> made(
      c.clusters.size());
  for (unsigned id = 0; id < c.clusters.size(); ++id) {
    Cluster &cluster = c.clusters[id];
    if (cluster.dead || cluster.copies.empty())
      continue;
    auto &[copies, clones] = made[id];
    copies.assign(cluster.copies.begin(), cluster.copies.end());
    llvm::sort(copies, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
    IRMapping mapping;
    for (Operation *original : copies) {
      OpBuilder builder(original->getContext());
      builder.setInsertionPointAfter(original);
      clones.push_back(builder.clone(*original, mapping));
      originals.insert(original);
    }
  }
  for (unsigned id = 0; id < c.clusters.size(); ++id) {
    Cluster &cluster = c.clusters[id];
    auto &[copies, clones] = made[id];
    // The cluster's own ops read the clones.
    for (auto [original, clone] : llvm::zip(copies, clones))
      for (unsigned i = 0; i < original->getNumResults(); ++i)
        original->getResult(i).replaceUsesWithIf(clone->getResult(i), [&](OpOperand &use) {
          Operation *holder = c.inBlock(use.getOwner());
          return holder && cluster.owned.contains(holder);
        });
    for (Operation *clone : clones) {
      cluster.owned.insert(clone);
      c.clusterOf[clone] = id;
    }
    cluster.copies.clear();
  }
}

static FusionKind kindOf(const Cluster &cluster, unsigned results) {
  bool contraction = false, reduce = false;
  for (Operation *op : cluster.owned) {
    contraction |= isContraction(op);
    reduce |= isFusibleReduce(op);
  }
  if (contraction)
    return FusionKind::output;
  if (cluster.kind == FusionKind::multi_output && results > 1)
    return FusionKind::multi_output;
  return reduce ? FusionKind::input : FusionKind::loop;
}

static void outline(Clustering &c, Cluster &cluster) {
  SmallVector<Operation *> ops(cluster.owned.begin(), cluster.owned.end());
  llvm::sort(ops, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  if (llvm::count_if(ops, [](Operation *op) { return !isConstant(op); }) < 2)
    return;
  const llvm::SetVector<Operation *> &owned = cluster.owned;
  auto isOwned = [&](Operation *op) {
    Operation *holder = c.inBlock(op);
    return holder && owned.contains(holder);
  };

  // Ops between the first and the last that read the cluster's results.
  llvm::SmallPtrSet<Operation *, 16> dependent;
  SmallVector<Operation *> moved;
  for (Operation *op = ops.front(); op != ops.back(); op = op->getNextNode()) {
    if (owned.contains(op))
      continue;
    bool reads = false;
    op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands())
        if (Operation *def = operand.getDefiningOp()) {
          Operation *holder = c.inBlock(def);
          reads |= holder && (owned.contains(holder) || dependent.contains(holder));
        }
    });
    if (!reads)
      continue;
    if (!isMemoryEffectFree(op) || op->hasTrait<OpTrait::IsTerminator>())
      return; // cannot move it: leave the cluster as it is
    dependent.insert(op);
    moved.push_back(op);
  }

  llvm::SetVector<Value> inputs;
  SmallVector<Value> outputs;
  for (Operation *op : ops) {
    op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands()) {
        if (op->isAncestor(operand.getParentRegion()->getParentOp()))
          continue;
        Operation *def = operand.getDefiningOp();
        if (!def || !isOwned(def))
          inputs.insert(operand);
      }
    });
    for (Value result : op->getResults())
      if (llvm::any_of(result.getUsers(), [&](Operation *user) { return !isOwned(user); }))
        outputs.push_back(result);
  }
  if (outputs.empty())
    return; // dead code: left to the canonicalizer
  // Operands: the block's arguments first, in order, then the others as read.
  SmallVector<Value> operands(inputs.begin(), inputs.end());
  llvm::stable_sort(operands, [&](Value a, Value b) {
    auto argA = dyn_cast<BlockArgument>(a), argB = dyn_cast<BlockArgument>(b);
    bool ownA = argA && argA.getOwner() == &c.block, ownB = argB && argB.getOwner() == &c.block;
    if (ownA && ownB)
      return argA.getArgNumber() < argB.getArgNumber();
    return ownA && !ownB;
  });

  SmallVector<Location> locations;
  for (Operation *op : ops)
    locations.push_back(op->getLoc());
  MLIRContext *context = ops.front()->getContext();
  Location loc = FusedLoc::get(context, locations);
  OpBuilder builder(context);
  builder.setInsertionPointAfter(ops.back());
  SmallVector<Type> resultTypes;
  for (Value output : outputs)
    resultTypes.push_back(output.getType());
  auto kind = mlir::hlox::FusionKindAttr::get(context, kindOf(cluster, outputs.size()));
  auto fusion = mlir::hlox::FusionOp::create(builder, loc, resultTypes, kind, operands);
  Block *body = new Block();
  fusion.getBody().push_back(body);
  IRMapping mapping;
  for (Value input : operands)
    mapping.map(input, body->addArgument(input.getType(), input.getLoc()));
  builder.setInsertionPointToStart(body);
  for (Operation *op : ops)
    builder.clone(*op, mapping);
  SmallVector<Value> yielded;
  for (Value output : outputs)
    yielded.push_back(mapping.lookup(output));
  mlir::hlox::YieldOp::create(builder, loc, yielded);

  for (auto [output, result] : llvm::zip(outputs, fusion.getResults()))
    output.replaceUsesWithIf(result, [&](OpOperand &use) { return !isOwned(use.getOwner()); });
  for (Operation *op : llvm::reverse(ops)) {
    c.clusterOf.erase(op);
    op->erase();
  }
  Operation *after = fusion;
  for (Operation *op : moved) {
    op->moveAfter(after);
    after = op;
  }
}

void outlineClusters(Clustering &c) {
  llvm::SmallPtrSet<Operation *, 16> originals;
  materializeCopies(c, originals);
  for (Cluster &cluster : c.clusters)
    if (!cluster.dead)
      outline(c, cluster);
  // Originals of copies that nothing reads any more.
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(c.block)))
    if (originals.contains(&op) && op.use_empty())
      op.erase();
}

} // namespace hlox::fusion
