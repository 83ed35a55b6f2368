//===- FusionClusters.cpp - hlox-fuse: clusters, growth, convexity ---------===//
//
// A cluster owns ops (moved into its region) and copies others (cheap
// producers also read outside, cloned into the region). Growth follows the
// rules of FusionLoop/FusionReduction/FusionContraction.cpp from each member
// to the producers of its operands, with a worklist: a producer refused
// because one of its users is outside is looked at again when that user
// joins. Every step keeps the cluster convex: no value leaving the cluster
// may reach, through ops outside it, an op that defines one of its inputs.
// Positions in the block bound that search (def before use).
//
//===----------------------------------------------------------------------===//
#include "passes/native/Fusion.h"

#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using mlir::hlox::FusionKind;

namespace hlox::fusion {

Clustering::Clustering(Block &block) : block(block) {
  unsigned index = 0;
  for (Operation &op : block)
    position[&op] = index++;
}

Operation *Clustering::inBlock(Operation *op) const { return block.findAncestorOpInBlock(*op); }

bool Clustering::usersOwnedBy(Operation *op, int id) const {
  for (Operation *user : op->getUsers()) {
    Operation *holder = inBlock(user);
    auto found = holder ? clusterOf.find(holder) : clusterOf.end();
    if (found == clusterOf.end() || found->second != id)
      return false;
  }
  return true;
}

/// The ops of the block that define the values the cluster reads from outside.
static llvm::SetVector<Operation *> inputDefiners(const Clustering &c,
                                                  const llvm::SetVector<Operation *> &owned,
                                                  const llvm::SetVector<Operation *> &copies,
                                                  unsigned *inputs) {
  llvm::SetVector<Operation *> definers;
  llvm::SetVector<Value> values;
  auto visit = [&](Operation *member) {
    member->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands()) {
        if (member->isAncestor(operand.getParentRegion()->getParentOp()))
          continue; // defined inside the member
        Operation *def = operand.getDefiningOp();
        Operation *holder = def ? c.inBlock(def) : nullptr;
        if (holder && (owned.contains(holder) || copies.contains(holder)))
          continue;
        values.insert(operand);
        if (holder)
          definers.insert(holder);
      }
    });
  };
  for (Operation *op : owned)
    visit(op);
  for (Operation *op : copies)
    visit(op);
  if (inputs)
    *inputs = values.size();
  return definers;
}

bool Clustering::isConvex(const llvm::SetVector<Operation *> &owned,
                          const llvm::SetVector<Operation *> &copies) const {
  llvm::SetVector<Operation *> targets = inputDefiners(*this, owned, copies, nullptr);
  unsigned last = 0;
  for (Operation *target : targets)
    last = std::max(last, position.lookup(target));
  if (targets.empty())
    return true;
  SmallVector<Operation *> stack;
  llvm::SmallPtrSet<Operation *, 32> seen;
  auto push = [&](Operation *op) {
    for (Value result : op->getResults())
      for (Operation *user : result.getUsers()) {
        Operation *holder = inBlock(user);
        if (holder && !owned.contains(holder) && position.lookup(holder) <= last &&
            seen.insert(holder).second)
          stack.push_back(holder);
      }
  };
  for (Operation *op : owned)
    push(op);
  while (!stack.empty()) {
    Operation *op = stack.pop_back_val();
    if (targets.contains(op))
      return false;
    push(op);
  }
  return true;
}

bool Clustering::withinLimits(const llvm::SetVector<Operation *> &owned,
                              const llvm::SetVector<Operation *> &copies) const {
  if (owned.size() + copies.size() > kMaxRegionOps)
    return false;
  unsigned inputs = 0;
  inputDefiners(*this, owned, copies, &inputs);
  return inputs <= kMaxRegionInputs;
}

int Clustering::newCluster(Operation *root, FusionKind kind) {
  clusters.emplace_back();
  clusters.back().kind = kind;
  clusters.back().owned.insert(root);
  clusterOf[root] = clusters.size() - 1;
  return clusters.size() - 1;
}

bool Clustering::absorb(int id, Operation *producer) {
  if (clusterOf.count(producer) || producer->getBlock() != &block)
    return false;
  Cluster &cluster = clusters[id];
  llvm::SetVector<Operation *> owned = cluster.owned, copies = cluster.copies;
  if (usersOwnedBy(producer, id)) {
    owned.insert(producer);
    copies.remove(producer);
    if (!isConvex(owned, copies) || !withinLimits(owned, copies))
      return false;
    if (cluster.copies.remove(producer))
      --copyCount[producer];
    cluster.owned.insert(producer);
    clusterOf[producer] = id;
    return true;
  }
  if (cluster.copies.contains(producer) || !isCheapToDuplicate(producer) ||
      copyCount.lookup(producer) >= kMaxCopies)
    return false;
  copies.insert(producer);
  if (!isConvex(owned, copies) || !withinLimits(owned, copies))
    return false;
  cluster.copies.insert(producer);
  ++copyCount[producer];
  return true;
}

void Clustering::grow(int id) {
  SmallVector<Operation *> worklist(clusters[id].owned.begin(), clusters[id].owned.end());
  while (!worklist.empty()) {
    Operation *member = worklist.pop_back_val();
    if (isContraction(member))
      continue; // no prologue (see FusionContraction.cpp)
    bool reduce = isFusibleReduce(member);
    for (Value operand : member->getOperands()) {
      Operation *producer = operand.getDefiningOp();
      if (!producer || producer->getBlock() != &block)
        continue;
      bool allowed;
      if (reduce)
        allowed = mayAbsorbReduceProducer(*this, id, member, producer);
      else if (isContraction(producer))
        allowed = mayAbsorbContraction(*this, id, producer);
      else
        allowed = mayAbsorbLoopProducer(*this, id, member, producer);
      if (!allowed || !absorb(id, producer))
        continue;
      if (isContraction(producer))
        clusters[id].kind = FusionKind::output;
      worklist.push_back(producer);
    }
  }
}

bool Clustering::merge(int into, int from) {
  Cluster &a = clusters[into], &b = clusters[from];
  llvm::SetVector<Operation *> owned = a.owned, copies = a.copies;
  owned.insert(b.owned.begin(), b.owned.end());
  copies.insert(b.copies.begin(), b.copies.end());
  for (Operation *op : owned)
    copies.remove(op);
  if (!isConvex(owned, copies) || !withinLimits(owned, copies))
    return false;
  for (Operation *op : b.owned)
    clusterOf[op] = into;
  for (Operation *op : a.copies)
    if (owned.contains(op))
      --copyCount[op];
  for (Operation *op : b.copies)
    if (owned.contains(op) || a.copies.contains(op))
      --copyCount[op];
  a.owned = std::move(owned);
  a.copies = std::move(copies);
  a.kind = FusionKind::multi_output;
  b.dead = true;
  b.owned.clear();
  b.copies.clear();
  return true;
}

} // namespace hlox::fusion
