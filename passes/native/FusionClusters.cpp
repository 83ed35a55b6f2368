//===- FusionClusters.cpp - hlox-fuse: clusters, growth, convexity ---------===//
//
// A cluster owns ops (moved into its region) and copies others (cheap
// producers also read outside, cloned into the region). Growth follows the
// rules of FusionLoop/FusionReduction/FusionContraction.cpp from each member
// to the producers of its operands, with a worklist: a producer refused
// because one of its users is outside is looked at again when that user
// joins. Every step keeps the cluster convex: no value leaving the cluster
// may reach, through ops or other clusters outside it, an op that defines
// one of its inputs. Another cluster is one node there (it becomes one op):
// reaching any of its ops (or an op copied into it) reaches all its results.
// Copies are followed as FusionOutline.cpp builds them: a clone reads the
// original's operands, or its own cluster's clones of them, so an op copied
// into cluster Y whose producer another cluster owns makes Y read that
// cluster (even when the op itself is owned by a third one), and an op that
// reads its cluster's clone of a value does not read the value.
// Positions in the block bound that search: between plain ops a path only
// goes forward, and only a cluster that starts at or before the bound can
// lead back to it, from anywhere up to its last op (searchBound).
//
//===----------------------------------------------------------------------===//
#include "passes/native/Fusion.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using mlir::hlox::FusionKind;

namespace hlox::fusion {

Clustering::Clustering(Block &block) : block(block) {
  unsigned index = 0;
  for (Operation &op : block)
    position[&op] = index++;
  reach.assign(index + 1, 0);
}

void Clustering::span(int id, Operation *op) {
  Cluster &cluster = clusters[id];
  unsigned at = position.lookup(op);
  cluster.first = std::min(cluster.first, at);
  cluster.last = std::max(cluster.last, at);
  for (unsigned i = cluster.first + 1; i < reach.size(); i += i & -i)
    reach[i] = std::max(reach[i], cluster.last);
}

unsigned Clustering::searchBound(unsigned last) const {
  for (;;) {
    unsigned next = last;
    for (unsigned i = last + 1; i > 0; i -= i & -i)
      next = std::max(next, reach[i]);
    if (next == last)
      return last;
    last = next;
  }
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
                          const llvm::SetVector<Operation *> &copies, ArrayRef<int> ids) const {
  llvm::SetVector<Operation *> targets = inputDefiners(*this, owned, copies, nullptr);
  if (targets.empty())
    return true;
  unsigned last = 0;
  llvm::SmallDenseSet<int, 8> targetClusters;
  for (Operation *target : targets) {
    last = std::max(last, position.lookup(target));
    auto found = clusterOf.find(target);
    if (found != clusterOf.end())
      targetClusters.insert(found->second);
  }
  unsigned bound = searchBound(last);
  SmallVector<Operation *> stack;
  SmallVector<int> reachedClusters;
  llvm::SmallPtrSet<Operation *, 32> seen;
  llvm::SmallDenseSet<int, 8> entered;
  entered.insert(ids.begin(), ids.end());
  // Whether cluster `id` reads its own clone of `op` (not `op` itself).
  auto clones = [&](int id, Operation *op) {
    if (llvm::is_contained(ids, id))
      return copies.contains(op);
    return llvm::is_contained(copiedInto.lookup(op), id);
  };
  // `op`'s results are reached: so are the ops that read them (unless they
  // read a clone of `op` of their cluster) and the clusters holding a clone
  // of such a reader (unless they also hold one of `op`).
  auto push = [&](Operation *op) {
    for (Value result : op->getResults())
      for (Operation *user : result.getUsers()) {
        Operation *holder = inBlock(user);
        if (!holder)
          continue;
        auto copied = copiedInto.find(holder);
        if (copied != copiedInto.end())
          for (int id : copied->second)
            if (!clones(id, op))
              reachedClusters.push_back(id);
        auto found = clusterOf.find(holder);
        if (owned.contains(holder) || (found != clusterOf.end() && clones(found->second, op)))
          continue;
        if (position.lookup(holder) <= bound && seen.insert(holder).second)
          stack.push_back(holder);
      }
  };
  // Reaching cluster `id` reaches every op it reads into (a target, when it
  // holds one) and every user of its results. False on a cycle.
  auto enter = [&](int id) {
    if (!entered.insert(id).second)
      return true;
    if (targetClusters.contains(id))
      return false;
    for (Operation *member : clusters[id].owned)
      push(member);
    return true;
  };
  for (Operation *op : owned)
    push(op);
  while (!stack.empty() || !reachedClusters.empty()) {
    if (!reachedClusters.empty()) {
      if (!enter(reachedClusters.pop_back_val()))
        return false;
      continue;
    }
    Operation *op = stack.pop_back_val();
    if (targets.contains(op))
      return false;
    auto found = clusterOf.find(op);
    if (found != clusterOf.end()) {
      if (!enter(found->second))
        return false;
      continue;
    }
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
  int id = clusters.size() - 1;
  clusterOf[root] = id;
  span(id, root);
  return id;
}

bool Clustering::absorb(int id, Operation *producer) {
  if (clusterOf.count(producer) || producer->getBlock() != &block)
    return false;
  Cluster &cluster = clusters[id];
  llvm::SetVector<Operation *> owned = cluster.owned, copies = cluster.copies;
  if (usersOwnedBy(producer, id)) {
    owned.insert(producer);
    copies.remove(producer);
    if (!isConvex(owned, copies, {id}) || !withinLimits(owned, copies))
      return false;
    if (cluster.copies.remove(producer))
      llvm::erase(copiedInto[producer], id);
    cluster.owned.insert(producer);
    clusterOf[producer] = id;
    span(id, producer);
    return true;
  }
  if (cluster.copies.contains(producer) || !isCheapToDuplicate(producer) ||
      copiedInto.lookup(producer).size() >= kMaxCopies)
    return false;
  copies.insert(producer);
  if (!isConvex(owned, copies, {id}) || !withinLimits(owned, copies))
    return false;
  cluster.copies.insert(producer);
  copiedInto[producer].push_back(id);
  span(id, producer);
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
  if (!isConvex(owned, copies, {into, from}) || !withinLimits(owned, copies))
    return false;
  for (Operation *op : b.owned)
    clusterOf[op] = into;
  // Every copy now belongs to `into` once (or to nothing, once owned).
  for (Operation *op : a.copies)
    llvm::erase(copiedInto[op], into);
  for (Operation *op : b.copies)
    llvm::erase(copiedInto[op], from);
  for (Operation *op : copies)
    copiedInto[op].push_back(into);
  a.owned = std::move(owned);
  a.copies = std::move(copies);
  a.kind = FusionKind::multi_output;
  for (Operation *op : b.owned)
    span(into, op);
  for (Operation *op : b.copies)
    span(into, op);
  b.dead = true;
  b.owned.clear();
  b.copies.clear();
  return true;
}

} // namespace hlox::fusion
