//===- FusionPass.cpp - hlox-fuse: the pass (see Fusion.h) -----------------===//
//
// Fuses the ops of every function body and of the bodies of while/if/case
// (not the scalar bodies of reduce, sort, scatter...). In each block the ops
// are visited last to first: an op that may start a cluster (a loop op or a
// reduce not yet in one; contractions only join their epilogue's) starts one
// and grows it through its producers; then the multi-output merges; then the
// regions are built.
//
//===----------------------------------------------------------------------===//
#include "passes/native/Fusion.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using mlir::hlox::FusionKind;

namespace hlox::fusion {
namespace {

void fuseBlock(Block &block) {
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
  outlineClusters(c);
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
      fuseBlock(*block);
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
