//===- FusionPass.cpp - hlox-fuse: the pass (see Fusion.h) -----------------===//
//
// Fuses the ops of every function body and of the bodies of while/if/case
// (not the scalar bodies of reduce, sort, scatter...). In each block the ops
// are visited last to first: an op that may start a cluster (a loop op or a
// reduce not yet in one; contractions only join their epilogue's) starts one
// and grows it through its producers; then the multi-output merges; then the
// clustered block is checked acyclic (Kahn's topological sort, each live
// cluster one node: then every region can be placed after the ops it reads
// and before the ops that read it), the regions are built, and the block is
// checked again (every value defined before its uses): the pass fails with an
// error on the op concerned rather than leave a region that breaks dominance.
//
//===----------------------------------------------------------------------===//
#include "passes/native/Fusion.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using mlir::hlox::FusionKind;

namespace hlox::fusion {
namespace {

LogicalResult fuseBlock(Block &block) {
  Clustering c(block);
  SmallVector<Operation *> ops;
  for (Operation &op : block)
    ops.push_back(&op);
  for (Operation *op : llvm::reverse(ops)) {
    if (c.clusterOf.count(op))
      continue;
    if (isFusibleReduce(op))
      c.grow(c.newCluster(op, FusionKind::input));
    else if (isLoopOp(op) && op->getName().getStringRef() != "stablehlo.constant")
      c.grow(c.newCluster(op, FusionKind::loop));
  }
  mergeMultiOutput(c);
  if (failed(verifyAcyclic(c)))
    return failure();
  outlineClusters(c);
  return verifyDefsBeforeUses(block);
}

struct Fuse : PassWrapper<Fuse, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(Fuse)

  StringRef getArgument() const final { return "hlox-fuse"; }
  StringRef getDescription() const final {
    return "Group StableHLO ops into hlox.fusion regions (loop, input, output, multi_output), "
           "each compiled as one kernel";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<mlir::hlox::HloxDialect>();
  }

  void runOnOperation() override {
    static const llvm::StringSet<> structured = {"stablehlo.while", "stablehlo.if",
                                                 "stablehlo.case"};
    SmallVector<Block *> blocks;
    getOperation()->walk([&](Operation *op) {
      if (!isa<func::FuncOp>(op) && !structured.contains(op->getName().getStringRef()))
        return;
      for (Region &region : op->getRegions())
        for (Block &block : region)
          blocks.push_back(&block);
    });
    for (Block *block : blocks)
      if (failed(fuseBlock(*block)))
        return signalPassFailure();
  }
};

/// hlox-inline-fusions: every hlox.fusion replaced by the ops of its body.
struct InlineFusions : PassWrapper<InlineFusions, OperationPass<>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(InlineFusions)

  StringRef getArgument() const final { return "hlox-inline-fusions"; }
  StringRef getDescription() const final {
    return "Replace every hlox.fusion region by its ops (for backends that do not "
           "compile regions as kernels)";
  }

  void runOnOperation() override {
    SmallVector<mlir::hlox::FusionOp> fusions;
    getOperation()->walk([&](mlir::hlox::FusionOp op) { fusions.push_back(op); });
    for (mlir::hlox::FusionOp fusion : fusions)
      inlineFusion(fusion);
  }
};

} // namespace

LogicalResult verifyAcyclic(const Clustering &c) {
  // Nodes: the block's ops by position, then the clusters (N + id).
  unsigned n = c.position.size();
  auto nodeOf = [&](Operation *op) {
    auto found = c.clusterOf.find(op);
    return found == c.clusterOf.end() ? c.position.lookup(op) : n + found->second;
  };
  std::vector<SmallVector<unsigned, 4>> successors(n + c.clusters.size());
  std::vector<unsigned> predecessors(successors.size(), 0);
  std::vector<Operation *> ops(n);
  for (Operation &op : c.block) {
    ops[c.position.lookup(&op)] = &op;
    // The op's node reads its operands, and so does each clone of it.
    SmallVector<unsigned, 4> readers = {nodeOf(&op)};
    auto copied = c.copiedInto.find(&op);
    if (copied != c.copiedInto.end())
      for (int id : copied->second)
        readers.push_back(n + id);
    op.walk([&](Operation *nested) {
      for (Value operand : nested->getOperands()) {
        Operation *def = operand.getDefiningOp();
        Operation *holder = def ? c.inBlock(def) : nullptr;
        if (!holder || holder == &op)
          continue;
        unsigned from = nodeOf(holder);
        // A cluster holding a clone of `holder` reads that clone instead.
        SmallVector<int, 2> clonedBy = c.copiedInto.lookup(holder);
        for (unsigned to : readers)
          if (from != to && !(to >= n && llvm::is_contained(clonedBy, int(to - n)))) {
            successors[from].push_back(to);
            ++predecessors[to];
          }
      }
    });
  }
  // Nodes that take part: the ops no cluster owns, and the live clusters.
  SmallVector<unsigned> ready;
  unsigned nodes = 0, sorted = 0;
  for (unsigned node = 0; node < successors.size(); ++node) {
    bool live = node < n ? !c.clusterOf.count(ops[node]) : !c.clusters[node - n].dead;
    if (!live)
      continue;
    ++nodes;
    if (predecessors[node] == 0)
      ready.push_back(node);
  }
  while (!ready.empty()) {
    unsigned node = ready.pop_back_val();
    ++sorted;
    for (unsigned next : successors[node])
      if (--predecessors[next] == 0)
        ready.push_back(next);
  }
  if (sorted == nodes)
    return success();
  // A cluster left with predecessors lies on (or after) a cycle.
  for (unsigned id = 0; id < c.clusters.size(); ++id)
    if (!c.clusters[id].dead && predecessors[n + id] > 0)
      return c.clusters[id].owned.front()->emitError(
          "hlox-fuse: the fusion clusters of this block read each other in a cycle "
          "(a bug in hlox-fuse's convexity check): they cannot be ordered as regions");
  return c.block.getParentOp()->emitError(
      "hlox-fuse: the block's ops read each other in a cycle");
}

LogicalResult verifyDefsBeforeUses(Block &block) {
  llvm::SmallPtrSet<Operation *, 32> defined;
  for (Operation &op : block) {
    WalkResult result = op.walk([&](Operation *nested) {
      for (OpOperand &use : nested->getOpOperands()) {
        Operation *def = use.get().getDefiningOp();
        Operation *holder = def ? block.findAncestorOpInBlock(*def) : nullptr;
        if (holder && holder != &op && !defined.contains(holder)) {
          nested->emitError("hlox-fuse: operand #")
              << use.getOperandNumber()
              << " is defined after this op once the regions are formed (a bug in hlox-fuse)";
          return WalkResult::interrupt();
        }
      }
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return failure();
    defined.insert(&op);
  }
  return success();
}

void inlineFusion(mlir::hlox::FusionOp fusion) {
  Block &body = fusion.getBody().front();
  for (auto [argument, input] : llvm::zip(body.getArguments(), fusion.getInputs()))
    argument.replaceAllUsesWith(input);
  Operation *yield = body.getTerminator();
  for (auto [result, value] : llvm::zip(fusion.getResults(), yield->getOperands()))
    result.replaceAllUsesWith(value);
  yield->erase();
  fusion->getBlock()->getOperations().splice(fusion->getIterator(), body.getOperations());
  fusion->erase();
}

} // namespace hlox::fusion

void ::hlox::registerFusionPasses() {
  PassRegistration<::hlox::fusion::Fuse>();
  PassRegistration<::hlox::fusion::InlineFusions>();
}
